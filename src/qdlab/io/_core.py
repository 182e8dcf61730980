"""Shared core of the spectrum readers: the Spectrum type, limits, input loading,
unit and kind detection, the physical screen and the final clean-up of a column.

Limits (refused in well under a second, before parsing): :data:`DEFAULT_MAX_BYTES`
(10 MB), :data:`MAX_ROWS` (500 000 lines), :data:`MAX_COLUMNS` (2000 columns).
Physical ranges: wavelength 150-5000 nm (:data:`WAVELENGTH_RANGE_NM`), |absorbance| <= 10
(:data:`MAX_ABS_ABSORBANCE`); points outside them or non-finite are dropped with a
:class:`SpectrumWarning`, a column that is mostly such points is refused.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError

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
        return "absorbance"     # too few finite values: screen_points refuses the column
    med = float(np.median(yf)) if yf.size else 0.0
    lo = float(np.percentile(yf, 1)) if yf.size else 0.0
    limit = MAX_ABS_ABSORBANCE if kind == "absorption" else 5.0
    # robust to a few wild points (1e300...: dropped later by the physical screen)
    if yf.size and float(np.percentile(np.abs(yf), 98)) <= limit:
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
            warnings.warn(f"{label}: {n}", SpectrumWarning, stacklevel=4)
    return Spectrum(wavelength_nm=np.ascontiguousarray(lam, dtype=float),
                    y=np.ascontiguousarray(y, dtype=float), label=str(label), kind=kind,
                    metadata=meta)
