r"""Absorption cross-section assembly of an ensemble: band-edge lines plus continuum.

The discrete transitions of each node diameter of the size distribution give lines of
area :math:`\int\sigma_k dE = \frac{\pi e^2\hbar}{2\varepsilon_0 m_0 c\,n_s}
|f_{LF}|^2 f_k` (:func:`qdlab.optics.transitions.absorption_prefactor_cm2_eV`,
:func:`qdlab.optics.transitions.local_field_factor`), tapered out above
:math:`E_1 + \Delta_{cont}` by :math:`1 - S(E_k)`,
:math:`S(E) = \tfrac12[1 + \tanh((E - E_1 - \Delta_{cont})/w)]`, w = 0.1 eV; above it
the bulk-like continuum :math:`S(E)\sum_j V_j\mu_j(E)` of the layer volumes
:math:`V_j` and bulk absorption coefficients :math:`\mu_j`
(:func:`qdlab.optics.optical_constants.bulk_absorption_coefficient`).  See the module
notes of :mod:`qdlab.optics.ensemble` for the model and its references.

The functions take the :class:`~qdlab.optics.ensemble.Ensemble` whose table, medium
and line shape they use; :func:`molar_extinction_from_cross_section` converts to
M^-1 cm^-1.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from qdlab.constants import AVOGADRO, HC_EV_NM
from qdlab.errors import QdlabInputError, QdlabValidityWarning
from qdlab.optics import optical_constants as _oc
from qdlab.optics.transitions import absorption_prefactor_cm2_eV, local_field_factor

__all__ = [
    "continuum_cross_section",
    "ensemble_cross_section",
    "excitation_weights",
    "molar_extinction_from_cross_section",
    "node_cross_sections",
]

_LN10 = math.log(10.0)


def molar_extinction_from_cross_section(sigma_cm2):
    """Molar extinction coefficient (M^-1 cm^-1) from a cross-section in cm^2.

    :math:`\\epsilon = N_A\\sigma/(1000\\ln 10)`.

    See Also
    --------
    qdlab.optics.ensemble.Ensemble.molar_extinction

    References
    ----------
    .. [1] C. A. Leatherdale, W.-K. Woo, F. V. Mikulec, M. G. Bawendi, J. Phys. Chem. B 106,
       7619 (2002). Bibliography ``leatherdale2002``.

    Examples
    --------
    >>> round(float(molar_extinction_from_cross_section(1e-15)))
    261538
    """
    return AVOGADRO * np.asarray(sigma_cm2) / (1000.0 * _LN10)


def ensemble_cross_section(ens, energy_eV, d, w):
    """Discrete and continuum cross-sections (cm^2) at energies ``energy_eV`` (eV),
    summed over node diameters ``d`` (nm) with number weights ``w``.

    Returns
    -------
    (ndarray, ndarray)
        Discrete (band-edge lines) and continuum parts, cm^2.

    See Also
    --------
    node_cross_sections, continuum_cross_section

    References
    ----------
    .. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012). Bibliography ``hens2012``.
    .. [2] C. A. Leatherdale, W.-K. Woo, F. V. Mikulec, M. G. Bawendi, J. Phys. Chem. B 106,
       7619 (2002). Bibliography ``leatherdale2002``.
    """
    E = np.asarray(energy_eV, dtype=float)
    ek = ens.table.energies_eV(d)                    # (n, K)
    fk = ens.table.strengths(d) * ens.oscillator_scale
    gam = ens.homogeneous(ens.temperature)
    eps_s = ens.n_medium**2
    flf2 = np.abs(local_field_factor(ens.materials[0].eps_inf, eps_s)) ** 2
    pref = absorption_prefactor_cm2_eV() * flf2 / ens.n_medium
    e1 = ek[:, :1]
    onset = e1 + ens.continuum_onset_eV
    wsw = 0.1
    keep = 1.0 - 0.5 * (1.0 + np.tanh((ek - onset) / wsw))   # (n, K)
    amp = w[:, None] * pref * fk * keep                        # (n, K)
    out = ens._broaden(E, ek.ravel(), amp.ravel(), gam)
    cont = continuum_cross_section(ens, E, d, w, onset[:, 0], wsw)
    return out, cont


def node_cross_sections(ens, d, e_eV: float):
    """Absorption cross-section (cm^2) of each node diameter ``d`` (nm) at one energy (eV).

    See Also
    --------
    ensemble_cross_section

    References
    ----------
    .. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012). Bibliography ``hens2012``.
    .. [2] C. A. Leatherdale, W.-K. Woo, F. V. Mikulec, M. G. Bawendi, J. Phys. Chem. B 106,
       7619 (2002). Bibliography ``leatherdale2002``.
    """
    ek = ens.table.energies_eV(d)
    fk = ens.table.strengths(d) * ens.oscillator_scale
    gam = ens.homogeneous(ens.temperature)
    flf2 = np.abs(local_field_factor(ens.materials[0].eps_inf, ens.n_medium**2)) ** 2
    pref = absorption_prefactor_cm2_eV() * flf2 / ens.n_medium
    onset = ek[:, :1] + ens.continuum_onset_eV
    wsw = 0.1
    keep = 1.0 - 0.5 * (1.0 + np.tanh((ek - onset) / wsw))
    line = ens._line(np.where(np.isfinite(ek), e_eV - ek, np.inf), gam)
    disc = np.sum(pref * fk * keep * line, axis=1)
    cont = np.zeros(d.shape)
    if not (ens._missing_oc and len(ens._missing_oc) == len(ens.materials)):
        vols = ens.table.layer_volumes_nm3(d)
        mu = np.zeros(len(ens.materials))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", QdlabValidityWarning)
            for j, m in enumerate(ens.materials):
                if _oc.has_optical_constants(m):
                    mu[j] = float(_oc.bulk_absorption_coefficient(m, HC_EV_NM / e_eV,
                                                                  ens.n_medium))
        S = 0.5 * (1.0 + np.tanh((e_eV - onset[:, 0]) / wsw))
        cont = S * (vols @ mu) * 1e-14
    return disc + cont


def continuum_cross_section(ens, E, d, w, onset, wsw):
    """Bulk-like continuum cross-section (cm^2) at energies ``E`` (eV): weights ``w`` of
    the node diameters ``d`` (nm), switch-on energies ``onset`` (eV) and width ``wsw`` (eV).

    See Also
    --------
    qdlab.optics.optical_constants.bulk_absorption_coefficient

    References
    ----------
    .. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012). Bibliography ``hens2012``.
    .. [2] C. A. Leatherdale, W.-K. Woo, F. V. Mikulec, M. G. Bawendi, J. Phys. Chem. B 106,
       7619 (2002). Bibliography ``leatherdale2002``.
    """
    if ens._missing_oc and len(ens._missing_oc) == len(ens.materials):
        return np.zeros(E.shape)
    lam = HC_EV_NM / E
    vols = ens.table.layer_volumes_nm3(d)            # (n, L)
    mu = np.zeros(E.shape + (len(ens.materials),))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QdlabValidityWarning)
        for j, m in enumerate(ens.materials):
            if _oc.has_optical_constants(m):
                mu[..., j] = _oc.bulk_absorption_coefficient(m, lam, ens.n_medium)
    S = 0.5 * (1.0 + np.tanh((E[..., None] - onset) / wsw))   # (..., n)
    # sum_n w_n S_n(E) sum_j V_nj mu_j(E)
    return np.einsum("...n,n,nj,...j->...", S, w, vols, mu) * 1e-14


def excitation_weights(ens, d, e1, excitation_nm: float):
    r"""Relative absorption of each node diameter ``d`` (nm) at the excitation wavelength.

    With a per-size Stokes model: each size's own cross-section at the excitation energy
    (:func:`node_cross_sections`); with a constant shift: the particle volume when every
    size is excited above ``E_1 + continuum_onset_eV`` (``e1`` in eV), else 1.

    Parameters
    ----------
    ens : Ensemble
        The ensemble (its Stokes model, material and continuum onset).
    d : ndarray
        Node diameters, nm.
    e1 : ndarray
        First-exciton energy of each node, eV.
    excitation_nm : float
        Excitation wavelength, nm.

    Returns
    -------
    ndarray
        Weights (arbitrary units), one per node.

    Notes
    -----
    Well above the band edge the absorption cross-section is bulk-like,
    :math:`\sigma \propto d^3` (the volume scaling of the 400 nm extinction of Moreels
    et al. 2009), hence the volume weight of the constant-shift case.

    References
    ----------
    .. [1] Moreels et al., ACS Nano 3, 3023-3030 (2009); bibliography ``moreels2009``.
    """
    e_exc = HC_EV_NM / excitation_nm
    if ens._stokes_override is None:
        # each size's own absorption cross-section at the excitation energy
        absw = node_cross_sections(ens, d, e_exc)
        if not np.any(absw > 0):
            raise QdlabInputError(f"excitation_nm = {excitation_nm:g} nm is not absorbed "
                                  "by any size of the distribution")
    else:
        # constant shift: volume weights far above every gap, else number weights
        vol = ens.table.layer_volumes_nm3(d).sum(axis=1)
        absw = vol if np.all(e_exc > e1 + ens.continuum_onset_eV) else np.ones_like(vol)
    return absw
