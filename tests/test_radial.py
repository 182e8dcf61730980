"""Tests of the exact radial solver :mod:`qdlab.electronic.sphere.radial`."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import eigh_tridiagonal

from qdlab.constants import HBAR2_2M0
from qdlab.electronic.analytic import (
    finite_well_energies,
    infinite_well_energy,
    spherical_bessel_zeros,
)
from qdlab.electronic.sphere.radial import solve_radial
from qdlab.errors import QdlabInputError

INF = np.inf


def fd_levels(radii, pot, mass, l, n, h):
    """Independent finite-volume solution of the radial BenDaniel-Duke equation.

    -hbar^2/2 (r^2 R'/m)' + r^2 (V + hbar^2 l(l+1)/(2 m r^2)) R = E r^2 R on nodes r_i = i h,
    interfaces on nodes, Dirichlet at r_max (medium tail of a few decay lengths).
    """
    radii = np.asarray(radii, float)
    r_max = radii[-1] + 2.5
    nn = int(round(r_max / h))
    r = h * np.arange(1, nn)
    rm = h * (np.arange(1, nn + 1) - 0.5)       # midpoints r_{i-1/2}, i = 1..nn

    def region(x):
        return np.searchsorted(radii, x, side="left")

    m = np.asarray(mass, float)
    v = np.asarray(pot, float)
    inv_m_mid = 1.0 / m[region(rm)]
    # node quantities: average of the two sides at an interface node
    left, right = region(r - 1e-12), region(r + 1e-12)
    v_node = 0.5 * (v[left] + v[right])
    invm_node = 0.5 * (1.0 / m[left] + 1.0 / m[right])
    flux = HBAR2_2M0 * rm**2 * inv_m_mid / h**2
    diag = flux[:-1] + flux[1:] + r**2 * v_node + HBAR2_2M0 * l * (l + 1) * invm_node
    off = -flux[1:-1]
    s = 1.0 / r                                   # B^-1/2 with B = diag(r^2)
    w = eigh_tridiagonal(diag * s * s, off * s[:-1] * s[1:], eigvals_only=True,
                         select="i", select_range=(0, n - 1))
    return w


def fd_richardson(radii, pot, mass, l, n, h=0.002):
    """FD levels extrapolated to h -> 0 (the interface nodes make the scheme first order)."""
    a = fd_levels(radii, pot, mass, l, n, h)
    b = fd_levels(radii, pot, mass, l, n, h / 2)
    return 2 * b - a


@pytest.mark.parametrize("l", [0, 1, 2, 3, 5])
def test_hard_wall_equals_bessel_zeros(l):
    R, m = 2.3, 0.13
    sol = solve_radial(R, [0.0, INF], [m, 1.0], l=l, n_states=4)
    z = spherical_bessel_zeros(l, 4)
    exact = HBAR2_2M0 * z**2 / (m * R**2)
    np.testing.assert_allclose(sol.energies_eV[0], exact, rtol=1e-10)
    np.testing.assert_allclose(sol.energies_eV[0],
                               infinite_well_energy(m, R, n=np.arange(1, 5), l=l), rtol=1e-10)


def test_hard_wall_layered_same_material_is_single_sphere():
    # a "shell" of the same material must not change anything; potential offset shifts levels
    sol = solve_radial([1.0, 1.7, 2.3], [0.5, 0.5, 0.5, INF], [0.2, 0.2, 0.2, 1.0], l=1,
                       n_states=3)
    exact = 0.5 + infinite_well_energy(0.2, 2.3, n=[1, 2, 3], l=1)
    np.testing.assert_allclose(sol.energies_eV[0], exact, rtol=1e-10)


@pytest.mark.parametrize("l", [0, 1, 2])
@pytest.mark.parametrize("m_in,m_out,V", [(0.13, 1.0, 4.0), (0.13, 0.13, 1.6), (0.45, 0.2, 1.5)])
def test_finite_well_matches_transcendental_roots(l, m_in, m_out, V):
    R = 2.0
    ref = finite_well_energies(m_in, m_out, R, V, l=l)
    assert ref.size >= 1
    sol = solve_radial(R, [0.0, V], [m_in, m_out], l=l, n_states=ref.size + 1)
    np.testing.assert_allclose(sol.energies_eV[0, :ref.size], ref, rtol=1e-9)
    assert sol.bound[0, :ref.size].all()
    assert not sol.bound[0, ref.size] and np.isnan(sol.energies_eV[0, ref.size])


def test_l0_closed_form_equation_satisfied():
    # 1 - kR cot(kR) = (m_in/m_out)(1 + kappa R) at the l = 0 root
    m_in, m_out, R, V = 0.13, 0.4, 1.7, 1.2
    E = solve_radial(R, [0.0, V], [m_in, m_out]).energies_eV[0, 0]
    k = np.sqrt(m_in * E / HBAR2_2M0)
    kap = np.sqrt(m_out * (V - E) / HBAR2_2M0)
    lhs = 1 - k * R / np.tan(k * R)
    rhs = m_in / m_out * (1 + kap * R)
    assert abs(lhs - rhs) < 1e-9 * abs(rhs)


def test_mass_discontinuity_follows_bdd_matching():
    # with BenDaniel-Duke matching a heavier barrier mass lowers the l = 0 level
    # (the RHS (m_in/m_out)(1 + kappa R) of the l = 0 equation shrinks); the solver agrees
    # with the transcendental equation in both cases
    e_light = solve_radial(1.5, [0.0, 1.0], [0.13, 0.13]).energies_eV[0, 0]
    e_heavy = solve_radial(1.5, [0.0, 1.0], [0.13, 1.0]).energies_eV[0, 0]
    assert e_heavy < e_light
    assert e_light == pytest.approx(finite_well_energies(0.13, 0.13, 1.5, 1.0)[0], rel=1e-10)
    assert e_heavy == pytest.approx(finite_well_energies(0.13, 1.0, 1.5, 1.0)[0], rel=1e-10)


@pytest.mark.parametrize("l", [0, 1, 2])
def test_three_layers_against_finite_differences(l):
    # core / barrier shell / well shell (quantum-dot quantum well) with mass steps
    radii = [1.2, 1.8, 2.6]
    pot = [0.0, 0.6, -0.2, 4.0]
    mass = [0.13, 0.25, 0.09, 0.8]
    n = 3 if l < 2 else 2      # the third l = 2 level lies above the barrier (FD: 4.09 eV)
    sol = solve_radial(radii, pot, mass, l=l, n_states=n + 1)
    assert sol.bound[0, :n].all() and not sol.bound[0, n]
    sol = solve_radial(radii, pot, mass, l=l, n_states=n)
    ref = fd_richardson(radii, pot, mass, l, n)
    np.testing.assert_allclose(sol.energies_eV[0], ref, rtol=1e-4)


def test_type_ii_levels_against_finite_differences():
    # lowest band edge in the shell (type II for this carrier): tail of levels in the shell
    radii, pot, mass = [1.0, 2.5], [0.5, 0.0, 3.5], [0.2, 0.3, 1.0]
    sol = solve_radial(radii, pot, mass, l=0, n_states=3)
    np.testing.assert_allclose(sol.energies_eV[0], fd_richardson(radii, pot, mass, 0, 3),
                               rtol=1e-4)


def test_vectorised_equals_single_calls():
    rng = np.random.default_rng(1)
    n = 40
    core = rng.uniform(0.8, 3.0, n)
    radii = np.stack([core, core + rng.uniform(0.2, 2.0, n)], axis=1)
    pot = np.stack([np.zeros(n), rng.uniform(-0.3, 0.6, n), rng.uniform(1.0, 4.0, n)], axis=1)
    mass = np.stack([rng.uniform(0.05, 0.5, n), rng.uniform(0.05, 0.5, n), np.ones(n)], axis=1)
    for l in (0, 2):
        vec = solve_radial(radii, pot, mass, l=l, n_states=3)
        for i in range(n):
            one = solve_radial(radii[i], pot[i], mass[i], l=l, n_states=3)
            np.testing.assert_array_equal(one.bound[0], vec.bound[i])
            np.testing.assert_allclose(one.energies_eV[0], vec.energies_eV[i], rtol=1e-11,
                                       equal_nan=True)


@pytest.mark.parametrize("l", [0, 1, 3])
def test_wavefunction_normalised_continuous_and_nodes(l):
    radii, pot, mass = [1.2, 2.0, 2.7], [0.0, 0.4, 0.1, 4.0], [0.13, 0.3, 0.2, 0.6]
    sol = solve_radial(radii, pot, mass, l=l, n_states=3)
    assert sol.bound.all()
    r = np.linspace(0.0, 12.0, 240001)
    R = sol.wavefunctions(r)[0]
    norm = np.trapezoid(R**2 * r**2, r)
    np.testing.assert_allclose(norm, 1.0, rtol=2e-6)
    probs = sol.layer_probabilities()[0]
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-12)
    inside = sol.probability_inside(radii[-1])[0]
    np.testing.assert_allclose(inside, probs[:, :-1].sum(axis=1), rtol=1e-9)
    np.testing.assert_allclose(sol.probability_inside(1.2)[0], probs[:, 0], rtol=1e-9)
    # positive near the origin, n - 1 nodes
    small = sol.wavefunctions([1e-3])[0, :, 0]
    assert np.all(small > 0)
    inner = R[:, 1:]
    for s in range(3):
        sign = np.sign(inner[s][np.abs(inner[s]) > 1e-9 * np.abs(inner[s]).max()])
        assert np.count_nonzero(np.diff(sign)) == s
    # continuity of R and R'/m at every interface
    d = 1e-6
    m = np.asarray(mass)
    for j, a in enumerate(radii):
        pts = np.array([a - 2 * d, a - d, a, a + d, a + 2 * d])
        v = sol.wavefunctions(pts)[0]
        left = (3 * v[:, 2] - 4 * v[:, 1] + v[:, 0]) / (2 * d) / m[j]
        right = (-3 * v[:, 2] + 4 * v[:, 3] - v[:, 4]) / (2 * d) / m[j + 1]
        np.testing.assert_allclose(v[:, 1], v[:, 2], atol=1e-5 * np.abs(v).max())
        np.testing.assert_allclose(left, right, rtol=1e-4, atol=1e-4 * np.abs(left).max())


def test_wavefunction_matches_analytic_hard_wall():
    R0, m = 2.0, 0.2
    sol = solve_radial(R0, [0.0, INF], [m, 1.0], n_states=2)
    r = np.linspace(0.01, 3.0, 50)
    got = sol.wavefunctions(r)[0]
    for n in (1, 2):
        k = n * np.pi / R0
        exact = np.where(r < R0, np.sin(k * r) / r, 0.0) * np.sqrt(2.0 / R0)
        np.testing.assert_allclose(got[n - 1], exact, atol=1e-10)


def test_infinite_barrier_limit():
    # exact solver -> infinite well as the barrier grows
    m, R = 0.13, 2.0
    exact = infinite_well_energy(m, R)
    errs = []
    for V in (1.0, 10.0, 100.0, 1e4, 1e6):
        errs.append(abs(solve_radial(R, [0.0, V], [m, m]).energies_eV[0, 0] - exact) / exact)
    assert all(b < a for a, b in zip(errs, errs[1:], strict=False))
    assert errs[-1] < 1e-3


def test_kane_mass_self_consistent_hard_wall():
    # E (1 + E/Eg) = E0 for a hard-wall sphere with the Kane mass m(E) = m (1 + E/Eg)
    m, R, Eg = 0.05, 3.0, 0.4
    E0 = infinite_well_energy(m, R)
    sol = solve_radial(R, [0.0, INF], [m, 1.0], gap_eV=[Eg, INF])
    exact = 0.5 * Eg * (np.sqrt(1 + 4 * E0 / Eg) - 1)
    assert sol.energies_eV[0, 0] == pytest.approx(exact, rel=1e-10)
    assert sol.masses_at_level()[0, 0, 0] == pytest.approx(m * (1 + exact / Eg), rel=1e-10)
    # infinite gap = parabolic
    par = solve_radial(R, [0.0, INF], [m, 1.0], gap_eV=[INF, INF])
    assert par.energies_eV[0, 0] == pytest.approx(E0, rel=1e-10)


def test_holes_use_minus_valence_band():
    # hole in a CdSe-like core: potential = -E_v (E_v = -5.9 eV core, -6.5 eV shell)
    ev = np.array([-5.9, -6.5])
    sol = solve_radial([1.5, 2.5], [-ev[0], -ev[1], -ev[0] + 4.0], [0.45, 0.8, 1.0])
    e_h = sol.energies_eV[0, 0]
    assert 5.9 < e_h < 6.5    # confined below the core valence band (in hole energy)


def test_unbound_and_require_bound():
    sol = solve_radial([0.3], [0.0, 0.05], [0.1, 1.0], n_states=2)
    assert not sol.bound[0, 0]
    assert np.isnan(sol.energies_eV).all()
    with pytest.raises(QdlabInputError, match="not bound"):
        sol.require_bound()
    ok = solve_radial(2.0, [0.0, 4.0], [0.13, 1.0])
    assert ok.require_bound() is ok


@pytest.mark.parametrize("kwargs,match", [
    (dict(radii_nm=[2.0, 1.0], potential_eV=[0, 1, 2], mass=[1, 1, 1]), "increase"),
    (dict(radii_nm=[-1.0], potential_eV=[0, 1], mass=[1, 1]), "radii_nm must be > 0"),
    (dict(radii_nm=[1.0], potential_eV=[0, 1, 2], mass=[1, 1]), "columns"),
    (dict(radii_nm=[1.0], potential_eV=[0, 1], mass=[0, 1]), "mass must be > 0"),
    (dict(radii_nm=[1.0], potential_eV=[np.nan, 1], mass=[1, 1]), "potential_eV"),
    (dict(radii_nm=[1.0], potential_eV=[0, 1], mass=[1, 1], l=-1), "l must be"),
    (dict(radii_nm=[1.0], potential_eV=[0, 1], mass=[1, 1], n_states=0), "n_states"),
    (dict(radii_nm=[1.0], potential_eV=[0, 1], mass=[1, 1], gap_eV=[0, 1]), "gap_eV"),
])
def test_bad_input(kwargs, match):
    with pytest.raises(QdlabInputError, match=match):
        solve_radial(**kwargs)


@pytest.mark.parametrize("medium", [3.0, INF])
def test_closed_form_l0_normalisation_matches_dense_quadrature(medium):
    """The l = 0 layer integrals are summed in closed form (module notes): the layer
    probabilities equal a dense Simpson integral of the wavefunctions, also through
    barriers many decay lengths thick and in evanescent cores."""
    from scipy.integrate import simpson

    rng = np.random.default_rng(3)
    n, L = 150, 3
    r = np.cumsum(rng.uniform(0.2, 3.0, (n, L)), axis=1)
    V = np.column_stack([rng.uniform(-0.8, 0.8, (n, L)), np.full(n, medium)])
    m = rng.uniform(0.05, 1.0, (n, L + 1))
    g = rng.uniform(0.5, 3.0, (n, L + 1))
    # and wells under 2.5-3.5 nm barriers (10-14 decay lengths) that the states decay through
    k = 10
    r[:k] = np.cumsum(np.c_[rng.uniform(1.5, 2.5, k), rng.uniform(2.5, 3.5, k),
                            rng.uniform(0.3, 0.6, k)], axis=1)
    V[:k, :L] = [-0.5, 0.8, 0.7]
    m[:k, :L] = [0.2, 0.6, 0.5]
    g[:k] = INF
    sol = solve_radial(r, V, m, l=0, n_states=3, gap_eV=g)
    assert sol.bound.mean() > 0.9
    P = sol.layer_probabilities()
    q = np.stack([sol._cache["states"][s]["q"] for s in range(3)], axis=1)
    assert np.any(np.sqrt(np.abs(np.minimum(q[:, :, 1:L], 0))) *
                  np.diff(r, axis=1)[:, None, :] > 8)          # thick barriers are sampled
    for j in range(L):
        a = np.zeros(n) if j == 0 else r[:, j - 1]
        x = a[:, None] + (r[:, j] - a)[:, None] * np.linspace(0.0, 1.0, 4001)[None, :]
        wf = sol.wavefunctions(x)
        num = simpson(wf**2 * x[:, None, :] ** 2, x=x[:, None, :], axis=-1)
        np.testing.assert_allclose(P[:, :, j], num, atol=1e-11)
    np.testing.assert_allclose(np.nansum(P, axis=-1)[sol.bound.all(axis=1)], 1.0, atol=1e-14)
