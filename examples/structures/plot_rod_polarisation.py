"""
Rods: first exciton and polarisation against aspect ratio
=========================================================

CdSe nanorods of 4 nm diameter solved on the 3D grid (`qdlab.solve` routes any
non-spherical shape to the grid solver), and the linear polarisation anisotropy of their
band-edge emission with its two contributions: the dielectric (local-field) factor of an
elongated particle and the electronic (valence-band mixing and exchange) part.

r = (I_par - I_perp) / (I_par + I_perp); r > 0 means polarised along the rod axis.
"""

# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import qdlab
from qdlab.electronic.anisotropy.polarisation import polarisation_anisotropy
from qdlab.structures.shapes import Rod

diameter = 4.0                      # nm
lengths = [4.0, 6.0, 9.0, 13.0, 18.0]
peaks, r_total, r_dielectric = [], [], []
for length in lengths:
    rod = Rod("CdSe", length=length, diameter=diameter)
    st = qdlab.solve(rod, resolution_nm=0.4, n_states=1)
    pol = polarisation_anisotropy(rod, resolution_nm=0.4)
    peaks.append(st.first_exciton_nm)
    r_total.append(pol["total"])
    r_dielectric.append(pol["dielectric"]["r_isotropic_dipole"])
    print(f"L = {length:4.1f} nm: first exciton {st.first_exciton_nm:5.1f} nm, "
          f"r = {pol['total']:+.2f} (dielectric alone {r_dielectric[-1]:+.2f})")

aspect = [length / diameter for length in lengths]
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
ax1.plot(aspect, peaks, "o-")
ax1.set_xlabel("aspect ratio L/d")
ax1.set_ylabel("first exciton (nm)")
ax1.set_title("4 nm CdSe rods, 3D grid solver")
ax2.plot(aspect, r_total, "o-", label="total (emission)")
ax2.plot(aspect, r_dielectric, "s--", label="dielectric factor alone")
ax2.axhline(0, color="k", lw=0.5)
ax2.set_xlabel("aspect ratio L/d")
ax2.set_ylabel("polarisation anisotropy r")
ax2.legend()
fig.tight_layout()

# %%
# Beyond L/d of about 2 the single-particle gap still falls slowly, but the first-order
# electron-hole Coulomb energy falls faster (0.12 eV at 9 nm, 0.09 eV at 18 nm), so the
# first exciton saturates and even moves slightly back to the blue.  First-order Coulomb
# has no electron-hole correlation, which matters once the rod is longer than the exciton
# Bohr radius (5.6 nm in CdSe): the binding of long rods is underestimated.
#
# The measured single-particle r of CdSe/CdS dot-in-rods (0.75) is far above the model
# (see the README and `qdlab.electronic.anisotropy.polarisation.validate_dot_in_rods`):
# core strain, not included, is the likely missing piece.
