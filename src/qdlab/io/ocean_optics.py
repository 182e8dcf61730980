"""Ocean Optics exports: SpectraSuite / OOIBase32 and OceanView text files.

Both write a header block of ``key: value`` lines (OceanView starts with
``Data from <name> Node``), then the pixels between ``>>>>>Begin Spectral Data<<<<<``
and ``>>>>>End Spectral Data<<<<<`` (``wavelength<TAB>value``, e.g. 3648 pixels over
346-1047 nm for a USB4000/HR4000; decimal commas in some locales).

The kind comes from ``Spectra Type`` / the ``Data from Absorbance_...`` line, else from
the file extension written by the software (``.abs`` absorbance, ``.trm``/``.transmission``
%T, ``.scope``/``.raw`` raw counts = intensity, read as ``"emission"``).
"""

from __future__ import annotations

import re

from qdlab.io._core import _kind_from_text, _kv

NAME = "oceanoptics"
_BEGIN = ">>>>>Begin"


def detect(head: str) -> bool:
    """True for a text with the Ocean Optics begin-of-data marker."""
    return _BEGIN in head


def section(lines: list[str], meta: dict) -> list[str]:
    """Header key/values into ``meta``; return the lines between the markers."""
    b = next(i for i, ln in enumerate(lines) if _BEGIN in ln)
    e = next((i for i, ln in enumerate(lines) if ">>>>>End" in ln), len(lines))
    for ln in lines[:b]:
        if ln.startswith("Data from "):
            meta["Data from"] = ln[len("Data from "):].strip()
            continue
        kv = _kv(ln)
        if kv:
            meta[kv[0]] = kv[1]
    return lines[b + 1:e]


def file_kind(meta: dict) -> str | None:
    """Kind from the header (``Spectra Type``, ``Data from Absorbance_...``) or extension."""
    k = _kind_from_text(" ".join(f"{k} {v}" for k, v in meta.items()
                                 if "type" in k.lower() or "unit" in k.lower()))
    if k is None and "Data from" in meta:
        k = _kind_from_text(re.sub(r"[_\-.]", " ", meta["Data from"]))
    if k is None:
        ext = meta.get("source", "").lower().rsplit(".", 1)[-1]
        k = {"abs": "absorbance", "trm": "transmittance_pct",
             "transmission": "transmittance_pct", "scope": "emission", "raw": "emission",
             "sample": "emission"}.get(ext)
    return k


def x_hints(lines, meta) -> list[str]:
    return [meta.get("XAxis mode", "")]
