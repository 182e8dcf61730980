"""The medium around a nanocrystal: ligand shell and solvent.

The medium enters the models in two ways:

* as a potential barrier for the carriers: the electron (hole) sees a step of
  ``electron_barrier_eV`` (``hole_barrier_eV``) above the conduction-band edge
  (below the valence-band edge) of the outermost semiconductor layer;
* as a dielectric constant ``dielectric_constant`` that sets the image-charge
  (self-polarisation) energies and screens the electron-hole attraction.

Default for organic ligands
---------------------------
:data:`ORGANIC_LIGANDS` describes oleate/amine/phosphine-capped dots dispersed in
an apolar solvent (toluene, hexane): a dielectric constant of 2.25 (toluene has
eps = 2.38 and hexane 1.89 at 20 C; the aliphatic ligand shell is ~2.1, CRC
Handbook of Chemistry and Physics, 97th ed.) and barriers of 4.0 eV for
electrons and holes.  A barrier of a few eV is what the electron affinity of
the semiconductor against the large-gap (> 7 eV) organic shell implies; the
exact value matters little for diameters above ~2 nm because the penetration
depth hbar/sqrt(2 m* V) is then ~0.1-0.2 nm.  This is the choice of many
effective-mass studies of colloidal dots (e.g. Pokatilov, Fonoberov, Fomin and
Devreese, Phys. Rev. B 64, 245328 (2001), who use barriers of the order of the
electron affinity).  Use ``Medium(electron_barrier_eV=float('inf'), ...)`` for
the infinite-barrier textbook model.

Examples
--------
>>> Medium()
Medium(dielectric_constant=2.25, electron_barrier_eV=4.0, hole_barrier_eV=4.0, name='organic ligands')
>>> Medium(dielectric_constant=0)
Traceback (most recent call last):
...
qdlab.errors.QdlabInputError: dielectric_constant must be >= 1, got 0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from qdlab.errors import QdlabInputError


@dataclass(frozen=True)
class Medium:
    """Ligand shell and solvent around the nanocrystal.

    Parameters
    ----------
    dielectric_constant : float
        Relative permittivity of the medium (>= 1).
    electron_barrier_eV : float
        Height of the barrier for electrons above the conduction-band edge of
        the outermost layer, in eV (> 0; ``inf`` for a hard wall).
    hole_barrier_eV : float
        Depth of the barrier for holes below the valence-band edge of the
        outermost layer, in eV (> 0; ``inf`` for a hard wall).
    name : str
        A label.
    """

    dielectric_constant: float = 2.25
    electron_barrier_eV: float = 4.0
    hole_barrier_eV: float = 4.0
    name: str = "organic ligands"

    def __post_init__(self):
        eps = self.dielectric_constant
        if not isinstance(eps, (int, float)) or not math.isfinite(eps) or eps < 1:
            raise QdlabInputError(f"dielectric_constant must be >= 1, got {eps}")
        for field in ("electron_barrier_eV", "hole_barrier_eV"):
            v = getattr(self, field)
            if not isinstance(v, (int, float)) or math.isnan(v) or v <= 0:
                raise QdlabInputError(f"{field} must be > 0 eV (or inf), got {v}")

    @property
    def hard_wall(self) -> bool:
        """True if both barriers are infinite."""
        return math.isinf(self.electron_barrier_eV) and math.isinf(self.hole_barrier_eV)


#: Oleate/amine-capped dots in toluene or hexane (see module docstring).
ORGANIC_LIGANDS = Medium()
#: Infinite barriers in vacuum-like surroundings (textbook model).
VACUUM = Medium(dielectric_constant=1.0, electron_barrier_eV=math.inf,
                hole_barrier_eV=math.inf, name="hard wall, vacuum")
