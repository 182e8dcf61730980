"""Luminescent solar concentrator Monte Carlo: physical limits, bookkeeping, a published
device, refusals, command line and API (issue 15, part 1)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

from qdlab.devices.lsc import (
    LSCSlab,
    Luminophore,
    fresnel_unpolarised,
    simulate_lsc,
    trapping_efficiency,
)
from qdlab.errors import QdlabInputError


def _dye(**kw):
    """Strong absorber at 400 nm, emission at 650 nm with no absorption there."""
    args = dict(absorption_peak_nm=400.0, absorption_per_cm=200.0, emission_peak_nm=650.0,
                fwhm_nm=30.0)
    args.update(kw)
    return Luminophore.gaussian(**args)


def _total(res) -> float:
    return math.fsum([res.optical_efficiency, *res.losses.values()])


# ------------------------------------------------------------------ physical limits
@pytest.mark.parametrize("n", [1.5, 2.0])
def test_trapping_efficiency_limit(n):
    """QY = 1, no host loss, no reabsorption: edge photons per absorbed photon equal
    sqrt(1 - 1/n^2) (0.745 at n = 1.5) within 3 MC standard errors.  The slab is thin
    and wide (100 x 100 x 0.1 cm) so that Fresnel-reflected escape-cone photons reaching
    an edge (a correction ~ R T / L ~ 1e-5) are far below the MC error (~6e-4)."""
    slab = LSCSlab(100.0, 100.0, 0.1, n, _dye())
    res = simulate_lsc(slab, n_photons=400_000, excitation_nm=400.0, seed=11)
    eta = trapping_efficiency(n)
    print(f"n = {n}: edge/absorbed = {res.edge_per_absorbed:.5f} +- "
          f"{res.edge_per_absorbed_se:.5f}, sqrt(1 - 1/n^2) = {eta:.5f}")
    assert res.absorptions_per_absorbed == pytest.approx(1.0, abs=1e-9)   # no reabsorption
    assert abs(res.edge_per_absorbed - eta) < 3.0 * res.edge_per_absorbed_se
    # the escape cones share the rest equally between top and bottom
    top, bottom = res.losses["escape_top"], res.losses["escape_bottom"]
    assert abs(top - bottom) < 3.0 * math.hypot(res.losses_se["escape_top"],
                                                res.losses_se["escape_bottom"])


def test_trapping_efficiency_function():
    assert trapping_efficiency(1.5) == pytest.approx(math.sqrt(5.0) / 3.0)
    assert trapping_efficiency(1.0) == 0.0
    with pytest.raises(QdlabInputError, match="refractive_index"):
        trapping_efficiency(0.5)


def test_fresnel_equations():
    # normal incidence ((n-1)/(n+1))^2, TIR beyond the critical angle
    assert float(fresnel_unpolarised(1.0, 1.0, 1.5)) == pytest.approx(0.04)
    c_crit = math.sqrt(1.0 - 1.0 / 1.5**2)
    assert float(fresnel_unpolarised(c_crit * 0.999, 1.5, 1.0)) == 1.0
    # reciprocity: the same R from either side for conjugate angles (Stokes relations)
    ci = np.linspace(0.2, 1.0, 9)
    st = np.sqrt(1.0 - ci**2) / 1.5
    ct = np.sqrt(1.0 - st**2)
    np.testing.assert_allclose(fresnel_unpolarised(ci, 1.0, 1.5),
                               fresnel_unpolarised(ct, 1.5, 1.0), rtol=1e-12)
    # Brewster angle: R = Rs/2, grazing incidence -> 1
    assert float(fresnel_unpolarised(1e-9, 1.0, 1.5)) == pytest.approx(1.0, abs=1e-6)


def test_host_absorption_beer_lambert_with_multiple_reflections():
    """No dots: a grey host at normal incidence absorbs (1-R)(1-tau)/(1-R tau) with
    tau = exp(-alpha T) (incoherent multiple reflections between the two faces)."""
    lum = _dye(absorption_per_cm=0.0)
    alpha, T, n = 1.2, 0.5, 1.5
    slab = LSCSlab(10.0, 10.0, T, n, lum, host_absorption_per_cm=alpha)
    res = simulate_lsc(slab, n_photons=300_000, excitation_nm=400.0, seed=3)
    R = ((n - 1) / (n + 1)) ** 2
    tau = math.exp(-alpha * T)
    expected = (1 - R) * (1 - tau) / (1 - R * tau)
    got, se = res.losses["host_absorption"], res.losses_se["host_absorption"]
    print(f"host absorption {got:.5f} +- {se:.5f}, expected {expected:.5f}")
    assert abs(got - expected) < 3.0 * se
    assert abs(res.losses["fresnel_entry"] - R) < 3.0 * res.losses_se["fresnel_entry"]
    assert res.optical_efficiency == 0.0
    assert _total(res) == pytest.approx(1.0, abs=1e-12)


def test_quantum_yield_loss():
    """Without reabsorption the non-radiative loss is (1 - QY) x absorbed."""
    slab = LSCSlab(20.0, 20.0, 0.2, 1.5, _dye(quantum_yield=0.6))
    res = simulate_lsc(slab, n_photons=200_000, excitation_nm=400.0, seed=5)
    expected = 0.4 * res.absorbed_fraction
    assert abs(res.losses["nonradiative"] - expected) < 3.0 * res.losses_se["nonradiative"]
    assert abs(res.edge_per_absorbed - 0.6 * trapping_efficiency(1.5)) \
        < 3.0 * res.edge_per_absorbed_se + 2e-3   # + the Fresnel-cone edge term (T/L = 1 %)


# ------------------------------------------------------------------ bookkeeping
def test_every_photon_accounted_for():
    """A stack with every process on: the outcomes sum to exactly 1."""
    a = _dye(quantum_yield=0.8, floor_per_cm=0.05)
    b = Luminophore.gaussian(absorption_peak_nm=650.0, absorption_per_cm=3.0,
                             emission_peak_nm=800.0, fwhm_nm=40.0, quantum_yield=0.9)
    top = LSCSlab(8.0, 6.0, 0.3, 1.5, a, host_absorption_per_cm=0.02, scattering_per_cm=0.05,
                  edges=("pv", "mirror", "air", "pv"))
    bottom = LSCSlab(8.0, 6.0, 0.5, 1.6, b, host_absorption_per_cm=0.01,
                     edges=("air", "pv", "mirror", "mirror"))
    res = simulate_lsc([top, bottom], n_photons=100_000, excitation_nm=400.0,
                       back_reflector=True, mirror_reflectivity=0.95, seed=7)
    assert _total(res) == pytest.approx(1.0, abs=1e-12)
    counts = [res.optical_efficiency, *res.losses.values()]
    assert all(c >= 0 for c in counts)
    for name in ("escape_top", "escape_edge", "nonradiative", "host_absorption",
                 "scattered_out", "mirror_absorption"):
        assert res.losses[name] > 0, name
    assert res.losses["trapped"] == 0.0
    assert math.fsum(res.per_slab_efficiency) == pytest.approx(res.optical_efficiency)
    # the edge spectrum integrates to the optical efficiency
    h = res.edge_wavelength_nm[1] - res.edge_wavelength_nm[0]
    assert float(res.edge_spectrum.sum() * h) == pytest.approx(res.optical_efficiency)
    d = res.to_dict()
    json.dumps(d)
    assert set(d["losses"]) == set(res.losses)


def test_stack_photons_escaping_down_enter_the_next_slab():
    """Slab 1 converts 400 -> 650 nm; slab 2 absorbs only 650 nm and emits at 850 nm:
    the 850 nm photons at the edges of slab 2 come from light that left slab 1
    downward."""
    lam = np.arange(300.0, 1000.5, 1.0)
    top = LSCSlab(10.0, 10.0, 0.3, 1.5, _dye(wavelength_nm=lam))
    lum2 = Luminophore.gaussian(absorption_peak_nm=650.0, absorption_per_cm=30.0,
                                emission_peak_nm=850.0, fwhm_nm=30.0, wavelength_nm=lam)
    bottom = LSCSlab(10.0, 10.0, 0.3, 1.5, lum2)
    res = simulate_lsc([top, bottom], n_photons=100_000, excitation_nm=400.0, seed=1)
    lam_c = res.edge_wavelength_nm
    red = res.edge_spectrum[lam_c > 780].sum() / res.edge_spectrum.sum()
    assert res.per_slab_efficiency[1] > 0.05
    assert red > 0.05
    # alone, the top slab sends the bottom escape cone out of the device
    alone = simulate_lsc(top, n_photons=100_000, excitation_nm=400.0, seed=1)
    assert alone.losses["escape_bottom"] > res.losses["escape_bottom"] + 0.05


def test_mirror_edges_concentrate():
    """Three ideal mirror edges and one PV edge: the same photons reach the PV (no
    losses, no reabsorption) and the concentration factor is 4x that of four PV edges."""
    lum = _dye()
    four = simulate_lsc(LSCSlab(10.0, 10.0, 0.2, 1.5, lum), n_photons=100_000,
                        excitation_nm=400.0, seed=2)
    one = simulate_lsc(LSCSlab(10.0, 10.0, 0.2, 1.5, lum,
                               edges=("mirror", "pv", "mirror", "mirror")),
                       n_photons=100_000, excitation_nm=400.0, seed=3)
    se = math.hypot(four.optical_efficiency_se, one.optical_efficiency_se)
    assert abs(four.optical_efficiency - one.optical_efficiency) < 3.0 * se
    assert one.geometric_gain == pytest.approx(4.0 * four.geometric_gain)
    assert one.concentration_factor == pytest.approx(
        four.concentration_factor * 4.0, rel=6.0 * se / four.optical_efficiency)


def test_reproducible_with_seed():
    slab = LSCSlab(5.0, 5.0, 0.5, 1.5, _dye(floor_per_cm=0.2), scattering_per_cm=0.1)
    a = simulate_lsc(slab, n_photons=20_000, excitation_nm=400.0, seed=42)
    b = simulate_lsc(slab, n_photons=20_000, excitation_nm=400.0, seed=42)
    c = simulate_lsc(slab, n_photons=20_000, excitation_nm=400.0, seed=43)
    assert a.to_dict() == b.to_dict()
    assert a.optical_efficiency != c.optical_efficiency


def test_power_efficiency_is_photon_efficiency_times_energy_ratio():
    """Monochromatic in, monochromatic-ish out: eta_P = eta_opt x lambda_in/<lambda_out>."""
    slab = LSCSlab(10.0, 10.0, 0.2, 1.5, _dye())
    res = simulate_lsc(slab, n_photons=50_000, excitation_nm=400.0, seed=4)
    lam = res.edge_wavelength_nm
    mean_inv = float((res.edge_spectrum / lam).sum() / res.edge_spectrum.sum())
    assert res.power_efficiency == pytest.approx(res.optical_efficiency * 400.0 * mean_inv,
                                                 rel=1e-9)


# ------------------------------------------------------------------ from the dots
@pytest.fixture(scope="module")
def cdse_cds():
    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    return Ensemble("CdSe", SizeDistribution.normal(3.0, 5.0), shells=[("CdS", 3.0)],
                    quantum_yield=0.9)


def test_luminophore_from_ensemble_uses_molar_extinction(cdse_cds):
    c = 2e-6
    lum = Luminophore.from_ensemble(cdse_cds, c)
    eps = cdse_cds.molar_extinction(lum.wavelength_nm)
    np.testing.assert_allclose(lum.absorption_per_cm, math.log(10.0) * eps * c, rtol=1e-12)
    assert lum.quantum_yield == 0.9
    peak = lum.wavelength_nm[int(np.argmax(lum.emission))]
    assert abs(peak - cdse_cds.emission_peak_nm()) <= 1.0


def test_reabsorption_grows_with_size(cdse_cds):
    """With the dots' own small Stokes shift the reabsorption cascade grows with the
    slab: more absorption events per absorbed photon and fewer edge photons per
    absorbed photon (the trend of Meinardi et al. 2014, Fig. 4)."""
    lum = Luminophore.from_ensemble(cdse_cds, 5e-6)
    out = []
    for side in (2.0, 20.0):
        r = simulate_lsc(LSCSlab(side, side, 0.3, 1.5, lum), n_photons=40_000,
                         excitation_nm=400.0, seed=9)
        out.append(r)
    assert out[1].absorptions_per_absorbed > out[0].absorptions_per_absorbed
    assert out[1].edge_per_absorbed + 3 * out[1].edge_per_absorbed_se \
        < out[0].edge_per_absorbed - 3 * out[0].edge_per_absorbed_se


# ------------------------------------------------------------------ a published device
LITERATURE = (Path(__file__).resolve().parents[1] / "src" / "qdlab" / "_data"
              / "lsc_literature.csv")


def _literature():
    with LITERATURE.open() as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return {(r["key"], r["quantity"], r["kind"]): r for r in rows}


def test_literature_rows_cite_their_source():
    """Every stored number carries a DOI and where it was read; geometry cells are numbers
    or empty (never a guess written as text)."""
    rows = _literature()
    assert ("Gungor2022", "peak_eqe", "measured") in rows
    for row in rows.values():
        assert row["doi"].startswith("10.") and row["where"]
        assert 0.0 < float(row["value"]) < 1.0
        for col in ("length_cm", "width_cm", "thickness_cm", "quantum_yield", "quality_factor"):
            assert row[col] == "" or float(row[col]) > 0.0


@pytest.mark.xfail(strict=False, reason=(
    "qdlab's two-band stand-in for the CISeS dots (absorption alpha_in below 650 nm, "
    "alpha_in/<Q> flat under the PL band, PV on four edges, n = 1.49) gives a peak EQE of "
    "~0.30 against the measured 0.117: <Q> compresses the solar-weighted and PL-weighted "
    "absorption into one ratio, the measured EQE includes the edge/PV coupling and the PV "
    "quantum efficiency (not modelled: the PV edge is an ideal absorber), surface scattering "
    "and the real wavelength dependence of the CISeS reabsorption; the host index and the PL "
    "band are assumptions (the abstract does not state them)"))
def test_published_cises_lsc_peak_eqe():
    """Peak EQE (edge photons per incident photon at a strongly absorbed wavelength,
    maximised over the QD loading) against Gungor, Du & Klimov 2022 (lsc_literature.csv),
    within the stored relative uncertainty (MC error < 1 %).  CuInSe2 is not in qdlab's
    materials database, so the luminophore is built from the published <Q> and QY."""
    pub = _literature()[("Gungor2022", "peak_eqe", "measured")]
    L, W, T = (float(pub[k]) for k in ("length_cm", "width_cm", "thickness_cm"))
    qy, q = float(pub["quantum_yield"]), float(pub["quality_factor"])
    lam = np.arange(400.0, 1100.5, 1.0)
    best = 0.0
    for a_in in (0.6, 1.5, 2.5, 4.0):
        a = np.where(lam < 650.0, a_in, a_in / q)
        e = np.exp(-0.5 * ((lam - 900.0) / 45.0) ** 2)
        lum = Luminophore(lam, a, e, qy, "CISeS two-band")
        r = simulate_lsc(LSCSlab(L, W, T, 1.49, lum), n_photons=60_000, excitation_nm=500.0,
                         seed=2)
        best = max(best, r.optical_efficiency)
    print(f"peak EQE: qdlab {best:.3f}, measured {float(pub['value']):.3f}")
    assert best == pytest.approx(float(pub["value"]), rel=float(pub["rel_uncertainty"]))


# ------------------------------------------------------------------ refusals
@pytest.mark.parametrize("kwargs, match", [
    (dict(thickness_cm=-1.0), "thickness_cm"),
    (dict(refractive_index=0.5), "refractive_index"),
    (dict(edges=("pv", "pv", "pv")), "edges"),
    (dict(edges=("pv", "pv", "pv", "glass")), "edges"),
    (dict(host_absorption_per_cm=-0.1), "host_absorption_per_cm"),
    (dict(scattering_per_cm=float("nan")), "scattering_per_cm"),
])
def test_slab_refuses_bad_input(kwargs, match):
    args = dict(length_cm=5.0, width_cm=5.0, thickness_cm=0.5, refractive_index=1.5,
                luminophore=_dye())
    args.update(kwargs)
    with pytest.raises(QdlabInputError, match=match):
        LSCSlab(**args)


def test_simulate_refuses_bad_input():
    slab = LSCSlab(5.0, 5.0, 0.5, 1.5, _dye())
    with pytest.raises(QdlabInputError, match="n_photons"):
        simulate_lsc(slab, n_photons=0, excitation_nm=400.0)
    with pytest.raises(QdlabInputError, match="n_photons"):
        simulate_lsc(slab, n_photons=10**12, excitation_nm=400.0)
    with pytest.raises(QdlabInputError, match="exactly one"):
        simulate_lsc(slab, n_photons=10)
    with pytest.raises(QdlabInputError, match="grid"):
        simulate_lsc(slab, n_photons=10, excitation_nm=1500.0)
    with pytest.raises(QdlabInputError, match="footprint"):
        simulate_lsc([slab, LSCSlab(4.0, 5.0, 0.5, 1.5, _dye())], n_photons=10,
                     excitation_nm=400.0)
    with pytest.raises(QdlabInputError, match="mirror_reflectivity"):
        simulate_lsc(slab, n_photons=10, excitation_nm=400.0, mirror_reflectivity=1.5)
    with pytest.raises(QdlabInputError, match="emission"):
        Luminophore(np.arange(1.0, 4.0), np.ones(3), np.zeros(3))


def test_illumination_spectrum():
    slab = LSCSlab(5.0, 5.0, 0.5, 1.5, _dye())
    wl = np.array([380.0, 420.0])
    res = simulate_lsc(slab, n_photons=20_000, illumination=(wl, np.ones(2)), seed=1)
    assert 0.0 < res.optical_efficiency < 1.0
    with pytest.raises(QdlabInputError, match="illumination"):
        simulate_lsc(slab, n_photons=10, illumination=(np.array([1200.0, 1300.0]),
                                                       np.ones(2)))


# ------------------------------------------------------------------ command line
def _cli(*args):
    from typer.testing import CliRunner

    from qdlab.cli.main import app

    return CliRunner().invoke(app, ["device", "lsc", *args])


CLI_BASE = ("CdSe", "--diameter", "4", "--concentration", "2e-6", "--size", "5x5x0.3",
            "--photons", "20000", "--seed", "3")


def test_cli_json():
    r = _cli(*CLI_BASE, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    for key in ("optical_efficiency", "optical_efficiency_se", "concentration_factor",
                "concentration_factor_se", "edge_per_absorbed", "edge_per_absorbed_se",
                "losses", "losses_se", "power_efficiency"):
        assert key in out
    assert math.fsum([out["optical_efficiency"], *out["losses"].values()]) == \
        pytest.approx(1.0, abs=1e-12)
    assert out["geometric_gain"] == pytest.approx(25.0 / (4 * 5 * 0.3))
    # the same seed, the same numbers
    assert json.loads(_cli(*CLI_BASE, "--json").stdout) == out


@pytest.mark.parametrize("args, match", [
    (("--photons", "0"), "photons must be >= 1"),
    (("--photons", "1000000000"), "photons must be >= 1"),
    (("--size", "5x5"), "size must be LxWxT"),
    (("--size", "5x5x-1"), "thickness"),
    (("--edges", "pv,pv,glass,pv"), "edges"),
    (("--mirror-reflectivity", "0.9"), "does not apply"),
    (("--shell", "2"), "--shell does not apply"),
    (("--qy", "1.5"), "quantum_yield"),
    (("--refractive-index", "0.5"), "refractive_index"),
    (("--concentration", "-1"), "concentration_M"),
])
def test_cli_refusals(args, match):
    base = list(CLI_BASE)
    for opt in args[::2]:
        if opt in base:
            i = base.index(opt)
            del base[i:i + 2]
    r = _cli(*base, *args)
    assert r.exit_code == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and match in lines[0], r.stderr
    assert "Traceback" not in r.output


def test_cli_core_shell_needs_core_diameter(tmp_path):
    r = _cli("CdSe/CdS", "--diameter", "3", "--shell", "2", "--concentration", "1e-6")
    assert r.exit_code == 2 and "--core-diameter" in r.stderr
    png = tmp_path / "lsc.png"
    r = _cli("CdSe/CdS", "--core-diameter", "3", "--shell", "2", "--concentration", "1e-6",
             "--photons", "5000", "--seed", "1", "--edges", "mirror,pv,mirror,air",
             "--mirror-reflectivity", "0.9", "--plot", str(png))
    assert r.exit_code == 0, r.output
    assert png.stat().st_size > 1000
    assert "optical efficiency" in r.stdout


# ------------------------------------------------------------------ REST API
@pytest.fixture(scope="module")
def client():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from qdlab.web.app import create_app

    with TestClient(create_app()) as c:
        yield c


API_BASE = {"structure": "CdSe", "core_diameter_nm": 4.0, "concentration_M": 2e-6,
            "size_cm": [5, 5, 0.3], "photons": 20000, "seed": 3}


def test_api_same_json_as_cli(client):
    r = client.post("/api/device/lsc", json=API_BASE)
    assert r.status_code == 200, r.text
    out = r.json()
    cli = json.loads(_cli(*CLI_BASE, "--json").stdout)
    for key in ("optical_efficiency", "concentration_factor", "edge_per_absorbed", "losses",
                "losses_se", "power_efficiency"):
        assert out[key] == cli[key], key


@pytest.mark.parametrize("patch", [
    {"photons": 0}, {"photons": 10**9}, {"size_cm": [5, 5, -1]}, {"refractive_index": 0.2},
    {"edges": ["pv", "pv", "pv", "glass"]}, {"concentration_M": 0}, {"quantum_yield": 2},
    {"structure": "CdSe/CdS"}, {"bogus": 1},
])
def test_api_refusals(client, patch):
    r = client.post("/api/device/lsc", json={**API_BASE, **patch})
    assert r.status_code == 422, r.text
    assert "detail" in r.json()
