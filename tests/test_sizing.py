"""Tests of qdlab.sizing against the published reference points."""
import csv
import warnings
from importlib.resources import files

import numpy as np
import pytest

from qdlab.errors import QdlabInputError, QdlabValidityWarning
from qdlab.sizing import curves_for, get_curve, size_from_peak, size_spectra_batch

NAMES = {"Yu2003": "Yu2003-", "Jasieniak2009": "Jasieniak2009-", "Moreels2009": "Moreels2009-"}
ROWS = list(csv.DictReader(files("qdlab").joinpath("_data/first_exciton_open.csv")
                           .open(encoding="utf-8")))


@pytest.mark.parametrize("row", ROWS,
                         ids=lambda r: f"{r['source']}-{r['material']}-{r['lambda_nm']}")
def test_published_points(row):
    c = get_curve(NAMES[row["source"]] + row["material"])
    d = c.diameter_nm(float(row["lambda_nm"]), warn=False)
    assert d == pytest.approx(float(row["diameter_nm"]), abs=2e-3)
    lam = c.peak_nm(float(row["diameter_nm"]), warn=False)
    assert lam == pytest.approx(float(row["lambda_nm"]), abs=0.06)
    assert 1239.84198 / lam == pytest.approx(float(row["E1_eV"]), abs=2e-4)


@pytest.mark.parametrize("c", [c for m in ["CdSe", "CdTe", "CdS", "PbS", "PbSe"]
                               for c in curves_for(m)], ids=lambda c: c.name)
def test_round_trip_vectorised(c):
    lo, hi = c.calibrated_range.get("diameter_nm", (2.5, 4.0))
    d = np.linspace(lo, hi, 7)
    if "peak_nm" in c.calibrated_range:
        d = c.diameter_nm(np.linspace(*c.calibrated_range["peak_nm"], 7))
    lam = c.peak_nm(d, warn=False)
    assert lam.shape == d.shape
    np.testing.assert_allclose(c.diameter_nm(lam, warn=False), d, rtol=1e-9)


def test_pbs_400nm_extinction_is_volume_law():
    c = get_curve("Moreels2009-PbS")
    d = np.array([3.0, 4.5, 6.0, 9.0])
    eps = c.extinction_M1cm1(d)
    np.testing.assert_allclose(eps / d**3, 2.33e4)
    assert c.extinction_wavelength_nm(5.0) == 400.0


def test_pbse_moreels2007():
    c = get_curve("Moreels2007-PbSe")
    # E(5 nm) = 0.278 + 1/(0.016*25 + 0.209*5 + 0.45) = 0.278 + 1/1.895
    assert 1239.84198 / c.peak_nm(5.0) == pytest.approx(0.278 + 1 / 1.895, rel=1e-6)
    assert c.extinction_M1cm1(5.0) == pytest.approx(2.77e4 * 125)


def test_extinction_values():
    assert get_curve("Yu2003-CdSe").extinction_M1cm1(3.0) == pytest.approx(5857 * 3**2.65)
    j = get_curve("Jasieniak2009-CdSe")
    e = 1239.84198 / j.peak_nm(4.0)
    ref = 155507 + 6.67054e13 * np.exp(-e / 0.10551)
    assert j.extinction_M1cm1(4.0) == pytest.approx(ref, rel=1e-6)
    assert j.extinction_M1cm1(4.0, hwhm_eV=0.12) == pytest.approx(ref / 2, rel=1e-6)


def test_size_from_peak_result():
    r = size_from_peak("cdse", 550.0, absorbance=0.5, path_cm=0.5)
    assert r.recommended == "Jasieniak2009-CdSe"
    assert [m.name for m in r.methods] == ["Jasieniak2009-CdSe", "Yu2003-CdSe"]
    d = r.to_dict()
    assert d["diameter_nm"] == pytest.approx(get_curve("Jasieniak2009-CdSe").diameter_nm(550))
    assert {"name", "diameter_nm", "extinction_M-1cm-1"} <= set(d["methods"][0])
    m = r.best
    assert m.concentration_M == pytest.approx(0.5 / (m.extinction_M1cm1 * 0.5))
    assert d["warnings"] == []


def test_out_of_range_warns():
    with pytest.warns(QdlabValidityWarning, match="outside the calibrated range"):
        r = size_from_peak("CdSe", 470.0)
    assert any("Yu2003" in w for w in r.warnings)
    with pytest.warns(QdlabValidityWarning):
        get_curve("Jasieniak2009-CdSe").peak_nm(9.0)


@pytest.mark.parametrize("args", [("CdSe", -5), ("CdSe", float("nan")), ("Unobtainium", 500),
                                  ("CdSe", "abc")])
def test_bad_input(args):
    with pytest.raises(QdlabInputError):
        size_from_peak(*args)


def test_bad_input_messages():
    with pytest.raises(QdlabInputError, match="did you mean CdSe"):
        curves_for("CdSee")
    with pytest.raises(QdlabInputError, match="no positive diameter"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            get_curve("Moreels2009-PbS").diameter_nm(4000.0)   # below PbS bulk gap
    with pytest.raises(QdlabInputError, match="gives no extinction"):
        from qdlab.sizing.curves import SizingCurve
        SizingCurve("x", "X", "", "", "", None, None, None).extinction_M1cm1(3.0)


def test_batch_matches_curves():
    wl = np.arange(420.0, 700.0, 1.0)
    centres = np.array([520.0, 560.0, 600.0])
    A = 0.3 * np.exp(-0.5 * ((wl - centres[:, None]) / 11) ** 2) + 0.05 * (wl / 420) ** -4
    r = size_spectra_batch(wl, A, "CdSe")
    j = get_curve("Jasieniak2009-CdSe")
    np.testing.assert_allclose(r.peak_nm, centres, atol=0.3)
    np.testing.assert_allclose(r.diameter_nm, j.diameter_nm(r.peak_nm), rtol=1e-12)
    assert np.all(r.size_dispersion_pct > 0) and np.all(r.size_dispersion_pct < 30)
    np.testing.assert_allclose(r.concentration_M * r.extinction_M1cm1, 0.3, rtol=0.05)


def test_sizes_from_peaks_equals_batch_sizing():
    from qdlab.optics.peaks import first_exciton_peaks
    from qdlab.sizing.batch import sizes_from_peaks
    wl = np.arange(420.0, 700.0, 1.0)
    centres = np.array([520.0, 560.0, 600.0])
    A = 0.3 * np.exp(-0.5 * ((wl - centres[:, None]) / 11) ** 2) + 0.05 * (wl / 420) ** -4
    r = size_spectra_batch(wl, A, "CdSe")
    p = first_exciton_peaks(wl, A)
    s = sizes_from_peaks(p.peak_nm, p.hwhm_eV, p.peak_absorbance, "CdSe")
    for k in ("diameter_nm", "size_dispersion_pct", "concentration_M", "extinction_M1cm1"):
        np.testing.assert_allclose(getattr(s, k), getattr(r, k), rtol=1e-14)
    j = get_curve("Jasieniak2009-CdSe")
    t = sizes_from_peaks([np.nan, 560.0], 0.05, 0.2, "CdSe")
    assert t.found.tolist() == [False, True] and np.isnan(t.diameter_nm[0])
    assert t.diameter_nm[1] == pytest.approx(j.diameter_nm(560.0), rel=1e-12)
