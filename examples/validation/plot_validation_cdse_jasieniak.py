"""
CdSe against Jasieniak 2009
===========================

The first excitonic transition of CdSe spheres from the exact radial effective-mass
model (bulk parameters from `qdlab.materials`, nothing fitted) against the measured
sizing relation of J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano, J.
Phys. Chem. C 113, 19468 (2009): TEM and ICP-OES calibration of CdSe, 2-8 nm.
The reference points are sampled inside the calibration range
(``qdlab/_data/first_exciton_open.csv``).
"""

# %%
import matplotlib

matplotlib.use("Agg")

from qdlab.validation import plot_first_exciton_validation

fig, row = plot_first_exciton_validation("CdSe", "Jasieniak2009")
