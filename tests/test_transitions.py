"""Tests of qdlab.optics.transitions: energies, selection rules, oscillator strengths,
radiative rates (analytic checks) and the CdSe radiative lifetime (published range)."""

import math

import numpy as np
import pytest
from scipy import constants as sc

from qdlab.constants import HBAR2_2M0
from qdlab.errors import QdlabInputError
from qdlab.materials import get_material
from qdlab.optics.transitions import (
    BLOCH_FACTOR,
    absorption_prefactor_cm2_eV,
    local_field_factor,
    radiative_lifetime,
    radiative_rate,
    transitions,
    transitions_batch,
)
from qdlab.structures import Medium, Sphere

HARD = Medium(dielectric_constant=1.0, electron_barrier_eV=math.inf,
              hole_barrier_eV=math.inf, name="hard")


def test_hard_wall_particle_in_sphere_exact():
    # infinite barriers, parabolic bands, no Coulomb: E = Eg + hbar^2 x^2/(2 R^2) (1/me + 1/mh)
    m = get_material("CdSe")
    R = 2.0
    out = transitions_batch(["CdSe"], [[R]], HARD, 300.0, n_transitions=12, l_max=2,
                            n_radial=2, nonparabolic=False, coulomb=False)
    from qdlab.electronic.sphere.exciton import band_profiles

    # the solver's band-edge hole mass (1S3/2-equivalent single-band mass, holes.py)
    _, me, _, _, mh, _ = band_profiles([m], HARD, 300.0, False)
    mu_inv = 1 / me[0] + 1 / mh[0]
    eg = m.band_gap(300.0)
    # zeros of j_l: 1S pi, 1P 4.4934, 1D 5.7635, 2S 2 pi
    expect = {(1, 1, 0): math.pi, (1, 1, 1): 4.493409457909064, (1, 1, 2): 5.763459196894550,
              (2, 2, 0): 2 * math.pi}
    got = {(int(a), int(b), int(c)): (e, f, o) for a, b, c, e, f, o in zip(
        out["n_e"][0], out["n_h"][0], out["l"][0], out["energy_eV"][0],
        out["oscillator_strength"][0], out["overlap"][0], strict=True)}
    for key, x in expect.items():
        e_exact = eg + HBAR2_2M0 * x**2 / R**2 * mu_inv
        e, f, ov = got[key]
        assert e == pytest.approx(e_exact, rel=1e-6)
        # identical envelopes: |K| = 1, f = 4/3 Ep/E (2l+1)
        assert abs(ov) == pytest.approx(1.0, abs=1e-4)
        assert f == pytest.approx(BLOCH_FACTOR * m.kane_energy_eV / e * (2 * key[2] + 1),
                                  rel=2e-4)
    # different radial quantum numbers are orthogonal for identical hard-wall envelopes
    for (ne, nh, _l), (_e, f, ov) in got.items():
        if ne != nh:
            assert abs(ov) < 1e-4 and f < 1e-6


def test_sorted_labels_and_size_trend():
    tr = transitions(Sphere("CdSe", 4.0), 10)
    e = [t.energy_eV for t in tr]
    assert e == sorted(e) and len(tr) == 10
    assert tr[0].label == "1S(e)-1S(h)" and tr[0].degeneracy == 8
    p = next(t for t in tr if t.label == "1P(e)-1P(h)")
    assert p.degeneracy == 24
    # strongest transitions have n_e = n_h
    assert max(tr, key=lambda t: t.oscillator_strength).n_e == max(
        tr, key=lambda t: t.oscillator_strength).n_h
    out = transitions_batch(["CdSe"], np.array([[1.5], [2.0], [3.0]]), n_transitions=2)
    assert np.all(np.diff(out["energy_eV"][:, 0]) < 0)
    # Coulomb lowers the transition; close to the lead's first_exciton_batch
    from qdlab.electronic.sphere.exciton import first_exciton_batch

    fe = first_exciton_batch(["CdSe"], np.array([[2.0]]))["first_exciton_eV"][0]
    assert tr[0].coulomb_eV < 0
    assert tr[0].energy_eV == pytest.approx(fe, abs=2e-3)


def test_local_field_and_prefactor():
    assert local_field_factor(2.0, 2.0) == pytest.approx(1.0)
    assert abs(local_field_factor(6.2, 2.25)) == pytest.approx(6.75 / 10.7)
    # pi e^2 hbar / (2 eps0 m c) in cm^2 eV, from scipy constants
    ref = math.pi * sc.e**2 * sc.hbar / (2 * sc.epsilon_0 * sc.m_e * sc.c) / sc.e * 1e4
    assert absorption_prefactor_cm2_eV() == pytest.approx(ref, rel=1e-12)


def test_radiative_rate_classical_oscillator():
    # f = 1 in vacuum: gamma = e^2 omega^2 / (6 pi eps0 m c^3)
    omega = 2.5 * sc.e / sc.hbar
    ref = sc.e**2 * omega**2 / (6 * math.pi * sc.epsilon_0 * sc.m_e * sc.c**3)
    assert radiative_rate(2.5, 1.0, 1.0, 1.0) == pytest.approx(ref, rel=1e-12)
    # n and the local-field factor enter as n |f_LF|^2
    r = radiative_rate(2.5, 1.0, 1.5, 6.2)
    assert r / ref == pytest.approx(1.5 * (3 * 2.25 / (6.2 + 4.5)) ** 2, rel=1e-12)


def test_cdse_radiative_lifetime_order_of_magnitude():
    # measured room-temperature radiative lifetimes of CdSe dots are ~20 ns; the single-band,
    # equal-population model neglects the dark fine-structure states and band mixing and is
    # a documented lower bound (factor ~3).  It must be a few ns, and grow in a lower-index medium.
    tau = radiative_lifetime(Sphere("CdSe", 4.0))
    print(f"CdSe 4 nm radiative lifetime (toluene-like medium): {tau * 1e9:.2f} ns")
    assert 3e-9 < tau < 20e-9
    tau_vac = radiative_lifetime(Sphere("CdSe", 4.0), n_medium=1.0)
    assert tau_vac > tau


def test_bad_input():
    with pytest.raises(QdlabInputError, match="n_transitions"):
        transitions_batch(["CdSe"], [[2.0]], n_transitions=0)
    with pytest.raises(QdlabInputError, match="radii_nm"):
        transitions_batch(["CdSe"], [[2.0, 3.0]])
    with pytest.raises(QdlabInputError, match="screening"):
        transitions_batch(["CdSe"], [[2.0]], screening="bad")
    with pytest.raises(QdlabInputError):
        transitions("CdSe")
    with pytest.raises(QdlabInputError, match="energy_eV"):
        radiative_rate(-1.0, 1.0, 1.0, 1.0)
