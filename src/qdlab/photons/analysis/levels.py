"""Intensity levels: clustering of change-point segments by expectation-maximisation + BIC.

After :func:`~qdlab.photons.analysis.changepoints.find_change_points`, each segment
``i`` holds :math:`n_i` photons in :math:`T_i`. The segments are grouped into G
emission states of Poisson rate :math:`I_g` (Watkins & Yang 2005, section 2.3), and G is
the number with the largest Bayesian information criterion.

Examples
--------
>>> import numpy as np
>>> n = np.array([100, 10, 98, 12, 205, 9]); T = np.array([1., 1., 1., 1., 2., 1.])
>>> lv = cluster_levels(n, T, max_states=3)
>>> lv.n_states, [round(r) for r in lv.rates_cps]
(2, [10, 101])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qdlab.errors import QdlabInputError

__all__ = ["Levels", "cluster_levels", "em_poisson_mixture"]


@dataclass(frozen=True)
class Levels:
    """Emission states found by clustering.

    Attributes
    ----------
    rates_cps : numpy.ndarray
        Rate of each state, counts/s, ascending.
    weights : numpy.ndarray
        Fraction of segments in each state (the mixing probabilities).
    state_of_segment : numpy.ndarray of int
        Most probable state of every segment (index into ``rates_cps``).
    bic : dict
        BIC for every number of states tried.
    log_likelihood : float
        Log-likelihood of the chosen mixture.
    """

    rates_cps: np.ndarray
    weights: np.ndarray
    state_of_segment: np.ndarray
    bic: dict
    log_likelihood: float

    @property
    def n_states(self) -> int:
        """Number of states chosen by BIC."""
        return int(self.rates_cps.size)


def _log_pois(n, T, rates):
    """ln P(n | rate * T), shape (segments, states), without the ln n! term."""
    mu = np.maximum(rates[None, :] * T[:, None], 1e-300)
    return n[:, None] * np.log(mu) - mu


def em_poisson_mixture(n_photons, durations_s, n_states: int, max_iter: int = 500,
                       tol: float = 1e-10):
    """Maximum-likelihood Poisson mixture of segment intensities by EM.

    Parameters
    ----------
    n_photons : array_like of int
        Photons in each segment.
    durations_s : array_like
        Duration of each segment, s (> 0).
    n_states : int
        Number of states G.
    max_iter : int
        EM iterations at most.
    tol : float
        Stop when the log-likelihood changes by less than ``tol`` (relative).

    Returns
    -------
    rates_cps, weights, responsibilities, log_likelihood

    Notes
    -----
    The likelihood of segment :math:`i` is
    :math:`\\sum_g p_g\\,\\mathrm{Pois}(n_i; I_g T_i)`. The E step gives the
    responsibilities :math:`r_{ig} \\propto p_g\\,\\mathrm{Pois}(n_i; I_g T_i)`; the M
    step :math:`p_g = \\langle r_{ig}\\rangle_i` and
    :math:`I_g = \\sum_i r_{ig} n_i / \\sum_i r_{ig} T_i` (Watkins & Yang 2005, eqs. 10-12).
    Start: the segments sorted by rate and cut into G groups of equal total time.

    References
    ----------
    .. [1] L. P. Watkins, H. Yang, J. Phys. Chem. B 109, 617 (2005).
    .. [2] A. P. Dempster, N. M. Laird, D. B. Rubin, J. R. Stat. Soc. B 39, 1 (1977).
    """
    n = np.asarray(n_photons, dtype=np.float64)
    T = np.asarray(durations_s, dtype=np.float64)
    from scipy.special import gammaln, logsumexp

    const = -gammaln(n + 1)
    order = np.argsort(n / T)
    cum = np.cumsum(T[order]) / T.sum()
    group = np.minimum((cum * n_states - 1e-12).astype(int), n_states - 1)
    rates = np.array([n[order][group == g].sum() / max(T[order][group == g].sum(), 1e-300)
                      if np.any(group == g) else np.nan for g in range(n_states)])
    fill = np.nanmean(rates) if np.any(np.isfinite(rates)) else 1.0
    rates = np.where(np.isfinite(rates) & (rates > 0), rates, fill)
    weights = np.full(n_states, 1.0 / n_states)
    ll_old = -np.inf
    for _ in range(max_iter):
        lp = _log_pois(n, T, rates) + np.log(np.maximum(weights, 1e-300))[None, :]
        norm = logsumexp(lp, axis=1)
        resp = np.exp(lp - norm[:, None])
        ll = float(norm.sum() + const.sum())
        w_sum = resp.sum(axis=0)
        weights = w_sum / n.size
        rates = (resp * n[:, None]).sum(0) / np.maximum((resp * T[:, None]).sum(0), 1e-300)
        if abs(ll - ll_old) <= tol * max(1.0, abs(ll)):
            break
        ll_old = ll
    order = np.argsort(rates)
    return rates[order], weights[order], resp[:, order], ll


def cluster_levels(n_photons, durations_s, max_states: int = 5) -> Levels:
    """Group change-point segments into intensity states; the number of states by BIC.

    Parameters
    ----------
    n_photons : array_like of int
        Photons in each segment (``ChangePoints.n_photons``).
    durations_s : array_like
        Segment durations, s (``ChangePoints.durations_s``).
    max_states : int
        Largest number of states tried (1 ... ``max_states``; at most the number of
        segments).

    Returns
    -------
    Levels

    Notes
    -----
    For each G the mixture of :func:`em_poisson_mixture` is fitted and scored with the
    Schwarz criterion as in Watkins & Yang (2005, eq. 13):

    .. math::

        \\mathrm{BIC}(G) = 2 \\ln L_G - (2G - 1) \\ln N_{seg},

    with :math:`2G - 1` free parameters (G rates, G - 1 weights) and
    :math:`N_{seg}` segments. The G with the largest BIC is chosen.

    References
    ----------
    .. [1] L. P. Watkins, H. Yang, J. Phys. Chem. B 109, 617 (2005).
    .. [2] G. Schwarz, "Estimating the dimension of a model", Ann. Stat. 6, 461 (1978).
    """
    n = np.asarray(n_photons, dtype=np.float64)
    T = np.asarray(durations_s, dtype=np.float64)
    if n.ndim != 1 or n.shape != T.shape or n.size < 1:
        raise QdlabInputError("n_photons and durations_s must be 1-D arrays of equal, "
                              f"non-zero length, got shapes {n.shape} and {T.shape}")
    if np.any(n < 0) or np.any(~np.isfinite(T)) or np.any(T <= 0):
        raise QdlabInputError("n_photons must be >= 0 and durations_s finite and > 0 s")
    if int(max_states) < 1:
        raise QdlabInputError(f"max_states must be >= 1, got {max_states}")
    g_max = min(int(max_states), n.size)
    best = None
    bic = {}
    for g in range(1, g_max + 1):
        rates, weights, resp, ll = em_poisson_mixture(n, T, g)
        score = 2.0 * ll - (2 * g - 1) * np.log(n.size)
        bic[g] = float(score)
        if best is None or score > best[0]:
            best = (score, rates, weights, resp, ll)
    assert best is not None
    _, rates, weights, resp, ll = best
    return Levels(rates_cps=rates, weights=weights, state_of_segment=np.argmax(resp, axis=1),
                  bic=bic, log_likelihood=float(ll))
