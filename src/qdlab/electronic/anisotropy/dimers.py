r"""Nanocrystal molecules: bonding/antibonding states of coupled dimers.

Two identical nanocrystals at a surface-to-surface ``gap`` (filled by the
medium) or fused through a cylindrical ``neck`` form an "artificial molecule":
each carrier's lowest level splits into a bonding (even under z -> -z) and an
antibonding (odd) state.  Both are computed with the 3D grid solver on
:class:`~qdlab.structures.shapes.Dimer` using the mirror symmetries (the z
parity separates bonding from antibonding exactly).

Tight-binding reading
---------------------
For two degenerate sites with on-site energy :math:`\varepsilon` and hopping
:math:`t`, :math:`E_\pm = \varepsilon' \mp t`, so

.. math:: t = (E_{anti} - E_{bond})/2 ,

and :math:`\varepsilon' - \varepsilon_{mono}` is the shift of the site energy
(the partner's potential, the neck's extra volume).  Through a gap the hopping
decays as :math:`t \propto e^{-\kappa g}` with
:math:`\kappa = \sqrt{2 m_b (V_b - E)}/\hbar`.

Band-edge transition
--------------------
``shift_single_particle_eV`` = :math:`(E^e_{bond} - E^e_{mono}) + (E^h_{bond} - E^h_{mono})`:
the red shift if both carriers delocalise over the molecule (no Coulomb
change).  In CdSe/CdS dimers the heavy hole stays in one core (its tunnelling
is tiny against the electron-hole attraction, Panfil et al. 2019), so
``shift_localised_hole_eV`` = the electron part only is the better first-order
estimate; the measured red shift (Cui et al. 2019) is of this kind.  Neither
includes the change of the electron-hole Coulomb energy (partly undoes the
electron's delocalisation gain).

References
----------
.. [1] J. Cui, Y. E. Panfil, S. Koley, D. Shamalia, N. Waiskopf, S. Remennik,
   I. Popov, M. Oded, U. Banin, "Colloidal quantum dot molecules manifesting
   quantum coupling at room temperature", Nat. Commun. 10, 5401 (2019).
.. [2] Y. E. Panfil, D. Shamalia, J. Cui, S. Koley, U. Banin, "Electronic
   coupling in colloidal quantum dot molecules; the case of CdSe/CdS core/shell
   homodimers", J. Chem. Phys. 151, 224501 (2019) (arXiv:1912.04558).

Examples
--------
>>> from qdlab.structures import Sphere, Medium
>>> class M:
...     name = "X"; electron_mass = 0.3; hole_mass = 0.6
...     def conduction_band_edge(self, T): return -4.0
...     def valence_band_edge(self, T): return -6.0
>>> med = Medium(electron_barrier_eV=1.0, hole_barrier_eV=1.0)
>>> r = dimer_splitting(Sphere(M(), 3.0, medium=med), gap_nm=0.5, resolution_nm=0.3,
...                     padding_nm=1.2)
>>> bool(r.electron.splitting_eV > 0), bool(r.electron.splitting_eV > r.hole.splitting_eV)
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from qdlab.errors import QdlabInputError, check_nonnegative


@dataclass(frozen=True)
class CarrierSplitting:
    """Levels of one carrier in the dimer and in the monomer, eV.

    Attributes
    ----------
    carrier : str
    monomer_eV : float
        Lowest level of the isolated partner ``a``.
    bonding_eV, antibonding_eV : float
        Lowest even and odd (in z) dimer levels (for a heterodimer: the two lowest).
    splitting_eV : float
        ``antibonding - bonding``.
    hopping_eV : float
        Tight-binding t = splitting / 2.
    site_shift_eV : float
        ``(bonding + antibonding)/2 - monomer``.
    bonding_shift_eV : float
        ``bonding - monomer`` (negative: the level drops on coupling).
    """

    carrier: str
    monomer_eV: float
    bonding_eV: float
    antibonding_eV: float
    splitting_eV: float
    hopping_eV: float
    site_shift_eV: float
    bonding_shift_eV: float


@dataclass(frozen=True)
class DimerResult:
    """Dimer levels for electron and hole and the band-edge shift (eV).

    A carrier not solved (``carriers``) is None and contributes 0 to the shifts.
    """

    gap_nm: float
    neck_diameter_nm: float | None
    electron: CarrierSplitting | None
    hole: CarrierSplitting | None
    shift_single_particle_eV: float
    shift_localised_hole_eV: float
    resolution_nm: float

    def as_dict(self) -> dict:
        """Plain nested dict (JSON-ready)."""
        return asdict(self)


def _pair(states):
    """Indices of bonding (z-even) and antibonding (z-odd) partners of the ground state."""
    par = np.asarray(states.parities)
    if par.shape[0] < 2:
        raise QdlabInputError("need at least two dimer states")
    if par[0, 2] == 0:  # no z symmetry used: two lowest
        return 0, 1
    g = par[0]
    for j in range(1, par.shape[0]):
        if par[j, 2] == -g[2] and par[j, 0] == g[0] and par[j, 1] == g[1]:
            return 0, j
    raise QdlabInputError("no antibonding (z-odd) partner among the computed states; raise "
                          "n_states")


def default_splitting_resolution_nm(dimer) -> float:
    """Default grid spacing (nm) of :func:`dimer_splitting`: ``min(0.25, min_feature_nm / 6)``.

    Coarser than :func:`qdlab.electronic.grid.default_resolution_nm` because the
    splitting is a difference of two levels solved on the same grid, whose
    discretisation errors largely cancel.

    Examples
    --------
    >>> from qdlab.structures.shapes import Dimer
    >>> from qdlab.structures import Sphere
    >>> default_splitting_resolution_nm(Dimer(Sphere("CdSe", 3.0), Sphere("CdSe", 3.0),
    ...                                       gap_nm=0.6))
    0.1
    """
    return min(0.25, dimer.min_feature_nm / 6)


def dimer_splitting(a, b=None, gap_nm: float = 0.0, neck_diameter_nm: float | None = None, *,
                    resolution_nm: float | None = None, n_states: int = 2,
                    carriers=("electron", "hole"), richardson: bool = False,
                    **grid_options) -> DimerResult:
    r"""Bonding/antibonding levels of a dimer of ``a`` and ``b`` and the band-edge shift.

    Parameters
    ----------
    a : Sphere, CoreShell or shape
        First partner (also the monomer reference).
    b : same, optional
        Second partner; default ``a`` (homodimer).
    gap_nm : float
        Surface-to-surface gap along z, nm (>= 0; filled with a's medium).
    neck_diameter_nm : float, optional
        Diameter of a cylindrical neck of a's outer material joining the centres, nm.
    resolution_nm : float, optional
        Grid spacing, nm; default ``min(0.25, min_feature / 6)``.
    n_states : int
        States computed per carrier (default 2; if the antibonding partner is not
        among them -- a large splitting above the next monomer level -- the solve
        is repeated with 8).
    carriers : tuple of {"electron", "hole"}
        Carriers to solve; a carrier left out is None in the result and adds
        nothing to the shifts.
    richardson : bool
        Richardson-extrapolate the energies (doubles the cost; default False:
        the splitting, a difference of two levels on the same grid, converges
        faster than the levels).
    **grid_options
        Passed to :func:`~qdlab.electronic.grid.solve_grid` (``barrier_mass`` ...).

    Returns
    -------
    DimerResult

    See Also
    --------
    tunnelling_decay_constant : the WKB decay of the splitting with the gap.
    qdlab.electronic.grid.solve_grid : the grid solver used for each level.

    Notes
    -----
    :math:`t = (E_{anti} - E_{bond})/2`; band-edge shift (single-particle)
    :math:`\Delta E = \Delta E^e_{bond} + \Delta E^h_{bond}`; see the module notes.

    Raises
    ------
    QdlabInputError
        Bad geometry, or no antibonding state among ``n_states``.

    References
    ----------
    .. [R1] J. Cui et al., Nat. Commun. 10, 5401 (2019).
    .. [R2] D. J. BenDaniel, C. B. Duke, Phys. Rev. 152, 683 (1966).
       Bibliography ``bendaniel1966``.
    """
    from qdlab.electronic.grid import solve_grid
    from qdlab.structures.shapes import Dimer

    check_nonnegative(gap_nm, "gap_nm", "nm")
    b = a if b is None else b
    dimer = Dimer(a, b, gap_nm=gap_nm, neck_diameter_nm=neck_diameter_nm)
    h = resolution_nm if resolution_nm is not None else default_splitting_resolution_nm(dimer)
    out = {"electron": None, "hole": None}
    for carrier in carriers:
        if carrier not in out:
            raise QdlabInputError(f"carriers must contain 'electron' and/or 'hole', got "
                                  f"{carrier!r}")
        mono = solve_grid(a, carrier, n_states=1, resolution_nm=h, richardson=richardson,
                          **grid_options)
        st = solve_grid(dimer, carrier, n_states=n_states, resolution_nm=h,
                        richardson=richardson, **grid_options)
        try:
            i, j = _pair(st)
        except QdlabInputError:
            st = solve_grid(dimer, carrier, n_states=max(8, n_states), resolution_nm=h,
                            richardson=richardson, **grid_options)
            i, j = _pair(st)
        eb, ea, em = float(st.energies_eV[i]), float(st.energies_eV[j]), \
            float(mono.energies_eV[0])
        out[carrier] = CarrierSplitting(carrier, em, eb, ea, ea - eb, (ea - eb) / 2,
                                        (ea + eb) / 2 - em, eb - em)
    e, hh = out["electron"], out["hole"]
    de = e.bonding_shift_eV if e is not None else 0.0
    dh = hh.bonding_shift_eV if hh is not None else 0.0
    return DimerResult(float(gap_nm), None if neck_diameter_nm is None else
                       float(neck_diameter_nm), e, hh, de + dh, de, float(h))


def tunnelling_decay_constant(barrier_eV: float, level_eV: float,
                              barrier_mass: float = 1.0) -> float:
    r"""Decay constant :math:`\kappa = \sqrt{2 m_b (V_b - E)}/\hbar` of a tunnelling tail, nm^-1.

    Parameters
    ----------
    barrier_eV : float
        Barrier height above the band edge, eV.
    level_eV : float
        Level above the same band edge, eV (< barrier).
    barrier_mass : float
        Effective mass in the barrier, m0.

    Returns
    -------
    float
        :math:`\kappa` in nm^-1; the envelope decays as :math:`e^{-\kappa x}` in the
        barrier.

    Notes
    -----
    Evanescent solution of the effective-mass equation in a constant barrier,
    :math:`\kappa = \sqrt{2 m_b m_0 (V_b - E)}/\hbar`.

        References
    ----------
    .. [1] G. Bastard, Wave Mechanics Applied to Semiconductor Heterostructures (Les
       Editions de Physique, Les Ulis, 1988); bibliography ``bastard1988``.

    Examples
    --------
    >>> round(tunnelling_decay_constant(1.0, 0.238), 3)
    4.472
    """
    from qdlab.constants import HBAR2_2M0

    if not level_eV < barrier_eV:
        raise QdlabInputError(f"level_eV must be below barrier_eV ({barrier_eV:g} eV), got "
                              f"{level_eV:g}")
    return math.sqrt(barrier_mass * (barrier_eV - level_eV) / HBAR2_2M0)
