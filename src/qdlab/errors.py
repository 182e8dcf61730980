"""Exceptions, warnings and input checks shared by every model (public: ``qdlab.errors``).

Each check raises :class:`QdlabInputError` (a :class:`ValueError`) whose message
names the parameter, the allowed range and the value received, so that the CLI
can print it as one line and the web API can return it as a 4xx message.

Examples
--------
>>> check_positive(4.0, "diameter", "nm")
4.0
>>> check_positive(-1, "diameter", "nm")
Traceback (most recent call last):
...
qdlab.errors.QdlabInputError: diameter must be > 0 nm, got -1
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Iterable

import numpy as np


class QdlabInputError(ValueError):
    """Invalid input to a qdlab model; the message names the parameter and its range."""


class QdlabValidityWarning(UserWarning):
    """A model is used outside the range in which it is known to be valid."""


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _as_float_array(value, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise QdlabInputError(f"{name} must be a number, got {value!r}") from None
    return arr


def check_finite(value, name: str, unit: str = ""):
    """Return ``value`` if every element is finite, else raise naming ``name``."""
    arr = _as_float_array(value, name)
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].flat[0] if arr.ndim else arr
        raise QdlabInputError(f"{name} must be a finite number{(' in ' + unit) if unit else ''}, "
                              f"got {_fmt(float(bad))}")
    return value


def check_positive(value, name: str, unit: str = ""):
    """Return ``value`` if every element is finite and > 0, else raise naming ``name``."""
    arr = _as_float_array(value, name)
    suffix = f" {unit}" if unit else ""
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        bad = arr[~(np.isfinite(arr) & (arr > 0))].flat[0] if arr.ndim else arr
        bad = float(bad)
        shown = _fmt(int(bad)) if math.isfinite(bad) and bad == int(bad) else _fmt(bad)
        raise QdlabInputError(f"{name} must be > 0{suffix}, got {shown}")
    return value


def check_nonnegative(value, name: str, unit: str = ""):
    """Return ``value`` if every element is finite and >= 0, else raise naming ``name``."""
    arr = _as_float_array(value, name)
    suffix = f" {unit}" if unit else ""
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        bad = float(arr[~(np.isfinite(arr) & (arr >= 0))].flat[0] if arr.ndim else arr)
        raise QdlabInputError(f"{name} must be >= 0{suffix}, got {_fmt(bad)}")
    return value


def check_range(value, name: str, low: float, high: float, unit: str = "",
                inclusive: bool = True):
    """Return ``value`` if every element lies in [low, high] (or (low, high))."""
    arr = _as_float_array(value, name)
    suffix = f" {unit}" if unit else ""
    if inclusive:
        ok = np.isfinite(arr) & (arr >= low) & (arr <= high)
        rng = f"in [{_fmt(low)}, {_fmt(high)}]"
    else:
        ok = np.isfinite(arr) & (arr > low) & (arr < high)
        rng = f"in ({_fmt(low)}, {_fmt(high)})"
    if not np.all(ok):
        bad = float(arr[~ok].flat[0] if arr.ndim else arr)
        raise QdlabInputError(f"{name} must be {rng}{suffix}, got {_fmt(bad)}")
    return value


def unknown_name_error(kind: str, name: str, known: Iterable[str]) -> QdlabInputError:
    """An error for an unknown name that suggests the closest known names."""
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    if not close:
        close = [k for k in known if k.lower() == name.lower()]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    listing = ", ".join(known) if len(known) <= 12 else f"{len(known)} known names"
    return QdlabInputError(f"unknown {kind} {name!r}{hint} ({listing})")


def warn_validity(message: str, stacklevel: int = 3) -> None:
    """Warn that a model is used outside its range of validity."""
    warnings.warn(message, QdlabValidityWarning, stacklevel=stacklevel)
