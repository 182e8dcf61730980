"""The `qdlab` command: output contracts, one-line errors with exit status 2."""

import json

import pytest
from typer.testing import CliRunner

from qdlab.cli.main import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def test_levels_json_contract():
    res = run("levels", "CdSe", "--diameter", "4", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert 1.9 < out["first_exciton_eV"] < 2.4
    assert out["first_exciton_nm"] == pytest.approx(1239.84198 / out["first_exciton_eV"],
                                                    rel=1e-6)
    assert out["electron_levels"][0]["label"] == "1S"


def test_levels_layered_sphere():
    res = run("levels", "InP/ZnSe/ZnS", "--core-diameter", "3", "--shell", "1.0",
              "--shell", "0.5", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["structure"] == "InP/ZnSe/ZnS"
    assert out["radii_nm"] == pytest.approx([1.5, 2.5, 3.0])


def test_levels_table_output():
    res = run("levels", "CdSe", "--diameter", "4")
    assert res.exit_code == 0
    assert "first exciton" in res.stdout and "1S" in res.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("levels", "CdSe", "--diameter", "-1"), "diameter must be > 0 nm, got -1"),
    (("levels", "CdSe", "--diameter", "0"), "diameter must be > 0 nm"),
    (("levels", "CdSe", "--diameter", "nan"), "diameter must be > 0 nm"),
    (("levels", "CdSee", "--diameter", "3"), "did you mean CdSe"),
    (("levels", "CdSe/ZnS", "--core-diameter", "3", "--shell", "0"), "thickness must be > 0"),
    (("levels", "CdSe", "--diameter", "3", "--temperature", "0"), "temperature must be > 0 K"),
    (("levels", "CdSe"), "--diameter"),
    (("materials", "Unobtainium"), "unknown material"),
])
def test_bad_input_one_line_exit_2(args, message):
    res = run(*args)
    assert res.exit_code == 2
    assert message in res.output
    assert "Traceback" not in res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ")


def test_small_size_warns_on_stderr():
    res = run("levels", "CdSe", "--diameter", "0.9", "--json")
    assert res.exit_code == 0
    assert "below 1 nm" in res.stderr
    json.loads(res.stdout)   # stdout stays valid JSON


def test_materials_list_and_detail():
    res = run("materials")
    assert res.exit_code == 0 and "CdSe-wz" in res.stdout
    res = run("materials", "CdSe", "--json")
    assert res.exit_code == 0
    out = json.loads(res.stdout)
    fields = {v["field"] for v in out["values"]}
    assert any("mass" in f for f in fields)
    assert all(v["source"] for v in out["values"] if isinstance(v["value"], float))


def test_validate_json_rows():
    res = run("validate", "--json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    # first-exciton rows of both models (a set a model does not cover has a reason), then
    # the extinction ratios
    exc = [r for r in rows if r["quantity"] == "first_exciton"]
    assert {r["material"] for r in exc} >= {"CdSe", "CdS", "CdTe", "PbS"}
    assert {r["model"] for r in exc} == {"single-band", "kp"}
    for r in exc:
        assert set(r) >= {"material", "n", "rms_eV", "max_abs_eV", "model"}
        if r["rms_eV"] is None:
            assert r["model"] == "kp" and r["rms_eV_reason"]
            continue
        assert r["n"] > 0 and r["rms_eV"] <= r["max_abs_eV"] + 1e-12
    ext = [r for r in rows if r["quantity"] == "extinction"]
    assert {r["relation"] for r in ext} >= {"Jasieniak2009-CdSe", "Yu2003-CdSe",
                                            "Leatherdale2002-CdSe", "Moreels2009-PbS"}
    for r in ext:
        assert (r["ratios"] is None) == bool(r.get("ratio_reason"))


def test_size_json_contract():
    res = run("size", "CdSe", "--peak", "550", "--absorbance", "0.1", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert 2.5 < out["diameter_nm"] < 3.5
    names = [m["name"] for m in out["methods"]]
    assert any("Jasieniak" in n for n in names) and any("Yu" in n for n in names)
    assert any("model" in n for n in names)
    for m in out["methods"]:
        assert {"name", "diameter_nm", "extinction_M-1cm-1"} <= set(m)


def test_colour_of_a_line():
    res = run("colour", "--centre", "530", "--fwhm", "30", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["srgb_hex"].startswith("#") and 0 < out["x"] < 0.4 and out["y"] > 0.6


def test_tour_writes_png(tmp_path):
    out = tmp_path / "tour.png"
    res = run("tour", "--out", str(out))
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(out) in res.stdout.replace("\n", "")


def test_spectrum_writes_csv_and_png(tmp_path):
    csv_path, png = tmp_path / "spec.csv", tmp_path / "spec.png"
    res = run("spectrum", "CdSe", "--diameter", "4", "--dispersion", "5", "--out", str(csv_path),
              "--plot", str(png), "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert 560 < out["first_peak_nm"] < 620 and out["pl_peak_nm"] > out["first_peak_nm"]
    header = csv_path.read_text().splitlines()[0]
    assert header.startswith("wavelength_nm,") and "molar_extinction_M-1cm-1" in header
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_fit_measured_file_json():
    from pathlib import Path

    data = Path(__file__).parent / "data" / "run6_absorbance.csv"
    res = run("fit", str(data), "--material", "CdSe", "--json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) > 5
    ok = [r for r in rows if not r["error"]]
    assert all(450 < r["peak_nm"] < 600 and 1.5 < r["diameter_nm"] < 5 for r in ok)


def test_fit_garbage_file_exits_2(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("hello\nthis is not,a spectrum\n")
    res = run("fit", str(bad), "--material", "CdSe")
    assert res.exit_code == 2
    assert res.stderr.startswith("error: ")


def test_synth_example_json_and_outputs(tmp_path):
    pq, png = tmp_path / "traj.parquet", tmp_path / "evo.png"
    res = run("synth", "--example", "cdse", "--out", str(pq), "--plot", str(png), "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for key in ("mean_diameter_nm", "rsd_pct", "peak_nm", "yield_pct", "mass_balance_error"):
        assert out[key] is not None
    assert out["mass_balance_error"] < 1e-9
    assert pq.stat().st_size > 0 and png.read_bytes()[:4] == b"\x89PNG"


def test_synth_bad_recipe_writes_nothing(tmp_path):
    rec = tmp_path / "r.toml"
    rec.write_text('name = "x"\nmaterial = "CdSe"\nvolume_mL = -5\n')
    pq = tmp_path / "traj.parquet"
    res = run("synth", str(rec), "--out", str(pq))
    assert res.exit_code == 2
    assert not pq.exists() and not list(tmp_path.glob("*.part"))


def test_levels_platelet_json():
    res = run("levels", "CdSe", "--shape", "platelet", "--monolayers", "4", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert 480 < out["first_exciton_nm"] < 620
    assert "polarisation_anisotropy" in out


def test_levels_rod_grid_json():
    res = run("levels", "CdSe", "--shape", "rod", "--length", "8", "--diameter", "4",
              "--resolution", "0.35", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["solver"] == "grid" and 500 < out["first_exciton_nm"] < 700
    assert out["polarisation_anisotropy"]["total"] > 0   # polarised along the rod


def test_levels_rod_dielectric_mismatch_adds_image_terms():
    args = ("levels", "CdSe", "--shape", "rod", "--length", "6", "--diameter", "3",
            "--resolution", "0.3", "--json")
    uni = json.loads(run(*args).stdout)
    res = run(*args, "--dielectric", "mismatch")
    assert res.exit_code == 0, res.output
    mis = json.loads(res.stdout)
    assert uni["dielectric"] == "uniform" and mis["dielectric"] == "mismatch"
    # low-eps medium: the image self-energies push the gap up more than the extra
    # attraction pulls it down, as for spheres
    assert mis["polarisation_electron_eV"] > 0 and mis["polarisation_hole_eV"] > 0
    assert mis["first_exciton_eV"] > uni["first_exciton_eV"]
    assert run(*args, "--dielectric", "foo").exit_code == 2


def test_levels_shape_needs_dimensions():
    res = run("levels", "CdSe", "--shape", "rod", "--diameter", "4")
    assert res.exit_code == 2 and "needs --length" in res.stderr
    res = run("levels", "CdSe", "--shape", "pyramid", "--diameter", "4")
    assert res.exit_code == 2 and "shape must be one of" in res.stderr


def test_colour_gamut_of_three_lines():
    res = run("colour", "--gamut", "630:25", "--gamut", "530:30", "--gamut", "460:20", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["sRGB"]["coverage_xy"] > 0.95          # narrow QD lines cover sRGB
    assert out["Rec.2020"]["area_ratio_xy"] < 1.0


@pytest.mark.parametrize(("argv", "message"), [
    (["levels", "CdSe", "--diameter", "abc"], "Invalid value for '--diameter'"),
    (["size", "CdSe"], "Missing option '--peak'"),
    (["nosuchcmd"], "No such command"),
    (["levels", "CdSe", "--diameter", "4", "--bogus"], "No such option: --bogus"),
])
def test_usage_errors_are_one_line_exit_2(argv, message, capsys):
    """The console entry point turns parser errors into one line (no usage panel)."""
    from qdlab.cli.main import main

    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0]


def test_entry_point_success_returns_0(capsys):
    from qdlab.cli.main import main

    assert main(["levels", "CdSe", "--diameter", "4", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["first_exciton_nm"] > 500


def test_spectrum_default_range_holds_the_nir_exciton(tmp_path):
    """PbS 4 nm absorbs first near 1230 nm: the default range is raised to hold the first
    exciton and the PL band; an explicit --wl-max that cuts them off is warned about."""
    import numpy as np

    out = tmp_path / "pbs.csv"
    r = run("spectrum", "PbS", "--diameter", "4", "--json", "--out", str(out))
    assert r.exit_code == 0, r.output
    js = json.loads(r.stdout)
    lo, hi = js["wavelength_range_nm"]
    assert lo == 350.0 and hi >= js["pl_peak_nm"] + js["pl_fwhm_nm"]
    data = np.genfromtxt(out, delimiter=",", names=True)
    peak = data["wavelength_nm"][np.argmax(np.where(data["wavelength_nm"] > 900,
                                                    data["cross_section_cm2"], 0))]
    assert abs(peak - js["first_peak_nm"]) < 5
    r = run("spectrum", "PbS", "--diameter", "4", "--wl-max", "900", "--json")
    assert r.exit_code == 0
    assert "lies outside" in r.stderr
    r = run("spectrum", "CdSe", "--diameter", "4", "--json")
    assert json.loads(r.stdout)["wavelength_range_nm"] == [350.0, 800.0]
