"""Photon-stream analysis against ground truth from synthetic streams made here with numpy.

Every tolerance is a multiple (3-4) of the standard error the method itself reports or
of the binomial/Poisson error of the quantity, so each test can fail.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from qdlab.errors import QdlabInputError
from qdlab.io.timetags import PhotonStream
from qdlab.photons.analysis import (
    cluster_levels,
    critical_value,
    cross_correlation_histogram,
    cw_g2,
    decay_histogram,
    find_change_points,
    fit_decay,
    fit_power_law,
    fit_truncated_power_law,
    flid,
    glr_statistic,
    intensity_trace,
    on_off_durations,
    on_off_from_levels,
    on_off_from_trace,
    pulsed_g2,
    suggest_bin_width_s,
)
from qdlab.photons.analysis.report import analyse_stream

TICK = 1e-12   # T2 clock tick, s


# --------------------------------------------------------------------------- generators
def poisson_piecewise(rng, edges_s, rates_cps):
    """Arrival times of a Poisson process with rate rates_cps[i] on [edges_s[i], edges_s[i+1])."""
    dur = np.diff(edges_s)
    n = rng.poisson(np.asarray(rates_cps) * dur)
    return np.concatenate([np.sort(rng.uniform(edges_s[i], edges_s[i + 1], n[i]))
                           for i in range(dur.size)])


def telegraph(rng, a_on, a_off, tmin_s, n_periods, rate_on, rate_off):
    """Blinking: alternating on/off periods with Pareto durations (exponents a_on, a_off)."""
    d_on = tmin_s * (1 - rng.random(n_periods)) ** (-1 / (a_on - 1))
    d_off = tmin_s * (1 - rng.random(n_periods)) ** (-1 / (a_off - 1))
    dur = np.empty(2 * n_periods)
    dur[0::2], dur[1::2] = d_on, d_off
    rates = np.tile([rate_on, rate_off], n_periods)
    return poisson_piecewise(rng, np.r_[0.0, np.cumsum(dur)], rates), d_on, d_off


def t2_stream(times_s, channel=None, sync_period_s=None):
    ticks = np.round(np.asarray(times_s) / TICK).astype(np.int64)
    order = np.argsort(ticks, kind="stable")
    ch = np.zeros(ticks.size, int) if channel is None else np.asarray(channel)[order]
    return PhotonStream(macrotime=ticks[order], channel=ch, macrotime_resolution_s=TICK,
                        sync_period_s=sync_period_s)


def pulsed_hbt(rng, n_pulses, period_s, p_signal, b_per_channel, tau_s):
    """Ideal single emitter (<= 1 photon per pulse, detected with probability p_signal,
    split 50/50) plus Poisson background b_per_channel per pulse and channel, uniform in
    the period.  g2(0) = 1 - rho^2 with rho = (p/2) / (p/2 + b)."""
    emit = np.flatnonzero(rng.random(n_pulses) < p_signal)
    t_sig = emit * period_s + 1e-9 + rng.exponential(tau_s, emit.size)
    ch_sig = rng.integers(0, 2, emit.size)
    parts_t, parts_c = [t_sig], [ch_sig]
    for c in (0, 1):
        nb = rng.poisson(b_per_channel * n_pulses)
        parts_t.append(rng.uniform(0, n_pulses * period_s, nb))
        parts_c.append(np.full(nb, c))
    return t2_stream(np.concatenate(parts_t), np.concatenate(parts_c), sync_period_s=period_s)


def cw_hbt(rng, duration_s, k_exc, k_rad, eta, bg_cps_per_channel):
    """Two-level emitter under CW excitation (renewal: Exp(k_exc) + Exp(k_rad) between
    emissions), detected with probability eta, split 50/50, plus Poisson background."""
    n = int(duration_s * k_exc * k_rad / (k_exc + k_rad) * 1.05) + 100
    t = np.cumsum(rng.exponential(1 / k_exc, n) + rng.exponential(1 / k_rad, n))
    t = t[(t < duration_s) & (rng.random(n) < eta)]
    ch = rng.integers(0, 2, t.size)
    parts_t, parts_c = [t], [ch]
    for c in (0, 1):
        nb = rng.poisson(bg_cps_per_channel * duration_s)
        parts_t.append(rng.uniform(0, duration_s, nb))
        parts_c.append(np.full(nb, c))
    return t2_stream(np.concatenate(parts_t), np.concatenate(parts_c))


def t3_stream(rng, n, period_s, res_s, taus_s, fractions, irf_centre_s, irf_fwhm_s,
              rate_cps=5e4, channel=None):
    """T3 stream: exponential decays (photon fractions) convolved with a Gaussian IRF,
    wrapped into the period (pile-up of earlier pulses)."""
    comp = rng.choice(len(taus_s), n, p=fractions)
    delay = (irf_centre_s + rng.normal(0, irf_fwhm_s / 2.3548, n)
             + rng.exponential(np.asarray(taus_s)[comp]))
    nt = (np.mod(delay, period_s) / res_s).astype(np.int64)
    macro = np.sort(rng.integers(0, int(n / rate_cps / period_s), n))
    return PhotonStream(macrotime=macro, channel=np.zeros(n, int) if channel is None else
                        channel, macrotime_resolution_s=period_s, nanotime=nt,
                        nanotime_resolution_s=res_s, mode="T3", sync_period_s=period_s)


# --------------------------------------------------------------------------- traces
def test_trace_counts_every_photon_of_complete_bins_per_channel():
    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(0, 10, 20000))
    s = t2_stream(t, rng.integers(0, 2, t.size))
    tr = intensity_trace(s, bin_width_s=0.1)
    t_rel = s.times_s - s.times_s[0]
    n_bins = int(t_rel[-1] // 0.1)
    assert tr.counts.shape == (2, n_bins)
    assert tr.total.sum() == np.sum(t_rel < n_bins * 0.1 - 1e-12)
    ch = np.asarray(s.channel)
    assert tr.counts[1].sum() == np.sum((ch == 1) & (t_rel < n_bins * 0.1 - 1e-12))
    # mean rate recovered within 4 Poisson sigma of the total
    assert abs(tr.rate_cps.mean() - 2000) < 4 * math.sqrt(20000) / 10


def test_bin_width_choice_gives_enough_counts_per_bin():
    rng = np.random.default_rng(1)
    s = t2_stream(np.sort(rng.uniform(0, 5, 5000)))         # 1000 cps
    w = suggest_bin_width_s(s)
    assert w == pytest.approx(0.05)                          # smallest 1-2-5 with >= 25
    with pytest.raises(QdlabInputError, match="bin_width_s"):
        intensity_trace(s, bin_width_s=-1)
    with pytest.raises(QdlabInputError, match="channel 7"):
        intensity_trace(s, channels=[7])


# --------------------------------------------------------------------------- change points
def test_type_one_error_of_the_change_point_test_is_alpha():
    """On constant-rate data the test fires with probability alpha (binomial 4 sigma)."""
    rng = np.random.default_rng(2)
    m, n, alpha = 400, 400, 0.05
    fires = sum(glr_statistic(np.sort(rng.uniform(0, 1, n + 1))).max() > critical_value(n, alpha)
                for _ in range(m))
    assert abs(fires / m - alpha) < 4 * math.sqrt(alpha * (1 - alpha) / m)


def test_critical_values_grow_with_n_and_confidence():
    assert critical_value(1000, 0.01) > critical_value(1000, 0.05) > critical_value(1000, 0.31)
    assert critical_value(10**5, 0.05) > critical_value(10**3, 0.05)
    with pytest.raises(QdlabInputError, match="alpha"):
        critical_value(100, 1.5)


def test_change_points_of_a_known_piecewise_poisson_process():
    rng = np.random.default_rng(3)
    edges = np.array([0.0, 0.7, 1.1, 2.0, 2.4, 3.0])
    rates = np.array([5000, 500, 3000, 300, 5000])
    t = poisson_piecewise(rng, edges, rates)
    cps = find_change_points(t, alpha=0.01)
    # every true change found, located within a few mean inter-photon times of the
    # slower side
    tol = 5.0 / np.minimum(rates[:-1], rates[1:])
    nearest = np.array([np.min(np.abs(cps.times_s - e)) for e in edges[1:-1]])
    assert np.all(nearest < tol)
    # each of the 5 final segments is tested once more at alpha = 0.01: >= 2 false
    # positives has probability ~ 10 alpha^2 = 0.001
    assert cps.indices.size <= edges.size - 2 + 1
    if cps.indices.size == edges.size - 2:   # segment rates within 4 Poisson sigma
        assert np.all(np.abs(cps.rates_cps - rates) < 4 * np.sqrt(rates / np.diff(edges)) + 1)


def test_false_change_points_per_segment_near_alpha():
    """Over 40 realisations of 5 segments the extra change points number ~ 5 alpha per
    record (Poisson 4 sigma)."""
    edges = np.array([0.0, 0.7, 1.1, 2.0, 2.4, 3.0])
    rates = np.array([5000, 500, 3000, 300, 5000])
    extra = 0
    for seed in range(40):
        t = poisson_piecewise(np.random.default_rng(100 + seed), edges, rates)
        extra += find_change_points(t, alpha=0.05).indices.size - 4
    expected = 40 * 5 * 0.05
    assert abs(extra - expected) < 4 * math.sqrt(expected)


def test_no_change_point_on_constant_rate_and_bad_input_refused():
    rng = np.random.default_rng(4)
    cps = find_change_points(np.sort(rng.uniform(0, 10, 20000)), alpha=0.01)
    assert cps.indices.size <= 1           # P(>= 1 false positive) ~ alpha
    with pytest.raises(QdlabInputError, match="non-decreasing"):
        find_change_points(np.array([0.0, 2.0, 1.0]))


# --------------------------------------------------------------------------- levels
def test_em_bic_finds_the_number_of_levels_and_their_rates():
    rng = np.random.default_rng(5)
    true = np.array([200.0, 2000.0, 8000.0])
    state = rng.integers(0, 3, 300)
    T = rng.uniform(0.05, 0.3, 300)
    n = rng.poisson(true[state] * T)
    lv = cluster_levels(n, T, max_states=5)
    assert lv.n_states == 3
    for g in range(3):
        sel = state == g
        sigma = math.sqrt(true[g] / T[sel].sum())
        assert abs(lv.rates_cps[g] - true[g]) < 4 * sigma
    assert np.mean(lv.state_of_segment == state) > 0.97


# --------------------------------------------------------------------------- power laws
def test_continuous_power_law_mle_and_ks_xmin():
    rng = np.random.default_rng(6)
    body = rng.uniform(1e-4, 1e-3, 2000)                     # not a power law below xmin
    tail = 1e-3 * (1 - rng.random(5000)) ** (-1 / 0.65)      # alpha = 1.65
    fit = fit_power_law(np.r_[body, tail])
    assert abs(fit.alpha - 1.65) < 4 * fit.alpha_err
    assert 0.8e-3 < fit.xmin < 2e-3
    assert fit.alpha_err == pytest.approx((fit.alpha - 1) / math.sqrt(fit.n_tail))


def test_discrete_power_law_mle():
    from scipy.special import zeta

    rng = np.random.default_rng(7)
    alpha, xmin = 2.2, 3
    x = np.arange(xmin, 2_000_000)
    cdf = 1 - zeta(alpha, x + 1) / zeta(alpha, xmin)
    sample = x[np.searchsorted(cdf, rng.random(6000))]
    fit = fit_power_law(sample, xmin=xmin, discrete=True)
    assert abs(fit.alpha - alpha) < 4 * fit.alpha_err
    with pytest.raises(QdlabInputError, match="integer"):
        fit_power_law(sample + 0.5, xmin=xmin, discrete=True)


def test_bootstrap_error_is_close_to_the_asymptotic_error():
    rng = np.random.default_rng(8)
    x = 1e-2 * (1 - rng.random(2000)) ** (-1 / 0.8)
    a = fit_power_law(x, xmin=1e-2)
    b = fit_power_law(x, xmin=1e-2, n_bootstrap=200, seed=1)
    assert b.alpha == a.alpha
    # 200 resamples: relative error of a standard deviation ~ 1/sqrt(400) = 5 %
    assert b.alpha_err == pytest.approx(a.alpha_err, rel=0.25)


def test_exponential_cutoff_recovered_and_preferred_only_when_present():
    rng = np.random.default_rng(9)
    a, lam, xm = 1.5, 2.0, 1e-2
    u = xm * (1 - rng.random(600_000)) ** (-1 / (a - 1))
    u = u[rng.random(u.size) < np.exp(-lam * (u - xm))][:5000]
    fit = fit_truncated_power_law(u, xmin=xm)
    assert abs(fit.alpha - a) < 4 * fit.alpha_err
    assert abs(fit.cutoff_rate - lam) < 4 * fit.cutoff_rate_err
    assert fit.p_value < 1e-6
    pure = xm * (1 - rng.random(5000)) ** (-1 / (a - 1))
    assert fit_truncated_power_law(pure, xmin=xm).p_value > 1e-3


# --------------------------------------------------------------------------- on/off
def test_on_off_runs_merge_equal_states_and_drop_censored_ends():
    d = on_off_durations(np.arange(7.0), np.array([1, 1, 0, 1, 0, 0], bool))
    assert d.on_s.tolist() == [1.0] and d.off_s.tolist() == [1.0]
    with pytest.raises(QdlabInputError, match="one more"):
        on_off_durations(np.arange(3.0), np.array([True]))


def test_blinking_exponents_recovered_through_change_points_and_levels():
    """Telegraph stream with Pareto on (1.7) and off (1.5) durations from 20 ms, on at
    4000 cps and off at 50 cps: the whole chain (change points -> EM/BIC levels ->
    on/off -> Clauset fit) recovers both exponents within 4 standard errors."""
    rng = np.random.default_rng(4)
    t, d_on, d_off = telegraph(rng, 1.7, 1.5, 0.02, 400, 4000.0, 50.0)
    assert t.size < 3_000_000
    cps = find_change_points(t, alpha=0.05)
    lv = cluster_levels(cps.n_photons, cps.durations_s)
    oo = on_off_from_levels(cps, lv)
    assert abs(oo.on_s.size - 398) < 20      # nearly every period found
    f_on, f_off = fit_power_law(oo.on_s), fit_power_law(oo.off_s)
    assert abs(f_on.alpha - 1.7) < 4 * f_on.alpha_err
    assert abs(f_off.alpha - 1.5) < 4 * f_off.alpha_err


def test_on_off_from_a_binned_trace():
    rng = np.random.default_rng(10)
    edges = np.r_[0.0, np.cumsum(np.tile([0.5, 0.3], 40))]
    t = poisson_piecewise(rng, edges, np.tile([5000.0, 100.0], 40))
    oo = on_off_from_trace(intensity_trace(t2_stream(t), bin_width_s=0.01))
    # periods of 0.5 and 0.3 s, quantised to the 10 ms bins
    assert np.all(np.abs(oo.on_s - 0.5) <= 0.021) and np.all(np.abs(oo.off_s - 0.3) <= 0.021)


# --------------------------------------------------------------------------- g2
def test_coincidence_histogram_equals_the_brute_force_pair_histogram():
    rng = np.random.default_rng(11)
    t = np.sort(rng.integers(0, 10**6, 3000))
    ch = rng.integers(0, 3, 3000)
    h = cross_correlation_histogram(t, ch, 2, 0, window_ticks=7000, bin_ticks=250)
    ta, tb = t[ch == 2], t[ch == 0]
    d = (tb[None, :] - ta[:, None]).ravel()
    d = d[(d >= -7000) & (d < 7000)]
    assert np.array_equal(h.counts, np.bincount((d + 7000) // 250, minlength=56))
    assert (h.n_a, h.n_b) == (ta.size, tb.size)


@pytest.mark.parametrize("p,b", [(0.1, 0.0), (0.1, 0.01), (0.06, 0.03)])
def test_pulsed_g2_of_a_single_emitter_with_background(p, b):
    rng = np.random.default_rng(12)
    s = pulsed_hbt(rng, 2_000_000, 50e-9, p, b, 3e-9)
    rho = (p / 2) / (p / 2 + b)
    truth = 1 - rho**2
    r = pulsed_g2(s)
    assert abs(r.g2_zero - truth) < 4 * r.g2_zero_err + 1e-12
    assert abs(r.offset_s) < 2e-9
    if b > 0:   # background correction gives back the ideal emitter's QY ratio (0)
        rc = pulsed_g2(s, signal_fraction=rho)
        assert abs(rc.qy_ratio_xx_x) < 4 * rc.qy_ratio_xx_x_err


def test_pulsed_g2_of_uncorrelated_light_is_one():
    rng = np.random.default_rng(13)
    pulses = np.sort(rng.integers(0, 1_000_000, 200_000))     # Poisson photons per pulse
    t = pulses * 20e-9 + rng.uniform(0, 2e-9, pulses.size)
    r = pulsed_g2(t2_stream(t, rng.integers(0, 2, t.size), 20e-9))
    assert abs(r.g2_zero - 1) < 4 * r.g2_zero_err


@pytest.mark.parametrize("bg", [0.0, 5e4])
def test_cw_antibunching_depth_and_time(bg):
    rng = np.random.default_rng(14)
    k_exc, k_rad, eta = 2e7, 5e7, 0.05
    s = cw_hbt(rng, 2.0, k_exc, k_rad, eta, bg)
    sig = eta * k_exc * k_rad / (k_exc + k_rad) / 2            # per channel
    rho = sig / (sig + bg)
    r = cw_g2(s, window_s=150e-9, bin_s=1e-9)
    assert abs(r.g2_zero - (1 - rho**2)) < 4 * r.g2_zero_err
    assert abs(r.antibunching_time_s - 1 / (k_exc + k_rad)) < 4 * r.antibunching_time_err_s


def test_g2_needs_two_channels():
    s = t2_stream(np.sort(np.random.default_rng(0).uniform(0, 1, 1000)), sync_period_s=1e-7)
    with pytest.raises(QdlabInputError, match="two detector channels"):
        pulsed_g2(s)


# --------------------------------------------------------------------------- lifetimes
def test_biexponential_lifetime_with_gaussian_irf():
    rng = np.random.default_rng(15)
    s = t3_stream(rng, 400_000, 50e-9, 16e-12, [2e-9, 15e-9], [0.3, 0.7], 3e-9, 300e-12)
    t, c = decay_histogram(s)
    fit = fit_decay(t, c, n_exponentials=2, irf_fwhm_s=300e-12)
    assert np.all(np.abs(fit.lifetimes_s - [2e-9, 15e-9]) < 4 * fit.lifetimes_err_s)
    assert abs(fit.intensity_fractions[0] - 0.3) < 0.02
    assert 0.9 < fit.reduced_deviance < 1.15


def test_lifetime_with_measured_irf_and_pile_up():
    rng = np.random.default_rng(16)
    res, period = 32e-12, 25e-9
    s = t3_stream(rng, 300_000, period, res, [20e-9], [1.0], 2e-9, 250e-12)  # tau ~ period
    irf_delays = 2e-9 + rng.normal(0, 250e-12 / 2.3548, 200_000)
    t, c = decay_histogram(s)
    irf = np.bincount((irf_delays / res).astype(int), minlength=t.size)[: t.size]
    fit = fit_decay(t, c, n_exponentials=1, irf=irf)
    assert abs(fit.lifetimes_s[0] - 20e-9) < 4 * fit.lifetimes_err_s[0]
    with pytest.raises(QdlabInputError, match="n_exponentials"):
        fit_decay(t, c, n_exponentials=7)


def test_flid_separates_a_bright_long_and_a_dim_short_state():
    rng = np.random.default_rng(17)
    period, res = 100e-9, 50e-12
    parts = []
    for k in range(20):     # 0.5 s bright (20 ns, 20 kcps) / 0.5 s dim (3 ns, 4 kcps)
        for t0, tau, rate in ((k * 1.0, 20e-9, 2e4), (k * 1.0 + 0.5, 3e-9, 4e3)):
            n = rng.poisson(rate * 0.5)
            mac = np.sort(rng.integers(int(t0 / period), int((t0 + 0.5) / period), n))
            nt = (np.mod(1e-9 + rng.exponential(tau, n), period) / res).astype(np.int64)
            parts.append((mac, nt))
    s = PhotonStream(macrotime=np.concatenate([p[0] for p in parts]),
                     channel=np.zeros(sum(p[0].size for p in parts), int),
                     macrotime_resolution_s=period, nanotime=np.concatenate([p[1] for p in parts]),
                     nanotime_resolution_s=res, mode="T3", sync_period_s=period)
    f = flid(s, bin_width_s=0.01, irf_centre_s=1e-9)

    def wrapped_mean(tau):   # mean delay of an exponential folded into one period
        return tau - period * math.exp(-period / tau) / (1 - math.exp(-period / tau))

    bright, dim = f.counts > 120, (f.counts > 0) & (f.counts < 80)
    # per-bin mean delay: sigma = tau / sqrt(n); the median over many bins is much tighter
    assert abs(np.median(f.delay_s[bright]) - wrapped_mean(20e-9)) < 0.5e-9
    assert abs(np.median(f.delay_s[dim]) - 3e-9) < 0.3e-9
    assert f.histogram.sum() == np.count_nonzero(f.counts)


def test_t2_streams_have_no_lifetime():
    s = t2_stream(np.sort(np.random.default_rng(0).uniform(0, 1, 1000)))
    with pytest.raises(QdlabInputError, match="T3"):
        decay_histogram(s)


# --------------------------------------------------------------------------- report
def test_report_of_a_one_channel_t2_stream_has_reasons_for_nulls():
    rng = np.random.default_rng(18)
    t = poisson_piecewise(rng, np.array([0.0, 1.0, 2.0, 3.0]), [3000.0, 200.0, 3000.0])
    d = analyse_stream(t2_stream(t)).to_dict()
    assert d["change_points"] == 2 and len(d["change_point_times_s"]) == 2
    assert d["g2_zero"] is None and "one detector channel" in d["g2_zero_reason"]
    assert d["lifetime_ns"] is None and "T2" in d["lifetime_ns_reason"]
    assert d["on_exponent"] is None and "on_exponent_reason" in d
    assert d["quality"] in ("good", "uncertain", "poor")


def test_report_of_a_two_channel_t3_stream():
    rng = np.random.default_rng(19)
    n = 200_000
    s0 = t3_stream(rng, n, 50e-9, 16e-12, [10e-9], [1.0], 2e-9, 200e-12,
                   channel=rng.integers(0, 2, n))
    d = analyse_stream(s0).to_dict()
    assert d["lifetime_ns"] == pytest.approx(10.0, abs=4 * d["lifetime_err_ns"])
    assert d["g2_method"] == "pulsed"
    # independent photons spread over pulses: g2(0) = 1
    assert abs(d["g2_zero"] - 1) < 4 * d["g2_zero_err"]
    assert d["quality"] == "poor"    # g2(0) >= 0.5: not a single emitter


# --------------------------------------------------------------------------- CLI and API
def _blinking_hbt_stream():
    """Two-channel pulsed T2 stream of a blinking single emitter with a little background."""
    rng = np.random.default_rng(20)
    period, n_pulses = 50e-9, 4_000_000                      # 0.2 s
    on = (np.arange(n_pulses) // 200_000) % 2 == 0          # 10 ms on / 10 ms off
    emit = np.flatnonzero(rng.random(n_pulses) < np.where(on, 0.02, 0.0005))
    t = emit * period + 1e-9 + rng.exponential(3e-9, emit.size)
    ch = rng.integers(0, 2, emit.size)
    nb = rng.poisson(2e-4 * n_pulses)
    t = np.r_[t, rng.uniform(0, n_pulses * period, nb)]
    ch = np.r_[ch, rng.integers(0, 2, nb)]
    return t2_stream(t, ch, sync_period_s=period)


@pytest.fixture
def cli(monkeypatch, tmp_path):
    """Run ``qdlab photons analyse`` on a synthetic stream in place of a file reader."""
    import json

    from typer.testing import CliRunner

    import qdlab.io.timetags as timetags
    from qdlab.cli.main import app

    holder = {}
    monkeypatch.setattr(timetags, "read_timetags", lambda path: holder["stream"])
    f = tmp_path / "dot.ptu"
    f.write_bytes(b"x")

    def run(stream, *args):
        holder["stream"] = stream
        res = CliRunner().invoke(app, ["photons", "analyse", str(f), *args])
        return res, (json.loads(res.stdout) if "--json" in args and res.exit_code == 0
                     else None)

    return run, tmp_path


def test_cli_json_contract_of_a_blinking_single_emitter(cli):
    run, tmp = cli
    res, d = run(_blinking_hbt_stream(), "--json", "--plot", str(tmp / "a.png"),
                 "--bin-ms", "1")
    assert res.exit_code == 0, res.output
    for key in ("g2_zero", "lifetime_ns", "on_exponent", "off_exponent", "change_points",
                "quality", "quality_notes"):
        assert key in d
    assert d["bin_width_s"] == pytest.approx(1e-3)
    # 20 switches of 10 ms: change points found near every one of them
    assert abs(d["change_points"] - 19) <= 3
    # rho = 0.01/(0.01 + 1e-4 + ...) -> g2(0) well below 0.5, with its error
    assert d["g2_method"] == "pulsed" and d["g2_zero"] < 0.3 and d["g2_zero_err"] > 0
    assert d["lifetime_ns"] is None and "T2" in d["lifetime_ns_reason"]
    assert d["on_exponent"] is None and d["on_exponent_reason"]
    assert (tmp / "a.png").stat().st_size > 10_000


def test_cli_one_channel_g2_null_with_reason_and_table_output(cli):
    run, _ = cli
    t = poisson_piecewise(np.random.default_rng(21), np.array([0.0, 1.0, 2.0]), [2000, 300])
    res, d = run(t2_stream(t), "--json")
    assert res.exit_code == 0
    assert d["g2_zero"] is None and "one detector channel" in d["g2_zero_reason"]
    res, _ = run(t2_stream(t))
    assert res.exit_code == 0 and "change points" in res.stdout and "g2(0)" in res.stdout


@pytest.mark.parametrize("args,match", [(["--bin-ms", "0"], "--bin-ms"),
                                        (["--alpha", "2"], "--alpha"),
                                        (["--plot", "x.pdf"], "--plot")])
def test_cli_bad_options_one_line_exit_2(cli, args, match):
    run, _ = cli
    res, _ = run(t2_stream(np.sort(np.random.default_rng(0).uniform(0, 1, 100))), *args)
    assert res.exit_code == 2
    assert match in res.output and "Traceback" not in res.output


def test_cli_unreadable_file_one_line_exit_2(tmp_path):
    from typer.testing import CliRunner

    from qdlab.cli.main import app

    f = tmp_path / "x.unknownsuffix"
    f.write_bytes(b"abc")
    res = CliRunner().invoke(app, ["photons", "analyse", str(f), "--json"])
    assert res.exit_code == 2 and res.output.startswith("error: ")
    assert len(res.output.strip().splitlines()) == 1


def test_api_photons_analyse_returns_the_cli_json(monkeypatch):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    import qdlab.io.timetags as timetags
    from qdlab.web.app import create_app

    seen = {}

    def fake_reader(path):
        seen["suffix"] = str(path)[-4:]
        return _blinking_hbt_stream()

    monkeypatch.setattr(timetags, "read_timetags", fake_reader)
    with TestClient(create_app()) as c:
        r = c.post("/api/photons/analyse", files={"file": ("dot.ptu", b"tags", "application/"
                                                                             "octet-stream")},
                   data={"bin_ms": "1"})
        assert r.status_code == 200, r.text
        d = r.json()
        assert seen["suffix"] == ".ptu"
        assert d["g2_method"] == "pulsed" and d["g2_zero"] < 0.3
        assert d["lifetime_ns"] is None and d["lifetime_ns_reason"]
        r = c.post("/api/photons/analyse", files={"file": ("dot.ptu", b"", "x/y")})
        assert r.status_code == 422
        r = c.post("/api/photons/analyse", files={"file": ("dot.ptu", b"t", "x/y")},
                   data={"alpha": "3"})
        assert r.status_code == 422


def test_api_unreadable_upload_is_422():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from qdlab.web.app import create_app

    with TestClient(create_app()) as c:
        r = c.post("/api/photons/analyse", files={"file": ("x.zzz", b"abc", "x/y")})
        assert r.status_code == 422 and "reader" in r.json()["detail"]
