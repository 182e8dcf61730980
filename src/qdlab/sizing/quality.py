r"""Quality verdict of a sized spectrum: ``good``, ``uncertain`` or ``no feature``.

Every fit result carries ``quality`` and ``reasons``.  The verdict is built to avoid
the worst failure -- a wrong size reported as ``good`` -- so ``good`` needs every
check to pass:

1. the feature is significant: a maximum above :data:`GOOD_SIGMA` sigma, a shoulder
   above ``2 GOOD_SIGMA`` (a shoulder's position is less defined);
2. no competing candidate at least as significant;
3. the feature is not next to a masked range or the edge of the physical window,
   and the model-fit window (from the red tail to ``window_eV`` above the peak) is
   not cut by the mask;
4. the model spectrum at the fitted size matches the data near the feature within the
   noise: :math:`\chi = \mathrm{rms}(A - A_{model}) / \sigma_{eff} \le` :data:`CHI_MAX`
   over peak :math:`\pm 2` HWHM, with :math:`\sigma_{eff}^2 = \sigma^2 + (f_m A_{pk})^2`,
   the noise plus the model floor :data:`MODEL_FLOOR` (:math:`f_m` = 2.5 % of the
   feature height above the scattering background: the single-band model's shape miss
   measured on the clean reference series, runs 2, 3, 6 of the CdSe hot-injection set,
   1.8-2.7 % of the height, median 2.05 %) -- and
   the fitted model's first peak lies within :math:`\max(3\sigma_{peak},
   f_d\,\bar d\,|d\lambda_1/dd|)` of the measured one, i.e. the offset is worth less
   than :data:`PEAK_SIZE_TOL` (2 %) of the diameter;
5. diameter and dispersion are not at the bounds of the model;
6. the material has forward optics (otherwise only the published sizing curve sizes
   it: ``uncertain`` at best).

``no feature`` carries no diameter.  ``uncertain`` results issue a
:class:`FitQualityWarning`.

A feature is refused as ``no feature`` when it cannot be an ensemble's first exciton:
no band of its own, or a band narrower than the homogeneous line
(:func:`qdlab.sizing.fit_search.exciton_width_floor_eV`), or -- after the model fit --
a band whose shape no ensemble of the material reproduces (:func:`shape_miss`): the
rms residual near the feature exceeds the noise (:math:`\chi >` :data:`CHI_MAX`) and its
part beyond the noise,

.. math::

    m = \sqrt{\max(\mathrm{rms}^2 - \sigma^2, 0)} / A_{pk} > m_{max} = 4 f_m = 10\,\%,

four times the model floor :math:`f_m` (:data:`SHAPE_MISS_MAX`).  The model's own shape
miss on real ensembles is at most 2.8 % of the height on the 89 CdSe and PbSe spectra
of the real corpus (tests/data/spectra); the broad absorption band of carbon dots fitted
as CdSe leaves 21-31 %.

Examples
--------
>>> q, r = verdict(["weak feature: 6 sigma (good needs 10)"])
>>> q, r
('uncertain', ['weak feature: 6 sigma (good needs 10)'])
>>> verdict([])[0]
'good'
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.sizing.modelfit import D_MAX, D_MIN, DISP_MAX, DISP_MIN

__all__ = ["CHI_MAX", "GOOD", "GOOD_SIGMA", "MODEL_FLOOR", "NOT_AN_EXCITON", "NO_FEATURE",
           "PEAK_SIZE_TOL", "QUALITIES", "RESULT_NUMBERS", "SHAPE_MISS_MAX", "shape_miss",
           "UNCERTAIN", "FitQualityWarning", "feature_checks", "model_checks", "model_match",
           "null_reasons", "verdict", "warn_uncertain"]

GOOD, UNCERTAIN, NO_FEATURE = "good", "uncertain", "no feature"
QUALITIES = (GOOD, UNCERTAIN, NO_FEATURE)
#: Significance (sigma) a maximum needs for ``good`` (a shoulder needs twice this).
GOOD_SIGMA = 10.0
#: Largest normalised rms residual near the feature for ``good``.
CHI_MAX = 2.0
#: Model shape floor, fraction of the feature height (single-band model miss).
MODEL_FLOOR = 0.025
#: Largest model-peak offset for ``good``, as a fraction of the diameter it implies.
PEAK_SIZE_TOL = 0.02
#: Largest shape miss (rms residual beyond the noise near the feature, fraction of the
#: feature height) that the fitted ensemble may leave on a real ensemble's first
#: exciton: 4 x MODEL_FLOOR (real corpus: at most 2.8 %); a larger, significant miss
#: means the band is no exciton of the material (``no feature``).
SHAPE_MISS_MAX = 4 * MODEL_FLOOR
#: Start of the reason that turns a fitted result into ``no feature``.
NOT_AN_EXCITON = "no ensemble exciton"


#: Numbers of a fit result (``FitResult.to_dict()``, ``EmissionResult.to_dict()`` or a
#: row of ``results_table``) that get a ``<name>_reason`` when they are None.
RESULT_NUMBERS = ("peak_nm", "peak_uncertainty_nm", "diameter_nm", "diameter_uncertainty_nm",
                  "dispersion_pct", "dispersion_uncertainty_pct", "concentration_M",
                  "concentration_uncertainty_M", "model_peak_nm", "oscillator_scale",
                  "rms_residual", "sizing_curve_diameter_nm", "fwhm_nm", "stokes_shift_eV",
                  "absorption_peak_nm")
_PL_ONLY = ("fwhm_nm", "stokes_shift_eV")
_ABSORBANCE_ONLY = ("concentration_M", "concentration_uncertainty_M", "model_peak_nm",
                    "oscillator_scale", "rms_residual", "sizing_curve_diameter_nm")


def _text(v) -> str:
    if isinstance(v, (list, tuple)):
        return "; ".join(str(x) for x in v if x)
    return str(v or "")


def null_reasons(result: dict) -> dict:
    """Why each number of a fit result is None: ``{"<name>_reason": text}``.

    A result never gives ``None`` for a number without saying why (issue 10).  The
    reason follows from the result itself: not analysed (``error``), no feature, a
    quantity of the other kind of spectrum (the FWHM and Stokes shift are measured on
    PL spectra, the concentration and the model fit on absorbance spectra), a size from
    the published sizing curve alone (no model fit, no uncertainty), a rejected model fit
    (stage-1 numbers without an uncertainty), or the notes of the fit.

    Parameters
    ----------
    result : dict
        ``FitResult.to_dict()``, ``EmissionResult.to_dict()`` or a ``results_table`` row.

    Returns
    -------
    dict
        One ``<name>_reason`` entry per name of :data:`RESULT_NUMBERS` whose value is None.

    Examples
    --------
    >>> null_reasons({"kind": "absorbance", "quality": "good", "peak_nm": 550.0,
    ...               "fwhm_nm": None})
    {'fwhm_nm_reason': 'measured on PL (emission) spectra only, not on an absorbance spectrum'}
    """
    kind = result.get("kind") or "absorbance"
    reasons, notes = _text(result.get("reasons")), _text(result.get("notes"))
    out = {}
    for k in RESULT_NUMBERS:
        if k not in result or result[k] is not None:
            continue
        if result.get("error"):
            why = f"not analysed: {result['error']}"
        elif result.get("quality") == NO_FEATURE:
            why = "no feature found" + (f": {reasons}" if reasons else "")
        elif kind != "pl" and k in _PL_ONLY:
            why = "measured on PL (emission) spectra only, not on an absorbance spectrum"
        elif kind == "pl" and k in _ABSORBANCE_ONLY:
            why = "given by the fit of an absorbance spectrum only, not by a PL spectrum"
        elif kind == "pl" and k.endswith(("_uncertainty_nm", "_uncertainty_pct")):
            why = "the size from a PL peak and width has no uncertainty estimate"
        elif result.get("mode") == "curve" or (kind != "pl" and "stage 1" in reasons):
            what = ("sized with the published sizing curve only (no model fit)"
                    if result.get("mode") == "curve" else
                    "model fit rejected: stage-1 estimate from the peak position and width")
            if k.startswith("concentration"):
                why = (f"{what}: no extinction coefficient or uncertainty for a "
                       "concentration" if result.get("concentration_M") is None
                       else f"{what}: no uncertainty estimate")
            elif "uncertainty" in k:
                why = f"{what}: no uncertainty estimate"
            else:
                why = f"{what}: no {k.rsplit('_', 1)[0].replace('_', ' ')}"
        elif k.startswith("concentration"):
            why = ("no absolute absorbance scale (relative spectrum): no concentration"
                   if result.get("concentration_M") is None else
                   "no uncertainty estimate for the concentration")
        else:
            why = "not determined" + (f": {notes or reasons}" if notes or reasons else "")
        out[f"{k}_reason"] = why
    return out


class FitQualityWarning(UserWarning):
    """A sized spectrum is ``uncertain``: the number is given, but check the reasons."""


def verdict(reasons, *, feature: bool = True):
    """``(quality, reasons)``: ``no feature`` without a feature, ``uncertain`` with any
    reason, else ``good``."""
    reasons = list(reasons)
    if not feature:
        return NO_FEATURE, reasons
    return (UNCERTAIN if reasons else GOOD), reasons


def feature_checks(search, *, smooth_nm: float = 9.0, good_sigma: float = GOOD_SIGMA):
    """Reasons from the feature search (significance, competitors, masks, window edges)."""
    c = search.chosen
    out = []
    need = good_sigma * (2.0 if c.kind == "shoulder" else 1.0)
    if c.significance < need:
        out.append(f"weak feature: {c.kind} at {c.wavelength_nm:.1f} nm is "
                   f"{c.significance:.1f} sigma above the noise (good needs {need:g})")
    if search.competing:
        out.append("competing feature: " + search.choice.split("; competing ")[-1])
    lo, hi = search.window_nm
    if c.wavelength_nm - lo < 2 * smooth_nm or hi - c.wavelength_nm < 2 * smooth_nm:
        out.append(f"feature at {c.wavelength_nm:.1f} nm is at the edge of the "
                   f"model's first-exciton window {lo:.0f}-{hi:.0f} nm")
    for m in search.masked:
        gap = max(m.lo_nm - c.wavelength_nm, c.wavelength_nm - m.hi_nm)
        if gap < 2 * smooth_nm:
            out.append(f"feature at {c.wavelength_nm:.1f} nm is next to a masked range "
                       f"({m.lo_nm:.0f}-{m.hi_nm:.0f} nm, {m.reason.split(':')[0]})")
    return out


def model_match(lam, a, model, peak_nm, hwhm_nm, noise, peak_height):
    """Normalised rms residual chi of the model near the feature (check 4).

    Returns (chi, number of points).
    """
    hw = hwhm_nm if (hwhm_nm is not None and math.isfinite(hwhm_nm)) else 15.0
    near = (lam >= peak_nm - 2 * hw) & (lam <= peak_nm + 2 * hw) & np.isfinite(model)
    if near.sum() < 5:
        return float("nan"), int(near.sum())
    rms = float(np.sqrt(np.mean((a[near] - model[near]) ** 2)))
    sig = math.hypot(max(noise, 1e-9), MODEL_FLOOR * abs(peak_height))
    return rms / sig, int(near.sum())


def shape_miss(lam, a, model, peak_nm, hwhm_nm, noise, peak_height) -> float:
    r"""Shape miss of the model near the feature: rms residual beyond the noise over peak
    +- 2 HWHM, as a fraction of the feature height.

    Parameters
    ----------
    lam, a, model : ndarray
        Wavelengths (nm), measured and model absorbance.
    peak_nm, hwhm_nm : float
        Measured peak and half width, nm (15 nm if the width is unknown).
    noise, peak_height : float
        Absorbance noise (1 sigma) and feature height above the background.

    Returns
    -------
    float
        :math:`\sqrt{\max(\mathrm{rms}^2 - \sigma^2, 0)}/|A_{pk}|` (NaN with fewer than
        5 points).

    Examples
    --------
    >>> lam = np.arange(500.0, 600.0)
    >>> a = np.exp(-0.5 * ((lam - 550) / 10) ** 2)
    >>> round(shape_miss(lam, a, 0.8 * a, 550.0, 12.0, 0.0, 1.0), 3)
    0.12
    """
    hw = hwhm_nm if (hwhm_nm is not None and math.isfinite(hwhm_nm)) else 15.0
    near = (lam >= peak_nm - 2 * hw) & (lam <= peak_nm + 2 * hw) & np.isfinite(model)
    if near.sum() < 5:
        return float("nan")
    ms = float(np.mean((a[near] - model[near]) ** 2))
    return math.sqrt(max(ms - noise * noise, 0.0)) / max(abs(peak_height), 1e-12)


def warn_uncertain(label, reasons, stacklevel: int = 3):
    """Issue the :class:`FitQualityWarning` of an ``uncertain`` result."""
    warnings.warn(f"uncertain result{(' for ' + str(label)) if label else ''}: "
                  + "; ".join(reasons), FitQualityWarning, stacklevel=stacklevel)


def model_checks(lam, a, f, pk, search, model_peak, win, window_eV, table):
    """Checks 3-5 of :mod:`qdlab.sizing.quality` on the fitted model."""
    out = []
    need_blue = HC_EV_NM / (HC_EV_NM / pk.peak_nm + window_eV)
    if search.span_nm[0] > need_blue + 2.0:
        out.append(f"fit window cut by the mask at {search.span_nm[0]:.0f} nm (the model "
                   f"needs data to {need_blue:.0f} nm)")
    height = float(pk.raw_absorbance - pk.background[0] - pk.background[1])
    chi, npts = model_match(lam, a, f["mod"], pk.peak_nm, pk.hwhm_nm, pk.noise, height)
    if not (chi <= CHI_MAX):
        miss = shape_miss(lam, a, f["mod"], pk.peak_nm, pk.hwhm_nm, pk.noise, height)
        if miss > SHAPE_MISS_MAX:
            out.append(f"{NOT_AN_EXCITON}: the best-fitting ensemble misses the band at "
                       f"{pk.peak_nm:.1f} nm by {100 * miss:.0f} % of its height (rms beyond "
                       f"the noise; the model leaves at most {100 * SHAPE_MISS_MAX:g} % on a "
                       "real ensemble's first exciton)")
        out.append(f"model does not match the data near the feature: rms residual "
                   f"{chi:.1f} x (noise + {100 * MODEL_FLOOR:g} % model floor) over "
                   f"{npts} points")
    # the model peak may miss the measured one by the equivalent of PEAK_SIZE_TOL of the
    # diameter (or 3 sigma of the peak)
    e1, grid = table.data["energy_eV"][:, 0], table.grid_nm
    dl_dd = abs(float(np.interp(f["d"], grid, np.gradient(HC_EV_NM / e1, grid))))
    tol = max(3.0 * pk.peak_uncertainty_nm, PEAK_SIZE_TOL * f["d"] * dl_dd)
    if not abs(model_peak - pk.peak_nm) <= tol:
        out.append(f"fitted model peak {model_peak:.1f} nm is {model_peak - pk.peak_nm:+.1f}"
                   f" nm from the measured peak (tolerance {tol:.1f} nm = "
                   f"{100 * PEAK_SIZE_TOL:g} % of the diameter)")
    lo_d, hi_d = max(D_MIN, table.d_min_nm), min(D_MAX, table.d_max_nm)
    if f["d"] < lo_d * 1.08 or f["d"] > hi_d * 0.95:
        out.append(f"diameter {f['d']:.2f} nm at the edge of the model range "
                   f"({lo_d:g}-{hi_d:g} nm)")
    if f["disp"] >= DISP_MAX * 0.99 or f["disp"] <= DISP_MIN * 1.01:
        out.append(f"dispersion at the bound of the fit ({f['disp']:.1f} %)")
    return out, dl_dd
