"""The exciton of mixed subbands: form factors and the channel solver (well_exciton)."""

import math
import warnings
from functools import partial

import numpy as np
import pytest
import scipy.sparse as sp

import qdlab.electronic.anisotropy.platelets as P
import qdlab.electronic.anisotropy.well_exciton as X
import qdlab.electronic.anisotropy.well_subbands as W
from qdlab.constants import HBAR2_2M0
from qdlab.electronic.anisotropy.slab import keldysh_binding_energy_eV
from qdlab.errors import QdlabInputError

CDSE = (2.04, 0.58, 0.58)
D_45ML = 1.3673  # 4.5 ML CdSe, nm


def test_mirror_symmetry_commutes_with_the_well_hamiltonian():
    # M_z = (z -> -z) x exp(-i pi J_z) separates the Kramers pairs into the two blocks
    H = W.luttinger_well_hamiltonian(D_45ML, (2.04, 0.58, 0.70), 0.42, 4.0, 1.3, 0.02)
    nb = 6
    n = H.shape[0] // nb
    M = sp.kron(sp.diags(np.exp(-1j * math.pi * np.array(W.M_VALUES))),
                sp.csr_matrix(np.eye(n)[::-1]))
    assert abs(M @ H - H @ M).max() < 1e-12


def test_hole_form_factors_are_normalised_and_start_pure():
    k, O_hh, O_lh = W.hole_form_factor_tables(D_45ML, CDSE, 0.42, 4.0)
    for O, m0 in ((O_hh, W.DOMINANT_COMPONENT["hh"]), (O_lh, W.DOMINANT_COMPONENT["lh"])):
        diag = np.einsum("mkk->mk", O)
        assert diag.sum(axis=0) == pytest.approx(np.ones(k.size), abs=1e-10)
        # k = 0: only J_z = m0 (the light hole with its split-off admixture)
        same = [i for i, m in enumerate(W.M_VALUES) if m == W.M_VALUES[m0]]
        assert diag[same, 0].sum() == pytest.approx(1.0, abs=1e-8)
        assert np.all(np.diff(diag[same].sum(axis=0)[:10]) < 0)    # mixing grows with k
    # overlaps of a component are a Gram matrix: symmetric, positive semidefinite
    for Om in O_hh:
        assert Om == pytest.approx(Om.T, abs=1e-12)
        assert np.linalg.eigvalsh(Om).min() > -1e-10


def test_rotating_the_hamiltonian_rotates_the_block_state():
    # H(R k) = D H(k) D^dagger with D = exp(-i J_z theta) is what makes
    # <h,k|h,k'> = sum_m O_m exp(-i (m - m0) theta): check it on the matrix elements
    # (S ~ k_- k_z, R ~ k_-^2 pick up exp(-i theta), exp(-2 i theta)).
    k, th = 1.1, 0.8
    H = W.luttinger_well_hamiltonian(D_45ML, CDSE, 0.42, 4.0, k, 0.02).toarray()
    n = H.shape[0] // 6
    m = np.repeat(np.array(W.M_VALUES), n)
    rot = np.exp(-1j * m * th)[:, None] * H * np.exp(1j * m * th)[None, :]
    # rotated H keeps the spectrum (the bulk and the well are isotropic in this model)
    assert np.linalg.eigvalsh(rot)[:4] == pytest.approx(np.linalg.eigvalsh(H)[:4], abs=1e-9)
    blk = rot[:n, n:2 * n]                     # <3/2|H|1/2> = -S e^{-i theta}
    assert blk == pytest.approx(H[:n, n:2 * n] * np.exp(-1j * th), abs=1e-12)


def test_electron_channels_are_kane_weights():
    ks = np.array([0.0, 0.5, 1.0])
    E = np.array([0.6, 0.62, 0.66])
    two = X.electron_form_factor_channels(ks, 2.0, E, 1.67)
    s2 = two[0][1] ** 2
    assert s2 == pytest.approx((E + 1.67) / (2 * E + 1.67))      # two-band s weight
    three = X.electron_form_factor_channels(ks, 2.0, E, 1.67, 17.5, 0.42)
    assert sum(w ** 2 for _, w in three) == pytest.approx(np.ones(3))
    assert three[2][1][0] == 0.0 and three[2][0] == 1           # in-plane p: n = 1


def test_pair_channels_keep_the_normalisation():
    k, O_hh, O_lh = W.hole_form_factor_tables(D_45ML, CDSE, 0.42, 4.0)
    e = X.electron_form_factor_channels(k, 2.0, 0.6 + 0.1 * k ** 2, 1.67, 17.5, 0.42)
    for O, m0 in ((O_hh, 1.5), (O_lh, -0.5)):
        ch = X.pair_channels(O, W.M_VALUES, m0, e)
        assert sum(w ** 2 for _, w in ch) == pytest.approx(np.ones(k.size), abs=1e-6)
        assert {n for n, _ in ch} <= {0, 1, 2, 3, 4}


def test_single_unit_channel_is_the_scalar_solver():
    T = W.tabulated_dispersion(W.K_TABLE, HBAR2_2M0 * W.K_TABLE ** 2 / 0.12
                               + 0.01 * W.K_TABLE ** 4)
    ones = np.ones(W.K_TABLE.size)
    eb, rho = X.mixed_binding_energy_eV([(0, ones)], W.K_TABLE, T, 0.12, D_45ML, 6.2, 2.25)
    ref, ref_rho = keldysh_binding_energy_eV(0.12, D_45ML, 6.2, 2.25, dispersion=T)
    assert eb == pytest.approx(ref, abs=1e-6)
    assert rho == pytest.approx(ref_rho, rel=1e-6)


def test_gaussian_hankel_transforms_match_quadrature():
    from scipy.integrate import quad
    from scipy.special import jv

    alpha = np.array([0.7])
    for n in range(4):
        G = X._gauss_hankel(n, alpha)[0]
        for rho in (0.3, 2.0, 10.0):
            j = int(np.argmin(abs(X._RHO - rho)))
            r = X._RHO[j]
            ref = quad(lambda k, r=r, n=n: k * (math.pi / 0.7) * math.exp(-k * k / 2.8)
                       * jv(n, k * r), 0, 40, limit=400)[0] / (2 * math.pi)
            assert G[j] == pytest.approx(ref, abs=1e-12)


def _cdse_channels(kmax=4.0, dk=0.2):
    """HH1 channels and pair dispersion of 4.5 ML CdSe on a k table of our own."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = P.platelet_band_edge("CdSe", 4)
    d = r.thickness_nm
    ks = np.round(np.arange(0.0, kmax + 1e-9, dk), 10)
    hh, states = [], []
    for k in ks:
        w, (h, _) = W._lowest_states(d, CDSE, 0.42, 4.0, float(k), 0.02)
        hh.append(0.5 * (w[0] + w[1]))
        states.append(h)
    hh = np.array(hh)
    Xs = np.array(states)
    O = np.einsum("kmz,lmz->mkl", np.conj(Xs), Xs).real
    k2e = partial(P.conduction_k2, electron_mass=0.12, band_gap_eV=r.band_gap_eV,
                  spin_orbit_eV=0.42, kane_energy_eV=17.5)
    Ee = r.electron_confinement_eV
    Te = W.electron_subband_kinetic(k2e, Ee, ks)
    e = X.electron_form_factor_channels(ks, math.sqrt(k2e(Ee)), Ee + Te, r.band_gap_eV,
                                        17.5, 0.42)
    return r, ks, X.pair_channels(O, W.M_VALUES, 1.5, e), W.tabulated_dispersion(ks, Te + hh - hh[0])


def test_binding_converges_with_the_table_and_the_grids(monkeypatch):
    # measured: 4 -> 8 nm^-1 changes E_b by 0.04 meV, a 0.1 nm^-1 table by 0.2 meV
    r, ks, ch, T = _cdse_channels()
    args = (0.3, r.thickness_nm, r.eps_slab, r.eps_out)
    eb = X.mixed_binding_energy_eV(ch, ks, T, *args)[0]
    _, ks8, ch8, T8 = _cdse_channels(kmax=8.0)
    assert X.mixed_binding_energy_eV(ch8, ks8, T8, *args)[0] == pytest.approx(eb, abs=1e-3)
    _, ksf, chf, Tf = _cdse_channels(dk=0.1)
    assert X.mixed_binding_energy_eV(chf, ksf, Tf, *args)[0] == pytest.approx(eb, abs=1e-3)
    # finer numerical transforms (k step and rho sampling halved): < 0.1 meV
    monkeypatch.setattr(X, "_NK", 2 * X._NK - 1)
    monkeypatch.setattr(X, "_RHO_COARSE", X._RHO_FINE[::2])
    monkeypatch.setattr(X, "_LOG_COARSE", np.log(X._RHO_FINE[::2]))
    X._bessel_table.cache_clear()
    try:
        assert X.mixed_binding_energy_eV(ch, ks, T, *args)[0] == pytest.approx(eb, abs=1e-4)
    finally:
        X._bessel_table.cache_clear()


def test_overlaps_lower_the_binding_of_both_lines():
    # measured for CdSe 2.5-5.5 ML: HH 46-16 meV, LH 10-14 meV less binding than the
    # diagonal approximation (hole and electron overlaps, HH1-LH1 coupling)
    for n in (3, 4, 5):
        full = P.platelet_band_edge("CdSe", n)
        diag = P.platelet_band_edge("CdSe", n, spinor_overlaps=False)
        assert full.spinor_overlaps and not diag.spinor_overlaps
        for a, b in ((full.binding_energy_eV, diag.binding_energy_eV),
                     (full.light_hole_binding_energy_eV, diag.light_hole_binding_energy_eV)):
            assert 0.005 < b - a < 0.08
        # only the binding changes
        assert full.energy_eV - diag.energy_eV == pytest.approx(
            diag.binding_energy_eV - full.binding_energy_eV, abs=1e-12)


def test_spinor_overlaps_option_is_never_ignored():
    assert not P.platelet_band_edge("CdSe", 4, inplane="band-edge").spinor_overlaps
    with pytest.raises(QdlabInputError, match="spinor_overlaps applies only"):
        P.platelet_band_edge("CdSe", 4, inplane="band-edge", spinor_overlaps=True)
    with pytest.raises(QdlabInputError, match="k_table"):
        X.mixed_binding_energy_eV([(0, np.ones(2))], [0.5, 1.0], lambda k: k, 0.1, 1.0,
                                  6.0, 2.0)


def _coupled_inputs(n=3):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = P.platelet_band_edge("CdSe", n)
    d, Eg, Ee = r.thickness_nm, r.band_gap_eV, r.electron_confinement_eV
    k2e = partial(P.conduction_k2, electron_mass=0.12, band_gap_eV=Eg, spin_orbit_eV=0.42,
                  kane_energy_eV=17.5)
    pairs = W.subband_pairs(d, CDSE, 0.42, 4.0, k2e, Ee)
    ks, G = W.hole_gram_tables(d, CDSE, 0.42, 4.0)
    e = X.electron_form_factor_channels(
        ks, math.sqrt(k2e(Ee)), Ee + W.electron_subband_kinetic(k2e, Ee, ks), Eg, 17.5, 0.42)
    return r, pairs, ks, G, e


def test_coupled_solver_without_cross_overlaps_is_two_single_pair_solvers():
    r, pairs, ks, G, e = _coupled_inputs()
    nk = ks.size
    G0 = G.copy()
    G0[:, :nk, nk:] = 0.0
    G0[:, nk:, :nk] = 0.0
    off = pairs.lh_eV - pairs.hh_eV
    disp = (pairs.dispersion_hh, pairs.dispersion_lh)
    args = (pairs.scale_mass_hh, r.thickness_nm, r.eps_slab, r.eps_out)
    E_h, w_h, _ = X.coupled_exciton_eV(X.coupled_channels(G0, W.M_VALUES, 1.5, e), ks, disp,
                                       off, *args)
    E_l, w_l, _ = X.coupled_exciton_eV(X.coupled_channels(G0, W.M_VALUES, -0.5, e), ks,
                                       disp, off, *args)
    eb_h = X.mixed_binding_energy_eV(X.pair_channels(G[:, :nk, :nk], W.M_VALUES, 1.5, e), ks,
                                     disp[0], *args)[0]
    eb_l = X.mixed_binding_energy_eV(X.pair_channels(G[:, nk:, nk:], W.M_VALUES, -0.5, e),
                                     ks, disp[1], *args)[0]
    assert w_h[0] == pytest.approx(0.0, abs=1e-9) and -E_h[0] == pytest.approx(eb_h, abs=1e-6)
    il = int(np.flatnonzero(w_l > 0.5)[0])
    assert w_l[il] == pytest.approx(1.0, abs=1e-9)
    assert off - E_l[il] == pytest.approx(eb_l, abs=1e-6)


def test_cross_overlaps_vanish_at_the_zone_centre_and_mix_the_excitons():
    r, pairs, ks, G, e = _coupled_inputs()
    nk = ks.size
    assert np.abs(G[:, 0, nk]).max() < 1e-10          # HH1 and LH1 orthogonal at k = 0
    mixed = X.subband_excitons(r.thickness_nm, CDSE, 0.42, 4.0, pairs, e, r.eps_slab,
                               r.eps_out)
    # measured at 3.5 ML: 1.3 % LH pairs in the HH exciton, 18 % HH pairs in the LH one
    assert 0.002 < mixed.lh_weight_of_hh < 0.05
    assert 0.05 < mixed.hh_weight_of_lh < 0.3
    assert mixed.binding_hh_eV == pytest.approx(r.binding_energy_eV, abs=1e-12)
    assert mixed.binding_lh_eV == pytest.approx(r.light_hole_binding_energy_eV, abs=1e-12)


def test_coupled_lines_converge_with_the_table():
    # measured at 3.5 ML: a table to 8 nm^-1 or with half the step moves the lines < 0.5 meV
    r, pairs, ks, G, e = _coupled_inputs()
    d, Eg, Ee = r.thickness_nm, r.band_gap_eV, r.electron_confinement_eV
    k2e = partial(P.conduction_k2, electron_mass=0.12, band_gap_eV=Eg, spin_orbit_eV=0.42,
                  kane_energy_eV=17.5)
    edge = r.energy_eV + r.binding_energy_eV
    for kmax, dk in ((8.0, 0.2), (4.0, 0.1)):
        kt = np.round(np.arange(0.0, kmax + 1e-9, dk), 10)
        E, Xh, Xl = [], [], []
        for k in kt:
            w, (h, lh) = W._lowest_states(d, CDSE, 0.42, 4.0, float(k), 0.02)
            E.append(w)
            Xh.append(h)
            Xl.append(lh)
        E = np.array(E)
        t_h, t_l = 0.5 * (E[:, 0] + E[:, 1]), 0.5 * (E[:, 2] + E[:, 3])
        Xs = np.concatenate([np.array(Xh), np.array(Xl)])
        Gt = np.einsum("kmz,lmz->mkl", np.conj(Xs), Xs).real
        Te = W.electron_subband_kinetic(k2e, Ee, kt)
        et = X.electron_form_factor_channels(kt, math.sqrt(k2e(Ee)), Ee + Te, Eg, 17.5, 0.42)
        disp = (W.tabulated_dispersion(kt, Te + t_h - t_h[0]),
                W.tabulated_dispersion(kt, Te + t_l - t_l[0]))
        args = (kt, disp, pairs.lh_eV - pairs.hh_eV, pairs.scale_mass_hh, d, r.eps_slab,
                r.eps_out)
        E_h = X.coupled_exciton_eV(X.coupled_channels(Gt, W.M_VALUES, 1.5, et), *args)[0]
        E_l, w_l, _ = X.coupled_exciton_eV(X.coupled_channels(Gt, W.M_VALUES, -0.5, et), *args)
        assert edge + E_h[0] == pytest.approx(r.energy_eV, abs=1e-3)
        il = int(np.flatnonzero(w_l > 0.5)[0])
        assert edge + E_l[il] == pytest.approx(r.light_hole_energy_eV, abs=1e-3)


def test_a_light_hole_resonance_falls_back_to_the_uncoupled_exciton_with_a_warning():
    # GaAs 3.5 ML: the LH exciton sits at the HH1 pair edge, mixed over many coupled
    # states (no state overlaps the uncoupled LH exciton by half)
    from qdlab.errors import QdlabValidityWarning

    with pytest.warns(QdlabValidityWarning, match="LH exciton is a resonance"):
        r = P.platelet_band_edge("GaAs", 3)
    assert math.isfinite(r.light_hole_energy_eV) and r.light_hole_energy_eV > r.energy_eV
    assert 0.0 < r.light_hole_binding_energy_eV < 0.5


def test_hard_wall_light_hole_subband_that_bends_over_does_not_collapse():
    # GaAs 2.5 ML with hard walls: the LH1 pair dispersion falls beyond the table; its
    # continuation used to make T(k) unbounded below (LH line -1494 eV, exit status 0)
    import math as m

    from qdlab.structures.medium import Medium

    hard = Medium(electron_barrier_eV=m.inf, hole_barrier_eV=m.inf)
    for overlaps in (False, True):
        r = P.platelet_band_edge("GaAs", 2, medium=hard, spinor_overlaps=overlaps)
        assert 0.05 < r.light_hole_binding_energy_eV < 0.6
        assert r.light_hole_energy_eV > r.energy_eV


def test_coupling_can_only_lower_the_sector_ground_state():
    # Variational: the HH-only (LH-only) pair space is a subspace of the coupled one with
    # the same Hamiltonian, so each sector's ground state lies at or below the uncoupled
    # exciton (measured at 3.5 ML: HH 9 meV, LH 33 meV lower).
    r, pairs, ks, G, e = _coupled_inputs()
    nk = ks.size
    off = pairs.lh_eV - pairs.hh_eV
    disp = (pairs.dispersion_hh, pairs.dispersion_lh)
    args = (pairs.scale_mass_hh, r.thickness_nm, r.eps_slab, r.eps_out)
    for m0, blk, edge in ((1.5, slice(0, nk), 0.0), (-0.5, slice(nk, 2 * nk), off)):
        single = X.pair_channels(G[:, blk, blk], W.M_VALUES, m0, e)
        eb = X.mixed_binding_energy_eV(single, ks, disp[0 if m0 > 0 else 1], *args)[0]
        E, _, _ = X.coupled_exciton_eV(X.coupled_channels(G, W.M_VALUES, m0, e), ks, disp,
                                       off, *args, n_states=1)
        assert E[0] <= edge - eb + 1e-6
        assert E[0] < edge - eb - 0.005
