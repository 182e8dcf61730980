"""Tests of :mod:`qdlab.electronic.analytic`."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from qdlab.constants import BOHR_RADIUS_NM, COULOMB_EV_NM, HBAR2_2M0, RYDBERG_EV
from qdlab.electronic.analytic import (
    bohr_radii_nm,
    brus_energy,
    confinement_regime,
    finite_well_energies,
    infinite_well_energy,
    spherical_bessel_zeros,
    weak_confinement_energy,
)
from qdlab.electronic.sphere.radial import solve_radial
from qdlab.errors import QdlabInputError, QdlabValidityWarning

ME, MH, EPS, EG = 0.13, 0.45, 9.5, 1.74   # CdSe-like numbers


def test_bessel_zeros_known_values():
    np.testing.assert_allclose(spherical_bessel_zeros(0, 5), np.pi * np.arange(1, 6), rtol=1e-15)
    assert spherical_bessel_zeros(1, 1)[0] == pytest.approx(4.493409457909064, rel=1e-14)
    assert spherical_bessel_zeros(2, 1)[0] == pytest.approx(5.763459196894550, rel=1e-14)
    # tabulated (Abramowitz & Stegun Table 10.6): j_1 second zero, j_3 first zero
    assert spherical_bessel_zeros(1, 2)[1] == pytest.approx(7.725251836937707, rel=1e-13)
    assert spherical_bessel_zeros(3, 1)[0] == pytest.approx(6.987932000500520, rel=1e-13)


@pytest.mark.parametrize("l", [0, 4, 10, 25])
def test_bessel_zeros_are_zeros_and_interlace(l):
    from scipy.special import spherical_jn

    z = spherical_bessel_zeros(l, 6)
    assert np.all(np.abs(spherical_jn(l, z)) < 1e-13)
    assert np.all(np.diff(z) > 0)
    if l:
        lower = spherical_bessel_zeros(l - 1, 7)
        assert np.all((z > lower[:-1]) & (z < lower[1:]))


def test_infinite_well_vectorised():
    e = infinite_well_energy([0.13, 0.45], 2.0)
    np.testing.assert_allclose(e, HBAR2_2M0 * np.pi**2 / (np.array([0.13, 0.45]) * 4.0))
    e2 = infinite_well_energy(0.13, np.array([[1.0], [2.0]]), n=[1, 2], l=[0, 1])
    assert e2.shape == (2, 2)
    z11 = spherical_bessel_zeros(1, 2)[1]
    assert e2[1, 1] == pytest.approx(HBAR2_2M0 * z11**2 / (0.13 * 4.0), rel=1e-14)


def test_finite_well_l0_equation_and_limits():
    mi, mo, R, V = 0.13, 0.4, 2.0, 1.0
    E = finite_well_energies(mi, mo, R, V)
    k = np.sqrt(mi * E / HBAR2_2M0)
    kap = np.sqrt(mo * (V - E) / HBAR2_2M0)
    np.testing.assert_allclose(1 - k * R / np.tan(k * R), mi / mo * (1 + kap * R), rtol=1e-10)
    # deep well -> infinite well
    deep = finite_well_energies(0.13, 0.13, 2.0, 1e5, l=1)[0]
    assert deep == pytest.approx(infinite_well_energy(0.13, 2.0, l=1), rel=2e-3)
    assert deep < infinite_well_energy(0.13, 2.0, l=1)


def test_brus_formula_terms():
    d = np.array([3.0, 4.0, 6.0])
    R = d / 2
    mu = ME * MH / (ME + MH)
    expected = (EG + HBAR2_2M0 * np.pi**2 / R**2 * (1 / ME + 1 / MH)
                - 1.786 * COULOMB_EV_NM / (EPS * R) - 0.248 * RYDBERG_EV * mu / EPS**2)
    np.testing.assert_allclose(brus_energy(EG, ME, MH, EPS, d), expected, rtol=1e-14)
    # blue shift decreases with size
    assert np.all(np.diff(brus_energy(EG, ME, MH, EPS, d)) < 0)


def test_brus_kinetic_term_equals_radial_solver_with_mu():
    # kinetic part of Brus = hard-wall level of a particle with the reduced mass
    mu = ME * MH / (ME + MH)
    d = 4.0
    kin = (brus_energy(EG, ME, MH, EPS, d) - EG + 1.786 * COULOMB_EV_NM / (EPS * d / 2)
           + 0.248 * RYDBERG_EV * mu / EPS**2)
    exact = solve_radial(d / 2, [0.0, np.inf], [mu, 1.0]).energies_eV[0, 0]
    assert kin == pytest.approx(exact, rel=1e-10)
    assert kin == pytest.approx(infinite_well_energy(mu, d / 2), rel=1e-12)


def test_bohr_radii_and_regimes():
    a_e, a_h, a_B = bohr_radii_nm(ME, MH, EPS)
    assert a_e == pytest.approx(EPS * BOHR_RADIUS_NM / ME)
    assert a_B == pytest.approx(EPS * BOHR_RADIUS_NM * (ME + MH) / (ME * MH))
    r = np.array([0.5, 1.5, 3.0, 19.0, 20.0, 40.0])
    got = confinement_regime(r, a_e, a_h, a_B)
    assert got.tolist() == ["strong", "intermediate", "intermediate", "intermediate",
                            "weak", "weak"]
    assert confinement_regime(1.0, a_e, a_h) == "strong"
    assert confinement_regime(6.0, a_e, a_h, weak_factor=1.0) == "weak"


def test_weak_confinement_limits():
    me, mh, eps, eg = 0.5, 1.8, 5.6, 3.395      # CuCl-like exciton
    mu = me * mh / (me + mh)
    ry = RYDBERG_EV * mu / eps**2
    big = weak_confinement_energy(eg, me, mh, eps, 1e6)
    assert big == pytest.approx(eg - ry, abs=1e-9)
    a_B = eps * BOHR_RADIUS_NM / mu
    d = 20.0
    expected = eg - ry + HBAR2_2M0 * np.pi**2 / ((me + mh) * (d / 2 - 0.5 * a_B) ** 2)
    assert weak_confinement_energy(eg, me, mh, eps, d) == pytest.approx(expected, rel=1e-14)
    rigid = weak_confinement_energy(eg, me, mh, eps, d, dead_layer=0.0)
    assert rigid < weak_confinement_energy(eg, me, mh, eps, d)


def test_weak_confinement_warns_below_two_bohr_radii():
    with pytest.warns(QdlabValidityWarning, match="R/a_B"):
        weak_confinement_energy(EG, ME, MH, EPS, 12.0)      # R = 6 nm ~ 1.2 a_B for CdSe
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        weak_confinement_energy(EG, ME, MH, EPS, 40.0)


@pytest.mark.parametrize("call,match", [
    (lambda: brus_energy(1.7, 0.13, 0.45, 9.5, -4.0), "diameter_nm must be > 0"),
    (lambda: brus_energy(1.7, 0.0, 0.45, 9.5, 4.0), "me must be > 0"),
    (lambda: infinite_well_energy(0.13, 2.0, n=0), "n must be an integer"),
    (lambda: spherical_bessel_zeros(-1, 2), "l must be an integer"),
    (lambda: finite_well_energies(0.13, 1.0, 2.0, np.inf), "barrier_eV must be > 0"),
    (lambda: confinement_regime(-1.0, 1.0, 1.0), "radius_nm"),
])
def test_bad_input(call, match):
    with pytest.raises(QdlabInputError, match=match):
        call()
