"""qdlab's 3D grid against a finite-element baseline at equal accuracy (issue 13).

The comparison itself is :func:`bench_grid.fem_comparison` (sections (f) and (g)
of ``bench_grid.py``: the hard-wall sphere and an off-centre dot-in-rod, scikit-fem
P2 isoparametric tetrahedra + scipy ``eigsh`` shift-invert from
``fem_baseline.py``); this file makes it a benchmark of its own for
``run_all.py`` (``python benchmarks/run_all.py fem``), separate from the longer
kwant and 10^6-unknown runs of ``bench_grid.py``.

Run: ``.venv/bin/python benchmarks/bench_fem.py``; ``main()`` returns a dict.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_grid import fem_comparison, fem_summary  # noqa: E402


def main() -> dict:
    return fem_summary(fem_comparison())


if __name__ == "__main__":
    main()
