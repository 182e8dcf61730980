"""Reliability of the REST API: the schema is the contract.

* Property-based (hypothesis): for any request that the pydantic model of an
  endpoint accepts (generated from the model's JSON schema), the endpoint
  answers 2xx or one of the 4xx codes documented for it in ``/openapi.json``,
  with a body of the documented error schema; never 5xx.
* Host check (DNS rebinding), the error schema of 422, 405 ``Allow``, recipe
  validation before a job starts, body size / time limits, and the server's
  time limits for slow clients (a real uvicorn server on a free port).
"""

from __future__ import annotations

import math

import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")
pytest.importorskip("multipart", reason="the web extra (python-multipart) is not installed")

from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from qdlab.materials import list_materials  # noqa: E402
from qdlab.web import create_app  # noqa: E402
from qdlab.web.models import (  # noqa: E402
    ColourRequest,
    LevelsRequest,
    SizeRequest,
    SpectrumRequest,
    SynthRequest,
)

APP = create_app(synth_wall_time_s=2.0)
SCHEMA = APP.openapi()
MATERIALS = sorted(list_materials())


@pytest.fixture(scope="module")
def client():
    with TestClient(APP) as c:
        yield c


# ------------------------------------------------------------------ strategies from the schema
def _number(s: dict, integer: bool):
    lo = s.get("minimum", s.get("exclusiveMinimum"))
    hi = s.get("maximum", s.get("exclusiveMaximum"))
    if integer:
        lo = None if lo is None else math.floor(lo) + ("exclusiveMinimum" in s)
        hi = None if hi is None else math.ceil(hi) - ("exclusiveMaximum" in s)
        return st.integers(lo if lo is not None else -10**6, hi if hi is not None else 10**6)
    # the edges themselves, tiny positive numbers and anything in between
    return st.floats(lo if lo is not None else -1e6, hi if hi is not None else 1e6,
                     exclude_min="exclusiveMinimum" in s, exclude_max="exclusiveMaximum" in s,
                     allow_nan=False, allow_infinity=False,
                     allow_subnormal=lo is None or lo <= 0.0)


def _string(name: str, s: dict):
    if "enum" in s:
        return st.sampled_from(s["enum"])
    if "const" in s:
        return st.just(s["const"])
    if "material" in name.lower():
        known = st.sampled_from(MATERIALS)
        layered = st.lists(known, min_size=2, max_size=3).map("/".join)
        pattern = s.get("pattern")
        anything = st.from_regex(pattern, fullmatch=True).filter(
            lambda x: len(x) <= s.get("maxLength", 64)) if pattern else st.text(max_size=8)
        return st.one_of(known, known, layered, anything) if "/" in (pattern or "") else \
            st.one_of(known, known, known, anything)
    if s.get("pattern"):
        return st.from_regex(s["pattern"], fullmatch=True).filter(
            lambda x: len(x) <= s.get("maxLength", 10**6))
    return st.text(min_size=s.get("minLength", 0), max_size=min(s.get("maxLength", 20), 20))


def from_schema(s: dict, defs: dict, name: str = ""):
    """A hypothesis strategy of JSON values matching (a subset of) JSON schema ``s``."""
    if "$ref" in s:
        return from_schema(defs[s["$ref"].split("/")[-1]], defs, name)
    if "anyOf" in s:
        return st.one_of([from_schema(x, defs, name) for x in s["anyOf"]])
    if "enum" in s or "const" in s:
        return _string(name, s)
    t = s.get("type")
    if t == "null":
        return st.none()
    if t == "boolean":
        return st.booleans()
    if t in ("number", "integer"):
        return _number(s, t == "integer")
    if t == "string":
        return _string(name, s)
    if t == "array":
        return st.lists(from_schema(s["items"], defs, name), min_size=s.get("minItems", 0),
                        max_size=min(s.get("maxItems", 8), 8))
    if t == "object" and "properties" in s:
        required = set(s.get("required", ()))
        fields = {k: from_schema(v, defs, k) for k, v in s["properties"].items()}
        return st.fixed_dictionaries(
            {k: v for k, v in fields.items() if k in required},
            optional={k: v for k, v in fields.items() if k not in required})
    if t == "object" and "patternProperties" in s:
        (pattern, value), = s["patternProperties"].items()
        return st.dictionaries(st.from_regex(pattern, fullmatch=True),
                               from_schema(value, defs, name), max_size=3)
    return st.dictionaries(st.text(max_size=8), st.integers(), max_size=2)   # free object


def valid_requests(model):
    """JSON bodies that ``model`` accepts, generated from its JSON schema."""
    schema = model.model_json_schema()

    def accepted(body):
        try:
            model.model_validate(body)
        except ValidationError:
            return False
        return True

    return from_schema(schema, schema.get("$defs", {})).filter(accepted)


def documented(path: str, method: str) -> set[int]:
    return {int(c) for c in SCHEMA["paths"][path][method]["responses"]}


def check_answer(response, path: str, method: str = "post") -> None:
    codes = documented(path, method)
    assert response.status_code < 500, (response.status_code, response.text[:500])
    assert response.status_code in codes, (
        f"{response.status_code} not documented for {method.upper()} {path} "
        f"({sorted(codes)}): {response.text[:300]}")
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body["detail"], str) and body["detail"].strip()
        if "errors" in body:
            assert all(set(e) == {"loc", "msg", "type"} for e in body["errors"])


def examples(n: int) -> settings:
    return settings(max_examples=n, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


@examples(60)
@given(body=valid_requests(SizeRequest))
def test_size_any_valid_request(client, body):
    check_answer(client.post("/api/size", json=body), "/api/size")


@examples(40)
@given(body=valid_requests(ColourRequest))
def test_colour_any_valid_request(client, body):
    check_answer(client.post("/api/colour", json=body), "/api/colour")


@examples(25)
@given(body=valid_requests(SpectrumRequest))
def test_spectrum_any_valid_request(client, body):
    check_answer(client.post("/api/spectrum", json=body), "/api/spectrum")


@examples(30)
@given(body=valid_requests(LevelsRequest))
def test_levels_any_valid_request(client, body):
    check_answer(client.post("/api/levels", json=body), "/api/levels")
    if body.get("shape"):
        check_answer(client.post("/api/levels/budget", json=body), "/api/levels/budget")


@examples(30)
@given(body=valid_requests(SynthRequest))
def test_synth_any_valid_request(client, body):
    r = client.post("/api/synth", json=body)
    check_answer(r, "/api/synth")
    if r.status_code == 202:
        client.delete(f"/api/synth/{r.json()['id']}")     # do not keep the machine busy
