"""Read measured optical spectra (absorbance, %T, emission) from instrument exports.

One entry point, :func:`read_spectra`, dispatches to one module per instrument family:
:mod:`~qdlab.io.generic` (plain and many-column CSV/TSV/TXT), :mod:`~qdlab.io.ocean_optics`,
:mod:`~qdlab.io.jasco`, :mod:`~qdlab.io.cary`, :mod:`~qdlab.io.shimadzu`,
:mod:`~qdlab.io.perkinelmer`, :mod:`~qdlab.io.horiba`, :mod:`~qdlab.io.fluoressence`,
:mod:`~qdlab.io.edinburgh` and :mod:`~qdlab.io.excel` (``.xlsx``).

:func:`read_spectra` takes a path, bytes or text and returns a list of
:class:`Spectrum` (wavelength in nm, ascending). It understands

- plain CSV / TSV / TXT tables (comma, tab, semicolon or whitespace delimited, decimal
  comma when unambiguous), one x column and one or more y columns (e.g. a kinetics
  series with headers such as ``"30 s"``), any line ending, UTF-8 BOM, UTF-16;
- Ocean Optics SpectraSuite / OceanView exports (``>>>>>Begin Spectral Data<<<<<``);
- JASCO exports (``XYDATA`` with ``XUNITS`` / ``YUNITS`` header);
- Agilent Cary exports (sample-name row, then ``Wavelength (nm),Abs`` pairs per sample);
- Shimadzu UVProbe text exports (quoted ``"Wavelength nm.","Abs."`` header);
- PerkinElmer ASCII (``#DATA`` section after a header);
- Horiba LabSpec exports (``#Key=`` header, single spectra and series);
- Edinburgh Instruments F900/F980/Fluoracle exports (``Labels``, ``Type``, ``Xaxis``,
  ``Yaxis`` rows, one value per curve), see :mod:`~qdlab.io.edinburgh`.
- Horiba FluorEssence worksheet exports (FluoroMax / Fluorolog: short-name, long-name and
  units rows), see :mod:`~qdlab.io.fluoressence`.

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
:class:`~qdlab.errors.QdlabInputError`; fixable problems (unsorted or duplicated
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

import os
from pathlib import Path

import numpy as np

from qdlab.errors import QdlabInputError
from qdlab.io._core import (
    DEFAULT_MAX_BYTES,
    KINDS,
    MAX_ABS_ABSORBANCE,
    MAX_ABS_EMISSION,
    MAX_COLUMNS,
    MAX_ROWS,
    WAVELENGTH_RANGE_NM,
    Spectrum,
    SpectrumWarning,
    _load_text,
    bin_spectrum,
    screen_points,
)

__all__ = ["KINDS", "Spectrum", "SpectrumWarning", "read_spectra", "DEFAULT_MAX_BYTES",
           "MAX_ROWS", "MAX_COLUMNS", "WAVELENGTH_RANGE_NM", "MAX_ABS_ABSORBANCE",
           "MAX_ABS_EMISSION", "screen_points", "bin_spectrum"]


def _excel_bytes(source, max_bytes: int):
    """(raw bytes, name) if the source is an .xlsx/.xlsm workbook, else None."""
    from qdlab.io.excel import _ZIP_MAGIC, EXCEL_SUFFIXES

    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
        return (raw, "") if raw[:4] == _ZIP_MAGIC else None
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source
                                    and len(source) < 4096 and os.path.isfile(source)):
        p = Path(source)
        if not p.is_file():
            return None
        with open(p, "rb") as fh:
            magic = fh.read(4)
        if p.suffix.lower() in EXCEL_SUFFIXES or magic == _ZIP_MAGIC:
            size = p.stat().st_size
            if size > max_bytes:
                raise QdlabInputError(f"spectrum file {p.name!r} is {size / 1e6:.1f} MB; the "
                                      f"limit is {max_bytes / 1e6:g} MB (pass max_bytes= to "
                                      "raise it)")
            return p.read_bytes(), p.name
    return None


def read_spectra(source, *, sheet: str | None = None, kind: str = "auto",
                 x_unit: str = "auto", delimiter: str | None = None,
                 decimal: str | None = None, duplicates: str = "average",
                 max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = MAX_ROWS,
                 max_columns: int = MAX_COLUMNS) -> list[Spectrum]:
    """Read one or many spectra from a file path, bytes or text.

    Parameters
    ----------
    source : str, pathlib.Path, bytes or file-like
        A path to the file, its bytes, or its text (text must contain a line break).
        ``.xlsx``/``.xlsm`` workbooks (by suffix or content) are read with openpyxl.
    sheet : str, optional
        Workbooks only: the sheet to read (default: every sheet holding spectra).
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
        One per y column (or per sample for Cary paired columns, per column of every
        sheet of a workbook, labelled by the column header); wavelength in nm,
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
    opts = dict(kind=kind, x_unit=x_unit, decimal=decimal, duplicates=duplicates)
    xl = _excel_bytes(source, int(max_bytes))
    if xl is not None:
        from qdlab.io.excel import read_excel_spectra

        return read_excel_spectra(xl[0], xl[1], sheet=sheet, max_rows=int(max_rows),
                                  max_columns=int(max_columns), **opts)
    if sheet is not None:
        raise QdlabInputError(f"sheet={sheet!r} applies to .xlsx workbooks only")
    from qdlab.io.generic import read_text_spectra

    text, name = _load_text(source, int(max_bytes), int(max_rows))
    if not text.strip():
        raise QdlabInputError("spectrum input is empty")
    return read_text_spectra(text, name, delimiter=delimiter, max_rows=int(max_rows),
                             max_columns=int(max_columns), **opts)
