r"""Size distributions of a nanocrystal ensemble: normal, log-normal or a histogram.

The spectra of :class:`qdlab.optics.ensemble.Ensemble` are number-weighted sums over
the (core) diameter :math:`d`; this module holds that distribution and its quadrature.

Notes
-----
*Normal* (mean :math:`\bar d`, relative standard deviation :math:`c_v` =
``dispersion_pct`` / 100, :math:`\sigma = c_v\bar d`):

.. math::

    p(d) \propto \exp\Big[-\frac{(d - \bar d)^2}{2\sigma^2}\Big],
    \qquad d \in [\max(\bar d - 4.5\sigma, 0.05\bar d),\ \bar d + 4.5\sigma].

*Log-normal* with the same number mean and relative standard deviation:

.. math::

    p(d) \propto \frac1d\exp\Big[-\frac{(\ln d - \mu)^2}{2 s^2}\Big],\qquad
    s^2 = \ln(1 + c_v^2),\quad \mu = \ln\bar d - s^2/2,

on :math:`[e^{\mu - 4.5 s}, e^{\mu + 4.5 s}]`.  *Histogram*: the given bin centres
with their normalised number weights.  The quadrature nodes are equally spaced over
the support, with weights :math:`p(d_i)/\sum_j p(d_j)` (all but ~1e-5 of the
particles inside).

References
----------
.. [1] J. Aitchison and J. A. C. Brown, *The Lognormal Distribution* (Cambridge
   University Press, 1957).
.. [2] W. W. Yu, L. Qu, W. Guo, X. Peng, "Experimental determination of the
   extinction coefficient of CdTe, CdSe, and CdS nanocrystals", Chem. Mater. 15,
   2854 (2003) (size dispersion of colloidal samples).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from qdlab.errors import QdlabInputError, check_nonnegative, check_positive, check_range

__all__ = ["MAX_MEAN_DIAMETER_NM", "SizeDistribution"]

#: Largest mean diameter (nm) of :meth:`SizeDistribution.normal` / ``lognormal``: 1 um,
#: far beyond colloidal nanocrystals (< ~100 nm) and beyond any confinement.
MAX_MEAN_DIAMETER_NM = 1000.0


@dataclass(frozen=True)
class SizeDistribution:
    """Number distribution of the (core) diameter, nm.

    Build with :meth:`normal`, :meth:`lognormal` or :meth:`histogram`.

    Attributes
    ----------
    kind : str
        ``"normal"``, ``"lognormal"`` or ``"histogram"``.
    mean_nm : float
        Number-mean diameter, nm.
    dispersion_pct : float
        Relative standard deviation of the diameter, percent.
    centres_nm, weights : tuple
        Histogram bins (``"histogram"`` only).

    Examples
    --------
    >>> d = SizeDistribution.lognormal(4.0, 10.0)
    >>> x, w = d.nodes(201)
    >>> round(float(np.sum(w * x)), 3), round(float(np.sqrt(np.sum(w * (x - 4.0)**2))), 2)
    (4.0, 0.4)
    >>> SizeDistribution.histogram([3.0, 4.0, 5.0], [1, 2, 1]).mean_nm
    4.0
    """

    kind: str
    mean_nm: float
    dispersion_pct: float
    centres_nm: tuple = field(default=(), repr=False)
    weights: tuple = field(default=(), repr=False)

    @classmethod
    def normal(cls, mean_nm: float, dispersion_pct: float) -> SizeDistribution:
        """Gaussian in diameter: mean (nm) and relative standard deviation (%, 0-40)."""
        check_positive(mean_nm, "mean diameter", "nm")
        check_range(mean_nm, "mean diameter", 0.0, MAX_MEAN_DIAMETER_NM, "nm")
        check_range(dispersion_pct, "dispersion_pct", 0.0, 40.0, "%")
        return cls("normal", float(mean_nm), float(dispersion_pct))

    @classmethod
    def lognormal(cls, mean_nm: float, dispersion_pct: float) -> SizeDistribution:
        """Log-normal in diameter with the given mean (nm) and relative std (%, 0-100)."""
        check_positive(mean_nm, "mean diameter", "nm")
        check_range(mean_nm, "mean diameter", 0.0, MAX_MEAN_DIAMETER_NM, "nm")
        check_range(dispersion_pct, "dispersion_pct", 0.0, 100.0, "%")
        return cls("lognormal", float(mean_nm), float(dispersion_pct))

    @classmethod
    def histogram(cls, centres_nm, weights) -> SizeDistribution:
        """Arbitrary histogram: bin centres (nm, > 0) and number weights (>= 0)."""
        c = np.asarray(centres_nm, dtype=float).ravel()
        w = np.asarray(weights, dtype=float).ravel()
        if c.size == 0 or c.size != w.size:
            raise QdlabInputError(f"histogram needs as many weights as centres, got "
                                  f"{c.size} centres and {w.size} weights")
        check_positive(c, "histogram centres", "nm")
        check_nonnegative(w, "histogram weights")
        if w.sum() <= 0:
            raise QdlabInputError("histogram weights must not all be 0")
        w = w / w.sum()
        m = float(np.sum(w * c))
        sd = float(np.sqrt(np.sum(w * (c - m) ** 2)))
        return cls("histogram", m, 100.0 * sd / m, tuple(c.tolist()), tuple(w.tolist()))

    @property
    def std_nm(self) -> float:
        """Standard deviation of the diameter, nm."""
        return self.mean_nm * self.dispersion_pct / 100.0

    def support_nm(self) -> tuple[float, float]:
        """Diameter range (nm) holding all but ~1e-5 of the particles."""
        if self.kind == "histogram":
            return min(self.centres_nm), max(self.centres_nm)
        s = self.std_nm
        if self.kind == "normal":
            return max(self.mean_nm - 4.5 * s, 0.05 * self.mean_nm), self.mean_nm + 4.5 * s
        sl, ml = self._ln_params()
        return math.exp(ml - 4.5 * sl), math.exp(ml + 4.5 * sl)

    def _ln_params(self):
        cv = self.dispersion_pct / 100.0
        sl = math.sqrt(math.log1p(cv * cv))
        return sl, math.log(self.mean_nm) - 0.5 * sl * sl

    def nodes(self, n: int = 121) -> tuple[np.ndarray, np.ndarray]:
        """Quadrature nodes (diameters, nm) and number weights summing to 1."""
        if self.kind == "histogram":
            return np.asarray(self.centres_nm), np.asarray(self.weights)
        if self.dispersion_pct == 0.0:
            return np.array([self.mean_nm]), np.array([1.0])
        lo, hi = self.support_nm()
        x = np.linspace(lo, hi, int(n))
        if self.kind == "normal":
            p = np.exp(-0.5 * ((x - self.mean_nm) / self.std_nm) ** 2)
        else:
            sl, ml = self._ln_params()
            p = np.exp(-0.5 * ((np.log(x) - ml) / sl) ** 2) / x
        return x, p / p.sum()
