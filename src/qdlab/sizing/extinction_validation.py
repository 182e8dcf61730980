r"""Ensemble extinction against the published extinction relations, as model/measured ratios.

Used by ``qdlab validate`` (extinction table).  Nothing is computed here that the optics
layer does not already compute: each row is :meth:`qdlab.optics.ensemble.Ensemble.
first_peak_extinction` (band edge) or :meth:`~qdlab.optics.ensemble.Ensemble.
absorption_cross_section` / :meth:`~qdlab.optics.ensemble.Ensemble.molar_extinction`
(fixed wavelength) of a 5 % normal size distribution, divided by the published value
(:mod:`qdlab.sizing.curves`; Leatherdale 2002 below).  A ratio of 1 is perfect; the
issue's goal is within +-30 % (0.7-1.3).  Where the model cannot give the number (no Kane
energy, no bulk optical constants, no k.p optics for the material) the row says why
(``ratio_reason``), with the library's own message.

Relations
---------
* Jasieniak 2009 CdSe: :math:`\varepsilon_{1S}` at the first-exciton peak, for a 1S
  HWHM of 0.06 eV, scaled by 0.06/HWHM with the model's own red-side HWHM.
* Yu 2003 CdSe, CdTe, CdS: :math:`\varepsilon` at the first-exciton peak.
* Leatherdale 2002 CdSe (hexane): :math:`C_{abs}(350\,nm) = 5.501\times10^5\,cm^{-1}\,a^3`
  (:math:`a` the radius), compared with the ensemble-mean volume.
* Moreels 2009 PbS, Moreels 2007 PbSe: :math:`\varepsilon_{400}`.
* Yu et al. 2005 InAs (abstract): :math:`\sigma_{1S} = 3.15\times10^{-16}\,R^{1.28}`
  cm\ :sup:`2` at the first-exciton peak, :math:`R` the radius in nm (1.6-3.45 nm).

References
----------
.. [1] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney and M. Califano,
   J. Phys. Chem. C 113, 19468 (2009).
.. [2] W. W. Yu, L. Qu, W. Guo and X. Peng, Chem. Mater. 15, 2854 (2003).
.. [3] C. A. Leatherdale, W.-K. Woo, F. V. Mikulec and M. G. Bawendi, J. Phys. Chem. B
   106, 7619 (2002).
.. [4] I. Moreels et al., ACS Nano 3, 3023 (2009).
.. [5] I. Moreels et al., Chem. Mater. 19, 6101 (2007).
.. [6] P. Yu et al., J. Phys. Chem. B 109, 7084 (2005).
"""

from __future__ import annotations

import warnings
from functools import cache

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, QdlabValidityWarning

__all__ = ["EXTINCTION_SETS", "LEATHERDALE_350_CM1", "YU2005_INAS_PEAK",
           "kp_band_edge_extinction_rows", "validate_extinction"]

#: Leatherdale 2002 (hexane): C_abs(350 nm) / a^3, cm^-1 (a: radius in cm).
LEATHERDALE_350_CM1 = 5.501e5
#: Yu et al. 2005 InAs: sigma at the first-exciton peak = A R^p cm^2 (R: radius, nm).
YU2005_INAS_PEAK = (3.15e-16, 1.28)
#: Hexane (n = 1.375), the solvent of Leatherdale 2002.
_HEXANE_EPS = 1.375 ** 2
#: (relation, material, observable, diameters in nm) of the table.
EXTINCTION_SETS = (
    ("Jasieniak2009-CdSe", "CdSe", "eps at 1S peak", (3.0, 4.0, 5.0)),
    ("Yu2003-CdSe", "CdSe", "eps at 1S peak", (3.0, 4.0, 5.0)),
    ("Yu2003-CdTe", "CdTe", "eps at 1S peak", (2.5, 3.0, 3.5, 4.0)),
    ("Yu2003-CdS", "CdS", "eps at 1S peak", (2.5, 3.5)),
    ("Leatherdale2002-CdSe", "CdSe", "sigma at 350 nm", (3.0, 4.0, 5.0, 6.0)),
    ("Moreels2009-PbS", "PbS", "eps at 400 nm", (3.0, 5.0, 8.0)),
    ("Moreels2007-PbSe", "PbSe", "eps at 400 nm", (3.0, 5.0, 7.0)),
    ("Yu2005-InAs", "InAs", "sigma at 1S peak", (3.2, 5.0, 6.9)),
)
_KP_OPTICS = ("PbS", "PbSe", "PbTe", "CsPbCl3", "CsPbBr3", "CsPbI3", "CuCl")


def _no_kp_band_edge_reason(material: str) -> str:
    """Why a II-VI / III-V relation has no k.p band-edge ratio (the physics that is missing)."""
    from qdlab.electronic.kp.lifetimes import KP_LIFETIME_MIN_GAP_EV
    from qdlab.materials import get_material

    m = get_material(material)
    if getattr(m, "luttinger", None) is None:
        why = "no Luttinger parameters (the k.p band edge needs the 4x4 hole)"
    elif float(m.band_gap(300.0)) < KP_LIFETIME_MIN_GAP_EV:
        why = (f"a {float(m.band_gap(300.0)):.2f} eV gap: the 4x4 band edge leaves out the "
               "8-band coupling that dominates there (qdlab.electronic.kp.lifetimes)")
    else:
        why = "no k.p band-edge comparison for this relation"
    return (f"no k.p band edge for {material}: {why}; its spectra use the single-band "
            "oscillator strengths")


def _red_hwhm_eV(ens, peak_nm: float, eps_peak: float) -> float:
    """Red-side half width at half maximum (eV) of the ensemble's first peak."""
    lam = np.linspace(peak_nm, peak_nm + 80.0, 801)
    a = ens.molar_extinction(lam)
    half = lam[int(np.argmax(a < 0.5 * eps_peak))]
    return HC_EV_NM / peak_nm - HC_EV_NM / half


def _ratio(relation: str, material: str, d: float, continuum_only: bool = False) -> float:
    """Model / published value for one diameter d (nm); raises with the reason.

    ``continuum_only``: the bulk-like part alone (the k.p model has no discrete lines
    3.5 eV up; the Leatherdale row of ``model="kp"``).
    """
    from qdlab.optics.ensemble import Ensemble, SizeDistribution
    from qdlab.sizing import get_curve
    from qdlab.structures import Medium

    if relation.startswith("Leatherdale"):
        ens = Ensemble(material, SizeDistribution.normal(d, 5.0),
                       medium=Medium(dielectric_constant=_HEXANE_EPS, name="hexane"))
        tot, _, cont = ens.absorption_cross_section([350.0], components=True)
        sigma = float((cont if continuum_only else tot)[0])
        x, w = ens.distribution.nodes(401)
        return sigma / (LEATHERDALE_350_CM1 * float(np.sum(w * (x / 2 * 1e-7) ** 3)))
    if relation == "Yu2005-InAs":
        ens = Ensemble(material, SizeDistribution.normal(d, 5.0))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", QdlabValidityWarning)   # band edge only
            sigma = float(ens.absorption_cross_section([ens.first_peak_nm()])[0])
        a, p = YU2005_INAS_PEAK
        return sigma / (a * (d / 2.0) ** p)
    curve = get_curve(relation)
    ens = Ensemble(material, SizeDistribution.normal(d, 5.0))
    with warnings.catch_warnings():
        # at a fixed (high-energy) wavelength a missing part of the model is a reason; at
        # the band-edge peak the bulk-like continuum is negligible (warning ignored)
        warnings.simplefilter("error" if curve.extinction_wavelength != "peak" else "ignore",
                              QdlabValidityWarning)
        if curve.extinction_wavelength == "peak":
            pk = ens.first_peak_nm()
            eps = ens.first_peak_extinction()
            hwhm = (_red_hwhm_eV(ens, pk, eps) if relation.startswith("Jasieniak") else None)
            ref = curve.extinction_M1cm1(d, hwhm_eV=hwhm, warn=False)
        else:
            eps = float(ens.molar_extinction([float(curve.extinction_wavelength)])[0])
            ref = curve.extinction_M1cm1(d, warn=False)
    return float(eps / float(ref))


@cache
def _kp_band_edge_rows() -> dict[str, list[dict]]:
    """Rows of :func:`qdlab.electronic.kp.extinction.validate_kp_extinction` by relation."""
    from qdlab.electronic.kp.extinction import validate_kp_extinction
    from qdlab.optics.optical_constants import bulk_permittivity, has_optical_constants

    eps = {m: bulk_permittivity(m) for m in ("CdSe", "CdTe") if has_optical_constants(m)}
    out: dict[str, list[dict]] = {}
    for r in validate_kp_extinction(eps_dot=eps):
        out.setdefault(r["source"], []).append(r)
    return out


def kp_band_edge_extinction_rows() -> list[dict]:
    """Per-diameter rows of the k.p band-edge comparison (before / after), bulk CdSe eps(E).

    The rows of :func:`qdlab.electronic.kp.extinction.validate_kp_extinction` with the
    frequency-dependent permittivity of :func:`qdlab.optics.optical_constants.
    bulk_permittivity` for the materials that have optical constants (CdSe).

    Examples
    --------
    >>> rows = kp_band_edge_extinction_rows()
    >>> rows[0]["permittivity"]
    'bulk(E)'
    """
    return [r for rows in _kp_band_edge_rows().values() for r in rows]


def validate_extinction(model: str = "single-band") -> list[dict]:
    """Model/measured extinction ratios of every relation of :data:`EXTINCTION_SETS`.

    Parameters
    ----------
    model : {"single-band", "kp"}
        ``"single-band"``: the envelope optics of :mod:`qdlab.optics.transitions`
        (II-VI / III-V cores).  ``"kp"``: the k.p optics of
        :mod:`qdlab.electronic.kp.optics` (lead salts, perovskites, CuCl).  The
        ensemble routes each material to the one optics it has; the other model's row
        carries a reason instead of numbers.

    Returns
    -------
    list of dict
        ``quantity`` ("extinction"), ``relation``, ``material``, ``observable``,
        ``model``, ``diameters_nm``, ``ratios`` (model/measured per diameter),
        ``ratio_min``, ``ratio_max``, ``within_goal`` (every ratio in 0.7-1.3), or
        None values with ``ratio_reason``.

    See Also
    --------
    qdlab.electronic.kp.extinction.validate_kp_extinction : the k.p model against the
        CdSe and CdTe calibrations.

    References
    ----------
    .. [1] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano,
       J. Phys. Chem. C 113, 19468 (2009). Bibliography ``jasieniak2009``.
    .. [2] W. W. Yu, L. Qu, W. Guo, X. Peng, Chem. Mater. 15, 2854 (2003). Bibliography ``yu2003``.
    .. [3] C. A. Leatherdale, W.-K. Woo, F. V. Mikulec, M. G. Bawendi,
       J. Phys. Chem. B 106, 7619 (2002). Bibliography ``leatherdale2002``.
    .. [4] I. Moreels et al., ACS Nano 3, 3023 (2009). Bibliography ``moreels2009``.
    .. [5] I. Moreels et al., Chem. Mater. 19, 6101 (2007). Bibliography ``moreels2007``.
    """
    if model not in ("single-band", "kp"):
        raise QdlabInputError(f"model must be 'single-band' or 'kp', got {model!r}")
    rows = []
    for relation, material, observable, sizes in EXTINCTION_SETS:
        row = {"quantity": "extinction", "relation": relation, "material": material,
               "observable": observable, "model": model, "diameters_nm": list(sizes)}
        kp_material = material in _KP_OPTICS
        reason = None
        if model == "kp" and relation in _kp_band_edge_rows():
            kp_rows = _kp_band_edge_rows()[relation]
            ratios = [r["ratio"] for r in kp_rows]
            row.update(observable="eps at 1S peak (k.p lines, HWHM 0.06 eV)",
                       diameters_nm=[r["diameter_nm"] for r in kp_rows], ratios=ratios,
                       ratio_min=min(ratios), ratio_max=max(ratios),
                       within_goal=all(0.7 <= r <= 1.3 for r in ratios))
            rows.append(row)
            continue
        continuum_only = model == "kp" and relation.startswith("Leatherdale")
        if continuum_only:
            row.update(observable="sigma at 350 nm (bulk-like part; no k.p lines there)")
        elif model == "kp" and not kp_material:
            reason = _no_kp_band_edge_reason(material)
        elif model == "single-band" and kp_material:
            reason = (f"the single-band optics does not apply to {material} (lead-salt L "
                      "valleys): its spectra use the k.p (Kang-Wise) optics")
        ratios = None
        if reason is None:
            try:
                ratios = [_ratio(relation, material, d, continuum_only) for d in sizes]
            except (QdlabInputError, QdlabValidityWarning) as exc:
                reason = f"not modelled: {exc}"
        if ratios is None:
            row.update(ratios=None, ratio_min=None, ratio_max=None, within_goal=None,
                       ratio_reason=reason)
        else:
            row.update(ratios=ratios, ratio_min=min(ratios), ratio_max=max(ratios),
                       within_goal=all(0.7 <= r <= 1.3 for r in ratios))
        rows.append(row)
    return rows
