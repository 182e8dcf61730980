"""
Core/shell band alignment: type I, quasi-type II, type II
=========================================================

Band-edge profiles (absolute energies on the vacuum scale, from the electron affinities
and gaps of the materials database), the lowest electron and hole levels and their radial
probability densities for three core/shell structures solved by the exact radial solver.
"""

# %%
# The three structures and their band offsets
# -------------------------------------------
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import qdlab
from qdlab.electronic import band_offsets

structures = [
    qdlab.CoreShell("CdSe", 3.0, shells=[("ZnS", 1.0)]),     # type I
    qdlab.CoreShell("CdSe", 3.0, shells=[("CdS", 2.0)]),     # quasi-type II
    qdlab.CoreShell("ZnSe", 3.0, shells=[("CdS", 1.5)]),     # type II
]
for s in structures:
    core, shell = s.materials[0], s.materials[1]
    off = band_offsets(core, shell)
    print(f"{s.label:10s} conduction offset {off.conduction_eV:+.2f} eV, "
          f"valence offset {off.valence_eV:+.2f} eV -> {off.alignment}")

# %%
# Band profiles, levels and radial densities
# ------------------------------------------
# The classification from the bulk offsets alone (printed above) and from where the
# confined levels lie (titles below) can differ: with a 0.16 eV conduction offset, the
# 1S electron level of a 3 nm CdSe core lies above the CdS conduction edge, so the electron
# spreads over the whole particle (quasi-type II).
#
# Dashed lines: the lowest electron (`1S_e`) and hole (`1S_h`) levels.  The shaded curves are
# the radial probabilities `r^2 |R(r)|^2` of the two carriers, scaled to fit.
fig, axes = plt.subplots(1, 3, figsize=(13, 4.2), sharey=False)
for ax, s in zip(axes, structures, strict=True):
    st = qdlab.solve(s)
    radii = (0.0, *s.radii_nm)
    for (r0, r1), m in zip(zip(radii[:-1], radii[1:], strict=True), s.materials, strict=True):
        ax.plot([r0, r1], [m.conduction_band_edge(300)] * 2, color="tab:blue")
        ax.plot([r0, r1], [m.valence_band_edge(300)] * 2, color="tab:red")
        ax.text((r0 + r1) / 2, m.conduction_band_edge(300) + 0.1, m.name, ha="center")
    e = st.electron_levels[0].energy_eV
    h = st.hole_levels[0].energy_eV
    ax.axhline(e, ls="--", color="tab:blue", lw=0.8)
    ax.axhline(h, ls="--", color="tab:red", lw=0.8)
    r = st.r_nm
    pe = r**2 * st.electron_wavefunction**2
    ph = r**2 * st.hole_wavefunction**2
    ax.fill_between(r, e, e + 0.8 * pe / pe.max(), color="tab:blue", alpha=0.3)
    ax.fill_between(r, h, h - 0.8 * ph / ph.max(), color="tab:red", alpha=0.3)
    ax.set_xlim(0, s.outer_radius_nm * 1.02)
    ax.set_xlabel("r (nm)")
    ax.set_title(f"{s.label}: {st.alignment}\noverlap {st.overlap:.2f}, "
                 f"e in core {st.electron_in_core:.2f}, h in core {st.hole_in_core:.2f}",
                 fontsize=9)
axes[0].set_ylabel("energy on the vacuum scale (eV)")
fig.tight_layout()

# %%
# From type I to quasi-type II with shell thickness
# -------------------------------------------------
# A CdS shell on a 3 nm CdSe core: the electron leaks into the shell as the shell grows
# (small conduction offset), the hole stays in the core, the overlap falls and the
# exciton shifts red.
thick = np.linspace(0.0, 3.0, 13)
rows = [qdlab.solve(qdlab.CoreShell("CdSe", 3.0, shells=[("CdS", t)])) if t > 0
        else qdlab.solve(qdlab.Sphere("CdSe", 3.0)) for t in thick]
fig, ax1 = plt.subplots(figsize=(6, 4))
ax1.plot(thick, [st.first_exciton_nm for st in rows], "o-", color="k")
ax1.set_xlabel("CdS shell thickness (nm)")
ax1.set_ylabel("first exciton (nm)")
ax2 = ax1.twinx()
ax2.plot(thick, [st.overlap for st in rows], "s-", color="tab:green", label="overlap")
ax2.plot(thick, [st.electron_in_core for st in rows], "^-", color="tab:blue",
         label="electron in core")
ax2.set_ylabel("fraction")
ax2.legend(loc="center right")
fig.tight_layout()
