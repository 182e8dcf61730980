"""Intensity traces: photon counts in time bins, per detector channel and summed.

Examples
--------
>>> import numpy as np
>>> from qdlab.io.timetags import PhotonStream
>>> s = PhotonStream(macrotime=np.arange(0, 10_000, 10), channel=np.zeros(1000, int),
...                  macrotime_resolution_s=1e-3)
>>> tr = intensity_trace(s, bin_width_s=1.0)
>>> tr.counts.shape, int(tr.total[0]), float(tr.rate_cps[0])
((1, 9), 100, 100.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qdlab.errors import QdlabInputError
from qdlab.photons.analysis._checks import as_stream, channels_of, need_photons, positive

__all__ = ["IntensityTrace", "intensity_trace", "suggest_bin_width_s"]

#: Candidate bin widths, s: 1, 2, 5 x 10^k from 10 us to 10 s.
NICE_BIN_WIDTHS_S = tuple(m * 10.0 ** e for e in range(-5, 2) for m in (1, 2, 5))


@dataclass(frozen=True)
class IntensityTrace:
    """Photon counts in consecutive time bins.

    Attributes
    ----------
    t_s : numpy.ndarray
        Start of each bin, s, from the first photon.
    bin_width_s : float
        Bin width, s.
    channels : tuple of int
        The detector channels, one row of ``counts`` each.
    counts : numpy.ndarray of int, shape (n_channels, n_bins)
        Photons per bin and channel.
    """

    t_s: np.ndarray
    bin_width_s: float
    channels: tuple[int, ...]
    counts: np.ndarray

    @property
    def total(self) -> np.ndarray:
        """Counts per bin summed over the channels."""
        return self.counts.sum(axis=0)

    @property
    def rate_cps(self) -> np.ndarray:
        """Summed count rate per bin, counts/s."""
        return self.total / self.bin_width_s


def suggest_bin_width_s(stream, min_counts: float = 25.0) -> float:
    """The smallest 1-2-5 bin width (>= 1 ms) holding ``min_counts`` photons on average.

    Parameters
    ----------
    stream : PhotonStream
    min_counts : float
        Mean photons per bin wanted (default 25: relative shot noise 1/sqrt(25) = 20 %,
        so an "on" level is several standard deviations above "off").

    Returns
    -------
    float
        Bin width, s.

    Notes
    -----
    With mean rate :math:`\\bar R = N / T` the bin width is the smallest
    :math:`\\Delta t \\ge 1` ms of the 1-2-5 series with :math:`\\bar R \\Delta t \\ge`
    ``min_counts``; the shot-noise-limited choice of the blinking literature
    (e.g. Frantsuzov et al. 2008).

    References
    ----------
    .. [1] P. Frantsuzov, M. Kuno, B. Janko, R. A. Marcus, "Universal emission
       intermittency in quantum dots, nanorods and nanowires", Nat. Phys. 4, 519 (2008).
    """
    s = as_stream(stream)
    need_photons(s.n_photons, 2, "a bin-width choice")
    positive(min_counts, "min_counts", "photons")
    rate = s.n_photons / max(s.duration_s, s.macrotime_resolution_s)
    for w in NICE_BIN_WIDTHS_S:
        if w >= 1e-3 and rate * w >= min_counts:
            return float(w)
    return float(NICE_BIN_WIDTHS_S[-1])


def intensity_trace(stream, bin_width_s: float | None = None, channels=None) -> IntensityTrace:
    """Bin the photon detections of ``stream`` into an intensity trace.

    Parameters
    ----------
    stream : PhotonStream
        T2 or T3 photon stream (T3 bins on the macrotime, i.e. whole sync periods).
    bin_width_s : float, optional
        Bin width, s; default :func:`suggest_bin_width_s`. Rounded to whole macrotime
        ticks.
    channels : int or sequence of int, optional
        Channels to keep (default: all recorded).

    Returns
    -------
    IntensityTrace

    Notes
    -----
    Bin :math:`j` holds the photons with :math:`\\lfloor (m - m_0)/w \\rfloor = j`, where
    :math:`m` is the macrotime in ticks, :math:`m_0` the first one and :math:`w` the bin
    width in ticks. The last, incomplete bin is dropped (its rate would be biased low).
    """
    s = as_stream(stream)
    need_photons(s.n_photons, 2, "an intensity trace")
    chans = channels_of(s, channels)
    w_s = suggest_bin_width_s(s) if bin_width_s is None else positive(bin_width_s,
                                                                       "bin_width_s")
    w = int(round(w_s / s.macrotime_resolution_s))
    if w < 1:
        raise QdlabInputError(f"bin_width_s must be >= one macrotime tick "
                              f"({s.macrotime_resolution_s:g} s), got {w_s:g}")
    mt = np.asarray(s.macrotime, dtype=np.int64)
    m0 = int(mt[0])
    n_bins = int((int(mt[-1]) - m0) // w)
    if n_bins < 1:
        raise QdlabInputError(f"bin_width_s = {w_s:g} s is longer than the recording "
                              f"({s.duration_s:g} s)")
    if n_bins > 50_000_000:
        raise QdlabInputError(f"bin_width_s = {w_s:g} s gives {n_bins} bins, more than "
                              "50000000; choose a wider bin")
    idx = (mt - m0) // w
    ch = np.asarray(s.channel)
    counts = np.zeros((len(chans), n_bins), dtype=np.int64)
    keep = idx < n_bins
    for row, c in enumerate(chans):
        sel = keep & (ch == c)
        counts[row] = np.bincount(idx[sel], minlength=n_bins)[:n_bins]
    w_true = w * s.macrotime_resolution_s
    return IntensityTrace(t_s=np.arange(n_bins) * w_true, bin_width_s=float(w_true),
                          channels=chans, counts=counts)
