"""Make the share-card image, ``assets/preview.png`` (1200 x 630), from the live article.

Starts the app on a free local port (``python app.py``), opens the page in headless
Chromium at exactly 1200 x 630 CSS pixels, waits until every figure is drawn, scrolls to
``--section`` (default: the top of the page) and saves a screenshot. Needs Chromium and
chromedriver (``/usr/bin``, as for the browser tests). Run from the repository root::

    python scripts/make_preview_image.py                 # the page's opening
    python scripts/make_preview_image.py --section venn  # another box
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.wait import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hosting.sharing import PREVIEW_IMAGE, PREVIEW_SIZE  # noqa: E402

#: True once the layout is on the page and every graph has drawn its SVG.
PAGE_DRAWN = """
const graphs = document.querySelectorAll('.js-plotly-plot');
return document.querySelector('main') !== null && graphs.length > 0 &&
    [...graphs].every((graph) => graph.querySelector('.main-svg'));
"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_app(port: int) -> subprocess.Popen:
    """``python app.py`` on ``port``; returns once the index answers (or raises)."""
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port)}
    server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"app.py exited with code {server.returncode}") from None
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("app.py did not answer within 60 s")


def screenshot(url: str, section: str | None, out: Path) -> None:
    """Save a PREVIEW_SIZE screenshot of ``url`` (scrolled to ``#section``) to ``out``."""
    options = Options()
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        width, height = PREVIEW_SIZE
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        driver.get(url)
        WebDriverWait(driver, 60).until(lambda d: d.execute_script(PAGE_DRAWN))
        if section:
            driver.execute_script(
                "document.getElementById(arguments[0]).scrollIntoView();", section
            )
        time.sleep(1)  # let transitions and web fonts settle
        out.write_bytes(driver.get_screenshot_as_png())
    finally:
        driver.quit()


def main(argv: list[str] | None = None) -> None:
    """Command line: ``[--section ID] [--out PATH]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", help="id of the element to scroll to (default: top)")
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / PREVIEW_IMAGE)
    args = parser.parse_args(argv)
    port = free_port()
    server = start_app(port)
    try:
        screenshot(f"http://127.0.0.1:{port}/", args.section, args.out)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
