r"""Two-junction, series-connected (two-terminal) tandem in the detailed balance.

The top cell sees the sun; the bottom cell sees what the top cell transmits,
:math:`(1 - A_{top}(E))\Phi_{sun}(E)`.  Each sub-cell has its own
:class:`~qdlab.devices.solar.balance.CellDiode`.  In series one current
:math:`J` flows through both, and the tandem's voltage is
:math:`V(J) = V_{top}(J) + V_{bot}(J)`; the maximum power point maximises
:math:`J\,V(J)` for :math:`0 < J < \min(J_{sc,top}, J_{sc,bot})` (current matching:
the lower short-circuit current limits the stack).  Luminescent coupling (the top
cell's emission absorbed by the bottom cell) is neglected, as in De Vos (1980).

References
----------
.. [1] A. De Vos, Detailed balance limit of the efficiency of tandem solar cells,
   J. Phys. D 13, 839 (1980).
.. [2] S. P. Bremner, C. Yi, I. Almansouri, A. Ho-Baillie, M. A. Green, Optimum band gap
   combinations to make best use of new photovoltaic materials, Solar Energy 135, 750
   (2016).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from qdlab.devices.solar.balance import CellDiode, SolarResult
from qdlab.devices.solar.spectrum import AM15G_IRRADIANCE_W_M2, SolarSpectrum, am15g

__all__ = ["TandemResult", "tandem_limit"]


@dataclass(frozen=True)
class TandemResult:
    """A series tandem: the stack's figures and each sub-cell alone under its light."""

    efficiency: float
    voc_V: float
    jsc_mA_cm2: float
    ff: float
    jmpp_mA_cm2: float
    vmpp_V: float
    top: SolarResult
    bottom: SolarResult

    def to_dict(self) -> dict:
        """JSON-ready dict (the sub-cells without their J-V curves)."""
        return {"efficiency_limit": self.efficiency, "voc_V": self.voc_V,
                "jsc_mA_cm2": self.jsc_mA_cm2, "ff": self.ff, "vmpp_V": self.vmpp_V,
                "jmpp_mA_cm2": self.jmpp_mA_cm2, "top": self.top.to_dict(curve=False),
                "bottom": self.bottom.to_dict(curve=False)}


def tandem_limit(absorptance_top, absorptance_bottom, *, sun: SolarSpectrum | None = None,
                 temperature_K: float = 300.0, ere: float = 1.0) -> TandemResult:
    """Detailed-balance limit of a two-terminal (series) tandem.

    Parameters
    ----------
    absorptance_top, absorptance_bottom : ndarray
        A(E) of the two absorbers on the bins of ``sun``.
    sun : SolarSpectrum, optional
        Default AM1.5G.
    temperature_K : float
        Cell temperature, K.
    ere : float
        External radiative efficiency of both sub-cells.

    Returns
    -------
    TandemResult

    Examples
    --------
    >>> from qdlab.devices.solar.absorbers import step_absorptance
    >>> sun = am15g()
    >>> top = step_absorptance(sun.energy_eV, 1.6, step_eV=sun.step_eV)
    >>> bot = step_absorptance(sun.energy_eV, 0.95, step_eV=sun.step_eV)
    >>> r = tandem_limit(top, bot, sun=sun)
    >>> 0.44 < r.efficiency < 0.47
    True
    """
    sun = am15g() if sun is None else sun
    a_top = np.asarray(absorptance_top, dtype=float)
    top = CellDiode(a_top, sun, temperature_K=temperature_K, ere=ere)
    bot = CellDiode(absorptance_bottom, sun, temperature_K=temperature_K, ere=ere,
                    filter_=np.clip(1.0 - a_top, 0.0, 1.0))
    jsc = min(top.j_gen, bot.j_gen)

    def volts(j):
        return top.voltage_at(j) + bot.voltage_at(j)

    opt = minimize_scalar(lambda j: -j * volts(j), bounds=(0.0, jsc), method="bounded",
                          options={"xatol": 1e-6})
    jm = float(opt.x)
    vm = volts(jm)
    voc = volts(0.0)
    eff = jm * vm * 10.0 / AM15G_IRRADIANCE_W_M2
    return TandemResult(eff, voc, jsc, jm * vm / (jsc * voc) if jsc * voc > 0 else 0.0,
                        jm, vm, top.result(), bot.result())
