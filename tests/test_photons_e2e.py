"""End to end against the ground truth: simulate -> write (PTU, Photon-HDF5) -> read ->
analyse, through the Python API and through ``qdlab photons simulate|truth|analyse``.

The simulator stores what it drew from (``metadata["ground_truth"]``) in the file; the
analysis must recover it. Every tolerance is 4 standard errors that the analysis itself
reports (g2(0): Poisson error of the peak areas; lifetime: inverse Fisher information;
exponents: :math:`(\\alpha-1)/\\sqrt{n}`), around an expectation derived here from the
ground truth and the known physics of the measurement:

* g2(0): the finite-flux value :math:`2P_{\\ge2}QY_{XX}QY_X/\\langle m\\rangle^2` plus
  the uncorrelated dark counts :math:`B` of each detector (Brouri et al. 2000):
  :math:`g_\\mathrm{meas} = (g S_a S_b + S_a B + B S_b + B^2)/((S_a+B)(S_b+B))`.
  Afterpulsing is switched off in these streams: an afterpulse follows its parent, so it
  is not the flat background that formula assumes.  The laser period is >= 20 lifetimes
  so that the coincidence peaks do not overlap (leak :math:`e^{-P/2\\tau}` < 1e-4).
* lifetime: the slowest component of the fitted decay is the exciton lifetime (the
  biexciton photons add a fast component; the cascade delays some X photons by the XX
  lifetime, which changes only the rise).
* on/off exponents: the continuous maximum-likelihood estimate above ``xmin`` of a
  power law truncated at ``max_dwell_s`` (the simulator's model) converges to
  :math:`1 + 1/E[\\ln(x/x_\\mathrm{min})]` with
  :math:`E = 1/(\\alpha-1) - \\ln R\\,R^{1-\\alpha}/(1-R^{1-\\alpha})`,
  :math:`R = x_\\mathrm{max}/x_\\mathrm{min}` (the pure power-law MLE of Clauset et al.
  2009 applied to truncated data).
* change points: every switch between two periods of >= 5 ms (on: ~47 000 counts/s,
  off: ~1 000 counts/s, so >= 230 photons against <= 5) is found within 0.5 ms
  (~20 mean photon gaps of the on state); false change points (farther than 0.5 ms from
  any switch) number at most :math:`\\alpha n + 4\\sqrt{\\alpha n}` for ``n`` segments
  tested at type-I error :math:`\\alpha` (Watkins & Yang 2005).

Durations keep each test at a few seconds.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

import qdlab.io.timetags as tt
from qdlab.cli.main import app
from qdlab.photons.analysis.report import analyse_stream
from qdlab.photons.blinking import BlinkingModel
from qdlab.photons.detector import Detector
from qdlab.photons.emitter import EmitterRates
from qdlab.photons.simulate import simulate_stream

#: Standard errors allowed between an estimate and its expectation.
K = 4.0
#: Type-I error of the change-point tests (the CLI default).
ALPHA = 0.05

# Pulsed, non-blinking dots at 5 MHz (200 ns = 20 exciton lifetimes), <N> = 0.2, 20 %
# detection, 100 counts/s dark, no afterpulsing.  G2: 10 ns exciton, 0.3 ns biexciton
# Auger (g2(0) ~ 0.1), T2.  LIFETIME: a 0.05 ns biexciton Auger makes the biexciton
# nearly dark (QY 0.02, 0.05 % of the photons), so the decay is the exciton's alone, T3
# with 128 ps TCSPC bins.
G2 = dict(exciton_radiative_lifetime_ns=10.0, biexciton_auger_lifetime_ns=0.3,
          duration=2.0, mean_excitation=0.2, repetition_rate_hz=5e6, efficiency=0.2,
          dark_counts_cps=100.0)
LIFETIME = dict(G2, biexciton_auger_lifetime_ns=0.05, duration=1.0,
                nanotime_resolution_ps=128.0)
# A blinking dot: 20 ns exciton, dark trion (0.2 ns Auger: QY 0.02); on exponent 1.9,
# off 1.6, periods 1 ms ... 1 s; 5 MHz, <N> = 0.1, 10 % detection: ~47 000 counts/s on.
BLINKING = dict(exciton_radiative_lifetime_ns=20.0, biexciton_auger_lifetime_ns=0.5,
                trion_auger_lifetime_ns=0.2, duration=8.0, mean_excitation=0.1,
                repetition_rate_hz=5e6, efficiency=0.1, on_exponent=1.9, off_exponent=1.6,
                min_dwell_s=1e-3, max_dwell_s=1.0)


def _cli(*args):
    res = CliRunner().invoke(app, ["photons", *map(str, args)])
    assert res.exit_code == 0, res.output
    return res


# --------------------------------------------------------------------------- expectations
def expected_g2(truth: dict, stream) -> float:
    """g2(0) expected from the finite-flux truth plus flat dark counts on both detectors."""
    b = truth["detector"]["dark_count_rate_cps"]
    a, c = (np.bincount(np.asarray(stream.channel), minlength=2)[:2]
            / truth["duration_s"])
    sa, sb = a - b, c - b
    g = truth["g2_zero_finite_flux"]
    return (g * sa * sb + sa * b + b * sb + b * b) / ((sa + b) * (sb + b))


def expected_power_law_mle(alpha: float, xmin: float, xmax: float) -> float:
    """Limit of the continuous power-law MLE above ``xmin`` for a power law truncated at
    ``xmax`` (see the module docstring)."""
    r = xmax / xmin
    q = r ** (1.0 - alpha)
    mean_log = 1.0 / (alpha - 1.0) - math.log(r) * q / (1.0 - q)
    return 1.0 + 1.0 / mean_log


# --------------------------------------------------------------------------- checks
def check_pulsed(d: dict, truth: dict, stream) -> None:
    """g2(0), lifetime (T3), change points and exponents of a non-blinking pulsed dot."""
    assert truth["blinking"] is False and truth["on_exponent"] is None
    assert d["n_photons"] == truth["n_photons"] == stream.n_photons
    assert d["g2_method"] == "pulsed"
    g_exp = expected_g2(truth, stream)
    assert abs(d["g2_zero"] - g_exp) < K * d["g2_zero_err"], (d["g2_zero"], g_exp)
    if stream.mode == "T3":
        tau, err = d["lifetime_ns"], d["lifetime_err_ns"]
        assert abs(tau - truth["lifetime_ns"]) < K * err, (tau, err, truth["lifetime_ns"])
        assert err < 0.01 * truth["lifetime_ns"]       # the test has the statistics to fail
    else:
        assert d["lifetime_ns"] is None and "T2" in d["lifetime_ns_reason"]
    # no blinking: no true change point; three false ones have probability ~alpha^3
    assert d["change_points"] <= 2
    for key in ("on", "off"):
        assert d[f"{key}_exponent"] is None and d[f"{key}_exponent_reason"]


def check_blinking(d: dict, truth: dict) -> None:
    """Exponents and change points of a blinking dot against the stored switch times."""
    model = truth["blinking_model"]
    for key in ("on", "off"):
        a = truth[f"{key}_exponent"]
        assert a == BLINKING[f"{key}_exponent"]
        assert d[f"{key}_exponent"] is not None, d.get(f"{key}_exponent_reason")
        expect = expected_power_law_mle(a, d[f"{key}_xmin_s"], model["max_dwell_s"])
        assert abs(d[f"{key}_exponent"] - expect) < K * d[f"{key}_exponent_err"], \
            (key, d[f"{key}_exponent"], d[f"{key}_exponent_err"], expect)
        assert d[f"{key}_exponent_err"] < 0.1
    switches = np.asarray(truth["blinking_switch_times_s"])
    assert switches.size == truth["n_blinking_periods"] > 100
    found = np.asarray(d["change_point_times_s"])
    assert found.size == d["change_points"]
    periods = np.diff(np.r_[0.0, switches, truth["duration_s"]])
    clear = (periods[:-1] >= 5e-3) & (periods[1:] >= 5e-3)
    assert clear.sum() >= 20
    nearest = np.min(np.abs(switches[:, None] - found[None, :]), axis=1)
    assert np.all(nearest[clear] < 5e-4), nearest[clear].max()
    false = np.min(np.abs(found[:, None] - switches[None, :]), axis=1) >= 5e-4
    n = found.size + 1
    assert false.sum() <= ALPHA * n + K * math.sqrt(ALPHA * n), (false.sum(), n)


# --------------------------------------------------------------------------- Python API
def _pulsed_api(p: dict, mode: str, seed: int):
    rates = EmitterRates.from_scaling(p["exciton_radiative_lifetime_ns"],
                                      p["biexciton_auger_lifetime_ns"])
    det = Detector(efficiency=p["efficiency"], dark_count_rate_cps=p["dark_counts_cps"],
                   afterpulse_probability=0.0)
    extra = {} if mode == "T2" else \
        {"nanotime_resolution_s": p["nanotime_resolution_ps"] * 1e-12}
    return simulate_stream(rates, duration_s=p["duration"], mean_excitation=p["mean_excitation"],
                           repetition_rate_hz=p["repetition_rate_hz"], detector=det,
                           mode=mode, seed=seed, **extra)


def _blinking_api(seed):
    b = BLINKING
    rates = EmitterRates.from_scaling(b["exciton_radiative_lifetime_ns"],
                                      b["biexciton_auger_lifetime_ns"],
                                      trion_auger_lifetime_ns=b["trion_auger_lifetime_ns"])
    blink = BlinkingModel(b["on_exponent"], b["off_exponent"], b["min_dwell_s"],
                          b["max_dwell_s"])
    return simulate_stream(rates, duration_s=b["duration"], mean_excitation=b["mean_excitation"],
                           repetition_rate_hz=b["repetition_rate_hz"], blinking=blink,
                           detector=Detector(efficiency=b["efficiency"]), seed=seed)


def _same_stream(a, b):
    assert a.mode == b.mode and a.n_photons == b.n_photons
    assert np.array_equal(a.macrotime, b.macrotime) and np.array_equal(a.channel, b.channel)
    if a.mode == "T3":
        assert np.array_equal(a.nanotime, b.nanotime)
    assert b.sync_period_s == pytest.approx(a.sync_period_s, rel=1e-9)


@pytest.mark.parametrize("suffix", [".ptu", ".h5"])
def test_python_api_pulsed_t2_recovers_g2(tmp_path, suffix):
    s = _pulsed_api(G2, "T2", seed=11)
    back = tt.read_timetags(tt.write_timetags(s, tmp_path / f"dot{suffix}"))
    _same_stream(s, back)
    truth = back.metadata["ground_truth"]
    assert truth == json.loads(json.dumps(s.metadata["ground_truth"]))
    d = analyse_stream(back).to_dict()
    check_pulsed(d, truth, back)
    assert d["g2_zero_err"] < 0.2 * truth["g2_zero_finite_flux"]


def test_python_api_pulsed_t3_recovers_lifetime_and_g2(tmp_path):
    s = _pulsed_api(LIFETIME, "T3", seed=12)
    back = tt.read_timetags(tt.write_timetags(s, tmp_path / "dot.ptu"))
    _same_stream(s, back)
    check_pulsed(analyse_stream(back).to_dict(), back.metadata["ground_truth"], back)


def test_python_api_blinking_t2_recovers_exponents_and_change_points(tmp_path):
    s = _blinking_api(seed=2)
    back = tt.read_timetags(tt.write_timetags(s, tmp_path / "blink.h5"))
    _same_stream(s, back)
    d = analyse_stream(back).to_dict()
    check_blinking(d, back.metadata["ground_truth"])
    assert d["lifetime_ns"] is None and "T2" in d["lifetime_ns_reason"]


# --------------------------------------------------------------------------- CLI
def _sim_args(p: dict) -> list:
    skip = {"repetition_rate_hz"}
    args = []
    for k, v in p.items():
        if k in skip:
            continue
        args += ["--" + k.replace("_", "-"), v]
    return args + ["--repetition-rate-MHz", p["repetition_rate_hz"] / 1e6]


def test_cli_simulate_truth_analyse_pulsed_t3_ptu(tmp_path):
    """T3 in PTU: lifetime and g2(0) (and no blinking) from `qdlab photons analyse`."""
    out = tmp_path / "dot.ptu"
    res = _cli("simulate", *_sim_args(LIFETIME), "--no-blinking", "--mode", "T3",
               "--afterpulse-probability", 0, "--seed", 5, "--out", out, "--json")
    simulated = json.loads(res.stdout)
    truth = json.loads(_cli("truth", out).stdout)
    assert {k: v for k, v in simulated.items() if k != "out"} == \
        {k: v for k, v in truth.items() if k in simulated}
    assert truth["lifetime_ns"] == pytest.approx(10.0)
    d = json.loads(_cli("analyse", out, "--json").stdout)
    check_pulsed(d, truth, tt.read_timetags(out))


def test_cli_simulate_truth_analyse_blinking_t2_h5(tmp_path):
    out = tmp_path / "blink.h5"
    _cli("simulate", *_sim_args(BLINKING), "--seed", 3, "--out", out, "--json")
    truth = json.loads(_cli("truth", out).stdout)
    assert truth["on_exponent"] == 1.9 and truth["off_exponent"] == 1.6
    d = json.loads(_cli("analyse", out, "--json").stdout)
    check_blinking(d, truth)
