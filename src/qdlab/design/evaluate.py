r"""Vectorised evaluation of many core/shell candidates: exciton, PL, width, flags.

:func:`evaluate` takes one material stack and arrays of core diameters and shell
thicknesses and returns one column per property.  All physics comes from the layers
below, nothing is re-modelled here:

* first exciton :math:`E_1` (single-particle levels, Coulomb and image terms):
  :func:`qdlab.electronic.sphere.first_exciton_batch`, the same solver as ``qdlab
  levels``; with ``exact=False`` (screening) on a coarser Coulomb grid
  (:data:`FAST_SETTINGS`), which agrees with ``qdlab levels``
  to :data:`FAST_TOLERANCE_EV` (tested);
* electron-hole overlap, probabilities in the core: the same call;
* alignment type: :func:`qdlab.electronic.sphere.alignment_from_levels`;
* PL peak: :math:`E_{PL} = E_1 - \Delta_S` with the Stokes shift of
  :data:`qdlab.optics.stokes.STOKES_METHODS` (``"constant"``, the ensemble default);
* PL width: module notes;
* lattice mismatch, monolayers, RoHS / heavy-metal flags: the materials database.

Notes
-----
*PL width.*  A synthesis reaching a relative size dispersion :math:`\sigma_d/d`
(std/mean of the core diameter; the shells are of fixed thickness, as in
:class:`qdlab.optics.ensemble.Ensemble`) broadens the line by
:math:`\Gamma_{inh} = 2\sqrt{2\ln 2}\,|\partial E_{gap}/\partial d|\,\sigma_d`, the
derivative of the single-particle gap taken by a forward difference with the exact
radial solver (the levels of :func:`qdlab.electronic.sphere.pair_energy_batch`,
bracketed around those of the structure itself); the size
dependence of the Coulomb term (about :math:`-J/d`, 10-15 % of the derivative in
strong confinement) is left out of this first-order width.  The homogeneous line
:math:`\Gamma_{hom}(T)` (:class:`qdlab.optics.broadening.HomogeneousWidth`) adds in
quadrature (two Gaussians): :math:`\Gamma = \sqrt{\Gamma_{inh}^2 + \Gamma_{hom}^2}`,
converted to nm around the PL peak.  :func:`qdlab.design.design` refines its
returned candidates with the full ensemble spectrum.

*Lattice mismatch* at each interface, :math:`f = (a_{out} - a_{in})/a_{in}`, with the
cubic-equivalent lattice constant (zinc blende, diamond, rock salt: :math:`a`;
wurtzite: :math:`\sqrt2\,a`, the same anion-anion distance).  It is the misfit strain
of a coherent interface; perovskite layers have no epitaxial relation to tetrahedral
ones here (NaN).  *Monolayers*: the shell thickness over the (111) bilayer spacing
:math:`a/\sqrt3` (wurtzite: :math:`c/2`; rock salt :math:`a/2`; perovskite :math:`a`).

*Uncertainty* of the predicted peaks (1 sigma, eV; :data:`MODEL_UNCERTAINTY_EV`): from
``qdlab validate``, the single-band model meets the measured sizing curves of CdSe,
CdTe, CdS, PbS and PbSe to ~0.05 eV at diameters >= 3 nm and overshoots by 0.11-0.16
eV below 3 nm (:data:`qdlab.electronic.model_validation.KNOWN_MISSES`); materials
without measured sizing data in qdlab get twice these values.

References
----------
.. [1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984).
.. [2] D. Valerini et al., Phys. Rev. B 71, 235409 (2005) (homogeneous width).
.. [3] D. J. Norris, M. G. Bawendi, Phys. Rev. B 53, 16338 (1996) (Stokes shift).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from qdlab.constants import HC_EV_NM
from qdlab.errors import QdlabInputError, check_positive

__all__ = ["FAST_SETTINGS", "FAST_TOLERANCE_EV", "HEAVY_METALS", "MODEL_UNCERTAINTY_EV",
           "VALIDATED_CORES", "COLUMNS", "evaluate", "layer_facts"]

#: Settings of :func:`~qdlab.electronic.sphere.first_exciton_batch` for screening.
FAST_SETTINGS = {"n_grid": 65}
#: Largest difference of the screening first exciton from ``qdlab levels`` (eV) that the
#: tests allow: 5 meV (1 nm at 530 nm), far below the model uncertainty.  Measured over
#: every default design stack (:data:`qdlab.design.inverse.DEFAULT_CORES` x
#: ``DEFAULT_SHELLS``) on random sizes (cores 1.5-12 nm, shells 0.3-3 nm): at most 4.8 meV
#: (CsPbCl3/CdS, type II), median 0.8 meV; CdSe/ZnS at most 0.4 meV.  The difference is
#: the trapezoid error of the 65-point grid (:data:`FAST_SETTINGS`).
FAST_TOLERANCE_EV = 5e-3
#: Elements counted as heavy metals by the ``no_heavy_metals`` constraint.
HEAVY_METALS = ("Cd", "Pb", "Hg")
#: Core materials with measured sizing data in qdlab's validation (``qdlab validate``).
VALIDATED_CORES = ("CdSe", "CdTe", "CdS", "PbS", "PbSe")
#: 1-sigma model uncertainty of a peak, eV: (core diameter >= 3 nm, < 3 nm), validated cores.
MODEL_UNCERTAINTY_EV = (0.05, 0.15)
#: Diameter (nm) below which the single-band model overshoots (module notes).
SMALL_CORE_NM = 3.0
#: Step (nm) of the forward difference of the gap with the core diameter.
_DIAMETER_STEP_NM = 0.01

#: Columns of :func:`evaluate` (and of the screening dataset, in this order).
COLUMNS = ("first_exciton_eV", "first_exciton_nm", "pl_peak_eV", "pl_peak_nm", "fwhm_nm",
           "single_particle_gap_eV", "coulomb_eV", "overlap", "electron_in_core",
           "hole_in_core", "alignment", "max_mismatch_pct", "shell_monolayers",
           "rohs_compliant", "heavy_metals", "uncertainty_nm", "valid", "note")


def _cubic_a(m) -> float:
    cs = m.crystal_structure
    if "perovskite" in cs:
        return math.nan
    if cs == "wurtzite":
        return math.sqrt(2.0) * m.lattice_constant_nm
    return m.lattice_constant_nm


def _monolayer_nm(m) -> float:
    cs = m.crystal_structure
    if "perovskite" in cs:
        return m.lattice_constant_nm
    if cs == "wurtzite":
        c = m.lattice_c_nm if m.lattice_c_nm else m.lattice_constant_nm * math.sqrt(8.0 / 3.0)
        return c / 2.0
    if cs == "rocksalt":
        return m.lattice_constant_nm / 2.0
    return m.lattice_constant_nm / math.sqrt(3.0)


def layer_facts(materials: Sequence) -> dict:
    """Composition facts of a material stack (no sizes needed).

    Returns
    -------
    dict
        ``mismatch_pct`` (list, one per interface, %), ``max_mismatch_pct``,
        ``monolayer_nm`` (per shell, nm), ``restricted_elements`` (RoHS, tuple),
        ``rohs_compliant``, ``heavy_metals`` (bool), ``elements``.

    Examples
    --------
    >>> f = layer_facts(["InP", "ZnSe", "ZnS"])
    >>> [round(x, 1) for x in f["mismatch_pct"]], f["rohs_compliant"]
    ([-3.4, -4.5], True)
    """
    from qdlab.structures.spheres import resolve_materials

    mats = resolve_materials(materials)
    a = [_cubic_a(m) for m in mats]
    mism = [100.0 * (a[i + 1] - a[i]) / a[i] for i in range(len(a) - 1)]
    elements = tuple(dict.fromkeys(e for m in mats for e in m.elements))
    restricted = tuple(dict.fromkeys(e for m in mats for e in m.rohs_restricted_elements))
    return {"mismatch_pct": mism,
            "max_mismatch_pct": max((abs(x) for x in mism), default=0.0)
            if all(math.isfinite(x) for x in mism) else math.nan,
            "monolayer_nm": [_monolayer_nm(m) for m in mats[1:]],
            "restricted_elements": restricted, "rohs_compliant": not restricted,
            "heavy_metals": any(e in HEAVY_METALS for e in elements), "elements": elements}


def _robust(fn, radii: np.ndarray, keys: Sequence[str]) -> tuple[dict, list]:
    """``fn(radii)`` over rows; rows the solver refuses get NaN and the refusal as a note.

    The rows are bisected on a refusal, so a block of refused structures costs a few
    calls, not one per structure.
    """
    n = radii.shape[0]
    out = {k: np.full(n, np.nan) for k in keys}
    notes = [""] * n
    stack = [(0, n)]
    while stack:
        a, b = stack.pop()
        try:
            res = fn(radii[a:b])
        except QdlabInputError as exc:
            if b - a == 1:
                notes[a] = str(exc).split(";")[0][:200]
            else:
                m = (a + b) // 2
                stack += [(m, b), (a, m)]
            continue
        for k in keys:
            out[k][a:b] = res[k]
    return out, notes


def _alignments(v_e, ee, v_h, hh) -> np.ndarray:
    """:func:`~qdlab.electronic.sphere.alignment_from_levels` of every row (by pattern)."""
    from qdlab.electronic.sphere.alignment import alignment_from_levels

    n = ee.shape[0]
    out = np.full(n, "", dtype=object)
    ok = np.isfinite(ee) & np.isfinite(hh)
    if not ok.any():
        return out
    ae = ee[:, None] > v_e[None, :]
    ah = hh[:, None] > v_h[None, :]
    code = np.concatenate([ae, ah], axis=1) @ (1 << np.arange(ae.shape[1] + ah.shape[1]))
    for c in np.unique(code[ok]):
        rows = ok & (code == c)
        i = int(np.argmax(rows))
        out[rows] = alignment_from_levels(v_e, float(ee[i]), v_h, float(hh[i]))
    return out


def evaluate(materials: Sequence, core_diameter_nm, shell_thickness_nm=None, *,
             temperature: float = 300.0, medium=None, dispersion_pct: float = 5.0,
             exact: bool = False) -> dict:
    r"""Properties of many candidates of one material stack (one column per property).

    Parameters
    ----------
    materials : sequence of str
        Core material then the shells, e.g. ``["InP", "ZnSe", "ZnS"]``.
    core_diameter_nm : array_like, shape (N,)
        Core diameters, nm (> 0).
    shell_thickness_nm : array_like, shape (N, S), optional
        Thickness of each shell, nm (> 0); S = ``len(materials) - 1``.
    temperature : float
        K.
    medium : Medium, optional
        Surroundings (default organic ligands).
    dispersion_pct : float
        Size dispersion (std/mean of the core diameter, %) the synthesis reaches; sets
        the inhomogeneous PL width.
    exact : bool
        ``True``: the default settings of the radial solver (identical to ``qdlab
        levels``); ``False``: :data:`FAST_SETTINGS` (within :data:`FAST_TOLERANCE_EV`).

    Returns
    -------
    dict of ndarray, shape (N,)
        :data:`COLUMNS`: energies in eV, wavelengths and widths in nm, ``overlap``
        (:math:`\int R_eR_hr^2dr`), ``alignment`` (str), ``max_mismatch_pct`` (%),
        ``shell_monolayers`` (total over the shells), flags, ``uncertainty_nm`` (1
        sigma of the peaks), ``valid`` and ``note`` (why a candidate was refused).

    Notes
    -----
    :math:`E_1 = E_e - E_h - J_{eh} + \Sigma_e + \Sigma_h`,
    :math:`E_{PL} = E_1 - \Delta_S`,
    :math:`\Gamma = \sqrt{(2\sqrt{2\ln2}\,|\partial E_{gap}/\partial d|\,\sigma_d)^2
    + \Gamma_{hom}^2}` (module notes).

    References
    ----------
    .. [R1] L. E. Brus, J. Chem. Phys. 80, 4403 (1984). Bibliography ``brus1984``.
    .. [R2] D. J. Norris, M. G. Bawendi, Phys. Rev. B 53, 16338 (1996).
       Bibliography ``norris1996``.

    Examples
    --------
    >>> out = evaluate(["CdSe", "ZnS"], [3.0, 4.0], [[1.0], [1.0]])
    >>> bool(out["pl_peak_nm"][0] < out["pl_peak_nm"][1]), out["alignment"][0]
    (True, 'type I')
    """
    from qdlab.electronic.sphere import first_exciton_batch
    from qdlab.electronic.sphere.exciton_batch import _pair_gap_near
    from qdlab.electronic.sphere.profiles import band_profiles
    from qdlab.optics.broadening import HomogeneousWidth
    from qdlab.optics.stokes import STOKES_METHODS
    from qdlab.structures import Medium
    from qdlab.structures.spheres import resolve_materials

    mats = resolve_materials(materials)
    n_shells = len(mats) - 1
    d = np.atleast_1d(np.asarray(core_diameter_nm, dtype=float))
    if d.ndim != 1:
        raise QdlabInputError(f"core_diameter_nm must be one-dimensional, got shape {d.shape}")
    check_positive(d, "core_diameter_nm", "nm")
    if n_shells:
        if shell_thickness_nm is None:
            raise QdlabInputError(f"shell_thickness_nm is needed for {n_shells} shell(s)")
        t = np.asarray(shell_thickness_nm, dtype=float).reshape(d.size, n_shells)
        check_positive(t, "shell_thickness_nm", "nm")
    else:
        t = np.zeros((d.size, 0))
    check_positive(temperature, "temperature", "K")
    check_positive(dispersion_pct, "dispersion_pct", "%")
    medium = medium if medium is not None else Medium()
    radii = np.column_stack([d / 2.0, d[:, None] / 2.0 + np.cumsum(t, axis=1)])
    settings = {} if exact else FAST_SETTINGS

    keys = ("first_exciton_eV", "single_particle_gap_eV", "electron_eV", "hole_eV",
            "coulomb_eV", "overlap", "electron_in_core", "hole_in_core")
    ex, notes = _robust(lambda r: first_exciton_batch(mats, r, medium, temperature, **settings),
                        radii, keys)
    e1 = ex["first_exciton_eV"]
    # PL peak: the Stokes shift of the ensemble default (registry STOKES_METHODS)
    stokes = STOKES_METHODS["constant"].function(mats[0], d, temperature)
    pl = e1 - stokes
    # inhomogeneous width from the size derivative of the gap (module notes)
    h = _DIAMETER_STEP_NM
    # radii + h/2: core diameter + h (the shells keep their thickness); forward difference
    # from the gap of the same exact levels (first_exciton_batch solves them exactly)
    # the levels of the larger structure are bracketed around the ones just solved
    gap_up = _pair_gap_near(mats, radii + h / 2, medium, temperature, ex["electron_eV"],
                            ex["hole_eV"])
    slope = (gap_up - ex["single_particle_gap_eV"]) / h
    sigma_d = d * float(dispersion_pct) / 100.0
    g_inh = 2.0 * math.sqrt(2.0 * math.log(2.0)) * np.abs(slope) * sigma_d
    g_hom = HomogeneousWidth()(temperature)
    fwhm_eV = np.sqrt(g_inh**2 + g_hom**2)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.where(pl - fwhm_eV / 2 > 0, pl - fwhm_eV / 2, np.nan)
        fwhm_nm = HC_EV_NM / lo - HC_EV_NM / (pl + fwhm_eV / 2)
        pl_nm = HC_EV_NM / pl
        e1_nm = HC_EV_NM / e1
    profiles = band_profiles(mats, medium, temperature, True)
    v_e, v_h = profiles[0][:-1], profiles[3][:-1]
    align = _alignments(v_e, ex["electron_eV"], v_h, -ex["hole_eV"])
    facts = layer_facts(mats)
    ml = t / np.asarray(facts["monolayer_nm"])[None, :] if n_shells else t
    sig_eV = np.where(d >= SMALL_CORE_NM, MODEL_UNCERTAINTY_EV[0], MODEL_UNCERTAINTY_EV[1])
    if mats[0].name not in VALIDATED_CORES:
        sig_eV = 2.0 * sig_eV
    valid = np.isfinite(e1) & np.isfinite(pl_nm) & (pl > 0)
    with np.errstate(invalid="ignore"):
        unc_nm = HC_EV_NM * sig_eV / pl**2
    n = d.size
    for i in np.nonzero(~valid & (np.array([not x for x in notes])))[0]:
        notes[i] = "no emission above 0 eV"
    return {
        "first_exciton_eV": e1, "first_exciton_nm": e1_nm, "pl_peak_eV": pl,
        "pl_peak_nm": pl_nm, "fwhm_nm": fwhm_nm,
        "single_particle_gap_eV": ex["single_particle_gap_eV"], "coulomb_eV": ex["coulomb_eV"],
        "overlap": ex["overlap"], "electron_in_core": ex["electron_in_core"],
        "hole_in_core": ex["hole_in_core"], "alignment": align,
        "max_mismatch_pct": np.full(n, facts["max_mismatch_pct"]),
        "shell_monolayers": ml.sum(axis=1) if n_shells else np.zeros(n),
        "rohs_compliant": np.full(n, facts["rohs_compliant"]),
        "heavy_metals": np.full(n, facts["heavy_metals"]),
        "uncertainty_nm": unc_nm, "valid": valid, "note": np.array(notes, dtype=object),
    }
