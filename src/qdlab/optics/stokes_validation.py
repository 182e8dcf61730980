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
from typing import TYPE_CHECKING

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError

if TYPE_CHECKING:  # stokes imports this module at its end: import it lazily here
    from qdlab.optics.stokes import StokesModel

__all__ = [
    "PUBLISHED_RESONANT",
    "measured_series_shifts",
    "validate_published",
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

    References
    ----------
    .. [1] Bawendi et al., J. Chem. Phys. 96, 946-954 (1992); bibliography ``bawendi1992``.
    .. [2] Yu et al., J. Phys. Chem. B 107, 5670-5674 (2003); bibliography
       ``yu2003resonant``.
    .. [3] Efros et al., Phys. Rev. B 54, 4843-4856 (1996); bibliography ``efros1996``.

    Examples
    --------
    >>> rows = validate_published()
    >>> [r["diameter_nm"] for r in rows]
    [3.2, 2.0, 4.6]
    """
    from qdlab.optics.stokes import StokesModel

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
    r"""Measured absorption peak, PL peak (nm) and their shift (eV) of the reference series.

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

    See Also
    --------
    validate_published : the model against published resonant Stokes shifts.

    Notes
    -----
    Shift :math:`\Delta E = hc/\lambda_{abs} - hc/\lambda_{PL}` (eV), with
    :math:`hc = 1239.84` eV nm; measured data only, no model.

    References
    ----------
    .. [1] A. Li, Imperial-MS-3.02-CdSe-quantum-dots, GitHub repository (MIT licence, 2026).
       Bibliography ``li2026_cdse_series``.
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
