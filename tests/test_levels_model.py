"""``--model kp|single-band`` of ``qdlab levels``, ``levels_report`` and ``POST /api/levels``.

The k.p model of bare CdSe spheres is tested against the measurement, not against a
stored number: its first exciton must be closer to the packaged Jasieniak 2009 and
Yu 2003 CdSe points than the single-band model's.  The default stays single band (one
answer per structure: the grid, spectra and sizing use the single-band states).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from qdlab.cli.main import app
from qdlab.electronic.kp.levels import kp_levels_report, kp_not_applicable
from qdlab.electronic.model_choice import KP_DEFAULT_MATERIALS, resolve_model
from qdlab.electronic.report import levels_report
from qdlab.errors import QdlabInputError
from qdlab.structures import CoreShell, Sphere
from qdlab.structures.shapes import Cube, Rod

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def one_error(res, *fragments):
    assert res.exit_code == 2, res.output
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), res.output
    for f in fragments:
        assert f in lines[0], (f, lines[0])
    return lines[0]


def test_cli_json_keeps_the_contract_and_names_the_model():
    kp = json.loads(run("levels", "CdSe", "--diameter", "4", "--model", "kp",
                        "--json").stdout)
    sb = json.loads(run("levels", "CdSe", "--diameter", "4", "--json").stdout)
    assert kp["model"] == "kp" and sb["model"] == "single-band"
    for out in (kp, sb):
        assert out["first_exciton_nm"] == pytest.approx(1239.84198 / out["first_exciton_eV"],
                                                        rel=1e-6)
    assert kp["first_exciton_eV"] == pytest.approx(
        kp_levels_report(Sphere("CdSe", 4.0))["first_exciton_eV"], rel=1e-12)
    assert kp["first_exciton_eV"] != pytest.approx(sb["first_exciton_eV"], abs=1e-3)
    # the default is the single-band model, the same as the grid's and the spectra's
    explicit = json.loads(run("levels", "CdSe", "--diameter", "4", "--model",
                              "single-band", "--json").stdout)
    assert explicit == sb


def test_kp_is_closer_to_the_cdse_measurements():
    from qdlab.validation import load_reference_points

    for source in ("Jasieniak2009", "Yu2003"):
        pts = [p for p in load_reference_points() if p.material == "CdSe" and p.source == source]
        err = {m: np.array([levels_report(Sphere("CdSe", p.diameter_nm), model=m)
                            ["first_exciton_eV"] - p.first_exciton_eV for p in pts])
               for m in ("kp", "single-band")}
        rms = {m: float(np.sqrt(np.mean(e ** 2))) for m, e in err.items()}
        assert rms["kp"] < rms["single-band"], (source, rms)
        assert rms["kp"] <= 0.05, (source, rms)


def test_resolve_model():
    assert KP_DEFAULT_MATERIALS == ()
    assert resolve_model(Sphere("CdSe", 4.0)) == "single-band"
    assert resolve_model(Sphere("CdSe", 4.0), "kp") == "kp"
    assert resolve_model(Sphere("CdSe", 4.0), solver="grid") == "single-band"
    for s in (Sphere("CdTe", 4.0), Sphere("PbS", 4.0), CoreShell("CdSe", 3.0, [("ZnS", 1.0)]),
              Rod("CdSe", 8.0, 3.0)):
        assert resolve_model(s) == "single-band"
    assert resolve_model(Sphere("PbS", 4.0), "kp") == "kp"
    with pytest.raises(QdlabInputError, match="model must be one of"):
        resolve_model(Sphere("CdSe", 4.0), "8-band")
    with pytest.raises(QdlabInputError, match="solver 'grid'"):
        resolve_model(Sphere("CdSe", 4.0), "kp", "grid")


@pytest.mark.parametrize("structure, fragment", [
    (Sphere("Si", 4.0), "no k.p parameters for Si"),
    (Sphere("CsPbBr3", 8.0), "is for cubes"),
    (Rod("CdSe", 8.0, 3.0), "got a rod"),
    (Cube("CdSe", 4.0), "perovskite R-point"),
    (CoreShell("PbS", 3.0, [("CdS", 1.0)]), "bare spheres"),
])
def test_kp_refused_where_it_does_not_apply(structure, fragment):
    reason = kp_not_applicable(structure)
    assert fragment in reason and "k.p applies to" in reason
    with pytest.raises(QdlabInputError, match="model 'kp' does not apply"):
        levels_report(structure, model="kp")


@pytest.mark.parametrize("args, fragments", [
    (("--shape", "rod", "--diameter", "3", "--length", "8", "--model", "kp"),
     ("--model kp does not apply to this rod", "k.p applies to")),
    (("--diameter", "4", "--model", "kp", "--solver", "grid"), ("--solver grid",)),
    (("--shape", "platelet", "--monolayers", "4", "--model", "kp", "--n-states", "3"),
     ("n-states", "platelet")),
    (("--diameter", "4", "--model", "kp", "--l-max", "1"),
     ("--l-max does not apply to --model kp", "--model single-band")),
    (("--diameter", "4", "--model", "kp", "--parabolic"), ("--parabolic", "--model single-band")),
    (("--diameter", "4", "--model", "kp", "--dielectric", "uniform"),
     ("dielectric", "single-band")),
    (("--diameter", "4", "--model", "6-band"), ("model must be one of",)),
])
def test_cli_refuses_with_one_line(args, fragments):
    one_error(run("levels", "CdSe", *args), *fragments)


def test_cli_kp_other_materials_and_refusals():
    res = run("levels", "Si", "--diameter", "4", "--model", "kp")
    one_error(res, "no k.p parameters for Si")
    pbs = json.loads(run("levels", "PbS", "--diameter", "5", "--model", "kp", "--json").stdout)
    assert pbs["kp_model"] == "kang_wise" and pbs["transitions"][0]["degeneracy"] == 16
    one_error(run("levels", "PbS", "--diameter", "5", "--model", "kp", "--electron-barrier",
                  "2"), "electron_barrier_eV does not apply")
    cube = json.loads(run("levels", "CsPbBr3", "--shape", "cube", "--edge", "8", "--model",
                          "kp", "--json").stdout)
    assert cube["kp_model"] == "perovskite_r_point" and 480 < cube["first_exciton_nm"] < 530
    one_error(run("levels", "CsPbBr3", "--shape", "cube", "--edge", "8", "--model", "kp",
                  "--resolution", "0.3"), "--resolution")


def test_kp_options_and_core_shells():
    s = CoreShell("CdSe", 3.0, [("CdS", 1.5)])
    out = levels_report(s, model="kp", screening="static")
    assert out["model"] == "kp" and out["screening"] == "static"
    assert out["single_band_hole_in"] == ["CdS-wz"]   # CdS has no Luttinger parameters
    with pytest.raises(QdlabInputError, match="l_max"):
        levels_report(Sphere("CdSe", 4.0), model="kp", l_max=2)
    with pytest.raises(QdlabInputError, match="n_states"):
        levels_report(Sphere("CdSe", 4.0), model="kp", n_states=2)
    with pytest.raises(QdlabInputError, match="screening"):
        levels_report(Sphere("PbS", 4.0), model="kp", screening="static")


def test_kp_profiles_are_normalised():
    p = kp_levels_report(Sphere("CdSe", 4.0), profiles=True)["profiles"]
    r = p["r_nm"]
    for k in ("electron_wavefunction", "hole_wavefunction"):
        assert np.trapezoid(p[k] ** 2 * r ** 2, r) == pytest.approx(1.0, rel=1e-3)


def test_web_model_field():
    from fastapi.testclient import TestClient

    from qdlab.web.app import create_app

    client = TestClient(create_app())
    kp = client.post("/api/levels", json={"material": "CdSe", "diameter": 4, "model": "kp",
                                          "include_profiles": True}).json()
    assert kp["model"] == "kp" and len(kp["profiles"]["r_nm"]) <= 201
    assert kp["alignment"] == "none"
    r = client.post("/api/levels", json={"material": "CdSe", "diameter": 4, "model": "kp",
                                         "l_max": 3})
    assert r.status_code == 422 and "l_max" in r.json()["detail"]
    r = client.post("/api/levels", json={"material": "Si", "diameter": 4, "model": "kp"})
    assert r.status_code == 422 and "no k.p parameters for Si" in r.json()["detail"]
    r = client.post("/api/levels", json={"material": "CsPbBr3", "model": "kp",
                                         "shape": {"kind": "cube", "edge_nm": 8}})
    assert r.status_code == 200 and r.json()["kp_model"] == "perovskite_r_point"


def test_kp_entry_points_refuse_unknown_options():
    from qdlab.electronic.kp.optics import kp_transitions_batch
    from qdlab.electronic.kp.spherical import first_exciton_kp
    from qdlab.materials import get_material

    with pytest.raises(QdlabInputError, match="l_max, screening"):
        kp_transitions_batch([get_material("PbS")], [[2.0]], None, 300.0, screening="static",
                             l_max=2)
    out = kp_transitions_batch([get_material("PbS")], [[2.0]], None, 300.0, n_transitions=3)
    assert out["energy_eV"].shape == (1, 3)
    with pytest.raises(QdlabInputError, match="nonparabolic"):
        first_exciton_kp(Sphere("CdSe", 4.0), nonparabolic=False)
