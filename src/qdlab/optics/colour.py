"""Colour of emission spectra and display gamuts (CIE 1931 2-degree observer).

Built on colour-science (CIE 1931 2-degree colour matching functions, sRGB encoding,
dominant wavelength). Gamut polygons are clipped with Sutherland-Hodgman (convex
clip polygon), no shapely needed.

Examples
--------
>>> c = emission_colour(*gaussian_line(530.0, 25.0))
>>> round(c.x, 3), round(c.y, 3), c.srgb_hex
(0.169, 0.781, '#00FF00')
>>> g = gamut_coverage([gaussian_line(630, 25), gaussian_line(530, 25), gaussian_line(460, 20)])
>>> round(g["sRGB"]["coverage_xy"], 3)
1.0
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np

from qdlab.errors import (
    QdlabInputError,
    check_positive,
    check_range,
    unknown_name_error,
    warn_validity,
)

__all__ = [
    "GAMUTS",
    "ColourResult",
    "emission_colour",
    "emission_srgb_hex",
    "gamut_area",
    "gamut_coverage",
    "gaussian_line",
    "polygon_area",
    "polygon_intersection",
    "xy_to_upvp",
]

#: CIE 1931 xy of the D65 white point (CIE 015:2018), the sRGB white.
_D65 = np.array([0.3127, 0.3290])
#: XYZ -> linear sRGB (IEC 61966-2-1:1999, the matrix as published, D65 white).
_XYZ_TO_SRGB = np.array([[3.2406, -1.5372, -0.4986],
                         [-0.9689, 1.8758, 0.0415],
                         [0.0557, -0.2040, 1.0570]])


def _colour():
    """colour-science, imported on first use (it imports matplotlib: ~1 s)."""
    _np_print = np.get_printoptions()
    import colour  # colour-science switches numpy to legacy printing on import

    np.set_printoptions(**_np_print)
    return colour


@functools.cache
def _cmf_table() -> tuple[np.ndarray, np.ndarray]:
    """CIE 1931 2-degree CMFs, 360-830 nm by 1 nm (``optics/data/cie1931_2deg_cmfs.csv``)."""
    path = resources.files("qdlab.optics") / "data" / "cie1931_2deg_cmfs.csv"
    with resources.as_file(path) as f:
        t = np.loadtxt(f, delimiter=",", skiprows=3)
    t.flags.writeable = False
    return t[:, 0], t[:, 1:]


def _cmfs():
    return _colour().MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]


#: Largest excess of the excitation purity over 1 that is clipped to 1.  The CIE
#: 1931 locus is slightly concave at its ends (380-400 nm, 650-700 nm): the
#: chromaticity of a narrow band there lies up to ~1.1e-4 (in purity) beyond the
#: 1 nm polyline of the locus that ``colour.excitation_purity`` intersects.
#: A larger excess is kept and reported with a warning.
PURITY_ROUNDOFF = 1e-3

#: Luminous efficiency below which the colour of an emission is called ill-defined
#: (a warning): the light is nearly invisible, e.g. 0.1 % of the luminous flux of
#: a 555 nm source of equal power (a line at 730 nm or 400 nm).
MIN_LUMINOUS_EFFICIENCY = 1e-3

#: Chromaticity distance within which a point counts as on a corner of the locus.
_CORNER_TOL = 1e-5

#: Display primaries (CIE 1931 xy of R, G, B): IEC 61966-2-1 (sRGB), SMPTE RP 431-2
#: (DCI-P3), ITU-R BT.2020 (Rec.2020).
GAMUTS: dict[str, np.ndarray] = {
    "sRGB": np.array([[0.640, 0.330], [0.300, 0.600], [0.150, 0.060]]),
    "DCI-P3": np.array([[0.680, 0.320], [0.265, 0.690], [0.150, 0.060]]),
    "Rec.2020": np.array([[0.708, 0.292], [0.170, 0.797], [0.131, 0.046]]),
}


@dataclass(frozen=True)
class ColourResult:
    """Colour of one emission spectrum.

    Attributes
    ----------
    X, Y, Z : float
        Tristimulus values (relative, Y normalised to 1).
    x, y : float
        CIE 1931 chromaticity.
    u_prime, v_prime : float
        CIE 1976 UCS chromaticity u', v'.
    srgb_hex : str
        sRGB colour (brightness normalised, out-of-gamut values clipped).
    dominant_wavelength_nm : float or None
        Dominant wavelength vs D65 in nm; None when there is none (a purple, or
        the red/violet end of the locus where many wavelengths share one
        chromaticity), with the reason in ``dominant_wavelength_note``.
    purity : float
        Excitation purity vs D65 in [0, 1] (0 = white, 1 = spectral locus); an
        excess over 1 up to :data:`PURITY_ROUNDOFF` (locus concavity) is clipped.
    complementary_wavelength_nm : float or None
        For purples only: the complementary wavelength vs D65, nm (positive;
        colour-science returns it as a negative dominant wavelength).
    dominant_wavelength_note : str or None
        Why ``dominant_wavelength_nm`` is None.
    luminous_efficiency : float or None
        sum I ybar / sum I over the spectrum given: the luminous efficacy in
        units of its 555 nm maximum (683 lm/W), in [0, 1]; below
        :data:`MIN_LUMINOUS_EFFICIENCY` the light is nearly invisible and its
        colour ill-defined (a warning).
    """

    X: float
    Y: float
    Z: float
    x: float
    y: float
    u_prime: float
    v_prime: float
    srgb_hex: str
    dominant_wavelength_nm: float | None
    purity: float
    complementary_wavelength_nm: float | None = None
    dominant_wavelength_note: str | None = None
    luminous_efficiency: float | None = None

    def to_dict(self) -> dict:
        """JSON-ready dict; a wavelength that is None comes with a ``<key>_reason``."""
        out = dict(self.__dict__)
        if self.dominant_wavelength_nm is None:
            out["dominant_wavelength_nm_reason"] = (
                self.dominant_wavelength_note or "no dominant wavelength for this colour")
        if self.complementary_wavelength_nm is None:
            out["complementary_wavelength_nm_reason"] = (
                "only a purple colour (no dominant wavelength on the spectrum locus) has a "
                "complementary wavelength" if self.dominant_wavelength_nm is not None else
                self.dominant_wavelength_note or "no complementary wavelength for this colour")
        return out


#: Allowed FWHM (nm) of :func:`gaussian_line`, as in the web API.
LINE_FWHM_RANGE_NM = (0.1, 500.0)


def gaussian_line(centre_nm: float, fwhm_nm: float, *, step_nm: float = 0.5,
                  span_fwhm: float = 4.0) -> tuple[np.ndarray, np.ndarray]:
    """A Gaussian emission line on a wavelength grid (clipped to 360-830 nm).

    Parameters
    ----------
    centre_nm, fwhm_nm : float
        Centre and full width at half maximum in nm; ``fwhm_nm`` in
        :data:`LINE_FWHM_RANGE_NM` (0.1-500 nm: from a narrow laser-like line to a band
        wider than the visible range).
    step_nm : float
        Grid step in nm.
    span_fwhm : float
        Half-span of the grid in units of FWHM.

    Returns
    -------
    (wavelength_nm, intensity) : tuple of numpy.ndarray
        Intensity peaks at 1.

    Examples
    --------
    >>> wl, I = gaussian_line(520, 30)
    >>> float(wl[np.argmax(I)])
    520.0
    """
    check_positive(centre_nm, "centre_nm", "nm")
    check_range(fwhm_nm, "fwhm_nm", *LINE_FWHM_RANGE_NM, "nm")
    check_positive(step_nm, "step_nm", "nm")
    lo = max(360.0, centre_nm - span_fwhm * fwhm_nm)
    hi = min(830.0, centre_nm + span_fwhm * fwhm_nm)
    if hi <= lo:
        raise QdlabInputError(f"centre_nm must be in [360, 830] nm, got {centre_nm:g}")
    wl = np.arange(np.floor(lo / step_nm) * step_nm, hi + step_nm / 2, step_nm)
    s = fwhm_nm / (2 * np.sqrt(2 * np.log(2)))
    return wl, np.exp(-0.5 * ((wl - centre_nm) / s) ** 2)


def xy_to_upvp(xy) -> np.ndarray:
    """CIE 1931 xy -> CIE 1976 u'v': u' = 4x/(-2x+12y+3), v' = 9y/(-2x+12y+3).

    See Also
    --------
    emission_colour

    References
    ----------
    .. [1] CIE 15:2004, *Colorimetry*, 3rd ed. (Commission Internationale de l'Eclairage,
       2004). Bibliography ``cie2004``.
    """
    xy = np.asarray(xy, dtype=float)
    d = -2 * xy[..., 0] + 12 * xy[..., 1] + 3
    return np.stack([4 * xy[..., 0] / d, 9 * xy[..., 1] / d], axis=-1)


def _xyz(wavelength_nm, intensity) -> np.ndarray:
    wl = np.asarray(wavelength_nm, dtype=float)
    I = np.asarray(intensity, dtype=float)
    if wl.ndim != 1 or I.shape != wl.shape or wl.size < 1:
        raise QdlabInputError("wavelength_nm and intensity must be 1-D arrays of equal length")
    if not (np.all(np.isfinite(wl)) and np.all(np.isfinite(I))):
        raise QdlabInputError("wavelength_nm and intensity must be finite")
    if np.any(I < 0):
        raise QdlabInputError(f"intensity must be >= 0, got {float(I.min()):g}")
    order = np.argsort(wl)
    wl, I = wl[order], I[order]
    inside = (wl >= 360) & (wl <= 830)
    if not np.any(inside & (I > 0)):
        raise QdlabInputError("the emission has no intensity inside 360-830 nm (visible)")
    wl, I = wl[inside], I[inside]
    cmf_wl, cmf_val = _cmf_table()
    cmf = np.stack([np.interp(wl, cmf_wl, cmf_val[:, k]) for k in range(3)], 1)
    if wl.size == 1:
        w = np.ones(1)
    else:  # trapezoid weights
        w = np.zeros(wl.size)
        dw = np.diff(wl)
        w[:-1] += dw / 2
        w[1:] += dw / 2
    XYZ = (I * w) @ cmf
    if XYZ[1] <= 0 and XYZ.sum() <= 0:
        raise QdlabInputError("the emission has zero tristimulus values")
    return XYZ / XYZ.sum() if XYZ[1] <= 0 else XYZ / XYZ[1]


def _luminous_efficiency(wavelength_nm, intensity) -> float:
    """sum I ybar dlambda / sum I dlambda (trapezoid) over the whole spectrum given."""
    wl = np.asarray(wavelength_nm, dtype=float)
    I = np.asarray(intensity, dtype=float)
    order = np.argsort(wl)
    wl, I = wl[order], I[order]
    cmf_wl, cmf_val = _cmf_table()
    ybar = np.interp(wl, cmf_wl, cmf_val[:, 1], left=0.0, right=0.0)
    if wl.size == 1:
        return float(ybar[0])
    total = np.trapezoid(I, wl)
    return float(np.trapezoid(I * ybar, wl) / total) if total > 0 else float(ybar @ I / I.sum())


def _dominant(xy):
    """(dominant nm or None, complementary nm or None, note or None) vs D65."""
    wl_d, _, _ = _colour().dominant_wavelength(xy, _D65, _cmfs())
    wl_d = float(wl_d)
    if wl_d > 0:
        return wl_d, None, None
    cmf_wl, cmf_val = _cmf_table()
    locus_xy = cmf_val[:, :2] / cmf_val.sum(axis=1)[:, None]
    near = np.hypot(*(locus_xy - xy).T) < _CORNER_TOL
    if np.any(near):   # on a corner of the locus: spectral, not purple
        lam = cmf_wl[near]
        return None, None, (f"the chromaticity is that of the {'red' if lam[0] > 550 else 'violet'}"
                            f" end of the spectral locus, shared by all wavelengths "
                            f"{lam.min():.0f}-{lam.max():.0f} nm: no single dominant wavelength")
    return None, abs(wl_d), ("purple (between the ends of the spectral locus): no dominant "
                             "wavelength; see complementary_wavelength_nm")


def emission_colour(wavelength_nm, intensity, *, warn: bool = True) -> ColourResult:
    """Chromaticity, sRGB colour, dominant wavelength and purity of an emission spectrum.

    Parameters
    ----------
    wavelength_nm : array_like
        Wavelengths in nm (any order; only 360-830 nm contributes).
    intensity : array_like
        Spectral intensity (>= 0, per nm, arbitrary scale).
    warn : bool
        Warn (:class:`~qdlab.errors.QdlabValidityWarning`) when the colour is
        ill-defined: luminous efficiency below :data:`MIN_LUMINOUS_EFFICIENCY`, or
        a purity excess beyond round-off.

    Returns
    -------
    ColourResult

    Notes
    -----
    X = sum I(lambda) xbar(lambda) dlambda (trapezoid rule, CIE 1931 2-degree CMFs),
    x = X/(X+Y+Z); u' = 4X/(X+15Y+3Z), v' = 9Y/(X+15Y+3Z). Dominant wavelength and
    excitation purity relative to D65 (colour.dominant_wavelength,
    colour.excitation_purity).  colour-science returns a negative dominant
    wavelength for purples (the complementary wavelength); here it becomes
    ``complementary_wavelength_nm`` with ``dominant_wavelength_nm = None``.  Above
    ~699 nm the CIE 1931 locus stops moving (x, y = 0.7347, 0.2653 to 830 nm), so
    a deep-red spectrum sits on the corner where the locus meets the purple line:
    its dominant wavelength is undetermined (None, with a note), not purple.
    Luminous efficiency: eta = int I ybar dlambda / int I dlambda (ybar = V, peak
    1 at 555 nm).

    References
    ----------
    CIE 015:2018 Colorimetry, 4th ed. Bibliography ``cie2018``.

    Examples
    --------
    >>> c = emission_colour([550.0], [1.0])   # a monochromatic line lies on the locus
    >>> round(c.dominant_wavelength_nm, 1), round(c.purity, 3)
    (550.0, 1.0)
    >>> c = emission_colour([700.0, 800.0], [1.0, 1.0], warn=False)  # deep red: locus corner
    >>> c.dominant_wavelength_nm is None, c.purity
    (True, 1.0)
    """
    XYZ = _xyz(wavelength_nm, intensity)
    xy = XYZ[:2] / XYZ.sum()
    upvp = xy_to_upvp(xy)
    hexs = _srgb_hex(XYZ)
    wl_d, wl_c, note = _dominant(xy)
    purity = float(_colour().excitation_purity(xy, _D65, _cmfs()))
    if 1.0 < purity <= 1.0 + PURITY_ROUNDOFF:
        purity = 1.0
    elif purity > 1.0 and warn:
        warn_validity(f"excitation purity {purity:.4f} > 1: the chromaticity lies outside the "
                      "spectral locus (check the spectrum)")
    eta = _luminous_efficiency(wavelength_nm, intensity)
    if warn and eta < MIN_LUMINOUS_EFFICIENCY:
        warn_validity(f"colour is ill-defined: the emission is nearly invisible (luminous "
                      f"efficiency {eta:.2g} of a 555 nm source of equal power, below "
                      f"{MIN_LUMINOUS_EFFICIENCY:g})")
    return ColourResult(X=float(XYZ[0]), Y=float(XYZ[1]), Z=float(XYZ[2]), x=float(xy[0]),
                        y=float(xy[1]), u_prime=float(upvp[0]), v_prime=float(upvp[1]),
                        srgb_hex=hexs, dominant_wavelength_nm=wl_d, purity=purity,
                        complementary_wavelength_nm=wl_c, dominant_wavelength_note=note,
                        luminous_efficiency=eta)


def _srgb_hex(XYZ: np.ndarray) -> str:
    """sRGB hex of tristimulus values, brightness normalised, out-of-gamut clipped."""
    xyz = XYZ / XYZ[1] * 0.5 if XYZ[1] > 0 else XYZ
    lin = _XYZ_TO_SRGB @ xyz
    rgb = np.where(lin <= 0.0031308, 12.92 * lin,
                   1.055 * np.abs(lin) ** (1 / 2.4) * np.sign(lin) - 0.055)
    rgb = np.clip(rgb, 0, None)
    rgb = rgb / max(float(rgb.max()), 1e-12)
    return "#" + "".join(f"{int(round(float(v) * 255)):02X}" for v in np.clip(rgb, 0, 1))


def emission_srgb_hex(wavelength_nm, intensity) -> str:
    """sRGB colour (hex) of an emission spectrum, without colour-science (fast).

    Parameters
    ----------
    wavelength_nm : array_like
        Wavelengths in nm (any order; only 360-830 nm contributes).
    intensity : array_like
        Spectral intensity (>= 0, per nm, arbitrary scale).

    Returns
    -------
    str
        ``#RRGGBB``, the same as ``emission_colour(...).srgb_hex``.

    Notes
    -----
    XYZ as in :func:`emission_colour` (scaled to Y = 0.5), linear sRGB = M XYZ with the
    IEC 61966-2-1 matrix M, encoded V = 12.92 L (L <= 0.0031308) or
    1.055 L^(1/2.4) - 0.055, clipped at 0 and scaled so that the largest channel is 1.

    References
    ----------
    IEC 61966-2-1:1999, Multimedia systems and equipment - Colour measurement and
    management - Part 2-1: Default RGB colour space - sRGB. Bibliography ``iec1999``.

    Examples
    --------
    >>> emission_srgb_hex(*gaussian_line(530.0, 25.0))
    '#00FF00'
    """
    return _srgb_hex(_xyz(wavelength_nm, intensity))


# ------------------------------------------------------------------ polygons
def polygon_area(poly) -> float:
    """Area of a simple polygon (shoelace formula), vertices as (n, 2)."""
    p = np.asarray(poly, dtype=float)
    if len(p) < 3:
        return 0.0
    x, y = p[:, 0], p[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def _hull(points) -> np.ndarray:
    """Convex hull (Andrew's monotone chain), counter-clockwise."""
    pts = sorted({(float(a), float(b)) for a, b in np.asarray(points, dtype=float)})
    if len(pts) < 3:
        return np.array(pts)

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1])


def polygon_intersection(subject, clip) -> np.ndarray:
    """Intersection of a polygon with a convex polygon (Sutherland-Hodgman).

    Examples
    --------
    >>> sq = [[0, 0], [1, 0], [1, 1], [0, 1]]
    >>> polygon_area(polygon_intersection(sq, [[0.5, 0], [2, 0], [2, 2], [0.5, 2]]))
    0.5
    """
    out = [tuple(p) for p in _hull(subject)]
    clip = _hull(clip)
    n = len(clip)
    for i in range(n):
        a, b = clip[i], clip[(i + 1) % n]

        def inside(p, a=a, b=b):
            return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= -1e-15

        def cut(p, q, a=a, b=b):
            d1 = np.subtract(q, p)
            d2 = b - a
            den = d1[0] * d2[1] - d1[1] * d2[0]
            t = ((a[0] - p[0]) * d2[1] - (a[1] - p[1]) * d2[0]) / den
            return (p[0] + t * d1[0], p[1] + t * d1[1])

        inp, out = out, []
        if not inp:
            break
        s = inp[-1]
        for e in inp:
            if inside(e):
                if not inside(s):
                    out.append(cut(s, e))
                out.append(e)
            elif inside(s):
                out.append(cut(s, e))
            s = e
    return np.array(out, dtype=float).reshape(-1, 2)


def gamut_area(xy_points, space: str = "xy") -> float:
    """Area of the convex hull of chromaticities, in CIE 1931 xy or CIE 1976 u'v'.

    See Also
    --------
    gamut_coverage

    References
    ----------
    .. [1] CIE 15:2004, *Colorimetry*, 3rd ed. (Commission Internationale de l'Eclairage,
       2004). Bibliography ``cie2004``.
    """
    p = np.asarray(xy_points, dtype=float)
    if space == "upvp":
        p = xy_to_upvp(p)
    elif space != "xy":
        raise QdlabInputError(f"space must be 'xy' or 'upvp', got {space!r}")
    return polygon_area(_hull(p))


def gamut_coverage(emitters, references=("sRGB", "DCI-P3", "Rec.2020")) -> dict:
    """Gamut area ratio and coverage of a set of emitters against display standards.

    Parameters
    ----------
    emitters : sequence
        Either chromaticities (n, 2) in xy, or a sequence of (wavelength_nm, intensity)
        spectra (at least 3).
    references : sequence of str
        Names from :data:`GAMUTS`.

    Returns
    -------
    dict
        ``{ref: {"area_ratio_xy", "coverage_xy", "area_ratio_upvp", "coverage_upvp"}}``
        plus ``"primaries_xy"``: area ratio = area(emitters)/area(ref); coverage =
        area(emitters intersect ref)/area(ref) (fractions, 1 = 100 %; the coverage is
        at most 1: round-off of the polygon intersection above 1 is clipped).

    See Also
    --------
    gamut_area, emission_colour

    References
    ----------
    .. [1] CIE 15:2004, *Colorimetry*, 3rd ed. (Commission Internationale de l'Eclairage,
       2004). Bibliography ``cie2004``.

    Examples
    --------
    >>> r = gamut_coverage(GAMUTS["Rec.2020"], references=["sRGB"])
    >>> round(r["sRGB"]["area_ratio_xy"], 3), round(r["sRGB"]["coverage_xy"], 6)
    (1.891, 1.0)
    """
    arr = None
    try:
        cand = np.asarray(emitters, dtype=float)
        if cand.ndim == 2 and cand.shape[1] == 2:
            arr = cand
    except (ValueError, TypeError):
        arr = None
    if arr is None:
        arr = np.array([[emission_colour(w, i).x, emission_colour(w, i).y]
                        for w, i in emitters])
    if len(arr) < 3:
        raise QdlabInputError(f"need at least 3 emitters for a gamut, got {len(arr)}")
    out: dict = {"primaries_xy": arr.tolist()}
    for ref in references:
        if ref not in GAMUTS:
            raise unknown_name_error("gamut", ref, GAMUTS)
        res = {}
        for space in ("xy", "upvp"):
            e = arr if space == "xy" else xy_to_upvp(arr)
            r = GAMUTS[ref] if space == "xy" else xy_to_upvp(GAMUTS[ref])
            ar = polygon_area(_hull(r))
            res[f"area_ratio_{space}"] = polygon_area(_hull(e)) / ar
            # the intersection lies inside the reference: a coverage above 1 is round-off
            # of the polygon clipping (1 + 4e-16 seen), never a real excess
            res[f"coverage_{space}"] = min(
                1.0, polygon_area(polygon_intersection(e, r)) / ar)
        out[ref] = res
    return out
