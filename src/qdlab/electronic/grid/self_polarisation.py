r"""Self-polarisation (image-charge) energy of a carrier on a 3D grid, any shape.

A carrier inside a nanocrystal whose permittivity differs from the medium's feels
the field of its own polarisation (image) charges.  This module evaluates that
self-image potential :math:`\Sigma(\mathbf r)` for any shape given by signed-distance
functions, by a local surface model plus Poisson solves with point sources; it is
used by :func:`qdlab.electronic.grid.coulomb.coulomb_terms_grid`.  For layered
spheres the closed multipole series is in
:mod:`qdlab.electronic.sphere.self_polarisation`.

Notes
-----
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
and trilinearly onto the state grid [2]_ [3]_.

The point-source solves use the discrete operator of
:mod:`qdlab.electronic.grid.poisson` (log-graded permittivity, far field to dipole
order) on the Poisson grid of :mod:`qdlab.electronic.grid.poisson_grid`.

Limitations
-----------
First-order perturbation theory (no correlation); local, frequency-independent
permittivities; the surface model uses the outer surface only (internal
core/shell interfaces are left to the interpolated remainder); at edges and
corners the curvature is clipped to +-2 nm^-1 and the remainder is less smooth.

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
"""

from __future__ import annotations

import math

import numpy as np

from qdlab.constants import COULOMB_EV_NM
from qdlab.electronic.grid.poisson import _box_centre, _far_field
from qdlab.electronic.grid.poisson_grid import _apply_axes

__all__ = ["DEFAULT_SOURCE_SPACING_NM", "LATTICE_G0"]

#: Simple-cubic lattice Green's function at the origin, -Lap g = delta on the unit lattice
#: (Watson's integral W_s / (4 pi) ... = 0.2527310098; Glasser and Boersma 2000).
LATTICE_G0: float = 0.2527310098
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
