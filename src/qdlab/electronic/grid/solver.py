"""3D effective-mass (BenDaniel-Duke) solver on a Cartesian grid, for any shape.

The envelope function of an electron (hole) obeys

.. math::

    -\\nabla\\cdot\\left(\\frac{\\hbar^2}{2 m_0 m^*(\\mathbf r)}\\nabla\\psi\\right)
    + V(\\mathbf r)\\,\\psi = E\\,\\psi ,

with the effective mass ``m*(r)`` and band edge ``V(r)`` of the material at
``r``: for electrons ``V = E_c`` (conduction-band edge on the vacuum scale),
for holes ``V = -E_v`` (the negated valence-band edge), so that the lowest
electron plus the lowest hole energy is the single-particle gap
``E_c - E_v + confinement``.  Outside the nanocrystal the medium is a barrier
``V_out = V_outer + barrier`` with the mass ``barrier_mass`` (default the
free-electron mass; ``inf`` barriers are hard walls).

Discretisation (why a grid, and which one)
------------------------------------------
A cell-centred finite-volume 7-point scheme on a uniform Cartesian grid:

* it gives a sparse symmetric positive-definite matrix whose size is the
  number of cells, so memory and the cost of a matrix-vector product are
  linear in the unknowns, algebraic multigrid applies directly, and any shape
  given by a signed-distance function (SDF) can be meshed in O(N) without a
  mesh generator;
* **hard walls on curved surfaces** use the symmetric ghost-point rule of
  Gibou, Fedkiw, Cheng and Kang [1]_: on a link from an inside node to an
  outside node the wall lies at the fraction ``theta = phi_i / (phi_i - phi_o)``
  of the link (from the SDF), and the link is replaced by a diagonal term,
  ``kappa / (theta h^2)`` for a ghost value extrapolated linearly to the wall.
  The solution is then second-order accurate instead of the first-order
  staircase.  The ghost value here follows the envelope's curvature as well,
  ``psi ~ -phi + (lap phi) phi^2 / 2`` near the wall (from ``psi = 0`` and the
  equation on the wall; :func:`~qdlab.electronic.grid.operator._wall_gain`), so
  that the O(h^2) error of the levels has one coefficient at every spacing
  instead of one that jumps with where the wall cuts the links (hard-wall
  sphere, error / h^2: -5.47 ... -5.48 %/nm^2 against -3.22 ... -3.36 %/nm^2 with
  the linear rule), which is what the Richardson step needs;
* **material interfaces and finite barriers**: on a link crossing an interface
  the face coefficient ``kappa = hbar^2 / (2 m)`` is the harmonic mean along the
  link, weighted by the sub-link fractions from the SDF (exact for a flat
  interface, it enforces continuity of ``psi`` and of ``(1/m) dpsi/dn``, the
  BenDaniel-Duke conditions); the band edge in a cut cell is the
  volume-fraction-weighted average, with the fractions from sub-sampling the
  SDFs in the cell with a sub-cell linear ramp.  At interfaces inside the
  nanocrystal the first-order term of the cell's potential energy,
  ``2 psi_i grad(psi_i) . int_cell V (x - x_i)``, is added as symmetric link
  terms (:func:`~qdlab.electronic.grid.operator._assemble`), which makes the
  O(h^2) error smooth in h there too.
* Mirror symmetries ``x -> -x`` etc. declared by the shape reduce the grid to
  one half per symmetric axis (an octant for spheres, rods, cubes, platelets):
  each parity sector (even: zero-flux, odd: ``psi = 0`` on the plane) is solved
  separately with 2^-s of the unknowns, and the lowest ``n_states`` of all
  sectors are merged (each sector is enlarged until its highest computed state
  lies above the global ``n_states``-th level, so no state is missed).

The lowest eigenpairs come from LOBPCG [2]_ preconditioned by one symmetric
smoothed-aggregation algebraic multigrid V-cycle (pyamg [3]_, applied to the
whole block of vectors at once): both are linear in the number of unknowns per
iteration and the iteration count is nearly independent of the grid.  Small
problems (< 800 unknowns) use dense LAPACK.  Large sectors start from the
solution on a grid twice as coarse (nested iteration, recursively), prolonged
by trilinear interpolation, wanted and guard vectors alike; with a coarser grid
at hand each sector solves only for the states it holds below the
``n_states``-th level there, plus one above (sectors whose highest state falls
below the level are still enlarged).  The parity sectors share the multigrid
aggregates; each odd sector gets its own Galerkin coarse matrices ``R A P``.
The dense block work runs on one BLAS thread (memory-bound; extra threads only
wait on a loaded machine).

Measured on the 2-core machine (``benchmarks/bench_grid.py``): a hard-wall
sphere with 10^6 unknowns and no symmetry, 4 states, converges in 18 LOBPCG
iterations over the nested grids (4 on the finest) in 7-10 s, peak RSS
0.96 GB.  Before, a stride bug in the block V-cycle (pyamg's compiled
Gauss-Seidel ignores strides; the coarse-level blocks were C-ordered, so
their columns were read interleaved) made the preconditioner wrong on the
coarse levels for blocks though right for single vectors: 65-70 iterations
at 2.5e5 unknowns and no convergence within 150 s at 10^6.  The wall terms
``kappa / (max(theta, THETA_MIN) h^2)`` (diagonal entries up to ~20x the
median) were not the cause: preconditioned CG with this V-cycle reduces the
residual of a random right-hand side by 1e-8 in 6 iterations at 2.5e5
unknowns, so ``THETA_MIN`` and the pyamg defaults are unchanged.

Agreement with the radial solver
--------------------------------
A Sphere or CoreShell can be solved by both solvers (``qdlab levels ...
--solver grid``); they share one physical model, so that they differ only by
the grid's discretisation error (issue 13):

* the same band edges (``E_c``, ``-E_v`` of each layer, the medium barrier above
  the outermost layer), masses (:func:`~qdlab.electronic.sphere.holes.band_edge_hole_mass`,
  free-electron mass in the medium) and, with ``nonparabolic=True`` (the default of
  :func:`~qdlab.electronic.grid.solve_shape`), the same Kane mass
  :math:`m(E) = m^*[1 + (E - V)/E_g]` with the same clip; the grid makes each state
  self-consistent, :math:`E_k = \\lambda_k(H(m(E_k)))`, by secant iteration;
* the same first-order Coulomb and self-polarisation model
  (:func:`~qdlab.electronic.grid.coulomb.layered_sphere_terms_grid`): the
  Gauss-law :math:`J` in the layered :math:`\\varepsilon(r)` and the layered-sphere
  image series :math:`\\Sigma(r)` with the 0.15 nm interface cut-off, evaluated on
  the grid densities; ``dielectric`` ("mismatch", the default for spheres, or
  "uniform") and ``screening`` act on both solvers alike.

Measured (2-core machine; grid energies Richardson-extrapolated from h and
1.25 h, grid minus radial, meV; ``tests/test_grid_radial_agreement.py``; the
core/shell rows with the interface-moment rule, within 0.05 meV of the figures
before it)::

    structure                    h (nm)        exciton  e 1S    h 1S    J      time
    CdSe/CdS 3 nm + 1.5 nm       0.094 (dflt)  -0.34    +0.01   +0.06   +0.29  3.0 s
                                 0.1           -0.28    +0.08   +0.03   +0.32  2.1 s
    CdSe 4 nm                    0.125 (dflt)  -3.6     -2.6    +0.14   +0.8   0.7 s
                                 0.08          -0.34    +0.07   -0.03   +0.36  1.9 s
    InP/ZnSe/ZnS 3 + 0.5 + 1 nm  0.0625 (dflt) -0.06    -0.00   +0.01   +0.07  13.7 s
                                 0.1           -0.07    +0.02   +0.03   +0.11  2.8 s
    PbS 4 nm (Kane holes too)    0.08          +0.66    +0.07   -0.07   -      5 s

Before this unification the grid used constant band-edge masses (its CdSe/CdS
1S electron 6 meV too high) and the particle's own permittivity without image
terms, and ignored ``dielectric`` for spheres: 2.0269 eV against the radial
2.0436 eV for CdSe/CdS (3 nm + 1.5 nm), now 2.0432 eV.  What remains is
discretisation: it falls as h^2 but with a wobble where the radii are not whole
multiples of h and 1.25 h (the cut-cell interface terms), which the Richardson
step then amplifies (CdSe 4 nm at its default 0.125 nm: 1.25 h = 0.156 nm does
not divide the 2 nm radius).  Use a spacing that divides the radii for
sub-meV comparisons.

Module map: the parity sectors and the nested-grid solve are in
:mod:`qdlab.electronic.grid.symmetry`, the self-consistent Kane mass in
:mod:`qdlab.electronic.grid.nonparabolic`; this module holds the result
(:class:`GridStates`), the entry point :func:`solve_grid` and the Richardson
extrapolation.

References
----------
.. [1] F. Gibou, R. P. Fedkiw, L.-T. Cheng, M. Kang, "A second-order-accurate
   symmetric discretization of the Poisson equation on irregular domains",
   J. Comput. Phys. 176, 205 (2002).
.. [2] A. V. Knyazev, "Toward the optimal preconditioned eigensolver: locally
   optimal block preconditioned conjugate gradient method", SIAM J. Sci.
   Comput. 23, 517 (2001).
.. [3] N. Bell, L. N. Olson, J. Schroder, B. Southworth, "PyAMG: algebraic
   multigrid solvers in Python", J. Open Source Softw. 8, 5495 (2023).
.. [4] D. J. BenDaniel, C. B. Duke, "Space-charge effects on electron
   tunneling", Phys. Rev. 152, 683 (1966).

Examples
--------
>>> from qdlab.structures import Sphere, VACUUM
>>> class M:   # plain numbers instead of a database material
...     name = "X"; electron_mass = 0.13; hole_mass = 0.45
...     def conduction_band_edge(self, T): return -4.0
...     def valence_band_edge(self, T): return -5.7
>>> st = solve_grid(Sphere(M(), 6.0, medium=VACUUM), "electron", n_states=4, resolution_nm=0.3)
>>> exact = 0.0381 * 3.14159**2 / (0.13 * 9) - 4.0     # hbar^2 pi^2 / (2 m R^2) + E_c
>>> bool(abs(st.energies_eV[0] - exact) < 0.01)
True
>>> [int(p.sum()) for p in st.parities[:4]]   # 1S (+++) then the three 1P (one odd axis)
[3, 1, 1, 1]
"""


from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from qdlab.electronic.grid.budget import check_grid_budget, default_resolution_nm
from qdlab.electronic.grid.eigensolver import (  # noqa: F401  (old import path)
    DENSE_LIMIT,
    GridConvergenceError,
    single_thread_blas,
)
from qdlab.electronic.grid.nonparabolic import (  # noqa: F401  (old import path)
    KANE_MAXITER,
    KANE_TOL_EV,
    _kane_gaps,
    _kane_kappa,
    _solve_level_kane,
)
from qdlab.electronic.grid.operator import (  # noqa: F401  (old import path)
    _assemble,
    _axes,
    _carrier_params,
    _padding,
)
from qdlab.electronic.grid.symmetry import (  # noqa: F401  (old import path)
    COARSE_TOL_EV,
    NESTED_MIN,
    _Level,
    _merge,
    _prolong,
    _sectors,
    _solve_level,
)
from qdlab.electronic.sphere.profiles import MEDIUM_MASS
from qdlab.errors import QdlabInputError, check_positive


@dataclass(frozen=True, eq=False)
class GridStates:
    """States of one carrier on a 3D grid.

    Attributes
    ----------
    carrier : str
        ``"electron"`` or ``"hole"``.
    energies_eV : ndarray, shape (k,)
        Energies in eV on the absolute scale (electrons: from the vacuum level
        via ``E_c``; holes: ``-E_v`` plus the confinement energy), ascending.
    wavefunctions : ndarray, shape (k, nx, ny, nz)
        Real envelope functions on the full grid in nm^-3/2, normalised so that
        ``sum(psi**2) * spacing_nm**3 == 1``.
    x_nm, y_nm, z_nm : ndarray
        Node coordinates in nm.
    spacing_nm : float
        Grid spacing h in nm.
    parities : ndarray of int, shape (k, 3)
        +1 (even) / -1 (odd) under x -> -x, y -> -y, z -> -z; 0 where the
        symmetry was not used.
    residuals_eV : ndarray, shape (k,)
        Final residual norms ``|H psi - E psi|`` (unit vectors), eV.
    n_unknowns : int
        Unknowns of the largest sector solved (full grid if no symmetry).
    region_index : ndarray of int16, shape (nx, ny, nz)
        Region of each node (``len(structure.regions)`` = medium).
    structure : object
        The structure solved.
    energies_unextrapolated_eV : ndarray or None
        With Richardson extrapolation: the energies on the grid of spacing h.
    iterations : int
        LOBPCG iterations summed over sectors and grids (diagnostic).
    """

    carrier: str
    energies_eV: np.ndarray
    wavefunctions: np.ndarray
    x_nm: np.ndarray
    y_nm: np.ndarray
    z_nm: np.ndarray
    spacing_nm: float
    parities: np.ndarray
    residuals_eV: np.ndarray
    n_unknowns: int
    region_index: np.ndarray = field(repr=False)
    structure: Any = field(repr=False, default=None)
    energies_unextrapolated_eV: np.ndarray | None = None
    iterations: int = 0

    def density(self, i: int = 0) -> np.ndarray:
        """Probability density ``|psi_i|^2`` in nm^-3 on the grid."""
        return self.wavefunctions[i] ** 2

    def probability_in_region(self, region: int, i: int = 0) -> float:
        """Probability (0..1) of finding carrier state ``i`` in region ``region``."""
        return float((self.density(i)[self.region_index == region]).sum() * self.spacing_nm ** 3)


def _states(level: _Level, carrier: str, n_states: int, structure) -> GridStates:
    """Unfold the sector solutions of ``level`` onto the full grid."""
    items = _merge(level, n_states)
    coords, sym, h = level.coords, level.sym, level.h
    sym_axes = [d for d in range(3) if sym[d]]
    s = len(sym_axes)
    dims = tuple(len(c) for c in coords)
    full_coords = [np.concatenate([-c[::-1], c]) if sym[d] else c for d, c in enumerate(coords)]
    full_dims = tuple(len(c) for c in full_coords)
    psi = np.zeros((len(items),) + full_dims)
    norm = 1.0 / math.sqrt(h ** 3 * 2 ** s)
    for j, (_, p, i) in enumerate(items):
        g = np.zeros(dims)
        g[level.active] = level.found[p][1][:, i] * norm
        for d in sym_axes:
            g = np.concatenate([p[d] * np.flip(g, axis=d), g], axis=d)
        psi[j] = g
    lab = level.label
    for d in sym_axes:
        lab = np.concatenate([np.flip(lab, axis=d), lab], axis=d)
    return GridStates(
        carrier=carrier,
        energies_eV=np.array([t[0] for t in items]),
        wavefunctions=psi,
        x_nm=full_coords[0], y_nm=full_coords[1], z_nm=full_coords[2],
        spacing_nm=h,
        parities=np.array([t[1] for t in items], dtype=int),
        residuals_eV=np.array([level.found[t[1]][2][t[2]] for t in items]),
        n_unknowns=level.n_unknowns,
        region_index=lab,
        structure=structure,
        iterations=int(sum(level.iterations.values())),
    )


def solve_grid(structure, carrier: str = "electron", n_states: int = 4,
               resolution_nm: float | None = None, *, barrier_mass: float = MEDIUM_MASS,
               padding_nm: float | None = None, use_symmetry: bool = True,
               max_memory_GB: float = 8.0, tol_eV: float = 1e-3, maxiter: int = 300,
               subsamples: int = 4, seed: int = 0, richardson: bool = True,
               nested: bool = True, nonparabolic: bool = False) -> GridStates:
    r"""Lowest states of an electron or hole in any nanocrystal on a 3D grid.

    Parameters
    ----------
    structure : Sphere, CoreShell or shape from :mod:`qdlab.structures.shapes`
        Materials need ``electron_mass`` (m0), a hole mass (m0; the same
        band-edge hole mass as the spherical solver,
        :func:`qdlab.electronic.sphere.holes.band_edge_hole_mass`) and
        ``conduction_band_edge(T)`` / ``valence_band_edge(T)`` (eV).
    carrier : {"electron", "hole"}
    n_states : int
        Number of lowest states to return (1..200).
    resolution_nm : float, optional
        Grid spacing h in nm; default ``min(0.15, min_feature_nm / 16)``.
    barrier_mass : float
        Effective mass (m0) of the carrier in the medium, default 1 (the free
        electron mass, as in :mod:`qdlab.electronic.sphere.exciton`).
    padding_nm : float, optional
        Medium around the bounding box, nm; default 10 barrier decay lengths
        (2 h for hard walls).
    use_symmetry : bool
        Solve parity sectors on a reduced grid where the shape declares mirror
        symmetries (default True).
    max_memory_GB : float
        Refuse (``GridMemoryError``) grids whose estimated peak exceeds this, GB.
    tol_eV : float
        Residual norm ``|H psi - E psi|`` (eV, unit vectors) required of each
        state; the energy error it leaves is about ``tol_eV**2 / gap``.
    maxiter : int
        LOBPCG iteration limit per sector.
    subsamples : int
        Sub-samples per axis for volume fractions in cut cells (1 = none).
    seed : int
        Seed of the random start vectors (results do not depend on it beyond tol).
    richardson : bool
        Also solve at ``1.25 h`` and extrapolate the energies to h -> 0 assuming
        the O(h^2) error of the scheme (default True; wavefunctions are those at h).
    nested : bool
        Start the eigensolver from the solution on a grid twice as coarse,
        prolonged by trilinear interpolation (default True; only for sectors
        with more than ``NESTED_MIN`` unknowns).  Changes the run time, not the
        result beyond ``tol_eV``.
    nonparabolic : bool
        Kane two-band energy-dependent mass ``m(E) = m* (1 + (E - V)/E_g)`` in each
        region, exactly as the radial solver
        (:func:`qdlab.electronic.sphere.radial.solve_radial` with ``gap_eV``): every
        region for electrons, only mirror-band materials (lead salts, perovskites)
        for holes; the medium stays parabolic.  Each state is made self-consistent
        (see Notes).  Default False here (the bare BenDaniel-Duke operator, used by
        the anisotropy models); :func:`solve_shape` defaults to True, as
        :func:`~qdlab.electronic.sphere.solve_sphere`.

    Returns
    -------
    GridStates

    Raises
    ------
    GridMemoryError
        The grid would need more than ``max_memory_GB``; the message gives the need.
    GridConvergenceError
        A residual stayed above ``tol_eV`` (the message gives the value reached).

    See Also
    --------
    solve_shape : electron, hole and exciton in one call.
    qdlab.electronic.sphere.solve_radial : exact solver for layered spheres.
    default_resolution_nm, grid_unknowns, estimate_memory_GB : budgeting a solve.

    Notes
    -----
    Solves :math:`-\\nabla\\cdot(\\hbar^2/(2 m_0 m^*)\\nabla\\psi) + V\\psi = E\\psi`
    (BenDaniel-Duke) with the discretisation described in the module docstring.
    The discretisation error of the levels is O(h^2) (measured on spheres, see
    ``benchmarks/bench_grid.py``), so with ``richardson=True`` the energies are
    :math:`E = E_h + (E_h - E_H)\,h^2/(H^2 - h^2)` with ``H = 1.25 h``; each
    state is matched to the coarse state of the same parity and rank within
    that parity (states without a partner keep ``E_h``).  The ``1.25 h`` grid
    is solved first and its states, interpolated, start the ``h`` solve.

    The eigensolver is LOBPCG [2]_ (block of ``n + max(2, n/3)`` vectors per
    sector, only the wanted ``n`` converged) preconditioned by one symmetric
    smoothed-aggregation V-cycle [3]_; the aggregates and prolongations are
    built once per grid and shared by the parity sectors, the coarse matrices
    of each odd sector are its own Galerkin products.  With a coarser grid
    solved first (``nested`` or ``richardson``), each sector is sized from it.

    With ``nonparabolic=True`` the operator depends on the energy through the
    Kane mass, :math:`H(E) = -\nabla\cdot(\hbar^2/(2 m_0 m^*(\mathbf r)
    [1 + (E - V(\mathbf r))/E_g(\mathbf r)])\nabla) + V`, and each level is the
    root of :math:`f(E) = \lambda_k(H(E)) - E`, found per state by secant
    iteration from the parabolic level (a few warm-started eigen-solves; stopped at
    :math:`|f| <` ``KANE_TOL_EV`` = 2e-6 eV), on each grid before the Richardson
    extrapolation.  This is the same m(E) as the radial solver's matching function
    [R3]_, so both solve one eigenproblem.

    References
    ----------
    .. [R1] D. J. BenDaniel, C. B. Duke, Phys. Rev. 152, 683 (1966). Bibliography ``bendaniel1966``.
    .. [R2] A. V. Knyazev, SIAM J. Sci. Comput. 23, 517 (2001).
    .. [R3] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.
    """
    from qdlab.structures.shapes import as_shape

    shape = as_shape(structure)
    if carrier not in ("electron", "hole"):
        raise QdlabInputError(f"carrier must be 'electron' or 'hole', got {carrier!r}")
    if isinstance(n_states, bool) or not isinstance(n_states, (int, np.integer)) \
            or not 1 <= n_states <= 200:
        raise QdlabInputError(f"n_states must be an integer in [1, 200], got {n_states!r}")
    check_positive(barrier_mass, "barrier_mass", "m0")
    check_positive(max_memory_GB, "max_memory_GB", "GB")
    check_positive(tol_eV, "tol_eV", "eV")
    if resolution_nm is None:
        resolution_nm = default_resolution_nm(shape)
    h = float(check_positive(resolution_nm, "resolution_nm", "nm"))
    pad = _padding(shape, h, barrier_mass) if padding_nm is None else \
        float(check_positive(padding_nm, "padding_nm", "nm"))
    check_grid_budget(shape, h, pad, use_symmetry, n_states, max_memory_GB)
    kap, V, hard = _carrier_params(shape, carrier, float(barrier_mass))
    rng = np.random.default_rng(seed)
    args = (shape, kap, V, hard)
    opts = dict(use_symmetry=use_symmetry, subsamples=int(subsamples), n_states=n_states,
                tol=float(tol_eV), maxiter=int(maxiter), rng=rng, nested=nested)
    gaps = _kane_gaps(shape, carrier) if nonparabolic else None
    if gaps is None:
        level = _solve_level
    else:
        def level(shape, kap, V, hard, h, pad, **o):
            return _solve_level_kane(shape, kap, V, hard, gaps, h, pad, **o)
    # one BLAS thread for every solve: the dense work is thin n x block products (and
    # small dense eigenproblems), where two OpenBLAS threads on a loaded 2-core machine
    # wait on each other (a 3 nm dimer at h = 0.3 nm: 9.5 s with two, 0.5 s with one)
    with single_thread_blas():
        if not richardson:
            return _states(level(*args, h, pad, **opts), carrier, n_states, structure)
        H = 1.25 * h
        coarse = level(*args, H, pad, **opts)
        fine = level(*args, h, pad, guess=coarse if nested else None, **opts)
    states = _states(fine, carrier, n_states, structure)
    items = _merge(coarse, n_states)
    return _extrapolate(states, np.array([t[1] for t in items], dtype=int),
                        np.array([t[0] for t in items]), h, H,
                        iterations=states.iterations + int(sum(coarse.iterations.values())))


def _ranks(parities):
    seen: dict = {}
    out = []
    for p in map(tuple, parities):
        out.append((p, seen.get(p, 0)))
        seen[p] = seen.get(p, 0) + 1
    return out


def _extrapolate(fine: GridStates, coarse_parities, coarse_energies, h: float, H: float,
                 iterations: int = 0) -> GridStates:
    c = {key: e for key, e in zip(_ranks(coarse_parities), coarse_energies, strict=True)}
    ef = fine.energies_eV
    e = np.array([ef[i] + (ef[i] - c[key]) * h * h / (H * H - h * h) if key in c else ef[i]
                  for i, key in enumerate(_ranks(fine.parities))])
    order = np.argsort(e, kind="stable")
    return replace(fine, energies_eV=e[order], wavefunctions=fine.wavefunctions[order],
                   parities=fine.parities[order], residuals_eV=fine.residuals_eV[order],
                   energies_unextrapolated_eV=ef[order], iterations=iterations)
