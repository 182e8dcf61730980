"""Bessel-function columns, layer parameters and the transfer (shooting) of the spherical
4x4 Luttinger hole equations (:mod:`qdlab.electronic.kp.luttinger`): the bulk solutions
in each layer, Wronskian-based transfer across interfaces, the 4x4 boundary determinant
and its bracketed roots.  See :mod:`qdlab.electronic.kp.luttinger` for the equations and
references."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qdlab.constants import HBAR2_2M0
from qdlab.errors import QdlabInputError

#: Smallest |E - V| (eV) used in the layer bases: the transfer is continuous through
#: E = V, so the error of this offset is below 1e-9 eV.
_DE_MIN = 1e-10
#: Illinois iterations and relative tolerance of the roots.
_MAX_ILLINOIS = 80
_RTOL = 1e-12


# ------------------------------------------------------------------ Bessel forms
def _columns(q, r, g1, g, osc, ref, which="both"):
    """Solutions (hh, lh regular; hh, lh irregular) as 4-vectors at r.

    ``q``: (.., 2) wavenumbers squared (hh, lh) in 1/nm^2 (sign of E - V);
    ``ref``: radius (nm) at which growing/decaying waves are scaled to O(1);
    ``which``: "reg" (j / i), "irr" (y / k) or "both".
    Returns an array (..., 4, n): rows R0, R2, F0, F2; columns hh_reg, lh_reg
    (then hh_irr, lh_irr).

    One closed form serves both regimes: with ``S, C = sin x, cos x`` (oscillatory,
    sigma = +1) or ``e^-x sinh x, e^-x cosh x`` (evanescent, sigma = -1),
    ``f0 = S/x``, ``f1 = sigma (S/x - C)/x``, ``f2 = (3/x^2 - sigma) S/x - 3C/x^2`` are
    ``j0, j1, j2`` or ``e^-x (i0, i1, i2)``; then ``R0' = -sigma k f1`` and
    ``R2' + 3 R2/r = k f1`` for the column ``(f0, c f2)``.
    """
    k = np.sqrt(np.abs(q))                  # (..., 2)
    rr = r[..., None]
    x = k * rr
    all_osc = bool(np.all(osc))
    all_ev = not all_osc and not bool(np.any(osc))
    o = osc[..., None]
    g1e, ge = g1[..., None], g[..., None]
    blocks = []
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        ix = 1.0 / x
        ix2 = ix * ix
        if all_osc:
            sig = 1.0
            c = np.array([-1.0, 1.0])
        elif all_ev:
            sig = -1.0
            c = np.array([1.0, -1.0])
        else:
            sig = np.where(o, 1.0, -1.0)
            c = -sig * np.array([1.0, -1.0])      # hh: -sigma, lh: +sigma
        sn = cs = e2 = None
        if not all_ev:
            sn, cs = np.sin(x), np.cos(x)
        if not all_osc:
            e2 = np.exp(-2.0 * (x if all_ev else np.where(o, 0.0, x)))
            xr = k * ref[..., None]
        if which in ("reg", "both"):
            if all_osc:
                S, C = sn, cs
            elif all_ev:
                S, C = 0.5 * (1.0 - e2), 0.5 * (1.0 + e2)
            else:
                S = np.where(o, sn, 0.5 * (1.0 - e2))
                C = np.where(o, cs, 0.5 * (1.0 + e2))
            f0 = S * ix
            f1 = sig * (f0 - C) * ix
            f2 = (3.0 * ix2 - sig) * f0 - 3.0 * C * ix2
            small = x < 0.3
            if small.any():
                x2 = x * x * sig
                ex = 1.0 if all_osc else np.where(o, 1.0, np.exp(-x))
                f0 = np.where(small, ex * (1.0 - x2 / 6.0 * (1.0 - x2 / 20.0
                                                             * (1.0 - x2 / 42.0))), f0)
                f1 = np.where(small, ex * x / 3.0 * (1.0 - x2 / 10.0 * (
                    1.0 - x2 / 28.0 * (1.0 - x2 / 54.0))), f1)
                f2 = np.where(small, ex * x * x / 15.0 * (1.0 - x2 / 14.0 * (
                    1.0 - x2 / 36.0 * (1 - x2 / 66.0))), f2)
            if not all_osc:
                # i(kr) e^{-k ref} = (e^{-x} i) e^{x - k ref}
                gi = np.exp(np.minimum(x - xr, 700.0))
                if not all_ev:
                    gi = np.where(o, 1.0, gi)
                f0, f1, f2 = f0 * gi, f1 * gi, f2 * gi
            kf1 = k * f1
            blocks.append((f0, f2, -sig * kf1, kf1))
        if which in ("irr", "both"):
            if not all_osc:
                gk = np.exp(np.maximum(xr - x, -745.0)) * ix
                k0 = gk
                k1 = (1.0 + ix) * gk
                k2 = (1.0 + 3.0 * ix + 3.0 * ix2) * gk
            if not all_ev:
                y0 = -cs * ix
                y1 = (-cs * ix - sn) * ix
                y2 = (1.0 - 3.0 * ix2) * cs * ix - 3.0 * sn * ix2
            if all_ev:
                kk1 = -k * k1
                blocks.append((k0, k2, kk1, kk1))
            elif all_osc:
                ky1 = k * y1
                blocks.append((y0, y2, -ky1, ky1))
            else:
                f0 = np.where(o, y0, k0)
                f2 = np.where(o, y2, k2)
                d0 = np.where(o, -k * y1, -k * k1)
                p2 = np.where(o, k * y1, -k * k1)
                blocks.append((f0, f2, d0, p2))
    out = np.empty(q.shape[:-1] + (4, 2 * len(blocks)))
    for i, (f0, f2, d0, p2) in enumerate(blocks):
        sl = slice(2 * i, 2 * i + 2)
        cf2 = c * f2
        out[..., 0, sl] = f0
        out[..., 1, sl] = cf2
        out[..., 2, sl] = g1e * d0 - 2.0 * ge * c * p2
        out[..., 3, sl] = g1e * (c * p2 - 3.0 * cf2 / rr) - 2.0 * ge * d0
    return out


#: Path coefficients of the anisotropic (mu) part of the radial energy functional for the
#: two-component F = 3/2 states (L = l, l + 2): (a_minus, a_plus) for L = l through the
#: gradient components L - 1 and L + 1, (b_minus, b_plus) for L = l + 2, and the coupling o
#: (through L = l + 1).  From the recoupling of the gradient vector-spinor harmonics
#: (6j symbols); the bulk heavy and light masses 1/(gamma1 -+ 2 gamma) follow from them
#: (see the module notes and the tests).
_PATHS = {
    0: ((0.0, 0.0), (0.0, 0.0), -1.0),                              # 1S3/2, 2S3/2 ...
    1: ((-2.0 / 3.0, -2.0 / 15.0), (18.0 / 35.0, 2.0 / 7.0), -0.6),  # 1P3/2, 2P3/2 ...
}


def _bulk_ratios(l):
    """R_{l+2}/R_l of the heavy and light bulk solutions (oscillatory), (c_hh, c_lh)."""
    (a1, a2), (b1, b2), o = _PATHS[l]
    d = (b1 + b2) - (a1 + a2)
    roots = np.array([(-d + np.sqrt(d * d + 4 * o * o)) / (2 * o),
                      (-d - np.sqrt(d * d + 4 * o * o)) / (2 * o)])
    # heavy: eigenvalue 1 - mu, i.e. 1 + mu (a1 + a2) - o mu c = 1 - mu
    heavy = np.isclose((a1 + a2) - o * roots, -1.0)
    return float(roots[heavy][0]), float(roots[~heavy][0])


def _columns_general(l, q, r, g1, g, osc, ref, which="both"):
    """:func:`_columns` for components (l, l + 2) with l >= 1 (scipy Bessel functions)."""
    from scipy import special as sp

    (a1, a2), (b1, b2), o = _PATHS[l]
    ch, cl = _bulk_ratios(l)
    k = np.sqrt(np.abs(q))
    rr = r[..., None]
    x = np.maximum(k * rr, 1e-300)
    oo = osc[..., None]
    sgn = np.where(oo, 1.0, -1.0)
    c = sgn * np.array([ch, cl])       # j_l(ix) = i^l i_l(x): R_{l+2}/R_l changes sign
    g1e, ge = g1[..., None], g[..., None]
    mu2 = 2.0 * ge                     # gamma1 mu
    blocks = []
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        xr = k * ref[..., None]
        for kind in (("reg",) if which == "reg" else ("irr",) if which == "irr"
                     else ("reg", "irr")):
            f = {}
            for n in range(l - 1, l + 4):
                if kind == "reg":
                    fo = sp.spherical_jn(n, x)
                    fe = (np.sqrt(np.pi / (2 * x)) * sp.ive(n + 0.5, x)
                          * np.exp(np.minimum(x - xr, 700.0)))
                else:
                    fo = sp.spherical_yn(n, x)
                    fe = (np.sqrt(np.pi / (2 * x)) * sp.kve(n + 0.5, x)
                          * np.exp(np.maximum(xr - x, -745.0)))
                f[n] = np.where(oo, fo, fe)
            # (d - n/r) f_n = s_up k f_{n+1}; (d + (n+1)/r) f_n = s_dn k f_{n-1}
            if kind == "reg":
                s_up = np.where(oo, -1.0, 1.0)
                s_dn = 1.0
            else:
                s_up = -1.0
                s_dn = np.where(oo, 1.0, -1.0)
            Rl, Rl2 = f[l], c * f[l + 2]
            up_l = s_up * k * f[l + 1]
            dn_l = s_dn * k * f[l - 1]
            dn_l2 = c * s_dn * k * f[l + 1]
            up_l2 = c * s_up * k * f[l + 3]
            dRl = up_l + l * Rl / rr
            dRl2 = up_l2 + (l + 2) * Rl2 / rr
            Fl = g1e * dRl + mu2 * (a1 * dn_l + a2 * up_l + o * dn_l2)
            Fl2 = g1e * dRl2 + mu2 * (b1 * dn_l2 + b2 * up_l2 + o * up_l)
            blocks.append((Rl, Rl2, Fl, Fl2))
    out = np.empty(q.shape[:-1] + (4, 2 * len(blocks)))
    for i, comps in enumerate(blocks):
        for row, v in enumerate(comps):
            out[..., row, 2 * i:2 * i + 2] = v
    return out


def _cols(l, q, r, g1, g, osc, ref, which="both"):
    if l == 0:
        return _columns(q, r, g1, g, osc, ref, which)
    return _columns_general(l, q, r, g1, g, osc, ref, which)


# ------------------------------------------------------------------ parameters
@dataclass(frozen=True)
class _LParams:
    r: np.ndarray    # (N, L) outer radii, nm
    V: np.ndarray    # (N, L+1) hole potential, eV (medium may be +inf)
    g1: np.ndarray   # (N, L+1) gamma1
    g: np.ndarray    # (N, L+1) spherical gamma
    l: int = 0       # lower orbital momentum of the pair (l, l + 2)

    def take(self, idx):
        return _LParams(self.r[idx], self.V[idx], self.g1[idx], self.g[idx], self.l)

    @property
    def hard(self):
        return np.isinf(self.V[:, -1])

    def q(self, E, j):
        """(N, 2) wavenumbers^2 (hh, lh) in region j at E (N,), and the oscillation flag."""
        dE = E - self.V[:, j]
        dE = np.where(np.abs(dE) < _DE_MIN, np.where(dE < 0, -_DE_MIN, _DE_MIN), dE)
        mh = 1.0 / (self.g1[:, j] - 2.0 * self.g[:, j])
        ml = 1.0 / (self.g1[:, j] + 2.0 * self.g[:, j])
        q = np.stack([mh * dE, ml * dE], axis=1) / HBAR2_2M0
        return q, dE > 0, dE


def _as_2d(value, name):
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise QdlabInputError(f"{name} must be numbers, got {value!r}") from None
    if arr.ndim > 2:
        raise QdlabInputError(f"{name} must be at most 2-D (structures, layers), "
                              f"got shape {arr.shape}")
    return np.atleast_2d(arr) if arr.ndim else arr.reshape(1, 1)


def _prepare(radii_nm, potential_eV, gamma1, gamma) -> _LParams:
    r = _as_2d(radii_nm, "radii_nm")
    arrs = [r] + [_as_2d(a, n) for a, n in ((potential_eV, "potential_eV"), (gamma1, "gamma1"),
                                              (gamma, "gamma"))]
    L = r.shape[1]
    for a, n in zip(arrs[1:], ("potential_eV", "gamma1", "gamma"), strict=True):
        if a.shape[1] != L + 1:
            raise QdlabInputError(f"{n} must have L+1 = {L + 1} columns (each layer, then the "
                                  f"medium) for {L} radii, got {a.shape[1]}")
    n = {a.shape[0] for a in arrs} - {1}
    if len(n) > 1:
        raise QdlabInputError(f"radii_nm, potential_eV, gamma1 and gamma must have the same "
                              f"number of structures (rows), got {sorted(n)}")
    N = n.pop() if n else 1
    r, V, g1, g = (np.ascontiguousarray(np.broadcast_to(a, (N, a.shape[1]))) for a in arrs)
    if not np.all(np.isfinite(r)) or np.any(r <= 0):
        raise QdlabInputError(f"radii_nm must be > 0 nm, got {r[~(np.isfinite(r) & (r > 0))][0]:g}")
    if L > 1 and np.any(np.diff(r, axis=1) <= 0):
        raise QdlabInputError("radii_nm must increase strictly from the core outwards")
    if not np.all(np.isfinite(V[:, :L])):
        raise QdlabInputError("potential_eV of the layers must be finite eV")
    if np.any(np.isnan(V[:, L])) or np.any(V[:, L] == -np.inf):
        raise QdlabInputError("potential_eV of the medium must be finite or +inf eV")
    if not (np.all(np.isfinite(g1)) and np.all(np.isfinite(g))):
        raise QdlabInputError("gamma1 and gamma must be finite")
    if np.any(g < 0) or np.any(g1 <= 2.0 * g):
        i = np.argwhere((g < 0) | (g1 <= 2.0 * g))[0]
        raise QdlabInputError(f"Luttinger parameters need gamma1 > 2*gamma >= 0 (positive heavy-"
                              f"hole mass), got gamma1={g1[tuple(i)]:g}, gamma={g[tuple(i)]:g}")
    return _LParams(r, V, g1, g)


# ------------------------------------------------------------------ shooting
def _core_columns(p: _LParams, E, r_eval=None):
    """Core columns (N, 4, 2) at r_eval (default r_1): hh and (lh - hh)/(E - V_core)."""
    r1 = p.r[:, 0]
    r = r1 if r_eval is None else r_eval
    q, osc, dE = p.q(E, 0)
    # common scale: for E < V_core use e^{-k_h r1} for both (heavy wave grows fastest)
    M = _cols(p.l, q, r, p.g1[:, 0], p.g[:, 0], osc, r1, "reg")
    # the lh column in _columns is scaled with its own k; rescale it to the common scale
    kh, kl = np.sqrt(np.abs(q[:, 0])), np.sqrt(np.abs(q[:, 1]))
    fix = np.where(osc, 1.0, np.exp(-(kh - kl) * r1))
    hh = M[..., 0]
    lh = M[..., 1] * fix[:, None]
    if p.l:
        # regular solutions vanish as (k r)^l: divide by (k r1)^l (positive) so that both
        # columns tend to the same limit at the band edge
        hh = hh / np.maximum(kh * r1, 1e-300)[:, None] ** p.l
        lh = lh / np.maximum(kl * r1, 1e-300)[:, None] ** p.l
    return np.stack([hh, (lh - hh) / dE[:, None]], axis=-1)


def _wronskian(A, B, r):
    """W(a, b) = r^2 (R_a . F_b - F_a . R_b) for all column pairs: (N, na, nb)."""
    return (r * r)[:, None, None] * (np.einsum("nki,nkj->nij", A[:, :2], B[:, 2:])
                                     - np.einsum("nki,nkj->nij", A[:, 2:], B[:, :2]))


def _basis_coefficients(M, Y, r):
    """Coefficients C with M C = Y for the layer basis M (N, 4, 4) at radius r.

    The radial system is self-adjoint, so the Wronskian W(a, b) = r^2 (R_a.F_b -
    F_a.R_b) of two solutions at the same energy is constant; in the basis (hh, lh
    regular; hh, lh irregular) it vanishes between different branches and between
    the two regular (and the two irregular) solutions, so
    ``C_reg = -W(irr, Y) / W(reg, irr)`` and ``C_irr = W(reg, Y) / W(reg, irr)``
    (no linear solve).
    """
    W = _wronskian(M, Y, r)                       # (N, 4, 2)
    rr = (r * r)[:, None]
    d = rr * (np.einsum("nki,nki->ni", M[:, :2, :2], M[:, 2:, 2:])
              - np.einsum("nki,nki->ni", M[:, 2:, :2], M[:, :2, 2:]))   # W(reg_b, irr_b)
    C = np.empty_like(W)
    C[:, :2] = -W[:, 2:] / d[:, :, None]
    C[:, 2:] = W[:, :2] / d[:, :, None]
    return C


def _det42(A, B):
    """det [A | B] of two (N, 4, 2) blocks by the Laplace expansion in 2x2 minors."""
    def m(X, i, j):
        return X[:, i, 0] * X[:, j, 1] - X[:, j, 0] * X[:, i, 1]
    return (m(A, 0, 1) * m(B, 2, 3) - m(A, 0, 2) * m(B, 1, 3) + m(A, 0, 3) * m(B, 1, 2)
            + m(A, 1, 2) * m(B, 0, 3) - m(A, 1, 3) * m(B, 0, 2) + m(A, 2, 3) * m(B, 0, 1))


def _propagate(p: _LParams, E, keep=False):
    """Carry the core columns to r_L. Returns Y (N, 4, 2) and, with keep, per-layer data."""
    Y = _core_columns(p, E)
    nrm = np.sqrt(np.einsum("nij,nij->nj", Y, Y))
    nrm = np.where(nrm > 0, nrm, 1.0)
    Y = Y / nrm[:, None, :]
    logs = [np.log(nrm)]
    states = [Y]
    L = p.r.shape[1]
    coefs = [None]
    for j in range(1, L):
        a, b = p.r[:, j - 1], p.r[:, j]
        q, osc, _ = p.q(E, j)
        Ma = _cols(p.l, q, a, p.g1[:, j], p.g[:, j], osc, a)
        Mb = _cols(p.l, q, b, p.g1[:, j], p.g[:, j], osc, a)
        C = _basis_coefficients(Ma, Y, a)
        Y = Mb @ C
        nrm = np.sqrt(np.einsum("nij,nij->nj", Y, Y))
        nrm = np.where(nrm > 0, nrm, 1.0)
        Y = Y / nrm[:, None, :]
        if keep:
            coefs.append(C)
            logs.append(np.log(nrm))
            states.append(Y)
    if keep:
        return Y, {"coefs": coefs, "logs": logs, "states": states}
    return Y, None


def _medium_columns(p: _LParams, E, r_eval=None):
    L = p.r.shape[1]
    rL = p.r[:, L - 1]
    r = rL if r_eval is None else r_eval
    q, osc, _ = p.q(E, L)
    return _cols(p.l, q, r, p.g1[:, L], p.g[:, L], np.zeros_like(osc), rL, "irr")


def _det(p: _LParams, E):
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        Y, _ = _propagate(p, E)
        hard = p.hard
        D = np.empty(E.shape)
        if hard.any():
            Yh = Y[hard]
            D[hard] = Yh[:, 0, 0] * Yh[:, 1, 1] - Yh[:, 0, 1] * Yh[:, 1, 0]
        soft = ~hard
        if soft.any():
            ps = p.take(soft)
            K = _medium_columns(ps, E[soft])
            K = K / np.sqrt(np.einsum("nij,nij->nj", K, K))[:, None, :]
            D[soft] = _det42(Y[soft], K)
    return D


def _illinois(f, a, b, fa, fb, tol):
    """Vectorised Illinois iteration for f(E) = 0 in [a, b], f(a) f(b) <= 0 (f takes an index)."""
    a, b, fa, fb = a.copy(), b.copy(), fa.copy(), fb.copy()
    root = np.where(fa == 0, a, np.where(fb == 0, b, np.nan))
    side = np.zeros(a.shape, dtype=np.int8)
    act = np.flatnonzero(np.isnan(root))
    for _ in range(_MAX_ILLINOIS):
        if act.size == 0:
            break
        A, B, FA, FB = a[act], b[act], fa[act], fb[act]
        with np.errstate(divide="ignore", invalid="ignore"):
            c = (A * FB - B * FA) / (FB - FA)
        bad = ~((c > np.minimum(A, B)) & (c < np.maximum(A, B)))
        c = np.where(bad, 0.5 * (A + B), c)
        fc = f(c, act)
        sd = side[act]
        keep_b = fc * FB > 0
        keep_a = ~keep_b & (fc * FA > 0)
        B = np.where(keep_b, c, B)
        FB = np.where(keep_b, fc, FB)
        FA = np.where(keep_b & (sd == -1), 0.5 * FA, FA)
        A = np.where(keep_a, c, A)
        FA = np.where(keep_a, fc, FA)
        FB = np.where(keep_a & (sd == 1), 0.5 * FB, FB)
        sd = np.where(keep_b, -1, np.where(keep_a, 1, sd)).astype(np.int8)
        a[act], b[act], fa[act], fb[act], side[act] = A, B, FA, FB, sd
        done = (fc == 0) | (np.abs(B - A) <= tol[act]) | ~np.isfinite(fc)
        root[act[done]] = np.where(fc[done] == 0, c[done], 0.5 * (A[done] + B[done]))
        act = act[~done]
    if act.size:
        root[act] = 0.5 * (a[act] + b[act])
    return root


#: Largest phi of the n-th even F = 3/2 root for any beta (the n-th zero of j2 bounds it).
_J2_ZEROS = (5.7635, 9.0950, 12.3229, 15.5146, 18.6890, 21.8539, 25.0128, 28.1678)
#: The same bound for the odd F = 3/2 roots (zeros of j3).
_J3_ZEROS = (6.9879, 10.4171, 13.6980, 16.9236, 20.1218, 23.3042, 26.4768, 29.6426)


def _solve(p: _LParams, n_states: int, n_scan: int):
    N, L = p.r.shape
    vmin = p.V[:, :L].min(axis=1)
    vmax = p.V[:, :L].max(axis=1)
    vtop = p.V[:, L]
    mh_min = (1.0 / (p.g1[:, :L] - 2.0 * p.g[:, :L])).min(axis=1)
    zeros = _J2_ZEROS if p.l == 0 else _J3_ZEROS
    z = zeros[min(n_states, len(zeros)) - 1] + np.pi * max(0, n_states - len(zeros))
    # hard-wall bound with the lightest heavy hole and the highest band edge (inflated)
    kin = 1.05 * HBAR2_2M0 * z * z / (mh_min * p.r[:, L - 1] ** 2)
    energies = np.full((N, n_states), np.nan)
    todo = np.flatnonzero(vtop > vmin)
    hi_all = np.minimum(vmax + kin, vtop)
    for _attempt in range(4):
        if todo.size == 0:
            break
        sub = p.take(todo)
        lo, hi = vmin[todo], hi_all[todo]
        # scan uniform in sqrt(E - vmin), excluding the band edge itself
        s = np.linspace(0.0, 1.0, n_scan + 1)[1:] ** 2
        grid = lo[:, None] + (hi - lo)[:, None] * s[None, :]
        grid[:, -1] = np.where(np.isinf(vtop[todo]), hi, np.minimum(hi, vtop[todo] - 1e-9))
        n = todo.size
        sub_rep = sub.take(np.repeat(np.arange(n), n_scan))
        D = _det(sub_rep, grid.ravel()).reshape(n, n_scan)
        sc = np.signbit(D[:, 1:]) != np.signbit(D[:, :-1])
        found = np.cumsum(sc, axis=1)
        for k in range(n_states):
            has = found[:, -1] >= k + 1
            idx = np.flatnonzero(has)
            if idx.size == 0:
                continue
            col = np.argmax(found[idx] >= k + 1, axis=1)
            a, b = grid[idx, col], grid[idx, col + 1]
            fa, fb = D[idx, col], D[idx, col + 1]
            ps = sub.take(idx)

            def f(E, act, ps=ps):
                return _det(ps.take(act), E)

            tol = _RTOL * np.maximum(np.abs(b), 1e-3) + 1e-15
            energies[todo[idx], k] = _illinois(f, a, b, fa, fb, tol)
        # structures that found fewer levels than asked and whose scan stopped below the
        # barrier: widen the bracket and scan again (finer)
        short = (found[:, -1] < n_states) & (hi < vtop[todo] - 1e-9)
        hi_all[todo[short]] = np.minimum(vmax[todo[short]] + 4.0 * (hi[short] - vmax[todo[short]]),
                                         vtop[todo[short]])
        todo = todo[short]
        n_scan = 2 * n_scan
    energies = np.sort(energies, axis=1)
    return energies, np.isfinite(energies)
