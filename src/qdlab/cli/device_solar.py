"""``qdlab device solar``: detailed-balance limit of a solar cell from dots or a step gap."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qdlab.cli._common import (
    check_output_path,
    check_size,
    console,
    fail,
    given_options,
    handle_errors,
    print_json,
    reject_options,
    save_figure,
)
from qdlab.cli.device import device_app

#: Options that only describe a film of dots (refused with --step-gap).
_DOT_OPTIONS = ("structure", "diameter", "dispersion", "distribution", "thickness_nm",
                "packing_fraction", "passes", "stokes_emission", "band_edge_only")


@device_app.command("solar")
@handle_errors
def solar(
    ctx: typer.Context,
    structure: Annotated[str | None, typer.Argument(
        help="Dot material, e.g. PbS or PbSe (with --diameter)")] = None,
    diameter: Annotated[float | None, typer.Option(help="Mean dot diameter in nm")] = None,
    dispersion: Annotated[float, typer.Option(help="Size dispersion std/mean in %")] = 5.0,
    distribution: Annotated[str, typer.Option(help="normal or lognormal")] = "normal",
    step_gap: Annotated[float | None, typer.Option(
        "--step-gap", help="Or: an ideal step absorber of this gap, eV")] = None,
    thickness_nm: Annotated[float, typer.Option(
        "--thickness-nm", help="Dot film thickness, nm")] = 500.0,
    packing_fraction: Annotated[float, typer.Option(
        help="Inorganic volume fraction of the dot film (0-0.74)")] = 0.35,
    passes: Annotated[int, typer.Option(help="Light passes: 1, or 2 with a back mirror")] = 2,
    urbach_mev: Annotated[float, typer.Option(
        "--urbach-meV", help="Urbach energy of the sub-gap tail, meV (0: none)")] = 0.0,
    meg: Annotated[str, typer.Option(help="MEG model: none, linear (Beard 2010) or "
                                          "staircase (ideal)")] = "none",
    meg_efficiency: Annotated[float | None, typer.Option(
        help="MEG efficiency eta of --meg linear (0-1; default 0.4, PbSe/PbS dots)")] = None,
    temperature: Annotated[float, typer.Option(help="Cell temperature, K")] = 300.0,
    ere: Annotated[float, typer.Option(
        help="External radiative efficiency (1: radiative limit)")] = 1.0,
    stokes_shift_mev: Annotated[float, typer.Option(
        "--stokes-shift-meV", help="Emitter red-shift of a step absorber, meV "
                                   "(0: reciprocity)")] = 0.0,
    stokes_emission: Annotated[bool, typer.Option(
        "--stokes-emission", help="Dots: emit from the absorber moved down by the "
                                  "ensemble's Stokes shift")] = False,
    band_edge_only: Annotated[bool, typer.Option(
        "--band-edge-only", help="Dots: leave out the measured lead-salt continuum (PbS, "
                                 "PbSe; Moreels 2007/2009)")] = False,
    top_gap: Annotated[float | None, typer.Option(
        "--top-gap", help="Add a step top cell of this gap (eV): series tandem")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    plot: Annotated[Path | None, typer.Option(
        help="Write a PNG of the J-V curve and the absorptance")] = None,
):
    """Efficiency limit, Voc, Jsc and FF under AM1.5G (detailed balance)."""
    from qdlab.devices.solar import dot_cell, step_cell, tandem_limit
    from qdlab.devices.solar.meg import ETA_PBSE_QD

    given = given_options(ctx)
    if step_gap is not None:
        reject_options(ctx, set(given) - set(_DOT_OPTIONS), "--step-gap",
                       dict.fromkeys(_DOT_OPTIONS, "a step absorber has no dots (give "
                                                   "either STRUCTURE --diameter or --step-gap)"))
    else:
        if structure is None or diameter is None:
            fail("give STRUCTURE --diameter D (nm) for a film of dots, or --step-gap EV")
        if "stokes_shift_mev" in given:
            fail("--stokes-shift-meV applies to --step-gap; for dots use --stokes-emission "
                 "(the ensemble's own Stokes shift)")
        check_size(diameter, "--diameter")
    if meg_efficiency is not None and meg != "linear":
        fail("--meg-efficiency applies to --meg linear only")
    if top_gap is not None and meg != "none":
        fail("--top-gap (tandem) is modelled without MEG: drop --meg")
    if distribution not in ("normal", "lognormal"):
        fail(f"distribution must be normal or lognormal, got {distribution!r}")
    if plot is not None:
        check_output_path(plot, "--plot", (".png",))
    eta = ETA_PBSE_QD if meg_efficiency is None else meg_efficiency
    common = {"meg": meg, "meg_efficiency": eta, "temperature_K": temperature, "ere": ere}
    if step_gap is not None:
        out = step_cell(step_gap, urbach_eV=urbach_mev / 1000.0,
                        stokes_shift_eV=stokes_shift_mev / 1000.0, **common)
    else:
        from qdlab.optics.ensemble import Ensemble, SizeDistribution

        ens = Ensemble(structure, getattr(SizeDistribution, distribution)(diameter, dispersion))
        out = dot_cell(ens, thickness_nm=thickness_nm, packing_fraction=packing_fraction,
                       passes=passes, urbach_eV=urbach_mev / 1000.0,
                       stokes_emission=stokes_emission, continuum=not band_edge_only,
                       **common)
        out.update({"material": structure, "diameter_nm": diameter,
                    "dispersion_pct": dispersion})
    res = out.pop("result")
    absorb = out.pop("absorptance")
    if top_gap is not None:
        from qdlab.devices.solar.absorbers import step_absorptance
        from qdlab.devices.solar.spectrum import am15g

        sun = am15g()
        a_top = step_absorptance(sun.energy_eV, top_gap, step_eV=sun.step_eV)
        tan = tandem_limit(a_top, absorb["absorptance"], sun=sun, temperature_K=temperature,
                           ere=ere)
        out = {**tan.to_dict(), "top_gap_eV": top_gap, "bottom_cell": out}
        out["bottom_cell"].pop("jv_curve", None)
    if plot is not None:
        _plot(plot, res, absorb, out)
        out["plot"] = str(plot)
    if json:
        print_json(out)
        return
    label = f"tandem {top_gap:g} eV on " if top_gap is not None else ""
    what = (f"step {step_gap:g} eV" if step_gap is not None
            else f"{structure} {diameter:g} nm dots ({out.get('first_peak_nm', 0):.0f} nm)")
    console.print(f"[bold]{label}{what}[/], AM1.5G, {temperature:g} K, MEG {meg}")
    for key, unit, scale in (("efficiency_limit", "%", 100.0), ("voc_V", "V", 1.0),
                             ("jsc_mA_cm2", "mA/cm^2", 1.0), ("ff", "", 1.0)):
        console.print(f"  {key:18s} {scale * out[key]:.4g} {unit}")


def _plot(path: Path, res, absorb, out) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qdlab.constants import HC_EV_NM

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(res.jv_V, res.jv_mA_cm2)
    ax1.set_xlabel("voltage (V)")
    ax1.set_ylabel("current density (mA cm$^{-2}$)")
    ax1.set_ylim(bottom=0)
    ax1.set_title(f"single junction: {100 * res.efficiency:.1f} %, Voc {res.voc_V:.3f} V")
    E = absorb["energy_eV"]
    keep = E >= 0.31
    ax2.plot(HC_EV_NM / E[keep], absorb["absorptance"][keep])
    ax2.set_xlabel("wavelength (nm)")
    ax2.set_ylabel("absorptance")
    ax2.set_xlim(280, min(4000.0, 1.6 * HC_EV_NM / out.get("gap_eV", out.get("bottom_cell", {})
                                                            .get("gap_eV", 1.0))))
    fig.tight_layout()
    save_figure(fig, path)
