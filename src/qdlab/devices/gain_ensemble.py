"""Gain of a real ensemble: the gain spectrum and the lasing (ASE) threshold of dots.

The single-dot state-filling model (band-edge degeneracy, Poisson populations, net
absorption with the biexciton shift, the transparency threshold and the ASE threshold
fluence) is in :mod:`qdlab.devices.gain`, whose module notes give the equations and
references.  Here it is summed over the size distribution of a
:class:`qdlab.optics.ensemble.Ensemble`: every size's band-edge line from the ensemble's
transition table and oscillator strengths, its occupancy from its own pump cross-section
(:func:`ensemble_gain`), and the whole calculation from a structure
(:func:`laser_gain`).  Units: nm, eV, cm^2, ps; fluences in photons/cm^2 and uJ/cm^2.

References
----------
.. [1] V. I. Klimov et al., "Optical gain and stimulated emission in nanocrystal quantum
   dots", Science 290, 314 (2000).
.. [2] V. I. Klimov et al., "Single-exciton optical gain in semiconductor nanocrystals",
   Nature 447, 441 (2007).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy.optimize import brentq

from qdlab.constants import HC_EV_NM
from qdlab.devices.gain import (
    _check_g,
    ase_threshold_fluence,
    band_edge_degeneracy,
    net_absorption,
    threshold_excitons_per_dot,
)
from qdlab.errors import QdlabInputError, check_positive

__all__ = ["GainResult", "ensemble_gain", "laser_gain"]


def _band_edge_lines(ens, d):
    """(E1 in eV, line area in cm^2 eV) of the first transition of each node diameter."""
    from qdlab.optics.transitions import absorption_prefactor_cm2_eV, local_field_factor

    e1 = ens.table.energies_eV(d)[:, 0]
    f1 = ens.table.strengths(d)[:, 0] * ens.oscillator_scale
    flf2 = abs(local_field_factor(ens.materials[0].eps_inf, ens.n_medium ** 2)) ** 2
    return e1, absorption_prefactor_cm2_eV() * flf2 / ens.n_medium * f1


def ensemble_gain(ens, mean_excitons: float, biexciton_binding_eV: float, g: int,
                  energy_eV, pump_nm: float, *, populations: str = "poisson",
                  occupancy: str = "saturated") -> dict:
    r"""Net band-edge cross-section and gain spectrum of an ensemble at :math:`\langle N\rangle`.

    Parameters
    ----------
    ens : qdlab.optics.ensemble.Ensemble
        The dots (size distribution, shells, medium, line shape).
    mean_excitons : float
        Average excitons per dot over the ensemble.
    biexciton_binding_eV : float
        :math:`\Delta_{XX}`, eV.
    g : int
        Band-edge degeneracy.
    energy_eV : array_like
        Photon energies, eV.
    pump_nm : float
        Pump wavelength, nm: sets how :math:`\langle N\rangle` is shared between sizes.

    Returns
    -------
    dict
        ``net_cross_section_cm2`` (< 0: gain), ``unexcited_cross_section_cm2`` (band-edge
        lines only), ``gain_per_cm`` (volume fraction 1), all per energy.
    """
    from qdlab.optics.broadening import line_profile
    from qdlab.optics.extinction import node_cross_sections

    d, w = ens._nodes()
    e1, area = _band_edge_lines(ens, d)
    sp = node_cross_sections(ens, d, HC_EV_NM / pump_nm)
    mean_sp = float(np.sum(w * sp))
    if not mean_sp > 0:
        raise QdlabInputError(f"pump_nm = {pump_nm:g} nm is not absorbed by the dots")
    E = np.asarray(energy_eV, dtype=float)
    fwhm = ens.homogeneous(ens.temperature)

    def line(x, fw):
        return line_profile(x, fw, ens.lineshape)

    net = np.zeros_like(E)
    bare = np.zeros_like(E)
    for wk, ek, ak, sk in zip(w, e1, area, sp, strict=True):
        nk = mean_excitons * sk / mean_sp
        net += wk * ak * net_absorption(E - ek, nk, g, biexciton_binding_eV, fwhm,
                                        populations=populations, occupancy=occupancy,
                                        line=line)
        bare += wk * ak * line(E - ek, fwhm)
    vol_cm3 = float(np.sum(w * ens.table.layer_volumes_nm3(d).sum(axis=1))) * 1e-21
    return {"net_cross_section_cm2": net, "unexcited_cross_section_cm2": bare,
            "gain_per_cm": -net / vol_cm3, "dot_volume_nm3": vol_cm3 * 1e21,
            "pump_cross_section_cm2": mean_sp}


@dataclass(frozen=True)
class GainResult:
    """Optical-gain figures of one ensemble (:func:`laser_gain`); units in the names."""

    structure: str
    band_edge_degeneracy: int
    biexciton_binding_meV: float
    homogeneous_fwhm_meV: float
    threshold_excitons_per_dot: float
    threshold_single_size: float
    gain_lifetime_ps: float
    biexciton_auger_lifetime_ps: float
    pump_nm: float
    pulse_fs: float | None
    absorption_cross_section_pump_cm2: float
    ase_threshold_photons_cm2: float
    ase_threshold_uJ_cm2: float
    long_pulse_factor: float
    first_exciton_nm: float
    peak_gain_nm: float
    populations: str
    occupancy: str
    gain_spectrum: dict = field(default_factory=dict)
    notes: str = ("transparency threshold of the band-edge state-filling model; an ASE "
                  "threshold adds waveguide/scattering losses (see qdlab.devices.gain)")

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return asdict(self)


def laser_gain(material: str, core_diameter_nm: float, shells=(), *,
               dispersion_pct: float = 5.0, pump_nm: float = 400.0,
               pulse_fs: float | None = None, temperature: float = 300.0, medium=None,
               g: int | None = None, populations: str = "poisson",
               occupancy: str = "saturated", n_points: int = 301) -> GainResult:
    r"""Gain threshold, gain spectrum and ASE threshold fluence of a QD ensemble.

    Parameters
    ----------
    material : str
        Layers from the core out, ``"CdSe"``, ``"CdSe/ZnS"``.
    core_diameter_nm : float
        Mean core diameter, nm.
    shells : sequence of float
        Shell thicknesses, nm (one per shell material).
    dispersion_pct : float
        Size dispersion (std/mean of the core diameter), %.
    pump_nm : float
        Pump wavelength, nm (above the band edge).
    pulse_fs : float, optional
        Pump pulse length, fs (default: shorter than the gain lifetime).
    temperature : float
        K.
    medium : Medium, optional
        Ligands / solvent.
    g : int, optional
        Band-edge degeneracy (default from the core material, :data:`BAND_EDGE_DEGENERACY`).
    populations, occupancy : str
        :data:`POPULATION_METHODS`, :data:`OCCUPANCY_METHODS`.
    n_points : int
        Points of the gain spectrum.

    Returns
    -------
    GainResult

    Notes
    -----
    :math:`\Delta_{XX}` and the gain lifetime :math:`\tau_g = \tau_{XX}` (biexciton
    lifetime, Auger-limited) come from
    :func:`qdlab.electronic.multiexcitons.multiexciton_properties` of the mean structure;
    the threshold is found on the ensemble gain spectrum (:func:`ensemble_gain`); the
    fluence from :func:`ase_threshold_fluence`.  Model and limits: module notes.

    Examples
    --------
    >>> r = laser_gain("CdSe/ZnS", 4.0, [1.0])
    >>> r.band_edge_degeneracy, 0.5 < r.threshold_excitons_per_dot < 1.5
    (2, True)
    """
    from qdlab.electronic.multiexcitons import multiexciton_properties
    from qdlab.optics.band_edge_lifetime import multiexciton_radiative_lifetime_ns
    from qdlab.optics.ensemble import Ensemble, SizeDistribution
    from qdlab.structures import Medium, parse_layers

    check_positive(pump_nm, "pump_nm", "nm")
    if pulse_fs is not None:
        check_positive(pulse_fs, "pulse_fs", "fs")
    if not isinstance(n_points, int) or not 11 <= n_points <= 5001:
        raise QdlabInputError(f"n_points must be an integer in 11-5001, got {n_points!r}")
    medium = medium if medium is not None else Medium()
    structure = parse_layers(material, core_diameter_nm, list(shells), medium=medium,
                             temperature=temperature)
    mats = [m.strip() for m in material.split("/")]
    gdeg = band_edge_degeneracy(structure.materials[0]) if g is None else _check_g(g)
    mx = multiexciton_properties(
        structure, temperature_K=temperature,
        exciton_radiative_lifetime_ns=multiexciton_radiative_lifetime_ns(structure))
    ens = Ensemble(mats[0], SizeDistribution.normal(core_diameter_nm, dispersion_pct),
                   shells=list(zip(mats[1:], shells, strict=True)), medium=medium,
                   temperature=temperature)
    if ens._missing_oc:
        from qdlab.errors import warn_validity

        warn_validity(f"no bulk optical constants for {', '.join(ens._missing_oc)}: the pump "
                      "absorption of those layers is left out (the ASE threshold fluence is "
                      "an upper estimate)")
    e1_mean = HC_EV_NM / ens.first_peak_nm()
    if HC_EV_NM / pump_nm < e1_mean:
        raise QdlabInputError(f"pump_nm must be shorter than the first exciton "
                              f"({HC_EV_NM / e1_mean:.0f} nm) to excite the dots, got "
                              f"{pump_nm:g}")
    dxx = mx.biexciton_binding_meV * 1e-3
    fwhm = ens.homogeneous(ens.temperature)
    single = threshold_excitons_per_dot(gdeg, dxx, fwhm, populations=populations,
                                        occupancy=occupancy)
    d, w = ens._nodes()
    e1 = ens.table.energies_eV(d)[:, 0]
    span = abs(dxx) + 3.0 * fwhm
    E = np.linspace(float(e1.min()) - span, float(e1.max()) + span, n_points)
    e_mean = float(np.sum(w * e1))
    e_std = float(np.sqrt(np.sum(w * (e1 - e_mean) ** 2)))
    win = ((E >= e_mean - 2 * e_std + min(0.0, -dxx) - 0.5 * fwhm)
           & (E <= e_mean + 2 * e_std + max(0.0, -dxx) + 0.5 * fwhm))
    Ew = E[win]

    def worst(N):
        return float(np.min(ensemble_gain(ens, N, dxx, gdeg, Ew, pump_nm,
                                          populations=populations,
                                          occupancy=occupancy)["net_cross_section_cm2"]))

    # The most negative net cross-section falls monotonically with <N> (each extra
    # exciton bleaches absorption or adds stimulated emission), so a coarse bracket
    # of its first sign change, refined by Brent's method, finds the threshold.
    grid = np.linspace(0.0, (30.0 if populations == "single" else 2.0 * gdeg + 10.0), 31)
    vals = [worst(N) for N in grid]
    i = next((k for k, v in enumerate(vals) if v <= 0.0), None)
    if i is None:
        n_th = float("inf")
    else:
        n_th = 0.0 if i == 0 else float(brentq(worst, grid[i - 1], grid[i], xtol=1e-6))
    n_show = n_th * 1.5 if math.isfinite(n_th) else 2.0 * gdeg
    spec = ensemble_gain(ens, n_show, dxx, gdeg, E, pump_nm, populations=populations,
                         occupancy=occupancy)
    tau_g_ps = mx.biexciton_lifetime_ns * 1e3
    fl = (ase_threshold_fluence(n_th, spec["pump_cross_section_cm2"], pump_nm,
                                None if pulse_fs is None else pulse_fs * 1e-15,
                                tau_g_ps * 1e-12)
          if math.isfinite(n_th) else {"photons_cm2": float("inf"), "uJ_cm2": float("inf"),
                                       "long_pulse_factor": float("nan")})
    gain = spec["gain_per_cm"]
    return GainResult(
        structure=structure.label, band_edge_degeneracy=gdeg,
        biexciton_binding_meV=mx.biexciton_binding_meV, homogeneous_fwhm_meV=1e3 * fwhm,
        threshold_excitons_per_dot=n_th, threshold_single_size=single,
        gain_lifetime_ps=tau_g_ps, biexciton_auger_lifetime_ps=mx.biexciton_auger_lifetime_ns * 1e3,
        pump_nm=float(pump_nm), pulse_fs=None if pulse_fs is None else float(pulse_fs),
        absorption_cross_section_pump_cm2=spec["pump_cross_section_cm2"],
        ase_threshold_photons_cm2=fl["photons_cm2"], ase_threshold_uJ_cm2=fl["uJ_cm2"],
        long_pulse_factor=fl["long_pulse_factor"], first_exciton_nm=HC_EV_NM / e1_mean,
        peak_gain_nm=float(HC_EV_NM / E[int(np.argmax(gain))]),
        populations=populations, occupancy=occupancy,
        gain_spectrum={"mean_excitons_per_dot": n_show, "energy_eV": E,
                       "wavelength_nm": HC_EV_NM / E,
                       "net_cross_section_cm2": spec["net_cross_section_cm2"],
                       "unexcited_cross_section_cm2": spec["unexcited_cross_section_cm2"],
                       "gain_per_cm": gain})
