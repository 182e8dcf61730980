r"""Analytic models of quantum confinement in spherical nanocrystals.

One function per model, vectorised over its numeric arguments (numpy
broadcasting), with units in nm, eV and m0 (free-electron mass):

* :func:`spherical_bessel_zeros` -- zeros ``x_nl`` of ``j_l``;
* :func:`infinite_well_energy` -- particle in a sphere with hard walls;
* :func:`finite_well_energies` -- bound levels of a finite spherical well with a
  mass discontinuity (BenDaniel-Duke matching);
* :func:`brus_energy` -- Brus (1984) lowest exciton with Kayanuma's (1988)
  correlation term (strong confinement);
* :func:`weak_confinement_energy` -- exciton centre-of-mass confinement with
  Kayanuma's dead layer (weak confinement);
* :func:`bohr_radii_nm` and :func:`confinement_regime` -- Efros & Efros (1982)
  classification of the confinement regimes.

Examples
--------
>>> round(float(spherical_bessel_zeros(1, 1)[0]), 12)
4.493409457909
>>> round(float(brus_energy(1.74, 0.13, 0.45, 9.5, 4.0)), 3)
2.533
"""

from __future__ import annotations

import numpy as np

from qdlab import _roots as _opt  # scipy.optimize.brentq's steps, without importing scipy.optimize
from qdlab import _special as _sp  # scipy.special, spherical_jn/yn without dispatch overhead
from qdlab.constants import BOHR_RADIUS_NM, COULOMB_EV_NM, HBAR2_2M0, RYDBERG_EV
from qdlab.errors import (
    QdlabInputError,
    check_nonnegative,
    check_positive,
    warn_validity,
)

__all__ = [
    "BRUS_COULOMB_COEFF",
    "KAYANUMA_CORRELATION_COEFF",
    "KAYANUMA_DEAD_LAYER",
    "bohr_radii_nm",
    "brus_energy",
    "confinement_regime",
    "finite_well_energies",
    "infinite_well_energy",
    "spherical_bessel_zeros",
    "weak_confinement_energy",
]

#: Coulomb coefficient of the 1s_e 1s_h pair in a hard sphere, -1.786 e^2/(eps R)
#: (Brus, J. Chem. Phys. 80, 4403 (1984); Kayanuma, Phys. Rev. B 38, 9797 (1988)).
BRUS_COULOMB_COEFF = 1.786
#: Correlation energy coefficient, -0.248 Ry* (Kayanuma, Phys. Rev. B 38, 9797 (1988)).
KAYANUMA_CORRELATION_COEFF = 0.248
#: Dead-layer thickness in units of the exciton Bohr radius, eta ~ 0.5
#: (Kayanuma, Phys. Rev. B 38, 9797 (1988)).
KAYANUMA_DEAD_LAYER = 0.5


def _check_int(value, name, low):
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu" or np.any(arr < low):
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)) \
                and np.all(arr >= low):
            return arr.astype(int)
        raise QdlabInputError(f"{name} must be an integer >= {low}, got {value!r}")
    return arr.astype(int)


def spherical_bessel_zeros(l: int, n: int) -> np.ndarray:
    r"""First ``n`` positive zeros of the spherical Bessel function ``j_l``.

    Parameters
    ----------
    l : int
        Order (>= 0).
    n : int
        Number of zeros (>= 1).

    Returns
    -------
    ndarray, shape (n,)
        Zeros :math:`x_{l,1} < x_{l,2} < \dots` (dimensionless).

    Notes
    -----
    :math:`x_{0,k} = k\pi`.  For ``l >= 1`` the zeros of ``j_l`` interlace with
    those of ``j_{l-1}`` (DLMF 10.21(i)): :math:`x_{l-1,k} < x_{l,k} < x_{l-1,k+1}`,
    so each zero is bracketed by two zeros of the lower order and found with
    Brent's method to machine precision, recursively from ``l = 0``.

    References
    ----------
    .. [1] NIST Digital Library of Mathematical Functions, sections 10.21 and
       10.47, https://dlmf.nist.gov/10.21. Bibliography ``olver2010``.

    Examples
    --------
    >>> spherical_bessel_zeros(0, 3) / np.pi
    array([1., 2., 3.])
    >>> round(float(spherical_bessel_zeros(2, 1)[0]), 12)
    5.763459196895
    """
    l = int(_check_int(l, "l", 0))
    n = int(_check_int(n, "n", 1))
    zeros = np.pi * np.arange(1, n + l + 1, dtype=float)
    for order in range(1, l + 1):
        f = lambda x, o=order: _sp.spherical_jn(o, x)  # noqa: E731
        count = n + l - order
        zeros = np.array([_opt.brentq(f, zeros[k], zeros[k + 1], xtol=1e-15, rtol=1e-15)
                          for k in range(count)])
    return zeros[:n]


def infinite_well_energy(mass, radius_nm, n=1, l=0):
    r"""Level of a particle in a sphere with infinite walls, in eV.

    Parameters
    ----------
    mass : float or array_like
        Effective mass in m0 (> 0).
    radius_nm : float or array_like
        Sphere radius in nm (> 0).
    n : int or array_like of int, optional
        Radial quantum number (>= 1), default 1.
    l : int or array_like of int, optional
        Angular momentum (>= 0), default 0.

    Returns
    -------
    float or ndarray
        :math:`E_{nl}` in eV above the band edge (broadcast shape of the inputs).

    Notes
    -----
    .. math:: E_{nl} = \frac{\hbar^2 x_{nl}^2}{2 m R^2},

    with :math:`x_{nl}` the n-th zero of :math:`j_l` (:math:`x_{n0} = n\pi`).

    References
    ----------
    .. [1] Al. L. Efros and A. L. Efros, "Interband absorption of light in a
       semiconductor sphere", Sov. Phys. Semicond. 16, 772 (1982). Bibliography ``efros1982``.

    Examples
    --------
    >>> round(float(infinite_well_energy(0.13, 2.0)), 6)
    0.723135
    """
    check_positive(mass, "mass", "m0")
    check_positive(radius_nm, "radius_nm", "nm")
    n = _check_int(n, "n", 1)
    l = _check_int(l, "l", 0)
    nb, lb = np.broadcast_arrays(n, l)
    x = np.empty(nb.shape)
    for ll in np.unique(lb):
        sel = lb == ll
        z = spherical_bessel_zeros(int(ll), int(nb[sel].max()))
        x[sel] = z[nb[sel] - 1]
    e = HBAR2_2M0 * x**2 / (np.asarray(mass, float) * np.asarray(radius_nm, float) ** 2)
    return e if np.ndim(e) else float(e)


def finite_well_energies(mass_in, mass_out, radius_nm, barrier_eV, l=0) -> np.ndarray:
    r"""All bound levels of angular momentum ``l`` in a finite spherical well, in eV.

    Parameters
    ----------
    mass_in, mass_out : float
        Effective masses inside and outside the sphere, in m0 (> 0).
    radius_nm : float
        Well radius in nm (> 0).
    barrier_eV : float
        Barrier height in eV (> 0, finite).
    l : int, optional
        Angular momentum (>= 0), default 0.

    Returns
    -------
    ndarray, shape (n_bound,)
        Levels in eV above the bottom of the well, ascending (may be empty).

    Notes
    -----
    With :math:`k^2 = m_{in} E / (\hbar^2/2m_0)` and
    :math:`\kappa^2 = m_{out}(V - E)/(\hbar^2/2m_0)`, BenDaniel-Duke matching of
    ``R`` and ``R'/m`` at ``r = R`` gives

    .. math::

        \frac{k\,j_l'(kR)}{m_{in}}\,k_l(\kappa R)
        - \frac{\kappa\,k_l'(\kappa R)}{m_{out}}\,j_l(kR) = 0 ,

    which for ``l = 0`` is
    :math:`1 - kR\cot(kR) = (m_{in}/m_{out})(1 + \kappa R)`.  The roots are
    bracketed on a grid with steps of 0.01 in ``kR`` and refined with Brent's method.  This
    is a scalar reference implementation (independent of
    :mod:`qdlab.electronic.sphere.radial`).

    References
    ----------
    .. [1] D. J. BenDaniel and C. B. Duke, Phys. Rev. 152, 683 (1966).
       Bibliography ``bendaniel1966``.
    .. [2] J. W. Haus et al., Phys. Rev. B 47, 1359 (1993). Bibliography ``haus1993``.

    Examples
    --------
    >>> finite_well_energies(0.13, 1.0, 2.0, 4.0).round(4)
    array([0.3601, 1.7839])
    """
    for v, name, unit in ((mass_in, "mass_in", "m0"), (mass_out, "mass_out", "m0"),
                          (radius_nm, "radius_nm", "nm"), (barrier_eV, "barrier_eV", "eV")):
        if np.ndim(v):
            raise QdlabInputError(f"{name} must be a scalar (this is a reference solver), "
                                  f"got shape {np.shape(v)}")
        check_positive(v, name, unit)
    l = int(_check_int(l, "l", 0))
    mi, mo, R, V = map(float, (mass_in, mass_out, radius_nm, barrier_eV))

    def f(E):
        k = np.sqrt(mi * E / HBAR2_2M0)
        kap = np.sqrt(mo * (V - E) / HBAR2_2M0)
        x, y = k * R, kap * R
        # scaled k_l (exp(y) k_l) keeps the function O(1)
        kl = _sp.kve(l + 0.5, y) / np.sqrt(y)
        dkl = -_sp.kve(l + 1.5, y) / np.sqrt(y) + l / y * kl
        return (k * _sp.spherical_jn(l, x, derivative=True) / mi * kl
                - kap * dkl / mo * _sp.spherical_jn(l, x))

    # scan uniformly in x = kR (roots are spaced by ~pi in x), then Brent
    x_max = np.sqrt(mi * V / HBAR2_2M0) * R
    x = np.linspace(0.0, x_max, int(x_max / 0.01) + 200)[1:-1]
    grid = HBAR2_2M0 * (x / R) ** 2 / mi
    vals = f(grid)
    roots = []
    for i in np.flatnonzero(np.sign(vals[:-1]) * np.sign(vals[1:]) < 0):
        roots.append(_opt.brentq(f, grid[i], grid[i + 1], xtol=1e-15, rtol=1e-15))
    return np.array(roots)


def bohr_radii_nm(me, mh, eps):
    r"""Electron, hole and exciton Bohr radii in nm.

    Parameters
    ----------
    me, mh : float or array_like
        Electron and hole effective masses in m0 (> 0).
    eps : float or array_like
        Relative dielectric constant (> 0).

    Returns
    -------
    tuple of (a_e, a_h, a_B)
        :math:`a_i = \varepsilon a_0 / m_i` and
        :math:`a_B = \varepsilon a_0 / \mu = a_e + a_h`, in nm.

    References
    ----------
    .. [1] Efros & Efros, Sov. Phys. Semicond. 16, 772-775 (1982); bibliography
       ``efros1982``.
    .. [2] Efros & Rosen, Annu. Rev. Mater. Sci. 30, 475-521 (2000); bibliography
       ``efros2000``.

    Examples
    --------
    >>> [round(float(a), 3) for a in bohr_radii_nm(0.13, 0.45, 9.5)]
    [3.867, 1.117, 4.984]
    """
    check_positive(me, "me", "m0")
    check_positive(mh, "mh", "m0")
    check_positive(eps, "eps")
    me, mh, eps = (np.asarray(x, float) for x in (me, mh, eps))
    a_e = eps * BOHR_RADIUS_NM / me
    a_h = eps * BOHR_RADIUS_NM / mh
    return a_e, a_h, a_e + a_h


def confinement_regime(radius_nm, a_e_nm, a_h_nm, a_B_nm=None, weak_factor: float = 4.0):
    r"""Confinement regime of a sphere: ``'strong'``, ``'intermediate'`` or ``'weak'``.

    Parameters
    ----------
    radius_nm : float or array_like
        Sphere radius in nm (> 0).
    a_e_nm, a_h_nm : float or array_like
        Electron and hole Bohr radii in nm (> 0), see :func:`bohr_radii_nm`.
    a_B_nm : float or array_like, optional
        Exciton Bohr radius in nm; default ``a_e + a_h``.
    weak_factor : float, optional
        ``R / a_B`` above which confinement is weak, default 4 (Kayanuma [2]_).

    Returns
    -------
    str or ndarray of str
        Regime for each radius.

    Notes
    -----
    Efros & Efros [1]_ distinguish (i) ``R << a_e, a_h``: both carriers are
    confined separately (strong); (ii) ``a_h << R << a_e`` (heavy hole): the
    electron is confined and the hole moves in its averaged Coulomb field
    (intermediate); (iii) ``R >> a_B``: the exciton is confined as a whole
    (weak).  Kayanuma's variational calculation [2]_ puts exciton (centre-of-mass)
    confinement at ``R / a_B >~ 4`` and individual-particle confinement at
    ``R / a_B <~ 2``.  The rule used here:

    * ``'strong'`` if :math:`R < \min(a_e, a_h)`;
    * ``'weak'`` if :math:`R \ge` ``weak_factor`` :math:`\times a_B`;
    * ``'intermediate'`` otherwise.

    References
    ----------
    .. [1] Al. L. Efros and A. L. Efros, Sov. Phys. Semicond. 16, 772 (1982).
       Bibliography ``efros1982``.
    .. [2] Y. Kayanuma, Phys. Rev. B 38, 9797 (1988). Bibliography ``kayanuma1988``.

    Examples
    --------
    >>> a_e, a_h, a_B = bohr_radii_nm(0.13, 0.45, 9.5)    # CdSe-like
    >>> confinement_regime([0.8, 2.0, 25.0], a_e, a_h, a_B).tolist()
    ['strong', 'intermediate', 'weak']
    """
    check_positive(radius_nm, "radius_nm", "nm")
    check_positive(a_e_nm, "a_e_nm", "nm")
    check_positive(a_h_nm, "a_h_nm", "nm")
    check_positive(weak_factor, "weak_factor")
    a_e, a_h = np.asarray(a_e_nm, float), np.asarray(a_h_nm, float)
    if a_B_nm is None:
        a_B = a_e + a_h
    else:
        check_positive(a_B_nm, "a_B_nm", "nm")
        a_B = np.asarray(a_B_nm, float)
    R = np.asarray(radius_nm, float)
    out = np.where(R < np.minimum(a_e, a_h), "strong",
                   np.where(R >= weak_factor * a_B, "weak", "intermediate"))
    return out if out.ndim else str(out)


def _exciton_inputs(band_gap_eV, me, mh, eps, diameter_nm, dead_layer=None):
    """Checked inputs of the sphere exciton models, as float arrays.

    Returns ``(E_g [eV], m_e, m_h [m0], eps, R [nm], mu [m0], Ry* [eV])`` with
    ``R = d/2``, ``mu = m_e m_h / (m_e + m_h)`` and ``Ry* = Ry mu / eps^2``.
    ``dead_layer`` (in units of a_B), when given, is checked to be >= 0.
    """
    check_positive(me, "me", "m0")
    check_positive(mh, "mh", "m0")
    check_positive(eps, "eps")
    check_positive(diameter_nm, "diameter_nm", "nm")
    if dead_layer is not None:
        check_nonnegative(dead_layer, "dead_layer")
    eg = np.asarray(check_nonnegative(band_gap_eV, "band_gap_eV", "eV"), float)
    me, mh, eps = (np.asarray(x, float) for x in (me, mh, eps))
    R = 0.5 * np.asarray(diameter_nm, float)
    mu = me * mh / (me + mh)
    ry = RYDBERG_EV * mu / eps**2
    return eg, me, mh, eps, R, mu, ry


def brus_energy(band_gap_eV, me, mh, eps, diameter_nm):
    r"""Lowest exciton energy of a sphere in the Brus model with Kayanuma's correlation, in eV.

    Parameters
    ----------
    band_gap_eV : float or array_like
        Bulk band gap in eV.
    me, mh : float or array_like
        Electron and hole effective masses in m0 (> 0).
    eps : float or array_like
        Relative dielectric constant of the nanocrystal (> 0).
    diameter_nm : float or array_like
        Diameter in nm (> 0).

    Returns
    -------
    float or ndarray
        Energy in eV.

    Notes
    -----
    .. math::

        E = E_g + \frac{\hbar^2\pi^2}{2R^2}\Big(\frac{1}{m_e} + \frac{1}{m_h}\Big)
            - 1.786\,\frac{e^2}{4\pi\varepsilon_0\varepsilon R} - 0.248\,Ry^*,
        \qquad Ry^* = Ry\,\frac{\mu}{\varepsilon^2},

    with ``R = d/2`` and :math:`\mu = m_e m_h / (m_e + m_h)`.  The first two
    terms are the hard-sphere kinetic energies, the third the first-order
    Coulomb energy [1]_, the last the correlation (second-order) energy of
    Kayanuma [2]_.  Valid in strong confinement (``R <~ 2 a_B``); the polarisation
    term of Brus is omitted (it nearly cancels for eps_in ~ eps_out).

    References
    ----------
    .. [1] L. E. Brus, "Electron-electron and electron-hole interactions in small
       semiconductor crystallites", J. Chem. Phys. 80, 4403 (1984). Bibliography ``brus1984``.
    .. [2] Y. Kayanuma, "Quantum-size effects of interacting electrons and holes
       in semiconductor microcrystals with spherical shape", Phys. Rev. B 38,
       9797 (1988). Bibliography ``kayanuma1988``.

    Examples
    --------
    >>> brus_energy(1.74, 0.13, 0.45, 9.5, [3.0, 4.0, 6.0]).round(3)
    array([3.213, 2.533, 2.06 ])
    """
    eg, me, mh, eps, R, mu, ry = _exciton_inputs(band_gap_eV, me, mh, eps, diameter_nm)
    e = (eg + HBAR2_2M0 * np.pi**2 / R**2 * (1.0 / me + 1.0 / mh)
         - BRUS_COULOMB_COEFF * COULOMB_EV_NM / (eps * R) - KAYANUMA_CORRELATION_COEFF * ry)
    return e if np.ndim(e) else float(e)


def weak_confinement_energy(band_gap_eV, me, mh, eps, diameter_nm,
                            dead_layer: float = KAYANUMA_DEAD_LAYER):
    r"""Lowest exciton energy in weak confinement (centre-of-mass quantisation), in eV.

    Parameters
    ----------
    band_gap_eV : float or array_like
        Bulk band gap in eV.
    me, mh : float or array_like
        Electron and hole effective masses in m0 (> 0).
    eps : float or array_like
        Relative dielectric constant (> 0).
    diameter_nm : float or array_like
        Diameter in nm (> 0).
    dead_layer : float, optional
        Dead-layer thickness :math:`\eta` in units of the exciton Bohr radius
        (>= 0), default 0.5 (Kayanuma [2]_); 0 gives the rigid-sphere model of
        Efros & Efros [1]_.

    Returns
    -------
    float or ndarray
        Energy in eV.

    Notes
    -----
    The exciton moves as a whole particle of mass :math:`M = m_e + m_h` in a
    sphere from which its centre of mass is excluded within a dead layer
    :math:`\eta a_B` of the surface:

    .. math::

        E = E_g - Ry^* + \frac{\hbar^2\pi^2}{2 M (R - \eta a_B)^2},
        \qquad Ry^* = Ry\,\frac{\mu}{\varepsilon^2},\quad
        a_B = \frac{\varepsilon a_0}{\mu}.

    This is the regime of CuCl nanocrystals in glass (``a_B ~ 0.7 nm``), where
    Ekimov & Onushchenko [3]_ first observed the size-dependent blue shift of the
    exciton.  Kayanuma [2]_ found the model accurate for ``R / a_B >~ 4`` with
    :math:`\eta \approx 0.5`; a :class:`~qdlab.errors.QdlabValidityWarning`
    is issued for ``R < 2 a_B``.  For ``R -> inf`` the energy tends to the bulk
    exciton ``E_g - Ry*``.

    References
    ----------
    .. [1] Al. L. Efros and A. L. Efros, Sov. Phys. Semicond. 16, 772 (1982).
       Bibliography ``efros1982``.
    .. [2] Y. Kayanuma, Phys. Rev. B 38, 9797 (1988). Bibliography ``kayanuma1988``.
    .. [3] A. I. Ekimov and A. A. Onushchenko, "Quantum size effect in
       three-dimensional microscopic semiconductor crystals", JETP Lett. 34,
       345 (1981).

    Examples
    --------
    CuCl-like exciton (me = 0.5, mh = 1.8, eps = 5.6, Eg = 3.395 eV):

    >>> round(float(weak_confinement_energy(3.395, 0.5, 1.8, 5.6, 10.0)), 4)
    3.2329
    """
    eg, me, mh, eps, R, mu, ry = _exciton_inputs(band_gap_eV, me, mh, eps, diameter_nm,
                                                 dead_layer=dead_layer)
    a_B = eps * BOHR_RADIUS_NM / mu
    if np.any(R < 2.0 * a_B):
        rmin = float(np.min(R / a_B))
        warn_validity(f"weak_confinement_energy: R/a_B = {rmin:.3g} < 2; the exciton "
                      "centre-of-mass model needs R >~ 4 a_B (Kayanuma 1988): use "
                      "brus_energy or the exact solvers for smaller dots")
    reff = R - float(dead_layer) * a_B
    if np.any(reff <= 0):
        raise QdlabInputError(f"diameter_nm must exceed 2*dead_layer*a_B = "
                              f"{float(np.max(2 * dead_layer * a_B)):.4g} nm for the dead-layer "
                              f"model, got {float(np.min(2 * R)):g}")
    e = eg - ry + HBAR2_2M0 * np.pi**2 / ((me + mh) * reff**2)
    return e if np.ndim(e) else float(e)
