"""Band-edge hole of a spherical nanocrystal in the spherical Luttinger model.

In II-VI and III-V semiconductors the top of the valence band is fourfold
degenerate (J = 3/2) and the heavy- and light-hole branches are coupled by the
confinement.  In the spherical approximation of the Luttinger Hamiltonian
(Baldereschi & Lipari) with

.. math::

    \\bar\\gamma = (2\\gamma_2 + 3\\gamma_3)/5, \\quad
    m_{hh} = \\frac{m_0}{\\gamma_1 - 2\\bar\\gamma}, \\quad
    m_{lh} = \\frac{m_0}{\\gamma_1 + 2\\bar\\gamma}, \\quad
    \\beta = m_{lh}/m_{hh},

the ground hole state 1S_{3/2} of a sphere of radius ``a`` with infinite
barriers has the energy (Grigoryan, Kazaryan, Efros & Lebedev 1990; Ekimov
et al. 1993)

.. math::

    E_{1S_{3/2}} = \\frac{\\hbar^2 \\varphi^2(\\beta)}{2 m_{hh} a^2},

where :math:`\\varphi(\\beta)` is the first root of

.. math::

    j_0(\\varphi)\\, j_2(\\sqrt{\\beta}\\varphi) + j_2(\\varphi)\\, j_0(\\sqrt{\\beta}\\varphi) = 0 .

:math:`\\varphi(1) = \\pi` (no band mixing) and :math:`\\varphi(0) = 5.763`
(the first zero of :math:`j_2`).  A single-band model reproduces this ground
state exactly if it uses the effective mass

.. math::

    m_{1S} = m_{hh}\\, \\pi^2 / \\varphi^2(\\beta),

which is what qdlab's spherical solvers use for the band-edge hole of materials
whose Luttinger parameters are known.  With finite barriers and shells this is
an approximation (the mixing changes a little with the barrier); higher hole
states (1P_{3/2}, 2S_{3/2}, ...) have other effective masses and are only
indicative in the single-band model.

References
----------
.. [1] A. Baldereschi and N. O. Lipari, Phys. Rev. B 8, 2697 (1973).
.. [2] G. B. Grigoryan, E. M. Kazaryan, Al. L. Efros and T. V. Yazeva,
   Sov. Phys. Solid State 32, 1031 (1990).
.. [3] A. I. Ekimov, F. Hache, M. C. Schanne-Klein, D. Ricard, C. Flytzanis,
   I. A. Kudryavtsev, T. V. Yazeva, A. V. Rodina and Al. L. Efros,
   J. Opt. Soc. Am. B 10, 100 (1993).
.. [4] D. J. Norris and M. G. Bawendi, Phys. Rev. B 53, 16338 (1996).
"""

from __future__ import annotations

import math

import numpy as np

from qdlab._roots import brentq  # scipy.optimize.brentq's steps, without importing scipy.optimize
from qdlab._special import spherical_jn  # scipy.special.spherical_jn, without dispatch overhead
from qdlab.errors import QdlabInputError


def _phi_equation(phi: float, beta: float) -> float:
    sb = math.sqrt(beta) * phi
    return (spherical_jn(0, phi) * spherical_jn(2, sb)
            + spherical_jn(2, phi) * spherical_jn(0, sb))


def luttinger_phi(beta) -> np.ndarray:
    r"""First root phi(beta) of the 1S3/2 hole equation (dimensionless).

    Parameters
    ----------
    beta : float or array_like
        Light-to-heavy hole mass ratio, 0 <= beta <= 1.

    Returns
    -------
    ndarray
        :math:`\varphi(\beta)`, dimensionless, between :math:`\pi` (beta = 1) and
        5.7635 (beta = 0).

    Notes
    -----
    First root of :math:`j_0(\varphi)\,j_2(\sqrt\beta\varphi) +
    j_2(\varphi)\,j_0(\sqrt\beta\varphi) = 0`; the 1S3/2 hole of a hard-wall sphere of
    radius a lies at :math:`\hbar^2\varphi^2(\beta)/(2 m_{hh} a^2)`.

    References
    ----------
    .. [1] Grigoryan et al., Sov. Phys. Solid State 32, 1031 (1990); bibliography
       ``grigoryan1990``.
    .. [2] Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993); bibliography ``ekimov1993``.

    Examples
    --------
    >>> round(float(luttinger_phi(1.0)), 6)
    3.141593
    >>> round(float(luttinger_phi(0.0)), 4)
    5.7635
    """
    b = np.asarray(beta, dtype=float)
    if np.any(~np.isfinite(b)) or np.any((b < 0) | (b > 1)):
        raise QdlabInputError(f"beta must be in [0, 1], got {beta}")
    out = np.empty(b.shape)
    for idx, bi in np.ndenumerate(b):
        if bi >= 1.0 - 1e-12:
            out[idx] = math.pi
            continue
        # The root moves monotonically from pi (beta=1) to 5.7635 (beta=0); bracket it
        # on a fine scan because the function has other sign changes further out.
        grid = np.linspace(3.0, 5.8, 57)
        vals = [_phi_equation(x, bi) for x in grid]
        for i in range(len(grid) - 1):
            if vals[i] == 0.0:
                out[idx] = grid[i]
                break
            if vals[i] * vals[i + 1] < 0:
                out[idx] = brentq(_phi_equation, grid[i], grid[i + 1], args=(bi,), xtol=1e-14)
                break
        else:  # pragma: no cover - the scan always brackets the root for 0 <= beta < 1
            raise RuntimeError(f"no 1S3/2 root found for beta={bi}")
    return out[()]


def spherical_hole_masses(gamma1: float, gamma2: float, gamma3: float) -> tuple[float, float]:
    r"""Heavy and light hole masses (m0) in the spherical approximation.

    Parameters
    ----------
    gamma1, gamma2, gamma3 : float
        Luttinger parameters (dimensionless).

    Returns
    -------
    (m_hh, m_lh) : tuple of float
        Heavy- and light-hole masses in m0.

    Notes
    -----
    :math:`\bar\gamma = (2\gamma_2 + 3\gamma_3)/5`,
    :math:`m_{hh} = 1/(\gamma_1 - 2\bar\gamma)`,
    :math:`m_{lh} = 1/(\gamma_1 + 2\bar\gamma)` (m0).

    References
    ----------
    .. [1] Baldereschi & Lipari, Phys. Rev. B 8, 2697-2709 (1973); bibliography
       ``baldereschi1973``.

    Examples
    --------
    >>> mhh, mlh = spherical_hole_masses(2.04, 0.58, 0.58)   # CdSe, Norris & Bawendi 1996
    >>> round(mhh, 3), round(mlh, 3)
    (1.136, 0.312)
    """
    gbar = (2.0 * gamma2 + 3.0 * gamma3) / 5.0
    if not gamma1 > 2.0 * gbar:
        raise QdlabInputError(f"Luttinger parameters need gamma1 > 2*gammabar, got "
                              f"gamma1={gamma1}, gammabar={gbar}")
    return 1.0 / (gamma1 - 2.0 * gbar), 1.0 / (gamma1 + 2.0 * gbar)


def ground_state_hole_mass(gamma1: float, gamma2: float, gamma3: float) -> float:
    r"""Single-band mass (m0) that reproduces the 1S3/2 hole ground state of a sphere.

    ``m_1S = m_hh * pi**2 / phi(beta)**2`` (see module notes).

    Parameters
    ----------
    gamma1, gamma2, gamma3 : float
        Luttinger parameters (dimensionless).

    Returns
    -------
    float
        :math:`m_{1S} = m_{hh}\pi^2/\varphi^2(\beta)` in m0, with
        :math:`\beta = m_{lh}/m_{hh}` (:func:`spherical_hole_masses`,
        :func:`luttinger_phi`).

    References
    ----------
    .. [1] Grigoryan et al., Sov. Phys. Solid State 32, 1031 (1990); bibliography
       ``grigoryan1990``.
    .. [2] Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993); bibliography ``ekimov1993``.

    Examples
    --------
    >>> round(ground_state_hole_mass(2.04, 0.58, 0.58), 3)   # CdSe
    0.526
    """
    mhh, mlh = spherical_hole_masses(gamma1, gamma2, gamma3)
    phi = float(luttinger_phi(mlh / mhh))
    return mhh * math.pi**2 / phi**2


def has_mirror_bands(material) -> bool:
    """True where the valence band is the Kane partner of the conduction band.

    Lead chalcogenides (rock salt, L-point gap) and lead-halide perovskites
    (R-point gap) have nearly mirror-symmetric conduction and valence bands, so
    their holes are nonparabolic like their electrons and no Luttinger mixing
    applies.

    References
    ----------
    .. [1] Kang & Wise, J. Opt. Soc. Am. B 14, 1632 (1997); bibliography ``kang1997``.
    .. [2] Becker et al., Nature 553, 189-193 (2018); bibliography ``becker2018``.

    Examples
    --------
    >>> from qdlab.materials import get_material
    >>> has_mirror_bands(get_material("PbS")), has_mirror_bands(get_material("CdSe"))
    (True, False)
    """
    return "Pb" in set(getattr(material, "elements", ()))


def band_edge_hole_mass(material) -> float:
    """Hole mass (m0) a single-band spherical model should use for ``material``.

    The 1S3/2 ground-state mass ``m_hh pi^2 / phi(beta)^2`` where the material's
    Luttinger parameters (or its heavy and light hole masses) are known and its
    bands are not mirror-like (lead salts, lead-halide perovskites); otherwise
    ``material.hole_mass``.

    References
    ----------
    .. [1] Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993); bibliography ``ekimov1993``.
    .. [2] Norris & Bawendi, Phys. Rev. B 53, 16338 (1996); bibliography ``norris1996``.

    Examples
    --------
    >>> from qdlab.materials import get_material
    >>> round(band_edge_hole_mass(get_material("CdSe")), 3)
    0.526
    """
    if has_mirror_bands(material):
        return float(material.hole_mass)
    lutt = getattr(material, "luttinger", None)
    if lutt is not None:
        return ground_state_hole_mass(*lutt)
    mhh = getattr(material, "heavy_hole_mass", None)
    mlh = getattr(material, "light_hole_mass", None)
    if mhh and mlh and mlh <= mhh:
        return mhh * math.pi**2 / float(luttinger_phi(mlh / mhh)) ** 2
    return float(material.hole_mass)
