"""
CdSe nanoplatelets against Ithurria 2011
========================================

The heavy-hole (HH) and light-hole (LH) excitons of zinc-blende CdSe nanoplatelets
against the measured absorption peaks of S. Ithurria et al., Nat. Mater. 10, 936 (2011).
The model: a finite well with no mass step at the ligands, a three-band Kane electron, the
hole subbands of the 6x6 Luttinger-Kohn well (light hole mixed with the split-off band)
on whose in-plane dispersions the exciton moves, with the overlaps of the mixed spinors in
its Coulomb matrix elements (which couple the HH1 and LH1 excitons), Rytova-Keldysh
exciton binding and image self-energies; bulk parameters, nothing fitted
(`qdlab.electronic.anisotropy.platelets`).  Heavy hole RMS 0.048 eV, 0.09 eV too blue at
2.5 ML (5 atomic planes); light hole RMS 0.040 eV.
"""

# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from qdlab.validation import validate_platelets

for row in validate_platelets():
    print(f"{row['material']} vs {row['source']}: {row['n']} thicknesses, "
          f"RMS error {row['rms_eV']:.3f} eV, max {row['max_abs_eV']:.3f} eV, "
          f"mean (model - measured) {row['mean_error_eV']:+.3f} eV")

# %%
# Per thickness
# -------------
from qdlab.electronic.anisotropy.platelets import validate_cdse_platelets

rows = validate_cdse_platelets()
fig, ax = plt.subplots(figsize=(6, 4))
x = [r["monolayers"] + 0.5 for r in rows]
ax.plot(x, [r["measured_eV"] for r in rows], "o", mfc="none", label="HH, Ithurria 2011")
ax.plot(x, [r["model_eV"] for r in rows], "ks-", label="HH, qdlab model (no fit)")
lh = [r for r in rows if r.get("lh_measured_eV") is not None]
ax.plot([r["monolayers"] + 0.5 for r in lh], [r["lh_measured_eV"] for r in lh], "^",
        mfc="none", label="LH, Ithurria 2011")
ax.plot([r["monolayers"] + 0.5 for r in lh], [r["lh_model_eV"] for r in lh], "b^--",
        label="LH, qdlab model")
for r in rows:
    print(f"{r['label']}: HH measured {r['measured_eV']:.3f} eV, model {r['model_eV']:.3f} eV, "
          f"error {r['error_eV']:+.3f} eV")
ax.set_xlabel("thickness (monolayers)")
ax.set_ylabel("exciton energy (eV)")
ax.legend()
fig.tight_layout()
