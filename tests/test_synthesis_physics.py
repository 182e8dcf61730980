"""Physics checks of the population balance (issue 5, section 4).

Each test compares with an exact or published result and can fail:
mass balance, Lifshitz-Slyozov (diffusion control) and Wagner (reaction control)
coarsening laws and stationary widths, focusing / defocusing of a hot injection,
refocusing by a second injection, and Talapin et al. 2001: small particles ripen
to distributions narrower than LSW.
"""

import numpy as np
import pytest

from qdlab.synthesis import (
    Recipe,
    capillary_length_nm,
    example_recipe,
    lsw_distribution,
    run_recipe,
    wagner_distribution,
)
from qdlab.synthesis.kinetics import molecular_volume_nm3

VM = 33.0  # cm^3/mol, fixed so the tests do not depend on the materials database
T = 573.15


def ripening_recipe(*, gamma=0.02, kg=1e6, D=1e-9, csat=1e-4, alpha=0.5, duration=100.0,
                    rtol=1e-5, monomer_mol=1e-9, n_snapshots=0, max_classes=5000):
    return Recipe.from_dict({
        "name": "ripening", "material": "CdSe", "molar_volume_cm3_mol": VM,
        "solvent_volume_mL": 10.0, "precursor_mol": 0.0, "monomer_mol": monomer_mol,
        "duration_s": duration,
        "conversion": {"prefactor_per_s": 1.0, "activation_energy_eV": 0.0},
        "growth": {"surface_energy_J_m2": gamma, "diffusion_m2_s": D, "surface_rate_m_s": kg,
                   "transfer_coefficient": alpha, "solubility_mol_L": csat},
        "nucleation": {"model": "none"},
        "temperature_program": [{"time_s": 0.0, "temperature_K": T}],
        "numerics": {"rtol": rtol, "atol_nm": 1e-6, "n_snapshots": n_snapshots,
                     "max_classes": max_classes, "max_steps": 1_000_000},
    })


def quantile_classes(pdf, upper, mean_radius, n=2000):
    """n equal-number classes at the quantile midpoints of a density on [0, upper)."""
    u = np.linspace(0.0, upper, 20001)[:-1] + upper / 40000
    cdf = np.cumsum(pdf(u))
    cdf /= cdf[-1]
    q = (np.arange(n) + 0.5) / n
    x = np.interp(q, cdf, u)
    return x * mean_radius / x.mean()


def lsw_seed(mean_radius, n=2000):
    return quantile_classes(lsw_distribution, 1.5, mean_radius, n)


def wagner_seed(mean_radius, n=2000):
    return quantile_classes(wagner_distribution, 2.0, mean_radius, n)


def number_weighted(traj):
    return traj.mean_diameter_nm / 2.0, traj.rsd_pct / 100.0


def lc(gamma):
    return float(capillary_length_nm(gamma, VM, T))


CSAT = 1e-4
VCS = VM * 1e-3 * CSAT  # v C_inf, dimensionless


@pytest.fixture(scope="module")
def cdse():
    return run_recipe(example_recipe("cdse").with_updates(molar_volume_cm3_mol=VM))


@pytest.fixture(scope="module")
def cdse_reinjected():
    r = example_recipe("cdse").with_updates(
        molar_volume_cm3_mol=VM,
        injections=[{"time_s": 300.0, "precursor_mol": 2e-4, "volume_mL": 1.0}])
    return run_recipe(r)


def _content_mol(traj):
    """Material in the final particles, mol of monomer, from the size classes.

    A particle of radius r holds (r^3 - r_1^3) / r_1^3 monomers beyond its first,
    r_1 = (3 v / 4 pi)^(1/3) the radius of one monomer (population.py docstring).
    """
    v = float(molecular_volume_nm3(VM))
    r1_cubed = 3 * v / (4 * np.pi)
    return float(np.dot(traj.final_number_mol,
                        4 * np.pi / 3 * (traj.final_radii_nm**3 - r1_cubed) / v))


def test_mass_conserved_to_1e9_against_the_recipe(cdse_reinjected):
    tr = cdse_reinjected
    # independent of the solver's bookkeeping: what the recipe put in
    put_in = 2e-4 + 2e-4
    vol = tr.final_volume_L
    assert vol == pytest.approx(11e-3)
    found = (tr.precursor_mol_L[-1] + tr.monomer_mol_L[-1]) * vol + _content_mol(tr)
    assert abs(found - put_in) / put_in < 1e-9
    assert tr.mass_balance_error.max() < 1e-12
    assert tr.yield_pct[-1] > 99.0
    for col in (tr.monomer_mol_L, tr.precursor_mol_L, tr.supersaturation):
        assert np.all(col >= 0)


def _slopes(t, y):
    """Least-squares slopes of y(t) over the second and the fourth quarter of the run."""
    n = len(t)
    a = slice(n // 4, n // 2)
    b = slice(3 * n // 4, n)
    return np.polyfit(t[a], y[a], 1)[0], np.polyfit(t[b], y[b], 1)[0]


def test_lsw_diffusion_limited_coarsening():
    """Diffusion control, l/r ~ 0.01: <r>^3 grows linearly at (4/9) D v C l, width 0.215."""
    gamma, r0, n = 0.02, 25.0, 1000
    l = lc(gamma)
    a = 1e9 * VCS * l  # D v C_inf l, nm^3/s (D = 1e-9 m^2/s)
    rate = 4.0 / 9.0 * a
    dur = 7 * r0**3 / rate  # <r>^3 grows eightfold
    rec = ripening_recipe(gamma=gamma, kg=1e6, duration=dur, csat=CSAT, rtol=1e-4,
                          monomer_mol=CSAT * 0.01 * np.exp(l / r0))
    tr = run_recipe(rec, initial_radii_nm=lsw_seed(r0, n), initial_number_mol=np.full(n, 1e-9))
    rm, w = number_weighted(tr)
    s1, s2 = _slopes(tr.time_s, rm**3)
    # rate: LSW asymptote; tolerance 3 % (l/<r> ~ 1 % corrections, discrete classes)
    assert s2 / rate == pytest.approx(1.0, abs=0.03)
    assert s1 / s2 == pytest.approx(1.0, abs=0.03)  # r^3 linear in t
    q1, q2 = _slopes(tr.time_s, rm**2)
    assert q2 / q1 < 0.85  # ... and r^2 is not (r^2 ~ t^(2/3))
    assert rm[-1] ** 3 / r0**3 == pytest.approx(8.0, rel=0.05)
    # stationary width stays at the LSW value 0.2151 (+-0.01 for l/r corrections)
    assert np.all(np.abs(w[len(w) // 4:] - 0.2151) < 0.01)
    assert tr.mass_balance_error.max() < 1e-12


def test_wagner_reaction_limited_coarsening():
    """Reaction control (D/k_g = 1e6 nm >> r): <r>^2 linear at (32/81) k_g v C l, width 0.354."""
    gamma, r0, n, kg = 0.02, 25.0, 1000, 1e-3
    l = lc(gamma)
    b = kg * 1e9 * VCS * l  # k_g v C_inf l, nm^2/s
    rate = 32.0 / 81.0 * b
    dur = 3 * r0**2 / rate  # <r>^2 grows fourfold
    rec = ripening_recipe(gamma=gamma, kg=kg, alpha=0.0, duration=dur, csat=CSAT, rtol=1e-4,
                          monomer_mol=CSAT * 0.01 * np.exp(l / r0))
    tr = run_recipe(rec, initial_radii_nm=wagner_seed(r0, n),
                    initial_number_mol=np.full(n, 1e-9))
    rm, w = number_weighted(tr)
    s1, s2 = _slopes(tr.time_s, rm**2)
    assert s2 / rate == pytest.approx(1.0, abs=0.06)
    assert s1 / s2 == pytest.approx(1.0, abs=0.04)  # r^2 linear in t
    q1, q2 = _slopes(tr.time_s, rm**3)
    assert q2 / q1 > 1.15  # ... and r^3 is not
    assert np.all(np.abs(w[len(w) // 4:] - 1 / (2 * np.sqrt(2))) < 0.015)


def test_talapin_small_particles_ripen_narrower_than_lsw():
    """Talapin et al. 2001: ensembles with r of the order of 2 gamma V_m/RT (here l = 2.8 nm,
    <r> = 2 -> 5 nm, diffusion control) ripen to distributions narrower than LSW's 0.215,
    while the same run with l/r ~ 0.01 keeps the LSW width (test above)."""
    gamma, r0, n = 0.2, 2.0, 1000
    l = lc(gamma)
    a = 1e9 * VCS * l
    dur = 7 * r0**3 / (4.0 / 9.0 * a)
    rec = ripening_recipe(gamma=gamma, kg=1e6, duration=dur, csat=CSAT, rtol=1e-4,
                          monomer_mol=CSAT * 0.01 * np.exp(l / r0))
    tr = run_recipe(rec, initial_radii_nm=lsw_seed(r0, n), initial_number_mol=np.full(n, 1e-9))
    rm, w = number_weighted(tr)
    assert rm[-1] > 2 * r0
    late = w[len(w) // 2:]
    assert np.mean(late) < 0.195  # LSW: 0.2151
    assert np.all(late < 0.21)
    assert np.all(late > 0.15)


def test_hot_injection_focuses_then_defocuses(cdse):
    tr = cdse
    t, rsd = tr.time_s, tr.rsd_pct
    # end of the nucleation burst: 99 % of the maximum particle number reached
    conc = tr.particle_conc_mol_L
    b = int(np.argmax(conc >= 0.99 * conc.max()))
    assert t[b] < 2.0  # a burst
    i = b + int(np.argmin(rsd[b:]))
    # focusing: the width falls well below its value at the end of the burst ...
    assert rsd[i] < 0.5 * rsd[b]
    # ... then defocusing (Ostwald ripening) broadens it severalfold by the end
    assert rsd[-1] > 3 * rsd[i]
    # the turn comes when the critical radius approaches the mean radius
    with np.errstate(divide="ignore", invalid="ignore"):  # no particles at t = 0
        ratio = tr.critical_radius_nm / (tr.mean_diameter_nm / 2)
    assert 0.5 < ratio[i] < 1.0
    j = np.searchsorted(t, 5.0)
    assert ratio[j] < 0.6 * ratio[i]  # during focusing r* well below <r>
    # during defocusing r* ~ <r>; the last stage of dissolution of a class of small
    # particles releases its material within ~10 ms and lowers r* for that moment
    # (discrete size classes), so the check is on the time spent below 0.9 <r>
    late = t > 100
    dt = np.diff(t, append=t[-1])
    assert dt[late & (ratio < 0.9)].sum() < 1e-3 * (t[-1] - 100)


def test_second_injection_refocuses(cdse, cdse_reinjected):
    t = cdse_reinjected.time_s
    i = np.searchsorted(t, 300.0)
    j = np.searchsorted(t, 400.0)
    before = cdse_reinjected.rsd_pct[i]
    after = cdse_reinjected.rsd_pct[i:j].min()
    assert after < 0.8 * before
    k = np.searchsorted(cdse.time_s, 400.0)
    assert after < 0.8 * cdse.rsd_pct[k]  # versus the run without the injection
    # the new monomer grows the existing particles (no second nucleation burst)
    assert cdse_reinjected.particle_conc_mol_L[j] <= 1.05 * cdse_reinjected.particle_conc_mol_L[i]
    assert cdse_reinjected.mean_diameter_nm[j] > 1.1 * cdse_reinjected.mean_diameter_nm[i]


def test_trajectory_outputs(cdse):
    tr = cdse
    s = tr.final_summary()
    for key in ("mean_diameter_nm", "rsd_pct", "yield_pct", "mass_balance_error"):
        assert key in s and s[key] is not None
    table = tr.to_table()
    assert table.num_rows == len(tr.time_s)
    assert "critical_radius_nm" in table.column_names
    # histograms: particles per bin, summing to the particle concentration
    assert tr.histograms_mol_L.shape == (len(tr.snapshot_time_s), len(tr.diameter_centres_nm))
    assert tr.histograms_mol_L[-1].sum() == pytest.approx(tr.particle_conc_mol_L[-1], rel=1e-12)
    assert tr.snapshot_time_s[0] == 0.0 and tr.snapshot_time_s[-1] == 600.0
    h = tr.histogram_table()
    assert h.num_rows == tr.histograms_mol_L.size


@pytest.mark.parametrize("name", ["pbs", "inp"])
def test_heat_up_and_pbs_examples_run(name):
    tr = run_recipe(example_recipe(name).with_updates(molar_volume_cm3_mol=VM, duration_s=100.0))
    s = tr.final_summary()
    assert 1.0 < s["mean_diameter_nm"] < 20.0
    assert s["mass_balance_error"] < 1e-12
