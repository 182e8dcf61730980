"""Multiband k.p models.

:data:`KP_MODELS` is the registry of the k.p models (name -> model function, reference,
materials it applies to), so that a router (``solve(..., model="kp")``) can dispatch:

* ``"kang_wise"`` -- four-band isotropic envelope model of lead-salt spheres
  (:mod:`qdlab.electronic.kp.kang_wise`), PbS, PbSe, PbTe.
* ``"perovskite_r_point"`` -- R-point two-band model of CsPbX3 cubes with the
  strong/weak confinement interpolation (:mod:`qdlab.electronic.kp.perovskite`).
* ``"exciton_weak_confinement"`` -- centre-of-mass confined exciton with a Kayanuma
  dead layer for CuCl spheres (:mod:`qdlab.electronic.kp.weak`; two-band Bloch factor).

The valence band of II-VI / III-V dots still enters through the band-edge hole mass
(:mod:`qdlab.electronic.sphere.holes`) and the hole mixing of
:mod:`qdlab.electronic.anisotropy.polarisation`.

Examples
--------
>>> sorted(KP_MODELS)
['exciton_weak_confinement', 'kang_wise', 'perovskite_r_point']
>>> kp_model_for("PbS").name
'kang_wise'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qdlab._validation import QdlabInputError
from qdlab.electronic.kp.kang_wise import LEAD_SALT_PARAMETERS, lead_salt_levels
from qdlab.electronic.kp.perovskite import PEROVSKITES, perovskite_cube_levels
from qdlab.electronic.kp.weak import WEAK_CONFINEMENT_MATERIALS, weak_confinement_sphere_levels

__all__ = ["KP_MODELS", "KpModel", "kp_model_for", "lead_salt_levels",
           "perovskite_cube_levels", "weak_confinement_sphere_levels"]


@dataclass(frozen=True)
class KpModel:
    """One registered k.p model: name, function, reference, materials, geometry."""

    name: str
    function: Callable
    reference: str
    materials: tuple[str, ...]
    geometry: str


KP_MODELS: dict[str, KpModel] = {
    "kang_wise": KpModel(
        "kang_wise", lead_salt_levels,
        "I. Kang and F. W. Wise, J. Opt. Soc. Am. B 14, 1632 (1997)",
        tuple(LEAD_SALT_PARAMETERS), "sphere"),
    "perovskite_r_point": KpModel(
        "perovskite_r_point", perovskite_cube_levels,
        "M. A. Becker et al., Nature 553, 189 (2018); P. C. Sercel et al., Nano Lett. 19, "
        "4068 (2019); M. C. Brennan et al., J. Am. Chem. Soc. 139, 12201 (2017)",
        PEROVSKITES, "cube"),
    "exciton_weak_confinement": KpModel(
        "exciton_weak_confinement", weak_confinement_sphere_levels,
        "A. I. Ekimov, Al. L. Efros, A. A. Onushchenko, Solid State Commun. 56, 921 (1985); "
        "Y. Kayanuma, Phys. Rev. B 38, 9797 (1988)",
        WEAK_CONFINEMENT_MATERIALS, "sphere"),
}


def kp_model_for(material) -> KpModel | None:
    """The registered k.p model for a material (name or Material), or None."""
    name = getattr(material, "name", material)
    if not isinstance(name, str):
        raise QdlabInputError(f"material must be a name or Material, got {material!r}")
    for m in KP_MODELS.values():
        if name in m.materials:
            return m
    return None
