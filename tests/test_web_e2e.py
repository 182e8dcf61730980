"""End-to-end tests of the explorer page in headless Debian chromium (Playwright).

One server (uvicorn on 127.0.0.1, a free port) and one browser for the module.
Chromium is Debian's ``/usr/bin/chromium`` (installed by
``scripts/install_browser.sh``; never ``playwright install``).  The tests skip
only when no chromium binary exists.
"""

from __future__ import annotations

import os
import shutil
import socket
import struct
import threading
import time
import zlib
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")
uvicorn = pytest.importorskip("uvicorn", reason="the web extra (uvicorn) is not installed")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

CHROMIUM = os.environ.get("QDLAB_CHROMIUM") or next(
    (p for p in ("/usr/bin/chromium", shutil.which("chromium") or "",
                 shutil.which("chromium-browser") or "") if p and os.path.exists(p)), None)
if CHROMIUM is None:
    pytest.skip("no chromium binary (/usr/bin/chromium): run scripts/install_browser.sh",
                allow_module_level=True)

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DATA = Path(__file__).parent / "data"
SCREENSHOT = Path(os.environ.get("QDLAB_SCREENSHOT_DIR", Path(__file__).parent.parent / "build")) \
    / "qdlab-explorer.png"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    from qdlab.web import create_app

    port = _free_port()
    # a long levels timeout: 3D shape solves take seconds, more on a loaded machine
    config = uvicorn.Config(create_app(timeout_s={"levels": 120.0}), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    t0 = time.monotonic()
    while not srv.started:
        if time.monotonic() - t0 > 20:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(10)


@pytest.fixture(scope="module")
def page(server):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(server + "/")
        pg.wait_for_selector("body[data-ready='1']", timeout=60_000)
        pg.errors = errors
        yield pg
        browser.close()


def _canvas(pg, plot_id: str) -> str:
    return pg.evaluate(f"document.querySelector('#{plot_id} canvas').toDataURL()")


def test_page_loads_without_errors(page):
    assert page.title() == "qdlab explorer"
    assert page.get_attribute("#swatch", "data-colour").startswith("#")
    assert page.locator("#material option").count() > 5
    assert page.errors == []


def test_slider_changes_swatch_and_plots(page):
    colour0 = page.get_attribute("#swatch", "data-colour")
    exciton0 = page.inner_text("#exciton")
    spectrum0 = _canvas(page, "plot-spectrum")
    levels0 = _canvas(page, "plot-levels")
    n0 = int(page.get_attribute("body", "data-updates"))
    slider = page.locator("#diameter")
    slider.fill("2.6")                 # sets the value and fires input
    page.wait_for_selector(f"body[data-updates='{n0 + 1}']", timeout=60_000)
    assert page.inner_text("#diameter-value") == "2.60 nm"
    colour1 = page.get_attribute("#swatch", "data-colour")
    assert colour1 != colour0          # 4 nm CdSe is orange, 2.6 nm is green-yellow
    assert page.inner_text("#exciton") != exciton0
    assert float(page.inner_text("#exciton").split()[0]) < float(exciton0.split()[0])
    assert _canvas(page, "plot-levels") != levels0
    assert _canvas(page, "plot-spectrum") != spectrum0
    bg = page.evaluate("getComputedStyle(document.getElementById('swatch')).backgroundColor")
    r, g, b = (int(int(colour1[i:i + 2], 16)) for i in (1, 3, 5))
    assert bg == f"rgb({r}, {g}, {b})"


def test_upload_spectrum_and_see_fit(page):
    page.set_input_files("#fit-file", str(DATA / "run6_absorbance.csv"))
    page.fill("#fit-column", "600 s")
    page.click("#fit-button")
    page.wait_for_selector("#fit-table tbody tr", timeout=120_000)
    cells = page.locator("#fit-table tbody tr").first.locator("td").all_inner_texts()
    assert cells[0] == "600 s"
    peak, diameter = float(cells[2]), float(cells[3])
    assert 525 < peak < 540            # the 600 s spectrum of run 6 peaks near 531 nm
    assert 2.0 < diameter < 4.0
    assert page.locator("#plot-fit canvas").count() == 1
    # the verdict is a visible coloured badge saying what the API said
    badge = page.locator("#fit-table .badge").first
    assert badge.is_visible()
    api = page.evaluate("state.fits[0].quality")
    assert badge.get_attribute("data-quality") == api == badge.inner_text()
    colour = {"good": "rgb(27, 127, 59)", "uncertain": "rgb(184, 110, 0)",
              "no feature": "rgb(107, 114, 128)"}[api]
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == colour


CARBON_DOTS = DATA / "spectra" / "karpushkin_oceanoptics_carbon_dots" / "u_ca_3_1_p.txt"


def test_fit_badge_and_reasons_for_a_spectrum_without_exciton(page):
    """Carbon dots (no excitonic feature) fitted as CdSe: never a green badge; reasons shown."""
    page.set_input_files("#fit-file", str(CARBON_DOTS))
    page.fill("#fit-column", "")
    n0 = int(page.evaluate("document.body.dataset.fits || 0"))
    page.click("#fit-button")
    page.wait_for_selector(f"body[data-fits='{n0 + 1}']", timeout=120_000)
    badge = page.locator("#fit-table .badge").first
    assert badge.is_visible()
    q = badge.get_attribute("data-quality")
    assert q in ("uncertain", "no feature", "error"), q
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") != "rgb(27, 127, 59)"
    if q != "error":
        reasons = page.locator("#fit-table .fit-reasons li")
        assert reasons.count() >= 1 and reasons.first.is_visible()


def test_synthesis_runs(page):
    page.locator("#duration").fill("60")
    page.click("#synth-button")
    page.wait_for_selector("body[data-synth='done']", timeout=120_000)
    assert "mean diameter" in page.inner_text("#synth-result")
    assert page.locator("#synth-swatches span").count() > 10


def _png_pixels(data: bytes):
    """Decode an 8-bit RGB/RGBA non-interlaced PNG (what chromium writes) to rows of bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and ctype in (2, 6)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def test_screenshot_not_blank(page):
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    data = page.screenshot(path=str(SCREENSHOT), full_page=True)
    width, height, bpp, rows = _png_pixels(data)
    assert width >= 1000 and height >= 800
    colours = set()
    non_background = 0
    for row in rows[::4]:
        for x in range(0, width * bpp, 4 * bpp):
            px = row[x:x + 3]
            colours.add(px)
            if px not in (b"\xff\xff\xff", b"\xf6\xf7\xf9"):
                non_background += 1
    assert len(colours) > 50                       # text, plots, swatch: not a blank page
    assert non_background > 0.05 * len(rows[::4]) * (width // 4)


# ------------------------------------------------------------------ 3D shapes
# (after the screenshot: these switch the page to shape mode and back to the sphere)
def _numbers(text: str) -> list[float]:
    import re

    return [float(v) for v in re.findall(r"-?\d+\.\d+", text.replace("\u2212", "-"))]


def _distinct_colours(pg, canvas_id: str) -> int:
    return pg.evaluate(f"""(() => {{
        const c = document.getElementById('{canvas_id}');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < d.length; i += 4) seen.add(d[i] * 65536 + d[i + 1] * 256 + d[i + 2]);
        return seen.size; }})()""")


def test_rod_computes_and_matches_library(page):
    from qdlab.electronic.report import levels_report
    from qdlab.structures.shapes import Rod

    page.select_option("#kind", "rod")
    assert page.is_visible("#compute") and page.is_visible("#shape-panel")
    assert not page.is_visible("#plots-panel") and not page.is_visible("#diameter")
    page.fill("#rod-length", "5")
    page.fill("#rod-diameter", "2.5")
    n0 = int(page.get_attribute("body", "data-shape-updates") or 0)
    e0 = int(page.get_attribute("body", "data-shape-errors") or 0)
    page.click("#compute")
    assert page.is_disabled("#compute")              # one request at a time
    page.wait_for_selector(f"body[data-shape-updates='{n0 + 1}'], "
                           f"body[data-shape-errors='{e0 + 1}']", timeout=150_000)
    if int(page.get_attribute("body", "data-shape-errors") or 0) > e0:
        pytest.fail("the page shows an error: " + page.inner_text("#shape-message"))
    assert not page.is_visible("#busy") and page.is_enabled("#compute")

    ref = levels_report(Rod("CdSe", 5.0, 2.5))       # the library, same rod, same medium
    nm, ev = _numbers(page.inner_text("#exciton"))
    # shown with 1 decimal (nm) and 3 (eV); the grid solver repeats to ~1e-5 eV
    assert abs(nm - ref["first_exciton_nm"]) <= 0.05 + 0.01
    assert abs(ev - ref["first_exciton_eV"]) <= 0.0005 + 1e-4
    anis = page.inner_text("#anisotropy")
    assert "absorption r" in anis and "emission r" in anis
    r_abs, r_em = _numbers(anis)[:2]
    pa = ref["polarisation_anisotropy"]
    assert abs(r_abs - pa["absorption"]) <= 0.0005 + 2e-3
    assert abs(r_em - pa["emission"]) <= 0.0005 + 2e-3
    assert page.get_attribute("#swatch", "data-colour").startswith("#")
    # level lists: every electron and hole level of the library, in order
    e_rows = page.locator("#electron-levels tbody tr").all_inner_texts()
    h_rows = page.locator("#hole-levels tbody tr").all_inner_texts()
    assert len(e_rows) == len(ref["electron_levels"]) and len(h_rows) == len(ref["hole_levels"])
    for rows, levels in ((e_rows, ref["electron_levels"]), (h_rows, ref["hole_levels"])):
        for row, lv in zip(rows, levels, strict=True):
            assert abs(_numbers(row)[0] - lv["energy_eV"]) <= 0.0005 + 1e-4
    # heat maps of |psi|^2: drawn, not blank, wider than high (the rod lies along z)
    for cid in ("heat-electron", "heat-hole"):
        assert page.get_attribute(f"#{cid}", "data-updates") == "1"
        assert _distinct_colours(page, cid) > 20
        w, h = page.evaluate(f"[document.getElementById('{cid}').width, "
                             f"document.getElementById('{cid}').height]")
        assert w > h
    assert page.errors == []
    page.screenshot(path=str(SCREENSHOT.with_name("qdlab-explorer-rod.png")), full_page=True)


def test_stale_shape_answer_is_dropped(page):
    page.select_option("#kind", "cube")
    page.fill("#cube-edge", "3")
    n0 = int(page.get_attribute("body", "data-shape-updates") or 0)
    page.click("#compute")
    assert page.is_visible("#busy")
    page.fill("#cube-edge", "3.2")                   # new input while the 3 nm cube is solved
    assert "inputs changed" in page.inner_text("#shape-message")
    assert page.is_disabled("#compute")              # no second request while one runs
    page.wait_for_selector("#busy", state="hidden", timeout=150_000)
    assert (page.get_attribute("body", "data-shape-updates") or "0") == str(n0)   # dropped
    assert not page.is_visible("#shape-results") and page.inner_text("#exciton") == "–"
    assert page.inner_text("#shape-message") == "set the dimensions and press Compute"
    assert page.is_enabled("#compute")


def test_shape_error_is_a_one_line_message(page):
    page.select_option("#kind", "rod")
    page.fill("#rod-length", "40")                   # over the grid budget: 413 before work
    page.fill("#rod-diameter", "5")
    assert not page.is_visible("#shape-results")     # old results cleared on new inputs
    n0 = int(page.get_attribute("body", "data-shape-errors") or 0)
    page.click("#compute")
    page.wait_for_selector(f"body[data-shape-errors='{n0 + 1}']", timeout=60_000)
    msg = page.inner_text("#shape-message")
    assert msg.startswith("error 413") and "grid cells" in msg and "\n" not in msg
    assert page.is_visible("#shape-message") and not page.is_visible("#shape-results")
    assert page.inner_text("#exciton") == "–"
    assert page.is_enabled("#compute")
    # back to the sphere: sliders and plots as before
    n1 = int(page.get_attribute("body", "data-updates"))
    page.select_option("#kind", "sphere")
    page.wait_for_selector(f"body[data-updates='{n1 + 1}']", timeout=60_000)
    assert page.is_visible("#plots-panel") and not page.is_visible("#shape-panel")
    assert page.inner_text("#exciton").endswith("eV)")
    assert page.errors == []


def _post(server: str, path: str, body: dict) -> dict:
    import json
    import urllib.request

    req = urllib.request.Request(server + path, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read())


def _estimate_shows(pg, text: str) -> None:
    pg.wait_for_function("t => document.getElementById('grid-estimate').textContent.includes(t)",
                         arg=text, timeout=30_000)


def test_dimer_computes_and_matches_api(page, server):
    page.select_option("#kind", "dimer")
    assert page.is_visible("#dimer-da") and page.is_visible("#resolution")
    assert not page.is_visible("#rod-length")
    assert page.input_value("#resolution") == "0.2"   # the dimer's default spacing fits
    # the estimated grid, before computing: the server's count for the page's own request
    _estimate_shows(page, "cells at h = 0.200 nm")
    req = page.evaluate("shapeRequest()")
    assert req["shape"] == {"kind": "dimer", "diameter_a_nm": 3, "diameter_b_nm": 3, "gap_nm": 0,
                            "neck_diameter_nm": 1.5, "resolution_nm": 0.2}
    budget = _post(server, "/api/levels/budget", req)
    assert budget["fits"]
    assert f"~{budget['cells']:,} cells at h = 0.200 nm" in page.inner_text("#grid-estimate")
    assert page.get_attribute("#grid-estimate", "data-cells") == str(budget["cells"])

    n0 = int(page.get_attribute("body", "data-shape-updates") or 0)
    e0 = int(page.get_attribute("body", "data-shape-errors") or 0)
    page.click("#compute")
    page.wait_for_selector(f"body[data-shape-updates='{n0 + 1}'], "
                           f"body[data-shape-errors='{e0 + 1}']", timeout=150_000)
    if int(page.get_attribute("body", "data-shape-errors") or 0) > e0:
        pytest.fail("the page shows an error: " + page.inner_text("#shape-message"))

    api = _post(server, "/api/levels", req)          # the same request, straight to the API
    nm, ev = _numbers(page.inner_text("#exciton"))
    assert nm == pytest.approx(round(api["first_exciton_nm"], 1), abs=1e-9)
    assert ev == pytest.approx(round(api["first_exciton_eV"], 3), abs=1e-9)
    # bonding/antibonding splittings as the API gives them, in meV with 1 decimal
    coupling = page.inner_text("#dimer-coupling")
    d = api["dimer"]
    assert f"electron splitting {1000 * d['electron']['splitting_eV']:.1f} meV" in coupling
    assert f"hole splitting {1000 * d['hole']['splitting_eV']:.1f} meV" in coupling
    assert "h = 0.200 nm" in coupling
    assert f"{1000 * d['shift_single_particle_eV']:.1f} meV" in page.inner_text("#dimer-shift")
    # the spacing used and the note that the result is at that resolution
    assert page.inner_text("#shape-grid").startswith("h = 0.200 nm")
    note = page.inner_text("#resolution-note")
    assert page.is_visible("#resolution-note") and "h = 0.2 nm" in note and "coarser" in note
    e_rows = page.locator("#electron-levels tbody tr").all_inner_texts()
    assert len(e_rows) == len(api["electron_levels"])
    for cid in ("heat-electron", "heat-hole"):           # states on the grid: |psi|^2 maps
        assert _distinct_colours(page, cid) > 20
    assert page.inner_text("#anisotropy") == "not given for this shape"

    # the library default spacing does not fit: the page says so and offers one that does
    page.fill("#resolution", "")
    _estimate_shows(page, "allowed 15,000; try a spacing")
    assert not page.is_visible("#shape-results")
    assert page.get_attribute("#grid-estimate", "data-fits") == "0"
    auto = _post(server, "/api/levels/budget", page.evaluate("shapeRequest()"))
    h = auto["suggested_resolution_nm"]
    assert f"needs ~{auto['cells']:,} cells" in page.inner_text("#grid-estimate")
    assert page.inner_text("#use-suggested") == f"use h = {h:.2f} nm"
    page.click("#use-suggested")
    assert page.input_value("#resolution") == f"{h:.2f}"
    _estimate_shows(page, f"cells at h = {h:.3f} nm")
    assert page.get_attribute("#grid-estimate", "data-fits") == "1"
    # the spacing is kept per shape: a rod is back on the library default
    page.select_option("#kind", "rod")
    assert page.input_value("#resolution") == ""
    page.select_option("#kind", "dimer")
    assert page.input_value("#resolution") == f"{h:.2f}"
    assert page.errors == []
    page.select_option("#kind", "sphere")


# ------------------------------------------------------------------ photons
TIMETAGS = DATA / "timetags"


def _analyse_in_page(pg, path, irf=None):
    n0 = int(pg.get_attribute("body", "data-photons") or 0)
    e0 = int(pg.get_attribute("body", "data-photon-errors") or 0)
    pg.set_input_files("#photons-file", str(path))
    pg.set_input_files("#photons-irf", [] if irf is None else str(irf))
    pg.click("#photons-button")
    pg.wait_for_selector(f"body[data-photons='{n0 + 1}'], body[data-photon-errors='{e0 + 1}']",
                         timeout=180_000)


def test_photons_panel_analyses_a_real_file(page):
    from qdlab.io.timetags import read_timetags
    from qdlab.photons.analysis.report import analyse_stream

    path = TIMETAGS / "hydraharp_v20_t3.ptu"
    _analyse_in_page(page, path)
    d = page.evaluate("window.qdlab.photons")
    lib = analyse_stream(read_timetags(path)).to_dict()
    for key in ("g2_zero", "g2_zero_err", "lifetime_ns", "lifetime_err_ns", "on_exponent",
                "off_exponent", "change_points"):
        assert d[key] == pytest.approx(lib[key], rel=1e-9), key
    assert d["quality"] == lib["quality"]
    cell = page.inner_text("#photons-table td[data-key='g2_zero']")
    assert cell.startswith(f"{lib['g2_zero']:.3f} ± {lib['g2_zero_err']:.3f}")
    cell = page.inner_text("#photons-table td[data-key='lifetime_ns']")
    assert cell.startswith(f"{lib['lifetime_ns']:.3f} ± {lib['lifetime_err_ns']:.3f} ns")
    assert page.get_attribute("#photons-table [data-quality]", "data-quality") == lib["quality"]
    for note in lib["quality_notes"]:
        assert note in page.inner_text("#photons-result")
    for pid in ("plot-trace", "plot-g2", "plot-decay"):      # uPlot canvases drawn
        assert page.locator(f"#{pid} canvas").count() == 1
    assert int(page.get_attribute("#flid-canvas", "data-cells")) > 20
    assert _distinct_colours(page, "flid-canvas") > 10
    shown = page.text_content("#photons-json")
    assert '"g2_zero"' in shown and '"plots"' not in shown
    assert page.errors == []


def test_photons_panel_reasons_and_refusals(page, tmp_path):
    # T2, one channel: the numbers that cannot exist are shown with their reasons
    _analyse_in_page(page, TIMETAGS / "hydraharp_v20_t2_first100k.ptu")
    assert "one detector channel" in page.inner_text("#photons-table td[data-key='g2_zero']")
    assert "T2 data" in page.inner_text("#photons-table td[data-key='lifetime_ns']")
    assert "no decay" in page.inner_text("#plot-decay")
    assert page.get_attribute("#flid-canvas", "data-cells") == "0"
    # a truncated file: one line from the API, no table
    _analyse_in_page(page, TIMETAGS / "hydraharp_v10_truncated.ht3")
    msg = page.inner_text("#photons-error")
    assert "truncated" in msg and "\n" not in msg
    assert page.locator("#photons-table").count() == 0
    # an IRF for T2 data is refused
    irf = tmp_path / "irf.csv"
    irf.write_text("".join(f"{i * 0.016:.3f},{max(0, 100 - abs(i - 50) * 10)}\n"
                           for i in range(100)))
    _analyse_in_page(page, TIMETAGS / "hydraharp_v20_t2_first100k.ptu", irf)
    assert "irf does not apply" in page.inner_text("#photons-error")
    assert page.errors == []


# ------------------------------------------------------------------ devices
def _api_post(server, path, body):
    import json
    import urllib.request

    req = urllib.request.Request(server + path, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def _run_device(pg, device, **fields):
    pg.select_option("#device-select", device)
    for key, value in fields.items():
        pg.fill(f"#dev-{key}", str(value))
    n0 = int(pg.get_attribute("body", "data-devices") or 0)
    e0 = int(pg.get_attribute("body", "data-device-errors") or 0)
    pg.click("#device-run")
    pg.wait_for_selector(f"body[data-devices='{n0 + 1}'], body[data-device-errors='{e0 + 1}']",
                         timeout=180_000)


def _lookup(d, path):
    for k in path.split("."):
        d = d[k]
    return d


@pytest.mark.parametrize("device, fields, plots", [
    ("lsc", {"photons": 3000, "photons_per_size": 1000, "sweep_sizes": "3, 4, 5"},
     ["plot-dev-lsc-edge", "plot-dev-lsc-sweep"]),
    ("display", {}, []),
    ("solar", {}, ["plot-dev-solar-jv"]),
    ("gain", {"n_points": 51}, ["plot-dev-gain"]),
])
def test_devices_panel_shows_the_api_numbers(page, server, device, fields, plots):
    """The numbers in the Devices table are those of the API for the same request."""
    _run_device(page, device, **fields)
    assert page.locator("#devices-error").count() == 0
    st = page.evaluate("window.qdlab.devices")
    assert st["device"] == device
    path = {"lsc": "/api/device/lsc", "display": "/api/device/display",
            "solar": "/api/device/solar", "gain": "/api/device/gain"}[device]
    api = _api_post(server, path, st["request"])     # a fresh request (seeded MC: same numbers)
    cells = page.locator("#devices-table td[data-key]")
    assert cells.count() >= 5
    for i in range(cells.count()):
        cell = cells.nth(i)
        want = _lookup(api, cell.get_attribute("data-key"))
        text = cell.inner_text()
        digits = len(text.split(".")[1]) if "." in text else 0
        assert float(text) == pytest.approx(want, abs=0.51 * 10.0 ** -digits), \
            cell.get_attribute("data-key")
    for plot in plots:
        assert page.locator(f"#{plot} canvas").count() == 1
    if device == "lsc":
        sweep = _api_post(server, "/api/device/lsc/sweep", st["sweepRequest"])
        assert st["sweep"]["optical_efficiency"] == sweep["optical_efficiency"]
        assert st["sweep"]["core_diameter_nm"] == [3.0, 4.0, 5.0]
    if device == "display":
        assert page.get_attribute("#dev-cie", "data-primaries") == "3"
        assert "Rec.2020 coverage" in page.inner_text("#devices-table")
    if device == "solar":
        assert len(api["jv_curve"]["voltage_V"]) == 101
    assert page.errors == []


def test_devices_panel_shows_api_errors(page):
    """A concentration above the model's bound: the API's 422 detail appears in the panel."""
    _run_device(page, "lsc", concentration_M=1, photons=1000)
    msg = page.inner_text("#devices-error")
    assert "concentration_M" in msg and "0.01" in msg
    assert page.locator("#devices-table").count() == 0
    _run_device(page, "display", red="not a dot!")
    assert "red" in page.inner_text("#devices-error")
    assert page.errors == []


# ------------------------------------------------------------------ design and screen
def _run_design(pg, **fields):
    """Fill the Design form (ids ``design-<key>``; booleans tick checkboxes) and press Run."""
    for key, value in fields.items():
        sel = f"#design-{key}"
        if isinstance(value, bool):
            pg.set_checked(sel, value)
        elif pg.evaluate(f"document.querySelector('{sel}').tagName") == "SELECT":
            pg.select_option(sel, value)
        else:
            pg.fill(sel, str(value))
    n0 = int(pg.get_attribute("body", "data-design") or 0)
    e0 = int(pg.get_attribute("body", "data-design-errors") or 0)
    pg.click("#design-run")
    pg.wait_for_selector(f"body[data-design='{n0 + 1}'], body[data-design-errors='{e0 + 1}']",
                         timeout=240_000)


def test_design_panel_shows_the_api_best_candidate(page, server):
    """The ranked table is the API's answer to the same request (best structure and PL peak)."""
    _run_design(page, **{"target-kind": "emission_nm", "target": 620, "cores": "CdSe, ZnSe",
                         "shells": "none, ZnS", "top": 3, "rohs": False, "no-heavy": False,
                         "max-fwhm": "", "min-overlap": "", "max-mismatch": "",
                         "alignment": ""})
    if page.locator("#design-error").count():
        pytest.fail("the page shows an error: " + page.inner_text("#design-error"))
    st = page.evaluate("window.qdlab.design")
    assert st["request"] == {"emission_nm": 620, "cores": ["CdSe", "ZnSe"],
                             "shells": ["none", "ZnS"], "top": 3, "rohs": False,
                             "no_heavy_metals": False}
    api = _api_post(server, "/api/design", st["request"])   # the same request, straight
    rows = page.locator("#design-table tbody tr")
    assert rows.count() == len(api["candidates"]) >= 1
    for i, cand in enumerate(api["candidates"]):
        row = rows.nth(i)
        assert row.locator("td[data-key='structure']").inner_text() == cand["structure"]
        assert float(row.locator("td[data-key='pl_peak_nm']").inner_text()) == \
            pytest.approx(round(cand["pl_peak_nm"], 1), abs=1e-9)
        assert float(row.locator("td[data-key='core_diameter_nm']").inner_text()) == \
            pytest.approx(round(cand["core_diameter_nm"], 2), abs=1e-9)
        assert row.locator("td[data-key='alignment']").inner_text() == cand["alignment"]
    best = rows.first
    assert best.locator("td[data-key='structure']").inner_text().startswith("CdSe")
    # cores the search dropped, with the API's reason (ZnSe cannot reach 620 nm)
    assert api["dropped_cores"]["ZnSe"]
    dropped = page.inner_text("#design-notes li[data-core='ZnSe']")
    assert dropped == f"dropped ZnSe: {api['dropped_cores']['ZnSe']}"
    # the scatter plot: every Pareto point and every candidate
    assert page.locator("#plot-design canvas").count() == 1
    assert int(page.get_attribute("#plot-design", "data-points")) == \
        len(api["pareto_front"]) + len(api["candidates"])
    assert page.errors == []


def test_design_panel_shows_api_errors(page):
    """A refusal of the API (422 with a detail) is one line in the panel, no table."""
    _run_design(page, cores="CdSe", shells="none, ZnS", rohs=True)
    msg = page.inner_text("#design-error")
    assert "no material stack meets the material constraints" in msg and "\n" not in msg
    assert page.locator("#design-table").count() == 0
    assert not page.is_visible("#plot-design")
    _run_design(page, cores="CdSe, Nope", rohs=False)
    msg = page.inner_text("#design-error")
    assert "unknown material 'Nope'" in msg and "\n" not in msg
    _run_design(page, cores="CdSe", target=100)      # pydantic bound: 200-5000 nm
    assert "emission_nm" in page.inner_text("#design-error")
    assert page.is_enabled("#design-run")
    page.fill("#design-target", "620")
    assert page.errors == []


def _start_screen(pg, materials, shells, core, shell="", emission=""):
    pg.fill("#screen-materials", materials)
    pg.fill("#screen-shells", shells)
    pg.fill("#screen-core", core)
    pg.fill("#screen-shell", shell)
    pg.fill("#screen-emission", str(emission))
    n0 = int(pg.get_attribute("body", "data-screens") or 0)
    e0 = int(pg.get_attribute("body", "data-screen-errors") or 0)
    pg.click("#screen-start")
    return f"body[data-screens='{n0 + 1}'], body[data-screen-errors='{e0 + 1}']"


def _api_screen(server, req):
    import json
    import urllib.request

    job = _api_post(server, "/api/screen", req)["id"]
    for _ in range(3000):
        with urllib.request.urlopen(f"{server}/api/screen/{job}", timeout=60) as r:
            s = json.loads(r.read())
        if s["status"] not in ("queued", "running"):
            return s
        time.sleep(0.1)
    raise AssertionError(f"screen job still running: {s}")


def test_screen_panel_runs_to_done(page, server):
    """A small screen runs to the end; the summary and best rows are the API's."""
    done = _start_screen(page, "CdSe", "none", "3,4,5", emission=610)
    page.wait_for_selector(done, timeout=240_000)
    if page.locator("#screen-error").count():
        pytest.fail("the page shows an error: " + page.inner_text("#screen-error"))
    st = page.evaluate("window.qdlab.design")
    assert st["screenRequest"] == {"materials": ["CdSe"], "shells": ["none"],
                                   "core_diameter_nm": "3,4,5", "emission_nm": 610}
    api = _api_screen(server, st["screenRequest"])
    assert api["status"] == "done", api
    summary = api["result"]["summary"]
    assert int(page.inner_text("#screen-summary td[data-key='candidates']")) == \
        summary["candidates"] == 3
    assert int(page.inner_text("#screen-summary td[data-key='valid']")) == summary["valid"]
    best = api["result"]["best"]
    rows = page.locator("#screen-best tbody tr")
    assert rows.count() == len(best["rows"]) == 3
    i_s, i_pl = best["columns"].index("structure"), best["columns"].index("pl_peak_nm")
    for k, want in enumerate(best["rows"]):
        row = rows.nth(k)
        assert row.locator("td[data-key='structure']").inner_text() == want[i_s]
        assert float(row.locator("td[data-key='pl_peak_nm']").inner_text()) == \
            pytest.approx(round(want[i_pl], 1), abs=1e-9)
    assert page.evaluate("document.getElementById('screen-progress').value") == 1
    assert page.is_enabled("#screen-start") and page.is_disabled("#screen-cancel")
    assert page.errors == []


def test_screen_panel_shows_budget_refusal_and_cancels(page):
    # over the server's candidate budget: the API's 413 message, one line
    done = _start_screen(page, "CdSe, InP", "none, ZnS", "1:10:0.0001", "0.5:3:0.1")
    page.wait_for_selector(done, timeout=60_000)
    msg = page.inner_text("#screen-error")
    assert "budget" in msg and "qdlab screen" in msg and "\n" not in msg
    assert page.is_enabled("#screen-start")
    # a larger screen, cancelled: it ends cancelled (or done, if it finished first)
    done = _start_screen(page, "CdSe", "none, ZnS", "2:8:0.01", "0.5:2:0.5")
    page.wait_for_selector("#screen-cancel:not([disabled])", timeout=60_000)
    page.click("#screen-cancel")
    page.wait_for_selector(done, timeout=240_000)
    if page.locator("#screen-error").count():
        assert page.inner_text("#screen-error").startswith("cancelled: cancelled by the client")
    else:
        assert page.locator("#screen-summary").count() == 1
    assert page.is_enabled("#screen-start") and page.is_disabled("#screen-cancel")
    assert page.errors == []
