"""Validation of the intrinsic Stokes-shift model (:mod:`qdlab.optics.stokes`).

Published resonant shifts (:data:`PUBLISHED_RESONANT`) and the global shifts of the
measured reference CdSe series (absorbance + PL, ``tests/data``) against
:class:`~qdlab.optics.stokes.StokesModel` and the ensemble model; printed by
``python -m qdlab.optics.stokes FOLDER``.  All names are importable from
:mod:`qdlab.optics.stokes` too.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, QdlabValidityWarning
from qdlab.optics.stokes import StokesModel

__all__ = [
    "PUBLISHED_RESONANT",
    "measured_series_shifts",
    "print_validation",
    "validate_published",
    "validate_reference_series",
]


# ---------------------------------------------------------------------- validation
#: Published resonant (size-selective, low-temperature) Stokes shifts of CdSe that could
#: be checked in the source text: (diameter nm, temperature K, shift eV, source).
PUBLISHED_RESONANT = (
    (3.2, 10.0, 70.0 * 1.239841984e-4,
     "Bawendi et al., JCP 96, 946 (1992): ~70 cm^-1 red shift of the slow emission, 32 A"),
    (2.0, 10.0, 0.070 / 4.0,
     "Yu et al., JPCB 107, 5670 (2003): CdSe ~1/4 of CdS, 70 meV at radius 1.0 nm"),
    (4.6, 10.0, 0.020 / 4.0,
     "Yu et al. (2003): CdSe ~1/4 of CdS, 20 meV at radius 2.3 nm (ends of the ranges)"),
)


def validate_published(model: StokesModel | None = None) -> list[dict]:
    """Model resonant shift (T of the experiment) against :data:`PUBLISHED_RESONANT`.

    Examples
    --------
    >>> rows = validate_published()
    >>> [r["diameter_nm"] for r in rows]
    [3.2, 2.0, 4.6]
    """
    m = model if model is not None else StokesModel.for_material("CdSe")
    rows = []
    for d, t, meas, src in PUBLISHED_RESONANT:
        c = m.components(d, t)
        rows.append({"diameter_nm": d, "temperature_K": t, "measured_eV": meas,
                     "model_eV": float(c["resonant_eV"]), "source": src})
    return rows


def _pl_peak_nm(wavelength_nm, counts) -> float:
    """PL maximum (nm): Gaussian (parabola in log) fit within 0.05 eV of the smoothed maximum."""
    lam = np.asarray(wavelength_nm, float)
    y = np.asarray(counts, float)
    ok = np.isfinite(lam) & np.isfinite(y)
    lam, y = lam[ok], y[ok]
    o = np.argsort(lam)
    lam, y = lam[o], y[o]
    ys = np.convolve(y, np.ones(5) / 5.0, mode="same")
    i = int(np.argmax(ys[2:-2])) + 2
    e = HC_EV_NM / lam
    sel = (np.abs(e - e[i]) < 0.05) & (ys > 0.5 * ys[i])
    if sel.sum() < 5:
        return float(lam[i])
    c = np.polyfit(e[sel] - e[i], np.log(np.maximum(ys[sel], 1e-12)), 2)
    if c[0] >= 0:
        return float(lam[i])
    return float(HC_EV_NM / (e[i] - c[1] / (2 * c[0])))


def measured_series_shifts(runs=(2, 3, 6), folder=None) -> list[dict]:
    """Measured absorption peak, PL peak (nm) and their shift (eV) of the reference series.

    Parameters
    ----------
    runs : sequence of int
        Runs of ``shared/reference/spectra/cdse_hot_injection_series``.
    folder : path
        Folder holding ``runN_absorbance.csv`` and ``runN_emission.csv`` (the series is
        not shipped with the package; the source tree's ``tests/data`` holds run 6).
        Required: ``None`` raises :class:`~qdlab.errors.QdlabInputError`.

    Returns
    -------
    list of dict
        ``run``, ``time``, ``abs_peak_nm`` (:func:`qdlab.optics.peaks.first_exciton_peak`),
        ``pl_peak_nm`` (Gaussian fit to the top of the PL band), ``shift_eV``, and the
        absorbance ``spectrum`` (wavelength_nm, absorbance) for fitting.
    """
    from qdlab.optics.peaks import first_exciton_peak
    from qdlab.optics.spectrum_io import read_spectra

    if folder is None:
        raise QdlabInputError("folder must be the folder holding runN_absorbance.csv and "
                              "runN_emission.csv of the reference CdSe series (not shipped "
                              "with qdlab), got None")
    folder = Path(folder)
    if not folder.exists():
        raise QdlabInputError(f"folder must hold the reference CdSe series, got {folder}")
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for run in runs:
            ab = read_spectra(folder / f"run{run}_absorbance.csv")
            em = {s.label.split()[0]: s for s in read_spectra(folder / f"run{run}_emission.csv")}
            for a in ab:
                t = a.label.split()[0]
                if t not in em:
                    continue
                pk = first_exciton_peak(a.wavelength_nm, a.y)
                pl = _pl_peak_nm(em[t].wavelength_nm, em[t].y)
                rows.append({"run": run, "time": f"{t} s", "abs_peak_nm": float(pk.peak_nm),
                             "pl_peak_nm": pl,
                             "shift_eV": HC_EV_NM / float(pk.peak_nm) - HC_EV_NM / pl,
                             "spectrum": (np.asarray(a.wavelength_nm), np.asarray(a.y))})
    return rows


def validate_reference_series(runs=(2, 3, 6), folder=None, *, table=None) -> list[dict]:
    r"""Model global Stokes shift against the measured teaching-lab series (300 K).

    Each absorbance spectrum is fitted (:func:`qdlab.optics.fit.fit_spectrum`, absorption
    only: the PL is not used) for the mean diameter and dispersion; the
    :class:`~qdlab.optics.ensemble.Ensemble` of that distribution then gives the model
    shift :math:`hc/\lambda_{abs} - hc/\lambda_{PL}` with the per-size Stokes shift
    (``model_eV``), with no intrinsic shift (``ensemble_only_eV``) and with the old
    constant 0.085 eV (``constant_eV``).
    """
    from qdlab.optics.ensemble import DEFAULT_STOKES_SHIFT_EV, Ensemble, SizeDistribution
    from qdlab.optics.fit import fit_spectrum, model_table

    table = table if table is not None else model_table("CdSe")
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QdlabValidityWarning)
        for r in measured_series_shifts(runs, folder):
            f = fit_spectrum(*r["spectrum"], "CdSe", table=table)
            dist = SizeDistribution.normal(f.diameter_nm, f.dispersion_pct)
            row = {k: v for k, v in r.items() if k != "spectrum"}
            row.update({"diameter_nm": f.diameter_nm, "dispersion_pct": f.dispersion_pct})
            for name, s in (("model_eV", "model"), ("constant_eV", DEFAULT_STOKES_SHIFT_EV)):
                ens = Ensemble("CdSe", dist, table=table, stokes_shift_eV=s)
                row[name] = HC_EV_NM / ens.first_peak_nm() - HC_EV_NM / ens.emission_peak_nm()
                if s == "model":
                    row["intrinsic_eV"] = ens.stokes_shift_eV      # number-weighted mean
            # what the size distribution adds (excitation weighting, peak of a skewed band)
            row["ensemble_part_eV"] = row["model_eV"] - row["intrinsic_eV"]
            out.append(row)
    return out


def print_validation(runs=(2, 3, 6), folder=None) -> None:  # pragma: no cover - printing
    """Print both validation tables (``python -m qdlab.optics.stokes``)."""
    print("Resonant (single-dot) Stokes shift of CdSe, published values vs model")
    print(f"{'d nm':>6} {'T K':>5} {'meas meV':>9} {'model meV':>10}  source")
    for r in validate_published():
        print(f"{r['diameter_nm']:6.2f} {r['temperature_K']:5.0f} {1e3 * r['measured_eV']:9.1f} "
              f"{1e3 * r['model_eV']:10.1f}  {r['source']}")
    print()
    print("Global Stokes shift (abs peak - PL peak) at 300 K, reference CdSe series; "
          "sizes from fits of the absorbance only")
    hdr = (f"{'run':>3} {'time':>6} {'abs nm':>7} {'PL nm':>7} {'d nm':>5} {'disp%':>5} "
           f"{'meas':>6} {'model':>6} {'err':>6} {'ens':>6} {'intr':>6} {'0.085':>6}  (meV)")
    print(hdr)
    rows = validate_reference_series(runs, folder)
    for r in rows:
        print(f"{r['run']:3d} {r['time']:>6} {r['abs_peak_nm']:7.1f} {r['pl_peak_nm']:7.1f} "
              f"{r['diameter_nm']:5.2f} {r['dispersion_pct']:5.1f} {1e3 * r['shift_eV']:6.1f} "
              f"{1e3 * r['model_eV']:6.1f} {1e3 * (r['model_eV'] - r['shift_eV']):6.1f} "
              f"{1e3 * r['ensemble_part_eV']:6.1f} {1e3 * r['intrinsic_eV']:6.1f} "
              f"{1e3 * r['constant_eV']:6.1f}")
    err = np.array([r["model_eV"] - r["shift_eV"] for r in rows])
    old = np.array([r["constant_eV"] - r["shift_eV"] for r in rows])
    print(f"model: mean error {1e3 * err.mean():+.1f} meV, rms {1e3 * np.sqrt((err**2).mean()):.1f}"
          f" meV; old constant: mean {1e3 * old.mean():+.1f}, rms "
          f"{1e3 * np.sqrt((old**2).mean()):.1f} meV (n={len(rows)})")
