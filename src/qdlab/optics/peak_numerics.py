"""Numerics of the first-exciton peak finder (internal to :mod:`qdlab.optics.peaks`).

Savitzky-Golay smoothing and derivatives with polynomial edge handling
(A. Savitzky, M. J. E. Golay, Anal. Chem. 36, 1627 (1964)) and a vectorised
Levenberg-Marquardt fit of a Gaussian on a linear background to many spectra at once
(D. W. Marquardt, J. Soc. Ind. Appl. Math. 11, 431 (1963)).  The names stay importable
from :mod:`qdlab.optics.peaks`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.ndimage import convolve1d
from scipy.signal import savgol_coeffs


def _odd(n: float, lo: int = 5) -> int:
    n = max(int(round(n)), lo)
    return n if n % 2 else n + 1


@lru_cache(maxsize=32)
def _savgol_edges(w: int, order: int, deriv: int, delta: float):
    """Savitzky-Golay kernel and the (w//2, w) matrices that evaluate the polynomial
    fitted to the first / last w points at the edge positions (scipy's mode='interp')."""
    h = w // 2
    k = savgol_coeffs(w, order, deriv=deriv, delta=delta)
    left = np.array([savgol_coeffs(w, order, deriv=deriv, delta=delta, pos=p, use="dot")
                     for p in range(h)])
    right = np.array([savgol_coeffs(w, order, deriv=deriv, delta=delta, pos=p, use="dot")
                      for p in range(h + 1, w)])
    return k, left.T.copy(), right.T.copy()


def _savgol(Y: np.ndarray, w: int, order: int, deriv: int = 0, delta: float = 1.0):
    """``scipy.signal.savgol_filter(Y, w, order, deriv, delta, axis=-1, mode='interp')``
    for a 2-D array: one convolution over all rows plus two small matrix products for
    the edges (scipy fits the edge polynomials with one least-squares solve per row)."""
    k, left, right = _savgol_edges(int(w), int(order), int(deriv), float(delta))
    out = convolve1d(Y, k, axis=-1, mode="constant")
    h = w // 2
    out[:, :h] = Y[:, :w] @ left
    out[:, -h:] = Y[:, -w:] @ right
    return out


def _gauss_linear_jac(th, t, z, g):
    """Jacobian (m, k, 5) of a g + b0 + b1 t w.r.t. (a, x0, s, b0, b1); z = (t - x0)/s."""
    J = np.empty(t.shape + (5,))
    ag_s = th[:, 0:1] * g / th[:, 2:3]
    J[:, :, 0] = g
    J[:, :, 1] = ag_s * z
    J[:, :, 2] = J[:, :, 1] * z
    J[:, :, 3] = 1.0
    J[:, :, 4] = t
    return J


def _gauss_linear_resid(th, t, y):
    z = (t - th[:, 1:2]) / th[:, 2:3]
    g = np.exp(-0.5 * z * z)
    r = y - (th[:, 0:1] * g + th[:, 3:4] + th[:, 4:5] * t)
    return z, g, r


def _lm_gauss_linear(t, y, theta0, xc, max_iter: int = 30, rtol: float = 1e-10):
    """Vectorised Levenberg-Marquardt fit of y = a exp(-(t-x0)^2/2s^2) + b0 + b1 t.

    ``t`` (m, k) are the window abscissae relative to ``xc`` (m,) in nm; ``theta0``
    (m, 5) holds (a, x0, s, b0, b1) with x0 absolute (nm). Each spectrum stops as soon as
    an accepted step lowers its sum of squares by less than ``rtol`` (relative) or its
    damping exceeds 1e10; only unconverged spectra are iterated further (at most
    ``max_iter`` steps). Returns (theta, sse, JtJ at the solution).
    """
    m = y.shape[0]
    th = np.array(theta0, dtype=float)
    th[:, 1] -= xc
    lam = np.full(m, 1e-3)
    z, g, r = _gauss_linear_resid(th, t, y)
    sse = np.einsum("ij,ij->i", r, r)
    act = np.arange(m)
    eye5 = np.eye(5)
    for _ in range(max_iter):
        if act.size == 0:
            break
        ta, tha, ra = t[act], th[act], r[act]
        J = _gauss_linear_jac(tha, ta, z[act], g[act])
        Jt = J.transpose(0, 2, 1)
        JtJ = Jt @ J
        Jtr = (Jt @ ra[:, :, None])[:, :, 0]
        dg = np.maximum(JtJ[:, [0, 1, 2, 3, 4], [0, 1, 2, 3, 4]], 1e-30)
        Aug = JtJ + (lam[act, None] * dg)[:, :, None] * eye5
        try:
            step = np.linalg.solve(Aug, Jtr[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            step = (np.linalg.pinv(Aug) @ Jtr[:, :, None])[:, :, 0]
        trial = tha + step
        trial[:, 2] = np.abs(trial[:, 2])
        zt, gt, rt = _gauss_linear_resid(trial, ta, y[act])
        sse_t = np.einsum("ij,ij->i", rt, rt)
        sse_a = sse[act]
        better = np.isfinite(sse_t) & (sse_t <= sse_a)
        ib = act[better]
        th[ib], z[ib], g[ib], r[ib], sse[ib] = (trial[better], zt[better], gt[better],
                                                rt[better], sse_t[better])
        lam_a = np.where(better, lam[act] * 0.3, lam[act] * 10.0)
        lam[act] = lam_a
        done = (better & (sse_a - sse_t <= rtol * sse_a)) | (lam_a > 1e10)
        act = act[~done]
    J = _gauss_linear_jac(th, t, z, g)
    JtJ = J.transpose(0, 2, 1) @ J
    th[:, 1] += xc
    return th, sse, JtJ
