"""Single-particle levels and the first exciton of layered spheres.

This module turns a :class:`~qdlab.structures.SphericalStructure` into states:
it builds the piecewise-constant band-edge and mass profiles, calls the exact
radial solver (:func:`qdlab.electronic.radial.solve_radial`) for electrons and
holes, and adds the electron-hole Coulomb and dielectric (self-polarisation)
energies in first-order perturbation theory
(:mod:`qdlab.electronic.coulomb`).

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

from qdlab._validation import QdlabInputError, check_positive
from qdlab.constants import HC_EV_NM
from qdlab.electronic import coulomb as _coulomb
from qdlab.electronic.alignment import alignment_from_levels
from qdlab.electronic.holes import band_edge_hole_mass, has_mirror_bands
from qdlab.electronic.radial import solve_radial
from qdlab.structures import Medium, SphericalStructure

#: Mass of a carrier in the ligand/solvent barrier, in m0 (free-electron mass).
MEDIUM_MASS = 1.0
#: Spectroscopic letters for angular momentum l.
L_LETTERS = "SPDFGHIK"
#: Points of each structure's radial grid for the Coulomb integrals; the
#: discretisation error of the first exciton is below 1e-4 eV (see tests).
N_GRID = 201


def _profiles(materials: Sequence, medium: Medium, temperature: float, nonparabolic: bool):
    """Band-edge, mass and gap profiles (layers then medium) for electrons and holes."""
    t = float(temperature)
    cb = np.array([m.conduction_band_edge(t) for m in materials], dtype=float)
    vb = np.array([m.valence_band_edge(t) for m in materials], dtype=float)
    gaps = cb - vb
    me = np.array([m.electron_mass for m in materials], dtype=float)
    mh = np.array([band_edge_hole_mass(m) for m in materials], dtype=float)
    v_e = np.append(cb, cb[-1] + medium.electron_barrier_eV)
    v_h = np.append(-vb, -vb[-1] + medium.hole_barrier_eV)
    m_e = np.append(me, MEDIUM_MASS)
    m_h = np.append(mh, MEDIUM_MASS)
    if nonparabolic:
        g_e = np.append(gaps, np.inf)
        hole_np = np.array([has_mirror_bands(m) for m in materials])
        g_h = np.append(np.where(hole_np, gaps, np.inf), np.inf)
        if not hole_np.any():
            g_h = None
    else:
        g_e = g_h = None
    return v_e, m_e, g_e, v_h, m_h, g_h


def _dielectric(materials, screening: str) -> np.ndarray:
    if screening == "high_frequency":
        return np.array([m.eps_inf for m in materials], dtype=float)
    if screening == "static":
        return np.array([m.eps_static for m in materials], dtype=float)
    raise QdlabInputError(f"screening must be 'high_frequency' or 'static', got {screening!r}")


def _tail_nm(v_out_minus_in: float, mass_out: float) -> float:
    """Six decay lengths of a bound state under a barrier (0 for a hard wall)."""
    if not math.isfinite(v_out_minus_in):
        return 0.0
    from qdlab.constants import HBAR2_2M0

    kappa = math.sqrt(max(v_out_minus_in, 1e-3) * mass_out / HBAR2_2M0)
    return min(6.0 / kappa, 3.0)


def orbital_letter(l: int) -> str:
    """Spectroscopic letter of angular momentum ``l`` (S, P, D, ...).

    Examples
    --------
    >>> orbital_letter(0), orbital_letter(2), orbital_letter(9)
    ('S', 'D', '(l=9)')
    """
    return L_LETTERS[l] if l < len(L_LETTERS) else f"(l={l})"


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
            "electron_levels": [_level_dict(v) for v in self.electron_levels],
            "hole_levels": [_level_dict(v) for v in self.hole_levels],
        }


def _json_float(x: float):
    return x if math.isfinite(x) else None


def _level_dict(v: Level) -> dict:
    return {"label": v.label, "n": v.n, "l": v.l, "energy_eV": v.energy_eV,
            "confinement_eV": v.confinement_eV}


def _levels(carrier, radii, v, m, g, l_max, n_per_l, sign):
    """All bound levels with l <= l_max, n <= n_per_l, sorted by confinement."""
    out = []
    vmin = float(np.min(v[:-1]))
    for l in range(l_max + 1):
        sol = solve_radial(radii[None, :], v[None, :], m[None, :], l=l, n_states=n_per_l,
                           gap_eV=None if g is None else g[None, :])
        for n in range(n_per_l):
            if not bool(sol.bound[0, n]):
                continue
            e = float(sol.energies_eV[0, n])
            out.append(Level(carrier, n + 1, l, sign * e, e - vmin))
    out.sort(key=lambda lv: lv.confinement_eV)
    return tuple(out)


def solve_sphere(structure: SphericalStructure, *, l_max: int = 2, n_states: int = 2,
                 nonparabolic: bool = True, screening: str = "high_frequency",
                 coulomb: bool = True,
                 interface_width_nm: float = _coulomb.DEFAULT_INTERFACE_WIDTH_NM
                 ) -> ExcitonStates:
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
        dielectric model (see :mod:`qdlab.electronic.coulomb`).

    Returns
    -------
    ExcitonStates

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
    mats = structure.materials
    radii = np.array(structure.radii_nm, dtype=float)
    v_e, m_e, g_e, v_h, m_h, g_h = _profiles(mats, structure.medium, structure.temperature,
                                             nonparabolic)
    e_levels = _levels("electron", radii, v_e, m_e, g_e, l_max, n_states, +1.0)
    h_levels = _levels("hole", radii, v_h, m_h, g_h, l_max, n_states, -1.0)
    if not e_levels or e_levels[0].l != 0:
        raise QdlabInputError(f"{structure.label}: no bound electron state; increase the "
                              "size or the medium barrier")
    if not h_levels or h_levels[0].l != 0:
        raise QdlabInputError(f"{structure.label}: no bound hole state; increase the "
                              "size or the medium barrier")
    batch = first_exciton_batch(mats, radii[None, :], structure.medium, structure.temperature,
                                nonparabolic=nonparabolic, screening=screening,
                                coulomb=coulomb, interface_width_nm=interface_width_nm,
                                _return_wavefunctions=True)
    return ExcitonStates(
        structure=structure,
        electron_levels=e_levels,
        hole_levels=h_levels,
        r_nm=batch["r_nm"][0],
        electron_wavefunction=batch["electron_wavefunction"][0],
        hole_wavefunction=batch["hole_wavefunction"][0],
        coulomb_eV=float(batch["coulomb_eV"][0]),
        polarisation_electron_eV=float(batch["polarisation_electron_eV"][0]),
        polarisation_hole_eV=float(batch["polarisation_hole_eV"][0]),
        overlap=float(batch["overlap"][0]),
        electron_in_core=float(batch["electron_in_core"][0]),
        hole_in_core=float(batch["hole_in_core"][0]),
        alignment=alignment_from_levels(v_e[:-1], float(batch["electron_eV"][0]),
                                        v_h[:-1], -float(batch["hole_eV"][0])),
        screening=screening,
        nonparabolic=nonparabolic,
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

    Examples
    --------
    >>> import numpy as np
    >>> out = pair_energy_batch(["CdSe", "CdS"], np.array([[1.5, 2.5]]))
    >>> bool(2.0 < out["single_particle_gap_eV"][0] < 2.6)
    True
    """
    from qdlab.structures.spheres import _resolve

    mats = [_resolve(m) for m in materials]
    medium = medium if medium is not None else Medium()
    radii = _check_radii(radii_nm, len(mats))
    check_positive(temperature, "temperature", "K")
    v_e, m_e, g_e, v_h, m_h, g_h = _profiles(mats, medium, temperature, nonparabolic)
    n = radii.shape[0]

    def tile(p):
        return None if p is None else np.broadcast_to(p, (n, p.size))

    se = solve_radial(radii, tile(v_e), tile(m_e), l=0, n_states=1, gap_eV=tile(g_e))
    sh = solve_radial(radii, tile(v_h), tile(m_h), l=0, n_states=1, gap_eV=tile(g_h))
    _require_bound(se, sh, radii, 0)
    ee, eh = se.energies_eV[:, 0], sh.energies_eV[:, 0]
    return {"electron_eV": ee, "hole_eV": -eh, "single_particle_gap_eV": ee + eh}


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

    Examples
    --------
    >>> import numpy as np
    >>> out = first_exciton_batch(["CdSe", "CdS"], np.array([[1.5, 2.5], [2.0, 3.0]]))
    >>> bool(out["first_exciton_eV"][0] > out["first_exciton_eV"][1])
    True
    """
    from qdlab.structures.spheres import _resolve

    mats = [_resolve(m) for m in materials]
    medium = medium if medium is not None else Medium()
    radii = _check_radii(radii_nm, len(mats))
    check_positive(temperature, "temperature", "K")
    v_e, m_e, g_e, v_h, m_h, g_h = _profiles(mats, medium, temperature, nonparabolic)
    eps = _dielectric(mats, screening)
    n_struct = radii.shape[0]
    keys = ("first_exciton_eV", "single_particle_gap_eV", "electron_eV", "hole_eV",
            "coulomb_eV", "polarisation_electron_eV", "polarisation_hole_eV", "overlap",
            "electron_in_core", "hole_in_core")
    out = {k: np.empty(n_struct) for k in keys}
    tail = max(_tail_nm(v_e[-1] - np.min(v_e[:-1]), m_e[-1]),
               _tail_nm(v_h[-1] - np.min(v_h[:-1]), m_h[-1]))
    # Each structure gets its own grid from 0 to its outer radius plus the tail, so
    # that a structure's result does not depend on which others share the call.
    unit = np.linspace(0.0, 1.0, N_GRID)
    r_all = wf_e_all = wf_h_all = None
    for start in range(0, n_struct, chunk):
        sl = slice(start, min(start + chunk, n_struct))
        rad = radii[sl]
        nb = rad.shape[0]

        def tile(p, nb=nb):
            return None if p is None else np.broadcast_to(p, (nb, p.size))

        se = solve_radial(rad, tile(v_e), tile(m_e), l=0, n_states=1, gap_eV=tile(g_e))
        sh = solve_radial(rad, tile(v_h), tile(m_h), l=0, n_states=1, gap_eV=tile(g_h))
        _require_bound(se, sh, rad, start)
        ee = se.energies_eV[:, 0]
        eh = sh.energies_eV[:, 0]
        out["electron_eV"][sl] = ee
        out["hole_eV"][sl] = -eh
        gap = ee + eh
        out["single_particle_gap_eV"][sl] = gap
        r_grid = (rad[:, -1:] + tail) * unit            # (nb, M)
        wf_e = se.wavefunctions(r_grid)[:, 0, :]
        wf_h = sh.wavefunctions(r_grid)[:, 0, :]
        core = r_grid <= rad[:, :1]
        w = _trapezoid_weights(r_grid) * r_grid**2
        out["electron_in_core"][sl] = np.sum(np.where(core, wf_e**2, 0.0) * w, axis=1)
        out["hole_in_core"][sl] = np.sum(np.where(core, wf_h**2, 0.0) * w, axis=1)
        out["overlap"][sl] = _coulomb.overlap_integral(r_grid, wf_e, wf_h)
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
        out["coulomb_eV"][sl] = j
        out["polarisation_electron_eV"][sl] = pe
        out["polarisation_hole_eV"][sl] = ph
        out["first_exciton_eV"][sl] = gap - j + pe + ph
        if _return_wavefunctions:
            r_all, wf_e_all, wf_h_all = r_grid, wf_e, wf_h
    if _return_wavefunctions:
        out["r_nm"] = r_all
        out["electron_wavefunction"] = wf_e_all
        out["hole_wavefunction"] = wf_h_all
    return out


def _trapezoid_weights(x: np.ndarray) -> np.ndarray:
    """Trapezoid-rule weights along the last axis."""
    w = np.zeros_like(x)
    dx = np.diff(x, axis=-1)
    w[..., :-1] += dx / 2
    w[..., 1:] += dx / 2
    return w
