"""Helpers the layout and accessibility browser tests share: viewports, a reader's page state,
axe-core.

axe-core is vendored (``tests/vendor/axe.min.js``, see THIRD_PARTY_NOTICES.md), so the
tests never download anything.
"""

from __future__ import annotations

from pathlib import Path

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

#: The widths the issue checks: a laptop and a phone (CSS pixels).
WIDTHS = (1280, 375)

#: Impacts that fail the accessibility test (axe's scale: minor, moderate, serious, critical).
FAILING_IMPACTS = ("serious", "critical")


def set_viewport(driver, width: int, height: int = 900, scale: float = 1.0) -> None:
    """Emulate a screen of ``width`` x ``height`` CSS pixels at ``scale`` device pixels each.

    A phone width also turns on Chromium's mobile emulation (viewport meta, touch).
    """
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": width < 600},
    )


def _option(driver, text: str):
    """The open dropdown's first option showing ``text``, or None (yet)."""
    for option in driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option"):
        try:
            if text in option.text:
                return option
        except StaleElementReferenceException:
            return None
    return None


def rate_movie(dash_duo, search: str, stars: int) -> None:
    """Box 9: search a title, take the first match, pick the stars, add the rating."""
    dash_duo.find_element("#your-taste-movie").click()
    box = dash_duo.wait_for_element("input.dash-dropdown-search")
    box.send_keys(search)
    WebDriverWait(dash_duo.driver, 20).until(lambda driver: _option(driver, search))
    _option(dash_duo.driver, search).click()
    dash_duo.find_element(f"#your-taste-stars input[value='{stars}']").click()
    dash_duo.find_element("#your-taste-add").click()


def open_reader_page(dash_duo, width: int) -> None:
    """The page at ``width`` with "Someone like me" open and two ratings in Box 9."""
    from app import app

    dash_duo.start_server(app)
    set_viewport(dash_duo.driver, width)
    dash_duo.wait_for_element("#your-taste-top")
    dash_duo.driver.execute_script("document.querySelector('details.selection-like').open = true")
    rate_movie(dash_duo, "Matrix, The", 5)
    dash_duo.wait_for_contains_text("#your-taste-results", "Calibrated to your 1 rating")
    rate_movie(dash_duo, "Toy Story (1995)", 1)
    dash_duo.wait_for_contains_text("#your-taste-results", "Calibrated to your 2 ratings")


def axe_violations(driver) -> list[dict]:
    """Run axe-core on the whole page; its violations as ``{id, impact, help, nodes}``.

    ``nodes`` lists the CSS selectors of the offending elements.
    """
    driver.set_script_timeout(90)
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']}).then((result) => done(
            result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((node) => node.target.join(' ')),
            }))
        ));
        """
    )
