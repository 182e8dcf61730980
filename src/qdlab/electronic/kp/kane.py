r"""Conduction electrons of layered spheres in the three-band Kane model (energy-dependent mass).

Eliminating the valence-band components of the 8-band Kane Hamiltonian for
the conduction-band envelope gives a single equation with an energy-dependent
mass (Kane [1]_, Bastard [2]_; in nanocrystals Efros & Rosen [3]_).  With the
Kane energy :math:`E_p = 2P^2 m_0/\hbar^2`, the gap :math:`E_g` and the
spin-orbit splitting :math:`\Delta`, measured from the conduction-band edge
:math:`\varepsilon = E - E_c`,

.. math::

    \frac{m_0}{m(\varepsilon)} = \Big(\frac{m_0}{m^*} - \frac{E_p}{3}
        \Big[\frac{2}{E_g} + \frac{1}{E_g + \Delta}\Big]\Big)
      + \frac{E_p}{3}\Big[\frac{2}{E_g + \varepsilon} + \frac{1}{E_g + \Delta + \varepsilon}\Big] .

The first bracket is the remote-band (and free-electron) part, fixed so that the
band-edge mass is the measured :math:`m^*`; the second is the exact coupling to
the light-hole, heavy-hole and split-off bands.  The envelope obeys the
BenDaniel-Duke equation with :math:`m(\varepsilon)` evaluated at the level in
each layer, and :math:`R` and :math:`R'/m(\varepsilon)` are continuous at the
interfaces: these are the boundary conditions of the 8-band envelope (current
conservation) once the valence components are eliminated [2]_.

Without :math:`E_p` for a layer the two-band form :math:`m^*(1 + \varepsilon/E_g)`
of :mod:`qdlab.electronic.sphere.radial` is used (the single-band model's choice).
Far below a band edge (tunnelling into a shell) the factor is clipped like
:data:`~qdlab.electronic.sphere.radial.KANE_MIN_FACTOR`.

References
----------
.. [1] E. O. Kane, "Band structure of indium antimonide", J. Phys. Chem. Solids 1,
   249 (1957).
.. [2] G. Bastard, "Superlattice band structure in the envelope-function
   approximation", Phys. Rev. B 24, 5693 (1981).
.. [3] Al. L. Efros and M. Rosen, "Quantum size level structure of narrow-gap
   semiconductor nanocrystals: effect of band coupling", Phys. Rev. B 58, 7120 (1998).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qdlab.electronic.sphere.radial import RadialSolution
from qdlab.electronic.sphere.shooting import KANE_MIN_FACTOR, _Params, _prepare, _solve
from qdlab.errors import QdlabInputError

__all__ = ["KaneSolution", "kane_energy_three_band", "kane_mass", "optical_kane_energy",
           "solve_kane_electrons"]


def kane_mass(energy_eV, band_edge_mass, gap_eV, kane_energy_eV, spin_orbit_eV):
    r"""Three-band Kane energy-dependent electron mass, in m0.

    Parameters
    ----------
    energy_eV : float or array_like
        Kinetic energy above the conduction-band edge :math:`\varepsilon`, eV.
    band_edge_mass : float or array_like
        Measured band-edge mass :math:`m^*`, m0 (> 0).
    gap_eV, kane_energy_eV, spin_orbit_eV : float or array_like
        :math:`E_g`, :math:`E_p`, :math:`\Delta` in eV.

    Returns
    -------
    ndarray
        :math:`m(\varepsilon)` in m0 (module equation).

    Notes
    -----
    :math:`1/m(\varepsilon) = 1/m^* + (E_p/3)[2/(E_g+\varepsilon) - 2/E_g
    + 1/(E_g+\Delta+\varepsilon) - 1/(E_g+\Delta)]`; for :math:`\Delta \to \infty`
    and no remote bands it is the two-band :math:`m^*(1 + \varepsilon/E_g)` to first order.

    References
    ----------
    .. [1] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.
    .. [2] G. Bastard, *Wave Mechanics Applied to Semiconductor Heterostructures*
       (Les Editions de Physique, 1988), ch. III. Bibliography ``bastard1988``.

    Examples
    --------
    >>> round(float(kane_mass(0.0, 0.12, 1.74, 17.5, 0.42)), 4)
    0.12
    >>> round(float(kane_mass(0.5, 0.12, 1.74, 17.5, 0.42)), 4)   # CdSe, 0.5 eV up
    0.158
    """
    e = np.asarray(energy_eV, dtype=float)
    m, eg, ep, d = (np.asarray(x, dtype=float) for x in
                    (band_edge_mass, gap_eV, kane_energy_eV, spin_orbit_eV))
    inv = 1.0 / m + ep / 3.0 * (2.0 / (eg + e) - 2.0 / eg + 1.0 / (eg + d + e) - 1.0 / (eg + d))
    return 1.0 / inv


def kane_energy_three_band(eg_eV, electron_mass_m0, spin_orbit_eV=0.0):
    r"""Kane energy :math:`E_p` (eV) from the band-edge electron mass, remote bands neglected.

    The S-like conduction band coupled to the J = 3/2 and split-off valence bands of
    zinc-blende and wurtzite semiconductors (for the mirror-like bands of lead salts,
    perovskites and CuCl see :func:`qdlab.electronic.kp.weak.kane_energy_two_band`).

    Parameters
    ----------
    eg_eV : float or array_like
        Band gap :math:`E_g`, eV (> 0).
    electron_mass_m0 : float or array_like
        Measured band-edge electron mass :math:`m^*`, m0 (0 < m* < 1).
    spin_orbit_eV : float or array_like
        Spin-orbit splitting :math:`\Delta`, eV (>= 0; 0 when it is not known).

    Returns
    -------
    ndarray
        :math:`E_p` in eV.

    Notes
    -----
    The module's mass equation at the band edge (:math:`\varepsilon = 0`) with the
    remote-band part set to the free-electron term (Kane's :math:`F = 0`):

    .. math::

        \frac{m_0}{m^*} = 1 + \frac{E_p}{3}\Big[\frac{2}{E_g} + \frac{1}{E_g + \Delta}\Big]
        \;\Rightarrow\;
        E_p = \frac{3(m_0/m^* - 1)}{2/E_g + 1/(E_g + \Delta)} .

    Remote bands make the mass heavier (:math:`F < 0` in the tetrahedral II-VI and
    III-V semiconductors), so this is a lower bound of :math:`E_p`.  For the
    zinc-blende and wurtzite materials of the database whose :math:`E_p` is measured
    (CdSe, CdTe, ZnSe, ZnTe, GaAs, InP, InAs, InSb) the stored value is 1.14-1.63 times
    this estimate (``tests/test_kane_estimate.py`` prints the ratios).

    References
    ----------
    .. [1] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.
    .. [2] I. Vurgaftman, J. R. Meyer and L. R. Ram-Mohan, J. Appl. Phys. 89, 5815
       (2001). Bibliography ``vurgaftman2001``.

    Examples
    --------
    >>> round(float(kane_energy_three_band(1.74, 0.12, 0.42)), 2)   # CdSe: 17.5 measured
    13.64
    """
    eg, m, d = (np.asarray(x, dtype=float) for x in (eg_eV, electron_mass_m0, spin_orbit_eV))
    if np.any(~(m > 0)) or np.any(~(m < 1)):
        raise QdlabInputError(f"electron_mass_m0 must be in (0, 1) m0, got {electron_mass_m0!r}")
    if np.any(~(eg > 0)) or np.any(~(d >= 0)):
        raise QdlabInputError(f"eg_eV must be > 0 eV and spin_orbit_eV >= 0 eV, got "
                              f"{eg_eV!r} and {spin_orbit_eV!r}")
    return 3.0 * (1.0 / m - 1.0) / (2.0 / eg + 1.0 / (eg + d))


def optical_kane_energy(material, temperature_K: float = 300.0) -> tuple[float, bool]:
    r"""Kane energy (eV) for oscillator strengths: the stored value, or the mass estimate.

    Parameters
    ----------
    material : Material
        A direct-gap material.
    temperature_K : float
        Temperature of the band gap used by the estimate, K.

    Returns
    -------
    (float, bool)
        :math:`E_p` in eV, and True when it is the lower-bound estimate of
        :func:`kane_energy_three_band` (no measured :math:`E_p` stored: CdS, ZnO).

    Notes
    -----
    Band-edge absolute oscillator strengths scale with :math:`E_p`; with the estimate
    they are lower bounds, typically 1.1-1.6x low (see :func:`kane_energy_three_band`).
    Energies are not affected.

    References
    ----------
    .. [1] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.

    Examples
    --------
    >>> from qdlab.materials import get_material
    >>> ep, derived = optical_kane_energy(get_material("CdS"))
    >>> round(ep, 2), derived
    (9.76, True)
    >>> optical_kane_energy(get_material("CdSe"))
    (17.5, False)
    """
    if material.kane_energy_eV:
        return float(material.kane_energy_eV), False
    ep = kane_energy_three_band(material.band_gap(temperature_K), material.electron_mass,
                                material.spin_orbit_eV or 0.0)
    return float(ep), True


@dataclass(frozen=True)
class _KaneParams(_Params):
    """Structure parameters with per-region Kane energies and spin-orbit splittings."""

    ep: np.ndarray = None     # (N, L+1) Kane energy, eV (nan: two-band form)
    so: np.ndarray = None     # (N, L+1) spin-orbit splitting, eV

    def take(self, idx):
        return _KaneParams(self.r[idx], self.V[idx], self.m[idx], self.g[idx],
                           self.ep[idx], self.so[idx])

    def masses(self, E):
        with np.errstate(invalid="ignore", divide="ignore"):
            eps = E[:, None] - self.V
            two = self.m * np.maximum(1.0 + eps / self.g, KANE_MIN_FACTOR)
            three = kane_mass(eps, self.m, self.g, self.ep, self.so)
            # clip like the two-band form where the model leaves its domain
            bad = ~(three > KANE_MIN_FACTOR * self.m) | (eps < -0.95 * self.g)
            three = np.where(bad, KANE_MIN_FACTOR * self.m, three)
        out = np.where(np.isfinite(self.ep), three, two)
        return np.where(np.isfinite(self.g), out, self.m)


@dataclass(frozen=True, eq=False)
class KaneSolution(RadialSolution):
    """:class:`~qdlab.electronic.sphere.radial.RadialSolution` with three-band Kane masses."""

    kane_energy_eV: np.ndarray = None
    spin_orbit_eV: np.ndarray = None

    @property
    def _params(self) -> _KaneParams:
        return _KaneParams(self.radii_nm, self.potential_eV, self.mass, self.gap_eV,
                           self.kane_energy_eV, self.spin_orbit_eV)


def solve_kane_electrons(radii_nm, potential_eV, mass, gap_eV, kane_energy_eV, spin_orbit_eV,
                         l: int = 0, n_states: int = 1) -> KaneSolution:
    r"""Electron levels of layered spheres with the three-band Kane mass, vectorised.

    Parameters
    ----------
    radii_nm : array_like, shape (N, L) or (L,)
        Outer radii of the layers, nm.
    potential_eV : array_like, shape (N, L+1) or (L+1,)
        Conduction-band edges of the layers and the medium (may be ``+inf``), eV.
    mass : array_like, shape (N, L+1) or (L+1,)
        Band-edge masses, m0.
    gap_eV : array_like, shape (N, L+1) or (L+1,)
        Band gaps, eV (``inf`` for a parabolic region such as the medium).
    kane_energy_eV, spin_orbit_eV : array_like, shape (N, L+1) or (L+1,)
        :math:`E_p` and :math:`\Delta` in eV; ``nan`` Kane energy selects the
        two-band form in that region.
    l : int
        Angular momentum (0: 1S_e, 2S_e...; 1: 1P_e...).
    n_states : int
        Number of levels.

    Returns
    -------
    KaneSolution
        As :func:`~qdlab.electronic.sphere.radial.solve_radial`.

    Notes
    -----
    :math:`D(E) = 0` of the BenDaniel-Duke transfer problem with
    :math:`m_i(E - E_{c,i})` from :func:`kane_mass` in every layer (Sturm
    bracketing and Illinois refinement of :mod:`qdlab.electronic.sphere.radial`).

    References
    ----------
    .. [1] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.
    .. [2] G. Bastard, Phys. Rev. B 24, 5693 (1981).

    Examples
    --------
    >>> sol = solve_kane_electrons(2.0, [0.0, 4.0], [0.12, 1.0], [1.74, np.inf],
    ...                            [17.5, np.nan], [0.42, np.nan])
    >>> round(float(sol.energies_eV[0, 0]), 4)
    0.3425
    """
    if isinstance(l, bool) or not isinstance(l, (int, np.integer)) or l < 0:
        raise QdlabInputError(f"l must be an integer >= 0, got {l!r}")
    if isinstance(n_states, bool) or not isinstance(n_states, (int, np.integer)) or n_states < 1:
        raise QdlabInputError(f"n_states must be an integer >= 1, got {n_states!r}")
    p = _prepare(radii_nm, potential_eV, mass, gap_eV)
    N, L1 = p.V.shape
    ep = np.ascontiguousarray(np.broadcast_to(np.asarray(kane_energy_eV, dtype=float), (N, L1)))
    so = np.ascontiguousarray(np.broadcast_to(np.asarray(spin_orbit_eV, dtype=float), (N, L1)))
    fin = np.isfinite(ep)
    if np.any(ep[fin] <= 0) or np.any(~np.isfinite(so[fin])) or np.any(so[fin] < 0):
        raise QdlabInputError("kane_energy_eV must be > 0 eV (nan: two-band) and spin_orbit_eV "
                              ">= 0 eV where a Kane energy is given")
    kp = _KaneParams(p.r, p.V, p.m, p.g, ep, so)
    energies, bound = _solve(kp, int(l), int(n_states))
    return KaneSolution(energies_eV=energies, bound=bound, l=int(l), radii_nm=p.r,
                        potential_eV=p.V, mass=p.m, gap_eV=p.g, n_states=int(n_states),
                        kane_energy_eV=ep, spin_orbit_eV=so)
