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

Normalisation
-------------
:math:`\int_0^\infty R^2 r^2 dr = \int_0^\infty \chi^2 dr` with :math:`\chi = rR`.  For
``l = 0`` it is summed in closed form layer by layer: in a layer :math:`\chi` is
:math:`u_0\cos kx + u_0'\sin(kx)/k` (or its hyperbolic form; through a barrier thicker
than half a decay length the growing and decaying exponentials are integrated
separately, so that no cancellation occurs), and :math:`\chi_L^2/(2\kappa)` in the
medium (:func:`_riccati_norm0`); exact to rounding.  For ``l > 0`` Gauss-Legendre
quadrature in each layer (``quadrature_points``) and Gauss-Laguerre in the medium.

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
from qdlab.electronic.sphere.shooting import (
    KANE_MIN_FACTOR,
    _clamp_q,
    _core_l_at,
    _cs0,
    _layer_l,
    _Params,
    _prepare,
    _shoot,
    _solve,
)
from qdlab.errors import QdlabInputError

__all__ = ["KANE_MIN_FACTOR", "RadialSolution", "solve_radial"]


# Gauss-Legendre / Gauss-Laguerre rules for the normalisation integrals.
_GL_X, _GL_W = np.polynomial.legendre.leggauss(64)
_LAG_X, _LAG_W = np.polynomial.laguerre.laggauss(48)
#: Default number of Gauss-Legendre points per layer of the normalisation integrals.
QUADRATURE_POINTS = 64


def _rules(n: int):
    """Gauss-Legendre (n points) and Gauss-Laguerre (min(n, 48) points) nodes and weights."""
    if n == QUADRATURE_POINTS:
        return _GL_X, _GL_W, _LAG_X, _LAG_W
    return (*np.polynomial.legendre.leggauss(n), *np.polynomial.laguerre.laggauss(min(n, 48)))


# Taylor coefficients (in x^2) of g(x) = (x - sin x cos x) / (2 x^3) and of the
# hyperbolic h(x) = (sinh x cosh x - x) / (2 x^3): 2^(2n-1) / (2n+1)!, n = 1, 2, ...
_SS_SERIES = np.array([2.0 ** (2 * n - 1) / float(np.prod(np.arange(1, 2 * n + 2)))
                       for n in range(1, 8)])
#: Below this x = |k| d the series above is used (its truncation error < 1e-16).
_SS_SMALL = 0.1


def _riccati_norm0(q, d, u0, du0):
    r""":math:`\int_0^d \chi^2 dx` of the l = 0 Riccati function through one layer.

    :math:`\chi = u_0 C + u_0' S` with :math:`C = \cos kx`, :math:`S = \sin kx / k`
    (:math:`q = k^2 \ge 0`) or :math:`C = \cosh\kappa x`, :math:`S = \sinh\kappa x/\kappa`
    (:math:`q = -\kappa^2`), the transfer of
    :func:`~qdlab.electronic.sphere.shooting._cs0`.  Returns the integral scaled by
    :math:`e^{-2\,ls}` and ``ls`` (:math:`\kappa d`; 0 in oscillating layers).

    Oscillating: :math:`u_0^2\frac d2(1+\frac{\sin 2x}{2x}) + u_0u_0'd^2\frac{\sin^2x}{x^2}
    + u_0'^2 d^3\frac{x-\sin x\cos x}{2x^3}`, :math:`x = kd`.  Evanescent with
    :math:`x = \kappa d \ge 1/2`: :math:`\chi = Ae^{\kappa x'} + Be^{-\kappa x'}`,
    :math:`A, B = (u_0 \pm u_0'/\kappa)/2`, integrated term by term (no cancellation
    between growing and decaying parts through a thick barrier); below, the hyperbolic
    form of the oscillating one.  Small :math:`x`: Taylor series.
    """
    s = np.sqrt(np.abs(q))
    x = s * d
    osc = q >= 0
    x2 = x * x
    small = x < _SS_SMALL
    sign = np.where(osc, -1.0, 1.0)
    ser = np.zeros_like(x)
    for k in range(_SS_SERIES.size - 1, -1, -1):
        ser = ser * x2 + _SS_SERIES[k] * sign ** k
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        xs = np.where(x > 0, x, 1.0)
        e2 = np.exp(-2.0 * np.where(osc, 0.0, x))           # e^{-2 ls}
        if np.any(osc):
            sx, cx = np.sin(x), np.cos(x)
            cc = 0.5 * d * (1.0 + sx * cx / xs)
            cs = 0.5 * d * d * (sx / xs) ** 2
            ss = d**3 * np.where(small, ser, (x - sx * cx) / (2.0 * xs**3))
            i_osc = u0 * u0 * cc + 2.0 * u0 * du0 * cs + du0 * du0 * ss
        else:
            i_osc = 0.0
        if not np.all(osc):
            em2 = -np.expm1(-2.0 * x)
            em4 = -np.expm1(-4.0 * x)
            # hyperbolic form (x < 1/2), scaled by e^{-2x}
            cc = 0.5 * d * (e2 + em4 / (4.0 * xs))
            cs = 0.5 * d * d * (em2 / (2.0 * xs)) ** 2
            ss = d**3 * np.where(small, ser * e2, (0.25 * em4 - x * e2) / (2.0 * xs**3))
            i_hyp = u0 * u0 * cc + 2.0 * u0 * du0 * cs + du0 * du0 * ss
            # exponential form (x >= 1/2), scaled by e^{-2x}
            ks = np.where(x > 0, s, 1.0)
            A = 0.5 * (u0 + du0 / ks)
            B = 0.5 * (u0 - du0 / ks)
            half = 0.5 * d * em2 / xs                       # (1 - e^{-2x}) / (2 kappa)
            i_exp = A * A * half + 2.0 * A * B * d * e2 + B * B * e2 * half
            i_ev = np.where(x < 0.5, i_hyp, i_exp)
        else:
            i_ev = 0.0
    val = np.where(osc, i_osc, i_ev)
    val = np.where(x > 0, val, u0 * u0 * d + u0 * du0 * d * d + du0 * du0 * d**3 / 3.0)
    return val, np.where(osc, 0.0, x)


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
    #: Gauss-Legendre points per layer (Gauss-Laguerre: at most 48) of the normalisation
    #: integrals for l > 0 (l = 0 is summed in closed form); they converge exponentially.
    quadrature_points: int = QUADRATURE_POINTS
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
                rows, cols = np.nonzero(layer == j)
                if rows.size == 0:
                    continue
                sel = (rows, cols)
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
        if self.l == 0:
            return self._layer_integrals_l0(s)
        p = self._params
        N, L = p.r.shape
        inner = np.concatenate([np.zeros((N, 1)), p.r[:, :-1]], axis=1)
        out = np.zeros((N, L + 1))
        ref = self._logref(s)
        gl_x, gl_w, _, _ = _rules(self.quadrature_points)
        for j in range(L):
            a, b = inner[:, j:j + 1], p.r[:, j:j + 1]
            x = 0.5 * (b - a) * (gl_x[None, :] + 1.0) + a
            v, ls = self._raw(s, x)
            f = (v * np.exp(ls - ref[:, None])) ** 2 * x * x
            out[:, j] = 0.5 * (b - a)[:, 0] * (f @ gl_w)
        # medium tail: Gauss-Laguerre in t = 2 kappa (r - r_L)
        out[:, L] = self._tail(s, p.r[:, L - 1], ref)
        return np.where(self.bound[:, s, None], out, 0.0)

    def _layer_integrals_l0(self, s):
        r"""Closed-form :math:`\int \chi^2 dr` per region for l = 0 (module notes, Normalisation).

        Same output as the quadrature of :meth:`_layer_integrals` (scaled by
        ``exp(-2 logref)``), exact up to rounding.
        """
        p = self._params
        N, L = p.r.shape
        ev = self._cache["states"][s]
        q, m, states = ev["q"], ev["m"], ev["states"]
        ref = self._logref(s)
        out = np.zeros((N, L + 1))
        a = np.zeros(N)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            for j in range(L):
                b = p.r[:, j]
                if j == 0:
                    u0, dchi, l0 = np.zeros(N), np.ones(N), np.zeros(N)
                else:
                    u0, w0, l0 = states[j - 1]
                    dchi = m[:, j] * w0 + u0 / a
                val, ls = _riccati_norm0(q[:, j], b - a, u0, dchi)
                out[:, j] = val * np.exp(2.0 * (l0 + ls - ref))
                a = b
            # medium: chi = chi(r_L) exp(-kappa (r - r_L)), integral chi(r_L)^2 / (2 kappa)
            uL, _, lL = states[L - 1]
            hard = np.isinf(p.V[:, L])
            kap = np.sqrt(np.maximum(-np.where(hard, -1.0, q[:, L]), 1e-300))
            out[:, L] = np.where(hard, 0.0, uL * uL / (2.0 * kap) * np.exp(2.0 * (lL - ref)))
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
        _, _, lag_x, lag_w = _rules(self.quadrature_points)
        t = lag_x[None, :]
        rr = start[:, None] + t / (2.0 * kap[:, None])
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            v, ls = self._raw(s, rr)
            # remove the exp(-t) weight: R(r)^2 contains exp(-2 kappa (r - start)) * R(start)^2-ish
            g = (v * np.exp(ls - ref[:, None] + 0.5 * t)) ** 2 * rr * rr
            val = (g @ lag_w) / (2.0 * kap)
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
        from qdlab.errors import check_positive

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
       Bibliography ``bendaniel1966``.
    .. [2] J. W. Haus et al., Phys. Rev. B 47, 1359 (1993). Bibliography ``haus1993``.
    .. [3] D. Schooss et al., Phys. Rev. B 49, 17072 (1994).
    .. [4] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.

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
