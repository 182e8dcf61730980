r"""Detailed-balance current-voltage characteristic of a single-junction solar cell.

.. math::

    J(V) = q\int A(E)\,QY(E)\,\Phi_{sun}(E)\,dE
      - \frac{q}{\mathrm{ERE}}\int A(E - \Delta_S)\,QY(E)\,\Phi_{bb}(E, T_c)
        \left[e^{QY(E)\,qV/k_BT_c} - 1\right] dE

(Shockley & Queisser 1961; with carrier multiplication, Werner, Brendel & Queisser
1995 and Hanna & Nozik 2006: a photon that makes :math:`QY` pairs is emitted with
the chemical potential :math:`QY\,qV`).  :math:`A` is the absorptance,
:math:`\Phi_{sun}` the AM1.5G photon flux (:mod:`.spectrum`), :math:`\Phi_{bb}` the
black body at the cell temperature :math:`T_c`, and ERE the external radiative
efficiency (1: the radiative limit; a fraction ERE of the recombination is radiative,
the rest non-radiative, so :math:`V_{oc}` drops by :math:`k_BT\ln(1/\mathrm{ERE})`).

*Reciprocity and the Stokes shift.*  Kirchhoff's law / the optoelectronic reciprocity
(van Roosbroeck & Shockley 1954; Rau 2007) makes the emission spectrum
:math:`A(E)\Phi_{bb}(E)`: the emission peak already lies below the absorption peak,
because :math:`\Phi_{bb}` falls as :math:`e^{-E/k_BT}`.  A quantum dot's measured PL
is red-shifted further (the Stokes shift :math:`\Delta_S`: emission from a dark,
lower fine-structure state and from the smaller dots).  If the emitting state keeps
the oscillator strength of the absorbing one (the pessimistic case), the emitter is
the absorber moved down by :math:`\Delta_S`: :math:`A(E + \Delta_S)` stands in the
recombination integral, the dark current grows by about :math:`e^{\Delta_S/k_BT}` and
:math:`V_{oc}` falls by about :math:`\Delta_S`.  ``stokes_shift_eV = 0`` is strict
reciprocity (the default); the Stokes-shifted emission is a bound on the loss, and
the truth for dots lies between.

:math:`V_{oc}` solves :math:`J = 0` (Brent), the maximum power point maximises
:math:`JV` (bounded Brent), :math:`FF = J_mV_m/(J_{sc}V_{oc})` and the efficiency is
:math:`J_mV_m` / 1000 W/m^2.

References
----------
.. [1] W. Shockley and H. J. Queisser, J. Appl. Phys. 32, 510 (1961).
.. [2] S. Rühle, Tabulated values of the Shockley-Queisser limit for single junction
   solar cells, Solar Energy 130, 139 (2016).
.. [3] J. H. Werner, R. Brendel, H. J. Queisser, Radiative efficiency limit of terrestrial
   solar cells with internal carrier multiplication, Appl. Phys. Lett. 67, 1028 (1995).
.. [4] M. C. Hanna and A. J. Nozik, J. Appl. Phys. 100, 074510 (2006).
.. [5] W. van Roosbroeck and W. Shockley, Phys. Rev. 94, 1558 (1954); U. Rau, Phys. Rev.
   B 76, 085303 (2007).

Examples
--------
>>> from qdlab.devices.solar.spectrum import am15g
>>> from qdlab.devices.solar.absorbers import step_absorptance
>>> sun = am15g()
>>> A = step_absorptance(sun.energy_eV, 1.34, step_eV=sun.step_eV)
>>> r = detailed_balance(A, sun=sun)
>>> round(100 * r.efficiency, 1)
33.7
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from qdlab.devices.solar.spectrum import (
    _BB_PREF,
    _K_EV,
    _Q,
    AM15G_IRRADIANCE_W_M2,
    SolarSpectrum,
    am15g,
    log_expm1,
)
from qdlab.errors import QdlabInputError, check_range

__all__ = ["CellDiode", "SolarResult", "detailed_balance"]

#: A/m^2 -> mA/cm^2
_TO_MA_CM2 = 0.1


@dataclass(frozen=True)
class SolarResult:
    """Detailed-balance figures of merit of a cell (all in the units of their names)."""

    efficiency: float
    voc_V: float
    jsc_mA_cm2: float
    ff: float
    vmpp_V: float
    jmpp_mA_cm2: float
    temperature_K: float
    jv_V: np.ndarray = field(repr=False)
    jv_mA_cm2: np.ndarray = field(repr=False)

    def to_dict(self, curve: bool = True) -> dict:
        """JSON-ready dict (``efficiency_limit`` is the efficiency as a fraction)."""
        out = {"efficiency_limit": self.efficiency, "voc_V": self.voc_V,
               "jsc_mA_cm2": self.jsc_mA_cm2, "ff": self.ff, "vmpp_V": self.vmpp_V,
               "jmpp_mA_cm2": self.jmpp_mA_cm2, "temperature_K": self.temperature_K}
        if curve:
            out["jv_curve"] = {"voltage_V": self.jv_V.tolist(),
                               "current_mA_cm2": self.jv_mA_cm2.tolist()}
        return out


class CellDiode:
    """J(V) of one absorber in the detailed balance (see the module notes).

    Parameters
    ----------
    absorptance : ndarray
        A(E) on the bins of ``sun`` (0-1).
    sun : SolarSpectrum, optional
        Incident photon flux (default :func:`~.spectrum.am15g`).
    temperature_K : float
        Cell temperature, K (150-500).
    quantum_yield : ndarray or float
        Pairs per absorbed photon on the bins (>= 1; 1: no MEG).
    ere : float
        External radiative efficiency, 0 < ERE <= 1.
    stokes_shift_eV : float
        Red shift of the emitter against the absorber, eV (0-0.5; 0: reciprocity).
    filter_ : ndarray, optional
        Transmission of what lies in front (a top cell: 1 - A_top), applied to the sun.
    """

    def __init__(self, absorptance, sun: SolarSpectrum | None = None, *,
                 temperature_K: float = 300.0, quantum_yield=1.0, ere: float = 1.0,
                 stokes_shift_eV: float = 0.0, filter_=None):
        sun = am15g() if sun is None else sun
        check_range(temperature_K, "temperature", 150.0, 500.0, "K")
        check_range(stokes_shift_eV, "stokes_shift_eV", 0.0, 0.5, "eV")
        if not (0.0 < ere <= 1.0):
            raise QdlabInputError(f"ere (external radiative efficiency) must be > 0 and <= 1, "
                                  f"got {ere:g}")
        E, dE = sun.energy_eV, sun.step_eV
        A = np.asarray(absorptance, dtype=float)
        if A.shape != E.shape or not np.all(np.isfinite(A)) or A.min() < 0 or A.max() > 1 + 1e-9:
            raise QdlabInputError("absorptance must be finite values in [0, 1] on the energy "
                                  f"grid of the spectrum ({E.size} bins)")
        qy = np.broadcast_to(np.asarray(quantum_yield, dtype=float), E.shape)
        if np.any(qy < 1):
            raise QdlabInputError("quantum_yield must be >= 1 (pairs per absorbed photon)")
        flux = sun.photon_flux if filter_ is None else sun.photon_flux * np.asarray(filter_)
        self.sun, self.kT = sun, _K_EV * temperature_K
        self.temperature_K = float(temperature_K)
        self.j_gen = _Q * float(np.sum(A * qy * flux)) * dE * _TO_MA_CM2        # mA/cm^2
        # the emitter: the absorber moved down by the Stokes shift
        shift = int(round(stokes_shift_eV / dE))
        A_em = np.concatenate([A[shift:], np.full(shift, A[-1])]) if shift else A
        keep = A_em * qy > 0
        self._E, self._qy = E[keep], qy[keep]
        # log of A QY Phi_bb dE q (prefactor of the emission per bin, A/m^2)
        self._log_w = (np.log(A_em[keep] * qy[keep] * _BB_PREF * dE * _Q / ere)
                       + 2 * np.log(self._E) - log_expm1(self._E / self.kT))

    def recombination(self, voltage_V):
        """Radiative (/ERE) recombination current at bias V, mA/cm^2 (0 at V = 0)."""
        V = np.atleast_1d(np.asarray(voltage_V, dtype=float))
        x = np.outer(V, self._qy) / self.kT                       # (nV, nE)
        term = np.exp(np.minimum(self._log_w + x, 700.0)) - np.exp(self._log_w)
        return term.sum(axis=1) * _TO_MA_CM2

    def current(self, voltage_V):
        """Net current density J(V), mA/cm^2 (positive: generating)."""
        return self.j_gen - self.recombination(voltage_V)

    def voc(self) -> float:
        """Open-circuit voltage, V."""
        if self.j_gen <= 0:
            return 0.0
        hi = 0.1
        while self.current(hi)[0] > 0:
            hi *= 1.5
            if hi > 20:
                raise QdlabInputError("no open-circuit voltage below 20 V (check the input)")
        return float(brentq(lambda v: self.current(v)[0], 0.0, hi, xtol=1e-9))

    def voltage_at(self, current_mA_cm2: float) -> float:
        """Bias (V) at which the cell delivers ``current_mA_cm2`` (0 <= J <= Jsc)."""
        voc = self.voc()
        if current_mA_cm2 <= 0:
            return voc
        if current_mA_cm2 >= self.j_gen:
            return 0.0
        return float(brentq(lambda v: self.current(v)[0] - current_mA_cm2, 0.0, voc,
                            xtol=1e-10))

    def result(self, n_curve: int = 101) -> SolarResult:
        """Efficiency, Voc, Jsc, FF, maximum power point and the J-V curve (0 to Voc)."""
        jsc = float(self.current(0.0)[0])
        voc = self.voc()
        if voc <= 0 or jsc <= 0:
            z = np.zeros(n_curve)
            return SolarResult(0.0, 0.0, max(jsc, 0.0), 0.0, 0.0, 0.0, self.temperature_K,
                               z, z)
        opt = minimize_scalar(lambda v: -v * self.current(v)[0], bounds=(0.0, voc),
                              method="bounded", options={"xatol": 1e-7})
        vm = float(opt.x)
        jm = float(self.current(vm)[0])
        pmax = vm * jm * 10.0                                     # mA/cm^2 * V -> W/m^2
        V = np.linspace(0.0, voc, n_curve)
        return SolarResult(pmax / AM15G_IRRADIANCE_W_M2, voc, jsc, vm * jm / (jsc * voc), vm, jm,
                           self.temperature_K, V, self.current(V))


def detailed_balance(absorptance, *, sun: SolarSpectrum | None = None,
                     temperature_K: float = 300.0, quantum_yield=1.0, ere: float = 1.0,
                     stokes_shift_eV: float = 0.0, n_curve: int = 101) -> SolarResult:
    """Detailed-balance limit of one absorber (:class:`CellDiode` then its result).

    Parameters
    ----------
    absorptance : ndarray
        A(E) on the bins of ``sun``.
    sun, temperature_K, quantum_yield, ere, stokes_shift_eV
        See :class:`CellDiode`.
    n_curve : int
        Points of the J-V curve from 0 to Voc.

    Returns
    -------
    SolarResult
    """
    return CellDiode(absorptance, sun, temperature_K=temperature_K,
                     quantum_yield=quantum_yield, ere=ere,
                     stokes_shift_eV=stokes_shift_eV).result(n_curve)
