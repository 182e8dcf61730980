r"""LSC efficiency against dot size: one Monte Carlo per (core) diameter.

Behind the explorer's "efficiency against size" plot and ``POST /api/device/lsc/sweep``.
For every core diameter the dots become an :class:`~qdlab.optics.ensemble.Ensemble`
(same structure, shells, size dispersion and QY), a
:class:`~qdlab.devices.luminophore.Luminophore` and one
:class:`~qdlab.devices.lsc.LSCSlab`, simulated by :func:`~qdlab.devices.lsc.simulate_lsc`.

Two ways to load the slab:

- a fixed particle concentration ``concentration_M`` (mol/L): larger dots absorb more
  (the molar extinction grows roughly with the dot volume);
- a fixed decadic absorbance at the excitation wavelength ``absorbance_at_excitation``
  (:math:`A = \varepsilon(\lambda_{exc})\,c\,T`, so :math:`c = A/(\varepsilon T)` per size):
  every size absorbs the same fraction of the incident light, and the efficiency against
  size isolates the guiding and the reabsorption (the overlap of the dots' own absorption
  and PL).

Each point's Monte Carlo standard error is reported; seed ``seed + i`` for the i-th size
(reproducible, independent streams).

:func:`lsc_distance_sweep` is the other classic LSC curve: the output of one edge against
the distance of an illuminated spot from that edge (the measurement of Meinardi et al.
2014, 2015, which shows the reabsorption losses of the guided light directly).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from qdlab.devices.lsc import EDGE_KINDS, LSCSlab, simulate_lsc
from qdlab.devices.luminophore import Luminophore
from qdlab.errors import QdlabInputError, check_range

__all__ = ["LSC_SWEEP_LIMITS", "LSCDistanceSweep", "LSCSizeSweep", "lsc_distance_sweep",
           "lsc_size_sweep"]

#: Bounds of a sweep: sizes, photons per size, and their product (the work).
LSC_SWEEP_LIMITS = {"max_sizes": 64, "max_photons_per_size": 2_000_000,
                    "max_total_photons": 20_000_000}

_ARRAYS = ("core_diameter_nm", "concentration_M", "first_peak_nm", "pl_peak_nm",
           "absorbance_at_excitation", "optical_efficiency", "optical_efficiency_se",
           "power_efficiency", "power_efficiency_se", "concentration_factor",
           "edge_per_absorbed", "edge_per_absorbed_se", "absorbed_fraction",
           "absorptions_per_absorbed", "reabsorption_loss")


@dataclass(frozen=True)
class LSCSizeSweep:
    """Result of :func:`lsc_size_sweep`: one entry per core diameter (arrays).

    Attributes
    ----------
    core_diameter_nm : ndarray
        Mean core diameters, nm.
    concentration_M : ndarray
        Particle concentration used for each size, mol/L.
    first_peak_nm, pl_peak_nm : ndarray
        First absorption peak and PL peak of each ensemble, nm.
    absorbance_at_excitation : ndarray
        Decadic absorbance of the slab thickness at the excitation wavelength.
    optical_efficiency, optical_efficiency_se : ndarray
        PV-edge photons per incident photon and its MC standard error.
    power_efficiency, power_efficiency_se : ndarray
        The same weighted by photon energy.
    concentration_factor : ndarray
        :math:`\\eta_{opt} G`.
    edge_per_absorbed, edge_per_absorbed_se : ndarray
        PV-edge photons per absorbed photon.
    absorbed_fraction : ndarray
        Incident photons absorbed by the dots at least once.
    absorptions_per_absorbed : ndarray
        Mean QD absorption events per absorbed photon (1 = no reabsorption).
    reabsorption_loss : ndarray
        :math:`1 - \\eta_{edge/abs}/(QY\\,\\eta_{trap})` clipped at 0: the edge photons per
        absorbed photon lost against a reabsorption-free slab of the same QY (an
        indicator; it also holds the small Fresnel-cone and host terms).
    n_photons_per_size : int
    settings : dict
        The inputs (structure, shells, slab, loading rule, ...).
    """

    core_diameter_nm: np.ndarray
    concentration_M: np.ndarray
    first_peak_nm: np.ndarray
    pl_peak_nm: np.ndarray
    absorbance_at_excitation: np.ndarray
    optical_efficiency: np.ndarray
    optical_efficiency_se: np.ndarray
    power_efficiency: np.ndarray
    power_efficiency_se: np.ndarray
    concentration_factor: np.ndarray
    edge_per_absorbed: np.ndarray
    edge_per_absorbed_se: np.ndarray
    absorbed_fraction: np.ndarray
    absorptions_per_absorbed: np.ndarray
    reabsorption_loss: np.ndarray
    n_photons_per_size: int
    settings: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain dict (lists for the arrays)."""
        out = {k: np.asarray(getattr(self, k)).tolist() for k in _ARRAYS}
        out["n_photons_per_size"] = self.n_photons_per_size
        out["settings"] = dict(self.settings)
        return out


def _shared_table(names, shells_nm, dists):
    """One transition table spanning every size distribution of the sweep (the electronic
    solve is the costly part; each ensemble then only integrates over its sizes)."""
    from qdlab.optics.tables import TransitionTable, layer_recipe
    from qdlab.structures import Medium

    mats, shells, _ = layer_recipe(names[0], list(zip(names[1:], shells_nm, strict=True)))
    supports = [dist.support_nm() for dist in dists]
    lo = min(a for a, _ in supports) * 0.98
    hi = max(b for _, b in supports) * 1.02
    n_grid = int(np.clip(12 + 40 * (hi - lo) / hi, 12, 48))
    return TransitionTable(mats, shells, lo, hi, Medium(), 300.0, n_grid=n_grid)


def lsc_size_sweep(structure: str, *, core_diameters_nm: Sequence[float],
                   shells_nm: Sequence[float] = (), dispersion_pct: float = 5.0,
                   distribution: str = "normal", concentration_M: float | None = None,
                   absorbance_at_excitation: float | None = None,
                   size_cm=(10.0, 10.0, 0.3), refractive_index: float = 1.5,
                   quantum_yield: float = 1.0, host_absorption_per_cm: float = 0.0,
                   scattering_per_cm: float = 0.0, edges: Sequence[str] = ("pv",) * 4,
                   excitation_nm: float = 400.0, stokes_shift_eV: float | None = None,
                   n_photons: int = 20_000, seed: int | None = 0) -> LSCSizeSweep:
    r"""Optical efficiency of one LSC slab against the dots' (core) diameter.

    Parameters
    ----------
    structure : str
        Materials from the core out, ``"CdSe"`` or ``"CdSe/CdS"``.
    core_diameters_nm : sequence of float
        Mean core diameters to sweep, nm (1 to ``LSC_SWEEP_LIMITS["max_sizes"]`` values).
    shells_nm : sequence of float
        Shell thicknesses, nm, one per shell material (the same for every size).
    dispersion_pct : float
        Size dispersion (std/mean) of the core, percent.
    distribution : {"normal", "lognormal"}
    concentration_M : float, optional
        Fixed particle concentration, mol/L (1e-12 to 1e-2) ...
    absorbance_at_excitation : float, optional
        ... or a fixed decadic absorbance of the slab thickness at ``excitation_nm``
        (1e-4 to 10): the concentration of each size is :math:`A/(\varepsilon T)`.
        Give exactly one of the two.
    size_cm : (float, float, float)
        Slab L, W, T, cm.
    refractive_index, quantum_yield, host_absorption_per_cm, scattering_per_cm : float
        Host index; PL QY (0-1); grey host absorption and scattering, cm^-1.
    edges : 4 str
        ``pv`` / ``mirror`` / ``air`` for x=0, x=L, y=0, y=W.
    excitation_nm : float
        Monochromatic illumination at normal incidence, nm.
    stokes_shift_eV : float, optional
        Stokes shift of the ensembles (default: the ensemble default).
    n_photons : int
        Photon histories per size.
    seed : int, optional
        Seed of the first size; size i uses ``seed + i``.

    Returns
    -------
    LSCSizeSweep

    Notes
    -----
    The absorbance rule uses :math:`A = \varepsilon(\lambda_{exc})\,c\,T` with the molar
    extinction :math:`\varepsilon` (M^-1 cm^-1) of the ensemble and :math:`T` in cm; the
    absorption coefficient in the slab is :math:`\alpha = \ln 10\,\varepsilon c`.  The
    reabsorption indicator compares the edge photons per absorbed photon with the
    reabsorption-free value :math:`QY\,\sqrt{1 - 1/n^2}` (Weber & Lambe 1976).

    References
    ----------
    .. [1] W. H. Weber and J. Lambe, Appl. Opt. 15, 2299 (1976).
    .. [2] F. Meinardi et al., Nature Photon. 8, 392 (2014) (size and shell engineering
       of the Stokes shift against reabsorption).

    Examples
    --------
    >>> sw = lsc_size_sweep("CdSe", core_diameters_nm=[3.0, 4.0],
    ...                     absorbance_at_excitation=0.5, size_cm=(5, 5, 0.3),
    ...                     n_photons=2000, seed=1)
    >>> sw.optical_efficiency.shape
    (2,)
    >>> bool(np.all(sw.pl_peak_nm[1] > sw.pl_peak_nm[0]))
    True
    """
    d = np.asarray(core_diameters_nm, dtype=float).ravel()
    lim = LSC_SWEEP_LIMITS
    if not 1 <= d.size <= lim["max_sizes"]:
        raise QdlabInputError(f"core_diameters_nm must hold 1 to {lim['max_sizes']} values, "
                              f"got {d.size}")
    check_range(d, "core_diameters_nm", 0.5, 30.0, "nm")
    if isinstance(n_photons, bool) or int(n_photons) != n_photons:
        raise QdlabInputError(f"n_photons must be an integer, got {n_photons!r}")
    n_photons = int(check_range(n_photons, "n_photons", 1, lim["max_photons_per_size"]))
    if n_photons * d.size > lim["max_total_photons"]:
        raise QdlabInputError(f"n_photons x sizes must be <= {lim['max_total_photons']:,}, got "
                              f"{n_photons:,} x {d.size} = {n_photons * d.size:,}")
    if (concentration_M is None) == (absorbance_at_excitation is None):
        raise QdlabInputError("give exactly one of concentration_M (mol/L) or "
                              "absorbance_at_excitation (decadic, at excitation_nm)")
    if concentration_M is not None:
        check_range(concentration_M, "concentration_M", 1e-12, 1e-2, "mol/L")
    else:
        check_range(absorbance_at_excitation, "absorbance_at_excitation", 1e-4, 10.0)
    if distribution not in ("normal", "lognormal"):
        raise QdlabInputError(f"distribution must be normal or lognormal, got {distribution!r}")
    check_range(excitation_nm, "excitation_nm", 200.0, 3000.0, "nm")
    check_range(quantum_yield, "quantum_yield", 0.0, 1.0)
    edges = tuple(edges)
    if len(edges) != 4 or any(e not in EDGE_KINDS for e in edges):
        raise QdlabInputError(f"edges must be 4 of {', '.join(EDGE_KINDS)} (x=0, x=L, y=0, "
                              f"y=W), got {','.join(map(str, edges))!r}")
    L, W, T = (float(v) for v in size_cm)
    for name, v in zip(("length", "width", "thickness"), (L, W, T), strict=True):
        check_range(v, f"size_cm {name}", 1e-4, 1e4, "cm")
    names = [s.strip() for s in str(structure).split("/")]
    shells_nm = [float(t) for t in shells_nm]
    if any(not n for n in names):
        raise QdlabInputError(f"structure must be materials separated by '/', got {structure!r}")
    if len(shells_nm) != len(names) - 1:
        raise QdlabInputError(f"{structure!r} has {len(names) - 1} shell material(s) but "
                              f"{len(shells_nm)} shell thickness(es) were given")
    check_range(refractive_index, "refractive_index", 1.0, 4.0)
    eta_trap = math.sqrt(1.0 - 1.0 / refractive_index**2)

    from qdlab.optics.ensemble import Ensemble, SizeDistribution
    from qdlab.optics.tables import warn_size_validity

    dists = [getattr(SizeDistribution, distribution)(float(core), dispersion_pct)
             for core in d]
    for core in (d.min(), d.max()):       # validity warnings once, at the sweep's ends
        warn_size_validity(names[0], float(core), stacklevel=2)
    table = _shared_table(names, shells_nm, dists)
    rows = {k: [] for k in _ARRAYS}
    for i, (core, dist) in enumerate(zip(d, dists, strict=True)):
        ens = Ensemble(names[0], dist, shells=list(zip(names[1:], shells_nm, strict=True)),
                       quantum_yield=quantum_yield, stokes_shift_eV=stokes_shift_eV,
                       table=table)
        eps_exc = float(np.asarray(ens.molar_extinction(np.array([excitation_nm])))[0])
        if concentration_M is not None:
            c = float(concentration_M)
        else:
            if not eps_exc > 0:
                raise QdlabInputError(f"the {structure} dots of {core:g} nm do not absorb at "
                                      f"excitation_nm = {excitation_nm:g} nm: no concentration "
                                      "gives the requested absorbance")
            c = float(absorbance_at_excitation) / (eps_exc * T)
            check_range(c, f"concentration for {core:g} nm dots (from the absorbance)",
                        1e-12, 1e-2, "mol/L")
        lum = Luminophore.from_ensemble(ens, c, excitation_nm=excitation_nm)
        slab = LSCSlab(L, W, T, refractive_index, lum,
                       host_absorption_per_cm=host_absorption_per_cm,
                       scattering_per_cm=scattering_per_cm, edges=edges)
        r = simulate_lsc(slab, n_photons=n_photons, excitation_nm=excitation_nm,
                         seed=None if seed is None else int(seed) + i)
        ideal = quantum_yield * eta_trap
        loss = (max(0.0, 1.0 - r.edge_per_absorbed / ideal)
                if ideal > 0 and math.isfinite(r.edge_per_absorbed) else math.nan)
        vals = {"core_diameter_nm": float(core), "concentration_M": c,
                "first_peak_nm": ens.first_peak_nm(), "pl_peak_nm": ens.emission_peak_nm(),
                "absorbance_at_excitation": eps_exc * c * T,
                "optical_efficiency": r.optical_efficiency,
                "optical_efficiency_se": r.optical_efficiency_se,
                "power_efficiency": r.power_efficiency,
                "power_efficiency_se": r.power_efficiency_se,
                "concentration_factor": r.concentration_factor,
                "edge_per_absorbed": r.edge_per_absorbed,
                "edge_per_absorbed_se": r.edge_per_absorbed_se,
                "absorbed_fraction": r.absorbed_fraction,
                "absorptions_per_absorbed": r.absorptions_per_absorbed,
                "reabsorption_loss": loss}
        for k, v in vals.items():
            rows[k].append(float(v))
    settings = {"structure": structure, "shells_nm": shells_nm,
                "dispersion_pct": dispersion_pct, "distribution": distribution,
                "loading": ("concentration_M" if concentration_M is not None
                            else "absorbance_at_excitation"),
                "concentration_M": concentration_M,
                "absorbance_at_excitation": absorbance_at_excitation,
                "size_cm": [L, W, T], "refractive_index": refractive_index,
                "quantum_yield": quantum_yield, "host_absorption_per_cm": host_absorption_per_cm,
                "scattering_per_cm": scattering_per_cm, "edges": list(edges),
                "excitation_nm": excitation_nm, "stokes_shift_eV": stokes_shift_eV,
                "seed": seed, "trapping_efficiency": eta_trap}
    return LSCSizeSweep(**{k: np.array(v) for k, v in rows.items()},
                        n_photons_per_size=n_photons, settings=settings)


@dataclass(frozen=True)
class LSCDistanceSweep:
    """Result of :func:`lsc_distance_sweep` (arrays, one entry per distance).

    Attributes
    ----------
    distance_cm : ndarray
        Distance of the illuminated spot from the edge x = 0, cm.
    edge_efficiency, edge_efficiency_se : ndarray
        Photons out of that edge per incident photon, and the MC standard error.
    edge_per_absorbed, edge_per_absorbed_se : ndarray
        The same per photon absorbed by the dots.
    absorptions_per_absorbed : ndarray
        Mean QD absorption events per absorbed photon.
    n_photons_per_distance : int
    """

    distance_cm: np.ndarray
    edge_efficiency: np.ndarray
    edge_efficiency_se: np.ndarray
    edge_per_absorbed: np.ndarray
    edge_per_absorbed_se: np.ndarray
    absorptions_per_absorbed: np.ndarray
    n_photons_per_distance: int

    def to_dict(self) -> dict:
        """Plain dict (lists for the arrays)."""
        out = {k: np.asarray(getattr(self, k)).tolist() for k in (
            "distance_cm", "edge_efficiency", "edge_efficiency_se", "edge_per_absorbed",
            "edge_per_absorbed_se", "absorptions_per_absorbed")}
        out["n_photons_per_distance"] = self.n_photons_per_distance
        return out


def lsc_distance_sweep(slab: LSCSlab, distances_cm: Sequence[float], *,
                       excitation_nm: float, n_photons: int = 20_000,
                       seed: int | None = 0) -> LSCDistanceSweep:
    r"""Output of the edge x = 0 against the distance of an illuminated spot from it.

    Parameters
    ----------
    slab : LSCSlab
        The slab; its edge x = 0 should be ``"pv"`` (the others are as given: PV edges
        absorb, so only light reaching x = 0 directly or via mirrors counts).
    distances_cm : sequence of float
        Distances d (cm) of the spot (x = d, y = W/2) from the edge, each in [0, L].
    excitation_nm : float
        Wavelength of the spot, nm (normal incidence).
    n_photons : int
        Photon histories per distance.
    seed : int, optional
        Seed of the first distance; distance i uses ``seed + i``.

    Returns
    -------
    LSCDistanceSweep

    Notes
    -----
    Without reabsorption and with a grey host absorption :math:`\alpha_h`, a photon
    emitted at distance d into the guided directions (:math:`|\cos\theta| <
    \sqrt{1 - 1/n^2}`) and azimuth :math:`\varphi` (from the edge normal) reaches the
    edge with probability :math:`\exp[-\alpha_h d/(\cos\varphi\sin\theta)]`, so the
    edge output per absorbed photon is

    .. math::

        \eta(d) = \frac{QY}{4\pi}\int_{|\cos\theta|<\cos\theta_c}\!d\Omega\,
        \exp\!\left(-\frac{\alpha_h d}{\cos\varphi\,\sin\theta}\right)

    over the azimuths that hit the edge; reabsorption by the dots adds its own
    (spectrally filtered) attenuation, which the Monte Carlo follows photon by photon.

    References
    ----------
    .. [1] F. Meinardi et al., Nature Photon. 8, 392 (2014).
    .. [2] W. H. Weber and J. Lambe, Appl. Opt. 15, 2299 (1976).
    """
    if not isinstance(slab, LSCSlab):
        raise QdlabInputError("slab must be an LSCSlab")
    d = np.asarray(distances_cm, dtype=float).ravel()
    lim = LSC_SWEEP_LIMITS
    if not 1 <= d.size <= lim["max_sizes"]:
        raise QdlabInputError(f"distances_cm must hold 1 to {lim['max_sizes']} values, "
                              f"got {d.size}")
    check_range(d, "distances_cm", 0.0, slab.length_cm, "cm")
    if isinstance(n_photons, bool) or int(n_photons) != n_photons:
        raise QdlabInputError(f"n_photons must be an integer, got {n_photons!r}")
    n_photons = int(check_range(n_photons, "n_photons", 1, lim["max_photons_per_size"]))
    if n_photons * d.size > lim["max_total_photons"]:
        raise QdlabInputError(f"n_photons x distances must be <= {lim['max_total_photons']:,}, "
                              f"got {n_photons:,} x {d.size} = {n_photons * d.size:,}")
    rows = {k: [] for k in ("eff", "eff_se", "epa", "epa_se", "apa")}
    for i, dist in enumerate(d):
        r = simulate_lsc(slab, n_photons=n_photons, excitation_nm=excitation_nm,
                         spot_cm=(float(dist), 0.5 * slab.width_cm),
                         seed=None if seed is None else int(seed) + i)
        p = r.per_edge_efficiency[0]
        n_abs = r.absorbed_fraction * n_photons
        epa = p / r.absorbed_fraction if r.absorbed_fraction > 0 else math.nan
        rows["eff"].append(p)
        rows["eff_se"].append(math.sqrt(p * (1 - p) / n_photons))
        rows["epa"].append(epa)
        rows["epa_se"].append(math.sqrt(max(epa * (1 - epa), 0.0) / n_abs) if n_abs > 0
                              else math.nan)
        rows["apa"].append(r.absorptions_per_absorbed)
    return LSCDistanceSweep(distance_cm=d, edge_efficiency=np.array(rows["eff"]),
                            edge_efficiency_se=np.array(rows["eff_se"]),
                            edge_per_absorbed=np.array(rows["epa"]),
                            edge_per_absorbed_se=np.array(rows["epa_se"]),
                            absorptions_per_absorbed=np.array(rows["apa"]),
                            n_photons_per_distance=n_photons)
