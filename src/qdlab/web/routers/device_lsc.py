"""Luminescent solar concentrator (``POST /api/device/lsc``): the JSON of
``qdlab device lsc --json`` (:func:`qdlab.devices.lsc_report.lsc_report`)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import Field, model_validator

from qdlab.web._common import ERRORS, Services, errors
from qdlab.web.models import MIN_LENGTH_NM, LayerSpec, _Model

__all__ = ["LSC_API_MAX_PHOTONS", "LSCRequest", "do_lsc", "router"]

#: Largest ``photons`` of one request: ~1-7 s of one core (0.3-1.5 million histories
#: per CPU second), inside the default 20 s timeout of the API.
LSC_API_MAX_PHOTONS = 2_000_000

Edge = Literal["pv", "mirror", "air"]


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
        for name, v in zip(("length", "width", "thickness"), self.size_cm, strict=True):
            if not 1e-4 <= v <= 1e4:
                raise ValueError(f"size_cm {name} must be >= 0.0001 and <= 10000 cm, got {v}")
        for t in self.shells_nm:
            if not MIN_LENGTH_NM <= t <= 30.0:
                raise ValueError(f"shells_nm must be >= {MIN_LENGTH_NM} and <= 30 nm, got {t}")
        if len(self.shells_nm) != self.structure.count("/"):
            raise ValueError(f"structure {self.structure!r} has {self.structure.count('/')} "
                             f"shell material(s) but {len(self.shells_nm)} thickness(es) "
                             "were given")
        return self


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
    """``POST /api/device/lsc``."""
    r = APIRouter(tags=["devices"], responses={**ERRORS, **errors(422, 503, 504)})

    @r.post("/api/device/lsc")
    async def device_lsc(req: LSCRequest) -> dict:
        """Optical efficiency, concentration factor, edge photons per absorbed photon and
        the losses (with Monte Carlo standard errors) of a QD solar concentrator."""
        return await svc.call("lsc", svc.lib.do_lsc, req)

    return r
