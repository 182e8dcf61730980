"""REST API of qdlab.design: POST /api/design, POST /api/screen + poll."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("duckdb")
from fastapi.testclient import TestClient  # noqa: E402

from qdlab.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def test_design_endpoint(client):
    r = client.post("/api/design", json={"emission_nm": 620, "cores": ["CdSe"],
                                         "shells": ["none", "ZnS"], "top": 2})
    assert r.status_code == 200, r.text
    body = r.json()
    best = body["candidates"][0]
    assert best["structure"].startswith("CdSe") and abs(best["pl_peak_nm"] - 620) < 10
    assert body["pareto_front"]


@pytest.mark.parametrize("payload,code", [
    ({"emission_nm": 620, "absorption_nm": 500}, 422),
    ({"emission_nm": 620, "cores": ["Nope"]}, 422),
    ({"emission_nm": 530, "cores": ["CdSe"], "rohs": True}, 422),
    ({"emission_nm": 620, "top": 99}, 422),
])
def test_design_endpoint_refuses_bad_input(client, payload, code):
    r = client.post("/api/design", json=payload)
    assert r.status_code == code and r.json()["detail"]


def test_screen_job_runs_and_polls(client, tmp_path, monkeypatch):
    monkeypatch.setenv("QDLAB_SCREEN_ROOT", str(tmp_path))
    r = client.post("/api/screen", json={"materials": ["CdSe"], "shells": ["none", "ZnS"],
                                         "core_diameter_nm": "2:6:0.5",
                                         "shell_thickness_nm": "0.5,1", "chunk_size": 100,
                                         "emission_nm": 600})
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    for _ in range(600):
        s = client.get(f"/api/screen/{job}").json()
        if s["status"] not in ("queued", "running"):
            break
        time.sleep(0.1)
    assert s["status"] == "done", s
    assert s["result"]["summary"]["candidates"] == 9 + 18 == s["result"]["summary"]["rows"]
    best = s["result"]["best"]
    i = best["columns"].index("pl_peak_nm")
    errs = [abs(row[i] - 600) for row in best["rows"]]
    assert errs == sorted(errs)
    assert client.get("/api/screen/nosuchjob").status_code == 404


def _wait(client, job):
    for _ in range(1200):
        s = client.get(f"/api/screen/{job}").json()
        if s["status"] not in ("queued", "running"):
            return s
        time.sleep(0.1)
    raise AssertionError(f"screen job still running: {s}")


def test_finished_screen_leaves_no_directory(client, tmp_path, monkeypatch):
    """The Parquet dataset is scratch: the result holds the summary and rows, no files stay."""
    monkeypatch.setenv("QDLAB_SCREEN_ROOT", str(tmp_path))
    r = client.post("/api/screen", json={"materials": ["CdSe"], "shells": ["none"],
                                         "core_diameter_nm": "3,4,5", "emission_nm": 610})
    assert r.status_code == 202, r.text
    s = _wait(client, r.json()["id"])
    assert s["status"] == "done", s
    assert s["result"]["summary"]["candidates"] == 3 == len(s["result"]["best"]["rows"])
    assert list(tmp_path.iterdir()) == []


def test_cancelled_screen_leaves_no_directory(client, tmp_path, monkeypatch):
    monkeypatch.setenv("QDLAB_SCREEN_ROOT", str(tmp_path))
    r = client.post("/api/screen", json={"materials": ["CdSe"], "shells": ["none", "ZnS"],
                                         "core_diameter_nm": "2:8:0.01",
                                         "shell_thickness_nm": "0.5:2:0.5", "chunk_size": 100})
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    c = client.delete(f"/api/screen/{job}")
    assert c.status_code == 200 and c.json()["id"] == job
    s = _wait(client, job)
    # cancelled mid-way, or (on a fast machine) done before the cancel: no files either way
    assert s["status"] in ("cancelled", "done"), s
    assert list(tmp_path.iterdir()) == []


def test_screen_budget(client):
    r = client.post("/api/screen", json={"materials": ["CdSe", "InP"],
                                         "shells": ["ZnSe/ZnS"],
                                         "core_diameter_nm": "1:10:0.001",
                                         "shell_thickness_nm": "0.3:3:0.1"})
    assert r.status_code == 413 and "budget" in r.json()["detail"]
