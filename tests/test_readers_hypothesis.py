"""Property-based tests of the spectrum readers (issue 10) with hypothesis.

Contract for any input: ``read_spectra`` returns spectra with finite values, strictly
ascending wavelengths inside 150-5000 nm and |A| <= 10 for absorbance, or raises one
:class:`QdlabInputError`; never another exception. Well-formed data written in any
layout (delimiter, decimal mark, line ending, BOM, order, header) reads back exactly.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from qdlab.errors import QdlabInputError
from qdlab.optics.spectrum_io import (
    MAX_ABS_ABSORBANCE,
    WAVELENGTH_RANGE_NM,
    read_spectra,
    screen_points,
)

# no shrinking phase: a failure prints its (unshrunk) example; keeps the run bounded
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow])

TOKENS = st.sampled_from(["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "", "n/a", "--",
                          "abc", "1.2.3", "1e300", "-1e300", "1e-300", "+", "e5", "∞",
                          '"0.5"', "0,5", "#N/A", "0", "-0", "1e-5", "12", "99.5"])
FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.floats(min_value=-3, max_value=3),
                   st.floats(min_value=0, max_value=100),
                   st.sampled_from([1e300, -1e300, 1e-300, 0.0, 5e3, 150.0]))


def _check_contract(source, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            specs = read_spectra(source, **kw)
        except QdlabInputError as exc:
            assert str(exc)
            return None
    lo, hi = WAVELENGTH_RANGE_NM
    for s in specs:
        x, y = s.wavelength_nm, s.y
        assert x.size >= 3 and x.shape == y.shape
        assert np.all(np.isfinite(x)) and np.all(np.isfinite(y))
        assert np.all(np.diff(x) > 0)
        assert lo <= x.min() and x.max() <= hi
        if s.kind == "absorbance":
            assert np.max(np.abs(y)) <= MAX_ABS_ABSORBANCE
    return specs


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes(raw):
    _check_contract(raw)


@SETTINGS
@given(st.text(max_size=2000))
def test_random_text(text):
    _check_contract(text + "\n")


@st.composite
def malformed_tables(draw):
    nrow = draw(st.integers(1, 60))
    ncol = draw(st.integers(1, 5))
    x0 = draw(st.floats(min_value=-10, max_value=4000))
    step = draw(st.sampled_from([1.0, -1.0, 0.5, 0.0, 1e-9, 1e3]))
    rows = []
    for i in range(nrow):
        cells = [repr(x0 + i * step)] + [repr(draw(FLOATS)) if draw(st.booleans())
                                         else f"{0.1 + 0.01 * i:.4f}" for _ in range(ncol)]
        if draw(st.integers(0, 9)) == 0:
            cells[draw(st.integers(0, ncol))] = draw(TOKENS)
        rows.append(cells)
    delim = draw(st.sampled_from([",", "\t", ";", " ", "|"]))
    comma = delim in (";", "\t", " ") and draw(st.booleans())
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    header = draw(st.sampled_from(["", "Wavelength (nm)", "nm", "Energy (eV)", "x", "%T"]))
    lines = []
    if header:
        lines.append(delim.join([header] + [f"s{k}" for k in range(ncol)]))
    for cells in rows:
        line = delim.join(cells)
        lines.append(line.replace(".", ",") if comma else line)
    raw = eol.join(lines).encode()
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    kind = draw(st.sampled_from(["auto", "absorption", "absorbance", "transmittance_pct",
                                 "emission"]))
    return raw, kind


@SETTINGS
@given(malformed_tables())
def test_malformed_tables(case):
    raw, kind = case
    _check_contract(raw, kind=kind)


@st.composite
def good_tables(draw):
    n = draw(st.integers(3, 80))
    x = np.round(np.sort(draw(st.lists(st.floats(min_value=200, max_value=1100),
                                       min_size=n, max_size=n, unique=True))), 3)
    x = np.unique(x)
    if x.size < 3:
        x = np.array([400.0, 401.0, 402.0])
    ncol = draw(st.integers(1, 4))
    Y = np.round(np.array([draw(st.lists(st.floats(min_value=-0.05, max_value=4.0),
                                         min_size=x.size, max_size=x.size))
                           for _ in range(ncol)]), 4)
    delim = draw(st.sampled_from([",", "\t", ";", " "]))
    comma = delim != "," and draw(st.booleans())
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    order = draw(st.sampled_from(["asc", "desc"]))
    header = draw(st.booleans())
    return x, Y, delim, comma, eol, order, header


@SETTINGS
@given(good_tables())
def test_roundtrip_any_layout(case):
    x, Y, delim, comma, eol, order, header = case
    idx = np.arange(x.size) if order == "asc" else np.arange(x.size)[::-1]
    lines = [delim.join(["Wavelength (nm)"] + [f"Abs {k}" for k in range(len(Y))])] \
        if header else []
    for i in idx:
        cells = [f"{x[i]:.3f}"] + [f"{Y[k, i]:.4f}" for k in range(len(Y))]
        line = delim.join(cells)
        lines.append(line.replace(".", ",") if comma else line)
    specs = _check_contract(eol.join(lines) + eol, kind="absorbance")
    assert specs is not None and len(specs) == len(Y)
    for k, s in enumerate(specs):
        np.testing.assert_allclose(s.wavelength_nm, x, atol=1e-9)
        np.testing.assert_allclose(s.y, Y[k], atol=1e-9)


@SETTINGS
@given(st.lists(st.one_of(st.floats(), st.floats(min_value=150, max_value=5000)),
                min_size=1, max_size=50),
       st.lists(st.floats(), min_size=1, max_size=50))
def test_screen_points_contract(xs, ys):
    n = min(len(xs), len(ys))
    x, y = np.array(xs[:n]), np.array(ys[:n])
    try:
        xk, yk, notes = screen_points(x, y)
    except QdlabInputError:
        return
    assert xk.size >= 3 and xk.size >= 0.5 * n
    assert np.all(np.isfinite(xk)) and np.all(np.abs(yk) <= MAX_ABS_ABSORBANCE)
    assert (xk.size < n) == bool(notes)


@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate])
@given(st.lists(st.tuples(st.integers(0, 399), st.sampled_from(
    [np.nan, np.inf, -np.inf, 1e300, -1e300, 50.0])), max_size=60))
def test_fit_contract_with_junk_points(junk):
    """fit_spectrum on a spectrum with junk points: a sane result or QdlabInputError."""
    from qdlab.sizing.fit import fit_spectrum

    y = _SPECTRUM.copy()
    for i, v in junk:
        y[i] = v
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = fit_spectrum(_WL, y, "CdSe", table=_table())
    except QdlabInputError:
        return
    assert math.isfinite(res.diameter_nm) and res.diameter_nm > 0
    assert res.concentration_M is None or res.concentration_M > 0


_WL = np.arange(350.0, 750.0, 1.0)
_SPECTRUM = (0.3 * np.exp(-0.5 * ((_WL - 560) / 12) ** 2)
             + 0.6 / (1 + np.exp((_WL - 500) / 20)) + 0.01)
_TABLE = []


def _table():
    if not _TABLE:
        from qdlab.sizing.fit import model_table

        _TABLE.append(model_table("CdSe"))
    return _TABLE[0]


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_bom_and_line_endings_with_comments(eol):
    text = eol.join(["# exported", "// by hand", "nm;A", "400,0;0,1", "401,0;0,2",
                     "402,0;0,3", ""])
    s = read_spectra(b"\xef\xbb\xbf" + text.encode())[0]
    assert s.wavelength_nm.tolist() == [400.0, 401.0, 402.0]
    np.testing.assert_allclose(s.y, [0.1, 0.2, 0.3])
