r"""F = 1/2 hole levels of k.p spheres: the light-hole / split-off coupled 6x6 model.

Hole states of the spherical Luttinger model are labelled by the total angular
momentum F = L + J and parity.  The F = 3/2 series (nS_3/2, nP_3/2) come from the
4x4 solver of :mod:`qdlab.electronic.kp.luttinger`.  The F = 1/2 states need the
split-off band (6x6 model, spin-orbit splitting :math:`\Delta`): in the spherical
approximation the light-hole (J = 3/2, helicity 1/2) and split-off (J = 1/2) bands
are coupled, and for a wave vector k the bulk hole energies E (positive into the
valence band, :math:`x = \hbar^2k^2/2m_0`) obey

.. math::

    \det\begin{pmatrix} (\gamma_1 + 2\bar\gamma)x - E & 2\sqrt2\,\bar\gamma x \\
    2\sqrt2\,\bar\gamma x & \gamma_1 x + \Delta - E\end{pmatrix} = 0

(the heavy hole :math:`(\gamma_1 - 2\bar\gamma)x` does not enter F = 1/2).  At energy
E this gives two branches :math:`x_b(E)` (light-hole-like and split-off-like; the
latter evanescent below :math:`\Delta`) with eigenvectors :math:`(c_{lh}, c_{so})`.
Projecting a bulk state of helicity 1/2 on F = 1/2 gives the radial components
:math:`\sqrt{2L+1}\langle L0\,J\tfrac12|\tfrac12\tfrac12\rangle i^L j_L(kr)` with
coefficient magnitude 1 for every (L, J) involved, so

* **nS_1/2** (even): components L = 0 of J = 1/2 (split-off) and L = 2 of J = 3/2,
  :math:`R_{so} = \sum_b A_b c_{so,b} f_0(k_b r)`, :math:`R_{2} = \sum_b A_b c_{lh,b}
  f_2(k_b r)` (``f`` = ``j``, or ``i0`` / ``-i2`` for an evanescent branch).  With an
  infinite barrier at r = a the levels are the roots of

  .. math:: c_{so,1}f_0(k_1a)\,c_{lh,2}f_2(k_2a) - c_{so,2}f_0(k_2a)\,c_{lh,1}f_2(k_1a) = 0

  (independent of the phase conventions, which multiply both terms alike);
* **nP_1/2** (odd): both components have L = 1, so each branch alone satisfies the
  hard wall: :math:`j_1(k_b a) = 0`, i.e. E is the lower (light-hole-like) or upper
  (split-off-like) eigenvalue of the matrix above at :math:`x = \hbar^2 z_{1n}^2/2m_0a^2`.

For :math:`\bar\gamma = 0` these reduce to the uncoupled light hole (:math:`j_2(ka) = 0`)
and split-off hole (:math:`j_0(ka) = 0`, shifted by :math:`\Delta`); for
:math:`\Delta\to\infty` nS_1/2 becomes the 4x4 light-hole state :math:`j_2(k_{lh}a) = 0`.

References
----------
.. [1] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993).
.. [2] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
.. [3] A. Baldereschi and N. O. Lipari, Phys. Rev. B 9, 1525 (1974) (spherical model
   with spin-orbit coupling).

Examples
--------
>>> e = split_off_s_levels(2.0, 2.04, 0.58, 0.42, n_states=1)["energies_eV"]
>>> bool(0.42 < e[0] < 1.0)
True
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq
from scipy.special import ive, spherical_in, spherical_jn

from qdlab.constants import HBAR2_2M0
from qdlab.errors import QdlabInputError, check_positive

__all__ = ["p_half_levels", "split_off_s_levels"]

_J1_ZEROS = (4.493409457909064, 7.725251836937707, 10.904121659428899, 14.066193912831473)
_GRID = 801


def _branches(E, g1, g, D):
    """(x_lh, x_so) and unnormalised eigenvectors (c_lh, c_so) of both branches at E."""
    A = g1 * g1 + 2.0 * g * g1 - 8.0 * g * g
    B = (g1 + 2.0 * g) * (D - E) - g1 * E
    C = E * (E - D)
    disc = max(B * B - 4.0 * A * C, 0.0)
    s = math.sqrt(disc)
    x_lh = (-B + s) / (2.0 * A)
    x_so = (-B - s) / (2.0 * A)
    c = 2.0 * math.sqrt(2.0) * g
    v_lh = (g1 * x_lh + D - E, -c * x_lh)          # row 2 null vector: regular at E -> 0
    v_so = (c * x_so, E - (g1 + 2.0 * g) * x_so)   # row 1 null vector: regular at E -> D
    return (x_lh, v_lh), (x_so, v_so)


def _f(L, x, r, ref=0.0):
    """j_L(k r) for x > 0; for x < 0 the continuation (i0, i1, -i2)(kappa r) times
    exp(-kappa ref) (a positive per-branch scale that avoids overflow)."""
    k = math.sqrt(abs(x) / HBAR2_2M0)
    if x >= 0:
        return spherical_jn(L, k * r)
    z = np.asarray(k * r, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        big = np.sqrt(np.pi / (2.0 * np.maximum(z, 1e-300))) * ive(L + 0.5, z) * np.exp(
            z - k * ref)
    small = spherical_in(L, np.minimum(z, 50.0)) * np.exp(-k * ref)
    return (-1.0 if L == 2 else 1.0) * np.where(z < 50.0, small, big)


def _det_s(E, a, g1, g, D):
    (x1, v1), (x2, v2) = _branches(E, g1, g, D)
    return float(v1[1] * _f(0, x1, a, a) * v2[0] * _f(2, x2, a, a)
                 - v2[1] * _f(0, x2, a, a) * v1[0] * _f(2, x1, a, a))


def _det_s_grid(E, a, g1, g, D):
    """:func:`_det_s` on an array of energies at once (the bracketing grid)."""
    E = np.asarray(E, dtype=float)
    A = g1 * g1 + 2.0 * g * g1 - 8.0 * g * g
    B = (g1 + 2.0 * g) * (D - E) - g1 * E
    C = E * (E - D)
    s = np.sqrt(np.maximum(B * B - 4.0 * A * C, 0.0))
    x1 = (-B + s) / (2.0 * A)
    x2 = (-B - s) / (2.0 * A)
    c = 2.0 * math.sqrt(2.0) * g
    v1 = (g1 * x1 + D - E, -c * x1)
    v2 = (c * x2, E - (g1 + 2.0 * g) * x2)

    def f(L, x):
        k = np.sqrt(np.abs(x) / HBAR2_2M0)
        z = k * a
        out = np.empty_like(z)
        pos = x >= 0
        out[pos] = spherical_jn(L, z[pos])
        neg = ~pos
        zn = z[neg]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            big = np.sqrt(np.pi / (2.0 * np.maximum(zn, 1e-300))) * ive(L + 0.5, zn)
            small = spherical_in(L, np.minimum(zn, 50.0)) * np.exp(-zn)
        out[neg] = (-1.0 if L == 2 else 1.0) * np.where(zn < 50.0, small, big)
        return out

    return v1[1] * f(0, x1) * v2[0] * f(2, x2) - v2[1] * f(0, x2) * v1[0] * f(2, x1)


def _check(radius_nm, gamma1, gamma, delta_so_eV, n_states):
    check_positive(radius_nm, "radius_nm", "nm")
    check_positive(gamma1, "gamma1")
    check_positive(delta_so_eV, "delta_so_eV", "eV")
    if not (0.0 <= gamma < gamma1 / 2.0):
        raise QdlabInputError(f"gamma must be in [0, gamma1/2) = [0, {gamma1 / 2:g}), got {gamma}")
    if isinstance(n_states, bool) or int(n_states) != n_states or not 1 <= n_states <= 4:
        raise QdlabInputError(f"n_states must be an integer in 1..4, got {n_states!r}")


def split_off_s_levels(radius_nm: float, gamma1: float, gamma: float, delta_so_eV: float,
                       n_states: int = 2) -> dict:
    r"""Hard-wall nS_1/2 hole levels of a sphere in the spherical 6x6 model.

    Parameters
    ----------
    radius_nm : float
        Radius, nm.
    gamma1, gamma : float
        Luttinger :math:`\gamma_1` and spherical :math:`\bar\gamma` (``0 <= gamma < gamma1/2``).
    delta_so_eV : float
        Spin-orbit splitting :math:`\Delta`, eV (> 0).
    n_states : int
        Number of levels (1..4).

    Returns
    -------
    dict
        ``energies_eV`` (n_states,): hole confinement energies (> 0, into the valence
        band, from the top of the J = 3/2 band); ``components(r_nm)``: a function
        returning ``(R_so, R_2)`` of shape (n_states, M), normalised with
        :math:`\int_0^a (R_{so}^2 + R_2^2) r^2 dr = 1`, ``R_so > 0`` near the centre.

    Notes
    -----
    Roots of :math:`c_{so,1}f_0(k_1a)c_{lh,2}f_2(k_2a) - c_{so,2}f_0(k_2a)c_{lh,1}f_2(k_1a)`
    (module notes), bracketed on a grid in E and refined with Brent's method.

    References
    ----------
    .. [1] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993). Bibliography ``ekimov1993``.
    .. [2] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
       Bibliography ``efros2000``.

    Examples
    --------
    Without band coupling the split-off level is :math:`\Delta + \gamma_1\hbar^2\pi^2/2m_0a^2`:

    >>> from qdlab.constants import HBAR2_2M0
    >>> e = split_off_s_levels(2.0, 2.0, 0.0, 0.4, 1)["energies_eV"][0]
    >>> round(float(e - 0.4 - 2.0 * HBAR2_2M0 * np.pi**2 / 4.0), 9)
    0.0
    """
    _check(radius_nm, gamma1, gamma, delta_so_eV, n_states)
    a, g1, g, D = float(radius_nm), float(gamma1), float(gamma), float(delta_so_eV)
    unit = HBAR2_2M0 / (a * a)
    e_max = D + unit * g1 * (math.pi * (n_states + 2)) ** 2
    e_lh = unit * (g1 + 2.0 * g) * (math.pi * (n_states + 3)) ** 2
    grid = np.concatenate([np.linspace(1e-9 * unit, min(D, e_lh), 1500)[:-1],
                           D + (e_max - D) * np.linspace(0.0, 1.0, 4000) ** 2])
    vals = _det_s_grid(grid, a, g1, g, D)
    roots = []
    for i in np.nonzero(np.sign(vals[:-1]) * np.sign(vals[1:]) < 0)[0]:
        roots.append(brentq(_det_s, grid[i], grid[i + 1], args=(a, g1, g, D), xtol=1e-13))
        if len(roots) == n_states:
            break
    if len(roots) < n_states:
        raise QdlabInputError(f"found {len(roots)} nS_1/2 levels below {e_max:.3g} eV, "
                              f"asked for {n_states}")
    E = np.array(roots)

    def components(r_nm):
        r = np.atleast_1d(np.asarray(r_nm, dtype=float))
        rg = np.linspace(0.0, a, _GRID)
        Rso = np.empty((E.size, r.size))
        R2 = np.empty_like(Rso)
        for s, e in enumerate(E):
            (x1, v1), (x2, v2) = _branches(e, g1, g, D)
            # amplitudes (A1, A2) with the hard wall: A1 v1_so f0(k1 a) + A2 v2_so f0(k2 a) = 0
            a1, a2 = v2[1] * _f(0, x2, a, a), -v1[1] * _f(0, x1, a, a)
            if abs(a1) + abs(a2) < 1e-300:
                a1, a2 = v2[0] * _f(2, x2, a, a), -v1[0] * _f(2, x1, a, a)

            def comp(x, a1=a1, a2=a2, x1=x1, x2=x2, v1=v1, v2=v2):
                so = a1 * v1[1] * _f(0, x1, x, a) + a2 * v2[1] * _f(0, x2, x, a)
                d2 = a1 * v1[0] * _f(2, x1, x, a) + a2 * v2[0] * _f(2, x2, x, a)
                return so, d2

            so, d2 = comp(rg)
            norm = np.trapezoid((so ** 2 + d2 ** 2) * rg ** 2, rg)
            sign = 1.0 if so[0] >= 0 else -1.0
            so, d2 = comp(r)
            inside = r <= a
            Rso[s] = np.where(inside, sign * so / math.sqrt(norm), 0.0)
            R2[s] = np.where(inside, sign * d2 / math.sqrt(norm), 0.0)
        return Rso, R2

    return {"energies_eV": E, "components": components}


def p_half_levels(radius_nm: float, gamma1: float, gamma: float, delta_so_eV: float,
                  n_states: int = 1) -> dict:
    r"""Hard-wall nP_1/2 hole levels (light-hole-like and split-off-like), eV.

    Parameters
    ----------
    radius_nm, gamma1, gamma, delta_so_eV, n_states
        As :func:`split_off_s_levels`.

    Returns
    -------
    dict
        ``lh_eV`` and ``so_eV`` (n_states,): the lower and upper eigenvalues of the
        lh/so matrix at :math:`x = \hbar^2 z_{1n}^2/2m_0a^2` (:math:`z_{1n}`: zeros of
        :math:`j_1`), and ``k_per_nm`` (n_states,), the common wave number.

    References
    ----------
    .. [1] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993). Bibliography ``ekimov1993``.
    .. [2] P. C. Sercel and K. J. Vahala, Phys. Rev. B 42, 3690 (1990). Bibliography ``sercel1990``.
    .. [3] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000). Bibliography ``efros2000``.

    Examples
    --------
    >>> out = p_half_levels(2.0, 2.04, 0.0, 0.42)
    >>> from qdlab.constants import HBAR2_2M0
    >>> round(float(out["lh_eV"][0] / (2.04 * HBAR2_2M0 * (4.493409457909064 / 2) ** 2)), 9)
    1.0
    """
    _check(radius_nm, gamma1, gamma, delta_so_eV, n_states)
    a, g1, g, D = float(radius_nm), float(gamma1), float(gamma), float(delta_so_eV)
    k = np.array(_J1_ZEROS[:n_states]) / a
    x = HBAR2_2M0 * k * k
    tr = (g1 + 2 * g) * x + g1 * x + D
    det = (g1 + 2 * g) * x * (g1 * x + D) - 8.0 * g * g * x * x
    root = np.sqrt(np.maximum(tr * tr / 4.0 - det, 0.0))
    return {"lh_eV": tr / 2.0 - root, "so_eV": tr / 2.0 + root, "k_per_nm": k}
