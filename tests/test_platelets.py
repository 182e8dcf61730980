"""Tests of qdlab.electronic.anisotropy.platelets (thickness quantisation + Rytova-Keldysh exciton)."""

import math

import numpy as np
import pytest

from qdlab.constants import BOHR_RADIUS_NM, COULOMB_EV_NM, HBAR2_2M0, HC_EV_NM, RYDBERG_EV
from qdlab.electronic.anisotropy import platelets as P
from qdlab.errors import QdlabInputError, QdlabValidityWarning
from qdlab.structures import Medium
from qdlab.structures.shapes import Platelet


def test_finite_well_limits_and_equation():
    # Infinite barrier: hbar^2 pi^2 / (2 m d^2) exactly.
    e = P.finite_well_ground_state_eV(1.5, 0.2, 1.0, math.inf)
    assert e == pytest.approx(HBAR2_2M0 * math.pi**2 / (0.2 * 1.5**2), rel=1e-12)
    # Finite barrier, equal masses: root satisfies k tan(kd/2) = kappa.
    d, m, V0 = 2.0, 0.1, 0.5
    E = float(P.finite_well_ground_state_eV(d, m, m, V0))
    k = math.sqrt(E * m / HBAR2_2M0)
    kap = math.sqrt((V0 - E) * m / HBAR2_2M0)
    assert k * math.tan(k * d / 2) == pytest.approx(kap, rel=1e-9)
    # Below the hard-wall value; a heavier barrier mass lowers it further (BDD).
    hard = HBAR2_2M0 * math.pi**2 / (m * d * d)
    assert E < hard
    assert P.finite_well_ground_state_eV(d, m, 1.0, V0) < E


def test_nonparabolic_hard_wall_is_kane_quadratic():
    Eg, m, d = 1.7, 0.12, 1.2
    E = float(P.finite_well_ground_state_eV(d, m, 1.0, math.inf, Eg))
    assert E * (1 + E / Eg) == pytest.approx(HBAR2_2M0 * math.pi**2 / (m * d * d), rel=1e-12)


def test_rytova_keldysh_limits():
    r0, eps = 2.0, 2.5
    far = P.rytova_keldysh_potential_eV(500.0, r0, eps)
    assert far == pytest.approx(-COULOMB_EV_NM / (eps * 500.0), rel=2e-5)
    # Short distance: logarithmic, V ~ -(e^2/(eps_bar r0)) [ln(2 r0/rho) - gamma_E]
    rho = 1e-3
    near = P.rytova_keldysh_potential_eV(rho, r0, eps)
    expect = -COULOMB_EV_NM / (eps * r0) * (math.log(2 * r0 / rho) - np.euler_gamma)
    assert near == pytest.approx(expect, rel=1e-3)


def test_binding_energy_coulomb_limit_exact():
    # r0 -> 0: 2D hydrogen, E_b = 4 Ry mu/eps^2, a = a_B eps/(2 mu); exponential is exact.
    mu, eps = 0.15, 3.0
    eb, a = P.keldysh_binding_energy_eV(mu, 1e-7, 1.0, eps)
    assert eb == pytest.approx(4 * RYDBERG_EV * mu / eps**2, rel=1e-4)
    assert a == pytest.approx(BOHR_RADIUS_NM * eps / mu / 2, rel=1e-2)


def test_binding_energy_ritz_bounds_the_exponential_trial_function():
    # Rayleigh-Ritz: the converged basis binds at least as strongly as the one-parameter
    # exponential (an upper bound on the energy), a few per cent more in the Keldysh regime.
    for mu, d in ((0.18, 0.76), (0.13, 1.67), (0.3, 3.0)):
        eb, rho = P.keldysh_binding_energy_eV(mu, d, 6.2, 2.25)
        eb_x, a_x = P.keldysh_binding_energy_eV(mu, d, 6.2, 2.25, method="exponential")
        assert eb_x < eb < 1.05 * eb_x
        assert rho < a_x        # the exact state is more compact than the trial function
    with pytest.raises(QdlabInputError, match="method must be one of"):
        P.keldysh_binding_energy_eV(0.1, 1.0, 6.2, 2.25, method="gauss")


def test_binding_energy_coulomb_limit_exponential_exact():
    mu, eps = 0.15, 3.0
    eb, a = P.keldysh_binding_energy_eV(mu, 1e-7, 1.0, eps, method="exponential")
    assert eb == pytest.approx(4 * RYDBERG_EV * mu / eps**2, rel=1e-4)
    assert a == pytest.approx(BOHR_RADIUS_NM * eps / mu / 2, rel=1e-2)


def test_binding_energy_vectorised_and_monotonic():
    d = np.array([0.8, 1.2, 1.6, 2.0])
    eb, a = P.keldysh_binding_energy_eV(0.1, d, 6.2, 2.25)
    assert eb.shape == (4,)
    assert np.all(np.diff(eb) < 0) and np.all(np.diff(a) > 0)
    # Dielectric enhancement: larger than the bulk-screened 2D value with eps_slab outside.
    eb_uniform, _ = P.keldysh_binding_energy_eV(0.1, 1e-7, 1.0, 6.2)
    assert np.all(eb > eb_uniform)


def test_self_energy_zero_without_contrast_and_positive_with():
    assert P.slab_self_energy_eV(1.3, 5.0, 5.0) == 0.0
    s1 = P.slab_self_energy_eV(1.0, 6.2, 2.25)
    s2 = P.slab_self_energy_eV(2.0, 6.2, 2.25)
    assert s1 > s2 > 0
    assert s1 / s2 == pytest.approx(2.0, rel=0.05)  # scales ~1/d
    assert P.slab_self_energy_eV(1.0, 2.0, 6.0) < 0  # higher-eps outside attracts


def test_thickness_conventions_and_shapes_agree():
    pl = Platelet("CdSe-zb", 4, 20.0)
    assert P.platelet_thickness(4, pl.material.lattice_constant_nm) == pytest.approx(pl.thickness_nm)
    t = [P.platelet_thickness(3, 0.6, c) for c in P.THICKNESS_CONVENTIONS]
    assert t == pytest.approx([1.05, 0.9, 1.2])
    with pytest.raises(QdlabInputError, match="convention"):
        P.platelet_thickness(3, 0.6, "n+2")


def test_band_edge_energy_is_sum_of_terms_and_structure_input():
    r = P.platelet_band_edge(Platelet("CdSe-zb", 4, 20.0))
    s = (r.band_gap_eV + r.electron_confinement_eV + r.hole_confinement_eV
         + r.self_energy_eV - r.binding_energy_eV)
    assert r.energy_eV == pytest.approx(s, rel=1e-12)
    assert r.wavelength_nm == pytest.approx(HC_EV_NM / r.energy_eV)
    assert r.hole_mass_z == pytest.approx(1 / (2.04 - 2 * 0.58), rel=1e-9)
    d = r.as_dict()
    assert d["first_exciton_nm"] == r.wavelength_nm
    # Binding energy in the range reported for 3-7 ML CdSe platelets (195-315 meV,
    # Shornikova et al. Nano Lett. 2021, 10.1021/acs.nanolett.1c04159): order of magnitude.
    assert 0.1 < r.binding_energy_eV < 0.4


def test_nonparabolic_mass_continuous_well_solves_its_equation():
    # barrier_mass=None: m_b = m_w(E) = m (1 + E/Eg), so k tan(kd/2) = kappa exactly.
    d, m, V0, Eg = 1.367, 0.12, 4.0, 1.67
    E = float(P.finite_well_ground_state_eV(d, m, None, V0, Eg))
    mE = m * (1 + E / Eg)
    k = math.sqrt(E * mE / HBAR2_2M0)
    kap = math.sqrt((V0 - E) * mE / HBAR2_2M0)
    assert k * math.tan(k * d / 2) == pytest.approx(kap, rel=1e-9)
    # With a mass step (m_b = 1): (k/m(E)) tan(kd/2) = kappa/m_b.
    E1 = float(P.finite_well_ground_state_eV(d, m, 1.0, V0, Eg))
    m1 = m * (1 + E1 / Eg)
    k1 = math.sqrt(E1 * m1 / HBAR2_2M0)
    kap1 = math.sqrt((V0 - E1) / HBAR2_2M0)
    assert k1 / m1 * math.tan(k1 * d / 2) == pytest.approx(kap1, rel=1e-9)
    assert E1 < E


def test_heavy_barrier_mass_limit():
    # BDD: (k/m) tan(kd/2) = sqrt(2 (V-E)/m_b)/hbar -> 0 as m_b -> inf, so E -> 0 at fixed V;
    # to leading order E ~ 2 hbar^2 kappa / (2 m_w m_b d) with kappa^2 = 2 m_b V / hbar^2.
    d, m, V0 = 1.0, 0.1, 1.0
    for mb in (1e4, 1e6):
        E = float(P.finite_well_ground_state_eV(d, m, mb, V0))
        lead = 2 * HBAR2_2M0 * math.sqrt(mb * V0 / HBAR2_2M0) / (mb * d)
        assert E == pytest.approx(lead, rel=0.02)


def test_inplane_mass_is_kane_curvature():
    r = P.platelet_band_edge("CdSe-zb", 4, kane_model="two-band")
    me_par = r.electron_mass * (1 + 2 * r.electron_confinement_eV / r.band_gap_eV)
    assert r.reduced_mass_inplane == pytest.approx(1 / (1 / me_par + 1 / r.hole_mass_inplane))
    p = P.platelet_band_edge("CdSe-zb", 4, nonparabolic=False)
    assert p.reduced_mass_inplane == pytest.approx(1 / (1 / 0.12 + 1 / p.hole_mass_inplane))


def test_series_monotonic():
    E = [r["model_eV"] for r in P.validate_cdse_platelets()]
    assert all(np.diff(E) < 0)


# The measured peaks are quoted within 393-395, 462-463 and 550-553 nm in different
# reports (qdlab/_data/platelets_cdse.csv): a 3 nm uncertainty on each wavelength.
PLATELET_PEAK_UNCERTAINTY_NM = 3.0
#: Goal of issue 13: each measured heavy- and light-hole line within 0.05 eV.
PLATELET_GOAL_EV = 0.05

_ROWS = {r["label"]: r for r in P.validate_cdse_platelets()}


@pytest.mark.parametrize("label", [
    pytest.param("2.5 ML", marks=pytest.mark.xfail(
        strict=True, reason="known miss: 2.5 ML heavy-hole line 383.1 nm against 394 nm "
        "measured, +0.089 eV (5 atomic planes, outside effective-mass theory; module notes)")),
    "3.5 ML", "4.5 ML", "5.5 ML"])
def test_heavy_hole_line_against_measurement(label):
    r = _ROWS[label]
    assert abs(r["error_eV"]) <= PLATELET_GOAL_EV, (label, r["model_nm"], r["measured_nm"])


# measured: +0.049, -0.008, -0.049 eV (3.5 and 5.5 ML at the edge of the goal)
@pytest.mark.parametrize("label", ["3.5 ML", "4.5 ML", "5.5 ML"])
def test_light_hole_line_against_measurement(label):
    r = _ROWS[label]
    assert abs(r["lh_error_eV"]) <= PLATELET_GOAL_EV, (label, r["lh_model_nm"],
                                                         r["lh_measured_nm"])


@pytest.mark.xfail(strict=False, reason="known miss: not within the 3 nm uncertainty of the "
                   "quoted peaks (HH 2.5 ML -10.9 nm, 3.5 ML -5.0 nm, 5.5 ML +5.2 nm; LH 3.5 ML "
                   "-7.4 nm, 5.5 ML +10.6 nm)")
def test_series_within_quoted_uncertainty():
    rows = P.validate_cdse_platelets()
    miss_nm = [abs(r["model_nm"] - r["measured_nm"]) for r in rows]
    miss_nm += [abs(r["lh_model_nm"] - r["lh_measured_nm"]) for r in rows
                if r["lh_measured_nm"] is not None]
    assert max(miss_nm) <= PLATELET_PEAK_UNCERTAINTY_NM


def test_hh_lh_splitting_follows_split_off_mixing():
    # Measured HH-LH splitting 0.16-0.17 eV at 3.5-5.5 ML; a parabolic (gamma1 + 2 gamma2)
    # light hole puts it at 0.35 eV at 3.5 ML, the split-off mixing near the measurement.
    for r in P.validate_cdse_platelets():
        if r["lh_measured_eV"] is None:
            continue
        meas = r["lh_measured_eV"] - r["measured_eV"]
        assert r["lh_model_eV"] - r["model_eV"] == pytest.approx(meas, abs=0.05)
    no_mix = P.validate_cdse_platelets(split_off_mixing=False)[1]
    assert no_mix["lh_model_eV"] - no_mix["model_eV"] > 0.3


def test_mass_continuous_barrier_two_band_numbers():
    # No mass step at the ligands with the two-band Kane electron (the variant of the first
    # version of this model): blue, converging with thickness (+0.168 ... -0.004 eV).
    err = [r["error_eV"] for r in P.validate_cdse_platelets(barrier_mass="well",
                                                            kane_model="two-band",
                                                            inplane="band-edge")]
    assert err == pytest.approx([0.168, 0.073, 0.024, -0.004], abs=0.005)
    assert all(np.diff(err) < 0)


def test_free_electron_barrier_mass_is_too_red():
    # The BenDaniel-Duke mass step to m0 in the ligands: 0.18-0.27 eV too red (module notes).
    err = [r["error_eV"] for r in P.validate_cdse_platelets(barrier_mass=1.0)]
    assert all(-0.3 < e < -0.15 for e in err)


def test_validation_table_prints_every_row_and_rms():
    t = P.platelet_validation_table()
    assert all(lab[:3] in t for lab in _ROWS) and "rms: HH" in t and "LH" in t


def test_default_phase_is_zinc_blende():
    assert Platelet("CdSe", 4, 20.0).material.key == "CdSe-zb"
    assert P.platelet_band_edge("CdSe", 4).material == "CdSe-zb"
    assert Platelet("CdSe-wz", 4, 20.0, lattice_constant_nm=0.6077).material.key == "CdSe-wz"


def test_well_solver_matches_the_kane_well_and_hard_wall_light_hole_is_exact():
    from functools import partial

    from qdlab.electronic.anisotropy import well_bands as W

    k2 = partial(W.conduction_k2, electron_mass=0.12, band_gap_eV=1.67)
    for mb in (None, 1.0):
        assert W.well_ground_state_eV(1.367, k2, 4.0, mb) == pytest.approx(
            float(P.finite_well_ground_state_eV(1.367, 0.12, mb, 4.0, 1.67)), rel=1e-9)
    # hard walls: the LH/SO pair is exactly sin(pi z / L) in both components
    g1, g2, D, L = 2.04, 0.58, 0.42, 1.2
    E = W.well_ground_state_eV(L, partial(W.light_hole_k2, gamma1=g1, gamma2=g2,
                                          spin_orbit_eV=D), math.inf, None)
    eps = HBAR2_2M0 * (math.pi / L) ** 2
    H = np.array([[(g1 + 2 * g2) * eps, -2 * math.sqrt(2) * g2 * eps],
                  [-2 * math.sqrt(2) * g2 * eps, D + g1 * eps]])
    assert E == pytest.approx(np.linalg.eigvalsh(H)[0], rel=1e-9)


def test_light_hole_limits():
    from qdlab.electronic.anisotropy import well_bands as W

    g1, g2, E = 2.04, 0.58, 0.05
    # large Delta: the parabolic light hole 1/(gamma1 + 2 gamma2)
    assert W.light_hole_k2(E, g1, g2, 1e4) == pytest.approx(
        E / (HBAR2_2M0 * (g1 + 2 * g2)), rel=1e-3)
    # Delta -> 0: the light-hole branch takes the heavy mass 1/(gamma1 - 2 gamma2)
    assert W.light_hole_k2(E, g1, g2, 1e-6) == pytest.approx(
        E / (HBAR2_2M0 * (g1 - 2 * g2)), rel=1e-3)


def test_three_band_electron_mass_at_the_edge_and_heavier_above():
    from qdlab.electronic.anisotropy import well_bands as W

    def mass(E, *a):
        return HBAR2_2M0 * W.conduction_k2(E, 0.12, 1.67, *a) / E

    assert mass(1e-6, 0.42, 17.5) == pytest.approx(0.12, rel=1e-5)
    assert mass(0.5, 0.42, 17.5) > mass(0.5) > 0.12    # three-band bends more (database E_p)
    with pytest.warns(QdlabValidityWarning, match="kane_energy"):
        r = P.platelet_band_edge("CdS-wz", 4, lattice_constant_nm=0.582)
    assert r.kane_model == "two-band"


def test_inputs_rejected_and_thin_warns():
    with pytest.raises(QdlabInputError, match="monolayers"):
        P.platelet_band_edge("CdSe-zb", 0)
    with pytest.raises(QdlabInputError, match="thickness_nm"):
        P.finite_well_ground_state_eV(-1.0, 0.1, 0.1, 1.0)
    with pytest.raises(QdlabInputError, match="barrier_eV"):
        P.finite_well_ground_state_eV(1.0, 0.1, 0.1, 0.0)
    with pytest.warns(QdlabValidityWarning, match="not reliable"):
        P.platelet_band_edge("CdSe-zb", 2)


def test_medium_dielectric_constant_changes_binding():
    lo = P.platelet_band_edge("CdSe-zb", 4, medium=Medium(dielectric_constant=1.5))
    hi = P.platelet_band_edge("CdSe-zb", 4, medium=Medium(dielectric_constant=4.0))
    assert lo.binding_energy_eV > hi.binding_energy_eV
    assert lo.self_energy_eV > hi.self_energy_eV


def test_cli_levels_platelet_reports_both_lines():
    import json

    from typer.testing import CliRunner

    from qdlab.cli.main import app

    res = CliRunner().invoke(app, ["levels", "CdSe", "--shape", "platelet", "--monolayers",
                                   "4", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["material"] == "CdSe-zb"
    assert out["first_exciton_nm"] == pytest.approx(_ROWS["4.5 ML"]["model_nm"])
    assert out["light_hole_wavelength_nm"] == pytest.approx(_ROWS["4.5 ML"]["lh_model_nm"])
    text = CliRunner().invoke(app, ["levels", "CdSe", "--shape", "platelet", "--monolayers",
                                    "4"])
    assert text.exit_code == 0 and "light-hole exciton" in text.stdout


def test_validation_rows_for_both_lines():
    from qdlab.validation import validate_platelets

    hh, lh = validate_platelets()
    assert hh["rms_eV"] == pytest.approx(math.sqrt(np.mean([r["error_eV"] ** 2
                                                            for r in _ROWS.values()])))
    assert lh["n"] == 3 and lh["monolayers"] == [3, 5]


def test_non_zinc_blende_platelet_needs_the_cubic_lattice_constant():
    # The wurtzite a (0.43 nm) in the zinc-blende thickness formula gave 0.97 nm for
    # 4.5 ML CdSe-wz (417 nm, exit 0 with a warning); now refused, naming the zb record.
    with pytest.raises(QdlabInputError, match="use 'CdSe-zb'"):
        Platelet("CdSe-wz", 4, 20.0)
    with pytest.raises(QdlabInputError, match="zinc-blende"):
        P.platelet_band_edge("CdSe-wz", 4)
    with pytest.raises(QdlabInputError, match="has none"):
        Platelet("CdS", 3, 20.0)
    pl = Platelet("CdSe-wz", 4, 20.0, lattice_constant_nm=0.6077)
    with pytest.warns(QdlabValidityWarning, match="not zinc blende"):
        r = P.platelet_band_edge(pl)
    assert r.thickness_nm == pytest.approx(pl.thickness_nm)


def test_cli_refuses_a_wurtzite_platelet_with_status_2():
    from typer.testing import CliRunner

    from qdlab.cli.main import app

    res = CliRunner().invoke(app, ["levels", "CdSe-wz", "--shape", "platelet",
                                   "--monolayers", "4"])
    assert res.exit_code == 2 and "CdSe-zb" in res.output
