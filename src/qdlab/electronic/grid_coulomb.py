r"""Electron-hole Coulomb and self-polarisation energies on a 3D grid with dielectric mismatch.

The spherical module :mod:`qdlab.electronic.coulomb` evaluates the first-order
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

It is discretised by finite volumes on the nodes of the state grid (cells of side
:math:`h` centred on the nodes; seven-point stencil; the permittivity of a face is
the harmonic mean of its two nodes, which keeps the normal displacement
continuous across an interface), on a box extended by ``pad_nm`` of medium.  On
the ghost nodes outside the box the potential is the monopole plus dipole far
field in the medium, :math:`\phi \to \frac{C}{\varepsilon_m}
\big[\frac{Q}{r} + \frac{\mathbf p\cdot\mathbf r}{r^3}\big]`, where
:math:`\mathbf p` is the dipole of the *total* (free plus polarisation) charge.
By Green's reciprocity a unit charge at :math:`\mathbf s` has
:math:`\mathbf p(\mathbf s) = \mathbf u(\mathbf s)`, with :math:`u_k` the
potential of the dielectric body in a unit uniform field,
:math:`\nabla\cdot(\varepsilon\nabla u_k) = 0`, :math:`u_k \to x_k` far away;
the three :math:`u_k` are solved once per structure.  The sparse symmetric
positive-definite systems are solved by conjugate gradients preconditioned with
smoothed-aggregation algebraic multigrid (PyAMG [5]_); one hierarchy serves all
right-hand sides.

*Permittivity.*  Each region has its material's :math:`\varepsilon_\infty`
(``screening="high_frequency"``, default) or :math:`\varepsilon_0`
(``"static"``); the medium has ``medium.dielectric_constant``.  As in the
spherical module every interface is graded linearly over
:math:`\pm d_c` (``interface_width_nm``, default 0.15 nm, about one II-VI
monolayer) using the signed distance function of the region:
:math:`\varepsilon = \varepsilon_{\rm out} + (\varepsilon_k-\varepsilon_{\rm out})\,
\mathrm{clip}(\tfrac12 - \tfrac{\rm sdf_k}{2 d_c}, 0, 1)`, painted from the
outermost region inwards.  A graded interface makes the image potential finite
(Bolcatto and Proetto [3]_).

*Direct term.*  With :math:`\phi_h` the potential of the hole density in
:math:`\varepsilon(\mathbf r)`,
:math:`J = \int \rho_e\,\phi_h\,d^3r` (eV, positive = binding).  It contains the
mutual image interaction.  To remove the discretisation error of the
near-singular part, the uniform-dielectric value of the same densities
(zero-padded FFT convolution with the exact :math:`1/r`,
:func:`qdlab.electronic.grid.coulomb_energy_eV`, in the permittivity
:math:`\varepsilon_{\rm ref}` of the region that holds most of the hole) is used
and only the *difference* is taken from the Poisson solver:

.. math::

    J = J_{\rm FFT}(\varepsilon_{\rm ref})
        + \int\rho_e\,\big[\phi_h^{\varepsilon(\mathbf r)}
        - \phi_h^{\varepsilon_{\rm ref}}\big]\,d^3r ,

both potentials from the same discrete operator.  Without mismatch the
correction vanishes identically and :math:`J = J_{\rm FFT}`.

*Self-polarisation.*  :math:`\Sigma(\mathbf s) = \tfrac12\,[\phi(\mathbf s;\mathbf s)
- \phi_{\rm hom}(\mathbf s;\mathbf s)]` (eV for a unit charge), the reflected
potential of a charge at its own position [1]_ [2]_.  The charge is smeared over
the cell of node :math:`\mathbf s`; :math:`\phi(\mathbf s;\mathbf s)` is one
Poisson solve, and the homogeneous reference of the *same* discrete operator
is known in closed form: the lattice Green's function of the seven-point
Laplacian at the origin, :math:`g_0 = 0.2527310098` (Watson's integral
divided by :math:`4\pi`, [4]_), gives
:math:`\phi_{\rm hom} = 4\pi C g_0/(\bar\varepsilon_s h)` with
:math:`\bar\varepsilon_s` the mean of the six face permittivities of the node,
so the self-cell singularity cancels to second order.  Sources are the nodes
where either carrier has density (above ``1e-6`` of the peak), restricted to
one mirror wedge where the shape has mirror symmetry (results are copied to the
images); with ``source_stride`` > 1 only every ``stride``-th node per axis is
a source and :math:`\Sigma` is interpolated (trilinear) from them.  Then
:math:`\Sigma_{e,h} = \int\rho_{e,h}\Sigma\,d^3r`.

Accuracy (radial densities of the exact solver put on a grid of h = 0.3 nm,
``source_stride=3``, compared with :mod:`qdlab.electronic.coulomb` on the same
densities, ``tests/test_grid_coulomb.py``): 4 nm CdSe in 2.25: J -1.3 %,
:math:`\Sigma_e` +3.7 %, :math:`\Sigma_h` +2.7 %.  The residual
self-energy error comes from the image potential within a spacing of the
surface, where the 0.3 nm wide graded interface is resolved by about one node.

Limitations
-----------
First-order perturbation theory in the single-particle densities (no
correlation); local, frequency-independent permittivities; the image potential
within a grid spacing of an interface is only as good as the grid resolves the
graded interface of half-width ``interface_width_nm`` (the error is measured
against the exact sphere in the tests); far-field boundary condition to dipole
order (the quadrupole of the induced charge is neglected on a box ``pad_nm``
away).

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
>>> t = coulomb_terms_grid(e, h, s, source_stride=2)
>>> t.polarisation_e_eV, abs(t.coulomb_eV - coulomb_energy_eV(e, h, 6.2)) < 1e-12
(0.0, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from qdlab._validation import QdlabInputError, check_nonnegative, check_positive
from qdlab.constants import COULOMB_EV_NM

__all__ = [
    "DEFAULT_INTERFACE_WIDTH_NM",
    "LATTICE_G0",
    "GridCoulombTerms",
    "coulomb_terms_grid",
    "dielectric_on_grid",
    "poisson_potential",
]

#: Half-width (nm) of the linear grading of every dielectric interface (as the spherical module).
DEFAULT_INTERFACE_WIDTH_NM: float = 0.15
#: Simple-cubic lattice Green's function at the origin, -Lap g = delta on the unit lattice
#: (Watson's integral W_s / (4 pi) ... = 0.2527310098; Glasser and Boersma 2000).
LATTICE_G0: float = 0.2527310098
#: Default medium padding (nm) added around the state grid for the Poisson solves.
DEFAULT_PAD_NM: float = 2.0
#: Relative residual of the CG/AMG solves.
_TOL = 1e-8
#: Nodes whose density is below this fraction of the peak are not self-energy sources.
_SOURCE_CUT = 1e-6


# --------------------------------------------------------------------------- grid


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


def _eps_nodes(shape, coords, screening, width):
    vals, eps_m = _eps_values(shape, screening)
    X, Y, Z = np.meshgrid(*coords, indexing="ij")
    eps = np.full(X.shape, eps_m)
    for k in range(len(shape.regions) - 1, -1, -1):       # outermost painted first
        d = shape.regions[k].sdf(X, Y, Z)
        if width > 0:
            t = np.clip(0.5 - d / (2.0 * width), 0.0, 1.0)
        else:
            t = (d < 0).astype(float)
        eps += (vals[k] - eps) * t
    return eps


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


# ------------------------------------------------------------------------ Poisson


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

    def solve(self, b: np.ndarray, x0=None) -> np.ndarray:
        res: list = []
        x = self.ml.solve(b.ravel(), x0=None if x0 is None else x0.ravel(), tol=_TOL,
                          accel="cg", maxiter=200, residuals=res)
        if res and res[-1] > 1e3 * _TOL * max(res[0], 1e-300):
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
        Poisson solves used for the self-energy.
    """

    coulomb_eV: float
    polarisation_e_eV: float
    polarisation_h_eV: float
    total_eV: float
    coulomb_uniform_eV: float
    eps_reference: float
    n_sources: int


def _embed(a, n):
    return np.pad(a, n) if n else a


def _trilinear(samples, idx_axes, shape):
    """Interpolate values known on the sub-lattice idx_axes (sorted node indices) to all nodes."""
    from scipy.interpolate import RegularGridInterpolator

    it = RegularGridInterpolator([np.asarray(a, float) for a in idx_axes], samples,
                                 bounds_error=False, fill_value=None)
    G = np.meshgrid(*[np.arange(m, dtype=float) for m in shape], indexing="ij")
    return it(np.stack([g.ravel() for g in G], axis=-1)).reshape(shape)


def coulomb_terms_grid(electrons, holes, structure=None, screening: str = "high_frequency",
                       *, i: int = 0, j: int = 0,
                       interface_width_nm: float = DEFAULT_INTERFACE_WIDTH_NM,
                       pad_nm: float = DEFAULT_PAD_NM, source_stride: int = 1,
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
        Half-width (nm) of the graded dielectric interfaces (default 0.15).
    pad_nm : float
        Medium added around the state grid for the Poisson solves, nm (default 2).
    source_stride : int
        Self-energy sources every ``source_stride`` nodes per axis (1 = every
        node with density; 2 = eight times fewer solves, trilinear interpolation).
    self_energy : bool
        Compute :math:`\Sigma_{e,h}` (default True); False returns zeros for them.

    Returns
    -------
    GridCoulombTerms

    Notes
    -----
    :math:`E_X = E_e + E_h - J + \Sigma_e + \Sigma_h` (Brus 1984).  See the module
    notes for the discretisation; :math:`J` is the uniform-dielectric FFT value plus
    the image correction from the Poisson solver, :math:`\Sigma` the reflected
    potential at the source node (Poisson solve minus the lattice Green's
    function of the same operator).

    References
    ----------
    L. E. Brus, J. Chem. Phys. 80, 4403 (1984); P. G. Bolcatto and C. R. Proetto,
    J. Phys.: Condens. Matter 13, 319 (2001).
    """
    from qdlab.electronic.grid import coulomb_energy_eV
    from qdlab.structures.shapes import as_shape

    structure = electrons.structure if structure is None else structure
    shape = as_shape(structure)
    if electrons.wavefunctions.shape[1:] != holes.wavefunctions.shape[1:] or \
            not np.allclose(electrons.x_nm, holes.x_nm):
        raise QdlabInputError("electrons and holes must be solved on the same grid "
                              "(same structure and resolution_nm)")
    if isinstance(source_stride, bool) or not isinstance(source_stride, (int, np.integer)) \
            or source_stride < 1:
        raise QdlabInputError(f"source_stride must be an integer >= 1, got {source_stride!r}")
    width = float(check_nonnegative(interface_width_nm, "interface_width_nm", "nm"))
    pad = float(check_nonnegative(pad_nm, "pad_nm", "nm"))
    h = float(electrons.spacing_nm)
    coords, npad = _axes_padded(electrons, pad)
    eps = _eps_nodes(shape, coords, screening, width)
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

    mismatch = not np.allclose(eps, eps_ref, rtol=1e-12, atol=0.0)
    if not mismatch:
        return GridCoulombTerms(coulomb_eV=J_fft, polarisation_e_eV=0.0, polarisation_h_eV=0.0,
                                total_eV=-J_fft, coulomb_uniform_eV=J_fft,
                                eps_reference=eps_ref, n_sources=0)

    op = _Operator(eps, h)
    u = _field_response(op, coords, eps_m)
    rho_h = _embed(ph, npad)
    rho_e = _embed(pe, npad)
    p_h = [float((rho_h * uk).sum() * h**3) for uk in u]
    phi = _solve_charge(op, coords, rho_h, eps, eps_m, p_h)
    op_ref = _Operator(np.full(eps.shape, eps_ref), h)
    phi_ref = _solve_charge(op_ref, coords, rho_h, eps, eps_ref, None)
    J = J_fft + float((rho_e * (phi - phi_ref)).sum() * h**3)

    sig_e = sig_h = 0.0
    n_src = 0
    if self_energy:
        sigma, n_src = _self_energy_map(op, coords, eps, u, eps_m, pe, ph, npad, shape,
                                        int(source_stride), width, vals)
        sig_e = float((pe * sigma).sum() * h**3)
        sig_h = float((ph * sigma).sum() * h**3)
    return GridCoulombTerms(coulomb_eV=J, polarisation_e_eV=sig_e, polarisation_h_eV=sig_h,
                            total_eV=-J + sig_e + sig_h, coulomb_uniform_eV=J_fft,
                            eps_reference=eps_ref, n_sources=n_src)


def _self_energy_map(op, coords, eps, u, eps_m, pe, ph, npad, shape, stride, width, vals):
    """Sigma (eV) on the nodes of the state grid (zero where neither carrier has density)."""
    h = op.h
    dims = pe.shape
    dens = np.maximum(pe / pe.max(), ph / ph.max())
    need = dens > _SOURCE_CUT
    # symmetry: only the wedge with positive coordinates where the grid is mirror symmetric
    inner = [c[npad:len(c) - npad] if npad else c for c in coords]
    mirror = [bool(shape.symmetry[d]) and np.allclose(inner[d], -inner[d][::-1], atol=1e-9 * h)
              for d in range(3)]
    # sub-lattice of sources (per axis), covering the needed box
    sub = []
    for d in range(3):
        ax_need = np.flatnonzero(np.any(need, axis=tuple(a for a in range(3) if a != d)))
        lo, hi = int(ax_need[0]), int(ax_need[-1])
        if mirror[d]:
            lo = max(lo, dims[d] // 2)
        if stride == 1:
            idx = np.arange(lo, hi + 1)
        else:
            idx = np.arange(lo, hi + stride, stride)
            idx = idx[idx < dims[d]]
            if idx[-1] < hi:
                idx = np.append(idx, dims[d] - 1)
            if mirror[d] and lo > 0 and idx[0] == lo:
                idx = np.concatenate([[lo - 1], idx])      # bracket the mirror plane
        sub.append(idx)
    S = np.meshgrid(*sub, indexing="ij")
    if stride == 1:
        active = need[tuple(S)]
    else:
        # a sub-lattice node is needed if any node of its surrounding cell block is needed
        from scipy.ndimage import binary_dilation

        grown = binary_dilation(need, iterations=stride)
        active = grown[tuple(S)]
    samples = np.zeros(active.shape)
    diag = op.diag
    eps_m_ = eps_m
    centre = _box_centre(coords)
    g0 = 4.0 * math.pi * COULOMB_EV_NM * LATTICE_G0
    n_src = 0
    prev = None
    for a in np.argwhere(active):
        node = tuple(int(S[d][tuple(a)]) + npad for d in range(3))
        b = np.zeros(op.shape)
        b[node] = 4.0 * math.pi * COULOMB_EV_NM
        p = [float(uk[node]) for uk in u]
        pos = [coords[d][node[d]] for d in range(3)]
        b += op.boundary_rhs(coords, _point_far_field(eps_m_, pos, p, centre))
        phi = op.solve(b, x0=prev)
        prev = phi
        eps_bar = diag[node] / (6.0 * h)
        samples[tuple(a)] = 0.5 * (phi[node] - g0 / (eps_bar * h))
        n_src += 1
    # values on the needed part of the state grid: interpolate the smooth remainder
    # Sigma - Sigma_planar (the planar image of the nearest surface carries the 1/d part)
    box = tuple(slice(int(s[0]), int(s[-1]) + 1) for s in sub)
    inner = [c[npad:len(c) - npad] if npad else c for c in coords]
    planar = np.zeros(dims)
    planar[box] = _planar_image(shape, [inner[d][box[d]] for d in range(3)], eps_m,
                                width, vals)
    sigma = np.zeros(dims)
    if stride == 1:
        sigma[box] = np.where(active, samples, 0.0)
    else:
        rem = samples - planar[tuple(S)]
        rem = np.where(active, rem, 0.0)
        full = _trilinear(rem, [s - s[0] for s in sub],
                          tuple(int(s[-1] - s[0] + 1) for s in sub))
        sigma[box] = full + planar[box]
        sigma[~need] = 0.0
    for d in range(3):                                   # mirror images
        if mirror[d]:
            half = dims[d] // 2
            sl_src = [slice(None)] * 3
            sl_dst = [slice(None)] * 3
            sl_src[d] = slice(half, dims[d])
            sl_dst[d] = slice(0, half)
            sigma[tuple(sl_dst)] = np.flip(sigma[tuple(sl_src)], axis=d)[
                tuple(slice(0, half) if k == d else slice(None) for k in range(3))]
    return sigma, n_src


def _planar_image(shape, axes, eps_m, width, vals):
    r"""Planar image potential (eV) of the nearest particle surface, graded over +-width.

    :math:`\frac{C\Delta}{4\varepsilon_{\rm in} d}` inside and
    :math:`-\frac{C\Delta}{4\varepsilon_m d}` outside, :math:`\Delta =
    (\varepsilon_{\rm in}-\varepsilon_m)/(\varepsilon_{\rm in}+\varepsilon_m)`, linear for
    :math:`|d| < w` (w at least 0.05 nm); used only to make the interpolated remainder smooth.
    """
    X, Y, Z = np.meshgrid(*axes, indexing="ij")
    sd = np.stack([r.sdf(X, Y, Z) for r in shape.regions])
    d = sd.min(axis=0)
    eps_in = np.asarray(vals)[np.argmin(sd, axis=0)]
    delta = (eps_in - eps_m) / (eps_in + eps_m)
    w = max(width, 0.05)
    lo = COULOMB_EV_NM * delta / (4.0 * eps_in * w)          # value at d = -w
    hi = -COULOMB_EV_NM * delta / (4.0 * eps_m * w)          # value at d = +w
    ad = np.maximum(np.abs(d), w)
    out = np.where(d < 0, COULOMB_EV_NM * delta / (4.0 * eps_in * ad),
                   -COULOMB_EV_NM * delta / (4.0 * eps_m * ad))
    band = np.abs(d) < w
    t = (d + w) / (2.0 * w)
    return np.where(band, lo + t * (hi - lo), out)


def _point_far_field(eps_m, pos, p, centre):
    """Far field of a unit charge at pos: monopole at pos + induced part of the dipole."""
    # dipole about the centre of the total charge = u(pos) (reciprocity)
    return _far_field(None, eps_m, 1.0, p, centre)
