"""Features that cannot be an ensemble's first exciton (issue 12).

A narrow maximum on the red side of the real first exciton (the residue of a lamp line,
a spike) is passed over: an ensemble band is never narrower than the homogeneous line.
So is a band not higher than the step the file rounds its values to.  The next
candidate to the blue is sized, and the result says so (``uncertain``); with nothing
left, or a band that the best ensemble of the material misses by far more than the
model's shape error, the answer is ``no feature``.  The Ocean-Optics-like spectra come
from the forward model (tests/_instruments.py), so the right peak is known; the real
files are from tests/data/spectra (sources and licences in tests/data/README.md).
"""

import warnings
from pathlib import Path

import numpy as np
import pytest
from _instruments import ocean_like

from qdlab.optics.broadening import HomogeneousWidth
from qdlab.sizing.features import model_window_nm, search_feature
from qdlab.sizing.fit import fit_spectra, fit_spectrum, model_table
from qdlab.sizing.fit_search import exciton_width_floor_eV, quantisation_step

DATA = Path(__file__).parent / "data" / "spectra"


@pytest.fixture(scope="module")
def table():
    return model_table("CdSe")


def _fit(*a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_spectrum(*a, **k)


def _quiet_spectra(path, table):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_spectra(path, "CdSe", table=table)


def _lamp_line(wl, amp=0.03):
    """Residue of the deuterium-lamp D-alpha line (656 nm) in an absorbance spectrum:
    a dip and a spike 3 nm apart, ~2 nm wide (reference and sample lamp spectra
    shifted by a fraction of a pixel)."""
    return amp * (np.exp(-0.5 * ((wl - 658.0) / 0.8) ** 2)
                  - np.exp(-0.5 * ((wl - 655.0) / 0.8) ** 2))


def test_floor_is_half_the_homogeneous_width():
    assert exciton_width_floor_eV(300.0) == pytest.approx(0.5 * HomogeneousWidth()(300.0))
    assert 0.015 < exciton_width_floor_eV(300.0) < 0.025
    assert exciton_width_floor_eV(4.0) < 0.01      # the lines narrow on cooling


def test_lamp_line_residue_is_passed_over(table):
    wl, a = ocean_like(3.5, 2, peak_abs=0.1, artefact=False)
    clean = _fit(wl, a, "CdSe", table=table)
    assert clean.quality == "good"
    a2 = a + _lamp_line(wl)
    lo, hi, _ = model_window_nm("CdSe", table=table)
    # the lowest-energy significant candidate is the line residue (the feature search
    # alone would take it: the exciton is not 20x more significant)
    s = search_feature(wl, a2, (lo, hi))
    assert abs(s.chosen.wavelength_nm - 658.0) < 3.0
    r = _fit(wl, a2, "CdSe", table=table)
    assert abs(r.peak_nm - clean.peak_nm) < 1.5, (r.peak_nm, r.reasons)
    assert abs(r.diameter_nm - clean.diameter_nm) < 0.05
    assert r.quality == "uncertain"     # a passed-over candidate is never silent
    assert any(x.startswith("passed over the maximum at 65") for x in r.reasons), r.reasons
    assert "passed over" in r.feature["choice"]


def test_only_narrow_features_give_no_feature(table):
    wl = np.linspace(346.0, 1047.0, 3648)
    rng = np.random.default_rng(5)
    a = 0.05 + 0.002 * rng.normal(size=wl.size) + 4 * _lamp_line(wl)
    r = _fit(wl, a, "CdSe", table=table)
    assert r.quality == "no feature", (r.peak_nm, r.reasons)
    assert r.diameter_nm is None and r.peak_nm is None
    assert any("no ensemble exciton" in x for x in r.reasons), r.reasons


def test_width_floor_does_not_touch_clean_spectra(table):
    for seed, d in ((3, 3.0), (4, 4.5)):
        wl, a = ocean_like(d, seed, artefact=False)
        r = _fit(wl, a, "CdSe", table=table)
        assert not any("passed over" in x for x in r.reasons), r.reasons


# ------------------------------------------------------------------ real files
CARBON = DATA / "karpushkin_oceanoptics_carbon_dots"


@pytest.mark.parametrize("name, why", [
    ("t_ca_7_1_d.txt", "no band of its own"),                   # lamp-line residue, noise
    ("u_ca_1_1_d.txt", "resolution of the recorded values"),    # 0.001-rounded staircase
    ("u_ca_3_1_p.txt", "no ensemble exciton: the best-fitting ensemble misses"),
    ("t_ca_1_1_p.txt", "no ensemble exciton: the best-fitting ensemble misses"),
])
def test_carbon_dot_absorbance_is_no_feature(table, name, why):
    """Ocean Optics Maya absorbance of carbon nanodots (eukarr/urea_physchem, MIT): no
    ensemble exciton of CdSe, each refused for its own reason."""
    (r,) = _quiet_spectra(CARBON / name, table)
    assert r.quality == "no feature", (r.peak_nm, r.reasons)
    assert r.diameter_nm is None
    assert any(why in x for x in r.reasons), r.reasons


def test_narrow_maximum_before_the_real_exciton_is_passed_over(table):
    """Run 7, 270 s (Imperial MS 3.02 CdSe, MIT): a 12 meV wide maximum at 618 nm lies to
    the red of the exciton (reference 510 nm, second-derivative method of the index)."""
    out = _quiet_spectra(DATA / "imperial_ms302_cdse" / "Run 7 UV-Vis.csv", table)
    (r,) = [x for x in out if x.label.endswith(":270 s")]
    assert abs(r.peak_nm - 510.0) <= 5.0, (r.peak_nm, r.reasons)
    assert r.quality == "uncertain"
    assert any(x.startswith("passed over the maximum at 618") for x in r.reasons), r.reasons


def test_rounded_values_keep_a_real_exciton(table):
    """Rounding a CdSe spectrum to 0.001 (as many exports do) leaves its exciton: only
    bands not higher than the rounding step are passed over."""
    wl, a = ocean_like(3.5, 2, peak_abs=0.1, artefact=False)
    assert quantisation_step(np.round(a, 3)) == 0.001 and quantisation_step(a) == 0.0
    r0 = _fit(wl, a, "CdSe", table=table)
    r = _fit(wl, np.round(a, 3), "CdSe", table=table)
    assert r.quality == r0.quality == "good"
    assert abs(r.peak_nm - r0.peak_nm) < 0.5
