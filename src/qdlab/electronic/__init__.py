"""Electronic states: analytic models, the exact radial solver, Coulomb terms.

Every solver can be called directly; :func:`solve` picks the right one for a
structure.
"""

# ``solve`` is imported here (light: no scipy) so that the name is the function, not the
# submodule of the same name.  The other names resolve on first use (PEP 562), so that
# importing the package (or the command line) does not import every solver and scipy.
from qdlab.electronic.solve import solve

_LAZY = {
    "ExcitonStates": "qdlab.electronic.exciton",
    "Level": "qdlab.electronic.exciton",
    "RadialSolution": "qdlab.electronic.radial",
    "alignment_from_levels": "qdlab.electronic.alignment",
    "band_edge_hole_mass": "qdlab.electronic.holes",
    "band_offsets": "qdlab.electronic.alignment",
    "bohr_radii_nm": "qdlab.electronic.analytic",
    "brus_energy": "qdlab.electronic.analytic",
    "confinement_regime": "qdlab.electronic.analytic",
    "exciton_coulomb_terms": "qdlab.electronic.coulomb",
    "finite_well_energies": "qdlab.electronic.analytic",
    "first_exciton_batch": "qdlab.electronic.exciton",
    "infinite_well_energy": "qdlab.electronic.analytic",
    "pair_energy_batch": "qdlab.electronic.exciton",
    "solve_radial": "qdlab.electronic.radial",
    "solve_sphere": "qdlab.electronic.exciton",
    "spherical_bessel_zeros": "qdlab.electronic.analytic",
    "weak_confinement_energy": "qdlab.electronic.analytic",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'qdlab.electronic' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
