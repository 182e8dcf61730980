"""Spherical and modified Bessel functions without scipy's import and dispatch overhead.

``scipy.special.spherical_jn`` / ``spherical_yn`` (scipy >= 1.15) route every call through
an array-API ``apply_where`` (negative-argument reflection), ~0.1 ms per call; the radial
shooting solver calls them hundreds of times per structure.  For real arguments >= 0 the
result is the value of the same compiled ufunc (``scipy.special._ufuncs._spherical_jn``
etc.), called here directly, bit for bit; any other input (negative or complex arguments,
or a scipy without these ufuncs) goes to the public scipy function.

``ive``, ``kve``, ``iv`` and ``kv`` are the compiled ufuncs themselves (the very objects
``scipy.special`` exports).  Every other name is ``scipy.special``'s own (``from
qdlab._special import gamma`` is ``scipy.special.gamma``).

Start-up: ``import scipy.special`` costs ~0.3 s (its ``__init__`` wraps hundreds of
functions for the array API), ~20 times the compiled ufunc module alone.  The ufuncs are
therefore loaded on first use, through a temporary stand-in for the ``scipy.special``
package (see :func:`_load_ufuncs`), so that ``qdlab levels`` never pays for the rest.  A
later ``import scipy.special`` runs its ``__init__`` as usual and finds the same ufunc
module; the functions and values are identical either way.

References
----------
DLMF 10.47, https://dlmf.nist.gov/10.47 (definitions and reflection formulas).
"""

from __future__ import annotations

import numpy as np

__all__ = ["spherical_jn", "spherical_yn"]

#: Names served straight from ``scipy.special._ufuncs`` (identical objects in scipy.special).
_UFUNC_NAMES = ("ive", "iv", "kve", "kv")
_ufuncs = None
#: (public name, derivative) -> the compiled ufunc behind it (None: use the public function).
_FAST: dict = {}


def _import_ufuncs_alone():
    """``scipy.special._ufuncs`` without running ``scipy/special/__init__.py``.

    Importing a submodule imports its package first; here a bare module object with the
    package's ``__path__`` stands in for ``scipy.special`` while the compiled extension
    (and the extensions it needs) load, under the import lock so that no other thread can
    see the stand-in, which is removed afterwards.
    """
    import _imp
    import importlib
    import os
    import sys
    import types

    import scipy

    _imp.acquire_lock()
    try:
        if "scipy.special" in sys.modules:     # imported meanwhile: the ordinary way
            return importlib.import_module("scipy.special._ufuncs")
        stand_in = types.ModuleType("scipy.special")
        stand_in.__path__ = [os.path.join(os.path.dirname(scipy.__file__), "special")]
        stand_in.__package__ = "scipy.special"
        sys.modules["scipy.special"] = stand_in
        try:
            return importlib.import_module("scipy.special._ufuncs")
        finally:
            if sys.modules.get("scipy.special") is stand_in:
                del sys.modules["scipy.special"]
    finally:
        _imp.release_lock()


def _load_ufuncs():
    """The compiled ``scipy.special._ufuncs`` module, imported once on first use."""
    global _ufuncs
    if _ufuncs is None:
        import sys

        if "scipy.special" in sys.modules:
            from scipy.special import _ufuncs as mod
        else:
            try:
                mod = _import_ufuncs_alone()
            except Exception:  # pragma: no cover - another scipy layout: the ordinary way
                from scipy.special import _ufuncs as mod
        for name in ("spherical_jn", "spherical_yn"):
            for derivative in (False, True):
                _FAST[name, derivative] = getattr(mod, f"_{name}{'_d' if derivative else ''}",
                                                  None)
        _ufuncs = mod
    return _ufuncs


def _public(name):
    import scipy.special

    return getattr(scipy.special, name)


def _fast(name, derivative, n, z):
    if _ufuncs is None:
        _load_ufuncs()
    ufunc = _FAST[name, derivative]
    if ufunc is not None:
        if type(z) is float and z >= 0.0:   # the shooting's scalar calls: no array detour
            return ufunc(n, z)
        za = np.asarray(z)
        if za.dtype.kind in "fiu" and not np.any(za < 0):
            return ufunc(n, za)[()]
    return _public(name)(n, z, derivative=derivative)


def spherical_jn(n, z, derivative=False):
    """Spherical Bessel function j_n(z) or its derivative (as ``scipy.special``)."""
    return _fast("spherical_jn", derivative, n, z)


def spherical_yn(n, z, derivative=False):
    """Spherical Bessel function y_n(z) or its derivative (as ``scipy.special``)."""
    return _fast("spherical_yn", derivative, n, z)


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name in _UFUNC_NAMES:
        value = getattr(_load_ufuncs(), name)
        globals()[name] = value
        return value
    return _public(name)
