r"""R-point two-band model of CsPbX3 (X = Cl, Br, I) perovskite nanocubes.

Model
-----
*Bands.*  At the R point the valence band is s-like (:math:`j = 1/2`) and the
conduction band is the spin-orbit split-off :math:`j = 1/2` band of Pb 6p (Becker et
al. 2018; Sercel, Efros et al. 2019).  The two Kramers doublets are coupled by
:math:`P`; with the bare free-electron term the two-band k.p gives mirror bands of
band-edge mass

.. math:: \frac{m_0}{m^*} = 1 + \frac{E_P}{3E_g},

so :math:`E_P = 3E_g(m_0/m^* - 1)` (:func:`kane_energy_from_mass`), and the
nonparabolic (Kane) kinetic energy of each carrier

.. math:: \epsilon(k)\,\left(1 + \frac{\epsilon(k)}{E_g}\right) = \frac{\hbar^2k^2}{2m^*}.

*Cube of edge L, strong confinement.*  Ground states :math:`\prod\sin(\pi x_i/L)` of an
infinite cube, :math:`k^2 = 3\pi^2/L^2`, first-order Coulomb energy

.. math:: E_s = E_g + 2\epsilon(\sqrt3\pi/L) - C_\square\frac{e^2}{4\pi\varepsilon_0\varepsilon L},
   \qquad C_\square = 3.05,

(:math:`C_\square` is the Coulomb integral of the two ground-state densities, computed
by Monte-Carlo integration, +-0.002; the sphere analogue is 1.786).

*Weak confinement* (:math:`L \gg a_B`): the exciton (binding :math:`R_X`, Bohr radius
:math:`a_B`) is quantised as a whole, its centre of mass in a cube shrunk by a dead
layer :math:`\eta a_B` on each face (Kayanuma 1988; Efros & Efros 1982):

.. math:: E_w = E_g - R_X + \frac{\hbar^2}{2M}\frac{3\pi^2}{(L - 2\eta a_B)^2},
   \qquad M = m_e + m_h,\ \eta = 1/2.

*Interpolation.*  Both are energies of trial states of the same Hamiltonian
(uncorrelated pair; correlated exciton with confined centre of mass), so the lower
one, :math:`E_1 = \min(E_s, E_w)`, is the better variational estimate at every size
(the crossover lies near :math:`L \approx 2.5 a_B`).  This follows the strong/weak
regime analysis of Brennan, Kuno et al. (2017) for CsPbBr3 cubes.

*Oscillator strength.*  For s (VB) to :math:`j=1/2` (CB) the Bloch sum over the 2x2
spin states is :math:`\tfrac23P^2`, so :math:`f = \tfrac23(E_P/E)|K|^2`, with
:math:`|K|^2 = 1` in strong confinement and, in weak confinement, the giant oscillator
strength of the centre-of-mass state
:math:`|K|^2 = |\int\Psi_{COM}|^2|\phi(0)|^2 = 512\,L_{eff}^3/(\pi^7 a_B^3)`
(:math:`\phi(0)^2 = 1/\pi a_B^3`), never below the uncorrelated value 1.

Known limitations
-----------------
No exciton fine structure (bright triplet / dark singlet, Becker 2018), no dielectric
image terms, cubic phase only; the Kane energy is the two-band estimate from the
record's mass (:func:`kane_energy_from_mass`), not a measured value.  No published
CsPbX3 size series is stored in qdlab, so the first-exciton energies are not
validated against measurements here.

References
----------
.. [1] M. A. Becker et al., Nature 553, 189 (2018).
.. [2] P. C. Sercel, J. L. Lyons, D. Wickramaratne, R. Vaxenburg, N. Bernstein,
   Al. L. Efros, Nano Lett. 19, 4068 (2019).
.. [3] M. C. Brennan, J. E. Herr, T. S. Nguyen-Beck, J. Zinna, S. Draguta,
   S. Rouvimov, J. Parkhill, M. Kuno, J. Am. Chem. Soc. 139, 12201 (2017).
.. [4] Y. Kayanuma, Phys. Rev. B 38, 9797 (1988).
.. [5] L. Protesescu et al., Nano Lett. 15, 3692 (2015).

Examples
--------
>>> e = perovskite_cube_levels("CsPbBr3", [5.0, 8.0, 12.0])
>>> [round(float(x), 3) for x in e["energy_eV"]]
[2.574, 2.42, 2.356]
"""

from __future__ import annotations

import math

import numpy as np

from qdlab.constants import BOHR_RADIUS_NM, COULOMB_EV_NM, HBAR2_2M0, RYDBERG_EV
from qdlab.errors import QdlabInputError, check_positive

__all__ = ["CUBE_COULOMB_COEFFICIENT", "PEROVSKITES", "kane_energy_from_mass",
           "perovskite_cube_levels"]

#: First-order Coulomb coefficient of the ground states of an infinite cube (see notes).
CUBE_COULOMB_COEFFICIENT: float = 3.05
#: Materials the model applies to.
PEROVSKITES: tuple[str, ...] = ("CsPbCl3", "CsPbBr3", "CsPbI3")
_ETA = 0.5


def kane_energy_from_mass(eg_eV, mass_m0):
    r"""Kane energy :math:`E_P = 3E_g(m_0/m^* - 1)` of the R-point two-band model, eV.

    References
    ----------
    .. [1] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.

    Examples
    --------
    >>> round(kane_energy_from_mass(2.36, 0.252), 1)
    21.0
    """
    check_positive(eg_eV, "eg_eV", "eV")
    check_positive(mass_m0, "mass_m0", "m0")
    return 3.0 * eg_eV * (1.0 / mass_m0 - 1.0)


def perovskite_cube_levels(material, edge_nm, temperature: float = 300.0) -> dict:
    r"""Band-edge exciton of CsPbX3 cubes across the confinement regimes.

    Parameters
    ----------
    material : str or Material
        ``"CsPbCl3"``, ``"CsPbBr3"`` or ``"CsPbI3"``.
    edge_nm : array_like
        Cube edge length L, nm (> 0).
    temperature : float
        K (sets :math:`E_g`).

    Returns
    -------
    dict of ndarray
        ``energy_eV`` (first exciton), ``strong_eV``, ``weak_eV``,
        ``oscillator_strength``, ``regime`` (0 strong, 1 weak), ``kane_energy_eV``.

    See Also
    --------
    qdlab.electronic.kp.weak.weak_confinement_sphere_levels : weak-confinement CuCl spheres.
    qdlab.electronic.kp.kang_wise.lead_salt_levels : lead-salt spheres.

    Notes
    -----
    :math:`E_1 = \min(E_s, E_w)`, see the module notes.  :math:`R_X` and :math:`a_B`
    follow from :math:`\mu = m_em_h/(m_e+m_h)` and the record's ``eps_static``
    (the effective exciton permittivity).

    References
    ----------
    .. [1] M. A. Becker et al., Nature 553, 189 (2018). Bibliography ``becker2018``.
    .. [2] P. C. Sercel, J. L. Lyons, D. Wickramaratne, R. Vaxenburg, N. Bernstein,
       Al. L. Efros, Nano Lett. 19, 4068 (2019). Bibliography ``sercel2019``.
    .. [3] M. C. Brennan et al., J. Am. Chem. Soc. 139, 12201 (2017). Bibliography ``brennan2017``.
    .. [4] Y. Kayanuma, Phys. Rev. B 38, 9797 (1988). Bibliography ``kayanuma1988``.
    .. [5] L. Protesescu et al., Nano Lett. 15, 3692 (2015). Bibliography ``protesescu2015``.
    """
    from qdlab.structures.spheres import resolve_material

    m = resolve_material(material)
    if m.name not in PEROVSKITES:
        raise QdlabInputError(f"material must be one of {', '.join(PEROVSKITES)} for the "
                              f"perovskite cube model, got {m.name!r}")
    L = np.atleast_1d(np.asarray(edge_nm, dtype=float))
    check_positive(L, "edge", "nm")
    eg = float(m.band_gap(temperature))
    me, mh = m.electron_mass, m.hole_mass
    mstar = 2.0 * me * mh / (me + mh)
    ep = kane_energy_from_mass(eg, mstar)
    eps = m.eps_static
    mu = me * mh / (me + mh)
    rx = RYDBERG_EV * mu / eps**2
    ab = BOHR_RADIUS_NM * eps / mu
    t = HBAR2_2M0 * 3.0 * math.pi**2 / L**2
    e_e = 0.5 * eg * (np.sqrt(1.0 + 4.0 * t / (me * eg)) - 1.0)
    e_h = 0.5 * eg * (np.sqrt(1.0 + 4.0 * t / (mh * eg)) - 1.0)
    strong = eg + e_e + e_h - CUBE_COULOMB_COEFFICIENT * COULOMB_EV_NM / (eps * L)
    leff = L - 2.0 * _ETA * ab
    with np.errstate(divide="ignore", invalid="ignore"):
        weak = np.where(leff > 0, eg - rx + HBAR2_2M0 * 3 * math.pi**2 / ((me + mh) * leff**2),
                        np.inf)
    e1 = np.minimum(strong, weak)
    regime = (weak < strong).astype(int)
    k2_weak = np.where(leff > 0, 8.0**3 * np.maximum(leff, 0) ** 3 / (math.pi**7 * ab**3), 0.0)
    k2 = np.where(regime == 1, np.maximum(k2_weak, 1.0), 1.0)
    f = (2.0 / 3.0) * ep / e1 * k2
    return {"energy_eV": e1, "strong_eV": strong, "weak_eV": weak, "oscillator_strength": f,
            "regime": regime, "kane_energy_eV": np.full(L.shape, ep),
            "bohr_radius_nm": ab, "exciton_binding_eV": rx}
