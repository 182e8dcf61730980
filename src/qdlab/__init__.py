"""qdlab: an open laboratory for colloidal quantum dots.

Materials -> structures -> electronic states -> spectra -> sizing, synthesis, devices.
Units throughout: nm, eV, K, s, mol/L.

Examples
--------
>>> import qdlab
>>> states = qdlab.solve(qdlab.Sphere("CdSe", diameter=4.0))
>>> 500 < states.first_exciton_nm < 650
True
"""

from qdlab._validation import QdlabInputError, QdlabValidityWarning
from qdlab.electronic import solve
from qdlab.materials import alloy, get_material, list_materials
from qdlab.structures import CoreShell, Medium, Sphere

__version__ = "0.1.0"

__all__ = [
    "CoreShell",
    "Medium",
    "QdlabInputError",
    "QdlabValidityWarning",
    "Sphere",
    "alloy",
    "get_material",
    "list_materials",
    "solve",
]
