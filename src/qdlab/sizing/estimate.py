"""Size, extinction and concentration from a measured first-exciton peak.

Examples
--------
>>> from qdlab.sizing import size_from_peak
>>> r = size_from_peak("CdSe", 550.0, absorbance=0.5)
>>> r.recommended
'Jasieniak2009-CdSe'
>>> round(r.diameter_nm, 2)
3.19
>>> sorted(r.to_dict())
['diameter_nm', 'material', 'methods', 'peak_nm', 'recommended', 'warnings']
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from qdlab.errors import QdlabValidityWarning, check_positive
from qdlab.sizing.curves import curves_for

__all__ = ["MethodResult", "SizeResult", "size_from_peak", "RECOMMENDED"]

#: Recommended curve per material, with the reason (shown in docs and CLI).
RECOMMENDED: dict[str, tuple[str, str]] = {
    "CdSe": ("Jasieniak2009-CdSe",
             "the more recent calibration (TEM + ICP-OES, 2-8 nm) that re-examined and "
             "corrected the earlier Yu 2003 curve, notably below 3.5 nm, and gives the "
             "band-edge extinction self-consistently with the high-energy absorption"),
    "CdTe": ("Yu2003-CdTe", "the only curve available in qdlab"),
    "CdS": ("Yu2003-CdS", "the only curve available in qdlab"),
    "PbS": ("Moreels2009-PbS", "the only curve available in qdlab"),
    "PbSe": ("Moreels2007-PbSe", "the only curve available in qdlab"),
}


@dataclass(frozen=True)
class MethodResult:
    """Result of one sizing curve.

    Attributes
    ----------
    name : str
        Curve name.
    citation : str
        Reference.
    diameter_nm : float
        Diameter in nm.
    extinction_M1cm1 : float or None
        Molar extinction coefficient in M^-1 cm^-1 (None if the curve has none).
    extinction_wavelength_nm : float or None
        Wavelength (nm) where that extinction applies (peak or e.g. 400 nm).
    concentration_M : float or None
        Beer-Lambert concentration c = A / (eps l) in mol/L (None without absorbance,
        or when the extinction applies at a wavelength other than the peak).
    in_range : bool
        Whether the peak/diameter lie inside the curve's calibration range.
    """

    name: str
    citation: str
    diameter_nm: float
    extinction_M1cm1: float | None
    extinction_wavelength_nm: float | None
    concentration_M: float | None
    in_range: bool

    def to_dict(self) -> dict:
        """``{"name", "diameter_nm", "extinction_M-1cm-1"}`` plus concentration.

        A value that is None comes with a ``<key>_reason`` saying why (no extinction
        coefficient for this curve, or no absorbance given).
        """
        out = {"name": self.name, "diameter_nm": self.diameter_nm,
               "extinction_M-1cm-1": self.extinction_M1cm1,
               "extinction_wavelength_nm": self.extinction_wavelength_nm,
               "concentration_M": self.concentration_M,
               "in_range": self.in_range}
        no_eps = f"the curve {self.name} gives no extinction coefficient"
        if self.extinction_M1cm1 is None:
            out["extinction_M-1cm-1_reason"] = no_eps
            out["extinction_wavelength_nm_reason"] = no_eps
        if self.concentration_M is None:
            out["concentration_M_reason"] = (
                no_eps if self.extinction_M1cm1 is None else
                "no absorbance given (the concentration is A / (extinction x path))")
        return out


@dataclass(frozen=True)
class SizeResult:
    """Sizing of one first-exciton peak by every applicable curve.

    Attributes
    ----------
    material : str
    peak_nm : float
        First-exciton peak wavelength in nm.
    methods : tuple of MethodResult
        One entry per curve (recommended first).
    recommended : str
        Name of the recommended curve.
    warnings : tuple of str
        Out-of-range and other warnings raised while sizing.
    """

    material: str
    peak_nm: float
    methods: tuple[MethodResult, ...]
    recommended: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def best(self) -> MethodResult:
        """The recommended :class:`MethodResult`."""
        return next(m for m in self.methods if m.name == self.recommended)

    @property
    def diameter_nm(self) -> float:
        """Diameter in nm from the recommended curve."""
        return self.best.diameter_nm

    @property
    def concentration_M(self) -> float | None:
        """Concentration in mol/L from the recommended curve (None if not computable)."""
        return self.best.concentration_M

    def to_dict(self) -> dict:
        """JSON-ready dict: ``diameter_nm`` (recommended) and ``methods`` list.

        Each entry of ``methods`` has exactly the keys ``name``, ``diameter_nm`` and
        ``extinction_M-1cm-1``, plus ``extinction_wavelength_nm``, ``concentration_M``
        and ``in_range``.
        """
        return {"material": self.material, "peak_nm": self.peak_nm,
                "diameter_nm": self.diameter_nm, "recommended": self.recommended,
                "methods": [m.to_dict() for m in self.methods],
                "warnings": list(self.warnings)}


def size_from_peak(material: str, peak_nm: float, absorbance: float | None = None,
                   path_cm: float = 1.0, hwhm_eV: float | None = None) -> SizeResult:
    """Diameter, extinction coefficient and concentration from a first-exciton peak.

    Parameters
    ----------
    material : str
        ``"CdSe"``, ``"CdTe"``, ``"CdS"``, ``"PbS"``, ``"PbSe"`` (case-insensitive).
    peak_nm : float
        First-exciton absorption peak wavelength in nm.
    absorbance : float, optional
        Absorbance (base-10, background-subtracted) at the wavelength where the curve's
        extinction applies: at the peak for Yu 2003 / Jasieniak 2009. For PbS/PbSe the
        extinction is given at 400 nm, so ``absorbance`` is taken as A(400 nm).
    path_cm : float
        Optical path length in cm (default 1).
    hwhm_eV : float, optional
        Measured HWHM of the first-exciton peak in eV (Jasieniak 2009 normalisation).

    Returns
    -------
    SizeResult

    Notes
    -----
    Beer-Lambert: c = A / (eps * l) with c in mol/L, eps in M^-1 cm^-1, l in cm.
    For CdSe the recommended curve is Jasieniak et al. 2009, the more recent calibration
    (TEM and ICP-OES) which re-examined Yu et al. 2003; the two differ by up to ~8 nm in
    peak (or ~0.3 nm in diameter) below 3.5 nm, which is the sizing uncertainty itself.
    Out-of-range values give a QdlabValidityWarning and are listed in ``warnings``.

    References
    ----------
    See :mod:`qdlab.sizing.curves` for the papers: bibliography ``jasieniak2009``,
    ``yu2003``, ``moreels2009``, ``moreels2007``.

    Examples
    --------
    >>> r = size_from_peak("PbS", 1168.1, absorbance=0.64)
    >>> round(r.diameter_nm, 2), r.best.extinction_wavelength_nm
    (4.0, 400.0)
    >>> round(r.concentration_M * 1e6, 3)   # micromol/L
    0.429
    """
    curves = curves_for(material)
    mat = curves[0].material
    check_positive(peak_nm, "peak_nm", "nm")
    if np.ndim(peak_nm) != 0:
        from qdlab.errors import QdlabInputError
        raise QdlabInputError("peak_nm must be a single number in nm; for many spectra use "
                              "qdlab.sizing.size_spectra_batch")
    peak_nm = float(peak_nm)
    if absorbance is not None:
        check_positive(absorbance, "absorbance")
    check_positive(path_cm, "path_cm", "cm")
    msgs: list[str] = []
    methods = []
    for c in curves:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            d = c.diameter_nm(peak_nm)
            eps = wl = conc = None
            if c.has_extinction:
                eps = float(c.extinction_M1cm1(d, hwhm_eV=hwhm_eV, warn=False))
                wl = peak_nm if c.extinction_wavelength == "peak" else float(
                    c.extinction_wavelength)
                if absorbance is not None:
                    conc = float(absorbance) / (eps * float(path_cm))
        new = [str(w.message) for w in caught if issubclass(w.category, QdlabValidityWarning)]
        for m in new:
            msgs.append(m)
            warnings.warn(m, QdlabValidityWarning, stacklevel=2)
        methods.append(MethodResult(name=c.name, citation=c.citation, diameter_nm=float(d),
                                    extinction_M1cm1=eps, extinction_wavelength_nm=wl,
                                    concentration_M=conc, in_range=not new))
    rec = RECOMMENDED.get(mat, (curves[0].name, ""))[0]
    return SizeResult(material=mat, peak_nm=peak_nm, methods=tuple(methods), recommended=rec,
                      warnings=tuple(msgs))
