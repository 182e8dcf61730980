"""
3D grid wavefunctions of a tetrapod and a dot-in-rod
====================================================

Any shape goes to the 3D finite-difference grid solver (`qdlab.solve`).  Here the
lowest electron and hole states of a CdSe tetrapod (zinc-blende core, four wurtzite arms
along the [111] directions) and of a CdSe/CdS dot-in-rod, shown as mid-plane cuts of
|psi|^2 and as isosurface-like scatter plots of the densest grid points.
"""

# %%
# A tetrapod
# ----------
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import qdlab
from qdlab.structures.shapes import DotInRod, Tetrapod

tetrapod = Tetrapod("CdSe-zb", core_diameter=3.0, arm_length=5.0, arm_diameter=2.5,
                    arm_material="CdSe-wz")
st = qdlab.solve(tetrapod, resolution_nm=0.35, n_states=1)
print(f"tetrapod: first exciton {st.first_exciton_nm:.0f} nm, "
      f"{st.electrons.n_unknowns} unknowns per sector")


def densest_points(states, fraction=0.5):
    """Grid points holding the densest part of |psi|^2 (a crude isosurface)."""
    rho = states.density(0)
    order = np.sort(rho.ravel())[::-1]
    level = order[np.searchsorted(np.cumsum(order) / order.sum(), fraction)]
    ix, iy, iz = np.nonzero(rho >= level)
    return states.x_nm[ix], states.y_nm[iy], states.z_nm[iz], rho[ix, iy, iz]


fig = plt.figure(figsize=(10, 4.5))
for k, (carrier, cmap) in enumerate(((st.electrons, "Blues"), (st.holes, "Reds"))):
    ax = fig.add_subplot(1, 2, k + 1, projection="3d")
    x, y, z, w = densest_points(carrier)
    ax.scatter(x, y, z, c=w, cmap=cmap, s=4, alpha=0.5)
    ax.set_title(f"{carrier.carrier}: densest 50 % of |psi|^2")
    ax.set_xlabel("x (nm)")
    ax.set_ylabel("y (nm)")
    ax.set_zlabel("z (nm)")
fig.tight_layout()

# %%
# A dot-in-rod: electron spread over the rod, hole in the core
# -------------------------------------------------------------
# CdSe/CdS is quasi-type II: the small conduction offset lets the electron spread along
# the CdS rod while the hole stays in the CdSe core (here placed at one third of the
# length, as in seeded growth).
dir_ = DotInRod("CdSe", 2.8, "CdS", length=16.0, diameter=4.5, core_position=-2.5)
st = qdlab.solve(dir_, resolution_nm=0.35, n_states=1)
print(f"dot-in-rod: first exciton {st.first_exciton_nm:.0f} nm, overlap {st.overlap:.2f}")
fig, axes = plt.subplots(2, 1, figsize=(8, 4.5), sharex=True)
for ax, carrier in zip(axes, (st.electrons, st.holes), strict=True):
    j = int(np.argmin(np.abs(carrier.y_nm)))
    ax.pcolormesh(carrier.z_nm, carrier.x_nm, carrier.density(0)[:, j, :], shading="auto",
                  cmap="magma")
    ax.set_aspect("equal")
    ax.set_ylabel("x (nm)")
    ax.set_title(f"{carrier.carrier} |psi|^2 in the y = 0 plane "
                 f"(in the core: {carrier.probability_in_region(0):.2f})", fontsize=9)
axes[1].set_xlabel("z (nm), rod axis")
fig.tight_layout()
