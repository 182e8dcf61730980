"""Sizing throughput: qdlab's vectorised batch vs per-spectrum lmfit Gaussian-peak fits.

Workload: 10^4 synthetic noisy CdSe absorption spectra (400-699 nm, 1 nm step): a
Gaussian first exciton (peak 500-620 nm, sigma 9-16 nm, height 0.05-0.5), a second
transition 45 nm to the blue, a rising continuum, Rayleigh-like scattering and white
noise (sigma 0.003). For every spectrum: peak, diameter, size dispersion and
concentration (CdSe, the recommended Jasieniak 2009 curve, 1 cm path).

* qdlab: ``size_spectra_batch`` on all spectra at once (median of 3 runs).
* Baseline, "the usual approach": per spectrum, smooth (Savitzky-Golay 9 points), take
  the lowest-energy maximum (``scipy.signal.find_peaks``, longest-wavelength peak with
  prominence > 5 % of the range), fit ``lmfit.models.GaussianModel() + LinearModel()``
  from 20 nm below to 25 nm above it (the window qdlab uses), start values from
  ``GaussianModel.guess`` and a flat line at the window minimum, then the same sizing
  formulas (:func:`qdlab.sizing.batch.sizes_from_peaks`). Timed on the first
  ``n_baseline`` spectra (default 200) and extrapolated to n.
* For reference, the same per-spectrum loop with ``scipy.optimize.curve_fit``.

Accuracy of both on the same spectra against the generating values: |peak error| (nm),
|diameter error| (%), |dispersion error| and |concentration error| (% relative), as
median and 95th percentile. Without lmfit the baseline is reported as unavailable.
Run: ``python benchmarks/bench_sizing.py``.
"""
from __future__ import annotations

import time
import warnings

import numpy as np

SQRT2LN2 = 1.1774100225154747


def make_spectra(n: int, seed: int = 0):
    """n noisy synthetic CdSe spectra; returns wl (nm), A (n, 300) and the true
    (peak_nm, sigma_nm, height) of the first-exciton Gaussian."""
    rng = np.random.default_rng(seed)
    wl = np.arange(400.0, 700.0, 1.0)
    c = rng.uniform(500, 620, n)[:, None]
    s = rng.uniform(9, 16, n)[:, None]
    amp = rng.uniform(0.05, 0.5, n)[:, None]
    A = (amp * np.exp(-0.5 * ((wl - c) / s) ** 2)
         + 0.6 * amp * np.exp(-0.5 * ((wl - c + 45) / (1.3 * s)) ** 2)
         + 2 * amp * np.exp(-(wl - 400) / 60) + 0.02 * (wl / 400) ** -4
         + rng.normal(0, 0.003, (n, wl.size)))
    return wl, A, c[:, 0], s[:, 0], amp[:, 0]


def _hwhm_ev(peak_nm, hwhm_nm):
    from qdlab.constants import HC_EV_NM
    return HC_EV_NM / peak_nm - HC_EV_NM / (peak_nm + hwhm_nm)


def _usual_window(wl, y):
    """Lowest-energy maximum of the smoothed spectrum and the fit window around it."""
    from scipy.signal import find_peaks, savgol_filter
    ys = savgol_filter(y, 9, 2)
    pk, _ = find_peaks(ys, prominence=0.05 * (ys.max() - ys.min()))
    if pk.size == 0:
        return None
    i = pk[-1]
    return (wl >= wl[i] - 20.0) & (wl <= wl[i] + 25.0)


def baseline_lmfit(wl, A):
    """Per-spectrum lmfit Gaussian + linear fits, then the qdlab sizing formulas."""
    from lmfit.models import GaussianModel, LinearModel

    from qdlab.sizing.batch import sizes_from_peaks
    gauss, line = GaussianModel(prefix="g_"), LinearModel(prefix="l_")
    model = gauss + line
    out = np.full((len(A), 3), np.nan)  # centre nm, sigma nm, height
    for k, y in enumerate(A):
        w = _usual_window(wl, y)
        if w is None:
            continue
        xw, yw = wl[w], y[w]
        pars = gauss.guess(yw, x=xw)
        pars.update(line.make_params(slope=0.0, intercept=yw.min()))
        try:
            r = model.fit(yw, pars, x=xw)
        except Exception:
            continue
        p = r.params
        out[k] = p["g_center"].value, p["g_sigma"].value, p["g_height"].value
    return sizes_from_peaks(out[:, 0], _hwhm_ev(out[:, 0], SQRT2LN2 * out[:, 1]), out[:, 2],
                            "CdSe")


def _gl(x, a, x0, s, b0, b1):
    return a * np.exp(-0.5 * ((x - x0) / s) ** 2) + b0 + b1 * x


def baseline_curve_fit(wl, A):
    """The same loop with scipy.optimize.curve_fit (reference only)."""
    from scipy.optimize import curve_fit

    from qdlab.sizing.batch import sizes_from_peaks
    out = np.full((len(A), 3), np.nan)
    for k, y in enumerate(A):
        w = _usual_window(wl, y)
        if w is None:
            continue
        xw, yw = wl[w], y[w]
        i = np.argmax(yw)
        try:
            p, _ = curve_fit(_gl, xw, yw, p0=[yw[i] - yw.min(), xw[i], 10.0, yw.min(), 0.0],
                             maxfev=2000)
        except Exception:
            continue
        out[k] = p[1], abs(p[2]), p[0]
    return sizes_from_peaks(out[:, 0], _hwhm_ev(out[:, 0], SQRT2LN2 * out[:, 1]), out[:, 2],
                            "CdSe")


def _truth(c, s, amp):
    from qdlab.sizing.batch import sizes_from_peaks
    return sizes_from_peaks(c, _hwhm_ev(c, SQRT2LN2 * s), amp, "CdSe")


def _accuracy(r, t, sl=slice(None)) -> dict:
    def q(e):
        e = np.abs(e)
        return [float(np.nanmedian(e)), float(np.nanpercentile(e, 95))]
    return {
        "found_fraction": float(np.mean(r.found)),
        "peak_err_nm_med_p95": q(r.peak_nm - t.peak_nm[sl]),
        "diam_err_pct_med_p95": q(100 * (r.diameter_nm / t.diameter_nm[sl] - 1)),
        "disp_err_pct_med_p95": q(100 * (r.size_dispersion_pct / t.size_dispersion_pct[sl] - 1)),
        "conc_err_pct_med_p95": q(100 * (r.concentration_M / t.concentration_M[sl] - 1)),
    }


def main(n: int = 10_000, n_baseline: int = 200, repeats: int = 3) -> dict:
    from qdlab.sizing import size_spectra_batch
    wl, A, c, s, amp = make_spectra(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        truth = _truth(c, s, amp)
        size_spectra_batch(wl, A[:50], "CdSe")  # warm-up
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            r = size_spectra_batch(wl, A, "CdSe")
            times.append(time.perf_counter() - t0)
        t_q = float(np.median(times))
        res = {"n_spectra": n, "qdlab_spectra_per_s": n / t_q,
               "qdlab_accuracy": _accuracy(r, truth)}
        try:
            import lmfit
        except ImportError:
            lmfit = None
        sub = slice(0, n_baseline)
        if lmfit is not None:
            baseline_lmfit(wl, A[:2])  # warm-up (imports, model compilation)
            t0 = time.perf_counter()
            b = baseline_lmfit(wl, A[sub])
            t_b = (time.perf_counter() - t0) * n / n_baseline
            res.update({
                "baseline_name": f"lmfit {lmfit.__version__} GaussianModel+LinearModel "
                                 "per spectrum",
                "baseline_measured_on": n_baseline,
                "baseline_spectra_per_s": n / t_b,
                "ratio": t_b / t_q,
                "baseline_accuracy": _accuracy(b, truth, sub),
                "qdlab_accuracy_same_subset": _accuracy(
                    size_spectra_batch(wl, A[sub], "CdSe"), truth, sub),
            })
        else:
            res.update({"baseline_name": "lmfit not installed: baseline unavailable "
                                         "(pip install lmfit)",
                        "ratio": float("nan")})
        baseline_curve_fit(wl, A[:2])
        t0 = time.perf_counter()
        bc = baseline_curve_fit(wl, A[sub])
        t_c = (time.perf_counter() - t0) * n / n_baseline
        res.update({"curve_fit_spectra_per_s": n / t_c, "ratio_vs_curve_fit": t_c / t_q,
                    "curve_fit_accuracy": _accuracy(bc, truth, sub)})
    for k, v in res.items():
        if isinstance(v, dict):
            print(f"{k}:")
            for kk, vv in v.items():
                vv = ", ".join(f"{x:.3g}" for x in vv) if isinstance(vv, list) else f"{vv:.3g}"
                print(f"    {kk:28s} {vv}")
        else:
            print(f"{k:32s} {v:.4g}" if isinstance(v, float) else f"{k:32s} {v}")
    return res


if __name__ == "__main__":
    main()
