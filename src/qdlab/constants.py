"""Physical constants in qdlab's units (nm, eV, K, s).

All values are CODATA 2018 (E. Tiesinga et al., Rev. Mod. Phys. 93, 025010 (2021)),
taken from :mod:`scipy.constants` and converted once here so that every model
uses the same numbers.

Examples
--------
>>> round(HBAR2_2M0, 6)   # hbar^2 / (2 m0) in eV nm^2
0.0381
>>> round(COULOMB_EV_NM, 5)   # e^2 / (4 pi eps0) in eV nm
1.43996
"""

from __future__ import annotations

from scipy import constants as _c

#: hbar^2 / (2 m0) in eV nm^2 (kinetic-energy prefactor for a free electron).
HBAR2_2M0: float = _c.hbar**2 / (2 * _c.m_e) / _c.e * 1e18
#: e^2 / (4 pi eps0) in eV nm (Coulomb prefactor).
COULOMB_EV_NM: float = _c.e / (4 * _c.pi * _c.epsilon_0) * 1e9
#: Hydrogen Rydberg energy in eV.
RYDBERG_EV: float = _c.physical_constants["Rydberg constant times hc in eV"][0]
#: Bohr radius in nm.
BOHR_RADIUS_NM: float = _c.physical_constants["Bohr radius"][0] * 1e9
#: Boltzmann constant in eV/K.
KB_EV: float = _c.k / _c.e
#: Planck constant times speed of light in eV nm (E[eV] = HC_EV_NM / lambda[nm]).
HC_EV_NM: float = _c.h * _c.c / _c.e * 1e9
#: Avogadro constant in 1/mol.
AVOGADRO: float = _c.N_A
#: Free-electron mass in kg.
M0_KG: float = _c.m_e
#: Elementary charge in C.
E_CHARGE: float = _c.e
#: Reduced Planck constant in eV s.
HBAR_EV_S: float = _c.hbar / _c.e
#: Speed of light in nm/s.
C_NM_S: float = _c.c * 1e9
#: Vacuum permittivity in F/m.
EPS0: float = _c.epsilon_0

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
