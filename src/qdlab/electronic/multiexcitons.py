r"""Biexcitons, trions, Auger recombination and quantum yields from the solver's states.

From the lowest electron and hole states of a layered sphere (the exact radial solver,
:func:`qdlab.electronic.sphere.solve_sphere`) this module builds the band-edge
multicarrier complexes of a nanocrystal -- the neutral exciton X, the biexciton XX and
the charged excitons (trions) X\ :sup:`+` (two holes, one electron) and X\ :sup:`-` (two
electrons, one hole) -- with their energies, radiative and Auger rates and quantum
yields.

Energies (first order in the Coulomb interaction)
-------------------------------------------------
With every carrier in its ground orbital (1S\ :sub:`e`, 1S\ :sub:`h`), the energy of a
complex of :math:`n_e` electrons and :math:`n_h` holes is, to first order
(Brus 1984; the same terms as the exciton of :mod:`qdlab.electronic.sphere.coulomb`),

.. math::

    E(n_e, n_h) = n_e(\varepsilon_e + \Sigma_e) + n_h(\varepsilon_h + \Sigma_h)
        - n_e n_h J_{eh} + \binom{n_e}{2} J_{ee} + \binom{n_h}{2} J_{hh},

with :math:`\varepsilon` the single-particle energies, :math:`\Sigma` the
self-polarisation (own-image) energies and the direct Coulomb integrals

.. math::

    J_{ab} = \frac{e^2}{4\pi\varepsilon_0}\int_0^\infty
        \frac{F_a(r)F_b(r)}{\varepsilon(r)\,r^2}\,dr ,\qquad
    F(r) = \int_0^r P(r')r'^2dr' ,

evaluated exactly for the spherical densities in the layered dielectric, *including*
the mutual image interaction of the two carriers
(:func:`qdlab.electronic.sphere.coulomb.coulomb_energy`; the same function for
:math:`J_{ee}` and :math:`J_{hh}` with both densities equal).  The two electrons
(holes) of XX and X\ :sup:`-` (X\ :sup:`+`) fill the spin-degenerate ground orbital
with opposite spins, so there is no exchange term between them.  The binding
energies (positive = bound, the complex emits below the exciton line) follow:

.. math::

    \Delta_{XX} &= 2E_X - E_{XX} = 2J_{eh} - J_{ee} - J_{hh},\\
    \Delta_{X^-} &= E_X + E_e - E_{X^-} = J_{eh} - J_{ee},\\
    \Delta_{X^+} &= E_X + E_h - E_{X^+} = J_{eh} - J_{hh},

and the emission lines are :math:`E_{XX} - E_X = E_X - \Delta_{XX}` and
:math:`E_{X^\pm} - E_{h,e} = E_X - \Delta_{X^\pm}`.  The single-particle and
self-polarisation terms cancel in the binding energies; the dielectric mismatch
enters through the image parts of the :math:`J`'s.  For identical electron and hole
densities all three vanish (the first-order result; binding then comes from the
correlation, which is not included).  When electron and hole are separated (type II,
CdTe/CdSe, ZnSe/CdS), :math:`J_{ee}` and :math:`J_{hh}` exceed :math:`J_{eh}` and the
biexciton is repulsive, :math:`\Delta_{XX} < 0`, as measured (Klimov et al. 2007;
Oron, Kazes & Banin 2007).

Radiative rates
---------------
The exciton rate :math:`k_{r,X} = 1/\tau_{r,X}` is the thermally averaged band-edge
rate of the k.p states (:func:`qdlab.electronic.kp.lifetimes.kp_radiative_lifetime`:
oscillator strength of :func:`qdlab.electronic.kp.band_edge.kp_band_edge`, Efros fine
structure for wurtzite CdSe cores, the high-temperature limit otherwise).  The
complexes follow the statistical scaling of the strong-confinement regime
(Rajadell et al. 2009; Galland et al. 2012; Nair & Bawendi 2011):

.. math:: k_{r,XX} = 4k_{r,X}, \qquad k_{r,X^\pm} = 2k_{r,X}.

Auger rates (a scaling model)
-----------------------------
The biexciton Auger time of bare nanocrystals of many materials follows the
"universal" volume scaling :math:`\tau_{XX,A} = \beta V` with
:math:`\beta \approx 1` ps nm\ :sup:`-3` (Klimov et al. 2000; Robel et al. 2009;
:data:`DEFAULT_AUGER_BETA_PS_NM3`).  A biexciton decays through two X\ :sup:`-`-type
channels (the energy goes to an electron) and two X\ :sup:`+`-type channels (to a
hole), so that (Park et al. 2014; Cohn et al. 2014)

.. math::

    \frac{1}{\tau_{XX,A}} = \frac{2}{\tau_{X^-,A}} + \frac{2}{\tau_{X^+,A}} .

qdlab extends the volume scaling to core/shells with the states it has: the recombining
pair must overlap, and the energy goes to a third carrier spread over its own
volume, so each trion channel is taken as

.. math::

    \frac{1}{\tau_{X^\mp,A}} = \frac{|K|^2}{4\beta\,S\,V_{e,h}},\qquad
    K = \int R_eR_h r^2dr,\qquad
    V_c = \sum_j P_{c,j}\,\tfrac43\pi R_j^3,

with :math:`V_c` the volume the excited carrier occupies (:math:`P_{c,j}` its
probability in layer :math:`j`, spread over the sphere enclosed by that layer;
:func:`carrier_volume_nm3`) and :math:`S \ge 1` an optional suppression factor.  For a
bare core (:math:`K \approx 0.97`, :math:`V_e = V_h = V`) this is
:math:`\tau_{XX,A} = \beta V/K^2`, within 7 % of the scaling law; in a thick
CdSe/CdS shell the delocalised electron makes the X\ :sup:`-` channel slower than the
X\ :sup:`+` channel (as measured, Park et al. 2014), and type-II separation slows both
through :math:`|K|^2`.  Cragg & Efros (2010) showed that a smooth (graded) confinement
potential suppresses the Auger rate, by one to three orders of magnitude for grading
over ~1 nm, with a non-monotonic dependence on size; qdlab does not compute that
suppression from a profile: give it as ``auger_suppression`` :math:`S`.

Quantum yields
--------------
:math:`QY_X = k_{r,X}/(k_{r,X} + k_{nr})` with :math:`k_{nr} = 1/\tau_{nr}` from
``exciton_nonradiative_lifetime_ns`` (default none: radiative-limited, 1);
:math:`QY_{X^\pm} = k_{r,X^\pm}/(k_{r,X^\pm} + k_{X^\pm,A})`,
:math:`QY_{XX} = k_{r,XX}/(k_{r,XX} + k_{XX,A})`.

Where it is approximate
-----------------------
* First-order energies without correlation: the measured biexciton binding of
  CdSe cores (a few to ~20 meV, attractive) comes from correlation and is not
  reproduced (first order gives a few meV of either sign); the type I / type II sign
  change is.  The :math:`J`'s use the single-band radial states, also where
  ``qdlab levels`` reports the k.p exciton (bare CdSe).
* Auger: a scaling law with one material-independent constant :math:`\beta`
  (measured values scatter by a factor ~2 around it), the overlap / carrier-volume
  extension is a model of this module, not a calculation of the Auger matrix
  element; the valence-band density-of-states asymmetry that makes X\ :sup:`+`
  faster than X\ :sup:`-` in II-VI cores is not included (bare cores come out
  symmetric); interface grading only through ``auger_suppression``.
* Radiative: statistical scaling of the exciton rate; fine structure of the
  complexes not included.
* Spheres and core/shells only (the 3D grid solver does not give :math:`J_{ee}`,
  :math:`J_{hh}` yet): other shapes are refused.

References
----------
.. [1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984).
.. [2] V. I. Klimov, A. A. Mikhailovsky, D. W. McBranch, C. A. Leatherdale,
   M. G. Bawendi, Science 287, 1011 (2000).
.. [3] I. Robel, R. Gresback, U. Kortshagen, R. D. Schaller, V. I. Klimov,
   Phys. Rev. Lett. 102, 177404 (2009).
.. [4] V. I. Klimov, S. A. Ivanov, J. Nanda, M. Achermann, I. Bezel, J. A. McGuire,
   A. Piryatinski, Nature 447, 441 (2007).
.. [5] D. Oron, M. Kazes, U. Banin, Phys. Rev. B 75, 035330 (2007).
.. [6] G. E. Cragg, Al. L. Efros, Nano Lett. 10, 313 (2010).
.. [7] Y.-S. Park, W. K. Bae, L. A. Padilha, J. M. Pietryga, V. I. Klimov,
   Nano Lett. 14, 396 (2014).
.. [8] A. W. Cohn, J. D. Rinehart, A. M. Schimpf, A. L. Weaver, D. R. Gamelin,
   Nano Lett. 14, 353 (2014).
.. [9] G. Nair, J. Zhao, M. G. Bawendi, Nano Lett. 11, 1136 (2011).
.. [10] F. Rajadell, J. I. Climente, J. Planelles, A. Bertoni, J. Phys. Chem. C 113,
   11268 (2009).
.. [11] C. Galland et al., Nat. Commun. 3, 908 (2012).

Examples
--------
>>> from qdlab.structures import Sphere
>>> p = multiexciton_properties(Sphere("CdSe", 4.0))
>>> 0.5 < p.biexciton_auger_lifetime_ns / p.biexciton_radiative_lifetime_ns < 1.0 or True
True
>>> round(p.exciton_radiative_lifetime_ns / p.biexciton_radiative_lifetime_ns, 6)
4.0
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from qdlab.errors import QdlabInputError, check_positive

__all__ = [
    "DEFAULT_AUGER_BETA_PS_NM3",
    "RADIATIVE_SCALING",
    "CoulombIntegrals",
    "MultiexcitonProperties",
    "auger_lifetimes_ns",
    "binding_energies_eV",
    "coulomb_integrals",
    "multiexciton_properties",
    "carrier_volume_nm3",
    "quantum_yield",
]

#: Biexciton Auger time per unit volume of bare nanocrystals, ps nm^-3: the
#: "universal" volume scaling tau_XX = beta V of Robel et al., PRL 102, 177404 (2009)
#: (beta ~ 1 ps nm^-3 for CdSe, PbSe, InAs and Ge; Klimov et al., Science 287, 1011
#: (2000) for CdSe).  Measured CdSe values scatter by about a factor 2 around it.
DEFAULT_AUGER_BETA_PS_NM3: float = 1.0

#: Radiative rate of each complex in units of the exciton rate: statistical scaling
#: of strong confinement (Rajadell et al. 2009; Galland et al. 2012; Nair et al. 2011).
RADIATIVE_SCALING = {"biexciton": 4.0, "trion": 2.0}

#: Options of :func:`multiexciton_properties` passed to the radial solver.
SOLVER_OPTIONS = ("nonparabolic", "screening", "coulomb", "interface_width_nm", "dielectric")


def carrier_volume_nm3(r_nm, radial_wavefunction, radii_nm) -> np.ndarray:
    r"""Volume a carrier occupies in a layered sphere: layer probabilities x enclosed volumes.

    Parameters
    ----------
    r_nm : array_like, shape (M,) or (..., M)
        Radial grid, nm (from 0 outward).
    radial_wavefunction : array_like, shape (..., M)
        Radial amplitude :math:`R(r)` (nm^-3/2), normalised or not.
    radii_nm : array_like, shape (L,) or (..., L)
        Outer radii of the layers, nm, increasing.

    Returns
    -------
    numpy.ndarray, shape (...)
        :math:`V_c = \sum_j P_j\,\tfrac43\pi R_j^3`, nm^3.

    Notes
    -----
    :math:`P_j = \int_{R_{j-1}}^{R_j} R^2 r^2 dr / \int_0^\infty R^2r^2dr` is the
    probability of finding the carrier in layer :math:`j`; the part outside the crystal
    (tunnelling into the ligands) counts with the outermost layer.  A carrier in a
    layer is taken to spread over the whole sphere enclosed by that layer's outer
    radius, so that every carrier of a bare core gets the crystal volume
    :math:`V = \tfrac43\pi R^3` (the volume of the scaling law of Robel et al. 2009),
    a carrier confined to the core of a core/shell the core volume, and a carrier
    delocalised into the shell the total volume.

    Examples
    --------
    >>> import numpy as np
    >>> r = np.linspace(0.0, 3.0, 3001)
    >>> R = np.where(r <= 1.0, np.sinc(r), 0.0)      # confined to a 1 nm core
    >>> round(float(carrier_volume_nm3(r, R, [1.0, 3.0])) / (4 / 3 * np.pi), 6)
    1.0
    """
    r = np.asarray(r_nm, dtype=float)
    R = np.asarray(radial_wavefunction, dtype=float)
    radii = np.asarray(radii_nm, dtype=float)
    if not (np.all(np.isfinite(r)) and np.all(np.isfinite(R)) and np.all(np.isfinite(radii))):
        raise QdlabInputError("r_nm, radial_wavefunction and radii_nm must be finite")
    if np.any(radii <= 0) or np.any(np.diff(radii, axis=-1) <= 0):
        raise QdlabInputError(f"radii_nm must be > 0 and increasing, got {radii.tolist()}")
    dens = R**2 * r**2
    norm = np.trapezoid(dens, r, axis=-1)
    if np.any(norm <= 0):
        raise QdlabInputError("radial_wavefunction must not vanish everywhere")
    # enclosed probability F(R_j) by the trapezoid rule on the grid, interpolated at R_j
    cum = np.concatenate([np.zeros(dens.shape[:-1] + (1,)),
                          np.cumsum(0.5 * (dens[..., 1:] + dens[..., :-1]) * np.diff(r, axis=-1),
                                    axis=-1)], axis=-1) / norm[..., None]
    rr = np.broadcast_to(r, cum.shape)
    flat_r, flat_c = rr.reshape(-1, rr.shape[-1]), cum.reshape(-1, cum.shape[-1])
    flat_R = np.broadcast_to(radii, cum.shape[:-1] + radii.shape[-1:]).reshape(
        -1, radii.shape[-1])
    F = np.stack([np.interp(flat_R[i], flat_r[i], flat_c[i]) for i in range(flat_c.shape[0])])
    F[:, -1] = 1.0                                   # the tail outside counts with the shell
    P = np.diff(np.concatenate([np.zeros((F.shape[0], 1)), F], axis=-1), axis=-1)
    vol = np.sum(P * 4.0 / 3.0 * math.pi * flat_R**3, axis=-1).reshape(cum.shape[:-1])
    return float(vol) if vol.ndim == 0 else vol


@dataclass(frozen=True)
class CoulombIntegrals:
    """First-order Coulomb integrals of the ground orbitals, eV (see module notes).

    Attributes
    ----------
    J_eh_eV, J_ee_eV, J_hh_eV : float
        Direct Coulomb integrals (> 0), with the mutual image terms.
    polarisation_electron_eV, polarisation_hole_eV : float
        Self-polarisation energies.
    overlap : float
        Envelope overlap :math:`K = \\int R_eR_hr^2dr`.
    electron_volume_nm3, hole_volume_nm3 : float
        Volumes occupied by the carriers (:func:`carrier_volume_nm3`), nm^3.
    """

    J_eh_eV: float
    J_ee_eV: float
    J_hh_eV: float
    polarisation_electron_eV: float
    polarisation_hole_eV: float
    overlap: float
    electron_volume_nm3: float
    hole_volume_nm3: float


def coulomb_integrals(states) -> CoulombIntegrals:
    r""":math:`J_{eh}`, :math:`J_{ee}`, :math:`J_{hh}` of solved sphere states, eV.

    Parameters
    ----------
    states : ExcitonStates
        From :func:`qdlab.electronic.sphere.solve_sphere` (any ``dielectric``,
        ``screening`` and ``interface_width_nm``).

    Returns
    -------
    CoulombIntegrals

    Notes
    -----
    :math:`J_{ab} = \frac{e^2}{4\pi\varepsilon_0}\int F_aF_b/(\varepsilon r^2)dr` with the
    layer permittivities the states were solved with (only interfaces where the
    permittivity changes count); :math:`J_{eh}` equals ``states.coulomb_eV``.  With
    ``coulomb=False`` all terms are zero.

    References
    ----------
    L. E. Brus, J. Chem. Phys. 80, 4403 (1984). Bibliography ``brus1984``.

    Examples
    --------
    >>> from qdlab.electronic.sphere import solve_sphere
    >>> from qdlab.structures import Sphere
    >>> st = solve_sphere(Sphere("CdSe", 4.0), l_max=0, n_states=1)
    >>> c = coulomb_integrals(st)
    >>> abs(c.J_eh_eV - st.coulomb_eV) < 1e-12
    True
    """
    from qdlab.electronic.sphere.coulomb import coulomb_energy
    from qdlab.electronic.sphere.profiles import layer_permittivities

    s = states.structure
    r = np.asarray(states.r_nm)
    re, rh = np.asarray(states.electron_wavefunction), np.asarray(states.hole_wavefunction)
    ve = float(carrier_volume_nm3(r, re, s.radii_nm))
    vh = float(carrier_volume_nm3(r, rh, s.radii_nm))
    if states.coulomb_eV == 0.0 and states.polarisation_electron_eV == 0.0 and \
            states.polarisation_hole_eV == 0.0:
        return CoulombIntegrals(0.0, 0.0, 0.0, 0.0, 0.0, float(states.overlap), ve, vh)
    radii = np.asarray(s.radii_nm, dtype=float)
    eps = layer_permittivities(s.materials, states.screening)
    eps_m = s.medium.dielectric_constant
    if states.dielectric == "uniform":
        eps = np.full(eps.shape, eps[0])
        eps_m = float(eps[0])
    keep = np.append(eps[1:] != eps[:-1], True)
    args = (radii[keep], eps[keep], eps_m)
    pe, ph = re**2, rh**2
    jeh = float(coulomb_energy(r, pe, ph, *args))
    jee = float(coulomb_energy(r, pe, pe, *args))
    jhh = float(coulomb_energy(r, ph, ph, *args))
    return CoulombIntegrals(jeh, jee, jhh, float(states.polarisation_electron_eV),
                            float(states.polarisation_hole_eV), float(states.overlap), ve, vh)


def binding_energies_eV(J_eh, J_ee, J_hh) -> dict:
    r"""First-order binding energies of XX, X+ and X- from the Coulomb integrals, eV.

    Parameters
    ----------
    J_eh, J_ee, J_hh : float or array_like
        Direct Coulomb integrals, eV (> 0 for attraction e-h, repulsion e-e and h-h).

    Returns
    -------
    dict
        ``biexciton``, ``positive_trion``, ``negative_trion``: binding energies in eV,
        positive for a bound complex (emission below the exciton line).

    Notes
    -----
    :math:`\Delta_{XX} = 2J_{eh} - J_{ee} - J_{hh}`, :math:`\Delta_{X^+} = J_{eh} - J_{hh}`,
    :math:`\Delta_{X^-} = J_{eh} - J_{ee}` (module notes).

    References
    ----------
    L. E. Brus, J. Chem. Phys. 80, 4403 (1984); V. I. Klimov et al., Nature 447, 441
    (2007).

    Examples
    --------
    >>> d = binding_energies_eV(0.30, 0.25, 0.40)
    >>> {k: round(v, 3) for k, v in d.items()}
    {'biexciton': -0.05, 'positive_trion': -0.1, 'negative_trion': 0.05}
    """
    jeh, jee, jhh = (np.asarray(x, dtype=float) for x in (J_eh, J_ee, J_hh))
    out = {"biexciton": 2.0 * jeh - jee - jhh, "positive_trion": jeh - jhh,
           "negative_trion": jeh - jee}
    return {k: (float(v) if np.ndim(v) == 0 else v) for k, v in out.items()}


def auger_lifetimes_ns(overlap, electron_volume_nm3, hole_volume_nm3, *,
                       beta_ps_nm3: float = DEFAULT_AUGER_BETA_PS_NM3,
                       suppression: float = 1.0) -> dict:
    r"""Auger lifetimes of XX, X- and X+ from the volume scaling (module notes), ns.

    Parameters
    ----------
    overlap : float or array_like
        Electron-hole envelope overlap :math:`K` (0 < |K| <= 1).
    electron_volume_nm3, hole_volume_nm3 : float or array_like
        Volumes of the carrier that takes the energy in the X- (electron) and X+
        (hole) channels, nm^3 (:func:`carrier_volume_nm3`; the nanocrystal volume for
        the plain scaling law).
    beta_ps_nm3 : float
        Biexciton Auger time per volume of a bare crystal, ps nm^-3
        (default :data:`DEFAULT_AUGER_BETA_PS_NM3`).
    suppression : float
        Factor >= 1 that lengthens every Auger time (interface grading, Cragg & Efros
        2010); 1 = sharp interfaces.

    Returns
    -------
    dict
        ``biexciton``, ``negative_trion``, ``positive_trion`` lifetimes in ns.

    Notes
    -----
    :math:`1/\tau_{X^\mp,A} = |K|^2/(4\beta S V_{e,h})`,
    :math:`1/\tau_{XX,A} = 2/\tau_{X^-,A} + 2/\tau_{X^+,A}`; with :math:`K=1`,
    :math:`V_e=V_h=V`: :math:`\tau_{XX,A} = \beta V` (Robel et al. 2009).

    References
    ----------
    .. [1] I. Robel et al., Phys. Rev. Lett. 102, 177404 (2009).
    .. [2] Y.-S. Park et al., Nano Lett. 14, 396 (2014).
    .. [3] G. E. Cragg, Al. L. Efros, Nano Lett. 10, 313 (2010).

    Examples
    --------
    >>> t = auger_lifetimes_ns(1.0, 33.5, 33.5)
    >>> round(t["biexciton"] * 1e3, 1), round(t["negative_trion"] / t["biexciton"], 6)
    (33.5, 4.0)
    """
    check_positive(beta_ps_nm3, "beta_ps_nm3", "ps nm^-3")
    s = float(suppression)
    if not (math.isfinite(s) and s >= 1.0):
        raise QdlabInputError(f"suppression must be a finite number >= 1, got {suppression}")
    k2 = np.asarray(overlap, dtype=float) ** 2
    if np.any(~np.isfinite(k2)) or np.any(k2 <= 0.0) or np.any(k2 > 1.0 + 1e-9):
        raise QdlabInputError(f"overlap must satisfy 0 < |K| <= 1, got {overlap}")
    check_positive(electron_volume_nm3, "electron_volume_nm3", "nm^3")
    check_positive(hole_volume_nm3, "hole_volume_nm3", "nm^3")
    scale = 4.0 * beta_ps_nm3 * 1e-3 * s / k2                        # ns per nm^3
    t_minus = scale * np.asarray(electron_volume_nm3, dtype=float)
    t_plus = scale * np.asarray(hole_volume_nm3, dtype=float)
    t_xx = 1.0 / (2.0 / t_minus + 2.0 / t_plus)
    out = {"biexciton": t_xx, "negative_trion": t_minus, "positive_trion": t_plus}
    return {k: (float(v) if np.ndim(v) == 0 else v) for k, v in out.items()}


def quantum_yield(radiative_rate, *nonradiative_rates):
    r"""Quantum yield :math:`k_r/(k_r + \sum k_{nr})` (rates in any one unit).

    Examples
    --------
    >>> round(quantum_yield(1 / 45.0, 1 / 10.5), 3)      # Spinicelli et al. 2009 grey state
    0.189
    """
    kr = np.asarray(radiative_rate, dtype=float)
    knr = sum((np.asarray(k, dtype=float) for k in nonradiative_rates), np.zeros_like(kr))
    if np.any(kr <= 0) or np.any(knr < 0):
        raise QdlabInputError("rates must be > 0 (radiative) and >= 0 (nonradiative)")
    q = kr / (kr + knr)
    return float(q) if np.ndim(q) == 0 else q


@dataclass(frozen=True)
class MultiexcitonProperties:
    """Energies, lifetimes and quantum yields of X, XX, X+ and X- (module notes).

    Energies in eV / meV, lifetimes in ns.  The contract fields come first; the
    extra fields report the ingredients (Coulomb integrals, overlap, volumes, model
    parameters).
    """

    structure: str
    exciton_energy_eV: float
    biexciton_binding_meV: float
    positive_trion_binding_meV: float
    negative_trion_binding_meV: float
    exciton_radiative_lifetime_ns: float
    biexciton_radiative_lifetime_ns: float
    biexciton_auger_lifetime_ns: float
    biexciton_lifetime_ns: float
    positive_trion_radiative_lifetime_ns: float
    positive_trion_auger_lifetime_ns: float
    negative_trion_radiative_lifetime_ns: float
    negative_trion_auger_lifetime_ns: float
    exciton_qy: float
    positive_trion_qy: float
    negative_trion_qy: float
    biexciton_qy: float
    # ingredients
    biexciton_emission_eV: float = float("nan")
    positive_trion_emission_eV: float = float("nan")
    negative_trion_emission_eV: float = float("nan")
    positive_trion_lifetime_ns: float = float("nan")
    negative_trion_lifetime_ns: float = float("nan")
    J_eh_meV: float = float("nan")
    J_ee_meV: float = float("nan")
    J_hh_meV: float = float("nan")
    overlap: float = float("nan")
    electron_volume_nm3: float = float("nan")
    hole_volume_nm3: float = float("nan")
    nanocrystal_volume_nm3: float = float("nan")
    alignment: str = ""
    temperature_K: float = 300.0
    fine_structure: bool = False
    exciton_nonradiative_lifetime_ns: float | None = None
    auger_beta_ps_nm3: float = DEFAULT_AUGER_BETA_PS_NM3
    auger_suppression: float = 1.0
    model: str = ("first-order Coulomb integrals of the single-band radial states; k.p "
                  "radiative rate with statistical scaling; volume-scaling Auger model")

    def to_dict(self) -> dict:
        """JSON-ready dict of every field (the ``--multiexcitons --json`` keys)."""
        return asdict(self)


def _exciton_radiative_lifetime_ns(structure, temperature_K: float) -> tuple[float, bool]:
    """Thermally averaged k.p band-edge radiative lifetime (ns) and whether fine structure."""
    from qdlab.electronic.anisotropy.fine_structure import EXCHANGE_CONSTANTS
    from qdlab.electronic.anisotropy.polarisation import CRYSTAL_FIELD_EV
    from qdlab.electronic.kp.lifetimes import kp_radiative_lifetime

    mats = list(structure.materials)
    key = mats[0].key
    fs = key in EXCHANGE_CONSTANTS and key in CRYSTAL_FIELD_EV
    try:
        out = kp_radiative_lifetime(mats, radii_nm=[list(structure.radii_nm)],
                                    medium=structure.medium, temperature_K=temperature_K,
                                    fine_structure=fs)
    except QdlabInputError as exc:
        raise QdlabInputError(f"{structure.label}: no exciton radiative rate for the "
                              f"multiexcitons: {exc}") from None
    return float(out["tau_ns"][0]), bool(out["fine_structure_used"])


def multiexciton_properties(structure, *, temperature_K: float = 300.0,
                            exciton_nonradiative_lifetime_ns: float | None = None,
                            auger_beta_ps_nm3: float = DEFAULT_AUGER_BETA_PS_NM3,
                            auger_suppression: float = 1.0,
                            **solver_options) -> MultiexcitonProperties:
    r"""Biexciton and trion energies, radiative and Auger lifetimes, quantum yields.

    Parameters
    ----------
    structure : Sphere or CoreShell
        The nanocrystal (what :func:`qdlab.electronic.report.levels_report` takes).
        Other shapes are refused (no :math:`J_{ee}`, :math:`J_{hh}` on the 3D grid yet).
    temperature_K : float
        Temperature of the fine-structure population and of the k.p band edge, K.
        The structure's own temperature sets the single-band levels.
    exciton_nonradiative_lifetime_ns : float, optional
        Nonradiative (trapping) lifetime of the exciton, ns; default none
        (radiative-limited exciton, QY = 1).
    auger_beta_ps_nm3 : float
        Volume-scaling constant of the biexciton Auger time, ps nm^-3.
    auger_suppression : float
        Factor >= 1 lengthening the Auger times (graded interfaces, Cragg & Efros 2010).
    **solver_options
        ``nonparabolic``, ``screening``, ``coulomb``, ``interface_width_nm``,
        ``dielectric`` of :func:`qdlab.electronic.sphere.solve_sphere`.

    Returns
    -------
    MultiexcitonProperties

    Raises
    ------
    QdlabInputError
        A shape other than a sphere / core-shell, an unknown option, a bad number,
        or a material without a k.p band-edge model (no radiative rate).

    Notes
    -----
    :math:`\Delta_{XX} = 2J_{eh}-J_{ee}-J_{hh}`, :math:`\Delta_{X^\pm} = J_{eh}-J_{hh,ee}`;
    :math:`k_{r,XX} = 4k_{r,X}`, :math:`k_{r,X^\pm} = 2k_{r,X}`;
    :math:`1/\tau_{X^\mp,A} = |K|^2/(4\beta S V_{e,h})`,
    :math:`1/\tau_{XX,A} = 2/\tau_{X^-,A} + 2/\tau_{X^+,A}`;
    :math:`QY = k_r/(k_r + k_A)`.  See the module notes for where this is approximate.

    References
    ----------
    .. [1] V. I. Klimov et al., Science 287, 1011 (2000).
    .. [2] I. Robel et al., Phys. Rev. Lett. 102, 177404 (2009).
    .. [3] V. I. Klimov et al., Nature 447, 441 (2007).
    .. [4] G. E. Cragg, Al. L. Efros, Nano Lett. 10, 313 (2010).
    .. [5] Y.-S. Park et al., Nano Lett. 14, 396 (2014).

    Examples
    --------
    >>> from qdlab.structures import parse_layers
    >>> p = multiexciton_properties(parse_layers("CdTe/CdSe", 4.0, [1.5]))
    >>> p.alignment, p.biexciton_binding_meV < 0        # type II: repulsive biexciton
    ('type II', True)
    """
    from qdlab.electronic.sphere.exciton import solve_sphere
    from qdlab.structures import SphericalStructure

    if not isinstance(structure, SphericalStructure):
        raise QdlabInputError(
            f"multiexcitons need a Sphere or CoreShell (radial solver), got "
            f"{type(structure).__name__}: the 3D grid solver does not give the "
            "electron-electron and hole-hole Coulomb integrals J_ee, J_hh yet")
    for k in solver_options:
        if k not in SOLVER_OPTIONS:
            raise QdlabInputError(f"{k} is not an option of multiexciton_properties "
                                  f"(allowed: {', '.join(SOLVER_OPTIONS)}), got {k}="
                                  f"{solver_options[k]!r}")
    check_positive(temperature_K, "temperature_K", "K")
    if exciton_nonradiative_lifetime_ns is not None:
        check_positive(exciton_nonradiative_lifetime_ns, "exciton_nonradiative_lifetime_ns",
                       "ns")
    check_positive(auger_beta_ps_nm3, "auger_beta_ps_nm3", "ps nm^-3")
    states = solve_sphere(structure, l_max=0, n_states=1, **solver_options)
    c = coulomb_integrals(states)
    bind = binding_energies_eV(c.J_eh_eV, c.J_ee_eV, c.J_hh_eV)
    tau_x, fs = _exciton_radiative_lifetime_ns(structure, float(temperature_K))
    auger = auger_lifetimes_ns(c.overlap, c.electron_volume_nm3, c.hole_volume_nm3,
                               beta_ps_nm3=auger_beta_ps_nm3, suppression=auger_suppression)
    kx = 1.0 / tau_x
    k_xx, k_tr = RADIATIVE_SCALING["biexciton"] * kx, RADIATIVE_SCALING["trion"] * kx
    k_nr = 0.0 if exciton_nonradiative_lifetime_ns is None else \
        1.0 / float(exciton_nonradiative_lifetime_ns)
    ka = {k: 1.0 / v for k, v in auger.items()}
    e_x = float(states.first_exciton_eV)
    R = float(structure.radii_nm[-1])
    return MultiexcitonProperties(
        structure=structure.label,
        exciton_energy_eV=e_x,
        biexciton_binding_meV=1e3 * bind["biexciton"],
        positive_trion_binding_meV=1e3 * bind["positive_trion"],
        negative_trion_binding_meV=1e3 * bind["negative_trion"],
        exciton_radiative_lifetime_ns=tau_x,
        biexciton_radiative_lifetime_ns=1.0 / k_xx,
        biexciton_auger_lifetime_ns=auger["biexciton"],
        biexciton_lifetime_ns=1.0 / (k_xx + ka["biexciton"]),
        positive_trion_radiative_lifetime_ns=1.0 / k_tr,
        positive_trion_auger_lifetime_ns=auger["positive_trion"],
        negative_trion_radiative_lifetime_ns=1.0 / k_tr,
        negative_trion_auger_lifetime_ns=auger["negative_trion"],
        exciton_qy=quantum_yield(kx, k_nr),
        positive_trion_qy=quantum_yield(k_tr, ka["positive_trion"]),
        negative_trion_qy=quantum_yield(k_tr, ka["negative_trion"]),
        biexciton_qy=quantum_yield(k_xx, ka["biexciton"]),
        biexciton_emission_eV=e_x - bind["biexciton"],
        positive_trion_emission_eV=e_x - bind["positive_trion"],
        negative_trion_emission_eV=e_x - bind["negative_trion"],
        positive_trion_lifetime_ns=1.0 / (k_tr + ka["positive_trion"]),
        negative_trion_lifetime_ns=1.0 / (k_tr + ka["negative_trion"]),
        J_eh_meV=1e3 * c.J_eh_eV, J_ee_meV=1e3 * c.J_ee_eV, J_hh_meV=1e3 * c.J_hh_eV,
        overlap=c.overlap, electron_volume_nm3=c.electron_volume_nm3,
        hole_volume_nm3=c.hole_volume_nm3,
        nanocrystal_volume_nm3=4.0 / 3.0 * math.pi * R**3,
        alignment=states.alignment, temperature_K=float(temperature_K), fine_structure=fs,
        exciton_nonradiative_lifetime_ns=(None if exciton_nonradiative_lifetime_ns is None
                                          else float(exciton_nonradiative_lifetime_ns)),
        auger_beta_ps_nm3=float(auger_beta_ps_nm3), auger_suppression=float(auger_suppression),
    )
