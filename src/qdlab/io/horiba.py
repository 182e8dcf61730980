"""Horiba LabSpec exports (LabRAM HR Evolution and other LabSpec 6 instruments).

LabSpec writes a header of ``#Key=<TAB>value`` lines (``#Acq. time (s)=``,
``#Instrument=	LabRAM HR Evol``, ``#Laser (nm)=	405``, ``#Range (nm)=	425...625``,
``#Title=``...), then either

- one spectrum: ``x<TAB>intensity`` rows, or
- a series or map: a first row of x values after an empty cell, then one row per
  spectrum (``index<TAB>v1<TAB>v2...``); it is read as one spectrum per row, labelled
  ``"<Title> #<index>"``.

The x axis is a wavelength in nm when the header says so (``Range (nm)``,
``AxisUnit[1]=nm``); LabSpec's Raman-shift exports (cm^-1 relative to the laser line,
starting near 0) are not optical spectra on an absolute axis and are refused with the
reason.  Intensities are detector counts of light emitted under laser excitation, so the
kind is ``"emission"``; the laser wavelength is kept as ``metadata["excitation_nm"]``.
"""

from __future__ import annotations

import re

from qdlab.errors import QdlabInputError

NAME = "horiba"
_KEY = re.compile(r"^#([^=\n]{1,80})=\t?(.*)$")
_DETECT = re.compile(r"^#(Acq\. time \(s\)|Instrument|AxisType\[\d\])=", re.M)


def detect(head: str) -> bool:
    """True for a LabSpec header (``#Acq. time (s)=``, ``#Instrument=``, ``#AxisType[0]=``)."""
    return len(_DETECT.findall(head)) >= 2 or bool(re.search(r"^#Instrument=\s*LabRAM",
                                                             head, re.M))


def _fields(line: str) -> list[str]:
    return line.rstrip("\r").split("\t")


def _nm_axis(meta: dict) -> bool:
    return any(re.match(r"Range\s*\(nm\)", k) for k in meta) or any(
        k.startswith("AxisUnit[1]") and v.strip().lower() == "nm" for k, v in meta.items())


def section(lines: list[str], meta: dict) -> list[str]:
    """Header into ``meta``; the data rows, a series/map transposed to one column each."""
    b = 0
    while b < len(lines) and (lines[b].startswith("#") or not lines[b].strip()):
        m = _KEY.match(lines[b].rstrip("\r"))
        if m:
            meta[m.group(1).strip()] = m.group(2).strip()
        b += 1
    rows = [ln for ln in lines[b:] if ln.strip()]
    laser = meta.get("Laser (nm)", "")
    try:
        meta["excitation_nm"] = float(laser)
    except ValueError:
        pass
    matrix = bool(rows) and rows[0].startswith("\t") and len(_fields(rows[0])) > 3
    first_x = _fields(rows[0])[1] if matrix else (_fields(rows[0])[0] if rows else "")
    try:
        x0 = float(first_x)
    except ValueError:
        x0 = float("nan")
    if not _nm_axis(meta) and x0 < 150.0:
        raise QdlabInputError(
            f"Horiba LabSpec export with an x axis starting at {x0:g}: a Raman shift in "
            "cm^-1 relative to the laser line, not a wavelength; export the spectrum in nm")
    if not matrix:
        return rows
    xs = _fields(rows[0])[1:]
    title = meta.get("Title", "") or "spectrum"
    spectra = [_fields(r) for r in rows[1:]]
    labels = [f"{title} #{s[0].strip()}" for s in spectra]
    meta["layout"] = "LabSpec series/map: one spectrum per row"
    out = ["\t".join(["wavelength (nm)"] + labels)]
    for j, x in enumerate(xs):
        out.append("\t".join([x] + [s[j + 1] if j + 1 < len(s) else "" for s in spectra]))
    return out


def file_kind(meta: dict) -> str | None:
    """LabSpec records light collected under laser excitation: emission."""
    return "emission"


def x_hints(lines, meta) -> list[str]:
    return ["nm"] if _nm_axis(meta) else []


def label(meta: dict) -> str | None:
    """The ``#Title=`` of a single-spectrum export."""
    return meta.get("Title") or None
