"""Reproduce the two fitted parameters of the 'cdse-teaching' example recipe.

Fits conversion.prefactor_per_s and growth.solubility_mol_L of
src/qdlab/synthesis/recipes/cdse_teaching_lab.toml to run 2 of the measured
series (qdlab.synthesis.measured) from a start far from the result, prints the
values with their 1-sigma uncertainties, and the error on the held-out runs 3
and 6.  Run: ``.venv/bin/python scripts/fit_teaching_recipe.py`` (~30 s).
"""

from __future__ import annotations

import time

from qdlab.synthesis import example_recipe
from qdlab.synthesis.fitting import fit_kinetics
from qdlab.synthesis.measured import (
    FIT_RUN,
    load_growth_series,
    peak_of_diameter_nm,
    validate_growth_series,
)

PARAMETERS = ("conversion__prefactor_per_s", "growth__solubility_mol_L")
START = {"conversion__prefactor_per_s": 3e7, "growth__solubility_mol_L": 1e-11}


def main() -> dict:
    t, y = load_growth_series()[FIT_RUN]
    start = example_recipe("cdse-teaching").with_updates(numerics__n_snapshots=0, **START)
    t0 = time.perf_counter()
    fit = fit_kinetics(start, t, y, peak_of_diameter=peak_of_diameter_nm,
                       parameters=PARAMETERS, max_evaluations=80)
    print(f"fit to {FIT_RUN} in {time.perf_counter() - t0:.1f} s, "
          f"{fit.n_evaluations} simulations, residual {fit.residual_rms_nm:.2f} nm RMS")
    for name, (v, s) in fit.as_dict().items():
        print(f"  {name:32s} {v:.3e} +- {s:.1e}")
    for r in validate_growth_series(fit.recipe):
        print(f"  {r['run']} ({r['role']}): RMS {r['rms_nm']:.2f} nm, max {r['max_abs_nm']:.2f} nm")
    return fit.as_dict()


if __name__ == "__main__":
    main()
