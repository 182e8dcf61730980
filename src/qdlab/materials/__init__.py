"""Bulk material parameters of quantum-dot semiconductors, every number with its source.

The database (TOML files in ``qdlab/materials/data``) holds one record per
material and phase: Varshni (or linear) band gap, electron and hole effective
masses, Luttinger and Kane parameters, spin-orbit splitting, static and
high-frequency dielectric constants, electron affinity (absolute band edges on
the vacuum scale, for band offsets), lattice constants, density, molar mass
and elements.  Each record is validated with pydantic when it is loaded; a bad
record raises :class:`~qdlab.errors.QdlabInputError` naming the file, the
material and the field.  Exciton Bohr radius and Rydberg, reduced mass, molar
volume and RoHS status are computed, not stored.

Examples
--------
>>> from qdlab.materials import get_material, alloy, RoHS_ELEMENTS
>>> cdse = get_material("CdSe")
>>> cdse.key, cdse.crystal_structure, cdse.elements
('CdSe-wz', 'wurtzite', ('Cd', 'Se'))
>>> cdse.rohs_restricted_elements
('Cd',)
>>> get_material("InP").rohs_restricted_elements
()
>>> zns = get_material("ZnS")
>>> zns.conduction_band_edge() > cdse.conduction_band_edge()   # type I: CdSe/ZnS
True
>>> zns.valence_band_edge() < cdse.valence_band_edge()
True
"""

from qdlab.materials._alloys import alloy
from qdlab.materials._database import (
    Bibliography,
    bibliography,
    bowing_parameter,
    get_material,
    list_materials,
    load_material_file,
)
from qdlab.materials._material import Material, RoHS_ELEMENTS

__all__ = [
    "Bibliography",
    "Material",
    "RoHS_ELEMENTS",
    "alloy",
    "bibliography",
    "bowing_parameter",
    "get_material",
    "list_materials",
    "load_material_file",
]
