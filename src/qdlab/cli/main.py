"""The ``qdlab`` command: a thin shell over the library (no physics here)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qdlab.cli._common import (
    Table,
    atomic_output,
    console,
    err_console,
    fail,
    handle_errors,
    print_json,
    print_summary,
    save_figure,
    swatch,
    wavelength_hex,
)
from qdlab.errors import QdlabInputError

app = typer.Typer(
    name="qdlab",
    help="qdlab: an open laboratory for colloidal quantum dots (units: nm, eV, K).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _medium(eps, e_barrier, h_barrier):
    from qdlab.structures import Medium

    return Medium(dielectric_constant=eps, electron_barrier_eV=e_barrier,
                  hole_barrier_eV=h_barrier, name="user" if (eps, e_barrier, h_barrier) !=
                  (2.25, 4.0, 4.0) else "organic ligands")


SHAPES = ("sphere", "rod", "platelet", "cube", "tetrapod", "dot-in-rod", "dimer")


#: Options of ``qdlab levels`` that every shape uses.
_LEVELS_COMMON = {"material", "shape", "solver", "temperature", "medium_eps", "electron_barrier",
                  "hole_barrier", "plot", "json"}
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
        allowed |= _GRID_OPTIONS if solver == "grid" else _RADIAL_OPTIONS
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
    return allowed, reasons


def _levels_grid_budget(structure, shape: str, solver: str, resolution, max_cells: int) -> None:
    """Refuse (before any work) a 3D grid of more than ``max_cells`` cells."""
    import math

    import numpy as np

    from qdlab.electronic.grid import default_resolution_nm, grid_unknowns
    from qdlab.electronic.report import largest_report_grid
    from qdlab.structures.shapes import as_shape

    if shape == "platelet" or (shape == "sphere" and solver != "grid"):
        return
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
    max_grid_cells: Annotated[int, typer.Option(
        help="3D shapes: refuse grids with more cells than this (cost grows with it)")]
    = LEVELS_MAX_GRID_CELLS,
    plot: Annotated[Path | None, typer.Option(help="PNG of the wavefunctions")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
):
    """Electron and hole levels and the first exciton of a nanocrystal.

    Options that do not apply to the chosen --shape (or solver) are refused.
    """
    import math

    from qdlab.cli._common import (
        MIN_RESOLUTION_NM,
        check_min_size,
        check_output_path,
        reject_options,
    )
    from qdlab.electronic.report import levels_report
    from qdlab.errors import check_positive

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
    for value, opt in ((diameter, "--diameter"), (core_diameter, "--core-diameter"),
                       (length, "--length"), (edge, "--edge"), (arm_length, "--arm-length"),
                       (arm_diameter, "--arm-diameter"), (neck, "--neck"),
                       (lateral_size, "--lateral-size")):
        check_min_size(value, opt)
    if resolution is not None and math.isfinite(resolution) and \
            0 < resolution < MIN_RESOLUTION_NM:
        fail(f"resolution must be >= {MIN_RESOLUTION_NM:g} nm, got {resolution:g}")
    if max_grid_cells < 1:
        fail(f"max_grid_cells must be >= 1, got {max_grid_cells}")
    if dielectric is not None and dielectric not in ("uniform", "mismatch"):
        fail(f"dielectric must be 'uniform' or 'mismatch', got {dielectric!r}")
    med = _medium(medium_eps, electron_barrier, hole_barrier)
    structure = _build_structure(material, shape, diameter, core_diameter, shell or [], length,
                                 edge, monolayers, lateral_size, arm_length, arm_diameter, gap,
                                 neck, med, temperature)
    if resolution is not None:
        check_positive(resolution, "resolution", "nm")
    if shape != "sphere" and solver == "radial":
        fail(f"solver 'radial' needs a sphere or core/shell, got shape {shape!r}")
    _levels_grid_budget(structure, shape, solver, resolution, max_grid_cells)
    if shape == "sphere" and not shell and "/" not in material:
        from qdlab.optics.ensemble import warn_size_validity

        warn_size_validity(material, diameter if diameter is not None else core_diameter)
    # only the options given reach the library, which refuses those that do not apply
    opts = {k: v for k, v in (("l_max", l_max), ("n_states", n_states),
                              ("screening", screening), ("dielectric", dielectric))
            if v is not None}
    if parabolic:
        opts["nonparabolic"] = False
    result = levels_report(structure, solver=solver, resolution_nm=resolution, **opts)
    colour = wavelength_hex(result["first_exciton_nm"])
    result["colour_hex"] = colour
    if plot is not None:
        from qdlab.cli.plots import plot_levels

        plot_levels(plot, structure, solver=solver, resolution_nm=resolution)
        result["plot"] = str(plot)
    if json:
        print_json(result)
        return
    _print_levels(structure, result, colour)


def _build_structure(material, shape, diameter, core_diameter, shells, length, edge,
                     monolayers, lateral_size, arm_length, arm_diameter, gap, neck, med,
                     temperature):
    """Map command-line options to a structure (construction only, no physics)."""
    from qdlab.structures import parse_layers
    from qdlab.structures import shapes as sh

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
    table = Table(title="Single-particle levels (vacuum scale)")
    for col in ("carrier", "state", "energy (eV)", "confinement (eV)"):
        table.add_column(col, justify="right" if col != "carrier" else "left")
    for carrier in ("electron", "hole"):
        for lv in result.get(f"{carrier}_levels", []):
            table.add_row(carrier, str(lv.get("label", lv.get("index", ""))),
                          f"{lv['energy_eV']:.4f}", _opt(lv.get("confinement_eV"), ".4f"))
    if table.row_count:
        console.print(table)
    for key, label in (("single_particle_gap_eV", "single-particle gap"),
                       ("coulomb_eV", "Coulomb attraction"),
                       ("polarisation_eV", "self-polarisation"),
                       ("overlap", "e-h overlap"), ("alignment", "alignment")):
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


@app.command()
@handle_errors
def materials(
    name: Annotated[str | None, typer.Argument(help="Material name or key (e.g. CdSe, "
                                                    "CdSe-zb); omit to list all")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
):
    """List the materials, or show every value of one with its source."""
    from qdlab.materials import get_material, list_materials

    if name is None:
        keys = list_materials()
        if json:
            print_json([_material_summary(get_material(k)) for k in keys])
            return
        table = Table(title=f"{len(keys)} materials")
        for col in ("key", "phase", "Eg 300 K (eV)", "me", "mh", "eps", "a_B (nm)", "RoHS"):
            table.add_column(col)
        for k in keys:
            s = _material_summary(get_material(k))
            table.add_row(k, s["phase"], f"{s['band_gap_300K_eV']:.3f}", f"{s['electron_mass']:.3g}",
                          f"{s['hole_mass']:.3g}", f"{s['eps_static']:.3g}",
                          f"{s['exciton_bohr_radius_nm']:.2f}",
                          ",".join(s["rohs_restricted_elements"]) or "-")
        console.print(table)
        return
    m = get_material(name)
    rows = m.describe()
    if json:
        print_json({"key": m.key, "name": m.name, "phase": m.phase,
                    "values": [{"field": f, "value": v, "unit": u, "source": s}
                               for f, v, u, s in rows]})
        return
    table = Table(title=f"{m.key} ({m.phase})", show_lines=False)
    for col in ("field", "value", "unit", "source"):
        table.add_column(col, overflow="fold")
    for f, v, u, s in rows:
        table.add_row(str(f), _fmt_value(v), str(u or ""), str(s or ""))
    console.print(table)


def _fmt_value(v) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, (list, tuple)):
        return ", ".join(_fmt_value(x) for x in v)
    return str(v)


def _material_summary(m) -> dict:
    return {"key": m.key, "name": m.name, "phase": m.phase,
            "band_gap_300K_eV": float(m.band_gap(300.0)), "electron_mass": m.electron_mass,
            "hole_mass": m.hole_mass, "eps_static": m.eps_static,
            "exciton_bohr_radius_nm": m.exciton_bohr_radius_nm,
            "rohs_restricted_elements": list(m.rohs_restricted_elements)}


@app.command()
@handle_errors
def validate(json: Annotated[bool, typer.Option("--json", help="Print JSON rows")] = False):
    """Model first-exciton energies against published experimental sizing relations."""
    from qdlab.validation import validate_all

    rows = validate_all()
    if json:
        print_json(rows)
        return
    console.print(validation_table(rows))
    console.print("Model: effective-mass solvers with bulk parameters (no fit). "
                  "Error = model - experiment; > 0 means the model is too blue.\n"
                  "Known weak spots (see qdlab.validation): sizes below ~3 nm, CdS (0.34 eV "
                  "too red, a flat offset), CdSe platelets (0.22 eV too red).\n")
    from qdlab.synthesis.measured import validate_growth_series

    console.print(growth_table(validate_growth_series()))
    console.print("Recipe 'cdse-teaching': conversion rate and solubility fitted to run 2 "
                  "(scripts/fit_teaching_recipe.py); runs 3 and 6 are held out. Peaks from "
                  "the mean diameter through the Jasieniak 2009 curve. Error > 0: too red.")


def growth_table(rows) -> Table:
    table = Table(title="Synthesis kinetics: first-exciton peak vs reaction time (30-600 s), "
                        "measured CdSe growth series (Imperial MS 3.02)")
    for col in ("run", "role", "n", "RMS (nm)", "max |err| (nm)", "mean err (nm)"):
        table.add_column(col, justify="left" if col in ("run", "role") else "right")
    for r in rows:
        table.add_row(r["run"], r["role"], str(r["n"]), f"{r['rms_nm']:.1f}",
                      f"{r['max_abs_nm']:.1f}", f"{r['mean_error_nm']:+.1f}")
    return table


def validation_table(rows) -> Table:
    table = Table(title="First exciton: model vs experiment")
    for col in ("material", "source", "n", "sizes", "RMS (eV)", "max |err| (eV)",
                "mean err (eV)", "RMS (nm)"):
        table.add_column(col, justify="left" if col in ("material", "source") else "right")
    for r in rows:
        size = (f"{r['diameter_min_nm']:.1f}-{r['diameter_max_nm']:.1f} nm"
                if r.get("diameter_min_nm") is not None
                else "{:g}-{:g} ML".format(*(m + 0.5 for m in r["monolayers"])))
        table.add_row(r["material"], r["source"], str(r["n"]), size,
                      f"{r['rms_eV']:.3f}", f"{r['max_abs_eV']:.3f}", f"{r['mean_error_eV']:+.3f}",
                      f"{r['rms_nm']:.1f}")
    return table


@app.command()
@handle_errors
def size(
    material: Annotated[str, typer.Argument(help="Material, e.g. CdSe, CdTe, CdS, PbS, PbSe")],
    peak: Annotated[float, typer.Option(help="First-exciton absorption peak in nm")],
    absorbance: Annotated[float | None, typer.Option(
        help="Absorbance where the curve's extinction applies (peak; 400 nm for Pb salts)")]
    = None,
    path_cm: Annotated[float, typer.Option(help="Optical path length in cm")] = 1.0,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
):
    """Diameter, extinction and concentration from the first-exciton peak."""
    from qdlab.sizing.report import size_report

    out = size_report(material, peak, absorbance=absorbance, path_cm=path_cm)
    name = out["material"]
    if json:
        print_json(out)
        return
    table = Table(title=f"{name}: first exciton at {peak:g} nm")
    for col in ("method", "diameter (nm)", "extinction (M^-1 cm^-1)", "at (nm)",
                "concentration (M)", "in range"):
        table.add_column(col)
    for m in out["methods"]:
        mark = " *" if m["name"] == out["recommended"] else ""
        table.add_row(m["name"] + mark, _opt(m["diameter_nm"], ".3f"),
                      _opt(m["extinction_M-1cm-1"], ".4g"),
                      _opt(m["extinction_wavelength_nm"], ".0f"),
                      _opt(m["concentration_M"], ".3e"), "yes" if m["in_range"] else "no")
    console.print(table)
    console.print(f"[bold]diameter {out['diameter_nm']:.2f} nm[/] (* recommended: "
                  f"{out['recommended']})")


def _opt(v, fmt) -> str:
    return "-" if v is None else format(v, fmt)


@app.command()
@handle_errors
def colour(
    ctx: typer.Context,
    material: Annotated[str | None, typer.Argument(help="Material (with --diameter)")] = None,
    diameter: Annotated[float | None, typer.Option(help="Mean diameter in nm")] = None,
    dispersion: Annotated[float, typer.Option(
        help="Size dispersion (std/mean) in percent, sets the emission width")] = 5.0,
    centre: Annotated[float | None, typer.Option(
        help="Or: emission line centre in nm (Gaussian)")] = None,
    fwhm: Annotated[float, typer.Option(help="Line FWHM in nm (with --centre)")] = 30.0,
    gamut: Annotated[list[str] | None, typer.Option(
        help="Emitter CENTRE:FWHM in nm for a display gamut (repeat, >= 3)")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
):
    """Colour of an emitter (CIE xy, u'v', sRGB, dominant wavelength, purity) or a gamut."""
    from qdlab.cli._common import check_min_size, reject_options
    from qdlab.optics.colour import emission_colour, gamut_coverage, gaussian_line

    if gamut:
        reject_options(ctx, {"gamut", "json"}, "--gamut",
                       dict.fromkeys(("material", "diameter", "dispersion", "centre", "fwhm"),
                                     "each emitter is given as CENTRE:FWHM"))
    elif centre is not None:
        reject_options(ctx, {"centre", "fwhm", "json"}, "--centre",
                       dict.fromkeys(("material", "diameter", "dispersion"),
                                     "give either a material and size, or a line centre"))
    else:
        reject_options(ctx, {"material", "diameter", "dispersion", "json"}, "MATERIAL --diameter",
                       {"fwhm": "the emission width of an ensemble comes from its size "
                                "dispersion (--dispersion); --fwhm goes with --centre"})
        check_min_size(diameter, "--diameter")
    if gamut:
        lines = []
        for item in gamut:
            try:
                c, w = (float(v) for v in item.split(":"))
            except ValueError:
                fail(f"gamut entries must be CENTRE:FWHM in nm, e.g. 630:25, got {item!r}")
            lines.append(gaussian_line(c, w))
        cov = gamut_coverage(lines)
        if json:
            print_json(cov)
            return
        table = Table(title=f"Gamut of {len(lines)} emitters")
        for col in ("standard", "area ratio xy", "coverage xy", "area ratio u'v'",
                    "coverage u'v'"):
            table.add_column(col)
        for ref, v in cov.items():
            if ref == "primaries_xy":
                continue
            table.add_row(ref, f"{100 * v['area_ratio_xy']:.1f} %",
                          f"{100 * v['coverage_xy']:.1f} %",
                          f"{100 * v['area_ratio_upvp']:.1f} %",
                          f"{100 * v['coverage_upvp']:.1f} %")
        console.print(table)
        return

    if centre is None:
        if material is None or diameter is None:
            fail("give MATERIAL --diameter D [--dispersion P], or --centre NM [--fwhm NM]")
        import numpy as np

        from qdlab.optics.ensemble import Ensemble, SizeDistribution

        ens = Ensemble(material, SizeDistribution.normal(diameter, dispersion))
        centre, fwhm = ens.emission_peak_nm(), ens.emission_fwhm_nm()
        grid = np.arange(360.0, 831.0, 1.0)
        res = emission_colour(grid, ens.emission(grid)).to_dict()
        res.update({"material": material, "diameter_nm": diameter,
                    "dispersion_pct": dispersion, "stokes_shift_eV": ens.stokes_shift_eV})
    else:
        res = emission_colour(*gaussian_line(centre, fwhm)).to_dict()
    res.update({"emission_peak_nm": centre, "emission_fwhm_nm": fwhm})
    if json:
        print_json(res)
        return
    table = Table(title=f"Colour of emission at {centre:.1f} nm (FWHM {fwhm:.1f} nm)")
    table.add_column("quantity")
    table.add_column("value")
    table.add_row("CIE 1931 x, y", f"{res['x']:.4f}, {res['y']:.4f}")
    table.add_row("CIE 1976 u', v'", f"{res['u_prime']:.4f}, {res['v_prime']:.4f}")
    table.add_row("sRGB", f"{swatch(res['srgb_hex'])} {res['srgb_hex']}")
    if res["dominant_wavelength_nm"] is not None:
        table.add_row("dominant wavelength", f"{res['dominant_wavelength_nm']:.1f} nm")
    elif res["complementary_wavelength_nm"] is not None:
        table.add_row("complementary wavelength",
                      f"{res['complementary_wavelength_nm']:.1f} nm (purple)")
    else:
        table.add_row("dominant wavelength", f"none: {res['dominant_wavelength_note']}")
    table.add_row("luminous efficiency", f"{res['luminous_efficiency']:.3g} (1 at 555 nm)")
    table.add_row("purity", f"{100 * res['purity']:.1f} %")
    console.print(table)


@app.command()
@handle_errors
def spectrum(
    ctx: typer.Context,
    material: Annotated[str, typer.Argument(help="Core material, e.g. CdSe")],
    diameter: Annotated[float | None, typer.Option(help="Mean core diameter in nm")] = None,
    dispersion: Annotated[float, typer.Option(help="Size dispersion std/mean in %")] = 5.0,
    distribution: Annotated[str, typer.Option(help="normal or lognormal")] = "normal",
    concentration: Annotated[float | None, typer.Option(
        help="Particle concentration in mol/L (adds an absorbance column)")] = None,
    path_cm: Annotated[float, typer.Option(help="Optical path in cm")] = 1.0,
    wl_min: Annotated[float, typer.Option(help="Shortest wavelength, nm")] = 350.0,
    wl_max: Annotated[float, typer.Option(help="Longest wavelength, nm")] = 800.0,
    step: Annotated[float, typer.Option(help="Wavelength step, nm")] = 1.0,
    out: Annotated[Path | None, typer.Option(help="Write the spectra as CSV")] = None,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG figure")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print a JSON summary")] = False,
    shape: Annotated[str, typer.Option(help="sphere, or cube (perovskites; use --edge)")]
    = "sphere",
    edge: Annotated[float | None, typer.Option(help="Mean cube edge length in nm "
                                               "(--shape cube)")] = None,
):
    """Absorption (molar extinction) and PL spectra of an ensemble of dots."""
    import numpy as np

    from qdlab.cli._common import check_min_size, check_output_path, given_options
    from qdlab.errors import check_positive
    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    if "path_cm" in given_options(ctx) and concentration is None:
        fail("--path-cm does not apply without --concentration: it only sets the absorbance "
             "column (give --concentration in mol/L)")
    check_min_size(diameter, "--diameter")
    if out is not None:
        check_output_path(out, "--out", (".csv",))
    if plot is not None:
        check_output_path(plot, "--plot", (".png",))
    check_positive(step, "step", "nm")
    check_positive(wl_min, "wl_min", "nm")
    if not wl_max > wl_min:
        fail(f"wl_max must be > wl_min ({wl_min:g} nm), got {wl_max:g}")
    if (wl_max - wl_min) / step > 100_000:
        fail("step is too small: at most 100000 wavelengths")
    if distribution not in ("normal", "lognormal"):
        fail(f"distribution must be normal or lognormal, got {distribution!r}")
    # --- k.p shapes (h-kpsalts): a cube of edge L is the sphere of equal volume
    from qdlab.electronic.kp.optics import cube_edge_of_sphere

    if shape not in ("sphere", "cube"):
        fail(f"shape must be sphere or cube, got {shape!r}")
    if shape == "cube":
        from qdlab.electronic.kp.perovskite import PEROVSKITES

        if material not in PEROVSKITES:
            fail(f"--shape cube is modelled for the perovskites ({', '.join(PEROVSKITES)}), "
                 f"got {material!r}")
        if edge is None or diameter is not None:
            fail("--shape cube needs --edge E (nm) and no --diameter")
        check_positive(edge, "edge", "nm")
        diameter = 2.0 * edge / float(cube_edge_of_sphere(1.0))
    elif edge is not None or diameter is None:
        fail("give --diameter D (nm) for spheres (--edge only with --shape cube)")
    # --- end k.p shapes
    dist = getattr(SizeDistribution, distribution)(diameter, dispersion)
    ens = Ensemble(material, dist)
    lam = np.arange(wl_min, wl_max + step / 2, step)
    table = ens.spectrum_table(lam, concentration_M=concentration, path_cm=path_cm)
    summary = {"material": material, "diameter_nm": diameter, "dispersion_pct": dispersion,
               "distribution": distribution, "first_peak_nm": ens.first_peak_nm(),
               "first_peak_extinction_M-1cm-1": ens.first_peak_extinction(),
               "pl_peak_nm": ens.emission_peak_nm(), "pl_fwhm_nm": ens.emission_fwhm_nm()}
    # --- k.p shapes (h-kpsalts): cube edge and band-edge radiative lifetime
    from qdlab.optics.transitions import radiative_lifetime
    from qdlab.structures import Sphere

    if shape == "cube":
        summary.update({"shape": "cube", "edge_nm": edge})
    summary["radiative_lifetime_ns"] = 1e9 * radiative_lifetime(Sphere(material, diameter))
    # --- end k.p shapes
    if out is not None:
        _write_csv(out, table)
        summary["csv"] = str(out)
    if plot is not None:
        _plot_spectrum(plot, table, summary)
        summary["plot"] = str(plot)
    if json:
        print_json(summary)
        return
    print_summary(summary)


#: Most spectra one ``qdlab fit`` call fits (files in a folder, or columns of a file).
#: The web API allows 24 per request; the command line, run on the user's own
#: machine, allows more: 2000 spectra take about a minute on one core.
FIT_MAX_SPECTRA = 2000


def _write_csv(path: Path, columns: dict) -> None:
    """Write equal-length columns to CSV atomically (no partial file on error)."""
    import csv

    names = list(columns)
    with atomic_output(path) as tmp, open(tmp, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(names)
        for row in zip(*(columns[n] for n in names), strict=True):
            w.writerow([f"{x:.8g}" for x in row])


def _plot_spectrum(path: Path, table: dict, summary: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    lam = table["wavelength_nm"]
    ax.plot(lam, table["molar_extinction_M-1cm-1"], label="absorption")
    ax.set_xlabel("wavelength (nm)")
    ax.set_ylabel("molar extinction (M$^{-1}$ cm$^{-1}$)")
    ax2 = ax.twinx()
    ax2.plot(lam, table["emission_per_nm"], color="tab:red", label="PL")
    ax2.set_ylabel("PL (photons / nm per absorbed photon)")
    ax.set_title(f"{summary['material']} {summary['diameter_nm']:g} nm, "
                 f"{summary['dispersion_pct']:g} % dispersion")
    fig.tight_layout()
    save_figure(fig, path)


@app.command()
@handle_errors
def fit(
    source: Annotated[list[Path], typer.Argument(
        help="Spectrum file(s) (any common export), a many-column file, or a folder")],
    material: Annotated[str, typer.Option(help="Material, e.g. CdSe, CdTe, InP, PbS")] = "CdSe",
    path_cm: Annotated[float, typer.Option(help="Optical path in cm")] = 1.0,
    kind: Annotated[str, typer.Option(
        help="absorbance, pl (emission) or auto (as the file says)")] = "absorbance",
    pl: Annotated[Path | None, typer.Option(
        help="PL spectrum of the same sample: Stokes shift and joint size")] = None,
    out: Annotated[Path | None, typer.Option(help="Table of results (.csv or .parquet)")] = None,
    plot: Annotated[Path | None, typer.Option(
        help="PNG: data and model (one spectrum) or growth plot (a series)")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
):
    """Size, dispersion and concentration from measured spectra, with a quality verdict.

    Every result says good, uncertain (with a warning and the reasons) or no feature
    (no number). Exit 0 unless the input itself is bad. At most 2000 spectra per call.
    """
    from qdlab.cli._common import check_output_path
    from qdlab.sizing.fit import fit_spectra, results_table, write_table
    from qdlab.sizing.series import plot_growth

    if out is not None:
        check_output_path(out, "--out", (".csv", ".parquet"))
    if plot is not None:
        check_output_path(plot, "--plot", (".png",))
    for s in source:
        if not s.exists():
            fail(f"no such file or folder: {s}")
    if kind not in ("absorbance", "pl", "auto"):
        fail(f"kind must be absorbance, pl or auto, got {kind!r}")
    n_files = sum(sum(1 for f in s.iterdir() if f.is_file()) if s.is_dir() else 1
                  for s in source)
    if n_files > FIT_MAX_SPECTRA:
        fail(f"too many spectra: {n_files} files, qdlab fit takes at most {FIT_MAX_SPECTRA} "
             "per call (split the folder)")
    results = fit_spectra(source if len(source) > 1 else source[0], material,
                          path_cm=path_cm, kind=kind)
    if len(results) > FIT_MAX_SPECTRA:
        fail(f"too many spectra: {len(results)}, qdlab fit takes at most {FIT_MAX_SPECTRA} "
             "per call")
    joint = em = None
    if pl is not None:
        em, joint = _joint(results, pl, material)
    rows = results_table(results + ([em] if em is not None else []))
    if all(r.get("error") for r in rows):
        fail("no spectrum could be analysed: " + "; ".join(
            f"{r['label']}: {r['error']}" for r in rows[:3]))
    if out is not None:
        with atomic_output(out, "--out") as tmp:
            write_table(rows, tmp)
    if plot is not None:
        fitted = [r for r in results if not isinstance(r, dict)]
        with atomic_output(plot, "--plot") as tmp:
            if len(fitted) == 1 and hasattr(fitted[0], "plot"):
                fitted[0].plot(tmp)
            else:
                plot_growth(rows, tmp)
    if json:
        if len(results) == 1 and not isinstance(results[0], dict):
            d = results[0].to_dict()
            if joint is not None:
                d["pl"], d["joint"] = em.to_dict(), joint
            print_json(d)
        else:
            print_json(rows)
        return
    _fit_table(material, rows, joint)


def _joint(results, pl_path, material):
    from qdlab.sizing.emission import joint_estimate
    from qdlab.sizing.fit import fit_spectra

    ab = [r for r in results if not isinstance(r, dict) and r.kind == "absorbance"]
    if len(ab) != 1:
        fail(f"--pl needs exactly one absorption spectrum, got {len(ab)}")
    em = [r for r in fit_spectra(pl_path, material, kind="pl") if not isinstance(r, dict)]
    if len(em) != 1:
        fail(f"--pl needs exactly one PL spectrum, got {len(em)}")
    return em[0], joint_estimate(ab[0], em[0])


def _short(reasons):
    """First reason, cut to 48 characters, and how many more (full text on stderr/JSON)."""
    parts = [p for p in (reasons or "").split("; ") if p]
    if not parts:
        return ""
    head = parts[0] if len(parts[0]) <= 48 else parts[0][:47] + "..."
    return head + (f" (+{len(parts) - 1})" if len(parts) > 1 else "")


def _fit_table(material, rows, joint):
    def pm(v, u, f):
        if v is None:
            return "-"
        return f"{v:{f}}" + ("" if u is None else f" +/- {u:{f}}")

    table = Table(title=f"{material}: {len(rows)} spectrum(s)")
    for col in ("spectrum", "quality", "peak (nm)", "diameter (nm)", "dispersion (%)",
                "concentration (M)", "reasons"):
        table.add_column(col)
    for r in rows:
        if r.get("error"):
            table.add_row(str(r["label"]), "error", "-", "-", "-", "-", r["error"])
            continue
        conc = "-" if r["concentration_M"] is None else pm(
            r["concentration_M"], r["concentration_uncertainty_M"], ".2e")
        table.add_row(str(r["label"]), str(r["quality"]),
                      pm(r["peak_nm"], r["peak_uncertainty_nm"], ".1f"),
                      pm(r["diameter_nm"], r["diameter_uncertainty_nm"], ".2f"),
                      pm(r["dispersion_pct"], r["dispersion_uncertainty_pct"], ".1f"),
                      conc, _short(r["reasons"]))
    console.print(table)
    if joint is not None:
        ss, dj = joint["stokes_shift_eV"], joint["diameter_nm"]
        console.print(f"absorption + PL: Stokes shift "
                      f"{'-' if ss is None else f'{1e3 * ss:.0f} meV'}, joint diameter "
                      f"{'-' if dj is None else f'{dj:.2f} nm'} [{joint['quality']}] "
                      + "; ".join(joint["reasons"]))


@app.command()
@handle_errors
def synth(
    recipe: Annotated[Path | None, typer.Argument(help="Recipe TOML file")] = None,
    example: Annotated[str | None, typer.Option(
        help="Run a shipped recipe instead: cdse, cdse-teaching, pbs or inp")] = None,
    out: Annotated[Path | None, typer.Option(help="Trajectory table (.parquet or .csv)")] = None,
    plot: Annotated[Path | None, typer.Option(help="PNG of the evolution")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the final state as JSON")] = False,
):
    """Simulate a hot-injection / heat-up synthesis and its spectra over time."""
    from qdlab.cli._common import check_output_path
    from qdlab.synthesis import SynthesisError, example_recipe, load_recipe, run_recipe

    if (recipe is None) == (example is None):
        fail("give a recipe file or --example cdse|cdse-teaching|pbs|inp (one of them)")
    if out is not None:
        check_output_path(out, "--out", (".parquet", ".csv"))
    if plot is not None:
        check_output_path(plot, "--plot", (".png",))
    rec = example_recipe(example) if example is not None else load_recipe(recipe)
    from rich.progress import Progress

    with Progress(transient=True, console=err_console) as bar:
        task = bar.add_task(f"synthesis {rec.name}", total=1.0)

        def progress(t, total):
            bar.update(task, completed=t / total)

        try:
            traj = run_recipe(rec, progress=progress)
        except SynthesisError as exc:
            fail(str(exc))
    summary = traj.final_summary()
    summary["recipe"] = rec.name
    summary["material"] = rec.material
    spectra = None
    try:
        from qdlab.optics.evolution import spectra_over_time

        spectra = spectra_over_time(traj)
        summary["peak_nm"] = float(spectra["first_peak_nm"][-1])
        summary["pl_peak_nm"] = float(spectra["pl_peak_nm"][-1])
        summary["colour_hex"] = spectra["colour_hex"][-1]
        if summary["colour_hex"] is None:
            summary["colour_hex_reason"] = (f"the emission at {summary['pl_peak_nm']:.0f} nm "
                                            "is outside the visible range: no colour")
    except QdlabInputError as exc:  # e.g. no optical model for this material
        from qdlab.errors import warn_validity

        reason = (f"no absorption/PL spectra for {rec.material}: {exc} (the size "
                  "distribution above is still valid)")
        for key in ("peak_nm", "pl_peak_nm", "colour_hex"):
            summary[key] = None
            summary[f"{key}_reason"] = reason
        warn_validity(f"peak_nm, pl_peak_nm and colour_hex are null: {reason}")
    if out is not None:
        _write_trajectory(out, traj)
        summary["out"] = str(out)
    if plot is not None:
        _plot_synthesis(plot, traj, spectra)
        summary["plot"] = str(plot)
    if json:
        print_json(summary)
        return
    print_summary(summary)


def _write_trajectory(path: Path, traj) -> None:
    table = traj.to_table()
    with atomic_output(path) as tmp:
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, tmp)
        else:
            import pyarrow.csv as pacsv

            pacsv.write_csv(table, tmp)


def _plot_synthesis(path: Path, traj, spectra) -> None:

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, axes = plt.subplots(1, 3, figsize=(14, 4))
    t = np.maximum(traj.time_s, 1e-3)
    ax = axes[0]
    ax.semilogx(t, traj.mean_diameter_nm, label="mean diameter (nm)")
    ax.semilogx(t, traj.rsd_pct, label="RSD (%)")
    rc = np.where(np.isfinite(traj.critical_radius_nm), 2 * traj.critical_radius_nm, np.nan)
    ax.semilogx(t, rc, "--", label="critical diameter (nm)")
    ax.set_xlabel("time (s)")
    ax.legend()
    ax.set_title("size focusing and defocusing")
    ax = axes[1]
    c = traj.diameter_centres_nm
    for i in np.linspace(0, len(traj.snapshot_time_s) - 1, 6).astype(int):
        h = traj.histograms_mol_L[i]
        if h.sum() > 0:
            ax.plot(c, h / h.max(), label=f"{traj.snapshot_time_s[i]:.0f} s")
    ax.set_xlabel("diameter (nm)")
    ax.set_ylabel("number (normalised)")
    ax.legend(fontsize=7)
    ax.set_title("size distribution")
    ax = axes[2]
    if spectra is not None:
        n = len(spectra["time_s"])
        for i in np.linspace(0, n - 1, 6).astype(int):
            ax.plot(spectra["wavelength_nm"], spectra["absorbance_per_cm"][i],
                    color=spectra["colour_hex"][i] or "k", label=f"{spectra['time_s'][i]:.0f} s")
        ax.set_xlabel("wavelength (nm)")
        ax.set_ylabel("absorbance (1 cm, reaction concentration)")
        ax.legend(fontsize=7)
        ax.set_title("absorption over time")
    fig.tight_layout()
    save_figure(fig, path, dpi=110)


@app.command()
@handle_errors
def tour(out: Annotated[Path, typer.Option(help="Where to write the figure (PNG)")] =
         Path("qdlab-tour.png")):
    """A short guided tour: CdSe colour vs size, core/shells, validation, one figure."""
    from qdlab.cli._common import check_output_path
    from qdlab.cli.tour import run_tour

    check_output_path(out, "--out", (".png",))
    run_tour(out)


@app.command()
@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to bind (default: this machine only)")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port", min=1, max=65535)] = 8000,
    allowed_host: Annotated[list[str] | None, typer.Option(
        help="Host name the server answers besides localhost/127.0.0.1/::1 (repeatable; "
             "also QDLAB_ALLOWED_HOSTS=a,b); other Host headers get 400")] = None,
):
    """Start the web explorer and REST API (http://HOST:PORT/, schema at /openapi.json)."""
    try:
        import uvicorn  # noqa: F401

        from qdlab.web.server import run
    except ImportError as exc:
        fail(f"the web explorer needs the 'web' extra (pip install 'qdlab[web]'): {exc}")
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"warning: binding {host}: the explorer has no authentication; "
                          "anyone who can reach this address can use it", markup=False)
    console.print(f"qdlab explorer: http://{'[' + host + ']' if ':' in host else host}:{port}/ "
                  "(Ctrl+C stops it)", markup=False, highlight=False)
    run(host, port, allowed_hosts=allowed_host or ())


def main(argv: list[str] | None = None) -> int:
    """Console entry point: usage errors become one ``error:`` line and exit status 2."""
    import sys

    # typer may vendor its own click: take its UsageError from its BadParameter
    usage_error = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
    try:
        rv = app(args=argv, standalone_mode=False, prog_name="qdlab")
    except usage_error as exc:
        msg = " ".join(exc.format_message().split())
        if msg:   # (no message: the help was printed because no command was given)
            sub = f" {exc.ctx.info_name}" if exc.ctx is not None and exc.ctx.parent else ""
            print(f"error: {msg} (see 'qdlab{sub} --help')", file=sys.stderr)
        return 2
    except (typer.Abort, KeyboardInterrupt):
        print("error: aborted", file=sys.stderr)
        return 1
    return rv if isinstance(rv, int) else 0


def _entry() -> None:  # pragma: no cover - console script
    raise SystemExit(main())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
