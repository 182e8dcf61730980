r"""Nonparabolic (Kane) energy-dependent mass in the 3D grid solver, self-consistent per state.

In a two-band Kane model the effective mass of a carrier grows with its kinetic
energy above the band edge :math:`V` of the region,

.. math::

    m(E) = m^*\Big[1 + \frac{E - V(\mathbf r)}{E_g(\mathbf r)}\Big], \qquad
    H(E) = -\nabla\cdot\Big(\frac{\hbar^2}{2 m_0 m(E)}\nabla\Big) + V,

so that each level is the root of :math:`f(E) = \lambda_k(H(E)) - E`.  The root is
found per state by secant iteration from the parabolic level :math:`E^{(0)}` and the
fixed-point step :math:`E^{(1)} = \lambda_k(H(E^{(0)}))`, each eigen-solve warm-started
from the previous one, stopped at :math:`|f| <` ``KANE_TOL_EV`` (2e-6 eV).  The
factor :math:`1 + (E - V)/E_g` is clipped from below at
:data:`qdlab.electronic.sphere.shooting.KANE_MIN_FACTOR`, and the regions that are
nonparabolic are those of :func:`qdlab.electronic.sphere.exciton.band_profiles`
(every layer for electrons; only mirror-band materials for holes), exactly as in the
radial solver, so that both solve one eigenproblem.

References
----------
.. [1] E. O. Kane, "Band structure of indium antimonide", J. Phys. Chem. Solids 1,
   249 (1957).
.. [2] D. J. BenDaniel, C. B. Duke, "Space-charge effects on electron tunneling",
   Phys. Rev. 152, 683 (1966).
"""

from __future__ import annotations

import math

import numpy as np

from qdlab.electronic.grid.eigensolver import GridConvergenceError
from qdlab.electronic.grid.symmetry import _Level, _merge, _solve_level
from qdlab.electronic.sphere.holes import has_mirror_bands
from qdlab.electronic.sphere.shooting import KANE_MIN_FACTOR

__all__ = ["KANE_MAXITER", "KANE_TOL_EV"]

#: Self-consistency of the Kane mass: stop when ``|E_k(m(E)) - E| <`` this (eV).
KANE_TOL_EV = 2e-6
#: Secant iterations allowed per state for the Kane mass.
KANE_MAXITER = 12


def _kane_gaps(shape, carrier: str):
    """Kane gaps (eV) of the regions, medium last (``inf``: parabolic), or None if all inf.

    The same choice as :func:`qdlab.electronic.sphere.exciton.band_profiles`: every
    layer for electrons; for holes only materials with mirror-like bands
    (:func:`~qdlab.electronic.sphere.holes.has_mirror_bands`).
    """
    T = shape.temperature
    g = []
    for reg in shape.regions:
        mat = reg.material
        if carrier == "hole" and not has_mirror_bands(mat):
            g.append(math.inf)
        else:
            g.append(float(mat.conduction_band_edge(T)) - float(mat.valence_band_edge(T)))
    g.append(math.inf)
    g = np.array(g)
    return None if np.isinf(g).all() else g


def _kane_kappa(kap, V, gaps, E: float) -> np.ndarray:
    """hbar^2 / (2 m(E)) per region (eV nm^2) with the Kane mass ``m* (1 + (E - V)/E_g)``.

    The factor is clipped at :data:`KANE_MIN_FACTOR` from below exactly as in the
    radial solver (:mod:`qdlab.electronic.sphere.shooting`); ``inf`` gaps (and a
    hard-wall medium) stay parabolic.
    """
    with np.errstate(invalid="ignore"):
        fac = 1.0 + (E - V) / gaps
    fac = np.where(np.isfinite(fac), fac, 1.0)
    return kap / np.maximum(fac, KANE_MIN_FACTOR)


def _solve_level_kane(shape, kap, V, hard, gaps, h, pad, *, n_states, guess=None,
                      **opts) -> _Level:
    """:func:`_solve_level` with the energy-dependent Kane mass, self-consistent per state.

    For state ``k`` (in ascending order) the root of ``f(E) = E_k[H(m(E))] - E`` is
    found by secant iteration, starting from the parabolic level ``E^(0)`` and the
    fixed-point step ``E^(1) = E_k[H(m(E^(0)))]``; each solve of the generalized
    (energy-dependent) problem is started from the previous one's vectors.  The
    state keeps the eigenvector of its own converged operator.  Returns a level
    holding, per parity sector, the self-consistent states.
    """
    base = _solve_level(shape, kap, V, hard, h, pad, n_states=n_states, guess=guess, **opts)
    items = _merge(base, n_states)
    iters = {"parabolic": int(sum(base.iterations.values()))}
    out = []   # (E, parity, vector, residual)
    for k, (e_par, _, _) in enumerate(items):
        prev = base

        def lam(E, k=k):
            nonlocal prev
            lev = _solve_level(shape, _kane_kappa(kap, V, gaps, E), V, hard, h, pad,
                               n_states=k + 1, guess=prev, **opts)
            iters[k] = iters.get(k, 0) + int(sum(lev.iterations.values()))
            prev = lev
            e, p, i = _merge(lev, k + 1)[k]
            return float(e), p, i, lev

        x0 = float(e_par)
        l0, p, i, lev = lam(x0)
        f0 = l0 - x0
        x1 = l0
        best = (abs(f0), l0, p, i, lev)
        for _ in range(KANE_MAXITER):
            l1, p, i, lev = lam(x1)
            f1 = l1 - x1
            if abs(f1) < best[0]:
                best = (abs(f1), l1, p, i, lev)
            if abs(f1) < KANE_TOL_EV:
                break
            x0, f0, x1 = x1, f1, (x1 - f1 * (x1 - x0) / (f1 - f0) if f1 != f0 else l1)
        err, e, p, i, lev = best
        if err > 10 * KANE_TOL_EV + opts["tol"] ** 2:
            raise GridConvergenceError(
                f"Kane-mass self-consistency of grid state {k + 1} did not converge: "
                f"|E(m(E)) - E| = {err:.3g} eV after {KANE_MAXITER} iterations")
        w, X, res = lev.found[p]
        out.append((e, p, X[:, i], res[i]))
    found, blocks = {}, {}
    for p in {t[1] for t in out}:
        sel = sorted((t for t in out if t[1] == p), key=lambda t: t[0])
        X = np.stack([t[2] for t in sel], axis=1)
        found[p] = (np.array([t[0] for t in sel]), X, np.array([t[3] for t in sel]))
        blocks[p] = X
    return _Level(h, base.coords, base.sym, base.active, base.label, found, base.n_unknowns,
                  {str(key): v for key, v in iters.items()}, blocks)
