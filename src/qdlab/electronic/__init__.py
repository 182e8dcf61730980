"""Electronic states: analytic models, the exact radial solver, 3D grids, excitons.

Every solver can be called directly; :func:`solve` picks the right one for a
structure.

Package map
-----------
analytic
    Closed forms: particle in a sphere, finite well, Brus, weak confinement.
sphere/
    Layered spheres: exact radial solver, excitons (batch), Coulomb and image
    terms, band-edge hole mass, band alignment.
grid/
    3D grid solver for any shape: budget, operator, eigensolver, Poisson and
    Coulomb terms, :func:`solve_shape`.
anisotropy/
    Platelets (slab models), polarisation, exciton fine structure, dimers.
kp/
    Reserved for multiband k.p models.
solve
    :func:`solve`, the one router from a structure to its solver.
report
    :func:`levels_report`, the JSON-ready summary used by the CLI and web API.

The sphere names are imported eagerly; the grid and anisotropy names (scipy.sparse,
pyamg) load on first use (PEP 562).  The old module paths
(``qdlab.electronic.coulomb``, ``.radial``, ``.exciton``, ``.holes``,
``.alignment``, ``.platelets``, ``.polarisation``, ``.dimers``,
``.grid_coulomb``, ``.shape_states``) still import the moved modules.
"""

import importlib as _importlib

from qdlab.electronic import _moved
from qdlab.electronic.analytic import (
    bohr_radii_nm,
    brus_energy,
    confinement_regime,
    finite_well_energies,
    infinite_well_energy,
    spherical_bessel_zeros,
    weak_confinement_energy,
)
from qdlab.electronic.solve import solve
from qdlab.electronic.sphere import (
    ExcitonStates,
    Level,
    RadialSolution,
    alignment_from_levels,
    band_edge_hole_mass,
    band_offsets,
    exciton_coulomb_terms,
    first_exciton_batch,
    pair_energy_batch,
    solve_radial,
    solve_sphere,
)

_moved.install()

#: Names loaded on first access, and the module each comes from.
_LAZY = {
    "GridStates": "qdlab.electronic.grid",
    "ShapeStates": "qdlab.electronic.grid",
    "solve_grid": "qdlab.electronic.grid",
    "solve_shape": "qdlab.electronic.grid",
    "coulomb_terms_grid": "qdlab.electronic.grid",
    "grid_unknowns": "qdlab.electronic.grid",
    "dimer_splitting": "qdlab.electronic.anisotropy",
    "exciton_fine_structure": "qdlab.electronic.anisotropy",
    "platelet_band_edge": "qdlab.electronic.anisotropy",
    "polarisation_anisotropy": "qdlab.electronic.anisotropy",
    "levels_report": "qdlab.electronic.report",
}


def __getattr__(name):
    if name in _LAZY:
        value = getattr(_importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "ExcitonStates",
    "GridStates",
    "Level",
    "RadialSolution",
    "ShapeStates",
    "alignment_from_levels",
    "band_edge_hole_mass",
    "band_offsets",
    "bohr_radii_nm",
    "brus_energy",
    "confinement_regime",
    "coulomb_terms_grid",
    "dimer_splitting",
    "exciton_coulomb_terms",
    "exciton_fine_structure",
    "finite_well_energies",
    "first_exciton_batch",
    "grid_unknowns",
    "infinite_well_energy",
    "levels_report",
    "pair_energy_batch",
    "platelet_band_edge",
    "polarisation_anisotropy",
    "solve",
    "solve_grid",
    "solve_radial",
    "solve_shape",
    "solve_sphere",
    "spherical_bessel_zeros",
    "weak_confinement_energy",
]
