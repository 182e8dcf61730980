"""kwant baseline for ``bench_grid.py``: a hard-wall sphere with kwant.continuum + scipy eigsh.

Runs inside the separate kwant virtual environment (numpy < 2) that
``bench_grid.py`` builds in ``benchmarks/.kwant-venv``; it does not import qdlab.
It also runs without kwant (``--staircase``): the same 7-point staircase
finite-difference Hamiltonian built directly with scipy ("the straightforward
implementation"), so the benchmark always has a named baseline.

Physics (issue 4): sphere of radius R = 3 nm, effective mass m* = 0.13 m0,
infinite barrier; ``H = hbar^2 k^2 / (2 m* m0)`` discretised on a cubic lattice
of constant ``a`` (nm) keeping the sites with ``|r| < R`` (a staircase).
For each lattice constant: sites, time to the 10 lowest states (build +
``eigsh(k=10, sigma=0)`` shift-invert, and ``which='SA'``), and the error of
the lowest level against ``hbar^2 pi^2 / (2 m R^2)``.

Prints one JSON object on stdout.
Usage: ``python kwant_baseline.py [--staircase] a1 a2 ...``
"""

from __future__ import annotations

import json
import math
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh

HBAR2_2M0 = 0.0380998212  # eV nm^2, hbar^2 / (2 m0) (CODATA 2018), as qdlab.constants
R, MASS, K = 3.0, 0.13, 10


def _kwant_matrix(a: float):
    import kwant
    import kwant.continuum

    t = HBAR2_2M0 / MASS
    tmpl = kwant.continuum.discretize(f"{t} * (k_x**2 + k_y**2 + k_z**2)", grid=a)
    syst = kwant.Builder()
    syst.fill(tmpl, lambda site: np.dot(site.pos, site.pos) < R * R, (0.0, 0.0, 0.0))
    fsyst = syst.finalized()
    H = fsyst.hamiltonian_submatrix(sparse=True).tocsc()
    # real part with contiguous arrays (the .real view is strided; splu refuses it)
    return sp.csc_matrix((np.ascontiguousarray(H.data.real), H.indices.copy(),
                          H.indptr.copy()), shape=H.shape)


def _staircase_matrix(a: float):
    t = HBAR2_2M0 / MASS / (a * a)
    n = int(math.ceil(R / a)) + 1
    c = np.arange(-n, n + 1) * a
    X, Y, Z = np.meshgrid(c, c, c, indexing="ij")
    inside = (X ** 2 + Y ** 2 + Z ** 2) < R * R
    idx = np.full(inside.shape, -1, dtype=np.int64)
    m = int(inside.sum())
    idx[inside] = np.arange(m)
    rows, cols = [], []
    for d in range(3):
        p = [slice(None)] * 3
        q = [slice(None)] * 3
        p[d], q[d] = slice(0, -1), slice(1, None)
        both = inside[tuple(p)] & inside[tuple(q)]
        rows.append(idx[tuple(p)][both])
        cols.append(idx[tuple(q)][both])
    r = np.concatenate(rows)
    cc = np.concatenate(cols)
    off = sp.coo_matrix((-t * np.ones(r.size), (r, cc)), shape=(m, m))
    return (off + off.T + sp.identity(m) * 6 * t).tocsc()


def run(spacings, use_kwant: bool):
    exact = HBAR2_2M0 * math.pi ** 2 / (MASS * R * R)
    rows = []
    for a in spacings:
        t0 = time.perf_counter()
        H = _kwant_matrix(a) if use_kwant else _staircase_matrix(a)
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        w = np.sort(eigsh(H, k=K, sigma=0.0, which="LM", return_eigenvectors=False))
        t_si = time.perf_counter() - t0
        t0 = time.perf_counter()
        w2 = np.sort(eigsh(H, k=K, which="SA", return_eigenvectors=False, tol=1e-8))
        t_sa = time.perf_counter() - t0
        rows.append({"a_nm": a, "sites": int(H.shape[0]), "build_s": t_build,
                     "eigsh_shift_invert_s": t_si, "eigsh_SA_s": t_sa,
                     "E1_eV": float(w[0]), "E1_SA_eV": float(w2[0]),
                     "error_pct": 100.0 * (float(w[0]) / exact - 1.0)})
    return rows


def main(argv):
    use_kwant = "--staircase" not in argv
    spacings = [float(x) for x in argv if not x.startswith("--")] or [0.3, 0.2, 0.15]
    info = {"baseline": "kwant.continuum.discretize + scipy eigsh" if use_kwant
            else "staircase 7-point FD (scipy) + scipy eigsh"}
    if use_kwant:
        import kwant

        info["kwant_version"] = kwant.__version__
    info["numpy_version"] = np.__version__
    info["rows"] = run(spacings, use_kwant)
    print(json.dumps(info))


if __name__ == "__main__":
    main(sys.argv[1:])
