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

from qdlab.errors import QdlabInputError, QdlabValidityWarning

# The public names below resolve on first use (PEP 562): ``import qdlab`` stays light, so
# the command line starts fast; ``qdlab.solve``, ``from qdlab import Sphere`` work as before.
_LAZY = {
    "CoreShell": "qdlab.structures",
    "Medium": "qdlab.structures",
    "Sphere": "qdlab.structures",
    "alloy": "qdlab.materials",
    "get_material": "qdlab.materials",
    "list_materials": "qdlab.materials",
    "solve": "qdlab.electronic",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'qdlab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
