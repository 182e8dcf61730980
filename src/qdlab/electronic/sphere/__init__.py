"""Layered spheres (cores, core/shells, core/shell/shells): exact radial solver and excitons.

Modules
-------
radial
    :func:`solve_radial`: exact radial Schroedinger/BenDaniel-Duke solver,
    vectorised over many structures (``shooting``: its transfer and root finding).
profiles
    Band edges, masses and permittivities of every layer; level labels.
exciton
    :func:`solve_sphere`: levels and first exciton of one structure.
exciton_batch
    :func:`first_exciton_batch`, :func:`pair_energy_batch`: many structures at once.
exciton_energy
    First-order exciton energy from the ground states on the radial grid.
coulomb
    Electron-hole Coulomb energy in layered dielectrics, :func:`exciton_coulomb_terms`.
self_polarisation
    Image (self-polarisation) potential of a carrier in layered dielectrics.
holes
    Band-edge hole mass from the Luttinger parameters (Baldereschi-Lipari).
alignment
    Band offsets and type I / quasi-type II / type II classification.
"""

from qdlab.electronic.sphere.alignment import (
    BandOffsets,
    alignment_from_levels,
    band_offsets,
    carrier_region,
    classify_offsets,
)
from qdlab.electronic.sphere.coulomb import (
    DEFAULT_INTERFACE_WIDTH_NM,
    CoulombTerms,
    coulomb_energy,
    dielectric_profile,
    exciton_coulomb_terms,
    overlap_integral,
)
from qdlab.electronic.sphere.exciton import (
    ExcitonStates,
    Level,
    first_exciton_batch,
    pair_energy_batch,
    solve_sphere,
)
from qdlab.electronic.sphere.holes import (
    band_edge_hole_mass,
    ground_state_hole_mass,
    has_mirror_bands,
    luttinger_phi,
    spherical_hole_masses,
)
from qdlab.electronic.sphere.profiles import (
    MEDIUM_MASS,
    band_profiles,
    layer_permittivities,
    orbital_letter,
)
from qdlab.electronic.sphere.radial import KANE_MIN_FACTOR, RadialSolution, solve_radial
from qdlab.electronic.sphere.self_polarisation import (
    self_polarisation_energy,
    self_polarisation_potential,
)

__all__ = [
    "DEFAULT_INTERFACE_WIDTH_NM",
    "KANE_MIN_FACTOR",
    "MEDIUM_MASS",
    "BandOffsets",
    "CoulombTerms",
    "ExcitonStates",
    "Level",
    "RadialSolution",
    "alignment_from_levels",
    "band_edge_hole_mass",
    "band_offsets",
    "band_profiles",
    "carrier_region",
    "classify_offsets",
    "coulomb_energy",
    "dielectric_profile",
    "exciton_coulomb_terms",
    "first_exciton_batch",
    "ground_state_hole_mass",
    "has_mirror_bands",
    "layer_permittivities",
    "luttinger_phi",
    "orbital_letter",
    "overlap_integral",
    "pair_energy_batch",
    "self_polarisation_energy",
    "self_polarisation_potential",
    "solve_radial",
    "solve_sphere",
    "spherical_hole_masses",
]
