"""The one per-movie table, ``movies.parquet``: who rated a movie how, and what models guess.

One row per rated movie (3,706, sorted by ``movie_id``, the order of the EmbeddingMF item
rows): ``movie_id`` int16, ``title``, ``year`` int16, ``n_1`` .. ``n_5`` int32 training
ratings per star, ``n_train`` int32, ``mean_train`` float32 (NaN only where
``n_train == 0``), ``n_test`` int32, and ``mean_<model>`` float32 for each Venn model: its
mean prediction over all the movie's ratings (training and test). Read by the reader
picker (titles), Box 7 (histogram, means) and Box 9 (catalogue, cold-start list).

Written by :func:`write_movies` (``python -m models.user_views`` rebuilds it without
training). Titles and years are public metadata; the rest are aggregates of the ratings.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from core.vocabulary import STARS
from models.data import MovieLens
from models.prepare import PreparedData
from models.user_views import read_parquet_if_any, venn_predictions

MOVIES_FILE = "movies.parquet"
#: The table's name before it was merged with Box 9's catalogue; read back once if found.
OLD_MOVIES_FILE = "movie_why.parquet"


def movie_table(movielens: MovieLens, test_mask: np.ndarray) -> pd.DataFrame:
    """Per rated movie: title, year, training histogram, training mean and test count."""
    ratings = movielens.ratings
    train = ratings[~test_mask]
    counts = (
        train.groupby(["movie_id", "rating"]).size().unstack(fill_value=0).reindex(columns=STARS)
    )
    movie_ids = np.sort(ratings["movie_id"].unique())
    counts = counts.reindex(movie_ids, fill_value=0).fillna(0).astype(np.int32)
    movies = movielens.movies.set_index("movie_id").reindex(movie_ids)
    frame = pd.DataFrame(
        {
            "movie_id": movie_ids.astype(np.int16),
            "title": movies["title"].astype(str).to_numpy(),
            "year": movies["year"].astype("Int16").to_numpy(),
        }
    )
    for star in STARS:
        frame[f"n_{star}"] = counts[star].to_numpy(np.int32)
    star_counts = frame[[f"n_{star}" for star in STARS]].to_numpy()
    frame["n_train"] = star_counts.sum(axis=1).astype(np.int32)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (star_counts * np.array(STARS)).sum(axis=1) / frame["n_train"].to_numpy()
    frame["mean_train"] = mean.astype(np.float32)
    n_test = ratings.loc[test_mask, "movie_id"].value_counts()
    frame["n_test"] = n_test.reindex(movie_ids, fill_value=0).to_numpy(np.int32)
    return frame


def movie_mean_predictions(movie_ids: np.ndarray, items: np.ndarray, scores: np.ndarray):
    """``float32[len(movie_ids)]``: mean of ``scores`` over each movie's rows (all ratings)."""
    means = pd.Series(scores, dtype=np.float64).groupby(items).mean()
    return means.reindex(movie_ids).to_numpy(np.float32)


def _earlier_table(stage: Path, fresh: pd.DataFrame) -> pd.DataFrame | None:
    """An earlier table in ``stage`` with the same data columns, to keep its model means."""
    for name in (MOVIES_FILE, OLD_MOVIES_FILE):
        old = read_parquet_if_any(stage / name)
        same_data = old is not None and set(fresh.columns) <= set(old.columns)
        if same_data and old[fresh.columns].equals(fresh):
            return old
    return None


def write_movies(data: PreparedData, models: Mapping, stage: Path) -> list[str]:
    """Write :data:`MOVIES_FILE` into ``stage``.

    The counts and means come from the data; each Venn model this run can score
    (:func:`models.user_views.venn_predictions`) sets its ``mean_<model>`` column, and the
    columns of models not scored now are kept from an earlier table of the same data.

    Returns:
        ``[MOVIES_FILE]``.
    """
    table = movie_table(data.movielens, data.test_mask)
    earlier = _earlier_table(stage, table)
    table = table if earlier is None else earlier
    items = data.movielens.ratings["movie_id"].to_numpy()
    movie_ids = table["movie_id"].to_numpy()
    for name, scores in venn_predictions(data, models, stage).items():
        table[f"mean_{name}"] = movie_mean_predictions(movie_ids, items, scores)
    table.to_parquet(stage / MOVIES_FILE, index=False, compression="zstd")
    return [MOVIES_FILE]
