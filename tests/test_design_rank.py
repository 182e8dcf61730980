"""qdlab.design ranking, constraints, Pareto front and `qdlab design`."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from qdlab.design.inverse import design
from qdlab.design.rank import Target, constraint_mask, pareto_front
from qdlab.errors import QdlabInputError


def _brute_front(p):
    out = []
    for i, x in enumerate(p):
        dominated = any(np.all(y <= x) and np.any(y < x) for j, y in enumerate(p) if j != i)
        if not dominated:
            out.append(i)
    return out


def test_pareto_front_matches_brute_force():
    rng = np.random.default_rng(0)
    for k in (2, 3, 4):
        p = rng.integers(0, 6, size=(150, k)).astype(float)   # with ties and duplicates
        front = pareto_front(p).tolist()
        brute = _brute_front(p)
        # duplicates of a front point: the front keeps one of them
        assert set(front) <= set(brute)
        assert {tuple(p[i]) for i in front} == {tuple(p[i]) for i in brute}
    p = rng.random((50, 2))
    p[3, 0] = np.nan
    assert 3 not in pareto_front(p)


def test_constraints():
    cols = {"valid": [True, True, True, False], "rohs_compliant": [True, False, True, True],
            "heavy_metals": [False, True, False, False], "fwhm_nm": [25.0, 20.0, 40.0, 20.0],
            "alignment": ["type I", "type I", "quasi-type II", "type I"],
            "overlap": [0.9, 0.95, 0.6, 0.9], "max_mismatch_pct": [3.0, 10.0, 1.0, 3.0],
            "shell_monolayers": [3.0, 4.0, 1.0, 3.0], "pl_peak_nm": [530.0, 531.0, 529.0, 530.0],
            "first_exciton_nm": [510.0, 511.0, 509.0, 510.0]}
    assert constraint_mask(cols, Target(emission_nm=530)).tolist() == [True, True, True, False]
    assert constraint_mask(cols, Target(emission_nm=530, rohs=True)).tolist() == \
        [True, False, True, False]
    t = Target(emission_nm=530, max_fwhm_nm=30, alignment=("type I",), min_overlap=0.8,
               max_mismatch_pct=5, min_shell_monolayers=2)
    assert constraint_mask(cols, t).tolist() == [True, False, False, False]
    with pytest.raises(QdlabInputError, match="exactly one target"):
        Target()
    with pytest.raises(QdlabInputError, match="alignment"):
        Target(emission_nm=530, alignment=("type III",))


@pytest.fixture(scope="module")
def green():
    return design(Target(emission_nm=530, rohs=True), cores=["InP", "ZnSe", "CdSe", "ZnTe"],
                  shells=[(), ("ZnS",), ("ZnSe",), ("ZnSe", "ZnS"), ("CdS",)], top=3)


def test_rohs_design_excludes_cd_pb_hg(green):
    assert green.candidates
    for c in green.candidates + green.pareto:
        for el in ("Cd", "Pb", "Hg"):
            assert el not in c["structure"].replace("Cs", "")
        assert "RoHS-compliant" in c["flags"]
    assert all("Cd" not in s for s in green.stacks)


def test_design_is_ranked_and_on_target(green):
    scores = [c["score"] for c in green.candidates]
    assert scores == sorted(scores)
    best = green.candidates[0]
    assert abs(best["pl_peak_nm"] - 530) <= best["uncertainty_nm"]
    keys = [(c["structure"], tuple(s["monolayers"] for s in c["shells"]))
            for c in green.candidates]
    assert len(keys) == len(set(keys))     # distinct structures


def test_best_design_agrees_with_levels_and_the_ensemble_spectrum(green, capsys):
    from qdlab.cli.main import main
    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    best = green.candidates[0]
    args = ["levels", best["structure"]]
    if best["shells"]:
        args += ["--core-diameter", str(best["core_diameter_nm"])]
        for s in best["shells"]:
            args += ["--shell", str(s["thickness_nm"])]
    else:
        args += ["--diameter", str(best["core_diameter_nm"])]
    assert main([*args, "--json"]) == 0
    lv = json.loads(capsys.readouterr().out)
    assert best["first_exciton_nm"] == pytest.approx(lv["first_exciton_nm"], rel=1e-9)
    mats = best["structure"].split("/")
    ens = Ensemble(mats[0], SizeDistribution.normal(best["core_diameter_nm"], 5.0),
                   shells=[(s["material"], s["thickness_nm"]) for s in best["shells"]])
    assert best["pl_peak_nm"] == pytest.approx(ens.emission_peak_nm(), abs=1e-9)
    assert best["absorption_peak_nm"] == pytest.approx(ens.first_peak_nm(), abs=1e-9)


def test_bare_core_design_agrees_with_qdlab_spectrum(capsys):
    from qdlab.cli.main import main

    res = design(Target(emission_nm=620), cores=["CdSe"], shells=[()], top=1)
    best = res.candidates[0]
    assert best["structure"] == "CdSe"
    assert main(["spectrum", "CdSe", "--diameter", str(best["core_diameter_nm"]),
                 "--dispersion", "5", "--json"]) == 0
    sp = json.loads(capsys.readouterr().out)
    assert best["pl_peak_nm"] == pytest.approx(sp["pl_peak_nm"], abs=1e-9)
    assert best["absorption_peak_nm"] == pytest.approx(sp["first_peak_nm"], abs=1e-9)
    assert best["fwhm_nm"] == pytest.approx(sp["pl_fwhm_nm"], abs=1e-9)
    assert abs(best["pl_peak_nm"] - 620) < 3.0


def test_pareto_front_is_not_dominated(green):
    obj = np.array([[abs(c["screen_pl_peak_nm"] - 530), c["screen_fwhm_nm"],
                     c["max_mismatch_pct"] or 0.0, 1 - c["overlap"]] for c in green.pareto])
    for a, b in itertools.permutations(range(len(obj)), 2):
        assert not (np.all(obj[a] <= obj[b]) and np.any(obj[a] < obj[b]))


def test_constraints_are_honoured_by_design():
    res = design(Target(emission_nm=600, alignment=("type I",), max_fwhm_nm=35,
                        min_shell_monolayers=3, max_mismatch_pct=5.0),
                 cores=["CdSe"], shells=[("ZnS",), ("CdS",), ("CdS", "ZnS")], top=3,
                 refine=False)
    for c in res.candidates + res.pareto:
        assert c["alignment"] == "type I" and c["screen_fwhm_nm"] <= 35
        assert c["shell_monolayers"] >= 3 - 1e-9 and c["max_mismatch_pct"] <= 5.0
    assert "CdSe/ZnS" not in res.stacks      # 11 % mismatch


def test_design_cli_json(capsys):
    from qdlab.cli.main import main

    assert main(["design", "--emission", "640", "--cores", "CdSe", "--shells", "none,ZnS",
                 "--top", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    c = out["candidates"][0]
    for key in ("structure", "core_diameter_nm", "shells", "pl_peak_nm", "absorption_peak_nm",
                "fwhm_nm", "overlap", "alignment", "lattice_mismatch_pct", "flags",
                "uncertainty_nm", "recipe_hint"):
        assert key in c
    assert c["recipe_hint"]["recipe"].startswith("cdse")
    assert out["pareto_front"]


def test_kp_cores_are_designed_bare():
    """Lead salts and perovskites: the ensemble (k.p) optics is for bare cores only."""
    res = design(Target(absorption_nm=1379), cores=["PbS"], top=2, refine=False)
    assert res.stacks == ["PbS"]
    assert all(c["structure"] == "PbS" for c in res.candidates)


def test_newton_step_keeps_the_reported_numbers_those_of_the_returned_size():
    """CsPbBr3: the ensemble (k.p) peak differs from the screening one; after the step the
    returned diameter, first exciton and ensemble peaks still belong together."""
    from qdlab.optics.ensemble import Ensemble, SizeDistribution
    from qdlab.structures import Sphere

    best = design(Target(emission_nm=515), cores=["CsPbBr3"], shells=[()], top=1).candidates[0]
    d = best["core_diameter_nm"]
    ens = Ensemble("CsPbBr3", SizeDistribution.normal(d, 5.0))
    assert best["pl_peak_nm"] == pytest.approx(ens.emission_peak_nm(), abs=1e-9)
    from qdlab.electronic.sphere import solve_sphere

    assert best["first_exciton_nm"] == pytest.approx(solve_sphere(Sphere("CsPbBr3", d))
                                                     .first_exciton_nm, rel=1e-9)
    assert abs(best["error_nm"]) <= best["uncertainty_nm"]
