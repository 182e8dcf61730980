"""One call that runs every analysis a single-dot photon stream supports.

:func:`analyse_stream` returns a :class:`PhotonAnalysis` whose :meth:`~PhotonAnalysis.to_dict`
is the JSON of ``qdlab photons analyse FILE --json`` and of ``POST /api/photons/analyse``:
every number that could not be obtained is ``None`` with a ``<name>_reason``, and a
quality verdict with its reasons says how far the numbers can be trusted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from qdlab.errors import QdlabInputError
from qdlab.photons.analysis._checks import as_stream

__all__ = ["PhotonAnalysis", "analyse_stream"]

#: Change-point times listed in the JSON at most (the number is always given).
MAX_LISTED_CHANGE_POINTS = 10_000

#: Fewest complete on (or off) periods for an exponent.
MIN_PERIODS = 20


@dataclass
class PhotonAnalysis:
    """Results of :func:`analyse_stream`: the JSON summary and the objects behind it."""

    summary: dict
    trace: object = None
    change_points: object = None
    levels: object = None
    on_off: object = None
    g2: object = None
    decay: object = None
    flid: object = None
    notes: list = field(default_factory=list)

    def to_dict(self) -> dict:
        """The summary (JSON-ready: floats, ints, lists, None)."""
        return dict(self.summary)


def _num(x):
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def analyse_stream(stream, bin_width_s: float | None = None, alpha: float = 0.05,
                   max_levels: int = 5, g2_window_s: float = 200e-9,
                   n_side_peaks: int = 10, irf=None) -> PhotonAnalysis:
    """Trace, change points, levels, on/off exponents, g2, lifetime and FLID of a stream.

    Parameters
    ----------
    stream : PhotonStream
    bin_width_s : float, optional
        Trace (and FLID) bin, s; default
        :func:`~qdlab.photons.analysis.traces.suggest_bin_width_s`.
    alpha : float
        Type-I error of each change-point test.
    max_levels : int
        Most intensity levels tried by the clustering.
    g2_window_s : float
        Half-window of the CW g2, s.
    n_side_peaks : int
        Side peaks per side of the pulsed g2.
    irf : tuple of (numpy.ndarray, numpy.ndarray), optional
        A measured IRF, ``(t_s, counts)`` as from
        :func:`~qdlab.photons.analysis.lifetime.read_irf`, for the lifetime fit (default: a
        Gaussian IRF whose width is fitted). T3 streams only.

    Returns
    -------
    PhotonAnalysis
        ``summary`` keys: ``n_photons``, ``duration_s``, ``mode``, ``channels``,
        ``mean_rate_cps``, ``bin_width_s``; ``change_points`` (number),
        ``change_point_times_s``, ``n_levels``, ``level_rates_cps``; ``on_exponent``,
        ``off_exponent`` (+ ``_err``, ``_xmin_s``, ``n_on_periods``/``n_off_periods``);
        ``g2_zero``, ``g2_zero_err``, ``g2_method``, ``qy_ratio_xx_x``; ``lifetime_ns``,
        ``lifetime_err_ns``, ``lifetimes_ns``, ``lifetimes_err_ns``, ``irf`` ("measured"
        or "gaussian") with ``irf_fwhm_ps`` or ``irf_shift_ps``; ``quality`` (good / uncertain / poor)
        and ``quality_notes``. A None value has a ``<key>_reason``.

    Notes
    -----
    The methods: :func:`~qdlab.photons.analysis.changepoints.find_change_points`
    (Watkins & Yang 2005), :func:`~qdlab.photons.analysis.levels.cluster_levels`,
    :func:`~qdlab.photons.analysis.dwell.on_off_from_levels`,
    :func:`~qdlab.photons.analysis.powerlaw.fit_power_law` (Clauset et al. 2009),
    :func:`~qdlab.photons.analysis.g2.pulsed_g2` (with a sync period) or
    :func:`~qdlab.photons.analysis.g2.cw_g2`,
    :func:`~qdlab.photons.analysis.lifetime.fit_decay` (1 or 2 exponentials, the second
    kept only if the likelihood ratio exceeds the 0.1 % point of :math:`\\chi^2_2`) and
    :func:`~qdlab.photons.analysis.lifetime_intensity.flid`.
    """
    from qdlab.photons.analysis.changepoints import find_change_points
    from qdlab.photons.analysis.dwell import on_off_from_levels
    from qdlab.photons.analysis.levels import cluster_levels
    from qdlab.photons.analysis.powerlaw import fit_power_law
    from qdlab.photons.analysis.traces import intensity_trace

    s = as_stream(stream)
    if irf is not None and s.mode != "T3":
        raise QdlabInputError("a measured IRF applies to T3 data only (TCSPC delays); this "
                              f"stream is {s.mode}, which has no decay to fit")
    if s.n_photons < 10:
        raise QdlabInputError(f"the stream holds {s.n_photons} photons; an analysis needs "
                              ">= 10")
    out = PhotonAnalysis(summary={})
    d = out.summary
    notes = out.notes
    d.update(n_photons=s.n_photons, duration_s=s.duration_s, mode=s.mode,
             channels=list(s.channels),
             mean_rate_cps=s.n_photons / s.duration_s if s.duration_s > 0 else None)
    if s.n_photons < 10_000:
        notes.append(f"few photons ({s.n_photons}): all uncertainties are large")
    # trace, change points, levels
    out.trace = intensity_trace(s, bin_width_s)
    d["bin_width_s"] = out.trace.bin_width_s
    # (T3: photons of one sync period are not ordered by their delays)
    times = s.times_s if s.mode == "T2" else np.sort(s.times_s)
    out.change_points = cps = find_change_points(times, alpha=alpha)
    d["change_points"] = int(cps.indices.size)
    d["change_point_times_s"] = [float(x) for x in cps.times_s[:MAX_LISTED_CHANGE_POINTS]]
    d["change_point_alpha"] = alpha
    out.levels = lv = cluster_levels(cps.n_photons, cps.durations_s, max_levels)
    d["n_levels"] = lv.n_states
    d["level_rates_cps"] = [float(r) for r in lv.rates_cps]
    # on/off exponents
    for key in ("on", "off"):
        d.update({f"{key}_exponent": None, f"{key}_exponent_err": None,
                  f"{key}_xmin_s": None, f"n_{key}_periods": 0})
    if lv.n_states < 2:
        for key in ("on", "off"):
            d[f"{key}_exponent_reason"] = "one intensity level only (no blinking found)"
    else:
        out.on_off = oo = on_off_from_levels(cps, lv)
        d["on_off_threshold_cps"] = oo.threshold_cps
        for key, dur in (("on", oo.on_s), ("off", oo.off_s)):
            d[f"n_{key}_periods"] = int(dur.size)
            if dur.size < MIN_PERIODS:
                d[f"{key}_exponent_reason"] = (f"{dur.size} complete {key} periods; a "
                                               f"power-law fit needs >= {MIN_PERIODS}")
                continue
            fit = fit_power_law(dur)
            if fit.n_tail < MIN_PERIODS:
                d[f"{key}_exponent_reason"] = (
                    f"the power-law tail (>= xmin = {fit.xmin:.3g} s chosen by the KS "
                    f"distance) holds {fit.n_tail} {key} periods; an exponent needs >= "
                    f"{MIN_PERIODS}")
                d[f"{key}_tail_periods"] = fit.n_tail
                continue
            d[f"{key}_exponent"] = _num(fit.alpha)
            d[f"{key}_exponent_err"] = _num(fit.alpha_err)
            d[f"{key}_xmin_s"] = _num(fit.xmin)
            d[f"{key}_tail_periods"] = fit.n_tail
            if fit.n_tail < 50:
                notes.append(f"{key} exponent from {fit.n_tail} periods only")
    _g2(s, d, out, notes, g2_window_s, n_side_peaks)
    _lifetime(s, d, out, notes, bin_width_s, irf)
    _g2_overlap_note(s, d, notes)
    verdict = "good"
    if notes:
        verdict = "uncertain"
    if d.get("g2_zero") is not None and d["g2_zero"] >= 0.5:
        notes.append(f"g2(0) = {d['g2_zero']:.2f} >= 0.5: not a single emitter (or "
                     "background-dominated)")
        verdict = "poor"
    d["quality"] = verdict
    d["quality_notes"] = notes
    return out


def _g2(s, d, out, notes, window_s, n_side):
    from qdlab.photons.analysis.g2 import cw_g2, pulsed_g2

    d.update(g2_zero=None, g2_zero_err=None, g2_method=None, qy_ratio_xx_x=None,
             qy_ratio_xx_x_err=None)
    if len(s.channels) < 2:
        d["g2_zero_reason"] = (f"one detector channel only ({list(s.channels)}): g2 needs "
                               "two (HBT)")
        d["qy_ratio_xx_x_reason"] = d["g2_zero_reason"]
        return
    try:
        if s.sync_period_s is not None:
            out.g2 = g = pulsed_g2(s, n_side_peaks=n_side)
            d.update(g2_method="pulsed", qy_ratio_xx_x=_num(g.qy_ratio_xx_x),
                     qy_ratio_xx_x_err=_num(g.qy_ratio_xx_x_err),
                     g2_centre_area=g.centre_area,
                     g2_side_area_mean=float(np.mean(g.side_areas)))
        else:
            out.g2 = g = cw_g2(s, window_s=window_s)
            d.update(g2_method="cw", antibunching_time_ns=_num(g.antibunching_time_s * 1e9))
            d["qy_ratio_xx_x_reason"] = "CW excitation: the QY ratio needs pulsed g2"
        d.update(g2_zero=_num(g.g2_zero), g2_zero_err=_num(g.g2_zero_err))
    except QdlabInputError as exc:
        d["g2_zero_reason"] = str(exc)
        d["qy_ratio_xx_x_reason"] = str(exc)


def _g2_overlap_note(s, d, notes):
    """Note the bias of a pulsed g2(0) whose peaks overlap (slow decay, short period).

    A coincidence peak of two decays of lifetime :math:`\\tau` has tails
    :math:`e^{-|t|/\\tau}`: the centre window (:math:`\\pm P/2`) collects a fraction
    :math:`e^{-P/2\\tau}` of the neighbouring side peaks, so g2(0) reads high by about
    that much (see :func:`~qdlab.photons.analysis.g2.pulsed_g2`).
    """
    if d.get("g2_method") != "pulsed" or not d.get("lifetimes_ns") or s.sync_period_s is None:
        return
    tau_s = max(d["lifetimes_ns"]) * 1e-9
    leak = math.exp(-float(s.sync_period_s) / (2.0 * tau_s))
    d["g2_peak_overlap"] = leak
    if leak > 0.005:
        notes.append(f"the g2 peaks overlap (slowest lifetime {tau_s * 1e9:.3g} ns, laser "
                     f"period {s.sync_period_s * 1e9:.3g} ns): g2(0) reads high by about "
                     f"{leak:.3f}")


def _lifetime(s, d, out, notes, bin_width_s, irf=None):
    from qdlab.photons.analysis.lifetime import decay_histogram, fit_decay, irf_on_bins
    from qdlab.photons.analysis.lifetime_intensity import flid

    d.update(lifetime_ns=None, lifetime_err_ns=None, lifetimes_ns=None, lifetimes_err_ns=None)
    if s.mode != "T3":
        d["lifetime_ns_reason"] = "T2 data: no TCSPC delays (a lifetime needs T3)"
        return
    t, c = decay_histogram(s)
    if c.sum() < 100:
        d["lifetime_ns_reason"] = f"{int(c.sum())} photons; a lifetime fit needs >= 100"
        return
    # coarsen very fine TCSPC histograms to <= 4096 bins (speed; no loss below the IRF)
    f = max(1, int(math.ceil(t.size / 4096)))
    if f > 1:
        m = (t.size // f) * f
        c = c[:m].reshape(-1, f).sum(1)
        t = t[:m].reshape(-1, f).mean(1)
    resp = None if irf is None else irf_on_bins(irf[0], irf[1], t)
    fits = [fit_decay(t, c, 1, irf=resp)]
    reversed_delays = False
    if _rises_to_the_end(c):
        rev = fit_decay(t, c[::-1].copy(), 1, irf=None if resp is None else resp[::-1].copy())
        if rev.reduced_deviance < fits[0].reduced_deviance:
            reversed_delays = True
            c = c[::-1].copy()
            resp = None if resp is None else resp[::-1].copy()
            fits = [rev]
            notes.append("the delays rise towards the end of the TCSPC range (reversed "
                         "start-stop, as in TimeHarp 200 and Becker & Hickl cards): the "
                         "decay was fitted on reversed delays")
    d["lifetime_reversed_delays"] = reversed_delays
    if c.sum() >= 2000:
        fits.append(fit_decay(t, c, 2, irf=resp))
        n_dof = max(t.size - 5, 1)
        gain = (fits[0].reduced_deviance * (n_dof + 2) - fits[1].reduced_deviance * n_dof)
        if not gain > -2.0 * math.log(1e-3):   # 0.1 % point of chi2 with 2 dof
            fits.pop()
    out.decay = fit = fits[-1]
    d.update(lifetime_ns=_num(fit.mean_lifetime_s * 1e9),
             lifetime_err_ns=_num(fit.mean_lifetime_err_s * 1e9),
             lifetimes_ns=[float(x * 1e9) for x in fit.lifetimes_s],
             lifetimes_err_ns=[_num(x * 1e9) for x in fit.lifetimes_err_s],
             lifetime_fractions=[float(x) for x in fit.intensity_fractions],
             lifetime_reduced_deviance=_num(fit.reduced_deviance))
    if resp is None:
        d.update(irf="gaussian", irf_fwhm_ps=_num(fit.irf_fwhm_s * 1e12))
        irf_centre = fit.irf_centre_s
    else:
        d.update(irf="measured", irf_shift_ps=_num(fit.irf_centre_s * 1e12))
        # the centroid of the shifted measured IRF
        irf_centre = float(np.sum(resp * t) / np.sum(resp)) + fit.irf_centre_s
    if fit.reduced_deviance > 1.5:
        notes.append(f"lifetime fit reduced deviance {fit.reduced_deviance:.2f} > 1.5: "
                     "the decay is not well described by the model")
    if reversed_delays:
        notes.append("no FLID: the delays are reversed (start-stop)")
        return
    try:
        out.flid = flid(s, d["bin_width_s"], irf_centre_s=irf_centre)
    except QdlabInputError as exc:
        notes.append(f"no FLID: {exc}")


def _rises_to_the_end(counts) -> bool:
    """True if the smoothed decay histogram peaks in the last 10 % of its occupied range.

    A forward TCSPC decay peaks at the IRF and falls; a reversed start-stop one (the
    photon starts the clock, the next laser pulse stops it) rises slowly to a peak at the
    end of the range.
    """
    occ = np.flatnonzero(counts)
    if occ.size < 16:
        return False
    lo, hi = int(occ[0]), int(occ[-1])
    w = max(1, (hi - lo) // 100)
    sm = np.convolve(counts[lo:hi + 1], np.ones(w) / w, mode="same")
    return bool(np.argmax(sm) > 0.9 * (hi - lo))
