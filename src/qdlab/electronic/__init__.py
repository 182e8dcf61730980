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

Every name but :func:`solve` loads on first use (PEP 562), so that importing the package
does not import scipy or pyamg.  The old module paths
(``qdlab.electronic.coulomb``, ``.radial``, ``.exciton``, ``.holes``,
``.alignment``, ``.platelets``, ``.polarisation``, ``.dimers``,
``.grid_coulomb``, ``.shape_states``) still import the moved modules.
"""

import importlib as _importlib

from qdlab.electronic import _moved
from qdlab.electronic.solve import solve

_moved.install()

#: Names loaded on first access (PEP 562), and the module each comes from: importing the
#: package (or starting the command line) does not import every solver, scipy or pyamg.
_LAZY = {
    "bohr_radii_nm": "qdlab.electronic.analytic",
    "brus_energy": "qdlab.electronic.analytic",
    "confinement_regime": "qdlab.electronic.analytic",
    "finite_well_energies": "qdlab.electronic.analytic",
    "infinite_well_energy": "qdlab.electronic.analytic",
    "spherical_bessel_zeros": "qdlab.electronic.analytic",
    "weak_confinement_energy": "qdlab.electronic.analytic",
    "ExcitonStates": "qdlab.electronic.sphere",
    "Level": "qdlab.electronic.sphere",
    "RadialSolution": "qdlab.electronic.sphere",
    "alignment_from_levels": "qdlab.electronic.sphere",
    "band_edge_hole_mass": "qdlab.electronic.sphere",
    "band_offsets": "qdlab.electronic.sphere",
    "exciton_coulomb_terms": "qdlab.electronic.sphere",
    "first_exciton_batch": "qdlab.electronic.sphere",
    "pair_energy_batch": "qdlab.electronic.sphere",
    "solve_radial": "qdlab.electronic.sphere",
    "solve_sphere": "qdlab.electronic.sphere",
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


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(_importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'qdlab.electronic' has no attribute {name!r}")


def __dir__() -> list[str]:
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
