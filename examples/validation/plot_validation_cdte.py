"""
CdTe against Yu 2003
====================

The first excitonic transition of CdTe spheres from the exact radial effective-mass
model (bulk parameters from `qdlab.materials`, nothing fitted) against the measured
sizing relation of W. W. Yu, L. Qu, W. Guo, X. Peng, Chem. Mater. 15, 2854 (2003): TEM
calibration of CdTe.
The reference points are sampled inside the calibration range
(``qdlab/_data/first_exciton_open.csv``).
"""

# %%
import matplotlib

matplotlib.use("Agg")

from qdlab.validation import plot_first_exciton_validation

fig, row = plot_first_exciton_validation("CdTe", "Yu2003")
