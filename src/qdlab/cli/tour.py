"""``qdlab tour``: a guided printout and one figure, calling only the library."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.table import Table

from qdlab.cli._common import console, save_figure, swatch, wavelength_hex


def run_tour(out: Path) -> Path:
    """Print the tour and write its figure to ``out`` (PNG); return the path."""
    from qdlab.electronic import solve
    from qdlab.electronic.sphere.exciton import first_exciton_batch
    from qdlab.structures import CoreShell, Sphere
    from qdlab.validation import load_reference_points, validate_all

    out = Path(out)
    if out.suffix.lower() != ".png":
        from qdlab.errors import QdlabInputError

        raise QdlabInputError(f"out must be a .png file, got {str(out)!r}")
    console.rule("[bold]qdlab tour")
    console.print("1. CdSe quantum dots: colour versus size (exact radial effective-mass "
                  "model, bulk parameters, 300 K)")
    table = Table()
    for col in ("diameter (nm)", "first exciton (eV)", "(nm)", "colour"):
        table.add_column(col, justify="right")
    for d in (2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 8.0):
        st = solve(Sphere("CdSe", d))
        hexc = wavelength_hex(st.first_exciton_nm)
        table.add_row(f"{d:.1f}", f"{st.first_exciton_eV:.3f}", f"{st.first_exciton_nm:.0f}",
                      f"{swatch(hexc)} {hexc or ''}")
    console.print(table)

    console.print("\n2. Core/shell structures")
    table = Table()
    for col in ("structure", "first exciton (nm)", "overlap", "e in core", "h in core",
                "alignment"):
        table.add_column(col)
    examples = [
        CoreShell("CdSe", 3.0, [("ZnS", 1.0)]),
        CoreShell("CdSe", 3.0, [("CdS", 2.0)]),
        CoreShell("InP", 3.0, [("ZnSe", 1.0), ("ZnS", 0.5)]),
        CoreShell("ZnSe", 3.0, [("CdS", 1.5)]),
    ]
    for s in examples:
        st = solve(s)
        table.add_row(s.label + f" ({s.core_diameter_nm:g} nm core, shells "
                      + ", ".join(f"{t:g}" for t in s.shell_thicknesses_nm) + " nm)",
                      f"{st.first_exciton_nm:.0f}", f"{st.overlap:.2f}",
                      f"{st.electron_in_core:.2f}", f"{st.hole_in_core:.2f}", st.alignment)
    console.print(table)

    console.print("\n3. Validation against measured sizing relations (no fitted parameters)")
    from qdlab.cli.tables import validation_table

    rows = validate_all()
    console.print(validation_table(rows))

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    pts = load_reference_points()
    colours = {"CdSe": "tab:red", "CdS": "tab:blue", "CdTe": "tab:purple", "PbS": "tab:gray"}
    for mat, c in colours.items():
        sel = [p for p in pts if p.material == mat]
        if not sel:
            continue
        d = np.linspace(min(p.diameter_nm for p in sel) * 0.9,
                        max(p.diameter_nm for p in sel) * 1.1, 60)
        e = first_exciton_batch([mat], d[:, None] / 2)["first_exciton_eV"]
        ax1.plot(d, e, color=c, label=f"{mat} model")
        for src, marker in (("Yu2003", "o"), ("Jasieniak2009", "s"), ("Moreels2009", "^")):
            ss = [p for p in sel if p.source == src]
            if ss:
                ax1.plot([p.diameter_nm for p in ss], [p.first_exciton_eV for p in ss], marker,
                         color=c, mfc="none", label=f"{mat} {src}")
    ax1.set_xlabel("diameter (nm)")
    ax1.set_ylabel("first exciton (eV)")
    ax1.set_title("Model (lines) vs measured sizing relations")
    ax1.legend(fontsize=7, ncol=2)
    st = solve(CoreShell("CdSe", 3.0, [("CdS", 2.0)]))
    ax2.plot(st.r_nm, st.electron_wavefunction**2 * st.r_nm**2, label="electron")
    ax2.plot(st.r_nm, st.hole_wavefunction**2 * st.r_nm**2, label="hole")
    for r in st.structure.radii_nm:
        ax2.axvline(r, color="k", lw=0.5, ls="--")
    ax2.set_xlabel("r (nm)")
    ax2.set_ylabel("radial probability r$^2$|R|$^2$ (nm$^{-1}$)")
    ax2.set_title("CdSe/CdS (3 nm core, 2 nm shell): quasi-type II")
    ax2.legend()
    fig.tight_layout()
    save_figure(fig, out, option="--out")
    console.print(f"\nFigure written to [bold]{out.resolve()}[/]")
    console.print("Next: `qdlab levels CdSe --diameter 4`, `qdlab levels InP/ZnSe/ZnS "
                  "--core-diameter 3 --shell 1.0 --shell 0.5`, `qdlab materials CdSe`, "
                  "`qdlab validate`.")
    return out
