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
Transmittance in percent is converted to absorbance, A = 2 - log10(%T).

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
>>> read_spectra("400;12,5\\n401;13,5\\n402;14,5\\n", kind="absorbance")[0].y.tolist()
[12.5, 13.5, 14.5]
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qdlab._validation import QdlabInputError
from qdlab.constants import HC_EV_NM

__all__ = ["KINDS", "Spectrum", "SpectrumWarning", "read_spectra", "DEFAULT_MAX_BYTES"]

#: Allowed spectrum kinds.
KINDS = ("absorbance", "transmittance_pct", "emission")
#: Default size limit of an input file, bytes (10 MB).
DEFAULT_MAX_BYTES = 10_000_000


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
def _load_text(source, max_bytes: int) -> tuple[str, str]:
    """Return (text, name) from a path, bytes or text."""
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
_NAN_TOKENS = {"", "nan", "na", "n/a", "-", "--"}


def _split(line: str, delim: str | None) -> list[str]:
    if delim is None:
        return line.split()
    return [t.strip().strip('"').strip("'").strip() for t in line.split(delim)]


def _to_float(tok: str, decimal: str) -> float | None:
    """Float value, nan for an empty/NaN token, None if not a number."""
    t = tok.strip().strip('"')
    if t.lower() in _NAN_TOKENS:
        return float("nan")
    if decimal == ",":
        if _NUM_RE_COMMA.match(t):
            return float(t.replace(",", "."))
        return None
    if _NUM_RE.match(t):
        return float(t)
    return None


def _numeric_row(line: str, delim, decimal) -> list[float] | None:
    toks = _split(line, delim)
    if len(toks) < 2:
        return None
    vals = [_to_float(t, decimal) for t in toks]
    if any(v is None for v in vals):
        # allow trailing empty tokens only (already nan); any text -> not numeric
        return None
    # the first column (x) must be a number
    if not np.isfinite(vals[0]):
        return None
    while vals and not np.isfinite(vals[-1]) and len(vals) > 2 and toks[-1] == "":
        vals.pop()
        toks.pop()
    return vals


def _find_block(lines: list[str], delim, decimal) -> tuple[int, int, list[list[float]]]:
    """Longest run of consecutive numeric rows: (start, stop, rows)."""
    best = (0, 0, [])
    i, n = 0, len(lines)
    while i < n:
        r = _numeric_row(lines[i], delim, decimal)
        if r is None:
            i += 1
            continue
        j, rows = i, []
        while j < n:
            r = _numeric_row(lines[j], delim, decimal)
            if r is None:
                break
            rows.append(r)
            j += 1
        if len(rows) > len(best[2]):
            best = (i, j, rows)
        i = j
    return best


def _detect_layout(lines, delimiter=None, decimal=None):
    """Choose delimiter and decimal mark giving the largest consistent numeric block."""
    delims = [delimiter] if delimiter is not None else [",", "\t", ";", None]
    decs = [decimal] if decimal is not None else [".", ","]
    best = None
    for d in delims:
        for dec in decs:
            if d == "," and dec == ",":
                continue
            start, stop, rows = _find_block(lines, d, dec)
            if not rows:
                continue
            ncol = int(np.median([len(r) for r in rows]))
            score = (len(rows), ncol >= 2, dec == ".")
            if best is None or score > best[0]:
                best = (score, d, dec, start, stop, rows)
    if best is None or len(best[5]) < 3:
        raise QdlabInputError("no numeric data found: need at least 3 rows of "
                              "'wavelength, value[, value...]' (comma, tab, semicolon or "
                              "space separated)")
    return best[1:]


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
    lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
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
                 duplicates: str = "average", max_bytes: int = DEFAULT_MAX_BYTES
                 ) -> list[Spectrum]:
    """Read one or many spectra from a file path, bytes or text.

    Parameters
    ----------
    source : str, pathlib.Path, bytes or file-like
        A path to the file, its bytes, or its text (text must contain a line break).
    kind : {"auto", "absorbance", "transmittance_pct", "emission"}
        What the y columns hold. ``"auto"`` uses the header (``Abs``, ``%T``,
        ``Intensity``...), the vendor metadata, then the file name (``*emission*``,
        ``*abs*``); y values up to 5 are taken as absorbance; otherwise an error asks
        for ``kind``.
    x_unit : {"auto", "nm", "eV", "cm-1"}
        Unit of the first column; ``"auto"`` detects it from the header or values.
    delimiter : str, optional
        Force a delimiter (``","``, ``"\\t"``, ``";"``; ``" "`` for whitespace).
    decimal : {".", ","}, optional
        Force the decimal mark.
    duplicates : {"average", "error"}
        What to do with repeated wavelengths.
    max_bytes : int
        Size limit of the input in bytes (default 10 MB).

    Returns
    -------
    list of Spectrum
        One per y column (or per sample for Cary paired columns); wavelength in nm,
        ascending; %T converted to absorbance (A = 2 - log10 %T).

    Raises
    ------
    QdlabInputError
        Unreadable input, no numeric data, unknown units or kind, too large a file,
        duplicated wavelengths with ``duplicates="error"``, a column with no data.

    Notes
    -----
    Conversions: lambda[nm] = hc / E = 1239.84 / E[eV]; lambda[nm] = 1e7 / nu[cm^-1].
    Emission intensities given per unit energy are converted to per unit wavelength with
    I_lambda = I_E * E^2 / (hc) (the Jacobian; absorbance needs none).

    Examples
    --------
    >>> s = read_spectra("Energy (eV)\\tAbs\\n2.0\\t0.1\\n2.1\\t0.2\\n2.2\\t0.3\\n")[0]
    >>> s.kind, [round(float(v), 1) for v in s.wavelength_nm]
    ('absorbance', [563.6, 590.4, 619.9])
    """
    if kind not in ("auto", *KINDS):
        raise QdlabInputError(f"kind must be one of auto, {', '.join(KINDS)}, got {kind!r}")
    if x_unit not in ("auto", "nm", "eV", "cm-1"):
        raise QdlabInputError(f"x_unit must be one of auto, nm, eV, cm-1, got {x_unit!r}")
    if duplicates not in ("average", "error"):
        raise QdlabInputError(f"duplicates must be 'average' or 'error', got {duplicates!r}")
    if decimal not in (None, ".", ","):
        raise QdlabInputError(f"decimal must be '.' or ',', got {decimal!r}")
    text, name = _load_text(source, int(max_bytes))
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
    delim, dec, start, stop, rows = _detect_layout(lines, delimiter, decimal)
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
    ncol = max(len(r) for r in rows)
    data = np.full((len(rows), ncol), np.nan)
    for i, r in enumerate(rows):
        data[i, :len(r)] = r

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
        k = kind
        if k == "auto":
            k = _kind_from_text(yhead) or file_kind or name_kind
            if k is None:
                finite = y[np.isfinite(y)]
                if finite.size and np.nanmax(np.abs(finite)) <= 5.0:
                    k = "absorbance"
                    notes.append("kind not stated in the file; values <= 5 taken as absorbance")
                else:
                    raise QdlabInputError(
                        f"cannot tell whether column {label!r} is %T or emission intensity "
                        "(no unit in the header); pass kind='transmittance_pct' or "
                        "kind='emission'")
        s = _finish(x, y, label, k, xu, duplicates, dict(meta), notes)
        out.append(s)
    return out


def _finish(x, y, label, kind, xu, duplicates, meta, notes) -> Spectrum:
    ok = np.isfinite(x) & np.isfinite(y)
    nbad = int((~ok).sum())
    if nbad:
        x, y = x[ok], y[ok]
        if y.size:
            notes.append(f"{nbad} missing/NaN values dropped")
    if y.size < 3:
        raise QdlabInputError(f"column {label!r} has fewer than 3 valid (finite) points")
    # convert x to nm
    if xu == "eV":
        if np.any(x <= 0):
            raise QdlabInputError(f"column {label!r}: photon energy must be > 0 eV")
        lam = HC_EV_NM / x
        if kind == "emission":
            y = y * x**2 / HC_EV_NM
            notes.append("emission per eV converted to per nm (Jacobian E^2/hc)")
    elif xu == "cm-1":
        if np.any(x <= 0):
            raise QdlabInputError(f"column {label!r}: wavenumber must be > 0 cm^-1")
        lam = 1e7 / x
        if kind == "emission":
            y = y * x**2 / 1e7
            notes.append("emission per cm^-1 converted to per nm (Jacobian nu^2/1e7)")
    else:
        if np.any(x <= 0):
            raise QdlabInputError(f"column {label!r}: wavelength must be > 0 nm, got "
                                  f"{float(x[x <= 0][0]):g}")
        lam = x.astype(float)
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
    original_kind = kind
    if kind == "transmittance_pct":
        bad = y <= 0
        if np.any(bad):
            notes.append(f"{int(bad.sum())} points with %T <= 0 clipped to 1e-3 %T (A = 5)")
        if np.nanmax(y) > 110:
            notes.append(f"%T up to {np.nanmax(y):.4g} > 100: check that the column is %T")
        y = 2.0 - np.log10(np.clip(y, 1e-3, None))
        kind = "absorbance"
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
