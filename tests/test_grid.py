"""Tests of the 3D BenDaniel-Duke grid solver against exact results."""

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from qdlab.constants import COULOMB_EV_NM, HBAR2_2M0
from qdlab.electronic.grid import (
    GridConvergenceError,
    GridMemoryError,
    coulomb_energy_eV,
    lowest_exciton_eV,
    solve_grid,
)
from qdlab.electronic.sphere.exciton import band_profiles as _profiles
from qdlab.electronic.sphere.radial import solve_radial
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
    assert abs(st.energies_eV[0] / E_INF - 1) < 1e-4  # extrapolated: -0.001 %
    # The raw (un-extrapolated) level is within 0.25 % at 15 points per radius: its
    # error is -5.5 %/nm^2 * h^2 with the curvature-corrected wall rule (a larger but
    # smooth coefficient than the -3.2 ... -3.4 %/nm^2 of the linear rule, whose
    # spread spoiled the Richardson step; tests/test_grid_wall.py)
    assert abs(st.energies_unextrapolated_eV[0] / E_INF - 1) < 2.5e-3


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


# ---------------------------------------------------------------------------
# Eigensolver internals: preconditioner and convergence (iteration counts are
# deterministic for a given seed; they are not timings)
# ---------------------------------------------------------------------------


def _sphere_matrix(h):
    from qdlab.electronic.grid import eigensolver, operator
    from qdlab.structures.shapes import as_shape

    shape = as_shape(Sphere(Mat(), 2 * R, medium=VACUUM))
    kap, V, hard = operator._carrier_params(shape, "electron", 1.0)
    coords, sym = operator._axes(shape, h, 2 * h, True)
    A0, odd, _, _ = operator._assemble(shape, coords, sym, h, kap, V, hard, 4)
    As, _ = eigensolver._shifted(A0)
    return As, odd


def test_block_vcycle_acts_on_each_column_as_on_one_vector_and_is_symmetric():
    # Regression: pyamg's compiled Gauss-Seidel ignores strides, and the coarse-level
    # blocks (R @ block) are C-ordered, so columns of a block were read interleaved.
    from qdlab.electronic.grid.eigensolver import _BlockVCycle

    As, _ = _sphere_matrix(0.1)
    pc = _BlockVCycle(As)
    assert len(pc.A) >= 3   # the coarse levels are exercised
    rng = np.random.default_rng(1)
    B = rng.standard_normal((As.shape[0], 4))
    Y = pc(B)
    Y1 = np.column_stack([pc(B[:, [j]]) for j in range(4)])
    np.testing.assert_allclose(Y, Y1, rtol=0, atol=1e-12 * np.abs(Y1).max())
    # symmetric (LOBPCG's theory needs it): u.M v == v.M u
    assert B[:, 0] @ Y[:, 1] == pytest.approx(B[:, 1] @ Y[:, 0], rel=1e-10)
    # positive definite on these vectors
    assert (np.einsum("ij,ij->j", B, Y) > 0).all()


def test_odd_sector_preconditioner_is_the_galerkin_hierarchy_of_its_matrix():
    import scipy.sparse as sp

    from qdlab.electronic.grid.eigensolver import _BlockVCycle

    As, odd = _sphere_matrix(0.1)
    pc = _BlockVCycle(As)
    same = pc.for_matrix(As)   # reproduces the hierarchy pyamg built (R A P)
    for a, b in zip(pc.A, same.A, strict=True):
        assert abs(a - b).max() <= 1e-9 * abs(a).max()
    Aodd = (As + sp.diags(odd[0])).tocsr()
    po = pc.for_matrix(Aodd)
    assert po.A[0] is Aodd
    ref = (pc.R[0] @ Aodd @ pc.P[0]).toarray()
    np.testing.assert_allclose(po.A[1].toarray(), ref, rtol=0, atol=1e-9 * abs(ref).max())
    assert abs(po.A[1] - pc.A[1]).max() > 0   # the plane term reaches the coarse levels


def test_large_full_grid_converges_in_few_iterations():
    # 1.6e5 unknowns, no symmetry: 4 multigrid levels.  With the column-stride bug the
    # fine level alone needed 46 LOBPCG iterations; now 16 over all three grids.
    st = solve_grid(Sphere(Mat(), 2 * R, medium=VACUUM), "electron", 4, 0.09,
                    use_symmetry=False, richardson=False)
    assert st.n_unknowns > 150_000
    assert st.iterations <= 25
    assert (st.residuals_eV <= 1e-3).all()
    assert abs(st.energies_eV[0] / E_INF - 1) < 1e-3
    assert st.energies_eV[3] / st.energies_eV[0] == pytest.approx((4.493409 / math.pi) ** 2,
                                                                  rel=2e-3)


def test_symmetry_sectors_ten_states_match_full_grid():
    # Ten states cut across the parity sectors (1S, 3 x 1P, 5 x 1D, 2S); the fine grid
    # picks how many states each sector needs from the coarse grid: nothing may be missed.
    sph = Sphere(Mat(), 2 * R, medium=VACUUM)
    a = solve_grid(sph, "electron", 10, 0.15, tol_eV=1e-6)
    b = solve_grid(sph, "electron", 10, 0.15, tol_eV=1e-6, use_symmetry=False)
    np.testing.assert_allclose(a.energies_eV, b.energies_eV, rtol=1e-7)
    x = np.array([math.pi, 4.493409, 5.763459, 2 * math.pi]) ** 2   # j_l zeros squared
    exact = np.repeat(x, [1, 3, 5, 1]) / x[0] * E_INF
    np.testing.assert_allclose(a.energies_eV, exact, rtol=2e-3)
    assert [int(p.sum()) for p in a.parities[:4]] == [3, 1, 1, 1]
    # octant at h = 0.1 nm (1.4e4 unknowns per sector), 10 states: 358 LOBPCG iterations
    # before the sector sizes came from the coarse grid and the odd sectors got their own
    # Galerkin coarse matrices, 120 after
    c = solve_grid(sph, "electron", 10, 0.1, richardson=False)
    assert c.iterations <= 200
    # unextrapolated levels: the 1D lie 0.2 % low at h = 0.1 nm (O(h^2) error)
    np.testing.assert_allclose(c.energies_eV, exact, rtol=3e-3)
    assert [int(p.sum()) for p in c.parities] == [int(p.sum()) for p in a.parities]


def test_absurd_grid_axis_refused_before_allocation():
    """Issue 10: a 1e-12 nm dimer tried to allocate 227 TiB (MemoryError).  Unknowns are
    now counted without arrays, and the solve is refused by the budget before any
    allocation."""
    import warnings

    from qdlab.electronic.grid import GridMemoryError, grid_unknowns, solve_shape
    from qdlab.structures import Sphere
    from qdlab.structures.shapes import Dimer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dimer = Dimer(Sphere("CdSe", 1e-12), Sphere("CdSe", 1e-12))
        # the default spacing has a floor (0.0625 nm): a tiny dimer gets a small grid
        assert grid_unknowns(dimer) < 10**5
        # an absurd explicit spacing is counted without arrays and refused by the budget
        with pytest.raises(GridMemoryError, match="GB"):
            solve_shape(Dimer(Sphere("CdSe", 4.0), Sphere("CdSe", 4.0)), resolution_nm=1e-4)
