r"""Self-polarisation (image) potential of a carrier in a layered dielectric sphere.

The potential :math:`\Sigma(r)` of a unit charge interacting with its own
induced (image) charges in concentric dielectric layers, as a multipole sum
(Brus; Bolcatto and Proetto) with linearly graded interfaces; the model, its
equations and validation are described in :mod:`qdlab.electronic.sphere.coulomb`.
"""

from __future__ import annotations

import math

import numpy as np

from qdlab.constants import COULOMB_EV_NM
from qdlab.electronic.sphere._densities import _check_norm, _density, _grid, _layers, _trapz
from qdlab.errors import QdlabInputError, check_nonnegative, warn_validity

#: Default half-width (nm) over which a dielectric interface is smeared for the
#: self-polarisation potential (about half a II-VI monolayer, see module notes).
DEFAULT_INTERFACE_WIDTH_NM: float = 0.15


#: Target size of the neglected geometric tail of the multipole sum.
_L_TOL = 1e-7


_L_MIN = 32


_L_CAP = 600


#: Structures per block in the self-polarisation evaluation (bounds memory).
_BLOCK = 2048


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
    # the core has no inner interface (beta = rho = 0) and the medium no outer one
    # (gamma = rho = 0): there A = gamma, B = beta and C = 0 exactly; the multiple
    # reflections only couple the interfaces of a shell
    A = gamma
    B = beta
    C = np.zeros((n, L + 1, K))
    for j in range(1, L):
        cross = beta[:, j] * gamma[:, j] * rho[:, j]
        inv_D = 1.0 / (1.0 - cross)
        A[:, j] = gamma[:, j] * inv_D
        B[:, j] = beta[:, j] * inv_D
        C[:, j] = 2.0 * cross * inv_D
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
    keep = np.arange(K)[None, :] <= l_max[:, None]                   # (n, K)
    A_rem = np.zeros((n, L + 1, K))
    B_rem = np.zeros((n, L + 1, K))
    for j in range(L):                  # outer interface: layers 0 .. L-1 (medium: A = 0)
        po = p_out[:, j, None]
        A_rem[:, j] = np.where(keep, A[:, j] - d_out[:, j, None] * (1.0 + po * inv1
                                                                   + po**2 * inv1**2), 0.0)
    for j in range(1, L + 1):           # inner interface: layers 1 .. L (core: B = 0)
        ai = a_in[:, j, None]
        B_rem[:, j] = np.where(keep, B[:, j] - d_in[:, j, None] * (1.0 - ai * inv1
                                                                  - ai * (1.0 - ai) * inv1**2),
                               0.0)
    C_sum = np.zeros((n, L + 1))
    for j in range(1, L):
        C_sum[:, j] = np.sum(np.where(keep, C[:, j], 0.0), axis=-1)
    return A_rem, B_rem, C_sum, d_out, p_out, d_in, a_in


def _li2(y):
    """Dilogarithm Li2(y) for 0 <= y < 1 (faster than scipy.special.spence).

    Bernoulli series in u = -ln(1-y) for y <= 1/2 (error < 1e-15), Euler's reflection
    Li2(y) = pi^2/6 - ln(y) ln(1-y) - Li2(1-y) above.
    """
    hi = y > 0.5
    z = np.where(hi, 1.0 - y, y)
    u = -np.log1p(-z)
    # B_n = 0 for odd n > 1: u - u^2/4 + u * P(u^2) with the even-n coefficients
    u2 = u * u
    even = _LI2_COEF[2::2]
    acc = np.full(y.shape, even[-1])
    for c in even[-2::-1]:
        acc *= u2
        acc += c
    li = u * (_LI2_COEF[0] + _LI2_COEF[1] * u + u2 * acc)
    with np.errstate(divide="ignore", invalid="ignore"):
        refl = math.pi**2 / 6.0 - np.log(np.where(hi, y, 1.0)) * np.log1p(-np.where(hi, y, 0.0))
    return np.where(hi, refl - li, li)


def _bernoulli_numbers(n_max: int) -> list:
    """Bernoulli numbers B_0 ... B_n_max as exact fractions (B_1 = -1/2).

    Akiyama-Tanigawa algorithm (M. Kaneko, J. Integer Seq. 3, 00.2.9 (2000)), which gives
    B_1 = +1/2; the sign is set to the convention of the Li2 series.
    """
    from fractions import Fraction

    a = [Fraction(0)] * (n_max + 1)
    out = []
    for m in range(n_max + 1):
        a[m] = Fraction(1, m + 1)
        for j in range(m, 0, -1):
            a[j - 1] = j * (a[j - 1] - a[j])
        out.append(a[0])
    if n_max >= 1:
        out[1] = Fraction(-1, 2)
    return out


def _bernoulli_li2_coefficients(n_terms: int = 16) -> np.ndarray:
    B = _bernoulli_numbers(n_terms - 1)
    return np.array([float(B[n] / math.factorial(n + 1)) for n in range(n_terms)])


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
    14136 (1992). Bibliography ``brus1984``, ``bolcatto2001``, ``banyai1992``.

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
    # every block holds one group of multipole orders (a block's work grows with its
    # largest order, so a few thin-shell structures must not set it for many others)
    group = -(-lm // 8)
    order = np.lexsort((Rf[:, -1], group))
    g_sorted = group[order]
    cuts = np.flatnonzero(np.diff(g_sorted)) + 1
    out = np.empty((n, M))
    for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, n], strict=True):
        for a in range(int(lo), int(hi), _BLOCK):
            idx = order[a:min(a + _BLOCK, int(hi))]
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
    :class:`~qdlab.errors.QdlabValidityWarning` is issued.

    References
    ----------
    .. [1] Brus, J. Chem. Phys. 80, 4403-4409 (1984); bibliography ``brus1984``.
    .. [2] Banyai et al., Phys. Rev. B 45, 14136-14142 (1992); bibliography ``banyai1992``.

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
