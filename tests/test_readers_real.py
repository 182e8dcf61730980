"""Readers of real instrument exports (tests/data/io, sources and licences in
tests/data/README.md): JASCO, Ocean Optics OOIBase32/SpectraSuite and OceanView, Agilent
Cary (multi-sample and Cary 50), Shimadzu, and Excel workbooks (real ones from
tests/data/spectra: a SpectraSuite USB2000+ export and a BioTek Gen5 plate-reader
workbook), and fluorimeter exports from tests/data/spectra/raft_fluorimeters (Edinburgh
Instruments F980 / Fluoracle, Horiba FluorEssence, PerkinElmer FL WinLab)."""

import warnings
from pathlib import Path

import numpy as np
import pytest

from qdlab.errors import QdlabInputError
from qdlab.io import read_spectra
from qdlab.io.generic import detect_format
from qdlab.optics import spectrum_io

IO = Path(__file__).parent / "data" / "io"
SPECTRA = Path(__file__).parent / "data" / "spectra"


def _read(src, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_spectra(src, **kw)


def test_thin_reexport():
    assert spectrum_io.read_spectra is read_spectra


# ----------------------------------------------------------------- JASCO
def test_jasco_with_header():
    (s,) = _read(IO / "jasco_PbSe_batch_1.txt")
    assert s.metadata["format"] == "jasco" and s.metadata["ORIGIN"] == "JASCO"
    assert s.metadata["XUNITS"] == "NANOMETERS" and s.kind == "absorbance"
    # FIRSTX 2500, DELTAX -1: 1801 points, stored descending, returned ascending
    assert len(s) == 1801 and s.wavelength_nm[0] == 700.0 and s.wavelength_nm[-1] == 2500.0
    assert s.metadata["sorted"] and np.all(np.diff(s.wavelength_nm) == 1.0)
    assert s.y[0] == pytest.approx(1.58144)     # last line of the file: 700.0000 1.58144


@pytest.mark.parametrize("keep_xydata", [True, False])
@pytest.mark.parametrize("order", ["as_exported", "reversed"])
def test_jasco_headerless_either_order(keep_xydata, order):
    raw = (IO / "jasco_PbSe_batch_1.txt").read_bytes()
    lines = raw.decode().splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith("XYDATA"))
    data = lines[i + 1:]
    data = [ln for ln in data if ln.strip()]
    if order == "reversed":
        data = data[::-1]
    text = "\r\n".join((["XYDATA"] if keep_xydata else []) + data) + "\r\n"
    (s,) = _read(text)
    (ref,) = _read(IO / "jasco_PbSe_batch_1.txt")
    assert s.metadata["format"] == "table" and s.kind == "absorbance"
    np.testing.assert_array_equal(s.wavelength_nm, ref.wavelength_nm)
    np.testing.assert_array_equal(s.y, ref.y)


# ----------------------------------------------------------------- Ocean Optics
def test_ocean_optics_ooibase32_scope():
    (s,) = _read(IO / "oceanoptics_ooibase32_tsunami.scope")
    assert s.metadata["format"] == "oceanoptics"
    assert s.metadata["Spectrometer Serial Number"] == "USB2E2859"
    # raw counts (scope mode, .scope extension): intensity, read as emission
    assert s.kind == "emission" and len(s) == 2048
    assert 339 < s.wavelength_nm[0] < 341 and 1013 < s.wavelength_nm[-1] < 1014
    assert s.y[-1] == pytest.approx(172.6)


def test_ocean_optics_scope_from_bytes_needs_kind():
    raw = (IO / "oceanoptics_ooibase32_tsunami.scope").read_bytes()
    with pytest.raises(QdlabInputError, match="kind="):
        read_spectra(raw)                       # no name, no unit: asks for kind
    assert _read(raw, kind="emission")[0].kind == "emission"


def test_oceanview_decimal_comma_mixed_line_endings():
    (s,) = _read(IO / "oceanview_u_ca_1_1_d.txt")
    assert s.metadata["format"] == "oceanoptics" and s.metadata["decimal"] == ","
    assert s.metadata["Spectrometer"] == "MAYP114033"
    assert s.kind == "absorbance"             # from "Data from Absorbance_..."
    assert len(s) == int(s.metadata["Number of Pixels in Spectrum"]) == 2068
    assert s.wavelength_nm[0] == pytest.approx(199.4)
    assert s.y[1] == pytest.approx(0.117)      # "199,9\t0,117"


def test_spectrasuite_header_layout():
    """SpectraSuite writes the same block as OceanView (header, markers); its 3648-pixel
    USB4000 layout is the real OOIBase32 file's data re-wrapped in a SpectraSuite
    header."""
    (ref,) = _read(IO / "oceanoptics_ooibase32_tsunami.scope")
    head = ["SpectraSuite Data File", "++++++++++++++++++++++++++++++++++++",
            "Date: Mon Jul 03 07:30:30 CDT 2017", "User: lab",
            "Spectrometer Serial Number: USB4F00000", "Spectrometer Channel: 0",
            "Integration Time (usec): 8000 (USB4F00000)", "Spectra Averaged: 10",
            "Spectra Type: Absorbance", "Number of Pixels in Processed Spectrum: 2048",
            ">>>>>Begin Processed Spectral Data<<<<<"]
    body = [f"{x:.2f}\t{y / 1000:.5f}" for x, y in zip(ref.wavelength_nm, ref.y, strict=True)]
    (s,) = _read("\n".join(head + body + [">>>>>End Processed Spectral Data<<<<<"]))
    assert s.kind == "absorbance" and len(s) == 2048
    np.testing.assert_allclose(s.y, np.round(ref.y / 1000, 5))


def test_spectrasuite_real_usb2000plus_export_decimal_comma():
    """A real SpectraSuite processed-spectrum export (USB2000+, dark and reference taken,
    decimal commas, CRLF; tests/data/spectra/lightr_spectrasuite_usb2000plus, CC0). The
    header does not say whether the processed values are %T, %R or counts, so the reader
    asks for ``kind`` instead of guessing; with it, every pixel comes back unchanged."""
    p = SPECTRA / "lightr_spectrasuite_usb2000plus" / "OO_comma.txt"
    assert p.read_bytes().startswith(b"SpectraSuite Data File\r\n+++")
    with pytest.raises(QdlabInputError, match="kind="):
        read_spectra(p)
    (s,) = _read(p, kind="emission")            # values kept as written (no conversion)
    assert s.metadata["format"] == "oceanoptics" and s.metadata["decimal"] == ","
    assert s.metadata["Spectrometers"] == "USB2+H11150"
    assert s.metadata["Integration Time (usec)"] == "70000 (USB2+H11150)"
    assert s.metadata["Spectra Averaged"] == "15 (USB2+H11150)"
    assert s.metadata["Reference Spectrum Present"] == "Yes"
    assert len(s) == int(s.metadata["Number of Pixels in Processed Spectrum"]) == 2048
    assert s.wavelength_nm[0] == 178.23 and s.wavelength_nm[-1] == 884.34   # "178,23"
    assert s.y[0] == pytest.approx(401.471) and s.y[-1] == pytest.approx(25.222)
    k = int(np.argmin(abs(s.wavelength_nm - 500.11)))
    assert s.y[k] == pytest.approx(7.833)                                   # "500,11\t7,833"
    # the noisy blue edge (no light below ~200 nm) is kept, not dropped as junk
    assert s.y.min() == pytest.approx(-2462.921) and s.y.max() == pytest.approx(2711.905)
    assert not any("sorted" in n for n in s.metadata["notes"])


# ----------------------------------------------------------------- Cary
def test_cary_multi_sample_ragged_abs_and_percent_t():
    specs = _read(IO / "cary_filters.csv")
    assert [s.label for s in specs][:4] == ["600LP", "600LP1", "600LP2", "550LP"]
    assert len(specs) == 11 and all(s.metadata["format"] == "cary" for s in specs)
    kinds = [s.metadata["original_kind"] for s in specs]
    assert kinds[0] == "absorbance" and kinds[1] == "transmittance_pct"
    # column pairs of different lengths: no padding points, no refusal
    assert len(specs[0]) == 121 and len(specs[1]) == 196 and len(specs[2]) == 301
    # %T 93.92353058 at 650.0537109 nm -> A = 2 - log10(93.92...)
    s1 = specs[1]
    k = np.argmin(abs(s1.wavelength_nm - 650.0537109))
    assert s1.y[k] == pytest.approx(2 - np.log10(93.92353058), rel=1e-9)
    assert specs[0].metadata["footer_lines"] > 10      # the method block after the data


def test_cary50_single_sample():
    (s,) = _read(IO / "cary50_CuPCtS_H2O_vis.csv")
    assert s.label == "sample1" and s.kind == "absorbance" and len(s) == 141
    assert s.wavelength_nm[-1] == pytest.approx(899.9957886)
    assert s.y[-1] == pytest.approx(0.03348613903)


# ----------------------------------------------------------------- Shimadzu
def test_shimadzu_headerless():
    (s,) = _read(IO / "shimadzu_MoS2_fromCzech2015.txt")
    assert s.kind == "absorbance" and len(s) == 821
    assert s.wavelength_nm[0] == 340.0 and s.wavelength_nm[-1] == 750.0
    assert s.y[0] == pytest.approx(0.1308)


def test_shimadzu_quoted_header_from_real_values():
    raw = (IO / "shimadzu_MoS2_fromCzech2015.txt").read_text().splitlines()
    text = '"MoS2"\n"Wavelength nm.","Abs."\n' + "\n".join(raw) + "\n"
    assert detect_format(text).NAME == "shimadzu"
    (s,) = _read(text)
    assert s.label == "MoS2" and len(s) == 821


# ----------------------------------------------------------------- plain many-column
def test_many_column_csv_one_aliquot_per_column():
    specs = _read(Path(__file__).parent / "data" / "run6_absorbance.csv")
    assert len(specs) == 18 and specs[5].label == "180 s"


def test_semicolon_decimal_comma_from_real_values(tmp_path):
    (ref,) = _read(IO / "shimadzu_MoS2_fromCzech2015.txt")
    lines = ["Wellenlänge (nm);Extinktion"] + [
        f"{x:.1f};{y:.4f}".replace(".", ",") for x, y in zip(ref.wavelength_nm, ref.y,
                                                             strict=True)]
    p = tmp_path / "de.csv"
    p.write_bytes(b"\xef\xbb\xbf" + "\r".join(lines).encode())
    (s,) = _read(p)
    np.testing.assert_allclose(s.y, ref.y)


# ----------------------------------------------------------------- Excel
@pytest.fixture
def workbook(tmp_path):
    """A workbook holding the real Cary 50 and Shimadzu exports (one sheet each) and a
    notes sheet; written by openpyxl (no permissively licensed Excel export found)."""
    openpyxl = pytest.importorskip("openpyxl")
    (cary,) = _read(IO / "cary50_CuPCtS_H2O_vis.csv")
    (shim,) = _read(IO / "shimadzu_MoS2_fromCzech2015.txt")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "notes"
    ws.append(["measured by", "someone"])
    for title, s, hdr in (("cary", cary, "CuPCtS"), ("shimadzu", shim, "MoS2")):
        w = wb.create_sheet(title)
        w.append(["Wavelength (nm)", hdr, f"{hdr} x2"])
        for x, y in zip(s.wavelength_nm, s.y, strict=True):
            w.append([float(x), float(y), 2 * float(y)])
    p = tmp_path / "spectra.xlsx"
    wb.save(p)
    return p, cary, shim


def test_excel_all_sheets_and_one_sheet(workbook):
    p, cary, shim = workbook
    specs = _read(p)
    assert [(s.metadata["sheet"], s.label) for s in specs] == [
        ("cary", "CuPCtS"), ("cary", "CuPCtS x2"), ("shimadzu", "MoS2"),
        ("shimadzu", "MoS2 x2")]
    np.testing.assert_array_equal(specs[0].y, cary.y)
    one = _read(p, sheet="shimadzu")
    assert len(one) == 2 and np.array_equal(one[0].y, shim.y)
    assert _read(p.read_bytes(), sheet="cary")[1].label == "CuPCtS x2"
    with pytest.raises(QdlabInputError, match="not found"):
        read_spectra(p, sheet="nope")
    with pytest.raises(QdlabInputError, match="sheet 'notes'"):
        read_spectra(p, sheet="notes")


def test_excel_garbage_and_sheet_on_text(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(QdlabInputError, match="xlsx"):
        read_spectra(bad)
    with pytest.raises(QdlabInputError, match="workbooks only"):
        read_spectra("nm,A\n400,0.1\n401,0.2\n402,0.3\n", sheet="x")


def test_excel_real_lab_workbook_without_spectra_is_refused():
    """A workbook written in Excel by a lab (pump-fluence sheet of a CdSe QD transient
    absorption thesis: parameters, units and one row of CdSe 1S values, cached formula
    results): no sheet holds a spectrum, so the reader refuses it, naming the sheet."""
    p = IO / "chenjialin_QD_excitation.xlsx"
    import openpyxl

    ws = openpyxl.load_workbook(p, data_only=True)["Sheet1"]
    assert ws["G1"].value == "CdSe 1S  (nm)" and ws["G2"].value == 518
    assert ws["H2"].value == pytest.approx(2.3919, abs=1e-4)    # cached formula value
    for kw in ({}, {"sheet": "Sheet1"}):
        with pytest.raises(QdlabInputError, match="Sheet1") as exc:
            read_spectra(p, **kw)
        assert "numeric data" in str(exc.value)


GRID = SPECTRA / "pozzo_head_biotek_plate" / "Grid.xlsx"


def test_excel_real_plate_reader_workbook_sheets_and_labels():
    """A real lab workbook (pozzo-research-group/HEAD, MIT): absorbance spectra of a grid
    of metal-nanoparticle syntheses in a 96-well plate, 400-900 nm in 5 nm steps. Sheet
    'Sheet1' is the authors' table (Wavelength, wells A1-E1); sheet 'Plate 1 - Sheet1' is
    the plate reader's own Gen5 export of wells A1-E12. Values checked against the cells
    read with openpyxl (Sheet1!B2, B102, AX2, AX102)."""
    specs = _read(GRID)
    sheets = [s.metadata["sheet"] for s in specs]
    assert sheets.count("Sheet1") == 49 and sheets.count("Plate 1 - Sheet1") == 60
    one = _read(GRID, sheet="Sheet1")
    assert [s.label for s in one][:3] == ["A1", "A2", "A3"] and one[-1].label == "E1"
    assert len(one) == 49 and {s.kind for s in one} == {"absorbance"}
    for s in one:
        assert len(s) == 101 and s.wavelength_nm[0] == 400.0 and s.wavelength_nm[-1] == 900.0
        assert np.all(np.diff(s.wavelength_nm) == 5.0)
    assert one[0].y[0] == pytest.approx(0.621) and one[0].y[-1] == pytest.approx(0.066)
    assert one[-1].y[0] == pytest.approx(0.518) and one[-1].y[-1] == pytest.approx(0.171)
    with pytest.raises(QdlabInputError, match="Plate 1 - Sheet1"):
        read_spectra(GRID, sheet="Plate 1")         # the error lists the real sheet names


def test_excel_gen5_export_block_starting_in_column_b():
    """The BioTek Gen5 3.09 sheet (Epoch 2 reader): a key/value header in column A, then
    the spectrum block written from column B (column A empty), a header naming wells up
    to H12 of which only A1-E12 were read, and a 'Results' plate table after the block.
    Before the reader dropped leading empty columns this sheet was refused ("the x column
    holds no finite values") and skipped when reading all sheets."""
    plate = _read(GRID, sheet="Plate 1 - Sheet1")
    labels = [s.label for s in plate]
    assert len(plate) == 60 and labels[0] == "A1" and labels[-1] == "E12"  # no F1-H12
    m = plate[0].metadata
    assert m["leading_empty_columns"] == 1
    assert m["Reader Type"] == "Epoch 2" and m["Software Version"] == "3.09.07"
    assert m["Read"] == "Absorbance Spectrum"
    assert m["footer_lines"] == 10             # 'Results', its column row, rows A-H
    assert plate[-1].y[0] == pytest.approx(0.052) and plate[-1].y[-1] == pytest.approx(0.044)
    sheet1 = {s.label: s for s in _read(GRID, sheet="Sheet1")}
    for s in plate[:49]:                        # the authors' copy holds the same numbers
        np.testing.assert_array_equal(s.wavelength_nm, sheet1[s.label].wavelength_nm)
        np.testing.assert_array_equal(s.y, sheet1[s.label].y)
    assert _read(GRID.read_bytes(), sheet="Plate 1 - Sheet1")[5].label == "A6"


def test_csv_rows_starting_with_the_delimiter_from_real_values():
    """The same layout as text (Gen5 CSV export style: every row starts with the
    delimiter), built from the real Shimadzu values."""
    (ref,) = _read(IO / "shimadzu_MoS2_fromCzech2015.txt")
    lines = [",Wavelength (nm),MoS2"] + [f",{x:.1f},{y:.4f}" for x, y in
                                          zip(ref.wavelength_nm, ref.y, strict=True)]
    (s,) = _read("\r\n".join(lines) + "\r\n")
    assert s.label == "MoS2" and s.metadata["leading_empty_columns"] == 1
    np.testing.assert_allclose(s.wavelength_nm, ref.wavelength_nm)
    np.testing.assert_allclose(s.y, ref.y)


# ----------------------------------------------------------------- Horiba LabSpec
def test_horiba_labram_pl_spectrum_header_and_laser():
    """LabRAM HR Evolution PL export (405 nm laser, latin-1 header, CRLF/LF mix)."""
    (s,) = _read(IO / "horiba_labram_spectrum_nm.txt")
    assert detect_format((IO / "horiba_labram_spectrum_nm.txt").read_text("latin-1")).NAME \
        == "horiba"
    assert s.kind == "emission" and s.label == "xBr85_1"
    assert s.metadata["excitation_nm"] == 405.0
    assert s.wavelength_nm.size == 1922 - 45
    assert s.wavelength_nm[0] == pytest.approx(425.071)
    assert s.wavelength_nm[-1] == pytest.approx(624.94)


def test_horiba_labram_series_is_one_spectrum_per_row():
    ss = _read(IO / "horiba_labram_survey_nm.txt")
    assert [s.label for s in ss] == [f"xBr75_2 #{i}" for i in (1, 2, 3, 4)]
    for s in ss:
        assert s.kind == "emission"
        assert s.wavelength_nm[0] == pytest.approx(400.053)
        assert s.wavelength_nm[-1] == pytest.approx(599.958)
        assert s.wavelength_nm.size == 1873
    # the first row of the file holds the intensities of spectrum 1 at 400.053 nm
    assert ss[0].y[0] == pytest.approx(1439.2)
    assert ss[1].y[1] == pytest.approx(1620.12)


def test_horiba_raman_shift_export_is_refused_with_the_reason():
    with pytest.raises(QdlabInputError, match="Raman shift"):
        _read(IO / "horiba_labram_spectrum_wn.txt")


def test_pl_band_next_to_the_excitation_tail_is_taken_not_the_edge():
    """The 405 nm laser's tail makes the data maximum at 425 nm, the data's first point;
    the emission band is the interior one near 503 nm (2-nm box average: 502 nm)."""
    from qdlab.sizing.emission import fit_emission

    (s,) = _read(IO / "horiba_labram_spectrum_nm.txt")
    r = fit_emission(s.wavelength_nm, s.y, "CsPbBr3", warn=False)
    assert 498.0 < r.peak_nm < 510.0
    assert any("tail of light outside" in n for n in r.notes)
    assert r.fwhm_nm is not None and 25.0 < r.fwhm_nm < 50.0


# ----------------------------------------------------------------- PerkinElmer
def test_perkinelmer_lambda950_absorbance():
    """UV WinLab ASCII from a Lambda 950: ordinate ``A`` some 70 lines into the header."""
    (s,) = _read(IO / "perkinelmer_lambda950_F4-P3HT.Probe.Raw.asc")
    assert s.metadata["format"] == "perkinelmer"
    assert s.metadata["instrument"] == "Lambda 950"
    assert s.kind == "absorbance" and s.metadata["original_kind"] == "absorbance"
    assert s.metadata["notes"] == []          # the kind is read, not guessed
    assert s.wavelength_nm.size == 2181
    assert s.wavelength_nm[0] == 320.0 and s.wavelength_nm[-1] == 2500.0
    assert s.y[-1] == pytest.approx(0.012944)


def test_perkinelmer_lambda1050_percent_t_is_converted():
    (s,) = _read(IO / "perkinelmer_lambda1050_KTF-D.Probe.Raw.asc")
    assert s.metadata["instrument"] == "Lambda 1050"
    assert s.metadata["original_kind"] == "transmittance_pct"
    assert not any("not stated" in n for n in s.metadata["notes"])
    assert s.wavelength_nm.size == 1001
    # 1200 nm: 89.940565 %T -> A = 2 - log10(89.940565)
    assert s.y[-1] == pytest.approx(2.0 - np.log10(89.940565), rel=1e-9)


def test_pl_laser_line_inside_the_data_is_not_taken_for_emission():
    """Spectrum 4 of the LabRAM series holds the 405 nm laser line itself (FWHM ~4 nm, the
    data maximum): the stated laser wavelength keeps it out; the band is near 488 nm."""
    from qdlab.sizing.emission import fit_emission

    s = _read(IO / "horiba_labram_survey_nm.txt")[3]
    blind = fit_emission(s.wavelength_nm, s.y, "CsPbBr3", warn=False)
    assert blind.peak_nm < 410.0 and blind.quality != "good"  # why the guard is needed
    r = fit_emission(s.wavelength_nm, s.y, "CsPbBr3", warn=False,
                     excitation_nm=s.metadata["excitation_nm"])
    assert 483.0 < r.peak_nm < 493.0
    assert any("405 nm excitation line" in n for n in r.notes)


def test_pl_band_cut_by_the_data_end_is_not_replaced_by_a_small_interior_line():
    """A band rising to the red end of the data (cut) with a weak narrow line inside (e.g.
    a solvent Raman line): the small line is not taken for the emission band."""
    from qdlab.sizing.emission import fit_emission

    x = np.arange(450.0, 600.0, 0.5)
    y = 1000.0 * np.exp(-0.5 * ((x - 615.0) / 20.0) ** 2) \
        + 60.0 * np.exp(-0.5 * ((x - 500.0) / 1.5) ** 2) + 5.0
    y = y + np.random.default_rng(0).normal(0.0, 1.0, x.size)
    r = fit_emission(x, y, "CdSe", warn=False)
    assert r.peak_nm > 590.0
    assert r.quality != "good"
    assert not any("tail of light outside" in n for n in r.notes)


# ----------------------------------------------------------------- Edinburgh Instruments
EDI = SPECTRA / "raft_fluorimeters"


@pytest.mark.parametrize("name", ["F980_EmScan.txt", "Fluoracle.csv", "Fluoracle_emission.txt",
                                  "Fluoracle_emission_multiple.txt", "F980_IRF.txt"])
def test_edinburgh_exports_are_detected(name):
    assert detect_format((EDI / name).read_text()).NAME == "edinburgh"


def test_edinburgh_f980_emission_scan_tab():
    """F980 emission scan (MCP detector, pulsed diode source: Fixed/Offset -100, so no
    excitation wavelength is stated); label from the ``Labels`` row, not the last header row
    (``Detector<TAB>MCP``)."""
    (s,) = _read(EDI / "F980_EmScan.txt")
    assert s.label == "EmScan9" and s.kind == "emission"
    assert s.metadata["notes"] == []                    # kind read from the header
    assert s.metadata["Detector"] == "MCP" and s.metadata["Lamp"] == "TCSPC Diode"
    assert s.metadata["Fixed/Offset"] == "-100.00" and "excitation_nm" not in s.metadata
    # 675.00 ... 820.00 in 1.00 nm steps, zero counts at both ends
    assert len(s) == 146 and s.wavelength_nm[0] == 675.0 and s.wavelength_nm[-1] == 820.0
    assert np.all(np.diff(s.wavelength_nm) == 1.0)
    assert s.y[0] == 0.0 and s.y[1] == pytest.approx(22.4496574) and s.y[-1] == 0.0
    assert s.y[-2] == pytest.approx(6189.1084)
    assert s.wavelength_nm[np.argmax(s.y)] == 782.0 and s.y.max() == pytest.approx(22287.4453)


def test_edinburgh_fluoracle_csv_trailing_commas_and_excitation():
    """Fluoracle CSV: every row ends with a comma; neither the label nor the header values
    keep it.  Emission scan with the excitation monochromator at 530 nm (Xenon lamp)."""
    (s,) = _read(EDI / "Fluoracle.csv")
    assert s.label == "DMF_dmso DMC_01" and s.kind == "emission"
    assert s.metadata["excitation_nm"] == 530.0 and s.metadata["Lamp"] == "Xenon"
    assert s.metadata["Type"] == "Emission Scan" and s.metadata["Yaxis"] == "Counts"
    assert len(s) == 251 and s.wavelength_nm[0] == 600.0 and s.wavelength_nm[-1] == 850.0
    assert s.y[0] == pytest.approx(134.703979) and s.y[-1] == pytest.approx(2446.96704)
    assert s.wavelength_nm[np.argmax(s.y)] == 772.0 and s.y.max() == pytest.approx(129128.469)


def test_edinburgh_fluoracle_blank_emission_scan():
    (s,) = _read(EDI / "Fluoracle_emission.txt")
    assert s.label == "noSample_emission" and s.metadata["excitation_nm"] == 350.0
    assert len(s) == 226 and s.wavelength_nm[0] == 375.0 and s.wavelength_nm[-1] == 600.0
    assert s.y[0] == pytest.approx(10774.1357) and s.y[-1] == pytest.approx(796.848145)


def test_edinburgh_fluoracle_five_curves_after_a_map_index_line():
    """Five emission scans in one export (``M0`` line and an empty line before ``Labels``),
    0.5 nm steps written as ``500.500``."""
    ss = _read(EDI / "Fluoracle_emission_multiple.txt")
    assert [s.label for s in ss] == [f"Em {i}" for i in range(1, 6)]
    for s in ss:
        assert s.kind == "emission" and s.metadata["excitation_nm"] == 460.0
        assert len(s) == 201 and s.wavelength_nm[0] == 500.0 and s.wavelength_nm[-1] == 600.0
        assert np.all(np.diff(s.wavelength_nm) == 0.5)
        assert s.metadata["Labels"] == [f"Em {i}" for i in range(1, 6)]
        assert s.metadata["Step"] == "0.500"            # same for all curves: one string
    assert ss[2].y[0] == pytest.approx(27.1088753)      # first row, Em 3
    assert ss[1].y[1] == pytest.approx(23.0869846)      # 500.500 nm, Em 2
    assert ss[4].y[-1] == pytest.approx(12.8452024)     # last row, Em 5


def test_edinburgh_excitation_scan_keeps_the_emission_wavelength():
    """Same real header with ``Type`` changed to an excitation scan: the fixed
    monochromator is then the detection (emission) wavelength, not an excitation."""
    text = (EDI / "Fluoracle.csv").read_text().replace("Emission Scan", "Excitation Scan")
    (s,) = _read(text)
    assert s.metadata["emission_nm"] == 530.0 and "excitation_nm" not in s.metadata
    assert s.kind == "emission" and s.label == "DMF_dmso DMC_01"


def test_edinburgh_decay_on_a_time_axis_is_refused_with_the_reason():
    with pytest.raises(QdlabInputError, match="time axis.*Time\\(ns\\)"):
        _read(EDI / "F980_IRF.txt")


def test_edinburgh_pl_band_peak_and_no_size_outside_the_model_range():
    """The 772 nm band of the Fluoracle export (sample not stated beyond its label): the PL
    peak is found within 3 nm of the data maximum; CsPbI3's model range ends to the blue
    of it, so no diameter is reported."""
    from qdlab.sizing.emission import fit_emission

    (s,) = _read(EDI / "Fluoracle.csv")
    r = fit_emission(s.wavelength_nm, s.y, "CsPbI3", warn=False,
                     excitation_nm=s.metadata["excitation_nm"])
    assert abs(r.peak_nm - s.wavelength_nm[np.argmax(s.y)]) < 3.0
    assert r.diameter_nm is None and r.quality != "good"
    assert any("outside the model's emission range" in m for m in r.reasons)
    assert r.fwhm_nm is not None and 35.0 < r.fwhm_nm < 60.0


@pytest.mark.parametrize("name", ["A", "Abs", "T"])
def test_edinburgh_curve_label_does_not_set_the_kind(name):
    """A curve named like an absorbance/%T column header is still the ``Yaxis`` counts."""
    text = (EDI / "Fluoracle.csv").read_text().replace("DMF_dmso DMC_01", name)
    (s,) = _read(text)
    assert s.label == name and s.kind == "emission" and s.metadata["notes"] == []


# ----------------------------------------------------------------- Horiba FluorEssence
def test_fluoressence_paired_columns_labelled_by_long_name():
    """FluorEssence worksheet export: short-name, long-name and units rows, then (Wavelength,
    signal) pairs; the curves are the long names, not ``Wavelength``."""
    p = EDI / "FluorEssence.txt"
    assert detect_format(p.read_text()).NAME == "fluoressence"
    ss = _read(p)
    assert [s.label for s in ss] == ["S1c / R1c", "S1", "R1"]
    assert ss[0].metadata["units"] == ["CPS / MicroAmps", "CPS", "MicroAmps"]
    for s in ss:
        assert s.kind == "emission" and s.metadata["notes"] == []
        assert len(s) == 211 and s.wavelength_nm[0] == 490.0 and s.wavelength_nm[-1] == 700.0
    assert ss[0].y[0] == pytest.approx(2322.5469768149)
    assert ss[1].y[0] == 67564.0 and ss[1].y[-1] == 12248.0
    assert ss[2].y[-1] == pytest.approx(33.6413708321982)
    assert ss[1].wavelength_nm[np.argmax(ss[1].y)] == 527.0      # raw S1 maximum


def test_fluoressence_all_columns_export_drops_the_row_numbers():
    """"All columns" layout: row-name column and worksheet row numbers (1..151) are not data
    (read as the x axis they were refused as an unknown unit)."""
    ss = _read(EDI / "FluorEssence_allcol.txt")
    assert [s.label for s in ss] == ["S1c / R1c", "S1", "R1"]
    for s in ss:
        assert len(s) == 151 and s.wavelength_nm[0] == 700.0 and s.wavelength_nm[-1] == 850.0
    assert ss[1].y[0] == 9800.0 and ss[1].y[-1] == 6230.0
    assert ss[0].y[-1] == pytest.approx(154.533073924522)
    assert ss[1].wavelength_nm[np.argmax(ss[1].y)] == 773.0


def test_fluoressence_repeated_scan_one_curve_per_cycle():
    ss = _read(EDI / "FluorEssence_multiple.txt")
    assert len(ss) == 10
    assert ss[0].label == "05/12/2017 17:24:47" and ss[-1].label == "05/12/2017 17:31:17"
    assert ss[0].metadata["CycleNumber row"].split("\t")[1:] == [str(i) for i in range(1, 11)]
    for s in ss:
        assert len(s) == 201 and s.wavelength_nm[0] == 650.0 and s.wavelength_nm[-1] == 850.0
    assert ss[0].y[0] == pytest.approx(111.936017411814)
    assert ss[9].y[-1] == pytest.approx(1050.22196783663)


def test_fluoressence_wavelength_columns_that_differ_are_refused():
    text = (EDI / "FluorEssence.txt").read_text().replace("490\t67564", "489\t67564")
    with pytest.raises(QdlabInputError, match="wavelength columns differ"):
        read_spectra(text)


# ----------------------------------------------------------------- PerkinElmer FL WinLab
def test_perkinelmer_ls55_fl_winlab_emission():
    """FL WinLab ASCII of an LS 55 (``PE FL`` header, instrument on line 21), 350-600 nm."""
    (s,) = _read(EDI / "FLWinlab")
    assert s.metadata["format"] == "perkinelmer" and s.metadata["instrument"] == "LS55"
    assert s.kind == "emission" and s.metadata["notes"] == []
    assert len(s) == 501 and s.wavelength_nm[0] == 350.0 and s.wavelength_nm[-1] == 600.0
    assert s.y[0] == pytest.approx(65.282) and s.y[-1] == pytest.approx(5.848)
    band = s.wavelength_nm > 450.0
    assert s.wavelength_nm[band][np.argmax(s.y[band])] == 527.0


@pytest.mark.parametrize("name", ["F980_EmScan.txt", "Fluoracle.csv",
                                  "Fluoracle_emission_multiple.txt", "FluorEssence.txt",
                                  "FluorEssence_allcol.txt", "FluorEssence_multiple.txt"])
def test_fluorimeter_exports_cut_or_damaged_are_read_or_refused_cleanly(name):
    """Each real export cut after any of its header lines, or with the line above the
    header damaged: a spectrum or a QdlabInputError, never another exception."""
    lines = (EDI / name).read_text().split("\n")
    variants = ["\n".join(lines[:k]) for k in range(30)]
    variants += ["\n".join(lines[k:]) for k in range(8)]
    variants += ["\n".join(["1"] + lines[1:]), "\n".join(["1\t2"] + lines[1:])]
    for text in variants:
        try:
            _read(text)
        except QdlabInputError:
            pass
