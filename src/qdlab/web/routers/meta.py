"""Health, materials and validation (``GET /api/health``, ``/api/materials``, ``/api/validate``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam

import qdlab
from qdlab import QdlabInputError
from qdlab.materials import get_material, list_materials
from qdlab.web._common import ERRORS, Services, clean, errors
from qdlab.web._compute import ApiError
from qdlab.web._optional import features
from qdlab.web.models import LIMITS

__all__ = ["material_summary", "router"]


def material_summary(m) -> dict:
    return {"key": m.key, "name": m.name, "phase": m.phase,
            "band_gap_300K_eV": float(m.band_gap(300.0)), "electron_mass": m.electron_mass,
            "hole_mass": m.hole_mass, "eps_static": m.eps_static,
            "exciton_bohr_radius_nm": m.exciton_bohr_radius_nm,
            "rohs_restricted_elements": list(m.rohs_restricted_elements)}


def router(svc: Services) -> APIRouter:
    """Health, materials and the first-exciton validation table."""
    r = APIRouter(responses=ERRORS)

    @r.get("/api/health", tags=["meta"])
    async def health() -> dict:
        """Status, version, optional features available, and the server's limits."""
        return {"status": "ok", "version": qdlab.__version__, "features": features(),
                "limits": LIMITS}

    @r.get("/api/materials", tags=["materials"], responses=errors(503, 504))
    async def materials() -> list:
        """One summary per material: gap at 300 K (eV), masses (m0), eps, Bohr radius (nm)."""
        return await svc.call("default", lambda: [material_summary(get_material(k))
                                                  for k in list_materials()])

    @r.get("/api/materials/{name}", tags=["materials"], responses=errors(404, 422))
    async def material(name: Annotated[str, PathParam(max_length=64)]) -> dict:
        """Every value of one material with its unit and source (404: unknown material)."""
        try:
            m = get_material(name)
        except QdlabInputError as exc:
            raise ApiError(404, str(exc)) from None
        return clean({"key": m.key, "name": m.name, "phase": m.phase,
                      "values": [{"field": f, "value": v, "unit": u, "source": s}
                                 for f, v, u, s in m.describe()]})

    @r.get("/api/validate", tags=["validation"], responses=errors(503, 504))
    async def validate() -> list:
        """First-exciton model vs published sizing data: RMS and max error per source."""
        from qdlab.validation import validate_first_exciton

        return await svc.call("validate", validate_first_exciton)

    return r
