r"""First-order exciton energy of layered spheres from their lowest electron and hole states.

Given the ground l = 0 states of the radial solver for each structure, this module
samples them on a radial grid of :data:`N_GRID` points (from the centre to the outer
radius plus the longer carrier tail) and assembles the first excitonic transition
with the Coulomb and dielectric terms of :mod:`qdlab.electronic.sphere.coulomb`.

Notes
-----
.. math::

    E_1 = E_e^{1S} - E_h^{1S} - J_{eh} + \Sigma_e + \Sigma_h,

with :math:`J_{eh}` the direct electron-hole attraction (with the mutual image
interaction of the layered dielectric) and :math:`\Sigma_{e,h}` the self-polarisation
energies, first order in the single-particle densities (Brus 1984).  Only the
interfaces where the permittivity changes are dielectric interfaces.  Alongside:
the overlap :math:`\int R_e R_h r^2 dr` and the probabilities of each carrier in the
core, :math:`\int_0^{R_1} R^2 r^2 dr` (trapezoid rule).

A ground state whose radial density :math:`r^2R^2` peaks beyond its outermost
classically allowed layer is refused: behind a barrier many decay lengths thick the
outward shooting of :mod:`qdlab.electronic.sphere.radial` loses the wavefunction
(its rounding error grows as :math:`e^{\kappa d}`) although the energy stays right.

References
----------
.. [1] L. E. Brus, "Electron-electron and electron-hole interactions in small
   semiconductor crystallites", J. Chem. Phys. 80, 4403 (1984).
.. [2] D. Schooss, A. Mews, A. Eychmueller, H. Weller, "Quantum-dot quantum well
   CdS/HgS/CdS: theory and experiment", Phys. Rev. B 49, 17072 (1994).
"""

from __future__ import annotations

import numpy as np

from qdlab.electronic.sphere import coulomb as _coulomb
from qdlab.electronic.sphere.profiles import _tail_nm
from qdlab.errors import QdlabInputError

__all__ = ["N_GRID"]

#: Points of each structure's radial grid for the Coulomb integrals; the
#: discretisation error of the first exciton is below 1e-4 eV (see tests).
N_GRID = 201


#: Per-structure results of :func:`first_exciton_batch`.
_EXCITON_KEYS = ("first_exciton_eV", "single_particle_gap_eV", "electron_eV", "hole_eV",
                 "coulomb_eV", "polarisation_electron_eV", "polarisation_hole_eV", "overlap",
                 "electron_in_core", "hole_in_core")


def _grid_tail_nm(profiles) -> float:
    """How far (nm) the Coulomb grid reaches beyond the outer radius: the longer carrier tail."""
    v_e, m_e, _, v_h, m_h, _ = profiles
    return max(_tail_nm(v_e[-1] - np.min(v_e[:-1]), m_e[-1]),
               _tail_nm(v_h[-1] - np.min(v_h[:-1]), m_h[-1]))


def _exciton_block(rad, se, sh, tail, eps, medium, coulomb, interface_width_nm,
                   n_grid: int = N_GRID) -> dict:
    """First exciton of structures ``rad`` (nb, L) from their lowest l = 0 states ``se``, ``sh``.

    ``n_grid``: points of each structure's radial grid (default :data:`N_GRID`).
    Returns the :data:`_EXCITON_KEYS` arrays (nb,) and the grid ``r_nm`` (nb, M) with
    the ``electron_wavefunction`` and ``hole_wavefunction`` on it (nm^-3/2).
    """
    nb = rad.shape[0]
    ee = se.energies_eV[:, 0]
    eh = sh.energies_eV[:, 0]
    gap = ee + eh
    # Each structure gets its own grid from 0 to its outer radius plus the tail, so
    # that a structure's result does not depend on which others share the call.
    r_grid = (rad[:, -1:] + tail) * np.linspace(0.0, 1.0, n_grid)            # (nb, M)
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
