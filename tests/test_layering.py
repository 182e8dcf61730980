"""The one direction of flow of DESIGN.md, checked on the source: no import against it.

Every ``import`` / ``from ... import`` statement of every module (at module level or
inside a function: a lazy import is still a dependency) is parsed with :mod:`ast`, and
no package may import a package that lies downstream of it.  Old paths that moved (the
alias modules of ``_moved.py``) are resolved by name at run time, not imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "qdlab"

#: package -> packages it must never import (DESIGN.md: materials -> structures ->
#: electronic -> optics -> sizing/photons/devices/design; synthesis feeds ensembles; cli/ and
#: web/ are shells over the library: nothing imports them, and ``qdlab serve`` may
#: start the web shell from the CLI).  synthesis may read the published sizing curves
#: (:mod:`qdlab.synthesis.measured` validates grown sizes against measured peaks).
FORBIDDEN = {
    "materials": {"structures", "electronic", "optics", "sizing", "synthesis", "photons",
                  "devices", "cli", "web"},
    "structures": {"electronic", "optics", "sizing", "synthesis", "photons", "devices", "cli", "web"},
    "electronic": {"optics", "sizing", "synthesis", "photons", "devices", "cli", "web"},
    "optics": {"sizing", "photons", "devices", "cli", "web"},
    "io": {"optics", "sizing", "synthesis", "photons", "devices", "cli", "web"},
    "photons": {"sizing", "synthesis", "devices", "cli", "web"},
    "devices": {"sizing", "synthesis", "photons", "cli", "web"},
    "sizing": {"devices", "cli", "web"},
    "synthesis": {"cli", "web"},
    "design": {"cli", "web"},
}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    pkg = path.relative_to(SRC.parent).with_suffix("").parts
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:   # relative: resolve against the module's package
                base = list(pkg[:-node.level]) if path.name != "__init__.py" else \
                    list(pkg[:len(pkg) - node.level])
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.append((node.lineno, mod))
    return out


def _edges(package: str):
    for f in sorted((SRC / package).rglob("*.py")):
        for line, mod in _imports(f):
            parts = mod.split(".")
            if len(parts) >= 2 and parts[0] == "qdlab":
                yield f.relative_to(SRC), line, parts[1]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_against_the_flow(package):
    if not (SRC / package).is_dir():
        pytest.skip(f"no package {package}")
    bad = [f"{f}:{line} imports qdlab.{target}" for f, line, target in _edges(package)
           if target in FORBIDDEN[package]]
    assert not bad, "\n".join(bad)


def test_the_checker_sees_lazy_and_relative_imports():
    found = dict((mod, line) for line, mod in _imports(SRC / "optics" / "evolution.py"))
    assert "qdlab.optics.ensemble" in found          # imported inside a function
    rel = [mod for _, mod in _imports(SRC / "optics" / "__init__.py")]
    assert "qdlab.optics" in rel                      # from qdlab.optics import _moved
    assert "importlib" in rel                         # inside the lazy __getattr__
