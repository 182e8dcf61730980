"""Vectorised sizing of many absorption spectra: peak, size, dispersion, concentration.

Examples
--------
>>> import numpy as np
>>> wl = np.arange(400.0, 700.0, 1.0)
>>> A = 0.2 * np.exp(-0.5 * ((wl - np.array([[540.0], [582.0]])) / 10) ** 2)
>>> r = size_spectra_batch(wl, A, "CdSe")
>>> np.round(r.diameter_nm, 1).tolist()
[3.0, 4.0]
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, check_positive
from qdlab.optics.peaks import first_exciton_peaks, uniform_grid
from qdlab.sizing.curves import curves_for, get_curve, jasieniak_extinction_1s
from qdlab.sizing.estimate import RECOMMENDED
from qdlab.sizing.features import LINEAR_LIMIT_A, model_window_nm

__all__ = ["BatchSizeResult", "size_spectra_batch", "sizes_from_peaks"]


@dataclass(frozen=True)
class BatchSizeResult:
    """Per-spectrum arrays (length n_spectra); NaN only where ``found`` is False.

    Attributes
    ----------
    curve : str
        Sizing curve used.
    found : numpy.ndarray of bool
    peak_nm, peak_uncertainty_nm, hwhm_eV : numpy.ndarray
        First-exciton peak (nm), its uncertainty (nm), red HWHM (eV).
    diameter_nm : numpy.ndarray
        Mean diameter (nm).
    size_dispersion_pct : numpy.ndarray
        sigma_d / d in percent, sigma_d = sigma_E / |dE/dd| with sigma_E = HWHM /
        sqrt(2 ln 2) (Gaussian inhomogeneous broadening, homogeneous width neglected:
        an upper bound).
    extinction_M1cm1, concentration_M : numpy.ndarray
        Peak extinction (M^-1 cm^-1) and Beer-Lambert concentration (mol/L) from the
        background-subtracted peak absorbance (NaN for curves whose extinction is not
        at the peak, e.g. PbS at 400 nm, and where the peak absorbance is not > 0:
        never a negative concentration).
    in_range : numpy.ndarray of bool
    quality : numpy.ndarray of str, optional
        ``"good"``, ``"uncertain"`` or ``"no feature"`` (:func:`size_spectra_batch`):
        good needs a peak found inside the curve's calibrated range, reliability >= 0.5,
        a maximum (not a shoulder), and no saturated data within 30 nm to its blue.
    """

    curve: str
    found: np.ndarray
    peak_nm: np.ndarray
    peak_uncertainty_nm: np.ndarray
    hwhm_eV: np.ndarray
    diameter_nm: np.ndarray
    size_dispersion_pct: np.ndarray
    extinction_M1cm1: np.ndarray
    concentration_M: np.ndarray
    in_range: np.ndarray
    quality: np.ndarray | None = None


def size_spectra_batch(wavelength_nm, absorbance_2d, material: str, *, curve: str | None = None,
                       path_cm: float = 1.0, linear_limit: float = LINEAR_LIMIT_A,
                       **peak_kwargs) -> BatchSizeResult:
    """Size many absorption spectra on one wavelength grid in one vectorised pass.

    Parameters
    ----------
    wavelength_nm : array_like, shape (n,)
        Wavelengths in nm.
    absorbance_2d : array_like, shape (m, n)
        Absorbance spectra (rows).
    material : str
        Material, e.g. ``"CdSe"``.
    curve : str, optional
        Sizing curve name (default: the recommended one for the material).
    path_cm : float
        Path length in cm.
    linear_limit : float
        Absorbance above which data are saturated: the peak is searched only to the red
        of the last saturated point (+10 nm).
    **peak_kwargs
        Passed to :func:`qdlab.optics.peaks.first_exciton_peaks` (``search_range_nm``
        defaults to the curve's first-exciton window,
        :func:`qdlab.sizing.features.model_window_nm`).

    Raises
    ------
    QdlabInputError
        Mismatched shapes, or a wavelength grid that is non-finite, outside 150-5000 nm
        or duplicated. Rows with non-finite values or |A| > 10 are skipped
        (``found`` False, one warning); grids over 4000 points are binned first.

    Returns
    -------
    BatchSizeResult

    Notes
    -----
    d = d(lambda_peak) from the curve; sigma_d = sigma_E / |dE/dd| evaluated by central
    differences; c = A_peak / (eps l). Out-of-range spectra are flagged in ``in_range``
    and one QdlabValidityWarning summarises them.

    References
    ----------
    .. [1] Jasieniak et al., J. Phys. Chem. C 113, 19468-19474 (2009); bibliography
       ``jasieniak2009``.
    .. [2] Yu et al., Chem. Mater. 15, 2854-2860 (2003); bibliography ``yu2003``.
    .. [3] Moreels et al., ACS Nano 3, 3023-3030 (2009); bibliography ``moreels2009``.
    .. [4] Moreels et al., Chem. Mater. 19, 6101-6106 (2007); bibliography ``moreels2007``.
    """
    check_positive(path_cm, "path_cm", "cm")
    c = _pick_curve(material, curve)
    x, Y, good = _screen_batch(wavelength_nm, absorbance_2d)
    x, Y = uniform_grid(x, np.where(good[:, None], Y, 0.0))
    if peak_kwargs.get("search_range_nm") is None:
        # physically bounded search: the curve's calibrated first-exciton window
        peak_kwargs["search_range_nm"] = model_window_nm(c.material)[:2]
    m = Y.shape[0]
    mask, sat_edge = _saturation_mask(x, Y, linear_limit)
    nan = np.full(m, np.nan)
    found, peak, unc, hw, pa = np.zeros(m, bool), nan.copy(), nan.copy(), nan.copy(), nan.copy()
    rel, method = np.zeros(m), np.zeros(m, int)
    if good.any():
        pk = first_exciton_peaks(x, Y[good], mask=mask[good], **peak_kwargs)
        found[good], peak[good], unc[good] = pk.found, pk.peak_nm, pk.peak_uncertainty_nm
        hw[good], pa[good] = pk.hwhm_eV, pk.peak_absorbance
        rel[good], method[good] = pk.reliability, pk.method
    r = _size_peaks(c, found, peak, unc, hw, pa, path_cm)
    ok = (r.found & r.in_range & (rel >= 0.5) & (method == 1)
          & (r.peak_nm - sat_edge > 30.0))
    q = np.where(r.found, np.where(ok, "good", "uncertain"), "no feature")
    return replace(r, quality=q)


#: Spectra on a grid denser than this are averaged into this many bins before sizing.
MAX_BATCH_POINTS = 4000


def _screen_batch(wavelength_nm, absorbance_2d):
    """Input guard of :func:`size_spectra_batch`.

    The wavelength grid must be finite, in 150-5000 nm, without duplicates; spectra
    (rows) holding a non-finite value or |A| > 10 are skipped (``found`` False) with one
    warning; grids denser than MAX_BATCH_POINTS are averaged into equal-width bins.
    Returns (x ascending, Y on x, mask of usable rows).
    """
    from qdlab.optics.spectrum_io import MAX_ABS_ABSORBANCE, WAVELENGTH_RANGE_NM

    try:
        x = np.asarray(wavelength_nm, dtype=float)
        Y = np.asarray(absorbance_2d, dtype=float)
    except (TypeError, ValueError):
        raise QdlabInputError("wavelength_nm and absorbance_2d must be numeric arrays") from None
    if Y.ndim == 1:
        Y = Y[None, :]
    if x.ndim != 1 or Y.ndim != 2 or Y.shape[1] != x.size:
        raise QdlabInputError(f"absorbance_2d must have shape (n_spectra, {x.size}) to match "
                              f"wavelength_nm, got {np.shape(absorbance_2d)}")
    lo, hi = WAVELENGTH_RANGE_NM
    if not np.all(np.isfinite(x)) or x.min() < lo or x.max() > hi:
        bad = x[~(np.isfinite(x) & (x >= lo) & (x <= hi))][0]
        raise QdlabInputError(f"wavelength_nm must be finite and in {lo:g}-{hi:g} nm, got "
                              f"{bad:g}")
    order = np.argsort(x, kind="stable")
    x, Y = x[order], Y[:, order]
    if np.any(np.diff(x) <= 0):
        raise QdlabInputError("wavelength_nm has duplicated values")
    with np.errstate(invalid="ignore"):
        good = np.all(np.isfinite(Y) & (np.abs(Y) <= MAX_ABS_ABSORBANCE), axis=1)
    if not good.all():
        warnings.warn(f"{int((~good).sum())} of {good.size} spectra hold non-finite values or "
                      f"|A| > {MAX_ABS_ABSORBANCE:g} and were skipped (found = False)",
                      UserWarning, stacklevel=3)
    n = x.size
    # a uniform grid at the median step must stay small (the peak finder resamples to it)
    span_steps = (x[-1] - x[0]) / max(float(np.median(np.diff(x))), 1e-12) if n > 1 else 0
    if n > MAX_BATCH_POINTS or span_steps > 4 * MAX_BATCH_POINTS:
        edges = np.linspace(x[0], x[-1], MAX_BATCH_POINTS + 1)
        k = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, MAX_BATCH_POINTS - 1)
        starts = np.flatnonzero(np.r_[True, np.diff(k) > 0])
        cnt = np.diff(np.r_[starts, n])
        x = np.add.reduceat(x, starts) / cnt
        Yg = np.where(good[:, None], Y, 0.0)
        Y = np.add.reduceat(Yg, starts, axis=1) / cnt
        if x.size > 1:
            xu = np.linspace(x[0], x[-1], x.size)
            Y = np.array([np.interp(xu, x, row) for row in Y])
            x = xu
    return x, Y, good


def _saturation_mask(x, Y, linear_limit):
    """(m, n) mask without the saturated blue end (A > linear_limit, widened 10 nm) and
    the wavelength where it ends (-inf without saturation)."""
    sat = Y > linear_limit
    anys = sat.any(axis=1)
    last = Y.shape[1] - 1 - np.argmax(sat[:, ::-1], axis=1)
    edge = np.where(anys, x[last] + 10.0, -np.inf)
    return x[None, :] > edge[:, None], edge


def sizes_from_peaks(peak_nm, hwhm_eV, peak_absorbance, material: str, *,
                     curve: str | None = None, path_cm: float = 1.0,
                     peak_uncertainty_nm=None) -> BatchSizeResult:
    """Size, dispersion and concentration from already-measured first-exciton peaks.

    The sizing half of :func:`size_spectra_batch`, for peaks found elsewhere (another
    peak finder, a table): same formulas, same flags.

    Parameters
    ----------
    peak_nm : array_like
        First-exciton peak wavelengths, nm (NaN = not found).
    hwhm_eV : array_like
        Red-side half width at half maximum of the peak, eV.
    peak_absorbance : array_like
        Background-subtracted peak absorbance (dimensionless).
    material : str
        Material, e.g. ``"CdSe"``.
    curve : str, optional
        Sizing curve name (default: the recommended one for the material).
    path_cm : float
        Path length in cm.
    peak_uncertainty_nm : array_like, optional
        Peak uncertainty, nm (NaN if not given).

    Returns
    -------
    BatchSizeResult

    Notes
    -----
    d = d(lambda_peak); sigma_d / d = sigma_E / (|dE/dd| d) with sigma_E =
    HWHM_E / sqrt(2 ln 2); c = A_peak / (eps l) (mol/L).

    References
    ----------
    .. [1] Jasieniak et al., J. Phys. Chem. C 113, 19468-19474 (2009); bibliography
       ``jasieniak2009``.
    .. [2] Yu et al., Chem. Mater. 15, 2854-2860 (2003); bibliography ``yu2003``.
    .. [3] Moreels et al., ACS Nano 3, 3023-3030 (2009); bibliography ``moreels2009``.
    .. [4] Moreels et al., Chem. Mater. 19, 6101-6106 (2007); bibliography ``moreels2007``.

    Examples
    --------
    >>> r = sizes_from_peaks([540.0, 582.0], [0.05, 0.05], [0.2, 0.2], "CdSe")
    >>> np.round(r.diameter_nm, 1).tolist()
    [3.0, 4.0]
    """
    check_positive(path_cm, "path_cm", "cm")
    c = _pick_curve(material, curve)
    lam = np.atleast_1d(np.asarray(peak_nm, float))
    hw = np.broadcast_to(np.asarray(hwhm_eV, float), lam.shape)
    pa = np.broadcast_to(np.asarray(peak_absorbance, float), lam.shape)
    unc = (np.full(lam.shape, np.nan) if peak_uncertainty_nm is None
           else np.broadcast_to(np.asarray(peak_uncertainty_nm, float), lam.shape))
    found = np.isfinite(lam) & (lam > 0)
    return _size_peaks(c, found, lam, unc, hw, pa, path_cm)


def _pick_curve(material, curve):
    cands = curves_for(material)
    name = curve or RECOMMENDED.get(cands[0].material, (cands[0].name,))[0]
    c = get_curve(name)
    if c.material != cands[0].material:
        raise QdlabInputError(f"curve {name!r} is for {c.material}, not {material}")
    return c


def _size_peaks(c, found, peak_nm, peak_unc, hwhm_eV, peak_abs, path_cm):
    found = np.asarray(found, bool).copy()
    lam = np.where(found, peak_nm, 500.0 if c._d_of_lambda is not None else 1000.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            if c._d_of_lambda is not None:
                d = c._d_of_lambda(lam)
            else:
                d = c._d_of_e(HC_EV_NM / lam)
    ok = found & np.isfinite(d) & (d > 0)
    d = np.where(ok, d, np.nan)
    dd = 1e-3
    with np.errstate(all="ignore"):
        if c._dd_dlambda is not None:
            # dE/dd = (dE/dlambda) / (dd/dlambda)
            dEdd = (-HC_EV_NM / lam**2) / c._dd_dlambda(lam)
        else:
            dEdd = (c._e_of_d(d + dd) - c._e_of_d(d - dd)) / (2 * dd)
        sigma_e = hwhm_eV / np.sqrt(2 * np.log(2))
        disp = 100 * sigma_e / np.abs(dEdd) / d
    in_range = np.zeros(d.shape, bool)
    in_range[ok] = _in_range_vec(c, lam[ok], d[ok])
    if c.has_extinction and c.extinction_wavelength == "peak":
        dsafe = np.where(ok, d, 1.0)
        with np.errstate(all="ignore"):
            eps = np.asarray(c._eps(c, dsafe), float) if c.name != "Jasieniak2009-CdSe" else (
                jasieniak_extinction_1s(HC_EV_NM / lam))
        eps = np.where(ok, eps, np.nan)
        with np.errstate(all="ignore"):
            conc = peak_abs / (eps * path_cm)
        # never a negative or non-finite concentration: NaN (not determined) instead
        nonpos = ok & ~(np.isfinite(conc) & (conc > 0))
        if nonpos.any():
            warnings.warn(f"{int(nonpos.sum())} of {d.size} spectra have a non-positive peak "
                          "absorbance above the background: concentration not determined "
                          "(NaN); check the baseline and that the data are absorbance, not "
                          "%T", UserWarning, stacklevel=4)
        conc = np.where(nonpos, np.nan, conc)
    else:
        eps = np.full(d.shape, np.nan)
        conc = np.full(d.shape, np.nan)
    nout = int((ok & ~in_range).sum())
    if nout:
        from qdlab.errors import warn_validity
        warn_validity(f"{c.name}: {nout} of {d.size} spectra are outside the calibrated range "
                      f"{c.calibrated_range}", stacklevel=4)
    return BatchSizeResult(curve=c.name, found=ok, peak_nm=np.where(ok, peak_nm, np.nan),
                           peak_uncertainty_nm=np.where(ok, peak_unc, np.nan),
                           hwhm_eV=np.where(ok, hwhm_eV, np.nan), diameter_nm=d,
                           size_dispersion_pct=np.where(ok, disp, np.nan),
                           extinction_M1cm1=eps, concentration_M=conc, in_range=in_range)


def _in_range_vec(c, lam, d):
    ok = np.ones(lam.shape, bool)
    if c.calibrated_peak_nm is not None:
        ok &= (lam >= c.calibrated_peak_nm[0]) & (lam <= c.calibrated_peak_nm[1])
    if c.calibrated_diameter_nm is not None:
        ok &= (d >= c.calibrated_diameter_nm[0]) & (d <= c.calibrated_diameter_nm[1])
    return ok
