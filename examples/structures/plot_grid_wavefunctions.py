"""
3D grid wavefunctions of a tetrapod and a dot-in-rod
====================================================

Any shape goes to the 3D finite-difference grid solver (`qdlab.solve`).  Here the
lowest electron and hole states of a CdSe tetrapod (zinc-blende core, four wurtzite arms
along the [111] directions) and of a CdSe/CdS dot-in-rod, shown as mid-plane cuts of
`|psi|^2` and as scatter plots of the grid points where the density is high (grey: the
particle).
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


def points_above(states, fraction):
    """Grid points where |psi|^2 exceeds ``fraction`` of its maximum (a crude isosurface)."""
    rho = states.density(0)
    ix, iy, iz = np.nonzero(rho >= fraction * rho.max())
    return states.x_nm[ix], states.y_nm[iy], states.z_nm[iz], rho[ix, iy, iz]


# the particle itself: grid nodes inside any region (every second node, for speed)
el = st.electrons
inside = el.region_index < len(tetrapod.regions)
sx, sy, sz = np.nonzero(inside[::2, ::2, ::2])
fig = plt.figure(figsize=(10, 4.5))
for k, (carrier, cmap) in enumerate(((st.electrons, "Blues"), (st.holes, "Reds"))):
    ax = fig.add_subplot(1, 2, k + 1, projection="3d")
    ax.scatter(el.x_nm[::2][sx], el.y_nm[::2][sy], el.z_nm[::2][sz], s=3, color="0.45",
               alpha=0.12, depthshade=False)
    x, y, z, w = points_above(carrier, 0.02)
    ax.scatter(x, y, z, c=w, cmap=cmap, s=4, alpha=0.6)
    ax.set_title(f"{carrier.carrier}: |psi|^2 > 2 % of its maximum")
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
