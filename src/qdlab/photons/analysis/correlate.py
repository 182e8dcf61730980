"""Cross-correlation of two detector channels: the histogram of photon-pair delays.

The Hanbury Brown-Twiss coincidence histogram :math:`C(\\tau)` counts every pair of
one photon in channel A and one in channel B with :math:`\\tau = t_B - t_A` in the
window, on integer clock ticks. It is the raw material of
:mod:`qdlab.photons.analysis.g2`.

Algorithm: the merged, time-ordered tags are scanned by lag *index* k: for k = 1
the differences :math:`t_{i+1} - t_i` of the whole array are formed at once (numpy);
since the tags are sorted, :math:`t_{i+k} - t_i` grows with k, so for k + 1 only the
photons i whose k-th successor was still inside the window are kept. Cross-channel
pairs are histogrammed with :func:`numpy.bincount`; the scan stops when no pair is
left. The work is
:math:`O(N (1 + R w))` for rate R and window w, in chunks of fixed memory.

Examples
--------
>>> import numpy as np
>>> t = np.array([0, 5, 12, 30]); ch = np.array([0, 1, 1, 0])
>>> h = cross_correlation_histogram(t, ch, 0, 1, window_ticks=20, bin_ticks=10)
>>> h.lags_ticks.tolist(), h.counts.tolist()
([-20, -10, 0, 10], [1, 0, 1, 1])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qdlab.errors import QdlabInputError

__all__ = ["Correlation", "cross_correlation_histogram"]

#: Tags processed at once (memory: ~30 bytes per tag of the chunk).
CHUNK = 4_000_000


@dataclass(frozen=True)
class Correlation:
    """Coincidence histogram of delays :math:`\\tau = t_B - t_A`.

    Attributes
    ----------
    lags_ticks : numpy.ndarray of int
        Left edge of each bin, ticks.
    bin_ticks : int
        Bin width, ticks.
    counts : numpy.ndarray of int
        Pairs per bin.
    n_a, n_b : int
        Photons in channel A and B.
    span_ticks : int
        Duration of the record, ticks (first to last tag).
    """

    lags_ticks: np.ndarray
    bin_ticks: int
    counts: np.ndarray
    n_a: int
    n_b: int
    span_ticks: int

    @property
    def centres_ticks(self) -> np.ndarray:
        """Bin centres, ticks."""
        return self.lags_ticks + 0.5 * self.bin_ticks

    @property
    def accidental_per_bin(self) -> float:
        """Expected pairs per bin for uncorrelated streams: :math:`N_A N_B \\Delta\\tau / T`."""
        return self.n_a * self.n_b * self.bin_ticks / max(self.span_ticks, 1)


def cross_correlation_histogram(ticks, channel, channel_a: int, channel_b: int,
                                window_ticks: int, bin_ticks: int) -> Correlation:
    """Histogram of :math:`t_B - t_A` over all A-B photon pairs within ``+-window_ticks``.

    Parameters
    ----------
    ticks : array_like of int
        Detection times in clock ticks, non-decreasing (all channels merged).
    channel : array_like of int
        Channel of each tag.
    channel_a, channel_b : int
        The two channels (start and stop), different.
    window_ticks : int
        Half-width of the lag window, ticks; rounded up to whole bins.
    bin_ticks : int
        Bin width, ticks (>= 1).

    Returns
    -------
    Correlation
        Bins cover :math:`[-W, W)` with :math:`W` = ``window_ticks`` rounded up to a
        whole number of bins.

    Notes
    -----
    .. math::

        C(\\tau_j) = \\#\\{(a, b): t_b - t_a \\in [\\tau_j, \\tau_j + \\Delta\\tau)\\},

    the unnormalised second-order cross-correlation of Hanbury Brown & Twiss;
    :math:`g^{(2)}(\\tau) = C(\\tau)\\,T/(N_A N_B \\Delta\\tau)`.

    References
    ----------
    .. [1] R. Hanbury Brown, R. Q. Twiss, Nature 177, 27 (1956).
    .. [2] M. Wahl, I. Gregor, M. Patting, J. Enderlein, "Fast calculation of
       fluorescence correlation data with asynchronous time-correlated single-photon
       counting", Opt. Express 11, 3583 (2003).
    """
    t = np.asarray(ticks)
    ch = np.asarray(channel)
    if t.ndim != 1 or ch.shape != t.shape:
        raise QdlabInputError("ticks and channel must be 1-D arrays of equal length")
    if t.size and not np.issubdtype(t.dtype, np.integer):
        raise QdlabInputError(f"ticks must be integers, got dtype {t.dtype}")
    if int(channel_a) == int(channel_b):
        raise QdlabInputError(f"channel_a and channel_b must differ, got {channel_a} twice")
    bin_ticks = int(bin_ticks)
    if bin_ticks < 1:
        raise QdlabInputError(f"bin_ticks must be >= 1, got {bin_ticks}")
    if int(window_ticks) < 1:
        raise QdlabInputError(f"window_ticks must be >= 1, got {window_ticks}")
    half = -(-int(window_ticks) // bin_ticks)
    n_bins = 2 * half
    if n_bins > 100_000_000:
        raise QdlabInputError(f"window/bin gives {n_bins} bins, more than 100000000")
    w = half * bin_ticks
    sel = (ch == channel_a) | (ch == channel_b)
    if sel.all():   # (no copy of the tags when the stream has only these two channels)
        t = t.astype(np.int64, copy=False)
        is_b = ch == channel_b
    else:
        t = t[sel].astype(np.int64, copy=False)
        is_b = ch[sel] == channel_b
    n = t.size
    hist = np.zeros(n_bins, dtype=np.int64)
    if n >= 2 and np.any(np.diff(t[: min(n, 1_000_000)]) < 0):
        raise QdlabInputError("ticks must be non-decreasing")
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n - 1)
        if stop <= start:
            break
        # k = 1 over the whole chunk; then only the pairs still inside the window
        # (t[i+k] - t[i] grows with k, so a pair that left the window never returns)
        cand = np.flatnonzero(t[start + 1:stop + 1] - t[start:stop] <= w) + start
        k = 1
        while cand.size:
            d = t[cand + k] - t[cand]
            first_b = is_b[cand]
            cross = first_b != is_b[cand + k]
            dd = d[cross]
            lag = np.where(first_b[cross], -dd, dd)   # tau = t_B - t_A
            idx = (lag + w) // bin_ticks
            hist += np.bincount(idx[idx < n_bins], minlength=n_bins)
            k += 1
            cand = cand[cand + k < n]
            cand = cand[t[cand + k] - t[cand] <= w]
    n_a = int(np.count_nonzero(~is_b))
    return Correlation(lags_ticks=(np.arange(n_bins, dtype=np.int64) - half) * bin_ticks,
                       bin_ticks=bin_ticks, counts=hist, n_a=n_a, n_b=int(n - n_a),
                       span_ticks=int(t[-1] - t[0]) if n else 0)
