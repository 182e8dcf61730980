"""Published empirical sizing curves: first-exciton peak <-> diameter, and extinction.

Each curve is a small immutable :class:`SizingCurve` that knows its citation, its
calibration range (outside it a :class:`~qdlab.errors.QdlabValidityWarning` is
issued), the published direction of the relation and its numerical inverse.

Units: diameters in nm, peak wavelengths in nm, energies in eV, molar extinction
coefficients in M^-1 cm^-1.

Curves
------
======================  =========  =====================================================
name                    material   relation (d in nm, lambda in nm, E in eV)
======================  =========  =====================================================
Yu2003-CdTe             CdTe       d(lambda) cubic; eps_peak = 10043 d^2.12
Yu2003-CdSe             CdSe       d(lambda) quartic; eps_peak = 5857 d^2.65
Yu2003-CdS              CdS        d(lambda) cubic; eps_peak = 21536 d^2.3
Jasieniak2009-CdSe      CdSe       d(lambda) quartic; eps_1S = 155507 + 6.67e13 e^(-E/0.1055)
Moreels2009-PbS         PbS        E(d) = 0.41 + 1/(0.0252 d^2 + 0.283 d); eps_400 = 2.33e4 d^3
Moreels2007-PbSe        PbSe       E = 0.278 + 1/(0.016d^2+0.209d+0.45); eps_400 = 2.77e4d^3
======================  =========  =====================================================

Examples
--------
>>> from qdlab.sizing import curves_for
>>> [c.name for c in curves_for("CdSe")]
['Jasieniak2009-CdSe', 'Yu2003-CdSe']
>>> c = curves_for("CdSe")[0]
>>> round(float(c.diameter_nm(539.7)), 2)
3.0
>>> round(float(c.peak_nm(3.0)), 1)
539.7
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import (
    QdlabInputError,
    check_positive,
    unknown_name_error,
    warn_validity,
)
from qdlab.registry import Model, select

__all__ = [
    "CURVES",
    "SIZING_METHODS",
    "SizingCurve",
    "available_materials",
    "curves_for",
    "get_curve",
]


def _poly(coeffs_low_to_high: tuple[float, ...]) -> Callable[[np.ndarray], np.ndarray]:
    c = np.asarray(coeffs_low_to_high, dtype=float)

    def f(x):
        return np.polynomial.polynomial.polyval(x, c)

    return f


def _poly_deriv(coeffs_low_to_high: tuple[float, ...]) -> Callable[[np.ndarray], np.ndarray]:
    return _poly(np.polynomial.polynomial.polyder(np.asarray(coeffs_low_to_high, dtype=float)))


@dataclass(frozen=True)
class SizingCurve:
    """One published empirical sizing relation (immutable).

    Attributes
    ----------
    name : str
        Short identifier, e.g. ``"Jasieniak2009-CdSe"``.
    material : str
        Material formula (``"CdSe"``).
    citation : str
        Full reference of the paper.
    doi : str
        DOI of the paper.
    relation : str
        The published equation, as text.
    calibrated_peak_nm : tuple of float or None
        Calibration range of the first-exciton peak wavelength in nm.
    calibrated_diameter_nm : tuple of float or None
        Calibration range of the diameter in nm.
    extinction_wavelength : str or None
        ``"peak"`` (extinction at the first-exciton peak), a wavelength in nm as text
        (``"400"``), or None when the curve gives no extinction coefficient.
    notes : str
        Caveats (e.g. the HWHM normalisation of Jasieniak 2009).
    """

    name: str
    material: str
    citation: str
    doi: str
    relation: str
    calibrated_peak_nm: tuple[float, float] | None
    calibrated_diameter_nm: tuple[float, float] | None
    extinction_wavelength: str | None
    notes: str = ""
    # private implementation details
    _d_of_lambda: Callable | None = field(default=None, repr=False, compare=False)
    _dd_dlambda: Callable | None = field(default=None, repr=False, compare=False)
    _e_of_d: Callable | None = field(default=None, repr=False, compare=False)
    _d_of_e: Callable | None = field(default=None, repr=False, compare=False)
    _eps: Callable | None = field(default=None, repr=False, compare=False)
    _inverse_domain_nm: tuple[float, float] = field(default=(300.0, 2500.0), repr=False,
                                                    compare=False)

    # ------------------------------------------------------------------ helpers
    @property
    def calibrated_range(self) -> dict:
        """Calibration ranges as a dict ``{"peak_nm": (lo, hi), "diameter_nm": (lo, hi)}``."""
        out = {}
        if self.calibrated_peak_nm is not None:
            out["peak_nm"] = self.calibrated_peak_nm
        if self.calibrated_diameter_nm is not None:
            out["diameter_nm"] = self.calibrated_diameter_nm
        return out

    def _warn_range(self, peak_nm=None, diameter_nm=None) -> bool:
        """Warn when any value is outside the calibration range; return True if it was."""
        out = self._warn_outside(peak_nm, self.calibrated_peak_nm, "first-exciton peak")
        return self._warn_outside(diameter_nm, self.calibrated_diameter_nm, "diameter") or out

    def _warn_outside(self, values, calibrated, what: str) -> bool:
        """Warn (once) if any of ``values`` (nm) is outside ``calibrated`` (nm); True if so."""
        if values is None or calibrated is None:
            return False
        lo, hi = calibrated
        v = np.asarray(values, dtype=float)
        if not np.any((v < lo) | (v > hi)):
            return False
        bad = v[(v < lo) | (v > hi)].flat[0] if v.ndim else float(v)
        # stacklevel 5: the caller of the public method (this helper is one frame deeper)
        warn_validity(f"{self.name}: {what} {float(bad):.4g} nm is outside the calibrated "
                      f"range [{lo:g}, {hi:g}] nm", stacklevel=5)
        return True

    def is_in_range(self, peak_nm=None, diameter_nm=None) -> bool:
        """True if the values lie inside every calibration range given for this curve."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return not self._warn_range(peak_nm, diameter_nm)

    # ------------------------------------------------------------------ relations
    def _diameter_raw(self, lam):
        if self._d_of_lambda is not None:
            return self._d_of_lambda(lam)
        return self._d_of_e(HC_EV_NM / lam)

    def diameter_nm(self, peak_nm, *, warn: bool = True):
        """Diameter (nm) from the first-exciton absorption peak wavelength (nm).

        Parameters
        ----------
        peak_nm : float or array_like
            First-exciton absorption peak wavelength in nm (> 0).
        warn : bool
            Warn (QdlabValidityWarning) outside the calibration range.

        Returns
        -------
        float or numpy.ndarray
            Diameter in nm (same shape as ``peak_nm``).

        Raises
        ------
        QdlabInputError
            If ``peak_nm`` is not positive, or the relation gives no positive diameter
            there (e.g. a PbS peak below the bulk band gap energy).
        """
        check_positive(peak_nm, "peak_nm", "nm")
        lam = np.asarray(peak_nm, dtype=float)
        with np.errstate(all="ignore"):
            d = self._diameter_raw(lam)
        d = np.asarray(d, dtype=float)
        bad = ~np.isfinite(d) | (d <= 0)
        if np.any(bad):
            b = lam[bad].flat[0] if lam.ndim else float(lam)
            raise QdlabInputError(
                f"peak_nm {float(b):g} nm gives no positive diameter with {self.name} "
                f"(calibrated peak range {self.calibrated_range})")
        if warn:
            self._warn_range(peak_nm=lam, diameter_nm=d)
        return float(d) if d.ndim == 0 else d

    def peak_nm(self, diameter_nm, *, warn: bool = True):
        """First-exciton absorption peak wavelength (nm) for a diameter (nm).

        Where only d(lambda) is published the relation is inverted numerically
        (monotone table + Newton polish, vectorised; error < 1e-9 nm).

        Parameters
        ----------
        diameter_nm : float or array_like
            Diameter in nm (> 0).
        warn : bool
            Warn (QdlabValidityWarning) outside the calibration range.

        Returns
        -------
        float or numpy.ndarray
            Peak wavelength in nm.

        Raises
        ------
        QdlabInputError
            If the diameter is not positive or outside the range the relation covers.
        """
        check_positive(diameter_nm, "diameter_nm", "nm")
        d = np.asarray(diameter_nm, dtype=float)
        if self._e_of_d is not None:
            lam = HC_EV_NM / self._e_of_d(d)
        else:
            lo, hi = self._inverse_domain_nm
            grid = np.linspace(lo, hi, 4001)
            dg = self._d_of_lambda(grid)
            if np.any(d < dg[0]) or np.any(d > dg[-1]):
                bad = d[(d < dg[0]) | (d > dg[-1])].flat[0] if d.ndim else float(d)
                raise QdlabInputError(
                    f"diameter_nm must be in [{dg[0]:.3g}, {dg[-1]:.3g}] nm for {self.name} "
                    f"(the relation is only monotone for peaks in [{lo:g}, {hi:g}] nm), "
                    f"got {float(bad):g}")
            lam = np.interp(d, dg, grid)
            for _ in range(4):
                lam = lam - (self._d_of_lambda(lam) - d) / self._dd_dlambda(lam)
        if warn:
            self._warn_range(peak_nm=lam, diameter_nm=d)
        return float(lam) if np.ndim(lam) == 0 else lam

    def peak_eV(self, diameter_nm, *, warn: bool = True):
        """First-exciton transition energy in eV for a diameter in nm (E = hc/lambda)."""
        return HC_EV_NM / np.asarray(self.peak_nm(diameter_nm, warn=warn))

    @property
    def has_extinction(self) -> bool:
        """True if the paper gives an extinction coefficient with this curve."""
        return self._eps is not None

    def extinction_wavelength_nm(self, diameter_nm):
        """Wavelength (nm) at which :meth:`extinction_M1cm1` applies for this diameter."""
        if self.extinction_wavelength is None:
            raise QdlabInputError(f"{self.name} gives no extinction coefficient")
        if self.extinction_wavelength == "peak":
            return self.peak_nm(diameter_nm, warn=False)
        w = float(self.extinction_wavelength)
        return w if np.ndim(diameter_nm) == 0 else np.full(np.shape(diameter_nm), w)

    def extinction_M1cm1(self, diameter_nm, *, hwhm_eV=None, warn: bool = True):
        """Molar extinction coefficient in M^-1 cm^-1 for a diameter in nm.

        Applies at :meth:`extinction_wavelength_nm` (the first-exciton peak or a fixed
        wavelength such as 400 nm, see ``extinction_wavelength``).

        Parameters
        ----------
        diameter_nm : float or array_like
            Diameter in nm.
        hwhm_eV : float or array_like, optional
            Measured half width at half maximum of the first-exciton peak in eV. Only
            used by Jasieniak 2009, whose band-edge coefficients refer to ensembles with
            a 1S HWHM of 0.06 eV: the peak coefficient is scaled by 0.06 eV / HWHM
            (broader ensembles have a lower peak at equal concentration).

        Returns
        -------
        float or numpy.ndarray
            Extinction coefficient in M^-1 cm^-1.

        Raises
        ------
        QdlabInputError
            If the curve gives no extinction, or the inputs are not positive.
        """
        if self._eps is None:
            raise QdlabInputError(f"{self.name} gives no extinction coefficient")
        check_positive(diameter_nm, "diameter_nm", "nm")
        d = np.asarray(diameter_nm, dtype=float)
        if warn:
            self._warn_range(diameter_nm=d)
        eps = np.asarray(self._eps(self, d), dtype=float)
        if hwhm_eV is not None and self.name == "Jasieniak2009-CdSe":
            check_positive(hwhm_eV, "hwhm_eV", "eV")
            eps = eps * (0.06 / np.asarray(hwhm_eV, dtype=float))
        return float(eps) if eps.ndim == 0 else eps


# ---------------------------------------------------------------------- curve data
_YU = "W. W. Yu, L. Qu, W. Guo, X. Peng, Chem. Mater. 2003, 15, 2854-2860"
_YU_DOI = "10.1021/cm034081k"

_C_YU_CDTE = (-194.84, 1.0064, -1.7147e-3, 9.8127e-7)
_C_YU_CDSE = (41.57, -0.4277, 1.6242e-3, -2.6575e-6, 1.6122e-9)
_C_YU_CDS = (13.29, -9.2352e-2, 1.9557e-4, -6.6521e-8)
_C_JAS = (59.60816, -0.54736, 1.8873e-3, -2.85743e-6, 1.62974e-9)


def _pb_e(e_bulk, a, b, c):
    def e_of_d(d):
        return e_bulk + 1.0 / (a * d**2 + b * d + c)

    def d_of_e(e):
        # a d^2 + b d + (c - 1/(E - Eg)) = 0, positive root
        with np.errstate(all="ignore"):
            cc = c - 1.0 / (e - e_bulk)
            disc = b * b - 4 * a * cc
            d = (-b + np.sqrt(disc)) / (2 * a)
        return np.where(e > e_bulk, d, np.nan)

    return e_of_d, d_of_e


_PBS_E, _PBS_D = _pb_e(0.41, 0.0252, 0.283, 0.0)
_PBSE_E, _PBSE_D = _pb_e(0.278, 0.016, 0.209, 0.45)


def jasieniak_extinction_1s(e_1s_eV):
    r"""Band-edge molar extinction of CdSe at its first-exciton (1S) energy, M^-1 cm^-1.

    Parameters
    ----------
    e_1s_eV : float or array_like
        First-exciton (1S) absorption peak energy, eV.

    Returns
    -------
    float or ndarray
        Molar extinction coefficient at the 1S peak, M^-1 cm^-1.

    Notes
    -----
    The empirical fit of Jasieniak et al. [1]_,
    :math:`\varepsilon_{1S} = 155507 + 6.67054\times10^{13}\,e^{-E_{1S}/0.10551\,\mathrm{eV}}`.

    References
    ----------
    .. [1] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano,
       J. Phys. Chem. C 113, 19468 (2009). Bibliography ``jasieniak2009``.

    Examples
    --------
    >>> round(float(jasieniak_extinction_1s(2.2)))
    214207
    """
    return 155507.0 + 6.67054e13 * np.exp(-e_1s_eV / 0.10551)


#: Former private name of :func:`jasieniak_extinction_1s`, kept for existing imports.
_jasieniak_eps_1s = jasieniak_extinction_1s


def _jas_eps(curve, d):
    return _jasieniak_eps_1s(HC_EV_NM / curve.peak_nm(d, warn=False))


def _yu2003(material: str, coeffs: tuple[float, ...], relation: str,
            calibrated_peak_nm: tuple[float, float], eps_prefactor: float, eps_exponent: float,
            inverse_domain_nm: tuple[float, float], notes: str = "") -> SizingCurve:
    """A Yu et al. (2003) curve: d(lambda) a polynomial, eps_peak = prefactor * d^exponent."""
    return SizingCurve(
        name=f"Yu2003-{material}", material=material, citation=_YU, doi=_YU_DOI,
        relation=relation, calibrated_peak_nm=calibrated_peak_nm, calibrated_diameter_nm=None,
        extinction_wavelength="peak", notes=notes,
        _d_of_lambda=_poly(coeffs), _dd_dlambda=_poly_deriv(coeffs),
        _eps=lambda c, d: eps_prefactor * d**eps_exponent, _inverse_domain_nm=inverse_domain_nm,
    )


_CURVES: tuple[SizingCurve, ...] = (
    SizingCurve(
        name="Jasieniak2009-CdSe", material="CdSe",
        citation="J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano, "
                 "J. Phys. Chem. C 2009, 113, 19468-19474",
        doi="10.1021/jp906827m",
        relation="d = 59.60816 - 0.54736 l + 1.8873e-3 l^2 - 2.85743e-6 l^3 + 1.62974e-9 l^4; "
                 "eps_1S = 155507 + 6.67054e13 exp(-E_1S/0.10551)",
        calibrated_peak_nm=None, calibrated_diameter_nm=(2.0, 8.0),
        extinction_wavelength="peak",
        notes="Band-edge (1S) extinction refers to ensembles with 1S HWHM = 0.06 eV; for a "
              "measured HWHM pass hwhm_eV to scale by 0.06/HWHM (as done in public "
              "implementations of this calibration). Calibrated with TEM + ICP-OES on "
              "wurtzite CdSe, 2-8 nm.",
        _d_of_lambda=_poly(_C_JAS), _dd_dlambda=_poly_deriv(_C_JAS),
        _eps=_jas_eps, _inverse_domain_nm=(340.0, 700.0),
    ),
    _yu2003("CdSe", _C_YU_CDSE,
            "d = 1.6122e-9 l^4 - 2.6575e-6 l^3 + 1.6242e-3 l^2 - 0.4277 l + 41.57; "
            "eps_peak = 5857 d^2.65",
            calibrated_peak_nm=(480.0, 630.0), eps_prefactor=5857.0, eps_exponent=2.65,
            inverse_domain_nm=(350.0, 700.0)),
    _yu2003("CdTe", _C_YU_CDTE,
            "d = 9.8127e-7 l^3 - 1.7147e-3 l^2 + 1.0064 l - 194.84; "
            "eps_peak = 10043 d^2.12",
            calibrated_peak_nm=(500.0, 650.0), eps_prefactor=10043.0, eps_exponent=2.12,
            inverse_domain_nm=(440.0, 750.0)),
    _yu2003("CdS", _C_YU_CDS,
            "d = -6.6521e-8 l^3 + 1.9557e-4 l^2 - 9.2352e-2 l + 13.29; "
            "eps_peak = 21536 d^2.3",
            calibrated_peak_nm=(350.0, 440.0), eps_prefactor=21536.0, eps_exponent=2.3,
            inverse_domain_nm=(300.0, 500.0),
            notes="Diameters ~1.5x those of CdS sized by X-ray diffraction at the same peak "
                  "(2.3 nm at ~400 nm, Vogel et al. 1997; a 1.2-1.5 nm cluster at 358 nm, "
                  "Herron et al. 1993): qdlab.validation.cds_size_check."),
    SizingCurve(
        name="Moreels2009-PbS", material="PbS",
        citation="I. Moreels, K. Lambert, D. Smeets, D. De Muynck, T. Nollet, J. C. Martins, "
                 "F. Vanhaecke, A. Vantomme, C. Delerue, G. Allan, Z. Hens, "
                 "ACS Nano 2009, 3, 3023-3030",
        doi="10.1021/nn900863a",
        relation="E = 0.41 + 1/(0.0252 d^2 + 0.283 d); eps_400 = 2.33e4 d^3",
        calibrated_peak_nm=None, calibrated_diameter_nm=(3.0, 9.0),
        extinction_wavelength="400",
        notes="Extinction at 400 nm scales with the particle volume (bulk-like absorption "
              "with the local-field factor). Calibration range given here is the span of "
              "qdlab's reference points (3-9 nm), a lower bound of the paper's range. The "
              "band-gap extinction (~ d^1.3 per the abstract) is not included: its "
              "coefficient could not be verified.",
        _e_of_d=_PBS_E, _d_of_e=_PBS_D,
        _eps=lambda c, d: 2.33e4 * d**3,
    ),
    SizingCurve(
        name="Moreels2007-PbSe", material="PbSe",
        citation="I. Moreels, K. Lambert, D. De Muynck, F. Vanhaecke, D. Poelman, "
                 "J. C. Martins, G. Allan, Z. Hens, Chem. Mater. 2007, 19, 6101-6106",
        doi="10.1021/cm071410q",
        relation="E = 0.278 + 1/(0.016 d^2 + 0.209 d + 0.45); eps_400 = 2.77e4 d^3",
        calibrated_peak_nm=None, calibrated_diameter_nm=(3.0, 10.0),
        extinction_wavelength="400",
        notes="eps_400 = 0.0277 d^3 uM^-1 cm^-1 (= 2.77e4 d^3 M^-1 cm^-1). The calibration "
              "range 3-10 nm is an estimate (not verified against the paper).",
        _e_of_d=_PBSE_E, _d_of_e=_PBSE_D,
        _eps=lambda c, d: 2.77e4 * d**3,
    ),
)

#: Bibliography key (``src/qdlab/materials/data/bibliography.toml``) of each curve's paper.
_CURVE_SOURCES = {
    "Jasieniak2009-CdSe": "jasieniak2009",
    "Yu2003-CdSe": "yu2003",
    "Yu2003-CdTe": "yu2003",
    "Yu2003-CdS": "yu2003",
    "Moreels2009-PbS": "moreels2009",
    "Moreels2007-PbSe": "moreels2007",
}

#: The published sizing curves, a named and cited registry (as colour-science's
#: ``*_METHODS``): ``{curve name: Model}``, each ``function`` a :class:`SizingCurve`,
#: ``reference`` and ``citations`` its bibliography key.  Per material, the recommended
#: curve comes first.  :func:`get_curve` and :func:`curves_for` look curves up here.
SIZING_METHODS: dict[str, Model] = {
    c.name: Model(c, _CURVE_SOURCES[c.name], f"{c.material}: {c.relation}",
                  (_CURVE_SOURCES[c.name],))
    for c in _CURVES
}

#: Every sizing curve (the :class:`SizingCurve` objects of :data:`SIZING_METHODS`).
CURVES: tuple[SizingCurve, ...] = tuple(m.function for m in SIZING_METHODS.values())

_BY_MATERIAL: dict[str, list[SizingCurve]] = {}
for _c in CURVES:
    _BY_MATERIAL.setdefault(_c.material, []).append(_c)
_BY_LOWER_NAME = {name.lower(): name for name in SIZING_METHODS}


def available_materials() -> list[str]:
    """Materials with at least one sizing curve, sorted.

    Examples
    --------
    >>> available_materials()
    ['CdS', 'CdSe', 'CdTe', 'PbS', 'PbSe']
    """
    return sorted(_BY_MATERIAL)


def _resolve_material(material: str) -> str:
    if not isinstance(material, str):
        raise QdlabInputError(f"material must be a string, got {material!r}")
    for m in _BY_MATERIAL:
        if m.lower() == material.strip().lower():
            return m
    raise unknown_name_error("material", material, _BY_MATERIAL)


def curves_for(material: str) -> list[SizingCurve]:
    """The sizing curves for a material, recommended one first.

    Parameters
    ----------
    material : str
        Material formula, case-insensitive (``"CdSe"``, ``"pbs"``).

    Returns
    -------
    list of SizingCurve

    Raises
    ------
    QdlabInputError
        Unknown material (the message lists the known ones).

    References
    ----------
    .. [1] Jasieniak et al., J. Phys. Chem. C 113, 19468-19474 (2009); bibliography
       ``jasieniak2009``.
    .. [2] Yu et al., Chem. Mater. 15, 2854-2860 (2003); bibliography ``yu2003``.
    .. [3] Moreels et al., ACS Nano 3, 3023-3030 (2009); bibliography ``moreels2009``.
    .. [4] Moreels et al., Chem. Mater. 19, 6101-6106 (2007); bibliography ``moreels2007``.

    Examples
    --------
    >>> [c.name for c in curves_for("pbs")]
    ['Moreels2009-PbS']
    """
    return list(_BY_MATERIAL[_resolve_material(material)])


def get_curve(name: str) -> SizingCurve:
    """A curve by its name (e.g. ``"Yu2003-CdSe"``), case-insensitive.

    Parameters
    ----------
    name : str
        A key of :data:`SIZING_METHODS`, any case.

    Returns
    -------
    SizingCurve

    Raises
    ------
    QdlabInputError
        Unknown name (the message lists the known curves).

    References
    ----------
    .. [1] Jasieniak et al., J. Phys. Chem. C 113, 19468-19474 (2009); bibliography
       ``jasieniak2009``.
    .. [2] Yu et al., Chem. Mater. 15, 2854-2860 (2003); bibliography ``yu2003``.
    .. [3] Moreels et al., ACS Nano 3, 3023-3030 (2009); bibliography ``moreels2009``.
    .. [4] Moreels et al., Chem. Mater. 19, 6101-6106 (2007); bibliography ``moreels2007``.

    Examples
    --------
    >>> get_curve("yu2003-cdte").material
    'CdTe'
    """
    name = str(name)
    return select(SIZING_METHODS, "sizing curve", _BY_LOWER_NAME.get(name.lower(), name)).function
