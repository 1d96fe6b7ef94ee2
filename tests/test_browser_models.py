"""The model boxes in a real browser: the model table, and one curve per model in Box 4/5."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.wait import WebDriverWait

from components.artifacts import available_models
from components.theme import MODEL_LABELS

pytestmark = pytest.mark.browser


@pytest.fixture
def article(dash_duo):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_element("#rating-distributions-graph .main-svg")
    return dash_duo


def _trace_count(dash_duo, graph: str, layer: str) -> int:
    return len(dash_duo.find_elements(f"#{graph} .{layer} .trace"))


def _curve_count(dash_duo) -> int:
    """Box 4's model curves, counted by their legend entries (the models' names)."""
    # Read in one script: the legend is redrawn while the figure updates (stale elements).
    return dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('#rating-distributions-graph .legend .legendtext')]"
        ".filter((t) => arguments[0].includes(t.textContent)).length;",
        [MODEL_LABELS[name] for name in available_models() if name != "global_mean"],
    )


def test_model_table_lists_every_model(article):
    """One column per model (transposed to fit the box), one row per metric."""
    headers = article.find_elements("#model-table-metrics thead th")
    names = [header.text for header in headers[1:]]
    assert names == [MODEL_LABELS[name] for name in available_models()]
    rows = [th.text for th in article.find_elements("#model-table-metrics tbody th")]
    assert {"Article (MSE)", "RMSE", "NDCG@10"} <= set(rows)


def test_distribution_curves_follow_the_picker(article):
    models = available_models()
    expected = min(2, len(models))  # EmbeddingMF and DeepFM are ticked by default
    WebDriverWait(article.driver, 10).until(lambda _: _curve_count(article) == expected)
    # Untick the first model: its curve disappears, the table row with it.
    article.find_elements("#rating-distributions-models input")[0].click()
    WebDriverWait(article.driver, 10).until(lambda _: _curve_count(article) == expected - 1)
    WebDriverWait(article.driver, 10).until(
        lambda _: (
            MODEL_LABELS[models[0]]
            not in [
                cell.text for cell in article.find_elements("#rating-distributions-table tbody th")
            ]
        )
    )


def test_rmse_bars_render_for_each_model(article):
    article.wait_for_element("#rmse-by-rating-graph .main-svg")
    expected = min(2, len(available_models()))
    WebDriverWait(article.driver, 10).until(
        lambda _: _trace_count(article, "rmse-by-rating-graph", "barlayer") == expected
    )
    assert "1 ★" in article.find_element("#rmse-by-rating-table").text
    assert article.get_logs() == []
