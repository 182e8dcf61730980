"""Rods (cylinders with hemispherical caps) and dot-in-rods (a spherical core in a rod)."""

from __future__ import annotations

from dataclasses import dataclass

from qdlab.errors import QdlabInputError, check_positive, warn_validity
from qdlab.structures.medium import Medium
from qdlab.structures.shapes.base import Region, Shape, _init, _name, _small
from qdlab.structures.shapes.sdf import (
    sdf_capsule,
    sdf_sphere,
)
from qdlab.structures.spheres import resolve_material


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
        mat = resolve_material(material)
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
        regions = [Region(resolve_material(core_material), sdf_sphere(rc, (0, 0, zc)), "core"),
                   Region(resolve_material(rod_material),
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
