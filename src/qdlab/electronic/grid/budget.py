"""Grid budget: default spacing, unknown count and peak memory of a 3D grid solve.

Every grid solve (spheres, rods, platelets, cubes, tetrapods, dimers, custom
shapes) is sized here before anything is allocated.
"""

from __future__ import annotations

import math

from qdlab.electronic.grid.operator import _axis_counts, _padding
from qdlab.electronic.sphere.profiles import MEDIUM_MASS
from qdlab.errors import QdlabInputError, check_positive

#: Finest default grid spacing, nm: that of a 1 nm feature (the effective-mass limit).
MIN_DEFAULT_RESOLUTION_NM = 1.0 / 16


def default_resolution_nm(structure) -> float:
    """Default grid spacing of :func:`solve_grid` for ``structure``, nm.

    ``min(0.15, max(min_feature_nm / 16, MIN_DEFAULT_RESOLUTION_NM))``: 16 cells
    across the smallest feature (a thin shell, a rod's diameter, a dimer's gap),
    never coarser than 0.15 nm and, for the crystal's own features (not a dimer's
    gap), never finer than :data:`MIN_DEFAULT_RESOLUTION_NM` (0.0625 nm, the
    spacing of a 1 nm feature).

    Notes
    -----
    The floor bounds the cost of sub-nanometre shapes, which are outside the
    validity of effective-mass theory anyway (:data:`~qdlab.structures.spheres.MIN_EMA_DIAMETER_NM`,
    warned when the shape is built): an InP rod of 0.5 nm x 6 nm got
    h = 0.031 nm, 2.0e5 unknowns per parity sector and ~250 LOBPCG iterations per
    solve (85 s for ``qdlab levels``); at the floor it has 2.6e4 unknowns per sector.
    An explicit ``resolution_nm`` is used as given (and budgeted by
    :func:`check_grid_budget`).

    Examples
    --------
    >>> from qdlab.structures import Sphere
    >>> default_resolution_nm(Sphere("CdSe", 6.0))      # radius 3 nm / 16 > 0.15
    0.15
    >>> default_resolution_nm(Sphere("CdSe", 4.0))      # radius 2 nm / 16
    0.125
    """
    from qdlab.structures.shapes import as_shape

    shape = as_shape(structure)
    gap = float(getattr(shape, "gap_nm", 0.0) or 0.0)
    if gap > 0:
        # a dimer's gap is a feature of the medium, not of a crystal: resolved as before
        crystal = min(as_shape(shape.a).min_feature_nm, as_shape(shape.b).min_feature_nm)
        neck = getattr(shape, "neck_diameter_nm", None)
        if neck is not None:
            crystal = min(crystal, float(neck))
        return min(0.15, max(crystal / 16, MIN_DEFAULT_RESOLUTION_NM), gap / 16)
    return min(0.15, max(shape.min_feature_nm / 16, MIN_DEFAULT_RESOLUTION_NM))


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
    counts, _ = _axis_counts(shape, h, _padding(shape, h, float(barrier_mass)), use_symmetry)
    return math.prod(counts)


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


class GridMemoryError(QdlabInputError):
    """The requested grid would need more memory than allowed."""


def check_grid_budget(shape, h: float, pad: float, use_symmetry: bool, n_states: int,
                      max_memory_GB: float) -> None:
    """Refuse a grid solve whose estimated peak memory exceeds ``max_memory_GB``.

    Parameters
    ----------
    shape : Shape
        The shape to solve (:func:`qdlab.structures.shapes.as_shape`).
    h : float
        Grid spacing, nm.
    pad : float
        Medium padding around the bounding box, nm.
    use_symmetry : bool
        Whether mirror symmetries reduce the grid to parity sectors.
    n_states : int
        States wanted.
    max_memory_GB : float
        Budget, GB.

    Raises
    ------
    GridMemoryError
        The estimate (:func:`estimate_memory_GB`) exceeds the budget; the message
        names the grid size, the need and the budget.
    """
    counts, sym = _axis_counts(shape, h, pad, use_symmetry)     # nothing allocated yet
    n_sector = math.prod(counts)
    s = sum(sym)
    n_sectors = 2 ** s
    k0 = min(n_states, math.ceil(n_states / n_sectors) + 2)
    block = n_states + max(2, n_states // 3) if s == 0 else k0 + max(2, k0 // 3)
    need = estimate_memory_GB(n_sector, block, len(shape.regions), n_sector * n_sectors,
                              n_states)
    if need > max_memory_GB:
        raise GridMemoryError(
            f"a grid of {_count(n_sector * n_sectors)} nodes (h = {h:g} nm, {_count(n_sector)} "
            f"unknowns per symmetry sector) needs about {_count(need, '.1f')} GB, more than "
            f"max_memory_GB = {max_memory_GB:g}; use a larger resolution_nm or raise "
            "max_memory_GB")


def _count(n, fmt: str = ","):
    """``n`` with thousands separators, or as ``1.23e+40`` when it is absurdly large."""
    return f"{n:.3g}" if n >= 1e12 else format(n, fmt)
