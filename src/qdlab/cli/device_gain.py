"""``qdlab device gain`` and ``qdlab device safety``: lasers and bio-imaging / RoHS flags."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qdlab.cli._common import console, fail, handle_errors, print_json, print_summary
from qdlab.cli.device import device_app
from qdlab.cli.levels import _medium

__all__ = ["gain", "safety"]

#: Allowed pump wavelengths (nm) and pulse lengths (fs).
PUMP_RANGE_NM = (200.0, 3000.0)
PULSE_RANGE_FS = (1.0, 1e12)
DISPERSION_RANGE_PCT = (0.0, 30.0)
TEMPERATURE_RANGE_K = (4.0, 600.0)


def _structure(material, diameter, core_diameter, shell, medium, temperature):
    """(mean structure, core diameter) from the size options (spheres / core-shells)."""
    from qdlab.cli._common import check_size
    from qdlab.structures import parse_layers

    if diameter is not None and core_diameter is not None:
        fail("give either --diameter or --core-diameter, not both")
    d = diameter if diameter is not None else core_diameter
    if d is None:
        fail("give --diameter (sphere) or --core-diameter (core/shell) in nm")
    check_size(d, "--diameter" if diameter is not None else "--core-diameter")
    for t in shell or []:
        check_size(t, "--shell")
    if diameter is not None and shell:
        fail("--shell needs --core-diameter (the core), not --diameter")
    return parse_layers(material, d, list(shell or []), medium=medium,
                        temperature=temperature), d


def _check_range(value, name, lo, hi, unit=""):
    from qdlab.errors import check_range

    check_range(value, name, lo, hi, unit)


@device_app.command("gain")
@handle_errors
def gain(
    material: Annotated[str, typer.Argument(help="Layers from the core out: CdSe, CdSe/ZnS")],
    diameter: Annotated[float | None, typer.Option(help="Sphere diameter, nm")] = None,
    core_diameter: Annotated[float | None, typer.Option(help="Core diameter, nm")] = None,
    shell: Annotated[list[float] | None, typer.Option(
        help="Shell thickness in nm, one per shell material (repeat)")] = None,
    dispersion: Annotated[float, typer.Option(help="Size dispersion std/mean, %")] = 5.0,
    pump_nm: Annotated[float, typer.Option("--pump-nm", help="Pump wavelength, nm")] = 400.0,
    pulse_fs: Annotated[float | None, typer.Option(
        "--pulse-fs", help="Pump pulse length, fs (default: shorter than the gain lifetime)")]
    = None,
    populations: Annotated[str, typer.Option(
        help="poisson (pulse shorter than the Auger time) or single (after Auger decay)")]
    = "poisson",
    temperature: Annotated[float, typer.Option(help="Temperature, K")] = 300.0,
    medium_eps: Annotated[float, typer.Option(help="Dielectric constant of the medium")] = 2.25,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    plot: Annotated[Path | None, typer.Option(help="PNG of the gain spectrum")] = None,
):
    """Optical-gain threshold (excitons per dot), gain spectrum and ASE threshold fluence.

    Band-edge state filling with the biexciton shift of qdlab's multiexciton model
    (Klimov 2000, 2007); the ASE threshold is the transparency fluence at the pump
    wavelength (a real ASE threshold adds the film's losses).
    """
    from qdlab.cli._common import check_output_path
    from qdlab.devices.gain import POPULATION_METHODS, laser_gain

    if plot is not None:
        check_output_path(plot, "--plot", (".png",))
    if populations not in POPULATION_METHODS:
        fail(f"populations must be one of {', '.join(POPULATION_METHODS)}, got {populations!r}")
    _check_range(dispersion, "dispersion", *DISPERSION_RANGE_PCT, "%")
    _check_range(pump_nm, "pump_nm", *PUMP_RANGE_NM, "nm")
    if pulse_fs is not None:
        _check_range(pulse_fs, "pulse_fs", *PULSE_RANGE_FS, "fs")
    _check_range(temperature, "temperature", *TEMPERATURE_RANGE_K, "K")
    med = _medium(medium_eps, 4.0, 4.0)
    structure, d = _structure(material, diameter, core_diameter, shell, med, temperature)
    res = laser_gain(material, d, list(shell or []), dispersion_pct=dispersion, pump_nm=pump_nm,
                     pulse_fs=pulse_fs, temperature=temperature, medium=med,
                     populations=populations).to_dict()
    if plot is not None:
        _plot_gain(plot, res)
        res["plot"] = str(plot)
    if json:
        print_json(res)
        return
    spec = res.pop("gain_spectrum")
    res.pop("notes")
    print_summary(res)
    console.print(f"gain spectrum at <N> = {spec['mean_excitons_per_dot']:.3g}: peak gain "
                  f"{max(spec['gain_per_cm']):.4g} cm^-1 (dot volume fraction 1) at "
                  f"{res['peak_gain_nm']:.1f} nm")


def _plot_gain(path: Path, res: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qdlab.cli._common import save_figure

    s = res["gain_spectrum"]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(s["wavelength_nm"], s["gain_per_cm"],
            label=f"<N> = {s['mean_excitons_per_dot']:.2g} per dot")
    ax.axhline(0.0, color="0.5", lw=0.8)
    ax.set_xlabel("wavelength (nm)")
    ax.set_ylabel("gain (cm$^{-1}$, dot volume fraction 1)")
    ax.set_title(f"{res['structure']}: threshold {res['threshold_excitons_per_dot']:.2f} "
                 "excitons/dot")
    ax.legend()
    save_figure(fig, path)
    plt.close(fig)


@device_app.command("safety")
@handle_errors
def safety(
    material: Annotated[str, typer.Argument(help="Layers from the core out: CdSe/ZnS, InP/ZnS")],
    diameter: Annotated[float | None, typer.Option(help="Sphere diameter, nm")] = None,
    core_diameter: Annotated[float | None, typer.Option(help="Core diameter, nm")] = None,
    shell: Annotated[list[float] | None, typer.Option(
        help="Shell thickness in nm, one per shell material (repeat)")] = None,
    dot_mass_fraction: Annotated[float, typer.Option(
        help="Mass fraction of the dots in the homogeneous material (film), 0-1")] = 1.0,
    emission_nm: Annotated[float | None, typer.Option(
        "--emission-nm", help="Emission peak, nm (default: the model's first exciton)")]
    = None,
    temperature: Annotated[float, typer.Option(help="Temperature, K")] = 300.0,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
):
    """RoHS mass fractions and flags, toxicity flags and NIR-I / NIR-II window matching."""
    from qdlab.devices.safety import safety_report

    _check_range(temperature, "temperature", *TEMPERATURE_RANGE_K, "K")
    if emission_nm is not None:
        _check_range(emission_nm, "emission_nm", *PUMP_RANGE_NM, "nm")
    med = _medium(2.25, 4.0, 4.0)
    structure, _ = _structure(material, diameter, core_diameter, shell, med, temperature)
    peak = emission_nm
    source = "given"
    if peak is None:
        import qdlab

        peak = float(qdlab.solve(structure).first_exciton_nm)
        source = "model first exciton (single-band; no Stokes shift)"
    res = safety_report(structure, peak, dot_mass_fraction)
    res["emission_peak_source"] = source
    if json:
        print_json(res)
        return
    console.print(f"[bold]{res['structure']}[/]  emission {peak:.0f} nm ({source})")
    for el, w in res["mass_fractions"].items():
        console.print(f"  {el:3s} {100 * w:8.4f} wt%")
    for f in res["rohs"] + res["toxicity"]:
        console.print(f"  flag: {f['reason']}")
    console.print(f"RoHS compliant: {res['rohs_compliant']}; windows: "
                  f"{', '.join(res['in_windows']) or 'none'}")
