"""Spectrum readers: moved to :mod:`qdlab.io` (one module per instrument family).

This module re-exports the public names so that existing imports keep working::

    from qdlab.optics.spectrum_io import read_spectra, Spectrum, SpectrumWarning
"""

from qdlab.io import (  # noqa: F401
    DEFAULT_MAX_BYTES,
    KINDS,
    MAX_ABS_ABSORBANCE,
    MAX_ABS_EMISSION,
    MAX_COLUMNS,
    MAX_ROWS,
    WAVELENGTH_RANGE_NM,
    Spectrum,
    SpectrumWarning,
    bin_spectrum,
    read_spectra,
    screen_points,
)

__all__ = ["KINDS", "Spectrum", "SpectrumWarning", "read_spectra", "DEFAULT_MAX_BYTES",
           "MAX_ROWS", "MAX_COLUMNS", "WAVELENGTH_RANGE_NM", "MAX_ABS_ABSORBANCE",
           "MAX_ABS_EMISSION", "screen_points", "bin_spectrum"]
