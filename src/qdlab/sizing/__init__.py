"""qdlab.sizing: published empirical sizing curves and sizing of measured spectra.

Public API
----------
- :data:`SIZING_METHODS` (the named, cited registry of published curves), :func:`curves_for`,
  :func:`get_curve`, :func:`available_materials`, :class:`SizingCurve`
  (:mod:`qdlab.sizing.curves`): each published curve with citation and calibration range.
- :func:`size_from_peak` -> :class:`SizeResult` (:mod:`qdlab.sizing.estimate`).
- :func:`size_spectra_batch` (:mod:`qdlab.sizing.batch`): vectorised peak + size +
  dispersion + concentration for many spectra on a common wavelength grid.
- Measured spectra (:func:`qdlab.sizing.fit.fit_spectrum` uses them):
  :mod:`qdlab.sizing.features` (physical window, masks, candidates),
  :mod:`qdlab.sizing.quality` (verdict), :mod:`qdlab.sizing.modelfit` (model stages),
  :mod:`qdlab.sizing.series` (artefacts, fading, tables, growth plot),
  :mod:`qdlab.sizing.emission` (PL size and dispersion, Stokes shift).

Examples
--------
>>> from qdlab.sizing import size_from_peak
>>> round(size_from_peak("CdTe", 600.0).diameter_nm, 3)
3.662
"""

from qdlab.sizing.batch import BatchSizeResult, size_spectra_batch
from qdlab.sizing.curves import (
    CURVES,
    SIZING_METHODS,
    SizingCurve,
    available_materials,
    curves_for,
    get_curve,
)
from qdlab.sizing.estimate import RECOMMENDED, MethodResult, SizeResult, size_from_peak

__all__ = [
    "CURVES",
    "RECOMMENDED",
    "SIZING_METHODS",
    "BatchSizeResult",
    "MethodResult",
    "SizeResult",
    "SizingCurve",
    "available_materials",
    "curves_for",
    "get_curve",
    "size_from_peak",
    "size_spectra_batch",
]
