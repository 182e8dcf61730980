"""Quantum-dot displays: the film's conservation laws, gamut limits, the dots picked for a
colour, QLED outcoupling and EQE against a published device, the CLI and the API.

Published numbers used:

* Chen, Gensler & Yurek, SPIE Newsroom (2015), doi:10.1117/2.1201504.005791: a quantum-dot
  enhancement film with green and red FWHM below 30 nm covers more than 90 % of Rec.2020
  (91 % demonstrated on a modified LCD TV).
* Dai et al., Nature 515, 96 (2014): red CdSe/CdS QLED, peak EQE 20.5 %.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from qdlab.devices.display import colour_conversion_display, film, primaries
from qdlab.devices.display_film import WAVELENGTH_GRID_NM, led_spectrum, transport
from qdlab.devices.display_gamut import STANDARDS, gamut_coverage, standard_primaries
from qdlab.devices.dots import PEAK_TOLERANCE_NM, parse_dot_spec, pick_dots
from qdlab.devices.qled import (
    DAI2014_EQE,
    external_quantum_efficiency,
    outcoupling,
    qcse_constant,
    stark_shift_eV,
)
from qdlab.errors import QdlabInputError
from qdlab.optics.colour import emission_colour, gaussian_line

LAM = WAVELENGTH_GRID_NM


@pytest.fixture(scope="module")
def cdse_pair():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pick_dots("530"), pick_dots("630")


@pytest.fixture(scope="module")
def cdse_display(cdse_pair):
    g, r = cdse_pair
    return colour_conversion_display(r, g, led_peak_nm=450.0)


# ------------------------------------------------------------------ gamut
@pytest.mark.parametrize("name", list(STANDARDS))
def test_own_primaries_cover_the_space_exactly(name):
    cov = gamut_coverage(standard_primaries(name), standards=[name])[name]
    for space in ("xy", "upvp"):
        assert abs(cov[space]["coverage"] - 1.0) < 1e-12
        assert abs(cov[space]["area_ratio"] - 1.0) < 1e-12


def test_primaries_are_colour_sciences():
    # Rec.2020 green of ITU-R BT.2020, via colour-science
    assert standard_primaries("Rec2020")[1] == pytest.approx([0.170, 0.797])
    assert standard_primaries("DCI-P3")[0] == pytest.approx([0.680, 0.320])


@pytest.mark.parametrize("name", ["sRGB", "Rec2020"])
def test_monochromatic_primaries_at_dominant_wavelengths_cover_the_space(name):
    from qdlab.optics.colour import _colour

    colour = _colour()
    cmfs = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]
    xy = []
    for p in standard_primaries(name):
        wl = float(colour.dominant_wavelength(p, np.array([0.3127, 0.3290]), cmfs)[0])
        assert wl > 0
        c = emission_colour([wl], [1.0])           # a single line: on the locus
        xy.append([c.x, c.y])
    cov = gamut_coverage(np.array(xy), standards=[name])[name]
    # The lines lie on the locus, on or outside the standard's corners up to the
    # rounding of the published primaries (3 decimals: BT.2020 green 0.797 vs the
    # 1931 observer's 532 nm line at 0.7965), which costs at most ~2e-3 of the area.
    if name == "Rec2020":
        assert np.abs(np.array(xy) - standard_primaries(name)).max() <= 5e-4 + 1e-6
    assert cov["xy"]["coverage"] > 0.998
    assert cov["upvp"]["coverage"] > 0.998


def test_narrow_qd_primaries_reach_the_published_rec2020_coverage():
    # Chen et al. 2015: FWHM < 30 nm green and red on a blue LED -> > 90 % of Rec.2020
    xy = [[c.x, c.y] for c in (emission_colour(*gaussian_line(630, 30)),
                               emission_colour(*gaussian_line(530, 30)),
                               emission_colour(*gaussian_line(450, 20)))]
    cov = gamut_coverage(np.array(xy))
    assert 0.90 <= cov["Rec2020"]["xy"]["coverage"] <= 1.0
    assert cov["sRGB"]["xy"]["coverage"] > 0.99


@pytest.mark.xfail(strict=False, reason="qdlab's CdSe green (5 % dispersion) is 28 nm wide and "
                   "self-absorption in the film moves it to 537 nm: 87 % of Rec.2020 against "
                   "the > 90 % of Chen et al. 2015")
def test_qdlab_cdse_film_reaches_published_rec2020_coverage(cdse_display):
    assert cdse_display["gamut_coverage"]["Rec2020"]["xy"]["coverage"] >= 0.90


def test_cdse_display_contract(cdse_display):
    out = cdse_display
    assert set(out["gamut_coverage"]) == {"sRGB", "DCI-P3", "Rec2020"}
    for v in out["gamut_coverage"].values():
        assert set(v) == {"xy", "upvp"}
        assert 0.0 < v["xy"]["coverage"] <= 1.0
    # the white was balanced to D65
    w = out["white_point"]
    assert np.hypot(w["x"] - 0.3127, w["y"] - 0.3290) < 2e-3
    assert w["cct_K"] == pytest.approx(6504, abs=150)
    assert abs(out["film"]["photon_balance"]) < 1e-12
    names = [p["name"] for p in out["primaries"]]
    assert names == ["red", "green", "blue"]
    assert 0.0 < out["film"]["blue_leakage"] < 1.0


# ------------------------------------------------------------------ film physics
def _toy(qy):
    eps = np.where(LAM < 560, 2e5 * np.exp(-(LAM - 360) / 200), 0.0)
    pl = np.exp(-0.5 * ((LAM - 580) / 10) ** 2)
    return eps, qy * pl / np.trapezoid(pl, LAM)


def test_pure_absorber_is_beer_lambert():
    eps, pl = _toy(0.0)
    led = led_spectrum(LAM, 450.0, 20.0)
    r = transport(LAM, led, [(20e-4, [(eps, pl, 1e-4)])])
    expected = led * 10 ** (-eps * 1e-4 * 20e-4)
    assert np.allclose(r.components[0], expected, rtol=1e-10, atol=1e-16)
    # absorbed + transmitted = incident
    assert float(r.absorbed[0]) + r.blue_leakage == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("layout", ["sequential", "mixed"])
def test_photons_are_conserved(cdse_pair, layout):
    g, r = cdse_pair
    res = film(g, r, green_concentration_M=1e-3, red_concentration_M=1e-4, layout=layout)
    assert abs(res.photon_balance()) < 1e-12
    assert res.nonradiative_loss > 0          # QY 0.9


def test_blue_leakage_falls_with_concentration(cdse_pair):
    g, r = cdse_pair
    leak = [film(g, r, green_concentration_M=c, red_concentration_M=c / 10,
                 n_slices=50).blue_leakage for c in (1e-4, 5e-4, 2e-3)]
    assert leak[0] > leak[1] > leak[2] > 0


def test_red_reabsorbs_green(cdse_pair):
    g, r = cdse_pair
    with_red = film(g, r, green_concentration_M=1e-3, red_concentration_M=2e-4, n_slices=50)
    no_red = film(g, r, green_concentration_M=1e-3, red_concentration_M=0.0, n_slices=50)
    assert with_red.absorbed_by_origin[1, 1] > 0
    assert no_red.absorbed_by_origin[1, 1] == 0.0
    assert with_red.photons(1) < no_red.photons(1)


def test_slices_are_converged(cdse_pair):
    g, r = cdse_pair
    a = primaries(film(g, r, green_concentration_M=1e-3, red_concentration_M=1e-4))
    b = primaries(film(g, r, green_concentration_M=1e-3, red_concentration_M=1e-4,
                       n_slices=400))
    for p, q in zip(a, b, strict=True):
        assert abs(p["x"] - q["x"]) < 1e-3 and abs(p["y"] - q["y"]) < 1e-3


def test_no_primary_without_light(cdse_pair):
    g, r = cdse_pair
    with pytest.raises(QdlabInputError, match="red primary is undefined"):
        primaries(film(g, r, green_concentration_M=1e-3, red_concentration_M=0.0))


# ------------------------------------------------------------------ dots
def test_picked_dots_hit_the_target(cdse_pair):
    g, r = cdse_pair
    assert abs(g.pl_peak_nm - 530) <= PEAK_TOLERANCE_NM
    assert abs(r.pl_peak_nm - 630) <= PEAK_TOLERANCE_NM
    assert g.core_diameter_nm < r.core_diameter_nm


def test_rohs_picks_inp_and_refuses_cadmium():
    assert parse_dot_spec("630", rohs=True).materials == ("InP",)
    with pytest.raises(QdlabInputError, match="cadmium"):
        parse_dot_spec("CdSe/ZnS:4.4,1.0", rohs=True)


@pytest.mark.parametrize("bad", ["CdSe/ZnS:4.4", "CdSe", "12x", "900", "CdSe/ZnS:4,0.01"])
def test_bad_dot_specs(bad):
    with pytest.raises(QdlabInputError):
        parse_dot_spec(bad)


def test_fwhm_sets_the_dispersion():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = pick_dots("620", fwhm_nm=32.0)
    assert abs(p.pl_fwhm_nm - 32.0) <= 1.0 and abs(p.pl_peak_nm - 620) <= PEAK_TOLERANCE_NM
    with pytest.raises(QdlabInputError, match="fwhm_nm must be >="):
        pick_dots("620", fwhm_nm=6.0)


# ------------------------------------------------------------------ QLED
def test_outcoupling_limits():
    # 1/(2 n^2) is the large-n limit of the escape cone; in-plane dipoles gain 3/2
    assert outcoupling(3.5, "ray-optics") == pytest.approx(outcoupling(3.5), rel=0.03)
    assert outcoupling(3.5, "horizontal") / outcoupling(3.5) == pytest.approx(1.5, rel=0.03)
    assert outcoupling(1.0) == pytest.approx(1.0)
    assert outcoupling(1.0, "horizontal") == pytest.approx(1.0)


def test_published_qled_eqe_is_below_the_ray_optics_limit():
    # Dai 2014 (20.5 %) cannot exceed perfect balance and QY with the escape cone of glass
    upper = external_quantum_efficiency(1.0, 1.0, outcoupling(1.5, "horizontal"))
    assert DAI2014_EQE <= upper


@pytest.mark.xfail(strict=False, reason="isotropic ray optics in an n = 1.8 QD/ZnO layer "
                   "(0.169) with QY 0.9 gives 15 %: thin-film (microcavity) outcoupling "
                   "is not modelled")
def test_qled_eqe_matches_dai_2014():
    eqe = external_quantum_efficiency(1.0, 0.9, outcoupling(1.8))
    assert eqe == pytest.approx(DAI2014_EQE, rel=0.10)


def test_qcse_constant_matches_dalgarno_lewis():
    from scipy.integrate import solve_bvp, trapezoid

    def u0(r):
        return np.sqrt(2) * np.sin(np.pi * r) / r

    def f(r, y):
        g, gp = y
        return np.vstack([gp, -2 * gp / r + 2 * g / r**2 - np.pi**2 * g + r * u0(r)])

    r = np.linspace(1e-4, 1, 2001)
    sol = solve_bvp(f, lambda a, b: np.array([a[0], b[0]]), r, np.zeros((2, r.size)),
                    tol=1e-8, max_nodes=100_000)
    e2 = trapezoid(u0(r) * sol.sol(r)[0] * r**3, r) / 3
    assert qcse_constant() == pytest.approx(-3 * e2, rel=1e-4)


def test_stark_shift_scaling():
    a = stark_shift_eV("CdSe", 2.0, 0.5)
    assert a < 0
    assert stark_shift_eV("CdSe", 2.0, 1.0) == pytest.approx(4 * a, rel=1e-12)
    assert stark_shift_eV("CdSe", 4.0, 0.5) == pytest.approx(16 * a, rel=1e-12)


# ------------------------------------------------------------------ CLI and API
def test_cli_json_and_errors(tmp_path):
    from typer.testing import CliRunner

    from qdlab.cli.main import app

    runner = CliRunner()
    res = runner.invoke(app, ["device", "display", "--red", "CdSe:4.4", "--green", "CdSe:2.7",
                              "--green-concentration", "1e-3", "--red-concentration", "1e-4",
                              "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out["gamut_coverage"]) == {"sRGB", "DCI-P3", "Rec2020"}
    assert {"xy", "upvp"} <= set(out["gamut_coverage"]["Rec2020"])
    assert "blue_leakage" in out["film"] and "white_point" in out
    for args, msg in ((["--layout", "stacked"], "--layout"),
                      (["--green-concentration", "1e-3"], "give both"),
                      (["--plot", str(tmp_path / "g.jpg")], ".png")):
        res = runner.invoke(app, ["device", "display", "--red", "630", "--green", "530",
                                  *args])
        assert res.exit_code == 2 and msg in res.output, res.output
    assert not list(tmp_path.iterdir())


def test_api_display():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from qdlab.web.app import create_app

    with TestClient(create_app()) as c:
        ok = c.post("/api/device/display", json={
            "red": "CdSe:4.4", "green": "CdSe:2.7", "green_concentration_M": 1e-3,
            "red_concentration_M": 1e-4})
        assert ok.status_code == 200, ok.text
        assert set(ok.json()["gamut_coverage"]) == {"sRGB", "DCI-P3", "Rec2020"}
        for body in ({"red": "630"}, {"red": "630", "green": "530", "blue_led_nm": 600},
                     {"red": "630", "green": "530", "red_concentration_M": 1e-4},
                     {"red": "CdSe:4", "green": "530", "rohs": True}):
            bad = c.post("/api/device/display", json=body)
            assert bad.status_code == 422 and bad.json()["detail"]
