"""Spherical Bessel functions without scipy's per-call dispatch overhead.

``scipy.special.spherical_jn`` / ``spherical_yn`` (scipy >= 1.15) route every call through
an array-API ``apply_where`` (negative-argument reflection), ~0.1 ms per call; the radial
shooting solver calls them hundreds of times per structure.  For real arguments >= 0 the
result is the value of the same compiled ufunc (``scipy.special._ufuncs._spherical_jn``
etc.), called here directly, bit for bit; any other input (negative or complex arguments,
or a scipy without these ufuncs) goes to the public scipy function.  Every other name is
``scipy.special``'s own (``from qdlab._special import ive`` is ``scipy.special.ive``).

References
----------
DLMF 10.47, https://dlmf.nist.gov/10.47 (definitions and reflection formulas).
"""

from __future__ import annotations

import numpy as np
import scipy.special as _sp

try:
    from scipy.special._ufuncs import (
        _spherical_jn,
        _spherical_jn_d,
        _spherical_yn,
        _spherical_yn_d,
    )
except ImportError:  # pragma: no cover - other scipy layouts: public functions only
    _spherical_jn = _spherical_jn_d = _spherical_yn = _spherical_yn_d = None

__all__ = ["spherical_jn", "spherical_yn"]


def _fast(ufunc, ufunc_d, public, n, z, derivative):
    if ufunc is not None:
        za = np.asarray(z)
        if za.dtype.kind in "fiu" and not np.any(za < 0):
            return (ufunc_d if derivative else ufunc)(n, za)[()]
    return public(n, z, derivative=derivative)


def spherical_jn(n, z, derivative=False):
    """Spherical Bessel function j_n(z) or its derivative (as ``scipy.special``)."""
    return _fast(_spherical_jn, _spherical_jn_d, _sp.spherical_jn, n, z, derivative)


def spherical_yn(n, z, derivative=False):
    """Spherical Bessel function y_n(z) or its derivative (as ``scipy.special``)."""
    return _fast(_spherical_yn, _spherical_yn_d, _sp.spherical_yn, n, z, derivative)


def __getattr__(name: str):
    return getattr(_sp, name)
