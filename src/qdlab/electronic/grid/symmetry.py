r"""Mirror-symmetry parity sectors and the nested-grid eigen-solve of the grid solver.

A shape that declares mirror symmetries :math:`x \to -x` (and/or :math:`y`, :math:`z`)
commutes with the reflections :math:`\sigma_d`, so every envelope function has a
parity :math:`p_d = \pm 1` under each of them and the BenDaniel-Duke operator is
block-diagonal in the :math:`2^s` parity sectors (:math:`s` symmetric axes).  Each
sector is solved on one half of the grid per symmetric axis:

.. math::

    \psi(\ldots, -x_d, \ldots) = p_d\,\psi(\ldots, x_d, \ldots), \qquad
    p_d = +1:\ \partial_{x_d}\psi = 0, \quad p_d = -1:\ \psi = 0 \ \text{on } x_d = 0,

the odd sectors adding the diagonal Dirichlet term of the mirror plane.  The lowest
``n_states`` of all sectors are merged; a sector is enlarged until its highest
computed state lies above the global ``n_states``-th level, so that no state is
missed.  The ground state of a scalar elliptic operator is nodeless (even in every
sector), so one state needs only the even sector.

Large sectors (more than ``NESTED_MIN`` unknowns) start from the solution on a grid
twice as coarse (nested iteration, recursively), prolonged by trilinear
interpolation with the mirror planes honoured; the coarse solve then also sizes
each sector (the states it holds below the coarse ``n_states``-th level, plus one).
The eigenpairs of each sector come from LOBPCG [1]_ preconditioned by one smoothed
aggregation V-cycle [2]_ (:mod:`qdlab.electronic.grid.eigensolver`); the parity
sectors share the multigrid aggregates.

References
----------
.. [1] A. V. Knyazev, "Toward the optimal preconditioned eigensolver: locally
   optimal block preconditioned conjugate gradient method", SIAM J. Sci.
   Comput. 23, 517 (2001).
.. [2] N. Bell, L. N. Olson, J. Schroder, B. Southworth, "PyAMG: algebraic
   multigrid solvers in Python", J. Open Source Softw. 8, 5495 (2023).
.. [3] M. Tinkham, *Group Theory and Quantum Mechanics* (McGraw-Hill, 1964), ch. 3
   (block-diagonalisation by symmetry).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from qdlab.electronic.grid.eigensolver import (
    DENSE_LIMIT,
    GridConvergenceError,
    _BlockVCycle,
    _lowest,
    _shifted,
)
from qdlab.electronic.grid.operator import _assemble, _axes
from qdlab.errors import QdlabInputError

__all__ = ["COARSE_TOL_EV", "NESTED_MIN"]

#: Sectors with more unknowns than this start from a solve on a grid twice as coarse.
NESTED_MIN = 20_000
#: Residual (eV) to which those coarse-grid start solves are converged.
COARSE_TOL_EV = 1e-3


@dataclass
class _Level:
    """One grid solve (internal): geometry and the states of every parity sector."""

    h: float
    coords: list
    sym: tuple
    active: np.ndarray
    label: np.ndarray
    found: dict           # parity -> (energies, vectors on active nodes, residuals)
    n_unknowns: int
    iterations: dict      # parity -> LOBPCG iterations ("nested": those of the 2h start)
    blocks: dict          # parity -> the whole LOBPCG block (wanted + guard vectors)


def _prolong(src: _Level, p, dst_coords, dst_active) -> np.ndarray:
    """Trilinear interpolation of the sector-p vectors of ``src`` onto ``dst_active`` nodes.

    Mirror planes are honoured (a ghost layer holding ``parity * value`` below the
    first node of a symmetric axis); outside the source box the function is 0.
    """
    from scipy.ndimage import map_coordinates

    X = src.blocks[p]
    dims = src.active.shape
    idx = np.nonzero(dst_active)
    q = []
    pad = []
    for d in range(3):
        c = src.coords[d]
        shift = 1 if src.sym[d] else 0
        q.append((dst_coords[d][idx[d]] - c[0]) / src.h + shift)
        pad.append((shift, 0))
    q = np.array(q)
    out = np.empty((idx[0].size, X.shape[1]))
    for j in range(X.shape[1]):
        g = np.zeros(dims)
        g[src.active] = X[:, j]
        g = np.pad(g, pad)
        for d in range(3):
            if src.sym[d]:
                sl = [slice(None)] * 3
                sl[d] = 0
                sl2 = [slice(None)] * 3
                sl2[d] = 1
                g[tuple(sl)] = p[d] * g[tuple(sl2)]
        out[:, j] = map_coordinates(g, q, order=1, mode="constant", cval=0.0)
    return out


def _sectors(sym):
    sym_axes = [d for d in range(3) if sym[d]]
    out = []
    for bits in range(2 ** len(sym_axes)):
        par = [0, 0, 0]
        for j, d in enumerate(sym_axes):
            par[d] = -1 if (bits >> j) & 1 else 1
        out.append(tuple(par))
    return out


def _solve_level(shape, kap, V, hard, h, pad, use_symmetry, subsamples, n_states, tol,
                 maxiter, rng, guess: _Level | None = None, nested: bool = True) -> _Level:
    """Solve every parity sector on the grid of spacing h (nm)."""
    coords, sym = _axes(shape, h, pad, use_symmetry)
    n_sector = int(np.prod([len(c) for c in coords]))
    own_guess = False
    if guess is None and nested and n_sector > NESTED_MIN:
        # Nested iteration: solve on 2h first, prolong, then a few fine iterations.
        H = 2.0 * h
        padH = pad if not hard else max(pad, 2.0 * H)
        try:
            guess = _solve_level(shape, kap, V, hard, H, padH, use_symmetry, subsamples,
                                 n_states, max(tol, COARSE_TOL_EV), maxiter, rng)
        except (QdlabInputError, GridConvergenceError):
            guess = None  # the coarse grid cannot represent the shape: start at random
        own_guess = guess is not None
    A0, odd_diag, active, label = _assemble(shape, coords, sym, h, kap, V, hard, subsamples)
    n = A0.shape[0]
    sym_axes = [d for d in range(3) if sym[d]]
    s = len(sym_axes)
    sectors = _sectors(sym)
    if n_states == 1:
        # The ground state of a scalar elliptic operator is nodeless, hence even.
        sectors = sectors[:1]
    if n > DENSE_LIMIT:
        As0, sigma = _shifted(A0)
        del A0
        precond = _BlockVCycle(As0)  # aggregates shared by all sectors (see for_matrix)
    else:
        As0, sigma, precond = A0, 0.0, None
    k0 = min(n_states, math.ceil(n_states / 2 ** s) + 2)
    kk = {p: (n_states if s == 0 else k0) for p in sectors}
    if guess is not None and all(p in guess.found for p in sectors):
        # Each sector solves for the states it holds below the n_states-th level
        # of the coarser grid, plus one above that level (which certifies that
        # none is missed: the loop below still grows a sector whose highest state
        # falls under the n_states-th level of this grid).  The fixed k0 of the
        # first grid converges up to 4 states per sector, most of them far above
        # the wanted levels (slow: small relative gaps).
        ek_c = _merge(guess, n_states)[-1][0]
        for p in sectors:
            below = int((guess.found[p][0] <= ek_c).sum())
            kk[p] = min(n_states, n, below + 1)
    found, iters, blocks = {}, {}, {}
    if own_guess:
        iters["nested"] = int(sum(guess.iterations.values()))  # counted in the total
    while True:
        for p in sectors:
            if p in found and found[p][0].size >= kk[p]:
                continue
            extra = np.zeros(n)
            for d in sym_axes:
                if p[d] == -1:
                    extra += odd_diag[d]
            A = (As0 + sp.diags(extra)).tocsr() if extra.any() else As0
            X0 = None
            if p in found:
                X0 = blocks[p]
            elif guess is not None and p in guess.found:
                X0 = _prolong(guess, p, coords, active)
            pc = precond if precond is None or A is As0 else precond.for_matrix(A)
            w, X, res, it, blocks[p] = _lowest(A, min(kk[p], n), tol, maxiter, rng, X0,
                                               pc, sigma)
            del pc
            del A
            if (res > tol).any():
                raise GridConvergenceError(
                    f"grid eigensolver did not converge: residual {res.max():.3g} eV > tol_eV ="
                    f" {tol:g} after {maxiter} iterations ({n:,} unknowns); raise maxiter "
                    "or tol_eV, or change resolution_nm")
            found[p] = (w, X, res)
            iters[p] = iters.get(p, 0) + it
        allw = np.sort(np.concatenate([found[p][0] for p in sectors]))
        ek = allw[min(n_states, allw.size) - 1]
        grow = [p for p in sectors if found[p][0].size < min(n, n_states)
                and found[p][0][-1] < ek + 1e-12 * max(1.0, abs(ek))]
        if not grow:
            break
        for p in grow:
            kk[p] = min(n_states, kk[p] + 2, n)
    return _Level(h, coords, sym, active, label, found, n, iters, blocks)


def _merge(level: _Level, n_states: int):
    """The lowest n_states over all sectors: list of (energy, parity, index)."""
    items = [(level.found[p][0][i], p, i) for p in level.found
             for i in range(level.found[p][0].size)]
    items.sort(key=lambda t: t[0])
    return items[:n_states]
