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
from dataclasses import dataclass, field

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
from qdlab.synthesis.shell_recipes import (
    SHELL_GROWTH_DEFAULTS,
    SHELL_NUCLEATION_DEFAULTS,
    _continuous_recipe,
    _core_classes,
    _mean_shell_history,
    _molar_volume,
    _surviving_cores,
)

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


def monolayer_thickness_nm(material) -> float:
    """Thickness of one monolayer (one cation-anion double layer) of a material, in nm.

    Parameters
    ----------
    material : str or Material
        A material of :mod:`qdlab.materials` (e.g. ``"CdS"``, ``"ZnS"``).

    Returns
    -------
    float
        Monolayer thickness in nm.

    Notes
    -----
    wurtzite: c/2 (two double layers per c); zinc blende: d111 = a/sqrt(3)
    (the same close-packed double layers along [111]); rock salt: a/2 (along
    [100]); any other lattice: the cube root of the volume per formula unit
    (molar volume / N_A), a rough estimate.

    References
    ----------
    Li et al., J. Am. Chem. Soc. 125, 12567 (2003) take 0.35 nm per CdS monolayer.

    Examples
    --------
    >>> round(monolayer_thickness_nm("CdS"), 3)       # wurtzite c/2
    0.336
    >>> round(monolayer_thickness_nm("ZnS"), 3)
    0.312
    """
    from qdlab.materials import get_material

    mat = get_material(material)
    cs = str(getattr(mat, "crystal_structure", "")).lower()
    a = getattr(mat, "lattice_constant_nm", None)
    c = getattr(mat, "lattice_c_nm", None)
    if "wurtzite" in cs and c:
        return float(c) / 2.0
    if ("zinc" in cs or "zb" == cs) and a:
        return float(a) / math.sqrt(3.0)
    if "rock" in cs and a:
        return float(a) / 2.0
    vm = mat.molar_mass_g_mol / mat.density_g_cm3  # cm^3/mol
    return float(np.cbrt(vm * 1e21 / AVOGADRO))


@dataclass(frozen=True)
class ShellPopulation:
    """A population of core/shell particles (one entry per size class).

    Attributes
    ----------
    core_material, shell_material : str
        Material names.
    core_diameter_nm : ndarray
        Core diameter of each class, nm.
    shell_thickness_nm : ndarray
        Shell thickness of each class, nm.
    number_mol : ndarray
        Particles in each class, mol of particles.
    new_particles_mol : float
        Separate shell-material particles nucleated homogeneously (mol of
        particles, 0 for SILAR or when nucleation is suppressed).
    nucleated_mol : float
        All shell-material nuclei formed during growth, including those that
        redissolved (time integral of the CNT rate), mol of particles.
    dissolved_cores_mol : float
        Cores that dissolved (Ostwald ripening) during shell growth; they are
        not in the class arrays (mol of particles).
    max_supersaturation : float
        Largest shell-monomer supersaturation during growth (nan for SILAR).
    critical_supersaturation : float
        Supersaturation above which homogeneous nucleation becomes significant
        (see :func:`critical_supersaturation`; nan for SILAR).
    history : dict
        Route-specific time/cycle series (``time_s`` and ``mean_shell_nm`` for
        continuous growth, ``cycle`` and ``mean_shell_nm`` for SILAR).
    """

    core_material: str
    shell_material: str
    core_diameter_nm: np.ndarray
    shell_thickness_nm: np.ndarray
    number_mol: np.ndarray
    new_particles_mol: float = 0.0
    nucleated_mol: float = 0.0
    dissolved_cores_mol: float = 0.0
    max_supersaturation: float = float("nan")
    critical_supersaturation: float = float("nan")
    history: dict = field(default_factory=dict)

    @property
    def mean_shell_thickness_nm(self) -> float:
        """Number-weighted mean shell thickness, nm."""
        return float(np.average(self.shell_thickness_nm, weights=self.number_mol))

    @property
    def nucleation_suppressed(self) -> bool:
        """True if fewer shell-material nuclei formed than 1 % of the cores (ever)."""
        return bool(max(self.nucleated_mol, self.new_particles_mol)
                    < 0.01 * float(np.sum(self.number_mol)))

    def structures(self, medium=None, temperature: float = 300.0) -> list:
        """The classes as :class:`qdlab.structures.CoreShell` objects.

        Classes with a shell thinner than 1e-6 nm are returned as a core with no
        shell.
        """
        from qdlab.structures import CoreShell

        out = []
        for d, t in zip(self.core_diameter_nm, self.shell_thickness_nm, strict=True):
            shells = [(self.shell_material, float(t))] if t > 1e-6 else []
            out.append(CoreShell(self.core_material, float(d), shells, medium=medium,
                                 temperature=temperature))
        return out

    def first_exciton(self, **options) -> dict:
        """Band-edge transition of every class (exact radial solver, vectorised).

        Parameters
        ----------
        **options
            Passed to :func:`qdlab.electronic.first_exciton_batch` (e.g. ``medium``).

        Returns
        -------
        dict
            ``first_exciton_eV`` and ``first_exciton_nm`` per class (ndarray) and
            ``mean_first_exciton_nm``: the number-weighted mean transition energy
            expressed as a wavelength, nm.
        """
        e = _first_exciton_eV(self.core_material, self.shell_material,
                              self.core_diameter_nm / 2.0, self.shell_thickness_nm, **options)
        from qdlab.constants import HC_EV_NM

        mean_e = float(np.average(e, weights=self.number_mol))
        return {"first_exciton_eV": e, "first_exciton_nm": HC_EV_NM / e,
                "mean_first_exciton_nm": HC_EV_NM / mean_e}


def _first_exciton_eV(core, shell, r_core_nm, t_nm, **options):
    from qdlab.electronic import first_exciton_batch

    r = np.atleast_1d(np.asarray(r_core_nm, dtype=float))
    t = np.broadcast_to(np.asarray(t_nm, dtype=float), r.shape)
    e = np.empty(r.shape)
    bare = t <= 1e-6
    if np.any(bare):
        e[bare] = first_exciton_batch([core], r[bare][:, None], **options)["first_exciton_eV"]
    if np.any(~bare):
        radii = np.column_stack([r[~bare], r[~bare] + t[~bare]])
        e[~bare] = first_exciton_batch([core, shell], radii, **options)["first_exciton_eV"]
    return e


def band_edge_vs_shell(core_material, core_diameter_nm: float, shell_material,
                       shell_thickness_nm, **options) -> np.ndarray:
    """First-exciton wavelength (nm) of a core/shell versus shell thickness.

    Parameters
    ----------
    core_material, shell_material : str or Material
    core_diameter_nm : float
        Core diameter, nm (> 0).
    shell_thickness_nm : array_like
        Shell thicknesses, nm (>= 0; 0 = bare core).
    **options
        Passed to :func:`qdlab.electronic.first_exciton_batch`.

    Returns
    -------
    ndarray
        First-exciton wavelength in nm, same shape as ``shell_thickness_nm``.

    Notes
    -----
    Exact radial effective-mass solution with Coulomb and dielectric terms
    (:func:`qdlab.electronic.first_exciton_batch`). For CdSe/CdS the small
    conduction-band offset lets the electron spread into the shell, so the
    band edge red-shifts as the shell grows (quasi-type II), as observed in the
    SILAR series of Li et al. (2003).

    References
    ----------
    J. J. Li et al., J. Am. Chem. Soc. 125, 12567 (2003).

    Examples
    --------
    >>> lam = band_edge_vs_shell("CdSe", 3.5, "CdS", [0.0, 0.336, 1.0])
    >>> bool(lam[0] < lam[1] < lam[2])
    True
    """
    check_positive(core_diameter_nm, "core_diameter_nm", "nm")
    t = np.asarray(shell_thickness_nm, dtype=float)
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise QdlabInputError(f"shell_thickness_nm must be >= 0 nm, got {shell_thickness_nm!r}")
    from qdlab.constants import HC_EV_NM

    flat = t.reshape(-1)
    e = _first_exciton_eV(core_material, shell_material,
                          np.full(flat.shape, core_diameter_nm / 2.0), flat, **options)
    return (HC_EV_NM / e).reshape(t.shape)


def cores_from_trajectory(trajectory, max_classes: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Core diameters and amounts from the final size classes of a synthesis run.

    Parameters
    ----------
    trajectory : qdlab.synthesis.Trajectory
        A finished core synthesis.
    max_classes : int
        Classes are merged (number- and volume-conserving, neighbours in size)
        down to at most this many, to keep the core/shell solves cheap.

    Returns
    -------
    diameter_nm, number_mol : ndarray
        Core diameters (nm, increasing) and particles per class (mol).

    See Also
    --------
    grow_shell_continuous, grow_shell_silar

    References
    ----------
    .. [1] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, J. Phys. Chem. B 105, 12278
       (2001).

    Examples
    --------
    >>> from qdlab.synthesis import example_recipe, run_recipe
    >>> d, n = cores_from_trajectory(run_recipe(example_recipe("cdse").with_updates(
    ...     duration_s=60.0)), max_classes=10)
    >>> len(d) <= 10 and bool(np.all(np.diff(d) > 0))
    True
    """
    r = np.asarray(trajectory.final_radii_nm, dtype=float)
    n = np.asarray(trajectory.final_number_mol, dtype=float)
    keep = (r > 0) & (n > 0)
    r, n = r[keep], n[keep]
    if r.size == 0:
        raise QdlabInputError("the trajectory has no particles at its end")
    if max_classes < 1:
        raise QdlabInputError(f"max_classes must be >= 1, got {max_classes}")
    order = np.argsort(r)
    r, n = r[order], n[order]
    if r.size > max_classes:
        # equal-number groups of neighbouring classes; volume-mean radius per group
        cum = np.cumsum(n) / n.sum()
        grp = np.minimum((cum * max_classes - 1e-12).astype(int), max_classes - 1)
        grp = np.maximum(grp, 0)
        ng = np.bincount(grp, weights=n, minlength=max_classes)
        vg = np.bincount(grp, weights=n * r**3, minlength=max_classes)
        ok = ng > 0
        r, n = np.cbrt(vg[ok] / ng[ok]), ng[ok]
    return 2.0 * r, n


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
    .. [1] D. Kashchiev, *Nucleation* (Butterworth-Heinemann, 2000).
    .. [2] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, J. Phys. Chem. B 105, 12278
       (2001).

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
       (2001).
    .. [2] J. J. Li et al., J. Am. Chem. Soc. 125, 12567 (2003).

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
    # all nuclei formed (also those that redissolved): trapezoid of the CNT rate J(S(t))
    nuc_model = select(NUCLEATION_METHODS, "nucleation model", recipe.nucleation.model).function
    vm_shell = resolve_molar_volume(recipe)
    j = np.array([float(nuc_model(s_, temperature_K=temperature_K,
                                  surface_energy_J_m2=recipe.growth.surface_energy_J_m2,
                                  molar_volume_cm3_mol=vm_shell,
                                  prefactor_per_m3_s=recipe.nucleation.prefactor_per_m3_s))
                  for s_ in np.asarray(tr.supersaturation)])
    nucleated = float(np.trapezoid(j, tr.time_s)) * solvent_volume_mL * 1e-6 / AVOGADRO
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


def grow_shell_silar(core_diameter_nm, number_mol, shell_material, cycles: int, *,
                     efficiency: float = 1.0, core_material: str = "CdSe",
                     monolayer_nm: float | None = None) -> ShellPopulation:
    """Grow a shell layer by layer (SILAR): one monolayer per cycle at most.

    Parameters
    ----------
    core_diameter_nm, number_mol : array_like
        Core diameters (nm) and particles per class (mol).
    shell_material : str
        Shell material (e.g. ``"CdS"``).
    cycles : int
        Number of SILAR cycles (cation + anion half-cycles), >= 0.
    efficiency : float
        Per-cycle completion of the monolayer, in (0, 1] (1 = a full monolayer
        every cycle, as intended in Li et al. 2003).
    core_material : str
        Core material.
    monolayer_nm : float, optional
        Monolayer thickness in nm (default :func:`monolayer_thickness_nm`).

    Returns
    -------
    ShellPopulation
        ``history`` holds ``cycle``, ``mean_shell_nm`` and ``precursor_mol``
        (shell material needed in each cycle, mol of formula units, from the
        volume of the added layer: what Li et al. computed for each injection).

    Notes
    -----
    After n cycles the shell is n * efficiency * ML thick on every core (the
    same for all classes: SILAR deposits by layers, not by a size-dependent
    growth law). The amount per cycle is
    sum_i N_i (4 pi / 3) ((r_i + t_k)^3 - (r_i + t_{k-1})^3) N_A / V_m.

    References
    ----------
    J. J. Li et al., J. Am. Chem. Soc. 125, 12567 (2003).

    Examples
    --------
    >>> pop = grow_shell_silar([3.5], [1e-7], "CdS", 3, efficiency=0.9)
    >>> round(pop.mean_shell_thickness_nm, 3)    # 3 x 0.9 x 0.336 nm
    0.907
    """
    d0, n0 = _core_classes(core_diameter_nm, number_mol)
    if not isinstance(cycles, (int, np.integer)) or cycles < 0:
        raise QdlabInputError(f"cycles must be an integer >= 0, got {cycles!r}")
    check_range(efficiency, "efficiency", 1e-9, 1.0)
    ml = monolayer_thickness_nm(shell_material) if monolayer_nm is None else monolayer_nm
    check_positive(ml, "monolayer_nm", "nm")
    from qdlab.materials import get_material

    mat = get_material(shell_material)
    vm_nm3_per_mol = mat.molar_mass_g_mol / mat.density_g_cm3 * 1e21  # nm^3/mol
    k = np.arange(cycles + 1)
    t_k = k * efficiency * ml
    r0 = d0 / 2.0
    vol = (4.0 * np.pi / 3.0) * ((r0[None, :] + t_k[:, None]) ** 3 - r0[None, :] ** 3)
    amount = AVOGADRO * (vol @ n0) / vm_nm3_per_mol  # mol of formula units in all shells
    return ShellPopulation(
        core_material=str(core_material), shell_material=str(shell_material),
        core_diameter_nm=d0, shell_thickness_nm=np.full(d0.shape, t_k[-1]), number_mol=n0,
        history={"cycle": k, "mean_shell_nm": t_k,
                 "precursor_mol": np.diff(amount, prepend=0.0)})
