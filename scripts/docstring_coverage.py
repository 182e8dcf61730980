"""References coverage of the physics packages' docstrings.

For every public module-level function (name not starting with ``_``, in a module whose
name does not start with ``_``) of ``qdlab.electronic``, ``qdlab.sizing``,
``qdlab.optics`` and ``qdlab.synthesis``, count whether its numpydoc docstring has a
``References`` section, and print the coverage per package and in total.  The source is
parsed with :mod:`ast` (nothing is imported).

Usage::

    python scripts/docstring_coverage.py [--missing] [SRC_DIR]

``--missing`` also lists the functions without a References section.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

PACKAGES = ("electronic", "sizing", "optics", "synthesis")
_REFS = re.compile(r"^\s*References\s*\n\s*-{3,}\s*$", re.MULTILINE)


def public_functions(path: Path):
    """(name, has_references) of the public module-level functions of one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) \
                and not node.name.startswith("_"):
            doc = ast.get_docstring(node) or ""
            yield node.name, bool(_REFS.search(doc))


def coverage(src: Path):
    """{package: [(module, function, has_references), ...]}."""
    out = {}
    for pkg in PACKAGES:
        rows = []
        for path in sorted((src / "qdlab" / pkg).rglob("*.py")):
            rel = path.relative_to(src)
            if any(part.startswith("_") and part != "__init__.py" for part in rel.parts):
                continue
            mod = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
            rows += [(mod, name, has) for name, has in public_functions(path)]
        out[pkg] = rows
    return out


def main(argv: list[str]) -> int:
    missing = "--missing" in argv
    args = [a for a in argv if a != "--missing"]
    src = Path(args[0]) if args else Path(__file__).resolve().parents[1] / "src"
    cov = coverage(src)
    total = done = 0
    print(f"{'package':<12} {'with References':>15} {'public':>7} {'coverage':>9}")
    for pkg, rows in cov.items():
        n, k = len(rows), sum(has for *_, has in rows)
        total, done = total + n, done + k
        print(f"{pkg:<12} {k:>15} {n:>7} {100.0 * k / max(n, 1):>8.1f}%")
    print(f"{'total':<12} {done:>15} {total:>7} {100.0 * done / max(total, 1):>8.1f}%")
    if missing:
        for rows in cov.values():
            for mod, name, has in rows:
                if not has:
                    print(f"  missing: {mod}.{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
