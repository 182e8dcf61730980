"""Hole subbands of the 6x6 Luttinger-Kohn well and the platelet exciton on them."""

import math
from functools import partial

import numpy as np
import pytest
from scipy.sparse.linalg import eigsh

from qdlab.constants import HBAR2_2M0
from qdlab.electronic.anisotropy import platelets as P
from qdlab.electronic.anisotropy import well_subbands as W
from qdlab.electronic.anisotropy.slab import keldysh_binding_energy_eV
from qdlab.electronic.anisotropy.well_bands import (
    heavy_hole_k2,
    light_hole_k2,
    well_ground_state_eV,
)
from qdlab.errors import QdlabInputError

CDSE = (2.04, 0.58, 0.58)       # zinc-blende CdSe record (gamma1, gamma2, gamma3)
CDTE = (5.3, 1.7, 2.0)          # gamma2 != gamma3: the axial approximation


@pytest.mark.parametrize("lutt, so", [(CDSE, 0.42), (CDTE, 0.91), (CDSE, None)])
def test_kramers_pairs_stay_degenerate_off_zone_centre(lutt, so):
    # A symmetric well has inversion and time reversal: every level is a Kramers pair at
    # every k_par.  A wrong phase in the split-off column splits the pairs (this test
    # caught it), so it checks the Hamiltonian's signs.
    for k in (0.3, 1.0, 2.5):
        M = W.luttinger_well_hamiltonian(1.2, lutt, so, 4.0, k, step_nm=0.02)
        e = np.sort(eigsh(M, k=4, sigma=0.0, return_eigenvectors=False).real)
        assert e[1] - e[0] < 1e-9 and e[3] - e[2] < 1e-9


@pytest.mark.parametrize("d", [0.76, 1.367, 2.0])
def test_heavy_hole_at_zone_centre_is_the_exact_parabolic_well(d):
    hh, _ = W.hole_subbands(d, CDSE, 0.42, 4.0, [0.0])
    exact = well_ground_state_eV(d, partial(heavy_hole_k2, gamma1=2.04, gamma2=0.58), 4.0,
                                 None)
    assert hh[0] == pytest.approx(exact, abs=1e-5)     # 0.01 meV


def test_hard_walls_are_exact_for_both_holes():
    # Hard walls: every component is sin(pi z / L); HH (gamma1 - 2 gamma2) eps and the
    # lower eigenvalue of the light-hole/split-off 2x2 at eps = hbar^2 pi^2 / (2 m0 L^2).
    L = 1.1
    hh, lh = W.hole_subbands(L, CDSE, 0.42, math.inf, [0.0])
    eps = HBAR2_2M0 * (math.pi / L) ** 2
    assert hh[0] == pytest.approx((2.04 - 2 * 0.58) * eps, rel=1e-6)
    lh_exact = well_ground_state_eV(L, partial(light_hole_k2, gamma1=2.04, gamma2=0.58,
                                               spin_orbit_eV=0.42), math.inf, None)
    assert lh[0] == pytest.approx(lh_exact, rel=1e-6)
    _, lh4 = W.hole_subbands(L, CDSE, None, math.inf, [0.0])
    assert lh4[0] == pytest.approx((2.04 + 2 * 0.58) * eps, rel=1e-6)


def test_heavy_hole_subband_is_heavier_in_plane_than_the_band_edge():
    # HH1-LH mixing away from k_par = 0 (Broido & Sham 1985) makes CdSe's HH1 heavier in
    # plane than 1/(gamma1 + gamma2) = 0.38 m0, and heavier still at larger k_par.
    ks, t_hh, _ = W.hole_kinetic_tables(1.367, CDSE, 0.42, 4.0)
    m_small = HBAR2_2M0 * ks[1] ** 2 / t_hh[1]
    i1 = int(np.searchsorted(ks, 1.0))
    m_one = HBAR2_2M0 * ks[i1] ** 2 / t_hh[i1]
    assert 1 / (2.04 + 0.58) < m_small < m_one < 0.6


def test_electron_subband_curvature_is_the_platelet_in_plane_mass():
    r = P.platelet_band_edge("CdSe", 4, spinor_overlaps=False)     # the scalar solver
    k2e = partial(P.conduction_k2, electron_mass=0.12, band_gap_eV=r.band_gap_eV,
                  spin_orbit_eV=0.42, kane_energy_eV=17.5)
    t = W.electron_subband_kinetic(k2e, r.electron_confinement_eV, [1e-3])
    me_par = 1 / (1 / r.reduced_mass_inplane - 1 / r.hole_mass_inplane)
    assert HBAR2_2M0 * 1e-6 / t[0] == pytest.approx(me_par, rel=1e-3)


def test_ritz_kinetic_from_a_dispersion_equals_the_closed_form():
    mu = 0.17
    a = keldysh_binding_energy_eV(mu, 1.0, 6.2, 2.25)
    b = keldysh_binding_energy_eV(mu, 1.0, 6.2, 2.25,
                                  dispersion=lambda k: HBAR2_2M0 * k * k / mu)
    assert b[0] == pytest.approx(a[0], rel=1e-9) and b[1] == pytest.approx(a[1], rel=1e-9)
    with pytest.raises(QdlabInputError, match="dispersion needs"):
        keldysh_binding_energy_eV(mu, 1.0, 6.2, 2.25, method="exponential",
                                  dispersion=lambda k: k)


def test_binding_does_not_depend_on_the_table_range():
    # The exciton's weight beyond a few nm^-1 is small: tables to 4 and to 8 nm^-1 give
    # the same binding within 1 meV, and the production table (K_TABLE) agrees with
    # them (4.5 ML CdSe, heavy hole).
    r = P.platelet_band_edge("CdSe", 4, spinor_overlaps=False)     # the scalar solver
    k2e = partial(P.conduction_k2, electron_mass=0.12, band_gap_eV=r.band_gap_eV,
                  spin_orbit_eV=0.42, kane_energy_eV=17.5)
    eb = []
    for kmax in (4.0, 8.0):
        ks = np.linspace(0.0, kmax, int(kmax / 0.2) + 1)
        hh, _ = W.hole_subbands(r.thickness_nm, CDSE, 0.42, 4.0, ks, step_nm=0.02)
        t = W.electron_subband_kinetic(k2e, r.electron_confinement_eV, ks) + hh - hh[0]
        eb.append(keldysh_binding_energy_eV(r.reduced_mass_inplane, r.thickness_nm,
                                            r.eps_slab, r.eps_out,
                                            dispersion=W.tabulated_dispersion(ks, t))[0])
    assert abs(eb[0] - eb[1]) < 1e-3
    assert r.binding_energy_eV == pytest.approx(eb[1], abs=1e-3)


def test_bad_inputs_are_refused():
    with pytest.raises(QdlabInputError, match="gamma1 > 2 gamma2"):
        W.hole_subbands(1.0, (1.0, 0.6, 0.6), 0.4, 4.0, [0.0])
    with pytest.raises(QdlabInputError, match="k_par_per_nm"):
        W.hole_subbands(1.0, CDSE, 0.4, 4.0, [-1.0])
    with pytest.raises(QdlabInputError, match="barrier_eV"):
        W.hole_subbands(1.0, CDSE, 0.4, 0.0, [0.0])


def test_platelet_inplane_option_is_never_ignored():
    assert P.platelet_band_edge("CdSe", 4).inplane == "subband"
    # a mass step at the ligands: the band-edge masses by default, "subband" refused
    assert P.platelet_band_edge("CdSe", 4, barrier_mass=1.0).inplane == "band-edge"
    with pytest.raises(QdlabInputError, match="inplane 'subband' does not apply"):
        P.platelet_band_edge("CdSe", 4, barrier_mass=1.0, inplane="subband")
    with pytest.raises(QdlabInputError, match="inplane must be one of"):
        P.platelet_band_edge("CdSe", 4, inplane="parabolic")
    with pytest.warns(Warning):
        cds = P.platelet_band_edge("CdS-wz", 3, lattice_constant_nm=0.582)
    assert cds.inplane == "band-edge"


def test_subband_dispersions_alone_overbind():
    # Ithurria 2011, heavy-hole RMS: band-edge masses 0.053 eV; the subband dispersions
    # without the spinor overlaps (diagonal approximation) 0.031 eV, every line within
    # 0.05 eV, by binding 16-46 meV more than the consistent model (0.048 eV; module
    # notes of well_exciton): the heavier mixed masses without the overlap they cost.
    def rms(rows, key):
        return math.sqrt(np.mean([r[key] ** 2 for r in rows if r[key] is not None]))

    diag = P.validate_cdse_platelets(spinor_overlaps=False)
    edge = P.validate_cdse_platelets(inplane="band-edge")
    full = P.validate_cdse_platelets()
    assert rms(diag, "error_eV") < rms(edge, "error_eV")
    assert all(abs(r["error_eV"]) <= 0.05 for r in diag)
    assert all(f["model_eV"] > d["model_eV"] for f, d in zip(full, diag, strict=True))
