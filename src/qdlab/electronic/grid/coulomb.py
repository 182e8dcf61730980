r"""Electron-hole Coulomb and self-polarisation energies on a 3D grid with dielectric mismatch.

The spherical module :mod:`qdlab.electronic.sphere.coulomb` evaluates the first-order
Coulomb terms of an exciton exactly for layered spheres.  This module does the
same for any shape solved by :func:`qdlab.electronic.grid.solve_grid`, with a
finite-volume Poisson solver in the inhomogeneous permittivity
:math:`\varepsilon(\mathbf r)` of the nanocrystal and its medium.

Model
-----
*Poisson equation.*  In qdlab units (densities in e/nm^3, potential in V,
:math:`C = e/(4\pi\varepsilon_0)` = ``COULOMB_EV_NM`` in V nm)

.. math::

    -\nabla\cdot\big(\varepsilon(\mathbf r)\nabla\phi\big) = 4\pi C\,\rho(\mathbf r).

It is discretised by finite volumes on a *Poisson grid* of its own, spacing
:math:`H` (``poisson_resolution_nm``, default 0.3 nm, independent of the state
grid spacing :math:`h`), centred on the state grid and covering the nodes where
either carrier has density (> 1e-6 of the peak) plus ``pad_nm`` (1.5 nm) of
medium.  Densities are restricted as charges with the adjoint of trilinear
interpolation (charge-conserving); fields come back by trilinear interpolation.
Seven-point stencil, harmonic-mean face permittivities (continuous normal
displacement); on the ghost nodes outside the box the potential is the
monopole plus dipole far field in the medium, :math:`\phi \to
\frac{C}{\varepsilon_m}\big[\frac{Q}{r} + \frac{\mathbf p\cdot\mathbf r}{r^3}\big]`,
with :math:`\mathbf p` the dipole of the *total* (free plus polarisation) charge:
by Green's reciprocity a unit charge at :math:`\mathbf s` has
:math:`\mathbf p(\mathbf s) = \mathbf u(\mathbf s)`, :math:`u_k` the potential of the
dielectric body in a unit uniform field (three solves per structure).

*Permittivity.*  Each region has its material's :math:`\varepsilon_\infty`
(``screening="high_frequency"``, default) or :math:`\varepsilon_0`
(``"static"``); the medium has ``medium.dielectric_constant``.  Every interface
is graded over :math:`\pm d_c` (``interface_width_nm``, 0.15 nm, about one II-VI
monolayer) with the signed distance :math:`s_k` of the region,
:math:`t=\mathrm{clip}(\tfrac12 - \tfrac{s_k}{2 d_c}, 0, 1)`.  For :math:`J` the
*inverse* permittivity is graded linearly, :math:`1/\varepsilon = 1/\varepsilon_{\rm out}
+ t\,(1/\varepsilon_k - 1/\varepsilon_{\rm out})`: the layer then carries the same
:math:`\int dr/\varepsilon` as the sharp step of :mod:`qdlab.electronic.sphere.coulomb`, so
the Gauss-law :math:`J` of a sphere is reproduced (grading :math:`\varepsilon` itself
gave -1.6 % for a 3 nm dot).  For the self-energy solves :math:`\ln\varepsilon` is
graded linearly (the profile symmetric about the surface, no first-order shift
of the image plane).

*Direct term.*  With :math:`\phi_h` the potential of the hole density,
:math:`J = \int \rho_e\,\phi_h\,d^3r` (eV, positive = binding), including the mutual
image interaction.  The near-singular part is the uniform-dielectric value on
the fine state grid (zero-padded FFT with the exact :math:`1/r`,
:func:`qdlab.electronic.grid.coulomb_energy_eV`, in the permittivity
:math:`\varepsilon_{\rm ref}` of the region holding most of the hole); the Poisson
grid supplies only the smooth image correction, from two solves with the same
discrete operator but uniform and true permittivity:
:math:`J = J_{\rm FFT}(\varepsilon_{\rm ref}) + \int\rho_e\,[\phi_h^{\varepsilon(\mathbf r)}
- \phi_h^{\varepsilon_{\rm ref}}]\,d^3r`.  Without mismatch no Poisson solve is made.

*Self-polarisation.*  First-order theory needs the self-image potential of a
*point* charge at :math:`\mathbf r`, averaged over the carrier's density [1]_:
:math:`\Sigma_{e,h} = \int\rho_{e,h}(\mathbf r)\Sigma(\mathbf r)d^3r`,
:math:`\Sigma(\mathbf s) = \tfrac12[\phi(\mathbf s;\mathbf s) - \phi_{\rm hom}(\mathbf s;\mathbf s)]`
(eV), not the self-interaction
:math:`\tfrac12\iint\rho\,G_{\rm ind}\,\rho` of the smeared density (that would be
the polarisation energy of a classical charge cloud, which the carrier does not
feel from itself).  It is evaluated as a local surface model plus a smooth
remainder:

.. math::

    \Sigma(\mathbf r) = \Sigma_{\rm surf}(d, \kappa) + R(\mathbf r), \qquad
    \Sigma_{\rm surf} = \pm\frac{C\Delta}{4\varepsilon_{\rm in/m}|d|}
      - \frac{C\Delta\,\kappa}{2(\varepsilon_{\rm in}+\varepsilon_m)}\ln\frac{|d|}{|d|+\ell},

with :math:`d` the signed distance to the outer surface, :math:`\Delta =
(\varepsilon_{\rm in}-\varepsilon_m)/(\varepsilon_{\rm in}+\varepsilon_m)`,
:math:`\kappa = \nabla^2 s/2` the mean curvature at the nearest surface point and
:math:`\ell` = 1 nm.  The first term is the planar image, the second the
:math:`1/(l+1)` term of the large-:math:`l` expansion of Brus's multipole series
(:math:`\Delta[1 + \tfrac{\varepsilon_{\rm in}}{\varepsilon_{\rm in}+\varepsilon_m}
\tfrac1{l+1}+\dots]`, the same coefficient on both sides; for a general surface
the term linear in curvature can only involve the mean curvature).  Within
:math:`\pm d_c` of the surface :math:`\Sigma_{\rm surf}` is replaced by the straight
line between its values at :math:`\mp d_c`, the regularisation of
:mod:`qdlab.electronic.sphere.coulomb`.  :math:`R` is smooth; it is sampled by point
sources on a sub-lattice of Poisson nodes (``source_spacing_nm``, 0.6 nm, one
mirror wedge where the shape is symmetric) at least :math:`\max(d_c+H, 2H)` from the
surface: :math:`\phi(\mathbf s;\mathbf s)` from a solve with a unit charge in the
cell of :math:`\mathbf s`, minus the homogeneous value of the same discrete operator,
:math:`4\pi C g_0/(\bar\varepsilon_s H)` with the lattice Green's function
:math:`g_0 = 0.2527310098` [4]_.  All sources share one sparse LU factorisation
(SuperLU) solved for blocks of right-hand sides (AMG-CG on grids above
120 000 nodes).  :math:`R` is interpolated by thin-plate splines (separately
inside and outside, blended across the interface layer) onto the Poisson nodes
and trilinearly onto the state grid.

Accuracy.  3 nm CdSe (:math:`\varepsilon_\infty` 6.2) in 2.25, the exact radial 1S
densities on a state grid h = 0.15 nm, against :mod:`qdlab.electronic.sphere.coulomb` with
the same densities (``tests/test_grid_coulomb.py``), Poisson spacing H = 0.3 /
0.25 / 0.2 / 0.15 nm: J +0.00 / +0.01 / +0.06 / +0.01 %, :math:`\Sigma_e` +1.0 /
+0.2 / +0.7 / +0.05 %, :math:`\Sigma_h` +0.5 / +0.2 / +0.1 / -0.4 %.
Cost (2-core machine): 3 nm sphere 1.5 s, 12 x 4 nm rod 7 s (270 sources).

Limitations
-----------
First-order perturbation theory in the single-particle densities (no
correlation); local, frequency-independent permittivities; the surface model
uses the outer surface only (internal core/shell interfaces, usually weak
mismatch, are left to the interpolated remainder: 4 nm CdSe/CdS checked to
10 %); at edges and corners (cubes, platelets) the curvature is clipped to
+-2 nm^-1 and the remainder is less smooth, so expect a few per cent more
error there (not measured against an exact result); far-field boundary
condition to dipole order.

References
----------
.. [1] L. E. Brus, "Electron-electron and electron-hole interactions in small
   semiconductor crystallites", J. Chem. Phys. 80, 4403 (1984).
.. [2] P. G. Bolcatto and C. R. Proetto, "Partially confined excitons in
   semiconductor nanocrystals with a finite size dielectric interface",
   J. Phys.: Condens. Matter 13, 319 (2001).
.. [3] P. G. Bolcatto and C. R. Proetto, "Shape and dielectric mismatch effects
   in semiconductor quantum dots", Phys. Rev. B 59, 12487 (1999).
.. [4] G. N. Watson, "Three triple integrals", Q. J. Math. 10, 266 (1939);
   M. L. Glasser and J. Boersma, "Exact values for the cubic lattice Green
   functions", J. Phys. A 33, 5017 (2000).
.. [5] N. Bell, L. N. Olson, J. Schroder, B. Southworth, "PyAMG: algebraic
   multigrid solvers in Python", J. Open Source Softw. 8, 5495 (2023).

Examples
--------
Without dielectric mismatch the self energies vanish and :math:`J` is the
uniform-dielectric value:

>>> from qdlab.structures import Sphere, Medium
>>> from qdlab.electronic.grid import solve_grid, coulomb_energy_eV
>>> s = Sphere("CdSe", 4.0, medium=Medium(dielectric_constant=6.2))
>>> e = solve_grid(s, "electron", n_states=1, resolution_nm=0.4, richardson=False)
>>> h = solve_grid(s, "hole", n_states=1, resolution_nm=0.4, richardson=False)
>>> t = coulomb_terms_grid(e, h, s)
>>> t.polarisation_e_eV, abs(t.coulomb_eV - coulomb_energy_eV(e, h, 6.2)) < 1e-12
(0.0, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qdlab.constants import COULOMB_EV_NM
from qdlab.electronic.grid.poisson import (
    DEFAULT_INTERFACE_WIDTH_NM,
    _box_centre,
    _eps_nodes,
    _eps_values,
    _far_field,
    _field_response,
    _Operator,
    _solve_charge,
    dielectric_on_grid,
    poisson_potential,
)
from qdlab.errors import QdlabInputError, check_nonnegative, check_positive

__all__ = [
    "DEFAULT_INTERFACE_WIDTH_NM",
    "LATTICE_G0",
    "GridCoulombTerms",
    "coulomb_terms_grid",
    "dielectric_on_grid",
    "layered_sphere_terms_grid",
    "poisson_potential",
]

#: Simple-cubic lattice Green's function at the origin, -Lap g = delta on the unit lattice
#: (Watson's integral W_s / (4 pi) ... = 0.2527310098; Glasser and Boersma 2000).
LATTICE_G0: float = 0.2527310098
#: Default medium padding (nm) added around the carriers' densities for the Poisson solves.
DEFAULT_PAD_NM: float = 1.5
#: Default spacing (nm) of the Poisson grid (independent of the state grid).
DEFAULT_POISSON_RESOLUTION_NM: float = 0.3
#: Default spacing (nm) of the self-energy point sources.
DEFAULT_SOURCE_SPACING_NM: float = 0.6
#: Relative residual of the point-source solves (the image part is ~1e-2 of the total).
_TOL_SOURCE = 1e-6
#: Poisson grids up to this many nodes use one sparse LU for all point sources (else AMG-CG).
_DIRECT_MAX = 120_000
#: Right-hand sides per block solve.
_BLOCK_RHS = 128
#: Length (nm) that turns the curvature logarithm off far from the surface, ln(d/(d+ELL)).
_ELL = 1.0
#: Nodes whose density is below this fraction of the peak are not self-energy sources.
_SOURCE_CUT = 1e-6


# --------------------------------------------------------------------------- grid


# ------------------------------------------------------------------------ Poisson


# ------------------------------------------------------------------------ energies


@dataclass(frozen=True)
class GridCoulombTerms:
    """First-order Coulomb terms of an exciton on a 3D grid, in eV.

    Attributes
    ----------
    coulomb_eV : float
        Direct e-h binding energy :math:`J > 0`, including the mutual image term.
    polarisation_e_eV, polarisation_h_eV : float
        Self-polarisation energies :math:`\\langle\\Sigma\\rangle` of electron and hole.
    total_eV : float
        :math:`-J + \\Sigma_e + \\Sigma_h`, to be added to the single-particle gap.
    coulomb_uniform_eV : float
        :math:`J` in the uniform permittivity ``eps_reference`` (FFT, no images).
    eps_reference : float
        Permittivity of the region holding most of the hole.
    n_sources : int
        Poisson solves used for the self-energy (point sources).
    poisson_shape : tuple of int
        Nodes of the Poisson grid (0 when no Poisson solve was needed).
    """

    coulomb_eV: float
    polarisation_e_eV: float
    polarisation_h_eV: float
    total_eV: float
    coulomb_uniform_eV: float
    eps_reference: float
    n_sources: int
    poisson_shape: tuple = (0, 0, 0)


def _interp_matrix(x_fine, x_coarse) -> np.ndarray:
    """Linear interpolation weights (n_fine, n_coarse) from a uniform coarse axis; 0 outside."""
    xc = np.asarray(x_coarse, float)
    H = xc[1] - xc[0]
    t = (np.asarray(x_fine, float) - xc[0]) / H
    i = np.clip(np.floor(t).astype(int), 0, len(xc) - 2)
    w = t - i
    P = np.zeros((len(t), len(xc)))
    ok = (t >= -1e-9) & (t <= len(xc) - 1 + 1e-9)
    rows = np.flatnonzero(ok)
    P[rows, i[ok]] = 1.0 - w[ok]
    P[rows, i[ok] + 1] += w[ok]
    return P


def _apply_axes(a, mats):
    """Apply one matrix per axis: out[a', b', c'] = sum M0[a', a] M1[b', b] M2[c', c] a[a, b, c]."""
    out = np.tensordot(mats[0], a, axes=(1, 0))
    out = np.moveaxis(np.tensordot(mats[1], out, axes=(1, 1)), 0, 1)
    return np.moveaxis(np.tensordot(mats[2], out, axes=(1, 2)), 0, 2)


def _outer_sdf(shape, X, Y, Z):
    return np.min(np.stack([r.sdf(X, Y, Z) for r in shape.regions]), axis=0)


def _outer_distance(shape, axes, vals):
    r"""Signed distance d (nm) to the outer surface, permittivity inside it, mean curvature (1/nm).

    The mean curvature :math:`\kappa = (\kappa_1+\kappa_2)/2 = \nabla^2 s/2` of the
    signed distance :math:`s` is taken at the nearest surface point
    :math:`\mathbf x - s\nabla s` (central differences, 0.02 nm), clipped to +-2 nm^-1.
    """
    X, Y, Z = np.meshgrid(*axes, indexing="ij")
    sd = np.stack([r.sdf(X, Y, Z) for r in shape.regions])
    d = sd.min(axis=0)
    dl = 0.02
    P = [X, Y, Z]
    grad = []
    for k in range(3):
        a = [g.copy() for g in P]
        b = [g.copy() for g in P]
        a[k] = a[k] + dl
        b[k] = b[k] - dl
        grad.append((_outer_sdf(shape, *a) - _outer_sdf(shape, *b)) / (2 * dl))
    gn = np.sqrt(sum(g * g for g in grad))
    gn = np.where(gn > 1e-9, gn, 1.0)
    S = [P[k] - d * grad[k] / gn for k in range(3)]
    s0 = _outer_sdf(shape, *S)
    lap = 0.0
    for k in range(3):
        a = [g.copy() for g in S]
        b = [g.copy() for g in S]
        a[k] = a[k] + dl
        b[k] = b[k] - dl
        lap = lap + (_outer_sdf(shape, *a) + _outer_sdf(shape, *b) - 2 * s0) / dl**2
    kappa = np.clip(0.5 * lap, -2.0, 2.0)
    return d, np.asarray(vals, float)[np.argmin(sd, axis=0)], kappa


def _surface_sharp(d, eps_in, eps_m, kappa):
    r"""Image potential (eV) near a sharp curved interface at signed distance d (nm, < 0 inside).

    Planar term plus the logarithmic mean-curvature term of the multipole series
    (module notes); ``kappa`` is the mean curvature (1/nm, > 0 convex).
    """
    delta = (eps_in - eps_m) / (eps_in + eps_m)
    ad = np.maximum(np.abs(d), 1e-12)
    planar = np.where(d < 0, COULOMB_EV_NM * delta / (4.0 * eps_in * ad),
                      -COULOMB_EV_NM * delta / (4.0 * eps_m * ad))
    curv = -COULOMB_EV_NM * delta * kappa / (2.0 * (eps_in + eps_m)) * np.log(ad / (ad + _ELL))
    return planar + curv


def _surface_cut(d, eps_in, eps_m, kappa, width):
    """:func:`_surface_sharp` with the straight-line cut-off of qdlab.electronic.sphere.coulomb (eV)."""
    w = max(width, 1e-3)
    lo = _surface_sharp(np.full(np.shape(d), -w), eps_in, eps_m, kappa)
    hi = _surface_sharp(np.full(np.shape(d), w), eps_in, eps_m, kappa)
    t = (np.asarray(d) + w) / (2.0 * w)
    return np.where(np.abs(d) < w, lo + t * (hi - lo), _surface_sharp(d, eps_in, eps_m, kappa))


def _remainder_fit(points, values):
    """Smooth interpolant (thin-plate spline + linear polynomial) of the image remainder (eV)."""
    from scipy.interpolate import RBFInterpolator

    n = len(values)
    if n == 0:
        return lambda x: np.zeros(len(x))
    if n < 8:
        m = float(np.mean(values))
        return lambda x: np.full(len(x), m)
    return RBFInterpolator(points, values, kernel="thin_plate_spline", degree=1)


def coulomb_terms_grid(electrons, holes, structure=None, screening: str = "high_frequency",
                       *, i: int = 0, j: int = 0,
                       interface_width_nm: float = DEFAULT_INTERFACE_WIDTH_NM,
                       poisson_resolution_nm: float | None = None,
                       pad_nm: float = DEFAULT_PAD_NM,
                       source_spacing_nm: float = DEFAULT_SOURCE_SPACING_NM,
                       self_energy: bool = True) -> GridCoulombTerms:
    r"""Direct Coulomb energy with images and self-polarisation energies on a 3D grid (eV).

    Parameters
    ----------
    electrons, holes : GridStates
        From :func:`qdlab.electronic.grid.solve_grid` on the same grid.
    structure : optional
        The structure (default ``electrons.structure``).
    screening : {"high_frequency", "static"}
        Permittivities of the particle's materials (default :math:`\varepsilon_\infty`).
    i, j : int
        Electron and hole state indices.
    interface_width_nm : float
        Half-width :math:`d_c` (nm) of the dielectric interfaces (default 0.15, as
        :mod:`qdlab.electronic.sphere.coulomb`).
    poisson_resolution_nm : float, optional
        Spacing :math:`H` (nm) of the Poisson grid, independent of the state grid
        (default ``DEFAULT_POISSON_RESOLUTION_NM`` = 0.3 nm).
    pad_nm : float
        Medium (nm) added around the region where either carrier has density
        (default 1.5 nm).
    source_spacing_nm : float
        Spacing (nm) of the point sources that sample the smooth part of the
        self-energy (default 0.6 nm, rounded to whole Poisson spacings).
    self_energy : bool
        Compute :math:`\Sigma_{e,h}` (default True); False returns zeros for them.

    Returns
    -------
    GridCoulombTerms

    Notes
    -----
    :math:`E_X = E_e + E_h - J + \Sigma_e + \Sigma_h` (Brus 1984).  :math:`J` is the
    uniform-dielectric FFT value on the state grid plus the image correction
    :math:`\int\rho_e(\phi_h^{\varepsilon}-\phi_h^{\varepsilon_{\rm ref}})` from two
    Poisson solves on the coarse grid; :math:`\Sigma(\mathbf r)` is the
    planar image potential of the nearest surface (with the cut-off of
    :mod:`qdlab.electronic.sphere.coulomb`) plus the smooth remainder sampled by point-source
    Poisson solves; see the module notes for the equations and the accuracy.

    References
    ----------
    L. E. Brus, J. Chem. Phys. 80, 4403 (1984); P. G. Bolcatto and C. R. Proetto,
    J. Phys.: Condens. Matter 13, 319 (2001).
    """
    from qdlab.electronic.grid.pair import coulomb_energy_eV
    from qdlab.structures.shapes import as_shape

    structure = electrons.structure if structure is None else structure
    shape = as_shape(structure)
    if electrons.wavefunctions.shape[1:] != holes.wavefunctions.shape[1:] or \
            not np.allclose(electrons.x_nm, holes.x_nm):
        raise QdlabInputError("electrons and holes must be solved on the same grid "
                              "(same structure and resolution_nm)")
    width = float(check_nonnegative(interface_width_nm, "interface_width_nm", "nm"))
    pad = float(check_nonnegative(pad_nm, "pad_nm", "nm"))
    H = float(check_positive(DEFAULT_POISSON_RESOLUTION_NM if poisson_resolution_nm is None
                             else poisson_resolution_nm, "poisson_resolution_nm", "nm"))
    src = float(check_positive(source_spacing_nm, "source_spacing_nm", "nm"))
    h = float(electrons.spacing_nm)
    fine = [np.asarray(c, float) for c in (electrons.x_nm, electrons.y_nm, electrons.z_nm)]
    vals, eps_m = _eps_values(shape, screening)
    pe = electrons.density(i)
    ph = holes.density(j)
    ne, nh = pe.sum() * h**3, ph.sum() * h**3
    pe = pe / ne
    ph = ph / nh

    # reference permittivity: the region (or medium) holding most of the hole
    lab = holes.region_index
    weights = [float(ph[lab == k].sum()) for k in range(len(vals) + 1)]
    eps_ref = (vals + [eps_m])[int(np.argmax(weights))]
    J_fft = float(coulomb_energy_eV(electrons, holes, eps_ref, i, j) / (ne * nh))
    if all(v == eps_ref for v in vals) and eps_m == eps_ref:
        return GridCoulombTerms(coulomb_eV=J_fft, polarisation_e_eV=0.0, polarisation_h_eV=0.0,
                                total_eV=-J_fft, coulomb_uniform_eV=J_fft,
                                eps_reference=eps_ref, n_sources=0)

    # coarse Poisson grid, symmetric about the centre of the state grid
    need = np.maximum(pe / pe.max(), ph / ph.max()) > _SOURCE_CUT
    coords = []
    for d in range(3):
        ax = np.flatnonzero(np.any(need, axis=tuple(a for a in range(3) if a != d)))
        c = 0.5 * (fine[d][0] + fine[d][-1])
        half = max(abs(fine[d][ax[0]] - c), abs(fine[d][ax[-1]] - c)) + pad
        k = int(math.ceil(half / H - 1e-9))
        coords.append(c + H * np.arange(-k, k + 1))
    P = [_interp_matrix(fine[d], coords[d]) for d in range(3)]
    PT = [m.T for m in P]
    qe = _apply_axes(pe * h**3, PT)                 # charges restricted (adjoint of P)
    qh = _apply_axes(ph * h**3, PT)
    eps = _eps_nodes(shape, coords, screening, width)
    op = _Operator(eps, H)
    u = _field_response(op, coords, eps_m)
    rho_h = qh / H**3
    p_h = [float((qh * uk).sum()) for uk in u]
    phi = _solve_charge(op, coords, rho_h, eps, eps_m, p_h)
    op_ref = _Operator(np.full(eps.shape, eps_ref), H)
    phi_ref = _solve_charge(op_ref, coords, rho_h, eps, eps_ref, None)
    J = J_fft + float((qe * (phi - phi_ref)).sum())

    sig_e = sig_h = 0.0
    n_src = 0
    if self_energy:
        eps_s = _eps_nodes(shape, coords, screening, width, grade="log")
        op_s = _Operator(eps_s, H)
        u_s = _field_response(op_s, coords, eps_m)
        sigma, n_src = _self_energy_map(op_s, coords, u_s, eps_m, vals, shape, width, src, need,
                                        fine, P, PT)
        sig_e = float((pe * sigma).sum() * h**3)
        sig_h = float((ph * sigma).sum() * h**3)
    return GridCoulombTerms(coulomb_eV=J, polarisation_e_eV=sig_e, polarisation_h_eV=sig_h,
                            total_eV=-J + sig_e + sig_h, coulomb_uniform_eV=J_fft,
                            eps_reference=eps_ref, n_sources=n_src,
                            poisson_shape=tuple(int(m) for m in eps.shape))


def _self_energy_map(op, coords, u, eps_m, vals, shape, width, src, need, fine, P, PT):
    """Sigma (eV) on the state-grid nodes where a carrier has density; number of solves."""
    from scipy.ndimage import binary_dilation

    H = op.h
    dims = op.shape
    centre = _box_centre(coords)
    mirror = [bool(shape.symmetry[d]) and abs(centre[d]) < 1e-9 for d in range(3)]
    S = max(1, int(round(src / H)))
    D, eps_in, kap = _outer_distance(shape, coords, vals)
    need_c = _apply_axes(need.astype(float), PT) > 0
    zone = binary_dilation(need_c, iterations=S + 1)
    excl = max(width + H, 2.0 * H) * (1.0 + 1e-9)
    sub = []
    for d in range(3):
        k = (dims[d] - 1) // 2
        up = np.arange(k, dims[d], S)
        sub.append(up if mirror[d] else np.concatenate([np.arange(k - S, -1, -S)[::-1], up]))
    Sg = np.meshgrid(*sub, indexing="ij")
    nodes = tuple(g.ravel() for g in Sg)
    active = zone[nodes] & (np.abs(D[nodes]) >= excl)
    g0 = 4.0 * math.pi * COULOMB_EV_NM * LATTICE_G0
    pts, rem = [], []
    srcs = [tuple(int(a[n]) for a in nodes) for n in np.flatnonzero(active)]
    direct = op.A.shape[0] <= _DIRECT_MAX
    if direct:                                    # one sparse LU, blocks of right-hand sides
        import scipy.sparse.linalg as sla

        lu = sla.splu(op.A.tocsc(), permc_spec="MMD_AT_PLUS_A")
    prev = None
    for a0 in range(0, len(srcs), _BLOCK_RHS):
        chunk = srcs[a0:a0 + _BLOCK_RHS]
        B = np.zeros((op.A.shape[0], len(chunk)))
        for c, node in enumerate(chunk):
            b = op.boundary_rhs(coords, _far_field(None, eps_m, 1.0,
                                                   [float(uk[node]) for uk in u], centre))
            b[node] += 4.0 * math.pi * COULOMB_EV_NM
            B[:, c] = b.ravel()
        if direct:
            Phi = lu.solve(B)
        else:
            Phi = np.empty_like(B)
            for c in range(B.shape[1]):
                prev = op.solve(B[:, c].reshape(dims), x0=prev, tol=_TOL_SOURCE)
                Phi[:, c] = prev.ravel()
        for c, node in enumerate(chunk):
            flat = np.ravel_multi_index(node, dims)
            eps_bar = op.diag[node] / (6.0 * H)
            sigma = 0.5 * (Phi[flat, c] - g0 / (eps_bar * H))
            pts.append([coords[d][node[d]] for d in range(3)])
            rem.append(sigma - float(_surface_sharp(D[node], eps_in[node], eps_m, kap[node])))
    pts = np.array(pts, float).reshape(-1, 3)
    rem = np.array(rem, float)
    for d in range(3):                                   # mirror images of the sources
        if mirror[d]:
            off = np.abs(pts[:, d]) > 1e-9 * H
            img = pts[off].copy()
            img[:, d] *= -1.0
            pts = np.concatenate([pts, img])
            rem = np.concatenate([rem, rem[off]])
    inside = np.array([float(D[tuple(np.argmin(np.abs(coords[d] - x[d])) for d in range(3))])
                       < 0 for x in pts], dtype=bool)
    # remainder on the coarse nodes near the density, prolonged to the state grid
    band = binary_dilation(need_c, iterations=2)
    where = np.flatnonzero(band.ravel())
    X = np.stack([g.ravel()[where] for g in np.meshgrid(*coords, indexing="ij")], axis=-1)
    r_in = np.zeros(dims)
    r_out = np.zeros(dims)
    r_in.ravel()[where] = _remainder_fit(pts[inside], rem[inside])(X)
    r_out.ravel()[where] = _remainder_fit(pts[~inside], rem[~inside])(X)
    r_in = _apply_axes(r_in, P)
    r_out = _apply_axes(r_out, P)
    d_f, e_f, k_f = _outer_distance(shape, fine, vals)
    t = np.clip((d_f + width) / max(2.0 * width, 1e-12), 0.0, 1.0)
    sigma = _surface_cut(d_f, e_f, eps_m, k_f, width) + (1.0 - t) * r_in + t * r_out
    sigma[~need] = 0.0
    return sigma, int(active.sum())


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
    .. [R1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984).
    .. [R2] P. G. Bolcatto, C. R. Proetto, J. Phys.: Condens. Matter 13, 319 (2001).

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

    def g(x, inv, inv_m):
        """int_x^inf dr / (eps(r) r^2) for the sharp-step profile (1/nm)."""
        inv_next = np.append(inv[1:], inv_m)
        out = inv_m / x
        for k in range(radii.size):   # each step R_k: (1/eps_k - 1/eps_k+1) (1/x - 1/R_k)_+
            out = out + (inv[k] - inv_next[k]) * np.maximum(0.0, 1.0 / x - 1.0 / radii[k])
        return out

    def monopole(inv, inv_m):
        order = np.argsort(r, kind="stable")
        rs, a, b = r[order], we[order], wh[order]
        gs = g(rs, inv, inv_m)
        fh_incl = np.cumsum(b)
        fe_excl = np.cumsum(a) - a
        return COULOMB_EV_NM * float(np.sum(gs * (a * fh_incl + b * fe_excl)))

    J = monopole(1.0 / eps, 1.0 / eps_m)
    J_u = monopole(np.full(eps.shape, 1.0 / eps[0]), 1.0 / eps[0])
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
