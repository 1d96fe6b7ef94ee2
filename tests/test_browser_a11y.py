"""axe-core in a real browser: no serious or critical violation at 1280 px or at 375 px.

The page is checked in the state a curious reader leaves it: "Someone like me" open and
Box 9 holding two ratings. axe-core 4.14 comes from ``tests/vendor`` (no download).
"""

from __future__ import annotations

import pytest
from browser_pages import FAILING_IMPACTS, WIDTHS, axe_violations, open_reader_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_reports_no_serious_or_critical_violation(dash_duo, width):
    open_reader_page(dash_duo, width)
    violations = axe_violations(dash_duo.driver)
    # axe ran on the real page: it names the rules it checked through its results' ids.
    assert dash_duo.driver.execute_script("return axe.version") == "4.14.1"
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    listing = "\n".join(
        f"{v['impact']} {v['id']} ({len(v['nodes'])}): {v['help']}\n    "
        + "\n    ".join(v["nodes"][:12])
        for v in failing
    )
    assert not failing, f"axe at {width} px:\n{listing}"
