r"""Fit measured absorption spectra: mean size, size dispersion, concentration.

:func:`fit_spectrum` analyses one absorbance spectrum in three stages.

0. *Physically bounded search* (:mod:`qdlab.sizing.features`): the first exciton is
   looked for only inside the wavelengths the material's model can give over its
   diameter range at the given temperature (:func:`~qdlab.sizing.features.model_window_nm`)
   and only in reliable data -- saturated or clipped ranges, negative baselines,
   detector edges and artefacts common to a batch are masked, each with its reason.
   The lowest-energy maximum or shoulder above 5 sigma of the noise is taken; competing
   candidates are reported.  No feature: the result has ``quality == "no feature"`` and
   no numbers.
1. *Robust start* from the first excitonic peak
   (:func:`qdlab.optics.peaks.first_exciton_peak`: peak wavelength, red-side HWHM,
   background-subtracted peak absorbance).  The mean diameter is the model size
   whose ensemble peak falls at the measured peak; the dispersion follows from the
   HWHM after removing the homogeneous width,
   :math:`\sigma_E = \sqrt{\mathrm{HWHM}^2 - (\Gamma/2)^2}/\sqrt{2\ln 2}`,
   :math:`\sigma_d/d = \sigma_E/(d\,|dE_1/dd|)`; the concentration from the peak
   absorbance and the model extinction.  The published-curve estimate
   (:func:`qdlab.sizing.size_from_peak`, Jasieniak 2009 for CdSe) is reported
   alongside (``sizing_curve_*`` extras).
2. *Least squares of the ensemble model* (:class:`qdlab.optics.ensemble.Ensemble`,
   :func:`scipy.optimize.least_squares`) over the mean diameter :math:`\bar d` and the
   relative dispersion :math:`\delta`; the amplitudes enter linearly and are eliminated
   by variable projection (bounded linear least squares at every step).

   ``mode="band_edge"`` (default, robust on real spectra): the fit window runs from
   the red end of the spectrum to ``window_eV`` (0.2 eV) above the measured peak,

   .. math::

       A(\lambda) = a\,l\,\epsilon_{disc}(\lambda; \bar d, \delta)
                   + a'\,l\,\epsilon_{cont} + b_0 + b_1 (\lambda/\lambda_1)^{-4}
                   + b_2\,(E - E_1)_+ ,

   where the non-negative ramp :math:`b_2` absorbs the unresolved higher transitions
   (1S-2S3/2, 1S-1S1/2 ...) that the single-band model places elsewhere.  The
   concentration then comes from the bulk-like continuum, 0.3 eV above its onset,
   where the extinction follows the volume law (Hens & Moreels 2012): with the band-edge
   part fixed, :math:`A - a\,l\,\epsilon_{disc} = c\,l\,\epsilon_{cont} + b_0 + b_1 u` is
   solved on that region together with the transparent red tail (which pins the
   scattering background).  The band-edge scale :math:`s = a/c` is the ratio of measured
   to single-band oscillator strength (0.4-0.5 on the reference CdSe series).  If the
   spectrum stops short of the continuum, :math:`c = a` (s = 1, noted).

   ``mode="full"``: the whole spectrum (above 300 nm) with
   :math:`A = c\,l\,[s\,\epsilon_{disc} + \epsilon_{cont}] + b_0 + b_1 u`;
   :math:`s` is fitted when the data reach 0.5 eV into the continuum
   (``fit_oscillator_scale="auto"``).  Exact for spectra of the model; on real
   spectra the single-band higher transitions bias it (model peaks 24-30 nm median
   off the authors' peaks on the reference series, against 1.4-2.6 nm for
   ``"band_edge"``), hence the default.

   Uncertainties (1 sigma) come from the covariance :math:`s^2 (J^TJ)^{-1}` of a joint
   linearisation in all parameters; the concentration uncertainty adds the volume-law
   propagation :math:`3\,\sigma_d/d`.

``peak_nm`` is the measured first-exciton peak (stage 1); ``model_peak_nm`` the peak
of the fitted ensemble model.  Every result carries ``quality`` (``good``,
``uncertain``, ``no feature``) and ``reasons`` (:mod:`qdlab.sizing.quality`); when the
fitted model cannot put its peak at the measured one, the stage-1 values are reported
(``uncertain``).  Materials without forward optics (PbS, PbSe, CdS today) are sized with
their published sizing curve, ``uncertain`` at best.  ``concentration_M`` is None when ``absolute=False``
(normalised data: no absorbance scale).

References
----------
.. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012).
.. [2] J. Jasieniak et al., J. Phys. Chem. C 113, 19468 (2009).

Examples
--------
>>> import numpy as np
>>> from qdlab.optics.ensemble import Ensemble, SizeDistribution
>>> wl = np.arange(350.0, 700.0, 1.0)
>>> ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 7.0))
>>> a = ens.absorbance(wl, 2e-6) + 0.01
>>> res = fit_spectrum(wl, a, "CdSe")
>>> round(res.diameter_nm, 2), round(res.dispersion_pct, 1), round(res.concentration_M * 1e6, 3)
(4.0, 7.0, 2.0)
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, check_positive
from qdlab.optics.ensemble import Ensemble, SizeDistribution, TransitionTable, model_table
from qdlab.optics.peaks import NoExcitonicPeakError, first_exciton_peak
from qdlab.sizing.features import LINEAR_LIMIT_A, model_window_nm, search_feature
from qdlab.sizing.modelfit import (
    D_MAX,
    D_MIN,
    ProjectedFit,
    conc_uncertainty,
    curve_extras,
    fit_window,
    stage2,
    start_values,
    uncertainties,
)
from qdlab.sizing.quality import (
    NO_FEATURE,
    PEAK_SIZE_TOL,
    UNCERTAIN,
    feature_checks,
    model_checks,
    null_reasons,
    verdict,
    warn_uncertain,
)
from qdlab.sizing.series import batch_artefacts, mark_fading, results_table, write_table
from qdlab.structures import Medium

__all__ = [
    "FitResult",
    "fit_spectra",
    "fit_spectrum",
    "model_table",
    "results_table",
    "write_table",
]

_D_MIN, _D_MAX = D_MIN, D_MAX


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


#: Spectra denser than this are averaged into this many wavelength bins before fitting.
MAX_FIT_POINTS = 1000


def _clean_input(wavelength_nm, absorbance, notes=None):
    """Input guard: 1-D arrays, finite points in the physical ranges (wavelength
    150-5000 nm, |A| <= 10; others dropped with a note, refused if more than half),
    ascending without duplicates, at most MAX_FIT_POINTS (denser spectra are binned)."""
    from qdlab.optics.spectrum_io import bin_spectrum, screen_points

    try:
        x = np.asarray(wavelength_nm, dtype=float)
        y = np.asarray(absorbance, dtype=float)
    except (TypeError, ValueError):
        raise QdlabInputError("wavelength_nm and absorbance must be numeric arrays") from None
    if x.ndim != 1 or y.shape != x.shape:
        raise QdlabInputError(f"wavelength_nm and absorbance must be 1-D arrays of the same "
                              f"length, got shapes {x.shape} and {y.shape}")
    if x.size < 20:
        raise QdlabInputError(f"need at least 20 points to fit a spectrum, got {x.size}")
    x, y, dropped = screen_points(x, y, "absorbance", "absorbance")
    if notes is not None:
        notes.extend(dropped)
    if x.size < 20:
        raise QdlabInputError(f"need at least 20 usable points to fit a spectrum, got {x.size}")
    order = np.argsort(x)
    x, y = x[order], y[order]
    if np.any(np.diff(x) <= 0):
        raise QdlabInputError("wavelength_nm has duplicated values")
    if x.size > MAX_FIT_POINTS:
        n0 = x.size
        x, y = bin_spectrum(x, y, MAX_FIT_POINTS)
        if notes is not None:
            notes.append(f"{n0} points averaged into {x.size} wavelength bins of "
                         f"{(x[-1] - x[0]) / MAX_FIT_POINTS:.2g} nm before fitting")
    return x, y


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


class _Model:
    """Ensemble components on a fixed wavelength grid for given (d, dispersion)."""

    def __init__(self, table, material, lam, distribution, temperature, medium, n_nodes):
        self.table, self.material, self.lam = table, material, lam
        self.kind, self.temperature, self.medium, self.n_nodes = (distribution, temperature,
                                                                 medium, n_nodes)

    def ensemble(self, d, disp, scale=1.0):
        dist = (SizeDistribution.lognormal(d, disp) if self.kind == "lognormal"
                else SizeDistribution.normal(d, disp))
        return Ensemble(self.material, dist, medium=self.medium, temperature=self.temperature,
                        table=self.table, n_nodes=self.n_nodes, oscillator_scale=scale)

    def components(self, d, disp):
        ens = self.ensemble(d, disp)
        _, disc, cont = ens.absorption_cross_section(self.lam, components=True)
        k = 6.02214076e23 / (1000.0 * math.log(10.0))
        return disc * k, cont * k


def _check_options(path_cm, distribution, mode, window_eV, fit_oscillator_scale):
    check_positive(path_cm, "path_cm", "cm")
    if distribution not in ("normal", "lognormal"):
        raise QdlabInputError(f"distribution must be 'normal' or 'lognormal', got "
                              f"{distribution!r}")
    if mode not in ("band_edge", "full"):
        raise QdlabInputError(f"mode must be 'band_edge' or 'full', got {mode!r}")
    check_positive(window_eV, "window_eV", "eV")
    if fit_oscillator_scale not in ("auto", True, False):
        raise QdlabInputError(f"fit_oscillator_scale must be 'auto', True or False, got "
                              f"{fit_oscillator_scale!r}")


def _table_or_reason(material, table, medium, temperature):
    """Forward-model table, or (None, reason) for a material without forward optics."""
    if table is not None:
        return table, None
    try:
        return model_table(material, medium=medium, temperature=temperature), None
    except QdlabInputError as exc:
        from qdlab.sizing.curves import curves_for

        curves_for(material)  # no sizing curve either: the error names the known ones
        return None, (f"no forward optics for {material} ({exc}): sized with the "
                      "published sizing curve only")


def _search(x, y, material, table, temperature, artefacts, linear_limit, search_range_nm):
    if search_range_nm is not None:
        lo, hi, src = float(search_range_nm[0]), float(search_range_nm[1]), "user"
    else:
        lo, hi, src = model_window_nm(material, temperature=temperature, table=table)
    return search_feature(x, y, (lo, hi), window_source=src, artefacts=tuple(artefacts),
                          linear_limit=linear_limit)


def _refine_peak(x, y, search):
    """Peak fit (:func:`first_exciton_peak`) on the reliable span around the candidate."""
    c = search.chosen
    # a local piece of the reliable span, so that the finder's relative thresholds
    # (fractions of the absorbance range) refer to this feature, not the whole spectrum
    span = ((x >= max(search.span_nm[0], c.wavelength_nm - 60.0))
            & (x <= min(search.span_nm[1], c.wavelength_nm + 150.0)))
    # the band centre (second-derivative minimum) of a maximum on a rising continuum lies
    # up to ~30 nm to the red of the smoothed maximum
    lo, hi = c.wavelength_nm - 12.0, c.wavelength_nm + (35.0 if c.kind == "maximum" else 12.0)
    pk = first_exciton_peak(x[span], y[span], on_missing="flag", search_range_nm=(lo, hi))
    if pk.found and lo - 3.0 <= pk.peak_nm <= hi + 3.0:
        return pk, []
    return pk, [f"peak fit did not converge near the {c.kind} at {c.wavelength_nm:.1f} nm"]


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


@_guarded
def fit_spectrum(wavelength_nm, absorbance, material, path_cm: float = 1.0, *,
                 absolute: bool = True, distribution: str = "normal",
                 fit_range_nm=None, fit_oscillator_scale="auto",
                 medium: Medium | None = None, temperature: float = 300.0,
                 table: TransitionTable | None = None, label: str = "",
                 mode: str = "band_edge", window_eV: float = 0.20,
                 n_nodes: int | None = None, search_range_nm=None,
                 linear_limit: float = LINEAR_LIMIT_A, artefacts=(),
                 warn: bool = True) -> FitResult:
    """Fit one absorbance spectrum: peak, mean diameter, dispersion, concentration, quality.

    Parameters
    ----------
    wavelength_nm : array_like
        Wavelengths, nm (any order, no duplicates).
    absorbance : array_like
        Absorbance (base 10).
    material : str
        Core material (``"CdSe"``; any material with forward optics or a sizing curve).
    path_cm : float
        Cuvette path length, cm.
    absolute : bool
        False for normalised spectra (no absorbance scale): ``concentration_M`` is None.
    distribution : {"normal", "lognormal"}
        Shape of the size distribution.
    fit_range_nm : (float, float), optional
        Usable wavelength range of the model fit, nm (default: the reliable span that
        holds the feature, above 300 nm).
    fit_oscillator_scale : {"auto", True, False}
        ``mode="full"`` only: fit the band-edge scale ``s`` (see module notes).
    mode : {"band_edge", "full"}
        Fit window and concentration method (see module notes).
    window_eV : float
        ``mode="band_edge"``: the window extends this far above the peak, eV.
    medium, temperature
        Ligands/solvent and temperature (K) of the model.
    table : TransitionTable, optional
        Precomputed :func:`model_table` (saves ~0.5 s per call).
    label : str
        Sample label carried into the result.
    n_nodes : int
        Quadrature nodes of the size distribution.
    search_range_nm : (float, float), optional
        Where to look for the first exciton, nm (default: the physical window of the
        material, :func:`qdlab.sizing.features.model_window_nm`).
    linear_limit : float
        Highest absorbance taken as linear (default 2.5).
    artefacts : tuple of MaskedRegion
        Batch artefacts to mask (:func:`qdlab.sizing.features.common_artefacts`).
    warn : bool
        Issue a :class:`~qdlab.sizing.quality.FitQualityWarning` for ``uncertain``.

    Returns
    -------
    FitResult
        With ``quality`` ("good", "uncertain", "no feature") and ``reasons``; without a
        feature every number is None.

    Raises
    ------
    QdlabInputError
        Bad arrays or options; a material with neither forward optics nor a sizing curve.
    """
    _check_options(path_cm, distribution, mode, window_eV, fit_oscillator_scale)
    input_notes: list[str] = []
    x, y = _clean_input(wavelength_nm, absorbance, input_notes)
    medium = medium if medium is not None else Medium()
    table, no_optics = _table_or_reason(material, table, medium, temperature)
    search = _search(x, y, material, table, temperature, artefacts, linear_limit,
                     search_range_nm)
    if search.chosen is None:
        res = _no_feature(x, y, material, path_cm, label, search, mode, [search.choice])
        return _with_input_notes(res, input_notes)
    pk, reasons = _refine_peak(x, y, search)
    if not pk.found:
        res = _no_feature(x, y, material, path_cm, label, search, mode, reasons)
        return _with_input_notes(res, input_notes)
    reasons = feature_checks(search) + reasons
    if no_optics:
        res = _curve_only(x, y, material, path_cm, absolute, label, search, pk,
                          reasons + [no_optics], mode)
        if warn:
            warn_uncertain(label, res.reasons)
        return _with_input_notes(res, input_notes)
    res = _model_fit(x, y, material, path_cm, table, pk, search, medium, temperature,
                     distribution, fit_range_nm, mode, window_eV, fit_oscillator_scale,
                     n_nodes, absolute, label, reasons)
    if warn and res.quality == UNCERTAIN:
        warn_uncertain(label, res.reasons)
    return _with_input_notes(res, input_notes)


def _with_input_notes(res, input_notes):
    """The result with the input guard's notes (dropped or binned points) first."""
    if not input_notes:
        return res
    return dataclasses.replace(res, notes=tuple(input_notes) + tuple(res.notes))


def _model_fit(x, y, material, path_cm, table, pk, search, medium, temperature,
               distribution, fit_range_nm, mode, window_eV, fit_oscillator_scale, n_nodes,
               absolute, label, reasons):
    """Stages 1 and 2 of the module notes, and the quality checks of the model."""
    notes = []
    e_pk = HC_EV_NM / pk.peak_nm
    lam, a = fit_window(x, y, search, fit_range_nm)
    model = _Model(table, material, lam, distribution, temperature, medium, n_nodes)
    d0, disp0 = start_values(model, table, e_pk, pk.hwhm_eV, temperature)
    start = {"diameter_nm": d0, "dispersion_pct": disp0}
    st = curve_extras(material, pk, path_cm, absolute, x, y)
    eps_pk0 = model.ensemble(d0, disp0).first_peak_extinction()
    start["concentration_M"] = (max(st["peak_absorbance"], 1e-6) / (eps_pk0 * path_cm)
                                if absolute else None)
    start.update(st)
    if not absolute:
        start["sizing_curve_concentration_M"] = None
    pf = ProjectedFit(model, lam, a, np.ones(lam.size, bool), mode, float(path_cm), e_pk,
                      (lam / pk.peak_nm) ** -4.0)
    f = stage2(pf, model, table, pk, d0, disp0, mode, window_eV, fit_oscillator_scale,
                notes)
    sd, r0 = uncertainties(pf, f["d"], f["disp"], f["coef"], f["fit_s"])
    if not np.all(np.isfinite(sd)):
        notes.append("covariance could not be computed")
    conc_unc = conc_uncertainty(mode, f, sd, float(sd[0]))
    scale = f["scale"]
    model_peak = model.ensemble(f["d"], f["disp"],
                                scale if math.isfinite(scale) else 1.0).first_peak_nm()
    win = pf.win
    full_model = np.where((x >= lam[win][0]) & (x <= lam[win][-1]),
                          np.interp(x, lam, f["mod"]), np.nan)
    checks, dl_dd = model_checks(lam, a, f, pk, search, model_peak, win, window_eV, table)
    reasons = reasons + checks
    out = {"d": f["d"], "d_unc": float(sd[0]), "disp": f["disp"], "disp_unc": float(sd[1]),
           "conc": float(f["conc"]), "conc_unc": float(conc_unc)}
    if any(r.startswith("fitted model peak") for r in checks):
        # the model cannot place its band edge at the measured one: the least-squares size
        # would be wrong, the size of the measured peak position is the better estimate
        reasons.append(f"model fit rejected (diameter {f['d']:.2f} nm): diameter, "
                       "dispersion and concentration from the measured peak position and "
                       "width (stage 1)")
        out = {"d": d0, "d_unc": math.hypot(pk.peak_uncertainty_nm / max(dl_dd, 1e-9),
                                            PEAK_SIZE_TOL * d0),
               "disp": disp0, "disp_unc": float("nan"),
               "conc": start["concentration_M"] or float("nan"),
               "conc_unc": 3 * PEAK_SIZE_TOL * (start["concentration_M"] or float("nan"))}
    quality, reasons = verdict(reasons)
    return FitResult(
        material=str(material), label=label, path_cm=float(path_cm),
        peak_nm=float(pk.peak_nm), peak_uncertainty_nm=float(pk.peak_uncertainty_nm),
        diameter_nm=out["d"], diameter_uncertainty_nm=out["d_unc"],
        dispersion_pct=out["disp"], dispersion_uncertainty_pct=out["disp_unc"],
        concentration_M=out["conc"] if absolute else None,
        concentration_uncertainty_M=out["conc_unc"] if absolute else None,
        model_peak_nm=float(model_peak), oscillator_scale=float(scale),
        oscillator_scale_fitted=bool(f["scale_fitted"]), background=f["bg"], start=start,
        rms_residual=float(np.sqrt(np.mean(r0**2))),
        fit_range_nm=(float(lam[win][0]), float(lam[win][-1])),
        notes=tuple(notes) + tuple(pk.notes), wavelength_nm=x, absorbance=y,
        model_absorbance=full_model, mode=mode, quality=quality, reasons=tuple(reasons),
        feature=search.to_dict())


# ----------------------------------------------------------------- batch
#: File endings that a folder is searched for.
_SPECTRUM_SUFFIXES = (".csv", ".txt", ".tsv", ".dat", ".asc", ".sp", ".xlsx", ".xlsm")
#: What the reader is asked for, for each ``kind`` of :func:`fit_spectra`: absorbance
#: files may be %T or T (detected and converted to absorbance).
_READ_KIND = {"absorbance": "absorption", "pl": "emission", "auto": "auto"}


def _spectra_from(source, kind: str = "absorbance"):
    """(label, Spectrum or QdlabInputError) for every spectrum of the source(s)."""
    from qdlab.optics.spectrum_io import Spectrum, read_spectra

    if isinstance(source, (list, tuple)) and all(isinstance(s, Spectrum) for s in source):
        return [(s.label, s) for s in source]
    if isinstance(source, (list, tuple)):
        out = []
        for src in source:
            out.extend(_spectra_from(src, kind))
        return out
    p = Path(source)
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.is_file()
                       and f.suffix.lower() in _SPECTRUM_SUFFIXES)
        if not files:
            raise QdlabInputError(f"no spectrum files ({'/'.join(_SPECTRUM_SUFFIXES)}) in {p}")
    elif p.is_file():
        files = [p]
    else:
        raise QdlabInputError(f"no such file or folder: {source}")
    out = []
    for f in files:
        try:
            specs = read_spectra(f, kind=_READ_KIND.get(kind, kind))
        except QdlabInputError as exc:
            if len(files) == 1:
                raise
            out.append((f.name, exc))     # one unreadable file of a folder: its own error
            continue
        for s in specs:
            name = f.name if len(specs) == 1 else f"{f.name}:{s.label}"
            out.append((name, s))
    return out


def fit_spectra(source, material, path_cm: float = 1.0, *, kind: str = "absorbance",
                **kwargs) -> list:
    """Fit many spectra: files, a folder, a file with many columns, or a Spectrum list.

    The spectra are treated as one series: features found at the same wavelength in
    every absorption spectrum (instrument artefacts, :func:`qdlab.sizing.series.
    batch_artefacts`) are masked in all of them, and a feature that fades along the
    series is marked (:func:`qdlab.sizing.series.mark_fading`).

    Parameters
    ----------
    source : path, list of paths, or list of Spectrum
    material : str
    path_cm : float
        Path length, cm.
    kind : {"absorbance", "pl", "auto"}
        What the files hold (``"auto"``: as the reader detects it, and a single band on
        a flat baseline, :func:`qdlab.sizing.emission.looks_like_emission`, is PL).
    **kwargs
        Passed to :func:`fit_spectrum` (or :func:`qdlab.sizing.emission.fit_emission`).

    Returns
    -------
    list
        One :class:`FitResult` (or :class:`~qdlab.sizing.emission.EmissionResult`) per
        spectrum, with its quality; a dict ``{"label": ..., "error": message}`` for a
        spectrum that cannot be analysed at all (bad data).  The transition table is
        built once.

    Examples
    --------
    >>> import numpy as np
    >>> from qdlab.optics.spectrum_io import Spectrum
    >>> from qdlab.optics.ensemble import Ensemble, SizeDistribution
    >>> wl = np.arange(350.0, 700.0, 1.0)
    >>> specs = [Spectrum(wl, Ensemble("CdSe", SizeDistribution.normal(d, 6.0))
    ...                   .absorbance(wl, 1e-6), f"{d} nm", "absorbance", {})
    ...          for d in (3.0, 4.0)]
    >>> rows = results_table(fit_spectra(specs, "CdSe"))
    >>> [(round(r["diameter_nm"], 2), r["quality"]) for r in rows]
    [(3.0, 'good'), (4.0, 'good')]
    """
    from qdlab.sizing.emission import fit_emission, looks_like_emission

    if kind not in ("absorbance", "pl", "auto"):
        raise QdlabInputError(f"kind must be 'absorbance', 'pl' or 'auto', got {kind!r}")
    items = _spectra_from(source, kind)
    if kind == "auto":   # a band on a flat baseline is PL whatever the header says
        items = [(n, replace(s, kind="emission") if not isinstance(s, QdlabInputError)
                  and s.kind != "emission" and looks_like_emission(s.wavelength_nm, s.y)
                  else s) for n, s in items]
    kw = dict(kwargs)
    if kw.get("table") is None:
        kw["table"] = _table_or_reason(material, None, kw.get("medium") or Medium(),
                                       kw.get("temperature", 300.0))[0]
    absn = [(s.wavelength_nm, s.y) for _, s in items
            if not isinstance(s, QdlabInputError) and s.kind == "absorbance"]
    if "artefacts" not in kw:
        kw["artefacts"] = tuple(batch_artefacts(absn))
    out = []
    for name, s in items:
        if isinstance(s, QdlabInputError):
            out.append({"label": name, "error": str(s)})
            continue
        if s.kind not in ("absorbance", "emission"):
            out.append({"label": name, "error": f"{s.kind} spectrum: only absorbance, %T or "
                                                "PL spectra can be fitted"})
            continue
        try:
            if s.kind == "emission":
                ekw = {k: v for k, v in kw.items()
                       if k in ("table", "temperature", "medium", "warn")}
                out.append(fit_emission(s.wavelength_nm, s.y, material, label=name, **ekw))
            else:
                out.append(fit_spectrum(s.wavelength_nm, s.y, material, path_cm, label=name,
                                        **kw))
        except (NoExcitonicPeakError, QdlabInputError) as exc:
            out.append({"label": name, "error": str(exc)})
    return mark_fading(out)
