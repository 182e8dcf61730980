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
import time

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


# ------------------------------------------------------------------ regression tests (issue 10)
@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000",
                                  "testserver"])
def test_local_host_names_are_answered(client, host):
    assert client.get("/api/health", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example.com", "evil.example.com:8000", "192.168.1.10",
                                  "localhost.evil.example.com", "0.0.0.0:8000"])
def test_other_host_names_get_400_json(client, host):
    """DNS rebinding: a page on evil.example.com resolving to 127.0.0.1 sends its own Host."""
    r = client.get("/api/health", headers={"Host": host})
    assert r.status_code == 400
    assert "not allowed" in r.json()["detail"] and "--allowed-host" in r.json()["detail"]
    assert r.headers["x-content-type-options"] == "nosniff"
    r = client.post("/api/size", json={"material": "CdSe", "peak_nm": 560},
                    headers={"Host": host})
    assert r.status_code == 400


def test_allowed_hosts_from_option_and_environment(monkeypatch):
    monkeypatch.setenv("QDLAB_ALLOWED_HOSTS", "lab.example.org, ::2")
    app = create_app(allowed_host_names=["qd.local"])
    with TestClient(app) as c:
        for host in ("lab.example.org", "[::2]:8000", "qd.local:8000", "localhost"):
            assert c.get("/api/health", headers={"Host": host}).status_code == 200, host
        assert c.get("/api/health", headers={"Host": "other.example.org"}).status_code == 400


def test_422_body_matches_the_documented_schema(client):
    """The OpenAPI 422 schema is ErrorResponse: detail (string) + errors ({loc, msg, type})."""
    doc = SCHEMA["paths"]["/api/size"]["post"]["responses"]["422"]
    assert doc["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    props = SCHEMA["components"]["schemas"]["ErrorResponse"]["properties"]
    assert props["detail"]["type"] == "string"
    assert "HTTPValidationError" not in SCHEMA["components"]["schemas"]
    r = client.post("/api/size", json={"material": "CdSe", "peak_nm": -1})
    body = r.json()
    assert r.status_code == 422 and isinstance(body["detail"], str)
    assert body["errors"][0]["loc"] == ["body", "peak_nm"]
    assert set(body["errors"][0]) == {"loc", "msg", "type"}
    r = client.post("/api/size", json={"material": "CdSe", "peak_nm": 1000})   # library's 422
    detail = r.json()["detail"]
    assert r.status_code == 422 and ("peak" in detail or "diameter" in detail)
    assert "errors" not in r.json()


@pytest.mark.parametrize("body, field", [
    ({"material": "CdSe", "peak_nm": 5e-324}, "peak_nm"),
    ({"material": "CdSe", "diameter": 5e-324}, "diameter"),
    ({"material": "CdSe", "shape": {"kind": "cube", "edge_nm": 1e-300}}, "edge_nm"),
])
def test_subnormal_sizes_are_outside_the_schema(client, body, field):
    """Values the library cannot use are refused by the schema itself (422 naming the field)."""
    path = "/api/size" if "peak_nm" in body else "/api/levels"
    r = client.post(path, json=body)
    assert r.status_code == 422 and field in r.json()["detail"]
    assert r.json()["errors"], "a schema error, not a library error"


def test_size_schema_bounds_are_accepted_for_some_material(client):
    """The edges of peak_nm's schema range are inside some material's sizing range."""
    prop = SizeRequest.model_json_schema()["properties"]["peak_nm"]
    # (a CdTe peak at the 5000 nm maximum used to pass through an extrapolated curve; it
    # is redder than the CdTe band gap and now refused: InSb's model reaches it)
    for peak, material in ((prop["minimum"], "CdS"), (prop["maximum"], "InSb")):
        r = client.post("/api/size", json={"material": material, "peak_nm": peak})
        assert r.status_code == 200, r.text


def test_every_error_code_is_documented_for_synth():
    responses = SCHEMA["paths"]["/api/synth"]["post"]["responses"]
    assert {"400", "413", "422", "429"} <= set(responses)
    for code in ("400", "413", "422", "429"):
        assert responses[code]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/ErrorResponse")


def test_malformed_body_400_or_422_is_documented(client):
    r = client.post("/api/synth", content=b"\xff\xfe{", headers={"content-type":
                                                                  "application/json"})
    check_answer(r, "/api/synth")


@pytest.mark.parametrize("method", ["OPTIONS", "PUT", "PATCH"])
def test_405_allow_lists_every_method_of_the_path(client, method):
    r = client.request(method, "/api/synth/abc")
    assert r.status_code == 405
    assert set(r.headers["allow"].replace(" ", "").split(",")) == {"GET", "DELETE"}
    assert "DELETE" in r.json()["detail"]


@pytest.mark.parametrize("body, fragment", [
    ({"example": "cdse", "overrides": {"material": "Unobtainium"}}, "Unobtainium"),
    ({"example": "cdse", "overrides": {"nucleation__model": "magic"}}, "nucleation.model"),
])
def test_synth_recipe_validated_before_the_job(client, body, fragment):
    r = client.post("/api/synth", json=body)
    assert r.status_code == 422, r.text
    assert fragment in r.json()["detail"]


def test_body_timeout_408():
    import asyncio

    from qdlab.web.middleware import BodyLimit

    sent = []

    async def app(scope, receive, send):
        while (await receive()).get("more_body"):
            pass
        raise AssertionError("the app must not get a body that never ends")

    async def receive():   # one chunk, then the client stalls
        if not sent and not getattr(receive, "done", False):
            receive.done = True
            return {"type": "http.request", "body": b"x", "more_body": True}
        await asyncio.sleep(60)

    async def send(msg):
        sent.append(msg)

    asyncio.run(BodyLimit(app, 1000, timeout_s=0.2)({"type": "http", "headers": []},
                                                     receive, send))
    assert sent[0]["status"] == 408
    assert b"not received within 0.2 s" in sent[1]["body"]


def test_upload_over_limit_413_is_documented(client):
    from qdlab.web.models import LIMITS

    big = b"x" * (LIMITS["upload_max_bytes"] + 1)
    r = client.post("/api/fit", files={"file": ("a.csv", big)})
    check_answer(r, "/api/fit")
    assert r.status_code == 413


# ------------------------------------------------------------------ a real server: slow clients
def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_server():
    """uvicorn with the options of ``qdlab serve`` and a short (0.5 s) request-head timeout."""
    import threading
    import time

    import uvicorn

    from qdlab.web.server import uvicorn_options

    port = _free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="error",
                            **uvicorn_options({"header_timeout_s": 0.5,
                                               "timeout_keep_alive_s": 1}))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    t0 = time.monotonic()
    while not server.started and time.monotonic() - t0 < 30:
        time.sleep(0.05)
    assert server.started
    yield port
    server.should_exit = True
    thread.join(10)


def _recv_all(sock) -> bytes:
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def test_slow_request_head_is_closed(live_server):
    """A client that never finishes its headers is disconnected (not kept forever)."""
    import socket

    with socket.create_connection(("127.0.0.1", live_server), timeout=20) as s:
        s.sendall(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n")   # no final CRLF
        assert _recv_all(s) == b""        # closed by the server, well before the 20 s timeout


def test_live_server_answers_and_checks_host(live_server):
    import socket

    for host, status in ((b"localhost", b"200"), (b"evil.example.com", b"400")):
        with socket.create_connection(("127.0.0.1", live_server), timeout=20) as s:
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: " + host +
                      b"\r\nConnection: close\r\n\r\n")
            assert _recv_all(s).split(b" ")[1] == status


# ------------------------------------------------------------------ schemathesis: conformance
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

# (GET /api/validate takes no input and is slow: tests/test_web_api.py checks it; the
# 3D shape solves of /api/levels are bounded by the grid budget)
# (the boundary-value "coverage" phase would add dozens of cases per operation: the
# hypothesis tests above cover the boundaries of the request models)
ST_SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP).exclude(path="/api/validate")
ST_SCHEMA.config.phases.coverage.enabled = False


@ST_SCHEMA.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    """Generated requests (valid and not): no 5xx, every status code documented, every
    body (errors included) of the documented schema and content type."""
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                             content_type_conformance,
                                             response_schema_conformance])


# ------------------------------------------------------------------ issue 11: one peak definition
def test_synthesis_peak_is_the_library_definition(client):
    """The web's snapshot peaks are the library's first_exciton_peak_during_synthesis,
    which equals the first-exciton peak of the spectra over time (one definition)."""
    import numpy as np

    from qdlab.optics.evolution import first_exciton_peak_during_synthesis, spectra_over_time
    from qdlab.synthesis import example_recipe, run_recipe

    traj = run_recipe(example_recipe("cdse").with_updates(duration_s=60.0))
    peak = first_exciton_peak_during_synthesis(traj)
    assert peak.shape == traj.snapshot_time_s.shape
    spectra = spectra_over_time(traj)
    at = np.searchsorted(traj.snapshot_time_s, spectra["time_s"])
    assert np.array_equal(peak[at], spectra["first_peak_nm"])
    assert np.isnan(np.delete(peak, at)).all()       # before nucleation: no peak
    assert np.all(np.diff(peak[at]) > -1.0)          # the dots grow: the peak moves red

    r = client.post("/api/synth", json={"example": "cdse", "duration_s": 60})
    job = r.json()
    for _ in range(600):
        job = client.get(f"/api/synth/{job['id']}").json()
        if job["status"] not in ("queued", "running"):
            break
        time.sleep(0.1)
    assert job["status"] == "done", job
    web = np.array([np.nan if x is None else x
                    for x in job["result"]["snapshots"]["first_exciton_nm"]])
    assert np.allclose(web, peak, rtol=0, atol=1e-9, equal_nan=True)
