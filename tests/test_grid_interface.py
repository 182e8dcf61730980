"""Cut cells at a material interface of the 3D grid against an exact core/shell sphere.

A core (radius 1.25 nm, m* 0.13, band edge 0) inside a hard-wall shell (radius
3 nm, m* 0.20, band edge 0.25 eV), centred off the grid (no mirror symmetry used):
the exact 1S level solves the BenDaniel-Duke matching condition below.  The
first-moment rule for the band edge in cut cells
(:func:`qdlab.electronic.grid.operator._assemble`, ``potential="moment"``) must
give an O(h^2) error smooth enough for the default Richardson step.
"""

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from qdlab.constants import HBAR2_2M0
from qdlab.electronic.grid import solve_grid
from qdlab.structures import VACUUM
from qdlab.structures.shapes import SDFShape, as_shape
from qdlab.structures.shapes.sdf import sdf_sphere

A, R, M1, M2, V2 = 1.25, 3.0, 0.13, 0.20, 0.25
CENTRE = (0.13, 0.37, -0.21)


class Mat:
    hole_mass = 0.5

    def __init__(self, name, m, ec):
        self.name, self.electron_mass, self._ec = name, m, ec

    def conduction_band_edge(self, T):
        return self._ec

    def valence_band_edge(self, T):
        return -1.0


def exact_1s():
    """Root of kappa1 (psi'/psi)_core = kappa2 (psi'/psi)_shell at r = A, psi(R) = 0."""
    k1c, k2c = HBAR2_2M0 / M1, HBAR2_2M0 / M2

    def f(E):
        k1 = math.sqrt(E / k1c)
        inner = k1c * (k1 / math.tan(k1 * A) - 1 / A)
        k2 = math.sqrt((E - V2) / k2c)  # E > V2 for these parameters
        outer = k2c * (-k2 / math.tan(k2 * (R - A)) - 1 / A)
        return inner - outer

    return brentq(f, V2 + 1e-6, 0.45, xtol=1e-14)


def core_shell(centre=CENTRE, symmetric=False):
    # bounding box not centred on the spheres, so the grid cuts them off-centre
    lo = tuple(c - R - 0.117 for c in centre) if not symmetric else (-R, -R, -R)
    hi = tuple(c + R + 0.031 for c in centre) if not symmetric else (R, R, R)
    return SDFShape(sdf_sphere(R, centre), (lo, hi), Mat("shell", M2, V2),
                    layers=[(Mat("core", M1, 0.0), sdf_sphere(A, centre))], medium=VACUUM,
                    symmetry=(symmetric,) * 3, min_feature_nm=2 * A)


def test_exact_reference_is_the_1s_root():
    e = exact_1s()
    assert 0.3 < e < 0.45
    # the 1S of the hard-wall sphere of the core material lies below, of the shell above
    assert HBAR2_2M0 * math.pi ** 2 / (M1 * R * R) < e


@pytest.mark.parametrize("h", [0.35, 0.3, 0.25, 0.2])
def test_richardson_core_shell_off_grid(h):
    # within 0.05 % at every spacing; the cell average alone (potential="box") is
    # 0.16 % off at h = 0.3 nm on this grid
    st = solve_grid(core_shell(), "electron", 1, h, use_symmetry=False)
    assert abs(st.energies_eV[0] / exact_1s() - 1) < 5e-4


def test_error_coefficient_smooth():
    # raw error / h^2: -6.7 ... -7.0 %/nm^2 (the cell average alone: -0.9 ... -1.6)
    exact = exact_1s()
    hs = (0.4, 0.3, 0.25, 0.2, 0.15)
    c = [(solve_grid(core_shell(), "electron", 1, h, richardson=False, use_symmetry=False)
          .energies_eV[0] / exact - 1) / h ** 2 for h in hs]
    assert np.ptp(c) < 0.1 * abs(np.mean(c))


def test_symmetry_sectors_exact_with_interface_terms():
    # octant sectors (even and odd parities) against the full grid, same nodes
    sym = core_shell((0.0, 0.0, 0.0), symmetric=True)
    full = SDFShape(sdf_sphere(R), ((-R,) * 3, (R,) * 3), Mat("shell", M2, V2),
                    layers=[(Mat("core", M1, 0.0), sdf_sphere(A))], medium=VACUUM,
                    min_feature_nm=2 * A)
    a = solve_grid(sym, "electron", 4, 0.3, richardson=False, tol_eV=1e-7)
    b = solve_grid(full, "electron", 4, 0.3, richardson=False, tol_eV=1e-7)
    assert a.x_nm.size == b.x_nm.size
    np.testing.assert_allclose(a.energies_eV, b.energies_eV, rtol=1e-8)


def test_moment_terms_symmetric_and_absent_without_interface():
    from qdlab.electronic.grid.operator import _assemble, _axes, _carrier_params
    from qdlab.structures import Sphere

    shape = core_shell()
    kap, V, hard = _carrier_params(shape, "electron", 1.0)
    coords, sym = _axes(shape, 0.3, 0.6, False)
    A_m = _assemble(shape, coords, sym, 0.3, kap, V, hard, 4)[0]
    A_b = _assemble(shape, coords, sym, 0.3, kap, V, hard, 4, potential="box")[0]
    assert abs(A_m - A_m.T).max() < 1e-12
    assert abs(A_m - A_b).max() > 1e-3           # the correction is there
    one = as_shape(Sphere(Mat("x", M1, 0.0), 6.0, medium=VACUUM))
    kap, V, hard = _carrier_params(one, "electron", 1.0)
    coords, sym = _axes(one, 0.3, 0.6, True)
    B_m = _assemble(one, coords, sym, 0.3, kap, V, hard, 4)[0]
    B_b = _assemble(one, coords, sym, 0.3, kap, V, hard, 4, potential="box")[0]
    assert abs(B_m - B_b).max() == 0.0           # one material: nothing changes


def test_free_surface_of_an_inner_region_adds_no_moment():
    # a core that pokes out of the shell has a free surface to the medium there: a
    # cell cut only by it gets no first-moment term (the surface keeps the cell average)
    from qdlab.electronic.grid.operator import _cell_moments

    shape = SDFShape(sdf_sphere(R), ((-R, -R, -R), (R + 1.0, R, R)), Mat("shell", M2, V2),
                     layers=[(Mat("core", M1, 0.0), sdf_sphere(1.5, (2.5, 0.0, 0.0)))],
                     medium=VACUUM)
    h = 0.3
    node = np.array([[3.9, 0.0, 0.0]])        # in the core, 0.1 nm inside its free surface
    assert shape.regions[0].sdf(*node[0]) < 0 < shape.regions[1].sdf(*node[0]) - h
    V = np.array([0.0, V2])
    m = _cell_moments(shape, node, h, 4, V, np.array([0.0]))
    np.testing.assert_allclose(m, 0.0, atol=1e-12)
    # a cell cut by the core/shell interface does get one
    inner = np.array([[1.0 + 0.1, 0.0, 0.0]])  # in the shell, 0.1 nm from the core
    m = _cell_moments(shape, inner, h, 4, V, np.array([V2]))
    assert abs(m[0, 0]) > 1e-4
