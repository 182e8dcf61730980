r"""The 2D exciton of mixed subbands: Coulomb matrix elements with the Bloch-spinor overlaps.

The platelet exciton (:mod:`qdlab.electronic.anisotropy.platelets`) is the pair state
:math:`|X\rangle = \sum_{\mathbf k} A(k)\,|e, \mathbf k\rangle|h, -\mathbf k\rangle` of
the lowest electron subband and one hole subband (HH1 or LH1), with zero centre-of-mass
momentum.  Away from :math:`k_\parallel = 0` both carriers are mixtures of bulk bands:
the hole of heavy, light and split-off holes (:mod:`~qdlab.electronic.anisotropy.
well_subbands`), the electron of the s-like conduction band and p-like valence bands
(Kane).  The in-plane dispersions :math:`T(k)` of these mixed subbands already enter the
kinetic energy; the same mixing makes the Coulomb matrix element between pair states
at :math:`\mathbf k` and :math:`\mathbf k'`

.. math::

    \langle \mathbf k|V|\mathbf k'\rangle = \tilde V_{RK}(|\mathbf k - \mathbf k'|)\,
    F_e(\mathbf k, \mathbf k')\,F_h(\mathbf k, \mathbf k'),

with the overlaps :math:`F` of the periodic parts (:math:`|F| \le 1`; Andreani &
Pasquarello 1990 for GaAs wells).  Leaving them out (:math:`F = 1`) is the *diagonal
approximation*: it keeps the heavier mixed masses but not the loss of overlap that comes
with them, and overbinds.

Form factors
    Hole (:func:`~qdlab.electronic.anisotropy.well_subbands.hole_form_factor_tables`):
    :math:`F_h = \sum_m O_m(k, k')\,e^{-i(m - m_0)\theta}`, :math:`\theta` the angle
    between :math:`\mathbf k` and :math:`\mathbf k'`, :math:`m_0 = +3/2` (HH1) or
    :math:`-1/2` (LH1).

    Electron, Kane model: :math:`|e, \mathbf K\rangle = a\,|S\rangle + b\,
    |\hat{\mathbf K}\cdot\mathbf R\rangle` (spin kept; the spin-flip part, of relative
    size :math:`(1/(E+E_g) - 1/(E+E_g+\Delta))` is left out) at the total wave vector
    :math:`\mathbf K = (\mathbf k, \pm k_{z,0})` of the standing wave, with
    :math:`b^2/a^2 = P^2K^2[\tfrac23(E+E_g)^{-2} + \tfrac13(E+E_g+\Delta)^{-2}]`
    (three-band Kane, :math:`P^2 = E_p\hbar^2/2m_0`) or :math:`E/(E+E_g)` (two-band),
    E the electron's energy above the band edge.  Then
    :math:`F_e = a a' + b b'(k_{z,0}^2 + k k'\cos\theta)/(K K')`.  The lower
    components are those of a plane wave at :math:`\mathbf K`; the well average of
    :math:`|\partial_z\psi|^2` is smaller than :math:`k_{z,0}^2` (about half at
    4.5 ML, the envelope leaks into the ligands), but taking half of the z part changes
    the CdSe binding energies by < 2 meV and dropping it by < 6 meV (measured).

Solution
    The angular average over :math:`\theta` leaves, for the s-like exciton
    :math:`A(k)`, a sum of *channels* :math:`\sum_c w_c(k) w_c(k')\,V_{n_c}(k, k')`,
    :math:`V_n` the n-th angular Fourier component of :math:`\tilde V_{RK}`
    (:func:`pair_channels`).  Each channel is an angular momentum n of the relative
    motion: in real space its envelope is the Hankel transform of order n of
    :math:`A(k)\,w_c(k)`, and the potential energy is
    :math:`\sum_c \int V_{RK}(\rho)\,|\psi_c(\rho)|^2 d^2\rho` -- local, without the
    :math:`|\mathbf k - \mathbf k'|^{-1}` singularity of the k-space kernel.  The Ritz
    basis is that of :func:`~qdlab.electronic.anisotropy.slab.keldysh_binding_energy_eV`
    (24 Gaussians :math:`e^{-\alpha\rho^2}`); the transforms of a Gaussian times the
    constant :math:`w_c(k_{max})` are closed forms (modified Bessel functions), the rest
    (:math:`w_c(k) - w_c(k_{max})` on :math:`0 \le k \le k_{max}`, linear interpolation
    of the table) is integrated on a uniform k grid.  With a single channel
    :math:`n = 0, w = 1` it is the scalar solver to 1e-9 (tested).

Coupled HH1 and LH1 pairs
    Both subbands are states of the same :math:`M_z` block, so the Coulomb interaction
    also connects pair states of different subbands, through the cross overlaps
    :math:`\langle HH1, \mathbf k|LH1, \mathbf k'\rangle` (zero at
    :math:`k = k' = 0`).  In the sector where the component :math:`m_0` is an s wave
    every component m has the relative angular momentum :math:`m_0 - m` in both pairs,
    so the channels of the two pairs are built together from the Gram matrix of the
    stacked states (:func:`coupled_channels`) and the Ritz basis holds the Gaussians of
    both pairs, the LH1 pair raised by its edge (:func:`coupled_exciton_eV`).  The
    heavy-hole exciton is the ground state of the sector :math:`m_0 = +3/2`; the
    light-hole exciton, the lowest state of the sector :math:`m_0 = -1/2` with most of its
    weight on LH1 pairs (for 2.5-5.5 ML CdSe it is the ground state of its sector: the
    heavy-hole d states lie above it).  In general each exciton is the coupled state
    that overlaps most with the exciton of its own pair alone; where none overlaps it by
    half (a light-hole exciton inside the heavy-hole continuum, a Fano resonance), the
    uncoupled exciton is kept, with a warning (:func:`subband_excitons`).  Without the
    cross overlaps the coupled solver is the two single-pair solvers to 1e-6 eV (tested).

Results for CdSe platelets (2.5-5.5 ML), against the diagonal approximation: the hole
overlaps lower the heavy-hole binding by 45-16 meV and the light-hole binding by 51-28
meV, the electron's by 15-6 meV more; the HH1-LH1 coupling gives back 14-6 meV (HH,
1-2 % LH pairs in the exciton) and 51-19 meV (LH, 13-19 % HH pairs).  Binding energies:
heavy hole 0.42, 0.33, 0.27, 0.23 eV (diagonal 0.47, 0.36, 0.29, 0.25), light hole 0.44,
0.34, 0.28, 0.24 eV.  Left out: higher subbands (HH2, LH2, split-off-like), and the
finite thickness of the charge distributions along z (the Rytova-Keldysh potential takes
them as sheets), which would lower the binding.

References
----------
.. [1] L. C. Andreani and A. Pasquarello, Phys. Rev. B 42, 8928 (1990) (excitons of
   mixed valence subbands in quantum wells). Bibliography ``andreani1990``.
.. [2] D. A. Broido and L. J. Sham, Phys. Rev. B 31, 888 (1985). Bibliography ``broido1985``.
.. [3] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.

Examples
--------
>>> import numpy as np
>>> ks = np.linspace(0.0, 4.0, 5)
>>> ch = pair_channels(np.ones((1, 5, 5)), (1.5,), 1.5)      # F = 1: one channel
>>> [(n, [round(float(x), 6) for x in w]) for n, w in ch]
[(0, [1.0, 1.0, 1.0, 1.0, 1.0])]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.linalg import eigh
from scipy.special import ive, jv, struve, y0

from qdlab.constants import COULOMB_EV_NM, HBAR2_2M0
from qdlab.electronic.anisotropy.slab import _RITZ_ALPHA, _RITZ_K, screening_length_nm
from qdlab.errors import QdlabInputError

__all__ = ["SubbandExcitons", "coupled_channels", "coupled_exciton_eV",
           "electron_form_factor_channels", "mixed_binding_energy_eV", "pair_channels",
           "subband_excitons"]

#: Real-space grid (nm) of the potential matrix elements (logarithmic).
_RHO = np.exp(np.linspace(math.log(1e-5), math.log(500.0), 1400))
_DT = math.log(500.0 / 1e-5) / (_RHO.size - 1)
#: Part of the grid where the numerical Hankel transforms are taken (beyond: < 1e-6 of
#: the exciton's density for platelet excitons of a few nm).
_RHO_NUM = (_RHO > 1e-3) & (_RHO < 60.0)
#: The numerical transforms are taken on every _COARSE-th point of that part (they are
#: smooth on the logarithmic grid) and interpolated linearly in log(rho).
_COARSE = 4
#: Uniform k grid points of the numerical transforms on [0, k_max] (trapezoid; for
#: k_max = 4 nm^-1 the step 0.005 nm^-1 falls on every point of the k table).
_NK = 801
#: States of a coupled sector searched for the exciton of each pair (:func:`subband_excitons`).
_N_COUPLED_STATES = 24
#: Channels whose largest weight eigenvalue is below this fraction are dropped.
_RANK_TOL = 1e-8


def electron_form_factor_channels(k_per_nm, kz0_per_nm: float, energy_eV, band_gap_eV: float,
                                  kane_energy_eV: float | None = None,
                                  spin_orbit_eV: float | None = None):
    r"""Channels of the electron's Bloch overlap :math:`F_e` (module notes).

    Parameters
    ----------
    k_per_nm : array_like
        In-plane wave vectors k (nm^-1).
    kz0_per_nm : float
        Wave vector of the subband along z, nm^-1.
    energy_eV : array_like
        Electron energy above the band edge at each k (subband energy + T_e(k)), eV.
    band_gap_eV : float
        E_g, eV.
    kane_energy_eV, spin_orbit_eV : float, optional
        :math:`E_p` and :math:`\Delta` for the three-band weights; None: two-band.

    Returns
    -------
    list of (n, ndarray)
        ``[(0, a), (0, b k_z0/K), (1, b k/K)]``: :math:`F_e(\mathbf k, \mathbf k') =
        \sum_c w_c(k) w_c(k') \cos(n_c\theta)`.

    Examples
    --------
    >>> ch = electron_form_factor_channels([0.0, 1.0], 2.0, [0.6, 0.65], 1.67)
    >>> [round(float(sum(w[i] ** 2 for _, w in ch)), 12) for i in (0, 1)]   # F(k, k) = 1
    [1.0, 1.0]
    """
    k = np.asarray(k_per_nm, dtype=float)
    E = np.asarray(energy_eV, dtype=float)
    K2 = kz0_per_nm ** 2 + k * k
    if kane_energy_eV is None or spin_orbit_eV is None:
        r2 = E / (E + band_gap_eV)
    else:
        P2 = float(kane_energy_eV) * HBAR2_2M0
        r2 = P2 * K2 * ((2.0 / 3.0) / (E + band_gap_eV) ** 2
                        + (1.0 / 3.0) / (E + band_gap_eV + float(spin_orbit_eV)) ** 2)
    a = 1.0 / np.sqrt(1.0 + r2)
    b = np.sqrt(r2) * a
    K = np.sqrt(K2)
    return [(0, a), (0, b * kz0_per_nm / K), (1, b * k / K)]


def pair_channels(hole_overlaps, m_values, m0: float, electron_channels=None):
    r"""Channels :math:`(n, w(k))` of :math:`F_e F_h` on the table's k points.

    Parameters
    ----------
    hole_overlaps : ndarray
        :math:`O_m(k, k')`, array (components, k, k)
        (:func:`~qdlab.electronic.anisotropy.well_subbands.hole_form_factor_tables`).
    m_values : sequence of float
        :math:`J_z` of the components.
    m0 : float
        :math:`J_z` of the dominant component.
    electron_channels : list of (n, ndarray), optional
        :func:`electron_form_factor_channels` on the same k points (None: :math:`F_e = 1`).

    Returns
    -------
    list of (n, ndarray)
        :math:`F_eF_h` averaged against any even function of :math:`\theta` equals
        :math:`\sum_c w_c(k) w_c(k') \cos(n_c\theta)`; per n the weights are the
        eigenvectors of the summed overlap matrix (scaled by the square roots of its
        eigenvalues, those above 1e-8 of the largest kept).
    """
    O = np.asarray(hole_overlaps, dtype=float)
    nk = O.shape[1]
    ech = electron_channels if electron_channels is not None else [(0, np.ones(nk))]
    total: dict[int, np.ndarray] = {}

    def add(n, M):
        total[n] = total.get(n, 0.0) + M

    for Om, m in zip(O, m_values, strict=True):
        nh = int(round(abs(float(m) - float(m0))))
        for ne, we in ech:
            M = Om * np.outer(we, we)
            if ne == 0:
                add(nh, M)
            else:       # cos(ne t) cos(nh t) = [cos((nh+ne) t) + cos((nh-ne) t)] / 2
                add(nh + ne, 0.5 * M)
                add(abs(nh - ne), 0.5 * M)
    out = []
    for n in sorted(total):
        lam, U = np.linalg.eigh(0.5 * (total[n] + total[n].T))
        keep = lam > _RANK_TOL * max(float(lam.max()), 1e-300)
        for lv, u in zip(lam[keep], U.T[keep], strict=True):
            w = math.sqrt(lv) * u
            out.append((n, w if w[np.argmax(np.abs(w))] > 0 else -w))
    return out


def _gauss_hankel(n: int, alpha):
    r""":math:`(1/2\pi)\int_0^\infty k\,(\pi/\alpha)e^{-k^2/4\alpha} J_n(k\rho)\,dk` on _RHO."""
    a = 1.0 / (4.0 * alpha[:, None])
    b = _RHO[None, :]
    if n == 0:
        return np.exp(-b * b / (4.0 * a)) / (4.0 * a * alpha[:, None])
    x = b * b / (8.0 * a)
    xs = np.minimum(x, 1e6)
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = np.where(x > 1e6, n / (2.0 * x * np.sqrt(2.0 * math.pi * x)),
                        ive((n - 1) / 2.0, xs) - ive((n + 1) / 2.0, xs))
    return (math.sqrt(math.pi) * b / (8.0 * a ** 1.5)) * diff / (2.0 * alpha[:, None])


_RHO_FINE = _RHO[_RHO_NUM]
_RHO_COARSE = _RHO_FINE[::_COARSE]
if _RHO_COARSE[-1] != _RHO_FINE[-1]:
    _RHO_COARSE = np.append(_RHO_COARSE, _RHO_FINE[-1])
_LOG_FINE, _LOG_COARSE = np.log(_RHO_FINE), np.log(_RHO_COARSE)


@lru_cache(maxsize=8)
def _bessel_table(n: int, kmax: float):
    k = np.linspace(0.0, kmax, _NK)
    return k, jv(n, np.multiply.outer(k, _RHO_COARSE))


def _pair_basis(dispersion, al, s, aa, scale):
    """Overlap and kinetic matrices of the Gaussian basis for one pair dispersion."""
    kq = np.exp(_RITZ_K) / scale
    wk = kq * kq * np.asarray(dispersion(kq), dtype=float) * (_RITZ_K[1] - _RITZ_K[0])
    return math.pi / (2.0 * aa) * (np.exp(-np.multiply.outer(s / (4.0 * aa), kq * kq)) @ wk)


def _solve_channels(channels, ks, dispersions, offsets, scale_mass, thickness_nm, eps_slab,
                    eps_above, eps_below, n_states):
    """Ritz in Gaussians of every pair type; channels carry weights (pairs, k) per n."""
    ks = np.asarray(ks, dtype=float)
    if ks.ndim != 1 or ks.size < 2 or ks[0] != 0.0 or np.any(np.diff(ks) <= 0):
        raise QdlabInputError("k_table must increase from 0 with at least two points")
    if not channels:
        raise QdlabInputError("channels must not be empty")
    mu = float(scale_mass)
    r0 = float(screening_length_nm(eps_slab, thickness_nm, eps_above, eps_below))
    es = float(eps_above) + float(eps_below)
    aB = 0.0529177 * (es / 2) / mu
    scale = max(aB / 2, math.sqrt(aB * max(r0, 1e-12)))
    al = _RITZ_ALPHA / scale ** 2
    nb = al.size
    npair = len(dispersions)
    s = al[:, None] + al[None, :]
    aa = np.outer(al, al)
    S1 = math.pi / s
    S = np.kron(np.eye(npair), S1)
    H = np.zeros_like(S)
    for p, (disp, off) in enumerate(zip(dispersions, offsets, strict=True)):
        blk = slice(p * nb, (p + 1) * nb)
        H[blk, blk] = _pair_basis(disp, al, s, aa, scale) + float(off) * S1
    V = -(math.pi * COULOMB_EV_NM / (es * r0)) * (struve(0, _RHO / r0) - y0(_RHO / r0))
    wr = V * 2.0 * math.pi * _RHO ** 2 * _DT
    kmax = float(ks[-1])
    hankel: dict[int, np.ndarray] = {}
    A = None
    Gs = []
    for n, w in channels:
        n = int(n)
        w = np.atleast_2d(np.asarray(w, dtype=float))
        if n not in hankel:
            hankel[n] = _gauss_hankel(n, al)
        ku, J = _bessel_table(n, kmax)
        if A is None:
            trap = np.full(ku.size, ku[1] - ku[0])
            trap[[0, -1]] *= 0.5
            A = (math.pi / al[:, None]) * np.exp(-ku[None, :] ** 2 / (4.0 * al[:, None]))
            A = A * (ku * trap)[None, :]
        G = np.empty((npair * nb, _RHO.size))
        for p in range(npair):
            Gp = float(w[p, -1]) * hankel[n]
            dw = np.interp(ku, ks, w[p]) - float(w[p, -1])
            if np.any(dw != 0.0):
                coarse = (A * dw[None, :]) @ J / (2.0 * math.pi)
                Gp = Gp.copy()
                Gp[:, _RHO_NUM] += np.array([np.interp(_LOG_FINE, _LOG_COARSE, g)
                                             for g in coarse])
            G[p * nb:(p + 1) * nb] = Gp
        H += (G * wr) @ G.T
        Gs.append(G)
    E, c = eigh(H, S, subset_by_index=(0, n_states - 1))
    return E, c, Gs, S


def mixed_binding_energy_eV(channels, k_table, dispersion, scale_mass: float,
                            thickness_nm: float, eps_slab: float, eps_above: float,
                            eps_below: float | None = None) -> tuple[float, float]:
    r"""Binding energy (eV) and :math:`\langle\rho\rangle` (nm) of the mixed-subband exciton.

    Parameters
    ----------
    channels : list of (n, ndarray)
        :func:`pair_channels` on ``k_table``; ``[(0, ones)]`` gives the scalar solver.
    k_table : array_like
        Increasing k points (nm^-1) of the channel weights, from 0; beyond the last
        one the weights are held constant.
    dispersion : callable
        :math:`T(k) = T_e(k) + T_h(k)` of the pair (eV).
    scale_mass : float
        Reduced mass (m0) that sets the length scale of the basis.
    thickness_nm, eps_slab, eps_above, eps_below
        As :func:`~qdlab.electronic.anisotropy.slab.keldysh_binding_energy_eV`.

    Returns
    -------
    (E_b, rho) : tuple of float

    Examples
    --------
    >>> from qdlab.electronic.anisotropy.slab import keldysh_binding_energy_eV
    >>> T = lambda k: HBAR2_2M0 * k * k / 0.1
    >>> ks = np.linspace(0.0, 4.0, 9)
    >>> eb, _ = mixed_binding_energy_eV([(0, np.ones(9))], ks, T, 0.1, 1.37, 6.2, 2.25)
    >>> ref, _ = keldysh_binding_energy_eV(0.1, 1.37, 6.2, 2.25, dispersion=T)
    >>> bool(abs(eb - ref) < 1e-6)
    True
    """
    eps_below = eps_above if eps_below is None else eps_below
    E, c, Gs, S = _solve_channels(channels, k_table, [dispersion], [0.0], scale_mass,
                                  thickness_nm, eps_slab, eps_above, eps_below, 1)
    c = c[:, 0]
    rho_w = 2.0 * math.pi * _RHO ** 3 * _DT
    mean_rho = sum(float(((c @ G) ** 2) @ rho_w) for G in Gs) / float(c @ S @ c)
    return -float(E[0]), mean_rho


def coupled_channels(gram, m_values, m0: float, electron_channels=None):
    r"""Channels of the coupled HH1/LH1 pairs: weights of shape (2, k) per channel.

    Parameters
    ----------
    gram : ndarray
        :func:`~qdlab.electronic.anisotropy.well_subbands.hole_gram_tables`, shape
        (components, 2 nk, 2 nk).
    m_values : sequence of float
        :math:`J_z` of the components.
    m0 : float
        :math:`J_z` of the component whose envelope is an s wave (the sector:
        +3/2 for the heavy-hole exciton, -1/2 for the light-hole exciton).
    electron_channels : list of (n, ndarray), optional
        :func:`electron_form_factor_channels` on the table's nk points.

    Returns
    -------
    list of (n, ndarray)
        As :func:`pair_channels`, each weight array of shape (2, nk) (HH1, LH1).
    """
    G = np.asarray(gram, dtype=float)
    nk = G.shape[1] // 2
    if electron_channels is None:
        electron_channels = [(0, np.ones(nk))]
    ech = [(n, np.concatenate([w, w])) for n, w in electron_channels]
    return [(n, w.reshape(2, nk)) for n, w in pair_channels(G, m_values, m0, ech)]


def coupled_exciton_eV(channels, k_table, dispersions, offset_eV: float, scale_mass: float,
                       thickness_nm: float, eps_slab: float, eps_above: float,
                       eps_below: float | None = None, n_states: int = 6):
    r"""Lowest excitons of the coupled HH1 and LH1 pairs in one angular-momentum sector.

    The Coulomb interaction couples the pair states of the two subbands through the
    off-diagonal overlaps of :func:`~qdlab.electronic.anisotropy.well_subbands.
    hole_gram_tables` (same channels, module notes): the heavy-hole s exciton mixes with
    light-hole pairs of relative angular momentum 2 and the light-hole s exciton with
    heavy-hole pairs of angular momentum -2.  Basis: the Gaussians of
    :func:`mixed_binding_energy_eV` for each pair, the LH pair raised by ``offset_eV``.

    Parameters
    ----------
    channels : list of (n, ndarray)
        :func:`coupled_channels`.
    k_table : array_like
        k points of the weights, nm^-1.
    dispersions : (callable, callable)
        :math:`T(k)` of the electron-HH1 and electron-LH1 pairs, eV.
    offset_eV : float
        LH1 pair edge minus HH1 pair edge at :math:`k = 0`, eV.
    scale_mass, thickness_nm, eps_slab, eps_above, eps_below
        As :func:`mixed_binding_energy_eV`.
    n_states : int
        Number of states returned.

    Returns
    -------
    (E, w_lh, rho) : tuple of ndarray
        Energies (eV, from the HH1 pair edge) of the lowest states, the weight of each
        on the LH1 pairs and its mean electron-hole distance (nm).
    """
    eps_below = eps_above if eps_below is None else eps_below
    E, c, Gs, S = _solve_channels(channels, k_table, list(dispersions), [0.0, offset_eV],
                                  scale_mass, thickness_nm, eps_slab, eps_above, eps_below,
                                  int(n_states))
    nb = _RITZ_ALPHA.size
    norm = np.einsum("is,ij,js->s", c, S, c)
    w_lh = np.einsum("is,ij,js->s", c[nb:], S[nb:, nb:], c[nb:]) / norm
    rho_w = 2.0 * math.pi * _RHO ** 3 * _DT
    rho = sum(((G.T @ c) ** 2).T @ rho_w for G in Gs) / norm
    return E, w_lh, rho


@dataclass(frozen=True)
class SubbandExcitons:
    """Heavy- and light-hole excitons of the coupled HH1/LH1 pairs (:func:`subband_excitons`).

    Attributes
    ----------
    binding_hh_eV, binding_lh_eV : float
        HH1 pair edge minus the heavy-hole exciton, LH1 pair edge minus the light-hole
        exciton, eV.
    radius_hh_nm : float
        Mean electron-hole distance of the heavy-hole exciton, nm.
    lh_weight_of_hh, hh_weight_of_lh : float
        Weight of the other subband's pairs in each exciton (NaN where the uncoupled
        exciton is returned, :func:`subband_excitons`).
    """

    binding_hh_eV: float
    binding_lh_eV: float
    radius_hh_nm: float
    lh_weight_of_hh: float
    hh_weight_of_lh: float


def subband_excitons(thickness_nm: float, luttinger, spin_orbit_eV, barrier_eV: float, pairs,
                     electron_channels, eps_slab: float, eps_above: float,
                     eps_below: float | None = None) -> SubbandExcitons:
    r"""Heavy- and light-hole excitons of a well with the spinor overlaps (module notes).

    Parameters
    ----------
    thickness_nm, luttinger, spin_orbit_eV, barrier_eV
        As :func:`~qdlab.electronic.anisotropy.well_subbands.hole_subbands`.
    pairs : SubbandPairs
        :func:`~qdlab.electronic.anisotropy.well_subbands.subband_pairs` of the well.
    electron_channels : list of (n, ndarray) or None
        :func:`electron_form_factor_channels` on :data:`~qdlab.electronic.anisotropy.
        well_subbands.K_TABLE` (None: a parabolic electron, :math:`F_e = 1`).
    eps_slab, eps_above, eps_below
        As :func:`mixed_binding_energy_eV`.

    Returns
    -------
    SubbandExcitons
        Each exciton is the state of its sector (:math:`m_0 = +3/2` for the heavy hole,
        :math:`-1/2` for the light hole) with the largest overlap with the exciton of its
        own pair alone (:func:`mixed_binding_energy_eV`); for CdSe platelets the ground
        state of the sector, overlap > 0.8.  Where no coupled state overlaps it by half
        (the exciton dissolves into a resonance with the other pair's continuum, e.g. a
        light hole far above the heavy-hole edge), the uncoupled exciton is returned with
        a validity warning and NaN for the weight of the other pair.
    """
    from qdlab.electronic.anisotropy.well_subbands import M_VALUES, hole_gram_tables
    from qdlab.errors import warn_validity

    eps_below = eps_above if eps_below is None else eps_below
    ks, G = hole_gram_tables(thickness_nm, luttinger, spin_orbit_eV, barrier_eV)
    m_values = M_VALUES[:G.shape[0]]
    nk, nb = ks.size, _RITZ_ALPHA.size
    off = pairs.lh_eV - pairs.hh_eV
    disp = [pairs.dispersion_hh, pairs.dispersion_lh]
    args = (pairs.scale_mass_hh, thickness_nm, eps_slab, eps_above, eps_below)
    rho_w = 2.0 * math.pi * _RHO ** 3 * _DT
    out = {}
    for line, m0, p in (("hh", 1.5, 0), ("lh", -0.5, 1)):
        blk = slice(p * nk, (p + 1) * nk)
        single = pair_channels(G[:, blk, blk], m_values, m0, electron_channels)
        E0, c0, G0, S0 = _solve_channels(single, ks, [disp[p]], [0.0], *args, 1)
        c0 = c0[:, 0]
        E, c, Gs, S = _solve_channels(coupled_channels(G, m_values, m0, electron_channels),
                                      ks, disp, [0.0, off], *args, _N_COUPLED_STATES)
        norm = np.einsum("is,ij,js->s", c, S, c)
        own = c[p * nb:(p + 1) * nb]
        overlap = (c0 @ S0 @ own) ** 2 / (float(c0 @ S0 @ c0) * norm)
        i = int(np.argmax(overlap))
        if overlap[i] >= 0.5:
            w_own = np.einsum("is,ij,js->s", own, S0, own)[i] / norm[i]
            rho = sum(float(((G_.T @ c[:, i]) ** 2) @ rho_w) for G_ in Gs) / norm[i]
            out[line] = (p * off - float(E[i]), rho, 1.0 - float(w_own))
        else:
            warn_validity(f"the {line.upper()} exciton is a resonance of the coupled HH1/LH1 "
                          f"pairs (largest overlap of a coupled state with it {overlap[i]:.2f}):"
                          " its line is that of the uncoupled pair (the shift and width from "
                          "the coupling are left out)", stacklevel=2)
            rho = sum(float(((G_.T @ c0) ** 2) @ rho_w) for G_ in G0) / float(c0 @ S0 @ c0)
            out[line] = (-float(E0[0]), rho, float("nan"))
    return SubbandExcitons(binding_hh_eV=out["hh"][0], binding_lh_eV=out["lh"][0],
                           radius_hh_nm=out["hh"][1], lh_weight_of_hh=out["hh"][2],
                           hh_weight_of_lh=out["lh"][2])
