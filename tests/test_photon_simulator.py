"""The single-dot photon-stream simulator against exact results (qdlab.photons).

Every statistical check uses a tolerance of 5 standard errors computed from the counts
of the test itself, with fixed seeds.
"""

from __future__ import annotations

import json
import math
import pickle
import re
import sys
import types

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from typer.testing import CliRunner

from qdlab.errors import QdlabInputError
from qdlab.photons.blinking import (
    CHARGED,
    NEUTRAL,
    BlinkingModel,
    blinking_trajectory,
    truncated_power_law,
)
from qdlab.photons.detector import FWHM_PER_SIGMA, Detector, dead_time_filter, detect
from qdlab.photons.emitter import EmitterRates
from qdlab.photons.simulate import (
    MAX_EXCITATIONS,
    cw_emission_rate,
    pulsed_emission_rate,
    pulsed_g2_zero,
    simulate_stream,
)

#: A detector without flaws other than its efficiency (exact expectations).
IDEAL = dict(irf_fwhm_s=0.0, delay_s=0.0, dead_time_s=0.0, dark_count_rate_cps=0.0,
             afterpulse_probability=0.0)


def rates_cdse(**kw):
    """A CdSe-like dot: 20 ns exciton (QY 0.9), biexciton QY 0.3, grey trion."""
    base = dict(exciton_radiative_lifetime_ns=20.0 / 0.9, exciton_nonradiative_lifetime_ns=
                20.0 / 0.1, biexciton_radiative_lifetime_ns=5.0, biexciton_auger_lifetime_ns=
                5.0 * 0.3 / 0.7, trion_radiative_lifetime_ns=10.0, trion_auger_lifetime_ns=2.0)
    base.update(kw)
    return EmitterRates(**base)


# -- rates -----------------------------------------------------------------------------


def test_rates_quantum_yields_and_g2():
    r = rates_cdse()
    assert r.exciton_lifetime_ns == pytest.approx(20.0)
    assert r.exciton_qy == pytest.approx(0.9)
    assert r.biexciton_qy == pytest.approx(0.3)
    assert r.g2_zero == pytest.approx(0.3 / 0.9)
    assert r.trion_qy == pytest.approx(2.0 / 12.0)
    d = r.as_dict()
    assert d["exciton_lifetime_ns"] == pytest.approx(20.0)
    json.dumps(d)   # JSON-ready


def test_rates_from_multiexcitons_duck_typed():
    p = types.SimpleNamespace(
        exciton_radiative_lifetime_ns=25.0, exciton_qy=0.5,
        biexciton_radiative_lifetime_ns=6.0, biexciton_auger_lifetime_ns=0.06,
        negative_trion_radiative_lifetime_ns=12.0, negative_trion_auger_lifetime_ns=0.4,
        positive_trion_radiative_lifetime_ns=13.0, positive_trion_auger_lifetime_ns=0.2)
    r = EmitterRates.from_multiexcitons(p)
    assert r.exciton_qy == pytest.approx(0.5)
    assert r.exciton_nonradiative_lifetime_ns == pytest.approx(25.0)
    assert r.trion_auger_lifetime_ns == 0.4
    rp = EmitterRates.from_multiexcitons(p, trion="positive")
    assert (rp.trion_radiative_lifetime_ns, rp.trion_auger_lifetime_ns) == (13.0, 0.2)
    p.exciton_qy = 1.0
    assert math.isinf(EmitterRates.from_multiexcitons(p).exciton_nonradiative_lifetime_ns)
    with pytest.raises(QdlabInputError, match="trion"):
        EmitterRates.from_multiexcitons(p, trion="neutral")
    del p.biexciton_auger_lifetime_ns
    with pytest.raises(QdlabInputError, match="biexciton_auger_lifetime_ns"):
        EmitterRates.from_multiexcitons(p)
    p.biexciton_auger_lifetime_ns = None
    p.biexciton_auger_lifetime_ns_reason = "no Auger model for this shape"
    with pytest.raises(QdlabInputError, match="no Auger model"):
        EmitterRates.from_multiexcitons(p)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf"), "x"])
def test_rates_refuse_bad_lifetimes(bad):
    with pytest.raises(QdlabInputError, match="exciton_radiative_lifetime_ns"):
        rates_cdse(exciton_radiative_lifetime_ns=bad)


def test_rates_from_scaling():
    r = EmitterRates.from_scaling(20.0, 0.1, exciton_qy=0.8)
    assert r.biexciton_radiative_lifetime_ns == 5.0 and r.trion_radiative_lifetime_ns == 10.0
    assert r.trion_auger_lifetime_ns == pytest.approx(0.4)
    assert r.exciton_qy == pytest.approx(0.8)


# -- g2, lifetime and count rate against exact results --------------------------------


def _pair_counts(p0, p1, shifts):
    """Numbers of (channel 0 photon at pulse i, channel 1 photon at pulse i + k) pairs."""
    u0, c0 = np.unique(p0, return_counts=True)
    u1, c1 = np.unique(p1, return_counts=True)
    out = []
    for k in shifts:
        j = np.searchsorted(u1, u0 + k)
        j = np.minimum(j, u1.size - 1)
        hit = u1[j] == u0 + k
        out.append(int(np.sum(c0[hit] * c1[j[hit]])))
    return out


def _pair_count(p0, p1, shift):
    return _pair_counts(p0, p1, [shift])[0]


def test_pulsed_g2_zero_equals_the_qy_ratio():
    """Centre/side peak areas equal QY_XX/QY_X at low flux (Nair et al. 2011)."""
    rates = rates_cdse()
    n = 0.05
    s = simulate_stream(rates, duration_s=20.0, mean_excitation=n, repetition_rate_hz=1e6,
                        detector=Detector(efficiency=1.0, **IDEAL), mode="T3", seed=11)
    sync, ch = np.asarray(s.macrotime), np.asarray(s.channel)
    p0, p1 = sync[ch == 0], sync[ch == 1]
    shifts = [k for k in range(-10, 11) if k != 0]
    centre, *sides = _pair_counts(p0, p1, [0, *shifts])
    side = sum(sides)
    g2 = centre / (side / len(shifts))
    sigma = g2 * math.sqrt(1.0 / centre + 1.0 / side)
    exact = pulsed_g2_zero(rates, n)
    assert centre > 1000   # enough statistics for a 5-sigma test at the 15 % level
    assert abs(g2 - exact) < 5 * sigma, (g2, exact, sigma)
    # the finite-flux value tends to the QY ratio and is within 2 % of it here
    assert pulsed_g2_zero(rates, 1e-6) == pytest.approx(rates.g2_zero, rel=1e-5)
    assert abs(g2 - rates.g2_zero) < 5 * sigma + abs(exact - rates.g2_zero)
    assert s.metadata["ground_truth"]["g2_zero"] == pytest.approx(0.3 / 0.9)


def test_g2_without_biexciton_emission_is_zero_and_with_it_is_not():
    """The centre peak comes from the cascade: it vanishes when QY_XX = 0."""
    dark = rates_cdse(biexciton_auger_lifetime_ns=1e-9)
    s = simulate_stream(dark, duration_s=5.0, mean_excitation=0.2, repetition_rate_hz=1e6,
                        detector=Detector(efficiency=1.0, **IDEAL), mode="T3", seed=3)
    sync, ch = np.asarray(s.macrotime), np.asarray(s.channel)
    assert _pair_count(sync[ch == 0], sync[ch == 1], 0) == 0
    assert _pair_count(sync[ch == 0], sync[ch == 1], 1) > 100


def test_decay_of_detected_photons_recovers_the_exciton_lifetime():
    rates = rates_cdse()
    det = Detector(efficiency=1.0, irf_fwhm_s=50e-12, delay_s=2e-9, dead_time_s=0.0,
                   dark_count_rate_cps=0.0, afterpulse_probability=0.0)
    s = simulate_stream(rates, duration_s=2.0, mean_excitation=0.02, repetition_rate_hz=1e6,
                        detector=det, mode="T3", seed=5)
    t = np.asarray(s.nanotime) * s.nanotime_resolution_s * 1e9   # ns after sync
    start = 2.5                                                   # after the IRF (2 ns)
    tail = t[t > start] - start
    tau = tail.mean()            # MLE of an exponential (window 1 us >> 20 ns)
    sigma = tau / math.sqrt(tail.size)
    assert tail.size > 20000
    # the biexciton photons (fraction ~ <N>/2 QY_XX/QY_X ~ 0.1 %) are within the error
    assert abs(tau - rates.exciton_lifetime_ns) < 5 * sigma, (tau, sigma)
    assert s.metadata["ground_truth"]["lifetime_ns"] == pytest.approx(20.0)


@pytest.mark.parametrize("n", [0.1, 1.0])
def test_pulsed_count_rate_without_blinking_is_the_analytic_one(n):
    rates = rates_cdse()
    eta, rep, dur = 0.1, 10e6, 0.5
    s = simulate_stream(rates, duration_s=dur, mean_excitation=n, repetition_rate_hz=rep,
                        detector=Detector(efficiency=eta, **IDEAL), seed=2)
    p1 = -math.expm1(-n)
    p2 = p1 - n * math.exp(-n)
    # per pulse: <m> and <m(m-1)> of the detected photons -> the variance of the total
    m1 = eta * (p1 * rates.exciton_qy + p2 * rates.biexciton_qy)
    m2 = 2 * eta**2 * p2 * rates.biexciton_qy * rates.exciton_qy
    pulses = rep * dur
    expected = pulses * m1
    sigma = math.sqrt(pulses * (m1 + m2 - m1**2))
    assert expected == pytest.approx(eta * pulsed_emission_rate(rates, n, rep) * dur)
    assert abs(s.n_photons - expected) < 5 * sigma, (s.n_photons, expected, sigma)
    # the low-flux textbook form (1 - e^-N) QY eta f when the biexciton is dark
    dark = rates_cdse(biexciton_auger_lifetime_ns=1e-9)
    s = simulate_stream(dark, duration_s=dur, mean_excitation=n, repetition_rate_hz=rep,
                        detector=Detector(efficiency=eta, **IDEAL), seed=4)
    expected = p1 * 0.9 * eta * rep * dur
    assert abs(s.n_photons - expected) < 5 * math.sqrt(expected)


def test_cw_count_rate_is_the_renewal_one():
    rates = rates_cdse()
    r, eta, dur = 5e6, 0.1, 2.0
    s = simulate_stream(rates, duration_s=dur, cw_absorption_rate_per_s=r,
                        detector=Detector(efficiency=eta, **IDEAL), seed=8)
    expected = eta * cw_emission_rate(rates, r) * dur
    # the XX term matters at R tau_X = 0.1: it is far outside the error bar
    no_xx = eta * dur * rates.exciton_qy / (1 / r + 20e-9)
    assert abs(no_xx - expected) > 10 * math.sqrt(expected)
    assert abs(s.n_photons - expected) < 5 * math.sqrt(expected), (s.n_photons, expected)
    assert s.sync_period_s is None and s.metadata["ground_truth"]["excitation"] == "cw"


# -- blinking --------------------------------------------------------------------------


def _truncated_power_law_mle(t, lo, hi):
    """MLE of alpha of p(t) ~ t^-alpha on [lo, hi] and its standard error (Fisher)."""
    s = np.log(t).sum()
    n = t.size

    def nll(a):
        return a * s - n * math.log((a - 1) / (lo ** (1 - a) - hi ** (1 - a)))

    a = minimize_scalar(nll, bounds=(1.01, 3.5), method="bounded",
                        options={"xatol": 1e-8}).x
    h = 1e-4
    curv = (nll(a + h) - 2 * nll(a) + nll(a - h)) / h**2
    return a, 1.0 / math.sqrt(curv)


def test_on_off_dwell_times_follow_the_set_exponents():
    model = BlinkingModel(on_exponent=1.4, off_exponent=1.75, min_dwell_s=1e-3,
                          max_dwell_s=10.0)
    traj = blinking_trajectory(model, 3000.0, np.random.default_rng(21))
    dwell = traj.dwell_times_s[:-1]            # the last period is cut (censored)
    states = traj.states[:-1]
    assert set(np.unique(np.diff(traj.states.astype(int)))) == {-1, 1}   # alternating
    for state, alpha in ((NEUTRAL, 1.4), (CHARGED, 1.75)):
        t = dwell[states == state]
        a, se = _truncated_power_law_mle(t, 1e-3, 10.0)
        assert t.size > 5000
        assert abs(a - alpha) < 5 * se, (state, a, alpha, se)
        # and the analytic mean of the truncated law
        assert abs(t.mean() - model.mean_dwell_s(state)) < 5 * t.std() / math.sqrt(t.size)


def test_truncated_power_law_sampler_bounds_and_log_uniform_limit():
    rng = np.random.default_rng(0)
    t = truncated_power_law(rng, 1.0, 1e-3, 1.0, 100000)
    assert t.min() >= 1e-3 and t.max() <= 1.0
    frac = np.mean(t < 10 ** -1.5)              # log-uniform: half below the log midpoint
    assert abs(frac - 0.5) < 5 * 0.5 / math.sqrt(t.size)


@pytest.mark.parametrize("excitation", [{"mean_excitation": 0.2, "repetition_rate_hz": 1e6},
                                        {"cw_absorption_rate_per_s": 2e5}])
def test_photon_rates_in_on_and_off_periods(excitation):
    rates = rates_cdse()
    model = BlinkingModel(min_dwell_s=1e-3, max_dwell_s=5.0)
    eta, dur = 0.05, 60.0
    s = simulate_stream(rates, duration_s=dur, blinking=model, seed=13,
                        detector=Detector(efficiency=eta, **IDEAL), **excitation)
    gt = s.metadata["ground_truth"]
    switches = np.asarray(gt["blinking_switch_times_s"])
    state = (np.searchsorted(switches, s.times_s, side="right") - 1) % 2   # starts on
    on_time = gt["on_fraction"] * dur
    for st, t_in, rate in ((0, on_time, gt["emission_rate_on_cps"]),
                           (1, dur - on_time, gt["emission_rate_off_cps"])):
        expected = eta * rate * t_in
        got = int(np.sum(state == st))
        assert abs(got - expected) < 5 * math.sqrt(expected) + 2, (st, got, expected)
    assert gt["on_exponent"] == 1.5 and gt["off_exponent"] == 1.5 and gt["blinking"]
    assert switches.size > 100 and 0.05 < gt["on_fraction"] < 0.95


def test_spectral_diffusion_walk_has_the_set_variance_and_correlation():
    from qdlab.photons.spectral import SpectralDiffusion, spectral_walk

    m = SpectralDiffusion(rms_meV=3.0, correlation_time_s=0.02, step_s=0.01)
    x = spectral_walk(m, 200.0, np.random.default_rng(2))        # 20000 steps
    n, a = x.size, math.exp(-0.5)
    # effective number of independent samples of an AR(1) series: n (1 - a) / (1 + a)
    n_eff = n * (1 - a) / (1 + a)
    assert abs(x.var() - 9.0) < 5 * 9.0 * math.sqrt(2 / n_eff)
    r1 = np.corrcoef(x[:-1], x[1:])[0, 1]
    assert abs(r1 - a) < 5 * (1 - a**2) / math.sqrt(n)
    s = simulate_stream(rates_cdse(), duration_s=0.5, mean_excitation=0.1, seed=1,
                        spectral_diffusion=SpectralDiffusion(step_s=0.1))
    sd = s.metadata["ground_truth"]["spectral_diffusion"]
    assert len(sd["energy_shift_meV"]) == 5 and sd["rms_meV"] == 2.0
    with pytest.raises(QdlabInputError, match="more than 20,000"):
        spectral_walk(m, 1000.0, np.random.default_rng(0))


# -- detector --------------------------------------------------------------------------


def _dead_time_reference(t, tau):
    keep, last = [], -np.inf
    for x in t:
        ok = x - last >= tau
        keep.append(ok)
        if ok:
            last = x
    return np.array(keep)


def test_dead_time_filter_matches_the_sequential_definition():
    rng = np.random.default_rng(1)
    t = np.sort(np.concatenate([rng.random(3000) * 1e-3,
                                np.repeat(rng.random(300) * 1e-3, 4) +
                                rng.random(1200) * 2e-7]))
    keep = dead_time_filter(t, 1e-7)
    assert np.array_equal(keep, _dead_time_reference(t, 1e-7))
    assert (~keep).sum() > 500


def test_dead_time_removes_close_pairs_in_each_channel():
    rates = rates_cdse()
    kw = dict(duration_s=0.3, mean_excitation=2.0, repetition_rate_hz=5e6, seed=9)
    with_dead = simulate_stream(rates, detector=Detector(efficiency=0.5, dead_time_s=80e-9,
                                                         irf_fwhm_s=0.0), **kw)
    without = simulate_stream(rates, detector=Detector(efficiency=0.5, dead_time_s=0.0,
                                                       irf_fwhm_s=0.0), **kw)
    for s, tau in ((with_dead, 80e-9), (without, None)):
        t, ch = s.times_s, np.asarray(s.channel)
        gaps = np.concatenate([np.diff(t[ch == c]) for c in (0, 1)])
        if tau is None:
            assert np.sum(gaps < 80e-9) > 1000      # the cascade gives close pairs
        else:
            assert gaps.min() >= tau * (1 - 1e-6)
    # cross-channel coincidences (HBT) are untouched by the dead time
    assert with_dead.n_photons < without.n_photons


def test_dark_count_rate_and_afterpulsing():
    rng = np.random.default_rng(4)
    dark, dur = 2e4, 10.0
    det = Detector(efficiency=1.0, **{**IDEAL, "dark_count_rate_cps": dark})
    t, ch = detect(np.empty(0), det, dur, rng)
    for c in (0, 1):
        n = np.sum(ch == c)
        assert abs(n - dark * dur) < 5 * math.sqrt(dark * dur)
    assert np.all(np.diff(t) >= 0) and t.min() >= 0 and t.max() < dur
    p = 0.05
    det = Detector(**{**IDEAL, "dark_count_rate_cps": dark, "afterpulse_probability": p,
                      "afterpulse_mean_delay_s": 1e-6}, n_channels=1)
    t, _ = detect(np.empty(0), det, dur, np.random.default_rng(5))
    base = dark * dur
    expected = base * (1 + p)
    sigma = math.sqrt(base * (1 + p) ** 2 + base * p * (1 - p))
    assert abs(t.size - expected) < 5 * sigma
    # afterpulses show up as an excess of short gaps (delay ~ 1 us << 1/dark = 50 us)
    short = np.sum(np.diff(t) < 5e-6)
    poisson_short = t.size * (1 - math.exp(-dark * 5e-6))
    assert short - poisson_short > 5 * math.sqrt(poisson_short)


def test_irf_jitter_has_the_set_fwhm():
    fwhm = 200e-12
    det = Detector(**{**IDEAL, "irf_fwhm_s": fwhm, "delay_s": 1e-9}, efficiency=1.0)
    t, _ = detect(np.full(100000, 1e-6), det, 1.0, np.random.default_rng(6))
    sd = t.std()
    assert abs(sd - fwhm / FWHM_PER_SIGMA) < 5 * sd / math.sqrt(2 * t.size)
    assert abs(t.mean() - 1e-6 - 1e-9) < 5 * sd / math.sqrt(t.size)


def test_detector_refuses_bad_parameters():
    with pytest.raises(QdlabInputError, match="efficiency"):
        Detector(efficiency=0.0)
    with pytest.raises(QdlabInputError, match="afterpulse_probability"):
        Detector(afterpulse_probability=1.0)
    with pytest.raises(QdlabInputError, match="n_channels"):
        Detector(n_channels=3)


# -- the stream ------------------------------------------------------------------------


def test_streams_are_reproducible_and_valid():
    rates = rates_cdse()
    kw = dict(duration_s=0.5, mean_excitation=0.3, blinking=BlinkingModel(), mode="T3")
    a = simulate_stream(rates, seed=7, **kw)
    b = simulate_stream(rates, seed=7, **kw)
    c = simulate_stream(rates, seed=8, **kw)
    assert np.array_equal(a.macrotime, b.macrotime) and np.array_equal(a.nanotime, b.nanotime)
    assert not np.array_equal(a.macrotime[:100], c.macrotime[:100])
    assert a.mode == "T3" and a.macrotime_resolution_s == pytest.approx(1e-7)
    assert np.asarray(a.nanotime).max() * a.nanotime_resolution_s < 1e-7 + 1e-12
    gt = a.metadata["ground_truth"]
    for key in ("g2_zero", "lifetime_ns", "on_exponent", "off_exponent", "seed",
                "mean_excitation", "rates", "detector"):
        assert key in gt
    json.dumps(gt, allow_nan=False)


def test_simulator_refuses_bad_requests():
    rates = rates_cdse()
    with pytest.raises(QdlabInputError, match="either mean_excitation"):
        simulate_stream(rates, duration_s=1.0)
    with pytest.raises(QdlabInputError, match="T3"):
        simulate_stream(rates, duration_s=1.0, cw_absorption_rate_per_s=1e5, mode="T3")
    with pytest.raises(QdlabInputError, match="mean_excitation"):
        simulate_stream(rates, duration_s=1.0, mean_excitation=-1)
    with pytest.raises(QdlabInputError, match="duration_s"):
        simulate_stream(rates, duration_s=float("nan"), mean_excitation=0.1)
    with pytest.raises(QdlabInputError, match="photons, more than the limit"):
        simulate_stream(rates, duration_s=3000.0, mean_excitation=5.0,
                        detector=Detector(efficiency=1.0))
    with pytest.raises(QdlabInputError, match=re.escape(f"limit of {MAX_EXCITATIONS:.3g}")):
        simulate_stream(rates, duration_s=3000.0, mean_excitation=5.0,
                        detector=Detector(efficiency=1e-4))


def test_slow_decay_against_the_repetition_period_warns():
    from qdlab.errors import QdlabValidityWarning

    with pytest.warns(QdlabValidityWarning, match="empty at each pulse"):
        simulate_stream(rates_cdse(), duration_s=1e-3, mean_excitation=0.1,
                        repetition_rate_hz=80e6)


# -- command line ----------------------------------------------------------------------

runner = CliRunner()


def cli(*args):
    from qdlab.cli.main import app

    return runner.invoke(app, ["photons", *args])


EXPLICIT = ("--exciton-radiative-lifetime-ns", "20", "--biexciton-auger-lifetime-ns", "0.5")


@pytest.fixture
def pickle_io(monkeypatch):
    """Stand-in writer and reader (the real ones are merged separately)."""
    import qdlab.io.timetags as tt

    def write(stream, path):
        with open(path, "wb") as f:
            pickle.dump(stream, f)

    def read(path):
        with open(path, "rb") as f:
            return pickle.load(f)

    monkeypatch.setattr(tt, "write_timetags", write, raising=False)
    monkeypatch.setattr(tt, "read_timetags", read)


def test_cli_simulate_and_truth_with_explicit_rates(tmp_path, pickle_io):
    out = tmp_path / "dot.ptu"
    res = cli("simulate", *EXPLICIT, "--duration", "0.2", "--mean-excitation", "0.2",
              "--seed", "3", "--out", str(out), "--json")
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["seed"] == 3 and summary["n_photons"] > 0
    res = cli("truth", str(out))
    assert res.exit_code == 0, res.output
    gt = json.loads(res.stdout)
    for key in ("g2_zero", "lifetime_ns", "on_exponent", "off_exponent"):
        assert key in gt
    assert gt["lifetime_ns"] == pytest.approx(20.0)
    assert gt["on_exponent"] == 1.5


def test_cli_structure_path_uses_the_multiexciton_model(tmp_path, pickle_io, monkeypatch):
    seen = {}

    def fake(structure, *, temperature_K=300.0, exciton_radiative_lifetime_ns=None,
             exciton_nonradiative_lifetime_ns=None):
        seen["structure"] = structure
        return types.SimpleNamespace(
            exciton_radiative_lifetime_ns=18.0, exciton_qy=1.0,
            biexciton_radiative_lifetime_ns=4.5, biexciton_auger_lifetime_ns=0.05,
            negative_trion_radiative_lifetime_ns=9.0, negative_trion_auger_lifetime_ns=0.2,
            positive_trion_radiative_lifetime_ns=9.0, positive_trion_auger_lifetime_ns=0.1)

    mod = types.ModuleType("qdlab.electronic.multiexcitons")
    mod.multiexciton_properties = fake
    monkeypatch.setitem(sys.modules, "qdlab.electronic.multiexcitons", mod)
    out = tmp_path / "dot.h5"
    res = cli("simulate", "CdSe", "--diameter", "4", "--duration", "0.1", "--no-blinking",
              "--mean-excitation", "0.1", "--out", str(out), "--json")
    assert res.exit_code == 0, res.output
    gt = json.loads(res.stdout)
    assert gt["lifetime_ns"] == pytest.approx(18.0) and gt["on_exponent"] is None
    assert "CdSe" in repr(seen["structure"])


@pytest.mark.parametrize("args,fragment", [
    (("--cw-rate", "1e5"), "--mean-excitation does not apply"),
    (("--mean-excitation", "0.1", "--no-blinking", "--on-exponent", "1.6"),
     "--on-exponent does not apply"),
    (("--mean-excitation", "0.1", "--diameter", "4"), "--diameter does not apply"),
    (("--mean-excitation", "0.1", "--nanotime-resolution-ps", "8"),
     "--nanotime-resolution-ps does not apply"),
    (("--mean-excitation", "0.1", "--mode", "T3", "--resolution-ps", "8"),
     "--resolution-ps does not apply"),
    (("--cw-rate", "1e5", "--mode", "T3"), "T3 needs pulsed"),
    (("--mean-excitation", "0.1", "--trion", "negative"), "--trion does not apply"),
    (("--mean-excitation", "0.1", "--spectral-step-s", "0.1"),
     "--spectral-step-s does not apply"),
])
def test_cli_refuses_options_that_do_not_apply(tmp_path, args, fragment):
    if fragment.startswith("--mean"):
        args = ("--mean-excitation", "0.1", *args)
    res = cli("simulate", *EXPLICIT, "--duration", "1", "--out", str(tmp_path / "a.ptu"),
              *args)
    assert res.exit_code == 2, res.output
    assert fragment in res.output and "Traceback" not in res.output
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args,fragment", [
    (("--duration", "1", "--mean-excitation", "0.1", "--out", "x.txt"), "must end in"),
    (("--duration", "1e6", "--mean-excitation", "0.1", "--out", "x.ptu"), "duration"),
    (("--duration", "3000", "--mean-excitation", "5", "--efficiency", "1", "--out", "x.ptu"),
     "more than the limit"),
    (("--duration", "1", "--out", "x.ptu"), "give --mean-excitation"),
    (("--duration", "1", "--mean-excitation", "0.1", "--efficiency", "2", "--out", "x.ptu"),
     "efficiency must be in (0, 1]"),
])
def test_cli_refuses_bad_values_in_one_line(tmp_path, monkeypatch, pickle_io, args, fragment):
    monkeypatch.chdir(tmp_path)
    res = cli("simulate", *EXPLICIT, *args)
    assert res.exit_code == 2, res.output
    assert fragment in res.output
    assert res.output.count("error:") == 1 and "Traceback" not in res.output
    assert not list(tmp_path.iterdir())


def test_cli_refuses_an_unknown_trion(tmp_path):
    res = cli("simulate", "CdSe", "--diameter", "4", "--trion", "neutral", "--duration", "1",
              "--mean-excitation", "0.1", "--out", str(tmp_path / "a.ptu"))
    assert res.exit_code == 2 and "trion must be negative or positive" in res.output


def test_cli_needs_rates():
    res = cli("simulate", "--duration", "1", "--mean-excitation", "0.1", "--out", "x.ptu")
    assert res.exit_code == 2 and "give STRUCTURE" in res.output


def test_cli_truth_of_a_file_without_ground_truth(tmp_path, pickle_io):
    from qdlab.io.timetags import PhotonStream

    p = tmp_path / "measured.ptu"
    with open(p, "wb") as f:
        pickle.dump(PhotonStream(macrotime=np.array([1, 2]), channel=np.array([0, 1]),
                                 macrotime_resolution_s=1e-12), f)
    res = cli("truth", str(p))
    assert res.exit_code == 2 and "holds no ground truth" in res.output


# -- with the real writer and multiexciton model (merged separately) -----------------


@pytest.mark.parametrize("suffix,mode", [(".ptu", "T2"), (".ptu", "T3"), (".h5", "T3")])
def test_cli_round_trip_through_the_real_writer(tmp_path, suffix, mode):
    import qdlab.io.timetags as tt

    if not hasattr(tt, "write_timetags"):
        pytest.skip("qdlab.io.timetags.write_timetags is not merged yet")
    out = tmp_path / f"dot{suffix}"
    res = cli("simulate", *EXPLICIT, "--duration", "0.2", "--mean-excitation", "0.2",
              "--mode", mode, "--seed", "1", "--out", str(out))
    assert res.exit_code == 0, res.output
    stream = tt.read_timetags(out)
    gt = json.loads(cli("truth", str(out)).stdout)
    assert gt["g2_zero"] == pytest.approx(EmitterRates.from_scaling(20.0, 0.5).g2_zero)
    assert stream.n_photons == gt["n_photons"] and stream.mode == mode


def test_cli_structure_with_the_real_multiexciton_model(tmp_path, pickle_io):
    pytest.importorskip("qdlab.electronic.multiexcitons")
    res = cli("simulate", "CdSe", "--diameter", "4", "--duration", "0.05",
              "--mean-excitation", "0.1", "--out", str(tmp_path / "d.ptu"), "--json")
    assert res.exit_code == 0, res.output
    gt = json.loads(res.stdout)
    assert 0 < gt["g2_zero"] < 1 and gt["lifetime_ns"] > 0
