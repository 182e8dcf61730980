"""The detection path of a single-dot experiment: HBT beamsplitter, SPADs and their flaws.

:func:`detect` turns the emission times of a dot into the time tags a two-detector
Hanbury Brown-Twiss (HBT) setup records: each emitted photon is collected and detected
with the efficiency :math:`\\eta`, sent to one of the channels by a 50:50 beamsplitter,
delayed by the instrument response (Gaussian jitter), mixed with dark counts and
afterpulses, and thinned by the dead time of each detector.

Examples
--------
>>> import numpy as np
>>> d = Detector(efficiency=1.0, dark_count_rate_cps=0.0, afterpulse_probability=0.0,
...              dead_time_s=0.0, irf_fwhm_s=0.0, delay_s=0.0)
>>> t, ch = detect(np.array([1e-6, 2e-6]), d, 1.0, np.random.default_rng(0))
>>> t.tolist()
[1e-06, 2e-06]
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from qdlab.errors import QdlabInputError

#: FWHM of a Gaussian over its standard deviation, :math:`2\\sqrt{2\\ln 2}`.
FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))


@dataclass(frozen=True)
class Detector:
    """Parameters of the detection path (times in s).

    Parameters
    ----------
    efficiency : float
        Probability that an emitted photon is recorded (collection x transmission x
        detector quantum efficiency), in (0, 1].
    n_channels : {1, 2}
        2: two detectors behind a 50:50 beamsplitter (HBT); 1: one detector.
    irf_fwhm_s : float
        FWHM of the Gaussian timing jitter (instrument response), s (>= 0).
    delay_s : float
        Fixed delay of the detection path (cable, electronics), s (>= 0): the decay
        starts at this time after the laser sync.
    dead_time_s : float
        Non-paralysable dead time of each detector, s (>= 0).
    dark_count_rate_cps : float
        Dark counts per second of each detector (a Poisson process), >= 0.
    afterpulse_probability : float
        Probability that a recorded count is followed by an afterpulse, in [0, 1).
    afterpulse_mean_delay_s : float
        Mean of the exponential delay of an afterpulse after the end of the dead time, s.

    Notes
    -----
    Dead time (non-paralysable, per channel): a count recorded at :math:`t` blinds its
    detector until :math:`t + \\tau_d`; a count at rate :math:`r` survives with probability
    :math:`1/(1 + r\\tau_d)` for Poisson input.  Afterpulses are drawn once from the
    recorded counts (signal and dark) at :math:`t + \\tau_d + \\mathrm{Exp}(\\tau_{ap})`;
    afterpulses of afterpulses (order :math:`p_{ap}^2`) are neglected, and the dead time
    is applied again to the merged stream.

    References
    ----------
    .. [1] W. Becker, "Advanced time-correlated single photon counting techniques",
       Springer (2005), ch. 7 (detectors: dead time, afterpulsing, dark counts).
    .. [2] R. Hanbury Brown, R. Q. Twiss, "Correlation between photons in two coherent
       beams of light", Nature 177, 27 (1956).
    """

    efficiency: float = 0.05
    n_channels: int = 2
    irf_fwhm_s: float = 50e-12
    delay_s: float = 1e-9
    dead_time_s: float = 50e-9
    dark_count_rate_cps: float = 100.0
    afterpulse_probability: float = 0.005
    afterpulse_mean_delay_s: float = 200e-9

    def __post_init__(self) -> None:
        def num(name: str) -> float:
            v = getattr(self, name)
            try:
                v = float(v)
            except (TypeError, ValueError):
                raise QdlabInputError(f"{name} must be a number, got {v!r}") from None
            if not math.isfinite(v):
                raise QdlabInputError(f"{name} must be finite, got {v!r}")
            return v

        if not 0.0 < num("efficiency") <= 1.0:
            raise QdlabInputError(f"efficiency must be in (0, 1], got {self.efficiency!r}")
        if self.n_channels not in (1, 2):
            raise QdlabInputError(f"n_channels must be 1 or 2, got {self.n_channels!r}")
        for name, hi in (("irf_fwhm_s", 1e-6), ("delay_s", 1e-3), ("dead_time_s", 1e-3),
                         ("afterpulse_mean_delay_s", 1e-3)):
            if not 0.0 <= num(name) <= hi:
                raise QdlabInputError(f"{name} must be >= 0 s and <= {hi:g} s, got "
                                      f"{getattr(self, name)!r}")
        if not 0.0 <= num("dark_count_rate_cps") <= 1e7:
            raise QdlabInputError("dark_count_rate_cps must be >= 0 and <= 1e7 counts/s, got "
                                  f"{self.dark_count_rate_cps!r}")
        if not 0.0 <= num("afterpulse_probability") < 1.0:
            raise QdlabInputError("afterpulse_probability must be >= 0 and < 1, got "
                                  f"{self.afterpulse_probability!r}")

    def as_dict(self) -> dict:
        """The parameters as a JSON-ready dict."""
        return {k: (int(v) if k == "n_channels" else float(v)) for k, v in asdict(self).items()}


def dead_time_filter(times_s: np.ndarray, dead_time_s: float) -> np.ndarray:
    """Which counts of one detector survive a non-paralysable dead time.

    Parameters
    ----------
    times_s : numpy.ndarray
        Count times of one detector, s, sorted ascending.
    dead_time_s : float
        Dead time, s.

    Returns
    -------
    numpy.ndarray of bool
        ``True`` for recorded counts: a count is lost when it comes less than
        ``dead_time_s`` after the last *recorded* count.

    Notes
    -----
    Vectorised over clusters: a count more than :math:`\\tau_d` after its predecessor
    always survives; inside a cluster of closer counts the first survives, the counts
    within :math:`\\tau_d` of it are lost, and the next one left starts again (one
    numpy pass per surviving count of the longest cluster).

    Examples
    --------
    >>> dead_time_filter(np.array([0.0, 1.0, 1.5, 2.2, 5.0]), 1.0).tolist()
    [True, True, False, True, True]
    """
    t = np.asarray(times_s, dtype=float)
    keep = np.ones(t.size, dtype=bool)
    if t.size < 2 or dead_time_s <= 0:
        return keep
    close = np.diff(t) < dead_time_s                 # count i+1 within tau of count i
    if not close.any():
        return keep
    start = np.concatenate(([True], ~close))         # first count of each cluster
    cluster = np.cumsum(start)
    in_cluster = np.zeros(t.size, dtype=bool)
    in_cluster[1:] |= close
    in_cluster[:-1] |= close
    idx = np.flatnonzero(in_cluster)
    while idx.size:
        cl = cluster[idx]
        head = np.concatenate(([True], cl[1:] != cl[:-1]))
        head_time = t[idx[head]][np.cumsum(head) - 1]
        lost = ~head & (t[idx] < head_time + dead_time_s)
        keep[idx[lost]] = False
        idx = idx[~head & ~lost]
    return keep


def detect(emission_times_s: np.ndarray, detector: Detector, duration_s: float,
           rng: np.random.Generator, *, already_thinned: bool = False
           ) -> tuple[np.ndarray, np.ndarray]:
    """Recorded counts (times and channels) of a detection path, sorted by time.

    Parameters
    ----------
    emission_times_s : numpy.ndarray
        Emission times of the dot's photons, s (any order).
    detector : Detector
    duration_s : float
        Length of the record, s; counts at or after it are dropped.
    rng : numpy.random.Generator
    already_thinned : bool
        ``True`` when the caller has already kept each photon with probability
        ``detector.efficiency`` (the simulator does, to skip undetected photons early).

    Returns
    -------
    times_s : numpy.ndarray of float
        Recorded count times, s, ascending.
    channels : numpy.ndarray of int8
        Detector of each count (0 or 1).

    Notes
    -----
    Steps: thinning by :math:`\\eta`; beamsplitter (channel 0 or 1 with probability
    1/2 each); Gaussian jitter :math:`\\sigma = \\mathrm{FWHM}/(2\\sqrt{2\\ln 2})` plus the
    fixed delay; dark counts, :math:`\\mathrm{Poisson}(r_d T)` uniform times per channel;
    dead time; afterpulses; dead time again (see :class:`Detector`).
    """
    t = np.asarray(emission_times_s, dtype=float)
    if not already_thinned and detector.efficiency < 1.0:
        t = t[rng.random(t.size) < detector.efficiency]
    if detector.irf_fwhm_s > 0:
        t = t + rng.normal(0.0, detector.irf_fwhm_s / FWHM_PER_SIGMA, t.size)
    t = t + detector.delay_s
    ch = (rng.random(t.size) < 0.5).astype(np.int8) if detector.n_channels == 2 \
        else np.zeros(t.size, dtype=np.int8)
    out_t, out_c = [], []
    for c in range(detector.n_channels):
        tc = t[ch == c]
        n_dark = rng.poisson(detector.dark_count_rate_cps * duration_s)
        tc = np.sort(np.concatenate((tc, rng.random(n_dark) * duration_s)))
        tc = tc[(tc >= 0.0) & (tc < duration_s)]
        tc = tc[dead_time_filter(tc, detector.dead_time_s)]
        if detector.afterpulse_probability > 0 and tc.size:
            src = tc[rng.random(tc.size) < detector.afterpulse_probability]
            ap = src + detector.dead_time_s + rng.exponential(
                detector.afterpulse_mean_delay_s, src.size)
            tc = np.sort(np.concatenate((tc, ap[ap < duration_s])))
            tc = tc[dead_time_filter(tc, detector.dead_time_s)]
        out_t.append(tc)
        out_c.append(np.full(tc.size, c, dtype=np.int8))
    times = np.concatenate(out_t)
    chans = np.concatenate(out_c)
    order = np.argsort(times, kind="stable")
    return times[order], chans[order]
