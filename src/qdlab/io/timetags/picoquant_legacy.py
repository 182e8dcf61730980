"""Legacy PicoQuant TTTR files: HydraHarp ``.ht3``/``.ht2``, PicoHarp ``.pt3``/``.pt2`` and
TimeHarp 200 ``.t3r``.

Each is a fixed binary header (packed little-endian C structs: an ASCII identification, a
format version, a text comment, display settings, hardware settings, then a
TTTR-mode block with the sync rate and the number of records) followed by 32-bit records.
The records of ``.ht3``/``.ht2`` and ``.pt3``/``.pt2`` are the HydraHarp and PicoHarp
layouts of :mod:`qdlab.io.timetags.picoquant` (HT3 format version 1.0 uses HydraHarp V1
records, 2.0 uses V2). TimeHarp 200 ``.t3r`` records are: time tag bits 0-15 (ticks of
the global clock ``TTTRGlobclock``, ns), data bits 16-27 (the TCSPC bin of a photon),
route bits 28-29 (the channel), valid bit 30; an invalid record with data bit 11 set is
an overflow (65536 ticks), one with data bits 0-2 set a marker.

Time units: ``.ht3``/``.pt3``: macrotime counts syncs, period 1 / sync rate (HT3 header
``SyncRate``, PT3 ``CntRate0``); nanotime bins of ``Resolution`` (HT3 ps, PT3 ns).
``.ht2``: ticks of ``BaseResolution`` (ps). ``.pt2``: 4 ps ticks (PicoHarp 300 T2
resolution). ``.t3r``: macrotime in ticks of the global clock (100 ns), not syncs; nanotime
in bins of ``Resolution`` (ns).

References
----------
.. [1] PicoQuant GmbH, file format demo code for HydraHarp (HT3/HT2 v1.0, v2.0), PicoHarp 300
   (PT3/PT2 v2.0) and TimeHarp 200 (T3R v5.0/6.0), distributed with the instrument software
   and as PicoQuant/PicoQuant-Time-Tagged-File-Format-Demos (GitHub).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from qdlab.io.timetags import PhotonStream
from qdlab.io.timetags._common import build_stream, input_error, read_bytes, unwrap
from qdlab.io.timetags.picoquant import decode_records, records_from_bytes

_I = "<i4"
_TXT = [("Ident", "S16"), ("FormatVersion", "S6"), ("CreatorName", "S18"),
        ("CreatorVersion", "S12"), ("FileTime", "S18"), ("CRLF", "S2"), ("Comment", "S256")]
_DISP = [("DispCurves", _I, (16,)), ("Params", "<f4", (9,)), ("RepeatMode", _I),
         ("RepeatsPerCurve", _I), ("RepeatTime", _I), ("RepeatWaitTime", _I), ("ScriptName", "S20")]

HT_HEADER = np.dtype(_TXT + [
    ("NumberOfCurves", _I), ("BitsPerRecord", _I), ("ActiveCurve", _I), ("MeasurementMode", _I),
    ("SubMode", _I), ("Binning", _I), ("Resolution", "<f8"), ("Offset", _I), ("Tacq", _I),
    ("StopAt", "<u4"), ("StopOnOvfl", _I), ("Restart", _I), ("DispLinLog", _I),
    ("DispTimeFrom", _I), ("DispTimeTo", _I), ("DispCountFrom", _I), ("DispCountTo", _I)]
    + _DISP + [
    ("HardwareIdent", "S16"), ("HardwarePartNo", "S8"), ("HardwareSerial", _I),
    ("nModulesPresent", _I), ("ModuleInfo", _I, (20,)), ("BaseResolution", "<f8"),
    ("InputsEnabled", "<u8"), ("InpChansPresent", _I), ("RefClockSource", _I),
    ("ExtDevices", _I), ("MarkerSettings", _I), ("SyncDivider", _I), ("SyncCFDLevel", _I),
    ("SyncCFDZeroCross", _I), ("SyncOffset", _I)])
HT_INPUT = np.dtype([("ModuleIndex", _I), ("CFDLevel", _I), ("CFDZeroCross", _I),
                     ("Offset", _I), ("InputRate", _I)])
HT_TTMODE = np.dtype([("SyncRate", _I), ("StopAfter", _I), ("StopReason", _I),
                      ("ImgHdrSize", _I), ("nRecords", "<i8")])

PT_HEADER = np.dtype(_TXT + [
    ("NumberOfCurves", _I), ("BitsPerRecord", _I), ("RoutingChannels", _I),
    ("NumberOfBoards", _I), ("ActiveCurve", _I), ("MeasurementMode", _I), ("SubMode", _I),
    ("RangeNo", _I), ("Offset", _I), ("Tacq", _I), ("StopAt", "<u4"), ("StopOnOvfl", _I),
    ("Restart", _I), ("DispLinLog", _I), ("DispTimeFrom", _I), ("DispTimeTo", _I),
    ("DispCountFrom", _I), ("DispCountTo", _I)]
    + _DISP + [
    ("HardwareIdent", "S16"), ("HardwarePartNo", "S8"), ("HardwareSerial", _I),
    ("SyncDivider", _I), ("CFDZeroCross0", _I), ("CFDLevel0", _I), ("CFDZeroCross1", _I),
    ("CFDLevel1", _I), ("Resolution", "<f4"), ("RouterModelCode", _I), ("RouterEnabled", _I),
    ("RouterChannels", _I, (24,)),
    ("ExtDevices", _I), ("Reserved1", _I), ("Reserved2", _I), ("CntRate0", _I), ("CntRate1", _I),
    ("StopAfter", _I), ("StopReason", _I), ("nRecords", _I), ("ImgHdrSize", _I)])

T3R_HEADER = np.dtype([
    ("Ident", "S16"), ("SoftwareVersion", "S6"), ("HardwareVersion", "S6"), ("FileTime", "S18"),
    ("CRLF", "S2"), ("Comment", "S256"), ("NumberOfChannels", _I), ("NumberOfCurves", _I),
    ("BitsPerChannel", _I), ("RoutingChannels", _I), ("NumberOfBoards", _I), ("ActiveCurve", _I),
    ("MeasurementMode", _I), ("SubMode", _I), ("RangeNo", _I), ("Offset", _I), ("Tacq", _I),
    ("StopAt", "<u4"), ("StopOnOvfl", _I), ("Restart", _I), ("DispLinLog", _I),
    ("DispTimeFrom", _I), ("DispTimeTo", _I), ("DispCountFrom", _I), ("DispCountTo", _I)]
    + _DISP + [
    ("BoardSerial", _I), ("CFDZeroCross", _I), ("CFDDiscriminatorMin", _I), ("SYNCLevel", _I),
    ("CurveOffset", _I), ("Resolution", "<f4"),
    ("TTTRGlobclock", _I), ("ExtDevices", _I), ("Reserved", _I, (5,)), ("SyncRate", _I),
    ("AverageCFDRate", _I), ("StopAfter", _I), ("StopReason", _I), ("nRecords", _I),
    ("ImgHdrSize", _I)])


def _struct(path: str | Path, data: bytes, dtype: np.dtype, offset: int = 0) -> np.void:
    if len(data) < offset + dtype.itemsize:
        raise input_error(path, f"the file ends inside its {dtype.itemsize}-byte header (truncated)")
    return np.frombuffer(data, dtype=dtype, count=1, offset=offset)[0]


def _text(v: Any) -> str:
    return bytes(v).split(b"\0", 1)[0].decode("latin-1").strip()


def _plain(rec: np.void) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in rec.dtype.names or ():
        v = rec[name]
        if isinstance(v, bytes):
            out[name] = _text(v)
        elif isinstance(v, np.ndarray):
            out[name] = v.tolist()
        else:
            out[name] = v.item()
    return out


def _check_ident(path: str | Path, data: bytes, ident: bytes, what: str) -> None:
    if data[: len(ident)] != ident:
        raise input_error(path, f"not a {what} file (starts with {data[:16]!r}, expected {ident!r})")


def _positive(path: str | Path, value: float, name: str, unit: str) -> float:
    if not (np.isfinite(value) and value > 0):
        raise input_error(path, f"header field {name} must be > 0 {unit}, got {value!r}")
    return float(value)


def read_ht(path: str | Path, max_bytes: int | None = None) -> PhotonStream:
    """Read a legacy HydraHarp file (``.ht3`` T3 or ``.ht2`` T2, format 1.0 or 2.0).

    Parameters
    ----------
    path : str or pathlib.Path
    max_bytes : int, optional
        Size limit, bytes (default 1 GiB).

    Returns
    -------
    PhotonStream
        T3: macrotime in syncs (period 1/``SyncRate``), nanotime in bins of ``Resolution``
        (ps). T2: ticks of ``BaseResolution`` (ps).
    """
    data = read_bytes(path, max_bytes)
    _check_ident(path, data, b"HydraHarp", "HydraHarp HT3/HT2")
    h = _struct(path, data, HT_HEADER)
    version = _text(h["FormatVersion"])
    if version not in ("1.0", "2.0"):
        raise input_error(path, f"HydraHarp format version {version!r} is not supported (1.0, 2.0)")
    mode = {2: "T2", 3: "T3"}.get(int(h["MeasurementMode"]))
    if mode is None:
        raise input_error(path, f"measurement mode {int(h['MeasurementMode'])} is not a TTTR mode (2 or 3)")
    n_in = int(h["InpChansPresent"])
    if not 0 <= n_in <= 64:
        raise input_error(path, f"header states {n_in} input channels (corrupt)")
    off = HT_HEADER.itemsize
    inputs = np.frombuffer(data, HT_INPUT, count=n_in, offset=off) if len(data) >= off + n_in * 20 \
        else None
    if inputs is None:
        raise input_error(path, "the file ends inside its header (truncated)")
    off += n_in * HT_INPUT.itemsize
    tt = _struct(path, data, HT_TTMODE, off)
    off += HT_TTMODE.itemsize
    img = int(tt["ImgHdrSize"])
    if img < 0 or img > 1_000_000:
        raise input_error(path, f"header states an image header of {img} words (corrupt)")
    off += 4 * img
    n_rec = int(tt["nRecords"])
    rec = records_from_bytes(path, data, off, n_rec)
    dec = decode_records(rec, mode, "hydraharp", 1 if version == "1.0" else 2)
    meta = {"format": f"HydraHarp {mode.lower().replace('t', 'HT')} v{version}",
            "record_type": f"HydraHarp V{1 if version == '1.0' else 2} {mode}", "n_records": n_rec,
            "n_overflows": dec["n_overflows"], "n_markers": dec["n_markers"],
            "n_sync_events": dec["n_sync_events"], "header": _plain(h), "ttmode": _plain(tt),
            "input_rates": inputs["InputRate"].tolist()}
    sync_rate = int(tt["SyncRate"])
    if mode == "T3":
        period = 1.0 / _positive(path, sync_rate, "SyncRate", "Hz")
        res = _positive(path, float(h["Resolution"]), "Resolution", "ps") * 1e-12
        return build_stream(path, macrotime=dec["macrotime"], channel=dec["channel"],
                            macrotime_resolution_s=period, nanotime=dec["nanotime"],
                            nanotime_resolution_s=res, sync_period_s=period, mode="T3", metadata=meta)
    base = _positive(path, float(h["BaseResolution"]), "BaseResolution", "ps") * 1e-12
    return build_stream(path, macrotime=dec["macrotime"], channel=dec["channel"], macrotime_resolution_s=base,
                        sync_period_s=1.0 / sync_rate if sync_rate > 0 else None, mode="T2",
                        metadata=meta)


def read_pt(path: str | Path, max_bytes: int | None = None) -> PhotonStream:
    """Read a legacy PicoHarp 300 file (``.pt3`` T3 or ``.pt2`` T2, format 2.0).

    Returns
    -------
    PhotonStream
        T3: macrotime in syncs (period 1/``CntRate0``, the sync rate), nanotime in bins of
        ``Resolution`` (ns). T2: 4 ps ticks; channels 0-3 (0 is the sync input used as a
        detector on PicoHarp 300 in T2).
    """
    data = read_bytes(path, max_bytes)
    _check_ident(path, data, b"PicoHarp 300", "PicoHarp PT3/PT2")
    h = _struct(path, data, PT_HEADER)
    version = _text(h["FormatVersion"])
    if version != "2.0":
        raise input_error(path, f"PicoHarp format version {version!r} is not supported (2.0)")
    mode = {2: "T2", 3: "T3"}.get(int(h["MeasurementMode"]))
    if mode is None:
        raise input_error(path, f"measurement mode {int(h['MeasurementMode'])} is not a TTTR mode (2 or 3)")
    img = int(h["ImgHdrSize"])
    if img < 0 or img > 1_000_000:
        raise input_error(path, f"header states an image header of {img} words (corrupt)")
    off = PT_HEADER.itemsize + 4 * img
    n_rec = int(h["nRecords"])
    rec = records_from_bytes(path, data, off, n_rec)
    dec = decode_records(rec, mode, "picoharp", 1)
    meta = {"format": f"PicoHarp P{mode} v{version}", "record_type": f"PicoHarp300 {mode}",
            "n_records": n_rec, "n_overflows": dec["n_overflows"], "n_markers": dec["n_markers"],
            "n_sync_events": 0, "header": _plain(h)}
    sync_rate = int(h["CntRate0"])
    if mode == "T3":
        period = 1.0 / _positive(path, sync_rate, "CntRate0 (sync rate)", "Hz")
        res = _positive(path, float(h["Resolution"]), "Resolution", "ns") * 1e-9
        return build_stream(path, macrotime=dec["macrotime"], channel=dec["channel"],
                            macrotime_resolution_s=period, nanotime=dec["nanotime"],
                            nanotime_resolution_s=res, sync_period_s=period, mode="T3", metadata=meta)
    return build_stream(path, macrotime=dec["macrotime"], channel=dec["channel"],
                        macrotime_resolution_s=4e-12, mode="T2", metadata=meta)


def decode_t3r(records: np.ndarray) -> dict[str, Any]:
    """Decode TimeHarp 200 TTTR records (see the module docstring); vectorised."""
    rec = np.asarray(records, dtype=np.uint32)
    tag = rec & 0xFFFF
    data = (rec >> 16) & 0xFFF
    route = ((rec >> 28) & 0x3).astype(np.uint8)
    valid = ((rec >> 30) & 1).astype(bool)
    overflow = (~valid) & ((data & 0x800) != 0)
    markers = (~valid) & ((data & 0x7) != 0)
    macro = unwrap(overflow.astype(np.int64) * 65536, np.where(overflow, 0, tag))
    return {"macrotime": macro[valid], "channel": route[valid], "nanotime": data[valid].astype(np.uint16),
            "n_overflows": int(np.count_nonzero(overflow)), "n_markers": int(np.count_nonzero(markers))}


def read_t3r(path: str | Path, max_bytes: int | None = None) -> PhotonStream:
    """Read a TimeHarp 200 TTTR file (``.t3r``, software version 5.0 or 6.0).

    Returns
    -------
    PhotonStream
        Mode T3 with ``macrotime`` in ticks of the global clock ``TTTRGlobclock`` (ns,
        100 ns on TimeHarp 200), not in syncs; ``nanotime`` in bins of ``Resolution`` (ns);
        ``sync_period_s`` = 1 / ``SyncRate``; channel = the router input (0-3).
    """
    data = read_bytes(path, max_bytes)
    _check_ident(path, data, b"TimeHarp 200", "TimeHarp 200 T3R")
    h = _struct(path, data, T3R_HEADER)
    version = _text(h["SoftwareVersion"])
    if version not in ("5.0", "6.0"):
        raise input_error(path, f"T3R format version {version!r} is not supported (5.0, 6.0)")
    img = int(h["ImgHdrSize"])
    if img < 0 or img > 1_000_000:
        raise input_error(path, f"header states an image header of {img} words (corrupt)")
    off = T3R_HEADER.itemsize + 4 * img
    n_rec = int(h["nRecords"])
    rec = records_from_bytes(path, data, off, n_rec)
    dec = decode_t3r(rec)
    clock = _positive(path, float(h["TTTRGlobclock"]), "TTTRGlobclock", "ns") * 1e-9
    res = _positive(path, float(h["Resolution"]), "Resolution", "ns") * 1e-9
    sync_rate = int(h["SyncRate"])
    meta = {"format": f"TimeHarp 200 T3R v{version}", "record_type": "TimeHarp200 T3R",
            "n_records": n_rec, "n_overflows": dec["n_overflows"], "n_markers": dec["n_markers"],
            "n_sync_events": 0, "header": _plain(h)}
    return build_stream(path, macrotime=dec["macrotime"], channel=dec["channel"],
                        macrotime_resolution_s=clock, nanotime=dec["nanotime"], nanotime_resolution_s=res,
                        sync_period_s=1.0 / sync_rate if sync_rate > 0 else None, mode="T3", metadata=meta)
