r"""The k.p levels report of one structure (``qdlab levels --model kp``).

:func:`qdlab.electronic.report.levels_report` (``model="kp"``, or ``"auto"`` where
:func:`qdlab.electronic.model_choice.resolve_model` picks k.p) calls:

* :func:`kp_not_applicable` -- why the k.p model does not apply to a structure (or None);
* :func:`kp_levels_report` -- the JSON-ready k.p report, with the ``qdlab levels --json``
  keys (``first_exciton_eV``, ``first_exciton_nm``) and ``model``.

The physics lives in the model modules of :mod:`qdlab.electronic.kp` (the Kang-Wise and
Luttinger solvers use :mod:`scipy.special`, imported when a k.p level is solved); this
module only routes a structure to them:

==========================  ===================================  ==========================
structure                   k.p model                            function
==========================  ===================================  ==========================
II-VI / III-V (core/shell)  Kane electron + 4x4 Luttinger hole   ``first_exciton_kp_batch``
PbS, PbSe, PbTe sphere      Kang-Wise four-band (L valleys)      ``lead_salt_levels``
CsPbX3 cube                 R-point two-band, strong/weak        ``perovskite_cube_levels``
CuCl sphere                 weakly confined exciton              ``weak_confinement_sphere_levels``
zinc-blende platelet        Kane electron + 6x6 lh/so along z    ``platelet_band_edge``
==========================  ===================================  ==========================

Platelets are solved by :func:`qdlab.electronic.report.levels_report` itself (the
quantum-well model takes the options of :data:`qdlab.electronic.model_choice.
PLATELET_MODEL_OPTIONS`); this module only says whether k.p applies to one.

References
----------
.. [1] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
.. [2] I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997).

Examples
--------
>>> from qdlab.structures import Sphere
>>> d = kp_levels_report(Sphere("CdSe", 4.0))
>>> d["model"], round(d["first_exciton_eV"], 3)
('kp', 2.096)
"""

from __future__ import annotations

import math

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError

__all__ = ["kp_levels_report", "kp_not_applicable", "kp_options"]

# registry names (qdlab.electronic.kp.KP_MODELS), spelt here so that importing this
# module does not import the solvers
_LAYERED = "kane3-luttinger4"
_LEAD = "kang_wise"
_PEROVSKITE = "perovskite_r_point"
_WEAK = "exciton_weak_confinement"
_WELL = "kane3-luttinger6-well"


def _registry():
    from qdlab.electronic.kp import KP_MODELS

    return KP_MODELS


def _what_applies() -> str:
    reg = _registry()
    return (f"spheres and core/shells of {', '.join(reg[_LAYERED].materials)}; bare spheres of "
            f"{', '.join(reg[_LEAD].materials + reg[_WEAK].materials)}; cubes of "
            f"{', '.join(reg[_PEROVSKITE].materials)}; zinc-blende platelets of "
            f"{', '.join(reg[_WELL].materials)}")


def _kp_model(structure):
    """(registry name, reason) of the k.p model of ``structure``; name None if none applies."""
    from qdlab.structures import SphericalStructure
    from qdlab.structures.shapes import Cube, Platelet

    reg = _registry()
    if isinstance(structure, SphericalStructure):
        names = [m.name for m in structure.materials]
        core = structure.materials[0]
        for key in (_LEAD, _WEAK):
            if core.name in reg[key].materials:
                if len(names) > 1:
                    return None, (f"the k.p model of {core.name} ({key}) is for bare spheres, "
                                  f"got {structure.label}")
                return key, None
        if core.name in reg[_PEROVSKITE].materials:
            return None, (f"the k.p model of {core.name} (perovskite_r_point) is for cubes "
                          "(shape cube)")
        missing = [n for n in names if n not in reg[_LAYERED].materials]
        if missing:
            return None, f"no k.p parameters for {', '.join(dict.fromkeys(missing))}"
        return _LAYERED, None
    if isinstance(structure, Cube):
        if structure.material.name in reg[_PEROVSKITE].materials:
            return _PEROVSKITE, None
        return None, (f"the k.p model of cubes is the perovskite R-point model, got "
                      f"{structure.material.name}")
    if isinstance(structure, Platelet):
        m = structure.material
        if m.name in reg[_WELL].materials and m.crystal_structure == "zincblende":
            return _WELL, None
        return None, (f"the k.p platelet model needs a zinc-blende record with Luttinger "
                      f"parameters, a Kane energy and the spin-orbit splitting, got "
                      f"{m.key} ({m.crystal_structure})")
    kind = type(structure).__name__.lower()
    return None, (f"the k.p models are for spheres, core/shells, perovskite cubes and "
                  f"platelets, got a {kind} (solved with the single-band 3D grid)")


def kp_not_applicable(structure) -> str | None:
    """Why the k.p model does not apply to ``structure`` (one line), or None if it does.

    Examples
    --------
    >>> from qdlab.structures import Sphere
    >>> kp_not_applicable(Sphere("CdSe", 4.0)) is None
    True
    >>> kp_not_applicable(Sphere("Si", 4.0)).startswith("no k.p parameters for Si")
    True
    """
    name, reason = _kp_model(structure)
    return None if name is not None else f"{reason} (k.p applies to {_what_applies()})"


def kp_options(structure) -> tuple[str, ...]:
    """Options of :func:`kp_levels_report` that apply to the k.p model of ``structure``."""
    name, _ = _kp_model(structure)
    if name == _LAYERED:
        return ("screening", "coulomb", "interface_width_nm", "dielectric", "profiles")
    if name == _LEAD:
        return ("coulomb",)
    return ()


def _refuse_medium(structure, kp_name: str, uses_eps: bool) -> None:
    """Refuse a medium whose barriers (or permittivity) the k.p model does not use."""
    from qdlab.structures import Medium

    med, ref = structure.medium, Medium()
    bad = [f for f in ("electron_barrier_eV", "hole_barrier_eV")
           + (() if uses_eps else ("dielectric_constant",))
           if getattr(med, f) != getattr(ref, f)]
    if bad:
        raise QdlabInputError(
            f"{bad[0]} does not apply to the k.p model {kp_name} (hard walls"
            + ("" if uses_eps else ", the record's permittivity")
            + f"), got {bad[0]}={getattr(med, bad[0])!r}; it applies to the single-band "
              "model and the Kane/Luttinger spheres")


def _header(structure, model_name: str) -> dict:
    from qdlab.structures import SphericalStructure

    m = structure.medium
    out = {"structure": getattr(structure, "label", repr(structure))}
    if isinstance(structure, SphericalStructure):
        out.update(radii_nm=list(structure.radii_nm),
                   outer_diameter_nm=structure.outer_diameter_nm)
    else:
        out["edge_nm"] = structure.edge_nm
    out.update(temperature_K=structure.temperature,
               medium={"name": m.name, "dielectric_constant": m.dielectric_constant,
                       "electron_barrier_eV": (m.electron_barrier_eV
                                               if math.isfinite(m.electron_barrier_eV) else None),
                       "hole_barrier_eV": (m.hole_barrier_eV
                                           if math.isfinite(m.hole_barrier_eV) else None)},
               model="kp", kp_model=model_name)
    return out


def kp_levels_report(structure, *, profiles: bool = False, **options) -> dict:
    r"""Levels and first exciton of ``structure`` from its k.p model, as a dict.

    Parameters
    ----------
    structure
        A Sphere/CoreShell of the Kane/Luttinger, lead-salt or CuCl materials, or a
        perovskite Cube (:func:`kp_not_applicable`).
    profiles : bool
        Layered II-VI/III-V spheres only: add ``profiles`` with ``r_nm``,
        ``electron_wavefunction`` (the Kane envelope) and ``hole_wavefunction``
        (:math:`\sqrt{R_0^2 + R_2^2}`, the radial amplitude of the spherical 1S_3/2
        density), both normalised to :math:`\int R^2 r^2 dr = 1` (nm^-3/2).
    **options
        :func:`kp_options`: ``screening``, ``coulomb``, ``interface_width_nm``,
        ``dielectric`` (``"mismatch"`` only) for layered spheres, ``coulomb`` for lead
        salts.  Anything else raises :class:`~qdlab.errors.QdlabInputError`.

    Returns
    -------
    dict
        ``first_exciton_eV``, ``first_exciton_nm``, ``model`` (``"kp"``), ``kp_model``
        (registry name), the structure, and per model: ``electron_levels`` /
        ``hole_levels`` (vacuum scale, eV, with ``confinement_eV``), ``coulomb_eV``,
        ``polarisation_eV``, ``overlap`` (layered spheres); confinement energies,
        ``coulomb_correction_eV`` and ``transitions`` (lead salts); ``regime`` (cubes,
        CuCl).

    Notes
    -----
    Layered spheres: :math:`E_1 = E_e(1S) + E_h(1S_{3/2}) - J + \Sigma_e + \Sigma_h`
    (:mod:`qdlab.electronic.kp.spherical`).  Lead salts: the lowest Kang-Wise pair
    :math:`E = E_g + \epsilon_e + \epsilon_h - J + \Sigma` (:mod:`~qdlab.electronic.kp.
    kang_wise`).  Cubes: :math:`\min(E_{strong}, E_{weak})`
    (:mod:`~qdlab.electronic.kp.perovskite`).

    References
    ----------
    .. [1] Al. L. Efros and M. Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000).
       Bibliography ``efros2000``.
    .. [2] I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997). Bibliography ``kang1997``.
    """
    name, reason = _kp_model(structure)
    if name is None:
        raise QdlabInputError(f"model 'kp' does not apply: {reason} (k.p applies to "
                              f"{_what_applies()})")
    allowed = kp_options(structure)
    given = dict(options, **({"profiles": profiles} if profiles else {}))
    for k, v in given.items():
        if k not in allowed:
            raise QdlabInputError(f"{k} does not apply to the k.p model {name} of "
                                  f"{getattr(structure, 'label', structure)!r} (it applies to "
                                  + (f"{', '.join(allowed)} there; " if allowed else "")
                                  + f"the single-band model: model 'single-band'), "
                                  f"got {k}={v!r}")
    if options.get("dielectric") not in (None, "mismatch"):
        raise QdlabInputError("dielectric must be 'mismatch' for the k.p model (its Coulomb "
                              "and self-polarisation terms include the image charges; "
                              "'uniform' is an option of model 'single-band'), got "
                              f"{options['dielectric']!r}")
    options.pop("dielectric", None)
    out = _header(structure, name)
    if name == _LAYERED:
        out.update(_layered(structure, profiles, **options))
    elif name == _LEAD:
        _refuse_medium(structure, name, uses_eps=True)
        out.update(_lead_salt(structure, **options))
    else:
        _refuse_medium(structure, name, uses_eps=False)
        out.update(_exciton(structure, name))
    out["first_exciton_nm"] = HC_EV_NM / out["first_exciton_eV"]
    return out


def _layered(structure, profiles: bool, **options) -> dict:
    from qdlab.electronic.kp.spherical import first_exciton_kp_batch, kp_profiles

    mats, t = structure.materials, structure.temperature
    res = first_exciton_kp_batch(mats, [list(structure.radii_nm)], structure.medium, t,
                                 **options)
    r = {k: float(v[0]) for k, v in res.items()}
    core = mats[0]
    cb, vb = float(core.conduction_band_edge(t)), float(core.valence_band_edge(t))
    from qdlab.electronic.sphere.alignment import alignment_from_levels

    pr = kp_profiles(mats, structure.medium, t)
    coupled = pr["coupled"]
    out = {
        "first_exciton_eV": r["first_exciton_eV"],
        "single_particle_gap_eV": r["single_particle_gap_eV"],
        "coulomb_eV": r["coulomb_eV"],
        "polarisation_eV": r["polarisation_electron_eV"] + r["polarisation_hole_eV"],
        "overlap": r["overlap"],
        "hole_l0_weight": r["hole_l0_weight"],
        "electron_in_core": r["electron_in_core"],
        "hole_in_core": r["hole_in_core"],
        "alignment": alignment_from_levels(pr["v_e"][:-1], r["electron_eV"], pr["v_h"][:-1],
                                           -r["hole_eV"]),
        "screening": options.get("screening", "high_frequency"),
        "dielectric": "mismatch",
        # the keys of the single-band levels; the hole's l is that of its L = 0 part
        "electron_levels": [{"label": "1S", "n": 1, "l": 0, "energy_eV": r["electron_eV"],
                             "confinement_eV": r["electron_eV"] - cb}],
        "hole_levels": [{"label": "1S3/2", "n": 1, "l": 0, "energy_eV": r["hole_eV"],
                         "confinement_eV": vb - r["hole_eV"]}],
    }
    if not all(coupled):
        out["single_band_hole_in"] = [m.key for m, c in zip(mats, coupled, strict=True)
                                      if not c]
    if profiles:
        out["profiles"] = _profiles(structure)
    return out


def _profiles(structure) -> dict:
    """Radial wavefunctions of the k.p ground states (see :func:`kp_levels_report`)."""
    from qdlab.electronic.kp.spherical import _ground_levels, kp_profiles
    from qdlab.electronic.sphere.exciton import MEDIUM_MASS, N_GRID, _tail_nm, _trapezoid_weights

    pr = kp_profiles(structure.materials, structure.medium, structure.temperature)
    rad = np.array([list(structure.radii_nm)])
    se, sh = _ground_levels(rad, pr, 0)
    tail = max(_tail_nm(pr["v_e"][-1] - np.min(pr["v_e"][:-1]), MEDIUM_MASS),
               _tail_nm(pr["v_h"][-1] - np.min(pr["v_h"][:-1]), MEDIUM_MASS))
    r = (rad[:, -1:] + tail) * np.linspace(0.0, 1.0, N_GRID)
    w = _trapezoid_weights(r) * r ** 2
    fe = se.wavefunctions(r)[:, 0, :]
    R0, R2 = sh.wavefunctions(r)
    fh = np.sqrt(R0[:, 0, :] ** 2 + R2[:, 0, :] ** 2)
    fe = fe * np.sign(fe[:, :1] if fe[0, 0] != 0 else 1.0)
    fe = fe / np.sqrt(np.sum(fe ** 2 * w, axis=1, keepdims=True))
    fh = fh / np.sqrt(np.sum(fh ** 2 * w, axis=1, keepdims=True))
    return {"r_nm": r[0], "electron_wavefunction": fe[0], "hole_wavefunction": fh[0]}


def _lead_salt(structure, **options) -> dict:
    from qdlab.electronic.kp.kang_wise import lead_salt_levels

    m = structure.materials[0]
    lv = lead_salt_levels(m, [structure.radii_nm[0]], structure.temperature,
                          eps_medium=structure.medium.dielectric_constant, **options)
    e = lv.energy_eV[0]
    keep = np.flatnonzero(np.isfinite(e))[:6]
    return {
        "first_exciton_eV": float(e[0]),
        "single_particle_gap_eV": float(m.band_gap(structure.temperature) + lv.electron_eV[0, 0]
                                        + lv.hole_eV[0, 0]),
        # E1 minus the pair gap: -J + Sigma_e + Sigma_h (< 0: to the red)
        "coulomb_correction_eV": float(-lv.coulomb_eV[0, 0]),
        "electron_levels": [{"label": "1S", "n": 1, "l": 0,
                             "confinement_eV": float(lv.electron_eV[0, 0])}],
        "hole_levels": [{"label": "1S", "n": 1, "l": 0,
                         "confinement_eV": float(lv.hole_eV[0, 0])}],
        "transitions": [{"energy_eV": float(e[i]), "n_e": int(lv.n_e[0, i]),
                         "n_h": int(lv.n_h[0, i]), "kappa": int(lv.kappa[0, i]),
                         "oscillator_strength": float(lv.oscillator_strength[0, i]),
                         "degeneracy": int(lv.degeneracy[0, i])} for i in keep],
    }


def _exciton(structure, name: str) -> dict:
    from qdlab.electronic.kp.perovskite import perovskite_cube_levels
    from qdlab.electronic.kp.weak import weak_confinement_sphere_levels

    t = structure.temperature
    if name == _PEROVSKITE:
        c = perovskite_cube_levels(structure.material, [structure.edge_nm], t)
        return {"first_exciton_eV": float(c["energy_eV"][0]),
                "strong_confinement_eV": float(c["strong_eV"][0]),
                "weak_confinement_eV": float(c["weak_eV"][0]),
                "regime": "weak" if c["regime"][0] else "strong",
                "oscillator_strength": float(c["oscillator_strength"][0])}
    c = weak_confinement_sphere_levels(structure.materials[0], [structure.radii_nm[0]], t)
    return {"first_exciton_eV": float(np.asarray(c["energy_eV"])[0]),
            "regime": "weak",
            "oscillator_strength": float(np.asarray(c["oscillator_strength"])[0])}
