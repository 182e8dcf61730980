"""Ensemble spectra and colour (``POST /api/spectrum``, ``POST /api/colour``)."""

from __future__ import annotations

import numpy as np
from fastapi import APIRouter

from qdlab.optics.colour import emission_colour, gamut_coverage, gaussian_line
from qdlab.web import _optional as opt
from qdlab.web._common import ERRORS, Services, errors, nonnegative, not_available
from qdlab.web.models import ColourRequest, SpectrumRequest

__all__ = ["do_colour", "do_spectrum", "router"]


def do_spectrum(req: SpectrumRequest) -> dict:
    if opt.Ensemble is None:
        raise not_available("ensemble spectra", "qdlab.optics.ensemble")
    dist = opt.SizeDistribution
    make = dist.normal if req.distribution == "normal" else dist.lognormal
    ens = opt.Ensemble(req.material, make(req.mean_diameter_nm, req.dispersion_pct),
                       shells=[(s.material, s.thickness_nm) for s in req.shells],
                       temperature=req.temperature, quantum_yield=req.quantum_yield,
                       stokes_shift_eV=req.stokes_shift_eV)
    wl = np.linspace(req.wavelength_min_nm, req.wavelength_max_nm, req.n_points)
    table = ens.spectrum_table(wl, req.concentration_M, req.path_cm)
    pl_peak = ens.emission_peak_nm()
    colour = None
    if 380.0 <= pl_peak <= 780.0:
        lam = np.arange(360.0, 830.5, 1.0)
        colour = emission_colour(lam, nonnegative(ens.emission(lam))).to_dict()
    return {"material": req.material, "wavelength_nm": wl,
            "molar_extinction_M-1cm-1": table["molar_extinction_M-1cm-1"],
            "emission_per_nm": table["emission_per_nm"],
            "absorbance": table.get("absorbance"),
            "first_peak_nm": ens.first_peak_nm(),
            "first_peak_extinction_M-1cm-1": ens.first_peak_extinction(),
            "emission_peak_nm": pl_peak, "emission_fwhm_nm": ens.emission_fwhm_nm(),
            "emission_colour": colour}


def do_colour(req: ColourRequest) -> dict:
    extra: dict = {}
    if req.centre_nm is not None:
        res = emission_colour(*gaussian_line(req.centre_nm, req.fwhm_nm))
        extra = {"emission_peak_nm": req.centre_nm, "emission_fwhm_nm": req.fwhm_nm}
    elif req.wavelength_nm is not None:
        res = emission_colour(np.asarray(req.wavelength_nm, dtype=float),
                              np.asarray(req.intensity, dtype=float))
    else:
        if opt.Ensemble is None:
            raise not_available("ensemble emission", "qdlab.optics.ensemble")
        ens = opt.Ensemble(req.material, opt.SizeDistribution.normal(req.mean_diameter_nm,
                                                                     req.dispersion_pct))
        lam = np.arange(360.0, 830.5, 1.0)
        res = emission_colour(lam, nonnegative(ens.emission(lam)))
        extra = {"emission_peak_nm": ens.emission_peak_nm(),
                 "emission_fwhm_nm": ens.emission_fwhm_nm()}
    out = {**res.to_dict(), **extra}
    if req.primaries:
        out["gamut"] = gamut_coverage([gaussian_line(p.centre_nm, p.fwhm_nm)
                                       for p in req.primaries])
    return out


def router(svc: Services) -> APIRouter:
    """``POST /api/spectrum`` and ``POST /api/colour``."""
    r = APIRouter(tags=["optics"], responses={**ERRORS, **errors(422, 501, 503, 504)})

    @r.post("/api/spectrum")
    async def spectrum(req: SpectrumRequest) -> dict:
        """Absorption (molar extinction, M^-1 cm^-1) and PL (per nm) of an ensemble."""
        if opt.Ensemble is None:
            raise not_available("ensemble spectra", "qdlab.optics.ensemble")
        return await svc.call("spectrum", svc.lib.do_spectrum, req)

    @r.post("/api/colour")
    async def colour(req: ColourRequest) -> dict:
        """CIE xy, u'v', sRGB, dominant wavelength and purity; gamut coverage of primaries."""
        return await svc.call("default", svc.lib.do_colour, req)

    return r
