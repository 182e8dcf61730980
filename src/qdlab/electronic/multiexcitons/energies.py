"""Coulomb integrals, carrier volumes and first-order binding energies of multiexcitons.

Equations and references: :mod:`qdlab.electronic.multiexcitons`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qdlab.errors import QdlabInputError

__all__ = ["CoulombIntegrals", "binding_energies_eV", "carrier_volume_nm3", "coulomb_integrals"]


def carrier_volume_nm3(r_nm, radial_wavefunction, radii_nm) -> float | np.ndarray:
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
