"""Vectorised parser of delimited numeric text: layout detection and the data block.

The layout (delimiter, decimal mark) is chosen on a sample of lines (the first 2000 and
the last 500); the longest run of data rows is then converted with one numpy call for
the plain rows, token by token only for rows with NaN/inf tokens or missing cells.
"""

from __future__ import annotations

import math
import re

import numpy as np

from qdlab.errors import QdlabInputError

_NUM_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NUM_RE_COMMA = re.compile(r"^[+-]?(\d+(,\d*)?|,\d+)([eE][+-]?\d+)?$")
#: Tokens read as a missing value (NaN); ``inf`` tokens are read as non-finite too.
_NAN_TOKENS = {"", "nan", "+nan", "-nan", "na", "n/a", "-", "--", "null", "none"}
_INF_TOKENS = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
_WORDY_WS = set("nNaAiIfFtTyYlLuUoOeE/ \t,")   # NaN/inf token letters (slow check)


def _split(line: str, delim: str | None) -> list[str]:
    if delim is None:
        return line.split()
    return [t.strip().strip('"').strip("'").strip() for t in line.split(delim)]


def _to_float(tok: str, decimal: str) -> float | None:
    """Float value, nan for an empty/NaN token, +-inf for an inf token, None if text."""
    t = tok.strip().strip('"')
    low = t.lower()
    if low in _NAN_TOKENS:
        return float("nan")
    if low in _INF_TOKENS:
        return float("-inf") if low.startswith("-") else float("inf")
    if decimal == ",":
        if _NUM_RE_COMMA.match(t):
            return float(t.replace(",", "."))
        return None
    if _NUM_RE.match(t):
        return float(t)
    return None


def _numeric_row(line: str, delim, decimal) -> list[float] | None:
    """Values of one data row, or None if the line is not a data row.

    A data row has >= 2 fields, every field a number or a missing/NaN/inf token, and
    at least one finite number; trailing empty fields are dropped.
    """
    toks = _split(line, delim)
    while len(toks) > 2 and toks[-1] == "":
        toks.pop()
    if len(toks) < 2:
        return None
    vals = [_to_float(t, decimal) for t in toks]
    if any(v is None for v in vals):
        return None
    if not any(math.isfinite(v) for v in vals):
        return None
    return vals


def _clean_table(delim, decimal) -> dict:
    chars = '0123456789.eE+- "' + ("," if decimal == "," else "")
    if delim is None:
        chars += "\t"
    else:
        chars += delim
    return {ord(c): None for c in chars}


def _classify(lines: list[str], delim, decimal) -> tuple[np.ndarray, np.ndarray]:
    """Per line: state 0 = not data, 1 = plain numbers (fast path), 2 = data row that
    needs the token-by-token parser (NaN/inf tokens, empty cells); and the number of
    fields (trailing delimiters ignored)."""
    n = len(lines)
    left = "\n".join(lines).translate(_clean_table(delim, decimal)).split("\n")
    state = np.zeros(n, np.int8)
    nf = np.zeros(n, np.int64)
    if delim is None:
        for i, (ln, lf) in enumerate(zip(lines, left, strict=True)):
            if not lf:
                k = len(ln.split())
                if k >= 2:
                    state[i], nf[i] = 1, k
            elif set(lf) <= _WORDY_WS:
                r = _numeric_row(ln, delim, decimal)
                if r is not None:
                    state[i], nf[i] = 2, len(r)
        return state, nf
    dd = delim + delim
    for i, (ln, lf) in enumerate(zip(lines, left, strict=True)):
        if not lf:
            t = ln.rstrip().rstrip(delim)
            k = t.count(delim) + 1
            if k < 2 and delim not in ln:
                continue
            if k >= 2 and dd not in t and not t.lstrip().startswith(delim):
                state[i], nf[i] = 1, k
                continue
        elif not set(lf) <= _WORDY_WS:
            continue
        r = _numeric_row(ln, delim, decimal)
        if r is not None:
            state[i], nf[i] = 2, len(r)
    return state, nf


def _longest_run(mask: np.ndarray) -> tuple[int, int]:
    """(start, stop) of the longest run of True in a boolean array ((0, 0) if none)."""
    if not mask.any():
        return 0, 0
    m = np.concatenate([[False], mask, [False]]).astype(np.int8)
    d = np.diff(m)
    starts, stops = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    k = int(np.argmax(stops - starts))
    return int(starts[k]), int(stops[k])


def _fast_values(lines, sel, ncol, delim, decimal) -> np.ndarray:
    """Vectorised conversion of plain numeric rows (same field count) to floats."""
    text = "\n".join([lines[i] for i in sel]).replace('"', "")
    if delim is None:
        toks = text.split()
    else:
        text = re.sub(rf"[{re.escape(delim)}\s]+$", "", text, flags=re.M)
        if decimal == "," and delim != ",":
            text = text.replace(",", ".")
        toks = text.replace("\n", delim).split(delim)
    if decimal == "," and delim is None:
        toks = [t.replace(",", ".") for t in toks]
    return np.array(toks, dtype=float).reshape(len(sel), ncol)


def _parse_block(lines, state, nf, start, stop, delim, decimal):
    """Parse lines[start:stop] into a float array (rows x columns, NaN-padded).

    Plain rows with the usual number of fields are converted in one vectorised call;
    the others token by token. Returns (data, bad): ``bad`` lists the lines that turned
    out not to be data rows (the caller then re-splits the block).
    """
    st = state[start:stop]
    nfb = nf[start:stop]
    fast = np.flatnonzero(st == 1) + start
    ncol_fast = 0
    slow = list(np.flatnonzero(st == 2) + start)
    block_fast = None
    sel = fast[:0]
    if fast.size:
        vals, cnt = np.unique(nf[fast], return_counts=True)
        ncol_fast = int(vals[np.argmax(cnt)])
        sel = fast[nf[fast] == ncol_fast]
        slow += list(fast[nf[fast] != ncol_fast])
        try:
            block_fast = _fast_values(lines, sel, ncol_fast, delim, decimal)
        except ValueError:
            slow += list(sel)
            sel = fast[:0]
    rows_slow: dict[int, list[float]] = {}
    bad: list[int] = []
    for i in slow:
        r = _numeric_row(lines[i], delim, decimal)
        if r is None:
            bad.append(int(i))
        else:
            rows_slow[int(i)] = r
    if bad:
        return None, sorted(bad)
    ncol = max([ncol_fast] + [len(r) for r in rows_slow.values()] + [int(nfb.max())])
    data = np.full((stop - start, ncol), np.nan)
    if block_fast is not None and sel.size:
        data[sel - start, :ncol_fast] = block_fast
    for i, r in rows_slow.items():
        data[i - start, :len(r)] = r
    return data, []


def _locate(lines, delim, decimal):
    """Longest data block for one layout: (start, stop, data) (data None if no rows)."""
    state, nf = _classify(lines, delim, decimal)
    for _ in range(20):
        start, stop = _longest_run(state > 0)
        if stop - start == 0:
            return 0, 0, None
        data, bad = _parse_block(lines, state, nf, start, stop, delim, decimal)
        if not bad:
            return start, stop, data
        state[bad] = 0
    return 0, 0, None


def _detect_layout(lines, delimiter=None, decimal=None, max_columns=None):
    """Choose delimiter and decimal mark giving the longest consistent numeric block.

    The choice is made on a sample (the first 2000 and last 500 lines); the chosen
    layout is then applied to the whole file with a vectorised parse.
    """
    delims = [delimiter] if delimiter is not None else [",", "\t", ";", None]
    decs = [decimal] if decimal is not None else [".", ","]
    sample = lines if len(lines) <= 2600 else lines[:2000] + [""] + lines[-500:]
    best = None
    for d in delims:
        for dec in decs:
            if d == "," and dec == ",":
                continue
            state, _ = _classify(sample, d, dec)
            start, stop = _longest_run(state > 0)
            if stop - start == 0:
                continue
            probe = [_numeric_row(ln, d, dec) for ln in sample[start:min(stop, start + 10)]]
            widths = [len(r) for r in probe if r is not None]
            if not widths:
                continue
            ncol = int(np.median(widths))
            score = (stop - start, ncol >= 2, dec == ".")
            if best is None or score > best[0]:
                best = (score, d, dec, ncol)
    if best is None:
        raise QdlabInputError("no numeric data found: need at least 3 rows of "
                              "'wavelength, value[, value...]' (comma, tab, semicolon or "
                              "space separated)")
    _, d, dec, ncol = best
    if max_columns is not None and ncol > max_columns:
        raise QdlabInputError(f"spectrum file has {ncol} columns; the limit is max_columns="
                              f"{max_columns} (split the file or pass max_columns=)")
    start, stop, data = _locate(lines, d, dec)
    if data is None or data.shape[0] < 3:
        raise QdlabInputError("no numeric data found: need at least 3 rows of "
                              "'wavelength, value[, value...]' (comma, tab, semicolon or "
                              "space separated)")
    if max_columns is not None and data.shape[1] > max_columns:
        raise QdlabInputError(f"spectrum file has {data.shape[1]} columns; the limit is "
                              f"max_columns={max_columns} (split the file or pass max_columns=)")
    return d, dec, start, stop, data


