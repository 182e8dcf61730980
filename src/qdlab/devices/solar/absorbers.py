r"""Absorptance of a solar-cell absorber: an ideal step, or a film of quantum dots.

*Step absorber* (Shockley & Queisser 1961): :math:`A(E) = 1` above the gap, with an
optional Urbach tail below it,

.. math::

    A(E) = \exp\!\left(\frac{E - E_g}{E_U}\right), \quad E < E_g,

(Urbach 1953; written here on the absorptance of an optically thick absorber, a
common simplification in detailed-balance studies of tails).  On the 1 meV bins of
the detailed balance the step is bin-averaged (the bin holding :math:`E_g` absorbs
for the fraction of it above the gap).

*Quantum-dot film.*  A film of thickness :math:`t` holding the ensemble's dots at a
volume fraction :math:`\phi` (inorganic volume / film volume) absorbs

.. math::

    A(E) = 1 - \exp(-p\,\alpha(E)\,t),\qquad
    \alpha = \ln 10\,\varepsilon(E)\,c = \frac{\phi\,\sigma(E)}{\bar V},\qquad
    c = \frac{\phi}{N_A \bar V},

with :math:`\varepsilon` the ensemble's molar extinction (M^-1 cm^-1,
:meth:`qdlab.optics.ensemble.Ensemble.molar_extinction`), :math:`c` the molar
concentration of dots in the film (mol/L, :math:`\bar V` the number-mean particle
volume in L), :math:`\sigma = 1000\ln10\,\varepsilon/N_A` the cross-section and
:math:`p` the number of passes (1: no back reflector; 2: a perfect back mirror).
Reflection at the front is neglected (an upper bound).

*Lead-salt continuum.*  qdlab tabulates bulk optical constants for CdSe only, so the
ensemble of a lead salt absorbs only through its discrete band-edge transitions.
For PbS and PbSe the film model adds the dots' measured bulk-like absorption: the
molar extinction at 400 nm scales with the particle volume,
:math:`\varepsilon_{400} = a\,d^3` (:data:`LEAD_SALT_EPS400`: PbS 2.33e4, Moreels
et al. 2009; PbSe 2.77e4 M^-1 cm^-1 nm^-3, Moreels et al. 2007), i.e. an intrinsic
absorption coefficient :math:`\mu_{400} = 1000\ln10\,a/(N_A\,\pi/6\cdot 10^{-21})`
(1.70e5 cm^-1 for PbS).  It is taken flat in energy above the ensemble's continuum
onset, :math:`\alpha_{cont} = \phi\,\mu_{400}\,S(E)`, with the switch
:math:`S(E) = \tfrac12[1 + \tanh((E - E_1 - \Delta_c)/w)]` of
:mod:`qdlab.optics.ensemble` (:math:`\Delta_c` = ``continuum_onset_eV``, w = 0.1 eV),
cut to zero below :math:`E_1` (its tail, :math:`\sim e^{-\Delta E/50\,meV}`, would
outgrow the Boltzmann factor of the emission and set the dark current).
Flat is an approximation (the measured spectra of PbS dots rise towards the blue);
a film of 100s of nm absorbs nearly all of the continuum either way, so the limit
depends on it weakly.  Packed films of lead-salt
dots with short ligands have :math:`\phi \approx 0.3-0.5`; :data:`DEFAULT_PACKING_FRACTION`
= 0.35 is a typical value (an assumption: measure it for a given film).  The dielectric
surroundings of the dots in the film are those of the ensemble's medium (the solution
model); the film's higher index changes the local field (not modelled).

References
----------
.. [1] W. Shockley and H. J. Queisser, J. Appl. Phys. 32, 510 (1961).
.. [2] F. Urbach, Phys. Rev. 92, 1324 (1953).
.. [3] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012) (film absorption from
   the dots' cross-section and volume fraction).

Examples
--------
>>> import numpy as np
>>> step_absorptance(np.array([1.0, 1.339, 1.5]), 1.34, step_eV=0.001).round(3).tolist()
[0.0, 0.0, 1.0]
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from qdlab.constants import AVOGADRO, HC_EV_NM
from qdlab.errors import QdlabInputError, check_nonnegative, check_range

__all__ = ["DEFAULT_PACKING_FRACTION", "LEAD_SALT_EPS400", "film_absorptance", "film_absorption_coefficient",
           "mean_particle_volume_nm3", "step_absorptance", "urbach_tail"]

#: Inorganic volume fraction of a packed quantum-dot film (typical; an assumption).
DEFAULT_PACKING_FRACTION = 0.35
_LN10 = math.log(10.0)

#: Molar extinction at 400 nm per cubed diameter, M^-1 cm^-1 nm^-3, of lead-salt dots
#: (eps_400 = a d^3): PbS, Moreels et al. 2009; PbSe, Moreels et al. 2007.
LEAD_SALT_EPS400 = {"PbS": 2.33e4, "PbSe": 2.77e4}


def urbach_tail(energy_eV, edge_eV: float, urbach_eV: float):
    """exp((E - edge)/E_U) below ``edge_eV``, 1 above (Urbach 1953).

    Parameters
    ----------
    energy_eV : array_like
        eV.
    edge_eV : float
        Where the tail joins the absorption edge, eV.
    urbach_eV : float
        Urbach energy E_U, eV (> 0).
    """
    E = np.asarray(energy_eV, dtype=float)
    return np.exp(np.minimum(E - edge_eV, 0.0) / urbach_eV)


def step_absorptance(energy_eV, gap_eV: float, *, urbach_eV: float = 0.0,
                     step_eV: float = 0.0):
    """Absorptance of an ideal step absorber of gap ``gap_eV`` (eV), 0-1.

    Parameters
    ----------
    energy_eV : array_like
        Bin centres, eV.
    gap_eV : float
        Band gap, eV (0.2-4).
    urbach_eV : float
        Urbach energy of the tail below the gap, eV (0: a sharp step; at most 0.2).
    step_eV : float
        Bin width, eV: the step is averaged over each bin (0: sampled at the centres).
    """
    check_range(gap_eV, "gap_eV", 0.2, 4.0, "eV")
    check_range(urbach_eV, "urbach_eV", 0.0, 0.2, "eV")
    check_nonnegative(step_eV, "step_eV", "eV")
    E = np.asarray(energy_eV, dtype=float)
    if step_eV > 0:
        above = np.clip((E + step_eV / 2 - gap_eV) / step_eV, 0.0, 1.0)
    else:
        above = (E >= gap_eV).astype(float)
    if urbach_eV == 0:
        return above
    return above + (1.0 - above) * urbach_tail(E, gap_eV, urbach_eV)


def mean_particle_volume_nm3(ensemble, shell_nm: float = 0.0) -> float:
    """Number-mean volume (nm^3) of the ensemble's particles, :math:`\\pi\\langle d^3\\rangle/6`.

    ``shell_nm`` adds a shell of that total thickness (nm) around each core diameter.
    """
    check_nonnegative(shell_nm, "shell_nm", "nm")
    d, w = ensemble.distribution.nodes(64)
    return float(np.sum(w * math.pi * (d + 2 * shell_nm) ** 3 / 6.0) / np.sum(w))


def film_absorption_coefficient(ensemble, energy_eV, packing_fraction: float =
                                DEFAULT_PACKING_FRACTION, *, shell_nm: float = 0.0,
                                urbach_eV: float = 0.0, continuum: bool = True):
    r"""Absorption coefficient (cm^-1) of a film of the ensemble's dots.

    Parameters
    ----------
    ensemble : qdlab.optics.ensemble.Ensemble
        The dots (material, size distribution).
    energy_eV : array_like
        Photon energies, eV (> 0.05).
    packing_fraction : float
        Inorganic volume fraction of the film, 0 < phi <= 0.74 (close packing).
    shell_nm : float
        Total shell thickness counted in the particle volume, nm (default 0: cores).
    urbach_eV : float
        If > 0, an Urbach tail exp((E - E_1)/E_U) from the first-exciton peak E_1 down
        (the larger of the model and the tail is kept), eV.
    continuum : bool
        Add the measured bulk-like continuum of lead-salt dots (PbS, PbSe; see the module
        notes) when the ensemble has none of its own (default True).

    Returns
    -------
    ndarray
        :math:`\alpha = \ln 10\,\varepsilon\,c`, cm^-1, with
        :math:`c = \phi/(N_A\bar V)` mol/L.
    """
    check_range(packing_fraction, "packing_fraction", 1e-6, 0.74)
    check_range(urbach_eV, "urbach_eV", 0.0, 0.2, "eV")
    E = np.asarray(energy_eV, dtype=float)
    if np.any(E <= 0.05):
        raise QdlabInputError("energy_eV must be > 0.05 eV")
    # the ensemble is sampled every 5 meV (its narrowest line is the ~38 meV homogeneous
    # width) and interpolated onto ``energy_eV``
    coarse = np.arange(max(E.min(), 0.06), E.max() + 0.005, 0.005)
    mats = getattr(ensemble, "materials", ())
    name = mats[0].name if len(mats) == 1 else None
    add_lead_salt = bool(continuum and name in LEAD_SALT_EPS400 and not _has_continuum(mats[0]))
    with warnings.catch_warnings():
        if add_lead_salt:   # the continuum the ensemble lacks is added below
            warnings.filterwarnings("ignore", message="no bulk optical constants")
        eps_c = np.asarray(ensemble.molar_extinction(HC_EV_NM / coarse), dtype=float)
    eps = np.interp(E, coarse, eps_c)                                        # M^-1 cm^-1
    v_l = mean_particle_volume_nm3(ensemble, shell_nm) * 1e-24               # nm^3 -> L
    conc = packing_fraction / (AVOGADRO * v_l)                               # mol/L
    alpha = _LN10 * eps * conc
    if add_lead_salt:
        mu400 = 1000.0 * _LN10 * LEAD_SALT_EPS400[name] / (AVOGADRO * math.pi / 6 * 1e-21)
        e1 = HC_EV_NM / ensemble.first_peak_nm()
        switch = 0.5 * (1.0 + np.tanh((E - e1 - ensemble.continuum_onset_eV) / 0.1))
        # no continuum below the first exciton: the tanh tail (~exp(-dE/50 meV)) would
        # otherwise outgrow the Boltzmann factor and dominate the dark current
        switch = np.where(E >= e1, switch, 0.0)
        alpha = alpha + packing_fraction * mu400 * switch
    if urbach_eV > 0:
        e1 = HC_EV_NM / ensemble.first_peak_nm()
        a1 = _LN10 * conc * float(ensemble.molar_extinction(np.array([HC_EV_NM / e1]))[0])
        alpha = np.where(E < e1, np.maximum(alpha, a1 * urbach_tail(E, e1, urbach_eV)), alpha)
    return np.clip(alpha, 0.0, None)


def _has_continuum(material) -> bool:
    from qdlab.optics.optical_constants import has_optical_constants

    return bool(has_optical_constants(material))


def film_absorptance(alpha_per_cm, thickness_nm: float, passes: int = 1):
    """Absorptance 1 - exp(-passes alpha t) of a film of ``thickness_nm`` (nm).

    Parameters
    ----------
    alpha_per_cm : array_like
        Absorption coefficient, cm^-1.
    thickness_nm : float
        Film thickness, nm (1-100000).
    passes : {1, 2}
        Passes of the light (2: perfect back mirror).
    """
    check_range(thickness_nm, "thickness_nm", 1.0, 1e5, "nm")
    if passes not in (1, 2):
        raise QdlabInputError(f"passes must be 1 or 2 (2: back mirror), got {passes!r}")
    return -np.expm1(-passes * np.asarray(alpha_per_cm, dtype=float) * thickness_nm * 1e-7)
