"""Spherically symmetric nanocrystals: a sphere and a core with any number of shells.

Examples
--------
>>> s = Sphere("CdSe", diameter=4.0)
>>> s.radii_nm
(2.0,)
>>> cs = CoreShell("CdSe", core_diameter=3.0, shells=[("CdS", 1.0), ("ZnS", 0.5)])
>>> cs.radii_nm
(1.5, 2.5, 3.0)
>>> cs.outer_diameter_nm
6.0
>>> cs.label
'CdSe/CdS/ZnS'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qdlab.errors import QdlabInputError, check_positive, warn_validity
from qdlab.structures.medium import Medium

#: Below this diameter the effective-mass approximation is not trustworthy.
MIN_EMA_DIAMETER_NM = 1.0


def resolve_material(material: Any):
    """The bulk-parameter record of a layer material, from its name or as given.

    Parameters
    ----------
    material : str or Material
        A name of the materials database (``"CdSe"``, the default phase, or
        ``"CdSe-zb"``, a phase), or a :class:`~qdlab.materials.Material`, which
        is returned unchanged.

    Returns
    -------
    Material
        Band gaps (eV), effective masses (m0), dielectric constants, band-edge
        energies (eV, vacuum scale) and the rest of the record.

    Raises
    ------
    QdlabInputError
        For anything else, or (from :func:`qdlab.materials.get_material`) an
        unknown name.

    Examples
    --------
    >>> m = resolve_material("CdSe")
    >>> m.key, resolve_material(m) is m
    ('CdSe-wz', True)
    """
    if isinstance(material, str):
        from qdlab.materials import get_material

        return get_material(material)
    if not hasattr(material, "electron_mass"):
        raise QdlabInputError(f"material must be a material name or Material, got {material!r}")
    return material


def resolve_materials(materials: Sequence) -> list:
    """The bulk-parameter records of the layers, core first: :func:`resolve_material` of each.

    Parameters
    ----------
    materials : sequence of str or Material
        Layer materials from the core outwards.

    Returns
    -------
    list of Material
        One record per layer, in order.

    Examples
    --------
    >>> [m.key for m in resolve_materials(["CdSe", "CdS", "ZnS-zb"])]
    ['CdSe-wz', 'CdS-wz', 'ZnS-zb']
    """
    return [resolve_material(m) for m in materials]


#: Former private names of :func:`resolve_material` and :func:`check_temperature`,
#: kept for existing imports.
_resolve = resolve_material


def check_temperature(t) -> float:
    """Check a temperature in K: a finite real number > 0 (not a bool).

    Parameters
    ----------
    t : float
        Temperature, K.

    Returns
    -------
    float
        ``t`` as a float.

    Raises
    ------
    QdlabInputError
        If ``t`` is not a finite number > 0 K.

    Examples
    --------
    >>> check_temperature(300)
    300.0
    """
    if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t) or t <= 0:
        raise QdlabInputError(f"temperature must be > 0 K, got {t}")
    return float(t)


_check_temperature = check_temperature


@dataclass(frozen=True)
class Layer:
    """One spherical layer: a material between ``inner_radius_nm`` and ``outer_radius_nm``."""

    material: Any
    inner_radius_nm: float
    outer_radius_nm: float

    @property
    def thickness_nm(self) -> float:
        return self.outer_radius_nm - self.inner_radius_nm


@dataclass(frozen=True)
class SphericalStructure:
    """Base class: concentric layers in a medium at a temperature.

    Attributes
    ----------
    layers : tuple of Layer
        From the centre outwards; the first layer has ``inner_radius_nm == 0``.
    medium : Medium
    temperature : float
        Temperature in K (sets the band gaps through their Varshni laws).
    """

    layers: tuple = field(default=())
    medium: Medium = field(default_factory=Medium)
    temperature: float = 300.0

    @property
    def radii_nm(self) -> tuple:
        """Outer radius of each layer, in nm."""
        return tuple(layer.outer_radius_nm for layer in self.layers)

    @property
    def materials(self) -> tuple:
        return tuple(layer.material for layer in self.layers)

    @property
    def outer_radius_nm(self) -> float:
        return self.layers[-1].outer_radius_nm

    @property
    def outer_diameter_nm(self) -> float:
        return 2.0 * self.outer_radius_nm

    @property
    def label(self) -> str:
        return "/".join(m.name for m in self.materials)


def _build_layers(core, core_diameter, shells) -> tuple:
    check_positive(core_diameter, "core_diameter" if shells else "diameter", "nm")
    core_diameter = float(core_diameter)
    if core_diameter < MIN_EMA_DIAMETER_NM:
        warn_validity(f"diameter {core_diameter:g} nm is below {MIN_EMA_DIAMETER_NM:g} nm: "
                      "effective-mass theory is not valid for clusters this small", stacklevel=5)
    layers = [Layer(resolve_material(core), 0.0, core_diameter / 2.0)]
    r = core_diameter / 2.0
    for i, shell in enumerate(shells, start=1):
        try:
            mat, thickness = shell
        except (TypeError, ValueError):
            raise QdlabInputError(f"shell {i} must be (material, thickness_nm), got {shell!r}") \
                from None
        check_positive(thickness, f"shell {i} thickness", "nm")
        layers.append(Layer(resolve_material(mat), r, r + float(thickness)))
        r += float(thickness)
    return tuple(layers)


@dataclass(frozen=True, init=False)
class Sphere(SphericalStructure):
    """A homogeneous spherical nanocrystal.

    Parameters
    ----------
    material : str or Material
        Material name (``"CdSe"``) or a :class:`~qdlab.materials.Material`.
    diameter : float
        Diameter in nm (> 0; effective-mass models warn below 1 nm).
    medium : Medium, optional
        Surroundings; default :data:`~qdlab.structures.ORGANIC_LIGANDS`.
    temperature : float, optional
        Temperature in K (> 0), default 300.
    """

    def __init__(self, material, diameter: float, medium: Medium | None = None,
                 temperature: float = 300.0):
        object.__setattr__(self, "layers", _build_layers(material, diameter, ()))
        object.__setattr__(self, "medium", medium if medium is not None else Medium())
        object.__setattr__(self, "temperature", check_temperature(temperature))

    @property
    def material(self):
        return self.layers[0].material

    @property
    def diameter_nm(self) -> float:
        return self.outer_diameter_nm

    def __repr__(self) -> str:
        return (f"Sphere({self.material.name!r}, diameter={self.diameter_nm:g}, "
                f"medium={self.medium.name!r}, temperature={self.temperature:g})")


@dataclass(frozen=True, init=False)
class CoreShell(SphericalStructure):
    """A spherical core with any number of concentric shells.

    Parameters
    ----------
    core_material : str or Material
    core_diameter : float
        Core diameter in nm (> 0).
    shells : sequence of (material, thickness_nm)
        Shells from the inside out; each thickness in nm (> 0).
    medium : Medium, optional
    temperature : float, optional
        Temperature in K (> 0), default 300.
    """

    def __init__(self, core_material, core_diameter: float,
                 shells: Sequence[tuple[Any, float]] = (), medium: Medium | None = None,
                 temperature: float = 300.0):
        shells = list(shells)
        object.__setattr__(self, "layers", _build_layers(core_material, core_diameter, shells))
        object.__setattr__(self, "medium", medium if medium is not None else Medium())
        object.__setattr__(self, "temperature", check_temperature(temperature))

    @property
    def core_diameter_nm(self) -> float:
        return 2.0 * self.layers[0].outer_radius_nm

    @property
    def shell_thicknesses_nm(self) -> tuple:
        return tuple(layer.thickness_nm for layer in self.layers[1:])

    def __repr__(self) -> str:
        shells = ", ".join(f"({layer.material.name!r}, {layer.thickness_nm:g})"
                           for layer in self.layers[1:])
        return (f"CoreShell({self.layers[0].material.name!r}, "
                f"core_diameter={self.core_diameter_nm:g}, shells=[{shells}], "
                f"medium={self.medium.name!r}, temperature={self.temperature:g})")


def parse_layers(spec: str, core_diameter: float, shells: Sequence[float] = (),
                 medium: Medium | None = None, temperature: float = 300.0):
    """Build a structure from ``"InP/ZnSe/ZnS"`` and the core diameter and shell thicknesses.

    Parameters
    ----------
    spec : str
        Materials from the core outwards, separated by ``/``.
    core_diameter : float
        Core (or sphere) diameter in nm.
    shells : sequence of float
        One thickness in nm per shell material.

    Examples
    --------
    >>> parse_layers("CdSe/ZnS", 3.0, [1.0]).radii_nm
    (1.5, 2.5)
    """
    names = [s.strip() for s in spec.split("/")]
    if any(not n for n in names):
        raise QdlabInputError(f"material must be names separated by '/', got {spec!r}")
    shells = list(shells)
    if len(shells) != len(names) - 1:
        raise QdlabInputError(f"{spec!r} has {len(names) - 1} shell material(s) but "
                              f"{len(shells)} shell thickness(es) were given")
    if len(names) == 1:
        return Sphere(names[0], core_diameter, medium=medium, temperature=temperature)
    return CoreShell(names[0], core_diameter, list(zip(names[1:], shells, strict=True)),
                     medium=medium, temperature=temperature)
