r"""Weak confinement of the exciton in a sphere (CuCl): centre-of-mass quantisation.

Model
-----
When the radius is several exciton Bohr radii, the electron-hole pair stays a bound
exciton and only its centre of mass (mass :math:`M = m_e + m_h`) is confined
(Efros & Efros 1982; Ekimov, Efros & Onushchenko 1985).  The surface repels the
relative motion, which Kayanuma (1988) describes by a dead layer :math:`\eta a_B`:

.. math::

    E_1 = E_g - R_X + \frac{\hbar^2\pi^2}{2M(R - \eta a_B)^2},\qquad \eta = 1/2,

with :math:`R_X = \mu e^4/(2\hbar^2\varepsilon^2)` and
:math:`a_B = \varepsilon\hbar^2/(\mu e^2)` from the record's masses and
``eps_static``.  The ground state of CuCl's band edge is the :math:`Z_3` exciton of
the s-like conduction band and the :math:`\Gamma_7` (:math:`j = 1/2`) valence band,
so the Bloch sum over the 2x2 states is :math:`\tfrac23P^2` and

.. math::

    f = \tfrac23\frac{E_P}{E_1}|K|^2,\qquad
    |K|^2 = \Big|\int\Psi_{COM}\,d^3R\Big|^2|\phi(0)|^2
          = \frac{8R_{\rm eff}^3}{\pi^2 a_B^3}

(the giant oscillator strength of the confined exciton, :math:`\phi(0)^2 =
1/\pi a_B^3`; never below the uncorrelated value 1).  :math:`E_P` follows from the
two-band relation :math:`m_0/m_e = 1 + E_P/(3E_g)` (:func:`kane_energy_two_band`).

References
----------
.. [1] Al. L. Efros and A. L. Efros, Sov. Phys. Semicond. 16, 772 (1982).
.. [2] A. I. Ekimov, Al. L. Efros and A. A. Onushchenko, Solid State Commun. 56, 921
   (1985).
.. [3] Y. Kayanuma, Phys. Rev. B 38, 9797 (1988).

Examples
--------
>>> out = weak_confinement_sphere_levels("CuCl", [2.0, 5.0])
>>> bool(out["energy_eV"][0] > out["energy_eV"][1])
True
"""

from __future__ import annotations

import math

import numpy as np

from qdlab.constants import HBAR2_2M0
from qdlab.errors import QdlabInputError, check_positive

__all__ = ["WEAK_CONFINEMENT_MATERIALS", "kane_energy_two_band",
           "weak_confinement_sphere_levels"]

#: Materials routed to this model (band-edge exciton with a j = 1/2 valence band).
WEAK_CONFINEMENT_MATERIALS: tuple[str, ...] = ("CuCl",)
_ETA = 0.5


def kane_energy_two_band(eg_eV, electron_mass_m0):
    r"""Kane energy (eV) from :math:`m_0/m_e = 1 + E_P/(3E_g)` (s to j = 1/2 coupling).

    References
    ----------
    .. [1] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.

    Examples
    --------
    >>> round(kane_energy_two_band(3.29, 0.5), 2)
    9.87
    """
    check_positive(eg_eV, "eg_eV", "eV")
    check_positive(electron_mass_m0, "electron_mass_m0", "m0")
    return 3.0 * eg_eV * (1.0 / electron_mass_m0 - 1.0)


def weak_confinement_sphere_levels(material, radius_nm, temperature: float = 300.0) -> dict:
    r"""Band-edge exciton of a sphere in weak confinement (see module notes).

    Parameters
    ----------
    material : str or Material
        ``"CuCl"``.
    radius_nm : array_like
        Sphere radius, nm; must exceed the dead layer :math:`\eta a_B`.
    temperature : float
        K.

    Returns
    -------
    dict of ndarray
        ``energy_eV``, ``oscillator_strength``, ``kane_energy_eV`` and the scalars
        ``bohr_radius_nm``, ``exciton_binding_eV``.

    See Also
    --------
    qdlab.electronic.kp.perovskite.perovskite_cube_levels : the same regimes for CsPbX3 cubes.

    References
    ----------
    .. [1] Al. L. Efros and A. L. Efros, Sov. Phys. Semicond. 16, 772 (1982). Bibliography ``efros1982``.
    .. [2] A. I. Ekimov, Al. L. Efros and A. A. Onushchenko, Solid State Commun. 56, 921
       (1985). Bibliography ``ekimov1985``.
    .. [3] Y. Kayanuma, Phys. Rev. B 38, 9797 (1988). Bibliography ``kayanuma1988``.
    """
    from qdlab.structures.spheres import resolve_material

    m = resolve_material(material)
    if m.name not in WEAK_CONFINEMENT_MATERIALS:
        raise QdlabInputError(f"material must be one of {', '.join(WEAK_CONFINEMENT_MATERIALS)}"
                              f" for the weak-confinement exciton model, got {m.name!r}")
    R = np.atleast_1d(np.asarray(radius_nm, dtype=float))
    check_positive(R, "radius", "nm")
    ab = m.exciton_bohr_radius_nm
    if np.any(R <= _ETA * ab):
        raise QdlabInputError(f"radius must be > {_ETA * ab:.3g} nm (the exciton dead layer) "
                              f"for the weak-confinement model of {m.name}, got {R.min():g}")
    eg = float(m.band_gap(temperature))
    M = m.electron_mass + m.hole_mass
    reff = R - _ETA * ab
    e1 = eg - m.exciton_rydberg_eV + HBAR2_2M0 * math.pi**2 / (M * reff**2)
    ep = kane_energy_two_band(eg, m.electron_mass)
    k2 = np.maximum(8.0 * reff**3 / (math.pi**2 * ab**3), 1.0)
    return {"energy_eV": e1, "oscillator_strength": (2.0 / 3.0) * ep / e1 * k2,
            "kane_energy_eV": np.full(R.shape, ep), "bohr_radius_nm": ab,
            "exciton_binding_eV": m.exciton_rydberg_eV}
