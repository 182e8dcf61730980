"""Regression tests of the findings of ``scripts/fuzz_cli.py`` and ``scripts/fuzz_api.py``.

One test per finding (issue 10): a command either refuses the input with one
``error:`` line and exit status 2, or answers with numbers that can be right
(fractions in [0, 1], positive concentrations and wavelengths, no ``null`` for a
number without a ``*_reason``).
"""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qdlab.cli.main import app
from qdlab.optics.colour import gamut_coverage, gaussian_line
from qdlab.sizing.quality import RESULT_NUMBERS, null_reasons
from qdlab.sizing.series import results_table

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_gamut_coverage_is_at_most_one():
    # fuzz_cli: `qdlab colour --gamut 460:30 --gamut 530:30 --gamut 630:30 --json` printed
    # "coverage_upvp": 1.0000000000000004 (round-off of the polygon intersection)
    g = gamut_coverage([gaussian_line(c, 30.0) for c in (460.0, 530.0, 630.0)])
    for ref in ("sRGB", "DCI-P3", "Rec.2020"):
        for key in ("coverage_xy", "coverage_upvp"):
            assert 0.0 <= g[ref][key] <= 1.0, (ref, key, g[ref][key])
    res = run("colour", "--gamut", "460:30", "--gamut", "530:30", "--gamut", "630:30", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert all(0.0 <= doc[ref][k] <= 1.0 for ref in ("sRGB", "DCI-P3", "Rec.2020")
               for k in ("coverage_xy", "coverage_upvp"))


# ---------------------------------------------------------------- fit: no null without a reason
DATA = Path(__file__).parent / "data"


def _unexplained_nulls(rows):
    return [(r.get("label"), k) for r in rows for k in RESULT_NUMBERS
            if k in r and r[k] is None and not r.get(f"{k}_reason")]


@pytest.mark.parametrize("args", [
    # fuzz_cli: `qdlab fit run5_absorbance.csv --json` printed rows with "fwhm_nm": null,
    # "stokes_shift_eV": null (PL-only columns) and "dispersion_uncertainty_pct": null
    # (model fit rejected, stage-1 numbers) without a reason
    [DATA / "run5_absorbance.csv"],
    # PL rows: null concentration, model peak and uncertainties without a reason
    [DATA / "run6_emission.csv", "--kind", "pl"],
])
def test_fit_json_rows_say_why_a_number_is_null(args):
    res = run("fit", *args, "--json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert isinstance(rows, list) and len(rows) > 1
    assert any(r[k] is None for r in rows for k in RESULT_NUMBERS if k in r)  # nulls exist
    assert _unexplained_nulls(rows) == []


def test_fit_result_dicts_say_why_a_number_is_null():
    # POST /api/fit returned "dispersion_uncertainty_pct": null (stage-1 fallback) without
    # a reason: FitResult.to_dict() and EmissionResult.to_dict() now explain every None
    from qdlab.sizing.fit import fit_spectra

    results = fit_spectra(DATA / "run5_absorbance.csv", "CdSe") + \
        fit_spectra(DATA / "run6_emission.csv", "CdSe", kind="pl")
    dicts = [r.to_dict() for r in results if not isinstance(r, dict)]
    assert len(dicts) > 2
    assert _unexplained_nulls(dicts) == []
    rows = results_table(results)
    assert _unexplained_nulls([{**r, **null_reasons(r)} for r in rows]) == []
    # the table itself keeps its fixed columns
    assert all(list(r) == list(rows[0]) for r in rows)


def test_null_reasons_by_cause():
    assert null_reasons({"kind": "absorbance", "fwhm_nm": None})["fwhm_nm_reason"].startswith(
        "measured on PL")
    assert "absorbance" in null_reasons({"kind": "pl", "concentration_M": None})[
        "concentration_M_reason"]
    assert null_reasons({"error": "unreadable", "peak_nm": None}) == {
        "peak_nm_reason": "not analysed: unreadable"}
    assert null_reasons({"quality": "no feature", "reasons": ["flat"], "diameter_nm": None}) \
        == {"diameter_nm_reason": "no feature found: flat"}
    assert null_reasons({"kind": "absorbance", "peak_nm": 550.0}) == {}


def test_feature_search_window_null_says_why():
    # fuzz_api: POST /api/fit answered "feature": {"search_nm": null, ...} without a reason
    # for a spectrum outside the first-exciton window of the material
    import warnings

    import numpy as np

    from qdlab.sizing.fit import fit_spectrum

    wl = np.linspace(1200.0, 1500.0, 301)
    a = 0.2 + 0.1 * np.exp(-0.5 * ((wl - 1350.0) / 20.0) ** 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = fit_spectrum(wl, a, "CdSe")
    feat = r.to_dict()["feature"]
    assert feat["search_nm"] is None
    assert "does not overlap" in feat["search_nm_reason"]


def test_start_extras_say_why_a_number_is_null():
    # fuzz_api: POST /api/fit answered "start": {"hwhm_eV": null,
    # "sizing_curve_dispersion_pct": null} without a reason (peak width not measurable)
    from types import SimpleNamespace

    import numpy as np

    from qdlab.sizing.modelfit import curve_extras

    pk = SimpleNamespace(raw_absorbance=0.3, background=(0.0, 0.0), peak_nm=550.0,
                         hwhm_eV=float("nan"))
    x = np.linspace(400.0, 700.0, 301)
    out = curve_extras("CdSe", pk, 1.0, True, x, np.full_like(x, 0.3))
    assert out["sizing_curve"] is not None
    assert "width" in out["hwhm_eV_reason"]
    assert not np.isfinite(out["sizing_curve_dispersion_pct"])
    assert "width" in out["sizing_curve_dispersion_pct_reason"]


def test_fit_refuses_a_pl_folder_before_fitting(tmp_path, monkeypatch):
    # fuzz_cli: `qdlab fit tests/data --kind pl --pl <folder> --json` fitted every spectrum
    # of tests/data (26 s CPU) before refusing the --pl folder
    import qdlab.sizing.fit as fit_module

    def boom(*a, **k):
        raise AssertionError("the sources were fitted before --pl was checked")

    monkeypatch.setattr(fit_module, "fit_spectra", boom)
    for bad in (tmp_path, tmp_path / "missing.csv"):
        res = run("fit", DATA / "run6_absorbance.csv", "--pl", bad, "--json")
        assert res.exit_code == 2, res.output
        errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error: ")]
        assert len(errors) == 1 and "--pl must be a PL spectrum file" in errors[0]


def test_absurd_optical_path_is_refused_before_any_fit(tmp_path):
    """fuzz_cli: ``qdlab fit DIR --path-cm 1e30`` fitted every spectrum and reported
    concentrations for a 1e30 cm cuvette; the path is now checked first, with its range."""
    from qdlab.errors import QdlabInputError
    from qdlab.sizing.fit import fit_spectra

    src = Path(__file__).parent / "data" / "run3_absorbance.csv"
    res = CliRunner().invoke(app, ["fit", str(src), "--path-cm", "1e30", "--json"])
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "--path-cm must be in [0.0001, 100] cm" in lines[0], lines
    with pytest.raises(QdlabInputError, match="path_cm must be in"):
        fit_spectra(src, "CdSe", path_cm=0.0)


def test_single_band_options_are_refused_for_kp_cores_not_ignored():
    """transitions_batch dropped l_max, n_radial, screening... silently for lead-salt
    cores (k.p optics); they are refused by name, and still work for II-VI cores."""
    import numpy as np

    from qdlab.errors import QdlabInputError
    from qdlab.optics.transitions import transitions_batch

    r = np.array([[2.0]])
    with pytest.raises(QdlabInputError, match="l_max, screening do not apply to the k.p"):
        transitions_batch(["PbS"], r, l_max=2, screening="static")
    assert np.isfinite(transitions_batch(["PbS"], r, n_transitions=2)["energy_eV"]).all()
    a = transitions_batch(["CdSe"], r, n_transitions=2)
    b = transitions_batch(["CdSe"], r, n_transitions=2, l_max=3, n_radial=3)
    assert np.array_equal(a["energy_eV"], b["energy_eV"])   # defaults unchanged
