r"""Kang-Wise four-band envelope model of lead-salt (PbS, PbSe, PbTe) spheres.

Model
-----
At each of the four L valleys the conduction (:math:`L_6^-`) and valence
(:math:`L_6^+`) bands are Kramers doublets coupled by the interband momentum
:math:`P` (two-band Dimmock k.p), with far-band curvatures :math:`m_c^-, m_v^+`.
In the spherical (isotropically averaged) approximation of Kang & Wise (1997)
the 4x4 envelope Hamiltonian of one valley is

.. math::

    H = \begin{pmatrix} E_g/2 + \frac{\hbar^2k^2}{2m_c^-} & \gamma\,\sigma\cdot k\\
        \gamma\,\sigma\cdot k & -E_g/2 - \frac{\hbar^2k^2}{2m_v^+}\end{pmatrix},
    \qquad \gamma^2 = \frac{\hbar^2}{2m_0}E_P,\quad E_P = \frac{2\bar P^2}{m_0},

with :math:`\bar P^2 = (2P_t^2 + P_l^2)/3`.  Energies are measured from mid-gap.
The bulk dispersion :math:`(E - E_g/2 - a k^2)(E + E_g/2 + b k^2) = \gamma^2 k^2`
(:math:`a = \hbar^2/2m_c^-`, :math:`b = \hbar^2/2m_v^+`) has, at each energy outside
the gap, one propagating root :math:`k^2 > 0` and one evanescent root
:math:`k^2 = -q^2`.  A state of total angular momentum :math:`j` and Dirac index
:math:`\kappa = \mp(j + 1/2)` has upper (conduction) component
:math:`g(r)\Omega_{\kappa m}` of orbital momentum :math:`l` and lower component
:math:`f(r)\Omega_{-\kappa m}` of :math:`l' = 2j - l`:

.. math::

    g = A\,j_l(kr) + B\,i_l(qr),\qquad
    f = \frac{s\gamma k\,A\,j_{l'}(kr)}{E + E_g/2 + bk^2}
      + \frac{\gamma q\,B\,i_{l'}(qr)}{E + E_g/2 - bq^2},

with :math:`s = -1` for :math:`\kappa < 0`, :math:`+1` for :math:`\kappa > 0`.  The
infinite barrier requires :math:`g(R) = f(R) = 0`: the energies are the zeros of

.. math::

    \Delta(E) = j_l(kR)\,q\,\frac{i_{l'}(qR)}{i_l(qR)}\,(E + E_g/2 + bk^2)
              - s\,k\,j_{l'}(kR)\,(E + E_g/2 - bq^2)

(the 2x2 determinant multiplied by its finite denominators and divided by
:math:`\gamma\,i_l(qR)`).  For :math:`P \to 0` it reduces to :math:`j_l(kR) = 0`,
the parabolic particle in a sphere of mass :math:`m_c^-`; for :math:`R \to \infty`
the levels tend to the band edges :math:`\pm E_g/2`.  Electrons are the roots with
:math:`E > E_g/2` (the propagating root scanned on a :math:`k` grid, brackets refined
by vectorised bisection over all radii at once); holes the roots with
:math:`E < -E_g/2`, their "major" component being the lower one.

*Transitions and oscillator strength.*  An electron state :math:`\kappa` couples to the
hole state :math:`-\kappa` (equal major-component angular part).  The interband
velocity :math:`\partial H/\hbar\partial k` connects the electron's upper component with
the hole's lower one and vice versa; inside a :math:`(l, j)` multiplet
:math:`\sigma \to g_\kappa\mathbf J` with :math:`g_\kappa = 1/j` (:math:`\kappa < 0`)
or :math:`-1/(j+1)` (:math:`\kappa > 0`), so the envelope factor is

.. math::

    K = \left|\int_0^R g_e f_h\,r^2dr - \frac{g_{-\kappa}}{g_\kappa}
        \int_0^R f_e g_h\,r^2dr\right|

(for the 1S pair :math:`g_{+1}/g_{-1} = -1/3`; with mirror bands :math:`K = I_1 +
I_2/3` with :math:`I_1 + I_2 = 1`; for :math:`\kappa > 0`, whose minor component is the
one with the larger spin-orbital matrix element, :math:`K` can exceed 1 because it is
expressed relative to the major multiplet's :math:`C_\kappa`).  Summed over the 4 valleys and the
:math:`(2j+1)^2` spin-orbital pair states,

.. math::

    f = 4\,C_\kappa\,\frac{E_P}{E}\,K^2,\qquad
    C_\kappa = \sum_{mm'}|\langle\Omega_{\kappa m}|\sigma_z|\Omega_{\kappa m'}\rangle|^2,

:math:`C_{-1} = 2` for the 1S(1/2) pair, so :math:`f_{1S} = 8(E_P/E)K^2` (8 = 4 valleys
x 2 spins; Kang & Wise 1997).  Intraband (envelope-gradient) terms of the velocity,
of relative order :math:`\hbar^2k/(m^\mp\gamma)`, are neglected.

*Pair energy*: :math:`E = E_e + |E_h| - J + \Sigma_e + \Sigma_h` with the first-order
Coulomb energy :math:`J` screened by :math:`\varepsilon_\infty` plus the dielectric
self-polarisation energies :math:`\Sigma` of both carriers (:math:`\varepsilon_\infty
\approx 17` inside, ~2 outside), which partly cancel :math:`J` (Bartnik et al. 2010).

Known limitations
-----------------
Spherical approximation of the anisotropic valleys (no valley/anisotropy
splittings, An et al. 2006); infinite barrier (the real ligand barrier lowers the
levels slightly; a finite ligand barrier is not implemented); far-band masses: see
:data:`LEAD_SALT_PARAMETERS` -- the PbS first exciton moves by +-0.03-0.1 eV when the
far-band mass is halved or doubled (``python -m qdlab.electronic.kp.validate``).
Validation (no fit): PbS vs Moreels 2009, RMS 0.039 eV (model 0.03-0.05 eV low at
3-9 nm); PbSe vs Moreels 2007, RMS 0.084 eV (+0.19 eV at 3 nm, within 0.03 eV above
5 nm).

References
----------
.. [1] I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997).
.. [2] J. O. Dimmock, in *The Physics of Semimetals and Narrow-Gap Semiconductors*,
   D. L. Carter and R. T. Bate eds. (Pergamon, 1971), p. 319.
.. [3] H. Preier, Appl. Phys. 20, 189 (1979).
.. [4] I. Moreels et al., ACS Nano 3, 3023 (2009).
.. [5] A. C. Bartnik, Al. L. Efros, W.-K. Koh, C. B. Murray, F. W. Wise,
   Phys. Rev. B 82, 195313 (2010).

Examples
--------
>>> lv = lead_salt_levels("PbS", [1.5, 2.5, 4.0])
>>> [round(float(x), 3) for x in lv.energy_eV[:, 0]]   # 1S-1S pair at 300 K
[1.296, 0.856, 0.635]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qdlab.constants import HBAR2_2M0
from qdlab.electronic.kp.lead_salt_parameters import (  # noqa: F401  (public here too)
    LEAD_SALT_PARAMETERS,
    LeadSaltParameters,
    lead_salt_parameters,
)
from qdlab.electronic.sphere import coulomb as _coulomb
from qdlab.errors import QdlabInputError, check_positive

__all__ = [
    "LEAD_SALT_PARAMETERS",
    "LeadSaltLevels",
    "LeadSaltParameters",
    "angular_factor",
    "kw_determinant",
    "lead_salt_levels",
    "lead_salt_parameters",
    "sphere_states",
]


def angular_factor(kappa: int) -> float:
    r"""Spin-angular factor :math:`C_\kappa = \sum_{mm'}|\langle\kappa m|\sigma_z|\kappa m'\rangle|^2`.

    :math:`(j+1)(2j+1)/(3j)` for :math:`\kappa<0` (:math:`j = l+1/2`), and
    :math:`j(2j+1)/(3(j+1))` for :math:`\kappa>0` (:math:`j = l-1/2`), from the
    projection :math:`\sigma \to (g/1)\,\mathbf J` inside a :math:`(l, j)` multiplet.

    References
    ----------
    .. [1] I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997). Bibliography ``kang1997``.

    Examples
    --------
    >>> angular_factor(-1)
    2.0
    """
    j = abs(kappa) - 0.5
    if kappa < 0:
        return (j + 1) * (2 * j + 1) / (3 * j)
    return j * (2 * j + 1) / (3 * (j + 1))


def _g_factor(kappa):
    """Projection factor g of sigma onto J inside the multiplet of Dirac index kappa."""
    j = abs(kappa) - 0.5
    return 1.0 / j if kappa < 0 else -1.0 / (j + 1.0)


def _g_ratio(kappa):
    """g_{-kappa} / g_{kappa}: weight of the minor-minor term in the overlap."""
    return _g_factor(-kappa) / _g_factor(kappa)


def _ls(kappa):
    """(l, l') of the upper and lower components of Dirac index kappa."""
    return (-kappa - 1, -kappa) if kappa < 0 else (kappa, kappa - 1)


def _roots_k2(E, h, a, b, g2):
    """Propagating (x1 > 0) and evanescent (x2 < 0) roots k^2 of the bulk dispersion."""
    B = a * (E + h) - b * (E - h) + g2
    c = E * E - h * h
    sq = np.sqrt(B * B + 4 * a * b * c)
    x1 = np.where(B > 0, 2 * c / np.where(B + sq == 0, 1.0, B + sq),
                  (-B + sq) / (2 * a * b))
    x2 = -(B + sq) / (2 * a * b)
    return x1, x2


def _i_ratio(n, m, x, y):
    """i_n(x)/i_m(y) for x, y >= 0 without overflow (modified spherical Bessel)."""
    from scipy import special  # lazy: only the lead-salt solves need it

    x = np.maximum(x, 1e-12)
    y = np.maximum(y, 1e-12)
    return (np.sqrt(y / x) * special.ive(n + 0.5, x) / special.ive(m + 0.5, y)
            * np.exp(x - y))


def _branch(k, h, a, b, g2, sign):
    """Bulk band energy (eV, from mid-gap) at wavenumber k; sign +1 conduction, -1 valence."""
    k2 = k * k
    return 0.5 * (a - b) * k2 + sign * np.sqrt((h + 0.5 * (a + b) * k2) ** 2 + g2 * k2)


def kw_determinant(E, R, kappa, eg, ep, far_c=1.0, far_v=1.0):
    r"""Boundary determinant :math:`\Delta(E)` of the infinite-barrier sphere.

    Parameters
    ----------
    E : array_like
        Energy from mid-gap, eV (:math:`|E| > E_g/2`).
    R : array_like
        Radius, nm.
    kappa : int
        Dirac index (:math:`-1`: 1S(1/2) electron; its hole partner is :math:`+1`).
    eg, ep : float or array_like
        Gap and Kane energy, eV.
    far_c, far_v : float
        Far-band masses, m0.

    Returns
    -------
    ndarray
        :math:`\Delta` (see module notes); its zeros are the levels.

    See Also
    --------
    sphere_states : its roots for many radii.

    References
    ----------
    .. [1] I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997). Bibliography ``kang1997``.

    Examples
    --------
    With :math:`E_P = 0` the zeros are those of :math:`j_0(kR)`:

    >>> from qdlab.constants import HBAR2_2M0
    >>> h = 0.2
    >>> E = h + HBAR2_2M0 * (np.pi / 2.0) ** 2
    >>> abs(float(kw_determinant(E, 2.0, -1, 2 * h, 0.0))) < 1e-12
    True
    """
    from scipy import special  # lazy: only the lead-salt solves need it

    E = np.asarray(E, dtype=float)
    h = 0.5 * np.asarray(eg, dtype=float)
    a = HBAR2_2M0 / far_c
    b = HBAR2_2M0 / far_v
    g2 = HBAR2_2M0 * np.asarray(ep, dtype=float)
    x1, x2 = _roots_k2(E, h, a, b, g2)
    k = np.sqrt(np.maximum(x1, 0.0))
    q = np.sqrt(np.maximum(-x2, 0.0))
    l, lp = _ls(kappa)
    s = -1.0 if kappa < 0 else 1.0
    d1 = E + h + b * x1
    d2 = E + h + b * x2
    R = np.asarray(R, dtype=float)
    return (special.spherical_jn(l, k * R) * q * _i_ratio(lp, l, q * R, q * R) * d1
            - s * k * special.spherical_jn(lp, k * R) * d2)


def sphere_states(radii_nm, kappa, eg, ep, far_c=1.0, far_v=1.0, *, band="c",
                  n_states=2, n_grid=None, n_bisect=56):
    """Lowest confined levels of one (kappa, band) channel for many radii (vectorised).

    Parameters
    ----------
    radii_nm : array_like, shape (N,)
        Sphere radii, nm (> 0).
    kappa : int
        Dirac index of the state (electrons: of the state; holes: of the state, whose
        major component is the lower one, e.g. +1 for 1S(h)).
    eg : float or array_like, shape (N,)
        Band gap, eV.
    ep : float
        Kane energy, eV (>= 0).
    far_c, far_v : float
        Far-band masses, m0.
    band : {"c", "v"}
        Conduction (E > Eg/2) or valence (E < -Eg/2) branch.
    n_states : int
        Number of radial states.
    n_grid : int, optional
        Scan points in k (default 40 per expected root spacing).
    n_bisect : int
        Bisection steps (56: k to ~1e-16 relative).

    Returns
    -------
    E, k : ndarray, shape (N, n_states)
        Energies from mid-gap (eV; NaN if not found on the scan) and the propagating
        wavenumber (1/nm).

    See Also
    --------
    kw_determinant : the boundary determinant.

    Notes
    -----
    The propagating wavenumber is scanned on a uniform grid up to
    :math:`(n + l + 3)\\pi/R`, the band energy :math:`E(k)` is evaluated on the chosen
    branch, sign changes of :math:`\\Delta` bracket the roots, and all brackets of all
    radii are refined together by bisection (no Python loop over radii).

    References
    ----------
    .. [1] I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997). Bibliography ``kang1997``.
    """
    R = np.atleast_1d(np.asarray(radii_nm, dtype=float))
    check_positive(R, "radius", "nm")
    if ep < 0:
        raise QdlabInputError(f"ep must be >= 0 eV, got {ep}")
    if band not in ("c", "v"):
        raise QdlabInputError(f"band must be 'c' or 'v', got {band!r}")
    if int(n_states) != n_states or n_states < 1:
        raise QdlabInputError(f"n_states must be an integer >= 1, got {n_states}")
    if int(kappa) != kappa or kappa == 0:
        raise QdlabInputError(f"kappa must be a non-zero integer, got {kappa}")
    check_positive(far_c, "far_c", "m0")
    check_positive(far_v, "far_v", "m0")
    eg = np.broadcast_to(np.asarray(eg, dtype=float), R.shape)
    h = 0.5 * eg
    a, b, g2 = HBAR2_2M0 / far_c, HBAR2_2M0 / far_v, HBAR2_2M0 * ep
    sign = 1.0 if band == "c" else -1.0
    l, lp = _ls(kappa)
    lmaj = l if band == "c" else lp
    kmax = (n_states + lmaj + 3) * np.pi / R
    if n_grid is None:      # ~40 points per root spacing pi/R: Delta is smooth (no poles)
        n_grid = 40 * (n_states + lmaj + 3)
    t = np.linspace(1e-4, 1.0, int(n_grid))
    K = kmax[:, None] * t[None, :]                      # (N, G)
    Eg_ = _branch(K, h[:, None], a, b, g2, sign)
    D = kw_determinant(Eg_, R[:, None], kappa, eg[:, None], ep, far_c, far_v)
    ch = np.signbit(D[:, :-1]) != np.signbit(D[:, 1:])
    n = R.size
    kout = np.full((n, n_states), np.nan)
    idx = np.cumsum(ch, axis=1) * ch                    # 1-based root index at sign change
    lo = np.full((n, n_states), np.nan)
    hi = np.full((n, n_states), np.nan)
    for s_ in range(n_states):  # loop over states, not structures
        sel = idx == s_ + 1
        has = sel.any(axis=1)
        j = np.argmax(sel, axis=1)
        lo[:, s_] = np.where(has, K[np.arange(n), j], np.nan)
        hi[:, s_] = np.where(has, K[np.arange(n), np.minimum(j + 1, K.shape[1] - 1)], np.nan)
    ok = np.isfinite(lo)
    lo_, hi_ = np.where(ok, lo, 1.0), np.where(ok, hi, 1.0)
    Rb = np.broadcast_to(R[:, None], lo.shape)
    egb = np.broadcast_to(eg[:, None], lo.shape)

    def f(kk):
        return kw_determinant(_branch(kk, 0.5 * egb, a, b, g2, sign), Rb, kappa, egb, ep,
                              far_c, far_v)

    flo = f(lo_)
    for _ in range(n_bisect):
        mid = 0.5 * (lo_ + hi_)
        fm = f(mid)
        same = np.signbit(fm) == np.signbit(flo)
        lo_ = np.where(same, mid, lo_)
        flo = np.where(same, fm, flo)
        hi_ = np.where(same, hi_, mid)
    kout = np.where(ok, 0.5 * (lo_ + hi_), np.nan)
    E = _branch(kout, 0.5 * egb, a, b, g2, sign)
    return E, kout


def _radial(r, R, E, k, kappa, eg, ep, far_c, far_v):
    """Normalised (g, f) on grid r, shapes (..., M); zero outside R."""
    from scipy import special  # lazy: only the lead-salt solves need it

    h = 0.5 * eg
    a, b, g2 = HBAR2_2M0 / far_c, HBAR2_2M0 / far_v, HBAR2_2M0 * ep
    _, x2 = _roots_k2(E, h, a, b, g2)
    q = np.sqrt(-x2)
    gam = math.sqrt(g2)
    l, lp = _ls(kappa)
    s = -1.0 if kappa < 0 else 1.0
    E_, k_, q_, R_ = (np.asarray(v)[..., None] for v in (E, k, q, R))
    h_ = np.asarray(h)[..., None]
    d1 = E_ + h_ + b * k_**2
    d2 = E_ + h_ - b * q_**2
    jR = special.spherical_jn(l, k_ * R_)
    g = special.spherical_jn(l, k_ * r) - jR * _i_ratio(l, l, q_ * r, q_ * R_)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = (s * gam * k_ * special.spherical_jn(lp, k_ * r) / d1
             - jR * gam * q_ * _i_ratio(lp, l, q_ * r, q_ * R_) / d2)
    f = np.nan_to_num(f)
    inside = r <= R_
    g, f = np.where(inside, g, 0.0), np.where(inside, f, 0.0)
    w = _trap(r) * r**2
    norm = np.sqrt(np.sum((g * g + f * f) * w, axis=-1, keepdims=True))
    return g / norm, f / norm


def _trap(r):
    w = np.zeros_like(r)
    d = np.diff(r, axis=-1)
    w[..., :-1] += d / 2
    w[..., 1:] += d / 2
    return w


@dataclass(frozen=True)
class LeadSaltLevels:
    """Transitions of lead-salt spheres (arrays over radii, then transitions).

    Attributes
    ----------
    radii_nm : ndarray, shape (N,)
    energy_eV, oscillator_strength, overlap, coulomb_eV : ndarray, shape (N, K)
        Pair energy (eV), absorption oscillator strength (4 valleys, all spins),
        envelope factor K (see module notes), Coulomb correction (eV).
    electron_eV, hole_eV : ndarray, shape (N, K)
        Confinement energies above / below the band edges, eV.
    kappa, n_e, n_h, degeneracy : ndarray of int, shape (N, K)
    """

    radii_nm: np.ndarray
    energy_eV: np.ndarray
    oscillator_strength: np.ndarray
    overlap: np.ndarray
    coulomb_eV: np.ndarray
    electron_eV: np.ndarray
    hole_eV: np.ndarray
    kappa: np.ndarray
    n_e: np.ndarray
    n_h: np.ndarray
    degeneracy: np.ndarray


#: electron Dirac indices kept: 1S1/2, 1P1/2, 1P3/2, 1D3/2, 1D5/2
_KAPPAS = (-1, 1, -2, 2, -3)


def lead_salt_levels(material, radii_nm, temperature: float = 300.0, *, n_radial: int = 2,
                     kappas=_KAPPAS, coulomb: bool = True, eps: float | None = None,
                     eps_medium: float = 2.25, parameters: LeadSaltParameters | None = None,
                     n_grid_r: int = 801):
    r"""Optical transitions of lead-salt spheres in the Kang-Wise model.

    Parameters
    ----------
    material : str or Material
        ``"PbS"``, ``"PbSe"`` or ``"PbTe"``.
    radii_nm : array_like, shape (N,)
        Radii, nm (> 0).
    temperature : float
        K; sets :math:`E_g(T)` from the material record (the lead-salt gap grows with T).
    n_radial : int
        Radial states per channel (electron and hole).
    kappas : sequence of int
        Electron Dirac indices (the hole partner has :math:`-\kappa`).
    coulomb : bool
        Include the first-order Coulomb terms: electron-hole attraction and the
        dielectric self-polarisation of both carriers (Brus 1984,
        :func:`qdlab.electronic.sphere.coulomb.exciton_coulomb_terms`).
    eps : float, optional
        Permittivity of the dot (default the record's ``eps_inf``).
    eps_medium : float
        Permittivity of the surroundings (default 2.25, organic ligands/solvent).
    parameters : LeadSaltParameters, optional
        Override :data:`LEAD_SALT_PARAMETERS`.

    Returns
    -------
    LeadSaltLevels
        Sorted by energy along the last axis.

    Notes
    -----
    :math:`E = E_g + \epsilon_e + \epsilon_h - J + \Sigma_e + \Sigma_h`,
    :math:`f = 4C_\kappa(E_P/E)K^2`, with the Coulomb terms evaluated with the total
    densities :math:`\rho = g^2 + f^2`.

    References
    ----------
    I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997). Bibliography ``kang1997``.

    Examples
    --------
    >>> lv = lead_salt_levels("PbSe", [2.0])
    >>> round(float(lv.oscillator_strength[0, 0]), 1), int(lv.degeneracy[0, 0])
    (23.2, 16)
    """
    from qdlab.structures.spheres import resolve_material

    mat = resolve_material(material)
    p = parameters if parameters is not None else lead_salt_parameters(mat)
    R = np.atleast_1d(np.asarray(radii_nm, dtype=float))
    check_positive(R, "radius", "nm")
    check_positive(temperature, "temperature", "K")
    eg = float(mat.band_gap(temperature))
    e_scr = float(mat.eps_inf if eps is None else eps)
    check_positive(eps_medium, "eps_medium")
    n = R.size
    r = np.linspace(0.0, float(R.max()), n_grid_r)
    r[0] = 1e-7 * float(R.max())
    w = _trap(r) * r**2
    rows = {k: [] for k in ("E", "f", "K", "J", "ee", "eh", "kap", "ne", "nh", "g")}
    for kap in kappas:
        Ee, ke = sphere_states(R, kap, eg, p.kane_energy_eV, p.far_mass_c, p.far_mass_v,
                               band="c", n_states=n_radial)
        Eh, kh = sphere_states(R, -kap, eg, p.kane_energy_eV, p.far_mass_c, p.far_mass_v,
                               band="v", n_states=n_radial)
        ge, fe = _radial(r, R[:, None], np.nan_to_num(Ee, nan=eg), np.nan_to_num(ke, nan=1.0),
                         kap, eg, p.kane_energy_eV, p.far_mass_c, p.far_mass_v)
        gh, fh = _radial(r, R[:, None], np.nan_to_num(Eh, nan=-eg), np.nan_to_num(kh, nan=1.0),
                         -kap, eg, p.kane_energy_eV, p.far_mass_c, p.far_mass_v)
        i1 = np.einsum("nim,njm,m->nij", ge, fh, w)      # electron upper x hole lower
        i2 = np.einsum("nim,njm,m->nij", fe, gh, w)      # electron lower x hole upper
        ov = np.abs(i1 - _g_ratio(kap) * i2)
        found = np.isfinite(Ee)[:, :, None] & np.isfinite(Eh)[:, None, :]
        J = np.zeros(ov.shape)
        if coulomb and found.any():
            pe = np.broadcast_to((ge**2 + fe**2)[:, :, None, :], found.shape + r.shape)[found]
            ph = np.broadcast_to((gh**2 + fh**2)[:, None, :, :], found.shape + r.shape)[found]
            rb = np.broadcast_to(R[:, None, None, None], found.shape + (1,))[found]
            terms = _coulomb.exciton_coulomb_terms(r, pe, ph, rb, np.full(rb.shape, e_scr),
                                                   eps_medium)
            J[found] = -np.asarray(terms.total_eV)
        ce = Ee - 0.5 * eg
        ch = -Eh - 0.5 * eg
        E = eg + ce[:, :, None] + ch[:, None, :] - J
        j = abs(kap) - 0.5
        with np.errstate(invalid="ignore", divide="ignore"):
            f = 4.0 * angular_factor(kap) * p.kane_energy_eV / E * ov**2
        ii, jj = np.meshgrid(np.arange(n_radial), np.arange(n_radial), indexing="ij")
        rows["E"].append(E.reshape(n, -1))
        rows["f"].append(np.nan_to_num(f).reshape(n, -1))
        rows["K"].append(ov.reshape(n, -1))
        rows["J"].append(J.reshape(n, -1))
        rows["ee"].append(np.broadcast_to(ce[:, :, None], E.shape).reshape(n, -1))
        rows["eh"].append(np.broadcast_to(ch[:, None, :], E.shape).reshape(n, -1))
        rows["kap"].append(np.full((n, ii.size), kap))
        rows["ne"].append(np.broadcast_to(ii.ravel() + 1, (n, ii.size)))
        rows["nh"].append(np.broadcast_to(jj.ravel() + 1, (n, ii.size)))
        rows["g"].append(np.full((n, ii.size), int(4 * (2 * j + 1) ** 2)))
    allc = {k: np.concatenate(v, axis=1) for k, v in rows.items()}
    e = np.where(np.isfinite(allc["E"]), allc["E"], np.inf)
    if not np.all(np.isfinite(e[:, 0]) | np.isfinite(e).any(axis=1)):
        raise QdlabInputError("no confined lead-salt level found for some radius")
    order = np.argsort(e, axis=1, kind="stable")
    t = {k: np.take_along_axis(np.asarray(v), order, axis=1) for k, v in allc.items()}
    return LeadSaltLevels(R, np.take_along_axis(e, order, axis=1), t["f"], t["K"], t["J"],
                          t["ee"], t["eh"], t["kap"].astype(int), t["ne"].astype(int),
                          t["nh"].astype(int), t["g"].astype(int))
