r"""Validation of the multiband (k.p) first exciton against measured sizing relations.

The k.p model (:func:`qdlab.electronic.kp.spherical.first_exciton_kp_batch`:
three-band Kane electron, spherical 4x4 Luttinger 1S_3/2 hole, first-order
Coulomb and self-polarisation) is compared, side by side with the single-band
model (:func:`qdlab.electronic.sphere.exciton.first_exciton_batch`), with the
packaged reference points (``qdlab/_data/first_exciton_open.csv``: Yu et al.
2003 for CdSe, CdTe and CdS; Jasieniak et al. 2009 for CdSe).  Nothing is
fitted: both models use the bulk parameters of :mod:`qdlab.materials`.  Lead
salts are outside the model (mirror-like bands) and are skipped.

Higher transitions of CdSe (Norris & Bawendi 1996, PLE): their measured
energies are not in the repository and could not be read from a verifiable
source in this work, so they are not compared; the model ladder (with the 6x6
split-off states) is :func:`qdlab.electronic.kp.transitions.kp_transitions_vs_size`.
Band-edge extinction and radiative lifetimes: :mod:`qdlab.electronic.kp.extinction`,
:mod:`qdlab.electronic.kp.lifetimes`.

Run ``python -m qdlab.electronic.kp.validation`` to print the tables.

References
----------
.. [1] W. W. Yu, L. Qu, W. Guo and X. Peng, Chem. Mater. 15, 2854 (2003).
.. [2] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney and M. Califano,
   J. Phys. Chem. C 113, 19468 (2009).
.. [3] D. J. Norris and M. G. Bawendi, Phys. Rev. B 53, 16338 (1996).
"""

from __future__ import annotations

import numpy as np

from qdlab.electronic.sphere.holes import has_mirror_bands

__all__ = ["format_kp_tables", "kp_point_errors", "validate_kp"]


def kp_point_errors(points=None, temperature_K: float = 300.0) -> list[dict]:
    """Per-point first exciton of the k.p and single-band models against the measurement.

    Parameters
    ----------
    points : list of qdlab.validation.ReferencePoint, optional
        Default: the packaged reference points.
    temperature_K : float
        Temperature in K (the sizing relations are room-temperature spectra).

    Returns
    -------
    list of dict
        ``material``, ``source``, ``diameter_nm``, ``measured_eV``, ``kp_eV``,
        ``single_band_eV`` (all eV).

    References
    ----------
    .. [1] W. W. Yu, L. Qu, W. Guo, X. Peng, Chem. Mater. 15, 2854 (2003). Bibliography ``yu2003``.
    .. [2] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano,
       J. Phys. Chem. C 113, 19468 (2009). Bibliography ``jasieniak2009``.

    Examples
    --------
    >>> rows = kp_point_errors()
    >>> sorted({r["material"] for r in rows})
    ['CdS', 'CdSe', 'CdTe']
    """
    from qdlab.electronic.kp.spherical import first_exciton_kp_batch
    from qdlab.electronic.sphere.exciton import first_exciton_batch
    from qdlab.materials import get_material
    from qdlab.validation import load_reference_points

    points = load_reference_points() if points is None else points
    groups: dict = {}
    for p in points:
        groups.setdefault((p.material, p.source), []).append(p)
    rows = []
    for (material, source), pts in groups.items():
        if has_mirror_bands(get_material(material)):
            continue
        d = np.array([p.diameter_nm for p in pts])
        kp = first_exciton_kp_batch([material], d[:, None] / 2.0,
                                    temperature_K=temperature_K)["first_exciton_eV"]
        sb = first_exciton_batch([material], d[:, None] / 2.0,
                                 temperature=temperature_K)["first_exciton_eV"]
        for p, ek, es in zip(pts, kp, sb, strict=True):
            rows.append({"material": material, "source": source, "diameter_nm": p.diameter_nm,
                         "measured_eV": p.first_exciton_eV, "kp_eV": float(ek),
                         "single_band_eV": float(es)})
    return rows


def validate_kp(points=None, temperature_K: float = 300.0) -> list[dict]:
    r"""First exciton of the k.p model against each measured relation, with the single-band model.

    Parameters
    ----------
    points : list of qdlab.validation.ReferencePoint, optional
        Default: the packaged reference points (lead salts skipped).
    temperature_K : float
        Temperature in K.

    Returns
    -------
    list of dict
        One row per (material, source): ``material``, ``source``, ``n``,
        ``diameter_min_nm``, ``diameter_max_nm``, ``rms_eV``, ``mean_error_eV``,
        ``max_abs_eV`` (k.p model minus measurement; > 0: model too blue) and
        ``single_band_rms_eV``, ``single_band_mean_error_eV``, and ``within_goal``
        (k.p RMS <= 0.05 eV).

    See Also
    --------
    qdlab.electronic.model_validation.validate_models : every model on every measured set.

    Notes
    -----
    RMS :math:`= \sqrt{\langle (E_{model} - E_{exp})^2\rangle}` over the points of a set.

    References
    ----------
    .. [1] W. W. Yu, L. Qu, W. Guo, X. Peng, Chem. Mater. 15, 2854 (2003). Bibliography ``yu2003``.
    .. [2] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano,
       J. Phys. Chem. C 113, 19468 (2009). Bibliography ``jasieniak2009``.
    .. [3] D. J. Norris and M. G. Bawendi, Phys. Rev. B 53, 16338 (1996). Bibliography ``norris1996``.

    Examples
    --------
    >>> rows = {(r["material"], r["source"]): r for r in validate_kp()}
    >>> rows[("CdSe", "Jasieniak2009")]["n"]
    8
    """
    pts = kp_point_errors(points, temperature_K)
    groups: dict = {}
    for r in pts:
        groups.setdefault((r["material"], r["source"]), []).append(r)
    rows = []
    for (material, source), rs in groups.items():
        d = np.array([r["diameter_nm"] for r in rs])
        e = np.array([r["measured_eV"] for r in rs])
        k = np.array([r["kp_eV"] for r in rs]) - e
        s = np.array([r["single_band_eV"] for r in rs]) - e
        rms = float(np.sqrt(np.mean(k ** 2)))
        rows.append({
            "material": material, "source": source, "n": len(rs),
            "diameter_min_nm": float(d.min()), "diameter_max_nm": float(d.max()),
            "rms_eV": rms, "mean_error_eV": float(k.mean()),
            "max_abs_eV": float(np.abs(k).max()),
            "single_band_rms_eV": float(np.sqrt(np.mean(s ** 2))),
            "single_band_mean_error_eV": float(s.mean()),
            "within_goal": rms <= 0.05,
        })
    return rows


def format_kp_tables(rows=None, points=None) -> str:
    """Plain-text tables of :func:`validate_kp` (summary) and of every point.

    Examples
    --------
    >>> print(format_kp_tables().splitlines()[0])
    first exciton, k.p (Kane electron + 4x4 Luttinger hole) vs single band; error = model - measured
    """
    rows = validate_kp() if rows is None else rows
    points = kp_point_errors() if points is None else points
    out = ["first exciton, k.p (Kane electron + 4x4 Luttinger hole) vs single band; "
           "error = model - measured",
           f"{'material':8s} {'source':14s} {'n':>2s} {'d (nm)':>10s} {'kp rms':>7s} "
           f"{'kp mean':>8s} {'kp max':>7s} {'1b rms':>7s} {'1b mean':>8s}  goal<=0.05"]
    for r in rows:
        out.append(f"{r['material']:8s} {r['source']:14s} {r['n']:2d} "
                   f"{r['diameter_min_nm']:4.1f}-{r['diameter_max_nm']:4.1f} "
                   f"{r['rms_eV']:7.3f} {r['mean_error_eV']:+8.3f} {r['max_abs_eV']:7.3f} "
                   f"{r['single_band_rms_eV']:7.3f} {r['single_band_mean_error_eV']:+8.3f}  "
                   f"{'yes' if r['within_goal'] else 'NO'}")
    out.append("")
    out.append(f"{'material':8s} {'source':14s} {'d (nm)':>6s} {'meas':>6s} {'kp':>6s} "
               f"{'kp err':>7s} {'1b':>6s} {'1b err':>7s}")
    for p in points:
        out.append(f"{p['material']:8s} {p['source']:14s} {p['diameter_nm']:6.2f} "
                   f"{p['measured_eV']:6.3f} {p['kp_eV']:6.3f} "
                   f"{p['kp_eV'] - p['measured_eV']:+7.3f} {p['single_band_eV']:6.3f} "
                   f"{p['single_band_eV'] - p['measured_eV']:+7.3f}")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(format_kp_tables())
