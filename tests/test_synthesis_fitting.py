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
    assert 0 < s < 0.1 * a
    assert abs(a - 1e8) < 3 * s          # the true value within 3 sigma of the fit's own
    assert fit.residual_rms_nm < 1.0


def test_bad_series():
    r = example_recipe("cdse")
    with pytest.raises(ValueError, match="time_s must be in"):
        fit_kinetics(r, [1.0, 2.0, 700.0], [500, 510, 520], peak_of_diameter=_peak,
                     parameters=("conversion__prefactor_per_s",))


# --------------------------------------------------------------------------------------
# The measured hot-injection series (Imperial MS 3.02; qdlab.synthesis.measured), sizes
# through the Jasieniak 2009 curve.
def test_measured_series_is_read_as_published():
    from qdlab.synthesis.measured import load_growth_series

    s = load_growth_series()
    t, y = s["Run 2"]
    assert t[0] == 30.0 and t[-1] == 600.0 and y[0] == pytest.approx(485.98003)
    t1, y1 = s["Run 1"]  # own time column, one missing aliquot (200 s)
    assert t1[0] == 20.0 and 200.0 not in t1 and len(t1) == 14


# Stated in src/qdlab/synthesis/recipes/cdse_teaching_lab.toml (fit to run 2, 1 sigma).
RECIPE_PREFACTOR_PER_S = (6.12e8, 0.39e8)
RECIPE_SOLUBILITY_MOL_L = (5.37e-11, 0.21e-11)


def test_fit_on_the_measured_series_from_a_distant_start():
    """Two parameters fitted to run 2 from a start 16x and 5x off: peaks within a few nm,
    and the result agrees with the values shipped in the teaching recipe."""
    from qdlab.synthesis.measured import FIT_RUN, load_growth_series, peak_of_diameter_nm

    t, y = load_growth_series()[FIT_RUN]
    shipped = example_recipe("cdse-teaching")
    start = shipped.with_updates(numerics__n_snapshots=0, conversion__prefactor_per_s=3e7,
                                 growth__solubility_mol_L=1e-11)
    fit = fit_kinetics(start, t, y, peak_of_diameter=peak_of_diameter_nm,
                       parameters=("conversion__prefactor_per_s", "growth__solubility_mol_L"),
                       max_evaluations=80)
    assert fit.residual_rms_nm < 3.0
    a, sa = fit.as_dict()["conversion__prefactor_per_s"]
    c, sc = fit.as_dict()["growth__solubility_mol_L"]
    assert 0 < sa < 0.2 * a and 0 < sc < 0.2 * c
    # The optimiser's path (and so the point where it stops) differs between machines; the
    # result is judged against uncertainties, not a hand-picked tolerance.  Its own 1-sigma
    # is consistent with the recipe's stated one, and it lies within 2 sigma of the recipe.
    for val, sig, (rec_val, rec_sig), shipped_val in (
            (a, sa, RECIPE_PREFACTOR_PER_S, shipped.conversion.prefactor_per_s),
            (c, sc, RECIPE_SOLUBILITY_MOL_L, shipped.growth.solubility_mol_L)):
        print(f"fit {val:.4g} +- {sig:.2g}; recipe {rec_val:.4g} +- {rec_sig:.2g}")
        assert abs(shipped_val - rec_val) < 0.5 * rec_sig   # shipped = the fit, rounded
        assert 0.5 < sig / rec_sig < 2.0
        assert abs(val - rec_val) < 2 * sig


def test_teaching_recipe_predicts_the_held_out_runs():
    """Runs 3 and 6 (same protocol, not used in the fit) within ~2.5x the fit residual."""
    from qdlab.synthesis.measured import validate_growth_series

    rows = {r["run"]: r for r in validate_growth_series()}
    assert rows["Run 2"]["role"] == "fitted" and rows["Run 2"]["rms_nm"] < 3.0
    for run in ("Run 3", "Run 6"):
        assert rows[run]["role"] == "held out"
        assert rows[run]["rms_nm"] < 6.0
        assert abs(rows[run]["mean_error_nm"]) < 4.0
    # the 300 C demonstration recipe is NOT calibrated: it grows far larger particles
    bad = validate_growth_series(example_recipe("cdse").with_updates(duration_s=600.0))
    assert bad[0]["rms_nm"] > 50.0


def test_failed_trials_count_as_misfit_and_bounds_hold(monkeypatch):
    """A trial the simulation cannot integrate must not stop the fit; bounds are respected."""
    import qdlab.synthesis.fitting as fitting
    from qdlab.synthesis import SynthesisError

    true = example_recipe("cdse").with_updates(duration_s=30.0, numerics__rtol=1e-3,
                                               numerics__n_snapshots=0,
                                               molar_volume_cm3_mol=33.0)
    tr = run_recipe(true)
    t = np.linspace(2.0, 30.0, 8)
    y = _peak(np.interp(t, tr.time_s, tr.mean_diameter_nm))
    real_run = fitting.run_recipe

    def fragile(rec):
        if rec.conversion.prefactor_per_s > 2e8:      # pretend fast conversion is unsolvable
            raise SynthesisError("step budget exhausted (test)")
        return real_run(rec)

    monkeypatch.setattr(fitting, "run_recipe", fragile)
    start = true.with_updates(conversion__prefactor_per_s=1.5e8)
    fit = fit_kinetics(start, t, y, peak_of_diameter=_peak,
                       parameters=("conversion__prefactor_per_s",), max_evaluations=15,
                       max_factor=10.0)
    a, _ = fit.as_dict()["conversion__prefactor_per_s"]
    assert 1.5e7 <= a <= 2e8
    with pytest.raises(ValueError, match="max_factor must be > 1"):
        fit_kinetics(start, t, y, peak_of_diameter=_peak, max_factor=1.0)
