"""``qdlab synth``: hot-injection / heat-up synthesis and its spectra over time."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qdlab.cli._common import (
    app,
    atomic_output,
    err_console,
    fail,
    handle_errors,
    print_json,
    print_summary,
    save_figure,
)
from qdlab.errors import QdlabInputError


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

    with Progress(transient=True, console=err_console.rich) as bar:
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
