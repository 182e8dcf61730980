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

Core/shell mode (``--coreshell JSON``, issue 4 benchmark (b)): the electron of a
layered sphere, ``H = k A(r) k + V(r)`` with ``A = hbar^2 / (2 m(r) m0)``
(BenDaniel-Duke ordering; kwant discretises ``k_x A k_x`` with A at the bond
midpoints), piecewise-constant mass and band edge per shell and in the medium,
inside a hard-wall sphere of radius ``R_out = R_total + pad``.  JSON keys:
``radii_nm`` (outer radius of each layer), ``masses`` (layers then medium, m0),
``edges_eV`` (layers then medium, eV), ``pad_nm``, ``exact_eV`` (reference level
from qdlab's exact radial solver; the error is that of the confinement energy
E - V_core), ``k`` (states).

Prints one JSON object on stdout.
Usage: ``python kwant_baseline.py [--staircase] [--coreshell JSON] a1 a2 ...``
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
    """The hard-wall sphere as a one-region layered sphere with no padding."""
    uniform = {"radii_nm": [R], "masses": [MASS, MASS], "edges_eV": [0.0, 0.0], "pad_nm": 0.0}
    return _staircase_coreshell_matrix(a, uniform)


#: shift-invert (sparse LU of a 3D Laplacian: fill-in ~ n^(4/3)) is only run below this
#: many sites; above it, it takes minutes (164 s at 1.1e5 sites) while which='SA' takes
#: seconds, and the baseline's time is the faster of the two anyway
SHIFT_INVERT_MAX_SITES = 60_000


def _shift_invert(H, k, sigma, w_sa):
    """Eigenvalues by shift-invert and its time; (w_sa, inf) for large matrices."""
    if H.shape[0] > SHIFT_INVERT_MAX_SITES:
        return w_sa, math.inf
    t0 = time.perf_counter()
    w = np.sort(eigsh(H, k=k, sigma=sigma, which="LM", return_eigenvectors=False))
    return w, time.perf_counter() - t0


def _layer_params(cfg):
    radii = np.asarray(cfg["radii_nm"], dtype=float)
    masses = np.asarray(cfg["masses"], dtype=float)
    edges = np.asarray(cfg["edges_eV"], dtype=float)

    def region(x, y, z):
        return np.searchsorted(radii, np.sqrt(x * x + y * y + z * z), side="right")

    def A(x, y, z):
        return HBAR2_2M0 / masses[region(x, y, z)]

    def V(x, y, z):
        return edges[region(x, y, z)]

    return float(radii[-1] + cfg["pad_nm"]), A, V


def _kwant_coreshell_matrix(a: float, cfg):
    import kwant
    import kwant.continuum

    r_out, A, V = _layer_params(cfg)
    tmpl = kwant.continuum.discretize(
        "k_x * A(x, y, z) * k_x + k_y * A(x, y, z) * k_y + k_z * A(x, y, z) * k_z"
        " + V(x, y, z)", grid=a)
    syst = kwant.Builder()
    syst.fill(tmpl, lambda site: np.dot(site.pos, site.pos) < r_out * r_out, (0.0, 0.0, 0.0))
    fsyst = syst.finalized()
    H = fsyst.hamiltonian_submatrix(params=dict(A=A, V=V), sparse=True).tocsc()
    return sp.csc_matrix((np.ascontiguousarray(H.data.real), H.indices.copy(),
                          H.indptr.copy()), shape=H.shape)


def _staircase_coreshell_matrix(a: float, cfg):
    r_out, A, V = _layer_params(cfg)
    n = int(math.ceil(r_out / a)) + 1
    c = np.arange(-n, n + 1) * a
    X, Y, Z = np.meshgrid(c, c, c, indexing="ij")
    inside = (X ** 2 + Y ** 2 + Z ** 2) < r_out * r_out
    idx = np.full(inside.shape, -1, dtype=np.int64)
    m = int(inside.sum())
    idx[inside] = np.arange(m)
    diag = V(X[inside], Y[inside], Z[inside]).astype(float)
    rows, cols, vals = [], [], []
    for d in range(3):
        step = np.zeros(3)
        step[d] = a / 2
        for sgn in (1.0, -1.0):   # bond to +d and -d neighbour, A at the midpoint
            t = A(X[inside] + sgn * step[0], Y[inside] + sgn * step[1],
                  Z[inside] + sgn * step[2]) / (a * a)
            diag += t
        p = [slice(None)] * 3
        q = [slice(None)] * 3
        p[d], q[d] = slice(0, -1), slice(1, None)
        both = inside[tuple(p)] & inside[tuple(q)]
        mid = [X[tuple(p)][both], Y[tuple(p)][both], Z[tuple(p)][both]]
        mid[d] = mid[d] + a / 2
        rows.append(idx[tuple(p)][both])
        cols.append(idx[tuple(q)][both])
        vals.append(-A(*mid) / (a * a))
    r = np.concatenate(rows)
    cc = np.concatenate(cols)
    off = sp.coo_matrix((np.concatenate(vals), (r, cc)), shape=(m, m))
    return (off + off.T + sp.diags(diag)).tocsc()


def run_coreshell(spacings, use_kwant: bool, cfg):
    exact = float(cfg["exact_eV"])
    v_core = float(cfg["edges_eV"][0])
    k = int(cfg.get("k", K))
    rows = []
    for a in spacings:
        t0 = time.perf_counter()
        H = _kwant_coreshell_matrix(a, cfg) if use_kwant else _staircase_coreshell_matrix(a, cfg)
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        w2 = np.sort(eigsh(H, k=k, which="SA", return_eigenvectors=False, tol=1e-8))
        t_sa = time.perf_counter() - t0
        w, t_si = _shift_invert(H, k, v_core, w2)
        rows.append({"a_nm": a, "sites": int(H.shape[0]), "build_s": t_build,
                     "eigsh_shift_invert_s": t_si, "eigsh_SA_s": t_sa,
                     "E1_eV": float(w[0]), "E1_SA_eV": float(w2[0]),
                     "error_pct": 100.0 * ((float(w[0]) - v_core) / (exact - v_core) - 1.0)})
    return rows


def run(spacings, use_kwant: bool):
    exact = HBAR2_2M0 * math.pi ** 2 / (MASS * R * R)
    rows = []
    for a in spacings:
        t0 = time.perf_counter()
        H = _kwant_matrix(a) if use_kwant else _staircase_matrix(a)
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        w2 = np.sort(eigsh(H, k=K, which="SA", return_eigenvectors=False, tol=1e-8))
        t_sa = time.perf_counter() - t0
        w, t_si = _shift_invert(H, K, 0.0, w2)
        rows.append({"a_nm": a, "sites": int(H.shape[0]), "build_s": t_build,
                     "eigsh_shift_invert_s": t_si, "eigsh_SA_s": t_sa,
                     "E1_eV": float(w[0]), "E1_SA_eV": float(w2[0]),
                     "error_pct": 100.0 * (float(w[0]) / exact - 1.0)})
    return rows


def main(argv):
    use_kwant = "--staircase" not in argv
    cfg = None
    if "--coreshell" in argv:
        i = argv.index("--coreshell")
        cfg = json.loads(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    spacings = [float(x) for x in argv if not x.startswith("--")] or [0.3, 0.2, 0.15]
    info = {"baseline": "kwant.continuum.discretize + scipy eigsh" if use_kwant
            else "staircase 7-point FD (scipy) + scipy eigsh"}
    if use_kwant:
        import kwant

        info["kwant_version"] = kwant.__version__
    info["numpy_version"] = np.__version__
    info["rows"] = (run(spacings, use_kwant) if cfg is None
                    else run_coreshell(spacings, use_kwant, cfg))
    print(json.dumps(info))


if __name__ == "__main__":
    main(sys.argv[1:])
