"""Eigensolver of the 3D grid solver: LOBPCG with a smoothed-aggregation V-cycle.

The lowest eigenpairs of the sparse symmetric grid operator
(:mod:`qdlab.electronic.grid.operator`): dense LAPACK below ``DENSE_LIMIT``
unknowns, else LOBPCG [1]_ preconditioned by one symmetric smoothed-aggregation
V-cycle [2]_.

References
----------
.. [1] A. V. Knyazev, SIAM J. Sci. Comput. 23, 517 (2001).
.. [2] P. Vanek, J. Mandel, M. Brezina, Computing 56, 179 (1996).
"""

from __future__ import annotations

import contextlib
import ctypes

import numpy as np
import scipy.sparse as sp

#: Below this many unknowns the dense LAPACK eigensolver is used.
DENSE_LIMIT = 800


class GridConvergenceError(RuntimeError):
    """The eigensolver did not reach the requested residual."""


_SETTERS: list = []


def _blas_setters():
    """OpenBLAS's ``openblas_set_num_threads_local`` of each loaded OpenBLAS (cached once found).

    Reading ``/proc/self/maps`` took 2-3 ms per solve, a few % of a 5e3-unknown solve.
    """
    if _SETTERS:
        return _SETTERS
    import scipy.linalg  # noqa: F401  (loads scipy's own OpenBLAS, used by the solve)

    setters = []
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower()}
        for path in sorted(paths):
            fn = getattr(ctypes.CDLL(path), "openblas_set_num_threads_local", None)
            if fn is not None:
                fn.restype, fn.argtypes = ctypes.c_int, [ctypes.c_int]
                setters.append(fn)
    except OSError:
        return []
    _SETTERS.extend(setters)
    return setters


@contextlib.contextmanager
def single_thread_blas():
    """Run the block in this thread with single-threaded OpenBLAS (restored afterwards).

    The eigensolver's dense work is tall-and-skinny products (n x 12 blocks),
    which are memory-bound: a second BLAS thread gains little, and on a loaded
    machine OpenBLAS's threads wait for each other.  Measured on the 2-core
    machine with other jobs running: CdSe/CdS benchmark (b) 71.5 s wall /
    34 s CPU with the default two threads, 14-15 s / 7 s with one.  Uses
    OpenBLAS's thread-local ``openblas_set_num_threads_local`` (0.3.27+), so
    other threads of the process are unaffected; a no-op where it is not
    available (other BLAS, non-Linux).
    """
    setters = _blas_setters()
    previous = [fn(1) for fn in setters]
    try:
        yield
    finally:
        for fn, n in zip(setters, previous, strict=True):
            fn(n)


def _coarse_solver(Ac):
    """Exact solve on the coarsest level: Cholesky factor of ``Ac`` (pseudo-inverse if not SPD).

    The matrices handed to the V-cycle are shifted below their spectrum
    (:func:`_shifted`), so their Galerkin coarse matrices are symmetric positive
    definite and the Cholesky factor (n^3/3 flops) replaces the pseudo-inverse
    from a full eigendecomposition used before, the same operator at a fraction
    of the setup time (about a quarter of the setup at 5e3 unknowns).
    """
    from scipy.linalg import LinAlgError, cho_factor, cho_solve

    dense = Ac.toarray()
    try:
        factor = cho_factor(dense, lower=True, check_finite=False)
    except LinAlgError:
        inv = np.linalg.pinv(dense, hermitian=True)
        return lambda B: inv @ B
    return lambda B: cho_solve(factor, B, check_finite=False)


class _BlockVCycle:
    """Symmetric smoothed-aggregation V-cycle applied to a block of vectors.

    The hierarchy comes from pyamg; the cycle itself is run here so that the
    restrictions, prolongations and residuals act on all columns at once
    (sparse matrix times dense block) and no residual norms are computed
    (pyamg's ``aspreconditioner`` computes two per call).  Smoothing is one
    symmetric Gauss-Seidel sweep (forward then backward) before and after the
    coarse correction, so the preconditioner is symmetric positive definite.

    Every block handed to a level is made Fortran-ordered: pyamg's compiled
    Gauss-Seidel reads its vector arguments as contiguous memory and ignores
    strides, so a column of a C-ordered block (what ``R @ block`` returns) was
    read as interleaved entries of all columns.  Until this was fixed the
    preconditioner was correct for one column and wrong on the coarse levels
    for a block (24 % difference), which is what made LOBPCG take 65-70
    iterations at 2.5e5 unknowns and miss the 150 s cap at 1e6 (now 3-4 on
    the finest grid after the nested start).

    One cycle per application (``cycles=1``): with the fixed cycle a second one
    changes no iteration count (CdSe/CdS benchmark (b): 367 vs 360 LOBPCG
    iterations over all sectors and grids) and costs 1.7x the CPU time.
    """

    def __init__(self, A, cycles: int = 1):
        import pyamg
        from pyamg import amg_core

        self._gs = amg_core.gauss_seidel
        self.cycles = int(cycles)
        ml = pyamg.smoothed_aggregation_solver(A, symmetry="hermitian", max_coarse=400,
                                               keep=False)
        self.A = [lev.A.tocsr() for lev in ml.levels]
        self.P = [lev.P.tocsr() for lev in ml.levels[:-1]]
        self.R = [lev.R.tocsr() for lev in ml.levels[:-1]]
        self.coarse_inv = _coarse_solver(self.A[-1])

    def for_matrix(self, A):
        """The V-cycle of ``A`` on the same aggregates: Galerkin products ``R A P``.

        Used for the odd parity sectors, whose matrices differ from the even
        one by a diagonal term on the symmetry planes: the aggregation and the
        smoothed prolongations (the expensive part of the setup) are shared,
        the coarse matrices are recomputed.  Measured (octant sphere, 10 states,
        1.25e5 unknowns per sector, fine grid): 12-18 LOBPCG iterations per
        odd sector with the even sector's hierarchy, 6-10 with only the finest
        matrix replaced, 4-5 with this (as with a hierarchy built per sector,
        at a fraction of the setup cost).
        """
        import copy

        out = copy.copy(self)
        out.A = [A]
        for R, P in zip(self.R, self.P, strict=True):
            out.A.append((R @ out.A[-1] @ P).tocsr())
        out.coarse_inv = _coarse_solver(out.A[-1])
        return out

    def _smooth(self, A, X, B):
        # amg_core reads its array arguments as contiguous memory (it ignores
        # strides), so every column handed to it must be contiguous: X and B
        # are Fortran-ordered here.
        n = A.shape[0]
        order = ((0, n, 1), (n - 1, -1, -1))  # symmetric sweep: its own adjoint
        for j in range(X.shape[1]):
            x, b = X[:, j], B[:, j]
            assert x.flags.c_contiguous and b.flags.c_contiguous
            for start, stop, step in order:
                self._gs(A.indptr, A.indices, A.data, x, b, start, stop, step)

    def _cycle(self, lvl: int, B):
        if lvl == len(self.A) - 1:
            return self.coarse_inv(B)
        A = self.A[lvl]
        B = np.asfortranarray(B)
        X = np.zeros(B.shape, order="F")
        self._smooth(A, X, B)
        Xc = self._cycle(lvl + 1, self.R[lvl] @ (B - A @ X))
        X += self.P[lvl] @ Xc
        self._smooth(A, X, B)
        return X

    def __call__(self, B):
        B = np.asfortranarray(B)
        X = self._cycle(0, B)
        for _ in range(self.cycles - 1):
            X += self._cycle(0, np.asfortranarray(B - self.A[0] @ X))
        return X


def _orthonormalize(S, eps: float = 1e-10):
    """Orthonormal basis of the columns of S (SVQB: eigen-decomposition of the Gram matrix).

    Returns (Q, T) with ``Q = S @ T``; columns with relative norm below ``eps``
    (linearly dependent) are dropped.
    """
    from scipy.linalg import eigh

    G = S.T @ S
    d = np.sqrt(np.maximum(np.diag(G), 1e-300))
    G = G / np.outer(d, d)
    w, U = eigh(G)
    keep = w > eps * max(w[-1], 1e-300)
    T = (U[:, keep] / np.sqrt(w[keep])) / d[:, None]
    return S @ T, T


def _lobpcg(A, X, precond, k: int, tol: float, maxiter: int):
    """Lowest eigenpairs of the symmetric positive-definite A by LOBPCG [2]_.

    Block of ``m = X.shape[1]`` vectors; only the lowest ``k`` must reach the
    residual ``tol`` (the others are guard vectors that speed up the k-th and
    are not converged).  Converged columns are soft-locked (no new direction).
    Every iteration orthonormalises the trial directions ``[W, P]`` against X
    and among themselves (SVQB), so the Rayleigh-Ritz problem is a standard
    symmetric one and needs no restarts; each iteration costs
    one product of A with the orthonormalised directions and one
    preconditioner application per unconverged column.

    Returns (w, X, residual norms, iterations).
    """
    from scipy.linalg import eigh

    X, _ = _orthonormalize(np.asarray(X, dtype=float))
    AX = A @ X
    w, C = eigh(X.T @ AX)
    X, AX = X @ C, AX @ C
    m = X.shape[1]
    P = AP = None
    it = since_exact = 0
    while True:
        R = AX - X * w
        res = np.linalg.norm(R, axis=0)
        if (res[:k] <= tol).all() or it >= maxiter or since_exact >= 20:
            if since_exact == 0:
                break
            # Refresh A X exactly (the recurrences accumulate rounding) and recheck.
            AX = A @ X
            since_exact = 0
            continue
        it += 1
        since_exact += 1
        act = np.nonzero(res > tol)[0]
        W = precond(R[:, act])
        del R
        W /= np.linalg.norm(W, axis=0)
        S = W if P is None else np.hstack([W, P])
        del W, P, AP
        # Classical Gram-Schmidt against X twice, then SVQB among themselves.
        S -= X @ (X.T @ S)
        S -= X @ (X.T @ S)
        S, _ = _orthonormalize(S)
        # A S by a product (not by recurrences, which lose the small directions
        # to cancellation near convergence and make the residual stagnate).
        AS = A @ S
        XAS = X.T @ AS
        G = np.block([[np.diag(w), XAS], [XAS.T, S.T @ AS]])
        ev, C = eigh((G + G.T) / 2, subset_by_index=(0, m - 1))
        Cx, Cs = C[:m], C[m:]
        P, AP = S @ Cs, AS @ Cs
        del S, AS
        X = X @ Cx + P
        AX = AX @ Cx + AP
        w = ev
    nrm = np.linalg.norm(X, axis=0)
    X = X / nrm
    AX = AX / nrm
    w = np.einsum("ij,ij->j", X, AX)
    res = np.linalg.norm(AX - X * w, axis=0)
    order = np.argsort(w)
    return w[order], X[:, order], res[order], it


def _shifted(A):
    """``A - sigma I`` with sigma a Gershgorin lower bound of A's spectrum (eV)."""
    dg = A.diagonal()
    off = np.asarray(abs(A).sum(axis=1)).ravel() - np.abs(dg)
    sigma = float((dg - off).min()) - 1e-3
    return (A - sigma * sp.identity(A.shape[0], format="csr")).tocsr(), sigma


def _dense_lowest(A, k: int):
    from scipy.linalg import eigh

    w, X = eigh(A.toarray(), subset_by_index=(0, k - 1))
    res = np.linalg.norm(A @ X - X * w, axis=0)
    return w, X, res


def _lowest(A, k: int, tol: float, maxiter: int, rng, X0=None, precond=None, sigma=0.0):
    """Lowest k eigenpairs of the symmetric matrix A; returns (w, X, residuals, iterations).

    ``A`` is already shifted by ``-sigma`` (positive definite) unless small enough
    for dense LAPACK; ``X0`` (n, j) are start vectors (e.g. prolonged from a
    coarser grid), completed with random vectors.
    """
    n = A.shape[0]
    k = min(k, n)
    if n <= DENSE_LIMIT:
        w, X, res = _dense_lowest(A, k)
        return w + sigma, X, res, 0, X
    m = min(k + max(2, k // 3), n // 4)
    X = rng.standard_normal((n, m))
    if X0 is not None:
        j = min(m, X0.shape[1])
        X[:, :j] = X0[:, :j]
    if precond is None:
        precond = _BlockVCycle(A)
    w, X, res, it = _lobpcg(A, X, precond, k, tol, maxiter)
    return w[:k] + sigma, X[:, :k], res[:k], it, X
