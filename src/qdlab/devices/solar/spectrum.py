r"""Photon fluxes of the detailed balance: the AM1.5G sun and a black body at the cell.

The reference sun is the ASTM G173-03 global tilt spectrum (AM1.5G, 37 deg tilted
surface) read with pvlib-python (:func:`pvlib.spectrum.get_reference_spectra`, the
NREL table that pvlib ships under its BSD-3 licence; qdlab ships no copy of it).
It is normalised to exactly 1000 W/m^2 (the raw table integrates to 1000.37 W/m^2
with the trapezoid rule) and re-binned onto a uniform photon-energy grid so that
every bin holds exactly the photons of the table between its edges.

Notes
-----
Photon flux per nm of the table, :math:`N_\lambda = I_\lambda\,\lambda/(hc)`
(:math:`I_\lambda` in W m^-2 nm^-1).  Bin :math:`i` of width :math:`\Delta E` holds
:math:`\Phi_i\Delta E = C(hc/(E_i - \Delta E/2)) - C(hc/(E_i + \Delta E/2))`, with
:math:`C(\lambda)` the cumulative (trapezoid) integral of :math:`N_\lambda` from 280 nm,
interpolated linearly; so the number of photons above any bin edge is the table's.

The black body (Planck) photon flux through a flat surface into a hemisphere,
per unit photon energy,

.. math::

    \Phi_{bb}(E, T) = \frac{2\pi}{h^3c^2}\,\frac{E^2}{\exp(E/k_BT) - 1}
    \quad [\mathrm{m^{-2}\,s^{-1}\,eV^{-1}}],

(Shockley & Queisser 1961; Würfel 2009, ch. 2).

References
----------
.. [1] ASTM G173-03, Standard Tables for Reference Solar Spectral Irradiances: Direct
   Normal and Hemispherical on 37 deg Tilted Surface (ASTM International, 2003); the
   table as distributed by NREL and shipped with pvlib-python.
.. [2] W. F. Holmgren, C. W. Hansen, M. A. Mikofski, pvlib python: a python package for
   modeling solar energy systems, J. Open Source Softw. 3, 884 (2018).
.. [3] W. Shockley and H. J. Queisser, J. Appl. Phys. 32, 510 (1961).

Examples
--------
>>> sun = am15g()
>>> round(sun.irradiance_W_m2(), 3)
1000.0
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, check_range

__all__ = ["AM15G_IRRADIANCE_W_M2", "ENERGY_MAX_EV", "ENERGY_MIN_EV", "ENERGY_STEP_EV",
           "SolarSpectrum", "am15g", "blackbody_photon_flux", "log_expm1"]

#: Irradiance the AM1.5G reference is normalised to, W/m^2 (ASTM G173-03 global tilt).
AM15G_IRRADIANCE_W_M2 = 1000.0
#: Photon-energy grid of the detailed balance: 0.1 eV (thermal emission of narrow gaps
#: and Urbach tails) to 4.43 eV (280 nm, the short end of ASTM G173), 1 meV bins.
ENERGY_MIN_EV, ENERGY_MAX_EV, ENERGY_STEP_EV = 0.1, 4.43, 0.001

_Q = 1.602176634e-19          # C
_H_EV = 4.135667696e-15       # eV s
_C = 299792458.0              # m/s
_K_EV = 8.617333262e-5        # eV/K
#: 2 pi / (h^3 c^2), m^-2 s^-1 eV^-3 (h in eV s)
_BB_PREF = 2.0 * math.pi / (_H_EV**3 * _C**2)


def log_expm1(x):
    """``log(exp(x) - 1)`` for x > 0 without overflow (x + log1p(-exp(-x)))."""
    x = np.asarray(x, dtype=float)
    return x + np.log1p(-np.exp(-x))


def blackbody_photon_flux(energy_eV, temperature_K: float):
    r"""Black-body photon flux per unit energy into a hemisphere, m^-2 s^-1 eV^-1.

    Parameters
    ----------
    energy_eV : array_like
        Photon energies, eV (> 0).
    temperature_K : float
        Temperature, K (1-10000).

    Returns
    -------
    ndarray
        :math:`\Phi_{bb} = 2\pi E^2 / (h^3c^2(\exp(E/k_BT) - 1))`.

    References
    ----------
    .. [1] W. Shockley and H. J. Queisser, J. Appl. Phys. 32, 510 (1961).

    Examples
    --------
    >>> f = blackbody_photon_flux([1.34], 300.0)
    >>> bool(1e4 < f[0] < 1e5)     # m^-2 s^-1 eV^-1, about 1e-17 of the sun's
    True
    """
    check_range(temperature_K, "temperature", 1.0, 1e4, "K")
    E = np.asarray(energy_eV, dtype=float)
    if np.any(E <= 0):
        raise QdlabInputError("energy_eV must be > 0 eV")
    return _BB_PREF * E**2 * np.exp(-log_expm1(E / (_K_EV * temperature_K)))


@dataclass(frozen=True)
class SolarSpectrum:
    """A solar photon flux on a uniform energy grid.

    Attributes
    ----------
    energy_eV : ndarray
        Bin centres, eV (uniform, step :data:`ENERGY_STEP_EV`).
    photon_flux : ndarray
        Photon flux per unit energy in each bin, m^-2 s^-1 eV^-1.
    name : str
        ``"AM1.5G (ASTM G173-03, 1000 W/m^2)"``.
    """

    energy_eV: np.ndarray
    photon_flux: np.ndarray
    name: str

    @property
    def step_eV(self) -> float:
        """Bin width, eV."""
        return float(self.energy_eV[1] - self.energy_eV[0])

    def irradiance_W_m2(self) -> float:
        """Power per area of the binned spectrum, W/m^2 (sum of E Phi dE)."""
        return float(np.sum(self.energy_eV * self.photon_flux) * self.step_eV * _Q)


def _native_am15g():
    """(wavelength nm, global-tilt irradiance W m^-2 nm^-1) of ASTM G173-03 via pvlib."""
    try:
        from pvlib.spectrum import get_reference_spectra
    except ImportError:   # pragma: no cover - pvlib is a dependency
        raise QdlabInputError("the AM1.5G spectrum needs pvlib (pip install 'pvlib>=0.16')") \
            from None
    table = get_reference_spectra(standard="ASTM G173-03")
    lam = np.asarray(table.index, dtype=float)
    irr = np.asarray(table["global"], dtype=float)
    return lam, irr


@functools.lru_cache(maxsize=1)
def am15g() -> SolarSpectrum:
    """The AM1.5G reference sun (ASTM G173-03 global tilt) at 1000 W/m^2, binned in energy.

    Returns
    -------
    SolarSpectrum
        Photon flux per eV on the grid :data:`ENERGY_MIN_EV` - :data:`ENERGY_MAX_EV` (zero
        below 0.31 eV = 4000 nm, where the table ends).

    Notes
    -----
    Normalisation: the table is scaled by :math:`1000/\\int I_\\lambda d\\lambda`
    (trapezoid on the table's own wavelengths, 1000.37 W/m^2 before scaling).  The
    result is immutable and cached (it is the same for every call).
    """
    lam, irr = _native_am15g()
    irr = irr * (AM15G_IRRADIANCE_W_M2 / np.trapezoid(irr, lam))
    n_lam = irr * lam / (HC_EV_NM * _Q)                   # photons m^-2 s^-1 nm^-1
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (n_lam[1:] + n_lam[:-1]) * np.diff(lam))])
    n = int(round((ENERGY_MAX_EV - ENERGY_MIN_EV) / ENERGY_STEP_EV)) + 1
    E = ENERGY_MIN_EV + ENERGY_STEP_EV * np.arange(n)
    lo, hi = E - ENERGY_STEP_EV / 2, E + ENERGY_STEP_EV / 2
    c_long = np.interp(HC_EV_NM / lo, lam, cum, left=0.0, right=cum[-1])
    c_short = np.interp(HC_EV_NM / hi, lam, cum, left=0.0, right=cum[-1])
    flux = (c_long - c_short) / ENERGY_STEP_EV
    E.setflags(write=False)
    flux.setflags(write=False)
    return SolarSpectrum(E, flux, "AM1.5G (ASTM G173-03 global tilt, 1000 W/m^2)")
