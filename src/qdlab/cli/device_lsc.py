"""``qdlab device lsc``: a luminescent solar concentrator filled with the dots (Monte Carlo).

Builds the ensemble of ``STRUCTURE`` (a sphere or core/shell, with the size options of
``qdlab levels`` / ``qdlab spectrum``), puts it in a slab at ``--concentration`` and
runs :func:`qdlab.devices.lsc_report.lsc_report`.  The photon budget is checked before
any work; errors are one line with exit status 2; ``--plot`` is written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qdlab.cli._common import Table, console, handle_errors, print_json
from qdlab.cli.device import device_app


@device_app.command("lsc")
@handle_errors
def lsc(
    structure: Annotated[str, typer.Argument(help="Materials from the core out: CdSe, "
                                                  "CdSe/CdS, InP/ZnSe/ZnS")],
    diameter: Annotated[float | None, typer.Option(help="Mean diameter of bare spheres, nm")]
    = None,
    core_diameter: Annotated[float | None, typer.Option(help="Mean core diameter, nm")] = None,
    shell: Annotated[list[float] | None, typer.Option(
        help="Shell thickness in nm, one per shell material (repeat)")] = None,
    dispersion: Annotated[float, typer.Option(help="Size dispersion std/mean in %")] = 5.0,
    distribution: Annotated[str, typer.Option(help="normal or lognormal")] = "normal",
    concentration: Annotated[float, typer.Option(
        help="Particle concentration in the host, mol/L")] = ...,
    size: Annotated[str, typer.Option(help="Slab L x W x T in cm, e.g. 5x5x0.5")] = "5x5x0.5",
    refractive_index: Annotated[float, typer.Option(help="Host refractive index")] = 1.5,
    qy: Annotated[float, typer.Option(help="PL quantum yield, 0-1")] = 1.0,
    host_absorption: Annotated[float, typer.Option(help="Host absorption, cm^-1")] = 0.0,
    scattering: Annotated[float, typer.Option(help="Isotropic scattering, cm^-1")] = 0.0,
    edges: Annotated[str, typer.Option(
        help="Edges x=0,x=L,y=0,y=W: pv, mirror or air (comma separated, or one for all)")]
    = "pv",
    back_reflector: Annotated[bool, typer.Option(
        "--back-reflector", help="A specular mirror below the slab (air gap)")] = False,
    mirror_reflectivity: Annotated[float | None, typer.Option(
        help="Reflectivity of mirror edges / back reflector, 0-1 (default 1)")] = None,
    excitation: Annotated[float, typer.Option(help="Illumination wavelength, nm "
                                                   "(normal incidence)")] = 400.0,
    stokes_shift: Annotated[float | None, typer.Option(
        help="Stokes shift of the dots, eV (default: the ensemble default)")] = None,
    photons: Annotated[int, typer.Option(help="Photon histories")] = 200_000,
    seed: Annotated[int | None, typer.Option(help="Random seed (reproducible runs)")] = None,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG: edge spectrum and losses")]
    = None,
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
):
    """Optical efficiency, concentration factor and losses of a QD solar concentrator."""
    from qdlab.cli._common import check_output_path, check_size, fail
    from qdlab.devices.lsc_report import check_photon_budget, lsc_report, parse_size_cm

    check_photon_budget(photons)                     # before any work
    dims = parse_size_cm(size)
    kinds = [e.strip().lower() for e in edges.split(",")]
    if len(kinds) == 1:
        kinds = kinds * 4
    if len(kinds) != 4 or any(k not in ("pv", "mirror", "air") for k in kinds):
        fail(f"edges must be pv, mirror or air, one for all or four comma separated "
             f"(x=0,x=L,y=0,y=W), got {edges!r}")
    if mirror_reflectivity is not None and "mirror" not in kinds and not back_reflector:
        fail("--mirror-reflectivity does not apply: no edge is a mirror and there is no "
             "--back-reflector")
    if diameter is not None and core_diameter is not None:
        fail("give either --diameter or --core-diameter, not both")
    d = diameter if diameter is not None else core_diameter
    if d is None:
        fail("give --diameter (bare spheres) or --core-diameter (core/shell) in nm")
    layered = "/" in structure
    if layered and diameter is not None:
        fail("--diameter is the size of bare spheres: give --core-diameter and --shell for "
             f"the core/shell {structure!r}")
    if not layered and shell:
        fail(f"--shell does not apply to bare {structure!r} spheres (give CORE/SHELL "
             "materials, e.g. CdSe/CdS)")
    check_size(d, "--diameter" if diameter is not None else "--core-diameter")
    for t in shell or []:
        check_size(t, "--shell")
    if distribution not in ("normal", "lognormal"):
        fail(f"distribution must be normal or lognormal, got {distribution!r}")
    if plot is not None:
        check_output_path(plot, "--plot", (".png",))
    out, res = lsc_report(
        structure, core_diameter_nm=d, shells_nm=shell or [], dispersion_pct=dispersion,
        distribution=distribution, concentration_M=concentration, size_cm=dims,
        refractive_index=refractive_index, quantum_yield=qy,
        host_absorption_per_cm=host_absorption, scattering_per_cm=scattering, edges=kinds,
        back_reflector=back_reflector,
        mirror_reflectivity=1.0 if mirror_reflectivity is None else mirror_reflectivity,
        excitation_nm=excitation, stokes_shift_eV=stokes_shift, n_photons=photons, seed=seed)
    if plot is not None:
        _plot(plot, out, res)
        out["plot"] = str(plot)
    if json:
        print_json(out)
        return
    table = Table(title=f"LSC {dims[0]:g} x {dims[1]:g} x {dims[2]:g} cm, n = "
                        f"{refractive_index:g}, {structure} dots at {concentration:g} M "
                        f"({photons:,} photons)")
    table.add_column("quantity")
    table.add_column("value")
    table.add_column("+- (MC)")
    for key, label in (("optical_efficiency", "optical efficiency (photons)"),
                       ("power_efficiency", "power efficiency"),
                       ("concentration_factor", "concentration factor"),
                       ("edge_per_absorbed", "edge photons per absorbed"),
                       ("absorbed_fraction", "absorbed fraction")):
        table.add_row(label, f"{out[key]:.4f}", f"{out[key + '_se']:.4f}")
    table.add_row("geometric gain", f"{out['geometric_gain']:.3g}", "")
    table.add_row("trapping efficiency sqrt(1-1/n^2)", f"{out['trapping_efficiency']:.4f}", "")
    for k, v in out["losses"].items():
        if v > 0:
            table.add_row(f"loss: {k.replace('_', ' ')}", f"{v:.4f}",
                          f"{out['losses_se'][k]:.4f}")
    console.print(table)
    if out["edge_spectrum_peak_nm"] is not None:
        console.print(f"edge spectrum peak {out['edge_spectrum_peak_nm']:.0f} nm; dots: first "
                      f"absorption peak {out['dots']['first_peak_nm']:.0f} nm, PL peak "
                      f"{out['dots']['pl_peak_nm']:.0f} nm")


def _plot(path: Path, out: dict, res) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qdlab.cli._common import save_figure

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 4))
    ax.plot(res.edge_wavelength_nm, res.edge_spectrum, color="tab:red")
    ax.set_xlabel("wavelength (nm)")
    ax.set_ylabel("edge photons per incident photon per nm")
    ax.set_title(f"edge spectrum (optical efficiency {out['optical_efficiency']:.3f})")
    names = ["pv_edge", *[k for k, v in out["losses"].items() if v > 0]]
    vals = [out["optical_efficiency"], *[out["losses"][k] for k in names[1:]]]
    bx.barh([n.replace("_", " ") for n in names], vals, color=["tab:green"]
            + ["tab:gray"] * (len(names) - 1))
    bx.set_xlabel("fraction of incident photons")
    bx.set_title("fate of the photons")
    fig.tight_layout()
    save_figure(fig, path)
