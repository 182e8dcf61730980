r"""Exact radial effective-mass solver for layered spheres, vectorised over structures.

A layered sphere is a core and ``L - 1`` concentric shells (outer radii
``r_1 < r_2 < ... < r_L`` in nm) in a medium.  In each region the band edge
``V`` (eV) and the band-edge effective mass ``m`` (units of the free-electron
mass m0) are constant.  The envelope function ``psi = R(r) Y_lm`` obeys the
BenDaniel-Duke equation [1]_

.. math::

    -\frac{\hbar^2}{2}\,\frac{1}{r^2}\frac{d}{dr}\Big(\frac{r^2}{m(r)}\frac{dR}{dr}\Big)
    + \Big[\frac{\hbar^2 l(l+1)}{2 m(r) r^2} + V(r)\Big] R = E R ,

with ``R`` and ``(1/m) dR/dr`` continuous at every interface.  Inside a region
the solutions are spherical Bessel functions ``j_l(kr), y_l(kr)`` for
``E > V`` and modified spherical Bessel functions ``i_l(kappa r), k_l(kappa r)``
for ``E < V``, with ``k^2 = -kappa^2 = m (E - V) / (hbar^2 / 2 m0)``.  The core
holds only the regular solution, the medium only the decaying ``k_l``; a medium
potential of ``+inf`` is a hard wall, ``R(r_L) = 0``.  This is the standard
layered-sphere (transfer-matrix) treatment of core/shell nanocrystals, e.g.
Haus, Zhou, Honma and Komiyama [2]_ and Schooss, Mews, Eychmueller and
Weller [3]_.

Algorithm
---------
The pair ``(R, R'/m)`` is carried outwards through each layer by its 2x2
transfer matrix, written with cross products of the Bessel pairs so that every
element is an entire function of ``E`` (no poles; continuous through ``E = V``).
Growing modified Bessel functions are exponentially scaled; the dropped factors
are positive, so neither the sign nor the zeros of the matching function

.. math::

    D(E) = \frac{R'_-}{m_L} - R_-\,\frac{1}{m_{\rm out}}
           \frac{\kappa\,k_l'(\kappa r_L)}{k_l(\kappa r_L)}
    \qquad (D = R_- \text{ for a hard wall})

change.  Roots are bracketed without scanning an energy grid: the number of
eigenvalues below ``E`` equals the number of nodes of the regular solution in
``(0, r_L)`` (counted exactly from the Bessel phase in each layer) plus one if
``D(E)`` has the sign opposite to ``(-1)^nodes`` (Sturm oscillation theorem).
Bisection on this count isolates each level, then a vectorised Illinois
(modified regula falsi) iteration refines it to about 1e-12 relative.  For
``l = 0`` the solver uses the closed forms ``sin``, ``cos``, ``exp`` of the
Riccati functions ``r R(r)``, which is several times faster.

Electrons and holes
-------------------
The same routine solves both carriers.  For electrons pass the conduction-band
edges as ``potential_eV``; for holes pass minus the valence-band edges
(``potential_eV = -E_v``), so that hole energies increase into the barriers;
the hole level measured from the valence band is then ``-energies_eV``.

Nonparabolicity
---------------
With ``gap_eV`` the mass in each region is the two-band Kane energy-dependent
mass [4]_ ``m(E) = m* (1 + (E - V) / E_g)``, evaluated at the eigenvalue; the
matching function is evaluated with ``m(E)``, so the problem remains a 1-D root
search in ``E``.  The factor ``1 + (E - V)/E_g`` is clipped at
:data:`KANE_MIN_FACTOR` from below (only reached far below a band edge, where
the two-band model no longer applies).  Pass ``inf`` for a region without
nonparabolicity.

References
----------
.. [1] D. J. BenDaniel and C. B. Duke, "Space-charge effects on electron
   tunneling", Phys. Rev. 152, 683 (1966).
.. [2] J. W. Haus, H. S. Zhou, I. Honma and H. Komiyama, "Quantum confinement in
   semiconductor heterostructure nanometer-size particles", Phys. Rev. B 47,
   1359 (1993).
.. [3] D. Schooss, A. Mews, A. Eychmueller and H. Weller, "Quantum-dot quantum
   well CdS/HgS/CdS: theory and experiment", Phys. Rev. B 49, 17072 (1994).
.. [4] E. O. Kane, "Band structure of indium antimonide", J. Phys. Chem. Solids
   1, 249 (1957).

Examples
--------
A CdSe-like sphere of radius 2 nm with hard walls reproduces the particle in a
sphere, ``hbar^2 pi^2 / (2 m R^2)``:

>>> from qdlab.constants import HBAR2_2M0
>>> sol = solve_radial(2.0, [0.0, float("inf")], [0.13, 1.0])
>>> round(float(sol.energies_eV[0, 0]), 6), round(HBAR2_2M0 * np.pi**2 / (0.13 * 4.0), 6)
(0.723135, 0.723135)

A CdSe/CdS-like core/shell (electron, small conduction-band offset) in ligands:

>>> sol = solve_radial([1.5, 2.5], [0.0, 0.1, 4.0], [0.13, 0.21, 1.0], n_states=2)
>>> sol.energies_eV.round(4)
array([[0.2556, 1.0875]])
>>> bool(sol.bound.all())
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qdlab import _special as _sp  # scipy.special, spherical_jn/yn without dispatch overhead
from qdlab._validation import QdlabInputError
from qdlab.constants import HBAR2_2M0

__all__ = ["KANE_MIN_FACTOR", "RadialSolution", "solve_radial"]

#: Lower clip of the Kane factor ``1 + (E - V)/E_g`` in the energy-dependent mass.
KANE_MIN_FACTOR = 0.05
#: Smallest |k| r used in the Bessel forms (l > 0) near ``E = V``; the matrices are
#: entire in E, so the error of this offset is O(1e-10) relative.
_XMIN = 1e-5
_MAX_BISECT = 80
_MAX_ILLINOIS = 100
_RTOL = 1e-12

# Gauss-Legendre / Gauss-Laguerre rules for the normalisation integrals.
_GL_X, _GL_W = np.polynomial.legendre.leggauss(64)
_LAG_X, _LAG_W = np.polynomial.laguerre.laggauss(48)


# --------------------------------------------------------------------------- inputs
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
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        e2 = np.exp(-2.0 * np.where(osc, 0.0, x))
        c = np.where(osc, np.cos(x), 0.5 * (1.0 + e2))
        small = x < 1e-8
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
    for _ in range(_MAX_ILLINOIS):
        if act.size == 0:
            break
        A, B, FA, FB = a[act], b[act], fa[act], fb[act]
        with np.errstate(divide="ignore", invalid="ignore"):
            c = (A * FB - B * FA) / (FB - FA)
        bad = ~((c > np.minimum(A, B)) & (c < np.maximum(A, B)))
        c = np.where(bad, 0.5 * (A + B), c)
        fc = _shoot(c, p.take(act), l)["D"]
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


# --------------------------------------------------------------------- solution
@dataclass(frozen=True, eq=False)
class RadialSolution:
    """Levels and envelope functions of N layered spheres for one angular momentum l.

    Attributes
    ----------
    energies_eV : ndarray, shape (N, n_states)
        Levels in eV, ascending, in the reference of ``potential_eV``.  Levels
        that are not bound (not below the medium barrier) are NaN.
    bound : ndarray of bool, shape (N, n_states)
        True where the level is bound.
    l : int
        Angular momentum quantum number.
    radii_nm, potential_eV, mass, gap_eV : ndarray
        The inputs, broadcast to (N, L) and (N, L+1); ``gap_eV`` may be None.
    n_states : int
        Number of levels asked for.
    """

    energies_eV: np.ndarray
    bound: np.ndarray
    l: int
    radii_nm: np.ndarray
    potential_eV: np.ndarray
    mass: np.ndarray
    gap_eV: np.ndarray | None
    n_states: int
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def n_structures(self) -> int:
        return self.radii_nm.shape[0]

    @property
    def _params(self) -> _Params:
        return _Params(self.radii_nm, self.potential_eV, self.mass, self.gap_eV)

    def masses_at_level(self) -> np.ndarray:
        """Effective masses (m0) of each region at each level, shape (N, n_states, L+1).

        Equal to ``mass`` without ``gap_eV``; the Kane mass ``m*(1 + (E-V)/Eg)``
        otherwise.  NaN for unbound levels.
        """
        p = self._params
        out = np.full(self.energies_eV.shape + (self.mass.shape[1],), np.nan)
        for s in range(self.n_states):
            E = np.where(self.bound[:, s], self.energies_eV[:, s], 0.0)
            out[:, s] = np.where(self.bound[:, s, None], p.masses(E), np.nan)
        return out

    def require_bound(self, n: int | None = None) -> RadialSolution:
        """Raise :class:`QdlabInputError` unless the first ``n`` levels (default all) are bound.

        Returns the solution, so that calls can be chained.
        """
        n = self.n_states if n is None else int(n)
        ok = self.bound[:, :n]
        if not ok.all():
            i, s = map(int, np.argwhere(~ok)[0])
            raise QdlabInputError(
                f"level {s + 1} (l={self.l}) of structure {i} is not bound: no eigenvalue below "
                f"the medium barrier {self.potential_eV[i, -1]:g} eV for radii "
                f"{self.radii_nm[i].tolist()} nm; increase the size or the barrier")
        return self

    # -- wavefunctions -------------------------------------------------------
    def _states(self):
        """Per level: interface states, q, masses, and the normalisation (log)."""
        if "states" in self._cache:
            return self._cache["states"]
        p = self._params
        out = []
        for s in range(self.n_states):
            E = np.where(self.bound[:, s], self.energies_eV[:, s],
                         p.V[:, :-1].min(axis=1))
            ev = _shoot(E, p, self.l, keep=True)
            out.append(ev)
        self._cache["states"] = out
        # normalisation: integral of R^2 r^2 over layers (Gauss-Legendre) and tail
        norms = np.empty((self.n_structures, self.n_states, p.r.shape[1] + 1))
        for s in range(self.n_states):
            norms[:, s] = self._layer_integrals(s)
        tot = norms.sum(axis=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            self._cache["lognorm"] = -0.5 * np.log(tot)
            self._cache["layer_prob"] = np.where(self.bound[:, :, None],
                                                 norms / tot[:, :, None], np.nan)
        return out

    def _raw(self, s, r):
        """Unnormalised R(r) for level s at radii r (N, M): returns (value, logscale)."""
        p = self._params
        ev = self._cache["states"][s]
        q, m, states = ev["q"], ev["m"], ev["states"]
        l = self.l
        L = p.r.shape[1]
        N, M = r.shape
        val = np.zeros((N, M))
        lsc = np.zeros((N, M))
        layer = (r[:, :, None] > p.r[:, None, :]).sum(axis=2)  # 0..L
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            for j in range(L + 1):
                sel = layer == j
                if not sel.any():
                    continue
                rows = np.nonzero(sel)[0]
                rr = r[sel]
                if j == 0:
                    rr = np.maximum(rr, 1e-300)
                    if l == 0:
                        _, S, ls = _cs0(q[rows, 0], rr)
                        v = S / rr
                    else:
                        v, ls = _core_l_at(l, _clamp_q(q[rows, 0], p.r[rows, 0]), rr,
                                           p.r[rows, 0])
                    val[sel], lsc[sel] = v, ls
                elif j < L:
                    a = p.r[rows, j - 1]
                    u0, w0, l0 = (x[rows] for x in states[j - 1])
                    if l == 0:
                        c, S, ls = _cs0(q[rows, j], rr - a)
                        dchi = m[rows, j] * w0 + u0 / a
                        v = (c * u0 + S * dchi) / rr
                    else:
                        qj = _clamp_q(q[rows, j], p.r[rows, j])
                        v, _, ls, _ = _layer_l(l, qj, m[rows, j], a, rr, u0, w0, False)
                    val[sel], lsc[sel] = v, l0 + ls
                else:
                    rL = p.r[rows, L - 1]
                    u0, w0, l0 = (x[rows] for x in states[L - 1])
                    hard = np.isinf(p.V[rows, L])
                    qm = _clamp_q(np.where(hard, -1.0, q[rows, L]), rL)
                    kap = np.sqrt(-np.minimum(qm, 0.0))
                    if l == 0:
                        v = u0 / rr * np.exp(-kap * (rr - rL))
                    else:
                        x0, x1 = kap * rL, kap * rr
                        v = (u0 * _sp.kve(l + 0.5, x1) / _sp.kve(l + 0.5, x0)
                             * np.sqrt(x0 / x1) * np.exp(-(x1 - x0)))
                    v = np.where(hard, 0.0, v)
                    val[sel], lsc[sel] = v, l0
        return val, lsc

    def _layer_integrals(self, s):
        """Integral of R^2 r^2 (unnormalised, scaled by exp(-2 logref)) per region."""
        p = self._params
        N, L = p.r.shape
        inner = np.concatenate([np.zeros((N, 1)), p.r[:, :-1]], axis=1)
        out = np.zeros((N, L + 1))
        ref = self._logref(s)
        for j in range(L):
            a, b = inner[:, j:j + 1], p.r[:, j:j + 1]
            x = 0.5 * (b - a) * (_GL_X[None, :] + 1.0) + a
            v, ls = self._raw(s, x)
            f = (v * np.exp(ls - ref[:, None])) ** 2 * x * x
            out[:, j] = 0.5 * (b - a)[:, 0] * (f @ _GL_W)
        # medium tail: Gauss-Laguerre in t = 2 kappa (r - r_L)
        out[:, L] = self._tail(s, p.r[:, L - 1], ref)
        return np.where(self.bound[:, s, None], out, 0.0)

    def _logref(self, s):
        ev = self._cache["states"][s]
        return np.max(np.stack([st[2] for st in ev["states"]], axis=1), axis=1)

    def _tail(self, s, start, ref):
        """Integral of R^2 r^2 from ``start`` (>= r_L) to infinity, scaled by exp(-2 ref)."""
        p = self._params
        L = p.r.shape[1]
        ev = self._cache["states"][s]
        q = ev["q"][:, L]
        hard = np.isinf(p.V[:, L])
        kap = np.sqrt(np.maximum(-np.where(hard, -1.0, q), 0.0))
        kap = np.maximum(kap, 1e-300)
        t = _LAG_X[None, :]
        rr = start[:, None] + t / (2.0 * kap[:, None])
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            v, ls = self._raw(s, rr)
            # remove the exp(-t) weight: R(r)^2 contains exp(-2 kappa (r - start)) * R(start)^2-ish
            g = (v * np.exp(ls - ref[:, None] + 0.5 * t)) ** 2 * rr * rr
            val = (g @ _LAG_W) / (2.0 * kap)
        return np.where(hard, 0.0, val)

    def wavefunctions(self, r_nm) -> np.ndarray:
        r"""Normalised radial functions R(r) in nm^(-3/2), shape (N, n_states, M).

        Parameters
        ----------
        r_nm : array_like, shape (M,) or (N, M)
            Radii in nm (>= 0), shared by all structures or one row per structure.

        Returns
        -------
        ndarray
            ``R(r)`` with :math:`\int_0^\infty R^2 r^2\,dr = 1` (medium tail
            included) and positive near the origin.  The full envelope is
            ``R(r) Y_lm``.  NaN rows for unbound levels.
        """
        r = np.asarray(r_nm, dtype=float)
        if r.ndim == 0:
            r = r.reshape(1)
        if r.ndim == 1:
            r = np.broadcast_to(r, (self.n_structures, r.size))
        if r.ndim != 2 or r.shape[0] != self.n_structures:
            raise QdlabInputError(f"r_nm must have shape (M,) or ({self.n_structures}, M), "
                                  f"got {np.shape(r_nm)}")
        if not np.all(np.isfinite(r)) or np.any(r < 0):
            raise QdlabInputError("r_nm must be finite radii >= 0 nm")
        self._states()
        out = np.empty((self.n_structures, self.n_states, r.shape[1]))
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            for s in range(self.n_states):
                v, ls = self._raw(s, r)
                ref = self._logref(s)
                out[:, s] = v * np.exp(ls - ref[:, None] + self._cache["lognorm"][:, s, None])
        return np.where(self.bound[:, :, None], out, np.nan)

    def layer_probabilities(self) -> np.ndarray:
        """Probability of each level in each region, shape (N, n_states, L+1).

        Columns: core, shells, then the medium; rows sum to 1.  NaN for unbound levels.
        """
        self._states()
        return self._cache["layer_prob"].copy()

    def probability_inside(self, radius_nm) -> np.ndarray:
        """Probability that the carrier is within ``radius_nm`` of the centre, shape (N, n_states).

        Parameters
        ----------
        radius_nm : float or array_like of shape (N,)
            Radius in nm (> 0).
        """
        from qdlab._validation import check_positive

        check_positive(radius_nm, "radius_nm", "nm")
        self._states()
        N = self.n_structures
        rad = np.broadcast_to(np.asarray(radius_nm, dtype=float), (N,))
        p = self._params
        L = p.r.shape[1]
        out = np.empty((N, self.n_states))
        rL = p.r[:, L - 1]
        inner = np.concatenate([np.zeros((N, 1)), p.r[:, :-1]], axis=1)
        for s in range(self.n_states):
            ref = self._logref(s)
            lognorm = self._cache["lognorm"][:, s]
            # outside part beyond r_L where radius >= r_L
            tail = self._tail(s, np.maximum(rad, rL), ref) * np.exp(2 * lognorm)
            tot = np.zeros(N)
            for j in range(L):
                a = inner[:, j]
                b = np.minimum(p.r[:, j], rad)
                span = np.maximum(b - a, 0.0)
                x = 0.5 * span[:, None] * (_GL_X[None, :] + 1.0) + a[:, None]
                v, ls = self._raw(s, x)
                f = (v * np.exp(ls - ref[:, None])) ** 2 * x * x
                tot += 0.5 * span * (f @ _GL_W)
            inside_layers = tot * np.exp(2 * lognorm)
            out[:, s] = np.where(rad >= rL, 1.0 - tail, inside_layers)
        return np.where(self.bound, np.clip(out, 0.0, 1.0), np.nan)


def solve_radial(radii_nm, potential_eV, mass, l: int = 0, n_states: int = 1,
                 gap_eV=None) -> RadialSolution:
    r"""Exact bound levels of layered spheres (BenDaniel-Duke, any l), vectorised.

    Parameters
    ----------
    radii_nm : array_like, shape (N, L) or (L,) or scalar
        Outer radius of each layer in nm (> 0, strictly increasing).
    potential_eV : array_like, shape (N, L+1) or (L+1,)
        Band edge of each layer, then of the medium (last column), in eV.  The
        medium may be ``+inf`` (hard wall).  For holes pass minus the
        valence-band edges.
    mass : array_like, shape (N, L+1) or (L+1,)
        Band-edge effective mass of each layer and of the medium, in m0 (> 0).
    l : int, optional
        Angular momentum quantum number (>= 0), default 0.
    n_states : int, optional
        Number of levels (lowest first) for this ``l``, default 1.
    gap_eV : array_like, shape (N, L+1), optional
        Band gaps in eV for the Kane energy-dependent mass
        ``m(E) = m*(1 + (E - V)/E_g)`` (``inf`` for a parabolic region).

    Returns
    -------
    RadialSolution
        ``energies_eV`` (N, n_states) ascending (NaN and ``bound`` False for
        levels not bound below the medium barrier), ``wavefunctions(r_nm)``,
        ``layer_probabilities()``, ``probability_inside(radius_nm)``,
        ``require_bound()``.

    Notes
    -----
    Level ``n`` of angular momentum ``l`` solves :math:`D(E) = 0` where ``D``
    matches the regular solution carried outwards by transfer matrices of
    ``(R, R'/m)`` to the decaying solution in the medium (see the module
    docstring).  The level has ``n - 1`` radial nodes.  Levels are isolated
    with the Sturm node count and refined by Illinois iterations to about
    1e-12 relative; all structures are solved together with numpy.

    References
    ----------
    .. [1] D. J. BenDaniel and C. B. Duke, Phys. Rev. 152, 683 (1966).
    .. [2] J. W. Haus et al., Phys. Rev. B 47, 1359 (1993).
    .. [3] D. Schooss et al., Phys. Rev. B 49, 17072 (1994).
    .. [4] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957).

    Examples
    --------
    >>> sol = solve_radial(2.0, [0.0, float("inf")], [0.13, 1.0], l=1)
    >>> round(float(sol.energies_eV[0, 0]), 5)   # 4.4934^2 hbar^2/(2 m R^2)
    1.47935
    """
    if isinstance(l, bool) or not isinstance(l, (int, np.integer)) or l < 0:
        raise QdlabInputError(f"l must be an integer >= 0, got {l!r}")
    if (isinstance(n_states, bool) or not isinstance(n_states, (int, np.integer))
            or n_states < 1):
        raise QdlabInputError(f"n_states must be an integer >= 1, got {n_states!r}")
    p = _prepare(radii_nm, potential_eV, mass, gap_eV)
    energies, bound = _solve(p, int(l), int(n_states))
    return RadialSolution(energies_eV=energies, bound=bound, l=int(l), radii_nm=p.r,
                          potential_eV=p.V, mass=p.m, gap_eV=p.g, n_states=int(n_states))

