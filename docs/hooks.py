"""MkDocs hooks of the qdlab docs: tables computed by running the library at build time.

A page line ``<!-- qdlab:validation-table -->`` becomes the table of
:func:`qdlab.validation.validate_all`, ``<!-- qdlab:growth-table -->`` the table of
:func:`qdlab.synthesis.measured.validate_growth_series`.  Nothing is pasted: the
numbers are those of the code being documented.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))


@functools.cache
def _validation_table() -> str:
    from qdlab.validation import validate_all

    lines = ["| material | data | points | range | RMS error (eV) | max error (eV) | "
             "mean error (eV) | RMS error (nm) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in validate_all():
        if r.get("diameter_min_nm") is not None:
            rng = f"{r['diameter_min_nm']:.1f}-{r['diameter_max_nm']:.1f} nm"
        else:
            lo, hi = r["monolayers"]
            rng = f"{lo}.5-{hi}.5 ML"          # n Se planes = "n.5 monolayers"
        lines.append(f"| {r['material']} | {r['source']} | {r['n']} | {rng} | "
                     f"{r['rms_eV']:.3f} | {r['max_abs_eV']:.3f} | {r['mean_error_eV']:+.3f} | "
                     f"{r['rms_nm']:.1f} |")
    return "\n".join(lines)


@functools.cache
def _growth_table() -> str:
    from qdlab.synthesis.measured import validate_growth_series

    lines = ["| run | role | points | RMS error of the peak (nm) | max (nm) | mean (nm) |",
             "|---|---|---|---|---|---|"]
    for r in validate_growth_series():
        lines.append(f"| {r['run']} | {r['role']} | {r['n']} | {r['rms_nm']:.1f} | "
                     f"{r['max_abs_nm']:.1f} | {r['mean_error_nm']:+.1f} |")
    return "\n".join(lines)


_MARKERS = {
    "<!-- qdlab:validation-table -->": _validation_table,
    "<!-- qdlab:growth-table -->": _growth_table,
}


def on_page_markdown(markdown: str, **kwargs) -> str:
    for marker, make in _MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    return markdown
