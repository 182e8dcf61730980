"""Benchmark: screening throughput of core/shell candidates (qdlab screen), 1 vs 2 workers.

What is timed (CdSe/ZnS core/shells, core 2-8 nm, shell 0.3-3 nm):

* ``exciton``: the first-order exciton with Coulomb and image terms of the screening
  settings (:func:`qdlab.electronic.sphere.first_exciton_batch` with
  :data:`qdlab.design.evaluate.FAST_SETTINGS`), one process, in chunks of 20 000;
* ``pipeline``: whole rows (exciton, PL, FWHM, overlap, alignment, flags, candidate ids)
  written as Parquet by :func:`qdlab.design.screen.screen`, in chunks of 10 000:
  - ``local``: a plain in-process loop over the chunks (the Dask baseline),
  - ``dask x1`` / ``dask x2``: a distributed LocalCluster
    (:func:`qdlab.design.screen.local_cluster`) of 1 and 2 worker processes on the same
    chunks.  Each cluster is started (timed apart: ``start``) and warmed up with a small
    screen, then the screen runs on it through its scheduler address, as on an existing
    cluster; the steady-state throughput is what a long screen sees, the start-up is a
    fixed cost per run.  Every pipeline runs :data:`REPEATS` times; the fastest is
    reported (run-to-run spread on this shared 2-core machine is 10-20 %).  Dask
    overhead: ``dask x1`` screen time / ``local`` time - 1; scaling: ``dask x1`` /
    ``dask x2`` screen time.  The in-process loop gets the workers' malloc thresholds.

Baseline (named, measured in the same run): the straightforward implementation, one
structure at a time through :func:`qdlab.electronic.sphere.solve_sphere` (what ``qdlab
levels`` runs), timed on a subset and extrapolated per structure.

Run: ``python benchmarks/bench_design.py`` (or ``make bench``); the machine's other
load shows up in the figures (no timing is asserted anywhere).
"""

from __future__ import annotations

import os
import tempfile
import time

import numpy as np

from qdlab.design.evaluate import FAST_SETTINGS
from qdlab.design.screen import local_cluster, screen
from qdlab.design.space import ParameterSpace
from qdlab.electronic.sphere import first_exciton_batch, solve_sphere
from qdlab.structures import CoreShell

#: 1201 core diameters x 100 shell thicknesses = 120 100 candidates
SPACE = ("CdSe", "ZnS", "2:8:0.005", "0.3:3:0.0273")
CHUNK = 10_000
#: Each pipeline is timed this many times and the fastest run is reported (the machine's
#: other load only ever slows a run down).
REPEATS = 3
N_LOOP = 40


def _space() -> ParameterSpace:
    m, s, d, t = SPACE
    sp = ParameterSpace.from_spec(m, s, d, t)
    return sp


def _timed_screen(sp, **kw) -> tuple[float, float]:
    """Wall time (s) of a whole screen, and the CPU seconds per candidate of its tasks."""
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        res = screen(sp, os.path.join(tmp, "s"), chunk_size=CHUNK, **kw)
        dt = time.perf_counter() - t0
        assert res["complete"] and res["rows"] == len(sp)
    return dt, res["cpu_seconds_per_candidate"]


def _malloc_like_the_workers() -> bool:
    """Give this process the glibc malloc thresholds of the local workers (fair baseline).

    :func:`qdlab.design.screen.local_cluster` starts its workers with
    ``MALLOC_MMAP_THRESHOLD_`` and ``MALLOC_TRIM_THRESHOLD_`` set; the in-process loop is
    timed with the same values (``mallopt``), so that the Dask overhead is Dask's, not
    the allocator's.  Returns False where glibc's ``mallopt`` is not available.
    """
    import ctypes
    import ctypes.util

    from qdlab.design.screen import MMAP_THRESHOLD_BYTES, TRIM_THRESHOLD_BYTES

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        return bool(libc.mallopt(m_mmap_threshold, MMAP_THRESHOLD_BYTES)
                    and libc.mallopt(m_trim_threshold, TRIM_THRESHOLD_BYTES))
    except (OSError, AttributeError):
        return False


def _timed_cluster_screen(sp, workers: int) -> tuple[float, float, float]:
    """Start-up (s) of a LocalCluster of ``workers``, then the best of :data:`REPEATS`
    (wall s, CPU s per candidate) of the screen on it, after a warm-up screen."""
    t0 = time.perf_counter()
    cluster = local_cluster(workers)
    start = time.perf_counter() - t0
    try:
        warm = ParameterSpace.from_spec("CdSe", "ZnS", "3:3.1:0.05", "1:2:0.5")
        with tempfile.TemporaryDirectory() as tmp:
            screen(warm, os.path.join(tmp, "w"), chunk_size=2, engine="dask",
                   scheduler=cluster.scheduler_address)
        runs = [_timed_screen(sp, engine="dask", scheduler=cluster.scheduler_address)
                for _ in range(REPEATS)]
    finally:
        cluster.close()
    return (start, *min(runs))


def main() -> dict:
    sp = _space()
    n = len(sp)
    print(f"space: {SPACE[0]}/{SPACE[1]}, core {SPACE[2]} nm, shell {SPACE[3]} nm: "
          f"{n} candidates in chunks of {CHUNK} ({os.cpu_count()} CPUs)")
    # the exciton alone, one process
    print(f"load average before: {os.getloadavg()[0]:.1f} (other processes share the CPUs)")
    t_ex = c_ex = 0.0
    for c in sp.chunks(2 * CHUNK):
        r = c.radii()
        t0, p0 = time.perf_counter(), time.process_time()
        first_exciton_batch(list(c.materials), r, **FAST_SETTINGS)
        t_ex += time.perf_counter() - t0
        c_ex += time.process_time() - p0
    ex_rate = n / t_ex
    ex_cpu_rate = n / c_ex
    # baseline: one structure at a time through solve_sphere (qdlab levels)
    c0 = next(sp.chunks(CHUNK))
    d, t = c0.sizes()
    idx = np.random.default_rng(1).choice(d.size, N_LOOP, replace=False)
    t0 = time.perf_counter()
    for i in idx:
        solve_sphere(CoreShell("CdSe", float(d[i]), [("ZnS", float(t[i, 0]))]), l_max=0,
                     n_states=1)
    loop_rate = N_LOOP / (time.perf_counter() - t0)
    print(f"exciton (1 process):     {ex_rate:10.0f} candidates/s = {60 * ex_rate:.3g}/min "
          f"wall; {ex_cpu_rate:.0f}/s per CPU-second = {120 * ex_cpu_rate:.3g}/min on 2 "
          "fully available cores")
    print(f"baseline solve_sphere:   {loop_rate:10.1f} candidates/s (one at a time); "
          f"ratio {ex_rate / loop_rate:.0f}x")
    tuned = _malloc_like_the_workers()
    t_local, c_local = min(_timed_screen(sp, engine="local") for _ in range(REPEATS))
    s1, t_d1, c_d1 = _timed_cluster_screen(sp, 1)
    s2, t_d2, c_d2 = _timed_cluster_screen(sp, 2)
    for name, dt, cpu in (("local loop", t_local, c_local), ("dask x1", t_d1, c_d1),
                          ("dask x2", t_d2, c_d2)):
        print(f"pipeline {name:11s}: {dt:7.1f} s wall, {n / dt:8.0f} candidates/s = "
              f"{60 * n / dt:.3g}/min; task CPU {1e6 * cpu:.0f} us/candidate")
    print(f"cluster start-up (not in the screen times): 1 worker {s1:.1f} s, "
          f"2 workers {s2:.1f} s")
    scaling = t_d1 / t_d2
    overhead = t_d1 / t_local - 1.0
    print(f"scaling 1 -> 2 workers: {scaling:.2f}x (goal 1.7x); with the start-up: "
          f"{(s1 + t_d1) / (s2 + t_d2):.2f}x")
    print(f"malloc thresholds of the in-process loop set like the workers': {tuned}")
    print(f"dask overhead vs the in-process loop (1 worker, running cluster): "
          f"{100 * overhead:+.0f} %; with the start-up {100 * ((s1 + t_d1) / t_local - 1):+.0f} %")
    rate2 = n / t_d2
    print(f"2 workers: {60 * rate2:.3g} whole core/shell rows/min wall (goal 1e6/min); "
          f"{60 * n / (s2 + t_d2):.3g}/min with the start-up; from the task CPU time, 2 free "
          f"cores give {120 / c_d2:.3g} rows/min")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return {"exciton_per_cpu_s": ex_cpu_rate, "row_cpu_us": 1e6 * c_d2, "candidates": n,
            "exciton_per_s_1proc": ex_rate, "baseline_per_s": loop_rate,
            "exciton_ratio_vs_loop": ex_rate / loop_rate,
            "pipeline_local_per_s": n / t_local, "pipeline_dask1_per_s": n / t_d1,
            "pipeline_dask2_per_s": rate2, "scaling_ratio_2_vs_1": scaling,
            "dask_overhead_ratio": t_d1 / t_local}


if __name__ == "__main__":
    main()
