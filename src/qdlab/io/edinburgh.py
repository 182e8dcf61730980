"""Edinburgh Instruments spectrometer exports (F900 / F980 and Fluoracle software:
FLS920, FLS980, FLS1000, FS5).

The ASCII export (``.txt`` tab separated, ``.csv`` comma separated, each row ending in the
separator) is a block of ``Key<sep>value<sep>...`` rows with one value per exported
curve, an empty line, then the points ``x<sep>y1<sep>y2...``::

    Labels        EmScan9            (curve names)
    Type          Emission Scan      (Emission / Excitation / Synchronous Scan, ...)
    Start, Stop, Step                (scan range of the scanned monochromator, nm)
    Fixed/Offset  350.00             (the fixed monochromator: the excitation wavelength
                                      of an emission scan, the emission wavelength of an
                                      excitation scan; negative when unused, e.g. with a
                                      pulsed diode laser as the source)
    Xaxis         Wavelength
    Yaxis         Counts
    ... Repeats, Dwell Time, Lamp, Temp, slits, Detector

A multi-curve export may start with a map index line (``M0``) before ``Labels``.  The
curves are labelled by their ``Labels`` cells (not by the last header row, which is the
detector).  A header value that is the same for every curve is kept as a string in
``Spectrum.metadata``, otherwise as the list of the per-curve values.  Counts of an
emission, excitation or synchronous scan are an intensity: the kind is ``"emission"``;
the excitation wavelength of an emission scan is kept as ``metadata["excitation_nm"]``
(``metadata["emission_nm"]`` for an excitation scan) when all curves share it.  Exports on a time axis
(``XAxis<sep>Time(ns)``: decays, instrument responses) are not spectra and are refused
with the reason.
"""

from __future__ import annotations

import re

from qdlab.errors import QdlabInputError
from qdlab.io._core import _kind_from_text

NAME = "edinburgh"
_DETECT = (re.compile(r"^Labels[\t,]", re.M), re.compile(r"^Type[\t,]", re.M),
           re.compile(r"^XAxis[\t,]", re.M | re.I), re.compile(r"^YAxis[\t,]", re.M | re.I))


def detect(head: str) -> bool:
    """True for an F900/F980/Fluoracle header: ``Labels``, ``Type``, ``Xaxis``, ``Yaxis`` rows."""
    return all(p.search(head) for p in _DETECT)


def _cells(line: str, sep: str) -> list[str]:
    cells = line.rstrip("\r").split(sep)
    if cells and cells[-1].strip() == "":      # every row ends with the separator
        cells = cells[:-1]
    return [c.strip() for c in cells]


def _number(s: str) -> float | None:
    try:
        return float(s)
    except ValueError:
        return None


def section(lines: list[str], meta: dict) -> list[str]:
    """Header rows into ``meta``; a column-header row of the curve labels, then the points."""
    start = next(i for i, ln in enumerate(lines) if re.match(r"Labels[\t,]", ln))
    sep = "\t" if "\t" in lines[start] else ","
    header: dict[str, list[str]] = {}
    i = start
    while i < len(lines) and lines[i].strip().strip(sep):
        cells = _cells(lines[i], sep)
        if _number(cells[0]) is not None:       # no empty line before the points
            break
        header[cells[0]] = cells[1:]
        i += 1
    labels = header.get("Labels") or [""]
    ncurves = max(len(labels), 1)
    for k, vals in header.items():
        vals = vals + [""] * (ncurves - len(vals)) if len(vals) < ncurves else vals
        meta[k] = vals[0] if len(set(vals)) <= 1 else vals
    meta["instrument"] = "Edinburgh Instruments (F900/F980/Fluoracle export)"
    xaxis = meta.get("Xaxis", meta.get("XAxis", ""))
    xaxis = xaxis if isinstance(xaxis, str) else xaxis[0]
    if re.search(r"time|\(n?s\)", xaxis, re.I):
        raise QdlabInputError(
            f"Edinburgh Instruments export on a time axis (XAxis '{xaxis}', Type "
            f"'{meta.get('Type', '')}'): a decay, not a spectrum on a wavelength axis")
    scan = meta.get("Type", "")
    fixed = meta.get("Fixed/Offset", "")
    if isinstance(scan, str) and isinstance(fixed, str):
        f = _number(fixed)
        if f is not None and f > 0.0:
            if re.search(r"emission scan", scan, re.I):
                meta["excitation_nm"] = f
            elif re.search(r"excitation scan", scan, re.I):
                meta["emission_nm"] = f
    rows = [ln for ln in lines[i:] if ln.strip().strip(sep)]
    col = [xaxis or "x"] + [lab or f"y{j + 1}" for j, lab in enumerate(labels)]
    return [sep.join(col)] + rows


def file_kind(meta: dict) -> str | None:
    """``"emission"`` for the counts of a scan; else what the ``Yaxis`` row says."""
    y = meta.get("Yaxis", meta.get("YAxis", ""))
    y = y if isinstance(y, str) else " ".join(y)
    scan = meta.get("Type", "")
    scan = scan if isinstance(scan, str) else " ".join(scan)
    if re.search(r"counts|cps|intensity", y, re.I) and re.search(r"scan", scan, re.I):
        return "emission"
    return _kind_from_text(y)


def y_header(meta: dict, j: int) -> str:
    """The ``Yaxis`` cell of curve ``j`` (the kind is read from it, not from the label)."""
    y = meta.get("Yaxis", meta.get("YAxis", ""))
    return y if isinstance(y, str) else (y[j] if j < len(y) else "")


def x_hints(lines, meta) -> list[str]:
    """The ``Xaxis`` row: ``Wavelength`` is in nm."""
    x = meta.get("Xaxis", meta.get("XAxis", ""))
    x = x if isinstance(x, str) else x[0]
    return ["nm"] if re.fullmatch(r"\s*wavelength\s*(\(nm\))?\s*", x, re.I) else [x]


def label(meta: dict) -> str | None:
    """The ``Labels`` cell of a single-curve export."""
    lab = meta.get("Labels")
    return lab if isinstance(lab, str) and lab else None
