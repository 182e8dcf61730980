"""Every sizing answer for one first-exciton peak: published curves and the physical model.

This is what ``qdlab size`` and ``POST /api/size`` show.
"""

from __future__ import annotations

from qdlab.errors import QdlabInputError

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

    name = get_material(material).name
    try:
        has_curves = bool(curves_for(name))
    except QdlabInputError:
        has_curves = False
    result = (size_from_peak(name, peak_nm, absorbance=absorbance, path_cm=path_cm)
              if has_curves else None)
    out = result.to_dict() if result is not None else {
        "material": name, "peak_nm": peak_nm, "diameter_nm": None, "recommended": None,
        "methods": [], "warnings": []}
    try:
        d_model = float(diameter_from_peak_model(name, peak_nm))
    except QdlabInputError as exc:   # outside the model's range: keep the curves' answer
        if result is None:
            raise
        d_model = None
        out["warnings"].append(f"physical model: {exc}")
    out["methods"].append({"name": MODEL_METHOD, "diameter_nm": d_model,
                           "extinction_M-1cm-1": None, "extinction_wavelength_nm": None,
                           "concentration_M": None, "in_range": d_model is not None})
    if out["diameter_nm"] is None:
        out["diameter_nm"] = d_model
        out["recommended"] = MODEL_METHOD
    return out
