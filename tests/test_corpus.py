"""Integrity of the real-spectrum corpus in tests/data/spectra (index.csv and its files).

Checks only the bookkeeping: every indexed file exists and has its source's licence beside
it, the licence is a permissive one, every reference value lies inside the wavelength range
of its own spectrum, and spectra without a feature say so. The fitting tests against the
corpus live elsewhere. The wavelength range is read here with a few lines of plain parsing
(not with qdlab's readers), so a reader bug cannot hide a broken index.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "data" / "spectra"
INDEX = CORPUS / "index.csv"
COLUMNS = [
    "file", "label", "material", "instrument", "kind", "source_repo", "source_path",
    "source_commit", "licence", "reference_peak_nm", "reference_method",
    "reference_uncertainty_nm", "notes",
]
PERMISSIVE = {"MIT", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "CC0-1.0", "CC-BY-4.0"}
KINDS = {"absorbance", "transmittance", "pl"}


def _rows() -> list[dict[str, str]]:
    with open(INDEX, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


ROWS = _rows()


def _wavelengths(path: Path, label: str) -> list[float]:
    """Wavelength column belonging to ``label`` (JASCO, OceanView, LabSpec, wide or paired
    CSV)."""
    raw = path.read_bytes()
    if raw.startswith(b"#Acq. time"):  # Horiba LabSpec: latin-1 '#Key=' header
        rows = [ln.split("\t") for ln in raw.decode("latin-1").splitlines()
                if ln.strip() and not ln.startswith("#")]
        if rows[0][0] == "":       # series: x values in the first row, one row per spectrum
            assert label.rsplit("#", 1)[-1] in [r[0] for r in rows[1:]], label
            return [float(v) for v in rows[0][1:]]
        return [float(r[0]) for r in rows]
    text = raw.decode("utf-8-sig")
    if "Begin Spectral Data" in text:  # OceanView; decimal commas on some PCs
        lines = text.splitlines()
        start = next(i for i, ln in enumerate(lines) if "Begin Spectral Data" in ln) + 1
        return [float(ln.split("\t")[0].replace(",", ".")) for ln in lines[start:]
                if ln.strip() and "End" not in ln]
    if "XYDATA" in text:
        lines = text.splitlines()
        start = next(i for i, ln in enumerate(lines) if ln.strip() == "XYDATA") + 1
        return [float(ln.split("\t")[0]) for ln in lines[start:] if ln.strip()]
    rows = [r for r in csv.reader(io.StringIO(text, newline=None)) if r]
    assert label in rows[0], f"label {label!r} is not a column of {path.name}"
    if not _is_number(rows[1][0]):
        j = rows[0].index(label)  # paired columns: name row, units row, label above x
        return [float(r[j]) for r in rows[2:] if len(r) > j and r[j].strip()]
    return [float(r[0]) for r in rows[1:] if r[0].strip()]


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def test_index_has_the_documented_columns():
    with open(INDEX, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == COLUMNS


def test_corpus_size_and_variety():
    assert len(ROWS) >= 40
    assert len({r["source_repo"] for r in ROWS}) >= 4
    assert len({r["material"] for r in ROWS}) >= 3
    assert {r["kind"] for r in ROWS} <= KINDS


def test_no_duplicate_spectra():
    keys = [(r["file"], r["label"]) for r in ROWS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r['file']}::{r['label']}")
def test_row(row):
    path = CORPUS / row["file"]
    assert path.is_file(), f"missing {path}"
    assert row["licence"] in PERMISSIVE
    assert (path.parent / "LICENSE").is_file(), "licence text must sit beside the data"
    assert len(row["source_commit"]) == 40
    assert row["source_repo"].count("/") == 1 and row["source_path"]
    wl = _wavelengths(path, row["label"])
    assert len(wl) > 50
    lo, hi = min(wl), max(wl)
    if row["reference_peak_nm"]:
        peak = float(row["reference_peak_nm"])
        unc = float(row["reference_uncertainty_nm"])
        assert math.isfinite(peak) and lo < peak < hi
        assert 0 < unc < 50
        assert row["reference_method"]
    else:
        assert "no feature" in row["notes"]
        assert row["reference_method"] == ""


def test_readme_names_every_source():
    readme = (CORPUS.parent / "README.md").read_text(encoding="utf-8")
    for repo in {r["source_repo"] for r in ROWS}:
        assert repo in readme
