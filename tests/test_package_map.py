"""The physics package map: old import paths keep working, imports stay light."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from qdlab.electronic._moved import MOVED_MODULES


@pytest.mark.parametrize("old,new", sorted(MOVED_MODULES.items()))
def test_old_module_path_is_the_moved_module(old, new):
    assert importlib.import_module(old) is importlib.import_module(new)


def test_old_from_imports_of_public_and_private_names():
    from qdlab.electronic.coulomb import self_polarisation_potential  # noqa: F401
    from qdlab.electronic.exciton import _profiles, band_profiles
    from qdlab.electronic.polarisation import efros_levels, exciton_fine_structure  # noqa: F401

    from qdlab.electronic.grid import (  # noqa: F401
        GridConvergenceError,
        GridMemoryError,
        _single_thread_blas,
        coulomb_energy_eV,
        default_resolution_nm,
        estimate_memory_GB,
        grid_unknowns,
        lowest_exciton_eV,
        solve_grid,
    )
    from qdlab.structures.shapes import (  # noqa: F401
        Cube,
        Dimer,
        DotInRod,
        Platelet,
        Rod,
        SDFShape,
        Tetrapod,
        VoxelShape,
        as_shape,
    )
    from qdlab.structures.spheres import _resolve, resolve_material

    assert _profiles is band_profiles and _resolve is resolve_material


def test_validation_alias_is_errors():
    import qdlab._validation as old
    import qdlab.errors as new

    assert old.QdlabInputError is new.QdlabInputError
    assert old.check_positive is new.check_positive


def test_flat_public_apis():
    import qdlab.electronic as el
    import qdlab.structures as st

    for name in ("solve", "first_exciton_batch", "solve_sphere", "solve_grid", "solve_shape",
                 "polarisation_anisotropy", "platelet_band_edge", "dimer_splitting"):
        assert callable(getattr(el, name)), name
    for name in ("Rod", "Platelet", "Cube", "Tetrapod", "DotInRod", "Dimer", "Sphere",
                 "CoreShell"):
        assert hasattr(st, name), name


def test_package_import_does_not_load_the_grid_stack():
    # (scipy.sparse is loaded by scipy.optimize, as before the split)
    code = ("import sys, qdlab, qdlab.electronic, qdlab.structures; "
            "print(sorted(m for m in ('pyamg', 'matplotlib', 'qdlab.electronic.grid', "
            "'qdlab.electronic.anisotropy', 'qdlab.structures.shapes') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_optics_flat_api_is_lazy():
    code = ("import sys, qdlab.optics as o; "
            "print(sorted(m for m in ('qdlab.optics.ensemble', 'qdlab.electronic', "
            "'scipy.interpolate') if m in sys.modules)); "
            "print(all(getattr(o, n) is not None for n in o.__all__))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["[]", "True"]
    import qdlab.optics as o
    from qdlab.optics.ensemble import (  # noqa: F401  (moved names still importable here)
        HomogeneousWidth,
        TransitionTable,
        molar_extinction_from_cross_section,
        warn_size_validity,
    )

    for name in ("Ensemble", "SizeDistribution", "emission_colour", "transitions_batch",
                 "STOKES_METHODS", "first_exciton_peak"):
        assert name in o.__all__ and getattr(o, name) is not None


def test_synthesis_and_materials_flat_apis():
    import qdlab.materials as ma
    import qdlab.synthesis as sy

    for name in ("run_recipe", "example_recipe", "grow_shell_continuous", "halide_exchange",
                 "NUCLEATION_METHODS"):
        assert callable(getattr(sy, name)) or isinstance(getattr(sy, name), dict), name
    for name in ("get_material", "alloy", "list_materials"):
        assert callable(getattr(ma, name)), name


def test_optics_fit_is_an_alias_of_sizing_fit():
    import qdlab.optics.fit as old

    import qdlab.sizing.fit as new

    assert old is new
    from qdlab.optics.fit import FitResult, fit_spectra, fit_spectrum  # noqa: F401

    assert fit_spectra is new.fit_spectra


#: Modules split along their physics (issue 11): old module -> {new module: names}.
SPLITS = {
    "qdlab.electronic.grid.coulomb": {
        "qdlab.electronic.grid.poisson_grid": ["DEFAULT_PAD_NM", "DEFAULT_POISSON_RESOLUTION_NM",
                                               "_interp_matrix", "_apply_axes"],
        "qdlab.electronic.grid.self_polarisation": ["LATTICE_G0", "DEFAULT_SOURCE_SPACING_NM",
                                                    "_self_energy_map", "_surface_sharp"],
        "qdlab.electronic.grid.layered_sphere_coulomb": ["layered_sphere_terms_grid"],
    },
    "qdlab.electronic.grid.solver": {
        "qdlab.electronic.grid.symmetry": ["NESTED_MIN", "COARSE_TOL_EV", "_Level",
                                           "_solve_level", "_merge", "_prolong", "_sectors"],
        "qdlab.electronic.grid.nonparabolic": ["KANE_TOL_EV", "KANE_MAXITER", "_kane_gaps",
                                               "_kane_kappa", "_solve_level_kane"],
        "qdlab.electronic.grid.operator": ["_padding"],
    },
    "qdlab.electronic.sphere.exciton": {
        "qdlab.electronic.sphere.exciton_energy": ["N_GRID", "_exciton_block",
                                                   "_trapezoid_weights"],
        "qdlab.electronic.sphere.exciton_batch": ["first_exciton_batch", "pair_energy_batch",
                                                  "_check_radii"],
    },
    "qdlab.optics.ensemble": {
        "qdlab.optics.size_distribution": ["SizeDistribution", "MAX_MEAN_DIAMETER_NM"],
    },
    "qdlab.sizing.fit": {
        "qdlab.sizing.fit_result": ["FitResult", "_guarded", "_no_feature", "_curve_only"],
        "qdlab.sizing.fit_search": ["MAX_FIT_POINTS", "_clean_input", "_table_or_reason",
                                    "_search", "_refine_peak"],
    },
    "qdlab.synthesis.shells": {
        "qdlab.synthesis.shell_population": ["ShellPopulation", "band_edge_vs_shell",
                                             "cores_from_trajectory"],
        "qdlab.synthesis.silar": ["grow_shell_silar", "monolayer_thickness_nm"],
    },
}


@pytest.mark.parametrize("old", sorted(SPLITS))
def test_split_modules_keep_their_old_names(old):
    mod = importlib.import_module(old)
    for new, names in SPLITS[old].items():
        target = importlib.import_module(new)
        for name in names:
            assert getattr(mod, name) is getattr(target, name), f"{old}.{name}"
    for name in getattr(mod, "__all__", ()):
        assert hasattr(mod, name), f"{old}.{name}"


def test_ensemble_keeps_its_emission_methods():
    from qdlab.optics.ensemble import Ensemble
    from qdlab.optics.photoluminescence import EnsembleEmission

    assert issubclass(Ensemble, EnsembleEmission)
    for name in ("emission", "emission_peak_nm", "emission_fwhm_nm", "stokes_shifts_eV",
                 "stokes_shift_eV"):
        assert hasattr(Ensemble, name), name
