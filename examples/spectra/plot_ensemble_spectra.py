"""
Ensemble absorption and photoluminescence
=========================================

A real sample is an ensemble: its spectra are averages over a size distribution.
`qdlab.optics.ensemble.Ensemble` sums the discrete transitions (exact radial
solver, oscillator strengths from the envelope overlaps and the Kane energy) and the bulk
continuum over the distribution; the emission is the band-edge line of every size,
Stokes shifted, weighted by how much each size absorbs at the excitation wavelength.
"""

# %%
# Absorption against size dispersion
# ----------------------------------
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from qdlab.optics.ensemble import Ensemble, SizeDistribution

wl = np.arange(380.0, 700.0, 1.0)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for disp in (3.0, 6.0, 10.0, 15.0):
    ens = Ensemble("CdSe", SizeDistribution.normal(4.0, disp))
    ax1.plot(wl, ens.molar_extinction(wl) / 1e5, label=f"{disp:g} %")
    ax2.plot(wl, ens.emission(wl), label=f"{disp:g} %: FWHM {ens.emission_fwhm_nm():.0f} nm")
ax1.set_xlabel("wavelength (nm)")
ax1.set_ylabel("molar extinction (1e5 M$^{-1}$ cm$^{-1}$)")
ax1.set_title("4 nm CdSe, normal size distributions")
ax1.legend(title="RSD")
ax2.set_xlabel("wavelength (nm)")
ax2.set_ylabel("PL (normalised per nm)")
ax2.set_xlim(520, 680)
ax2.legend(fontsize=8)
fig.tight_layout()

# %%
# Normal against log-normal, and a core/shell ensemble
# ----------------------------------------------------
# A log-normal distribution has a tail of big dots: the PL shifts red and broadens
# on its red side.  A 1 nm ZnS shell barely moves a CdSe ensemble (type I).
fig, ax = plt.subplots(figsize=(6.5, 4))
for label, ens in (
    ("normal 10 %", Ensemble("CdSe", SizeDistribution.normal(3.5, 10.0))),
    ("log-normal 10 %", Ensemble("CdSe", SizeDistribution.lognormal(3.5, 10.0))),
    ("CdSe/ZnS 1 nm, normal 10 %", Ensemble("CdSe", SizeDistribution.normal(3.5, 10.0),
                                            shells=[("ZnS", 1.0)])),
):
    a = ens.molar_extinction(wl)
    line, = ax.plot(wl, a / a.max(), label=f"{label}: abs")
    pl = ens.emission(wl)
    ax.plot(wl, pl / pl.max(), ls="--", color=line.get_color())
    print(f"{label:28s} first peak {ens.first_peak_nm():.1f} nm, "
          f"PL {ens.emission_peak_nm():.1f} nm, FWHM {ens.emission_fwhm_nm():.1f} nm")
ax.set_xlabel("wavelength (nm)")
ax.set_ylabel("normalised")
ax.set_title("absorption (solid) and PL (dashed), 3.5 nm cores")
ax.legend(fontsize=8)
fig.tight_layout()
