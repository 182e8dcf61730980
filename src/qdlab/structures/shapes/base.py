"""Regions and the common base of every shape; spheres and core/shells as shapes."""


from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qdlab.errors import QdlabInputError, warn_validity
from qdlab.structures.medium import Medium
from qdlab.structures.shapes.sdf import SDF, sdf_sphere
from qdlab.structures.spheres import (
    MIN_EMA_DIAMETER_NM,
    SphericalStructure,
    check_temperature,
)

# ---------------------------------------------------------------------------
# Regions and the common base
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """One material region: ``material`` where ``sdf(x, y, z) < 0`` (nm).

    Attributes
    ----------
    material : Material
        The material (with ``electron_mass``, ``hole_mass``, band edges).
    sdf : callable
        Signed distance in nm, negative inside; ``sdf(x, y, z)`` broadcasts.
    name : str
        A label ("core", "arm", ...).
    """

    material: Any
    sdf: SDF
    name: str = ""


def _name(material) -> str:
    return str(getattr(material, "name", material))


@dataclass(frozen=True)
class Shape:
    """Base class of the non-spherical structures.

    Attributes
    ----------
    regions : tuple of Region
        In priority order (a point belongs to the first region whose SDF < 0).
    medium : Medium
        Surroundings (barriers, dielectric constant).
    temperature : float
        Temperature in K.
    bounding_box_nm : tuple
        ``((xmin, ymin, zmin), (xmax, ymax, zmax))`` enclosing every region, nm.
    symmetry : tuple of bool
        Whether the structure is invariant under x -> -x, y -> -y, z -> -z.
    min_feature_nm : float
        Smallest geometric length (sets the default grid resolution), nm.
    """

    regions: tuple = field(default=())
    medium: Medium = field(default_factory=Medium)
    temperature: float = 300.0
    bounding_box_nm: tuple = ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0))
    symmetry: tuple = (False, False, False)
    min_feature_nm: float = 1.0

    @property
    def materials(self) -> tuple:
        """The material of each region, in priority order."""
        return tuple(r.material for r in self.regions)

    @property
    def label(self) -> str:
        """Material names joined by ``/`` (duplicates removed)."""
        names: list[str] = []
        for m in self.materials:
            if _name(m) not in names:
                names.append(_name(m))
        return "/".join(names)

    def sdf(self, x, y, z):
        """Signed distance (nm) to the whole nanocrystal (union of the regions)."""
        out = self.regions[0].sdf(x, y, z)
        for r in self.regions[1:]:
            out = np.minimum(out, r.sdf(x, y, z))
        return out

    def region_index(self, x, y, z) -> np.ndarray:
        """Index of the region containing each point (``len(regions)`` = medium)."""
        x, y, z = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, y, z)))
        idx = np.full(x.shape, len(self.regions), dtype=np.int16)
        for k in range(len(self.regions) - 1, -1, -1):
            idx[self.regions[k].sdf(x, y, z) < 0] = k
        return idx


def _init(obj, regions, medium, temperature, bbox, symmetry, min_feature):
    object.__setattr__(obj, "regions", tuple(regions))
    object.__setattr__(obj, "medium", medium if medium is not None else Medium())
    object.__setattr__(obj, "temperature", check_temperature(temperature))
    object.__setattr__(obj, "bounding_box_nm",
                       tuple(tuple(float(v) for v in c) for c in bbox))
    object.__setattr__(obj, "symmetry", tuple(bool(s) for s in symmetry))
    object.__setattr__(obj, "min_feature_nm", float(min_feature))


def _small(length, what):
    if length < MIN_EMA_DIAMETER_NM:
        warn_validity(f"{what} {length:g} nm is below {MIN_EMA_DIAMETER_NM:g} nm: "
                      "effective-mass theory is not valid for features this small",
                      stacklevel=4)


@dataclass(frozen=True, init=False)
class SphericalShape(Shape):
    """A :class:`~qdlab.structures.Sphere` / ``CoreShell`` in region form (see :func:`as_shape`)."""

    def __init__(self, structure: SphericalStructure, center=(0.0, 0.0, 0.0)):
        regions = [Region(layer.material, sdf_sphere(layer.outer_radius_nm, center),
                          f"layer {i}") for i, layer in enumerate(structure.layers)]
        R = structure.outer_radius_nm
        c = tuple(float(v) for v in center)
        thick = min(layer.thickness_nm for layer in structure.layers)
        _init(self, regions, structure.medium, structure.temperature,
              (tuple(v - R for v in c), tuple(v + R for v in c)),
              tuple(v == 0.0 for v in c), min(thick, 2 * R))
        object.__setattr__(self, "structure", structure)
        object.__setattr__(self, "center_nm", c)


def as_shape(structure) -> Shape:
    """Region form of any structure: shapes pass through, spheres are converted.

    Examples
    --------
    >>> class M:
    ...     name = "X"; electron_mass = 0.1; hole_mass = 0.4
    >>> from qdlab.structures import CoreShell
    >>> s = as_shape(CoreShell(M(), 3.0, [(M(), 1.0)]))
    >>> [r.name for r in s.regions], s.bounding_box_nm[1]
    (['layer 0', 'layer 1'], (2.5, 2.5, 2.5))
    """
    if isinstance(structure, Shape):
        return structure
    if isinstance(structure, SphericalStructure):
        return SphericalShape(structure)
    raise QdlabInputError(f"structure must be a Sphere, CoreShell or shape, got {structure!r}")


