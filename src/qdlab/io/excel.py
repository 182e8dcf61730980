"""Excel workbooks (``.xlsx`` / ``.xlsm``) via openpyxl.

Each sheet is turned into a tab-separated table (numbers exactly as stored, text cells
as text) and read like a CSV export: one x column then one spectrum per column, each
labelled by its column header (a block written from column B or further right, as in
BioTek Gen5 exports, is read from its first non-empty column). ``sheet=NAME`` reads
one sheet; by default every sheet that holds spectra is read (sheets without a numeric
block are skipped, and listed in the error if none holds spectra). The legacy binary
``.xls`` is not supported (save as ``.xlsx`` or CSV).
"""

from __future__ import annotations

import io
import math
import zipfile
from datetime import date, datetime, time

from qdlab.errors import QdlabInputError
from qdlab.io._core import Spectrum

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return repr(float(v)) if math.isfinite(v) else ("nan" if v != v else
                                                         ("inf" if v > 0 else "-inf"))
    if isinstance(v, (datetime, date, time)):
        return v.isoformat()
    return str(v).replace("\t", " ").replace("\r", " ").replace("\n", " ").strip()


def sheet_texts(raw: bytes, max_rows: int, max_columns: int) -> list[tuple[str, str]]:
    """(sheet name, tab-separated text) for every worksheet of a workbook."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise QdlabInputError(f"not a readable .xlsx workbook ({type(exc).__name__}: "
                              f"{exc})") from None
    out = []
    try:
        for ws in wb.worksheets:
            lines = []
            for i, row in enumerate(ws.iter_rows(values_only=True)):
                if i >= max_rows:
                    raise QdlabInputError(f"sheet {ws.title!r} has more than max_rows="
                                          f"{max_rows} rows")
                if len(row) > max_columns:
                    raise QdlabInputError(f"sheet {ws.title!r} has {len(row)} columns; the "
                                          f"limit is max_columns={max_columns}")
                lines.append("\t".join(_cell(v) for v in row).rstrip("\t"))
            out.append((ws.title, "\n".join(lines)))
    finally:
        wb.close()
    return out


def read_excel_spectra(raw: bytes, name: str, *, sheet: str | None = None,
                       max_rows: int, max_columns: int, **kw) -> list[Spectrum]:
    """Spectra of one sheet (``sheet=NAME``) or of every sheet holding spectra."""
    from qdlab.io.generic import read_text_spectra

    sheets = sheet_texts(raw, max_rows, max_columns)
    names = [s for s, _ in sheets]
    if sheet is not None:
        if sheet not in names:
            raise QdlabInputError(f"sheet {sheet!r} not found; the workbook has: "
                                  + ", ".join(repr(n) for n in names))
        sheets = [(s, t) for s, t in sheets if s == sheet]
    out: list[Spectrum] = []
    skipped = []
    for title, text in sheets:
        try:
            specs = read_text_spectra(text, f"{name}:{title}" if name else title,
                                      delimiter="\t", max_rows=max_rows,
                                      max_columns=max_columns, **kw)
        except QdlabInputError as exc:
            if sheet is not None:
                raise QdlabInputError(f"sheet {title!r}: {exc}") from None
            skipped.append(f"{title!r} ({exc})")
            continue
        for s in specs:
            s.metadata["sheet"] = title
            s.metadata["format"] = "xlsx"
        out.extend(specs)
    if not out:
        raise QdlabInputError("no sheet of the workbook holds spectra: " + "; ".join(skipped))
    return out
