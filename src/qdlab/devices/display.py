r"""Quantum-dot displays: colour-conversion films (blue LED + green and red dots) and QLEDs.

:func:`colour_conversion_display` goes from two dot requests (a target peak in nm, or a
structure spec, see :mod:`qdlab.devices.dots`) and a blue LED to the display: the dots
(:func:`~qdlab.devices.dots.pick_dots`), their absorption and emission
(:class:`qdlab.optics.ensemble.Ensemble`), the film (:mod:`qdlab.devices.display_film`:
Beer-Lambert absorption per wavelength, re-emission with PL x QY, reabsorption of the
green by the red, blue leakage), and the colour (:mod:`qdlab.devices.display_gamut`:
white point, primaries, coverage of sRGB, DCI-P3 and Rec.2020 in xy and u'v', optional
CIELab volume).  QLEDs (electroluminescence, EQE) are in :mod:`qdlab.devices.qled`.

White balance
-------------
Unless concentrations are given, the green and red concentrations are solved so that
the white point is D65 (x, y = 0.3127, 0.3290): two unknowns, two equations, solved in
:math:`\log_{10} c` by least squares (``scipy.optimize.least_squares``).  A white that
cannot be reached (e.g. the film cannot absorb enough blue) is reported with its
residual and a warning, not hidden.

Photons and power
-----------------
The film works in photons; colour uses spectral power, :math:`P(\lambda) =
N(\lambda)\,hc/\lambda`.

References
----------
.. [1] J. Chen, S. Gensler, J. Yurek, SPIE Newsroom (2015), doi:10.1117/2.1201504.005791:
   a quantum-dot enhancement film with < 30 nm FWHM green and red covers > 90 % of
   Rec.2020 (91 % demonstrated on a modified LCD TV).
.. [2] Z. Luo, Y. Chen, S.-T. Wu, Opt. Express 21, 26269 (2013).

Examples
--------
>>> r = colour_conversion_display("630", "530", led_peak_nm=450.0)
>>> 0.80 < r["gamut_coverage"]["Rec2020"]["xy"]["coverage"] < 0.95
True
"""

from __future__ import annotations

import warnings

import numpy as np

from qdlab.devices.display_film import (
    DEFAULT_LED_FWHM_NM,
    LAYOUTS,
    WAVELENGTH_GRID_NM,
    FilmResult,
    led_spectrum,
    transport,
)
from qdlab.devices.display_gamut import gamut_coverage, lab_gamut_volume, white_point
from qdlab.devices.dots import PickedDots, pick_dots
from qdlab.errors import QdlabInputError, QdlabValidityWarning, check_range, warn_validity
from qdlab.optics.colour import emission_colour

__all__ = [
    "D65_XY",
    "DEFAULT_THICKNESS_UM",
    "balance_white",
    "colour_conversion_display",
    "film",
    "primaries",
]

#: CIE 1931 xy of D65 (CIE 015:2018), the white of sRGB and Rec.2020.
D65_XY = (0.3127, 0.3290)
#: Thickness of each QD layer (sequential) or of the mixed layer, micrometres: QD
#: enhancement films are ~50-100 um thick (Chen et al. 2015).
DEFAULT_THICKNESS_UM = 50.0
#: Fewest photons per LED photon a primary must carry to be defined.
MIN_PRIMARY_PHOTONS = 1e-6
#: Largest white-point miss (xy distance) accepted without a warning.
WHITE_TOLERANCE = 2e-3


def _optics(dots: PickedDots, lam, led_peak_nm):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QdlabValidityWarning)   # no-bulk-constants: below
        eps = np.clip(dots.ensemble.molar_extinction(lam), 0.0, None)
        phi = np.clip(dots.ensemble.emission(lam, excitation_nm=led_peak_nm), 0.0, None)
    return eps, phi


def film(green: PickedDots, red: PickedDots, *, led_peak_nm: float = 450.0,
         led_fwhm_nm: float = DEFAULT_LED_FWHM_NM, green_concentration_M: float,
         red_concentration_M: float, thickness_um: float = DEFAULT_THICKNESS_UM,
         layout: str = "sequential", n_slices: int = 200, _optics_cache=None) -> FilmResult:
    r"""The colour-conversion film of two dot ensembles pumped by a blue LED.

    Parameters
    ----------
    green, red : PickedDots
        The dots (:func:`qdlab.devices.dots.pick_dots`).
    led_peak_nm, led_fwhm_nm : float
        Blue LED, nm (:func:`~qdlab.devices.display_film.led_spectrum`).
    green_concentration_M, red_concentration_M : float
        Particle concentrations in the film, mol/L (0-1e-2).
    thickness_um : float
        Thickness of each layer (``"sequential"``) or of the one mixed layer, um (1-1000).
    layout : {"sequential", "mixed"}
        LED -> green layer -> red layer, or one layer holding both.
    n_slices : int
        Slices per layer.

    Returns
    -------
    FilmResult
        Components ``[LED, green, red]``.

    Notes
    -----
    Absorbance of a slice :math:`a_s = \varepsilon_s(\lambda) c_s \delta z`; see
    :mod:`qdlab.devices.display_film`.
    """
    if layout not in LAYOUTS:
        raise QdlabInputError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    check_range(green_concentration_M, "green_concentration_M", 0.0, 1e-2, "mol/L")
    check_range(red_concentration_M, "red_concentration_M", 0.0, 1e-2, "mol/L")
    check_range(thickness_um, "thickness_um", 1.0, 1000.0, "um")
    lam = WAVELENGTH_GRID_NM
    (eg, pg), (er, pr) = _optics_cache or (_optics(green, lam, led_peak_nm),
                                            _optics(red, lam, led_peak_nm))
    led = led_spectrum(lam, led_peak_nm, led_fwhm_nm)
    t_cm = thickness_um * 1e-4
    cg, cr = float(green_concentration_M), float(red_concentration_M)
    if layout == "sequential":
        slabs = [(t_cm, [(eg, pg, cg), (er, pr, 0.0)]), (t_cm, [(eg, pg, 0.0), (er, pr, cr)])]
    else:
        slabs = [(t_cm, [(eg, pg, cg), (er, pr, cr)])]
    return transport(lam, led, slabs, n_slices=n_slices)


def _power(lam, photons):
    return photons / lam      # P = N hc / lambda (constant hc dropped)


def primaries(result: FilmResult) -> list[dict]:
    """Colour (:func:`qdlab.optics.colour.emission_colour` dict) of the blue, green and red
    parts of the light leaving the film (the primaries behind ideal colour filters)."""
    lam = result.wavelength_nm
    out = []
    for k, name in ((2, "red"), (1, "green"), (0, "blue")):
        P = _power(lam, result.components[k])
        if not result.photons(k) >= MIN_PRIMARY_PHOTONS:
            raise QdlabInputError(
                f"the film transmits {result.photons(k):.2g} {name} photons per LED photon "
                f"(< {MIN_PRIMARY_PHOTONS:g}): the {name} primary is undefined (a "
                "concentration of 0, or a film so thick that it absorbs all of it)")
        c = emission_colour(lam, P, warn=False).to_dict()
        c["name"] = name
        c["photons_per_led_photon"] = result.photons(k)
        c["peak_nm"] = float(lam[int(np.argmax(result.components[k]))])
        out.append(c)
    return out


def _white_xy(result: FilmResult):
    lam = result.wavelength_nm
    c = emission_colour(lam, _power(lam, sum(result.components)), warn=False)
    return np.array([c.x, c.y])


def balance_white(green: PickedDots, red: PickedDots, *, target_xy=D65_XY, **film_kwargs):
    r"""Green and red concentrations (mol/L) that put the film's white point on ``target_xy``.

    Parameters
    ----------
    green, red : PickedDots
    target_xy : (float, float)
        Target white, CIE 1931 xy (default D65).
    **film_kwargs
        LED, thickness and layout, as for :func:`film`.

    Returns
    -------
    (float, float, float)
        Green and red concentrations (mol/L) and the remaining xy distance.

    Notes
    -----
    Minimises :math:`|xy(c_g, c_r) - xy_t|^2` over :math:`\log_{10}c \in [-9, -2]`
    (scipy ``least_squares``, trust-region reflective), from
    :math:`c` giving an absorbance of 0.3 (green) and 0.2 (red) at the LED peak.
    """
    from scipy.optimize import least_squares

    lam = WAVELENGTH_GRID_NM
    led_peak = film_kwargs.get("led_peak_nm", 450.0)
    cache = (_optics(green, lam, led_peak), _optics(red, lam, led_peak))
    t_cm = film_kwargs.get("thickness_um", DEFAULT_THICKNESS_UM) * 1e-4
    i = int(np.argmin(abs(lam - led_peak)))
    starts = []
    for (eps, _), a0 in zip(cache, (0.3, 0.2), strict=True):
        if eps[i] <= 0:
            raise QdlabInputError("the dots do not absorb at the LED peak "
                                  f"({led_peak:g} nm) in qdlab's model: no colour conversion")
        starts.append(np.log10(np.clip(a0 / (eps[i] * t_cm), 1e-9, 1e-2)))
    target = np.asarray(target_xy, dtype=float)

    def resid(logc):
        r = film(green, red, green_concentration_M=10 ** logc[0],
                 red_concentration_M=10 ** logc[1], n_slices=60, _optics_cache=cache,
                 **film_kwargs)
        return _white_xy(r) - target

    sol = least_squares(resid, np.array(starts), bounds=([-9, -9], [-2, -2]),
                        xtol=1e-10, ftol=1e-12, diff_step=1e-3)
    cg, cr = 10 ** sol.x
    r = film(green, red, green_concentration_M=cg, red_concentration_M=cr,
             _optics_cache=cache, **film_kwargs)
    miss = float(np.hypot(*(_white_xy(r) - target)))
    return float(cg), float(cr), miss


def colour_conversion_display(red, green, *, fwhm_nm: float | None = None,
                              led_peak_nm: float = 450.0,
                              led_fwhm_nm: float = DEFAULT_LED_FWHM_NM, rohs: bool = False,
                              quantum_yield: float = 0.9,
                              green_concentration_M: float | None = None,
                              red_concentration_M: float | None = None,
                              thickness_um: float = DEFAULT_THICKNESS_UM,
                              layout: str = "sequential", lab_volume: bool = False,
                              n_slices: int = 200) -> dict:
    r"""A quantum-dot colour-conversion display from two dot requests and a blue LED.

    Parameters
    ----------
    red, green : str, float, DotSpec or PickedDots
        A target PL peak in nm (qdlab picks the dots) or a structure spec
        (``"CdSe/ZnS:3.5,1.0"``), see :func:`qdlab.devices.dots.parse_dot_spec`.
    fwhm_nm : float, optional
        Target PL FWHM of both dots, nm (sets their size dispersion); default: 5 %
        size dispersion.
    led_peak_nm, led_fwhm_nm : float
        Blue pump LED, nm.
    rohs : bool
        Cd-free dots (InP) for bare peaks; Cd specs are refused.
    quantum_yield : float
        PL QY of both dots (0-1).
    green_concentration_M, red_concentration_M : float, optional
        Film concentrations, mol/L; both None: balanced to a D65 white
        (:func:`balance_white`); give both or neither.
    thickness_um : float
        Layer thickness, um.
    layout : {"sequential", "mixed"}
    lab_volume : bool
        Add the CIELab gamut volume (:func:`~qdlab.devices.display_gamut.lab_gamut_volume`).
    n_slices : int
        Slices per layer.

    Returns
    -------
    dict
        ``dots`` (green, red), ``film`` (concentrations, blue leakage, absorbed
        photons, conversion efficiency, photon balance), ``primaries``, ``white_point``,
        ``gamut_coverage`` ``{"sRGB", "DCI-P3", "Rec2020"}`` each with ``xy`` and
        ``upvp`` coverage and area ratio, and ``lab_volume`` if asked.

    Notes
    -----
    Coverage and area ratio: :math:`A(T\cap S)/A(S)` and :math:`A(T)/A(S)`
    (:func:`~qdlab.devices.display_gamut.gamut_coverage`).  Blue leakage: LED photons
    transmitted per incident photon.  Conversion efficiency: green + red photons out
    per incident LED photon.
    """
    check_range(quantum_yield, "quantum_yield", 0.0, 1.0)
    if (green_concentration_M is None) != (red_concentration_M is None):
        raise QdlabInputError("give both green_concentration_M and red_concentration_M "
                              "(mol/L), or neither (white balanced to D65)")
    check_range(led_peak_nm, "LED peak", 380.0, 500.0, "nm")
    g = green if isinstance(green, PickedDots) else pick_dots(
        green, fwhm_nm=fwhm_nm, quantum_yield=quantum_yield, rohs=rohs)
    r = red if isinstance(red, PickedDots) else pick_dots(
        red, fwhm_nm=fwhm_nm, quantum_yield=quantum_yield, rohs=rohs)
    if not g.pl_peak_nm < r.pl_peak_nm:
        raise QdlabInputError(f"the green dots must emit to the blue of the red ones: green "
                              f"peak {g.pl_peak_nm:.0f} nm, red {r.pl_peak_nm:.0f} nm")
    if not led_peak_nm < g.pl_peak_nm - 20.0:
        raise QdlabInputError(f"the LED peak must lie at least 20 nm to the blue of the green "
                              f"emission ({g.pl_peak_nm:.0f} nm), got {led_peak_nm:g}")
    kw = dict(led_peak_nm=led_peak_nm, led_fwhm_nm=led_fwhm_nm, thickness_um=thickness_um,
              layout=layout)
    balanced = green_concentration_M is None
    miss = None
    if balanced:
        green_concentration_M, red_concentration_M, miss = balance_white(g, r, **kw)
        if miss > WHITE_TOLERANCE:
            warn_validity(f"the white point misses D65 by {miss:.3f} in xy: this film "
                          "(thickness, dots, LED) cannot reach it")
    res = film(g, r, green_concentration_M=green_concentration_M,
               red_concentration_M=red_concentration_M, n_slices=n_slices, **kw)
    prim = primaries(res)
    xy = np.array([[p["x"], p["y"]] for p in prim])
    lam = res.wavelength_nm
    white = white_point(lam, _power(lam, sum(res.components)))
    from qdlab.optics.optical_constants import has_optical_constants

    for dots in (g, r):
        m = dots.ensemble.materials[0]
        if not has_optical_constants(m):
            warn_validity(f"{m.name}: no tabulated bulk optical constants, so its absorption of "
                          "the LED light comes from the discrete transitions alone and is far "
                          "too weak (measured dots absorb strongly in the blue): film "
                          "concentrations and white point are not trustworthy; the primaries "
                          "and gamut coverage are")
    out = {
        "dots": {"green": g.to_dict(), "red": r.to_dict()},
        "led": {"peak_nm": led_peak_nm, "fwhm_nm": led_fwhm_nm},
        "film": {"layout": layout, "thickness_um": thickness_um,
                 "green_concentration_M": green_concentration_M,
                 "red_concentration_M": red_concentration_M,
                 "white_balanced_to_D65": balanced, "white_miss_xy": miss,
                 "blue_leakage": res.blue_leakage,
                 "absorbed_led_photons": {"green": float(res.absorbed_led[0]),
                                          "red": float(res.absorbed_led[1])},
                 "absorbed_photons": {"green": float(res.absorbed[0]),
                                      "red": float(res.absorbed[1])},
                 "green_reabsorbed_by_red": float(res.absorbed_by_origin[1, 1]),
                 "conversion_efficiency": res.photons(1) + res.photons(2),
                 "photon_balance": res.photon_balance()},
        "primaries": prim,
        "white_point": white,
        "gamut_coverage": gamut_coverage(xy),
        "model": "one-pass forward transport (all emission forward, no scattering or "
                 "escape-cone loss); primaries behind ideal colour filters",
    }
    if lab_volume:
        out["lab_volume"] = lab_gamut_volume(xy, [white["x"], white["y"]])
    return out

