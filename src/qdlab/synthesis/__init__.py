"""qdlab.synthesis: hot-injection and heat-up synthesis kinetics.

Recipes (TOML, validated) -> population balance of nucleation, growth and
dissolution (Lagrangian size classes, Talapin et al. 2001 growth law, exact mass
balance) -> :class:`Trajectory` (mean diameter, size dispersion, supersaturation,
critical radius, yield and size histograms over time).

Examples
--------
>>> from qdlab.synthesis import example_recipe, run_recipe
>>> traj = run_recipe(example_recipe("cdse").with_updates(duration_s=20.0))
>>> sorted(traj.final_summary())[:3]
['critical_radius_nm', 'mass_balance_error', 'mean_diameter_nm']
"""

from qdlab.synthesis.fitting import KineticFit, fit_kinetics
from qdlab.synthesis.ion_exchange import ExchangeResult, halide_exchange
from qdlab.synthesis.kinetics import (
    RIPENING_DISTRIBUTION_METHODS,
    arrhenius_rate,
    capillary_length_nm,
    cnt_exponent,
    cnt_nucleation_rate,
    critical_radius_nm,
    growth_rate_nm_s,
    lsw_distribution,
    molecular_volume_nm3,
    wagner_distribution,
)
from qdlab.synthesis.population import (
    NUCLEATION_METHODS,
    NUCLEATION_MODELS,
    SynthesisError,
    Trajectory,
    register_nucleation_model,
    resolve_molar_volume,
    run_recipe,
)
from qdlab.synthesis.recipe import (
    Conversion,
    Growth,
    Injection,
    Nucleation,
    Numerics,
    Recipe,
    TemperaturePoint,
    example_recipe,
    list_examples,
    load_recipe,
)
from qdlab.synthesis.shells import (
    ShellPopulation,
    band_edge_vs_shell,
    cores_from_trajectory,
    grow_shell_continuous,
    grow_shell_silar,
    monolayer_thickness_nm,
)

__all__ = [
    "NUCLEATION_METHODS",
    "NUCLEATION_MODELS",
    "RIPENING_DISTRIBUTION_METHODS",
    "Conversion",
    "ExchangeResult",
    "Growth",
    "Injection",
    "KineticFit",
    "Nucleation",
    "Numerics",
    "Recipe",
    "ShellPopulation",
    "SynthesisError",
    "TemperaturePoint",
    "Trajectory",
    "arrhenius_rate",
    "band_edge_vs_shell",
    "capillary_length_nm",
    "cnt_exponent",
    "cnt_nucleation_rate",
    "cores_from_trajectory",
    "critical_radius_nm",
    "example_recipe",
    "fit_kinetics",
    "grow_shell_continuous",
    "grow_shell_silar",
    "growth_rate_nm_s",
    "halide_exchange",
    "list_examples",
    "load_recipe",
    "lsw_distribution",
    "molecular_volume_nm3",
    "monolayer_thickness_nm",
    "register_nucleation_model",
    "resolve_molar_volume",
    "run_recipe",
    "wagner_distribution",
]
