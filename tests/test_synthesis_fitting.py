"""Fitting kinetic parameters to a peak-versus-time series (issue 5, section 5)."""

import numpy as np
import pytest

from qdlab.synthesis import example_recipe, run_recipe
from qdlab.synthesis.fitting import fit_kinetics


def _peak(d_nm):
    # a simple monotonic size -> first-exciton-peak map (nm), enough to test the fit
    return 650.0 - 220.0 * np.exp(-np.asarray(d_nm) / 2.5)


def test_recovers_conversion_rate_from_synthetic_series():
    true = example_recipe("cdse").with_updates(duration_s=60.0, numerics__rtol=1e-3,
                                               numerics__n_snapshots=0,
                                               molar_volume_cm3_mol=33.0)
    tr = run_recipe(true)
    t = np.linspace(2.0, 60.0, 15)
    rng = np.random.default_rng(0)
    y = _peak(np.interp(t, tr.time_s, tr.mean_diameter_nm)) + rng.normal(0, 0.3, t.size)
    start = true.with_updates(conversion__prefactor_per_s=3e8)
    fit = fit_kinetics(start, t, y, peak_of_diameter=_peak,
                       parameters=("conversion__prefactor_per_s",), max_evaluations=25)
    a, s = fit.as_dict()["conversion__prefactor_per_s"]
    assert a == pytest.approx(1e8, rel=0.1)
    assert 0 < s < 0.1 * a
    assert abs(a - 1e8) < 4 * s + 1e6
    assert fit.residual_rms_nm < 1.0


def test_bad_series():
    r = example_recipe("cdse")
    with pytest.raises(ValueError, match="time_s must be in"):
        fit_kinetics(r, [1.0, 2.0, 700.0], [500, 510, 520], peak_of_diameter=_peak,
                     parameters=("conversion__prefactor_per_s",))
