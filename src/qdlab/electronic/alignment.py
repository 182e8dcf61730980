"""Band alignment of heterostructures from absolute band edges.

The conduction- and valence-band offsets between two materials follow from
their absolute band edges on the vacuum scale (electron affinity and ionisation
energy, see :mod:`qdlab.materials`):

.. math::

    \\Delta E_c = E_c^{\\rm shell} - E_c^{\\rm core}, \\qquad
    \\Delta E_v = E_v^{\\rm core} - E_v^{\\rm shell}

Both positive: the shell confines both carriers in the core (type I).  Opposite
signs: electron and hole prefer different materials (type II).  When one
offset is small compared with that carrier's confinement energy the carrier
spreads over core and shell (quasi-type II, e.g. the electron in CdSe/CdS).

For a solved structure :func:`alignment_from_localisation` classifies by where
the ground-state carriers actually are, which accounts for confinement.

References
----------
.. [1] S. Kim, B. Fisher, H.-J. Eisler, M. Bawendi, "Type-II quantum dots:
   CdTe/CdSe(core/shell) and CdSe/ZnTe(core/shell) heterostructures",
   J. Am. Chem. Soc. 125, 11466 (2003).
.. [2] D. Oron, M. Kazes, U. Banin, "Multiexcitons in type-II colloidal
   semiconductor quantum dots", Phys. Rev. B 75, 035330 (2007).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Offsets smaller than this (eV) are "small": the carrier delocalises.
QUASI_TYPE_II_OFFSET_EV = 0.1


@dataclass(frozen=True)
class BandOffsets:
    """Band offsets between a core and a shell material, in eV.

    Attributes
    ----------
    conduction_eV : float
        Shell conduction edge minus core conduction edge (> 0: electron confined in core).
    valence_eV : float
        Core valence edge minus shell valence edge (> 0: hole confined in core).
    alignment : str
        ``"type I"``, ``"inverse type I"``, ``"quasi-type II"`` or ``"type II"``.
    """

    conduction_eV: float
    valence_eV: float
    alignment: str


def classify_offsets(conduction_eV: float, valence_eV: float,
                     small_eV: float = QUASI_TYPE_II_OFFSET_EV) -> str:
    """Classify a core/shell alignment from its two band offsets (eV).

    Examples
    --------
    >>> classify_offsets(0.8, 0.5)
    'type I'
    >>> classify_offsets(-0.6, 0.5)
    'type II'
    >>> classify_offsets(0.05, 0.5)
    'quasi-type II'
    >>> classify_offsets(-0.8, -0.5)
    'inverse type I'
    """
    c, v = float(conduction_eV), float(valence_eV)
    if abs(c) < small_eV or abs(v) < small_eV:
        return "quasi-type II"
    if c > 0 and v > 0:
        return "type I"
    if c < 0 and v < 0:
        return "inverse type I"
    return "type II"


def band_offsets(core, shell, temperature: float = 300.0) -> BandOffsets:
    """Band offsets of ``shell`` relative to ``core`` from their absolute band edges.

    Parameters
    ----------
    core, shell : Material
        Materials with ``conduction_band_edge(T)`` and ``valence_band_edge(T)`` in eV.
    temperature : float
        Temperature in K.
    """
    dc = shell.conduction_band_edge(temperature) - core.conduction_band_edge(temperature)
    dv = core.valence_band_edge(temperature) - shell.valence_band_edge(temperature)
    return BandOffsets(float(dc), float(dv), classify_offsets(dc, dv))


def alignment_from_localisation(electron_in_core, hole_in_core, n_layers: int):
    """Alignment of a solved structure from the carriers' probabilities in the core.

    Parameters
    ----------
    electron_in_core, hole_in_core : float or array
        Probability (0..1) of finding the ground-state electron / hole in the core.
    n_layers : int
        Number of layers; a single-material sphere has no alignment (``"none"``).

    Returns
    -------
    str or ndarray of str
        ``"type I"`` (both carriers in the same region, > 60 %), ``"type II"``
        (separated: one > 60 % in the core, the other < 40 %), else
        ``"quasi-type II"`` (one carrier delocalised over core and shell).

    Examples
    --------
    >>> str(alignment_from_localisation(0.9, 0.95, 2))
    'type I'
    >>> str(alignment_from_localisation(0.45, 0.97, 2))
    'quasi-type II'
    >>> str(alignment_from_localisation(0.1, 0.9, 2))
    'type II'
    """
    pe = np.asarray(electron_in_core, dtype=float)
    ph = np.asarray(hole_in_core, dtype=float)
    if n_layers < 2:
        return np.full(np.broadcast(pe, ph).shape, "none", dtype=object)[()]
    hi, lo = 0.6, 0.4
    same = ((pe > hi) & (ph > hi)) | ((pe < lo) & (ph < lo))
    apart = ((pe > hi) & (ph < lo)) | ((pe < lo) & (ph > hi))
    out = np.where(same, "type I", np.where(apart, "type II", "quasi-type II")).astype(object)
    return out[()]
