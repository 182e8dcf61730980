"""``qdlab photons analyse FILE``: trace, change points, on/off exponents, g2, lifetime, FLID."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from qdlab.cli._common import console, handle_errors, print_json
from qdlab.cli.photons import photons_app

#: Narrowest and widest trace bin the command accepts, ms.
BIN_MS_RANGE = (0.01, 60_000.0)


@photons_app.command("analyse")
@handle_errors
def analyse(
    file: Annotated[Path, typer.Argument(help="Time-tag file (PTU, HDF5, ... as readable by "
                                              "qdlab.io.timetags)")],
    json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    plot: Annotated[Path | None, typer.Option(
        help="PNG: intensity trace, FLID, g2 and decay")] = None,
    bin_ms: Annotated[float | None, typer.Option(
        help="Trace bin width in ms (default: >= 25 photons per bin, 1-2-5 series)")] = None,
    alpha: Annotated[float, typer.Option(
        help="Type-I error of each change-point test (Watkins & Yang: 0.31, 0.1, 0.05, "
             "0.01)")] = 0.05,
    irf: Annotated[Path | None, typer.Option(
        help="Measured IRF for the lifetime fit (T3 only): a two-column CSV (time_ns, "
             "counts) or a T3 time-tag file (its decay histogram); default: a Gaussian "
             "IRF with fitted width")] = None,
):
    """Analyse a single-dot photon stream: intensity trace, change points and levels,
    on/off power-law exponents, g2(0), lifetime and FLID, with uncertainties.

    A number that cannot be obtained (one channel: no g2; T2: no lifetime) is null in
    JSON with a '<name>_reason'. Exit 0 unless the input itself is bad.
    """
    from qdlab.cli._common import check_output_path
    from qdlab.errors import QdlabInputError, check_range

    if plot is not None:
        check_output_path(plot, "--plot", (".png",))
    if bin_ms is not None:
        check_range(bin_ms, "--bin-ms", BIN_MS_RANGE[0], BIN_MS_RANGE[1], "ms")
    if not (isinstance(alpha, float) and 0.0 < alpha < 1.0):
        raise QdlabInputError(f"--alpha must be in (0, 1), got {alpha}")
    import qdlab.io.timetags as timetags
    from qdlab.photons.analysis.report import analyse_stream

    stream = timetags.read_timetags(file)
    response = None
    if irf is not None:
        from qdlab.cli._common import fail
        from qdlab.photons.analysis.lifetime import read_irf

        if stream.mode != "T3":
            fail(f"--irf does not apply: {Path(file).name} holds {stream.mode} data (no TCSPC "
                 "delays, so no decay to fit)")
        response = read_irf(irf)
    result = analyse_stream(stream, bin_width_s=None if bin_ms is None else bin_ms * 1e-3,
                            alpha=alpha, irf=response)
    if plot is not None:
        plot_analysis(result, plot, title=Path(file).name)
    d = result.to_dict()
    d["file"] = str(file)
    if irf is not None:
        d["irf_file"] = str(irf)
    if json:
        print_json(d)
        return
    _print_summary(d)


def _pm(v, e, fmt, unit=""):
    if v is None:
        return "-"
    return f"{v:{fmt}}" + ("" if e is None else f" +/- {e:{fmt}}") + unit


def _print_summary(d: dict) -> None:
    rows = [
        ("photons", f"{d['n_photons']} in {d['duration_s']:.4g} s ({d['mode']}, channels "
                    f"{d['channels']})"),
        ("change points", f"{d['change_points']} (alpha {d['change_point_alpha']}), "
                          f"{d['n_levels']} level(s): "
                          + ", ".join(f"{r:.4g}" for r in d["level_rates_cps"]) + " cps"),
        ("on exponent", _pm(d["on_exponent"], d["on_exponent_err"], ".3f")),
        ("off exponent", _pm(d["off_exponent"], d["off_exponent_err"], ".3f")),
        ("g2(0)", _pm(d["g2_zero"], d["g2_zero_err"], ".3f")
         + (f" ({d['g2_method']})" if d["g2_method"] else "")),
        ("lifetime", _pm(d["lifetime_ns"], d["lifetime_err_ns"], ".3g", " ns")
         + (" (measured IRF)" if d.get("irf") == "measured" else "")),
        ("quality", d["quality"]),
    ]
    width = max(len(k) for k, _ in rows) + 2
    for k, v in rows:
        reason = None
        if v.startswith("-"):
            key = {"on exponent": "on_exponent", "off exponent": "off_exponent",
                   "g2(0)": "g2_zero", "lifetime": "lifetime_ns"}.get(k)
            reason = d.get(f"{key}_reason") if key else None
        console.print(f"{k:{width}s} {v}" + (f"  ({reason})" if reason else ""),
                      markup=False, highlight=False)
    for note in d["quality_notes"]:
        console.print(f"{'':{width}s} - {note}", markup=False, highlight=False)


def plot_analysis(result, path: Path, title: str = "") -> Path:
    """Four panels: intensity trace with change-point levels, FLID, g2, decay (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qdlab.cli._common import save_figure

    fig, ax = plt.subplots(2, 2, figsize=(11, 7.5))
    tr = result.trace
    a = ax[0, 0]
    a.plot(tr.t_s, tr.rate_cps / 1e3, lw=0.5, color="0.3", label="trace")
    cps = result.change_points
    if cps is not None and result.levels is not None and cps.n_segments < 20_000:
        lv = result.levels
        rate = lv.rates_cps[lv.state_of_segment]
        b = cps.boundaries_s - cps.boundaries_s[0]
        a.step(np.r_[b[:-1], b[-1]], np.r_[rate, rate[-1]] / 1e3, where="post", color="C3",
               lw=0.8, label=f"{lv.n_states} levels (change points)")
    a.set_xlabel("time (s)")
    a.set_ylabel(f"counts/s x 1000 ({tr.bin_width_s * 1e3:g} ms bins)")
    a.legend(loc="upper right", fontsize=8)
    a = ax[0, 1]
    if result.flid is not None:
        f = result.flid
        a.pcolormesh(f.delay_edges_s * 1e9, f.count_edges, f.histogram.T, cmap="magma",
                     shading="auto")
        a.set_xlabel("mean delay (ns)")
        a.set_ylabel("counts per bin")
        a.set_title("FLID")
    else:
        _empty(a, "FLID", "T2 data: no TCSPC delays")
    a = ax[1, 0]
    g = result.g2
    if g is not None:
        f = max(1, g.g2.size // 400)     # at most ~400 points (mean over groups of bins)
        m = (g.g2.size // f) * f
        a.plot(g.lags_s[:m].reshape(-1, f).mean(1) * 1e9, g.g2[:m].reshape(-1, f).mean(1),
               lw=0.7)
        a.axhline(1.0, color="0.6", lw=0.5)
        a.set_xlabel("delay tau (ns)")
        a.set_ylabel("g2 (normalised)")
        a.set_title(f"g2(0) = {g.g2_zero:.3f} +/- {g.g2_zero_err:.3f}")
    else:
        _empty(a, "g2", result.summary.get("g2_zero_reason", ""))
    a = ax[1, 1]
    dec = result.decay
    if dec is not None:
        a.semilogy(dec.t_s * 1e9, np.maximum(dec.counts, 0.5), ".", ms=2, color="0.4",
                   label="data")
        a.semilogy(dec.t_s * 1e9, dec.model, color="C3", lw=1,
                   label="fit: " + ", ".join(f"{x * 1e9:.3g}" for x in dec.lifetimes_s)
                   + " ns")
        a.set_xlabel("delay (ns)")
        a.set_ylabel("counts")
        a.legend(fontsize=8)
    else:
        _empty(a, "decay", result.summary.get("lifetime_ns_reason", ""))
    fig.suptitle(title)
    fig.tight_layout()
    save_figure(fig, path)
    return Path(path)


def _empty(ax, name, reason):
    ax.set_axis_off()
    words = reason if len(reason) < 60 else reason[:57] + "..."
    ax.text(0.5, 0.5, f"{name}: {words}" if words else name, ha="center", va="center",
            transform=ax.transAxes)
