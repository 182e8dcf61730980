"""``qdlab materials`` and ``qdlab validate``: the parameter database and model vs experiment."""

from __future__ import annotations

from typing import Annotated

import typer

from qdlab.cli._common import (
    Table,
    app,
    console,
    fail,
    handle_errors,
    print_json,
)
from qdlab.cli.tables import (
    cds_size_table,
    extinction_table,
    growth_table,
    model_validation_table,
)


@app.command()
@handle_errors
def materials(
    name: Annotated[str | None, typer.Argument(help="Material name or key (e.g. CdSe, "
                                                    "CdSe-zb); omit to list all")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
):
    """List the materials, or show every value of one with its source."""
    from qdlab.materials import get_material, list_materials

    if name is None:
        keys = list_materials()
        if json:
            print_json([_material_summary(get_material(k)) for k in keys])
            return
        table = Table(title=f"{len(keys)} materials")
        for col in ("key", "phase", "Eg 300 K (eV)", "me", "mh", "eps", "a_B (nm)", "RoHS"):
            table.add_column(col)
        for k in keys:
            s = _material_summary(get_material(k))
            table.add_row(k, s["phase"], f"{s['band_gap_300K_eV']:.3f}", f"{s['electron_mass']:.3g}",
                          f"{s['hole_mass']:.3g}", f"{s['eps_static']:.3g}",
                          f"{s['exciton_bohr_radius_nm']:.2f}",
                          ",".join(s["rohs_restricted_elements"]) or "-")
        console.print(table)
        return
    m = get_material(name)
    rows = m.describe()
    if json:
        print_json({"key": m.key, "name": m.name, "phase": m.phase,
                    "values": [{"field": f, "value": v, "unit": u, "source": s}
                               for f, v, u, s in rows]})
        return
    table = Table(title=f"{m.key} ({m.phase})", show_lines=False)
    for col in ("field", "value", "unit", "source"):
        table.add_column(col, overflow="fold")
    for f, v, u, s in rows:
        table.add_row(str(f), _fmt_value(v), str(u or ""), str(s or ""))
    console.print(table)


def _fmt_value(v) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, (list, tuple)):
        return ", ".join(_fmt_value(x) for x in v)
    return str(v)


def _material_summary(m) -> dict:
    return {"key": m.key, "name": m.name, "phase": m.phase,
            "band_gap_300K_eV": float(m.band_gap(300.0)), "electron_mass": m.electron_mass,
            "hole_mass": m.hole_mass, "eps_static": m.eps_static,
            "exciton_bohr_radius_nm": m.exciton_bohr_radius_nm,
            "rohs_restricted_elements": list(m.rohs_restricted_elements)}


def _kp_optics_rows():
    """(band-edge extinction rows, lifetime rows) of the k.p optics, tagged for --json."""
    from qdlab.electronic.kp.lifetimes import validate_kp_lifetimes
    from qdlab.optics.optical_constants import bulk_permittivity
    from qdlab.sizing.extinction_validation import kp_band_edge_extinction_rows

    ext = [{"quantity": "kp_band_edge_extinction", **r} for r in kp_band_edge_extinction_rows()]
    life = [{"quantity": "radiative_lifetime", "model": "kp", **r}
            for r in validate_kp_lifetimes(eps_dot=bulk_permittivity("CdSe"))]
    return ext, life


@app.command()
@handle_errors
def validate(
    model: Annotated[str, typer.Option(
        help="both (default: single-band and k.p side by side), single-band or kp")]
    = "both",
    json: Annotated[bool, typer.Option("--json", help="Print JSON rows")] = False,
):
    """Model first-exciton energies and extinction against published measurements.

    Each material and data set side by side for the single-band and the k.p model:
    first-exciton RMS / max error, and extinction as model/measured ratios.
    """
    from qdlab.electronic.model_validation import validate_models
    from qdlab.sizing.extinction_validation import validate_extinction

    choices = {"both": ("single-band", "kp"), "single-band": ("single-band",),
               "kp": ("kp",)}
    if model not in choices:
        fail(f"model must be one of {', '.join(choices)}, got {model!r}")
    models = choices[model]
    from qdlab.validation import cds_size_check

    rows = validate_models(models)
    ext = [r for m in models for r in validate_extinction(m)]
    cds = cds_size_check()
    kp_rows = _kp_optics_rows() if "kp" in models else ([], [])
    if json:
        print_json(rows + ext + cds + kp_rows[0] + kp_rows[1])
        return
    console.print(model_validation_table(rows, models))
    console.print("Models: bulk parameters, no fit. Error = model - experiment; > 0 means "
                  "the model is too blue. Goal: RMS <= 0.05 eV. --model kp of `qdlab levels` "
                  "is better for bare CdSe spheres; their default stays single band (one "
                  "answer per structure across levels, grid, spectra and sizing). "
                  "Platelets: k.p is the default.\n"
                  "Known weak spots (see qdlab.validation): sizes below ~3 nm, CdSe "
                  "platelets: the 2.5 ML heavy-hole line (+0.09 eV). CdS vs Yu 2003 (0.34 eV "
                  "too red): the Yu CdS diameters, see the next table.")
    floors = {(r["material"], r["source"]): r["smooth_floor_eV"] for r in rows
              if r.get("smooth_floor_eV") is not None and r["smooth_floor_eV"] > 0.05}
    if floors:
        console.print("Sets no smooth size law follows to the goal (best Eg + A/d^n or "
                      "Eg + A/d^2 - B/d with the bulk gap, A, B >= 0; a property of the "
                      "data, not of a model): "
                      + ", ".join(f"{m} {s} {v:.3f} eV RMS" for (m, s), v in floors.items())
                      + ".")
    console.print("")
    console.print(cds_size_table(cds))
    console.print("At the same peak the Yu 2003 CdS relation gives ~1.5x the X-ray size; "
                  "the model (no fit) meets the X-ray-sized sample (Vogel1997, 2.0-2.6 nm "
                  "phase components). Herron1993 is a molecular cluster below the model's "
                  "range (size check of the Yu relation only). Sources: "
                  "src/qdlab/_data/README.md.\n")
    console.print(extinction_table(ext, models))
    console.print("Ratio = model / published (1 = exact; goal 0.7-1.3), 5 % size "
                  "dispersion; the single-band band-edge strength neglects valence-band "
                  "mixing and the dark exciton (an upper bound). CdS: no measured Kane "
                  "energy, the estimate from the electron mass (a lower bound, 1.1-1.6x "
                  "low) at the Yu 2003 diameters (~1.5x the X-ray sizes, see above).\n")
    if "kp" in models:
        from qdlab.electronic.kp.extinction import format_kp_extinction
        from qdlab.electronic.kp.lifetimes import format_kp_lifetimes

        console.print(format_kp_extinction(kp_rows[0]), markup=False, highlight=False,
                      soft_wrap=True)
        console.print("")
        console.print(format_kp_lifetimes(kp_rows[1]), markup=False, highlight=False,
                      soft_wrap=True)
        console.print("")
    from qdlab.synthesis.measured import validate_growth_series

    console.print(growth_table(validate_growth_series()))
    console.print("Recipe 'cdse-teaching': conversion rate and solubility fitted to run 2 "
                  "(scripts/fit_teaching_recipe.py); runs 3 and 6 are held out. Peaks from "
                  "the mean diameter through the Jasieniak 2009 curve. Error > 0: too red.")
