"""Immutable descriptions of nanocrystals: geometry, layers of materials, medium.

A structure holds no solver state; solvers in :mod:`qdlab.electronic` turn it
into states.
"""

from qdlab.structures.medium import ORGANIC_LIGANDS, VACUUM, Medium
from qdlab.structures.spheres import CoreShell, Layer, Sphere, SphericalStructure, parse_layers

#: Shapes of :mod:`qdlab.structures.shapes`, loaded on first access (PEP 562).
_SHAPES = ("Cube", "Dimer", "DotInRod", "Platelet", "Rod", "SDFShape", "Shape", "Tetrapod",
           "VoxelShape", "as_shape")


def __getattr__(name):
    if name in _SHAPES:
        from qdlab.structures import shapes

        value = getattr(shapes, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_SHAPES))


__all__ = [
    *_SHAPES,
    "ORGANIC_LIGANDS",
    "VACUUM",
    "CoreShell",
    "Layer",
    "Medium",
    "Sphere",
    "SphericalStructure",
    "parse_layers",
]
