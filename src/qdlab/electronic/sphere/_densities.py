"""Radial grids, layer tables and density checks shared by the spherical Coulomb modules (internal)."""

from __future__ import annotations

import numpy as np

from qdlab.errors import QdlabInputError

#: Relative tolerance on the density normalisation before an error is raised.
_NORM_RTOL = 0.05


def _grid(r_nm, min_points: int = 2) -> np.ndarray:
    r = np.asarray(r_nm, dtype=float)
    if r.ndim < 1 or r.shape[-1] < min_points:
        raise QdlabInputError(f"r_nm must be a radial grid with at least {min_points} points, "
                              f"got shape {r.shape}")
    if not np.all(np.isfinite(r)):
        raise QdlabInputError("r_nm must be finite (nm)")
    if np.any(r[..., 0] < 0):
        raise QdlabInputError(f"r_nm must start at >= 0 nm, got {float(np.min(r[..., 0])):g}")
    if np.any(np.diff(r, axis=-1) <= 0):
        raise QdlabInputError("r_nm must be strictly increasing (nm)")
    return r


def _layers(radii_nm, eps_layers, eps_medium):
    radii = np.asarray(radii_nm, dtype=float)
    eps = np.asarray(eps_layers, dtype=float)
    if radii.ndim == 0:
        radii = radii[None]
    if eps.ndim == 0:
        eps = eps[None]
    if radii.shape[-1] != eps.shape[-1]:
        raise QdlabInputError(f"radii_nm and eps_layers must have the same number of layers, "
                              f"got {radii.shape[-1]} and {eps.shape[-1]}")
    if radii.shape[-1] < 1:
        raise QdlabInputError("radii_nm must hold at least one layer radius")
    _positive(radii, "radii_nm", "nm")
    _positive(eps, "eps_layers", "")
    if np.any(np.diff(radii, axis=-1) <= 0):
        raise QdlabInputError("radii_nm must be strictly increasing from the core outwards")
    eps_m = np.asarray(eps_medium, dtype=float)
    _positive(eps_m, "eps_medium", "")
    return radii, eps, eps_m


def _positive(arr: np.ndarray, name: str, unit: str) -> None:
    ok = np.isfinite(arr) & (arr > 0)
    if not np.all(ok):
        bad = float(arr[~ok].flat[0]) if arr.ndim else float(arr)
        raise QdlabInputError(f"{name} must be > 0{(' ' + unit) if unit else ''}, got {bad:g}")


def _density(rho, name: str) -> np.ndarray:
    p = np.asarray(rho, dtype=float)
    if p.ndim < 1:
        raise QdlabInputError(f"{name} must be sampled on r_nm (shape (..., M)), got a scalar")
    if not np.all(p >= 0):                     # also catches NaN
        bad = p[~(p >= 0)].flat[0]
        raise QdlabInputError(f"{name} must be a probability density R(r)^2 >= 0 (1/nm^3), "
                              f"got {float(bad):g}")
    return p


def _weights(r: np.ndarray):
    """Trapezoid weights w and half right-steps h: int_0^{r_m} f = cumsum(f w)_m - f_m h_m."""
    dr = np.diff(r, axis=-1)
    w = np.zeros(r.shape)
    w[..., :-1] += 0.5 * dr
    w[..., 1:] += 0.5 * dr
    h = np.zeros(r.shape)
    h[..., :-1] = 0.5 * dr
    return w, h


def _trapz(f: np.ndarray, r: np.ndarray) -> np.ndarray:
    w, _ = _weights(r)
    if r.ndim == 1:
        return f @ w
    return np.sum(f * w, axis=-1)


def _check_norm(norm: np.ndarray, name: str) -> None:
    dev = np.abs(np.asarray(norm) - 1.0)
    if not np.all(dev <= _NORM_RTOL):                  # also catches inf / NaN
        bad = float(np.ravel(norm)[int(np.argmax(np.where(np.isfinite(dev), dev, np.inf)))])
        raise QdlabInputError(f"{name} must be normalised, integral of P(r) r^2 dr = 1 on r_nm "
                              f"(within {_NORM_RTOL:g}), got {bad:g}")


def _enclosed(r, p, wr2, hr2, name):
    """Enclosed probability F(r) = int_0^r P r'^2 dr' (not normalised) and its norm F(r_max)."""
    F = p * wr2
    np.cumsum(F, axis=-1, out=F)
    F -= p * hr2
    r0 = r[..., :1]
    if np.any(r0 > 0):                      # grid starting at r0 > 0: ball with P ~ P(r0)
        F += p[..., :1] * r0**3 / 3.0
    norm = F[..., -1].copy()
    _check_norm(norm, name)
    return F, norm


def _segment_sums(a: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Sums of a[..., :idx_0], a[..., idx_0:idx_1], ..., a[..., idx_{K-1}:] in one pass.

    ``a`` (..., M) contiguous, ``idx`` (..., K) non-decreasing in [1, M-1] with the same
    leading shape; returns (..., K+1).
    """
    M = a.shape[-1]
    K = idx.shape[-1]
    flat = a.reshape(-1, M)
    ix = idx.reshape(-1, K)
    starts = np.concatenate([np.zeros((ix.shape[0], 1), dtype=np.intp), ix], axis=1)
    seg = np.add.reduceat(flat.ravel(), (starts + (np.arange(ix.shape[0]) * M)[:, None]).ravel())
    seg = seg.reshape(ix.shape[0], K + 1)
    empty = np.concatenate([starts[:, 1:] == starts[:, :-1], np.zeros((ix.shape[0], 1), bool)],
                           axis=1)
    seg[empty] = 0.0                          # reduceat returns a[i] for an empty segment
    return seg.reshape(idx.shape[:-1] + (K + 1,))


def _flat(a: np.ndarray, lead: tuple, ntail: int) -> np.ndarray:
    """View of ``a`` as (n, *tail) (or (1, *tail) when it does not vary over ``lead``)."""
    tail = a.shape[a.ndim - ntail:] if ntail else ()
    alead = a.shape[:a.ndim - ntail]
    if all(d == 1 for d in alead):
        return a.reshape((1,) + tail)
    return np.broadcast_to(a, lead + tail).reshape((-1,) + tail)
