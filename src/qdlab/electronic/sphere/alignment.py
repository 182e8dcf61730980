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

For a solved structure :func:`alignment_from_levels` classifies by where
the ground-state levels are classically allowed, which accounts for confinement.

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
    r"""Classify a core/shell alignment from its two band offsets (eV).

    Parameters
    ----------
    conduction_eV : float
        Conduction-band offset :math:`\Delta E_c = E_c^{shell} - E_c^{core}`, eV
        (> 0: the shell is a barrier for electrons).
    valence_eV : float
        Valence-band offset :math:`\Delta E_v = E_v^{core} - E_v^{shell}`, eV
        (> 0: the shell is a barrier for holes).
    small_eV : float
        Offsets smaller than this in magnitude (eV) count as quasi-type II.

    Returns
    -------
    str
        ``"type I"``, ``"inverse type I"``, ``"type II"`` or ``"quasi-type II"``.

    Notes
    -----
    Type I: :math:`\Delta E_c > 0` and :math:`\Delta E_v > 0` (both carriers confined
    to the core); inverse type I: both < 0; type II: opposite signs (electron and hole
    separated, Kim et al. 2003); quasi-type II: :math:`|\Delta E_c|` or
    :math:`|\Delta E_v|` below ``small_eV`` (one carrier spreads over the particle).

    References
    ----------
    .. [1] Kim et al., J. Am. Chem. Soc. 125, 11466-11467 (2003); bibliography ``kim2003``.

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
    r"""Band offsets of ``shell`` relative to ``core`` from their absolute band edges.

    Parameters
    ----------
    core, shell : Material
        Materials with ``conduction_band_edge(T)`` and ``valence_band_edge(T)`` in eV.
    temperature : float
        Temperature in K.

    Returns
    -------
    BandOffsets
        ``conduction_eV`` and ``valence_eV`` (eV, sign convention of
        :func:`classify_offsets`) and the ``alignment``.

    Notes
    -----
    Anderson's electron-affinity rule: with absolute band edges
    :math:`E_c = -\chi` and :math:`E_v = -\chi - E_g(T)` (vacuum level 0, electron
    affinity :math:`\chi`), :math:`\Delta E_c = E_c^{shell} - E_c^{core}` and
    :math:`\Delta E_v = E_v^{core} - E_v^{shell}`.  Interface dipoles and strain are
    neglected.

    References
    ----------
    .. [1] Anderson, Solid-State Electron. 5, 341-351 (1962); bibliography ``anderson1962``.
    .. [2] Swank, Phys. Rev. 153, 844 (1967); bibliography ``swank1967``.
    """
    dc = shell.conduction_band_edge(temperature) - core.conduction_band_edge(temperature)
    dv = core.valence_band_edge(temperature) - shell.valence_band_edge(temperature)
    return BandOffsets(float(dc), float(dv), classify_offsets(dc, dv))


def carrier_region(band_edges_eV, level_eV) -> str:
    """Where a carrier level is classically allowed: ``"core"``, ``"shell"`` or ``"delocalised"``.

    Parameters
    ----------
    band_edges_eV : sequence of float
        Band edge of each layer (core first) in the carrier's own convention:
        energies increase into barriers (conduction edges for electrons, negated
        valence edges for holes), in eV.
    level_eV : float
        The carrier's level energy in the same convention, in eV.

    Returns
    -------
    str
        ``"core"``, ``"shell"`` or ``"delocalised"``.

    Notes
    -----
    The level :math:`E` is classically allowed in layer :math:`i` where :math:`E > V_i`
    (:math:`V_i`: the layer's band edge); allowed in the core and in a shell layer gives
    ``"delocalised"``, in a shell only ``"shell"``, otherwise ``"core"`` (a level below
    every edge is bound to the core by construction).

    References
    ----------
    .. [1] S. Kim, B. Fisher, H.-J. Eisler, M. Bawendi, J. Am. Chem. Soc. 125, 11466 (2003).
       Bibliography ``kim2003``.

    Examples
    --------
    >>> carrier_region([-4.95, -4.79], -4.70)   # CdSe/CdS electron above both edges
    'delocalised'
    >>> carrier_region([6.69, 7.21], 6.80)      # CdSe/CdS hole: only the core is allowed
    'core'
    """
    edges = np.asarray(band_edges_eV, dtype=float)
    allowed = level_eV > edges
    in_core = bool(allowed[0])
    in_shell = bool(np.any(allowed[1:]))
    if in_core and in_shell:
        return "delocalised"
    if in_shell:
        return "shell"
    return "core"


def alignment_from_levels(electron_edges_eV, electron_eV, hole_edges_eV, hole_eV) -> str:
    r"""Band alignment of a solved layered structure from its ground-state levels.

    Each carrier is assigned to the layers where its ground level lies above the
    local band edge (classically allowed regions, :func:`carrier_region`).

    Parameters
    ----------
    electron_edges_eV : sequence of float
        Conduction-band edge of each layer (core first), eV.
    electron_eV : float
        Electron ground level on the same scale, eV.
    hole_edges_eV : sequence of float
        Negated valence-band edge of each layer (core first), eV.
    hole_eV : float
        Hole ground level on the same (negated) scale, eV.

    Returns
    -------
    str
        ``"none"`` for a single material; ``"type I"`` (both carriers in the core),
        ``"inverse type I"`` (both in the shells), ``"type II"`` (one in the core,
        the other in the shells), ``"quasi-type II"`` (one carrier delocalised over
        core and shell, the other localised), ``"delocalised"`` (both spread over
        the whole particle).

    References
    ----------
    .. [1] Kim et al., J. Am. Chem. Soc. 125, 11466-11467 (2003); bibliography ``kim2003``.

    Examples
    --------
    >>> alignment_from_levels([-4.95, -4.79], -4.70, [6.69, 7.21], 6.80)
    'quasi-type II'
    >>> alignment_from_levels([-4.95, -3.9], -4.5, [6.69, 7.58], 6.8)
    'type I'
    """
    if len(electron_edges_eV) < 2:
        return "none"
    e = carrier_region(electron_edges_eV, electron_eV)
    h = carrier_region(hole_edges_eV, hole_eV)
    if e == h:
        return {"core": "type I", "shell": "inverse type I", "delocalised": "delocalised"}[e]
    if "delocalised" in (e, h):
        return "quasi-type II"
    return "type II"
