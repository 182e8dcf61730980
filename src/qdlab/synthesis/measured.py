"""Measured CdSe hot-injection growth series and the check of a recipe against it.

The series (``qdlab/_data/cdse_hot_injection_peaks.csv``) is the authors' own
first-exciton peak table of a teaching-laboratory CdSe hot injection (Imperial
College London, course MS 3.02, public repository
angzeli/Imperial-MS-3.02-CdSe-quantum-dots, MIT licence): aliquots at 30-600 s,
runs 2, 3 and 6 at the same Cd:Se ratio (1.33:1).  There are no independent
(TEM) sizes; a simulated mean diameter is turned into a peak wavelength with the
Jasieniak et al. 2009 CdSe sizing curve (:mod:`qdlab.sizing`).

The shipped recipe ``example_recipe("cdse-teaching")`` has two parameters fitted
to run 2 (the conversion prefactor and the flat-surface solubility;
``scripts/fit_teaching_recipe.py``); runs 3 and 6 are held out, and
:func:`validate_growth_series` reports the error on each run with its role.

Known limits: the protocol's exact amounts are not published with the data (the
recipe uses the Boatman et al. 2005 teaching protocol with the measured Cd:Se
ratio); runs 4 and 5 (Cd:Se 1:3 and 1:5) are a different chemistry (Se excess)
and the authors' peaks of those runs follow the PL maxima, so they are not used;
a one-monomer model cannot say which precursor limits.
"""

from __future__ import annotations

import csv
import io
from importlib import resources

import numpy as np

__all__ = ["FIT_RUN", "HELD_OUT_RUNS", "load_growth_series", "peak_of_diameter_nm",
           "validate_growth_series"]

#: The run the teaching recipe's two kinetic parameters were fitted to.
FIT_RUN = "Run 2"
#: Runs of the same protocol (Cd:Se 1.33:1) not used in the fit.
HELD_OUT_RUNS = ("Run 3", "Run 6")


def load_growth_series() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The measured first-exciton peak series by run: ``{run: (time_s, peak_nm)}``.

    Examples
    --------
    >>> s = load_growth_series()
    >>> t, y = s["Run 2"]
    >>> float(t[0]), float(t[-1]), len(t)
    (30.0, 600.0, 18)
    """
    text = resources.files("qdlab").joinpath("_data", "cdse_hot_injection_peaks.csv").read_text()
    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    out = {}
    # column 0: time of run 1; column 2: the time shared by runs 2-9
    for j, name in enumerate(head):
        if not name.startswith("Run"):
            continue
        tcol = 0 if name == "Run 1" else 2
        pts = [(float(r[tcol]), float(r[j])) for r in rows[1:]
               if len(r) > j and r[tcol].strip() and r[j].strip()]
        t, y = (np.array(v) for v in zip(*pts, strict=True))
        out[name] = (t, y)
    return out


def peak_of_diameter_nm(diameter_nm):
    """First-exciton peak (nm) of CdSe of the given mean diameter (Jasieniak 2009 curve).

    Diameters are clipped to the curve's monotone range [1.2, 12] nm (a simulated
    mean below 1.2 nm is outside every CdSe sizing calibration).

    Parameters
    ----------
    diameter_nm : float or array_like
        Mean diameter, nm.

    Returns
    -------
    ndarray
        First-exciton peak wavelength, nm (inverse of the published d(lambda) quartic).

    References
    ----------
    .. [1] Jasieniak et al., J. Phys. Chem. C 113, 19468-19474 (2009); bibliography
       ``jasieniak2009``.
    """
    from qdlab.sizing import get_curve

    d = np.clip(np.asarray(diameter_nm, dtype=float), 1.2, 12.0)
    return get_curve("Jasieniak2009-CdSe").peak_nm(d, warn=False)


def validate_growth_series(recipe=None) -> list[dict]:
    """Error of a recipe's first-exciton peak against the measured runs.

    Parameters
    ----------
    recipe : Recipe, optional
        Default: the shipped ``example_recipe("cdse-teaching")``.

    Returns
    -------
    list of dict
        One row per run (fit run first): ``run``, ``role`` ("fitted" or
        "held out"), ``n``, ``rms_nm``, ``max_abs_nm``, ``mean_error_nm`` (model
        minus measured; > 0: model too red, i.e. particles too large),
        ``final_diameter_nm`` (model) and ``final_peak_nm`` (measured).

    References
    ----------
    .. [1] Talapin et al., J. Phys. Chem. B 105, 12278-12285 (2001); bibliography
       ``talapin2001``.
    .. [2] Jasieniak et al., J. Phys. Chem. C 113, 19468-19474 (2009); bibliography
       ``jasieniak2009``.

    Examples
    --------
    >>> rows = validate_growth_series()
    >>> [r["role"] for r in rows]
    ['fitted', 'held out', 'held out']
    >>> all(r["rms_nm"] < 10 for r in rows)
    True
    """
    from qdlab.synthesis import example_recipe, run_recipe

    rec = example_recipe("cdse-teaching") if recipe is None else recipe
    tr = run_recipe(rec.with_updates(numerics__n_snapshots=0))
    series = load_growth_series()
    rows = []
    for run in (FIT_RUN, *HELD_OUT_RUNS):
        t, y = series[run]
        d = np.interp(t, tr.time_s, tr.mean_diameter_nm)
        err = peak_of_diameter_nm(d) - y
        rows.append({
            "run": run, "role": "fitted" if run == FIT_RUN else "held out", "n": int(t.size),
            "rms_nm": float(np.sqrt(np.mean(err**2))), "max_abs_nm": float(np.max(np.abs(err))),
            "mean_error_nm": float(np.mean(err)), "final_diameter_nm": float(d[-1]),
            "final_peak_nm": float(y[-1]),
        })
    return rows
