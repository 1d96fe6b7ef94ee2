"""Rating and ranking metrics, written out so each can be checked by hand.

All functions take numpy arrays (or anything ``np.asarray`` accepts), raise
:class:`ValueError` on empty, misaligned or non-finite input instead of dropping rows, and
return plain Python floats.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _aligned(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    true = np.asarray(y_true, dtype=np.float64)
    pred = np.asarray(y_pred, dtype=np.float64)
    if true.shape != pred.shape or true.ndim != 1:
        raise ValueError(f"y_true {true.shape} and y_pred {pred.shape} must be equal 1-D shapes.")
    if true.size == 0:
        raise ValueError("Cannot score an empty set of predictions.")
    if not (np.isfinite(true).all() and np.isfinite(pred).all()):
        raise ValueError("Ratings and predictions must be finite (found NaN or inf).")
    return true, pred


def mse(y_true, y_pred) -> float:
    """Mean squared error, in squared stars: mean((y_pred - y_true)^2)."""
    true, pred = _aligned(y_true, y_pred)
    return float(np.mean((pred - true) ** 2))


def rmse(y_true, y_pred) -> float:
    """Root mean squared error, in stars: sqrt(MSE)."""
    return float(np.sqrt(mse(y_true, y_pred)))


def mae(y_true, y_pred) -> float:
    """Mean absolute error, in stars: mean(|y_pred - y_true|)."""
    true, pred = _aligned(y_true, y_pred)
    return float(np.mean(np.abs(pred - true)))


def rating_metrics(y_true, y_pred) -> dict[str, float]:
    """``{"mse", "rmse", "mae", "n"}`` for one set of predictions."""
    true, pred = _aligned(y_true, y_pred)
    return {
        "mse": mse(true, pred),
        "rmse": rmse(true, pred),
        "mae": mae(true, pred),
        "n": true.size,
    }


def rmse_by_true_rating(y_true, y_pred) -> pd.DataFrame:
    """RMSE within each true star value.

    Returns:
        One row per star value present, sorted: columns ``rating`` (int), ``rmse``
        (float, stars), ``mean_error`` (float, mean of prediction - truth: negative means
        the model under-estimates), ``n`` (int).
    """
    true, pred = _aligned(y_true, y_pred)
    frame = pd.DataFrame({"rating": true.astype(int), "error": pred - true})
    grouped = frame.groupby("rating")["error"]
    return pd.DataFrame(
        {
            "rmse": np.sqrt(grouped.apply(lambda e: float(np.mean(e**2)))),
            "mean_error": grouped.mean(),
            "n": grouped.size(),
        }
    ).reset_index()
