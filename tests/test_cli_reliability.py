"""Regression tests of the `qdlab` fuzzing campaign (issue 10).

The contract: bad input gives one ``error: ...`` line on stderr and exit status 2;
a doubtful result is returned with a warning; never a traceback, an absurd number
with exit 0, a null without a reason, or a partial file.
"""

import json
import os
import stat

import pytest
from typer.testing import CliRunner

from qdlab.cli.main import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def assert_one_error(res, *fragments):
    """Exit 2, exactly one ``error:`` line naming ``fragments``, no traceback."""
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1, res.stderr
    for f in fragments:
        assert f in errors[0], errors[0]
    return errors[0]


def no_leftovers(folder):
    return [p for p in os.listdir(folder) if ".part" in p or p.startswith(".qdlab-")]


# ---------------------------------------------------------------- output paths

SPECTRUM = ("spectrum", "CdSe", "--diameter", "4")


@pytest.mark.parametrize("option", ["--out", "--plot"])
def test_empty_output_name_is_one_error(option):
    assert_one_error(run(*SPECTRUM, option, ""), option, "empty name")


def test_out_onto_a_special_file_is_refused(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    link = tmp_path / "link.csv"
    link.symlink_to(fifo)                # a special file behind a regular-looking name
    for target in (fifo, link):
        assert_one_error(run(*SPECTRUM, "--out", target), "--out", "not a regular file")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and link.is_symlink()   # both untouched
    assert no_leftovers(tmp_path) == []


def test_out_onto_a_device_is_refused(tmp_path):
    """`--out /dev/full` (as root) used to turn the device into a CSV file.  The test uses
    its own device node (a copy of /dev/null's numbers, in tmp_path), so that a regression
    can never replace a system device."""
    dev = tmp_path / "null-device"
    try:
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here (not root)")
    assert_one_error(run(*SPECTRUM, "--out", dev), "--out", "not a regular file")
    assert stat.S_ISCHR(os.stat(dev).st_mode)


def test_out_onto_a_directory_is_refused(tmp_path):
    assert_one_error(run(*SPECTRUM, "--out", tmp_path), "--out", "directory")


def test_too_long_file_name_is_one_error(tmp_path):
    assert_one_error(run(*SPECTRUM, "--out", tmp_path / ("a" * 300 + ".csv")), "too long")
    assert no_leftovers(tmp_path) == []


PHOTONS_SIMULATE = ("photons", "simulate", "--exciton-radiative-lifetime-ns", "20",
                    "--biexciton-auger-lifetime-ns", "0.5", "--duration", "0.01",
                    "--mean-excitation", "0.1")
T2_FILE = "tests/data/timetags/hydraharp_v20_t2_first100k.ptu"


@pytest.mark.parametrize("args", [
    SPECTRUM,
    ("fit", "tests/data/run6_absorbance.csv"),
    ("synth", "--example", "cdse"),
    PHOTONS_SIMULATE,
])
def test_missing_parent_folder_is_refused_by_every_command(tmp_path, args):
    """`fit` used to create the folders, `spectrum` refused them: now all refuse."""
    suffix = {"tour": ".png", "photons": ".ptu"}.get(args[0], ".csv")
    target = tmp_path / "no" / "such" / f"x{suffix}"
    assert_one_error(run(*args, "--out", target), "does not exist")
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("args", [
    ("levels", "CdSe", "--diameter", "4"),
    SPECTRUM,
    ("photons", "analyse", T2_FILE),
])
def test_plot_into_missing_folder_is_refused(tmp_path, args):
    assert_one_error(run(*args, "--plot", tmp_path / "nope" / "f.png"), "--plot", "not exist")


def test_tour_out_checks_the_path_before_any_work(tmp_path):
    assert_one_error(run("tour", "--out", tmp_path / "nope" / "t.png"), "does not exist")


def test_existing_regular_file_is_replaced_atomically(tmp_path):
    target = tmp_path / "s.csv"
    target.write_text("old\n")
    res = run(*SPECTRUM, "--out", target)
    assert res.exit_code == 0, res.output
    assert target.read_text().startswith("wavelength_nm")
    assert no_leftovers(tmp_path) == []
    assert stat.S_IMODE(os.stat(target).st_mode) & 0o044      # not left 0600 by mkstemp


def test_failed_write_leaves_nothing(tmp_path, monkeypatch):
    """An error while writing removes the temporary file and keeps the old file."""
    from qdlab.cli import _common

    target = tmp_path / "s.csv"
    target.write_text("old\n")
    with pytest.raises(OSError), _common.atomic_output(target) as tmp:
        tmp.write_text("partial")
        raise OSError(28, "No space left on device")
    assert target.read_text() == "old\n"
    assert no_leftovers(tmp_path) == []


def test_fit_out_written_through_the_shared_helper(tmp_path):
    out = tmp_path / "fit.csv"
    res = run("fit", "tests/data/run6_absorbance.csv", "--out", out, "--json")
    assert res.exit_code == 0, res.output
    assert out.read_text().startswith("label,")
    assert no_leftovers(tmp_path) == []


def test_fit_caps_the_number_of_spectra(tmp_path, monkeypatch):
    from qdlab.cli import fit as main

    monkeypatch.setattr(main, "FIT_MAX_SPECTRA", 3)
    # the measured file holds more than 3 spectra (one per column)
    assert_one_error(run("fit", "tests/data/run6_absorbance.csv"), "too many spectra", "3")


# ---------------------------------------------------------------- absurd numbers

@pytest.mark.parametrize("args", [
    ("colour", "--centre", "780", "--fwhm", "1", "--json"),
    ("colour", "CdSe", "--diameter", "200", "--json"),
])
def test_deep_red_colour_has_no_negative_wavelength(args):
    res = run(*args)
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["dominant_wavelength_nm"] is None and out["dominant_wavelength_note"]
    assert out["complementary_wavelength_nm"] is None       # not a purple either
    assert 0.0 <= out["purity"] <= 1.0
    assert "nearly invisible" in res.stderr


def test_synth_null_peak_says_why():
    res = run("synth", "--example", "pbs", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for key in ("peak_nm", "pl_peak_nm", "colour_hex"):
        if out[key] is None:
            assert out[f"{key}_reason"], key
    assert out["peak_nm"] is not None or "warning:" in res.stderr
    # PbS has optics now (Kang-Wise k.p): a near-infrared peak
    assert out["peak_nm"] is not None and out["peak_nm"] > 780


def test_spectrum_of_subnanometre_dots_warns_like_levels():
    res = run("spectrum", "CdSe", "--diameter", "0.5", "--json")
    assert res.exit_code == 0, res.output
    assert "below 1 nm" in res.stderr
    lv = run("levels", "CdSe", "--diameter", "0.5", "--json")
    assert lv.exit_code == 0 and "below 1 nm" in lv.stderr


@pytest.mark.parametrize("command", ["levels", "spectrum"])
def test_weak_confinement_warns(command):
    """200 nm CdSe came out bluer than 50 nm without a word: now a weak-confinement warning."""
    res = run(command, "CdSe", "--diameter", "200", "--json")
    assert res.exit_code == 0, res.output
    assert "weak confinement" in res.stderr
    small = run(command, "CdSe", "--diameter", "4", "--json")
    assert "weak confinement" not in small.stderr


# ---------------------------------------------------------------- internal checks, options

def test_thick_shell_structure_gives_a_clear_error_not_an_internal_check():
    res = run("levels", "CdSe/CdS/ZnS", "--core-diameter", "3", "--shell", "20", "--shell", "20")
    line = assert_one_error(res, "barrier")
    assert "must be normalised" not in line


@pytest.mark.parametrize(("args", "named"), [
    (("levels", "CdSe", "--shape", "sphere", "--diameter", "4", "--monolayers", "0",
      "--length", "99"), "--length"),
    (("levels", "CdSe", "--diameter", "4", "--resolution", "0.1"), "--resolution"),
    (("levels", "CdSe", "--diameter", "4", "--solver", "grid", "--l-max", "3"), "--l-max"),
    (("levels", "CdSe", "--shape", "rod", "--diameter", "4", "--length", "8", "--l-max",
      "3"), "--l-max"),
    (("levels", "CdSe", "--shape", "rod", "--diameter", "4", "--length", "8", "--edge", "3"),
     "--edge"),
    (("levels", "CdSe", "--shape", "platelet", "--monolayers", "4", "--dielectric",
      "mismatch"), "--dielectric"),
    (("levels", "CdSe", "--shape", "cube", "--edge", "4", "--gap", "1"), "--gap"),
    (("colour", "--centre", "600", "--diameter", "4"), "--diameter"),
    (("colour", "CdSe", "--diameter", "4", "--fwhm", "20"), "--fwhm"),
    (("spectrum", "CdSe", "--diameter", "4", "--path-cm", "2"), "--path-cm"),
])
def test_options_that_do_not_apply_are_refused(args, named):
    assert_one_error(run(*args), named, "does not apply")


def test_options_that_apply_are_accepted():
    # bare CdSe spheres default to --model kp, which has no --l-max: ask for the single band
    res = run("levels", "CdSe", "--diameter", "4", "--l-max", "1", "--screening", "static",
              "--model", "single-band", "--json")
    assert res.exit_code == 0, res.output
    res = run("levels", "CdSe", "--diameter", "4", "--screening", "static", "--json")
    assert res.exit_code == 0, res.output
    res = run("levels", "CdSe", "--shape", "cube", "--edge", "4", "--resolution", "0.3",
              "--json")
    assert res.exit_code == 0, res.output


# ---------------------------------------------------------------- memory and time

@pytest.mark.parametrize("args", [
    ("levels", "CdSe", "--shape", "dimer", "--diameter", "1e-12"),
    ("levels", "CdSe", "--shape", "rod", "--diameter", "1e-12", "--length", "5"),
    ("levels", "CdSe", "--shape", "cube", "--edge", "0.1"),
    ("levels", "CdSe", "--diameter", "0.2"),
    ("spectrum", "CdSe", "--diameter", "1e-12"),
])
def test_sizes_below_a_lattice_constant_are_refused(args):
    assert_one_error(run(*args), ">= 0.3 nm")


def test_grid_budget_covers_dimers_and_suggests_a_spacing():
    res = run("levels", "CdSe", "--shape", "dimer", "--diameter", "4", "--max-grid-cells", "500")
    assert_one_error(res, "--max-grid-cells", "--resolution")


def test_thin_rod_gets_a_bounded_default_grid():
    """A 6 x 0.5 nm InP rod used to take 85 s (204 800 cells at h = d/16 = 0.031 nm).  The
    default spacing is now floored at 0.0625 nm, so its grid fits the default cell cap; a
    finer explicit grid is refused quickly with a suggestion."""
    import warnings

    from qdlab.cli.main import LEVELS_MAX_GRID_CELLS
    from qdlab.electronic.grid import grid_unknowns
    from qdlab.structures import Rod

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert grid_unknowns(Rod("InP", length=6, diameter=0.5)) <= LEVELS_MAX_GRID_CELLS
    res = run("levels", "InP", "--shape", "rod", "--diameter", "0.5", "--length", "6",
              "--resolution", "0.03")
    assert_one_error(res, "--max-grid-cells", "--resolution")


def test_huge_particle_is_refused_without_allocating():
    # (a length above 1 um is refused earlier, by the size range: see
    # test_absurdly_large_sizes_are_refused_with_the_range)
    res = run("levels", "CdSe", "--shape", "rod", "--diameter", "4", "--length", "900",
              "--max-grid-cells", "100")
    assert_one_error(res, "too large for the 3D grid")


def test_tiny_resolution_is_refused():
    assert_one_error(run("levels", "CdSe", "--shape", "cube", "--edge", "4", "--resolution",
                         "1e-9"), "resolution must be >= 0.01 nm")


# ---------------------------------------------------------------- fuzz findings (issue 10)

@pytest.mark.parametrize("args", [
    ("spectrum", "CsPbBr3", "--diameter", "1e308"),
    ("spectrum", "CdSe", "--diameter", "inf"),
    ("levels", "CdSe", "--diameter", "1e308"),
    ("levels", "CdSe", "--shape", "rod", "--diameter", "4", "--length", "1e9"),
    ("colour", "CdSe", "--diameter", "2000"),
])
def test_absurdly_large_sizes_are_refused_with_the_range(args):
    assert_one_error(run(*args), "--", "<= 1000 nm")


def test_size_distribution_refuses_a_micrometre_mean():
    from qdlab.errors import QdlabInputError
    from qdlab.optics.ensemble import SizeDistribution

    with pytest.raises(QdlabInputError, match=r"mean diameter must be in \[0, 1000\] nm"):
        SizeDistribution.normal(1e308, 5.0)


@pytest.mark.parametrize("option, value, name", [
    ("--electron-barrier", "1e6", "electron_barrier"),
    ("--hole-barrier", "nan", "hole_barrier"),
    ("--medium-eps", "1e9", "medium_eps"),
])
@pytest.mark.parametrize("shape", [("--diameter", "3"),
                                   ("--shape", "dimer", "--diameter", "3")])
def test_absurd_medium_is_refused_before_any_solver(shape, option, value, name):
    assert_one_error(run("levels", "CdS", *shape, option, value), name, "must be in [")


def test_invalid_solver_is_refused_for_every_shape():
    assert_one_error(run("levels", "CdS", "--shape", "dimer", "--diameter", "3",
                         "--solver", "InP/ZnSe/ZnS"), "solver must be auto, radial or grid")


@pytest.mark.parametrize("args", [
    ("colour", "--centre", "500", "--fwhm", "1e308"),
    ("colour", "--centre", "500", "--fwhm", "0.01"),
    ("colour", "--gamut", "630:1e308", "--gamut", "530:30", "--gamut", "460:20"),
])
def test_absurd_line_width_is_refused_with_the_range(args):
    assert_one_error(run(*args), "fwhm_nm must be in [0.1, 500] nm")


def _nulls_have_reasons(obj):
    """Keys of a number with a unit (``*_nm``, ``*_M``, ...) whose value is None and which
    have no ``<key>_reason`` next to them."""
    if isinstance(obj, list):
        return [k for v in obj for k in _nulls_have_reasons(v)]
    if not isinstance(obj, dict):
        return []
    unit = ("_nm", "_eV", "_M", "_K", "_s", "_pct", "_cm", "M-1cm-1")
    out = [k for k, v in obj.items() if v is None and k.endswith(unit)
           and f"{k}_reason" not in obj]
    return out + [k for v in obj.values() for k in _nulls_have_reasons(v)]


def test_validate_platelet_row_says_why_it_has_no_diameter():
    res = run("validate", "--json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    plate = [r for r in rows if "platelet" in r["material"]]
    assert plate and plate[0]["diameter_min_nm"] is None
    assert "monolayers" in plate[0]["diameter_min_nm_reason"]
    assert _nulls_have_reasons(rows) == []


@pytest.mark.parametrize("args", [
    ("CdS", "--peak", "450"),
    ("CdSe", "--peak", "519.4", "--absorbance", "0.2"),
    ("PbS", "--peak", "1200"),
])
def test_size_nulls_carry_reasons(args):
    res = run("size", *args, "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert _nulls_have_reasons(out) == []
    model = out["methods"][-1]
    assert "no extinction" in model["concentration_M_reason"]


def test_size_cds_model_inverts_its_monotone_branch():
    """The CdS model curve turns bluer again in weak confinement (~10 nm); the model
    sizing used to fail for every CdS peak with 'not monotone in size'."""
    out = json.loads(run("size", "CdS", "--peak", "450", "--json").stdout)
    model = out["methods"][-1]
    assert model["diameter_nm"] is not None and 2.0 < model["diameter_nm"] < 8.0


@pytest.mark.parametrize("material, peak", [("cdse", "1022"), ("CdS", "794"),
                                            ("PbS", "9000")])
def test_size_refuses_a_peak_redder_than_the_bulk_gap(material, peak):
    """A first exciton redder than the bulk band gap is not that material (used to take
    27 s under load and then fail, or give a 30 nm CdS 'diameter' from an extrapolated
    curve with exit 0)."""
    assert_one_error(run("size", material, "--peak", peak), "peak_nm must be <=", "band gap")


@pytest.mark.parametrize("args", [
    ("colour", "--centre", "579.4", "--json"),
    ("colour", "CdSe", "--diameter", "5.211", "--json"),
    ("colour", "--centre", "450", "--fwhm", "400", "--json"),
])
def test_colour_null_wavelengths_carry_reasons(args):
    res = run(*args)
    assert res.exit_code == 0, res.output
    assert _nulls_have_reasons(json.loads(res.stdout)) == []


def test_synth_binary_recipe_is_one_error(tmp_path):
    bad = tmp_path / "binary.csv"
    bad.write_bytes(b"\xc5\x00\xff\xfe" * 64)
    assert_one_error(run("synth", bad, "--json"), "not UTF-8 text", "binary.csv")


# ---------------------------------------------------------------- photons group

_GARBAGE = bytes(range(256)) * 8


@pytest.mark.parametrize("name,content,fragment", [
    ("missing.ptu", None, "missing.ptu"),
    ("empty.ptu", b"", "empty.ptu"),
    ("garbage.ptu", _GARBAGE, "garbage.ptu"),
    ("garbage.ht3", _GARBAGE, "garbage.ht3"),
    ("garbage.h5", _GARBAGE, "garbage.h5"),
    ("garbage.t3r", _GARBAGE, "garbage.t3r"),
    ("text.ptu", b"time_ns,counts\n0,1\n", "text.ptu"),
    ("notes.xyz", b"abc", "notes.xyz"),
])
def test_photons_analyse_and_truth_of_bad_files_are_one_error(tmp_path, name, content,
                                                               fragment):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert_one_error(run("photons", "analyse", path, "--json"), fragment)
    assert_one_error(run("photons", "truth", path), fragment)


def test_photons_truth_of_a_measured_file_is_one_error():
    assert_one_error(run("photons", "truth", T2_FILE), "ground truth")


@pytest.mark.parametrize("args,fragment", [
    (("--irf", "tests/data/run6_absorbance.csv"), "--irf does not apply"),
    (("--bin-ms", "nan"), "--bin-ms"),
    (("--bin-ms", "-1"), "--bin-ms"),
    (("--alpha", "0"), "--alpha"),
    (("--plot", "x.svg"), "--plot"),
])
def test_photons_analyse_bad_options_are_one_error(args, fragment):
    assert_one_error(run("photons", "analyse", T2_FILE, *args), fragment)


@pytest.mark.parametrize("args,fragment", [
    (("--duration", "nan"), "duration"),
    (("--duration", "-1"), "duration"),
    (("--duration", "inf"), "duration"),
    (("--mean-excitation", "0"), "mean_excitation"),
    (("--seed", "-1"), "seed"),
    (("--channels", "3"), "channels"),
    (("--efficiency", "0"), "efficiency"),
    (("--repetition-rate-MHz", "1e9"), "repetition_rate"),
])
def test_photons_simulate_bad_values_are_one_error_and_no_file(tmp_path, args, fragment):
    out = tmp_path / "x.ptu"
    assert_one_error(run(*PHOTONS_SIMULATE, *args, "--out", out), fragment)
    assert not out.exists() and no_leftovers(tmp_path) == []
