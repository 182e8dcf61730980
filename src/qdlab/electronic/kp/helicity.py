r"""Hard-wall hole states of any F from the bulk helicity states (spherical 4x4 Luttinger model).

In the spherical approximation a bulk hole of wave vector k has a definite
helicity :math:`\lambda = \mathbf J\cdot\hat k` (heavy hole :math:`|\lambda| = 3/2`, light
hole :math:`|\lambda| = 1/2`).  Its projection on total angular momentum F is a
spherical wave whose orbital components are

.. math::

    R_L(r) \propto \sqrt{2L+1}\,\langle L\,0\,J\,\lambda|F\,\lambda\rangle\,i^L j_L(kr),

so a state of given F and parity (components :math:`L_1 < L_2 = L_1 + 2`, both with
:math:`|\lambda| \le F`) is a combination of the heavy and light spherical waves at
the same energy, and an infinite barrier at r = a requires

.. math::

    \det\begin{pmatrix} c_{L_1,h} j_{L_1}(k_h a) & c_{L_1,l} j_{L_1}(k_l a) \\
    c_{L_2,h} j_{L_2}(k_h a) & c_{L_2,l} j_{L_2}(k_l a)\end{pmatrix} = 0,
    \qquad c_{L,\lambda} = \sqrt{2L+1}\,\langle L0\,\tfrac32\lambda|F\lambda\rangle\,i^{L-L_1}.

For F = 3/2 this gives Ekimov's :math:`j_0(\varphi)j_2(\sqrt\beta\varphi) +
j_2(\varphi)j_0(\sqrt\beta\varphi) = 0` (S_3/2) and
:math:`9j_1(\varphi)j_3(\sqrt\beta\varphi) + j_3(\varphi)j_1(\sqrt\beta\varphi) = 0`
(P_3/2) of :mod:`qdlab.electronic.kp.luttinger`, which was derived independently from
the radial equations (checked in the tests); the same construction with the split-off
band gives the F = 1/2 states of :mod:`qdlab.electronic.kp.transitions`.  Here it
provides F = 5/2 (1P_5/2: L = 1, 3; 1D_5/2: L = 2, 4), where
:math:`2j_1(\varphi)j_3(\sqrt\beta\varphi) + 3j_3(\varphi)j_1(\sqrt\beta\varphi) = 0`.

References
----------
.. [1] A. Baldereschi and N. O. Lipari, Phys. Rev. B 8, 2697 (1973).
.. [2] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993).
.. [3] P. C. Sercel and K. J. Vahala, Phys. Rev. B 42, 3690 (1990).

Examples
--------
>>> round(clebsch_gordan(1, 0, 1.5, 1.5, 1.5, 1.5) * 3 ** 0.5, 6)
-1.341641
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq
from scipy.special import spherical_jn

from qdlab.constants import HBAR2_2M0
from qdlab.errors import QdlabInputError, check_positive

__all__ = ["clebsch_gordan", "hard_wall_hole_levels"]


def clebsch_gordan(j1, m1, j2, m2, j, m) -> float:
    r"""Clebsch-Gordan coefficient :math:`\langle j_1 m_1 j_2 m_2|j m\rangle` (Racah formula).

    Examples
    --------
    >>> round(clebsch_gordan(0.5, 0.5, 0.5, -0.5, 1, 0), 6)
    0.707107
    """
    if abs(m1 + m2 - m) > 1e-9 or not abs(j1 - j2) <= j <= j1 + j2:
        return 0.0
    f = math.factorial

    def i(x):
        return int(round(x))

    pre = math.sqrt((2 * j + 1) * f(i(j + j1 - j2)) * f(i(j - j1 + j2)) * f(i(j1 + j2 - j))
                    / f(i(j1 + j2 + j + 1)))
    pre *= math.sqrt(f(i(j + m)) * f(i(j - m)) * f(i(j1 - m1)) * f(i(j1 + m1))
                     * f(i(j2 - m2)) * f(i(j2 + m2)))
    s = 0.0
    for k in range(0, i(j1 + j2 - j) + 1):
        d = (k, j1 + j2 - j - k, j1 - m1 - k, j2 + m2 - k, j - j2 + m1 + k, j - j1 - m2 + k)
        if min(d) < -1e-9:
            continue
        s += (-1) ** k / math.prod(f(i(x)) for x in d)
    return pre * s


def _coefficients(F, L1):
    """c[L, branch] for L in (L1, L1 + 2), branches (heavy, light)."""
    c = np.zeros((2, 2))
    for row, L in enumerate((L1, L1 + 2)):
        phase = (-1.0) ** ((L - L1) // 2)
        for col, lam in enumerate((1.5, 0.5)):
            c[row, col] = phase * math.sqrt(2 * L + 1) * clebsch_gordan(L, 0, 1.5, lam, F, lam)
    return c


def hard_wall_hole_levels(radius_nm: float, gamma1: float, gamma: float, F: float, L1: int,
                          n_states: int = 1) -> dict:
    r"""Hard-wall hole levels of total angular momentum F with components L1, L1 + 2.

    Parameters
    ----------
    radius_nm : float
        Radius, nm.
    gamma1, gamma : float
        Luttinger :math:`\gamma_1` and spherical :math:`\bar\gamma` (``0 < gamma < gamma1/2``).
    F : float
        Total angular momentum (3/2 or 5/2; F >= 3/2 so that both helicities enter).
    L1 : int
        Lower orbital component (F = 3/2: 0 or 1; F = 5/2: 1 or 2).
    n_states : int
        Number of levels (1..4).

    Returns
    -------
    dict
        ``energies_eV`` (n_states,) and ``components(r_nm)`` -> ``(R_L1, R_L2)``, each
        (n_states, M), normalised with :math:`\int_0^a(R_{L_1}^2 + R_{L_2}^2)r^2dr = 1`.

    See Also
    --------
    qdlab.electronic.kp.luttinger.ekimov_phi : the F = 3/2 ground-state root.
    qdlab.electronic.kp.transitions.p_half_levels : the nP_1/2 levels with the split-off band.

    Notes
    -----
    Roots of the determinant of the module notes, with
    :math:`k_{h,l}^2 = E/((\gamma_1 \mp 2\bar\gamma)\hbar^2/2m_0)`.

    References
    ----------
    .. [1] A. Baldereschi and N. O. Lipari, Phys. Rev. B 8, 2697 (1973). Bibliography ``baldereschi1973``.
    .. [2] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993). Bibliography ``ekimov1993``.
    .. [3] P. C. Sercel and K. J. Vahala, Phys. Rev. B 42, 3690 (1990). Bibliography ``sercel1990``.

    Examples
    --------
    >>> from qdlab.constants import HBAR2_2M0
    >>> e = hard_wall_hole_levels(2.0, 2.04, 0.58, 1.5, 0)["energies_eV"][0]
    >>> round(float(np.sqrt(e * 4.0 / (HBAR2_2M0 * (2.04 - 1.16)))), 4)   # Ekimov phi
    4.6158
    """
    check_positive(radius_nm, "radius_nm", "nm")
    check_positive(gamma1, "gamma1")
    if not 0.0 < gamma < gamma1 / 2.0:
        raise QdlabInputError(f"gamma must be in (0, gamma1/2) = (0, {gamma1 / 2:g}), got {gamma}")
    if F not in (1.5, 2.5) or L1 not in (F - 1.5, F - 0.5):
        raise QdlabInputError(f"(F, L1) must be (3/2, 0|1) or (5/2, 1|2), got ({F}, {L1})")
    if isinstance(n_states, bool) or int(n_states) != n_states or not 1 <= n_states <= 4:
        raise QdlabInputError(f"n_states must be an integer in 1..4, got {n_states!r}")
    a, g1, g = float(radius_nm), float(gamma1), float(gamma)
    L1 = int(L1)
    c = _coefficients(F, L1)
    sb = math.sqrt((g1 - 2 * g) / (g1 + 2 * g))       # k_l / k_h

    def det(phi):
        return (c[0, 0] * spherical_jn(L1, phi) * c[1, 1] * spherical_jn(L1 + 2, sb * phi)
                - c[0, 1] * spherical_jn(L1, sb * phi) * c[1, 0] * spherical_jn(L1 + 2, phi))

    phis = np.linspace(0.5, math.pi * (n_states + L1 + 3), 4000)
    vals = det(phis)
    roots = [brentq(det, phis[i], phis[i + 1], xtol=1e-14)
             for i in np.nonzero(np.sign(vals[:-1]) * np.sign(vals[1:]) < 0)[0]][:n_states]
    if len(roots) < n_states:
        raise QdlabInputError(f"found {len(roots)} levels, asked for {n_states}")
    phi = np.array(roots)
    E = HBAR2_2M0 * (g1 - 2 * g) * (phi / a) ** 2

    def components(r_nm):
        r = np.atleast_1d(np.asarray(r_nm, dtype=float))
        out1 = np.zeros((phi.size, r.size))
        out2 = np.zeros_like(out1)
        rg = np.linspace(0.0, a, 2001)
        for s, p in enumerate(phi):
            # amplitudes (A_h, A_l) with the L1 row zero at the wall
            ah, al = c[0, 1] * spherical_jn(L1, sb * p), -c[0, 0] * spherical_jn(L1, p)

            def comp(x, ah=ah, al=al, p=p):
                kh, kl = p / a, sb * p / a
                return (ah * c[0, 0] * spherical_jn(L1, kh * x) + al * c[0, 1] * spherical_jn(
                    L1, kl * x), ah * c[1, 0] * spherical_jn(L1 + 2, kh * x)
                    + al * c[1, 1] * spherical_jn(L1 + 2, kl * x))

            u1, u2 = comp(rg)
            norm = math.sqrt(np.trapezoid((u1 ** 2 + u2 ** 2) * rg ** 2, rg))
            sign = 1.0 if u1[np.argmax(np.abs(u1))] >= 0 else -1.0
            v1, v2 = comp(r)
            out1[s] = np.where(r <= a, sign * v1 / norm, 0.0)
            out2[s] = np.where(r <= a, sign * v2 / norm, 0.0)
        return out1, out2

    return {"energies_eV": E, "components": components}
