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
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
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
    peak, diameter = float(cells[1]), float(cells[2])
    assert 525 < peak < 540            # the 600 s spectrum of run 6 peaks near 531 nm
    assert 2.0 < diameter < 4.0
    assert page.locator("#plot-fit canvas").count() == 1


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
