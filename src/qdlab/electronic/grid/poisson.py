r"""Poisson equation on the grid: dielectric maps and the potential of a charge density.

Solves :math:`-\nabla\cdot(\varepsilon(\mathbf r)\nabla\phi) = \rho/\varepsilon_0`
(finite volumes, face permittivities as harmonic means) on a box of medium
around the carriers, with the far field of a point charge and dipole in the
medium as the boundary condition.  Used by
:func:`qdlab.electronic.grid.coulomb_terms_grid`; the physics and validation are
described in :mod:`qdlab.electronic.grid.coulomb`.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from qdlab.constants import COULOMB_EV_NM
from qdlab.errors import QdlabInputError, check_nonnegative, check_positive

#: Half-width (nm) of the linear grading of every dielectric interface (as the spherical module).
DEFAULT_INTERFACE_WIDTH_NM: float = 0.15


#: Relative residual of the CG/AMG solves (densities, field response).
_TOL = 1e-8


def _axes_padded(grid_states, pad_nm: float):
    h = float(grid_states.spacing_nm)
    n = int(math.ceil(pad_nm / h)) if pad_nm > 0 else 0
    out = []
    for c in (grid_states.x_nm, grid_states.y_nm, grid_states.z_nm):
        c = np.asarray(c, dtype=float)
        left = c[0] - h * np.arange(n, 0, -1)
        right = c[-1] + h * np.arange(1, n + 1)
        out.append(np.concatenate([left, c, right]))
    return out, n


def _eps_values(shape, screening: str):
    if screening not in ("high_frequency", "static"):
        raise QdlabInputError(f"screening must be 'high_frequency' or 'static', got {screening!r}")
    attr = "eps_inf" if screening == "high_frequency" else "eps_static"
    vals = []
    for reg in shape.regions:
        v = getattr(reg.material, attr, None)
        if v is None:
            raise QdlabInputError(f"material {getattr(reg.material, 'name', reg.material)!r} "
                                  f"has no {attr}")
        vals.append(float(check_positive(float(v), attr)))
    return vals, float(shape.medium.dielectric_constant)


def _eps_nodes(shape, coords, screening, width, grade="inverse"):
    vals, eps_m = _eps_values(shape, screening)
    X, Y, Z = np.meshgrid(*coords, indexing="ij")
    f, finv = ((lambda e: 1.0 / e, lambda v: 1.0 / v) if grade == "inverse"
               else (np.log, np.exp))
    inv = np.full(X.shape, f(eps_m))
    for k in range(len(shape.regions) - 1, -1, -1):       # outermost painted first
        d = shape.regions[k].sdf(X, Y, Z)
        if width > 0:
            t = np.clip(0.5 - d / (2.0 * width), 0.0, 1.0)
        else:
            t = (d < 0).astype(float)
        inv += (f(vals[k]) - inv) * t                      # 1/eps (or ln eps) graded linearly
    return finv(inv)


def dielectric_on_grid(structure, grid_states, screening: str = "high_frequency", *,
                       interface_width_nm: float = DEFAULT_INTERFACE_WIDTH_NM,
                       pad_nm: float = 0.0) -> np.ndarray:
    r"""Relative permittivity :math:`\varepsilon(\mathbf r)` on the nodes of a state grid.

    Parameters
    ----------
    structure : Sphere, CoreShell or shape from :mod:`qdlab.structures.shapes`
        The nanocrystal; each region's material needs ``eps_inf`` / ``eps_static``.
    grid_states : GridStates
        Supplies the node coordinates ``x_nm, y_nm, z_nm`` (nm) and spacing.
    screening : {"high_frequency", "static"}
        Use the materials' :math:`\varepsilon_\infty` (default) or static constants.
    interface_width_nm : float
        Half-width :math:`d_c` (nm) of the linear grading of each interface
        (default 0.15 nm); 0 gives sharp steps.
    pad_nm : float
        Extra medium (nm) added on every side of the grid (rounded up to whole
        spacings); default 0.

    Returns
    -------
    numpy.ndarray, shape (nx, ny, nz)
        Dimensionless relative permittivity; the medium's
        ``dielectric_constant`` outside the particle.

    Notes
    -----
    :math:`\varepsilon = \varepsilon_{\rm out} + (\varepsilon_k - \varepsilon_{\rm out})
    \,\mathrm{clip}(1/2 - s_k/(2 d_c), 0, 1)`, with :math:`s_k` the signed distance
    (nm, negative inside) of region :math:`k`, applied from the last region to the
    first (regions are in priority order).

    References
    ----------
    .. [1] Bolcatto & Proetto, J. Phys.: Condens. Matter 13, 319 (2001); bibliography
       ``bolcatto2001``.

    Examples
    --------
    >>> from qdlab.structures import Sphere
    >>> from qdlab.electronic.grid import solve_grid
    >>> st = solve_grid(Sphere("CdSe", 3.0), "electron", n_states=1, resolution_nm=0.4,
    ...                 richardson=False)
    >>> eps = dielectric_on_grid(Sphere("CdSe", 3.0), st)
    >>> float(eps.max()), float(eps.min())
    (6.2, 2.25)
    """
    from qdlab.structures.shapes import as_shape

    shape = as_shape(structure)
    width = float(check_nonnegative(interface_width_nm, "interface_width_nm", "nm"))
    pad = float(check_nonnegative(pad_nm, "pad_nm", "nm"))
    coords, _ = _axes_padded(grid_states, pad)
    return _eps_nodes(shape, coords, screening, width)


def _face_eps(eps):
    """Harmonic-mean permittivity of the faces between neighbours along each axis."""
    return [2.0 * a * b / (a + b) for a, b in
            ((eps[:-1], eps[1:]), (eps[:, :-1], eps[:, 1:]), (eps[:, :, :-1], eps[:, :, 1:]))]


class _Operator:
    """Finite-volume matrix of -div(eps grad) (times h) with Dirichlet ghost nodes."""

    def __init__(self, eps: np.ndarray, h: float):
        import pyamg

        self.shape = eps.shape
        self.h = h
        n = eps.size
        idx = np.arange(n).reshape(eps.shape)
        faces = _face_eps(eps)
        diag = np.zeros(eps.shape)
        rows, cols, vals = [], [], []
        for ax, f in enumerate(faces):
            a = np.take(idx, np.arange(eps.shape[ax] - 1), axis=ax).ravel()
            b = np.take(idx, np.arange(1, eps.shape[ax]), axis=ax).ravel()
            w = (f * h).ravel()
            rows += [a, b]
            cols += [b, a]
            vals += [-w, -w]
            sl_lo = [slice(None)] * 3
            sl_hi = [slice(None)] * 3
            sl_lo[ax] = slice(0, -1)
            sl_hi[ax] = slice(1, None)
            diag[tuple(sl_lo)] += f * h
            diag[tuple(sl_hi)] += f * h
        # boundary faces to the ghost nodes: permittivity of the boundary node
        self.ghost = []
        for ax in range(3):
            for end in (0, -1):
                sl = [slice(None)] * 3
                sl[ax] = end
                diag[tuple(sl)] += eps[tuple(sl)] * h
                self.ghost.append((tuple(sl), eps[tuple(sl)] * h, ax, end))
        self.diag = diag
        rows.append(idx.ravel())
        cols.append(idx.ravel())
        vals.append(diag.ravel())
        self.A = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows),
                                                        np.concatenate(cols))), shape=(n, n))
        self.ml = pyamg.smoothed_aggregation_solver(self.A, symmetry="hermitian",
                                                    max_coarse=500)

    def boundary_rhs(self, coords, func) -> np.ndarray:
        """Right-hand side from Dirichlet values func(x, y, z) on the ghost nodes."""
        h = self.h
        b = np.zeros(self.shape)
        for sl, w, ax, end in self.ghost:
            c = [np.asarray(v) for v in coords]
            g = [c[0], c[1], c[2]]
            g[ax] = np.array([c[ax][0] - h if end == 0 else c[ax][-1] + h])
            G = np.meshgrid(*g, indexing="ij")
            val = func(*G)
            b[sl] += w * np.take(val, 0, axis=ax)
        return b

    def solve(self, b: np.ndarray, x0=None, tol: float = _TOL) -> np.ndarray:
        res: list = []
        x = self.ml.solve(b.ravel(), x0=None if x0 is None else x0.ravel(), tol=tol,
                          accel="cg", maxiter=200, residuals=res)
        if res and res[-1] > 1e3 * tol * max(res[0], 1e-300):
            raise RuntimeError(f"Poisson solve did not converge: relative residual "
                               f"{res[-1] / res[0]:.2e}")
        return x.reshape(self.shape)


def _far_field(coords, eps_m, charge, dipole, centre):
    """Monopole + dipole potential (V) in the medium of total charge/dipole (e, e nm)."""
    cx, cy, cz = centre
    px, py, pz = dipole

    def f(x, y, z):
        dx, dy, dz = x - cx, y - cy, z - cz
        r2 = dx * dx + dy * dy + dz * dz
        r = np.sqrt(r2)
        return COULOMB_EV_NM / eps_m * (charge / r + (px * dx + py * dy + pz * dz) / (r2 * r))
    return f


def poisson_potential(rho, eps, h, *, coords=None, eps_boundary: float | None = None,
                      dipole=None) -> np.ndarray:
    r"""Electrostatic potential (V) of a charge density in an inhomogeneous dielectric.

    Parameters
    ----------
    rho : array_like, shape (nx, ny, nz)
        Charge density on the nodes in e/nm^3 (cell averages).
    eps : array_like, shape (nx, ny, nz)
        Relative permittivity on the nodes (>= 1 is not required, > 0).
    h : float
        Grid spacing in nm.
    coords : tuple of three arrays, optional
        Node coordinates in nm (default: centred on the box).
    eps_boundary : float, optional
        Permittivity of the medium beyond the box used for the far field
        (default: mean of ``eps`` over the box faces).
    dipole : array_like of 3, optional
        Dipole moment (e nm) of the total (free + induced) charge about the box
        centre for the boundary condition; default: that of ``rho`` alone.

    Returns
    -------
    numpy.ndarray, shape (nx, ny, nz)
        :math:`\phi` in V; :math:`e\phi` is the energy (eV) of a unit charge.

    Notes
    -----
    Finite volumes for :math:`-\nabla\cdot(\varepsilon\nabla\phi) = 4\pi C\rho`
    (:math:`C` = ``COULOMB_EV_NM``, V nm) with harmonic-mean face permittivities and
    Dirichlet values :math:`\frac{C}{\varepsilon_b}[Q/r + \mathbf p\cdot\mathbf r/r^3]`
    on ghost nodes one spacing outside the box; solved by conjugate gradients
    with a smoothed-aggregation AMG preconditioner (PyAMG).

    References
    ----------
    .. [1] J. D. Jackson, Classical Electrodynamics, 3rd ed. (Wiley, New York, 1999);
       bibliography ``jackson1999``.
    .. [2] Bolcatto & Proetto, J. Phys.: Condens. Matter 13, 319 (2001); bibliography
       ``bolcatto2001``.

    Examples
    --------
    A uniformly charged ball (radius 1 nm, charge 1 e) in eps = 4: at the centre
    :math:`\phi = 3C/(2\varepsilon a)`.

    >>> import numpy as np
    >>> from qdlab.constants import COULOMB_EV_NM
    >>> x = np.arange(-40, 41) * 0.1
    >>> X, Y, Z = np.meshgrid(x, x, x, indexing="ij")
    >>> rho = (X**2 + Y**2 + Z**2 < 1.0).astype(float)
    >>> rho /= rho.sum() * 0.1**3
    >>> phi = poisson_potential(rho, np.full(rho.shape, 4.0), 0.1)
    >>> round(float(phi[40, 40, 40] / (1.5 * COULOMB_EV_NM / 4.0)), 2)
    1.0
    """
    rho = np.asarray(rho, dtype=float)
    eps = np.asarray(eps, dtype=float)
    h = float(check_positive(h, "h", "nm"))
    if rho.ndim != 3 or rho.shape != eps.shape:
        raise QdlabInputError(f"rho and eps must be 3D arrays of the same shape, got "
                              f"{rho.shape} and {eps.shape}")
    if not np.all(np.isfinite(rho)):
        raise QdlabInputError("rho must be finite (e/nm^3)")
    if not np.all(np.isfinite(eps) & (eps > 0)):
        raise QdlabInputError("eps must be finite and > 0")
    if coords is None:
        coords = [(np.arange(m) - (m - 1) / 2) * h for m in rho.shape]
    op = _Operator(eps, h)
    return _solve_charge(op, coords, rho, eps, eps_boundary, dipole)


def _box_centre(coords):
    return tuple(0.5 * (c[0] + c[-1]) for c in coords)


def _solve_charge(op, coords, rho, eps, eps_boundary=None, dipole=None):
    h = op.h
    if eps_boundary is None:
        eps_boundary = float(np.mean([eps[s].mean() for s, *_ in op.ghost]))
    centre = _box_centre(coords)
    q = float(rho.sum() * h**3)
    if dipole is None:
        X, Y, Z = np.meshgrid(*coords, indexing="ij")
        dipole = [float((rho * (G - c)).sum() * h**3) for G, c in zip((X, Y, Z), centre,
                                                                         strict=True)]
    b = 4.0 * math.pi * COULOMB_EV_NM * rho * h**3
    b += op.boundary_rhs(coords, _far_field(coords, eps_boundary, q, dipole, centre))
    return op.solve(b)


def _field_response(op, coords, eps_m):
    """u_k (nm): div(eps grad u_k) = 0, u_k -> x_k - c_k far away (three solves)."""
    centre = _box_centre(coords)
    out = []
    for k in range(3):
        def f(x, y, z, k=k):
            return (x, y, z)[k] - centre[k]
        out.append(op.solve(op.boundary_rhs(coords, f)))
    return out
