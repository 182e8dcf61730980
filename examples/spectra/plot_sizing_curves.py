"""
Sizing curves compared
======================

The published empirical sizing relations (first-exciton peak against TEM diameter) that
`qdlab.sizing` ships, each with its citation and calibration range, against the
physical model of qdlab (exact radial solver, bulk parameters, nothing fitted).
Outside its calibrated range a curve is drawn dotted.
"""

# %%
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from qdlab import QdlabValidityWarning
from qdlab.constants import HC_EV_NM
from qdlab.electronic import first_exciton_batch
from qdlab.sizing import available_materials, curves_for

materials = [m for m in available_materials() if m in ("CdSe", "CdTe", "CdS", "PbS")]
fig, axes = plt.subplots(2, 2, figsize=(10, 7.5))
for ax, material in zip(axes.ravel(), materials, strict=True):
    for curve in curves_for(material):
        rng = curve.calibrated_range
        if "diameter_nm" in rng:
            lo, hi = rng["diameter_nm"]
        else:                       # calibrated in peak wavelength: convert the ends
            lo, hi = sorted(curve.diameter_nm(np.array(rng["peak_nm"]), warn=False))
        d_all = np.linspace(0.8 * lo, 1.1 * hi, 80)
        d_in = np.linspace(lo, hi, 60)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", QdlabValidityWarning)
            line, = ax.plot(d_in, curve.peak_nm(d_in), label=curve.name)
            ax.plot(d_all, curve.peak_nm(d_all), ":", color=line.get_color())
        print(f"{curve.name}: {curve.relation}  [{curve.citation}]")
    d = np.linspace(2.0, 10.0 if material == "PbS" else 7.0, 50)
    e = HC_EV_NM / first_exciton_batch([material], d[:, None] / 2.0)["first_exciton_eV"]
    ax.plot(d, e, "k--", label="qdlab model (no fit)")
    ax.set_title(material)
    ax.set_xlabel("diameter (nm)")
    ax.set_ylabel("first exciton peak (nm)")
    ax.legend(fontsize=8)
fig.tight_layout()

# %%
# One peak, every curve
# ---------------------
# `qdlab.sizing.size_from_peak` applies every curve for the material and marks the
# recommended one.
from qdlab.sizing import size_from_peak

res = size_from_peak("CdSe", 550.0, absorbance=0.1)
for m in res.methods:
    print(f"{m.name:22s} d = {m.diameter_nm:.2f} nm, c = {m.concentration_M:.2e} mol/L")
print("recommended:", res.best.name)
