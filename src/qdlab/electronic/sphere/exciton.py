"""Single-particle levels and the first exciton of layered spheres.

This module turns a :class:`~qdlab.structures.SphericalStructure` into states:
it builds the piecewise-constant band-edge and mass profiles, calls the exact
radial solver (:func:`qdlab.electronic.sphere.radial.solve_radial`) for electrons and
holes, and adds the electron-hole Coulomb and dielectric (self-polarisation)
energies in first-order perturbation theory
(:mod:`qdlab.electronic.sphere.coulomb`).

Module map: the first-order exciton energy on the radial grid is in
:mod:`qdlab.electronic.sphere.exciton_energy`, the vectorised first exciton of many
structures (:func:`first_exciton_batch`, :func:`pair_energy_batch`) in
:mod:`qdlab.electronic.sphere.exciton_batch`; both are importable from here.

Model
-----
Electron and hole are treated in the single-band envelope-function (effective-
mass) approximation with BenDaniel-Duke boundary conditions.  Each layer ``i``
contributes its conduction-band edge :math:`E_{c,i}(T)` and valence-band edge
:math:`E_{v,i}(T)` on the vacuum scale (``Material.conduction_band_edge``), the
ligand/solvent medium a barrier above (below) the outermost layer's edges and
the free-electron mass.  The first excitonic transition is

.. math::

    E_1 = E_e^{1S} - E_h^{1S} - J_{eh} + \\Sigma_e + \\Sigma_h

with :math:`J_{eh}` the direct Coulomb attraction (including the mutual image
interaction of the layered dielectric) and :math:`\\Sigma_{e,h}` the self-
polarisation energies (Brus 1984).

Nonparabolicity: with ``nonparabolic=True`` the electron mass in each layer is
energy dependent as in Kane's two-band model, :math:`m(E)=m^*(1+(E-E_c)/E_g)`;
holes get the same treatment in materials with mirror-like bands (lead
chalcogenides, lead-halide perovskites), where the valence band is the Kane
partner of the conduction band.  In II-VI and III-V materials the band-edge
(heavy) hole does not couple to the conduction band in the two-band model and
stays parabolic.

Dielectric screening: the Coulomb terms use the high-frequency (electronic)
dielectric constants of the layers by default, because in strongly confined
dots the electron-hole Coulomb energy (0.1-0.3 eV) is far above the LO-phonon
energy (20-40 meV), so the lattice polarisation cannot follow the carriers
(see the discussion in A. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30,
475 (2000)).  ``screening="static"`` uses the static constants (appropriate
in weak confinement).

Known limitations
-----------------
Single-band effective-mass theory overestimates confinement energies for
diameters below ~3 nm: it neglects the valence-band mixing (Luttinger
Hamiltonian), the full energy dependence of the masses, and the atomistic
surface.  Expect the first exciton to be too high by 0.1-0.3 eV at 2 nm in
CdSe; ``qdlab validate`` reports the error against measured sizing curves.

References
----------
.. [1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984).
.. [2] D. J. BenDaniel and C. B. Duke, Phys. Rev. 152, 683 (1966).
.. [3] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957).
.. [4] D. Schooss, A. Mews, A. Eychmueller, H. Weller, Phys. Rev. B 49, 17072 (1994).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.electronic.sphere import coulomb as _coulomb
from qdlab.electronic.sphere.alignment import alignment_from_levels
from qdlab.electronic.sphere.exciton_batch import (  # noqa: F401  (old import path)
    _batch_inputs,
    _check_radii,
    _ground_states,
    _require_bound,
    first_exciton_batch,
    pair_energy_batch,
)
from qdlab.electronic.sphere.exciton_energy import (  # noqa: F401  (old import path)
    _EXCITON_KEYS,
    N_GRID,
    _exciton_block,
    _grid_tail_nm,
    _require_peak_allowed,
    _trapezoid_weights,
)

# re-exported: these were defined here before (old import paths)
from qdlab.electronic.sphere.profiles import (  # noqa: E402, F401
    L_LETTERS,
    MEDIUM_MASS,
    _dielectric,
    _profiles,
    _tail_nm,
    band_profiles,
    layer_permittivities,
    orbital_letter,
)
from qdlab.electronic.sphere.radial import RadialSolution, solve_radial
from qdlab.errors import QdlabInputError
from qdlab.structures import SphericalStructure


@dataclass(frozen=True)
class Level:
    """One single-particle level.

    Attributes
    ----------
    carrier : str
        ``"electron"`` or ``"hole"``.
    n, l : int
        Radial quantum number (1, 2, ...) and angular momentum.
    energy_eV : float
        Level energy on the vacuum scale, in eV (for holes: the energy of the
        electron state, i.e. below the valence-band edge).
    confinement_eV : float
        Energy above the band edge of the layer the carrier mostly sits in
        (electrons) or below it (holes), in eV; > 0.
    """

    carrier: str
    n: int
    l: int
    energy_eV: float
    confinement_eV: float

    @property
    def label(self) -> str:
        return f"{self.n}{orbital_letter(self.l)}"

    @property
    def degeneracy(self) -> int:
        """Orbital degeneracy 2l+1 (spin not included)."""
        return 2 * self.l + 1


@dataclass(frozen=True)
class ExcitonStates:
    """States of a spherical nanocrystal and its lowest exciton.

    Produced by :func:`solve_sphere` / :func:`qdlab.solve`.  Energies in eV,
    lengths in nm.
    """

    structure: SphericalStructure
    electron_levels: tuple
    hole_levels: tuple
    r_nm: np.ndarray = field(repr=False)
    electron_wavefunction: np.ndarray = field(repr=False)
    hole_wavefunction: np.ndarray = field(repr=False)
    coulomb_eV: float
    polarisation_electron_eV: float
    polarisation_hole_eV: float
    overlap: float
    electron_in_core: float
    hole_in_core: float
    alignment: str
    screening: str
    nonparabolic: bool
    dielectric: str = "mismatch"

    @property
    def single_particle_gap_eV(self) -> float:
        """Energy of the lowest electron level minus that of the lowest hole level (eV)."""
        return self.electron_levels[0].energy_eV - self.hole_levels[0].energy_eV

    @property
    def first_exciton_eV(self) -> float:
        """First excitonic transition energy in eV (gap - J + self-polarisation)."""
        return (self.single_particle_gap_eV - self.coulomb_eV
                + self.polarisation_electron_eV + self.polarisation_hole_eV)

    @property
    def first_exciton_nm(self) -> float:
        """First excitonic transition wavelength in nm."""
        return HC_EV_NM / self.first_exciton_eV

    def to_dict(self) -> dict:
        """JSON-ready summary (the ``qdlab levels --json`` contract)."""
        s = self.structure
        return {
            "structure": s.label,
            "radii_nm": list(s.radii_nm),
            "outer_diameter_nm": s.outer_diameter_nm,
            "temperature_K": s.temperature,
            "medium": {"name": s.medium.name, "dielectric_constant": s.medium.dielectric_constant,
                       "electron_barrier_eV": _json_float(s.medium.electron_barrier_eV),
                       "hole_barrier_eV": _json_float(s.medium.hole_barrier_eV)},
            "first_exciton_eV": self.first_exciton_eV,
            "first_exciton_nm": self.first_exciton_nm,
            "single_particle_gap_eV": self.single_particle_gap_eV,
            "coulomb_eV": self.coulomb_eV,
            "polarisation_eV": self.polarisation_electron_eV + self.polarisation_hole_eV,
            "overlap": self.overlap,
            "electron_in_core": self.electron_in_core,
            "hole_in_core": self.hole_in_core,
            "alignment": self.alignment,
            "screening": self.screening,
            "nonparabolic": self.nonparabolic,
            "dielectric": self.dielectric,
            "electron_levels": [_level_dict(v) for v in self.electron_levels],
            "hole_levels": [_level_dict(v) for v in self.hole_levels],
        }


def _json_float(x: float):
    return x if math.isfinite(x) else None


def _level_dict(v: Level) -> dict:
    return {"label": v.label, "n": v.n, "l": v.l, "energy_eV": v.energy_eV,
            "confinement_eV": v.confinement_eV}


def _levels(carrier, radii, v, m, g, l_max, n_per_l, sign):
    """All bound levels with l <= l_max, n <= n_per_l, sorted by confinement.

    Returns the levels and the lowest l = 0 state as a one-state
    :class:`~qdlab.electronic.sphere.radial.RadialSolution` (for the exciton).
    """
    out = []
    vmin = float(np.min(v[:-1]))
    ground = None
    for l in range(l_max + 1):
        sol = solve_radial(radii[None, :], v[None, :], m[None, :], l=l, n_states=n_per_l,
                           gap_eV=None if g is None else g[None, :])
        if l == 0:
            ground = _lowest_state(sol)
        for n in range(n_per_l):
            if not bool(sol.bound[0, n]):
                continue
            e = float(sol.energies_eV[0, n])
            out.append(Level(carrier, n + 1, l, sign * e, e - vmin))
    out.sort(key=lambda lv: lv.confinement_eV)
    return tuple(out), ground


def _lowest_state(sol: RadialSolution) -> RadialSolution:
    """The lowest level of ``sol`` alone, as if solved with ``n_states=1``.

    The root search finds level k without regard to the levels above it, so
    this equals the one-state solution exactly (same energies, same
    wavefunctions).
    """
    return RadialSolution(energies_eV=sol.energies_eV[:, :1].copy(),
                          bound=sol.bound[:, :1].copy(), l=sol.l, radii_nm=sol.radii_nm,
                          potential_eV=sol.potential_eV, mass=sol.mass, gap_eV=sol.gap_eV,
                          n_states=1)


def solve_sphere(structure: SphericalStructure, *, l_max: int = 2, n_states: int = 2,
                 nonparabolic: bool = True, screening: str = "high_frequency",
                 coulomb: bool = True,
                 interface_width_nm: float = _coulomb.DEFAULT_INTERFACE_WIDTH_NM,
                 dielectric: str = "mismatch") -> ExcitonStates:
    """Solve a layered sphere exactly: levels, wavefunctions and the first exciton.

    Parameters
    ----------
    structure : SphericalStructure
        A :class:`~qdlab.structures.Sphere` or :class:`~qdlab.structures.CoreShell`.
    l_max : int
        Highest angular momentum of the levels listed (>= 0).
    n_states : int
        Radial states per angular momentum (>= 1).
    nonparabolic : bool
        Kane two-band energy-dependent masses (see module notes).
    screening : {"high_frequency", "static"}
        Which dielectric constants screen the Coulomb terms.
    coulomb : bool
        Include the Coulomb and self-polarisation corrections.
    interface_width_nm : float
        Width (nm) over which the image potential is smoothed at each dielectric
        interface (default 0.15 nm, about a quarter of a lattice constant).  The
        self-polarisation energy of a 4 nm CdSe dot changes by ~3 % between
        0.1 and 0.2 nm: this is the physical uncertainty of a sharp-interface
        dielectric model (see :mod:`qdlab.electronic.sphere.coulomb`).
    dielectric : {"mismatch", "uniform"}
        ``"mismatch"`` (default): the layers' and the medium's permittivities, with
        the mutual-image and self-polarisation terms; ``"uniform"``: the core's
        permittivity everywhere (no image terms), the same choice as
        :func:`qdlab.electronic.grid.solve_shape` ``(dielectric="uniform")``.

    Returns
    -------
    ExcitonStates

    See Also
    --------
    first_exciton_batch : the lowest exciton of many structures at once.
    qdlab.electronic.grid.solve_shape : the same model on a 3D grid, any shape.
    qdlab.electronic.analytic.brus_energy : the closed-form Brus equation.

    References
    ----------
    .. [R1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984). Bibliography ``brus1984``.
    .. [R2] D. J. BenDaniel, C. B. Duke, Phys. Rev. 152, 683 (1966). Bibliography ``bendaniel1966``.
    .. [R3] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.

    Examples
    --------
    >>> from qdlab.structures import Sphere
    >>> st = solve_sphere(Sphere("CdSe", 4.0))
    >>> 1.9 < st.first_exciton_eV < 2.4
    True
    >>> st.electron_levels[0].label, st.hole_levels[0].label
    ('1S', '1S')
    """
    if not isinstance(structure, SphericalStructure):
        raise QdlabInputError(f"structure must be a Sphere or CoreShell, got {type(structure).__name__}")
    if int(l_max) != l_max or l_max < 0:
        raise QdlabInputError(f"l_max must be an integer >= 0, got {l_max}")
    if int(n_states) != n_states or n_states < 1:
        raise QdlabInputError(f"n_states must be an integer >= 1, got {n_states}")
    if dielectric not in ("mismatch", "uniform"):
        raise QdlabInputError(f"dielectric must be 'mismatch' or 'uniform', got {dielectric!r}")
    mats = structure.materials
    medium = structure.medium
    radii = np.array(structure.radii_nm, dtype=float)
    profiles = band_profiles(mats, medium, structure.temperature, nonparabolic)
    v_e, m_e, g_e, v_h, m_h, g_h = profiles
    e_levels, se = _levels("electron", radii, v_e, m_e, g_e, l_max, n_states, +1.0)
    h_levels, sh = _levels("hole", radii, v_h, m_h, g_h, l_max, n_states, -1.0)
    if not e_levels or e_levels[0].l != 0:
        raise QdlabInputError(f"{structure.label}: no bound electron state; increase the "
                              "size or the medium barrier")
    if not h_levels or h_levels[0].l != 0:
        raise QdlabInputError(f"{structure.label}: no bound hole state; increase the "
                              "size or the medium barrier")
    # the 1S electron and hole of the level search give the exciton (no second solve)
    eps = layer_permittivities(mats, screening)
    eps_medium = medium
    if dielectric == "uniform":
        from dataclasses import replace

        eps = np.full(eps.shape, eps[0])
        eps_medium = replace(medium, dielectric_constant=float(eps[0]))
    ex = _exciton_block(radii[None, :], se, sh, _grid_tail_nm(profiles), eps, eps_medium,
                        coulomb, interface_width_nm)
    return ExcitonStates(
        structure=structure,
        electron_levels=e_levels,
        hole_levels=h_levels,
        r_nm=ex["r_nm"][0],
        electron_wavefunction=ex["electron_wavefunction"][0],
        hole_wavefunction=ex["hole_wavefunction"][0],
        coulomb_eV=float(ex["coulomb_eV"][0]),
        polarisation_electron_eV=float(ex["polarisation_electron_eV"][0]),
        polarisation_hole_eV=float(ex["polarisation_hole_eV"][0]),
        overlap=float(ex["overlap"][0]),
        electron_in_core=float(ex["electron_in_core"][0]),
        hole_in_core=float(ex["hole_in_core"][0]),
        alignment=alignment_from_levels(v_e[:-1], float(ex["electron_eV"][0]),
                                        v_h[:-1], -float(ex["hole_eV"][0])),
        screening=screening,
        nonparabolic=nonparabolic,
        dielectric=dielectric,
    )
