"""Colour of emission spectra and display gamuts."""
import colour
import numpy as np
import pytest

from qdlab.errors import QdlabInputError
from qdlab.optics.colour import (
    GAMUTS,
    emission_colour,
    emission_srgb_hex,
    gamut_coverage,
    gaussian_line,
    polygon_area,
    polygon_intersection,
)

CMFS = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]


@pytest.mark.parametrize("wl", [450.0, 500.0, 550.0, 600.0, 650.0])
def test_monochromatic_on_locus(wl):
    c = emission_colour([wl], [1.0])
    xyz = CMFS[wl]
    assert c.x == pytest.approx(xyz[0] / xyz.sum(), abs=1e-4)
    assert c.y == pytest.approx(xyz[1] / xyz.sum(), abs=1e-4)
    assert c.purity == pytest.approx(1.0, abs=1e-3)
    assert c.dominant_wavelength_nm == pytest.approx(wl, abs=0.5)


def test_shipped_cmfs_are_colour_sciences():
    from qdlab.optics.colour import _cmf_table

    wl, val = _cmf_table()
    np.testing.assert_array_equal(wl, CMFS.wavelengths)
    np.testing.assert_array_equal(val, CMFS.values)


@pytest.mark.parametrize("fwhm", [0.0, 30.0])
def test_fast_srgb_hex_is_colour_sciences(fwhm):
    # emission_srgb_hex (no colour-science import, used by the CLI) against
    # colour.XYZ_to_sRGB on the same tristimulus values, every 1 nm of the visible
    for centre in np.arange(380.0, 781.0, 1.0):
        wl, I = ([centre], [1.0]) if fwhm == 0 else gaussian_line(centre, fwhm)
        c = emission_colour(wl, I)
        XYZ = np.array([c.X, c.Y, c.Z])
        rgb = np.clip(colour.XYZ_to_sRGB(XYZ / XYZ[1] * 0.5), 0, None)
        rgb = np.clip(rgb / rgb.max(), 0, 1)
        ref = "#" + "".join(f"{int(round(float(v) * 255)):02X}" for v in rgb)
        assert emission_srgb_hex(wl, I) == c.srgb_hex == ref, centre


def test_gaussian_agrees_with_colour_science():
    wl, I = gaussian_line(620.0, 30.0, step_nm=1.0)
    sd = colour.SpectralDistribution(dict(zip(wl, I, strict=False)))
    XYZ = colour.sd_to_XYZ(sd, CMFS, method="Integration")
    xy = colour.XYZ_to_xy(XYZ)
    c = emission_colour(wl, I)
    assert c.x == pytest.approx(xy[0], abs=1e-4)
    assert c.y == pytest.approx(xy[1], abs=1e-4)
    up = colour.xy_to_Luv_uv(xy)
    assert (c.u_prime, c.v_prime) == pytest.approx(tuple(up), abs=1e-4)


def test_gamuts():
    r = gamut_coverage(GAMUTS["sRGB"])
    assert r["sRGB"]["coverage_xy"] == pytest.approx(1.0, abs=1e-12)
    assert r["sRGB"]["area_ratio_upvp"] == pytest.approx(1.0, abs=1e-12)
    r2 = gamut_coverage(GAMUTS["Rec.2020"], references=["sRGB"])
    assert r2["sRGB"]["area_ratio_xy"] == pytest.approx(1.89, abs=0.01)
    assert r2["sRGB"]["coverage_xy"] == pytest.approx(1.0, abs=1e-12)
    r3 = gamut_coverage(GAMUTS["sRGB"], references=["Rec.2020"])
    assert r3["Rec.2020"]["coverage_xy"] == pytest.approx(1 / 1.891, abs=2e-3)


def test_clipping_square():
    sq = [[0, 0], [1, 0], [1, 1], [0, 1]]
    assert polygon_area(polygon_intersection(sq, [[0.5, 0.5], [2, 0.5], [2, 2], [0.5, 2]])) \
        == pytest.approx(0.25)
    assert polygon_area(polygon_intersection(sq, [[2, 2], [3, 2], [3, 3]])) == 0.0


def test_qd_primaries_and_bad_input():
    lines = [gaussian_line(630, 25), gaussian_line(530, 25), gaussian_line(460, 20)]
    r = gamut_coverage(lines)
    assert r["sRGB"]["coverage_xy"] == pytest.approx(1.0, abs=1e-3)
    assert 0.8 < r["Rec.2020"]["coverage_xy"] < 1.0
    with pytest.raises(QdlabInputError):
        emission_colour([500, 510], [-1, 1])
    with pytest.raises(QdlabInputError):
        emission_colour([1000, 1100], [1, 1])
    with pytest.raises(QdlabInputError):
        gamut_coverage([[0.3, 0.3], [0.4, 0.4]])


# --- issue 10: no absurd dominant wavelength or purity, nearly invisible light warns ----------

def test_deep_red_line_has_no_negative_dominant_wavelength():
    """780 nm sits on the red corner of the locus (shared by 699-830 nm): not a purple."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c = emission_colour(*gaussian_line(780.0, 1.0))
    assert c.dominant_wavelength_nm is None and c.complementary_wavelength_nm is None
    assert "red end of the spectral locus" in c.dominant_wavelength_note
    assert c.purity == 1.0
    assert c.luminous_efficiency < 1e-4          # V(780 nm) = 1.5e-5
    assert any("nearly invisible" in str(w.message) for w in caught)


def test_purple_reports_complementary_wavelength():
    c = emission_colour([450.0, 650.0], [1.0, 1.5])
    assert c.dominant_wavelength_nm is None
    assert 540.0 < c.complementary_wavelength_nm < 575.0   # greenish complement of magenta
    assert "purple" in c.dominant_wavelength_note
    assert 0.0 < c.purity < 1.0


@pytest.mark.parametrize("centre", [382.0, 384.0, 500.0, 620.0, 690.0, 760.0, 830.0])
@pytest.mark.parametrize("fwhm", [0.5, 5.0, 20.0])
def test_purity_never_above_one_and_dominant_never_negative(centre, fwhm):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = emission_colour(*gaussian_line(centre, fwhm))
    assert 0.0 <= c.purity <= 1.0
    assert c.dominant_wavelength_nm is None or c.dominant_wavelength_nm > 0
    assert c.dominant_wavelength_nm is not None or c.dominant_wavelength_note


def test_visible_line_has_no_colour_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = emission_colour(*gaussian_line(620.0, 30.0))
    assert 600.0 < c.dominant_wavelength_nm < 630.0 and 0.3 < c.luminous_efficiency < 0.5
