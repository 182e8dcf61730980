"""The measured Stokes shift of the reference CdSe series against the model.

An inverse-problem check, so it lives in :mod:`qdlab.sizing` (it fits the measured
absorbance with :func:`qdlab.sizing.fit.fit_spectrum`); the model itself,
:class:`qdlab.optics.stokes.StokesModel`, stays in the forward optics.
``python -m qdlab.sizing.stokes_check FOLDER [RUN ...]`` prints both tables.
"""

from __future__ import annotations

import warnings

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabValidityWarning
from qdlab.optics.stokes import measured_series_shifts, validate_published
from qdlab.sizing.fit import fit_spectrum, model_table

__all__ = ["print_validation", "validate_reference_series"]


def validate_reference_series(runs=(2, 3, 6), folder=None, *, table=None) -> list[dict]:
    r"""Model global Stokes shift against the measured teaching-lab series (300 K).

    Each absorbance spectrum is fitted (:func:`qdlab.sizing.fit.fit_spectrum`, absorption
    only: the PL is not used) for the mean diameter and dispersion; the
    :class:`~qdlab.optics.ensemble.Ensemble` of that distribution then gives the model
    shift :math:`hc/\lambda_{abs} - hc/\lambda_{PL}` with the per-size Stokes shift
    (``model_eV``), with no intrinsic shift (``ensemble_only_eV``) and with the old
    constant 0.085 eV (``constant_eV``).

    References
    ----------
    .. [1] Efros et al., Phys. Rev. B 54, 4843-4856 (1996); bibliography ``efros1996``.
    .. [2] Norris & Bawendi, Phys. Rev. B 53, 16338 (1996); bibliography ``norris1996``.
    """
    from qdlab.optics.ensemble import DEFAULT_STOKES_SHIFT_EV, Ensemble, SizeDistribution

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
    """Print both validation tables (``python -m qdlab.sizing.stokes_check``)."""
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


if __name__ == "__main__":  # pragma: no cover
    import sys

    # python -m qdlab.sizing.stokes_check FOLDER [RUN ...]  (e.g. tests/data 6)
    print_validation(tuple(int(r) for r in sys.argv[2:]) or (2, 3, 6), sys.argv[1])
