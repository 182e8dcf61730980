r"""Targets, constraints, scores and the Pareto front of evaluated candidates.

A :class:`Target` holds what the chemist asks for: a PL (or absorption) peak, and
constraints (FWHM, alignment type, RoHS, no heavy metals, minimum electron-hole
overlap, maximum lattice mismatch, shell monolayers, an emission window).  Scores and
fronts work on the columns of :func:`qdlab.design.evaluate.evaluate` (a dict of
arrays, or the rows of a screen).

Notes
-----
Score (lower is better): the distance of the predicted peak from the target in units
of the prediction's own uncertainty, plus small tie-breakers,

.. math::

    s = \frac{|\lambda - \lambda_t|}{\sigma_\lambda} + 0.01\,\frac{\Gamma}{\mathrm{nm}}
        + 0.01\,\frac{|f|}{\%},

so a candidate whose peak is within its uncertainty of the target beats one that is
not, and among equals the narrower, less strained one wins.  The Pareto front is the
set of candidates that no other candidate beats in all of |peak error|, FWHM, |lattice
mismatch| and (1 - overlap) at once.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from qdlab.errors import QdlabInputError

__all__ = ["ALIGNMENTS", "PARETO_OBJECTIVES", "Target", "constraint_mask", "pareto_front",
           "score"]

#: Alignment types of :func:`qdlab.electronic.sphere.alignment_from_levels`.
ALIGNMENTS = ("none", "type I", "inverse type I", "quasi-type II", "type II", "delocalised")
#: Objectives of the Pareto front (all minimised).
PARETO_OBJECTIVES = ("peak_error_nm", "fwhm_nm", "abs_mismatch_pct", "one_minus_overlap")


@dataclass(frozen=True)
class Target:
    """What to design for; ``None`` leaves a constraint out.

    Parameters
    ----------
    emission_nm, absorption_nm : float, optional
        Target PL peak or first-absorption peak, nm (exactly one of them).
    max_fwhm_nm : float, optional
        Largest PL FWHM, nm.
    alignment : tuple of str, optional
        Allowed alignment types (``"type I"`` ...); a bare core counts as ``"none"``.
    rohs : bool
        Only materials without RoHS-restricted elements (Cd, Pb, Hg, Cr).
    no_heavy_metals : bool
        No Cd, Pb or Hg.
    min_overlap : float, optional
        Smallest electron-hole overlap, 0-1.
    max_mismatch_pct : float, optional
        Largest lattice mismatch at any interface, %.
    min_shell_monolayers, max_shell_monolayers : float, optional
        Total shell thickness in monolayers.
    window_nm : tuple of float, optional
        PL peak must lie in ``[low, high]`` nm (e.g. a NIR window, (1000, 1350)).
    max_error_nm : float, optional
        Largest |peak - target|, nm (default: no limit; the score ranks).
    """

    emission_nm: float | None = None
    absorption_nm: float | None = None
    max_fwhm_nm: float | None = None
    alignment: tuple[str, ...] | None = None
    rohs: bool = False
    no_heavy_metals: bool = False
    min_overlap: float | None = None
    max_mismatch_pct: float | None = None
    min_shell_monolayers: float | None = None
    max_shell_monolayers: float | None = None
    window_nm: tuple[float, float] | None = None
    max_error_nm: float | None = None

    def __post_init__(self):
        if (self.emission_nm is None) == (self.absorption_nm is None):
            raise QdlabInputError("give exactly one target: emission_nm or absorption_nm")
        for name in ("emission_nm", "absorption_nm"):
            v = getattr(self, name)
            if v is not None and not (math.isfinite(v) and 200.0 <= v <= 5000.0):
                raise QdlabInputError(f"{name} must be in 200-5000 nm, got {v!r}")
        for name in ("max_fwhm_nm", "max_mismatch_pct", "max_error_nm"):
            v = getattr(self, name)
            if v is not None and not (math.isfinite(v) and v > 0):
                raise QdlabInputError(f"{name} must be > 0, got {v!r}")
        if self.min_overlap is not None and not 0.0 <= self.min_overlap <= 1.0:
            raise QdlabInputError(f"min_overlap must be in 0-1, got {self.min_overlap!r}")
        for name in ("min_shell_monolayers", "max_shell_monolayers"):
            v = getattr(self, name)
            if v is not None and not (math.isfinite(v) and v >= 0):
                raise QdlabInputError(f"{name} must be >= 0 monolayers, got {v!r}")
        if self.alignment is not None:
            al = tuple(self.alignment)
            bad = [a for a in al if a not in ALIGNMENTS]
            if bad or not al:
                raise QdlabInputError(f"alignment must be among {', '.join(ALIGNMENTS)}, "
                                      f"got {bad[0] if bad else al!r}")
            object.__setattr__(self, "alignment", al)
        if self.window_nm is not None:
            lo, hi = (float(x) for x in self.window_nm)
            if not (math.isfinite(lo) and math.isfinite(hi) and 0 < lo < hi):
                raise QdlabInputError(f"window_nm must be (low, high) nm with 0 < low < high, "
                                      f"got {self.window_nm!r}")
            object.__setattr__(self, "window_nm", (lo, hi))

    @property
    def peak_column(self) -> str:
        return "pl_peak_nm" if self.emission_nm is not None else "first_exciton_nm"

    @property
    def peak_nm(self) -> float:
        return float(self.emission_nm if self.emission_nm is not None else self.absorption_nm)

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, False)}


def _col(cols: dict, name: str) -> np.ndarray:
    return np.asarray(cols[name])


def constraint_mask(cols: dict, target: Target) -> np.ndarray:
    """Candidates (bool array) that are valid and meet every constraint of ``target``.

    Examples
    --------
    >>> cols = {"valid": [True, True], "rohs_compliant": [True, False],
    ...         "pl_peak_nm": [530.0, 531.0]}
    >>> constraint_mask(cols, Target(emission_nm=530, rohs=True)).tolist()
    [True, False]
    """
    ok = np.asarray(cols["valid"], bool).copy()
    if target.rohs:
        ok &= np.asarray(cols["rohs_compliant"], bool)
    if target.no_heavy_metals:
        ok &= ~np.asarray(cols["heavy_metals"], bool)
    with np.errstate(invalid="ignore"):
        if target.max_fwhm_nm is not None:
            ok &= _col(cols, "fwhm_nm") <= target.max_fwhm_nm
        if target.min_overlap is not None:
            ok &= _col(cols, "overlap") >= target.min_overlap
        if target.max_mismatch_pct is not None:
            ok &= np.abs(_col(cols, "max_mismatch_pct")) <= target.max_mismatch_pct
        if target.min_shell_monolayers is not None:
            ok &= _col(cols, "shell_monolayers") >= target.min_shell_monolayers
        if target.max_shell_monolayers is not None:
            ok &= _col(cols, "shell_monolayers") <= target.max_shell_monolayers
        if target.window_nm is not None:
            pl = _col(cols, "pl_peak_nm")
            ok &= (pl >= target.window_nm[0]) & (pl <= target.window_nm[1])
        if target.max_error_nm is not None:
            ok &= np.abs(_col(cols, target.peak_column) - target.peak_nm) <= target.max_error_nm
    if target.alignment is not None:
        ok &= np.isin(np.asarray(cols["alignment"], dtype=object), target.alignment)
    return ok


def score(cols: dict, target: Target) -> np.ndarray:
    """Score of every candidate (lower is better; module notes); NaN where undefined."""
    err = np.abs(_col(cols, target.peak_column) - target.peak_nm)
    sig = np.maximum(_col(cols, "uncertainty_nm"), 1e-9)
    mism = np.nan_to_num(np.abs(_col(cols, "max_mismatch_pct")), nan=0.0)
    return err / sig + 0.01 * _col(cols, "fwhm_nm") + 0.01 * mism


def objectives(cols: dict, target: Target) -> np.ndarray:
    """The :data:`PARETO_OBJECTIVES` of every candidate, shape (N, 4)."""
    return np.column_stack([
        np.abs(_col(cols, target.peak_column) - target.peak_nm),
        _col(cols, "fwhm_nm"),
        np.nan_to_num(np.abs(_col(cols, "max_mismatch_pct")), nan=0.0),
        1.0 - _col(cols, "overlap"),
    ])


def pareto_front(points) -> np.ndarray:
    """Indices of the non-dominated rows of ``points`` (N, k), all objectives minimised.

    A row is dominated when another is no worse in every objective and better in one.
    Rows are visited in lexicographic order, so only the current front is compared
    against (fast when the front is small).  Rows with NaN are never on the front.

    Examples
    --------
    >>> pareto_front([[1, 3], [2, 2], [3, 1], [2, 3], [3, 3]]).tolist()
    [0, 1, 2]
    """
    p = np.asarray(points, dtype=float)
    if p.ndim != 2:
        raise QdlabInputError(f"points must have shape (N, k), got {p.shape}")
    idx = np.nonzero(np.all(np.isfinite(p), axis=1))[0]
    order = idx[np.lexsort(p[idx].T[::-1])]
    front: list[int] = []
    fp = np.empty((0, p.shape[1]))
    for i in order:
        x = p[i]
        if fp.shape[0] and np.any(np.all(fp <= x, axis=1) & np.any(fp < x, axis=1)):
            continue
        if fp.shape[0] and np.any(np.all(fp == x, axis=1)):
            continue   # an exact duplicate of a front point: keep the first
        front.append(int(i))
        fp = np.vstack([fp, x])
    return np.array(sorted(front), dtype=int)
