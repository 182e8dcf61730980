"""Start-up of the command line: ``qdlab levels CdSe --diameter 4 --json`` as a user runs it.

Workload: the whole command as a fresh subprocess (interpreter start, imports, materials
database load and validation, the exact radial solver for a 4 nm CdSe sphere with the
exciton corrections, JSON output), wall time, median of ``n_runs`` runs.

Baselines, measured in the same run and interleaved with the command (so that a busy
machine slows all of them alike):

* ``python -c "import numpy, scipy.optimize"``: the named baseline (what the command
  cost before its imports were made lazy: scipy's root finders alone);
* ``python -c "import numpy, scipy"`` and ``python -c "import numpy, scipy.special,
  scipy.optimize"`` (the scipy parts the solver used to import);
* ``python -c pass``: the interpreter alone.

Target (issue 10, "speed a person feels"): the median wall time of the command under
:data:`TARGET_S` = 0.5 s; the verdict is printed with the numbers (a benchmark, not a test:
a busy machine can miss it; the CPU time says how much of the wall time was the command's).
Also ``import qdlab`` alone (the public API stays lazy). Run: ``python
benchmarks/bench_cli.py [N_RUNS]``; it runs the ``src/`` of this checkout (PYTHONPATH).
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

#: Start-up target of ``qdlab levels CdSe --diameter 4 --json``, median wall time (s).
TARGET_S = 0.5

COMMANDS = {
    "levels": ["-m", "qdlab.cli.main", "levels", "CdSe", "--diameter", "4", "--json"],
    "import_qdlab": ["-c", "import qdlab"],
    "numpy_scipy_optimize": ["-c", "import numpy, scipy.optimize"],
    "numpy_scipy": ["-c", "import numpy, scipy"],
    "numpy_scipy_solver_parts": ["-c", "import numpy, scipy.special, scipy.optimize"],
    "python": ["-c", "pass"],
}


def _env() -> dict:
    env = dict(os.environ)
    # an installed qdlab has its bytecode cached: let the warm-up run write __pycache__
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + env["PYTHONPATH"]
                                    if env.get("PYTHONPATH") else "")
    return env


def _cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _run_once(args: list[str], env: dict, cpu: list | None = None) -> float:
    c0 = _cpu_children()
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, *args], env=env, capture_output=True, timeout=120)
    dt = time.perf_counter() - t0
    if cpu is not None:     # user + sys CPU time of the child (less sensitive to load)
        cpu.append(_cpu_children() - c0)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {r.returncode}: "
                           f"{r.stderr.decode(errors='replace')[-500:]}")
    return dt


def main(n_runs: int = 5) -> dict:
    env = _env()
    for args in COMMANDS.values():          # warm the file-system cache, write .pyc files
        _run_once(args, env)
    times: dict[str, list[float]] = {k: [] for k in COMMANDS}
    cpus: dict[str, list[float]] = {k: [] for k in COMMANDS}
    for _ in range(n_runs):
        for name, args in COMMANDS.items():
            times[name].append(_run_once(args, env, cpus[name]))
    med = {k: statistics.median(v) for k, v in times.items()}
    cpu = {k: statistics.median(v) for k, v in cpus.items()}
    print(f"wall time, median of {n_runs} fresh processes ({sys.executable}):")
    for name, args in COMMANDS.items():
        spread = f"{min(times[name]):.3f}-{max(times[name]):.3f}"
        print(f"  {name:<26} {med[name]:7.3f} s  (range {spread} s, CPU user+sys "
              f"{cpu[name]:.3f} s)   python {' '.join(args)}")
    out = {
        "levels_s": med["levels"],
        "target_s": TARGET_S,
        "meets_target": med["levels"] < TARGET_S,
        "baseline_numpy_scipy_optimize_s": med["numpy_scipy_optimize"],
        "ratio_levels_vs_numpy_scipy_optimize": med["levels"] / med["numpy_scipy_optimize"],
        "import_qdlab_s": med["import_qdlab"],
        "baseline_numpy_scipy_s": med["numpy_scipy"],
        "baseline_solver_imports_s": med["numpy_scipy_solver_parts"],
        "python_s": med["python"],
        "ratio_levels_vs_numpy_scipy": med["levels"] / med["numpy_scipy"],
        "ratio_levels_vs_solver_imports": med["levels"] / med["numpy_scipy_solver_parts"],
        "levels_cpu_s": cpu["levels"],
        "baseline_solver_imports_cpu_s": cpu["numpy_scipy_solver_parts"],
        "ratio_levels_vs_solver_imports_cpu": cpu["levels"] / cpu["numpy_scipy_solver_parts"],
    }
    print(f"start-up target: qdlab levels CdSe --diameter 4 --json {med['levels']:.3f} s "
          f"(median wall time) vs target {TARGET_S:.2f} s: "
          f"{'MET' if out['meets_target'] else 'MISSED'}; baseline `python -c \"import numpy, "
          f"scipy.optimize\"` {med['numpy_scipy_optimize']:.3f} s in the same run (ratio "
          f"{out['ratio_levels_vs_numpy_scipy_optimize']:.2f}x); CPU user+sys of the command "
          f"{cpu['levels']:.3f} s")
    print(f"qdlab levels CdSe --diameter 4 --json: {med['levels']:.3f} s = "
          f"{out['ratio_levels_vs_numpy_scipy']:.2f}x `import numpy, scipy` "
          f"({med['numpy_scipy']:.3f} s), {out['ratio_levels_vs_solver_imports']:.2f}x "
          f"`import numpy, scipy.special, scipy.optimize` "
          f"({med['numpy_scipy_solver_parts']:.3f} s); `import qdlab` "
          f"{med['import_qdlab']:.3f} s; CPU user+sys {cpu['levels']:.3f} s = "
          f"{out['ratio_levels_vs_solver_imports_cpu']:.2f}x that of the solver imports "
          f"({cpu['numpy_scipy_solver_parts']:.3f} s)")
    return out


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
