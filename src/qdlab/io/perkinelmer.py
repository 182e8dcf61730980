"""PerkinElmer ASCII exports (Lambda / UV WinLab ``.asc``, ``.sp`` text): a header
(``PE UV ... ASCII``, ``#HDR`` block whose last lines give the x and y units) then
``#DATA`` and the points."""

from __future__ import annotations

import re

from qdlab.io._core import _kind_from_text

NAME = "perkinelmer"


def detect(head: str) -> bool:
    return bool(re.search(r"^#DATA\s*$", head, re.M))


def section(lines: list[str], meta: dict) -> list[str]:
    b = next(i for i, ln in enumerate(lines) if ln.strip() == "#DATA")
    meta["header_lines"] = [ln.strip() for ln in lines[:b]]
    return lines[b + 1:]


def file_kind(meta: dict) -> str | None:
    k = None
    for h in meta["header_lines"][-4:]:
        k = k or (_kind_from_text(h) if len(h) < 20 else None)
    return k


def x_hints(lines, meta) -> list[str]:
    return meta["header_lines"][-4:]
