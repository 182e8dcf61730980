"""JASCO exports (Spectra Manager ``.txt``/``.csv``): header of ``KEY<TAB>value`` lines
(``TITLE``, ``ORIGIN JASCO``, ``XUNITS NANOMETERS``, ``YUNITS ABSORBANCE``/``%T``,
``FIRSTX``, ``LASTX``, ``NPOINTS``...) then ``XYDATA`` and the points, in either
wavelength order.

The header-less variant (``XYDATA`` line, or nothing, then the points) is read by the
generic table reader: units and kind then come from the values.
"""

from __future__ import annotations

import re

from qdlab.io._core import _kind_from_text, _kv

NAME = "jasco"


def detect(head: str) -> bool:
    """True for ``XYDATA`` preceded by JASCO header keys."""
    return bool(re.search(r"^XYDATA", head, re.M) and re.search(
        r"^(XUNITS|YUNITS|TITLE|JASCO|ORIGIN)", head, re.M | re.I))


def section(lines: list[str], meta: dict) -> list[str]:
    """Header key/values (upper-case keys) into ``meta``; return the lines after XYDATA."""
    b = next(i for i, ln in enumerate(lines) if ln.strip().startswith("XYDATA"))
    for ln in lines[:b]:
        kv = _kv(ln)
        if kv:
            meta[kv[0].upper()] = kv[1]
    return lines[b + 1:]


def file_kind(meta: dict) -> str | None:
    return _kind_from_text(meta.get("YUNITS", ""))


def x_hints(lines, meta) -> list[str]:
    return [meta.get("XUNITS", "")]


def label(meta: dict) -> str | None:
    return meta.get("TITLE") or None
