"""Non-spherical nanocrystals described by signed-distance functions (SDFs).

Modules: ``sdf`` (primitives), ``base`` (:class:`Region`, :class:`Shape`,
:func:`as_shape`), ``rod``, ``platelet``, ``cube``, ``tetrapod``, ``dimer``,
``custom`` (:class:`SDFShape`, :class:`VoxelShape`).

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

from qdlab.structures.shapes.base import Region, Shape, SphericalShape, as_shape
from qdlab.structures.shapes.cube import Cube
from qdlab.structures.shapes.custom import SDFShape, VoxelShape
from qdlab.structures.shapes.dimer import Dimer
from qdlab.structures.shapes.platelet import Platelet, platelet_thickness_nm
from qdlab.structures.shapes.rod import DotInRod, Rod
from qdlab.structures.shapes.sdf import (
    SDF,
    sdf_box,
    sdf_capsule,
    sdf_cylinder,
    sdf_sphere,
    sdf_translate,
    sdf_union,
)
from qdlab.structures.shapes.tetrapod import TETRAHEDRAL_DIRECTIONS, Tetrapod

__all__ = [
    "SDF",
    "TETRAHEDRAL_DIRECTIONS",
    "Cube",
    "Dimer",
    "DotInRod",
    "Platelet",
    "Region",
    "Rod",
    "SDFShape",
    "Shape",
    "SphericalShape",
    "Tetrapod",
    "VoxelShape",
    "as_shape",
    "platelet_thickness_nm",
    "sdf_box",
    "sdf_capsule",
    "sdf_cylinder",
    "sdf_sphere",
    "sdf_translate",
    "sdf_union",
]
