"""
Benchmarks, small versions
==========================

``make bench`` runs the benchmarks in ``benchmarks/``; each prints its speed and the ratio
against a named baseline measured in the same run.  This example runs reduced versions
of two of them (fewer structures, smaller baselines) so that it finishes in seconds.
Ratios from small runs are not those of the full runs (fixed costs weigh more in a small
batch, a small baseline sample is noisier), and everything depends on the machine and its
load: read them as orders of magnitude.  The figures of the full benchmarks on a
loaded 2-core machine are in the benchmarks page.
"""

# %%
# Load the benchmark modules
# --------------------------
import importlib.util
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

here = Path.cwd()
root = next(p for p in (here, *here.parents) if (p / "benchmarks").is_dir())


def load(name):
    spec = importlib.util.spec_from_file_location(name, root / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# %%
# Vectorised radial solver against a scipy brentq loop
# ----------------------------------------------------
radial = load("bench_radial")
radial.N_VECTOR, radial.N_LOOP = 10_000, 40
res_radial = radial.main()

# %%
# Batched first-order excitons against one structure per call
# -----------------------------------------------------------
exciton = load("bench_exciton")
exciton.N_VECTOR, exciton.N_LOOP_SCIPY, exciton.N_LOOP_MODEL = 3_000, 30, 30
res_exciton = exciton.main()

# %%
# The ratios
# ----------
ratios = {
    "radial ground state\n(vs scipy brentq loop)": res_radial["ratio_vs_scipy_loop_electron"],
    "e-h pair levels\n(vs scipy brentq loop)": res_exciton["pair_ratio_vs_scipy_loop"],
    "first-order exciton\n(vs one call per structure)": res_exciton["exciton_ratio_vs_loop"],
}
fig, ax = plt.subplots(figsize=(7, 3.5))
bars = ax.barh(list(ratios), list(ratios.values()))
ax.set_xscale("log")
ax.set_xlabel("speed-up over the baseline, measured in this run")
for b, v in zip(bars, ratios.values(), strict=True):
    ax.text(v, b.get_y() + b.get_height() / 2, f" {v:,.0f}x", va="center")
ax.set_xlim(1, max(ratios.values()) * 8)
fig.tight_layout()
