"""k.p optics: 6x6 F = 1/2 holes and the transition ladder, band-edge oscillator strength,
thermally averaged radiative lifetime, band-edge extinction against the calibrations."""

import math

import numpy as np
import pytest

from qdlab.constants import HBAR2_2M0
from qdlab.electronic.kp.band_edge import CRYSTAL_FIELD_L2_FACTOR, kp_band_edge
from qdlab.electronic.kp.extinction import validate_kp_extinction
from qdlab.electronic.kp.lifetimes import kp_radiative_lifetime, validate_kp_lifetimes
from qdlab.electronic.kp.transitions import (
    p_half_levels,
    split_off_s_levels,
    transition_ladder_kp,
)
from qdlab.errors import QdlabInputError, QdlabValidityWarning

Z20 = 5.763459196894550   # first zero of j2
Z10 = 4.493409457909064   # first zero of j1


def test_split_off_s_levels_uncoupled_limit():
    # gamma = 0: light hole j2(ka) = 0 (mass 1/gamma1) and split-off j0(ka) = 0 shifted by Delta
    a, g1, D = 2.0, 2.0, 0.4
    e = split_off_s_levels(a, g1, 0.0, D, 3)["energies_eV"]
    expected = sorted([g1 * HBAR2_2M0 * (Z20 / a) ** 2, D + g1 * HBAR2_2M0 * (math.pi / a) ** 2,
                       D + g1 * HBAR2_2M0 * (2 * math.pi / a) ** 2,
                       g1 * HBAR2_2M0 * (9.095011330476355 / a) ** 2])[:3]
    np.testing.assert_allclose(e, expected, rtol=1e-9)


def test_split_off_s_levels_large_delta_is_4x4_light_hole():
    # Delta -> infinity: the lowest F = 1/2 even state is the 4x4 light hole, j2(k_lh a) = 0
    a, g1, g = 2.0, 2.04, 0.58
    e = split_off_s_levels(a, g1, g, 1e4, 1)["energies_eV"][0]
    assert e == pytest.approx((g1 + 2 * g) * HBAR2_2M0 * (Z20 / a) ** 2, rel=2e-3)


def test_split_off_components_normalised_and_vanish_at_wall():
    a = 1.8
    out = split_off_s_levels(a, 2.04, 0.58, 0.42, 2)
    r = np.linspace(0.0, a, 4001)
    so, d2 = out["components"](r)
    norm = np.trapezoid((so ** 2 + d2 ** 2) * r * r, r, axis=1)
    np.testing.assert_allclose(norm, 1.0, rtol=1e-4)
    np.testing.assert_allclose(so[:, -1], 0.0, atol=1e-8)
    np.testing.assert_allclose(d2[:, -1], 0.0, atol=1e-8)
    assert np.all(so[:, 0] > 0)


def test_p_half_levels_limits():
    a, g1 = 2.0, 2.04
    x = HBAR2_2M0 * (Z10 / a) ** 2
    out = p_half_levels(a, g1, 0.0, 0.42)
    assert out["lh_eV"][0] == pytest.approx(g1 * x, rel=1e-12)
    assert out["so_eV"][0] == pytest.approx(0.42 + g1 * x, rel=1e-12)
    big = p_half_levels(a, g1, 0.58, 1e5)
    assert big["lh_eV"][0] == pytest.approx((g1 + 1.16) * x, rel=1e-3)


@pytest.mark.parametrize("kwargs", [dict(gamma=1.5), dict(gamma=-0.1), dict(n_states=0),
                                    dict(delta_so_eV=0.0), dict(radius_nm=-1.0)])
def test_split_off_bad_input(kwargs):
    args = dict(radius_nm=2.0, gamma1=2.04, gamma=0.58, delta_so_eV=0.42, n_states=1)
    args.update(kwargs)
    with pytest.raises(QdlabInputError):
        split_off_s_levels(**args)


@pytest.mark.parametrize("state,L1", [("S3/2", 0), ("P3/2", 1)])
def test_helicity_construction_reproduces_4x4_solver(state, L1):
    # the bulk-helicity projection used for F = 1/2 (6x6) and F = 5/2 gives the independently
    # derived hard-wall F = 3/2 levels and envelopes of qdlab.electronic.kp.luttinger
    from qdlab.electronic.kp.helicity import hard_wall_hole_levels
    from qdlab.electronic.kp.luttinger import solve_luttinger_holes

    a, g1, g = 1.7, 2.04, 0.58
    h = hard_wall_hole_levels(a, g1, g, 1.5, L1, 3)
    s = solve_luttinger_holes(a, [0.0, np.inf], [g1, 1.0], [g, 0.0], n_states=3, state=state)
    np.testing.assert_allclose(h["energies_eV"], s.energies_eV[0], rtol=1e-10)
    r = np.linspace(0.0, a, 301)
    u1, u2 = h["components"](r)
    R1, R2 = s.wavefunctions(r)
    np.testing.assert_allclose(u1[0], R1[0, 0], atol=1e-8)
    np.testing.assert_allclose(u2[0], R2[0, 0], atol=1e-8)


def test_transition_ladder_cdse():
    rows3 = transition_ladder_kp("CdSe", 3.0)
    rows5 = transition_ladder_kp("CdSe", 5.0)
    for rows in (rows3, rows5):
        assert rows[0]["label"] == "1S_e-1S3/2" and rows[0]["pair_eV"] == 0.0
        assert all(b["pair_eV"] >= a["pair_eV"] for a, b in zip(rows, rows[1:], strict=False))
    by3 = {r["label"]: r for r in rows3}
    by5 = {r["label"]: r for r in rows5}
    for lbl in ("1S_e-2S3/2", "1P_e-1P3/2", "1S_e-1S1/2", "1P_e-1P1/2", "1P_e-1P5/2"):
        assert lbl in by3
    # split-off strength moves from 1S1/2 (small dot) to 2S1/2 (larger dot): the avoided
    # crossing of the split-off-like and light-hole-like F = 1/2 states
    assert by3["1S_e-1S1/2"]["oscillator_strength"] > 1.0
    assert by5["1S_e-1S1/2"]["oscillator_strength"] < 0.5 < by5["1S_e-2S1/2"][
        "oscillator_strength"]
    # the bright split-off transition lies roughly Delta_so above the first exciton
    so5 = max((r for r in rows5 if r["hole"].endswith("S1/2")),
              key=lambda r: r["oscillator_strength"])
    assert 0.3 < so5["energy_eV"] - rows5[0]["energy_eV"] < 0.6
    print("\n".join(f"{r['label']:16s} {r['energy_eV']:.3f} eV f={r['oscillator_strength']:.2f}"
                    for r in rows5[:8]))


def test_transition_ladder_refuses_incomplete_material():
    with pytest.raises(QdlabInputError, match="Luttinger"):
        transition_ladder_kp("CdS", 4.0)


def test_band_edge_consistency():
    out = kp_band_edge("CdSe", [2.5, 4.0, 6.0])
    w0 = out["hole_l0_weight"]
    np.testing.assert_allclose(out["crystal_field_projection"],
                               w0 + CRYSTAL_FIELD_L2_FACTOR * (1.0 - w0), rtol=1e-9)
    assert np.all(out["overlap2"] <= w0 + 1e-9)          # Cauchy-Schwarz
    np.testing.assert_allclose(out["oscillator_strength"], 4 / 3 * 17.5 / out["energy_eV"]
                               * out["overlap2"] * out["electron_s_weight"], rtol=1e-12)
    # Kane valence admixture: larger for smaller dots (higher electron energy), < 15 %
    s = out["electron_s_weight"]
    assert np.all(np.diff(s) > 0) and np.all((s > 0.85) & (s < 1.0))
    assert np.all(np.diff(out["contact_nm3"]) < 0)       # smaller dot, larger contact density
    with pytest.raises(QdlabInputError, match="kane"):
        kp_band_edge("CdS", [4.0])
    with pytest.raises(QdlabInputError):
        kp_band_edge("CdSe", [4.0], radii_nm=[[2.0]])


def test_lifetime_limits():
    rt = kp_radiative_lifetime("CdSe", [3.0])
    hot = kp_radiative_lifetime("CdSe", [3.0], temperature_K=500.0)
    # approaches the equal-population limit from above as T grows
    assert (hot["tau_ns"][0] / hot["tau_high_T_ns"][0]
            < rt["tau_ns"][0] / rt["tau_high_T_ns"][0])
    with pytest.warns(QdlabValidityWarning):   # the band-gap fit is for 150-500 K
        cold = kp_radiative_lifetime("CdSe", [3.0], temperature_K=2.0)
    # dark +-2 ground state: slower at room temperature than the equal-population limit,
    # much slower at 2 K
    assert rt["tau_high_T_ns"][0] < rt["tau_ns"][0] < 2 * rt["tau_high_T_ns"][0]
    assert cold["tau_ns"][0] > 20 * rt["tau_ns"][0]
    off = kp_radiative_lifetime("CdSe", [3.0], fine_structure=False)
    assert off["tau_ns"][0] == pytest.approx(rt["tau_high_T_ns"][0], rel=1e-12)
    with pytest.raises(QdlabInputError, match="fine structure"):
        kp_radiative_lifetime("CdTe", [4.0])


@pytest.mark.xfail(strict=False, reason="k.p + Efros fine structure gives 8.9-9.6 ns at "
                   "2.5-6 nm (toluene) against ~20 ns measured (indicative): model/measured "
                   "0.44-0.48; the fine structure adds only 3-35 %")
def test_lifetime_vs_indicative_20ns():
    rows = validate_kp_lifetimes((3.0, 4.0, 5.0))
    for r in rows:
        print(f"d={r['diameter_nm']} tau={r['tau_ns']:.2f} ns (equal populations "
              f"{r['tau_high_T_ns']:.2f}) ratio={r['ratio']:.2f}")
    assert all(abs(r["ratio"] - 1.0) <= 0.3 for r in rows)


def test_measured_extinction_copies_match_sizing_curves():
    from qdlab.electronic.kp.extinction import measured_peak_extinction
    from qdlab.sizing.curves import get_curve

    d = np.array([2.5, 3.0, 4.0, 5.0, 6.0])
    for name in ("Jasieniak2009-CdSe", "Yu2003-CdSe", "Yu2003-CdTe"):
        np.testing.assert_allclose(measured_peak_extinction(name, d),
                                   get_curve(name).extinction_M1cm1(d, warn=False), rtol=1e-6)
    with pytest.raises(QdlabInputError):
        measured_peak_extinction("Yu2003-CdS", d)


def test_radiative_rate_matches_optics():
    from qdlab.electronic.kp.band_edge import integrated_cross_section_cm2_eV, radiative_rate_s
    from qdlab.optics.transitions import (
        absorption_prefactor_cm2_eV,
        local_field_factor,
        radiative_rate,
    )

    assert radiative_rate_s(2.1, 3.0, 1.5, 6.2) == pytest.approx(
        radiative_rate(2.1, 3.0, 1.5, 6.2), rel=1e-12)
    ref = absorption_prefactor_cm2_eV() * abs(local_field_factor(6.2, 2.25)) ** 2 / 1.5 * 8.0
    assert float(integrated_cross_section_cm2_eV(8.0, 6.2, 1.5)) == pytest.approx(ref, rel=1e-12)


@pytest.mark.xfail(strict=False, reason="integrated 1S absorption k.p/measured: Jasieniak "
                   "2009 2.65 (2.5 nm) -> 0.64 (7 nm), Yu 2003 CdSe 6.4 -> 1.3 (2.5-5 nm), "
                   "CdTe 4.1 -> 1.2 (3-6 nm); the model f grows as d^0.4, the calibrations "
                   "as d^2.1-2.65")
def test_band_edge_extinction_within_30_percent():
    rows = validate_kp_extinction()
    for r in rows:
        print(f"{r['source']} d={r['diameter_nm']} ratio={r['ratio']:.2f}")
    assert all(r["within_goal"] for r in rows)
