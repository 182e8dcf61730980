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
``GET /api/validate``     model vs published first-exciton data
``GET /``                 the explorer page (static files in ``qdlab/web/static``)
========================  ==================================================================

Robustness: request bodies over 10 MB get 413 before they are read; pydantic
models bound every array and size; cost budgets (number of spectra, simulated
time, histogram size, grid cells) give 413 before work starts; every library
call has a timeout (504) and a limit on concurrent calls (503); bad input gets
422 with the library's message.  CORS is off (no CORS middleware), the server
binds 127.0.0.1 by default, no endpoint takes a file-system path, uploads are
parsed from memory.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
from importlib import resources
from pathlib import Path
from typing import Annotated

import numpy as np
from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

import qdlab
from qdlab._validation import QdlabInputError
from qdlab.materials import get_material, list_materials
from qdlab.optics.colour import emission_colour, gamut_coverage, gaussian_line
from qdlab.structures import Medium, Sphere, parse_layers
from qdlab.web._compute import ApiError, Limiter, grid_budget, mid_plane_slice, run_bounded
from qdlab.web.jobs import JobManager, JobRefused
from qdlab.web.models import (
    LIMITS,
    ColourRequest,
    LevelsRequest,
    SizeRequest,
    SpectrumRequest,
    SynthRequest,
)

# ------------------------------------------------------------------ optional parts
# Parts of the library that may not exist yet: their endpoints answer 501.
try:
    from qdlab.optics.ensemble import Ensemble, SizeDistribution
except ImportError:  # pragma: no cover - depends on the library version
    Ensemble = SizeDistribution = None
try:
    from qdlab.optics.fit import fit_spectra
except ImportError:  # pragma: no cover
    fit_spectra = None
try:
    from qdlab.synthesis import Recipe, example_recipe, list_examples, run_recipe
except ImportError:  # pragma: no cover
    Recipe = example_recipe = list_examples = run_recipe = None
try:
    from qdlab.structures import shapes as _shapes
except ImportError:  # pragma: no cover
    _shapes = None
try:   # one levels report for the CLI and the API (shapes, platelets, dimers)
    from qdlab.electronic.report import levels_report
except ImportError:  # pragma: no cover
    levels_report = None
try:
    from qdlab.electronic.grid import GridConvergenceError
except ImportError:  # pragma: no cover
    class GridConvergenceError(Exception):   # never raised
        pass

__all__ = ["create_app"]

JobId = Annotated[str, PathParam(min_length=1, max_length=64, description="job id")]
STATIC_DIR = Path(str(resources.files("qdlab.web").joinpath("static")))
_DEFAULT_MEDIUM = (2.25, 4.0, 4.0)
_LINE_FWHM_NM = 30.0   # swatch colour: Gaussian line at the first exciton (as `qdlab levels`)


def features() -> dict:
    """Which optional parts of the library this server can use."""
    return {"spectrum": Ensemble is not None, "fit": fit_spectra is not None,
            "synthesis": run_recipe is not None, "shapes": _shapes is not None}


# ------------------------------------------------------------------ helpers
def clean(obj):
    """JSON-ready copy: numpy -> Python, NaN/inf -> None, tuples -> lists."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return clean(obj.tolist())
    if isinstance(obj, np.generic):
        return clean(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def _not_available(what: str, module: str) -> ApiError:
    return ApiError(501, f"{what} is not available in this qdlab version ({module} is "
                         "missing)")


def _thin(n: int, most: int) -> np.ndarray:
    """Indices of at most ``most`` evenly spread points out of ``n`` (first and last kept)."""
    if n <= most:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, most).round().astype(int))


def line_hex(wavelength_nm: float | None) -> str | None:
    """sRGB hex of a 30 nm FWHM Gaussian line (the swatch of ``qdlab levels``)."""
    if wavelength_nm is None or not math.isfinite(wavelength_nm) \
            or not 380.0 <= wavelength_nm <= 780.0:
        return None
    return emission_colour(*gaussian_line(wavelength_nm, _LINE_FWHM_NM)).srgb_hex


def _nonnegative(intensity):
    """Round-off negatives (~1e-17) of a computed spectrum to 0 (emission_colour rejects them)."""
    return np.clip(np.asarray(intensity, dtype=float), 0.0, None)


def _medium(m) -> Medium:
    vals = (m.dielectric_constant, m.electron_barrier_eV, m.hole_barrier_eV)
    return Medium(dielectric_constant=vals[0], electron_barrier_eV=vals[1],
                  hole_barrier_eV=vals[2],
                  name="organic ligands" if vals == _DEFAULT_MEDIUM else "user")


def material_summary(m) -> dict:
    return {"key": m.key, "name": m.name, "phase": m.phase,
            "band_gap_300K_eV": float(m.band_gap(300.0)), "electron_mass": m.electron_mass,
            "hole_mass": m.hole_mass, "eps_static": m.eps_static,
            "exciton_bohr_radius_nm": m.exciton_bohr_radius_nm,
            "rohs_restricted_elements": list(m.rohs_restricted_elements)}


# ------------------------------------------------------------------ library calls
def do_levels(req: LevelsRequest) -> dict:
    medium = _medium(req.medium)
    if req.shape is not None:
        return do_shape_levels(req, medium)
    d = req.diameter if req.diameter is not None else req.core_diameter
    if req.diameter is not None and req.shells:
        raise QdlabInputError("shells need core_diameter (nm) instead of diameter")
    structure = parse_layers(req.material, d, req.shells, medium=medium,
                             temperature=req.temperature)
    states = qdlab.solve(structure, l_max=req.l_max, n_states=req.n_states,
                         nonparabolic=req.nonparabolic, screening=req.screening)
    out = states.to_dict()
    out["colour_hex"] = line_hex(states.first_exciton_nm)
    if req.include_profiles:
        idx = _thin(len(states.r_nm), 201)
        t = structure.temperature
        out["profiles"] = {
            "r_nm": states.r_nm[idx],
            "electron_wavefunction": states.electron_wavefunction[idx],
            "hole_wavefunction": states.hole_wavefunction[idx],
            "layers": [{"material": m.key, "outer_radius_nm": r,
                        "conduction_band_edge_eV": float(m.conduction_band_edge(t)),
                        "valence_band_edge_eV": float(m.valence_band_edge(t))}
                       for m, r in zip(structure.materials, structure.radii_nm, strict=True)],
        }
    return out


_GRID_KINDS = ("rod", "cube", "tetrapod", "dot-in-rod", "dimer")   # solved on the 3D grid


def _materials(material: str, kind: str) -> list[str]:
    """The materials of a shape: one, or ``core/outer`` where the shape has two."""
    names = material.split("/")
    if kind == "dot-in-rod" and len(names) != 2:
        raise QdlabInputError(f"a dot-in-rod takes core/rod materials, e.g. CdSe/CdS, got "
                              f"{material!r}")
    if kind == "tetrapod" and len(names) > 2:
        raise QdlabInputError(f"a tetrapod takes one material or core/arms, e.g. "
                              f"CdSe-zb/CdSe-wz, got {material!r}")
    if kind not in ("dot-in-rod", "tetrapod") and len(names) != 1:
        raise QdlabInputError(f"a {kind} takes a single material, got {material!r}")
    return names


def build_shape(req: LevelsRequest, medium: Medium | None = None):
    """The library structure of a shape request (construction only, no physics)."""
    if _shapes is None:
        raise _not_available("shapes", "qdlab.structures.shapes")
    sh, t = req.shape, req.temperature
    medium = _medium(req.medium) if medium is None else medium
    names = _materials(req.material, sh.kind)
    if sh.kind == "rod":
        return _shapes.Rod(names[0], sh.length_nm, sh.diameter_nm, medium=medium, temperature=t)
    if sh.kind == "platelet":
        return _shapes.Platelet(names[0], sh.monolayers, sh.lateral_size_nm, medium=medium,
                                temperature=t)
    if sh.kind == "cube":
        return _shapes.Cube(names[0], sh.edge_nm, medium=medium, temperature=t)
    if sh.kind == "tetrapod":
        return _shapes.Tetrapod(names[0], sh.core_diameter_nm, sh.arm_length_nm,
                                sh.arm_diameter_nm, arm_material=names[-1], medium=medium,
                                temperature=t)
    if sh.kind == "dot-in-rod":
        return _shapes.DotInRod(names[0], sh.core_diameter_nm, names[1], sh.length_nm,
                                sh.diameter_nm, core_position=sh.core_position_nm or 0.0,
                                medium=medium, temperature=t)
    # dimer: two spheres along z
    db = sh.diameter_b_nm if sh.diameter_b_nm is not None else sh.diameter_a_nm
    a = Sphere(names[0], sh.diameter_a_nm, medium=medium, temperature=t)
    b = a if db == sh.diameter_a_nm else Sphere(names[0], db, medium=medium, temperature=t)
    return _shapes.Dimer(a, b, gap_nm=sh.gap_nm or 0.0, neck_diameter_nm=sh.neck_diameter_nm)


def shape_budget(req: LevelsRequest, shape=None) -> dict | None:
    """Grid cells the request will use (None for platelets: no 3D levels solve)."""
    if req.shape.kind not in _GRID_KINDS:
        return None
    shape = build_shape(req) if shape is None else shape
    return grid_budget(shape, req.shape.resolution_nm, LIMITS["shape_max_grid_cells"])


def _over_budget(kind: str, b: dict) -> ApiError:
    tail = (f"try resolution_nm >= {b['suggested_resolution_nm']:.2f} nm (coarser is less "
            "accurate) or a smaller shape" if b["suggested_resolution_nm"] is not None else
            "no grid spacing up to 1 nm fits: choose a smaller shape or use the Python API")
    return ApiError(413, f"this {kind} needs ~{b['cells']:,} grid cells at h = "
                         f"{b['spacing_nm']:.3g} nm; allowed {b['allowed_cells']:,} per "
                         f"request; {tail}")


def _resolution_note(b: dict) -> str:
    h, h0, mf = b["spacing_nm"], b["default_spacing_nm"], b["min_feature_nm"]
    if h <= h0 * (1 + 1e-9):
        return f"computed on a grid of spacing h = {h:.3g} nm (library default {h0:.3g} nm)"
    note = (f"computed on a grid of spacing h = {h:.3g} nm, coarser than the library default "
            f"{h0:.3g} nm for this shape (~{b['default_cells']:,} cells): the levels carry the "
            "discretisation error of h (it falls as h^2); compare with a finer spacing before "
            "relying on them")
    if h > mf / 2:
        note += (f"; the smallest feature ({mf:.3g} nm) spans fewer than 2 grid cells, so the "
                 "grid does not resolve the shape")
    return note


def do_shape_levels(req: LevelsRequest, medium: Medium) -> dict:
    shape = build_shape(req, medium)
    # cost budget: grid cells at the spacing that will be used, before any work
    # (platelets use the library's dedicated thickness-quantisation model instead)
    budget = shape_budget(req, shape)
    if budget is not None and not budget["fits"]:
        raise _over_budget(req.shape.kind, budget)
    if levels_report is None:   # pragma: no cover - depends on the library version
        raise _not_available("levels of shapes", "qdlab.electronic.report")
    grid = {} if req.shape.resolution_nm is None else {"resolution_nm": req.shape.resolution_nm}
    # (the library's grid solves run with one BLAS thread: several requests solve at once)
    try:
        if req.include_profiles and req.shape.kind in _GRID_KINDS:
            out, states = levels_report(shape, return_states=True, **grid)
            # tetrapods: the diagonal plane x = y holds two of the four arms
            out["wavefunction_slice"] = mid_plane_slice(
                states.electrons, states.holes, LIMITS["shape_slice_max_side"],
                plane="x=y" if req.shape.kind == "tetrapod" else "y=0")
        else:
            out = levels_report(shape, **grid)
    except GridConvergenceError as exc:
        raise QdlabInputError(f"the grid solver did not converge for this {req.shape.kind} "
                              f"({exc}); try another resolution_nm") from None
    if budget is not None:
        out["resolution"] = {**budget, "note": _resolution_note(budget)}
    nm = out.get("first_exciton_nm")
    out["colour_hex"] = line_hex(nm) if isinstance(nm, float) else None
    return out


def do_spectrum(req: SpectrumRequest) -> dict:
    if Ensemble is None:
        raise _not_available("ensemble spectra", "qdlab.optics.ensemble")
    make = SizeDistribution.normal if req.distribution == "normal" else SizeDistribution.lognormal
    ens = Ensemble(req.material, make(req.mean_diameter_nm, req.dispersion_pct),
                   shells=[(s.material, s.thickness_nm) for s in req.shells],
                   temperature=req.temperature, quantum_yield=req.quantum_yield,
                   stokes_shift_eV=req.stokes_shift_eV)
    wl = np.linspace(req.wavelength_min_nm, req.wavelength_max_nm, req.n_points)
    table = ens.spectrum_table(wl, req.concentration_M, req.path_cm)
    pl_peak = ens.emission_peak_nm()
    colour = None
    if 380.0 <= pl_peak <= 780.0:
        lam = np.arange(360.0, 830.5, 1.0)
        colour = emission_colour(lam, _nonnegative(ens.emission(lam))).to_dict()
    return {"material": req.material, "wavelength_nm": wl,
            "molar_extinction_M-1cm-1": table["molar_extinction_M-1cm-1"],
            "emission_per_nm": table["emission_per_nm"],
            "absorbance": table.get("absorbance"),
            "first_peak_nm": ens.first_peak_nm(),
            "first_peak_extinction_M-1cm-1": ens.first_peak_extinction(),
            "emission_peak_nm": pl_peak, "emission_fwhm_nm": ens.emission_fwhm_nm(),
            "emission_colour": colour}


def do_size(req: SizeRequest) -> dict:
    from qdlab.sizing.report import size_report

    return size_report(req.material, req.peak_nm, absorbance=req.absorbance,
                       path_cm=req.path_cm)


def do_fit(data: bytes, material: str, path_cm: float, column: str | None) -> dict:
    from qdlab.optics.spectrum_io import read_spectra

    specs = read_spectra(data, max_bytes=LIMITS["upload_max_bytes"])
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
    for s, r in zip(specs, fit_spectra(specs, material, path_cm), strict=True):
        if isinstance(r, dict):   # not fitted: {"label", "error"}
            results.append({"label": s.label.strip(), "error": r.get("error")})
            continue
        d = r.to_dict()
        d["label"] = s.label.strip()
        idx = _thin(len(r.wavelength_nm), 400)
        d["plot"] = {"wavelength_nm": r.wavelength_nm[idx], "absorbance": r.absorbance[idx],
                     "model_absorbance": r.model_absorbance[idx]}
        results.append(d)
    return {"material": material, "path_cm": path_cm, "n_spectra": len(results),
            "results": results}


def do_colour(req: ColourRequest) -> dict:
    extra: dict = {}
    if req.centre_nm is not None:
        res = emission_colour(*gaussian_line(req.centre_nm, req.fwhm_nm))
        extra = {"emission_peak_nm": req.centre_nm, "emission_fwhm_nm": req.fwhm_nm}
    elif req.wavelength_nm is not None:
        res = emission_colour(np.asarray(req.wavelength_nm, dtype=float),
                              np.asarray(req.intensity, dtype=float))
    else:
        if Ensemble is None:
            raise _not_available("ensemble emission", "qdlab.optics.ensemble")
        ens = Ensemble(req.material, SizeDistribution.normal(req.mean_diameter_nm,
                                                             req.dispersion_pct))
        lam = np.arange(360.0, 830.5, 1.0)
        res = emission_colour(lam, _nonnegative(ens.emission(lam)))
        extra = {"emission_peak_nm": ens.emission_peak_nm(),
                 "emission_fwhm_nm": ens.emission_fwhm_nm()}
    out = {**res.to_dict(), **extra}
    if req.primaries:
        out["gamut"] = gamut_coverage([gaussian_line(p.centre_nm, p.fwhm_nm)
                                       for p in req.primaries])
    return out


def build_recipe(req: SynthRequest):
    if run_recipe is None:
        raise _not_available("synthesis", "qdlab.synthesis")
    if req.recipe is not None:
        recipe = Recipe.from_dict(req.recipe)
    else:
        recipe = example_recipe(req.example or "cdse")
    changes = dict(req.overrides)
    if req.duration_s is not None:
        changes["duration_s"] = req.duration_s
        # keep the temperature program inside the run (the example quenches at its end)
    if changes:
        recipe = recipe.with_updates(**changes)
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
    from qdlab.constants import HC_EV_NM
    from qdlab.electronic.exciton import first_exciton_batch

    idx = _thin(len(traj.time_s), 400)
    series = {k: np.asarray(getattr(traj, k))[idx] for k in (
        "time_s", "temperature_K", "mean_diameter_nm", "rsd_pct", "supersaturation",
        "yield_pct", "particle_conc_mol_L")}
    snap_t = np.asarray(traj.snapshot_time_s, dtype=float)
    d_snap = np.interp(snap_t, traj.time_s, np.nan_to_num(traj.mean_diameter_nm))
    exciton_nm = np.full(d_snap.shape, np.nan)
    ok = d_snap >= 1.5
    if ok.any():
        try:
            e = first_exciton_batch([material], (d_snap[ok] / 2.0)[:, None])["first_exciton_eV"]
            exciton_nm[ok] = HC_EV_NM / np.asarray(e)
        except QdlabInputError:
            pass
    return {"summary": traj.final_summary(), "material": material,
            "recipe_name": traj.recipe_name, "series": series,
            "snapshots": {"time_s": snap_t, "diameter_nm": traj.diameter_centres_nm,
                          "number_mol_L": traj.histograms_mol_L,
                          "mean_diameter_nm": d_snap, "first_exciton_nm": exciton_nm,
                          "colour_hex": [line_hex(x) for x in exciton_nm]}}


# ------------------------------------------------------------------ the application
class BodyLimit:
    """ASGI middleware: 413 for request bodies over ``max_bytes`` (declared or streamed)."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = int(max_bytes)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        message = (f"request body larger than {self.max_bytes} bytes "
                   f"({self.max_bytes / 1e6:g} MB limit)")
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    too_big = int(v) > self.max_bytes
                except ValueError:
                    too_big = False
                if too_big:
                    return await _send_json(send, 413, {"detail": message})
        state = {"seen": 0, "over": False, "started": False}

        async def limited_receive():
            msg = await receive()
            if msg["type"] == "http.request":
                state["seen"] += len(msg.get("body", b""))
                if state["seen"] > self.max_bytes:
                    state["over"] = True
                    raise ApiError(413, message)
            return msg

        async def guarded_send(msg):
            if state["over"]:
                return None    # our 413 replaces whatever the app answers
            if msg["type"] == "http.response.start":
                state["started"] = True
            return await send(msg)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not state["over"]:
                raise
        if state["over"] and not state["started"]:
            await _send_json(send, 413, {"detail": message})


async def _send_json(send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})


_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'")


def create_app(*, compute_slots: int | None = None, timeout_s: dict | None = None,
               synth_wall_time_s: float | None = None) -> FastAPI:
    """Build the FastAPI application.

    Parameters
    ----------
    compute_slots : int, optional
        Library calls allowed at once (default: number of CPUs, at least 2).
    timeout_s : dict, optional
        Per-endpoint timeouts in s, merged into ``LIMITS["timeout_s"]``.
    synth_wall_time_s : float, optional
        Wall-time limit of one synthesis job, s (default ``LIMITS["synth_wall_time_s"]``).
    """
    timeouts = {**LIMITS["timeout_s"], **(timeout_s or {})}
    limiter = Limiter(compute_slots or max(2, os.cpu_count() or 2))
    jobs = JobManager(LIMITS["synth_max_jobs_running"], LIMITS["synth_max_jobs_stored"],
                      synth_wall_time_s or LIMITS["synth_wall_time_s"])
    app = FastAPI(title="qdlab", version=qdlab.__version__,
                  description="REST API of qdlab, an open laboratory for colloidal quantum dots. "
                              "Units: nm, eV, K, s, mol/L. Errors: JSON with a 'detail' message.",
                  docs_url=None, redoc_url=None)   # the docs pages load scripts from a CDN
    app.state.jobs = jobs
    app.add_middleware(BodyLimit, max_bytes=LIMITS["upload_max_bytes"])

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    # ---------------------------------------------------------- errors: always a message
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail else \
            f"HTTP {exc.status_code}"
        return JSONResponse({"detail": detail}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

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

    async def call(kind: str, func, *args):
        result, warns = await run_bounded(limiter, timeouts.get(kind, timeouts["default"]),
                                          func, *args)
        if isinstance(result, dict):
            result = dict(result)
            prior = result.get("warnings") or []
            result["warnings"] = list(prior) + [w for w in warns if w not in prior]
        return clean(result)

    # ---------------------------------------------------------- endpoints
    @app.get("/api/health", tags=["meta"])
    async def health() -> dict:
        """Status, version, optional features available, and the server's limits."""
        return {"status": "ok", "version": qdlab.__version__, "features": features(),
                "limits": LIMITS}

    @app.get("/api/materials", tags=["materials"])
    async def materials() -> list:
        """One summary per material: gap at 300 K (eV), masses (m0), eps, Bohr radius (nm)."""
        return await call("default", lambda: [material_summary(get_material(k))
                                              for k in list_materials()])

    @app.get("/api/materials/{name}", tags=["materials"],
             responses={404: {"description": "unknown material"}})
    async def material(name: Annotated[str, PathParam(max_length=64)]) -> dict:
        """Every value of one material with its unit and source."""
        try:
            m = get_material(name)
        except QdlabInputError as exc:
            raise ApiError(404, str(exc)) from None
        return clean({"key": m.key, "name": m.name, "phase": m.phase,
                      "values": [{"field": f, "value": v, "unit": u, "source": s}
                                 for f, v, u, s in m.describe()]})

    @app.post("/api/levels", tags=["electronic"],
              responses={422: {"description": "bad input (message)"},
                         501: {"description": "shape solver not available"}})
    async def levels(req: LevelsRequest) -> dict:
        """Electron and hole levels and the first exciton (the ``qdlab levels --json``
        fields, plus ``colour_hex`` and ``warnings``; ``profiles`` on request)."""
        return await call("levels", do_levels, req)

    @app.post("/api/levels/budget", tags=["electronic"],
              responses={422: {"description": "bad input (message)"},
                         501: {"description": "shapes not available"}})
    async def levels_budget(req: LevelsRequest) -> dict:
        """Grid cells a shape request would use, before solving anything: ``cells`` at
        ``spacing_nm`` (nm) against ``allowed_cells``, ``fits``, the library's default
        spacing and ``suggested_resolution_nm`` (the finest spacing that fits, nm).
        ``grid`` is false for platelets (no 3D levels solve)."""
        if req.shape is None:
            raise ApiError(422, "the grid budget needs a shape (spheres and core/shells are "
                                "solved radially, without a 3D grid)")

        def budget():
            b = shape_budget(req)
            if b is None:
                return {"kind": req.shape.kind, "grid": False}
            return {"kind": req.shape.kind, "grid": True, **b}

        return await call("default", budget)

    @app.post("/api/spectrum", tags=["optics"], responses={501: {"description": "not available"}})
    async def spectrum(req: SpectrumRequest) -> dict:
        """Absorption (molar extinction, M^-1 cm^-1) and PL (per nm) of an ensemble."""
        if Ensemble is None:
            raise _not_available("ensemble spectra", "qdlab.optics.ensemble")
        return await call("spectrum", do_spectrum, req)

    @app.post("/api/size", tags=["sizing"])
    async def size(req: SizeRequest) -> dict:
        """Diameter (nm), extinction and concentration (mol/L) from the first-exciton peak."""
        return await call("default", do_size, req)

    @app.post("/api/fit", tags=["sizing"],
              responses={413: {"description": "file or work over the limits"},
                         501: {"description": "not available"}})
    async def fit(file: Annotated[UploadFile, File(description="spectrum file (CSV, TSV, "
                                                               "vendor text), at most 10 MB")],
                  material: Annotated[str, Form(min_length=1, max_length=64)] = "CdSe",
                  path_cm: Annotated[float, Form(gt=0.0, le=100.0)] = 1.0,
                  column: Annotated[str | None, Form(max_length=200)] = None) -> dict:
        """Fit an uploaded absorbance spectrum: peak, diameter, dispersion, concentration.

        Every absorbance column is fitted (at most 24) unless ``column`` names one
        (header label or 1-based index).  The file is parsed in memory.
        """
        if fit_spectra is None:
            raise _not_available("spectrum fitting", "qdlab.optics.fit")
        data = await file.read(LIMITS["upload_max_bytes"] + 1)
        await file.close()
        if len(data) > LIMITS["upload_max_bytes"]:
            raise ApiError(413, f"file larger than {LIMITS['upload_max_bytes']} bytes")
        if not data.strip():
            raise ApiError(422, "the uploaded file is empty")
        return await call("fit", do_fit, data, material, path_cm, column)

    @app.post("/api/colour", tags=["optics"])
    async def colour(req: ColourRequest) -> dict:
        """CIE xy, u'v', sRGB, dominant wavelength and purity; gamut coverage of primaries."""
        return await call("default", do_colour, req)

    @app.get("/api/recipes", tags=["synthesis"])
    async def recipes() -> dict:
        """The shipped example synthesis recipes (as JSON)."""
        if run_recipe is None:
            raise _not_available("synthesis", "qdlab.synthesis")
        return clean({name: example_recipe(name).model_dump(mode="json")
                      for name in list_examples()})

    @app.post("/api/synth", tags=["synthesis"], status_code=202,
              responses={413: {"description": "over budget"}, 429: {"description": "too many jobs"},
                         501: {"description": "not available"}})
    async def synth(req: SynthRequest, request: Request) -> JSONResponse:
        """Start a synthesis job; poll ``GET /api/synth/{id}`` or stream ``.../events``."""
        recipe, _ = await run_bounded(limiter, timeouts["default"], build_recipe, req)
        try:
            job = jobs.submit(lambda progress: run_recipe(recipe, progress=progress),
                              lambda traj: clean(synth_result(traj, recipe.material)))
        except JobRefused as exc:
            raise ApiError(429, str(exc)) from None
        return JSONResponse(job.public(with_result=False), status_code=202,
                            headers={"Location": f"/api/synth/{job.id}"})

    def _job(job_id: str):
        job = jobs.get(job_id)
        if job is None:
            raise ApiError(404, f"no synthesis job {job_id!r} (finished jobs are kept 15 min)")
        return job

    @app.get("/api/synth/{job_id}", tags=["synthesis"], responses={404: {"description": "no job"}})
    async def synth_status(job_id: JobId) -> dict:
        """Status, progress (0-1) and, when done, the result of a synthesis job."""
        return _job(job_id).public()

    @app.delete("/api/synth/{job_id}", tags=["synthesis"],
                responses={404: {"description": "no job"}})
    async def synth_cancel(job_id: JobId) -> dict:
        """Cancel a running synthesis job."""
        _job(job_id)
        return jobs.cancel(job_id).public(with_result=False)

    @app.get("/api/synth/{job_id}/events", tags=["synthesis"],
             responses={404: {"description": "no job"},
                        200: {"content": {"text/event-stream": {}}}})
    async def synth_events(job_id: JobId):
        """Server-sent events: ``progress`` while running, then one ``end`` with the result."""
        job = _job(job_id)

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

    @app.get("/api/validate", tags=["validation"])
    async def validate() -> list:
        """First-exciton model vs published sizing data: RMS and max error per source."""
        from qdlab.validation import validate_first_exciton

        return await call("validate", validate_first_exciton)

    # ---------------------------------------------------------- the explorer page
    @app.get("/", include_in_schema=False)
    async def index():
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon():
        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
