"""Shared helpers of the time-tag readers and writers: size limit, raw loading, the
ground-truth JSON, atomic writes, and the vectorised overflow (wrap-around) arithmetic.

Limits: a reader refuses a file larger than :data:`MAX_FILE_BYTES` (1 GiB, about 2.7e8
32-bit records, which decode to ~3.5 GB of arrays) before reading it; pass ``max_bytes``
to a reader to change it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from qdlab.errors import QdlabInputError

#: Largest time-tag file a reader accepts by default, bytes (1 GiB).
MAX_FILE_BYTES = 1 << 30

#: Key of :attr:`PhotonStream.metadata` that holds the simulator's ground truth (a JSON-able dict).
GROUND_TRUTH_KEY = "ground_truth"


def input_error(path: str | Path, problem: str) -> QdlabInputError:
    """A :class:`QdlabInputError` naming the file and the problem."""
    return QdlabInputError(f"time-tag file {Path(path).name!r}: {problem}")


def read_bytes(path: str | Path, max_bytes: int | None = None) -> bytes:
    """Read a whole file after checking that it exists and is not larger than ``max_bytes``."""
    p = Path(path)
    limit = MAX_FILE_BYTES if max_bytes is None else int(max_bytes)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise QdlabInputError(f"time-tag file {str(p)!r} cannot be read: {exc.strerror}") from None
    if size > limit:
        raise input_error(p, f"size {size} bytes exceeds the limit of {limit} bytes "
                             f"(pass max_bytes to read larger files)")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise QdlabInputError(f"time-tag file {str(p)!r} cannot be read: {exc.strerror}") from None


def build_stream(path: str | Path, **fields: Any):
    """A :class:`~qdlab.io.timetags.PhotonStream` from decoded arrays; if they are not a valid
    stream (e.g. times that go backwards in a corrupt file) the error names the file."""
    from qdlab.io.timetags import PhotonStream

    try:
        return PhotonStream(**fields)
    except QdlabInputError as exc:
        raise input_error(path, f"decodes to an invalid photon stream ({exc}); the file is corrupt") from None


def ground_truth_json(metadata: dict[str, Any]) -> str | None:
    """The ground truth of ``metadata`` as a JSON string, or None if there is none."""
    truth = metadata.get(GROUND_TRUTH_KEY)
    if truth is None:
        return None
    if not isinstance(truth, dict):
        raise QdlabInputError(
            f"metadata['{GROUND_TRUTH_KEY}'] must be a JSON-able dict, got {type(truth).__name__}")
    try:
        return json.dumps(truth, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise QdlabInputError(
            f"metadata['{GROUND_TRUTH_KEY}'] must be a JSON-able dict of finite numbers, "
            f"strings, lists and dicts: {exc}") from None


def parse_ground_truth(path: str | Path, text: str) -> dict[str, Any]:
    """Decode a stored ground-truth JSON string."""
    try:
        truth = json.loads(text)
    except ValueError as exc:
        raise input_error(path, f"the stored ground truth is not valid JSON ({exc})") from None
    if not isinstance(truth, dict):
        raise input_error(path, "the stored ground truth is not a JSON object")
    return truth


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then move it into place.

    No partial file is left at ``path`` (nor a temporary file) if ``write`` raises.
    """
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise QdlabInputError(f"output folder {str(parent)!r} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".part", dir=parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp_path, 0o666 & ~mask)  # mkstemp creates 0600; give the usual mode
        os.replace(tmp_path, p)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return p


def unwrap(increments: np.ndarray, low: np.ndarray) -> np.ndarray:
    """Absolute times from per-record overflow increments and the low (in-record) time field.

    ``macro[i] = sum(increments[:i+1]) + low[i]`` in int64: an overflow record carries its
    increment (and ``low = 0``), an event record an increment of 0.
    """
    return np.cumsum(increments, dtype=np.int64) + low.astype(np.int64)


def overflow_layout(macrotime: np.ndarray, wrap: int, max_count: int) -> tuple[np.ndarray, np.ndarray,
                                                                                np.ndarray]:
    """Where to put overflow records when writing a stream with a ``wrap``-tick time field.

    Parameters
    ----------
    macrotime : numpy.ndarray of int
        Non-decreasing absolute times, ticks.
    wrap : int
        Period of the record's time field, ticks (2**25 for HydraHarp V2 T2, 1024 for T3).
    max_count : int
        Largest number of wraps one overflow record can carry.

    Returns
    -------
    event_index : numpy.ndarray of int64
        Position of each event among all records.
    overflow_index : numpy.ndarray of int64
        Position of each overflow record.
    overflow_count : numpy.ndarray of int64
        Number of wraps carried by each overflow record (1 .. max_count).

    Notes
    -----
    Event ``i`` lies in wrap period ``w_i = macrotime_i // wrap``; between events ``i-1`` and
    ``i`` (``w_{-1} = 0``) come ``ceil((w_i - w_{i-1}) / max_count)`` overflow records that
    together carry ``w_i - w_{i-1}`` wraps: all carry ``max_count`` but the last, which
    carries the rest.
    """
    mt = np.asarray(macrotime, dtype=np.int64)
    w = mt // wrap
    dw = np.diff(w, prepend=np.int64(0))
    n_ovf = -(-dw // max_count)  # ceil
    total = int(n_ovf.sum())
    before = np.cumsum(n_ovf)  # overflow records up to and including event i's group
    event_index = np.arange(mt.size, dtype=np.int64) + before
    is_event = np.zeros(mt.size + total, dtype=bool)
    is_event[event_index] = True
    overflow_index = np.flatnonzero(~is_event)
    counts = np.full(total, max_count, dtype=np.int64)
    if total:
        has = n_ovf > 0
        last = before[has] - 1  # index (among overflow records) of each group's last record
        counts[last] = dw[has] - (n_ovf[has] - 1) * max_count
    return event_index, overflow_index, counts
