r"""Bulk optical constants and the bulk-like (volume) absorption of small particles.

Far above the band gap the density of states of a nanocrystal is quasi-continuous
and its absorption is that of the bulk material in the field inside a small
sphere (Ricard, Ghanassi & Schanne-Klein 1994; Leatherdale et al. 2002; Hens &
Moreels 2012).  For a particle of volume :math:`V` (nm^3) in a medium of index
:math:`n_s`, with complex permittivity :math:`\varepsilon = (n + ik)^2` of the
semiconductor,

.. math::

    \sigma(\lambda) = V\,\mu_i, \qquad
    \mu_i = \frac{2\pi}{n_s\lambda}\,|f_{LF}|^2\,\varepsilon_2
          = \frac{n}{n_s}\,\frac{4\pi k}{\lambda}\,|f_{LF}|^2, \qquad
    f_{LF} = \frac{3\varepsilon_s}{\varepsilon + 2\varepsilon_s},

(:math:`\varepsilon_s = n_s^2`, :math:`\varepsilon_2 = 2nk`); this is the
quasi-static (Rayleigh) absorption cross-section of a small sphere,
:math:`\sigma = (2\pi n_s/\lambda)\,V\,
\mathrm{Im}[3(\varepsilon-\varepsilon_s)/(\varepsilon+2\varepsilon_s)]`.
It scales with the particle volume: the molar extinction
:math:`\epsilon = N_A\sigma/(1000\ln 10)` (M^-1 cm^-1, :math:`\sigma` in cm^2) far above
the gap follows :math:`\epsilon \propto d^3`.

Data: :data:`OPTICAL_CONSTANTS` read from ``optics/data/optical_constants.toml``
(each record with its source).  Only CdSe is tabulated so far.

References
----------
.. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012).
.. [2] I. Moreels et al., ACS Nano 3, 3023 (2009).
.. [3] C. A. Leatherdale, W.-K. Woo, F. V. Mikulec, M. G. Bawendi,
   J. Phys. Chem. B 106, 7619 (2002): C_abs(350 nm) = 5.501e5 cm^-1 a^3.
.. [4] S. Ninomiya and S. Adachi, J. Appl. Phys. 78, 4681 (1995).

Examples
--------
>>> n, k = refractive_index("CdSe", 350.0)
>>> round(float(n), 3), round(float(k), 3)
(2.671, 0.678)
>>> s = bulk_absorption_cross_section("CdSe", 350.0, volume_nm3=4/3*3.14159*2.0**3,
...                                   n_medium=1.375)
>>> round(float(s) / (5.501e5 * (2e-7) ** 3), 2)   # vs Leatherdale 2002, hexane
0.95
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qdlab.errors import QdlabInputError, check_positive, unknown_name_error, warn_validity

__all__ = [
    "OPTICAL_CONSTANTS",
    "OpticalConstants",
    "bulk_absorption_coefficient",
    "bulk_absorption_cross_section",
    "bulk_permittivity",
    "has_optical_constants",
    "refractive_index",
]


@dataclass(frozen=True)
class OpticalConstants:
    """Tabulated complex refractive index of one bulk material.

    Attributes
    ----------
    name, phase, source, note : str
    wavelength_nm, n, k : ndarray
        Ascending wavelengths (nm) and the real / imaginary refractive index.
    """

    name: str
    phase: str
    source: str
    note: str
    wavelength_nm: np.ndarray
    n: np.ndarray
    k: np.ndarray


def _load() -> dict:
    path = Path(__file__).with_name("data") / "optical_constants.toml"
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    out = {}
    for rec in raw.get("material", []):
        arr = np.asarray(rec["data"], dtype=float)
        if arr.ndim != 2 or arr.shape[1] != 3 or np.any(np.diff(arr[:, 0]) <= 0):
            raise QdlabInputError(f"{path}: optical constants of {rec.get('name')} must be "
                                  "ascending [wavelength_um, n, k] rows")
        out[rec["name"]] = OpticalConstants(rec["name"], rec.get("phase", ""), rec["source"],
                                            rec.get("note", ""), arr[:, 0] * 1000.0,
                                            arr[:, 1], arr[:, 2])
    return out


#: Tabulated bulk optical constants by material name.
OPTICAL_CONSTANTS: dict = _load()


def _name(material) -> str:
    return material if isinstance(material, str) else getattr(material, "name", str(material))


def has_optical_constants(material) -> bool:
    """True if bulk optical constants are tabulated for ``material`` (name or Material)."""
    return _name(material) in OPTICAL_CONSTANTS


def refractive_index(material, wavelength_nm):
    """Bulk complex refractive index (n, k) at a wavelength in nm (linear interpolation).

    Raises
    ------
    QdlabInputError
        Unknown material; a warning is issued outside the tabulated range (the
        nearest tabulated value is used).

    See Also
    --------
    bulk_absorption_coefficient

    References
    ----------
    .. [1] S. Ninomiya and S. Adachi, J. Appl. Phys. 78, 4681 (1995). Bibliography
       ``ninomiya1995``.
    """
    name = _name(material)
    if name not in OPTICAL_CONSTANTS:
        raise unknown_name_error("material with optical constants", name, OPTICAL_CONSTANTS)
    oc = OPTICAL_CONSTANTS[name]
    check_positive(wavelength_nm, "wavelength_nm", "nm")
    lam = np.asarray(wavelength_nm, dtype=float)
    lo, hi = oc.wavelength_nm[0], oc.wavelength_nm[-1]
    if np.any((lam < lo) | (lam > hi)):
        warn_validity(f"wavelength outside the tabulated optical constants of {name} "
                      f"({lo:.0f}-{hi:.0f} nm): nearest value used")
    return np.interp(lam, oc.wavelength_nm, oc.n), np.interp(lam, oc.wavelength_nm, oc.k)


def bulk_permittivity(material):
    r"""The bulk complex permittivity of a material as a function of photon energy.

    Parameters
    ----------
    material : str or Material
        A material with tabulated optical constants.

    Returns
    -------
    callable
        ``eps(energy_eV) -> complex ndarray``, :math:`\varepsilon(E) = (n + ik)^2` at
        :math:`\lambda = hc/E` (:func:`refractive_index`).  Used as the frequency-dependent
        dot permittivity of the local-field factor of the k.p band-edge optics
        (:func:`qdlab.electronic.kp.band_edge.dot_permittivity`).

    Raises
    ------
    QdlabInputError
        Unknown material (no optical constants).

    References
    ----------
    .. [1] S. Ninomiya and S. Adachi, J. Appl. Phys. 78, 4681 (1995). Bibliography
       ``ninomiya1995``.

    Examples
    --------
    >>> eps = bulk_permittivity("CdSe")
    >>> e = complex(eps(2.0))
    >>> round(e.real, 2), round(e.imag, 2)
    (6.58, 1.72)
    """
    from qdlab.constants import HC_EV_NM

    name = _name(material)
    if name not in OPTICAL_CONSTANTS:
        raise unknown_name_error("material with optical constants", name, OPTICAL_CONSTANTS)

    def eps(energy_eV):
        check_positive(energy_eV, "energy_eV", "eV")
        n, k = refractive_index(name, HC_EV_NM / np.asarray(energy_eV, dtype=float))
        return (n + 1j * k) ** 2

    return eps


def bulk_absorption_coefficient(material, wavelength_nm, n_medium: float = 1.5):
    r"""Intrinsic absorption coefficient :math:`\mu_i` of a small sphere, in 1/nm.

    Parameters
    ----------
    material : str or Material
    wavelength_nm : float or array_like
        Vacuum wavelength, nm.
    n_medium : float
        Refractive index of the solvent (1.5 toluene, 1.375 hexane).

    Returns
    -------
    ndarray
        :math:`\mu_i = (2\pi/(n_s\lambda)) |f_{LF}|^2 \varepsilon_2`, 1/nm.

    See Also
    --------
    refractive_index, bulk_absorption_cross_section

    References
    ----------
    .. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012). Bibliography ``hens2012``.
    .. [2] C. A. Leatherdale, W.-K. Woo, F. V. Mikulec, M. G. Bawendi, J. Phys. Chem. B 106,
       7619 (2002). Bibliography ``leatherdale2002``.
    """
    check_positive(n_medium, "n_medium")
    n, k = refractive_index(material, wavelength_nm)
    eps = (n + 1j * k) ** 2
    eps_s = n_medium**2
    flf2 = np.abs(3 * eps_s / (eps + 2 * eps_s)) ** 2
    lam = np.asarray(wavelength_nm, dtype=float)
    return 2 * np.pi / (n_medium * lam) * flf2 * eps.imag


def bulk_absorption_cross_section(material, wavelength_nm, volume_nm3, n_medium: float = 1.5):
    """Bulk-like absorption cross-section :math:`V\\mu_i` in cm^2 (volume in nm^3).

    See Also
    --------
    bulk_absorption_coefficient

    References
    ----------
    .. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012). Bibliography ``hens2012``.
    .. [2] C. A. Leatherdale, W.-K. Woo, F. V. Mikulec, M. G. Bawendi, J. Phys. Chem. B 106,
       7619 (2002). Bibliography ``leatherdale2002``.
    """
    check_positive(volume_nm3, "volume_nm3", "nm^3")
    mu = bulk_absorption_coefficient(material, wavelength_nm, n_medium)
    return np.asarray(volume_nm3) * mu * 1e-14
