"""Tests of qdlab.electronic.anisotropy.dimers (bonding/antibonding splitting of nanocrystal molecules)."""

import math

import pytest

from qdlab.electronic.anisotropy.dimers import dimer_splitting, tunnelling_decay_constant
from qdlab.errors import QdlabInputError
from qdlab.structures import VACUUM, Medium, Sphere


class M:
    """Plain-number material (no database), eV and m0."""

    name = "X"
    electron_mass = 0.3
    hole_mass = 0.6

    def conduction_band_edge(self, T):
        return -4.0

    def valence_band_edge(self, T):
        return -6.0


MED = Medium(electron_barrier_eV=1.0, hole_barrier_eV=1.0)
OPTS = {"resolution_nm": 0.25, "padding_nm": 1.2, "carriers": ("electron",)}


def test_splitting_decays_with_the_barrier_decay_constant():
    s = Sphere(M(), 3.0, medium=MED)
    r1 = dimer_splitting(s, gap_nm=0.5, **OPTS)
    r2 = dimer_splitting(s, gap_nm=1.0, **OPTS)
    e1, e2 = r1.electron, r2.electron
    assert e1.splitting_eV > e2.splitting_eV > 0
    assert e1.hopping_eV == pytest.approx(e1.splitting_eV / 2)
    # t ~ exp(-kappa g), kappa from the monomer level below the 1 eV barrier.
    kappa = tunnelling_decay_constant(1.0, e1.monomer_eV + 4.0)
    slope = math.log(e1.splitting_eV / e2.splitting_eV) / 0.5
    assert slope == pytest.approx(kappa, rel=0.12)
    # Bonding level drops below the monomer; transition red-shifts.
    assert e1.bonding_eV < e1.monomer_eV
    assert r1.shift_single_particle_eV == pytest.approx(e1.bonding_shift_eV)
    assert r1.shift_single_particle_eV < 0
    assert r1.hole is None


def test_hard_walls_do_not_couple():
    s = Sphere(M(), 3.0, medium=VACUUM)
    r = dimer_splitting(s, gap_nm=0.5, resolution_nm=0.25, carriers=("electron",))
    assert abs(r.electron.splitting_eV) < 1e-5


def test_neck_increases_coupling():
    s = Sphere(M(), 3.0, medium=VACUUM)
    thin = dimer_splitting(s, gap_nm=0.0, neck_diameter_nm=1.0, resolution_nm=0.25,
                           carriers=("electron",))
    wide = dimer_splitting(s, gap_nm=0.0, neck_diameter_nm=2.0, resolution_nm=0.25,
                           carriers=("electron",))
    assert wide.electron.splitting_eV > thin.electron.splitting_eV > 0
    assert wide.shift_localised_hole_eV < thin.shift_localised_hole_eV < 0


def test_bad_input():
    s = Sphere(M(), 3.0, medium=MED)
    with pytest.raises(QdlabInputError, match="gap_nm"):
        dimer_splitting(s, gap_nm=-1.0)
    with pytest.raises(QdlabInputError, match="carriers"):
        dimer_splitting(s, gap_nm=0.5, resolution_nm=0.5, carriers=("exciton",))
    with pytest.raises(QdlabInputError, match="level_eV"):
        tunnelling_decay_constant(1.0, 1.5)
