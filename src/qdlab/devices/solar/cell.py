r"""One-call solar-cell limits: a step absorber, or a film of an ensemble's quantum dots.

:func:`step_cell` and :func:`dot_cell` build the absorptance
(:mod:`~qdlab.devices.solar.absorbers`), the MEG quantum yield
(:mod:`~qdlab.devices.solar.meg`) and run the detailed balance
(:mod:`~qdlab.devices.solar.balance`).  :data:`PUBLISHED_PBS_DEVICE` is the measured
PbS quantum-dot cell the dot limit is compared with.

Validation (``tests/test_device_solar.py`` prints these; AM1.5G at 1000 W/m^2, 300 K):

* 1.34 eV step: 33.7 % (Shockley-Queisser for AM1.5G, Rühle 2016: 33.7 %),
  Voc 1.082 V, Jsc 35.02 mA/cm^2, FF 0.889.
* ideal MEG staircase with a step absorber: 44.4 % at 0.70 eV (Hanna & Nozik 2006: 44.4 %).
* series tandem 1.63/0.96 eV: 45.7 % (two-junction AM1.5G detailed balance, ~46 %).

* PbS, 3 nm (first exciton 963 nm, 1.287 eV), 500 nm film, packing 0.35, back mirror:
  24.6 %, Voc 0.928 V, Jsc 30.3 mA/cm^2, FF 0.875; 2.42x the measured PbS cell of
  :data:`PUBLISHED_PBS_DEVICE` (10.16 %, Jsc 25.23 mA/cm^2).  Band-edge transitions
  alone (``continuum=False``) give 4.4 %: the lead-salt continuum of
  :mod:`~qdlab.devices.solar.absorbers` (Moreels' 400 nm extinction) carries most of
  the photocurrent.

References
----------
.. [1] S. Rühle, Solar Energy 130, 139 (2016).
.. [2] M. C. Hanna and A. J. Nozik, J. Appl. Phys. 100, 074510 (2006).
.. [3] S. Pradhan, A. Stavrinadis, S. Gupta, G. Konstantatos, Reducing interface
   recombination through mixed nanocrystal interlayers in PbS quantum dot solar cells,
   ACS Appl. Mater. Interfaces (2017).
"""

from __future__ import annotations

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.devices.solar.absorbers import (
    DEFAULT_PACKING_FRACTION,
    film_absorptance,
    film_absorption_coefficient,
    step_absorptance,
)
from qdlab.devices.solar.balance import CellDiode
from qdlab.devices.solar.meg import ETA_PBSE_QD, meg_quantum_yield
from qdlab.devices.solar.spectrum import am15g

__all__ = ["PUBLISHED_PBS_DEVICE", "dot_cell", "step_cell"]

#: A measured PbS quantum-dot solar cell (ZnO/PbS heterojunction with a mixed
#: nanocrystal interlayer), AM1.5G: Pradhan et al., ACS Appl. Mater. Interfaces 2017.
#: The gap of the dots is not in the abstract; such cells use ~1.3 eV PbS dots.
PUBLISHED_PBS_DEVICE = {"reference": "Pradhan, Stavrinadis, Gupta & Konstantatos, ACS Appl. "
                                     "Mater. Interfaces (2017)",
                        "efficiency": 0.1016, "jsc_mA_cm2": 25.23}


def _finish(diode: CellDiode, A, qy, gap_eV: float, extra: dict, n_curve: int) -> dict:
    res = diode.result(n_curve)
    out = res.to_dict()
    out.update({"gap_eV": gap_eV, **extra,
                "absorptance": {"energy_eV": diode.sun.energy_eV, "absorptance": A,
                                "quantum_yield": np.broadcast_to(qy, A.shape)}})
    out["result"] = res
    return out


def step_cell(gap_eV: float, *, urbach_eV: float = 0.0, meg: str = "none",
              meg_efficiency: float = ETA_PBSE_QD, temperature_K: float = 300.0,
              ere: float = 1.0, stokes_shift_eV: float = 0.0, n_curve: int = 101) -> dict:
    """Detailed-balance limit of a step absorber of gap ``gap_eV`` (eV) under AM1.5G.

    Parameters
    ----------
    gap_eV : float
        Band gap, eV (0.2-4).
    urbach_eV : float
        Urbach energy of the sub-gap tail, eV (0: sharp step).
    meg : {"none", "linear", "staircase"}
        Quantum-yield model (:data:`~qdlab.devices.solar.meg.MEG_METHODS`).
    meg_efficiency : float
        eta of the ``"linear"`` model.
    temperature_K, ere, stokes_shift_eV
        See :class:`~qdlab.devices.solar.balance.CellDiode`.
    n_curve : int
        Points of the J-V curve (0 to Voc).

    Returns
    -------
    dict
        ``efficiency_limit`` (fraction), ``voc_V``, ``jsc_mA_cm2``, ``ff``, ``vmpp_V``,
        ``jmpp_mA_cm2``, ``jv_curve``, ``absorptance`` (arrays) and ``result``
        (:class:`~qdlab.devices.solar.balance.SolarResult`).

    Examples
    --------
    >>> r = step_cell(1.34)
    >>> round(100 * r["efficiency_limit"], 1), round(r["voc_V"], 2)
    (33.7, 1.08)
    """
    sun = am15g()
    A = step_absorptance(sun.energy_eV, gap_eV, urbach_eV=urbach_eV, step_eV=sun.step_eV)
    qy = meg_quantum_yield(sun.energy_eV, gap_eV, meg, efficiency=meg_efficiency)
    diode = CellDiode(A, sun, temperature_K=temperature_K, quantum_yield=qy, ere=ere,
                      stokes_shift_eV=stokes_shift_eV)
    return _finish(diode, A, qy, float(gap_eV),
                   {"absorber": "step", "urbach_eV": urbach_eV, "meg": meg,
                    "stokes_shift_eV": stokes_shift_eV, "ere": ere}, n_curve)


def dot_cell(ensemble, *, thickness_nm: float = 500.0,
             packing_fraction: float = DEFAULT_PACKING_FRACTION, passes: int = 2,
             urbach_eV: float = 0.0, meg: str = "none", meg_efficiency: float = ETA_PBSE_QD,
             temperature_K: float = 300.0, ere: float = 1.0,
             stokes_emission: bool = False, continuum: bool = True,
             n_curve: int = 101) -> dict:
    """Detailed-balance limit of a film of the ensemble's dots under AM1.5G.

    Parameters
    ----------
    ensemble : qdlab.optics.ensemble.Ensemble
        The dots.
    thickness_nm : float
        Film thickness, nm (default 500).
    packing_fraction : float
        Inorganic volume fraction of the film (default
        :data:`~qdlab.devices.solar.absorbers.DEFAULT_PACKING_FRACTION`).
    passes : {1, 2}
        Light passes (2: back mirror, the default: cells have a metal back contact).
    urbach_eV : float
        Optional Urbach tail below the first exciton, eV.
    meg, meg_efficiency
        Quantum-yield model and eta; the gap is the first-exciton energy.
    temperature_K, ere
        See :class:`~qdlab.devices.solar.balance.CellDiode`.
    stokes_emission : bool
        Emit from the absorber moved down by the ensemble's Stokes shift (the bound of
        the module notes of :mod:`~qdlab.devices.solar.balance`); default reciprocity.
    continuum : bool
        Add the measured lead-salt continuum where the ensemble has none (see
        :func:`~qdlab.devices.solar.absorbers.film_absorption_coefficient`).
    n_curve : int
        Points of the J-V curve.

    Returns
    -------
    dict
        As :func:`step_cell`, plus ``first_peak_nm`` and the film parameters.
    """
    sun = am15g()
    alpha = film_absorption_coefficient(ensemble, sun.energy_eV, packing_fraction,
                                        urbach_eV=urbach_eV, continuum=continuum)
    A = film_absorptance(alpha, thickness_nm, passes)
    peak = ensemble.first_peak_nm()
    gap = HC_EV_NM / peak
    qy = meg_quantum_yield(sun.energy_eV, gap, meg, efficiency=meg_efficiency)
    shift = float(ensemble.stokes_shift_eV) if stokes_emission else 0.0
    diode = CellDiode(A, sun, temperature_K=temperature_K, quantum_yield=qy, ere=ere,
                      stokes_shift_eV=shift)
    return _finish(diode, A, qy, float(gap),
                   {"absorber": "quantum-dot film", "first_peak_nm": peak,
                    "thickness_nm": thickness_nm, "packing_fraction": packing_fraction,
                    "passes": passes, "urbach_eV": urbach_eV, "meg": meg,
                    "lead_salt_continuum": continuum,
                    "stokes_shift_eV": shift, "ere": ere}, n_curve)
