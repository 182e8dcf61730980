"""Electronic states: analytic models, the exact radial solver, Coulomb terms.

Every solver can be called directly; :func:`solve` picks the right one for a
structure.
"""

from qdlab.electronic.alignment import alignment_from_levels, band_offsets
from qdlab.electronic.analytic import (
    bohr_radii_nm,
    brus_energy,
    confinement_regime,
    finite_well_energies,
    infinite_well_energy,
    spherical_bessel_zeros,
    weak_confinement_energy,
)
from qdlab.electronic.coulomb import exciton_coulomb_terms
from qdlab.electronic.exciton import (
    ExcitonStates,
    Level,
    first_exciton_batch,
    pair_energy_batch,
    solve_sphere,
)
from qdlab.electronic.holes import band_edge_hole_mass
from qdlab.electronic.radial import RadialSolution, solve_radial
from qdlab.electronic.solve import solve

__all__ = [
    "ExcitonStates",
    "Level",
    "RadialSolution",
    "alignment_from_levels",
    "band_edge_hole_mass",
    "band_offsets",
    "bohr_radii_nm",
    "brus_energy",
    "confinement_regime",
    "exciton_coulomb_terms",
    "finite_well_energies",
    "first_exciton_batch",
    "infinite_well_energy",
    "pair_energy_batch",
    "solve",
    "solve_radial",
    "solve_sphere",
    "spherical_bessel_zeros",
    "weak_confinement_energy",
]
