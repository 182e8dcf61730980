"""Synthetic exports of real instrument families, built from the forward model (test helper).

* :func:`ocean_like`: Ocean Optics SpectraSuite full-range absorbance export of a CCD
  spectrometer (3648 pixels, 346-1047 nm on a quadratic pixel-wavelength calibration),
  with the negative baseline at the UV edge (-0.4), noise growing towards both ends
  (weak lamp / low detector response), and a lamp/detector artefact at 930 nm that is
  identical in every file of a series.
* :func:`jasco_like`: JASCO V-series CSV (``XYDATA`` block, 0.5 nm step) of a
  concentrated aliquot: absorbance above 3 below ~420 nm, stray light caps the reading
  (A_meas = -log10((10^-A + s)/(1 + s))), photometric noise grows as 10^A, optionally a
  flat top where the instrument clips.

The true diameter of every synthetic sample is known, so a test can tell a right size
from a silently wrong one.
"""

from __future__ import annotations

import numpy as np

from qdlab.optics.ensemble import Ensemble, SizeDistribution

OCEAN_HEADER = """SpectraSuite Data File
++++++++++++++++++++++++++++++++++++
Date: Mon Mar 02 14:{mm:02d}:10 CET 2015
User: lab
Dark Spectrum Present: Yes
Reference Spectrum Present: Yes
Number of Sampled Component Spectra: 1
Spectrometers: USB4F08888
Integration Time (usec): 100000 (USB4F08888)
Spectra Averaged: 10 (USB4F08888)
Boxcar Smoothing: 0 (USB4F08888)
Correct for Electrical Dark: Yes (USB4F08888)
Strobe/Lamp Enabled: No (USB4F08888)
Correct for Detector Non-linearity: No (USB4F08888)
Correct for Stray Light: No (USB4F08888)
Number of Pixels in Processed Spectrum: 3648
>>>>>Begin Processed Spectral Data<<<<<
"""


def ocean_wavelengths():
    """3648 pixel wavelengths, 346-1047 nm (quadratic calibration), nm."""
    p = np.arange(3648.0)
    b = -4.0e-6
    a = (1047.0 - 346.0 - b * 3647.0**2) / 3647.0
    return 346.0 + a * p + b * p * p


def ocean_like(d, seed, *, disp=8.0, peak_abs=0.5, artefact=True):
    """(wavelength_nm, absorbance) of an Ocean-Optics-like export of CdSe dots (d in nm)."""
    wl = ocean_wavelengths()
    ens = Ensemble("CdSe", SizeDistribution.normal(d, disp))
    conc = peak_abs / ens.first_peak_extinction()
    a = ens.absorbance(wl, conc) + 0.01 + 0.01 * (wl / 500.0) ** -4
    a += -0.4 * np.exp(-(wl - 346.0) / 12.0)
    if artefact:  # lamp line / etalon residue, the same in every file
        a += 0.06 * np.exp(-0.5 * ((wl - 930.0) / 6.0) ** 2) \
            - 0.03 * np.exp(-0.5 * ((wl - 948.0) / 8.0) ** 2)
    rng = np.random.default_rng(seed)
    sig = 0.0015 + 0.02 * np.exp(-(wl - 346.0) / 20.0) + 0.004 * ((wl - 346.0) / 701.0) ** 4
    return wl, a + rng.normal(0.0, 1.0, wl.size) * sig


def write_ocean(path, wl, a, minute=0):
    with open(path, "w") as fh:
        fh.write(OCEAN_HEADER.format(mm=minute % 60))
        for x, y in zip(wl, a, strict=True):
            fh.write(f"{x:.2f}\t{y:.4f}\n")
        fh.write(">>>>>End Processed Spectral Data<<<<<\n")
    return path


def jasco_like(d, seed, *, disp=14.0, a420=3.3, stray=4e-4, clip=None, scatter=0.25,
               fines=0.6, rise=1.0):
    """(wavelength_nm, absorbance) of a JASCO-like export of a concentrated aliquot.

    The stray-light fraction grows to the UV as the lamp output falls,
    s(lambda) = stray exp((420 - lambda)/35 nm), so the reading of an opaque sample goes
    through a false maximum near 360-380 nm.  An early, turbid aliquot: Rayleigh-like
    scattering ``scatter`` (lambda/500 nm)^-4 and a broad, skewed population (sizes
    0.8, 0.9, 1.0 and 1.1 d with weights ``fines``, 1, 1, 0.5) blur the first exciton
    into a shoulder (band-edge scale s = 0.45, the value measured on real CdSe spectra by
    qdlab.sizing.fit); the first-exciton peak of the mixture is that of about 0.95-1.0 d.
    """
    wl = np.arange(300.0, 800.01, 0.5)
    eps = np.zeros(wl.size)
    for f, w in ((0.8, fines), (0.9, 1.0), (1.0, 1.0), (1.1, 0.5)):
        eps += w * Ensemble("CdSe", SizeDistribution.normal(f * d, disp),
                        oscillator_scale=0.45).molar_extinction(wl)
    # unresolved higher transitions of the broad mixture: a steep rise to the blue
    eps += rise * float(np.interp(420.0, wl, eps)) * np.exp(-(wl - 420.0) / 45.0)
    conc = a420 / float(np.interp(420.0, wl, eps))
    a_true = eps * conc + scatter * (wl / 500.0) ** -4 + 0.005
    s = stray * np.exp((420.0 - wl) / 35.0)
    meas = -np.log10((10.0 ** -a_true + s) / (1.0 + s))
    rng = np.random.default_rng(seed)
    sig = 3e-4 + 2e-5 * 10.0 ** meas
    meas = meas + rng.normal(0.0, 1.0, wl.size) * sig
    if clip is not None:
        meas = np.minimum(meas, clip)
    return wl, meas


def write_jasco(path, wl, a):
    o = np.argsort(wl)[::-1]  # JASCO scans from the red
    head = ["TITLE,", "DATA TYPE,", "ORIGIN,JASCO", "OWNER,", "DATE,15/03/02", "TIME,14:05:10",
            "SPECTROMETER/DATA SYSTEM,JASCO Corp., V-670, Rev. 1.00", "RESOLUTION,",
            "DELTAX,-0.5", "XUNITS,NANOMETERS", "YUNITS,ABSORBANCE", f"FIRSTX,{wl[o][0]:g}",
            f"LASTX,{wl[o][-1]:g}", f"NPOINTS,{wl.size}", "XYDATA"]
    with open(path, "w") as fh:
        fh.write("\n".join(head) + "\n")
        for x, y in zip(wl[o], a[o], strict=True):
            fh.write(f"{x:g},{y:.5f}\n")
    return path
