"""Old module paths of :mod:`qdlab.electronic`, kept working after the package split.

``import qdlab.electronic.coulomb`` (or ``from qdlab.electronic.coulomb import ...``)
returns the module at its new home, :mod:`qdlab.electronic.sphere.coulomb`: the same
module object, so every name (and monkeypatching) works as before.  Nothing is
imported until an old path is used.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

#: Old module path -> new module path.
MOVED_MODULES = {
    "qdlab.electronic.radial": "qdlab.electronic.sphere.radial",
    "qdlab.electronic.exciton": "qdlab.electronic.sphere.exciton",
    "qdlab.electronic.coulomb": "qdlab.electronic.sphere.coulomb",
    "qdlab.electronic.holes": "qdlab.electronic.sphere.holes",
    "qdlab.electronic.alignment": "qdlab.electronic.sphere.alignment",
    "qdlab.electronic.platelets": "qdlab.electronic.anisotropy.platelets",
    "qdlab.electronic.polarisation": "qdlab.electronic.anisotropy.polarisation",
    "qdlab.electronic.dimers": "qdlab.electronic.anisotropy.dimers",
    "qdlab.electronic.grid_coulomb": "qdlab.electronic.grid.coulomb",
    "qdlab.electronic.shape_states": "qdlab.electronic.grid.shape_states",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old module path and loads it as the module at its new path."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in MOVED_MODULES:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def __init__(self):
        self._specs = {}

    def create_module(self, spec):
        module = importlib.import_module(MOVED_MODULES[spec.name])
        self._specs[module.__name__] = module.__spec__
        return module

    def exec_module(self, module):
        """Nothing to run: only give the module back its own ``__spec__``."""
        module.__spec__ = self._specs.get(module.__name__, module.__spec__)


def install() -> None:
    """Put the old-path finder on :data:`sys.meta_path` (once)."""
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.append(_Alias())
