"""Benchmark: the LSC Monte Carlo against pvtrace's ray tracer on the same slab.

Workload: one 5 x 5 x 0.3 cm slab of index 1.5 (air on both faces), a Gaussian dye-like
luminophore (absorption peak 450 nm, 5 cm^-1; emission 650 nm; FWHM 40 nm; QY 0.9),
grey host absorption 0.02 cm^-1, ideal index-matched PV on all four edges; monochromatic
450 nm light at normal incidence, uniform over the top face.

- qdlab: :func:`qdlab.devices.lsc.simulate_lsc`, 10^6 photon histories, best CPU time of
  ``repeat`` runs.
- Baseline, measured in the same run: pvtrace (``pip install pvtrace``, tested 2.1.4), the
  same scene built from its own classes (a ``Box`` of index 1.5 with a ``Luminophore`` and
  an ``Absorber``, its ``OptionalMirrorAndSolarCell`` surface delegate making the four
  edges perfect index-matched absorbers, a ``Light`` with a rectangular mask pointing
  down), traced ray by ray with ``photon_tracer.follow(emit_method="full")`` (re-emission
  drawn from the whole PL spectrum, as in qdlab).  A few thousand rays: pvtrace traces
  about 10^3 rays per second.

Both efficiencies (PV-edge photons per incident photon) are printed with their Monte Carlo
standard errors sqrt(p(1-p)/N) and the difference in units of the combined error; the ratio
is qdlab's histories per CPU second over pvtrace's rays per CPU second.

Run ``python benchmarks/bench_lsc.py [n_pvtrace]``; ``main()`` returns a dict.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from qdlab.devices.lsc import LSCSlab, Luminophore, simulate_lsc

SIZE_CM = (5.0, 5.0, 0.3)
INDEX = 1.5
HOST_PER_CM = 0.02
QY = 0.9
EXCITATION_NM = 450.0
N_QDLAB = 1_000_000
N_PVTRACE = 3000


def _luminophore() -> Luminophore:
    return Luminophore.gaussian(absorption_peak_nm=450.0, absorption_per_cm=5.0,
                                emission_peak_nm=650.0, fwhm_nm=40.0, quantum_yield=QY)


def run_qdlab(n: int = N_QDLAB, repeat: int = 3, seed: int = 1):
    """(efficiency, standard error, histories per CPU second) of qdlab."""
    slab = LSCSlab(*SIZE_CM, INDEX, _luminophore(), host_absorption_per_cm=HOST_PER_CM)
    best, res = math.inf, None
    for k in range(repeat):
        t0 = time.process_time()
        res = simulate_lsc(slab, n_photons=n, excitation_nm=EXCITATION_NM, seed=seed + k)
        best = min(best, time.process_time() - t0)
    return res.optical_efficiency, res.optical_efficiency_se, n / best


def _pvtrace_scene(lum: Luminophore):
    """The same slab as a pvtrace scene (box centred on the origin)."""
    import pvtrace
    from pvtrace.device.lsc import OptionalMirrorAndSolarCell
    from pvtrace.material.surface import Surface

    L, W, T = SIZE_CM

    class _Edges:                      # what OptionalMirrorAndSolarCell reads from its LSC
        _solar_cell_surfaces = {"left", "right", "near", "far"}
        _back_surface_mirror_info = {"want_back_surface_mirror": False}

    lam = lum.wavelength_nm
    dye = pvtrace.Luminophore(np.column_stack((lam, lum.absorption_per_cm)),
                              emission=np.column_stack((lam, lum.emission)),
                              quantum_yield=lum.quantum_yield, name="dye")
    host = pvtrace.Absorber(HOST_PER_CM, name="host")
    world = pvtrace.Node(name="world", geometry=pvtrace.Box(
        (100 * L, 100 * W, 100 * T), material=pvtrace.Material(refractive_index=1.0)))
    pvtrace.Node(name="lsc", parent=world, geometry=pvtrace.Box(
        (L, W, T), material=pvtrace.Material(
            refractive_index=INDEX, components=[dye, host],
            surface=Surface(delegate=OptionalMirrorAndSolarCell(_Edges())))))
    light = pvtrace.Light(wavelength=lambda: EXCITATION_NM,
                          position=lambda: pvtrace.rectangular_mask(0.5 * L, 0.5 * W),
                          direction=lambda: (0.0, 0.0, -1.0))     # straight down
    node = pvtrace.Node(name="light", parent=world, light=light)
    node.location = (0.0, 0.0, T)          # above the top face (z = T/2); no rotation
    return pvtrace.Scene(world)


def _numpy_aliases():
    """pvtrace 2.1.4 still uses ``np.float`` / ``np.int``, removed in numpy 1.24: restore
    them (as the builtins they aliased) for the baseline only."""
    for name, typ in (("float", float), ("int", int)):
        if name not in np.__dict__:
            setattr(np, name, typ)


def run_pvtrace(n: int = N_PVTRACE, seed: int = 1):
    """(efficiency, standard error, rays per CPU second) of pvtrace, or None if absent."""
    _numpy_aliases()
    try:
        import logging

        import pvtrace
        from pvtrace.algorithm import photon_tracer
    except ImportError:
        return None
    for name in ("trimesh", "shapely.geos", "pvtrace"):
        logging.getLogger(name).disabled = True
    np.random.seed(seed)  # noqa: NPY002  (pvtrace draws from numpy's global generator)
    scene = _pvtrace_scene(_luminophore())
    L, W, _ = SIZE_CM
    edge = 0
    t0 = time.process_time()
    for ray in scene.emit(n):
        history = photon_tracer.follow(scene, ray, emit_method="full")
        rays, events = zip(*history, strict=True)
        if events[-1] == pvtrace.Event.EXIT:
            x, y, _ = rays[-2].position     # where it left the slab
            if abs(abs(x) - 0.5 * L) < 1e-6 or abs(abs(y) - 0.5 * W) < 1e-6:
                edge += 1
    cpu = time.process_time() - t0
    p = edge / n
    return p, math.sqrt(p * (1 - p) / n), n / cpu


def main(argv=None) -> dict:
    n_pv = int(argv[0]) if argv else N_PVTRACE
    print(f"slab {SIZE_CM[0]:g} x {SIZE_CM[1]:g} x {SIZE_CM[2]:g} cm, n = {INDEX}, dye 450 -> "
          f"650 nm (QY {QY}), host {HOST_PER_CM} cm^-1, PV on 4 edges, {EXCITATION_NM:g} nm "
          "at normal incidence")
    eta_q, se_q, rate_q = run_qdlab()
    print(f"qdlab   : efficiency {eta_q:.4f} +/- {se_q:.4f} ({N_QDLAB:,} histories), "
          f"{rate_q:.3g} histories per CPU s")
    out = {"qdlab_efficiency": eta_q, "qdlab_efficiency_se": se_q,
           "qdlab_histories_per_s": rate_q}
    pv = run_pvtrace(n_pv)
    if pv is None:
        print("pvtrace : not installed (pip install 'qdlab[bench]'); no ratio")
        return out
    eta_p, se_p, rate_p = pv
    z = (eta_q - eta_p) / math.hypot(se_q, se_p)
    print(f"pvtrace : efficiency {eta_p:.4f} +/- {se_p:.4f} ({n_pv:,} rays), "
          f"{rate_p:.3g} rays per CPU s")
    verdict = "agree" if abs(z) < 3.0 else "DISAGREE"
    print(f"difference {eta_q - eta_p:+.4f} = {z:+.2f} combined standard errors ({verdict} "
          "within 3 sigma)")
    print(f"ratio qdlab / pvtrace: {rate_q / rate_p:.0f}x rays per CPU second")
    out.update({"pvtrace_efficiency": eta_p, "pvtrace_efficiency_se": se_p,
                "pvtrace_rays_per_s": rate_p, "difference_sigma": z,
                "ratio_vs_pvtrace": rate_q / rate_p})
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
