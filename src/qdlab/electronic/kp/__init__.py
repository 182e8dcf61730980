"""Multiband k.p models.

Planned home of the multiband envelope-function solvers named in the design
(Luttinger 4x4/6x6 holes, Kane 8-band, perovskite k.p).  Today the valence band
enters through the band-edge hole mass (:mod:`qdlab.electronic.sphere.holes`) and
the hole mixing of :mod:`qdlab.electronic.anisotropy.polarisation`.

Modules (II-VI and III-V layered spheres)
-----------------------------------------
luttinger
    :func:`solve_luttinger_holes`: spherical 4x4 Luttinger holes (1S_3/2, 2S_3/2,
    1P_3/2 ...) of layered spheres, vectorised transfer with multiband interface
    conditions; :func:`ekimov_phi`.
kane
    :func:`solve_kane_electrons`: three-band Kane energy-dependent electron mass.
spherical
    :func:`first_exciton_kp`, :func:`first_exciton_kp_batch`,
    :func:`pair_transitions_kp`: the k.p first exciton and transition ladder.
validation
    :func:`validate_kp`: the k.p first exciton against measured sizing relations.
"""

from qdlab.electronic.kp.kane import kane_mass, solve_kane_electrons
from qdlab.electronic.kp.luttinger import ekimov_phi, solve_luttinger_holes, spherical_gamma
from qdlab.electronic.kp.spherical import (
    first_exciton_kp,
    first_exciton_kp_batch,
    pair_transitions_kp,
)

#: Registry entries of the spherical II-VI/III-V k.p models (merged into ``KP_MODELS``
#: next to the lead-salt and perovskite entries).
KP_MODELS_SPHERICAL = {
    "kane3-luttinger4": {
        "function": first_exciton_kp_batch,
        "description": "first exciton 1S_e-1S_3/2: three-band Kane electron (energy-dependent "
                       "mass), spherical 4x4 Luttinger hole, first-order Coulomb and "
                       "self-polarisation; layered spheres",
        "materials": "II-VI and III-V with Luttinger parameters (zinc blende; quasi-cubic "
                     "wurtzite); not lead salts or lead-halide perovskites",
        "references": ("Baldereschi & Lipari, Phys. Rev. B 8, 2697 (1973)",
                       "Ekimov et al., J. Opt. Soc. Am. B 10, 100 (1993)",
                       "Efros & Rosen, Annu. Rev. Mater. Sci. 30, 475 (2000)",
                       "Kane, J. Phys. Chem. Solids 1, 249 (1957)"),
    },
}
globals().setdefault("KP_MODELS", {}).update(KP_MODELS_SPHERICAL)

__all__ = [
    "KP_MODELS_SPHERICAL",
    "ekimov_phi",
    "first_exciton_kp",
    "first_exciton_kp_batch",
    "kane_mass",
    "pair_transitions_kp",
    "solve_kane_electrons",
    "solve_luttinger_holes",
    "spherical_gamma",
]
