r"""The ensemble-model stages of :func:`qdlab.sizing.fit.fit_spectrum`.

Split out of ``fit_spectrum`` (issue 11): start values from the measured peak
(:func:`start_values`), the scattering background of the red tail
(:func:`red_tail_background`), variable projection over (diameter, dispersion)
(:func:`project_fit`), the concentration from the bulk-like continuum
(:func:`continuum_concentration`) and the covariance (:func:`uncertainties`).  The
equations are in the module notes of :mod:`qdlab.sizing.fit`.

References
----------
.. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012).
.. [2] G. H. Golub and V. Pereyra, Inverse Problems 19, R1 (2003) (variable projection).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares, lsq_linear

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError

__all__ = ["ProjectedFit", "conc_uncertainty", "continuum_concentration", "curve_extras",
           "fit_window", "project_fit", "red_tail_background", "stage2", "start_values",
           "uncertainties"]

D_MIN, D_MAX = 1.4, 13.0
DISP_MIN, DISP_MAX = 1.0, 30.0
_SQ2LN2 = math.sqrt(2.0 * math.log(2.0))
#: Bin width (nm) of dense CCD grids for the model fit.
FIT_STEP_NM = 1.0


def start_values(model, table, e_pk: float, hwhm_eV: float, temperature: float):
    r"""Diameter (nm) and dispersion (%) whose ensemble peak and width match the data.

    Notes
    -----
    :math:`\bar d` with the ensemble first peak at the measured :math:`E_{pk}` (two
    corrections of :math:`E_1(d)` for the ensemble offset);
    :math:`\sigma_E = \sqrt{\mathrm{HWHM}^2 - (\Gamma/2)^2}/\sqrt{2\ln 2}`,
    :math:`\delta = \sigma_E/(\bar d\,|dE_1/dd|)`.
    """
    gam = model.ensemble(4.0, 5.0).homogeneous(temperature)
    grid, e1g = table.grid_nm, table.data["energy_eV"][:, 0]
    d0 = table.diameter_for_energy(e_pk)
    for _ in range(2):  # correct for the offset between the ensemble peak and E1(d)
        e_model = HC_EV_NM / model.ensemble(d0, 5.0).first_peak_nm()
        e1_d0 = float(np.interp(d0, grid, e1g))
        d0 = float(np.clip(table.diameter_for_energy(e1_d0 + (e_pk - e_model)),
                           D_MIN * 1.05, D_MAX * 0.95))
    de_dd = abs(float(np.gradient(e1g, grid)[int(np.argmin(abs(grid - d0)))]))
    hw = hwhm_eV if math.isfinite(hwhm_eV) else 0.06
    sig_e = math.sqrt(max(hw * hw - (0.5 * gam) ** 2, (0.3 * hw) ** 2)) / _SQ2LN2
    disp0 = float(np.clip(100.0 * sig_e / (de_dd * d0), DISP_MIN + 0.5, 25.0))
    return d0, disp0


def red_tail_background(lam, a, u, tail):
    r"""Scattering slope :math:`b_1` of :math:`b_0 + b_1 (\lambda/\lambda_1)^{-4}` on the
    transparent red tail (bounded :math:`b_1 \ge 0`); 0 with fewer than 10 points."""
    if tail.sum() < 10:
        return 0.0
    Bt = np.column_stack([np.ones(int(tail.sum())), u[tail]])
    sct = np.abs(Bt).max(axis=0)
    rt = lsq_linear(Bt / sct, a[tail], bounds=([-np.inf, 0.0], np.inf), method="bvls")
    return float(rt.x[1] / sct[1])


@dataclass
class ProjectedFit:
    """Variable-projection problem on the window ``win`` (see :func:`project_fit`)."""

    model: object
    lam: np.ndarray
    a: np.ndarray
    win: np.ndarray
    mode: str
    path_cm: float
    e_pk: float
    u: np.ndarray
    b1_tail: float = 0.0

    def basis(self, d, disp, fs):
        """Design matrix of the linear amplitudes at (d, disp); lower bounds."""
        disc, cont = self.model.components(d, disp)
        ones = np.ones_like(self.lam)
        if self.mode == "band_edge":
            ramp = np.maximum(HC_EV_NM / self.lam - self.e_pk, 0.0)
            cols, lb = [disc, cont, ones, ramp], [0.0, 0.0, -np.inf, 0.0]
        elif fs:
            cols, lb = [disc, cont, ones, self.u], [0.0, 0.0, -np.inf, 0.0]
        else:
            cols, lb = [disc + cont, ones, self.u], [0.0, -np.inf, 0.0]
        B = np.column_stack(cols)
        n_eps = 2 if (self.mode == "band_edge" or fs) else 1
        B[:, :n_eps] *= self.path_cm
        return B, lb, disc, cont

    @property
    def aw(self):
        extra = self.b1_tail * self.u[self.win] if self.mode == "band_edge" else 0.0
        return self.a[self.win] - extra

    def linear(self, d, disp, fs):
        """Bounded linear least squares of the amplitudes at fixed (d, disp)."""
        B, lb, disc, cont = self.basis(d, disp, fs)
        Bw = B[self.win]
        sc = np.maximum(np.abs(Bw).max(axis=0), 1e-300)
        r = lsq_linear(Bw / sc, self.aw, bounds=(lb, np.inf), method="bvls")
        coef = r.x / sc
        fitted = B @ coef + (self.b1_tail * self.u if self.mode == "band_edge" else 0.0)
        return coef, fitted, disc, cont


def project_fit(pf: ProjectedFit, d0: float, disp0: float, fs: bool, d_lo: float):
    r"""Least squares over (d, disp) with the amplitudes projected out.

    Returns (d, disp, coef, model absorbance, disc, cont).
    """
    lb_t = [max(D_MIN * 1.02, d_lo), DISP_MIN]
    ub_t = [D_MAX * 0.98, DISP_MAX]
    win = pf.win
    sol = least_squares(lambda th: pf.linear(th[0], th[1], fs)[1][win] - pf.a[win],
                        np.array([d0, disp0]), bounds=(lb_t, ub_t),
                        x_scale=[0.1 * d0, 2.0], diff_step=1e-4, xtol=1e-10, ftol=1e-10)
    d, disp = map(float, sol.x)
    return (d, disp) + pf.linear(d, disp, fs)


def continuum_concentration(pf: ProjectedFit, coef, disc, cont, he, tail, bg, noise):
    r"""Concentration from the bulk-like continuum with the band-edge part fixed.

    Returns
    -------
    (conc, bg, extra, notes) : tuple
        Concentration (mol/L), background coefficients, extra concentration
        uncertainty (mol/L) and notes (list of str).

    Notes
    -----
    :math:`A - a\,l\,\epsilon_{disc} - b_0 - b_1 u = c\,l\,\epsilon_{cont}` on ``he``
    (0.3 eV above the continuum onset); then :math:`c, b_0, b_1` jointly on the
    continuum and the red tail, kept when the scattering agrees with the tail's.
    Far above the band edge the absorption of a nanocrystal is bulk-like and scales
    with its volume (the basis of the 400 nm extinction of Moreels et al. 2009), which
    makes the continuum the robust measure of concentration.

    References
    ----------
    .. [1] Moreels et al., ACS Nano 3, 3023-3030 (2009); bibliography ``moreels2009``.
    """
    a, u, path_cm = pf.a, pf.u, pf.path_cm
    notes = []
    a_disc = float(coef[0])
    yy = a[he] - a_disc * path_cm * disc[he] - bg[0] - bg[1] * u[he]
    xx = path_cm * cont[he]
    conc = float(xx @ yy / (xx @ xx))
    res_c = yy - conc * xx
    unc = float(math.sqrt(float(res_c @ res_c) / max(he.sum() - 1, 1) / float(xx @ xx)))
    if tail.sum() >= 10:
        reg = he | tail
        y2 = a[reg] - a_disc * path_cm * disc[reg]
        B2 = np.column_stack([path_cm * cont[reg], np.ones(int(reg.sum())), u[reg]])
        sc2 = np.abs(B2).max(axis=0)
        r2 = lsq_linear(B2 / sc2, y2, bounds=([0.0, -np.inf, 0.0], np.inf), method="bvls")
        c2, b02, b12 = r2.x / sc2
        if abs(b12 - bg[1]) * float(np.max(u[he])) <= 0.1 * conc * float(np.max(xx)) \
                + 3 * noise:
            res2 = y2 - B2 @ (r2.x / sc2)
            try:
                cov2 = np.linalg.pinv((B2 / sc2).T @ (B2 / sc2)) * float(
                    res2 @ res2) / max(int(reg.sum()) - 3, 1)
                unc = float(np.sqrt(max(cov2[0, 0], 0.0)) / sc2[0])
            except np.linalg.LinAlgError:
                pass
            conc, bg = float(c2), (float(b02), float(b12))
        else:
            notes.append("continuum and red tail disagree on the scattering background: the "
                         "red-tail background is used")
    if conc <= 0:
        notes.append("no continuum absorption above the background: concentration not "
                     "determined")
    return conc, bg, unc, notes


def uncertainties(pf: ProjectedFit, d_fit, disp_fit, coef, fs):
    r"""1-sigma of (d, disp, amplitudes) from :math:`s^2 (J^TJ)^{-1}` of the joint
    linearisation (central differences in d and disp, analytic in the amplitudes).

    Returns (sd array, residual vector in the window).
    """
    win = pf.win
    B0 = pf.basis(d_fit, disp_fit, fs)[0]
    p0 = np.concatenate([[d_fit, disp_fit], coef])
    aw = pf.aw

    def full(p):
        return (pf.basis(p[0], p[1], fs)[0] @ p[2:])[win] - aw

    r0 = full(p0)
    step = [1e-4 * d_fit, 1e-3 * max(disp_fit, 1.0)]
    J = np.empty((r0.size, p0.size))
    J[:, 2:] = B0[win]
    for i in range(2):
        pp, pm = p0.copy(), p0.copy()
        pp[i] += step[i]
        pm[i] -= step[i]
        J[:, i] = (full(pp) - full(pm)) / (2 * step[i])
    s2 = float(r0 @ r0) / max(r0.size - p0.size, 1)
    sd = np.full(p0.size, np.nan)
    if np.all(np.isfinite(J)):
        cs = np.linalg.norm(J, axis=0)
        cs = np.where(cs > 0, cs, 1.0)
        Jn = J / cs
        try:
            sd = np.sqrt(np.clip(np.diag(np.linalg.pinv(Jn.T @ Jn) * s2), 0, None)) / cs
        except np.linalg.LinAlgError:
            pass
    return sd, r0


def check_window(win, window_eV):
    if win.sum() < 15:
        raise QdlabInputError(f"fewer than 15 points between the red end and {window_eV} eV "
                              "above the first-exciton peak")


def fit_window(x, y, search, fit_range_nm):
    if fit_range_nm is None:
        lo, hi = max(search.span_nm[0], 300.0), search.span_nm[1]
    else:
        lo, hi = float(fit_range_nm[0]), float(fit_range_nm[1])
    m = (x >= lo) & (x <= hi)
    if m.sum() < 20:
        raise QdlabInputError(f"fit_range_nm {fit_range_nm} holds fewer than 20 points")
    lam, a = x[m], y[m]
    if float(np.median(np.diff(lam))) < 0.5 * FIT_STEP_NM and lam.size > 400:
        # dense CCD grids (0.2 nm): average into bins of FIT_STEP_NM, far below the
        # narrowest ensemble feature (a homogeneous width of ~20 nm); 5x faster fits
        edges = np.arange(lam[0], lam[-1] + FIT_STEP_NM, FIT_STEP_NM)
        cnt, _ = np.histogram(lam, edges)
        sx, _ = np.histogram(lam, edges, weights=lam)
        sy, _ = np.histogram(lam, edges, weights=a)
        ok = cnt > 0
        lam, a = sx[ok] / cnt[ok], sy[ok] / cnt[ok]
    return lam, a


def stage2(pf, model, table, pk, d0, disp0, mode, window_eV, fit_oscillator_scale, notes):
    """Variable projection and concentration; returns a dict of the fitted values."""
    lam, a = pf.lam, pf.a
    E = HC_EV_NM / lam
    e_pk = pf.e_pk
    onset = model.ensemble(d0, disp0).continuum_onset_eV
    hw = pk.hwhm_eV if math.isfinite(pk.hwhm_eV) else 0.06
    tail = E < e_pk - max(3.0 * hw, 0.12)
    if mode == "band_edge":
        pf.win = E <= e_pk + window_eV
        check_window(pf.win, window_eV)
        if tail.sum() < 10:
            notes.append("red tail too short to measure the scattering background: "
                         "constant background assumed")
        pf.b1_tail = red_tail_background(lam, a, pf.u, tail)
        fit_s = True
    else:
        pf.win = np.ones(lam.size, bool)
        reach = float(E.max()) - e_pk
        fit_s = (reach > onset + 0.5) if fit_oscillator_scale == "auto" \
            else bool(fit_oscillator_scale)
        if not fit_s:
            notes.append("band-edge scale s held at 1 (spectrum does not reach 0.5 eV into "
                         "the bulk-like continuum): concentration relies on the single-band "
                         "oscillator strength")
    d, disp, coef, mod, disc, cont = project_fit(pf, d0, disp0, fit_s, table.d_min_nm)
    if mode == "full" and fit_s and not (coef[1] > 0 and 0.02 < coef[0] / coef[1] < 20.0):
        fit_s = False
        notes.append("band-edge scale could not be determined (no continuum signal): "
                     "held at 1")
        d, disp, coef, mod, disc, cont = project_fit(pf, d0, disp0, fit_s, table.d_min_nm)
    out = {"d": d, "disp": disp, "coef": coef, "mod": mod, "fit_s": fit_s, "extra": 0.0}
    if mode == "band_edge":
        bg = (float(coef[2]), pf.b1_tail)
        e1_fit = float(np.interp(d, table.grid_nm, table.data["energy_eV"][:, 0]))
        he = E > e1_fit + onset + 0.3
        if he.sum() >= 5 and np.any(cont[he] > 0):   # (no bulk constants: cont == 0)
            conc, bg, extra, nts = continuum_concentration(pf, coef, disc, cont, he, tail,
                                                           bg, pk.noise)
            notes.extend(nts)
            out.update(conc=conc, scale=float(coef[0]) / conc if conc > 0 else float("nan"),
                       bg=bg, extra=extra, scale_fitted=True)
        else:
            notes.append("spectrum does not reach the bulk-like continuum (0.3 eV above the "
                         "continuum onset): concentration from the band edge with the "
                         "single-band oscillator strength (s = 1)")
            out.update(conc=float(coef[0]), scale=1.0, bg=bg, scale_fitted=False)
    elif fit_s:
        out.update(conc=coef[1], scale=coef[0] / coef[1], bg=(float(coef[2]), float(coef[3])),
                   scale_fitted=True)
    else:
        out.update(conc=coef[0], scale=1.0, bg=(float(coef[1]), float(coef[2])),
                   scale_fitted=False)
    return out


def conc_uncertainty(mode, f, sd, d_unc):
    if mode == "band_edge" and f["scale_fitted"]:
        # continuum extinction ~ volume ~ d^3
        return math.hypot(f["extra"], 3.0 * f["conc"] * d_unc / f["d"])
    return float(sd[3]) if f["scale_fitted"] else float(sd[2])


def curve_extras(material, pk, path_cm, absolute, x, y):
    """Published-curve size, dispersion, concentration (the ``start`` extras)."""
    from qdlab.sizing import size_from_peak

    a_peak = float(pk.raw_absorbance - pk.background[0] - pk.background[1])
    out = {"peak_absorbance": a_peak, "hwhm_eV": pk.hwhm_eV}
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sr = size_from_peak(material, pk.peak_nm,
                                absorbance=max(a_peak, 1e-6) if absolute else None,
                                path_cm=path_cm,
                                hwhm_eV=pk.hwhm_eV if math.isfinite(pk.hwhm_eV) else None)
        best = sr.best
        if absolute and best.extinction_wavelength_nm not in (None, pk.peak_nm) and \
                x[0] <= best.extinction_wavelength_nm <= x[-1]:
            a_ext = float(np.interp(best.extinction_wavelength_nm, x, y) - pk.background[0])
            conc = max(a_ext, 0.0) / (best.extinction_M1cm1 * path_cm)
        else:
            conc = sr.concentration_M if absolute else None
        out.update(sizing_curve=best.name, sizing_curve_diameter_nm=sr.diameter_nm,
                   sizing_curve_concentration_M=conc,
                   sizing_curve_in_range=not caught)
        from qdlab.sizing.batch import sizes_from_peaks

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            b = sizes_from_peaks([pk.peak_nm], [pk.hwhm_eV], [max(a_peak, 1e-6)], material,
                                 curve=best.name, path_cm=path_cm)
        out["sizing_curve_dispersion_pct"] = float(b.size_dispersion_pct[0])
    except (QdlabInputError, ValueError):
        out["sizing_curve"] = None
    # a number that cannot be given says why (to_dict turns NaN into None)
    if not math.isfinite(pk.hwhm_eV):
        out["hwhm_eV_reason"] = "the peak width could not be measured (no half maximum)"
    disp = out.get("sizing_curve_dispersion_pct")
    if out.get("sizing_curve") is not None and not (disp is not None and math.isfinite(disp)):
        out["sizing_curve_dispersion_pct_reason"] = (
            "the sizing-curve dispersion needs the peak width, which could not be measured"
            if not math.isfinite(pk.hwhm_eV) else "the peak width gives no dispersion")
    if out.get("sizing_curve") is not None and out.get("sizing_curve_concentration_M") is None:
        out["sizing_curve_concentration_M_reason"] = (
            "relative absorbance scale (absolute=False)" if not absolute
            else "the sizing curve gives no extinction coefficient here")
    return out
