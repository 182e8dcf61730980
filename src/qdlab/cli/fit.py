"""``qdlab fit``: size, dispersion and concentration from measured spectra."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qdlab.cli._common import (
    Table,
    app,
    atomic_output,
    console,
    fail,
    handle_errors,
    print_json,
)

#: Most spectra one ``qdlab fit`` call fits (files in a folder, or columns of a file).
#: The web API allows 24 per request; the command line, run on the user's own
#: machine, allows more.  The full fit (feature search, model fit, quality verdict)
#: takes 0.2-0.3 s of CPU per spectrum (18 aliquots of a real series: 4.1 s), so 1000
#: spectra take about 4 minutes; :func:`qdlab.sizing.batch.size_spectra_batch` sizes
#: thousands of spectra per second from the peak alone.
FIT_MAX_SPECTRA = 1000


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
    (no number). Exit 0 unless the input itself is bad. At most 1000 spectra per call.
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
    from qdlab.errors import check_range
    from qdlab.sizing.fit_search import PATH_CM_RANGE

    check_range(path_cm, "--path-cm", PATH_CM_RANGE[0], PATH_CM_RANGE[1], "cm")
    if kind not in ("absorbance", "pl", "auto"):
        fail(f"kind must be absorbance, pl or auto, got {kind!r}")
    if pl is not None and not pl.is_file():
        # checked before the (possibly long) fit of the sources
        fail(f"--pl must be a PL spectrum file, got {str(pl)!r} "
             f"({'a folder' if pl.is_dir() else 'no such file'})")
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
            from qdlab.sizing.quality import null_reasons

            # a None number says why in JSON (the table columns stay fixed)
            print_json([{**r, **null_reasons(r)} for r in rows])
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
