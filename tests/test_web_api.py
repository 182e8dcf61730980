"""REST API tests (FastAPI TestClient): every endpoint, the limits and the error messages.

The API only calls the library, so the expected numbers are the library's own
results for the same input (exact equality: the same calls are made).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")
pytest.importorskip("multipart", reason="the web extra (python-multipart) is not installed")

from fastapi.testclient import TestClient  # noqa: E402

import qdlab  # noqa: E402
from qdlab.web import create_app  # noqa: E402
from qdlab.web.models import LIMITS  # noqa: E402

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def test_health(client):
    r = client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["version"] == qdlab.__version__
    assert body["limits"]["upload_max_bytes"] == 10_000_000
    assert set(body["features"]) == {"spectrum", "fit", "synthesis", "shapes"}


def test_security_headers_and_no_cors(client):
    r = client.get("/api/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in r.headers["content-security-policy"]
    pre = client.options("/api/levels", headers={"Origin": "http://evil.example",
                                                 "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in pre.headers


def test_materials(client):
    rows = client.get("/api/materials").json()
    assert len(rows) == len(qdlab.list_materials())
    cdse = next(r for r in rows if r["key"] == qdlab.get_material("CdSe").key)
    assert cdse["band_gap_300K_eV"] == pytest.approx(float(qdlab.get_material("CdSe").band_gap(300.0)))
    one = client.get("/api/materials/CdSe").json()
    assert one["name"] == "CdSe"
    assert any(v["field"].startswith("band_gap") and v["source"] for v in one["values"])


def test_unknown_material_404_with_message(client):
    r = client.get("/api/materials/Unobtainium")
    assert r.status_code == 404
    assert "Unobtainium" in r.json()["detail"]


def test_levels_sphere_matches_library_and_cli_fields(client):
    # the default model is the same as `qdlab levels` and levels_report (single band)
    from qdlab.electronic.report import levels_report

    r = client.post("/api/levels", json={"material": "CdSe", "diameter": 4})
    assert r.status_code == 200
    body = r.json()
    ref = levels_report(qdlab.Sphere("CdSe", 4.0))
    assert body["model"] == ref["model"] == "single-band"
    for key in ref:                         # the `qdlab levels --json` fields, unchanged
        assert key in body
    assert body["first_exciton_nm"] == pytest.approx(ref["first_exciton_nm"], rel=1e-12)
    assert body["colour_hex"].startswith("#") and len(body["colour_hex"]) == 7
    assert body["warnings"] == []
    assert "profiles" not in body
    # the single-band model on request: the radial solver's numbers
    r = client.post("/api/levels", json={"material": "CdSe", "diameter": 4,
                                         "model": "single-band"})
    assert r.status_code == 200
    body = r.json()
    ref = qdlab.solve(qdlab.Sphere("CdSe", 4.0)).to_dict()
    assert body["model"] == "single-band"
    for key in ref:
        assert key in body
    assert body["first_exciton_nm"] == pytest.approx(ref["first_exciton_nm"], rel=1e-12)
    assert body["colour_hex"].startswith("#") and len(body["colour_hex"]) == 7
    assert body["warnings"] == []
    assert "profiles" not in body


def test_levels_core_shell_and_profiles(client):
    r = client.post("/api/levels", json={"material": "CdSe/ZnS", "core_diameter": 3,
                                         "shells": [1.0], "include_profiles": True})
    assert r.status_code == 200
    body = r.json()
    ref = qdlab.solve(qdlab.CoreShell("CdSe", 3.0, shells=[("ZnS", 1.0)]))
    assert body["first_exciton_eV"] == pytest.approx(ref.first_exciton_eV, rel=1e-12)
    assert body["radii_nm"] == [1.5, 2.5]
    prof = body["profiles"]
    assert len(prof["r_nm"]) == len(prof["electron_wavefunction"]) <= 201
    assert [lay["outer_radius_nm"] for lay in prof["layers"]] == [1.5, 2.5]
    zns = qdlab.get_material("ZnS")
    assert prof["layers"][1]["conduction_band_edge_eV"] == pytest.approx(zns.conduction_band_edge(300.0))


def test_levels_larger_dot_is_redder(client):
    small = client.post("/api/levels", json={"material": "CdSe", "diameter": 3}).json()
    large = client.post("/api/levels", json={"material": "CdSe", "diameter": 6}).json()
    assert large["first_exciton_nm"] > small["first_exciton_nm"]


@pytest.mark.parametrize("body, fragment", [
    ({"material": "CdSe", "diameter": -1}, "diameter"),
    ({"material": "CdSe"}, "exactly one of diameter"),
    ({"material": "CdSe", "diameter": 4, "core_diameter": 3}, "exactly one of diameter"),
    ({"material": "Nope", "diameter": 4}, "unknown material 'Nope'"),
    ({"material": "CdSe/ZnS", "core_diameter": 3}, "shell"),
    ({"material": "CdSe", "diameter": 4, "shells": [1.0]}, "core_diameter"),
    ({"material": "CdSe", "diameter": 4, "shells": [1, 1, 1, 1, 1]}, "shells"),
    ({"material": "CdSe", "diameter": 4, "l_max": 99}, "l_max"),
    ({"material": "CdSe", "diameter": 4, "surprise": 1}, "surprise"),
    ({"material": "../../etc/passwd", "diameter": 4}, "material"),
])
def test_levels_bad_input_422_with_message(client, body, fragment):
    r = client.post("/api/levels", json=body)
    assert r.status_code == 422
    assert fragment in r.json()["detail"]


def test_levels_validity_warning_is_returned(client):
    body = client.post("/api/levels", json={"material": "CdSe", "diameter": 0.8}).json()
    assert any("below 1 nm" in w for w in body["warnings"])
    # and again: warnings are not shown only once per process
    again = client.post("/api/levels", json={"material": "CdSe", "diameter": 0.8}).json()
    assert again["warnings"] == body["warnings"]


def test_levels_malformed_json(client):
    r = client.post("/api/levels", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"]


def test_spectrum(client):
    if not client.get("/api/health").json()["features"]["spectrum"]:
        r = client.post("/api/spectrum", json={"material": "CdSe", "mean_diameter_nm": 4})
        assert r.status_code == 501 and r.json()["detail"]
        return
    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    r = client.post("/api/spectrum", json={"material": "CdSe", "mean_diameter_nm": 4,
                                           "dispersion_pct": 5, "n_points": 101,
                                           "concentration_M": 1e-6})
    assert r.status_code == 200
    body = r.json()
    assert len(body["wavelength_nm"]) == len(body["emission_per_nm"]) == 101
    ens = Ensemble("CdSe", SizeDistribution.normal(4.0, 5.0))
    assert body["first_peak_nm"] == pytest.approx(ens.first_peak_nm(), rel=1e-9)
    assert body["emission_peak_nm"] == pytest.approx(ens.emission_peak_nm(), rel=1e-9)
    assert body["absorbance"][0] == pytest.approx(body["molar_extinction_M-1cm-1"][0] * 1e-6)
    assert body["emission_colour"]["srgb_hex"].startswith("#")


def test_spectrum_limits(client):
    r = client.post("/api/spectrum", json={"material": "CdSe", "mean_diameter_nm": 4,
                                           "n_points": 10**6})
    assert r.status_code == 422 and "n_points" in r.json()["detail"]
    r = client.post("/api/spectrum", json={"material": "CdSe", "mean_diameter_nm": 4,
                                           "wavelength_min_nm": 700, "wavelength_max_nm": 400})
    assert r.status_code == 422 and "wavelength_max_nm" in r.json()["detail"]


def test_size_matches_library(client):
    from qdlab.sizing import size_from_peak

    body = client.post("/api/size", json={"material": "CdSe", "peak_nm": 560,
                                          "absorbance": 0.5}).json()
    ref = size_from_peak("CdSe", 560.0, absorbance=0.5)
    assert body["diameter_nm"] == pytest.approx(ref.diameter_nm, rel=1e-12)
    assert body["methods"][-1]["name"] == "qdlab effective-mass model"


def test_colour(client):
    from qdlab.optics.colour import emission_colour, gaussian_line

    body = client.post("/api/colour", json={"centre_nm": 530, "fwhm_nm": 30}).json()
    ref = emission_colour(*gaussian_line(530, 30))
    assert body["srgb_hex"] == ref.srgb_hex
    assert body["x"] == pytest.approx(ref.x, rel=1e-12)
    g = client.post("/api/colour", json={"centre_nm": 530, "primaries": [
        {"centre_nm": 460}, {"centre_nm": 530}, {"centre_nm": 630}]}).json()["gamut"]
    assert 0.0 < g["Rec.2020"]["coverage_xy"] <= 1.0 + 1e-9
    r = client.post("/api/colour", json={"centre_nm": 530, "wavelength_nm": [1, 2, 3],
                                         "intensity": [1, 2, 3]})
    assert r.status_code == 422 and "exactly one" in r.json()["detail"]


def test_fit_upload(client):
    if not client.get("/api/health").json()["features"]["fit"]:
        pytest.skip("qdlab.sizing.fit is not available")
    from qdlab.optics.spectrum_io import read_spectra
    from qdlab.sizing.fit import fit_spectra

    raw = (DATA / "run6_absorbance.csv").read_bytes()
    r = client.post("/api/fit", files={"file": ("run6.csv", raw, "text/csv")},
                    data={"material": "CdSe", "column": "600 s"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["n_spectra"] == 1
    res = body["results"][0]
    spec = [s for s in read_spectra(raw) if s.label.strip() == "600 s"]
    ref = fit_spectra(spec, "CdSe")[0]
    assert res["diameter_nm"] == pytest.approx(ref.diameter_nm, rel=1e-9)
    assert res["peak_nm"] == pytest.approx(ref.peak_nm, rel=1e-9)
    assert 1.5 < res["diameter_nm"] < 6.0
    assert len(res["plot"]["wavelength_nm"]) == len(res["plot"]["model_absorbance"]) <= 400


def test_fit_errors(client):
    raw = (DATA / "run6_absorbance.csv").read_bytes()
    r = client.post("/api/fit", files={"file": ("x.csv", raw, "text/csv")},
                    data={"column": "no such column"})
    assert r.status_code == 422 and "no such column" in r.json()["detail"]
    r = client.post("/api/fit", files={"file": ("x.csv", b"", "text/csv")})
    assert r.status_code == 422 and "empty" in r.json()["detail"]
    r = client.post("/api/fit", files={"file": ("x.csv", b"hello\nworld\n", "text/csv")})
    assert r.status_code == 422 and r.json()["detail"]
    r = client.post("/api/fit", data={"material": "CdSe"})
    assert r.status_code == 422 and "file" in r.json()["detail"]


def test_fit_too_many_spectra_413_before_work(client):
    header = "nm," + ",".join(f"s{i}" for i in range(LIMITS["fit_max_spectra"] + 1))
    rows = [f"{400 + i}," + ",".join("0.1" for _ in range(LIMITS["fit_max_spectra"] + 1))
            for i in range(50)]
    t = time.perf_counter()
    r = client.post("/api/fit", files={"file": ("m.csv", "\n".join([header, *rows]).encode())})
    assert r.status_code == 413
    assert "spectra" in r.json()["detail"]
    assert time.perf_counter() - t < 10   # refused before fitting (25 fits would take much longer)


def test_upload_limit_413(client):
    big = b"0" * (LIMITS["upload_max_bytes"] + 10)
    r = client.post("/api/fit", files={"file": ("big.csv", big, "text/csv")})
    assert r.status_code == 413
    assert "10 MB" in r.json()["detail"]


def test_body_limit_streamed_without_length():
    from qdlab.web.app import BodyLimit

    sent = []

    async def app(scope, receive, send):
        while (await receive()).get("more_body"):
            pass
        raise AssertionError("the app must not finish reading an oversized body")

    chunks = [{"type": "http.request", "body": b"x" * 600, "more_body": True}] * 3

    async def receive():
        return chunks.pop(0)

    async def send(msg):
        sent.append(msg)

    import asyncio

    asyncio.run(BodyLimit(app, 1000)({"type": "http", "headers": []}, receive, send))
    assert sent[0]["status"] == 413
    assert b"1000 bytes" in sent[1]["body"]


def _wait(client, job_id, timeout=60.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        j = client.get(f"/api/synth/{job_id}").json()
        if j["status"] not in ("queued", "running"):
            return j
        time.sleep(0.1)
    raise AssertionError("synthesis job did not finish")


def test_synth_job_matches_library(client):
    if not client.get("/api/health").json()["features"]["synthesis"]:
        pytest.skip("qdlab.synthesis is not available")
    from qdlab.synthesis import example_recipe, run_recipe

    r = client.post("/api/synth", json={"example": "cdse", "duration_s": 60})
    assert r.status_code == 202
    assert r.headers["location"] == f"/api/synth/{r.json()['id']}"
    j = _wait(client, r.json()["id"])
    assert j["status"] == "done", j
    ref = run_recipe(example_recipe("cdse").with_updates(duration_s=60.0)).final_summary()
    assert j["result"]["summary"]["mean_diameter_nm"] == pytest.approx(ref["mean_diameter_nm"],
                                                                       rel=1e-12)
    snaps = j["result"]["snapshots"]
    assert len(snaps["number_mol_L"]) == len(snaps["time_s"]) == len(snaps["colour_hex"])
    # the event stream ends with the same result
    with client.stream("GET", f"/api/synth/{j['id']}/events") as s:
        lines = [ln for ln in s.iter_lines() if ln]
    assert lines[-2] == "event: end" and '"status": "done"' in lines[-1]


def test_synth_cancel(client):
    r = client.post("/api/synth", json={"example": "cdse", "duration_s": 7200})
    assert r.status_code == 202
    jid = r.json()["id"]
    assert client.delete(f"/api/synth/{jid}").status_code == 200
    j = _wait(client, jid)
    assert j["status"] == "cancelled" and "cancelled" in j["message"]


@pytest.mark.parametrize("body, status, fragment", [
    ({"example": "cdse", "overrides": {"numerics__max_steps": 10**7}}, 413, "max_steps"),
    ({"example": "cdse", "overrides": {"numerics__n_snapshots": 1000,
                                       "numerics__histogram_bins": 1000}}, 413, "histogram"),
    ({"example": "cdse", "duration_s": 10**6}, 422, "duration_s"),
    ({"example": "nope"}, 422, "unknown example recipe"),
    ({"recipe": {"material": "CdSe"}}, 422, "missing"),
    ({"example": "cdse", "overrides": {"growth__colour": 1}}, 422, "colour"),
])
def test_synth_refused_before_work(client, body, status, fragment):
    r = client.post("/api/synth", json=body)
    assert r.status_code == status
    assert fragment in r.json()["detail"]


def test_synth_unknown_job(client):
    r = client.get("/api/synth/doesnotexist")
    assert r.status_code == 404 and r.json()["detail"]


def test_validate(client):
    from qdlab.validation import validate_first_exciton

    rows = client.get("/api/validate").json()
    ref = validate_first_exciton()
    assert [r["material"] for r in rows] == [r["material"] for r in ref]
    assert rows[0]["rms_eV"] == pytest.approx(ref[0]["rms_eV"], rel=1e-12)


def test_shape_over_budget_413(client):
    r = client.post("/api/levels", json={"material": "CdSe", "shape": {
        "kind": "rod", "length_nm": 40, "diameter_nm": 5}})
    assert r.status_code in (413, 501)
    assert r.json()["detail"]
    r = client.post("/api/levels", json={"material": "CdSe", "shape": {"kind": "rod"}})
    assert r.status_code in (422, 501) and r.json()["detail"]


def test_timeout_504_and_busy_503():
    import threading

    from qdlab.web import app as web_app

    gate = threading.Event()
    original = web_app.do_size

    def slow(req):
        gate.wait(5)
        return original(req)

    web_app.do_size = slow
    try:
        with TestClient(create_app(compute_slots=1, timeout_s={"default": 0.3})) as c:
            r = c.post("/api/size", json={"material": "CdSe", "peak_nm": 560})
            assert r.status_code == 504 and "limit" in r.json()["detail"]
            r = c.post("/api/size", json={"material": "CdSe", "peak_nm": 560})
            assert r.status_code == 503 and "busy" in r.json()["detail"]
            gate.set()
    finally:
        web_app.do_size = original
        gate.set()


def test_page_and_static_files(client):
    r = client.get("/")
    assert r.status_code == 200 and "qdlab explorer" in r.text
    assert "http://" not in r.text and "https://" not in r.text    # no CDN
    js = client.get("/static/uPlot.iife.min.js")
    assert js.status_code == 200 and "uPlot" in js.text[:200]
    assert client.get("/static/LICENSE.uPlot.txt").status_code == 200
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/docs").status_code == 404        # the docs page needs a CDN
    assert client.get("/openapi.json").json()["info"]["title"] == "qdlab"


def test_serve_command_help():
    from typer.testing import CliRunner

    from qdlab.cli.main import app

    res = CliRunner().invoke(app, ["serve", "--help"])
    assert res.exit_code == 0
    assert "127.0.0.1" in res.output


# ------------------------------------------------------------------ shapes: |psi|^2 maps
ROD = {"kind": "rod", "length_nm": 5.0, "diameter_nm": 2.5}   # 5400 grid unknowns, ~3 s


def test_levels_rod_with_wavefunction_slice(client):
    from qdlab.electronic.report import levels_report
    from qdlab.structures.shapes import Rod

    r = client.post("/api/levels", json={"material": "CdSe", "shape": ROD,
                                         "include_profiles": True})
    assert r.status_code == 200, r.text
    body = r.json()
    ref = levels_report(Rod("CdSe", 5.0, 2.5))
    # the same numbers as the library's report (the grid solver repeats to ~1e-5 eV)
    assert set(ref) | {"colour_hex", "warnings", "wavefunction_slice", "resolution"} == set(body)
    assert body["first_exciton_eV"] == pytest.approx(ref["first_exciton_eV"], abs=1e-4)
    # no resolution_nm: the library default h = min(0.15, min_feature / 16), counted exactly
    res = body["resolution"]
    assert res["spacing_nm"] == res["default_spacing_nm"] == body["grid_spacing_nm"] == 0.15
    assert res["cells"] == body["grid_unknowns"] == 5400 and res["fits"]
    assert "h = 0.15 nm" in res["note"] and "coarser" not in res["note"]
    for key in ("electron_levels", "hole_levels"):
        assert [lv["parity"] for lv in body[key]] == [lv["parity"] for lv in ref[key]]
        assert [lv["energy_eV"] for lv in body[key]] == pytest.approx(
            [lv["energy_eV"] for lv in ref[key]], abs=1e-4)
    pa, pa_ref = body["polarisation_anisotropy"], ref["polarisation_anisotropy"]
    assert pa["absorption"] == pytest.approx(pa_ref["absorption"], abs=1e-3)
    assert pa["emission"] == pytest.approx(pa_ref["emission"], abs=1e-3)
    assert 0.5 < pa["absorption"] < 1.0          # a rod absorbs along its axis
    assert body["colour_hex"].startswith("#")

    sl = body["wavefunction_slice"]
    x, z = np.array(sl["x_nm"]), np.array(sl["z_nm"])
    side = LIMITS["shape_slice_max_side"]
    assert 1 < len(x) <= side and 1 < len(z) <= side
    assert x == pytest.approx(-x[::-1]) and z == pytest.approx(-z[::-1])   # centred grid
    assert z[-1] > 2.5 and x[-1] > 1.25          # the map covers the rod and some medium
    for name in ("electron", "hole"):
        d = np.array(sl[f"{name}_density"])
        assert d.shape == (len(x), len(z))
        assert d.max() == 1.0 and d.min() >= 0.0
        assert d == pytest.approx(d[::-1, ::-1], abs=2e-3)   # mirror symmetric ground state
        i, j = np.unravel_index(np.argmax(d), d.shape)
        assert abs(x[i]) < 0.2 and abs(z[j]) < 0.2              # peaked at the centre
        assert sl[f"{name}_peak_nm-3"] > 0.0
    inside = np.array(sl["inside"])
    assert inside[len(x) // 2, len(z) // 2] == 1 and inside[0, 0] == 0
    # the rod's outline: inside cells span about its length (5 nm) along z, 2.5 nm along x
    dz, dx = z[1] - z[0], x[1] - x[0]
    assert inside[len(x) // 2].sum() * dz == pytest.approx(5.0, abs=2 * dz)
    assert inside[:, len(z) // 2].sum() * dx == pytest.approx(2.5, abs=2 * dx)


def test_levels_platelet_has_anisotropy_and_no_slice(client):
    from qdlab.electronic.anisotropy.platelets import platelet_band_edge
    from qdlab.structures.shapes import Platelet

    body = client.post("/api/levels", json={
        "material": "CdSe", "include_profiles": True,
        "shape": {"kind": "platelet", "monolayers": 4, "lateral_size_nm": 10}}).json()
    ref = platelet_band_edge(Platelet("CdSe", 4, 10.0)).as_dict()
    assert body["first_exciton_nm"] == pytest.approx(ref["wavelength_nm"], rel=1e-12)
    assert body["polarisation_anisotropy"]["absorption"] < -0.9   # in-plane dipoles
    assert "wavefunction_slice" not in body      # no grid states: the platelet model is 1D
    assert body["model"] == "kp"                 # the multiband well is the default


def test_levels_platelet_model_is_never_ignored(client):
    def post(model):
        return client.post("/api/levels", json={
            "material": "CdSe", "model": model,
            "shape": {"kind": "platelet", "monolayers": 4, "lateral_size_nm": 10}})

    auto, kp, sb = (post(m).json() for m in ("auto", "kp", "single-band"))
    assert (auto["model"], kp["model"], sb["model"]) == ("kp", "kp", "single-band")
    assert kp["first_exciton_eV"] == auto["first_exciton_eV"]
    assert sb["first_exciton_eV"] > auto["first_exciton_eV"] + 0.01
    res = client.post("/api/levels", json={
        "material": "CdS", "model": "kp",
        "shape": {"kind": "platelet", "monolayers": 4, "lateral_size_nm": 10}})
    assert res.status_code == 422 and "zinc-blende record" in res.text


def test_mid_plane_slice_block_averages():
    from types import SimpleNamespace

    from qdlab.web._compute import mid_plane_slice

    n = 130                                        # > 64: block averages of 2-3 cells
    c = (np.arange(n) - (n - 1) / 2) * 0.1          # symmetric, no node at 0
    X, Y, Z = np.meshgrid(c, c, c, indexing="ij")
    psi_e = np.exp(-(X ** 2 + Y ** 2 + (Z - 1.0) ** 2))
    psi_h = np.exp(-(X ** 2 + Y ** 2 + Z ** 2) / 4.0)
    regions = (X ** 2 + Y ** 2 + Z ** 2 > 9.0).astype(np.int16)   # region 0 inside r = 3
    e = SimpleNamespace(x_nm=c, y_nm=c, z_nm=c, wavefunctions=psi_e[None],
                        region_index=regions, structure=SimpleNamespace(regions=[0]))
    h = SimpleNamespace(**{**vars(e), "wavefunctions": psi_h[None]})
    sl = mid_plane_slice(e, h, max_side=64)
    assert sl["plane"] == "y = 0 nm"
    assert len(sl["x_nm"]) == len(sl["z_nm"]) == 64
    # the two planes y = +-0.05 nm are averaged, then blocks along x and z
    plane = 0.5 * (psi_e[:, 64, :] ** 2 + psi_e[:, 65, :] ** 2)
    starts = np.unique(np.linspace(0, n, 65).astype(int)[:-1])
    ends = np.append(starts[1:], n)
    expect = np.array([[plane[a:b, p:q].mean() for p, q in zip(starts, ends, strict=True)]
                       for a, b in zip(starts, ends, strict=True)])
    assert sl["electron_peak_nm-3"] == pytest.approx(expect.max(), rel=1e-12)
    assert np.array(sl["electron_density"]) == pytest.approx(expect / expect.max(), abs=5e-4)
    assert sl["x_nm"][0] == pytest.approx(c[starts[0]:ends[0]].mean(), abs=1e-4)
    # electron centred at z = 1 nm, hole at 0
    j = np.argmax(np.array(sl["electron_density"]).max(axis=0))
    assert sl["z_nm"][j] == pytest.approx(1.0, abs=0.15)
    inside = np.array(sl["inside"])
    assert inside[32, 32] == 1 and inside[0, 0] == 0 and inside[32, 0] == 0
    with pytest.raises(ValueError, match="same grid"):
        mid_plane_slice(e, SimpleNamespace(**{**vars(e), "wavefunctions": psi_h[None, :-1]}))



# ------------------------------------------------------------------ tetrapods, dot-in-rods, dimers
def _report(structure, **kw):
    """The library's report, with one BLAS thread as the server computes it (on a loaded
    2-core machine two OpenBLAS threads made small dense solves ~20x slower)."""
    from qdlab.electronic.grid import _single_thread_blas
    from qdlab.electronic.report import levels_report

    with _single_thread_blas():
        return levels_report(structure, **kw)


def _tetrapod():
    from qdlab.structures.shapes import Tetrapod
    return Tetrapod("CdSe", 3.0, 3.0, 2.0)


def _tetrapod_two():
    from qdlab.structures.shapes import Tetrapod
    return Tetrapod("CdSe-zb", 2.5, 2.0, 1.8, arm_material="CdSe-wz")


def _dot_in_rod():
    from qdlab.structures.shapes import DotInRod
    return DotInRod("CdSe", 3.0, "CdS", 8.0, 4.0, core_position=1.0)


def _dimer_neck():
    from qdlab.structures import Sphere
    from qdlab.structures.shapes import Dimer
    a = Sphere("CdSe", 3.0)
    return Dimer(a, a, gap_nm=0.0, neck_diameter_nm=1.5)


def _dimer_hetero():
    from qdlab.structures import Sphere
    from qdlab.structures.shapes import Dimer
    return Dimer(Sphere("CdSe", 3.0), Sphere("CdSe", 3.5), gap_nm=0.5)


# small, coarse shapes (each < 1 s); the structure the API must build for each request
NEW_SHAPES = {
    "tetrapod": ("CdSe", {"kind": "tetrapod", "core_diameter_nm": 3.0, "arm_length_nm": 3.0,
                          "arm_diameter_nm": 2.0, "resolution_nm": 0.4}, _tetrapod),
    "tetrapod-zb-wz": ("CdSe-zb/CdSe-wz", {"kind": "tetrapod", "core_diameter_nm": 2.5,
                                           "arm_length_nm": 2.0, "arm_diameter_nm": 1.8,
                                           "resolution_nm": 0.4}, _tetrapod_two),
    "dot-in-rod": ("CdSe/CdS", {"kind": "dot-in-rod", "core_diameter_nm": 3.0, "length_nm": 8.0,
                                "diameter_nm": 4.0, "core_position_nm": 1.0,
                                "resolution_nm": 0.3}, _dot_in_rod),
    "dimer-neck": ("CdSe", {"kind": "dimer", "diameter_a_nm": 3.0, "neck_diameter_nm": 1.5,
                            "resolution_nm": 0.3}, _dimer_neck),
    "dimer-hetero": ("CdSe", {"kind": "dimer", "diameter_a_nm": 3.0, "diameter_b_nm": 3.5,
                              "gap_nm": 0.5, "resolution_nm": 0.3}, _dimer_hetero),
}


@pytest.mark.parametrize("name", list(NEW_SHAPES))
def test_levels_new_shapes_match_library(client, name):
    material, shape, build = NEW_SHAPES[name]
    h = shape["resolution_nm"]
    r = client.post("/api/levels", json={"material": material, "shape": shape,
                                         "include_profiles": True})
    assert r.status_code == 200, r.text
    body = r.json()
    ref = _report(build(), resolution_nm=h)
    assert set(ref) | {"colour_hex", "warnings", "wavefunction_slice", "resolution"} == set(body)
    assert body["structure"] == ref["structure"] and body["shape"] == ref["shape"]
    # the same calls: equal up to the solver's run-to-run noise (< 1e-6 eV)
    for key in ("first_exciton_eV", "single_particle_gap_eV", "coulomb_eV", "overlap"):
        assert body[key] == pytest.approx(ref[key], abs=1e-6), key
    assert body["first_exciton_nm"] == pytest.approx(ref["first_exciton_nm"], abs=1e-3)
    for key in ("electron_levels", "hole_levels"):
        assert [lv["parity"] for lv in body[key]] == [lv["parity"] for lv in ref[key]]
        assert [lv["energy_eV"] for lv in body[key]] == pytest.approx(
            [lv["energy_eV"] for lv in ref[key]], abs=1e-6)
    # the grid used is the one requested, and the budget counted exactly its cells
    res = body["resolution"]
    assert body["grid_spacing_nm"] == res["spacing_nm"] == h
    assert res["cells"] == body["grid_unknowns"] <= LIMITS["shape_max_grid_cells"]
    assert res["spacing_nm"] > res["default_spacing_nm"] and "coarser" in res["note"]
    assert f"h = {h:g} nm" in res["note"]
    if "dimer" in ref:
        d, dr = body["dimer"], ref["dimer"]
        assert d["resolution_nm"] == dr["resolution_nm"] == h
        for carrier in ("electron", "hole"):
            for k in ("monomer_eV", "bonding_eV", "antibonding_eV", "splitting_eV"):
                assert d[carrier][k] == pytest.approx(dr[carrier][k], abs=1e-6), (carrier, k)
        assert d["shift_single_particle_eV"] == pytest.approx(dr["shift_single_particle_eV"],
                                                              abs=1e-6)
        assert d["electron"]["splitting_eV"] > 0
    else:
        assert "dimer" not in body
    if "polarisation_anisotropy" in ref:
        pa, pr = body["polarisation_anisotropy"], ref["polarisation_anisotropy"]
        assert pa["absorption"] == pytest.approx(pr["absorption"], abs=1e-6)
        assert pa["emission"] == pytest.approx(pr["emission"], abs=1e-6)
    assert ("polarisation_anisotropy" in body) == (name == "dot-in-rod")
    sl = body["wavefunction_slice"]         # states on the grid: mid-plane maps
    for carrier in ("electron", "hole"):
        dens = np.array(sl[f"{carrier}_density"])
        assert dens.shape == (len(sl["x_nm"]), len(sl["z_nm"])) and dens.max() == 1.0
    inside = np.array(sl["inside"])
    assert inside.sum() > 0
    if name.startswith("tetrapod"):       # the diagonal plane x = y holds two arms
        assert sl["plane"] == "x = y" and "[110]" in sl["rows"]
        i, j = np.nonzero(inside)
        reach = np.hypot(np.array(sl["x_nm"])[i], np.array(sl["z_nm"])[j]).max()
        tip = shape["core_diameter_nm"] / 2 + shape["arm_length_nm"]   # centre to arm tip
        assert 0.8 * tip < reach < tip + h
    else:
        assert sl["plane"].startswith("y = ")


def test_levels_dimer_default_spacing_counts_the_finest_grid(client):
    """No resolution_nm: a dimer's levels use h = min(0.15, min_feature/16) (gap/16 here),
    finer than the splitting's min(0.25, min_feature/6): the budget counts the finer grid."""
    from qdlab.electronic.grid import grid_unknowns as grid_cells
    from qdlab.structures import Sphere
    from qdlab.structures.shapes import Dimer

    body = client.post("/api/levels/budget", json={"material": "CdSe", "shape": {
        "kind": "dimer", "diameter_a_nm": 3.0, "gap_nm": 0.5}}).json()
    dimer = Dimer(Sphere("CdSe", 3.0), Sphere("CdSe", 3.0), gap_nm=0.5)
    assert body["default_spacing_nm"] == body["spacing_nm"] == 0.5 / 16
    assert body["cells"] == body["default_cells"] == grid_cells(dimer, 0.5 / 16)
    assert body["cells"] > grid_cells(dimer, 0.5 / 6)
    assert not body["fits"]


def test_grid_cells_equal_library_unknowns_at_default_spacing(client):
    """A dot-in-rod that fits at the library's default spacing: estimate == unknowns used."""
    r = client.post("/api/levels", json={"material": "CdSe/CdS", "shape": {
        "kind": "dot-in-rod", "core_diameter_nm": 2.4, "length_nm": 5.0, "diameter_nm": 2.6}})
    assert r.status_code == 200, r.text
    body = r.json()
    res = body["resolution"]
    assert res["spacing_nm"] == res["default_spacing_nm"] == body["grid_spacing_nm"] == 0.15
    assert res["cells"] == res["default_cells"] == body["grid_unknowns"]


@pytest.mark.parametrize("material, shape, cells, h, suggested", [
    ("CdSe", {"kind": "tetrapod", "core_diameter_nm": 3.0, "arm_length_nm": 3.0,
              "arm_diameter_nm": 2.0}, 405_224, "0.125", 0.39),
    ("CdSe", {"kind": "dimer", "diameter_a_nm": 3.0, "gap_nm": 0.5}, 870_400, "0.0312", 0.13),
    ("CdSe/CdS", {"kind": "dot-in-rod", "core_diameter_nm": 3.0, "length_nm": 20.0,
                  "diameter_nm": 5.0, "resolution_nm": 0.1}, 134_750, "0.1", 0.22),
])
def test_shape_413_names_a_spacing_that_fits(client, material, shape, cells, h, suggested):
    from qdlab.electronic.grid import grid_unknowns as grid_cells

    limit = LIMITS["shape_max_grid_cells"]
    r = client.post("/api/levels", json={"material": material, "shape": shape})
    assert r.status_code == 413
    msg = r.json()["detail"]
    assert f"needs ~{cells:,} grid cells at h = {h} nm" in msg
    assert f"allowed {limit:,}" in msg and f"try resolution_nm >= {suggested:.2f} nm" in msg
    est = client.post("/api/levels/budget", json={"material": material, "shape": shape}).json()
    assert est["cells"] == cells and not est["fits"]
    assert est["suggested_resolution_nm"] == suggested
    # the suggestion is the finest 0.01 nm step that fits
    fine = client.post("/api/levels/budget", json={"material": material, "shape": {
        **shape, "resolution_nm": suggested - 0.01}}).json()
    ok = client.post("/api/levels/budget", json={"material": material, "shape": {
        **shape, "resolution_nm": suggested}}).json()
    assert not fine["fits"] and fine["cells"] > limit
    assert ok["fits"] and ok["cells"] <= limit and ok["spacing_nm"] == suggested
    from qdlab.web.app import build_shape
    from qdlab.web.models import LevelsRequest
    req = LevelsRequest(material=material, shape={**shape, "resolution_nm": suggested})
    assert ok["cells"] == grid_cells(build_shape(req), suggested)


def test_shape_413_when_no_spacing_fits(client):
    r = client.post("/api/levels", json={"material": "CdSe", "shape": {
        "kind": "tetrapod", "core_diameter_nm": 20.0, "arm_length_nm": 30.0,
        "arm_diameter_nm": 10.0, "resolution_nm": 1.0}})
    assert r.status_code == 413
    assert "no grid spacing up to 1 nm fits" in r.json()["detail"]


def test_tetrapod_at_suggested_spacing_computes(client):
    shape = {"kind": "tetrapod", "core_diameter_nm": 3.0, "arm_length_nm": 3.0,
             "arm_diameter_nm": 2.0}
    hint = client.post("/api/levels", json={"material": "CdSe", "shape": shape}).json()["detail"]
    h = float(hint.split("try resolution_nm >= ")[1].split()[0])
    body = client.post("/api/levels", json={"material": "CdSe", "shape": {
        **shape, "resolution_nm": h}}).json()
    assert body["grid_spacing_nm"] == h
    assert body["first_exciton_eV"] == pytest.approx(
        _report(_tetrapod(), resolution_nm=h)["first_exciton_eV"], abs=1e-6)


@pytest.mark.parametrize("material, shape, fragment", [
    ("CdSe", {"kind": "tetrapod", "core_diameter_nm": 3, "arm_length_nm": 3},
     "a tetrapod needs arm_diameter_nm"),
    ("CdSe/CdS", {"kind": "dot-in-rod", "length_nm": 8, "diameter_nm": 4},
     "a dot-in-rod needs core_diameter_nm"),
    ("CdSe", {"kind": "dimer", "gap_nm": 0.5}, "a dimer needs diameter_a_nm"),
    ("CdSe", {"kind": "cube", "edge_nm": 3, "gap_nm": 0.5}, "a cube does not take gap_nm"),
    ("CdSe", {"kind": "platelet", "monolayers": 4, "lateral_size_nm": 10, "resolution_nm": 0.3},
     "a platelet does not take resolution_nm"),
    ("CdSe", {"kind": "dimer", "diameter_a_nm": 3, "resolution_nm": 0.01},
     "resolution_nm"),
    ("CdSe", {"kind": "dimer", "diameter_a_nm": 3, "gap_nm": -1}, "gap_nm"),
    ("CdSe", {"kind": "tetrapod", "core_diameter_nm": 3, "arm_length_nm": 3,
              "arm_diameter_nm": 40}, "arm_diameter_nm"),
])
def test_new_shapes_validation_422(client, material, shape, fragment):
    for path in ("/api/levels", "/api/levels/budget"):
        r = client.post(path, json={"material": material, "shape": shape})
        assert r.status_code == 422, r.text
        assert fragment in r.json()["detail"]


@pytest.mark.parametrize("material, shape, fragment", [
    ("CdSe", {"kind": "dot-in-rod", "core_diameter_nm": 3, "length_nm": 8, "diameter_nm": 4,
              "resolution_nm": 0.3}, "core/rod materials"),
    ("CdSe/CdS", {"kind": "dimer", "diameter_a_nm": 3, "resolution_nm": 0.3},
     "a dimer takes a single material"),
    ("CdSe/CdS", {"kind": "dot-in-rod", "core_diameter_nm": 3, "length_nm": 8,
                  "diameter_nm": 4, "core_position_nm": 3.0, "resolution_nm": 0.3},
     "core_position"),                               # the library's geometry check
])
def test_new_shapes_library_errors_422(client, material, shape, fragment):
    r = client.post("/api/levels", json={"material": material, "shape": shape})
    assert r.status_code == 422 and fragment in r.json()["detail"], r.text


def test_budget_endpoint(client):
    r = client.post("/api/levels/budget", json={"material": "CdSe", "diameter": 4.0})
    assert r.status_code == 422 and "needs a shape" in r.json()["detail"]
    body = client.post("/api/levels/budget", json={"material": "CdSe", "shape": {
        "kind": "platelet", "monolayers": 4, "lateral_size_nm": 10}}).json()
    assert body["kind"] == "platelet" and body["grid"] is False
    body = client.post("/api/levels/budget", json={"material": "CdSe", "shape": {
        "kind": "tetrapod", "core_diameter_nm": 3.0, "arm_length_nm": 3.0,
        "arm_diameter_nm": 2.0, "resolution_nm": 0.4}}).json()
    assert body["grid"] and body["fits"] and body["cells"] == 23 ** 3
    assert body["spacing_nm"] == 0.4 and body["default_spacing_nm"] == 0.125
    assert body["allowed_cells"] == LIMITS["shape_max_grid_cells"]


def _fit_or_skip(client):
    if not client.get("/api/health").json()["features"]["fit"]:
        pytest.skip("qdlab.sizing.fit is not available")


def test_fit_returns_the_verdict_and_its_evidence(client):
    _fit_or_skip(client)
    raw = (DATA / "run6_absorbance.csv").read_bytes()
    r = client.post("/api/fit", files={"file": ("run6.csv", raw, "text/csv")},
                    data={"material": "CdSe", "column": "600 s"})
    assert r.status_code == 200, r.text
    res = r.json()["results"][0]
    assert res["quality"] in ("good", "uncertain", "no feature")
    assert isinstance(res["reasons"], list)
    assert res["quality"] != "good" or res["reasons"] == []
    assert res["chosen"]["wavelength_nm"] == pytest.approx(res["peak_nm"], abs=35.0)
    assert res["chosen"]["kind"] in ("maximum", "shoulder")
    assert "competing" in res and isinstance(res["masked"], list)
    assert all({"lo_nm", "hi_nm", "reason"} <= set(m) for m in res["masked"])
    assert res["feature"]["chosen"] == res["chosen"]


def test_fit_series_upload_one_row_per_spectrum_with_quality(client):
    _fit_or_skip(client)
    raw = (DATA / "spectra" / "imperial_ms302_cdse" / "Run 1 UV-Vis.csv").read_bytes()
    r = client.post("/api/fit", files={"file": ("run1.csv", raw, "text/csv")},
                    data={"material": "CdSe"})
    assert r.status_code == 200, r.text
    body = r.json()
    labels = [x["label"] for x in body["results"]]
    assert body["n_spectra"] == len(labels) >= 10 and len(set(labels)) == len(labels)
    assert all(x.get("quality") in ("good", "uncertain", "no feature") or x.get("error")
               for x in body["results"])
    peaks = [x["peak_nm"] for x in body["results"] if x.get("quality") == "good"]
    assert len(peaks) >= 8 and all(470 < p < 540 for p in peaks)


def test_fit_upload_of_percent_transmittance_is_converted(client):
    """%T columns are read as the CLI reads them (kind='absorption'): converted to A."""
    _fit_or_skip(client)
    import numpy as np

    from qdlab.optics.ensemble import Ensemble, SizeDistribution

    wl = np.arange(350.0, 750.0, 1.0)
    a = Ensemble("CdSe", SizeDistribution.normal(3.5, 6.0)).absorbance(wl, 2e-6)
    a = 0.5 * a / a.max()
    t_pct = 100.0 * 10.0 ** (-a)
    text = "Wavelength (nm),%T\n" + "\n".join(f"{x:.1f},{t:.5f}" for x, t in zip(wl, t_pct, strict=False))
    r = client.post("/api/fit", files={"file": ("t.csv", text.encode(), "text/csv")},
                    data={"material": "CdSe"})
    assert r.status_code == 200, r.text
    res = r.json()["results"][0]
    assert "error" not in res, res
    assert res["diameter_nm"] == pytest.approx(3.5, abs=0.2)
