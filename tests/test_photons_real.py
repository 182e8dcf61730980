"""Photon analysis of the real time-tag files in tests/data/timetags (sources and licences
in tests/data/README.md).

Every file goes through :func:`~qdlab.photons.analysis.report.analyse_stream` and
``qdlab photons analyse FILE --json``: each headline number is a finite value with a
finite positive uncertainty, or null with a ``<name>_reason``; the JSON holds no NaN or
infinity; the CLI prints exactly what the library returns.  What is known about a file
from its source is checked: one-channel files have no g2, T2 files no lifetime, the
Becker & Hickl macrotime clock (13.5 / 50 ns) is too coarse for a CW g2, the PicoHarp T2
file records the laser sync as channel 0 (so its "g2" is the correlation of the sync
with the detector: 1 within its error, flagged as not a single emitter), the TimeHarp
200 delays are reversed start-stop, the Photon-HDF5 file made by phconvert from
hydraharp_v20_t3.ptu analyses exactly as its source, and the truncated HT3 file is
refused in one line with exit 2.  None of these files states a lifetime or g2 of its
own, so no such value is asserted.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qdlab.cli.main import app
from qdlab.io.timetags import read_timetags
from qdlab.photons.analysis.report import MAX_LISTED_CHANGE_POINTS, analyse_stream

DATA = Path(__file__).parent / "data" / "timetags"
FILES = sorted(p.name for p in DATA.iterdir()
               if p.suffix in {".ptu", ".ht3", ".t3r", ".spc", ".h5"}
               and "truncated" not in p.name)
#: Headline numbers and their uncertainties.
NUMBERS = {"g2_zero": "g2_zero_err", "lifetime_ns": "lifetime_err_ns",
           "on_exponent": "on_exponent_err", "off_exponent": "off_exponent_err",
           "qy_ratio_xx_x": "qy_ratio_xx_x_err"}


@cache
def analysed(name: str) -> dict:
    stream = read_timetags(DATA / name)
    d = analyse_stream(stream).to_dict()
    d["_sync_period_s"] = stream.sync_period_s
    return d


def _no_nan(value):
    raise AssertionError(f"non-finite number in the JSON: {value}")


@pytest.mark.parametrize("name", FILES)
def test_every_number_has_an_uncertainty_or_a_reason(name):
    d = analysed(name)
    json.loads(json.dumps(d, allow_nan=False), parse_constant=_no_nan)
    for key, err_key in NUMBERS.items():
        v = d[key]
        if v is None:
            assert isinstance(d.get(f"{key}_reason"), str) and d[f"{key}_reason"], key
            continue
        err = d[err_key]
        assert math.isfinite(v) and err is not None and math.isfinite(err) and err > 0, \
            (key, v, err)
    assert d["n_photons"] > 1000 and d["duration_s"] > 0
    assert isinstance(d["change_points"], int) and d["change_points"] >= 0
    times = d["change_point_times_s"]
    assert len(times) == min(d["change_points"], MAX_LISTED_CHANGE_POINTS)
    assert times == sorted(times)
    assert d["n_levels"] == len(d["level_rates_cps"]) >= 1
    assert all(r > 0 for r in d["level_rates_cps"])
    assert d["quality"] in ("good", "uncertain", "poor")
    assert (d["quality"] == "good") == (not d["quality_notes"])
    # physical ranges
    if d["g2_zero"] is not None:
        assert d["g2_zero"] >= 0
    for key in ("on_exponent", "off_exponent"):
        if d[key] is not None:
            assert 1.0 < d[key] < 10.0
            assert d[f"{key.split('_')[0]}_tail_periods"] >= 20
    if d["lifetime_ns"] is not None:
        assert d["mode"] == "T3"
        assert 0 < d["lifetime_ns"]
        assert len(d["lifetimes_ns"]) == len(d["lifetimes_err_ns"]) >= 1
        if d["_sync_period_s"] is not None:      # the fit is bounded to 50 periods
            assert d["lifetime_ns"] < 50 * d["_sync_period_s"] * 1e9
    if d["mode"] == "T2":
        assert d["lifetime_ns"] is None and "T2" in d["lifetime_ns_reason"]
    if len(d["channels"]) == 1:
        assert d["g2_zero"] is None and "one detector channel" in d["g2_zero_reason"]


@pytest.mark.parametrize("name", FILES)
def test_cli_json_is_the_library_result(name):
    res = CliRunner().invoke(app, ["photons", "analyse", str(DATA / name), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout, parse_constant=_no_nan)
    expected = {k: v for k, v in analysed(name).items() if not k.startswith("_")}
    assert d.pop("file") == str(DATA / name)
    assert d == json.loads(json.dumps(expected))


@pytest.mark.parametrize("name", ["bh_spc132.spc", "bh_spc630_256_first100k.spc"])
def test_becker_hickl_macrotime_too_coarse_for_cw_g2(name):
    d = analysed(name)
    assert d["g2_zero"] is None and "resolved to" in d["g2_zero_reason"]
    assert d["lifetime_ns"] is not None      # the TCSPC delays are there


def test_picoharp_t2_sync_channel_gives_g2_one_and_a_poor_verdict():
    """The PicoHarp file's channel 0 is the laser sync (tests/data/README.md): the sync
    is uncorrelated with the photon number, so the centre and side peaks are equal."""
    d = analysed("picoharp_v30_t2_first100k.ptu")
    assert d["g2_method"] == "pulsed"
    assert abs(d["g2_zero"] - 1.0) < 4 * d["g2_zero_err"]
    assert d["quality"] == "poor" and any("not a single emitter" in n
                                          for n in d["quality_notes"])


def test_timeharp_reversed_start_stop_is_detected():
    d = analysed("timeharp200_v50.t3r")
    assert d["lifetime_reversed_delays"] is True
    assert any("reversed" in n for n in d["quality_notes"])


def test_photon_hdf5_copy_analyses_as_its_source():
    a = dict(analysed("phconvert_hydraharp_v20_t3.h5"))
    b = dict(analysed("hydraharp_v20_t3.ptu"))
    assert a == b


def test_truncated_file_refused_in_one_line():
    res = CliRunner().invoke(app, ["photons", "analyse",
                                   str(DATA / "hydraharp_v10_truncated.ht3"), "--json"])
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "truncated" in lines[0]
