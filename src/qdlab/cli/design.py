"""``qdlab design``, ``qdlab screen``, ``qdlab query``: inverse design and screening at scale.

Thin shells over :mod:`qdlab.design` (no physics here).  Dask and DuckDB are imported
only when ``screen`` / ``query`` run, never at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qdlab.cli._common import app, console, err_console, fail, handle_errors, print_json


def _split(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [x.strip() for x in text.split(",") if x.strip()]


@app.command()
@handle_errors
def design(
    emission: Annotated[float | None, typer.Option(help="Target PL peak, nm")] = None,
    absorption: Annotated[float | None, typer.Option(
        help="Or: target first-absorption peak, nm")] = None,
    max_fwhm: Annotated[float | None, typer.Option(help="Largest PL FWHM, nm")] = None,
    alignment: Annotated[str | None, typer.Option(
        help="Allowed alignments, comma-separated: 'type I', 'quasi-type II', 'type II', "
             "'none' (bare core) ...")] = None,
    rohs: Annotated[bool, typer.Option("--rohs", help="No Cd, Pb, Hg, Cr")] = False,
    no_heavy_metals: Annotated[bool, typer.Option(
        "--no-heavy-metals", help="No Cd, Pb, Hg")] = False,
    min_overlap: Annotated[float | None, typer.Option(
        help="Smallest electron-hole overlap, 0-1")] = None,
    max_mismatch: Annotated[float | None, typer.Option(
        help="Largest lattice mismatch at an interface, %")] = None,
    min_shell_ml: Annotated[float | None, typer.Option(
        help="Smallest total shell thickness, monolayers")] = None,
    max_shell_ml: Annotated[float | None, typer.Option(
        help="Largest total shell thickness, monolayers")] = None,
    window: Annotated[str | None, typer.Option(
        help="PL peak window LOW:HIGH nm (e.g. a NIR window 1000:1350)")] = None,
    cores: Annotated[str | None, typer.Option(
        help="Core materials, comma-separated (default: a built-in list)")] = None,
    shells: Annotated[str | None, typer.Option(
        help="Shell stacks, comma-separated, e.g. none,ZnS,ZnSe/ZnS")] = None,
    dispersion: Annotated[float, typer.Option(
        help="Size dispersion the synthesis reaches, std/mean %")] = 5.0,
    top: Annotated[int, typer.Option(help="Number of candidates", min=1, max=50)] = 5,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
):
    """Inverse design: ranked core/shell dots for a target colour and constraints."""
    from qdlab.design.inverse import design as run_design
    from qdlab.design.rank import Target
    from qdlab.design.space import parse_shells

    win = None
    if window is not None:
        try:
            lo, hi = (float(x) for x in window.split(":"))
        except ValueError:
            fail(f"--window must be LOW:HIGH in nm, got {window!r}")
        win = (lo, hi)
    target = Target(emission_nm=emission, absorption_nm=absorption, max_fwhm_nm=max_fwhm,
                    alignment=tuple(_split(alignment)) if alignment else None, rohs=rohs,
                    no_heavy_metals=no_heavy_metals, min_overlap=min_overlap,
                    max_mismatch_pct=max_mismatch, min_shell_monolayers=min_shell_ml,
                    max_shell_monolayers=max_shell_ml, window_nm=win)
    res = run_design(target, cores=_split(cores), top=top, dispersion_pct=dispersion,
                     shells=parse_shells(shells) if shells is not None else None)
    out = res.to_dict()
    if json:
        print_json(out)
        return
    from qdlab.cli._common import Table

    t = Table(title=f"Designs for {target.peak_nm:g} nm "
                    f"({'emission' if target.emission_nm is not None else 'absorption'}); "
                    f"{res.feasible} of {res.searched} candidates meet the constraints")
    for col in ("#", "structure", "core nm", "shells (ML)", "abs nm", "PL nm", "FWHM nm",
                "+- nm", "alignment", "overlap", "mismatch %"):
        t.add_column(col)
    for i, c in enumerate(res.candidates, 1):
        sh = ", ".join(f"{s['material']} {s['monolayers']}" for s in c["shells"]) or "-"
        t.add_row(str(i), c["structure"], f"{c['core_diameter_nm']:.2f}", sh,
                  f"{c.get('absorption_peak_nm', c['first_exciton_nm']):.1f}",
                  f"{c.get('pl_peak_nm', c['screen_pl_peak_nm']):.1f}",
                  f"{c.get('fwhm_nm', c['screen_fwhm_nm']):.1f}", f"{c['uncertainty_nm']:.0f}",
                  c["alignment"], f"{c['overlap']:.2f}",
                  "-" if c["max_mismatch_pct"] is None else f"{c['max_mismatch_pct']:.1f}")
    console.print(t)
    console.print(f"Pareto front: {len(res.pareto)} structures (--json lists them)",
                  markup=False, highlight=False)


def _screen_space(config: Path | None, materials, shells, core_diameter, shell_thickness):
    from qdlab.design.space import ParameterSpace

    if config is not None:
        if any(v is not None for v in (materials, shells, core_diameter, shell_thickness)):
            fail("give either a TOML file or --materials/--shells/--core-diameter/"
                 "--shell-thickness, not both")
        if not config.is_file():
            fail(f"config file not found: {config}")
        return ParameterSpace.from_toml(config)
    if materials is None or core_diameter is None:
        fail("give --materials and --core-diameter (or a TOML file)")
    if shells not in (None, "none") and shell_thickness is None:
        fail("--shells needs --shell-thickness START:STOP:STEP (nm)")
    return ParameterSpace.from_spec(materials, shells or "none", core_diameter,
                                    shell_thickness or "1.0")


@app.command()
@handle_errors
def screen(
    config: Annotated[Path | None, typer.Argument(
        help="TOML file with a \\[space] table (instead of the options)")] = None,
    materials: Annotated[str | None, typer.Option(help="Core materials, e.g. CdSe,InP")] = None,
    shells: Annotated[str | None, typer.Option(
        help="Shell stacks, e.g. none,ZnS,CdS,ZnSe/ZnS")] = None,
    core_diameter: Annotated[str | None, typer.Option(
        help="Core diameters START:STOP:STEP nm (stop included) or a list")] = None,
    shell_thickness: Annotated[str | None, typer.Option(
        help="Thickness of every shell, START:STOP:STEP nm or a list")] = None,
    out: Annotated[Path | None, typer.Option(help="Output directory (Parquet dataset)")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Address of an existing Dask scheduler, tcp://HOST:8786")] = None,
    workers: Annotated[int | None, typer.Option(
        help="Local Dask workers (default: CPUs)", min=1, max=256)] = None,
    engine: Annotated[str, typer.Option(help="dask, threads or local")] = "dask",
    chunk_size: Annotated[int, typer.Option(help="Candidates per task", min=1)] = 20000,
    dispersion: Annotated[float, typer.Option(help="Size dispersion std/mean %")] = 5.0,
    max_chunks: Annotated[int | None, typer.Option(
        help="Stop after this many chunks (rerun to resume)", min=1)] = None,
    json: Annotated[bool, typer.Option("--json", help="Print a JSON summary")] = False,
):
    """Screen a parameter space into a Parquet dataset (Dask; resumable after a kill)."""
    from qdlab.design.screen import screen as run_screen

    if out is None:
        fail("give --out DIR (the Parquet dataset directory)")
    space = _screen_space(config, materials, shells, core_diameter, shell_thickness)
    if json:
        res = run_screen(space, out, chunk_size=chunk_size, engine=engine, scheduler=scheduler,
                         workers=workers, dispersion_pct=dispersion, max_chunks=max_chunks)
        print_json(dict(res))
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), console=err_console.rich,
                  transient=True) as bar:
        task = bar.add_task("candidates", total=len(space))
        res = run_screen(space, out, chunk_size=chunk_size, engine=engine, scheduler=scheduler,
                         workers=workers, dispersion_pct=dispersion, max_chunks=max_chunks,
                         progress=lambda done, total: bar.update(task, completed=done))
    state = "complete" if res["complete"] else "partial (rerun to resume)"
    console.print(f"{res['rows']} of {res['candidates']} candidates in {res['out']} ({state}); "
                  f"{res['computed_chunks']} chunks computed, {res['skipped_chunks']} done "
                  f"before; {res['candidates_per_s'] or 0:.0f} candidates/s on "
                  f"{res['workers']} worker(s)", markup=False, highlight=False)


@app.command()
@handle_errors
def query(
    directory: Annotated[Path, typer.Argument(help="Screen directory (qdlab screen --out)")],
    sql: Annotated[str, typer.Argument(help="DuckDB SQL on the table 'candidates'")],
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
):
    """SQL (DuckDB) over a screen's Parquet dataset: the table is 'candidates'."""
    from qdlab.design.query import query as run_query

    res = run_query(directory, sql)
    if json:
        print_json(res)
        return
    from qdlab.cli._common import Table

    t = Table()
    for c in res["columns"]:
        t.add_column(str(c))
    for r in res["rows"][:1000]:
        t.add_row(*("" if v is None else (f"{v:.6g}" if isinstance(v, float) else str(v))
                    for v in r))
    console.print(t)
    if len(res["rows"]) > 1000:
        console.print(f"({len(res['rows'])} rows; the first 1000 shown, --json gives all)",
                      markup=False)
