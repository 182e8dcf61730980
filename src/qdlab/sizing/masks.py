"""Masks of measured absorption spectra: the reliable range of one spectrum (saturation,
flat tops, noise growing with absorbance, negative baseline, detector edges) and
artefacts common to every spectrum of a batch.  Used by the feature search of
:mod:`qdlab.sizing.features`, which documents the criteria and references."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import median_filter

from qdlab.optics.peaks import _odd, _savgol, _savgol_edges, _uniform

#: Upper end of the linear (Beer-Lambert) absorbance range assumed for UV-Vis data.
LINEAR_LIMIT_A = 2.5
#: Fraction of the wavelength range masked at each end of a spectrum (detector edges).
EDGE_FRACTION = 0.02
#: Absolute noise (absorbance) above which noise growing with absorbance masks data.
NOISY_MIN_A = 1e-3

@dataclass(frozen=True)
class MaskedRegion:
    """A wavelength range excluded from the analysis, nm, with the reason."""

    lo_nm: float
    hi_nm: float
    reason: str

    def to_dict(self) -> dict:
        return {"lo_nm": round(float(self.lo_nm), 2), "hi_nm": round(float(self.hi_nm), 2),
                "reason": self.reason}


# ----------------------------------------------------------------- masks
def _runs(mask: np.ndarray):
    """(start, stop) index pairs of the True runs of a boolean array."""
    if not mask.any():
        return []
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True))


def _grow(mask: np.ndarray, n: int) -> np.ndarray:
    if n <= 0 or not mask.any():
        return mask
    from scipy.ndimage import binary_dilation

    return binary_dilation(mask, iterations=int(n))


def _smooth_and_noise(x, y, smooth_nm):
    """Smooth S, running noise sigma(lambda), kernel norms (k0, k2) on a uniform grid."""
    dx = float(x[1] - x[0])
    w = _odd(smooth_nm / dx)
    if w >= x.size:
        w = _odd(x.size // 2 - 1, lo=3)
    S = _savgol(y[None, :], w, 2)[0]
    resid = y - S
    nw = max(int(round(4 * smooth_nm / dx)) | 1, 9)
    local = 1.4826 * median_filter(np.abs(resid), size=min(nw, x.size), mode="nearest")
    return S, local, w


def reliable_mask(wavelength_nm, absorbance, *, linear_limit: float = LINEAR_LIMIT_A,
                  edge_fraction: float = EDGE_FRACTION, smooth_nm: float = 9.0,
                  extra: tuple = ()) -> tuple[np.ndarray, list, float]:
    r"""Mask the parts of an absorbance spectrum an instrument does not measure reliably.

    Parameters
    ----------
    wavelength_nm : array_like
        Uniform ascending wavelength grid, nm.
    absorbance : array_like
        Absorbance (base 10).
    linear_limit : float
        Highest absorbance taken as linear (default :data:`LINEAR_LIMIT_A` = 2.5).
    edge_fraction : float
        Fraction of the range masked at each end (detector edges).
    smooth_nm : float
        Savitzky-Golay window, nm.
    extra : tuple of MaskedRegion
        Regions masked in addition (e.g. batch artefacts).

    Returns
    -------
    reliable : ndarray of bool
    regions : list of MaskedRegion
    noise : float
        Absorbance noise (1 sigma) in the reliable data.

    Notes
    -----
    Masked, each with its reason: (i) *saturated*: smoothed :math:`A >` ``linear_limit``,
    a flat top (5 or more equal raw values above A = 1), or a running noise above 4x the
    noise of the low-absorbance data and above :data:`NOISY_MIN_A` where :math:`A > 1`
    -- with everything to the
    blue, where the absorbance of a colloid is higher still; (ii) *negative baseline*:
    smoothed :math:`A < -\max(5\sigma, 0.01)`; (iii) *detector edge*: the first and last
    ``edge_fraction`` of the range.  Saturated and negative regions are widened by
    ``smooth_nm`` so that no smoothing window reaches into them.

    Examples
    --------
    >>> wl = np.arange(400.0, 700.0, 1.0)
    >>> ok, regions, noise = reliable_mask(wl, np.full(wl.size, 0.5))
    >>> int((~ok).sum()), regions[0].reason.split(":")[0]
    (12, 'detector edge')
    """
    x = np.asarray(wavelength_nm, float)
    y = np.asarray(absorbance, float)
    n = x.size
    dx = float(x[1] - x[0])
    S, local, _ = _smooth_and_noise(x, y, smooth_nm)
    low = S < 1.0
    ref = float(np.median(local[low])) if low.sum() > 10 else float(np.median(local))
    ref = max(ref, 1e-9)
    grow = max(int(round(smooth_nm / dx)), 1)
    regions = []
    # (i) saturation: high, clipped, or noise growing with absorbance
    flat = np.zeros(n, bool)
    same = np.concatenate([[False], np.diff(y) == 0.0])
    for a, b in _runs(same):
        if b - a >= 4 and y[a] > 1.0:
            flat[max(a - 1, 0):b] = True
    # noise that grows with absorbance: 4x the low-absorbance noise and above 1 mA (below
    # that the photometric noise of a UV-Vis instrument is no linearity concern)
    noisy = (local > 4.0 * ref) & (local > NOISY_MIN_A) & (S > 1.0)
    sat = (S > linear_limit) | flat | noisy
    bad = np.zeros(n, bool)
    if sat.any():
        last = int(np.flatnonzero(sat)[-1])
        why = []
        if (S > linear_limit).any():
            why.append(f"absorbance above the linear limit {linear_limit:g}")
        if flat.any():
            why.append("flat top (clipped)")
        if noisy.any():
            why.append(f"noise up to {float(local[sat].max() / ref):.0f}x the "
                       "low-absorbance noise")
        hi = min(last + grow, n - 1)
        bad[:hi + 1] = True
        regions.append(MaskedRegion(float(x[0]), float(x[hi]),
                                    "saturated: " + ", ".join(why)
                                    + " (and everything to the blue)"))
    # (ii) negative baseline
    noise0 = float(np.median(local[~bad])) if (~bad).sum() > 10 else ref
    neg = S < -max(5.0 * noise0, 0.01)
    if neg.any():
        negg = _grow(neg, grow) & ~bad
        for a, b in _runs(negg):
            regions.append(MaskedRegion(float(x[a]), float(x[b - 1]),
                                        f"negative baseline (down to {S[a:b].min():.2g}): "
                                        "detector edge or blank mismatch"))
        bad |= negg
    # (iii) detector edges
    k = max(int(math.ceil(edge_fraction * n)), 1)
    edges = np.zeros(n, bool)
    edges[:k] = True
    edges[n - k:] = True
    for a, b in _runs(edges & ~bad):
        regions.append(MaskedRegion(float(x[a]), float(x[b - 1]),
                                    f"detector edge: first/last {100 * edge_fraction:g} % "
                                    "of the range"))
    bad |= edges
    for r in extra:
        m = (x >= r.lo_nm) & (x <= r.hi_nm)
        if m.any():
            bad |= m
            regions.append(r)
    ok = ~bad
    noise = float(np.median(local[ok])) if ok.sum() > 10 else ref
    regions.sort(key=lambda r: r.lo_nm)
    return ok, regions, noise


def common_artefacts(wavelength_nm, absorbance_2d, *, smooth_nm: float = 9.0,
                     k_sigma: float = 6.0, tolerance_nm: float = 3.0,
                     min_fraction: float = 1.0) -> list:
    r"""Features at the same wavelength in every spectrum of a batch (instrument artefacts).

    Parameters
    ----------
    wavelength_nm : array_like, shape (n,)
        Common wavelength grid, nm.
    absorbance_2d : array_like, shape (m, n)
        The spectra of one batch (m >= 3).
    smooth_nm : float
        Savitzky-Golay window, nm.
    k_sigma : float
        Significance of a second-derivative minimum in each spectrum.
    tolerance_nm : float
        Largest spread of the positions across the batch, nm.
    min_fraction : float
        Fraction of spectra that must share the feature (default: all).

    Returns
    -------
    list of MaskedRegion
        One region (position +- 2 ``smooth_nm``) per common feature; empty when the
        batch has fewer than 3 spectra, or when the spectra themselves do not differ
        (then a shared feature cannot be told from a shared sample).

    Notes
    -----
    Each spectrum's second derivative :math:`S''` (Savitzky-Golay, window
    ``2 smooth_nm``) is normalised by its own noise :math:`\sigma\lVert k_2\rVert`.  A
    real excitonic feature moves with the size of the dots; a lamp or detector
    artefact (e.g. the 900-950 nm feature of CCD spectrometers) stays put.  A position
    is an artefact when a significant minimum of the normalised :math:`S''` lies within
    ``tolerance_nm`` of it in every spectrum while the spectra's strongest features
    differ by more than ``4 tolerance_nm``.

    Examples
    --------
    >>> wl = np.arange(400.0, 1000.0, 1.0)
    >>> art = 0.05 * np.exp(-0.5 * ((wl - 930) / 6) ** 2)
    >>> A = np.array([np.exp(-0.5 * ((wl - c) / 15) ** 2) + art for c in (500, 550, 600)])
    >>> [round((r.lo_nm + r.hi_nm) / 2) for r in common_artefacts(wl, A)]
    [930]
    """
    x, Y = _uniform(wavelength_nm, absorbance_2d)
    m, n = Y.shape
    if m < 3:
        return []
    dx = float(x[1] - x[0])
    w = _odd(smooth_nm / dx)
    w2 = _odd(2 * smooth_nm / dx, lo=7)
    if w2 >= n:
        return []
    S = _savgol(Y, w, 2)
    sig = 1.4826 * np.median(np.abs(Y - S), axis=1)
    k2 = _savgol_edges(w2, 3, 2, dx)[0]
    D2 = _savgol(Y, w2, 3, deriv=2, delta=dx) / np.maximum(
        sig * float(np.linalg.norm(k2)), 1e-12)[:, None]
    edge = w2
    lmin = np.zeros_like(D2, bool)
    lmin[:, edge:-edge] = ((D2[:, edge:-edge] < D2[:, edge - 1:-edge - 1])
                           & (D2[:, edge:-edge] <= D2[:, edge + 1:-edge + 1])
                           & (D2[:, edge:-edge] < -k_sigma))
    # the strongest feature of each spectrum must move across the batch
    strongest = x[np.argmin(np.where(lmin, D2, np.inf), axis=1)]
    if np.ptp(strongest) <= 4 * tolerance_nm:
        return []
    tol = max(int(round(tolerance_nm / dx)), 1)
    from scipy.ndimage import maximum_filter1d

    near = maximum_filter1d(lmin.astype(np.int8), size=2 * tol + 1, axis=1) > 0
    share = near.mean(axis=0) >= min_fraction - 1e-12
    out = []
    for a, b in _runs(share):
        c = float(x[(a + b - 1) // 2])
        out.append(MaskedRegion(c - 2 * smooth_nm, c + 2 * smooth_nm,
                                f"artefact common to all {m} spectra of the batch at "
                                f"{c:.0f} nm (same wavelength whatever the size)"))
    return out
