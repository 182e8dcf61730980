r"""Fit measured absorption spectra: mean size, size dispersion, concentration.

:func:`fit_spectrum` analyses one absorbance spectrum in three stages.

0. *Physically bounded search* (:mod:`qdlab.sizing.features`): the first exciton is
   looked for only inside the wavelengths the material's model can give over its
   diameter range at the given temperature (:func:`~qdlab.sizing.features.model_window_nm`)
   and only in reliable data -- saturated or clipped ranges, negative baselines,
   detector edges and artefacts common to a batch are masked, each with its reason.
   The lowest-energy maximum or shoulder above 5 sigma of the noise is taken; competing
   candidates are reported.  No feature: the result has ``quality == "no feature"`` and
   no numbers.
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

Module map: the input guard, the feature search and the peak refinement (stages 0-1)
are in :mod:`qdlab.sizing.fit_search`; :class:`FitResult`, the results without a
model fit and the contract of every fit in :mod:`qdlab.sizing.fit_result`; this module
holds the least squares of the ensemble model (stage 2) and the batch fit.

``peak_nm`` is the measured first-exciton peak (stage 1); ``model_peak_nm`` the peak
of the fitted ensemble model.  Every result carries ``quality`` (``good``,
``uncertain``, ``no feature``) and ``reasons`` (:mod:`qdlab.sizing.quality`); when the
fitted model cannot put its peak at the measured one, the stage-1 values are reported
(``uncertain``).  A material without forward optics (none of the direct-gap records
today: PbS and PbSe have the k.p optics, CdS and ZnO the lower-bound Kane energy, with a
note that their band-edge concentration is an upper bound) is sized with its published
sizing curve, ``uncertain`` at best.  ``concentration_M`` is None when ``absolute=False``
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

import math
from dataclasses import replace
from pathlib import Path

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, check_range
from qdlab.optics.ensemble import Ensemble, SizeDistribution, TransitionTable, model_table
from qdlab.optics.peaks import NoExcitonicPeakError
from qdlab.sizing.features import LINEAR_LIMIT_A
from qdlab.sizing.fit_result import (  # noqa: F401  (old import path)
    FitResult,
    _curve_only,
    _guarded,
    _no_feature,
    _with_input_notes,
)
from qdlab.sizing.fit_search import (  # noqa: F401  (old import path)
    MAX_FIT_POINTS,
    PATH_CM_RANGE,
    _check_options,
    _clean_input,
    _pick_exciton,
    _refine_peak,
    _search,
    _table_or_reason,
    quantisation_step,
)
from qdlab.sizing.modelfit import (
    D_MAX,
    D_MIN,
    ProjectedFit,
    conc_uncertainty,
    curve_extras,
    fit_window,
    stage2,
    start_values,
    uncertainties,
)
from qdlab.sizing.quality import (
    NOT_AN_EXCITON,
    PEAK_SIZE_TOL,
    UNCERTAIN,
    feature_checks,
    model_checks,
    verdict,
    warn_uncertain,
)
from qdlab.sizing.series import batch_artefacts, mark_fading, results_table, write_table
from qdlab.structures import Medium

__all__ = [
    "FitResult",
    "fit_spectra",
    "fit_spectrum",
    "model_table",
    "results_table",
    "write_table",
]

_D_MIN, _D_MAX = D_MIN, D_MAX


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
                 n_nodes: int | None = None, search_range_nm=None,
                 linear_limit: float = LINEAR_LIMIT_A, artefacts=(),
                 warn: bool = True) -> FitResult:
    r"""Fit one absorbance spectrum: peak, mean diameter, dispersion, concentration, quality.

    Parameters
    ----------
    wavelength_nm : array_like
        Wavelengths, nm (any order, no duplicates).
    absorbance : array_like
        Absorbance (base 10).
    material : str
        Core material (``"CdSe"``; any material with forward optics or a sizing curve).
    path_cm : float
        Cuvette path length, cm.
    absolute : bool
        False for normalised spectra (no absorbance scale): ``concentration_M`` is None.
    distribution : {"normal", "lognormal"}
        Shape of the size distribution.
    fit_range_nm : (float, float), optional
        Usable wavelength range of the model fit, nm (default: the reliable span that
        holds the feature, above 300 nm).
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
    search_range_nm : (float, float), optional
        Where to look for the first exciton, nm (default: the physical window of the
        material, :func:`qdlab.sizing.features.model_window_nm`).
    linear_limit : float
        Highest absorbance taken as linear (default 2.5).
    artefacts : tuple of MaskedRegion
        Batch artefacts to mask (:func:`qdlab.sizing.features.common_artefacts`).
    warn : bool
        Issue a :class:`~qdlab.sizing.quality.FitQualityWarning` for ``uncertain``.

    Returns
    -------
    FitResult
        With ``quality`` ("good", "uncertain", "no feature") and ``reasons``; without a
        feature every number is None.

    Raises
    ------
    QdlabInputError
        Bad arrays or options; a material with neither forward optics nor a sizing curve.

    See Also
    --------
    fit_spectra : many spectra with one shared transition table.
    qdlab.optics.ensemble.Ensemble : the forward model that is fitted.

    Notes
    -----
    The model absorbance is :math:`A(\lambda) = \varepsilon(\lambda)\,c\,L` with the
    ensemble molar extinction :math:`\varepsilon = N_A\sigma/(1000\ln 10)` (M^-1 cm^-1,
    :math:`\sigma` in cm^2), the path ``path_cm`` :math:`L` and the concentration
    :math:`c` (mol/L) of particles.

    References
    ----------
    .. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012). Bibliography ``hens2012``.
    .. [2] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano,
       J. Phys. Chem. C 113, 19468 (2009). Bibliography ``jasieniak2009``.
    .. [3] C. A. Leatherdale, W.-K. Woo, F. V. Mikulec, M. G. Bawendi,
       J. Phys. Chem. B 106, 7619 (2002). Bibliography ``leatherdale2002``.
    """
    _check_options(path_cm, distribution, mode, window_eV, fit_oscillator_scale)
    input_notes: list[str] = []
    x, y = _clean_input(wavelength_nm, absorbance, input_notes)
    quantum = quantisation_step(absorbance)
    medium = medium if medium is not None else Medium()
    table, no_optics = _table_or_reason(material, table, medium, temperature)
    search = _search(x, y, material, table, temperature, artefacts, linear_limit,
                     search_range_nm)
    if search.chosen is None:
        res = _no_feature(x, y, material, path_cm, label, search, mode, [search.choice])
        return _with_input_notes(res, input_notes)
    search, pk, reasons, passed = _pick_exciton(x, y, search, temperature, quantum)
    if pk is None:
        why = [f"{c.kind} at {c.wavelength_nm:.1f} nm is no ensemble exciton: {w}"
               for c, w in passed]
        res = _no_feature(x, y, material, path_cm, label,
                          replace(search, chosen=None, choice="; ".join(why)), mode, why)
        return _with_input_notes(res, input_notes)
    reasons = feature_checks(search) + reasons
    if no_optics:
        res = _curve_only(x, y, material, path_cm, absolute, label, search, pk,
                          reasons + [no_optics], mode)
        if warn:
            warn_uncertain(label, res.reasons)
        return _with_input_notes(res, input_notes)
    res = _model_fit(x, y, material, path_cm, table, pk, search, medium, temperature,
                     distribution, fit_range_nm, mode, window_eV, fit_oscillator_scale,
                     n_nodes, absolute, label, reasons)
    if warn and res.quality == UNCERTAIN:
        warn_uncertain(label, res.reasons)
    return _with_input_notes(res, input_notes)


def _model_fit(x, y, material, path_cm, table, pk, search, medium, temperature,
               distribution, fit_range_nm, mode, window_eV, fit_oscillator_scale, n_nodes,
               absolute, label, reasons):
    """Stages 1 and 2 of the module notes, and the quality checks of the model."""
    notes = []
    e_pk = HC_EV_NM / pk.peak_nm
    lam, a = fit_window(x, y, search, fit_range_nm)
    model = _Model(table, material, lam, distribution, temperature, medium, n_nodes)
    d0, disp0 = start_values(model, table, e_pk, pk.hwhm_eV, temperature)
    start = {"diameter_nm": d0, "dispersion_pct": disp0}
    st = curve_extras(material, pk, path_cm, absolute, x, y)
    eps_pk0 = model.ensemble(d0, disp0).first_peak_extinction()
    start["concentration_M"] = (max(st["peak_absorbance"], 1e-6) / (eps_pk0 * path_cm)
                                if absolute else None)
    start.update(st)
    if not absolute:
        start["sizing_curve_concentration_M"] = None
    pf = ProjectedFit(model, lam, a, np.ones(lam.size, bool), mode, float(path_cm), e_pk,
                      (lam / pk.peak_nm) ** -4.0)
    f = stage2(pf, model, table, pk, d0, disp0, mode, window_eV, fit_oscillator_scale,
                notes)
    sd, r0 = uncertainties(pf, f["d"], f["disp"], f["coef"], f["fit_s"])
    if not np.all(np.isfinite(sd)):
        notes.append("covariance could not be computed")
    conc_unc = conc_uncertainty(mode, f, sd, float(sd[0]))
    scale = f["scale"]
    model_peak = model.ensemble(f["d"], f["disp"],
                                scale if math.isfinite(scale) else 1.0).first_peak_nm()
    win = pf.win
    full_model = np.where((x >= lam[win][0]) & (x <= lam[win][-1]),
                          np.interp(x, lam, f["mod"]), np.nan)
    checks, dl_dd = model_checks(lam, a, f, pk, search, model_peak, win, window_eV, table)
    reasons = reasons + checks
    if any(r.startswith(NOT_AN_EXCITON) for r in checks):
        # no ensemble of the material has this band: no size is given (quality module)
        return _no_feature(x, y, material, path_cm, label, search, mode, reasons)
    out = {"d": f["d"], "d_unc": float(sd[0]), "disp": f["disp"], "disp_unc": float(sd[1]),
           "conc": float(f["conc"]), "conc_unc": float(conc_unc)}
    if any(r.startswith("fitted model peak") for r in checks):
        # the model cannot place its band edge at the measured one: the least-squares size
        # would be wrong, the size of the measured peak position is the better estimate
        reasons.append(f"model fit rejected (diameter {f['d']:.2f} nm): diameter, "
                       "dispersion and concentration from the measured peak position and "
                       "width (stage 1)")
        out = {"d": d0, "d_unc": math.hypot(pk.peak_uncertainty_nm / max(dl_dd, 1e-9),
                                            PEAK_SIZE_TOL * d0),
               "disp": disp0, "disp_unc": float("nan"),
               "conc": start["concentration_M"] or float("nan"),
               "conc_unc": 3 * PEAK_SIZE_TOL * (start["concentration_M"] or float("nan"))}
    quality, reasons = verdict(reasons)
    if absolute and not f["scale_fitted"]:
        from qdlab.electronic.kp.kane import optical_kane_energy
        from qdlab.materials import get_material

        mat = get_material(material) if isinstance(material, str) else material
        ep, derived = optical_kane_energy(mat, temperature)
        if derived:
            notes.append(f"{mat.name} has no measured Kane energy: the band-edge oscillator "
                         f"strength uses E_p = {ep:.2f} eV from the electron mass (a lower "
                         "bound, 1.1-1.6x low where E_p is known), so the concentration from "
                         "the band edge is an upper bound")
    return FitResult(
        material=str(material), label=label, path_cm=float(path_cm),
        peak_nm=float(pk.peak_nm), peak_uncertainty_nm=float(pk.peak_uncertainty_nm),
        diameter_nm=out["d"], diameter_uncertainty_nm=out["d_unc"],
        dispersion_pct=out["disp"], dispersion_uncertainty_pct=out["disp_unc"],
        concentration_M=out["conc"] if absolute else None,
        concentration_uncertainty_M=out["conc_unc"] if absolute else None,
        model_peak_nm=float(model_peak), oscillator_scale=float(scale),
        oscillator_scale_fitted=bool(f["scale_fitted"]), background=f["bg"], start=start,
        rms_residual=float(np.sqrt(np.mean(r0**2))),
        fit_range_nm=(float(lam[win][0]), float(lam[win][-1])),
        notes=tuple(notes) + tuple(pk.notes), wavelength_nm=x, absorbance=y,
        model_absorbance=full_model, mode=mode, quality=quality, reasons=tuple(reasons),
        feature=search.to_dict())


# ----------------------------------------------------------------- batch
#: File endings that a folder is searched for.
_SPECTRUM_SUFFIXES = (".csv", ".txt", ".tsv", ".dat", ".asc", ".sp", ".xlsx", ".xlsm")
#: What the reader is asked for, for each ``kind`` of :func:`fit_spectra`: absorbance
#: files may be %T or T (detected and converted to absorbance).
_READ_KIND = {"absorbance": "absorption", "pl": "emission", "auto": "auto"}


def _spectra_from(source, kind: str = "absorbance"):
    """(label, Spectrum or QdlabInputError) for every spectrum of the source(s)."""
    from qdlab.optics.spectrum_io import Spectrum, read_spectra

    if isinstance(source, (list, tuple)) and all(isinstance(s, Spectrum) for s in source):
        return [(s.label, s) for s in source]
    if isinstance(source, (list, tuple)):
        out = []
        for src in source:
            out.extend(_spectra_from(src, kind))
        return out
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
        try:
            specs = read_spectra(f, kind=_READ_KIND.get(kind, kind))
        except QdlabInputError as exc:
            if len(files) == 1:
                raise
            out.append((f.name, exc))     # one unreadable file of a folder: its own error
            continue
        for s in specs:
            name = f.name if len(specs) == 1 else f"{f.name}:{s.label}"
            out.append((name, s))
    return out


def fit_spectra(source, material, path_cm: float = 1.0, *, kind: str = "absorbance",
                **kwargs) -> list:
    """Fit many spectra: files, a folder, a file with many columns, or a Spectrum list.

    The spectra are treated as one series: features found at the same wavelength in
    every absorption spectrum (instrument artefacts, :func:`qdlab.sizing.series.
    batch_artefacts`) are masked in all of them, and a feature that fades along the
    series is marked (:func:`qdlab.sizing.series.mark_fading`).

    Parameters
    ----------
    source : path, list of paths, or list of Spectrum
    material : str
    path_cm : float
        Path length, cm.
    kind : {"absorbance", "pl", "auto"}
        What the files hold (``"auto"``: as the reader detects it, and a single band on
        a flat baseline, :func:`qdlab.sizing.emission.looks_like_emission`, is PL).
    **kwargs
        Passed to :func:`fit_spectrum` (or :func:`qdlab.sizing.emission.fit_emission`).

    Returns
    -------
    list
        One :class:`FitResult` (or :class:`~qdlab.sizing.emission.EmissionResult`) per
        spectrum, with its quality; a dict ``{"label": ..., "error": message}`` for a
        spectrum that cannot be analysed at all (bad data).  The transition table is
        built once.

    See Also
    --------
    fit_spectrum : one spectrum.

    References
    ----------
    .. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012). Bibliography ``hens2012``.
    .. [2] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano,
       J. Phys. Chem. C 113, 19468 (2009). Bibliography ``jasieniak2009``.

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
    >>> [(round(r["diameter_nm"], 2), r["quality"]) for r in rows]
    [(3.0, 'good'), (4.0, 'good')]
    """
    from qdlab.sizing.emission import fit_emission, looks_like_emission

    if kind not in ("absorbance", "pl", "auto"):
        raise QdlabInputError(f"kind must be 'absorbance', 'pl' or 'auto', got {kind!r}")
    check_range(path_cm, "path_cm", PATH_CM_RANGE[0], PATH_CM_RANGE[1], "cm")
    items = _spectra_from(source, kind)
    if kind == "auto":   # a band on a flat baseline is PL whatever the header says
        items = [(n, replace(s, kind="emission") if not isinstance(s, QdlabInputError)
                  and s.kind != "emission" and looks_like_emission(s.wavelength_nm, s.y)
                  else s) for n, s in items]
    kw = dict(kwargs)
    if kw.get("table") is None:
        kw["table"] = _table_or_reason(material, None, kw.get("medium") or Medium(),
                                       kw.get("temperature", 300.0))[0]
    absn = [(s.wavelength_nm, s.y) for _, s in items
            if not isinstance(s, QdlabInputError) and s.kind == "absorbance"]
    if "artefacts" not in kw:
        kw["artefacts"] = tuple(batch_artefacts(absn))
    out = []
    for name, s in items:
        if isinstance(s, QdlabInputError):
            out.append({"label": name, "error": str(s)})
            continue
        if s.kind not in ("absorbance", "emission"):
            out.append({"label": name, "error": f"{s.kind} spectrum: only absorbance, %T or "
                                                "PL spectra can be fitted"})
            continue
        try:
            if s.kind == "emission":
                ekw = {k: v for k, v in kw.items()
                       if k in ("table", "temperature", "medium", "warn")}
                out.append(fit_emission(s.wavelength_nm, s.y, material, label=name,
                                        excitation_nm=s.metadata.get("excitation_nm"), **ekw))
            else:
                out.append(fit_spectrum(s.wavelength_nm, s.y, material, path_cm, label=name,
                                        **kw))
        except (NoExcitonicPeakError, QdlabInputError) as exc:
            out.append({"label": name, "error": str(exc)})
    return mark_fading(out)
