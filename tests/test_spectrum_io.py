"""Spectrum reader: real exports as they are, and synthetic vendor formats."""
from pathlib import Path

import numpy as np
import pytest

from qdlab.errors import QdlabInputError
from qdlab.optics.spectrum_io import SpectrumWarning, read_spectra

DATA = Path(__file__).parent / "data"
WL = np.arange(400.0, 421.0, 1.0)
A = 0.1 + 0.01 * (WL - 400)
PAIRS = list(zip(WL, A, strict=True))


def test_real_local_copy():
    specs = read_spectra(DATA / "run6_absorbance.csv")
    assert len(specs) == 18 and specs[0].label == "30 s" and specs[-1].label == "600 s"
    s = specs[0]
    assert s.kind == "absorbance" and np.all(np.diff(s.wavelength_nm) > 0)
    assert s.wavelength_nm[0] == pytest.approx(350.0011902)
    assert len(s) == 301


def test_real_files_with_footer_junk():
    with _quiet():
        specs = read_spectra(DATA / "run5_absorbance.csv")   # trailing 'Old:' rows
        em = read_spectra(DATA / "run5_emission.csv")
    assert len(specs) == 18 and len(specs[0]) == 301 and specs[0].metadata["footer_lines"] > 0
    assert em[0].kind == "emission" and len(em[0]) == 171


class _quiet:
    def __enter__(self):
        import warnings
        self.c = warnings.catch_warnings()
        self.c.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *a):
        self.c.__exit__(*a)


def _rows(fmt, sep="\t", dec="."):
    return "\n".join(fmt.format(w, a).replace(".", dec) if dec != "." else fmt.format(w, a)
                     for w, a in PAIRS)


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_line_endings_and_bom(eol):
    text = "Wavelength (nm),Abs\n" + "\n".join(f"{w},{a}" for w, a in PAIRS)
    raw = b"\xef\xbb\xbf" + text.replace("\n", eol).encode()
    s = read_spectra(raw)[0]
    np.testing.assert_allclose(s.y, A)
    assert s.label == "Abs" and s.kind == "absorbance"


@pytest.mark.parametrize("sep", ["\t", ";", " "])
def test_delimiters_and_decimal_comma(sep):
    text = f"nm{sep}A\n" + "\n".join(f"{w:.1f}{sep}{a:.4f}".replace(".", ",") if sep != " "
                                     else f"{w:.1f}{sep}{a:.4f}" for w, a in PAIRS)
    s = read_spectra(text)[0]
    np.testing.assert_allclose(s.y, A, atol=1e-4)
    np.testing.assert_allclose(s.wavelength_nm, WL)


def test_ocean_optics():
    text = ("Data from abs.txt Node\n\nDate: Mon Jan 01 12:00:00 GMT 2024\nUser: lab\n"
            "Spectrometer: USB4F00000\nIntegration Time (sec): 1.000000E-1\n"
            "Spectra Type: Absorbance\nNumber of Pixels in Spectrum: 21\n"
            ">>>>>Begin Spectral Data<<<<<\n"
            + "\n".join(f"{w:.3f}\t{a:.5f}" for w, a in PAIRS) + "\n>>>>>End Spectral Data<<<<<\n")
    s = read_spectra(text)[0]
    assert s.metadata["format"] == "oceanoptics" and s.kind == "absorbance"
    assert s.metadata["Spectrometer"] == "USB4F00000"
    np.testing.assert_allclose(s.y, A, atol=1e-5)


def test_jasco_transmittance():
    T = 100 * 10 ** (-A)
    text = ("TITLE\tsample1\nDATA TYPE\tUV/VIS SPECTRUM\nORIGIN\tJASCO\nXUNITS\tNANOMETERS\n"
            "YUNITS\t%T\nFIRSTX\t420\nLASTX\t400\nNPOINTS\t21\nXYDATA\n"
            + "\n".join(f"{w}\t{t}" for w, t in zip(WL[::-1], T[::-1], strict=False)))
    s = read_spectra(text)[0]
    assert s.metadata["original_kind"] == "transmittance_pct" and s.metadata["sorted"]
    np.testing.assert_allclose(s.y, A, atol=1e-9)


def test_cary_paired_columns():
    lines = ["Baseline 100%T,,CdSe 30s,,CdSe 60s,",
             "Wavelength (nm),Abs,Wavelength (nm),Abs,Wavelength (nm),Abs"]
    for w, a in zip(WL[::-1], A[::-1], strict=False):
        lines.append(f"{w},{0.0},{w},{a},{w},{2 * a}")
    lines += ["", "Collection Time: 1/1/2024 12:00:00 PM", "Scan Rate: 600"]
    specs = read_spectra("\r\n".join(lines))
    assert [s.label for s in specs] == ["Baseline 100%T", "CdSe 30s", "CdSe 60s"]
    np.testing.assert_allclose(specs[2].y, 2 * A)


def test_shimadzu_and_perkinelmer():
    text = '"sample01"\n"Wavelength nm.","Abs."\n' + "\n".join(
        f"{w:.1f},{a:.3f}" for w, a in PAIRS)
    s = read_spectra(text)[0]
    assert s.kind == "absorbance"
    text = ("PE UV       SUBTECH     SPECTRUM    ASCII       PEDS        4.00\n#HDR\n-1\nsample\n"
            "#GR\nnm\nA\n1.0\n0.0\n#DATA\n" + "\n".join(f"{w:.2f}\t{a:.6f}" for w, a in PAIRS))
    s = read_spectra(text)[0]
    assert s.metadata["format"] == "perkinelmer" and s.kind == "absorbance"
    np.testing.assert_allclose(s.y, A, atol=1e-6)


def test_energy_axis_and_emission_jacobian():
    e = np.linspace(2.0, 2.5, 11)
    text = "Energy (eV),PL intensity\n" + "\n".join(f"{x},1.0" for x in e)
    s = read_spectra(text)[0]
    assert s.kind == "emission"
    np.testing.assert_allclose(s.wavelength_nm, np.sort(1239.8419843320028 / e))
    np.testing.assert_allclose(s.y, np.sort(e**2)[::-1] / 1239.8419843320028)


def test_duplicates_unsorted_negative():
    text = "nm,Abs\n402,0.3\n400,0.1\n401,0.2\n401,0.4\n403,-0.5\n"
    with pytest.warns(SpectrumWarning):
        s = read_spectra(text)[0]
    assert s.wavelength_nm.tolist() == [400, 401, 402, 403]
    assert s.y[1] == pytest.approx(0.3)
    with pytest.raises(QdlabInputError, match="duplicated"):
        read_spectra(text, duplicates="error")


@pytest.mark.parametrize("bad", ["", "hello world\nfoo bar\n", b"\x00\x01\x02binary",
                                 "nm,Abs\n400,0.1\n401,0.2\n", "x,y\n10,1\n20,2\n30,3\n"])
def test_bad_input(bad):
    with pytest.raises(QdlabInputError):
        read_spectra(bad)


def test_ambiguous_kind_and_size_limit(tmp_path):
    with pytest.raises(QdlabInputError, match="cannot tell whether"):
        read_spectra("nm,y\n400,50\n401,60\n402,70\n")
    p = tmp_path / "big.csv"
    p.write_text("nm,Abs\n" + "400,0.1\n" * 2000)
    with pytest.raises(QdlabInputError, match="limit"):
        read_spectra(p, max_bytes=1000)


def test_key_value_header_emission_layout():
    """Edinburgh/Horiba-style PL export layout (key,value header lines, then the
    table): the y-axis key gives the kind. Minimal layout; the real Edinburgh exports are
    read in test_readers_real.py (tests/data/spectra/raft_fluorimeters)."""
    text = ("Labels,Em Scan\nType,Emission Scan\nXaxis,Wavelength\nYaxis,Counts\n"
            "Excitation,400\n\n" + "\n".join(f"{w},{1000 + 10 * i}"
                                             for i, w in enumerate(WL)))
    s = read_spectra(text)[0]
    assert s.kind == "emission" and s.metadata["Yaxis"] == "Counts"
    assert s.wavelength_nm.tolist() == WL.tolist()
