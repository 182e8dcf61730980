"""Rich tables shared by ``qdlab validate`` and ``qdlab tour``."""

from __future__ import annotations

from qdlab.cli._common import Table


def growth_table(rows) -> Table:
    table = Table(title="Synthesis kinetics: first-exciton peak vs reaction time (30-600 s), "
                        "measured CdSe growth series (Imperial MS 3.02)")
    for col in ("run", "role", "n", "RMS (nm)", "max |err| (nm)", "mean err (nm)"):
        table.add_column(col, justify="left" if col in ("run", "role") else "right")
    for r in rows:
        table.add_row(r["run"], r["role"], str(r["n"]), f"{r['rms_nm']:.1f}",
                      f"{r['max_abs_nm']:.1f}", f"{r['mean_error_nm']:+.1f}")
    return table


def validation_table(rows) -> Table:
    table = Table(title="First exciton: model vs experiment")
    for col in ("material", "source", "n", "sizes", "RMS (eV)", "max |err| (eV)",
                "mean err (eV)", "RMS (nm)"):
        table.add_column(col, justify="left" if col in ("material", "source") else "right")
    for r in rows:
        size = (f"{r['diameter_min_nm']:.1f}-{r['diameter_max_nm']:.1f} nm"
                if r.get("diameter_min_nm") is not None
                else "{:g}-{:g} ML".format(*(m + 0.5 for m in r["monolayers"])))
        table.add_row(r["material"], r["source"], str(r["n"]), size,
                      f"{r['rms_eV']:.3f}", f"{r['max_abs_eV']:.3f}", f"{r['mean_error_eV']:+.3f}",
                      f"{r['rms_nm']:.1f}")
    return table
