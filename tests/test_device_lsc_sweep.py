"""LSC efficiency against dot size: qdlab.devices.lsc_sweep and POST /api/device/lsc/sweep."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qdlab.devices.lsc import trapping_efficiency
from qdlab.devices.lsc_report import lsc_report
from qdlab.devices.lsc_sweep import LSC_SWEEP_LIMITS, lsc_size_sweep
from qdlab.errors import QdlabInputError

pytestmark = pytest.mark.filterwarnings("ignore::qdlab.errors.QdlabValidityWarning")

SIZES = [2.5, 3.5, 4.5]


@pytest.fixture(scope="module")
def sweep():
    """CdSe/CdS, fixed absorbance 0.5 at 400 nm, QY 1, no host loss, 20 x 20 x 0.3 cm."""
    return lsc_size_sweep("CdSe/CdS", core_diameters_nm=SIZES, shells_nm=[2.0],
                          absorbance_at_excitation=0.5, size_cm=(20.0, 20.0, 0.3),
                          n_photons=40_000, seed=4)


def test_arrays_and_confinement(sweep):
    """One entry per size; the PL peak moves to the red with the core (confinement)."""
    for name in ("optical_efficiency", "optical_efficiency_se", "pl_peak_nm",
                 "edge_per_absorbed", "absorptions_per_absorbed", "reabsorption_loss"):
        assert getattr(sweep, name).shape == (len(SIZES),), name
    np.testing.assert_array_equal(sweep.core_diameter_nm, SIZES)
    assert np.all(np.diff(sweep.pl_peak_nm) > 0)
    assert np.all(np.diff(sweep.first_peak_nm) > 0)
    assert np.all(sweep.pl_peak_nm > sweep.first_peak_nm)      # the Stokes shift


def test_absorbance_rule_gives_beer_lambert_absorption(sweep):
    """Fixed decadic absorbance A at the excitation wavelength: the concentration of each
    size is A/(eps T), so every size absorbs (1-R)(1-tau)/(1-R tau) of the incident
    photons at least once (tau = 10^-A, incoherent reflections between the two faces)."""
    np.testing.assert_allclose(sweep.absorbance_at_excitation, 0.5, rtol=1e-12)
    assert np.all(np.diff(sweep.concentration_M) < 0)     # bigger dots absorb more each
    R = ((1.5 - 1.0) / 2.5) ** 2
    tau = 10.0**-0.5
    expected = (1 - R) * (1 - tau) / (1 - R * tau)
    se = math.sqrt(expected * (1 - expected) / sweep.n_photons_per_size)
    assert np.all(np.abs(sweep.absorbed_fraction - expected) < 3.0 * se)


def test_reabsorption_never_beats_the_trapping_limit(sweep):
    """QY = 1, no host loss: every reabsorption re-randomises the direction, so the edge
    photons per absorbed photon stay at or below sqrt(1 - 1/n^2); the indicator is >= 0."""
    eta = trapping_efficiency(1.5)
    assert np.all(sweep.edge_per_absorbed < eta + 3.0 * sweep.edge_per_absorbed_se)
    assert np.all(sweep.absorptions_per_absorbed >= 1.0)
    assert np.all(sweep.reabsorption_loss >= 0.0)
    assert sweep.settings["trapping_efficiency"] == pytest.approx(eta)


def test_one_size_agrees_with_the_single_report():
    """A one-size sweep at a fixed concentration and the single-slab report (its own
    transition table) agree within the MC errors (the shared table interpolates the same
    electronic states)."""
    kw = dict(shells_nm=[2.0], concentration_M=3e-6, size_cm=(10.0, 10.0, 0.3),
              quantum_yield=0.8, excitation_nm=400.0)
    sw = lsc_size_sweep("CdSe/CdS", core_diameters_nm=[3.0], n_photons=50_000, seed=8, **kw)
    rep, _ = lsc_report("CdSe/CdS", core_diameter_nm=3.0, n_photons=50_000, seed=9, **kw)
    combined = math.hypot(sw.optical_efficiency_se[0], rep["optical_efficiency_se"])
    assert abs(sw.optical_efficiency[0] - rep["optical_efficiency"]) < 3.0 * combined
    assert sw.pl_peak_nm[0] == pytest.approx(rep["dots"]["pl_peak_nm"], abs=0.5)


def test_reproducible_with_seed():
    kw = dict(core_diameters_nm=[3.0, 4.0], absorbance_at_excitation=0.3,
              size_cm=(5.0, 5.0, 0.3), n_photons=3000)
    a = lsc_size_sweep("CdSe", seed=5, **kw)
    b = lsc_size_sweep("CdSe", seed=5, **kw)
    np.testing.assert_array_equal(a.optical_efficiency, b.optical_efficiency)
    d = a.to_dict()
    assert d["optical_efficiency"] == a.optical_efficiency.tolist()
    assert d["settings"]["loading"] == "absorbance_at_excitation"


@pytest.mark.parametrize("kwargs, match", [
    (dict(), "exactly one"),
    (dict(concentration_M=1e-6, absorbance_at_excitation=0.5), "exactly one"),
    (dict(concentration_M=1.0), "concentration_M"),
    (dict(absorbance_at_excitation=50.0), "absorbance_at_excitation"),
    (dict(concentration_M=1e-6, core_diameters_nm=[]), "core_diameters_nm"),
    (dict(concentration_M=1e-6, core_diameters_nm=[100.0]), "core_diameters_nm"),
    (dict(concentration_M=1e-6,
          core_diameters_nm=[3.0] * (LSC_SWEEP_LIMITS["max_sizes"] + 1)), "core_diameters_nm"),
    (dict(concentration_M=1e-6, n_photons=0), "n_photons"),
    (dict(concentration_M=1e-6, n_photons=LSC_SWEEP_LIMITS["max_photons_per_size"],
          core_diameters_nm=[3.0] * 11), "n_photons x sizes"),
    (dict(concentration_M=1e-6, edges=("pv", "pv", "pv")), "edges"),
    (dict(concentration_M=1e-6, shells_nm=[1.0]), "shell"),
    (dict(concentration_M=1e-6, size_cm=(5, 5, -1)), "thickness"),
])
def test_refusals(kwargs, match):
    args = dict(core_diameters_nm=[3.0], n_photons=10)
    args.update(kwargs)
    with pytest.raises(QdlabInputError, match=match):
        lsc_size_sweep("CdSe", **args)


# ------------------------------------------------------------------ REST API
@pytest.fixture(scope="module")
def client():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from qdlab.web.app import create_app

    with TestClient(create_app()) as c:
        yield c


API = {"structure": "CdSe/CdS", "core_diameters_nm": [2.5, 3.5], "shells_nm": [2.0],
       "absorbance_at_excitation": 0.5, "size_cm": [10, 10, 0.3], "photons_per_size": 5000,
       "seed": 2}


def test_api_sweep_same_numbers_as_python(client):
    r = client.post("/api/device/lsc/sweep", json=API)
    assert r.status_code == 200, r.text
    out = r.json()
    py = lsc_size_sweep("CdSe/CdS", core_diameters_nm=[2.5, 3.5], shells_nm=[2.0],
                        absorbance_at_excitation=0.5, size_cm=(10, 10, 0.3), n_photons=5000,
                        seed=2)
    assert out["optical_efficiency"] == py.optical_efficiency.tolist()
    assert out["core_diameter_nm"] == [2.5, 3.5]
    assert len(out["pl_peak_nm"]) == 2


@pytest.mark.parametrize("patch", [
    {"core_diameters_nm": [3.0] * 13}, {"core_diameters_nm": []},
    {"core_diameters_nm": [0.1]}, {"photons_per_size": 10**6}, {"photons_per_size": 0},
    {"concentration_M": 1e-6}, {"absorbance_at_excitation": None},
    {"shells_nm": []}, {"size_cm": [5, 5, 0]}, {"bogus": 1},
])
def test_api_sweep_refusals(client, patch):
    r = client.post("/api/device/lsc/sweep", json={**API, **patch})
    assert r.status_code == 422, r.text
    assert "detail" in r.json()


# ------------------------------------------------------------------ edge output vs distance
def _guided_to_edge(alpha, d, n, half_width):
    """QY = 1 edge output per absorbed photon of a spot at distance d (cm) from an ideal
    PV edge of half-length ``half_width``: the guided directions (|cos theta| < cos
    theta_c) whose azimuth hits the edge, attenuated by exp(-alpha d/(cos phi sin theta));
    midpoint quadrature (1/4 pi) int d(cos theta) d(phi)."""
    cc = math.sqrt(1.0 - 1.0 / n**2)
    phi_max = math.atan(half_width / d)
    m = 800
    u = (np.arange(m) + 0.5) / m * 2 * cc - cc              # cos theta in (-cc, cc)
    phi = (np.arange(m) + 0.5) / m * 2 * phi_max - phi_max
    U, P = np.meshgrid(u, phi, indexing="ij")
    path = d / (np.cos(P) * np.sqrt(1.0 - U**2))
    integrand = np.exp(-alpha * path)
    return float(integrand.sum() * (2 * cc / m) * (2 * phi_max / m) / (4 * math.pi))


def test_distance_sweep_follows_the_guided_attenuation_law():
    """No reabsorption, QY = 1, grey host absorption 0.1 cm^-1, a thin slab (escape-cone
    photons leave after a few Fresnel bounces, far from the edge): the output of the edge
    per absorbed photon at distance d equals the guided-light integral (within 3 s.e.)."""
    from qdlab.devices.lsc import LSCSlab, Luminophore
    from qdlab.devices.lsc_sweep import lsc_distance_sweep

    lum = Luminophore.gaussian(absorption_peak_nm=400.0, absorption_per_cm=400.0,
                               emission_peak_nm=650.0, fwhm_nm=30.0)
    L, W, T, n, alpha = 40.0, 60.0, 0.05, 1.5, 0.1
    slab = LSCSlab(L, W, T, n, lum, host_absorption_per_cm=alpha)
    dist = [2.0, 6.0, 15.0]
    sw = lsc_distance_sweep(slab, dist, excitation_nm=400.0, n_photons=100_000, seed=12)
    for d, got, se in zip(dist, sw.edge_per_absorbed, sw.edge_per_absorbed_se, strict=True):
        expected = _guided_to_edge(alpha, d, n, W / 2)
        print(f"d = {d:4.1f} cm: edge/absorbed {got:.4f} +- {se:.4f}, guided integral "
              f"{expected:.4f}")
        assert abs(got - expected) < 3.0 * se
    assert np.all(np.diff(sw.edge_efficiency) < 0)
    np.testing.assert_allclose(sw.absorptions_per_absorbed, 1.0)


def test_reabsorption_attenuates_the_edge_output_with_distance():
    """The dots' own overlap of absorption and PL (small Stokes shift): photons emitted
    far from the edges are reabsorbed more often, and the edge output at 20 cm falls below
    the reabsorption-free guided-light value (QY = 1, no host loss), because every
    reabsorption sends a share 1 - sqrt(1 - 1/n^2) of the light into the escape cones."""
    from qdlab.devices.lsc import LSCSlab, Luminophore
    from qdlab.devices.lsc_sweep import lsc_distance_sweep

    lam = np.arange(300.0, 900.5, 1.0)
    a = 30.0 * np.exp(-0.5 * ((lam - 560.0) / 20.0) ** 2) + np.where(lam < 560, 30.0, 0.0)
    e = np.exp(-0.5 * ((lam - 585.0) / 15.0) ** 2)
    slab = LSCSlab(30.0, 30.0, 0.3, 1.5, Luminophore(lam, a, e, 1.0))
    sw = lsc_distance_sweep(slab, [1.0, 20.0], excitation_nm=400.0, n_photons=40_000, seed=3)
    assert sw.absorptions_per_absorbed[1] > sw.absorptions_per_absorbed[0] > 1.0
    no_reabsorption = _guided_to_edge(0.0, 20.0, 1.5, 15.0)
    assert sw.edge_per_absorbed[1] + 3 * sw.edge_per_absorbed_se[1] < no_reabsorption


def test_spot_refusals():
    from qdlab.devices.lsc import LSCSlab, Luminophore, simulate_lsc
    from qdlab.devices.lsc_sweep import lsc_distance_sweep

    lum = Luminophore.gaussian(absorption_peak_nm=400.0, absorption_per_cm=10.0,
                               emission_peak_nm=650.0, fwhm_nm=30.0)
    slab = LSCSlab(5.0, 5.0, 0.3, 1.5, lum)
    with pytest.raises(QdlabInputError, match="spot_cm x"):
        simulate_lsc(slab, n_photons=10, excitation_nm=400.0, spot_cm=(6.0, 1.0))
    with pytest.raises(QdlabInputError, match="spot_cm"):
        simulate_lsc(slab, n_photons=10, excitation_nm=400.0, spot_cm=(1.0,))
    with pytest.raises(QdlabInputError, match="distances_cm"):
        lsc_distance_sweep(slab, [1.0, 9.0], excitation_nm=400.0, n_photons=10)
    with pytest.raises(QdlabInputError, match="distances_cm"):
        lsc_distance_sweep(slab, [], excitation_nm=400.0, n_photons=10)
