"""R-point two-band model of CsPbX3 cubes, and the k.p optics dispatch."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from qdlab.cli.main import app
from qdlab.electronic.kp.perovskite import kane_energy_from_mass, perovskite_cube_levels
from qdlab.errors import QdlabInputError
from qdlab.materials import get_material


def test_limits_and_regimes():
    e = perovskite_cube_levels("CsPbBr3", [3.0, 50.0, 500.0])
    m = get_material("CsPbBr3")
    eg = m.band_gap(300.0)
    assert e["regime"][0] == 0 and e["regime"][-1] == 1
    # very large cube: bulk exciton Eg - Rx
    assert abs(e["energy_eV"][-1] - (eg - e["exciton_binding_eV"])) < 1e-3
    assert np.all(np.diff(e["energy_eV"]) < 0)


def test_kane_energy_reproduces_mass():
    ep = kane_energy_from_mass(2.36, 0.252)
    assert abs(1.0 / (1.0 + ep / (3 * 2.36)) - 0.252) < 1e-12


def test_wrong_material():
    with pytest.raises(QdlabInputError, match="perovskite"):
        perovskite_cube_levels("PbS", [5.0])


@pytest.mark.parametrize("args", [["PbS", "--diameter", "4"], ["PbSe", "--diameter", "5"],
                                  ["PbTe", "--diameter", "6"],
                                  ["CsPbBr3", "--shape", "cube", "--edge", "8"],
                                  ["CsPbI3", "--shape", "cube", "--edge", "10"],
                                  ["CsPbCl3", "--shape", "cube", "--edge", "8"]])
def test_cli_spectrum_kp_materials(args):
    r = CliRunner().invoke(app, ["spectrum", *args, "--json"])
    assert r.exit_code == 0, r.output
    js = json.loads(r.stdout[r.stdout.index("{"):])
    assert js["first_peak_nm"] > 0 and js["radiative_lifetime_ns"] > 0


@pytest.mark.parametrize("mat", ["Si", "Ge"])
def test_cli_indirect_refused(mat):
    r = CliRunner().invoke(app, ["spectrum", mat, "--diameter", "4", "--json"])
    assert r.exit_code == 2
    assert "phonon-assisted absorption is not modelled" in r.output


def test_cucl_weak_confinement_limits():
    from qdlab.electronic.kp.weak import kane_energy_two_band, weak_confinement_sphere_levels

    m = get_material("CuCl")
    big = weak_confinement_sphere_levels("CuCl", [1000.0])
    assert abs(big["energy_eV"][0] - (m.band_gap(300.0) - m.exciton_rydberg_eV)) < 1e-4
    assert m.kane_energy_eV == pytest.approx(kane_energy_two_band(m.band_gap(300.0),
                                                                   m.electron_mass), abs=0.01)
    with pytest.raises(QdlabInputError, match="dead layer"):
        weak_confinement_sphere_levels("CuCl", [0.3])
    r = CliRunner().invoke(app, ["spectrum", "CuCl", "--diameter", "6", "--json"])
    assert r.exit_code == 0, r.output


def test_cube_shape_only_for_perovskites():
    r = CliRunner().invoke(app, ["spectrum", "CdSe", "--shape", "cube", "--edge", "5"])
    assert r.exit_code == 2 and "perovskite" in r.output
