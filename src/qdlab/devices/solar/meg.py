r"""Multiple-exciton generation: photon-to-exciton quantum yield against photon energy.

Models (registry :data:`MEG_METHODS`):

``"none"``
    One electron-hole pair per absorbed photon, :math:`QY = 1` (Shockley & Queisser).
``"linear"`` (Beard et al. 2010)
    Energy conservation with an energy cost :math:`\varepsilon_{eh} = E_g/\eta` per
    extra pair, :math:`\eta` the MEG efficiency (0 < :math:`\eta` <= 1):

    .. math::

        QY(E) = 1 + \frac{E - E_{th}}{\varepsilon_{eh}}\ \text{for}\ E \ge E_{th}
        = E_g(1 + 1/\eta), \qquad QY = 1 \ \text{below}.

    :math:`\eta = 1` is the ideal linear characteristic with threshold :math:`2E_g`
    (Hanna, Beard & Nozik 2012).  Beard et al. (2010) find the MEG efficiency of PbSe
    quantum dots about twice that of bulk PbSe; :data:`ETA_PBSE_QD` = 0.4 is a round
    value of the published PbSe/PbS quantum-dot range (their fits), bulk PbSe
    :data:`ETA_PBSE_BULK` = 0.2 (impact ionisation).  Treat both as indicative.
``"staircase"`` (Hanna & Nozik 2006)
    The thermodynamic ideal: :math:`QY(E) = \lfloor E/E_g \rfloor` (one more pair for
    every further band gap of photon energy).

References
----------
.. [1] M. C. Beard, A. G. Midgett, M. C. Hanna, J. M. Luther, B. K. Hughes, A. J. Nozik,
   Comparing multiple exciton generation in quantum dots to impact ionization in bulk
   semiconductors: implications for enhancement of solar energy conversion, Nano Lett.
   10, 3019 (2010).
.. [2] M. C. Hanna and A. J. Nozik, Solar conversion efficiency of photovoltaic and
   photoelectrolysis cells with carrier multiplication absorbers, J. Appl. Phys. 100,
   074510 (2006).
.. [3] M. C. Hanna, M. C. Beard, A. J. Nozik, J. Phys. Chem. Lett. 3, 2857 (2012).

Examples
--------
>>> meg_quantum_yield([1.0, 2.0, 3.1], 1.0, "staircase").tolist()
[1.0, 2.0, 3.0]
>>> meg_quantum_yield([2.0, 3.0], 1.0, "linear", efficiency=1.0).tolist()
[1.0, 2.0]
"""

from __future__ import annotations

import numpy as np

from qdlab.errors import QdlabInputError, check_positive, check_range
from qdlab.registry import Model, select

__all__ = ["ETA_PBSE_BULK", "ETA_PBSE_QD", "MEG_METHODS", "meg_quantum_yield"]

#: MEG efficiency eta of PbSe/PbS quantum dots (indicative round value, Beard et al. 2010).
ETA_PBSE_QD = 0.4
#: Impact-ionisation efficiency of bulk PbSe (about half the dots', Beard et al. 2010).
ETA_PBSE_BULK = 0.2


def _none(E, gap, efficiency):
    return np.ones_like(E)


def _linear(E, gap, efficiency):
    eps = gap / efficiency
    return np.where(E >= gap + eps, 1.0 + (E - gap - eps) / eps, 1.0)


def _staircase(E, gap, efficiency):
    return np.maximum(np.floor(E / gap + 1e-12), 1.0)


#: The quantum-yield models (see the module notes).
MEG_METHODS = {
    "none": Model(_none, "Shockley & Queisser 1961", "one pair per absorbed photon",
                  ("shockley1961",)),
    "linear": Model(_linear, "Beard et al. 2010",
                    "QY = 1 + (E - E_th)/eps_eh, eps_eh = Eg/eta, E_th = Eg + eps_eh",
                    ("beard2010",)),
    "staircase": Model(_staircase, "Hanna & Nozik 2006",
                       "ideal staircase QY = floor(E/Eg)", ("hanna2006",)),
}


def meg_quantum_yield(energy_eV, gap_eV: float, model: str = "none", *,
                      efficiency: float = ETA_PBSE_QD):
    """Excitons per absorbed photon at photon energies ``energy_eV`` (eV).

    Parameters
    ----------
    energy_eV : array_like
        Photon energies, eV.
    gap_eV : float
        Absorber gap (first-exciton energy), eV (0.1-5).
    model : {"none", "linear", "staircase"}
        Entry of :data:`MEG_METHODS`.
    efficiency : float
        MEG efficiency eta of the ``"linear"`` model, 0 < eta <= 1 (default
        :data:`ETA_PBSE_QD`); ignored by the others.

    Returns
    -------
    ndarray
        QY >= 1 (never above E/Eg: energy conservation).
    """
    entry = select(MEG_METHODS, "MEG model", model)
    check_range(gap_eV, "gap_eV", 0.1, 5.0, "eV")
    check_positive(efficiency, "meg efficiency")
    if efficiency > 1.0:
        raise QdlabInputError(f"meg efficiency must be > 0 and <= 1 (1: ideal), got "
                              f"{efficiency:g}")
    E = np.asarray(energy_eV, dtype=float)
    return entry.function(E, float(gap_eV), float(efficiency))
