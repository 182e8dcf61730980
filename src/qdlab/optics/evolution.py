"""What the chemist measures during a synthesis: spectra, peak and colour over time.

A :class:`qdlab.synthesis.Trajectory` holds size histograms at snapshot times.
Each histogram is used as the size distribution of an
:class:`~qdlab.optics.ensemble.Ensemble` (the histogram is integrated exactly,
not replaced by a Gaussian), giving the absorption spectrum of an aliquot, its
first-exciton peak, its PL peak and its colour.

The transitions are solved once on a diameter grid
(:class:`~qdlab.optics.ensemble.TransitionTable`) and interpolated for every
snapshot.  Sizes outside the grid (1.4-13 nm) are dropped with a warning.
"""

from __future__ import annotations

import numpy as np

from qdlab._validation import QdlabInputError, warn_validity
from qdlab.optics.colour import emission_colour
from qdlab.optics.ensemble import Ensemble, SizeDistribution, molar_extinction_from_cross_section

#: Wavelength grid (nm) for spectra over time.
DEFAULT_WAVELENGTHS_NM = np.arange(350.0, 800.01, 2.0)


def spectra_over_time(trajectory, material: str | None = None, wavelength_nm=None,
                      *, min_particles_fraction: float = 1e-6) -> dict:
    """Absorption spectra, first-exciton peak, PL peak and colour of each snapshot.

    Parameters
    ----------
    trajectory : qdlab.synthesis.Trajectory
        A synthesis run with size-histogram snapshots.
    material : str, optional
        Material of the particles (default: the recipe's, stored in the trajectory).
    wavelength_nm : array_like, optional
        Wavelength grid in nm (default 350-800 nm every 2 nm).
    min_particles_fraction : float
        Snapshots with fewer particles than this fraction of the final number are
        skipped (nucleation has not happened yet).

    Returns
    -------
    dict
        ``time_s`` (n,), ``wavelength_nm`` (m,), ``absorbance_per_cm`` (n, m): the
        aliquot absorbance for a 1 cm path at the reaction concentration,
        ``first_peak_nm``, ``pl_peak_nm``, ``pl_fwhm_nm``, ``colour_hex`` (n,).

    Examples
    --------
    >>> from qdlab.synthesis import example_recipe, run_recipe
    >>> traj = run_recipe(example_recipe("cdse").with_updates(duration_s=60.0))
    >>> out = spectra_over_time(traj)
    >>> bool(np.all(np.diff(out["first_peak_nm"]) >= -1.0))   # dots grow: peak moves red
    True
    """
    from qdlab.optics.fit import model_table

    material = material or trajectory.extra.get("material")
    if not material:
        raise QdlabInputError("material must be given (the trajectory does not name one)")
    lam = DEFAULT_WAVELENGTHS_NM if wavelength_nm is None else np.asarray(wavelength_nm, float)
    table = model_table(material)
    centres = trajectory.diameter_centres_nm
    hist = np.asarray(trajectory.histograms_mol_L, dtype=float)
    total = hist.sum(axis=1)
    keep = total > min_particles_fraction * max(float(total[-1]), 1e-300)
    inside = (centres >= table.d_min_nm) & (centres <= table.d_max_nm)
    if np.any(hist[keep][:, ~inside] > 0):
        warn_validity(f"size bins outside {table.d_min_nm:.1f}-{table.d_max_nm:.1f} nm are "
                      "left out of the spectra")
    out = {k: [] for k in ("time_s", "absorbance_per_cm", "first_peak_nm", "pl_peak_nm",
                           "pl_fwhm_nm", "colour_hex")}
    for t, h in zip(trajectory.snapshot_time_s[keep], hist[keep], strict=True):
        w = np.where(inside, h, 0.0)
        if w.sum() <= 0:
            continue
        ens = Ensemble(material, SizeDistribution.histogram(centres[w > 0], w[w > 0]),
                       table=table)
        sigma = ens.absorption_cross_section(lam)
        out["time_s"].append(float(t))
        out["absorbance_per_cm"].append(molar_extinction_from_cross_section(sigma) * w.sum())
        out["first_peak_nm"].append(ens.first_peak_nm())
        pl = ens.emission_peak_nm()
        fw = ens.emission_fwhm_nm()
        out["pl_peak_nm"].append(pl)
        out["pl_fwhm_nm"].append(fw)
        if 380.0 <= pl <= 780.0:
            grid = np.arange(360.0, 830.0, 1.0)
            out["colour_hex"].append(emission_colour(grid, ens.emission(grid)).srgb_hex)
        else:
            out["colour_hex"].append(None)
    if not out["time_s"]:
        raise QdlabInputError("the trajectory has no snapshot with particles in "
                              f"{table.d_min_nm:.1f}-{table.d_max_nm:.1f} nm")
    res = {k: np.asarray(v) if k != "colour_hex" else v for k, v in out.items()}
    res["wavelength_nm"] = lam
    return res
