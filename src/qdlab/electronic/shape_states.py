"""States and the lowest exciton of non-spherical nanocrystals (3D grid solver).

Electron and hole are solved separately on the same 3D grid with
:func:`qdlab.electronic.grid.solve_grid` (BenDaniel-Duke, position-dependent
mass and band edges, finite barriers of the medium).  The lowest exciton is, to
first order in the Coulomb interaction (strong confinement),

.. math::

    E_X = E_e^{(1)} - E_h^{(1)} - J_{eh},\\qquad
    J_{eh} = \\frac{e^2}{4\\pi\\varepsilon_0\\varepsilon}\\iint
    \\frac{|\\psi_e(\\mathbf r)|^2\\,|\\psi_h(\\mathbf r')|^2}{|\\mathbf r-\\mathbf r'|}

Limitations
-----------
* ``J`` is computed in a uniform dielectric (the particle's own constant):
  the image-charge and self-polarisation terms of the dielectric mismatch with
  the medium, which the spherical solver includes, are not yet included here.
  For a sphere this makes the grid exciton lower than the radial one by the
  net polarisation energy (~0.1 eV for a 4 nm CdSe dot in toluene).
* The hole is a single band with the material's band-edge hole mass; the
  heavy/light-hole mixing that sets the polarisation of rods is treated in
  :mod:`qdlab.electronic.polarisation` where available.

References
----------
.. [1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984).
.. [2] D. J. BenDaniel and C. B. Duke, Phys. Rev. 152, 683 (1966).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qdlab._validation import QdlabInputError
from qdlab.constants import HC_EV_NM


@dataclass(frozen=True, eq=False)
class ShapeStates:
    """Electron and hole grid states of a nanocrystal and its lowest exciton (eV, nm)."""

    structure: object
    electrons: object = field(repr=False)
    holes: object = field(repr=False)
    coulomb_eV: float
    dielectric_constant: float

    @property
    def single_particle_gap_eV(self) -> float:
        """Lowest electron level minus lowest hole level (eV)."""
        return float(self.electrons.energies_eV[0] + self.holes.energies_eV[0])

    @property
    def first_exciton_eV(self) -> float:
        """First excitonic transition (eV), first-order Coulomb, no image terms."""
        return self.single_particle_gap_eV - self.coulomb_eV

    @property
    def first_exciton_nm(self) -> float:
        return HC_EV_NM / self.first_exciton_eV

    @property
    def overlap(self) -> float:
        """Envelope overlap of the lowest electron and hole states (absolute value)."""
        h = self.electrons.spacing_nm
        return float(abs(np.sum(self.electrons.wavefunctions[0] * self.holes.wavefunctions[0]))
                     * h**3)

    def to_dict(self) -> dict:
        """JSON-ready summary (same core keys as the spherical solver)."""
        e, h = self.electrons, self.holes
        return {
            "structure": getattr(self.structure, "label", type(self.structure).__name__),
            "shape": type(self.structure).__name__,
            "solver": "grid",
            "temperature_K": getattr(self.structure, "temperature", None),
            "first_exciton_eV": self.first_exciton_eV,
            "first_exciton_nm": self.first_exciton_nm,
            "single_particle_gap_eV": self.single_particle_gap_eV,
            "coulomb_eV": self.coulomb_eV,
            "overlap": self.overlap,
            "grid_spacing_nm": e.spacing_nm,
            "grid_unknowns": int(max(e.n_unknowns, h.n_unknowns)),
            "electron_levels": [{"index": i + 1, "energy_eV": float(v),
                                 "parity": e.parities[i].tolist()}
                                for i, v in enumerate(e.energies_eV)],
            "hole_levels": [{"index": i + 1, "energy_eV": float(-v),
                             "parity": h.parities[i].tolist()}
                            for i, v in enumerate(h.energies_eV)],
        }


def solve_shape(structure, *, n_states: int = 4, resolution_nm: float | None = None,
                screening: str = "high_frequency", coulomb: bool = True,
                **grid_options) -> ShapeStates:
    """Solve any nanocrystal shape on a 3D grid: electron and hole levels, lowest exciton.

    Parameters
    ----------
    structure
        A shape from :mod:`qdlab.structures.shapes`, or a Sphere/CoreShell.
    n_states : int
        States per carrier (>= 1).
    resolution_nm : float, optional
        Grid spacing in nm (default: chosen from the smallest feature).
    screening : {"high_frequency", "static"}
        Dielectric constant of the particle used for the Coulomb energy.
    coulomb : bool
        Subtract the first-order Coulomb energy.
    **grid_options
        Passed to :func:`qdlab.electronic.grid.solve_grid`.

    Returns
    -------
    ShapeStates

    Examples
    --------
    >>> from qdlab.structures.shapes import Rod
    >>> st = solve_shape(Rod("CdSe", length=8.0, diameter=4.0), n_states=1, resolution_nm=0.3)
    >>> 500 < st.first_exciton_nm < 700
    True
    """
    from qdlab.electronic.grid import coulomb_energy_eV, solve_grid
    from qdlab.structures.shapes import as_shape

    if screening not in ("high_frequency", "static"):
        raise QdlabInputError(f"screening must be 'high_frequency' or 'static', got {screening!r}")
    el = solve_grid(structure, "electron", n_states=n_states, resolution_nm=resolution_nm,
                    **grid_options)
    ho = solve_grid(structure, "hole", n_states=n_states, resolution_nm=resolution_nm,
                    **grid_options)
    mat = as_shape(structure).regions[0].material
    eps = float(mat.eps_inf if screening == "high_frequency" else mat.eps_static)
    j = coulomb_energy_eV(el, ho, eps) if coulomb else 0.0
    return ShapeStates(structure=structure, electrons=el, holes=ho, coulomb_eV=float(j),
                       dielectric_constant=eps)
