r"""The coarse Poisson grid around the carriers and its transfers to the state grid.

The Coulomb and self-polarisation terms of :mod:`qdlab.electronic.grid.coulomb` solve
the Poisson equation on a grid of their own, spacing :math:`H`
(``poisson_resolution_nm``, default 0.3 nm), independent of the state grid spacing
:math:`h` of :func:`qdlab.electronic.grid.solve_grid`.  This module builds that grid
and moves densities and fields between the two grids.

Notes
-----
*Box.*  Centred on the state grid and covering, on each axis, the nodes where either
carrier has density above ``_SOURCE_CUT`` (1e-6) of its peak, plus ``pad_nm``
(1.5 nm) of medium, rounded up to whole spacings :math:`H`:

.. math::

    x_k = c + k H, \qquad |k| \le \Big\lceil \frac{\max|x_{\rm dens} - c| + p}{H}
    \Big\rceil .

*Transfers.*  A field on the Poisson grid reaches the state grid by trilinear
interpolation, :math:`f_{\rm fine} = (P_x \otimes P_y \otimes P_z) f_{\rm coarse}`,
with one 1D linear-interpolation matrix :math:`P_d` per axis; charges go the other
way with the adjoint :math:`P^T` (restriction), which conserves the total charge
:math:`\sum q = \int\rho\,d^3r`.

References
----------
.. [1] W. L. Briggs, V. E. Henson, S. F. McCormick, *A Multigrid Tutorial*, 2nd ed.
   (SIAM, 2000), ch. 3 (interpolation and its adjoint as restriction).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["DEFAULT_PAD_NM", "DEFAULT_POISSON_RESOLUTION_NM"]

#: Default medium padding (nm) added around the carriers' densities for the Poisson solves.
DEFAULT_PAD_NM: float = 1.5
#: Default spacing (nm) of the Poisson grid (independent of the state grid).
DEFAULT_POISSON_RESOLUTION_NM: float = 0.3
#: Nodes whose density is below this fraction of the peak are not self-energy sources.
_SOURCE_CUT = 1e-6


def _interp_matrix(x_fine, x_coarse) -> np.ndarray:
    """Linear interpolation weights (n_fine, n_coarse) from a uniform coarse axis; 0 outside."""
    xc = np.asarray(x_coarse, float)
    H = xc[1] - xc[0]
    t = (np.asarray(x_fine, float) - xc[0]) / H
    i = np.clip(np.floor(t).astype(int), 0, len(xc) - 2)
    w = t - i
    P = np.zeros((len(t), len(xc)))
    ok = (t >= -1e-9) & (t <= len(xc) - 1 + 1e-9)
    rows = np.flatnonzero(ok)
    P[rows, i[ok]] = 1.0 - w[ok]
    P[rows, i[ok] + 1] += w[ok]
    return P


def _apply_axes(a, mats):
    """Apply one matrix per axis: out[a', b', c'] = sum M0[a', a] M1[b', b] M2[c', c] a[a, b, c]."""
    out = np.tensordot(mats[0], a, axes=(1, 0))
    out = np.moveaxis(np.tensordot(mats[1], out, axes=(1, 1)), 0, 1)
    return np.moveaxis(np.tensordot(mats[2], out, axes=(1, 2)), 0, 2)


def _poisson_box(need, fine, pad: float, H: float) -> list:
    """Node coordinates (nm) of the Poisson grid, symmetric about the state grid's centre.

    ``need`` marks the state-grid nodes where a carrier has density, ``fine`` holds the
    state-grid axes (nm); ``pad`` (nm) of medium is added and the half-widths are
    rounded up to whole spacings ``H`` (nm).
    """
    coords = []
    for d in range(3):
        ax = np.flatnonzero(np.any(need, axis=tuple(a for a in range(3) if a != d)))
        c = 0.5 * (fine[d][0] + fine[d][-1])
        half = max(abs(fine[d][ax[0]] - c), abs(fine[d][ax[-1]] - c)) + pad
        k = int(math.ceil(half / H - 1e-9))
        coords.append(c + H * np.arange(-k, k + 1))
    return coords
