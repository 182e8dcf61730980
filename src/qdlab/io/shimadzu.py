"""Shimadzu UVProbe / LabSolutions UV-Vis text exports: an optional quoted sample-name
line, then the quoted ``"Wavelength nm.","Abs."`` (or ``"%T"``) header, then the points.
Exports without any header (``wavelength,value`` rows) are read by the generic table
reader."""

from __future__ import annotations

import re

NAME = "shimadzu"


def detect(head: str) -> bool:
    return bool(re.search(r'"?Wavelength nm\."?', head[:2000]))


def section(lines: list[str], meta: dict) -> list[str]:
    first = lines[0].strip().strip('"') if lines else ""
    if first and not first.lower().startswith("wavelength"):
        meta["sample"] = first
    return lines


def file_kind(meta: dict) -> str | None:
    return None


def x_hints(lines, meta) -> list[str]:
    return ["nm"]


def label(meta: dict) -> str | None:
    return meta.get("sample") or None
