"""Tests of qdlab.electronic.polarisation (local field x hole Bloch character)."""

import math

import numpy as np
import pytest

from qdlab._validation import QdlabInputError
from qdlab.electronic import polarisation as pol
from qdlab.structures import Sphere
from qdlab.structures.shapes import DotInRod, Platelet, Rod


def test_depolarisation_sum_rule_and_limits():
    for ar in (0.05, 0.3, 0.9, 1.0, 1.1, 3.0, 20.0):
        nz, nx = pol.depolarisation_factors(ar)
        assert nz + 2 * nx == pytest.approx(1.0, abs=1e-12)
    assert pol.depolarisation_factors(1e4)[0] < 1e-6          # needle
    assert pol.depolarisation_factors(1e-4)[0] == pytest.approx(1.0, abs=2e-4)  # disc
    # Continuity through the sphere from both branches.
    assert pol.depolarisation_factors(1.0 + 1e-4)[0] == pytest.approx(1 / 3, abs=1e-4)
    assert pol.depolarisation_factors(1.0 - 1e-4)[0] == pytest.approx(1 / 3, abs=1e-4)
    # Osborn's prolate value for AR = 2 (N_a = 0.1736).
    assert pol.depolarisation_factors(2.0)[0] == pytest.approx(0.17356, abs=1e-4)
    with pytest.raises(QdlabInputError, match="aspect_ratio"):
        pol.depolarisation_factors(-1.0)


def test_local_field_sphere_and_no_contrast():
    fz, fx = pol.local_field_factors(1.0, 6.0, 2.0)
    assert fz == fx == pytest.approx(3 * 2.0 / (6.0 + 2 * 2.0))
    assert pol.local_field_factors(4.0, 2.0, 2.0) == (1.0, 1.0)


def test_hole_mixing_limits():
    g = (2.04, 0.58, 0.58)
    iso = pol.hole_mixing([1.0, 1.0, 1.0], g)
    assert [iso["absorption"][k] for k in "xyz"] == pytest.approx([1 / 3] * 3)
    wire = pol.hole_mixing([2.0, 2.0, 0.0], g, crystal_field_eV=0.0, temperature=1.0)
    assert wire["light_hole_weight"] == pytest.approx(1.0)
    assert wire["absorption"]["z"] == pytest.approx(2 / 3)
    assert wire["splitting_eV"] == pytest.approx(2 * 0.58 * 0.0381 * 4.0, rel=1e-3)
    well = pol.hole_mixing([0.0, 0.0, 5.0], g, temperature=1.0)
    assert well["emission"]["z"] == pytest.approx(0.0, abs=1e-12)
    # Crystal field alone (wurtzite sphere): heavy hole ground, Boltzmann LH share.
    wz = pol.hole_mixing([1.0, 1.0, 1.0], g, crystal_field_eV=0.025, temperature=300.0)
    p = math.exp(-0.025 / (8.617333e-5 * 300.0))
    assert wz["emission"]["z"] == pytest.approx(p / (1 + p) * 2 / 3, rel=1e-6)
    # Dipoles always sum to one; x != y only with R (x-y asymmetric envelope).
    rect = pol.hole_mixing([0.3, 0.1, 3.0], g)
    assert sum(rect["absorption"].values()) == pytest.approx(1.0)
    assert rect["absorption"]["x"] != pytest.approx(rect["absorption"]["y"])


def test_cubic_sphere_isotropic():
    res = pol.polarisation_anisotropy(Sphere("CdSe-zb", 4.0), resolution_nm=0.4)
    assert abs(res["bloch"]["Q_eV"]) < 2e-3
    assert res["dielectric"]["r_isotropic_dipole"] == pytest.approx(0.0, abs=1e-12)
    assert abs(res["total"]) < 0.05


def test_rod_polarised_along_axis_and_grows_with_aspect_ratio():
    r2 = pol.polarisation_anisotropy(Rod("CdSe", 8.0, 4.0), resolution_nm=0.4)
    r8 = pol.polarisation_anisotropy(Rod("CdSe", 32.0, 4.0), resolution_nm=0.4)
    assert r2["bloch"]["light_hole_weight"] > 0.9
    assert 0 < r2["emission"] < r8["emission"]
    assert r8["dielectric"]["r_isotropic_dipole"] > r2["dielectric"]["r_isotropic_dipole"]
    # Measured single CdSe rods (Hu et al. Science 2001): strongly polarised for AR > 2;
    # Hadar et al. JPCL 2013 (rods with CdSe rod cores): p = 0.83.
    assert 0.6 < r8["emission"] < 0.95
    d = pol.transition_dipoles(Rod("CdSe", 32.0, 4.0), resolution_nm=0.4)
    assert sum(d.values()) == pytest.approx(1.0) and d["z"] > 0.8


def test_platelet_in_plane():
    res = pol.polarisation_anisotropy(Platelet("CdSe-zb", 4, 6.0), resolution_nm=0.2)
    assert res["bloch"]["Q_eV"] < -0.05                     # heavy hole ground state
    assert res["absorption"] == pytest.approx(-1.0, abs=1e-3)
    assert res["dielectric"]["r_isotropic_dipole"] < -0.5


def test_dot_in_rod_contributions_reported():
    res = pol.polarisation_anisotropy(DotInRod("CdSe", 2.8, "CdS", 20.0, 4.5),
                                      resolution_nm=0.35)
    assert res["bloch"]["hole_material"] == "CdSe-wz"
    assert res["dielectric"]["eps_particle"] == pytest.approx(5.3)   # CdS rod
    # Known shortfall (see module limitations): hole in a spherical core, Q ~ 0.
    assert abs(res["bloch"]["Q_eV"]) < 5e-3
    assert res["dielectric"]["r_isotropic_dipole"] > 0.3


def test_wrong_states_rejected():
    from qdlab.electronic.grid import solve_grid

    st = solve_grid(Sphere("CdSe-zb", 4.0), "electron", 1, 0.5, richardson=False)
    with pytest.raises(QdlabInputError, match="hole"):
        pol.polarisation_anisotropy(Sphere("CdSe-zb", 4.0), st)


def test_kinetic_integrals_of_box_ground_state():
    from qdlab.electronic.grid import solve_grid
    from qdlab.structures import VACUUM
    from qdlab.structures.shapes import Cube

    st = solve_grid(Cube("CdSe-zb", 4.0, medium=VACUUM), "hole", 1, 0.2, richardson=False)
    K = pol.envelope_kinetic_integrals(st)
    assert np.allclose(K, K[0], rtol=1e-4)
    assert K[0] == pytest.approx((math.pi / 4.0) ** 2, rel=0.1)  # hard-wall box, (pi/L)^2
