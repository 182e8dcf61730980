"""Rate laws of qdlab.synthesis.kinetics against exact results."""

import numpy as np
import pytest
from scipy.integrate import quad

from qdlab.constants import KB_EV
from qdlab.synthesis import (
    capillary_length_nm,
    cnt_exponent,
    critical_radius_nm,
    growth_rate_nm_s,
    lsw_distribution,
    wagner_distribution,
)
from qdlab.synthesis.kinetics import growth_rate_derivatives

KW = dict(diffusion_nm2_s=1e9, reaction_rate_nm_s=1e8, transfer_coefficient=0.5,
          capillary_nm=2.0, solubility_volume_fraction=1e-6)


def _moments(pdf, upper):
    n = quad(pdf, 0, upper, limit=200)[0]
    m = quad(lambda u: u * pdf(u), 0, upper, limit=200)[0] / n
    m2 = quad(lambda u: u * u * pdf(u), 0, upper, limit=200)[0] / n
    return n, m, np.sqrt(m2 - m * m) / m


def test_lsw_distribution_moments():
    # Lifshitz-Slyozov 1961: mean radius = critical radius, relative std 0.215
    n, mean, rsd = _moments(lsw_distribution, 1.5)
    assert n == pytest.approx(1.0, abs=1e-9)
    assert mean == pytest.approx(1.0, abs=1e-9)
    assert rsd == pytest.approx(0.2151, abs=1e-4)


def test_wagner_distribution_moments():
    # Wagner 1961: mean radius 8/9 of the critical radius, relative std 1/(2 sqrt 2)
    n, mean, rsd = _moments(wagner_distribution, 2.0)
    assert n == pytest.approx(1.0, abs=1e-9)
    assert mean == pytest.approx(8 / 9, abs=1e-9)
    assert rsd == pytest.approx(1 / (2 * np.sqrt(2)), abs=1e-6)


def test_growth_rate_vanishes_at_critical_radius_and_has_right_sign():
    s = np.exp(0.5)
    rstar = critical_radius_nm(2.0, s)
    assert rstar == pytest.approx(4.0)
    assert growth_rate_nm_s(rstar, s, **KW) == pytest.approx(0.0, abs=1e-15)
    assert growth_rate_nm_s(1.2 * rstar, s, **KW) > 0
    assert growth_rate_nm_s(0.8 * rstar, s, **KW) < 0


def test_growth_rate_limits():
    r, s = np.array([3.0, 10.0]), 2.0
    e = np.exp(2.0 / r)
    # diffusion control (k_g -> inf): D v C (S - e^{l/r}) / r
    g = growth_rate_nm_s(r, s, **{**KW, "reaction_rate_nm_s": 1e30})
    assert np.allclose(g, 1e9 * 1e-6 * (s - e) / r, rtol=1e-12)
    # reaction control (D -> inf at fixed k_g): k_g v C (S - e^{l/r}) e^{-alpha l/r}
    g = growth_rate_nm_s(r, s, **{**KW, "diffusion_nm2_s": 1e30})
    assert np.allclose(g, 1e8 * 1e-6 * (s - e) * np.exp(-0.5 * 2.0 / r), rtol=1e-9)


def test_growth_rate_derivatives_match_finite_differences():
    r = np.array([0.5, 1.0, 3.0, 20.0])
    s = 3.0
    g, gr, gs = growth_rate_derivatives(r, s, **KW)
    h = 1e-6 * r
    num_r = (growth_rate_nm_s(r + h, s, **KW) - growth_rate_nm_s(r - h, s, **KW)) / (2 * h)
    num_s = (growth_rate_nm_s(r, s + 1e-6, **KW) - growth_rate_nm_s(r, s - 1e-6, **KW)) / 2e-6
    assert np.allclose(gr, num_r, rtol=1e-6)
    assert np.allclose(gs, num_s, rtol=1e-6)


def test_cnt_barrier_equals_one_third_of_surface_energy_of_critical_nucleus():
    # Delta G* / kT = B / ln^2 S = 4 pi gamma r*^2 / (3 k T)
    gamma, vm, t, s = 0.2, 33.0, 573.15, 50.0
    b = cnt_exponent(gamma, vm, t)
    rstar_m = critical_radius_nm(capillary_length_nm(gamma, vm, t), s) * 1e-9
    kt_j = KB_EV * t * 1.602176634e-19
    assert b / np.log(s) ** 2 == pytest.approx(4 * np.pi * gamma * rstar_m**2 / (3 * kt_j),
                                               rel=1e-12)
