"""Rate laws of colloidal nanocrystal synthesis: conversion, nucleation, growth.

Pure, vectorised functions (numpy broadcasting) in qdlab units: radius in nm,
time in s, temperature in K, concentration in mol/L.  SI inputs are named with
their unit (``surface_energy_J_m2``, ``diffusion_m2_s``, ``surface_rate_m_s``).

The population balance in :mod:`qdlab.synthesis.population` is built from these.

References
----------
.. [1] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, "Evolution of an
   Ensemble of Nanoparticles in a Colloidal Solution: Theoretical Study",
   J. Phys. Chem. B 105, 12278-12285 (2001).
.. [2] I. M. Lifshitz, V. V. Slyozov, J. Phys. Chem. Solids 19, 35 (1961);
   C. Wagner, Z. Elektrochem. 65, 581 (1961).
.. [3] V. K. LaMer, R. H. Dinegar, J. Am. Chem. Soc. 72, 4847 (1950) (burst
   nucleation); classical nucleation theory as in D. Kashchiev, *Nucleation*
   (Butterworth-Heinemann, 2000).
"""

from __future__ import annotations

import numpy as np

from qdlab.constants import AVOGADRO, KB_EV
from qdlab.registry import Model

__all__ = [
    "RIPENING_DISTRIBUTION_METHODS",
    "arrhenius_rate",
    "capillary_length_nm",
    "cnt_exponent",
    "cnt_nucleation_rate",
    "critical_radius_nm",
    "growth_rate_nm_s",
    "growth_rate_derivatives",
    "lsw_distribution",
    "molecular_volume_nm3",
    "wagner_distribution",
]

_KB_J = KB_EV * 1.602176634e-19  # Boltzmann constant in J/K
_EXP_CAP = 600.0  # cap on exponents (exp(600) ~ 4e260, still finite)


def molecular_volume_nm3(molar_volume_cm3_mol):
    """Volume of one formula unit (monomer) in the crystal, in nm^3.

    Parameters
    ----------
    molar_volume_cm3_mol : float or array
        Molar volume of the solid in cm^3/mol (molar mass / density).

    Returns
    -------
    float or ndarray
        v = V_m / N_A in nm^3.

    See Also
    --------
    capillary_length_nm : uses v = V_m / N_A.

    References
    ----------
    .. [1] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, J. Phys. Chem. B 105, 12278
       (2001). Bibliography ``talapin2001``.

    Examples
    --------
    >>> round(float(molecular_volume_nm3(32.94)), 4)   # CdSe: 191.37 g/mol, 5.81 g/cm^3
    0.0547
    """
    return np.asarray(molar_volume_cm3_mol, dtype=float) * 1e21 / AVOGADRO


def arrhenius_rate(prefactor_per_s, activation_energy_eV, temperature_K):
    """First-order rate constant k = A exp(-E_a / (k_B T)) in 1/s.

    Parameters
    ----------
    prefactor_per_s : float or array
        Pre-exponential factor A in 1/s.
    activation_energy_eV : float or array
        Activation energy E_a in eV.
    temperature_K : float or array
        Temperature in K.

    Returns
    -------
    ndarray
        Rate constant in 1/s.

    See Also
    --------
    growth_rate_nm_s, cnt_nucleation_rate : the other rate laws of a synthesis.

    Notes
    -----
    Precursor to monomer conversion d[P]/dt = -k [P], k = A exp(-E_a/k_B T).

    References
    ----------
    .. [1] S. Arrhenius, Z. Phys. Chem. 4, 226 (1889).
    .. [2] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, J. Phys. Chem. B 105, 12278
       (2001). Bibliography ``talapin2001``.

    Examples
    --------
    >>> float(arrhenius_rate(1e8, 1.0, 573.15)) < 1.0
    True
    """
    return np.asarray(prefactor_per_s, dtype=float) * np.exp(
        -np.asarray(activation_energy_eV, dtype=float) / (KB_EV * np.asarray(temperature_K))
    )


def capillary_length_nm(surface_energy_J_m2, molar_volume_cm3_mol, temperature_K):
    """Capillary (Gibbs-Thomson) length l = 2 gamma v / (k_B T) in nm.

    Parameters
    ----------
    surface_energy_J_m2 : float or array
        Surface energy gamma in J/m^2.
    molar_volume_cm3_mol : float or array
        Molar volume of the solid in cm^3/mol.
    temperature_K : float or array
        Temperature in K.

    Returns
    -------
    ndarray
        l in nm; the solubility of a particle of radius r is C_inf exp(l / r).

    Notes
    -----
    l = 2 gamma V_m / (R T) (Talapin et al. 2001 [1]_, eq. 1), with v = V_m/N_A.

    References
    ----------
    .. [1] Talapin, Rogach, Haase, Weller, J. Phys. Chem. B 105, 12278 (2001).
       Bibliography ``talapin2001``.

    Examples
    --------
    >>> round(float(capillary_length_nm(0.2, 32.94, 573.15)), 3)   # CdSe, 300 C
    2.765
    """
    v_m3 = np.asarray(molar_volume_cm3_mol, dtype=float) * 1e-6 / AVOGADRO
    return 2.0 * np.asarray(surface_energy_J_m2) * v_m3 / (_KB_J * np.asarray(temperature_K)) * 1e9


def critical_radius_nm(capillary_nm, supersaturation):
    """Critical radius r* = l / ln S in nm (infinite for S <= 1).

    Parameters
    ----------
    capillary_nm : float or array
        Capillary length l = 2 gamma v/(k_B T) in nm.
    supersaturation : float or array
        S = [M] / C_inf (dimensionless).

    Returns
    -------
    ndarray
        r* in nm; ``inf`` where S <= 1 (every particle dissolves).

    See Also
    --------
    capillary_length_nm, growth_rate_nm_s

    Notes
    -----
    A particle of radius r* is in (unstable) equilibrium with the monomer:
    S = exp(l / r*), i.e. r* = 2 gamma v / (k_B T ln S).

    References
    ----------
    .. [1] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, J. Phys. Chem. B 105, 12278
       (2001). Bibliography ``talapin2001``.

    Examples
    --------
    >>> float(critical_radius_nm(1.0, np.e))
    1.0
    >>> float(critical_radius_nm(1.0, 0.5))
    inf
    """
    s = np.asarray(supersaturation, dtype=float)
    lc = np.asarray(capillary_nm, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(s > 1.0, lc / np.log(np.where(s > 1.0, s, 2.0)), np.inf)
    return out


def cnt_exponent(surface_energy_J_m2, molar_volume_cm3_mol, temperature_K):
    """Barrier constant B of classical nucleation theory (dimensionless).

    Parameters
    ----------
    surface_energy_J_m2, molar_volume_cm3_mol, temperature_K : float or array
        gamma in J/m^2, V_m in cm^3/mol, T in K.

    Returns
    -------
    ndarray
        B = 16 pi gamma^3 v^2 / (3 (k_B T)^3), so that J = A_n exp(-B / ln^2 S).

    See Also
    --------
    cnt_nucleation_rate

    References
    ----------
    .. [1] D. Kashchiev, *Nucleation* (Butterworth-Heinemann, 2000).
    .. [2] V. K. LaMer, R. H. Dinegar, J. Am. Chem. Soc. 72, 4847 (1950).
       Bibliography ``lamer1950``.

    Examples
    --------
    >>> round(float(cnt_exponent(0.2, 32.94, 573.15)))
    809
    """
    v_m3 = np.asarray(molar_volume_cm3_mol, dtype=float) * 1e-6 / AVOGADRO
    kt = _KB_J * np.asarray(temperature_K, dtype=float)
    return 16.0 * np.pi * np.asarray(surface_energy_J_m2) ** 3 * v_m3**2 / (3.0 * kt**3)


def cnt_nucleation_rate(prefactor_per_m3_s, barrier_b, supersaturation):
    """Classical homogeneous nucleation rate in nuclei / (m^3 s).

    Parameters
    ----------
    prefactor_per_m3_s : float or array
        Kinetic prefactor A_n in 1/(m^3 s).
    barrier_b : float or array
        B from :func:`cnt_exponent` (dimensionless).
    supersaturation : float or array
        S (dimensionless); the rate is 0 for S <= 1.

    Returns
    -------
    ndarray
        J in 1/(m^3 s).

    See Also
    --------
    cnt_exponent, critical_radius_nm

    Notes
    -----
    J = A_n exp(-16 pi gamma^3 v^2 / (3 (k_B T)^3 (ln S)^2)); the critical nucleus
    has radius r* = 2 gamma v / (k_B T ln S).

    References
    ----------
    .. [1] D. Kashchiev, *Nucleation* (Butterworth-Heinemann, 2000).
    .. [2] V. K. LaMer, R. H. Dinegar, J. Am. Chem. Soc. 72, 4847 (1950).
       Bibliography ``lamer1950``.

    Examples
    --------
    >>> float(cnt_nucleation_rate(1e30, 800.0, 1.0))
    0.0
    >>> float(cnt_nucleation_rate(1.0, 4.0, np.exp(2.0)))   # exp(-4/4)
    0.36787944117144233
    """
    s = np.asarray(supersaturation, dtype=float)
    ok = s > 1.0
    lns = np.log(np.where(ok, s, 2.0))
    expo = np.minimum(np.asarray(barrier_b) / lns**2, _EXP_CAP)
    return np.where(ok, np.asarray(prefactor_per_m3_s) * np.exp(-expo), 0.0)


def growth_rate_nm_s(radius_nm, supersaturation, *, diffusion_nm2_s, reaction_rate_nm_s,
                     transfer_coefficient, capillary_nm, solubility_volume_fraction):
    """Growth rate dr/dt of a spherical particle (Talapin et al. 2001), in nm/s.

    Parameters
    ----------
    radius_nm : float or array
        Particle radius r in nm (> 0).
    supersaturation : float or array
        S = [M] / C_inf of the flat surface (dimensionless).
    diffusion_nm2_s : float
        Monomer diffusion coefficient D in nm^2/s (1 m^2/s = 1e18 nm^2/s).
    reaction_rate_nm_s : float
        Surface reaction rate constant of the flat surface k_g in nm/s.
    transfer_coefficient : float
        alpha in [0, 1]: fraction of the Gibbs-Thomson energy that lowers the
        growth barrier (0.5 in [1]_).
    capillary_nm : float
        l = 2 gamma v / (k_B T) in nm.
    solubility_volume_fraction : float
        v_molar C_inf (dimensionless volume fraction of the dissolved solid at
        the flat-surface solubility).

    Returns
    -------
    ndarray
        dr/dt in nm/s; negative means dissolution.

    Notes
    -----
    Mixed diffusion / reaction control with the Gibbs-Thomson solubility,
    Talapin et al. 2001 [1]_ (their eq. 5; dimensionless form eqs. 6-8):

    .. math::

        \\frac{dr}{dt} = V_m C_\\infty D
        \\frac{S - \\exp(l/r)}{r + \\frac{D}{k_g} \\exp(\\alpha l / r)},
        \\qquad l = \\frac{2\\gamma V_m}{R T}.

    In their dimensionless variables r' = r/l, tau = D V_m C_inf t / l^2 and
    K = D / (k_g l) this reads dr'/dtau = (S - exp(1/r'))/(r' + K exp(alpha/r')).
    D/k_g -> 0 gives diffusion control (LSW); D/k_g >> r gives reaction control
    (Wagner).

    References
    ----------
    .. [1] Talapin, Rogach, Haase, Weller, J. Phys. Chem. B 105, 12278 (2001).
       Bibliography ``talapin2001``.

    Examples
    --------
    >>> g = growth_rate_nm_s(2.0, np.exp(0.5), diffusion_nm2_s=1e9, reaction_rate_nm_s=1e9,
    ...                      transfer_coefficient=0.5, capillary_nm=1.0,
    ...                      solubility_volume_fraction=1e-6)
    >>> float(g)   # r = r* = l / ln S: no net growth
    0.0
    """
    r = np.asarray(radius_nm, dtype=float)
    lc = capillary_nm
    e = np.exp(np.minimum(lc / r, _EXP_CAP))
    ea = np.exp(np.minimum(transfer_coefficient * lc / r, _EXP_CAP))
    k_len = diffusion_nm2_s / reaction_rate_nm_s
    return diffusion_nm2_s * solubility_volume_fraction * (supersaturation - e) / (r + k_len * ea)


def growth_rate_derivatives(radius_nm, supersaturation, *, diffusion_nm2_s, reaction_rate_nm_s,
                            transfer_coefficient, capillary_nm, solubility_volume_fraction):
    """Growth rate and its partial derivatives d(dr/dt)/dr and d(dr/dt)/dS.

    Parameters are those of :func:`growth_rate_nm_s`.

    Returns
    -------
    g : ndarray
        dr/dt in nm/s.
    dg_dr : ndarray
        Partial derivative with respect to r in 1/s.
    dg_ds : ndarray
        Partial derivative with respect to S in nm/s.

    See Also
    --------
    growth_rate_nm_s

    Notes
    -----
    With n = S - E, E = exp(l/r), den = r + K E^alpha, K = D/k_g, A = D v C_inf:
    dg/dr = A [ (l/r^2) E / den - n (1 - K alpha l E^alpha / r^2) / den^2 ],
    dg/dS = A / den.

    References
    ----------
    .. [1] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, J. Phys. Chem. B 105, 12278
       (2001). Bibliography ``talapin2001``.

    Examples
    --------
    >>> g, gr, gs = growth_rate_derivatives(1.5, 2.0, diffusion_nm2_s=1.0, reaction_rate_nm_s=1.0,
    ...     transfer_coefficient=0.5, capillary_nm=1.0, solubility_volume_fraction=1.0)
    >>> h = 1e-6
    >>> num = (growth_rate_nm_s(1.5 + h, 2.0, diffusion_nm2_s=1.0, reaction_rate_nm_s=1.0,
    ...     transfer_coefficient=0.5, capillary_nm=1.0, solubility_volume_fraction=1.0) - g) / h
    >>> bool(abs(num - gr) < 1e-5)
    True
    """
    r = np.asarray(radius_nm, dtype=float)
    lc = capillary_nm
    a_pref = diffusion_nm2_s * solubility_volume_fraction
    k_len = diffusion_nm2_s / reaction_rate_nm_s
    x = np.minimum(lc / r, _EXP_CAP)
    e = np.exp(x)
    ea = np.exp(np.minimum(transfer_coefficient * x, _EXP_CAP))
    den = r + k_len * ea
    num = supersaturation - e
    inv_den = 1.0 / den
    g = a_pref * num * inv_den
    lr2 = lc / (r * r)
    dg_dr = a_pref * inv_den * (lr2 * e - num * (1.0 - k_len * transfer_coefficient * lr2 * ea)
                                * inv_den)
    dg_ds = a_pref * inv_den
    return g, dg_dr, dg_ds


def lsw_distribution(u):
    """Stationary LSW size distribution (diffusion control), normalised, of u = r / <r>.

    Parameters
    ----------
    u : float or array
        Radius relative to the mean radius (which equals the critical radius).

    Returns
    -------
    ndarray
        Probability density in u; zero for u >= 3/2.

    See Also
    --------
    wagner_distribution : the reaction-limited counterpart.

    Notes
    -----
    P(u) = (4/9) u^2 (3/(3+u))^{7/3} (3/2/(3/2-u))^{11/3} exp(-u/(3/2-u)) (Lifshitz &
    Slyozov 1961). Its relative standard deviation is 0.2150 and <r>^3 grows
    at (4/9) D v C_inf l.

    References
    ----------
    .. [1] I. M. Lifshitz, V. V. Slyozov, J. Phys. Chem. Solids 19, 35 (1961).
       Bibliography ``lifshitz1961``.

    Examples
    --------
    >>> from scipy.integrate import quad
    >>> round(quad(lsw_distribution, 0, 1.5)[0], 6)
    1.0
    """
    u = np.asarray(u, dtype=float)
    ok = (u >= 0) & (u < 1.5)
    uu = np.where(ok, u, 0.75)
    p = (4.0 / 9.0) * uu**2 * (3.0 / (3.0 + uu)) ** (7.0 / 3.0) * (1.5 / (1.5 - uu)) ** (
        11.0 / 3.0) * np.exp(-uu / (1.5 - uu))
    return np.where(ok, p, 0.0)


def wagner_distribution(u):
    """Stationary Wagner size distribution (reaction control) of u = r / r_c.

    Parameters
    ----------
    u : float or array
        Radius relative to the critical radius r_c (mean radius is 8/9 r_c).

    Returns
    -------
    ndarray
        Probability density in u, normalised on [0, 2); zero for u >= 2.

    See Also
    --------
    lsw_distribution : the diffusion-limited counterpart.

    Notes
    -----
    P(u) = (3/4) u (2/(2-u))^5 exp(-3u/(2-u)) (Wagner 1961). Mean 8/9,
    relative standard deviation 0.3536; <r>^2 grows at (32/81) k_g v C_inf l.

    References
    ----------
    .. [1] C. Wagner, Z. Elektrochem. 65, 581 (1961). Bibliography ``wagner1961``.

    Examples
    --------
    >>> from scipy.integrate import quad
    >>> round(quad(wagner_distribution, 0, 2)[0], 6)
    1.0
    >>> round(quad(lambda u: u * wagner_distribution(u), 0, 2)[0], 6)   # 8/9
    0.888889
    """
    u = np.asarray(u, dtype=float)
    ok = (u >= 0) & (u < 2.0)
    uu = np.where(ok, u, 1.0)
    p = 0.75 * uu * (2.0 / (2.0 - uu)) ** 5 * np.exp(-3.0 * uu / (2.0 - uu))
    return np.where(ok, p, 0.0)


#: Stationary size distributions of Ostwald ripening, a named and cited registry:
#: ``function(u) -> P(u)`` (probability density of a scaled radius u, see each function).
RIPENING_DISTRIBUTION_METHODS: dict[str, Model] = {
    "lsw": Model(lsw_distribution, "lifshitz1961",
                 "diffusion-limited ripening (LSW): u = r/<r> < 3/2, relative s.d. 0.215",
                 ("lifshitz1961",)),
    "wagner": Model(wagner_distribution, "wagner1961",
                    "reaction-limited ripening: u = r/r_c < 2, mean 8/9, relative s.d. 0.354",
                    ("wagner1961",)),
}
