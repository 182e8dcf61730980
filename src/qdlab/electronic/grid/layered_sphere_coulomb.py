r"""Coulomb and self-polarisation terms of layered spheres on 3D-grid densities.

A :class:`~qdlab.structures.Sphere` or :class:`~qdlab.structures.CoreShell` solved by
the grid solver gets the same first-order exciton model as the exact radial path
(:func:`qdlab.electronic.sphere.exciton.solve_sphere`): the Gauss-law direct term in the
radially layered permittivity and the layered-sphere self-image series, evaluated with
the grid densities.  The two solvers then share one physical model and differ only by
their discretisation (issue 13).  Other shapes use the Poisson solves of
:mod:`qdlab.electronic.grid.coulomb`.

Notes
-----
With node weights :math:`w_{e,k} = |\psi_e(\mathbf r_k)|^2 h^3` (same for the hole),
:math:`r_k = |\mathbf r_k|` and :math:`C = e^2/(4\pi\varepsilon_0)`:

.. math::

    J = C\sum_{k,k'} w_{e,k}\,w_{h,k'}\,g(\max(r_k, r_{k'})),\qquad
    g(r) = \int_r^\infty\frac{dr'}{\varepsilon(r')\,r'^2},

    \Sigma_{e,h} = \sum_k w_{e/h,k}\,\Sigma(r_k),

with the sharp-step :math:`\varepsilon(r)` of the layers and the medium and the
self-image potential :math:`\Sigma(r)` of
:func:`qdlab.electronic.sphere.self_polarisation.self_polarisation_potential`.

References
----------
.. [1] L. E. Brus, "Electron-electron and electron-hole interactions in small
   semiconductor crystallites", J. Chem. Phys. 80, 4403 (1984).
.. [2] P. G. Bolcatto and C. R. Proetto, "Partially confined excitons in
   semiconductor nanocrystals with a finite size dielectric interface",
   J. Phys.: Condens. Matter 13, 319 (2001).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from qdlab.constants import COULOMB_EV_NM
from qdlab.electronic.grid.poisson import DEFAULT_INTERFACE_WIDTH_NM
from qdlab.errors import QdlabInputError, check_nonnegative

if TYPE_CHECKING:
    from qdlab.electronic.grid.coulomb import GridCoulombTerms

__all__ = ["layered_sphere_terms_grid"]


def _step_integral(x, radii, inv, inv_m):
    """int_x^inf dr / (eps(r) r^2) for the sharp-step profile (1/nm).

    ``radii`` (nm) are the steps, ``inv`` the inverse permittivities inside each of
    them and ``inv_m`` the medium's.
    """
    inv_next = np.append(inv[1:], inv_m)
    out = inv_m / x
    for k in range(radii.size):   # each step R_k: (1/eps_k - 1/eps_k+1) (1/x - 1/R_k)_+
        out = out + (inv[k] - inv_next[k]) * np.maximum(0.0, 1.0 / x - 1.0 / radii[k])
    return out


def _monopole_eV(r, we, wh, radii, inv, inv_m):
    r"""Gauss-law J (eV) of node weights ``we``, ``wh`` at radii ``r`` (nm), O(N log N).

    :math:`J = C\sum_{k,k'} w_{e,k} w_{h,k'} g(\max(r_k, r_{k'}))` summed over the
    nodes sorted by radius (:func:`_step_integral` is :math:`g`).
    """
    order = np.argsort(r, kind="stable")
    rs, a, b = r[order], we[order], wh[order]
    gs = _step_integral(rs, radii, inv, inv_m)
    fh_incl = np.cumsum(b)
    fe_excl = np.cumsum(a) - a
    return COULOMB_EV_NM * float(np.sum(gs * (a * fh_incl + b * fe_excl)))


def layered_sphere_terms_grid(electrons, holes, structure=None,
                              screening: str = "high_frequency", *, i: int = 0, j: int = 0,
                              dielectric: str = "mismatch",
                              interface_width_nm: float = DEFAULT_INTERFACE_WIDTH_NM
                              ) -> GridCoulombTerms:
    r"""The radial solver's Coulomb and self-polarisation model on 3D-grid densities (eV).

    For a :class:`~qdlab.structures.Sphere` or :class:`~qdlab.structures.CoreShell`
    solved on the grid: the same first-order terms as the exact radial path
    (:func:`qdlab.electronic.sphere.exciton.solve_sphere`,
    :func:`qdlab.electronic.sphere.coulomb.exciton_coulomb_terms`), evaluated with
    the grid densities instead of the radial ones, so that the two solvers share
    one physical model and differ only by their discretisation.

    Parameters
    ----------
    electrons, holes : GridStates
        From :func:`qdlab.electronic.grid.solve_grid` on the same grid.
    structure : Sphere or CoreShell, optional
        Default ``electrons.structure``.
    screening : {"high_frequency", "static"}
        Layer permittivities (:func:`qdlab.electronic.sphere.exciton.layer_permittivities`).
    i, j : int
        Electron and hole state indices.
    dielectric : {"mismatch", "uniform"}
        ``"mismatch"`` (default, as the radial solver): layered permittivities and the
        medium's; ``"uniform"``: the core's permittivity everywhere (no image terms).
    interface_width_nm : float
        Half-width :math:`d_c` of the regularised dielectric interfaces, nm
        (default 0.15, as the radial solver).

    Returns
    -------
    GridCoulombTerms
        ``coulomb_uniform_eV`` is :math:`J` with the core permittivity everywhere;
        ``n_sources`` is 0 (no Poisson solve).

    Notes
    -----
    With node weights :math:`w_{e,k} = |\psi_e(\mathbf r_k)|^2 h^3` (same for the hole)
    and :math:`r_k = |\mathbf r_k|`,

    .. math::

        J = \frac{e^2}{4\pi\varepsilon_0}\sum_{k,k'} w_{e,k}\,w_{h,k'}\,
            g(\max(r_k, r_{k'})),\qquad
        g(r) = \int_r^\infty\frac{dr'}{\varepsilon(r')\,r'^2},

    the monopole (Gauss-law) interaction in the radially layered, sharp-step
    :math:`\varepsilon(r)` of :func:`qdlab.electronic.sphere.coulomb.coulomb_energy`
    (exact for s states, the spherical average otherwise), summed in O(N log N)
    over the nodes sorted by radius; and
    :math:`\Sigma_{e,h} = \sum_k w_{e/h,k}\,\Sigma(r_k)` with the layered-sphere
    self-image potential of
    :func:`qdlab.electronic.sphere.self_polarisation.self_polarisation_potential`
    (multipole series with closed-form asymptotics and the interface cut-off),
    tabulated on 4001 radii and interpolated linearly.  Only interfaces where the
    permittivity changes are dielectric interfaces (as in the radial path).

    References
    ----------
    .. [R1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984). Bibliography ``brus1984``.
    .. [R2] P. G. Bolcatto, C. R. Proetto, J. Phys.: Condens. Matter 13, 319 (2001).
       Bibliography ``bolcatto2001``.

    Examples
    --------
    >>> from qdlab.structures import Sphere
    >>> from qdlab.electronic.grid import solve_grid
    >>> s = Sphere("CdSe", 4.0)
    >>> e = solve_grid(s, "electron", n_states=1, resolution_nm=0.25, richardson=False)
    >>> h = solve_grid(s, "hole", n_states=1, resolution_nm=0.25, richardson=False)
    >>> t = layered_sphere_terms_grid(e, h, s)
    >>> 0.2 < t.coulomb_eV < 0.5 and t.polarisation_e_eV > 0
    True
    """
    from qdlab.electronic.grid.coulomb import GridCoulombTerms
    from qdlab.electronic.sphere.exciton import layer_permittivities
    from qdlab.electronic.sphere.self_polarisation import self_polarisation_potential
    from qdlab.structures import SphericalStructure

    structure = electrons.structure if structure is None else structure
    if not isinstance(structure, SphericalStructure):
        raise QdlabInputError(f"structure must be a Sphere or CoreShell for the layered-sphere "
                              f"Coulomb model, got {type(structure).__name__}")
    if dielectric not in ("mismatch", "uniform"):
        raise QdlabInputError(f"dielectric must be 'mismatch' or 'uniform', got {dielectric!r}")
    if electrons.wavefunctions.shape[1:] != holes.wavefunctions.shape[1:] or \
            not np.allclose(electrons.x_nm, holes.x_nm):
        raise QdlabInputError("electrons and holes must be solved on the same grid "
                              "(same structure and resolution_nm)")
    width = float(check_nonnegative(interface_width_nm, "interface_width_nm", "nm"))
    radii = np.array(structure.radii_nm, dtype=float)
    eps = layer_permittivities(structure.materials, screening)
    eps_m = float(structure.medium.dielectric_constant)
    if dielectric == "uniform":
        eps, eps_m = np.full(eps.shape, eps[0]), float(eps[0])
    keep = np.append(eps[1:] != eps[:-1], True)
    radii, eps = radii[keep], eps[keep]
    h = float(electrons.spacing_nm)
    X, Y, Z = np.meshgrid(electrons.x_nm, electrons.y_nm, electrons.z_nm, indexing="ij",
                          sparse=True)
    r = np.sqrt(X * X + Y * Y + Z * Z)
    we = electrons.density(i) * h**3
    wh = holes.density(j) * h**3
    we = (we / we.sum()).ravel()
    wh = (wh / wh.sum()).ravel()
    r = np.broadcast_to(r, electrons.wavefunctions.shape[1:]).ravel()
    sel = (we > 1e-14) | (wh > 1e-14)
    r, we, wh = r[sel], we[sel], wh[sel]

    J = _monopole_eV(r, we, wh, radii, 1.0 / eps, 1.0 / eps_m)
    J_u = _monopole_eV(r, we, wh, radii, np.full(eps.shape, 1.0 / eps[0]), 1.0 / eps[0])
    if np.all(eps == eps_m):
        sig_e = sig_h = 0.0
    else:
        rt = np.linspace(0.0, float(r.max()) * (1 + 1e-9), 4001)
        sig = self_polarisation_potential(rt, radii, eps, eps_m, interface_width_nm=width)
        s = np.interp(r, rt, sig)
        sig_e, sig_h = float(np.sum(we * s)), float(np.sum(wh * s))
    return GridCoulombTerms(coulomb_eV=J, polarisation_e_eV=sig_e, polarisation_h_eV=sig_h,
                            total_eV=-J + sig_e + sig_h, coulomb_uniform_eV=J_u,
                            eps_reference=float(eps[0]), n_sources=0)
