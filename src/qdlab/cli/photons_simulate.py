"""``qdlab photons simulate`` and ``qdlab photons truth``: simulated single-dot time tags.

``simulate`` takes the dot's rates either from a structure (``STRUCTURE`` and the size
options of ``qdlab levels``, through :func:`qdlab.electronic.multiexcitons.multiexciton_properties`)
or from explicit lifetimes (``--exciton-radiative-lifetime-ns`` and
``--biexciton-auger-lifetime-ns``, the rest by statistical scaling), runs
:func:`qdlab.photons.simulate.simulate_stream` and writes the stream with
:func:`qdlab.io.timetags.write_timetags` (``.ptu`` or ``.h5``, ground truth included).
``truth`` prints the stored ground truth as JSON.  Options that do not apply to the
chosen rates, excitation, blinking or mode are refused (exit 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qdlab.cli._common import console, fail, handle_errors, print_json
from qdlab.cli.photons import photons_app

#: Suffixes ``--out`` accepts (the writer chooses the format from them).
OUT_SUFFIXES = (".ptu", ".h5")

_COMMON = {"duration", "mode", "seed", "out", "json", "blinking", "efficiency", "channels",
           "spectral_diffusion_meV",
           "irf_fwhm_ps", "delay_ns", "dead_time_ns", "dark_counts_cps",
           "afterpulse_probability", "afterpulse_delay_ns"}
_STRUCTURE = {"structure", "shape", "temperature", "medium_eps", "electron_barrier",
              "hole_barrier", "trion", "exciton_nonradiative_lifetime_ns"}
_EXPLICIT = {"exciton_radiative_lifetime_ns", "exciton_qy", "biexciton_radiative_lifetime_ns",
             "biexciton_auger_lifetime_ns", "trion_radiative_lifetime_ns",
             "trion_auger_lifetime_ns"}
_PULSED = {"mean_excitation", "repetition_rate_MHz"}
_BLINKING = {"on_exponent", "off_exponent", "min_dwell_s", "max_dwell_s"}
_SPECTRAL = {"spectral_correlation_s", "spectral_step_s"}


def _allowed(structure_mode: bool, shape: str, pulsed: bool, blinking: bool, mode: str,
             spectral: bool = False) -> tuple[set, dict]:
    """(options that apply, reasons for those that do not)."""
    from qdlab.cli.levels import _LEVELS_SHAPE_OPTIONS

    allowed = set(_COMMON)
    reasons: dict[str, str] = {}
    sizes = set().union(*_LEVELS_SHAPE_OPTIONS.values())
    if structure_mode:
        allowed |= _STRUCTURE | _LEVELS_SHAPE_OPTIONS.get(shape, set())
        reasons.update(dict.fromkeys(_EXPLICIT, "the rates come from STRUCTURE (give either "
                                     "STRUCTURE or explicit lifetimes)"))
        for name in sizes - _LEVELS_SHAPE_OPTIONS.get(shape, set()):
            reasons[name] = f"it is not a size of --shape {shape}"
    else:
        allowed |= _EXPLICIT
        reasons.update(dict.fromkeys((_STRUCTURE | sizes) - {"structure"},
                                     "it describes a STRUCTURE, and explicit lifetimes "
                                     "were given instead"))
    if pulsed:
        allowed |= _PULSED
        reasons["cw_rate"] = "--mean-excitation chose pulsed excitation"
    else:
        allowed.add("cw_rate")
        reasons.update(dict.fromkeys(_PULSED, "--cw-rate chose CW excitation"))
    if blinking:
        allowed |= _BLINKING
    else:
        reasons.update(dict.fromkeys(_BLINKING, "--no-blinking turns blinking off"))
    if spectral:
        allowed |= _SPECTRAL
    else:
        reasons.update(dict.fromkeys(_SPECTRAL, "it shapes the walk of "
                                     "--spectral-diffusion-meV, which is not given"))
    allowed.add("resolution_ps" if mode == "T2" else "nanotime_resolution_ps")
    reasons["resolution_ps"] = "it is the macrotime tick of --mode T2 (T3 counts syncs)"
    reasons["nanotime_resolution_ps"] = "it is the TCSPC bin of --mode T3"
    return allowed, reasons


def _writer():
    """:func:`qdlab.io.timetags.write_timetags`, or exit 2 if this installation lacks it."""
    import qdlab.io.timetags as tt

    write = getattr(tt, "write_timetags", None)
    if write is None:
        fail("writing time-tag files needs qdlab.io.timetags.write_timetags, which this "
             "installation does not have")
    return write


def _structure_rates(structure, trion, nonrad_ns, temperature):
    """EmitterRates of a structure through the multiexciton model."""
    from qdlab.photons.emitter import EmitterRates

    try:
        from qdlab.electronic.multiexcitons import multiexciton_properties
    except ImportError:
        fail("rates from a STRUCTURE need qdlab.electronic.multiexcitons, which this "
             "installation does not have: give explicit lifetimes instead "
             "(--exciton-radiative-lifetime-ns, --biexciton-auger-lifetime-ns)")
    from qdlab.optics.band_edge_lifetime import multiexciton_radiative_lifetime_ns

    props = multiexciton_properties(
        structure, temperature_K=temperature,
        exciton_radiative_lifetime_ns=multiexciton_radiative_lifetime_ns(structure),
        exciton_nonradiative_lifetime_ns=nonrad_ns)
    return EmitterRates.from_multiexcitons(props, trion=trion)


@photons_app.command("simulate")
@handle_errors
def simulate(
    ctx: typer.Context,
    duration: Annotated[float, typer.Option(help="Length of the record, s")],
    out: Annotated[Path, typer.Option(help="Output file: .ptu (PicoQuant) or .h5 "
                                           "(Photon-HDF5)")],
    structure: Annotated[str | None, typer.Argument(
        help="Material, or layers from the core out (CdSe, CdSe/ZnS): rates from the "
             "multiexciton model. Omit it to give lifetimes instead.")] = None,
    mean_excitation: Annotated[float | None, typer.Option(
        help="Pulsed: mean absorbed photons per pulse <N> (Poisson)")] = None,
    repetition_rate_MHz: Annotated[float, typer.Option(  # noqa: N803
        "--repetition-rate-MHz", help="Pulsed: laser repetition rate, MHz")] = 10.0,
    cw_rate: Annotated[float | None, typer.Option(
        help="CW excitation instead: absorptions per second")] = None,
    blinking: Annotated[bool, typer.Option(
        "--blinking/--no-blinking", help="Power-law on/off blinking (charging)")] = True,
    on_exponent: Annotated[float, typer.Option(help="On-time power-law exponent")] = 1.5,
    off_exponent: Annotated[float, typer.Option(help="Off-time power-law exponent")] = 1.5,
    min_dwell_s: Annotated[float, typer.Option(help="Shortest on/off period, s")] = 1e-3,
    max_dwell_s: Annotated[float, typer.Option(help="Longest on/off period, s")] = 100.0,
    spectral_diffusion_meV: Annotated[float | None, typer.Option(  # noqa: N803
        "--spectral-diffusion-meV", help="RMS of an emission-energy walk, meV (recorded in "
        "the ground truth only)")] = None,
    spectral_correlation_s: Annotated[float, typer.Option(
        help="Correlation time of the energy walk, s")] = 0.1,
    spectral_step_s: Annotated[float, typer.Option(help="Step of the stored energy walk, s")]
    = 0.01,
    mode: Annotated[str, typer.Option(help="T2 (time tags) or T3 (sync + TCSPC nanotime)")]
    = "T2",
    resolution_ps: Annotated[float, typer.Option(help="T2 macrotime tick, ps")] = 1.0,
    nanotime_resolution_ps: Annotated[float, typer.Option(help="T3 TCSPC bin, ps")] = 16.0,
    seed: Annotated[int, typer.Option(help="Random seed (reproducible streams)")] = 0,
    efficiency: Annotated[float, typer.Option(
        help="Detection efficiency (collection x detector QE)")] = 0.05,
    channels: Annotated[int, typer.Option(help="2 (HBT, 50:50 beamsplitter) or 1")] = 2,
    irf_fwhm_ps: Annotated[float, typer.Option(help="IRF (Gaussian jitter) FWHM, ps")] = 50.0,
    delay_ns: Annotated[float, typer.Option(help="Fixed detection delay after sync, ns")]
    = 1.0,
    dead_time_ns: Annotated[float, typer.Option(help="Dead time per detector, ns")] = 50.0,
    dark_counts_cps: Annotated[float, typer.Option(help="Dark counts per detector, 1/s")]
    = 100.0,
    afterpulse_probability: Annotated[float, typer.Option(help="Afterpulse probability")]
    = 0.005,
    afterpulse_delay_ns: Annotated[float, typer.Option(
        help="Mean afterpulse delay after the dead time, ns")] = 200.0,
    exciton_radiative_lifetime_ns: Annotated[float | None, typer.Option(
        help="Explicit rates: X radiative lifetime, ns")] = None,
    exciton_qy: Annotated[float, typer.Option(help="Explicit rates: X quantum yield")] = 1.0,
    biexciton_radiative_lifetime_ns: Annotated[float | None, typer.Option(
        help="Explicit rates: XX radiative lifetime, ns (default X/4)")] = None,
    biexciton_auger_lifetime_ns: Annotated[float | None, typer.Option(
        help="Explicit rates: XX Auger lifetime, ns")] = None,
    trion_radiative_lifetime_ns: Annotated[float | None, typer.Option(
        help="Explicit rates: trion radiative lifetime, ns (default X/2)")] = None,
    trion_auger_lifetime_ns: Annotated[float | None, typer.Option(
        help="Explicit rates: trion Auger lifetime, ns (default 4 x XX Auger)")] = None,
    trion: Annotated[str, typer.Option(help="Charged state of STRUCTURE: negative or "
                                            "positive trion")] = "negative",
    exciton_nonradiative_lifetime_ns: Annotated[float | None, typer.Option(
        help="STRUCTURE: X trapping lifetime, ns (default: from the model)")] = None,
    shape: Annotated[str, typer.Option(help="sphere, rod, platelet, cube, tetrapod, "
                                            "dot-in-rod or dimer")] = "sphere",
    diameter: Annotated[float | None, typer.Option(help="Sphere / rod / arm diameter, nm")]
    = None,
    core_diameter: Annotated[float | None, typer.Option(help="Core diameter, nm")] = None,
    shell: Annotated[list[float] | None, typer.Option(
        help="Shell thickness in nm, one per shell material (repeat)")] = None,
    length: Annotated[float | None, typer.Option(help="Rod length, nm")] = None,
    edge: Annotated[float | None, typer.Option(help="Cube edge, nm")] = None,
    monolayers: Annotated[int | None, typer.Option(help="Platelet monolayers")] = None,
    lateral_size: Annotated[float, typer.Option(help="Platelet lateral size, nm")] = 20.0,
    arm_length: Annotated[float | None, typer.Option(help="Tetrapod arm length, nm")] = None,
    arm_diameter: Annotated[float | None, typer.Option(help="Tetrapod arm diameter, nm")]
    = None,
    gap: Annotated[float, typer.Option(help="Dimer gap, nm")] = 0.0,
    neck: Annotated[float | None, typer.Option(help="Dimer neck diameter, nm")] = None,
    temperature: Annotated[float, typer.Option(help="Temperature, K")] = 300.0,
    medium_eps: Annotated[float, typer.Option(help="Dielectric constant of the medium")] = 2.25,
    electron_barrier: Annotated[float, typer.Option(help="Medium barrier for electrons, eV")]
    = 4.0,
    hole_barrier: Annotated[float, typer.Option(help="Medium barrier for holes, eV")] = 4.0,
    json: Annotated[bool, typer.Option("--json", help="Print the ground truth as JSON")]
    = False,
):
    """Simulate a single dot's photon stream (HBT, two detectors) and write it with its ground truth.

    Rates come from STRUCTURE (multiexciton model) or from explicit lifetimes.  Pulsed
    excitation (--mean-excitation, Poisson absorption) or CW (--cw-rate); XX -> X cascade,
    trion (grey) state with power-law blinking; IRF jitter, dead time, dark counts and
    afterpulsing.  `qdlab photons truth FILE` prints the ground truth again.
    """
    from qdlab.cli._common import check_output_path, check_size, reject_options
    from qdlab.cli.levels import SHAPES, _build_structure, _medium

    structure_mode = structure is not None
    if not structure_mode and exciton_radiative_lifetime_ns is None:
        fail("give STRUCTURE (rates from the multiexciton model) or explicit lifetimes "
             "(--exciton-radiative-lifetime-ns and --biexciton-auger-lifetime-ns)")
    if structure_mode and shape not in SHAPES:
        fail(f"shape must be one of {', '.join(SHAPES)}, got {shape!r}")
    if trion not in ("negative", "positive"):
        fail(f"trion must be negative or positive, got {trion!r}")
    pulsed = cw_rate is None
    if pulsed and mean_excitation is None:
        fail("give --mean-excitation (pulsed excitation) or --cw-rate (CW excitation)")
    if mode not in ("T2", "T3"):
        fail(f"mode must be T2 or T3, got {mode!r}")
    allowed, reasons = _allowed(structure_mode, shape, pulsed, blinking, mode,
                                spectral_diffusion_meV is not None)
    context = ("STRUCTURE" if structure_mode else "explicit lifetimes") + \
        (" with --cw-rate" if not pulsed else "")
    reject_options(ctx, allowed, context, reasons)
    if not pulsed and mode == "T3":
        fail("--mode T3 needs pulsed excitation (a laser sync): use --mode T2 with --cw-rate")
    if not structure_mode and biexciton_auger_lifetime_ns is None:
        fail("explicit lifetimes need --biexciton-auger-lifetime-ns (with "
             "--exciton-radiative-lifetime-ns)")
    check_output_path(out, "--out", OUT_SUFFIXES)
    write = _writer()

    from qdlab.photons.blinking import BlinkingModel
    from qdlab.photons.detector import Detector
    from qdlab.photons.emitter import EmitterRates
    from qdlab.photons.simulate import check_budget, simulate_stream

    det = Detector(efficiency=efficiency, n_channels=channels, irf_fwhm_s=irf_fwhm_ps * 1e-12,
                   delay_s=delay_ns * 1e-9, dead_time_s=dead_time_ns * 1e-9,
                   dark_count_rate_cps=dark_counts_cps,
                   afterpulse_probability=afterpulse_probability,
                   afterpulse_mean_delay_s=afterpulse_delay_ns * 1e-9)
    blink = BlinkingModel(on_exponent, off_exponent, min_dwell_s, max_dwell_s) \
        if blinking else None
    from qdlab.photons.spectral import SpectralDiffusion

    sd = None if spectral_diffusion_meV is None else \
        SpectralDiffusion(spectral_diffusion_meV, spectral_correlation_s, spectral_step_s)
    check_budget(duration, det, mean_excitation=mean_excitation,
                 repetition_rate_hz=repetition_rate_MHz * 1e6, cw_absorption_rate_per_s=cw_rate)
    if structure_mode:
        for opt, value in {"--diameter": diameter, "--core-diameter": core_diameter,
                           "--length": length, "--edge": edge, "--arm-length": arm_length,
                           "--arm-diameter": arm_diameter, "--neck": neck,
                           "--lateral-size": lateral_size}.items():
            check_size(value, opt)
        med = _medium(medium_eps, electron_barrier, hole_barrier)
        struct = _build_structure(structure, shape, diameter, core_diameter, shell or [],
                                  length, edge, monolayers, lateral_size, arm_length,
                                  arm_diameter, gap, neck, med, temperature)
        rates = _structure_rates(struct, trion, exciton_nonradiative_lifetime_ns, temperature)
    else:
        assert exciton_radiative_lifetime_ns is not None and \
            biexciton_auger_lifetime_ns is not None     # (checked above)
        rates = EmitterRates.from_scaling(
            exciton_radiative_lifetime_ns, biexciton_auger_lifetime_ns, exciton_qy=exciton_qy,
            biexciton_radiative_lifetime_ns=biexciton_radiative_lifetime_ns,
            trion_radiative_lifetime_ns=trion_radiative_lifetime_ns,
            trion_auger_lifetime_ns=trion_auger_lifetime_ns)
    kwargs = dict(duration_s=duration, blinking=blink, detector=det, mode=mode, seed=seed,
                  spectral_diffusion=sd,
                  macrotime_resolution_s=resolution_ps * 1e-12,
                  nanotime_resolution_s=nanotime_resolution_ps * 1e-12)
    if pulsed:
        kwargs.update(mean_excitation=mean_excitation,
                      repetition_rate_hz=repetition_rate_MHz * 1e6)
    else:
        kwargs.update(cw_absorption_rate_per_s=cw_rate)
    stream = _run_with_progress(simulate_stream, rates, kwargs, quiet=json)
    truth = stream.metadata["ground_truth"]
    if structure_mode:
        truth["structure"] = repr(struct)
    from qdlab.cli._common import atomic_output

    with atomic_output(out, "--out") as tmp:
        write(stream, tmp)
    if json:
        print_json({"out": str(out), **truth})
        return
    console.print(f"wrote {stream.n_photons:,} photons ({mode}, channels "
                  f"{list(stream.channels)}) to {out}", markup=False, highlight=False)
    for key in ("g2_zero", "lifetime_ns", "exciton_qy", "biexciton_qy", "trion_qy",
                "on_exponent", "off_exponent", "on_fraction", "expected_signal_count_rate_cps"):
        v = truth.get(key)
        console.print(f"{key:32s} {v:.4g}" if isinstance(v, float) else f"{key:32s} {v}",
                      markup=False, highlight=False)


def _run_with_progress(func, rates, kwargs, quiet: bool):
    """Run the simulation with a transient progress bar on stderr (none with ``quiet``)."""
    if quiet:
        return func(rates, **kwargs)
    from rich.progress import Progress

    from qdlab.cli._common import err_console

    with Progress(console=err_console.rich, transient=True) as bar:
        task = bar.add_task("simulating", total=1.0)
        return func(rates, progress=lambda f: bar.update(task, completed=f), **kwargs)


@photons_app.command("truth")
@handle_errors
def truth(file: Annotated[Path, typer.Argument(help="A .ptu or .h5 file written by "
                                                      "`qdlab photons simulate`")]):
    """Print the ground truth stored with a simulated stream (JSON: g2_zero, lifetime_ns, ...)."""
    from qdlab.io.timetags import read_timetags

    stream = read_timetags(file)
    gt = stream.metadata.get("ground_truth") if isinstance(stream.metadata, dict) else None
    if not isinstance(gt, dict):
        fail(f"{file} holds no ground truth (it was not written by `qdlab photons simulate`)")
    print_json(gt)
