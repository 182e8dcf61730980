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

from qdlab.constants import AVOGADRO, KB_EV
from qdlab.errors import QdlabInputError, check_positive
from qdlab.registry import Model, select
from qdlab.synthesis.kinetics import (
    arrhenius_rate,
    capillary_length_nm,
    cnt_exponent,
    cnt_nucleation_rate,
    growth_rate_derivatives,
    growth_rate_nm_s,
    molecular_volume_nm3,
)
from qdlab.synthesis.recipe import Recipe, example_recipe  # noqa: F401 (doctest namespace)

__all__ = [
    "NUCLEATION_METHODS",
    "NUCLEATION_MODELS",
    "SynthesisError",
    "Trajectory",
    "register_nucleation_model",
    "resolve_molar_volume",
    "run_recipe",
]

_GAMMA = 1.0 + 1.0 / math.sqrt(2.0)  # ROS2
_SMALL_FRACTION = 0.25
_MW = 0.1  # monomer tolerance = 10 rtol |M - C_inf V| (fast transients need no more)
# precursor tolerance = 10 rtol (P + 1e-3 total): the first-order embedded estimate
# overstates the ROS2 error of the smooth exponential conversion; at 1 rtol it limited
# 90 % of the steps of bench_synthesis while the final radii moved by < 1e-5 relative
_PW = 0.1
_DYING_LOOKAHEAD = 3.0  # classes that would vanish within 3 steps are dissolved now
_M3_PER_L = 1e-3


class SynthesisError(RuntimeError):
    """The integration could not meet its tolerance; the message says where (time, cause)."""


# ---------------------------------------------------------------------------- nucleation
def _cnt_model(supersaturation, *, temperature_K, surface_energy_J_m2, molar_volume_cm3_mol,
               prefactor_per_m3_s):
    b = cnt_exponent(surface_energy_J_m2, molar_volume_cm3_mol, temperature_K)
    return cnt_nucleation_rate(prefactor_per_m3_s, b, supersaturation)


def _no_nucleation(supersaturation, **_):
    return 0.0 * np.asarray(supersaturation, dtype=float)


#: Nucleation models, a named and cited registry: ``function(S, *, temperature_K,
#: surface_energy_J_m2, molar_volume_cm3_mol, prefactor_per_m3_s) -> J`` in
#: nuclei / (m^3 s).  Extend it with :func:`register_nucleation_model`.
NUCLEATION_METHODS: dict[str, Model] = {
    "cnt": Model(_cnt_model,
                 "classical nucleation theory, D. Kashchiev, Nucleation (Butterworth-Heinemann, "
                 "2000); burst nucleation: V. K. LaMer, R. H. Dinegar, J. Am. Chem. Soc. 72, "
                 "4847 (1950)",
                 "J = A exp(-B / ln^2 S), B from the surface energy and molar volume"),
    "none": Model(_no_nucleation, "-",
                  "no nucleation (seeded growth, shell growth on cores)"),
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
class _System:
    """Constants of one run and the right-hand side (internal)."""

    def __init__(self, recipe: Recipe, vm_cm3_mol: float, nucleation: Callable):
        self.recipe = recipe
        g = recipe.growth
        self.vm = vm_cm3_mol
        self.v_nm3 = float(molecular_volume_nm3(vm_cm3_mol))
        self.vm_L = vm_cm3_mol * 1e-3
        self.r_cut = (3.0 * self.v_nm3 / (4.0 * math.pi)) ** (1.0 / 3.0)  # one monomer
        self.rc3 = self.r_cut**3
        self.vol_factor = 4.0 * math.pi / (3.0 * self.v_nm3)  # mol monomer per (mol particle nm^3)
        self.D = g.diffusion_m2_s * 1e18
        self.kg = g.surface_rate_m_s * 1e9
        self.alpha = g.transfer_coefficient
        self.gamma = g.surface_energy_J_m2
        self.nuc = nucleation
        self.nuc_pref = recipe.nucleation.prefactor_per_m3_s
        self.nuc_factor = recipe.nucleation.nucleus_size_factor
        tp = recipe.temperature_program
        self.tp_t = np.array([p.time_s for p in tp], dtype=float)
        self.tp_T = np.array([p.temperature_K for p in tp], dtype=float)
        self._cache_t = None

    def temperature(self, t: float) -> float:
        return float(np.interp(t, self.tp_t, self.tp_T))

    def params(self, t: float):
        """(T, k_conv, C_inf, l_c, v C_inf) at time t."""
        if self._cache_t == t:
            return self._cache
        T = self.temperature(t)
        rc = self.recipe.conversion
        g = self.recipe.growth
        k = float(arrhenius_rate(rc.prefactor_per_s, rc.activation_energy_eV, T))
        csat = g.solubility_mol_L * math.exp(
            -g.solubility_enthalpy_eV / KB_EV * (1.0 / T - 1.0 / g.solubility_reference_K))
        lc = float(capillary_length_nm(self.gamma, self.vm, T))
        out = (T, k, csat, lc, self.vm_L * csat)
        self._cache_t, self._cache = t, out
        return out

    def nucleation_rate_mol_s(self, S, T, V):
        """Nucleation rate in mol of particles per second in volume V (L)."""
        j = float(self.nuc(S, temperature_K=T, surface_energy_J_m2=self.gamma,
                           molar_volume_cm3_mol=self.vm, prefactor_per_m3_s=self.nuc_pref))
        if not math.isfinite(j) or j < 0:
            raise SynthesisError(f"nucleation model returned {j!r} at S = {S:g}, T = {T:g} K "
                                 "(must be finite and >= 0 nuclei/(m^3 s))")
        return j * _M3_PER_L / AVOGADRO * V

    def nucleation_terms(self, M, T, V, csat, lc):
        """Nucleation at monomer amount M (mol): (J, J m_1, dJ/dM, d(J m_1)/dM, r_nuc).

        J in mol of particles per s, J m_1 the monomer it consumes in mol/s
        (m_1 = 4 pi r_nuc^3 / (3 v) monomers per nucleus), derivatives with respect to
        M in 1/s (forward difference, relative step 1e-6), r_nuc in nm.
        """
        if self.nuc is _no_nucleation:
            return 0.0, 0.0, 0.0, 0.0, 1.26 * self.r_cut

        def f(m):
            S = m / (V * csat)
            if not S > 1.0:
                return 0.0, 0.0, 1.26 * self.r_cut
            j = self.nucleation_rate_mol_s(S, T, V)
            rn = max(self.nuc_factor * lc / math.log(S), 1.26 * self.r_cut)
            return j, j * self.vol_factor * (rn**3 - self.rc3), rn

        j, jm, rn = f(M)
        dm = 1e-6 * max(M, V * csat)
        j2, jm2, _ = f(M + dm)
        return j, jm, (j2 - j) / dm, (jm2 - jm) / dm, rn

    def rhs(self, t, P, M, r, N, V):
        """(dP/dt, dM/dt, dr/dt) in mol/s, mol/s, nm/s (nucleation excluded)."""
        T, k, csat, lc, vcs = self.params(t)
        rr = np.maximum(r, 1e-3)
        S = M / (V * csat)
        g = growth_rate_nm_s(rr, S, diffusion_nm2_s=self.D, reaction_rate_nm_s=self.kg,
                             transfer_coefficient=self.alpha, capillary_nm=lc,
                             solubility_volume_fraction=vcs)
        conv = k * P
        return -conv, conv - 3.0 * self.vol_factor * float(np.dot(N * rr * rr, g)), g


def _stats(sys_: _System, r, N, V):
    ntot = float(N.sum())
    if ntot <= 0:
        return 0.0, 0.0, 0.0
    d = 2.0 * r
    mean = float(np.dot(N, d)) / ntot
    var = max(float(np.dot(N, (d - mean) ** 2)) / ntot, 0.0)
    return mean, 100.0 * math.sqrt(var) / mean, ntot / V


def _merge(r, N, max_classes):
    """Merge closest-radius neighbours until at most max_classes remain (number and volume kept)."""
    while len(r) > max_classes:
        order = np.argsort(r)
        r, N = r[order], N[order]
        excess = len(r) - max_classes
        gaps = np.diff(r) / r[1:]
        # merge up to `excess` disjoint pairs with the smallest gaps
        cand = np.argsort(gaps)[: 2 * excess]
        used = np.zeros(len(r), dtype=bool)
        pairs = []
        for i in cand:
            if not used[i] and not used[i + 1]:
                used[i] = used[i + 1] = True
                pairs.append(i)
                if len(pairs) == excess:
                    break
        pairs = np.array(pairs, dtype=int)
        n_new = N[pairs] + N[pairs + 1]
        r_new = np.cbrt((N[pairs] * r[pairs] ** 3 + N[pairs + 1] * r[pairs + 1] ** 3) / n_new)
        keep = ~used
        r = np.concatenate([r[keep], r_new])
        N = np.concatenate([N[keep], n_new])
    return r, N


def _solve(gh, k, jmm, jmr, c, diag_r, bp, bm, br):
    """Solve (I - gh J) x = b for the arrowhead Jacobian of (P, M, r), in O(n).

    J = [[-k, 0, 0], [k, jmm, jmr^T], [0, c, diag(d)]], with diag_r = 1 - gh d.
    """
    xp = bp / (1.0 + gh * k)
    zr = br / diag_r
    wr = c / diag_r
    denom = 1.0 - gh * jmm - gh * gh * float(np.dot(jmr, wr))
    xm = (bm + gh * k * xp + gh * float(np.dot(jmr, zr))) / denom
    return xp, xm, zr + (gh * xm) * wr


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

    Notes
    -----
    Population balance with Lagrangian size classes and the ROS2 Rosenbrock
    integrator; see the module docstring for the method, its order and the
    exact mass balance. Growth law (Talapin et al. 2001):
    dr/dt = D v C_inf (S - exp(l/r)) / (r + (D/k_g) exp(alpha l / r)),
    nucleation J = A_n exp(-16 pi gamma^3 v^2 / (3 (k_B T)^3 ln^2 S)),
    conversion dP/dt = -A exp(-E_a/k_B T) P.

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
    rtol, atol = num.rtol, num.atol_nm

    # ---- initial state
    V = recipe.solvent_volume_mL * 1e-3
    P = float(recipe.precursor_mol)
    if initial_radii_nm is not None:
        r = np.atleast_1d(np.asarray(initial_radii_nm, dtype=float)).copy()
        N = np.atleast_1d(np.asarray(initial_number_mol, dtype=float)).copy()
        if r.shape != N.shape:
            raise QdlabInputError(f"initial_radii_nm and initial_number_mol must have the same "
                                  f"shape, got {r.shape} and {N.shape}")
        check_positive(r, "initial_radii_nm", "nm")
        check_positive(N, "initial_number_mol", "mol")
    else:
        r = np.zeros(0)
        N = np.zeros(0)
    M = float(recipe.monomer_mol)
    total = P + M + sys_.vol_factor * float(np.dot(N, r**3 - sys_.rc3))
    r, N = _merge(r, N, num.max_classes)

    # ---- breakpoints
    inj = sorted(recipe.injections, key=lambda i: i.time_s)
    snaps = np.linspace(0.0, dur, num.n_snapshots) if num.n_snapshots > 1 else (
        np.array([dur]) if num.n_snapshots == 1 else np.zeros(0))
    brk = set(float(x) for x in sys_.tp_t if 0 < x < dur)
    brk.update(i.time_s for i in inj)
    brk.update(float(x) for x in snaps if 0 < x < dur)
    brk.add(dur)
    brk = sorted(brk)
    edges = np.linspace(0.0, num.histogram_max_diameter_nm, num.histogram_bins + 1)

    rec = {k: [] for k in ("t", "T", "d", "rsd", "n", "S", "rc", "y", "P", "M", "mb", "nc")}
    hists, snap_t = [], []

    def record(t):
        T, k, csat, lc, vcs = sys_.params(t)
        S = M / (V * csat)
        d, rsd, nc = _stats(sys_, r, N, V)
        Q = sys_.vol_factor * float(np.dot(N, r**3 - sys_.rc3))
        rec["t"].append(t)
        rec["T"].append(T)
        rec["d"].append(d)
        rec["rsd"].append(rsd)
        rec["n"].append(nc)
        rec["S"].append(S)
        rec["rc"].append(lc / math.log(S) if S > 1 else math.inf)
        rec["y"].append(100.0 * Q / total)
        rec["P"].append(P / V)
        rec["M"].append(M / V)
        rec["mb"].append(abs(P + M + Q - total) / total)
        rec["nc"].append(len(r))

    def snapshot(t):
        d = np.minimum(2.0 * r, edges[-1] * (1 - 1e-12))
        h, _ = np.histogram(d, bins=edges, weights=N / V)
        hists.append(h)
        snap_t.append(t)

    t = 0.0
    record(t)
    si = 0
    if len(snaps) and snaps[0] <= 0.0:
        snapshot(t)
        si = 1
    bi = 0
    h = min(1e-6 * dur, 1e-3)
    n_steps = n_rej = 0
    next_prog = 0.0
    h_min = 1e-13 * max(dur, 1.0)
    limiters: dict = {}
    vf = sys_.vol_factor
    rc3 = sys_.rc3
    while t < dur:
        t_next = brk[bi]
        h = min(h, t_next - t)
        last = h >= t_next - t - 1e-12 * max(1.0, t_next)
        if last:
            h = t_next - t
        T0, k0, csat0, lc0, vcs0 = sys_.params(t)
        S0 = M / (V * csat0)
        g0, dgr, dgs = growth_rate_derivatives(
            r, S0, diffusion_nm2_s=sys_.D, reaction_rate_nm_s=sys_.kg,
            transfer_coefficient=sys_.alpha, capillary_nm=lc0, solubility_volume_fraction=vcs0)
        # classes that will dissolve within _DYING_LOOKAHEAD steps (|dr/dt| only grows as
        # r shrinks, so (r - r_cut)/|dr/dt| bounds the time left): removed now, their
        # material returned to the monomer at a constant rate over this step (first
        # order in h: the release may come up to 3 h early)
        dying = (g0 < 0) & ((r - sys_.r_cut) < -_DYING_LOOKAHEAD * g0 * h)
        Ma = M
        if dying.any():
            keep = ~dying
            # their content enters the solution as a constant source over the step
            src = vf * float(np.dot(N[dying], r[dying] ** 3 - rc3)) / h
            ra, Na, g0a, dgr_a, dgs_a = r[keep], N[keep], g0[keep], dgr[keep], dgs[keep]
        else:
            src = 0.0
            ra, Na, g0a, dgr_a, dgs_a = r, N, g0, dgr, dgs
        # Jacobian of (P, M, r): arrowhead
        inv = 1.0 / (V * csat0)
        w = 3.0 * vf * Na * ra * ra                 # d(particle content)/dr
        c = dgs_a * inv                              # dg/dM
        jmm = -float(np.dot(w, c))                   # d(dM/dt)/dM
        jmr = -(w * dgr_a + 6.0 * vf * Na * ra * g0a)  # d(dM/dt)/dr
        # nucleation inside the implicit stage: the births Z (mol of particles) and the
        # monomer they take, W (mol), are two more components with dZ/dt = J(M),
        # dW/dt = J m_1 (M) and the sink -J m_1 in dM/dt; their M-derivatives enter
        # the Jacobian (the steep CNT feedback J(S) is then stable at any step)
        j_0, jm_0, djdm, djmdm, _ = sys_.nucleation_terms(Ma, T0, V, csat0, lc0)
        jmm_n = jmm - djmdm
        gh = _GAMMA * h
        diag_r = 1.0 - gh * np.minimum(dgr_a, 0.0)
        f1m = k0 * P - float(np.dot(w, g0a)) + src - jm_0
        k1p, k1m, k1r = _solve(gh, k0, jmm_n, jmr, c, diag_r, -k0 * P, f1m, g0a)
        k1z = j_0 + gh * djdm * k1m
        k1w = jm_0 + gh * djmdm * k1m
        m_st = Ma + h * k1m
        f2p, f2m, f2r = sys_.rhs(t + h, P + h * k1p, m_st, ra + h * k1r, Na, V)
        T1, k1_, csat1, lc1, vcs1 = sys_.params(t + h)
        j_2, jm_2, _, _, r_nuc = sys_.nucleation_terms(max(m_st, 0.0), T1, V, csat1, lc1)
        k2p, k2m, k2r = _solve(gh, k0, jmm_n, jmr, c, diag_r, f2p - 2.0 * k1p,
                               f2m - jm_2 + src - 2.0 * k1m, f2r - 2.0 * k1r)
        k2z = j_2 - 2.0 * k1z + gh * djdm * k2m
        k2w = jm_2 - 2.0 * k1w + gh * djmdm * k2m
        P1 = P + h * (1.5 * k1p + 0.5 * k2p)
        M1 = Ma + h * (1.5 * k1m + 0.5 * k2m)
        r1 = ra + h * (1.5 * k1r + 0.5 * k2r)
        Z1 = h * (1.5 * k1z + 0.5 * k2z)
        W1 = h * (1.5 * k1w + 0.5 * k2w)
        # embedded error estimate, filtered by (I - gamma h J)^-1 so that stiff
        # (fast-relaxing) components are not over-estimated (Shampine's filter)
        ep, em, er = _solve(gh, k0, jmm_n, jmr, c, diag_r, 0.5 * h * (k1p + k2p),
                            0.5 * h * (k1m + k2m), 0.5 * h * (k1r + k2r))
        ez = 0.5 * h * (k1z + k2z) + gh * djdm * em
        alive = r1 > sys_.r_cut
        reason = None
        err = 0.0
        limiter = "none"
        n_new = 0.0
        if not (math.isfinite(P1) and math.isfinite(M1) and np.all(np.isfinite(r1))
                and math.isfinite(Z1) and math.isfinite(W1)):
            reason, err = "non-finite state", 10.0
        elif P1 < 0:
            reason, err = "negative precursor", 10.0
        else:
            if not alive.all():  # dissolved during the step: remaining content returns
                M1 += vf * float(np.dot(Na[~alive], np.maximum(r1[~alive], 0.0) ** 3 - rc3))
            r1a, N1a = r1[alive], Na[alive]
            Q1 = vf * float(np.dot(N1a, r1a**3 - rc3))
            # births: Z1 particles holding W1 monomer; a negligible or (by overshoot of
            # the linearised stage) non-positive birth returns its monomer to solution
            if Z1 <= 1e-15 * total or W1 <= 0.0:
                M1 += W1
                Z1 = W1 = 0.0
            # projection onto the conserved total: the defect D (truncation error of the
            # content of solution + particles + births) is removed by one common factor
            D = total - P1 - M1 - Q1 - W1
            base = M1 + Q1 + W1
            if M1 < 0 or base <= 0:
                reason, err = "negative monomer concentration", 10.0
            else:
                fac = 1.0 + D / base
                e_d = abs(D) / (rtol * base + 1e-300)
                if fac <= 0:
                    reason, err = "mass defect", 10.0
                else:
                    M1 *= fac
                    W1 *= fac
                    r1a = np.cbrt(rc3 + fac * (r1a**3 - rc3))
                    # radius tolerance: atol + rtol r + the radius change from adding one
                    # monomer to the particle, v / (4 pi r^2) (finer is not physical)
                    # and rtol times the mean radius (the resolution that matters for the
                    # size distribution; classes far below the mean are about to dissolve)
                    r_ref = float(np.dot(N1a, r1a)) / float(N1a.sum()) if r1a.size else 0.0
                    e_r = np.abs(er[alive]) / (atol + rtol * np.maximum(r1a, r_ref)
                                               + sys_.v_nm3 / (4 * math.pi * r1a**2))
                    # dissolving classes far below the mean (r < r_ref / 4) are certain to
                    # vanish soon; their exact path does not limit the step
                    e_r = e_r[~((r1a < _SMALL_FRACTION * r_ref) & (g0a[alive] < 0))]
                    e_p = abs(ep) / (rtol * (max(P, P1) + 1e-3 * total))
                    # monomer tolerance relative to the excess over the flat-surface
                    # solubility, |M - C_inf V|: that excess drives growth and ripening
                    e_m = abs(em) / (rtol * abs(M1 - V * csat1) + 1e-12 * total)
                    errs = [float(e_r.max()) if e_r.size else 0.0, _PW * e_p, _MW * e_m, e_d]
                    j = int(np.argmax(errs))
                    err = errs[j]
                    limiter = ("radius", "precursor", "monomer", "mass defect")[j]
                    if err > 1:
                        reason = f"local error estimate ({limiter})"
                    if Z1 > 0:
                        # the births form one new class with the mean nucleus volume
                        n_new = Z1
                        r_nuc = math.cbrt(W1 / (vf * Z1) + rc3)
                        ntot = float(N1a.sum()) + n_new
                        e_n = abs(ez) / (num.nucleation_rtol * ntot + 1e-12 * total)
                        if e_n > err:
                            err = e_n
                            limiter = "nucleation"
                            if err > 1:
                                reason = "nucleation accuracy"
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
                for i in inj:
                    if i.time_s == t:
                        P += i.precursor_mol
                        M += i.monomer_mol
                        V += i.volume_mL * 1e-3
                        total += i.precursor_mol + i.monomer_mol
                        h = min(h, 1e-6 * dur)
            record(t)
            while si < len(snaps) and snaps[si] <= t * (1 + 1e-12):
                snapshot(t)
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
        snapshot(t)
        si += 1
    a = {k: np.asarray(v, dtype=float) for k, v in rec.items()}
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


