"""Second-order correlation g2 of a single emitter from two-detector (HBT) streams.

* Pulsed excitation: the coincidence histogram is a comb of peaks at multiples of the
  laser period; :math:`g^{(2)}(0)` is the area of the centre peak over the mean area of
  the side peaks. For a single dot at weak excitation it is the biexciton-to-exciton
  quantum-yield ratio (Nair, Zhao & Bawendi 2011).
* CW excitation: the normalised histogram shows an antibunching dip, fitted with
  :math:`g^{(2)}(\\tau) = c\\,[1 - (1 - g_0)\\,e^{-|\\tau - \\tau_0|/\\tau_a}]`.

Examples
--------
>>> import numpy as np
>>> from qdlab.io.timetags import PhotonStream
>>> rng = np.random.default_rng(0)
>>> pulses = np.sort(rng.integers(0, 2_000_000, 60_000))
>>> t = np.sort(pulses * 10_000 + rng.integers(0, 3000, pulses.size))   # 1 ps ticks, 10 ns
>>> s = PhotonStream(macrotime=t, channel=rng.integers(0, 2, t.size), macrotime_resolution_s=1e-12,
...                  sync_period_s=1e-8)
>>> r = pulsed_g2(s)                      # uncorrelated photons: g2(0) = 1
>>> bool(abs(r.g2_zero - 1) < 4 * r.g2_zero_err)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qdlab.errors import QdlabInputError
from qdlab.photons.analysis._checks import as_stream, positive
from qdlab.photons.analysis.correlate import Correlation, cross_correlation_histogram

__all__ = ["CWG2", "PulsedG2", "correlate_stream", "cw_g2", "pulsed_g2"]


@dataclass(frozen=True)
class PulsedG2:
    """Result of :func:`pulsed_g2`.

    Attributes
    ----------
    g2_zero, g2_zero_err : float
        Centre-to-side peak area ratio and its Poisson standard error.
    qy_ratio_xx_x, qy_ratio_xx_x_err : float
        Biexciton-to-exciton quantum-yield ratio (= g2(0) at weak excitation;
        background-corrected if ``signal_fraction`` was given).
    centre_area : int
        Coincidences in the centre peak.
    side_areas : numpy.ndarray
        Coincidences of the side peaks m = -n ... -1, 1 ... n.
    offset_s : float
        Position of the centre peak (channel delay), s.
    lags_s, g2 : numpy.ndarray
        The histogram normalised to the mean side-peak height (for plots).
    """

    g2_zero: float
    g2_zero_err: float
    qy_ratio_xx_x: float
    qy_ratio_xx_x_err: float
    centre_area: int
    side_areas: np.ndarray
    offset_s: float
    lags_s: np.ndarray
    g2: np.ndarray


@dataclass(frozen=True)
class CWG2:
    """Result of :func:`cw_g2`.

    Attributes
    ----------
    g2_zero, g2_zero_err : float
        Depth of the antibunching dip at :math:`\\tau_0` (fit) and its standard error.
    antibunching_time_s, antibunching_time_err_s : float
        :math:`\\tau_a` (= 1/(k_exc + k_rad) for a two-level emitter), s.
    offset_s : float
        :math:`\\tau_0`, the channel delay, s.
    scale : float
        :math:`c` (> 1 when blinking adds bunching at long lags).
    lags_s, g2 : numpy.ndarray
        Bin centres, s, and the normalised histogram
        :math:`C(\\tau) T / (N_A N_B \\Delta\\tau)`.
    """

    g2_zero: float
    g2_zero_err: float
    antibunching_time_s: float
    antibunching_time_err_s: float
    offset_s: float
    scale: float
    lags_s: np.ndarray
    g2: np.ndarray


def _tick_s(stream) -> float:
    """Duration of one tick of :func:`_ticks`, s."""
    if stream.mode == "T3" and stream.sync_period_s is not None:
        return float(stream.nanotime_resolution_s)
    return float(stream.macrotime_resolution_s)


def _ticks(stream):
    """Integer detection times in order, their channels, and the tick duration, s.

    T3 with a laser sync: sync count * period + delay, in TCSPC bins (photons of one sync
    period are re-ordered by their delays); a period that is not a whole number of bins
    is rounded to the nearest bin at each sync (an error below one bin). T3 without a
    sync period (e.g. a Becker & Hickl card whose macrotime clock is not the laser):
    the macrotime alone (the delay is measured from an unknown pulse).
    """
    ch = np.asarray(stream.channel)
    if stream.mode == "T3" and stream.sync_period_s is not None:
        res = float(stream.nanotime_resolution_s)
        per = stream.macrotime_resolution_s / res
        mt = np.asarray(stream.macrotime, dtype=np.int64)
        if abs(per - round(per)) <= 1e-9 * per:
            start = mt * int(round(per))
        else:
            start = np.rint(mt * per).astype(np.int64)
        t = start + np.asarray(stream.nanotime, dtype=np.int64)
        if t.size > 1 and np.any(np.diff(t) < 0):
            order = np.argsort(t, kind="stable")
            t, ch = t[order], ch[order]
        return t, ch, res
    return np.asarray(stream.macrotime, dtype=np.int64), ch, float(stream.macrotime_resolution_s)


def _two_channels(stream, channel_a, channel_b):
    chans = stream.channels
    if channel_a is None and channel_b is None:
        if len(chans) < 2:
            raise QdlabInputError(f"g2 needs photons on two detector channels (HBT); the "
                                  f"stream has {len(chans)} channel(s): {list(chans)}")
        counts = np.bincount(np.asarray(stream.channel))
        channel_a, channel_b = sorted(int(c) for c in np.argsort(counts)[::-1][:2])
    for name, c in (("channel_a", channel_a), ("channel_b", channel_b)):
        if c is None or int(c) not in chans:
            raise QdlabInputError(f"{name} must be one of the recorded channels "
                                  f"{list(chans)}, got {c}")
    return int(channel_a), int(channel_b)


def correlate_stream(stream, window_s: float, bin_s: float, channel_a=None,
                     channel_b=None) -> tuple[Correlation, float]:
    """Coincidence histogram of channel B against channel A of ``stream``.

    Parameters
    ----------
    stream : PhotonStream
    window_s : float
        Half-width of the lag window, s.
    bin_s : float
        Bin width, s (rounded to whole ticks, >= 1 tick).
    channel_a, channel_b : int, optional
        Default: the two channels with most photons, ascending.

    Returns
    -------
    (Correlation, tick_s)
        The histogram (see
        :func:`~qdlab.photons.analysis.correlate.cross_correlation_histogram`) and the
        tick duration, s.
    """
    s = as_stream(stream)
    a, b = _two_channels(s, channel_a, channel_b)
    ticks, chan, tick_s = _ticks(s)
    bin_t = max(1, int(round(positive(bin_s, "bin_s") / tick_s)))
    win_t = max(bin_t, int(math.ceil(positive(window_s, "window_s") / tick_s)))
    return cross_correlation_histogram(ticks, chan, a, b, win_t, bin_t), tick_s


def pulsed_g2(stream, sync_period_s: float | None = None, n_side_peaks: int = 10,
              signal_fraction: float | None = None, channel_a=None, channel_b=None
              ) -> PulsedG2:
    """g2(0) under pulsed excitation from the centre-to-side peak area ratio.

    Parameters
    ----------
    stream : PhotonStream
        Two-channel stream (T2 or T3).
    sync_period_s : float, optional
        Laser period, s; default ``stream.sync_period_s``.
    n_side_peaks : int
        Side peaks on each side averaged for the normalisation (default 10).
    signal_fraction : float, optional
        :math:`\\rho = S/(S+B)`, the fraction of detections from the dot; if given, the
        QY ratio is corrected for uncorrelated background.
    channel_a, channel_b : int, optional
        The two detectors (default: the two with most photons).

    Returns
    -------
    PulsedG2

    Notes
    -----
    With :math:`A_m` the coincidences within :math:`\\pm P/2` of the m-th peak,

    .. math::

        g^{(2)}(0) = \\frac{A_0}{\\langle A_{m \\ne 0}\\rangle},\\qquad
        \\sigma = g^{(2)}(0)\\sqrt{\\frac{1}{A_0} + \\frac{1}{\\sum_{m\\ne0} A_m}}.

    At weak excitation (:math:`\\langle N\\rangle \\ll 1`),
    :math:`g^{(2)}(0) = \\eta_{XX}/\\eta_X` (Nair et al. 2011, eq. 3). Uncorrelated
    background with signal fraction :math:`\\rho` adds :math:`1 - \\rho^2`, so
    :math:`\\eta_{XX}/\\eta_X = [g^{(2)}(0) - (1-\\rho^2)]/\\rho^2` (Brouri et al. 2000).

    The peaks are integrated over :math:`\\pm P/2`; a coincidence peak of two decays of
    lifetime :math:`\\tau` has tails :math:`e^{-|t|/\\tau}`, so a fraction
    :math:`e^{-P/2\\tau}` of each side peak falls into the centre window. Keep
    :math:`\\tau \\lesssim P/10` (leak < 0.7 %) or correct for it.

    References
    ----------
    .. [1] G. Nair, J. Zhao, M. G. Bawendi, "Biexciton quantum yield of single
       semiconductor nanocrystals from photon statistics", Nano Lett. 11, 1136 (2011);
       see also Phys. Rev. B 84, 115311 (2011).
    .. [2] R. Brouri, A. Beveratos, J.-P. Poizat, P. Grangier, "Photon antibunching in
       the fluorescence of individual color centers in diamond", Opt. Lett. 25, 1294
       (2000).
    """
    s = as_stream(stream)
    period = sync_period_s if sync_period_s is not None else s.sync_period_s
    if period is None:
        raise QdlabInputError("pulsed g2 needs the laser period: the stream states no "
                              "sync_period_s; give sync_period_s")
    period = positive(period, "sync_period_s")
    n_side = int(n_side_peaks)
    if not 1 <= n_side <= 1000:
        raise QdlabInputError(f"n_side_peaks must be in 1 ... 1000, got {n_side_peaks}")
    tick_s = _tick_s(s)
    p_t = period / tick_s
    bin_s = max(tick_s, period / 200.0)
    corr, tick_s = correlate_stream(s, (n_side + 1) * period, bin_s, channel_a, channel_b)
    centres = corr.centres_ticks
    # channel delay: maximum of the histogram folded onto one period
    phase = np.mod(centres, p_t)
    nfold = 200
    fold = np.bincount(np.minimum((phase / p_t * nfold).astype(int), nfold - 1),
                       weights=corr.counts, minlength=nfold)
    off = (np.argmax(fold) + 0.5) / nfold * p_t
    off = off - p_t if off > p_t / 2 else off
    m = np.floor((centres - off + p_t / 2) / p_t).astype(int)
    areas = {k: int(corr.counts[m == k].sum()) for k in range(-n_side, n_side + 1)}
    side = np.array([areas[k] for k in range(-n_side, n_side + 1) if k != 0])
    side_mean = side.mean()
    if side.sum() == 0:
        raise QdlabInputError("no coincidences in the side peaks: too few photons (or a "
                              "wrong sync_period_s) for a pulsed g2")
    a0 = areas[0]
    g = a0 / side_mean
    err = g * math.sqrt(1.0 / max(a0, 1) + 1.0 / side.sum()) if a0 > 0 else 1.0 / side_mean
    if signal_fraction is None:
        qy, qy_err = g, err
    else:
        rho = float(signal_fraction)
        if not 0 < rho <= 1:
            raise QdlabInputError(f"signal_fraction must be in (0, 1], got {signal_fraction}")
        qy, qy_err = (g - (1.0 - rho**2)) / rho**2, err / rho**2
    bins_per_peak = max(p_t / corr.bin_ticks, 1.0)
    norm = side_mean / bins_per_peak
    return PulsedG2(g2_zero=float(g), g2_zero_err=float(err), qy_ratio_xx_x=float(qy),
                    qy_ratio_xx_x_err=float(qy_err), centre_area=a0, side_areas=side,
                    offset_s=float(off * tick_s), lags_s=centres * tick_s,
                    g2=corr.counts / norm)


def cw_g2(stream, window_s: float = 200e-9, bin_s: float | None = None, channel_a=None,
          channel_b=None) -> CWG2:
    """g2 under CW excitation: fit of the antibunching dip.

    Parameters
    ----------
    stream : PhotonStream
        Two-channel T2 stream (or T3).
    window_s : float
        Half-width of the lag window, s (default 200 ns; make it several antibunching
        times).
    bin_s : float, optional
        Bin width, s (default window / 200).
    channel_a, channel_b : int, optional
        The two detectors.

    Returns
    -------
    CWG2

    Notes
    -----
    The histogram is normalised by the accidental rate,
    :math:`g^{(2)}(\\tau) = C(\\tau)\\,T/(N_A N_B \\Delta\\tau)`, and fitted by
    Poisson maximum likelihood on the counts (started from a weighted least-squares
    fit; errors from the Fisher information) with

    .. math::

        g^{(2)}(\\tau) = c\\left[1 - (1 - g_0)\\,e^{-|\\tau - \\tau_0|/\\tau_a}\\right],

    the two-level result (Kimble, Dagenais & Mandel 1977) with
    :math:`1/\\tau_a = k_{exc} + k_{rad}`, :math:`g_0 = g^{(2)}(0)` (0 for one ideal
    emitter, :math:`1 - \\rho^2` with an uncorrelated background of signal fraction
    :math:`\\rho`) and :math:`c` for slow bunching.

    References
    ----------
    .. [1] H. J. Kimble, M. Dagenais, L. Mandel, Phys. Rev. Lett. 39, 691 (1977).
    .. [2] P. Michler et al., "Quantum correlation among photons from a single quantum
       dot at room temperature", Nature 406, 968 (2000).
    """
    from scipy.optimize import curve_fit, minimize

    s = as_stream(stream)
    window_s = positive(window_s, "window_s")
    bin_s = window_s / 200.0 if bin_s is None else positive(bin_s, "bin_s")
    tick = _tick_s(s)
    if tick > bin_s * (1 + 1e-9):
        raise QdlabInputError(
            f"the photon times are resolved to {tick * 1e9:.4g} ns only"
            + (" (T3 without a laser sync: the macrotime clock)" if s.mode == "T3" else "")
            + f"; a CW g2 with bins of {bin_s * 1e9:.4g} ns needs a finer time resolution")
    corr, tick_s = correlate_stream(s, window_s, bin_s, channel_a, channel_b)
    acc = corr.accidental_per_bin
    if acc <= 0 or corr.counts.sum() < 50:
        raise QdlabInputError(f"too few coincidences for a CW g2 ({int(corr.counts.sum())} "
                              "in the window; >= 50 needed)")
    tau = corr.centres_ticks * tick_s
    g = corr.counts / acc
    sig = np.sqrt(np.maximum(corr.counts, 1.0)) / acc

    def model(x, c, g0, t0, ta):
        return c * (1.0 - (1.0 - g0) * np.exp(-np.abs(x - t0) / ta))

    tail = np.abs(tau) > 0.5 * window_s
    c0 = float(np.mean(g[tail])) if np.any(tail) else 1.0
    p0 = [c0, max(0.0, min(1.0, float(g[np.argmin(np.abs(tau))]) / max(c0, 1e-9))), 0.0,
          window_s / 20]
    bounds = ([0.0, 0.0, -window_s / 2, 2 * bin_s / 10], [np.inf, 5.0, window_s / 2, window_s])
    try:
        popt, _ = curve_fit(model, tau, g, p0=p0, sigma=sig, absolute_sigma=True,
                            bounds=bounds, maxfev=20000)
    except (RuntimeError, ValueError) as exc:
        raise QdlabInputError(f"the antibunching fit did not converge ({exc})") from None
    # refine by Poisson maximum likelihood on the counts (least squares with weights
    # from the observed counts is biased at the few counts of the dip)
    counts = corr.counts.astype(np.float64)
    scale = np.array([1.0, 1.0, window_s, window_s])   # parameters of order 1

    def nll(q):
        m = np.maximum(acc * model(tau, *(q * scale)), 1e-300)
        return float(np.sum(m - counts * np.log(m)))

    res = minimize(nll, popt / scale, method="L-BFGS-B",
                   bounds=[(lo / sc, hi / sc)
                           for lo, hi, sc in zip(*bounds, scale, strict=True)])
    popt = res.x * scale if res.fun <= nll(popt / scale) else popt
    m = acc * model(tau, *popt)
    jac = np.empty((tau.size, 4))   # d m / d q, with q = p / scale (well conditioned)
    for i in range(4):
        h = 1e-5 * scale[i]
        up, dn = popt.copy(), popt.copy()
        up[i] += h
        dn[i] -= h
        jac[:, i] = acc * (model(tau, *up) - model(tau, *dn)) / (2e-5)
    info = jac.T @ (jac / np.maximum(m, 1e-12)[:, None])
    err = scale * np.sqrt(np.clip(np.diag(np.linalg.pinv(info)), 0, np.inf))
    return CWG2(g2_zero=float(popt[1]), g2_zero_err=float(err[1]),
                antibunching_time_s=float(popt[3]), antibunching_time_err_s=float(err[3]),
                offset_s=float(popt[2]), scale=float(popt[0]), lags_s=tau, g2=g)
