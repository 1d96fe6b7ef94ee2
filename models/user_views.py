"""Artifacts for boxes 6-8: who a reader is, their sets, and group trends.

One writer per file, each named by the pipeline (:data:`models.pipeline.WRITERS`); the
per-movie table of Box 7 is :mod:`models.movie_table`'s.

``story_user_profiles.parquet``, ``story_user_test.parquet``, ``story_user_insample.parquet``
(:func:`write_story_reader`)
    the per-reader tables of :mod:`core.records` cut to the story reader (user 1680, whom
    the article shows): profile, test-split ratings with the Venn models' predictions, and
    Box 6's in-sample rows. Every other reader's rows are built on the host by
    ``python -m models.reader_records`` and never committed (the MovieLens licence).
``group_ratings.parquet`` (:func:`write_group_ratings`)
    mean rating and count per user group over all 1,000,209 ratings (``movie_id`` 0) and
    per movie: ``movie_id`` int16, ``dimension`` (``occupation``, ``age``, ``gender``,
    ``region``), ``group`` (label), ``order`` int8 (display order), ``n`` int32, ``mean``
    float32. Occupation 0 ("other or not specified") is left out.

Only the story reader's ratings are stored, besides aggregates.

Run ``python -m models.user_views`` to rebuild these files and ``movies.parquet`` from the
data and the committed artifacts, without training and without torch: the Venn models are
scored with numpy from their exported weights on every rating
(:func:`models.reader_records.predictions_from_weights`). The split's seed is read from
the manifest.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from core.artifacts import read_manifest, split_seed
from core.records import TABLES, story_file
from core.vocabulary import AGE_BANDS, GENDER_LABELS, OCCUPATIONS, READER_MODELS, STORY_USER
from models.data import MovieLens
from models.export import export
from models.prepare import PreparedData
from models.reader_records import predictions_from_weights, reader_tables
from models.regions import UNKNOWN_REGION, ZIP_AREAS

DIMENSIONS: tuple[str, ...] = ("occupation", "age", "gender", "region")

GROUPS_FILE = "group_ratings.parquet"
STORY_FILES = tuple(story_file(table) for table in TABLES)
#: What ``python -m models.user_views`` rewrites (with :mod:`models.movie_table`'s table).
FILES = (*STORY_FILES, "movies.parquet", GROUPS_FILE)


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
    """``float32[N]`` predictions over all ratings of each reader model this run can score.

    Models trained in this run give theirs; the others are rescored with numpy from their
    saved weights in ``folder`` (:func:`models.reader_records.predictions_from_weights`),
    so a run that trains one Venn model still gets the other's scores right. Models
    without usable weights are left out.
    """
    predictions = {
        name: model.predictions for name, model in models.items() if name in READER_MODELS
    }
    others = tuple(name for name in READER_MODELS if name not in predictions)
    # Two writers of one run (story rows, conclusion) ask for the same scores: reuse them.
    stamps = tuple(
        (path.name, path.stat().st_mtime_ns)
        for name in others
        for path in sorted(Path(folder).glob(f"{name}_*.npy"))
    )
    key = (id(data), str(folder), others, stamps)
    if _RESCORED.get("key") != key:
        _RESCORED.update(key=key, scores=predictions_from_weights(data, folder, others)[0])
    return {**predictions, **_RESCORED["scores"]}


#: The last rescoring of :func:`venn_predictions` (one run's stage: its weights are fixed).
_RESCORED: dict = {}


def write_story_reader(data: PreparedData, models: Mapping, stage: Path) -> list[str]:
    """Write the story reader's three tables (:data:`STORY_FILES`) into ``stage``.

    Built with :func:`models.reader_records.reader_tables`, as every reader's records are
    on a host, and cut to user 1680.
    """
    predictions = venn_predictions(data, models, stage)
    tables = reader_tables(data.movielens, data.test_mask, predictions, users=[STORY_USER])
    for name, table in tables.items():
        table.to_parquet(stage / story_file(name), index=False, compression="zstd")
    return list(STORY_FILES)


def write_group_ratings(data: PreparedData, models: Mapping, stage: Path) -> list[str]:
    """Write :data:`GROUPS_FILE` into ``stage`` (needs only the data)."""
    frame = group_ratings(data.movielens)
    frame.to_parquet(stage / GROUPS_FILE, index=False, compression="zstd")
    return [GROUPS_FILE]


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
    writers = [write_story_reader, write_movies, write_group_ratings]
    export(data, {}, command, args.out, writers=writers)
    print(f"Wrote {', '.join(FILES)}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
