"""Becker & Hickl SPC FIFO files (``.spc``): SPC-130/134/140/150/160/830 and SPC-600/630.

An ``.spc`` file has no magic number: its layout depends on the card, given by ``card``
(or detected, ``card="auto"``: the first layout that decodes to non-decreasing times).

- ``"SPC-130"`` (SPC-130/134/140/144/150/151/152/154/160/830, 32-bit records): the first
  record holds the macro-time clock in bits 0-23 (units of 0.1 ns). Then per record:
  macro time bits 0-11 (wrap 4096), routing bits 12-15, ADC bits 16-27, MARK 28, GAP 29,
  MTOV 30, INVALID 31. A valid record with MTOV had one macro-time overflow before it; an
  invalid record with MTOV (and no MARK) carries the number of overflows in bits 0-27; an
  invalid record with MARK is a marker.
- ``"SPC-600-256"`` (SPC-600/630, 256-channel FIFO mode, 32-bit records, no header): ADC
  bits 0-7, macro time bits 8-24 (wrap 2**17), routing bits 25-27, GAP 29, MTOV 30,
  INVALID 31, overflows as above.
- ``"SPC-600-4096"`` (SPC-600/630, 4096-channel mode, 48-bit records, no header): ADC bits
  0-11, INVALID 12, MTOV 13, GAP 14, macro time bits 16-23 (high byte), routing 24-31
  (inverted), macro time low bytes 32-47 (wrap 2**24). Not checked against a real file.

The micro time is ``ADC_max - ADC`` (the TAC runs from the photon to the next sync). Its
bin width depends on the TAC range and gain of the accompanying ``.set`` file, which this
reader does not parse: pass ``nanotime_resolution_s``; by default it is taken as the
macro-time clock / ADC channels (the assumption of tttrlib) and
``metadata["nanotime_resolution_assumed"]`` is True. SPC-600/630 files do not state the
macro-time clock: pass ``macrotime_resolution_s`` (default 50 ns, the internal clock).

References
----------
.. [1] W. Becker, "The bh TCSPC Handbook", 10th ed., Becker & Hickl GmbH (2023), section
   "FIFO data format" (SPC-130/140/150/160/830 and SPC-600/630 FIFO files).
.. [2] tttrlib (Fluorescence-Tools/tttrlib), ``include/TTTRRecordTypes.h``: the same layouts;
   its SPC-600 256-channel reader scales overflows by 4096 instead of 2**17 (checked here
   against the monotonicity of a real SPC-630 file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from qdlab.errors import QdlabInputError
from qdlab.io.timetags import PhotonStream
from qdlab.io.timetags._common import build_stream, input_error, read_bytes, unwrap

#: Supported ``card`` values.
SPC_CARDS = ("SPC-130", "SPC-600-256", "SPC-600-4096")


def decode_spc130(rec: np.ndarray) -> dict[str, Any]:
    """Decode SPC-130-family records (after the header record); vectorised."""
    r = np.asarray(rec, dtype=np.uint32)
    mt = r & 0xFFF
    inv = (r >> 31).astype(bool)
    mtov = ((r >> 30) & 1).astype(bool)
    mark = ((r >> 28) & 1).astype(bool)
    multi = inv & mtov & ~mark
    inc = np.where(multi, r & 0x0FFFFFFF, mtov & ~multi).astype(np.int64) * 4096
    macro = unwrap(inc, np.where(multi, 0, mt))
    photon = ~inv
    return {"macrotime": macro[photon], "channel": ((r >> 12) & 0xF)[photon].astype(np.uint8),
            "nanotime": (4095 - ((r >> 16) & 0xFFF))[photon].astype(np.uint16),
            "n_overflows": int(np.count_nonzero(mtov)), "n_markers": int(np.count_nonzero(inv & mark)),
            "n_gaps": int(np.count_nonzero((r >> 29) & 1)), "adc_channels": 4096}


def decode_spc600_256(rec: np.ndarray) -> dict[str, Any]:
    """Decode SPC-600/630 256-channel records; vectorised."""
    r = np.asarray(rec, dtype=np.uint32)
    inv = (r >> 31).astype(bool)
    mtov = ((r >> 30) & 1).astype(bool)
    multi = inv & mtov
    inc = np.where(multi, r & 0x0FFFFFFF, mtov).astype(np.int64) << 17
    macro = unwrap(inc, np.where(multi, 0, (r >> 8) & 0x1FFFF))
    photon = ~inv
    return {"macrotime": macro[photon], "channel": ((r >> 25) & 0x7)[photon].astype(np.uint8),
            "nanotime": (255 - (r & 0xFF))[photon].astype(np.uint16),
            "n_overflows": int(np.count_nonzero(mtov)), "n_markers": 0,
            "n_gaps": int(np.count_nonzero((r >> 29) & 1)), "adc_channels": 256}


def decode_spc600_4096(raw: np.ndarray) -> dict[str, Any]:
    """Decode SPC-600/630 4096-channel 48-bit records given as an (n, 6) uint8 array."""
    b = np.asarray(raw, dtype=np.uint8).astype(np.uint32)
    w0 = b[:, 0] | (b[:, 1] << 8)
    adc = w0 & 0xFFF
    inv = ((w0 >> 12) & 1).astype(bool)
    mtov = ((w0 >> 13) & 1).astype(bool)
    mt = b[:, 4] | (b[:, 5] << 8) | (b[:, 2] << 16)
    macro = unwrap(mtov.astype(np.int64) << 24, np.where(inv, 0, mt))
    photon = ~inv
    return {"macrotime": macro[photon], "channel": (255 - b[:, 3])[photon].astype(np.uint8),
            "nanotime": (4095 - adc)[photon].astype(np.uint16),
            "n_overflows": int(np.count_nonzero(mtov)), "n_markers": 0,
            "n_gaps": int(np.count_nonzero((w0 >> 14) & 1)), "adc_channels": 4096}


def _decode(path: str | Path, data: bytes, card: str) -> tuple[dict[str, Any], float | None, int]:
    if card == "SPC-600-4096":
        if len(data) % 6:
            raise input_error(path, f"{len(data)} bytes is not a whole number of 48-bit SPC-600 "
                                    f"records (truncated or not this card)")
        raw = np.frombuffer(data, dtype=np.uint8).reshape(-1, 6)
        return decode_spc600_4096(raw), None, raw.shape[0]
    if len(data) % 4:
        raise input_error(path, f"{len(data)} bytes is not a whole number of 32-bit records (truncated)")
    rec = np.frombuffer(data, dtype="<u4")
    if card == "SPC-600-256":
        return decode_spc600_256(rec), None, rec.size
    if rec.size == 0:
        raise input_error(path, "the file is empty (an SPC-130 file starts with a header record)")
    clock_01ns = int(rec[0] & 0xFFFFFF)
    if clock_01ns == 0:
        raise input_error(path, "the header record states a macro-time clock of 0 (not an SPC-130 file?)")
    return decode_spc130(rec[1:]), clock_01ns * 1e-10, rec.size - 1


def read_spc(path: str | Path, card: str = "auto", macrotime_resolution_s: float | None = None,
             nanotime_resolution_s: float | None = None, max_bytes: int | None = None) -> PhotonStream:
    """Read a Becker & Hickl ``.spc`` FIFO file into a T3 :class:`PhotonStream`.

    Parameters
    ----------
    path : str or pathlib.Path
    card : {"auto", "SPC-130", "SPC-600-256", "SPC-600-4096"}
        Record layout (module docstring). ``"auto"`` tries SPC-130 then SPC-600-256 and keeps
        the first whose macro times never decrease.
    macrotime_resolution_s : float, optional
        Macro-time clock, s. SPC-130 files state it (header record); SPC-600/630 default 50 ns.
    nanotime_resolution_s : float, optional
        Micro-time bin, s (TAC range / (gain x ADC channels) from the ``.set`` file). Default:
        macro-time clock / ADC channels, flagged as assumed in the metadata.
    max_bytes : int, optional
        Size limit, bytes (default 1 GiB).

    Returns
    -------
    PhotonStream
        Mode T3; ``macrotime`` in macro-clock ticks, ``nanotime`` = ADC_max - ADC,
        ``channel`` = routing bits. ``metadata``: ``card``, ``n_records``, ``n_overflows``,
        ``n_markers``, ``n_gaps``, ``nanotime_resolution_assumed``.
    """
    if card != "auto" and card not in SPC_CARDS:
        raise QdlabInputError(f"card must be 'auto' or one of {SPC_CARDS}, got {card!r}")
    data = read_bytes(path, max_bytes)
    if card == "auto":
        last: QdlabInputError | None = None
        for c in ("SPC-130", "SPC-600-256"):
            try:
                dec, clock, n_rec = _decode(path, data, c)
            except QdlabInputError as exc:
                last = exc
                continue
            m = dec["macrotime"]
            if m.size == 0 or not np.any(np.diff(m) < 0):
                card = c
                break
        else:
            raise input_error(path, "cannot tell the SPC card: no layout gives non-decreasing "
                                    "macro times; pass card='SPC-130', 'SPC-600-256' or "
                                    "'SPC-600-4096'" + (f" ({last})" if last else ""))
    else:
        dec, clock, n_rec = _decode(path, data, card)
        m = dec["macrotime"]
        if m.size > 1 and np.any(np.diff(m) < 0):
            raise input_error(path, f"decoded as {card} the macro times go backwards (wrong card or corrupt)")
    mres = macrotime_resolution_s or clock or 50e-9
    assumed = nanotime_resolution_s is None
    nres = nanotime_resolution_s or mres / dec["adc_channels"]
    meta = {"format": "Becker & Hickl SPC", "card": card, "n_records": n_rec,
            "n_overflows": dec["n_overflows"], "n_markers": dec["n_markers"], "n_gaps": dec["n_gaps"],
            "macrotime_clock_from_file": clock is not None, "nanotime_resolution_assumed": assumed}
    return build_stream(path, macrotime=dec["macrotime"], channel=dec["channel"], macrotime_resolution_s=mres,
                        nanotime=dec["nanotime"], nanotime_resolution_s=nres, mode="T3", metadata=meta)
