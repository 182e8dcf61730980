"""Immutable descriptions of nanocrystals: geometry, layers of materials, medium.

A structure holds no solver state; solvers in :mod:`qdlab.electronic` turn it
into states.
"""

from qdlab.structures.medium import ORGANIC_LIGANDS, VACUUM, Medium
from qdlab.structures.spheres import CoreShell, Layer, Sphere, SphericalStructure, parse_layers

__all__ = [
    "ORGANIC_LIGANDS",
    "VACUUM",
    "CoreShell",
    "Layer",
    "Medium",
    "Sphere",
    "SphericalStructure",
    "parse_layers",
]
