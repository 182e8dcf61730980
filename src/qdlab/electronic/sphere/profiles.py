"""Band profiles, layer permittivities and level labels of layered spheres.

The per-layer inputs of the spherical solvers (:mod:`qdlab.electronic.sphere.exciton`,
:mod:`qdlab.optics.transitions`): band edges (eV, electron and hole scales),
effective masses (m0) and Kane gaps of every layer and the medium, the layer
permittivities of the chosen screening, and the spectroscopic letters of l.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from qdlab.constants import HBAR2_2M0
from qdlab.electronic.sphere.holes import band_edge_hole_mass, has_mirror_bands
from qdlab.errors import QdlabInputError, check_positive
from qdlab.structures import Medium
from qdlab.structures.spheres import resolve_materials

#: Mass of a carrier in the ligand/solvent barrier, in m0 (free-electron mass).
MEDIUM_MASS = 1.0


#: Spectroscopic letters for angular momentum l.
L_LETTERS = "SPDFGHIK"


def band_profiles(materials: Sequence, medium: Medium, temperature_K: float,
                  nonparabolic: bool) -> tuple:
    r"""Band edges, masses and Kane gaps of electron and hole, layer by layer then the medium.

    The piecewise-constant profiles that the radial solver
    (:func:`qdlab.electronic.sphere.radial.solve_radial`) takes for a layered sphere, in
    the conventions of this module (see the module notes).

    Parameters
    ----------
    materials : sequence of str or Material
        Layer materials from the core outwards (length ``L`` >= 1).
    medium : Medium
        Surroundings: its electron and hole barriers (eV) above the outermost
        layer's band edges.
    temperature_K : float
        Temperature in K (> 0); sets the band gaps.
    nonparabolic : bool
        Return the Kane gaps for the energy-dependent masses (else ``None``).

    Returns
    -------
    tuple of six ndarray, each of length ``L + 1`` (or None)
        ``(v_e, m_e, g_e, v_h, m_h, g_h)``: electron potential (the
        conduction-band edges :math:`E_{c,i}` on the vacuum scale, eV), electron
        masses (m0), electron gaps (eV; ``inf`` in the medium), then the same for
        holes with the potential :math:`-E_{v,i}` (eV, so that hole energies grow
        into the barriers) and the band-edge hole masses
        (:func:`~qdlab.electronic.sphere.holes.band_edge_hole_mass`).  The last entry is
        the medium: potential of the outermost layer plus the medium barrier,
        mass :data:`MEDIUM_MASS`.  ``g_e`` is ``None`` without
        ``nonparabolic``; ``g_h`` is ``None`` also when no layer has mirror-like
        bands (the hole stays parabolic: ``inf`` gap in those layers).

    Notes
    -----
    With the gaps :math:`E_{g,i} = E_{c,i} - E_{v,i}` the Kane mass is
    :math:`m(E) = m^*_i\,(1 + (E - V_i)/E_{g,i})` (E. O. Kane, J. Phys. Chem.
    Solids 1, 249 (1957)).

    References
    ----------
    .. [1] BenDaniel & Duke, Phys. Rev. 152, 683-692 (1966); bibliography ``bendaniel1966``.
    .. [2] Kane, J. Phys. Chem. Solids 1, 249-261 (1957); bibliography ``kane1957``.
    .. [3] Haus et al., Phys. Rev. B 47, 1359-1365 (1993); bibliography ``haus1993``.

    Examples
    --------
    >>> v_e, m_e, g_e, v_h, m_h, g_h = band_profiles(["CdSe", "CdS"], Medium(), 300.0, True)
    >>> v_e.round(3).tolist(), m_e.tolist()
    ([-4.95, -4.79, -0.79], [0.12, 0.2, 1.0])
    >>> g_e.round(3).tolist(), g_h is None
    ([1.74, 2.42, inf], True)
    """
    materials = resolve_materials(materials)
    if not materials:
        raise QdlabInputError("materials must name at least one layer, got none")
    check_positive(temperature_K, "temperature_K", "K")
    t = float(temperature_K)
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


#: Former private name of :func:`band_profiles`, kept for existing imports.
_profiles = band_profiles


def layer_permittivities(materials: Sequence, screening: str) -> np.ndarray:
    """Relative permittivities of the layers that screen the electron-hole Coulomb terms.

    Parameters
    ----------
    materials : sequence of Material
        Layer materials from the core outwards.
    screening : {"high_frequency", "static"}
        ``eps_inf`` (electronic screening: strong confinement, the default of the
        solvers) or ``eps_static`` (weak confinement); see the module notes.

    Returns
    -------
    ndarray, shape (L,)
        Dimensionless relative permittivities.

    Examples
    --------
    >>> from qdlab.materials import get_material
    >>> layer_permittivities([get_material("CdSe")], "static").tolist()
    [9.56]
    """
    if screening == "high_frequency":
        return np.array([m.eps_inf for m in materials], dtype=float)
    if screening == "static":
        return np.array([m.eps_static for m in materials], dtype=float)
    raise QdlabInputError(f"screening must be 'high_frequency' or 'static', got {screening!r}")


#: Former private name of :func:`layer_permittivities`, kept for existing imports.
_dielectric = layer_permittivities


def _tail_nm(v_out_minus_in: float, mass_out: float) -> float:
    """Six decay lengths of a bound state under a barrier (0 for a hard wall)."""
    if not math.isfinite(v_out_minus_in):
        return 0.0

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
