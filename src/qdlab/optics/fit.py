r"""Fit measured absorption spectra: mean size, size dispersion, concentration.

:func:`fit_spectrum` analyses one absorbance spectrum in two stages.

1. *Robust start* from the first excitonic peak
   (:func:`qdlab.optics.peaks.first_exciton_peak`: peak wavelength, red-side HWHM,
   background-subtracted peak absorbance).  The mean diameter is the model size
   whose ensemble peak falls at the measured peak; the dispersion follows from the
   HWHM after removing the homogeneous width,
   :math:`\sigma_E = \sqrt{\mathrm{HWHM}^2 - (\Gamma/2)^2}/\sqrt{2\ln 2}`,
   :math:`\sigma_d/d = \sigma_E/(d\,|dE_1/dd|)`; the concentration from the peak
   absorbance and the model extinction.  The published-curve estimate
   (:func:`qdlab.sizing.size_from_peak`, Jasieniak 2009 for CdSe) is reported
   alongside (``sizing_curve_*`` extras).
2. *Least squares of the ensemble model* (:class:`qdlab.optics.ensemble.Ensemble`,
   :func:`scipy.optimize.least_squares`) over the mean diameter :math:`\bar d` and the
   relative dispersion :math:`\delta`; the amplitudes enter linearly and are eliminated
   by variable projection (bounded linear least squares at every step).

   ``mode="band_edge"`` (default, robust on real spectra): the fit window runs from
   the red end of the spectrum to ``window_eV`` (0.2 eV) above the measured peak,

   .. math::

       A(\lambda) = a\,l\,\epsilon_{disc}(\lambda; \bar d, \delta)
                   + a'\,l\,\epsilon_{cont} + b_0 + b_1 (\lambda/\lambda_1)^{-4}
                   + b_2\,(E - E_1)_+ ,

   where the non-negative ramp :math:`b_2` absorbs the unresolved higher transitions
   (1S-2S3/2, 1S-1S1/2 ...) that the single-band model places elsewhere.  The
   concentration then comes from the bulk-like continuum, 0.3 eV above its onset,
   where the extinction follows the volume law (Hens & Moreels 2012): with the band-edge
   part fixed, :math:`A - a\,l\,\epsilon_{disc} = c\,l\,\epsilon_{cont} + b_0 + b_1 u` is
   solved on that region together with the transparent red tail (which pins the
   scattering background).  The band-edge scale :math:`s = a/c` is the ratio of measured
   to single-band oscillator strength (0.4-0.5 on the reference CdSe series).  If the
   spectrum stops short of the continuum, :math:`c = a` (s = 1, noted).

   ``mode="full"``: the whole spectrum (above 300 nm) with
   :math:`A = c\,l\,[s\,\epsilon_{disc} + \epsilon_{cont}] + b_0 + b_1 u`;
   :math:`s` is fitted when the data reach 0.5 eV into the continuum
   (``fit_oscillator_scale="auto"``).  Exact for spectra of the model; on real
   spectra the single-band higher transitions bias it (model peaks 24-30 nm median
   off the authors' peaks on the reference series, against 1.4-2.6 nm for
   ``"band_edge"``), hence the default.

   Uncertainties (1 sigma) come from the covariance :math:`s^2 (J^TJ)^{-1}` of a joint
   linearisation in all parameters; the concentration uncertainty adds the volume-law
   propagation :math:`3\,\sigma_d/d`.

``peak_nm`` is the measured first-exciton peak (stage 1); ``model_peak_nm`` the peak
of the fitted ensemble model.  ``concentration_M`` is None when ``absolute=False``
(normalised data: no absorbance scale).

References
----------
.. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012).
.. [2] J. Jasieniak et al., J. Phys. Chem. C 113, 19468 (2009).

Examples
--------
>>> import numpy as np
>>> from qdlab.optics.ensemble import Ensemble, SizeDistribution
>>> wl = np.arange(350.0, 700.0, 1.0)
>>> ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 7.0))
>>> a = ens.absorbance(wl, 2e-6) + 0.01
>>> res = fit_spectrum(wl, a, "CdSe")
>>> round(res.diameter_nm, 2), round(res.dispersion_pct, 1), round(res.concentration_M * 1e6, 3)
(4.0, 7.0, 2.0)
"""

from __future__ import annotations

import csv
import dataclasses
import math
import os
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares, lsq_linear

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, check_positive
from qdlab.optics.ensemble import Ensemble, SizeDistribution, TransitionTable
from qdlab.optics.peaks import NoExcitonicPeakError, first_exciton_peak
from qdlab.structures import Medium

__all__ = [
    "FitResult",
    "fit_spectra",
    "fit_spectrum",
    "model_table",
    "results_table",
    "write_table",
]

_D_MIN, _D_MAX = 1.4, 13.0
_DISP_MIN, _DISP_MAX = 1.0, 30.0
_SQ2LN2 = math.sqrt(2.0 * math.log(2.0))


def model_table(material, *, medium: Medium | None = None, temperature: float = 300.0,
                n_grid: int = 48) -> TransitionTable:
    """Transition table over 1.4-13 nm for fitting many spectra of one material.

    Build it once and pass it as ``table=`` to :func:`fit_spectrum` (``fit_spectra``
    does this for you).
    """
    return TransitionTable([material], (), _D_MIN, _D_MAX,
                           medium if medium is not None else Medium(), temperature,
                           n_grid=n_grid, n_transitions=8)


@dataclass(frozen=True)
class FitResult:
    """Result of :func:`fit_spectrum` (diameters in nm, dispersion in %, molar units).

    Attributes
    ----------
    peak_nm, peak_uncertainty_nm : float
        Measured first-exciton peak and 1-sigma uncertainty, nm.
    diameter_nm, diameter_uncertainty_nm : float
        Fitted number-mean diameter and uncertainty, nm.
    dispersion_pct, dispersion_uncertainty_pct : float
        Fitted relative standard deviation of the diameter and uncertainty, %.
    concentration_M, concentration_uncertainty_M : float or None
        Particle concentration and uncertainty, mol/L (None without an absorbance scale).
    model_peak_nm : float
        First-exciton peak of the fitted model, nm.
    oscillator_scale : float
        Fitted (or fixed) band-edge scale ``s``.
    background : tuple
        (b0, b1) of the background b0 + b1 (lambda/peak)^-4 (absorbance).
    start : dict
        Stage-1 estimates (peak-based diameter, dispersion, concentration, and the
        published sizing-curve values).
    rms_residual : float
        Root-mean-square residual of the fit (absorbance).
    notes : tuple of str
    """

    material: str
    label: str
    path_cm: float
    peak_nm: float
    peak_uncertainty_nm: float
    diameter_nm: float
    diameter_uncertainty_nm: float
    dispersion_pct: float
    dispersion_uncertainty_pct: float
    concentration_M: float | None
    concentration_uncertainty_M: float | None
    model_peak_nm: float
    oscillator_scale: float
    oscillator_scale_fitted: bool
    background: tuple
    start: dict
    rms_residual: float
    fit_range_nm: tuple
    notes: tuple = ()
    mode: str = "band_edge"
    wavelength_nm: np.ndarray = field(default=None, repr=False)
    absorbance: np.ndarray = field(default=None, repr=False)
    model_absorbance: np.ndarray = field(default=None, repr=False)

    def to_dict(self) -> dict:
        """JSON-ready dict: ``peak_nm``, ``diameter_nm``, ``dispersion_pct``,
        ``concentration_M`` first, then the extras (uncertainties, model peak, ...)."""
        def clean(v):
            if isinstance(v, (float, np.floating)):
                return float(v) if math.isfinite(v) else None
            if isinstance(v, tuple):
                return [clean(x) for x in v]
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items()}
            return v

        out = {"peak_nm": self.peak_nm, "diameter_nm": self.diameter_nm,
               "dispersion_pct": self.dispersion_pct, "concentration_M": self.concentration_M}
        for k in ("peak_uncertainty_nm", "diameter_uncertainty_nm",
                  "dispersion_uncertainty_pct", "concentration_uncertainty_M",
                  "model_peak_nm", "oscillator_scale", "oscillator_scale_fitted",
                  "background", "rms_residual", "fit_range_nm", "material", "label",
                  "path_cm", "start", "notes"):
            out[k] = getattr(self, k)
        return {k: clean(v) for k, v in out.items()}

    def plot(self, path) -> Path:
        """Write a PNG of the data and the fitted model overlaid (atomic write).

        Returns the path written.
        """
        import matplotlib

        matplotlib.use("Agg", force=False)
        from matplotlib.figure import Figure

        path = Path(path)
        fig = Figure(figsize=(6.4, 4.2), dpi=110)
        ax = fig.add_subplot(111)
        ax.plot(self.wavelength_nm, self.absorbance, ".", ms=2.5, color="0.35", label="data")
        ax.plot(self.wavelength_nm, self.model_absorbance, "-", color="C3", lw=1.5,
                label=(f"model: d = {self.diameter_nm:.2f} nm, "
                       f"{self.dispersion_pct:.1f} %"))
        ax.axvline(self.peak_nm, color="C0", ls=":", lw=1,
                   label=f"first exciton {self.peak_nm:.1f} nm")
        ax.set_xlabel("wavelength (nm)")
        ax.set_ylabel("absorbance")
        title = f"{self.material} {self.label}".strip()
        if self.concentration_M is not None:
            title += f"   c = {self.concentration_M * 1e6:.3g} uM"
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


#: Spectra denser than this are averaged into this many wavelength bins before fitting.
MAX_FIT_POINTS = 1000


def _clean_input(wavelength_nm, absorbance, notes=None):
    """Input guard: 1-D arrays, finite points in the physical ranges (wavelength
    150-5000 nm, |A| <= 10; others dropped with a note, refused if more than half),
    ascending without duplicates, at most MAX_FIT_POINTS (denser spectra are binned)."""
    from qdlab.optics.spectrum_io import bin_spectrum, screen_points

    try:
        x = np.asarray(wavelength_nm, dtype=float)
        y = np.asarray(absorbance, dtype=float)
    except (TypeError, ValueError):
        raise QdlabInputError("wavelength_nm and absorbance must be numeric arrays") from None
    if x.ndim != 1 or y.shape != x.shape:
        raise QdlabInputError(f"wavelength_nm and absorbance must be 1-D arrays of the same "
                              f"length, got shapes {x.shape} and {y.shape}")
    if x.size < 20:
        raise QdlabInputError(f"need at least 20 points to fit a spectrum, got {x.size}")
    x, y, dropped = screen_points(x, y, "absorbance", "absorbance")
    if notes is not None:
        notes.extend(dropped)
    if x.size < 20:
        raise QdlabInputError(f"need at least 20 usable points to fit a spectrum, got {x.size}")
    order = np.argsort(x)
    x, y = x[order], y[order]
    if np.any(np.diff(x) <= 0):
        raise QdlabInputError("wavelength_nm has duplicated values")
    if x.size > MAX_FIT_POINTS:
        n0 = x.size
        x, y = bin_spectrum(x, y, MAX_FIT_POINTS)
        if notes is not None:
            notes.append(f"{n0} points averaged into {x.size} wavelength bins of "
                         f"{(x[-1] - x[0]) / MAX_FIT_POINTS:.2g} nm before fitting")
    return x, y


def _guarded(func):
    """Contract of fit_spectrum: a finite result or one QdlabInputError.

    Numerical failures inside numpy/scipy (LinAlgError, overflow, ...) become a
    QdlabInputError naming the spectrum; a non-positive or non-finite concentration is
    reported as None with a note, never as a number.
    """
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        label = kwargs.get("label", "")
        try:
            with np.errstate(all="ignore"):
                res = func(*args, **kwargs)
        except (QdlabInputError, NoExcitonicPeakError):
            raise
        except (np.linalg.LinAlgError, FloatingPointError, OverflowError, ZeroDivisionError,
                ValueError, MemoryError) as exc:
            raise QdlabInputError(f"spectrum {label!r} could not be fitted: numerical failure "
                                  f"({type(exc).__name__}: {exc}); check that it is an "
                                  "absorbance spectrum of the given material") from None
        core = (res.peak_nm, res.diameter_nm, res.dispersion_pct)
        if not all(math.isfinite(v) and v > 0 for v in core):
            raise QdlabInputError(f"spectrum {label!r} could not be fitted: non-finite or "
                                  "non-positive peak/diameter/dispersion")
        c = res.concentration_M
        if c is not None and not (math.isfinite(c) and c > 0):
            res = dataclasses.replace(
                res, concentration_M=None, concentration_uncertainty_M=None,
                notes=res.notes + (f"concentration not determined (fit gave {c:.3g} M, not "
                                   "> 0): check the baseline, and that the file is "
                                   "absorbance (not %T)",))
        return res

    return wrapper


class _Model:
    """Ensemble components on a fixed wavelength grid for given (d, dispersion)."""

    def __init__(self, table, material, lam, distribution, temperature, medium, n_nodes):
        self.table, self.material, self.lam = table, material, lam
        self.kind, self.temperature, self.medium, self.n_nodes = (distribution, temperature,
                                                                 medium, n_nodes)

    def ensemble(self, d, disp, scale=1.0):
        dist = (SizeDistribution.lognormal(d, disp) if self.kind == "lognormal"
                else SizeDistribution.normal(d, disp))
        return Ensemble(self.material, dist, medium=self.medium, temperature=self.temperature,
                        table=self.table, n_nodes=self.n_nodes, oscillator_scale=scale)

    def components(self, d, disp):
        ens = self.ensemble(d, disp)
        _, disc, cont = ens.absorption_cross_section(self.lam, components=True)
        k = 6.02214076e23 / (1000.0 * math.log(10.0))
        return disc * k, cont * k


@_guarded
def fit_spectrum(wavelength_nm, absorbance, material, path_cm: float = 1.0, *,
                 absolute: bool = True, distribution: str = "normal",
                 fit_range_nm=None, fit_oscillator_scale="auto",
                 medium: Medium | None = None, temperature: float = 300.0,
                 table: TransitionTable | None = None, label: str = "",
                 mode: str = "band_edge", window_eV: float = 0.20,
                 n_nodes: int | None = None) -> FitResult:
    """Fit one absorbance spectrum: peak, mean diameter, dispersion, concentration.

    Parameters
    ----------
    wavelength_nm : array_like
        Wavelengths, nm (any order, no duplicates).
    absorbance : array_like
        Absorbance (base 10).
    material : str
        Core material (``"CdSe"``).
    path_cm : float
        Cuvette path length, cm.
    absolute : bool
        False for normalised spectra (no absorbance scale): ``concentration_M`` is None.
    distribution : {"normal", "lognormal"}
        Shape of the size distribution.
    fit_range_nm : (float, float), optional
        Usable wavelength range, nm (default: whole spectrum above 300 nm).
    fit_oscillator_scale : {"auto", True, False}
        ``mode="full"`` only: fit the band-edge scale ``s`` (see module notes).
    mode : {"band_edge", "full"}
        Fit window and concentration method (see module notes).
    window_eV : float
        ``mode="band_edge"``: the window extends this far above the peak, eV.
    medium, temperature
        Ligands/solvent and temperature (K) of the model.
    table : TransitionTable, optional
        Precomputed :func:`model_table` (saves ~0.5 s per call).
    label : str
        Sample label carried into the result.
    n_nodes : int
        Quadrature nodes of the size distribution.

    Returns
    -------
    FitResult

    Raises
    ------
    NoExcitonicPeakError
        No first excitonic peak in the spectrum.
    QdlabInputError
        Bad arrays, or a peak outside the model's 1.4-13 nm range.
    """
    check_positive(path_cm, "path_cm", "cm")
    if distribution not in ("normal", "lognormal"):
        raise QdlabInputError(f"distribution must be 'normal' or 'lognormal', got "
                              f"{distribution!r}")
    if mode not in ("band_edge", "full"):
        raise QdlabInputError(f"mode must be 'band_edge' or 'full', got {mode!r}")
    check_positive(window_eV, "window_eV", "eV")
    if fit_oscillator_scale not in ("auto", True, False):
        raise QdlabInputError(f"fit_oscillator_scale must be 'auto', True or False, got "
                              f"{fit_oscillator_scale!r}")
    notes = []
    x, y = _clean_input(wavelength_nm, absorbance, notes)
    medium = medium if medium is not None else Medium()
    if table is None:
        table = model_table(material, medium=medium, temperature=temperature)
    pk = first_exciton_peak(x, y)
    if pk.quality in ("poor",):
        notes.append("weak first-exciton peak: results unreliable")
    e_pk = HC_EV_NM / pk.peak_nm
    e1_grid = table.data["energy_eV"][:, 0]
    if not (e1_grid.min() < e_pk < e1_grid.max()):
        raise QdlabInputError(f"first-exciton peak {pk.peak_nm:.1f} nm is outside the model "
                              f"range for {material} ({HC_EV_NM / e1_grid.max():.0f}-"
                              f"{HC_EV_NM / e1_grid.min():.0f} nm, diameters "
                              f"{_D_MIN:g}-{_D_MAX:g} nm)")
    # ---------------- window
    lo, hi = (max(float(x[0]), 300.0), float(x[-1])) if fit_range_nm is None else \
        (float(fit_range_nm[0]), float(fit_range_nm[1]))
    m = (x >= lo) & (x <= hi)
    if m.sum() < 20:
        raise QdlabInputError(f"fit_range_nm {fit_range_nm} holds fewer than 20 points")
    lam, a = x[m], y[m]
    model = _Model(table, material, lam, distribution, temperature, medium, n_nodes)
    # ---------------- stage 1: start values
    gam = model.ensemble(4.0, 5.0).homogeneous(temperature)
    d0 = table.diameter_for_energy(e_pk)
    grid, e1g = table.grid_nm, table.data["energy_eV"][:, 0]
    for _ in range(2):  # correct for the offset between the ensemble peak and E1(d)
        e_model = HC_EV_NM / model.ensemble(d0, 5.0).first_peak_nm()
        e1_d0 = float(np.interp(d0, grid, e1g))
        d0 = float(np.clip(table.diameter_for_energy(e1_d0 + (e_pk - e_model)),
                           _D_MIN * 1.05, _D_MAX * 0.95))
    de_dd = abs(float(np.gradient(table.data["energy_eV"][:, 0], table.grid_nm)[
        int(np.argmin(abs(table.grid_nm - d0)))]))
    hw = pk.hwhm_eV if math.isfinite(pk.hwhm_eV) else 0.06
    sig_e = math.sqrt(max(hw * hw - (0.5 * gam) ** 2, (0.3 * hw) ** 2)) / _SQ2LN2
    disp0 = float(np.clip(100.0 * sig_e / (de_dd * d0), _DISP_MIN + 0.5, 25.0))
    ens0 = model.ensemble(d0, disp0)
    eps_pk0 = ens0.first_peak_extinction()
    # absorbance at the peak above the scattering background only (the convention of
    # the published band-edge extinction calibrations), not above the local continuum
    a_peak = float(pk.raw_absorbance - pk.background[0] - pk.background[1])
    c0_start = max(a_peak, 1e-6) / (eps_pk0 * path_cm)
    start = {"diameter_nm": d0, "dispersion_pct": disp0,
             "concentration_M": c0_start if absolute else None,
             "hwhm_eV": pk.hwhm_eV, "peak_absorbance": a_peak}
    try:
        from qdlab.sizing import size_from_peak

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sr = size_from_peak(material, pk.peak_nm,
                                absorbance=max(a_peak, 1e-6) if absolute else None,
                                path_cm=path_cm,
                                hwhm_eV=pk.hwhm_eV if math.isfinite(pk.hwhm_eV) else None)
        start["sizing_curve"] = sr.best.name
        start["sizing_curve_diameter_nm"] = sr.diameter_nm
        start["sizing_curve_concentration_M"] = sr.concentration_M if absolute else None
    except (QdlabInputError, ValueError):
        start["sizing_curve"] = None
    # ---------------- stage 2: variable projection over (d, disp)
    E = HC_EV_NM / lam
    u = (lam / pk.peak_nm) ** -4.0
    ones = np.ones_like(lam)
    onset = ens0.continuum_onset_eV
    if mode == "band_edge":
        win = E <= e_pk + window_eV
        if win.sum() < 15:
            raise QdlabInputError(f"fewer than 15 points between the red end and "
                                  f"{window_eV} eV above the first-exciton peak")
        fit_s = True
        ramp = np.maximum(E - e_pk, 0.0)
        # scattering background b0 + b1 u from the transparent red tail alone (inside the
        # window a lambda^-4 term is degenerate with the ramp); b0 stays free in the fit
        tail = E < e_pk - max(3.0 * (pk.hwhm_eV if math.isfinite(pk.hwhm_eV) else 0.06), 0.12)
        b1_tail = 0.0
        if tail.sum() >= 10:
            Bt = np.column_stack([ones[tail], u[tail]])
            sct = np.abs(Bt).max(axis=0)
            rt = lsq_linear(Bt / sct, a[tail], bounds=([-np.inf, 0.0], np.inf), method="bvls")
            b1_tail = float(rt.x[1] / sct[1])
        else:
            notes.append("red tail too short to measure the scattering background: "
                         "constant background assumed")
    else:
        win = np.ones(lam.size, bool)
        reach = float(E.max()) - e_pk
        fit_s = (reach > onset + 0.5) if fit_oscillator_scale == "auto" \
            else bool(fit_oscillator_scale)
        if not fit_s:
            notes.append("band-edge scale s held at 1 (spectrum does not reach 0.5 eV into "
                         "the bulk-like continuum): concentration relies on the single-band "
                         "oscillator strength")
    aw = a[win] - (b1_tail * u[win] if mode == "band_edge" else 0.0)

    def basis(d, disp, fs):
        disc, cont = model.components(d, disp)
        if mode == "band_edge":
            cols = [disc, cont, ones, ramp]
            lb = [0.0, 0.0, -np.inf, 0.0]
        elif fs:
            cols = [disc, cont, ones, u]
            lb = [0.0, 0.0, -np.inf, 0.0]
        else:
            cols = [disc + cont, ones, u]
            lb = [0.0, -np.inf, 0.0]
        B = np.column_stack(cols)
        n_eps = 2 if (mode == "band_edge" or fs) else 1
        B[:, :n_eps] *= path_cm
        return B, lb, disc, cont

    def linear(d, disp, fs):
        B, lb, disc, cont = basis(d, disp, fs)
        Bw = B[win]
        sc = np.maximum(np.abs(Bw).max(axis=0), 1e-300)
        r = lsq_linear(Bw / sc, aw, bounds=(lb, np.inf), method="bvls")
        coef = r.x / sc
        fitted = B @ coef + (b1_tail * u if mode == "band_edge" else 0.0)
        return coef, fitted, disc, cont

    th0 = np.array([d0, disp0])
    lb_t = [max(_D_MIN * 1.02, table.d_min_nm), _DISP_MIN]
    ub_t = [_D_MAX * 0.98, _DISP_MAX]

    def solve(fs):
        sol = least_squares(lambda th: linear(th[0], th[1], fs)[1][win] - a[win], th0,
                            bounds=(lb_t, ub_t), x_scale=[0.1 * d0, 2.0], diff_step=1e-4,
                            xtol=1e-10, ftol=1e-10)
        d, disp = map(float, sol.x)
        return (d, disp) + linear(d, disp, fs)

    d_fit, disp_fit, coef, mod, disc, cont = solve(fit_s)
    if mode == "full" and fit_s and not (coef[1] > 0 and 0.02 < coef[0] / coef[1] < 20.0):
        fit_s = False
        notes.append("band-edge scale could not be determined (no continuum signal): "
                     "held at 1")
        d_fit, disp_fit, coef, mod, disc, cont = solve(fit_s)
    # ---------------- concentration
    conc_unc_extra = 0.0
    if mode == "band_edge":
        bg = (float(coef[2]), b1_tail)
        e1_fit = float(np.interp(d_fit, table.grid_nm, table.data["energy_eV"][:, 0]))
        he = E > e1_fit + onset + 0.3
        a_disc = float(coef[0])
        if he.sum() >= 5 and np.any(cont[he] > 0):   # (no bulk constants: cont == 0)
            # concentration from the bulk-like continuum (Hens & Moreels 2012), with the
            # band-edge part and the background fixed:
            # A - a l eps_disc - b0 - b1 u = c l eps_cont
            # (i) background from the window fit (b0) and the red tail (b1)
            yy = a[he] - a_disc * path_cm * disc[he] - bg[0] - bg[1] * u[he]
            xx = path_cm * cont[he]
            conc = float(xx @ yy / (xx @ xx))
            res_c = yy - conc * xx
            conc_unc_extra = float(math.sqrt(float(res_c @ res_c) / max(he.sum() - 1, 1)
                                             / float(xx @ xx)))
            # (ii) c, b0, b1 jointly on the continuum and the red tail: better conditioned
            # for b1 (long lever arm); kept when its scattering is consistent with the tail
            reg = he | tail
            if tail.sum() >= 10:
                y2 = a[reg] - a_disc * path_cm * disc[reg]
                B2 = np.column_stack([path_cm * cont[reg], ones[reg], u[reg]])
                sc2 = np.abs(B2).max(axis=0)
                r2 = lsq_linear(B2 / sc2, y2, bounds=([0.0, -np.inf, 0.0], np.inf),
                                method="bvls")
                c2, b02, b12 = r2.x / sc2
                u_he = float(np.max(u[he]))
                if abs(b12 - bg[1]) * u_he <= 0.1 * conc * float(np.max(xx)) + 3 * pk.noise:
                    res2 = y2 - B2 @ (r2.x / sc2)
                    try:
                        cov2 = np.linalg.pinv((B2 / sc2).T @ (B2 / sc2)) * float(
                            res2 @ res2) / max(int(reg.sum()) - 3, 1)
                        conc_unc_extra = float(np.sqrt(max(cov2[0, 0], 0.0)) / sc2[0])
                    except np.linalg.LinAlgError:
                        pass
                    conc, bg = float(c2), (float(b02), float(b12))
                else:
                    notes.append("continuum and red tail disagree on the scattering "
                                  "background: the red-tail background is used")
            scale = a_disc / conc if conc > 0 else float("nan")
            fit_s_flag = True
            if conc <= 0:
                notes.append("no continuum absorption above the background: concentration "
                             "not determined")
        else:
            conc, scale, fit_s_flag = a_disc, 1.0, False
            notes.append("spectrum does not reach the bulk-like continuum (0.3 eV above the "
                         "continuum onset): concentration from the band edge with the "
                         "single-band oscillator strength (s = 1)")
    elif fit_s:
        conc, scale, bg = coef[1], coef[0] / coef[1], (float(coef[2]), float(coef[3]))
        fit_s_flag = True
    else:
        conc, scale, bg = coef[0], 1.0, (float(coef[1]), float(coef[2]))
        fit_s_flag = False
    # ---------------- covariance of (d, disp, linear coefficients) in the window
    B0 = basis(d_fit, disp_fit, fit_s)[0]
    p0 = np.concatenate([[d_fit, disp_fit], coef])

    def full(p):
        Bp = basis(p[0], p[1], fit_s)[0]
        return (Bp @ p[2:])[win] - aw

    r0 = full(p0)
    step = np.abs(p0) * 1e-4 + 1e-12
    step[0], step[1] = 1e-4 * d_fit, 1e-3 * max(disp_fit, 1.0)
    J = np.empty((r0.size, p0.size))
    for i in range(p0.size):
        if i >= 2:
            J[:, i] = B0[win, i - 2]
            continue
        pp, pm = p0.copy(), p0.copy()
        pp[i] += step[i]
        pm[i] -= step[i]
        J[:, i] = (full(pp) - full(pm)) / (2 * step[i])
    dof = max(r0.size - p0.size, 1)
    s2 = float(r0 @ r0) / dof
    sd = np.full(p0.size, np.nan)
    if np.all(np.isfinite(J)):
        cs = np.linalg.norm(J, axis=0)
        cs = np.where(cs > 0, cs, 1.0)
        Jn = J / cs
        try:
            sd = np.sqrt(np.clip(np.diag(np.linalg.pinv(Jn.T @ Jn) * s2), 0, None)) / cs
        except np.linalg.LinAlgError:
            notes.append("covariance could not be computed")
    d_unc, disp_unc = float(sd[0]), float(sd[1])
    if mode == "band_edge" and fit_s_flag:
        # continuum extinction ~ volume ~ d^3
        conc_unc = math.hypot(conc_unc_extra, 3.0 * conc * d_unc / d_fit)
    elif fit_s_flag:
        conc_unc = float(sd[3])
    else:
        conc_unc = float(sd[2])
    unc = {0: d_unc, 1: disp_unc, 2: conc_unc}
    ens_fit = model.ensemble(d_fit, disp_fit, scale if math.isfinite(scale) else 1.0)
    model_peak = ens_fit.first_peak_nm()
    if disp_fit >= _DISP_MAX * 0.99 or disp_fit <= _DISP_MIN * 1.01:
        notes.append(f"dispersion at the bound of the fit ({disp_fit:.1f} %): unreliable")
    fit_s = fit_s_flag
    r0_all = r0
    full_model = np.interp(x, lam, mod)
    return FitResult(
        material=str(material), label=label, path_cm=float(path_cm),
        peak_nm=float(pk.peak_nm), peak_uncertainty_nm=float(pk.peak_uncertainty_nm),
        diameter_nm=d_fit, diameter_uncertainty_nm=float(unc[0]),
        dispersion_pct=disp_fit, dispersion_uncertainty_pct=float(unc[1]),
        concentration_M=float(conc) if absolute else None,
        concentration_uncertainty_M=float(unc[2]) if absolute else None,
        model_peak_nm=float(model_peak), oscillator_scale=float(scale),
        oscillator_scale_fitted=bool(fit_s), background=bg, start=start,
        rms_residual=float(np.sqrt(np.mean(r0_all**2))), fit_range_nm=(float(lam[win][0]),
                                                                      float(lam[win][-1])),
        notes=tuple(notes) + tuple(pk.notes), wavelength_nm=x, absorbance=y,
        model_absorbance=np.where((x >= lam[win][0]) & (x <= lam[win][-1]), full_model, np.nan),
        mode=mode)


# ----------------------------------------------------------------- batch
_SPECTRUM_SUFFIXES = (".csv", ".txt", ".tsv", ".dat", ".asc", ".sp", ".xlsx", ".xlsm")


def _spectra_from(source):
    from qdlab.optics.spectrum_io import Spectrum, read_spectra

    if isinstance(source, (list, tuple)) and all(isinstance(s, Spectrum) for s in source):
        return [(s.label, s) for s in source]
    p = Path(source)
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.is_file()
                       and f.suffix.lower() in _SPECTRUM_SUFFIXES)
        if not files:
            raise QdlabInputError(f"no spectrum files ({'/'.join(_SPECTRUM_SUFFIXES)}) in {p}")
    elif p.is_file():
        files = [p]
    else:
        raise QdlabInputError(f"no such file or folder: {source}")
    out = []
    for f in files:
        # absorbance or transmittance (%T / T detected and converted to absorbance)
        try:
            specs = read_spectra(f, kind="absorption")
        except QdlabInputError as exc:
            if len(files) == 1:
                raise
            out.append((f.name, exc))     # one unreadable file of a folder: its own error
            continue
        for s in specs:
            name = f.name if len(specs) == 1 else f"{f.name}:{s.label}"
            out.append((name, s))
    return out


def fit_spectra(source, material, path_cm: float = 1.0, **kwargs) -> list:
    """Fit many spectra: a folder of files, one file with many columns, or Spectrum list.

    Returns a list with one :class:`FitResult` per spectrum, or a dict
    ``{"label": ..., "error": message}`` for spectra that could not be fitted (e.g. no
    excitonic peak).  The transition table is built once.

    Examples
    --------
    >>> import numpy as np
    >>> from qdlab.optics.spectrum_io import Spectrum
    >>> from qdlab.optics.ensemble import Ensemble, SizeDistribution
    >>> wl = np.arange(350.0, 700.0, 1.0)
    >>> specs = [Spectrum(wl, Ensemble("CdSe", SizeDistribution.normal(d, 6.0))
    ...                   .absorbance(wl, 1e-6), f"{d} nm", "absorbance", {})
    ...          for d in (3.0, 4.0)]
    >>> rows = results_table(fit_spectra(specs, "CdSe"))
    >>> [round(r["diameter_nm"], 2) for r in rows]
    [3.0, 4.0]
    """
    items = _spectra_from(source)
    kw = dict(kwargs)
    if kw.get("table") is None:
        kw["table"] = model_table(material, medium=kw.get("medium"),
                                  temperature=kw.get("temperature", 300.0))
    out = []
    for name, s in items:
        if isinstance(s, QdlabInputError):
            out.append({"label": name, "error": str(s)})
            continue
        if s.kind != "absorbance":
            out.append({"label": name, "error": f"{s.kind} spectrum, not absorption: only "
                                                "absorbance or %T spectra can be fitted"})
            continue
        try:
            out.append(fit_spectrum(s.wavelength_nm, s.y, material, path_cm, label=name, **kw))
        except (NoExcitonicPeakError, QdlabInputError) as exc:
            out.append({"label": name, "error": str(exc)})
    return out


_COLUMNS = ("label", "peak_nm", "peak_uncertainty_nm", "diameter_nm",
            "diameter_uncertainty_nm", "dispersion_pct", "dispersion_uncertainty_pct",
            "concentration_M", "concentration_uncertainty_M", "model_peak_nm",
            "oscillator_scale", "rms_residual", "error")


def results_table(results) -> list:
    """Flat rows (list of dicts with fixed columns) from :func:`fit_spectra` output."""
    rows = []
    for r in results:
        if isinstance(r, dict):
            row = dict.fromkeys(_COLUMNS)
            row.update(label=r.get("label"), error=r.get("error"))
        else:
            d = r.to_dict()
            row = {k: d.get(k) for k in _COLUMNS}
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
    cols = list(rows[0].keys()) if rows else list(_COLUMNS)
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
