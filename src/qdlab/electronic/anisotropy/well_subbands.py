r"""In-plane subband dispersions of a [001] quantum well: 6x6 Luttinger-Kohn holes, Kane electron.

The 2D exciton of a nanoplatelet (:mod:`qdlab.electronic.anisotropy.platelets`) is made of
an electron and a hole that move in the plane with the dispersions of their *subbands*,
not with the band-edge masses of the bulk.  This module gives the in-plane kinetic
energies :math:`T(k_\parallel) = E(k_\parallel) - E(0)` of the lowest electron, heavy-hole
and light-hole subbands of a symmetric well of thickness ``d``.

Holes: 6x6 Luttinger-Kohn Hamiltonian, axial approximation
    In hole energies (positive into the valence band), basis
    :math:`|\tfrac32,\tfrac32\rangle, |\tfrac32,\tfrac12\rangle, |\tfrac32,-\tfrac12\rangle,
    |\tfrac32,-\tfrac32\rangle, |\tfrac12,\tfrac12\rangle, |\tfrac12,-\tfrac12\rangle`,

    .. math::

        H = \begin{pmatrix}
        P+Q & -S & R & 0 & S/\sqrt2 & \sqrt2 R \\
        -S^\dagger & P-Q & 0 & R & \sqrt2 Q & \sqrt{3/2}\,S \\
        R^\dagger & 0 & P-Q & S & -\sqrt{3/2}\,S^\dagger & \sqrt2 Q \\
        0 & R^\dagger & S^\dagger & P+Q & \sqrt2 R^\dagger & -S^\dagger/\sqrt2 \\
        S^\dagger/\sqrt2 & \sqrt2 Q & -\sqrt{3/2}\,S & \sqrt2 R & P+\Delta & 0 \\
        \sqrt2 R^\dagger & \sqrt{3/2}\,S^\dagger & \sqrt2 Q & -S/\sqrt2 & 0 & P+\Delta
        \end{pmatrix} + V(z),

    :math:`P = \gamma_1\epsilon(k^2)`, :math:`Q = \gamma_2\epsilon(k_\parallel^2 - 2k_z^2)`,
    :math:`R = -\sqrt3\,\bar\gamma\,\epsilon(k_\parallel^2)` (axial approximation,
    :math:`\bar\gamma = (\gamma_2 + \gamma_3)/2`, exact for :math:`\gamma_2 = \gamma_3`),
    :math:`S = 2\sqrt3\,\gamma_3\,\epsilon(k_\parallel k_z)`, :math:`\epsilon(x) =
    \hbar^2 x/2m_0`, :math:`k_\parallel` along x (Luttinger & Kohn 1955; Chuang 1995,
    ch. 4).  The phases of the split-off column are those for which the bulk spectrum
    is twofold degenerate at every :math:`\mathbf k` and isotropic for
    :math:`\gamma_2 = \gamma_3` (tested: ``tests/test_well_subbands.py``).  At
    :math:`k_\parallel = 0` the heavy hole decouples (parabolic, mass
    :math:`1/(\gamma_1 - 2\gamma_2)` along z) and the light hole mixes with the split-off
    band through :math:`\sqrt2 Q` (:func:`qdlab.electronic.anisotropy.well_bands.
    light_hole_k2`).  Without a spin-orbit splitting (``None``) the 4x4 block is used.

    Barrier: the same Hamiltonian with the ligand barrier :math:`V` outside the well (no
    mass step at the interface, the ``"well"`` convention of the platelet model); hard
    walls for :math:`V = \infty`.  Finite differences along z (interfaces on cell faces,
    second order; :math:`k_z \to -i\,d/dz` central), solved for the two lowest Kramers
    pairs, and Richardson-extrapolated from steps h and h/2.  The first pair is HH1, the
    second LH1 (for CdSe platelets of 2.5-5.5 ML the two stay apart by > 0.1 eV up to
    the exciton's :math:`k_\parallel`).

Electron: three-band Kane dispersion in the plane
    The subband at :math:`k_\parallel` has the bulk dispersion at
    :math:`k^2 = k_{z,0}^2 + k_\parallel^2`, with :math:`k_{z,0}` fixed by the
    confinement energy at :math:`k_\parallel = 0` (its change of penetration into the
    barrier with :math:`k_\parallel` is neglected).  Its curvature at
    :math:`k_\parallel = 0` is the in-plane mass the platelet model used before
    (:math:`(\hbar^2/2m_0)\,dk^2/dE`).

Results for CdSe platelets (4 eV barrier): HH1 in-plane mass 0.45-0.47 m0 at
:math:`k_\parallel \to 0` against the band-edge :math:`1/(\gamma_1 + \gamma_2)` = 0.38 m0,
heavier still at the exciton's wave vectors (0.53 m0 at 1 nm\ :sup:`-1`); LH1 0.52 m0
(2.5 ML) to 1.08 m0 (5.5 ML) against 0.68 m0.  Heavy hole at :math:`k_\parallel = 0`:
the decoupled parabolic well to < 0.1 meV (tested); light hole: the 2x2 matching of
the scalar :func:`~qdlab.electronic.anisotropy.well_bands.light_hole_k2` (which gives the
barrier the light-hole branch mass at the state's energy) differs from the 6x6 with the
same Hamiltonian in the barrier by +25, +8, 0, -2.5 meV at 2.5-5.5 ML.

References
----------
.. [1] J. M. Luttinger and W. Kohn, Phys. Rev. 97, 869 (1955). Bibliography ``luttinger1955``.
.. [2] S. L. Chuang, *Physics of Optoelectronic Devices* (Wiley, 1995), ch. 4.
.. [3] D. A. Broido and L. J. Sham, Phys. Rev. B 31, 888 (1985) (valence subband
   mixing in quantum wells). Bibliography ``broido1985``.
.. [4] G. Bastard, *Wave Mechanics Applied to Semiconductor Heterostructures* (Les
   Editions de Physique, 1988), ch. III. Bibliography ``bastard1988``.

Examples
--------
>>> hh, lh = hole_subbands(1.367, (2.04, 0.58, 0.58), 0.42, 4.0, [0.0, 0.1])
>>> round(float(hh[0]), 4), round(float(lh[0]), 3)
(0.1375, 0.307)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from scipy.optimize import brentq
from scipy.sparse.linalg import eigsh

from qdlab.constants import HBAR2_2M0
from qdlab.errors import QdlabInputError, check_positive

__all__ = ["DOMINANT_COMPONENT", "INPLANE_DISPERSIONS", "K_TABLE", "M_VALUES", "SubbandPairs",
           "electron_subband_kinetic", "hole_form_factor_tables", "hole_gram_tables",
           "hole_kinetic_tables",
           "hole_subbands", "luttinger_well_hamiltonian",
           "resolve_inplane", "subband_pairs", "tabulated_dispersion"]

#: Hole levels and in-plane exciton motion of a platelet (its ``inplane`` option).
INPLANE_DISPERSIONS = ("subband", "band-edge")

#: Finite-difference step (nm) of :func:`hole_subbands` (Richardson with half of it).
STEP_NM = 0.01
#: Barrier layers: the evanescent tail is followed over this many decay lengths.
TAIL_DECAY_LENGTHS = 8.0


def _grid(thickness_nm: float, barrier_eV: float, gamma1: float, gamma2: float, step_nm: float):
    """Cell-centred z grid (nm) with the interfaces on cell faces, and V(z) (eV)."""
    d = float(thickness_nm)
    n_w = max(int(math.ceil(d / step_nm)), 4)
    h = d / n_w
    if math.isinf(barrier_eV):      # hard walls: nodes on the walls (Dirichlet there)
        z = -d / 2 + h * np.arange(1, n_w)
        return z, h, np.zeros_like(z)
    # slowest decay: the lightest mass along z, 1/(gamma1 + 2 gamma2) (light hole)
    kappa = math.sqrt(max(barrier_eV, 1e-3) * (1.0 / (gamma1 + 2.0 * gamma2)) / HBAR2_2M0)
    n_t = int(math.ceil(TAIL_DECAY_LENGTHS / kappa / h))
    z = -d / 2 - n_t * h + h * (np.arange(n_w + 2 * n_t) + 0.5)
    return z, h, np.where(np.abs(z) < d / 2, 0.0, float(barrier_eV))


def luttinger_well_hamiltonian(thickness_nm: float, luttinger, spin_orbit_eV: float | None,
                               barrier_eV: float, k_par_per_nm: float,
                               step_nm: float = STEP_NM):
    """Sparse 6x6 (or 4x4) hole Hamiltonian of the well, finite differences (module notes).

    Parameters
    ----------
    thickness_nm : float
        Well thickness d, nm.
    luttinger : (gamma1, gamma2, gamma3)
        Luttinger parameters.
    spin_orbit_eV : float or None
        :math:`\\Delta`, eV; None for the 4x4 Hamiltonian.
    barrier_eV : float
        Hole barrier V (eV), ``inf`` for hard walls.
    k_par_per_nm : float
        In-plane wave vector, nm^-1.
    step_nm : float
        Finite-difference step, nm.

    Returns
    -------
    scipy.sparse.csc_matrix
        Hermitian, hole energies in eV; blocks of the basis components (module notes),
        each on the z grid.
    """
    g1, g2, g3 = (float(g) for g in luttinger)
    z, h, V = _grid(thickness_nm, barrier_eV, g1, g2, step_nm)
    n = z.size
    k = float(k_par_per_nm)
    e = HBAR2_2M0
    one = np.ones(n)
    eye = sp.identity(n, format="csr")
    kz2 = sp.diags([-one[:-1], 2.0 * one, -one[:-1]], [-1, 0, 1]) / h ** 2
    kz = sp.diags([0.5j * one[:-1], -0.5j * one[:-1]], [-1, 1]) / h     # -i d/dz
    P = g1 * e * (k * k * eye + kz2)
    Q = g2 * e * (k * k * eye - 2.0 * kz2)
    R = -math.sqrt(3.0) * 0.5 * (g2 + g3) * e * k * k * eye
    S = 2.0 * math.sqrt(3.0) * g3 * e * k * kz
    Sd, Rd = S.conj().T, R.conj().T
    r2, r32 = math.sqrt(2.0), math.sqrt(1.5)
    rows = [[P + Q, -S, R, None], [-Sd, P - Q, None, R], [Rd, None, P - Q, S],
            [None, Rd, Sd, P + Q]]
    if spin_orbit_eV is not None:
        so = P + float(spin_orbit_eV) * eye
        c4 = [S / r2, r2 * Q, -r32 * Sd, r2 * Rd]
        c5 = [r2 * R, r32 * S, r2 * Q, -Sd / r2]
        for i in range(4):
            rows[i] += [c4[i], c5[i]]
        rows.append([c.conj().T for c in c4] + [so, None])
        rows.append([c.conj().T for c in c5] + [None, so])
    nb = len(rows)
    M = sp.bmat(rows, format="coo") + sp.block_diag([sp.diags(V)] * nb, format="coo")
    return M.tocsc()


def _check_levels(w, luttinger, k) -> None:
    """Refuse spurious (non-positive) hole levels of a non-elliptic Hamiltonian."""
    if w[0] <= 0.0:
        raise QdlabInputError(f"the Luttinger parameters {tuple(luttinger)} give a hole "
                              f"level at {w[0]:.3g} eV <= 0 at k_par = {k:g} nm^-1 "
                              "(a non-elliptic Hamiltonian: spurious states)")


def _lowest_pairs(thickness_nm, luttinger, spin_orbit_eV, barrier_eV, k, step_nm):
    M = luttinger_well_hamiltonian(thickness_nm, luttinger, spin_orbit_eV, barrier_eV, k,
                                   step_nm)
    # hole energies are > 0: the four closest to zero are the two lowest Kramers pairs
    w = np.sort(eigsh(M, k=4, sigma=0.0, which="LM", return_eigenvectors=False,
                      tol=1e-12).real)
    _check_levels(w, luttinger, k)
    return w


def _checked(thickness_nm, luttinger, barrier_eV) -> tuple[float, float, float]:
    """Checked (gamma1, gamma2, gamma3) of :func:`hole_subbands` and its tables."""
    check_positive(thickness_nm, "thickness_nm", "nm")
    g = tuple(float(x) for x in luttinger)
    if len(g) != 3 or not g[0] > 2.0 * g[1]:
        raise QdlabInputError(f"luttinger must be (gamma1, gamma2, gamma3) with gamma1 > "
                              f"2 gamma2, got {luttinger!r}")
    if not float(barrier_eV) > 0:
        raise QdlabInputError(f"barrier_eV must be > 0 eV, got {barrier_eV!r}")
    return g


@lru_cache(maxsize=256)
def _hole_subbands(d, luttinger, spin_orbit_eV, barrier_eV, ks, step_nm):
    out = []
    for k in ks:
        e1 = _lowest_pairs(d, luttinger, spin_orbit_eV, barrier_eV, k, step_nm)
        e2 = _lowest_pairs(d, luttinger, spin_orbit_eV, barrier_eV, k, step_nm / 2.0)
        e = (4.0 * e2 - e1) / 3.0
        out.append((0.5 * (e[0] + e[1]), 0.5 * (e[2] + e[3])))
    a = np.array(out)
    return a[:, 0].copy(), a[:, 1].copy()


#: In-plane wave vectors (nm^-1) of the dispersion tables of :func:`hole_kinetic_tables`.
K_TABLE = np.concatenate([np.linspace(0.0, 1.0, 6), np.linspace(1.25, 4.0, 12)])
#: Finite-difference step (nm) of the dispersion tables (T(k) within 0.1 meV of the
#: Richardson limit up to 2 nm^-1 for CdSe platelets).
TABLE_STEP_NM = 0.02


#: :math:`J_z` of the basis components (module notes): the phases of a rotation about z.
M_VALUES = (1.5, 0.5, -0.5, -1.5, 0.5, -0.5)
#: Basis component that dominates HH1 (:math:`+3/2`) and LH1 (:math:`-1/2`) in the
#: :math:`M_z = +i` block (module notes).
DOMINANT_COMPONENT = {"hh": 0, "lh": 2}


def _lowest_states(d, luttinger, spin_orbit_eV, barrier_eV, k, step_nm):
    """Two lowest Kramers pairs and the M_z = +i state of each: (energies, [hh, lh]).

    Each state is an array (components, z) of unit norm with its dominant component
    real and positive in sum (the gauge of :func:`hole_form_factor_tables`).
    """
    M = luttinger_well_hamiltonian(d, luttinger, spin_orbit_eV, barrier_eV, k, step_nm)
    w, v = eigsh(M, k=4, sigma=0.0, which="LM", tol=1e-12)
    order = np.argsort(w.real)
    w, v = w.real[order], v[:, order]
    _check_levels(w, luttinger, k)
    nb = 6 if spin_orbit_eV is not None else 4
    phase = np.exp(-1j * math.pi * np.asarray(M_VALUES[:nb]))[:, None, None]
    states = []
    for first, m0 in ((0, DOMINANT_COMPONENT["hh"]), (2, DOMINANT_COMPONENT["lh"])):
        pair = v[:, first:first + 2].reshape(nb, -1, 2)
        # projector (1 - i M_z)/2 with M_z = (z -> -z) x exp(-i pi J_z)
        proj = 0.5 * (pair - 1j * phase * pair[:, ::-1, :])
        j = int(np.argmax(np.linalg.norm(proj.reshape(-1, 2), axis=0)))
        c = proj[:, :, j] / np.linalg.norm(proj[:, :, j])
        s = c[m0].sum()
        states.append(c * (abs(s) / s))
    return w, states


@lru_cache(maxsize=256)
def _subband_tables(d, luttinger, spin_orbit_eV, barrier_eV):
    e, X_hh, X_lh = [], [], []
    for k in K_TABLE:
        w, (hh, lh) = _lowest_states(d, luttinger, spin_orbit_eV, barrier_eV, float(k),
                                     TABLE_STEP_NM)
        e.append(w)
        X_hh.append(hh)
        X_lh.append(lh)
    e = np.array(e)
    hh = 0.5 * (e[:, 0] + e[:, 1])
    lh = 0.5 * (e[:, 2] + e[:, 3])
    # Gram matrices per component m of the stacked states (HH1 on K_TABLE, then LH1):
    # G_m[(p, k), (q, k')] = <c^p_m(k)|c^q_m(k')>, real in this gauge (module notes)
    Xs = np.concatenate([np.array(X_hh), np.array(X_lh)], axis=0)
    G = np.einsum("kmz,lmz->mkl", np.conj(Xs), Xs).real
    n = K_TABLE.size
    return hh - hh[0], lh - lh[0], G[:, :n, :n].copy(), G[:, n:, n:].copy(), G


def _kinetic_tables(d, luttinger, spin_orbit_eV, barrier_eV):
    return _subband_tables(d, luttinger, spin_orbit_eV, barrier_eV)[:2]


def hole_kinetic_tables(thickness_nm: float, luttinger, spin_orbit_eV: float | None,
                        barrier_eV: float):
    r"""In-plane kinetic energies (eV) of HH1 and LH1 on :data:`K_TABLE`.

    :math:`T(k_\parallel) = E(k_\parallel) - E(0)` of the first and second Kramers pair
    of :func:`hole_subbands`, with the step :data:`TABLE_STEP_NM` (no extrapolation: the
    differences converge faster than the energies).

    Returns
    -------
    (k, T_hh, T_lh) : tuple of ndarray
        Wave vectors (nm^-1) and kinetic energies (eV).
    """
    g = _checked(thickness_nm, luttinger, barrier_eV)
    so = None if spin_orbit_eV is None else float(spin_orbit_eV)
    t_hh, t_lh = _kinetic_tables(float(thickness_nm), g, so, float(barrier_eV))
    return K_TABLE.copy(), t_hh.copy(), t_lh.copy()


def hole_form_factor_tables(thickness_nm: float, luttinger, spin_orbit_eV: float | None,
                            barrier_eV: float):
    r"""Spinor overlaps of HH1 and LH1 between in-plane wave vectors, per component.

    For the subband state :math:`|h, \mathbf k\rangle = \sum_m c_m(z; k)\,
    |\tfrac32\text{ or }\tfrac12, m\rangle e^{i\mathbf k\cdot\boldsymbol\rho}` of the
    :math:`M_z = +i` block (mirror :math:`z \to -z` times :math:`e^{-i\pi J_z}`, a
    symmetry of the symmetric well for in-plane :math:`\mathbf k`; HH1 dominated by
    :math:`m = +3/2`, LH1 by :math:`m = -1/2`, both with even envelopes) and
    :math:`\mathbf k` along x, the overlap with the state at :math:`\mathbf k'` at the
    angle :math:`\theta` is

    .. math::

        \langle h, \mathbf k|h, \mathbf k'\rangle = \sum_m O_m(k, k')\,
        e^{-i(m - m_0)\theta}, \qquad O_m(k, k') = \int c_m^*(z; k)\, c_m(z; k')\,dz,

    because a rotation about z maps the state at :math:`\mathbf k` onto the state at
    the rotated vector times :math:`e^{-iJ_z\theta}` (axial approximation; the phase
    :math:`e^{i m_0\theta}` makes it single-valued).  These overlaps enter the Coulomb
    matrix elements of the exciton (:mod:`qdlab.electronic.anisotropy.well_exciton`).

    Returns
    -------
    (k, O_hh, O_lh) : tuple of ndarray
        :data:`K_TABLE` (nm^-1) and the overlaps, arrays (components, k, k') with the
        components ordered as :data:`M_VALUES` (4 without the split-off band);
        :math:`\sum_m O_m(k, k) = 1`.

    Examples
    --------
    >>> k, O_hh, O_lh = hole_form_factor_tables(1.367, (2.04, 0.58, 0.58), 0.42, 4.0)
    >>> round(float(O_hh[0, 0, 0]), 6), round(float(O_hh[:, 5, 5].sum()), 6)
    (1.0, 1.0)
    >>> round(float(O_hh[0, 5, 5]), 3)    # heavy-hole character of HH1 at 1 nm^-1
    0.92
    """
    g = _checked(thickness_nm, luttinger, barrier_eV)
    so = None if spin_orbit_eV is None else float(spin_orbit_eV)
    O_hh, O_lh = _subband_tables(float(thickness_nm), g, so, float(barrier_eV))[2:4]
    return K_TABLE.copy(), O_hh.copy(), O_lh.copy()


def hole_gram_tables(thickness_nm: float, luttinger, spin_orbit_eV: float | None,
                     barrier_eV: float):
    r"""Overlaps per component between HH1 and LH1 states at all table wave vectors.

    Returns
    -------
    (k, G) : tuple of ndarray
        :data:`K_TABLE` and ``G`` of shape (components, 2 nk, 2 nk): the Gram matrix
        :math:`\int c^p_m(z; k)^* c^q_m(z; k')\,dz` of the stacked states (HH1 at the nk
        wave vectors, then LH1), whose diagonal blocks are the
        :func:`hole_form_factor_tables`.  Both subbands are states of the same
        :math:`M_z = +i` block, so the off-diagonal blocks are the overlaps that couple
        the two exciton series (:func:`qdlab.electronic.anisotropy.well_exciton.
        coupled_exciton_eV`); they vanish at :math:`k = k' = 0`.

    Examples
    --------
    >>> k, G = hole_gram_tables(1.367, (2.04, 0.58, 0.58), 0.42, 4.0)
    >>> G.shape, round(float(abs(G[:, 0, k.size].sum())), 8)
    ((6, 36, 36), 0.0)
    """
    g = _checked(thickness_nm, luttinger, barrier_eV)
    so = None if spin_orbit_eV is None else float(spin_orbit_eV)
    return K_TABLE.copy(), _subband_tables(float(thickness_nm), g, so, float(barrier_eV))[4].copy()


def hole_subbands(thickness_nm: float, luttinger, spin_orbit_eV: float | None,
                  barrier_eV: float, k_par_per_nm, step_nm: float = STEP_NM):
    r"""HH1 and LH1 energies (eV, into the valence band) of a well against :math:`k_\parallel`.

    Parameters
    ----------
    thickness_nm : float
        Well thickness, nm.
    luttinger : (gamma1, gamma2, gamma3)
        Luttinger parameters (:math:`\gamma_1 > 2\gamma_2`).
    spin_orbit_eV : float or None
        Spin-orbit splitting (eV); None: the 4x4 Hamiltonian (no split-off band).
    barrier_eV : float
        Hole barrier of the ligands, eV (``inf``: hard walls).
    k_par_per_nm : array_like
        In-plane wave vectors, nm^-1 (>= 0).
    step_nm : float
        Finite-difference step (Richardson with step/2), nm.

    Returns
    -------
    (hh, lh) : tuple of ndarray
        Energies of the first and second Kramers pair (module notes).

    Raises
    ------
    QdlabInputError
        Non-positive thickness or step, negative barrier or wave vector,
        :math:`\gamma_1 \le 2\gamma_2`.
    """
    check_positive(step_nm, "step_nm", "nm")
    g = _checked(thickness_nm, luttinger, barrier_eV)
    ks = np.atleast_1d(np.asarray(k_par_per_nm, dtype=float))
    if np.any(ks < 0) or not np.all(np.isfinite(ks)):
        raise QdlabInputError("k_par_per_nm must be finite and >= 0 nm^-1")
    so = None if spin_orbit_eV is None else float(spin_orbit_eV)
    return _hole_subbands(float(thickness_nm), g, so, float(barrier_eV),
                          tuple(float(k) for k in ks), float(step_nm))


def electron_subband_kinetic(k2_of_energy, confinement_eV: float, k_par_per_nm):
    r"""In-plane kinetic energy (eV) of the electron subband (module notes).

    Parameters
    ----------
    k2_of_energy : callable
        Bulk dispersion E (eV) -> :math:`k^2` (nm^-2), monotonic
        (:func:`qdlab.electronic.anisotropy.well_bands.conduction_k2`).
    confinement_eV : float
        Subband energy at :math:`k_\parallel = 0`, eV above the band edge.
    k_par_per_nm : array_like
        In-plane wave vectors, nm^-1.

    Returns
    -------
    ndarray
        :math:`E(k_{z,0}^2 + k_\parallel^2) - E(k_{z,0}^2)`, eV.

    Examples
    --------
    >>> from qdlab.constants import HBAR2_2M0
    >>> t = electron_subband_kinetic(lambda E: E * 0.2 / HBAR2_2M0, 0.3, [1.0])
    >>> round(float(t[0] / (HBAR2_2M0 / 0.2)), 6)      # parabolic: hbar^2 k^2 / 2m
    1.0
    """
    e0 = float(confinement_eV)
    kz2 = float(k2_of_energy(e0))
    out = []
    for k in np.atleast_1d(np.asarray(k_par_per_nm, dtype=float)):
        if k == 0:
            out.append(0.0)
            continue
        target = kz2 + k * k

        def f(E, target=target):
            v = k2_of_energy(E)
            return math.inf if math.isnan(v) else v - target

        hi = max(2.0 * e0, 1e-3)
        while f(hi) < 0:
            hi *= 1.5
            if hi > 1e3:
                raise QdlabInputError(f"electron dispersion never reaches k = {k:g} nm^-1")
        out.append(brentq(f, e0, hi, xtol=1e-13, rtol=1e-12) - e0)
    return np.array(out)


def tabulated_dispersion(k_per_nm, kinetic_eV):
    r"""Callable T(k) (eV) from a table on :math:`0 \le k \le k_{max}`, parabolic beyond.

    Linear interpolation in :math:`k^2`; above :math:`k_{max}` the last interval's slope
    in :math:`k^2` is continued (the exciton's weight there is small: the binding
    energies of 2.5-5.5 ML CdSe platelets change by < 1 meV between k_max = 4 and
    8 nm^-1, tested; the k.p bands themselves are not meant for k of several nm^-1).
    Where the last interval falls (a subband bending over at an anticrossing, e.g. the
    LH1 subband of a thin hard-wall GaAs well), continuing it would make T unbounded
    below and the exciton collapse; the secant slope :math:`T(k_{max})/k_{max}^2` is
    continued instead.

    Raises
    ------
    QdlabInputError
        :math:`T(k_{max}) \le 0`: no pair dispersion with its minimum at k = 0.

    Examples
    --------
    >>> t = tabulated_dispersion([0.0, 1.0, 2.0], [0.0, 0.1, 0.4])
    >>> [round(float(x), 3) for x in t(np.array([0.5, 3.0]))]
    [0.025, 0.9]
    >>> t = tabulated_dispersion([0.0, 1.0, 2.0], [0.0, 0.5, 0.4])   # bends over
    >>> round(float(t(np.array([4.0]))[0]), 3)
    1.6
    """
    k = np.asarray(k_per_nm, dtype=float)
    T = np.asarray(kinetic_eV, dtype=float)
    k2 = k * k
    if not T[-1] > 0.0:
        raise QdlabInputError(f"the pair dispersion is {T[-1]:.3g} eV <= 0 at k = {k[-1]:g} "
                              "nm^-1: its minimum is not at k = 0 (no exciton of this model)")
    slope = (T[-1] - T[-2]) / (k2[-1] - k2[-2])
    if not slope > 0.0:
        slope = T[-1] / k2[-1]

    def f(q):
        q2 = np.asarray(q, dtype=float) ** 2
        return np.where(q2 <= k2[-1], np.interp(q2, k2, T), T[-1] + slope * (q2 - k2[-1]))

    return f


@dataclass(frozen=True)
class SubbandPairs:
    """Hole levels and pair dispersions of a well (:func:`subband_pairs`).

    Attributes
    ----------
    hh_eV, lh_eV : float
        HH1 and LH1 levels at :math:`k_\\parallel = 0`, eV into the valence band.
    dispersion_hh, dispersion_lh : callable
        :math:`T(k) = T_e(k) + T_h(k)` of the electron-HH1 and electron-LH1 pair, eV.
    mass_hh, mass_lh : float
        Curvature masses of the hole subbands at :math:`k_\\parallel \\to 0`, m0.
    scale_mass_hh, scale_mass_lh : float
        :math:`\\hbar^2k^2/2T(k)` of the pairs at k = 1 nm^-1 (the length scale of the
        exciton basis), m0.
    k_per_nm, electron_kinetic_eV : ndarray
        The table's wave vectors (:data:`K_TABLE`, nm^-1) and the electron's in-plane
        kinetic energy on them (eV), for the electron's form factors
        (:func:`qdlab.electronic.anisotropy.well_exciton.electron_form_factor_channels`).
    """

    hh_eV: float
    lh_eV: float
    dispersion_hh: object
    dispersion_lh: object
    mass_hh: float
    mass_lh: float
    scale_mass_hh: float
    scale_mass_lh: float
    k_per_nm: np.ndarray
    electron_kinetic_eV: np.ndarray


def subband_pairs(thickness_nm: float, luttinger, spin_orbit_eV: float | None,
                  barrier_eV: float, k2_of_energy, electron_eV: float) -> SubbandPairs:
    """Hole levels and electron-hole pair dispersions of a well (module notes).

    Parameters
    ----------
    thickness_nm, luttinger, spin_orbit_eV, barrier_eV
        As :func:`hole_subbands` (the hole barrier).
    k2_of_energy : callable
        Bulk conduction-band dispersion E -> k^2 (:func:`electron_subband_kinetic`).
    electron_eV : float
        Electron subband energy at :math:`k_\\parallel = 0`, eV.

    Returns
    -------
    SubbandPairs
    """
    hh0, lh0 = hole_subbands(thickness_nm, luttinger, spin_orbit_eV, barrier_eV, [0.0])
    ks, t_hh, t_lh = hole_kinetic_tables(thickness_nm, luttinger, spin_orbit_eV, barrier_eV)
    t_e = electron_subband_kinetic(k2_of_energy, electron_eV, ks)
    k1 = int(np.searchsorted(ks, 1.0))
    return SubbandPairs(
        hh_eV=float(hh0[0]), lh_eV=float(lh0[0]),
        dispersion_hh=tabulated_dispersion(ks, t_e + t_hh),
        dispersion_lh=tabulated_dispersion(ks, t_e + t_lh),
        mass_hh=HBAR2_2M0 * ks[1] ** 2 / float(t_hh[1]),
        mass_lh=HBAR2_2M0 * ks[1] ** 2 / float(t_lh[1]),
        scale_mass_hh=HBAR2_2M0 * ks[k1] ** 2 / float(t_e[k1] + t_hh[k1]),
        scale_mass_lh=HBAR2_2M0 * ks[k1] ** 2 / float(t_e[k1] + t_lh[k1]),
        k_per_nm=ks, electron_kinetic_eV=t_e)


def resolve_inplane(inplane, luttinger, barrier_mass) -> str:
    """``"subband"`` or ``"band-edge"``: the ``inplane`` option of a platelet.

    None means ``"subband"`` where it applies (Luttinger parameters, no mass step at the
    ligands: ``barrier_mass`` None) and ``"band-edge"`` otherwise; an explicit
    ``"subband"`` where it does not apply is refused
    (:func:`qdlab.electronic.anisotropy.platelets.platelet_band_edge`).

    Examples
    --------
    >>> resolve_inplane(None, (2.04, 0.58, 0.58), None), resolve_inplane(None, None, None)
    ('subband', 'band-edge')
    """
    if inplane is not None and inplane not in INPLANE_DISPERSIONS:
        raise QdlabInputError(f"inplane must be one of {', '.join(INPLANE_DISPERSIONS)} or "
                              f"None, got {inplane!r}")
    reason = None
    if luttinger is None:
        reason = "the material has no Luttinger parameters"
    elif barrier_mass is not None:
        reason = ("a mass step at the ligands (barrier_mass) has no 6x6 counterpart here: "
                  "the subband well keeps the semiconductor's Hamiltonian in the barrier")
    if inplane == "subband" and reason is not None:
        raise QdlabInputError(f"inplane 'subband' does not apply: {reason}; use inplane "
                              "'band-edge'")
    if inplane is None:
        return "band-edge" if reason is not None else "subband"
    return inplane
