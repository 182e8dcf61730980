"""``qdlab levels``: electron and hole levels and the first exciton of one nanocrystal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qdlab.cli._common import (
    Table,
    app,
    console,
    fail,
    handle_errors,
    opt_fmt,
    print_json,
    swatch,
    wavelength_hex,
)

#: Allowed barriers of the medium (eV), as in the web API: 0.01-20 eV.  Ligand and
#: solvent barriers are 1-5 eV (vacuum: the electron affinity, <= ~4.5 eV; oxide and
#: organic matrices: up to ~8 eV for holes); 20 eV is already a hard wall for every
#: level of qdlab, and larger barriers only make the solvers stiff.
BARRIER_RANGE_EV = (0.01, 20.0)
#: Allowed dielectric constant of the medium, as in the web API (water: 80).
MEDIUM_EPS_RANGE = (1.0, 100.0)


def _medium(eps, e_barrier, h_barrier):
    from qdlab.errors import check_range
    from qdlab.structures import Medium

    check_range(eps, "medium_eps", *MEDIUM_EPS_RANGE)
    check_range(e_barrier, "electron_barrier", *BARRIER_RANGE_EV, "eV")
    check_range(h_barrier, "hole_barrier", *BARRIER_RANGE_EV, "eV")
    return Medium(dielectric_constant=eps, electron_barrier_eV=e_barrier,
                  hole_barrier_eV=h_barrier, name="user" if (eps, e_barrier, h_barrier) !=
                  (2.25, 4.0, 4.0) else "organic ligands")


SHAPES = ("sphere", "rod", "platelet", "cube", "tetrapod", "dot-in-rod", "dimer")


#: Options of ``qdlab levels`` that every shape uses.
_LEVELS_COMMON = {"material", "shape", "solver", "temperature", "medium_eps", "electron_barrier",
                  "hole_barrier", "plot", "json", "model"}
#: Options of the single-band solvers that the k.p models do not take.
_SINGLE_BAND_ONLY = ("l_max", "n_states", "parabolic", "resolution", "max_grid_cells")
#: Size options of each shape.
_LEVELS_SHAPE_OPTIONS = {
    "sphere": {"diameter", "core_diameter", "shell"},
    "rod": {"diameter", "length"},
    "dot-in-rod": {"core_diameter", "length", "diameter"},
    "platelet": {"monolayers", "lateral_size"},
    "cube": {"edge"},
    "tetrapod": {"core_diameter", "arm_length", "arm_diameter"},
    "dimer": {"diameter", "core_diameter", "shell", "gap", "neck"},
}
_RADIAL_OPTIONS = {"l_max", "n_states", "parabolic", "screening", "dielectric"}
#: Options of ``--multiexcitons`` (spheres and core/shells on the radial solver only).
_MULTIEXCITON_OPTIONS = {"multiexcitons", "nonradiative_lifetime", "auger_beta",
                         "auger_suppression"}

_GRID_OPTIONS = {"resolution", "dielectric", "max_grid_cells", "n_states", "parabolic",
                 "screening"}

#: Default cap on the cells of the largest 3D grid of ``qdlab levels`` (raise it with
#: ``--max-grid-cells``): ~10 s of one core.  Measured (CPU time, loaded 2-core
#: machine): a 4 nm cube (8000 cells) 4 s, a 6 x 1 nm InP rod (36 864) 11 s; a
#: 6 x 0.5 nm rod at its default spacing (204 800) took 85 s.
LEVELS_MAX_GRID_CELLS = 50_000


def _levels_allowed(shape: str, solver: str) -> tuple[set, dict]:
    """(options that apply, reasons for some that do not) for ``--shape`` and ``--solver``."""
    allowed = _LEVELS_COMMON | _LEVELS_SHAPE_OPTIONS[shape]
    if shape == "sphere":
        allowed |= _GRID_OPTIONS if solver == "grid" else (_RADIAL_OPTIONS
                                                           | _MULTIEXCITON_OPTIONS)
    elif shape == "platelet":
        allowed = (allowed - {"solver"}) | {"resolution"}
    else:
        allowed |= _GRID_OPTIONS
    users = {name: [k for k, v in _LEVELS_SHAPE_OPTIONS.items() if name in v]
             for name in set().union(*_LEVELS_SHAPE_OPTIONS.values())}
    reasons = {n: f"it is a size of --shape {' / '.join(u)}" for n, u in users.items()}
    radial = ("it is an option of the radial solver of spheres and core/shells"
              + (" (not of --solver grid)" if shape == "sphere" else ""))
    reasons.update(dict.fromkeys(_RADIAL_OPTIONS - _GRID_OPTIONS, radial))
    grid = ("it is an option of the 3D grid solver (shapes, or a sphere with --solver grid)"
            if shape != "platelet" else
            "platelets use the thickness-quantisation model, not the 3D grid solver")
    reasons.update(dict.fromkeys(_GRID_OPTIONS - _RADIAL_OPTIONS, grid))
    if shape == "platelet":   # options of both solvers, neither of which platelets use
        reasons.update(dict.fromkeys(_GRID_OPTIONS & _RADIAL_OPTIONS, grid))
    if shape == "platelet":
        reasons["solver"] = "platelets use the thickness-quantisation model"
    reasons.update(dict.fromkeys(_MULTIEXCITON_OPTIONS, (
        "multiexcitons are computed with the radial solver of spheres and core/shells "
        "(their radiative and Auger rates are for spheres; the binding energies of other "
        "shapes: qdlab.electronic.multiexcitons.multiexciton_energies)")))
    return allowed, reasons


def _levels_grid_budget(structure, shape: str, solver: str, resolution, max_cells: int) -> None:
    """Refuse (before any work) a 3D grid of more than ``max_cells`` cells."""
    if shape == "platelet" or (shape == "sphere" and solver != "grid"):
        return
    import math

    import numpy as np

    from qdlab.electronic.grid import default_resolution_nm, grid_unknowns
    from qdlab.electronic.report import largest_report_grid
    from qdlab.structures.shapes import as_shape

    h = default_resolution_nm(structure) if resolution is None else float(resolution)
    lo, hi = (np.asarray(b, dtype=float) for b in as_shape(structure).bounding_box_nm)
    # a lower bound of the cells of one symmetry sector (the particle's box, one octant at
    # most), computed without laying out the grid
    lower = float(np.prod(np.maximum(1.0, (hi - lo) / h))) / 8.0
    if lower > max_cells:
        cells, about = lower, "at least"
    elif shape == "sphere":
        cells, about = grid_unknowns(structure, h), "about"
    else:
        cells, about = largest_report_grid(structure, resolution)[0], "about"
    if cells > max_cells:
        feature = as_shape(structure).min_feature_nm
        suggest = math.ceil(100 * h * (cells / max_cells) ** (1 / 3)) / 100
        if suggest > feature / 4:
            fail(f"the particle is too large for the 3D grid solver: {about} {cells:,.0f} "
                 f"cells at spacing {h:g} nm, more than --max-grid-cells {max_cells:,}, and a "
                 f"spacing coarse enough to fit ({suggest:g} nm) would not resolve its "
                 f"smallest feature ({feature:g} nm)")
        fail(f"the 3D grid would have {about} {cells:,.0f} cells (spacing {h:g} nm), more "
             f"than --max-grid-cells {max_cells:,}: give a coarser --resolution (e.g. "
             f"{suggest:g} nm) or raise --max-grid-cells (time and memory grow with it)")


def _check_levels_options(ctx, shape, solver, plot, resolution, max_grid_cells, dielectric,
                          sizes: dict) -> None:
    """Refuse (exit 2) choices, options and sizes ``qdlab levels`` cannot use, before any work."""
    import math

    from qdlab.cli._common import (
        MIN_RESOLUTION_NM,
        check_output_path,
        check_size,
        reject_options,
    )

    if shape not in SHAPES:
        fail(f"shape must be one of {', '.join(SHAPES)}, got {shape!r}")
    if solver not in ("auto", "radial", "grid"):
        fail(f"solver must be auto, radial or grid, got {solver!r}")
    if shape != "sphere" and solver == "radial":
        fail(f"solver 'radial' needs a sphere or core/shell, got shape {shape!r}")
    reject_options(ctx, *_levels_allowed(shape, solver)[:1], f"--shape {shape}"
                   + (f" --solver {solver}" if shape == "sphere" and solver != "auto" else ""),
                   _levels_allowed(shape, solver)[1])
    if plot is not None:
        check_output_path(plot, "--plot", (".png",))
    for opt, value in sizes.items():
        check_size(value, opt)
    if resolution is not None and math.isfinite(resolution) and \
            0 < resolution < MIN_RESOLUTION_NM:
        fail(f"resolution must be >= {MIN_RESOLUTION_NM:g} nm, got {resolution:g}")
    if max_grid_cells < 1:
        fail(f"max_grid_cells must be >= 1, got {max_grid_cells}")
    if dielectric is not None and dielectric not in ("uniform", "mismatch"):
        fail(f"dielectric must be 'uniform' or 'mismatch', got {dielectric!r}")


@app.command()
@handle_errors
def levels(
    ctx: typer.Context,
    material: Annotated[str, typer.Argument(help="Material, or layers from the core out: "
                                                  "CdSe, CdSe/ZnS, InP/ZnSe/ZnS")],
    diameter: Annotated[float | None, typer.Option(help="Sphere / rod / arm diameter in nm")]
    = None,
    core_diameter: Annotated[float | None, typer.Option(help="Core diameter in nm")] = None,
    shell: Annotated[list[float] | None, typer.Option(
        help="Shell thickness in nm, one per shell material (repeat)")] = None,
    shape: Annotated[str, typer.Option(help="sphere, rod, platelet, cube, tetrapod, "
                                            "dot-in-rod or dimer")] = "sphere",
    length: Annotated[float | None, typer.Option(help="Rod length tip to tip, nm")] = None,
    edge: Annotated[float | None, typer.Option(help="Cube edge, nm")] = None,
    monolayers: Annotated[int | None, typer.Option(help="Platelet thickness in monolayers")]
    = None,
    lateral_size: Annotated[float, typer.Option(help="Platelet lateral size, nm")] = 20.0,
    arm_length: Annotated[float | None, typer.Option(help="Tetrapod arm length, nm")] = None,
    arm_diameter: Annotated[float | None, typer.Option(help="Tetrapod arm diameter, nm")]
    = None,
    gap: Annotated[float, typer.Option(help="Dimer gap between the partners, nm")] = 0.0,
    neck: Annotated[float | None, typer.Option(help="Dimer neck diameter, nm")] = None,
    solver: Annotated[str, typer.Option(help="auto, radial or grid (3D)")] = "auto",
    resolution: Annotated[float | None, typer.Option(help="3D grid spacing in nm")] = None,
    dielectric: Annotated[str | None, typer.Option(
        help="mismatch (image terms of the layers and the medium; default for spheres, "
             "either solver) or uniform (J in the core's eps; default for other shapes, "
             "whose mismatch terms take seconds)")] = None,
    temperature: Annotated[float, typer.Option(help="Temperature in K")] = 300.0,
    medium_eps: Annotated[float, typer.Option(help="Dielectric constant of the medium")] = 2.25,
    electron_barrier: Annotated[float, typer.Option(
        help="Medium barrier for electrons, eV")] = 4.0,
    hole_barrier: Annotated[float, typer.Option(help="Medium barrier for holes, eV")] = 4.0,
    l_max: Annotated[int | None, typer.Option(
        help="Highest angular momentum listed (radial solver; default 2)")] = None,
    n_states: Annotated[int | None, typer.Option(
        help="Radial states per l (radial) or states per carrier (grid); default 2")] = None,
    parabolic: Annotated[bool, typer.Option(help="Use parabolic (constant) masses")] = False,
    screening: Annotated[str | None, typer.Option(
        help="Coulomb screening: high_frequency (default) or static")] = None,
    model: Annotated[str, typer.Option(
        help="auto, kp or single-band. auto = the multiband quantum well for "
             "zinc-blende platelets, single band elsewhere (qdlab validate). kp covers "
             "II-VI/III-V spheres and core/shells (better than single band for CdSe "
             "spheres), PbS/PbSe/PbTe and CuCl spheres, CsPbX3 cubes and zinc-blende "
             "platelets")] = "auto",
    max_grid_cells: Annotated[int, typer.Option(
        help="3D shapes: refuse grids with more cells than this (cost grows with it)")]
    = LEVELS_MAX_GRID_CELLS,
    multiexcitons: Annotated[bool, typer.Option(
        "--multiexcitons", help="Add biexciton and trion binding energies, radiative and "
                                "Auger lifetimes and quantum yields (spheres and "
                                "core/shells)")] = False,
    nonradiative_lifetime: Annotated[float | None, typer.Option(
        help="--multiexcitons: exciton nonradiative lifetime, ns (default: none, QY = 1)")]
    = None,
    auger_beta: Annotated[float | None, typer.Option(
        help="--multiexcitons: biexciton Auger time per volume, ps/nm^3 (default 1, Robel "
             "2009)")] = None,
    auger_suppression: Annotated[float | None, typer.Option(
        help="--multiexcitons: factor >= 1 lengthening the Auger times (graded interfaces, "
             "Cragg & Efros 2010; default 1)")] = None,
    plot: Annotated[Path | None, typer.Option(help="PNG of the wavefunctions")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
):
    """Electron and hole levels and the first exciton of a nanocrystal.

    Models (--model auto): the single-band effective-mass model for spheres and 3D shapes,
    shared with the 3D grid, spectra and sizing, and the multiband quantum well for
    zinc-blende platelets; --model kp gives the multiband k.p levels where they apply
    (better for CdSe spheres: see `qdlab validate`); --json reports "model".
    Options that do not apply to the chosen --shape, solver or model are refused.
    --multiexcitons adds the biexciton and trion energies, lifetimes and quantum yields
    (spheres and core/shells; first-order Coulomb integrals of the single-band states).
    """
    import math

    from qdlab.electronic.report import levels_report
    from qdlab.errors import check_positive

    for name, value in (("--nonradiative-lifetime", nonradiative_lifetime),
                        ("--auger-beta", auger_beta),
                        ("--auger-suppression", auger_suppression)):
        if value is not None and not multiexcitons:
            fail(f"{name} is an option of --multiexcitons: add --multiexcitons")
    if nonradiative_lifetime is not None:
        check_positive(nonradiative_lifetime, "nonradiative_lifetime", "ns")
    if auger_beta is not None:
        check_positive(auger_beta, "auger_beta", "ps/nm^3")
    if auger_suppression is not None and not (math.isfinite(auger_suppression)
                                              and auger_suppression >= 1.0):
        fail(f"auger_suppression must be a finite number >= 1, got {auger_suppression:g}")

    _check_levels_options(ctx, shape, solver, plot, resolution, max_grid_cells, dielectric,
                          {"--diameter": diameter, "--core-diameter": core_diameter,
                           "--length": length, "--edge": edge, "--arm-length": arm_length,
                           "--arm-diameter": arm_diameter, "--neck": neck,
                           "--lateral-size": lateral_size})
    med = _medium(medium_eps, electron_barrier, hole_barrier)
    structure = _build_structure(material, shape, diameter, core_diameter, shell or [], length,
                                 edge, monolayers, lateral_size, arm_length, arm_diameter, gap,
                                 neck, med, temperature)
    if resolution is not None:
        check_positive(resolution, "resolution", "nm")
    if shape != "sphere" and solver == "radial":
        fail(f"solver 'radial' needs a sphere or core/shell, got shape {shape!r}")
    chosen = _levels_model(ctx, structure, model, solver, shape, plot)
    if chosen == "single-band":
        _levels_grid_budget(structure, shape, solver, resolution, max_grid_cells)
    if shape == "sphere" and not shell and "/" not in material:
        from qdlab.optics.validity import warn_size_validity

        warn_size_validity(material, diameter if diameter is not None else core_diameter)
    # only the options given reach the library, which refuses those that do not apply
    opts = {k: v for k, v in (("l_max", l_max), ("n_states", n_states),
                              ("screening", screening), ("dielectric", dielectric))
            if v is not None}
    if parabolic:
        opts["nonparabolic"] = False
    if chosen == "kp" and plot is not None and shape != "platelet":
        opts["profiles"] = True
    result = levels_report(structure, solver=solver, resolution_nm=resolution, model=chosen,
                           **opts)
    profiles = result.pop("profiles", None)
    if profiles is not None:
        profiles["first_exciton_nm"] = result["first_exciton_nm"]
    if multiexcitons:
        mx = _multiexcitons(structure, temperature, screening, dielectric, parabolic,
                            nonradiative_lifetime, auger_beta, auger_suppression)
        from qdlab.electronic.multiexcitons import LEVELS_JSON_KEYS

        result.update({k: mx[k] for k in LEVELS_JSON_KEYS})
        result["multiexcitons"] = mx
    colour = wavelength_hex(result["first_exciton_nm"])
    result["colour_hex"] = colour
    if plot is not None:
        from qdlab.cli.plots import plot_levels

        plot_levels(plot, structure, solver=solver, resolution_nm=resolution, profiles=profiles,
                    first_exciton_nm=result["first_exciton_nm"])
        result["plot"] = str(plot)
    if json:
        print_json(result)
        return
    _print_levels(structure, result, colour)
    if multiexcitons:
        _print_multiexcitons(result["multiexcitons"])


def _multiexcitons(structure, temperature, screening, dielectric, parabolic,
                   nonradiative_lifetime, auger_beta, auger_suppression) -> dict:
    """The multiexciton dict of one sphere / core-shell (imported only when asked for)."""
    from qdlab.electronic.multiexcitons import multiexciton_properties

    opts = {k: v for k, v in (("screening", screening), ("dielectric", dielectric),
                              ("auger_beta_ps_nm3", auger_beta),
                              ("auger_suppression", auger_suppression)) if v is not None}
    if parabolic:
        opts["nonparabolic"] = False
    from qdlab.optics.band_edge_lifetime import multiexciton_radiative_lifetime_ns

    return multiexciton_properties(
        structure, temperature_K=temperature,
        exciton_radiative_lifetime_ns=multiexciton_radiative_lifetime_ns(structure),
        exciton_nonradiative_lifetime_ns=nonradiative_lifetime, **opts).to_dict()


def _print_multiexcitons(mx: dict) -> None:
    table = Table(title="Multiexcitons (first-order Coulomb; k.p radiative rate; "
                        "volume-scaling Auger)")
    for col in ("complex", "binding (meV)", "radiative (ns)", "Auger (ns)", "lifetime (ns)",
                "QY"):
        table.add_column(col, justify="right" if col != "complex" else "left")
    x = mx["exciton_radiative_lifetime_ns"]
    qx = mx["exciton_qy"]
    table.add_row("X", "", f"{x:.3g}", "", f"{x * qx:.3g}", f"{qx:.3f}")
    for name, label in (("biexciton", "XX"), ("positive_trion", "X+"),
                        ("negative_trion", "X-")):
        table.add_row(label, f"{mx[name + '_binding_meV']:+.1f}",
                      f"{mx[name + '_radiative_lifetime_ns']:.3g}",
                      f"{mx[name + '_auger_lifetime_ns']:.3g}",
                      f"{mx[name + '_lifetime_ns']:.3g}", f"{mx[name + '_qy']:.3f}")
    console.print(table)


def _levels_model(ctx, structure, model: str, solver: str, shape: str, plot) -> str:
    """Resolve --model ("kp" or "single-band"); refuse (exit 2) what does not apply."""
    from qdlab.cli._common import given_options
    from qdlab.electronic.model_choice import MODELS, resolve_model

    if model not in MODELS:
        fail(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    if model == "kp":
        if solver == "grid":
            fail("--model kp does not apply to --solver grid (the 3D grid solves the "
                 "single-band model): use --solver auto/radial or --model single-band")
        from qdlab.electronic.kp.levels import kp_not_applicable

        reason = kp_not_applicable(structure)
        if reason is not None:
            fail(f"--model kp does not apply to this {shape} ({material_label(structure)}): "
                 f"{reason}")
    chosen = resolve_model(structure, model, solver)
    if chosen == "kp":
        extra = sorted(given_options(ctx) & set(_SINGLE_BAND_ONLY))
        if extra:
            which = "--model kp"
            fail(f"--{extra[0].replace('_', '-')} does not apply to {which}: it is an option "
                 "of the single-band model (add --model single-band)")
        if plot is not None and shape != "platelet":   # a platelet's plot: grid slices
            from qdlab.electronic.kp.levels import kp_options

            if "profiles" not in kp_options(structure):
                fail("--plot draws radial wavefunctions, which the k.p model of "
                     f"{structure!r} does not give (Kane/Luttinger spheres do): use "
                     "--model single-band")
    return chosen


def material_label(structure) -> str:
    """Layer materials of a structure, core first (for messages)."""
    mats = getattr(structure, "materials", None)
    if mats is None:
        mats = [r.material for r in getattr(structure, "regions", [])]
    return "/".join(dict.fromkeys(m.name for m in mats))


def _build_structure(material, shape, diameter, core_diameter, shells, length, edge,
                     monolayers, lateral_size, arm_length, arm_diameter, gap, neck, med,
                     temperature):
    """Map command-line options to a structure (construction only, no physics)."""
    from qdlab.structures import parse_layers

    def need(value, name):
        if value is None:
            fail(f"--shape {shape} needs --{name.replace('_', '-')}")
        return value

    names = [m.strip() for m in material.split("/")]
    if shape == "sphere":
        d = diameter if diameter is not None else core_diameter
        if d is None:
            fail("give --diameter (sphere) or --core-diameter (core/shell) in nm")
        if diameter is not None and core_diameter is not None:
            fail("give either --diameter or --core-diameter, not both")
        return parse_layers(material, d, shells, medium=med, temperature=temperature)
    from qdlab.structures import shapes as sh  # (not imported for spheres: start-up)

    if shape == "dot-in-rod":
        if len(names) != 2:
            fail("--shape dot-in-rod needs CORE/ROD materials, e.g. CdSe/CdS")
        return sh.DotInRod(names[0], need(core_diameter, "core_diameter"), names[1],
                           need(length, "length"), need(diameter, "diameter"), medium=med,
                           temperature=temperature)
    if len(names) != 1 and shape != "dimer":
        fail(f"--shape {shape} takes one material, got {material!r}")
    if shape == "rod":
        return sh.Rod(names[0], need(length, "length"), need(diameter, "diameter"), medium=med,
                      temperature=temperature)
    if shape == "platelet":
        mat = names[0]
        if mat == "CdSe":   # platelets grow in the zinc-blende phase
            mat = "CdSe-zb"
        return sh.Platelet(mat, need(monolayers, "monolayers"), lateral_size, medium=med,
                           temperature=temperature)
    if shape == "cube":
        return sh.Cube(names[0], need(edge, "edge"), medium=med, temperature=temperature)
    if shape == "tetrapod":
        return sh.Tetrapod(names[0], need(core_diameter, "core_diameter"),
                           need(arm_length, "arm_length"), need(arm_diameter, "arm_diameter"),
                           medium=med, temperature=temperature)
    # dimer of two identical spheres or core/shells
    d = diameter if diameter is not None else need(core_diameter, "core_diameter")
    unit = parse_layers(material, d, shells, medium=med, temperature=temperature)
    return sh.Dimer(unit, unit, gap_nm=gap, neck_diameter_nm=neck)


def _print_levels(structure, result, colour) -> None:
    console.print(f"[bold]{structure!r}[/]")
    if result.get("model") == "kp":
        console.print(f"model: k.p ({result.get('kp_model')}); --model single-band for the "
                      "single-band effective-mass model")
    table = Table(title="Single-particle levels (vacuum scale)")
    for col in ("carrier", "state", "energy (eV)", "confinement (eV)"):
        table.add_column(col, justify="right" if col != "carrier" else "left")
    for carrier in ("electron", "hole"):
        for lv in result.get(f"{carrier}_levels", []):
            table.add_row(carrier, str(lv.get("label", lv.get("index", ""))),
                          opt_fmt(lv.get("energy_eV"), ".4f"),
                          opt_fmt(lv.get("confinement_eV"), ".4f"))
    if table.row_count:
        console.print(table)
    for key, label in (("single_particle_gap_eV", "single-particle gap"),
                       ("coulomb_eV", "Coulomb attraction"),
                       ("polarisation_eV", "self-polarisation"),
                       ("coulomb_correction_eV", "Coulomb + polarisation"),
                       ("overlap", "e-h overlap"), ("alignment", "alignment"),
                       ("regime", "confinement regime")):
        if key in result and result[key] is not None:
            v = result[key]
            console.print(f"{label:22s} {v:.4f}" if isinstance(v, float) else f"{label:22s} {v}")
    pol = result.get("polarisation_anisotropy")
    if isinstance(pol, dict):
        r = pol.get("emission_r", pol.get("total"))
        if isinstance(r, float):
            console.print(f"{'polarisation (PL)':22s} r = {r:+.2f}")
    console.print(f"[bold]first exciton          {result['first_exciton_eV']:.4f} eV = "
                  f"{result['first_exciton_nm']:.1f} nm[/]  {swatch(colour)} {colour or ''}")
    if result.get("light_hole_energy_eV") is not None:     # platelets: second absorption line
        console.print(f"{'light-hole exciton':22s} {result['light_hole_energy_eV']:.4f} eV = "
                      f"{result['light_hole_wavelength_nm']:.1f} nm")
