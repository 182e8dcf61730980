"""Running library calls from request handlers: limits, timeouts, warnings, errors.

No physics here.  Every library call made by :mod:`qdlab.web.app` goes through
:func:`run_bounded`, which

* runs the call in a worker thread (the event loop stays responsive),
* limits how many calls run at once (a semaphore; a request that cannot get a
  slot within its timeout gets 503),
* gives up waiting after a per-request timeout (504 with a message; the thread
  itself cannot be killed, so every endpoint also refuses work whose estimated
  cost exceeds a budget *before* it starts: see :mod:`qdlab.web.models`),
* collects the library's warnings (``UserWarning`` subclasses such as
  :class:`qdlab.QdlabValidityWarning`) into the response, thread-safely,
* turns :class:`qdlab.QdlabInputError` into 422 with the library's message.

It also holds :func:`mid_plane_slice`, which cuts a small, downsampled
``|psi|^2`` map out of 3D grid states for the explorer's heat maps, and
:func:`grid_budget`, which counts the grid cells a 3D solve will use before it
starts (bookkeeping only: the grid itself is laid out by the library's
``qdlab.electronic.grid`` helpers).
"""

from __future__ import annotations

import asyncio
import functools
import math
import threading
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool

from qdlab import QdlabInputError

__all__ = ["ApiError", "collect_warnings", "grid_budget",
           "mid_plane_slice", "run_bounded"]


class ApiError(HTTPException):
    """An HTTP error whose ``detail`` is always a one-line message."""

    def __init__(self, status_code: int, message: str):
        super().__init__(status_code=status_code, detail=message)


# --------------------------------------------------------------------- warnings
# ``warnings.catch_warnings`` swaps process-global state and is not safe when
# several requests run at once.  Instead one dispatcher is installed as
# ``warnings.showwarning``; each worker thread registers its own list in a
# thread-local, and warnings raised in that thread go there.  Everything else
# (other threads, pytest's recorder) is passed on unchanged.
_local = threading.local()
_hook_lock = threading.Lock()
_previous_showwarning = None


def _dispatch(message, category, filename, lineno, file=None, line=None):
    sink = getattr(_local, "sink", None)
    if sink is not None:
        text = str(message)
        if text not in sink:
            sink.append(text)
        return None
    prev = _previous_showwarning or warnings._showwarning_orig  # type: ignore[attr-defined]
    return prev(message, category, filename, lineno, file, line)


def _ensure_hook() -> None:
    global _previous_showwarning
    with _hook_lock:
        if warnings.showwarning is not _dispatch:
            _previous_showwarning = warnings.showwarning
            warnings.showwarning = _dispatch
        # without "always", Python shows a warning only once per code location,
        # so the second request with the same problem would get no warning
        if not any(f[0] == "always" and f[1] is None and f[2] is UserWarning and f[3] is None
                   for f in warnings.filters):
            warnings.filterwarnings("always", category=UserWarning)


def collect_warnings(func: Callable[..., Any], *args, **kwargs) -> tuple[Any, list[str]]:
    """Call ``func`` and return ``(result, warnings)`` (messages of UserWarnings raised)."""
    _ensure_hook()
    sink: list[str] = []
    _local.sink = sink
    try:
        return func(*args, **kwargs), sink
    finally:
        _local.sink = None


# --------------------------------------------------------------------- limits
class Limiter:
    """At most ``slots`` library calls at once; waiting counts against the timeout."""

    def __init__(self, slots: int):
        self.slots = int(slots)
        self._sem: asyncio.Semaphore | None = None
        self._loop = None

    def semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._sem is None or self._loop is not loop:   # one per event loop (tests)
            self._sem = asyncio.Semaphore(self.slots)
            self._loop = loop
        return self._sem


async def run_bounded(limiter: Limiter, timeout_s: float, func: Callable[..., Any], *args,
                      **kwargs) -> tuple[Any, list[str]]:
    """Run a library call in a worker thread with a slot limit and a timeout.

    Returns ``(result, warnings)``.  Raises :class:`ApiError` 422 for bad input
    (the library's message), 503 when no slot frees up in time, 504 on timeout.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    sem = limiter.semaphore()
    try:
        await asyncio.wait_for(sem.acquire(), timeout=timeout_s)
    except TimeoutError:
        raise ApiError(503, f"server busy: no computation slot free within {timeout_s:g} s; "
                            "retry later") from None
    task = asyncio.ensure_future(run_in_threadpool(
        functools.partial(collect_warnings, func, *args, **kwargs)))
    handed_off = False
    try:
        remaining = max(deadline - loop.time(), 0.001)
        return await asyncio.wait_for(asyncio.shield(task), timeout=remaining)
    except TimeoutError:
        # the thread cannot be interrupted: its slot is freed when it really ends
        handed_off = True
        task.add_done_callback(_release_when_done(sem))
        raise ApiError(504, f"computation took longer than the {timeout_s:g} s limit of this "
                            "request; ask for less (fewer points, smaller sizes)") from None
    except QdlabInputError as exc:
        raise ApiError(422, str(exc)) from None
    finally:
        if not handed_off:
            sem.release()


def _release_when_done(sem: asyncio.Semaphore):
    def done(task):
        if not task.cancelled():
            task.exception()  # retrieve it so asyncio does not log "never retrieved"
        sem.release()
    return done


# --------------------------------------------------------------------- wavefunction maps
def _block_mean(a: np.ndarray, axis: int, most: int) -> tuple[np.ndarray, np.ndarray]:
    """Average ``a`` over at most ``most`` contiguous, nearly equal blocks along ``axis``.

    Returns ``(averaged, starts)``; ``starts`` are the first index of each block.
    """
    n = a.shape[axis]
    m = min(n, most)
    starts = np.unique(np.linspace(0, n, m + 1).astype(int)[:-1])
    counts = np.diff(np.append(starts, n))
    sums = np.add.reduceat(a, starts, axis=axis)
    shape = [1] * a.ndim
    shape[axis] = len(counts)
    return sums / counts.reshape(shape), starts


def _block_coords(c: np.ndarray, most: int) -> np.ndarray:
    return _block_mean(np.asarray(c, dtype=float), 0, most)[0]


def mid_plane_slice(electrons, holes, max_side: int = 64, plane: str = "y=0") -> dict:
    """``|psi|^2`` of the lowest electron and hole state on a plane through z, downsampled.

    Parameters
    ----------
    electrons, holes : qdlab.electronic.grid.GridStates
        States of the same structure on the same grid (``x_nm``, ``y_nm``,
        ``z_nm`` in nm, ``wavefunctions`` in nm^-3/2, ``region_index``).
    max_side : int
        Most cells along each side of the returned maps (block averages).
    plane : {"y=0", "x=y"}
        The plane y = 0, or the diagonal plane x = y (holds two arms of a
        tetrapod; needs equal x and y grid coordinates).

    Returns
    -------
    dict
        ``x_nm`` (rows) and ``z_nm`` (columns): cell-centre coordinates, nm; the
        row coordinate is x on the plane y = 0 and the signed distance from the
        z axis along [110], ``sqrt(2) x``, on the plane x = y (``rows`` says which);
        ``electron_density`` / ``hole_density``: ``|psi|^2`` on the plane divided
        by its largest value (0..1, 3 decimals), rows over x, columns over z;
        ``electron_peak_nm-3`` / ``hole_peak_nm-3``: those largest values, nm^-3;
        ``inside``: 1 where the cell lies mostly inside the particle, else 0.

    Notes
    -----
    The plane y = 0 is the grid plane nearest y = 0; when two planes are equally
    near (a grid symmetric about 0 with no node on it), their mean is used.  The
    plane x = y is the diagonal of the grid (nodes with ``x_i = y_i``, exact,
    no interpolation).  The map is a block average of the grid values, so its
    peak is at most the true peak density of the plane.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> c = np.linspace(-1.0, 1.0, 5)
    >>> psi = np.exp(-(c[:, None, None] ** 2 + c[None, :, None] ** 2 + c[None, None, :] ** 2))
    >>> st = NS(x_nm=c, y_nm=c, z_nm=c, wavefunctions=psi[None], region_index=np.zeros((5, 5, 5)),
    ...         structure=NS(regions=[0]))
    >>> s = mid_plane_slice(st, st, max_side=3)
    >>> s["electron_density"].shape, float(s["electron_density"].max()), int(s["inside"].min())
    ((3, 3), 1.0, 1)
    >>> d = mid_plane_slice(st, st, plane="x=y")
    >>> d["plane"], round(float(d["x_nm"][-1]), 4)
    ('x = y', 1.4142)
    """
    x, y, z = (np.asarray(c, dtype=float) for c in (electrons.x_nm, electrons.y_nm,
                                                     electrons.z_nm))
    if np.shape(holes.wavefunctions)[1:] != np.shape(electrons.wavefunctions)[1:]:
        raise ValueError("electron and hole states are not on the same grid")
    if plane == "x=y":
        if x.shape != y.shape or not np.allclose(x, y, rtol=0.0, atol=1e-9):
            raise ValueError("the plane x = y needs equal x and y grid coordinates")
        idx = np.arange(len(x))

        def cut(a):   # (nx, ny, nz) -> (n, nz) on the diagonal x_i = y_i
            return np.asarray(a)[idx, idx, :]

        rows, name, label = np.sqrt(2.0) * x, "x = y", "distance from the z axis along [110]"
    elif plane == "y=0":
        order = np.argsort(np.abs(y), kind="stable")
        planes = [int(order[0])]
        if len(y) > 1 and abs(abs(y[order[1]]) - abs(y[order[0]])) < 1e-9 * max(1.0, abs(y[0])):
            planes.append(int(order[1]))

        def cut(a):
            return np.mean([np.asarray(a)[:, j, :] for j in planes], axis=0)

        rows, name, label = x, f"y = {float(np.mean(y[planes])):.3g} nm", "x"
    else:
        raise ValueError(f"plane must be 'y=0' or 'x=y', got {plane!r}")
    out: dict = {"plane": name, "rows": label, "columns": "z",
                 "x_nm": np.round(_block_coords(rows, max_side), 4),
                 "z_nm": np.round(_block_coords(z, max_side), 4)}
    for carrier, st in (("electron", electrons), ("hole", holes)):
        dens = cut(np.asarray(st.wavefunctions[0]) ** 2)
        dens = _block_mean(_block_mean(dens, 0, max_side)[0], 1, max_side)[0]
        peak = float(dens.max())
        out[f"{carrier}_peak_nm-3"] = peak
        out[f"{carrier}_density"] = np.round(dens / peak, 3) if peak > 0 else dens
    n_regions = len(electrons.structure.regions)
    inside = cut((np.asarray(electrons.region_index) < n_regions).astype(float))
    inside = _block_mean(_block_mean(inside, 0, max_side)[0], 1, max_side)[0]
    out["inside"] = (inside >= 0.5).astype(int)
    return out


# --------------------------------------------------------------------- grid budget
def grid_budget(shape, resolution_nm: float | None, max_cells: int,
                max_resolution_nm: float = 1.0) -> dict:
    """Grid cells a levels report of ``shape`` will use, checked against ``max_cells``.

    Parameters
    ----------
    shape : qdlab.structures.shapes.Shape
        Any shape solved on the 3D grid (a :class:`~qdlab.structures.shapes.Dimer`
        also solves its partner ``a`` alone and the dimer again for the splitting).
    resolution_nm : float or None
        Requested spacing, nm; None: the library's defaults.
    max_cells : int
        Budget: most cells allowed in the largest grid.
    max_resolution_nm : float
        Coarsest spacing that may be suggested, nm.

    Returns
    -------
    dict
        ``spacing_nm``: spacing of the largest grid, nm; ``cells``: its cell count;
        ``allowed_cells``; ``fits`` (bool); ``min_feature_nm``: the shape's smallest
        length (nm), from which the library sets its default spacing;
        ``default_spacing_nm``: the library's
        default spacing for this shape, nm; ``default_cells``: the cells it needs;
        ``suggested_resolution_nm``: the finest spacing (0.01 nm steps, nm) at which
        every grid fits (the spacing itself when it fits, None when even
        ``max_resolution_nm`` does not).

    Notes
    -----
    The cells of one grid solve are those of the finest of its grids: the
    solver's Richardson step adds a grid 1.25 times coarser.
    """
    from qdlab.electronic.grid import default_resolution_nm
    from qdlab.electronic.report import largest_report_grid

    cells, spacing = largest_report_grid(shape, resolution_nm)
    h0 = default_resolution_nm(shape)
    default_cells = cells if resolution_nm is None else largest_report_grid(shape)[0]
    fits = cells <= max_cells
    suggested = spacing if fits else None
    if not fits:
        start = max(math.ceil(round(spacing * 100.0, 6)), 1)
        for k in range(start, int(round(max_resolution_nm * 100.0)) + 1):
            if largest_report_grid(shape, k / 100.0)[0] <= max_cells:
                suggested = k / 100.0
                break
    return {"spacing_nm": float(spacing), "cells": int(cells), "allowed_cells": int(max_cells),
            "fits": bool(fits), "min_feature_nm": float(shape.min_feature_nm),
            "default_spacing_nm": float(h0),
            "default_cells": int(default_cells), "suggested_resolution_nm": suggested}
