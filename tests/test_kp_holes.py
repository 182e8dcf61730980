"""Multiband k.p: spherical Luttinger holes, three-band Kane electrons, k.p first exciton."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as sla
from scipy.optimize import brentq
from scipy.special import spherical_jn

from qdlab.constants import HBAR2_2M0
from qdlab.electronic.kp.kane import kane_mass, solve_kane_electrons
from qdlab.electronic.kp.luttinger import ekimov_phi, solve_luttinger_holes, spherical_gamma
from qdlab.electronic.kp.spherical import first_exciton_kp, first_exciton_kp_batch
from qdlab.electronic.sphere.radial import solve_radial
from qdlab.errors import QdlabInputError
from qdlab.structures import CoreShell, Sphere

INF = float("inf")


def _ekimov_root(beta, n=1):
    """n-th root of j0(x) j2(sqrt(b) x) + j2(x) j0(sqrt(b) x) by a fine scan + brentq."""
    def f(x):
        sb = np.sqrt(beta) * x
        return spherical_jn(0, x) * spherical_jn(2, sb) + spherical_jn(2, x) * spherical_jn(0, sb)
    xs = np.linspace(0.5, 20.0, 20000)
    v = f(xs)
    idx = np.flatnonzero(np.signbit(v[1:]) != np.signbit(v[:-1]))
    i = idx[n - 1]
    return brentq(f, xs[i], xs[i + 1], xtol=1e-14)


def _fem_levels(radii, V, g1, g, rmax, n=3000, k=3):
    """Brute force: linear elements for the energy functional of the radial (R0, R2) system.

    W = int r^2 [g1 R0'^2 + g1 (R2'^2 + 6 R2^2/r^2) - 4 g R0' (R2' + 3 R2/r) + V (R0^2 + R2^2)],
    midpoint quadrature per cell; R0(rmax) = R2(rmax) = R2(0) = 0.  The interface
    conditions are not imposed: they follow from the functional.
    """
    edges = [0.0] + list(radii) + ([rmax] if rmax > radii[-1] else [])
    pts = [0.0]
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        m = max(8, int(n * (b - a) / edges[-1]))
        pts += list(np.linspace(a, b, m + 1)[1:])
    r = np.array(pts)
    h = np.diff(r)
    rm = 0.5 * (r[1:] + r[:-1])
    reg = np.searchsorted(np.array(radii), rm)
    G1, G, VV = np.asarray(g1)[reg], np.asarray(g)[reg], np.asarray(V)[reg] / HBAR2_2M0
    M = r.size
    n0, n2 = M - 1, M - 2
    rows, cols, vals, brow, bcol, bval = [], [], [], [], [], []

    def idx0(i):
        return i if i < M - 1 else None

    def idx2(i):
        return n0 + i - 1 if 1 <= i <= M - 2 else None

    for c in range(M - 1):
        w = h[c] * rm[c] ** 2
        d0, d2, m0, m2 = {}, {}, {}, {}
        for node, sgn in ((c, -1.0), (c + 1, 1.0)):
            if idx0(node) is not None:
                d0[idx0(node)] = sgn / h[c]
                m0[idx0(node)] = 0.5
            if idx2(node) is not None:
                d2[idx2(node)] = sgn / h[c]
                m2[idx2(node)] = 0.5
        p2 = dict(d2)
        for kk, v in m2.items():
            p2[kk] = p2.get(kk, 0.0) + 3.0 * v / rm[c]

        def add(f1, f2, coef, target):
            rr, cc, vv = target
            for a, va in f1.items():
                for b, vb in f2.items():
                    rr.append(a)
                    cc.append(b)
                    vv.append(coef * va * vb)

        A = (rows, cols, vals)
        B = (brow, bcol, bval)
        add(d0, d0, w * G1[c], A)
        add(d2, d2, w * G1[c], A)
        add(m2, m2, w * 6.0 * G1[c] / rm[c] ** 2, A)
        add(d0, p2, -2.0 * w * G[c], A)
        add(p2, d0, -2.0 * w * G[c], A)
        add(m0, m0, w * VV[c], A)
        add(m2, m2, w * VV[c], A)
        add(m0, m0, w, B)
        add(m2, m2, w, B)
    nu = n0 + n2
    Am = sp.csc_matrix((vals, (rows, cols)), shape=(nu, nu))
    Bm = sp.csc_matrix((bval, (brow, bcol)), shape=(nu, nu))
    ev = sla.eigsh(Am, k=k, M=Bm, sigma=min(V[:len(radii)]) / HBAR2_2M0 - 1e-3, which="LM")[0]
    return np.sort(ev) * HBAR2_2M0


# ------------------------------------------------------------------ Luttinger holes
def test_beta_one_is_single_band_pi():
    # gamma = 0: uncoupled, the j0 root pi and the j2 root 5.7635 (the decoupled L = 2 state)
    assert float(ekimov_phi(1.0)) == pytest.approx(np.pi, rel=1e-11)
    assert float(ekimov_phi(1.0, 2)) == pytest.approx(5.763459196894550, rel=1e-10)


@pytest.mark.parametrize("beta", [0.9, 0.5, 0.275, 0.1, 0.02])
def test_ekimov_infinite_barrier_roots(beta):
    for n in (1, 2):
        assert float(ekimov_phi(beta, n)) == pytest.approx(_ekimov_root(beta, n), rel=1e-9)


def test_cdse_ekimov_root_value():
    # gamma1 = 2.04, gamma = 0.58 -> beta = 0.88/3.2 = 0.275; phi(beta) is ~4.62, not ~3.6
    mhh, mlh = 1 / (2.04 - 1.16), 1 / (2.04 + 1.16)
    phi = float(ekimov_phi(mlh / mhh))
    assert phi == pytest.approx(_ekimov_root(mlh / mhh), rel=1e-10)
    assert 4.5 < phi < 4.7
    sol = solve_luttinger_holes(2.0, [0.0, INF], [2.04, 1.0], [0.58, 0.0])
    assert sol.energies_eV[0, 0] == pytest.approx(HBAR2_2M0 * phi**2 / (mhh * 4.0), rel=1e-10)


def test_hard_wall_against_finite_elements():
    fem = _fem_levels([2.0], [0.0, 0.0], [2.04, 2.04], [0.58, 0.58], 2.0, n=3000, k=3)
    sol = solve_luttinger_holes(2.0, [0.0, INF], [2.04, 1.0], [0.58, 0.0], n_states=3)
    # linear elements converge as h^2: 3000 cells -> ~1e-6 relative
    np.testing.assert_allclose(sol.energies_eV[0], fem, rtol=5e-6)


@pytest.mark.parametrize("case", [
    ([1.5, 2.5], [0.0, 0.5, 4.0], [2.04, 2.0, 1.0], [0.58, 0.4, 0.0]),     # type I shell, ligands
    ([1.17], [0.0, 4.0], [5.3, 1.0], [1.88, 0.0]),                           # CdTe-like, ligands
    ([1.0, 2.0], [0.3, 0.0, 3.0], [2.04, 5.3, 1.0], [0.58, 1.88, 0.0]),      # hole in the shell
])
def test_layered_finite_barriers_against_finite_elements(case):
    radii, V, g1, g = case
    fem = _fem_levels(radii, V, g1, g, radii[-1] + 2.0, n=3000, k=2)
    sol = solve_luttinger_holes([radii], V, g1, g, n_states=2)
    np.testing.assert_allclose(sol.energies_eV[0], fem, rtol=2e-5)


def test_vectorised_equals_one_by_one():
    rng = np.random.default_rng(3)
    core = rng.uniform(1.0, 3.0, 12)
    radii = np.stack([core, core + rng.uniform(0.3, 2.0, 12)], axis=1)
    V = np.stack([np.zeros(12), rng.uniform(0.2, 0.6, 12), np.full(12, 4.0)], axis=1)
    g1, g = [2.04, 1.6, 1.0], [0.58, 0.3, 0.0]
    allsol = solve_luttinger_holes(radii, V, g1, g).energies_eV[:, 0]
    one = [solve_luttinger_holes(radii[i], V[i], g1, g).energies_eV[0, 0] for i in range(12)]
    np.testing.assert_allclose(allsol, one, rtol=1e-10)


def test_wavefunctions_normalised_continuous_and_match_infinite_barrier():
    sol = solve_luttinger_holes([[1.5, 2.5]], [0.0, 0.5, 4.0], [2.04, 2.0, 1.0],
                                [0.58, 0.4, 0.0])
    r = np.linspace(0.0, 8.0, 40001)
    R0, R2 = sol.wavefunctions(r)
    f = (R0[0, 0] ** 2 + R2[0, 0] ** 2) * r**2
    assert np.trapezoid(f, r) == pytest.approx(1.0, abs=2e-4)
    for a in (1.5, 2.5):
        lo, hi = sol.wavefunctions(np.array([a - 1e-7, a + 1e-7]))
        assert lo[0, 0, 0] == pytest.approx(lo[0, 0, 1], abs=1e-5)
        assert hi[0, 0, 0] == pytest.approx(hi[0, 0, 1], abs=1e-5)
    # hard wall: R0 = A (j0(kh r) + c j0(kl r)) with the Ekimov ratio
    mhh, mlh = 1 / 0.88, 1 / 3.2
    sol = solve_luttinger_holes(2.0, [0.0, INF], [2.04, 1.0], [0.58, 0.0])
    E = sol.energies_eV[0, 0]
    kh, kl = np.sqrt(mhh * E / HBAR2_2M0), np.sqrt(mlh * E / HBAR2_2M0)
    rr = np.linspace(0.01, 1.99, 50)
    R0, R2 = sol.wavefunctions(rr)
    c = -spherical_jn(0, kh * 2.0) / spherical_jn(0, kl * 2.0)
    ref0 = spherical_jn(0, kh * rr) + c * spherical_jn(0, kl * rr)
    ref2 = -spherical_jn(2, kh * rr) + c * spherical_jn(2, kl * rr)
    scale = R0[0, 0, 0] / ref0[0]
    np.testing.assert_allclose(R0[0, 0], scale * ref0, atol=1e-8)
    np.testing.assert_allclose(R2[0, 0], scale * ref2, atol=1e-8)


def test_luttinger_bad_input():
    with pytest.raises(QdlabInputError, match="gamma1 > 2"):
        solve_luttinger_holes(2.0, [0.0, INF], [1.0, 1.0], [0.6, 0.0])
    with pytest.raises(QdlabInputError, match="radii_nm"):
        solve_luttinger_holes(-1.0, [0.0, INF], [2.0, 1.0], [0.5, 0.0])
    with pytest.raises(QdlabInputError, match="n_states"):
        solve_luttinger_holes(2.0, [0.0, INF], [2.0, 1.0], [0.5, 0.0], n_states=0)
    with pytest.raises(QdlabInputError, match="beta"):
        ekimov_phi(1.5)


def test_spherical_gamma():
    assert float(spherical_gamma(0.58, 0.58)) == pytest.approx(0.58)


# ------------------------------------------------------------------ Kane electrons
def test_kane_mass_limits():
    assert float(kane_mass(0.0, 0.12, 1.74, 17.5, 0.42)) == pytest.approx(0.12, rel=1e-14)
    # no remote bands, Delta -> inf-like large: first order equals the two-band slope
    eg, ep = 1.0, 30.0
    m0 = 1.0 / (1.0 + ep / 3.0 * (2.0 / eg + 1.0 / (eg + 1e6)))
    e = 1e-5
    slope = (kane_mass(e, m0, eg, ep, 1e6) / m0 - 1.0) / e
    assert slope == pytest.approx((1 - m0) / eg, rel=1e-3)


def test_kane_solver_parabolic_and_two_band_limits():
    # NaN Kane energy: identical to the radial solver's two-band Kane mass
    a = solve_kane_electrons(2.0, [0.0, 4.0], [0.12, 1.0], [1.74, INF], [np.nan, np.nan],
                             [0.42, np.nan])
    b = solve_radial(2.0, [0.0, 4.0], [0.12, 1.0], gap_eV=[1.74, INF])
    assert a.energies_eV[0, 0] == pytest.approx(b.energies_eV[0, 0], rel=1e-12)
    # level satisfies the hard-wall condition with m(E): k R = pi, k^2 = m(E) E / hbar^2/2m0
    s = solve_kane_electrons(2.0, [0.0, INF], [0.12, 1.0], [1.74, INF], [17.5, np.nan],
                             [0.42, np.nan])
    E = s.energies_eV[0, 0]
    m = float(kane_mass(E, 0.12, 1.74, 17.5, 0.42))
    assert E == pytest.approx(HBAR2_2M0 * np.pi**2 / (m * 4.0), rel=1e-10)


def test_kane_bad_input():
    with pytest.raises(QdlabInputError, match="kane_energy_eV"):
        solve_kane_electrons(2.0, [0.0, 4.0], [0.12, 1.0], [1.74, INF], [-1.0, np.nan],
                             [0.42, np.nan])


# ------------------------------------------------------------------ k.p exciton
def test_first_exciton_kp_structure_and_batch_agree():
    e1 = first_exciton_kp(Sphere("CdSe", 4.0))
    out = first_exciton_kp((["CdSe"], [[2.0]]))
    assert e1 == pytest.approx(out["first_exciton_eV"][0], abs=1e-12)
    cs = CoreShell("CdSe", core_diameter=3.0, shells=[("CdS", 1.0)])
    e2 = first_exciton_kp(cs)
    b = first_exciton_kp_batch(["CdSe", "CdS"], [[1.5, 2.5], [1.5, 3.0]])
    assert e2 == pytest.approx(b["first_exciton_eV"][0], abs=1e-12)
    assert b["first_exciton_eV"][1] < b["first_exciton_eV"][0]
    assert np.all((b["hole_l0_weight"] > 0.5) & (b["hole_l0_weight"] < 1.0))
    assert np.all((b["overlap"] > 0.5) & (b["overlap"] <= 1.0))


def test_first_exciton_kp_components_add_up():
    out = first_exciton_kp_batch(["CdSe"], [[1.5], [2.5]])
    total = (out["single_particle_gap_eV"] - out["coulomb_eV"] + out["polarisation_electron_eV"]
             + out["polarisation_hole_eV"])
    np.testing.assert_allclose(out["first_exciton_eV"], total, rtol=1e-14)
    np.testing.assert_allclose(out["single_particle_gap_eV"],
                               out["electron_eV"] - out["hole_eV"], rtol=1e-14)


def test_first_exciton_kp_bad_input():
    with pytest.raises(QdlabInputError, match="mirror-like"):
        first_exciton_kp_batch(["PbS"], [[2.0]])
    with pytest.raises(QdlabInputError, match="one column per layer"):
        first_exciton_kp_batch(["CdSe", "CdS"], [[2.0]])
    with pytest.raises(QdlabInputError):
        first_exciton_kp("CdSe")


# ------------------------------------------------------------------ against measurements
def _rows():
    from qdlab.electronic.kp.validation import validate_kp
    return {(r["material"], r["source"]): r for r in validate_kp()}


@pytest.fixture(scope="module")
def kp_rows():
    return _rows()


def test_kp_cdse_jasieniak(kp_rows):
    # goal of issue 13: within 0.05 eV RMS with bulk parameters, no fit
    assert kp_rows[("CdSe", "Jasieniak2009")]["rms_eV"] <= 0.05


def test_kp_cdse_yu(kp_rows):
    assert kp_rows[("CdSe", "Yu2003")]["rms_eV"] <= 0.05


@pytest.mark.xfail(strict=False, reason="CdTe vs Yu 2003: k.p 0.08 eV RMS (too red at 2.9-3.5 nm, "
                   "finite ligand barrier lets the light-hole part leak; see report)")
def test_kp_cdte_yu(kp_rows):
    assert kp_rows[("CdTe", "Yu2003")]["rms_eV"] <= 0.05


@pytest.mark.xfail(strict=False, reason="CdS vs Yu 2003: 0.34 eV too red, size-independent; "
                   "no verified Luttinger set for CdS (uncoupled hole), see qdlab.validation")
def test_kp_cds_yu(kp_rows):
    assert kp_rows[("CdS", "Yu2003")]["rms_eV"] <= 0.05
