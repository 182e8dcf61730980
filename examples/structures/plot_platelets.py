"""
Nanoplatelets: atomically flat quantum wells
============================================

Zinc-blende CdSe nanoplatelets are confined in one direction only, by a thickness of a
few atomic planes.  The model is a finite well with the three-band Kane electron, the
light hole mixed with the split-off band, the exciton moving in the plane on the
subband dispersions of the 6x6 Luttinger-Kohn well (with the overlaps of the mixed
spinors in the Coulomb term), the exact Rytova-Keldysh exciton binding in a thin slab and
the image self-energies.  It is compared with the measured
heavy-hole peaks of Ithurria et al. (2011) without any fitted parameter, with the two
barrier-mass conventions at the ligands, and the in-plane subband dispersions are
compared with the band-edge masses.
"""

# %%
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from qdlab.constants import HBAR2_2M0
from qdlab.electronic.anisotropy.platelets import platelet_band_edge, validate_cdse_platelets
from qdlab.electronic.anisotropy.well_subbands import hole_subbands

rows = validate_cdse_platelets()
for r in rows:
    print(f"{r['label']}: measured {r['measured_nm']:.0f} nm, model {r['model_nm']:.0f} nm, "
          f"error {r['error_eV']:+.3f} eV")

# %%
# Transition against thickness, two barrier-mass conventions
# ----------------------------------------------------------
# The default keeps the semiconductor's (energy-dependent) mass in the ligand barrier
# (no mass step); the BenDaniel-Duke condition with the free-electron mass puts every
# line 0.2-0.3 eV to the red.
n = np.arange(2, 9)
fig, ax = plt.subplots(figsize=(6, 4))
for barrier_mass, label in (("well", "no mass step at the ligands (default)"),
                            (1.0, "barrier mass = m0 (BenDaniel-Duke)")):
    e = [platelet_band_edge("CdSe-zb", int(k), barrier_mass=barrier_mass).wavelength_nm
         for k in n]
    ax.plot(n + 0.5, e, "o-", label=label)
ax.plot([r["monolayers"] + 0.5 for r in rows], [r["measured_nm"] for r in rows], "k*", ms=12,
        label="measured (Ithurria 2011)")
ax.set_xlabel("thickness (monolayers, n + 1/2)")
ax.set_ylabel("heavy-hole exciton (nm)")
ax.legend()
fig.tight_layout()

# %%
# In-plane hole subbands against the band-edge masses
# ---------------------------------------------------
# Away from k_par = 0 the heavy- and light-hole subbands of the well mix: the HH1
# subband of a 4.5 ML platelet is heavier in plane than the band-edge mass
# 1/(gamma1 + gamma2), and the LH1 subband is not parabolic at all.  The exciton moves
# on these dispersions (``inplane="subband"``, the default).
r = platelet_band_edge("CdSe-zb", 4)
g1, g2, g3 = 2.04, 0.58, 0.58            # the CdSe-zb record's Luttinger parameters
k = np.linspace(0.0, 2.0, 21)
hh, lh = hole_subbands(r.thickness_nm, (g1, g2, g3), 0.42, 4.0, k)
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(k, 1e3 * (hh - hh[0]), "o-", label="HH1 subband (6x6 well)")
ax.plot(k, 1e3 * (lh - lh[0]), "s-", label="LH1 subband (6x6 well)")
ax.plot(k, 1e3 * HBAR2_2M0 * k ** 2 * (g1 + g2), "--", label="band edge 1/(g1 + g2)")
ax.plot(k, 1e3 * HBAR2_2M0 * k ** 2 * (g1 - g2), ":", label="band edge 1/(g1 - g2)")
ax.set_xlabel("in-plane wave vector (1/nm)")
ax.set_ylabel("in-plane kinetic energy (meV)")
ax.legend()
fig.tight_layout()
print(f"4.5 ML: HH1 in-plane mass {r.hole_mass_inplane:.2f} m0 (band edge "
      f"{1 / (g1 + g2):.2f}), binding {r.binding_energy_eV:.3f} eV")
