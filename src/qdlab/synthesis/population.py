"""Population balance of nucleation, growth and dissolution (Lagrangian size classes).

Method
------
The particle ensemble is a set of Lagrangian size classes i, each with a fixed
number of particles N_i (mol of particles) and a radius r_i(t) (nm) that obeys
the growth law of Talapin et al. 2001 (:func:`qdlab.synthesis.kinetics.growth_rate_nm_s`).
Nucleation (classical nucleation theory by default) creates one new class per
time step holding the nuclei born in it, at ``nucleus_size_factor`` times the
critical radius. A class whose radius falls below the radius of one monomer,
r_1 = (3 v / 4 pi)^(1/3), dissolves: it is removed and its material returns to
the solution.  A particle of radius r holds (r^3 - r_1^3) / r_1^3 monomers
beyond the first: a cluster of one monomer *is* a dissolved monomer, so the
content of a class goes to zero continuously as it dissolves (counting r^3
instead would release one monomer per particle at once when the class vanishes,
a jump that at low solubility exceeds the whole free-monomer pool).  When more
than ``max_classes`` classes exist, the two classes closest in radius are
merged, keeping their number and their volume (hence mass) exactly.

Mass balance is exact by construction.  The state is the precursor amount P
(mol), the free monomer M (mol) and the class radii; the conserved total
P + M + sum_i N_i 4 pi (r_i^3 - r_1^3) / (3 v) changes only by injections.  After every
step the defect D = total - (P + M + Q) left by the truncation error is removed by
projection onto this invariant (Hairer, Lubich, Wanner, *Geometric Numerical
Integration*, sec. IV.4): M and the particle volumes are scaled by the one
common factor 1 + D / (M + Q), so the relative mass balance error is round-off
(~1e-16), and the step is rejected when |D| exceeds rtol (M + Q).  (Deriving M
as total - P - Q instead is exact too but ill-conditioned: late in a synthesis
M / Q ~ 1e-5, so tiny radius errors would corrupt the supersaturation.)
Positivity: a step that would give M < 0, P < 0 or a non-finite value is
rejected and retried with a smaller step, so no negative concentration is ever
stored.

Time integration is the two-stage, second-order, L-stable Rosenbrock method
ROS2 (Verwer, Spee, Blom, Hundsdorfer 1999; gamma = 1 + 1/sqrt(2)), which keeps
order 2 with any approximate Jacobian (a W-method).  Its embedded first-order
solution gives the local error estimate for step-size control (max norm with
``rtol`` and ``atol_nm``), filtered by (I - gamma h J)^-1 (Shampine) so that
the fast, slaved monomer relaxation does not limit the step.  The Jacobian
couples each class only to the monomer, so it is an arrowhead matrix (diagonal
in the radii plus the monomer row and column) and each linear solve
is O(number of classes) (arrowhead matrix: one Schur complement); positive diagonal
entries (the Gibbs-Thomson instability of particles near r*) are set to zero,
which the W-method property allows.  Nucleation is integrated inside the same
implicit stages: the births of the step, Z (mol of particles, dZ/dt = J(M)), and
the monomer they take, W (dW/dt = J m_1, with m_1 = 4 pi (r_n^3 - r_1^3)/(3 v)
per nucleus of radius r_n = ``nucleus_size_factor`` r*), are two more
components, and the sink -J m_1 and its derivative d(J m_1)/dM enter the monomer
row of the Jacobian.  Classical nucleation makes J depend on the supersaturation
through exp(-B / ln^2 S), a feedback so steep that treating it explicitly limits
the step to the monomer turnover time (microseconds at low solubility); inside
the L-stable stages it is stable at any step.  The births of a step form one new
class holding exactly W (its radius is the mean nucleus volume's); the embedded
error of Z is kept below ``nucleation_rtol`` of the particle number.  Steps end
exactly at temperature-program nodes, injections and snapshot times.

Error norm (max norm): radii against atol_nm + rtol max(r, <r>) + v/(4 pi r^2)
(one monomer added to the particle); dissolving classes below <r>/4 are left
out (their fate is certain); the monomer against 10 rtol |M - C_inf V| (the
excess that drives growth); the precursor against 10 rtol (P + 1e-3 total)
(the first-order embedded estimate overstates the error of its smooth decay;
measured effect on the final radii < 1e-5 relative); the mass defect against
rtol (M + Q); nucleation as above.  A class that will
vanish within three steps (bounded by (r - r_monomer)/|dr/dt|) is removed at
the start of the step and its material enters the solution at a constant rate
over the step.

Overall order: 2 in time for growth, dissolution and conversion; the birth of
classes (nucleation) and the release of the mass of a class that dissolves
within a step are first order in the step size.

Limitations
-----------
The size distribution is carried by the classes born during nucleation, one per
step; the last-born (smallest) ones each hold ~1-2 % of the particles.  During
ripening they dissolve one at a time, so the relative standard deviation shows a
sawtooth (e.g. 13 -> 17 -> 13 % every ~25 s for ``example_recipe("cdse-teaching")``)
and the supersaturation a short spike as each vanishes; a continuous
distribution would change smoothly.  Smaller ``nucleation_rtol`` gives more
classes but does not remove it.

References
----------
.. [1] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, J. Phys. Chem. B 105,
   12278 (2001).
.. [2] J. G. Verwer, E. J. Spee, J. G. Blom, W. Hundsdorfer, "A second-order
   Rosenbrock method applied to photochemical dispersion problems",
   SIAM J. Sci. Comput. 20, 1456-1480 (1999).
.. [3] X. Peng, J. Wickham, A. P. Alivisatos, J. Am. Chem. Soc. 120, 5343 (1998)
   (focusing of size distributions).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from qdlab.errors import QdlabInputError
from qdlab.registry import Model, select
from qdlab.synthesis.kinetics import (
    cnt_exponent,
    cnt_nucleation_rate,
)
from qdlab.synthesis.recipe import Recipe, example_recipe  # noqa: F401 (doctest namespace)
from qdlab.synthesis.stepper import (
    SynthesisError,
    _breakpoints,
    _initial_state,
    _merge,
    _no_nucleation,
    _Recorder,
    _ros2_stages,
    _step_error,
    _System,
)

__all__ = [
    "NUCLEATION_METHODS",
    "NUCLEATION_MODELS",
    "SynthesisError",
    "Trajectory",
    "register_nucleation_model",
    "resolve_molar_volume",
    "run_recipe",
]


# ---------------------------------------------------------------------------- nucleation
def _cnt_model(supersaturation, *, temperature_K, surface_energy_J_m2, molar_volume_cm3_mol,
               prefactor_per_m3_s):
    b = cnt_exponent(surface_energy_J_m2, molar_volume_cm3_mol, temperature_K)
    return cnt_nucleation_rate(prefactor_per_m3_s, b, supersaturation)


#: Nucleation models, a named and cited registry: ``function(S, *, temperature_K,
#: surface_energy_J_m2, molar_volume_cm3_mol, prefactor_per_m3_s) -> J`` in
#: nuclei / (m^3 s).  Extend it with :func:`register_nucleation_model`.
NUCLEATION_METHODS: dict[str, Model] = {
    "cnt": Model(_cnt_model,
                 "classical nucleation theory, D. Kashchiev, Nucleation (Butterworth-Heinemann, "
                 "2000); burst nucleation: V. K. LaMer, R. H. Dinegar, J. Am. Chem. Soc. 72, "
                 "4847 (1950)",
                 "J = A exp(-B / ln^2 S), B from the surface energy and molar volume",
                 ("kashchiev2000", "lamer1950")),
    "none": Model(_no_nucleation,
                  "population balance of Talapin et al., J. Phys. Chem. B 105, 12278 (2001) "
                  "with its nucleation term switched off (growth of existing seeds only)",
                  "no nucleation (seeded growth, shell growth on cores)", ("talapin2001",)),
}
#: Nucleation models by name as plain callables (the functions of
#: :data:`NUCLEATION_METHODS`, kept for existing code).
NUCLEATION_MODELS: dict[str, Callable] = {k: m.function for k, m in NUCLEATION_METHODS.items()}


def register_nucleation_model(name: str, func: Callable, reference: str = "user-registered",
                              description: str = "") -> None:
    """Register a nucleation model usable as ``[nucleation] model = name`` in recipes.

    Parameters
    ----------
    name : str
        The model name.
    func : callable
        ``func(S, *, temperature_K, surface_energy_J_m2, molar_volume_cm3_mol,
        prefactor_per_m3_s)`` returning the rate in nuclei / (m^3 s) (>= 0).
    reference, description : str
        Source and one-line summary of the model (stored in :data:`NUCLEATION_METHODS`).
    """
    if not callable(func):
        raise QdlabInputError(f"nucleation model {name!r} must be callable, got {func!r}")
    NUCLEATION_METHODS[name] = Model(func, reference, description)
    NUCLEATION_MODELS[name] = func


def resolve_molar_volume(recipe: Recipe) -> float:
    """Molar volume of the recipe's material in cm^3/mol (override or materials database).

    Raises
    ------
    QdlabInputError
        If no override is given and the material cannot be found.
    """
    if recipe.molar_volume_cm3_mol is not None:
        return float(recipe.molar_volume_cm3_mol)
    try:
        from qdlab.materials import get_material  # lazy: materials may evolve separately
    except ImportError:
        raise QdlabInputError(
            f"molar_volume_cm3_mol is not set and qdlab.materials cannot provide it for "
            f"{recipe.material!r}; set molar_volume_cm3_mol (typ. 25-60 cm^3/mol)") from None
    mat = get_material(recipe.material)
    vm = getattr(mat, "molar_volume_cm3_mol", None)
    if vm is None:
        vm = mat.molar_mass_g_mol / mat.density_g_cm3
    return float(vm)


# ---------------------------------------------------------------------------- trajectory
@dataclass(frozen=True)
class Trajectory:
    """Time evolution of a synthesis run (one entry per accepted time step).

    Attributes (units in the names): ``time_s``, ``temperature_K``,
    ``mean_diameter_nm`` (number-weighted), ``rsd_pct`` (std/mean of the diameter,
    %), ``particle_conc_mol_L`` (mol of particles per L), ``supersaturation``
    ([M]/C_inf), ``critical_radius_nm`` (inf where S <= 1), ``yield_pct`` (share of
    all material in particles), ``precursor_mol_L``, ``monomer_mol_L``,
    ``mass_balance_error`` (|P + M + Q - total| / total), ``n_classes``.
    Snapshots: ``snapshot_time_s``, ``diameter_edges_nm``, ``histograms_mol_L``
    (particles per bin, mol/L; particles beyond the last edge are counted in the
    last bin). ``final_radii_nm`` and ``final_number_mol`` are the size classes at
    the end; ``n_steps``/``n_rejected`` count accepted and rejected steps.
    """

    time_s: np.ndarray
    temperature_K: np.ndarray
    mean_diameter_nm: np.ndarray
    rsd_pct: np.ndarray
    particle_conc_mol_L: np.ndarray
    supersaturation: np.ndarray
    critical_radius_nm: np.ndarray
    yield_pct: np.ndarray
    precursor_mol_L: np.ndarray
    monomer_mol_L: np.ndarray
    mass_balance_error: np.ndarray
    n_classes: np.ndarray
    snapshot_time_s: np.ndarray
    diameter_edges_nm: np.ndarray
    histograms_mol_L: np.ndarray
    final_radii_nm: np.ndarray
    final_number_mol: np.ndarray
    final_volume_L: float
    total_material_mol: float
    n_steps: int
    n_rejected: int
    recipe_name: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def diameter_centres_nm(self) -> np.ndarray:
        """Centres of the histogram bins in nm."""
        e = self.diameter_edges_nm
        return 0.5 * (e[1:] + e[:-1])

    def final_summary(self) -> dict:
        """The final state as a JSON-ready dict.

        Keys: mean_diameter_nm, rsd_pct, yield_pct, mass_balance_error,
        particle_conc_mol_L, supersaturation, critical_radius_nm, time_s,
        temperature_K, n_steps, n_rejected. Non-finite values are given as None.
        """
        def f(x):
            x = float(x)
            return x if math.isfinite(x) else None
        return {
            "time_s": f(self.time_s[-1]),
            "temperature_K": f(self.temperature_K[-1]),
            "mean_diameter_nm": f(self.mean_diameter_nm[-1]),
            "rsd_pct": f(self.rsd_pct[-1]),
            "yield_pct": f(self.yield_pct[-1]),
            "mass_balance_error": f(np.max(self.mass_balance_error)),
            "particle_conc_mol_L": f(self.particle_conc_mol_L[-1]),
            "supersaturation": f(self.supersaturation[-1]),
            "critical_radius_nm": f(self.critical_radius_nm[-1]),
            "n_steps": int(self.n_steps),
            "n_rejected": int(self.n_rejected),
        }

    def _series_columns(self) -> dict:
        names = ["time_s", "temperature_K", "mean_diameter_nm", "rsd_pct",
                 "particle_conc_mol_L", "supersaturation", "critical_radius_nm", "yield_pct",
                 "precursor_mol_L", "monomer_mol_L", "mass_balance_error", "n_classes"]
        return {n: np.asarray(getattr(self, n)) for n in names}

    def to_table(self):
        """The time series as a :class:`pyarrow.Table` (one row per step).

        Falls back to a dict of numpy columns when pyarrow is not installed.
        """
        cols = self._series_columns()
        try:
            import pyarrow as pa
        except ImportError:  # pragma: no cover
            return cols
        return pa.table(cols)

    def histogram_table(self):
        """The size-distribution snapshots in long form (pyarrow Table or dict).

        Columns: snapshot_time_s, diameter_nm (bin centre), number_mol_L.
        """
        c = self.diameter_centres_nm
        nt = len(self.snapshot_time_s)
        cols = {"snapshot_time_s": np.repeat(self.snapshot_time_s, len(c)),
                "diameter_nm": np.tile(c, nt),
                "number_mol_L": self.histograms_mol_L.reshape(-1)}
        try:
            import pyarrow as pa
        except ImportError:  # pragma: no cover
            return cols
        return pa.table(cols)


# ---------------------------------------------------------------------------- the system
def run_recipe(recipe: Recipe, progress: Callable[[float, float], object] | None = None, *,
               initial_radii_nm=None, initial_number_mol=None,
               nucleation: Callable | None = None) -> Trajectory:
    """Simulate a synthesis recipe: conversion, nucleation, growth, ripening.

    Parameters
    ----------
    recipe : Recipe
        The validated recipe (:func:`qdlab.synthesis.load_recipe`).
    progress : callable, optional
        Called as ``progress(time_s, duration_s)`` about every 1 % of the run; an
        exception raised in it (e.g. KeyboardInterrupt) cancels the run cleanly.
    initial_radii_nm, initial_number_mol : array_like, optional
        Seed particles present at t = 0: radii in nm and amounts in mol of particles
        (their material is added to the total).
    nucleation : callable, optional
        A nucleation model overriding ``recipe.nucleation.model`` (signature as in
        :func:`register_nucleation_model`).

    Returns
    -------
    Trajectory

    Raises
    ------
    SynthesisError
        If the step size underflows or the step budget is exhausted; the message
        names the time and the cause. Nothing partial is returned.

    See Also
    --------
    qdlab.synthesis.shells.grow_shell_continuous : seeded growth of a shell.

    Notes
    -----
    Population balance with Lagrangian size classes and the ROS2 Rosenbrock
    integrator; see the module docstring for the method, its order and the
    exact mass balance. Growth law (Talapin et al. 2001):
    dr/dt = D v C_inf (S - exp(l/r)) / (r + (D/k_g) exp(alpha l / r)),
    nucleation J = A_n exp(-16 pi gamma^3 v^2 / (3 (k_B T)^3 ln^2 S)),
    conversion dP/dt = -A exp(-E_a/k_B T) P.

    References
    ----------
    .. [1] D. V. Talapin, A. L. Rogach, M. Haase, H. Weller, J. Phys. Chem. B 105, 12278
       (2001). Bibliography ``talapin2001``.
    .. [2] J. G. Verwer, E. J. Spee, J. G. Blom, W. Hundsdorfer, SIAM J. Sci. Comput. 20,
       1456 (1999).
    .. [3] D. Kashchiev, *Nucleation* (Butterworth-Heinemann, 2000).

    Examples
    --------
    >>> traj = run_recipe(example_recipe("cdse").with_updates(duration_s=30.0))
    >>> s = traj.final_summary()
    >>> s["mass_balance_error"] < 1e-12
    True
    >>> 1.0 < s["mean_diameter_nm"] < 10.0
    True
    """
    if not isinstance(recipe, Recipe):
        raise QdlabInputError(f"recipe must be a qdlab.synthesis.Recipe, got {type(recipe).__name__}")
    if nucleation is None:
        name = recipe.nucleation.model
        nucleation = select(NUCLEATION_METHODS, "nucleation model", name).function
    sys_ = _System(recipe, resolve_molar_volume(recipe), nucleation)
    num = recipe.numerics
    dur = recipe.duration_s

    V, P, M, r, N, total = _initial_state(recipe, sys_, initial_radii_nm, initial_number_mol)
    inj, snaps, brk = _breakpoints(recipe, sys_)
    edges = np.linspace(0.0, num.histogram_max_diameter_nm, num.histogram_bins + 1)
    log = _Recorder(sys_, edges)

    r, N, V, total, n_steps, n_rej, limiters = _integrate(
        sys_, num, dur, (V, P, M, r, N, total), inj, snaps, brk, log, progress)
    return _trajectory(recipe, sys_, log, edges, r, N, V, total, n_steps, n_rej, limiters)


def _integrate(sys_, num, dur, state, inj, snaps, brk, log, progress):
    """Time loop of :func:`run_recipe`: adaptive ROS2 steps from t = 0 to ``dur`` (s).

    ``num`` are the recipe's numerics; ``state`` is (V in L, P and M in mol, radii r in
    nm, amounts N in mol, total mol);
    the steps stop at the breakpoints ``brk`` (injections ``inj``, snapshots ``snaps``,
    the end) and every accepted step is recorded in ``log``.  Returns the final
    (r, N, V, total), the accepted and rejected step counts and the step limiters.
    """
    V, P, M, r, N, total = state
    rtol, atol = num.rtol, num.atol_nm
    t = 0.0
    log.record(t, P, M, r, N, V, total)
    si = 0
    if len(snaps) and snaps[0] <= 0.0:
        log.snapshot(t, r, N, V)
        si = 1
    bi = 0
    h = min(1e-6 * dur, 1e-3)
    n_steps = n_rej = 0
    next_prog = 0.0
    h_min = 1e-13 * max(dur, 1.0)
    limiters: dict = {}
    while t < dur:
        t_next = brk[bi]
        h = min(h, t_next - t)
        last = h >= t_next - t - 1e-12 * max(1.0, t_next)
        if last:
            h = t_next - t
        st = _ros2_stages(sys_, t, h, P, M, r, N, V)
        err, reason, limiter, P1, M1, r1a, N1a, n_new, r_nuc = _step_error(
            sys_, st, P, total, num, rtol, atol)
        T0, S0 = st.T0, st.S0
        if err <= 1.0:
            # accept
            t = t_next if last else t + h
            P = P1
            M = M1
            r, N = r1a, N1a
            if n_new > 0:
                r = np.append(r, r_nuc)
                N = np.append(N, n_new)
                if len(r) > num.max_classes:
                    r, N = _merge(r, N, num.max_classes)
            n_steps += 1
            limiters[limiter] = limiters.get(limiter, 0) + 1
            fac = 4.0 if err == 0 else min(4.0, max(0.2, 0.9 * err**-0.5))
            h = h * fac
            if last:
                bi += 1
                P, M, V, total, h = _inject(inj, t, P, M, V, total, h, dur)
            log.record(t, P, M, r, N, V, total)
            while si < len(snaps) and snaps[si] <= t * (1 + 1e-12):
                log.snapshot(t, r, N, V)
                si += 1
            if n_steps >= num.max_steps:
                raise SynthesisError(
                    f"step budget of {num.max_steps} steps exhausted at t = {t:.6g} s of "
                    f"{dur:g} s; raise numerics.max_steps or loosen numerics.rtol")
            if progress is not None and t >= next_prog:
                progress(t, dur)
                next_prog = t + 0.01 * dur
        else:
            n_rej += 1
            h = h * max(0.1, min(0.5, 0.9 * err**-0.5))
            if h < h_min:
                raise SynthesisError(
                    f"step size underflow (h = {h:.3g} s) at t = {t:.6g} s, T = {T0:.1f} K, "
                    f"S = {S0:.4g}, {len(r)} size classes: cannot meet the tolerance "
                    f"(cause: {reason}); check the recipe parameters or loosen numerics.rtol")
    if progress is not None:
        progress(t, dur)

    while si < len(snaps):
        log.snapshot(t, r, N, V)
        si += 1
    return r, N, V, total, n_steps, n_rej, limiters


def _inject(inj, t, P, M, V, total, h, dur):
    """Add the injections at time ``t`` (s): (P, M in mol, V in L, total mol, step h in s)."""
    for i in inj:
        if i.time_s == t:
            P += i.precursor_mol
            M += i.monomer_mol
            V += i.volume_mL * 1e-3
            total += i.precursor_mol + i.monomer_mol
            h = min(h, 1e-6 * dur)
    return P, M, V, total, h


def _trajectory(recipe, sys_, log, edges, r, N, V, total, n_steps, n_rej, limiters) -> Trajectory:
    """The :class:`Trajectory` of a finished run from its recorder and final state."""
    a = {k: np.asarray(v, dtype=float) for k, v in log.rec.items()}
    hists, snap_t = log.hists, log.snap_t
    return Trajectory(
        time_s=a["t"], temperature_K=a["T"], mean_diameter_nm=a["d"], rsd_pct=a["rsd"],
        particle_conc_mol_L=a["n"], supersaturation=a["S"], critical_radius_nm=a["rc"],
        yield_pct=a["y"], precursor_mol_L=a["P"], monomer_mol_L=a["M"],
        mass_balance_error=a["mb"], n_classes=a["nc"].astype(int),
        snapshot_time_s=np.asarray(snap_t, dtype=float), diameter_edges_nm=edges,
        histograms_mol_L=np.asarray(hists, dtype=float).reshape(len(snap_t), len(edges) - 1),
        final_radii_nm=r.copy(), final_number_mol=N.copy(), final_volume_L=V,
        total_material_mol=total, n_steps=n_steps, n_rejected=n_rej, recipe_name=recipe.name,
        extra={"step_limiters": limiters, "molar_volume_cm3_mol": sys_.vm,
               "material": recipe.material})
