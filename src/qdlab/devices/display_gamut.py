r"""Display gamut: coverage of sRGB, DCI-P3 and Rec.2020, white point, CIELab volume.

Chromaticities come from :func:`qdlab.optics.colour.emission_colour` (CIE 1931 2-degree
observer, built on colour-science); the standards' primaries are colour-science's
RGB colourspaces (``colour.models.RGB_COLOURSPACE_sRGB``, ``RGB_COLOURSPACE_DCI_P3``,
``RGB_COLOURSPACE_BT2020``); the polygons are clipped with qdlab's
:func:`~qdlab.optics.colour.polygon_intersection`.

Definitions
-----------
With :math:`T` the triangle of the display primaries and :math:`S` that of a standard,
in CIE 1931 xy or in CIE 1976 u'v' (:math:`u' = 4x/(-2x+12y+3)`,
:math:`v' = 9y/(-2x+12y+3)`):

.. math::

    \text{coverage} = \frac{A(T\cap S)}{A(S)} \le 1, \qquad
    \text{area ratio} = \frac{A(T)}{A(S)}.

*White point*: xy and u'v' of the sum of the three primaries' power spectra, its
correlated colour temperature and distance from the Planckian locus :math:`D_{uv}`
(Ohno 2013, colour-science ``uv_to_CCT``, CIE 1960 uv).

*CIELab gamut volume*: colour-science implements it
(``colour.volume.RGB_colourspace_volume_MonteCarlo``: uniform samples in the CIELab box
L* 0-100, a*, b* -150..150, converted to the RGB space of the primaries, counted when
all three channels lie in [0, 1]), a Monte Carlo estimate in units of
:math:`\Delta E^3` with a relative error :math:`\sqrt{(1-p)/(pN)}` (p the filled
fraction of the box, N the samples; 0.5 % at the default 2e5 samples).  The
intersection of two Lab volumes is not implemented there; qdlab reports the volume
and its ratio to each standard's volume (same samples, same seed).

References
----------
.. [1] CIE 015:2018, *Colorimetry*, 4th ed. (u'v', CIE 1976 UCS).
.. [2] IEC 61966-2-1:1999 (sRGB); SMPTE RP 431-2:2011 (DCI-P3); ITU-R BT.2020-2 (2015).
.. [3] Y. Ohno, "Practical use and calculation of CCT and Duv", LEUKOS 10, 47 (2014).
.. [4] T. Mansencal et al., colour-science (Zenodo, doi:10.5281/zenodo.3757045).

Examples
--------
>>> g = gamut_coverage(standard_primaries("sRGB"))
>>> round(g["sRGB"]["xy"]["coverage"], 12), round(g["Rec2020"]["upvp"]["coverage"], 3)
(1.0, 0.58)
"""

from __future__ import annotations

import numpy as np

from qdlab.errors import QdlabInputError, check_range
from qdlab.optics.colour import (
    _colour,
    emission_colour,
    polygon_area,
    polygon_intersection,
    xy_to_upvp,
)

__all__ = [
    "STANDARDS",
    "gamut_coverage",
    "lab_gamut_volume",
    "standard_primaries",
    "white_point",
]

#: Display standards -> the colour-science RGB colourspace that defines their primaries.
STANDARDS = {"sRGB": "RGB_COLOURSPACE_sRGB", "DCI-P3": "RGB_COLOURSPACE_DCI_P3",
             "Rec2020": "RGB_COLOURSPACE_BT2020"}


def _space(name: str):
    if name not in STANDARDS:
        raise QdlabInputError(f"standard must be one of {', '.join(STANDARDS)}, got {name!r}")
    return getattr(_colour().models, STANDARDS[name])


def standard_primaries(name: str) -> np.ndarray:
    """CIE 1931 xy of the R, G, B primaries of a standard (from colour-science), (3, 2).

    Examples
    --------
    >>> standard_primaries("Rec2020")[1].tolist()
    [0.17, 0.797]
    """
    return np.array(_space(name).primaries, dtype=float)


def _triangle(xy) -> np.ndarray:
    p = np.asarray(xy, dtype=float)
    if p.shape != (3, 2) or not np.all(np.isfinite(p)):
        raise QdlabInputError(f"primaries must be 3 finite (x, y) pairs, got shape {p.shape}")
    return p


def gamut_coverage(primaries_xy, standards=tuple(STANDARDS)) -> dict:
    r"""Coverage and area ratio of a display's primaries against display standards.

    Parameters
    ----------
    primaries_xy : array_like, shape (3, 2)
        CIE 1931 xy of the display's red, green and blue.
    standards : sequence of str
        Names from :data:`STANDARDS`.

    Returns
    -------
    dict
        ``{name: {"xy": {"coverage", "area_ratio"}, "upvp": {"coverage", "area_ratio"}}}``
        as fractions (1 = 100 %).

    Notes
    -----
    coverage = :math:`A(T\cap S)/A(S)`, area ratio = :math:`A(T)/A(S)`, in xy and in
    u'v' (see the module notes).  A coverage above 1 can only be round-off of the
    clipping and is clipped to 1.
    """
    t = _triangle(primaries_xy)
    out = {}
    for name in standards:
        s = standard_primaries(name)
        res = {}
        for key, conv in (("xy", lambda p: p), ("upvp", xy_to_upvp)):
            tt, ss = conv(t), conv(s)
            a_s = polygon_area(ss)
            res[key] = {"coverage": min(1.0, polygon_area(polygon_intersection(tt, ss)) / a_s),
                        "area_ratio": polygon_area(tt) / a_s}
        out[name] = res
    return out


def white_point(wavelength_nm, power) -> dict:
    r"""Chromaticity and correlated colour temperature of a white spectrum.

    Parameters
    ----------
    wavelength_nm : array_like
        nm.
    power : array_like
        Spectral power per nm (any unit, >= 0).

    Returns
    -------
    dict
        ``x``, ``y``, ``u_prime``, ``v_prime``, ``cct_K`` and ``duv`` (Ohno 2013;
        ``duv > 0`` above the Planckian locus, towards green).

    Notes
    -----
    CIE 1960 :math:`(u, v) = (4x, 6y)/(-2x + 12y + 3)`, then colour-science
    ``uv_to_CCT(uv, method="Ohno 2013")``.  A CCT far from the locus
    (:math:`|D_{uv}| > 0.05`) is not meaningful: it is reported as None.

    References
    ----------
    .. [1] Y. Ohno, LEUKOS 10, 47 (2014).
    """
    c = emission_colour(wavelength_nm, power, warn=False)
    colour = _colour()
    uv = colour.xy_to_UCS_uv(np.array([c.x, c.y]))
    cct, duv = (float(v) for v in colour.uv_to_CCT(uv, method="Ohno 2013"))
    ok = abs(duv) <= 0.05 and 1000.0 <= cct <= 100_000.0
    return {"x": c.x, "y": c.y, "u_prime": c.u_prime, "v_prime": c.v_prime,
            "cct_K": cct if ok else None, "duv": duv,
            **({} if ok else {"cct_K_reason": "the white point is too far from the "
                                             "Planckian locus (|Duv| > 0.05) for a CCT"})}


def lab_gamut_volume(primaries_xy, whitepoint_xy, *, samples: int = 200_000,
                     seed: int = 0) -> dict:
    r"""CIELab gamut volume of a display and its ratio to each standard's volume.

    Parameters
    ----------
    primaries_xy : array_like, shape (3, 2)
        Display primaries, CIE 1931 xy.
    whitepoint_xy : array_like, shape (2,)
        Display white, xy.
    samples : int
        Monte Carlo samples (1e4-1e7).
    seed : int
        Seed of the sampler (the same samples for every volume).

    Returns
    -------
    dict
        ``volume_dE3``, ``relative_error`` (one standard deviation) and
        ``ratio`` ``{standard: volume / standard volume}``.

    Notes
    -----
    colour-science ``RGB_colourspace_volume_MonteCarlo`` (CIELab under D65,
    CAT02 adaptation from the display white); relative error
    :math:`\sqrt{(1-p)/(pN)}`, :math:`p = V/V_{box}`, :math:`V_{box} = 100\times300^2`.
    """
    colour = _colour()
    samples = int(check_range(samples, "samples", 1e4, 1e7))
    t = _triangle(primaries_xy)
    disp = colour.RGB_Colourspace("display", t, np.asarray(whitepoint_xy, dtype=float),
                                  use_derived_matrix_RGB_to_XYZ=True,
                                  use_derived_matrix_XYZ_to_RGB=True)

    def vol(space):
        return float(colour.volume.RGB_colourspace_volume_MonteCarlo(
            space, samples=samples, random_state=np.random.RandomState(seed)))

    v = vol(disp)
    p = v / (100.0 * 300.0 * 300.0)
    return {"volume_dE3": v, "samples": samples,
            "relative_error": float(np.sqrt((1 - p) / (p * samples))) if p > 0 else None,
            "ratio": {name: v / vol(_space(name)) for name in STANDARDS}}
