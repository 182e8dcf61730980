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


def _size(r) -> str:
    if r.get("diameter_min_nm") is not None:
        return f"{r['diameter_min_nm']:.1f}-{r['diameter_max_nm']:.1f} nm"
    if r.get("monolayers"):
        return "{:g}-{:g} ML".format(*(m + 0.5 for m in r["monolayers"]))
    return "-"


def _err(r) -> tuple[str, str]:
    if r is None or r.get("rms_eV") is None:
        return "-", "-"
    flag = "" if r["within_goal"] else " *"
    return f"{r['rms_eV']:.3f}{flag}", f"{r['max_abs_eV']:.3f}"


def model_validation_table(rows, models) -> Table:
    """First exciton per data set, the models side by side (rows of ``validate_models``)."""
    table = Table(title="First exciton: model vs experiment, RMS / max |error| in eV "
                        "(* RMS above the 0.05 eV goal)")
    for col in ("material", "source", "n", "sizes"):
        table.add_column(col, justify="left" if col in ("material", "source") else "right")
    names = {"single-band": "single band", "kp": "k.p"}
    for m in models:
        table.add_column(f"{names[m]} RMS", justify="right")
        table.add_column(f"{names[m]} max", justify="right")
    if len(models) > 1:
        table.add_column("better", justify="left")
    table.add_column("known misses", justify="left")
    by = {(r["model"], r["material"], r["source"]): r for r in rows}
    for r0 in [r for r in rows if r["model"] == models[0]]:
        key = (r0["material"], r0["source"])
        per = [by.get((m, *key)) for m in models]
        cells = [c for r in per for c in _err(r)]
        extra = []
        if len(models) > 1:
            rms = [r.get("rms_eV") if r else None for r in per]
            if None in rms:
                extra.append("-")
            else:
                best = min(range(len(models)), key=lambda i: rms[i])
                tie = abs(rms[0] - rms[1]) < 5e-4
                extra.append("same" if tie else names[models[best]])
        found = [(names[m], r["note"]) for m, r in zip(models, per, strict=True)
                 if r and r.get("note")]
        if len(found) > 1 and len({n for _, n in found}) == 1:
            found = [("both", found[0][1])]
        notes = "; ".join(f"{who}: {n}" for who, n in found)
        table.add_row(r0["material"], r0["source"], str(r0["n"]), _size(r0), *cells, *extra,
                      notes)
    return table


def cds_size_table(rows) -> Table:
    """X-ray-sized CdS against the Yu 2003 CdS relation and the model (``cds_size_check``)."""
    table = Table(title="CdS sized by X-ray diffraction: the Yu 2003 CdS relation and the "
                        "model at the measured peak")
    for col in ("source", "role", "peak (nm)", "X-ray d (nm)", "Yu 2003 d (nm)", "Yu / X-ray",
                "model d (nm)", "model - measured (eV)"):
        table.add_column(col, justify="left" if col in ("source", "role") else "right")
    for r in rows:
        table.add_row(r["source"], r["role"], f"{r['peak_nm']:.0f}",
                      f"{r['diameter_nm']:.1f} ({r['diameter_min_nm']:.1f}-"
                      f"{r['diameter_max_nm']:.1f})",
                      f"{r['yu2003_diameter_nm']:.2f}", f"{r['yu2003_over_xray']:.2f}",
                      f"{r['model_diameter_nm']:.2f}", f"{r['model_error_eV']:+.3f}")
    return table


def extinction_table(rows, models) -> Table:
    """Extinction ratios model/measured per relation (rows of ``validate_extinction``)."""
    table = Table(title="Extinction: model / published (range over the sizes)")
    for col in ("relation", "observable", "sizes (nm)"):
        table.add_column(col, justify="left")
    names = {"single-band": "single band", "kp": "k.p"}
    for m in models:
        table.add_column(names[m], justify="right")
    table.add_column("why no number", justify="left")
    by = {(r["model"], r["relation"]): r for r in rows}
    for r0 in [r for r in rows if r["model"] == models[0]]:
        per = [by[(m, r0["relation"])] for m in models]
        cells = [("-" if r["ratios"] is None else
                  f"{r['ratio_min']:.2f}-{r['ratio_max']:.2f}" + ("" if r["within_goal"]
                                                                  else " *"))
                 for r in per]
        why = "; ".join(f"{names[m]}: {r['ratio_reason']}" for m, r in zip(models, per,
                                                                           strict=True)
                        if r.get("ratio_reason"))
        table.add_row(r0["relation"], r0["observable"],
                      ", ".join(f"{d:g}" for d in r0["diameters_nm"]), *cells, why)
    return table
