"""
Colour against size
===================

The first excitonic transition of CdSe, CdS, CdTe, InP and PbS spheres against diameter,
from the exact radial effective-mass solver with bulk parameters (nothing fitted), and
the emission colour of a CdSe ensemble of each size.
"""

# %%
# First exciton against diameter
# ------------------------------
# `qdlab.electronic.first_exciton_batch` solves many spheres in one vectorised call.
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import qdlab
from qdlab.electronic import first_exciton_batch

diameters = np.linspace(2.5, 9.0, 40)          # nm
fig, ax = plt.subplots(figsize=(6, 4))
for material in ("CdS", "CdSe", "CdTe", "InP", "PbS"):
    e = first_exciton_batch([material], diameters[:, None] / 2.0)["first_exciton_eV"]
    ax.plot(diameters, e, label=material)
ax.set_xlabel("diameter (nm)")
ax.set_ylabel("first exciton (eV)")
ax.legend()
ax.set_title("Exact radial model, bulk parameters, 300 K")
fig.tight_layout()

# %%
# One sphere, in detail
# ---------------------
# `qdlab.solve` returns the levels and the first exciton of one structure.
states = qdlab.solve(qdlab.Sphere("CdSe", diameter=4.0))
print(f"4 nm CdSe: first exciton {states.first_exciton_eV:.3f} eV = {states.first_exciton_nm:.0f} nm")

# %%
# Emission colour of CdSe ensembles
# ---------------------------------
# The ensemble PL spectrum (5 % size dispersion) converted to CIE 1931 chromaticity.
from qdlab.optics.colour import emission_colour
from qdlab.optics.ensemble import Ensemble, SizeDistribution

wl = np.arange(420.0, 760.0, 1.0)
sizes = [2.8, 3.2, 3.6, 4.0, 4.6, 5.4, 6.5]
fig, ax = plt.subplots(figsize=(6, 1.6))
for i, d in enumerate(sizes):
    ens = Ensemble("CdSe", SizeDistribution.normal(d, 5.0))
    col = emission_colour(wl, ens.emission(wl))
    ax.add_patch(plt.Rectangle((i, 0), 0.9, 1, color=col.srgb_hex))
    ax.text(i + 0.45, -0.25, f"{d} nm\n{ens.emission_peak_nm():.0f} nm", ha="center", va="top",
            fontsize=8)
ax.set_xlim(-0.1, len(sizes))
ax.set_ylim(-0.9, 1.05)
ax.axis("off")
fig.tight_layout()
