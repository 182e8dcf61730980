"""PerkinElmer ASCII exports (Lambda 35/950/1050 with UV WinLab, LS fluorimeters): ``.asc``
/ ``.sp`` text.

The header starts with ``PE UV       SUBTECH     SPECTRUM    ASCII       PEDS  4.00``
(``PE FL`` for a fluorimeter), then one field per line: file name, dates, analyst, a
free comment, the instrument (``Lambda 950``), some 70 lines of scan parameters, the x
unit (``nm``) and, on the line after it, the ordinate (``A``, ``%T``, ``%R``...); then
``#DATA`` and the points, usually from the red end down (e.g. 2500 -> 320 nm in 1 nm
steps, CRLF).
"""

from __future__ import annotations

import re

from qdlab.io._core import _kind_from_text

NAME = "perkinelmer"
_X_UNITS = {"nm", "cm-1", "1/cm", "ev", "um", "µm"}


def detect(head: str) -> bool:
    return bool(re.search(r"^#DATA\s*$", head, re.M))


def section(lines: list[str], meta: dict) -> list[str]:
    b = next(i for i, ln in enumerate(lines) if ln.strip() == "#DATA")
    hdr = [ln.strip() for ln in lines[:b]]
    meta["header_lines"] = hdr
    for i, h in enumerate(hdr[:-1]):
        if h.lower() in _X_UNITS:
            meta["x_unit_line"], meta["y_unit_line"] = h, hdr[i + 1]
            break
    # the instrument line: line 6 for UV WinLab, line 21 for FL WinLab (LS 55)
    inst = next((h for h in hdr[:30] if re.match(r"(Lambda|LS|UV/VIS)\s*\d", h)), None)
    if inst:
        meta["instrument"] = inst
    return lines[b + 1:]


def file_kind(meta: dict) -> str | None:
    """Kind from the ordinate line after the x unit (``A``, ``%T``), else ``PE FL``."""
    y = meta.get("y_unit_line")
    if y is not None:
        k = {"a": "absorbance", "abs": "absorbance", "%t": "transmittance_pct",
             "t": "transmittance_pct"}.get(y.lower()) or _kind_from_text(y)
        if k:
            return k
    hdr = meta["header_lines"]
    if hdr and hdr[0].startswith("PE FL"):
        return "emission"
    k = None
    for h in hdr[-4:]:
        k = k or (_kind_from_text(h) if len(h) < 20 else None)
    return k


def x_hints(lines, meta) -> list[str]:
    return [meta["x_unit_line"]] if "x_unit_line" in meta else meta["header_lines"][-4:]
