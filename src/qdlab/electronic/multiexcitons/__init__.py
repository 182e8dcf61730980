r"""Biexcitons, trions, Auger recombination and quantum yields from the solver's states.

From the lowest electron and hole states of a layered sphere (the exact radial solver,
:func:`qdlab.electronic.sphere.solve_sphere`) this module builds the band-edge
multicarrier complexes of a nanocrystal -- the neutral exciton X, the biexciton XX and
the charged excitons (trions) X\ :sup:`+` (two holes, one electron) and X\ :sup:`-` (two
electrons, one hole) -- with their energies, radiative and Auger rates and quantum
yields.

Energies (first order in the Coulomb interaction)
-------------------------------------------------
With every carrier in its ground orbital (1S\ :sub:`e`, 1S\ :sub:`h`), the energy of a
complex of :math:`n_e` electrons and :math:`n_h` holes is, to first order
(Brus 1984; the same terms as the exciton of :mod:`qdlab.electronic.sphere.coulomb`),

.. math::

    E(n_e, n_h) = n_e(\varepsilon_e + \Sigma_e) + n_h(\varepsilon_h + \Sigma_h)
        - n_e n_h J_{eh} + \binom{n_e}{2} J_{ee} + \binom{n_h}{2} J_{hh},

with :math:`\varepsilon` the single-particle energies, :math:`\Sigma` the
self-polarisation (own-image) energies and the direct Coulomb integrals

.. math::

    J_{ab} = \frac{e^2}{4\pi\varepsilon_0}\int_0^\infty
        \frac{F_a(r)F_b(r)}{\varepsilon(r)\,r^2}\,dr ,\qquad
    F(r) = \int_0^r P(r')r'^2dr' ,

evaluated exactly for the spherical densities in the layered dielectric, *including*
the mutual image interaction of the two carriers
(:func:`qdlab.electronic.sphere.coulomb.coulomb_energy`; the same function for
:math:`J_{ee}` and :math:`J_{hh}` with both densities equal).  The two electrons
(holes) of XX and X\ :sup:`-` (X\ :sup:`+`) fill the spin-degenerate ground orbital
with opposite spins, so there is no exchange term between them.  The binding
energies (positive = bound, the complex emits below the exciton line) follow:

.. math::

    \Delta_{XX} &= 2E_X - E_{XX} = 2J_{eh} - J_{ee} - J_{hh},\\
    \Delta_{X^-} &= E_X + E_e - E_{X^-} = J_{eh} - J_{ee},\\
    \Delta_{X^+} &= E_X + E_h - E_{X^+} = J_{eh} - J_{hh},

and the emission lines are :math:`E_{XX} - E_X = E_X - \Delta_{XX}` and
:math:`E_{X^\pm} - E_{h,e} = E_X - \Delta_{X^\pm}`.  The single-particle and
self-polarisation terms cancel in the binding energies; the dielectric mismatch
enters through the image parts of the :math:`J`'s.  For identical electron and hole
densities all three vanish (the first-order result; binding then comes from the
correlation, which is not included).  When electron and hole are separated (type II,
CdTe/CdSe, ZnSe/CdS), :math:`J_{ee}` and :math:`J_{hh}` exceed :math:`J_{eh}` and the
biexciton is repulsive, :math:`\Delta_{XX} < 0`, as measured (Klimov et al. 2007;
Oron, Kazes & Banin 2007).

Radiative rates
---------------
The exciton rate :math:`k_{r,X} = 1/\tau_{r,X}` is the thermally averaged band-edge
rate of the k.p states (:func:`qdlab.electronic.kp.lifetimes.kp_radiative_lifetime`:
oscillator strength of :func:`qdlab.electronic.kp.band_edge.kp_band_edge`, Efros fine
structure for wurtzite CdSe cores, the high-temperature limit otherwise).  The
complexes follow the statistical scaling of the strong-confinement regime
(Rajadell et al. 2009; Galland et al. 2012; Nair & Bawendi 2011):

.. math:: k_{r,XX} = 4k_{r,X}, \qquad k_{r,X^\pm} = 2k_{r,X}.

Auger rates (a scaling model)
-----------------------------
The biexciton Auger time of bare nanocrystals of many materials follows the
"universal" volume scaling :math:`\tau_{XX,A} = \beta V` with
:math:`\beta \approx 1` ps nm\ :sup:`-3` (Klimov et al. 2000; Robel et al. 2009;
:data:`DEFAULT_AUGER_BETA_PS_NM3`).  A biexciton decays through two X\ :sup:`-`-type
channels (the energy goes to an electron) and two X\ :sup:`+`-type channels (to a
hole), so that (Park et al. 2014; Cohn et al. 2014)

.. math::

    \frac{1}{\tau_{XX,A}} = \frac{2}{\tau_{X^-,A}} + \frac{2}{\tau_{X^+,A}} .

qdlab extends the volume scaling to core/shells with the states it has: the recombining
pair must overlap, and the energy goes to a third carrier spread over its own
volume, so each trion channel is taken as

.. math::

    \frac{1}{\tau_{X^\mp,A}} = \frac{|K|^2}{4\beta\,S\,V_{e,h}},\qquad
    K = \int R_eR_h r^2dr,\qquad
    V_c = \sum_j P_{c,j}\,\tfrac43\pi R_j^3,

with :math:`V_c` the volume the excited carrier occupies (:math:`P_{c,j}` its
probability in layer :math:`j`, spread over the sphere enclosed by that layer;
:func:`carrier_volume_nm3`) and :math:`S \ge 1` an optional suppression factor.  For a
bare core (:math:`K \approx 0.97`, :math:`V_e = V_h = V`) this is
:math:`\tau_{XX,A} = \beta V/K^2`, within 7 % of the scaling law; in a thick
CdSe/CdS shell the delocalised electron makes the X\ :sup:`-` channel slower than the
X\ :sup:`+` channel (as measured, Park et al. 2014), and type-II separation slows both
through :math:`|K|^2`.  Cragg & Efros (2010) showed that a smooth (graded) confinement
potential suppresses the Auger rate, by one to three orders of magnitude for grading
over ~1 nm, with a non-monotonic dependence on size; qdlab does not compute that
suppression from a profile: give it as ``auger_suppression`` :math:`S`.

Quantum yields
--------------
:math:`QY_X = k_{r,X}/(k_{r,X} + k_{nr})` with :math:`k_{nr} = 1/\tau_{nr}` from
``exciton_nonradiative_lifetime_ns`` (default none: radiative-limited, 1);
:math:`QY_{X^\pm} = k_{r,X^\pm}/(k_{r,X^\pm} + k_{X^\pm,A})`,
:math:`QY_{XX} = k_{r,XX}/(k_{r,XX} + k_{XX,A})`.

Where it is approximate
-----------------------
* First-order energies without correlation: the measured biexciton binding of
  CdSe cores (a few to ~20 meV, attractive) comes from correlation and is not
  reproduced (first order gives a few meV of either sign); the type I / type II sign
  change is.  The :math:`J`'s use the single-band radial states, also where
  ``qdlab levels`` reports the k.p exciton (bare CdSe).
* Auger: a scaling law with one material-independent constant :math:`\beta`
  (measured values scatter by a factor ~2 around it), the overlap / carrier-volume
  extension is a model of this module, not a calculation of the Auger matrix
  element; the valence-band density-of-states asymmetry that makes X\ :sup:`+`
  faster than X\ :sup:`-` in II-VI cores is not included (bare cores come out
  symmetric); interface grading only through ``auger_suppression``.
* Radiative: statistical scaling of the exciton rate; fine structure of the
  complexes not included.
* Rates and yields for spheres and core/shells only.  Other shapes get the binding
  energies alone (:func:`multiexciton_energies`, 3D grid, uniform dielectric: the
  image parts of :math:`J_{ee}`, :math:`J_{hh}` are not available on the grid).

References
----------
.. [1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984).
.. [2] V. I. Klimov, A. A. Mikhailovsky, D. W. McBranch, C. A. Leatherdale,
   M. G. Bawendi, Science 287, 1011 (2000).
.. [3] I. Robel, R. Gresback, U. Kortshagen, R. D. Schaller, V. I. Klimov,
   Phys. Rev. Lett. 102, 177404 (2009).
.. [4] V. I. Klimov, S. A. Ivanov, J. Nanda, M. Achermann, I. Bezel, J. A. McGuire,
   A. Piryatinski, Nature 447, 441 (2007).
.. [5] D. Oron, M. Kazes, U. Banin, Phys. Rev. B 75, 035330 (2007).
.. [6] G. E. Cragg, Al. L. Efros, Nano Lett. 10, 313 (2010).
.. [7] Y.-S. Park, W. K. Bae, L. A. Padilha, J. M. Pietryga, V. I. Klimov,
   Nano Lett. 14, 396 (2014).
.. [8] A. W. Cohn, J. D. Rinehart, A. M. Schimpf, A. L. Weaver, D. R. Gamelin,
   Nano Lett. 14, 353 (2014).
.. [9] G. Nair, J. Zhao, M. G. Bawendi, Nano Lett. 11, 1136 (2011).
.. [10] F. Rajadell, J. I. Climente, J. Planelles, A. Bertoni, J. Phys. Chem. C 113,
   11268 (2009).
.. [11] C. Galland et al., Nat. Commun. 3, 908 (2012).

Examples
--------
>>> from qdlab.structures import Sphere
>>> p = multiexciton_properties(Sphere("CdSe", 4.0))
>>> p.biexciton_auger_lifetime_ns < 0.1 < p.exciton_radiative_lifetime_ns   # ns: Auger wins
True
>>> round(p.exciton_radiative_lifetime_ns / p.biexciton_radiative_lifetime_ns, 6)
4.0
"""

from __future__ import annotations

from qdlab.electronic.multiexcitons.energies import (
    CoulombIntegrals,
    binding_energies_eV,
    carrier_volume_nm3,
    coulomb_integrals,
)
from qdlab.electronic.multiexcitons.properties import (
    LEVELS_JSON_KEYS,
    SOLVER_OPTIONS,
    MultiexcitonProperties,
    multiexciton_properties,
)
from qdlab.electronic.multiexcitons.rates import (
    DEFAULT_AUGER_BETA_PS_NM3,
    RADIATIVE_SCALING,
    auger_lifetimes_ns,
    quantum_yield,
)
from qdlab.electronic.multiexcitons.shapes import multiexciton_energies

__all__ = [
    "DEFAULT_AUGER_BETA_PS_NM3",
    "LEVELS_JSON_KEYS",
    "RADIATIVE_SCALING",
    "SOLVER_OPTIONS",
    "CoulombIntegrals",
    "MultiexcitonProperties",
    "auger_lifetimes_ns",
    "binding_energies_eV",
    "carrier_volume_nm3",
    "coulomb_integrals",
    "multiexciton_energies",
    "multiexciton_properties",
    "quantum_yield",
]
