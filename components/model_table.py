"""The model table: every trained model's test metrics beside the article's own figures.

The article reports one "validation error" per model (0.71 for EmbeddingMF, 0.7553 for
DeepFM); both read as mean squared error, so they sit in the MSE column's neighbour. The
baselines show what each ingredient buys: a single number for everyone (global mean), then
user and item biases, then latent factors.
"""

from __future__ import annotations

import pandas as pd
from dash import html

from components.artifacts import ArtifactError, read_json
from components.box import box_section
from components.figure_table import data_table, notice, transposed
from components.theme import MODEL_LABELS

PREFIX = "model-table"

#: The article's reported validation errors, read as MSE (section 6 and 7).
ARTICLE_MSE: dict[str, float] = {"embedding_mf": 0.71, "deepfm": 0.7553}

#: Ranking metrics of ``metrics.json`` (top-10 lists among each user's test movies).
RANKING_COLUMNS = {
    "precision_at_k": "Precision@10",
    "recall_at_k": "Recall@10",
    "ndcg_at_k": "NDCG@10",
    "coverage": "Coverage",
}


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def metrics_frame() -> pd.DataFrame:
    """One row per model with metrics, in palette order; display strings.

    Columns (test split): ``Model``, ``MSE``, ``Article (MSE)``, ``RMSE``, ``MAE``, the
    ranking metrics present in ``metrics.json`` (Precision@10 ...; ``Popularity`` is the
    mean number of training ratings of the recommended movies), and ``Fit time (s)``.

    Raises:
        ArtifactError: ``metrics.json`` or ``manifest.json`` is missing.
    """
    metrics = read_json("metrics.json")
    fit_times = {
        name: entry.get("fit_seconds")
        for name, entry in read_json("manifest.json")["models"].items()
    }
    rows = []
    for name in (name for name in MODEL_LABELS if name in metrics):
        test = metrics[name]["test"]
        ranking = metrics[name].get("ranking", {})
        row = {
            "Model": MODEL_LABELS[name],
            "MSE": _fmt(test["mse"]),
            "Article (MSE)": _fmt(ARTICLE_MSE.get(name), 4 if name == "deepfm" else 2),
            "RMSE": _fmt(test["rmse"]),
            "MAE": _fmt(test["mae"]),
        }
        for key, label in RANKING_COLUMNS.items():
            if key in ranking:
                row[label] = _fmt(ranking[key])
        if "mean_popularity" in ranking:
            row["Popularity"] = f"{ranking['mean_popularity']:,.0f}"
        row["Fit time (s)"] = _fmt(fit_times.get(name), 0)
        rows.append(row)
    return pd.DataFrame(rows).fillna("–")


def layout() -> html.Section:
    """The model table with a short guide to reading it."""
    intro = html.P(
        "All models were trained on the same 90% of the ratings and scored on the same "
        "held-out 10%. Lower MSE, RMSE (root mean squared error, in stars) and MAE (mean "
        "absolute error) are better. The ranking columns ask a different question: when "
        "each user's held-out movies are sorted by predicted rating, how many of the top "
        "10 did the user really like (4 or 5 stars)?"
    )
    try:
        # One column per model, one row per metric: eleven metric columns did not fit.
        content = data_table(
            transposed(metrics_frame(), "Metric"),
            "Metrics on the test split (100,021 ratings; top-10 lists among each user's "
            "test movies)",
            table_id=f"{PREFIX}-metrics",
        )
    except ArtifactError as error:
        content = notice(str(error))
    note = html.P(
        "The article reports a validation error of 0.71 for EmbeddingMF and 0.7553 for "
        "DeepFM; both are mean squared errors, so compare them with the MSE column. "
        "The global mean predicts the same number for everyone; the bias model adds how "
        "generous each user is and how liked each movie is; only the factor models learn "
        "tastes. Coverage is the share of the 3,706 movies that appear in at least one "
        "top-10 list; popularity, how many training ratings a recommended movie has on "
        "average.",
        className="table-note",
    )
    return box_section(
        PREFIX,
        "How good are the models?",
        [intro, html.Div(content, className="table-scroll"), note],
    )
