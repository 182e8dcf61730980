"""Solar-cell detailed-balance limit (``POST /api/device/solar``)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, model_validator

from qdlab.web._common import ERRORS, Services, errors, thin
from qdlab.web.models import Material

__all__ = ["SolarRequest", "do_solar", "router"]


class SolarRequest(BaseModel):
    """A step absorber (``step_gap_eV``) or a film of dots (``material`` +
    ``mean_diameter_nm``) under AM1.5G; optional MEG and a step top cell (tandem)."""

    model_config = ConfigDict(extra="forbid")

    material: Material | None = Field(None, description="dot material (with mean_diameter_nm)")
    mean_diameter_nm: float | None = Field(None, ge=1.0, le=30.0, description="nm")
    dispersion_pct: float = Field(5.0, ge=0.5, le=40.0, description="std/mean, %")
    step_gap_eV: float | None = Field(None, ge=0.2, le=4.0, description="step absorber gap, eV")
    thickness_nm: float = Field(500.0, ge=1.0, le=1e5, description="dot film thickness, nm")
    packing_fraction: float = Field(0.35, gt=0.0, le=0.74, description="inorganic volume "
                                                                        "fraction of the film")
    passes: Literal[1, 2] = Field(2, description="light passes (2: back mirror)")
    urbach_meV: float = Field(0.0, ge=0.0, le=200.0, description="Urbach energy, meV")
    meg: Literal["none", "linear", "staircase"] = "none"
    meg_efficiency: float = Field(0.4, gt=0.0, le=1.0, description="eta of meg=linear")
    temperature_K: float = Field(300.0, ge=150.0, le=500.0, description="cell temperature, K")
    ere: float = Field(1.0, gt=0.0, le=1.0, description="external radiative efficiency")
    top_gap_eV: float | None = Field(None, ge=0.5, le=4.0,
                                     description="step top cell of a series tandem, eV")
    n_curve: int = Field(101, ge=11, le=1001, description="points of the J-V curve")

    @model_validator(mode="after")
    def _one_absorber(self):
        dots = self.material is not None or self.mean_diameter_nm is not None
        if self.step_gap_eV is not None and dots:
            raise ValueError("give either step_gap_eV or material + mean_diameter_nm, not both")
        if self.step_gap_eV is None and (self.material is None or self.mean_diameter_nm is None):
            raise ValueError("give step_gap_eV, or material and mean_diameter_nm")
        if self.top_gap_eV is not None and self.meg != "none":
            raise ValueError("the tandem (top_gap_eV) is modelled without MEG (meg='none')")
        return self


def do_solar(req: SolarRequest) -> dict:
    from qdlab.devices.solar import dot_cell, step_cell, tandem_limit

    common = {"meg": req.meg, "meg_efficiency": req.meg_efficiency,
              "temperature_K": req.temperature_K, "ere": req.ere, "n_curve": req.n_curve}
    if req.step_gap_eV is not None:
        out = step_cell(req.step_gap_eV, urbach_eV=req.urbach_meV / 1000.0, **common)
    else:
        from qdlab.optics.ensemble import Ensemble, SizeDistribution

        ens = Ensemble(req.material, SizeDistribution.normal(req.mean_diameter_nm,
                                                             req.dispersion_pct))
        out = dot_cell(ens, thickness_nm=req.thickness_nm,
                       packing_fraction=req.packing_fraction, passes=req.passes,
                       urbach_eV=req.urbach_meV / 1000.0, **common)
    res = out.pop("result")
    absorb = out.pop("absorptance")
    out["jv_curve"] = res.to_dict()["jv_curve"]
    idx = thin(absorb["energy_eV"].size, 400)
    out["absorptance"] = {k: v[idx] for k, v in absorb.items()}
    if req.top_gap_eV is not None:
        from qdlab.devices.solar.absorbers import step_absorptance
        from qdlab.devices.solar.spectrum import am15g

        sun = am15g()
        tan = tandem_limit(step_absorptance(sun.energy_eV, req.top_gap_eV, step_eV=sun.step_eV),
                           absorb["absorptance"], sun=sun, temperature_K=req.temperature_K,
                           ere=req.ere)
        out = {**tan.to_dict(), "top_gap_eV": req.top_gap_eV, "bottom_cell": out}
    return out


def router(svc: Services) -> APIRouter:
    """``POST /api/device/solar``."""
    r = APIRouter(tags=["devices"], responses={**ERRORS, **errors(422, 503, 504)})

    @r.post("/api/device/solar")
    async def solar(req: SolarRequest) -> dict:
        """Detailed-balance efficiency limit, Voc, Jsc, FF and J-V curve under AM1.5G."""
        return await svc.call("spectrum", do_solar, req)

    return r
