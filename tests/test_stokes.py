"""Tests of qdlab.optics.stokes: exact limits of the fine-structure Stokes shift (T -> 0,
large dots, sphere without crystal field), phonon term, bad input, and the validation
tables against published resonant shifts and the measured CdSe teaching-lab series."""

import math
import warnings
from pathlib import Path

import numpy as np
import pytest

from qdlab.constants import HC_EV_NM, KB_EV
from qdlab.electronic.anisotropy.polarisation import efros_levels, exciton_fine_structure
from qdlab.errors import QdlabInputError, QdlabValidityWarning
from qdlab.optics.stokes import (
    StokesModel,
    intrinsic_stokes_shift_eV,
    measured_series_shifts,
    validate_published,
)
from qdlab.sizing.stokes_check import validate_reference_series

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def cdse():
    return StokesModel.for_material("CdSe")


def test_eta_is_hard_wall_exchange(cdse):
    # eta = 0.5278 (a_ex / a)^3 hbar w_ST (Efros 1996, chi(beta=1)); a = 1.5 nm
    chi = 2.111373 / 4.0
    assert cdse.exchange_eta_eV(3.0) == pytest.approx(chi * (5.6 / 1.5) ** 3 * 0.13e-3, rel=1e-6)
    eta = cdse.exchange_eta_eV(np.array([2.0, 4.0]))
    assert eta[0] / eta[1] == pytest.approx(8.0, rel=1e-12)        # 1/a^3


def test_fine_structure_matches_efros_closed_forms(cdse):
    d = 2.6
    w, s = cdse.fine_structure(d)
    eta = cdse.exchange_eta_eV(d)
    lv = efros_levels(eta, 0.025)
    # our H has the heavy hole at 0 and the light hole at +Delta: shift by Delta/2
    ref = sorted([lv["2"]] * 2 + [lv["1L"]] * 2 + [lv["1U"]] * 2 + [lv["0L"], lv["0U"]])
    assert np.allclose(w[0], np.array(ref) + 0.0125, atol=1e-12)
    assert s[0].sum() == pytest.approx(3.0, rel=1e-12)
    assert s[0, :2].sum() < 1e-12                                 # +-2 dark ground doublet
    fs = exciton_fine_structure(eta, crystal_field_eV=0.025)       # same Hamiltonian
    assert np.allclose(fs["energies_eV"], w[0] - w[0, 0], atol=1e-12)


def test_zero_temperature_emits_from_lowest_state(cdse):
    for d in (2.0, 3.0, 5.0):
        w, s = cdse.fine_structure(d)
        e_abs = float((s * w).sum() / s.sum())
        c = cdse.components(d, 1e-3)
        assert c["emission_centroid_eV"] == pytest.approx(w[0, 0], abs=1e-12)
        assert c["fine_structure_eV"] == pytest.approx(e_abs - w[0, 0], abs=1e-12)
    # and without any dark-state emission (r_D = 0) the T -> 0 limit still is the lowest state
    m0 = StokesModel.for_material("CdSe", dark_rate_ratio=0.0)
    w, _ = m0.fine_structure(3.0)
    assert m0.components(3.0, 1e-3)["emission_centroid_eV"] == pytest.approx(w[0, 0], abs=1e-9)


def test_sphere_without_crystal_field_gives_4_eta():
    m = StokesModel(0.13e-3, 5.6, 0.0)          # F = 2 below F = 1 by 4 eta
    eta = m.exchange_eta_eV(3.0)
    assert m.components(3.0, 1e-3)["fine_structure_eV"] == pytest.approx(4 * eta, rel=1e-9)
    assert m.components(3.0, 1e-3)["resonant_eV"] == pytest.approx(4 * eta, rel=1e-9)


@pytest.mark.parametrize("T", [10.0, 77.0, 300.0])
def test_large_dots_reach_crystal_field_limit(T):
    # eta -> 0: A and B excitons (equal strength) split by Delta_cr:
    # shift -> (Delta/2) tanh(Delta / 2kT) (r_D = 0), plus 2 S hbar w_LO
    m = StokesModel.for_material("CdSe", dark_rate_ratio=0.0)
    dlt = 0.025
    limit = dlt / 2 * math.tanh(dlt / (2 * KB_EV * T)) + 2 * 0.2 * 0.026
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QdlabValidityWarning)
        big = float(m(200.0, T))
    assert big == pytest.approx(limit, abs=2e-5)
    # and the shift falls with size towards it (300 K: ~21 meV at 2 nm, ~16 meV at 6 nm)
    s = m(np.array([2.0, 3.0, 4.0, 6.0]), 300.0)
    assert np.all(np.diff(s) < 0) and s[-1] - limit < 1e-3


def test_dark_rate_ratio_does_not_matter_at_300K():
    a = StokesModel.for_material("CdSe", dark_rate_ratio=1e-4)(np.array([2.5, 4.0]))
    b = StokesModel.for_material("CdSe", dark_rate_ratio=1e-2)(np.array([2.5, 4.0]))
    assert np.allclose(a, b, atol=1e-3)


def test_phonon_term_is_twice_reorganisation():
    m = StokesModel.for_material("CdSe")
    m2 = StokesModel.for_material("CdSe", huang_rhys_lo=0.0, acoustic_reorganisation_eV=0.004)
    c, c2 = m.components(3.0), m2.components(3.0)
    assert c["phonon_eV"] == pytest.approx(2 * 0.2 * 0.026)
    assert c2["phonon_eV"] == pytest.approx(0.008)
    assert c["fine_structure_eV"] == c2["fine_structure_eV"]


def test_bad_input_and_other_materials(cdse):
    with pytest.raises(QdlabInputError, match="diameter_nm"):
        cdse(-1.0)
    with pytest.raises(QdlabInputError, match="temperature"):
        cdse(3.0, 0.0)
    with pytest.raises(QdlabInputError, match="dark_rate_ratio"):
        StokesModel.for_material("CdSe", dark_rate_ratio=2.0)
    with pytest.raises(QdlabInputError, match="material must be one of"):
        StokesModel.for_material("InP")
    with pytest.warns(QdlabValidityWarning, match="diameter_nm outside"):
        intrinsic_stokes_shift_eV("CdSe", 1.0)


def test_published_resonant_shifts(capsys):
    rows = validate_published()
    for r in rows:
        print(f"d={r['diameter_nm']} nm T={r['temperature_K']} K measured "
              f"{1e3 * r['measured_eV']:.1f} meV model {1e3 * r['model_eV']:.1f} meV")
    by_d = {r["diameter_nm"]: r for r in rows}
    # Bawendi 1992 (3.2 nm, 70 cm^-1) within 30 %; Yu 2003 (4.6 nm) within a factor 2
    assert by_d[3.2]["model_eV"] == pytest.approx(by_d[3.2]["measured_eV"], rel=0.3)
    assert 0.5 < by_d[4.6]["model_eV"] / by_d[4.6]["measured_eV"] < 2.0


@pytest.mark.xfail(strict=False, reason="known miss: model resonant shift of 2.0 nm CdSe ~3x the "
                   "measured 17.5 meV (Yu 2003)")
def test_published_resonant_shift_smallest_dots():
    (r,) = [r for r in validate_published() if r["diameter_nm"] == 2.0]
    # Yu 2003 quote the CdSe shift as ~1/4 of CdS: good to a factor 2, as at 4.6 nm above.
    assert 0.5 < r["model_eV"] / r["measured_eV"] < 2.0


def test_reference_series_measured_shifts():
    rows = measured_series_shifts((6,), DATA)
    assert len(rows) == 18
    sh = np.array([r["shift_eV"] for r in rows])
    print("run 6 measured shifts (meV):", np.round(1e3 * sh, 1).tolist())
    assert np.all((sh > 0.04) & (sh < 0.11))
    assert np.median(sh) == pytest.approx(0.086, abs=0.005)     # the old constant's origin


@pytest.fixture(scope="module")
def run6_rows():
    return validate_reference_series((6,), DATA)


def test_reference_series_model_parts(run6_rows):
    for r in run6_rows:
        print(f"{r['time']:>6} abs {r['abs_peak_nm']:.1f} PL {r['pl_peak_nm']:.1f} d "
              f"{r['diameter_nm']:.2f} meas {1e3 * r['shift_eV']:.1f} model "
              f"{1e3 * r['model_eV']:.1f} meV")
    # the model's parts are positive: intrinsic ~17 meV, ensemble ~10 meV
    assert all(0.015 < r["intrinsic_eV"] < 0.02 for r in run6_rows)
    assert all(0.0 < r["ensemble_part_eV"] < 0.02 for r in run6_rows)


# Uncertainty of a measured shift: the absorption peak is found to within 3 nm of the
# authors' peaks (tests/test_peaks.py), the PL maximum to ~1 nm; added in quadrature.
ABS_PEAK_UNCERTAINTY_NM, PL_PEAK_UNCERTAINTY_NM = 3.0, 1.0


@pytest.mark.xfail(strict=False, reason="known miss: Stokes model 25-65 meV below the measured "
                   "run-6 shifts 40-110 meV (module notes)")
def test_reference_series_model_against_measurement(run6_rows):
    for r in run6_rows:
        sigma = math.hypot(HC_EV_NM / r["abs_peak_nm"] ** 2 * ABS_PEAK_UNCERTAINTY_NM,
                           HC_EV_NM / r["pl_peak_nm"] ** 2 * PL_PEAK_UNCERTAINTY_NM)
        assert abs(r["model_eV"] - r["shift_eV"]) <= sigma, r["time"]
