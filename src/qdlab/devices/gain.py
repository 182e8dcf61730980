r"""Optical gain of quantum-dot ensembles: threshold, gain spectrum, ASE threshold fluence.

Model
-----
*Band-edge state filling* (Klimov et al. 2000).  The band-edge transition of a dot is made
of :math:`g` electron-hole pair channels (the degeneracy of the band-edge electron level:
:math:`g = 2` for the spin-degenerate 1S electron of CdSe and the other direct-gap II-VI and
III-V dots; :math:`g = 8` for PbS / PbSe / PbTe, 4 L valleys x 2 spins;
:data:`BAND_EDGE_DEGENERACY`).  A dot holding :math:`n \le g` band-edge excitons absorbs
with the fraction :math:`(g-n)/g` of the absorption of an unexcited dot and emits
(stimulated) with the fraction :math:`n/g`.

*Biexciton shift* (Klimov et al. 2007).  With the biexciton binding energy
:math:`\Delta_{XX} = 2E_X - E_{XX}` (> 0 attractive, < 0 repulsive; from
:func:`qdlab.electronic.multiexcitons.multiexciton_properties`) the lines of a dot with
:math:`n` excitons sit at: absorption :math:`0\to X` at :math:`E_X`; absorption
:math:`X\to XX` (n >= 1) at :math:`E_X - \Delta_{XX}`; emission :math:`X\to 0` (n = 1) at
:math:`E_X`; emission :math:`XX\to X` (n >= 2) at :math:`E_X - \Delta_{XX}`.  The net
absorption of the ensemble, in units of the band-edge peak absorption of unexcited dots, is

.. math::

    a(E) = \sum_n P_n\Big[\frac{g-n}{g}\,L(E - E_X + \Delta_{XX}[n\ge 1])
           - \frac{n}{g}\,L(E - E_X + \Delta_{XX}[n\ge 2])\Big],

with :math:`L` the homogeneous line of FWHM :math:`\Gamma` (peak 1) and :math:`P_n` the
populations: Poisson, :math:`P_n = e^{-\langle N\rangle}\langle N\rangle^n/n!`, for a pump
pulse shorter than the Auger time (``populations="poisson"``), with the excitons beyond
:math:`g` relaxed into higher states (``occupancy="saturated"``: :math:`P_g` collects the
tail) or counted on (``"linear"``, a formal limit).  ``populations="single"`` is the state
after multiexciton Auger decay, :math:`P_0 = e^{-\langle N\rangle}`,
:math:`P_1 = 1 - P_0` (the regime of single-exciton gain).  The gain threshold
:math:`\langle N\rangle_{th}` is the smallest :math:`\langle N\rangle` for which
:math:`\min_E a(E) \le 0` with :math:`E` between the exciton and the biexciton lines
(:math:`E_X` and :math:`E_X - \Delta_{XX}`) widened by :math:`\Gamma/2` on each side: the
Gaussian far wings, where the shifted line always wins by a vanishing amount, do not count.
For an ensemble the window spans the band-edge lines of the sizes within two standard
deviations of the mean energy.

Limits (checked in ``tests/test_device_gain.py``):

* :math:`\Delta_{XX} = 0`, linear occupancy: :math:`a = 1 - 2\langle N\rangle/g`, so
  :math:`\langle N\rangle_{th} = g/2`: 1 for :math:`g = 2`, 4 for :math:`g = 8`.
* :math:`\Delta_{XX} = 0`, saturated (Poisson): :math:`\sum_n P_n\min(n,g) = g/2`;
  :math:`g = 2`: :math:`e^{-N}(2+N) = 1`, :math:`N_{th} = 1.146`.
* :math:`|\Delta_{XX}| \gg \Gamma`, :math:`g = 2`, saturated Poisson: at the biexciton
  line the unexcited dots are transparent, :math:`P_1/2 = P_{\ge 2}`,
  :math:`e^{-N}(1 + 3N/2) = 1`, :math:`N_{th} = 0.76`: below one exciton per dot.
* ``populations="single"``, :math:`|\Delta_{XX}| \gg \Gamma`, :math:`g = 2`: a singly
  excited dot amplifies with half the unexcited absorption at :math:`E_X`,
  :math:`P_0 = P_1/2`, :math:`N_{th} = \ln 3`; with :math:`\Delta_{XX} = 0` there is no gain.

*Ensemble gain spectrum.*  Each node diameter :math:`d` of the size distribution
contributes its band-edge line (area :math:`A_1(d)`, cm\ :sup:`2` eV, the first transition of
:class:`qdlab.optics.ensemble.Ensemble`, centre :math:`E_1(d)`) with its own occupancy
:math:`N_d = \langle N\rangle\sigma_p(d)/\bar\sigma_p` (:math:`\sigma_p` the absorption cross
section at the pump wavelength):
:math:`\sigma_{net}(E) = \sum_d w_d A_1(d)\,a_d(E)` (area-normalised lines), and the gain
coefficient of a solid of dots is :math:`G(E) = -\phi\,\sigma_{net}(E)/V_{dot}`
(:math:`\phi` the volume fraction; reported for :math:`\phi = 1`).

*ASE threshold fluence.*  For a pump pulse shorter than the gain lifetime,
:math:`j_{th} = \langle N\rangle_{th}/\sigma_p` photons cm\ :sup:`-2`
(:math:`\sigma = 1000\ln 10\,\varepsilon/N_A`); for a square pulse of length
:math:`\tau_p` and a gain that decays with :math:`\tau_g` (the biexciton lifetime,
Auger-limited), :math:`dN/dt = \sigma_p\Phi - N/\tau_g` gives

.. math:: j_{th} = \frac{\langle N\rangle_{th}}{\sigma_p}\,
          \frac{\tau_p/\tau_g}{1 - e^{-\tau_p/\tau_g}} ,

times :math:`hc/\lambda_p` for J cm\ :sup:`-2`.  This is the transparency fluence: a real
ASE threshold is higher by the waveguide and scattering losses (and the film's packing).

Where it is approximate
-----------------------
* Three lines per dot (band edge only): the higher transitions that absorb on the blue side
  of the biexciton line are missing, so the model is symmetric in the sign of
  :math:`\Delta_{XX}`; Bisschop et al. (2018) measured that repulsion *raises* the threshold
  of thick-shell CdSe/CdS (up to 3.7 excitons per dot) through exactly those transitions
  (a known miss, ``xfail`` in the tests).  The hole degeneracy (fourfold 1S\ :sub:`3/2` of
  CdSe, the fine structure that Fan et al. 2017 split with strain) is not counted: holes are
  taken as filling as fast as electrons.
* :math:`\Delta_{XX}` is the first-order value of :mod:`qdlab.electronic.multiexcitons`
  (no correlation: a few meV for CdSe cores where ~10-30 meV are measured), one value for
  the whole distribution (the mean structure's).
* The gain lifetime is the biexciton lifetime of the volume-scaling Auger model; the
  long-pulse formula treats the decay as linear.

References
----------
.. [1] V. I. Klimov, A. A. Mikhailovsky, S. Xu, A. Malko, J. A. Hollingsworth,
   C. A. Leatherdale, H.-J. Eisler, M. G. Bawendi, "Optical gain and stimulated emission in
   nanocrystal quantum dots", Science 290, 314-317 (2000).
.. [2] V. I. Klimov, S. A. Ivanov, J. Nanda, M. Achermann, I. Bezel, J. A. McGuire,
   A. Piryatinski, "Single-exciton optical gain in semiconductor nanocrystals",
   Nature 447, 441-446 (2007).
.. [3] F. Fan et al., "Continuous-wave lasing in colloidal quantum dot solids enabled by
   facet-selective epitaxy", Nature 544, 75-79 (2017).
.. [4] S. Bisschop, P. Geiregat, T. Aubert, Z. Hens, "The impact of core/shell sizes on the
   optical gain characteristics of CdSe/CdS quantum dots", ACS Nano 12, 9011 (2018),
   doi:10.1021/acsnano.8b02493.
.. [5] Y.-S. Park, J. Roh, B. T. Diroll, R. D. Schaller, V. I. Klimov, "Colloidal quantum
   dot lasers", Nat. Rev. Mater. 6, 382-401 (2021).
.. [6] P. Kambhampati, "Multiexcitons in semiconductor nanocrystals: a platform for
   optoelectronics at high carrier concentration", J. Phys. Chem. Lett. 3, 1182 (2012).

Examples
--------
>>> round(threshold_excitons_per_dot(2, 0.0, 0.04, occupancy="linear"), 6)
1.0
>>> round(threshold_excitons_per_dot(8, 0.0, 0.04, occupancy="linear"), 6)
4.0
>>> round(threshold_excitons_per_dot(2, 0.0, 0.04), 3)
1.146
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq
from scipy.special import gammainc, gammaln, xlogy

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, check_positive

__all__ = [
    "BAND_EDGE_DEGENERACY",
    "OCCUPANCY_METHODS",
    "POPULATION_METHODS",
    "ase_threshold_fluence",
    "band_edge_degeneracy",
    "cross_section_from_molar_extinction",
    "exciton_populations",
    "net_absorption",
    "photons_to_uJ_cm2",
    "threshold_excitons_per_dot",
]

_EV_J = 1.602176634e-19
_AVOGADRO = 6.02214076e23

#: Degeneracy g of the band-edge electron level (pair channels of the band-edge
#: transition), by material name.  2: spin-degenerate 1S electron at the Gamma point
#: (Klimov et al. 2000); 8: lead chalcogenides, 4 L valleys x 2 spins.
BAND_EDGE_DEGENERACY: dict[str, int] = {
    **dict.fromkeys(("CdSe", "CdS", "CdTe", "ZnSe", "ZnS", "ZnTe", "ZnO", "InP", "InAs",
                     "InSb", "GaAs", "CuCl", "CsPbBr3", "CsPbCl3", "CsPbI3"), 2),
    **dict.fromkeys(("PbS", "PbSe", "PbTe"), 8),
}

#: How excitons beyond the band-edge capacity g are counted.
OCCUPANCY_METHODS = {
    "saturated": "excitons beyond g relax into higher states (P_g collects the Poisson tail)",
    "linear": "n/g counted on without a cap (formal limit: threshold g/2 exactly)",
}

#: Populations of dots with n excitons at <N> excitons per dot.
POPULATION_METHODS = {
    "poisson": "Poisson statistics of a pump pulse shorter than the Auger time",
    "single": "after multiexciton Auger decay: P0 = exp(-N), P1 = 1 - P0",
}

_N_MAX_LINEAR = 80


def band_edge_degeneracy(material) -> int:
    """Band-edge degeneracy g of a material (:data:`BAND_EDGE_DEGENERACY`).

    Parameters
    ----------
    material : str or Material
        Name (``"CdSe"``), key (``"CdSe-zb"``) or :class:`~qdlab.materials.Material`.

    Returns
    -------
    int

    Raises
    ------
    QdlabInputError
        Indirect-gap materials (no band-edge gain) and materials not in the table.

    Examples
    --------
    >>> band_edge_degeneracy("CdSe"), band_edge_degeneracy("PbS")
    (2, 8)
    """
    from qdlab.materials import get_material

    m = get_material(material) if isinstance(material, str) else material
    if getattr(m, "gap_type", "direct") != "direct":
        raise QdlabInputError(f"{m.name} has an indirect gap: no band-edge optical gain model")
    if m.name not in BAND_EDGE_DEGENERACY:
        raise QdlabInputError(f"no band-edge degeneracy for {m.name} (known: "
                              f"{', '.join(sorted(BAND_EDGE_DEGENERACY))}): give g")
    return BAND_EDGE_DEGENERACY[m.name]


def _check_g(g) -> int:
    if isinstance(g, bool) or not isinstance(g, (int, np.integer)) or not 1 <= int(g) <= 48:
        raise QdlabInputError(f"g (band-edge degeneracy) must be an integer in 1-48, got {g!r}")
    return int(g)


def exciton_populations(mean_excitons, g: int, populations: str = "poisson",
                        occupancy: str = "saturated"):
    r"""Fractions :math:`P_n` of dots holding n band-edge excitons.

    Parameters
    ----------
    mean_excitons : float or array_like
        :math:`\langle N\rangle`, average excitons absorbed per dot (>= 0).
    g : int
        Band-edge degeneracy.
    populations : {"poisson", "single"}
        :data:`POPULATION_METHODS`.
    occupancy : {"saturated", "linear"}
        :data:`OCCUPANCY_METHODS` (``"poisson"`` only).

    Returns
    -------
    (n, P) : (ndarray, ndarray)
        Exciton numbers and their fractions (last axis), summing to 1.

    Notes
    -----
    Poisson: :math:`P_n = e^{-N}N^n/n!`; saturated: :math:`P_g = 1 - \sum_{n<g}P_n`.

    Examples
    --------
    >>> n, p = exciton_populations(1.0, 2)
    >>> [round(float(x), 4) for x in p]
    [0.3679, 0.3679, 0.2642]
    """
    g = _check_g(g)
    N = np.asarray(mean_excitons, dtype=float)
    if not np.all(np.isfinite(N)) or np.any(N < 0):
        raise QdlabInputError(f"mean_excitons must be finite and >= 0, got {mean_excitons}")
    if populations not in POPULATION_METHODS:
        raise QdlabInputError(f"populations must be one of {', '.join(POPULATION_METHODS)}, "
                              f"got {populations!r}")
    if occupancy not in OCCUPANCY_METHODS:
        raise QdlabInputError(f"occupancy must be one of {', '.join(OCCUPANCY_METHODS)}, "
                              f"got {occupancy!r}")
    if populations == "single":
        p0 = np.exp(-N)
        return np.array([0, 1]), np.stack([p0, 1.0 - p0], axis=-1)
    if occupancy == "linear":
        n = np.arange(_N_MAX_LINEAR + 1)
        return n, _poisson_pmf(n, N[..., None])
    n = np.arange(g + 1)
    p = _poisson_pmf(n, N[..., None])
    p[..., g] = gammainc(g, N)          # P(n >= g) = regularised lower gamma P(g, N)
    return n, p


def _poisson_pmf(n, N):
    """Poisson :math:`e^{-N}N^n/n!` (scipy.stats' pmf without its per-call overhead)."""
    return np.exp(xlogy(n, N) - N - gammaln(n + 1.0))


def _peak_line(x, fwhm):
    """Gaussian of FWHM ``fwhm`` (eV) with peak 1 at detuning x (eV)."""
    return np.exp(-4.0 * math.log(2.0) * (np.asarray(x) / fwhm) ** 2)


def net_absorption(detuning_eV, mean_excitons, g: int, biexciton_binding_eV: float,
                   fwhm_eV: float, *, populations: str = "poisson",
                   occupancy: str = "saturated", line=None):
    r"""Net band-edge absorption of dots at :math:`\langle N\rangle` (< 0: gain).

    Parameters
    ----------
    detuning_eV : array_like
        :math:`E - E_X`, eV.
    mean_excitons : float
        :math:`\langle N\rangle` (>= 0).
    g : int
        Band-edge degeneracy.
    biexciton_binding_eV : float
        :math:`\Delta_{XX}`, eV (> 0 attractive).
    fwhm_eV : float
        Homogeneous FWHM :math:`\Gamma`, eV.
    populations, occupancy : str
        See :func:`exciton_populations`.
    line : callable, optional
        ``line(x, fwhm)``; default a Gaussian with peak 1 (then the result is in units of
        the unexcited peak absorption).

    Returns
    -------
    ndarray
        :math:`a(E)` of the module notes.
    """
    check_positive(fwhm_eV, "fwhm_eV", "eV")
    if not math.isfinite(float(biexciton_binding_eV)):
        raise QdlabInputError(f"biexciton_binding_eV must be finite, got {biexciton_binding_eV}")
    g = _check_g(g)
    line = _peak_line if line is None else line
    x = np.asarray(detuning_eV, dtype=float)
    n, p = exciton_populations(float(mean_excitons), g, populations, occupancy)
    d = float(biexciton_binding_eV)
    out = np.zeros_like(x)
    for k, pk in zip(n, p, strict=True):
        if pk == 0.0:
            continue
        absorb = (g - k) / g * line(x + (d if k >= 1 else 0.0), fwhm_eV)
        emit = k / g * line(x + (d if k >= 2 else 0.0), fwhm_eV)
        out = out + pk * (absorb - emit)
    return out


def _detuning_grid(binding, fwhm):
    """Detunings (eV) between the exciton and biexciton lines, +- half a width."""
    lo, hi = min(0.0, -binding) - 0.5 * fwhm, max(0.0, -binding) + 0.5 * fwhm
    return np.linspace(lo, hi, 801)


def threshold_excitons_per_dot(g: int, biexciton_binding_eV: float, fwhm_eV: float, *,
                               populations: str = "poisson",
                               occupancy: str = "saturated") -> float:
    r"""Gain threshold :math:`\langle N\rangle_{th}` of dots of one size (module notes).

    The smallest :math:`\langle N\rangle` at which :math:`\min_E a(E) \le 0`, E between
    the exciton and biexciton lines +- :math:`\Gamma/2`.

    Parameters
    ----------
    g : int
        Band-edge degeneracy (2: CdSe; 8: PbS, PbSe).
    biexciton_binding_eV : float
        :math:`\Delta_{XX}` in eV (> 0 attractive, < 0 repulsive).
    fwhm_eV : float
        Homogeneous line width, eV.
    populations, occupancy : str
        :data:`POPULATION_METHODS`, :data:`OCCUPANCY_METHODS`.

    Returns
    -------
    float
        Average excitons per dot; ``inf`` if no gain is reached (``populations="single"``
        with :math:`\Delta_{XX} = 0` and g = 2).

    Examples
    --------
    >>> round(threshold_excitons_per_dot(2, 0.5, 0.04), 3)      # |Delta| >> Gamma
    0.76
    """
    x = _detuning_grid(biexciton_binding_eV, fwhm_eV)

    def f(N):
        return float(np.min(net_absorption(x, N, g, biexciton_binding_eV, fwhm_eV,
                                           populations=populations, occupancy=occupancy)))

    top = 30.0 if populations == "single" else 2.0 * g + 10.0
    grid = np.linspace(0.0, top, 241)
    vals = np.array([f(N) for N in grid])
    below = np.nonzero(vals <= 0.0)[0]
    if below.size == 0:
        return float("inf")
    i = int(below[0])
    if i == 0:
        return 0.0
    return float(brentq(f, grid[i - 1], grid[i], xtol=1e-10))


def cross_section_from_molar_extinction(epsilon_M_cm):
    r"""Absorption cross-section (cm\ :sup:`2`) from a molar extinction (M\ :sup:`-1` cm\ :sup:`-1`).

    :math:`\sigma = 1000\ln(10)\,\varepsilon/N_A`.

    Examples
    --------
    >>> f"{cross_section_from_molar_extinction(1e5):.4e}"
    '3.8235e-16'
    """
    eps = np.asarray(epsilon_M_cm, dtype=float)
    if np.any(~np.isfinite(eps)) or np.any(eps < 0):
        raise QdlabInputError(f"epsilon must be finite and >= 0 M^-1 cm^-1, got {epsilon_M_cm}")
    return 1000.0 * math.log(10.0) * eps / _AVOGADRO


def photons_to_uJ_cm2(photons_cm2, wavelength_nm):
    r"""Fluence in µJ cm\ :sup:`-2` of ``photons_cm2`` photons cm\ :sup:`-2` at ``wavelength_nm``.

    :math:`j[\mu J/cm^2] = 10^6\,j[cm^{-2}]\,hc/\lambda`.

    Examples
    --------
    >>> round(photons_to_uJ_cm2(1e14, 400.0), 3)
    49.661
    """
    check_positive(wavelength_nm, "wavelength_nm", "nm")
    out = 1e6 * np.asarray(photons_cm2, dtype=float) * HC_EV_NM / wavelength_nm * _EV_J
    return float(out) if np.ndim(out) == 0 else out


def ase_threshold_fluence(threshold_excitons: float, sigma_pump_cm2: float, pump_nm: float,
                          pulse_s: float | None = None,
                          gain_lifetime_s: float | None = None) -> dict:
    r"""Pump fluence that brings the dots to the gain threshold.

    Parameters
    ----------
    threshold_excitons : float
        :math:`\langle N\rangle_{th}`.
    sigma_pump_cm2 : float
        Absorption cross-section per dot at the pump wavelength, cm\ :sup:`2`.
    pump_nm : float
        Pump wavelength, nm.
    pulse_s : float, optional
        Pump pulse length, s (default: short, :math:`\tau_p \ll \tau_g`).
    gain_lifetime_s : float, optional
        :math:`\tau_g`, s (needed with ``pulse_s``).

    Returns
    -------
    dict
        ``photons_cm2``, ``uJ_cm2``, ``long_pulse_factor``.

    Notes
    -----
    :math:`j_{th} = N_{th}/\sigma_p\cdot(\tau_p/\tau_g)/(1 - e^{-\tau_p/\tau_g})`.
    """
    check_positive(sigma_pump_cm2, "sigma_pump_cm2", "cm^2")
    check_positive(pump_nm, "pump_nm", "nm")
    factor = 1.0
    if pulse_s is not None:
        check_positive(pulse_s, "pulse_s", "s")
        if gain_lifetime_s is None:
            raise QdlabInputError("pulse_s needs gain_lifetime_s (s)")
        check_positive(gain_lifetime_s, "gain_lifetime_s", "s")
        r = float(pulse_s) / float(gain_lifetime_s)
        factor = r / -math.expm1(-r) if r > 1e-9 else 1.0
    ph = float(threshold_excitons) / float(sigma_pump_cm2) * factor
    return {"photons_cm2": ph, "uJ_cm2": float(photons_to_uJ_cm2(ph, pump_nm)),
            "long_pulse_factor": factor}


# The ensemble part (gain spectrum, laser_gain) lives in its own module; it is re-exported
# here so that ``qdlab.devices.gain.laser_gain`` keeps working.
from qdlab.devices.gain_ensemble import GainResult, ensemble_gain, laser_gain  # noqa: E402

__all__ += ["GainResult", "ensemble_gain", "laser_gain"]
