"""qdlab screen / query: Parquet dataset, one row per candidate, resumable after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytest.importorskip("duckdb")
pq = pytest.importorskip("pyarrow.parquet")

from qdlab.design.query import query  # noqa: E402
from qdlab.design.screen import screen  # noqa: E402
from qdlab.design.space import ParameterSpace  # noqa: E402
from qdlab.errors import QdlabInputError  # noqa: E402

SRC = str(Path(__file__).resolve().parents[1] / "src")
SPACE_ARGS = ["--materials", "CdSe,InP", "--shells", "none,ZnS,CdS", "--core-diameter",
              "2:8:0.5", "--shell-thickness", "0.5:3:0.5"]


def _space():
    return ParameterSpace.from_spec("CdSe,InP", "none,ZnS,CdS", "2:8:0.5", "0.5:3:0.5")


def _cli(args, env=None, **kw):
    e = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "qdlab.cli.main", *args], env=e,
                          capture_output=True, text=True, timeout=600, **kw)


def _ids(out_dir):
    res = query(out_dir, "SELECT candidate_id FROM candidates")
    return [r[0] for r in res["rows"]]


@pytest.mark.parametrize("engine", ["local", "threads"])
def test_screen_writes_one_row_per_candidate(tmp_path, engine):
    sp = _space()
    res = screen(sp, tmp_path / "s", engine=engine, workers=2, chunk_size=60)
    assert res["complete"] and res["candidates"] == len(sp) == res["rows"] == 338
    ids = _ids(tmp_path / "s")
    assert len(ids) == len(set(ids)) == len(sp)
    files = sorted((tmp_path / "s" / "data").glob("part-*.parquet"))
    assert len(files) == sp.n_chunks(60)
    assert sum(pq.read_metadata(f).num_rows for f in files) == len(sp)
    # every chunk again: nothing recomputed, nothing added
    again = screen(sp, tmp_path / "s", engine=engine, workers=2, chunk_size=60)
    assert again["computed_chunks"] == 0 and again["rows"] == len(sp)
    assert len(_ids(tmp_path / "s")) == len(sp)


def test_query_filters_and_aggregates(tmp_path):
    screen(_space(), tmp_path / "s", engine="local", chunk_size=200)
    res = query(tmp_path / "s", "SELECT structure, count(*) AS n FROM candidates "
                                "GROUP BY structure ORDER BY structure")
    assert res["columns"] == ["structure", "n"]
    assert dict(res["rows"]) == {"CdSe": 13, "CdSe/CdS": 78, "CdSe/ZnS": 78, "InP": 13,
                                 "InP/CdS": 78, "InP/ZnS": 78}
    green = query(tmp_path / "s", "SELECT count(*) FROM candidates WHERE rohs_compliant "
                                  "AND pl_peak_nm BETWEEN 520 AND 540")
    assert green["rows"][0][0] > 0
    cd = query(tmp_path / "s", "SELECT count(*) FROM candidates WHERE rohs_compliant "
                               "AND (structure LIKE '%Cd%')")
    assert cd["rows"][0][0] == 0
    with pytest.raises(QdlabInputError, match="SQL error"):
        query(tmp_path / "s", "SELECT no_such_column FROM candidates")
    with pytest.raises(QdlabInputError, match="not a qdlab screen"):
        query(tmp_path, "SELECT 1")


def test_other_space_in_the_same_directory_is_refused(tmp_path):
    screen(_space(), tmp_path / "s", engine="local", chunk_size=500)
    other = ParameterSpace.from_spec("CdSe", "none", "2:8:0.5")
    with pytest.raises(QdlabInputError, match="different screen"):
        screen(other, tmp_path / "s", engine="local")


def test_killed_run_resumes_without_lost_or_duplicated_rows(tmp_path):
    """A real kill (SIGKILL of the CLI process) mid-way, then a rerun."""
    out = tmp_path / "s"
    args = ["screen", *SPACE_ARGS, "--out", str(out), "--chunk-size", "20", "--engine",
            "local", "--json"]
    e = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""),
             QDLAB_SCREEN_CHUNK_DELAY_S="0.4")
    proc = subprocess.Popen([sys.executable, "-m", "qdlab.cli.main", *args], env=e,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    n_chunks = _space().n_chunks(20)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            done = list((out / "done").glob("*.json")) if (out / "done").exists() else []
            if len(done) >= 4:
                break
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    before = len(list((out / "done").glob("*.json")))
    assert 4 <= before < n_chunks
    partial = _ids(out)
    assert len(partial) == len(set(partial)) == sum(
        pq.read_metadata(f).num_rows for f in (out / "data").glob("part-*.parquet"))
    r = _cli(args)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["skipped_chunks"] == before
    assert summary["computed_chunks"] == n_chunks - before
    assert summary["complete"] and summary["rows"] == summary["candidates"] == 338
    ids = _ids(out)
    assert len(ids) == len(set(ids)) == 338
    assert set(partial) <= set(ids)
    assert not [p for p in (out / "data").iterdir() if p.name.endswith(".tmp")]


def test_real_local_cluster(tmp_path):
    """The default engine: a distributed LocalCluster of 2 worker processes."""
    r = _cli(["screen", *SPACE_ARGS, "--out", str(tmp_path / "s"), "--workers", "2",
              "--chunk-size", "100", "--json"])
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["engine"] == "dask" and s["workers"] == 2 and s["candidates"] == 338
    assert s["rows"] == 338 and s["complete"]
    assert len(set(_ids(tmp_path / "s"))) == 338


def test_screen_toml_and_query_cli(tmp_path):
    cfg = tmp_path / "space.toml"
    cfg.write_text('[space]\nmaterials = ["CdSe"]\nshells = ["none", "ZnS"]\n'
                   'core_diameter_nm = "3:4:0.5"\nshell_thickness_nm = [1.0]\n')
    r = _cli(["screen", str(cfg), "--out", str(tmp_path / "s"), "--engine", "local",
              "--json"])
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["candidates"] == 6
    q = _cli(["query", str(tmp_path / "s"), "SELECT count(*) AS n FROM candidates", "--json"])
    assert q.returncode == 0 and json.loads(q.stdout)["rows"] == [[6]]


@pytest.mark.parametrize("args,needle", [
    (["screen", "--materials", "CdSe", "--core-diameter", "8:2:0.5", "--out", "{d}"],
     "core_diameter range"),
    (["screen", "--materials", "Nope", "--core-diameter", "2:3:0.5", "--out", "{d}"],
     "unknown material"),
    (["screen", "--materials", "CdSe", "--core-diameter", "2:3:0.5"], "--out"),
    (["screen", "--materials", "CdSe", "--core-diameter", "2:3:0.5", "--out", "{d}",
      "--engine", "spark"], "engine"),
    (["screen", "--materials", "CdSe", "--core-diameter", "2:3:0.5", "--out", "{d}",
      "--scheduler", "tcp://127.0.0.1:1"], "scheduler"),
    (["query", "{d}", "SELECT 1"], "not a qdlab screen"),
    (["design", "--emission", "530", "--absorption", "500"], "exactly one target"),
    (["design", "--emission", "10"], "emission_nm"),
    (["design", "--emission", "530", "--cores", "CdSe", "--rohs"], "no material stack"),
    (["design", "--emission", "530", "--cores", "PbS"], "no core material reaches"),
])
def test_cli_errors_are_one_line_exit_2(tmp_path, args, needle):
    r = _cli([a.replace("{d}", str(tmp_path / "x")) for a in args])
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], r.stderr
    assert "Traceback" not in r.stderr


def test_cli_start_up_imports_no_dask_or_duckdb():
    code = ("import sys\nfrom qdlab.cli.main import main, app\nimport qdlab.design\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('dask', 'distributed', 'duckdb')]\nprint(bad)")
    e = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code], env=e, capture_output=True, text=True,
                         timeout=300, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
