r"""Band dispersions along [001] for thin zinc-blende quantum wells (nanoplatelets).

The thickness quantisation of a platelet only needs, for each band, the
relation between the energy E of a state (measured into the band from its
edge, eV) and the squared wave vector :math:`k_z^2` (nm^-2) of the bulk band at
that energy, at :math:`k_\parallel = 0`.  Three bands matter for the heavy-hole
and light-hole absorption lines:

Conduction band (three-band Kane, Löwdin partition of the 8-band model)
    .. math::

        \frac{m_0}{m(E)} = \Big(\frac{m_0}{m_e} - \frac{E_p}{3}\Big[\frac{2}{E_g}
        + \frac{1}{E_g + \Delta}\Big]\Big) + \frac{E_p}{3}\Big[\frac{2}{E_g + E}
        + \frac{1}{E_g + \Delta + E}\Big],\qquad
        \frac{\hbar^2 k_z^2}{2 m(E)} = E ,

    with the Kane energy :math:`E_p`, spin-orbit splitting :math:`\Delta` and
    band-edge mass :math:`m_e` of the database; the first bracket is the
    remote-band term that makes :math:`m(0) = m_e` (Bastard 1988, ch. III;
    Vurgaftman, Meyer & Ram-Mohan 2001, eq. 2.15).  Without :math:`E_p` the
    two-band form :math:`m(E) = m_e (1 + E/E_g)` (``kane_energy_eV=None``).

Heavy hole (:math:`J_z = \pm 3/2`)
    decoupled from the light hole, the split-off band and (at
    :math:`k_\parallel = 0`) the conduction band along [001]: parabolic with
    :math:`m_{hh,z} = m_0/(\gamma_1 - 2\gamma_2)` (Luttinger 1956).

Light hole (:math:`J_z = \pm 1/2`) mixed with the split-off band
    The 6x6 Luttinger-Kohn Hamiltonian at :math:`\mathbf k = (0, 0, k_z)`
    couples :math:`|3/2, \pm 1/2\rangle` only to :math:`|1/2, \pm 1/2\rangle`.
    In hole energies (positive into the valence band), with
    :math:`\epsilon = \hbar^2 k_z^2 / 2 m_0`,

    .. math::

        H = \begin{pmatrix} (\gamma_1 + 2\gamma_2)\,\epsilon & -2\sqrt 2\,\gamma_2\,\epsilon \\
        -2\sqrt 2\,\gamma_2\,\epsilon & \Delta + \gamma_1\epsilon \end{pmatrix}

    (Chuang, *Physics of Optoelectronic Devices*, 1995, sec. 4.6; the
    :math:`\sqrt 2 Q` coupling of Bastard 1988).  The light-hole branch is the
    lower eigenvalue; :math:`\det(H - E) = 0` is a quadratic in
    :math:`\epsilon`, solved here on the light-hole branch.  For
    :math:`\epsilon\gamma_2 \ll \Delta` it is the parabolic
    :math:`(\gamma_1 + 2\gamma_2)` band; when the confinement energy becomes
    comparable with :math:`\Delta` (0.42 eV in CdSe: a few monolayers) the
    light hole takes split-off character and becomes much heavier along z.
    This is why the measured heavy-/light-hole splitting of CdSe platelets
    stays near 0.16 eV from 3.5 to 5.5 ML instead of growing as 1/d^2.

In a hard-wall well of width L the ground state of every one of these
dispersions is at :math:`k_z = \pi/L`: exactly for the heavy hole and for
the light-hole/split-off pair (both components are :math:`\sin(\pi z/L)`, the
Hamiltonian holds only :math:`k_z^2` terms), and in the usual
energy-dependent-mass approximation for the electron.

References
----------
.. [1] G. Bastard, *Wave Mechanics Applied to Semiconductor Heterostructures*
   (Les Editions de Physique, 1988), ch. III.
.. [2] I. Vurgaftman, J. R. Meyer, L. R. Ram-Mohan, "Band parameters for III-V
   compound semiconductors and their alloys", J. Appl. Phys. 89, 5815 (2001).
.. [3] J. M. Luttinger, "Quantum theory of cyclotron resonance in semiconductors:
   general theory", Phys. Rev. 102, 1030 (1956).
.. [4] S. L. Chuang, *Physics of Optoelectronic Devices* (Wiley, 1995), ch. 4.
"""

from __future__ import annotations

import math

from scipy.optimize import brentq

from qdlab.constants import HBAR2_2M0
from qdlab.errors import QdlabInputError, warn_validity


def conduction_k2(energy_eV: float, electron_mass: float, band_gap_eV: float,
                  spin_orbit_eV: float | None = None,
                  kane_energy_eV: float | None = None) -> float:
    r"""Squared wave vector (nm^-2) of the conduction band at E above its edge.

    Parameters
    ----------
    energy_eV : float
        E >= 0, eV.
    electron_mass : float
        Band-edge mass m_e, m0.
    band_gap_eV : float
        E_g, eV.
    spin_orbit_eV, kane_energy_eV : float, optional
        :math:`\Delta` and :math:`E_p` (eV) for the three-band Kane mass; if
        either is None, the two-band :math:`m_e(1 + E/E_g)`.

    Returns
    -------
    float
        :math:`k_z^2` in nm^-2; NaN beyond the energy where the three-band mass
        diverges (not reached for E < E_g with II-VI parameters).

    See Also
    --------
    heavy_hole_k2, light_hole_k2 : the valence-band dispersions.

    Notes
    -----
    See the module notes (three-band Kane with the remote term fixed by m_e).

    References
    ----------
    .. [1] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.
    .. [2] G. Bastard, *Wave Mechanics Applied to Semiconductor Heterostructures*
       (Les Editions de Physique, 1988), ch. III. Bibliography ``bastard1988``.

    Examples
    --------
    >>> round(conduction_k2(0.5, 0.12, 1.67), 3)          # two-band
    2.046
    >>> round(conduction_k2(0.5, 0.12, 1.67, 0.42, 17.5), 3)
    2.122
    """
    E = float(energy_eV)
    if spin_orbit_eV is None or kane_energy_eV is None:
        return E * electron_mass * (1.0 + E / band_gap_eV) / HBAR2_2M0
    Eg, D, Ep = float(band_gap_eV), float(spin_orbit_eV), float(kane_energy_eV)
    remote = 1.0 / electron_mass - Ep / 3.0 * (2.0 / Eg + 1.0 / (Eg + D))
    inv_m = remote + Ep / 3.0 * (2.0 / (Eg + E) + 1.0 / (Eg + D + E))
    if inv_m <= 0:
        return math.nan
    return E / (HBAR2_2M0 * inv_m)


def heavy_hole_k2(energy_eV: float, gamma1: float, gamma2: float) -> float:
    r"""Squared wave vector (nm^-2) of the heavy hole along [001] at E into the band.

    :math:`\hbar^2 k_z^2 (\gamma_1 - 2\gamma_2)/2m_0 = E` (module notes).

    Parameters
    ----------
    energy_eV : float
        Hole energy E > 0 into the valence band, eV.
    gamma1, gamma2 : float
        Luttinger parameters (dimensionless).

    Returns
    -------
    float
        :math:`k_z^2`, nm^-2.

    See Also
    --------
    light_hole_k2 : the light hole, mixed with the split-off band.
    conduction_k2 : the conduction band.

    References
    ----------
    .. [1] J. M. Luttinger, Phys. Rev. 102, 1030 (1956). Bibliography ``luttinger1956``.
    .. [2] I. Vurgaftman, J. R. Meyer, L. R. Ram-Mohan, J. Appl. Phys. 89, 5815 (2001).
       Bibliography ``vurgaftman2001``.

    Examples
    --------
    >>> round(heavy_hole_k2(0.1, 2.04, 0.58), 3)
    2.982
    """
    return float(energy_eV) / (HBAR2_2M0 * (gamma1 - 2.0 * gamma2))


def light_hole_k2(energy_eV: float, gamma1: float, gamma2: float,
                  spin_orbit_eV: float | None) -> float:
    r"""Squared wave vector (nm^-2) of the light hole along [001], mixed with the split-off band.

    Parameters
    ----------
    energy_eV : float
        Hole energy E > 0 into the valence band, eV.
    gamma1, gamma2 : float
        Luttinger parameters.
    spin_orbit_eV : float or None
        :math:`\Delta`, eV; None: no split-off coupling, the parabolic
        :math:`(\gamma_1 + 2\gamma_2)` light hole.

    Returns
    -------
    float
        :math:`k_z^2` (nm^-2) at which the lower eigenvalue of the 2x2
        light-hole/split-off Hamiltonian (module notes) equals E (for
        E > Delta the larger of the two positive roots; the smaller one lies on
        the split-off branch).

    See Also
    --------
    heavy_hole_k2 : the heavy hole.
    conduction_k2 : the conduction band.

    Notes
    -----
    With :math:`\epsilon = \hbar^2 k_z^2/2m_0`,
    :math:`\det(H - E) = a\epsilon^2 + b\epsilon + c` with
    :math:`a = (\gamma_1 + 2\gamma_2)\gamma_1 - 8\gamma_2^2`,
    :math:`b = (\gamma_1 + 2\gamma_2)(\Delta - E) - \gamma_1 E`,
    :math:`c = -E(\Delta - E)`.

    References
    ----------
    .. [1] J. M. Luttinger, Phys. Rev. 102, 1030 (1956). Bibliography ``luttinger1956``.
    .. [2] I. Vurgaftman, J. R. Meyer, L. R. Ram-Mohan, J. Appl. Phys. 89, 5815 (2001).
       Bibliography ``vurgaftman2001``.
    .. [3] G. Bastard, *Wave Mechanics Applied to Semiconductor Heterostructures*
       (Les Editions de Physique, 1988), ch. III. Bibliography ``bastard1988``.

    Examples
    --------
    >>> from qdlab.constants import HBAR2_2M0
    >>> round(light_hole_k2(0.05, 2.04, 0.58, None) * HBAR2_2M0 * (2.04 + 2 * 0.58), 12)
    0.05
    >>> k_free = light_hole_k2(0.3, 2.04, 0.58, None)
    >>> k_so = light_hole_k2(0.3, 2.04, 0.58, 0.42)
    >>> bool(k_so > k_free)        # split-off mixing: heavier along z
    True
    """
    E = float(energy_eV)
    g1, g2 = float(gamma1), float(gamma2)
    if spin_orbit_eV is None:
        return E / (HBAR2_2M0 * (g1 + 2.0 * g2))
    D = float(spin_orbit_eV)
    a = (g1 + 2.0 * g2) * g1 - 8.0 * g2 * g2
    b = (g1 + 2.0 * g2) * (D - E) - g1 * E
    c = -E * (D - E)
    if abs(a) < 1e-12:
        roots = [-c / b] if b else []
    else:
        disc = b * b - 4.0 * a * c
        if disc < 0:
            return math.nan
        s = math.sqrt(disc)
        roots = [(-b + s) / (2.0 * a), (-b - s) / (2.0 * a)]
    # Below Delta one root is positive (the light-hole branch); above it the split-off
    # branch E_+(eps) >= Delta also reaches E, at the smaller eps: the light hole is the larger.
    pos = [r for r in roots if r > 0]
    return max(pos) / HBAR2_2M0 if pos else math.nan


def well_ground_state_eV(thickness_nm: float, k2_of_energy, barrier_eV: float,
                         barrier_mass: float | None, e_max: float = 20.0) -> float:
    r"""Lowest even state (eV above the band edge) of a symmetric well for any dispersion.

    Parameters
    ----------
    thickness_nm : float
        Well width L, nm.
    k2_of_energy : callable
        E (eV) -> :math:`k_z^2` (nm^-2) of the well material (this module's functions).
    barrier_eV : float
        Barrier height V0 (eV); ``inf`` for hard walls.
    barrier_mass : float or None
        Mass in the barrier (m0) for the BenDaniel-Duke condition; None: the
        barrier carries the well's energy-dependent mass
        :math:`m(E) = \hbar^2 k_z^2/(2E)` (continuity of :math:`\psi'`).
    e_max : float
        Upper end of the search, eV.

    Returns
    -------
    float
        E in eV.

    Notes
    -----
    Hard walls: :math:`k_z(E) = \pi/L`.  Finite barrier (Bastard 1988):

    .. math:: \frac{k}{m(E)}\tan\frac{kL}{2} = \frac{\kappa}{m_b},\qquad
              \kappa = \sqrt{2 m_b (V_0 - E)}/\hbar ,

    searched below :math:`\min(V_0, E(\pi/L))`.

    References
    ----------
    .. [1] G. Bastard, *Wave Mechanics Applied to Semiconductor Heterostructures*
       (Les Editions de Physique, 1988), ch. III. Bibliography ``bastard1988``.
    .. [2] D. J. BenDaniel and C. B. Duke, Phys. Rev. 152, 683 (1966). Bibliography ``bendaniel1966``.

    Examples
    --------
    >>> from functools import partial
    >>> hh = partial(heavy_hole_k2, gamma1=2.04, gamma2=0.58)
    >>> round(well_ground_state_eV(2.0, hh, float("inf"), None), 4)  # pi^2 hbar^2/(2 m L^2)
    0.0827
    """
    L = float(thickness_nm)
    if not L > 0:
        raise QdlabInputError(f"thickness_nm must be > 0 nm, got {thickness_nm!r}")
    target = (math.pi / L) ** 2

    def g(E):
        k2 = k2_of_energy(E)
        return -1.0 if math.isnan(k2) else k2 - target

    # bracket E(pi/L) on a geometric grid (the dispersions are monotonic up to e_max)
    lo, hi = 1e-9, 1e-3
    while g(hi) < 0:
        lo, hi = hi, hi * 1.5
        if hi > e_max:
            raise QdlabInputError(f"no confined state below {e_max} eV for a {L:g} nm well "
                                  "(the band dispersion saturates)")
    e_pi = brentq(g, lo, hi, xtol=1e-14, rtol=1e-13)
    V0 = float(barrier_eV)
    if math.isinf(V0):
        return e_pi

    def f(E):
        k2 = k2_of_energy(E)
        k = math.sqrt(k2)
        m = HBAR2_2M0 * k2 / E
        mb = m if barrier_mass is None else float(barrier_mass)
        kap = math.sqrt(max(V0 - E, 0.0) * mb / HBAR2_2M0)
        return k / m * math.sin(k * L / 2.0) - kap / mb * math.cos(k * L / 2.0)

    top = min(V0, e_pi) * (1.0 - 1e-12)
    return brentq(f, 1e-12 * top, top, xtol=1e-14, rtol=1e-13)


def heavy_hole_masses(material) -> tuple[float, float]:
    """Heavy-hole masses (m0) for [001] quantisation: (along z, in plane).

    ``1/(gamma1 - 2 gamma2)`` and ``1/(gamma1 + gamma2)`` from the Luttinger
    parameters (Luttinger, Phys. Rev. 102, 1030 (1956)); without them the
    material's ``heavy_hole_mass`` (else ``hole_mass``) for both, with a warning.

    See Also
    --------
    qdlab.electronic.anisotropy.platelets.platelet_band_edge

    References
    ----------
    .. [1] J. M. Luttinger, W. Kohn, Phys. Rev. 97, 869 (1955); J. M. Luttinger, Phys. Rev.
       102, 1030 (1956). Bibliography ``luttinger1955``, ``luttinger1956``.
    .. [2] G. Bastard, *Wave Mechanics Applied to Semiconductor Heterostructures* (Les
       Editions de Physique, 1988). Bibliography ``bastard1988``.

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


def curvature_mass(k2_of_energy, energy_eV: float) -> float:
    r"""In-plane mass (m0) of a subband at its edge E: :math:`(\hbar^2/2m_0)\,dk^2/dE`.

    For an isotropic bulk dispersion :math:`k^2(E)` the subband
    :math:`E(k_{z,0}^2 + k_\parallel^2)` has this curvature mass at
    :math:`k_\parallel = 0` (two-band Kane: :math:`m_e(1 + 2E/E_g)`; Bastard 1988,
    ch. III); central difference.

    Examples
    --------
    >>> round(curvature_mass(lambda E: E * 0.1 / HBAR2_2M0, 0.5), 6)      # parabolic
    0.1
    """
    h = 1e-4 * max(energy_eV, 1e-3)
    return HBAR2_2M0 * (k2_of_energy(energy_eV + h) - k2_of_energy(energy_eV - h)) / (2 * h)
