"""Benchmark: a 10 s single-dot photon stream at 10 MHz (1e8 laser pulses), <N> = 0.1.

Workload: :func:`qdlab.photons.simulate.simulate_stream` with the default detector
(efficiency 0.05, dead time, dark counts, afterpulsing, T2 at 1 ps), without and with
blinking; CPU time, best of ``repeat``; detected photons per CPU second.

Baseline, measured in the same run: the straightforward per-pulse implementation, which
draws the Poisson number of absorbed photons for every one of the 1e8 pulses (numpy, in
chunks of 2^20 pulses) and hands the absorbing pulses to the same emission and detector
code.  qdlab draws only the absorbing pulses (geometric gaps), so the ratio measures the
pulse selection; both give streams with the same statistics.

Run ``python benchmarks/bench_photon_simulator.py``; ``main()`` returns a dict.
"""

from __future__ import annotations

import math
import time

import numpy as np

from qdlab.photons import BlinkingModel, Detector, EmitterRates, simulate_stream
from qdlab.photons.detector import detect
from qdlab.photons.simulate import _pulsed_chunk

DURATION_S = 10.0
REP_HZ = 10e6
MEAN_EXCITATION = 0.1


def _rates() -> EmitterRates:
    return EmitterRates.from_scaling(20.0, 0.1, exciton_qy=0.9)


def _naive(rates: EmitterRates, detector: Detector, seed: int) -> int:
    """Per-pulse Poisson draws for all pulses, then the same cascade and detector."""
    rng = np.random.default_rng(seed)
    n_pulses = int(DURATION_S * REP_HZ)
    n = MEAN_EXCITATION
    p_multi = (-math.expm1(-n) - n * math.exp(-n)) / -math.expm1(-n)
    out = []
    chunk = 1 << 20
    for start in range(0, n_pulses, chunk):
        counts = rng.poisson(n, min(chunk, n_pulses - start))
        k = start + np.flatnonzero(counts).astype(np.int64)
        state = np.zeros(k.size, dtype=np.int8)
        out.append(_pulsed_chunk(rng, k, REP_HZ, state, p_multi, rates, detector.efficiency))
    t, _ = detect(np.concatenate(out), detector, DURATION_S, rng, already_thinned=True)
    return int(t.size)


def _best_cpu(fn, repeat: int):
    best, out = math.inf, None
    for _ in range(repeat):
        t0 = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t0)
    return best, out


def main(verbose: bool = True, repeat: int = 3) -> dict:
    rates, det = _rates(), Detector()
    kw = dict(duration_s=DURATION_S, mean_excitation=MEAN_EXCITATION, repetition_rate_hz=REP_HZ,
              detector=det, seed=1)
    t_plain, s = _best_cpu(lambda: simulate_stream(rates, **kw), repeat)
    t_blink, sb = _best_cpu(lambda: simulate_stream(rates, blinking=BlinkingModel(), **kw),
                            repeat)
    t_naive, n_naive = _best_cpu(lambda: _naive(rates, det, 1), repeat)
    res = {
        "pulses": DURATION_S * REP_HZ,
        "excitations": s.metadata["ground_truth"]["n_excitations"],
        "photons": s.n_photons,
        "photons_naive": n_naive,
        "cpu_s": t_plain,
        "cpu_blinking_s": t_blink,
        "cpu_naive_s": t_naive,
        "photons_per_s": s.n_photons / t_plain,
        "excitations_per_s": s.metadata["ground_truth"]["n_excitations"] / t_plain,
        "ratio_naive_over_qdlab": t_naive / t_plain,
    }
    if verbose:
        print(f"10 s at 10 MHz, <N> = {MEAN_EXCITATION}: {res['excitations']:,} absorbing "
              f"pulses of {res['pulses']:.0e}, {s.n_photons:,} photons recorded")
        print(f"qdlab simulate_stream:       {t_plain:6.2f} s CPU "
              f"({res['photons_per_s']:.3g} photons/s, {res['excitations_per_s']:.3g} "
              "excitations/s)")
        print(f"  with blinking:             {t_blink:6.2f} s CPU ({sb.n_photons:,} photons)")
        print(f"baseline, per-pulse Poisson: {t_naive:6.2f} s CPU ({n_naive:,} photons)")
        print(f"ratio baseline / qdlab:      {res['ratio_naive_over_qdlab']:.2f}")
    return res


if __name__ == "__main__":
    main()
