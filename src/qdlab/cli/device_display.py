"""``qdlab device display`` and ``qdlab device qled``: quantum-dot displays from the dots."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qdlab.cli._common import (
    Table,
    check_output_path,
    console,
    fail,
    handle_errors,
    print_json,
    save_figure,
)
from qdlab.cli.device import device_app

_DOT_HELP = ("a target PL peak in nm (qdlab picks the dots: 630), MATERIALS@PEAK[:SHELLS] "
             "(InP/ZnS@630:1.0) or a structure MATERIALS:CORE[,SHELLS] in nm "
             "(CdSe/ZnS:4.4,1.0)")


@device_app.command("display")
@handle_errors
def display(
    red: Annotated[str, typer.Option(help="Red dots: " + _DOT_HELP)],
    green: Annotated[str, typer.Option(help="Green dots: " + _DOT_HELP)],
    fwhm: Annotated[float | None, typer.Option(
        help="Target PL FWHM of both dots, nm (sets their size dispersion; default 5 % "
             "dispersion)")] = None,
    blue_led: Annotated[float, typer.Option(help="Blue LED peak, nm")] = 450.0,
    led_fwhm: Annotated[float, typer.Option(help="Blue LED FWHM, nm")] = 20.0,
    rohs: Annotated[bool, typer.Option(
        "--rohs", help="Cd-free: InP dots for target peaks, Cd specs refused")] = False,
    qy: Annotated[float, typer.Option(help="PL quantum yield of the dots, 0-1")] = 0.9,
    green_concentration: Annotated[float | None, typer.Option(
        help="Green dots in the film, mol/L (with --red-concentration; default: balanced "
             "to a D65 white)")] = None,
    red_concentration: Annotated[float | None, typer.Option(
        help="Red dots in the film, mol/L")] = None,
    thickness: Annotated[float, typer.Option(
        help="Thickness of each layer (or of the mixed layer), um")] = 50.0,
    layout: Annotated[str, typer.Option(
        help="sequential (LED -> green -> red layers) or mixed (one layer)")] = "sequential",
    lab_volume: Annotated[bool, typer.Option(
        "--lab-volume", help="Add the CIELab gamut volume (colour-science Monte Carlo)")]
    = False,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    plot: Annotated[Path | None, typer.Option(
        help="PNG: the gamut triangles on the CIE 1931 chromaticity diagram")] = None,
):
    """Colour-conversion display: a blue LED pumping green and red QD layers.

    Prints the dots chosen, the film (blue leakage, conversion), the primaries, the
    white point and the coverage of sRGB, DCI-P3 and Rec.2020 in xy and u'v'.
    """
    from qdlab.devices.display import colour_conversion_display
    from qdlab.devices.display_film import LAYOUTS

    if layout not in LAYOUTS:
        fail(f"--layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    if (green_concentration is None) != (red_concentration is None):
        fail("give both --green-concentration and --red-concentration (mol/L), or neither "
             "(the white is then balanced to D65)")
    if plot is not None:
        check_output_path(plot, "--plot", (".png",))
    out = colour_conversion_display(
        red, green, fwhm_nm=fwhm, led_peak_nm=blue_led, led_fwhm_nm=led_fwhm, rohs=rohs,
        quantum_yield=qy, green_concentration_M=green_concentration,
        red_concentration_M=red_concentration, thickness_um=thickness, layout=layout,
        lab_volume=lab_volume)
    if plot is not None:
        plot_gamut(plot, out)
        out["plot"] = str(plot)
    if json:
        print_json(out)
        return
    _print(out)


def _print(out: dict) -> None:
    t = Table(title="Dots")
    for col in ("colour", "dots", "core (nm)", "dispersion", "PL peak (nm)", "FWHM (nm)",
                "conc. (M)"):
        t.add_column(col)
    f = out["film"]
    for name in ("green", "red"):
        d = out["dots"][name]
        shells = "".join(f"+{s:g}" for s in d["shells_nm"])
        t.add_row(name, d["materials"], f"{d['core_diameter_nm']:.2f}{shells}",
                  f"{d['dispersion_pct']:.1f} %", f"{d['pl_peak_nm']:.1f}",
                  f"{d['pl_fwhm_nm']:.1f}", f"{f[name + '_concentration_M']:.3g}")
    console.print(t)
    console.print(f"film ({f['layout']}, {f['thickness_um']:g} um): blue leakage "
                  f"{f['blue_leakage']:.3f}, conversion {f['conversion_efficiency']:.3f} "
                  f"photons per LED photon, green reabsorbed by red "
                  f"{f['green_reabsorbed_by_red']:.3f}")
    t = Table(title="Primaries and white")
    for col in ("", "x", "y", "u'", "v'", "peak (nm)"):
        t.add_column(col)
    for p in out["primaries"]:
        t.add_row(p["name"], f"{p['x']:.4f}", f"{p['y']:.4f}", f"{p['u_prime']:.4f}",
                  f"{p['v_prime']:.4f}", f"{p['peak_nm']:.0f}")
    w = out["white_point"]
    cct = f"CCT {w['cct_K']:.0f} K" if w["cct_K"] is not None else "no CCT"
    t.add_row("white", f"{w['x']:.4f}", f"{w['y']:.4f}", f"{w['u_prime']:.4f}",
              f"{w['v_prime']:.4f}", f"{cct}, Duv {w['duv']:+.4f}")
    console.print(t)
    t = Table(title="Gamut coverage (area ratio)")
    for col in ("standard", "xy", "u'v'"):
        t.add_column(col)
    for name, v in out["gamut_coverage"].items():
        t.add_row(name, *(f"{100 * v[k]['coverage']:.1f} % ({100 * v[k]['area_ratio']:.1f} %)"
                          for k in ("xy", "upvp")))
    console.print(t)
    if "lab_volume" in out:
        lv = out["lab_volume"]
        console.print(f"CIELab volume {lv['volume_dE3']:.4g} dE^3 (+-"
                      f"{100 * lv['relative_error']:.1f} %); ratio " + ", ".join(
                          f"{k} {100 * v:.1f} %" for k, v in lv["ratio"].items()))


def plot_gamut(path: Path, out: dict) -> None:
    """The display and standard triangles on the CIE 1931 diagram (colour-science)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from qdlab.devices.display_gamut import STANDARDS, standard_primaries
    from qdlab.optics.colour import _colour

    colour = _colour()
    fig, ax = plt.subplots(figsize=(6, 6))
    colour.plotting.plot_chromaticity_diagram_CIE1931(axes=ax, show=False, title=None)
    styles = dict(zip(STANDARDS, ("--", ":", "-."), strict=True))
    for name in STANDARDS:
        p = standard_primaries(name)
        ax.plot(*np.vstack([p, p[:1]]).T, styles[name], color="black", lw=1, label=name)
    d = np.array([[p["x"], p["y"]] for p in out["primaries"]])
    ax.plot(*np.vstack([d, d[:1]]).T, "-", color="white", lw=2.5)
    ax.plot(*np.vstack([d, d[:1]]).T, "-", color="crimson", lw=1.5, label="QD display")
    w = out["white_point"]
    ax.plot(w["x"], w["y"], "o", color="black", ms=4, label="white")
    ax.set_xlim(-0.05, 0.8)
    ax.set_ylim(-0.05, 0.9)
    cov = out["gamut_coverage"]["Rec2020"]["xy"]["coverage"]
    ax.set_title(f"QD display gamut: {100 * cov:.1f} % of Rec.2020 (xy)")
    ax.legend(loc="upper right")
    fig.tight_layout()
    save_figure(fig, path)


@device_app.command("qled")
@handle_errors
def qled(
    dot: Annotated[str, typer.Option(help="The emitting dots: " + _DOT_HELP)],
    fwhm: Annotated[float | None, typer.Option(help="Target PL FWHM, nm")] = None,
    rohs: Annotated[bool, typer.Option("--rohs", help="Cd-free dots (InP)")] = False,
    qy: Annotated[float, typer.Option(help="Quantum yield of the dots in the device, 0-1")]
    = 0.9,
    charge_balance: Annotated[float, typer.Option(help="Charge balance, 0-1")] = 1.0,
    refractive_index: Annotated[float, typer.Option(
        help="Refractive index of the emitting layer")] = 1.8,
    outcoupling: Annotated[str, typer.Option(
        help="isotropic, ray-optics (1/2n^2) or horizontal (in-plane dipoles)")]
    = "isotropic",
    field: Annotated[float, typer.Option(help="Field across the dots, MV/cm")] = 0.3,
    trion_fraction: Annotated[float, typer.Option(
        help="Fraction of the emission from trions, 0-1")] = 0.0,
    trion_binding: Annotated[float | None, typer.Option(
        help="Trion red shift, meV (with --trion-fraction)")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
):
    """QLED: EL spectrum (PL + Stark shift and trions) and EQE = balance x QY x outcoupling."""
    from qdlab.devices.dots import pick_dots
    from qdlab.devices.qled import DAI2014_EQE
    from qdlab.devices.qled import qled as _qled

    if trion_binding is not None and trion_fraction == 0.0:
        fail("--trion-binding does not apply without --trion-fraction > 0")
    p = pick_dots(dot, fwhm_nm=fwhm, quantum_yield=qy, rohs=rohs)
    out = {"dots": p.to_dict(),
           **_qled(p.ensemble, charge_balance=charge_balance,
                   refractive_index=refractive_index, outcoupling_method=outcoupling,
                   field_MV_cm=field, trion_fraction=trion_fraction,
                   trion_binding_meV=trion_binding),
           "published": {"eqe": DAI2014_EQE, "device": "red CdSe/CdS QLED, Dai et al., "
                                                        "Nature 515, 96 (2014)"}}
    if json:
        print_json(out)
        return
    console.print(f"dots {p.spec.text}: {out['dots']['materials']} core "
                  f"{p.core_diameter_nm:.2f} nm, PL {out['pl_peak_nm']:.1f} nm "
                  f"(FWHM {out['pl_fwhm_nm']:.1f})")
    console.print(f"EL {out['el_peak_nm']:.1f} nm (FWHM {out['el_fwhm_nm']:.1f}): Stark "
                  f"{out['stark_shift_meV']:.2f} meV at {field:g} MV/cm; CIE x, y "
                  f"{out['el_x']:.4f}, {out['el_y']:.4f}")
    console.print(f"EQE {100 * out['eqe']:.1f} % = {charge_balance:g} x {qy:g} x "
                  f"{out['outcoupling']:.3f} ({out['outcoupling_source']}); published: "
                  f"{100 * DAI2014_EQE:.1f} % (Dai et al. 2014)")
