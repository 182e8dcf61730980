"""Multiexciton properties of one sphere or core/shell (the public entry point).

Equations, approximations and references: :mod:`qdlab.electronic.multiexcitons`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from qdlab.electronic.multiexcitons.energies import binding_energies_eV, coulomb_integrals
from qdlab.electronic.multiexcitons.rates import (
    DEFAULT_AUGER_BETA_PS_NM3,
    RADIATIVE_SCALING,
    auger_lifetimes_ns,
    quantum_yield,
)
from qdlab.errors import QdlabInputError, check_positive

__all__ = ["LEVELS_JSON_KEYS", "SOLVER_OPTIONS", "MultiexcitonProperties",
           "multiexciton_properties"]

#: Options of :func:`multiexciton_properties` passed to the radial solver.
SOLVER_OPTIONS = ("nonparabolic", "screening", "coulomb", "interface_width_nm", "dielectric")

#: Fields copied to the top level of ``qdlab levels --multiexcitons --json`` and of the
#: API levels answer (the whole dict is under ``multiexcitons``).
LEVELS_JSON_KEYS = (
    "exciton_energy_eV", "biexciton_binding_meV", "positive_trion_binding_meV",
    "negative_trion_binding_meV", "exciton_radiative_lifetime_ns",
    "biexciton_radiative_lifetime_ns", "biexciton_auger_lifetime_ns", "biexciton_lifetime_ns",
    "positive_trion_radiative_lifetime_ns", "positive_trion_auger_lifetime_ns",
    "positive_trion_lifetime_ns", "negative_trion_radiative_lifetime_ns",
    "negative_trion_auger_lifetime_ns", "negative_trion_lifetime_ns", "exciton_qy",
    "positive_trion_qy", "negative_trion_qy", "biexciton_qy", "biexciton_emission_eV",
    "positive_trion_emission_eV", "negative_trion_emission_eV")


@dataclass(frozen=True)
class MultiexcitonProperties:
    r"""Energies, lifetimes and quantum yields of X, XX, X+ and X- (module notes).

    The contract fields come first (their names are kept); the others report the
    ingredients.

    Attributes
    ----------
    structure : str
        Label of the structure (``"CdSe/CdS"``).
    exciton_energy_eV : float
        First exciton of the single-band radial states whose Coulomb integrals are
        used, eV.
    biexciton_binding_meV, positive_trion_binding_meV, negative_trion_binding_meV : float
        :math:`\Delta_{XX}`, :math:`\Delta_{X^+}`, :math:`\Delta_{X^-}` in meV; > 0 bound
        (emission below the exciton line), < 0 repulsive.
    exciton_radiative_lifetime_ns : float
        Thermally averaged k.p band-edge radiative lifetime, ns.
    biexciton_radiative_lifetime_ns : float
        1/4 of the exciton's, ns.
    positive_trion_radiative_lifetime_ns, negative_trion_radiative_lifetime_ns : float
        1/2 of the exciton's, ns.
    biexciton_auger_lifetime_ns : float
        Auger lifetime of the volume-scaling model, ns.
    positive_trion_auger_lifetime_ns, negative_trion_auger_lifetime_ns : float
        Auger lifetimes of the X+ (energy to a hole) and X- (to an electron) channels, ns.
    biexciton_lifetime_ns, positive_trion_lifetime_ns, negative_trion_lifetime_ns : float
        :math:`1/(1/\tau_r + 1/\tau_A)`, ns.
    exciton_qy, positive_trion_qy, negative_trion_qy, biexciton_qy : float
        Quantum yields, 0-1.
    biexciton_emission_eV, positive_trion_emission_eV, negative_trion_emission_eV : float
        Emission lines :math:`E_X - \Delta`, eV.
    J_eh_meV, J_ee_meV, J_hh_meV : float
        Direct Coulomb integrals with image terms, meV.
    overlap : float
        Electron-hole envelope overlap :math:`K`.
    electron_volume_nm3, hole_volume_nm3, nanocrystal_volume_nm3 : float
        Carrier volumes of the Auger model and the crystal volume, nm^3.
    alignment : str
        Band alignment of the states (type I, quasi-type II, type II, none).
    temperature_K : float
        Temperature of the radiative rate, K.
    fine_structure : bool
        Whether the Efros fine structure was averaged (wurtzite CdSe cores).
    exciton_nonradiative_lifetime_ns, auger_beta_ps_nm3, auger_suppression
        The model parameters used (ns, ps nm^-3, factor).
    model : str
        One-line description of the models.
    """

    structure: str
    exciton_energy_eV: float
    biexciton_binding_meV: float
    positive_trion_binding_meV: float
    negative_trion_binding_meV: float
    exciton_radiative_lifetime_ns: float
    biexciton_radiative_lifetime_ns: float
    biexciton_auger_lifetime_ns: float
    biexciton_lifetime_ns: float
    positive_trion_radiative_lifetime_ns: float
    positive_trion_auger_lifetime_ns: float
    negative_trion_radiative_lifetime_ns: float
    negative_trion_auger_lifetime_ns: float
    exciton_qy: float
    positive_trion_qy: float
    negative_trion_qy: float
    biexciton_qy: float
    # ingredients
    biexciton_emission_eV: float = float("nan")
    positive_trion_emission_eV: float = float("nan")
    negative_trion_emission_eV: float = float("nan")
    positive_trion_lifetime_ns: float = float("nan")
    negative_trion_lifetime_ns: float = float("nan")
    J_eh_meV: float = float("nan")
    J_ee_meV: float = float("nan")
    J_hh_meV: float = float("nan")
    overlap: float = float("nan")
    electron_volume_nm3: float = float("nan")
    hole_volume_nm3: float = float("nan")
    nanocrystal_volume_nm3: float = float("nan")
    alignment: str = ""
    temperature_K: float = 300.0
    fine_structure: bool = False
    exciton_nonradiative_lifetime_ns: float | None = None
    auger_beta_ps_nm3: float = DEFAULT_AUGER_BETA_PS_NM3
    auger_suppression: float = 1.0
    model: str = ("first-order Coulomb integrals of the single-band radial states; k.p "
                  "radiative rate with statistical scaling; volume-scaling Auger model")

    def to_dict(self) -> dict:
        """JSON-ready dict of every field (the ``--multiexcitons --json`` keys)."""
        return asdict(self)


def _exciton_radiative_lifetime_ns(structure, temperature_K: float) -> tuple[float, bool]:
    """Thermally averaged k.p band-edge radiative lifetime (ns) and whether fine structure."""
    from qdlab.electronic.kp.lifetimes import structure_radiative_lifetime_ns

    try:
        return structure_radiative_lifetime_ns(structure, temperature_K)
    except QdlabInputError as exc:
        raise QdlabInputError(f"{structure.label}: no exciton radiative rate for the "
                              f"multiexcitons: {exc}") from None


def multiexciton_properties(structure, *, temperature_K: float = 300.0,
                            exciton_radiative_lifetime_ns: float | None = None,
                            exciton_nonradiative_lifetime_ns: float | None = None,
                            auger_beta_ps_nm3: float = DEFAULT_AUGER_BETA_PS_NM3,
                            auger_suppression: float = 1.0,
                            **solver_options) -> MultiexcitonProperties:
    r"""Biexciton and trion energies, radiative and Auger lifetimes, quantum yields.

    Parameters
    ----------
    structure : Sphere or CoreShell
        The nanocrystal (what :func:`qdlab.electronic.report.levels_report` takes).
        Other shapes are refused (their binding energies: :func:`multiexciton_energies`).
    temperature_K : float
        Temperature of the fine-structure population and of the k.p band edge, K.
        The structure's own temperature sets the single-band levels.
    exciton_radiative_lifetime_ns : float, optional
        Radiative lifetime of the exciton, ns.  Default: the thermally averaged k.p band
        edge (:func:`qdlab.electronic.kp.lifetimes.structure_radiative_lifetime_ns`),
        refused where it does not apply.  The command line, the API and the device
        models pass :func:`qdlab.optics.transitions.radiative_lifetime` (the same k.p
        value where it applies, the single band otherwise), so that one structure has
        one radiative lifetime everywhere.
    exciton_nonradiative_lifetime_ns : float, optional
        Nonradiative (trapping) lifetime of the exciton, ns; default none
        (radiative-limited exciton, QY = 1).
    auger_beta_ps_nm3 : float
        Volume-scaling constant of the biexciton Auger time, ps nm^-3.
    auger_suppression : float
        Factor >= 1 lengthening the Auger times (graded interfaces, Cragg & Efros 2010).
    **solver_options
        ``nonparabolic``, ``screening``, ``coulomb``, ``interface_width_nm``,
        ``dielectric`` of :func:`qdlab.electronic.sphere.solve_sphere`.

    Returns
    -------
    MultiexcitonProperties

    Raises
    ------
    QdlabInputError
        A shape other than a sphere / core-shell, an unknown option, a bad number,
        or a material without a k.p band-edge model (no radiative rate).

    Notes
    -----
    :math:`\Delta_{XX} = 2J_{eh}-J_{ee}-J_{hh}`, :math:`\Delta_{X^\pm} = J_{eh}-J_{hh,ee}`;
    :math:`k_{r,XX} = 4k_{r,X}`, :math:`k_{r,X^\pm} = 2k_{r,X}`;
    :math:`1/\tau_{X^\mp,A} = |K|^2/(4\beta S V_{e,h})`,
    :math:`1/\tau_{XX,A} = 2/\tau_{X^-,A} + 2/\tau_{X^+,A}`;
    :math:`QY = k_r/(k_r + k_A)`.  See the module notes for where this is approximate.

    References
    ----------
    .. [1] V. I. Klimov et al., Science 287, 1011 (2000).
    .. [2] I. Robel et al., Phys. Rev. Lett. 102, 177404 (2009).
    .. [3] V. I. Klimov et al., Nature 447, 441 (2007).
    .. [4] G. E. Cragg, Al. L. Efros, Nano Lett. 10, 313 (2010).
    .. [5] Y.-S. Park et al., Nano Lett. 14, 396 (2014).

    Examples
    --------
    >>> from qdlab.structures import parse_layers
    >>> p = multiexciton_properties(parse_layers("CdTe/CdSe", 4.0, [1.5]))
    >>> p.alignment, p.biexciton_binding_meV < 0        # type II: repulsive biexciton
    ('type II', True)
    """
    from qdlab.electronic.sphere.exciton import solve_sphere
    from qdlab.structures import SphericalStructure

    if not isinstance(structure, SphericalStructure):
        raise QdlabInputError(
            f"multiexciton rates need a Sphere or CoreShell, got {type(structure).__name__}: "
            "the radiative rate (k.p band edge) and the Auger model are for spheres and "
            "core/shells; the binding energies of other shapes come from "
            "multiexciton_energies (3D grid)")
    for k in solver_options:
        if k not in SOLVER_OPTIONS:
            raise QdlabInputError(f"{k} is not an option of multiexciton_properties "
                                  f"(allowed: {', '.join(SOLVER_OPTIONS)}), got {k}="
                                  f"{solver_options[k]!r}")
    check_positive(temperature_K, "temperature_K", "K")
    if exciton_nonradiative_lifetime_ns is not None:
        check_positive(exciton_nonradiative_lifetime_ns, "exciton_nonradiative_lifetime_ns",
                       "ns")
    check_positive(auger_beta_ps_nm3, "auger_beta_ps_nm3", "ps nm^-3")
    if not (math.isfinite(float(auger_suppression)) and float(auger_suppression) >= 1.0):
        raise QdlabInputError(f"auger_suppression must be a finite number >= 1, got "
                              f"{auger_suppression}")
    states = solve_sphere(structure, l_max=0, n_states=1, **solver_options)
    c = coulomb_integrals(states)
    bind = binding_energies_eV(c.J_eh_eV, c.J_ee_eV, c.J_hh_eV)
    if exciton_radiative_lifetime_ns is None:
        tau_x, fs = _exciton_radiative_lifetime_ns(structure, float(temperature_K))
    else:
        check_positive(exciton_radiative_lifetime_ns, "exciton_radiative_lifetime_ns", "ns")
        tau_x, fs = float(exciton_radiative_lifetime_ns), False
    auger = auger_lifetimes_ns(c.overlap, c.electron_volume_nm3, c.hole_volume_nm3,
                               beta_ps_nm3=auger_beta_ps_nm3, suppression=auger_suppression)
    kx = 1.0 / tau_x
    k_xx, k_tr = RADIATIVE_SCALING["biexciton"] * kx, RADIATIVE_SCALING["trion"] * kx
    k_nr = 0.0 if exciton_nonradiative_lifetime_ns is None else \
        1.0 / float(exciton_nonradiative_lifetime_ns)
    ka = {k: 1.0 / v for k, v in auger.items()}
    e_x = float(states.first_exciton_eV)
    R = float(structure.radii_nm[-1])
    return MultiexcitonProperties(
        structure=structure.label,
        exciton_energy_eV=e_x,
        biexciton_binding_meV=1e3 * bind["biexciton"],
        positive_trion_binding_meV=1e3 * bind["positive_trion"],
        negative_trion_binding_meV=1e3 * bind["negative_trion"],
        exciton_radiative_lifetime_ns=tau_x,
        biexciton_radiative_lifetime_ns=1.0 / k_xx,
        biexciton_auger_lifetime_ns=auger["biexciton"],
        biexciton_lifetime_ns=1.0 / (k_xx + ka["biexciton"]),
        positive_trion_radiative_lifetime_ns=1.0 / k_tr,
        positive_trion_auger_lifetime_ns=auger["positive_trion"],
        negative_trion_radiative_lifetime_ns=1.0 / k_tr,
        negative_trion_auger_lifetime_ns=auger["negative_trion"],
        exciton_qy=quantum_yield(kx, k_nr),
        positive_trion_qy=quantum_yield(k_tr, ka["positive_trion"]),
        negative_trion_qy=quantum_yield(k_tr, ka["negative_trion"]),
        biexciton_qy=quantum_yield(k_xx, ka["biexciton"]),
        biexciton_emission_eV=e_x - bind["biexciton"],
        positive_trion_emission_eV=e_x - bind["positive_trion"],
        negative_trion_emission_eV=e_x - bind["negative_trion"],
        positive_trion_lifetime_ns=1.0 / (k_tr + ka["positive_trion"]),
        negative_trion_lifetime_ns=1.0 / (k_tr + ka["negative_trion"]),
        J_eh_meV=1e3 * c.J_eh_eV, J_ee_meV=1e3 * c.J_ee_eV, J_hh_meV=1e3 * c.J_hh_eV,
        overlap=c.overlap, electron_volume_nm3=c.electron_volume_nm3,
        hole_volume_nm3=c.hole_volume_nm3,
        nanocrystal_volume_nm3=4.0 / 3.0 * math.pi * R**3,
        alignment=states.alignment, temperature_K=float(temperature_K), fine_structure=fs,
        exciton_nonradiative_lifetime_ns=(None if exciton_nonradiative_lifetime_ns is None
                                          else float(exciton_nonradiative_lifetime_ns)),
        auger_beta_ps_nm3=float(auger_beta_ps_nm3), auger_suppression=float(auger_suppression),
    )
