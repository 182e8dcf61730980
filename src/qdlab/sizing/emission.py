r"""Photoluminescence (PL) spectra: peak, FWHM, size and size dispersion, Stokes shift.

:func:`fit_emission` sizes dots from one PL spectrum through the forward model: the
ensemble emission (:meth:`qdlab.optics.ensemble.Ensemble.emission`, with the
size-dependent Stokes shift of :mod:`qdlab.optics.stokes` where the material has one)
is matched to the measured peak (mean diameter) and FWHM (size dispersion).
:func:`joint_estimate` combines an absorption fit and a PL fit of the same sample:
measured Stokes shift, the model's shift at the fitted size, and the inverse-variance
mean diameter.  :func:`looks_like_emission` recognises PL data.

Notes
-----
Peak: Gaussian in energy (parabola of :math:`\ln I`) within 0.05 eV of the smoothed
maximum; FWHM from the half-maximum crossings (linear interpolation) above the baseline
(median of the lowest 10 % of the spectrum).  Size: :math:`\bar d` solves
:math:`\lambda_{PL}^{model}(\bar d, \delta) = \lambda_{PL}`, then :math:`\delta` solves
:math:`\mathrm{FWHM}^{model}(\bar d, \delta) = \mathrm{FWHM}` (two alternations).  PL
broadening holds the homogeneous line too, so a FWHM below the model's homogeneous
width gives the lower bound of the dispersion (reason given).

References
----------
.. [1] A. L. Efros et al., Phys. Rev. B 54, 4843 (1996) (band-edge exciton, Stokes shift).
.. [2] J. Jasieniak et al., J. Phys. Chem. C 113, 19468 (2009).

Examples
--------
>>> import numpy as np
>>> from qdlab.optics.ensemble import Ensemble, SizeDistribution
>>> lam = np.arange(450.0, 750.0, 1.0)
>>> ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 6.0), stokes_shift_eV="model")
>>> y = ens.emission(lam)
>>> r = fit_emission(lam, 1e4 * y / y.max(), "CdSe")
>>> round(r.diameter_nm, 1), r.quality
(4.0, 'good')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import brentq

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError
from qdlab.optics.peaks import _odd, _savgol, _uniform
from qdlab.sizing.quality import GOOD, NO_FEATURE, UNCERTAIN, null_reasons, warn_uncertain

__all__ = ["EmissionResult", "fit_emission", "joint_estimate", "looks_like_emission"]

_D_LO, _D_HI = 1.5, 12.5
_DISP_LO, _DISP_HI = 1.0, 30.0


@dataclass(frozen=True)
class EmissionResult:
    """Result of :func:`fit_emission` (nm, %, eV); numbers are None without a feature."""

    material: str
    label: str
    peak_nm: float | None
    peak_uncertainty_nm: float | None
    fwhm_nm: float | None
    diameter_nm: float | None
    dispersion_pct: float | None
    stokes_shift_eV: float | None
    absorption_peak_nm: float | None
    quality: str
    reasons: tuple = ()
    notes: tuple = ()
    kind: str = "pl"
    wavelength_nm: np.ndarray = field(default=None, repr=False)
    intensity: np.ndarray = field(default=None, repr=False)

    def to_dict(self) -> dict:
        """JSON-ready dict (NaN -> None; a ``<name>_reason`` for every None number)."""
        out = {}
        for k in ("peak_nm", "diameter_nm", "dispersion_pct", "quality", "reasons",
                  "fwhm_nm", "peak_uncertainty_nm", "stokes_shift_eV",
                  "absorption_peak_nm", "material", "label", "kind", "notes"):
            v = getattr(self, k)
            if isinstance(v, float) and not math.isfinite(v):
                v = None
            out[k] = list(v) if isinstance(v, tuple) else v
        out.update(null_reasons(out))   # a None number always says why
        return out


def _pl_features(x, y):
    """Smoothed maximum, Gaussian-refined peak, FWHM and noise on a uniform grid."""
    dx = float(x[1] - x[0])
    w = _odd(5.0 / dx)
    if w >= x.size:
        w = _odd(x.size // 2 - 1, lo=3)
    S = _savgol(y[None, :], w, 2)[0]
    noise = 1.4826 * float(np.median(np.abs(y - S)))
    base = float(np.median(np.sort(S)[: max(x.size // 10, 3)]))
    z = S - base
    i = int(np.argmax(z))
    edge_max = None
    k = max(3, x.size // 50)
    if i < k or i >= x.size - k:
        # a maximum at the end of the data is the tail of something outside it (the
        # excitation line or its filter edge, a second emitter): an interior band with a
        # clear valley towards that edge is the emission band
        from scipy.signal import find_peaks

        pk, prop = find_peaks(z, prominence=10.0 * max(noise, 1e-12 * abs(float(z[i]))))
        # interior, and a band of its own (a quarter of the edge height at least), not a
        # Raman line or a ripple on the flank of a band cut by the end of the data
        inner = (pk >= k) & (pk < x.size - k) & (z[pk] >= 0.25 * z[i])
        if inner.any():
            edge_max = float(x[i])
            i = int(pk[inner][np.argmax(z[pk[inner]])])
    height = float(z[i])
    e = HC_EV_NM / x
    sel = (np.abs(e - e[i]) < 0.05) & (z > 0.5 * height)
    peak = float(x[i])
    if sel.sum() >= 5:
        c = np.polyfit(e[sel] - e[i], np.log(np.maximum(z[sel], 1e-12 * height)), 2)
        if c[0] < 0 and abs(c[1] / (2 * c[0])) < 0.05:
            peak = float(HC_EV_NM / (e[i] - c[1] / (2 * c[0])))
    half = 0.5 * height
    left = np.flatnonzero(z[:i] < half)
    right = np.flatnonzero(z[i:] < half)
    fwhm, edges = float("nan"), []
    if left.size:
        a = left[-1]
        xl = x[a] + (half - z[a]) / (z[a + 1] - z[a]) * dx
    else:
        edges.append("blue")
    if right.size:
        b = i + right[0]
        xr = x[b - 1] + (half - z[b - 1]) / (z[b] - z[b - 1]) * dx
    else:
        edges.append("red")
    if not edges:
        fwhm = float(xr - xl)
    return {"peak": peak, "height": height, "noise": max(noise, 1e-12 * max(height, 1.0)),
            "fwhm": fwhm, "open": edges, "S": S, "base": base, "edge_max": edge_max}


def looks_like_emission(wavelength_nm, y) -> bool:
    """True when a spectrum looks like PL: one band on a flat baseline near zero.

    Notes
    -----
    PL: the half-maximum is crossed on both sides of the maximum and both ends of the
    spectrum are below 25 % of it (above the baseline); an absorbance spectrum rises to
    the blue instead.

    Examples
    --------
    >>> x = np.arange(450.0, 750.0, 1.0)
    >>> looks_like_emission(x, np.exp(-0.5 * ((x - 600) / 15) ** 2))
    True
    >>> looks_like_emission(x, np.exp(-(x - 450) / 80))
    False
    """
    x, Y = _uniform(wavelength_nm, y)
    f = _pl_features(x, Y[0])
    z = f["S"] - f["base"]
    n = max(x.size // 20, 2)
    return (not f["open"]) and float(z[:n].mean()) < 0.25 * f["height"] and \
        float(z[-n:].mean()) < 0.25 * f["height"]


def _model(material, table, temperature, medium):
    from qdlab.optics.ensemble import Ensemble, SizeDistribution
    from qdlab.structures import Medium

    med = medium if medium is not None else Medium()

    def ens(d, disp):
        return Ensemble(material, SizeDistribution.normal(d, disp), medium=med,
                        temperature=temperature, table=table, stokes_shift_eV="model")

    try:
        ens(4.0, 5.0).emission_peak_nm()
    except QdlabInputError:
        def ens(d, disp):  # noqa: F811 - no per-size Stokes constants for this material
            return Ensemble(material, SizeDistribution.normal(d, disp), medium=med,
                            temperature=temperature, table=table)
    return ens


def _solve_size(ens, peak_nm, fwhm_nm, notes):
    """Alternate d (from the peak) and dispersion (from the FWHM)."""
    disp = 6.0
    lo_pk, hi_pk = ens(_D_LO, disp).emission_peak_nm(), ens(_D_HI, disp).emission_peak_nm()
    if not lo_pk < peak_nm < hi_pk:
        return None, None, (f"PL peak {peak_nm:.1f} nm outside the model's emission range "
                            f"{lo_pk:.0f}-{hi_pk:.0f} nm")
    d = 4.0
    for _ in range(2):
        d = brentq(lambda dd, s=disp: ens(dd, s).emission_peak_nm() - peak_nm, _D_LO, _D_HI,
                   xtol=1e-4)
        if not math.isfinite(fwhm_nm):
            break
        f_lo = ens(d, _DISP_LO).emission_fwhm_nm()
        f_hi = ens(d, _DISP_HI).emission_fwhm_nm()
        if fwhm_nm <= f_lo:
            disp = _DISP_LO
            notes.append(f"FWHM {fwhm_nm:.1f} nm at or below the homogeneous width: dispersion"
                         f" is a lower bound ({_DISP_LO:g} %)")
        elif fwhm_nm >= f_hi:
            disp = _DISP_HI
        else:
            disp = brentq(lambda s, dd=d: ens(dd, s).emission_fwhm_nm() - fwhm_nm,
                          _DISP_LO, _DISP_HI, xtol=1e-3)
    return d, disp, None


#: Data closer than this to the red of a known excitation line are not emission (nm).
EXCITATION_GUARD_NM = 15.0


def fit_emission(wavelength_nm, intensity, material, *, table=None, temperature: float = 300.0,
                 medium=None, label: str = "", warn: bool = True,
                 excitation_nm: float | None = None) -> EmissionResult:
    """PL peak, FWHM, mean diameter and size dispersion from one emission spectrum.

    Parameters
    ----------
    wavelength_nm : array_like
        Wavelengths, nm.
    intensity : array_like
        PL intensity (any unit, per nm).
    material : str
        Core material (forward optics needed for the size).
    table : TransitionTable, optional
        Precomputed :func:`qdlab.sizing.fit.model_table`.
    temperature : float
        K.
    medium : Medium, optional
    label : str
    warn : bool
        Warn (:class:`~qdlab.sizing.quality.FitQualityWarning`) for ``uncertain``.
    excitation_nm : float, optional
        Excitation (laser) wavelength, nm, when the file states it (e.g. a Horiba LabSpec
        ``#Laser (nm)=`` header).  Emission lies to the red of it (Stokes): data below
        ``excitation_nm + EXCITATION_GUARD_NM`` (the line and its scatter) are not used,
        with a note.

    Returns
    -------
    EmissionResult
        ``good`` when the band is > 20 sigma, both half maxima are inside the data, the
        size is not at a model bound and the model's FWHM reproduces the measured one
        within 10 %; ``no feature`` (no numbers) when no band stands 10 sigma above the
        noise.

    References
    ----------
    .. [1] Efros et al., Phys. Rev. B 54, 4843-4856 (1996); bibliography ``efros1996``.
    .. [2] Jasieniak et al., J. Phys. Chem. C 113, 19468-19474 (2009); bibliography
       ``jasieniak2009``.
    .. [3] Valerini et al., Phys. Rev. B 71, 235409 (2005); bibliography ``valerini2005``.
    """
    from qdlab.sizing.fit import _table_or_reason
    from qdlab.structures import Medium

    reasons, notes = [], []
    wl = np.asarray(wavelength_nm, dtype=float)
    if excitation_nm is not None and math.isfinite(excitation_nm):
        cut = float(excitation_nm) + EXCITATION_GUARD_NM
        keep = wl >= cut
        if keep.sum() >= 15 and (~keep).any():
            notes.append(f"data below {cut:.0f} nm (the {excitation_nm:g} nm excitation line "
                         f"and its scatter, + {EXCITATION_GUARD_NM:g} nm) not used")
            wl, intensity = wl[keep], np.asarray(intensity, dtype=float)[keep]
    x, Y = _uniform(wl, intensity)
    y = Y[0]
    f = _pl_features(x, y)
    z = f["height"] / f["noise"]
    if not z >= 10.0:
        return EmissionResult(str(material), label, None, None, None, None, None, None,
                              None, NO_FEATURE, (f"no emission band above 10 sigma (best "
                                                 f"{z:.1f} sigma)",), (), "pl", x, y)
    if z < 20.0:
        reasons.append(f"weak emission band: {z:.0f} sigma (good needs 20)")
    if f["open"]:
        reasons.append(f"the spectrum ends before the {' and '.join(f['open'])} half "
                       "maximum: FWHM not measured")
    if f["edge_max"] is not None:
        notes.append(f"the intensity rising to the {f['edge_max']:.1f} nm end of the data is "
                     "the tail of light outside it (excitation line, filter edge): took the "
                     f"band at {f['peak']:.1f} nm")
    dx = float(x[1] - x[0])
    unc = math.hypot(dx / math.sqrt(12.0), (f["fwhm"] if math.isfinite(f["fwhm"]) else 30.0)
                     / (2.355 * math.sqrt(max(z, 1.0))))
    tab, no_optics = _table_or_reason(material, table,
                                      medium if medium is not None else Medium(), temperature)
    d = disp = shift = abs_pk = None
    if not no_optics:
        ens = _model(material, tab, temperature, medium)
        lo_pk = ens(_D_LO, 6.0).emission_peak_nm()
        hi_pk = ens(_D_HI, 6.0).emission_peak_nm()
        inside = (x >= lo_pk - 15.0) & (x <= hi_pk + 30.0)
        if not lo_pk < f["peak"] < hi_pk and inside.sum() >= 20:
            # the strongest band lies where this material cannot emit (scattered
            # excitation light, a second emitter): look for the band inside the range
            g = _pl_features(x[inside], y[inside])
            if lo_pk < g["peak"] < hi_pk and g["height"] >= 10.0 * g["noise"]:
                reasons.append(f"strongest band at {f['peak']:.1f} nm lies outside the "
                               f"model's emission range {lo_pk:.0f}-{hi_pk:.0f} nm "
                               "(excitation scatter?): took the band inside the range")
                x, y, f = x[inside], y[inside], g
                z = f["height"] / f["noise"]
                if f["open"]:
                    reasons.append(f"the band ends outside the {' and '.join(f['open'])} "
                                   "edge of the range searched: FWHM not measured")
                dx = float(x[1] - x[0])
                unc = math.hypot(dx / math.sqrt(12.0), (f["fwhm"] if math.isfinite(
                    f["fwhm"]) else 30.0) / (2.355 * math.sqrt(max(z, 1.0))))
    if no_optics:
        reasons.append(no_optics.replace("sized with the published sizing curve only",
                                         "no size from PL"))
    else:
        d, disp, why = _solve_size(ens, f["peak"], f["fwhm"], notes)
        if why:
            reasons.append(why)
        else:
            e = ens(d, disp)
            shift, abs_pk = float(e.stokes_shift_eV), float(e.first_peak_nm())
            if d < _D_LO * 1.05 or d > _D_HI * 0.95:
                reasons.append(f"diameter {d:.2f} nm at the edge of the model range")
            if math.isfinite(f["fwhm"]):
                mf = e.emission_fwhm_nm()
                if abs(mf - f["fwhm"]) > 0.1 * f["fwhm"]:
                    reasons.append(f"model FWHM {mf:.1f} nm does not reproduce the measured "
                                   f"{f['fwhm']:.1f} nm (bound of the dispersion)")
    q = UNCERTAIN if reasons else GOOD
    res = EmissionResult(str(material), label, float(f["peak"]), float(unc),
                         float(f["fwhm"]), d, disp, shift, abs_pk, q, tuple(reasons),
                         tuple(notes), "pl", x, y)
    if warn and q == UNCERTAIN:
        warn_uncertain(label, reasons)
    return res


def joint_estimate(absorption, emission) -> dict:
    r"""Stokes shift and joint size from an absorption and a PL result of one sample.

    Parameters
    ----------
    absorption : FitResult
    emission : EmissionResult

    Returns
    -------
    dict
        ``stokes_shift_eV`` (measured, :math:`hc/\lambda_{abs} - hc/\lambda_{PL}`),
        ``model_stokes_shift_eV`` (model at the PL size), ``diameter_nm`` (inverse-variance
        mean of the two sizes; the PL size weighs with a 5 % model uncertainty),
        ``quality`` and ``reasons`` (sizes that disagree by more than 3 sigma or a
        measured shift off the model by more than 30 meV make it ``uncertain``).

    References
    ----------
    .. [1] Efros et al., Phys. Rev. B 54, 4843-4856 (1996); bibliography ``efros1996``.
    """
    reasons = []
    out = {"stokes_shift_eV": None, "model_stokes_shift_eV": emission.stokes_shift_eV,
           "diameter_nm": None, "quality": NO_FEATURE, "reasons": reasons}
    if absorption.peak_nm is None or emission.peak_nm is None:
        reasons.append("absorption or PL without a feature")
        return out
    out["stokes_shift_eV"] = HC_EV_NM / absorption.peak_nm - HC_EV_NM / emission.peak_nm
    sizes = [(absorption.diameter_nm, absorption.diameter_uncertainty_nm)]
    if emission.diameter_nm is not None:
        sizes.append((emission.diameter_nm, 0.05 * emission.diameter_nm))
    vals = [(v, u if (u is not None and math.isfinite(u) and u > 0) else 0.05 * v)
            for v, u in sizes if v is not None]
    if vals:
        w = np.array([1.0 / u**2 for _, u in vals])
        v = np.array([d for d, _ in vals])
        out["diameter_nm"] = float(np.sum(w * v) / np.sum(w))
        if len(vals) == 2 and abs(v[0] - v[1]) > 3 * math.hypot(vals[0][1], vals[1][1]):
            reasons.append(f"absorption size {v[0]:.2f} nm and PL size {v[1]:.2f} nm "
                           "disagree by more than 3 sigma")
    ms = emission.stokes_shift_eV
    if ms is not None and abs(out["stokes_shift_eV"] - ms) > 0.03:
        reasons.append(f"measured Stokes shift {1e3 * out['stokes_shift_eV']:.0f} meV differs"
                       f" from the model's {1e3 * ms:.0f} meV by more than 30 meV")
    for r in (absorption, emission):
        if r.quality != GOOD:
            reasons.append(f"{getattr(r, 'kind', 'absorbance')} result is {r.quality}")
    out["quality"] = UNCERTAIN if reasons else GOOD
    return out
