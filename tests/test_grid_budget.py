"""Issue 10 (electronic side): every grid shape is budgeted before anything is allocated,
and sub-nanometre shapes get a resolution floor instead of an ever finer default grid."""

from __future__ import annotations

import warnings

import pytest

from qdlab.electronic.grid import (
    GridMemoryError,
    default_resolution_nm,
    grid_unknowns,
    solve_grid,
)
from qdlab.electronic.grid.budget import MIN_DEFAULT_RESOLUTION_NM
from qdlab.electronic.report import largest_report_grid, levels_report
from qdlab.errors import QdlabInputError
from qdlab.structures import Sphere
from qdlab.structures.shapes import Cube, Dimer, Rod, Tetrapod


def _tiny_dimer():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = Sphere("CdSe", 1e-12)
        return Dimer(s, s)


@pytest.mark.parametrize("make", [
    _tiny_dimer,
    lambda: Rod("CdSe", 6.0, 3.0),
    lambda: Cube("CdSe", 4.0),
    lambda: Tetrapod("CdSe", 3.0, 4.0, 2.0),
])
def test_every_shape_is_refused_by_the_budget_before_allocating(make):
    # an absurdly fine grid (1e30+ nodes): a clear input error naming the size and the
    # budget, not a numpy MemoryError from allocating the axes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shape = make()
    with pytest.raises(GridMemoryError, match=r"nodes .* max_memory_GB = 8") as info:
        solve_grid(shape, "electron", 1, resolution_nm=1e-9)
    assert isinstance(info.value, QdlabInputError)


def test_unknown_count_of_a_huge_grid_is_computed_without_allocating():
    n = grid_unknowns(_tiny_dimer(), 1e-12)
    assert n > 10**30


def test_tiny_dimer_report_is_an_input_error_not_a_memory_error():
    dimer = _tiny_dimer()
    n, h = largest_report_grid(dimer)        # the splitting grid: min_feature / 6
    assert n > 10**30 and h < 1e-12
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(GridMemoryError, match="max_memory_GB"):
            levels_report(dimer)


def test_default_resolution_has_a_floor_for_subnanometre_shapes():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        thin = Rod("InP", 6.0, 0.5)
    assert default_resolution_nm(thin) == MIN_DEFAULT_RESOLUTION_NM
    assert grid_unknowns(thin) < 40_000          # was 204,800 per parity sector at h = d/16
    # shapes of a nanometre and more keep 16 cells across their smallest feature
    assert default_resolution_nm(Rod("InP", 6.0, 1.6)) == pytest.approx(0.1)
    assert default_resolution_nm(Sphere("CdSe", 4.0)) == pytest.approx(0.125)
    # a dimer's gap (a medium feature) is resolved as before the floor
    pair = Dimer(Sphere("CdSe", 3.0), Sphere("CdSe", 3.0), gap_nm=0.5)
    assert default_resolution_nm(pair) == pytest.approx(0.5 / 16)
