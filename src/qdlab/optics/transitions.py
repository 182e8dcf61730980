r"""Optical transitions of spherical nanocrystals: energies, oscillator strengths, lifetimes.

From the exact single-band states of a layered sphere
(:func:`qdlab.electronic.sphere.radial.solve_radial`) this module builds the
electron-hole pair transitions ``n_e l(e) - n_h l(h)``, their energies with the
first-order Coulomb and self-polarisation corrections
(:mod:`qdlab.electronic.sphere.coulomb`), their oscillator strengths from the envelope
overlap and the Kane energy, and the radiative lifetime of the band-edge
exciton including the local-field factor of the medium.

Model
-----
*Selection rule.*  In the envelope-function approximation the interband dipole
matrix element factorises into the Bloch part (Kane's :math:`P`) and the overlap
of the electron and hole envelopes :math:`R_e(r)Y_{lm}` and
:math:`R_h(r)Y_{l'm'}`; it is non-zero only for :math:`l=l'`, :math:`m=m'`
(Efros & Efros 1982; Ekimov et al. 1993).  Every pair with equal ``l`` is listed;
pairs with :math:`n_e \ne n_h` have small (but, with finite barriers and
different masses, non-zero) overlaps.

*Energy.*  :math:`E = E_e + E_h - J + \Sigma_e + \Sigma_h` with the single-
particle energies measured across the gap and the first-order Coulomb terms
evaluated with the radial densities of that pair (monopole part of :math:`J`,
exact for s states, the spherical average otherwise).

*Oscillator strength* (absorption, unpolarised light, summed over the
degenerate pair states):

.. math::

    f = C_B\,\frac{E_P}{E}\,|K|^2\,(2l+1), \qquad K = \int_0^\infty R_e R_h r^2 dr,
    \qquad C_B = \tfrac{4}{3},

with :math:`E_P = 2P^2/m_0` the Kane energy of the core material
(``Material.kane_energy_eV``).  :math:`C_B` is the Bloch/spin factor of the
:math:`J=3/2` (heavy + light hole) valence band: summed over the two electron
spins and the four :math:`J=3/2` hole states,
:math:`\sum |\langle c|\hat e\cdot\mathbf p|v\rangle|^2 = \tfrac{4}{3}P^2` for any
polarisation :math:`\hat e` (the same sum that gives the :math:`2E_P/(3E_g)`
term of Kane's electron mass), so :math:`f = 2\cdot\tfrac43P^2|K|^2/(m_0E)`.

*Radiative lifetime* of a transition with oscillator strength :math:`f_{em}`
in a medium of refractive index :math:`n`, local-field factor
:math:`f_{LF} = 3\varepsilon_m/(\varepsilon_{dot} + 2\varepsilon_m)`:

.. math::

    \frac{1}{\tau} = \frac{n\,|f_{LF}|^2 e^2 E^2 f_{em}}
                          {6\pi\varepsilon_0 m_0 c^3 \hbar^2}

(the classical radiation damping rate :math:`e^2\omega^2/(6\pi\varepsilon_0 m_0c^3)`
of an electron oscillator, times :math:`n f_{LF}^2 f`; e.g. Leistikow et al. 2009,
eq. 2; Efros & Rosen 2000).  At room temperature the ``g = 8(2l+1)`` states of the
lowest pair (2 electron spins x 4 hole states) are taken as equally populated, so
the emission oscillator strength per state is :math:`f_{em} = 3 f/g` (the factor 3
converts the polarisation-averaged absorption strength to the full dipole).

Known limitations
-----------------
Single-band envelope functions: the valence-band mixing of the real
:math:`1S_{3/2}` hole (s + d components) reduces :math:`|K|^2` to about 0.5-0.7
(Ekimov 1993) and is not included, nor are the split-off (:math:`1S_{1/2}`)
transitions or the exciton fine structure (dark :math:`\pm 2` ground state,
Efros et al. 1996).  The band-edge oscillator strength is therefore an upper
bound: the ensemble 1S molar extinction comes out 1.5-3x the Jasieniak 2009
calibration (3-5 nm CdSe), fits of measured spectra give a band-edge scale of
0.3-0.5, and the room-temperature lifetime of CdSe (6-7 ns for 3-5 nm) is about 3x
shorter than the ~20 ns measured; the thermal population of the dark states, ignored
here, accounts for only 3-35 % of that.  The k.p treatment (valence-band mixing, Kane admixture, Efros fine
structure; :mod:`qdlab.electronic.kp.band_edge`, :mod:`qdlab.electronic.kp.lifetimes`,
:mod:`qdlab.electronic.kp.extinction`) lowers the strength by 15-20 % only and gives
a lifetime of ~9 ns: most of the gap to the measurements is not band mixing.
Higher hole states (``2S``, ``1P``) use the band-edge hole mass and are only
indicative.  The Bloch factor 4/3 is that of zinc-blende / wurtzite materials
(S-like conduction band, J=3/2 valence band); lead salts and perovskites have
other band-edge symmetries and valley degeneracies: bare cores of those are routed to
the k.p models of :mod:`qdlab.electronic.kp.optics` (Kang-Wise spheres, R-point
cubes), and indirect-gap cores are refused.  A direct-gap material without a
measured ``kane_energy_eV`` (CdS, ZnO) uses the lower-bound estimate from its
electron mass (:func:`qdlab.electronic.kp.kane.optical_kane_energy`), with a
:class:`~qdlab.errors.QdlabValidityWarning`.

References
----------
.. [1] Al. L. Efros and A. L. Efros, Sov. Phys. Semicond. 16, 772 (1982).
.. [2] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993).
.. [3] Al. L. Efros, M. Rosen, M. Kuno, M. Nirmal, D. J. Norris, M. Bawendi,
   Phys. Rev. B 54, 4843 (1996).
.. [4] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
.. [5] R. Leistikow, J. Johansen, A. J. Kettelarij, P. Lodahl, W. L. Vos,
   Phys. Rev. B 79, 045301 (2009).
.. [6] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957).

Examples
--------
>>> from qdlab.structures import Sphere
>>> tr = transitions(Sphere("CdSe", 4.0), n_transitions=4)
>>> tr[0].label, round(tr[0].energy_eV, 2), round(tr[0].oscillator_strength, 1)
('1S(e)-1S(h)', 2.12, 10.3)
>>> from qdlab.optics.band_edge_lifetime import radiative_lifetime
>>> tau = radiative_lifetime(Sphere("CdSe", 4.0))
>>> 3e-9 < tau < 1.5e-8
True
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qdlab.constants import C_NM_S, E_CHARGE, EPS0, HBAR_EV_S, HC_EV_NM, M0_KG
from qdlab.electronic import coulomb as _coulomb
from qdlab.electronic.sphere.exciton import band_profiles, layer_permittivities, orbital_letter
from qdlab.electronic.sphere.radial import solve_radial
from qdlab.errors import QdlabInputError, QdlabValidityWarning, check_positive
from qdlab.structures import Medium, SphericalStructure
from qdlab.structures.spheres import resolve_materials

__all__ = [
    "BLOCH_FACTOR",
    "Transition",
    "absorption_prefactor_cm2_eV",
    "local_field_factor",
    "radiative_rate",
    "transitions",
    "transitions_batch",
]

#: Bloch/spin factor C_B of the J=3/2 valence band (see module notes).
BLOCH_FACTOR: float = 4.0 / 3.0
#: Degeneracy of the Bloch part of an S-like electron / J=3/2 hole pair (2 x 4).
BLOCH_DEGENERACY: int = 8
_N_GRID = 401


def local_field_factor(eps_dot, eps_medium):
    r"""Local-field factor :math:`f_{LF} = 3\varepsilon_m / (\varepsilon_{dot} + 2\varepsilon_m)`.

    Parameters
    ----------
    eps_dot : complex or array_like
        Relative permittivity of the nanocrystal at the optical frequency.
    eps_medium : float or array_like
        Relative permittivity of the medium at the same frequency (:math:`n^2`).

    Returns
    -------
    complex or ndarray
        Ratio of the field inside a small sphere to the applied field.

    See Also
    --------
    absorption_prefactor_cm2_eV, radiative_rate

    References
    ----------
    .. [1] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
       Bibliography ``efros2000``.
    .. [2] R. Leistikow, J. Johansen, A. J. Kettelarij, P. Lodahl, W. L. Vos, Phys. Rev. B
       79, 045301 (2009). Bibliography ``leistikow2009``.

    Examples
    --------
    >>> round(float(abs(local_field_factor(6.2, 2.25))), 4)
    0.6308
    """
    return 3.0 * np.asarray(eps_medium) / (np.asarray(eps_dot) + 2.0 * np.asarray(eps_medium))


def absorption_prefactor_cm2_eV() -> float:
    r"""Integrated absorption cross-section of an oscillator with f = 1 in vacuum, cm^2 eV.

    :math:`\int\sigma\,dE = \frac{\pi e^2\hbar}{2\varepsilon_0 m_0 c} f`; in a medium of
    index :math:`n_s` multiply by :math:`|f_{LF}|^2/n_s` (Hens & Moreels 2012).

    See Also
    --------
    local_field_factor, radiative_rate

    References
    ----------
    .. [1] R. Leistikow, J. Johansen, A. J. Kettelarij, P. Lodahl, W. L. Vos, Phys. Rev. B
       79, 045301 (2009). Bibliography ``leistikow2009``.
    .. [2] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012). Bibliography ``hens2012``.

    Examples
    --------
    >>> round(absorption_prefactor_cm2_eV() * 1e16, 4)
    1.0975
    """
    c_m_s = C_NM_S * 1e-9
    sigma_omega = math.pi * E_CHARGE**2 / (2.0 * EPS0 * M0_KG * c_m_s)  # m^2 / s
    return sigma_omega * HBAR_EV_S * 1e4


def radiative_rate(energy_eV, oscillator_strength, n_medium, eps_dot):
    r"""Spontaneous emission rate (1/s) of an emitter in a dielectric medium.

    Parameters
    ----------
    energy_eV : float or array_like
        Photon energy in eV.
    oscillator_strength : float or array_like
        Emission oscillator strength of the emitting state (dimensionless, full dipole).
    n_medium : float
        Refractive index of the medium.
    eps_dot : float
        Relative permittivity of the nanocrystal at the emission frequency.

    Returns
    -------
    float or ndarray
        Rate in 1/s.

    Notes
    -----
    .. math:: \Gamma = \frac{n |f_{LF}|^2 e^2 E^2 f}{6\pi\varepsilon_0 m_0 c^3\hbar^2},
       \qquad f_{LF} = \frac{3 n^2}{\varepsilon_{dot} + 2 n^2}

    References
    ----------
    R. Leistikow et al., Phys. Rev. B 79, 045301 (2009), eq. (2). Bibliography
    ``leistikow2009``.

    Examples
    --------
    A classical electron oscillator (f = 1) at 2 eV in vacuum radiates at
    :math:`e^2\omega^2/(6\pi\varepsilon_0 m_0 c^3)`:

    >>> round(radiative_rate(2.0, 1.0, 1.0, 1.0) / 1e7, 3)
    5.786
    """
    check_positive(energy_eV, "energy_eV", "eV")
    check_positive(n_medium, "n_medium")
    e_j = np.asarray(energy_eV, dtype=float) * E_CHARGE
    hbar = HBAR_EV_S * E_CHARGE
    c = C_NM_S * 1e-9
    flf2 = np.abs(local_field_factor(eps_dot, n_medium**2)) ** 2
    rate = (n_medium * flf2 * E_CHARGE**2 * e_j**2 * np.asarray(oscillator_strength)
            / (6.0 * math.pi * EPS0 * M0_KG * c**3 * hbar**2))
    return float(rate) if np.ndim(rate) == 0 else rate


@dataclass(frozen=True)
class Transition:
    """One electron-hole pair transition of a spherical nanocrystal.

    Attributes
    ----------
    n_e, n_h, l : int
        Radial quantum numbers of electron and hole, common angular momentum.
    energy_eV : float
        Transition energy including the Coulomb terms, eV.
    oscillator_strength : float
        Absorption oscillator strength (unpolarised light, summed over the
        ``degeneracy`` pair states), dimensionless.
    overlap : float
        Envelope overlap integral :math:`K` (dimensionless).
    coulomb_eV : float
        Total first-order correction :math:`-J + \\Sigma_e + \\Sigma_h`, eV.
    degeneracy : int
        Number of pair states ``8 (2l+1)``.
    """

    n_e: int
    n_h: int
    l: int  # noqa: E741
    energy_eV: float
    oscillator_strength: float
    overlap: float
    coulomb_eV: float
    degeneracy: int

    @property
    def label(self) -> str:
        """Spectroscopic label, e.g. ``"1S(e)-1S(h)"``."""
        letter = orbital_letter(self.l)
        return f"{self.n_e}{letter}(e)-{self.n_h}{letter}(h)"

    @property
    def wavelength_nm(self) -> float:
        """Transition wavelength, nm."""
        return HC_EV_NM / self.energy_eV

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {"label": self.label, "n_e": self.n_e, "n_h": self.n_h, "l": self.l,
                "energy_eV": self.energy_eV, "wavelength_nm": self.wavelength_nm,
                "oscillator_strength": self.oscillator_strength, "overlap": self.overlap,
                "coulomb_eV": self.coulomb_eV, "degeneracy": self.degeneracy}


def _trap_w(r):
    w = np.zeros_like(r)
    d = np.diff(r)
    w[:-1] += d / 2
    w[1:] += d / 2
    return w


def _batch_inputs(materials, medium, radii_nm, n_transitions, n_radial, l_max):
    """Checked (materials, medium, radii (N, L) in nm) of :func:`transitions_batch`."""
    mats = resolve_materials(materials)
    medium = medium if medium is not None else Medium()
    radii = np.atleast_2d(np.asarray(radii_nm, dtype=float))
    if radii.ndim != 2 or radii.shape[1] != len(mats):
        raise QdlabInputError(f"radii_nm must have shape (N, {len(mats)}), got {radii.shape}")
    check_positive(radii, "radius", "nm")
    for name, v in (("n_transitions", n_transitions), ("n_radial", n_radial)):
        if int(v) != v or v < 1:
            raise QdlabInputError(f"{name} must be an integer >= 1, got {v}")
    if int(l_max) != l_max or l_max < 0:
        raise QdlabInputError(f"l_max must be an integer >= 0, got {l_max}")
    return mats, medium, radii


def _pair_coulomb_eV(r, we, wh, w, bound, radii, eps, medium):
    """First-order electron-hole Coulomb + image energy (eV) of every bound pair (N, ne, nh)."""
    # densities renormalised on the finite grid (weakly bound states leak
    # slightly beyond it; the overlap above uses the exact normalisation)
    pe = we**2 / np.maximum(np.einsum("nim,m->ni", we**2, w), 1e-30)[..., None]
    ph = wh**2 / np.maximum(np.einsum("nim,m->ni", wh**2, w), 1e-30)[..., None]
    pe = pe[:, :, None, :]
    ph = ph[:, None, :, :]
    ok = bound.copy()
    corr = np.zeros(bound.shape)
    if ok.any():
        terms = _coulomb.exciton_coulomb_terms(
            r, np.broadcast_to(pe, bound.shape + (r.size,))[ok],
            np.broadcast_to(ph, bound.shape + (r.size,))[ok],
            np.broadcast_to(radii[:, None, None, :], bound.shape + radii.shape[1:])[ok],
            np.broadcast_to(eps, bound.shape + eps.shape)[ok],
            medium.dielectric_constant)
        corr[ok] = np.asarray(terms.total_eV)
    return corr


#: Defaults of the single-band options of :func:`transitions_batch`.
SINGLE_BAND_DEFAULTS = {"l_max": 3, "n_radial": 3, "nonparabolic": True,
                        "screening": "high_frequency", "coulomb": True}


def transitions_batch(materials: Sequence, radii_nm, medium: Medium | None = None,
                      temperature: float = 300.0, *, n_transitions: int = 10,
                      l_max: int | None = None, n_radial: int | None = None,
                      nonparabolic: bool | None = None, screening: str | None = None,
                      coulomb: bool | None = None) -> dict:
    r"""Lowest optical transitions of many layered spheres with the same materials.

    Vectorised over structures: each angular momentum ``l <= l_max`` is one call of
    the radial solver for electrons and one for holes, with ``n_radial`` states each.

    Parameters
    ----------
    materials : sequence of str or Material
        Layer materials from the core outwards (length L).
    radii_nm : array_like, shape (N, L)
        Outer radius of each layer, nm.
    medium : Medium, optional
        Surroundings (default organic ligands).
    temperature : float
        Temperature in K.
    n_transitions : int
        Number of transitions kept per structure (lowest energies), >= 1.
    l_max, n_radial : int, optional
        Highest angular momentum and radial states per ``l`` and carrier (default 3, 3).
    nonparabolic, screening, coulomb : optional
        As in :func:`qdlab.electronic.sphere.exciton.solve_sphere` (defaults
        :data:`SINGLE_BAND_DEFAULTS`).  These options belong to the single-band path:
        for a core that takes the k.p optics (lead salts, perovskite cubes) giving any
        of them raises :class:`~qdlab.errors.QdlabInputError` (never ignored).

    Returns
    -------
    dict of ndarray, each shape (N, n_transitions)
        ``energy_eV``, ``oscillator_strength``, ``overlap``, ``coulomb_eV``,
        ``n_e``, ``n_h``, ``l`` (int), ``degeneracy`` (int).  Energies are sorted
        ascending; pairs with an unbound state are never listed (if fewer than
        ``n_transitions`` pairs are bound, the rest hold ``inf`` energy and zero
        strength).

    See Also
    --------
    transitions : the same for one structure, as Transition objects.

    Notes
    -----
    See the module docstring for :math:`E` and :math:`f = \tfrac43 (E_P/E)|K|^2(2l+1)`.
    :math:`E_P` is the core material's Kane energy.

    References
    ----------
    .. [1] Al. L. Efros and A. L. Efros, Sov. Phys. Semicond. 16, 772 (1982).
       Bibliography ``efros1982``.
    .. [2] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993). Bibliography ``ekimov1993``.
    .. [3] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.

    Examples
    --------
    >>> import numpy as np
    >>> out = transitions_batch(["CdSe"], np.array([[1.5], [2.0], [2.5]]), n_transitions=3)
    >>> out["energy_eV"].shape
    (3, 3)
    >>> bool(np.all(np.diff(out["energy_eV"][:, 0]) < 0))   # bigger dot, redder
    True
    """
    given = {k: v for k, v in (("l_max", l_max), ("n_radial", n_radial),
                               ("nonparabolic", nonparabolic), ("screening", screening),
                               ("coulomb", coulomb)) if v is not None}
    opts = {**SINGLE_BAND_DEFAULTS, **given}
    l_max, n_radial, nonparabolic, screening, coulomb = (
        opts["l_max"], opts["n_radial"], opts["nonparabolic"], opts["screening"],
        opts["coulomb"])
    mats, medium, radii = _batch_inputs(materials, medium, radii_nm, n_transitions, n_radial,
                                        l_max)
    # --- k.p dispatch: lead-salt spheres and perovskite cubes use the k.p levels of
    # qdlab.electronic.kp; indirect-gap cores are refused (no phonon-assisted absorption
    # model).  Everything below is the single-band path.
    from qdlab.electronic.kp.optics import check_direct_gap, kp_transitions_batch, uses_kp

    check_direct_gap(mats)
    if uses_kp(mats):
        if given:
            raise QdlabInputError(
                f"{', '.join(sorted(given))} do{'es' if len(given) == 1 else ''} not apply "
                f"to the k.p optics of {mats[0].name}: "
                f"{'it is an option' if len(given) == 1 else 'they are options'} of the "
                "single-band transitions")
        return kp_transitions_batch(mats, radii, medium, temperature,
                                    n_transitions=n_transitions)
    from qdlab.electronic.kp.kane import optical_kane_energy

    ep, derived = optical_kane_energy(mats[0], temperature)
    if derived:
        warnings.warn(f"{mats[0].name} has no measured Kane energy: its oscillator strengths "
                      f"use E_p = {ep:.2f} eV from the electron mass (remote bands neglected, "
                      "a lower bound; 1.1-1.6x low where E_p is known), so absolute "
                      "extinction and rates are lower bounds", QdlabValidityWarning,
                      stacklevel=2)
    v_e, m_e, g_e, v_h, m_h, g_h = band_profiles(mats, medium, temperature, nonparabolic)
    eps = layer_permittivities(mats, screening)
    n = radii.shape[0]
    r_out = float(radii[:, -1].max())
    r = np.linspace(0.0, r_out + 1.5, _N_GRID)
    w = _trap_w(r) * r**2

    def tile(p):
        return None if p is None else np.broadcast_to(p, (n, p.size))

    cols = {k: [] for k in ("energy_eV", "oscillator_strength", "overlap", "coulomb_eV",
                            "n_e", "n_h", "l")}
    ii, jj = np.meshgrid(np.arange(n_radial), np.arange(n_radial), indexing="ij")
    for l in range(int(l_max) + 1):  # noqa: E741
        se = solve_radial(radii, tile(v_e), tile(m_e), l=l, n_states=n_radial, gap_eV=tile(g_e))
        sh = solve_radial(radii, tile(v_h), tile(m_h), l=l, n_states=n_radial, gap_eV=tile(g_h))
        we = np.nan_to_num(se.wavefunctions(r))  # (N, n, M)
        wh = np.nan_to_num(sh.wavefunctions(r))
        ov = np.einsum("nim,njm,m->nij", we, wh, w)  # (N, ne, nh)
        e_sp = se.energies_eV[:, :, None] + sh.energies_eV[:, None, :]
        bound = se.bound[:, :, None] & sh.bound[:, None, :]
        corr = (_pair_coulomb_eV(r, we, wh, w, bound, radii, eps, medium) if coulomb
                else np.zeros(bound.shape))
        e = np.where(bound, e_sp + corr, np.inf)
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.where(bound, BLOCH_FACTOR * ep / e * ov**2 * (2 * l + 1), 0.0)
        cols["energy_eV"].append(e.reshape(n, -1))
        cols["oscillator_strength"].append(f.reshape(n, -1))
        cols["overlap"].append(np.where(bound, ov, 0.0).reshape(n, -1))
        cols["coulomb_eV"].append(np.where(bound, corr, 0.0).reshape(n, -1))
        cols["n_e"].append(np.broadcast_to(ii + 1, (n,) + ii.shape).reshape(n, -1))
        cols["n_h"].append(np.broadcast_to(jj + 1, (n,) + jj.shape).reshape(n, -1))
        cols["l"].append(np.full((n, ii.size), l))
    allc = {k: np.concatenate(v, axis=1) for k, v in cols.items()}
    if not np.all(np.isfinite(allc["energy_eV"][:, 0]) | np.isfinite(allc["energy_eV"]).any(1)):
        raise QdlabInputError("no bound electron-hole pair for some structure; increase the "
                              "size or the medium barriers")
    order = np.argsort(allc["energy_eV"], axis=1, kind="stable")[:, :int(n_transitions)]
    out = {k: np.take_along_axis(v, order, axis=1) for k, v in allc.items()}
    if not np.all(np.isfinite(out["energy_eV"][:, 0])):
        i = int(np.argmin(np.isfinite(out["energy_eV"][:, 0])))
        raise QdlabInputError(f"no bound electron-hole pair for structure {i} "
                              f"(radii {radii[i].tolist()} nm)")
    out["degeneracy"] = BLOCH_DEGENERACY * (2 * out["l"] + 1)
    return out


def transitions(structure: SphericalStructure, n_transitions: int = 10, **kwargs) -> list:
    """Lowest optical transitions of one spherical nanocrystal.

    Parameters
    ----------
    structure : SphericalStructure
        A :class:`~qdlab.structures.Sphere` or :class:`~qdlab.structures.CoreShell`.
    n_transitions : int
        How many (lowest-energy) transitions to return.
    **kwargs
        Passed to :func:`transitions_batch` (``l_max``, ``n_radial``, ``screening`` ...).

    Returns
    -------
    list of Transition
        Sorted by energy (eV).

    See Also
    --------
    transitions_batch : many structures at once; radiative_lifetime

    References
    ----------
    .. [1] Al. L. Efros and A. L. Efros, Sov. Phys. Semicond. 16, 772 (1982).
       Bibliography ``efros1982``.
    .. [2] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993). Bibliography ``ekimov1993``.
    .. [3] E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957). Bibliography ``kane1957``.

    Examples
    --------
    >>> from qdlab.structures import Sphere
    >>> [t.label for t in transitions(Sphere("CdSe", 5.0), 3)]
    ['1S(e)-1S(h)', '1S(e)-2S(h)', '1P(e)-1P(h)']
    """
    if not isinstance(structure, SphericalStructure):
        raise QdlabInputError("structure must be a Sphere or CoreShell, got "
                              f"{type(structure).__name__}")
    out = transitions_batch(structure.materials, np.array([structure.radii_nm]),
                            structure.medium, structure.temperature,
                            n_transitions=n_transitions, **kwargs)
    res = []
    for k in range(out["energy_eV"].shape[1]):
        if not np.isfinite(out["energy_eV"][0, k]):
            break
        res.append(Transition(int(out["n_e"][0, k]), int(out["n_h"][0, k]),
                              int(out["l"][0, k]), float(out["energy_eV"][0, k]),
                              float(out["oscillator_strength"][0, k]),
                              float(out["overlap"][0, k]), float(out["coulomb_eV"][0, k]),
                              int(out["degeneracy"][0, k])))
    return res


_MOVED = ("multiexciton_radiative_lifetime_ns", "radiative_lifetime", "radiative_lifetime_model")


def __getattr__(name):
    # the band-edge lifetimes live in qdlab.optics.band_edge_lifetime (which imports this
    # module); the old import path keeps working
    if name in _MOVED:
        from qdlab.optics import band_edge_lifetime

        return getattr(band_edge_lifetime, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
