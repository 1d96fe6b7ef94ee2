"""Box 9's artifacts (your own taste): the average user of each group, fold-in settings.

One writer per file, each named by the pipeline (:data:`models.pipeline.WRITERS`);
``python -m models.catalogue`` rebuilds both from the committed EmbeddingMF weights and the
data, without training and without torch (through :func:`models.export.export`, so the
swap is atomic). Box 9's movie list is the per-movie table, :mod:`models.movie_table`.

``embedding_mf_group_users.parquet`` (:func:`write_group_users`)
    the average EmbeddingMF user of each demographic group: ``gender`` ("M", "F" or "all"),
    ``age`` int8 (band code, 0 = all ages), ``occupation`` int8 (0..20, -1 = all),
    ``n_users`` int32 (>= 1; empty groups are left out), ``user_bias`` float32 and
    ``user_embedding`` (list of ``embedding_dim`` float32), means over the group's users.
``embedding_mf_fold_in.json`` (:func:`write_fold_in`)
    ``ridge_scale`` (``c`` of :mod:`core.scoring`), the grid tried with each value's
    error, the users and the seed used (the split's), and ``min_ratings`` of the
    cold-start list.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from core.artifacts import rating_range, read_manifest, split_seed
from core.scoring import ItemFactors, fold_in, predict
from core.vocabulary import DEFAULT_RATING_RANGE
from models.cli import add_data_argument, add_out_argument
from models.data import DataError, load_movielens
from models.export import export
from models.prepare import PreparedData, prepare

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


def _ridge_samples(
    data: PreparedData,
    factors: ItemFactors,
    user_embedding: np.ndarray,
    user_bias: np.ndarray,
    rng: np.random.Generator,
) -> tuple[list[tuple[np.ndarray, np.ndarray]], int, int]:
    """The fold-in cases of :func:`choose_ridge`: ``(samples, few, n_users)``.

    Each sample is ``(positions in the training rows, the trained vector's predicted stars
    float64[n_items])``: all of a sampled user's training ratings, then a random ``few``
    of them.
    """
    train_rows = np.flatnonzero(data.train_mask)
    user_rows = data.user_index[train_rows]
    order = np.argsort(user_rows, kind="stable")
    bounds = np.searchsorted(user_rows[order], np.arange(len(data.user_ids) + 1))
    counts = np.diff(bounds)
    # Small data sets (tests) may have no user with 2 * FEW_RATINGS ratings: use fewer.
    few = FEW_RATINGS if (counts >= 2 * FEW_RATINGS).any() else max(1, int(counts.max()) // 2)
    candidates = np.flatnonzero(counts >= 2 * few)
    users = rng.choice(candidates, size=min(RIDGE_USERS, len(candidates)), replace=False)
    samples = []
    for user in users:
        span = order[bounds[user] : bounds[user + 1]]
        target = predict(factors, user_embedding[user].astype(np.float64), float(user_bias[user]))
        samples.append((span, target))
        samples.append((rng.choice(span, size=few, replace=False), target))
    return samples, few, int(len(users))


def choose_ridge(
    data: PreparedData,
    factors: ItemFactors,
    user_embedding: np.ndarray,
    user_bias: np.ndarray,
    seed: int,
) -> dict:
    """Pick ``c`` of ``lambda = c * sqrt(m)`` on the training split only.

    For :data:`RIDGE_USERS` random users with at least 2 * :data:`FEW_RATINGS` training
    ratings, fold them in twice, from all their training ratings and from
    :data:`FEW_RATINGS` of them, and compare the predicted stars of every movie with those
    of their trained user vectors. The ``c`` with the lowest RMSE over both wins. ``seed``
    (the split's) draws the users and the few ratings.

    Returns:
        ``{"ridge_scale", "grid": [{"ridge_scale", "rmse_vs_trained"}], "n_users", "seed",
        "criterion"}``.
    """
    rng = np.random.default_rng(seed)
    samples, few, n_users = _ridge_samples(data, factors, user_embedding, user_bias, rng)
    items, stars = data.item_index[data.train_mask], data.rating[data.train_mask]
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
        "n_users": n_users,
        "few_ratings": few,
        "seed": seed,
        "criterion": "RMSE over all movies between fold-in and trained-vector predictions, "
        "training ratings only (all of them, and a random few)",
    }


def embedding_mf_arrays(models: Mapping, stage: Path) -> tuple[dict[str, np.ndarray], tuple]:
    """EmbeddingMF's arrays and rating range: trained in this run, else saved in ``stage``.

    Returns ``({}, range)`` when neither exists (then Box 9's files are not written).
    """
    trained = models.get("embedding_mf")
    if trained is not None:
        arrays = {key: trained.arrays[key] for key in EMBEDDING_MF_ARRAYS}
        return arrays, tuple(trained.config.get("rating_range", DEFAULT_RATING_RANGE))
    paths = {key: stage / f"embedding_mf_{key}.npy" for key in EMBEDDING_MF_ARRAYS}
    if not all(path.exists() for path in paths.values()):
        return {}, DEFAULT_RATING_RANGE
    arrays = {key: np.load(path, allow_pickle=False) for key, path in paths.items()}
    return arrays, rating_range(read_manifest(stage))


def write_group_users(data: PreparedData, models: Mapping, stage: Path) -> list[str]:
    """Write :data:`GROUP_USERS` into ``stage``; nothing without EmbeddingMF weights."""
    arrays, _ = embedding_mf_arrays(models, stage)
    if not arrays:
        return []
    groups = build_group_users(data, arrays["user_embedding"], arrays["user_bias"])
    groups.to_parquet(stage / GROUP_USERS, index=False, compression="zstd")
    return [GROUP_USERS]


def write_fold_in(data: PreparedData, models: Mapping, stage: Path) -> list[str]:
    """Write :data:`FOLD_IN` into ``stage``; nothing without EmbeddingMF weights.

    Raises:
        ValueError: the weights' item ids are not the data's rated movies.
    """
    arrays, stars_range = embedding_mf_arrays(models, stage)
    if not arrays:
        return []
    if not np.array_equal(arrays["item_ids"], data.item_ids):
        raise ValueError("EmbeddingMF item ids do not match the data's rated movies.")
    factors = ItemFactors(
        arrays["item_ids"],
        arrays["item_embedding"].astype(np.float32),
        arrays["item_bias"].astype(np.float32),
        cold_start=np.zeros(0, dtype=np.int64),  # not used to choose the ridge
        ridge_scale=1.0,
        rating_range=stars_range,
    )
    settings = choose_ridge(
        data, factors, arrays["user_embedding"], arrays["user_bias"], seed=data.seed
    )
    settings["cold_start_min_ratings"] = COLD_START_MIN_RATINGS
    (stage / FOLD_IN).write_text(json.dumps(settings, indent=1, sort_keys=True) + "\n")
    return [FOLD_IN]


#: Box 9's writers, in the order the pipeline runs them.
WRITERS = (write_group_users, write_fold_in)


def rebuild_from_weights(
    prog: str, description: str, writers: tuple, names: tuple[str, ...], argv: list[str] | None
) -> int:
    """Run ``writers`` on the data and the committed weights, through ``export``.

    The shared body of the torch-free partial rebuilds (``python -m models.catalogue``,
    ``python -m models.item_map``): the split comes from the manifest, and the data must
    be the one the artifacts were built on. Returns the exit status (2 on a data error).
    """
    parser = argparse.ArgumentParser(prog=prog, description=description)
    add_data_argument(parser)
    add_out_argument(parser)
    args = parser.parse_args(argv)
    manifest = read_manifest(args.out)
    try:
        data = prepare(load_movielens(args.data), seed=split_seed(manifest))
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if manifest.get("data_sha256") != data.movielens.sha256:
        print("error: the data differs from the one the artifacts were built on", file=sys.stderr)
        return 2
    # Through export(): the same staging, manifest and atomic swap as the pipeline.
    command = ["python", "-m", prog.split()[-1], *(argv if argv is not None else sys.argv[1:])]
    export(data, {}, command, args.out, writers=writers)
    written = [name for name in names if (args.out / name).exists()]
    print(f"Wrote {', '.join(written) or 'nothing (no EmbeddingMF weights)'} to {args.out}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Rebuild Box 9's files from the data and the committed weights, through ``export``."""
    return rebuild_from_weights(
        "python -m models.catalogue", __doc__, WRITERS, (GROUP_USERS, FOLD_IN), argv
    )


if __name__ == "__main__":
    raise SystemExit(main())
