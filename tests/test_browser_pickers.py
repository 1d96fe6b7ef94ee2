"""Movie pickers in a real browser: keyboard opening keeps typing in the search box, and the
search forgives punctuation and case (issue 9 item 9)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

pytestmark = pytest.mark.browser

WHOS_THAT = "Who's That Girl? (1987)"

#: Every movie picker, the key that opens it, what the reader types (lower case, no
#: punctuation) and the title it must find.
PICKERS = [
    ("selection-movie", Keys.ENTER, "whos that", WHOS_THAT),
    ("selection-compare", Keys.ARROW_DOWN, "la confidential", "L.A. Confidential (1997)"),
    ("venn-focus", Keys.ENTER, "whos that", WHOS_THAT),
    ("your-taste-movie", Keys.ARROW_DOWN, "et the extraterrestrial", "E.T. the Extra-Terrestrial"),
]

ACTIVE = """
const active = document.activeElement;
const option = active.closest('[data-option-index]');
return [active.className, active.value, option ? option.innerText : null];
"""

SHOWN = "return document.getElementById(arguments[0]).innerText"


def _shown_options(driver) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll('.dash-dropdown-content .dash-dropdown-option')]"
        ".map((option) => option.innerText)"
    )


@pytest.fixture
def article(dash_duo):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_element("#your-taste-movie")
    return dash_duo


@pytest.mark.parametrize("picker, key, typed, title", PICKERS)
def test_typing_after_opening_with_the_keyboard_searches(article, picker, key, typed, title):
    driver = article.driver
    assert title not in driver.execute_script(SHOWN, picker)
    # The dropdown's button is the Tab stop (assets/a11y.js); the reader arrives on it.
    driver.execute_script(
        "const b = document.getElementById(arguments[0]);"
        "b.scrollIntoView({block: 'center'}); b.focus();",
        picker,
    )
    ActionChains(driver).send_keys(key).perform()
    wait = WebDriverWait(driver, 10)
    wait.until(lambda d: "dash-dropdown-search" in d.execute_script(ACTIVE)[0])
    ActionChains(driver).send_keys(typed).perform()
    wait.until(lambda d: any(title in option for option in _shown_options(d)))
    assert driver.execute_script(ACTIVE)[1] == typed
    # ArrowDown leaves the search box for the first match; Enter picks it.
    ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
    wait.until(lambda d: title in (d.execute_script(ACTIVE)[2] or ""))
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait.until(lambda d: title in d.execute_script(SHOWN, picker))
    assert article.get_logs() in ([], None)
