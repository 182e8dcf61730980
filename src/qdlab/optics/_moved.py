"""Old module paths of :mod:`qdlab.optics`, kept working after a module moved out.

The fit of measured spectra is the inverse problem and lives in :mod:`qdlab.sizing.fit`
(issue 11: optics is the forward model and imports nothing from sizing).  The documented
path ``qdlab.optics.fit`` still works: ``import qdlab.optics.fit`` returns the module
:mod:`qdlab.sizing.fit` itself (the same object, so every name and monkeypatching works),
through a finder on :data:`sys.meta_path`.  The finder imports the new module only when
the old path is used, by name at run time, so optics keeps no static import of sizing.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

#: Old module path -> new module path.
MOVED_MODULES = {
    "qdlab.optics.fit": "qdlab.sizing.fit",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old module path and loads it as the module at its new path."""

    def __init__(self):
        self._specs = {}

    def find_spec(self, fullname, path=None, target=None):
        if fullname in MOVED_MODULES:
            return importlib.util.spec_from_loader(fullname, self)
        return None

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
