"""Run every benchmark in this folder (``make bench``) and print a summary.

Each ``bench_*.py`` defines ``main()`` which prints its own figures (always
including the ratio against the named baseline measured in the same run) and
returns a dict of them.  Pass names to run a subset: ``python run_all.py radial``.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str]) -> int:
    wanted = set(argv)
    results = {}
    failed = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"\n=== {name} ({path.name}) ===", flush=True)
        t0 = time.perf_counter()
        try:
            results[name] = _load(path).main()
        except Exception as exc:  # report and go on with the other benchmarks
            print(f"FAILED: {type(exc).__name__}: {exc}")
            failed.append(name)
        print(f"[{name}: {time.perf_counter() - t0:.1f} s]", flush=True)
    print("\n=== summary ===")
    for name, res in results.items():
        if isinstance(res, dict):
            ratio = {k: v for k, v in res.items() if "ratio" in k or "per_s" in k}
            print(f"{name}: {ratio}")
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
