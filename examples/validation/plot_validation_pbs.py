"""
PbS against Moreels 2009
========================

The first excitonic transition of PbS spheres from the exact radial effective-mass
model (bulk parameters from `qdlab.materials`, nothing fitted) against the measured
sizing relation of I. Moreels et al., ACS Nano 3, 3023 (2009): TEM calibration of PbS,
3-9 nm.
The reference points are sampled inside the calibration range
(``qdlab/_data/first_exciton_open.csv``).

The lead-salt bands are strongly nonparabolic and anisotropic at the L point; the
model uses a two-band Kane mass but no valley degeneracy or intervalley coupling.
"""

# %%
import matplotlib

matplotlib.use("Agg")

from qdlab.validation import plot_first_exciton_validation

fig, row = plot_first_exciton_validation("PbS", "Moreels2009")
