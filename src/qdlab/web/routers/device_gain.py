"""Lasers and safety flags (``POST /api/device/gain``, ``POST /api/device/safety``)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import Field

from qdlab.web._common import ERRORS, Services, errors
from qdlab.web.models import LayerSpec, _Model

__all__ = ["GainRequest", "SafetyRequest", "do_gain", "do_safety", "router"]


class GainRequest(_Model):
    """Optical-gain threshold, gain spectrum and ASE threshold fluence of an ensemble."""

    material: LayerSpec
    core_diameter_nm: float = Field(ge=1.0, le=20.0, description="(core) diameter, nm")
    shells_nm: list[float] = Field(default_factory=list, max_length=3,
                                   description="shell thicknesses, nm (one per shell material)")
    dispersion_pct: float = Field(5.0, ge=0.0, le=30.0, description="std/mean, %")
    pump_nm: float = Field(400.0, ge=200.0, le=3000.0, description="pump wavelength, nm")
    pulse_fs: float | None = Field(None, ge=1.0, le=1e12, description="pump pulse, fs")
    populations: Literal["poisson", "single"] = "poisson"
    temperature: float = Field(300.0, ge=4.0, le=600.0, description="K")
    n_points: int = Field(301, ge=11, le=2001)


class SafetyRequest(_Model):
    """RoHS mass fractions and flags, toxicity flags and NIR windows of one nanocrystal."""

    material: LayerSpec
    core_diameter_nm: float = Field(ge=0.3, le=100.0, description="(core) diameter, nm")
    shells_nm: list[float] = Field(default_factory=list, max_length=4)
    dot_mass_fraction: float = Field(1.0, ge=0.0, le=1.0)
    emission_nm: float | None = Field(None, ge=200.0, le=3000.0,
                                      description="emission peak, nm (default: model)")


def _check_shells(shells):
    from qdlab.errors import check_range

    for t in shells:
        check_range(t, "shells_nm", 0.1, 20.0, "nm")


def do_gain(req: GainRequest) -> dict:
    from qdlab.devices.gain import laser_gain

    _check_shells(req.shells_nm)
    return laser_gain(req.material, req.core_diameter_nm, req.shells_nm,
                      dispersion_pct=req.dispersion_pct, pump_nm=req.pump_nm,
                      pulse_fs=req.pulse_fs, populations=req.populations,
                      temperature=req.temperature, n_points=req.n_points).to_dict()


def do_safety(req: SafetyRequest) -> dict:
    import qdlab
    from qdlab.devices.safety import safety_report
    from qdlab.structures import parse_layers

    _check_shells(req.shells_nm)
    s = parse_layers(req.material, req.core_diameter_nm, req.shells_nm)
    peak = req.emission_nm if req.emission_nm is not None else \
        float(qdlab.solve(s).first_exciton_nm)
    out = safety_report(s, peak, req.dot_mass_fraction)
    out["emission_peak_source"] = ("given" if req.emission_nm is not None else
                                   "model first exciton (single-band; no Stokes shift)")
    return out


def router(svc: Services) -> APIRouter:
    """``POST /api/device/gain`` and ``POST /api/device/safety``."""
    r = APIRouter(tags=["devices"], responses={**ERRORS, **errors(422, 503, 504)})

    @r.post("/api/device/gain")
    async def gain(req: GainRequest) -> dict:
        """Gain threshold (excitons per dot), gain spectrum, ASE threshold fluence."""
        return await svc.call("fit", do_gain, req)   # ~10-20 s: the 60 s budget

    @r.post("/api/device/safety")
    async def safety(req: SafetyRequest) -> dict:
        """RoHS mass fractions and flags, toxicity flags, NIR-I / NIR-II windows."""
        return await svc.call("default", do_safety, req)

    return r
