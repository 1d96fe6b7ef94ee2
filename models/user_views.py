"""Artifacts for boxes 6-8: one reader's sets, one movie's ratings, and group trends.

Four compact files, written into ``precomputed/`` by :func:`write_user_views` (registered in
:data:`models.export.EXTRA_WRITERS`, so every pipeline run refreshes them):

``user_profiles.parquet``
    one row per user (6,040): ``user_id`` int16, ``gender`` ("F"/"M"), ``age`` int8 band
    code, ``age_band``, ``occupation`` int8 (0..20), ``occupation_name``, ``region`` (US
    national area of the zip code; the zip code itself is not kept), ``n_ratings`` and
    ``n_test`` int16.
``user_insample.parquet``
    for the in-sample view of Box 6 (every movie a user rated, training split included):
    one row per (user, movie) in the union of each Venn model's top-10 over the user's
    rated movies, the user's 5-star movies, and the two story movies (3264, 3391) for
    everyone who rated them. Columns ``user_id``, ``movie_id`` int16, ``rating`` int8,
    ``in_test`` bool and one ``float32`` column of predicted stars per Venn model
    (NaN where a model from an earlier run did not cover a row).
``movie_why.parquet``
    one row per rated movie (3,706): ``movie_id`` int16, ``title``, ``year`` (Int16),
    ``n_1`` .. ``n_5`` int32 training ratings per star, ``n_train`` int32,
    ``mean_train`` float32, ``n_test`` int32, and ``mean_<model>`` float32: the model's mean
    prediction over all the movie's ratings (training and test).
``group_ratings.parquet``
    mean rating and count per user group over all 1,000,209 ratings (``movie_id`` 0) and
    per movie: ``movie_id`` int16, ``dimension`` (``occupation``, ``age``, ``gender``,
    ``region``), ``group`` (label), ``order`` int8 (display order), ``n`` int32, ``mean``
    float32. Occupation 0 ("other or not specified") is left out.

No raw rating table is stored: only top-10 lists, 5-star sets, two story movies and
aggregates.

Run ``python -m models.user_views`` to build these files from the data and the committed
artifacts without retraining: models whose weights allow it (EmbeddingMF) are evaluated
with numpy on every rating; the others fill in on the next pipeline run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from core.artifacts import rating_range, read_manifest
from core.scoring import EmbeddingMFWeights
from core.top_k import top_k_mask
from core.vocabulary import (
    AGE_BANDS,
    GENDER_LABELS,
    OCCUPATIONS,
    STARS,
    STORY_MOVIES,
    TOP_K,
    VENN_MODELS,
)
from models.data import MovieLens
from models.export import EXTRA_WRITERS, PRECOMPUTED, export
from models.prepare import PreparedData
from models.regions import UNKNOWN_REGION, ZIP_AREAS

DIMENSIONS: tuple[str, ...] = ("occupation", "age", "gender", "region")

PROFILES_FILE = "user_profiles.parquet"
INSAMPLE_FILE = "user_insample.parquet"
MOVIE_WHY_FILE = "movie_why.parquet"
GROUPS_FILE = "group_ratings.parquet"
FILES = (PROFILES_FILE, INSAMPLE_FILE, MOVIE_WHY_FILE, GROUPS_FILE)


def user_profiles(movielens: MovieLens, test_mask: np.ndarray) -> pd.DataFrame:
    """The profile columns of :data:`PROFILES_FILE` (see the module docstring)."""
    ratings = movielens.ratings
    users = movielens.users
    n_ratings = ratings.groupby("user_id").size()
    n_test = ratings.loc[test_mask, "user_id"].value_counts()
    return pd.DataFrame(
        {
            "user_id": users["user_id"].to_numpy().astype(np.int16),
            "gender": users["gender"].astype(str).to_numpy(),
            "age": users["age"].to_numpy().astype(np.int8),
            "age_band": users["age_band"].astype(str).to_numpy(),
            "occupation": users["occupation"].to_numpy().astype(np.int8),
            "occupation_name": users["occupation_name"].astype(str).to_numpy(),
            "region": users["region"].astype(str).to_numpy(),
            "n_ratings": n_ratings.reindex(users["user_id"], fill_value=0).to_numpy(np.int16),
            "n_test": n_test.reindex(users["user_id"], fill_value=0).to_numpy(np.int16),
        }
    )


def insample_rows(
    movielens: MovieLens, test_mask: np.ndarray, predictions: Mapping[str, np.ndarray]
) -> pd.DataFrame:
    """The rows of :data:`INSAMPLE_FILE` for the given models' full predictions.

    Args:
        movielens: the loaded tables.
        test_mask: ``bool[N]`` over ratings in file order.
        predictions: model name -> ``float32[N]`` predicted stars for every rating.

    Returns:
        One row per kept (user, movie), sorted by user then movie.
    """
    ratings = movielens.ratings
    users = ratings["user_id"].to_numpy()
    items = ratings["movie_id"].to_numpy()
    keep = (ratings["rating"].to_numpy() == 5) | np.isin(items, STORY_MOVIES)
    for scores in predictions.values():
        keep |= top_k_mask(users, items, scores, TOP_K)
    frame = pd.DataFrame(
        {
            "user_id": users[keep].astype(np.int16),
            "movie_id": items[keep].astype(np.int16),
            "rating": ratings["rating"].to_numpy()[keep].astype(np.int8),
            "in_test": test_mask[keep],
        }
    )
    for name, scores in predictions.items():
        frame[name] = np.asarray(scores, dtype=np.float32)[keep]
    return frame.sort_values(["user_id", "movie_id"], ignore_index=True)


def merge_insample(old: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    """Union of an earlier file's rows and this run's; this run's model columns win.

    Columns of models not in ``new`` keep their old values (NaN on rows they never
    covered), so a run that trains one model keeps the other's top-10.
    """
    if old is None:
        return new
    key = ["user_id", "movie_id", "rating", "in_test"]
    fresh = [column for column in new.columns if column not in key]
    kept = old.drop(columns=[column for column in fresh if column in old.columns])
    merged = kept.merge(new, on=key, how="outer")
    for column in merged.columns.difference(key):
        merged[column] = merged[column].astype(np.float32)
    return merged.sort_values(["user_id", "movie_id"], ignore_index=True)


def movie_why_table(movielens: MovieLens, test_mask: np.ndarray) -> pd.DataFrame:
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


def group_ratings(movielens: MovieLens) -> pd.DataFrame:
    """Mean rating and count per group, over all ratings (``movie_id`` 0) and per movie."""
    users = movielens.users.set_index("user_id")
    ratings = movielens.ratings[["user_id", "movie_id", "rating"]]
    region_order = {name: index for index, name in enumerate([*ZIP_AREAS.values(), UNKNOWN_REGION])}
    labels = {
        "occupation": (
            users["occupation_name"],
            {name: code for code, name in OCCUPATIONS.items()},
        ),
        "age": (users["age_band"], {name: i for i, name in enumerate(AGE_BANDS.values())}),
        "gender": (users["gender"].map(GENDER_LABELS), {"Female": 0, "Male": 1}),
        "region": (users["region"], region_order),
    }
    frames = []
    for dimension in DIMENSIONS:
        column, order = labels[dimension]
        group = column.reindex(ratings["user_id"]).to_numpy()
        rows = ratings.assign(group=group)
        if dimension == "occupation":
            rows = rows[users["occupation"].reindex(ratings["user_id"]).to_numpy() != 0]
        for by_movie in (False, True):
            keys = ["movie_id", "group"] if by_movie else ["group"]
            stats = rows.groupby(keys)["rating"].agg(["size", "mean"]).reset_index()
            if not by_movie:
                stats.insert(0, "movie_id", 0)
            stats["dimension"] = dimension
            stats["order"] = stats["group"].map(order)
            frames.append(stats)
    frame = pd.concat(frames, ignore_index=True).rename(columns={"size": "n"})
    return pd.DataFrame(
        {
            "movie_id": frame["movie_id"].to_numpy(np.int16),
            "dimension": pd.Categorical(frame["dimension"], categories=DIMENSIONS),
            "group": frame["group"].astype(str).to_numpy(),
            "order": frame["order"].to_numpy(np.int8),
            "n": frame["n"].to_numpy(np.int32),
            "mean": frame["mean"].to_numpy(np.float32),
        }
    ).sort_values(["movie_id", "dimension", "order"], ignore_index=True)


def _read_parquet(path: Path) -> pd.DataFrame | None:
    return pd.read_parquet(path) if path.exists() else None


def write_user_views(
    data: PreparedData,
    models: Mapping,
    stage: Path,
) -> list[str]:
    """Write the four files of this module into ``stage`` (an :data:`EXTRA_WRITERS` hook).

    Args:
        data: the prepared data of the run.
        models: name -> trained model of this run (anything with ``.predictions``,
            ``float32[N]`` over all ratings); only :data:`VENN_MODELS` are used.
        stage: the folder being written.
        Venn models not trained in this run are rescored from their saved weights where
        that is possible (EmbeddingMF, :func:`embedding_mf_from_weights`).

    Returns:
        The file names written.
    """
    movielens = data.movielens
    predictions = {name: model.predictions for name, model in models.items() if name in VENN_MODELS}
    if "embedding_mf" not in predictions:
        # A run that trains DeepFM alone still gets EmbeddingMF's in-sample scores right.
        scores = embedding_mf_from_weights(data, stage)
        if scores is not None:
            predictions["embedding_mf"] = scores
    user_profiles(movielens, data.test_mask).to_parquet(stage / PROFILES_FILE, index=False)
    group_ratings(movielens).to_parquet(stage / GROUPS_FILE, index=False, compression="zstd")

    old = _read_parquet(stage / INSAMPLE_FILE)
    fresh = insample_rows(movielens, data.test_mask, predictions)
    # With every Venn model scored in this run the file is rebuilt, never merged, so rows
    # kept only for a model's old top-10 cannot linger.
    insample = fresh if set(VENN_MODELS) <= set(predictions) else merge_insample(old, fresh)
    insample.to_parquet(stage / INSAMPLE_FILE, index=False, compression="zstd")

    why = movie_why_table(movielens, data.test_mask)
    old_why = _read_parquet(stage / MOVIE_WHY_FILE)
    if old_why is not None and old_why[why.columns].equals(why):
        why = old_why
    items = movielens.ratings["movie_id"].to_numpy()
    for name, scores in predictions.items():
        why[f"mean_{name}"] = movie_mean_predictions(why["movie_id"].to_numpy(), items, scores)
    why.to_parquet(stage / MOVIE_WHY_FILE, index=False, compression="zstd")
    return list(FILES)


# The pipeline imports this module as ``models.user_views``; run as a script it passes its
# writer to ``export`` itself, so only the imported copy registers.
if __name__ != "__main__":
    EXTRA_WRITERS.append(write_user_views)


def embedding_mf_from_weights(data: PreparedData, folder: Path) -> np.ndarray | None:
    """EmbeddingMF's ``float32[N]`` predictions recomputed with numpy from its weights.

    Scored by :class:`core.scoring.EmbeddingMFWeights` with the rating range the manifest
    records; the embeddings are stored as float16, so results differ from the trained
    model's by about 1e-3 stars. Returns ``None`` when the weights are missing or misaligned.
    """
    paths = {name: folder / f"embedding_mf_{name}.npy" for name in EmbeddingMFWeights.ARRAYS}
    if not all(path.exists() for path in paths.values()):
        return None
    arrays = {name: np.load(path, allow_pickle=False) for name, path in paths.items()}
    if not (
        np.array_equal(arrays["user_ids"], data.user_ids)
        and np.array_equal(arrays["item_ids"], data.item_ids)
    ):
        return None
    weights = EmbeddingMFWeights(**arrays, rating_range=rating_range(read_manifest(folder)))
    return weights.predict(data.user_index, data.item_index)


def main(argv: list[str] | None = None) -> int:
    """Rebuild this module's files from the data and the committed artifacts (no training).

    The run goes through :func:`models.export.export` with no trained models, so the
    write is atomic and the manifest's hashes stay right. Exit status 0, or 2 with a
    message when the data or the split do not match the artifacts.
    """
    from models.data import DataError, load_movielens
    from models.prepare import prepare
    from models.split import DEFAULT_SEED, pack_mask

    parser = argparse.ArgumentParser(prog="python -m models.user_views", description=__doc__)
    parser.add_argument("--data", help="ml-1m.zip or its folder (default: $MOVIELENS_1M, ...)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=PRECOMPUTED)
    args = parser.parse_args(argv)
    try:
        data = prepare(load_movielens(args.data), seed=args.seed)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    split = args.out / "split.npy"
    if not split.exists() or not np.array_equal(np.load(split), pack_mask(data.test_mask)):
        print("error: the split differs from precomputed/split.npy; run models.pipeline.")
        return 2
    command = ["python", "-m", "models.user_views", *(argv or [])]
    export(data, {}, command, args.out, writers=[write_user_views])
    print(f"Wrote {', '.join(FILES)}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
