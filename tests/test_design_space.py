"""qdlab.design.space: lazy expansion, chunking and content-hashed ids."""

from __future__ import annotations

import numpy as np
import pytest

from qdlab.design.space import ParameterSpace, candidate_ids, parse_range, parse_shells
from qdlab.errors import QdlabInputError


def test_range_includes_stop_and_rejects_bad_specs():
    assert parse_range("2:8:0.03", "d")[-1] == 8.0
    assert len(parse_range("2:8:0.03", "d")) == 201
    for bad in ("2:1:0.1", "2:8:0", "a:b:c", "1:2", "-1,2", ""):
        with pytest.raises(QdlabInputError, match="d"):
            parse_range(bad, "d")


def test_expansion_is_the_full_product_in_documented_order():
    sp = ParameterSpace.from_spec("CdSe,InP", "none,ZnS,ZnSe/ZnS", "2:3:0.5", "0.5,1")
    # per core: 3 bare + 3*2 one-shell + 3*4 two-shell = 21
    assert len(sp) == 42
    rows = []
    for c in sp.chunks(5):
        d, t = c.sizes()
        assert c.size == d.size == t.shape[0] and t.shape[1] == len(c.materials) - 1
        rows += [(c.structure, float(x), tuple(y)) for x, y in zip(d, t.tolist(), strict=True)]
    assert len(rows) == len(set(rows)) == 42
    two = [r for r in rows if r[0] == "CdSe/ZnSe/ZnS"]
    assert two[:4] == [("CdSe/ZnSe/ZnS", 2.0, (0.5, 0.5)), ("CdSe/ZnSe/ZnS", 2.0, (0.5, 1.0)),
                       ("CdSe/ZnSe/ZnS", 2.0, (1.0, 0.5)), ("CdSe/ZnSe/ZnS", 2.0, (1.0, 1.0))]


def test_chunks_do_not_depend_on_how_far_the_iteration_went():
    sp = ParameterSpace.from_spec("CdSe", "none,CdS", "2:8:0.03", "0.5:3:0.5")
    a = [c.chunk_id for c in sp.chunks(100)]
    b = [c.chunk_id for c in ParameterSpace.from_spec("CdSe", "none,CdS", "2:8:0.03",
                                                      "0.5:3:0.5").chunks(100)]
    assert a == b and len(set(a)) == len(a) == sp.n_chunks(100)
    # any change of the rows gives other chunk ids
    c = [c.chunk_id for c in ParameterSpace.from_spec("CdSe", "none,CdS", "2:8:0.03",
                                                      "0.5:3:0.5", temperature=77).chunks(100)]
    assert not set(a) & set(c)


def test_candidate_ids_are_content_hashes():
    d = np.array([3.0, 3.0, 4.0])
    t = np.array([[1.0], [1.5], [1.0]])
    ids = candidate_ids("CdSe/ZnS", d, t)
    assert len(set(ids)) == 3
    # the same structure gets the same id in another space / position
    assert candidate_ids("CdSe/ZnS", d[::-1], t[::-1]) == ids[::-1]
    assert candidate_ids("CdSe/CdS", d, t)[0] != ids[0]
    assert candidate_ids("CdSe/ZnS", d, t, temperature=77.0)[0] != ids[0]


def test_radii_and_bad_inputs():
    sp = ParameterSpace(("InP",), (("ZnSe", "ZnS"),), (3.0,), (0.5, 1.0))
    r = next(sp.chunks()).radii()
    assert r.tolist()[1] == [1.5, 2.0, 3.0]
    assert parse_shells("none, ZnS ,ZnSe/ZnS") == ((), ("ZnS",), ("ZnSe", "ZnS"))
    with pytest.raises(QdlabInputError, match="unknown material"):
        ParameterSpace(("Unobtainium",), ((),), (3.0,))
    with pytest.raises(QdlabInputError, match="chunk_size"):
        next(sp.chunks(0))


def test_toml_space(tmp_path):
    f = tmp_path / "space.toml"
    f.write_text('[space]\nmaterials = ["CdSe"]\nshells = ["none", "ZnS"]\n'
                 'core_diameter_nm = "2:4:1"\nshell_thickness_nm = [0.5, 1.0]\n')
    assert len(ParameterSpace.from_toml(f)) == 3 + 6
    f.write_text('[space]\nmaterials = ["CdSe"]\ncore_diameter_nm = "2:4:1"\ncolour = 1\n')
    with pytest.raises(QdlabInputError, match="unknown key 'colour'"):
        ParameterSpace.from_toml(f)
