"""Every sizing answer for one first-exciton peak: published curves and the physical model.

This is what ``qdlab size`` and ``POST /api/size`` show.
"""

from __future__ import annotations

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, check_positive

#: A first-exciton peak is refused when its photon energy is below the bulk band gap at
#: 300 K less this margin (eV): more than the largest bulk exciton binding energy of the
#: database (CuCl, 0.19 eV) and than the band-gap change between 300 K and 400 K.
BULK_GAP_MARGIN_EV = 0.2

#: Name of the physical-model entry in the ``methods`` list.
MODEL_METHOD = "qdlab effective-mass model"


def size_report(material: str, peak_nm: float, absorbance: float | None = None,
                path_cm: float = 1.0) -> dict:
    """Diameter from every applicable sizing curve and from the physical model.

    Parameters
    ----------
    material : str
        Any material of the database; curves exist for CdSe, CdTe, CdS, PbS, PbSe.
    peak_nm : float
        First-exciton absorption peak, nm.
    absorbance : float, optional
        Absorbance where each curve's extinction applies (see
        :func:`qdlab.sizing.size_from_peak`), for the concentration.
    path_cm : float
        Optical path, cm.

    Returns
    -------
    dict
        ``diameter_nm`` (the recommended value: the recommended curve, or the
        model where no curve exists), ``recommended``, ``methods`` (each with
        ``name``, ``diameter_nm``, ``extinction_M-1cm-1``, ...) and ``warnings``.

    Examples
    --------
    >>> r = size_report("CdSe", 550.0)
    >>> r["recommended"], [m["name"] for m in r["methods"]][-1]
    ('Jasieniak2009-CdSe', 'qdlab effective-mass model')
    """
    from qdlab.materials import get_material
    from qdlab.sizing.curves import curves_for
    from qdlab.sizing.estimate import size_from_peak
    from qdlab.sizing.model import diameter_from_peak_model

    mat = get_material(material)
    name = mat.name
    check_positive(peak_nm, "peak_nm", "nm")
    e_min = float(mat.band_gap(300.0)) - BULK_GAP_MARGIN_EV
    if np.ndim(peak_nm) == 0 and e_min > 0 and HC_EV_NM / float(peak_nm) < e_min:
        raise QdlabInputError(
            f"peak_nm must be <= {HC_EV_NM / e_min:.0f} nm for {name}: a first exciton is "
            f"bluer than the bulk band gap ({float(mat.band_gap(300.0)):.3g} eV at 300 K, "
            f"less {BULK_GAP_MARGIN_EV:g} eV), got {float(peak_nm):g}")
    try:
        has_curves = bool(curves_for(name))
    except QdlabInputError:
        has_curves = False
    result = (size_from_peak(name, peak_nm, absorbance=absorbance, path_cm=path_cm)
              if has_curves else None)
    out = result.to_dict() if result is not None else {
        "material": name, "peak_nm": peak_nm, "diameter_nm": None, "recommended": None,
        "methods": [], "warnings": []}
    no_eps = "the effective-mass model gives no extinction coefficient"
    model = {"name": MODEL_METHOD, "diameter_nm": None,
             "extinction_M-1cm-1": None, "extinction_M-1cm-1_reason": no_eps,
             "extinction_wavelength_nm": None, "extinction_wavelength_nm_reason": no_eps,
             "concentration_M": None, "concentration_M_reason": no_eps, "in_range": False}
    try:
        model["diameter_nm"] = float(diameter_from_peak_model(name, peak_nm))
        model["in_range"] = True
    except QdlabInputError as exc:   # outside the model's range: keep the curves' answer
        if result is None:
            raise
        model["diameter_nm_reason"] = f"outside the physical model's range: {exc}"
        out["warnings"].append(f"physical model: {exc}")
    out["methods"].append(model)
    d_model = model["diameter_nm"]
    if out["diameter_nm"] is None:
        out["diameter_nm"] = d_model
        out["recommended"] = MODEL_METHOD
    return out
