r"""The result of a spectrum fit and its contract: numbers with their quality, or none.

:class:`FitResult` carries what :func:`qdlab.sizing.fit.fit_spectrum` found (peak,
mean diameter, dispersion, concentration, uncertainties, the fitted model) together
with its trust: ``quality`` (``good``, ``uncertain``, ``no feature``) and the
``reasons`` (:mod:`qdlab.sizing.quality`).  This module assembles the results that do
not come from the least-squares model: no feature (every number None), and the
published sizing curve alone for a material without forward optics; and it enforces
the contract of every fit (:func:`_guarded`): a finite result or one
:class:`~qdlab.errors.QdlabInputError`.

Notes
-----
A result from the sizing curve alone has the diameter of the published curve at the
measured first-exciton peak, :math:`d = d_{\rm curve}(\lambda_1)`, and, with an
absorbance scale, the Beer-Lambert concentration

.. math::

    c = \frac{A_1}{\epsilon_{\rm curve}(d)\,l},

:math:`A_1` the background-subtracted peak absorbance, :math:`l` the path (cm) and
:math:`\epsilon_{\rm curve}` the published extinction at the first peak (M^-1 cm^-1);
it is ``uncertain`` at best.  A concentration that is not finite and positive is
reported as None with a note, never as a number.

References
----------
.. [1] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano, "Re-examination
   of the size-dependent absorption properties of CdSe quantum dots",
   J. Phys. Chem. C 113, 19468 (2009).
.. [2] W. W. Yu, L. Qu, W. Guo, X. Peng, "Experimental determination of the extinction
   coefficient of CdTe, CdSe, and CdS nanocrystals", Chem. Mater. 15, 2854 (2003).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qdlab.errors import QdlabInputError
from qdlab.optics.peaks import NoExcitonicPeakError
from qdlab.sizing.modelfit import curve_extras
from qdlab.sizing.quality import NO_FEATURE, UNCERTAIN, null_reasons

__all__ = ["FitResult"]


@dataclass(frozen=True)
class FitResult:
    """Result of :func:`fit_spectrum` (diameters in nm, dispersion in %, molar units).

    Attributes
    ----------
    peak_nm, peak_uncertainty_nm : float
        Measured first-exciton peak and 1-sigma uncertainty, nm.
    diameter_nm, diameter_uncertainty_nm : float
        Fitted number-mean diameter and uncertainty, nm.
    dispersion_pct, dispersion_uncertainty_pct : float
        Fitted relative standard deviation of the diameter and uncertainty, %.
    concentration_M, concentration_uncertainty_M : float or None
        Particle concentration and uncertainty, mol/L (None without an absorbance scale).
    model_peak_nm : float
        First-exciton peak of the fitted model, nm.
    oscillator_scale : float
        Fitted (or fixed) band-edge scale ``s``.
    background : tuple
        (b0, b1) of the background b0 + b1 (lambda/peak)^-4 (absorbance).
    start : dict
        Stage-1 estimates (peak-based diameter, dispersion, concentration, and the
        published sizing-curve values).
    rms_residual : float
        Root-mean-square residual of the fit (absorbance).
    notes : tuple of str
    quality : {"good", "uncertain", "no feature"}
        Verdict of :mod:`qdlab.sizing.quality`; with ``"no feature"`` every number is
        None.
    reasons : tuple of str
        Why the result is not ``good`` (empty for ``good``).
    feature : dict
        The feature search: physical window, masked ranges with reasons, candidates,
        which one was taken and why (:class:`qdlab.sizing.features.FeatureSearch`).
    """

    material: str
    label: str
    path_cm: float
    peak_nm: float
    peak_uncertainty_nm: float
    diameter_nm: float
    diameter_uncertainty_nm: float
    dispersion_pct: float
    dispersion_uncertainty_pct: float
    concentration_M: float | None
    concentration_uncertainty_M: float | None
    model_peak_nm: float
    oscillator_scale: float
    oscillator_scale_fitted: bool
    background: tuple
    start: dict
    rms_residual: float
    fit_range_nm: tuple
    notes: tuple = ()
    mode: str = "band_edge"
    kind: str = "absorbance"
    quality: str = "good"
    reasons: tuple = ()
    feature: dict = field(default_factory=dict)
    wavelength_nm: np.ndarray = field(default=None, repr=False)
    absorbance: np.ndarray = field(default=None, repr=False)
    model_absorbance: np.ndarray = field(default=None, repr=False)

    def to_dict(self) -> dict:
        """JSON-ready dict: ``peak_nm``, ``diameter_nm``, ``dispersion_pct``,
        ``concentration_M`` first, then the extras (uncertainties, model peak, ...), and
        a ``<name>_reason`` for every number that is None
        (:func:`qdlab.sizing.quality.null_reasons`)."""
        def clean(v):
            if isinstance(v, (float, np.floating)):
                return float(v) if math.isfinite(v) else None
            if isinstance(v, tuple):
                return [clean(x) for x in v]
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items()}
            return v

        out = {"peak_nm": self.peak_nm, "diameter_nm": self.diameter_nm,
               "dispersion_pct": self.dispersion_pct, "concentration_M": self.concentration_M,
               "quality": self.quality, "reasons": list(self.reasons)}
        for k in ("peak_uncertainty_nm", "diameter_uncertainty_nm",
                  "dispersion_uncertainty_pct", "concentration_uncertainty_M",
                  "model_peak_nm", "oscillator_scale", "oscillator_scale_fitted",
                  "background", "rms_residual", "fit_range_nm", "material", "label",
                  "path_cm", "start", "notes", "mode", "kind", "feature"):
            out[k] = getattr(self, k)
        out = {k: clean(v) for k, v in out.items()}
        out.update(null_reasons(out))   # a None number always says why
        return out

    def plot(self, path) -> Path:
        """Write a PNG of the data and the fitted model overlaid, masked ranges shaded
        (atomic write; :func:`qdlab.sizing.series.plot_fit`).  Returns the path."""
        from qdlab.sizing.series import plot_fit

        return plot_fit(self, path)


def _guarded(func):
    """Contract of fit_spectrum: a finite result or one QdlabInputError.

    Numerical failures inside numpy/scipy (LinAlgError, overflow, ...) become a
    QdlabInputError naming the spectrum; a non-positive or non-finite concentration is
    reported as None with a note, never as a number.
    """
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        label = kwargs.get("label", "")
        try:
            with np.errstate(all="ignore"):
                res = func(*args, **kwargs)
        except (QdlabInputError, NoExcitonicPeakError):
            raise
        except (np.linalg.LinAlgError, FloatingPointError, OverflowError, ZeroDivisionError,
                ValueError, MemoryError) as exc:
            raise QdlabInputError(f"spectrum {label!r} could not be fitted: numerical failure "
                                  f"({type(exc).__name__}: {exc}); check that it is an "
                                  "absorbance spectrum of the given material") from None
        if res.quality == NO_FEATURE:   # every number None, by construction
            return res
        core = (res.peak_nm, res.diameter_nm)
        if not all(v is not None and math.isfinite(v) and v > 0 for v in core):
            raise QdlabInputError(f"spectrum {label!r} could not be fitted: non-finite or "
                                  "non-positive peak/diameter")
        c = res.concentration_M
        if c is not None and not (math.isfinite(c) and c > 0):
            res = dataclasses.replace(
                res, concentration_M=None, concentration_uncertainty_M=None,
                notes=res.notes + (f"concentration not determined (fit gave {c:.3g} M, not "
                                   "> 0): check the baseline, and that the file is "
                                   "absorbance (not %T)",))
        return res

    return wrapper


def _no_feature(x, y, material, path_cm, label, search, mode, reasons):
    nan = None
    res = FitResult(material=str(material), label=label, path_cm=float(path_cm),
                    peak_nm=nan, peak_uncertainty_nm=nan, diameter_nm=nan,
                    diameter_uncertainty_nm=nan, dispersion_pct=nan,
                    dispersion_uncertainty_pct=nan, concentration_M=nan,
                    concentration_uncertainty_M=nan, model_peak_nm=nan,
                    oscillator_scale=nan, oscillator_scale_fitted=False, background=(),
                    start={}, rms_residual=nan, fit_range_nm=(), notes=(), mode=mode,
                    wavelength_nm=x, absorbance=y, model_absorbance=np.full(x.size, np.nan),
                    quality=NO_FEATURE, reasons=tuple(reasons), feature=search.to_dict())
    return res


def _curve_only(x, y, material, path_cm, absolute, label, search, pk, reasons, mode):
    """Result from the published sizing curve alone (material without forward optics)."""
    st = curve_extras(material, pk, path_cm, absolute, x, y)
    if st.get("sizing_curve") is None:
        return _no_feature(x, y, material, path_cm, label, search, mode,
                           reasons + ["peak outside every sizing curve of the material"])
    if not st.get("sizing_curve_in_range", True):
        reasons.append(f"peak {pk.peak_nm:.1f} nm outside the calibrated range of "
                       f"{st['sizing_curve']}")
    nan = float("nan")
    conc = st.get("sizing_curve_concentration_M") if absolute else None
    return FitResult(
        material=str(material), label=label, path_cm=float(path_cm),
        peak_nm=float(pk.peak_nm), peak_uncertainty_nm=float(pk.peak_uncertainty_nm),
        diameter_nm=float(st["sizing_curve_diameter_nm"]), diameter_uncertainty_nm=nan,
        dispersion_pct=st.get("sizing_curve_dispersion_pct", nan),
        dispersion_uncertainty_pct=nan, concentration_M=conc,
        concentration_uncertainty_M=None if conc is None else nan, model_peak_nm=nan,
        oscillator_scale=nan, oscillator_scale_fitted=False, background=pk.background,
        start=st, rms_residual=nan, fit_range_nm=(), notes=tuple(pk.notes), mode="curve",
        wavelength_nm=x, absorbance=y, model_absorbance=np.full(x.size, np.nan),
        quality=UNCERTAIN,
        reasons=tuple(reasons), feature=search.to_dict())


def _with_input_notes(res, input_notes):
    """The result with the input guard's notes (dropped or binned points) first."""
    if not input_notes:
        return res
    return dataclasses.replace(res, notes=tuple(input_notes) + tuple(res.notes))
