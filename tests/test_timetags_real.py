"""Time-tag readers on real instrument files (tests/data/timetags/, sources in tests/data/README.md).

Each file is compared with values computed without qdlab (reference_values.json, written by
scripts/timetag_reference_values.py: phconvert, a record-by-record loop after PicoQuant's demo
code, or tttrlib's published reference arrays), and checked for plausibility against its own
header (record count, resolutions, acquisition time, count-rate meters).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qdlab.errors import QdlabInputError
from qdlab.io.timetags import read_timetags
from qdlab.io.timetags.becker_hickl import read_spc
from qdlab.io.timetags.picoquant import truncate_ptu

DATA = Path(__file__).parent / "data" / "timetags"
REF = json.loads((DATA / "reference_values.json").read_text())


@pytest.mark.parametrize("name", sorted(REF))
def test_matches_independent_reference(name):
    ref = REF[name]
    s = read_timetags(DATA / name)
    mt = np.asarray(s.macrotime, dtype=np.int64)
    assert s.n_photons == ref["n_photons"]
    if "n_photons_before_first_overflow" in ref:  # tttrlib's SPC-630 macro times are valid only up to there
        mt = mt[: ref["n_photons_before_first_overflow"]]
    assert str(int(mt.sum())) == ref["sum_macrotime"]
    assert mt[:5].tolist() == ref["first_macrotime"]
    assert int(mt[-1]) == ref["last_macrotime"]
    counts = {str(c): int(np.count_nonzero(s.channel == c)) for c in s.channels}
    assert counts == ref["channel_counts"]
    if "sum_nanotime" in ref:
        assert str(int(np.asarray(s.nanotime, dtype=np.int64).sum())) == ref["sum_nanotime"]


def _all_files():
    return sorted(p.name for p in DATA.iterdir()
                  if p.suffix in {".ptu", ".ht3", ".t3r", ".spc", ".h5"} and "truncated" not in p.name)


@pytest.mark.parametrize("name", _all_files())
def test_every_real_file_reads_plausibly(name):
    s = read_timetags(DATA / name)
    assert s.n_photons > 1000
    assert np.all(np.diff(s.macrotime) >= 0)
    assert 1e-13 < s.macrotime_resolution_s < 1e-4  # ps tags .. 10 kHz sync
    if s.mode == "T3":
        assert 1e-13 < s.nanotime_resolution_s < 1e-9  # TCSPC bins: 1 ps .. 1 ns
        assert s.nanotime.max() < 2**15
    assert set(s.channels) <= set(range(64))
    md = s.metadata
    if "n_records" in md:
        assert md["n_records"] >= s.n_photons + md["n_markers"]


# header-stated record counts and measurement times (ms): StopAfter where the file has it
HEADER_FACTS = {
    "hydraharp_v10_t3.ptu": ("HydraHarp V1 T3", 167801, 30000, 4e-7, 1.28e-10),
    "hydraharp_v20_t3.ptu": ("HydraHarp V2 T3", 106349, 10000, 1 / 4999960, 6.4e-11),
    "microtime200_hh400_beads.ptu": ("HydraHarp V2 T3", 104776, 10559, 1 / 39999960, 1.6e-11),
    "hydraharp_v20.ht3": ("HydraHarp V2 T3", 53606, 10000, 1 / 998898, 1.6e-11),
    "timeharp200_v50.t3r": ("TimeHarp200 T3R", 86997, 9344, 1e-7, 7.0237e-11),
}


@pytest.mark.parametrize("name", sorted(HEADER_FACTS))
def test_header_counts_resolution_and_duration(name):
    rectype, n_rec, stop_ms, macro_res, nano_res = HEADER_FACTS[name]
    s = read_timetags(DATA / name)
    md = s.metadata
    assert md["record_type"] == rectype
    assert md["n_records"] == n_rec
    header_bytes = (DATA / name).stat().st_size - 4 * n_rec
    assert 0 < header_bytes < 20000  # the records fill the file after its header
    assert s.macrotime_resolution_s == pytest.approx(macro_res, rel=1e-6)
    assert s.nanotime_resolution_s == pytest.approx(nano_res, rel=1e-4)
    # the photons span the acquisition: last photon within the stated stop time, and close to it
    assert 0.99 * stop_ms * 1e-3 < s.times_s[-1] <= stop_ms * 1e-3 + 1e-3


def test_ptu_record_count_matches_header_tag():
    for name in ("hydraharp_v10_t3.ptu", "hydraharp_v20_t3.ptu", "hydraharp_v20_t2_first100k.ptu",
                 "picoharp_v30_t2_first100k.ptu", "microtime200_hh400_beads.ptu"):
        s = read_timetags(DATA / name)
        assert s.metadata["n_records"] == s.metadata["tags"]["TTResult_NumberOfRecords"]


def test_picoharp_t2_rates_match_the_count_rate_meters():
    """PicoHarp 300 T2: channel 0 is the sync input, channel 1 the detector; the header's rate
    meters (SyncRate, InputRate(0)) must match the photon rates to a few per cent."""
    s = read_timetags(DATA / "picoharp_v30_t2_first100k.ptu")
    tags = s.metadata["tags"]
    assert s.macrotime_resolution_s == 4e-12
    rate = {c: np.count_nonzero(s.channel == c) / s.duration_s for c in (0, 1)}
    assert rate[0] == pytest.approx(tags["TTResult_SyncRate"], rel=0.03)
    assert rate[1] == pytest.approx(tags["TTResult_InputRate(0)"], rel=0.03)


def test_microtime_markers_are_counted_not_photons():
    s = read_timetags(DATA / "microtime200_hh400_beads.ptu")
    assert s.metadata["n_markers"] == 100  # line/frame markers of the scan (phconvert: ids 68, 72)
    assert s.channels == (0, 1)


def test_spc_cards_detected():
    assert read_timetags(DATA / "bh_spc132.spc").metadata["card"] == "SPC-130"
    s = read_timetags(DATA / "bh_spc630_256_first100k.spc")
    assert s.metadata["card"] == "SPC-600-256"
    assert s.metadata["nanotime_resolution_assumed"]
    with pytest.raises(QdlabInputError, match="go backwards"):
        read_spc(DATA / "bh_spc630_256_first100k.spc", card="SPC-130")


def test_spc132_clock_from_header():
    s = read_timetags(DATA / "bh_spc132.spc")
    assert s.macrotime_resolution_s == pytest.approx(13.5e-9)  # 135 x 0.1 ns in the first record
    assert s.metadata["macrotime_clock_from_file"]


def test_photon_hdf5_from_phconvert_equals_its_source():
    a = read_timetags(DATA / "phconvert_hydraharp_v20_t3.h5")
    b = read_timetags(DATA / "hydraharp_v20_t3.ptu")
    assert a.mode == b.mode == "T3"
    np.testing.assert_array_equal(a.macrotime, b.macrotime)
    np.testing.assert_array_equal(a.channel, b.channel)
    np.testing.assert_array_equal(a.nanotime, b.nanotime)
    assert a.macrotime_resolution_s == pytest.approx(b.macrotime_resolution_s, rel=1e-12)
    assert a.nanotime_resolution_s == pytest.approx(b.nanotime_resolution_s, rel=1e-12)


def test_truncate_ptu_keeps_the_first_photons(tmp_path):
    full = read_timetags(DATA / "hydraharp_v20_t3.ptu")
    cut = read_timetags(truncate_ptu(DATA / "hydraharp_v20_t3.ptu", tmp_path / "cut.ptu", 50000))
    assert cut.metadata["n_records"] == 50000
    n = cut.n_photons
    assert 0 < n < full.n_photons
    np.testing.assert_array_equal(cut.macrotime, full.macrotime[:n])
    np.testing.assert_array_equal(cut.nanotime, full.nanotime[:n])
    with pytest.raises(QdlabInputError, match="n_records"):
        truncate_ptu(DATA / "hydraharp_v20_t3.ptu", tmp_path / "x.ptu", 10**9)


def test_real_truncated_ht3_is_refused_with_the_reason():
    """The sample repository keeps only the first 5000 bytes of this HydraHarp V1 file."""
    with pytest.raises(QdlabInputError, match=r"hydraharp_v10_truncated.ht3.*72463591 records.*truncated"):
        read_timetags(DATA / "hydraharp_v10_truncated.ht3")


@pytest.mark.parametrize("name", _all_files())
def test_corrupted_real_files_give_a_clear_error_or_a_valid_stream(tmp_path, name):
    """Truncations and random byte changes (seeded): a QdlabInputError naming the file, or a
    stream that passed PhotonStream's checks; never another exception."""
    data = (DATA / name).read_bytes()
    rng = np.random.default_rng(sum(name.encode()))
    for k in range(12):
        b = bytearray(data)
        if k % 3 == 0:
            b = b[: int(rng.integers(0, len(b)))]
        else:
            span = 8192 if k % 3 == 1 else len(b)  # header region, or anywhere
            for _ in range(int(rng.integers(1, 30))):
                b[int(rng.integers(0, min(span, len(b))))] = int(rng.integers(0, 256))
        f = tmp_path / f"c{k}_{name}"
        f.write_bytes(bytes(b))
        try:
            s = read_timetags(f)
        except QdlabInputError as exc:
            assert f.name in str(exc)
        else:
            assert np.all(np.diff(s.macrotime) >= 0)
