"""Cubes (e.g. perovskite nanocubes)."""

from __future__ import annotations

from dataclasses import dataclass

from qdlab.errors import check_positive
from qdlab.structures.medium import Medium
from qdlab.structures.shapes.base import Region, Shape, _init, _name, _small
from qdlab.structures.shapes.sdf import (
    sdf_box,
)
from qdlab.structures.spheres import resolve_material


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
        mat = resolve_material(material)
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
