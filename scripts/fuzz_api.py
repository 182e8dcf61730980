"""Fuzz the REST API against its contract (issue 10).

Two sources of requests, both in process (``fastapi.testclient.TestClient``, no server):

* schemathesis (if installed) generates requests for every operation of
  ``/openapi.json``, schema-conforming ("positive") and schema-violating ("negative");
* malformed spectrum files (the generator of ``scripts/fuzz_readers.py``) uploaded to
  ``POST /api/fit`` with random materials, optical paths and column names.

The contract checked for every answer:

* no 5xx (501 "not available" with a message is allowed for a part this version lacks);
* the status code and the body are the ones documented for the operation (schemathesis
  ``status_code_conformance``, ``content_type_conformance``, ``response_schema_conformance``);
* a 4xx body is ``{"detail": "<non-empty message>", ...}`` (schema ``ErrorResponse``);
* a 2xx JSON body has no ``null`` where a number with a unit is promised without a
  ``*_reason`` and no absurd number (negative concentration or wavelength, purity > 1):
  the same rules as ``scripts/fuzz_cli.py``.

Prints one line per finding class and a final summary line, and exits 1 if any
contract was broken.

Usage::

    PYTHONPATH=src python scripts/fuzz_api.py              # 60 examples per operation and mode
    PYTHONPATH=src python scripts/fuzz_api.py -n 10 --uploads 40
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def body_findings(status: int, body) -> list[tuple[str, str]]:
    """Contract breaks in one answer (status code and parsed JSON body)."""
    cli = sys.modules.get("fuzz_cli") or _load("fuzz_cli")
    out = []
    if status >= 500 and status != 501:
        out.append(("server_error", f"{status}: {str(body)[:160]}"))
    elif 400 <= status < 500 or status == 501:
        if not (isinstance(body, dict) and isinstance(body.get("detail"), str)
                and body["detail"].strip()):
            out.append(("error_body", f"{status} without a 'detail' message: {str(body)[:160]}"))
    elif 200 <= status < 300 and isinstance(body, (dict, list)):
        nulls = list(cli._walk_nulls(body))
        if nulls:
            out.append(("null_number", ", ".join(nulls[:4])))
        absurd = list(cli._walk_absurd(body))
        if absurd:
            out.append(("absurd_number", ", ".join(absurd[:4])))
    return out


def fuzz_schemathesis(app, n: int, findings: Counter, examples: dict) -> int:
    """Every operation of the schema, positive and negative; returns the number of calls."""
    try:
        import schemathesis
        from hypothesis.errors import Unsatisfiable
        from schemathesis.checks import not_a_server_error
        from schemathesis.generation import GenerationMode
        from schemathesis.specs.openapi.checks import (
            content_type_conformance,
            response_schema_conformance,
            status_code_conformance,
        )
    except ImportError as exc:
        print(f"schemathesis not available ({exc}): schema fuzz skipped")
        return 0
    if n <= 0:
        return 0
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]
    calls = [0]
    for result in schema.get_all_operations():
        op = result.ok()
        if op.path.endswith("/events"):   # a server-sent event stream: never ends by design
            continue
        label = f"{op.method.upper()} {op.path}"
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _one_operation(op, mode, label, n, checks, calls, findings, examples)()
            except Unsatisfiable:
                pass   # no schema-violating request exists (an operation without parameters)
            except Exception as exc:  # noqa: BLE001
                findings[("harness", label)] += 1
                examples.setdefault(("harness", label), traceback.format_exception_only(exc)[-1])
    return calls[0]


def _one_operation(op, mode, label, n, checks, calls, findings, examples):
    """A hypothesis test of one operation in one generation mode."""
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=n, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=op.as_strategy(generation_mode=mode))
    def run(case):
        calls[0] += 1
        response = case.call()
        if response.status_code == 501:
            return
        try:
            case.validate_response(response, checks=checks)
        except Exception as exc:  # noqa: BLE001 - any failed check is a finding
            kind = f"schema:{type(exc).__name__}"
            findings[(kind, label)] += 1
            examples.setdefault((kind, label), f"{mode}: {str(exc)[:300]}")
        try:
            body = response.json()
        except ValueError:
            body = None
        for kind, detail in body_findings(response.status_code, body):
            findings[(kind, label)] += 1
            examples.setdefault((kind, label), f"{mode}: {detail}")

    return run


def fuzz_uploads(client, n: int, seed: int, findings: Counter, examples: dict) -> int:
    """Malformed spectrum files to ``POST /api/fit``; returns the number of calls."""
    readers = _load("fuzz_readers")
    rng = np.random.default_rng(seed)
    materials = ["CdSe", "CdS", "CdTe", "InP", "PbS", "PbSe", "CsPbBr3", "CdSe/ZnS", "Unobtainium",
                 "", "x" * 70]
    for _ in range(n):
        raw = readers.malformed(rng)
        data = {"material": str(rng.choice(materials))}
        if rng.random() < 0.5:
            data["path_cm"] = str(rng.choice(["1", "0.1", "0", "-1", "nan", "inf", "1e9", "abc"]))
        if rng.random() < 0.3:
            data["column"] = str(rng.choice(["1", "2", "0", "-1", "99", "Abs", "", " "]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = client.post("/api/fit", files={"file": ("x.csv", raw, "text/csv")}, data=data)
        try:
            body = r.json()
        except ValueError:
            body = None
        for kind, detail in body_findings(r.status_code, body):
            findings[(kind, "POST /api/fit (upload)")] += 1
            examples.setdefault((kind, "POST /api/fit (upload)"), detail)
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=60,
                    help="schemathesis examples per operation and mode (default 60; 0: none)")
    ap.add_argument("--uploads", type=int, default=150,
                    help="malformed spectrum uploads to POST /api/fit (default 150)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    from fastapi.testclient import TestClient

    from qdlab.web import create_app

    app = create_app(synth_wall_time_s=2.0)
    findings: Counter = Counter()
    examples: dict = {}
    t0 = time.perf_counter()
    with TestClient(app) as client:
        n_schema = fuzz_schemathesis(app, a.n, findings, examples)
        n_upload = fuzz_uploads(client, a.uploads, a.seed, findings, examples)
    for (kind, label), count in sorted(findings.items(), key=lambda kv: -kv[1]):
        print(f"{kind:<32} {label:<34} {count:>5}  {examples[(kind, label)][:300]}")
    by_class = Counter()
    for (kind, _), count in findings.items():
        by_class[kind] += count
    total = sum(findings.values())
    classes = ", ".join(f"{k}: {v}" for k, v in sorted(by_class.items())) or "none"
    print(f"SUMMARY fuzz_api: runs {n_schema + n_upload} ({n_schema} schema, {n_upload} "
          f"uploads, seed {a.seed}, {time.perf_counter() - t0:.0f} s); contract breaks "
          f"{total} ({classes})")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
