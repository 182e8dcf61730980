"""Non-spherical nanocrystals described by signed-distance functions (SDFs).

Every shape is an immutable description: an ordered tuple of material
:class:`Region` objects, each with a signed-distance function (nm, negative
inside), a surrounding :class:`~qdlab.structures.Medium` and a temperature.
A point belongs to the *first* region whose SDF is negative (so an inner core
listed before its shell wins); where every SDF is >= 0 the point is in the
medium.  This is all the 3D grid solver (:mod:`qdlab.electronic.grid`) needs:
it never looks at the concrete class.

Shapes
------
* :class:`Rod` -- a cylinder with hemispherical caps along z (``length`` is
  tip to tip).
* :class:`Platelet` -- an atomically flat square (or rectangular) zinc-blende
  platelet, thickness from the number of monolayers (see its Notes).
* :class:`Cube` -- a cube of edge ``edge`` (perovskite nanocubes).
* :class:`Tetrapod` -- a spherical core with four cylindrical arms along the
  tetrahedral directions.
* :class:`DotInRod` -- a spherical core inside a rod (e.g. CdSe in CdS).
* :class:`Dimer` -- two nanocrystals along z separated by a gap, optionally
  fused by a cylindrical neck ("nanocrystal molecule").
* :class:`SDFShape` -- any shape given as signed-distance function(s).
* :class:`VoxelShape` -- any shape given as a labelled voxel mask.
* :func:`as_shape` turns a :class:`~qdlab.structures.Sphere` or
  :class:`~qdlab.structures.CoreShell` into the same region form.

All lengths are in nm; SDFs take ``(x, y, z)`` arrays in nm (broadcasting) and
return nm.

Examples
--------
>>> from qdlab.structures.shapes import Rod, SDFShape
>>> class M:            # a stand-in material; normally a name such as "CdSe"
...     name = "X"; electron_mass = 0.13; hole_mass = 0.45
>>> rod = Rod(M(), length=20.0, diameter=4.0)
>>> rod.bounding_box_nm
((-2.0, -2.0, -10.0), (2.0, 2.0, 10.0))
>>> float(rod.sdf(0.0, 0.0, 10.0)), float(rod.sdf(0.0, 0.0, 0.0))
(0.0, -2.0)
>>> rod.symmetry
(True, True, True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qdlab._validation import QdlabInputError, check_nonnegative, check_positive, warn_validity
from qdlab.structures.medium import Medium
from qdlab.structures.spheres import (
    MIN_EMA_DIAMETER_NM,
    SphericalStructure,
    _check_temperature,
    _resolve,
)

SDF = Callable[..., Any]

# ---------------------------------------------------------------------------
# SDF primitives (exact Euclidean signed distances, nm)
# ---------------------------------------------------------------------------


def sdf_sphere(radius: float, center=(0.0, 0.0, 0.0)) -> SDF:
    """SDF of a ball of ``radius`` (nm) centred at ``center`` (nm).

    Examples
    --------
    >>> float(sdf_sphere(2.0)(0.0, 0.0, 3.0))
    1.0
    """
    cx, cy, cz = (float(c) for c in center)
    r = float(radius)

    def f(x, y, z):
        return np.sqrt((x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2) - r

    return f


def sdf_capsule(a, b, radius: float) -> SDF:
    """SDF of the set of points within ``radius`` (nm) of the segment a-b (nm).

    Examples
    --------
    >>> f = sdf_capsule((0, 0, -1), (0, 0, 1), 0.5)
    >>> float(f(0.0, 0.0, 2.0)), float(f(1.0, 0.0, 0.0))
    (0.5, 0.5)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    ab = b - a
    L2 = float(ab @ ab)
    r = float(radius)

    def f(x, y, z):
        px, py, pz = x - a[0], y - a[1], z - a[2]
        t = (px * ab[0] + py * ab[1] + pz * ab[2]) / L2 if L2 > 0 else 0.0 * px
        t = np.clip(t, 0.0, 1.0)
        return np.sqrt((px - t * ab[0]) ** 2 + (py - t * ab[1]) ** 2
                       + (pz - t * ab[2]) ** 2) - r

    return f


def sdf_box(half_sizes, center=(0.0, 0.0, 0.0)) -> SDF:
    """SDF of an axis-aligned box with half edge lengths ``half_sizes`` (nm).

    Examples
    --------
    >>> float(sdf_box((1, 1, 1))(2.0, 0.0, 0.0)), float(sdf_box((1, 1, 1))(0.0, 0.0, 0.0))
    (1.0, -1.0)
    """
    hx, hy, hz = (float(h) for h in half_sizes)
    cx, cy, cz = (float(c) for c in center)

    def f(x, y, z):
        qx = np.abs(x - cx) - hx
        qy = np.abs(y - cy) - hy
        qz = np.abs(z - cz) - hz
        outside = np.sqrt(np.maximum(qx, 0) ** 2 + np.maximum(qy, 0) ** 2
                          + np.maximum(qz, 0) ** 2)
        inside = np.minimum(np.maximum(np.maximum(qx, qy), qz), 0.0)
        return outside + inside

    return f


def sdf_cylinder(a, b, radius: float) -> SDF:
    """SDF of a flat-ended cylinder of ``radius`` (nm) with axis from a to b (nm).

    Examples
    --------
    >>> f = sdf_cylinder((0, 0, 0), (0, 0, 2), 1.0)
    >>> float(f(0.0, 0.0, 3.0)), float(f(0.0, 0.0, 1.0))
    (1.0, -1.0)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    axis = b - a
    length = float(np.linalg.norm(axis))
    u = axis / length
    mid = (a + b) / 2
    r = float(radius)

    def f(x, y, z):
        px, py, pz = x - mid[0], y - mid[1], z - mid[2]
        along = px * u[0] + py * u[1] + pz * u[2]
        radial = np.sqrt(np.maximum(px * px + py * py + pz * pz - along * along, 0.0))
        dr = radial - r
        dz = np.abs(along) - length / 2
        outside = np.sqrt(np.maximum(dr, 0) ** 2 + np.maximum(dz, 0) ** 2)
        return outside + np.minimum(np.maximum(dr, dz), 0.0)

    return f


def sdf_union(*sdfs: SDF) -> SDF:
    """Union of shapes: the minimum of their SDFs (exact outside, a bound inside)."""

    def f(x, y, z):
        out = sdfs[0](x, y, z)
        for s in sdfs[1:]:
            out = np.minimum(out, s(x, y, z))
        return out

    return f


def sdf_translate(sdf: SDF, offset) -> SDF:
    """The shape ``sdf`` moved by ``offset`` (nm)."""
    ox, oy, oz = (float(o) for o in offset)

    def f(x, y, z):
        return sdf(x - ox, y - oy, z - oz)

    return f


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
    object.__setattr__(obj, "temperature", _check_temperature(temperature))
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
class Rod(Shape):
    """A nanorod: a cylinder with hemispherical caps, axis along z, centred at 0.

    Parameters
    ----------
    material : str or Material
    length : float
        Total tip-to-tip length in nm (>= diameter; ``length == diameter`` is a sphere).
    diameter : float
        Diameter in nm (> 0).
    medium : Medium, optional
    temperature : float, optional
        Temperature in K, default 300.

    Notes
    -----
    The SDF is the distance to the axis segment ``|z| <= (length - diameter)/2``
    minus the radius (a capsule).  Aspect ratio = ``length / diameter``.
    """

    def __init__(self, material, length: float, diameter: float,
                 medium: Medium | None = None, temperature: float = 300.0):
        check_positive(length, "length", "nm")
        check_positive(diameter, "diameter", "nm")
        length, diameter = float(length), float(diameter)
        if length < diameter:
            raise QdlabInputError(f"length must be >= diameter ({diameter:g} nm) for a rod "
                                  f"with hemispherical caps, got {length:g}")
        _small(diameter, "diameter")
        r, half = diameter / 2, (length - diameter) / 2
        mat = _resolve(material)
        reg = Region(mat, sdf_capsule((0, 0, -half), (0, 0, half), r), "rod")
        _init(self, [reg], medium, temperature, ((-r, -r, -length / 2), (r, r, length / 2)),
              (True, True, True), diameter)
        object.__setattr__(self, "length_nm", length)
        object.__setattr__(self, "diameter_nm", diameter)

    @property
    def material(self):
        return self.regions[0].material

    @property
    def aspect_ratio(self) -> float:
        """Length over diameter."""
        return self.length_nm / self.diameter_nm

    def __repr__(self) -> str:
        return (f"Rod({_name(self.material)!r}, length={self.length_nm:g}, "
                f"diameter={self.diameter_nm:g}, medium={self.medium.name!r}, "
                f"temperature={self.temperature:g})")


def platelet_thickness_nm(monolayers: int, lattice_constant_nm: float) -> float:
    """Thickness (nm) of an n-monolayer zinc-blende [001] platelet.

    Parameters
    ----------
    monolayers : int
        Number n of anion planes (the platelet has n + 1 cation planes and is
        often called an "n.5 ML" platelet).
    lattice_constant_nm : float
        Cubic lattice constant a in nm.

    Returns
    -------
    float
        ``(n + 1/2) * a / 2`` in nm.

    Notes
    -----
    Along [001] consecutive atomic planes (alternately cation and anion) are
    a/4 apart.  A Cd-terminated n-ML platelet has 2n + 1 atomic planes
    (n Se, n + 1 Cd) [1]_; giving each plane a slab of a/4 yields
    ``L = (2n + 1) a / 4 = (n + 1/2) a / 2`` -- the "n.5 ML" naming of [2]_.
    The centre-to-centre distance of the outer Cd planes is ``n a / 2``.

    References
    ----------
    .. [1] S. Ithurria, M. D. Tessier, B. Mahler, R. P. S. M. Lobo, B. Dubertret,
       Al. L. Efros, "Colloidal nanoplatelets with two-dimensional electronic
       structure", Nat. Mater. 10, 936 (2011).
    .. [2] S. Christodoulou et al., "Chloride-induced thickness control in CdSe
       nanoplatelets", Nano Lett. 18, 6248 (2018).

    Examples
    --------
    >>> round(platelet_thickness_nm(4, 0.608), 4)   # CdSe "4.5 ML"
    1.368
    """
    return (monolayers + 0.5) * lattice_constant_nm / 2.0


@dataclass(frozen=True, init=False)
class Platelet(Shape):
    """An atomically flat zinc-blende nanoplatelet, thickness along z.

    Parameters
    ----------
    material : str or Material
        Needs ``lattice_constant_nm`` (cubic a) unless ``lattice_constant_nm`` is given.
    monolayers : int
        Number of anion planes n (1..20); see :func:`platelet_thickness_nm`.
    lateral_size : float
        Edge length in x in nm (> 0).
    lateral_width : float, optional
        Edge length in y in nm; default ``lateral_size`` (square).
    lattice_constant_nm : float, optional
        Override of the material's lattice constant, nm.
    medium, temperature : optional

    Notes
    -----
    A rectangular box ``lateral_size x lateral_width x thickness`` with
    ``thickness = (n + 1/2) a / 2``.
    """

    def __init__(self, material, monolayers: int, lateral_size: float,
                 lateral_width: float | None = None, lattice_constant_nm: float | None = None,
                 medium: Medium | None = None, temperature: float = 300.0):
        if isinstance(monolayers, bool) or not isinstance(monolayers, (int, np.integer)) \
                or not 1 <= monolayers <= 20:
            raise QdlabInputError(f"monolayers must be an integer in [1, 20], got {monolayers!r}")
        check_positive(lateral_size, "lateral_size", "nm")
        width = float(lateral_size if lateral_width is None else
                      check_positive(lateral_width, "lateral_width", "nm"))
        mat = _resolve(material)
        a = lattice_constant_nm if lattice_constant_nm is not None else \
            getattr(mat, "lattice_constant_nm", None)
        if a is None:
            raise QdlabInputError("lattice_constant_nm must be given: material "
                                  f"{_name(mat)!r} has no lattice_constant_nm")
        check_positive(a, "lattice_constant_nm", "nm")
        t = platelet_thickness_nm(int(monolayers), float(a))
        sx, sy = float(lateral_size), width
        reg = Region(mat, sdf_box((sx / 2, sy / 2, t / 2)), "platelet")
        _init(self, [reg], medium, temperature, ((-sx / 2, -sy / 2, -t / 2),
                                                 (sx / 2, sy / 2, t / 2)),
              (True, True, True), t)
        object.__setattr__(self, "monolayers", int(monolayers))
        object.__setattr__(self, "thickness_nm", t)
        object.__setattr__(self, "lateral_size_nm", sx)
        object.__setattr__(self, "lateral_width_nm", sy)

    @property
    def material(self):
        return self.regions[0].material

    def __repr__(self) -> str:
        return (f"Platelet({_name(self.material)!r}, monolayers={self.monolayers}, "
                f"lateral_size={self.lateral_size_nm:g}, lateral_width={self.lateral_width_nm:g},"
                f" medium={self.medium.name!r}, temperature={self.temperature:g})")


@dataclass(frozen=True, init=False)
class Cube(Shape):
    """A cube of edge ``edge`` nm centred at the origin (e.g. CsPbBr3 nanocubes).

    Parameters
    ----------
    material : str or Material
    edge : float
        Edge length in nm (> 0).
    medium, temperature : optional
    """

    def __init__(self, material, edge: float, medium: Medium | None = None,
                 temperature: float = 300.0):
        check_positive(edge, "edge", "nm")
        e = float(edge)
        _small(e, "edge")
        mat = _resolve(material)
        reg = Region(mat, sdf_box((e / 2, e / 2, e / 2)), "cube")
        _init(self, [reg], medium, temperature, ((-e / 2,) * 3, (e / 2,) * 3),
              (True, True, True), e)
        object.__setattr__(self, "edge_nm", e)

    @property
    def material(self):
        return self.regions[0].material

    def __repr__(self) -> str:
        return (f"Cube({_name(self.material)!r}, edge={self.edge_nm:g}, "
                f"medium={self.medium.name!r}, temperature={self.temperature:g})")


#: Unit vectors of the four tetrahedral arm directions.
TETRAHEDRAL_DIRECTIONS = tuple(tuple(v / math.sqrt(3.0) for v in d) for d in
                               ((1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)))


@dataclass(frozen=True, init=False)
class Tetrapod(Shape):
    """A tetrapod: a spherical (zinc-blende) core with four (wurtzite) arms.

    Parameters
    ----------
    material : str or Material
        Core material (zinc-blende phase in real tetrapods, e.g. ``"CdSe-zb"``).
    core_diameter : float
        Core diameter in nm (> 0).
    arm_length : float
        Length of each arm from the core surface to its flat tip, in nm (> 0).
    arm_diameter : float
        Arm diameter in nm (> 0).
    arm_material : str or Material, optional
        Arm material (wurtzite phase, e.g. ``"CdSe-wz"``); default the core material.
    medium, temperature : optional

    Notes
    -----
    Arms are flat-ended cylinders from the centre along [111], [1-1-1],
    [-11-1], [-1-11] (Manna, Milliron, Meisel, Scher, Alivisatos,
    Nat. Mater. 2, 382 (2003)).  The core region has priority over the arms.
    """

    def __init__(self, material, core_diameter: float, arm_length: float, arm_diameter: float,
                 arm_material=None, medium: Medium | None = None, temperature: float = 300.0):
        check_positive(core_diameter, "core_diameter", "nm")
        check_positive(arm_length, "arm_length", "nm")
        check_positive(arm_diameter, "arm_diameter", "nm")
        rc, la, da = float(core_diameter) / 2, float(arm_length), float(arm_diameter)
        _small(da, "arm_diameter")
        core = _resolve(material)
        arm = core if arm_material is None else _resolve(arm_material)
        tip = rc + la
        arms = [sdf_cylinder((0, 0, 0), tuple(tip * c for c in d), da / 2)
                for d in TETRAHEDRAL_DIRECTIONS]
        regions = [Region(core, sdf_sphere(rc), "core"), Region(arm, sdf_union(*arms), "arms")]
        # Bounding box: the tips' rims (tip*d +- r) and the core.
        ext = max(rc, tip / math.sqrt(3.0) + da / 2)
        _init(self, regions, medium, temperature, ((-ext,) * 3, (ext,) * 3),
              (False, False, False), min(da, 2 * rc))
        object.__setattr__(self, "core_diameter_nm", 2 * rc)
        object.__setattr__(self, "arm_length_nm", la)
        object.__setattr__(self, "arm_diameter_nm", da)

    def __repr__(self) -> str:
        return (f"Tetrapod({_name(self.regions[0].material)!r}, "
                f"core_diameter={self.core_diameter_nm:g}, arm_length={self.arm_length_nm:g}, "
                f"arm_diameter={self.arm_diameter_nm:g}, "
                f"arm_material={_name(self.regions[1].material)!r}, "
                f"medium={self.medium.name!r}, temperature={self.temperature:g})")


@dataclass(frozen=True, init=False)
class DotInRod(Shape):
    """A spherical core inside a rod (dot-in-rod, e.g. CdSe/CdS), axis along z.

    Parameters
    ----------
    core_material : str or Material
    core_diameter : float
        Core diameter in nm (> 0).
    rod_material : str or Material
    length : float
        Rod tip-to-tip length in nm (hemispherical caps, as :class:`Rod`).
    diameter : float
        Rod diameter in nm.
    core_position : float, optional
        z of the core centre relative to the rod centre, nm (default 0; in
        seeded growth the core sits near one third of the length, e.g.
        Carbone et al., Nano Lett. 7, 2942 (2007)).
    medium, temperature : optional
    """

    def __init__(self, core_material, core_diameter: float, rod_material, length: float,
                 diameter: float, core_position: float = 0.0, medium: Medium | None = None,
                 temperature: float = 300.0):
        check_positive(core_diameter, "core_diameter", "nm")
        check_positive(length, "length", "nm")
        check_positive(diameter, "diameter", "nm")
        rc, L, D = float(core_diameter) / 2, float(length), float(diameter)
        zc = float(core_position)
        if L < D:
            raise QdlabInputError(f"length must be >= diameter ({D:g} nm), got {L:g}")
        if abs(zc) + rc > L / 2:
            raise QdlabInputError(f"core_position must be in [{-(L / 2 - rc):g}, {L / 2 - rc:g}]"
                                  f" nm so that the core lies inside the rod, got {zc:g}")
        if 2 * rc > D:
            warn_validity(f"core_diameter {2 * rc:g} nm exceeds the rod diameter {D:g} nm: "
                          "the core touches the medium", stacklevel=3)
        half = (L - D) / 2
        regions = [Region(_resolve(core_material), sdf_sphere(rc, (0, 0, zc)), "core"),
                   Region(_resolve(rod_material),
                          sdf_capsule((0, 0, -half), (0, 0, half), D / 2), "rod")]
        r = max(D / 2, rc)
        _init(self, regions, medium, temperature, ((-r, -r, -L / 2), (r, r, L / 2)),
              (True, True, zc == 0.0), min(2 * rc, D))
        object.__setattr__(self, "core_diameter_nm", 2 * rc)
        object.__setattr__(self, "length_nm", L)
        object.__setattr__(self, "diameter_nm", D)
        object.__setattr__(self, "core_position_nm", zc)

    def __repr__(self) -> str:
        return (f"DotInRod({_name(self.regions[0].material)!r}, "
                f"core_diameter={self.core_diameter_nm:g}, "
                f"rod_material={_name(self.regions[1].material)!r}, length={self.length_nm:g}, "
                f"diameter={self.diameter_nm:g}, core_position={self.core_position_nm:g}, "
                f"medium={self.medium.name!r}, temperature={self.temperature:g})")


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


def _shifted(shape: Shape, dz: float) -> list[Region]:
    return [Region(r.material, sdf_translate(r.sdf, (0.0, 0.0, dz)), r.name)
            for r in shape.regions]


@dataclass(frozen=True, init=False)
class Dimer(Shape):
    """Two nanocrystals along z ("nanocrystal molecule"), optionally fused by a neck.

    Parameters
    ----------
    a, b : Sphere, CoreShell or Shape
        The two partners; ``a`` is placed at negative z, ``b`` at positive z,
        each centred on the z axis.
    gap_nm : float, optional
        Surface-to-surface distance along z in nm (>= 0; default 0 = touching).
        The gap is filled with the medium of ``a``.
    neck_diameter_nm : float, optional
        Diameter (nm) of a cylindrical neck of ``a``'s outer material joining the
        two centres (fused dimers); default none.
    medium, temperature : optional
        Default those of ``a``.

    Notes
    -----
    The splitting of the lowest bonding (even) and antibonding (odd) states
    measures the coupling; see Cui et al., "Colloidal quantum dot molecules
    manifesting quantum coupling at room temperature", Nat. Commun. 10, 5401 (2019).
    """

    def __init__(self, a, b, gap_nm: float = 0.0, neck_diameter_nm: float | None = None,
                 medium: Medium | None = None, temperature: float | None = None):
        check_nonnegative(gap_nm, "gap_nm", "nm")
        sa, sb = as_shape(a), as_shape(b)
        (alo, ahi), (blo, bhi) = sa.bounding_box_nm, sb.bounding_box_nm
        # Centre each partner's box in z on the axis, then put the gap between them.
        ca = (alo[2] + ahi[2]) / 2
        cb = (blo[2] + bhi[2]) / 2
        za = -(ahi[2] - ca) - float(gap_nm) / 2 - ca  # shift of a
        zb = (cb - blo[2]) + float(gap_nm) / 2 - cb  # shift of b
        regions = _shifted(sa, za) + _shifted(sb, zb)
        min_feature = min(sa.min_feature_nm, sb.min_feature_nm)
        if gap_nm > 0:
            min_feature = min(min_feature, float(gap_nm))
        if neck_diameter_nm is not None:
            check_positive(neck_diameter_nm, "neck_diameter_nm", "nm")
            za_c, zb_c = ca + za, cb + zb
            neck = sdf_cylinder((0, 0, za_c), (0, 0, zb_c), float(neck_diameter_nm) / 2)
            regions.append(Region(sa.regions[-1].material, neck, "neck"))
            min_feature = min(min_feature, float(neck_diameter_nm))
        lo = (min(alo[0], blo[0]), min(alo[1], blo[1]), alo[2] + za)
        hi = (max(ahi[0], bhi[0]), max(ahi[1], bhi[1]), bhi[2] + zb)
        try:
            same = bool(sa.regions == sb.regions) if sa is not sb else True
        except Exception:  # noqa: BLE001 - materials that cannot be compared
            same = False
        if isinstance(a, SphericalStructure) and isinstance(b, SphericalStructure):
            same = a.radii_nm == b.radii_nm and all(
                x is y or x == y for x, y in zip(a.materials, b.materials, strict=False)) \
                and len(a.layers) == len(b.layers)
        sym = (sa.symmetry[0] and sb.symmetry[0], sa.symmetry[1] and sb.symmetry[1],
               same and sa.symmetry[2] and abs(lo[2] + hi[2]) < 1e-12)
        _init(self, regions, medium if medium is not None else sa.medium,
              temperature if temperature is not None else sa.temperature, (lo, hi), sym,
              min_feature)
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "gap_nm", float(gap_nm))
        object.__setattr__(self, "neck_diameter_nm",
                           None if neck_diameter_nm is None else float(neck_diameter_nm))

    def __repr__(self) -> str:
        return (f"Dimer({self.a!r}, {self.b!r}, gap_nm={self.gap_nm:g}, "
                f"neck_diameter_nm={self.neck_diameter_nm})")


def _check_bbox(bounding_box):
    try:
        lo, hi = (tuple(float(v) for v in c) for c in bounding_box)
        if len(lo) != 3 or len(hi) != 3:
            raise ValueError
    except (TypeError, ValueError):
        raise QdlabInputError("bounding_box must be ((xmin, ymin, zmin), (xmax, ymax, zmax)) in "
                              f"nm, got {bounding_box!r}") from None
    if not all(h > lo_ for lo_, h in zip(lo, hi, strict=True)):
        raise QdlabInputError("bounding_box must have max > min on every axis, got "
                              f"{bounding_box!r}")
    return lo, hi


@dataclass(frozen=True, init=False)
class SDFShape(Shape):
    """Any shape given by signed-distance functions.

    Parameters
    ----------
    sdf : callable
        ``sdf(x, y, z)`` -> signed distance in nm (negative inside) of the whole
        nanocrystal; must broadcast over numpy arrays.
    bounding_box : ((xmin, ymin, zmin), (xmax, ymax, zmax))
        Box in nm that contains the nanocrystal.
    material : str or Material
        Material of the outermost region.
    layers : sequence of (material, sdf), optional
        Inner regions with priority over the outer one (e.g. a core).
    symmetry : (bool, bool, bool), optional
        Mirror symmetries x -> -x, y -> -y, z -> -z about the origin that the
        solver may use (default none; declaring a symmetry the shape lacks gives
        wrong states).
    min_feature_nm : float, optional
        Smallest feature in nm (default: a twelfth of the smallest box edge).
    medium, temperature : optional

    Notes
    -----
    Only the zero level set of each SDF matters for the solver; a function that
    is not an exact distance but has the right sign and is smooth across the
    surface (e.g. ``x**2/a**2 + y**2/b**2 + z**2/c**2 - 1`` scaled by a length)
    works, though the sub-cell interface positions are then less accurate.

    Examples
    --------
    >>> class M:
    ...     name = "X"; electron_mass = 0.1; hole_mass = 0.4
    >>> ell = SDFShape(lambda x, y, z: np.sqrt(x**2 + y**2 + (z / 2)**2) - 1.0,
    ...                ((-1, -1, -2), (1, 1, 2)), M(), symmetry=(True, True, True))
    >>> int(ell.region_index(0, 0, 1.9)), int(ell.region_index(0, 0, 2.1))
    (0, 1)
    """

    def __init__(self, sdf: SDF, bounding_box, material, layers: Sequence = (),
                 symmetry=(False, False, False), min_feature_nm: float | None = None,
                 medium: Medium | None = None, temperature: float = 300.0):
        if not callable(sdf):
            raise QdlabInputError(f"sdf must be a callable sdf(x, y, z) -> nm, got {sdf!r}")
        lo, hi = _check_bbox(bounding_box)
        regions = []
        for i, item in enumerate(layers):
            try:
                mat, f = item
            except (TypeError, ValueError):
                raise QdlabInputError(f"layer {i} must be (material, sdf), got {item!r}") from None
            if not callable(f):
                raise QdlabInputError(f"layer {i} sdf must be callable, got {f!r}")
            regions.append(Region(_resolve(mat), f, f"layer {i}"))
        regions.append(Region(_resolve(material), sdf, "outer"))
        mf = min(h - lo_ for lo_, h in zip(lo, hi, strict=True)) / 12 if min_feature_nm is None \
            else float(check_positive(min_feature_nm, "min_feature_nm", "nm"))
        if len(tuple(symmetry)) != 3:
            raise QdlabInputError(f"symmetry must be three booleans, got {symmetry!r}")
        _init(self, regions, medium, temperature, (lo, hi), symmetry, mf)


@dataclass(frozen=True, init=False, eq=False)
class VoxelShape(Shape):
    """A shape given by a labelled voxel mask (e.g. from electron tomography).

    Parameters
    ----------
    mask : array of bool or int, shape (nx, ny, nz)
        0 = medium; k >= 1 = ``materials[k - 1]`` (a boolean mask uses one material).
    spacing : float or (float, float, float)
        Voxel size in nm.
    materials : Material or sequence of Material
        One material per label (labels in priority order).
    origin : (float, float, float), optional
        Centre of voxel (0, 0, 0) in nm; default centres the mask on the origin.
    medium, temperature : optional

    Notes
    -----
    Each label's SDF is the Euclidean distance transform of the voxel set
    (zero level half-way between voxel centres), trilinearly interpolated.
    Voxel shapes are staircases by construction: the solver reproduces the
    voxelised geometry, not a smooth surface.
    """

    def __init__(self, mask, spacing, materials, origin=None, medium: Medium | None = None,
                 temperature: float = 300.0):
        from scipy import ndimage

        m = np.asarray(mask)
        if m.ndim != 3 or min(m.shape) < 2:
            raise QdlabInputError(f"mask must be a 3D array with >= 2 voxels per axis, got shape "
                                  f"{m.shape}")
        if m.dtype == bool:
            m = m.astype(np.int16)
        if not np.issubdtype(m.dtype, np.integer) or m.min() < 0:
            raise QdlabInputError("mask must hold booleans or integer labels >= 0")
        sp = np.broadcast_to(np.asarray(spacing, dtype=float), (3,)).copy()
        check_positive(sp, "spacing", "nm")
        mats = [materials] if not isinstance(materials, (list, tuple)) else list(materials)
        nlab = int(m.max())
        if nlab < 1:
            raise QdlabInputError("mask must contain at least one voxel with a label >= 1")
        if len(mats) < nlab:
            raise QdlabInputError(f"materials must give one material per label (1..{nlab}), "
                                  f"got {len(mats)}")
        shape = np.array(m.shape)
        org = -(shape - 1) / 2 * sp if origin is None else np.asarray(origin, dtype=float)
        regions = []
        for k in range(1, nlab + 1):
            inside = m == k
            if not inside.any():
                continue
            d_in = ndimage.distance_transform_edt(inside, sampling=sp)
            d_out = ndimage.distance_transform_edt(~inside, sampling=sp)
            field_ = np.where(inside, -(d_in - 0.5 * sp.min()), d_out - 0.5 * sp.min())
            regions.append(Region(_resolve(mats[k - 1]), _voxel_sdf(field_, org, sp),
                                  f"label {k}"))
        lo = org - sp / 2
        hi = org + (shape - 0.5) * sp
        _init(self, regions, medium, temperature, (tuple(lo), tuple(hi)),
              (False, False, False), float(sp.min()) * 4)
        ro = m.copy()
        ro.setflags(write=False)
        object.__setattr__(self, "mask", ro)
        object.__setattr__(self, "spacing_nm", tuple(sp))


def _voxel_sdf(field_, origin, spacing):
    from scipy import ndimage

    def f(x, y, z):
        x, y, z = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, y, z)))
        coords = np.stack([((v - o) / s).ravel() for v, o, s in
                           zip((x, y, z), origin, spacing, strict=True)])
        vals = ndimage.map_coordinates(field_, coords, order=1, mode="nearest")
        # Outside the mask box add the distance to the box so the medium stays outside.
        out = np.zeros(coords.shape[1])
        for ax in range(3):
            lim = field_.shape[ax] - 1
            excess = np.maximum(-coords[ax], 0) + np.maximum(coords[ax] - lim, 0)
            out += (excess * spacing[ax]) ** 2
        vals = vals + np.sqrt(out)
        return vals.reshape(x.shape)

    return f
