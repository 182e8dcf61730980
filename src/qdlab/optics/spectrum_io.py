"""Read measured optical spectra (absorbance, %T, emission) from instrument exports.

:func:`read_spectra` takes a path, bytes or text and returns a list of
:class:`Spectrum` (wavelength in nm, ascending). It understands

- plain CSV / TSV / TXT tables (comma, tab, semicolon or whitespace delimited, decimal
  comma when unambiguous), one x column and one or more y columns (e.g. a kinetics
  series with headers such as ``"30 s"``), any line ending, UTF-8 BOM, UTF-16;
- Ocean Optics SpectraSuite / OceanView exports (``>>>>>Begin Spectral Data<<<<<``);
- JASCO exports (``XYDATA`` with ``XUNITS`` / ``YUNITS`` header);
- Agilent Cary exports (sample-name row, then ``Wavelength (nm),Abs`` pairs per sample);
- Shimadzu UVProbe text exports (quoted ``"Wavelength nm.","Abs."`` header);
- PerkinElmer ASCII (``#DATA`` section after a header).

The x axis may be wavelength (nm), photon energy (eV) or wavenumber (cm^-1); it is
detected from the header or, failing that, from the values, and converted to nm
(emission intensities per unit energy are multiplied by the Jacobian |dE/dlambda|).
Transmittance in percent is converted to absorbance, A = 2 - log10(%T) (fraction T:
A = -log10 T).

Limits (refused in well under a second, before parsing): :data:`DEFAULT_MAX_BYTES`
(10 MB), :data:`MAX_ROWS` (500 000 lines), :data:`MAX_COLUMNS` (2000 columns).
Physical ranges: wavelength 150-5000 nm, |absorbance| <= 10; points outside them or
non-finite are dropped with a warning, a column that is mostly such points is refused.

Data problems are reported, never hidden: unreadable input raises
:class:`~qdlab._validation.QdlabInputError`; fixable problems (unsorted or duplicated
wavelengths, missing values, negative absorbance noise) are repaired, recorded in
``Spectrum.metadata["notes"]`` and signalled by a :class:`SpectrumWarning`.

Examples
--------
>>> text = "Wavelength (nm),30 s,60 s\\n500,0.10,0.20\\n501,0.11,0.21\\n502,0.12,0.22\\n"
>>> specs = read_spectra(text, kind="absorbance")
>>> [s.label for s in specs], specs[0].wavelength_nm.tolist()
(['30 s', '60 s'], [500.0, 501.0, 502.0])
>>> read_spectra("400;0,125\\n401;0,135\\n402;0,145\\n", kind="absorbance")[0].y.tolist()
[0.125, 0.135, 0.145]
"""

from __future__ import annotations

import math
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qdlab._validation import QdlabInputError
from qdlab.constants import HC_EV_NM

__all__ = ["KINDS", "Spectrum", "SpectrumWarning", "read_spectra", "DEFAULT_MAX_BYTES",
           "MAX_ROWS", "MAX_COLUMNS", "WAVELENGTH_RANGE_NM", "MAX_ABS_ABSORBANCE",
           "MAX_ABS_EMISSION", "screen_points", "bin_spectrum"]

#: Allowed spectrum kinds.
KINDS = ("absorbance", "transmittance_pct", "transmittance", "emission")
#: Default size limit of an input file, bytes (10 MB).
DEFAULT_MAX_BYTES = 10_000_000
#: Default limit on the number of lines of an input file.
MAX_ROWS = 500_000
#: Default limit on the number of columns of an input file.
MAX_COLUMNS = 2_000
#: Physical wavelength range accepted, nm (deep UV to mid infrared).
WAVELENGTH_RANGE_NM = (150.0, 5000.0)
#: Largest |absorbance| accepted (base-10 absorbance units; instruments saturate near 6).
MAX_ABS_ABSORBANCE = 10.0
#: Largest |emission intensity| accepted (arbitrary units).
MAX_ABS_EMISSION = 1e20


class SpectrumWarning(UserWarning):
    """A measured spectrum had a problem that was repaired or needs attention."""


@dataclass(frozen=True)
class Spectrum:
    """One measured spectrum on an ascending wavelength axis.

    Attributes
    ----------
    wavelength_nm : numpy.ndarray
        Wavelengths in nm, strictly ascending.
    y : numpy.ndarray
        Absorbance (base 10) for ``kind="absorbance"`` (also after conversion from %T),
        or emission intensity (arbitrary units per nm) for ``kind="emission"``.
    label : str
        Column header or sample name (e.g. ``"30 s"``).
    kind : str
        ``"absorbance"`` or ``"emission"``; ``metadata["original_kind"]`` keeps
        ``"transmittance_pct"`` when the file held %T.
    metadata : dict
        Header key/values, detected format, units, and ``notes`` (list of str).
    """

    wavelength_nm: np.ndarray
    y: np.ndarray
    label: str
    kind: str
    metadata: dict = field(default_factory=dict)

    @property
    def x(self) -> np.ndarray:
        """Alias of :attr:`wavelength_nm` (nm)."""
        return self.wavelength_nm

    def __len__(self) -> int:
        return int(self.wavelength_nm.size)


# ------------------------------------------------------------------ input handling
def _load_text(source, max_bytes: int, max_rows: int | None = None) -> tuple[str, str]:
    """Return (text, name) from a path, bytes or text (size and line count checked first)."""
    name = ""
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
    elif isinstance(source, Path) or (isinstance(source, str) and "\n" not in source
                                      and "\r" not in source and len(source) < 4096
                                      and os.path.exists(source)):
        p = Path(source)
        if not p.is_file():
            raise QdlabInputError(f"spectrum file {str(p)!r} is not a file")
        size = p.stat().st_size
        if size > max_bytes:
            raise QdlabInputError(f"spectrum file {p.name!r} is {size / 1e6:.1f} MB; the limit "
                                  f"is {max_bytes / 1e6:g} MB (pass max_bytes= to raise it)")
        raw = p.read_bytes()
        name = p.name
    elif isinstance(source, str):
        if "\n" not in source and "\r" not in source and len(source) < 4096 and (
                source.lower().endswith((".csv", ".txt", ".tsv", ".asc", ".dat", ".sp"))):
            raise QdlabInputError(f"spectrum file {source!r} does not exist")
        raw = None
        text = source
    elif hasattr(source, "read"):
        data = source.read(max_bytes + 1)
        if isinstance(data, str):
            raw, text = None, data
        else:
            raw = bytes(data)
        name = getattr(source, "name", "") or ""
    else:
        raise QdlabInputError(f"source must be a path, bytes or text, got {type(source).__name__}")
    if raw is not None:
        if len(raw) > max_bytes:
            raise QdlabInputError(f"spectrum data is {len(raw) / 1e6:.1f} MB; the limit is "
                                  f"{max_bytes / 1e6:g} MB (pass max_bytes= to raise it)")
        if max_rows is not None:
            nl = raw.count(b"\n") or raw.count(b"\r")
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                nl = raw.count(b"\n\x00") or raw.count(b"\x00\n")
            if nl > max_rows:
                raise QdlabInputError(f"spectrum data has {nl} lines; the limit is max_rows="
                                      f"{max_rows} (bin or split the spectrum, or pass "
                                      "max_rows=)")
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
        else:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
    elif len(text) > max_bytes:
        raise QdlabInputError(f"spectrum text is {len(text) / 1e6:.1f} MB; the limit is "
                              f"{max_bytes / 1e6:g} MB")
    if "\x00" in text:
        raise QdlabInputError("spectrum data looks binary (NUL bytes); export it as text/CSV")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, name


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


# ------------------------------------------------------------------ units and kinds
_X_NM = re.compile(r"\b(nm|nanomet|wavelength|wl)\b|\(nm\)|nm\.", re.I)
_X_EV = re.compile(r"\bev\b|\(ev\)|energy", re.I)
_X_WN = re.compile(r"cm\s*\^?-1|cm-1|1/cm|wavenumber|cm⁻¹", re.I)
_Y_T = re.compile(r"%\s*t\b|\bt\s*%|transmit|%trans", re.I)
_Y_A = re.compile(r"\babs|absorb|\bod\b|\ba\b|optical density|extinct", re.I)
_Y_E = re.compile(r"intens|count|\bcps\b|emission|fluoresc|photolum|\bpl\b|\bem\b", re.I)


def _x_unit_from_text(s: str) -> str | None:
    if _X_WN.search(s):
        return "cm-1"
    if _X_EV.search(s):
        return "eV"
    if _X_NM.search(s):
        return "nm"
    return None


def _kind_from_text(s: str) -> str | None:
    if _Y_T.search(s):
        return "transmittance_pct"
    if _Y_E.search(s):
        return "emission"
    if _Y_A.search(s):
        return "absorbance"
    return None


def _x_unit_from_values(x: np.ndarray) -> str:
    x = x[np.isfinite(x)]
    if x.size == 0:
        raise QdlabInputError("the x column holds no finite values")
    # robust to a few wild values (they are dropped later as out of range)
    lo, hi = (float(v) for v in np.percentile(x, [5, 95]))
    if lo > 0.3 and hi < 7.0:
        return "eV"
    if lo >= 150 and hi <= 3300:
        return "nm"
    if lo >= 3000 and hi <= 70000:
        return "cm-1"
    raise QdlabInputError(
        f"cannot tell the x-axis unit from values {lo:g}..{hi:g}: expected wavelength in nm "
        "(150-3300), energy in eV (0.3-7) or wavenumber in cm^-1 (3000-70000); pass "
        "x_unit='nm'|'eV'|'cm-1'")


# ------------------------------------------------------------------ vendor headers
def _kv(line: str) -> tuple[str, str] | None:
    for sep in (":", "\t", ",", "="):
        if sep in line:
            k, v = line.split(sep, 1)
            k = k.strip().strip('"').strip("#").strip()
            if k and len(k) < 60:
                return k, v.strip().strip('"').strip()
    return None


def _detect_format(text: str) -> str:
    head = text[:20000]
    if ">>>>>Begin" in head:
        return "oceanoptics"
    if re.search(r"^XYDATA", head, re.M) and re.search(r"^(XUNITS|YUNITS|TITLE|JASCO)", head,
                                                       re.M | re.I):
        return "jasco"
    if re.search(r"^#DATA\s*$", head, re.M):
        return "perkinelmer"
    lines = head.split("\n")[:3]
    if len(lines) >= 2:
        toks = [t.strip().strip('"') for t in lines[1].split(",")]
        wl = [i for i, t in enumerate(toks) if re.match(r"wavelength", t, re.I)]
        if len(wl) >= 1 and wl[0] == 0 and all(i % 2 == 0 for i in wl) and (
                len(toks) >= 2 and _kind_from_text(toks[1] or "")):
            first = [t.strip().strip('"') for t in lines[0].split(",")]
            if first and first[0] and not re.match(r"wavelength", first[0], re.I):
                return "cary"
    if head.lstrip().startswith('"') and re.search(r'"Wavelength nm\."', head):
        return "shimadzu"
    return "table"


# ------------------------------------------------------------------ main entry point
def read_spectra(source, *, kind: str = "auto", x_unit: str = "auto",
                 delimiter: str | None = None, decimal: str | None = None,
                 duplicates: str = "average", max_bytes: int = DEFAULT_MAX_BYTES,
                 max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS
                 ) -> list[Spectrum]:
    """Read one or many spectra from a file path, bytes or text.

    Parameters
    ----------
    source : str, pathlib.Path, bytes or file-like
        A path to the file, its bytes, or its text (text must contain a line break).
    kind : {"auto", "absorption", "absorbance", "transmittance_pct", "transmittance", \
"emission"}
        What the y columns hold. ``"auto"`` uses the header (``Abs``, ``%T``,
        ``Intensity``...), the vendor metadata, then the file name (``*emission*``,
        ``*abs*``); without any of these, y values up to 5 are taken as absorbance, and
        0-100 values that rise to the red end as %T; otherwise an error asks for
        ``kind``. ``"absorption"`` (what fitting uses) says the file holds absorbance
        or transmittance: %T / T is recognised from the header, or from values above
        the absorbance limit (10) that lie in 0-100, and converted.
        ``"transmittance"`` is the fraction T (0-1).
    x_unit : {"auto", "nm", "eV", "cm-1"}
        Unit of the first column; ``"auto"`` detects it from the header or values.
    delimiter : str, optional
        Force a delimiter (``","``, ``"\\t"``, ``";"``; ``" "`` for whitespace).
    decimal : {".", ","}, optional
        Force the decimal mark.
    duplicates : {"average", "error"}
        What to do with repeated wavelengths.
    max_bytes : int
        Size limit of the input, bytes (default :data:`DEFAULT_MAX_BYTES`, 10 MB),
        checked before anything is read.
    max_rows : int
        Limit on the number of lines (default :data:`MAX_ROWS`, 500 000), checked on the
        raw bytes before parsing.
    max_columns : int
        Limit on the number of columns (default :data:`MAX_COLUMNS`, 2000).

    Returns
    -------
    list of Spectrum
        One per y column (or per sample for Cary paired columns); wavelength in nm,
        ascending; %T converted to absorbance (A = 2 - log10 %T, A = -log10 T).

    Raises
    ------
    QdlabInputError
        Unreadable input, no numeric data, unknown units or kind, too large a file
        (bytes, lines or columns over the limits), duplicated wavelengths with
        ``duplicates="error"``, a column with fewer than 3 usable points or with more
        than half of its points non-finite or outside the physical ranges.

    Notes
    -----
    Conversions: lambda[nm] = hc / E = 1239.84 / E[eV]; lambda[nm] = 1e7 / nu[cm^-1].
    Emission intensities given per unit energy are converted to per unit wavelength with
    I_lambda = I_E * E^2 / (hc) (the Jacobian; absorbance needs none).

    Physical ranges (:data:`WAVELENGTH_RANGE_NM`, :data:`MAX_ABS_ABSORBANCE`): points with
    a wavelength outside 150-5000 nm (after unit conversion), a non-finite value
    (``nan``, ``inf``, empty cell) or an absorbance with |A| > 10 are dropped with a
    :class:`SpectrumWarning`; if they are more than half of a column, the column is
    refused. Emission intensities must satisfy |I| <= 1e20 (arbitrary units).

    The parse is vectorised: the layout (delimiter, decimal mark, data block) is chosen
    on the first 2000 and last 500 lines, then plain numeric rows are converted in one
    numpy call; only rows with NaN/inf tokens or missing cells go token by token.

    Examples
    --------
    >>> s = read_spectra("Energy (eV)\\tAbs\\n2.0\\t0.1\\n2.1\\t0.2\\n2.2\\t0.3\\n")[0]
    >>> s.kind, [round(float(v), 1) for v in s.wavelength_nm]
    ('absorbance', [563.6, 590.4, 619.9])
    """
    if kind not in ("auto", "absorption", *KINDS):
        raise QdlabInputError(f"kind must be one of auto, absorption, {', '.join(KINDS)}, "
                              f"got {kind!r}")
    for val, nm in ((max_bytes, "max_bytes"), (max_rows, "max_rows"),
                    (max_columns, "max_columns")):
        if not isinstance(val, (int, np.integer)) or val < 1:
            raise QdlabInputError(f"{nm} must be a positive integer, got {val!r}")
    if x_unit not in ("auto", "nm", "eV", "cm-1"):
        raise QdlabInputError(f"x_unit must be one of auto, nm, eV, cm-1, got {x_unit!r}")
    if duplicates not in ("average", "error"):
        raise QdlabInputError(f"duplicates must be 'average' or 'error', got {duplicates!r}")
    if decimal not in (None, ".", ","):
        raise QdlabInputError(f"decimal must be '.' or ',', got {decimal!r}")
    text, name = _load_text(source, int(max_bytes), int(max_rows))
    if not text.strip():
        raise QdlabInputError("spectrum input is empty")
    fmt = _detect_format(text)
    meta: dict = {"format": fmt}
    if name:
        meta["source"] = name
    lines = text.split("\n")
    # vendor-specific: narrow the lines to the data section, collect metadata
    if fmt == "oceanoptics":
        b = next(i for i, ln in enumerate(lines) if ">>>>>Begin" in ln)
        e = next((i for i, ln in enumerate(lines) if ">>>>>End" in ln), len(lines))
        for ln in lines[:b]:
            kv = _kv(ln)
            if kv:
                meta[kv[0]] = kv[1]
        lines = lines[b + 1:e]
    elif fmt == "jasco":
        b = next(i for i, ln in enumerate(lines) if ln.strip().startswith("XYDATA"))
        for ln in lines[:b]:
            kv = _kv(ln)
            if kv:
                meta[kv[0].upper()] = kv[1]
        lines = lines[b + 1:]
    elif fmt == "perkinelmer":
        b = next(i for i, ln in enumerate(lines) if ln.strip() == "#DATA")
        hdr = [ln.strip() for ln in lines[:b]]
        meta["header_lines"] = hdr
        lines = lines[b + 1:]
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
        if ln.lstrip().startswith(("#", "%", "//")) and fmt != "perkinelmer":
            continue
        toks = _split(ln, delim)
        if len(toks) >= 2:
            col_header = toks
            break
    for ln in header_lines:
        if ln.lstrip().startswith(("#", "%", "//")):
            meta.setdefault("comments", []).append(ln.strip())
        elif fmt == "table":
            kv = _kv(ln)
            if kv and (not col_header or _split(ln, delim) != col_header):
                meta.setdefault(kv[0], kv[1])
    ncol = data.shape[1]

    # -------- columns -> (x, y, label) groups
    groups: list[tuple[np.ndarray, np.ndarray, str, str]] = []  # x, y, label, y-header
    if fmt == "cary":
        names = [t.strip().strip('"') for t in lines[0].split(",")] if lines else []
        sub = [t.strip().strip('"') for t in lines[1].split(",")]
        for j in range(0, ncol - 1, 2):
            label = names[j] if j < len(names) and names[j] else f"sample {j // 2 + 1}"
            groups.append((data[:, j], data[:, j + 1], label, sub[j + 1] if j + 1 < len(sub)
                           else ""))
    else:
        hdr = col_header if len(col_header) >= ncol else col_header + [""] * (
            ncol - len(col_header))
        for j in range(1, ncol):
            label = hdr[j] if hdr[j] else (f"y{j}" if ncol > 2 else
                                           (meta.get("TITLE") or name or "spectrum"))
            groups.append((data[:, 0], data[:, j], label, hdr[j]))
        x_header = hdr[0] if hdr else ""
    # -------- x unit
    if x_unit == "auto":
        hints = []
        if fmt == "cary":
            hints.append(lines[1])
        elif fmt == "table" or fmt == "shimadzu":
            hints.append(x_header)
        if fmt == "jasco":
            hints.append(meta.get("XUNITS", ""))
        if fmt == "perkinelmer":
            hints.extend(meta["header_lines"][-4:])
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
    file_kind = None
    if fmt == "jasco":
        file_kind = _kind_from_text(meta.get("YUNITS", ""))
    elif fmt == "perkinelmer":
        for h in meta["header_lines"][-4:]:
            file_kind = file_kind or (_kind_from_text(h) if len(h) < 20 else None)
    elif fmt == "oceanoptics":
        file_kind = _kind_from_text(" ".join(f"{k} {v}" for k, v in meta.items()
                                             if "type" in k.lower() or "unit" in k.lower()))
    name_kind = None
    if name:
        low = name.lower()
        if re.search(r"emission|_pl\b|fluor|photolum", low):
            name_kind = "emission"
        elif re.search(r"absorb|_abs\b|uv-?vis", low):
            name_kind = "absorbance"
        elif re.search(r"transm", low):
            name_kind = "transmittance_pct"

    out: list[Spectrum] = []
    for x, y, label, yhead in groups:
        notes: list[str] = []
        k = _resolve_kind(kind, yhead, file_kind, name_kind, x, y, label, notes)
        s = _finish(x, y, label, k, xu, duplicates, dict(meta), notes)
        out.append(s)
    return out


def _resolve_kind(kind, yhead, file_kind, name_kind, x, y, label, notes) -> str:
    """Kind of one y column: absorbance, transmittance_pct, transmittance or emission."""
    if kind not in ("auto", "absorption"):
        return kind
    k = _kind_from_text(yhead or "") or file_kind or name_kind
    finite = np.isfinite(x) & np.isfinite(y)
    yf = y[finite]
    amax = float(np.max(np.abs(yf))) if yf.size else 0.0
    if k == "transmittance_pct":
        # "%T" in the header is percent; "Transmittance" alone may be the fraction 0-1
        if "%" not in (yhead or "") and yf.size and np.percentile(yf, 99) <= 1.5:
            k = "transmittance"
        return k
    if k is not None:
        return k
    if yf.size < 3:
        return "absorbance" if kind == "absorption" else (k or "absorbance")  # screen refuses
    med = float(np.median(yf)) if yf.size else 0.0
    lo = float(np.percentile(yf, 1)) if yf.size else 0.0
    limit = MAX_ABS_ABSORBANCE if kind == "absorption" else 5.0
    if yf.size and amax <= limit:
        notes.append(f"kind not stated in the file; values <= {limit:g} taken as absorbance")
        return "absorbance"
    in_pct = yf.size and lo >= -2.0 and np.percentile(yf, 99) <= 105.0 and med > 0
    if in_pct and kind == "absorption":
        notes.append("values above the absorbance limit (10) in 0-100 taken as %T")
        return "transmittance_pct"
    if in_pct and yf.size >= 20:
        # %T rises towards the red (transparent) end; emission falls at both ends
        order = np.argsort(x[finite])
        ys = yf[order]
        n10 = max(ys.size // 10, 2)
        red, blue = float(np.median(ys[-n10:])), float(np.median(ys[:n10]))
        if red >= 0.5 * float(ys.max()) and blue < red:
            notes.append("kind not stated in the file; 0-100 values rising to the red end "
                         "taken as %T")
            return "transmittance_pct"
    if kind == "absorption":
        raise QdlabInputError(
            f"column {label!r} holds values up to {amax:.4g}: neither absorbance (|A| <= "
            f"{MAX_ABS_ABSORBANCE:g}) nor %T (0-100); pass kind='absorbance' or "
            "kind='transmittance_pct' if it is one of them")
    raise QdlabInputError(
        f"cannot tell whether column {label!r} is %T or emission intensity "
        "(no unit in the header); pass kind='transmittance_pct' or kind='emission'")


def screen_points(wavelength_nm, y, kind: str = "absorbance", label: str = "spectrum"):
    """Drop non-finite and unphysical points; refuse a column that is mostly bad.

    Parameters
    ----------
    wavelength_nm : numpy.ndarray
        Wavelengths, nm.
    y : numpy.ndarray
        Absorbance (``kind="absorbance"``) or emission intensity (``"emission"``).
    kind : {"absorbance", "emission"}
    label : str
        Column name used in messages.

    Returns
    -------
    (wavelength_nm, y, notes) : (numpy.ndarray, numpy.ndarray, list of str)
        The kept points and one note per kind of dropped point.

    Raises
    ------
    QdlabInputError
        Fewer than 3 points left, or more than half of the points dropped.

    Notes
    -----
    Kept: finite points with 150 <= lambda <= 5000 nm and |A| <= 10 (absorbance) or
    |I| <= 1e20 (emission).

    Examples
    --------
    >>> x, y, notes = screen_points(np.array([400., 401, 402, 403]),
    ...                             np.array([0.1, np.nan, 0.3, 0.4]))
    >>> x.tolist(), notes
    ([400.0, 402.0, 403.0], ['1 non-finite (NaN/inf/empty) points dropped'])
    """
    x = np.asarray(wavelength_nm, dtype=float)
    y = np.asarray(y, dtype=float)
    n = x.size
    lo, hi = WAVELENGTH_RANGE_NM
    ylim = MAX_ABS_EMISSION if kind == "emission" else MAX_ABS_ABSORBANCE
    finite = np.isfinite(x) & np.isfinite(y)
    with np.errstate(invalid="ignore"):
        x_ok = (x >= lo) & (x <= hi)
        y_ok = np.abs(y) <= ylim
    notes = []
    n_nf = int((~finite).sum())
    n_x = int((finite & ~x_ok).sum())
    n_y = int((finite & x_ok & ~y_ok).sum())
    keep = finite & x_ok & y_ok
    what = "absorbance" if kind != "emission" else "intensity"
    if n_nf:
        notes.append(f"{n_nf} non-finite (NaN/inf/empty) points dropped")
    if n_x:
        notes.append(f"{n_x} points outside the physical wavelength range {lo:g}-{hi:g} nm "
                     "dropped")
    if n_y:
        notes.append(f"{n_y} points with |{what}| > {ylim:g} dropped")
    nk = int(keep.sum())
    if nk < 3 or nk < 0.5 * n:
        parts = [f"{n_nf} non-finite"] if n_nf else []
        if n_x:
            parts.append(f"{n_x} with wavelength outside {lo:g}-{hi:g} nm")
        if n_y:
            parts.append(f"{n_y} with |{what}| > {ylim:g}")
        why = ", ".join(parts) if parts else "too few points"
        hint = ""
        if n_y and kind != "emission":
            hint = " (if it is %T pass kind='transmittance_pct')"
        raise QdlabInputError(f"column {label!r}: only {nk} of {n} points usable ({why}); "
                              f"need at least 3 and more than half{hint}")
    return x[keep], y[keep], notes


def bin_spectrum(wavelength_nm, y, max_points: int = 2000):
    """Average a dense spectrum into at most ``max_points`` equal-width wavelength bins.

    Parameters
    ----------
    wavelength_nm : numpy.ndarray
        Ascending wavelengths, nm.
    y : numpy.ndarray
        Values (absorbance or intensity).
    max_points : int
        Largest number of points returned.

    Returns
    -------
    (wavelength_nm, y) : numpy.ndarray
        Bin means of wavelength and value (unchanged if already small enough).

    Notes
    -----
    Bin width w = (lambda_max - lambda_min) / max_points; empty bins are skipped. A
    first-exciton peak (FWHM >= 15 nm) is unchanged by bins of <= 0.5 nm (2000 bins
    over 1000 nm).

    Examples
    --------
    >>> x = np.linspace(400.0, 700.0, 30001)
    >>> xb, yb = bin_spectrum(x, np.ones_like(x), 300)
    >>> xb.size, float(yb.max())
    (300, 1.0)
    """
    x = np.asarray(wavelength_nm, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.size <= max_points:
        return x, y
    edges = np.linspace(x[0], x[-1], max_points + 1)
    k = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, max_points - 1)
    cnt = np.bincount(k, minlength=max_points)
    sx = np.bincount(k, weights=x, minlength=max_points)
    sy = np.bincount(k, weights=y, minlength=max_points)
    nz = cnt > 0
    return sx[nz] / cnt[nz], sy[nz] / cnt[nz]


def _finish(x, y, label, kind, xu, duplicates, meta, notes) -> Spectrum:
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    # convert x to nm (x <= 0 becomes -1 nm: outside the physical range, dropped below)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        pos = x > 0
        xpos = np.where(pos, x, 1.0)
        if xu == "eV":
            lam = np.where(pos, HC_EV_NM / xpos, -1.0)
            if kind == "emission":
                y = y * xpos**2 / HC_EV_NM
                notes.append("emission per eV converted to per nm (Jacobian E^2/hc)")
        elif xu == "cm-1":
            lam = np.where(pos, 1e7 / xpos, -1.0)
            if kind == "emission":
                y = y * xpos**2 / 1e7
                notes.append("emission per cm^-1 converted to per nm (Jacobian nu^2/1e7)")
        else:
            lam = x
    original_kind = kind
    if kind in ("transmittance_pct", "transmittance"):
        full = 100.0 if kind == "transmittance_pct" else 1.0
        unit = "%T" if kind == "transmittance_pct" else "T"
        fin = np.isfinite(y)
        bad = fin & (y <= 0)
        if np.any(bad):
            notes.append(f"{int(bad.sum())} points with {unit} <= 0 clipped to "
                         f"{1e-5 * full:g} {unit} (A = 5)")
        if np.any(fin) and np.max(y[fin]) > 1.1 * full:
            notes.append(f"{unit} up to {np.max(y[fin]):.4g} > {full:g}: check that the "
                         f"column is {unit}")
        with np.errstate(invalid="ignore"):
            y = np.where(fin, np.log10(full) - np.log10(np.clip(y, 1e-5 * full, None)), y)
        kind = "absorbance"
    lam, y, screen_notes = screen_points(lam, y, "emission" if kind == "emission"
                                         else "absorbance", label)
    notes.extend(screen_notes)
    # sort
    if np.any(np.diff(lam) < 0):
        order = np.argsort(lam, kind="stable")
        lam, y = lam[order], y[order]
        meta["sorted"] = True
    # duplicates
    if np.any(np.diff(lam) == 0):
        ndup = int(np.sum(np.diff(lam) == 0))
        if duplicates == "error":
            raise QdlabInputError(f"column {label!r}: {ndup} duplicated wavelengths "
                                  f"(e.g. {float(lam[1:][np.diff(lam) == 0][0]):g} nm); pass "
                                  "duplicates='average' to average them")
        u, inv = np.unique(lam, return_inverse=True)
        y = np.bincount(inv, weights=y) / np.bincount(inv)
        lam = u
        notes.append(f"{ndup} duplicated wavelengths averaged")
        if lam.size < 3:
            raise QdlabInputError(f"column {label!r} has only {lam.size} distinct "
                                  "wavelength(s); need at least 3")
    if kind == "absorbance":
        neg = y < 0
        if np.any(neg):
            scale = max(float(np.max(np.abs(y))), 1e-12)
            depth = float(-y.min())
            if depth > 0.05 * scale and depth > 0.01:
                notes.append(f"negative absorbance down to {-depth:.3g} (baseline/blank "
                             "problem?)")
            else:
                meta["negative_noise_points"] = int(neg.sum())
                meta.setdefault("info", []).append(
                    f"{int(neg.sum())} small negative absorbance values (noise, min "
                    f"{-depth:.2g}) kept")
    meta["original_kind"] = original_kind
    meta["notes"] = notes
    for n in notes:
        if not n.startswith("kind not stated"):
            warnings.warn(f"{label}: {n}", SpectrumWarning, stacklevel=3)
    return Spectrum(wavelength_nm=np.ascontiguousarray(lam, dtype=float),
                    y=np.ascontiguousarray(y, dtype=float), label=str(label), kind=kind,
                    metadata=meta)
