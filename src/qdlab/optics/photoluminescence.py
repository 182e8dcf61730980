r"""Photoluminescence of a nanocrystal ensemble: Stokes shift and the PL spectrum.

The emission half of :class:`qdlab.optics.ensemble.Ensemble` (which inherits these
methods from :class:`EnsembleEmission`); the absorption half is in
:mod:`qdlab.optics.ensemble`.

Notes
-----
*Photoluminescence.*  Each size d emits from its lowest transition, red-shifted by
the Stokes shift, with the homogeneous line, weighted by the number of particles
times their absorption at ``excitation_nm`` (400 nm) and normalised so that the
spectrum integrates to the quantum yield.  Two choices of the shift:

* a constant for every size, ``stokes_shift_eV`` (default
  :data:`DEFAULT_STOKES_SHIFT_EV` = 0.085 eV: the median absorption-PL shift measured
  on the reference CdSe hot-injection series, run 6, 2.5-3 nm dots, peaks 493-529 nm;
  an empirical number, too large for big dots, where measured global shifts are
  ~20-30 meV).  The weights are the particle volume when every size absorbs in its
  continuum at ``excitation_nm``, else the number.
* ``stokes_shift_eV="model"``: the per-size intrinsic shift
  :math:`\Delta_S(d, T)` of :class:`qdlab.optics.stokes.StokesModel` (band-edge
  fine structure with Boltzmann populations plus LO-phonon reorganisation), with
  each size weighted by its own cross-section at the excitation energy (the whole
  ensemble part of the global shift; :math:`\Delta_S` holds no size-distribution
  term).  This physical model is NOT the default because it misses the measured
  room-temperature shifts of small CdSe dots: 26-33 meV against 43-103 meV on the
  reference series (``python -m qdlab.sizing.stokes_check``), i.e. the large global Stokes
  shift of small dots is not explained by the fine structure and LO phonons alone.

With :math:`p_i` those weights (normalised), :math:`L` the homogeneous line of FWHM
:math:`\Gamma(T)` and :math:`E_{1,i}` the first transition of size :math:`i`:

.. math::

    I(E) = QY\sum_i p_i\,L(E - E_{1,i} + \Delta_{S,i};\ \Gamma), \qquad
    I(\lambda) = I(E)\,\frac{E^2}{hc}.

References
----------
.. [1] D. Valerini, A. Creti, M. Lomascolo, L. Manna, R. Cingolani, M. Anni,
   Phys. Rev. B 71, 235409 (2005).
.. [2] M. Nirmal, D. J. Norris, M. Kuno, M. G. Bawendi, Al. L. Efros, M. Rosen,
   "Observation of the dark exciton in CdSe quantum dots", Phys. Rev. Lett. 75,
   3728 (1995).
"""

from __future__ import annotations

import warnings

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabValidityWarning, check_positive
from qdlab.optics.extinction import excitation_weights
from qdlab.optics.stokes import DEFAULT_STOKES_SHIFT_EV

__all__ = ["EnsembleEmission"]


class EnsembleEmission:
    """The photoluminescence methods of :class:`qdlab.optics.ensemble.Ensemble`.

    A mixin: it needs the ensemble's ``table``, ``temperature``, ``homogeneous``,
    ``quantum_yield``, ``stokes_model`` and its size-distribution nodes.
    """

    # ------------------------------------------------------------- Stokes shift
    @property
    def stokes_shift_eV(self) -> float:
        """Stokes shift, eV: the constant in use, or the number-weighted mean of the
        per-size shifts over the distribution (for reporting; the emission uses the
        per-size values, :meth:`stokes_shifts_eV`)."""
        if self._stokes_override is not None:
            return self._stokes_override
        if self.stokes_model is None:
            return DEFAULT_STOKES_SHIFT_EV
        d, w = self._nodes()
        return float(np.sum(w * self.stokes_shifts_eV(d)))

    def stokes_shifts_eV(self, diameter_nm):
        """Stokes shift (eV) of each (core) diameter in nm at the ensemble temperature.

        Examples
        --------
        >>> from qdlab.optics.ensemble import Ensemble, SizeDistribution
        >>> ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 5.0), stokes_shift_eV="model")
        >>> s = ens.stokes_shifts_eV([3.0, 5.0])
        >>> bool(s[0] > s[1])
        True
        >>> Ensemble("CdSe", SizeDistribution.normal(4.0, 5.0),
        ...          stokes_shift_eV=0.05).stokes_shifts_eV([3.0, 5.0]).tolist()
        [0.05, 0.05]
        """
        d = np.asarray(check_positive(diameter_nm, "diameter_nm", "nm"), dtype=float)
        if self.stokes_model is None:
            return np.full(d.shape, self.stokes_shift_eV)
        with warnings.catch_warnings():
            # the distribution tails may leave the model's diameter range
            warnings.simplefilter("ignore", QdlabValidityWarning)
            return np.asarray(self.stokes_model(d, self.temperature), dtype=float)


    def emission(self, wavelength_nm, *, excitation_nm: float = 400.0):
        r"""Photoluminescence spectrum, photons per absorbed photon per nm.

        Parameters
        ----------
        wavelength_nm : array_like
            Emission wavelengths, nm.
        excitation_nm : float
            Excitation wavelength, nm (default 400).

        Returns
        -------
        ndarray
            Spectral photon yield per nm; integrates over wavelength to
            ``quantum_yield``.

        Notes
        -----
        :math:`I(E) = QY \sum_i p_i L(E - E_{1,i} + \Delta_{S,i}; \Gamma)` with
        :math:`p_i` the number weight times the absorption of size i at the
        excitation wavelength: with a constant ``stokes_shift_eV``, the particle volume
        when every size absorbs in its continuum at ``excitation_nm``, else 1; with
        ``"model"``, the cross-section of size i (its discrete lines plus its bulk-like
        continuum), :math:`p_i = w_i\sigma_i(\lambda_{exc})/\sum_j w_j\sigma_j(\lambda_{exc})`;
        :math:`L` the homogeneous line, :math:`\Delta_S` the Stokes shift of size i
        (:meth:`stokes_shifts_eV`); then
        :math:`I(\lambda) = I(E)\,E^2/hc`.

        Examples
        --------
        >>> from qdlab.optics.ensemble import Ensemble, SizeDistribution
        >>> ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 5.0), quantum_yield=0.5)
        >>> lam = np.linspace(500.0, 800.0, 3001)
        >>> round(float(np.trapezoid(ens.emission(lam), lam)), 2)
        0.5
        """
        check_positive(wavelength_nm, "wavelength_nm", "nm")
        check_positive(excitation_nm, "excitation_nm", "nm")
        lam = np.asarray(wavelength_nm, dtype=float)
        d, w = self._nodes()
        # weight of each size: its absorption at the excitation wavelength (the
        # bulk-like continuum, ~ volume, when excited far above every band edge; number
        # weights for (near-)resonant excitation)
        e1 = self.table.energies_eV(d)[:, 0]
        absw = excitation_weights(self, d, e1, excitation_nm)
        pw = w * absw
        pw = pw / pw.sum()
        gam = self.homogeneous(self.temperature)
        E = HC_EV_NM / lam
        centre = e1 - self.stokes_shifts_eV(d)
        per_eV = self._broaden(E, centre, pw, gam)
        # rounding in the broadening can leave -1e-17 far from the line: clip to 0
        return np.maximum(self.quantum_yield * per_eV * E**2 / HC_EV_NM, 0.0)  # |dE/dlambda|

    def emission_peak_nm(self) -> float:
        """Wavelength (nm) of the PL maximum."""
        d, w = self._nodes()
        # mean emission energy (the constant-shift expression is kept bit for bit)
        e1 = float(np.sum(w * self.table.energies_eV(d)[:, 0])) - self.stokes_shift_eV
        lam = np.linspace(HC_EV_NM / (e1 + 0.3), HC_EV_NM / max(e1 - 0.3, 0.1), 1201)
        y = self.emission(lam)
        return float(lam[int(np.argmax(y))])

    def emission_fwhm_nm(self) -> float:
        """Full width at half maximum of the PL spectrum, nm."""
        p = self.emission_peak_nm()
        lam = np.linspace(p - 150, p + 150, 3001)
        lam = lam[lam > 1]
        y = self.emission(lam)
        above = lam[y >= 0.5 * y.max()]
        return float(above[-1] - above[0])
