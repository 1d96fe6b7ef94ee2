"""Small artifacts for Box 9 (your own taste): the movie catalogue, group users, fold-in settings.

Registered in :data:`models.export.EXTRA_WRITERS`, so every pipeline run rewrites them;
``python -m models.catalogue`` builds them now from the committed EmbeddingMF weights and the
data, without retraining (it swaps ``precomputed/`` atomically, like the exporter).

``movies.parquet``
    one row per rated movie (the 3,706 of ``embedding_mf_item_ids.npy``, same order):
    ``movie_id`` int16, ``title`` str, ``year`` Int16, ``genres`` str ('|'-joined),
    ``n_train_ratings`` int32 (>= 0), ``mean_train_rating`` float32 (1..5; NaN only where
    ``n_train_ratings == 0``). Titles and genres are public metadata; the counts and means are
    aggregates of the training split.
``embedding_mf_group_users.parquet``
    the average EmbeddingMF user of each demographic group: ``gender`` ("M", "F" or "all"),
    ``age`` int8 (band code, 0 = all ages), ``occupation`` int8 (0..20, -1 = all),
    ``n_users`` int32 (>= 1; empty groups are left out), ``user_bias`` float32 and
    ``user_embedding`` (list of ``embedding_dim`` float32), means over the group's users.
``embedding_mf_fold_in.json``
    ``ridge_scale`` (``c`` of :mod:`core.scoring`), the grid tried with each value's
    error, the users and the seed used, and ``min_ratings`` of the cold-start list.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from core.scoring import ItemFactors, cold_start_rows, fold_in, predict
from models.data import DataError, load_movielens
from models.export import EXTRA_WRITERS, PRECOMPUTED, export
from models.prepare import PreparedData, prepare
from models.split import DEFAULT_SEED

MOVIES = "movies.parquet"
GROUP_USERS = "embedding_mf_group_users.parquet"
FOLD_IN = "embedding_mf_fold_in.json"
#: Grid of ``c`` in ``lambda = c * sqrt(m)``.
RIDGE_GRID = (0.125, 0.25, 0.5, 1.0, 2.0, 4.0)
#: Training users sampled for the choice, and the few ratings a "new reader" gets.
RIDGE_USERS = 300
FEW_RATINGS = 10
#: Popularity floor of the cold-start list (training ratings).
COLD_START_MIN_RATINGS = 500
EMBEDDING_MF_ARRAYS = ("item_ids", "item_embedding", "item_bias", "user_embedding", "user_bias")


def build_movies(data: PreparedData) -> pd.DataFrame:
    """The catalogue of rated movies, aligned with ``data.item_ids`` (see module docstring)."""
    movies = data.movielens.movies.set_index("movie_id").loc[data.item_ids]
    train = data.train_mask
    counts = np.bincount(data.item_index[train], minlength=len(data.item_ids))
    sums = np.bincount(data.item_index[train], weights=data.rating[train], minlength=counts.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return pd.DataFrame(
        {
            "movie_id": data.item_ids.astype(np.int16),
            "title": movies["title"].to_numpy(dtype=object),
            "year": pd.array(movies["year"].to_numpy(), dtype="Int16"),
            "genres": ["|".join(genres) for genres in movies["genres"]],
            "n_train_ratings": counts.astype(np.int32),
            "mean_train_rating": means.astype(np.float32),
        }
    )


def build_group_users(
    data: PreparedData, user_embedding: np.ndarray, user_bias: np.ndarray
) -> pd.DataFrame:
    """Mean user vector and bias of every (gender, age band, occupation) group and marginal.

    Args:
        data: gives the users' demographics and the user id map.
        user_embedding: ``float[n_users, k]`` trained user vectors, rows as ``data.user_ids``.
        user_bias: ``float[n_users]`` trained user biases.

    Returns:
        One row per non-empty group, "all" values included (see module docstring).
    """
    users = data.movielens.users.set_index("user_id").loc[data.user_ids]
    gender = users["gender"].to_numpy()
    age = users["age"].to_numpy()
    occupation = users["occupation"].to_numpy()
    vectors = np.asarray(user_embedding, dtype=np.float64)
    rows = []
    for g, a, o in itertools.product(
        ("all", "M", "F"), (0, *sorted(np.unique(age))), (-1, *range(21))
    ):
        mask = np.ones(len(users), dtype=bool)
        if g != "all":
            mask &= gender == g
        if a:
            mask &= age == a
        if o >= 0:
            mask &= occupation == o
        if mask.any():
            rows.append(
                {
                    "gender": g,
                    "age": np.int8(a),
                    "occupation": np.int8(o),
                    "n_users": np.int32(mask.sum()),
                    "user_bias": np.float32(np.mean(user_bias[mask])),
                    "user_embedding": vectors[mask].mean(axis=0).astype(np.float32),
                }
            )
    frame = pd.DataFrame(rows)
    return frame.astype({"age": np.int8, "occupation": np.int8, "n_users": np.int32})


def choose_ridge(
    data: PreparedData,
    factors: ItemFactors,
    user_embedding: np.ndarray,
    user_bias: np.ndarray,
    seed: int = DEFAULT_SEED,
) -> dict:
    """Pick ``c`` of ``lambda = c * sqrt(m)`` on the training split only.

    For :data:`RIDGE_USERS` random users with at least 2 * :data:`FEW_RATINGS` training
    ratings, fold them in twice, from all their training ratings and from
    :data:`FEW_RATINGS` of them, and compare the predicted stars of every movie with those
    of their trained user vectors. The ``c`` with the lowest RMSE over both wins.

    Returns:
        ``{"ridge_scale", "grid": [{"ridge_scale", "rmse_vs_trained"}], "n_users", "seed",
        "criterion"}``.
    """
    train = data.train_mask
    rng = np.random.default_rng(seed)
    user_rows = data.user_index[train]
    order = np.argsort(user_rows, kind="stable")
    bounds = np.searchsorted(user_rows[order], np.arange(len(data.user_ids) + 1))
    counts = np.diff(bounds)
    # Small data sets (tests) may have no user with 2 * FEW_RATINGS ratings: use fewer.
    few = FEW_RATINGS if (counts >= 2 * FEW_RATINGS).any() else max(1, int(counts.max()) // 2)
    candidates = np.flatnonzero(counts >= 2 * few)
    users = rng.choice(candidates, size=min(RIDGE_USERS, len(candidates)), replace=False)
    items, stars = data.item_index[train][order], data.rating[train][order].astype(np.float64)
    samples = []
    for user in users:
        span = np.arange(bounds[user], bounds[user + 1])
        target = predict(factors, user_embedding[user].astype(np.float64), float(user_bias[user]))
        samples.append((span, target))
        samples.append((rng.choice(span, size=few, replace=False), target))
    grid = []
    for scale in RIDGE_GRID:
        squared = 0.0
        for span, target in samples:
            fit = fold_in(factors, items[span], stars[span], scale * np.sqrt(len(span)))
            squared += float(np.mean((predict(factors, fit.vector, fit.bias) - target) ** 2))
        grid.append({"ridge_scale": scale, "rmse_vs_trained": (squared / len(samples)) ** 0.5})
    best = min(grid, key=lambda entry: entry["rmse_vs_trained"])
    return {
        "ridge_scale": best["ridge_scale"],
        "grid": grid,
        "n_users": int(len(users)),
        "few_ratings": few,
        "seed": seed,
        "criterion": "RMSE over all movies between fold-in and trained-vector predictions, "
        "training ratings only (all of them, and a random few)",
    }


def write_catalogue(data: PreparedData, arrays: dict[str, np.ndarray], stage: Path) -> list[str]:
    """Write the three artifacts into ``stage``; returns their file names.

    Args:
        data: the prepared data (same split as the models).
        arrays: EmbeddingMF's exported arrays (:data:`EMBEDDING_MF_ARRAYS`), or empty to
            write only ``movies.parquet``.
        stage: the folder to write into.
    """
    movies = build_movies(data)
    movies.to_parquet(stage / MOVIES, index=False, compression="zstd")
    if not arrays:
        return [MOVIES]
    if not np.array_equal(arrays["item_ids"], data.item_ids):
        raise ValueError("EmbeddingMF item ids do not match the data's rated movies.")
    cold = cold_start_rows(
        movies["n_train_ratings"].to_numpy(),
        movies["mean_train_rating"].fillna(0).to_numpy(),
        COLD_START_MIN_RATINGS,
    )
    factors = ItemFactors(
        arrays["item_ids"],
        arrays["item_embedding"].astype(np.float32),
        arrays["item_bias"].astype(np.float32),
        cold,
        1.0,
    )
    groups = build_group_users(data, arrays["user_embedding"], arrays["user_bias"])
    groups.to_parquet(stage / GROUP_USERS, index=False, compression="zstd")
    settings = choose_ridge(data, factors, arrays["user_embedding"], arrays["user_bias"])
    settings["cold_start_min_ratings"] = COLD_START_MIN_RATINGS
    (stage / FOLD_IN).write_text(json.dumps(settings, indent=1, sort_keys=True) + "\n")
    return [MOVIES, GROUP_USERS, FOLD_IN]


def _saved_arrays(folder: Path) -> dict[str, np.ndarray]:
    paths = {key: folder / f"embedding_mf_{key}.npy" for key in EMBEDDING_MF_ARRAYS}
    if not all(path.exists() for path in paths.values()):
        return {}
    return {key: np.load(path, allow_pickle=False) for key, path in paths.items()}


def export_writer(data: PreparedData, models: dict, stage: Path) -> list[str]:
    """The :data:`models.export.EXTRA_WRITERS` hook: fresh EmbeddingMF weights, else saved."""
    trained = models.get("embedding_mf")
    arrays = (
        {key: trained.arrays[key] for key in EMBEDDING_MF_ARRAYS}
        if trained is not None
        else _saved_arrays(stage)
    )
    return write_catalogue(data, arrays, stage)


EXTRA_WRITERS.append(export_writer)


def main(argv: list[str] | None = None) -> int:
    """Build the artifacts from the data and the committed weights, written by ``export``."""
    parser = argparse.ArgumentParser(prog="python -m models.catalogue", description=__doc__)
    parser.add_argument("--data", help="ml-1m.zip or its folder (default: $MOVIELENS_1M, ...)")
    parser.add_argument("--out", type=Path, default=PRECOMPUTED, help="artifacts folder")
    args = parser.parse_args(argv)
    manifest_path = args.out / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    try:
        data = prepare(load_movielens(args.data), seed=int(manifest["seed"]))
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if manifest.get("data_sha256") != data.movielens.sha256:
        print("error: the data differs from the one the artifacts were built on", file=sys.stderr)
        return 2
    # Through export(): the same staging, manifest and atomic swap as the pipeline.
    command = ["python", "-m", "models.catalogue", *(argv if argv is not None else sys.argv[1:])]
    export(data, {}, command, args.out, writers=[export_writer])
    written = [MOVIES, GROUP_USERS, FOLD_IN] if _saved_arrays(args.out) else [MOVIES]
    print(f"Wrote {', '.join(written)} to {args.out}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
