r"""Quantum-dot colour-conversion film: a blue LED through green and red QD layers.

One-pass forward transport, photon by photon, on a 1 nm wavelength grid.

Model
-----
The film is cut into thin slices of thickness :math:`\delta z`.  A slice holding QD
species :math:`s` (molar extinction :math:`\varepsilon_s(\lambda)` in M^-1 cm^-1 from the
ensemble, concentration :math:`c_s` in mol/L) has the decadic absorbance
:math:`a_s(\lambda) = \varepsilon_s(\lambda)\,c_s\,\delta z` (Beer-Lambert) and absorbs
the fraction

.. math::

    f(\lambda) = 1 - 10^{-\sum_s a_s(\lambda)}

of the photon flux :math:`F(\lambda)` (photons per nm per incident LED photon) that
reaches it, shared between the species as :math:`a_s/\sum a`.  The photons absorbed by
species :math:`s`, :math:`N_s = \int F f\,a_s/\sum a\,d\lambda`, are re-emitted with its
photoluminescence spectrum :math:`\phi_s(\lambda)`
(:meth:`qdlab.optics.ensemble.Ensemble.emission`, photons per absorbed photon per nm,
:math:`\int\phi_s d\lambda = QY_s`) and travel on:

.. math::

    F_{k+1}(\lambda) = F_k(\lambda)\,[1 - f_k(\lambda)] + \sum_s N_{s,k}\,\phi_s(\lambda).

Green light emitted in the green layer is therefore reabsorbed by the red layer (and
by the green dots themselves: self-absorption), and re-emitted as red with the red QY;
the LED light left at the exit is the *blue leakage*.  The flux is kept in three parts
by origin (LED, green dots, red dots): these are the blue, green and red primaries
behind ideal (non-overlapping) colour filters.  With QY = 0 the transmitted LED light is
exactly :math:`10^{-\sum_s\varepsilon_s c_s L_s}` (the slices multiply), and at any QY
photons are conserved: incident = transmitted + :math:`\sum_s N_s(1 - QY_s)`.

*Assumptions (one-pass model).*  All re-emitted light goes forward: the half of the
isotropic emission that starts backwards is taken as returned by the back reflector of
the backlight without loss or extra passes; no scattering, no refractive-index
(escape-cone) losses, no brightness-enhancement-film recycling.  The layout is either
two layers in sequence (LED -> green -> red: the red layer sees the green emission) or
one mixed layer.  Slices: the self-absorption of light emitted inside one slice is
neglected, an error of order :math:`\delta z`; the default 200 slices per layer keep
the conserved quantities exact and the rest converged (tested by doubling).

References
----------
.. [1] J. Chen, S. Gensler, J. Yurek, "Quantum dots for ultra-high color gamuts in LCDs",
   SPIE Newsroom (5 May 2015), doi:10.1117/2.1201504.005791 (quantum-dot enhancement
   film, > 90 % of Rec.2020).
.. [2] Z. Luo, Y. Chen, S.-T. Wu, "Wide color gamut LCD with a quantum dot backlight",
   Opt. Express 21, 26269 (2013).

Examples
--------
>>> lam = np.arange(360.0, 831.0)
>>> led = led_spectrum(lam, 450.0, 20.0)
>>> eps = np.where(lam < 500, 1e5, 0.0)          # a toy absorber, QY 0
>>> r = transport(lam, led, [(50e-4, [(eps, np.zeros_like(lam), 1e-3)])])
>>> round(float(np.trapezoid(r.components[0], lam)), 4), round(10 ** -0.5, 4)
(0.3162, 0.3162)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qdlab.errors import QdlabInputError, check_positive, check_range

__all__ = [
    "DEFAULT_LED_FWHM_NM",
    "FilmResult",
    "LAYOUTS",
    "WAVELENGTH_GRID_NM",
    "led_spectrum",
    "transport",
]

#: Wavelength grid of the film model: the range of the CIE 1931 colour-matching
#: functions, 1 nm steps.
WAVELENGTH_GRID_NM = np.arange(360.0, 831.0, 1.0)
WAVELENGTH_GRID_NM.flags.writeable = False

#: FWHM of the blue InGaN pump LED, nm: 20 nm is typical of blue display LEDs
#: (Luo, Chen & Wu 2013 use an 18-20 nm wide 450 nm LED).
DEFAULT_LED_FWHM_NM = 20.0

#: Film layouts: the two QD layers in sequence (LED -> green -> red) or one mixed layer.
LAYOUTS = ("sequential", "mixed")


def led_spectrum(wavelength_nm, peak_nm: float, fwhm_nm: float = DEFAULT_LED_FWHM_NM):
    r"""Photon spectrum of the blue pump LED, normalised to one photon.

    Parameters
    ----------
    wavelength_nm : array_like
        Wavelength grid, nm (uniform or not).
    peak_nm : float
        LED peak, nm (380-500: a blue or violet pump).
    fwhm_nm : float
        Full width at half maximum, nm (2-60).

    Returns
    -------
    ndarray
        Photons per nm, :math:`\int F\,d\lambda = 1` (trapezoid).

    Notes
    -----
    A Gaussian in wavelength, :math:`F \propto \exp[-(\lambda-\lambda_0)^2/2s^2]`,
    :math:`s = \mathrm{FWHM}/(2\sqrt{2\ln 2})`; measured InGaN spectra are slightly
    asymmetric (a longer red tail), which moves the blue primary by < 0.01 in xy.

    References
    ----------
    .. [1] E. F. Schubert, *Light-Emitting Diodes*, 2nd ed. (Cambridge University Press,
       2006), ch. 5 (emission spectra of LEDs).

    Examples
    --------
    >>> lam = np.arange(360.0, 831.0)
    >>> round(float(np.trapezoid(led_spectrum(lam, 450.0), lam)), 6)
    1.0
    """
    check_range(peak_nm, "LED peak", 380.0, 500.0, "nm")
    check_range(fwhm_nm, "LED FWHM", 2.0, 60.0, "nm")
    lam = np.asarray(wavelength_nm, dtype=float)
    s = fwhm_nm / (2.0 * np.sqrt(2.0 * np.log(2.0)))
    f = np.exp(-0.5 * ((lam - peak_nm) / s) ** 2)
    return f / np.trapezoid(f, lam)


@dataclass(frozen=True)
class FilmResult:
    """Light leaving the film, per incident LED photon.

    Attributes
    ----------
    wavelength_nm : ndarray
    incident : ndarray
        LED photons per nm (integrates to 1).
    components : tuple of ndarray
        Transmitted photons per nm by origin: ``[0]`` the LED (blue leakage), then
        one per QD species in the order given (green, red).
    absorbed : ndarray
        Photons absorbed by each species (per incident photon), all origins.
    absorbed_led : ndarray
        LED photons absorbed by each species.
    quantum_yields : ndarray
        QY of each species (integral of its emission spectrum).
    absorbed_by_origin : ndarray
        ``[k, j]``: photons of component ``k`` absorbed by species ``j`` (so
        ``[1, 1]`` is the green emission reabsorbed by the red dots).
    """

    wavelength_nm: np.ndarray
    incident: np.ndarray
    components: tuple
    absorbed: np.ndarray
    absorbed_led: np.ndarray
    quantum_yields: np.ndarray
    absorbed_by_origin: np.ndarray

    def photons(self, k: int) -> float:
        """Photons of component ``k`` leaving the film per incident photon."""
        return float(np.trapezoid(self.components[k], self.wavelength_nm))

    @property
    def blue_leakage(self) -> float:
        """Fraction of the LED photons transmitted (the blue primary)."""
        return self.photons(0)

    @property
    def nonradiative_loss(self) -> float:
        """Photons lost per incident photon: :math:`\\sum_s N_s (1 - QY_s)`."""
        return float(np.sum(self.absorbed * (1.0 - self.quantum_yields)))

    def photon_balance(self) -> float:
        """incident - transmitted - nonradiative loss (0 up to round-off)."""
        out = sum(self.photons(k) for k in range(len(self.components)))
        return float(np.trapezoid(self.incident, self.wavelength_nm)) - out \
            - self.nonradiative_loss


def _weights(lam):
    """Trapezoid weights of the grid (so that sum(w F) = trapezoid(F))."""
    w = np.zeros(lam.size)
    d = np.diff(lam)
    w[:-1] += d / 2
    w[1:] += d / 2
    return w


def transport(wavelength_nm, incident, slabs, *, n_slices: int = 200) -> FilmResult:
    r"""One-pass forward transport of the LED light through absorbing, re-emitting slabs.

    Parameters
    ----------
    wavelength_nm : array_like
        Grid, nm (increasing).
    incident : array_like
        Incident photons per nm.
    slabs : sequence
        ``[(thickness_cm, [(extinction, emission, concentration_M), ...]), ...]`` in the
        order the light meets them; species are matched by position across slabs
        (species ``j`` of every slab is the same dots: its absorbed photons add up),
        extinction in M^-1 cm^-1 and emission in photons per absorbed photon per nm on
        the grid.
    n_slices : int
        Slices per slab (>= 10).

    Returns
    -------
    FilmResult

    Notes
    -----
    See the module notes: :math:`F_{k+1} = F_k(1 - f_k) + \sum_s N_{s,k}\phi_s`.
    """
    lam = np.asarray(wavelength_nm, dtype=float)
    F0 = np.asarray(incident, dtype=float)
    if lam.ndim != 1 or F0.shape != lam.shape or lam.size < 2 or np.any(np.diff(lam) <= 0):
        raise QdlabInputError("wavelength_nm must be an increasing 1-D grid and incident "
                              "the same length")
    if int(n_slices) < 10:
        raise QdlabInputError(f"n_slices must be >= 10, got {n_slices}")
    n_species = max(len(sp) for _, sp in slabs)
    w = _weights(lam)
    comps = [F0.copy()] + [np.zeros_like(F0) for _ in range(n_species)]
    by_origin = np.zeros((n_species + 1, n_species))
    qys = np.zeros(n_species)
    for thickness_cm, species in slabs:
        check_positive(thickness_cm, "layer thickness", "cm")
        dz = thickness_cm / int(n_slices)
        eps = np.zeros((n_species, lam.size))
        phi = np.zeros((n_species, lam.size))
        for j, (e, p, c) in enumerate(species):
            check_range(c, "concentration", 0.0, 1.0, "mol/L")
            eps[j] = np.clip(np.asarray(e, dtype=float), 0.0, None) * c * dz
            phi[j] = np.clip(np.asarray(p, dtype=float), 0.0, None)
            qys[j] = float(w @ phi[j])
        a_tot = eps.sum(axis=0)
        frac = -np.expm1(-np.log(10.0) * a_tot)                      # f(lambda)
        share = np.divide(eps, a_tot, out=np.zeros_like(eps), where=a_tot > 0)
        keep = 1.0 - frac
        for _ in range(int(n_slices)):
            total = np.zeros(n_species)
            for k, F in enumerate(comps):
                absd = share @ (w * F * frac)                          # per species
                total += absd
                by_origin[k] += absd
                comps[k] = F * keep
            for j in range(n_species):
                if total[j] > 0:
                    comps[1 + j] = comps[1 + j] + total[j] * phi[j]
    return FilmResult(lam, F0, tuple(comps), by_origin.sum(axis=0), by_origin[0].copy(), qys,
                      by_origin)
