"""Photon stream of one colloidal dot: excitation, multiexciton cascade, blinking, detection.

:func:`simulate_stream` returns the :class:`~qdlab.io.timetags.PhotonStream` (T2 or T3
time tags) that a Hanbury Brown-Twiss setup records from a single dot, with the
parameters the stream was drawn from in ``stream.metadata["ground_truth"]`` so that an
analysis can be checked against them.

The simulation is event-driven and vectorised: under pulsed excitation only the pulses
that are absorbed are drawn (geometric gaps between them), in chunks of bounded size,
so that a 10 s record at 10 MHz (1e8 pulses) takes seconds and little memory; under
CW excitation the dot's excursions from the empty state are drawn as independent
renewal cycles.

Examples
--------
>>> from qdlab.photons.emitter import EmitterRates
>>> rates = EmitterRates.from_scaling(20.0, 0.1)
>>> s = simulate_stream(rates, duration_s=0.01, mean_excitation=0.1, seed=1)
>>> s.mode, s.channels, round(s.metadata["ground_truth"]["g2_zero"], 3)
('T2', (0, 1), 0.02)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np

from qdlab.errors import QdlabInputError, QdlabValidityWarning
from qdlab.io.timetags import PhotonStream
from qdlab.photons.blinking import (
    CHARGED,
    NEUTRAL,
    BlinkingModel,
    BlinkingTrajectory,
    blinking_trajectory,
)
from qdlab.photons.detector import Detector, detect
from qdlab.photons.emitter import EmitterRates
from qdlab.photons.spectral import SpectralDiffusion, spectral_walk

#: Most photons a simulation may record (expected value, before dead-time losses): ~30
#: bytes each while the stream is built, i.e. ~0.6 GB at the limit.
MAX_PHOTONS = 20_000_000
#: Most absorption events a simulation may draw (expected value): ~2e7 per second of
#: one core (measured, 10 s at 10 MHz, <N> = 0.1: 9.5e6 in 0.5 s CPU), i.e. ~30 s.
MAX_EXCITATIONS = 500_000_000
#: Longest record, s (float64 time stamps keep 1 ps steps up to ~1 h).
MAX_DURATION_S = 3600.0
#: Absorbing pulses (or CW excursions) drawn per chunk.
CHUNK = 1 << 20
#: Allowed mean number of absorbed photons per pulse.
MEAN_EXCITATION_RANGE = (1e-6, 100.0)
#: Allowed repetition rates, Hz (1 kHz - 1 GHz).
REPETITION_RATE_RANGE_HZ = (1e3, 1e9)
#: Allowed CW absorption rates, 1/s.
CW_RATE_RANGE_PER_S = (1.0, 1e10)
#: Longest list of blinking switch times kept in the ground truth.
MAX_SWITCHES_STORED = 10_000


def _check_range(value, name: str, lo: float, hi: float, unit: str = "") -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise QdlabInputError(f"{name} must be a number, got {value!r}") from None
    if not (math.isfinite(v) and lo <= v <= hi):
        u = f" {unit}" if unit else ""
        raise QdlabInputError(f"{name} must be >= {lo:g}{u} and <= {hi:g}{u}, got {value!r}")
    return v


# -- analytic expectations -----------------------------------------------------------


def pulsed_emission_rate(rates: EmitterRates, mean_excitation: float, repetition_rate_hz: float,
                         state: int = NEUTRAL) -> float:
    """Expected emitted photons per second under pulsed excitation (no detector).

    Parameters
    ----------
    rates : EmitterRates
    mean_excitation : float
        Mean number :math:`\\langle N\\rangle` of absorbed photons per pulse.
    repetition_rate_hz : float
        Laser repetition rate, Hz.
    state : {0, 1}
        0: neutral dot; 1: charged dot (trion).

    Returns
    -------
    float
        photons/s.

    Notes
    -----
    With Poisson absorption, :math:`P(n) = \\langle N\\rangle^n e^{-\\langle N\\rangle}/n!`,
    :math:`P_{\\ge 1} = 1-e^{-\\langle N\\rangle}` and
    :math:`P_{\\ge 2} = P_{\\ge 1} - \\langle N\\rangle e^{-\\langle N\\rangle}`; neutral:
    :math:`f\\,(P_{\\ge 1} QY_X + P_{\\ge 2} QY_{XX})`; charged: :math:`f P_{\\ge 1} QY_{X^*}`.

    Examples
    --------
    >>> r = EmitterRates.from_scaling(20.0, 0.1)
    >>> round(pulsed_emission_rate(r, 0.1, 1e7))
    952543
    """
    n = float(mean_excitation)
    p1 = -math.expm1(-n)
    if state == CHARGED:
        return repetition_rate_hz * p1 * rates.trion_qy
    p2 = p1 - n * math.exp(-n)
    return repetition_rate_hz * (p1 * rates.exciton_qy + p2 * rates.biexciton_qy)


def pulsed_g2_zero(rates: EmitterRates, mean_excitation: float) -> float:
    """Centre-to-side peak area ratio of a neutral dot's pulsed g2 at finite flux.

    Notes
    -----
    With :math:`m` photons emitted after a pulse (0, 1 or 2),
    :math:`g^{(2)}(0) = \\langle m(m-1)\\rangle/\\langle m\\rangle^2
    = 2P_{\\ge 2}QY_{XX}QY_X/(P_{\\ge 1}QY_X + P_{\\ge 2}QY_{XX})^2`, which tends to
    :math:`QY_{XX}/QY_X` as :math:`\\langle N\\rangle \\to 0` (Nair et al. 2011).
    """
    n = float(mean_excitation)
    p1 = -math.expm1(-n)
    p2 = p1 - n * math.exp(-n)
    mean = p1 * rates.exciton_qy + p2 * rates.biexciton_qy
    return 2.0 * p2 * rates.biexciton_qy * rates.exciton_qy / mean**2


def cw_emission_rate(rates: EmitterRates, absorption_rate_per_s: float,
                     state: int = NEUTRAL) -> float:
    """Expected emitted photons per second under CW excitation (no detector).

    Notes
    -----
    A renewal cycle is a wait :math:`1/R` in the empty dot plus an excursion.  From X
    (rates :math:`k_X`, absorption :math:`R`), the excursion lasts
    :math:`D_X = 1/k_X + R/(k_X k_{XX})` and emits :math:`P_X = QY_X + (R/k_X)QY_{XX}`
    photons, so the neutral rate is :math:`P_X/(1/R + D_X)`; the charged dot emits
    :math:`QY_{X^*}/(1/R + 1/k_{X^*})`.
    """
    r = float(absorption_rate_per_s)
    if state == CHARGED:
        kt = rates.trion_rate_per_ns * 1e9
        return rates.trion_qy / (1.0 / r + 1.0 / kt)
    kx, kxx = rates.exciton_rate_per_ns * 1e9, rates.biexciton_rate_per_ns * 1e9
    px = rates.exciton_qy + (r / kx) * rates.biexciton_qy
    dx = 1.0 / kx + r / (kx * kxx)
    return px / (1.0 / r + dx)


# -- emission --------------------------------------------------------------------------


def _pulsed_chunk(rng, k, rep, state, p_multi, rates: EmitterRates, eta):
    """Emission times (s) of the detected photons of the absorbing pulses ``k``."""
    t0 = k / rep
    out = []
    neutral = state == NEUTRAL
    multi = neutral & (rng.random(k.size) < p_multi)
    single = neutral & ~multi
    charged = ~neutral
    # X alone
    ts = t0[single]
    sel = rng.random(ts.size) < rates.exciton_qy * eta
    out.append(ts[sel] + rng.exponential(rates.exciton_lifetime_ns * 1e-9, int(sel.sum())))
    # XX -> X cascade
    tm = t0[multi]
    s1 = rng.random(tm.size) < rates.biexciton_qy * eta
    s2 = rng.random(tm.size) < rates.exciton_qy * eta
    need = s1 | s2
    tm, s1, s2 = tm[need], s1[need], s2[need]
    t_xx = tm + rng.exponential(rates.biexciton_lifetime_ns * 1e-9, tm.size)
    out.append(t_xx[s1])
    out.append(t_xx[s2] + rng.exponential(rates.exciton_lifetime_ns * 1e-9, int(s2.sum())))
    # trion
    tc = t0[charged]
    sel = rng.random(tc.size) < rates.trion_qy * eta
    out.append(tc[sel] + rng.exponential(rates.trion_lifetime_ns * 1e-9, int(sel.sum())))
    return np.concatenate(out)


def _pulsed_emission(rng, rates, mean_excitation, rep, duration_s, traj, eta, progress):
    n_pulses = int(math.floor(duration_s * rep))
    n = mean_excitation
    p_abs = -math.expm1(-n)
    p_multi = (p_abs - n * math.exp(-n)) / p_abs
    chunks, last, n_abs = [], -1, 0
    while True:
        left = (n_pulses - last - 1) * p_abs        # expected absorbing pulses still to come
        size = int(min(CHUNK, left + 5 * math.sqrt(left) + 64))
        k = last + np.cumsum(rng.geometric(p_abs, size), dtype=np.int64)
        done = bool(k[-1] >= n_pulses)
        k = k[k < n_pulses]
        if k.size:
            state = traj.state_at(k / rep) if traj is not None else \
                np.zeros(k.size, dtype=np.int8)
            chunks.append(_pulsed_chunk(rng, k, rep, state, p_multi, rates, eta))
            n_abs += k.size
            last = int(k[-1])
        if progress is not None:
            progress(min(1.0, (last + 1) / max(n_pulses, 1)))
        if done:
            break
    return np.concatenate(chunks) if chunks else np.empty(0), n_abs


def _cw_excursions(rng, size, state, r, rates: EmitterRates, eta):
    """``size`` excursions from the empty dot: (durations s, photon times s, photon owner)."""
    times, owner = [], []
    if state == CHARGED:
        dur = rng.exponential(rates.trion_lifetime_ns * 1e-9, size)
        sel = np.flatnonzero(rng.random(size) < rates.trion_qy * eta)
        return dur, dur[sel], sel
    kx, kxx = rates.exciton_rate_per_ns * 1e9, rates.biexciton_rate_per_ns * 1e9
    p_abs = r / (r + kx)
    clock = np.zeros(size)
    active = np.arange(size)
    while active.size:
        clock[active] += rng.exponential(1.0 / (r + kx), active.size)
        absorbs = rng.random(active.size) < p_abs
        ends = active[~absorbs]
        sel = ends[rng.random(ends.size) < rates.exciton_qy * eta]
        times.append(clock[sel])
        owner.append(sel)
        active = active[absorbs]                      # XX: decays back to X
        clock[active] += rng.exponential(1.0 / kxx, active.size)
        sel = active[rng.random(active.size) < rates.biexciton_qy * eta]
        times.append(clock[sel])
        owner.append(sel)
    return clock, np.concatenate(times), np.concatenate(owner)


def _cw_emission(rng, rates, r, duration_s, traj, eta, progress):
    """Photons of the CW renewal process, one state at a time on its own time axis.

    The periods of one state are laid end to end (a virtual time axis); the renewal
    process of that state runs on it in vectorised chunks, and each excursion is mapped
    back to its period.  The waits in the empty dot are exponential (memoryless), so
    this equals restarting the process at every period; only an excursion that
    straddles the end of a period (probability ~ ns / dwell time) is kept whole.
    """
    if traj is None:
        starts, ends = np.array([0.0]), np.array([duration_s])
        states = np.array([NEUTRAL], dtype=np.int8)
    else:
        starts = traj.switch_times_s
        ends = np.append(traj.switch_times_s[1:], duration_s)
        states = traj.states
    mean_cycle = {NEUTRAL: 1.0 / r + 1.0 / (rates.exciton_rate_per_ns * 1e9),
                  CHARGED: 1.0 / r + rates.trion_lifetime_ns * 1e-9}
    chunks, n_abs, done = [], 0, 0.0
    for state in (NEUTRAL, CHARGED):
        sel = states == state
        if not sel.any():
            continue
        s0 = starts[sel]
        cum = np.concatenate(([0.0], np.cumsum(ends[sel] - s0)))
        total, free = float(cum[-1]), 0.0
        while free < total:
            m = min(CHUNK, int(1.1 * (total - free) / mean_cycle[state]) + 16)
            dur, pt, owner = _cw_excursions(rng, m, state, r, rates, eta)
            begin = free + np.cumsum(rng.exponential(1.0 / r, m)) + \
                np.concatenate(([0.0], np.cumsum(dur[:-1])))
            n_in = int(np.searchsorted(begin, total))
            idx = np.searchsorted(cum, begin[:n_in], side="right") - 1
            real = s0[idx] + (begin[:n_in] - cum[idx])
            keep = owner < n_in
            chunks.append(real[owner[keep]] + pt[keep])
            n_abs += n_in
            free = float(begin[n_in - 1] + dur[n_in - 1]) if n_in == m else total
            if progress is not None:
                progress(min(1.0, (done + min(free, total)) / duration_s))
        done += total
    return (np.concatenate(chunks) if chunks else np.empty(0)), n_abs


# -- the simulator -------------------------------------------------------------------


def check_budget(duration_s: float, detector: Detector, *, mean_excitation: float | None = None,
                 repetition_rate_hz: float | None = None,
                 cw_absorption_rate_per_s: float | None = None) -> None:
    """Refuse a simulation over :data:`MAX_PHOTONS` or :data:`MAX_EXCITATIONS`.

    The photon bound does not need the rates: a pulse yields at most
    :math:`\\min(n, 2)` photons and a CW absorption at most one, so at most
    :math:`\\eta f (P_{\\ge 1} + P_{\\ge 2})` (pulsed) or :math:`\\eta R` (CW) photons
    per second are detected, plus the dark counts.

    Raises
    ------
    QdlabInputError
        Naming the expected number, the limit and what to change.
    """
    duration_s = _check_range(duration_s, "duration_s", 1e-6, MAX_DURATION_S, "s")
    if cw_absorption_rate_per_s is None:
        if mean_excitation is None or repetition_rate_hz is None:
            raise QdlabInputError("give mean_excitation and repetition_rate_hz (pulsed) or "
                                  "cw_absorption_rate_per_s (CW)")
        n = _check_range(mean_excitation, "mean_excitation", *MEAN_EXCITATION_RANGE)
        rep = _check_range(repetition_rate_hz, "repetition_rate_hz",
                           *REPETITION_RATE_RANGE_HZ, "Hz")
        p1 = -math.expm1(-n)
        n_exc = duration_s * rep * p1
        photons = n_exc + duration_s * rep * (p1 - n * math.exp(-n))
    else:
        r = _check_range(cw_absorption_rate_per_s, "cw_absorption_rate_per_s",
                         *CW_RATE_RANGE_PER_S, "1/s")
        n_exc = photons = duration_s * r
    expected = detector.efficiency * photons + duration_s * detector.n_channels * \
        detector.dark_count_rate_cps
    if expected > MAX_PHOTONS:
        raise QdlabInputError(
            f"the record could hold up to {expected:.3g} photons, more than the limit of "
            f"{MAX_PHOTONS:.3g} (memory): shorten the duration ({duration_s:g} s) or lower the "
            "excitation or the efficiency")
    if n_exc > MAX_EXCITATIONS:
        raise QdlabInputError(
            f"the simulation would draw about {n_exc:.3g} absorption events, more than the "
            f"limit of {MAX_EXCITATIONS:.3g} (about half a minute of work): shorten the "
            f"duration ({duration_s:g} s) or lower the excitation")


def simulate_stream(rates: EmitterRates, *, duration_s: float,
                    mean_excitation: float | None = None, repetition_rate_hz: float = 10e6,
                    cw_absorption_rate_per_s: float | None = None,
                    blinking: BlinkingModel | None = None, detector: Detector | None = None,
                    spectral_diffusion: SpectralDiffusion | None = None,
                    mode: str = "T2", macrotime_resolution_s: float = 1e-12,
                    nanotime_resolution_s: float = 16e-12, seed: int = 0,
                    progress: Callable[[float], None] | None = None) -> PhotonStream:
    """Simulate the time tags a two-detector setup records from one dot.

    Parameters
    ----------
    rates : EmitterRates
        Decay channels of X, XX and the trion.
    duration_s : float
        Length of the record, s (<= :data:`MAX_DURATION_S`).
    mean_excitation : float, optional
        Pulsed excitation: mean number of absorbed photons per pulse
        :math:`\\langle N\\rangle` (cross section x photon fluence per pulse).
    repetition_rate_hz : float
        Pulsed excitation: laser repetition rate, Hz (default 10 MHz).
    cw_absorption_rate_per_s : float, optional
        CW excitation instead: absorption rate :math:`R`, 1/s (give this or
        ``mean_excitation``, not both).
    blinking : BlinkingModel, optional
        On/off telegraph; ``None`` (default) for a dot that stays neutral.
    detector : Detector, optional
        Detection path; default :class:`~qdlab.photons.detector.Detector()`.
    spectral_diffusion : SpectralDiffusion, optional
        Emission-energy walk, recorded in the ground truth only (time tags carry no
        energies): ``ground_truth["spectral_diffusion"]["energy_shift_meV"]``.
    mode : {"T2", "T3"}
        T2: macrotime in ticks of ``macrotime_resolution_s``; T3 (pulsed only):
        macrotime = sync count, nanotime in ticks of ``nanotime_resolution_s``.
    macrotime_resolution_s, nanotime_resolution_s : float
        Tick of the T2 macrotime (default 1 ps) and of the T3 nanotime (16 ps), s.
    seed : int
        Seed of the random streams (blinking, emission and detector draw from separate
        children of one :class:`numpy.random.SeedSequence`).
    progress : callable, optional
        Called with the fraction done (0-1) after each chunk.

    Returns
    -------
    PhotonStream
        Channels 0 and 1 (or 0), ``sync_period_s`` = 1/repetition rate for pulsed
        excitation; ``metadata["ground_truth"]`` holds the parameters and the exact
        expectations (``g2_zero``, ``lifetime_ns``, ``on_exponent``, ``off_exponent``,
        count rates, ...), JSON-ready (``None`` = infinite or not applicable).

    Raises
    ------
    QdlabInputError
        Bad parameters, or a request over :data:`MAX_PHOTONS` / :data:`MAX_EXCITATIONS`.

    Notes
    -----
    *Pulsed* excitation: the number of photons absorbed per pulse is Poissonian,
    :math:`P(n) = \\langle N\\rangle^n e^{-\\langle N\\rangle}/n!`, so the gaps between
    absorbing pulses are geometric with :math:`p = 1-e^{-\\langle N\\rangle}`.  A neutral
    dot with :math:`n = 1` holds X; with :math:`n \\ge 2` it holds XX (higher multiexcitons
    relax to XX by Auger recombination within picoseconds, much faster than the XX
    decay, Klimov 2000), which decays after :math:`\\mathrm{Exp}(1/k_{XX})` (a photon with
    :math:`QY_{XX}`) to X, which decays after :math:`\\mathrm{Exp}(1/k_X)` (a photon with
    :math:`QY_X`).  A charged dot holds a trion for any :math:`n \\ge 1` (charged
    multiexcitons: only the trion photon is kept).  The dot is assumed empty at each pulse
    (repetition period >> lifetimes; a warning says otherwise).

    *CW* excitation: cycles of an :math:`\\mathrm{Exp}(1/R)` wait in the empty dot and an
    excursion X :math:`\\rightleftarrows` XX (X absorbs at :math:`R`; absorption in XX or in
    the trion is lost to Auger relaxation) until the dot is empty again.

    Blinking switches the state only between excitations (dwell times >> ns).  The
    expected g2 is :math:`QY_{XX}/QY_X` (weak excitation, neutral dot; Nair 2011); the
    detected count rate without blinking and dead-time losses is
    :math:`\\eta\\,f(P_{\\ge 1}QY_X + P_{\\ge 2}QY_{XX})` (:func:`pulsed_emission_rate`).

    References
    ----------
    .. [1] G. Nair, J. Zhao, M. G. Bawendi, Nano Lett. 11, 1136 (2011).
    .. [2] V. I. Klimov et al., Science 287, 1011 (2000).
    .. [3] M. Kuno et al., J. Chem. Phys. 115, 1028 (2001); P. Frantsuzov et al., Nature
       Phys. 4, 519 (2008).
    """
    if not isinstance(rates, EmitterRates):
        raise QdlabInputError(f"rates must be an EmitterRates, got {type(rates).__name__}")
    duration_s = _check_range(duration_s, "duration_s", 1e-6, MAX_DURATION_S, "s")
    detector = Detector() if detector is None else detector
    if mode not in ("T2", "T3"):
        raise QdlabInputError(f"mode must be 'T2' or 'T3', got {mode!r}")
    macrotime_resolution_s = _check_range(macrotime_resolution_s, "macrotime_resolution_s",
                                          1e-13, 1e-6, "s")
    nanotime_resolution_s = _check_range(nanotime_resolution_s, "nanotime_resolution_s",
                                         1e-13, 1e-8, "s")
    if spectral_diffusion is not None and not isinstance(spectral_diffusion, SpectralDiffusion):
        raise QdlabInputError("spectral_diffusion must be a SpectralDiffusion or None, got "
                              f"{type(spectral_diffusion).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise QdlabInputError(f"seed must be an integer >= 0, got {seed!r}")
    pulsed = cw_absorption_rate_per_s is None
    if pulsed == (mean_excitation is None):
        raise QdlabInputError("give either mean_excitation (pulsed excitation) or "
                              "cw_absorption_rate_per_s (CW), not both or neither")
    if pulsed:
        n = _check_range(mean_excitation, "mean_excitation", *MEAN_EXCITATION_RANGE)
        rep = _check_range(repetition_rate_hz, "repetition_rate_hz",
                           *REPETITION_RATE_RANGE_HZ, "Hz")
        rate_on = pulsed_emission_rate(rates, n, rep)
        rate_off = pulsed_emission_rate(rates, n, rep, CHARGED)
        slowest = max(rates.exciton_lifetime_ns, rates.trion_lifetime_ns) * 1e-9
        if slowest * rep > 0.2:
            warnings.warn(f"the repetition period ({1e9 / rep:g} ns) is less than 5 lifetimes "
                          f"({slowest * 1e9:g} ns): the simulator assumes the dot is empty at "
                          "each pulse, which it often is not", QdlabValidityWarning,
                          stacklevel=2)
    else:
        if mode == "T3":
            raise QdlabInputError("mode 'T3' needs pulsed excitation (a laser sync); use "
                                  "mode 'T2' with CW excitation")
        r = _check_range(cw_absorption_rate_per_s, "cw_absorption_rate_per_s",
                         *CW_RATE_RANGE_PER_S, "1/s")
        rate_on, rate_off = cw_emission_rate(rates, r), cw_emission_rate(rates, r, CHARGED)
    eta = detector.efficiency
    check_budget(duration_s, detector, mean_excitation=n if pulsed else None,
                 repetition_rate_hz=rep if pulsed else None,
                 cw_absorption_rate_per_s=None if pulsed else r)

    rng_blink, rng_emit, rng_det, rng_sd = (np.random.default_rng(s) for s in
                                            np.random.SeedSequence(int(seed)).spawn(4))
    walk = None if spectral_diffusion is None else \
        spectral_walk(spectral_diffusion, duration_s, rng_sd)
    traj = blinking_trajectory(blinking, duration_s, rng_blink) if blinking is not None \
        else None
    if pulsed:
        emitted, n_abs = _pulsed_emission(rng_emit, rates, n, rep, duration_s, traj, eta,
                                          progress)
    else:
        emitted, n_abs = _cw_emission(rng_emit, rates, r, duration_s, traj, eta, progress)
    times, channels = detect(emitted, detector, duration_s, rng_det, already_thinned=True)

    truth = _ground_truth(rates, detector, blinking, traj, duration_s, seed, mode,
                          n if pulsed else None, rep if pulsed else None,
                          None if pulsed else r, rate_on, rate_off, n_abs)
    truth["n_photons"] = int(times.size)
    truth["spectral_diffusion"] = None if walk is None else {
        **spectral_diffusion.as_dict(), "energy_shift_meV": walk.tolist()}
    meta = {"ground_truth": truth, "source": "qdlab.photons.simulate"}
    if mode == "T3":
        sync = np.floor(times * rep).astype(np.int64)
        nano = np.floor((times - sync / rep) / nanotime_resolution_s)
        nano = np.clip(nano, 0, None).astype(np.int64)
        return PhotonStream(macrotime=sync, channel=channels, macrotime_resolution_s=1.0 / rep,
                            nanotime=nano, nanotime_resolution_s=nanotime_resolution_s,
                            sync_period_s=1.0 / rep, mode="T3", metadata=meta)
    macro = np.floor(times / macrotime_resolution_s).astype(np.int64)
    return PhotonStream(macrotime=macro, channel=channels,
                        macrotime_resolution_s=macrotime_resolution_s,
                        sync_period_s=1.0 / rep if pulsed else None, mode="T2", metadata=meta)


def _ground_truth(rates, detector, blinking, traj: BlinkingTrajectory | None, duration_s, seed,
                  mode, n, rep, r, rate_on, rate_off, n_abs) -> dict:
    """The JSON-ready ground truth of one simulated stream."""
    pulsed = n is not None
    on_fraction = 1.0 if traj is None else traj.time_in(NEUTRAL) / duration_s
    emitted = on_fraction * rate_on + (1.0 - on_fraction) * rate_off
    truth = {
        "simulator": "qdlab.photons.simulate_stream",
        "seed": int(seed),
        "mode": mode,
        "duration_s": float(duration_s),
        "excitation": "pulsed" if pulsed else "cw",
        "mean_excitation": float(n) if pulsed else
        float(r * rates.exciton_lifetime_ns * 1e-9),
        "repetition_rate_hz": rep,
        "cw_absorption_rate_per_s": r,
        "g2_zero": rates.g2_zero,
        "g2_zero_finite_flux": pulsed_g2_zero(rates, n) if pulsed else None,
        "lifetime_ns": rates.exciton_lifetime_ns,
        "biexciton_lifetime_ns": rates.biexciton_lifetime_ns,
        "trion_lifetime_ns": rates.trion_lifetime_ns,
        "exciton_qy": rates.exciton_qy,
        "biexciton_qy": rates.biexciton_qy,
        "trion_qy": rates.trion_qy,
        "rates": rates.as_dict(),
        "blinking": blinking is not None,
        "on_exponent": None if blinking is None else float(blinking.on_exponent),
        "off_exponent": None if blinking is None else float(blinking.off_exponent),
        "blinking_model": None if blinking is None else blinking.as_dict(),
        "on_fraction": on_fraction,
        "n_blinking_periods": 1 if traj is None else int(traj.switch_times_s.size),
        "emission_rate_on_cps": rate_on,
        "emission_rate_off_cps": rate_off,
        "expected_signal_count_rate_cps": detector.efficiency * emitted,
        "n_excitations": int(n_abs),
        "detector": detector.as_dict(),
        "model": "n>=2 absorbed photons relax to XX; the charged dot emits one trion photon "
                 "per excitation; the dot is empty at each pulse",
    }
    if traj is not None and traj.switch_times_s.size <= MAX_SWITCHES_STORED:
        truth["blinking_switch_times_s"] = traj.switch_times_s.tolist()
    return truth
