r"""Holes of layered spheres in the spherical 4x4 Luttinger model, vectorised over structures.

The top of the valence band of II-VI and III-V semiconductors is the fourfold
J = 3/2 band.  In the spherical approximation (Baldereschi & Lipari [1]_) the
Luttinger Hamiltonian commutes with the total angular momentum F = L + J and
with parity.  The even F = 3/2 states (1S_3/2, 2S_3/2, ...) have two radial
components, ``R0`` (L = 0) and ``R2`` (L = 2), which obey (hole energies
positive, measured into the valence band, in units of :math:`\hbar^2/2m_0`)

.. math::

    \gamma_1\Big[-\Big(\frac{d^2}{dr^2} + \frac{2}{r}\frac{d}{dr}\Big)R_0
        + \mu\Big(\frac{d}{dr} + \frac{2}{r}\Big)\Big(\frac{d}{dr} + \frac{3}{r}\Big)R_2\Big]
        &= (E - V) R_0 \\
    \gamma_1\Big[\mu\Big(\frac{d}{dr} - \frac{1}{r}\Big)\frac{d}{dr}R_0
        - \Big(\frac{d^2}{dr^2} + \frac{2}{r}\frac{d}{dr} - \frac{6}{r^2}\Big)R_2\Big]
        &= (E - V) R_2

with :math:`\bar\gamma = (2\gamma_2 + 3\gamma_3)/5` and :math:`\mu = 2\bar\gamma/\gamma_1`.
In a region of constant parameters the solutions are heavy-hole waves
``(f_0(k_h r), -f_2(k_h r))`` and light-hole waves ``(f_0(k_l r), +f_2(k_l r))``
(``f`` = ``j`` or ``y``; ``i``/``k`` with the opposite sign of the L = 2 part
below the band edge), :math:`k_{h,l}^2 = m_{hh,lh}(E - V)/(\hbar^2/2m_0)`,
:math:`m_{hh} = 1/(\gamma_1 - 2\bar\gamma)`, :math:`m_{lh} = 1/(\gamma_1 + 2\bar\gamma)`.
With an infinite barrier at ``r = a`` this gives the classic condition
(Grigoryan et al. 1990, Ekimov et al. [2]_)

.. math::

    j_0(\varphi)\,j_2(\sqrt\beta\,\varphi) + j_2(\varphi)\,j_0(\sqrt\beta\,\varphi) = 0,
    \qquad E = \frac{\hbar^2\varphi^2}{2 m_{hh} a^2}, \quad \beta = m_{lh}/m_{hh}.

Interfaces
----------
The equations are the Euler-Lagrange equations of the energy functional

.. math::

    \int r^2\Big[\gamma_1 R_0'^2 + \gamma_1\big(R_2'^2 + 6R_2^2/r^2\big)
    - 4\bar\gamma\,R_0'\big(R_2' + 3R_2/r\big) + (V - E)(R_0^2 + R_2^2)\Big]dr ,

the radial form of :math:`\int \partial_i\psi^\dagger\,M_{ij}(\mathbf r)\,\partial_j\psi`
with the symmetrised operator order :math:`k_i\gamma(\mathbf r)k_j` (the
anisotropic part couples only the L = 1 gradient components of the L = 0 and
L = 2 parts).  At an interface ``R0``, ``R2`` and the radial currents

.. math::

    F_0 = \gamma_1 R_0' - 2\bar\gamma\,(R_2' + 3R_2/r), \qquad
    F_2 = \gamma_1 R_2' - 2\bar\gamma\,R_0'

are continuous (Sercel & Vahala [3]_ derive the same structure for general
multiband envelopes).  The medium (ligands) is a region with
``gamma1 = 1/m`` and ``gamma = 0`` (free-electron-like, uncoupled).  For equal
parameters on both sides the conditions reduce to continuity of ``R`` and ``R'``;
where ``gamma`` jumps, the ``3 R2 / r`` term of the current is the one
consequence of the operator order (a choice that any envelope model has to make).

Odd states (1P_3/2, 2P_3/2, ...)
-------------------------------
The functional generalises to any pair ``(L, L + 2) = (l, l + 2)`` of the same F:
the anisotropic part is a sum over the L'' = L -+ 1 gradient components of
``2 gamma c (A R_L)(A' R_L')`` with :math:`A_{L\to L+1} = d/dr - L/r`,
:math:`A_{L\to L-1} = d/dr + (L+1)/r` and coefficients ``c`` from the
recoupling of the vector-spinor harmonics ``((L'' 1) L, J) F`` to
``(L'', (1 J) j') F`` (6j symbols) with the eigenvalues of the quadrupole
coupling in the ``j' = 1/2, 3/2, 5/2`` channels.  For F = 3/2 even parity this
gives the functional above (no diagonal terms, coupling -1); for F = 3/2 odd
parity (L = 1, 3) the diagonal paths are -2/3 (L'' = 0), -2/15 (L'' = 2) for L = 1,
18/35 (L'' = 2), 2/7 (L'' = 4) for L = 3, and the coupling -3/5.  Both sets give
the bulk heavy and light masses exactly (checked in the tests), e.g. the odd bulk
solutions ``(j1, -j3/3)`` (heavy) and ``(j1, 3 j3)`` (light); the hard-wall
1P_3/2 condition is then :math:`9 j_1(\varphi)j_3(\sqrt\beta\varphi) +
j_3(\varphi)j_1(\sqrt\beta\varphi) = 0`.  The F = 1/2 odd states (1P_1/2)
are pure light-hole states (single-band, mass :math:`m_{lh}`); the 1S_1/2 state
needs the split-off band (6x6 model), which is not implemented here.

Algorithm
---------
A 4-vector ``(R0, R2, F0, F2)`` per solution is carried outwards.  In the core
the two regular solutions (heavy and light) are used as the columns ``hh`` and
``(lh - hh)/(E - V_core)`` (this removes the spurious zero of the determinant at
the core band edge).  Each shell propagates the columns with its own 4x4 basis
``M(r)`` (``M(b) M(a)^{-1}``; exponentially growing and decaying waves are scaled
at the inner radius of the layer), columns are renormalised (Euclidean norm, smooth in E) after each layer.
The eigenvalue condition is ``D(E) = det[Y(r_L) | K(r_L)] = 0`` with ``K`` the two
decaying medium solutions (``det`` of the ``R`` rows for a hard wall).  Roots are
bracketed by a scan in :math:`\sqrt{E - V_{min}}` and refined by a vectorised
Illinois iteration; everything runs on arrays of structures.

References
----------
.. [1] A. Baldereschi and N. O. Lipari, "Spherical model of shallow acceptor
   states in semiconductors", Phys. Rev. B 8, 2697 (1973).
.. [2] A. I. Ekimov, F. Hache, M. C. Schanne-Klein, D. Ricard, C. Flytzanis,
   I. A. Kudryavtsev, T. V. Yazeva, A. V. Rodina and Al. L. Efros, "Absorption
   and intensity-dependent photoluminescence measurements on CdSe quantum dots:
   assignment of the first electronic transitions", J. Opt. Soc. Am. B 10, 100 (1993).
.. [3] P. C. Sercel and K. J. Vahala, "Analytical formalism for determining
   quantum-wire and quantum-dot band structure in the multiband envelope-function
   approximation", Phys. Rev. B 42, 3690 (1990).
.. [4] Al. L. Efros and M. Rosen, "The electronic structure of semiconductor
   nanocrystals", Annu. Rev. Mater. Sci. 30, 475 (2000).

Examples
--------
CdSe (gamma1 = 2.04, gamma = 0.58) with hard walls: the ground state is
:math:`\hbar^2\varphi^2/(2 m_{hh} a^2)` with the Ekimov root :math:`\varphi(\beta)`:

>>> sol = solve_luttinger_holes(2.0, [0.0, float("inf")], [2.04, 1.0], [0.58, 0.0])
>>> from qdlab.constants import HBAR2_2M0
>>> phi = float(np.sqrt(sol.energies_eV[0, 0] * 4.0 / (HBAR2_2M0 * (2.04 - 1.16))))
>>> round(phi, 4)
4.6158
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from qdlab.constants import HBAR2_2M0
from qdlab.errors import QdlabInputError

__all__ = ["LuttingerSolution", "ekimov_phi", "solve_luttinger_holes", "spherical_gamma"]

#: Hole series of the spherical 4x4 model handled here: F = 3/2 even (L = 0, 2) and odd
#: (L = 1, 3) parity; the value is the lower orbital momentum l of the pair (l, l + 2).
_STATES = {"S3/2": 0, "P3/2": 1}
#: Gauss-Legendre rule for the normalisation of the envelopes.
_GL_X, _GL_W = np.polynomial.legendre.leggauss(48)


def spherical_gamma(gamma2, gamma3):
    r"""Spherical average :math:`\bar\gamma = (2\gamma_2 + 3\gamma_3)/5` (dimensionless).

    Parameters
    ----------
    gamma2, gamma3 : float or array_like
        Luttinger parameters.

    Notes
    -----
    Baldereschi & Lipari (1973), Phys. Rev. B 8, 2697: the part of the cubic
    Luttinger Hamiltonian that is invariant under rotations.

    References
    ----------
    .. [1] A. Baldereschi and N. O. Lipari, Phys. Rev. B 8, 2697 (1973). Bibliography ``baldereschi1973``.

    Examples
    --------
    >>> round(float(spherical_gamma(2.06, 2.93)), 3)   # GaAs, Vurgaftman 2001
    2.582
    """
    return (2.0 * np.asarray(gamma2, dtype=float) + 3.0 * np.asarray(gamma3, dtype=float)) / 5.0


from qdlab.electronic.kp.luttinger_shooting import (  # noqa: E402, F401  (split out; names kept here)
    _J2_ZEROS,
    _J3_ZEROS,
    _PATHS,
    _as_2d,
    _basis_coefficients,
    _bulk_ratios,
    _cols,
    _columns,
    _columns_general,
    _core_columns,
    _det,
    _det42,
    _illinois,
    _LParams,
    _medium_columns,
    _prepare,
    _propagate,
    _solve,
    _wronskian,
)


# ------------------------------------------------------------------ solution
@dataclass(frozen=True, eq=False)
class LuttingerSolution:
    """F = 3/2 hole levels (1S_3/2, 2S_3/2, ... or 1P_3/2, ...) of N layered spheres.

    Attributes
    ----------
    energies_eV : ndarray, shape (N, n_states)
        Levels in eV in the reference of ``potential_eV`` (hole energies grow into
        the barrier), ascending; NaN where not bound.
    bound : ndarray of bool, shape (N, n_states)
    radii_nm, potential_eV, gamma1, gamma : ndarray
        The inputs broadcast to (N, L) and (N, L+1).
    l : int
        Lower orbital momentum of the component pair (0: S_3/2, 1: P_3/2).
    """

    energies_eV: np.ndarray
    bound: np.ndarray
    radii_nm: np.ndarray
    potential_eV: np.ndarray
    gamma1: np.ndarray
    gamma: np.ndarray
    l: int = 0
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def _p(self) -> _LParams:
        return _LParams(self.radii_nm, self.potential_eV, self.gamma1, self.gamma, self.l)

    def _raw(self, s, r):
        """Unnormalised (R0, R2) of level s at radii r (N, M)."""
        p = self._p
        N, L = p.r.shape
        E = np.where(self.bound[:, s], self.energies_eV[:, s], p.V[:, :L].min(axis=1) + 1.0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            Y, info = _propagate(p, E, keep=True)
            hard = p.hard
            # null vector: (alpha (2), beta (2)) with Y alpha = K beta
            alpha = np.zeros((N, 2))
            beta = np.zeros((N, 2))
            if hard.any():
                A = Y[hard, :2, :]
                _, _, vh = np.linalg.svd(A)
                alpha[hard] = vh[:, -1, :]
            soft = ~hard
            K = None
            if soft.any():
                K = _medium_columns(p.take(soft), E[soft])
                kn = np.sqrt(np.einsum("nij,nij->nj", K, K))
                K = K / kn[:, None, :]
                A = np.concatenate([Y[soft], -K], axis=2)
                _, _, vh = np.linalg.svd(A)
                v = vh[:, -1, :]
                alpha[soft] = v[:, :2]
                beta[soft] = v[:, 2:] / kn
            # weights of each layer's incoming normalised columns
            logs = info["logs"]
            cum = np.cumsum(np.stack(logs, axis=0), axis=0)   # (L, N, 2)
            layer = (r[:, :, None] > p.r[:, None, :]).sum(axis=2)
            R0 = np.zeros(r.shape)
            R2 = np.zeros(r.shape)
            for j in range(L + 1):
                sel = layer == j
                if not sel.any():
                    continue
                rows = np.nonzero(sel)[0]
                rr = np.maximum(r[sel], 1e-12)
                if j == L:
                    if not soft.any():
                        continue
                    ps = p.take(rows)
                    Kr = _medium_columns(ps, E[rows], rr)
                    vec = np.einsum("nij,nj->ni", Kr, beta[rows])
                    vec = np.where(ps.hard[:, None], 0.0, vec)
                else:
                    # alpha refers to the columns normalised after layer L-1
                    w = alpha[rows] * np.exp(cum[max(j - 1, 0)][rows] - cum[L - 1][rows])
                    if j == 0:
                        cols = _core_columns(p.take(rows), E[rows], rr)
                        cols = cols / np.exp(logs[0][rows])[:, None, :]
                        vec = np.einsum("nij,nj->ni", cols, w)
                    else:
                        ps = p.take(rows)
                        q, osc, _ = ps.q(E[rows], j)
                        Mr = _cols(ps.l, q, rr, ps.g1[:, j], ps.g[:, j], osc, ps.r[:, j - 1])
                        C = info["coefs"][j][rows]
                        vec = np.einsum("nij,njk,nk->ni", Mr, C, w)
                R0[sel], R2[sel] = vec[:, 0], vec[:, 1]
        return R0, R2

    def _norm(self, s):
        key = ("norm", s)
        if key in self._cache:
            return self._cache[key]
        p = self._p
        N, L = p.r.shape
        inner = np.concatenate([np.zeros((N, 1)), p.r[:, :-1]], axis=1)
        tot = np.zeros(N)
        sign = np.ones(N)
        for j in range(L):
            a, b = inner[:, j:j + 1], p.r[:, j:j + 1]
            x = 0.5 * (b - a) * (_GL_X[None, :] + 1.0) + a
            R0, R2 = self._raw(s, x)
            tot += 0.5 * (b - a)[:, 0] * (((R0 ** 2 + R2 ** 2) * x * x) @ _GL_W)
            if j == 0:
                sign = np.where(R0[:, 0] < 0, -1.0, 1.0)
        # medium tail: up to 40 decay lengths of the slower (light) wave
        soft = ~p.hard
        if soft.any():
            E = np.where(self.bound[:, s], self.energies_eV[:, s], 0.0)
            dv = np.maximum(p.V[:, L] - E, 1e-6)
            mmin = 1.0 / (p.g1[:, L] + 2.0 * p.g[:, L])
            kap = np.sqrt(np.where(soft, mmin * dv, 1.0) / HBAR2_2M0)
            rL = p.r[:, L - 1:L]
            span = np.where(soft, 20.0 / kap, 0.0)[:, None]
            for lo, hi in ((0.0, 0.1), (0.1, 0.4), (0.4, 1.0)):
                x = rL + span * (lo + (hi - lo) * 0.5 * (_GL_X[None, :] + 1.0))
                R0, R2 = self._raw(s, x)
                tot += np.where(soft, 0.5 * (hi - lo) * span[:, 0]
                                * (((R0 ** 2 + R2 ** 2) * x * x) @ _GL_W), 0.0)
        self._cache[key] = (tot, sign)
        return tot, sign

    def wavefunctions(self, r_nm) -> tuple[np.ndarray, np.ndarray]:
        r"""Normalised radial components ``R0`` (L = 0) and ``R2`` (L = 2) in nm^(-3/2).

        Parameters
        ----------
        r_nm : array_like, shape (M,) or (N, M)
            Radii in nm (>= 0).

        Returns
        -------
        R0, R2 : ndarray, shape (N, n_states, M)
            The lower and upper orbital components (L = 0, 2 for ``"S3/2"``; L = 1, 3
            for ``"P3/2"``), with :math:`\int_0^\infty (R_0^2 + R_2^2) r^2 dr = 1`
            (medium tail included) and ``R0 > 0`` near the centre.  The spherically
            averaged density of the level is :math:`(R_0^2 + R_2^2)/4\pi`.  NaN for
            unbound levels.
        """
        r = np.asarray(r_nm, dtype=float)
        N = self.radii_nm.shape[0]
        if r.ndim == 1:
            r = np.broadcast_to(r, (N, r.size))
        if r.ndim != 2 or r.shape[0] != N:
            raise QdlabInputError(f"r_nm must have shape (M,) or ({N}, M), got {np.shape(r_nm)}")
        if not np.all(np.isfinite(r)) or np.any(r < 0):
            raise QdlabInputError("r_nm must be finite radii >= 0 nm")
        n_states = self.energies_eV.shape[1]
        R0 = np.empty((N, n_states, r.shape[1]))
        R2 = np.empty_like(R0)
        for s in range(n_states):
            a0, a2 = self._raw(s, r)
            tot, sign = self._norm(s)
            f = sign / np.sqrt(tot)
            R0[:, s] = a0 * f[:, None]
            R2[:, s] = a2 * f[:, None]
        nb = ~self.bound[:, :, None]
        return np.where(nb, np.nan, R0), np.where(nb, np.nan, R2)


def solve_luttinger_holes(radii_nm, potential_eV, gamma1, gamma, n_states: int = 1,
                          n_scan: int = 12, state: str = "S3/2") -> LuttingerSolution:
    r"""Even F = 3/2 hole levels of layered spheres in the spherical Luttinger model.

    Parameters
    ----------
    radii_nm : array_like, shape (N, L) or (L,) or scalar
        Outer radius of each layer in nm (> 0, increasing).
    potential_eV : array_like, shape (N, L+1) or (L+1,)
        Hole potential (minus the valence-band edge) of each layer, then of the
        medium, in eV; the medium may be ``+inf`` (hard wall).
    gamma1, gamma : array_like, shape (N, L+1) or (L+1,)
        Luttinger :math:`\gamma_1` and spherical :math:`\bar\gamma` of each
        region (dimensionless; ``gamma1 > 2 gamma >= 0``).  For the medium use
        ``gamma1 = 1/m`` and ``gamma = 0``.
    n_states : int
        Number of even F = 3/2 levels (1S_3/2, 2S_3/2, ...), default 1.
    n_scan : int
        Points of the bracketing scan per structure and level (default 12;
        doubled automatically where fewer than ``n_states`` roots are found).
    state : {"S3/2", "P3/2"}
        Even F = 3/2 series (components L = 0, 2: 1S_3/2, 2S_3/2, ...; default)
        or odd F = 3/2 series (L = 1, 3: 1P_3/2, 2P_3/2, ...).

    Returns
    -------
    LuttingerSolution
        ``energies_eV`` (N, n_states), ``bound``, ``wavefunctions(r_nm)`` -> (R0, R2).

    Notes
    -----
    Solves :math:`D(E) = 0` for the 4x4 transfer problem described in the module
    notes (continuity of ``R0``, ``R2``, ``F0``, ``F2``).  With a hard wall and
    one layer the roots are :math:`E = \hbar^2\varphi^2/(2 m_{hh} a^2)` with
    :math:`j_0(\varphi)j_2(\sqrt\beta\varphi) + j_2(\varphi)j_0(\sqrt\beta\varphi) = 0`
    (S_3/2) and :math:`9 j_1(\varphi)j_3(\sqrt\beta\varphi) + j_3(\varphi)j_1(\sqrt\beta\varphi) = 0`
    (P_3/2, from the path coefficients of the module notes: bulk solutions
    ``(j1, -j3/3)`` heavy and ``(j1, 3 j3)`` light).

    References
    ----------
    .. [1] A. Baldereschi and N. O. Lipari, Phys. Rev. B 8, 2697 (1973).
       Bibliography ``baldereschi1973``.
    .. [2] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993). Bibliography ``ekimov1993``.
    .. [3] P. C. Sercel and K. J. Vahala, Phys. Rev. B 42, 3690 (1990). Bibliography ``sercel1990``.

    Examples
    --------
    Without band mixing (``gamma = 0``) the single-band particle in a sphere:

    >>> sol = solve_luttinger_holes(2.0, [0.0, float("inf")], [1 / 0.5, 1.0], [0.0, 0.0])
    >>> from qdlab.constants import HBAR2_2M0
    >>> round(float(sol.energies_eV[0, 0] / (HBAR2_2M0 * np.pi**2 / (0.5 * 4.0))), 8)
    1.0
    """
    if isinstance(n_states, bool) or not isinstance(n_states, (int, np.integer)) or n_states < 1:
        raise QdlabInputError(f"n_states must be an integer >= 1, got {n_states!r}")
    if isinstance(n_scan, bool) or not isinstance(n_scan, (int, np.integer)) or n_scan < 4:
        raise QdlabInputError(f"n_scan must be an integer >= 4, got {n_scan!r}")
    if state not in _STATES:
        raise QdlabInputError(f"state must be one of {sorted(_STATES)}, got {state!r}")
    p = replace(_prepare(radii_nm, potential_eV, gamma1, gamma), l=_STATES[state])
    E, bound = _solve(p, int(n_states), int(n_scan) * max(1, int(n_states)))
    return LuttingerSolution(E, bound, p.r, p.V, p.g1, p.g, p.l)


def ekimov_phi(beta, n: int = 1) -> np.ndarray:
    r"""n-th root :math:`\varphi_n(\beta)` of the infinite-barrier even F = 3/2 hole equation.

    Parameters
    ----------
    beta : float or array_like
        Light-to-heavy hole mass ratio :math:`m_{lh}/m_{hh}`, in (0, 1].
    n : int
        Root index (1: 1S_3/2, 2: 2S_3/2, ...).

    Returns
    -------
    ndarray
        :math:`\varphi_n` (dimensionless); the level is :math:`\hbar^2\varphi_n^2/(2m_{hh}a^2)`.

    See Also
    --------
    qdlab.electronic.kp.helicity.hard_wall_hole_levels : all hard-wall hole levels of one F.

    Notes
    -----
    :math:`j_0(\varphi)j_2(\sqrt\beta\varphi) + j_2(\varphi)j_0(\sqrt\beta\varphi) = 0`
    (Ekimov et al. 1993), solved with the layered-sphere solver for one layer and a
    hard wall (``gamma1 = 1``, ``gamma = (1 - beta)/(2 (1 + beta))``).

    References
    ----------
    .. [1] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993). Bibliography ``ekimov1993``.
    .. [2] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000). Bibliography ``efros2000``.

    Examples
    --------
    >>> round(float(ekimov_phi(1.0)), 6)
    3.141593
    >>> round(float(ekimov_phi(0.275)), 4)   # CdSe, gamma1 = 2.04, gamma = 0.58
    4.6158
    """
    b = np.atleast_1d(np.asarray(beta, dtype=float))
    if np.any(~np.isfinite(b)) or np.any((b <= 0) | (b > 1)):
        raise QdlabInputError(f"beta must be in (0, 1], got {beta}")
    mu = (1.0 - b) / (1.0 + b)
    g = mu / 2.0
    n_b = b.size
    sol = solve_luttinger_holes(np.ones((n_b, 1)), np.tile([0.0, np.inf], (n_b, 1)),
                                np.column_stack([np.ones(n_b), np.ones(n_b)]),
                                np.column_stack([g, np.zeros(n_b)]), n_states=int(n))
    phi = np.sqrt(sol.energies_eV[:, -1] / ((1.0 - mu) * HBAR2_2M0))
    return phi.reshape(np.shape(beta))[()]
