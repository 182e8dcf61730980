r"""PicoQuant time-tag records and the unified PTU file: vectorised decoding and writing.

A PTU file is an 8-byte magic ``PQTTTR\0\0``, an 8-byte version, a list of tagged header
entries (48 bytes each: 32-byte name, int32 index, uint32 type, 8-byte value; strings,
arrays and blobs follow their entry, the value giving their length in bytes) ending with
``Header_End``, then ``TTResult_NumberOfRecords`` little-endian 32-bit records whose layout
is chosen by ``TTResultFormat_TTTRRecType`` (:data:`PTU_RECORD_TYPES`).

Record layouts (bit 0 = least significant):

========================  ====================================================  ===========
record family             fields                                                wrap
========================  ====================================================  ===========
PicoHarp 300 T3           nsync 0-15, dtime 16-27, channel 28-31                65536 sync
PicoHarp 300 T2           time 0-27, channel 28-31                              210698240
HydraHarp V1 T3           nsync 0-9, dtime 10-24, channel 25-30, special 31     1024 sync
HydraHarp V1 T2           time 0-24, channel 25-30, special 31                  33552000
HydraHarp V2, TimeHarp    as V1; an overflow record carries its number of       1024 sync /
260 N/P, MultiHarp,       wraps in the time field (0 counts as 1)               2**25
Generic (PicoHarp 330)
========================  ====================================================  ===========

Special records: PicoHarp channel 15 is an overflow if the low bits (dtime in T3, the
low 4 time bits in T2) are 0, else a marker. HydraHarp-family ``special=1``: channel 63
is an overflow, 1-15 are markers, and in T2 channel 0 is a sync event.

Photon channels are returned 0-based as the hardware routes them: the HydraHarp-family
channel field as is, PicoHarp T3 channel 1-4 as 0-3, PicoHarp T2 channel 0-4 as is. Markers
and T2 sync events are counted in ``metadata`` (``n_markers``, ``n_sync_events``) and
not returned as photons.

References
----------
.. [1] PicoQuant GmbH, "PTU file format and demo code", PicoQuant/PicoQuant-Time-Tagged-File-Format-Demos
   (GitHub), ``PTU/Python/Read_PTU.py`` and ``PTU/PTU-FileFormat.txt``.
.. [2] PicoQuant GmbH, HydraHarp 400, MultiHarp 150 and TimeHarp 260 user manuals, section
   "Data file formats" (T2/T3 record layouts).
"""

from __future__ import annotations

import struct
import time
from pathlib import Path
from typing import Any

import numpy as np

from qdlab.errors import QdlabInputError
from qdlab.io.timetags import PhotonStream
from qdlab.io.timetags._common import (
    GROUND_TRUTH_KEY,
    atomic_write,
    build_stream,
    ground_truth_json,
    input_error,
    overflow_layout,
    parse_ground_truth,
    read_bytes,
    unwrap,
)

PTU_MAGIC = b"PQTTTR\0\0"

# header tag types
TY_EMPTY8 = 0xFFFF0008
TY_BOOL8 = 0x00000008
TY_INT8 = 0x10000008
TY_BITSET64 = 0x11000008
TY_COLOR8 = 0x12000008
TY_FLOAT8 = 0x20000008
TY_TDATETIME = 0x21000008
TY_FLOAT8ARRAY = 0x2001FFFF
TY_ANSISTRING = 0x4001FFFF
TY_WIDESTRING = 0x4002FFFF
TY_BINARYBLOB = 0xFFFFFFFF

#: ``TTResultFormat_TTTRRecType`` -> (name, mode, record family, version).
PTU_RECORD_TYPES: dict[int, tuple[str, str, str, int]] = {
    0x00010303: ("PicoHarp300 T3", "T3", "picoharp", 1),
    0x00010203: ("PicoHarp300 T2", "T2", "picoharp", 1),
    0x00010304: ("HydraHarp V1 T3", "T3", "hydraharp", 1),
    0x00010204: ("HydraHarp V1 T2", "T2", "hydraharp", 1),
    0x01010304: ("HydraHarp V2 T3", "T3", "hydraharp", 2),
    0x01010204: ("HydraHarp V2 T2", "T2", "hydraharp", 2),
    0x00010305: ("TimeHarp260N T3", "T3", "hydraharp", 2),
    0x00010205: ("TimeHarp260N T2", "T2", "hydraharp", 2),
    0x00010306: ("TimeHarp260P T3", "T3", "hydraharp", 2),
    0x00010206: ("TimeHarp260P T2", "T2", "hydraharp", 2),
    0x00010307: ("Generic (MultiHarp, PicoHarp330) T3", "T3", "hydraharp", 2),
    0x00010207: ("Generic (MultiHarp, PicoHarp330) T2", "T2", "hydraharp", 2),
}

#: Record formats :func:`write_ptu` can write -> (T2 record type, T3 record type, HW_Type).
PTU_WRITE_FORMATS: dict[str, tuple[int, int, str]] = {
    "HydraHarp2": (0x01010204, 0x01010304, "HydraHarp"),
    "MultiHarp": (0x00010207, 0x00010307, "MultiHarp"),
    "TimeHarp260N": (0x00010205, 0x00010305, "TimeHarp 260 N"),
    "TimeHarp260P": (0x00010206, 0x00010306, "TimeHarp 260 P"),
}

HH_T3_WRAP = 1024
HH_T2_WRAP_V1 = 33552000
HH_T2_WRAP_V2 = 1 << 25
PH_T3_WRAP = 65536
PH_T2_WRAP = 210698240

_MAX_TAGS = 100_000


# ----------------------------------------------------------------------------- decoding
def decode_records(records: np.ndarray, mode: str, family: str, version: int) -> dict[str, Any]:
    """Decode 32-bit PicoQuant records into photon arrays (vectorised).

    Parameters
    ----------
    records : numpy.ndarray of uint32
        The raw records, in file order.
    mode : {"T2", "T3"}
    family : {"picoharp", "hydraharp"}
        Record layout (see the module docstring).
    version : int
        HydraHarp-family format version (1: one wrap per overflow record; 2: the overflow
        record's time field counts the wraps, 0 meaning 1).

    Returns
    -------
    dict
        ``macrotime`` (int64 ticks), ``channel`` (uint8), ``nanotime`` (uint16, T3 only, else
        None), ``n_overflows``, ``n_markers``, ``n_sync_events`` (ints).

    Notes
    -----
    The absolute time of record ``i`` is :math:`t_i = W \\sum_{j \\le i} n_j + \\tau_i`,
    with :math:`W` the wrap period, :math:`n_j` the number of wraps carried by record
    :math:`j` (0 for non-overflow records) and :math:`\\tau_i` the record's time field; the
    sum is one ``numpy.cumsum`` over all records.
    """
    rec = np.asarray(records, dtype=np.uint32)
    n_sync = 0
    if family == "picoharp":
        chan = (rec >> 28).astype(np.uint8)
        special = chan == 15
        if mode == "T3":
            low = rec & 0xFFFF
            dtime = (rec >> 16) & 0xFFF
            overflow = special & (dtime == 0)
            wrap = PH_T3_WRAP
            photon = (~special) & (chan >= 1) & (chan <= 4)
            channel = chan - 1
        else:
            low = rec & 0x0FFFFFFF
            dtime = None
            overflow = special & ((low & 0xF) == 0)
            wrap = PH_T2_WRAP
            photon = (~special) & (chan <= 4)
            channel = chan
        markers = special & ~overflow
        inc = overflow.astype(np.int64) * wrap
    elif family == "hydraharp":
        special = (rec >> 31).astype(bool)
        chan = ((rec >> 25) & 0x3F).astype(np.uint8)
        overflow = special & (chan == 0x3F)
        if mode == "T3":
            low = rec & 0x3FF
            dtime = (rec >> 10) & 0x7FFF
            wrap = HH_T3_WRAP
        else:
            low = rec & 0x1FFFFFF
            dtime = None
            wrap = HH_T2_WRAP_V1 if version == 1 else HH_T2_WRAP_V2
            sync = special & (chan == 0)
            n_sync = int(np.count_nonzero(sync))
        if version == 1:
            inc = overflow.astype(np.int64) * wrap
        else:
            count = np.where(low == 0, 1, low).astype(np.int64)
            inc = np.where(overflow, count * wrap, 0)
        markers = special & (chan >= 1) & (chan <= 15)
        photon = ~special
        channel = chan
    else:  # pragma: no cover - internal misuse
        raise ValueError(f"unknown record family {family!r}")
    low = np.where(overflow, 0, low)
    macro = unwrap(inc, low)
    return {
        "macrotime": macro[photon],
        "channel": channel[photon].astype(np.uint8),
        "nanotime": None if dtime is None else dtime[photon].astype(np.uint16),
        "n_overflows": int(np.count_nonzero(overflow)),
        "n_markers": int(np.count_nonzero(markers)),
        "n_sync_events": n_sync,
    }


def records_from_bytes(path: str | Path, data: bytes, offset: int, n_records: int | None) -> np.ndarray:
    """The uint32 records starting at ``offset``; checks the count against the header's."""
    avail = len(data) - offset
    if avail < 0:
        raise input_error(path, "the file ends inside its header (truncated)")
    if n_records is None:
        if avail % 4:
            raise input_error(path, f"the record block ({avail} bytes) is not a whole number of "
                                    f"32-bit records (truncated or corrupt)")
        n_records = avail // 4
    if n_records < 0:
        raise input_error(path, f"the header states a negative number of records ({n_records})")
    if 4 * n_records > avail:
        raise input_error(path, f"the header states {n_records} records but the file holds only "
                                f"{avail // 4} (truncated)")
    return np.frombuffer(data, dtype="<u4", count=n_records, offset=offset)


# ----------------------------------------------------------------------------- PTU header
def read_ptu_header(path: str | Path, data: bytes) -> tuple[dict[str, Any], int]:
    """Parse the tagged header of a PTU file; returns (tags, offset of the first record).

    Tag names with an index >= 0 become ``"Name(idx)"``. Strings are decoded (latin-1 /
    UTF-16), floats and ints kept as Python numbers, blobs as their length.
    """
    if len(data) < 16 or data[:8] != PTU_MAGIC:
        raise input_error(path, f"not a PicoQuant PTU file (magic {data[:8]!r}, expected {PTU_MAGIC!r})")
    tags: dict[str, Any] = {"_version": data[8:16].rstrip(b"\0").decode("latin-1", "replace")}
    off = 16
    for _ in range(_MAX_TAGS):
        if off + 48 > len(data):
            raise input_error(path, "the header ends before its Header_End tag (truncated or corrupt)")
        ident, idx, typ = struct.unpack_from("<32siI", data, off)
        name = ident.split(b"\0", 1)[0].decode("latin-1", "replace")
        raw = data[off + 40: off + 48]
        off += 48
        key = f"{name}({idx})" if idx >= 0 else name
        if typ == TY_EMPTY8:
            value: Any = None
        elif typ in (TY_BOOL8,):
            value = struct.unpack("<q", raw)[0] != 0
        elif typ in (TY_INT8, TY_BITSET64, TY_COLOR8):
            value = struct.unpack("<q", raw)[0]
        elif typ in (TY_FLOAT8, TY_TDATETIME):
            value = struct.unpack("<d", raw)[0]
        elif typ in (TY_FLOAT8ARRAY, TY_ANSISTRING, TY_WIDESTRING, TY_BINARYBLOB):
            length = struct.unpack("<q", raw)[0]
            if length < 0 or off + length > len(data):
                raise input_error(path, f"header tag {key!r} states {length} bytes beyond the end "
                                        f"of the file (truncated or corrupt)")
            blob = data[off: off + length]
            off += length
            if typ == TY_ANSISTRING:
                value = _ansi(blob.split(b"\0", 1)[0])
            elif typ == TY_WIDESTRING:
                value = blob.decode("utf-16-le", "replace").split("\0", 1)[0]
            elif typ == TY_FLOAT8ARRAY:
                value = np.frombuffer(blob[: length - length % 8], dtype="<f8").tolist()
            else:
                value = f"<{length} bytes>"
        else:
            raise input_error(path, f"header tag {key!r} has an unknown type 0x{typ:08X} (corrupt)")
        tags[key] = value
        if name == "Header_End":
            return tags, off
    raise input_error(path, f"more than {_MAX_TAGS} header tags without Header_End (corrupt)")


def _ansi(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _tag(path: str | Path, tags: dict[str, Any], name: str) -> Any:
    if name not in tags or tags[name] is None:
        raise input_error(path, f"the header lacks the tag {name!r}")
    return tags[name]


def _int_tag(path: str | Path, tags: dict[str, Any], name: str) -> int:
    v = _tag(path, tags, name)
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise input_error(path, f"header tag {name!r} must be an integer, got {v!r}")
    return int(v)


def _positive_float(path: str | Path, tags: dict[str, Any], name: str) -> float:
    v = _tag(path, tags, name)
    try:
        f = float(v)
    except (TypeError, ValueError):
        f = float("nan")
    if not (np.isfinite(f) and f > 0):
        raise input_error(path, f"header tag {name!r} must be a time > 0 s, got {v!r}")
    return f


def read_ptu(path: str | Path, max_bytes: int | None = None) -> PhotonStream:
    """Read a PicoQuant unified TTTR file (``.ptu``, T2 or T3) into a :class:`PhotonStream`.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    max_bytes : int, optional
        Size limit, bytes (default :data:`qdlab.io.timetags._common.MAX_FILE_BYTES`, 1 GiB).

    Returns
    -------
    PhotonStream
        T2: ``macrotime`` in ticks of ``MeasDesc_GlobalResolution``. T3: ``macrotime``
        counts sync pulses (``macrotime_resolution_s`` = ``MeasDesc_GlobalResolution``, the
        sync period), ``nanotime`` in bins of ``MeasDesc_Resolution``. ``metadata`` holds
        ``format``, ``record_type``, ``n_records``, ``n_overflows``, ``n_markers``,
        ``n_sync_events``, the header ``tags`` and, if stored, ``ground_truth``.

    Raises
    ------
    QdlabInputError
        Not a PTU file, an unknown record type, a header without the needed tags, a
        truncated record block, or a file larger than ``max_bytes``.

    Notes
    -----
    The record layouts and overflow rules are those of the module docstring; decoding is
    one pass of numpy bit masks and a cumulative sum (:func:`decode_records`).
    """
    data = read_bytes(path, max_bytes)
    tags, off = read_ptu_header(path, data)
    rectype = _int_tag(path, tags, "TTResultFormat_TTTRRecType")
    if rectype not in PTU_RECORD_TYPES:
        raise input_error(path, f"unknown or unsupported TTTR record type 0x{rectype:08X} "
                                f"(supported: {', '.join(v[0] for v in PTU_RECORD_TYPES.values())})")
    name, mode, family, version = PTU_RECORD_TYPES[rectype]
    notes = []
    meas_mode = tags.get("Measurement_Mode")
    if meas_mode in (2, 3) and f"T{meas_mode}" != mode:
        # TimeHarp 260 files written by UniHarp can state a T2 record type for T3 data
        # (phconvert issue #64); the measurement mode tag decides, and the file says so.
        notes.append(f"record type {name} disagrees with Measurement_Mode {meas_mode}; "
                     f"decoded as T{meas_mode}")
        mode = f"T{meas_mode}"
        name = name[:-2] + mode
    bits = tags.get("TTResultFormat_BitsPerRecord", 32)
    if bits not in (32, None):
        raise input_error(path, f"records of {bits} bits are not supported (expected 32)")
    n_rec = _int_tag(path, tags, "TTResult_NumberOfRecords")
    rec = records_from_bytes(path, data, off, n_rec)
    dec = decode_records(rec, mode, family, version)
    globres = _positive_float(path, tags, "MeasDesc_GlobalResolution")
    metadata: dict[str, Any] = {
        "format": "PicoQuant PTU", "record_type": name, "n_records": n_rec,
        "n_overflows": dec["n_overflows"], "n_markers": dec["n_markers"],
        "n_sync_events": dec["n_sync_events"], "tags": tags, "notes": notes,
    }
    if "qdlab_GroundTruth" in tags and tags["qdlab_GroundTruth"]:
        metadata[GROUND_TRUTH_KEY] = parse_ground_truth(path, tags["qdlab_GroundTruth"])
    sync_rate = tags.get("TTResult_SyncRate")
    sync_period = 1.0 / sync_rate if isinstance(sync_rate, (int, float)) and sync_rate > 0 else None
    if mode == "T3":
        res = _positive_float(path, tags, "MeasDesc_Resolution")
        return build_stream(path, macrotime=dec["macrotime"], channel=dec["channel"],
                            macrotime_resolution_s=globres, nanotime=dec["nanotime"],
                            nanotime_resolution_s=res, sync_period_s=globres, mode="T3",
                            metadata=metadata)
    return build_stream(path, macrotime=dec["macrotime"], channel=dec["channel"],
                        macrotime_resolution_s=globres, sync_period_s=sync_period, mode="T2",
                        metadata=metadata)


# ----------------------------------------------------------------------------- writing
def encode_hydraharp_v2(stream: PhotonStream) -> np.ndarray:
    """Encode a stream as HydraHarp V2 / MultiHarp / TimeHarp 260 records (uint32).

    Overflow records (``special=1``, channel 63) are inserted wherever the macrotime passes
    one or more wrap periods (2**25 ticks in T2, 1024 syncs in T3); each carries up to
    2**25 - 1 (T2) or 1023 (T3) wraps in its time field.
    """
    mt = np.asarray(stream.macrotime, dtype=np.int64)
    ch = np.asarray(stream.channel, dtype=np.int64)
    if mt.size and mt.min() < 0:
        raise QdlabInputError("macrotime must be >= 0 ticks to be written as PTU records")
    if ch.size and ch.max() > 62:
        raise QdlabInputError(f"channel must be 0..62 for PTU records, got {int(ch.max())}")
    if stream.mode == "T3":
        wrap, max_count, lowbits = HH_T3_WRAP, HH_T3_WRAP - 1, 10
        nt = np.asarray(stream.nanotime, dtype=np.int64)
        if nt.size and nt.max() > 0x7FFF:
            raise QdlabInputError(f"nanotime must be 0..32767 bins for PTU T3 records, got {int(nt.max())}")
    else:
        wrap, max_count, lowbits = HH_T2_WRAP_V2, HH_T2_WRAP_V2 - 1, 25
        nt = None
    ev_idx, ovf_idx, ovf_count = overflow_layout(mt, wrap, max_count)
    out = np.empty(mt.size + ovf_idx.size, dtype=np.uint32)
    ev = (ch.astype(np.uint32) << 25) | (mt % wrap).astype(np.uint32)
    if nt is not None:
        ev |= nt.astype(np.uint32) << lowbits
    out[ev_idx] = ev
    out[ovf_idx] = np.uint32(0xFE000000) | ovf_count.astype(np.uint32)
    return out


def _tag_entry(name: str, typ: int, value: Any = 0, idx: int = -1) -> bytes:
    ident = name.encode("ascii")
    if len(ident) > 31:
        raise ValueError(f"tag name too long: {name}")
    if typ in (TY_ANSISTRING,):
        payload = str(value).encode("utf-8") + b"\0"
        payload += b"\0" * (-len(payload) % 8)
        return struct.pack("<32siIq", ident, idx, typ, len(payload)) + payload
    if typ in (TY_FLOAT8, TY_TDATETIME):
        return struct.pack("<32siId", ident, idx, typ, float(value))
    return struct.pack("<32siIq", ident, idx, typ, int(value))


def _qdlab_version() -> str:
    try:
        from importlib.metadata import version
        return version("qdlab")
    except Exception:  # noqa: BLE001 - not installed as a distribution
        return "unknown"


def write_ptu(stream: PhotonStream, path: str | Path, record_format: str = "HydraHarp2") -> Path:
    """Write a :class:`PhotonStream` as a PicoQuant PTU file (T2 or T3), atomically.

    Parameters
    ----------
    stream : PhotonStream
        The photons. T2: ``macrotime`` ticks of ``macrotime_resolution_s`` become the
        time tags (``MeasDesc_GlobalResolution``). T3: ``macrotime`` counts syncs
        (``MeasDesc_GlobalResolution`` = sync period), ``nanotime`` 0..32767 bins of
        ``MeasDesc_Resolution``. Channels 0..62. An empty stream gives a valid file with
        zero records.
    path : str or pathlib.Path
        Output file; written to a temporary file beside it and moved into place, so no
        partial file is left on error.
    record_format : {"HydraHarp2", "MultiHarp", "TimeHarp260N", "TimeHarp260P"}
        The record type written (all share the HydraHarp V2 bit layout).

    Returns
    -------
    pathlib.Path
        ``path``.

    Notes
    -----
    ``metadata["ground_truth"]`` (a JSON-able dict) is stored as JSON in the AnsiString
    tag ``qdlab_GroundTruth`` and restored by :func:`read_ptu`.
    """
    if record_format not in PTU_WRITE_FORMATS:
        raise QdlabInputError(f"record_format must be one of {sorted(PTU_WRITE_FORMATS)}, "
                              f"got {record_format!r}")
    t2type, t3type, hw = PTU_WRITE_FORMATS[record_format]
    truth = ground_truth_json(stream.metadata)
    records = encode_hydraharp_v2(stream)
    t3 = stream.mode == "T3"
    mt = np.asarray(stream.macrotime, dtype=np.int64)
    channels = stream.channels
    if t3:
        res, globres = float(stream.nanotime_resolution_s), float(stream.macrotime_resolution_s)
        sync_period = globres
    else:
        res = globres = float(stream.macrotime_resolution_s)
        sync_period = stream.sync_period_s
    duration_ms = int(round((int(mt[-1]) if mt.size else 0) * globres * 1e3))
    tdatetime = time.time() / 86400.0 + 25569.0  # days since 1899-12-30
    header = [
        PTU_MAGIC, b"1.0.00\0\0",
        _tag_entry("File_CreatingTime", TY_TDATETIME, tdatetime),
        _tag_entry("CreatorSW_Name", TY_ANSISTRING, "qdlab"),
        _tag_entry("CreatorSW_Version", TY_ANSISTRING, _qdlab_version()),
        _tag_entry("HW_Type", TY_ANSISTRING, hw),
        _tag_entry("HW_InpChannels", TY_INT8, (max(channels) + 1) if channels else 1),
        _tag_entry("Measurement_Mode", TY_INT8, 3 if t3 else 2),
        _tag_entry("Measurement_SubMode", TY_INT8, 1),
        _tag_entry("MeasDesc_BinningFactor", TY_INT8, 1),
        _tag_entry("MeasDesc_Resolution", TY_FLOAT8, res),
        _tag_entry("MeasDesc_GlobalResolution", TY_FLOAT8, globres),
        _tag_entry("MeasDesc_AcquisitionTime", TY_INT8, duration_ms),
        _tag_entry("TTResult_SyncRate", TY_INT8,
                   int(round(1.0 / sync_period)) if sync_period else 0),
        _tag_entry("TTResult_NumberOfRecords", TY_INT8, records.size),
        _tag_entry("TTResultFormat_TTTRRecType", TY_INT8, t3type if t3 else t2type),
        _tag_entry("TTResultFormat_BitsPerRecord", TY_INT8, 32),
    ]
    if truth is not None:
        header.append(_tag_entry("qdlab_GroundTruth", TY_ANSISTRING, truth))
    header.append(_tag_entry("Header_End", TY_EMPTY8, 0))
    blob = b"".join(header)

    def _write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(blob)
            fh.write(records.astype("<u4", copy=False).tobytes())

    return atomic_write(path, _write)


def truncate_ptu(src: str | Path, dst: str | Path, n_records: int) -> Path:
    """Copy the header and the first ``n_records`` records of a PTU file (a smaller test file).

    The header is kept byte for byte except the value of ``TTResult_NumberOfRecords``,
    which becomes the number of records kept. Records are independent apart from the
    running overflow sum, so the photons of the copy are exactly the first photons of the
    original (tested in ``tests/test_timetags_real.py``).

    Parameters
    ----------
    src, dst : str or pathlib.Path
        Source PTU file and output file (written atomically).
    n_records : int
        Records to keep, >= 0; at most the number in ``src``.
    """
    data = read_bytes(src)
    tags, off = read_ptu_header(src, data)
    total = _int_tag(src, tags, "TTResult_NumberOfRecords")
    if not 0 <= int(n_records) <= total:
        raise QdlabInputError(f"n_records must be 0..{total}, got {n_records}")
    pos = data.find(b"TTResult_NumberOfRecords\0", 16, off)
    if pos < 0:
        raise input_error(src, "cannot locate the TTResult_NumberOfRecords tag")
    head = bytearray(data[:off])
    struct.pack_into("<q", head, pos + 40, int(n_records))
    body = data[off: off + 4 * int(n_records)]

    def _write(tmp: Path) -> None:
        tmp.write_bytes(bytes(head) + body)

    return atomic_write(dst, _write)
