"""Solar cells from quantum dots: detailed balance with real absorptance, MEG, tandems.

Modules: :mod:`.spectrum` (AM1.5G via pvlib, black body), :mod:`.absorbers` (step with an
Urbach tail; quantum-dot films from the ensemble's extinction), :mod:`.meg` (quantum
yield models), :mod:`.balance` (J-V, Voc, Jsc, FF, efficiency), :mod:`.tandem` (two
series junctions) and :mod:`.cell` (the one-call entry points).
"""

from qdlab.devices.solar.absorbers import (
    DEFAULT_PACKING_FRACTION,
    film_absorptance,
    film_absorption_coefficient,
    step_absorptance,
)
from qdlab.devices.solar.balance import CellDiode, SolarResult, detailed_balance
from qdlab.devices.solar.cell import PUBLISHED_PBS_DEVICE, dot_cell, step_cell
from qdlab.devices.solar.meg import MEG_METHODS, meg_quantum_yield
from qdlab.devices.solar.spectrum import am15g, blackbody_photon_flux
from qdlab.devices.solar.tandem import TandemResult, tandem_limit

__all__ = ["DEFAULT_PACKING_FRACTION", "MEG_METHODS", "PUBLISHED_PBS_DEVICE", "CellDiode",
           "SolarResult", "TandemResult", "am15g", "blackbody_photon_flux", "detailed_balance",
           "dot_cell", "film_absorptance", "film_absorption_coefficient", "meg_quantum_yield",
           "step_absorptance", "step_cell", "tandem_limit"]
