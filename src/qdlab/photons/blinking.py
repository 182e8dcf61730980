"""Blinking: a two-state (neutral "on" / charged "off") telegraph with power-law dwell times.

Single colloidal dots switch between a bright neutral state and a dim charged state
whose emission is quenched by trion Auger recombination.  The durations of the on and
off periods follow power laws :math:`P(t) \\propto t^{-\\alpha}` with
:math:`\\alpha \\approx 1.5` over many decades (Kuno et al. 2001), cut off at long times
(Frantsuzov et al. 2008).  This module draws such a telegraph trajectory.

Examples
--------
>>> import numpy as np
>>> b = BlinkingModel(on_exponent=1.5, off_exponent=1.5, min_dwell_s=1e-3, max_dwell_s=10.0)
>>> traj = blinking_trajectory(b, 5.0, np.random.default_rng(1))
>>> bool(traj.switch_times_s[0] == 0.0), int(traj.states[0])
(True, 0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qdlab.errors import QdlabInputError

#: State codes of the telegraph: 0 = neutral ("on"), 1 = charged ("off", grey).
NEUTRAL, CHARGED = 0, 1
#: Most on/off periods a trajectory may have (expected value): ~100 MB of arrays.
MAX_PERIODS = 5_000_000


@dataclass(frozen=True)
class BlinkingModel:
    """Truncated power-law dwell times of the on (neutral) and off (charged) states.

    Parameters
    ----------
    on_exponent, off_exponent : float
        Power-law exponents :math:`\\alpha_{on}, \\alpha_{off}` (> 1, != 2 needed only
        for the mean; Kuno 2001: 1.5-1.7).
    min_dwell_s, max_dwell_s : float
        Truncation of the power law, s (``0 < min < max``).
    start_state : {0, 1}
        State at t = 0 (0: on, 1: off).

    Notes
    -----
    Each dwell time is drawn from the truncated power law

    .. math::

        p(t) = \\frac{(\\alpha-1)\\,t^{-\\alpha}}{t_{min}^{1-\\alpha}-t_{max}^{1-\\alpha}},
        \\qquad t_{min} \\le t \\le t_{max},

    by inverting its cumulative distribution,
    :math:`t = [t_{min}^{1-\\alpha} - u\\,(t_{min}^{1-\\alpha}-t_{max}^{1-\\alpha})]^{1/(1-\\alpha)}`
    with :math:`u \\sim U(0,1)` (:math:`\\alpha = 1`: log-uniform).  On and off periods
    alternate (a two-state telegraph, no memory between periods).

    References
    ----------
    .. [1] M. Kuno, D. P. Fromm, H. F. Hamann, A. Gallagher, D. J. Nesbitt, "'On'/'off'
       fluorescence intermittency of single semiconductor quantum dots", J. Chem. Phys.
       115, 1028 (2001).
    .. [2] P. Frantsuzov, M. Kuno, B. Janko, R. A. Marcus, "Universal emission
       intermittency in quantum dots, nanorods and nanowires", Nature Phys. 4, 519 (2008).
    """

    on_exponent: float = 1.5
    off_exponent: float = 1.5
    min_dwell_s: float = 1e-3
    max_dwell_s: float = 100.0
    start_state: int = NEUTRAL

    def __post_init__(self) -> None:
        for name in ("on_exponent", "off_exponent"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and 1.0 < v < 4.0):
                raise QdlabInputError(f"{name} must be > 1 and < 4, got {v!r}")
        lo, hi = self.min_dwell_s, self.max_dwell_s
        if not (isinstance(lo, (int, float)) and math.isfinite(lo) and lo > 0):
            raise QdlabInputError(f"min_dwell_s must be a finite number > 0 s, got {lo!r}")
        if not (isinstance(hi, (int, float)) and math.isfinite(hi) and hi > lo):
            raise QdlabInputError(f"max_dwell_s must be finite and > min_dwell_s ({lo:g} s), "
                                  f"got {hi!r}")
        if self.start_state not in (NEUTRAL, CHARGED):
            raise QdlabInputError(f"start_state must be 0 (on) or 1 (off), got "
                                  f"{self.start_state!r}")

    def mean_dwell_s(self, state: int) -> float:
        """Mean dwell time of ``state`` (0: on, 1: off), s.

        Notes
        -----
        :math:`\\langle t\\rangle = \\frac{\\alpha-1}{2-\\alpha}\\,
        \\frac{t_{max}^{2-\\alpha}-t_{min}^{2-\\alpha}}{t_{min}^{1-\\alpha}-t_{max}^{1-\\alpha}}`
        (the limit :math:`(\\alpha-1)\\ln(t_{max}/t_{min})/(t_{min}^{1-\\alpha}-
        t_{max}^{1-\\alpha})` at :math:`\\alpha = 2`).
        """
        a = self.on_exponent if state == NEUTRAL else self.off_exponent
        return _truncated_power_law_mean(a, self.min_dwell_s, self.max_dwell_s)

    @property
    def on_fraction(self) -> float:
        """Long-run fraction of time in the on state, ``<t_on> / (<t_on> + <t_off>)``."""
        on, off = self.mean_dwell_s(NEUTRAL), self.mean_dwell_s(CHARGED)
        return on / (on + off)

    def as_dict(self) -> dict:
        """The parameters and the mean dwell times as a JSON-ready dict."""
        return {"on_exponent": float(self.on_exponent), "off_exponent": float(self.off_exponent),
                "min_dwell_s": float(self.min_dwell_s), "max_dwell_s": float(self.max_dwell_s),
                "start_state": "on" if self.start_state == NEUTRAL else "off",
                "mean_on_s": self.mean_dwell_s(NEUTRAL),
                "mean_off_s": self.mean_dwell_s(CHARGED), "on_fraction": self.on_fraction}


def _truncated_power_law_mean(a: float, lo: float, hi: float) -> float:
    if abs(a - 1.0) < 1e-12:
        return (hi - lo) / math.log(hi / lo)
    norm = (lo ** (1 - a) - hi ** (1 - a)) / (a - 1)
    if abs(a - 2.0) < 1e-12:
        return math.log(hi / lo) / norm
    return (hi ** (2 - a) - lo ** (2 - a)) / (2 - a) / norm


def truncated_power_law(rng: np.random.Generator, exponent: float, min_s: float, max_s: float,
                        size: int) -> np.ndarray:
    """Draw ``size`` durations (s) from :math:`p(t) \\propto t^{-\\alpha}` on [min_s, max_s].

    Parameters
    ----------
    rng : numpy.random.Generator
    exponent : float
        :math:`\\alpha` (any real; 1 gives a log-uniform law).
    min_s, max_s : float
        Truncation, s.
    size : int

    Returns
    -------
    numpy.ndarray of float
        Durations in s, inverse-CDF sampled (see :class:`BlinkingModel`).

    Examples
    --------
    >>> t = truncated_power_law(np.random.default_rng(0), 1.5, 1e-3, 1.0, 1000)
    >>> bool(t.min() >= 1e-3 and t.max() <= 1.0)
    True
    """
    u = rng.random(size)
    if abs(exponent - 1.0) < 1e-12:
        return min_s * np.exp(u * math.log(max_s / min_s))
    b = 1.0 - exponent
    lo, hi = min_s ** b, max_s ** b
    return np.clip((lo + u * (hi - lo)) ** (1.0 / b), min_s, max_s)


@dataclass(frozen=True, eq=False)
class BlinkingTrajectory:
    """A telegraph trajectory on [0, duration].

    Attributes
    ----------
    switch_times_s : numpy.ndarray
        Start of each period, s (first = 0), increasing.
    states : numpy.ndarray of int8
        State of each period (0: on/neutral, 1: off/charged).
    duration_s : float
        End of the trajectory, s (the last period is cut there).
    """

    switch_times_s: np.ndarray
    states: np.ndarray
    duration_s: float

    @property
    def dwell_times_s(self) -> np.ndarray:
        """Duration of each period, s (the last one cut at ``duration_s``)."""
        return np.diff(np.append(self.switch_times_s, self.duration_s))

    def state_at(self, t_s: np.ndarray) -> np.ndarray:
        """State (0 or 1) at the times ``t_s`` (s, within [0, duration])."""
        i = np.searchsorted(self.switch_times_s, t_s, side="right") - 1
        return self.states[np.clip(i, 0, None)]

    def time_in(self, state: int) -> float:
        """Total time spent in ``state``, s."""
        return float(self.dwell_times_s[self.states == state].sum())


def blinking_trajectory(model: BlinkingModel, duration_s: float, rng: np.random.Generator
                        ) -> BlinkingTrajectory:
    """Draw an on/off telegraph trajectory of ``duration_s`` seconds.

    Parameters
    ----------
    model : BlinkingModel
    duration_s : float
        s, > 0.
    rng : numpy.random.Generator

    Returns
    -------
    BlinkingTrajectory
        Periods alternate between on and off, starting with ``model.start_state``;
        the dwell times are independent draws from the truncated power laws of
        ``model``.  The last period is cut at ``duration_s`` (censored).
    """
    if not (math.isfinite(duration_s) and duration_s > 0):
        raise QdlabInputError(f"duration_s must be a finite number > 0 s, got {duration_s!r}")
    mean_pair = model.mean_dwell_s(NEUTRAL) + model.mean_dwell_s(CHARGED)
    if 2 * duration_s / mean_pair > MAX_PERIODS:
        raise QdlabInputError(
            f"the blinking trajectory would have about {2 * duration_s / mean_pair:.3g} "
            f"on/off periods, more than {MAX_PERIODS:.0e}: raise min_dwell_s "
            f"({model.min_dwell_s:g} s) or shorten duration_s ({duration_s:g} s)")
    starts: list[np.ndarray] = []
    t0 = 0.0
    first = model.start_state
    while t0 < duration_s:
        n_pairs = int(1.2 * (duration_s - t0) / mean_pair) + 16
        a = truncated_power_law(rng, model.on_exponent if first == NEUTRAL
                                else model.off_exponent, model.min_dwell_s, model.max_dwell_s,
                                n_pairs)
        b = truncated_power_law(rng, model.off_exponent if first == NEUTRAL
                                else model.on_exponent, model.min_dwell_s, model.max_dwell_s,
                                n_pairs)
        dwell = np.empty(2 * n_pairs)
        dwell[0::2], dwell[1::2] = a, b
        ends = t0 + np.cumsum(dwell)
        s = np.concatenate(([t0], ends[:-1]))
        keep = s < duration_s
        starts.append(s[keep])
        t0 = float(ends[-1])   # next period starts in state `first` again (even count)
    switch = np.concatenate(starts)
    states = ((np.arange(switch.size) + model.start_state) % 2).astype(np.int8)
    return BlinkingTrajectory(switch_times_s=switch, states=states, duration_s=float(duration_s))
