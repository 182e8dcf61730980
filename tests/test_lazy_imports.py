"""The public API stays the same while ``import qdlab`` and ``qdlab levels`` stay light.

Which modules get imported is checked in a fresh interpreter (no timing: module lists).
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import qdlab
import qdlab.electronic

SRC = str(Path(qdlab.__file__).resolve().parents[1])
# not needed by `qdlab levels` (plotting, colour-science, tables, the web stack)
HEAVY = ("matplotlib", "colour", "pandas", "pyarrow", "fastapi", "uvicorn", "PIL")
# not needed by the levels of a sphere or core/shell: scipy beyond the compiled special-function
# ufuncs (scipy.special's __init__ and its array-API layer, optimize, constants, linear algebra)
# and the 3D shapes and grid solver; each of these costs 0.01-0.4 s of start-up
SPHERE_LEVELS_UNNEEDED = ("scipy.optimize", "scipy.constants", "scipy.linalg", "scipy.sparse",
                          "scipy.interpolate", "scipy.signal", "scipy.ndimage",
                          "scipy._lib._array_api", "qdlab.structures.shapes",
                          "qdlab.electronic.grid", "rich")
#: scipy.special's package module and what its __init__ imports besides the ufuncs
SCIPY_SPECIAL_INIT = ("scipy.special", "scipy.special._support_alternative_backends",
                      "scipy.special._basic", "scipy.special._orthogonal")


def _modules_after(code: str) -> set[str]:
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\n"
                          "print(json.dumps(sorted(sys.modules)))"], env=env,
                         capture_output=True, text=True, timeout=300, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


@pytest.mark.parametrize("module", [qdlab, qdlab.electronic])
def test_every_public_name_resolves(module):
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    assert set(module.__all__) <= set(dir(module))
    with pytest.raises(AttributeError, match="no attribute"):
        module.no_such_name  # noqa: B018


def test_solve_is_the_function():
    from qdlab.electronic import solve

    assert callable(solve) and solve is qdlab.solve
    s = qdlab.solve(qdlab.Sphere("CdSe", diameter=4.0))
    assert 500 < s.first_exciton_nm < 650


def test_import_qdlab_is_light():
    mods = _modules_after("import qdlab")
    assert not [m for m in mods if m.split(".")[0] in ("scipy", "matplotlib", "colour",
                                                        "pydantic", "rich", "typer")]


def test_levels_command_imports_no_plotting_or_web_stack():
    mods = _modules_after(
        "import contextlib, io\nfrom qdlab.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['levels', 'CdSe', '--diameter', '4', '--json']) == 0")
    heavy = sorted(m for m in mods if m.split(".")[0] in HEAVY)
    assert heavy == []
    assert "rich.table" not in mods


@pytest.mark.parametrize("args", [
    ["CdSe", "--diameter", "4"],
    ["CdSe/CdS", "--core-diameter", "3", "--shell", "1.5"],
    ["PbS", "--diameter", "5"],
    ["InP/ZnSe/ZnS", "--core-diameter", "3", "--shell", "0.5", "--shell", "1"],
])
def test_sphere_levels_import_no_scipy_solvers_or_shapes(args):
    """``qdlab levels`` of spheres starts fast: none of the heavy imports happen."""
    mods = _modules_after(
        "import contextlib, io, json\nfrom qdlab.cli.main import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        f"    assert main(['levels', *{args!r}, '--json']) == 0\n"
        "assert json.loads(buf.getvalue())['first_exciton_eV'] > 0")
    found = sorted(m for m in mods if m in SCIPY_SPECIAL_INIT or any(
        m == p or m.startswith(p + ".") for p in SPHERE_LEVELS_UNNEEDED))
    assert found == []
    assert "scipy.special._ufuncs" in mods    # (the check above would pass vacuously otherwise)


def test_a_command_runs_through_an_app_with_only_that_command():
    from qdlab.cli.main import _app_for, app

    one = _app_for(["levels", "CdSe", "--diameter", "4"])
    assert [c.callback.__name__ for c in one.registered_commands] == ["levels"]
    assert len(app.registered_commands) > 5 and app.registered_callback is None  # untouched
    for args in ([], ["--help"], ["no-such-command"]):
        assert _app_for(args) is app
