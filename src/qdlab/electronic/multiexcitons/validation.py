r"""The multiexciton model against the published quantities of ``_data/multiexcitons_literature.csv``.

Each measured or computed row is compared with the model for a representative
structure (the papers' abstracts do not give every dimension: the structure used is
printed with each row).  Nothing in the model is fitted to these rows.  Print the
table with ``python -m qdlab.electronic.multiexcitons``.

References
----------
See ``qdlab/_data/README.md`` (section multiexcitons_literature.csv) and
:mod:`qdlab.electronic.multiexcitons`.
"""

from __future__ import annotations

import csv
from importlib import resources

__all__ = ["REPRESENTATIVE", "format_multiexciton_validation", "literature_rows",
           "validate_multiexcitons"]

#: CdS monolayer thickness along c (wurtzite c/2), nm.
_CDS_ML_NM = 0.336

#: Representative structures (layers spec, core diameter nm, shells nm) per data key.
REPRESENTATIVE: dict[str, list[tuple[str, float, tuple[float, ...]]]] = {
    "bonati2005_xx_binding": [("CdSe", 2.4, ()), ("CdSe", 4.0, ())],
    "park2014": [("CdSe/CdS", 3.0, (16 * _CDS_ML_NM,))],
    "polovitsyn2018_giant_rod_xx_sign": [("CdSe/CdS", 3.2, (14 * _CDS_ML_NM,)),
                                         ("CdSe/CdS", 5.0, (14 * _CDS_ML_NM,))],
    "polovitsyn2018_thin_rod_xx_sign": [("CdSe/CdS", 3.5, (3 * _CDS_ML_NM,)),
                                        ("CdSe/CdS", 5.0, (3 * _CDS_ML_NM,))],
    "klimov2007_type2_xx_sign": [("CdS/ZnSe", 4.0, (1.5,))],
    "oron2007_type2_xx_sign": [("CdTe/CdSe", 4.0, (1.5,))],
    "spinicelli2009": [("CdSe/CdS", 3.0, (16 * _CDS_ML_NM,))],
}


def literature_rows() -> list[dict]:
    """Rows of ``qdlab/_data/multiexcitons_literature.csv`` (low/high as floats)."""
    text = resources.files("qdlab").joinpath("_data", "multiexcitons_literature.csv") \
        .read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    for r in rows:
        r["low"], r["high"] = float(r["low"]), float(r["high"])
    return rows


def _props(spec, core, shells, energies_only=False):
    from qdlab.electronic.multiexcitons.energies import binding_energies_eV, coulomb_integrals
    from qdlab.electronic.multiexcitons.properties import multiexciton_properties
    from qdlab.electronic.sphere.exciton import solve_sphere
    from qdlab.structures import parse_layers

    st = parse_layers(spec, core, list(shells))
    if not energies_only:
        return multiexciton_properties(st)
    c = coulomb_integrals(solve_sphere(st, l_max=0, n_states=1))
    return {"biexciton_binding_meV": 1e3 * binding_energies_eV(c.J_eh_eV, c.J_ee_eV,
                                                                c.J_hh_eV)["biexciton"]}


def _label(spec, core, shells) -> str:
    return spec + f" {core:g} nm" + "".join(f" + {s:.2f} nm" for s in shells)


def _model_value(key: str, quantity: str, p) -> float:
    if isinstance(p, dict):           # energies only (no radiative rate needed)
        b = p["biexciton_binding_meV"]
        return b if quantity == "biexciton_binding" else (1.0 if b > 0 else -1.0)
    if quantity == "biexciton_binding":
        return p.biexciton_binding_meV
    if quantity == "biexciton_binding_sign":
        return 1.0 if p.biexciton_binding_meV > 0 else -1.0
    if quantity == "positive_trion_lifetime":
        return p.positive_trion_lifetime_ns
    if quantity == "positive_trion_qy":
        return p.positive_trion_qy
    if quantity == "negative_trion_lifetime":
        return p.negative_trion_lifetime_ns
    if quantity == "negative_trion_qy_over_exciton_qy":
        return p.negative_trion_qy / p.exciton_qy
    if quantity == "charged_exciton_radiative_lifetime":
        return p.negative_trion_radiative_lifetime_ns
    if quantity == "charged_exciton_auger_lifetime":
        return p.negative_trion_auger_lifetime_ns
    if quantity == "charged_exciton_qy":
        return p.negative_trion_qy
    if quantity == "exciton_qy":
        return p.exciton_qy
    if quantity == "trion_over_exciton_radiative_rate":
        return p.exciton_radiative_lifetime_ns / p.negative_trion_radiative_lifetime_ns
    if quantity == "biexciton_over_exciton_radiative_rate":
        return p.exciton_radiative_lifetime_ns / p.biexciton_radiative_lifetime_ns
    raise KeyError(quantity)


def validate_multiexcitons() -> list[dict]:
    r"""Model against every measured / computed row of the literature table.

    Returns
    -------
    list of dict
        ``key``, ``quantity``, ``structure`` (the representative structure of the
        model), ``low``, ``high``, ``unit``, ``model``, ``within`` (model inside
        [low, high]; for an "up to" statement, low = 0), ``kind``, ``source``.

    Notes
    -----
    Rows of kind ``input`` (the Auger coefficient) and rows without a structure the
    radial solver can represent (the > 40 nm gradient shells) are skipped.

    Examples
    --------
    >>> rows = validate_multiexcitons()
    >>> any(r["key"] == "oron2007_type2_xx_sign" and r["within"] for r in rows)
    True
    """
    out = []
    cache = {}
    for row in literature_rows():
        key = row["key"]
        if row["kind"] == "input":
            continue
        group = next((g for g in REPRESENTATIVE if key == g or key.startswith(g + "_")), None)
        if group is None and row["quantity"].endswith("radiative_rate"):
            group = "bonati2005_xx_binding"
        if group is None:
            continue
        for st in REPRESENTATIVE[group]:
            energies_only = row["quantity"].startswith("biexciton_binding")
            if (st, energies_only) not in cache:
                cache[st, energies_only] = _props(st[0], st[1], st[2], energies_only)
            model = _model_value(key, row["quantity"], cache[st, energies_only])
            out.append({"key": key, "quantity": row["quantity"], "structure": _label(*st),
                        "low": row["low"], "high": row["high"], "unit": row["unit"],
                        "model": model,
                        "within": bool(row["low"] - 1e-9 <= model <= row["high"] + 1e-9),
                        "kind": row["kind"], "source": row["source"]})
    return out


def format_multiexciton_validation(rows=None) -> str:
    """Plain-text table of :func:`validate_multiexcitons`."""
    rows = validate_multiexcitons() if rows is None else rows
    out = ["multiexcitons: model (first-order J's, k.p radiative rate x statistical factors, "
           "Auger beta = 1 ps nm^-3 x |K|^-2 x carrier volume) against the literature "
           "(qdlab/_data/multiexcitons_literature.csv)",
           f"{'key':34s} {'structure (model)':28s} {'measured':>14s} {'model':>9s} "
           f"{'unit':7s} {'ok':3s}"]
    for r in rows:
        meas = (f"{r['low']:g}" if r["low"] == r["high"] else
                f"<= {r['high']:g}" if r["low"] == 0 else f"{r['low']:g}-{r['high']:g}")
        out.append(f"{r['key']:34s} {r['structure']:28s} {meas:>14s} {r['model']:9.3g} "
                   f"{r['unit']:7s} {'yes' if r['within'] else 'NO':3s}")
    return "\n".join(out)
