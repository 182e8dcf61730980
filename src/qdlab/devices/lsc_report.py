"""One LSC simulation from a structure spec: the report behind ``qdlab device lsc`` and
``POST /api/device/lsc`` (both print the same JSON).

The dots are an :class:`~qdlab.optics.ensemble.Ensemble` of spheres or core/shells
(``"CdSe"``, ``"CdSe/CdS"``) with a normal or log-normal size distribution; they become a
:class:`~qdlab.devices.luminophore.Luminophore` at the given concentration and fill one
:class:`~qdlab.devices.lsc.LSCSlab`, simulated by :func:`~qdlab.devices.lsc.simulate_lsc`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from qdlab.devices.lsc import EDGE_KINDS, LSCSlab, simulate_lsc
from qdlab.devices.luminophore import Luminophore
from qdlab.errors import QdlabInputError, check_range

__all__ = ["LSC_MAX_PHOTONS", "check_photon_budget", "lsc_report", "parse_size_cm"]

#: Largest ``n_photons`` of one report: 2e7 histories take ~15-60 s of one core at the
#: measured 0.3-1.5 million histories per CPU second (memory is bounded by the chunks
#: of :data:`qdlab.devices.lsc.LIMITS`).
LSC_MAX_PHOTONS = 20_000_000


def check_photon_budget(n_photons, limit: int = LSC_MAX_PHOTONS) -> int:
    """Refuse (before any work) a photon count that is not an integer in 1..``limit``."""
    if isinstance(n_photons, bool) or not isinstance(n_photons, (int, np.integer)):
        raise QdlabInputError(f"photons must be an integer, got {n_photons!r}")
    if not 1 <= n_photons <= limit:
        raise QdlabInputError(f"photons must be >= 1 and <= {limit:,} (about "
                              f"{limit / 3e5:.0f} s of one core; the MC error falls as "
                              f"1/sqrt(N): 1e6 photons give ~5e-4), got {n_photons:,}")
    return int(n_photons)


def parse_size_cm(text: str) -> tuple[float, float, float]:
    """``"LxWxT"`` (cm) -> (L, W, T); e.g. ``"12x12x0.3"``.

    Examples
    --------
    >>> parse_size_cm("5x5x0.5")
    (5.0, 5.0, 0.5)
    """
    parts = str(text).lower().replace("*", "x").split("x")
    try:
        vals = tuple(float(p) for p in parts)
    except ValueError:
        vals = ()
    if len(vals) != 3:
        raise QdlabInputError(f"size must be LxWxT in cm, e.g. 5x5x0.5, got {text!r}")
    for name, v in zip(("length", "width", "thickness"), vals, strict=True):
        check_range(v, f"size {name}", 1e-4, 1e4, "cm")
    return vals


def lsc_report(structure: str, *, core_diameter_nm: float, shells_nm: Sequence[float] = (),
               dispersion_pct: float = 5.0, distribution: str = "normal",
               concentration_M: float, size_cm=(5.0, 5.0, 0.5), refractive_index: float = 1.5,
               quantum_yield: float = 1.0, host_absorption_per_cm: float = 0.0,
               scattering_per_cm: float = 0.0, edges: Sequence[str] = ("pv",) * 4,
               back_reflector: bool = False, mirror_reflectivity: float = 1.0,
               excitation_nm: float = 400.0, stokes_shift_eV: float | None = None,
               n_photons: int = 100_000, seed: int | None = None,
               include_spectrum: bool = False, max_photons: int = LSC_MAX_PHOTONS):
    """Simulate one slab filled with the dots of ``structure``; return (report, result).

    Parameters
    ----------
    structure : str
        Materials from the core out, ``"CdSe"`` or ``"CdSe/CdS"``.
    core_diameter_nm : float
        Mean core diameter, nm.
    shells_nm : sequence of float
        Shell thicknesses, nm, one per shell material.
    dispersion_pct : float
        Size dispersion (std/mean) of the core, percent.
    distribution : {"normal", "lognormal"}
    concentration_M : float
        Particle concentration in the host, mol/L.
    size_cm : (float, float, float) or str
        L, W, T in cm (or ``"LxWxT"``).
    refractive_index, quantum_yield, host_absorption_per_cm, scattering_per_cm : float
        Host index; PL QY (0-1); grey host absorption and scattering, cm^-1.
    edges : 4 str
        ``pv`` / ``mirror`` / ``air`` for x=0, x=L, y=0, y=W.
    back_reflector, mirror_reflectivity
        See :func:`qdlab.devices.lsc.simulate_lsc`.
    excitation_nm : float
        Monochromatic illumination at normal incidence, nm.
    stokes_shift_eV : float, optional
        Stokes shift of the ensemble (default: the ensemble default).
    n_photons, seed : int
        Photon histories (checked against ``max_photons`` before any work) and seed.
    include_spectrum : bool
        Add the edge spectrum (wavelength_nm, photons per incident photon per nm).

    Returns
    -------
    (dict, LSCResult)
    """
    n_photons = check_photon_budget(n_photons, max_photons)
    L, W, T = parse_size_cm(size_cm) if isinstance(size_cm, str) else tuple(size_cm)
    edges = tuple(edges)
    if len(edges) != 4 or any(e not in EDGE_KINDS for e in edges):
        raise QdlabInputError(f"edges must be 4 of {', '.join(EDGE_KINDS)} (x=0, x=L, y=0, "
                              f"y=W), got {','.join(map(str, edges))!r}")
    if distribution not in ("normal", "lognormal"):
        raise QdlabInputError(f"distribution must be normal or lognormal, got {distribution!r}")
    check_range(concentration_M, "concentration_M", 1e-12, 1e-2, "mol/L")
    check_range(excitation_nm, "excitation_nm", 200.0, 3000.0, "nm")
    names = [s.strip() for s in str(structure).split("/")]
    shells_nm = list(shells_nm)
    if any(not n for n in names):
        raise QdlabInputError(f"structure must be materials separated by '/', got {structure!r}")
    if len(shells_nm) != len(names) - 1:
        raise QdlabInputError(f"{structure!r} has {len(names) - 1} shell material(s) but "
                              f"{len(shells_nm)} shell thickness(es) were given")
    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    dist = getattr(SizeDistribution, distribution)(core_diameter_nm, dispersion_pct)
    ens = Ensemble(names[0], dist, shells=list(zip(names[1:], shells_nm, strict=True)),
                   quantum_yield=quantum_yield, stokes_shift_eV=stokes_shift_eV)
    lum = Luminophore.from_ensemble(ens, concentration_M, excitation_nm=excitation_nm)
    slab = LSCSlab(L, W, T, refractive_index, lum, host_absorption_per_cm=host_absorption_per_cm,
                   scattering_per_cm=scattering_per_cm, edges=edges)
    res = simulate_lsc(slab, n_photons=n_photons, excitation_nm=excitation_nm,
                       back_reflector=back_reflector, mirror_reflectivity=mirror_reflectivity,
                       seed=seed)
    lam = lum.wavelength_nm
    pl_peak = ens.emission_peak_nm()
    a_exc = float(lum.absorption_per_cm[lum.bin_of(excitation_nm)])
    a_pl = float(lum.absorption_per_cm[lum.bin_of(pl_peak)])
    out = {
        "structure": structure, "core_diameter_nm": core_diameter_nm,
        "shells_nm": shells_nm, "dispersion_pct": dispersion_pct,
        "distribution": distribution, "concentration_M": concentration_M,
        "size_cm": [L, W, T], "refractive_index": refractive_index,
        "quantum_yield": quantum_yield, "host_absorption_per_cm": host_absorption_per_cm,
        "scattering_per_cm": scattering_per_cm, "edges": list(edges),
        "back_reflector": bool(back_reflector), "mirror_reflectivity": mirror_reflectivity,
        "excitation_nm": excitation_nm,
        "dots": {"first_peak_nm": ens.first_peak_nm(), "pl_peak_nm": pl_peak,
                 "stokes_shift_eV": ens.stokes_shift_eV,
                 "absorption_at_excitation_per_cm": a_exc,
                 "absorption_at_pl_peak_per_cm": a_pl,
                 "absorbance_at_excitation": a_exc * T / math.log(10.0),
                 "quality_factor": a_exc / a_pl if a_pl > 0 else None},
        "trapping_efficiency": math.sqrt(1.0 - 1.0 / refractive_index**2),
    }
    out.update(res.to_dict(spectrum=include_spectrum))
    if res.edge_spectrum.sum() > 0:
        out["edge_spectrum_peak_nm"] = float(lam[int(np.argmax(res.edge_spectrum))])
    else:
        out["edge_spectrum_peak_nm"] = None
    return out, res
