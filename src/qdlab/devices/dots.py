r"""qdlab picks the dots: a target emission peak (or a structure spec) -> an ensemble.

A display designer asks for "a green at 530 nm, 25 nm wide"; this module answers with
the core diameter (and size dispersion) of a given material whose ensemble
photoluminescence, in qdlab's own forward model
(:class:`qdlab.optics.ensemble.Ensemble`), peaks there.  Or it takes a structure spec
such as ``"CdSe/ZnS:3.5,1.0"`` (core diameter 3.5 nm, one 1.0 nm ZnS shell) as is.

Inversion
---------
The first transition :math:`E_1(d)` of the recipe is solved once on a diameter grid
(:class:`qdlab.optics.tables.TransitionTable`) and inverted with
:meth:`~qdlab.optics.tables.TransitionTable.diameter_for_energy` at
:math:`E_1 = hc/\lambda_{PL} + \Delta_S` (the ensemble's Stokes shift) for a start;
then a secant iteration on the full ensemble PL peak
(:meth:`~qdlab.optics.ensemble.Ensemble.emission_peak_nm`, which includes the size
distribution and the :math:`E^2` Jacobian) brings the peak within
:data:`PEAK_TOLERANCE_NM` of the target.  A target FWHM sets the size dispersion: with
the homogeneous width :math:`\Gamma_h` as floor, the PL width grows as
:math:`w^2 \approx w_h^2 + (k\,\sigma_d/d)^2`; two evaluations give :math:`w_h` and
:math:`k`, then a secant iteration refines the dispersion.

Spec grammar (``parse_dot_spec``)
---------------------------------
``"630"``
    a target PL peak in nm, default material (CdSe, or InP with ``rohs=True``);
``"InP/ZnS@530"`` or ``"InP/ZnSe/ZnS@530:1.5,1.0"``
    a target peak for a given recipe (shell thicknesses in nm after ``:``);
``"CdSe/ZnS:3.5,1.0"`` or ``"CdSe:4.2"``
    a structure: core diameter then shell thicknesses in nm (as ``qdlab levels
    CdSe/ZnS --core-diameter 3.5 --shell 1.0``).

Known limits: the single-band transitions of qdlab put the CdSe first peak ~10 nm
red of the Jasieniak calibration at 5 nm (:mod:`qdlab.optics.ensemble`), so the
picked diameter inherits that error; InP has no tabulated bulk optical constants, so
its absorption far above the gap holds only the discrete transitions (a warning).

References
----------
.. [1] J. Jasieniak, L. Smith, J. van Embden, P. Mulvaney, M. Califano, J. Phys. Chem.
   C 113, 19468 (2009).
.. [2] EU Directive 2011/65/EU (RoHS 2): Cd at most 0.01 wt% in homogeneous materials.

Examples
--------
>>> spec = parse_dot_spec("CdSe/ZnS:3.5,1.0")
>>> spec.materials, spec.core_diameter_nm, spec.shells_nm
(('CdSe', 'ZnS'), 3.5, (1.0,))
>>> parse_dot_spec("630", rohs=True).materials, parse_dot_spec("630").target_peak_nm
(('InP',), 630.0)
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, QdlabValidityWarning, check_range
from qdlab.optics.ensemble import DEFAULT_STOKES_SHIFT_EV, Ensemble, SizeDistribution
from qdlab.optics.tables import TransitionTable
from qdlab.structures import Medium

__all__ = [
    "DEFAULT_DISPERSION_PCT",
    "DEFAULT_MATERIAL",
    "DotSpec",
    "PEAK_TOLERANCE_NM",
    "PickedDots",
    "parse_dot_spec",
    "pick_dots",
]

#: Default core material of a bare target peak: CdSe, or InP when RoHS compliance is
#: asked for (Cd-free; RoHS 2, Directive 2011/65/EU).
DEFAULT_MATERIAL = {False: "CdSe", True: "InP"}
#: Size dispersion (std/mean, %) when no target FWHM is given: a good hot-injection batch.
DEFAULT_DISPERSION_PCT = 5.0
#: The picked PL peak lies within this of the target, nm.
PEAK_TOLERANCE_NM = 0.5
#: Diameters searched, nm (below ~1.5 nm the effective-mass model fails; above 12 nm
#: there is little confinement left).
D_RANGE_NM = (1.5, 12.0)
#: Thinnest shell accepted, nm: about one monolayer of ZnS or CdS (0.31-0.34 nm); thinner
#: "shells" are not a layer (and the core/shell ensemble misbehaves for them).
MIN_SHELL_NM = 0.3
#: Largest size dispersion the FWHM search may use, %.
MAX_DISPERSION_PCT = 25.0

_NUM = r"[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?"
_MATS = r"[A-Za-z][A-Za-z0-9_.\-]*(?:/[A-Za-z][A-Za-z0-9_.\-]*)*"


@dataclass(frozen=True)
class DotSpec:
    """A parsed dot request: materials (core first), shells (nm), and either a core
    diameter (nm) or a target PL peak (nm)."""

    materials: tuple
    shells_nm: tuple = ()
    core_diameter_nm: float | None = None
    target_peak_nm: float | None = None
    text: str = ""


def parse_dot_spec(text, *, rohs: bool = False) -> DotSpec:
    """Parse a target peak (``"630"``, ``"InP/ZnS@530:1.0"``) or a structure spec
    (``"CdSe/ZnS:3.5,1.0"``); see the module notes for the grammar.

    Parameters
    ----------
    text : str or float
        The spec.
    rohs : bool
        Default material InP instead of CdSe for a bare peak; a spec naming a Cd
        material is refused.

    Returns
    -------
    DotSpec

    Raises
    ------
    QdlabInputError
        On a malformed spec, a shell count that does not match, or a Cd material with
        ``rohs=True``.
    """
    s = str(text).strip()
    if re.fullmatch(_NUM, s):
        spec = DotSpec((DEFAULT_MATERIAL[bool(rohs)],), target_peak_nm=float(s), text=s)
    else:
        m = re.fullmatch(rf"({_MATS})(?:@({_NUM}))?(?::({_NUM}(?:,{_NUM})*))?", s)
        if not m:
            raise QdlabInputError(
                f"dot spec must be a peak in nm (630), MATERIALS@PEAK[:SHELLS] "
                f"(InP/ZnS@530:1.0) or MATERIALS:CORE[,SHELLS] (CdSe/ZnS:3.5,1.0), got {s!r}")
        mats = tuple(x for x in m.group(1).split("/"))
        nums = [float(x) for x in m.group(3).split(",")] if m.group(3) else []
        if m.group(2) is not None:
            shells, core, peak = nums, None, float(m.group(2))
        else:
            if not nums:
                raise QdlabInputError(f"dot spec {s!r} gives neither a core diameter "
                                      "(CdSe:4.2) nor a target peak (CdSe@600)")
            core, shells, peak = nums[0], nums[1:], None
        if len(shells) != len(mats) - 1:
            raise QdlabInputError(f"dot spec {s!r}: {len(mats) - 1} shell material(s) need "
                                  f"{len(mats) - 1} shell thickness(es) in nm, got {len(shells)}")
        if any(t < MIN_SHELL_NM for t in shells) or (core is not None and core <= 0):
            raise QdlabInputError(f"dot spec {s!r}: the core diameter must be > 0 nm and each "
                                  f"shell >= {MIN_SHELL_NM:g} nm (one monolayer)")
        spec = DotSpec(mats, tuple(shells), core, peak, s)
    if spec.target_peak_nm is not None:
        check_range(spec.target_peak_nm, "target peak", 380.0, 830.0, "nm")
    if rohs and any(re.search(r"Cd(?![a-z])", mname) for mname in spec.materials):
        raise QdlabInputError(f"dot spec {s!r} contains cadmium, refused with RoHS "
                              "(use InP-based dots)")
    return spec


@dataclass
class PickedDots:
    """An ensemble chosen for a colour: the spec, the diameter found and the ensemble."""

    spec: DotSpec
    core_diameter_nm: float
    dispersion_pct: float
    ensemble: Ensemble = field(repr=False)
    pl_peak_nm: float
    pl_fwhm_nm: float
    iterations: int = 0

    def to_dict(self) -> dict:
        """JSON-ready description (no spectra)."""
        return {"spec": self.spec.text, "materials": "/".join(self.spec.materials),
                "core_diameter_nm": self.core_diameter_nm,
                "shells_nm": list(self.spec.shells_nm),
                "dispersion_pct": self.dispersion_pct,
                "target_peak_nm": self.spec.target_peak_nm,
                "pl_peak_nm": self.pl_peak_nm, "pl_fwhm_nm": self.pl_fwhm_nm,
                "quantum_yield": self.ensemble.quantum_yield,
                "first_peak_nm": self.ensemble.first_peak_nm()}


def _ensemble(spec, d, disp, qy, medium):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QdlabValidityWarning)   # re-checked at the end
        return Ensemble(spec.materials[0], SizeDistribution.normal(d, disp),
                        shells=list(zip(spec.materials[1:], spec.shells_nm, strict=True)),
                        quantum_yield=qy, medium=medium)


def _fit_peak(spec, disp, qy, medium, d0, table) -> tuple[float, Ensemble, int]:
    """Secant iteration of the core diameter on the ensemble PL peak."""
    target = spec.target_peak_nm
    lo, hi = D_RANGE_NM
    d, ens = d0, _ensemble(spec, d0, disp, qy, medium)
    peak = ens.emission_peak_nm()
    # slope d(peak)/dd from the table, nm per nm
    dd = 0.05 * d
    e_a, e_b = table.energies_eV(np.array([max(lo, d - dd), min(hi, d + dd)]))[:, 0]
    slope = (HC_EV_NM / e_b - HC_EV_NM / e_a) / (min(hi, d + dd) - max(lo, d - dd))
    it = 0
    for _ in range(8):
        if abs(peak - target) <= PEAK_TOLERANCE_NM:
            break
        it += 1
        d_new = float(np.clip(d + (target - peak) / slope, lo, hi))
        if d_new == d:
            break
        ens_new = _ensemble(spec, d_new, disp, qy, medium)
        p_new = ens_new.emission_peak_nm()
        if p_new != peak:
            slope = max((p_new - peak) / (d_new - d), 1e-3)
        d, ens, peak = d_new, ens_new, p_new
    if abs(peak - target) > 2 * PEAK_TOLERANCE_NM:
        raise QdlabInputError(
            f"target peak {target:g} nm is out of reach for {'/'.join(spec.materials)}: "
            f"core diameters {lo:g}-{hi:g} nm give PL peaks "
            f"{HC_EV_NM / (table.energies_eV(np.array([lo]))[0, 0] - ens.stokes_shift_eV):.0f}-"
            f"{HC_EV_NM / (table.energies_eV(np.array([hi]))[0, 0] - ens.stokes_shift_eV):.0f}"
            " nm in qdlab's model (choose another material)")
    return d, ens, it


def pick_dots(spec, *, fwhm_nm: float | None = None, quantum_yield: float = 0.9,
              rohs: bool = False, dispersion_pct: float | None = None,
              medium: Medium | None = None) -> PickedDots:
    r"""Choose the dots for one colour: invert qdlab's PL peak (and width) for a target.

    Parameters
    ----------
    spec : str, float or DotSpec
        Target peak in nm, or a spec (see :func:`parse_dot_spec`).
    fwhm_nm : float, optional
        Target PL FWHM, nm (sets the size dispersion); None: ``dispersion_pct``.
    quantum_yield : float
        PL quantum yield of the dots, 0-1 (default 0.9, commercial core/shell dots).
    rohs : bool
        Cd-free default material (InP).
    dispersion_pct : float, optional
        Size dispersion std/mean in % (default :data:`DEFAULT_DISPERSION_PCT`); not
        with ``fwhm_nm``.
    medium : Medium, optional
        Surroundings (default organic ligands).

    Returns
    -------
    PickedDots

    Notes
    -----
    Start: :math:`d_0` with :math:`E_1(d_0) = hc/\lambda_t + \Delta_S`
    (:meth:`~qdlab.optics.tables.TransitionTable.diameter_for_energy`); then secant
    steps :math:`d_{k+1} = d_k + (\lambda_t - \lambda_k)/s_k` on the ensemble PL peak
    :math:`\lambda_k` until :math:`|\lambda_k - \lambda_t| \le` 0.5 nm.  Width: see the
    module notes.

    Examples
    --------
    >>> p = pick_dots("610")
    >>> abs(p.pl_peak_nm - 610) <= PEAK_TOLERANCE_NM, round(p.core_diameter_nm, 1)
    (True, 4.0)
    """
    if not isinstance(spec, DotSpec):
        spec = parse_dot_spec(spec, rohs=rohs)
    check_range(quantum_yield, "quantum_yield", 0.0, 1.0)
    if fwhm_nm is not None and dispersion_pct is not None:
        raise QdlabInputError("give either fwhm_nm or dispersion_pct, not both")
    if fwhm_nm is not None:
        check_range(fwhm_nm, "fwhm_nm", 5.0, 150.0, "nm")
    disp = DEFAULT_DISPERSION_PCT if dispersion_pct is None else float(
        check_range(dispersion_pct, "dispersion_pct", 0.5, MAX_DISPERSION_PCT, "%"))
    medium = medium if medium is not None else Medium()
    if spec.target_peak_nm is None:
        d, it = float(spec.core_diameter_nm), 0
        ens = _ensemble(spec, d, disp, quantum_yield, medium)
        table = None
    else:
        table = TransitionTable(spec.materials, spec.shells_nm, *D_RANGE_NM, medium, 300.0,
                                n_grid=24, n_transitions=1)
        e_start = HC_EV_NM / spec.target_peak_nm + DEFAULT_STOKES_SHIFT_EV
        d0 = table.diameter_for_energy(e_start)
        d, ens, it = _fit_peak(spec, disp, quantum_yield, medium, d0, table)
    if fwhm_nm is not None:
        disp, d, ens, it2 = _fit_width(spec, fwhm_nm, d, disp, ens, quantum_yield, medium,
                                       table)
        it += it2
    # validity warnings of the final size (e.g. outside the strong-confinement model)
    ens = Ensemble(spec.materials[0], SizeDistribution.normal(d, disp),
                   shells=list(zip(spec.materials[1:], spec.shells_nm, strict=True)),
                   quantum_yield=quantum_yield, medium=medium, table=ens.table)
    return PickedDots(spec, d, disp, ens, ens.emission_peak_nm(), ens.emission_fwhm_nm(), it)


def _fit_width(spec, target, d, disp, ens, qy, medium, table):
    """Size dispersion (%) whose PL FWHM is ``target`` nm (peak re-fitted if targeted)."""
    w1 = ens.emission_fwhm_nm()
    disp2 = disp * 2.0
    ens2 = _ensemble(spec, d, disp2, qy, medium)
    w2 = ens2.emission_fwhm_nm()
    # w^2 = wh^2 + (k disp)^2
    k2 = max((w2**2 - w1**2) / (disp2**2 - disp**2), 1e-9)
    wh2 = max(w1**2 - k2 * disp**2, 0.0)
    floor = np.sqrt(wh2 + k2 * 0.5**2)
    if target < floor - 1.0:
        raise QdlabInputError(
            f"fwhm_nm must be >= {floor:.0f} nm for {'/'.join(spec.materials)} at "
            f"{ens.emission_peak_nm():.0f} nm (the homogeneous line width of qdlab's model "
            f"at 300 K sets the floor), got {target:g}")
    it = 0
    for _ in range(4):
        it += 1
        new = float(np.clip(np.sqrt(max(target**2 - wh2, 0.25 * k2) / k2), 0.5,
                            MAX_DISPERSION_PCT))
        if spec.target_peak_nm is not None:
            d, ens, _ = _fit_peak(spec, new, qy, medium, d, table)
        else:
            ens = _ensemble(spec, d, new, qy, medium)
        disp = new
        w = ens.emission_fwhm_nm()
        if abs(w - target) <= 1.0:
            break
        k2 = max((w**2 - wh2) / disp**2, 1e-9)
    if abs(w - target) > 3.0:
        raise QdlabInputError(f"fwhm_nm = {target:g} nm is out of reach for "
                              f"{'/'.join(spec.materials)} (size dispersion 0.5-"
                              f"{MAX_DISPERSION_PCT:g} % gives {w:.0f} nm at the end of "
                              "the search)")
    return disp, d, ens, it
