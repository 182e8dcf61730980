"""
CdSe against Yu 2003
====================

The first excitonic transition of CdSe spheres from the exact radial effective-mass
model (bulk parameters from `qdlab.materials`, nothing fitted) against the measured
sizing relation of W. W. Yu, L. Qu, W. Guo, X. Peng, Chem. Mater. 15, 2854 (2003): TEM
calibration of CdSe.
The reference points are sampled inside the calibration range
(``qdlab/_data/first_exciton_open.csv``).
"""

# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from qdlab.validation import load_reference_points, model_first_exciton_eV, validate_first_exciton

points = [p for p in load_reference_points() if p.material == "CdSe" and p.source == "Yu2003"]
(row,) = validate_first_exciton(points)
print(f"{row['material']} vs {row['source']}: {row['n']} points, "
      f"{row['diameter_min_nm']:.1f}-{row['diameter_max_nm']:.1f} nm")
print(f"RMS error {row['rms_eV']:.3f} eV, max {row['max_abs_eV']:.3f} eV, "
      f"mean (model - measured) {row['mean_error_eV']:+.3f} eV, RMS {row['rms_nm']:.1f} nm")

d_pts = np.array([p.diameter_nm for p in points])
e_pts = np.array([p.first_exciton_eV for p in points])
d = np.linspace(0.9 * d_pts.min(), 1.1 * d_pts.max(), 60)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.plot(d, model_first_exciton_eV("CdSe", d), "k-", label="qdlab model (no fit)")
ax1.plot(d_pts, e_pts, "o", mfc="none", label="Yu2003")
ax1.set_xlabel("diameter (nm)")
ax1.set_ylabel("first exciton (eV)")
ax1.set_title("CdSe")
ax1.legend()
err = model_first_exciton_eV("CdSe", d_pts) - e_pts
ax2.axhline(0, color="k", lw=0.5)
ax2.plot(d_pts, err * 1e3, "o-")
ax2.set_xlabel("diameter (nm)")
ax2.set_ylabel("model - measured (meV)")
ax2.set_title(f"RMS {row['rms_eV'] * 1e3:.0f} meV, max {row['max_abs_eV'] * 1e3:.0f} meV")
fig.tight_layout()
