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

from qdlab._validation import QdlabInputError, check_nonnegative, warn_validity
from qdlab.constants import COULOMB_EV_NM

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

#: Default half-width (nm) over which a dielectric interface is smeared for the
#: self-polarisation potential (about half a II-VI monolayer, see module notes).
DEFAULT_INTERFACE_WIDTH_NM: float = 0.15

#: Relative tolerance on the density normalisation before an error is raised.
_NORM_RTOL = 0.05
#: Target size of the neglected geometric tail of the multipole sum.
_L_TOL = 1e-7
_L_MIN, _L_CAP = 32, 600
#: Structures per block in the self-polarisation evaluation (bounds memory).
_BLOCK = 2048
#: Structures per block in coulomb_energy (arrays stay in cache).
_CBLOCK = 512


# --------------------------------------------------------------------------- input

def _grid(r_nm, min_points: int = 2) -> np.ndarray:
    r = np.asarray(r_nm, dtype=float)
    if r.ndim < 1 or r.shape[-1] < min_points:
        raise QdlabInputError(f"r_nm must be a radial grid with at least {min_points} points, "
                              f"got shape {r.shape}")
    if not np.all(np.isfinite(r)):
        raise QdlabInputError("r_nm must be finite (nm)")
    if np.any(r[..., 0] < 0):
        raise QdlabInputError(f"r_nm must start at >= 0 nm, got {float(np.min(r[..., 0])):g}")
    if np.any(np.diff(r, axis=-1) <= 0):
        raise QdlabInputError("r_nm must be strictly increasing (nm)")
    return r


def _layers(radii_nm, eps_layers, eps_medium):
    radii = np.asarray(radii_nm, dtype=float)
    eps = np.asarray(eps_layers, dtype=float)
    if radii.ndim == 0:
        radii = radii[None]
    if eps.ndim == 0:
        eps = eps[None]
    if radii.shape[-1] != eps.shape[-1]:
        raise QdlabInputError(f"radii_nm and eps_layers must have the same number of layers, "
                              f"got {radii.shape[-1]} and {eps.shape[-1]}")
    if radii.shape[-1] < 1:
        raise QdlabInputError("radii_nm must hold at least one layer radius")
    _positive(radii, "radii_nm", "nm")
    _positive(eps, "eps_layers", "")
    if np.any(np.diff(radii, axis=-1) <= 0):
        raise QdlabInputError("radii_nm must be strictly increasing from the core outwards")
    eps_m = np.asarray(eps_medium, dtype=float)
    _positive(eps_m, "eps_medium", "")
    return radii, eps, eps_m


def _positive(arr: np.ndarray, name: str, unit: str) -> None:
    ok = np.isfinite(arr) & (arr > 0)
    if not np.all(ok):
        bad = float(arr[~ok].flat[0]) if arr.ndim else float(arr)
        raise QdlabInputError(f"{name} must be > 0{(' ' + unit) if unit else ''}, got {bad:g}")


def _density(rho, name: str) -> np.ndarray:
    p = np.asarray(rho, dtype=float)
    if p.ndim < 1:
        raise QdlabInputError(f"{name} must be sampled on r_nm (shape (..., M)), got a scalar")
    if not np.all(p >= 0):                     # also catches NaN
        bad = p[~(p >= 0)].flat[0]
        raise QdlabInputError(f"{name} must be a probability density R(r)^2 >= 0 (1/nm^3), "
                              f"got {float(bad):g}")
    return p


# --------------------------------------------------------------------- integration

def _weights(r: np.ndarray):
    """Trapezoid weights w and half right-steps h: int_0^{r_m} f = cumsum(f w)_m - f_m h_m."""
    dr = np.diff(r, axis=-1)
    w = np.zeros(r.shape)
    w[..., :-1] += 0.5 * dr
    w[..., 1:] += 0.5 * dr
    h = np.zeros(r.shape)
    h[..., :-1] = 0.5 * dr
    return w, h


def _trapz(f: np.ndarray, r: np.ndarray) -> np.ndarray:
    w, _ = _weights(r)
    if r.ndim == 1:
        return f @ w
    return np.sum(f * w, axis=-1)


def _check_norm(norm: np.ndarray, name: str) -> None:
    dev = np.abs(np.asarray(norm) - 1.0)
    if not np.all(dev <= _NORM_RTOL):                  # also catches inf / NaN
        bad = float(np.ravel(norm)[int(np.argmax(np.where(np.isfinite(dev), dev, np.inf)))])
        raise QdlabInputError(f"{name} must be normalised, integral of P(r) r^2 dr = 1 on r_nm "
                              f"(within {_NORM_RTOL:g}), got {bad:g}")


def _enclosed(r, p, wr2, hr2, name):
    """Enclosed probability F(r) = int_0^r P r'^2 dr' (not normalised) and its norm F(r_max)."""
    F = p * wr2
    np.cumsum(F, axis=-1, out=F)
    F -= p * hr2
    r0 = r[..., :1]
    if np.any(r0 > 0):                      # grid starting at r0 > 0: ball with P ~ P(r0)
        F += p[..., :1] * r0**3 / 3.0
    norm = F[..., -1].copy()
    _check_norm(norm, name)
    return F, norm


def _segment_sums(a: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Sums of a[..., :idx_0], a[..., idx_0:idx_1], ..., a[..., idx_{K-1}:] in one pass.

    ``a`` (..., M) contiguous, ``idx`` (..., K) non-decreasing in [1, M-1] with the same
    leading shape; returns (..., K+1).
    """
    M = a.shape[-1]
    K = idx.shape[-1]
    flat = a.reshape(-1, M)
    ix = idx.reshape(-1, K)
    starts = np.concatenate([np.zeros((ix.shape[0], 1), dtype=np.intp), ix], axis=1)
    seg = np.add.reduceat(flat.ravel(), (starts + (np.arange(ix.shape[0]) * M)[:, None]).ravel())
    seg = seg.reshape(ix.shape[0], K + 1)
    empty = np.concatenate([starts[:, 1:] == starts[:, :-1], np.zeros((ix.shape[0], 1), bool)],
                           axis=1)
    seg[empty] = 0.0                          # reduceat returns a[i] for an empty segment
    return seg.reshape(idx.shape[:-1] + (K + 1,))


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
        than 5 % raises :class:`~qdlab._validation.QdlabInputError`).  Density
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
    9797 (1988) (coefficient 1.786 for 1S-1S in a hard-wall sphere).

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


def _flat(a: np.ndarray, lead: tuple, ntail: int) -> np.ndarray:
    """View of ``a`` as (n, *tail) (or (1, *tail) when it does not vary over ``lead``)."""
    tail = a.shape[a.ndim - ntail:] if ntail else ()
    alead = a.shape[:a.ndim - ntail]
    if all(d == 1 for d in alead):
        return a.reshape((1,) + tail)
    return np.broadcast_to(a, lead + tail).reshape((-1,) + tail)


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

def _auto_l_max(radii: np.ndarray) -> np.ndarray:
    """Multipole order per structure so that the shell reflections decay below _L_TOL."""
    if radii.shape[-1] < 2:
        return np.full(radii.shape[:-1], _L_MIN, dtype=int)
    ratio = np.max(radii[..., :-1] / radii[..., 1:], axis=-1)
    need = np.ceil(math.log(_L_TOL) / (2.0 * np.log(ratio)))
    return np.clip(need, _L_MIN, _L_CAP).astype(int)


def _coefficients(radii: np.ndarray, eps_all: np.ndarray, l_max: np.ndarray):
    """Reflection coefficients per layer and multipole.

    radii (n, L); eps_all (n, L+1) with the medium last; l_max (n,).
    Returns A, B (remainders after the asymptotic subtraction), C sums, and the
    asymptotic constants, all per layer (n, L+1[, K]).
    """
    n, L = radii.shape
    K = int(l_max.max()) + 1
    l = np.arange(K, dtype=float)[None, :]
    two_l1 = 2.0 * l + 1.0
    rho = np.zeros((n, L + 1, K))
    for j in range(1, L):
        rho[:, j] = np.exp(two_l1 * np.log(radii[:, j - 1] / radii[:, j])[:, None])
    beta = np.zeros((n, L + 1, K))
    gamma = np.zeros((n, L + 1, K))
    y = np.broadcast_to(l, (n, K)).copy()          # log-derivative of the regular solution
    for j in range(L):
        yp = (eps_all[:, j] / eps_all[:, j + 1])[:, None] * y
        bt = (l - yp) / (l + 1.0 + yp)
        beta[:, j + 1] = bt
        if j + 1 < L:
            t = bt * rho[:, j + 1]
            y = (l - (l + 1.0) * t) / (1.0 + t)
    z = np.broadcast_to(-(l + 1.0), (n, K)).copy()  # log-derivative of the decaying one
    for j in range(L - 1, -1, -1):
        zi = (eps_all[:, j + 1] / eps_all[:, j])[:, None] * z
        gt = (l + 1.0 + zi) / (l - zi)
        gamma[:, j] = gt
        if j > 0:
            q = gt * rho[:, j]
            z = (l * q - (l + 1.0)) / (q + 1.0)
    cross = beta * gamma * rho
    D = 1.0 - cross
    A = gamma / D
    B = beta / D
    C = 2.0 * cross / D
    # asymptotic (nearest planar interface) parts, summed in closed form
    e_in = eps_all[:, :L]
    e_out = eps_all[:, 1:]
    d_out = np.zeros((n, L + 1))
    p_out = np.zeros((n, L + 1))
    d_out[:, :L] = (e_in - e_out) / (e_in + e_out)
    p_out[:, :L] = e_in / (e_in + e_out)
    d_in = np.zeros((n, L + 1))
    a_in = np.zeros((n, L + 1))
    d_in[:, 1:] = (e_out - e_in) / (e_out + e_in)
    a_in[:, 1:] = e_out / (e_out + e_in)
    inv1 = 1.0 / (l + 1.0)
    A_rem = A - d_out[..., None] * (1.0 + p_out[..., None] * inv1
                                    + p_out[..., None] ** 2 * inv1**2)
    B_rem = B - d_in[..., None] * (1.0 - a_in[..., None] * inv1
                                   - a_in[..., None] * (1.0 - a_in[..., None]) * inv1**2)
    keep = (np.arange(K)[None, :] <= l_max[:, None])[:, None, :]
    A_rem = np.where(keep, A_rem, 0.0)
    B_rem = np.where(keep, B_rem, 0.0)
    C_sum = np.sum(np.where(keep, C, 0.0), axis=-1)
    return A_rem, B_rem, C_sum, d_out, p_out, d_in, a_in


def _li2(y):
    """Dilogarithm Li2(y) for 0 <= y < 1 (faster than scipy.special.spence).

    Bernoulli series in u = -ln(1-y) for y <= 1/2 (error < 1e-15), Euler's reflection
    Li2(y) = pi^2/6 - ln(y) ln(1-y) - Li2(1-y) above.
    """
    hi = y > 0.5
    z = np.where(hi, 1.0 - y, y)
    u = -np.log1p(-z)
    acc = np.full(y.shape, _LI2_COEF[-1])
    for c in _LI2_COEF[-2::-1]:
        acc *= u
        acc += c
    li = acc * u
    with np.errstate(divide="ignore", invalid="ignore"):
        refl = math.pi**2 / 6.0 - np.log(np.where(hi, y, 1.0)) * np.log1p(-np.where(hi, y, 0.0))
    return np.where(hi, refl - li, li)


def _bernoulli_li2_coefficients(n_terms: int = 16) -> np.ndarray:
    from scipy.special import bernoulli

    B = bernoulli(n_terms)
    B[1] = -0.5
    return np.array([B[n] / math.factorial(n + 1) for n in range(n_terms)])


#: Coefficients B_n/(n+1)! of Li2 = sum_n B_n u^(n+1)/(n+1)!, u = -ln(1-y).
_LI2_COEF = _bernoulli_li2_coefficients()
#: Largest y = (r/R)^2 used in the closed forms (keeps them finite).
_Y_MAX = 1.0 - 1e-15


def _asymptotic_sum(y, p, q):
    """sum_l y^l [1 + p/(l+1) + q/(l+1)^2] in closed form."""
    ys = np.maximum(y, 1e-300)
    small = y < 1e-6
    k1 = np.where(small, 1.0 + 0.5 * y, -np.log1p(-y) / ys)
    k2 = np.where(small, 1.0 + 0.25 * y, _li2(y) / ys)
    return 1.0 / (1.0 - y) + p * k1 + q * k2


def _horner(coef_nk: np.ndarray, y: np.ndarray) -> np.ndarray:
    """sum_k coef[:, k] y^k for y of shape (n, P)."""
    K = coef_nk.shape[-1]
    acc = np.zeros(y.shape)
    acc += coef_nk[:, K - 1, None]
    for k in range(K - 2, -1, -1):
        acc *= y
        acc += coef_nk[:, k, None]
    return acc


def _sigma_in_layer(s, j, radii, eps_all, coef):
    """Step-interface self energy (eV) at radii s (n, P), all taken to lie in layer j."""
    A_rem, B_rem, C_sum, d_out, p_out, d_in, a_in = coef
    L = radii.shape[1]
    total = np.zeros(s.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if 0 < j < L:
            total += C_sum[:, j, None] / s
        if j < L:                                   # images in the outer interface(s)
            Ro = radii[:, j, None]
            y = np.minimum((s / Ro) ** 2, _Y_MAX)
            series = _horner(A_rem[:, j], y)
            do, po = d_out[:, j, None], p_out[:, j, None]
            series += do * _asymptotic_sum(y, po, po * po)
            total += series / Ro
        if j > 0:                                   # images in the inner interface(s)
            x = np.minimum(radii[:, j - 1, None] / s, 1.0)
            y = np.minimum(x * x, _Y_MAX)
            series = _horner(B_rem[:, j], y)
            di, ai = d_in[:, j, None], a_in[:, j, None]
            series += di * _asymptotic_sum(y, -ai, -ai * (1.0 - ai))
            total += series * x / s
    return (0.5 * COULOMB_EV_NM) * total / eps_all[:, j, None]


def _check_width(interface_width_nm) -> float:
    check_nonnegative(interface_width_nm, "interface_width_nm", "nm")
    return float(interface_width_nm)


def _check_l_max(l_max):
    if l_max is None:
        return None
    if isinstance(l_max, bool) or not isinstance(l_max, (int, np.integer)) or l_max < 0:
        raise QdlabInputError(f"l_max must be an integer >= 0 (or None), got {l_max!r}")
    return int(l_max)


def _sigma_block(r, radii, eps, eps_m, width, l_max):
    """Self energy on the grid for one block: r (n, M), radii/eps (n, L), eps_m (n,), l_max (n,)."""
    n, L = radii.shape
    M = r.shape[-1]
    eps_all = np.concatenate([eps, eps_m[:, None]], axis=1)
    coef = _coefficients(radii, eps_all, l_max)
    lay = np.sum(r[:, :, None] > radii[:, None, :], axis=-1)      # R_{j-1} < r <= R_j
    out = np.zeros((n, M))
    if width > 0:
        thick = np.diff(np.concatenate([np.zeros((n, 1)), radii], axis=1), axis=1)
        th_out = np.concatenate([thick[:, 1:], np.full((n, 1), np.inf)], axis=1)
        w = np.minimum(width, 0.5 * np.minimum(thick, th_out))          # (n, L)
        lo, hi = radii - w, radii + w
        win = np.zeros((n, M), dtype=bool)
        for i in range(L):
            win |= (r > lo[:, i:i + 1]) & (r < hi[:, i:i + 1])
        lay_eval = np.where(win, -1, lay)
    else:
        jump = (eps_all[:, :L] != eps_all[:, 1:])[:, None, :]
        on = np.any((np.abs(r[:, :, None] - radii[:, None, :]) <= 1e-12) & jump, axis=-1)
        lay_eval = np.where(on, -1, lay)                   # sharp interface: 0 on it
    for j in range(L + 1):
        mask = lay_eval == j
        cols = np.flatnonzero(np.any(mask, axis=0))
        if cols.size == 0:
            continue
        c0, c1 = cols[0], cols[-1] + 1
        sig = _sigma_in_layer(r[:, c0:c1], j, radii, eps_all, coef)
        out[:, c0:c1] = np.where(mask[:, c0:c1], sig, out[:, c0:c1])
    if width > 0:
        for i in range(L):
            s_lo = _sigma_in_layer(lo[:, i:i + 1], i, radii, eps_all, coef)
            s_hi = _sigma_in_layer(hi[:, i:i + 1], i + 1, radii, eps_all, coef)
            inside = (r > lo[:, i:i + 1]) & (r < hi[:, i:i + 1])
            t = (r - lo[:, i:i + 1]) / (2.0 * w[:, i:i + 1])
            out = np.where(inside, s_lo + t * (s_hi - s_lo), out)
    return out


def self_polarisation_potential(r_nm, radii_nm, eps_layers, eps_medium, l_max=None, *,
                                interface_width_nm: float = DEFAULT_INTERFACE_WIDTH_NM
                                ) -> np.ndarray:
    r"""Self-polarisation (self-image) potential :math:`\Sigma(r)` of one unit charge, in eV.

    Parameters
    ----------
    r_nm : array_like, shape (M,) or (..., M)
        Radii in nm (increasing).
    radii_nm : array_like, shape (..., L)
        Outer radii of the layers in nm, increasing.
    eps_layers : array_like, shape (..., L)
        Relative permittivities of the layers.
    eps_medium : float or array_like, shape (...)
        Relative permittivity of the medium.
    l_max : int, optional
        Highest multipole summed explicitly after the closed-form asymptotic part
        is taken out.  Default: chosen per structure from its thinnest shell so
        that the neglected reflections are below 1e-9 (at least 32, at most 600).
    interface_width_nm : float, optional
        Half-width :math:`d_c` in nm of the region around each interface where
        :math:`\Sigma` is replaced by the straight line between its values at
        :math:`R\pm d_c` (default 0.15 nm; reduced to half of a thinner adjacent
        layer).  ``0`` gives the sharp-interface potential, which diverges as
        :math:`1/|r-R|`; grid points exactly on an interface then get 0.

    Returns
    -------
    numpy.ndarray, shape (..., M)
        :math:`\Sigma(r)` in eV: positive where the charge is repelled by its
        image (inside a layer of higher permittivity than its neighbour).

    Notes
    -----
    :math:`\Sigma(r) = \tfrac{e^2}{2}[G(r,r)-G_{\rm hom}(r,r)]`, the reflected part
    of the multilayer Green's function at coincident points, summed over all
    multipoles; see the module notes for the recursion, the closed-form
    asymptotic summation and the regularisation.  For one interface (radius
    :math:`R`, :math:`\varepsilon_1` inside, :math:`\varepsilon_2` outside) and
    :math:`r<R`

    .. math::

        \Sigma(r) = \frac{e^2}{8\pi\varepsilon_0\varepsilon_1 R}\sum_{l=0}^\infty
        \frac{(\varepsilon_1-\varepsilon_2)(l+1)}{\varepsilon_1 l+\varepsilon_2(l+1)}
        \Big(\frac{r}{R}\Big)^{2l},

    and near an interface :math:`\Sigma\to\frac{e^2}{16\pi\varepsilon_0\varepsilon_1 d}
    \frac{\varepsilon_1-\varepsilon_2}{\varepsilon_1+\varepsilon_2}` (planar image).

    References
    ----------
    L. E. Brus, J. Chem. Phys. 80, 4403 (1984); P. G. Bolcatto and C. R. Proetto,
    J. Phys.: Condens. Matter 13, 319 (2001); L. Banyai et al., Phys. Rev. B 45,
    14136 (1992).

    Examples
    --------
    At the centre of a sphere only :math:`l=0` survives:
    :math:`\Sigma(0) = \frac{e^2}{8\pi\varepsilon_0 R}(1/\varepsilon_2-1/\varepsilon_1)`.

    >>> from qdlab.constants import COULOMB_EV_NM
    >>> s = self_polarisation_potential([0.0, 1.0], [2.0], [10.0], 2.0)
    >>> round(float(s[0]), 6), round(COULOMB_EV_NM / (2 * 2.0) * (1 / 2.0 - 1 / 10.0), 6)
    (0.143996, 0.143996)
    """
    r = _grid(r_nm, min_points=1)
    radii, eps, eps_m = _layers(radii_nm, eps_layers, eps_medium)
    width = _check_width(interface_width_nm)
    l_max = _check_l_max(l_max)
    L, M = radii.shape[-1], r.shape[-1]
    lead = np.broadcast_shapes(r.shape[:-1], radii.shape[:-1], eps.shape[:-1], eps_m.shape)
    n = math.prod(lead)
    rf = np.broadcast_to(r, lead + (M,)).reshape(n, M)
    Rf = np.broadcast_to(radii, lead + (L,)).reshape(n, L)
    Ef = np.broadcast_to(eps, lead + (L,)).reshape(n, L)
    Mf = np.broadcast_to(eps_m, lead).reshape(n)
    lm = _auto_l_max(Rf) if l_max is None else np.full(n, l_max, dtype=int)
    # blocks of similar multipole order and size (results do not depend on the blocking:
    # every structure keeps its own l_max)
    order = np.lexsort((Rf[:, -1], -(-lm // 16)))
    out = np.empty((n, M))
    for a in range(0, n, _BLOCK):
        idx = order[a:a + _BLOCK]
        out[idx] = _sigma_block(rf[idx], Rf[idx], Ef[idx], Mf[idx], width, lm[idx])
    return out.reshape(lead + (M,))


def self_polarisation_energy(r_nm, rho, radii_nm, eps_layers, eps_medium, l_max=None, *,
                             interface_width_nm: float = DEFAULT_INTERFACE_WIDTH_NM
                             ) -> np.ndarray:
    r"""Self-polarisation energy :math:`\langle\Sigma\rangle` of one carrier, in eV.

    Parameters
    ----------
    r_nm : array_like, shape (M,) or (..., M)
        Radial grid in nm.
    rho : array_like, shape (..., M)
        Radial probability density :math:`P=R^2` (nm^-3), :math:`\int P r^2 dr=1`.
    radii_nm, eps_layers, eps_medium, l_max, interface_width_nm
        As in :func:`self_polarisation_potential`.

    Returns
    -------
    numpy.ndarray, shape (...)
        :math:`\int_0^\infty P(r)\,\Sigma(r)\,r^2\,dr` in eV (trapezoid rule; the
        density is renormalised on the grid).

    Notes
    -----
    The same for electrons and holes (:math:`\Sigma\propto e^2`).  With
    ``interface_width_nm=0`` the integral is finite only if the density
    vanishes at the interfaces (infinite barriers); otherwise a
    :class:`~qdlab._validation.QdlabValidityWarning` is issued.

    Examples
    --------
    1S carrier in a hard-wall sphere (R = 2 nm, eps 10 in eps 2), sharp interface:

    >>> import numpy as np
    >>> r = np.linspace(0, 2.0, 801)
    >>> P = 2 * np.pi**2 / 2.0**3 * np.sinc(r / 2.0) ** 2
    >>> round(float(self_polarisation_energy(r, P, [2.0], [10.0], 2.0,
    ...                                      interface_width_nm=0)), 4)
    0.164
    """
    r = _grid(r_nm)
    p = _density(rho, "rho")
    sig = self_polarisation_potential(r, radii_nm, eps_layers, eps_medium, l_max,
                                      interface_width_nm=interface_width_nm)
    norm = _trapz(p * r**2, r)
    _check_norm(norm, "rho")
    if float(interface_width_nm) == 0.0:
        radii = np.asarray(radii_nm, dtype=float)
        on = np.any(np.isclose(r[..., :, None], radii[..., None, :], rtol=0, atol=1e-12),
                    axis=-1)
        pr2 = p * r**2
        if np.any(np.where(on, pr2, 0.0) > 1e-6 * np.max(pr2, axis=-1, keepdims=True)):
            warn_validity("self_polarisation_energy with interface_width_nm=0 and a density "
                          "that is non-zero at an interface: the sharp-interface integral "
                          "diverges; the result depends on the grid")
    return _trapz(p * sig * r**2, r) / norm


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

    Notes
    -----
    :math:`E_X = E_e + E_h + E_g - J + \langle\Sigma\rangle_e + \langle\Sigma\rangle_h`
    (Brus 1984).  The self-polarisation potential is computed once per structure
    and used for both carriers.  For a homogeneous sphere with both carriers
    inside, the :math:`l=0` parts of the self energies cancel the mutual image
    term in :math:`J` exactly.

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
    for p, name in ((pe, "rho_e"), (ph, "rho_h")):
        norm = _trapz(p * r**2, r)
        _check_norm(norm, name)
        out.append(_trapz(p * sig * r**2, r) / norm)
    Pe, Ph = out
    return CoulombTerms(coulomb_eV=J, polarisation_e_eV=Pe, polarisation_h_eV=Ph,
                        total_eV=-J + Pe + Ph)
