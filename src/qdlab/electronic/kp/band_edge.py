r"""Band-edge (1S_e - 1S_3/2) optical quantities of layered spheres from the k.p states.

The first excitonic transition of II-VI / III-V spheres in the k.p model of
:mod:`qdlab.electronic.kp.spherical` (three-band Kane electron, spherical 4x4
Luttinger hole with L = 0 and L = 2 components).  This module returns what the
optics needs from those states, per structure:

* the absorption oscillator strength of the eightfold 1S_e-1S_3/2 pair level
  (polarisation averaged, summed over the 2 x 4 pair states),

  .. math::

      f = \frac{4}{3}\,\frac{E_P}{E_1}\,\frac{|K_0|^2}{1 + w_v}, \qquad
      K_0 = \int_0^\infty R_e R_0\,r^2 dr,

  where only the L = 0 hole component :math:`R_0` couples to the s-like electron
  (Ekimov et al. 1993; the L = 2 part is dark), and :math:`\tfrac43 P^2` is the
  Bloch sum over the J = 3/2 band (:data:`qdlab.optics.transitions.BLOCH_FACTOR`),
  and :math:`w_v` the valence-band (lower-component) weight of the Kane electron,
  which does not carry the interband dipole with the hole: for the energy-dependent
  mass :math:`m(\varepsilon)` of :mod:`qdlab.electronic.kp.kane` the normalisation of
  the 8-band state is :math:`\int R_e^2 r^2dr + w_v` with
  :math:`w_v = -\frac{\hbar^2}{2}\sum_{layers}\frac{\partial m^{-1}}{\partial\varepsilon}
  \int |R_e'|^2 r^2 dr` (Efros & Rosen 1998), 6-9 % for 3-6 nm CdSe (10 % at 2 nm);
* the energy-integrated absorption cross section of that line in a medium of
  index :math:`n_s`,
  :math:`\int\sigma\,dE = \frac{\pi e^2\hbar}{2\varepsilon_0 m_0 c}\,
  \frac{|f_{LF}|^2}{n_s} f` with :math:`f_{LF} = 3\varepsilon_s/(\varepsilon_{dot}
  + 2\varepsilon_s)` (Hens & Moreels 2012);
* the electron-hole contact density of the s-like parts,
  :math:`\int|\psi_e|^2|\psi_{h,0}|^2 d^3r = \frac{1}{4\pi}\int R_e^2R_0^2 r^2dr`, which
  sets the exchange constant :math:`\eta` (Efros et al. 1996), and
* the projection of the bulk crystal-field splitting on the 1S_3/2 quartet,
  :math:`v = \int R_0^2 r^2dr - \tfrac35\int R_2^2 r^2dr` (the rank-2 operator
  :math:`J_z^2 - 5/4` has the reduced matrix element ratio
  :math:`(-1)^{L+J+F}(2F+1)\{J F L; F J 2\} = 1` for L = 0 and -3/5 for L = 2 in the
  coupled states :math:`|(L, J{=}3/2)F{=}3/2\rangle`), the internal
  :math:`\Delta_{int} = v(\beta)\Delta_{cr}` of Efros et al. 1996.

The Coulomb terms of :mod:`qdlab.electronic.kp.spherical` still use the conduction
envelope alone.

References
----------
.. [1] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993).
.. [2] Al. L. Efros, M. Rosen, M. Kuno, M. Nirmal, D. J. Norris, M. Bawendi,
   Phys. Rev. B 54, 4843 (1996).
.. [3] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012).
.. [4] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
.. [5] Al. L. Efros and M. Rosen, Phys. Rev. B 58, 7120 (1998).

Examples
--------
>>> out = kp_band_edge("CdSe", [3.0, 5.0])
>>> out["overlap2"].round(2).tolist(), out["oscillator_strength"].round(1).tolist()
([0.84, 0.85], [7.8, 9.3])
"""

from __future__ import annotations

import math

import numpy as np

from qdlab.constants import C_NM_S, E_CHARGE, EPS0, HBAR2_2M0, HBAR_EV_S, M0_KG
from qdlab.electronic.kp.spherical import (
    _check_radii,
    _ground_levels,
    first_exciton_kp_batch,
    kp_profiles,
)
from qdlab.electronic.sphere.exciton import MEDIUM_MASS, N_GRID, _tail_nm, _trapezoid_weights
from qdlab.errors import QdlabInputError, check_positive
from qdlab.structures import Medium
from qdlab.structures.spheres import resolve_materials

__all__ = ["BAND_EDGE_KEYS", "CRYSTAL_FIELD_L2_FACTOR", "dot_permittivity",
           "integrated_cross_section_cm2_eV", "kp_band_edge", "local_field_factor2",
           "radiative_rate_s"]

#: Reduced matrix element of the rank-2 crystal-field operator in |(L=2, J=3/2) F=3/2>
#: relative to |(L=0, J=3/2) F=3/2>: (-1)^(L+J+F+2) (2F+1) {J F L; F J 2} = -3/5.
CRYSTAL_FIELD_L2_FACTOR: float = -0.6

#: Per-structure results of :func:`kp_band_edge`.
BAND_EDGE_KEYS = ("energy_eV", "overlap2", "hole_l0_weight", "electron_s_weight",
                  "oscillator_strength",
                  "contact_nm3", "crystal_field_projection", "kane_energy_eV")


def _kane_lower_weight(eps, gap, ep, so, m_edge):
    r"""-d(m0/m)/d(eps) of the Kane mass (1/eV); two-band form where ``ep`` is NaN."""
    if np.isfinite(ep):
        return ep / 3.0 * (2.0 / (gap + eps) ** 2 + 1.0 / (gap + so + eps) ** 2)
    return 1.0 / (m_edge * gap * (1.0 + eps / gap) ** 2)


def kp_band_edge(materials, diameter_nm=None, *, radii_nm=None, medium: Medium | None = None,
                 temperature_K: float = 300.0) -> dict:
    r"""Band-edge transition of k.p spheres (energy, strength, contact density, v(beta)).

    Parameters
    ----------
    materials : str, Material or sequence
        Core material (a bare sphere with ``diameter_nm``) or the layer materials
        from the core outwards (with ``radii_nm``).
    diameter_nm : float or array_like, optional
        Diameters of bare spheres, nm.
    radii_nm : array_like, shape (N, L), optional
        Outer radii of the layers, nm (instead of ``diameter_nm``).
    medium : Medium, optional
        Surroundings (default: organic ligands).
    temperature_K : float
        Temperature in K.

    Returns
    -------
    dict of ndarray, shape (N,)
        ``energy_eV`` (first exciton with Coulomb terms, eV), ``overlap2``
        (:math:`|K_0|^2`), ``hole_l0_weight`` (:math:`\int R_0^2 r^2 dr`),
        ``electron_s_weight`` (:math:`1/(1 + w_v)`),
        ``oscillator_strength`` (:math:`f`, see module notes), ``contact_nm3``
        (nm^-3), ``crystal_field_projection`` (:math:`v`), ``kane_energy_eV``.

    Notes
    -----
    :math:`f = \tfrac43 (E_P/E_1)|K_0|^2/(1 + w_v)`; contact density
    :math:`\frac{1}{4\pi}\int R_e^2 R_0^2 r^2 dr`;
    :math:`v = \int R_0^2 r^2 dr - \tfrac35 \int R_2^2 r^2 dr`.

    References
    ----------
    .. [1] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993). Bibliography ``ekimov1993``.
    .. [2] Al. L. Efros et al., Phys. Rev. B 54, 4843 (1996). Bibliography ``efros1996``.
    """
    if isinstance(materials, (list, tuple)):
        mats = resolve_materials(materials)
    else:
        mats = resolve_materials([materials])
    if (diameter_nm is None) == (radii_nm is None):
        raise QdlabInputError("give exactly one of diameter_nm (bare spheres) or radii_nm")
    if diameter_nm is not None:
        if len(mats) != 1:
            raise QdlabInputError("diameter_nm is for bare spheres: give radii_nm for "
                                  f"{len(mats)} layers")
        d = np.atleast_1d(np.asarray(diameter_nm, dtype=float))
        check_positive(d, "diameter_nm", "nm")
        radii = d[:, None] / 2.0
    else:
        radii = _check_radii(radii_nm, len(mats))
    ep = mats[0].kane_energy_eV
    if not ep:
        raise QdlabInputError(f"material {mats[0].key} has no kane_energy_eV: the k.p band-edge "
                              "oscillator strength needs the Kane energy")
    medium = medium if medium is not None else Medium()
    check_positive(temperature_K, "temperature_K", "K")
    ex = first_exciton_kp_batch(mats, radii, medium, float(temperature_K))
    pr = kp_profiles(mats, medium, float(temperature_K))
    se, sh = _ground_levels(radii, pr, 0)
    tail = max(_tail_nm(pr["v_e"][-1] - np.min(pr["v_e"][:-1]), MEDIUM_MASS),
               _tail_nm(pr["v_h"][-1] - np.min(pr["v_h"][:-1]), MEDIUM_MASS))
    r = (radii[:, -1:] + tail) * np.linspace(0.0, 1.0, N_GRID)
    w = _trapezoid_weights(r) * r ** 2
    re = se.wavefunctions(r)[:, 0, :]
    R0, R2 = sh.wavefunctions(r)
    R0, R2 = R0[:, 0, :], R2[:, 0, :]
    ne = np.sum(re ** 2 * w, axis=1)
    nh = np.sum((R0 ** 2 + R2 ** 2) * w, axis=1)
    k0 = np.sum(re * R0 * w, axis=1) / np.sqrt(ne * nh)
    w0 = np.sum(R0 ** 2 * w, axis=1) / nh
    w2 = np.sum(R2 ** 2 * w, axis=1) / nh
    # valence-band (lower-component) weight of the Kane electron, layer by layer
    ee = se.energies_eV[:, 0]
    inner = np.concatenate([np.zeros((radii.shape[0], 1)), radii[:, :-1]], axis=1)
    lower = np.zeros(radii.shape[0])
    u = np.linspace(0.0, 1.0, 1601)
    for j in range(radii.shape[1]):
        eps = np.maximum(ee - pr["v_e"][j], 0.0)
        x = inner[:, j:j + 1] + (radii[:, j:j + 1] - inner[:, j:j + 1]) * u
        rx = se.wavefunctions(x)[:, 0, :]
        drx = np.gradient(rx, axis=1) / np.gradient(x, axis=1)
        grad2 = np.trapezoid(drx ** 2 * x ** 2, x, axis=1) / ne
        lower += HBAR2_2M0 * _kane_lower_weight(eps, pr["gap"][j], pr["ep"][j], pr["so"][j],
                                                pr["m_e"][j]) * grad2
    s_weight = 1.0 / (1.0 + lower)
    e1 = ex["first_exciton_eV"]
    return {
        "energy_eV": e1,
        "overlap2": k0 ** 2,
        "hole_l0_weight": w0,
        "electron_s_weight": s_weight,
        "oscillator_strength": 4.0 / 3.0 * ep / e1 * k0 ** 2 * s_weight,
        "contact_nm3": np.sum(re ** 2 * R0 ** 2 * w, axis=1) / (ne * nh) / (4.0 * math.pi),
        "crystal_field_projection": w0 + CRYSTAL_FIELD_L2_FACTOR * w2,
        "kane_energy_eV": np.full(e1.shape, float(ep)),
    }


def dot_permittivity(eps_dot, material, energy_eV):
    r"""Permittivity of the dot material at photon energies (eV), for the local field.

    Parameters
    ----------
    eps_dot : None, float, complex or callable
        None: the record's high-frequency constant ``eps_inf`` (frequency independent);
        a number: that value; a callable: ``eps_dot(energy_eV)`` returning the (complex)
        bulk permittivity :math:`(n + ik)^2` at those energies (e.g. built from tabulated
        optical constants by the optics layer, which this layer does not import).
    material : Material
        The dot material (for ``eps_inf``).
    energy_eV : float or array_like
        Photon energies, eV.

    Returns
    -------
    ndarray (complex)
        :math:`\varepsilon_{dot}(E)`, broadcast to the shape of ``energy_eV``.

    Raises
    ------
    QdlabInputError
        A permittivity with a real part <= 0 or a negative imaginary part.

    Examples
    --------
    >>> from qdlab.materials import get_material
    >>> complex(dot_permittivity(None, get_material("CdSe"), 2.0))
    (6.2+0j)
    """
    e = np.asarray(energy_eV, dtype=float)
    if eps_dot is None:
        val = np.full(e.shape, complex(material.eps_inf))
    elif callable(eps_dot):
        val = np.asarray(eps_dot(e), dtype=complex) * np.ones(e.shape)
    else:
        val = np.full(e.shape, complex(eps_dot))
    if np.any(val.real <= 0) or np.any(val.imag < 0):
        raise QdlabInputError(f"eps_dot must have a real part > 0 and an imaginary part >= 0, "
                              f"got {val.ravel()[:3]}")
    return val


def local_field_factor2(eps_dot, n_medium):
    r"""Squared local-field factor :math:`|3\varepsilon_s/(\varepsilon_{dot}+2\varepsilon_s)|^2`.

    Parameters
    ----------
    eps_dot : float, complex or array_like
        Permittivity of the dot (complex allowed: :math:`(n + ik)^2`).
    n_medium : float
        Refractive index of the solvent, :math:`\varepsilon_s = n_s^2`.

    Returns
    -------
    float or ndarray
        :math:`|f_{LF}|^2` (dimensionless).

    Notes
    -----
    The field inside a small dielectric sphere in a uniform external field (Rayleigh;
    Ricard, Ghanassi & Schanne-Klein 1994; Hens & Moreels 2012).

    References
    ----------
    .. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012). Bibliography ``hens2012``.

    Examples
    --------
    >>> round(float(local_field_factor2(6.2, 1.5)), 4)
    0.398
    """
    check_positive(n_medium, "n_medium")
    es = float(n_medium) ** 2
    eps = np.asarray(eps_dot, dtype=complex)
    if np.any(eps.real <= 0) or np.any(eps.imag < 0):
        raise QdlabInputError(f"eps_dot must have a real part > 0 and an imaginary part >= 0, "
                              f"got {eps.ravel()[:3]}")
    out = np.abs(3.0 * es / (eps + 2.0 * es)) ** 2
    return float(out) if out.ndim == 0 else out


def integrated_cross_section_cm2_eV(oscillator_strength, eps_dot: float, n_medium: float):
    r"""Energy-integrated absorption cross section of a line, cm^2 eV.

    Parameters
    ----------
    oscillator_strength : float or array_like
        Absorption oscillator strength (polarisation averaged).
    eps_dot : float, complex or array_like
        Permittivity of the dot at the line (complex allowed; see
        :func:`dot_permittivity`).
    n_medium : float
        Refractive index of the solvent.

    Returns
    -------
    float or ndarray
        :math:`\int\sigma dE` in cm^2 eV.

    Notes
    -----
    :math:`\int\sigma dE = \frac{\pi e^2\hbar}{2\varepsilon_0 m_0 c}\frac{|f_{LF}|^2}{n_s}f`,
    :math:`f_{LF} = 3n_s^2/(\varepsilon_{dot} + 2n_s^2)`.

    References
    ----------
    Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012). Bibliography ``hens2012``.

    Examples
    --------
    >>> round(float(integrated_cross_section_cm2_eV(1.0, 1.0, 1.0)) * 1e16, 4)
    1.0975
    """
    flf2 = local_field_factor2(eps_dot, n_medium)
    pref = (math.pi * E_CHARGE ** 2 / (2.0 * EPS0 * M0_KG * C_NM_S * 1e-9)) * HBAR_EV_S * 1e4
    return pref * flf2 / n_medium * np.asarray(oscillator_strength)


def radiative_rate_s(energy_eV, oscillator_strength, n_medium: float, eps_dot: float):
    r"""Spontaneous emission rate (1/s) of a dipole of full oscillator strength f in a medium.

    Notes
    -----
    :math:`\Gamma = n|f_{LF}|^2e^2E^2f/(6\pi\varepsilon_0m_0c^3\hbar^2)`,
    :math:`f_{LF} = 3n^2/(\varepsilon_{dot} + 2n^2)` (the formula of
    :func:`qdlab.optics.transitions.radiative_rate`; kept here so that the electronic
    layer does not import the optics layer).

    References
    ----------
    R. Leistikow et al., Phys. Rev. B 79, 045301 (2009), eq. (2). Bibliography
    ``leistikow2009``.

    Examples
    --------
    >>> round(float(radiative_rate_s(2.0, 1.0, 1.0, 1.0)) / 1e7, 3)
    5.786
    """
    check_positive(energy_eV, "energy_eV", "eV")
    flf2 = local_field_factor2(eps_dot, n_medium)
    hbar = HBAR_EV_S * E_CHARGE
    c = C_NM_S * 1e-9
    e_j = np.asarray(energy_eV, dtype=float) * E_CHARGE
    return (n_medium * flf2 * E_CHARGE ** 2 * e_j ** 2 * np.asarray(oscillator_strength)
            / (6.0 * math.pi * EPS0 * M0_KG * c ** 3 * hbar ** 2))
