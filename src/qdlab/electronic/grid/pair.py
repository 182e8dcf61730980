"""Electron-hole pair on the 3D grid: direct Coulomb energy and lowest exciton.

Uniform-dielectric Coulomb energy of grid densities (the self term of each
cell from the exact cube average of ``1/r``) and the lowest exciton
``E_e + E_h - J``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from qdlab.constants import COULOMB_EV_NM
from qdlab.errors import QdlabInputError, check_positive

if TYPE_CHECKING:
    from qdlab.electronic.grid.solver import GridStates


#: Average of 1/|r| over a unit cube centred at the origin, 3 ln(2 + sqrt 3) - pi/2.
CUBE_INV_R = 3.0 * math.log(2.0 + math.sqrt(3.0)) - math.pi / 2


def coulomb_energy_eV(electrons: GridStates, holes: GridStates, eps: float,
                      i: int = 0, j: int = 0) -> float:
    """Direct electron-hole Coulomb energy J (eV, positive = attraction) in a uniform dielectric.

    Parameters
    ----------
    electrons, holes : GridStates
        Solved on the same grid (same structure and resolution).
    eps : float
        Relative permittivity of the nanocrystal (>= 1).
    i, j : int
        Electron and hole state indices.

    Notes
    -----
    :math:`J = \\frac{e^2}{4\\pi\\varepsilon_0\\varepsilon}\\iint
    \\frac{|\\psi_e(\\mathbf r)|^2|\\psi_h(\\mathbf r')|^2}{|\\mathbf r-\\mathbf r'|}`
    by zero-padded FFT convolution; the self-cell uses the cube average of
    1/r, ``(3 ln(2+sqrt 3) - pi/2) / h``.  No image charges: the dielectric
    mismatch with the medium is not included here.

    References
    ----------
    .. [1] Brus, J. Chem. Phys. 80, 4403-4409 (1984); bibliography ``brus1984``.
    """
    from scipy.signal import fftconvolve

    check_positive(eps, "eps")
    if electrons.wavefunctions.shape[1:] != holes.wavefunctions.shape[1:] or \
            not np.allclose(electrons.x_nm, holes.x_nm):
        raise QdlabInputError("electrons and holes must be solved on the same grid "
                              "(same structure and resolution_nm)")
    h = electrons.spacing_nm
    pe = electrons.density(i) * h ** 3
    ph = holes.density(j) * h ** 3
    n = pe.shape
    g = [np.arange(-(m - 1), m) * h for m in n]
    R = np.sqrt(g[0][:, None, None] ** 2 + g[1][None, :, None] ** 2 + g[2][None, None, :] ** 2)
    R[n[0] - 1, n[1] - 1, n[2] - 1] = h / CUBE_INV_R
    pot = fftconvolve(ph, 1.0 / R, mode="same")
    return float(COULOMB_EV_NM / eps * (pe * pot).sum())


def lowest_exciton_eV(electrons: GridStates, holes: GridStates, coulomb: bool = True,
                      eps: float | None = None) -> float:
    """Estimate of the lowest exciton energy, eV: ``E_e1 + E_h1 - J`` (first order).

    Parameters
    ----------
    electrons, holes : GridStates
        From :func:`solve_grid` on the same structure and resolution.
    coulomb : bool
        Subtract the first-order direct Coulomb energy (strong confinement).
    eps : float, optional
        Dielectric constant for J; default ``eps_static`` of the first region's material.

    Notes
    -----
    ``E_X = E_e + E_h - J_eh`` with ``E_e`` on the conduction-edge scale and
    ``E_h`` on the negated valence-edge scale, so ``E_e + E_h`` is the band gap
    plus both confinement energies.  Image-charge (self-polarisation) terms and
    correlation are not included (first-order strong-confinement estimate,
    Brus, J. Chem. Phys. 80, 4403 (1984)).

    References
    ----------
    .. [1] Brus, J. Chem. Phys. 80, 4403-4409 (1984); bibliography ``brus1984``.
    """
    e = float(electrons.energies_eV[0] + holes.energies_eV[0])
    if not coulomb:
        return e
    if eps is None:
        st = electrons.structure
        from qdlab.structures.shapes import as_shape

        eps = getattr(as_shape(st).regions[0].material, "eps_static", None)
        if eps is None:
            raise QdlabInputError("eps must be given: the material has no eps_static")
    return e - coulomb_energy_eV(electrons, holes, float(eps))
