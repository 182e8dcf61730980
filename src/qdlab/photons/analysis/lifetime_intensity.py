"""FLID: the fluorescence lifetime-intensity distribution of a T3 stream.

For each time bin of the trace the photon count and the mean TCSPC delay after the
excitation (a model-free lifetime estimate) are computed; their 2-D histogram
separates the blinking states of a dot (bright/long-lived exciton, dim/short-lived
trion, "grey" states) (Galland et al. 2011).

Examples
--------
>>> import numpy as np
>>> from qdlab.io.timetags import PhotonStream
>>> rng = np.random.default_rng(0)
>>> n = 50_000
>>> nt = np.minimum((rng.exponential(20e-9, n) / 1e-10).astype(int), 999)   # 100 ps bins
>>> s = PhotonStream(macrotime=np.sort(rng.integers(0, 10**7, n)), channel=np.zeros(n, int),
...                  macrotime_resolution_s=1e-7, nanotime=nt, nanotime_resolution_s=1e-10,
...                  mode="T3", sync_period_s=1e-7)
>>> f = flid(s, bin_width_s=0.01, irf_centre_s=0.0)
>>> bool(abs(np.median(f.delay_s[f.counts > 0]) - 20e-9) < 3e-9)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qdlab.photons.analysis._checks import as_stream, need_photons, need_t3
from qdlab.photons.analysis.traces import intensity_trace

__all__ = ["FLID", "flid"]


@dataclass(frozen=True)
class FLID:
    """Per-bin intensity and mean delay, and their 2-D histogram.

    Attributes
    ----------
    counts : numpy.ndarray of int
        Photons per time bin.
    delay_s : numpy.ndarray
        Mean delay after the IRF centre per bin, s (NaN in empty bins).
    bin_width_s : float
        Time bin, s.
    histogram : numpy.ndarray, shape (n_delay, n_counts)
        Number of time bins per (delay, counts) cell.
    delay_edges_s, count_edges : numpy.ndarray
        Cell edges.
    """

    counts: np.ndarray
    delay_s: np.ndarray
    bin_width_s: float
    histogram: np.ndarray
    delay_edges_s: np.ndarray
    count_edges: np.ndarray


def flid(stream, bin_width_s: float | None = None, irf_centre_s: float | None = None,
         channels=None, n_delay_bins: int = 50) -> FLID:
    """Fluorescence lifetime-intensity distribution of a T3 stream.

    Parameters
    ----------
    stream : PhotonStream
        T3 stream.
    bin_width_s : float, optional
        Time bin, s (default :func:`~qdlab.photons.analysis.traces.suggest_bin_width_s`).
    irf_centre_s : float, optional
        Delay of the excitation (IRF centre), s; default: the maximum of the decay
        histogram (a slight over-estimate of the IRF centre, by < 1 IRF width).
    channels : int or sequence of int, optional
        Channels to include (default all).
    n_delay_bins : int
        Cells along the delay axis.

    Returns
    -------
    FLID

    Notes
    -----
    For a bin with photons of delays :math:`d_i`,
    :math:`\\bar\\tau = \\langle d_i\\rangle - t_{IRF}`, which equals the lifetime of a
    mono-exponential decay much shorter than the laser period (Galland et al. 2011;
    Rabouw et al. 2015).

    References
    ----------
    .. [1] C. Galland et al., "Two types of luminescence blinking revealed by
       spectroelectrochemistry of single quantum dots", Nature 479, 203 (2011).
    .. [2] F. T. Rabouw et al., "Delayed exciton emission and its relation to blinking
       in CdSe quantum dots", Nano Lett. 15, 7718 (2015).
    """
    from qdlab.photons.analysis.lifetime import decay_histogram

    s = as_stream(stream)
    need_t3(s, "a FLID")
    need_photons(s.n_photons, 10, "a FLID")
    tr = intensity_trace(s, bin_width_s, channels)
    if irf_centre_s is None:
        t_dec, c_dec = decay_histogram(s, tr.channels)
        irf_centre_s = float(t_dec[int(np.argmax(c_dec))])
    ch = np.asarray(s.channel)
    keep = np.isin(ch, tr.channels)
    w = int(round(tr.bin_width_s / s.macrotime_resolution_s))
    mt = np.asarray(s.macrotime, dtype=np.int64)
    idx = (mt - mt[0]) // w
    keep &= idx < tr.counts.shape[1]
    delay = (np.asarray(s.nanotime, dtype=np.float64) + 0.5) * float(s.nanotime_resolution_s)
    n_bins = tr.counts.shape[1]
    sums = np.bincount(idx[keep], weights=delay[keep], minlength=n_bins)
    counts = tr.total
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_delay = np.where(counts > 0, sums / counts - irf_centre_s, np.nan)
    ok = counts > 0
    top = float(np.nanmax(mean_delay[ok])) if ok.any() else 1e-9
    low = min(0.0, float(np.nanmin(mean_delay[ok]))) if ok.any() else 0.0
    delay_edges = np.linspace(low, max(top, 1e-12) * 1.001, int(n_delay_bins) + 1)
    cmax = int(counts.max()) if counts.size else 1
    count_edges = np.arange(0, cmax + 2) - 0.5 if cmax < 200 else np.linspace(
        -0.5, cmax + 0.5, 201)
    hist, _, _ = np.histogram2d(mean_delay[ok], counts[ok], bins=(delay_edges, count_edges))
    return FLID(counts=counts, delay_s=mean_delay, bin_width_s=tr.bin_width_s,
                histogram=hist, delay_edges_s=delay_edges, count_edges=count_edges)
