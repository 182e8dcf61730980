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
    band_edge_manifold,
    ladder_rows,
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
    # the 1S_e-1S3/2 fine structure alone (manifold=False): the previous model
    rt = kp_radiative_lifetime("CdSe", [3.0], manifold=False)
    hot = kp_radiative_lifetime("CdSe", [3.0], temperature_K=500.0, manifold=False)
    # approaches the equal-population limit from above as T grows
    assert (hot["tau_ns"][0] / hot["tau_high_T_ns"][0]
            < rt["tau_ns"][0] / rt["tau_high_T_ns"][0])
    with pytest.warns(QdlabValidityWarning):   # the band-gap fit is for 150-500 K
        cold = kp_radiative_lifetime("CdSe", [3.0], temperature_K=2.0, manifold=False)
    # dark +-2 ground state: slower at room temperature than the equal-population limit,
    # much slower at 2 K
    assert rt["tau_high_T_ns"][0] < rt["tau_ns"][0] < 2 * rt["tau_high_T_ns"][0]
    assert cold["tau_ns"][0] > 20 * rt["tau_ns"][0]
    off = kp_radiative_lifetime("CdSe", [3.0], fine_structure=False, manifold=False)
    assert off["tau_ns"][0] == pytest.approx(rt["tau_high_T_ns"][0], rel=1e-12)
    with pytest.raises(QdlabInputError, match="fine structure"):
        kp_radiative_lifetime("CdTe", [4.0])


def test_band_edge_manifold_levels():
    lv = band_edge_manifold("CdSe", 5.0)
    assert lv[0]["label"] == "1S_e-1S3/2" and lv[0]["above_eV"] == 0.0 and lv[0]["bright"]
    assert all(a["above_eV"] <= b["above_eV"] for a, b in zip(lv, lv[1:], strict=False))
    by = {r["hole"]: r for r in lv}
    # CdSe (beta = 0.28): the dark 1P3/2 hole lies a few tens of meV above 1S3/2, less
    # bound by the Coulomb attraction than 1S3/2
    assert not by["1P3/2"]["bright"] and by["1P3/2"]["oscillator_strength"] == 0.0
    assert 0.0 < by["1P3/2"]["above_eV"] < 0.05
    assert by["1P3/2"]["coulomb_eV"] < by["1S3/2"]["coulomb_eV"]
    assert {r["degeneracy"] for r in lv} <= {4, 8, 12}
    assert by["1P5/2"]["degeneracy"] == 12 and by["2S3/2"]["bright"]
    # ladder (finite barrier electron, hard-wall holes): same 1S strength as the ladder
    assert by["1S3/2"]["oscillator_strength"] == pytest.approx(
        ladder_rows("CdSe", 5.0)[0]["oscillator_strength"], rel=1e-12)
    assert all(r["above_eV"] <= 0.1 for r in band_edge_manifold("CdSe", 5.0,
                                                                max_above_eV=0.1))


def test_monopole_coulomb_uniform_limit():
    # two uniform spheres: J = (6/5) e^2 / (4 pi eps0 eps a)
    from qdlab.constants import COULOMB_EV_NM
    from qdlab.electronic.kp.transitions import _monopole_coulomb_eV

    r = np.linspace(0.0, 2.0, 4001)
    one = np.ones_like(r)
    assert _monopole_coulomb_eV(one, one, r, 10.0) == pytest.approx(
        1.2 * COULOMB_EV_NM / (10.0 * 2.0), rel=1e-5)
    # 1S x 1S sine envelopes: 1.786 e^2 / (eps a)
    s = np.sinc(r / 2.0) ** 2
    assert _monopole_coulomb_eV(s, s, r, 1.0) == pytest.approx(1.786 * COULOMB_EV_NM / 2.0,
                                                               rel=2e-3)


def test_lifetime_manifold_and_local_field():
    d = [2.5, 5.0, 7.0]
    old = kp_radiative_lifetime("CdSe", d, manifold=False)
    new = kp_radiative_lifetime("CdSe", d)
    # thermally populated dark 1S_e-1P hole levels: slower, more so for larger dots where
    # the hole levels are closer
    assert np.all(new["tau_ns"] > old["tau_ns"])
    assert np.all(np.diff(new["bright_fraction"]) < 0) and new["bright_fraction"][0] < 1.0
    assert np.all(old["bright_fraction"] == 1.0)
    # eps_dot as a constant equal to eps_inf is the default
    same = kp_radiative_lifetime("CdSe", d, eps_dot=lambda e: 6.2 + 0.0 * e)
    np.testing.assert_allclose(same["tau_ns"], new["tau_ns"], rtol=1e-12)
    # a larger dot permittivity weakens the local field: slower
    slow = kp_radiative_lifetime("CdSe", d, eps_dot=7.0)
    assert np.all(slow["tau_ns"] > new["tau_ns"])
    with pytest.raises(QdlabInputError, match="eps_dot"):
        kp_radiative_lifetime("CdSe", d, eps_dot=-1.0)


@pytest.fixture(scope="module")
def lifetime_rows():
    from qdlab.optics.optical_constants import bulk_permittivity

    return {r["diameter_nm"]: r for r in
            validate_kp_lifetimes((2.5, 3.0, 4.0, 5.0, 6.0, 7.0),
                                  eps_dot=bulk_permittivity("CdSe"))}


_TAU_MISS = pytest.mark.xfail(strict=False, reason=(
    "k.p + fine structure + dark 1S_e-1P hole levels + local field: 10.4 / 10.5 / 11.9 / "
    "13.3 ns at 2.5 / 3 / 4 / 5 nm against ~20 ns (indicative); the model follows the "
    "measured trend (faster for smaller dots, within 23 % of 18 ns x 1.74 eV / E) but not a "
    "size-independent 20 ns"))


@pytest.mark.parametrize("d", [pytest.param(2.5, marks=_TAU_MISS),
                               pytest.param(3.0, marks=_TAU_MISS),
                               pytest.param(4.0, marks=_TAU_MISS),
                               pytest.param(5.0, marks=_TAU_MISS), 6.0, 7.0])
def test_lifetime_vs_indicative_20ns(lifetime_rows, d):
    r = lifetime_rows[d]
    print(f"d={d} tau={r['tau_ns']:.2f} ns (before {r['tau_before_ns']:.2f}) "
          f"ratio={r['ratio']:.2f}")
    assert abs(r["ratio"] - 1.0) <= 0.3


def test_lifetime_vs_frequency_trend(lifetime_rows):
    # de Mello Donega & Koole 2009: rate proportional to the emission frequency, 18 ns at
    # the bulk gap (indicative reading of their abstract); goal +-30 %
    for d, r in lifetime_rows.items():
        print(f"d={d} tau={r['tau_ns']:.2f} ns trend={r['trend_ns']:.2f} "
              f"ratio={r['ratio_trend']:.2f}")
        assert abs(r["ratio_trend"] - 1.0) <= 0.3
    # before: size-independent 8.9-9.6 ns, against the trend's 12.7-16.8 ns
    assert min(r["tau_before_ns"] / r["trend_ns"] for r in lifetime_rows.values()) < 0.6


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


@pytest.fixture(scope="module")
def extinction_rows():
    from qdlab.sizing.extinction_validation import kp_band_edge_extinction_rows

    return {(r["source"], r["diameter_nm"]): r for r in kp_band_edge_extinction_rows()}


def test_band_edge_peak_extinction_consistency():
    from qdlab.electronic.kp.extinction import (
        GAUSSIAN_AREA_PER_HWHM,
        band_edge_peak_extinction,
    )

    d = [3.0, 6.0]
    out = band_edge_peak_extinction("CdSe", d)
    np.testing.assert_allclose(out["single_line_M1cm1"] * 0.06 * GAUSSIAN_AREA_PER_HWHM,
                               out["integrated_1s_M1cm1eV"], rtol=1e-12)
    # the higher lines (2S3/2 ...) can only add to the first peak
    assert np.all(out["peak_M1cm1"] >= out["single_line_M1cm1"])
    same = band_edge_peak_extinction("CdSe", d, eps_dot=6.2)
    np.testing.assert_allclose(same["peak_M1cm1"], out["peak_M1cm1"], rtol=1e-12)
    narrow = band_edge_peak_extinction("CdSe", d, hwhm_eV=0.03)
    assert np.all(narrow["peak_M1cm1"] > out["peak_M1cm1"])
    with pytest.raises(QdlabInputError, match="hwhm_eV"):
        band_edge_peak_extinction("CdSe", d, hwhm_eV=0.0)


_EXT_PASS = {("Jasieniak2009-CdSe", 5.0), ("Jasieniak2009-CdSe", 6.0), ("Yu2003-CdSe", 5.0),
             ("Yu2003-CdTe", 6.0)}
_EXT_CASES = [(s, d) for s, d in
              [("Jasieniak2009-CdSe", x) for x in (2.5, 3.0, 4.0, 5.0, 6.0, 7.0)]
              + [("Yu2003-CdSe", x) for x in (2.5, 3.0, 4.0, 5.0)]
              + [("Yu2003-CdTe", x) for x in (3.0, 4.0, 5.0, 6.0)]]
_EXT_MISS = pytest.mark.xfail(strict=False, reason=(
    "band-edge peak k.p/measured (every k.p line, HWHM 0.06 eV, local field at the line): "
    "Jasieniak 2009 2.54 (2.5 nm) -> 0.65 (7 nm), Yu 2003 CdSe 6.2 -> 1.26, CdTe 4.1 -> "
    "1.28; the k.p strength of 1S_e-1S3/2 grows as d^0.4, the calibrations' band-edge "
    "absorption per dot as d^1.7-2.6"))


@pytest.mark.parametrize("source,d", [pytest.param(s, d, marks=() if (s, d) in _EXT_PASS
                                                   else _EXT_MISS) for s, d in _EXT_CASES])
def test_band_edge_extinction_within_30_percent(extinction_rows, source, d):
    r = extinction_rows[(source, d)]
    print(f"{source} d={d} ratio={r['ratio']:.2f} (before {r['ratio_before']:.2f})")
    assert abs(r["ratio"] - 1.0) <= 0.3


def test_kp_extinction_before_column_is_the_integrated_line():
    rows = validate_kp_extinction()
    for r in rows:
        assert r["permittivity"] == "eps_inf"
        assert r["ratio_before"] == pytest.approx(
            r["model_integrated_M1cm1eV"] / r["measured_integrated_M1cm1eV"], rel=1e-12)
        assert r["ratio"] == pytest.approx(r["model_peak_M1cm1"] / r["measured_peak_M1cm1"],
                                           rel=1e-12)


def test_local_field_factor2_matches_optics():
    from qdlab.electronic.kp.band_edge import local_field_factor2
    from qdlab.optics.transitions import local_field_factor

    assert local_field_factor2(6.2, 1.5) == pytest.approx(
        abs(local_field_factor(6.2, 2.25)) ** 2, rel=1e-12)
    # absorption inside the dot (Im eps > 0) lowers |f_LF|
    assert local_field_factor2(6.2 + 2.0j, 1.5) < local_field_factor2(6.2, 1.5)
    with pytest.raises(QdlabInputError, match="eps_dot"):
        local_field_factor2(6.2 - 1.0j, 1.5)
