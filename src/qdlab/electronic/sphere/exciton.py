"""Single-particle levels and the first exciton of layered spheres.

This module turns a :class:`~qdlab.structures.SphericalStructure` into states:
it builds the piecewise-constant band-edge and mass profiles, calls the exact
radial solver (:func:`qdlab.electronic.sphere.radial.solve_radial`) for electrons and
holes, and adds the electron-hole Coulomb and dielectric (self-polarisation)
energies in first-order perturbation theory
(:mod:`qdlab.electronic.sphere.coulomb`).

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
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.electronic.sphere import coulomb as _coulomb
from qdlab.electronic.sphere.alignment import alignment_from_levels

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
from qdlab.errors import QdlabInputError, check_positive
from qdlab.structures import Medium, SphericalStructure
from qdlab.structures.spheres import resolve_materials

#: Points of each structure's radial grid for the Coulomb integrals; the
#: discretisation error of the first exciton is below 1e-4 eV (see tests).
N_GRID = 201


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
    .. [R1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984).
    .. [R2] D. J. BenDaniel, C. B. Duke, Phys. Rev. 152, 683 (1966).
    .. [R3] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957).

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


def pair_energy_batch(materials: Sequence, radii_nm, medium: Medium | None = None,
                      temperature: float = 300.0, *, nonparabolic: bool = True) -> dict:
    """Ground electron and hole levels of many layered spheres, without Coulomb terms.

    The fast path of :func:`first_exciton_batch` for screening: only the two
    eigenvalue problems are solved (no wavefunctions).

    Returns
    -------
    dict of ndarray, shape (N,)
        ``electron_eV``, ``hole_eV`` (vacuum scale) and ``single_particle_gap_eV``.

    See Also
    --------
    first_exciton_batch : with the Coulomb and image terms.

    References
    ----------
    .. [R1] D. J. BenDaniel, C. B. Duke, Phys. Rev. 152, 683 (1966).

    Examples
    --------
    >>> import numpy as np
    >>> out = pair_energy_batch(["CdSe", "CdS"], np.array([[1.5, 2.5]]))
    >>> bool(2.0 < out["single_particle_gap_eV"][0] < 2.6)
    True
    """
    _, _, radii, profiles = _batch_inputs(materials, radii_nm, medium, temperature,
                                          nonparabolic)
    se, sh = _ground_states(radii, profiles, 0)
    ee, eh = se.energies_eV[:, 0], sh.energies_eV[:, 0]
    return {"electron_eV": ee, "hole_eV": -eh, "single_particle_gap_eV": ee + eh}


def _batch_inputs(materials, radii_nm, medium, temperature, nonparabolic):
    """Checked inputs of the batch solvers: materials, medium, radii (N, L), band profiles."""
    mats = resolve_materials(materials)
    medium = medium if medium is not None else Medium()
    radii = _check_radii(radii_nm, len(mats))
    check_positive(temperature, "temperature", "K")
    return mats, medium, radii, band_profiles(mats, medium, temperature, nonparabolic)


def _ground_states(radii, profiles, offset: int):
    """Lowest l = 0 electron and hole states of the structures ``radii`` (N, L), all bound.

    ``offset`` is the index of the first structure in the caller's numbering (for
    the error message).
    """
    v_e, m_e, g_e, v_h, m_h, g_h = profiles
    n = radii.shape[0]

    def tile(p):
        return None if p is None else np.broadcast_to(p, (n, p.size))

    se = solve_radial(radii, tile(v_e), tile(m_e), l=0, n_states=1, gap_eV=tile(g_e))
    sh = solve_radial(radii, tile(v_h), tile(m_h), l=0, n_states=1, gap_eV=tile(g_h))
    _require_bound(se, sh, radii, offset)
    return se, sh


def _check_radii(radii_nm, n_layers: int) -> np.ndarray:
    radii = np.atleast_2d(np.asarray(radii_nm, dtype=float))
    if radii.ndim != 2 or radii.shape[1] != n_layers:
        raise QdlabInputError(f"radii_nm must have one column per layer ({n_layers}), "
                              f"got shape {radii.shape}")
    check_positive(radii, "radius", "nm")
    if np.any(np.diff(radii, axis=1) <= 0):
        raise QdlabInputError("radii_nm must increase from the core outwards "
                              "(every shell thickness > 0 nm)")
    return radii


def _require_bound(se, sh, radii, offset: int) -> None:
    for name, sol in (("electron", se), ("hole", sh)):
        if not np.all(sol.bound[:, 0]):
            i = int(np.argmin(sol.bound[:, 0]))
            raise QdlabInputError(f"no bound {name} state for structure {offset + i} "
                                  f"(radii {radii[i].tolist()} nm)")


def first_exciton_batch(materials: Sequence, radii_nm, medium: Medium | None = None,
                        temperature: float = 300.0, *, nonparabolic: bool = True,
                        screening: str = "high_frequency", coulomb: bool = True,
                        interface_width_nm: float = _coulomb.DEFAULT_INTERFACE_WIDTH_NM,
                        chunk: int = 8192, _return_wavefunctions: bool = False) -> dict:
    """Ground-state exciton energies of many layered spheres with the same materials.

    Vectorised: one call solves ``N`` structures (different radii, same layer
    materials), e.g. 10^5 CdSe/CdS core/shells with random core and shell sizes.

    Parameters
    ----------
    materials : sequence of Material or str
        Layer materials from the core outwards (length ``L``).
    radii_nm : array_like, shape (N, L)
        Outer radius of each layer in nm, increasing along a row.
    medium : Medium, optional
        Surroundings (default: organic ligands).
    temperature : float
        Temperature in K.
    nonparabolic, screening, coulomb, interface_width_nm
        As in :func:`solve_sphere`.
    chunk : int
        Structures per vectorised block (bounds the memory of the Coulomb grid).

    Returns
    -------
    dict of ndarray, shape (N,)
        ``first_exciton_eV``, ``single_particle_gap_eV``, ``electron_eV``,
        ``hole_eV`` (vacuum-scale level energies), ``coulomb_eV``,
        ``polarisation_electron_eV``, ``polarisation_hole_eV``, ``overlap``,
        ``electron_in_core``, ``hole_in_core``.

    See Also
    --------
    solve_sphere : all levels of one structure.
    pair_energy_batch : single-particle gap only (no Coulomb).
    qdlab.electronic.analytic.brus_energy : the closed-form Brus equation.

    References
    ----------
    .. [R1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984).
    .. [R2] D. J. BenDaniel, C. B. Duke, Phys. Rev. 152, 683 (1966).
    .. [R3] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957).

    Examples
    --------
    >>> import numpy as np
    >>> out = first_exciton_batch(["CdSe", "CdS"], np.array([[1.5, 2.5], [2.0, 3.0]]))
    >>> bool(out["first_exciton_eV"][0] > out["first_exciton_eV"][1])
    True
    """
    mats, medium, radii, profiles = _batch_inputs(materials, radii_nm, medium, temperature,
                                                  nonparabolic)
    eps = layer_permittivities(mats, screening)
    n_struct = radii.shape[0]
    out = {k: np.empty(n_struct) for k in _EXCITON_KEYS}
    tail = _grid_tail_nm(profiles)
    wavefunctions = None
    for start in range(0, n_struct, chunk):
        sl = slice(start, min(start + chunk, n_struct))
        rad = radii[sl]
        se, sh = _ground_states(rad, profiles, start)
        block = _exciton_block(rad, se, sh, tail, eps, medium, coulomb, interface_width_nm)
        for k in _EXCITON_KEYS:
            out[k][sl] = block[k]
        wavefunctions = block
    if _return_wavefunctions:
        for k in ("r_nm", "electron_wavefunction", "hole_wavefunction"):
            out[k] = wavefunctions[k] if wavefunctions is not None else None
    return out


#: Per-structure results of :func:`first_exciton_batch`.
_EXCITON_KEYS = ("first_exciton_eV", "single_particle_gap_eV", "electron_eV", "hole_eV",
                 "coulomb_eV", "polarisation_electron_eV", "polarisation_hole_eV", "overlap",
                 "electron_in_core", "hole_in_core")


def _grid_tail_nm(profiles) -> float:
    """How far (nm) the Coulomb grid reaches beyond the outer radius: the longer carrier tail."""
    v_e, m_e, _, v_h, m_h, _ = profiles
    return max(_tail_nm(v_e[-1] - np.min(v_e[:-1]), m_e[-1]),
               _tail_nm(v_h[-1] - np.min(v_h[:-1]), m_h[-1]))


def _exciton_block(rad, se, sh, tail, eps, medium, coulomb, interface_width_nm) -> dict:
    """First exciton of structures ``rad`` (nb, L) from their lowest l = 0 states ``se``, ``sh``.

    Returns the :data:`_EXCITON_KEYS` arrays (nb,) and the grid ``r_nm`` (nb, M) with
    the ``electron_wavefunction`` and ``hole_wavefunction`` on it (nm^-3/2).
    """
    nb = rad.shape[0]
    ee = se.energies_eV[:, 0]
    eh = sh.energies_eV[:, 0]
    gap = ee + eh
    # Each structure gets its own grid from 0 to its outer radius plus the tail, so
    # that a structure's result does not depend on which others share the call.
    r_grid = (rad[:, -1:] + tail) * np.linspace(0.0, 1.0, N_GRID)            # (nb, M)
    wf_e = se.wavefunctions(r_grid)[:, 0, :]
    wf_h = sh.wavefunctions(r_grid)[:, 0, :]
    for sol, wf, name in ((se, wf_e, "electron"), (sh, wf_h, "hole")):   # issue 10
        _require_peak_allowed(sol, rad, r_grid, wf, name)
    core = r_grid <= rad[:, :1]
    w = _trapezoid_weights(r_grid) * r_grid**2
    if coulomb:
        # Only interfaces where the permittivity changes are dielectric interfaces.
        keep = np.append(eps[1:] != eps[:-1], True)
        terms = _coulomb.exciton_coulomb_terms(
            r_grid, wf_e**2, wf_h**2, rad[:, keep],
            np.broadcast_to(eps[keep], (nb, int(keep.sum()))),
            medium.dielectric_constant, interface_width_nm=interface_width_nm)
        j = np.asarray(terms.coulomb_eV)
        pe = np.asarray(terms.polarisation_e_eV)
        ph = np.asarray(terms.polarisation_h_eV)
    else:
        j = pe = ph = np.zeros(nb)
    return {
        "first_exciton_eV": gap - j + pe + ph,
        "single_particle_gap_eV": gap,
        "electron_eV": ee,
        "hole_eV": -eh,
        "coulomb_eV": j,
        "polarisation_electron_eV": pe,
        "polarisation_hole_eV": ph,
        "overlap": _coulomb.overlap_integral(r_grid, wf_e, wf_h),
        "electron_in_core": np.sum(np.where(core, wf_e**2, 0.0) * w, axis=1),
        "hole_in_core": np.sum(np.where(core, wf_h**2, 0.0) * w, axis=1),
        "r_nm": r_grid,
        "electron_wavefunction": wf_e,
        "hole_wavefunction": wf_h,
    }


def _require_peak_allowed(sol, rad, r_grid, wf, carrier: str) -> None:
    """Refuse a ground state whose density r^2 R^2 peaks beyond its outermost allowed layer.

    Outside the outermost layer where the carrier is classically allowed (E >= V)
    a bound l = 0 state decays, so its radial density r^2 R^2 peaks inside that
    layer or at its outer surface.  The outward shooting of
    :mod:`qdlab.electronic.sphere.radial` rebuilds the wavefunction from the centre;
    through a barrier many decay lengths thick (e.g. a hole under 8-20 nm of
    CdS/ZnS) the rounding error of the eigenvalue grows as exp(kappa d) and the
    rebuilt density piles up at the outer surface: the energy stays right but the
    overlap, Coulomb term and layer probabilities are wrong.  Such structures are
    refused with a clear message.
    """
    dens = np.nan_to_num(wf**2 * r_grid**2)
    rows = np.arange(r_grid.shape[0])
    r_pk = r_grid[rows, np.argmax(dens, axis=1)]
    E = sol.energies_eV[:, :1]
    allowed = E >= sol.potential_eV[:, :-1]                      # (N, L) per layer
    j_a = allowed.shape[1] - 1 - np.argmax(allowed[:, ::-1], axis=1)
    r_a = rad[rows, j_a]
    step = r_grid[:, 1] - r_grid[:, 0]
    bad = allowed.any(axis=1) & (r_pk > r_a + 2.0 * step)
    if np.any(bad):
        i = int(np.argmax(bad))
        raise QdlabInputError(
            f"the {carrier} ground state of radii {np.round(rad[i], 3).tolist()} nm must "
            f"tunnel through {rad[i, -1] - r_a[i]:.3g} nm of barrier beyond r = {r_a[i]:.3g} nm, "
            "too thick for the radial solver to resolve its wavefunction (outward shooting "
            "loses precision); use thinner outer shells (a few nm)")


def _trapezoid_weights(x: np.ndarray) -> np.ndarray:
    """Trapezoid-rule weights along the last axis."""
    w = np.zeros_like(x)
    dx = np.diff(x, axis=-1)
    w[..., :-1] += dx / 2
    w[..., 1:] += dx / 2
    return w
