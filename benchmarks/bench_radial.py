"""Benchmark: ground states of 1e5 random CdSe/CdS core/shell dots with the radial solver.

Baseline (named, measured in the same run): the straightforward implementation,
one structure at a time, ``scipy.optimize.brentq`` on the l = 0 BenDaniel-Duke
matching function written with scalar ``scipy.special`` spherical Bessel calls,
bracketed by a scan of 20 energies between the lowest band edge and the
hard-wall upper bound of the ground state (the same analytic bracket the
vectorised solver uses, so the baseline is not penalised by a blind scan);
timed on a subset and extrapolated per structure.  Both paths are checked to agree.

Run: ``python benchmarks/bench_radial.py`` (or ``make bench``).
"""

from __future__ import annotations

import time

import numpy as np
from scipy import optimize, special

from qdlab.constants import HBAR2_2M0
from qdlab.electronic.sphere.radial import solve_radial

N_VECTOR = 100_000
N_LOOP = 300
SEED = 20240601
BARRIER_EV = 4.0


def random_core_shells(n: int, seed: int = SEED):
    """CdSe/CdS-like core/shell electrons and holes in ligands (2 layers + medium)."""
    rng = np.random.default_rng(seed)
    core = rng.uniform(1.0, 3.0, n)                  # core radius, nm
    shell = rng.uniform(0.3, 3.0, n)                 # shell thickness, nm
    radii = np.stack([core, core + shell], axis=1)
    dec = rng.uniform(-0.1, 0.3, n)                  # CdS conduction-band offset, eV
    pot_e = np.stack([np.zeros(n), dec, np.full(n, BARRIER_EV)], axis=1)
    m_e = np.tile([0.13, 0.21, 1.0], (n, 1))
    dev = rng.uniform(0.4, 0.7, n)                   # valence-band offset, eV (holes: -E_v)
    pot_h = np.stack([np.zeros(n), dev, np.full(n, BARRIER_EV)], axis=1)
    m_h = np.tile([0.45, 0.8, 1.0], (n, 1))
    return radii, (pot_e, m_e), (pot_h, m_h)


def _scalar_match(E, r1, r2, v, m):
    """l = 0 matching function of one structure with scalar scipy.special calls."""
    def region(q):
        return np.sqrt(abs(q)), q >= 0
    q = [m[i] * (E - v[i]) / HBAR2_2M0 for i in range(3)]
    k0, osc0 = region(q[0])
    if osc0:
        R, dR = special.spherical_jn(0, k0 * r1), k0 * special.spherical_jn(0, k0 * r1, True)
    else:
        R, dR = special.spherical_in(0, k0 * r1), k0 * special.spherical_in(0, k0 * r1, True)
    w = dR / m[0]
    k1, osc1 = region(q[1])
    if osc1:
        f, g = special.spherical_jn, special.spherical_yn
    else:
        f, g = special.spherical_in, special.spherical_kn
    fa, dfa, ga, dga = f(0, k1 * r1), f(0, k1 * r1, True), g(0, k1 * r1), g(0, k1 * r1, True)
    det = k1 * (fa * dga - dfa * ga)
    A = (R * k1 * dga - ga * m[1] * w) / det
    B = (fa * m[1] * w - R * k1 * dfa) / det
    R2 = A * f(0, k1 * r2) + B * g(0, k1 * r2)
    dR2 = k1 * (A * f(0, k1 * r2, True) + B * g(0, k1 * r2, True))
    kap = np.sqrt(-q[2])
    logd = kap * special.spherical_kn(0, kap * r2, True) / special.spherical_kn(0, kap * r2)
    return dR2 / m[1] - R2 * logd / m[2]


def loop_ground_state(radii, pot, mass):
    """Baseline: per-structure scan + scipy.optimize.brentq."""
    out = np.empty(len(radii))
    for i, (r, v, m) in enumerate(zip(radii, pot, mass, strict=True)):
        lo = v[:2].min() + 1e-9
        hi = min(v[2] - 1e-9, v[:2].max() + HBAR2_2M0 * np.pi**2 / (m[:2].min() * r[1] ** 2))
        grid = np.linspace(lo, hi, 20)
        vals = [_scalar_match(e, r[0], r[1], v, m) for e in grid]
        j = next(k for k in range(19) if np.sign(vals[k]) != np.sign(vals[k + 1]))
        out[i] = optimize.brentq(_scalar_match, grid[j], grid[j + 1], args=(r[0], r[1], v, m),
                                 xtol=1e-14, rtol=1e-13)
    return out


def main() -> dict:
    radii, (pe, me), (ph, mh) = random_core_shells(N_VECTOR)
    solve_radial(radii[:100], pe[:100], me[:100])       # warm-up
    t0 = time.perf_counter()
    se = solve_radial(radii, pe, me)
    t_e = time.perf_counter() - t0
    t0 = time.perf_counter()
    sh = solve_radial(radii, ph, mh)
    t_h = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = loop_ground_state(radii[:N_LOOP], pe[:N_LOOP], me[:N_LOOP])
    t_loop = (time.perf_counter() - t0) / N_LOOP
    err = np.max(np.abs(se.energies_eV[:N_LOOP, 0] - ref) / np.abs(ref))
    rate_e = N_VECTOR / t_e
    rate_h = N_VECTOR / t_h
    rate_loop = 1.0 / t_loop
    res = {
        "n_structures": N_VECTOR,
        "electron_s": t_e,
        "hole_s": t_h,
        "electron_structures_per_s": rate_e,
        "hole_structures_per_s": rate_h,
        "loop_structures_per_s": rate_loop,
        "ratio_vs_scipy_loop_electron": rate_e / rate_loop,
        "ratio_vs_scipy_loop_hole": rate_h / rate_loop,
        "max_rel_diff_vs_loop": float(err),
        "all_bound": bool(se.bound.all() and sh.bound.all()),
    }
    print(f"radial solver, ground state l=0, {N_VECTOR} CdSe/CdS core/shell dots (one call):")
    print(f"  electrons: {t_e:.3f} s  ->  {rate_e:,.0f} structures/s")
    print(f"  holes:     {t_h:.3f} s  ->  {rate_h:,.0f} structures/s")
    print(f"baseline: scipy brentq loop with scalar scipy.special ({N_LOOP} structures): "
          f"{rate_loop:,.0f} structures/s")
    print(f"ratio (vectorised / loop): electrons {res['ratio_vs_scipy_loop_electron']:.0f}x, "
          f"holes {res['ratio_vs_scipy_loop_hole']:.0f}x")
    print(f"max relative difference vs loop: {err:.2e}; all bound: {res['all_bound']}")
    return res


if __name__ == "__main__":
    main()
