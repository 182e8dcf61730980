"""Luminescent solar concentrator (``POST /api/device/lsc``): the JSON of
``qdlab device lsc --json`` (:func:`qdlab.devices.lsc_report.lsc_report`)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import Field, model_validator

from qdlab.web._common import ERRORS, Services, errors
from qdlab.web.models import MIN_LENGTH_NM, LayerSpec, _Model

__all__ = ["LSC_API_MAX_PHOTONS", "LSC_SWEEP_API_MAX_PHOTONS", "LSC_SWEEP_API_MAX_SIZES",
           "LSCRequest", "LSCSweepRequest", "do_lsc", "do_lsc_sweep", "router"]

#: Largest ``photons`` of one request: ~1-7 s of one core (0.3-1.5 million histories
#: per CPU second), inside the default 20 s timeout of the API.
LSC_API_MAX_PHOTONS = 2_000_000

#: A size sweep (``POST /api/device/lsc/sweep``) is bounded to answer in ~2 s: one shared
#: transition table (~1-1.5 s for 12 sizes) and at most 12 x 20 000 photon histories
#: (~0.2 s at ~10^6 histories per second).
LSC_SWEEP_API_MAX_SIZES = 12
LSC_SWEEP_API_MAX_PHOTONS = 20_000

Edge = Literal["pv", "mirror", "air"]


def _check_slab(req) -> None:
    """Bounds shared by the LSC requests: slab size, shell thicknesses, shell count."""
    for name, v in zip(("length", "width", "thickness"), req.size_cm, strict=True):
        if not 1e-4 <= v <= 1e4:
            raise ValueError(f"size_cm {name} must be >= 0.0001 and <= 10000 cm, got {v}")
    for t in req.shells_nm:
        if not MIN_LENGTH_NM <= t <= 30.0:
            raise ValueError(f"shells_nm must be >= {MIN_LENGTH_NM} and <= 30 nm, got {t}")
    if len(req.shells_nm) != req.structure.count("/"):
        raise ValueError(f"structure {req.structure!r} has {req.structure.count('/')} "
                         f"shell material(s) but {len(req.shells_nm)} thickness(es) "
                         "were given")


class LSCRequest(_Model):
    """One LSC slab (cm) filled with an ensemble of spheres or core/shells."""

    structure: LayerSpec
    core_diameter_nm: float = Field(ge=MIN_LENGTH_NM, le=30.0,
                                    description="mean (core) diameter, nm")
    shells_nm: list[float] = Field(default_factory=list, max_length=4,
                                   description="shell thicknesses, nm, one per shell material")
    dispersion_pct: float = Field(5.0, ge=0.5, le=40.0, description="std/mean of the diameter, %")
    distribution: Literal["normal", "lognormal"] = "normal"
    concentration_M: float = Field(gt=0.0, le=1e-2, description="particle concentration, mol/L")
    size_cm: tuple[float, float, float] = Field(
        (5.0, 5.0, 0.5), description="slab L, W, T in cm (each 1e-4 to 1e4)")
    refractive_index: float = Field(1.5, ge=1.0, le=4.0)
    quantum_yield: float = Field(1.0, ge=0.0, le=1.0)
    host_absorption_per_cm: float = Field(0.0, ge=0.0, le=1e6)
    scattering_per_cm: float = Field(0.0, ge=0.0, le=1e6)
    edges: tuple[Edge, Edge, Edge, Edge] = ("pv", "pv", "pv", "pv")
    back_reflector: bool = False
    mirror_reflectivity: float = Field(1.0, ge=0.0, le=1.0)
    excitation_nm: float = Field(400.0, ge=200.0, le=3000.0)
    stokes_shift_eV: float | None = Field(None, ge=0.0, le=1.0)
    photons: int = Field(100_000, ge=1, le=LSC_API_MAX_PHOTONS)
    seed: int | None = Field(None, ge=0, le=2**63 - 1)
    include_spectrum: bool = False

    @model_validator(mode="after")
    def _check(self):
        _check_slab(self)
        return self


class LSCSweepRequest(_Model):
    """Efficiency of one slab against the (core) diameter of the dots."""

    structure: LayerSpec
    core_diameters_nm: list[float] = Field(min_length=1, max_length=LSC_SWEEP_API_MAX_SIZES,
                                           description="mean (core) diameters, nm (0.5-30)")
    shells_nm: list[float] = Field(default_factory=list, max_length=4,
                                   description="shell thicknesses, nm, one per shell material")
    dispersion_pct: float = Field(5.0, ge=0.5, le=40.0, description="std/mean of the diameter, %")
    distribution: Literal["normal", "lognormal"] = "normal"
    concentration_M: float | None = Field(None, gt=0.0, le=1e-2,
                                          description="fixed particle concentration, mol/L")
    absorbance_at_excitation: float | None = Field(
        None, ge=1e-4, le=10.0, description="or a fixed decadic absorbance at excitation_nm")
    size_cm: tuple[float, float, float] = Field(
        (10.0, 10.0, 0.3), description="slab L, W, T in cm (each 1e-4 to 1e4)")
    refractive_index: float = Field(1.5, ge=1.0, le=4.0)
    quantum_yield: float = Field(1.0, ge=0.0, le=1.0)
    host_absorption_per_cm: float = Field(0.0, ge=0.0, le=1e6)
    scattering_per_cm: float = Field(0.0, ge=0.0, le=1e6)
    edges: tuple[Edge, Edge, Edge, Edge] = ("pv", "pv", "pv", "pv")
    excitation_nm: float = Field(400.0, ge=200.0, le=3000.0)
    stokes_shift_eV: float | None = Field(None, ge=0.0, le=1.0)
    photons_per_size: int = Field(10_000, ge=1, le=LSC_SWEEP_API_MAX_PHOTONS)
    seed: int | None = Field(0, ge=0, le=2**62)

    @model_validator(mode="after")
    def _check(self):
        _check_slab(self)
        for d in self.core_diameters_nm:
            if not 0.5 <= d <= 30.0:
                raise ValueError(f"core_diameters_nm must be >= 0.5 and <= 30 nm, got {d}")
        if (self.concentration_M is None) == (self.absorbance_at_excitation is None):
            raise ValueError("give exactly one of concentration_M (mol/L) or "
                             "absorbance_at_excitation")
        return self


def do_lsc_sweep(req: LSCSweepRequest) -> dict:
    from qdlab.devices.lsc_sweep import lsc_size_sweep

    return lsc_size_sweep(
        req.structure, core_diameters_nm=req.core_diameters_nm, shells_nm=req.shells_nm,
        dispersion_pct=req.dispersion_pct, distribution=req.distribution,
        concentration_M=req.concentration_M,
        absorbance_at_excitation=req.absorbance_at_excitation, size_cm=req.size_cm,
        refractive_index=req.refractive_index, quantum_yield=req.quantum_yield,
        host_absorption_per_cm=req.host_absorption_per_cm,
        scattering_per_cm=req.scattering_per_cm, edges=req.edges,
        excitation_nm=req.excitation_nm, stokes_shift_eV=req.stokes_shift_eV,
        n_photons=req.photons_per_size, seed=req.seed).to_dict()


def do_lsc(req: LSCRequest) -> dict:
    from qdlab.devices.lsc_report import lsc_report

    out, _ = lsc_report(
        req.structure, core_diameter_nm=req.core_diameter_nm, shells_nm=req.shells_nm,
        dispersion_pct=req.dispersion_pct, distribution=req.distribution,
        concentration_M=req.concentration_M, size_cm=req.size_cm,
        refractive_index=req.refractive_index, quantum_yield=req.quantum_yield,
        host_absorption_per_cm=req.host_absorption_per_cm,
        scattering_per_cm=req.scattering_per_cm, edges=req.edges,
        back_reflector=req.back_reflector, mirror_reflectivity=req.mirror_reflectivity,
        excitation_nm=req.excitation_nm, stokes_shift_eV=req.stokes_shift_eV,
        n_photons=req.photons, seed=req.seed, include_spectrum=req.include_spectrum,
        max_photons=LSC_API_MAX_PHOTONS)
    return out


def router(svc: Services) -> APIRouter:
    """``POST /api/device/lsc`` and ``POST /api/device/lsc/sweep``."""
    r = APIRouter(tags=["devices"], responses={**ERRORS, **errors(422, 503, 504)})

    @r.post("/api/device/lsc")
    async def device_lsc(req: LSCRequest) -> dict:
        """Optical efficiency, concentration factor, edge photons per absorbed photon and
        the losses (with Monte Carlo standard errors) of a QD solar concentrator."""
        return await svc.call("lsc", svc.lib.do_lsc, req)

    @r.post("/api/device/lsc/sweep")
    async def device_lsc_sweep(req: LSCSweepRequest) -> dict:
        """Optical efficiency (with MC errors), edge photons per absorbed photon and the
        reabsorption indicator of one slab against the dots' (core) diameter: arrays for
        the explorer's "efficiency against size" plot."""
        return await svc.call("lsc", svc.lib.do_lsc_sweep, req)

    return r
