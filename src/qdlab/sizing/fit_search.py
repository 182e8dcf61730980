r"""Stages 0 and 1 of a spectrum fit: the input guard, the bounded feature search, the peak.

Before any model is fitted, :func:`qdlab.sizing.fit.fit_spectrum` (i) screens the
measured points (:func:`_clean_input`: physical ranges, order, duplicates, binning of
dense spectra), (ii) looks for the first exciton only inside the wavelengths the
material's model can give over its diameter range (:func:`_search`,
:func:`qdlab.sizing.features.search_feature` over
:func:`qdlab.sizing.features.model_window_nm`), among the candidates in the reliable
data, and (iii) refines the chosen candidate by a peak fit
(:func:`_refine_peak`, :func:`qdlab.optics.peaks.first_exciton_peak`).

Notes
-----
The physical window is the range of first-exciton wavelengths of the forward model,

.. math::

    \lambda \in \big[hc/E_1(d_{\max}, T),\ hc/E_1(d_{\min}, T)\big],

widened by the ensemble width; a candidate is a maximum or a shoulder (a minimum of
the smoothed second derivative) more than 5 sigma of the noise above the background.
A candidate is an ensemble's first exciton only if a band can be fitted to it that is
at least as wide as the homogeneous line (:func:`exciton_width_floor_eV`); otherwise
the next candidate to the blue is taken (:func:`_pick_exciton`).
The refined peak gives :math:`\lambda_1`, the red-side HWHM and the background-subtracted
peak absorbance :math:`A_1` used by stage 1 of the fit.

References
----------
.. [1] A. Savitzky and M. J. E. Golay, "Smoothing and differentiation of data by
   simplified least squares procedures", Anal. Chem. 36, 1627 (1964).
.. [2] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano,
   J. Phys. Chem. C 113, 19468 (2009).
.. [3] D. Valerini, A. Creti, M. Lomascolo, L. Manna, R. Cingolani, M. Anni,
   "Temperature dependence of the photoluminescence properties of colloidal
   CdSe/ZnS core/shell quantum dots embedded in a polystyrene matrix",
   Phys. Rev. B 71, 235409 (2005). Bibliography ``valerini2005``.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from qdlab.errors import QdlabInputError, check_positive, check_range
from qdlab.optics.broadening import HomogeneousWidth
from qdlab.optics.ensemble import model_table
from qdlab.optics.peaks import first_exciton_peak
from qdlab.sizing.features import _fit_span, model_window_nm, search_feature

__all__ = ["MAX_FIT_POINTS", "exciton_width_floor_eV", "quantisation_step"]

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


#: Optical path lengths accepted (cm): 1 um films and 10 um cells to 10 cm long-path cells,
#: with a margin on both sides.
PATH_CM_RANGE = (1e-4, 100.0)


def _check_options(path_cm, distribution, mode, window_eV, fit_oscillator_scale):
    check_range(path_cm, "path_cm", PATH_CM_RANGE[0], PATH_CM_RANGE[1], "cm")
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


def exciton_width_floor_eV(temperature: float = 300.0,
                           homogeneous: HomogeneousWidth | None = None) -> float:
    r"""Narrowest half width (HWHM, eV) an ensemble's first exciton can have at T.

    Parameters
    ----------
    temperature : float
        Sample temperature, K.
    homogeneous : HomogeneousWidth, optional
        Homogeneous line width model (default: the CdSe parameters of
        :class:`~qdlab.optics.broadening.HomogeneousWidth`, used by the forward model
        for every material).

    Returns
    -------
    float
        :math:`\Gamma_{hom}(T)/2`, eV.

    Notes
    -----
    The ensemble band is the homogeneous line of each dot convolved with the
    distribution of transition energies of the size distribution,

    .. math::

        A(E) = \int P(E_1)\, L_{hom}(E - E_1)\, dE_1 ,

    and a convolution of two unimodal lines is never narrower than either of them:
    :math:`\mathrm{HWHM}[A] \ge \Gamma_{hom}(T)/2`, with
    :math:`\Gamma_{hom}(T) = \Gamma_0 + \sigma_{ac}T + \Gamma_{LO}/(e^{E_{LO}/k_BT}-1)`
    (Valerini et al. 2005; 38 meV FWHM for CdSe at 300 K).  Any size distribution
    only widens the band, so this is a lower bound whatever the dispersion.  A
    measured band narrower than this (a lamp line residue, a spike, a solvent
    overtone) is not an ensemble's first exciton.

    References
    ----------
    .. [1] D. Valerini et al., Phys. Rev. B 71, 235409 (2005); bibliography
       ``valerini2005``.

    Examples
    --------
    >>> round(1e3 * exciton_width_floor_eV(300.0), 1)
    19.2
    >>> exciton_width_floor_eV(10.0) < exciton_width_floor_eV(300.0)
    True
    """
    hw = homogeneous if homogeneous is not None else HomogeneousWidth()
    return 0.5 * float(hw(temperature))


def _with_chosen(search, x, cand, passed):
    """``search`` with ``cand`` chosen after the candidates ``passed`` over (list of
    (Candidate, why)) were rejected as no ensemble exciton."""
    later = [c for c in search.candidates if c.wavelength_nm < cand.wavelength_nm]
    rivals = [c for c in later if c.significance >= cand.significance]
    rival = max(rivals, key=lambda c: c.significance) if rivals else None
    why = "; ".join(f"{c.kind} at {c.wavelength_nm:.1f} nm ({w})" for c, w in passed)
    choice = (f"took the {cand.kind} at {cand.wavelength_nm:.1f} nm "
              f"({cand.significance:.0f} sigma): lowest-energy feature with the width of an "
              f"ensemble exciton; passed over {why}")
    if rival is not None:
        choice += (f"; competing {rival.kind} at {rival.wavelength_nm:.1f} nm "
                   f"({rival.significance:.0f} sigma) is at higher energy, so it is not the "
                   "first exciton unless the taken feature is spurious")
    return replace(search, chosen=cand, choice=choice, competing=bool(rivals), rival=rival,
                   span_nm=_fit_span(x, search.masked, cand.wavelength_nm))


def quantisation_step(values) -> float:
    r"""Resolution of recorded values: the step ``q`` they are rounded to, or 0.

    Parameters
    ----------
    values : array_like
        Recorded values (e.g. absorbance as written in the file).

    Returns
    -------
    float
        The smallest difference between distinct values, if every value is an integer
        multiple of it (the file rounds to ``q``); 0 otherwise.

    Notes
    -----
    Rounding to a step :math:`q` leaves an error within :math:`\pm q/2` on every point;
    on a slowly varying spectrum the errors are correlated (a staircase), so smoothing
    does not average them out and bands of height up to :math:`q` appear where there
    are none (B. Widrow and I. Kollar, *Quantization Noise*, Cambridge University Press,
    2008, chapter 4).  A band is resolved only if it is higher than :math:`q`.

    Examples
    --------
    >>> quantisation_step([0.012, 0.013, 0.011, 0.015])
    0.001
    >>> quantisation_step([0.0123456, 0.0134577, 0.0110001])
    0.0
    """
    v = np.asarray(values, dtype=float).ravel()
    v = np.unique(v[np.isfinite(v)])
    if v.size < 3:
        return 0.0
    q = float(np.diff(v).min())
    if not q > 0.0:
        return 0.0
    q = float(f"{q:.3g}")          # 0.0009999999 -> 0.001 (decimal rounding of the file)
    k = v / q
    return q if float(np.max(np.abs(k - np.round(k)))) < 0.01 else 0.0


def _pick_exciton(x, y, search, temperature, quantum: float = 0.0):
    """Refine the chosen candidate; pass over candidates that cannot be an ensemble's
    first exciton (no band can be fitted to them, the band fit converges on another
    wavelength, the band is not higher than the resolution ``quantum`` of the recorded
    values (:func:`quantisation_step`), or it is narrower than
    :func:`exciton_width_floor_eV`) and take the next one to the blue.

    Returns ``(search, pk, reasons, passed)``: ``pk`` is None when every candidate was
    passed over; ``passed`` lists (Candidate, why) of the rejected ones.
    """
    floor = exciton_width_floor_eV(temperature)
    first = search.chosen
    order = [first] + [c for c in search.candidates if c.wavelength_nm < first.wavelength_nm]
    passed = []
    for cand in order:
        s = search if cand is first else _with_chosen(search, x, cand, passed)
        pk, reasons = _refine_peak(x, y, s)
        if not pk.found:
            passed.append((cand, "no peak could be fitted to it"))
            continue
        hw = float(pk.hwhm_eV)
        if reasons:     # the band fit converged away from the candidate
            passed.append((cand, f"the band fitted near it lies at {pk.peak_nm:.1f} nm: it "
                                 "has no band of its own"))
            continue
        if not math.isfinite(hw):
            passed.append((cand, "no band could be fitted to it: not an excitonic line "
                                 "shape"))
            continue
        if quantum > 0.0 and pk.peak_absorbance <= quantum:
            passed.append((cand, f"band height {pk.peak_absorbance:.2g} is not above the "
                                 f"{quantum:g} resolution of the recorded values: "
                                 "rounding alone makes bands this high"))
            continue
        if hw < floor:
            passed.append((cand, f"band half width {1e3 * hw:.0f} meV is below the "
                                 f"homogeneous half width {1e3 * floor:.0f} meV at "
                                 f"{temperature:g} K, the narrowest an ensemble exciton "
                                 "can be"))
            continue
        if passed:
            reasons = [f"passed over the {c.kind} at {c.wavelength_nm:.1f} nm as no "
                       f"ensemble exciton: {w}" for c, w in passed] + reasons
        return s, pk, reasons, passed
    return search, None, [], passed
