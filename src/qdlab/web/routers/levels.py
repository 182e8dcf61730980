"""Levels of spheres, core/shells and shapes (``POST /api/levels``, ``/api/levels/budget``)."""

from __future__ import annotations

from fastapi import APIRouter

import qdlab
from qdlab import QdlabInputError
from qdlab.structures import Medium, Sphere, parse_layers
from qdlab.web import _optional as opt
from qdlab.web._common import ERRORS, Services, errors, line_hex, not_available, thin
from qdlab.web._compute import ApiError, grid_budget, mid_plane_slice
from qdlab.web.models import LIMITS, LevelsRequest

__all__ = ["build_shape", "do_levels", "do_shape_levels", "router", "shape_budget"]

_DEFAULT_MEDIUM = (2.25, 4.0, 4.0)
_GRID_KINDS = ("rod", "cube", "tetrapod", "dot-in-rod", "dimer")   # solved on the 3D grid


def medium_of(m) -> Medium:
    vals = (m.dielectric_constant, m.electron_barrier_eV, m.hole_barrier_eV)
    return Medium(dielectric_constant=vals[0], electron_barrier_eV=vals[1],
                  hole_barrier_eV=vals[2],
                  name="organic ligands" if vals == _DEFAULT_MEDIUM else "user")


def do_levels(req: LevelsRequest) -> dict:
    medium = medium_of(req.medium)
    if req.shape is not None:
        return do_shape_levels(req, medium)
    d = req.diameter if req.diameter is not None else req.core_diameter
    if req.diameter is not None and req.shells:
        raise QdlabInputError("shells need core_diameter (nm) instead of diameter")
    structure = parse_layers(req.material, d, req.shells, medium=medium,
                             temperature=req.temperature)
    from qdlab.electronic.model_choice import resolve_model

    if resolve_model(structure, req.model) == "kp":
        return _add_multiexcitons(req, structure, _kp_levels(req, structure))
    states = qdlab.solve(structure, l_max=req.l_max, n_states=req.n_states,
                         nonparabolic=req.nonparabolic, screening=req.screening)
    out = states.to_dict()
    out["model"] = "single-band"
    out["colour_hex"] = line_hex(states.first_exciton_nm)
    if req.include_profiles:
        out["profiles"] = _profiles(structure, states.r_nm, states.electron_wavefunction,
                                    states.hole_wavefunction)
    return _add_multiexcitons(req, structure, out)


def _add_multiexcitons(req: LevelsRequest, structure, out: dict) -> dict:
    """The ``qdlab levels --multiexcitons`` fields (top level + ``multiexcitons``)."""
    if not req.multiexcitons:
        return out
    from qdlab.electronic.multiexcitons import LEVELS_JSON_KEYS, multiexciton_properties

    opts = {"screening": req.screening}
    if "nonparabolic" in req.model_fields_set:
        opts["nonparabolic"] = req.nonparabolic
    from qdlab.optics.band_edge_lifetime import multiexciton_radiative_lifetime_ns

    mx = multiexciton_properties(
        structure, temperature_K=req.temperature,
        exciton_radiative_lifetime_ns=multiexciton_radiative_lifetime_ns(structure),
        exciton_nonradiative_lifetime_ns=req.exciton_nonradiative_lifetime_ns,
        auger_beta_ps_nm3=req.auger_beta_ps_nm3, auger_suppression=req.auger_suppression,
        **opts).to_dict()
    out.update({k: mx[k] for k in LEVELS_JSON_KEYS})
    out["multiexcitons"] = mx
    return out


def _profiles(structure, r_nm, electron, hole) -> dict:
    idx = thin(len(r_nm), 201)
    t = structure.temperature
    return {
        "r_nm": r_nm[idx],
        "electron_wavefunction": electron[idx],
        "hole_wavefunction": hole[idx],
        "layers": [{"material": m.key, "outer_radius_nm": r,
                    "conduction_band_edge_eV": float(m.conduction_band_edge(t)),
                    "valence_band_edge_eV": float(m.valence_band_edge(t))}
                   for m, r in zip(structure.materials, structure.radii_nm, strict=True)],
    }


#: Request fields of the single-band radial solver that the k.p model does not take.
_SINGLE_BAND_FIELDS = ("l_max", "n_states", "nonparabolic")


def _kp_levels(req: LevelsRequest, structure) -> dict:
    """The k.p report of a sphere / core/shell (``model`` kp, or auto for a material of
    ``KP_DEFAULT_MATERIALS``)."""
    from qdlab.electronic.kp.levels import kp_options

    given = sorted(set(req.model_fields_set) & set(_SINGLE_BAND_FIELDS))
    if given:
        which = "model 'kp'"
        raise QdlabInputError(f"{given[0]} does not apply to {which}: it is an option of "
                              "model 'single-band'")
    opts = {}
    if "screening" in kp_options(structure):
        opts["screening"] = req.screening
    elif "screening" in req.model_fields_set:
        raise QdlabInputError(f"screening does not apply to the k.p model of "
                              f"{structure.label}: it applies to model 'single-band' and the "
                              "Kane/Luttinger spheres")
    if req.include_profiles:
        if "profiles" not in kp_options(structure):
            raise QdlabInputError(f"include_profiles: the k.p model of {structure.label} gives "
                                  "no radial wavefunctions (Kane/Luttinger spheres do); use "
                                  "model 'single-band'")
        opts["profiles"] = True
    out = opt.levels_report(structure, model="kp", **opts)
    out["colour_hex"] = line_hex(out["first_exciton_nm"])
    prof = out.pop("profiles", None)
    if prof is not None:
        out["profiles"] = _profiles(structure, prof["r_nm"], prof["electron_wavefunction"],
                                    prof["hole_wavefunction"])
    return out


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
    shapes = opt.shapes
    if shapes is None:
        raise not_available("shapes", "qdlab.structures.shapes")
    sh, t = req.shape, req.temperature
    medium = medium_of(req.medium) if medium is None else medium
    names = _materials(req.material, sh.kind)
    if sh.kind == "rod":
        return shapes.Rod(names[0], sh.length_nm, sh.diameter_nm, medium=medium, temperature=t)
    if sh.kind == "platelet":
        return shapes.Platelet(names[0], sh.monolayers, sh.lateral_size_nm, medium=medium,
                               temperature=t)
    if sh.kind == "cube":
        return shapes.Cube(names[0], sh.edge_nm, medium=medium, temperature=t)
    if sh.kind == "tetrapod":
        return shapes.Tetrapod(names[0], sh.core_diameter_nm, sh.arm_length_nm,
                               sh.arm_diameter_nm, arm_material=names[-1], medium=medium,
                               temperature=t)
    if sh.kind == "dot-in-rod":
        return shapes.DotInRod(names[0], sh.core_diameter_nm, names[1], sh.length_nm,
                               sh.diameter_nm, core_position=sh.core_position_nm or 0.0,
                               medium=medium, temperature=t)
    # dimer: two spheres along z
    db = sh.diameter_b_nm if sh.diameter_b_nm is not None else sh.diameter_a_nm
    a = Sphere(names[0], sh.diameter_a_nm, medium=medium, temperature=t)
    b = a if db == sh.diameter_a_nm else Sphere(names[0], db, medium=medium, temperature=t)
    return shapes.Dimer(a, b, gap_nm=sh.gap_nm or 0.0, neck_diameter_nm=sh.neck_diameter_nm)


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
    # perovskite cubes (the library names what applies otherwise); platelets take the
    # model below, with their polarisation and budget like the other shapes
    if req.model == "kp" and req.shape.kind != "platelet":
        if req.include_profiles:
            raise QdlabInputError("include_profiles does not apply to model 'kp' of a shape "
                                  "(no wavefunction maps): use model 'single-band'")
        grid = {} if req.shape.resolution_nm is None else {
            "resolution_nm": req.shape.resolution_nm}
        out = opt.levels_report(shape, model="kp", **grid)
        nm = out["first_exciton_nm"]
        out["colour_hex"] = line_hex(nm)
        return out
    # cost budget: grid cells at the spacing that will be used, before any work
    # (platelets use the library's dedicated thickness-quantisation model instead)
    budget = shape_budget(req, shape)
    if budget is not None and not budget["fits"]:
        raise _over_budget(req.shape.kind, budget)
    if opt.levels_report is None:   # pragma: no cover - depends on the library version
        raise not_available("levels of shapes", "qdlab.electronic.report")
    grid = {} if req.shape.resolution_nm is None else {"resolution_nm": req.shape.resolution_nm}
    # (the library's grid solves run with one BLAS thread: several requests solve at once)
    try:
        if req.include_profiles and req.shape.kind in _GRID_KINDS:
            out, states = opt.levels_report(shape, return_states=True, model=req.model,
                                            **grid)
            # tetrapods: the diagonal plane x = y holds two of the four arms
            out["wavefunction_slice"] = mid_plane_slice(
                states.electrons, states.holes, LIMITS["shape_slice_max_side"],
                plane="x=y" if req.shape.kind == "tetrapod" else "y=0")
        else:
            out = opt.levels_report(shape, model=req.model, **grid)
    except opt.GridConvergenceError as exc:
        raise QdlabInputError(f"the grid solver did not converge for this {req.shape.kind} "
                              f"({exc}); try another resolution_nm") from None
    if budget is not None:
        out["resolution"] = {**budget, "note": _resolution_note(budget)}
    nm = out.get("first_exciton_nm")
    out["colour_hex"] = line_hex(nm) if isinstance(nm, float) else None
    return out


def router(svc: Services) -> APIRouter:
    """``POST /api/levels`` and ``POST /api/levels/budget``."""
    r = APIRouter(tags=["electronic"], responses={**ERRORS, **errors(422, 501, 503, 504)})

    @r.post("/api/levels")
    async def levels(req: LevelsRequest) -> dict:
        """Electron and hole levels and the first exciton (the ``qdlab levels --json``
        fields, plus ``colour_hex`` and ``warnings``; ``profiles`` on request)."""
        return await svc.call("levels", svc.lib.do_levels, req)

    @r.post("/api/levels/budget")
    async def levels_budget(req: LevelsRequest) -> dict:
        """Grid cells a shape request would use, before solving anything: ``cells`` at
        ``spacing_nm`` (nm) against ``allowed_cells``, ``fits``, the library's default
        spacing and ``suggested_resolution_nm`` (the finest spacing that fits, nm).
        ``grid`` is false for platelets (no 3D levels solve)."""
        if req.shape is None:
            raise ApiError(422, "the grid budget needs a shape (spheres and core/shells are "
                                "solved radially, without a 3D grid)")

        def budget():
            b = svc.lib.shape_budget(req)
            if b is None:
                return {"kind": req.shape.kind, "grid": False}
            return {"kind": req.shape.kind, "grid": True, **b}

        return await svc.call("default", budget)

    return r
