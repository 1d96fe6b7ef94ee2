"""Box 4's aggregate: how each model's test-split predictions are spread (no reader's rows).

``prediction_distributions.json`` holds, for the test split:

``true``
    the true ratings: ``counts`` (ratings per star, 1..5), ``mean`` and ``std``
    (sample standard deviation, ``ddof=1``), ``n``.
``models``
    per model: a histogram of its predicted stars in bins of ``bin_width`` (0.1 star)
    starting at ``first_edge`` (``counts``, one per bin; the bins cover 0 to 5.5 stars
    and widen to take in every prediction, so none is dropped), ``mean``, ``std``
    (``ddof=1``), ``below_1`` and ``above_5`` (shares of predictions outside 1..5 stars),
    and ``n``.

A run keeps the entries of models it did not train (the split is the same, or the
exporter starts from an empty folder).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from core.vocabulary import DEFAULT_RATING_RANGE, STARS

FILE = "prediction_distributions.json"
BIN_WIDTH = 0.1
#: The bins span at least 0..5.5 stars (EmbeddingMF's output range).
AXIS_RANGE = DEFAULT_RATING_RANGE


def bin_edges(values: np.ndarray) -> np.ndarray:
    """Edges every :data:`BIN_WIDTH` stars covering :data:`AXIS_RANGE` and every value."""
    low = min(AXIS_RANGE[0], np.floor(values.min() / BIN_WIDTH) * BIN_WIDTH)
    high = max(AXIS_RANGE[1], np.ceil(values.max() / BIN_WIDTH) * BIN_WIDTH)
    return np.round(np.arange(low, high + BIN_WIDTH / 2, BIN_WIDTH), 2)


def prediction_distribution(predictions: np.ndarray) -> dict:
    """The histogram and summary of one model's test predictions (see the module docstring).

    Args:
        predictions: ``float[n]`` predicted stars, finite, ``n >= 2``.
    """
    values = np.asarray(predictions)
    edges = bin_edges(values)
    counts, _ = np.histogram(values, bins=edges)
    return {
        "first_edge": float(edges[0]),
        "bin_width": BIN_WIDTH,
        "counts": counts.astype(int).tolist(),
        "mean": float(values.mean()),
        "std": float(values.std(ddof=1)),
        "below_1": float((values < 1).mean()),
        "above_5": float((values > 5).mean()),
        "n": int(values.size),
    }


def rating_distribution(ratings: np.ndarray) -> dict:
    """Counts per star, mean and sample standard deviation of true ratings."""
    values = np.asarray(ratings, dtype=np.float64)
    return {
        "counts": [int((values == star).sum()) for star in STARS],
        "mean": float(values.mean()),
        "std": float(values.std(ddof=1)),
        "n": int(values.size),
    }


def write_distributions(
    stage: Path, test_ratings: np.ndarray, test_predictions: Mapping[str, np.ndarray]
) -> str:
    """Write (or update) :data:`FILE` in ``stage``; returns its name.

    Args:
        stage: the artifacts folder being written.
        test_ratings: ``[n_test]`` true stars of the test split.
        test_predictions: model -> ``float32[n_test]`` test-split predictions; models not
            given keep their earlier entries.
    """
    path = stage / FILE
    payload = json.loads(path.read_text()) if path.exists() else {}
    models = payload.get("models", {})
    for name, values in test_predictions.items():
        models[name] = prediction_distribution(values)
    payload = {"true": rating_distribution(test_ratings), "models": models}
    path.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n")
    return FILE
