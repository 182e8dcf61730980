"""qdlab's own spectrum CSV (``qdlab spectrum ... --out FILE``), read back for a fit.

The file is ``wavelength_nm,cross_section_cm2,molar_extinction_M-1cm-1,emission_per_nm``
and, when written with ``--concentration``, ``absorbance``.  Only the absorbance column
is a measurement-like spectrum: the cross section and the molar extinction are per
particle and per mole (not an absorbance of a sample) and the emission column is a
normalised PL line shape.  The reader therefore returns the absorbance column alone, and
refuses a file written without ``--concentration`` with the way to get one (instead of
reading the molar extinction, up to 10^6, as an absorbance).
"""

from __future__ import annotations

import numpy as np

from qdlab.errors import QdlabInputError

NAME = "qdlab"
#: The leading columns of every ``qdlab spectrum --out`` CSV.
COLUMNS = ("wavelength_nm", "cross_section_cm2", "molar_extinction_M-1cm-1", "emission_per_nm")


def _header(text: str) -> list[str]:
    for line in text.lstrip("\ufeff").split("\n"):
        if line.strip():
            return [c.strip() for c in line.rstrip("\r").split(",")]
    return []


def detect(head: str) -> bool:
    """True when the first non-empty line is the header of ``qdlab spectrum --out``."""
    return tuple(_header(head)[:4]) == COLUMNS


def section(lines: list[str], meta: dict) -> list[str]:
    """Keep every line; the column names go to ``meta["qdlab_columns"]``."""
    cols = _header("\n".join(lines[:5]))
    meta["qdlab_columns"] = cols
    if "absorbance" not in cols:
        raise QdlabInputError(
            "this qdlab spectrum CSV has no absorbance column (it was written without "
            "--concentration): its cross-section and molar-extinction columns are per "
            "particle, not a measured absorbance; write it with `qdlab spectrum ... "
            "--concentration C --out FILE` to fit it")
    return lines


def file_kind(meta: dict) -> str | None:
    return "absorbance"


def x_hints(lines, meta) -> list[str]:
    return ["wavelength (nm)"]


def groups(data: np.ndarray, meta: dict) -> list[tuple]:
    """The absorbance column only: (x, y, label, y-header)."""
    j = meta["qdlab_columns"].index("absorbance")
    meta["skipped_columns"] = [c for c in meta["qdlab_columns"][1:] if c != "absorbance"]
    return [(data[:, 0], data[:, j], meta.get("source") or "qdlab spectrum", "absorbance")]
