r"""Where to look for the first exciton, and what is there: masks and feature candidates.

A measured absorption spectrum is only trusted where the instrument is linear and the
material's physics can put the first exciton.  This module turns one spectrum (or a
batch) into

* a **reliable mask** with the reason for every masked range
  (:func:`reliable_mask`): saturated or clipped absorbance (above
  :data:`LINEAR_LIMIT_A`, flat tops, noise that grows with absorbance), detector edges
  (first/last :data:`EDGE_FRACTION` of the range, negative baseline), and artefacts
  common to every spectrum of a batch (:func:`common_artefacts`);
* the **physical window** of the first exciton (:func:`model_window_nm`): the
  first-exciton wavelengths the forward model gives over its diameter range at the
  given temperature, or the published sizing curve's calibrated range;
* **candidates** for the first excitonic feature (:func:`feature_candidates`): local
  maxima of the Savitzky-Golay smoothed absorbance and shoulders (minima of the smoothed
  second derivative), each with its significance in units of the local noise.

:func:`search_feature` combines the three and picks the lowest-energy significant
candidate, reporting the competitors and why one was taken.

Notes
-----
Noise: :math:`\sigma` is the median absolute deviation (x 1.4826) of the residual
:math:`y - S` of a quadratic Savitzky-Golay smooth :math:`S` (window ``smooth_nm``),
evaluated in a running window of ``4 smooth_nm`` so that noise growing with absorbance
is seen locally.  A smoothed value carries noise :math:`\sigma\,\lVert k_0\rVert`, the
second derivative :math:`\sigma\,\lVert k_2\rVert` (:math:`k_0, k_2` the filter
kernels).  A maximum is significant when its prominence (lesser of the drops to the
lowest point before the next higher one on the red side and on the blue side, within
``dip_window_nm`` on the blue side, all inside reliable data) exceeds
``k_sigma`` times :math:`\sqrt2\,\sigma\lVert k_0\rVert`; a shoulder when
:math:`-S''` exceeds ``k_sigma`` :math:`\sigma\lVert k_2\rVert`.

Saturation: Beer-Lambert holds up to about 2.5-3 absorbance on double-beam UV-Vis
instruments (stray light of 0.1-0.3 % caps the measurable absorbance; the detector
sees less than 0.3 % of the light): above :data:`LINEAR_LIMIT_A` data are masked.

References
----------
.. [1] A. Savitzky and M. J. E. Golay, Anal. Chem. 36, 1627 (1964).
.. [2] ASTM E387-04, "Standard Test Method for Estimating Stray Radiant Power Ratio of
   Dispersive Spectrophotometers by the Opaque Filter Method" (stray light limits the
   linear absorbance range).
.. [3] Ocean Optics, "SpectraSuite Spectrometer Operating Software" manual (pixels at
   the ends of a CCD array are unreliable; baseline drifts at the UV edge).

Examples
--------
>>> import numpy as np
>>> wl = np.arange(350.0, 800.0, 1.0)
>>> a = 0.4 * np.exp(-0.5 * ((wl - 560) / 12) ** 2) + 4 * np.exp(-(wl - 350) / 60)
>>> ok, regions, _ = reliable_mask(wl, a)
>>> [r.reason.split(":")[0] for r in regions]
['saturated', 'detector edge']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, check_positive
from qdlab.optics.peaks import _odd, _savgol, _savgol_edges, _uniform
from qdlab.sizing.masks import (  # noqa: F401  (split out; names kept here)
    EDGE_FRACTION,
    LINEAR_LIMIT_A,
    NOISY_MIN_A,
    MaskedRegion,
    _grow,
    _runs,
    _smooth_and_noise,
    common_artefacts,
    reliable_mask,
)

__all__ = [
    "EDGE_FRACTION",
    "LINEAR_LIMIT_A",
    "NOISY_MIN_A",
    "Candidate",
    "FeatureSearch",
    "MaskedRegion",
    "common_artefacts",
    "feature_candidates",
    "model_window_nm",
    "reliable_mask",
    "search_feature",
]

#: Significance (sigma) a candidate needs to count as a feature.
K_SIGMA = 5.0
#: A lower-energy maximum is passed over (and reported as the competitor) when a
#: higher-energy candidate is this many times as significant AND the maximum is narrower
#: (half width at half maximum) than MIN_EXCITON_HWHM_EV: solvent vibrational bands (C-H
#: combination bands near 2300 nm, 1-3 meV wide) and spikes, not an ensemble exciton.
DOMINANCE = 20.0
#: Narrowest half width (eV) of an ensemble first exciton at room temperature: the
#: single-dot homogeneous width alone is tens of meV at 300 K (CdSe ~25 meV HWHM,
#: Empedocles & Bawendi, J. Phys. Chem. B 1999, 103, 1826), size dispersion adds more.
MIN_EXCITON_HWHM_EV = 0.010


@dataclass(frozen=True)
class Candidate:
    """A candidate first-exciton feature.

    Attributes
    ----------
    wavelength_nm : float
        Position (smoothed maximum, or second-derivative minimum), nm.
    kind : {"maximum", "shoulder"}
    significance : float
        Prominence (maximum) or curvature (shoulder) in units of its noise sigma.
    height : float
        Smoothed absorbance at the candidate.
    """

    wavelength_nm: float
    kind: str
    significance: float
    height: float

    def to_dict(self) -> dict:
        return {"wavelength_nm": round(float(self.wavelength_nm), 2), "kind": self.kind,
                "significance_sigma": round(float(self.significance), 1),
                "height": float(self.height)}


@dataclass(frozen=True)
class FeatureSearch:
    """Outcome of :func:`search_feature`.

    Attributes
    ----------
    window_nm : (float, float)
        Physical first-exciton window of the material, nm.
    window_source : str
        ``"model"`` (forward optics) or the sizing-curve name.
    search_nm : (float, float) or None
        Reliable part of the window actually searched, nm (None if nothing is left; then
        ``to_dict()`` gives the reason, the ``choice``, as ``search_nm_reason``).
    masked : tuple of MaskedRegion
    candidates : tuple of Candidate
        Significant candidates, longest wavelength first.
    chosen : Candidate or None
    choice : str
        Why the chosen candidate was taken (and over which competitor).
    competing : bool
        A competitor at least as significant as the chosen one exists.
    noise : float
        Absorbance noise (1 sigma) in the reliable data.
    span_nm : (float, float) or None
        Contiguous span without saturation, negative baseline or artefacts (detector
        edges allowed) that holds the chosen candidate, nm: the model-fit range.
    rival : Candidate or None
        The competing candidate named in ``choice`` (the most significant one at higher
        energy, or the weak lower-energy one passed over), if any.
    """

    window_nm: tuple
    window_source: str
    search_nm: tuple | None
    masked: tuple
    candidates: tuple
    chosen: Candidate | None
    choice: str
    competing: bool
    noise: float
    span_nm: tuple | None = None
    weak: tuple = field(default=())
    rival: Candidate | None = None

    def to_dict(self) -> dict:
        return {"window_nm": [round(v, 1) for v in self.window_nm],
                "window_source": self.window_source,
                "search_nm": None if self.search_nm is None else
                [round(v, 1) for v in self.search_nm],
                "masked": [m.to_dict() for m in self.masked],
                "candidates": [c.to_dict() for c in self.candidates],
                "chosen": None if self.chosen is None else self.chosen.to_dict(),
                "competing": None if self.rival is None else self.rival.to_dict(),
                "choice": self.choice, "noise": float(self.noise),
                **({"search_nm_reason": self.choice} if self.search_nm is None else {})}


# ----------------------------------------------------------------- window
def model_window_nm(material, *, temperature: float = 300.0, table=None,
                    margin_eV: float = 0.03) -> tuple[float, float, str]:
    r"""First-exciton wavelength window a material's model can produce, nm.

    Parameters
    ----------
    material : str
        Core material.
    temperature : float
        K (the band gap follows Varshni).
    table : TransitionTable, optional
        Forward-model table over the fit's diameter range (1.4-13 nm).  Without it the
        published sizing curve's calibrated range is used.
    margin_eV : float
        Widening on each side for the ensemble-peak offset and the model's spread, eV.

    Returns
    -------
    lo_nm, hi_nm : float
    source : str
        ``"model"`` or the sizing-curve name.

    Notes
    -----
    :math:`\lambda \in [hc/(E_1(d_{min}) + m),\ hc/(E_1(d_{max}) - m)]` with
    :math:`E_1(d)` the lowest transition of the model (or of the sizing curve).

    Examples
    --------
    >>> lo, hi, src = model_window_nm("PbS")
    >>> src, 850 < lo < 950, hi > 1500
    ('Moreels2009-PbS', True, True)
    """
    if table is not None:
        e1 = np.asarray(table.data["energy_eV"][:, 0], float)
        e1 = e1[np.isfinite(e1)]
        return (HC_EV_NM / (float(e1.max()) + margin_eV),
                HC_EV_NM / max(float(e1.min()) - margin_eV, 0.05), "model")
    from qdlab.sizing.curves import curves_for

    c = curves_for(material)[0]
    if c.calibrated_peak_nm is not None:
        lo, hi = c.calibrated_peak_nm
    else:
        d_lo, d_hi = c.calibrated_diameter_nm
        lo, hi = sorted(float(c.peak_nm(d, warn=False)) for d in (d_lo, d_hi))
    return (HC_EV_NM / (HC_EV_NM / lo + margin_eV),
            HC_EV_NM / max(HC_EV_NM / hi - margin_eV, 0.05), c.name)


# ----------------------------------------------------------------- candidates
def feature_candidates(x, y, allowed, *, smooth_nm: float = 9.0,
                       dip_window_nm: float = 60.0, k_sigma: float = K_SIGMA,
                       reliable=None) -> tuple[list, list]:
    r"""Maxima and shoulders of a spectrum inside ``allowed``, with their significance.

    Parameters
    ----------
    x, y : ndarray
        Uniform ascending wavelength grid (nm) and absorbance.
    allowed : ndarray of bool
        Where a candidate may lie (physical window and reliable data).
    smooth_nm, dip_window_nm, k_sigma
        See the module notes.
    reliable : ndarray of bool, optional
        Reliable data (prominences are measured inside it); default ``allowed``.

    Returns
    -------
    significant, weak : list of Candidate
        Longest wavelength first; ``weak`` holds candidates between 3 sigma and
        ``k_sigma``.
    """
    n = x.size
    dx = float(x[1] - x[0])
    reliable = allowed if reliable is None else reliable
    S, local, w = _smooth_and_noise(x, y, smooth_nm)
    w2 = _odd(2 * smooth_nm / dx, lo=7)
    if w2 >= n:
        w2 = _odd(n // 2 - 1, lo=5)
    k0 = float(np.linalg.norm(_savgol_edges(w, 2, 0, 1.0)[0]))
    k2 = float(np.linalg.norm(_savgol_edges(w2, 3, 2, dx)[0]))
    D2 = _savgol(y[None, :], w2, 3, deriv=2, delta=dx)[0]
    # no candidate within half a derivative window of unreliable data
    inner = ~_grow(~reliable, w2 // 2) & allowed
    rng = float(np.ptp(S[reliable])) if reliable.any() else 1.0
    out, weak = [], []
    W = max(int(round(dip_window_nm / dx)), 3)
    for a, b in _runs(reliable):
        seg = slice(a, b)
        Ss = S[seg]
        red_min = np.minimum.accumulate(Ss[::-1])[::-1]
        for i in range(1, b - a - 1):
            j = a + i
            if not inner[j]:
                continue
            sig0 = math.sqrt(2.0) * local[j] * k0 + 1e-9 * max(rng, 1e-12)
            if Ss[i] > Ss[i - 1] and Ss[i] >= Ss[i + 1]:
                # drop to the lowest point before the next higher one (topographic
                # prominence), on each side; the blue side within dip_window_nm
                hr = np.flatnonzero(Ss[i + 1:] > Ss[i])
                red = Ss[i + 1:i + 1 + (hr[0] if hr.size else b - a)]
                blue = Ss[max(i - W, 0):i]
                hb = np.flatnonzero(blue > Ss[i])
                blue = blue[hb[-1] + 1:] if hb.size else blue
                if red.size == 0 or blue.size == 0:
                    continue
                prom = min(Ss[i] - red.min(), Ss[i] - blue.min())
                if prom <= 0.003 * rng:
                    continue
                z = prom / sig0
                (out if z >= k_sigma else weak if z >= 3 else []).append(
                    Candidate(float(x[j]), "maximum", float(z), float(S[j])))
            elif D2[j] < D2[j - 1] and D2[j] <= D2[j + 1] and D2[j] < 0:
                level = Ss[i] - Ss.min()
                if level < 0.05 * rng or Ss[i] - red_min[i] < 0.05 * rng:
                    continue
                z = -D2[j] / (local[j] * k2 + 1e-12 * max(rng, 1e-12))
                (out if z >= k_sigma else weak if z >= 3 else []).append(
                    Candidate(float(x[j]), "shoulder", float(z), float(S[j])))
    out = _merge(out, smooth_nm, x, D2)
    weak = _merge(weak, smooth_nm, x, D2)
    return out, weak


def _one_lobe(a_nm, b_nm, x, D2):
    """True if the absorbance stays concave (S'' < 0) from a_nm to b_nm."""
    lo, hi = sorted((a_nm, b_nm))
    sel = (x >= lo) & (x <= hi)
    return bool(np.all(D2[sel] < 0))


def _merge(cands, smooth_nm, x, D2):
    """A shoulder in the same concave lobe as a maximum is the same feature (the maximum of
    a band on a rising continuum lies to the blue of its curvature minimum): keep the
    maximum, with the larger of the two significances."""
    maxima = [c for c in cands if c.kind == "maximum"]
    keep = []
    for c in cands:
        if c.kind == "shoulder":
            same = [m for m in maxima if abs(c.wavelength_nm - m.wavelength_nm) <= 1.5 *
                    smooth_nm or _one_lobe(c.wavelength_nm, m.wavelength_nm, x, D2)]
            if same:
                m = same[0]
                if c.significance > m.significance:
                    i = maxima.index(m)
                    maxima[i] = Candidate(m.wavelength_nm, "maximum", c.significance,
                                          m.height)
                continue
        keep.append(c)
    keep = [c for c in keep if c.kind == "shoulder"] + maxima
    # the second derivative of a broad shoulder can have several shallow minima
    keep.sort(key=lambda c: -c.wavelength_nm)
    merged = []
    for c in keep:
        if merged and merged[-1].kind == c.kind == "shoulder" and \
                merged[-1].wavelength_nm - c.wavelength_nm < 1.5 * smooth_nm:
            if c.significance > merged[-1].significance:
                merged[-1] = c
            continue
        merged.append(c)
    return merged


# ----------------------------------------------------------------- search
def _fit_span(x, regions, wavelength_nm):
    """Contiguous span (nm) of ``x`` without masked data (detector edges allowed) that
    holds ``wavelength_nm``: the model may use the detector edges, only the feature
    search avoids them."""
    j = int(np.argmin(np.abs(x - wavelength_nm)))
    ok_fit = np.ones(x.size, bool)
    for r in regions:
        if not r.reason.startswith("detector edge"):
            ok_fit &= ~((x >= r.lo_nm) & (x <= r.hi_nm))
    return next(((float(x[a]), float(x[b - 1])) for a, b in _runs(ok_fit) if a <= j < b),
                None)


def band_hwhm_eV(wavelength_nm, absorbance, centre_nm, reach_nm: float = 60.0) -> float:
    r"""Half width at half maximum (eV) of a band above its local baseline.

    Parameters
    ----------
    wavelength_nm, absorbance : array_like
        The spectrum (nm, absorbance), increasing wavelength.
    centre_nm : float
        Approximate band maximum, nm (the largest value within 5 nm is taken).
    reach_nm : float
        How far each side the baseline and the half-maximum crossings are looked for, nm.

    Returns
    -------
    float
        :math:`\tfrac12 |hc/\lambda_l - hc/\lambda_r|` with :math:`\lambda_{l,r}` the
        half-maximum crossings above the baseline (the higher of the two side minima
        within ``reach_nm``), eV; a lower bound when a crossing lies beyond the reach.
        NaN when no band stands above the baseline.

    Examples
    --------
    >>> wl = np.arange(2200.0, 2400.0, 1.0)
    >>> a = 0.1 + 0.01 * np.exp(-0.5 * ((wl - 2300) / 6.0) ** 2)    # a solvent band
    >>> w = band_hwhm_eV(wl, a, 2300.0)     # exact: 1.66 meV; crossings on the 1 nm grid
    >>> bool(1.5e-3 < w < 2.0e-3)
    True
    """
    x = np.asarray(wavelength_nm, float)
    y = np.asarray(absorbance, float)
    left = (x >= centre_nm - reach_nm) & (x < centre_nm)
    right = (x > centre_nm) & (x <= centre_nm + reach_nm)
    near = np.flatnonzero(np.abs(x - centre_nm) <= 5.0)
    if not left.any() or not right.any() or not near.size:
        return float("nan")
    ip = int(near[np.argmax(y[near])])
    base = max(float(y[left].min()), float(y[right].min()))
    half = base + 0.5 * (float(y[ip]) - base)
    if not y[ip] > base:
        return float("nan")
    lo = ip
    while lo > 0 and y[lo] > half and x[lo] > centre_nm - reach_nm:
        lo -= 1
    hi = ip
    while hi < x.size - 1 and y[hi] > half and x[hi] < centre_nm + reach_nm:
        hi += 1
    return float(0.5 * abs(HC_EV_NM / x[lo] - HC_EV_NM / x[hi]))


def search_feature(wavelength_nm, absorbance, window_nm, *, window_source: str = "model",
                   artefacts: tuple = (), linear_limit: float = LINEAR_LIMIT_A,
                   smooth_nm: float = 9.0, k_sigma: float = K_SIGMA) -> FeatureSearch:
    """Find the first excitonic feature inside the physical window and the reliable data.

    Parameters
    ----------
    wavelength_nm, absorbance : array_like
        The spectrum (nm, absorbance); irregular grids are resampled.
    window_nm : (float, float)
        Physical first-exciton window (:func:`model_window_nm`), nm.
    window_source : str
        Where the window comes from (reported).
    artefacts : tuple of MaskedRegion
        Batch artefacts to mask (:func:`common_artefacts`).
    linear_limit, smooth_nm, k_sigma
        See :func:`reliable_mask` and :func:`feature_candidates`.

    Returns
    -------
    FeatureSearch

    Notes
    -----
    The first exciton is the lowest-energy excitonic transition: the chosen candidate
    is the longest-wavelength significant one.  A competitor (another candidate at least
    as significant) is reported with the choice.

    Examples
    --------
    >>> wl = np.arange(340.0, 1040.0, 0.5)
    >>> a = (0.3 * np.exp(-0.5 * ((wl - 520) / 12) ** 2) + 2 * np.exp(-(wl - 340) / 70)
    ...      + 0.2 * np.exp(-0.5 * ((wl - 930) / 8) ** 2))
    >>> s = search_feature(wl, a, (359.0, 700.0))
    >>> abs(s.chosen.wavelength_nm - 520) < 3, s.chosen.kind
    (True, 'maximum')
    """
    check_positive(smooth_nm, "smooth_nm", "nm")
    x, Y = _uniform(wavelength_nm, absorbance)
    y = Y[0]
    lo, hi = float(window_nm[0]), float(window_nm[1])
    if not hi > lo:
        raise QdlabInputError(f"window_nm must be (lo, hi) with hi > lo, got {window_nm}")
    ok, regions, noise = reliable_mask(x, y, linear_limit=linear_limit, smooth_nm=smooth_nm,
                                       extra=tuple(artefacts))
    inwin = (x >= lo) & (x <= hi)
    allowed = ok & inwin
    search = (float(x[allowed][0]), float(x[allowed][-1])) if allowed.any() else None
    if not inwin.any():
        choice = (f"the spectrum ({x[0]:.0f}-{x[-1]:.0f} nm) does not overlap the "
                  f"first-exciton window {lo:.0f}-{hi:.0f} nm")
        return FeatureSearch((lo, hi), window_source, None, tuple(regions), (), None, choice,
                             False, noise)
    if allowed.sum() < 10:
        choice = (f"no reliable data inside the first-exciton window {lo:.0f}-{hi:.0f} nm")
        return FeatureSearch((lo, hi), window_source, None, tuple(regions), (), None, choice,
                             False, noise)
    cands, weak = feature_candidates(x, y, allowed, smooth_nm=smooth_nm, k_sigma=k_sigma,
                                     reliable=ok)
    if not cands:
        choice = (f"no excitonic maximum or shoulder above {k_sigma:g} sigma (noise "
                  f"{noise:.2g}) in {search[0]:.0f}-{search[1]:.0f} nm")
        return FeatureSearch((lo, hi), window_source, search, tuple(regions), (), None,
                             choice, False, noise, weak=tuple(weak))
    chosen = cands[0]
    dominant = max(cands, key=lambda c: c.significance)
    overruled = None
    if (chosen.kind == "maximum" and dominant.significance >= DOMINANCE * chosen.significance
            and band_hwhm_eV(x, y, chosen.wavelength_nm) < MIN_EXCITON_HWHM_EV):
        # a weak narrow band to the red of a dominant feature (a solvent vibrational
        # band, a spike) is no exciton: the dominant feature is taken, the narrow band
        # stays the reported competitor, so the verdict cannot be `good`
        overruled, chosen = chosen, dominant
    rivals = ([overruled] if overruled is not None else
              [c for c in cands[1:] if c.significance >= chosen.significance])
    choice = (f"took the {chosen.kind} at {chosen.wavelength_nm:.1f} nm "
              f"({chosen.significance:.0f} sigma): lowest-energy significant feature")
    if overruled is not None:
        choice = (f"took the {chosen.kind} at {chosen.wavelength_nm:.1f} nm "
                  f"({chosen.significance:.0f} sigma): the dominant feature; competing "
                  f"{overruled.kind} at {overruled.wavelength_nm:.1f} nm "
                  f"({overruled.significance:.0f} sigma) is at lower energy but "
                  f"{DOMINANCE:g}x or more less significant and narrower than "
                  f"{1e3 * MIN_EXCITON_HWHM_EV:.0f} meV (half width): a solvent band or "
                  "artefact, not an ensemble exciton")
    rival = overruled
    if rivals and overruled is None:
        r = rival = max(rivals, key=lambda c: c.significance)
        choice += (f"; competing {r.kind} at {r.wavelength_nm:.1f} nm "
                   f"({r.significance:.0f} sigma) is at higher energy, so it is not the first "
                   "exciton unless the taken feature is spurious")
    span = _fit_span(x, regions, chosen.wavelength_nm)
    return FeatureSearch((lo, hi), window_source, search, tuple(regions), tuple(cands),
                         chosen, choice, bool(rivals), noise, span, tuple(weak), rival)
