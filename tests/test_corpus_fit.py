"""Fit every spectrum of the real corpus (tests/data/spectra/index.csv) and score it.

The bar of issue 12, against the independent reference peaks of the index:

* at least 95 % of the absorption spectra with a reference peak are fitted within
  max(5 nm, the row's reference uncertainty) of it ("hits");
* none is silently wrong: a result whose peak misses the reference by more than
  max(5 nm, 2 x the uncertainty) is never ``good``;
* the no-feature controls (carbon dots fitted as CdSe) are never ``good``;
* PL spectra: the PL peak within 3 nm of the ``pl_max`` reference.

CdMnSe is fitted as CdSe (Mn at the per-cent level hardly moves the band edge); PbSe has
no forward optics, so it is sized from the Moreels 2007 curve with quality at most
``uncertain``.  The score table is printed and is part of every assertion message.
"""

from __future__ import annotations

import csv
import math
import warnings
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from qdlab.sizing.fit import fit_spectra

CORPUS = Path(__file__).parent / "data" / "spectra"
ROWS = list(csv.DictReader(open(CORPUS / "index.csv", encoding="utf-8", newline="")))
#: Material the corpus row is fitted as.
FIT_AS = {"CdMnSe": "CdSe", "carbon-dots": "CdSe", "perovskite": "CsPbBr3"}
PL_TOL_NM = 3.0


@cache
def _fit(file: str, material: str, kind: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return tuple(fit_spectra(CORPUS / file, material, kind=kind))
        except ValueError as exc:       # QdlabInputError: the whole file refused
            return exc


def _label(r):
    return r["label"] if isinstance(r, dict) else r.label


def _result(row):
    """The result of ``row``'s spectrum: a FitResult/EmissionResult or an error string."""
    kind = "pl" if row["kind"] == "pl" else "absorbance"
    out = _fit(row["file"], FIT_AS.get(row["material"], row["material"]), kind)
    if isinstance(out, Exception):
        return f"error: {out}"
    name = Path(row["file"]).name
    want = row["label"].strip()
    hits = [r for r in out if _label(r) == name or _label(r).split(":", 1)[-1].strip() == want]
    assert len(hits) == 1, f"{row['file']}:{row['label']!r} not found in {[_label(r) for r in out]}"
    r = hits[0]
    return f"error: {r['error']}" if isinstance(r, dict) else r


def _score():
    """Rows of the table and the per-spectrum verdicts."""
    table = defaultdict(lambda: {"n": 0, "hits": 0, "uncertain": 0, "no feature": 0,
                                 "errors": 0, "wrong-but-good": 0, "ref": 0})
    detail = []
    for row in ROWS:
        if row["kind"] == "pl":
            continue
        key = (row["file"].split("/")[0], row["instrument"].split(" (")[0].split(";")[0][:44])
        t = table[key]
        t["n"] += 1
        r = _result(row)
        ref = float(row["reference_peak_nm"]) if row["reference_peak_nm"] else None
        unc = float(row["reference_uncertainty_nm"] or 0.0)
        if isinstance(r, str):
            t["errors"] += 1
            detail.append((row, None, "error", r))
            continue
        q = r.quality
        t["uncertain"] += q == "uncertain"
        t["no feature"] += q == "no feature"
        pk = r.peak_nm
        if ref is not None:
            t["ref"] += 1
            if pk is not None and math.isfinite(pk) and abs(pk - ref) <= max(5.0, unc):
                t["hits"] += 1
            wrong = pk is None or not math.isfinite(pk) or abs(pk - ref) > max(5.0, 2 * unc)
            if wrong and q == "good":
                t["wrong-but-good"] += 1
        elif row["material"] == "carbon-dots" and q == "good":
            t["wrong-but-good"] += 1
        detail.append((row, pk, q, "; ".join(r.reasons)))
    return table, detail


def _format(table) -> str:
    head = ("source", "instrument", "n", "with ref", "hits", "uncertain", "no feature",
            "errors", "wrong-but-good")
    lines = ["{:<36} {:<44} {:>3} {:>8} {:>4} {:>9} {:>10} {:>6} {:>14}".format(*head)]
    tot = defaultdict(int)
    for (src, inst), t in sorted(table.items()):
        lines.append("{:<36} {:<44} {:>3} {:>8} {:>4} {:>9} {:>10} {:>6} {:>14}".format(
            src, inst, t["n"], t["ref"], t["hits"], t["uncertain"], t["no feature"],
            t["errors"], t["wrong-but-good"]))
        for k, v in t.items():
            tot[k] += v
    lines.append("{:<36} {:<44} {:>3} {:>8} {:>4} {:>9} {:>10} {:>6} {:>14}".format(
        "total", "", tot["n"], tot["ref"], tot["hits"], tot["uncertain"], tot["no feature"],
        tot["errors"], tot["wrong-but-good"]))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def scored():
    table, detail = _score()
    text = _format(table)
    print("\n" + text)
    return table, detail, text


def test_corpus_hit_rate_is_at_least_95_percent(scored):
    table, detail, text = scored
    ref = sum(t["ref"] for t in table.values())
    hits = sum(t["hits"] for t in table.values())
    misses = [f"{r['file']}:{r['label']} ref {r['reference_peak_nm']} got {pk} ({q})"
              for r, pk, q, _ in detail if r["reference_peak_nm"]
              and not (pk is not None and math.isfinite(pk) and abs(pk - float(
                  r["reference_peak_nm"])) <= max(5.0, float(r["reference_uncertainty_nm"])))]
    assert ref >= 80
    assert hits >= 0.95 * ref, text + "\nmisses:\n" + "\n".join(misses)


def test_corpus_no_silently_wrong_result(scored):
    table, detail, text = scored
    assert sum(t["wrong-but-good"] for t in table.values()) == 0, text


def test_no_feature_controls_are_never_good(scored):
    _, detail, text = scored
    controls = [(r, q) for r, _, q, _ in detail if r["material"] == "carbon-dots"]
    assert controls
    assert all(q in ("no feature", "uncertain", "error") for _, q in controls), text


def test_no_feature_controls_are_refused(scored):
    """The carbon-dot spectra hold no ensemble exciton: the lamp-line residue near 662 nm
    and the noise maxima have no band of their own or one narrower than the homogeneous
    line, the shoulders in the 0.001-rounded files are not higher than the rounding, and
    the carbon dots' own broad band (540-580 nm) is missed by the best CdSe ensemble by
    21-31 % of its height."""
    _, detail, text = scored
    controls = [(r, q) for r, _, q, _ in detail if r["material"] == "carbon-dots"]
    assert all(q in ("no feature", "error") for _, q in controls), text


def test_pbse_hits_the_reference_and_keeps_the_moreels_curve_alongside(scored):
    """PbSe is fitted with the Kang-Wise k.p forward model; the Moreels 2007 curve stays
    alongside.  The solvent bands near 2400 nm compete, so none of the three is good."""
    _, detail, text = scored
    rows = [(r, pk, q, why) for r, pk, q, why in detail if r["material"] == "PbSe"]
    assert len(rows) == 3
    for r, pk, q, why in rows:
        assert q in ("uncertain", "good"), (r["file"], why)
        assert abs(pk - float(r["reference_peak_nm"])) <= 5.0, (r["file"], pk)
    res = [_result(r) for r, *_ in rows]
    assert all(x.start.get("sizing_curve") == "Moreels2007-PbSe" for x in res)


def test_cdmnse_paired_columns_are_read_as_two_spectra():
    out = _fit("chenjialin_thesis_cdse_cdmnse/Quantum-Dot-CdSe-and-Cd_{1-x}Mn_xSe-Absorption-"
               "Spectrum.csv", "CdSe", "absorbance")
    assert not isinstance(out, Exception), out
    assert sorted(_label(r).split(":")[-1] for r in out) == ["1-CdSe", "2-CdMnSe"]


PL_ROWS = [r for r in ROWS if r["reference_method"] == "pl_max"]


@pytest.mark.parametrize("row", PL_ROWS, ids=[f"{r['file']}:{r['label']}" for r in PL_ROWS])
def test_pl_peak_within_3_nm(row):
    r = _result(row)
    assert not isinstance(r, str), r
    assert type(r).__name__ == "EmissionResult"
    assert abs(r.peak_nm - float(row["reference_peak_nm"])) <= PL_TOL_NM, (r.peak_nm,
                                                                          r.reasons)


def test_emission_file_fitted_as_absorbance_is_not_a_good_absorption_fit():
    """A PL file under kind='absorbance' must be refused or routed to the PL fit."""
    row = next(r for r in PL_ROWS if r["material"] == "CdSe")
    out = _fit(row["file"], "CdSe", "absorbance")
    if isinstance(out, Exception):
        return
    for r in out:
        assert isinstance(r, dict) or type(r).__name__ == "EmissionResult" \
            or r.quality != "good", (_label(r), getattr(r, "peak_nm", None))
