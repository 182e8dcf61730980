"""Shell-growth recipes and bookkeeping (internal to :mod:`qdlab.synthesis.shells`).

Default growth and nucleation parameters of a shell material, the recipe of a
continuous-injection shell growth (:func:`qdlab.synthesis.shells.grow_shell_continuous`),
the matching of the surviving Lagrangian core classes and the mean-shell history from
the volume balance.  See :mod:`qdlab.synthesis.shells` for the model and its references
(Talapin et al. 2001).
"""

from __future__ import annotations

import math

import numpy as np

from qdlab.constants import KB_EV
from qdlab.errors import QdlabInputError, check_positive
from qdlab.synthesis.kinetics import capillary_length_nm, molecular_volume_nm3
from qdlab.synthesis.population import SynthesisError, resolve_molar_volume
from qdlab.synthesis.recipe import Recipe

__all__ = ["SHELL_GROWTH_DEFAULTS", "SHELL_NUCLEATION_DEFAULTS"]


def _molar_volume(material) -> float:
    """Molar volume in cm^3/mol (molar mass / density from the materials database)."""
    from qdlab.materials import get_material

    mat = get_material(material)
    return float(mat.molar_mass_g_mol / mat.density_g_cm3)


#: Default growth parameters of the shell material (the ``[growth]`` section of a
#: recipe). surface energy and transfer coefficient: Talapin et al. (2001);
#: diffusion and surface rate: the CdSe example recipe's values; solubility
#: 1e-10 mol/L: an ESTIMATE (of the order fitted for CdSe in the example recipe),
#: low enough that the feed keeps every core above its Gibbs-Thomson solubility
#: (no ripening of the cores during shelling). Override with ``growth=``.
SHELL_GROWTH_DEFAULTS = {"surface_energy_J_m2": 0.2, "diffusion_m2_s": 1.0e-10,
                         "surface_rate_m_s": 1.0, "transfer_coefficient": 0.5,
                         "solubility_mol_L": 1.0e-10, "solubility_enthalpy_eV": 0.0,
                         "solubility_reference_K": 573.15}
#: Default classical-nucleation parameters for the shell material (ESTIMATES,
#: as in the CdSe example recipe).
SHELL_NUCLEATION_DEFAULTS = {"model": "cnt", "prefactor_per_m3_s": 1.0e32,
                             "nucleus_size_factor": 1.1}


def _shell_recipe_dict(material, volume_mL, duration_s, temperature_K, growth=None,
                       nucleation=None, conversion_rate_per_s=0.05, numerics=None):
    g = dict(SHELL_GROWTH_DEFAULTS)
    g.update(growth or {})
    nuc = dict(SHELL_NUCLEATION_DEFAULTS)
    nuc.update(nucleation or {})
    return {
        "name": f"{material} shell growth", "material": str(material),
        "solvent_volume_mL": volume_mL, "precursor_mol": 0.0, "monomer_mol": 0.0,
        "duration_s": duration_s,
        "conversion": {"prefactor_per_s": conversion_rate_per_s, "activation_energy_eV": 0.0},
        "growth": g, "nucleation": nuc,
        "temperature_program": [{"time_s": 0.0, "temperature_K": temperature_K}],
        "injections": [], "numerics": numerics or {"n_snapshots": 0, "rtol": 1e-4},
    }


def _core_classes(core_diameter_nm, number_mol) -> tuple[np.ndarray, np.ndarray]:
    """Checked core size classes: diameters (nm, > 0) and amounts (mol, > 0), 1-D, equal length."""
    d0 = np.atleast_1d(np.asarray(core_diameter_nm, dtype=float))
    n0 = np.atleast_1d(np.asarray(number_mol, dtype=float))
    check_positive(d0, "core_diameter_nm", "nm")
    check_positive(n0, "number_mol", "mol")
    if d0.shape != n0.shape or d0.ndim != 1:
        raise QdlabInputError(f"core_diameter_nm and number_mol must be 1-D of equal length, "
                              f"got {d0.shape} and {n0.shape}")
    return d0, n0


def _continuous_recipe(d0, shell_material, solvent_volume_mL, duration_s, temperature_K,
                       growth, nucleation, conversion_rate_per_s, rtol, n_pulses, dose):
    """The shell-material recipe of a continuous injection in ``n_pulses`` doses (mol)."""
    dt = duration_s / n_pulses
    data = _shell_recipe_dict(shell_material, solvent_volume_mL, duration_s, temperature_K,
                              growth, nucleation, conversion_rate_per_s,
                              {"n_snapshots": 0, "rtol": rtol,
                               "max_classes": max(2000, 4 * d0.size)})
    # first dose at t = 0 (precursor present at the start), the rest at i * dt
    data["precursor_mol"] = dose
    data["injections"] = [{"time_s": i * dt, "precursor_mol": dose} for i in range(1, n_pulses)]
    # start with the monomer in equilibrium with the smallest core (Gibbs-Thomson), so the
    # cores do not dissolve before the first dose converts
    g = data["growth"]
    lc = float(capillary_length_nm(g["surface_energy_J_m2"], _molar_volume(shell_material),
                                   temperature_K))
    csat = g["solubility_mol_L"] * math.exp(-g["solubility_enthalpy_eV"] / KB_EV * (
        1.0 / temperature_K - 1.0 / g["solubility_reference_K"]))
    data["monomer_mol"] = csat * solvent_volume_mL * 1e-3 * math.exp(lc / (d0[0] / 2.0))
    return Recipe.from_dict(data)


def _surviving_cores(d0, n0, rf, nf):
    """Core classes that survived the shell growth: (d0, n0, count, dissolved mol)."""
    # Lagrangian classes keep their order; dissolved classes (the smallest, since the
    # growth flow preserves the order of radii) are removed, nuclei are appended.
    k = d0.size
    for m in range(min(k, rf.size), -1, -1):
        if np.allclose(nf[:m], n0[k - m:], rtol=1e-12, atol=0) and np.all(
                rf[:m] >= d0[k - m:] / 2.0 - 1e-9):
            break
    if m == 0:
        raise SynthesisError("shell growth dissolved every core (the shell monomer "
                             "ripened them away); raise feed_mol_s")
    dissolved = float(n0[: k - m].sum())
    d0, n0 = d0[k - m:], n0[k - m:]
    k = m
    return d0, n0, k, dissolved


def _mean_shell_history(recipe, tr, d_in, n_in, d0, n0, dose, dt, n_pulses):
    """Mean shell thickness (nm) over time from the volume balance of the particles."""
    # history of the mean shell: volume balance of the particles (cores + shells)
    vm = resolve_molar_volume(recipe)
    v_nm3 = float(molecular_volume_nm3(vm))
    core_mol = 4.0 * np.pi / 3.0 * float(np.dot(n_in, (d_in / 2) ** 3)) / v_nm3
    time = np.asarray(tr.time_s)
    fed = dose * np.minimum(1.0 + np.floor(time / dt + 1e-9), n_pulses)
    grown_mol = np.asarray(tr.yield_pct) / 100.0 * (core_mol + fed)
    shell_mol = np.maximum(grown_mol - core_mol, 0.0)
    # equivalent uniform shell on the number-mean core (monomer mol -> nm)
    n_tot = float(n0.sum())
    r_eq = np.cbrt(float(np.dot(n0, (d0 / 2) ** 3)) / n_tot)
    t_hist = np.cbrt(r_eq**3 + shell_mol * v_nm3 * 3.0 / (4.0 * np.pi * n_tot)) - r_eq
    return t_hist
