"""Physical constants in qdlab's units (nm, eV, K, s).

All values are CODATA 2022 (P. J. Mohr, D. B. Newell, B. N. Taylor and E. Tiesinga,
Rev. Mod. Phys. 97, 025002 (2025)), the values :mod:`scipy.constants` (scipy >= 1.15)
returns; they are written out here as plain floats, bit for bit the same, so that
importing qdlab (and starting the command line) does not import scipy.constants
(~0.3 s).  Since the 2019 SI, ``h``, ``e``, ``k``, ``N_A`` and ``c`` are exact; the
electron mass, the vacuum permittivity, the Rydberg energy and the Bohr radius are
measured (relative standard uncertainties 3e-10, 1.6e-10, 1.1e-12 and 1.6e-10).
Derived values are converted once here so that every model uses the same numbers.

Examples
--------
>>> round(HBAR2_2M0, 6)   # hbar^2 / (2 m0) in eV nm^2
0.0381
>>> round(COULOMB_EV_NM, 5)   # e^2 / (4 pi eps0) in eV nm
1.43996
"""

from __future__ import annotations

import math as _math

# CODATA 2022 defining and measured values (SI units), as in scipy.constants.
_H = 6.62607015e-34                 # Planck constant, J s (exact)
_HBAR = _H / (2 * _math.pi)          # reduced Planck constant, J s (exact)
_E = 1.602176634e-19                 # elementary charge, C (exact)
_K = 1.380649e-23                    # Boltzmann constant, J/K (exact)
_N_A = 6.02214076e23                 # Avogadro constant, 1/mol (exact)
_C = 299792458.0                     # speed of light in vacuum, m/s (exact)
_M_E = 9.1093837139e-31              # electron mass, kg
_EPSILON_0 = 8.8541878188e-12        # vacuum electric permittivity, F/m
_RYDBERG_HC_EV = 13.60569312299      # Rydberg constant times hc, eV
_BOHR_RADIUS_M = 5.29177210544e-11   # Bohr radius, m

#: hbar^2 / (2 m0) in eV nm^2 (kinetic-energy prefactor for a free electron).
HBAR2_2M0: float = _HBAR**2 / (2 * _M_E) / _E * 1e18
#: e^2 / (4 pi eps0) in eV nm (Coulomb prefactor).
COULOMB_EV_NM: float = _E / (4 * _math.pi * _EPSILON_0) * 1e9
#: Hydrogen Rydberg energy in eV.
RYDBERG_EV: float = _RYDBERG_HC_EV
#: Bohr radius in nm.
BOHR_RADIUS_NM: float = _BOHR_RADIUS_M * 1e9
#: Boltzmann constant in eV/K.
KB_EV: float = _K / _E
#: Planck constant times speed of light in eV nm (E[eV] = HC_EV_NM / lambda[nm]).
HC_EV_NM: float = _H * _C / _E * 1e9
#: Avogadro constant in 1/mol.
AVOGADRO: float = _N_A
#: Free-electron mass in kg.
M0_KG: float = _M_E
#: Elementary charge in C.
E_CHARGE: float = _E
#: Reduced Planck constant in eV s.
HBAR_EV_S: float = _HBAR / _E
#: Speed of light in nm/s.
C_NM_S: float = _C * 1e9
#: Vacuum permittivity in F/m.
EPS0: float = _EPSILON_0

__all__ = [
    "AVOGADRO",
    "BOHR_RADIUS_NM",
    "COULOMB_EV_NM",
    "C_NM_S",
    "EPS0",
    "E_CHARGE",
    "HBAR2_2M0",
    "HBAR_EV_S",
    "HC_EV_NM",
    "KB_EV",
    "M0_KG",
    "RYDBERG_EV",
]
