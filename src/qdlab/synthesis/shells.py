"""Shell growth on nanocrystal cores: continuous injection and layer-by-layer (SILAR).

Two routes turn a population of cores (e.g. the size classes of a
:class:`~qdlab.synthesis.Trajectory`) into a population of
:class:`qdlab.structures.CoreShell` particles:

- :func:`grow_shell_continuous`: shell precursor is fed at a constant rate
  (discretised into many small injections), converts to monomer (first order)
  and deposits on the existing cores with the same Talapin et al. (2001)
  growth law and population balance as the core synthesis
  (:func:`qdlab.synthesis.run_recipe` with the cores as seeds). Classical
  nucleation of the shell material stays switched on, so homogeneous
  nucleation of separate shell-material particles is *computed*, not assumed
  away; the result reports how many new particles formed and the critical
  supersaturation below which nucleation is negligible.
- :func:`grow_shell_silar`: successive ion layer adsorption and reaction
  (Li et al. 2003): each cycle adds at most one monolayer; a per-cycle
  completion efficiency (0-1) gives the mean thickness added per cycle.

One monolayer (:func:`monolayer_thickness_nm`) is the spacing of the
close-packed cation-anion double layers: c/2 for wurtzite (along the c axis),
d111 = a/sqrt(3) for zinc blende (the same layers along [111]) and a/2 for rock
salt (along [100]).  For CdS (wurtzite, c = 0.6716 nm) this is 0.336 nm; Li et
al. (2003) used 0.35 nm per CdS monolayer to compute the SILAR precursor
amounts.

The band-edge (first exciton) transition of the resulting core/shells follows
from the exact radial solver (:func:`qdlab.electronic.first_exciton_batch`,
the same solver :func:`qdlab.solve` uses for a :class:`~qdlab.structures.CoreShell`).

Module map: the continuous route and the critical supersaturation are here; SILAR and
the monolayer thickness in :mod:`qdlab.synthesis.silar`; :class:`ShellPopulation`, the
cores of a trajectory and the band edge in :mod:`qdlab.synthesis.shell_population`.
All names are importable from this module.

References
----------
.. [1] J. J. Li, Y. A. Wang, W. Guo, J. C. Keay, T. D. Mishima, M. B. Johnson,
   X. Peng, "Large-scale synthesis of nearly monodisperse CdSe/CdS core/shell
   nanocrystals using air-stable reagents via successive ion layer adsorption
   and reaction", J. Am. Chem. Soc. 125, 12567-12575 (2003),
   doi:10.1021/ja0363563.
.. [2] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, J. Phys. Chem. B 105,
   12278 (2001).
.. [3] B. O. Dabbousi et al., "(CdSe)ZnS core-shell quantum dots", J. Phys.
   Chem. B 101, 9463 (1997) (red shift of the band edge with shell growth).
"""


from __future__ import annotations

import math

import numpy as np

from qdlab.constants import AVOGADRO
from qdlab.errors import QdlabInputError, check_positive, check_range
from qdlab.registry import select
from qdlab.synthesis.kinetics import cnt_exponent
from qdlab.synthesis.population import (
    NUCLEATION_METHODS,
    resolve_molar_volume,
    run_recipe,
)
from qdlab.synthesis.shell_population import (  # noqa: F401  (old import path)
    ShellPopulation,
    _first_exciton_eV,
    band_edge_vs_shell,
    cores_from_trajectory,
)
from qdlab.synthesis.shell_recipes import (
    SHELL_GROWTH_DEFAULTS,
    SHELL_NUCLEATION_DEFAULTS,
    _continuous_recipe,
    _core_classes,
    _mean_shell_history,
    _molar_volume,
    _surviving_cores,
)
from qdlab.synthesis.silar import grow_shell_silar, monolayer_thickness_nm

__all__ = [
    "SHELL_GROWTH_DEFAULTS",
    "SHELL_NUCLEATION_DEFAULTS",
    "ShellPopulation",
    "band_edge_vs_shell",
    "cores_from_trajectory",
    "critical_supersaturation",
    "grow_shell_continuous",
    "grow_shell_silar",
    "monolayer_thickness_nm",
]



def critical_supersaturation(shell_material, *, surface_energy_J_m2: float,
                             temperature_K: float, prefactor_per_m3_s: float,
                             volume_L: float, duration_s: float,
                             reference_number_mol: float, fraction: float = 0.01) -> float:
    """Supersaturation above which homogeneous nucleation of the shell material matters.

    Parameters
    ----------
    shell_material : str
        Shell material (molar volume from the database).
    surface_energy_J_m2 : float
        Surface energy gamma, J/m^2.
    temperature_K : float
        Temperature, K.
    prefactor_per_m3_s : float
        CNT kinetic prefactor A_n, nuclei / (m^3 s).
    volume_L : float
        Reaction volume, L.
    duration_s : float
        Time the supersaturation is held, s.
    reference_number_mol : float
        Number of cores, mol of particles.
    fraction : float
        "Significant" means ``fraction`` x the number of cores (default 1 %).

    Returns
    -------
    float
        S_c (dimensionless); inf if even S -> inf gives fewer nuclei.

    See Also
    --------
    grow_shell_continuous

    Notes
    -----
    Classical nucleation theory, J(S) = A_n exp(-B / ln^2 S) with
    B = 16 pi gamma^3 v^2 / (3 (k_B T)^3). S_c solves
    J(S_c) V t / N_A = fraction * N_cores, i.e.
    ln S_c = sqrt(B / ln(A_n V t / (N_A fraction N_cores))).

    References
    ----------
    .. [1] D. Kashchiev, *Nucleation* (Butterworth-Heinemann, 2000). Bibliography
       ``kashchiev2000``.
    .. [2] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, J. Phys. Chem. B 105, 12278
       (2001). Bibliography ``talapin2001``.

    Examples
    --------
    >>> s = critical_supersaturation("CdS", surface_energy_J_m2=0.2, temperature_K=513.0,
    ...     prefactor_per_m3_s=1e32, volume_L=0.01, duration_s=600.0,
    ...     reference_number_mol=1e-7)
    >>> 1.0 < s < 1e3
    True
    """
    check_positive(volume_L, "volume_L", "L")
    check_positive(duration_s, "duration_s", "s")
    check_positive(reference_number_mol, "reference_number_mol", "mol")
    check_range(fraction, "fraction", 1e-12, 1.0)
    b = float(cnt_exponent(surface_energy_J_m2, _molar_volume(shell_material), temperature_K))
    ratio = prefactor_per_m3_s * volume_L * 1e-3 * duration_s / (
        AVOGADRO * fraction * reference_number_mol)
    if ratio <= 1.0:
        return math.inf
    return math.exp(math.sqrt(b / math.log(ratio)))


def grow_shell_continuous(core_diameter_nm, number_mol, shell_material, *, feed_mol_s: float,
                          duration_s: float, core_material: str = "CdSe",
                          solvent_volume_mL: float = 10.0, temperature_K: float = 513.15,
                          conversion_rate_per_s: float = 0.05, n_pulses: int = 60,
                          growth: dict | None = None, nucleation: dict | None = None,
                          rtol: float = 1e-4) -> ShellPopulation:
    """Grow a shell by continuous injection of shell precursor onto existing cores.

    Parameters
    ----------
    core_diameter_nm, number_mol : array_like
        Core diameters (nm) and particles per class (mol), e.g. from
        :func:`cores_from_trajectory`.
    shell_material : str
        Shell material (e.g. ``"CdS"``); its molar volume comes from the database.
    feed_mol_s : float
        Shell precursor feed rate, mol of monomer equivalents per s (> 0).
    duration_s : float
        Injection (and growth) time, s; the feed runs over the whole time.
    core_material : str
        Core material (for the resulting structures).
    solvent_volume_mL : float
        Reaction volume, mL.
    temperature_K : float
        Shelling temperature, K (constant).
    conversion_rate_per_s : float
        First-order precursor -> monomer conversion rate, 1/s.
    n_pulses : int
        The constant feed is applied as this many equal injections (at the
        midpoints of equal intervals); precursor conversion smooths them.
    growth, nucleation : dict, optional
        Overrides of :data:`SHELL_GROWTH_DEFAULTS` / :data:`SHELL_NUCLEATION_DEFAULTS`
        (``[growth]`` / ``[nucleation]`` recipe sections; the defaults are
        estimates, see there).
    rtol : float
        Relative tolerance of the population balance.

    Returns
    -------
    ShellPopulation
        Cores with the grown shell (one entry per core class), the amount of
        separately nucleated shell-material particles, the largest
        supersaturation reached and the critical supersaturation.

    See Also
    --------
    grow_shell_silar : layer-by-layer growth.

    Notes
    -----
    The cores are the seeds of :func:`qdlab.synthesis.run_recipe` on a recipe
    of the shell material: each class grows by
    dr/dt = D v C_inf (S - exp(l/r)) / (r + (D/k_g) exp(alpha l/r)) (Talapin et
    al. 2001) and CNT nucleation of the shell material stays active. The
    Lagrangian classes keep their identity (new nuclei are appended), so the
    shell thickness of class i is r_i(t_end) - r_i(0). The growth law depends on
    the outer radius only (the shell material's surface): an assumption for
    thin shells of a different lattice.

    Raises
    ------
    SynthesisError
        If class identity is lost (classes merged), so shells cannot be assigned.

    References
    ----------
    .. [1] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, J. Phys. Chem. B 105, 12278
       (2001). Bibliography ``talapin2001``.
    .. [2] J. J. Li et al., J. Am. Chem. Soc. 125, 12567 (2003). Bibliography ``li2003``.

    Examples
    --------
    >>> pop = grow_shell_continuous([3.0, 3.4], [5e-8, 5e-8], "CdS", feed_mol_s=2e-7,
    ...                             duration_s=300.0)
    >>> 0.2 < pop.mean_shell_thickness_nm < 2.0, pop.nucleation_suppressed
    (True, True)
    """
    d0, n0 = _core_classes(core_diameter_nm, number_mol)
    check_positive(feed_mol_s, "feed_mol_s", "mol/s")
    check_positive(duration_s, "duration_s", "s")
    check_positive(conversion_rate_per_s, "conversion_rate_per_s", "1/s")
    if not isinstance(n_pulses, int) or n_pulses < 1:
        raise QdlabInputError(f"n_pulses must be an integer >= 1, got {n_pulses!r}")
    order = np.argsort(d0)
    d0, n0 = d0[order], n0[order]
    d_in, n_in = d0, n0
    dt = duration_s / n_pulses
    dose = feed_mol_s * dt
    recipe = _continuous_recipe(d0, shell_material, solvent_volume_mL, duration_s,
                                temperature_K, growth, nucleation,
                                conversion_rate_per_s, rtol, n_pulses, dose)
    tr = run_recipe(recipe, initial_radii_nm=d0 / 2.0, initial_number_mol=n0)
    rf = np.asarray(tr.final_radii_nm)
    nf = np.asarray(tr.final_number_mol)
    d0, n0, k, dissolved = _surviving_cores(d0, n0, rf, nf)
    shell = np.maximum(rf[:k] - d0 / 2.0, 0.0)
    new = float(nf[k:].sum())
    nucleated = _nucleated_mol(recipe, tr, temperature_K, solvent_volume_mL)
    V_L = recipe.solvent_volume_mL * 1e-3
    nuc = recipe.nucleation
    s_c = critical_supersaturation(shell_material,
                                   surface_energy_J_m2=recipe.growth.surface_energy_J_m2,
                                   temperature_K=temperature_K,
                                   prefactor_per_m3_s=max(nuc.prefactor_per_m3_s, 1e-300),
                                   volume_L=V_L, duration_s=duration_s,
                                   reference_number_mol=float(n_in.sum()))
    time = np.asarray(tr.time_s)
    t_hist = _mean_shell_history(recipe, tr, d_in, n_in, d0, n0, dose, dt, n_pulses)
    return ShellPopulation(
        core_material=str(core_material), shell_material=str(shell_material),
        core_diameter_nm=d0, shell_thickness_nm=shell, number_mol=n0,
        new_particles_mol=new, nucleated_mol=nucleated, dissolved_cores_mol=dissolved,
        max_supersaturation=float(np.max(tr.supersaturation)),
        critical_supersaturation=float(s_c),
        history={"time_s": time, "mean_shell_nm": t_hist,
                 "supersaturation": np.asarray(tr.supersaturation)})



def _nucleated_mol(recipe, tr, temperature_K: float, solvent_volume_mL: float) -> float:
    """All shell-material nuclei formed (also those that redissolved), mol of particles.

    The trapezoid rule over the run of the CNT rate :math:`J(S(t))` (nuclei per m^3 s)
    of the recipe's nucleation model, times the volume (mL -> m^3) over :math:`N_A`.
    """
    nuc_model = select(NUCLEATION_METHODS, "nucleation model", recipe.nucleation.model).function
    vm_shell = resolve_molar_volume(recipe)
    j = np.array([float(nuc_model(s_, temperature_K=temperature_K,
                                  surface_energy_J_m2=recipe.growth.surface_energy_J_m2,
                                  molar_volume_cm3_mol=vm_shell,
                                  prefactor_per_m3_s=recipe.nucleation.prefactor_per_m3_s))
                  for s_ in np.asarray(tr.supersaturation)])
    return float(np.trapezoid(j, tr.time_s)) * solvent_volume_mL * 1e-6 / AVOGADRO
