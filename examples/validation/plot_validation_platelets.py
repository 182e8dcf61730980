"""
CdSe nanoplatelets against Ithurria 2011
========================================

The heavy-hole exciton of zinc-blende CdSe nanoplatelets (finite well, nonparabolic
electron, Rytova-Keldysh binding, image self-energies; bulk parameters, nothing fitted)
against the measured absorption peaks of S. Ithurria et al., Nat. Mater. 10, 936 (2011).
The model is about 0.2 eV too red: at 2-6 monolayers the ligand boundary condition
(the carrier mass in the barrier) dominates, see `qdlab.electronic.anisotropy.platelets`.
"""

# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from qdlab.validation import validate_platelets

(row,) = validate_platelets()
print(f"{row['material']} vs {row['source']}: {row['n']} thicknesses, "
      f"{row['monolayers'][0]}-{row['monolayers'][1]} Se planes")
print(f"RMS error {row['rms_eV']:.3f} eV, max {row['max_abs_eV']:.3f} eV, "
      f"mean (model - measured) {row['mean_error_eV']:+.3f} eV, RMS {row['rms_nm']:.1f} nm")

# %%
# Per thickness
# -------------
from qdlab.electronic.anisotropy.platelets import validate_cdse_platelets

rows = validate_cdse_platelets()
fig, ax = plt.subplots(figsize=(6, 4))
x = [r["monolayers"] + 0.5 for r in rows]
ax.plot(x, [r["measured_eV"] for r in rows], "o", mfc="none", label="Ithurria 2011")
ax.plot(x, [r["model_eV"] for r in rows], "ks-", label="qdlab model (no fit)")
for r in rows:
    print(f"{r['label']}: measured {r['measured_eV']:.3f} eV, model {r['model_eV']:.3f} eV, "
          f"error {r['error_eV']:+.3f} eV")
ax.set_xlabel("thickness (monolayers)")
ax.set_ylabel("heavy-hole exciton (eV)")
ax.legend()
fig.tight_layout()
