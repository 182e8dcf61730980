r"""First exciton of layered spheres with multiband (k.p) carriers.

The electron is the conduction-band envelope of the three-band Kane model
(energy-dependent mass, :mod:`qdlab.electronic.kp.kane`); the hole is the
1S_3/2 state of the spherical 4x4 Luttinger Hamiltonian
(:mod:`qdlab.electronic.kp.luttinger`) with its L = 0 and L = 2 components.
The first excitonic transition (1S_e - 1S_3/2) is

.. math::

    E_1 = E_e(1S) + E_h(1S_{3/2}) - J_{eh} + \Sigma_e + \Sigma_h

on the vacuum scale of the band edges (so that the gap of the core is included),
with the direct Coulomb energy :math:`J_{eh}` and the self-polarisation energies
:math:`\Sigma` in first order, computed with the single-band model's integrals
(:func:`qdlab.electronic.sphere.coulomb.exciton_coulomb_terms`) from the
electron density :math:`R_e^2` and the hole density summed over its
components, :math:`R_0^2 + R_2^2` (the density of the fourfold 1S_3/2 level
averaged over :math:`F_z` is spherical).  The Kane electron envelope is
normalised to one (its valence-band admixture, a few per cent, is neglected in
the Coulomb terms).

Layer parameters: the band edges (vacuum scale), gaps and dielectric constants
of :func:`qdlab.electronic.sphere.exciton.band_profiles`; the Luttinger
parameters :math:`\gamma_1` and :math:`\bar\gamma = (2\gamma_2 + 3\gamma_3)/5`
of each material record (a record without them gets an uncoupled hole,
:math:`\gamma_1 = 1/m_h`, :math:`\bar\gamma = 0`: the single-band hole, flagged in
the output); the Kane energy and spin-orbit splitting of each record (two-band
Kane mass where the Kane energy is missing).  The medium is a free-electron-like
barrier (mass 1, no coupling).  Lead salts and lead-halide perovskites
(mirror-like bands) are not described by this model: use their own k.p models.

Known limitations
-----------------
* The ligand barrier is a free-electron-like region (mass 1, no band mixing),
  the same convention as the single-band model.  With a finite barrier the
  light-hole part of the 1S_3/2 state (mass :math:`1/(\gamma_1 + 2\bar\gamma)`,
  0.11 m0 in CdTe) leaks much more than the single-band 1S mass suggests: for
  a 2.34 nm CdTe dot the hole confinement is 0.38 eV (k.p) against 0.60 eV
  (single band with the exact hard-wall 1S_3/2 mass) and 1.17 eV with hard walls
  (both models agree there exactly).  The k.p first exciton is therefore
  sensitive to the barrier convention for materials with light light holes.
* No split-off band (4x4 Luttinger): wrong where the spin-orbit splitting is
  comparable to the hole confinement (CdS, 0.062 eV); the 1S_1/2 transition is
  absent.
* The three-band Kane mass with a negative remote-band term (narrow gaps: InAs,
  InSb) grows quickly above ~1 eV of kinetic energy; it is clipped where it
  leaves its domain (:mod:`qdlab.electronic.kp.kane`).
* Materials without Luttinger parameters (CdS, ZnS records) get the single-band
  hole (``coupled`` False in :func:`kp_profiles`).

References
----------
.. [1] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
.. [2] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993).
.. [3] D. J. Norris and M. G. Bawendi, Phys. Rev. B 53, 16338 (1996).
.. [4] L. E. Brus, J. Chem. Phys. 80, 4403 (1984).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qdlab.electronic.kp.kane import solve_kane_electrons
from qdlab.electronic.kp.luttinger import solve_luttinger_holes, spherical_gamma
from qdlab.electronic.sphere import coulomb as _coulomb
from qdlab.electronic.sphere.exciton import (
    MEDIUM_MASS,
    N_GRID,
    _tail_nm,
    _trapezoid_weights,
    band_profiles,
    layer_permittivities,
)
from qdlab.electronic.sphere.holes import has_mirror_bands
from qdlab.errors import QdlabInputError, check_positive
from qdlab.structures import Medium, SphericalStructure
from qdlab.structures.spheres import resolve_materials

__all__ = ["KP_EXCITON_KEYS", "first_exciton_kp", "first_exciton_kp_batch", "kp_profiles",
           "pair_transitions_kp"]

#: Per-structure results of :func:`first_exciton_kp_batch`.
KP_EXCITON_KEYS = ("first_exciton_eV", "single_particle_gap_eV", "electron_eV", "hole_eV",
                   "coulomb_eV", "polarisation_electron_eV", "polarisation_hole_eV",
                   "overlap", "hole_l0_weight", "electron_in_core", "hole_in_core")


def kp_profiles(materials: Sequence, medium: Medium, temperature_K: float) -> dict:
    r"""Layer-by-layer k.p parameters of a layered sphere (then the medium).

    Parameters
    ----------
    materials : sequence of str or Material
        Layer materials from the core outwards.
    medium : Medium
        Ligand/solvent barrier.
    temperature_K : float
        Temperature in K (sets the gaps).

    Returns
    -------
    dict of ndarray, each of length L + 1
        ``v_e`` (conduction-band edges, eV, vacuum scale), ``m_e`` (m0), ``gap``
        (eV, ``inf`` in the medium), ``ep`` (Kane energy, eV; NaN: two-band form),
        ``so`` (spin-orbit splitting, eV), ``v_h`` (minus the valence-band edges,
        eV), ``gamma1``, ``gamma`` (spherical), and ``coupled`` (bool per layer:
        Luttinger parameters known).

    Examples
    --------
    >>> p = kp_profiles(["CdSe", "CdS"], Medium(), 300.0)
    >>> p["gamma1"].tolist(), p["gamma"].round(3).tolist(), p["coupled"].tolist()
    ([2.04, 1.4285714285714286, 1.0], [0.58, 0.0, 0.0], [True, False])
    """
    mats = resolve_materials(materials)
    for m in mats:
        if has_mirror_bands(m):
            raise QdlabInputError(f"material {m.key} has mirror-like bands (lead salt or lead-"
                                  "halide perovskite): the Luttinger/Kane model of qdlab.electronic."
                                  "kp.spherical does not apply; use the lead-salt or perovskite "
                                  "k.p models")
    v_e, m_e, _, v_h, _, _ = band_profiles(mats, medium, temperature_K, False)
    gaps = np.array([m.conduction_band_edge(temperature_K) - m.valence_band_edge(temperature_K)
                     for m in mats])
    g1, g, coupled = [], [], []
    for m in mats:
        if m.luttinger is not None:
            a, b, c = m.luttinger
            g1.append(a)
            g.append(float(spherical_gamma(b, c)))
            coupled.append(True)
        else:
            g1.append(1.0 / float(m.hole_mass))
            g.append(0.0)
            coupled.append(False)
    ep = [m.kane_energy_eV if (m.kane_energy_eV and m.spin_orbit_eV is not None) else np.nan
          for m in mats]
    so = [m.spin_orbit_eV if m.spin_orbit_eV is not None else np.nan for m in mats]
    return {
        "v_e": v_e, "m_e": m_e,
        "gap": np.append(gaps, np.inf),
        "ep": np.append(np.array(ep, dtype=float), np.nan),
        "so": np.append(np.array(so, dtype=float), np.nan),
        "v_h": v_h,
        "gamma1": np.append(g1, 1.0 / MEDIUM_MASS),
        "gamma": np.append(g, 0.0),
        "coupled": np.array(coupled),
    }


def _check_radii(radii_nm, n_layers):
    radii = np.atleast_2d(np.asarray(radii_nm, dtype=float))
    if radii.ndim != 2 or radii.shape[1] != n_layers:
        raise QdlabInputError(f"radii_nm must have one column per layer ({n_layers}), "
                              f"got shape {radii.shape}")
    check_positive(radii, "radius", "nm")
    if np.any(np.diff(radii, axis=1) <= 0):
        raise QdlabInputError("radii_nm must increase from the core outwards "
                              "(every shell thickness > 0 nm)")
    return radii


def first_exciton_kp_batch(materials: Sequence, radii_nm, medium: Medium | None = None,
                           temperature_K: float = 300.0, *, screening: str = "high_frequency",
                           coulomb: bool = True,
                           interface_width_nm: float = _coulomb.DEFAULT_INTERFACE_WIDTH_NM,
                           chunk: int = 4096) -> dict:
    r"""First exciton (1S_e - 1S_3/2) of many layered spheres with multiband carriers.

    Parameters
    ----------
    materials : sequence of str or Material
        Layer materials from the core outwards (length ``L``).
    radii_nm : array_like, shape (N, L)
        Outer radius of each layer, nm (increasing along a row).
    medium : Medium, optional
        Surroundings (default: organic ligands).
    temperature_K : float
        Temperature in K (default 300).
    screening : {"high_frequency", "static"}
        Dielectric constants of the Coulomb terms (as the single-band model).
    coulomb : bool
        Include the first-order Coulomb and self-polarisation terms.
    interface_width_nm : float
        Smoothing of the image potential at dielectric interfaces, nm.
    chunk : int
        Structures per vectorised block.

    Returns
    -------
    dict of ndarray, shape (N,)
        :data:`KP_EXCITON_KEYS`: energies in eV (``electron_eV`` and ``hole_eV`` are
        the level energies on the vacuum scale), ``overlap`` (the magnitude of the optical overlap
        :math:`\int R_e R_0 r^2 dr` of the electron with the L = 0 hole component),
        ``hole_l0_weight`` (:math:`\int R_0^2 r^2 dr`), core probabilities.

    Notes
    -----
    :math:`E_1 = E_e + E_h - J_{eh} + \Sigma_e + \Sigma_h` (module notes).

    References
    ----------
    .. [1] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
       Bibliography ``efros2000``.
    .. [2] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993). Bibliography ``ekimov1993``.

    Examples
    --------
    >>> out = first_exciton_kp_batch(["CdSe"], [[1.5], [2.0], [2.5]])
    >>> out["first_exciton_eV"].round(3)
    array([2.295, 2.096, 1.984])
    """
    mats = resolve_materials(materials)
    if not mats:
        raise QdlabInputError("materials must name at least one layer, got none")
    medium = medium if medium is not None else Medium()
    check_positive(temperature_K, "temperature_K", "K")
    radii = _check_radii(radii_nm, len(mats))
    if isinstance(chunk, bool) or int(chunk) != chunk or chunk < 1:
        raise QdlabInputError(f"chunk must be an integer >= 1, got {chunk!r}")
    pr = kp_profiles(mats, medium, float(temperature_K))
    eps = layer_permittivities(mats, screening)
    n = radii.shape[0]
    out = {k: np.empty(n) for k in KP_EXCITON_KEYS}
    tail = max(_tail_nm(pr["v_e"][-1] - np.min(pr["v_e"][:-1]), MEDIUM_MASS),
               _tail_nm(pr["v_h"][-1] - np.min(pr["v_h"][:-1]), MEDIUM_MASS))
    for start in range(0, n, int(chunk)):
        sl = slice(start, min(start + int(chunk), n))
        block = _block(radii[sl], pr, tail, eps, medium, coulomb, interface_width_nm, start)
        for k in KP_EXCITON_KEYS:
            out[k][sl] = block[k]
    return out


def _ground_levels(rad, pr, offset):
    nb = rad.shape[0]

    def t(a):
        return np.broadcast_to(a, (nb, a.size))

    se = solve_kane_electrons(rad, t(pr["v_e"]), t(pr["m_e"]), t(pr["gap"]), t(pr["ep"]),
                              t(pr["so"]))
    sh = solve_luttinger_holes(rad, t(pr["v_h"]), t(pr["gamma1"]), t(pr["gamma"]))
    for name, sol in (("electron", se), ("hole", sh)):
        if not np.all(sol.bound[:, 0]):
            i = int(np.argmin(sol.bound[:, 0]))
            raise QdlabInputError(f"no bound {name} state for structure {offset + i} "
                                  f"(radii {rad[i].tolist()} nm)")
    return se, sh


def _block(rad, pr, tail, eps, medium, coulomb, interface_width_nm, offset):
    nb = rad.shape[0]
    se, sh = _ground_levels(rad, pr, offset)
    ee = se.energies_eV[:, 0]
    eh = sh.energies_eV[:, 0]
    gap = ee + eh
    r_grid = (rad[:, -1:] + tail) * np.linspace(0.0, 1.0, N_GRID)
    wf_e = se.wavefunctions(r_grid)[:, 0, :]
    R0, R2 = sh.wavefunctions(r_grid)
    R0, R2 = R0[:, 0, :], R2[:, 0, :]
    rho_h = R0 ** 2 + R2 ** 2
    w = _trapezoid_weights(r_grid) * r_grid ** 2
    core = r_grid <= rad[:, :1]
    if coulomb:
        keep = np.append(eps[1:] != eps[:-1], True)
        terms = _coulomb.exciton_coulomb_terms(
            r_grid, wf_e ** 2, rho_h, rad[:, keep],
            np.broadcast_to(eps[keep], (nb, int(keep.sum()))),
            medium.dielectric_constant, interface_width_nm=interface_width_nm)
        j = np.asarray(terms.coulomb_eV)
        pe = np.asarray(terms.polarisation_e_eV)
        ph = np.asarray(terms.polarisation_h_eV)
    else:
        j = pe = ph = np.zeros(nb)
    norm_h = np.sum(rho_h * w, axis=1)
    return {
        "first_exciton_eV": gap - j + pe + ph,
        "single_particle_gap_eV": gap,
        "electron_eV": ee,
        "hole_eV": -eh,
        "coulomb_eV": j,
        "polarisation_electron_eV": pe,
        "polarisation_hole_eV": ph,
        "overlap": np.abs(np.sum(wf_e * R0 * w, axis=1)) / np.sqrt(norm_h),
        "hole_l0_weight": np.sum(R0 ** 2 * w, axis=1) / norm_h,
        "electron_in_core": np.sum(np.where(core, wf_e ** 2, 0.0) * w, axis=1),
        "hole_in_core": np.sum(np.where(core, rho_h, 0.0) * w, axis=1) / norm_h,
    }


def first_exciton_kp(structure_or_batch, temperature_K: float | None = None, **options):
    r"""First exciton of a layered sphere (or a batch) with multiband k.p carriers, in eV.

    Parameters
    ----------
    structure_or_batch : SphericalStructure or tuple
        A :class:`~qdlab.structures.Sphere` / :class:`~qdlab.structures.CoreShell`,
        or a tuple ``(materials, radii_nm)`` (optionally ``(materials, radii_nm,
        medium)``) with ``radii_nm`` of shape (N, L) in nm.
    temperature_K : float, optional
        Temperature in K; default: the structure's temperature, 300 K for a batch.
    **options
        ``screening``, ``coulomb``, ``interface_width_nm``, ``chunk`` as in
        :func:`first_exciton_kp_batch`; any other name raises
        :class:`~qdlab.errors.QdlabInputError`.

    Returns
    -------
    float or dict
        For a structure: the first exciton in eV.  For a batch: the dict of
        :func:`first_exciton_kp_batch`.

    Notes
    -----
    :math:`E_1 = E_e(1S) + E_h(1S_{3/2}) - J_{eh} + \Sigma_e + \Sigma_h`
    (module notes).

    References
    ----------
    .. [1] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
       Bibliography ``efros2000``.

    Examples
    --------
    >>> from qdlab.structures import Sphere
    >>> round(first_exciton_kp(Sphere("CdSe", 4.0)), 3)
    2.096
    >>> out = first_exciton_kp((["CdSe", "CdS"], [[1.5, 2.5]]))
    >>> bool(out["first_exciton_eV"][0] < 2.295)
    True
    """
    unknown = sorted(set(options) - {"screening", "coulomb", "interface_width_nm", "chunk"})
    if unknown:
        raise QdlabInputError(f"first_exciton_kp does not take {', '.join(unknown)} (options: "
                              "screening, coulomb, interface_width_nm, chunk)")
    if isinstance(structure_or_batch, SphericalStructure):
        st = structure_or_batch
        t = st.temperature if temperature_K is None else temperature_K
        out = first_exciton_kp_batch(st.materials, [list(st.radii_nm)], st.medium, t, **options)
        return float(out["first_exciton_eV"][0])
    if isinstance(structure_or_batch, tuple) and len(structure_or_batch) in (2, 3):
        mats, radii = structure_or_batch[:2]
        medium = structure_or_batch[2] if len(structure_or_batch) == 3 else None
        t = 300.0 if temperature_K is None else temperature_K
        return first_exciton_kp_batch(mats, radii, medium, t, **options)
    raise QdlabInputError("structure_or_batch must be a Sphere/CoreShell or a tuple "
                          f"(materials, radii_nm[, medium]), got {type(structure_or_batch).__name__}")


def pair_transitions_kp(materials: Sequence, radii_nm, medium: Medium | None = None,
                        temperature_K: float = 300.0, n_states: int = 3) -> dict:
    r"""Single-particle pair energies of the lowest allowed interband transitions (k.p carriers).

    Electron levels nS_e (l = 0) and nP_e (l = 1) of the three-band Kane model,
    hole levels nS_3/2 and nP_3/2 of the spherical 4x4 Luttinger model; a
    transition is dipole-allowed (in the envelope approximation) when the electron
    angular momentum equals the orbital momentum of the lower hole component
    (S_e with S_3/2 through L = 0, P_e with P_3/2 through L = 1), with the strength
    :math:`|\int R_e R_{h,l} r^2 dr|^2`.

    Parameters
    ----------
    materials : sequence of str or Material
        Layer materials from the core outwards.
    radii_nm : array_like, shape (N, L)
        Outer radii of the layers, nm.
    medium : Medium, optional
        Surroundings (default: organic ligands).
    temperature_K : float
        Temperature in K.
    n_states : int
        Levels per series (electron S and P, hole S_3/2 and P_3/2), default 3.

    Returns
    -------
    dict
        ``labels`` (list of str such as ``"1S_e-1S3/2"``), ``energies_eV`` (N, n_pairs):
        :math:`E_e + E_h` on the vacuum scale, i.e. gap plus both confinement energies,
        **without** Coulomb terms, and ``overlap2`` (N, n_pairs), the squared radial
        overlaps.  NaN where a level is not bound.

    Notes
    -----
    Transition :math:`E = E_g + \varepsilon_e + \varepsilon_h`; the 1S_e-1S_3/2 entry is
    the single-particle gap of :func:`first_exciton_kp_batch`.  The Coulomb energy
    (0.1-0.3 eV, nearly the same for the low transitions) is left out, as are the
    split-off (1S_1/2) states, which need the 6x6 model.  These are the transitions
    assigned by Norris & Bawendi (1996) for CdSe; their measured energies are not in
    the repository.

    References
    ----------
    .. [1] D. J. Norris and M. G. Bawendi, Phys. Rev. B 53, 16338 (1996).
       Bibliography ``norris1996``.
    .. [2] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
       Bibliography ``efros2000``.

    Examples
    --------
    >>> out = pair_transitions_kp(["CdSe"], [[2.0]], n_states=2)
    >>> out["labels"][:3]
    ['1S_e-1S3/2', '1S_e-2S3/2', '1P_e-1P3/2']
    >>> bool(out["energies_eV"][0, 0] < out["energies_eV"][0, 1])
    True
    """
    mats = resolve_materials(materials)
    medium = medium if medium is not None else Medium()
    check_positive(temperature_K, "temperature_K", "K")
    radii = _check_radii(radii_nm, len(mats))
    if isinstance(n_states, bool) or int(n_states) != n_states or n_states < 1:
        raise QdlabInputError(f"n_states must be an integer >= 1, got {n_states!r}")
    n_states = int(n_states)
    pr = kp_profiles(mats, medium, float(temperature_K))
    nb = radii.shape[0]

    def t(a):
        return np.broadcast_to(a, (nb, a.size))

    tail = max(_tail_nm(pr["v_e"][-1] - np.min(pr["v_e"][:-1]), MEDIUM_MASS),
               _tail_nm(pr["v_h"][-1] - np.min(pr["v_h"][:-1]), MEDIUM_MASS))
    r_grid = (radii[:, -1:] + tail) * np.linspace(0.0, 1.0, N_GRID)
    w = _trapezoid_weights(r_grid) * r_grid ** 2
    labels, energies, overlaps = [], [], []
    for l, letter, hstate in ((0, "S", "S3/2"), (1, "P", "P3/2")):
        se = solve_kane_electrons(radii, t(pr["v_e"]), t(pr["m_e"]), t(pr["gap"]), t(pr["ep"]),
                                  t(pr["so"]), l=l, n_states=n_states)
        sh = solve_luttinger_holes(radii, t(pr["v_h"]), t(pr["gamma1"]), t(pr["gamma"]),
                                   n_states=n_states, state=hstate)
        we = se.wavefunctions(r_grid)
        wl, _ = sh.wavefunctions(r_grid)
        for ie in range(n_states):
            for ih in range(n_states):
                labels.append(f"{ie + 1}{letter}_e-{ih + 1}{hstate}")
                energies.append(se.energies_eV[:, ie] + sh.energies_eV[:, ih])
                overlaps.append(np.sum(we[:, ie] * wl[:, ih] * w, axis=1) ** 2)
    E = np.stack(energies, axis=1)
    order = np.argsort(np.nanmean(np.where(np.isfinite(E), E, np.inf), axis=0), kind="stable")
    return {"labels": [labels[i] for i in order], "energies_eV": E[:, order],
            "overlap2": np.stack(overlaps, axis=1)[:, order]}
