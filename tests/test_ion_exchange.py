"""Halide anion exchange CsPbBr3 -> CsPbI3 / CsPbCl3 (issue 5, section 6)."""

import math

import numpy as np
import pytest

from qdlab.constants import KB_EV
from qdlab.electronic import first_exciton_batch
from qdlab.materials import get_material
from qdlab.synthesis.ion_exchange import (
    equilibrium_fraction,
    exchange_composition,
    exchange_rate_per_s,
    halide_exchange,
)

T = np.array([0.0, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0])


@pytest.mark.parametrize("target", ["I", "Cl"])
def test_composition_monotone_and_tends_to_equilibrium(target):
    res = halide_exchange(T, target, halide_ratio=3.0)
    assert res.x_eq == pytest.approx(0.75)
    assert res.x[0] == 0.0
    assert np.all(np.diff(res.x) > 0)
    assert res.x[-1] == pytest.approx(0.75, abs=1e-9)   # k = 0.1/s: exp(-30) left
    # the analytic solution of dx/dt = k (x_eq - x)
    k = res.rate_per_s
    assert res.x == pytest.approx(0.75 * (1 - np.exp(-k * T)), abs=1e-15)


def test_emission_red_shifts_to_iodide_and_blue_shifts_to_chloride():
    i = halide_exchange(T, "I", halide_ratio=20.0)
    c = halide_exchange(T, "Cl", halide_ratio=20.0)
    assert np.all(np.diff(i.emission_nm) > 0)
    assert np.all(np.diff(c.emission_nm) < 0)
    # Akkerman et al. / Nedelcu et al. 2015: exchange tunes across the visible,
    # ~410 nm (Cl) to ~690 nm (I) from ~510 nm (Br)
    assert i.emission_nm[-1] - i.emission_nm[0] > 120
    assert c.emission_nm[0] - c.emission_nm[-1] > 80


@pytest.mark.parametrize("target, pure", [("I", "CsPbI3"), ("Cl", "CsPbCl3")])
def test_end_points_are_the_pure_materials(target, pure):
    edge = 10.0
    r = 0.5 * edge * (6 / math.pi) ** (1 / 3)
    res = halide_exchange([0.0, 1e5], target, halide_ratio=1e15, edge_nm=edge)
    assert res.x[-1] == pytest.approx(1.0, abs=1e-12)
    for x_index, name in ((0, "CsPbBr3"), (1, pure)):
        m = get_material(name)
        e = first_exciton_batch([m], np.array([[r]]), temperature=298.15)["first_exciton_eV"][0]
        assert res.band_gap_eV[x_index] == pytest.approx(m.band_gap(298.15), abs=1e-6)
        assert res.emission_eV[x_index] == pytest.approx(e, abs=1e-6)


def test_bowing_lowers_the_mid_gap():
    a = halide_exchange([1e4], "I", halide_ratio=1.0, bowing_eV=0.0)
    b = halide_exchange([1e4], "I", halide_ratio=1.0, bowing_eV=0.4)
    assert a.band_gap_eV[0] - b.band_gap_eV[0] == pytest.approx(0.4 * 0.25, abs=1e-9)


def test_arrhenius_and_equilibrium():
    assert exchange_rate_per_s(298.15) == pytest.approx(0.1)
    assert exchange_rate_per_s(308.15) / exchange_rate_per_s(298.15) == pytest.approx(
        math.exp(0.5 / KB_EV * (1 / 298.15 - 1 / 308.15)), rel=1e-6)
    # K != 1: the root satisfies K (r - x)(1 - x) = x^2
    for k, r in ((4.0, 1.0), (0.25, 2.0), (3.0, 0.1)):
        x = equilibrium_fraction(r, k)
        assert k * (r - x) * (1 - x) == pytest.approx(x * x, rel=1e-12)
        assert 0 <= x <= min(1.0, r)


def test_bad_input():
    with pytest.raises(ValueError, match="target halide"):
        halide_exchange([0.0], "F")
    with pytest.raises(ValueError, match="halide_ratio"):
        equilibrium_fraction(-1.0)
    with pytest.raises(ValueError, match="time_s"):
        exchange_composition([-1.0], x_eq=0.5, rate_per_s=1.0)
    with pytest.raises(ValueError, match="edge_nm"):
        halide_exchange([0.0], "I", edge_nm=0.0)
