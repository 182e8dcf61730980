"""Sizing throughput: qdlab vectorised batch vs scipy curve_fit per spectrum.

Baseline: "scipy curve_fit per spectrum (lmfit-equivalent)": a Gaussian + linear
background fitted to each spectrum around its maximum, then the same sizing formulas,
on a subset (default 200 spectra) and extrapolated. Run: python benchmarks/bench_sizing.py
"""
from __future__ import annotations

import time
import warnings

import numpy as np
from scipy.optimize import curve_fit


def make_spectra(n: int, seed: int = 0):
    """n noisy synthetic CdSe spectra: Gaussian 1S + 2S + continuum + scattering."""
    rng = np.random.default_rng(seed)
    wl = np.arange(400.0, 700.0, 1.0)
    c = rng.uniform(500, 620, n)[:, None]
    s = rng.uniform(9, 16, n)[:, None]
    amp = rng.uniform(0.05, 0.5, n)[:, None]
    A = (amp * np.exp(-0.5 * ((wl - c) / s) ** 2)
         + 0.6 * amp * np.exp(-0.5 * ((wl - c + 45) / (1.3 * s)) ** 2)
         + 2 * amp * np.exp(-(wl - 400) / 60) + 0.02 * (wl / 400) ** -4
         + rng.normal(0, 0.003, (n, wl.size)))
    return wl, A, c[:, 0]


def _g(x, a, x0, s, b0, b1):
    return a * np.exp(-0.5 * ((x - x0) / s) ** 2) + b0 + b1 * (x - x0)


def baseline(wl, A):
    from qdlab.sizing import get_curve
    cur = get_curve("Jasieniak2009-CdSe")
    out = []
    for y in A:
        i = int(np.argmax(np.where(wl > 480, y, -np.inf)))
        w = (wl > wl[i] - 20) & (wl < wl[i] + 25)
        try:
            p, _ = curve_fit(_g, wl[w], y[w], p0=[y[i], wl[i], 12, 0, 0], maxfev=2000)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                d = cur.diameter_nm(p[1], warn=False)
                eps = cur.extinction_M1cm1(d, warn=False)
            out.append((p[1], d, p[0] / eps))
        except Exception:
            out.append((np.nan,) * 3)
    return np.array(out)


def main(n: int = 10_000, n_baseline: int = 200) -> dict:
    from qdlab.sizing import size_spectra_batch
    wl, A, c = make_spectra(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        size_spectra_batch(wl, A[:50], "CdSe")  # warm-up
        t0 = time.perf_counter()
        r = size_spectra_batch(wl, A, "CdSe")
        t_q = time.perf_counter() - t0
        t0 = time.perf_counter()
        b = baseline(wl, A[:n_baseline])
        t_b = (time.perf_counter() - t0) * n / n_baseline
    err = np.abs(r.peak_nm - c)
    res = {
        "n_spectra": n,
        "qdlab_spectra_per_s": n / t_q,
        "baseline_name": "scipy curve_fit per spectrum (lmfit-equivalent)",
        "baseline_spectra_per_s": n / t_b,
        "baseline_measured_on": n_baseline,
        "ratio": t_b / t_q,
        "qdlab_found_fraction": float(r.found.mean()),
        "qdlab_median_peak_error_nm": float(np.nanmedian(err)),
        "baseline_median_peak_error_nm": float(np.nanmedian(np.abs(b[:, 0] - c[:n_baseline]))),
    }
    for k, v in res.items():
        print(f"{k:32s} {v:.4g}" if isinstance(v, float) else f"{k:32s} {v}")
    return res


if __name__ == "__main__":
    main()
