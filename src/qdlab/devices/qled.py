r"""Quantum-dot light-emitting diodes (QLEDs): electroluminescence spectrum and EQE.

EL spectrum
-----------
The EL of a QLED is the PL of its dots (:meth:`qdlab.optics.ensemble.Ensemble.emission`)
changed by the device: the applied field (quantum-confined Stark effect, QCSE) and the
charging of the dots (trions).

*QCSE.*  A spherical dot has no static dipole in its ground state, so the shift is
second order in the field :math:`F` (Empedocles & Bawendi 1997 for CdSe dots):

.. math::

    \Delta E = -\tfrac12(\alpha_e + \alpha_h)F^2, \qquad
    \alpha_c = \frac{4}{3}\,C\,\frac{e^2 m_c R^4}{\hbar^2},\quad
    C = \sum_n \frac{I_n^2}{x_{1n}^2 - \pi^2} ,

the second-order perturbation sum for a carrier of mass :math:`m_c` in an infinite
spherical well of radius :math:`R`: :math:`I_n = \int_0^1 u_{1s}(\rho)u_{np}(\rho)\rho^3
d\rho` between the normalised radial functions :math:`u_{1s}\propto j_0(\pi\rho)`,
:math:`u_{np}\propto j_1(x_{1n}\rho)` (:math:`x_{1n}` the zeros of :math:`j_1`), with the
angular factor :math:`\langle Y_{00}|\cos\theta|Y_{10}\rangle^2 = 1/3` (computed here:
:func:`qcse_constant`, :math:`C = 2.73\times 10^{-2}`, checked against the Dalgarno-Lewis solution of
the same problem).  The Coulomb attraction, which
reduces the exciton polarisability, is left out: an upper bound on the shift.  Because
:math:`\Delta E\propto R^4`, a size dispersion :math:`\sigma_R/R` broadens the line by a
Gaussian of standard deviation :math:`4(\sigma_R/R)|\Delta E|`.

*Charging.*  A fraction :math:`f_T` of the emission comes from charged excitons, a line
red-shifted by the trion binding energy :math:`\Delta_T` (given by the user: qdlab's
first-order Coulomb model, :mod:`qdlab.electronic.multiexcitons`, gives
:math:`\Delta_T \approx 0` for a bare core, where the binding is a correlation effect).

.. math::

    EL(E) = \big[(1-f_T)\,PL(E - \Delta E) + f_T\,PL(E - \Delta E + \Delta_T)\big]
            \otimes G(\sigma_{QCSE}).

EQE
---
.. math::

    EQE = \eta_{cb}\times QY\times\eta_{out},

charge balance :math:`\eta_{cb}` (electrons and holes injected in equal numbers: 1),
QY the quantum yield of the dots in the device, and the outcoupling :math:`\eta_{out}`
(:data:`OUTCOUPLING_METHODS`): ray optics for isotropic dipoles in a layer of index
:math:`n` with a back mirror, :math:`\eta = 1 - \sqrt{1 - 1/n^2}\approx 1/(2n^2)`
(Greenham, Friend & Bradley 1994); for dipoles lying in the plane, whose emission
:math:`\propto(1+\cos^2\theta)/2` favours the normal,

.. math::

    \eta_\parallel = \tfrac34\Big[(1 - c) + \tfrac13(1 - c^3)\Big],\quad
    c = \cos\theta_c = \sqrt{1 - 1/n^2},\qquad \eta_\parallel\approx \frac{3}{4n^2},

1.5 times the isotropic value (derived here by integrating the dipole pattern over
the escape cone).  Thin-film interference (microcavity), surface plasmons and
absorption are not modelled; full dipole-in-stack calculations put thin-film devices at
0.2-0.3 (Brütting et al. 2013).

References
----------
.. [1] S. A. Empedocles, M. G. Bawendi, "Quantum-confined Stark effect in single CdSe
   nanocrystallite quantum dots", Science 278, 2114 (1997).
.. [2] N. C. Greenham, R. H. Friend, D. D. C. Bradley, "Angular dependence of the
   emission from a conjugated polymer light-emitting diode: implications for efficiency
   calculations", Adv. Mater. 6, 491 (1994).
.. [3] W. Brütting, J. Frischeisen, T. D. Schmidt, B. J. Scholz, C. Mayr, "Device
   efficiency of organic light-emitting diodes: progress by improved light outcoupling",
   Phys. Status Solidi A 210, 44 (2013).
.. [4] X. Dai, Z. Zhang, Y. Jin, Y. Niu, H. Cao, X. Liang, L. Chen, J. Wang, X. Peng,
   "Solution-processed, high-performance light-emitting diodes based on quantum dots",
   Nature 515, 96 (2014): red CdSe/CdS QLED, EQE up to 20.5 %.

Examples
--------
>>> round(outcoupling(1.5), 3), round(outcoupling(1.5, "ray-optics"), 3)
(0.255, 0.222)
>>> round(external_quantum_efficiency(1.0, 0.9, outcoupling(1.7, "horizontal")), 3)
0.235
"""

from __future__ import annotations

import functools

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, check_nonnegative, check_range, unknown_name_error

__all__ = [
    "DAI2014_EQE",
    "OUTCOUPLING_METHODS",
    "el_spectrum",
    "external_quantum_efficiency",
    "outcoupling",
    "polarisability",
    "qcse_constant",
    "qled",
    "stark_shift_eV",
]

#: Peak EQE of the red CdSe/CdS QLED of Dai et al., Nature 515, 96 (2014).
DAI2014_EQE = 0.205

_E = 1.602176634e-19        # C
_HBAR = 1.054571817e-34     # J s
_M0 = 9.1093837015e-31      # kg


def _escape_cos(n):
    n = float(check_range(n, "refractive index", 1.0, 4.0))
    return float(np.sqrt(1.0 - 1.0 / n**2))


#: Outcoupling estimates, name -> (function of the emitting layer's index n, source).
OUTCOUPLING_METHODS = {
    "isotropic": (lambda n: 1.0 - _escape_cos(n),
                  "escape cone with a back mirror, isotropic dipoles (Greenham 1994)"),
    "ray-optics": (lambda n: 1.0 / (2.0 * float(check_range(n, "refractive index", 1.0, 4.0))
                                    ** 2),
                   "1/(2 n^2), the large-n limit of the escape cone (Greenham 1994)"),
    "horizontal": (lambda n: 0.75 * ((1 - _escape_cos(n)) + (1 - _escape_cos(n) ** 3) / 3),
                   "escape cone with a back mirror, in-plane dipoles (derived here)"),
}


def outcoupling(refractive_index: float, method: str = "isotropic") -> float:
    r"""Fraction of the internally generated photons that leave the device (ray optics).

    Parameters
    ----------
    refractive_index : float
        Index of the emitting layer (1-4; QD films and organic transport layers ~1.7-1.9).
    method : str
        A key of :data:`OUTCOUPLING_METHODS`.

    Returns
    -------
    float

    Notes
    -----
    Isotropic: :math:`1 - \cos\theta_c`; ray optics: :math:`1/(2n^2)`; horizontal
    dipoles: :math:`\tfrac34[(1-c) + (1-c^3)/3]`, :math:`c = \cos\theta_c =
    \sqrt{1-1/n^2}` (module notes).

    References
    ----------
    .. [1] N. C. Greenham, R. H. Friend, D. D. C. Bradley, Adv. Mater. 6, 491 (1994).
    """
    if method not in OUTCOUPLING_METHODS:
        raise unknown_name_error("outcoupling method", method, OUTCOUPLING_METHODS)
    return float(OUTCOUPLING_METHODS[method][0](refractive_index))


def external_quantum_efficiency(charge_balance: float, quantum_yield: float,
                                outcoupling_efficiency: float) -> float:
    r""":math:`EQE = \eta_{cb}\,QY\,\eta_{out}` (each in [0, 1]).

    References
    ----------
    .. [1] X. Dai et al., Nature 515, 96 (2014).
    """
    for v, name in ((charge_balance, "charge_balance"), (quantum_yield, "quantum_yield"),
                    (outcoupling_efficiency, "outcoupling_efficiency")):
        check_range(v, name, 0.0, 1.0)
    return float(charge_balance * quantum_yield * outcoupling_efficiency)


@functools.cache
def _qcse_constant(n_terms: int = 40) -> float:
    from scipy.integrate import quad
    from scipy.optimize import brentq
    from scipy.special import spherical_jn

    def j1(x):
        return spherical_jn(1, x)

    # zeros of j1 (tan x = x), one per interval (k pi, (k + 1/2) pi)
    zeros = [brentq(j1, k * np.pi + 0.1, (k + 0.5) * np.pi - 1e-9) for k in range(1, n_terms + 1)]

    def norm(f):
        return np.sqrt(quad(lambda r: f(r) ** 2 * r**2, 0, 1, limit=200)[0])

    def u0(r):
        return spherical_jn(0, np.pi * r)

    n0 = norm(u0)
    total = 0.0
    for x in zeros:
        def up(r, x=x):
            return spherical_jn(1, x * r)

        I = quad(lambda r: u0(r) * up(r) * r**3, 0, 1, limit=200)[0] / (n0 * norm(up))
        total += I**2 / (x**2 - np.pi**2)
    return float(total)


def qcse_constant() -> float:
    r""":math:`C = \sum_n I_n^2/(x_{1n}^2 - \pi^2)` of the module notes (infinite spherical
    well, 40 terms; computed once).

    Examples
    --------
    >>> round(qcse_constant(), 4)
    0.0273
    """
    return _qcse_constant()


def polarisability(mass_ratio: float, radius_nm: float) -> float:
    r"""Static polarisability (C m^2/V) of one carrier in the ground state of an infinite
    spherical well.

    Parameters
    ----------
    mass_ratio : float
        Effective mass / free electron mass (> 0).
    radius_nm : float
        Well radius, nm (> 0).

    Returns
    -------
    float

    Notes
    -----
    :math:`\alpha = \tfrac43 C e^2 m R^4/\hbar^2` (second-order perturbation, module notes).

    Examples
    --------
    >>> a = polarisability(0.13, 2.2)
    >>> 1e-38 < a < 1e-36
    True
    """
    check_range(mass_ratio, "mass_ratio", 1e-3, 10.0)
    check_range(radius_nm, "radius_nm", 0.3, 50.0, "nm")
    C = qcse_constant()
    return 4.0 / 3.0 * C * _E**2 * mass_ratio * _M0 * (radius_nm * 1e-9) ** 4 / _HBAR**2


def stark_shift_eV(material, radius_nm: float, field_MV_cm: float) -> float:
    r"""QCSE shift (eV, <= 0) of the band-edge exciton of a sphere in a field.

    Parameters
    ----------
    material : str or Material
        Core material (its electron and hole masses).
    radius_nm : float
        Radius, nm.
    field_MV_cm : float
        Field in the dot, MV/cm (0-5).

    Returns
    -------
    float
        :math:`-\tfrac12(\alpha_e + \alpha_h)F^2` in eV.

    References
    ----------
    .. [1] S. A. Empedocles, M. G. Bawendi, Science 278, 2114 (1997).
    """
    from qdlab.structures.spheres import resolve_material

    m = resolve_material(material)
    check_range(field_MV_cm, "field_MV_cm", 0.0, 5.0, "MV/cm")
    F = field_MV_cm * 1e8   # V/m
    a = polarisability(m.electron_mass, radius_nm) + polarisability(m.hole_mass, radius_nm)
    return float(-0.5 * a * F**2 / _E)


def el_spectrum(ensemble, wavelength_nm, *, field_MV_cm: float = 0.0,
                trion_fraction: float = 0.0, trion_binding_meV: float | None = None):
    r"""Electroluminescence spectrum of a QLED from the PL of its dots.

    Parameters
    ----------
    ensemble : Ensemble
        The dots (:class:`qdlab.optics.ensemble.Ensemble`, or ``PickedDots.ensemble``).
    wavelength_nm : array_like
        Grid, nm (increasing, uniform).
    field_MV_cm : float
        Field across the dot layer, MV/cm (0-5; a QLED at a few volts over ~100 nm:
        ~0.3).
    trion_fraction : float
        Fraction of the emission from charged excitons (0-1).
    trion_binding_meV : float, optional
        Red shift of the trion line, meV (0-100); needed when ``trion_fraction > 0``.

    Returns
    -------
    dict
        ``wavelength_nm``, ``el`` (photons per nm, integral 1), ``pl`` (same
        normalisation), ``stark_shift_meV``, ``stark_broadening_meV`` (Gaussian sigma),
        ``el_peak_nm``, ``pl_peak_nm``, ``el_fwhm_nm``, ``pl_fwhm_nm``.

    Notes
    -----
    See the module notes for EL(E).
    """
    lam = np.asarray(wavelength_nm, dtype=float)
    if lam.ndim != 1 or lam.size < 10 or np.any(np.diff(lam) <= 0):
        raise QdlabInputError("wavelength_nm must be an increasing grid of >= 10 points")
    check_range(trion_fraction, "trion_fraction", 0.0, 1.0)
    if trion_fraction > 0 and trion_binding_meV is None:
        raise QdlabInputError("trion_binding_meV (0-100 meV) is needed with trion_fraction > 0")
    dT = 0.0 if trion_binding_meV is None else float(
        check_range(trion_binding_meV, "trion_binding_meV", 0.0, 100.0, "meV")) * 1e-3
    d_mean = ensemble.distribution.mean_nm
    rel = float(ensemble.distribution.std_nm) / d_mean
    shift = stark_shift_eV(ensemble.materials[0], d_mean / 2.0, field_MV_cm)
    sigma = 4.0 * rel * abs(shift)
    # PL on a uniform energy grid
    E = np.linspace(HC_EV_NM / lam.max(), HC_EV_NM / lam.min(), 4 * lam.size)
    pl_lam = np.clip(ensemble.emission(lam), 0.0, None)
    pl_E = np.interp(E, HC_EV_NM / lam[::-1], (pl_lam * lam**2 / HC_EV_NM)[::-1])

    def shifted(de):
        return np.interp(E - de, E, pl_E, left=0.0, right=0.0)

    el_E = (1 - trion_fraction) * shifted(shift) + trion_fraction * shifted(shift - dT)
    if sigma > 0:
        dE = E[1] - E[0]
        k = np.arange(-int(np.ceil(5 * sigma / dE)), int(np.ceil(5 * sigma / dE)) + 1) * dE
        g = np.exp(-0.5 * (k / sigma) ** 2)
        el_E = np.convolve(el_E, g / g.sum(), mode="same")
    el = np.interp(lam, (HC_EV_NM / E)[::-1], el_E[::-1]) * HC_EV_NM / lam**2

    def norm(y):
        s = np.trapezoid(y, lam)
        if not s > 0:
            raise QdlabInputError("the emission lies outside the wavelength grid")
        return y / s

    def fwhm(y):
        above = lam[y >= 0.5 * y.max()]
        return float(above[-1] - above[0])

    el, pl = norm(el), norm(pl_lam)
    return {"wavelength_nm": lam, "el": el, "pl": pl, "stark_shift_meV": 1e3 * shift,
            "stark_broadening_meV": 1e3 * sigma,
            "el_peak_nm": float(lam[np.argmax(el)]), "pl_peak_nm": float(lam[np.argmax(pl)]),
            "el_fwhm_nm": fwhm(el), "pl_fwhm_nm": fwhm(pl)}


def qled(ensemble, *, charge_balance: float = 1.0, refractive_index: float = 1.8,
         outcoupling_method: str = "isotropic", field_MV_cm: float = 0.3,
         trion_fraction: float = 0.0, trion_binding_meV: float | None = None) -> dict:
    r"""A QLED from its dots: EL spectrum (peak, FWHM, colour) and EQE.

    Parameters
    ----------
    ensemble : Ensemble
        The dots (their QY enters the EQE).
    charge_balance : float
        :math:`\eta_{cb}` in [0, 1].
    refractive_index : float
        Index of the emitting layer (default 1.8, a QD film / ZnO stack).
    outcoupling_method : str
        Key of :data:`OUTCOUPLING_METHODS`.
    field_MV_cm, trion_fraction, trion_binding_meV
        See :func:`el_spectrum`.

    Returns
    -------
    dict
        ``eqe``, ``outcoupling``, ``charge_balance``, ``quantum_yield``, the EL summary
        and its colour (CIE xy).

    Notes
    -----
    :math:`EQE = \eta_{cb}\,QY\,\eta_{out}`.
    """
    from qdlab.optics.colour import emission_colour

    check_nonnegative(field_MV_cm, "field_MV_cm", "MV/cm")
    eta = outcoupling(refractive_index, outcoupling_method)
    eqe = external_quantum_efficiency(charge_balance, ensemble.quantum_yield, eta)
    lam = np.arange(360.0, 831.0, 0.5)
    el = el_spectrum(ensemble, lam, field_MV_cm=field_MV_cm, trion_fraction=trion_fraction,
                     trion_binding_meV=trion_binding_meV)
    c = emission_colour(lam, el["el"] / lam, warn=False)
    return {"eqe": eqe, "outcoupling": eta, "outcoupling_method": outcoupling_method,
            "outcoupling_source": OUTCOUPLING_METHODS[outcoupling_method][1],
            "refractive_index": refractive_index, "charge_balance": charge_balance,
            "quantum_yield": ensemble.quantum_yield,
            **{k: v for k, v in el.items() if k not in ("wavelength_nm", "el", "pl")},
            "el_x": c.x, "el_y": c.y}
