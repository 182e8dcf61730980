"""Kang-Wise lead-salt model: exact limits and validation against Moreels 2009 (PbS).

Run ``pytest tests/test_kp_lead_salts.py -s -k table`` to print the validation table.
"""

import csv
from pathlib import Path

import numpy as np
import pytest

from qdlab.constants import HBAR2_2M0
from qdlab.electronic.kp import KP_MODELS, kp_model_for
from qdlab.electronic.kp.kang_wise import (
    angular_factor,
    lead_salt_levels,
    sphere_states,
)
from qdlab.errors import QdlabInputError

DATA = Path(__file__).resolve().parents[1] / "src" / "qdlab" / "_data" / "first_exciton_open.csv"


def _moreels():
    with open(DATA) as fh:
        rows = [r for r in csv.DictReader(fh) if r["material"] == "PbS"]
    return (np.array([float(r["diameter_nm"]) for r in rows]),
            np.array([float(r["E1_eV"]) for r in rows]))


def test_p_to_zero_is_parabolic_sphere():
    R = np.array([1.5, 2.0, 4.0])
    E, _ = sphere_states(R, -1, 0.4, 0.0, 0.3, 0.3, band="c", n_states=2)
    chi = np.array([np.pi, 2 * np.pi])
    exact = 0.2 + HBAR2_2M0 / 0.3 * (chi[None, :] / R[:, None]) ** 2
    np.testing.assert_allclose(E, exact, rtol=1e-9)
    # 1P(1/2): upper component l = 1, zeros of j_1 (4.4934)
    E1, _ = sphere_states(R, 1, 0.4, 0.0, 0.3, 0.3, band="c", n_states=1)
    np.testing.assert_allclose(E1[:, 0], 0.2 + HBAR2_2M0 / 0.3 * (4.493409458 / R) ** 2,
                               rtol=1e-8)


def test_large_radius_tends_to_bulk_gap():
    lv = lead_salt_levels("PbS", [500.0], coulomb=False)
    assert abs(lv.energy_eV[0, 0] - 0.41) < 2e-3
    assert lv.energy_eV[0, 0] > 0.41


def test_mirror_bands_symmetric_and_monotonic():
    R = np.linspace(1.0, 6.0, 11)
    Ee, _ = sphere_states(R, -1, 0.41, 3.0, 1.0, 1.0, band="c")
    Eh, _ = sphere_states(R, 1, 0.41, 3.0, 1.0, 1.0, band="v")
    np.testing.assert_allclose(Ee, -Eh, rtol=1e-9)
    assert np.all(np.diff(Ee[:, 0]) < 0)


def test_gap_grows_with_temperature():
    lo = lead_salt_levels("PbS", [2.0], 150.0).energy_eV[0, 0]
    hi = lead_salt_levels("PbS", [2.0], 350.0).energy_eV[0, 0]
    assert hi > lo


def test_oscillator_strength_four_valleys():
    lv = lead_salt_levels("PbS", [2.0])
    assert lv.kappa[0, 0] == -1 and lv.degeneracy[0, 0] == 16
    ep = 3.08
    np.testing.assert_allclose(lv.oscillator_strength[0, 0],
                               8 * ep / lv.energy_eV[0, 0] * lv.overlap[0, 0] ** 2)
    assert angular_factor(-1) == 2.0


def test_registry_and_errors():
    assert kp_model_for("PbSe").name == "kang_wise"
    assert "PbTe" in KP_MODELS["kang_wise"].materials
    assert kp_model_for("CdSe").name == "kane3-luttinger4"   # the II-VI sphere model
    assert kp_model_for("Si") is None
    with pytest.raises(QdlabInputError, match="radius"):
        lead_salt_levels("PbS", [-1.0])
    with pytest.raises(QdlabInputError, match="Kang-Wise"):
        lead_salt_levels("CdSe", [2.0])
    with pytest.raises(QdlabInputError, match="band"):
        sphere_states([2.0], -1, 0.4, 3.0, band="x")
    with pytest.raises(QdlabInputError, match="kappa"):
        sphere_states([2.0], 0, 0.4, 3.0)
    with pytest.raises(QdlabInputError, match="far_c"):
        sphere_states([2.0], -1, 0.4, 3.0, far_c=0.0)


def test_pbs_first_exciton_vs_moreels_2009_table():
    d, e_exp = _moreels()
    lv = lead_salt_levels("PbS", d / 2)
    e = lv.energy_eV[:, 0]
    rms = float(np.sqrt(np.mean((e - e_exp) ** 2)))
    print("\nPbS first exciton, Kang-Wise k.p (no fit) vs Moreels 2009")
    print(f"{'d (nm)':>7} {'model (eV)':>11} {'Moreels (eV)':>13} {'diff (eV)':>10}")
    for di, a, b in zip(d, e, e_exp, strict=True):
        print(f"{di:7.1f} {a:11.4f} {b:13.4f} {a - b:10.4f}")
    print(f"RMS = {rms:.4f} eV (single-band reference: 0.030 eV)")
    # physics tolerance: the sizing curve's own spread is ~0.05 eV
    assert rms < 0.06


@pytest.mark.xfail(strict=False, reason="Kang-Wise k.p with free-electron far-band masses "
                   "is 0.03-0.05 eV below Moreels 2009 (RMS 0.039 eV vs 0.030 single-band)")
def test_pbs_kp_at_least_as_good_as_single_band():
    d, e_exp = _moreels()
    e = lead_salt_levels("PbS", d / 2).energy_eV[:, 0]
    assert float(np.sqrt(np.mean((e - e_exp) ** 2))) <= 0.030


def test_records_carry_the_model_kane_energies():
    from qdlab.electronic.kp.kang_wise import LEAD_SALT_PARAMETERS
    from qdlab.electronic.kp.perovskite import kane_energy_from_mass
    from qdlab.materials import get_material

    for name, p in LEAD_SALT_PARAMETERS.items():
        assert get_material(name).kane_energy_eV == p.kane_energy_eV
    for name in ("CsPbCl3", "CsPbBr3", "CsPbI3"):
        m = get_material(name)
        ep = kane_energy_from_mass(m.band_gap(300.0), m.electron_mass)
        assert abs(m.kane_energy_eV - ep) < 0.01


# Moreels et al., Chem. Mater. 19, 6101 (2007), PbSe sizing relation (qdlab.sizing).
def _moreels2007(d):
    from qdlab.constants import HC_EV_NM
    from qdlab.sizing import get_curve

    return HC_EV_NM / get_curve("Moreels2007-PbSe").peak_nm(d)


@pytest.mark.xfail(strict=False, reason="Kang-Wise k.p overestimates small PbSe dots "
                   "(+0.19 eV at 3 nm; RMS 0.084 eV over 3-8 nm), a known k.p miss")
def test_pbse_first_exciton_vs_moreels_2007():
    d = np.array([3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    e = lead_salt_levels("PbSe", d / 2).energy_eV[:, 0]
    assert float(np.sqrt(np.mean((e - _moreels2007(d)) ** 2))) < 0.05


def test_pbse_large_dots_within_sizing_spread():
    d = np.array([5.0, 6.0, 7.0, 8.0])
    e = lead_salt_levels("PbSe", d / 2).energy_eV[:, 0]
    assert np.all(np.abs(e - _moreels2007(d)) < 0.04)


def test_transitions_dispatch_and_lifetime():
    from qdlab.optics.transitions import radiative_lifetime, transitions
    from qdlab.structures import Sphere

    tr = transitions(Sphere("PbS", 4.0), 3)
    lv = lead_salt_levels("PbS", [2.0])
    assert tr[0].label == "1S(e)-1S(h)" and tr[0].degeneracy == 16
    np.testing.assert_allclose(tr[0].energy_eV, lv.energy_eV[0, 0])
    np.testing.assert_allclose(tr[0].oscillator_strength, lv.oscillator_strength[0, 0])
    tau = radiative_lifetime(Sphere("PbS", 4.0))
    assert 1e-8 < tau < 1e-5


def test_indirect_gap_refused_in_transitions():
    from qdlab.optics.transitions import transitions
    from qdlab.structures import Sphere

    with pytest.raises(QdlabInputError, match="phonon-assisted"):
        transitions(Sphere("Si", 4.0))


def _fd_levels(R, kappa, eg, ep, far, n=1200):
    """Independent check: finite-difference diagonalisation of the radial 4-band problem.

    With u = r g, v = r f (upper/lower radial functions of Dirac index kappa):
    E u = h u + a(-u'' + l(l+1)u/r^2) - gamma (v' - kappa v/r),
    E v = -h v - b(-v'' + l'(l'+1)v/r^2) + gamma (u' + kappa u/r),  u = v = 0 at 0 and R.
    """
    from scipy.linalg import eigh

    a = b = HBAR2_2M0 / far
    gam = np.sqrt(HBAR2_2M0 * ep)
    h = eg / 2
    l, lp = (-kappa - 1, -kappa) if kappa < 0 else (kappa, kappa - 1)
    r = np.linspace(0, R, n + 2)[1:-1]
    dr = r[1] - r[0]
    lap = (np.diag(np.full(n, 2.0)) - np.diag(np.ones(n - 1), 1)
           - np.diag(np.ones(n - 1), -1)) / dr**2
    D = (np.diag(np.ones(n - 1), 1) - np.diag(np.ones(n - 1), -1)) / (2 * dr)
    H11 = h * np.eye(n) + a * (lap + np.diag(l * (l + 1) / r**2))
    H22 = -h * np.eye(n) - b * (lap + np.diag(lp * (lp + 1) / r**2))
    H12 = -gam * (D - np.diag(kappa / r))
    H = np.block([[H11, H12], [H12.T, H22]])
    w = eigh(H, eigvals_only=True, subset_by_value=(h, h + 3.0))
    return np.sort(w)[:2]


@pytest.mark.parametrize("kappa", [-1, 1, -2])
def test_determinant_roots_match_finite_difference(kappa):
    R, eg, ep = 2.0, 0.41, 3.08
    E, _ = sphere_states([R], kappa, eg, ep, 1.0, 1.0, band="c", n_states=2)
    fd = _fd_levels(R, kappa, eg, ep, 1.0)
    # second-order finite differences converge to the roots (error x1/4 per halving of dr,
    # measured); at dr = R/1201 the FD error is ~4e-6 relative
    np.testing.assert_allclose(E[0], fd, rtol=2e-5)
    assert np.all(fd < E[0])


def test_coarse_scan_finds_the_same_roots_as_a_fine_scan():
    R = np.linspace(0.5, 20.0, 200)
    for kap in (-1, 1, -2, 2, -3):
        for band in "cv":
            E, _ = sphere_states(R, kap, 0.41, 3.08, band=band, n_states=3)
            E2, _ = sphere_states(R, kap, 0.41, 3.08, band=band, n_states=3, n_grid=4000)
            assert not np.isnan(E).any()
            np.testing.assert_allclose(E, E2, rtol=1e-12)


def test_kp_core_with_shell_refused():
    from qdlab.optics.transitions import transitions
    from qdlab.structures import CoreShell

    with pytest.raises(QdlabInputError, match="core/shell"):
        transitions(CoreShell("PbS", 3.0, [("CdS", 1.0)]))


def test_optics_table():
    """Band-edge ensemble optics of PbS (printed; -s).  No PbS bulk optical constants in
    qdlab, so the 400 nm extinction is not modelled: Moreels 2009 eps_400 shown for scale."""
    import warnings

    from qdlab.optics.ensemble import Ensemble, SizeDistribution
    from qdlab.optics.transitions import radiative_lifetime
    from qdlab.sizing import get_curve
    from qdlab.structures import Sphere

    c = get_curve("Moreels2009-PbS")
    print("\nPbS ensembles (5 % dispersion), Kang-Wise band-edge optics")
    print(f"{'d (nm)':>7} {'f_1S':>6} {'peak (nm)':>10} {'Moreels (nm)':>13} {'eps_peak':>10} "
          f"{'tau_rad (ns)':>13} {'Moreels eps400':>15}")
    prev = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for d in (3.0, 5.0, 8.0):
            f1 = lead_salt_levels("PbS", [d / 2]).oscillator_strength[0, 0]
            ens = Ensemble("PbS", SizeDistribution.normal(d, 5.0))
            tau = radiative_lifetime(Sphere("PbS", d)) * 1e9
            eps = ens.first_peak_extinction()
            print(f"{d:7.1f} {f1:6.1f} {ens.first_peak_nm():10.0f} {float(c.peak_nm(d)):13.0f} "
                  f"{eps:10.3g} {tau:13.0f} {float(c.extinction_M1cm1(d)):15.3g}")
            assert eps > 0 and tau > 0
            if prev is not None:
                assert eps > prev        # bigger dots absorb more per particle
            prev = eps
