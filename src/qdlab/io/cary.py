"""Agilent (Varian) Cary WinUV CSV exports: a sample-name row, a
``Wavelength (nm),Abs`` (or ``%T``) row, then one (wavelength, value) column pair per
sample (columns of different lengths), a blank line and a trailing block of method
metadata (instrument, scan rate, method log)."""

from __future__ import annotations

import re

import numpy as np

from qdlab.io._core import _kind_from_text

NAME = "cary"


def _cells(line: str) -> list[str]:
    return [t.strip().strip('"') for t in line.split(",")]


def detect(head: str) -> bool:
    lines = head.split("\n")[:3]
    if len(lines) < 2:
        return False
    toks = _cells(lines[1])
    wl = [i for i, t in enumerate(toks) if re.match(r"wavelength", t, re.I)]
    if not (wl and wl[0] == 0 and all(i % 2 == 0 for i in wl) and len(toks) >= 2
            and _kind_from_text(toks[1] or "")):
        return False
    first = _cells(lines[0])
    return bool(first and first[0] and not re.match(r"wavelength", first[0], re.I))


def section(lines: list[str], meta: dict) -> list[str]:
    meta["cary_names"] = _cells(lines[0])
    meta["cary_units"] = _cells(lines[1])
    return lines


def file_kind(meta: dict) -> str | None:
    return None


def x_hints(lines, meta) -> list[str]:
    return [",".join(meta["cary_units"])]


def groups(data: np.ndarray, meta: dict) -> list[tuple]:
    """(x, y, label, y-header) per sample column pair; the NaN padding of shorter
    columns is removed (rows where both x and y are missing)."""
    names, sub = meta["cary_names"], meta["cary_units"]
    out = []
    for j in range(0, data.shape[1] - 1, 2):
        x, y = data[:, j], data[:, j + 1]
        present = ~(np.isnan(x) & np.isnan(y))
        label = names[j] if j < len(names) and names[j] else f"sample {j // 2 + 1}"
        out.append((x[present], y[present], label, sub[j + 1] if j + 1 < len(sub) else ""))
    return out
