"""First excitonic absorption peak of a measured spectrum: position, width, height.

:func:`first_exciton_peak` analyses one spectrum, :func:`first_exciton_peaks` many
spectra on a common wavelength grid (fully vectorised: the two share one
implementation, so batch and single results are identical).

Algorithm (units: nm, eV, absorbance)
-------------------------------------
1. Resample onto a uniform wavelength grid (step = median input step) and smooth with a
   Savitzky-Golay filter (window ``smooth_nm``, quadratic; one convolution over all
   spectra, polynomial fits at the edges as scipy's ``mode="interp"``); noise sigma from
   the median absolute residual.
2. Candidate peaks: local maxima of the smoothed absorbance whose prominence (lesser of
   the drop to the red end and the dip within ``dip_window_nm`` on the blue side)
   exceeds both ``noise_k`` sigma and ``min_rel_prominence`` of the spectrum's range.
   The first exciton is the lowest-energy (longest-wavelength) candidate.
3. No local maximum (a shoulder): the longest-wavelength significant minimum of the
   second derivative d2A/dlambda2 (Savitzky-Golay, window ``2 smooth_nm``).
4. Scattering background A_bg = c0 + c1 (lambda/lambda_peak)^-4 (Rayleigh-like,
   c1 >= 0) fitted by least squares to the red tail lambda > lambda_peak + 2.5 HWHM
   (constant offset when the tail is shorter than 10 points), then subtracted.
5. Centred on the second-derivative minimum within 15 nm of the candidate, a Gaussian
   plus a linear local background (the rising higher-transition continuum),
   a exp(-(lambda-lambda0)^2 / 2 s^2) + b0 + b1 (lambda - lambda_c), is fitted to the
   background-subtracted data from ``fit_blue_nm`` below to ``fit_red_nm`` above the
   peak (vectorised Levenberg-Marquardt over all spectra at once; each spectrum leaves
   the iteration as soon as it has converged, typically after 4-6 steps, at most 30).
   The peak is lambda0, its uncertainty the
   fit's standard error combined with the grid quantisation (step / sqrt 12).
   Without this local continuum term the raw maximum is pulled to the blue by up to
   10-20 nm on real hot-injection spectra (see tests/test_peaks.py).
6. HWHM = sqrt(2 ln 2) s of that fit, dominated by the red side of the peak, in nm and
   eV (hc/lambda0 - hc/(lambda0 + HWHM)); its energy width measures the size dispersion.

Examples
--------
>>> import numpy as np
>>> wl = np.arange(400.0, 650.0, 1.0)
>>> a = 0.5 * np.exp(-0.5 * ((wl - 550) / 12) ** 2) + 0.3 * np.exp(-(wl - 400) / 60)
>>> p = first_exciton_peak(wl, a)
>>> round(p.peak_nm, 1), p.method, p.quality
(550.0, 'maximum', 'good')
>>> round(p.hwhm_nm, 1)   # 1.1774 sigma
14.1
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.ndimage import minimum_filter1d

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, check_positive
from qdlab.optics.peak_numerics import (  # noqa: F401  (private names used by qdlab.sizing)
    _gauss_linear_jac,
    _gauss_linear_resid,
    _lm_gauss_linear,
    _odd,
    _savgol,
    _savgol_edges,
)

__all__ = [
    "NoExcitonicPeakError",
    "PeakBatchResult",
    "PeakResult",
    "first_exciton_peak",
    "first_exciton_peaks",
]


class NoExcitonicPeakError(QdlabInputError):
    """No first excitonic peak (maximum or shoulder) could be found in the spectrum."""


@dataclass(frozen=True)
class PeakResult:
    """First-exciton peak of one spectrum.

    Attributes
    ----------
    found : bool
        False only with ``on_missing="flag"`` when no peak was found (then the
        numbers are NaN and ``quality == "none"``).
    peak_nm, peak_uncertainty_nm : float
        Peak wavelength and its 1-sigma uncertainty, nm.
    peak_eV : float
        Peak energy, eV.
    hwhm_nm, hwhm_eV : float
        Half width at half maximum on the red (low-energy) side, nm and eV (NaN with
        ``"no_red_half"`` in ``notes`` if the spectrum ends before half maximum).
    peak_absorbance : float
        Background-subtracted absorbance at the peak.
    raw_absorbance : float
        Measured (smoothed) absorbance at the peak, background included.
    background : tuple of float
        (c0, c1) of the scattering background A_bg = c0 + c1 (lambda/peak_nm)^-4.
    method : str
        ``"maximum"`` or ``"shoulder"`` (second-derivative minimum).
    quality : str
        ``"good"``, ``"fair"`` (weak or shoulder), ``"poor"`` or ``"none"``.
    reliability : float
        0..1, prominence / (prominence + 10 sigma_noise), halved for shoulders.
    noise : float
        Estimated absorbance noise (1 sigma).
    notes : tuple of str
    """

    found: bool
    peak_nm: float
    peak_uncertainty_nm: float
    peak_eV: float
    hwhm_nm: float
    hwhm_eV: float
    peak_absorbance: float
    raw_absorbance: float
    background: tuple[float, float]
    method: str
    quality: str
    reliability: float
    noise: float
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        """JSON-ready dict of the fields (NaN -> None)."""
        out = {}
        for k, v in self.__dict__.items():
            if isinstance(v, float) and not np.isfinite(v):
                v = None
            out[k] = list(v) if isinstance(v, tuple) else v
        return out


@dataclass(frozen=True)
class PeakBatchResult:
    """First-exciton peaks of many spectra (arrays of length n_spectra).

    Attributes mirror :class:`PeakResult`; ``found`` is a boolean mask, ``method``
    is 1 (maximum), 2 (shoulder) or 0 (none); NaN only where ``found`` is False or,
    for ``hwhm_*``, where the red half maximum lies beyond the spectrum.
    """

    found: np.ndarray
    peak_nm: np.ndarray
    peak_uncertainty_nm: np.ndarray
    hwhm_nm: np.ndarray
    hwhm_eV: np.ndarray
    peak_absorbance: np.ndarray
    raw_absorbance: np.ndarray
    bg_c0: np.ndarray
    bg_c1: np.ndarray
    method: np.ndarray
    reliability: np.ndarray
    noise: np.ndarray

    @property
    def peak_eV(self) -> np.ndarray:
        """Peak energies in eV."""
        return HC_EV_NM / self.peak_nm


def _analyse(x: np.ndarray, Y: np.ndarray, *, smooth_nm: float, dip_window_nm: float,
             noise_k: float, min_rel_prominence: float, fit_blue_nm: float,
             fit_red_nm: float, search_range_nm, mask=None) -> dict:
    """Vectorised core on a uniform ascending grid x (n,) and spectra Y (m, n); ``mask``
    (m, n) bool, optional: where each spectrum may hold its peak."""
    m, n = Y.shape
    dx = float(x[1] - x[0])
    c = _candidates(x, Y, smooth_nm=smooth_nm, dip_window_nm=dip_window_nm, noise_k=noise_k,
                    min_rel_prominence=min_rel_prominence, search_range_nm=search_range_nm,
                    mask=mask)
    S, red_min, idx = c["S"], c["red_min"], c["idx"]
    rows = np.arange(m)
    c0, c1, x4, xp4, hw0 = _tail_background(x, Y, S, red_min, idx)
    return _fit_centre(x, Y, c, c0, c1, x4, xp4, hw0, fit_blue_nm=fit_blue_nm,
                       fit_red_nm=fit_red_nm, rows=rows, dx=dx)


def _candidates(x, Y, *, smooth_nm, dip_window_nm, noise_k, min_rel_prominence,
                search_range_nm, mask) -> dict:
    """Smoothed spectra, noise, and the first-exciton candidate (maximum or shoulder) of
    each spectrum: prominent local maxima, else minima of the second derivative."""
    m, n = Y.shape
    dx = float(x[1] - x[0])
    w = _odd(smooth_nm / dx)
    if w >= n:
        w = _odd(n // 2 - 1, lo=3)
    S = _savgol(Y, w, 2)
    resid = Y - S
    noise = 1.4826 * np.median(np.abs(resid - np.median(resid, axis=1, keepdims=True)),
                               axis=1)
    # smoothing reduces noise by about sqrt(w); keep a floor for noiseless data
    rng = S.max(axis=1) - S.min(axis=1)
    sig_s = np.maximum(noise / np.sqrt(w) * 2.0, 1e-6 * np.maximum(rng, 1e-12))
    lo_nm, hi_nm = search_range_nm if search_range_nm is not None else (x[0], x[-1])
    in_range = (x >= lo_nm) & (x <= hi_nm)
    edge = max(w // 2, 2)
    inner = np.zeros(n, bool)
    inner[edge:n - edge] = True
    usable = in_range & inner
    use2 = usable[None, :] if mask is None else (usable[None, :] & mask)
    # ---- local maxima with prominence
    lm = np.zeros_like(S, dtype=bool)
    lm[:, 1:-1] = (S[:, 1:-1] > S[:, :-2]) & (S[:, 1:-1] >= S[:, 2:])
    red_min = np.minimum.accumulate(S[:, ::-1], axis=1)[:, ::-1]
    red_drop = S - red_min
    W = max(int(round(dip_window_nm / dx)), 3)
    # min over the W points to the blue side (indices i-W .. i-1)
    blue_min = minimum_filter1d(S, size=W, axis=1, origin=(W - 1) // 2, mode="nearest")
    blue_min = np.concatenate([np.full((m, 1), np.inf), blue_min[:, :-1]], axis=1)
    blue_dip = S - blue_min
    prom = np.minimum(red_drop, blue_dip)
    thr = np.maximum(noise_k * sig_s, min_rel_prominence * rng)[:, None]
    cand = lm & use2 & (prom > thr) & (red_drop > 0.05 * rng[:, None])
    has_max = cand.any(axis=1)
    idx_max = n - 1 - np.argmax(cand[:, ::-1], axis=1)
    # ---- shoulders: minima of the second derivative
    w2 = _odd(2 * smooth_nm / dx, lo=7)
    if w2 >= n:
        w2 = _odd(n // 2 - 1, lo=5)
    D2 = _savgol(Y, w2, 3, deriv=2, delta=dx)
    lmin = np.zeros_like(D2, dtype=bool)
    lmin[:, 1:-1] = (D2[:, 1:-1] < D2[:, :-2]) & (D2[:, 1:-1] <= D2[:, 2:])
    d2scale = (np.max(np.abs(np.where(use2, D2, 0.0)), axis=1, keepdims=True)
               if usable.any() else 1.0)
    level = S - S.min(axis=1, keepdims=True)
    curv = -D2 * smooth_nm**2  # absorbance change over the smoothing scale
    cand2 = (lmin & use2 & (D2 < -0.1 * d2scale)
             & (curv > np.maximum(0.002 * rng, noise_k * sig_s)[:, None])
             & (level > 0.05 * rng[:, None]) & (red_drop > 0.05 * rng[:, None]))
    has_sh = cand2.any(axis=1) & ~has_max
    idx_sh = n - 1 - np.argmax(cand2[:, ::-1], axis=1)
    found = has_max | has_sh
    idx = np.where(has_max, idx_max, idx_sh)
    idx = np.where(found, idx, n // 2)
    return {"S": S, "noise": noise, "sig_s": sig_s, "rng": rng, "red_min": red_min,
            "prom": prom, "D2": D2, "has_max": has_max, "has_sh": has_sh, "found": found,
            "idx": idx, "w": w}


def _tail_background(x, Y, S, red_min, idx):
    """Background c0 + c1 (x/x_pk)^-4 of the red tail of each spectrum (least squares
    from suffix sums), and the first HWHM guess (nm)."""
    m, n = Y.shape
    dx = float(x[1] - x[0])
    rows = np.arange(m)
    # ---- first HWHM guess (no background) for the tail region
    pk0 = S[rows, idx]
    cols = np.arange(n)[None, :]
    ref_min = red_min[rows, idx]
    half0 = ref_min + 0.5 * (pk0 - ref_min)
    below = (S < half0[:, None]) & (cols > idx[:, None])
    j0 = np.where(below.any(axis=1), np.argmax(below, axis=1), n - 1)
    hw0 = np.maximum((j0 - idx) * dx, 3 * dx)
    xpk0 = x[idx]
    # ---- background c0 + c1 (x/xpk)^-4 on the red tail lambda >= x[start]: the normal
    # equations from suffix sums (u = x^-4 xpk^4, so every sum is one cumulative sum)
    start = np.minimum(idx + np.ceil(2.5 * hw0 / dx).astype(int), n)
    ntail = n - start
    x4 = x ** -4.0
    xp4 = xpk0 ** 4.0
    suf = np.zeros((m, n + 1))
    np.cumsum(Y[:, ::-1], axis=1, out=suf[:, n - 1::-1])
    t0 = suf[rows, start]
    np.cumsum((Y * x4)[:, ::-1], axis=1, out=suf[:, n - 1::-1])
    t1 = suf[rows, start] * xp4
    r4 = np.concatenate([np.cumsum(x4[::-1])[::-1], [0.0]])
    r8 = np.concatenate([np.cumsum((x4 * x4)[::-1])[::-1], [0.0]])
    s0 = ntail.astype(float)
    s1 = r4[start] * xp4
    s2 = r8[start] * xp4 * xp4
    det = s0 * s2 - s1 * s1
    ok_fit = (ntail >= 10) & (np.abs(det) > 1e-12 * np.maximum(s0 * s2, 1e-300))
    with np.errstate(all="ignore"):
        c1 = np.where(ok_fit, (s0 * t1 - s1 * t0) / np.where(ok_fit, det, 1.0), 0.0)
        c0 = np.where(ok_fit, (t0 - c1 * s1) / np.maximum(s0, 1), 0.0)
    neg = c1 < 0
    const = np.where(ntail >= 3, t0 / np.maximum(s0, 1), ref_min)
    c0 = np.where(neg | ~ok_fit, const, c0)
    c1 = np.where(neg | ~ok_fit, 0.0, c1)
    # background must stay below the peak: cap it at the red-side minimum level there
    bgp = c0 + c1
    too_high = bgp > pk0
    c0 = np.where(too_high, ref_min, c0)
    c1 = np.where(too_high, 0.0, c1)
    return c0, c1, x4, xp4, hw0


def _fit_centre(x, Y, c, c0, c1, x4, xp4, hw0, *, fit_blue_nm, fit_red_nm, rows, dx) -> dict:
    """Gaussian + linear local background around each candidate (Levenberg-Marquardt):
    the peak, its uncertainty, HWHM and reliability."""
    m, n = Y.shape
    S, D2, idx, found = c["S"], c["D2"], c["idx"], c["found"]
    has_max, has_sh, prom, noise, rng = c["has_max"], c["has_sh"], c["prom"], c["noise"], c["rng"]
    # ---- centre on the second-derivative minimum near the candidate
    hc_ = max(int(round(15.0 / dx)), 1)
    offc = np.arange(-hc_, hc_ + 1)
    winc = np.clip(idx[:, None] + offc[None, :], 0, n - 1)
    idx_c = winc[rows, np.argmin(D2[rows[:, None], winc], axis=1)]
    idx_c = np.where(found, idx_c, idx)
    Sc_c = S[rows, idx_c] - (c0 + c1 * x4[idx_c] * xp4)
    # ---- Gaussian + linear local background, fitted by vectorised Levenberg-Marquardt
    nb = max(int(round(fit_blue_nm / dx)), 3)
    nr = max(int(round(fit_red_nm / dx)), 3)
    offs = np.arange(-nb, nr + 1)
    win = np.clip(idx_c[:, None] + offs[None, :], 0, n - 1)
    xw = x[win]
    yw = Y[rows[:, None], win] - (c0[:, None] + c1[:, None] * x4[win] * xp4[:, None])
    xc = x[idx_c]
    s0_ = np.clip(hw0 / 1.1774, 2 * dx, 40.0)
    b0 = yw[:, -1]
    a0 = np.maximum(Sc_c - b0, 1e-6 * np.maximum(rng, 1e-12))
    theta0 = np.stack([a0, xc.astype(float), s0_, b0, np.zeros(m)], axis=1)
    theta, sse, JtJ = _lm_gauss_linear(xw - xc[:, None], yw, theta0, xc)
    dof = max(len(offs) - 5, 1)
    with np.errstate(all="ignore"):
        cov = np.linalg.pinv(JtJ)
        var_x0 = cov[:, 1, 1] * sse / dof
    fit_ok = (found & np.isfinite(theta).all(axis=1) & (theta[:, 0] > 0)
              & (theta[:, 1] > xw[:, 0]) & (theta[:, 1] < xw[:, -1])
              & (theta[:, 2] > dx) & (theta[:, 2] < 2 * (nb + nr) * dx))
    peak = np.where(fit_ok, theta[:, 1], x[idx_c])
    unc = np.sqrt(np.where(fit_ok, np.clip(var_x0, 0, None), 4 * s0_ ** 2 / 9) + dx * dx / 12)
    hwhm = np.where(fit_ok, 1.1774100225154747 * theta[:, 2], np.nan)
    has_half = fit_ok
    with np.errstate(all="ignore"):
        hwhm_ev = HC_EV_NM / peak - HC_EV_NM / (peak + hwhm)
    pk_c = np.where(fit_ok, theta[:, 0], Sc_c)
    fi = (peak - x[0]) / dx
    i0 = np.clip(np.floor(fi).astype(int), 0, n - 2)
    fr = fi - i0
    pk_raw = S[rows, i0] * (1 - fr) + S[rows, i0 + 1] * fr
    p_here = np.where(has_max, prom[rows, idx], 0.5 * np.maximum(pk_c, 0))
    rel = p_here / (p_here + 10 * np.maximum(noise, 1e-12))
    rel = np.where(has_sh, 0.5 * rel, rel)
    rel = np.where(found, rel, 0.0)
    method = np.where(has_max, 1, np.where(has_sh, 2, 0))
    nanf = np.where(found, 1.0, np.nan)
    return {
        "found": found, "peak_nm": peak * nanf, "peak_uncertainty_nm": unc * nanf,
        "hwhm_nm": hwhm * nanf, "hwhm_eV": hwhm_ev * nanf, "peak_absorbance": pk_c * nanf,
        "raw_absorbance": pk_raw * nanf, "bg_c0": c0 * nanf, "bg_c1": c1 * nanf,
        "method": method, "reliability": rel, "noise": noise, "has_half": has_half,
        "prominence_sigma": p_here / np.maximum(noise, 1e-12), "fit_ok": fit_ok,
    }


def _uniform(wavelength_nm, absorbance, step_nm=None):
    x = np.asarray(wavelength_nm, dtype=float)
    Y = np.asarray(absorbance, dtype=float)
    if x.ndim != 1:
        raise QdlabInputError("wavelength_nm must be a 1-D array in nm")
    if Y.ndim == 1:
        Y = Y[None, :]
    if Y.ndim != 2 or Y.shape[1] != x.size:
        raise QdlabInputError(f"absorbance must have shape (n_spectra, {x.size}) to match "
                              f"wavelength_nm, got {np.shape(absorbance)}")
    if x.size < 15:
        raise QdlabInputError(f"need at least 15 wavelength points, got {x.size}")
    if not np.all(np.isfinite(x)) or np.any(x <= 0):
        raise QdlabInputError("wavelength_nm must be finite and > 0 nm")
    if not np.all(np.isfinite(Y)):
        raise QdlabInputError("absorbance contains NaN or inf values; drop or interpolate "
                              "them first (read_spectra does this)")
    order = np.argsort(x)
    x, Y = x[order], Y[:, order]
    dxs = np.diff(x)
    if np.any(dxs <= 0):
        raise QdlabInputError("wavelength_nm has duplicated values")
    step = float(np.median(dxs)) if step_nm is None else float(step_nm)
    if np.allclose(dxs, step, rtol=1e-6, atol=1e-9):
        return x, Y
    xu = np.arange(x[0], x[-1] + 1e-9 * step, step)
    Yu = np.empty((Y.shape[0], xu.size))
    for k in range(Y.shape[0]):
        Yu[k] = np.interp(xu, x, Y[k])
    return xu, Yu


def uniform_grid(wavelength_nm, absorbance, step_nm=None):
    """Spectra on a uniform wavelength grid.

    Parameters
    ----------
    wavelength_nm : array_like
        Wavelengths in nm (any order, no duplicates, finite).
    absorbance : array_like
        One spectrum (n,) or many (m, n), finite.
    step_nm : float, optional
        Grid step in nm; default the median step of ``wavelength_nm``.

    Returns
    -------
    (x, Y)
        Ascending uniform wavelengths (nm) and the spectra linearly interpolated on them,
        shape (m, len(x)); unchanged when the grid is already uniform.
    """
    return _uniform(wavelength_nm, absorbance, step_nm)


def first_exciton_peaks(wavelength_nm, absorbance_2d, *, smooth_nm: float = 9.0,
                        dip_window_nm: float = 60.0, noise_k: float = 4.0,
                        min_rel_prominence: float = 0.003, fit_blue_nm: float = 20.0,
                        fit_red_nm: float = 25.0,
                        search_range_nm=None, mask=None) -> PeakBatchResult:
    """First-exciton peaks of many spectra on one wavelength grid (vectorised).

    Parameters
    ----------
    wavelength_nm : array_like, shape (n,)
        Wavelengths in nm (any order; resampled to a uniform grid if irregular).
    absorbance_2d : array_like, shape (m, n)
        Absorbance spectra, one per row.
    smooth_nm, dip_window_nm, noise_k, min_rel_prominence, fit_blue_nm, fit_red_nm
    search_range_nm
        See :func:`first_exciton_peak`.
    mask : array_like of bool, shape (m, n), optional
        Where each spectrum may hold its peak (e.g. outside saturated ranges); on the
        input grid, which must then be uniform.

    Returns
    -------
    PeakBatchResult
        Arrays of length m; rows without a peak have ``found == False`` and NaN values.

    Examples
    --------
    >>> import numpy as np
    >>> wl = np.arange(400.0, 700.0, 0.5)
    >>> centres = np.array([520.0, 560.0, 600.0])
    >>> A = np.exp(-0.5 * ((wl - centres[:, None]) / 12) ** 2)
    >>> r = first_exciton_peaks(wl, A)
    >>> np.round(r.peak_nm, 2).tolist()
    [520.0, 560.0, 600.0]
    """
    check_positive(smooth_nm, "smooth_nm", "nm")
    x, Y = _uniform(wavelength_nm, absorbance_2d)
    if mask is not None:
        mask = np.asarray(mask, bool)
        if mask.shape != Y.shape:
            raise QdlabInputError(f"mask must have the shape of the spectra on a uniform "
                                  f"grid {Y.shape}, got {mask.shape}")
        if np.any(np.diff(np.asarray(wavelength_nm, float)) < 0):
            raise QdlabInputError("mask needs an ascending wavelength_nm")
    r = _analyse(x, Y, smooth_nm=smooth_nm, dip_window_nm=dip_window_nm, noise_k=noise_k,
                 min_rel_prominence=min_rel_prominence, fit_blue_nm=fit_blue_nm,
                 fit_red_nm=fit_red_nm,
                 search_range_nm=search_range_nm, mask=mask)
    return PeakBatchResult(**{k: r[k] for k in PeakBatchResult.__dataclass_fields__})


def first_exciton_peak(wavelength_nm, absorbance, *, smooth_nm: float = 9.0,
                       dip_window_nm: float = 60.0, noise_k: float = 4.0,
                       min_rel_prominence: float = 0.003, fit_blue_nm: float = 20.0,
                        fit_red_nm: float = 25.0,
                       search_range_nm=None, on_missing: str = "raise") -> PeakResult:
    """Find the first (lowest-energy) excitonic absorption peak of one spectrum.

    Parameters
    ----------
    wavelength_nm : array_like
        Wavelengths in nm (any order, irregular grids are resampled).
    absorbance : array_like
        Absorbance (base 10), same length.
    smooth_nm : float
        Savitzky-Golay window in nm (default 9 nm).
    dip_window_nm : float
        How far to the blue (nm) a maximum must be followed by a dip to count.
    noise_k : float
        Minimum prominence in units of the (smoothed) noise sigma.
    min_rel_prominence : float
        Minimum prominence as a fraction of the spectrum's absorbance range.
    fit_blue_nm, fit_red_nm : float
        Extent (nm) of the Gaussian + linear-background fit to the blue and red of the
        peak (defaults 20 and 25 nm).
    search_range_nm : (float, float), optional
        Only look for the peak in this wavelength range (nm).
    on_missing : {"raise", "flag"}
        Without a peak: raise :class:`NoExcitonicPeakError`, or return a result with
        ``found=False`` and ``quality="none"``.

    Returns
    -------
    PeakResult

    Raises
    ------
    NoExcitonicPeakError
        No maximum and no shoulder found (``on_missing="raise"``).
    QdlabInputError
        Bad arrays (NaN, mismatched lengths, fewer than 15 points).

    Notes
    -----
    See the module docstring for the algorithm. Background: A_bg = c0 + c1
    (lambda / lambda_peak)^-4. HWHM in energy: hc/lambda_peak - hc/lambda_half.

    References
    ----------
    A. Savitzky, M. J. E. Golay, Anal. Chem. 36, 1627 (1964) (smoothing, derivatives).

    Examples
    --------
    >>> import numpy as np
    >>> wl = np.arange(450.0, 650.0, 1.0)
    >>> flat = np.linspace(1.0, 0.0, wl.size)
    >>> first_exciton_peak(wl, flat, on_missing="flag").quality
    'none'
    """
    if on_missing not in ("raise", "flag"):
        raise QdlabInputError(f"on_missing must be 'raise' or 'flag', got {on_missing!r}")
    check_positive(smooth_nm, "smooth_nm", "nm")
    x, Y = _uniform(wavelength_nm, absorbance)
    if Y.shape[0] != 1:
        raise QdlabInputError("absorbance must be 1-D for first_exciton_peak; use "
                              "first_exciton_peaks for many spectra")
    r = _analyse(x, Y, smooth_nm=smooth_nm, dip_window_nm=dip_window_nm, noise_k=noise_k,
                 min_rel_prominence=min_rel_prominence, fit_blue_nm=fit_blue_nm,
                 fit_red_nm=fit_red_nm,
                 search_range_nm=search_range_nm)
    g = {k: (v[0] if isinstance(v, np.ndarray) else v) for k, v in r.items()}
    notes = []
    if not g["found"]:
        if on_missing == "raise":
            raise NoExcitonicPeakError(
                f"no excitonic peak (maximum or shoulder) found between {x[0]:.4g} and "
                f"{x[-1]:.4g} nm: the spectrum has no feature above the noise "
                f"({g['noise']:.2g}) and the scattering background")
        nan = float("nan")
        return PeakResult(False, nan, nan, nan, nan, nan, nan, nan, (nan, nan), "none",
                          "none", 0.0, float(g["noise"]), ("no excitonic peak found",))
    method = "maximum" if g["method"] == 1 else "shoulder"
    if not g["has_half"]:
        notes.append("no_red_half: the spectrum ends before the red half maximum")
    ps = float(g["prominence_sigma"])
    if method == "maximum" and ps > 20 and g["has_half"]:
        quality = "good"
    elif ps > 8:
        quality = "fair"
    else:
        quality = "poor"
    if method == "shoulder":
        notes.append("no local maximum: peak taken at the second-derivative minimum")
    return PeakResult(
        found=True, peak_nm=float(g["peak_nm"]),
        peak_uncertainty_nm=float(g["peak_uncertainty_nm"]),
        peak_eV=float(HC_EV_NM / g["peak_nm"]), hwhm_nm=float(g["hwhm_nm"]),
        hwhm_eV=float(g["hwhm_eV"]), peak_absorbance=float(g["peak_absorbance"]),
        raw_absorbance=float(g["raw_absorbance"]),
        background=(float(g["bg_c0"]), float(g["bg_c1"])), method=method, quality=quality,
        reliability=float(g["reliability"]), noise=float(g["noise"]), notes=tuple(notes))
