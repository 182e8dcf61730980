r"""Inverse design: from a target colour and constraints to ranked core/shell structures.

:func:`design` searches core materials, shell stacks (shells in whole monolayers) and
core diameters with the screening evaluation (:func:`qdlab.design.evaluate.evaluate`),
ranks them (:mod:`qdlab.design.rank`) and refines the returned candidates with the
exact solver and the ensemble spectrum, so that every number it returns is the one
``qdlab levels`` (``first_exciton_nm``) and the ensemble spectrum of ``qdlab
spectrum`` (``absorption_peak_nm``, ``pl_peak_nm``, ``fwhm_nm``) give for that
structure.

Notes
-----
Search (all steps vectorised per material stack):

1. cores and shell stacks allowed by the material-only constraints (RoHS, heavy
   metals, lattice mismatch); lead-salt, perovskite and CuCl cores are searched bare
   (their ensemble optics, the k.p models of :mod:`qdlab.electronic.kp`, is for bare
   cores only);
2. reachability: bare cores from 1.5 to 12 nm; a core whose bare first exciton range,
   widened by 0.4 eV below (shells and large sizes red-shift), misses the target is
   dropped;
3. coarse grid: core diameters in steps of 0.25 nm, 1-6 monolayers per shell;
4. fine grid: around the best 12 distinct (stack, monolayers), core diameters in steps of
   0.01 nm over +-0.3 nm;
5. the best ``top`` distinct structures (one per stack and monolayer count) are
   re-evaluated exactly (``exact=True``) and with
   :class:`qdlab.optics.ensemble.Ensemble` (normal size distribution of the core with
   ``dispersion_pct``); where the ensemble peak misses the target by more than a
   quarter of the uncertainty, the core diameter takes one Newton step (kept if the
   ensemble comes closer); then they are ranked again with the refined values.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.design.evaluate import HEAVY_METALS, evaluate, layer_facts
from qdlab.design.rank import Target, constraint_mask, objectives, pareto_front, score
from qdlab.errors import QdlabInputError

__all__ = ["DEFAULT_CORES", "DEFAULT_SHELLS", "DesignResult", "design", "recipe_hint"]

#: Core materials searched by default.
DEFAULT_CORES = ("CdSe", "CdS", "CdTe", "InP", "InAs", "ZnSe", "ZnTe", "PbS", "PbSe",
                 "CsPbCl3", "CsPbBr3", "CsPbI3")
#: Shell stacks searched by default (core outwards).
DEFAULT_SHELLS = ((), ("ZnS",), ("ZnSe",), ("CdS",), ("ZnSe", "ZnS"), ("CdS", "ZnS"))
#: Core diameters (nm) of the reachability step and the coarse grid.
CORE_RANGE_NM = (1.5, 12.0)
COARSE_STEP_NM = 0.25
FINE_STEP_NM = 0.01
FINE_HALF_WIDTH_NM = 0.3
MONOLAYERS = (1, 2, 3, 4, 5, 6)
#: Slack (eV) below the bare-core range in the reachability step.
REACH_SLACK_EV = 0.4


def recipe_hint(materials: Sequence[str], core_diameter_nm: float) -> dict | None:
    """A starting recipe from :mod:`qdlab.synthesis` for this core, or None.

    Returns
    -------
    dict or None
        ``recipe`` (an example recipe of ``qdlab synth``), ``core_material``,
        ``target_core_diameter_nm``, ``command`` and ``shells`` (what to grow next).
    """
    core = materials[0]
    for name, material in _example_recipes():
        if material.lower() == core.lower():
            return {"recipe": name, "core_material": core,
                    "target_core_diameter_nm": round(float(core_diameter_nm), 2),
                    "command": f"qdlab synth {name}",
                    "shells": list(materials[1:]),
                    "note": "core recipe: adjust the growth time or temperature until the "
                            "core reaches the target diameter, then grow the shells "
                            "(SILAR or continuous injection)" if len(materials) > 1 else
                            "core recipe: adjust the growth time or temperature until the "
                            "core reaches the target diameter"}
    return None


@functools.lru_cache(maxsize=1)
def _example_recipes() -> tuple[tuple[str, str], ...]:
    """(name, core material) of the shipped example recipes (read once: package data)."""
    from qdlab.synthesis.recipe import example_recipe, list_examples

    out = []
    for name in list_examples():
        try:
            out.append((name, str(example_recipe(name).material)))
        except Exception:   # a broken example must not break a design  # noqa: BLE001
            continue
    return tuple(out)


@dataclass
class DesignResult:
    """Ranked candidates (best first), the Pareto front and what was searched."""

    target: Target
    candidates: list[dict]
    pareto: list[dict]
    searched: int
    feasible: int
    stacks: list[str]
    dropped_cores: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"target": self.target.to_dict(), "candidates": self.candidates,
                "pareto_front": self.pareto, "searched": self.searched,
                "feasible": self.feasible, "stacks": self.stacks,
                "dropped_cores": self.dropped_cores}


def _is_perovskite(name: str) -> bool:
    from qdlab.materials import get_material

    return "perovskite" in get_material(name).crystal_structure


def _bare_only(name: str) -> bool:
    """Cores whose ensemble optics (k.p: lead salts, perovskites, CuCl) is for bare cores."""
    from qdlab.electronic.kp.optics import uses_kp
    from qdlab.materials import get_material

    return _is_perovskite(name) or uses_kp([get_material(name)])


def _stacks(cores, shells, target: Target) -> list[tuple[str, ...]]:
    out = []
    for core in cores:
        for st in shells:
            if st and (_bare_only(core) or st[0] == core):
                continue
            group = (core, *st)
            f = layer_facts(group)
            if target.rohs and not f["rohs_compliant"]:
                continue
            if target.no_heavy_metals and f["heavy_metals"]:
                continue
            if st and target.max_mismatch_pct is not None and not (
                    f["max_mismatch_pct"] <= target.max_mismatch_pct):
                continue
            if target.alignment is not None and not st and "none" not in target.alignment:
                continue
            out.append(group)
    return out


def _grid(group, d_values, ml_combos):
    """Core diameters (N,), thicknesses (N, S) and monolayers (N, S) of a group's grid."""
    ml_nm = np.asarray(layer_facts(group)["monolayer_nm"])
    s = len(group) - 1
    combos = np.asarray(ml_combos, dtype=float).reshape(-1, s) if s else np.zeros((1, 0))
    d = np.repeat(np.asarray(d_values, float), combos.shape[0])
    ml = np.tile(combos, (len(d_values), 1))
    return d, ml * ml_nm[None, :] if s else ml, ml


def _evaluate_group(group, d, t, target, dispersion_pct, temperature, exact=False) -> dict:
    cols = evaluate(group, d, t if t.shape[1] else None, temperature=temperature,
                    dispersion_pct=dispersion_pct, exact=exact)
    cols["core_diameter_nm"] = d
    cols["shell_thickness_nm"] = t
    return cols


def _concat(parts: list[dict]) -> dict:
    keys = [k for k in parts[0] if k not in ("shell_thickness_nm", "shell_ml", "group")]
    out = {k: np.concatenate([np.asarray(p[k]) for p in parts]) for k in keys}
    out["group"] = [g for p in parts for g in p["group"]]
    out["shell_thickness_nm"] = [tuple(float(x) for x in r) for p in parts
                                 for r in p["shell_thickness_nm"]]
    out["shell_ml"] = [tuple(int(round(x)) for x in r) for p in parts for r in p["shell_ml"]]
    return out


def _search(groups, d_values, combos_for, target, dispersion_pct, temperature) -> dict | None:
    parts = []
    for g in groups:
        d, t, ml = _grid(g, d_values(g), combos_for(g))
        cols = _evaluate_group(g, d, t, target, dispersion_pct, temperature)
        cols["group"] = [g] * d.size
        cols["shell_ml"] = ml
        parts.append(cols)
    return _concat(parts) if parts else None


def _row(cols, i, target) -> dict:
    g = cols["group"][i]
    return {
        "structure": "/".join(g),
        "core_material": g[0],
        "core_diameter_nm": round(float(cols["core_diameter_nm"][i]), 4),
        "shells": [{"material": m, "thickness_nm": round(float(t), 4), "monolayers": int(n)}
                   for m, t, n in zip(g[1:], cols["shell_thickness_nm"][i], cols["shell_ml"][i],
                                      strict=True)],
        "outer_diameter_nm": round(float(cols["core_diameter_nm"][i]
                                         + 2 * sum(cols["shell_thickness_nm"][i])), 4),
        "first_exciton_nm": float(cols["first_exciton_nm"][i]),
        "screen_pl_peak_nm": float(cols["pl_peak_nm"][i]),
        "screen_fwhm_nm": float(cols["fwhm_nm"][i]),
        "overlap": float(cols["overlap"][i]),
        "electron_in_core": float(cols["electron_in_core"][i]),
        "hole_in_core": float(cols["hole_in_core"][i]),
        "alignment": str(cols["alignment"][i]),
        "lattice_mismatch_pct": [round(x, 3) for x in layer_facts(g)["mismatch_pct"]],
        "max_mismatch_pct": _num(cols["max_mismatch_pct"][i]),
        "shell_monolayers": float(cols["shell_monolayers"][i]),
        "flags": _flags(g),
        "uncertainty_nm": float(cols["uncertainty_nm"][i]),
        "score": float(cols["score"][i]),
    }


def _num(x):
    x = float(x)
    return x if math.isfinite(x) else None


def _flags(group) -> list[str]:
    f = layer_facts(group)
    out = []
    out.append("RoHS-compliant" if f["rohs_compliant"] else
               "RoHS-restricted: " + ",".join(f["restricted_elements"]))
    if f["heavy_metals"]:
        out.append("heavy metals: " + ",".join(e for e in f["elements"] if e in HEAVY_METALS))
    if group[0] not in ("CdSe", "CdTe", "CdS", "PbS", "PbSe"):
        out.append(f"no measured sizing data for {group[0]} in qdlab: uncertainty doubled")
    if _is_perovskite(group[0]):
        out.append("perovskite: single-band sphere model (qdlab spectrum --shape cube for "
                   "cubes)")
    if len(group) > 1 and not math.isfinite(f["max_mismatch_pct"]):
        out.append("no lattice relation between the layers")
    return out


def _ensemble_peaks(g, d, t, dispersion_pct, temperature) -> dict:
    """Absorption / PL peaks and PL FWHM (nm) of the ensemble of ``qdlab spectrum``."""
    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    ens = Ensemble(g[0], SizeDistribution.normal(d, dispersion_pct),
                   shells=[(m, x) for m, x in zip(g[1:], t, strict=True)], temperature=temperature)
    return {"absorption_peak_nm": float(ens.first_peak_nm()),
            "pl_peak_nm": float(ens.emission_peak_nm()),
            "fwhm_nm": float(ens.emission_fwhm_nm()), "stokes_shift_eV": float(ens.stokes_shift_eV)}


def _refine(cand: dict, target: Target, dispersion_pct: float, temperature: float) -> dict:
    """Exact levels and the ensemble spectrum of one candidate (see module notes).

    The ensemble peak differs from the screening one (size distribution; for k.p cores
    another model): when it misses the target by more than a quarter of the uncertainty,
    the core diameter takes one Newton step with the screening slope and the step is kept
    if the ensemble peak comes closer.
    """
    g = cand["structure"].split("/")
    d = cand["core_diameter_nm"]
    t = [s["thickness_nm"] for s in cand["shells"]]
    key = "pl_peak_nm" if target.emission_nm is not None else "absorption_peak_nm"
    ens = _ensemble_peaks(g, d, t, dispersion_pct, temperature)
    err = ens[key] - target.peak_nm
    if abs(err) > 0.25 * cand["uncertainty_nm"]:
        col = target.peak_column
        sc = evaluate(g, [d, d + 0.05], [t, t] if t else None, temperature=temperature,
                      dispersion_pct=dispersion_pct)
        slope = (sc[col][1] - sc[col][0]) / 0.05
        if np.isfinite(slope) and abs(slope) > 1e-6:
            d2 = round(float(np.clip(d - err / slope, max(d - 1.0, 1.0), d + 1.0)), 3)
            try:
                ens2 = _ensemble_peaks(g, d2, t, dispersion_pct, temperature)
            except QdlabInputError:
                ens2 = None
            if ens2 is not None and abs(ens2[key] - target.peak_nm) < abs(err):
                new = evaluate(g, [d2], [t] if t else None, temperature=temperature,
                               dispersion_pct=dispersion_pct)
                d, ens = d2, ens2
                cand["core_diameter_nm"] = d2
                cand["outer_diameter_nm"] = round(d2 + 2 * sum(t), 4)
                cand["screen_pl_peak_nm"] = float(new["pl_peak_nm"][0])
                cand["screen_fwhm_nm"] = float(new["fwhm_nm"][0])
                cand["uncertainty_nm"] = float(new["uncertainty_nm"][0])
    ex = evaluate(g, [d], [t] if t else None, temperature=temperature,
                  dispersion_pct=dispersion_pct, exact=True)
    cand["first_exciton_nm"] = float(ex["first_exciton_nm"][0])
    cand["overlap"] = float(ex["overlap"][0])
    cand["electron_in_core"] = float(ex["electron_in_core"][0])
    cand["hole_in_core"] = float(ex["hole_in_core"][0])
    cand["alignment"] = str(ex["alignment"][0])
    cand.update(ens)
    cand["dispersion_pct"] = dispersion_pct
    cand["error_nm"] = ens[key] - target.peak_nm
    sig = cand["uncertainty_nm"]
    cand["score"] = abs(cand["error_nm"]) / sig + 0.01 * cand["fwhm_nm"] + 0.01 * (
        cand["max_mismatch_pct"] or 0.0)
    cand["within_uncertainty"] = abs(cand["error_nm"]) <= sig
    cand["recipe_hint"] = recipe_hint(g, d)
    return cand


def design(target: Target, *, cores: Sequence[str] | None = None,
           shells: Sequence[Sequence[str]] | None = None, top: int = 5,
           dispersion_pct: float = 5.0, temperature: float = 300.0,
           refine: bool = True) -> DesignResult:
    """Ranked core/shell structures for ``target`` (best first) and the Pareto front.

    Parameters
    ----------
    target : Target
        Peak and constraints.
    cores : sequence of str, optional
        Core materials (default :data:`DEFAULT_CORES`).
    shells : sequence of sequence of str, optional
        Shell stacks (default :data:`DEFAULT_SHELLS`; ``()`` is a bare core).
    top : int
        Number of candidates returned (distinct stacks / monolayer counts), 1-50.
    dispersion_pct : float
        Size dispersion (std/mean of the core diameter, %) the synthesis reaches.
    temperature : float
        K.
    refine : bool
        Re-evaluate the returned candidates exactly and with the ensemble spectrum
        (module notes); False returns the screening values only (faster).

    Returns
    -------
    DesignResult
        ``candidates`` (dicts: ``structure``, ``core_diameter_nm``, ``shells``,
        ``first_exciton_nm``, ``absorption_peak_nm``, ``pl_peak_nm``, ``fwhm_nm``,
        ``overlap``, ``alignment``, ``lattice_mismatch_pct``, ``flags``,
        ``uncertainty_nm``, ``recipe_hint`` ...), ``pareto`` (screening values),
        ``searched``, ``feasible``.

    Notes
    -----
    Score: :math:`|\\lambda - \\lambda_t|/\\sigma_\\lambda + 0.01\\,\\Gamma + 0.01\\,|f|`
    (:mod:`qdlab.design.rank`).

    References
    ----------
    .. [R1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984). Bibliography ``brus1984``.

    Examples
    --------
    >>> res = design(Target(emission_nm=600), cores=["CdSe"], shells=[(), ("ZnS",)], top=1,
    ...              refine=False)
    >>> res.candidates[0]["structure"].startswith("CdSe"), res.feasible > 0
    (True, True)
    """
    if isinstance(top, bool) or int(top) != top or not 1 <= top <= 50:
        raise QdlabInputError(f"top must be an integer in 1-50, got {top!r}")
    if not (math.isfinite(dispersion_pct) and 0 < dispersion_pct <= 30):
        raise QdlabInputError(f"dispersion_pct must be in (0, 30] %, got {dispersion_pct!r}")
    from qdlab.materials import get_material

    cores = tuple(DEFAULT_CORES if cores is None else cores)
    for c in cores:
        get_material(c)
    shells = tuple(tuple(s) for s in (DEFAULT_SHELLS if shells is None else shells))
    groups = _stacks(cores, shells, target)
    if not groups:
        raise QdlabInputError("no material stack meets the material constraints (RoHS, heavy "
                              "metals, mismatch, alignment); relax them or add cores/shells")
    # 2. reachability of each core (bare cores, whole size range)
    d_reach = np.arange(CORE_RANGE_NM[0], CORE_RANGE_NM[1] + 1e-9, 0.5)
    e_target = HC_EV_NM / target.peak_nm
    dropped = {}
    keep_cores = set()
    for core in dict.fromkeys(g[0] for g in groups):
        ex = evaluate([core], d_reach, temperature=temperature, dispersion_pct=dispersion_pct)
        e = ex["pl_peak_eV"] if target.emission_nm is not None else ex["first_exciton_eV"]
        e = e[np.isfinite(e)]
        if e.size and (e.min() - REACH_SLACK_EV) <= e_target <= e.max():
            keep_cores.add(core)
        else:
            dropped[core] = ("bare cores of 1.5-12 nm span "
                             f"{HC_EV_NM / e.max():.0f}-{HC_EV_NM / e.min():.0f} nm"
                             if e.size else "no bound states")
    groups = [g for g in groups if g[0] in keep_cores]
    if not groups:
        raise QdlabInputError(f"no core material reaches {target.peak_nm:g} nm: "
                              + "; ".join(f"{k}: {v}" for k, v in dropped.items()))
    # 3. coarse grid
    d_coarse = np.arange(CORE_RANGE_NM[0], CORE_RANGE_NM[1] + 1e-9, COARSE_STEP_NM)

    def all_combos(g):
        return list(itertools.product(MONOLAYERS, repeat=len(g) - 1))

    cols = _search(groups, lambda g: d_coarse, all_combos, target, dispersion_pct, temperature)
    searched = len(cols["valid"])
    cols["score"] = score(cols, target)
    ok = constraint_mask(cols, target)
    if not ok.any():
        raise QdlabInputError(f"no candidate among {searched} meets the constraints; relax "
                              "them (e.g. --max-fwhm, --min-overlap) or widen the search")
    # 4. fine grid around the best distinct (stack, monolayers)
    order = np.nonzero(ok)[0][np.argsort(cols["score"][ok], kind="stable")]
    seeds = []
    for i in order:
        key = (cols["group"][i], cols["shell_ml"][i])
        if key not in [s[:2] for s in seeds]:
            seeds.append((*key, float(cols["core_diameter_nm"][i])))
        if len(seeds) >= max(12, 2 * top):
            break
    parts = []
    for g, ml, d0 in seeds:
        dv = np.arange(max(d0 - FINE_HALF_WIDTH_NM, 1.0), d0 + FINE_HALF_WIDTH_NM + 1e-9,
                       FINE_STEP_NM)
        d, t, mls = _grid(g, dv, [ml] if ml else [()])
        c = _evaluate_group(g, d, t, target, dispersion_pct, temperature)
        c["group"] = [g] * d.size
        c["shell_ml"] = mls
        parts.append(c)
    fine = _concat(parts)
    fine["score"] = score(fine, target)
    okf = constraint_mask(fine, target)
    searched += len(fine["valid"])
    allc = _concat([{k: v for k, v in cols.items() if k != "score"},
                    {k: v for k, v in fine.items() if k != "score"}])
    allc["score"] = np.concatenate([cols["score"], fine["score"]])
    ok_all = np.concatenate([ok, okf])
    idx = np.nonzero(ok_all)[0]
    idx = idx[np.argsort(allc["score"][idx], kind="stable")]
    best, seen = [], set()
    for i in idx:
        key = (allc["group"][i], allc["shell_ml"][i])
        if key in seen:
            continue
        row = _row(allc, int(i), target)
        if refine:
            # the ensemble spectrum of `qdlab spectrum` must exist for a returned design:
            # a stack whose spectrum is refused (e.g. no Kane energy) is dropped with why
            try:
                row = _refine(row, target, dispersion_pct, temperature)
            except QdlabInputError as exc:
                dropped.setdefault(row["structure"], f"no ensemble spectrum: {exc}")
                seen.add(key)
                continue
        seen.add(key)
        best.append(row)
        if len(best) >= top:
            break
    if not best:
        raise QdlabInputError("no candidate that meets the constraints has an ensemble "
                              "spectrum: " + "; ".join(f"{k}: {v}" for k, v in dropped.items()))
    if refine:
        best.sort(key=lambda c: c["score"])
    # Pareto front of the feasible candidates (screening values), one per structure
    sub = {k: (np.asarray(v)[idx] if isinstance(v, np.ndarray) else [v[j] for j in idx])
           for k, v in allc.items()}
    front = pareto_front(objectives(sub, target))
    pareto, seen = [], set()
    for j in front:
        row = _row(sub, int(j), target)
        key = (row["structure"], tuple(s["monolayers"] for s in row["shells"]),
               row["core_diameter_nm"])
        if key not in seen:
            seen.add(key)
            pareto.append(row)
    return DesignResult(target, best, pareto[:200], searched, int(ok_all.sum()),
                        ["/".join(g) for g in groups], dropped)
