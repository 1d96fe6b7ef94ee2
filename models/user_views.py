"""Artifacts for boxes 6-8: who a reader is, their sets, and group trends.

One writer per file, each named by the pipeline (:data:`models.pipeline.WRITERS`); the
per-movie table of Box 7 is :mod:`models.movie_table`'s.

``user_profiles.parquet`` (:func:`write_profiles`)
    one row per user (6,040): ``user_id`` int16, ``gender`` ("F"/"M"), ``age`` int8 band
    code, ``age_band``, ``occupation`` int8 (0..20), ``occupation_name``, ``region`` (US
    national area of the zip code; the zip code itself is not kept), ``n_ratings`` and
    ``n_test`` int16.
``user_insample.parquet`` (:func:`write_insample`)
    for the in-sample view of Box 6 (every movie a user rated, training split included):
    one row per (user, movie) in the union of each Venn model's top-10 over the user's
    rated movies, the user's 5-star movies, and the two story movies (3264, 3391) for
    everyone who rated them. Columns ``user_id``, ``movie_id`` int16, ``rating`` int8,
    ``in_test`` bool and one ``float32`` column of predicted stars per Venn model
    (NaN where a model from an earlier run did not cover a row).
``group_ratings.parquet`` (:func:`write_group_ratings`)
    mean rating and count per user group over all 1,000,209 ratings (``movie_id`` 0) and
    per movie: ``movie_id`` int16, ``dimension`` (``occupation``, ``age``, ``gender``,
    ``region``), ``group`` (label), ``order`` int8 (display order), ``n`` int32, ``mean``
    float32. Occupation 0 ("other or not specified") is left out.

No raw rating table is stored: only top-10 lists, 5-star sets, two story movies and
aggregates.

Run ``python -m models.user_views`` to rebuild these files and ``movies.parquet`` from the
data and the committed artifacts, without training and without torch: models whose
weights allow it (EmbeddingMF) are scored with numpy on every rating; the others fill in
on the next pipeline run. The split's seed is read from the manifest.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from core.artifacts import rating_range, read_manifest, split_seed
from core.scoring import EmbeddingMFWeights
from core.top_k import top_k_mask
from core.vocabulary import (
    AGE_BANDS,
    GENDER_LABELS,
    OCCUPATIONS,
    STORY_MOVIES,
    TOP_K,
    VENN_MODELS,
)
from models.data import MovieLens
from models.export import export
from models.prepare import PreparedData
from models.regions import UNKNOWN_REGION, ZIP_AREAS

DIMENSIONS: tuple[str, ...] = ("occupation", "age", "gender", "region")

PROFILES_FILE = "user_profiles.parquet"
INSAMPLE_FILE = "user_insample.parquet"
GROUPS_FILE = "group_ratings.parquet"
#: What ``python -m models.user_views`` rewrites (with :mod:`models.movie_table`'s table).
FILES = (PROFILES_FILE, INSAMPLE_FILE, "movies.parquet", GROUPS_FILE)


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


def read_parquet_if_any(path: Path) -> pd.DataFrame | None:
    """The table at ``path``, or ``None`` if there is none (a first run)."""
    return pd.read_parquet(path) if path.exists() else None


def venn_predictions(data: PreparedData, models: Mapping, folder: Path) -> dict[str, np.ndarray]:
    """``float32[N]`` predictions over all ratings of each Venn model this run can score.

    Models trained in this run give theirs; EmbeddingMF, when not trained now, is rescored
    from its saved weights in ``folder`` (:func:`embedding_mf_from_weights`), so a run that
    trains DeepFM alone still gets EmbeddingMF's scores right. Others are left out.
    """
    predictions = {name: model.predictions for name, model in models.items() if name in VENN_MODELS}
    if "embedding_mf" not in predictions:
        scores = embedding_mf_from_weights(data, folder)
        if scores is not None:
            predictions["embedding_mf"] = scores
    return predictions


def write_profiles(data: PreparedData, models: Mapping, stage: Path) -> list[str]:
    """Write :data:`PROFILES_FILE` into ``stage`` (needs only the data)."""
    user_profiles(data.movielens, data.test_mask).to_parquet(stage / PROFILES_FILE, index=False)
    return [PROFILES_FILE]


def write_group_ratings(data: PreparedData, models: Mapping, stage: Path) -> list[str]:
    """Write :data:`GROUPS_FILE` into ``stage`` (needs only the data)."""
    frame = group_ratings(data.movielens)
    frame.to_parquet(stage / GROUPS_FILE, index=False, compression="zstd")
    return [GROUPS_FILE]


def write_insample(data: PreparedData, models: Mapping, stage: Path) -> list[str]:
    """Write :data:`INSAMPLE_FILE` into ``stage``.

    Args:
        data: the prepared data of the run.
        models: name -> trained model of this run (anything with ``.predictions``,
            ``float32[N]`` over all ratings); only :data:`VENN_MODELS` are used, others
            come from :func:`venn_predictions`.
        stage: the folder being written; an earlier file there is merged with this run's
            rows (:func:`merge_insample`) unless every Venn model was scored now.

    Returns:
        ``[INSAMPLE_FILE]``.
    """
    predictions = venn_predictions(data, models, stage)
    old = read_parquet_if_any(stage / INSAMPLE_FILE)
    fresh = insample_rows(data.movielens, data.test_mask, predictions)
    # With every Venn model scored in this run the file is rebuilt, never merged, so rows
    # kept only for a model's old top-10 cannot linger.
    insample = fresh if set(VENN_MODELS) <= set(predictions) else merge_insample(old, fresh)
    insample.to_parquet(stage / INSAMPLE_FILE, index=False, compression="zstd")
    return [INSAMPLE_FILE]


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
    """Rebuild this module's files and the movie table from the data (no training).

    The run goes through :func:`models.export.export` with no trained models, so the
    write is atomic and the manifest's hashes stay right. The split's seed is the one the
    manifest records. Exit status 0, or 2 with a message when the data or the split do not
    match the artifacts.
    """
    from models.cli import add_data_argument, add_out_argument
    from models.data import DataError, load_movielens
    from models.movie_table import write_movies
    from models.prepare import prepare
    from models.split import pack_mask

    parser = argparse.ArgumentParser(prog="python -m models.user_views", description=__doc__)
    add_data_argument(parser)
    add_out_argument(parser)
    args = parser.parse_args(argv)
    try:
        data = prepare(load_movielens(args.data), seed=split_seed(read_manifest(args.out)))
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    split = args.out / "split.npy"
    if not split.exists() or not np.array_equal(np.load(split), pack_mask(data.test_mask)):
        print("error: the split differs from precomputed/split.npy; run models.pipeline.")
        return 2
    command = ["python", "-m", "models.user_views", *(argv or [])]
    writers = [write_profiles, write_insample, write_movies, write_group_ratings]
    export(data, {}, command, args.out, writers=writers)
    print(f"Wrote {', '.join(FILES)}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
