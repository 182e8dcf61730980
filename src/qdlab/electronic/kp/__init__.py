"""Multiband k.p models.

:data:`KP_MODELS` is the registry of the k.p models (name -> model function, reference,
materials it applies to, geometry), so that a router (``solve(..., model="kp")``) can
dispatch:

* ``"kane3-luttinger4"`` -- II-VI and III-V layered spheres: three-band Kane electron
  (energy-dependent mass, :mod:`qdlab.electronic.kp.kane`), spherical 4x4 Luttinger
  hole (:mod:`qdlab.electronic.kp.luttinger`), first-order Coulomb and
  self-polarisation (:mod:`qdlab.electronic.kp.spherical`).
* ``"kang_wise"`` -- four-band isotropic envelope model of lead-salt spheres
  (:mod:`qdlab.electronic.kp.kang_wise`), PbS, PbSe, PbTe.
* ``"perovskite_r_point"`` -- R-point two-band model of CsPbX3 cubes with the
  strong/weak confinement interpolation (:mod:`qdlab.electronic.kp.perovskite`).
* ``"exciton_weak_confinement"`` -- centre-of-mass confined exciton with a Kayanuma
  dead layer for CuCl spheres (:mod:`qdlab.electronic.kp.weak`; two-band Bloch factor).
* ``"kane3-luttinger6-well"`` -- zinc-blende [001] nanoplatelets as quantum wells:
  three-band Kane electron, hole subbands of the 6x6 Luttinger-Kohn well (light hole
  mixed with the split-off band), the exciton on the in-plane subband dispersions in
  the Rytova-Keldysh potential, image self-energies
  (:mod:`qdlab.electronic.anisotropy.platelets`,
  :mod:`qdlab.electronic.anisotropy.well_subbands`).

Modules
-------
luttinger
    :func:`solve_luttinger_holes`: spherical 4x4 Luttinger holes (1S_3/2, 2S_3/2,
    1P_3/2 ...) of layered spheres, vectorised transfer with multiband interface
    conditions; :func:`ekimov_phi`.
kane
    :func:`solve_kane_electrons`: three-band Kane energy-dependent electron mass.
spherical
    :func:`first_exciton_kp`, :func:`first_exciton_kp_batch`,
    :func:`pair_transitions_kp`: the k.p first exciton and transition ladder.
kang_wise, perovskite, weak, optics
    Lead salts, perovskite cubes, weakly confined excitons, and their transitions for
    the ensemble optics (:mod:`qdlab.electronic.kp.optics`).
validation, validate
    :func:`validate_kp` (II-VI first exciton against measured sizing relations) and the
    lead-salt / perovskite tables (``python -m qdlab.electronic.kp.validate``).
band_edge
    :func:`~qdlab.electronic.kp.band_edge.kp_band_edge`: 1S_e-1S_3/2 oscillator strength
    (L = 0 hole overlap, Kane valence admixture), contact density, crystal-field projection.
lifetimes
    :func:`~qdlab.electronic.kp.lifetimes.kp_radiative_lifetime` (thermal average over the
    Efros fine structure and the dark 1S_e-1P hole levels of
    :func:`~qdlab.electronic.kp.transitions.band_edge_manifold`) and
    :func:`~qdlab.electronic.kp.lifetimes.validate_kp_lifetimes`
    (``python -m qdlab.electronic.kp.lifetimes``).
extinction
    :func:`~qdlab.electronic.kp.extinction.validate_kp_extinction` (band-edge peak of every
    k.p line, :func:`~qdlab.electronic.kp.extinction.band_edge_peak_extinction`, against
    Jasieniak 2009 / Yu 2003) and the Leatherdale 2002 350 nm row of
    :func:`qdlab.sizing.extinction_validation.validate_extinction` (bulk-like part)
    (``python -m qdlab.electronic.kp.extinction``).
transitions
    6x6 (light-hole / split-off) F = 1/2 holes, :func:`~qdlab.electronic.kp.transitions.
    transition_ladder_kp` and :func:`~qdlab.electronic.kp.transitions.kp_transitions_vs_size`
    (``python -m qdlab.electronic.kp.transitions``).
helicity
    Hard-wall hole levels of any F from the bulk helicity states (F = 5/2: 1P_5/2);
    reproduces the 4x4 F = 3/2 solver exactly (tests).

Examples
--------
>>> sorted(KP_MODELS)
['exciton_weak_confinement', 'kane3-luttinger4', 'kane3-luttinger6-well', 'kang_wise', 'perovskite_r_point']
>>> kp_model_for("PbS").name
'kang_wise'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qdlab.electronic.kp.kane import kane_mass, solve_kane_electrons
from qdlab.electronic.kp.kang_wise import LEAD_SALT_PARAMETERS, lead_salt_levels
from qdlab.electronic.kp.luttinger import ekimov_phi, solve_luttinger_holes, spherical_gamma
from qdlab.electronic.kp.perovskite import PEROVSKITES, perovskite_cube_levels
from qdlab.electronic.kp.spherical import (
    first_exciton_kp,
    first_exciton_kp_batch,
    pair_transitions_kp,
)
from qdlab.electronic.kp.weak import WEAK_CONFINEMENT_MATERIALS, weak_confinement_sphere_levels
from qdlab.errors import QdlabInputError

__all__ = [
    "KP_MODELS",
    "KpModel",
    "PLATELET_KP_MATERIALS",
    "ekimov_phi",
    "first_exciton_kp",
    "first_exciton_kp_batch",
    "kane_mass",
    "kp_model_for",
    "lead_salt_levels",
    "pair_transitions_kp",
    "perovskite_cube_levels",
    "solve_kane_electrons",
    "solve_luttinger_holes",
    "spherical_gamma",
    "weak_confinement_sphere_levels",
]


#: Names of the zinc-blende, direct-gap records with Luttinger parameters, a Kane energy
#: and a spin-orbit splitting: the inputs of the platelet quantum-well model (tested
#: against the database in ``tests/test_platelet_models.py``).
PLATELET_KP_MATERIALS = ("CdSe", "CdTe", "GaAs", "InAs", "InP", "InSb", "ZnSe", "ZnTe")


def _platelet_quantum_well(*args, **kwargs):
    """:func:`qdlab.electronic.anisotropy.platelets.platelet_band_edge`, imported on use."""
    from qdlab.electronic.anisotropy.platelets import platelet_band_edge

    return platelet_band_edge(*args, **kwargs)


@dataclass(frozen=True)
class KpModel:
    """One registered k.p model: name, function, reference, materials, geometry."""

    name: str
    function: Callable
    reference: str
    materials: tuple[str, ...]
    geometry: str


KP_MODELS: dict[str, KpModel] = {
    "kane3-luttinger4": KpModel(
        "kane3-luttinger4", first_exciton_kp_batch,
        "A. Baldereschi and N. O. Lipari, Phys. Rev. B 8, 2697 (1973); A. I. Ekimov et al., "
        "J. Opt. Soc. Am. B 10, 100 (1993); Al. L. Efros and M. Rosen, Annu. Rev. Mater. "
        "Sci. 30, 475 (2000); E. O. Kane, J. Phys. Chem. Solids 1, 249 (1957)",
        ("CdSe", "CdSe-zb", "CdS", "CdTe", "ZnSe", "ZnS", "ZnTe", "InP", "InAs", "InSb",
         "GaAs", "GaP"),
        "layered sphere"),
    "kang_wise": KpModel(
        "kang_wise", lead_salt_levels,
        "I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997)",
        tuple(LEAD_SALT_PARAMETERS), "sphere"),
    "perovskite_r_point": KpModel(
        "perovskite_r_point", perovskite_cube_levels,
        "M. A. Becker et al., Nature 553, 189 (2018); P. C. Sercel et al., Nano Lett. 19, "
        "4068 (2019); M. C. Brennan et al., J. Am. Chem. Soc. 139, 12201 (2017)",
        PEROVSKITES, "cube"),
    "kane3-luttinger6-well": KpModel(
        "kane3-luttinger6-well", _platelet_quantum_well,
        "G. Bastard, Wave Mechanics Applied to Semiconductor Heterostructures (1988); "
        "S. Ithurria et al., Nat. Mater. 10, 936 (2011); R. Benchamekh et al., Phys. Rev. B "
        "89, 035307 (2014); N. S. Rytova (1967); L. V. Keldysh, JETP Lett. 29, 658 (1979); "
        "D. A. Broido, L. J. Sham, Phys. Rev. B 31, 888 (1985)",
        PLATELET_KP_MATERIALS, "platelet"),
    "exciton_weak_confinement": KpModel(
        "exciton_weak_confinement", weak_confinement_sphere_levels,
        "A. I. Ekimov, Al. L. Efros, A. A. Onushchenko, Solid State Commun. 56, 921 (1985); "
        "Y. Kayanuma, Phys. Rev. B 38, 9797 (1988)",
        WEAK_CONFINEMENT_MATERIALS, "sphere"),
}


def kp_model_for(material) -> KpModel | None:
    """The registered k.p model for a material (name or Material), or None.

    The lead-salt, perovskite and weak-confinement models are found first (they own
    their materials); the II-VI/III-V sphere model is returned for its materials.
    """
    name = getattr(material, "name", material)
    if not isinstance(name, str):
        raise QdlabInputError(f"material must be a name or Material, got {material!r}")
    for key in ("kang_wise", "perovskite_r_point", "exciton_weak_confinement",
                "kane3-luttinger4"):
        if name in KP_MODELS[key].materials:
            return KP_MODELS[key]
    return None
