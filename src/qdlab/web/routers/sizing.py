"""Sizing from a peak and fits of uploaded spectra (``POST /api/size``, ``POST /api/fit``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from qdlab import QdlabInputError
from qdlab.web import _optional as opt
from qdlab.web._common import ERRORS, Services, errors, not_available, thin
from qdlab.web._compute import ApiError
from qdlab.web.models import LIMITS, SizeRequest

__all__ = ["do_fit", "do_size", "router"]


def do_size(req: SizeRequest) -> dict:
    from qdlab.sizing.report import size_report

    return size_report(req.material, req.peak_nm, absorbance=req.absorbance,
                       path_cm=req.path_cm)


def do_fit(data: bytes, material: str, path_cm: float, column: str | None) -> dict:
    from qdlab.optics.spectrum_io import read_spectra

    # as the CLI reads: %T / T columns are converted to absorbance
    specs = read_spectra(data, max_bytes=LIMITS["upload_max_bytes"], kind="absorption")
    specs = [s for s in specs if s.kind == "absorbance"]
    if not specs:
        raise QdlabInputError("the file holds no absorbance (or %T) spectrum")
    if column:
        col = column.strip()
        chosen = [s for s in specs if s.label.strip() == col]
        if not chosen and col.isdigit() and 1 <= int(col) <= len(specs):
            chosen = [specs[int(col) - 1]]
        if not chosen:
            raise QdlabInputError(f"column {column!r} not found; the file has: "
                                  + ", ".join(s.label.strip() for s in specs[:40]))
        specs = chosen
    if len(specs) > LIMITS["fit_max_spectra"]:
        raise ApiError(413, f"the file holds {len(specs)} spectra, more than the "
                            f"{LIMITS['fit_max_spectra']} fitted per request; choose one with "
                            "'column' or split the file")
    longest = max(len(s) for s in specs)
    if longest > LIMITS["fit_max_points"]:
        raise ApiError(413, f"a spectrum has {longest} points, more than the "
                            f"{LIMITS['fit_max_points']} allowed; resample it")
    results = []
    for s, r in zip(specs, opt.fit_spectra(specs, material, path_cm), strict=True):
        if isinstance(r, dict):   # not fitted: {"label", "error"}
            results.append({"label": s.label.strip(), "error": r.get("error")})
            continue
        d = r.to_dict()
        d["label"] = s.label.strip()
        feat = d.get("feature") or {}
        # the verdict's evidence at the top level: feature taken, its rival, masked ranges
        d["chosen"] = feat.get("chosen")
        d["competing"] = feat.get("competing")
        d["masked"] = feat.get("masked", [])
        idx = thin(len(r.wavelength_nm), 400)
        d["plot"] = {"wavelength_nm": r.wavelength_nm[idx], "absorbance": r.absorbance[idx],
                     "model_absorbance": r.model_absorbance[idx]}
        results.append(d)
    return {"material": material, "path_cm": path_cm, "n_spectra": len(results),
            "results": results}


def router(svc: Services) -> APIRouter:
    """``POST /api/size`` and ``POST /api/fit``."""
    r = APIRouter(tags=["sizing"], responses={**ERRORS, **errors(422, 503, 504)})

    @r.post("/api/size")
    async def size(req: SizeRequest) -> dict:
        """Diameter (nm), extinction and concentration (mol/L) from the first-exciton peak.

        The published curves and the model each cover a material-dependent peak
        range; a peak outside every one of them gets 422 naming the range.
        """
        return await svc.call("default", svc.lib.do_size, req)

    @r.post("/api/fit", responses=errors(501))
    async def fit(file: Annotated[UploadFile, File(description="spectrum file (CSV, TSV, "
                                                               "vendor text), at most 10 MB")],
                  material: Annotated[str, Form(min_length=1, max_length=64)] = "CdSe",
                  path_cm: Annotated[float, Form(ge=1e-4, le=100.0)] = 1.0,
                  column: Annotated[str | None, Form(max_length=200)] = None) -> dict:
        """Fit an uploaded absorbance spectrum: peak, diameter, dispersion, concentration.

        Every absorbance column is fitted (at most 24) unless ``column`` names one
        (header label or 1-based index).  The file is parsed in memory.
        """
        if opt.fit_spectra is None:
            raise not_available("spectrum fitting", "qdlab.sizing.fit")
        data = await file.read(LIMITS["upload_max_bytes"] + 1)
        await file.close()
        if len(data) > LIMITS["upload_max_bytes"]:
            raise ApiError(413, f"file larger than {LIMITS['upload_max_bytes']} bytes")
        if not data.strip():
            raise ApiError(422, "the uploaded file is empty")
        return await svc.call("fit", svc.lib.do_fit, data, material, path_cm, column)

    return r
