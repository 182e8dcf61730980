"""qdlab.design.evaluate: the screening numbers are those of ``qdlab levels`` (same solver)."""

from __future__ import annotations

import numpy as np
import pytest

from qdlab.design.evaluate import FAST_SETTINGS, FAST_TOLERANCE_EV, evaluate, layer_facts
from qdlab.electronic.sphere import alignment_from_levels, first_exciton_batch, solve_sphere
from qdlab.electronic.sphere.profiles import band_profiles
from qdlab.structures import CoreShell, Medium, Sphere

#: core/shell structures across the screening range (core diameter nm, shells (mat, nm))
CASES = [
    ("CdSe", 2.0, ()), ("CdSe", 6.5, ()), ("InP", 2.4, ()),
    ("CdSe", 3.0, (("ZnS", 1.0),)), ("CdSe", 4.0, (("CdS", 2.5),)),
    ("InP", 2.5, (("ZnSe", 1.5), ("ZnS", 0.6))), ("InP", 5.0, (("ZnS", 0.5),)),
    ("PbS", 4.0, (("CdS", 0.5),)), ("ZnSe", 5.0, (("ZnS", 1.0),)), ("CsPbBr3", 8.0, ()),
]


def _structure(core, d, shells):
    if not shells:
        return Sphere(core, d)
    return CoreShell(core, d, [(m, t) for m, t in shells])


def _evaluate_case(core, d, shells, exact):
    mats = [core] + [m for m, _ in shells]
    t = [[x for _, x in shells]] if shells else None
    return evaluate(mats, [d], t, exact=exact)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]}-{len(c[2])}")
def test_screening_exciton_agrees_with_levels(case):
    st = solve_sphere(_structure(*case))
    fast = _evaluate_case(*case, exact=False)
    exact = _evaluate_case(*case, exact=True)
    # exact=True is the levels solver itself
    assert exact["first_exciton_eV"][0] == pytest.approx(st.first_exciton_eV, abs=1e-9)
    assert exact["overlap"][0] == pytest.approx(st.overlap, abs=1e-9)
    assert exact["alignment"][0] == st.alignment
    # the screening settings: within the stated tolerance of levels
    assert abs(fast["first_exciton_eV"][0] - st.first_exciton_eV) < FAST_TOLERANCE_EV
    assert fast["overlap"][0] == pytest.approx(st.overlap, abs=2e-3)
    assert fast["alignment"][0] == st.alignment
    assert fast["first_exciton_nm"][0] == pytest.approx(st.first_exciton_nm, abs=0.5)


def test_levels_cli_reports_the_same_exciton(capsys):
    import json

    from qdlab.cli.main import main

    assert main(["levels", "InP/ZnSe/ZnS", "--core-diameter", "2.5", "--shell", "1.5",
                 "--shell", "0.6", "--json"]) == 0
    lv = json.loads(capsys.readouterr().out)
    ex = evaluate(["InP", "ZnSe", "ZnS"], [2.5], [[1.5, 0.6]], exact=True)
    assert ex["first_exciton_nm"][0] == pytest.approx(lv["first_exciton_nm"], rel=1e-9)


def test_screening_grid_is_within_the_fast_tolerance():
    rng = np.random.default_rng(3)
    rc = rng.uniform(1.0, 4.0, 200)
    r = np.c_[rc, rc + rng.uniform(0.3, 2.5, 200)]
    a = first_exciton_batch(["CdSe", "ZnS"], r)
    c = first_exciton_batch(["CdSe", "ZnS"], r, **FAST_SETTINGS)
    # CdSe/ZnS (type I) is well inside the overall bound: 0.4 meV measured
    assert np.max(np.abs(c["first_exciton_eV"] - a["first_exciton_eV"])) < 1e-3


def test_screening_exciton_within_the_tolerance_for_every_default_stack():
    import warnings

    from qdlab.design.inverse import DEFAULT_CORES, DEFAULT_SHELLS

    rng = np.random.default_rng(11)
    worst = 0.0
    for core in DEFAULT_CORES:
        for shells in DEFAULT_SHELLS:
            d = rng.uniform(1.5, 12.0, 12)
            t = rng.uniform(0.3, 3.0, (12, len(shells))) if shells else None
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                a = evaluate([core, *shells], d, t, exact=True)["first_exciton_eV"]
                b = evaluate([core, *shells], d, t)["first_exciton_eV"]
            assert np.array_equal(np.isfinite(a), np.isfinite(b))
            ok = np.isfinite(a)
            if ok.any():
                worst = max(worst, float(np.max(np.abs(a[ok] - b[ok]))))
    assert worst < FAST_TOLERANCE_EV


def test_vectorised_alignment_is_the_library_rule():
    rng = np.random.default_rng(1)
    d = rng.uniform(2.0, 7.0, 60)
    t = rng.uniform(0.3, 3.0, (60, 1))
    out = evaluate(["CdSe", "CdS"], d, t)
    prof = band_profiles(["CdSe", "CdS"], Medium(), 300.0, True)
    ex = first_exciton_batch(["CdSe", "CdS"], np.c_[d / 2, d / 2 + t[:, 0]], **FAST_SETTINGS)
    ref = [alignment_from_levels(prof[0][:-1], e, prof[3][:-1], -h)
           for e, h in zip(ex["electron_eV"], ex["hole_eV"], strict=True)]
    assert out["alignment"].tolist() == ref
    assert len(set(ref)) >= 2      # the sample crosses a regime boundary


def test_width_is_a_conservative_first_order_estimate_of_the_ensemble():
    """Screen FWHM: >= the ensemble's (the Coulomb term's size dependence, left out,
    narrows the line) and within 25 % of it (J/d is 10-15 % of dE/dd; nonlinearity)."""
    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    for core, d, disp in (("CdSe", 3.0, 8.0), ("CdSe", 4.0, 5.0), ("ZnTe", 7.5, 5.0)):
        fw = evaluate([core], [d], dispersion_pct=disp)["fwhm_nm"][0]
        ens = Ensemble(core, SizeDistribution.normal(d, disp)).emission_fwhm_nm()
        assert ens * 0.98 <= fw <= 1.25 * ens, (core, d, fw, ens)


def test_flags_and_mismatch():
    f = layer_facts(["CdSe", "ZnS"])
    assert not f["rohs_compliant"] and f["heavy_metals"]
    assert f["max_mismatch_pct"] == pytest.approx(100 * abs(0.5409 - 0.4299 * 2**0.5)
                                                  / (0.4299 * 2**0.5), abs=0.3)
    g = layer_facts(["InP", "ZnSe", "ZnS"])
    assert g["rohs_compliant"] and not g["heavy_metals"]
    assert np.isnan(layer_facts(["CsPbBr3", "ZnS"])["max_mismatch_pct"])
    out = evaluate(["PbS"], [4.0])
    assert not out["rohs_compliant"][0] and out["heavy_metals"][0]


def test_refused_structures_get_a_note_not_an_exception():
    # a 30 nm ZnS shell: the solver refuses the hole wavefunction (too thick a barrier)
    out = evaluate(["CdSe", "ZnS"], [3.0, 3.0, 3.1], [[1.0], [30.0], [1.0]])
    assert out["valid"].tolist() == [True, False, True]
    assert out["note"][1] and np.isnan(out["pl_peak_nm"][1])
    assert np.isfinite(out["pl_peak_nm"][[0, 2]]).all()


@pytest.mark.parametrize("stack", [["CdSe", "ZnS"], ["InP", "ZnSe", "ZnS"], ["ZnSe", "CdSe"]])
def test_levels_bracketed_near_a_solved_structure_are_the_full_solution(stack):
    """The size derivative of the width brackets the levels around the structure's own
    (``_pair_gap_near``); they are the levels of the full solver."""
    from qdlab.electronic.sphere import pair_energy_batch
    from qdlab.electronic.sphere.exciton_batch import _pair_gap_near

    rng = np.random.default_rng(5)
    n = 400
    r = np.cumsum(np.c_[rng.uniform(0.8, 4.0, n), rng.uniform(0.3, 2.5, (n, len(stack) - 1))],
                  axis=1)
    a = pair_energy_batch(stack, r)
    full = pair_energy_batch(stack, r + 0.005)["single_particle_gap_eV"]
    near = _pair_gap_near(stack, r + 0.005, None, 300.0, a["electron_eV"], a["hole_eV"])
    np.testing.assert_allclose(near, full, rtol=0, atol=1e-11)
    # a wrong guess (outside the bracket) falls back to the full solution
    far = _pair_gap_near(stack, r + 0.005, None, 300.0, a["electron_eV"] + 0.3, a["hole_eV"])
    np.testing.assert_allclose(far, full, rtol=0, atol=1e-11)
