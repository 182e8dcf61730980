r"""Electron-hole Coulomb and dielectric (image-charge) energies of layered spheres.

First-order (perturbative) Coulomb terms of an exciton in a spherically layered
nanocrystal, evaluated with the *actual* radial densities of the electron and
the hole (for example from the exact radial solver), vectorised over many
structures and states.

All functions take radial densities sampled on a radial grid ``r_nm``

* ``r_nm``: shape ``(M,)`` (one grid shared by all structures) or ``(..., M)``,
  increasing, starting at (or near) 0 and usually extending beyond the outer
  radius into the medium;
* ``rho``: radial probability densities :math:`P(r) = R(r)^2`, shape ``(..., M)``,
  normalised as :math:`\int_0^\infty P(r)\, r^2\, dr = 1` (renormalised here on
  the grid; a norm off by more than 5 % is an error);
* ``radii_nm``: outer radii of the layers, shape ``(..., L)``, increasing;
  ``eps_layers``: their relative permittivities, shape ``(..., L)``;
  ``eps_medium``: permittivity of the surroundings, scalar or shape ``(...)``.

Leading dimensions broadcast against each other (structures, states, ...).
Energies are in eV, lengths in nm.

Model
-----
*Direct Coulomb energy.*  For spherically symmetric charge densities (s states)
only the monopole of the interaction survives the angular average, and Gauss's
law in a radially layered dielectric gives the potential exactly.  The electron
charge enclosed in a sphere of radius :math:`r` is :math:`F_e(r)=\int_0^r P_e r'^2 dr'`;
its displacement field is :math:`D=eF_e/(4\pi r^2)`, so

.. math::

    J = \frac{e^2}{4\pi\varepsilon_0}\int_0^\infty P_h(r) r^2
        \int_r^\infty \frac{F_e(r')}{\varepsilon(r') r'^2}\,dr'\,dr
      = \frac{e^2}{4\pi\varepsilon_0}\int_0^\infty
        \frac{F_e(r) F_h(r)}{\varepsilon(r)\, r^2}\,dr ,

(the second form after one integration by parts; it is symmetric in e and h and
costs O(M) per structure).  It *includes* the mutual image (polarisation)
interaction of the pair caused by the dielectric mismatch: for a homogeneous
sphere of radius :math:`R` and permittivity :math:`\varepsilon_1` in a medium
:math:`\varepsilon_2` with both carriers inside,

.. math::

    J = \frac{e^2}{4\pi\varepsilon_0\varepsilon_1}\Big\langle \frac{1}{r_>}\Big\rangle
      + \frac{e^2}{4\pi\varepsilon_0}\frac{1}{\varepsilon_1 R}
        \Big(\frac{\varepsilon_1}{\varepsilon_2}-1\Big),

whose second term is the :math:`l=0` (the only surviving) part of Brus's mutual
polarisation energy [1]_.  :math:`J>0` is the binding energy (the exciton energy
is lowered by :math:`J`).  For states with :math:`l>0` this :math:`J` is the
spherical average (monopole part) of the interaction; the higher multipoles of
:math:`P_e P_h` are neglected (exact for s states).

*Self-polarisation.*  A charge near a dielectric interface interacts with its
own image.  With the Green's function :math:`G` of Poisson's equation in the
layered sphere, the self energy is
:math:`\Sigma(r) = \tfrac{e^2}{2}\,[G(r,r) - G_{\rm hom}(r,r)]`, with
:math:`G_{\rm hom}` that of the homogeneous medium of the layer containing
:math:`r`.  Expanding in multipoles, each :math:`l` has, in layer :math:`j`
(:math:`\varepsilon_j`, between :math:`R_{j-1}` and :math:`R_j`), a regular
solution :math:`(r/R_{j-1})^l + \tilde\beta_l (R_{j-1}/r)^{l+1}` and a decaying one
:math:`\tilde\gamma_l (r/R_j)^l + (R_j/r)^{l+1}`, the reflection coefficients
following from continuity of :math:`\phi` and :math:`\varepsilon\,\partial_r\phi`
at every interface (a two-term recursion of logarithmic derivatives, stable for
any :math:`l`).  Then

.. math::

    \Sigma(r) = \frac{e^2}{8\pi\varepsilon_0\varepsilon_j r}\sum_{l=0}^\infty
      \frac{\tilde\gamma_l (r/R_j)^{2l+1} + \tilde\beta_l (R_{j-1}/r)^{2l+1}
            + 2\tilde\beta_l\tilde\gamma_l (R_{j-1}/R_j)^{2l+1}}
           {1 - \tilde\beta_l\tilde\gamma_l (R_{j-1}/R_j)^{2l+1}} .

For a single sphere this is Brus's series [1]_ [2]_
:math:`\Sigma(r)=\frac{e^2}{8\pi\varepsilon_0\varepsilon_1 R}\sum_l
\frac{(\varepsilon_1-\varepsilon_2)(l+1)}{\varepsilon_1 l+\varepsilon_2(l+1)}(r/R)^{2l}`.
The series converges slowly near an interface (:math:`\Sigma \sim 1/|r-R|`).  The
large-:math:`l` behaviour of the coefficients is that of the nearest interface,
:math:`\Delta\,[1 + p/(l+1) + q/(l+1)^2 + O(l^{-3})]` with
:math:`\Delta=(\varepsilon_j-\varepsilon_{j\pm1})/(\varepsilon_j+\varepsilon_{j\pm1})`;
these three terms are summed in closed form
(:math:`\sum y^l = 1/(1-y)`, :math:`\sum y^l/(l+1) = -\ln(1-y)/y`,
:math:`\sum y^l/(l+1)^2 = \mathrm{Li}_2(y)/y`) and only the remainder,
:math:`O(l^{-3})` plus the geometrically decaying reflections of the farther
interfaces, is summed explicitly (``l_max`` terms, chosen from the thinnest shell).
The closed-form part reproduces the planar image potential
:math:`\Sigma \to \frac{e^2}{4\pi\varepsilon_0}\frac{\Delta}{4\varepsilon_j d}` at a distance
:math:`d` from the interface.

*Regularisation.*  With finite barriers the density at an interface is not
zero and :math:`\int P\,\Sigma\,r^2dr` diverges logarithmically for a sharp
(step) dielectric interface.  A real interface is graded over about one atomic
monolayer; for such graded profiles the image potential is finite and
continuous through the interface, changing sign from the high- to the
low-permittivity side [3]_ [4]_.  qdlab mimics this with a cut-off: within
a half-width ``interface_width_nm`` :math:`d_c` of an interface, :math:`\Sigma` is
replaced by the straight line joining its step-interface values at
:math:`R-d_c` and :math:`R+d_c` (the cut-off distance idea of [5]_, made
continuous).  The default :math:`d_c = 0.15` nm smears the step over 0.3 nm,
about one monolayer of a II-VI crystal (CdSe zinc blende, :math:`a=0.608` nm:
(111) monolayer :math:`a/\sqrt3 = 0.35` nm).  ``d_c`` is reduced to half the
thickness of a thinner neighbouring layer.  The result depends on this model
in proportion to the density at the interface.  For a 4 nm CdSe dot in ligands
(:math:`\varepsilon_\infty=6.2` in 2.25, 4 eV barriers, free-electron mass outside)
the BenDaniel-Duke 1S electron keeps ~70 % of its peak :math:`r^2P` at the surface,
and :math:`\langle\Sigma_e\rangle` = 136.8, 133.8, 130.2, 123.0 meV for
:math:`d_c` = 0.1, 0.15, 0.2, 0.3 nm (hole, :math:`m=0.45`: 130.3, 128.9, 127.3,
124.0 meV): about 3 % for a width of 0.1-0.2 nm, 10 % for 0.1-0.3 nm, i.e.
10-20 meV on the exciton energy (``tests/test_coulomb.py``).  With infinite
barriers the integral converges for :math:`d_c\to0` and ``interface_width_nm=0``
gives the sharp-interface result.

Limitations
-----------
First-order perturbation theory in the uncorrelated single-particle densities
(strong confinement; the correlation energy, e.g. Kayanuma's
:math:`-0.248\,E_{\rm Ry}^*`, is not included); monopole :math:`J` only; local,
frequency-independent permittivities (choose static or high-frequency values
upstream).

References
----------
.. [1] L. E. Brus, "Electron-electron and electron-hole interactions in small
   semiconductor crystallites", J. Chem. Phys. 80, 4403 (1984).
.. [2] Y. Kayanuma, "Quantum-size effects of interacting electrons and holes in
   semiconductor microcrystals with spherical shape", Phys. Rev. B 38, 9797 (1988).
.. [3] P. G. Bolcatto and C. R. Proetto, "Partially confined excitons in
   semiconductor nanocrystals with a finite size dielectric interface",
   J. Phys.: Condens. Matter 13, 319 (2001).
.. [4] S. Deng, "A robust numerical method for self-polarization energy of spherical
   quantum dots with finite confinement barriers", Comput. Phys. Commun. 181, 787 (2010).
.. [5] L. Banyai, P. Gilliot, Y. Z. Hu and S. W. Koch, "Surface-polarization
   instabilities of electron-hole pairs in semiconductor quantum dots",
   Phys. Rev. B 45, 14136 (1992).

Examples
--------
Hard-wall sphere, 1S electron and hole (:math:`R=j_0(\pi r/R)`): the Coulomb
energy is :math:`1.786\,e^2/(4\pi\varepsilon_0\varepsilon R)` [1]_ [2]_.

>>> import numpy as np
>>> from qdlab.constants import COULOMB_EV_NM
>>> R, eps = 2.0, 10.0
>>> r = np.linspace(0.0, R, 2001)
>>> P = 2 * np.pi**2 / R**3 * np.sinc(r / R) ** 2     # R(r)^2 = (2/R) sin^2(pi r/R)/r^2
>>> J = coulomb_energy(r, P, P, [R], [eps], eps)
>>> round(float(J) * eps * R / COULOMB_EV_NM, 5)
1.78607
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qdlab.constants import COULOMB_EV_NM
from qdlab.electronic.sphere._densities import (
    _check_norm,
    _density,
    _enclosed,
    _flat,
    _grid,
    _layers,
    _segment_sums,
    _trapz,
    _weights,
)
from qdlab.electronic.sphere.self_polarisation import (
    DEFAULT_INTERFACE_WIDTH_NM,
    self_polarisation_energy,
    self_polarisation_potential,
)
from qdlab.errors import QdlabInputError

__all__ = [
    "DEFAULT_INTERFACE_WIDTH_NM",
    "CoulombTerms",
    "coulomb_energy",
    "dielectric_profile",
    "exciton_coulomb_terms",
    "overlap_integral",
    "self_polarisation_energy",
    "self_polarisation_potential",
]


#: Structures per block in coulomb_energy (arrays stay in cache).
_CBLOCK = 512


# ------------------------------------------------------------------------- public

def dielectric_profile(r_nm, radii_nm, eps_layers, eps_medium) -> np.ndarray:
    r"""Piecewise-constant relative permittivity :math:`\varepsilon(r)` on a radial grid.

    Parameters
    ----------
    r_nm : array_like, shape (M,) or (..., M)
        Radii in nm.
    radii_nm : array_like, shape (..., L)
        Outer radius of each layer in nm, increasing.
    eps_layers : array_like, shape (..., L)
        Relative permittivity of each layer (> 0).
    eps_medium : float or array_like, shape (...)
        Relative permittivity of the surrounding medium (> 0).

    Returns
    -------
    numpy.ndarray, shape (..., M)
        Dimensionless :math:`\varepsilon(r)`.

    Notes
    -----
    :math:`\varepsilon(r)=\varepsilon_j` for :math:`R_{j-1} < r \le R_j`
    (:math:`R_0=0`), and :math:`\varepsilon_{\rm medium}` for :math:`r > R_L`; a
    point exactly on an interface belongs to the inner layer.

    References
    ----------
    .. [1] Brus, J. Chem. Phys. 80, 4403-4409 (1984); bibliography ``brus1984``.
    .. [2] Bolcatto & Proetto, J. Phys.: Condens. Matter 13, 319 (2001); bibliography
       ``bolcatto2001``.

    Examples
    --------
    >>> dielectric_profile([0.0, 1.0, 1.5, 2.5, 4.0], [1.0, 2.0], [10.0, 8.0], 2.0)
    array([10., 10.,  8.,  2.,  2.])
    """
    r = _grid(r_nm)
    radii, eps, eps_m = _layers(radii_nm, eps_layers, eps_medium)
    lead = np.broadcast_shapes(r.shape[:-1], radii.shape[:-1], eps.shape[:-1], eps_m.shape)
    out = np.broadcast_to(eps_m[..., None], lead + (r.shape[-1],)).copy()
    for j in range(radii.shape[-1] - 1, -1, -1):
        inside = r <= radii[..., j, None]
        out = np.where(inside, eps[..., j, None], out)
    return out


def coulomb_energy(r_nm, rho_e, rho_h, radii_nm, eps_layers, eps_medium) -> np.ndarray:
    r"""Electron-hole Coulomb binding energy :math:`J` of spherical densities, in eV.

    Exact for spherically symmetric densities in a radially layered dielectric,
    including the mutual image (polarisation) interaction of the pair.

    Parameters
    ----------
    r_nm : array_like, shape (M,) or (..., M)
        Radial grid in nm, increasing, from 0 to (usually) beyond the outer radius.
    rho_e, rho_h : array_like, shape (..., M)
        Radial probability densities :math:`P=R^2` in nm^-3 of electron and hole,
        :math:`\int P r^2 dr = 1` (renormalised on the grid; a norm off by more
        than 5 % raises :class:`~qdlab.errors.QdlabInputError`).  Density
        beyond the end of the grid is taken as zero.
    radii_nm : array_like, shape (..., L)
        Outer radii of the layers in nm, increasing.
    eps_layers : array_like, shape (..., L)
        Relative permittivities of the layers.
    eps_medium : float or array_like, shape (...)
        Relative permittivity of the medium.

    Returns
    -------
    numpy.ndarray, shape (...)
        :math:`J > 0` in eV (the exciton energy contains :math:`-J`).

    See Also
    --------
    exciton_coulomb_terms : with the image (self-polarisation) terms.
    qdlab.electronic.grid.coulomb_energy_eV : uniform-dielectric term on a 3D grid.

    Notes
    -----
    .. math::

        J = \frac{e^2}{4\pi\varepsilon_0}\int_0^\infty
            \frac{F_e(r) F_h(r)}{\varepsilon(r) r^2}\,dr,\qquad
        F(r) = \int_0^r P(r') r'^2 dr' ,

    integrated with the trapezoid rule on the grid (second order), the
    discontinuities of :math:`\varepsilon` being placed exactly at the layer radii,
    and the part beyond the grid, where :math:`F_eF_h = F_e(r_{\max})F_h(r_{\max})`,
    in closed form.  For a homogeneous permittivity it reduces to
    :math:`\frac{e^2}{4\pi\varepsilon_0\varepsilon}\langle 1/r_>\rangle`.  Only the
    monopole of the interaction is kept: exact for s states, the spherical
    average for :math:`l>0` states.  Cost O(M) per structure.

    References
    ----------
    L. E. Brus, J. Chem. Phys. 80, 4403 (1984); Y. Kayanuma, Phys. Rev. B 38,
    9797 (1988) (coefficient 1.786 for 1S-1S in a hard-wall sphere). Bibliography
    ``brus1984``, ``kayanuma1988``.

    Examples
    --------
    Hard-wall CdSe-like sphere of radius 2 nm in toluene:

    >>> import numpy as np
    >>> r = np.linspace(0, 2.0, 801)
    >>> P = 2 * np.pi**2 / 2.0**3 * np.sinc(r / 2.0) ** 2
    >>> round(float(coulomb_energy(r, P, P, [2.0], [6.2], 6.2)), 4)   # eps_in = eps_out
    0.2074
    >>> round(float(coulomb_energy(r, P, P, [2.0], [6.2], 2.38)), 4)  # + mutual image
    0.3938
    """
    r = _grid(r_nm)
    pe = _density(rho_e, "rho_e")
    ph = _density(rho_h, "rho_h")
    radii, eps, eps_m = _layers(radii_nm, eps_layers, eps_medium)
    if r.shape[-1] != pe.shape[-1] or r.shape[-1] != ph.shape[-1]:
        raise QdlabInputError(f"rho_e and rho_h must be sampled on r_nm ({r.shape[-1]} points), "
                              f"got {pe.shape[-1]} and {ph.shape[-1]}")
    lead = np.broadcast_shapes(r.shape[:-1], pe.shape[:-1], ph.shape[:-1], radii.shape[:-1],
                               eps.shape[:-1], eps_m.shape)
    n = math.prod(lead)
    if n <= _CBLOCK:
        return _coulomb(r, pe, ph, radii, eps, eps_m)
    # cache-sized blocks: the work is a few passes over (n, M) arrays
    args = [_flat(a, lead, t) for a, t in ((r, 1), (pe, 1), (ph, 1), (radii, 1), (eps, 1),
                                           (eps_m, 0))]
    out = np.empty(n)
    for a in range(0, n, _CBLOCK):
        sl = slice(a, a + _CBLOCK)
        out[sl] = _coulomb(*[x if x.shape[0] == 1 else x[sl] for x in args])
    return out.reshape(lead)


def _coulomb(r, pe, ph, radii, eps, eps_m):
    """coulomb_energy on validated arrays."""
    w, h = _weights(r)
    r2 = r * r
    FF, ne = _enclosed(r, pe, w * r2, h * r2, "rho_e")
    Fh, nh = _enclosed(r, ph, w * r2, h * r2, "rho_h")
    if FF.shape == np.broadcast_shapes(FF.shape, Fh.shape):
        FF *= Fh
    else:
        FF = FF * Fh
    del Fh
    M = r.shape[-1]
    inv_r2 = np.divide(1.0, r2, out=np.zeros(r.shape), where=r2 > 0)
    # grid cell [r_{i-1}, r_i] holding each layer radius (clipped to the grid)
    x = np.minimum(radii, r[..., -1:]) if r.ndim > 1 else np.minimum(radii, r[-1])
    if r.ndim == 1:
        i = np.clip(np.searchsorted(r, x, side="left"), 1, M - 1)
        r_lo, r_hi, q_lo, q_hi = r[i - 1], r[i], inv_r2[i - 1], inv_r2[i]
        h_lo = h[i - 1]
    else:
        i = np.clip(np.sum(r[..., None, :] < x[..., :, None], axis=-1), 1, M - 1)
        lead_r = np.broadcast_shapes(r.shape[:-1], x.shape[:-1])

        def at(a, k):
            return np.take_along_axis(np.broadcast_to(a, lead_r + (M,)), k, axis=-1)

        r_lo, r_hi, q_lo, q_hi, h_lo = at(r, i - 1), at(r, i), at(inv_r2, i - 1), \
            at(inv_r2, i), at(h, i - 1)
    lead = np.broadcast_shapes(FF.shape[:-1], i.shape[:-1])
    FFb = np.broadcast_to(FF, lead + (M,))
    ib = np.broadcast_to(i, lead + (i.shape[-1],))
    FF_lo = np.take_along_axis(FFb, ib - 1, axis=-1)
    FF_hi = np.take_along_axis(FFb, ib, axis=-1)
    FF_end = FF[..., -1].copy()
    # f = F_e F_h / r^2; G = int_0 f dr by the trapezoid rule
    FF *= w * inv_r2                                   # f_m w_m
    seg = np.cumsum(_segment_sums(FF, np.ascontiguousarray(ib)), axis=-1)
    G_end = seg[..., -1]
    f_lo, f_hi = FF_lo * q_lo, FF_hi * q_hi
    G_lo = seg[..., :-1] - f_lo * h_lo                 # trapezoid int_0^{r_(i-1)} f
    t = (x - r_lo) / (r_hi - r_lo)
    G_R = G_lo + 0.5 * (x - r_lo) * (2.0 * f_lo + t * (f_hi - f_lo))    # int_0^{min(R_j, rmax)}
    r0 = r[..., 0]
    ball = pe[..., 0] * ph[..., 0] * r0**5 / 45.0      # grid not starting at 0: F ~ P r^3/3
    inv_m = 1.0 / eps_m
    inv = 1.0 / eps
    inv_next = np.concatenate([inv[..., 1:], np.broadcast_to(inv_m[..., None],
                                                             inv.shape[:-1] + (1,))], axis=-1)
    J = (G_end + ball) * inv_m + np.sum((inv - inv_next) * (G_R + ball[..., None]), axis=-1)
    # beyond the grid: F_e F_h constant, int_rmax^inf dr / (eps r^2) in closed form
    rmax = r[..., -1]
    tail = inv_m / rmax + np.sum((inv - inv_next)
                                 * np.maximum(0.0, 1.0 / rmax[..., None] - 1.0 / radii), axis=-1)
    J = J + FF_end * tail
    return COULOMB_EV_NM * J / (ne * nh)


# ------------------------------------------------------------ self-polarisation


def overlap_integral(r_nm, R_e, R_h) -> np.ndarray:
    r"""Electron-hole envelope overlap :math:`\int_0^\infty R_e R_h r^2 dr` (dimensionless).

    Parameters
    ----------
    r_nm : array_like, shape (M,) or (..., M)
        Radial grid in nm.
    R_e, R_h : array_like, shape (..., M)
        Signed radial amplitudes (nm^-3/2), each normalised to
        :math:`\int R^2 r^2 dr = 1` (not renormalised here).

    Returns
    -------
    numpy.ndarray, shape (...)
        The overlap (trapezoid rule); its square scales the oscillator strength
        of the transition (same angular momentum of envelopes assumed).

    References
    ----------
    .. [1] Efros & Efros, Sov. Phys. Semicond. 16, 772-775 (1982); bibliography
       ``efros1982``.
    .. [2] Efros & Rosen, Annu. Rev. Mater. Sci. 30, 475-521 (2000); bibliography
       ``efros2000``.

    Examples
    --------
    >>> import numpy as np
    >>> r = np.linspace(0, 1.0, 2001)
    >>> R = np.sqrt(2.0) * np.pi * np.sinc(r)   # hard-wall 1S in a 1 nm sphere, normalised
    >>> round(float(overlap_integral(r, R, R)), 6)
    1.0
    """
    r = _grid(r_nm)
    a = np.asarray(R_e, dtype=float)
    b = np.asarray(R_h, dtype=float)
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise QdlabInputError("R_e and R_h must be finite")
    return _trapz(a * b * r**2, r)


@dataclass(frozen=True)
class CoulombTerms:
    """First-order Coulomb corrections of an exciton, in eV.

    Attributes
    ----------
    coulomb_eV : numpy.ndarray
        Direct e-h binding energy :math:`J > 0` (includes the mutual image term).
    polarisation_e_eV, polarisation_h_eV : numpy.ndarray
        Self-polarisation energies :math:`\\langle\\Sigma\\rangle` of electron and hole.
    total_eV : numpy.ndarray
        :math:`-J + \\Sigma_e + \\Sigma_h`, to be added to the single-particle gap.
    """

    coulomb_eV: np.ndarray
    polarisation_e_eV: np.ndarray
    polarisation_h_eV: np.ndarray
    total_eV: np.ndarray


def exciton_coulomb_terms(r_nm, rho_e, rho_h, radii_nm, eps_layers, eps_medium, l_max=None, *,
                          interface_width_nm: float = DEFAULT_INTERFACE_WIDTH_NM
                          ) -> CoulombTerms:
    r"""All first-order Coulomb terms of an electron-hole pair, in eV.

    Parameters
    ----------
    r_nm, rho_e, rho_h, radii_nm, eps_layers, eps_medium
        As in :func:`coulomb_energy`.
    l_max, interface_width_nm
        As in :func:`self_polarisation_potential`.

    Returns
    -------
    CoulombTerms
        ``coulomb_eV`` (:math:`J`), ``polarisation_e_eV``, ``polarisation_h_eV``
        and ``total_eV`` :math:`= -J + \Sigma_e + \Sigma_h`.

    See Also
    --------
    coulomb_energy : the direct term alone.
    qdlab.electronic.sphere.self_polarisation.self_polarisation_energy : the image terms alone.
    qdlab.electronic.grid.coulomb_terms_grid : the same terms for any shape.

    Notes
    -----
    :math:`E_X = E_e + E_h + E_g - J + \langle\Sigma\rangle_e + \langle\Sigma\rangle_h`
    (Brus 1984).  The self-polarisation potential is computed once per structure
    and used for both carriers.  For a homogeneous sphere with both carriers
    inside, the :math:`l=0` parts of the self energies cancel the mutual image
    term in :math:`J` exactly.

    References
    ----------
    .. [R1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984). Bibliography ``brus1984``.
    .. [R2] P. G. Bolcatto, C. R. Proetto, J. Phys.: Condens. Matter 13, 319 (2001).
       Bibliography ``bolcatto2001``.

    Examples
    --------
    >>> import numpy as np
    >>> r = np.linspace(0, 2.0, 801)
    >>> P = 2 * np.pi**2 / 2.0**3 * np.sinc(r / 2.0) ** 2
    >>> t = exciton_coulomb_terms(r, P, P, [2.0], [6.2], 6.2)
    >>> round(float(t.total_eV), 4), float(t.polarisation_e_eV)
    (-0.2074, 0.0)
    """
    r = _grid(r_nm)
    pe = _density(rho_e, "rho_e")
    ph = _density(rho_h, "rho_h")
    J = coulomb_energy(r, pe, ph, radii_nm, eps_layers, eps_medium)
    sig = self_polarisation_potential(r, radii_nm, eps_layers, eps_medium, l_max,
                                      interface_width_nm=interface_width_nm)
    out = []
    wr2 = _weights(r)[0] * r**2                 # trapezoid weights, once for the four sums
    for p, name in ((pe, "rho_e"), (ph, "rho_h")):
        pw = p * wr2
        norm = np.sum(pw, axis=-1)
        _check_norm(norm, name)
        out.append(np.sum(pw * sig, axis=-1) / norm)
    Pe, Ph = out
    return CoulombTerms(coulomb_eV=J, polarisation_e_eV=Pe, polarisation_h_eV=Ph,
                        total_eV=-J + Pe + Ph)
