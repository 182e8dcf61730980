"""Benchmark: multiband (4x4 Luttinger) 1S3/2 hole ground states of 1e4 random core/shells.

Vectorised: :func:`qdlab.electronic.kp.luttinger.solve_luttinger_holes`, one call
for all structures.  Baseline (named, measured in the same run): the
straightforward implementation, one structure at a time: the 4x4 transfer
written with scalar ``scipy.special`` spherical Bessel calls and
``numpy.linalg.solve`` / ``det`` per layer, bracketed by the same scan (12
energies uniform in sqrt(E - V_min) up to the same hard-wall bound) and refined
by ``scipy.optimize.brentq``; timed on a subset and extrapolated per structure.
Both paths are checked to agree.  Also timed: the whole k.p first exciton
(Kane electron, Luttinger hole, Coulomb and self-polarisation) of CdSe/CdS
core/shells with :func:`qdlab.electronic.kp.spherical.first_exciton_kp_batch`.

Wall-clock and CPU (``time.process_time``) rates are both printed: on a shared
machine the CPU rate is the single-core figure.

Run: ``python benchmarks/bench_kp.py`` (or ``make bench``).
"""

from __future__ import annotations

import time

import numpy as np
from scipy import optimize, special

from qdlab.constants import HBAR2_2M0
from qdlab.electronic.kp.luttinger import solve_luttinger_holes
from qdlab.electronic.kp.spherical import first_exciton_kp_batch

N_VECTOR = 10_000
N_LOOP = 60
N_EXCITON = 4_000
N_SCAN = 12
SEED = 20261207
GAMMA1 = np.array([2.04, 1.6, 1.0])     # CdSe core, CdS-like shell (illustrative), ligands
GAMMA = np.array([0.58, 0.3, 0.0])
BARRIER_EV = 4.0


def random_core_shells(n: int, seed: int = SEED):
    rng = np.random.default_rng(seed)
    core = rng.uniform(1.0, 3.0, n)
    radii = np.stack([core, core + rng.uniform(0.3, 3.0, n)], axis=1)
    pot = np.stack([np.zeros(n), rng.uniform(0.4, 0.7, n), np.full(n, BARRIER_EV)], axis=1)
    return radii, pot


def _scalar_columns(E, V, g1, g, r, ref, regular=True, irregular=True):
    """4-vectors (R0, R2, F0, F2) of the hh/lh solutions at r with scalar scipy.special."""
    cols = []
    dE = E - V
    osc = dE > 0
    for mass, c_osc in ((1.0 / (g1 - 2 * g), -1.0), (1.0 / (g1 + 2 * g), 1.0)):
        k = np.sqrt(abs(mass * dE) / HBAR2_2M0)
        x = k * r
        c = c_osc if osc else -c_osc
        kinds = []
        if regular:
            kinds.append("reg")
        if irregular:
            kinds.append("irr")
        for kind in kinds:
            if osc:
                fn = special.spherical_jn if kind == "reg" else special.spherical_yn
                f0, f1, f2 = fn(0, x), fn(1, x), fn(2, x)
                d0, p2 = -k * f1, k * f1
            elif kind == "reg":
                s = np.exp(-k * ref)
                f0, f1, f2 = (special.spherical_in(n, x) * s for n in (0, 1, 2))
                d0, p2 = k * f1, k * f1
            else:
                s = np.exp(k * ref)
                f0, f1, f2 = (special.spherical_kn(n, x) * s for n in (0, 1, 2))
                d0, p2 = -k * f1, -k * f1
            cols.append((kind, [f0, c * f2, g1 * d0 - 2 * g * c * p2,
                                g1 * c * (p2 - 3 * f2 / r) - 2 * g * d0]))
    reg = [v for kd, v in cols if kd == "reg"]
    irr = [v for kd, v in cols if kd == "irr"]
    return np.array(reg + irr).T


def scalar_det(E, radii, V):
    """The straightforward matching determinant of one structure (same conditions)."""
    r1, r2 = radii
    hh, lh = _scalar_columns(E, V[0], GAMMA1[0], GAMMA[0], r1, r1, irregular=False).T
    if E < V[0]:
        kh = np.sqrt((E - V[0]) * -1 / (GAMMA1[0] - 2 * GAMMA[0]) / HBAR2_2M0)
        kl = np.sqrt((E - V[0]) * -1 / (GAMMA1[0] + 2 * GAMMA[0]) / HBAR2_2M0)
        lh = lh * np.exp(-(kh - kl) * r1)
    Y = np.column_stack([hh, (lh - hh) / (E - V[0])])
    Ma = _scalar_columns(E, V[1], GAMMA1[1], GAMMA[1], r1, r1)
    Mb = _scalar_columns(E, V[1], GAMMA1[1], GAMMA[1], r2, r1)
    Y = Mb @ np.linalg.solve(Ma, Y)
    Y = Y / np.linalg.norm(Y, axis=0)
    K = _scalar_columns(E, V[2], GAMMA1[2], GAMMA[2], r2, r2, regular=False)
    K = K / np.linalg.norm(K, axis=0)
    return np.linalg.det(np.column_stack([Y, K]))


def loop_ground_state(radii, pot):
    """Baseline: per-structure scan + scipy.optimize.brentq on the scalar determinant."""
    out = np.empty(len(radii))
    for i, (r, v) in enumerate(zip(radii, pot, strict=True)):
        lo = v[:2].min()
        mh_min = (1.0 / (GAMMA1[:2] - 2 * GAMMA[:2])).min()
        hi = min(v[2] - 1e-9, v[:2].max() + 1.05 * HBAR2_2M0 * 5.7635**2 / (mh_min * r[1] ** 2))
        grid = lo + (hi - lo) * np.linspace(0, 1, N_SCAN + 1)[1:] ** 2
        vals = [scalar_det(e, r, v) for e in grid]
        j = next(k for k in range(N_SCAN - 1) if np.signbit(vals[k]) != np.signbit(vals[k + 1]))
        out[i] = optimize.brentq(scalar_det, grid[j], grid[j + 1], args=(r, v), xtol=1e-13,
                                 rtol=1e-12)
    return out


def main() -> dict:
    radii, pot = random_core_shells(N_VECTOR)
    solve_luttinger_holes(radii[:50], pot[:50], GAMMA1, GAMMA)        # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    sol = solve_luttinger_holes(radii, pot, GAMMA1, GAMMA, n_scan=N_SCAN)
    t_vec, c_vec = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    ref = loop_ground_state(radii[:N_LOOP], pot[:N_LOOP])
    t_loop = (time.perf_counter() - t0) / N_LOOP
    c_loop = (time.process_time() - c0) / N_LOOP
    err = float(np.max(np.abs(sol.energies_eV[:N_LOOP, 0] - ref) / np.abs(ref)))
    rng = np.random.default_rng(SEED + 1)
    core = rng.uniform(1.0, 2.5, N_EXCITON)
    ex_radii = np.stack([core, core + rng.uniform(0.3, 2.0, N_EXCITON)], axis=1)
    t0, c0 = time.perf_counter(), time.process_time()
    ex = first_exciton_kp_batch(["CdSe", "CdS"], ex_radii)
    t_ex, c_ex = time.perf_counter() - t0, time.process_time() - c0
    rate = N_VECTOR / t_vec
    rate_loop = 1.0 / t_loop
    res = {
        "n_structures": N_VECTOR,
        "hole_s": t_vec,
        "hole_structures_per_s": rate,
        "hole_structures_per_cpu_s": N_VECTOR / c_vec,
        "loop_structures_per_cpu_s": 1.0 / c_loop,
        "loop_structures_per_s": rate_loop,
        "ratio_vs_scipy_loop_hole": rate / rate_loop,
        "max_rel_diff_vs_loop": err,
        "all_bound": bool(sol.bound.all()),
        "exciton_structures_per_s": N_EXCITON / t_ex,
        "exciton_structures_per_cpu_s": N_EXCITON / c_ex,
        "exciton_finite": bool(np.isfinite(ex["first_exciton_eV"]).all()),
    }
    print(f"4x4 Luttinger 1S3/2 hole, {N_VECTOR} core/shells + ligands (one call): "
          f"{t_vec:.3f} s -> {rate:,.0f} structures/s "
          f"({res['hole_structures_per_cpu_s']:,.0f} per CPU second)")
    print(f"baseline: per-structure scalar scipy.special + brentq ({N_LOOP} structures): "
          f"{rate_loop:,.0f} structures/s ({1.0 / c_loop:,.0f} per CPU second)")
    print(f"ratio (vectorised / loop): {res['ratio_vs_scipy_loop_hole']:.0f}x; "
          f"max relative difference {err:.2e}; all bound: {res['all_bound']}")
    print(f"k.p first exciton (Kane e + Luttinger h + Coulomb), {N_EXCITON} CdSe/CdS: "
          f"{t_ex:.2f} s -> {res['exciton_structures_per_s']:,.0f} structures/s "
          f"({res['exciton_structures_per_cpu_s']:,.0f} per CPU second)")
    return res


if __name__ == "__main__":
    main()
