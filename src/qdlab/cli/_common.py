"""Shared CLI plumbing: one-line errors with exit status 2, warnings, JSON output."""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import typer
from rich.console import Console

from qdlab.errors import QdlabInputError

console = Console()
err_console = Console(stderr=True)


def Table(*args, **kwargs):  # noqa: N802  (stands in for the class)
    """A :class:`rich.table.Table`; rich.table is imported only by commands that print one."""
    from rich.table import Table as _Table

    return _Table(*args, **kwargs)


def fail(message: str) -> None:
    """Print ``error: message`` as one line on stderr and exit with status 2."""
    err_console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def _clean(obj):
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _clean(obj.tolist())
    if isinstance(obj, np.generic):
        return _clean(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def print_json(obj) -> None:
    """Print ``obj`` as JSON on stdout (NaN/inf become null)."""
    sys.stdout.write(json.dumps(_clean(obj), indent=2) + "\n")


def handle_errors(func):
    """Turn qdlab input errors into one line + exit 2, and show warnings on stderr."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = func(*args, **kwargs)
            except QdlabInputError as exc:
                fail(str(exc))
            except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
                fail(f"{exc.strerror}: {exc.filename}")
            finally:
                seen = set()
                for w in caught:
                    msg = str(w.message)
                    if msg not in seen and issubclass(w.category, UserWarning):
                        seen.add(msg)
                        err_console.print(f"warning: {msg}", markup=False, highlight=False,
                                          soft_wrap=True)
        return result

    return wrapper


def wavelength_hex(wavelength_nm: float, fwhm_nm: float = 30.0) -> str | None:
    """sRGB hex colour of a Gaussian emission line (for swatches); None outside 380-780 nm."""
    from qdlab.optics.colour import emission_srgb_hex, gaussian_line

    if not 380.0 <= wavelength_nm <= 780.0:
        return None
    return emission_srgb_hex(*gaussian_line(wavelength_nm, fwhm_nm))


def swatch(hex_colour: str | None, width: int = 6) -> str:
    """A block of colour for rich, or a word for light outside the visible range."""
    if hex_colour is None:
        return "(not visible)"
    return f"[on {hex_colour}]{' ' * width}[/]"


@contextlib.contextmanager
def atomic_output(path):
    """Yield a temporary path next to ``path``; rename it to ``path`` only on success.

    Nothing partial is left behind: on an error the temporary file is removed.
    """
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def save_figure(fig, path, dpi: int = 120) -> None:
    """Save a matplotlib figure as PNG atomically and close it."""
    import matplotlib.pyplot as plt

    try:
        with atomic_output(path) as tmp:
            fig.savefig(tmp, dpi=dpi, format="png")
    finally:
        plt.close(fig)


def print_summary(summary: dict) -> None:
    """Print a flat dict as aligned ``key value`` lines."""
    width = max(len(k) for k in summary) + 2
    for k, v in summary.items():
        console.print(f"{k:{width}s} {v:.4g}" if isinstance(v, float) else f"{k:{width}s} {v}")
