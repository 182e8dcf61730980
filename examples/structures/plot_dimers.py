"""
Dimers: nanocrystal molecules
=============================

Two CdSe/CdS core/shell dots brought together ("quantum-dot molecules", Cui et al.,
Nat. Commun. 10, 5401 (2019)).  The lowest electron state splits into a bonding (even)
and an antibonding (odd) combination; the tunnelling energy t = (E_anti - E_bond)/2
falls with the gap between the dots and grows with a fused neck.  Grid solver,
coarse resolution for speed.
"""

# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import qdlab
from qdlab.electronic.anisotropy.dimers import dimer_splitting

dot = qdlab.CoreShell("CdSe", 2.8, shells=[("CdS", 1.0)])
gaps = [0.0, 0.15, 0.3, 0.45]           # nm, surface to surface
t_gap = []
for gap in gaps:
    res = dimer_splitting(dot, gap_nm=gap, resolution_nm=0.35, carriers=("electron",))
    t_gap.append(res.electron.hopping_eV * 1e3)
    print(f"gap {gap:.2f} nm: electron t = {t_gap[-1]:.3g} meV")
necks = [1.0, 2.0, 3.0]                  # nm, fused dots (gap 0)
t_neck = []
for neck in necks:
    res = dimer_splitting(dot, gap_nm=0.0, neck_diameter_nm=neck, resolution_nm=0.35,
                          carriers=("electron",))
    t_neck.append(res.electron.hopping_eV * 1e3)
    print(f"neck {neck:.1f} nm: electron t = {t_neck[-1]:.3g} meV")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
ax1.semilogy(gaps, t_gap, "o-")
ax1.set_xlabel("gap between the dots (nm)")
ax1.set_ylabel("electron hopping energy t (meV)")
ax2.plot(necks, t_neck, "s-")
ax2.set_xlabel("neck diameter of a fused dimer (nm)")
ax2.set_ylabel("electron hopping energy t (meV)")
fig.suptitle("CdSe/CdS homodimer, 2.8 nm core, 1 nm shell")
fig.tight_layout()

# %%
# Bonding and antibonding densities of a touching dimer
# -----------------------------------------------------
# The same dimer as a `qdlab.structures.shapes.Dimer` shape, solved by
# `qdlab.solve`; the mid-plane (y = 0) cuts of the two lowest electron states.
from qdlab.structures.shapes import Dimer

st = qdlab.solve(Dimer(dot, dot, gap_nm=0.0), resolution_nm=0.35, n_states=2)
el = st.electrons
j = int(np.argmin(np.abs(el.y_nm)))
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
for i, (ax, name) in enumerate(zip(axes, ("bonding", "antibonding"), strict=True)):
    psi = el.wavefunctions[i][:, j, :]
    ax.pcolormesh(el.z_nm, el.x_nm, psi, cmap="RdBu_r", shading="auto",
                  vmin=-abs(psi).max(), vmax=abs(psi).max())
    ax.set_aspect("equal")
    ax.set_xlabel("z (nm)")
    ax.set_ylabel("x (nm)")
    ax.set_title(f"{name}: {el.energies_eV[i]:.3f} eV")
fig.tight_layout()
