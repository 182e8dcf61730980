r"""Series of spectra (growth aliquots, batches): shared artefacts, fading features,
one table row per spectrum, and a growth plot.

* :func:`batch_artefacts` finds features common to every spectrum of a batch
  (:func:`qdlab.sizing.features.common_artefacts`) on a common grid.
* :func:`mark_fading` marks spectra whose first-exciton feature fades along the
  series (``"feature fading"`` in ``reasons``) instead of dropping them.
* :func:`results_table` / :func:`write_table`: one row per spectrum (CSV or Parquet).
* :func:`plot_growth`: peak, diameter, dispersion and concentration against the
  aliquot order (or time, when labels carry a number).

Notes
-----
Fading: with :math:`z_k` the significance (sigma) of spectrum k's feature, spectrum k
fades when it has no feature, or :math:`z_k < z_{ref}/3` with :math:`z_{ref}` the
median significance of the earlier spectra that had one and :math:`z_k` below the
``good`` level of a shoulder (2 ``GOOD_SIGMA``): the significance scatters with the
noise estimate, so a drop alone is not fading.

Examples
--------
>>> rows = results_table([{"label": "a", "error": "bad file"}])
>>> rows[0]["quality"], rows[0]["error"]
(None, 'bad file')
"""

from __future__ import annotations

import csv
import math
import os
import re
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from qdlab.errors import QdlabInputError
from qdlab.sizing.features import common_artefacts
from qdlab.sizing.quality import GOOD_SIGMA

__all__ = ["COLUMNS", "batch_artefacts", "mark_fading", "plot_fit", "plot_growth",
           "results_table", "write_table"]

COLUMNS = ("label", "kind", "quality", "reasons", "peak_nm", "peak_uncertainty_nm",
           "diameter_nm", "diameter_uncertainty_nm", "dispersion_pct",
           "dispersion_uncertainty_pct", "concentration_M", "concentration_uncertainty_M",
           "model_peak_nm", "oscillator_scale", "rms_residual", "sizing_curve",
           "sizing_curve_diameter_nm", "fwhm_nm", "stokes_shift_eV", "error")


def batch_artefacts(spectra, **kwargs) -> list:
    """Artefacts shared by every spectrum of a batch.

    Parameters
    ----------
    spectra : sequence of (wavelength_nm, absorbance)
        At least 3 spectra; they are interpolated onto the common overlap at the
        finest median step (at most 4000 points).
    **kwargs
        Passed to :func:`qdlab.sizing.features.common_artefacts`.

    Returns
    -------
    list of MaskedRegion
    """
    spectra = [(np.asarray(x, float), np.asarray(y, float)) for x, y in spectra]
    if len(spectra) < 3:
        return []
    lo = max(float(np.min(x)) for x, _ in spectra)
    hi = min(float(np.max(x)) for x, _ in spectra)
    if not hi > lo:
        return []
    step = min(float(np.median(np.abs(np.diff(x)))) for x, _ in spectra)
    step = max(step, (hi - lo) / 4000.0)
    grid = np.arange(lo, hi + 1e-9, step)
    if grid.size < 30:
        return []
    Y = []
    for x, y in spectra:
        o = np.argsort(x)
        Y.append(np.interp(grid, x[o], y[o]))
    return common_artefacts(grid, np.array(Y), **kwargs)


def _significance(r):
    ch = (r.feature or {}).get("chosen") if not isinstance(r, dict) else None
    return None if ch is None else float(ch["significance_sigma"])


def mark_fading(results) -> list:
    """Add ``"feature fading"`` to spectra whose feature fades along the series.

    Parameters
    ----------
    results : list
        :class:`~qdlab.sizing.fit.FitResult` (or error dicts) in series order.

    Returns
    -------
    list
        Same order; faded results are ``uncertain`` (weak feature) or ``no feature``,
        with the reason first.
    """
    out, seen = [], []
    for r in results:
        if isinstance(r, dict) or getattr(r, "kind", "absorbance") != "absorbance":
            out.append(r)
            continue
        z = _significance(r)
        if seen:
            ref = float(np.median(seen))
            if z is None or (z < ref / 3.0 and z < 2.0 * GOOD_SIGMA):
                msg = (f"feature fading: {'no feature' if z is None else f'{z:.0f} sigma'}"
                       f" against a median {ref:.0f} sigma in the earlier spectra")
                q = r.quality if z is None else ("uncertain" if r.quality == "good"
                                                 else r.quality)
                r = replace(r, quality=q, reasons=(msg,) + tuple(r.reasons))
        if z is not None:
            seen.append(z)
        out.append(r)
    return out


def results_table(results) -> list:
    """Flat rows (dicts with the fixed :data:`COLUMNS`), one per spectrum."""
    rows = []
    for r in results:
        row = dict.fromkeys(COLUMNS)
        if isinstance(r, dict):
            row.update(label=r.get("label"), error=r.get("error"))
        else:
            d = r.to_dict()
            for k in COLUMNS:
                if k in d:
                    row[k] = d[k]
            row["reasons"] = "; ".join(d.get("reasons") or [])
            st = d.get("start") or {}
            row["sizing_curve"] = st.get("sizing_curve")
            row["sizing_curve_diameter_nm"] = st.get("sizing_curve_diameter_nm")
            row["kind"] = d.get("kind", "absorbance")
            row["error"] = None
        rows.append(row)
    return rows


def write_table(rows, path) -> Path:
    """Write rows to ``.csv`` or ``.parquet`` (by suffix), atomically.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> _ = write_table([{"label": "a", "diameter_nm": 4.0}], p)
    >>> open(p).read().splitlines()[0]
    'label,diameter_nm'
    """
    path = Path(path)
    rows = list(rows)
    cols = list(rows[0].keys()) if rows else list(COLUMNS)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise QdlabInputError(f"table path must end in .csv or .parquet, got {path.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=suffix, dir=str(path.parent))
    os.close(fd)
    try:
        if suffix == ".csv":
            with open(tmp, "w", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=cols)
                w.writeheader()
                for r in rows:
                    w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in cols})
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({k: [r.get(k) for r in rows] for k in cols}), tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def _order(rows):
    """x axis: a number in every label (time, minutes...) if each has one, else the order."""
    nums = []
    for r in rows:
        m = re.findall(r"[-+]?\d+(?:\.\d+)?", str(r.get("label") or "").split(":")[-1])
        nums.append(float(m[0]) if m else None)
    if all(v is not None for v in nums) and len(set(nums)) == len(nums):
        return np.array(nums), "time / label value"
    return np.arange(1, len(rows) + 1, dtype=float), "aliquot order"


def plot_growth(rows, path) -> Path:
    """PNG of peak, diameter, dispersion and concentration along the series (atomic).

    Good results are filled markers, uncertain ones open, no-feature ones a cross at the
    bottom of each panel.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    rows = list(rows)
    if not rows:
        raise QdlabInputError("plot_growth needs at least one result row")
    t, xlabel = _order(rows)
    fig = Figure(figsize=(7.0, 6.0), dpi=110)
    keys = (("peak_nm", "peak (nm)"), ("diameter_nm", "diameter (nm)"),
            ("dispersion_pct", "dispersion (%)"), ("concentration_M", "concentration (M)"))
    q = np.array([r.get("quality") for r in rows], dtype=object)
    for k, (key, lab) in enumerate(keys):
        ax = fig.add_subplot(2, 2, k + 1)
        v = np.array([np.nan if r.get(key) is None else float(r[key]) for r in rows])
        good, unc = q == "good", q == "uncertain"
        ax.plot(t[good], v[good], "o", color="C0", label="good")
        ax.plot(t[unc], v[unc], "o", mfc="none", color="C1", label="uncertain")
        none = (q == "no feature") | (q == None)  # noqa: E711
        if none.any():
            lo = np.nanmin(v) if np.isfinite(v).any() else 0.0
            ax.plot(t[none], np.full(int(none.sum()), lo), "x", color="C3",
                    label="no feature")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(lab)
        if k == 0:
            ax.legend(fontsize=7)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".png", dir=str(path.parent))
    os.close(fd)
    try:
        fig.savefig(tmp, format="png")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def plot_fit(result, path) -> Path:
    """PNG of a :class:`~qdlab.sizing.fit.FitResult`: data, model, peak, masked ranges
    (atomic write).  Returns the path written."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    path = Path(path)
    fig = Figure(figsize=(6.4, 4.2), dpi=110)
    ax = fig.add_subplot(111)
    ax.plot(result.wavelength_nm, result.absorbance, ".", ms=2.5, color="0.35", label="data")
    if result.model_absorbance is not None and np.isfinite(result.model_absorbance).any():
        ax.plot(result.wavelength_nm, result.model_absorbance, "-", color="C3", lw=1.5,
                label=(f"model: d = {result.diameter_nm:.2f} nm, "
                       f"{result.dispersion_pct:.1f} %"))
    if result.peak_nm is not None:
        ax.axvline(result.peak_nm, color="C0", ls=":", lw=1,
                   label=f"first exciton {result.peak_nm:.1f} nm")
    for m in (result.feature or {}).get("masked", []):
        ax.axvspan(m["lo_nm"], m["hi_nm"], color="0.85", lw=0)
    ax.set_xlabel("wavelength (nm)")
    ax.set_ylabel("absorbance")
    title = f"{result.material} {result.label}".strip() + f"   [{result.quality}]"
    if result.concentration_M is not None and math.isfinite(result.concentration_M):
        title += f"   c = {result.concentration_M * 1e6:.3g} uM"
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".png", dir=str(path.parent))
    os.close(fd)
    try:
        fig.savefig(tmp, format="png")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path
