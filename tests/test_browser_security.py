"""In Chromium: the page and every box work under the Content-Security-Policy, with no
violation reported on load or while the boxes are used."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

pytestmark = pytest.mark.browser

#: Collects violations from now on (load-time ones reach the console log instead).
LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
    window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""

#: An inline script added by hand must not run: the policy is enforced, not only sent.
INJECT = """
const script = document.createElement('script');
script.textContent = 'window.__injected = true;';
document.body.appendChild(script);
return window.__injected === true;
"""

DRAWN = "return document.querySelectorAll('.js-plotly-plot .main-svg .trace').length"


def _csp_errors(logs) -> list[str]:
    return [
        entry["message"]
        for entry in logs or []
        if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]
    ]


def test_no_csp_violation_on_load_or_while_using_the_boxes(dash_duo):
    from app import app

    dash_duo.start_server(app)
    driver = dash_duo.driver
    WebDriverWait(driver, 60).until(lambda d: d.execute_script(DRAWN) >= 5)
    assert _csp_errors(dash_duo.get_logs()) == []
    driver.execute_script(LISTEN)

    # Box 3: the clientside slider arithmetic and the server's verdict.
    dash_duo.wait_for_element("#movie-night-calculate").click()
    dash_duo.wait_for_contains_text("#movie-night-verdict", "Best pick")
    # The reader picker (Boxes 6-8): a typed id and the message next to it.
    user = dash_duo.find_element("#selection-user")
    user.send_keys(Keys.CONTROL, "a")
    user.send_keys(Keys.BACKSPACE)
    user.send_keys("42", Keys.ENTER)
    dash_duo.wait_for_contains_text("#selection-profile", "User 42:")
    # Box 9: rate a movie, get the recommendations.
    dash_duo.find_element("#your-taste-movie").click()
    box = dash_duo.wait_for_element(".dash-dropdown-search input, input.dash-dropdown-search")
    box.send_keys("Star Wars")
    dash_duo.wait_for_element(".dash-dropdown-option").click()
    dash_duo.find_element("#your-taste-stars input[value='5']").click()
    dash_duo.find_element("#your-taste-add").click()
    dash_duo.wait_for_contains_text("#your-taste-message", "Added")
    # Hover a figure: plotly draws its hover label and styles.
    graph = dash_duo.find_element(".js-plotly-plot .main-svg")
    ActionChains(driver).move_to_element(graph).perform()

    assert driver.execute_script("return window.__violations") == []
    assert _csp_errors(dash_duo.get_logs()) == []
    assert driver.execute_script(INJECT) is False
    assert _csp_errors(dash_duo.get_logs())  # ...and the browser said why
