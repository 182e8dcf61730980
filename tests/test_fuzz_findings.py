"""Regression tests of the findings of ``scripts/fuzz_cli.py`` and ``scripts/fuzz_api.py``.

One test per finding (issue 10): a command either refuses the input with one
``error:`` line and exit status 2, or answers with numbers that can be right
(fractions in [0, 1], positive concentrations and wavelengths, no ``null`` for a
number without a ``*_reason``).
"""

import json

import pytest
from typer.testing import CliRunner

from qdlab.cli.main import app
from qdlab.optics.colour import gamut_coverage, gaussian_line

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_gamut_coverage_is_at_most_one():
    # fuzz_cli: `qdlab colour --gamut 460:30 --gamut 530:30 --gamut 630:30 --json` printed
    # "coverage_upvp": 1.0000000000000004 (round-off of the polygon intersection)
    g = gamut_coverage([gaussian_line(c, 30.0) for c in (460.0, 530.0, 630.0)])
    for ref in ("sRGB", "DCI-P3", "Rec.2020"):
        for key in ("coverage_xy", "coverage_upvp"):
            assert 0.0 <= g[ref][key] <= 1.0, (ref, key, g[ref][key])
    res = run("colour", "--gamut", "460:30", "--gamut", "530:30", "--gamut", "630:30", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert all(0.0 <= doc[ref][k] <= 1.0 for ref in ("sRGB", "DCI-P3", "Rec.2020")
               for k in ("coverage_xy", "coverage_upvp"))
