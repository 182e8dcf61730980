r"""The absorber-emitter of a luminescent-solar-concentrator slab (:mod:`qdlab.devices.lsc`).

A :class:`Luminophore` holds, on an even wavelength grid, the absorption coefficient
:math:`\alpha(\lambda)` (cm^-1), the PL spectrum and the quantum yield; it is made from
a qdlab ensemble at a particle concentration (:meth:`Luminophore.from_ensemble`,
:math:`\alpha = \ln(10)\,\varepsilon c`), or as Gaussian bands (a simple dye, the
pvtrace benchmark), or from arrays.

References
----------
.. [1] D. F. Swinehart, "The Beer-Lambert law", J. Chem. Educ. 39, 333 (1962).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qdlab.errors import QdlabInputError, check_nonnegative, check_positive, check_range

__all__ = ["COEFFICIENT_RANGE_PER_CM", "Luminophore"]

#: Allowed absorption / scattering coefficients, cm^-1 (1e6 cm^-1: a bulk semiconductor
#: above its gap; larger is a typing error).
COEFFICIENT_RANGE_PER_CM = (0.0, 1e6)


def _grid(wavelength_nm) -> np.ndarray:
    lam = np.asarray(wavelength_nm, dtype=float)
    if lam.ndim != 1 or lam.size < 2:
        raise QdlabInputError(f"wavelength_nm must be a 1D grid of >= 2 points, got shape "
                              f"{lam.shape}")
    check_positive(lam, "wavelength_nm", "nm")
    step = np.diff(lam)
    if not (step > 0).all() or not np.allclose(step, step[0], rtol=1e-6, atol=1e-9):
        raise QdlabInputError("wavelength_nm must be evenly spaced and increasing")
    return lam


@dataclass(frozen=True)
class Luminophore:
    r"""Absorber-emitter of an LSC slab on an even wavelength grid.

    Parameters
    ----------
    wavelength_nm : ndarray
        Even, increasing grid (nm); photon wavelengths are its bins.
    absorption_per_cm : ndarray
        Absorption coefficient :math:`\alpha(\lambda)` (natural log, cm^-1), >= 0.
    emission : ndarray
        PL spectrum (any scale, >= 0, not all zero): photons per nm.
    quantum_yield : float
        PL quantum yield, 0-1.
    name : str
        Label.
    """

    wavelength_nm: np.ndarray
    absorption_per_cm: np.ndarray
    emission: np.ndarray
    quantum_yield: float = 1.0
    name: str = "luminophore"

    def __post_init__(self):
        lam = _grid(self.wavelength_nm)
        a = np.asarray(self.absorption_per_cm, dtype=float)
        e = np.asarray(self.emission, dtype=float)
        if a.shape != lam.shape or e.shape != lam.shape:
            raise QdlabInputError("absorption_per_cm and emission must have the shape of "
                                  f"wavelength_nm {lam.shape}, got {a.shape} and {e.shape}")
        check_range(a, "absorption_per_cm", *COEFFICIENT_RANGE_PER_CM, "cm^-1")
        check_nonnegative(e, "emission")
        if not e.sum() > 0:
            raise QdlabInputError("emission must be > 0 somewhere on the wavelength grid")
        check_range(self.quantum_yield, "quantum_yield", 0.0, 1.0)
        for name, v in (("wavelength_nm", lam), ("absorption_per_cm", a), ("emission", e)):
            v = v.copy()
            v.setflags(write=False)
            object.__setattr__(self, name, v)
        object.__setattr__(self, "quantum_yield", float(self.quantum_yield))

    @property
    def emission_cdf(self) -> np.ndarray:
        """Cumulative distribution of the emission over the bins (ends at 1)."""
        c = np.cumsum(self.emission)
        return c / c[-1]

    def bin_of(self, wavelength_nm) -> np.ndarray:
        """Index of the grid bin nearest to each wavelength (nm); refuses off-grid values."""
        lam = np.asarray(wavelength_nm, dtype=float)
        lo, hi = self.wavelength_nm[0], self.wavelength_nm[-1]
        h = self.wavelength_nm[1] - lo
        if np.any(lam < lo - h / 2) or np.any(lam > hi + h / 2):
            raise QdlabInputError(f"excitation wavelength must lie on the luminophore grid "
                                  f"{lo:g}-{hi:g} nm, got {np.min(lam):g}-{np.max(lam):g}")
        return np.clip(np.rint((lam - lo) / h), 0, self.wavelength_nm.size - 1).astype(np.int32)

    @classmethod
    def gaussian(cls, *, absorption_peak_nm: float, absorption_per_cm: float,
                 emission_peak_nm: float, fwhm_nm: float, quantum_yield: float = 1.0,
                 wavelength_nm=None, floor_per_cm: float = 0.0) -> Luminophore:
        r"""A Gaussian absorption band and a Gaussian emission band (a simple dye).

        Parameters
        ----------
        absorption_peak_nm, emission_peak_nm : float
            Band centres, nm.
        absorption_per_cm : float
            Peak absorption coefficient, cm^-1.
        fwhm_nm : float
            FWHM of both bands, nm.
        quantum_yield : float
            0-1.
        wavelength_nm : array_like, optional
            Grid; default 300-1000 nm in 1 nm steps.
        floor_per_cm : float
            Absorption added at every wavelength (cm^-1).

        Examples
        --------
        >>> lum = Luminophore.gaussian(absorption_peak_nm=450, absorption_per_cm=5,
        ...                            emission_peak_nm=600, fwhm_nm=30)
        >>> float(lum.absorption_per_cm[150])
        5.0
        """
        check_positive(fwhm_nm, "fwhm_nm", "nm")
        lam = np.arange(300.0, 1000.5, 1.0) if wavelength_nm is None else _grid(wavelength_nm)
        sig = fwhm_nm / (2.0 * math.sqrt(2.0 * math.log(2.0)))
        a = absorption_per_cm * np.exp(-0.5 * ((lam - absorption_peak_nm) / sig) ** 2)
        e = np.exp(-0.5 * ((lam - emission_peak_nm) / sig) ** 2)
        return cls(lam, a + floor_per_cm, e, quantum_yield, "gaussian")

    @classmethod
    def from_ensemble(cls, ensemble, concentration_M: float, *, wavelength_nm=None,
                      excitation_nm: float = 400.0) -> Luminophore:
        r"""The luminophore of a qdlab ensemble at a particle concentration.

        Parameters
        ----------
        ensemble : qdlab.optics.ensemble.Ensemble
            Dots (structure, size distribution, Stokes shift, quantum yield).
        concentration_M : float
            Particle concentration in the host, mol/L (> 0).
        wavelength_nm : array_like, optional
            Even grid; default 300 nm to 5 PL FWHM beyond the PL peak, 1 nm steps.
        excitation_nm : float
            Excitation wavelength for the PL size weights (nm).

        Notes
        -----
        :math:`\alpha(\lambda) = \ln(10)\,\varepsilon(\lambda)\,c` (cm^-1), with
        :math:`\varepsilon` the molar extinction (M^-1 cm^-1) of
        :meth:`~qdlab.optics.ensemble.Ensemble.molar_extinction`; the PL spectrum is
        :meth:`~qdlab.optics.ensemble.Ensemble.emission` and the QY the ensemble's.
        """
        check_positive(concentration_M, "concentration_M", "mol/L")
        if wavelength_nm is None:
            peak, fwhm = ensemble.emission_peak_nm(), ensemble.emission_fwhm_nm()
            hi = math.ceil(peak + 5.0 * max(fwhm, 10.0))
            lo = min(300.0, math.floor(excitation_nm))
            wavelength_nm = np.arange(lo, hi + 0.5, 1.0)
        lam = _grid(wavelength_nm)
        eps = np.asarray(ensemble.molar_extinction(lam), dtype=float)
        alpha = math.log(10.0) * eps * float(concentration_M)
        em = np.maximum(np.asarray(ensemble.emission(lam, excitation_nm=excitation_nm)), 0.0)
        if not em.sum() > 0:
            raise QdlabInputError("the ensemble emits nowhere on the wavelength grid "
                                  f"{lam[0]:g}-{lam[-1]:g} nm")
        name = "/".join(m.name for m in ensemble.materials)
        return cls(lam, alpha, em, ensemble.quantum_yield, name)
