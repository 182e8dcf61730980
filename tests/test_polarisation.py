"""Tests of qdlab.electronic.anisotropy.polarisation (local field x hole Bloch character)."""

import math

import numpy as np
import pytest

from qdlab.electronic.anisotropy import polarisation as pol
from qdlab.errors import QdlabInputError
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


# ------------------------------------------------------------ exciton fine structure


def test_exchange_operator_and_bright_states():
    sj = pol.exchange_operator()
    assert np.allclose(sj, sj.conj().T)
    assert np.allclose(np.linalg.eigvalsh(sj), [-2.5] * 3 + [1.5] * 5)
    d = np.abs(pol.dipole_amplitudes(np.eye(8))) ** 2
    # Sum rule: the three F = 1 states carry one unit of strength per axis.
    assert np.allclose(d.sum(axis=0), [1.0, 1.0, 1.0])
    # Basis 4*s + m, s = (up, down), m = (+3/2, +1/2, -1/2, -3/2).
    assert d[0].sum() == pytest.approx(0.0)            # |up, +3/2>: Fz = 2, dark
    assert d[7].sum() == pytest.approx(0.0)            # |down, -3/2>: dark
    hh = d[4]                                          # |down, +3/2>: heavy hole
    assert hh == pytest.approx([0.375, 0.375, 0.0])
    lh_pi = d[5]                                       # |down, +1/2>: light hole, Fz = 0
    assert lh_pi == pytest.approx([0.0, 0.0, 0.5])
    # F = 2 eigenstates are dark, F = 1 eigenstates carry |d|^2 = 1.
    w, v = np.linalg.eigh(sj)
    dv = (np.abs(pol.dipole_amplitudes(v)) ** 2).sum(axis=1)
    assert np.allclose(dv[w < 0], 1.0) and np.allclose(dv[w > 0], 0.0)


@pytest.mark.parametrize("eta,delta", [(1e-3, 0.0), (1e-3, 0.025), (2e-3, -0.03),
                                       (0.5e-3, 0.004), (0.0, 0.02)])
def test_fine_structure_matches_efros_closed_forms(eta, delta):
    # Heavy/light splitting Delta = crystal field - 2Q; use the crystal field.
    fs = pol.exciton_fine_structure(eta, 0.0, 0.0, delta)
    ef = pol.efros_levels(eta, delta)
    expect = sorted([ef["2"]] * 2 + [ef["1L"]] * 2 + [ef["1U"]] * 2 + [ef["0L"], ef["0U"]])
    assert fs["energies_eV"] == pytest.approx(np.array(expect) - expect[0], abs=1e-12)
    # Same splitting from the shape term Q (Delta = -2Q).
    fq = pol.exciton_fine_structure(eta, -delta / 2, 0.0, 0.0)
    assert fq["energies_eV"] == pytest.approx(fs["energies_eV"], abs=1e-12)
    if eta > 0:
        d, E = fs["dipoles"], fs["energies_eV"]
        k0U = int(np.argmin(abs(E - (ef["0U"] - expect[0]))))
        k0L = int(np.argmin(abs(E - (ef["0L"] - expect[0]))))
        assert d[k0U] == pytest.approx([0.0, 0.0, 1.0], abs=1e-9)   # 0U: along c
        assert d[k0L].sum() == pytest.approx(0.0, abs=1e-12)        # 0L: dark
        for k, fz in enumerate(fs["Fz"]):
            if fz == 2:
                assert d[k].sum() == pytest.approx(0.0, abs=1e-12)
            if fz == 1:
                assert d[k][2] == pytest.approx(0.0, abs=1e-12)      # +-1: in plane


def test_fine_structure_without_exchange_reduces_to_hole_mixing():
    g = (2.04, 0.58, 0.58)
    for K, dcr in (([1.4, 1.4, 0.1], 0.025), ([0.3, 0.1, 3.0], 0.0), ([1, 1, 1], 0.025)):
        mix = pol.hole_mixing(K, g, dcr, temperature=300.0)
        fs = pol.exciton_fine_structure(0.0, mix["Q_eV"], mix["R_eV"], dcr)
        w = pol._boltzmann(fs["energies_eV"], 300.0)
        De = w @ fs["dipoles"]
        assert De / De.sum() == pytest.approx([mix["emission"][k] for k in "xyz"], abs=1e-9)


def test_pure_heavy_and_light_hole_emission_patterns():
    hh = pol.exciton_fine_structure(0.0, 0.0, 0.0, 1.0)      # heavy hole 1 eV below
    w = pol._boltzmann(hh["energies_eV"], 300.0)
    De = w @ hh["dipoles"]
    assert De / De.sum() == pytest.approx([0.5, 0.5, 0.0], abs=1e-12)
    lh = pol.exciton_fine_structure(0.0, 0.0, 0.0, -1.0)     # light hole below
    De = pol._boltzmann(lh["energies_eV"], 300.0) @ lh["dipoles"]
    assert De / De.sum() == pytest.approx([1 / 6, 1 / 6, 2 / 3], abs=1e-12)
    with pytest.raises(QdlabInputError, match="eta_eV"):
        pol.exciton_fine_structure(-1e-3)


def test_exchange_eta_from_grid_contact_density_hard_wall_sphere():
    from qdlab.electronic.grid import solve_grid
    from qdlab.structures import VACUUM

    s = Sphere("CdSe", 3.0, medium=VACUUM)
    e = solve_grid(s, "electron", 1, 0.25, richardson=False)
    h = solve_grid(s, "hole", 1, 0.25, richardson=False)
    c = pol.contact_density(e, h)
    # Hard-wall 1S x 1S: int sin^4(pi x)/x^2 dx / (pi a^3), int = 2.1113732.
    assert c == pytest.approx(2.1113732 / (math.pi * 1.5 ** 3), rel=0.02)
    eta = pol.exchange_eta(c, 0.13e-3, 5.6)
    assert eta == pytest.approx(0.52784 * (5.6 / 1.5) ** 3 * 0.13e-3, rel=0.02)


def test_sphere_without_crystal_field_isotropic_with_exchange():
    res = pol.polarisation_anisotropy(Sphere("CdSe", 4.0), resolution_nm=0.4,
                                      crystal_field_eV=0.0)
    fs = res["fine_structure"]
    assert fs["eta_meV"] > 0.1                          # exchange on (wurtzite CdSe)
    assert abs(res["emission"]) < 0.02 and abs(fs["r_emission"]) < 0.02
    # With the crystal field the wurtzite sphere's emission is in-plane (r < 0).
    wz = pol.polarisation_anisotropy(Sphere("CdSe", 4.0), resolution_nm=0.4)
    assert wz["emission"] < -0.2


@pytest.fixture(scope="module")
def dot_in_rod_row():
    (row,) = pol.validate_dot_in_rods(core_diameters_nm=(2.8,), resolution_nm=0.35)
    return row


def test_dot_in_rod_contributions_are_reported(dot_in_rod_row):
    row = dot_in_rod_row
    assert row["measured_r"] == 0.75 and "Hadar" in row["source"]
    # Contributions: the CdS rod's local field polarises along the axis, the
    # heavy-hole-like core exciton perpendicular to it; their product is weak.
    assert row["r_dielectric_only"] > 0.3
    assert row["r_electronic_emission"] < -0.2
    assert 0.2 < row["eta_meV"] < 2.0


@pytest.mark.xfail(strict=False, reason="known miss: dot-in-rod model r ~0.1-0.3 vs measured "
                   "0.75 (Hadar 2013, 2.8 nm core)")
def test_dot_in_rod_against_measurement(dot_in_rod_row):
    row = dot_in_rod_row
    print(f"model r {row['r_emission']:.3f} measured {row['measured_r']}")
    # A single-particle polarisation histogram is ~0.1 wide (Hadar 2013).
    assert abs(row["r_emission"] - row["measured_r"]) < 0.1
