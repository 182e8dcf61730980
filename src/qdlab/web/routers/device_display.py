"""Quantum-dot displays (``POST /api/device/display``): the JSON of ``qdlab device display``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, model_validator

from qdlab.web._common import ERRORS, Services, errors

__all__ = ["DisplayRequest", "do_display", "router"]

#: A dot request: a target peak in nm, MATERIALS@PEAK[:SHELLS] or MATERIALS:CORE[,SHELLS]
#: (:func:`qdlab.devices.dots.parse_dot_spec` checks the numbers).
DotSpecField = Annotated[str, Field(
    min_length=1, max_length=80,
    pattern=r"^[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+){0,4}(@[0-9.]+)?(:[0-9.eE+\-]+(,[0-9.eE+\-]+)*)?$",
    description="target PL peak in nm ('630'), MATERIALS@PEAK[:SHELLS] ('InP/ZnS@630:1.0') "
                "or a structure MATERIALS:CORE[,SHELLS] in nm ('CdSe/ZnS:4.4,1.0')",
    examples=["630", "CdSe/ZnS:4.4,1.0"])]


class DisplayRequest(BaseModel):
    """A colour-conversion display: red and green dots pumped by a blue LED.

    Concentrations: give both (mol/L) or neither (white balanced to D65).
    """

    model_config = ConfigDict(extra="forbid")

    red: DotSpecField
    green: DotSpecField
    fwhm_nm: float | None = Field(None, ge=5.0, le=150.0,
                                  description="target PL FWHM of both dots, nm")
    blue_led_nm: float = Field(450.0, ge=380.0, le=500.0, description="LED peak, nm")
    led_fwhm_nm: float = Field(20.0, ge=2.0, le=60.0, description="LED FWHM, nm")
    rohs: bool = Field(False, description="Cd-free dots (InP) for target peaks")
    quantum_yield: float = Field(0.9, ge=0.0, le=1.0)
    green_concentration_M: float | None = Field(None, ge=0.0, le=1e-2, description="mol/L")
    red_concentration_M: float | None = Field(None, ge=0.0, le=1e-2, description="mol/L")
    thickness_um: float = Field(50.0, ge=1.0, le=1000.0, description="each layer, um")
    layout: Literal["sequential", "mixed"] = "sequential"
    lab_volume: bool = Field(False, description="add the CIELab gamut volume (Monte Carlo)")

    @model_validator(mode="after")
    def _both_or_neither(self):
        if (self.green_concentration_M is None) != (self.red_concentration_M is None):
            raise ValueError("give both green_concentration_M and red_concentration_M, or "
                             "neither (white balanced to D65)")
        return self


def do_display(req: DisplayRequest) -> dict:
    from qdlab.devices.display import colour_conversion_display

    return colour_conversion_display(
        req.red, req.green, fwhm_nm=req.fwhm_nm, led_peak_nm=req.blue_led_nm,
        led_fwhm_nm=req.led_fwhm_nm, rohs=req.rohs, quantum_yield=req.quantum_yield,
        green_concentration_M=req.green_concentration_M,
        red_concentration_M=req.red_concentration_M, thickness_um=req.thickness_um,
        layout=req.layout, lab_volume=req.lab_volume)


def router(svc: Services) -> APIRouter:
    """``POST /api/device/display``."""
    r = APIRouter(tags=["devices"], responses={**ERRORS, **errors(422, 503, 504)})

    @r.post("/api/device/display")
    async def display(req: DisplayRequest) -> dict:
        """White point, primaries, blue leakage and the gamut coverage of sRGB, DCI-P3 and
        Rec2020 (xy and u'v') of a QD colour-conversion film on a blue LED."""
        return await svc.call("display", do_display, req)

    return r
