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
  of the link (from the SDF), and the link is replaced by the diagonal term
  ``kappa / (theta h^2)``.  The solution is then second-order accurate instead
  of the first-order staircase;
* **material interfaces and finite barriers**: on a link crossing an interface
  the face coefficient ``kappa = hbar^2 / (2 m)`` is the harmonic mean along the
  link, weighted by the sub-link fractions from the SDF (exact for a flat
  interface, it enforces continuity of ``psi`` and of ``(1/m) dpsi/dn``, the
  BenDaniel-Duke conditions); the band edge in a cut cell is the
  volume-fraction-weighted average, with the fractions from sub-sampling the
  SDFs in the cell with a sub-cell linear ramp.
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

import contextlib
import ctypes
import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from qdlab._validation import QdlabInputError, check_positive
from qdlab.constants import COULOMB_EV_NM, HBAR2_2M0
from qdlab.electronic.exciton import MEDIUM_MASS
from qdlab.electronic.holes import band_edge_hole_mass

#: Smallest wall fraction theta used in the ghost-point rule (avoids 1/0).
THETA_MIN = 1e-2
#: Average of 1/|r| over a unit cube centred at the origin, 3 ln(2 + sqrt 3) - pi/2.
CUBE_INV_R = 3.0 * math.log(2.0 + math.sqrt(3.0)) - math.pi / 2
#: Below this many unknowns the dense LAPACK eigensolver is used.
DENSE_LIMIT = 800
#: Sectors with more unknowns than this start from a solve on a grid twice as coarse.
NESTED_MIN = 20_000
#: Residual (eV) to which those coarse-grid start solves are converged.
COARSE_TOL_EV = 1e-3


class GridConvergenceError(RuntimeError):
    """The eigensolver did not reach the requested residual."""


class GridMemoryError(QdlabInputError):
    """The requested grid would need more memory than allowed."""


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


# ---------------------------------------------------------------------------
# BLAS threads
# ---------------------------------------------------------------------------


@contextlib.contextmanager
def _single_thread_blas():
    """Run the block in this thread with single-threaded OpenBLAS (restored afterwards).

    The eigensolver's dense work is tall-and-skinny products (n x 12 blocks),
    which are memory-bound: a second BLAS thread gains little, and on a loaded
    machine OpenBLAS's threads wait for each other.  Measured on the 2-core
    machine with other jobs running: CdSe/CdS benchmark (b) 71.5 s wall /
    34 s CPU with the default two threads, 14-15 s / 7 s with one.  Uses
    OpenBLAS's thread-local ``openblas_set_num_threads_local`` (0.3.27+), so
    other threads of the process are unaffected; a no-op where it is not
    available (other BLAS, non-Linux).
    """
    setters = []
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower()}
        for path in sorted(paths):
            fn = getattr(ctypes.CDLL(path), "openblas_set_num_threads_local", None)
            if fn is not None:
                fn.restype, fn.argtypes = ctypes.c_int, [ctypes.c_int]
                setters.append(fn)
    except OSError:
        setters = []
    previous = [fn(1) for fn in setters]
    try:
        yield
    finally:
        for fn, n in zip(setters, previous, strict=True):
            fn(n)


# ---------------------------------------------------------------------------
# Grid layout and memory estimate
# ---------------------------------------------------------------------------


def default_resolution_nm(structure) -> float:
    """Default grid spacing of :func:`solve_grid` for ``structure``, nm.

    ``min(0.15, min_feature_nm / 16)``: 16 cells across the smallest feature (a
    thin shell, a rod's diameter, a dimer's gap) and never coarser than 0.15 nm.

    Examples
    --------
    >>> from qdlab.structures import Sphere
    >>> default_resolution_nm(Sphere("CdSe", 6.0))      # radius 3 nm / 16 > 0.15
    0.15
    >>> default_resolution_nm(Sphere("CdSe", 4.0))      # radius 2 nm / 16
    0.125
    """
    from qdlab.structures.shapes import as_shape

    return min(0.15, as_shape(structure).min_feature_nm / 16)


def grid_unknowns(structure, resolution_nm: float | None = None, *,
                  barrier_mass: float = MEDIUM_MASS, use_symmetry: bool = True) -> int:
    """Unknowns of one symmetry sector (the largest matrix) of :func:`solve_grid`.

    The grid :func:`solve_grid` lays out for ``structure`` at spacing
    ``resolution_nm`` (default :func:`default_resolution_nm`): the bounding box
    with the barrier padding, one octant per mirror symmetry.  Nothing is solved;
    use it to budget a solve before starting it.

    Parameters
    ----------
    structure : Sphere, CoreShell or shape
    resolution_nm : float, optional
        Grid spacing, nm (> 0).
    barrier_mass : float
        Carrier mass in the medium, m0 (sets the padding), as in :func:`solve_grid`.
    use_symmetry : bool
        As in :func:`solve_grid`.

    Returns
    -------
    int
        ``GridStates.n_unknowns`` of the corresponding solve.

    Examples
    --------
    >>> from qdlab.structures.shapes import Cube
    >>> grid_unknowns(Cube("CdSe", 4.0), 0.15)
    8000
    """
    from qdlab.structures.shapes import as_shape

    shape = as_shape(structure)
    h = float(check_positive(default_resolution_nm(shape) if resolution_nm is None
                             else resolution_nm, "resolution_nm", "nm"))
    coords, _ = _axes(shape, h, _padding(shape, h, float(barrier_mass)), use_symmetry)
    return int(np.prod([len(c) for c in coords]))


def estimate_memory_GB(n_unknowns: int, block: int, n_regions: int = 1,
                       n_full: int | None = None, n_returned: int | None = None) -> float:
    """Conservative peak memory (GB) of a grid solve.

    Parameters
    ----------
    n_unknowns : int
        Unknowns of one symmetry sector (the largest matrix).
    block : int
        Block size of the eigensolver (states wanted plus guard vectors).
    n_regions : int
        Number of material regions (one SDF array each).
    n_full : int, optional
        Nodes of the full (unfolded) grid holding the returned wavefunctions.
    n_returned : int, optional
        Number of returned wavefunctions (default ``block``).

    Notes
    -----
    ``0.15 GB`` (interpreter, numpy, scipy, pyamg) plus, per unknown, ~ 560
    bytes (assembly temporaries, the CSR matrix, the multigrid hierarchy)
    + ``8 n_regions`` + ``64 block`` (LOBPCG holds ~ 8 blocks of float64
    vectors at its peak: X, A X, and the 2-block trial basis S and A S),
    plus ``8 (n_returned + 2)`` bytes per node of the full grid.
    Calibrated against ``ru_maxrss`` of hard-wall spheres without symmetry
    (measured peak / this estimate, GB: 0.21 / 0.28 at 1.25e5 unknowns and
    4 states, 0.57 / 0.68 at 5e5, 0.96 / 1.21 at 1e6, 1.63 / 1.76 at 1e6 and
    10 states) and of an octant (10 states, 1e6 unknowns per sector: 2.37 /
    2.68); see ``benchmarks/bench_grid.py`` case (c).

    Examples
    --------
    >>> round(estimate_memory_GB(10**6, 6, 1, 1_900_000, 4), 2)
    1.19
    """
    n_full = n_unknowns if n_full is None else n_full
    n_returned = block if n_returned is None else n_returned
    per = 560 + 8 * n_regions + 64 * block
    return 0.15 + (n_unknowns * per + n_full * 8 * (n_returned + 2)) / 1e9


def _axes(shape, h: float, pad: float, use_symmetry: bool):
    (lo, hi) = shape.bounding_box_nm
    # refuse absurd axes before allocating them (a 1e-12 nm dimer: 3e13 nodes, 227 TiB)
    n_max = max((max(abs(lo[d]), abs(hi[d])) + pad) / h for d in range(3))
    if not n_max < _MAX_AXIS_NODES:
        raise GridMemoryError(f"a grid axis would have {n_max:.3g} nodes (h = {h:g} nm, "
                              f"padding {pad:.3g} nm), more than {_MAX_AXIS_NODES:,}; use a "
                              "larger resolution_nm or a physical size")
    coords, sym = [], []
    for d in range(3):
        s = bool(shape.symmetry[d]) and use_symmetry
        if s:
            ext = max(abs(lo[d]), abs(hi[d])) + pad
            n = max(2, math.ceil(ext / h))
            coords.append((np.arange(n) + 0.5) * h)
        else:
            c = (lo[d] + hi[d]) / 2
            half = (hi[d] - lo[d]) / 2 + pad
            n = max(3, math.ceil(2 * half / h))
            coords.append(c + (np.arange(n) - (n - 1) / 2) * h)
        sym.append(s)
    return coords, tuple(sym)


#: Most nodes along one axis that :func:`_axes` lays out (8 MB per coordinate array).
_MAX_AXIS_NODES = 10**6


def _padding(shape, h: float, barrier_mass: float) -> float:
    med = shape.medium
    vb = min(med.electron_barrier_eV, med.hole_barrier_eV)
    if math.isinf(vb):
        return 2.0 * h
    decay = math.sqrt(HBAR2_2M0 / (barrier_mass * vb))
    # psi ~ exp(-d / decay): 10 decay lengths leave ~ e^-20 of the density.
    return max(2.0 * h, 10.0 * decay)


# ---------------------------------------------------------------------------
# Material parameters of a carrier
# ---------------------------------------------------------------------------


def _carrier_params(shape, carrier: str, barrier_mass: float):
    """Arrays (per label, medium last) of kappa = hbar^2/(2 m) (eV nm^2) and V (eV)."""
    T = shape.temperature
    kap, V = [], []
    for reg in shape.regions:
        mat = reg.material
        if carrier == "electron":
            m = float(mat.electron_mass)
            v = float(mat.conduction_band_edge(T))
        else:
            if getattr(mat, "hole_mass", None) is None:
                raise QdlabInputError(f"material {getattr(mat, 'name', mat)!r} has no hole_mass")
            # The same single-band hole mass as the spherical pipeline (exciton.py):
            # the 1S3/2 band-edge mass from the Luttinger parameters where known.
            m = float(band_edge_hole_mass(mat))
            v = -float(mat.valence_band_edge(T))
        kap.append(HBAR2_2M0 / m)
        V.append(v)
    barrier = shape.medium.electron_barrier_eV if carrier == "electron" \
        else shape.medium.hole_barrier_eV
    kap.append(HBAR2_2M0 / barrier_mass)
    V.append(V[-1] + barrier)  # above the outermost (last) region's edge
    return np.array(kap), np.array(V), math.isinf(barrier)


# ---------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------


def _cell_fractions(shape, pts_cells, h, ns):
    """Cumulative union fractions F_k (k = 0..K-1) of each cell by sub-sampling."""
    K = len(shape.regions)
    off = ((np.arange(ns) + 0.5) / ns - 0.5) * h
    ox, oy, oz = (a.ravel() for a in np.meshgrid(off, off, off, indexing="ij"))
    delta = h / ns
    M = pts_cells.shape[0]
    F = np.empty((K, M))
    chunk = max(1, 2_000_000 // ns ** 3)
    for s in range(0, M, chunk):
        c = pts_cells[s:s + chunk]
        x = c[:, 0:1] + ox
        y = c[:, 1:2] + oy
        z = c[:, 2:3] + oz
        u = None
        for k, reg in enumerate(shape.regions):
            phi = reg.sdf(x, y, z)
            u = phi if u is None else np.minimum(u, phi)
            F[k, s:s + chunk] = np.clip(0.5 - u / delta, 0.0, 1.0).mean(axis=1)
    return F


def _assemble(shape, coords, sym, h, kap, V, hard, subsamples):
    """Matrix pieces on the (reduced) grid.

    Returns the even-sector matrix (CSR, eV), the diagonal additions for odd
    parity on each symmetric plane, the active-node mask and region labels.
    """
    K = len(shape.regions)
    X, Y, Z = np.meshgrid(*coords, indexing="ij", sparse=True)
    dims = tuple(len(c) for c in coords)
    phi = np.empty((K,) + dims)
    for k, reg in enumerate(shape.regions):
        phi[k] = np.broadcast_to(reg.sdf(X, Y, Z), dims)
    label = np.full(dims, K, dtype=np.int16)
    for k in range(K - 1, -1, -1):
        label[phi[k] < 0] = k
    active = label < K if hard else np.ones(dims, dtype=bool)
    n = int(active.sum())
    if n == 0:
        raise QdlabInputError("resolution_nm is too coarse: no grid node lies inside the "
                              "nanocrystal")
    index = np.full(dims, -1, dtype=np.int64)
    index[active] = np.arange(n)
    kap_node = kap[label]

    # Band edge: node value, volume-averaged in cells cut by an interface.
    Vn = V[label].astype(float)
    near = (np.abs(phi) < h).any(axis=0) & active
    if near.any() and subsamples > 1:
        ii = np.nonzero(near)
        pts = np.stack([coords[0][ii[0]], coords[1][ii[1]], coords[2][ii[2]]], axis=1)
        F = _cell_fractions(shape, pts, h, subsamples)
        frac = np.diff(np.concatenate([np.zeros((1, F.shape[1])), F]), axis=0)  # (K, M)
        if hard:
            tot = F[-1]
            good = tot > 1e-12
            avg = (frac * V[:K, None]).sum(axis=0)
            Vn[ii] = np.where(good, avg / np.where(good, tot, 1.0), Vn[ii])
        else:
            Vn[ii] = (frac * V[:K, None]).sum(axis=0) + (1.0 - F[-1]) * V[K]
    diag = np.where(active, Vn, 0.0)
    rows, cols, vals = [], [], []
    inv_h2 = 1.0 / (h * h)
    phiU = phi.min(axis=0) if hard else None
    odd_diag = []
    for d in range(3):
        sl_p = [slice(None)] * 3
        sl_q = [slice(None)] * 3
        sl_p[d] = slice(0, dims[d] - 1)
        sl_q[d] = slice(1, dims[d])
        sl_p, sl_q = tuple(sl_p), tuple(sl_q)
        lp, lq = label[sl_p], label[sl_q]
        ap, aq = active[sl_p], active[sl_q]
        kp, kq = kap_node[sl_p], kap_node[sl_q]
        # Interior links: harmonic mean of kappa along the link.
        both = ap & aq
        c = np.where(lp == lq, kp, 0.0)
        diff = both & (lp != lq)
        if diff.any():
            a = np.minimum(lp, lq)[diff]
            pa = np.take_along_axis(phi[(slice(None),) + sl_p][:, diff], a[None, :].astype(np.int64), 0)[0]
            qa = np.take_along_axis(phi[(slice(None),) + sl_q][:, diff], a[None, :].astype(np.int64), 0)[0]
            t = np.clip(pa / (pa - qa), 0.0, 1.0)
            c[diff] = 1.0 / (t / kp[diff] + (1.0 - t) / kq[diff])
        c = np.where(both, c, 0.0) * inv_h2
        ip, iq = index[sl_p][both], index[sl_q][both]
        cv = c[both]
        rows += [ip, iq]
        cols += [iq, ip]
        vals += [-cv, -cv]
        dp = np.zeros(dims)
        dp[sl_p] += c
        dp[sl_q] += c
        diag += dp
        # Hard wall crossing a link: symmetric ghost-point rule (Gibou et al. 2002).
        if hard:
            fp, fq = phiU[sl_p], phiU[sl_q]
            wall_p = ap & ~aq
            wall_q = aq & ~ap
            tp = np.where(wall_p, fp / np.where(wall_p, fp - fq, 1.0), 1.0)
            tq = np.where(wall_q, fq / np.where(wall_q, fq - fp, 1.0), 1.0)
            add = np.zeros(dims)
            add[sl_p] += np.where(wall_p, kp / np.maximum(tp, THETA_MIN), 0.0) * inv_h2
            add[sl_q] += np.where(wall_q, kq / np.maximum(tq, THETA_MIN), 0.0) * inv_h2
            diag += add
        # Outer box faces: psi = 0 half a cell beyond the last node.
        last = [slice(None)] * 3
        last[d] = dims[d] - 1
        diag[tuple(last)] += 2.0 * kap_node[tuple(last)] * inv_h2
        first = [slice(None)] * 3
        first[d] = 0
        if sym[d]:
            od = np.zeros(dims)
            od[tuple(first)] = 2.0 * kap_node[tuple(first)] * inv_h2
            odd_diag.append(od[active])
        else:
            diag[tuple(first)] += 2.0 * kap_node[tuple(first)] * inv_h2
            odd_diag.append(None)
    rows.append(np.arange(n))
    cols.append(np.arange(n))
    vals.append(diag[active])
    A = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(n, n))
    A.sum_duplicates()
    A.sort_indices()
    return A, odd_diag, active, label


# ---------------------------------------------------------------------------
# Eigen-solver
# ---------------------------------------------------------------------------


class _BlockVCycle:
    """Symmetric smoothed-aggregation V-cycle applied to a block of vectors.

    The hierarchy comes from pyamg; the cycle itself is run here so that the
    restrictions, prolongations and residuals act on all columns at once
    (sparse matrix times dense block) and no residual norms are computed
    (pyamg's ``aspreconditioner`` computes two per call).  Smoothing is one
    symmetric Gauss-Seidel sweep (forward then backward) before and after the
    coarse correction, so the preconditioner is symmetric positive definite.

    Every block handed to a level is made Fortran-ordered: pyamg's compiled
    Gauss-Seidel reads its vector arguments as contiguous memory and ignores
    strides, so a column of a C-ordered block (what ``R @ block`` returns) was
    read as interleaved entries of all columns.  Until this was fixed the
    preconditioner was correct for one column and wrong on the coarse levels
    for a block (24 % difference), which is what made LOBPCG take 65-70
    iterations at 2.5e5 unknowns and miss the 150 s cap at 1e6 (now 3-4 on
    the finest grid after the nested start).

    One cycle per application (``cycles=1``): with the fixed cycle a second one
    changes no iteration count (CdSe/CdS benchmark (b): 367 vs 360 LOBPCG
    iterations over all sectors and grids) and costs 1.7x the CPU time.
    """

    def __init__(self, A, cycles: int = 1):
        import pyamg
        from pyamg import amg_core

        self._gs = amg_core.gauss_seidel
        self.cycles = int(cycles)
        ml = pyamg.smoothed_aggregation_solver(A, symmetry="hermitian", max_coarse=400,
                                               keep=False)
        self.A = [lev.A.tocsr() for lev in ml.levels]
        self.P = [lev.P.tocsr() for lev in ml.levels[:-1]]
        self.R = [lev.R.tocsr() for lev in ml.levels[:-1]]
        Ac = self.A[-1].toarray()
        self.coarse_inv = np.linalg.pinv(Ac, hermitian=True)

    def for_matrix(self, A):
        """The V-cycle of ``A`` on the same aggregates: Galerkin products ``R A P``.

        Used for the odd parity sectors, whose matrices differ from the even
        one by a diagonal term on the symmetry planes: the aggregation and the
        smoothed prolongations (the expensive part of the setup) are shared,
        the coarse matrices are recomputed.  Measured (octant sphere, 10 states,
        1.25e5 unknowns per sector, fine grid): 12-18 LOBPCG iterations per
        odd sector with the even sector's hierarchy, 6-10 with only the finest
        matrix replaced, 4-5 with this (as with a hierarchy built per sector,
        at a fraction of the setup cost).
        """
        import copy

        out = copy.copy(self)
        out.A = [A]
        for R, P in zip(self.R, self.P, strict=True):
            out.A.append((R @ out.A[-1] @ P).tocsr())
        out.coarse_inv = np.linalg.pinv(out.A[-1].toarray(), hermitian=True)
        return out

    def _smooth(self, A, X, B):
        # amg_core reads its array arguments as contiguous memory (it ignores
        # strides), so every column handed to it must be contiguous: X and B
        # are Fortran-ordered here.
        n = A.shape[0]
        order = ((0, n, 1), (n - 1, -1, -1))  # symmetric sweep: its own adjoint
        for j in range(X.shape[1]):
            x, b = X[:, j], B[:, j]
            assert x.flags.c_contiguous and b.flags.c_contiguous
            for start, stop, step in order:
                self._gs(A.indptr, A.indices, A.data, x, b, start, stop, step)

    def _cycle(self, lvl: int, B):
        if lvl == len(self.A) - 1:
            return self.coarse_inv @ B
        A = self.A[lvl]
        B = np.asfortranarray(B)
        X = np.zeros(B.shape, order="F")
        self._smooth(A, X, B)
        Xc = self._cycle(lvl + 1, self.R[lvl] @ (B - A @ X))
        X += self.P[lvl] @ Xc
        self._smooth(A, X, B)
        return X

    def __call__(self, B):
        B = np.asfortranarray(B)
        X = self._cycle(0, B)
        for _ in range(self.cycles - 1):
            X += self._cycle(0, np.asfortranarray(B - self.A[0] @ X))
        return X


def _orthonormalize(S, eps: float = 1e-10):
    """Orthonormal basis of the columns of S (SVQB: eigen-decomposition of the Gram matrix).

    Returns (Q, T) with ``Q = S @ T``; columns with relative norm below ``eps``
    (linearly dependent) are dropped.
    """
    from scipy.linalg import eigh

    G = S.T @ S
    d = np.sqrt(np.maximum(np.diag(G), 1e-300))
    G = G / np.outer(d, d)
    w, U = eigh(G)
    keep = w > eps * max(w[-1], 1e-300)
    T = (U[:, keep] / np.sqrt(w[keep])) / d[:, None]
    return S @ T, T


def _lobpcg(A, X, precond, k: int, tol: float, maxiter: int):
    """Lowest eigenpairs of the symmetric positive-definite A by LOBPCG [2]_.

    Block of ``m = X.shape[1]`` vectors; only the lowest ``k`` must reach the
    residual ``tol`` (the others are guard vectors that speed up the k-th and
    are not converged).  Converged columns are soft-locked (no new direction).
    Every iteration orthonormalises the trial directions ``[W, P]`` against X
    and among themselves (SVQB), so the Rayleigh-Ritz problem is a standard
    symmetric one and needs no restarts; each iteration costs
    one product of A with the orthonormalised directions and one
    preconditioner application per unconverged column.

    Returns (w, X, residual norms, iterations).
    """
    from scipy.linalg import eigh

    X, _ = _orthonormalize(np.asarray(X, dtype=float))
    AX = A @ X
    w, C = eigh(X.T @ AX)
    X, AX = X @ C, AX @ C
    m = X.shape[1]
    P = AP = None
    it = since_exact = 0
    while True:
        R = AX - X * w
        res = np.linalg.norm(R, axis=0)
        if (res[:k] <= tol).all() or it >= maxiter or since_exact >= 20:
            if since_exact == 0:
                break
            # Refresh A X exactly (the recurrences accumulate rounding) and recheck.
            AX = A @ X
            since_exact = 0
            continue
        it += 1
        since_exact += 1
        act = np.nonzero(res > tol)[0]
        W = precond(R[:, act])
        del R
        W /= np.linalg.norm(W, axis=0)
        S = W if P is None else np.hstack([W, P])
        del W, P, AP
        # Classical Gram-Schmidt against X twice, then SVQB among themselves.
        S -= X @ (X.T @ S)
        S -= X @ (X.T @ S)
        S, _ = _orthonormalize(S)
        # A S by a product (not by recurrences, which lose the small directions
        # to cancellation near convergence and make the residual stagnate).
        AS = A @ S
        XAS = X.T @ AS
        G = np.block([[np.diag(w), XAS], [XAS.T, S.T @ AS]])
        ev, C = eigh((G + G.T) / 2, subset_by_index=(0, m - 1))
        Cx, Cs = C[:m], C[m:]
        P, AP = S @ Cs, AS @ Cs
        del S, AS
        X = X @ Cx + P
        AX = AX @ Cx + AP
        w = ev
    nrm = np.linalg.norm(X, axis=0)
    X = X / nrm
    AX = AX / nrm
    w = np.einsum("ij,ij->j", X, AX)
    res = np.linalg.norm(AX - X * w, axis=0)
    order = np.argsort(w)
    return w[order], X[:, order], res[order], it


def _shifted(A):
    """``A - sigma I`` with sigma a Gershgorin lower bound of A's spectrum (eV)."""
    dg = A.diagonal()
    off = np.asarray(abs(A).sum(axis=1)).ravel() - np.abs(dg)
    sigma = float((dg - off).min()) - 1e-3
    return (A - sigma * sp.identity(A.shape[0], format="csr")).tocsr(), sigma


def _dense_lowest(A, k: int):
    from scipy.linalg import eigh

    w, X = eigh(A.toarray(), subset_by_index=(0, k - 1))
    res = np.linalg.norm(A @ X - X * w, axis=0)
    return w, X, res


def _lowest(A, k: int, tol: float, maxiter: int, rng, X0=None, precond=None, sigma=0.0):
    """Lowest k eigenpairs of the symmetric matrix A; returns (w, X, residuals, iterations).

    ``A`` is already shifted by ``-sigma`` (positive definite) unless small enough
    for dense LAPACK; ``X0`` (n, j) are start vectors (e.g. prolonged from a
    coarser grid), completed with random vectors.
    """
    n = A.shape[0]
    k = min(k, n)
    if n <= DENSE_LIMIT:
        w, X, res = _dense_lowest(A, k)
        return w + sigma, X, res, 0, X
    m = min(k + max(2, k // 3), n // 4)
    X = rng.standard_normal((n, m))
    if X0 is not None:
        j = min(m, X0.shape[1])
        X[:, :j] = X0[:, :j]
    if precond is None:
        precond = _BlockVCycle(A)
    w, X, res, it = _lobpcg(A, X, precond, k, tol, maxiter)
    return w[:k] + sigma, X[:, :k], res[:k], it, X


@dataclass
class _Level:
    """One grid solve (internal): geometry and the states of every parity sector."""

    h: float
    coords: list
    sym: tuple
    active: np.ndarray
    label: np.ndarray
    found: dict           # parity -> (energies, vectors on active nodes, residuals)
    n_unknowns: int
    iterations: dict      # parity -> LOBPCG iterations ("nested": those of the 2h start)
    blocks: dict          # parity -> the whole LOBPCG block (wanted + guard vectors)


def _prolong(src: _Level, p, dst_coords, dst_active) -> np.ndarray:
    """Trilinear interpolation of the sector-p vectors of ``src`` onto ``dst_active`` nodes.

    Mirror planes are honoured (a ghost layer holding ``parity * value`` below the
    first node of a symmetric axis); outside the source box the function is 0.
    """
    from scipy.ndimage import map_coordinates

    X = src.blocks[p]
    dims = src.active.shape
    idx = np.nonzero(dst_active)
    q = []
    pad = []
    for d in range(3):
        c = src.coords[d]
        shift = 1 if src.sym[d] else 0
        q.append((dst_coords[d][idx[d]] - c[0]) / src.h + shift)
        pad.append((shift, 0))
    q = np.array(q)
    out = np.empty((idx[0].size, X.shape[1]))
    for j in range(X.shape[1]):
        g = np.zeros(dims)
        g[src.active] = X[:, j]
        g = np.pad(g, pad)
        for d in range(3):
            if src.sym[d]:
                sl = [slice(None)] * 3
                sl[d] = 0
                sl2 = [slice(None)] * 3
                sl2[d] = 1
                g[tuple(sl)] = p[d] * g[tuple(sl2)]
        out[:, j] = map_coordinates(g, q, order=1, mode="constant", cval=0.0)
    return out


def _sectors(sym):
    sym_axes = [d for d in range(3) if sym[d]]
    out = []
    for bits in range(2 ** len(sym_axes)):
        par = [0, 0, 0]
        for j, d in enumerate(sym_axes):
            par[d] = -1 if (bits >> j) & 1 else 1
        out.append(tuple(par))
    return out


def _solve_level(shape, kap, V, hard, h, pad, use_symmetry, subsamples, n_states, tol,
                 maxiter, rng, guess: _Level | None = None, nested: bool = True) -> _Level:
    """Solve every parity sector on the grid of spacing h (nm)."""
    coords, sym = _axes(shape, h, pad, use_symmetry)
    n_sector = int(np.prod([len(c) for c in coords]))
    own_guess = False
    if guess is None and nested and n_sector > NESTED_MIN:
        # Nested iteration: solve on 2h first, prolong, then a few fine iterations.
        H = 2.0 * h
        padH = pad if not hard else max(pad, 2.0 * H)
        try:
            guess = _solve_level(shape, kap, V, hard, H, padH, use_symmetry, subsamples,
                                 n_states, max(tol, COARSE_TOL_EV), maxiter, rng)
        except (QdlabInputError, GridConvergenceError):
            guess = None  # the coarse grid cannot represent the shape: start at random
        own_guess = guess is not None
    A0, odd_diag, active, label = _assemble(shape, coords, sym, h, kap, V, hard, subsamples)
    n = A0.shape[0]
    sym_axes = [d for d in range(3) if sym[d]]
    s = len(sym_axes)
    sectors = _sectors(sym)
    if n_states == 1:
        # The ground state of a scalar elliptic operator is nodeless, hence even.
        sectors = sectors[:1]
    if n > DENSE_LIMIT:
        As0, sigma = _shifted(A0)
        del A0
        precond = _BlockVCycle(As0)  # aggregates shared by all sectors (see for_matrix)
    else:
        As0, sigma, precond = A0, 0.0, None
    k0 = min(n_states, math.ceil(n_states / 2 ** s) + 2)
    kk = {p: (n_states if s == 0 else k0) for p in sectors}
    if guess is not None and all(p in guess.found for p in sectors):
        # Each sector solves for the states it holds below the n_states-th level
        # of the coarser grid, plus one above that level (which certifies that
        # none is missed: the loop below still grows a sector whose highest state
        # falls under the n_states-th level of this grid).  The fixed k0 of the
        # first grid converges up to 4 states per sector, most of them far above
        # the wanted levels (slow: small relative gaps).
        ek_c = _merge(guess, n_states)[-1][0]
        for p in sectors:
            below = int((guess.found[p][0] <= ek_c).sum())
            kk[p] = min(n_states, n, below + 1)
    found, iters, blocks = {}, {}, {}
    if own_guess:
        iters["nested"] = int(sum(guess.iterations.values()))  # counted in the total
    while True:
        for p in sectors:
            if p in found and found[p][0].size >= kk[p]:
                continue
            extra = np.zeros(n)
            for d in sym_axes:
                if p[d] == -1:
                    extra += odd_diag[d]
            A = (As0 + sp.diags(extra)).tocsr() if extra.any() else As0
            X0 = None
            if p in found:
                X0 = blocks[p]
            elif guess is not None and p in guess.found:
                X0 = _prolong(guess, p, coords, active)
            pc = precond if precond is None or A is As0 else precond.for_matrix(A)
            w, X, res, it, blocks[p] = _lowest(A, min(kk[p], n), tol, maxiter, rng, X0,
                                               pc, sigma)
            del pc
            del A
            if (res > tol).any():
                raise GridConvergenceError(
                    f"grid eigensolver did not converge: residual {res.max():.3g} eV > tol_eV ="
                    f" {tol:g} after {maxiter} iterations ({n:,} unknowns); raise maxiter "
                    "or tol_eV, or change resolution_nm")
            found[p] = (w, X, res)
            iters[p] = iters.get(p, 0) + it
        allw = np.sort(np.concatenate([found[p][0] for p in sectors]))
        ek = allw[min(n_states, allw.size) - 1]
        grow = [p for p in sectors if found[p][0].size < min(n, n_states)
                and found[p][0][-1] < ek + 1e-12 * max(1.0, abs(ek))]
        if not grow:
            break
        for p in grow:
            kk[p] = min(n_states, kk[p] + 2, n)
    return _Level(h, coords, sym, active, label, found, n, iters, blocks)


def _merge(level: _Level, n_states: int):
    """The lowest n_states over all sectors: list of (energy, parity, index)."""
    items = [(level.found[p][0][i], p, i) for p in level.found
             for i in range(level.found[p][0].size)]
    items.sort(key=lambda t: t[0])
    return items[:n_states]


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
               nested: bool = True) -> GridStates:
    r"""Lowest states of an electron or hole in any nanocrystal on a 3D grid.

    Parameters
    ----------
    structure : Sphere, CoreShell or shape from :mod:`qdlab.structures.shapes`
        Materials need ``electron_mass`` (m0), a hole mass (m0; the same
        band-edge hole mass as the spherical solver,
        :func:`qdlab.electronic.holes.band_edge_hole_mass`) and
        ``conduction_band_edge(T)`` / ``valence_band_edge(T)`` (eV).
    carrier : {"electron", "hole"}
    n_states : int
        Number of lowest states to return (1..200).
    resolution_nm : float, optional
        Grid spacing h in nm; default ``min(0.15, min_feature_nm / 16)``.
    barrier_mass : float
        Effective mass (m0) of the carrier in the medium, default 1 (the free
        electron mass, as in :mod:`qdlab.electronic.exciton`).
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

    Returns
    -------
    GridStates

    Raises
    ------
    GridMemoryError
        The grid would need more than ``max_memory_GB``; the message gives the need.
    GridConvergenceError
        A residual stayed above ``tol_eV`` (the message gives the value reached).

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
    coords, sym = _axes(shape, h, pad, use_symmetry)
    n_sector = int(np.prod([len(c) for c in coords]))
    s = sum(sym)
    n_sectors = 2 ** s
    k0 = min(n_states, math.ceil(n_states / n_sectors) + 2)
    block = n_states + max(2, n_states // 3) if s == 0 else k0 + max(2, k0 // 3)
    need = estimate_memory_GB(n_sector, block, len(shape.regions), n_sector * n_sectors,
                              n_states)
    if need > max_memory_GB:
        raise GridMemoryError(
            f"a grid of {n_sector * n_sectors:,} nodes (h = {h:g} nm, {n_sector:,} unknowns per "
            f"symmetry sector) needs about {need:.1f} GB, more than max_memory_GB = "
            f"{max_memory_GB:g}; use a larger resolution_nm or raise max_memory_GB")
    kap, V, hard = _carrier_params(shape, carrier, float(barrier_mass))
    rng = np.random.default_rng(seed)
    args = (shape, kap, V, hard)
    opts = dict(use_symmetry=use_symmetry, subsamples=int(subsamples), n_states=n_states,
                tol=float(tol_eV), maxiter=int(maxiter), rng=rng, nested=nested)
    # one BLAS thread for every solve: the dense work is thin n x block products (and
    # small dense eigenproblems), where two OpenBLAS threads on a loaded 2-core machine
    # wait on each other (a 3 nm dimer at h = 0.3 nm: 9.5 s with two, 0.5 s with one)
    with _single_thread_blas():
        if not richardson:
            return _states(_solve_level(*args, h, pad, **opts), carrier, n_states, structure)
        H = 1.25 * h
        coarse = _solve_level(*args, H, pad, **opts)
        fine = _solve_level(*args, h, pad, guess=coarse if nested else None, **opts)
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


# ---------------------------------------------------------------------------
# Electron-hole pair
# ---------------------------------------------------------------------------


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
