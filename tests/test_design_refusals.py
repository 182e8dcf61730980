"""Designs and screens refuse what they cannot compute, by name, without tracebacks."""

from __future__ import annotations

import sys

import pytest

from qdlab.design.inverse import design
from qdlab.design.rank import Target
from qdlab.design.space import ParameterSpace
from qdlab.errors import QdlabInputError


def test_stack_without_an_ensemble_spectrum_is_dropped_with_its_reason():
    # CdS has no Kane energy, so `qdlab spectrum` refuses CdS cores: a design must not
    # fail on them (it did, exit 2 for a plain `qdlab design --emission 530`) nor return them
    res = design(Target(emission_nm=450), cores=["CdS", "CdSe"], shells=[()], top=2)
    assert res.candidates and all(c["structure"] == "CdSe" for c in res.candidates)
    assert "Kane" in res.dropped_cores["CdS"]


def test_only_unspectrable_stacks_is_refused():
    with pytest.raises(QdlabInputError, match="ensemble spectrum"):
        design(Target(emission_nm=450), cores=["CdS"], shells=[()], top=1)


def test_query_without_duckdb_names_the_extra(tmp_path, monkeypatch):
    from qdlab.design.query import query

    (tmp_path / "manifest.json").write_text("{}")
    monkeypatch.setitem(sys.modules, "duckdb", None)   # import duckdb -> ImportError
    with pytest.raises(QdlabInputError, match=r"qdlab\[design\]"):
        query(tmp_path, "SELECT 1")


def test_dask_screen_without_distributed_names_the_extra(tmp_path, monkeypatch):
    from qdlab.design.screen import screen

    monkeypatch.setitem(sys.modules, "distributed", None)
    space = ParameterSpace.from_spec("CdSe", "none", "2:3:0.5", "0.5:1:0.5")
    out = tmp_path / "run"
    with pytest.raises(QdlabInputError, match=r"qdlab\[design\]"):
        screen(space, out, engine="dask")
    assert not out.exists()     # nothing written before the refusal
