"""The qdlab REST API and explorer page (FastAPI).  No physics here: library calls only.

Endpoints (JSON; schema at ``/openapi.json``):

========================  ==================================================================
``GET /api/health``       status, version, available features, limits
``GET /api/materials``    summary of every material; ``/api/materials/{name}``: every value
                          with its source
``POST /api/levels``      levels of a sphere / core-shell / shape (``qdlab levels --json``
                          fields; ``include_profiles``: radial wavefunctions, or for shapes
                          on the 3D grid the mid-plane |psi|^2 maps ``wavefunction_slice``;
                          shapes add ``resolution``: grid spacing and cells used)
``POST /api/levels/budget``  grid cells a shape request would use (no solve)
``POST /api/spectrum``    ensemble absorption and PL of a size distribution
``POST /api/size``        diameter and concentration from the first-exciton peak
``POST /api/fit``         multipart upload of a spectrum file -> size, dispersion, conc.
``POST /api/colour``      colour of an emission line / spectrum / ensemble, gamut coverage
``POST /api/synth``       start a synthesis job; ``GET /api/synth/{id}`` polls it,
                          ``GET /api/synth/{id}/events`` streams progress (server-sent
                          events), ``DELETE /api/synth/{id}`` cancels it
``GET /api/recipes``      the shipped example recipes
``POST /api/design``      ranked core/shell designs for a target peak (``qdlab design``)
``POST /api/screen``      start a screen job (``qdlab screen``); ``GET /api/screen/{id}``
                          polls it, ``DELETE /api/screen/{id}`` cancels it
``GET /api/validate``     model vs published first-exciton data
``POST /api/photons/analyse``  multipart upload of a time-tag file -> trace, change points,
                          FLID, lifetime, g2
``POST /api/device/lsc``  luminescent solar concentrator Monte Carlo (efficiency, losses)
                          ``/api/device/lsc/sweep``: efficiency against dot size
``POST /api/device/display``  QD colour-conversion display: white point, primaries, blue
                          leakage, gamut coverage of sRGB / DCI-P3 / Rec2020 (xy, u'v')
``POST /api/device/solar``  detailed-balance limit of a dot film or step absorber
``POST /api/device/gain``  optical gain threshold, gain spectrum, ASE fluence;
                          ``/api/device/safety``: NIR windows, RoHS and toxicity flags
``GET /``                 the explorer page (static files in ``qdlab/web/static``)
========================  ==================================================================

Robustness: only requests whose ``Host`` header names this machine (or a name
allowed with ``qdlab serve --allowed-host`` / ``QDLAB_ALLOWED_HOSTS``) are
answered, others get 400 (no DNS rebinding); request bodies over 10 MB get 413
before they are read, bodies not received within 60 s get 408; pydantic
models bound every array and size; cost budgets (number of spectra, simulated
time, histogram size, grid cells) give 413 before work starts; every library
call has a timeout (504) and a limit on concurrent calls (503); bad input gets
422 with the library's message.  Every error answer is JSON of one documented
schema (``ErrorResponse``): ``detail``, a one-line message, and for requests that
do not match the schema, ``errors``, a list of ``{loc, msg, type}``.
CORS is off (no CORS middleware), the server binds 127.0.0.1 by default, no
endpoint takes a file-system path, uploads are parsed from memory.

The endpoints live in :mod:`qdlab.web.routers` (one module per area); the
``do_*`` library calls they make are looked up in this module at request time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

import qdlab
from qdlab import QdlabInputError
from qdlab.web._common import Services, clean, line_hex
from qdlab.web._compute import Limiter
from qdlab.web._optional import features
from qdlab.web.jobs import JobManager
from qdlab.web.middleware import (
    DEFAULT_ALLOWED_HOSTS,
    BodyLimit,
    HostCheck,
    SecurityHeaders,
    allowed_hosts_from_env,
)
from qdlab.web.models import LIMITS
from qdlab.web.routers import (
    device_display,
    device_gain,
    device_lsc,
    device_solar,
    explorer,
    levels,
    meta,
    photons,
    sizing,
    spectra,
    synthesis,
)
from qdlab.web.routers.device_lsc import do_lsc, do_lsc_sweep
from qdlab.web.routers.explorer import STATIC_DIR
from qdlab.web.routers.levels import build_shape, do_levels, do_shape_levels, shape_budget
from qdlab.web.routers.meta import material_summary
from qdlab.web.routers.photons import do_photons_analyse
from qdlab.web.routers.sizing import do_fit, do_size
from qdlab.web.routers.spectra import do_colour, do_spectrum
from qdlab.web.routers.synthesis import build_recipe, synth_result

__all__ = ["BodyLimit", "allowed_hosts", "build_recipe", "build_shape", "clean", "create_app",
           "do_colour", "do_fit", "do_levels", "do_lsc", "do_lsc_sweep", "do_photons_analyse",
           "do_shape_levels",
           "do_size", "do_spectrum", "features", "line_hex", "material_summary", "shape_budget",
           "synth_result"]


def allowed_hosts(extra: Iterable[str] | None = None) -> list[str]:
    """Host names the server answers: this machine, ``QDLAB_ALLOWED_HOSTS``, and ``extra``."""
    return list(dict.fromkeys([*DEFAULT_ALLOWED_HOSTS, *allowed_hosts_from_env(),
                               *(extra or ())]))


def _allowed_methods(app: FastAPI, scope) -> list[str]:
    """Every method some route of ``app`` answers on the path of ``scope``."""
    return [m for m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
            if any(r.matches({**scope, "method": m})[0] == Match.FULL
                   for r in app.router.routes)]


def _install_error_handlers(app: FastAPI) -> None:
    """Every error answer: JSON ``{"detail": message}`` (422 adds ``errors``)."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail else \
            f"HTTP {exc.status_code}"
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:   # Allow: the methods of every route on this path
            allow = _allowed_methods(app, request.scope)
            headers["Allow"] = ", ".join(allow)
            detail = f"method {request.method} not allowed here; allowed: {', '.join(allow)}"
        return JSONResponse({"detail": detail}, status_code=exc.status_code,
                            headers=headers or None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        errors = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", "")),
                   "type": str(e.get("type", ""))} for e in exc.errors()]
        text = "; ".join(f"{'.'.join(e['loc'][1:] or e['loc'])}: {e['msg']}" for e in errors)
        return JSONResponse({"detail": f"invalid request: {text}" if text else
                             "invalid request", "errors": errors}, status_code=422)

    @app.exception_handler(QdlabInputError)
    async def input_error(request: Request, exc: QdlabInputError):
        return JSONResponse({"detail": str(exc)}, status_code=422)


def create_app(*, compute_slots: int | None = None, timeout_s: dict | None = None,
               synth_wall_time_s: float | None = None,
               allowed_host_names: Iterable[str] | None = None) -> FastAPI:
    """Build the FastAPI application.

    Parameters
    ----------
    compute_slots : int, optional
        Library calls allowed at once (default: number of CPUs, at least 2).
    timeout_s : dict, optional
        Per-endpoint timeouts in s, merged into ``LIMITS["timeout_s"]``.
    synth_wall_time_s : float, optional
        Wall-time limit of one synthesis job, s (default ``LIMITS["synth_wall_time_s"]``).
    allowed_host_names : iterable of str, optional
        More host names answered besides localhost, 127.0.0.1, ::1 and the names in
        ``QDLAB_ALLOWED_HOSTS`` (``"*"``: any, which re-opens DNS rebinding).
    """
    svc = Services(limiter=Limiter(compute_slots or max(2, os.cpu_count() or 2)),
                   timeouts={**LIMITS["timeout_s"], **(timeout_s or {})},
                   jobs=JobManager(LIMITS["synth_max_jobs_running"],
                                   LIMITS["synth_max_jobs_stored"],
                                   synth_wall_time_s or LIMITS["synth_wall_time_s"]),
                   lib=sys.modules[__name__])
    app = FastAPI(title="qdlab", version=qdlab.__version__,
                  description="REST API of qdlab, an open laboratory for colloidal quantum dots. "
                              "Units: nm, eV, K, s, mol/L. Errors: JSON with a 'detail' message "
                              "(schema ErrorResponse).",
                  docs_url=None, redoc_url=None)   # the docs pages load scripts from a CDN
    app.state.jobs = svc.jobs
    app.state.allowed_hosts = allowed_hosts(allowed_host_names)
    # (the last added is the outermost)
    app.add_middleware(BodyLimit, max_bytes=LIMITS["upload_max_bytes"],
                       timeout_s=LIMITS["body_timeout_s"])
    app.add_middleware(HostCheck, allowed_hosts=app.state.allowed_hosts)
    app.add_middleware(SecurityHeaders)
    _install_error_handlers(app)
    for area in (meta, levels, spectra, sizing, synthesis, photons,
                 device_gain, device_solar, device_display, device_lsc):
        app.include_router(area.router(svc))
    app.include_router(explorer.router())
    from qdlab.web.routers import design as design_routes  # inverse design, screens

    app.include_router(design_routes.router(svc))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
