"""
Nanoplatelets: atomically flat quantum wells
============================================

Zinc-blende CdSe nanoplatelets are confined in one direction only, by a thickness of a
few atomic planes.  The model (finite well with a nonparabolic electron, Rytova-Keldysh
exciton binding in a thin slab, image self-energies) is compared with the measured
heavy-hole peaks of Ithurria et al. (2011) without any fitted parameter, and the two
barrier-mass conventions that bracket the measurement are shown.
"""

# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from qdlab.electronic.anisotropy.platelets import platelet_band_edge, validate_cdse_platelets

rows = validate_cdse_platelets()
for r in rows:
    print(f"{r['label']}: measured {r['measured_nm']:.0f} nm, model {r['model_nm']:.0f} nm, "
          f"error {r['error_eV']:+.3f} eV")

# %%
# Transition against thickness, two barrier-mass conventions
# ----------------------------------------------------------
n = np.arange(2, 9)
fig, ax = plt.subplots(figsize=(6, 4))
for barrier_mass, label in ((1.0, "barrier mass = m0 (default)"),
                            ("well", "barrier mass = well mass")):
    e = [platelet_band_edge("CdSe-zb", int(k), barrier_mass=barrier_mass).wavelength_nm
         for k in n]
    ax.plot(n + 0.5, e, "o-", label=label)
ax.plot([r["monolayers"] + 0.5 for r in rows], [r["measured_nm"] for r in rows], "k*", ms=12,
        label="measured (Ithurria 2011)")
ax.set_xlabel("thickness (monolayers, n + 1/2)")
ax.set_ylabel("heavy-hole exciton (nm)")
ax.legend()
fig.tight_layout()
