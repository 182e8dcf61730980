"""3D grid solver for any nanocrystal shape (rods, platelets, cubes, tetrapods, dimers).

Modules
-------
budget
    Default spacing, unknown count and peak-memory estimate of a grid solve.
operator
    Finite-volume BenDaniel-Duke operator: grid layout, carrier parameters, assembly.
eigensolver
    LOBPCG with a smoothed-aggregation V-cycle preconditioner.
solver
    :func:`solve_grid`: the states of one carrier, Richardson extrapolation.
symmetry
    Mirror-symmetry parity sectors and the nested-grid start of each sector.
nonparabolic
    Kane energy-dependent mass, made self-consistent per state.
pair
    Direct electron-hole Coulomb energy in a uniform dielectric, lowest exciton.
poisson
    Poisson equation with a position-dependent permittivity.
coulomb
    Coulomb and image (self-polarisation) terms of grid states (direct term by Poisson).
poisson_grid
    The coarse Poisson grid around the carriers and its transfers to the state grid.
self_polarisation
    Self-image potential of a carrier for any shape (surface model + point sources).
layered_sphere_coulomb
    The radial solver's Coulomb and image model of layered spheres on grid densities.
shape_states
    :func:`solve_shape`: electron, hole and exciton of any shape in one call.

``qdlab.electronic.grid`` was one module before; every public name it had is
exported here.
"""

from qdlab.electronic.grid.budget import (
    GridMemoryError,
    check_grid_budget,
    default_resolution_nm,
    estimate_memory_GB,
    grid_unknowns,
)
from qdlab.electronic.grid.coulomb import (
    GridCoulombTerms,
    coulomb_terms_grid,
    layered_sphere_terms_grid,
)
from qdlab.electronic.grid.eigensolver import (
    DENSE_LIMIT,
    GridConvergenceError,
    single_thread_blas,
)
from qdlab.electronic.grid.operator import THETA_MIN
from qdlab.electronic.grid.pair import CUBE_INV_R, coulomb_energy_eV, lowest_exciton_eV
from qdlab.electronic.grid.poisson import dielectric_on_grid, poisson_potential
from qdlab.electronic.grid.shape_states import ShapeStates, solve_shape
from qdlab.electronic.grid.solver import (
    COARSE_TOL_EV,
    NESTED_MIN,
    GridStates,
    solve_grid,
)

#: Deprecated private alias of :func:`single_thread_blas` (old import path).
_single_thread_blas = single_thread_blas

__all__ = [
    "COARSE_TOL_EV",
    "CUBE_INV_R",
    "DENSE_LIMIT",
    "NESTED_MIN",
    "THETA_MIN",
    "GridConvergenceError",
    "GridCoulombTerms",
    "GridMemoryError",
    "GridStates",
    "ShapeStates",
    "check_grid_budget",
    "coulomb_energy_eV",
    "coulomb_terms_grid",
    "default_resolution_nm",
    "dielectric_on_grid",
    "estimate_memory_GB",
    "grid_unknowns",
    "layered_sphere_terms_grid",
    "lowest_exciton_eV",
    "poisson_potential",
    "single_thread_blas",
    "solve_grid",
    "solve_shape",
]
