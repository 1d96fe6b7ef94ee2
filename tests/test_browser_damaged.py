"""In Chromium: with a damaged artifact the page still loads without a console error, the
boxes that read it show their notice, and the other boxes draw."""

from __future__ import annotations

import pytest
from damage import DAMAGES, REAL, damaged_folder
from selenium.webdriver.support.wait import WebDriverWait
from test_damaged_artifacts import NOTICE, _use_folder

from core.records import PROFILES, story_file

pytestmark = pytest.mark.browser
#: The committed profiles: the story reader's (every reader's are built on the host).
PROFILES_FILE = story_file(PROFILES)

DRAWN = "return document.querySelectorAll('#rating-distributions .main-svg .trace').length"


def test_boxes_six_to_eight_without_the_story_profiles(dash_duo, tmp_path):
    import app as article

    _use_folder(article, damaged_folder(tmp_path, PROFILES_FILE, DAMAGES["deleted"]))
    try:
        dash_duo.start_server(article.app)
        for box in ("selection", "venn", "movie-why", "user-trends"):
            dash_duo.wait_for_contains_text(f"#{box}", NOTICE, timeout=20)
            assert f"{PROFILES_FILE} is missing" in dash_duo.find_element(f"#{box}").text
        WebDriverWait(dash_duo.driver, 30).until(lambda d: d.execute_script(DRAWN) >= 1)
        dash_duo.wait_for_element("#your-taste-top")
        # No "nonexistent object" errors: the callbacks of the boxes taken off keep quiet.
        assert dash_duo.get_logs() == []
    finally:
        _use_folder(article, REAL)
