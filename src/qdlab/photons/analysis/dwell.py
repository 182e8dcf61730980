"""On and off durations (blinking) from change-point levels or from an intensity trace.

A run of consecutive segments (or bins) on the same side of an intensity threshold
is one "on" or "off" period. The first and last runs are cut by the start and end
of the recording (censored) and are left out, as is usual for blinking statistics.

Examples
--------
>>> import numpy as np
>>> bounds = np.array([0., 1., 3., 3.5, 6., 7.])
>>> d = on_off_durations(bounds, np.array([True, False, True, True, False]))
>>> d.on_s.tolist(), d.off_s.tolist()
([3.0], [2.0])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qdlab.errors import QdlabInputError

__all__ = ["OnOff", "on_off_durations", "on_off_from_levels", "on_off_from_trace"]


@dataclass(frozen=True)
class OnOff:
    """Durations of the complete on and off periods, s.

    Attributes
    ----------
    on_s, off_s : numpy.ndarray
        Durations of the on and off periods, s (censored first and last runs removed).
    threshold_cps : float
        The intensity threshold that separated on from off, counts/s.
    """

    on_s: np.ndarray
    off_s: np.ndarray
    threshold_cps: float


def on_off_durations(boundaries_s, is_on, threshold_cps: float = float("nan")) -> OnOff:
    """Merge consecutive segments of equal state and return the complete run durations.

    Parameters
    ----------
    boundaries_s : array_like
        Segment edges, s (length = number of segments + 1), ascending.
    is_on : array_like of bool
        State of each segment.
    threshold_cps : float
        The threshold used (stored in the result).

    Returns
    -------
    OnOff
    """
    b = np.asarray(boundaries_s, dtype=np.float64)
    on = np.asarray(is_on, dtype=bool)
    if b.ndim != 1 or on.ndim != 1 or b.size != on.size + 1:
        raise QdlabInputError(f"boundaries_s must have one more entry than is_on, got "
                              f"{b.size} and {on.size}")
    if on.size == 0:
        return OnOff(np.zeros(0), np.zeros(0), threshold_cps)
    start = np.r_[0, np.flatnonzero(np.diff(on.astype(np.int8))) + 1]
    end = np.r_[start[1:], on.size]
    dur = b[end] - b[start]
    state = on[start]
    inner = slice(1, -1)   # drop the censored first and last runs
    dur, state = dur[inner], state[inner]
    return OnOff(on_s=dur[state], off_s=dur[~state], threshold_cps=float(threshold_cps))


def _midpoint(rates) -> float:
    """Threshold between the lowest and the highest rate: their geometric mean if both
    > 0, else the arithmetic mean."""
    lo, hi = float(np.min(rates)), float(np.max(rates))
    return float(np.sqrt(lo * hi)) if lo > 0 else 0.5 * (lo + hi)


def on_off_from_levels(change_points, levels, threshold_cps: float | None = None) -> OnOff:
    """On/off durations from change-point segments clustered into levels.

    Parameters
    ----------
    change_points : ChangePoints
        From :func:`~qdlab.photons.analysis.changepoints.find_change_points`.
    levels : Levels
        From :func:`~qdlab.photons.analysis.levels.cluster_levels` on the same segments.
    threshold_cps : float, optional
        A segment is "on" when the rate of its state exceeds this (counts/s). Default:
        the geometric mean of the lowest and highest state rates.

    Returns
    -------
    OnOff

    Notes
    -----
    Segments are classified by the rate of their EM state, not by their own noisy
    rate, so a short segment is not flipped by shot noise (Watkins & Yang 2005).
    """
    if levels.n_states < 2 and threshold_cps is None:
        raise QdlabInputError("on/off durations need at least two intensity levels; the "
                              "clustering found one (no blinking), or give threshold_cps")
    thr = _midpoint(levels.rates_cps) if threshold_cps is None else float(threshold_cps)
    is_on = levels.rates_cps[levels.state_of_segment] > thr
    return on_off_durations(change_points.boundaries_s, is_on, thr)


def on_off_from_trace(trace, threshold_cps: float | None = None) -> OnOff:
    """On/off durations from a binned intensity trace and a threshold.

    Parameters
    ----------
    trace : IntensityTrace
    threshold_cps : float, optional
        Bins with a summed rate above this are "on" (counts/s). Default: from a
        two-state Poisson mixture of the bin counts
        (:func:`~qdlab.photons.analysis.levels.em_poisson_mixture`), the geometric mean
        of the two rates.

    Returns
    -------
    OnOff
        Durations are whole multiples of the bin width.
    """
    from qdlab.photons.analysis.levels import em_poisson_mixture

    counts = trace.total
    if counts.size < 3:
        raise QdlabInputError(f"the trace has {counts.size} bins; on/off needs >= 3")
    if threshold_cps is None:
        rates, _, _, _ = em_poisson_mixture(counts, np.full(counts.size, trace.bin_width_s), 2)
        threshold_cps = _midpoint(rates)
    is_on = trace.rate_cps > float(threshold_cps)
    bounds = np.r_[trace.t_s, trace.t_s[-1] + trace.bin_width_s]
    return on_off_durations(bounds, is_on, float(threshold_cps))
