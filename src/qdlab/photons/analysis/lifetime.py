"""Fluorescence lifetimes from TCSPC delays: multi-exponential fits with IRF reconvolution.

The decay histogram of a T3 stream (photons per TCSPC bin of the delay after the laser
pulse) is fitted with a sum of exponentials convolved with the instrument response
function (IRF) by Poisson maximum likelihood, the estimator that stays unbiased at the
low counts of single-dot decays (Bajzer et al. 1991; Maus et al. 2001).

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(3)
>>> t = (np.arange(2500) + 0.5) * 16e-12                     # 16 ps bins, 40 ns period
>>> d = np.mod(2e-9 + rng.normal(0, 1e-10, 200_000) + rng.exponential(5e-9, 200_000), 40e-9)
>>> counts = np.bincount((d / 16e-12).astype(int), minlength=2500)
>>> fit = fit_decay(t, counts, n_exponentials=1, irf_fwhm_s=2.355e-10)
>>> round(float(fit.lifetimes_s[0]) * 1e9, 1)
5.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qdlab.errors import QdlabInputError
from qdlab.photons.analysis._checks import as_stream, channels_of, need_t3, positive

__all__ = ["DecayFit", "decay_histogram", "fit_decay", "gaussian_irf", "irf_on_bins",
           "read_irf"]

#: Suffixes :func:`read_irf` reads as two-column text (time in ns, counts).
IRF_TEXT_SUFFIXES = (".csv", ".txt", ".dat", ".tsv")
#: Most rows of a text IRF.
MAX_IRF_ROWS = 1_000_000

FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))


@dataclass(frozen=True)
class DecayFit:
    """Result of :func:`fit_decay`.

    Attributes
    ----------
    lifetimes_s, lifetimes_err_s : numpy.ndarray
        Decay times, s (ascending), and standard errors.
    amplitudes : numpy.ndarray
        Amplitudes :math:`a_j` (counts per bin at the decay start, before the IRF).
    intensity_fractions : numpy.ndarray
        :math:`f_j = a_j \\tau_j / \\sum_k a_k \\tau_k`, the fraction of photons of each
        component.
    background : float
        Constant background, counts per bin.
    irf_centre_s : float
        IRF centre (Gaussian) or shift of the measured IRF, s.
    irf_fwhm_s : float or None
        FWHM of the Gaussian IRF, s (None for a measured IRF).
    reduced_deviance : float
        Poisson deviance per degree of freedom (about 1 for a good fit).
    t_s, counts, model : numpy.ndarray
        Bin centres (s), data and fitted model.
    """

    lifetimes_s: np.ndarray
    lifetimes_err_s: np.ndarray
    amplitudes: np.ndarray
    intensity_fractions: np.ndarray
    background: float
    irf_centre_s: float
    irf_fwhm_s: float | None
    reduced_deviance: float
    t_s: np.ndarray
    counts: np.ndarray
    model: np.ndarray

    @property
    def mean_lifetime_s(self) -> float:
        """Intensity-weighted mean lifetime :math:`\\sum_j f_j \\tau_j`, s."""
        return float(np.sum(self.intensity_fractions * self.lifetimes_s))

    @property
    def mean_lifetime_err_s(self) -> float:
        """Standard error of :attr:`mean_lifetime_s` (components taken as independent), s."""
        return float(np.sqrt(np.sum((self.intensity_fractions * self.lifetimes_err_s) ** 2)))


def decay_histogram(stream, channels=None) -> tuple[np.ndarray, np.ndarray]:
    """Photons per TCSPC bin of the delay after the sync pulse.

    Parameters
    ----------
    stream : PhotonStream
        T3 stream.
    channels : int or sequence of int, optional
        Channels to include (default all).

    Returns
    -------
    (t_s, counts)
        Bin centres, s, over one sync period, and photons per bin.
    """
    s = as_stream(stream)
    need_t3(s, "a decay histogram")
    chans = channels_of(s, channels)
    res = float(s.nanotime_resolution_s)
    n_bins = int(round(s.macrotime_resolution_s / res))
    nt = np.asarray(s.nanotime, dtype=np.int64)
    nt = nt[np.isin(np.asarray(s.channel), chans)]
    n_bins = max(n_bins, int(nt.max()) + 1 if nt.size else 1)
    counts = np.bincount(nt, minlength=n_bins)
    return (np.arange(n_bins) + 0.5) * res, counts


def gaussian_irf(t_s, centre_s: float, fwhm_s: float, period_s: float | None = None):
    """Gaussian instrument response on the bins ``t_s``, normalised to unit sum.

    Parameters
    ----------
    t_s : numpy.ndarray
        Bin centres, s (uniform).
    centre_s, fwhm_s : float
        Centre and full width at half maximum, s.
    period_s : float, optional
        Repetition period, s; the Gaussian wraps around it (default: the bin range).

    Returns
    -------
    numpy.ndarray
        :math:`\\exp[-(t - t_0)^2 / 2\\sigma^2]`, :math:`\\sigma` = FWHM / 2.3548,
        normalised to sum 1, with :math:`t - t_0` wrapped into one period.
    """
    t = np.asarray(t_s, dtype=np.float64)
    period = (t[1] - t[0]) * t.size if period_s is None else float(period_s)
    sig = fwhm_s / FWHM_PER_SIGMA
    dt = np.mod(t - centre_s + period / 2, period) - period / 2
    g = np.exp(-0.5 * (dt / sig) ** 2)
    total = g.sum()
    return g / total if total > 0 else g


def _shift(irf, shift_bins):
    """``irf`` delayed by a fractional number of bins (circular, linear interpolation)."""
    i0 = math.floor(shift_bins)
    frac = shift_bins - i0
    return (1 - frac) * np.roll(irf, i0) + frac * np.roll(irf, i0 + 1)


def fit_decay(t_s, counts, n_exponentials: int = 1, irf=None, irf_fwhm_s: float | None = None,
              period_s: float | None = None) -> DecayFit:
    """Multi-exponential decay with IRF reconvolution by Poisson maximum likelihood.

    Parameters
    ----------
    t_s : array_like
        Bin centres, s (uniform; spanning one period).
    counts : array_like of int
        Photons per bin.
    n_exponentials : int
        Number of exponential components (1 ... 4).
    irf : array_like, optional
        Measured IRF on the same bins (any scale); its shift is fitted.
    irf_fwhm_s : float, optional
        Without ``irf``: the FWHM of a Gaussian IRF, s (fixed). If neither is given the
        FWHM is fitted too.
    period_s : float, optional
        Laser period, s (default: the bin range); decays longer than the period pile up
        and are included.

    Returns
    -------
    DecayFit

    Notes
    -----
    The model for bin :math:`i` is

    .. math::

        m_i = \\sum_k \\mathrm{IRF}_{i-k} \\sum_j a_j
        \\frac{e^{-t_k/\\tau_j}}{1 - e^{-P/\\tau_j}} + b,

    a circular convolution (periodic excitation of period :math:`P`, so earlier pulses
    add their tails). The parameters minimise the Poisson negative log-likelihood
    :math:`\\sum_i [m_i - c_i \\ln m_i]` (L-BFGS-B); their covariance is the inverse
    Fisher information :math:`(J^T \\mathrm{diag}(1/m) J)^{-1}`, with :math:`J` the
    Jacobian of :math:`m`.

    References
    ----------
    .. [1] Z. Bajzer, T. M. Therneau, J. C. Sharp, F. G. Prendergast, "Maximum
       likelihood method for the analysis of time-resolved fluorescence decay curves",
       Eur. Biophys. J. 20, 247 (1991).
    .. [2] M. Maus et al., "An experimental comparison of the maximum likelihood
       estimation and nonlinear least-squares fluorescence lifetime analysis of single
       molecules", Anal. Chem. 73, 2078 (2001).
    .. [3] J. R. Lakowicz, Principles of Fluorescence Spectroscopy, 3rd ed., ch. 4
       (Springer, 2006).
    """
    from scipy.optimize import minimize

    t = np.asarray(t_s, dtype=np.float64)
    c = np.asarray(counts, dtype=np.float64)
    if t.ndim != 1 or c.shape != t.shape or t.size < 16:
        raise QdlabInputError(f"t_s and counts must be 1-D of equal length >= 16, got "
                              f"{t.shape} and {c.shape}")
    if np.any(c < 0) or not np.all(np.isfinite(c)):
        raise QdlabInputError("counts must be finite and >= 0")
    n_exp = int(n_exponentials)
    if not 1 <= n_exp <= 4:
        raise QdlabInputError(f"n_exponentials must be 1 ... 4, got {n_exponentials}")
    if c.sum() < 100:
        raise QdlabInputError(f"a lifetime fit needs >= 100 photons, got {int(c.sum())}")
    dt = float(t[1] - t[0])
    n = t.size
    period = n * dt if period_s is None else positive(period_s, "period_s")
    tk = t - t[0]   # decay time axis starting at 0 (bin k)
    measured = irf is not None
    if measured:
        irf0 = np.asarray(irf, dtype=np.float64)
        if irf0.shape != t.shape or np.any(irf0 < 0) or irf0.sum() <= 0:
            raise QdlabInputError("irf must be >= 0 with a positive sum, on the bins of t_s")
        irf0 = irf0 / irf0.sum()
    fit_fwhm = not measured and irf_fwhm_s is None
    if irf_fwhm_s is not None:
        positive(irf_fwhm_s, "irf_fwhm_s")
    peak = int(np.argmax(c))
    bg0 = max(float(np.mean(np.sort(c)[: max(n // 20, 1)])), 1e-3)
    after = np.clip(c[peak:] - bg0, 0, None)
    tau0 = float(np.sum(after * tk[: after.size]) / max(after.sum(), 1.0))
    tau0 = min(max(tau0, 2 * dt), period)
    taus0 = tau0 * np.geomspace(0.3, 3.0, n_exp) if n_exp > 1 else np.array([tau0])
    area = max(c.sum() - bg0 * n, c.sum() * 0.5)
    amps0 = area / n_exp / (taus0 / dt)
    fwhm0 = irf_fwhm_s if irf_fwhm_s is not None else 4 * dt

    def unpack(p):
        taus = np.exp(p[:n_exp])
        amps = np.exp(p[n_exp:2 * n_exp])
        bg = math.exp(p[2 * n_exp])
        centre = p[2 * n_exp + 1] * dt   # fitted in bins (well scaled)
        fwhm = math.exp(p[2 * n_exp + 2]) if fit_fwhm else irf_fwhm_s
        return taus, amps, bg, centre, fwhm

    def model(p):
        taus, amps, bg, centre, fwhm = unpack(p)
        dec = np.sum(amps[:, None] * np.exp(-tk[None, :] / taus[:, None])
                     / (-np.expm1(-period / taus[:, None])), axis=0)
        if measured:
            resp = _shift(irf0, centre / dt)   # shift of the measured IRF
            conv = np.fft.irfft(np.fft.rfft(resp) * np.fft.rfft(dec), n)
        else:
            resp = gaussian_irf(t, centre, max(fwhm, 0.05 * dt), period)
            conv = np.fft.irfft(np.fft.rfft(resp) * np.fft.rfft(dec), n)
        return np.maximum(conv, 0.0) + bg

    def nll(p):
        m = model(p)
        return float(np.sum(m - c * np.log(np.maximum(m, 1e-300))))

    p0 = np.r_[np.log(taus0), np.log(amps0), math.log(bg0), 0.0]
    if fit_fwhm:
        p0 = np.r_[p0, math.log(fwhm0)]
    lo_tau, hi_tau = math.log(dt / 10), math.log(50 * period)
    # amplitudes and background cannot exceed the counts (bounded: no overflow of exp)
    hi_log = math.log(10.0 * c.sum() + 10.0)
    bounds = ([(lo_tau, hi_tau)] * n_exp + [(math.log(1e-12), hi_log)] * n_exp
              + [(math.log(1e-6), hi_log)]
              + [(-n / 2, n / 2) if measured else (float(t[0]) / dt - n / 2, n)])
    if fit_fwhm:
        bounds.append((math.log(0.1 * dt), math.log(period / 4)))
    best = None
    centres = [0.0] if measured else [float(t[peak]) / dt - d for d in (0, 3, 10)]
    for c0 in centres:
        p_start = p0.copy()
        p_start[2 * n_exp + 1] = c0
        res = minimize(nll, p_start, method="L-BFGS-B", bounds=bounds,
                       options={"maxiter": 5000, "ftol": 1e-13, "gtol": 1e-9})
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None
    p = best.x
    m = model(p)
    # Fisher information from the Jacobian of the model
    jac = np.empty((n, p.size))
    for i in range(p.size):
        h = 1e-5 * max(1.0, abs(p[i]))
        pp, pm = p.copy(), p.copy()
        pp[i] += h
        pm[i] -= h
        jac[:, i] = (model(pp) - model(pm)) / (2 * h)
    info = jac.T @ (jac / np.maximum(m, 1e-12)[:, None])
    try:
        cov = np.linalg.pinv(info)
        err_log_tau = np.sqrt(np.clip(np.diag(cov)[:n_exp], 0, np.inf))
    except np.linalg.LinAlgError:
        err_log_tau = np.full(n_exp, np.nan)
    taus, amps, bg, centre, fwhm = unpack(p)
    order = np.argsort(taus)
    taus, amps, err = taus[order], amps[order], (taus * err_log_tau)[order]
    frac = amps * taus / np.sum(amps * taus)
    with np.errstate(divide="ignore", invalid="ignore"):
        dev = 2 * np.sum(np.where(c > 0, c * np.log(c / m), 0.0) - (c - m))
    dof = max(n - p.size, 1)
    return DecayFit(lifetimes_s=taus, lifetimes_err_s=err, amplitudes=amps,
                    intensity_fractions=frac, background=float(bg),
                    irf_centre_s=float(centre), irf_fwhm_s=None if measured else float(fwhm),
                    reduced_deviance=float(dev / dof), t_s=t, counts=c, model=m)


def read_irf(path) -> tuple[np.ndarray, np.ndarray]:
    """A measured instrument response function from a file.

    Parameters
    ----------
    path : str or pathlib.Path
        Either a two-column text file (``.csv``, ``.txt``, ``.dat``, ``.tsv``: delay in
        ns, counts; separated by commas, semicolons, tabs or spaces; header and ``#``
        lines skipped), or a T3 time-tag file read by
        :func:`qdlab.io.timetags.read_timetags` (e.g. the scattered laser recorded on the
        same setup), whose decay histogram (:func:`decay_histogram`) is the IRF.

    Returns
    -------
    (t_s, counts)
        Bin centres, s (uniform), and counts (float, >= 0, positive sum).

    Raises
    ------
    QdlabInputError
        An unreadable file, a T2 time-tag file (no TCSPC delays), fewer than 16 rows,
        times not increasing in uniform steps, or counts that are negative, not finite or
        all zero.
    """
    from pathlib import Path

    p = Path(path)
    if p.suffix.lower() in IRF_TEXT_SUFFIXES:
        t, c = _read_irf_text(p)
    else:
        from qdlab.io.timetags import read_timetags

        s = read_timetags(p)
        if s.mode != "T3":
            raise QdlabInputError(f"IRF file {p.name!r} holds T2 data (no TCSPC delays): "
                                  "a measured IRF needs a T3 file or a two-column CSV "
                                  "(time_ns, counts)")
        t, c = decay_histogram(s)
        c = c.astype(np.float64)
    if c.sum() <= 0:
        raise QdlabInputError(f"IRF file {p.name!r} holds no counts")
    return t, c


def _read_irf_text(p) -> tuple[np.ndarray, np.ndarray]:
    import re

    try:
        text = p.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise QdlabInputError(f"cannot read IRF file {p.name!r}: {exc.strerror}") from None
    rows = []
    for line in text.splitlines():
        fields = [f for f in re.split(r"[,;\t ]+", line.strip()) if f]
        if not fields or fields[0].startswith("#"):
            continue
        try:
            vals = [float(f) for f in fields[:2]]
        except ValueError:
            if rows:
                raise QdlabInputError(f"IRF file {p.name!r}: line {line[:40]!r} is not two "
                                      "numbers (time_ns, counts)") from None
            continue                        # a header line
        if len(vals) < 2:
            raise QdlabInputError(f"IRF file {p.name!r} needs two columns (time_ns, "
                                  f"counts), got {len(fields)} in line {line[:40]!r}")
        rows.append(vals)
        if len(rows) > MAX_IRF_ROWS:
            raise QdlabInputError(f"IRF file {p.name!r} has more than {MAX_IRF_ROWS} rows")
    if len(rows) < 16:
        raise QdlabInputError(f"IRF file {p.name!r} must hold >= 16 rows of (time_ns, "
                              f"counts), got {len(rows)}")
    a = np.asarray(rows, dtype=np.float64)
    t, c = a[:, 0] * 1e-9, a[:, 1]
    if not (np.all(np.isfinite(a)) and np.all(c >= 0)):
        raise QdlabInputError(f"IRF file {p.name!r}: times and counts must be finite and "
                              "counts >= 0")
    step = np.diff(t)
    if not (np.all(step > 0) and np.ptp(step) <= 0.01 * np.mean(step)):
        raise QdlabInputError(f"IRF file {p.name!r}: the times must increase in uniform "
                              "steps (within 1 %)")
    return t, c


def irf_on_bins(irf_t_s, irf_counts, t_s) -> np.ndarray:
    """A measured IRF re-binned onto the bins of a decay histogram (counts conserved).

    Parameters
    ----------
    irf_t_s, irf_counts : array_like
        IRF bin centres, s (uniform), and counts (:func:`read_irf`).
    t_s : array_like
        Bin centres of the decay, s (uniform).

    Returns
    -------
    numpy.ndarray
        IRF counts in the decay's bins: the difference of the IRF's cumulative counts,
        interpolated linearly at the decay's bin edges.

    Raises
    ------
    QdlabInputError
        If the IRF's bins are more than twice as wide as the decay's, or if less than
        half of the IRF falls inside the decay's delay range.
    """
    it = np.asarray(irf_t_s, dtype=np.float64)
    ic = np.asarray(irf_counts, dtype=np.float64)
    t = np.asarray(t_s, dtype=np.float64)
    idt, dt = float(it[1] - it[0]), float(t[1] - t[0])
    if idt > 2.0 * dt * (1 + 1e-9):
        raise QdlabInputError(f"the IRF bins ({idt * 1e12:.4g} ps) are coarser than twice "
                              f"the decay's bins ({dt * 1e12:.4g} ps): measure the IRF "
                              "with the same or a finer TCSPC resolution")
    cum = np.r_[0.0, np.cumsum(ic)]
    edges_irf = np.r_[it - idt / 2, it[-1] + idt / 2]
    edges = np.r_[t - dt / 2, t[-1] + dt / 2]
    out = np.diff(np.interp(edges, edges_irf, cum, left=0.0, right=cum[-1]))
    if out.sum() < 0.5 * ic.sum():
        raise QdlabInputError(
            f"the IRF ({it[0] * 1e9:.4g} ... {it[-1] * 1e9:.4g} ns) lies mostly outside "
            f"the decay's delays ({t[0] * 1e9:.4g} ... {t[-1] * 1e9:.4g} ns)")
    return out
