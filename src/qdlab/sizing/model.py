"""Sizing with the physical model: invert the exact radial model's first exciton.

Unlike the empirical curves in :mod:`qdlab.sizing.curves` this works for every
material in the database, but it carries the effective-mass model's error
(see ``qdlab validate``: ~0.05-0.1 eV RMS for CdSe, CdTe and PbS, larger for
CdS and at diameters below ~3 nm).
"""

from __future__ import annotations

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, check_positive, warn_validity

#: Diameter range (nm) over which the model is inverted.
MODEL_DIAMETER_RANGE_NM = (1.5, 30.0)


def model_peak_curve(material: str, n: int = 160, **options):
    r"""First-exciton wavelength (nm) of spheres on a log-spaced diameter grid.

    Parameters
    ----------
    material : str
        Any material in the database.
    n : int
        Number of diameters, log-spaced over ``MODEL_DIAMETER_RANGE_NM`` (1.5-30 nm).
    **options
        Passed to :func:`qdlab.electronic.sphere.exciton.first_exciton_batch`.

    Returns
    -------
    (diameter_nm, peak_nm) : tuple of ndarray
        Diameters in nm and first-exciton peak wavelengths in nm.

    Notes
    -----
    :math:`\lambda(d) = hc / E_1(d/2)`, with :math:`E_1 = E_g + E_e + E_h - J_{eh}`
    the strong-confinement first exciton of the exact radial effective-mass model
    (finite barriers, first-order Coulomb energy).

    References
    ----------
    .. [1] Brus, J. Chem. Phys. 80, 4403-4409 (1984); bibliography ``brus1984``.
    .. [2] Efros & Rosen, Annu. Rev. Mater. Sci. 30, 475-521 (2000); bibliography
       ``efros2000``.
    """
    from qdlab.electronic.sphere.exciton import first_exciton_batch

    d = np.geomspace(*MODEL_DIAMETER_RANGE_NM, n)
    e = first_exciton_batch([material], d[:, None] / 2.0, **options)["first_exciton_eV"]
    return d, HC_EV_NM / e


def diameter_from_peak_model(material: str, peak_nm, **options):
    """Diameter (nm) whose model first exciton lies at ``peak_nm``.

    Parameters
    ----------
    material : str
        Any material in the database.
    peak_nm : float or array_like
        First-exciton absorption peak in nm.

    Returns
    -------
    float or ndarray
        Diameter in nm (monotone inversion of the model curve).

    Notes
    -----
    Log-log interpolation of :func:`model_peak_curve` on its monotone part (up to the
    reddest model peak).  Below 3 nm effective-mass theory overestimates the
    confinement (a :class:`~qdlab.errors.QdlabValidityWarning` says so).

    References
    ----------
    .. [1] Brus, J. Chem. Phys. 80, 4403-4409 (1984); bibliography ``brus1984``.
    .. [2] Efros & Rosen, Annu. Rev. Mater. Sci. 30, 475-521 (2000); bibliography
       ``efros2000``.

    Examples
    --------
    >>> d = diameter_from_peak_model("CdSe", 580.0)
    >>> 3.0 < d < 5.0
    True
    """
    check_positive(peak_nm, "peak_nm", "nm")
    d, lam = model_peak_curve(material, **options)
    # In weak confinement the first-order Coulomb model turns bluer again with size (see
    # qdlab.optics.ensemble.warn_size_validity; CdS near 10 nm): invert only the
    # monotone part, up to the reddest model peak.
    last = int(np.argmax(lam)) + 1
    d, lam = d[:last], lam[:last]
    if last < 2 or np.any(np.diff(lam) <= 0):  # pragma: no cover - monotone at small sizes
        raise QdlabInputError(f"model first exciton of {material} is not monotone in size")
    p = np.asarray(peak_nm, dtype=float)
    if np.any(p < lam[0]) or np.any(p > lam[-1]):
        raise QdlabInputError(
            f"peak_nm must be in [{lam[0]:.0f}, {lam[-1]:.0f}] nm for {material} "
            f"(model diameters {MODEL_DIAMETER_RANGE_NM[0]:g}-{d[-1]:.3g} nm), "
            f"got {float(np.ravel(p)[0]):g}")
    out = np.exp(np.interp(np.log(p), np.log(lam), np.log(d)))
    if np.any(out < 3.0):
        warn_validity("model sizing below 3 nm: effective-mass theory overestimates "
                      "confinement there, so the model diameter is too large")
    return float(out) if out.ndim == 0 else out
