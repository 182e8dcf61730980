"""Time-tag writers and readers: PTU (HydraHarp V2 family) and Photon-HDF5 round trips,
overflow marking, ground truth, atomic writes, and refusals of bad files."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from qdlab.errors import QdlabInputError
from qdlab.io.timetags import PhotonStream, read_timetags, write_timetags
from qdlab.io.timetags._common import overflow_layout
from qdlab.io.timetags.picoquant import decode_records, encode_hydraharp_v2, read_ptu_header

SUFFIXES = [".ptu", ".h5"]
TRUTH = {"g2_zero": 0.07, "lifetime_ns": 18.5, "on_exponent": 1.5, "nested": {"a": [1, 2]}}


def _t2(rng, n=5000, span=2**31, channels=2):
    mt = np.sort(rng.integers(0, span, n))
    return PhotonStream(macrotime=mt, channel=rng.integers(0, channels, n),
                        macrotime_resolution_s=1e-12, metadata={"ground_truth": TRUTH})


def _t3(rng, n=5000, span=2**27, channels=2):
    mt = np.sort(rng.integers(0, span, n))
    return PhotonStream(macrotime=mt, channel=rng.integers(0, channels, n),
                        macrotime_resolution_s=25e-9, nanotime=rng.integers(0, 2**15, n),
                        nanotime_resolution_s=1e-12, sync_period_s=25e-9, mode="T3",
                        metadata={"ground_truth": TRUTH})


def _same(a: PhotonStream, b: PhotonStream) -> None:
    assert b.mode == a.mode
    np.testing.assert_array_equal(b.macrotime, a.macrotime)
    np.testing.assert_array_equal(b.channel, a.channel)
    assert b.macrotime_resolution_s == pytest.approx(a.macrotime_resolution_s, rel=1e-15)
    if a.mode == "T3":
        np.testing.assert_array_equal(b.nanotime, a.nanotime)
        assert b.nanotime_resolution_s == pytest.approx(a.nanotime_resolution_s, rel=1e-15)
    assert b.metadata.get("ground_truth") == a.metadata.get("ground_truth")


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("mode", ["T2", "T3"])
def test_round_trip(tmp_path, suffix, mode):
    rng = np.random.default_rng(1)
    s = _t2(rng) if mode == "T2" else _t3(rng)
    f = write_timetags(s, tmp_path / f"x{suffix}")
    _same(s, read_timetags(f))
    assert [p.name for p in tmp_path.iterdir()] == [f"x{suffix}"]  # no temporary left


@pytest.mark.parametrize("mode", ["T2", "T3"])
def test_ptu_overflows_across_many_wraps(tmp_path, mode):
    """Gaps of 0, 1, many and more than one record's worth of wraps (2**25 T2, 1024 T3)."""
    wrap, maxc = (2**25, 2**25 - 1) if mode == "T2" else (1024, 1023)
    mt = np.array([0, 3, wrap - 1, wrap, wrap + 1, 5 * wrap + 7, 5 * wrap + 7,
                   (5 + maxc) * wrap + 2, (7 + 3 * maxc) * wrap + wrap - 1], dtype=np.int64)
    kw = {"macrotime_resolution_s": 1e-12}
    if mode == "T3":
        kw = {"macrotime_resolution_s": 12.5e-9, "nanotime": np.arange(mt.size) * 100,
              "nanotime_resolution_s": 4e-12, "mode": "T3"}
    s = PhotonStream(macrotime=mt, channel=np.arange(mt.size) % 3, **kw)
    rec = encode_hydraharp_v2(s)
    ovf = (rec >> 25) == 0x7F  # special bit + channel 63
    # overflow records: wraps before photon i is w_i - w_{i-1}, split into <= maxc per record
    dw = np.diff(mt // wrap, prepend=0)
    assert int(ovf.sum()) == int(sum(-(-d // maxc) for d in dw))
    assert int(np.where(ovf, rec & (wrap - 1 if mode == "T2" else 0x3FF), 0).sum()) == int(mt[-1] // wrap)
    f = write_timetags(s, tmp_path / "o.ptu")
    back = read_timetags(f)
    _same(s, back)
    assert back.metadata["n_overflows"] == int(ovf.sum())
    assert back.metadata["n_records"] == mt.size + int(ovf.sum())


def test_overflow_layout_positions():
    ev, ov, cnt = overflow_layout(np.array([1, 25, 26, 95]), wrap=10, max_count=3)
    # periods 0, 2, 2, 9: 2 wraps before #1 (one record), 7 before #3 (3+3+1)
    np.testing.assert_array_equal(ev, [0, 2, 3, 7])
    np.testing.assert_array_equal(ov, [1, 4, 5, 6])
    np.testing.assert_array_equal(cnt, [2, 3, 3, 1])


@pytest.mark.parametrize("record_format", ["MultiHarp", "TimeHarp260N", "TimeHarp260P"])
def test_ptu_other_record_types(tmp_path, record_format):
    s = _t3(np.random.default_rng(2), n=300)
    f = write_timetags(s, tmp_path / "x.ptu", record_format=record_format)
    back = read_timetags(f)
    _same(s, back)
    assert record_format in back.metadata["record_type"]


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("mode", ["T2", "T3"])
def test_empty_stream_round_trips(tmp_path, suffix, mode):
    kw = {"nanotime": np.array([], dtype=int), "nanotime_resolution_s": 1e-12, "mode": "T3"} \
        if mode == "T3" else {}
    s = PhotonStream(macrotime=np.array([], dtype=np.int64), channel=np.array([], dtype=int),
                     macrotime_resolution_s=1e-8, **kw)
    back = read_timetags(write_timetags(s, tmp_path / f"e{suffix}"))
    assert back.n_photons == 0 and back.mode == mode


def test_ptu_header_tags(tmp_path):
    s = _t3(np.random.default_rng(3), n=10)
    f = write_timetags(s, tmp_path / "h.ptu")
    tags, _ = read_ptu_header(f, f.read_bytes())
    assert tags["TTResultFormat_TTTRRecType"] == 0x01010304
    assert tags["Measurement_Mode"] == 3
    assert tags["MeasDesc_GlobalResolution"] == 25e-9
    assert tags["TTResult_SyncRate"] == 40_000_000


def test_no_partial_file_on_error(tmp_path):
    s = PhotonStream(macrotime=np.array([1, 2]), channel=np.array([0, 70]), macrotime_resolution_s=1e-12)
    with pytest.raises(QdlabInputError, match="channel must be 0..62"):
        write_timetags(s, tmp_path / "bad.ptu")
    bad_truth = PhotonStream(macrotime=np.array([1]), channel=np.array([0]), macrotime_resolution_s=1e-12,
                             metadata={"ground_truth": {"x": object()}})
    for suffix in SUFFIXES:
        with pytest.raises(QdlabInputError, match="ground_truth"):
            write_timetags(bad_truth, tmp_path / f"bad{suffix}")
    assert list(tmp_path.iterdir()) == []


def test_write_refuses_unknown_suffix(tmp_path):
    s = _t2(np.random.default_rng(0), n=3)
    with pytest.raises(QdlabInputError, match="no time-tag writer"):
        write_timetags(s, tmp_path / "x.csv")


def test_unknown_options_refused(tmp_path):
    s = _t2(np.random.default_rng(0), n=3)
    with pytest.raises(QdlabInputError, match="unknown option.*card.*allowed: record_format"):
        write_timetags(s, tmp_path / "x.ptu", card="SPC-130")
    f = write_timetags(s, tmp_path / "x.ptu")
    with pytest.raises(QdlabInputError, match="unknown option.*card"):
        read_timetags(f, card="SPC-130")
    assert read_timetags(f, max_bytes=10**6).n_photons == 3


# ---------------------------------------------------------------- corrupt / truncated input
def _ptu_bytes(tmp_path):
    s = _t2(np.random.default_rng(4), n=100)
    return write_timetags(s, tmp_path / "g.ptu").read_bytes()


@pytest.mark.parametrize("cut", [4, 20, 100, -3, -40])
def test_truncated_ptu_refused(tmp_path, cut):
    data = _ptu_bytes(tmp_path)
    f = tmp_path / "t.ptu"
    f.write_bytes(data[:cut])
    with pytest.raises(QdlabInputError, match="t.ptu"):
        read_timetags(f)


def test_wrong_magic_and_unknown_record_type(tmp_path):
    data = bytearray(_ptu_bytes(tmp_path))
    f = tmp_path / "m.ptu"
    f.write_bytes(b"XXXXXXXX" + bytes(data[8:]))
    with pytest.raises(QdlabInputError, match="not a PicoQuant PTU"):
        read_timetags(f)
    i = bytes(data).index(b"TTResultFormat_TTTRRecType")
    struct.pack_into("<q", data, i + 40, 0x00099999)
    f.write_bytes(bytes(data))
    with pytest.raises(QdlabInputError, match="unknown or unsupported TTTR record type"):
        read_timetags(f)


def test_size_limit(tmp_path):
    f = tmp_path / "s.ptu"
    f.write_bytes(_ptu_bytes(tmp_path))
    with pytest.raises(QdlabInputError, match="exceeds the limit"):
        read_timetags(f, max_bytes=100)


@pytest.mark.parametrize("content", [b"", b"not hdf5 at all", b"\x89HDF\r\n\x1a\n" + b"\0" * 50])
def test_bad_hdf5_refused(tmp_path, content):
    f = tmp_path / "b.h5"
    f.write_bytes(content)
    with pytest.raises(QdlabInputError, match="b.h5"):
        read_timetags(f)


def test_hdf5_truncated_refused(tmp_path):
    data = write_timetags(_t2(np.random.default_rng(5), n=2000), tmp_path / "g.h5").read_bytes()
    f = tmp_path / "c.h5"
    f.write_bytes(data[: len(data) // 2])
    with pytest.raises(QdlabInputError, match="c.h5"):
        read_timetags(f)


def test_hdf5_not_photon_hdf5(tmp_path):
    import h5py
    f = tmp_path / "o.h5"
    with h5py.File(f, "w") as h5:
        h5["x"] = np.arange(3)
    with pytest.raises(QdlabInputError, match="not Photon-HDF5"):
        read_timetags(f)


# ---------------------------------------------------------------- decoder against hand-made records
def test_decode_hydraharp_v1_and_v2_t2():
    # V1: each overflow adds 33552000; V2: the overflow's time field counts wraps (0 means 1)
    ovf = lambda n: 0xFE000000 | n  # noqa: E731
    photon = lambda ch, t: (ch << 25) | t  # noqa: E731
    sync = 0x80000000 | 17
    marker = 0x80000000 | (2 << 25) | 9
    rec = np.array([photon(0, 5), ovf(0), photon(1, 6), ovf(3), sync, marker, photon(2, 7)], dtype=np.uint32)
    v1 = decode_records(rec, "T2", "hydraharp", 1)
    assert v1["macrotime"].tolist() == [5, 33552000 + 6, 2 * 33552000 + 7]
    v2 = decode_records(rec, "T2", "hydraharp", 2)
    assert v2["macrotime"].tolist() == [5, 2**25 + 6, 4 * 2**25 + 7]
    assert v2["channel"].tolist() == [0, 1, 2]
    assert (v2["n_overflows"], v2["n_markers"], v2["n_sync_events"]) == (2, 1, 1)


def test_decode_picoharp_t3_and_t2():
    # T3: nsync 0-15, dtime 16-27, chan 28-31 (1..4 photons, 15 special: dtime 0 overflow)
    rec = np.array([(1 << 28) | (100 << 16) | 10, (15 << 28), (4 << 28) | (7 << 16) | 3,
                    (15 << 28) | (2 << 16) | 5], dtype=np.uint32)
    d = decode_records(rec, "T3", "picoharp", 1)
    assert d["macrotime"].tolist() == [10, 65536 + 3]
    assert d["nanotime"].tolist() == [100, 7]
    assert d["channel"].tolist() == [0, 3]
    assert d["n_markers"] == 1
    rec2 = np.array([(0 << 28) | 1000, (15 << 28), (1 << 28) | 4, (15 << 28) | 4], dtype=np.uint32)
    d2 = decode_records(rec2, "T2", "picoharp", 1)
    assert d2["macrotime"].tolist() == [1000, 210698240 + 4]
    assert d2["channel"].tolist() == [0, 1]
    assert d2["n_markers"] == 1


def test_ptu_measurement_mode_overrides_a_contradicting_record_type(tmp_path):
    """phconvert issue #64: UniHarp TimeHarp 260 files with T3 data and a T2 record type."""
    s = _t3(np.random.default_rng(6), n=500)
    data = bytearray(write_timetags(s, tmp_path / "th.ptu", record_format="TimeHarp260P").read_bytes())
    i = bytes(data).index(b"TTResultFormat_TTTRRecType")
    struct.pack_into("<q", data, i + 40, 0x00010206)  # TimeHarp260P T2
    f = tmp_path / "mislabelled.ptu"
    f.write_bytes(bytes(data))
    back = read_timetags(f)
    _same(s, back)
    assert back.metadata["record_type"] == "TimeHarp260P T3"
    assert "disagrees with Measurement_Mode 3" in back.metadata["notes"][0]


# ---------------------------------------------------------------- legacy headers (synthetic files)
def _picoharp_t3_records(mt, ch, dt):
    """PicoHarp T3 records with one overflow record (channel 15, dtime 0) per 65536 syncs."""
    out, period = [], 0
    for m, c, d in zip(mt, ch, dt, strict=True):
        while m // 65536 > period:
            out.append(15 << 28)
            period += 1
        out.append(((c + 1) << 28) | (d << 16) | (m % 65536))
    return np.array(out, dtype="<u4")


def test_pt3_legacy_file(tmp_path):
    """Header laid out as in PicoQuant's PT3 demo (format 2.0); not checked on a real file."""
    from qdlab.io.timetags.picoquant_legacy import PT_HEADER
    rng = np.random.default_rng(7)
    mt = np.sort(rng.integers(0, 300_000, 400))
    ch, dt = rng.integers(0, 4, 400), rng.integers(0, 4096, 400)
    rec = _picoharp_t3_records(mt, ch, dt)
    h = np.zeros(1, PT_HEADER)
    h["Ident"], h["FormatVersion"], h["MeasurementMode"] = b"PicoHarp 300", b"2.0", 3
    h["Resolution"], h["CntRate0"], h["nRecords"], h["ImgHdrSize"] = 0.004, 40_000_000, rec.size, 2
    f = tmp_path / "x.pt3"
    f.write_bytes(h.tobytes() + np.zeros(2, "<i4").tobytes() + rec.tobytes())
    s = read_timetags(f)
    assert s.mode == "T3" and s.metadata["n_overflows"] == int(mt[-1] // 65536)
    np.testing.assert_array_equal(s.macrotime, mt)
    np.testing.assert_array_equal(s.channel, ch)
    np.testing.assert_array_equal(s.nanotime, dt)
    assert s.macrotime_resolution_s == pytest.approx(25e-9)
    assert s.nanotime_resolution_s == pytest.approx(4e-12)
    f.write_bytes(h.tobytes()[:300])
    with pytest.raises(QdlabInputError, match="truncated"):
        read_timetags(f)


def test_ht2_legacy_file(tmp_path):
    """HydraHarp HT2 format 2.0 (V2 records, T2 in 1 ps base-resolution ticks); synthetic."""
    from qdlab.io.timetags.picoquant_legacy import HT_HEADER, HT_INPUT, HT_TTMODE
    s0 = _t2(np.random.default_rng(8), n=300, span=2**30)
    rec = encode_hydraharp_v2(s0)
    h = np.zeros(1, HT_HEADER)
    h["Ident"], h["FormatVersion"], h["MeasurementMode"] = b"HydraHarp", b"2.0", 2
    h["BaseResolution"], h["InpChansPresent"] = 1.0, 2
    tt = np.zeros(1, HT_TTMODE)
    tt["SyncRate"], tt["nRecords"] = 0, rec.size
    f = tmp_path / "x.ht2"
    f.write_bytes(h.tobytes() + np.zeros(2, HT_INPUT).tobytes() + tt.tobytes() + rec.tobytes())
    s = read_timetags(f)
    assert s.mode == "T2" and s.macrotime_resolution_s == pytest.approx(1e-12)
    np.testing.assert_array_equal(s.macrotime, s0.macrotime)
    np.testing.assert_array_equal(s.channel, s0.channel)


def test_spc600_4096_records(tmp_path):
    """48-bit SPC-600/630 4096-channel records (layout of the module docstring; synthetic)."""
    from qdlab.io.timetags.becker_hickl import read_spc
    mt = np.array([5, 70_000, 2**24 - 1, 2**24 + 3, 3 * 2**24 + 9])
    adc, rout = np.array([4095, 0, 100, 2000, 7]), np.array([0, 1, 2, 3, 0])
    rows, period = [], 0
    for m, a, r in zip(mt, adc, rout, strict=True):
        ovf = m // 2**24 - period
        period = m // 2**24
        for _ in range(max(ovf - 1, 0)):  # invalid records carrying one overflow each
            rows.append([0, (1 << 4) | (1 << 5), 0, 0, 0, 0])
        low = m % 2**24
        w0 = int(a) | ((1 << 13) if ovf >= 1 else 0)
        rows.append([w0 & 0xFF, w0 >> 8, low >> 16, 255 - r, low & 0xFF, (low >> 8) & 0xFF])
    f = tmp_path / "x.spc"
    f.write_bytes(np.array(rows, dtype=np.uint8).tobytes())
    s = read_spc(f, card="SPC-600-4096")
    np.testing.assert_array_equal(s.macrotime, mt)
    np.testing.assert_array_equal(s.nanotime, 4095 - adc)
    np.testing.assert_array_equal(s.channel, rout)
    assert s.macrotime_resolution_s == 50e-9 and s.metadata["nanotime_resolution_assumed"]
