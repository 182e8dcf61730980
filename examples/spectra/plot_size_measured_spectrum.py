"""
Sizing a measured spectrum
==========================

A real measurement: absorbance spectra of aliquots taken every 30 s from a teaching-lab
CdSe hot injection (run 6 of the Imperial College MS 3.02 series, MIT licence, shipped in
``tests/data/run6_absorbance.csv``).  `qdlab.sizing.fit.fit_spectra` reads the
multi-column export, finds the first excitonic peak of every column and fits the physical
ensemble model: mean diameter, size dispersion and particle concentration, each with an
uncertainty, plus notes when the answer is doubtful.
"""

# %%
# Read and fit every aliquot
# --------------------------
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from qdlab.optics.spectrum_io import read_spectra
from qdlab.sizing.fit import fit_spectra, results_table

here = Path.cwd()
root = next(p for p in (here, *here.parents) if (p / "tests" / "data").is_dir())
path = root / "tests" / "data" / "run6_absorbance.csv"

spectra = read_spectra(path)
results = fit_spectra(path, "CdSe")
fitted = [r for r in results if not isinstance(r, dict)]
for r in results:
    if isinstance(r, dict):
        print(f"{r['label']}: not sized ({r['error']})")
rows = results_table(fitted)
print(f"{'aliquot':>8} {'peak (nm)':>10} {'d (nm)':>12} {'RSD (%)':>10} {'c (uM)':>8}")
for r in rows:
    print(f"{r['label'].split(':')[-1]:>8} {r['peak_nm']:10.1f} {r['diameter_nm']:6.2f} +- "
          f"{r['diameter_uncertainty_nm']:.3f} {r['dispersion_pct']:10.1f} "
          f"{(r['concentration_M'] or float('nan')) * 1e6:8.2f}")

# %%
# Measured spectra and the fitted model
# -------------------------------------
fig, ax = plt.subplots(figsize=(7, 4.5))
cmap = plt.get_cmap("viridis")
for i, r in enumerate(fitted[::3]):
    c = cmap(i / max(1, len(fitted[::3]) - 1))
    ax.plot(r.wavelength_nm, r.absorbance, color=c, lw=1, label=r.label.split(':')[-1])
    ax.plot(r.wavelength_nm, r.model_absorbance, color=c, lw=2, ls="--")
ax.set_xlabel("wavelength (nm)")
ax.set_ylabel("absorbance")
ax.set_title("Run 6: measured (solid) and fitted model (dashed)")
ax.legend(fontsize=8, ncol=2)
fig.tight_layout()

# %%
# Growth of the particles
# -----------------------
t = np.array([float(r.label.split(':')[-1].split()[0]) for r in fitted])
d = np.array([r.diameter_nm for r in fitted])
dd = np.array([r.diameter_uncertainty_nm for r in fitted])
fig, ax = plt.subplots(figsize=(6, 4))
ax.errorbar(t, d, yerr=dd, fmt="o")
ax.set_xlabel("time after injection (s)")
ax.set_ylabel("fitted mean diameter (nm)")
fig.tight_layout()
