"""Anisotropic and coupled nanocrystals: platelets, polarisation, fine structure, dimers.

Modules
-------
platelets
    Nanoplatelets: thickness conventions, :func:`platelet_band_edge`, validation.
slab
    1D confinement in a slab: finite well, Rytova-Keldysh exciton, slab image energy.
well_bands
    Band dispersions along [001] (three-band Kane electron, heavy hole, light hole mixed
    with the split-off band) and the well ground state for any dispersion.
well_subbands
    In-plane subband dispersions: 6x6 Luttinger-Kohn hole subbands of the well, Kane
    electron subband (the platelet exciton's kinetic energy), spinor overlaps of HH1/LH1.
well_exciton
    The exciton of mixed subbands: Bloch-spinor overlaps of hole and Kane electron in the
    Coulomb matrix elements, solved by angular-momentum channels.
polarisation
    Shape and valence-band anisotropy of absorption/emission: :func:`polarisation_anisotropy`.
fine_structure
    Band-edge exciton fine structure (exchange, crystal field): :func:`exciton_fine_structure`.
dimers
    Bonding/antibonding splitting of two coupled nanocrystals: :func:`dimer_splitting`.
"""

from qdlab.electronic.anisotropy.dimers import (
    CarrierSplitting,
    DimerResult,
    default_splitting_resolution_nm,
    dimer_splitting,
    tunnelling_decay_constant,
)
from qdlab.electronic.anisotropy.fine_structure import (
    EXCHANGE_CONSTANTS,
    contact_density,
    dipole_amplitudes,
    efros_levels,
    exchange_eta,
    exchange_operator,
    exciton_fine_structure,
    hole_hamiltonian,
)
from qdlab.electronic.anisotropy.platelets import (
    THICKNESS_CONVENTIONS,
    PlateletExciton,
    PlateletReference,
    cdse_platelet_reference,
    heavy_hole_masses,
    platelet_band_edge,
    platelet_thickness,
    platelet_validation_table,
    validate_cdse_platelets,
)
from qdlab.electronic.anisotropy.polarisation import (
    CRYSTAL_FIELD_EV,
    crystal_field_of,
    depolarisation_factors,
    envelope_kinetic_integrals,
    hole_mixing,
    local_field_factors,
    luttinger_of,
    polarisation_anisotropy,
    required_light_hole_shift,
    transition_dipoles,
    validate_dot_in_rods,
)
from qdlab.electronic.anisotropy.slab import (
    finite_well_ground_state_eV,
    keldysh_binding_energy_eV,
    rytova_keldysh_potential_eV,
    screening_length_nm,
    slab_self_energy_eV,
)

__all__ = [
    "CRYSTAL_FIELD_EV",
    "EXCHANGE_CONSTANTS",
    "THICKNESS_CONVENTIONS",
    "CarrierSplitting",
    "DimerResult",
    "PlateletExciton",
    "PlateletReference",
    "cdse_platelet_reference",
    "contact_density",
    "crystal_field_of",
    "default_splitting_resolution_nm",
    "depolarisation_factors",
    "dimer_splitting",
    "dipole_amplitudes",
    "efros_levels",
    "envelope_kinetic_integrals",
    "exchange_eta",
    "exchange_operator",
    "exciton_fine_structure",
    "finite_well_ground_state_eV",
    "heavy_hole_masses",
    "hole_hamiltonian",
    "hole_mixing",
    "keldysh_binding_energy_eV",
    "local_field_factors",
    "luttinger_of",
    "platelet_band_edge",
    "platelet_thickness",
    "polarisation_anisotropy",
    "required_light_hole_shift",
    "rytova_keldysh_potential_eV",
    "screening_length_nm",
    "slab_self_energy_eV",
    "transition_dipoles",
    "tunnelling_decay_constant",
    "platelet_validation_table",
    "validate_cdse_platelets",
    "validate_dot_in_rods",
]
