"""Photon-stream analysis: g2 of 10^8 time tags, change points of 10^6 photons.

Workloads (issue 14, "Speed"):

1. **g2 of 10^8 tags** on one core. Two detectors (channels 0/1, 50/50) record
   10^8 tags of 1 ps resolution at 10^6 counts/s in total (100 s of data).
   qdlab: :func:`qdlab.photons.analysis.correlate.cross_correlation_histogram`,
   channel 1 against channel 0, +-300 ns in 100 ps bins (6000 bins), on all 10^8
   tags (one run). Baselines, measured in the same run on the first ``n_baseline``
   tags (default 10^7) and extrapolated linearly to 10^8 (both do work linear in
   the number of tags):

   * tttrlib's ``Correlator`` (method "wahl", 10 bins x 15 cascades: lags up to
     3.3e5 ticks = the same 330 ns) if tttrlib is installed (the ``bench`` extra).
     It computes a multi-tau (log-spaced, one-sided) curve, not the linear
     +-window histogram, so the ratio compares the usual tool for the job, not an
     identical output.
   * the straightforward numpy pair-difference histogram: for every A tag the B tags
     within the window are found with ``searchsorted`` and all their differences
     histogrammed; its histogram must equal qdlab's on the same tags (checked).

2. **Change points of 10^6 photons**:
   :func:`qdlab.photons.analysis.changepoints.find_change_points` (Watkins & Yang,
   alpha = 0.05) on a blinking stream of 10^6 photons (200 on/off periods of random
   length, on 20 kcps, off 1 kcps). Reported: wall time, photons per second, and the
   change points found against the 399 true ones. Baseline: the 10 s budget of the
   issue (no other open implementation runs on photon arrival times in Python).

Run ``python benchmarks/bench_photons.py [n_tags]``; ``main()`` returns a dict.
"""

from __future__ import annotations

import sys
import time

import numpy as np

TICK_S = 1e-12
RATE_CPS = 1e6
WINDOW_TICKS = 300_000
BIN_TICKS = 100


def make_tags(n: int, seed: int = 0, chunk: int = 10_000_000):
    """n tags (int64 ticks of 1 ps) of a 1 Mcps Poisson stream, channels 0/1 (int8)."""
    rng = np.random.default_rng(seed)
    t = np.empty(n, dtype=np.int64)
    last = 0
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        gaps = rng.exponential(1.0 / RATE_CPS / TICK_S, e - s).astype(np.int64)
        np.cumsum(gaps, out=t[s:e])
        t[s:e] += last
        last = int(t[e - 1])
    return t, rng.integers(0, 2, n).astype(np.int8)


def pair_difference_histogram(t, ch, window, bin_ticks):
    """The straightforward numpy baseline: all A-B differences within the window."""
    ta, tb = t[ch == 0], t[ch == 1]
    lo = np.searchsorted(tb, ta - window, side="left")
    hi = np.searchsorted(tb, ta + window, side="left")
    cnt = hi - lo
    ia = np.repeat(np.arange(ta.size), cnt)
    ib = np.repeat(lo - np.cumsum(np.r_[0, cnt[:-1]]), cnt) + np.arange(cnt.sum())
    d = tb[ib] - ta[ia]
    n_bins = 2 * (window // bin_ticks)
    return np.bincount((d + window) // bin_ticks, minlength=n_bins)[:n_bins]


def tttrlib_time(t, ch):
    try:
        import tttrlib
    except ImportError:
        return None, "tttrlib not installed (pip install 'qdlab[bench]')"
    t1 = t[ch == 0].astype(np.uint64)
    t2 = t[ch == 1].astype(np.uint64)
    c = tttrlib.Correlator(method="wahl", n_bins=10, n_casc=15)
    t0 = time.perf_counter()
    c.set_events(t1, np.ones(t1.size), t2, np.ones(t2.size))
    c.get_curve()
    return time.perf_counter() - t0, f"tttrlib {tttrlib.__version__}"


def blinking_photons(n_target: int = 1_000_000, seed: int = 1):
    rng = np.random.default_rng(seed)
    dur = rng.uniform(0.05, 0.4, 400)
    rates = np.tile([20_000.0, 1_000.0], 200)
    scale = n_target / float(np.sum(rates * dur))
    dur *= scale
    edges = np.r_[0.0, np.cumsum(dur)]
    n = rng.poisson(rates * dur)
    return np.concatenate([np.sort(rng.uniform(edges[i], edges[i + 1], n[i]))
                           for i in range(dur.size)]), edges.size - 2


def main(n_tags: int = 100_000_000, n_baseline: int = 10_000_000) -> dict:
    from qdlab.photons.analysis.changepoints import find_change_points
    from qdlab.photons.analysis.correlate import cross_correlation_histogram

    n_baseline = min(n_baseline, n_tags)
    t0 = time.perf_counter()
    t, ch = make_tags(n_tags)
    print(f"made {n_tags:.3g} tags ({t[-1] * TICK_S:.1f} s of data) in "
          f"{time.perf_counter() - t0:.1f} s", flush=True)

    t0, c0 = time.perf_counter(), time.process_time()
    h = cross_correlation_histogram(t, ch, 0, 1, WINDOW_TICKS, BIN_TICKS)
    t_qd, cpu_qd = time.perf_counter() - t0, time.process_time() - c0
    print(f"qdlab g2 of {n_tags:.3g} tags (+-{WINDOW_TICKS * TICK_S * 1e9:.0f} ns, "
          f"{h.counts.size} bins, {int(h.counts.sum())} pairs): {t_qd:.2f} s wall, "
          f"{cpu_qd:.2f} s CPU (one thread; wall > CPU when the machine is shared)",
          flush=True)

    sub_t, sub_ch = t[:n_baseline], ch[:n_baseline]
    t0 = time.perf_counter()
    h_sub = cross_correlation_histogram(sub_t, sub_ch, 0, 1, WINDOW_TICKS, BIN_TICKS)
    t_qd_sub = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = pair_difference_histogram(sub_t, sub_ch, WINDOW_TICKS, BIN_TICKS)
    t_np = time.perf_counter() - t0
    same = bool(np.array_equal(ref, h_sub.counts))
    scale = n_tags / n_baseline
    out = {"g2_tags": n_tags, "g2_qdlab_s": t_qd, "g2_qdlab_cpu_s": cpu_qd,
           "g2_qdlab_tags_per_s": n_tags / t_qd,
           "g2_numpy_pairs_s_extrapolated": t_np * scale,
           "g2_ratio_vs_numpy_pairs": t_np * scale / t_qd,
           "g2_identical_to_numpy_pairs": same}
    print(f"numpy pair differences, {n_baseline:.3g} tags: {t_np:.2f} s (qdlab on the same "
          f"tags {t_qd_sub:.2f} s; histograms identical: {same}); extrapolated to "
          f"{n_tags:.3g}: {t_np * scale:.1f} s -> ratio {t_np * scale / t_qd:.1f}x",
          flush=True)
    t_tt, what = tttrlib_time(sub_t, sub_ch)
    if t_tt is None:
        print(f"tttrlib baseline unavailable: {what}")
    else:
        out.update(g2_tttrlib_s_extrapolated=t_tt * scale,
                   g2_ratio_vs_tttrlib=t_tt * scale / t_qd)
        print(f"{what} Correlator (wahl, multi-tau to 330 ns), {n_baseline:.3g} tags: "
              f"{t_tt:.2f} s; extrapolated to {n_tags:.3g}: {t_tt * scale:.1f} s -> ratio "
              f"{t_tt * scale / t_qd:.1f}x", flush=True)
    del t, ch, sub_t, sub_ch

    times, n_true = blinking_photons()
    t0, c0 = time.perf_counter(), time.process_time()
    cps = find_change_points(times, alpha=0.05)
    t_cp, cpu_cp = time.perf_counter() - t0, time.process_time() - c0
    out.update(cp_photons=int(times.size), cp_s=t_cp, cp_cpu_s=cpu_cp,
               cp_photons_per_s=times.size / t_cp,
               cp_found=int(cps.indices.size), cp_true=n_true,
               cp_ratio_vs_10s_budget=10.0 / t_cp)
    print(f"change points of {times.size:.3g} photons: {t_cp:.2f} s wall, {cpu_cp:.2f} s CPU "
          f"({cps.indices.size} found, {n_true} true); 10 s budget / time = "
          f"{10.0 / t_cp:.1f}x")
    return out


if __name__ == "__main__":
    main(*(int(float(a)) for a in sys.argv[1:3]))
