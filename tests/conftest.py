"""Shared pytest setup: Chrome options for ``dash[testing]``'s browser fixtures.

The browser tests use the system Chromium and chromedriver (``/usr/bin``); Selenium 4.2 never
downloads a driver. ``--headless`` is also passed on the command line through ``addopts`` in
``pyproject.toml`` so that dash's plugin knows it runs headless.
"""

from __future__ import annotations

import sys
from pathlib import Path

from selenium.webdriver.chrome.options import Options

CHROMIUM = "/usr/bin/chromium"

# ``app.py`` sits at the repository root and is not an installed package.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_setup_options() -> Options:
    """Chrome options for ``dash_duo``: headless, sandbox-free, no background traffic."""
    options = Options()
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
    ):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    return options
