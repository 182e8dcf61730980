"""
CdS against Yu 2003: a known miss
=================================

The first excitonic transition of CdS spheres from the exact radial effective-mass
model (bulk parameters from `qdlab.materials`, nothing fitted) against the measured
sizing relation of W. W. Yu, L. Qu, W. Guo, X. Peng, Chem. Mater. 15, 2854 (2003): TEM
calibration of CdS.
The reference points are sampled inside the calibration range
(``qdlab/_data/first_exciton_open.csv``).

The model is about 0.34 eV too red, by a nearly flat offset that no bulk parameter in
its literature range closes (see the notes of `qdlab.validation`).  Nothing is
fitted to hide it: do not use the model to size CdS.
"""

# %%
import matplotlib

matplotlib.use("Agg")

from qdlab.validation import plot_first_exciton_validation

fig, row = plot_first_exciton_validation("CdS", "Yu2003")
