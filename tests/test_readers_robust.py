"""Regression tests of issue 10: malformed spectra give a result or one QdlabInputError.

Each test reproduces one fuzzing finding (reader, ``fit_spectra`` / ``qdlab fit``, batch
sizing). Spectra are synthetic (the ensemble model of CdSe, 4.0 nm, 7 %, 2 uM), so the
right answer is known.
"""

import json
import math
import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from qdlab.cli.main import app
from qdlab.errors import QdlabInputError
from qdlab.optics.spectrum_io import (
    MAX_ABS_ABSORBANCE,
    SpectrumWarning,
    bin_spectrum,
    read_spectra,
    screen_points,
)
from qdlab.sizing.batch import size_spectra_batch, sizes_from_peaks
from qdlab.sizing.fit import fit_spectra, fit_spectrum, model_table

WL = np.arange(350.0, 750.0, 1.0)
C_TRUE = 2e-6


@pytest.fixture(scope="module")
def absorbance():
    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    a = Ensemble("CdSe", SizeDistribution.normal(4.0, 7.0)).absorbance(WL, C_TRUE) + 0.01
    return a + np.random.default_rng(0).normal(0, 0.002, a.size)


@pytest.fixture(scope="module")
def table():
    return model_table("CdSe")


def _csv(path, header, x, y):
    lines = [header] + [f"{u!s},{v!s}" for u, v in zip(x, y, strict=True)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _quiet(func, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*a, **k)


def _contract_ok(res):
    """A fit result satisfies the contract: finite positive numbers, c > 0 or None."""
    assert math.isfinite(res.diameter_nm) and res.diameter_nm > 0
    assert math.isfinite(res.dispersion_pct) and res.dispersion_pct > 0
    assert res.concentration_M is None or (math.isfinite(res.concentration_M)
                                           and res.concentration_M > 0)


# ----------------------------------------------------------------- finding 1: InP SVD
def test_inp_on_cdse_like_spectrum_no_linalg_error(absorbance):
    """`qdlab fit spectrum.csv --material InP` raised LinAlgError (InP has no bulk
    optical constants: the continuum column of the fit basis was all zeros)."""
    try:
        res = _quiet(fit_spectrum, WL, absorbance, "InP")
    except QdlabInputError:
        return
    _contract_ok(res)


def test_cli_inp_exit_code(tmp_path, absorbance):
    f = _csv(tmp_path / "spectrum.csv", "Wavelength (nm),Abs", WL, absorbance)
    res = CliRunner().invoke(app, ["fit", str(f), "--material", "InP", "--json"])
    assert res.exit_code in (0, 2), res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    if res.exit_code == 2:
        assert res.stderr.startswith("error: ") and res.stderr.count("\n") == 1


# ----------------------------------------------------------------- finding 2: 1e300
@pytest.mark.parametrize("where", ["absorbance", "wavelength"])
def test_single_huge_value_dropped_with_warning(tmp_path, absorbance, where, table):
    x, y = WL.copy(), absorbance.copy()
    (y if where == "absorbance" else x)[5] = 1e300
    f = _csv(tmp_path / "huge.csv", "Wavelength (nm),Abs", x, y)
    with pytest.warns(SpectrumWarning, match="dropped"):
        s = read_spectra(f)[0]
    assert len(s) == WL.size - 1 and np.all(np.abs(s.y) <= MAX_ABS_ABSORBANCE)
    assert s.wavelength_nm.max() < 5000
    res = _quiet(fit_spectra, f, "CdSe", table=table)[0]
    _contract_ok(res)
    assert res.diameter_nm == pytest.approx(4.0, abs=0.05)


def test_mostly_huge_values_refused(tmp_path):
    f = _csv(tmp_path / "huge.csv", "Wavelength (nm),Abs", WL, np.full(WL.size, 1e300))
    with pytest.raises(QdlabInputError, match=r"\|absorbance\| > 10"):
        read_spectra(f)
    w = np.linspace(1e299, 1e300, 30)
    with pytest.raises(QdlabInputError):
        read_spectra("\n".join(f"{u},{0.1}" for u in w), kind="absorbance")


def test_fit_api_huge_values(absorbance, table):
    y = absorbance.copy()
    y[:300] = 1e300
    with pytest.raises(QdlabInputError, match="points usable"):
        fit_spectrum(WL, y, "CdSe", table=table)


# ----------------------------------------------------------------- finding 3: NaN / inf
@pytest.mark.parametrize("token", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "", "n/a"])
def test_nonfinite_tokens_dropped(tmp_path, absorbance, token, table):
    lines = ["Wavelength (nm),Abs"] + [f"{u},{v}" for u, v in zip(WL, absorbance, strict=True)]
    for i in (20, 40, 60):
        lines[i] = f"{WL[i - 1]},{token}"
    f = tmp_path / "nan.csv"
    f.write_text("\n".join(lines) + "\n")
    with pytest.warns(SpectrumWarning, match="3 non-finite"):
        s = read_spectra(f)[0]
    assert len(s) == WL.size - 3 and np.all(np.isfinite(s.y))
    res = _quiet(fit_spectra, f, "CdSe", table=table)[0]
    _contract_ok(res)


def test_nonfinite_in_x_column(absorbance):
    text = "nm,Abs\n" + "\n".join(f"{'inf' if i == 3 else u},{v}"
                                  for i, (u, v) in enumerate(zip(WL, absorbance, strict=True)))
    with pytest.warns(SpectrumWarning):
        s = read_spectra(text)[0]
    assert len(s) == WL.size - 1


def test_mostly_nonfinite_column_refused(absorbance):
    cells = [f"{u},{v:.4f},{'nan' if i % 4 else 'inf'}"
             for i, (u, v) in enumerate(zip(WL, absorbance, strict=True))]
    with pytest.raises(QdlabInputError, match="non-finite"):
        read_spectra("nm,A1,A2\n" + "\n".join(cells))


def test_fit_api_nan_points_dropped(absorbance, table):
    y = absorbance.copy()
    y[[3, 50, 200]] = [np.nan, np.inf, -np.inf]
    res = fit_spectrum(WL, y, "CdSe", table=table)
    assert any("non-finite" in n for n in res.notes)
    assert res.diameter_nm == pytest.approx(4.0, abs=0.05)


# ----------------------------------------------------------------- finding 4: %T
@pytest.mark.parametrize("header", ["Wavelength (nm),%T", None])
def test_percent_transmittance_converted_for_fit(tmp_path, absorbance, header, table):
    """A %T file was fitted as absorbance: c = -1.2e-4 M with exit 0."""
    T = 100 * 10 ** (-absorbance)
    f = tmp_path / "pct.csv"
    rows = "\n".join(f"{u},{v:.6f}" for u, v in zip(WL, T, strict=True))
    f.write_text((header + "\n" if header else "") + rows + "\n")
    s = _quiet(read_spectra, f, kind="absorption")[0]
    assert s.kind == "absorbance" and s.metadata["original_kind"] == "transmittance_pct"
    np.testing.assert_allclose(s.y, absorbance, atol=1e-5)
    res = _quiet(fit_spectra, f, "CdSe", table=table)[0]
    _contract_ok(res)
    assert res.concentration_M == pytest.approx(C_TRUE, rel=0.05)


def test_transmittance_fraction_and_auto_shape(absorbance):
    T = 10 ** (-absorbance)
    s = read_spectra("nm,Transmittance\n" + "\n".join(
        f"{u},{v:.7f}" for u, v in zip(WL, T, strict=True)))[0]
    assert s.metadata["original_kind"] == "transmittance"
    np.testing.assert_allclose(s.y, absorbance, atol=1e-5)
    # no header, kind auto: 0-100 values rising to the red end are %T
    s = _quiet(read_spectra, "\n".join(f"{u},{100 * v:.5f}" for u, v in zip(WL, T, strict=True)))
    assert s[0].metadata["original_kind"] == "transmittance_pct"


def test_absorption_kind_refuses_absurd_values():
    text = "\n".join(f"{u},{5000 + u}" for u in WL)
    with pytest.raises(QdlabInputError, match="neither absorbance"):
        read_spectra(text, kind="absorption")


def test_percent_t_forced_as_absorbance_refused(absorbance):
    T = 100 * 10 ** (-absorbance)
    with pytest.raises(QdlabInputError, match="transmittance_pct"):
        read_spectra("\n".join(f"{u},{v}" for u, v in zip(WL, T, strict=True)),
                     kind="absorbance")


def test_never_negative_concentration(absorbance, table):
    """A spectrum whose background swamps the continuum: c is None with a note."""
    res = _quiet(fit_spectrum, WL, absorbance - 0.5 + 0.001 * (WL - 350), "CdSe", table=table)
    _contract_ok(res)
    if res.concentration_M is None:
        assert any("concentration" in n for n in res.notes)


def test_batch_sizing_no_negative_concentration():
    r = _quiet(sizes_from_peaks, [540.0, 582.0], [0.05, 0.05], [-0.2, 0.2], "CdSe")
    assert np.isnan(r.concentration_M[0]) and r.concentration_M[1] > 0
    with pytest.warns(UserWarning, match="non-positive peak absorbance"):
        sizes_from_peaks([540.0], [0.05], [-0.2], "CdSe")


def test_batch_sizing_guards(absorbance):
    Y = np.vstack([absorbance, absorbance])
    Y[1, 3] = np.nan
    with pytest.warns(UserWarning, match="skipped"):
        r = size_spectra_batch(WL, Y, "CdSe")
    assert r.found.tolist() == [True, False]
    w = WL.copy()
    w[0] = 1e300
    with pytest.raises(QdlabInputError, match="150-5000 nm"):
        size_spectra_batch(w, Y, "CdSe")
    xd = np.linspace(350, 749, 200_000)
    r = size_spectra_batch(xd, np.interp(xd, WL, absorbance)[None, :], "CdSe")
    assert r.peak_nm[0] == pytest.approx(_quiet(size_spectra_batch, WL, absorbance,
                                                "CdSe").peak_nm[0], abs=0.5)


# ----------------------------------------------------------------- finding 5: size
def test_limits_refused_before_parsing(tmp_path):
    p = tmp_path / "rows.csv"
    p.write_text("nm,Abs\n" + "400,0.1\n" * 3000)
    with pytest.raises(QdlabInputError, match="max_rows=2000"):
        read_spectra(p, max_rows=2000)
    with pytest.raises(QdlabInputError, match="max_columns=10"):
        read_spectra("\n".join(",".join([str(400 + i)] + ["0.1"] * 20) for i in range(5)),
                     max_columns=10)
    with pytest.raises(QdlabInputError, match="max_rows"):
        read_spectra(p, max_rows=0)


def test_dense_spectrum_binned_for_fit(tmp_path, absorbance, table):
    xd = np.linspace(350.0, 749.0, 200_000)
    yd = np.interp(xd, WL, absorbance)
    f = tmp_path / "dense.csv"
    np.savetxt(f, np.column_stack([xd, yd]), delimiter=",", header="nm,Abs", comments="",
               fmt="%.6f")
    s = read_spectra(f)[0]
    assert len(s) == 200_000
    res = fit_spectra(f, "CdSe", table=table)[0]
    assert res.wavelength_nm.size <= 1000 and any("bins" in n for n in res.notes)
    assert res.diameter_nm == pytest.approx(4.0, abs=0.05)


def test_many_columns_read(absorbance):
    cols = np.column_stack([WL] + [absorbance * (1 + 0.001 * i) for i in range(300)])
    text = "nm," + ",".join(f"s{i}" for i in range(300)) + "\n" + "\n".join(
        ",".join(f"{v:.6g}" for v in row) for row in cols)
    specs = read_spectra(text, kind="absorbance")
    assert len(specs) == 300 and specs[-1].label == "s299"
    np.testing.assert_allclose(specs[299].y, absorbance * 1.299, rtol=1e-5)


def test_bin_and_screen_helpers():
    x = np.linspace(400.0, 500.0, 10_001)
    xb, yb = bin_spectrum(x, 2 * x, 100)
    assert xb.size == 100
    np.testing.assert_allclose(yb, 2 * xb)
    with pytest.raises(QdlabInputError, match="only 1 of 4"):
        screen_points(np.array([100.0, 400, 6000, 7000]), np.ones(4))


# ----------------------------------------------------------------- CLI contract
def test_cli_percent_t_positive_concentration(tmp_path, absorbance):
    T = 100 * 10 ** (-absorbance)
    f = _csv(tmp_path / "t.csv", "Wavelength (nm),%T", WL, T)
    res = CliRunner().invoke(app, ["fit", str(f), "--material", "CdSe", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["concentration_M"] == pytest.approx(C_TRUE, rel=0.05)


def test_cli_mostly_nonfinite_one_error_line(tmp_path):
    f = _csv(tmp_path / "nan.csv", "Wavelength (nm),Abs", WL, ["nan"] * (WL.size - 5)
             + ["0.1"] * 5)
    res = CliRunner().invoke(app, ["fit", str(f), "--material", "CdSe"])
    assert res.exit_code == 2
    errs = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(errs) == 1 and "non-finite" in errs[0]


def test_folder_with_one_unreadable_file(tmp_path, absorbance, table):
    _csv(tmp_path / "good.csv", "Wavelength (nm),Abs", WL, absorbance)
    (tmp_path / "bad.csv").write_text("this is not,a spectrum\n")
    res = _quiet(fit_spectra, tmp_path, "CdSe", table=table)
    assert isinstance(res[0], dict) and res[0]["label"] == "bad.csv" and res[0]["error"]
    _contract_ok(res[1])


def test_headerless_absorbance_with_one_wild_value_stays_absorbance(absorbance):
    y = absorbance.copy()
    y[7] = 1e300
    text = "\n".join(f"{u},{float(v)!r}" for u, v in zip(WL, y, strict=True))
    s = _quiet(read_spectra, text, kind="absorption")[0]
    assert s.metadata["original_kind"] == "absorbance" and len(s) == WL.size - 1
