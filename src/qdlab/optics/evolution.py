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

from qdlab.errors import QdlabInputError, warn_validity
from qdlab.optics.colour import emission_colour
from qdlab.optics.ensemble import Ensemble, SizeDistribution, molar_extinction_from_cross_section

#: Wavelength grid (nm) for spectra over time.
DEFAULT_WAVELENGTHS_NM = np.arange(350.0, 800.01, 2.0)


def spectra_over_time(trajectory, material: str | None = None, wavelength_nm=None,
                      *, min_particles_fraction: float = 1e-6) -> dict:
    r"""Absorption spectra, first-exciton peak, PL peak and colour of each snapshot.

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

    See Also
    --------
    qdlab.optics.ensemble.Ensemble : the absorption and emission of one size distribution.

    Notes
    -----
    Absorbance per cm of each aliquot: :math:`A/L = \varepsilon\,c` with
    :math:`\varepsilon = N_A\sigma/(1000\ln 10)` (M^-1 cm^-1) from the ensemble
    cross-section :math:`\sigma` (cm^2) of the snapshot's histogram and the particle
    concentration :math:`c` (mol/L) of the reaction.

    References
    ----------
    .. [1] Z. Hens and I. Moreels, J. Mater. Chem. 22, 10406 (2012). Bibliography ``hens2012``.
    .. [2] C. A. Leatherdale, W.-K. Woo, F. V. Mikulec, M. G. Bawendi,
       J. Phys. Chem. B 106, 7619 (2002). Bibliography ``leatherdale2002``.

    Examples
    --------
    >>> from qdlab.synthesis import example_recipe, run_recipe
    >>> traj = run_recipe(example_recipe("cdse").with_updates(duration_s=60.0))
    >>> out = spectra_over_time(traj)
    >>> bool(np.all(np.diff(out["first_peak_nm"]) >= -1.0))   # dots grow: peak moves red
    True
    """
    material, table, snaps = _snapshot_ensembles(trajectory, material, min_particles_fraction)
    lam = DEFAULT_WAVELENGTHS_NM if wavelength_nm is None else np.asarray(wavelength_nm, float)
    out = {k: [] for k in ("time_s", "absorbance_per_cm", "first_peak_nm", "pl_peak_nm",
                           "pl_fwhm_nm", "colour_hex")}
    for t, ens, n_mol_L in snaps:
        sigma = ens.absorption_cross_section(lam)
        out["time_s"].append(float(t))
        out["absorbance_per_cm"].append(molar_extinction_from_cross_section(sigma) * n_mol_L)
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


def _snapshot_ensembles(trajectory, material, min_particles_fraction):
    """``(material, table, [(time_s, Ensemble, particles_mol_L), ...])`` of the snapshots.

    One ensemble per snapshot whose particle number is at least
    ``min_particles_fraction`` of the final one, built from the size bins inside
    the transition table's range (bins outside it are left out, with a warning).
    """
    from qdlab.optics.ensemble import model_table

    material = material or trajectory.extra.get("material")
    if not material:
        raise QdlabInputError("material must be given (the trajectory does not name one)")
    table = model_table(material)
    centres = trajectory.diameter_centres_nm
    hist = np.asarray(trajectory.histograms_mol_L, dtype=float)
    total = hist.sum(axis=1)
    keep = total > min_particles_fraction * max(float(total[-1]), 1e-300) if total.size else \
        np.zeros(0, bool)
    inside = (centres >= table.d_min_nm) & (centres <= table.d_max_nm)
    if np.any(hist[keep][:, ~inside] > 0):
        warn_validity(f"size bins outside {table.d_min_nm:.1f}-{table.d_max_nm:.1f} nm are "
                      "left out of the spectra")
    snaps = []
    for t, h in zip(np.asarray(trajectory.snapshot_time_s)[keep], hist[keep], strict=True):
        w = np.where(inside, h, 0.0)
        if w.sum() <= 0:
            continue
        ens = Ensemble(material, SizeDistribution.histogram(centres[w > 0], w[w > 0]),
                       table=table)
        snaps.append((t, ens, float(w.sum())))
    return material, table, snaps


def first_exciton_peak_during_synthesis(trajectory, material: str | None = None, *,
                                        min_particles_fraction: float = 1e-6) -> np.ndarray:
    r"""First-exciton absorption peak (nm) of the reaction at each snapshot of a synthesis.

    This is qdlab's one definition of "the peak during a synthesis": the
    wavelength of the first-exciton maximum of the absorption spectrum of an
    aliquot, i.e. of the whole size histogram of the snapshot (integrated
    exactly, not replaced by its mean or by a Gaussian), computed with the
    ensemble model of :class:`qdlab.optics.ensemble.Ensemble`.  It is what a
    chemist reads off a UV-vis spectrum of an aliquot, and it equals
    ``spectra_over_time(trajectory)["first_peak_nm"]`` at the snapshots that
    function keeps.

    Parameters
    ----------
    trajectory : qdlab.synthesis.Trajectory
        A synthesis run with size-histogram snapshots (``numerics.n_snapshots > 0``).
    material : str, optional
        Material of the particles (default: the recipe's, stored in the trajectory).
    min_particles_fraction : float
        Snapshots with fewer particles than this fraction of the final number
        (before nucleation) have no peak.

    Returns
    -------
    numpy.ndarray
        Peak wavelength in nm, one per ``trajectory.snapshot_time_s`` (s); NaN where
        the snapshot has no peak: before nucleation, or when every particle lies
        outside the diameters of the transition table (1.4-13 nm; bins outside it
        are left out with a :class:`qdlab.QdlabValidityWarning`).

    Raises
    ------
    QdlabInputError
        If no material is known, or the material has no optical model.

    Notes
    -----
    For a snapshot with number densities :math:`n_i` (mol/L) in diameter bins
    :math:`d_i` (nm), the absorption cross-section is

    .. math:: \sigma(E) = \sum_i n_i \sum_k f_k(d_i)\, L(E - E_k(d_i)),

    with the transitions :math:`E_k(d)` and oscillator strengths :math:`f_k(d)`
    of the layered-sphere model (``TransitionTable``) and the line shapes
    :math:`L` of the ensemble model; the peak is the maximum of :math:`\sigma`
    near the number-weighted lowest transition, refined by a parabola
    (:meth:`qdlab.optics.ensemble.Ensemble.first_peak_nm`), converted with
    :math:`\lambda = hc / E`.  Because the whole histogram is used, the peak
    differs from the transition of the mean diameter by several nm for a broad
    distribution.

    References
    ----------
    .. [1] Talapin, D. V. et al. "Evolution of an ensemble of nanoparticles in a
       colloidal solution: theoretical study", J. Phys. Chem. B 105, 12278 (2001).
       Bibliography ``talapin2001``.
    .. [2] Norris, D. J. & Bawendi, M. G. "Measurement and assignment of the
       size-dependent optical spectrum in CdSe quantum dots", Phys. Rev. B 53,
       16338 (1996). Bibliography ``norris1996``.

    Examples
    --------
    >>> from qdlab.synthesis import example_recipe, run_recipe
    >>> traj = run_recipe(example_recipe("cdse").with_updates(duration_s=60.0))
    >>> peak = first_exciton_peak_during_synthesis(traj)
    >>> peak.shape == traj.snapshot_time_s.shape, bool(np.isnan(peak[0]))
    (True, True)
    >>> bool(np.nanmax(peak) > 600.0)
    True
    """
    _, _, snaps = _snapshot_ensembles(trajectory, material, min_particles_fraction)
    times = np.asarray(trajectory.snapshot_time_s, dtype=float)
    out = np.full(times.shape, np.nan)
    index = {float(t): i for i, t in enumerate(times)}
    for t, ens, _ in snaps:
        out[index[float(t)]] = ens.first_peak_nm()
    return out
