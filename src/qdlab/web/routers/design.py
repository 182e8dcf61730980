"""Inverse design and screening (``POST /api/design``, ``POST /api/screen``, poll, cancel).

Thin shell over :mod:`qdlab.design`.  A screen started here runs as a background job
(:class:`qdlab.web.jobs.JobManager`, its own pool: one at a time) with the in-process
engine into a server-side scratch directory (``QDLAB_SCREEN_ROOT``, default a
``qdlab-screens`` folder in the temporary directory), removed once the summary and the
best rows are read from it, or when the job is cancelled or fails; clients name no paths
and no scheduler addresses.
Large screens belong to ``qdlab screen`` on a Dask cluster.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from qdlab.web._common import ERRORS, Services, clean, errors
from qdlab.web._compute import ApiError, run_bounded
from qdlab.web.jobs import JobManager, JobRefused

__all__ = ["DESIGN_LIMITS", "DesignRequest", "ScreenRequest", "do_design", "router"]

#: Budgets of the design endpoints.
DESIGN_LIMITS = {"design_timeout_s": 120.0, "design_max_top": 10,
                 "screen_max_candidates": 200_000, "screen_wall_time_s": 600.0,
                 "screen_max_jobs_running": 1, "screen_max_jobs_stored": 8,
                 "screen_best_rows": 20}

Name = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.()\-]+$")]
Stack = Annotated[str, Field(min_length=1, max_length=100,
                             pattern=r"^(none|[A-Za-z0-9_.()\-]+(/[A-Za-z0-9_.()\-]+){0,2})$",
                             description="shell stack core outwards, e.g. ZnSe/ZnS, or none")]
Range = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[0-9.,:eE+\- ]+$",
                             description="START:STOP:STEP nm (stop included) or a list")]
JobId = Annotated[str, PathParam(min_length=1, max_length=64, description="job id")]
Alignment = Annotated[str, Field(pattern=r"^(none|type I|inverse type I|quasi-type II|"
                                         r"type II|delocalised)$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DesignRequest(_Model):
    """A design target and its constraints (as ``qdlab design``)."""

    emission_nm: float | None = Field(None, ge=200.0, le=5000.0, description="target PL peak")
    absorption_nm: float | None = Field(None, ge=200.0, le=5000.0,
                                        description="or: target first-absorption peak")
    max_fwhm_nm: float | None = Field(None, gt=0.0, le=1000.0)
    alignment: list[Alignment] | None = Field(None, min_length=1, max_length=6)
    rohs: bool = False
    no_heavy_metals: bool = False
    min_overlap: float | None = Field(None, ge=0.0, le=1.0)
    max_mismatch_pct: float | None = Field(None, gt=0.0, le=100.0)
    min_shell_monolayers: float | None = Field(None, ge=0.0, le=100.0)
    max_shell_monolayers: float | None = Field(None, ge=0.0, le=100.0)
    window_nm: tuple[float, float] | None = Field(None, description="PL window (low, high)")
    cores: list[Name] | None = Field(None, min_length=1, max_length=16)
    shells: list[Stack] | None = Field(None, min_length=1, max_length=12)
    dispersion_pct: float = Field(5.0, gt=0.0, le=30.0)
    top: int = Field(5, ge=1, le=DESIGN_LIMITS["design_max_top"])

    @model_validator(mode="after")
    def _one_target(self):
        if (self.emission_nm is None) == (self.absorption_nm is None):
            raise ValueError("give exactly one target: emission_nm or absorption_nm")
        return self


class ScreenRequest(_Model):
    """A parameter space to screen (as ``qdlab screen``), computed on this server."""

    materials: list[Name] = Field(..., min_length=1, max_length=16)
    shells: list[Stack] = Field(default_factory=lambda: ["none"], min_length=1, max_length=12)
    core_diameter_nm: Range = Field(..., examples=["2:8:0.1"])
    shell_thickness_nm: Range = Field("1.0", examples=["0.5:3:0.5"])
    dispersion_pct: float = Field(5.0, gt=0.0, le=30.0)
    chunk_size: int = Field(5000, ge=100, le=50_000)
    emission_nm: float | None = Field(None, ge=200.0, le=5000.0,
                                      description="list the rows closest to this PL peak")


def do_design(req: DesignRequest) -> dict:
    """Run :func:`qdlab.design.design` for a request (the JSON of ``qdlab design``)."""
    from qdlab.design.inverse import design
    from qdlab.design.rank import Target
    from qdlab.design.space import parse_shells

    target = Target(emission_nm=req.emission_nm, absorption_nm=req.absorption_nm,
                    max_fwhm_nm=req.max_fwhm_nm,
                    alignment=tuple(req.alignment) if req.alignment else None, rohs=req.rohs,
                    no_heavy_metals=req.no_heavy_metals, min_overlap=req.min_overlap,
                    max_mismatch_pct=req.max_mismatch_pct,
                    min_shell_monolayers=req.min_shell_monolayers,
                    max_shell_monolayers=req.max_shell_monolayers, window_nm=req.window_nm)
    res = design(target, cores=req.cores, top=req.top, dispersion_pct=req.dispersion_pct,
                 shells=parse_shells(req.shells) if req.shells else None)
    return clean(res.to_dict())


def _screen_root() -> Path:
    return Path(os.environ.get("QDLAB_SCREEN_ROOT") or
                Path(tempfile.gettempdir()) / "qdlab-screens")


def _build_space(req: ScreenRequest):
    from qdlab.design.space import ParameterSpace

    space = ParameterSpace.from_spec(req.materials, ",".join(req.shells), req.core_diameter_nm,
                                     req.shell_thickness_nm)
    if len(space) > DESIGN_LIMITS["screen_max_candidates"]:
        raise ApiError(413, f"{len(space)} candidates > {DESIGN_LIMITS['screen_max_candidates']} "
                            "(this server's budget; run `qdlab screen` on a Dask cluster)")
    return space


def _best_rows(out_dir: Path, emission_nm: float | None) -> dict:
    from qdlab.design.query import connect

    n = int(DESIGN_LIMITS["screen_best_rows"])
    cols = ("candidate_id, structure, core_diameter_nm, outer_diameter_nm, first_exciton_nm, "
            "pl_peak_nm, fwhm_nm, overlap, alignment, max_mismatch_pct, rohs_compliant")
    con = connect(out_dir)
    try:
        if emission_nm is None:
            cur = con.execute(f"SELECT {cols} FROM candidates WHERE valid ORDER BY candidate_id "
                              f"LIMIT {n}")
        else:
            cur = con.execute(f"SELECT {cols} FROM candidates WHERE valid ORDER BY "
                              f"abs(pl_peak_nm - ?) LIMIT {n}", [float(emission_nm)])
        names = [d[0] for d in cur.description]
        return {"columns": names, "rows": [list(r) for r in cur.fetchall()]}
    finally:
        con.close()


def router(svc: Services) -> APIRouter:
    """Design and screening."""
    r = APIRouter(tags=["design"], responses=ERRORS)
    jobs = JobManager(DESIGN_LIMITS["screen_max_jobs_running"],
                      DESIGN_LIMITS["screen_max_jobs_stored"],
                      DESIGN_LIMITS["screen_wall_time_s"])

    @r.post("/api/design", responses=errors(422, 503, 504))
    async def design(req: DesignRequest) -> dict:
        """Ranked core/shell designs for a target peak and constraints (``qdlab design``)."""
        result, warns = await run_bounded(svc.limiter, DESIGN_LIMITS["design_timeout_s"],
                                          do_design, req)
        if warns:
            result = {**result, "warnings": warns}
        return result

    @r.post("/api/screen", status_code=202, responses=errors(413, 422, 429, 501))
    async def screen_start(req: ScreenRequest) -> JSONResponse:
        """Start a screen job (poll ``GET /api/screen/{id}``); the result is the summary of
        ``qdlab screen --json`` and the rows closest to ``emission_nm``."""
        try:
            import duckdb  # noqa: F401
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise ApiError(501, f"screening is not available on this server (install the "
                                f"'design' extra): {exc}") from None
        space, _ = await run_bounded(svc.limiter, svc.timeout("default"), _build_space, req)
        root = _screen_root()

        # The Parquet dataset is only the job's scratch space: ``finish`` reads the summary
        # and the best rows out of it, then it is removed (as on cancel or failure); the
        # API never hands out paths, so nothing could read it later.
        def work(progress):
            import uuid

            from qdlab.design.screen import screen

            out = root / uuid.uuid4().hex[:16]
            try:
                res = screen(space, out, chunk_size=req.chunk_size, engine="local",
                             dispersion_pct=req.dispersion_pct, progress=progress)
            except BaseException:
                shutil.rmtree(out, ignore_errors=True)
                raise
            return out, dict(res)

        def finish(raw):
            out, res = raw
            try:
                res.pop("out", None)
                return clean({"summary": res, "best": _best_rows(out, req.emission_nm)})
            finally:
                shutil.rmtree(out, ignore_errors=True)

        try:
            job = jobs.submit(work, finish)
        except JobRefused:
            raise ApiError(429, "a screen job is already running on this server (limit "
                                f"{DESIGN_LIMITS['screen_max_jobs_running']}); wait for it or "
                                "cancel it") from None
        return JSONResponse(job.public(with_result=False), status_code=202,
                            headers={"Location": f"/api/screen/{job.id}"})

    @r.get("/api/screen/{job_id}", responses=errors(404, 422))
    async def screen_status(job_id: JobId) -> dict:
        """Status, progress (0-1) and, when done, the result of a screen job."""
        return jobs.require(job_id, "screen").public()

    @r.delete("/api/screen/{job_id}", responses=errors(404, 422))
    async def screen_cancel(job_id: JobId) -> dict:
        """Cancel a screen job (its scratch dataset on the server is removed)."""
        jobs.require(job_id, "screen")
        return jobs.cancel(job_id).public(with_result=False)

    return r
