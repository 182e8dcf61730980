r"""Higher interband transitions of k.p spheres, with the split-off band for the F = 1/2 holes.

Hole states of the spherical Luttinger model are labelled by the total angular
momentum F = L + J and parity: the F = 3/2 series (nS_3/2, nP_3/2) come from the 4x4
solver of :mod:`qdlab.electronic.kp.luttinger`, the F = 1/2 series (nS_1/2, nP_1/2,
light hole coupled to the split-off band) from :mod:`qdlab.electronic.kp.split_off`
(whose notes give the equations).

Oscillator strengths (absorption, polarisation averaged, summed over the pair states;
envelope selection rule: the electron l equals the L of the hole component, Bloch
sums :math:`\sum_{q,\sigma}|\langle 1q\,\tfrac12\sigma|J\mu\rangle|^2 = 1` per hole
substate, no lh/so interference after summation):

.. math::

    f = \frac{2F+1}{3}\frac{E_P}{E}\sum_J K_J^2,\qquad
    K_J = \int R_e R_{L=l,J}\,r^2dr,

i.e. :math:`\tfrac43(E_P/E)K_0^2` for nS_e-nS_3/2, :math:`\tfrac23(E_P/E)K_{so}^2` for
nS_e-nS_1/2, :math:`\tfrac43(E_P/E)K_1^2` for nP_e-nP_3/2 and
:math:`\tfrac23(E_P/E)K^2` for nP_e-nP_1/2 (K with the normalised :math:`j_1(kr)`).

Ladder (:func:`transition_ladder_kp`): electrons 1S_e, 2S_e, 1P_e of the three-band
Kane model (real barrier); holes with an infinite barrier, as in Ekimov et al. 1993
and Norris & Bawendi 1996; energies relative to the 1S_e-1S_3/2 pair, added to the
k.p first exciton (:func:`qdlab.electronic.kp.spherical.first_exciton_kp_batch`).
The Coulomb energy is taken equal for all pairs (differences of 10-30 meV are
neglected); the 4x4 F = 3/2 and F = 5/2 states omit their split-off admixture
(nP_5/2 from :func:`qdlab.electronic.kp.helicity.hard_wall_hole_levels`, strength
:math:`2(E_P/E)K_1^2`).

Measured data: the PLE transition energies of Norris & Bawendi (1996) and the
absorption assignments of Ekimov et al. (1993) are published in figures and tables
that could not be read from a verifiable source in this work; no measured higher
transitions are in the repository, so the ladder is not validated against data.

References
----------
.. [1] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993).
.. [2] D. J. Norris and M. G. Bawendi, Phys. Rev. B 53, 16338 (1996).
.. [3] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
.. [4] A. Baldereschi and N. O. Lipari, Phys. Rev. B 9, 1525 (1974) (spherical model
   with spin-orbit coupling).

Examples
--------
The split-off (F = 1/2) hole levels are in :mod:`qdlab.electronic.kp.split_off`; the
ladder of this module: :func:`transition_ladder_kp`.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.special import spherical_jn

from qdlab.electronic.kp.split_off import _GRID, p_half_levels, split_off_s_levels
from qdlab.errors import QdlabInputError, check_positive

__all__ = ["band_edge_manifold", "format_kp_transitions", "kp_transitions_vs_size",
           "ladder_rows",
           "p_half_levels", "split_off_s_levels", "transition_ladder_kp"]

def _overlap(re, rh, r):
    return float(np.trapezoid(re * rh * r * r, r))


def _monopole_coulomb_eV(rho_e, rho_h, r, eps: float) -> float:
    r"""Direct electron-hole attraction of two radial densities (monopole part), eV.

    :math:`J = rac{e^2}{4\piarepsilon_0arepsilon}\int
ho_h(r)V_e(r)r^2dr`,
    :math:`V_e(r) = rac1r\int_0^r
ho_e r'^2dr' + \int_r^a
ho_e r'dr'` (both densities
    normalised to :math:`\int
ho r^2dr = 1`; the multipoles average out over the
    (2F+1) substates of a level).
    """
    from scipy.integrate import cumulative_trapezoid

    from qdlab.constants import COULOMB_EV_NM

    pe = rho_e / np.trapezoid(rho_e * r * r, r)
    ph = rho_h / np.trapezoid(rho_h * r * r, r)
    inner = cumulative_trapezoid(pe * r * r, r, initial=0.0)
    outer_rev = cumulative_trapezoid((pe * r)[::-1], r[::-1], initial=0.0)[::-1]
    v = np.where(r > 0, inner / np.where(r > 0, r, 1.0), 0.0) - outer_rev
    v[0] = -outer_rev[0]
    return float(COULOMB_EV_NM / eps * np.trapezoid(ph * v * r * r, r))


def transition_ladder_kp(material, diameter_nm: float, *, medium=None,
                         temperature_K: float = 300.0, n_holes: int = 3,
                         _with_pairs: bool = False) -> list[dict]:
    r"""Allowed interband transitions of a bare k.p sphere, ordered by energy.

    Parameters
    ----------
    material : str or Material
        Core material with Luttinger parameters, Kane energy and spin-orbit splitting.
    diameter_nm : float
        Diameter, nm.
    medium : Medium, optional
        Surroundings (electron barrier and first exciton).
    temperature_K : float
        K.
    n_holes : int
        Hole levels per series (nS_3/2, nS_1/2, nP_3/2, nP_1/2, nP_5/2), 1..4 (default 3).

    Returns
    -------
    list of dict
        One per transition: ``label`` (e.g. ``"1S_e-1S1/2"``), ``electron``, ``hole``,
        ``pair_eV`` (single-particle pair energy minus that of 1S_e-1S3/2, eV),
        ``energy_eV`` (k.p first exciton + ``pair_eV``), ``oscillator_strength``
        (module notes), ``hole_eV`` (hard-wall hole confinement energy),
        ``coulomb_eV`` (direct electron-hole attraction of the pair, monopole part with
        the dot's static permittivity, eV; not added to ``energy_eV``).

    Notes
    -----
    :math:`E_n = E_1 + (\varepsilon_{e,n} + \varepsilon_{h,n}) - (\varepsilon_{1S_e} +
    \varepsilon_{1S_{3/2}})`; :math:`f = \frac{2F+1}{3}\frac{E_P}{E_n}\sum_J K_J^2`.

    References
    ----------
    .. [1] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993). Bibliography ``ekimov1993``.
    .. [2] D. J. Norris and M. G. Bawendi, Phys. Rev. B 53, 16338 (1996).
       Bibliography ``norris1996``.

    Examples
    --------
    >>> rows = transition_ladder_kp("CdSe", 4.0)
    >>> rows[0]["label"], rows[0]["pair_eV"]
    ('1S_e-1S3/2', 0.0)
    """
    from qdlab.electronic.kp.kane import solve_kane_electrons
    from qdlab.electronic.kp.luttinger import solve_luttinger_holes, spherical_gamma
    from qdlab.electronic.kp.spherical import first_exciton_kp_batch, kp_profiles
    from qdlab.materials import get_material
    from qdlab.structures import Medium

    m = get_material(material) if isinstance(material, str) else material
    if m.luttinger is None or not m.kane_energy_eV or m.spin_orbit_eV is None:
        raise QdlabInputError(f"material {m.key} needs Luttinger parameters, a Kane energy and "
                              "a spin-orbit splitting for the k.p transition ladder")
    check_positive(diameter_nm, "diameter_nm", "nm")
    if isinstance(n_holes, bool) or int(n_holes) != n_holes or not 1 <= n_holes <= 4:
        raise QdlabInputError(f"n_holes must be an integer in 1..4, got {n_holes!r}")
    medium = medium if medium is not None else Medium()
    a = float(diameter_nm) / 2.0
    g1 = float(m.luttinger[0])
    g = float(spherical_gamma(m.luttinger[1], m.luttinger[2]))
    D, ep = float(m.spin_orbit_eV), float(m.kane_energy_eV)
    pr = kp_profiles([m], medium, float(temperature_K))
    e1 = float(first_exciton_kp_batch([m], [[a]], medium, float(temperature_K))
               ["first_exciton_eV"][0])
    r = np.linspace(0.0, a, _GRID)
    rad = np.array([[a]])

    def t(v):
        return np.asarray(v)[None, :]

    elec = {}
    for l, names in ((0, ("1S_e", "2S_e")), (1, ("1P_e",))):
        se = solve_kane_electrons(rad, t(pr["v_e"]), t(pr["m_e"]), t(pr["gap"]), t(pr["ep"]),
                                  t(pr["so"]), l=l, n_states=len(names))
        wf = se.wavefunctions(r)[0]
        for i, nm in enumerate(names):
            elec[nm] = (float(se.energies_eV[0, i]), wf[i], l)
    holes = []   # (name, energy, l, 2F+1, [components coupling to l])
    dens = {}    # hole name -> radial density of all its components
    for state, l in (("S3/2", 0), ("P3/2", 1)):
        sh = solve_luttinger_holes(rad, [0.0, np.inf], [g1, 1.0], [g, 0.0], n_states=n_holes,
                                   state=state)
        low, up = sh.wavefunctions(r)
        for i in range(n_holes):
            holes.append((f"{i + 1}{state}", float(sh.energies_eV[0, i]), l, 4, [low[0, i]]))
            dens[holes[-1][0]] = low[0, i] ** 2 + up[0, i] ** 2
    from qdlab.electronic.kp.helicity import hard_wall_hole_levels

    p52 = hard_wall_hole_levels(a, g1, g, 2.5, 1, n_states=n_holes)
    r1, r3 = p52["components"](r)
    for i in range(n_holes):
        holes.append((f"{i + 1}P5/2", float(p52["energies_eV"][i]), 1, 6, [r1[i]]))
        dens[holes[-1][0]] = r1[i] ** 2 + r3[i] ** 2
    so = split_off_s_levels(a, g1, g, D, n_states=n_holes)
    rso, rlh2 = so["components"](r)
    for i in range(n_holes):
        holes.append((f"{i + 1}S1/2", float(so["energies_eV"][i]), 0, 2, [rso[i]]))
        dens[holes[-1][0]] = rso[i] ** 2 + rlh2[i] ** 2
    ph = p_half_levels(a, g1, g, D, n_states=n_holes)
    for i in range(n_holes):
        j1 = spherical_jn(1, ph["k_per_nm"][i] * r)
        j1 = j1 / math.sqrt(np.trapezoid(j1 * j1 * r * r, r))
        holes.append((f"{i + 1}P1/2", float(ph["lh_eV"][i]), 1, 2, [j1]))
        dens[holes[-1][0]] = j1 ** 2
        if ph["so_eV"][i] < ph["lh_eV"][0] + 1.5:
            holes.append((f"{i + 1}P1/2(so)", float(ph["so_eV"][i]), 1, 2, [j1]))
            dens[holes[-1][0]] = j1 ** 2
    base = elec["1S_e"][0] + holes[0][1]
    rows = []
    for en, (ee, we, le) in elec.items():
        for hn, eh, lh, deg, comps in holes:
            if lh != le:
                continue
            k2 = sum(_overlap(we, c, r) ** 2 for c in comps)
            pair = ee + eh - base
            e = e1 + pair
            rows.append({"label": f"{en}-{hn}", "electron": en, "hole": hn,
                         "pair_eV": round(pair, 12), "energy_eV": e,
                         "oscillator_strength": deg / 3.0 * ep / e * k2, "hole_eV": eh,
                         "coulomb_eV": _monopole_coulomb_eV(we ** 2, dens[hn], r,
                                                            float(m.eps_static))})
    rows.sort(key=lambda x: x["pair_eV"])
    if not _with_pairs:
        return rows
    we0 = elec["1S_e"][1]
    pairs = [{"hole": hn, "hole_eV": eh, "degeneracy": 2 * deg,
              "coulomb_eV": _monopole_coulomb_eV(we0 ** 2, dens[hn], r, float(m.eps_static))}
             for hn, eh, lh, deg, comps in holes]
    return rows, pairs


@lru_cache(maxsize=512)
def _ladder_default_medium(key: str, diameter_nm: float, temperature_K: float, n_holes: int):
    from qdlab.materials import get_material

    rows, pairs = transition_ladder_kp(get_material(key), diameter_nm,
                                       temperature_K=temperature_K, n_holes=n_holes,
                                       _with_pairs=True)
    return (tuple(tuple(r.items()) for r in rows), tuple(tuple(p.items()) for p in pairs))


def _ladder(material, diameter_nm: float, medium, temperature_K: float, n_holes: int):
    """(rows, 1S_e pairs) of the ladder, memoised for database materials, default medium."""
    from qdlab.materials import get_material

    m = get_material(material) if isinstance(material, str) else material
    try:
        same = get_material(m.key) == m
    except QdlabInputError:   # not a database record: solve directly
        same = False
    if medium is not None or not same:
        return transition_ladder_kp(m, diameter_nm, medium=medium, temperature_K=temperature_K,
                                    n_holes=n_holes, _with_pairs=True)
    rows, pairs = _ladder_default_medium(m.key, float(diameter_nm), float(temperature_K),
                                         int(n_holes))
    return [dict(r) for r in rows], [dict(p) for p in pairs]


def ladder_rows(material, diameter_nm: float, *, medium=None, temperature_K: float = 300.0,
                n_holes: int = 2) -> list[dict]:
    """:func:`transition_ladder_kp`, memoised for database materials in the default medium.

    The ladder is a pure function of its arguments; the band-edge manifold, the
    lifetimes and the extinction peaks ask for the same (material, diameter) several
    times, so those calls share one solve (fresh dicts are returned every time).

    Examples
    --------
    >>> ladder_rows("CdSe", 4.0)[0]["label"]
    '1S_e-1S3/2'
    """
    return _ladder(material, diameter_nm, medium, temperature_K, n_holes)[0]


def band_edge_manifold(material, diameter_nm: float, *, medium=None,
                       temperature_K: float = 300.0, max_above_eV: float = 0.3,
                       n_holes: int = 2) -> list[dict]:
    r"""Pair levels 1S_e x (every hole level) within ``max_above_eV`` of the band edge.

    The states that share the thermal population of the band-edge exciton at room
    temperature: the lowest electron level 1S_e with each hole level of the ladder
    (nS_3/2, nP_3/2, nP_5/2, nS_1/2, nP_1/2).  A pair with an odd (P) hole is dark in
    the envelope approximation (parity); an S hole is bright through its L = 0 component.

    Parameters
    ----------
    material : str or Material
        Core material (as :func:`transition_ladder_kp`).
    diameter_nm : float
        Diameter, nm.
    medium : Medium, optional
        Surroundings.
    temperature_K : float
        K.
    max_above_eV : float
        Keep pair levels at most this far above 1S_e-1S_3/2 (eV, default 0.3, i.e.
        :math:`e^{-11.6}` at 300 K).
    n_holes : int
        Hole levels per series passed to :func:`transition_ladder_kp` (default 2).

    Returns
    -------
    list of dict
        Ascending in energy, the first being 1S_e-1S_3/2: ``label``, ``hole``,
        ``above_eV`` (pair energy above 1S_e-1S_3/2 with the difference of the direct
        Coulomb attraction, eV),
        ``energy_eV`` (first exciton + ``above_eV``), ``degeneracy``
        (:math:`2(2F+1)` pair states), ``oscillator_strength`` (absorption, summed over
        the pair states; 0 for a dark pair), ``bright`` (bool), ``coulomb_eV`` (direct
        attraction of the pair, eV).

    Notes
    -----
    :math:`E_h` are the hard-wall hole levels of :func:`transition_ladder_kp`; the
    pair energy above the edge is :math:`E_h - E_{1S_{3/2}} - (J_h - J_{1S_{3/2}})` with
    the direct attraction :math:`J_h = \frac{e^2}{4\pi\varepsilon_0\varepsilon_s}
    \int\rho_h V_e r^2dr` of the 1S_e density and the hole's radial density (all its
    components; monopole part, the same static permittivity for every pair, so the
    self-polarisation and exchange terms common to the manifold cancel).  A P hole is
    bound less than 1S_3/2 (by 6-12 meV at 2.5-7 nm in CdSe), which lifts the dark
    levels.  Absorption strength
    :math:`f = \frac{2F+1}{3}\frac{E_P}{E}K_0^2` of an S hole (ladder notes); a
    state of the pair level emits with the full-dipole strength :math:`3f/g`,
    :math:`g = 2(2F+1)`.

    References
    ----------
    .. [1] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
       Bibliography ``efros2000``.
    .. [2] A. F. van Driel et al., Phys. Rev. Lett. 95, 236804 (2005) (thermally
       populated dark states lower the room-temperature emission rate).
       Bibliography ``vandriel2005``.

    Examples
    --------
    >>> lv = band_edge_manifold("CdSe", 5.0)
    >>> lv[0]["label"], lv[1]["hole"], lv[1]["bright"]
    ('1S_e-1S3/2', '1P3/2', False)
    """
    check_positive(max_above_eV, "max_above_eV", "eV")
    rows, pairs = _ladder(material, diameter_nm, medium, temperature_K, n_holes)
    e1 = rows[0]["energy_eV"]
    ref = pairs[0]
    strength = {r["hole"]: r["oscillator_strength"] for r in rows if r["electron"] == "1S_e"}
    out = []
    for p in pairs:
        above = (p["hole_eV"] - ref["hole_eV"]) - (p["coulomb_eV"] - ref["coulomb_eV"])
        if above > max_above_eV:
            continue
        f = float(strength.get(p["hole"], 0.0))
        out.append({"label": f"1S_e-{p['hole']}", "hole": p["hole"], "above_eV": float(above),
                    "energy_eV": float(e1 + above), "degeneracy": int(p["degeneracy"]),
                    "oscillator_strength": f, "bright": f > 0.0,
                    "coulomb_eV": float(p["coulomb_eV"])})
    out.sort(key=lambda x: x["above_eV"])
    return out


def kp_transitions_vs_size(material="CdSe", diameters_nm=(2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0),
                           *, min_strength: float = 0.5, **options) -> list[dict]:
    r"""The k.p transition ladder against the first-exciton energy (Norris & Bawendi's axes).

    Parameters
    ----------
    material : str or Material
        Core material (default CdSe).
    diameters_nm : sequence of float
        Diameters, nm.
    min_strength : float
        Keep transitions with an oscillator strength of at least this (default 0.5).
    **options
        Passed to :func:`transition_ladder_kp`.

    Returns
    -------
    list of dict
        One row per (diameter, kept transition): ``diameter_nm``, ``first_exciton_eV``,
        ``label``, ``energy_eV``, ``above_first_eV``, ``oscillator_strength``, and
        ``measured_eV`` (None: no measured higher transitions are in the repository;
        see the module notes).

    References
    ----------
    .. [1] D. J. Norris and M. G. Bawendi, Phys. Rev. B 53, 16338 (1996). Bibliography ``norris1996``.
    .. [2] A. I. Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993). Bibliography ``ekimov1993``.
    .. [3] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000). Bibliography ``efros2000``.

    Examples
    --------
    >>> rows = kp_transitions_vs_size("CdSe", (4.0,))
    >>> rows[0]["label"], rows[0]["measured_eV"]
    ('1S_e-1S3/2', None)
    """
    check_positive(min_strength + 1.0, "min_strength + 1")
    rows = []
    for d in diameters_nm:
        lad = transition_ladder_kp(material, float(d), **options)
        e1 = lad[0]["energy_eV"]
        for t in lad:
            if t["oscillator_strength"] >= min_strength:
                rows.append({"diameter_nm": float(d), "first_exciton_eV": e1,
                             "label": t["label"], "energy_eV": t["energy_eV"],
                             "above_first_eV": t["energy_eV"] - e1,
                             "oscillator_strength": t["oscillator_strength"],
                             "measured_eV": None})
    return rows


def format_kp_transitions(rows=None) -> str:
    """Plain-text table of :func:`kp_transitions_vs_size` (one line per diameter)."""
    rows = kp_transitions_vs_size() if rows is None else rows
    out = ["CdSe k.p transitions (f >= 0.5) vs first exciton; hard-wall holes, 6x6 for F = 1/2; "
           "no measured higher transitions in the repository (Norris & Bawendi 1996 not "
           "obtained)", "entries: label energy_eV (f)"]
    by_d: dict = {}
    for r in rows:
        by_d.setdefault(r["diameter_nm"], []).append(r)
    for d, rs in by_d.items():
        out.append(f"d = {d:.1f} nm, E1 = {rs[0]['first_exciton_eV']:.3f} eV")
        out.append("   " + "; ".join(f"{r['label']} {r['energy_eV']:.3f} "
                                      f"({r['oscillator_strength']:.1f})" for r in rs))
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(format_kp_transitions())
