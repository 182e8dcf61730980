r"""First exciton of many layered spheres in one vectorised call (screening, sizing curves).

:func:`first_exciton_batch` solves ``N`` structures with the same layer materials and
different radii (e.g. 10^5 CdSe/CdS core/shells) with the exact radial solver,
vectorised over the structures, and adds the first-order Coulomb and image terms
(:mod:`qdlab.electronic.sphere.exciton_energy`); :func:`pair_energy_batch` is its fast
path without them.  :func:`qdlab.electronic.sphere.exciton.solve_sphere` gives every
level of one structure.

Notes
-----
For each structure the ground l = 0 electron and hole of the BenDaniel-Duke radial
equation with the band profiles of
:func:`qdlab.electronic.sphere.profiles.band_profiles` (Kane mass with
``nonparabolic=True``),

.. math::

    -\frac{\hbar^2}{2 m_0}\frac{1}{r^2}\frac{d}{dr}\Big(\frac{r^2}{m(r, E)}
    \frac{dR}{dr}\Big) + V(r)R = E R,

then :math:`E_1 = E_e^{1S} - E_h^{1S} - J_{eh} + \Sigma_e + \Sigma_h`.  Every
structure must bind both carriers; the structures are processed in blocks of
``chunk`` to bound the memory of the Coulomb grid, and a structure's result does
not depend on the others in the call.

References
----------
.. [1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984).
.. [2] D. J. BenDaniel and C. B. Duke, Phys. Rev. 152, 683 (1966).
.. [3] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qdlab.electronic.sphere import coulomb as _coulomb
from qdlab.electronic.sphere.exciton_energy import (
    _EXCITON_KEYS,
    N_GRID,
    _exciton_block,
    _grid_tail_nm,
)
from qdlab.electronic.sphere.profiles import band_profiles, layer_permittivities
from qdlab.electronic.sphere.radial import solve_radial
from qdlab.errors import QdlabInputError, check_positive
from qdlab.structures import Medium
from qdlab.structures.spheres import resolve_materials

__all__ = ["first_exciton_batch", "pair_energy_batch"]


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
    .. [R1] D. J. BenDaniel, C. B. Duke, Phys. Rev. 152, 683 (1966). Bibliography ``bendaniel1966``.

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


def _pair_gap_near(materials: Sequence, radii_nm, medium: Medium | None, temperature: float,
                   electron_eV: np.ndarray, hole_eV: np.ndarray) -> np.ndarray:
    """Single-particle gap of structures close to solved ones (a size derivative).

    As :func:`pair_energy_batch` (same levels to ~1e-12 eV, tested), with the
    levels bracketed around ``electron_eV`` and ``hole_eV`` (vacuum scale) of nearby
    structures (:func:`qdlab.electronic.sphere.shooting._solve_near`).  NaN where a
    carrier is not bound.
    """
    from qdlab.electronic.sphere.shooting import _prepare, _solve_near

    _, _, radii, profiles = _batch_inputs(materials, radii_nm, medium, temperature, True)
    v_e, m_e, g_e, v_h, m_h, g_h = profiles
    n = radii.shape[0]

    def tile(x):
        return None if x is None else np.broadcast_to(x, (n, x.size))

    ee = _solve_near(_prepare(radii, tile(v_e), tile(m_e), tile(g_e)), 0,
                     np.asarray(electron_eV, float))
    eh = _solve_near(_prepare(radii, tile(v_h), tile(m_h), tile(g_h)), 0,
                     -np.asarray(hole_eV, float))
    return ee + eh


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
                        chunk: int = 8192, n_grid: int = N_GRID,
                        _return_wavefunctions: bool = False) -> dict:
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
        As in :func:`qdlab.electronic.sphere.exciton.solve_sphere`.
    chunk : int
        Structures per vectorised block (bounds the memory of the Coulomb grid).
    n_grid : int
        Points of each structure's radial grid for the Coulomb and overlap integrals
        (default :data:`~qdlab.electronic.sphere.exciton_energy.N_GRID`, 201, where the
        discretisation error is below 1e-4 eV; 65 gives ~0.3 meV at ~2.5x the speed,
        the setting of :mod:`qdlab.design`).

    Returns
    -------
    dict of ndarray, shape (N,)
        ``first_exciton_eV``, ``single_particle_gap_eV``, ``electron_eV``,
        ``hole_eV`` (vacuum-scale level energies), ``coulomb_eV``,
        ``polarisation_electron_eV``, ``polarisation_hole_eV``, ``overlap``,
        ``electron_in_core``, ``hole_in_core``.

    See Also
    --------
    qdlab.electronic.sphere.exciton.solve_sphere : all levels of one structure.
    pair_energy_batch : single-particle gap only (no Coulomb).
    qdlab.electronic.analytic.brus_energy : the closed-form Brus equation.

    References
    ----------
    .. [R1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984). Bibliography ``brus1984``.
    .. [R2] D. J. BenDaniel, C. B. Duke, Phys. Rev. 152, 683 (1966). Bibliography ``bendaniel1966``.
    .. [R3] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.

    Examples
    --------
    >>> import numpy as np
    >>> out = first_exciton_batch(["CdSe", "CdS"], np.array([[1.5, 2.5], [2.0, 3.0]]))
    >>> bool(out["first_exciton_eV"][0] > out["first_exciton_eV"][1])
    True
    """
    mats, medium, radii, profiles = _batch_inputs(materials, radii_nm, medium, temperature,
                                                  nonparabolic)
    for name, value, low in (("n_grid", n_grid, 9),):
        if isinstance(value, bool) or int(value) != value or value < low:
            raise QdlabInputError(f"{name} must be an integer >= {low}, got {value!r}")
    eps = layer_permittivities(mats, screening)
    n_struct = radii.shape[0]
    out = {k: np.empty(n_struct) for k in _EXCITON_KEYS}
    tail = _grid_tail_nm(profiles)
    wavefunctions = None
    for start in range(0, n_struct, chunk):
        sl = slice(start, min(start + chunk, n_struct))
        rad = radii[sl]
        se, sh = _ground_states(rad, profiles, start)
        block = _exciton_block(rad, se, sh, tail, eps, medium, coulomb, interface_width_nm,
                               int(n_grid))
        for k in _EXCITON_KEYS:
            out[k][sl] = block[k]
        wavefunctions = block
    if _return_wavefunctions:
        for k in ("r_nm", "electron_wavefunction", "hole_wavefunction"):
            out[k] = wavefunctions[k] if wavefunctions is not None else None
    return out
