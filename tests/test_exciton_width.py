"""An ensemble's first exciton is never narrower than the homogeneous line (issue 12).

A narrow maximum on the red side of the real first exciton (the residue of a lamp line,
a spike) is passed over: the next candidate to the blue is sized, and the result says so
(``uncertain``).  With nothing but narrow features left, the answer is ``no feature``.
The Ocean-Optics-like spectra come from the forward model (tests/_instruments.py), so
the right peak is known; the real files are in tests/test_corpus_fit.py.
"""

import warnings

import numpy as np
import pytest
from _instruments import ocean_like

from qdlab.optics.broadening import HomogeneousWidth
from qdlab.sizing.features import model_window_nm, search_feature
from qdlab.sizing.fit import fit_spectrum, model_table
from qdlab.sizing.fit_search import exciton_width_floor_eV


@pytest.fixture(scope="module")
def table():
    return model_table("CdSe")


def _fit(*a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_spectrum(*a, **k)


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
