r"""Band-edge exciton of atomically flat nanoplatelets (quantum wells in an organic medium).

A zinc-blende [001] platelet of thickness ``d`` (nm) and large lateral size is a
quantum well: the carriers are quantised along z and free in the plane, and the
electron-hole pair forms a 2D exciton whose attraction is *enhanced* because the
field lines leave the semiconductor (dielectric constant ``eps``) through the
low-``eps`` ligands/solvent.  The band-edge (heavy-hole) transition is

.. math::

    E_X = E_g(T) + E_{e,z} + E_{hh,z} + \Sigma_e + \Sigma_h - E_b ,

with

* :math:`E_{e,z}, E_{hh,z}` -- lowest even state of a finite well of width ``d``
  and depth = the medium barrier, BenDaniel-Duke boundary conditions
  (:func:`finite_well_ground_state_eV`).  Electron: ``electron_mass``, optionally
  with the two-band Kane energy-dependent mass :math:`m(E) = m_e (1 + E/E_g)`
  (nonparabolicity, essential when the confinement is ~ E_g).  Heavy hole along
  [001]: :math:`m_{hh,z} = 1/(\gamma_1 - 2\gamma_2)` (the mass of the
  :math:`J_z = \pm 3/2` band along the quantisation axis; the in-plane mass of the
  same band is :math:`1/(\gamma_1 + \gamma_2)`), Luttinger parameters from
  :mod:`qdlab.materials`.
* :math:`E_b` -- 2D exciton binding in the Rytova-Keldysh potential
  (:func:`rytova_keldysh_potential_eV`) by the variational exponential
  :math:`\phi(\rho) \propto e^{-\rho/a}` (:func:`keldysh_binding_energy_eV`),
  in-plane reduced mass :math:`\mu = (1/m_e + \gamma_1 + \gamma_2)^{-1}`.
* :math:`\Sigma_{e,h}` -- dielectric self-energy (image charges) of each carrier in
  the slab (:func:`slab_self_energy_eV`); it *raises* the gap and largely offsets
  the enhanced binding (Kumagai & Takagahara 1989; Benchamekh et al. 2014).

Dielectric constant of the slab: ``eps_inf`` by default, because the binding
energies (0.15-0.3 eV) are ~10x the LO-phonon energy (26 meV in CdSe), so the
lattice polarisation cannot follow the relative motion (the same choice as in
Achtstein et al. 2012).  The medium's ``dielectric_constant`` is used above and
below the platelet.

Thickness convention
--------------------
An "n.5 ML" CdSe platelet has n Se and n + 1 Cd planes.  ``"n+1/2"`` (default,
as :class:`qdlab.structures.shapes.Platelet`): ``d = (n + 1/2) a / 2``, each of
the 2n + 1 atomic planes owning a slab a/4 thick; ``"n"``: ``n a / 2``, the
distance between the outer Cd plane centres; ``"n+1"``: ``(n + 1) a / 2``, the
outer Cd planes counted with a full a/4 on each side.  The confinement energy
scales as 1/d^2, so the convention changes the 3.5 ML transition by ~0.2 eV:
the convention is part of the model and is reported with every result.

Where the model fails
---------------------
Single-band effective-mass theory for wells of 3-11 atomic planes is at the edge
of its validity, and one choice dominates the result: the boundary condition at
the ligands.  The BenDaniel-Duke condition (continuity of :math:`\psi'/m`)
with the free-electron mass in the ligand barrier (the default, the convention
of qdlab's sphere and grid solvers) gives the electron an extrapolation length
:math:`\delta = m_b/(m_w\kappa) \approx 0.7` nm per side (m_w(E) ~ 0.15,
:math:`\kappa` = 9.7 nm^-1 under 4 eV), more than half the 1.37 nm of a 4.5 ML
platelet: the electron is confined as in a ~2.5 nm hard-wall well
(E_e,z = 0.40 eV at 4.5 ML, against 0.65 eV with no mass step and 1.04 eV with
hard walls).  A mass step has a derivation only between semiconductors with
similar zone-centre Bloch functions, not at a semiconductor/ligand interface,
so neither choice follows from first principles; they bracket the data
(``python -m qdlab.electronic.platelets`` prints the table):

=====  ========  ===================  ===================
 n.5   measured  default (m_b = 1)    ``barrier_mass="well"``
=====  ========  ===================  ===================
 2.5   3.147 eV  -0.253 eV            +0.177 eV
 3.5   2.684     -0.234               +0.081
 4.5   2.422     -0.205               +0.030
 5.5   2.254     -0.179               +0.001
 rms             0.220                0.098
=====  ========  ===================  ===================

Other terms were checked and are not the cause: the zinc-blende gap (1.67 eV at
300 K from the database; one source gives 1.74 eV, which would shift every row
by +0.07 eV), the two- vs three-band Kane mass (three-band with the database
E_p = 17.5 eV and Delta = 0.42 eV: 4-17 meV redder), the in-plane Kane
curvature mass m(1 + 2E/E_g) (9-29 meV redder than m(1 + E/E_g)), eps_inf in
both Coulomb terms (eps_static: 45-70 meV bluer), and the heavy-hole mass
(hole confinement 0.10-0.38 eV).  The self-energy and the Rytova-Keldysh binding
nearly cancel (net +0.11 eV at 2.5 ML, 0 at 5.5 ML), as in the tight-binding
results of Benchamekh et al. [5]_.  The thickness convention is fixed a priori
("n+1/2": 2n + 1 atomic planes of a/4); ``"n"`` and ``"n+1"`` move the 3.5 ML
line by about +/-0.2 eV.  For 2.5 ML (5 atomic planes) no effective-mass
treatment is expected to be better than ~0.2 eV.

References
----------
.. [1] N. S. Rytova, "Screened potential of a point charge in a thin film",
   Moscow Univ. Phys. Bull. 3, 30 (1967) (arXiv:1806.00976).
.. [2] L. V. Keldysh, "Coulomb interaction in thin semiconductor and semimetal
   films", JETP Lett. 29, 658 (1979).
.. [3] P. Cudazzo, I. V. Tokatly, A. Rubio, "Dielectric screening in
   two-dimensional insulators", Phys. Rev. B 84, 085406 (2011).
.. [4] M. Kumagai, T. Takagahara, "Excitonic and nonlinear-optical properties of
   dielectric quantum-well structures", Phys. Rev. B 40, 12359 (1989).
.. [5] R. Benchamekh, N. A. Gippius, J. Even, M. O. Nestoklon, J.-M. Jancu,
   S. Ithurria, B. Dubertret, Al. L. Efros, P. Voisin, "Tight-binding
   calculations of image-charge effects in colloidal nanoscale platelets of
   CdSe", Phys. Rev. B 89, 035307 (2014).
.. [6] A. W. Achtstein et al., "Electronic structure and exciton-phonon
   interaction in two-dimensional colloidal CdSe nanosheets", Nano Lett. 12,
   3151 (2012).
.. [7] S. Ithurria, M. D. Tessier, B. Mahler, R. P. S. M. Lobo, B. Dubertret,
   Al. L. Efros, "Colloidal nanoplatelets with two-dimensional electronic
   structure", Nat. Mater. 10, 936 (2011).
.. [8] G. Bastard, "Wave Mechanics Applied to Semiconductor Heterostructures"
   (Les Editions de Physique, 1988), ch. III (BenDaniel-Duke wells, Kane
   nonparabolicity).

Examples
--------
>>> r = platelet_band_edge("CdSe-zb", 4)        # "4.5 ML" CdSe
>>> round(r.thickness_nm, 3), r.thickness_convention
(1.367, 'n+1/2')
>>> 480 < r.wavelength_nm < 580
True
"""

from __future__ import annotations

import csv
import math
from dataclasses import asdict, dataclass
from importlib import resources

import numpy as np
from scipy.optimize import brentq
from scipy.special import struve, y0

from qdlab._validation import QdlabInputError, check_positive, warn_validity
from qdlab.constants import COULOMB_EV_NM, HBAR2_2M0, HC_EV_NM

#: Thickness conventions understood by :func:`platelet_thickness`.
THICKNESS_CONVENTIONS = ("n+1/2", "n", "n+1")

# Gauss-Laguerre nodes for  int_0^inf u e^{-u} f(u) du  (exponential trial function).
_LAG_X, _LAG_W = np.polynomial.laguerre.laggauss(96)


# ---------------------------------------------------------------------------
# Thickness
# ---------------------------------------------------------------------------


def platelet_thickness(monolayers, lattice_constant_nm, convention: str = "n+1/2"):
    """Thickness (nm) of an n-monolayer zinc-blende [001] platelet.

    Parameters
    ----------
    monolayers : int or array_like
        Number n of anion planes (an "n.5 ML" platelet), >= 1.
    lattice_constant_nm : float
        Cubic lattice constant a, nm.
    convention : {"n+1/2", "n", "n+1"}
        ``(n + 1/2) a/2`` (default, as :class:`~qdlab.structures.shapes.Platelet`),
        ``n a/2`` or ``(n + 1) a/2`` (see the module notes).

    Returns
    -------
    float or ndarray
        Thickness in nm.

    Examples
    --------
    >>> [round(float(platelet_thickness(3, 0.6077, c)), 4) for c in THICKNESS_CONVENTIONS]
    [1.0635, 0.9116, 1.2154]
    """
    if convention not in THICKNESS_CONVENTIONS:
        raise QdlabInputError(f"convention must be one of {THICKNESS_CONVENTIONS}, got "
                              f"{convention!r}")
    n = np.asarray(monolayers, dtype=float)
    if np.any(n < 1) or np.any(n != np.round(n)):
        raise QdlabInputError(f"monolayers must be integers >= 1, got {monolayers!r}")
    check_positive(lattice_constant_nm, "lattice_constant_nm", "nm")
    extra = {"n+1/2": 0.5, "n": 0.0, "n+1": 1.0}[convention]
    out = (n + extra) * float(lattice_constant_nm) / 2.0
    return out[()] if out.ndim == 0 else out


# ---------------------------------------------------------------------------
# Finite well (BenDaniel-Duke)
# ---------------------------------------------------------------------------


def _well_scalar(L, mw, mb, V0, Eg):
    # mb <= 0 encodes "barrier mass = the (energy-dependent) well mass" (psi' continuous).
    def mass(E):
        return mw * (1.0 + E / Eg) if Eg else mw

    if math.isinf(V0):
        if Eg:
            # E (1 + E/Eg) = hbar^2 pi^2 / (2 m L^2): root of the quadratic.
            e_par = HBAR2_2M0 * math.pi ** 2 / (mw * L * L)
            return 0.5 * Eg * (math.sqrt(1.0 + 4.0 * e_par / Eg) - 1.0)
        return HBAR2_2M0 * math.pi ** 2 / (mw * L * L)

    def f(E):
        m = mass(E)
        b = m if mb <= 0 else mb
        k = math.sqrt(E * m / HBAR2_2M0)
        kap = math.sqrt(max(V0 - E, 0.0) * b / HBAR2_2M0)
        return k / m * math.sin(k * L / 2) - kap / b * math.cos(k * L / 2)

    # f < 0 near E = 0 and the first even root lies below the first zero of
    # cos(kL/2) (k L / 2 = pi/2) and below V0 (an even bound state always exists).
    hi = V0 * (1.0 - 1e-12)
    if Eg:
        e_pi = 0.5 * Eg * (math.sqrt(1.0 + 4.0 * HBAR2_2M0 * math.pi ** 2 / (mw * L * L) / Eg) - 1)
    else:
        e_pi = HBAR2_2M0 * math.pi ** 2 / (mw * L * L)
    hi = min(hi, e_pi * (1.0 - 1e-12))
    lo = 1e-12 * hi
    return brentq(f, lo, hi, xtol=1e-14, rtol=1e-13)


def finite_well_ground_state_eV(thickness_nm, well_mass, barrier_mass, barrier_eV,
                                band_gap_eV=None):
    r"""Confinement energy (eV) of the lowest state of a symmetric finite quantum well.

    Parameters
    ----------
    thickness_nm : float or array_like
        Well width d, nm (> 0).
    well_mass : float or array_like
        Band-edge effective mass in the well, m0 (> 0).
    barrier_mass : float, array_like or None
        Effective mass in the barrier, m0 (> 0).  ``None``: the barrier carries
        the same (energy-dependent) mass as the well, so that the matching
        condition reduces to continuity of :math:`\psi'` (no mass step).
    barrier_eV : float or array_like
        Barrier height V0 above the band edge, eV (> 0, ``inf`` = hard walls).
    band_gap_eV : float or array_like, optional
        If given, the well mass is energy dependent (two-band Kane model),
        :math:`m(E) = m_w (1 + E/E_g)`.

    Returns
    -------
    float or ndarray
        Energy of the ground state above the well's band edge, eV.

    Notes
    -----
    With :math:`k = \sqrt{2 m_w E}/\hbar` and :math:`\kappa = \sqrt{2 m_b (V_0 - E)}/\hbar`
    the BenDaniel-Duke conditions (continuity of :math:`\psi` and of
    :math:`\psi'/m`) give for the even ground state

    .. math:: \frac{k}{m_w}\tan\frac{k d}{2} = \frac{\kappa}{m_b}

    (Bastard 1988); with ``V0 = inf``: :math:`E = \hbar^2\pi^2/(2 m_w d^2)`.
    With the Kane mass, :math:`m_w \to m_w(E)` in k and in the matching condition
    (and :math:`m_b = m_w(E)` if ``barrier_mass`` is None).

    A barrier heavier than the well (:math:`m_b \gg m_w`) lets the envelope leave
    the well almost flat: the extrapolation length
    :math:`\delta = m_b/(m_w\kappa)` is 0.7 nm for an electron
    (:math:`m_w(E) \approx 0.15`) under a 4 eV barrier with :math:`m_b = 1`,
    and :math:`E \to 0` as :math:`m_b \to \infty` at fixed :math:`V_0`.

    Examples
    --------
    >>> round(float(finite_well_ground_state_eV(2.0, 0.1, 0.1, float("inf"))), 4)
    0.9401
    >>> e = finite_well_ground_state_eV([1.0, 2.0], 0.12, 1.0, 4.0)
    >>> bool(e[0] > e[1] > 0)
    True
    >>> heavy, same = (float(finite_well_ground_state_eV(1.367, 0.12, mb, 4.0, 1.67))
    ...                for mb in (1.0, None))
    >>> round(heavy, 3), round(same, 3)
    (0.402, 0.652)
    """
    for v, nm, unit in ((thickness_nm, "thickness_nm", "nm"), (well_mass, "well_mass", "m0")):
        check_positive(v, nm, unit)
    if barrier_mass is None:
        barrier_mass = 0.0          # encodes "same mass as the well" for _well_scalar
    else:
        check_positive(barrier_mass, "barrier_mass", "m0")
    V = np.asarray(barrier_eV, dtype=float)
    if np.any(np.isnan(V)) or np.any(V <= 0):
        raise QdlabInputError(f"barrier_eV must be > 0 eV (or inf), got {barrier_eV!r}")
    if band_gap_eV is not None:
        check_positive(band_gap_eV, "band_gap_eV", "eV")
    Eg = 0.0 if band_gap_eV is None else band_gap_eV
    out = np.vectorize(_well_scalar, otypes=[float])(thickness_nm, well_mass, barrier_mass,
                                                     barrier_eV, Eg)
    return out[()] if out.ndim == 0 else out


# ---------------------------------------------------------------------------
# Rytova-Keldysh exciton
# ---------------------------------------------------------------------------


def screening_length_nm(eps_slab, thickness_nm, eps_above, eps_below=None):
    r"""Rytova-Keldysh screening length :math:`r_0 = \varepsilon d / (\varepsilon_1 + \varepsilon_2)`, nm.

    Parameters
    ----------
    eps_slab : float
        Relative permittivity of the platelet.
    thickness_nm : float
        Platelet thickness d, nm.
    eps_above, eps_below : float
        Permittivities on the two sides (``eps_below`` defaults to ``eps_above``).

    Notes
    -----
    Keldysh (1979) for a film between media eps1, eps2; the 2D polarisability
    form of Cudazzo et al. (2011) is :math:`r_0 = 2\pi\chi_{2D}/\bar\varepsilon`
    with :math:`\chi_{2D} = \varepsilon d/(4\pi)`, the same number.

    Examples
    --------
    >>> round(float(screening_length_nm(6.2, 1.367, 2.25)), 4)
    1.8834
    """
    eps_below = eps_above if eps_below is None else eps_below
    for v, n in ((eps_slab, "eps_slab"), (eps_above, "eps_above"), (eps_below, "eps_below")):
        check_positive(v, n)
    check_positive(thickness_nm, "thickness_nm", "nm")
    return np.asarray(eps_slab) * np.asarray(thickness_nm) / (np.asarray(eps_above)
                                                            + np.asarray(eps_below)) * 1.0


def rytova_keldysh_potential_eV(rho_nm, r0_nm, eps_above, eps_below=None):
    r"""Electron-hole potential energy in a thin film (Rytova-Keldysh), eV.

    Parameters
    ----------
    rho_nm : float or array_like
        In-plane electron-hole distance, nm (> 0).
    r0_nm : float or array_like
        Screening length (:func:`screening_length_nm`), nm (> 0).
    eps_above, eps_below : float
        Permittivities of the surrounding media.

    Returns
    -------
    ndarray
        V(rho) in eV (negative: attraction).

    Notes
    -----
    .. math::

        V(\rho) = -\frac{\pi e^2}{4\pi\varepsilon_0\,(\varepsilon_1 + \varepsilon_2)\, r_0}
        \left[H_0\!\left(\frac{\rho}{r_0}\right) - Y_0\!\left(\frac{\rho}{r_0}\right)\right]

    (Struve :math:`H_0`, Bessel :math:`Y_0`; Rytova 1967, Keldysh 1979,
    Cudazzo et al. 2011).  For :math:`\rho \gg r_0` it tends to the Coulomb
    potential screened by :math:`\bar\varepsilon = (\varepsilon_1+\varepsilon_2)/2`;
    for :math:`\rho \ll r_0` it is logarithmic.

    Examples
    --------
    >>> v = rytova_keldysh_potential_eV(200.0, 1.0, 2.0)     # far: -e^2/(4 pi eps0 eps rho)
    >>> round(float(v / (-1.43996 / (2.0 * 200.0))), 3)
    1.0
    """
    eps_below = eps_above if eps_below is None else eps_below
    check_positive(rho_nm, "rho_nm", "nm")
    check_positive(r0_nm, "r0_nm", "nm")
    x = np.asarray(rho_nm, dtype=float) / np.asarray(r0_nm, dtype=float)
    pref = math.pi * COULOMB_EV_NM / ((np.asarray(eps_above) + np.asarray(eps_below))
                                      * np.asarray(r0_nm, dtype=float))
    return -pref * (struve(0, x) - y0(x))


def _mean_rk(a, r0, eps_sum):
    """<V> (eV) for phi ~ exp(-rho/a): int_0^inf u e^-u V(a u / 2) du (Gauss-Laguerre)."""
    rho = a[..., None] * _LAG_X / 2.0
    x = rho / r0[..., None]
    V = -(math.pi * COULOMB_EV_NM / (eps_sum * r0))[..., None] * (struve(0, x) - y0(x))
    return (V * _LAG_W * _LAG_X).sum(axis=-1)


def keldysh_binding_energy_eV(reduced_mass, thickness_nm, eps_slab, eps_above,
                              eps_below=None):
    r"""2D exciton binding energy (eV) and radius (nm) in the Rytova-Keldysh potential.

    Parameters
    ----------
    reduced_mass : float or array_like
        In-plane electron-hole reduced mass, m0.
    thickness_nm : float or array_like
        Film thickness, nm.
    eps_slab : float or array_like
        Permittivity of the film.
    eps_above, eps_below : float or array_like
        Permittivities of the surroundings (``eps_below`` defaults to ``eps_above``).

    Returns
    -------
    (E_b, a) : tuple of float or ndarray
        Binding energy (eV, > 0) and variational radius a (nm).

    Notes
    -----
    Variational minimum over a of

    .. math::

        E(a) = \frac{\hbar^2}{2\mu a^2} + \int_0^\infty \frac{4\rho}{a^2}
        e^{-2\rho/a}\, V_{RK}(\rho)\, d\rho

    for the normalised trial function :math:`\phi = \sqrt{2/\pi}\,a^{-1} e^{-\rho/a}`
    (Gauss-Laguerre quadrature, 96 nodes, vectorised over a; the minimum is found
    on a logarithmic grid refined three times).  In the Coulomb limit
    (:math:`r_0 \to 0`) the trial function is exact: :math:`E_b = 4 R^*`,
    :math:`a = a_B^*/2` (2D hydrogen).  In the Keldysh regime the exponential
    underestimates E_b by a few per cent (Berkelbach, Hybertsen, Reichman,
    PRB 88, 045318 (2013)).

    Examples
    --------
    >>> from qdlab.constants import RYDBERG_EV, BOHR_RADIUS_NM
    >>> eb, a = keldysh_binding_energy_eV(0.1, 1e-6, 1.0, 4.0)     # ~ pure 2D Coulomb
    >>> round(float(eb / (4 * RYDBERG_EV * 0.1 / 16)), 4), round(float(a / (BOHR_RADIUS_NM * 40 / 2)), 4)
    (1.0, 1.0)
    """
    eps_below = eps_above if eps_below is None else eps_below
    check_positive(reduced_mass, "reduced_mass", "m0")
    r0 = np.asarray(screening_length_nm(eps_slab, thickness_nm, eps_above, eps_below), float)
    mu, r0, es = np.broadcast_arrays(np.asarray(reduced_mass, float), r0,
                                     np.asarray(eps_above, float) + np.asarray(eps_below, float))
    # Scale: the larger of the 2D Coulomb radius and the Keldysh radius sqrt(a_B r0).
    aB = 0.0529177 * (es / 2) / mu
    scale = np.maximum(aB / 2, np.sqrt(aB * np.maximum(r0, 1e-12)))
    lo, hi = np.log(scale / 30), np.log(scale * 30)
    for _ in range(4):
        t = np.linspace(0.0, 1.0, 41)
        la = lo[..., None] + (hi - lo)[..., None] * t
        a = np.exp(la)
        E = HBAR2_2M0 / (mu[..., None] * a * a) + _mean_rk(a, np.broadcast_to(
            r0[..., None], a.shape), es[..., None])
        i = np.argmin(E, axis=-1)
        step = (hi - lo) / 40
        best = np.take_along_axis(la, i[..., None], -1)[..., 0]
        lo, hi = best - 2 * step, best + 2 * step
    a = np.exp(best)
    E = HBAR2_2M0 / (mu * a * a) + _mean_rk(a, r0, es)
    Eb, a = -E, a
    return (Eb[()] if Eb.ndim == 0 else Eb), (a[()] if a.ndim == 0 else a)


# ---------------------------------------------------------------------------
# Self-energy (image charges) in a slab
# ---------------------------------------------------------------------------


def slab_self_energy_eV(thickness_nm, eps_slab, eps_out, n_images: int = 400):
    r"""Dielectric self-energy (eV) of one carrier in a slab, averaged over its envelope.

    Parameters
    ----------
    thickness_nm : float
        Slab thickness d, nm.
    eps_slab : float
        Permittivity of the slab.
    eps_out : float
        Permittivity on both sides.
    n_images : int
        Image orders kept on each side (the series converges as gamma^n / n).

    Returns
    -------
    float
        :math:`\langle\Sigma\rangle` in eV (> 0 when eps_slab > eps_out).

    Notes
    -----
    Image series of a charge at z in a slab (Kumagai & Takagahara 1989):

    .. math::

        \Sigma(z) = \frac{e^2}{2\cdot 4\pi\varepsilon_0\varepsilon}\sum_{n\neq 0}
        \frac{\gamma^{|n|}}{|z - z_n|},\quad z_n = n d + (-1)^n z,\quad
        \gamma = \frac{\varepsilon - \varepsilon_{out}}{\varepsilon + \varepsilon_{out}},

    averaged with the infinite-barrier envelope :math:`(2/d)\cos^2(\pi z/d)`
    (the 1/dist divergence at the interface is then integrable; with a
    finite-barrier envelope it is not -- the continuum model needs a cutoff
    there, a known limitation).  Gauss-Legendre quadrature with 200 nodes.

    Examples
    --------
    >>> slab_self_energy_eV(1.4, 6.2, 6.2)
    0.0
    >>> round(slab_self_energy_eV(1.4, 6.2, 2.25), 3)
    0.122
    """
    check_positive(thickness_nm, "thickness_nm", "nm")
    check_positive(eps_slab, "eps_slab")
    check_positive(eps_out, "eps_out")
    d, e1, e2 = float(thickness_nm), float(eps_slab), float(eps_out)
    g = (e1 - e2) / (e1 + e2)
    if g == 0.0:
        return 0.0
    x, w = np.polynomial.legendre.leggauss(200)
    z, w = x * d / 2, w * d / 2
    dens = (2.0 / d) * np.cos(np.pi * z / d) ** 2
    n = np.arange(1, int(n_images) + 1)[:, None]
    S = np.zeros_like(z)
    for s in (1, -1):
        zn = s * n * d + np.where(n % 2 == 0, 1.0, -1.0) * z
        S += (g ** n / np.abs(z - zn)).sum(axis=0)
    return float(COULOMB_EV_NM / (2.0 * e1) * (w * dens * S).sum())


# ---------------------------------------------------------------------------
# Platelet band edge
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlateletExciton:
    """Band-edge (heavy-hole) exciton of a platelet; energies in eV, lengths in nm.

    Attributes
    ----------
    material : str
    monolayers : int
        Anion planes n (an "n.5 ML" platelet).
    thickness_nm : float
    thickness_convention : str
    band_gap_eV : float
        Bulk gap at the temperature.
    electron_confinement_eV, hole_confinement_eV : float
        Thickness quantisation of electron and heavy hole.
    self_energy_eV : float
        Sum of the electron and hole dielectric self-energies (0 if switched off).
    binding_energy_eV : float
        Rytova-Keldysh binding energy.
    exciton_radius_nm : float
        Variational in-plane radius a.
    screening_length_nm : float
        r0.
    energy_eV, wavelength_nm : float
        Band-edge transition.
    hole_mass_z, hole_mass_inplane, electron_mass, reduced_mass_inplane : float
        Masses used, m0.
    eps_slab, eps_out : float
    barrier_mass : float or "well"
    nonparabolic : bool
    """

    material: str
    monolayers: int
    thickness_nm: float
    thickness_convention: str
    band_gap_eV: float
    electron_confinement_eV: float
    hole_confinement_eV: float
    self_energy_eV: float
    binding_energy_eV: float
    exciton_radius_nm: float
    screening_length_nm: float
    energy_eV: float
    wavelength_nm: float
    hole_mass_z: float
    hole_mass_inplane: float
    electron_mass: float
    reduced_mass_inplane: float
    eps_slab: float
    eps_out: float
    barrier_mass: float | str
    nonparabolic: bool

    def as_dict(self) -> dict:
        """Plain dict (JSON-ready), with ``first_exciton_eV`` / ``first_exciton_nm`` keys."""
        d = asdict(self)
        d["first_exciton_eV"] = self.energy_eV
        d["first_exciton_nm"] = self.wavelength_nm
        return d


def heavy_hole_masses(material) -> tuple[float, float]:
    """Heavy-hole masses (m0) for [001] quantisation: (along z, in plane).

    ``1/(gamma1 - 2 gamma2)`` and ``1/(gamma1 + gamma2)`` from the Luttinger
    parameters (Luttinger, Phys. Rev. 102, 1030 (1956)); without them the
    material's ``heavy_hole_mass`` (else ``hole_mass``) for both, with a warning.

    Examples
    --------
    >>> from qdlab.materials import get_material
    >>> [round(m, 3) for m in heavy_hole_masses(get_material("CdSe-zb"))]
    [1.136, 0.382]
    """
    lutt = getattr(material, "luttinger", None)
    if lutt is not None:
        g1, g2, _ = (float(v) for v in lutt)
        if not g1 > 2 * g2:
            raise QdlabInputError(f"luttinger parameters need gamma1 > 2 gamma2, got {lutt}")
        return 1.0 / (g1 - 2 * g2), 1.0 / (g1 + g2)
    m = getattr(material, "heavy_hole_mass", None) or material.hole_mass
    warn_validity(f"material {getattr(material, 'name', material)!r} has no Luttinger "
                  f"parameters: the heavy-hole mass {m:g} m0 is used along z and in plane",
                  stacklevel=3)
    return float(m), float(m)


def platelet_band_edge(material, monolayers: int | None = None, *, medium=None,
                       temperature: float = 300.0, thickness_convention: str = "n+1/2",
                       lattice_constant_nm: float | None = None, barrier_mass: float = 1.0,
                       nonparabolic: bool = True, self_energy: bool = True,
                       eps_slab: str | float = "inf") -> PlateletExciton:
    r"""Band-edge heavy-hole exciton of a nanoplatelet (see the module notes).

    Parameters
    ----------
    material : str, Material or Platelet
        The semiconductor (needs ``lattice_constant_nm``, ``electron_mass``,
        ``band_gap``, Luttinger parameters) or a
        :class:`~qdlab.structures.shapes.Platelet` (then ``monolayers``, medium
        and temperature come from it).
    monolayers : int
        Anion planes n (1..20); "4.5 ML" is n = 4.
    medium : Medium, optional
        Ligands/solvent (barriers, dielectric constant); default organic ligands.
    temperature : float
        K.
    thickness_convention : {"n+1/2", "n", "n+1"}
        See :func:`platelet_thickness`.
    lattice_constant_nm : float, optional
        Override, nm.
    barrier_mass : float or "well"
        Carrier mass in the ligand barrier (m0) for the BenDaniel-Duke condition;
        default 1 (free electron), the convention of the sphere and grid solvers
        (:data:`qdlab.electronic.exciton.MEDIUM_MASS`,
        :func:`qdlab.electronic.grid.solve_grid`).  ``"well"``: no mass step at
        the interface -- each carrier keeps its own mass in the barrier (the
        electron its energy-dependent Kane mass :math:`m_e(E)`, the heavy hole
        :math:`m_{hh,z}`), so the matching is continuity of :math:`\psi'`.
        The two choices bracket the measured series (module notes).
    nonparabolic : bool
        Electron mass m_e (1 + E/E_g) (two-band Kane) along z, and the in-plane
        band-curvature mass m_e (1 + 2 E/E_g) of the subband, default True.
    self_energy : bool
        Include the image self-energies of electron and hole (default True).
    eps_slab : "inf", "static" or float
        Permittivity of the platelet for the Coulomb terms (default eps_inf).

    Returns
    -------
    PlateletExciton

    Notes
    -----
    :math:`E_X = E_g(T) + E_{e,z} + E_{hh,z} + \Sigma_e + \Sigma_h - E_b`
    (module docstring for each term).  The lateral size is taken as infinite
    (lateral confinement of the exciton centre of mass in a 10 x 30 nm platelet
    is a few meV).
    """
    from qdlab.structures.medium import Medium
    from qdlab.structures.shapes import Platelet
    from qdlab.structures.spheres import _resolve

    if isinstance(material, Platelet):
        pl = material
        mat = pl.material
        monolayers = pl.monolayers if monolayers is None else monolayers
        medium = pl.medium if medium is None else medium
        temperature = pl.temperature
    else:
        mat = _resolve(material)
    if monolayers is None or isinstance(monolayers, bool) or \
            not isinstance(monolayers, (int, np.integer)) or not 1 <= monolayers <= 20:
        raise QdlabInputError(f"monolayers must be an integer in [1, 20], got {monolayers!r}")
    medium = Medium() if medium is None else medium
    check_positive(temperature, "temperature", "K")
    if barrier_mass != "well":
        check_positive(barrier_mass, "barrier_mass", "m0")
    a = lattice_constant_nm if lattice_constant_nm is not None else \
        getattr(mat, "lattice_constant_nm", None)
    if a is None:
        raise QdlabInputError("lattice_constant_nm must be given: the material has none")
    if getattr(mat, "crystal_structure", "zincblende") not in ("zincblende",):
        warn_validity(f"{getattr(mat, 'key', mat)!r} is not zinc blende: the platelet "
                      "thickness formula assumes a cubic [001] stacking", stacklevel=2)
    d = float(platelet_thickness(int(monolayers), a, thickness_convention))
    if monolayers <= 2:
        warn_validity(f"{monolayers}.5 ML ({d:.2f} nm, {2 * monolayers + 1} atomic planes): "
                      "effective-mass theory is not reliable for so few planes", stacklevel=2)
    Eg = float(mat.band_gap(temperature))
    me = float(mat.electron_mass)
    mhz, mhp = heavy_hole_masses(mat)
    Ve, Vh = medium.electron_barrier_eV, medium.hole_barrier_eV
    mbe, mbh = (None, None) if barrier_mass == "well" else (barrier_mass, barrier_mass)
    Ee = float(finite_well_ground_state_eV(d, me, mbe, Ve, Eg if nonparabolic else None))
    Eh = float(finite_well_ground_state_eV(d, mhz, mbh, Vh))
    if eps_slab == "inf":
        eps = float(mat.eps_inf)
    elif eps_slab == "static":
        eps = float(mat.eps_static)
    else:
        eps = float(check_positive(eps_slab, "eps_slab"))
    eo = float(medium.dielectric_constant)
    # In-plane masses: heavy hole 1/(gamma1+gamma2); electron: curvature of the
    # two-band Kane subband at k_par = 0.  From E (1 + E/Eg) = hbar^2 (k_z^2 + k_par^2)/2m,
    # dE/d(k_par^2) = (hbar^2/2m) / (1 + 2E/Eg): m_par = m (1 + 2 E/Eg) (Bastard 1988, ch. III).
    me_par = me * (1.0 + 2.0 * Ee / Eg) if nonparabolic else me
    mu = 1.0 / (1.0 / me_par + 1.0 / mhp)
    eb, ax = keldysh_binding_energy_eV(mu, d, eps, eo)
    sig = 2.0 * slab_self_energy_eV(d, eps, eo) if self_energy else 0.0
    E = Eg + Ee + Eh + sig - float(eb)
    return PlateletExciton(
        material=str(getattr(mat, "key", getattr(mat, "name", mat))), monolayers=int(monolayers),
        thickness_nm=d, thickness_convention=thickness_convention, band_gap_eV=Eg,
        electron_confinement_eV=Ee, hole_confinement_eV=Eh, self_energy_eV=sig,
        binding_energy_eV=float(eb), exciton_radius_nm=float(ax),
        screening_length_nm=float(screening_length_nm(eps, d, eo)), energy_eV=E,
        wavelength_nm=HC_EV_NM / E, hole_mass_z=mhz, hole_mass_inplane=mhp, electron_mass=me,
        reduced_mass_inplane=mu, eps_slab=eps, eps_out=eo,
        barrier_mass="well" if barrier_mass == "well" else float(barrier_mass),
        nonparabolic=bool(nonparabolic))


# ---------------------------------------------------------------------------
# Measured CdSe series and validation
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlateletReference:
    """One measured platelet: anion planes n, heavy-hole absorption peak (nm, eV), source."""

    label: str
    monolayers: int
    hh_absorption_nm: float
    hh_absorption_eV: float
    source: str


def cdse_platelet_reference() -> list[PlateletReference]:
    """The measured zinc-blende CdSe platelet series (``qdlab/_data/platelets_cdse.csv``).

    Examples
    --------
    >>> [r.label for r in cdse_platelet_reference()]
    ['2.5 ML', '3.5 ML', '4.5 ML', '5.5 ML']
    """
    text = resources.files("qdlab").joinpath("_data", "platelets_cdse.csv").read_text()
    rows = [r for r in csv.DictReader(line for line in text.splitlines()
                                      if not line.startswith("#"))]
    return [PlateletReference(r["label"], int(r["monolayers"]), float(r["hh_absorption_nm"]),
                              HC_EV_NM / float(r["hh_absorption_nm"]), r["source"])
            for r in rows]


def validate_cdse_platelets(**options) -> list[dict]:
    """Model vs measured CdSe platelet heavy-hole transitions (no fitted parameter).

    Parameters
    ----------
    **options
        Passed to :func:`platelet_band_edge` (e.g. ``thickness_convention``).

    Returns
    -------
    list of dict
        Per platelet: label, n, measured and model nm / eV, error (model - measured) eV.

    Examples
    --------
    >>> rows = validate_cdse_platelets()
    >>> [r["label"] for r in rows][:2], all(abs(r["error_eV"]) < 0.5 for r in rows)
    (['2.5 ML', '3.5 ML'], True)
    """
    import warnings

    from qdlab._validation import QdlabValidityWarning

    out = []
    for ref in cdse_platelet_reference():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", QdlabValidityWarning)
            r = platelet_band_edge("CdSe-zb", ref.monolayers, **options)
        out.append({"label": ref.label, "monolayers": ref.monolayers,
                    "measured_nm": ref.hh_absorption_nm, "model_nm": r.wavelength_nm,
                    "measured_eV": ref.hh_absorption_eV, "model_eV": r.energy_eV,
                    "error_eV": r.energy_eV - ref.hh_absorption_eV, "source": ref.source})
    return out


def _main() -> None:  # pragma: no cover - prints the validation table
    variants = [
        ("default (n+1/2, m_b = 1, Kane electron, self-energy, eps_inf)", {}),
        ("no self-energy", {"self_energy": False}),
        ("parabolic electron", {"nonparabolic": False}),
        ("no mass step at the ligands (barrier_mass='well')", {"barrier_mass": "well"}),
        ("no mass step, no self-energy", {"barrier_mass": "well", "self_energy": False}),
        ("eps_static", {"eps_slab": "static"}),
        ("thickness n a/2", {"thickness_convention": "n"}),
        ("thickness (n+1) a/2", {"thickness_convention": "n+1"}),
    ]
    for name, opt in variants:
        rows = validate_cdse_platelets(**opt)
        rms = math.sqrt(sum(r["error_eV"] ** 2 for r in rows) / len(rows))
        print(f"\n{name}   (rms {rms:.3f} eV)")
        print(f"{'':8s} {'meas nm':>8s} {'model nm':>9s} {'meas eV':>8s} {'model eV':>9s} "
              f"{'err eV':>8s}")
        for r in rows:
            print(f"{r['label']:8s} {r['measured_nm']:8.0f} {r['model_nm']:9.1f} "
                  f"{r['measured_eV']:8.3f} {r['model_eV']:9.3f} {r['error_eV']:+8.3f}")


if __name__ == "__main__":  # pragma: no cover
    _main()
