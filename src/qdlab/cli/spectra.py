"""``qdlab size``, ``qdlab colour`` and ``qdlab spectrum``: sizing, colour, ensemble spectra."""

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
    opt_fmt,
    print_json,
    print_summary,
    save_figure,
    swatch,
)


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
        table.add_row(m["name"] + mark, opt_fmt(m["diameter_nm"], ".3f"),
                      opt_fmt(m["extinction_M-1cm-1"], ".4g"),
                      opt_fmt(m["extinction_wavelength_nm"], ".0f"),
                      opt_fmt(m["concentration_M"], ".3e"), "yes" if m["in_range"] else "no")
    console.print(table)
    console.print(f"[bold]diameter {out['diameter_nm']:.2f} nm[/] (* recommended: "
                  f"{out['recommended']})")


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
    from qdlab.cli._common import check_size, reject_options
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
        check_size(diameter, "--diameter")
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
    wl_max: Annotated[float, typer.Option(
        help="Longest wavelength, nm (default 800, raised to hold the first exciton and "
             "the PL band, e.g. for PbS)")] = 800.0,
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

    from qdlab.cli._common import check_output_path, check_size, given_options
    from qdlab.errors import check_positive
    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    if "path_cm" in given_options(ctx) and concentration is None:
        fail("--path-cm does not apply without --concentration: it only sets the absorbance "
             "column (give --concentration in mol/L)")
    check_size(diameter, "--diameter")
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
    given = given_options(ctx)
    if "wl_min" not in given or "wl_max" not in given:
        # a default end of the range moves to hold the first exciton and the PL band
        lo, hi = ens.spectral_window_nm(wl_min, wl_max)
        wl_min = wl_min if "wl_min" in given else lo
        wl_max = wl_max if "wl_max" in given else hi
    if not wl_min <= ens.first_peak_nm() <= wl_max:
        import warnings

        warnings.warn(f"the first-exciton peak ({ens.first_peak_nm():.0f} nm) lies outside "
                      f"--wl-min/--wl-max ({wl_min:g}-{wl_max:g} nm)", UserWarning, stacklevel=1)
    lam = np.arange(wl_min, wl_max + step / 2, step)
    table = ens.spectrum_table(lam, concentration_M=concentration, path_cm=path_cm)
    summary = {"material": material, "diameter_nm": diameter, "dispersion_pct": dispersion,
               "distribution": distribution, "wavelength_range_nm": [wl_min, float(lam[-1])],
               "first_peak_nm": ens.first_peak_nm(),
               "first_peak_extinction_M-1cm-1": ens.first_peak_extinction(),
               "pl_peak_nm": ens.emission_peak_nm(), "pl_fwhm_nm": ens.emission_fwhm_nm()}
    # --- k.p shapes (h-kpsalts): cube edge and band-edge radiative lifetime
    from qdlab.optics.band_edge_lifetime import radiative_lifetime, radiative_lifetime_model
    from qdlab.structures import Sphere

    if shape == "cube":
        summary.update({"shape": "cube", "edge_nm": edge})
    dot = Sphere(material, diameter)
    summary["radiative_lifetime_ns"] = 1e9 * radiative_lifetime(dot)
    summary["radiative_lifetime_model"] = radiative_lifetime_model(dot)
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
