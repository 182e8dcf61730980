"""Tetrapods: a spherical core with four cylindrical arms along the tetrahedral directions."""

from __future__ import annotations

import math
from dataclasses import dataclass

from qdlab.errors import check_positive
from qdlab.structures.medium import Medium
from qdlab.structures.shapes.base import Region, Shape, _init, _name, _small
from qdlab.structures.shapes.sdf import (
    sdf_cylinder,
    sdf_sphere,
    sdf_union,
)
from qdlab.structures.spheres import resolve_material

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
        core = resolve_material(material)
        arm = core if arm_material is None else resolve_material(arm_material)
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
