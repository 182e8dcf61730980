"""References coverage of the physics packages' docstrings.

For every public module-level function (name not starting with ``_``, in a module whose
name does not start with ``_``) of ``qdlab.electronic``, ``qdlab.sizing``,
``qdlab.optics`` and ``qdlab.synthesis``, count whether its numpydoc docstring has a
``References`` section, and print the coverage per package and in total: over all
public functions, over the physics functions (all but the I/O, report, numerics and
lookup functions listed in :data:`NOT_PHYSICS`), and the physics functions whose
References name a key of ``bibliography.toml`` (written ````key````).  The source is parsed with :mod:`ast`
(nothing is imported).

Usage::

    python scripts/docstring_coverage.py [--missing] [SRC_DIR]

``--missing`` also lists the functions without a References section.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

PACKAGES = ("electronic", "sizing", "optics", "synthesis")

#: Public functions that compute no physics (I/O, reports, plots, budgets, numerics,
#: fitting machinery, name lookups): excluded from the "physics" column.  A prefix
#: ending in "." covers a whole module.  Reviewable on purpose: a physics function
#: never belongs here.
NOT_PHYSICS = {
    "qdlab.electronic.report.": "text and figure reports",
    "qdlab.electronic.grid.budget.": "memory and grid budgets",
    "qdlab.electronic.grid.eigensolver.single_thread_blas": "BLAS threading",
    "qdlab.electronic.anisotropy.dimers.default_splitting_resolution_nm": "grid default",
    "qdlab.electronic.sphere.profiles.orbital_letter": "label",
    "qdlab.electronic.sphere.profiles.layer_permittivities": "material-data lookup",
    "qdlab.electronic.sphere.core_shell_validation.load_core_shell_series": "data file (I/O)",
    "qdlab.electronic.sphere.core_shell_validation.load_core_shell_literature": "data file (I/O)",
    "qdlab.electronic.sphere.core_shell_validation.series_rms": "summary statistics",
    "qdlab.electronic.sphere.core_shell_validation.format_core_shell_tables": "table formatting",
    "qdlab.electronic.anisotropy.platelet_validation.platelet_validation_table": "table formatting",
    "qdlab.electronic.model_choice.resolve_model": "option plumbing (model dispatch)",
    "qdlab.electronic.kp.kp_model_for": "registry lookup",
    "qdlab.electronic.kp.optics.uses_kp": "dispatch test",
    "qdlab.electronic.kp.optics.check_direct_gap": "input check",
    "qdlab.electronic.kp.validate.main": "command-line entry",
    "qdlab.electronic.kp.validation.format_kp_tables": "table formatting",
    "qdlab.electronic.kp.extinction.format_kp_extinction": "table formatting",
    "qdlab.electronic.kp.lifetimes.format_kp_lifetimes": "table formatting",
    "qdlab.electronic.kp.transitions.format_kp_transitions": "table formatting",
    "qdlab.electronic.kp.levels.kp_not_applicable": "option plumbing",
    "qdlab.electronic.kp.levels.kp_options": "option plumbing",
    "qdlab.electronic.kp.helicity.clebsch_gordan": "angular-momentum algebra (numerics)",
    "qdlab.electronic.kp.optics.cube_edge_of_sphere": "geometry",
    "qdlab.electronic.kp.spherical.kp_profiles": "material-parameter lookup per layer",
    "qdlab.sizing.curves.available_materials": "name lookup",
    "qdlab.sizing.features.": "peak and feature detection (numerics)",
    "qdlab.sizing.masks.": "reliable ranges and batch artefacts (data handling)",
    "qdlab.sizing.quality.": "fit-quality verdicts",
    "qdlab.sizing.report.": "text reports",
    "qdlab.sizing.series.": "tables, plots and series artefacts",
    "qdlab.sizing.stokes_check.print_validation": "printing",
    "qdlab.sizing.emission.looks_like_emission": "spectrum-type test",
    "qdlab.sizing.modelfit.start_values": "fitting machinery",
    "qdlab.sizing.modelfit.project_fit": "fitting machinery",
    "qdlab.sizing.modelfit.uncertainties": "fitting machinery",
    "qdlab.sizing.modelfit.check_window": "fitting machinery",
    "qdlab.sizing.modelfit.fit_window": "fitting machinery",
    "qdlab.sizing.modelfit.stage2": "fitting machinery",
    "qdlab.sizing.modelfit.conc_uncertainty": "fitting machinery",
    "qdlab.sizing.modelfit.curve_extras": "fitting machinery",
    "qdlab.sizing.modelfit.red_tail_background": "background model (numerics)",
    "qdlab.optics.colour.gaussian_line": "synthetic test line shape (numerics)",
    "qdlab.optics.ensemble.model_table": "transition-table cache for fitting",
    "qdlab.optics.colour.polygon_area": "geometry",
    "qdlab.optics.colour.polygon_intersection": "geometry",
    "qdlab.optics.optical_constants.has_optical_constants": "data lookup",
    "qdlab.optics.peaks.": "peak finding (numerics)",
    "qdlab.optics.tables.": "transition tables and node counts (numerics)",
    "qdlab.synthesis.recipe.": "recipe files (I/O)",
    "qdlab.synthesis.measured.load_growth_series": "data file (I/O)",
    "qdlab.synthesis.population.register_nucleation_model": "registry",
    "qdlab.synthesis.population.resolve_molar_volume": "database lookup",
}


def is_physics(qualname: str) -> bool:
    """False for the functions listed in :data:`NOT_PHYSICS`."""
    return not any(qualname == p or (p.endswith(".") and qualname.startswith(p))
                   for p in NOT_PHYSICS)
_REFS = re.compile(r"^\s*References\s*\n\s*-{3,}\s*$", re.MULTILINE)
_KEY = re.compile(r"``([a-z][a-z0-9_]*)``")


def public_functions(path: Path, keys=frozenset()):
    """(name, has_references, keyed) of the public module-level functions of one file.

    ``keyed``: the References section names a bibliography key (````key````).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) \
                and not node.name.startswith("_"):
            doc = ast.get_docstring(node) or ""
            m = _REFS.search(doc)
            refs = doc[m.end():] if m else ""
            yield node.name, bool(m), any(k in keys for k in _KEY.findall(refs))


def coverage(src: Path):
    """{package: [(module, function, has_references, keyed), ...]}."""
    bib = src / "qdlab" / "materials" / "data" / "bibliography.toml"
    keys = frozenset(tomllib.loads(bib.read_text(encoding="utf-8"))) if bib.exists() \
        else frozenset()
    out = {}
    for pkg in PACKAGES:
        rows = []
        for path in sorted((src / "qdlab" / pkg).rglob("*.py")):
            rel = path.relative_to(src)
            if any(part.startswith("_") and part != "__init__.py" for part in rel.parts):
                continue
            mod = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
            rows += [(mod, *row) for row in public_functions(path, keys)]
        out[pkg] = rows
    return out


def main(argv: list[str]) -> int:
    missing = "--missing" in argv
    args = [a for a in argv if a != "--missing"]
    src = Path(args[0]) if args else Path(__file__).resolve().parents[1] / "src"
    cov = coverage(src)
    sums = [0, 0, 0, 0, 0]

    def line(label, k, n, kp, np_, kk):
        print(f"{label:<12} {k:>5}/{n:<5} {100.0 * k / max(n, 1):>6.1f}%"
              f"   {kp:>5}/{np_:<5} {100.0 * kp / max(np_, 1):>6.1f}%"
              f"   {kk:>5}/{np_:<5} {100.0 * kk / max(np_, 1):>6.1f}%")

    print(f"{'package':<12} {'all public functions':>20}   {'physics functions':>20}"
          f"   {'physics, keyed':>20}")
    for pkg, rows in cov.items():
        phys = [r for r in rows if is_physics(f"{r[0]}.{r[1]}")]
        counts = (sum(r[2] for r in rows), len(rows), sum(r[2] for r in phys), len(phys),
                  sum(r[3] for r in phys))
        sums = [a + b for a, b in zip(sums, counts, strict=True)]
        line(pkg, *counts)
    line("total", *sums)
    if missing:
        for rows in cov.values():
            for mod, name, has, _ in rows:
                if not has:
                    tag = "" if is_physics(f"{mod}.{name}") else "  (not physics)"
                    print(f"  missing: {mod}.{name}{tag}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
