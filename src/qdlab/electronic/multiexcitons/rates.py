"""Auger lifetimes (volume-scaling model) and quantum yields of multiexcitons.

Equations and references: :mod:`qdlab.electronic.multiexcitons`.
"""

from __future__ import annotations

import math

import numpy as np

from qdlab.errors import QdlabInputError, check_positive

__all__ = ["DEFAULT_AUGER_BETA_PS_NM3", "RADIATIVE_SCALING", "auger_lifetimes_ns",
           "quantum_yield"]

#: Biexciton Auger time per unit volume of bare nanocrystals, ps nm^-3: the
#: "universal" volume scaling tau_XX = beta V of Robel et al., PRL 102, 177404 (2009)
#: (beta ~ 1 ps nm^-3 for CdSe, PbSe, InAs and Ge; Klimov et al., Science 287, 1011
#: (2000) for CdSe).  Measured CdSe values scatter by about a factor 2 around it.
DEFAULT_AUGER_BETA_PS_NM3: float = 1.0

#: Radiative rate of each complex in units of the exciton rate: statistical scaling
#: of strong confinement (Rajadell et al. 2009; Galland et al. 2012; Nair et al. 2011).
RADIATIVE_SCALING = {"biexciton": 4.0, "trion": 2.0}


def auger_lifetimes_ns(overlap, electron_volume_nm3, hole_volume_nm3, *,
                       beta_ps_nm3: float = DEFAULT_AUGER_BETA_PS_NM3,
                       suppression: float = 1.0) -> dict:
    r"""Auger lifetimes of XX, X- and X+ from the volume scaling (module notes), ns.

    Parameters
    ----------
    overlap : float or array_like
        Electron-hole envelope overlap :math:`K` (0 < |K| <= 1).
    electron_volume_nm3, hole_volume_nm3 : float or array_like
        Volumes of the carrier that takes the energy in the X- (electron) and X+
        (hole) channels, nm^3 (:func:`carrier_volume_nm3`; the nanocrystal volume for
        the plain scaling law).
    beta_ps_nm3 : float
        Biexciton Auger time per volume of a bare crystal, ps nm^-3
        (default :data:`DEFAULT_AUGER_BETA_PS_NM3`).
    suppression : float
        Factor >= 1 that lengthens every Auger time (interface grading, Cragg & Efros
        2010); 1 = sharp interfaces.

    Returns
    -------
    dict
        ``biexciton``, ``negative_trion``, ``positive_trion`` lifetimes in ns.

    Notes
    -----
    :math:`1/\tau_{X^\mp,A} = |K|^2/(4\beta S V_{e,h})`,
    :math:`1/\tau_{XX,A} = 2/\tau_{X^-,A} + 2/\tau_{X^+,A}`; with :math:`K=1`,
    :math:`V_e=V_h=V`: :math:`\tau_{XX,A} = \beta V` (Robel et al. 2009).

    References
    ----------
    .. [1] I. Robel et al., Phys. Rev. Lett. 102, 177404 (2009).
    .. [2] Y.-S. Park et al., Nano Lett. 14, 396 (2014).
    .. [3] G. E. Cragg, Al. L. Efros, Nano Lett. 10, 313 (2010).

    Examples
    --------
    >>> t = auger_lifetimes_ns(1.0, 33.5, 33.5)
    >>> round(t["biexciton"] * 1e3, 1), round(t["negative_trion"] / t["biexciton"], 6)
    (33.5, 4.0)
    """
    check_positive(beta_ps_nm3, "beta_ps_nm3", "ps nm^-3")
    s = float(suppression)
    if not (math.isfinite(s) and s >= 1.0):
        raise QdlabInputError(f"suppression must be a finite number >= 1, got {suppression}")
    k2 = np.asarray(overlap, dtype=float) ** 2
    if np.any(~np.isfinite(k2)) or np.any(k2 <= 0.0) or np.any(k2 > 1.0 + 1e-9):
        raise QdlabInputError(f"overlap must satisfy 0 < |K| <= 1, got {overlap}")
    check_positive(electron_volume_nm3, "electron_volume_nm3", "nm^3")
    check_positive(hole_volume_nm3, "hole_volume_nm3", "nm^3")
    scale = 4.0 * beta_ps_nm3 * 1e-3 * s / k2                        # ns per nm^3
    t_minus = scale * np.asarray(electron_volume_nm3, dtype=float)
    t_plus = scale * np.asarray(hole_volume_nm3, dtype=float)
    t_xx = 1.0 / (2.0 / t_minus + 2.0 / t_plus)
    out = {"biexciton": t_xx, "negative_trion": t_minus, "positive_trion": t_plus}
    return {k: (float(v) if np.ndim(v) == 0 else v) for k, v in out.items()}


def quantum_yield(radiative_rate, *nonradiative_rates):
    r"""Quantum yield :math:`k_r/(k_r + \sum k_{nr})` (rates in any one unit).

    Examples
    --------
    >>> round(quantum_yield(1 / 45.0, 1 / 10.5), 3)      # Spinicelli et al. 2009 grey state
    0.189
    """
    kr = np.asarray(radiative_rate, dtype=float)
    knr = sum((np.asarray(k, dtype=float) for k in nonradiative_rates), np.zeros_like(kr))
    if np.any(kr <= 0) or np.any(knr < 0):
        raise QdlabInputError("rates must be > 0 (radiative) and >= 0 (nonradiative)")
    q = kr / (kr + knr)
    return float(q) if np.ndim(q) == 0 else q
