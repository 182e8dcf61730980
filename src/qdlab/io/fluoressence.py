"""Horiba FluorEssence worksheet exports (FluoroMax / Fluorolog spectrofluorometers).

FluorEssence stores its data in Origin worksheets and exports them as tab-separated text
with three header rows: the column short names (``A``, ``S1cR1c``, ``B``, ``S1``...),
the long names (``Wavelength``, ``S1c / R1c``, ``Wavelength``, ``S1``...) and the units
(``nm``, ``CPS / MicroAmps``, ``nm``, ``CPS``, ``MicroAmps``).  Two layouts are seen:

- the plain one: the three rows, then side-by-side (wavelength, signal) column pairs;
- the "all columns" one: each header row starts with its name (``Short Name``,
  ``Long Name``, ``Units``, then e.g. ``SourceName``, ``CycleNumber``, ``TimeStamp`` for
  a repeated scan) and each data row with the worksheet row number, which is not data.

Signals: ``S1`` is the emission detector (counts per second), ``R1`` the excitation
reference photodiode (lamp intensity, microamperes), ``S1c / R1c`` the corrected
emission divided by the corrected reference.  Every curve is read as an intensity
(kind ``"emission"``) and labelled by its long name (a time stamp for a repeated scan);
the units of each curve are kept in ``Spectrum.metadata["units"]``.  The wavelength
columns of one export must agree point by point (they are merged into one axis).
"""

from __future__ import annotations

import re

import numpy as np

from qdlab.errors import QdlabInputError

NAME = "fluoressence"
_LONG = re.compile(r"^(Long Name\t)?Wavelength\t", re.M)
_UNITS = re.compile(r"^(Units\t)?nm\t.*(CPS|MicroAmps)", re.M | re.I)


def detect(head: str) -> bool:
    """True for a FluorEssence header: a ``Wavelength`` long-name row, then ``nm`` and CPS
    or MicroAmps units."""
    lines = head.split("\n")[:12]
    for i in range(len(lines) - 1):
        if _LONG.match(lines[i]) and _UNITS.match(lines[i + 1].rstrip("\r")):
            return True
    return False


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.rstrip("\r").split("\t")]


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def section(lines: list[str], meta: dict) -> list[str]:
    """Header rows into ``meta``; one wavelength column and the signal columns."""
    i = next(k for k in range(len(lines) - 1) if _LONG.match(lines[k]))
    keyed = lines[i].startswith("Long Name\t")
    prev = _cells(lines[i - 1]) if i > 0 and lines[i - 1].strip() else []
    start = i - 1 if prev and not all(_is_number(c) for c in prev if c) else i
    header: list[list[str]] = []
    k = start
    while k < len(lines) and lines[k].strip():
        cells = _cells(lines[k])
        if all(_is_number(c) for c in cells if c):
            break
        header.append(cells)
        k += 1
    rows = [_cells(ln) for ln in lines[k:] if ln.strip()]
    if keyed:                                   # drop the row-name column / row numbers
        for h in header:
            meta[f"{h[0]} row"] = "\t".join(h[1:])
        header = [h[1:] for h in header]
        rows = [r[1:] for r in rows]
    long_i = i - start
    long = header[long_i]
    units = header[long_i + 1] if long_i + 1 < len(header) else []
    short = header[long_i - 1] if long_i > 0 else []
    ncol = max(len(long), max((len(r) for r in rows), default=0))

    def cell(r: list[str], j: int) -> str:
        return r[j] if j < len(r) else ""

    xcols = [j for j in range(ncol) if cell(long, j).lower() == "wavelength"]
    ycols = [j for j in range(ncol) if j not in xcols]
    if not ycols:
        raise QdlabInputError("FluorEssence export without a signal column")
    x = np.array([[float(cell(r, j)) if _is_number(cell(r, j)) else np.nan for j in xcols]
                  for r in rows]) if rows else np.zeros((0, len(xcols)))
    if x.size and not np.all(np.isclose(x, x[:, :1], rtol=0, atol=1e-9, equal_nan=True)):
        raise QdlabInputError(
            "FluorEssence export whose wavelength columns differ; export each curve with "
            "its own wavelength column in a separate file")
    labels = [cell(long, j) or cell(short, j) or f"y{n + 1}" for n, j in enumerate(ycols)]
    meta["units"] = [cell(units, j) for j in ycols]
    meta["instrument"] = "Horiba spectrofluorometer (FluorEssence export)"
    out = ["\t".join(["wavelength (nm)"] + labels)]
    for r in rows:
        out.append("\t".join([cell(r, xcols[0])] + [cell(r, j) for j in ycols]))
    return out


def file_kind(meta: dict) -> str | None:
    """Detector counts, reference currents and their ratio: intensities (``"emission"``)."""
    return "emission"


def y_header(meta: dict, j: int) -> str:
    """Not the curve name (``S1``, a time stamp): the kind comes from :func:`file_kind`."""
    return ""


def x_hints(lines, meta) -> list[str]:
    return ["nm"]


def label(meta: dict) -> str | None:
    return None
