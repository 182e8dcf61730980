"""qdlab's own spectrum CSV read back: the forward model and the inverse agree.

``qdlab spectrum ... --concentration C --out F`` then ``qdlab fit F`` must return the
diameter, dispersion and concentration that made the file (an exact check of the
inverse on noise-free data); a file written without ``--concentration`` has no
absorbance and is refused by name (it used to be refused for its molar-extinction
column, read as an absorbance).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from qdlab.cli.main import app
from qdlab.io import read_spectra

runner = CliRunner()


@pytest.mark.parametrize("material, d, rsd, conc", [("CdSe", 4.0, 5.0, 1e-6),
                                                   ("CdSe", 3.0, 8.0, 3e-6)])
def test_spectrum_then_fit_returns_the_inputs(tmp_path, material, d, rsd, conc):
    f = tmp_path / "model.csv"
    res = runner.invoke(app, ["spectrum", material, "--diameter", str(d), "--dispersion",
                              str(rsd), "--concentration", str(conc), "--out", str(f)])
    assert res.exit_code == 0, res.output
    sp = read_spectra(f)
    assert len(sp) == 1 and sp[0].kind == "absorbance"
    assert sp[0].metadata["format"] == "qdlab"
    fit = runner.invoke(app, ["fit", str(f), "--material", material, "--json"])
    assert fit.exit_code == 0, fit.output
    out = json.loads(fit.stdout)
    print(f"{material} {d} nm {rsd} % {conc:g} M -> {out['diameter_nm']:.4f} nm "
          f"{out['dispersion_pct']:.3f} % {out['concentration_M']:.4g} M ({out['quality']})")
    assert out["quality"] == "good"
    assert out["diameter_nm"] == pytest.approx(d, rel=1e-3)
    assert out["dispersion_pct"] == pytest.approx(rsd, rel=1e-2)
    assert out["concentration_M"] == pytest.approx(conc, rel=1e-2)


def test_file_without_absorbance_is_refused_with_the_way_out(tmp_path):
    f = tmp_path / "model.csv"
    assert runner.invoke(app, ["spectrum", "CdSe", "--diameter", "4", "--out",
                               str(f)]).exit_code == 0
    res = runner.invoke(app, ["fit", str(f), "--material", "CdSe"])
    assert res.exit_code == 2
    assert "no absorbance column" in res.output and "--concentration" in res.output
