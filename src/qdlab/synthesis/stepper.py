"""The ROS2 time step of the population balance (internal to :mod:`qdlab.synthesis.population`).

:class:`_System` holds the constants of one run and the right-hand side;
:func:`_ros2_stages` computes one two-stage Rosenbrock (ROS2) step with the arrowhead
Jacobian of (P, M, r) and the implicit nucleation births; :func:`_step_error` applies
the dissolution, the projection onto the conserved total and the embedded error
estimate.  See the module notes of :mod:`qdlab.synthesis.population` for the method
and its references (Verwer et al. 1999; Hairer, Lubich & Wanner, sec. IV.4).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from types import SimpleNamespace

import numpy as np

from qdlab.constants import AVOGADRO, KB_EV
from qdlab.errors import QdlabInputError, check_positive
from qdlab.synthesis.kinetics import (
    arrhenius_rate,
    capillary_length_nm,
    growth_rate_derivatives,
    growth_rate_nm_s,
    molecular_volume_nm3,
)
from qdlab.synthesis.recipe import Recipe

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


def _no_nucleation(supersaturation, **_):
    return 0.0 * np.asarray(supersaturation, dtype=float)


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


def _ros2_stages(sys_: _System, t: float, h: float, P: float, M: float, r, N, V: float):
    """Both ROS2 stages of a step of length ``h`` from (P, M, r) at ``t``.

    Returns a namespace with the new state (P1, M1, r1, births Z1, W1), the filtered
    error estimates (ep, em, er, ez) and what :func:`_step_error` needs.
    """
    vf = sys_.vol_factor
    rc3 = sys_.rc3
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
    return SimpleNamespace(V=V, T0=T0, S0=S0, Na=Na, g0a=g0a, csat1=csat1, r_nuc=r_nuc, P1=P1,
                           M1=M1, r1=r1, Z1=Z1, W1=W1, ep=ep, em=em, er=er, ez=ez)


def _step_error(sys_: _System, st, P: float, total: float, num, rtol: float, atol: float):
    """Dissolution, projection onto the conserved total and the scaled error of a step.

    Returns ``(err, reason, limiter, P1, M1, r1a, N1a, n_new, r_nuc)``; the step is
    accepted when ``err <= 1``.
    """
    vf = sys_.vol_factor
    rc3 = sys_.rc3
    V = st.V
    P1, M1, r1, Z1, W1, Na, g0a = st.P1, st.M1, st.r1, st.Z1, st.W1, st.Na, st.g0a
    csat1, r_nuc, ep, em, er, ez = st.csat1, st.r_nuc, st.ep, st.em, st.er, st.ez
    r1a = N1a = None
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
    return err, reason, limiter, P1, M1, r1a, N1a, n_new, r_nuc


def _initial_state(recipe: Recipe, sys_: _System, initial_radii_nm, initial_number_mol):
    """(V in L, P, M in mol, radii nm, numbers mol, conserved total mol) at t = 0."""
    num = recipe.numerics
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
    return V, P, M, r, N, total


def _breakpoints(recipe: Recipe, sys_: _System):
    """Sorted injections, snapshot times (s) and the step breakpoints (s) of a run."""
    num = recipe.numerics
    dur = recipe.duration_s
    inj = sorted(recipe.injections, key=lambda i: i.time_s)
    snaps = np.linspace(0.0, dur, num.n_snapshots) if num.n_snapshots > 1 else (
        np.array([dur]) if num.n_snapshots == 1 else np.zeros(0))
    brk = set(float(x) for x in sys_.tp_t if 0 < x < dur)
    brk.update(i.time_s for i in inj)
    brk.update(float(x) for x in snaps if 0 < x < dur)
    brk.add(dur)
    brk = sorted(brk)
    return inj, snaps, brk


class _Recorder:
    """The time series and size histograms of a run (the columns of a Trajectory)."""

    def __init__(self, sys_: _System, edges):
        self.sys_ = sys_
        self.edges = edges
        self.rec = {k: [] for k in ("t", "T", "d", "rsd", "n", "S", "rc", "y", "P", "M",
                                    "mb", "nc")}
        self.hists, self.snap_t = [], []

    def record(self, t, P, M, r, N, V, total):
        sys_, rec = self.sys_, self.rec
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

    def snapshot(self, t, r, N, V):
        edges = self.edges
        d = np.minimum(2.0 * r, edges[-1] * (1 - 1e-12))
        h, _ = np.histogram(d, bins=edges, weights=N / V)
        self.hists.append(h)
        self.snap_t.append(t)
