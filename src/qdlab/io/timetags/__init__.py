"""Time-tagged photon streams (TTTR): one container, and readers of instrument files.

A single-emitter experiment (antibunching, blinking, lifetimes) records every detected
photon as a time tag. :class:`PhotonStream` holds such a record the way the hardware
writes it, in integer clock ticks:

- **T2** (time-tagging mode): ``macrotime`` is the detection time in ticks of
  ``macrotime_resolution_s`` (e.g. 1-5 ps); no sync.
- **T3** (pulsed, time-correlated mode): ``macrotime`` counts laser sync pulses
  (``macrotime_resolution_s`` is the sync period) and ``nanotime`` is the delay after the
  last sync in ticks of ``nanotime_resolution_s`` (the TCSPC bin).

The absolute detection time is ``macrotime * macrotime_resolution_s`` (+ ``nanotime *
nanotime_resolution_s`` in T3); :attr:`PhotonStream.times_s` returns it.

:func:`read_timetags` dispatches on the file suffix to one reader module per format
(:data:`READERS`); every reader returns a :class:`PhotonStream` and raises
:class:`~qdlab.errors.QdlabInputError` on a file it cannot read.

Examples
--------
>>> import numpy as np
>>> s = PhotonStream(macrotime=np.array([10, 250, 900]), channel=np.array([0, 1, 0]),
...                  macrotime_resolution_s=1e-12)
>>> s.n_photons, s.mode, s.times_s.tolist()
(3, 'T2', [1e-11, 2.5e-10, 9e-10])
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from qdlab.errors import QdlabInputError

#: The two TTTR recording modes.
MODES = ("T2", "T3")

#: file suffix (lower case) -> ``"module:function"`` of the reader in this package.
#: Reader modules register here when they are added.
READERS: dict[str, str] = {
    ".ptu": "picoquant:read_ptu",
    ".ht3": "picoquant_legacy:read_ht",
    ".ht2": "picoquant_legacy:read_ht",
    ".pt3": "picoquant_legacy:read_pt",
    ".pt2": "picoquant_legacy:read_pt",
    ".t3r": "picoquant_legacy:read_t3r",
    ".spc": "becker_hickl:read_spc",
    ".h5": "photon_hdf5:read_photon_hdf5",
    ".hdf5": "photon_hdf5:read_photon_hdf5",
}

#: file suffix (lower case) -> ``"module:function"`` of the writer in this package.
WRITERS: dict[str, str] = {
    ".ptu": "picoquant:write_ptu",
    ".h5": "photon_hdf5:write_photon_hdf5",
    ".hdf5": "photon_hdf5:write_photon_hdf5",
}


@dataclass(frozen=True, eq=False)
class PhotonStream:
    """Time-tagged photon detections, one entry per photon, in detection order.

    Parameters
    ----------
    macrotime : numpy.ndarray of int
        Detection time (T2) or sync count (T3) in ticks; non-decreasing.
    channel : numpy.ndarray of int
        Detector (routing) channel of each photon, >= 0.
    macrotime_resolution_s : float
        Duration of one macrotime tick, s (T3: the sync period).
    nanotime : numpy.ndarray of int, optional
        T3 only: delay after the last sync pulse, in ticks of ``nanotime_resolution_s``.
    nanotime_resolution_s : float, optional
        T3 only: TCSPC bin width, s.
    sync_period_s : float, optional
        Laser repetition period, s (T3: equals ``macrotime_resolution_s``; T2 pulsed
        data may state it too).
    mode : {"T2", "T3"}
        Recording mode; ``"T3"`` requires ``nanotime`` and ``nanotime_resolution_s``.
    metadata : dict
        Anything else the file or simulator states (instrument, header tags, ...).
    """

    macrotime: np.ndarray
    channel: np.ndarray
    macrotime_resolution_s: float
    nanotime: np.ndarray | None = None
    nanotime_resolution_s: float | None = None
    sync_period_s: float | None = None
    mode: str = "T2"
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        mt = np.asarray(self.macrotime)
        ch = np.asarray(self.channel)
        if mt.ndim != 1 or ch.shape != mt.shape:
            raise QdlabInputError(
                f"macrotime and channel must be 1-D arrays of equal length, got shapes "
                f"{mt.shape} and {ch.shape}")
        if mt.size and not np.issubdtype(mt.dtype, np.integer):
            raise QdlabInputError(f"macrotime must hold integer ticks, got dtype {mt.dtype}")
        if mt.size > 1 and np.any(np.diff(mt) < 0):
            raise QdlabInputError("macrotime must be non-decreasing (photons in detection order)")
        if ch.size and (not np.issubdtype(ch.dtype, np.integer) or ch.min() < 0):
            raise QdlabInputError("channel must hold integers >= 0")
        _positive("macrotime_resolution_s", self.macrotime_resolution_s)
        if self.mode not in MODES:
            raise QdlabInputError(f"mode must be one of {MODES}, got {self.mode!r}")
        if self.sync_period_s is not None:
            _positive("sync_period_s", self.sync_period_s)
        if self.mode == "T3":
            if self.nanotime is None or self.nanotime_resolution_s is None:
                raise QdlabInputError("mode 'T3' needs nanotime and nanotime_resolution_s")
            nt = np.asarray(self.nanotime)
            if nt.shape != mt.shape:
                raise QdlabInputError(
                    f"nanotime must have the shape of macrotime {mt.shape}, got {nt.shape}")
            if nt.size and (not np.issubdtype(nt.dtype, np.integer) or nt.min() < 0):
                raise QdlabInputError("nanotime must hold integer ticks >= 0")
            _positive("nanotime_resolution_s", self.nanotime_resolution_s)
        elif self.nanotime is not None:
            raise QdlabInputError("nanotime is given but mode is 'T2'; use mode='T3'")

    @property
    def n_photons(self) -> int:
        """Number of detected photons."""
        return int(np.asarray(self.macrotime).size)

    @property
    def times_s(self) -> np.ndarray:
        """Absolute detection times, s (float64)."""
        t = np.asarray(self.macrotime, dtype=np.float64) * self.macrotime_resolution_s
        if self.mode == "T3":
            t = t + np.asarray(self.nanotime, dtype=np.float64) * float(self.nanotime_resolution_s)
        return t

    @property
    def duration_s(self) -> float:
        """Time from the first to the last photon, s (0 for fewer than two photons)."""
        if self.n_photons < 2:
            return 0.0
        t = self.times_s
        return float(t[-1] - t[0])

    @property
    def channels(self) -> tuple[int, ...]:
        """The channels that recorded photons, ascending."""
        return tuple(int(c) for c in np.unique(np.asarray(self.channel)))


def _positive(name: str, value: Any) -> None:
    try:
        ok = float(value) > 0 and np.isfinite(float(value))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise QdlabInputError(f"{name} must be a finite number > 0 s, got {value!r}")


def read_timetags(path: str | Path, **options: Any) -> PhotonStream:
    """Read a time-tag file into a :class:`PhotonStream`, choosing the reader by suffix.

    Parameters
    ----------
    path : str or pathlib.Path
        The file. Supported suffixes are the keys of :data:`READERS`.
    **options
        Passed to the reader, e.g. ``max_bytes`` (size limit, bytes; default 1 GiB).

    Returns
    -------
    PhotonStream

    Raises
    ------
    QdlabInputError
        The file does not exist, its suffix has no reader, or the reader refuses it.
    """
    p = Path(path)
    if not p.is_file():
        raise QdlabInputError(f"time-tag file {str(p)!r} does not exist or is not a file")
    suffix = p.suffix.lower()
    if suffix not in READERS:
        known = ", ".join(sorted(READERS)) or "none yet"
        raise QdlabInputError(
            f"no time-tag reader for suffix {suffix or '(none)'!r} of {p.name!r}; "
            f"supported: {known}")
    module, func = READERS[suffix].split(":")
    reader = getattr(importlib.import_module(f"qdlab.io.timetags.{module}"), func)
    _check_options(reader, options, f"the {suffix} reader")
    return reader(p, **options)


def _check_options(func: Any, options: dict[str, Any], what: str) -> None:
    allowed = [n for n in inspect.signature(func).parameters if n not in ("path", "stream")]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise QdlabInputError(f"unknown option(s) {', '.join(unknown)} for {what}; "
                              f"allowed: {', '.join(allowed) or 'none'}")


def write_timetags(stream: PhotonStream, path: str | Path, **options: Any) -> Path:
    """Write a :class:`PhotonStream` to a time-tag file, choosing the writer by suffix.

    Parameters
    ----------
    stream : PhotonStream
        The photons; ``metadata["ground_truth"]`` (a JSON-able dict), if present, is stored
        in the file and restored by :func:`read_timetags`.
    path : str or pathlib.Path
        Output file: ``.ptu`` (PicoQuant, HydraHarp V2 records by default) or ``.h5`` /
        ``.hdf5`` (Photon-HDF5). Written to a temporary file that is renamed into place,
        so an error leaves no partial file.
    **options
        Passed to the writer (``record_format`` for PTU, ``description`` for Photon-HDF5).

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    QdlabInputError
        Unknown suffix, or a stream the format cannot hold (e.g. channel > 62 in PTU).

    Examples
    --------
    >>> import tempfile, os
    >>> s = PhotonStream(macrotime=np.array([5, 2**26, 2**27 + 3]), channel=np.array([0, 1, 0]),
    ...                  macrotime_resolution_s=1e-12, metadata={"ground_truth": {"g2_zero": 0.1}})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = write_timetags(s, os.path.join(d, "x.ptu"))
    ...     back = read_timetags(f)
    >>> back.macrotime.tolist(), back.metadata["ground_truth"]
    ([5, 67108864, 134217731], {'g2_zero': 0.1})
    """
    if not isinstance(stream, PhotonStream):
        raise QdlabInputError(f"stream must be a PhotonStream, got {type(stream).__name__}")
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in WRITERS:
        raise QdlabInputError(
            f"no time-tag writer for suffix {suffix or '(none)'!r} of {p.name!r}; "
            f"supported: {', '.join(sorted(WRITERS))}")
    module, func = WRITERS[suffix].split(":")
    writer = getattr(importlib.import_module(f"qdlab.io.timetags.{module}"), func)
    _check_options(writer, options, f"the {suffix} writer")
    return writer(stream, p, **options)
