"""``qdlab levels --multiexcitons`` and the API levels option ``multiexcitons``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from qdlab.cli.main import app
from qdlab.electronic.multiexcitons import LEVELS_JSON_KEYS, multiexciton_properties
from qdlab.structures import parse_layers

runner = CliRunner()

#: The fields issue 14 names for ``qdlab levels ... --multiexcitons --json``.
ISSUE_KEYS = ("biexciton_binding_meV", "positive_trion_binding_meV",
              "negative_trion_binding_meV", "exciton_radiative_lifetime_ns",
              "biexciton_auger_lifetime_ns", "biexciton_lifetime_ns")


def _levels(*args):
    return runner.invoke(app, ["levels", *args])


def test_cli_json_has_the_issue_fields_and_matches_the_library():
    r = _levels("CdSe/CdS", "--core-diameter", "3", "--shell", "2", "--multiexcitons", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert set(ISSUE_KEYS) <= set(d) and set(LEVELS_JSON_KEYS) <= set(d)
    ref = multiexciton_properties(parse_layers("CdSe/CdS", 3.0, [2.0])).to_dict()
    for k in LEVELS_JSON_KEYS:
        assert d[k] == pytest.approx(ref[k], rel=1e-12), k
    assert d["multiexcitons"]["structure"] == "CdSe/CdS"
    assert d["first_exciton_eV"] > 0                       # the levels are still there


def test_cli_without_the_flag_is_unchanged():
    d = json.loads(_levels("CdSe", "--diameter", "4", "--json").output)
    assert not set(ISSUE_KEYS) & set(d) and "multiexcitons" not in d


def test_cli_options_reach_the_library():
    r = _levels("CdSe", "--diameter", "4", "--multiexcitons", "--json",
                "--nonradiative-lifetime", "10", "--auger-beta", "2", "--auger-suppression", "3")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    ref = multiexciton_properties(parse_layers("CdSe", 4.0, []),
                                  exciton_nonradiative_lifetime_ns=10.0, auger_beta_ps_nm3=2.0,
                                  auger_suppression=3.0)
    assert d["exciton_qy"] == pytest.approx(ref.exciton_qy) and d["exciton_qy"] < 1
    assert d["biexciton_auger_lifetime_ns"] == pytest.approx(ref.biexciton_auger_lifetime_ns)


def test_cli_human_table():
    r = _levels("CdTe/CdSe", "--core-diameter", "4", "--shell", "1.5", "--multiexcitons")
    assert r.exit_code == 0, r.output
    assert "Multiexcitons" in r.output and "XX" in r.output and "X-" in r.output


@pytest.mark.parametrize("args, fragment", [
    (("CdSe", "--shape", "rod", "--diameter", "4", "--length", "10", "--multiexcitons"),
     "--multiexcitons does not apply to --shape rod"),
    (("CdSe", "--diameter", "4", "--solver", "grid", "--multiexcitons"), "radial solver"),
    (("CdSe", "--diameter", "4", "--auger-beta", "2"), "add --multiexcitons"),
    (("CdSe", "--diameter", "4", "--multiexcitons", "--auger-suppression", "0.5"),
     "auger_suppression"),
    (("CdSe", "--diameter", "4", "--multiexcitons", "--nonradiative-lifetime", "-1"),
     "nonradiative_lifetime"),
    (("PbS", "--diameter", "4", "--multiexcitons"), "no exciton radiative rate"),
])
def test_cli_refusals_exit_2_with_one_error_line(args, fragment):
    r = _levels(*args)
    assert r.exit_code == 2
    assert fragment in r.output
    assert "Traceback" not in r.output


# ----------------------------------------------------------------------- API

fastapi = pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")


@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    from qdlab.web import create_app

    with TestClient(create_app()) as c:
        yield c


def test_api_levels_multiexcitons_same_as_cli(client):
    r = client.post("/api/levels", json={"material": "CdSe/CdS", "core_diameter": 3,
                                         "shells": [2.0], "multiexcitons": True})
    assert r.status_code == 200, r.text
    d = r.json()
    cli = json.loads(_levels("CdSe/CdS", "--core-diameter", "3", "--shell", "2",
                             "--multiexcitons", "--json").output)
    for k in ISSUE_KEYS:
        assert d[k] == pytest.approx(cli[k], rel=1e-12), k
    plain = client.post("/api/levels", json={"material": "CdSe", "diameter": 4}).json()
    assert "multiexcitons" not in plain


@pytest.mark.parametrize("body, fragment", [
    ({"material": "CdSe", "diameter": 4, "auger_beta_ps_nm3": 2.0}, "set multiexcitons true"),
    ({"material": "CdSe", "diameter": 4, "multiexcitons": True, "auger_suppression": 0.5},
     "auger_suppression"),
    ({"material": "CdSe", "multiexcitons": True,
      "shape": {"kind": "cube", "edge_nm": 4.0}}, "sphere or core/shell"),
    ({"material": "PbS", "diameter": 4, "multiexcitons": True}, "no exciton radiative rate"),
])
def test_api_refusals_4xx(client, body, fragment):
    r = client.post("/api/levels", json=body)
    assert 400 <= r.status_code < 500
    assert fragment in r.json()["detail"]
