r"""Band-edge extinction of k.p spheres against the published calibrations, like with like.

A published band-edge molar extinction coefficient :math:`\epsilon_{1S}` is the
*peak* of an inhomogeneously broadened ensemble line; what a model of one dot
predicts robustly is the *energy-integrated* cross section of the 1S_e-1S_3/2
line (:func:`qdlab.electronic.kp.band_edge.integrated_cross_section_cm2_eV`).  The
two are compared through the line shape the calibration refers to: for a Gaussian
of half width :math:`\Gamma` (HWHM)

.. math::

    \int\epsilon\,dE = \epsilon_{peak}\,\Gamma\sqrt{\pi/\ln 2}, \qquad
    \epsilon = \frac{N_A\,\sigma}{1000\ln 10}\ \ (\mathrm{M^{-1}cm^{-1}},\ \sigma\ \mathrm{in\ cm^2}).

* Jasieniak et al. 2009 (CdSe): their :math:`\epsilon_{1S}(E)` refers to ensembles with
  a 1S HWHM of 0.06 eV (:func:`qdlab.sizing.curves.get_curve` notes), so the
  measured integrated value is :math:`\epsilon_{1S}\cdot 0.06\,\mathrm{eV}\cdot 2.129`.
* Yu et al. 2003 (CdSe, CdTe): peak values of their samples; their line widths are
  not in the repository, so the same 0.06 eV is used and the HWHM that would make
  model and measurement agree (``implied_hwhm_eV``) is printed.
* CdS (Yu 2003) is skipped: the CdS record has no Kane energy.

Peak against peak (:func:`band_edge_peak_extinction`): the 1S feature of an ensemble
holds every transition within its width, 1S_e-1S_3/2 and, 25-100 meV above it in
3-7 nm CdSe, 1S_e-2S_3/2 (f = 1.7-1.8 against 8-10), then 1P_e-1P_3/2; each k.p line
of the ladder (:func:`qdlab.electronic.kp.transitions.transition_ladder_kp`) is
broadened by the Gaussian of the calibration's HWHM and the first maximum of the sum is
compared with the published peak.  The local field of each line uses the dot
permittivity at its energy when given (``eps_dot``; the bulk CdSe
:math:`(n+ik)^2 = 6.2\text{-}6.7 + 1.4\text{-}2.4i` at 1.9-2.5 eV, 4-10 % below
:math:`|f_{LF}|^2` with :math:`\varepsilon_\infty = 6.2`).  ``ratio_before`` keeps the
earlier comparison (1S_e-1S_3/2 integrated, :math:`\varepsilon_\infty`).

Result and the miss: model/measured 2.54 (2.5 nm) to 0.65 (7 nm) on Jasieniak, 6.2 to
1.26 (2.5-5 nm) on Yu CdSe, 4.1 to 1.28 (3-6 nm) on Yu CdTe.  The k.p band-edge
strength grows slowly with size (:math:`E_P/E_1` times an overlap near 0.85), while the
calibrations' band-edge absorption per dot grows as :math:`d^{1.7}` (Jasieniak,
normalised width) to :math:`d^{2.65}` (Yu, at the peak).  The higher lines add 5-15 %
and cannot close it.  Candidates not modelled here: the electron-hole correlation of
the intermediate confinement regime (which grows the band-edge strength with
:math:`R/a_B`; de Mello Donega & Koole 2009 point to the balance of confinement and
Coulomb energy), and, for small dots, strength carried outside the normalised line
(phonon sidebands, surface states).

The measured diameters are those of each calibration (its own sizing); the model
is evaluated at the same diameters, in toluene (n = 1.496; hexane, n = 1.375, lowers
:math:`|f_{LF}|^2/n` by 11 %).  Nothing is fitted.

High energy: the k.p states give no continuum; the extinction at 350 nm of the
ensemble optics (bulk optical constants with the local-field factor,
:class:`qdlab.optics.ensemble.Ensemble`) is 0.946x the Leatherdale et al. 2002
volume law :math:`\sigma_{350} = 5.501\times10^5\,\mathrm{cm^{-1}}\,a^3` at every
size (``tests/test_ensemble.py``); it does not use the k.p states.

Run ``python -m qdlab.electronic.kp.extinction``.

References
----------
.. [1] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano,
   J. Phys. Chem. C 113, 19468 (2009).
.. [2] W. W. Yu, L. Qu, W. Guo, X. Peng, Chem. Mater. 15, 2854 (2003).
.. [3] C. A. Leatherdale, W.-K. Woo, F. V. Mikulec, M. G. Bawendi, J. Phys. Chem. B
   106, 7619 (2002).
.. [4] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012).
.. [5] Y. Tang, M. Saniepay, C. Mi, R. Beaulac, J. A. McGuire, "Optical Stark
   metrology of CdSe quantum dots: reconciling the size-dependent oscillator
   strength with theory", arXiv:1703.00530 (2017).
.. [6] C. de Mello Donega and R. Koole, J. Phys. Chem. C 113, 6511 (2009).
"""

from __future__ import annotations

import math

import numpy as np

from qdlab.constants import AVOGADRO
from qdlab.electronic.kp.band_edge import integrated_cross_section_cm2_eV, kp_band_edge
from qdlab.materials import get_material

__all__ = ["GAUSSIAN_AREA_PER_HWHM", "JASIENIAK_HWHM_EV", "band_edge_peak_extinction",
           "format_kp_extinction", "measured_peak_extinction", "validate_kp_extinction"]

#: Area of a Gaussian of unit peak per unit HWHM, sqrt(pi / ln 2).
GAUSSIAN_AREA_PER_HWHM = math.sqrt(math.pi / math.log(2.0))
#: 1S HWHM (eV) to which the Jasieniak 2009 band-edge coefficients refer.
JASIENIAK_HWHM_EV = 0.06
#: Jasieniak et al. 2009, CdSe: d(lambda) polynomial coefficients (nm), constant first.
_JAS_D = (59.60816, -0.54736, 1.8873e-3, -2.85743e-6, 1.62974e-9)
#: Yu et al. 2003: eps_peak = prefactor * d^exponent (M^-1 cm^-1, d in nm).
_YU_EPS = {"CdSe": (5857.0, 2.65), "CdTe": (10043.0, 2.12)}
_TOLUENE_N = 1.496
_SETS = (("Jasieniak2009-CdSe", "CdSe", (2.5, 3.0, 4.0, 5.0, 6.0, 7.0)),
         ("Yu2003-CdSe", "CdSe", (2.5, 3.0, 4.0, 5.0)),
         ("Yu2003-CdTe", "CdTe", (3.0, 4.0, 5.0, 6.0)))


def _eps_per_sigma() -> float:
    return AVOGADRO / (1000.0 * math.log(10.0))


def measured_peak_extinction(source: str, diameter_nm):
    r"""Published band-edge peak extinction (M^-1 cm^-1) of a calibration at diameters (nm).

    Parameters
    ----------
    source : {"Jasieniak2009-CdSe", "Yu2003-CdSe", "Yu2003-CdTe"}
        Calibration.
    diameter_nm : array_like
        Diameters, nm.

    Returns
    -------
    ndarray
        Jasieniak 2009: :math:`\epsilon_{1S} = 155507 + 6.67054\times10^{13}
        e^{-E/0.10551}` with E = 1239.84/lambda and lambda from their sizing polynomial
        :math:`d(\lambda)` (inverted numerically); Yu 2003: :math:`5857d^{2.65}` (CdSe),
        :math:`10043d^{2.12}` (CdTe).  Same coefficients as :mod:`qdlab.sizing.curves`
        (copied so that the electronic layer does not import the sizing layer).

    See Also
    --------
    validate_kp_extinction : the k.p model against these calibrations.

    References
    ----------
    .. [1] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano,
       J. Phys. Chem. C 113, 19468 (2009). Bibliography ``jasieniak2009``.
    .. [2] W. W. Yu, L. Qu, W. Guo, X. Peng, Chem. Mater. 15, 2854 (2003). Bibliography ``yu2003``.

    Examples
    --------
    >>> round(float(measured_peak_extinction("Yu2003-CdSe", [4.0])[0]))
    230746
    """
    from scipy.optimize import brentq

    from qdlab.constants import HC_EV_NM
    from qdlab.errors import QdlabInputError

    d = np.atleast_1d(np.asarray(diameter_nm, dtype=float))
    if source.startswith("Yu2003-") and source[7:] in _YU_EPS:
        a, b = _YU_EPS[source[7:]]
        return a * d ** b
    if source != "Jasieniak2009-CdSe":
        raise QdlabInputError(f"source must be Jasieniak2009-CdSe, Yu2003-CdSe or Yu2003-CdTe, "
                              f"got {source!r}")

    def dl(lam, target):
        return sum(c * lam ** k for k, c in enumerate(_JAS_D)) - target

    lam = np.array([brentq(dl, 340.0, 700.0, args=(x,)) for x in d])
    return 155507.0 + 6.67054e13 * np.exp(-(HC_EV_NM / lam) / 0.10551)


def band_edge_peak_extinction(material, diameter_nm, *, hwhm_eV: float = JASIENIAK_HWHM_EV,
                              n_medium: float = _TOLUENE_N, eps_dot=None,
                              temperature_K: float = 300.0) -> dict:
    r"""Peak molar extinction of the ensemble band-edge (1S) feature from the k.p lines.

    Every allowed transition of the k.p ladder (:func:`qdlab.electronic.kp.transitions.
    transition_ladder_kp`: 1S_e-1S_3/2, 1S_e-2S_3/2, 1P_e-1P_3/2, ...) is broadened by
    one Gaussian of half width ``hwhm_eV``; the first peak of the sum is the quantity a
    published band-edge coefficient measures.

    Parameters
    ----------
    material : str or Material
        Core material (needs Luttinger parameters, Kane energy, spin-orbit splitting).
    diameter_nm : float or array_like
        Diameters, nm.
    hwhm_eV : float
        Gaussian half width at half maximum of every line, eV (default 0.06 eV, the
        line width to which Jasieniak et al. 2009 refer their coefficients).
    n_medium : float
        Solvent refractive index (default toluene).
    eps_dot : None, float, complex or callable
        Dot permittivity at each line (:func:`qdlab.electronic.kp.band_edge.
        dot_permittivity`; default ``eps_inf``).
    temperature_K : float
        K.

    Returns
    -------
    dict of ndarray, shape (N,)
        ``peak_M1cm1`` (peak of the summed lines, M^-1 cm^-1), ``peak_eV`` (its energy),
        ``single_line_M1cm1`` (peak of the 1S_e-1S_3/2 line alone with the same width
        and local field), ``integrated_1s_M1cm1eV`` (:math:`\int\epsilon dE` of that line).

    Notes
    -----
    :math:`\epsilon(E) = \sum_t \frac{N_A\int\sigma_t dE}{1000\ln10}
    \frac{e^{-\ln2\,(E-E_t)^2/\Gamma^2}}{\Gamma\sqrt{\pi/\ln2}}`, with
    :math:`\int\sigma_t dE` of :func:`qdlab.electronic.kp.band_edge.
    integrated_cross_section_cm2_eV` at the line's local field; the 1S_e-1S_3/2 strength
    is that of :func:`qdlab.electronic.kp.band_edge.kp_band_edge` (finite barrier, Kane
    lower-component weight), the higher ones those of the hard-wall ladder.  The peak is
    searched in :math:`[E_1 - \Gamma, E_1 + 2\Gamma]`.

    References
    ----------
    .. [1] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano,
       J. Phys. Chem. C 113, 19468 (2009). Bibliography ``jasieniak2009``.
    .. [2] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993). Bibliography ``ekimov1993``.
    .. [3] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012). Bibliography ``hens2012``.

    Examples
    --------
    >>> out = band_edge_peak_extinction("CdSe", [5.0])
    >>> bool(out["peak_M1cm1"][0] > out["single_line_M1cm1"][0])
    True
    """
    from qdlab.electronic.kp.band_edge import dot_permittivity
    from qdlab.electronic.kp.transitions import ladder_rows
    from qdlab.errors import check_positive

    check_positive(hwhm_eV, "hwhm_eV", "eV")
    m = get_material(material) if isinstance(material, str) else material
    d = np.atleast_1d(np.asarray(diameter_nm, dtype=float))
    be = kp_band_edge(m, d, temperature_K=temperature_K)
    g = float(hwhm_eV)
    norm = g * GAUSSIAN_AREA_PER_HWHM
    out = {k: np.zeros(d.size) for k in ("peak_M1cm1", "peak_eV", "single_line_M1cm1",
                                         "integrated_1s_M1cm1eV")}
    for i in range(d.size):
        lad = ladder_rows(m, float(d[i]), temperature_K=temperature_K, n_holes=2)
        e = np.array([r["energy_eV"] for r in lad])
        f = np.array([r["oscillator_strength"] for r in lad])
        e1 = float(be["energy_eV"][i])
        e[0], f[0] = e1, float(be["oscillator_strength"][i])
        keep = e < e1 + 6.0 * g
        e, f = e[keep], f[keep]
        area = (integrated_cross_section_cm2_eV(f, dot_permittivity(eps_dot, m, e), n_medium)
                * _eps_per_sigma())
        x = np.linspace(e1 - g, e1 + 2.0 * g, 1201)
        spec = (area[None, :] * np.exp(-math.log(2.0) * ((x[:, None] - e[None, :]) / g) ** 2)
                ).sum(axis=1) / norm
        j = int(np.argmax(spec))
        out["peak_M1cm1"][i], out["peak_eV"][i] = spec[j], x[j]
        out["single_line_M1cm1"][i] = area[0] / norm
        out["integrated_1s_M1cm1eV"][i] = area[0]
    return out


def validate_kp_extinction(n_medium: float = _TOLUENE_N, eps_dot=None) -> list[dict]:
    r"""Band-edge extinction of the k.p model against Jasieniak 2009 and Yu 2003, before/after.

    Parameters
    ----------
    n_medium : float
        Solvent refractive index (default toluene).
    eps_dot : None or dict
        Dot permittivity by material name (values as for :func:`qdlab.electronic.kp.
        band_edge.dot_permittivity`); materials not in it use ``eps_inf``.  ``qdlab
        validate`` passes the bulk :math:`(n+ik)^2` of CdSe (no table for CdTe).

    Returns
    -------
    list of dict
        One row per (data set, diameter): ``source``, ``material``, ``diameter_nm``,
        ``energy_eV`` (model first exciton), ``oscillator_strength``,
        ``model_integrated_M1cm1eV`` (:math:`\int\epsilon dE` of the 1S_e-1S_3/2 line,
        ``eps_inf``), ``measured_peak_M1cm1``, ``hwhm_eV`` (line width assumed for the
        measurement, 0.06 eV), ``measured_integrated_M1cm1eV``, ``ratio_before``
        (integrated 1S line / measured integrated: the comparison before the ensemble
        peak), ``model_peak_M1cm1`` (:func:`band_edge_peak_extinction`: every k.p line
        under the feature, local field at each line), ``ratio`` (model peak / measured
        peak), ``implied_hwhm_eV`` (HWHM at which the measured peak has the 1S line's
        integral), ``permittivity`` ("eps_inf" or "bulk(E)"), ``within_goal``
        (``|ratio - 1| <= 0.3``).

    See Also
    --------
    qdlab.sizing.extinction_validation.validate_extinction : the table of ``qdlab validate``.

    Notes
    -----
    :math:`\int\epsilon dE = \epsilon_{peak}\Gamma\sqrt{\pi/\ln2}` (module notes).  Yu
    2003 peaks belong to their samples' line widths, which are not in the repository:
    the same 0.06 eV is used and ``implied_hwhm_eV`` printed.

    References
    ----------
    .. [1] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano,
       J. Phys. Chem. C 113, 19468 (2009). Bibliography ``jasieniak2009``.
    .. [2] W. W. Yu, L. Qu, W. Guo, X. Peng, Chem. Mater. 15, 2854 (2003). Bibliography ``yu2003``.
    .. [3] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012). Bibliography ``hens2012``.

    Examples
    --------
    >>> rows = validate_kp_extinction()
    >>> sorted({r["source"] for r in rows})
    ['Jasieniak2009-CdSe', 'Yu2003-CdSe', 'Yu2003-CdTe']
    """
    eps_map = dict(eps_dot or {})
    rows = []
    for source, material, diam in _SETS:
        m = get_material(material)
        d = np.array(diam, dtype=float)
        be = kp_band_edge(m, d)
        sig = integrated_cross_section_cm2_eV(be["oscillator_strength"], m.eps_inf, n_medium)
        model_int = sig * _eps_per_sigma()
        g = JASIENIAK_HWHM_EV
        pk_model = band_edge_peak_extinction(m, d, hwhm_eV=g, n_medium=n_medium,
                                             eps_dot=eps_map.get(material))
        peak = measured_peak_extinction(source, d)
        meas_int = peak * g * GAUSSIAN_AREA_PER_HWHM
        for i in range(d.size):
            ratio = float(pk_model["peak_M1cm1"][i] / peak[i])
            rows.append({
                "source": source, "material": material, "diameter_nm": float(d[i]),
                "energy_eV": float(be["energy_eV"][i]),
                "oscillator_strength": float(be["oscillator_strength"][i]),
                "model_integrated_M1cm1eV": float(model_int[i]),
                "measured_peak_M1cm1": float(peak[i]), "hwhm_eV": g,
                "measured_integrated_M1cm1eV": float(meas_int[i]),
                "ratio_before": float(model_int[i] / meas_int[i]),
                "model_peak_M1cm1": float(pk_model["peak_M1cm1"][i]), "ratio": ratio,
                "implied_hwhm_eV": float(model_int[i] / (peak[i] * GAUSSIAN_AREA_PER_HWHM)),
                "permittivity": "bulk(E)" if material in eps_map else "eps_inf",
                "within_goal": abs(ratio - 1.0) <= 0.3,
            })
    return rows


def format_kp_extinction(rows=None) -> str:
    """Plain-text table of :func:`validate_kp_extinction` (before / after columns)."""
    rows = validate_kp_extinction() if rows is None else rows
    out = ["band-edge (1S) extinction, k.p, toluene, HWHM 0.06 eV. before: integrated "
           "1S_e-1S3/2 line (eps_inf) / (eps_peak x HWHM x 2.129); after: peak of every k.p "
           "line under the feature (local field at each line) / measured peak",
           f"{'source':19s} {'d nm':>5} {'E1 eV':>6} {'f':>5} {'eps_dot':>8} "
           f"{'meas peak':>10} {'model peak':>10} {'before':>7} {'after':>7} {'HWHM for 1':>10}"]
    for r in rows:
        out.append(f"{r['source']:19s} {r['diameter_nm']:5.1f} {r['energy_eV']:6.3f} "
                   f"{r['oscillator_strength']:5.2f} {r['permittivity']:>8} "
                   f"{r['measured_peak_M1cm1']:10.4g} {r['model_peak_M1cm1']:10.4g} "
                   f"{r['ratio_before']:7.2f} {r['ratio']:7.2f} {r['implied_hwhm_eV']:10.3f}")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(format_kp_extinction())
