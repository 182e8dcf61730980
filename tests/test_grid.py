"""Tests of the 3D BenDaniel-Duke grid solver against exact results."""

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from qdlab.constants import COULOMB_EV_NM, HBAR2_2M0
from qdlab.electronic.exciton import _profiles
from qdlab.electronic.grid import (
    GridConvergenceError,
    GridMemoryError,
    coulomb_energy_eV,
    lowest_exciton_eV,
    solve_grid,
)
from qdlab.electronic.radial import solve_radial
from qdlab.structures import VACUUM, CoreShell, Medium, Sphere
from qdlab.structures.shapes import Dimer, Rod

R, MASS = 3.0, 0.13
E_INF = HBAR2_2M0 * math.pi ** 2 / (MASS * R ** 2)  # hbar^2 pi^2 / (2 m R^2)


class Mat:
    """Plain-number material (band edges on the vacuum scale, eV)."""

    def __init__(self, me=MASS, mh=0.45, ec=0.0, ev=-1.7, eps=10.0, name="X"):
        self.electron_mass, self.hole_mass, self._ec, self._ev = me, mh, ec, ev
        self.eps_static, self.name = eps, name

    def conduction_band_edge(self, T):
        return self._ec

    def valence_band_edge(self, T):
        return self._ev


def finite_sphere_1s(V, m_in, m_out, radius=R):
    """1S root of (1/m_in)(kR cot kR - 1) = (1/m_out)(-qR - 1) (BenDaniel-Duke)."""

    def f(E):
        k = math.sqrt(E * m_in / HBAR2_2M0)
        q = math.sqrt((V - E) * m_out / HBAR2_2M0)
        return (k * radius / math.tan(k * radius) - 1) / m_in + (q * radius + 1) / m_out

    e_inf = HBAR2_2M0 * math.pi ** 2 / (m_in * radius ** 2)
    return brentq(f, 1e-9, min(V, e_inf) * (1 - 1e-12))


def test_hard_wall_sphere_within_0p1_percent():
    st = solve_grid(Sphere(Mat(), 2 * R, medium=VACUUM), "electron", 1, 0.2)
    assert abs(st.energies_eV[0] / E_INF - 1) < 1e-3
    # the raw (un-extrapolated) level is already within 0.2 % at 15 points per radius
    assert abs(st.energies_unextrapolated_eV[0] / E_INF - 1) < 2e-3


def test_hard_wall_second_order_convergence():
    errs = [abs(solve_grid(Sphere(Mat(), 2 * R, medium=VACUUM), "electron", 1, h,
                           richardson=False).energies_eV[0] / E_INF - 1) for h in (0.4, 0.2)]
    order = math.log(errs[0] / errs[1], 2)
    assert 1.6 < order < 2.6  # a staircase would give ~1


def test_finite_barrier_sphere_within_0p1_percent():
    exact = finite_sphere_1s(4.0, MASS, MASS)
    st = solve_grid(Sphere(Mat(), 2 * R, medium=Medium(electron_barrier_eV=4.0)), "electron",
                    1, 0.2, barrier_mass=MASS, padding_nm=2.0)
    assert abs(st.energies_eV[0] / exact - 1) < 1e-3


def test_grid_agrees_with_radial_finite_barrier_free_electron_mass():
    # Same conventions as the spherical pipeline: 4 eV barrier, free-electron mass (1 m0)
    # in the medium (exciton.MEDIUM_MASS, the grid default); exact radial reference.
    exact = float(solve_radial(R, [0.0, 4.0], [MASS, 1.0]).energies_eV[0, 0])
    assert exact == pytest.approx(finite_sphere_1s(4.0, MASS, 1.0), rel=1e-9)
    st = solve_grid(Sphere(Mat(), 2 * R, medium=Medium(electron_barrier_eV=4.0)), "electron",
                    1, 0.1)
    assert abs(st.energies_eV[0] / exact - 1) < 1e-3


@pytest.mark.parametrize(("carrier", "h"), [("electron", 0.1), ("hole", 0.12)])
def test_grid_agrees_with_radial_cdse_cds_core_shell(carrier, h):
    # CdSe/CdS (1.5 nm core radius + 1 nm shell) in organic ligands: band edges, electron
    # mass, 1S3/2 band-edge hole mass and barrier mass exactly as exciton.solve_sphere uses.
    cs = CoreShell("CdSe", 3.0, [("CdS", 1.0)])
    v_e, m_e, _, v_h, m_h, _ = _profiles([la.material for la in cs.layers], cs.medium,
                                         cs.temperature, False)
    v, m = (v_e, m_e) if carrier == "electron" else (v_h, m_h)
    exact = float(solve_radial(cs.radii_nm, v, m).energies_eV[0, 0])
    st = solve_grid(cs, carrier, 1, h)
    # 0.1 % of the confinement energy (E - band edge of the core), far stricter than of E
    assert (st.energies_eV[0] - v[0]) / (exact - v[0]) == pytest.approx(1.0, abs=1e-3)


def test_band_edge_reference_and_holes():
    m = Mat(ec=-4.0, ev=-5.7)
    e = solve_grid(Sphere(m, 2 * R, medium=VACUUM), "electron", 1, 0.25)
    h = solve_grid(Sphere(m, 2 * R, medium=VACUUM), "hole", 1, 0.25)
    assert e.energies_eV[0] == pytest.approx(-4.0 + E_INF, rel=2e-3)
    assert h.energies_eV[0] == pytest.approx(5.7 + E_INF * MASS / 0.45, rel=2e-3)


def test_p_states_degenerate_and_symmetry_reduction_exact():
    sph = Sphere(Mat(), 2 * R, medium=VACUUM)
    a = solve_grid(sph, "electron", 4, 0.3, richardson=False, tol_eV=1e-6)
    b = solve_grid(sph, "electron", 4, 0.3, richardson=False, use_symmetry=False, tol_eV=1e-6)
    np.testing.assert_allclose(a.energies_eV, b.energies_eV, rtol=1e-7)
    assert np.ptp(a.energies_eV[1:4]) < 1e-7
    # 1P / 1S ratio of the exact sphere: (x11 / pi)^2, x11 = 4.4934 (extrapolated levels)
    c = solve_grid(sph, "electron", 4, 0.25)
    assert c.energies_eV[1] / c.energies_eV[0] == pytest.approx((4.493409 / math.pi) ** 2,
                                                                  rel=1e-3)
    # normalisation on the full grid
    assert (a.wavefunctions[0] ** 2).sum() * a.spacing_nm ** 3 == pytest.approx(1.0)


def test_rod_equal_length_and_diameter_is_a_sphere():
    st = solve_grid(Rod(Mat(), 6.0, 6.0, medium=VACUUM), "electron", 1, 0.2)
    assert st.energies_eV[0] == pytest.approx(E_INF, rel=1e-3)


def test_core_shell_two_layers_against_exact():
    # electron in a core (V=0, m=0.13) with a 1 nm shell (V=0.3 eV, m=0.2), hard wall outside
    core = Mat(me=0.13, ec=0.0)
    shell = Mat(me=0.2, ec=0.3)
    r1, r2 = 2.0, 3.0

    def f(E):
        k = math.sqrt(E * 0.13 / HBAR2_2M0)
        q = math.sqrt((0.3 - E) * 0.2 / HBAR2_2M0)
        # shell: u = sinh(q (r2 - r)); log-derivative of psi = u / r at r1
        lhs = (k * r1 / math.tan(k * r1) - 1) / 0.13
        rhs = (-q * r1 / math.tanh(q * (r2 - r1)) - 1) / 0.2
        return lhs - rhs

    exact = brentq(f, 1e-6, 0.3 - 1e-9)
    st = solve_grid(CoreShell(core, 2 * r1, [(shell, r2 - r1)], medium=VACUUM), "electron", 1,
                    0.15)
    assert st.energies_eV[0] == pytest.approx(exact, rel=1e-3)
    assert st.probability_in_region(0) > 0.5


def test_coulomb_energy_brus_coefficient():
    m = Mat(eps=10.0)
    sph = Sphere(m, 2 * R, medium=VACUUM)
    e = solve_grid(sph, "electron", 1, 0.2, richardson=False)
    h = solve_grid(sph, "hole", 1, 0.2, richardson=False)
    J = coulomb_energy_eV(e, h, 10.0)
    # 1S-1S in a hard-wall sphere: J = 1.786 e^2 / (4 pi eps0 eps R)  (Brus 1984)
    assert J == pytest.approx(1.786 * COULOMB_EV_NM / (10.0 * R), rel=1e-2)
    assert lowest_exciton_eV(e, h) == pytest.approx(e.energies_eV[0] + h.energies_eV[0] - J)


def test_dimer_bonding_antibonding():
    m = Mat()
    sph = Sphere(m, 4.0, medium=Medium(electron_barrier_eV=1.0))
    split = []
    for gap in (0.3, 0.6):
        st = solve_grid(Dimer(sph, sph, gap_nm=gap), "electron", 2, 0.3, barrier_mass=MASS,
                        richardson=False, padding_nm=1.5)
        assert tuple(st.parities[0]) == (1, 1, 1)    # bonding: even in z
        assert tuple(st.parities[1]) == (1, 1, -1)   # antibonding: odd in z
        split.append(st.energies_eV[1] - st.energies_eV[0])
    assert split[0] > split[1] > 0


def test_memory_refusal_and_nonconvergence():
    sph = Sphere(Mat(), 2 * R, medium=VACUUM)
    with pytest.raises(GridMemoryError, match="needs about"):
        solve_grid(sph, "electron", 1, 0.01, max_memory_GB=1.0)
    with pytest.raises(GridConvergenceError, match="residual"):
        solve_grid(sph, "electron", 2, 0.15, maxiter=1, tol_eV=1e-12, richardson=False)
    with pytest.raises(ValueError, match="carrier"):
        solve_grid(sph, "exciton")
