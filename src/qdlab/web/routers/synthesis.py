"""Synthesis jobs (``/api/recipes``, ``POST /api/synth``, poll, events, cancel)."""

from __future__ import annotations

import asyncio
import json
import warnings
from typing import Annotated

import numpy as np
from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, StreamingResponse

from qdlab import QdlabInputError
from qdlab.web import _optional as opt
from qdlab.web._common import ERRORS, Services, clean, errors, line_hex, not_available, thin
from qdlab.web._compute import ApiError, run_bounded
from qdlab.web.jobs import JobRefused
from qdlab.web.models import LIMITS, SynthRequest

__all__ = ["build_recipe", "router", "synth_result"]

JobId = Annotated[str, PathParam(min_length=1, max_length=64, description="job id")]


def _check_runnable(recipe) -> None:
    """Everything the run needs that the recipe's own schema does not check: the
    material (molar volume), the nucleation model."""
    from qdlab.synthesis import NUCLEATION_MODELS, resolve_molar_volume

    resolve_molar_volume(recipe)   # QdlabInputError naming an unknown material
    model = recipe.nucleation.model
    if model not in NUCLEATION_MODELS:
        raise QdlabInputError(f"nucleation.model must be one of {sorted(NUCLEATION_MODELS)}, "
                              f"got {model!r}")


def build_recipe(req: SynthRequest):
    """The recipe of a request, validated whole and checked against the budget (no run)."""
    if opt.run_recipe is None:
        raise not_available("synthesis", "qdlab.synthesis")
    if req.recipe is not None:
        recipe = opt.Recipe.from_dict(req.recipe)
    else:
        recipe = opt.example_recipe(req.example or "cdse")
    changes = dict(req.overrides)
    if req.duration_s is not None:
        changes["duration_s"] = req.duration_s
    if changes:
        recipe = recipe.with_updates(**changes)
    _check_runnable(recipe)
    # cost budget, before any work
    num = recipe.numerics
    problems = []
    if recipe.duration_s > LIMITS["synth_max_duration_s"]:
        problems.append(f"duration_s = {recipe.duration_s:g} s > "
                        f"{LIMITS['synth_max_duration_s']:g} s")
    if num.max_steps > LIMITS["synth_max_steps"]:
        problems.append(f"numerics.max_steps = {num.max_steps} > {LIMITS['synth_max_steps']}")
    if num.max_classes > LIMITS["synth_max_classes"]:
        problems.append(f"numerics.max_classes = {num.max_classes} > "
                        f"{LIMITS['synth_max_classes']}")
    cells = num.n_snapshots * num.histogram_bins
    if cells > LIMITS["synth_max_histogram_cells"]:
        problems.append(f"numerics.n_snapshots x histogram_bins = {cells} > "
                        f"{LIMITS['synth_max_histogram_cells']}")
    if problems:
        raise ApiError(413, "synthesis over this server's budget: " + "; ".join(problems))
    return recipe


def synth_result(traj, material: str) -> dict:
    """JSON result of a finished run: series, snapshots and their first-exciton peak
    (:func:`qdlab.optics.evolution.first_exciton_peak_during_synthesis`)."""
    from qdlab.optics.evolution import first_exciton_peak_during_synthesis

    idx = thin(len(traj.time_s), 400)
    series = {k: np.asarray(getattr(traj, k))[idx] for k in (
        "time_s", "temperature_K", "mean_diameter_nm", "rsd_pct", "supersaturation",
        "yield_pct", "particle_conc_mol_L")}
    snap_t = np.asarray(traj.snapshot_time_s, dtype=float)
    d_snap = np.interp(snap_t, traj.time_s, np.nan_to_num(traj.mean_diameter_nm))
    try:
        peak_nm = first_exciton_peak_during_synthesis(traj, material)
    except QdlabInputError as exc:   # e.g. no optical model for this material
        warnings.warn(f"no first-exciton peak: {exc}", UserWarning, stacklevel=2)
        peak_nm = np.full(snap_t.shape, np.nan)
    return {"summary": traj.final_summary(), "material": material,
            "recipe_name": traj.recipe_name, "series": series,
            "snapshots": {"time_s": snap_t, "diameter_nm": traj.diameter_centres_nm,
                          "number_mol_L": traj.histograms_mol_L,
                          "mean_diameter_nm": d_snap, "first_exciton_nm": peak_nm,
                          "colour_hex": [line_hex(x) for x in peak_nm]}}


def router(svc: Services) -> APIRouter:
    """Recipes and synthesis jobs."""
    r = APIRouter(tags=["synthesis"], responses=ERRORS)
    jobs = svc.jobs

    @r.get("/api/recipes", responses=errors(501))
    async def recipes() -> dict:
        """The shipped example synthesis recipes (as JSON)."""
        if opt.run_recipe is None:
            raise not_available("synthesis", "qdlab.synthesis")
        return clean({name: opt.example_recipe(name).model_dump(mode="json")
                      for name in opt.list_examples()})

    @r.post("/api/synth", status_code=202, responses=errors(422, 429, 501, 503, 504))
    async def synth(req: SynthRequest, request: Request) -> JSONResponse:
        """Start a synthesis job; poll ``GET /api/synth/{id}`` or stream ``.../events``.

        The whole recipe is validated first (schema, material, nucleation model,
        this server's budget): a recipe that cannot run gets 422 or 413, not a job.
        """
        recipe, _ = await run_bounded(svc.limiter, svc.timeout("default"),
                                      svc.lib.build_recipe, req)
        try:
            job = jobs.submit(lambda progress: opt.run_recipe(recipe, progress=progress),
                              lambda traj: clean(svc.lib.synth_result(traj, recipe.material)))
        except JobRefused as exc:
            raise ApiError(429, str(exc)) from None
        return JSONResponse(job.public(with_result=False), status_code=202,
                            headers={"Location": f"/api/synth/{job.id}"})

    @r.get("/api/synth/{job_id}", responses=errors(404, 422))
    async def synth_status(job_id: JobId) -> dict:
        """Status, progress (0-1) and, when done, the result of a synthesis job."""
        return jobs.require(job_id, "synthesis").public()

    @r.delete("/api/synth/{job_id}", responses=errors(404, 422))
    async def synth_cancel(job_id: JobId) -> dict:
        """Cancel a running synthesis job."""
        jobs.require(job_id, "synthesis")
        return jobs.cancel(job_id).public(with_result=False)

    @r.get("/api/synth/{job_id}/events", responses={
        **errors(404, 422), 200: {"content": {"text/event-stream": {}}}})
    async def synth_events(job_id: JobId):
        """Server-sent events: ``progress`` while running, then one ``end`` with the result."""
        job = jobs.require(job_id, "synthesis")

        async def stream():
            loop = asyncio.get_running_loop()
            stop = loop.time() + jobs.wall_time_s + 30.0
            last = None
            while True:
                state = job.public(with_result=False)
                if state != last:
                    yield f"event: progress\ndata: {json.dumps(state)}\n\n"
                    last = state
                if job.finished is not None or loop.time() > stop:
                    yield f"event: end\ndata: {json.dumps(clean(job.public()))}\n\n"
                    return
                await asyncio.sleep(0.2)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache"})

    return r
