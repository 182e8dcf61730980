"""Load benchmark of the REST API: 50 concurrent clients for 30 s against POST /api/levels.

The server (``qdlab.web.create_app`` under uvicorn, one process) runs in a
subprocess bound to 127.0.0.1 on a free port; the clients are asyncio tasks with
one shared ``httpx.AsyncClient`` in this process.  Reported: requests/s, error
count (non-200 answers and transport errors), p50/p99 latency.

Baseline, measured in the same run: the same library call (``qdlab.solve`` of a
CdSe sphere plus ``to_dict``) made directly in one Python thread, in calls/s;
the ratio says what the HTTP layer, JSON and the threadpool cost or gain on this
machine.  Loopback only; bounded (about 40 s in total).

Run: ``python benchmarks/bench_web.py`` (or ``make bench``).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time

CLIENTS = 50
DURATION_S = 30.0
DIAMETERS = [round(3.0 + 0.05 * i, 2) for i in range(60)]   # varied sizes, nm


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _baseline(seconds: float = 3.0) -> float:
    import qdlab

    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        qdlab.solve(qdlab.Sphere("CdSe", DIAMETERS[n % len(DIAMETERS)])).to_dict()
        n += 1
    return n / (time.perf_counter() - t0)


async def _load(url: str) -> dict:
    import httpx

    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=url, timeout=30.0, limits=limits) as client:
        for d in (4.0, 5.0):   # warm-up
            await client.post("/api/levels", json={"material": "CdSe", "diameter": d})
        t_start = time.perf_counter()
        deadline = t_start + DURATION_S

        async def worker(k: int):
            nonlocal errors
            i = k
            while time.perf_counter() < deadline:
                body = {"material": "CdSe", "diameter": DIAMETERS[i % len(DIAMETERS)]}
                i += CLIENTS
                t0 = time.perf_counter()
                try:
                    r = await client.post("/api/levels", json=body)
                    ok = r.status_code == 200 and "first_exciton_nm" in r.json()
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t0)
                if not ok:
                    errors += 1

        await asyncio.gather(*(worker(k) for k in range(CLIENTS)))
        elapsed = time.perf_counter() - t_start
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1e3

    return {"requests": len(latencies), "elapsed_s": elapsed,
            "requests_per_s": len(latencies) / elapsed, "errors": errors,
            "p50_ms": pct(50), "p99_ms": pct(99)}


def main() -> dict:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    code = ("import uvicorn; from qdlab.web import create_app; "
            f"uvicorn.run(create_app(), host='127.0.0.1', port={port}, log_level='warning')")
    server = subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ))
    try:
        import httpx

        t0 = time.monotonic()
        while True:
            try:
                if httpx.get(url + "/api/health", timeout=1.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() - t0 > 30 or server.poll() is not None:
                raise RuntimeError("the qdlab server did not start")
            time.sleep(0.2)
        base = _baseline()
        res = asyncio.run(_load(url))
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    res.update({"clients": CLIENTS, "baseline_direct_calls_per_s": base,
                "ratio_vs_direct": res["requests_per_s"] / base, "cpus": os.cpu_count()})
    print(f"POST /api/levels, {CLIENTS} concurrent clients, {res['elapsed_s']:.1f} s on 127.0.0.1 "
          f"({res['cpus']} CPUs, one uvicorn process)")
    print(f"  requests/s      {res['requests_per_s']:.1f}   ({res['requests']} requests)")
    print(f"  errors          {res['errors']}")
    print(f"  latency p50     {res['p50_ms']:.0f} ms")
    print(f"  latency p99     {res['p99_ms']:.0f} ms")
    print(f"  baseline        {base:.1f} direct qdlab.solve calls/s in one thread "
          f"-> API/direct = {res['ratio_vs_direct']:.2f}")
    return res


if __name__ == "__main__":
    main()
