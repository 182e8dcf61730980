"""Core/shell band offsets and first excitons against published core/shell data.

Nothing here is fitted: the model uses the stored electron affinities and gaps.  The
packaged measured series (``qdlab/_data/core_shell_series.csv``) has no row yet (see
``qdlab/_data/README.md``); the per-point test below then reports an empty parameter set
and runs on every row added there.
"""

from __future__ import annotations

import json
import math
from importlib import resources

import pytest
from typer.testing import CliRunner

from qdlab.cli.main import app
from qdlab.electronic.sphere.core_shell_validation import (
    CoreShellPoint,
    core_shell_first_exciton,
    core_shell_validation,
    load_core_shell_literature,
    load_core_shell_series,
    offset_checks,
    regime_checks,
    series_rms,
    shell_shift_predictions,
)
from qdlab.errors import QdlabInputError

README = resources.files("qdlab").joinpath("_data", "README.md").read_text(encoding="utf-8")


def test_every_literature_row_is_cited_and_consistent():
    rows = load_core_shell_literature()
    assert rows
    for e in rows:
        assert f"- {e.source}:" in README, e.source
        assert e.kind in ("valence_offset_eV", "conduction_offset_eV", "regime")
        if e.kind != "regime":
            assert e.low is not None and e.high is not None and e.low <= e.high


def test_every_series_row_is_cited():
    for p in load_core_shell_series():
        assert f"- {p.source}:" in README, p.source
        assert p.value_kind in ("stated", "digitised")
        assert p.uncertainty_eV > 0 and p.core_diameter_nm > 0 and p.shell_nm >= 0


@pytest.mark.parametrize("point", load_core_shell_series(),
                         ids=lambda p: f"{p.series}-{p.core}/{p.shell}-{p.shell_nm}nm")
def test_measured_core_shell_first_exciton(point):
    # tolerance: the uncertainty the row states (core sizing, peak read-off), never widened
    row = core_shell_validation([point])[0]
    assert abs(row["error_eV"]) <= point.uncertainty_eV, row


def test_model_column_is_what_qdlab_levels_prints():
    res = CliRunner().invoke(app, ["levels", "CdSe/CdS", "--core-diameter", "3",
                                   "--shell", "1.5", "--json"])
    assert res.exit_code == 0, res.output
    cli = json.loads(res.output)["first_exciton_eV"]
    out = core_shell_first_exciton("CdSe", "CdS", 3.0, 1.5)
    assert out["single_band_eV"] == pytest.approx(cli, abs=1e-9)
    assert math.isfinite(out["kp_eV"])


def test_series_rms_separates_a_common_core_size_error():
    # a constant error (e.g. a core-size error) shows in the absolute RMS, not in the shift
    model = {t: core_shell_first_exciton("CdSe", "ZnS", 3.0, t, kp=False)["single_band_eV"]
             for t in (0.0, 0.7)}
    pts = [CoreShellPoint("s", "CdSe", "ZnS", 3.0, t, e - 0.04, 0.03, "stated", "x", "-")
           for t, e in model.items()]
    rows = core_shell_validation(pts, kp=False)
    assert [r["within"] for r in rows] == [False, False]
    s = series_rms(rows)[0]
    assert s["n"] == 2 and s["rms_eV"] == pytest.approx(0.04, abs=1e-12)
    assert s["rms_shift_eV"] == pytest.approx(0.0, abs=1e-12)
    assert math.isnan(s["rms_kp_eV"])


@pytest.mark.xfail(strict=False, reason=(
    "stored InP/ZnSe valence offset 1.057 eV (InP affinity 4.38 eV, Ioffe; ZnSe 4.09 eV, "
    "Swank 1967; with the gaps) is 0.057 eV above the 0.85-1.00 eV that Russkikh et al. "
    "2026 find compatible with measured one- and two-photon absorption (and 0.49 eV above "
    "the 0.57 eV natural offset they quote)"))
def test_inp_znse_valence_offset_within_published_range():
    row = {r["id"]: r for r in offset_checks()}["russkikh2026_fit"]
    assert row["miss_eV"] == 0.0, row


def test_znse_cdse_type_i_to_type_ii_to_type_i():
    # Balet et al. 2004: fixed ZnSe core, growing CdSe shell; the core size is not in the
    # text at hand, so the sequence must appear for every usual core size
    for r in regime_checks():
        assert r["interior_minimum"], r
        assert r["separated_stage"], r
        assert r["both_in_shell"], r
        assert r["stages"][-1] == "inverse type I", r


def test_cds_shell_red_shifts_more_than_zns_and_grows_with_thickness():
    rows = shell_shift_predictions([("CdSe", "CdS", 3.0), ("CdSe", "ZnS", 3.0)],
                                   [0.35, 0.7, 1.4], kp=False)
    cds = [r["shift_eV"] for r in rows if r["shell"] == "CdS" and r["shell_nm"] > 0]
    zns = [r["shift_eV"] for r in rows if r["shell"] == "ZnS" and r["shell_nm"] > 0]
    assert all(a < b < 0 for a, b in zip(cds, zns, strict=True))
    assert cds == sorted(cds, reverse=True)


@pytest.mark.parametrize("call", [
    lambda: core_shell_first_exciton("CdSe", "CdS", 3.0, -1.0),
    lambda: core_shell_first_exciton("CdSe", "CdS", 0.0, 1.0),
    lambda: core_shell_first_exciton("CdSe", "CdS", 3.0, float("nan")),
    lambda: regime_checks(shells_nm=(0.5, 1.0)),
    lambda: shell_shift_predictions(shells_nm=(0.0,)),
])
def test_bad_input_is_refused(call):
    with pytest.raises(QdlabInputError):
        call()
