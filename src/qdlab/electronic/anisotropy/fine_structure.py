r"""Band-edge exciton fine structure: electron-hole exchange, crystal and shape fields.

The 8x8 band-edge exciton (electron spin x hole :math:`J = 3/2`) with the
exchange :math:`-\tfrac23\\eta\\,\boldsymbol\\sigma\\cdot\\mathbf J` and the hole
splitting by crystal field and shape asymmetry; Efros levels, transition dipoles
of the fine-structure states and the exchange strength from the electron-hole
contact density.  The model and its validation are described in
:mod:`qdlab.electronic.anisotropy.polarisation`.

References
----------
.. [1] Al. L. Efros, M. Rosen, M. Kuno, M. Nirmal, D. J. Norris, M. Bawendi,
   Phys. Rev. B 54, 4843 (1996).
"""

from __future__ import annotations

import math

import numpy as np

from qdlab.errors import QdlabInputError

#: Bulk singlet-triplet (exchange) splitting hbar*omega_ST (eV) and exciton Bohr
#: radius a_ex (nm) that set the exchange strength (Efros et al., PRB 54, 4843
#: (1996), Table I: CdSe 0.13 meV, 5.6 nm).  Wurtzite CdSe only.
EXCHANGE_CONSTANTS = {"CdSe-wz": {"hbar_omega_ST_eV": 0.13e-3, "a_ex_nm": 5.6,
                                  "source": "Efros et al., PRB 54, 4843 (1996), Table I",
                                  # open source check: docs/source-checks.md
                                  "verified": False}}


_S3 = math.sqrt(3.0)


#: J = 3/2 matrices in the basis M = +3/2, +1/2, -1/2, -3/2 (Condon-Shortley).
_JP = np.diag([_S3, 2.0, _S3], k=1)            # J_+


_JZ = np.diag([1.5, 0.5, -0.5, -1.5])


_JX = (_JP + _JP.T) / 2


_JY = (_JP - _JP.T) / 2j


#: Pauli matrices of the electron spin, basis (up, down).
_SX = np.array([[0, 1], [1, 0]], complex)


_SY = np.array([[0, -1j], [1j, 0]])


_SZ = np.diag([1.0, -1.0]).astype(complex)


_I2 = np.eye(2)


_I4 = np.eye(4)


def exchange_operator() -> np.ndarray:
    r"""The 8x8 matrix :math:`\boldsymbol\sigma\cdot\mathbf J` of the exciton basis.

    Basis: electron spin (up, down) x hole :math:`M = +3/2, +1/2, -1/2, -3/2`,
    index ``4 * s + m``.  Eigenvalues +3/2 (F = 2, five states) and -5/2 (F = 1,
    three states), :math:`\sigma\cdot J = F(F+1) - 15/4 - 3/4`.

    References
    ----------
    .. [1] Efros et al., Phys. Rev. B 54, 4843-4856 (1996); bibliography ``efros1996``.

    Examples
    --------
    >>> np.round(np.linalg.eigvalsh(exchange_operator()), 6).tolist()
    [-2.5, -2.5, -2.5, 1.5, 1.5, 1.5, 1.5, 1.5]
    """
    return (np.kron(_SX, _JX) + np.kron(_SY, _JY) + np.kron(_SZ, _JZ))


def _f1_states() -> np.ndarray:
    """Rows: the F = 1, F_z = +1, 0, -1 exciton states (8 complex components)."""
    sj = exchange_operator()
    fz = np.kron(_SZ, _I4).real / 2 + np.kron(_I2, _JZ)
    fminus = np.kron(np.array([[0, 0], [1, 0]]), _I4) + np.kron(_I2, _JP.T)
    # F = 1, F_z = +1: the sigma.J = -5/2 state of the F_z = 1 block.
    idx = np.where(np.isclose(np.diag(fz), 1.0))[0]
    w, v = np.linalg.eigh(sj[np.ix_(idx, idx)])
    top = np.zeros(8, complex)
    top[idx] = v[:, int(np.argmin(w))]
    mid = fminus @ top / math.sqrt(2.0)
    low = fminus @ mid / math.sqrt(2.0)
    return np.array([top, mid, low])


#: Cartesian unit vectors of the spherical components q = +1, 0, -1.
_EQ = np.array([[-1 / math.sqrt(2), -1j / math.sqrt(2), 0],
                [0, 0, 1],
                [1 / math.sqrt(2), -1j / math.sqrt(2), 0]])


def dipole_amplitudes(states) -> np.ndarray:
    r"""Transition-dipole vectors (x, y, z) of exciton states in the 8-state basis.

    Parameters
    ----------
    states : array, shape (8,) or (8, n)
        Exciton state(s) in the basis of :func:`exchange_operator` (columns).

    Returns
    -------
    ndarray, shape (n, 3), complex
        :math:`\mathbf d = \sum_q \langle F{=}1, q|X\rangle\,\hat e_q`, in units in
        which each F = 1 state has :math:`|\mathbf d|^2 = 1` (the sum over all
        eight states is 3).

    Notes
    -----
    The conduction band is s-like and the valence Bloch functions form J = 3/2,
    so the crystal ground state (F = 0) couples by the vector operator
    :math:`\mathbf p` only to the F = 1 part of the exciton (Wigner-Eckart).  A
    heavy-hole exciton :math:`|{\downarrow}, +3/2\rangle` is circular in the xy
    plane (:math:`|d|^2 = 3/4`), a light-hole one has 2/3 of its strength along z.

    References
    ----------
    .. [1] Efros et al., Phys. Rev. B 54, 4843-4856 (1996); bibliography ``efros1996``.

    Examples
    --------
    >>> d = dipole_amplitudes(np.eye(8))
    >>> np.round((abs(d) ** 2).sum(axis=0), 6).tolist()   # each axis: 1
    [1.0, 1.0, 1.0]
    >>> round(float((abs(d[4]) ** 2).sum()), 6)          # |down, +3/2>: heavy hole
    0.75
    """
    c = np.asarray(states, complex)
    if c.ndim == 1:
        c = c[:, None]
    amp = _f1_states().conj() @ c          # (3, n): <F=1,q|X>
    return (amp.T @ _EQ)                   # (n, 3)


def hole_hamiltonian(Q: float, R: float = 0.0, crystal_field_eV: float = 0.0) -> np.ndarray:
    r"""4x4 band-edge hole Hamiltonian (eV, hole energies) in the M = 3/2 .. -3/2 basis.

    :math:`\mathrm{diag}(Q, -Q + \Delta_{cr}, -Q + \Delta_{cr}, Q)` with R coupling
    M = +3/2 to -1/2 and +1/2 to -3/2 (the first-order Luttinger-Kohn terms of
    :func:`hole_mixing`, now for both Kramers partners).

    Parameters
    ----------
    Q : float
        Diagonal shape term, eV (heavy-light splitting 2Q; :func:`hole_mixing`).
    R : float
        Off-diagonal heavy-light coupling from the shape, eV (:func:`hole_mixing`).
    crystal_field_eV : float
        Crystal-field splitting :math:`\Delta_{cr}` of the light holes, eV.

    Returns
    -------
    ndarray, shape (4, 4)
        Hermitian matrix in eV (hole energies).

    References
    ----------
    .. [1] Efros et al., Phys. Rev. B 54, 4843-4856 (1996); bibliography ``efros1996``.

    Examples
    --------
    >>> np.round(np.linalg.eigvalsh(hole_hamiltonian(0.0, 0.0, 0.025)), 3).tolist()
    [0.0, 0.0, 0.025, 0.025]
    """
    H = np.diag([Q, -Q + crystal_field_eV, -Q + crystal_field_eV, Q]).astype(float)
    H[0, 2] = H[2, 0] = R
    H[1, 3] = H[3, 1] = R
    return H


def exciton_fine_structure(eta_eV: float, Q_eV: float = 0.0, R_eV: float = 0.0,
                           crystal_field_eV: float = 0.0) -> dict:
    r"""The eight band-edge (1S_e - ground hole) exciton states and their dipoles.

    Parameters
    ----------
    eta_eV : float
        Exchange constant eta (eV, >= 0), :func:`exchange_eta`.
    Q_eV, R_eV : float
        Shape terms of the hole Hamiltonian (eV), :func:`hole_mixing`.
    crystal_field_eV : float
        Crystal-field (or any other heavy-hole-favouring) splitting, eV.

    Returns
    -------
    dict
        ``energies_eV`` (8, ascending, relative to the lowest), ``dipoles``
        (8 x 3 array of :math:`|d_x|^2, |d_y|^2, |d_z|^2`), ``Fz`` (|<F_z>|,
        rounded), ``states`` (8 x 8 eigenvectors, columns).

    See Also
    --------
    efros_levels : closed-form levels of the same model.
    qdlab.electronic.anisotropy.polarisation_anisotropy : uses these states.

    Notes
    -----
    :math:`H = H_h \otimes 1 - \eta\,\boldsymbol\sigma\cdot\mathbf J` (Efros et
    al. 1996, Eq. 7 with the hole's J = 3/2 ground state).  For a hole with a
    pure heavy/light splitting :math:`\Delta = \Delta_{cr} - 2Q` (heavy hole lower
    by :math:`\Delta`) the eigenvalues are Efros's closed forms
    (:func:`efros_levels`): :math:`\varepsilon_2 = -3\eta/2 - \Delta/2`,
    :math:`\varepsilon_1^{U,L} = \eta/2 \pm\sqrt{(2\eta-\Delta)^2/4 + 3\eta^2}`,
    :math:`\varepsilon_0^{U,L} = \eta/2 + \Delta/2 \pm 2\eta`.

    References
    ----------
    .. [R1] Al. L. Efros, M. Rosen, M. Kuno, M. Nirmal, D. J. Norris, M. Bawendi, Phys.
       Rev. B 54, 4843 (1996). Bibliography ``efros1996``.

    Examples
    --------
    >>> fs = exciton_fine_structure(1e-3, crystal_field_eV=0.02)
    >>> fs["Fz"][:2], round(float(fs["dipoles"][:2].sum()), 6)   # dark +-2 ground doublet
    ([2, 2], 0.0)
    """
    eta = float(eta_eV)
    if eta < 0:
        raise QdlabInputError(f"eta_eV must be >= 0 eV, got {eta:g}")
    H = np.kron(_I2, hole_hamiltonian(Q_eV, R_eV, crystal_field_eV)) - eta * exchange_operator()
    w, v = np.linalg.eigh(H)
    d = np.abs(dipole_amplitudes(v)) ** 2
    fz = np.kron(_SZ, _I4).real / 2 + np.kron(_I2, _JZ)
    Fz = [int(round(abs(float(np.real(v[:, k].conj() @ fz @ v[:, k]))))) for k in range(8)]
    return {"energies_eV": w - w[0], "dipoles": d, "Fz": Fz, "states": v}


def efros_levels(eta_eV, delta_eV) -> dict:
    r"""Efros et al. (1996) closed-form fine-structure energies (eV).

    Parameters
    ----------
    eta_eV : float
        Exchange constant, eV.
    delta_eV : float
        Heavy/light-hole splitting (heavy hole lower for > 0), eV.

    Returns
    -------
    dict
        ``{"2", "1L", "1U", "0L", "0U"}`` energies in eV.

    See Also
    --------
    exciton_fine_structure : numerical diagonalisation with shape terms.

    Notes
    -----
    :math:`\varepsilon_2 = -3\eta/2 - \Delta/2`,
    :math:`\varepsilon_1^{U,L} = \eta/2 \pm\sqrt{(2\eta-\Delta)^2/4 + 3\eta^2}`,
    :math:`\varepsilon_0^{U,L} = \eta/2 + \Delta/2 \pm 2\eta`.

    References
    ----------
    .. [R1] Al. L. Efros, M. Rosen, M. Kuno, M. Nirmal, D. J. Norris, M. Bawendi, Phys.
       Rev. B 54, 4843 (1996). Bibliography ``efros1996``.

    Examples
    --------
    >>> {k: round(v, 6) for k, v in efros_levels(1.0, 0.0).items()}
    {'2': -1.5, '1L': -1.5, '1U': 2.5, '0L': -1.5, '0U': 2.5}
    """
    e, d = float(eta_eV), float(delta_eV)
    root = math.sqrt((2 * e - d) ** 2 / 4 + 3 * e * e)
    return {"2": -1.5 * e - d / 2, "1L": e / 2 - root, "1U": e / 2 + root,
            "0L": e / 2 + d / 2 - 2 * e, "0U": e / 2 + d / 2 + 2 * e}


def exchange_eta(contact_nm3, hbar_omega_ST_eV: float, a_ex_nm: float) -> float:
    r"""Exchange constant eta (eV) from the electron-hole contact density.

    Parameters
    ----------
    contact_nm3 : float
        :math:`\int|\psi_e|^2|\psi_h|^2\,d^3r` in nm^-3 (:func:`contact_density`).
    hbar_omega_ST_eV : float
        Bulk singlet-triplet splitting, eV.
    a_ex_nm : float
        Bulk exciton Bohr radius, nm.

    Returns
    -------
    float
        :math:`\eta = \frac{\pi}{4}\hbar\omega_{ST}\,a_{ex}^3\int|\psi_e|^2|\psi_h|^2 d^3r`.

    Notes
    -----
    Efros et al. (1996): :math:`H_{exch} = -\frac23\varepsilon_{exch}a_0^3
    \delta(\mathbf r_e - \mathbf r_h)\,\boldsymbol\sigma\cdot\mathbf J` with
    :math:`\hbar\omega_{ST} = \frac{8}{3\pi}(a_0/a_{ex})^3\varepsilon_{exch}`,
    taken here with the hole's s-like (L = 0) envelope only.  For hard-wall
    1S envelopes of a sphere of radius a this gives
    :math:`\eta = \chi\,(a_{ex}/a)^3\hbar\omega_{ST}` with
    :math:`\chi = \frac14\int_0^1\sin^4(\pi x)x^{-2}dx = 0.528`, Efros's
    :math:`\chi(\beta)` at :math:`\beta = 1` (no L = 2 admixture).

    References
    ----------
    .. [1] Efros et al., Phys. Rev. B 54, 4843-4856 (1996); bibliography ``efros1996``.

    Examples
    --------
    >>> a = 1.5   # nm, hard-wall sphere: contact = 2.111373/(pi a^3)
    >>> round(exchange_eta(2.111373 / (math.pi * a ** 3), 0.13e-3, 5.6) * 1e3, 3)
    3.571
    """
    return math.pi / 4.0 * float(hbar_omega_ST_eV) * float(a_ex_nm) ** 3 * float(contact_nm3)


def contact_density(electron_states, hole_states) -> float:
    r""":math:`\int|\psi_e|^2|\psi_h|^2 d^3r` (nm^-3) of the two ground states.

    The electron density is interpolated onto the hole grid when the grids differ.

    Parameters
    ----------
    electron_states, hole_states : GridStates
        Solved states (grid solver); their ground states are used.

    Returns
    -------
    float
        The contact density in nm^-3, the input of :func:`exchange_eta`.

    References
    ----------
    .. [1] Efros et al., Phys. Rev. B 54, 4843-4856 (1996); bibliography ``efros1996``.
    """
    pe = np.asarray(electron_states.wavefunctions[0]) ** 2
    ph = np.asarray(hole_states.wavefunctions[0]) ** 2
    h = float(hole_states.spacing_nm)
    same = pe.shape == ph.shape and all(
        np.allclose(getattr(electron_states, a), getattr(hole_states, a))
        for a in ("x_nm", "y_nm", "z_nm"))
    if not same:
        from scipy.interpolate import RegularGridInterpolator

        f = RegularGridInterpolator((electron_states.x_nm, electron_states.y_nm,
                                     electron_states.z_nm), pe, bounds_error=False,
                                    fill_value=0.0)
        X, Y, Z = np.meshgrid(hole_states.x_nm, hole_states.y_nm, hole_states.z_nm,
                              indexing="ij")
        pe = f(np.stack([X, Y, Z], axis=-1))
    return float((pe * ph).sum() * h ** 3)
