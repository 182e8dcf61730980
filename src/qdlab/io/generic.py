"""Plain and many-column CSV / TSV / TXT tables, and the orchestration of the vendor
readers (:mod:`~qdlab.io.ocean_optics`, :mod:`~qdlab.io.jasco`, :mod:`~qdlab.io.cary`,
:mod:`~qdlab.io.shimadzu`, :mod:`~qdlab.io.perkinelmer`, :mod:`~qdlab.io.horiba`,
:mod:`~qdlab.io.fluoressence`, :mod:`~qdlab.io.edinburgh`).

A table is one x column then one or more y columns (one aliquot per column, e.g. a
kinetics series with headers such as ``"30 s"``), comma, tab, semicolon or whitespace
separated, decimal point or decimal comma (with ``;``/tab separators), any line ending,
BOM, ``#``/``%``/``//`` comment lines, key/value header lines (e.g. Edinburgh / Horiba
exports: ``Yaxis,Counts``), a trailing footer.
"""

from __future__ import annotations

import re

import numpy as np

from qdlab.errors import QdlabInputError
from qdlab.io import (
    cary,
    edinburgh,
    fluoressence,
    horiba,
    jasco,
    ocean_optics,
    perkinelmer,
    shimadzu,
)
from qdlab.io._core import (
    Spectrum,
    _finish,
    _kind_from_text,
    _kv,
    _resolve_kind,
    _x_unit_from_text,
    _x_unit_from_values,
)
from qdlab.io._parse import _detect_layout, _split

#: Vendor formats, tried in this order on the first 20 000 characters.
FORMATS = (ocean_optics, horiba, fluoressence, edinburgh, jasco, perkinelmer, shimadzu, cary)


def detect_format(text: str):
    """The vendor module whose ``detect`` accepts the text head, or None (plain table)."""
    head = text[:20000]
    for mod in FORMATS:
        if mod.detect(head):
            return mod
    return None


def _name_kind(name: str) -> str | None:
    low = name.lower()
    if re.search(r"emission|_pl\b|fluor|photolum", low):
        return "emission"
    if re.search(r"absorb|_abs\b|uv-?vis", low):
        return "absorbance"
    if re.search(r"transm", low):
        return "transmittance_pct"
    return None


def _meta_kind(meta: dict) -> str | None:
    """Kind from key/value header lines of a plain table (``Yaxis,Counts``...)."""
    for k, v in meta.items():
        if isinstance(v, str) and re.search(r"y\s*-?\s*(axis|units?|mode)|data type|type",
                                            str(k), re.I):
            kk = _kind_from_text(v)
            if kk:
                return kk
    return None


def _trim_ragged(y: np.ndarray) -> int:
    """Number of rows of a shorter (ragged) column: its trailing missing cells removed."""
    ok = ~np.isnan(y)
    if not ok.any():
        return y.size
    return int(np.flatnonzero(ok)[-1]) + 1


def _paired_columns(data: np.ndarray) -> bool:
    """True for side-by-side (wavelength, value) pairs: every even column a wavelength axis.

    Each even column (0, 2, ...) must be strictly monotonic where filled and lie within
    the first column's range (the same axis sampled again, possibly shorter), while the
    odd columns are not such axes.  A many-column series with one shared axis fails the
    test at column 2 (a spectrum is not a monotonic copy of the axis).
    """
    ncol = data.shape[1]
    if ncol < 4 or ncol % 2:
        return False
    x0 = data[:, 0]
    x0 = x0[np.isfinite(x0)]
    if x0.size < 3:
        return False
    lo, hi = float(x0.min()), float(x0.max())
    for j in range(0, ncol, 2):
        c = data[:, j]
        c = c[np.isfinite(c)]
        d = np.diff(c)
        if c.size < 3 or not (np.all(d > 0) or np.all(d < 0)):
            return False
        span = hi - lo
        if c.min() < lo - 0.05 * span or c.max() > hi + 0.05 * span:
            return False
    return True


def _paired_groups(data, header_lines, delim, name):
    """(x, y, label, y-header) per pair; labels from the name row above a units row."""
    rows = [_split(ln, delim) for ln in header_lines
            if not ln.lstrip().startswith(("#", "%", "//"))]
    rows = [r for r in rows if len(r) >= 2]
    ncol = data.shape[1]

    def cell(r, j):
        return r[j].strip() if j < len(r) else ""

    names = rows[-2] if len(rows) >= 2 else (rows[-1] if rows else [])
    units = rows[-1] if rows else []
    groups = []
    for k, j in enumerate(range(0, ncol, 2)):
        label = cell(names, j) or cell(names, j + 1) or f"y{k + 1}"
        x, y = data[:, j], data[:, j + 1]
        ok = np.isfinite(x) & np.isfinite(y)
        groups.append((x[ok], y[ok], label, cell(units, j + 1)))
    return groups, cell(units, 0)


def read_text_spectra(text: str, name: str = "", *, kind="auto", x_unit="auto",
                      delimiter=None, decimal=None, duplicates="average",
                      max_rows: int = 500_000, max_columns: int = 2_000) -> list[Spectrum]:
    """Spectra from the decoded text of one export (see :func:`qdlab.io.read_spectra`)."""
    fmt = detect_format(text)
    meta: dict = {"format": fmt.NAME if fmt else "table"}
    if name:
        meta["source"] = name
    lines = text.split("\n")
    if fmt is not None:
        lines = fmt.section(lines, meta)
    if delimiter == " ":
        delimiter = None
    if len(lines) > max_rows:
        raise QdlabInputError(f"spectrum file has {len(lines)} lines; the limit is max_rows="
                              f"{max_rows} (bin or split the spectrum, or pass max_rows=)")
    delim, dec, start, stop, data = _detect_layout(lines, delimiter, decimal, max_columns)
    meta["delimiter"] = {None: "whitespace", "\t": "tab"}.get(delim, delim)
    meta["decimal"] = dec
    header_lines = [ln for ln in lines[:start] if ln.strip()]
    footer = [ln for ln in lines[stop:] if ln.strip().strip(",;\t")]
    if footer:
        meta["footer_lines"] = len(footer)
    # column header: last non-comment line before the block with >= 2 fields
    col_header: list[str] = []
    for ln in reversed(header_lines):
        if ln.lstrip().startswith(("#", "%", "//")) and fmt is not perkinelmer:
            continue
        toks = _split(ln, delim)
        if len(toks) >= 2:
            col_header = toks
            break
    for ln in header_lines:
        if ln.lstrip().startswith(("#", "%", "//")):
            meta.setdefault("comments", []).append(ln.strip())
        elif fmt is None:
            kv = _kv(ln)
            if kv and (not col_header or _split(ln, delim) != col_header):
                meta.setdefault(kv[0], kv[1])
    # a block that starts right of an empty column (a spreadsheet export written from
    # column B, e.g. BioTek Gen5; a CSV whose rows start with the delimiter): columns empty
    # in every row of the block are not data; drop them with their (empty) header cells
    lead = 0
    while lead < data.shape[1] - 2 and np.isnan(data[:, lead]).all():
        lead += 1
    if lead:
        data = data[:, lead:]
        if not any(col_header[:lead]):
            col_header = col_header[lead:]
        meta["leading_empty_columns"] = lead
    ncol = data.shape[1]
    # -------- columns -> (x, y, label, y-header) groups
    x_header = ""
    if fmt is cary:
        groups = cary.groups(data, meta)
    elif fmt is None and _paired_columns(data):
        groups, x_header = _paired_groups(data, header_lines, delim, name)
        meta["layout"] = "paired (wavelength, value) columns"
    else:
        hdr = col_header if len(col_header) >= ncol else col_header + [""] * (
            ncol - len(col_header))
        single = getattr(fmt, "label", lambda m: None)(meta) if fmt else None
        # a vendor header may name the curves in one row and their y quantity in another
        # (Edinburgh: ``Labels`` / ``Yaxis``): the kind is read from the latter
        y_header = getattr(fmt, "y_header", None) if fmt else None
        groups = []
        for j in range(1, ncol):
            if ncol == 2 and single:     # vendor sample name (Shimadzu, JASCO TITLE)
                label = single
            else:
                label = hdr[j] if hdr[j] else (f"y{j}" if ncol > 2 else (name or "spectrum"))
            n = _trim_ragged(data[:, j]) if ncol > 2 else data.shape[0]
            yhead = y_header(meta, j - 1) if y_header else hdr[j]
            groups.append((data[:n, 0], data[:n, j], label, yhead))
        x_header = hdr[0] if hdr else ""
    if not groups:
        raise QdlabInputError("no y column found: need 'wavelength, value[, value...]' rows")
    # -------- x unit
    if x_unit == "auto":
        hints = fmt.x_hints(lines, meta) if fmt is not None else []
        hints = hints + [x_header]
        xu = None
        for h in hints:
            xu = xu or _x_unit_from_text(h or "")
        if xu is None:
            xu = _x_unit_from_values(np.concatenate([g[0] for g in groups]))
            meta["x_unit_inferred"] = True
    else:
        xu = x_unit
    meta["x_unit_original"] = xu
    # -------- kind
    file_kind = fmt.file_kind(meta) if fmt is not None else _meta_kind(meta)
    name_kind = _name_kind(name) if name else None
    out: list[Spectrum] = []
    for x, y, label, yhead in groups:
        notes: list[str] = []
        k = _resolve_kind(kind, yhead, file_kind, name_kind, x, y, label, notes)
        out.append(_finish(x, y, label, k, xu, duplicates, dict(meta), notes))
    return out
