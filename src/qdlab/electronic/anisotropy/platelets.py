r"""Heavy- and light-hole excitons of atomically flat nanoplatelets (quantum wells in an organic medium).

A zinc-blende [001] platelet of thickness ``d`` (nm) and large lateral size is a
quantum well: the carriers are quantised along z and free in the plane, and the
electron-hole pair forms a 2D exciton whose attraction is *enhanced* because the
field lines leave the semiconductor (dielectric constant ``eps``) through the
low-``eps`` ligands/solvent.  The heavy-hole (X = hh) and light-hole (X = lh)
absorption lines are

.. math::

    E_X = E_g(T) + E_{e,z} + E_{X,z} + \Sigma_e + \Sigma_h - E_{b,X} ,

with

* :math:`E_{e,z}, E_{hh,z}, E_{lh,z}` -- lowest even state of a well of width
  ``d`` with the medium's barrier heights (4 eV by default), for the bulk band
  dispersion :math:`k_z^2(E)` of each band at :math:`k_\parallel = 0`
  (:mod:`qdlab.electronic.anisotropy.well_bands`):

  - electron: three-band Kane energy-dependent mass with the database
    :math:`E_p` and :math:`\Delta`, the remote term fixed by the band-edge mass
    :math:`m_e` (``kane_model="three-band"``; ``"two-band"``:
    :math:`m(E) = m_e(1 + E/E_g)`);
  - heavy hole: parabolic along [001], :math:`m_{hh,z} = 1/(\gamma_1 - 2\gamma_2)`
    (decoupled from the light hole, split-off and conduction bands at
    :math:`k_\parallel = 0`);
  - light hole: the 2x2 light-hole/split-off block of the 6x6 Luttinger-Kohn
    Hamiltonian along [001] (``split_off_mixing=True``).  With the CdSe
    confinement energies (0.2-0.6 eV) comparable with :math:`\Delta` = 0.42 eV
    the light hole takes split-off character and is much heavier along z than
    :math:`1/(\gamma_1 + 2\gamma_2)`; this keeps the measured hh-lh splitting near
    0.16 eV from 3.5 to 5.5 ML (a parabolic light hole gives 0.35 eV at 3.5 ML).

  With ``inplane="subband"`` (the default where it applies) both hole levels are
  the lowest Kramers pairs of the 6x6 Luttinger-Kohn well at :math:`k_\parallel = 0`
  with the same Hamiltonian in the barrier
  (:func:`qdlab.electronic.anisotropy.well_subbands.hole_subbands`): the heavy hole is
  the same parabolic well (to < 0.1 meV); the light hole is matched as a two-component
  spinor, +25, +8, 0, -2.5 meV from the scalar branch matching above at 2.5-5.5 ML.

* boundary condition at the ligands -- continuity of :math:`\psi` and of
  :math:`\psi'/m` with ``barrier_mass`` in the ligands.  Default ``"well"``: no
  mass step, the evanescent envelope in the ligand layer carries the same
  energy-dependent mass as the well, i.e. :math:`\psi'` is continuous.  The
  alternative, the free-electron mass m0 in the ligands (the convention of
  qdlab's sphere and grid solvers), gives the electron an extrapolation length
  :math:`m_b/(m_w\kappa) \approx 0.7` nm per side -- half the thickness of a
  4.5 ML platelet -- and puts every line 0.18-0.27 eV to the red.  A mass step
  has a derivation only between semiconductors with similar zone-centre Bloch
  functions, not at a semiconductor/ligand interface; the GW/Bethe-Salpeter
  study of 2-7 ML CdSe platelets [9]_ finds that an effective-mass model needs a
  finite barrier *and* energy-dependent masses to reproduce the first-principles
  levels.  For comparison, electron tunnelling through alkanethiol monolayers
  decays with :math:`\beta_0 = 0.79` Å⁻¹ under a 1.39 eV barrier [10]_, i.e. an
  evanescent mass :math:`\hbar^2(\beta_0/2)^2/(2\Phi_B) \approx 0.43\,m_0`: the
  ligand is far from a free-electron barrier.  ``barrier_mass`` keeps both
  choices (a name of :data:`BARRIER_MASS_METHODS` or a mass in m0).

* :math:`E_{b,X}` -- 2D exciton binding in the Rytova-Keldysh potential
  (:func:`rytova_keldysh_potential_eV`), the lowest s state of the 2D radial
  equation solved by Ritz in a converged Gaussian basis
  (:func:`keldysh_binding_energy_eV`; exact to < 0.1 meV, checked against the 2D
  hydrogen atom; the one-parameter exponential :math:`e^{-\rho/a}` of the first
  version binds 2.4 % less, 5-10 meV, and put every line 5-10 meV bluer),
  with the in-plane motion of the pair (``inplane``):

  - ``"subband"`` (default where the material has Luttinger parameters and the
    ligand barrier has no mass step): the kinetic energy of the relative motion is
    :math:`T(k_\parallel) = T_e(k_\parallel) + T_X(k_\parallel)`, the in-plane
    dispersions of the electron subband (three-band Kane band at
    :math:`k^2 = k_{z,0}^2 + k_\parallel^2`) and of the HH1 or LH1 subband of the
    6x6 Luttinger-Kohn well (:mod:`qdlab.electronic.anisotropy.well_subbands`), which
    also gives the hole levels at :math:`k_\parallel = 0`.  The valence subbands mix
    away from :math:`k_\parallel = 0` (Broido & Sham 1985): for CdSe the HH1 subband is
    0.45-0.47 m0 in plane at :math:`k_\parallel \to 0` and 0.53 m0 at 1 nm\ :sup:`-1`
    (band edge :math:`1/(\gamma_1 + \gamma_2)` = 0.38 m0), the LH1 subband 0.51 m0
    (2.5 ML) to 1.08 m0 (5.5 ML) (band edge :math:`1/(\gamma_1 - \gamma_2)` = 0.68 m0),
    and the Kane electron grows heavier at the exciton's wave vectors.  The same mixing
    enters the Coulomb matrix elements through the overlaps of the mixed Bloch spinors,
    which also couple the HH1 and LH1 exciton series (``spinor_overlaps``, default True
    here; :mod:`qdlab.electronic.anisotropy.well_exciton`, which gives the physics, the
    checks and the resonance fallback).  Without them (the *diagonal approximation*) the
    heavy-hole binding is 16-46 meV higher at 5.5-2.5 ML.
  - ``"band-edge"`` (the first version; the single-band model): parabolic, reduced
    mass :math:`\mu_X = (1/m_{e\parallel} + 1/m_{X\parallel})^{-1}` with
    :math:`m_{hh\parallel} = 1/(\gamma_1 + \gamma_2)`,
    :math:`m_{lh\parallel} = 1/(\gamma_1 - \gamma_2)` and the Kane curvature mass
    :math:`m_{e\parallel} = (\hbar^2/2m_0)\, dk^2/dE` of the electron subband.

  Result for CdSe (heavy hole): 0.42, 0.33, 0.27, 0.23 eV at 2.5-5.5 ML (diagonal
  approximation: 0.47, 0.36, 0.29, 0.25 eV; ``"band-edge"``: 0.42, 0.32, 0.27, 0.23 eV).
  One- and two-photon excitation spectra give 195-315 meV for "3-7 ML" (Shornikova et
  al. 2021 [11]_, abstract read; its thickness convention was not checked), and the
  tight-binding calculation of Benchamekh et al. [5]_ "up to several hundred meV": the
  3.5 ML value is at the top of that measured range if the conventions are the same.

* :math:`\Sigma_{e,h}` -- dielectric self-energy (image charges) of each carrier in
  the slab (:func:`slab_self_energy_eV`); it *raises* the gap and largely offsets
  the enhanced binding (Kumagai & Takagahara 1989; Benchamekh et al. 2014): net
  -0.02 eV at 2.5 ML, -0.04 eV at 5.5 ML for the heavy-hole line (before the spinor
  overlaps; with them the net term is +0.02 to -0.03 eV).

Dielectric constant of the slab: ``eps_inf`` by default, because the binding
energies (0.23-0.44 eV) are ~10x the LO-phonon energy (26 meV in CdSe), so the
lattice polarisation cannot follow the relative motion (the same choice as in
Achtstein et al. 2012).  The medium's ``dielectric_constant`` (2.25) is used
above and below the platelet.

Phase: platelets grow in the zinc-blende phase (Ithurria & Dubertret 2008), so a
bare name such as ``"CdSe"`` means ``"CdSe-zb"``
(:func:`qdlab.structures.shapes.platelet.platelet_material`).

Thickness convention
--------------------
An "n.5 ML" CdSe platelet has n Se and n + 1 Cd planes; ``d = (n + 1/2) a / 2`` by
default, fixed a priori (the conventions are defined in
:mod:`qdlab.structures.shapes.platelet`).  ``"n"`` moves the heavy-hole lines by
+0.09 eV (5.5 ML) to +0.46 eV (2.5 ML), ``"n+1"`` by -0.06 to -0.29 eV.

Validation
----------
Against the heavy- and light-hole absorption peaks of Ithurria et al. 2011 [7]_: RMS
0.048 eV (heavy hole, 2.5-5.5 ML; +0.089 eV at 2.5 ML, 5 atomic planes) and 0.040 eV
(light hole, 3.5-5.5 ML); the per-thickness tables, the variants and where the model
fails are in :mod:`qdlab.electronic.anisotropy.platelet_validation`.

References
----------
.. [1] N. S. Rytova, "Screened potential of a point charge in a thin film",
   Moscow Univ. Phys. Bull. 3, 30 (1967) (arXiv:1806.00976).
.. [2] L. V. Keldysh, "Coulomb interaction in thin semiconductor and semimetal
   films", JETP Lett. 29, 658 (1979).
.. [3] P. Cudazzo, I. V. Tokatly, A. Rubio, "Dielectric screening in
   two-dimensional insulators", Phys. Rev. B 84, 085406 (2011).
.. [4] M. Kumagai, T. Takagahara, "Excitonic and nonlinear-optical properties of
   dielectric quantum-well structures", Phys. Rev. B 40, 12359 (1989).
.. [5] R. Benchamekh, N. A. Gippius, J. Even, M. O. Nestoklon, J.-M. Jancu,
   S. Ithurria, B. Dubertret, Al. L. Efros, P. Voisin, "Tight-binding
   calculations of image-charge effects in colloidal nanoscale platelets of
   CdSe", Phys. Rev. B 89, 035307 (2014).
.. [6] A. W. Achtstein et al., "Electronic structure and exciton-phonon
   interaction in two-dimensional colloidal CdSe nanosheets", Nano Lett. 12,
   3151 (2012).
.. [7] S. Ithurria, M. D. Tessier, B. Mahler, R. P. S. M. Lobo, B. Dubertret,
   Al. L. Efros, "Colloidal nanoplatelets with two-dimensional electronic
   structure", Nat. Mater. 10, 936 (2011).
.. [8] G. Bastard, "Wave Mechanics Applied to Semiconductor Heterostructures"
   (Les Editions de Physique, 1988), ch. III (BenDaniel-Duke wells, Kane
   nonparabolicity).
.. [9] GW/Bethe-Salpeter study of 2-7 ML CdSe nanoplatelets, University of
   Chicago Knowledge repository, https://knowledge.uchicago.edu/record/13467
   (abstract read: finite barrier, energy-dependent masses and surface stress
   needed for an effective-mass model to reproduce the first-principles levels).
.. [10] W. Wang, T. Lee, M. A. Reed, "Mechanism of electron conduction in
   self-assembled alkanethiol monolayer devices", Phys. Rev. B 68, 035416
   (2003) (Phi_B = 1.39 eV, beta_0 = 0.79 per Angstrom).
.. [11] E. V. Shornikova et al., "Exciton binding energy in CdSe nanoplatelets
   measured by one- and two-photon absorption", Nano Lett. (2021),
   doi:10.1021/acs.nanolett.1c04159 (abstract read).
.. [12] S. Ithurria, B. Dubertret, "Quasi 2D colloidal CdSe platelets with
   thicknesses controlled at the atomic level", J. Am. Chem. Soc. 130, 16504 (2008).
.. [13] D. A. Broido and L. J. Sham, "Effective masses of holes at GaAs-AlGaAs
   heterojunctions", Phys. Rev. B 31, 888 (1985).

Examples
--------
>>> r = platelet_band_edge("CdSe", 4)        # "4.5 ML" CdSe, zinc blende
>>> r.material, round(r.thickness_nm, 3), r.thickness_convention
('CdSe-zb', 1.367, 'n+1/2')
>>> round(r.wavelength_nm), round(r.light_hole_wavelength_nm), r.inplane
(513, 481, 'subband')
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import partial

import numpy as np

from qdlab.constants import HBAR2_2M0, HC_EV_NM
from qdlab.electronic.anisotropy.slab import (  # noqa: F401
    finite_well_ground_state_eV,
    keldysh_binding_energy_eV,
    rytova_keldysh_potential_eV,
    screening_length_nm,
    slab_permittivity,
    slab_self_energy_eV,
)

# re-exported: the slab models were part of this module (old import paths)
from qdlab.electronic.anisotropy.well_bands import (
    conduction_k2,
    curvature_mass,
    heavy_hole_masses,
    light_hole_k2,
    well_ground_state_eV,
)
from qdlab.electronic.anisotropy.well_exciton import (
    electron_form_factor_channels,
    subband_excitons,
)
from qdlab.electronic.anisotropy.well_subbands import (  # noqa: F401
    INPLANE_DISPERSIONS,
    resolve_inplane,
    subband_pairs,
)
from qdlab.errors import QdlabInputError, check_positive, warn_validity
from qdlab.registry import Model, select

# re-exported: the thickness conventions are geometry (qdlab.structures.shapes.platelet)
from qdlab.structures.shapes.platelet import (  # noqa: F401
    THICKNESS_CONVENTIONS,
    THICKNESS_METHODS,
    platelet_thickness,
)

#: Barrier-mass conventions at the platelet/ligand interface (BenDaniel-Duke
#: continuity of psi'/m); ``function`` is the barrier mass in m0, None for "well".
#: ``platelet_band_edge(barrier_mass=...)`` also takes a number (m0).
BARRIER_MASS_METHODS = {
    "free_electron": Model(
        1.0, "D. J. BenDaniel, C. B. Duke, Phys. Rev. 152, 683 (1966); the convention of "
             "qdlab's sphere and grid solvers (MEDIUM_MASS)",
        "free-electron mass m0 in the ligand barrier (0.18-0.27 eV too red for CdSe "
        "platelets)", citations=("bendaniel1966",)),
    "well": Model(
        None, "G. Bastard, Wave Mechanics Applied to Semiconductor Heterostructures "
              "(Les Editions de Physique, 1988)",
        "no mass step: each carrier keeps its (energy-dependent) well mass in the barrier "
        "(default)", citations=("bastard1988",)),
}

#: Electron dispersions along z (``function`` is the name used internally).
KANE_MODELS = {
    "three-band": Model(
        "three-band", "G. Bastard (1988), ch. III; I. Vurgaftman, J. R. Meyer, L. R. Ram-Mohan, "
                      "J. Appl. Phys. 89, 5815 (2001)",
        "m0/m(E) with E_p and Delta of the database, remote term fixed by m_e (default)",
        citations=("bastard1988", "vurgaftman2001")),
    "two-band": Model(
        "two-band", "G. Bastard (1988), ch. III", "m(E) = m_e (1 + E/E_g)",
        citations=("bastard1988",)),
}


# ---------------------------------------------------------------------------
# Platelet band edge
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlateletExciton:
    """Band-edge (heavy-hole) exciton of a platelet; energies in eV, lengths in nm.

    Attributes
    ----------
    material : str
    monolayers : int
        Anion planes n (an "n.5 ML" platelet).
    thickness_nm : float
    thickness_convention : str
    band_gap_eV : float
        Bulk gap at the temperature.
    electron_confinement_eV, hole_confinement_eV : float
        Thickness quantisation of electron and heavy hole.
    self_energy_eV : float
        Sum of the electron and hole dielectric self-energies (0 if switched off).
    binding_energy_eV : float
        Rytova-Keldysh binding energy.
    exciton_radius_nm : float
        Mean in-plane electron-hole distance <rho>, nm.
    screening_length_nm : float
        r0.
    energy_eV, wavelength_nm : float
        Band-edge transition.
    hole_mass_z, hole_mass_inplane, electron_mass, reduced_mass_inplane : float
        Masses used, m0.
    eps_slab, eps_out : float
    barrier_mass : float or "well"
    nonparabolic : bool
    kane_model : str
        ``"three-band"`` or ``"two-band"`` electron dispersion actually used.
    light_hole_confinement_eV, light_hole_binding_energy_eV : float or None
        Thickness quantisation and Rytova-Keldysh binding of the light-hole
        exciton (None without Luttinger parameters).
    light_hole_energy_eV, light_hole_wavelength_nm : float or None
        Light-hole transition.
    light_hole_mass_z, light_hole_mass_inplane : float or None
        Light-hole masses along z, 1/(gamma1 + 2 gamma2), and in plane (band edge
        1/(gamma1 - gamma2), or the LH1 subband's curvature mass), m0.
    split_off_mixing : bool
        Whether the light hole was mixed with the split-off band.
    inplane : str
        ``"subband"`` or ``"band-edge"``: hole levels and in-plane exciton motion
        (:func:`platelet_band_edge`); with ``"subband"`` the in-plane masses are the
        subbands' curvature masses at k_par -> 0 (the exciton uses the whole
        dispersion).
    spinor_overlaps : bool
        Whether the Coulomb matrix elements of the exciton carry the Bloch-spinor
        overlaps of the mixed subbands (:mod:`qdlab.electronic.anisotropy.well_exciton`).
    """

    material: str
    monolayers: int
    thickness_nm: float
    thickness_convention: str
    band_gap_eV: float
    electron_confinement_eV: float
    hole_confinement_eV: float
    self_energy_eV: float
    binding_energy_eV: float
    exciton_radius_nm: float
    screening_length_nm: float
    energy_eV: float
    wavelength_nm: float
    hole_mass_z: float
    hole_mass_inplane: float
    electron_mass: float
    reduced_mass_inplane: float
    eps_slab: float
    eps_out: float
    barrier_mass: float | str
    nonparabolic: bool
    kane_model: str = "two-band"
    light_hole_confinement_eV: float | None = None
    light_hole_binding_energy_eV: float | None = None
    light_hole_energy_eV: float | None = None
    light_hole_wavelength_nm: float | None = None
    light_hole_mass_z: float | None = None
    light_hole_mass_inplane: float | None = None
    split_off_mixing: bool = False
    inplane: str = "band-edge"
    spinor_overlaps: bool = False

    def as_dict(self) -> dict:
        """Plain dict (JSON-ready), with ``first_exciton_eV`` / ``first_exciton_nm`` keys."""
        d = asdict(self)
        d["first_exciton_eV"] = self.energy_eV
        d["first_exciton_nm"] = self.wavelength_nm
        return d


def _platelet_inputs(material, monolayers, medium, temperature, barrier_mass,
                     lattice_constant_nm):
    """Checked inputs of :func:`platelet_band_edge`: (material, monolayers, medium,
    temperature K, barrier mass m0 or None, lattice constant nm)."""
    from qdlab.structures.medium import Medium
    from qdlab.structures.shapes import Platelet
    from qdlab.structures.shapes.platelet import check_cubic_lattice, platelet_material

    if isinstance(material, Platelet):
        pl = material
        mat = pl.material
        monolayers = pl.monolayers if monolayers is None else monolayers
        medium = pl.medium if medium is None else medium
        temperature = pl.temperature
        if lattice_constant_nm is None:     # the platelet's own (checked) cubic a
            lattice_constant_nm = 2.0 * pl.thickness_nm / (pl.monolayers + 0.5)
    else:
        mat = platelet_material(material)
        check_cubic_lattice(mat, lattice_constant_nm)
    if monolayers is None or isinstance(monolayers, bool) or \
            not isinstance(monolayers, (int, np.integer)) or not 1 <= monolayers <= 20:
        raise QdlabInputError(f"monolayers must be an integer in [1, 20], got {monolayers!r}")
    medium = Medium() if medium is None else medium
    check_positive(temperature, "temperature", "K")
    if isinstance(barrier_mass, str):
        mb = select(BARRIER_MASS_METHODS, "barrier-mass convention", barrier_mass).function
    else:
        mb = float(check_positive(barrier_mass, "barrier_mass", "m0"))
    a = lattice_constant_nm if lattice_constant_nm is not None else \
        getattr(mat, "lattice_constant_nm", None)
    if a is None:
        raise QdlabInputError("lattice_constant_nm must be given: the material has none")
    return mat, monolayers, medium, temperature, mb, a


def platelet_band_edge(material, monolayers: int | None = None, *, medium=None,
                       temperature: float = 300.0, thickness_convention: str = "n+1/2",
                       lattice_constant_nm: float | None = None,
                       barrier_mass: float | str = "well", nonparabolic: bool = True,
                       self_energy: bool = True, eps_slab: str | float = "inf",
                       kane_model: str = "three-band",
                       split_off_mixing: bool = True,
                       inplane: str | None = None,
                       spinor_overlaps: bool | None = None) -> PlateletExciton:
    r"""Heavy-hole (band-edge) and light-hole excitons of a nanoplatelet (see the module notes).

    Parameters
    ----------
    material : str, Material or Platelet
        The semiconductor (needs ``lattice_constant_nm``, ``electron_mass``,
        ``band_gap``, Luttinger parameters; a bare name means its zinc-blende
        record, e.g. ``"CdSe"`` -> ``"CdSe-zb"``) or a
        :class:`~qdlab.structures.shapes.Platelet` (then ``monolayers``, medium
        and temperature come from it).
    monolayers : int
        Anion planes n (1..20); "4.5 ML" is n = 4.
    medium : Medium, optional
        Ligands/solvent (barriers, dielectric constant); default organic ligands.
    temperature : float
        K.
    thickness_convention : {"n+1/2", "n", "n+1"}
        See :func:`platelet_thickness`.
    lattice_constant_nm : float, optional
        Override, nm.
    barrier_mass : float or str
        Carrier mass in the ligand barrier (m0) for the BenDaniel-Duke condition,
        or a name of :data:`BARRIER_MASS_METHODS` (``"free_electron"``, ``"well"``).
        Default ``"well"``: no mass step at the interface -- each carrier keeps
        its own energy-dependent mass :math:`\hbar^2 k_z^2(E)/2E` in the
        barrier, so the matching is continuity of :math:`\psi'`.  ``1.0`` /
        ``"free_electron"``: the convention of the sphere and grid solvers
        (:data:`qdlab.electronic.sphere.exciton.MEDIUM_MASS`), 0.18-0.27 eV too
        red for CdSe platelets (module notes).
    nonparabolic : bool
        Energy-dependent (Kane) electron mass along z and the in-plane
        band-curvature mass of the subband, default True; False: parabolic m_e.
    self_energy : bool
        Include the image self-energies of electron and hole (default True).
    eps_slab : "inf", "static" or float
        Permittivity of the platelet for the Coulomb terms (default eps_inf).
    kane_model : {"three-band", "two-band"}
        Electron dispersion (:data:`KANE_MODELS`); "three-band" needs the
        material's ``kane_energy`` and ``spin_orbit`` (else two-band, with a warning).
    split_off_mixing : bool
        Light hole mixed with the split-off band (default True); False: the
        parabolic light hole 1/(gamma1 + 2 gamma2).
    inplane : {None, "subband", "band-edge"}
        Hole states and in-plane motion of the exciton (:data:`INPLANE_DISPERSIONS`).
        ``"subband"``: hole levels of the 6x6 Luttinger-Kohn well (4x4 without
        ``split_off_mixing``) and the exciton's kinetic energy from the electron and
        hole subband dispersions :math:`T(k_\parallel)`
        (:mod:`qdlab.electronic.anisotropy.well_subbands`).  ``"band-edge"``: parabolic
        in-plane motion with the band-edge hole masses :math:`1/(\gamma_1 \pm \gamma_2)`
        and the electron's curvature mass at the subband edge (the first version).
        None (default): ``"subband"`` where it applies (Luttinger parameters and no mass
        step at the ligands), ``"band-edge"`` otherwise; an explicit ``"subband"`` where
        it does not apply is refused.
    spinor_overlaps : bool, optional
        With ``inplane="subband"``: the Coulomb matrix elements of the exciton carry the
        overlaps of the mixed hole spinors and of the Kane electron (True, the default
        there; :mod:`qdlab.electronic.anisotropy.well_exciton`) or not (False: the
        diagonal approximation, 16-45 meV more binding for CdSe).  With band-edge masses
        there is no mixing: True is refused, None means False.

    Returns
    -------
    PlateletExciton
        Heavy-hole line in ``energy_eV``/``wavelength_nm``, light-hole line in
        ``light_hole_energy_eV``/``light_hole_wavelength_nm`` (None without
        Luttinger parameters).

    See Also
    --------
    qdlab.electronic.anisotropy.slab.keldysh_binding_energy_eV : the Rytova-Keldysh exciton.
    qdlab.electronic.anisotropy.slab.finite_well_ground_state_eV : the thickness quantisation.
    validate_cdse_platelets : comparison with measured CdSe platelets.

    Notes
    -----
    :math:`E_X = E_g(T) + E_{e,z} + E_{X,z} + \Sigma_e + \Sigma_h - E_{b,X}`,
    X = hh, lh (module docstring for each term; band dispersions in
    :mod:`qdlab.electronic.anisotropy.well_bands`).  The lateral size is taken as infinite
    (lateral confinement of the exciton centre of mass in a 10 x 30 nm platelet
    is a few meV).

    References
    ----------
    .. [R1] N. S. Rytova, Moscow Univ. Phys. Bull. 3, 30 (1967); L. V. Keldysh, JETP Lett.
       29, 658 (1979). Bibliography ``rytova1967``, ``keldysh1979``.
    .. [R2] D. J. BenDaniel, C. B. Duke, Phys. Rev. 152, 683 (1966). Bibliography ``bendaniel1966``.
    .. [R3] R. Benchamekh et al., Phys. Rev. B 89, 035307 (2014).
    .. [R4] S. Ithurria et al., Nat. Mater. 10, 936 (2011) (the validation data).
       Bibliography ``ithurria2011``.
    """
    mat, monolayers, medium, temperature, mb, a = _platelet_inputs(
        material, monolayers, medium, temperature, barrier_mass, lattice_constant_nm)
    if getattr(mat, "crystal_structure", "zincblende") not in ("zincblende",):
        # reached only with an explicit cubic lattice constant (check_cubic_lattice)
        warn_validity(f"{getattr(mat, 'key', mat)!r} is not zinc blende: its band "
                      "parameters are those of that phase, the thickness uses the given "
                      "cubic lattice constant", stacklevel=2)
    d = float(platelet_thickness(int(monolayers), a, thickness_convention))
    if monolayers <= 2:
        warn_validity(f"{monolayers}.5 ML ({d:.2f} nm, {2 * monolayers + 1} atomic planes): "
                      "effective-mass theory is not reliable for so few planes", stacklevel=2)
    Eg = float(mat.band_gap(temperature))
    me = float(mat.electron_mass)
    mhz, mhp = heavy_hole_masses(mat)
    Ve, Vh = medium.electron_barrier_eV, medium.hole_barrier_eV
    kane = select(KANE_MODELS, "electron dispersion (kane_model)", kane_model).function
    D = getattr(mat, "spin_orbit_eV", None)
    Ep = getattr(mat, "kane_energy_eV", None)
    if nonparabolic and kane == "three-band" and (D is None or Ep is None):
        warn_validity(f"{getattr(mat, 'key', mat)!r} has no kane_energy/spin_orbit: the "
                      "two-band Kane electron mass is used", stacklevel=2)
        kane = "two-band"
    if not nonparabolic:
        def k2e(E):
            return E * me / HBAR2_2M0
    elif kane == "three-band":
        k2e = partial(conduction_k2, electron_mass=me, band_gap_eV=Eg, spin_orbit_eV=D,
                      kane_energy_eV=Ep)
    else:
        k2e = partial(conduction_k2, electron_mass=me, band_gap_eV=Eg)
    lutt = getattr(mat, "luttinger", None)
    inplane = resolve_inplane(inplane, lutt, mb)
    if spinor_overlaps and inplane != "subband":
        raise QdlabInputError("spinor_overlaps applies only to inplane 'subband' (mixed "
                              "subbands); band-edge masses have no mixing")
    spinor_overlaps = inplane == "subband" if spinor_overlaps is None else bool(spinor_overlaps)
    Ee = well_ground_state_eV(d, k2e, Ve, mb)
    eps = slab_permittivity(mat, eps_slab)
    eo = float(medium.dielectric_constant)
    so = D if split_off_mixing else None
    me_par = curvature_mass(k2e, Ee)      # electron in-plane mass at the subband edge
    if inplane == "subband":
        # holes: 6x6 (4x4) Luttinger-Kohn well; exciton: the subbands' whole T(k_par)
        pairs = subband_pairs(d, lutt, so, Vh, k2e, Ee)
        Eh, Elh, mhp, mlp = pairs.hh_eV, pairs.lh_eV, pairs.mass_hh, pairs.mass_lh
        disp_h, disp_l = pairs.dispersion_hh, pairs.dispersion_lh
        mu_scale_h, mu_scale_l = pairs.scale_mass_hh, pairs.scale_mass_lh
    else:
        # band-edge masses: heavy hole 1/(gamma1 + gamma2), light hole 1/(gamma1 - gamma2)
        Eh = well_ground_state_eV(d, lambda E: E * mhz / HBAR2_2M0, Vh, mb)
        disp_h = disp_l = None
        if lutt is not None:
            g1, g2, _ = (float(v) for v in lutt)
            Elh = well_ground_state_eV(d, partial(light_hole_k2, gamma1=g1, gamma2=g2,
                                                  spin_orbit_eV=so), Vh, mb)
            mlp = 1.0 / (g1 - g2)
    mu = 1.0 / (1.0 / me_par + 1.0 / mhp)
    if inplane == "band-edge":
        mu_scale_h = mu
        mu_scale_l = 1.0 / (1.0 / me_par + 1.0 / mlp) if lutt is not None else mu
    if spinor_overlaps:
        e_ch = None
        if nonparabolic:
            three = kane == "three-band"
            e_ch = electron_form_factor_channels(
                pairs.k_per_nm, math.sqrt(k2e(Ee)), Ee + pairs.electron_kinetic_eV, Eg,
                Ep if three else None, D if three else None)
        mixed = subband_excitons(d, lutt, so, Vh, pairs, e_ch, eps, eo)
        eb, ax = mixed.binding_hh_eV, mixed.radius_hh_nm
    else:
        eb, ax = keldysh_binding_energy_eV(mu_scale_h, d, eps, eo, dispersion=disp_h)
    sig = 2.0 * slab_self_energy_eV(d, eps, eo) if self_energy else 0.0
    E = Eg + Ee + Eh + sig - float(eb)
    lh = {}
    if lutt is not None:
        g1, g2, _ = (float(v) for v in lutt)
        if spinor_overlaps:
            eb_l = mixed.binding_lh_eV
        else:
            eb_l, _ = keldysh_binding_energy_eV(mu_scale_l, d, eps, eo, dispersion=disp_l)
        E_l = Eg + Ee + Elh + sig - float(eb_l)
        lh = dict(light_hole_confinement_eV=Elh, light_hole_binding_energy_eV=float(eb_l),
                  light_hole_energy_eV=E_l, light_hole_wavelength_nm=HC_EV_NM / E_l,
                  light_hole_mass_z=1.0 / (g1 + 2.0 * g2), light_hole_mass_inplane=mlp,
                  split_off_mixing=so is not None)
    return PlateletExciton(
        material=str(getattr(mat, "key", getattr(mat, "name", mat))), monolayers=int(monolayers),
        thickness_nm=d, thickness_convention=thickness_convention, band_gap_eV=Eg,
        electron_confinement_eV=Ee, hole_confinement_eV=Eh, self_energy_eV=sig,
        binding_energy_eV=float(eb), exciton_radius_nm=float(ax),
        screening_length_nm=float(screening_length_nm(eps, d, eo)), energy_eV=E,
        wavelength_nm=HC_EV_NM / E, hole_mass_z=mhz, hole_mass_inplane=mhp, electron_mass=me,
        reduced_mass_inplane=mu, eps_slab=eps, eps_out=eo,
        barrier_mass="well" if mb is None else mb,
        nonparabolic=bool(nonparabolic), kane_model=kane if nonparabolic else "parabolic",
        inplane=inplane, spinor_overlaps=spinor_overlaps, **lh)


#: Names of :mod:`qdlab.electronic.anisotropy.platelet_validation`, importable from here.
_VALIDATION_NAMES = ("PlateletReference", "cdse_platelet_reference", "validate_cdse_platelets",
                     "platelet_validation_table")


def __getattr__(name):
    if name in _VALIDATION_NAMES:
        from qdlab.electronic.anisotropy import platelet_validation

        return getattr(platelet_validation, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # pragma: no cover - prints the validation tables
    from qdlab.electronic.anisotropy.platelet_validation import _main

    _main()
