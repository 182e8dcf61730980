"""Shooting and root finding of the exact radial solver (internal to :mod:`~qdlab.electronic.sphere.radial`).

Transfer of the radial solution through piecewise-constant layers (spherical
Bessel forms, energy-dependent Kane mass), node counting, and bracketing plus
Illinois root finding of the eigenvalues; the method is described in
:mod:`qdlab.electronic.sphere.radial`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qdlab import _special as _sp  # scipy.special, spherical_jn/yn without dispatch overhead
from qdlab.constants import HBAR2_2M0
from qdlab.errors import QdlabInputError

#: Lower clip of the Kane factor ``1 + (E - V)/E_g`` in the energy-dependent mass.
KANE_MIN_FACTOR = 0.05


#: Smallest |k| r used in the Bessel forms (l > 0) near ``E = V``; the matrices are
#: entire in E, so the error of this offset is O(1e-10) relative.
_XMIN = 1e-5


_MAX_BISECT = 80


_MAX_ILLINOIS = 100


_RTOL = 1e-12


@dataclass(frozen=True)
class _Params:
    """Structure parameters (N structures, L layers), possibly a subset."""

    r: np.ndarray      # (N, L) outer radii, nm
    V: np.ndarray      # (N, L+1) band edges, eV (medium may be +inf)
    m: np.ndarray      # (N, L+1) band-edge masses, m0
    g: np.ndarray | None  # (N, L+1) gaps for Kane mass, eV (inf: parabolic)

    def take(self, idx):
        return _Params(self.r[idx], self.V[idx], self.m[idx],
                       None if self.g is None else self.g[idx])

    @property
    def hard(self):
        return np.isinf(self.V[:, -1])

    def masses(self, E):
        """Masses (N, L+1) at energy E (N,)."""
        if self.g is None:
            return self.m
        with np.errstate(invalid="ignore"):
            fac = 1.0 + (E[:, None] - self.V) / self.g
        fac = np.where(np.isfinite(fac), fac, 1.0)
        return self.m * np.maximum(fac, KANE_MIN_FACTOR)

    def wavenumbers_sq(self, E):
        """Masses (N, L+1) in m0 and ``q = k^2 = m (E - V) / (hbar^2/2m0)`` in 1/nm^2 at E (N,)."""
        m = self.masses(E)
        return m, m * (E[:, None] - self.V) / HBAR2_2M0


def _as_2d(value, name):
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise QdlabInputError(f"{name} must be numbers, got {value!r}") from None
    if arr.ndim > 2:
        raise QdlabInputError(f"{name} must be at most 2-D (structures, layers), "
                              f"got shape {arr.shape}")
    return np.atleast_2d(arr) if arr.ndim else arr.reshape(1, 1)


def _prepare(radii_nm, potential_eV, mass, gap_eV) -> _Params:
    r = _as_2d(radii_nm, "radii_nm")
    V = _as_2d(potential_eV, "potential_eV")
    m = _as_2d(mass, "mass")
    arrays = [r, V, m]
    if gap_eV is not None:
        arrays.append(_as_2d(gap_eV, "gap_eV"))
    L = r.shape[1]
    for arr, name in zip(arrays[1:], ["potential_eV", "mass", "gap_eV"], strict=False):
        if arr.shape[1] != L + 1:
            raise QdlabInputError(f"{name} must have L+1 = {L + 1} columns (each layer, then the "
                                  f"medium) for {L} radii, got {arr.shape[1]}")
    n = {a.shape[0] for a in arrays} - {1}
    if len(n) > 1:
        raise QdlabInputError(f"radii_nm, potential_eV, mass (and gap_eV) must have the same "
                              f"number of structures (rows), got {sorted(n)}")
    N = n.pop() if n else 1
    arrays = [np.ascontiguousarray(np.broadcast_to(a, (N, a.shape[1]))) for a in arrays]
    r, V, m = arrays[:3]
    g = arrays[3] if gap_eV is not None else None
    if not np.all(np.isfinite(r)) or np.any(r <= 0):
        bad = r[~(np.isfinite(r) & (r > 0))].flat[0]
        raise QdlabInputError(f"radii_nm must be > 0 nm, got {bad:g}")
    if L > 1 and np.any(np.diff(r, axis=1) <= 0):
        i = int(np.argmax(np.any(np.diff(r, axis=1) <= 0, axis=1)))
        raise QdlabInputError(f"radii_nm must increase strictly from the core outwards, got "
                              f"{r[i].tolist()} (structure {i})")
    if not np.all(np.isfinite(V[:, :L])):
        bad = V[:, :L][~np.isfinite(V[:, :L])].flat[0]
        raise QdlabInputError(f"potential_eV of the layers must be finite eV, got {bad:g}")
    vmed = V[:, L]
    if np.any(np.isnan(vmed)) or np.any(vmed == -np.inf):
        bad = vmed[np.isnan(vmed) | (vmed == -np.inf)][0]
        raise QdlabInputError(f"potential_eV of the medium must be finite or +inf eV, got {bad:g}")
    if not np.all(np.isfinite(m)) or np.any(m <= 0):
        bad = m[~(np.isfinite(m) & (m > 0))].flat[0]
        raise QdlabInputError(f"mass must be > 0 m0, got {bad:g}")
    if g is not None and (np.any(np.isnan(g)) or np.any(g <= 0)):
        bad = g[np.isnan(g) | (g <= 0)][0]
        raise QdlabInputError(f"gap_eV must be > 0 eV (inf for a parabolic band), got {bad:g}")
    return _Params(r, V, m, g)


# ------------------------------------------------------------- l = 0 closed forms
def _cs0(q, d):
    """Scaled cos / sin(kd)/k for the Riccati function chi = r R; q = k^2 (1/nm^2).

    Returns ``c, S, ls`` with the transfer matrix ``[[c, S], [-q S, c]]`` for
    ``(chi, chi')`` over a distance ``d``, scaled by ``exp(-ls)``.
    """
    s = np.sqrt(np.abs(q))
    x = s * d
    osc = q >= 0
    small = x < 1e-8
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # one branch only where every element is on the same side (the common case: one
        # layer of one carrier is allowed or forbidden for all structures of a block)
        if osc.all():
            c = np.cos(x)
            S = np.sin(x)
            S /= s
            return c, np.where(small, d, S), np.zeros_like(x)
        if not osc.any():
            e2 = np.exp(-2.0 * x)
            S = -0.5 * np.expm1(-2.0 * x)
            S /= s
            return 0.5 * (1.0 + e2), np.where(small, d, S), x
        e2 = np.exp(-2.0 * np.where(osc, 0.0, x))
        c = np.where(osc, np.cos(x), 0.5 * (1.0 + e2))
        S = np.where(small, d, np.where(osc, np.sin(x), -0.5 * np.expm1(-2.0 * x)) / s)
    ls = np.where(osc, 0.0, x)
    return c, S, ls


def _shot(D, nodes, states, q, m, count, keep):
    """Result of one shot (l = 0 or l > 0): the matching function ``D`` and what was asked for.

    ``count``: the number of levels below E, the nodes of the regular solution plus
    one where ``D`` has the sign opposite to ``(-1)^nodes`` (Sturm).  ``keep``: the
    interface states, ``q = k^2`` (1/nm^2) and the masses (m0) of every region.
    """
    out = {"D": D}
    if count:
        out["count"] = nodes + (np.sign(D) != np.where(nodes % 2 == 0, 1.0, -1.0))
    if keep:
        out["states"] = states
        out["q"] = q
        out["m"] = m
    return out


def _shoot0(E, p: _Params, count=False, keep=False):
    """l = 0 matching function D(E) (and node-based level count, interface states)."""
    r = p.r
    L = r.shape[1]
    m, q = p.wavenumbers_sq(E)
    # core
    c, S, ls = _cs0(q[:, 0], r[:, 0])
    chi, dchi = S, c
    a = r[:, 0]
    w = (dchi - chi / a) / m[:, 0]
    logs = ls
    nodes = None
    if count:
        k0 = np.sqrt(np.maximum(q[:, 0], 0.0))
        nodes = np.floor(k0 * r[:, 0] / np.pi)
        nodes += (nodes % 2 != (chi < 0))  # parity guard
    states = [(chi, w, logs.copy())] if keep else None
    for j in range(1, L):
        b = r[:, j]
        d = b - a
        qj = q[:, j]
        dchi = m[:, j] * w + chi / a
        c, S, ls = _cs0(qj, d)
        chi_b = c * chi + S * dchi
        dchi_b = -qj * S * chi + c * dchi
        if count:
            kj = np.sqrt(np.maximum(qj, 0.0))
            th = np.arctan2(kj * chi, dchi)
            osc_n = np.floor((th + kj * d) / np.pi) - np.floor(th / np.pi)
            ev_n = (chi * chi_b < 0).astype(float)
            dn = np.where(qj > 0, osc_n, ev_n)
            dn += (dn % 2 != ((chi < 0) != (chi_b < 0)))
            nodes = nodes + dn
        chi = chi_b
        w = (dchi_b - chi / b) / m[:, j]
        logs = logs + ls
        if keep:
            states.append((chi, w, logs.copy()))
        a = b
    hard = p.hard
    with np.errstate(invalid="ignore"):
        kap = np.sqrt(np.maximum(-np.where(hard, -1.0, q[:, L]), 0.0))
        D = np.where(hard, chi, w + (kap + 1.0 / a) * chi / m[:, L])
    return _shot(D, nodes, states, q, m, count, keep)


# ------------------------------------------------------------ general-l Bessel forms
def _jy(l, x):
    return (_sp.spherical_jn(l, x), _sp.spherical_jn(l, x, derivative=True),
            _sp.spherical_yn(l, x), _sp.spherical_yn(l, x, derivative=True))


def _ik(l, x):
    """Scaled modified spherical Bessel functions: e^-x i_l, e^-x i_l', e^x K_l, e^x K_l'.

    ``K_l = (2/pi) k_l`` (scipy convention for ``k_l``), Wronskian ``i K' - i' K = -1/x^2``.
    """
    fi = np.sqrt(np.pi / (2.0 * x))
    fk = np.sqrt(2.0 / (np.pi * x))
    i0 = fi * _sp.ive(l + 0.5, x)
    i1 = fi * _sp.ive(l + 1.5, x)
    k0 = fk * _sp.kve(l + 0.5, x)
    k1 = fk * _sp.kve(l + 1.5, x)
    return i0, i1 + (l / x) * i0, k0, -k1 + (l / x) * k0


def _theta(l, x, jv, yv):
    """Unwrapped phase of (j_l, y_l): atan2(y, j) on the branch with Theta(0+) = -pi/2."""
    nu = l + 0.5
    with np.errstate(invalid="ignore"):
        wkb = np.where(x > nu,
                       np.sqrt(np.maximum(x * x - nu * nu, 0.0))
                       - nu * np.arccos(np.minimum(nu / x, 1.0)) + np.pi / 4,
                       np.pi / 4 * (x / nu) ** 2) - np.pi / 2
    th = np.arctan2(yv, jv)
    return th + 2 * np.pi * np.round((wkb - th) / (2 * np.pi))


def _clamp_q(q, rr):
    qmin = (_XMIN / rr) ** 2
    return np.where(q >= 0, np.maximum(q, qmin), np.minimum(q, -qmin))


def _core_l(l, q, r):
    """Regular solution R = j_l(kr)/(kr)^l (or scaled i_l) and R' at r."""
    osc = q > 0
    s = np.sqrt(np.abs(q))
    x = s * r
    R = np.empty_like(x)
    dR = np.empty_like(x)
    ls = np.zeros_like(x)
    if osc.any():
        xo = x[osc]
        norm = xo ** l
        R[osc] = _sp.spherical_jn(l, xo) / norm
        dR[osc] = s[osc] * _sp.spherical_jn(l, xo, derivative=True) / norm
    ev = ~osc
    if ev.any():
        xe = x[ev]
        i0, di, _, _ = _ik(l, xe)
        norm = xe ** l
        R[ev] = i0 / norm
        dR[ev] = s[ev] * di / norm
        ls[ev] = xe
    return R, dR, ls


def _core_l_at(l, q, r, r1):
    """Regular solution at r < r1 with the normalisation of :func:`_core_l` at r1."""
    s = np.sqrt(np.abs(q))
    x = s * r
    norm = (s * r1) ** l
    osc = q > 0
    v = np.empty_like(x)
    v[osc] = _sp.spherical_jn(l, x[osc]) / norm[osc]
    ev = ~osc
    xe = np.maximum(x[ev], 1e-300)
    v[ev] = np.sqrt(np.pi / (2.0 * xe)) * _sp.ive(l + 0.5, xe) / norm[ev]
    return v, np.where(osc, 0.0, x)


def _layer_l(l, q, m, a, b, R, w, count):
    """Propagate (R, R'/m) from a to b; q clamped away from 0. Returns R_b, w_b, ls, nodes."""
    osc = q > 0
    s = np.sqrt(np.abs(q))
    xa, xb = s * a, s * b
    Rb = np.empty_like(R)
    wb = np.empty_like(R)
    ls = np.zeros_like(R)
    nodes = np.zeros_like(R) if count else None
    if osc.any():
        o = osc
        k, ma, xao, xbo, Ro, wo = s[o], m[o], xa[o], xb[o], R[o], w[o]
        ja, dja, ya, dya = _jy(l, xao)
        jb, djb, yb, dyb = _jy(l, xbo)
        x2 = xao * xao
        m11 = x2 * (dya * jb - dja * yb)
        m12 = ma * x2 / k * (ja * yb - ya * jb)
        m21 = k / ma * x2 * (dya * djb - dja * dyb)
        m22 = x2 * (ja * dyb - ya * djb)
        Rb[o] = m11 * Ro + m12 * wo
        wb[o] = m21 * Ro + m22 * wo
        if count:
            dRa = ma * wo / k
            alpha = x2 * (Ro * dya - ya * dRa)
            beta = x2 * (ja * dRa - Ro * dja)
            gam = np.arctan2(beta, alpha)
            tha = _theta(l, xao, ja, ya)
            thb = _theta(l, xbo, jb, yb)
            nodes[o] = (np.floor((thb - gam - np.pi / 2) / np.pi)
                        - np.floor((tha - gam - np.pi / 2) / np.pi))
    ev = ~osc
    if ev.any():
        e = ev
        kap, me_, xae, xbe, Re, we = s[e], m[e], xa[e], xb[e], R[e], w[e]
        ia, dia, Ka, dKa = _ik(l, xae)
        ib, dib, Kb, dKb = _ik(l, xbe)
        x2 = xae * xae
        f = np.exp(-2.0 * (xbe - xae))
        m11 = x2 * (dia * Kb * f - dKa * ib)
        m12 = me_ * x2 / kap * (Ka * ib - ia * Kb * f)
        m21 = kap / me_ * x2 * (dia * dKb * f - dKa * dib)
        m22 = x2 * (Ka * dib - ia * dKb * f)
        Rb[e] = m11 * Re + m12 * we
        wb[e] = m21 * Re + m22 * we
        ls[e] = xbe - xae
        if count:
            nodes[e] = (Re * Rb[e] < 0)
    if count:
        nodes += (nodes % 2 != ((R < 0) != (Rb < 0)))
    return Rb, wb, ls, nodes


def _medium_logderiv(l, kap, rL):
    """-(d/dr) ln K_l(kappa r) at r_L (> 0), in 1/nm."""
    x = kap * rL
    ratio = _sp.kve(l + 1.5, x) / _sp.kve(l + 0.5, x)
    return kap * ratio - l / rL


def _shoot_l(E, p: _Params, l, count=False, keep=False):
    r = p.r
    L = r.shape[1]
    m, q = p.wavenumbers_sq(E)
    q0 = _clamp_q(q[:, 0], r[:, 0])
    R, dR, logs = _core_l(l, q0, r[:, 0])
    w = dR / m[:, 0]
    nodes = None
    if count:
        nodes = np.zeros_like(R)
        osc = q0 > 0
        if osc.any():
            x = np.sqrt(q0[osc]) * r[osc, 0]
            th = _theta(l, x, _sp.spherical_jn(l, x), _sp.spherical_yn(l, x))
            nodes[osc] = np.floor((th - np.pi / 2) / np.pi) + 1
        nodes += (nodes % 2 != (R < 0))
    states = [(R, w, logs.copy())] if keep else None
    for j in range(1, L):
        qj = _clamp_q(q[:, j], r[:, j])
        Rb, wb, ls, dn = _layer_l(l, qj, m[:, j], r[:, j - 1], r[:, j], R, w, count)
        if count:
            nodes = nodes + dn
        R, w = Rb, wb
        logs = logs + ls
        if keep:
            states.append((R, w, logs.copy()))
    hard = p.hard
    rL = r[:, L - 1]
    D = R.copy()
    soft = ~hard
    if soft.any():
        qm = _clamp_q(q[soft, L], rL[soft])
        kap = np.sqrt(np.maximum(-qm, (_XMIN / rL[soft]) ** 2))
        D[soft] = w[soft] + R[soft] * _medium_logderiv(l, kap, rL[soft]) / m[soft, L]
    return _shot(D, nodes, states, q, m, count, keep)


def _shoot(E, p, l, count=False, keep=False):
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        if l == 0:
            return _shoot0(E, p, count, keep)
        return _shoot_l(E, p, l, count, keep)


# ------------------------------------------------------------------ root finding
def _illinois(p, l, a, b, fa, fb, tol):
    """Vectorised Illinois iteration for D(E) = 0 in [a, b] with fa * fb <= 0."""
    a, b, fa, fb = a.copy(), b.copy(), fa.copy(), fb.copy()
    root = np.where(fa == 0, a, np.where(fb == 0, b, np.nan))
    side = np.zeros(a.shape, dtype=np.int8)
    act = np.flatnonzero(np.isnan(root))
    sub, n_sub = p, a.size           # structures of the active rows (act only shrinks)
    for _ in range(_MAX_ILLINOIS):
        if act.size == 0:
            break
        if act.size != n_sub:
            sub, n_sub = p.take(act), act.size
        A, B, FA, FB = a[act], b[act], fa[act], fb[act]
        with np.errstate(divide="ignore", invalid="ignore"):
            c = (A * FB - B * FA) / (FB - FA)
        bad = ~((c > np.minimum(A, B)) & (c < np.maximum(A, B)))
        c = np.where(bad, 0.5 * (A + B), c)
        fc = _shoot(c, sub, l)["D"]
        sd = side[act]
        keep_b = fc * FB > 0   # root between A and c
        keep_a = ~keep_b & (fc * FA > 0)
        # replace B by c
        B = np.where(keep_b, c, B)
        FB = np.where(keep_b, fc, FB)
        FA = np.where(keep_b & (sd == -1), 0.5 * FA, FA)
        # replace A by c
        A = np.where(keep_a, c, A)
        FA = np.where(keep_a, fc, FA)
        FB = np.where(keep_a & (sd == 1), 0.5 * FB, FB)
        sd = np.where(keep_b, -1, np.where(keep_a, 1, sd)).astype(np.int8)
        a[act], b[act], fa[act], fb[act], side[act] = A, B, FA, FB, sd
        done = (fc == 0) | (np.abs(B - A) <= tol[act])
        root[act[done]] = np.where(fc[done] == 0, c[done], 0.5 * (A[done] + B[done]))
        act = act[~done]
    if act.size:  # not converged (should not happen): best estimate
        root[act] = 0.5 * (a[act] + b[act])
    return root


def _upper_bound(p, l, k):
    """Upper bound (eV) of level k for energy-independent masses (min-max principle)."""
    L = p.r.shape[1]
    from qdlab.electronic.analytic import spherical_bessel_zeros

    z = spherical_bessel_zeros(l, k)[-1]
    vmax = p.V[:, :L].max(axis=1)
    mmin = p.m[:, :L].min(axis=1)
    # inflated by 1e-3 so that the bound is never exactly a level (uniform hard-wall sphere)
    return vmax, 1.001 * HBAR2_2M0 * z * z / (mmin * p.r[:, L - 1] ** 2)


def _solve(p: _Params, l: int, n_states: int):
    N, L = p.r.shape
    vmin = p.V[:, :L].min(axis=1)
    vtop = p.V[:, L]
    energies = np.full((N, n_states), np.nan)
    lo = vmin.copy()
    flo = _shoot(lo, p, l)["D"]
    alive = vtop > vmin
    for k in range(1, n_states + 1):
        idx = np.flatnonzero(alive)
        if idx.size == 0:
            break
        sub = p.take(idx)
        vmax, kin = _upper_bound(sub, l, k)
        top = vtop[idx]
        hi = np.minimum(vmax + kin, top)
        ev = _shoot(hi, sub, l, count=True)
        fhi, chi = ev["D"], ev["count"]
        # the bound can fail with energy-dependent masses: widen it
        for _ in range(60):
            gi = np.flatnonzero((chi < k) & (hi < top))
            if gi.size == 0:
                break
            hi[gi] = np.minimum(vmax[gi] + 4.0 * (hi[gi] - vmax[gi]), top[gi])
            e2 = _shoot(hi[gi], sub.take(gi), l, count=True)
            fhi[gi], chi[gi] = e2["D"], e2["count"]
        unbound = chi < k
        alive[idx[unbound]] = False
        keep = ~unbound
        idx, hi, fhi, chi = idx[keep], hi[keep], fhi[keep], chi[keep]
        if idx.size == 0:
            break
        sub = p.take(idx)
        a, fa = lo[idx].copy(), flo[idx].copy()
        # bisection on the level count until exactly one level lies in (a, hi]
        for _ in range(_MAX_BISECT):
            more = np.flatnonzero(chi > k)
            if more.size == 0:
                break
            mid = 0.5 * (a[more] + hi[more])
            e2 = _shoot(mid, sub.take(more), l, count=True)
            cm, fm = e2["count"], e2["D"]
            up = cm >= k
            sel_up, sel_lo = more[up], more[~up]
            hi[sel_up], fhi[sel_up], chi[sel_up] = mid[up], fm[up], cm[up]
            a[sel_lo], fa[sel_lo] = mid[~up], fm[~up]
        width = hi - a
        tol = _RTOL * np.maximum(width, 1e-3) * 0.1 + 4 * np.finfo(float).eps * np.abs(hi)
        roots = _illinois(sub, l, a, hi, fa, fhi, tol)
        energies[idx, k - 1] = roots
        lo[idx], flo[idx] = hi, fhi   # count(hi) == k: lower end for level k + 1
    bound = np.isfinite(energies)
    return energies, bound


def _solve_near(p: _Params, l: int, guess: np.ndarray, delta: float = 0.05) -> np.ndarray:
    """Lowest level of each structure, given a guess within ``delta`` eV of it.

    For structures close to ones already solved (a size derivative): the level is
    bracketed in ``[guess - delta, guess + delta]`` by the Sturm count (no level
    below, exactly one in the bracket) and refined by the Illinois iteration of
    :func:`_solve`, to the same tolerance; rows whose bracket fails are solved from
    scratch with :func:`_solve`.  Returns energies (N,), NaN where unbound or where
    ``guess`` is NaN.
    """
    N, L = p.r.shape
    vmin = p.V[:, :L].min(axis=1)
    vtop = p.V[:, L]
    a = np.maximum(guess - delta, vmin)
    b = np.minimum(guess + delta, vtop)
    ok = np.isfinite(guess) & (b > a)
    out = np.full(N, np.nan)
    idx = np.flatnonzero(ok)
    if idx.size:
        sub = p.take(idx)
        ea = _shoot(a[idx], sub, l, count=True)
        eb = _shoot(b[idx], sub, l, count=True)
        good = (ea["count"] == 0) & (eb["count"] == 1) & (b[idx] < vtop[idx])
        g = idx[good]
        if g.size:
            A, B = a[g], b[g]
            tol = _RTOL * np.maximum(B - A, 1e-3) * 0.1 + 4 * np.finfo(float).eps * np.abs(B)
            out[g] = _illinois(sub.take(np.flatnonzero(good)), l, A, B, ea["D"][good],
                               eb["D"][good], tol)
        ok[idx[~good]] = False
    rest = np.flatnonzero(~ok & np.isfinite(guess))
    if rest.size:
        out[rest] = _solve(p.take(rest), l, 1)[0][:, 0]
    return out
