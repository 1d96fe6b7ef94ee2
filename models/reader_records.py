"""Build the per-reader records on this host, from the official archive (never committed).

Usage::

    python -m models.reader_records                     # $MOVIELENS_1M, ../shared, or download
    python -m models.reader_records --data ~/ml-1m.zip  # a local copy (zip or folder)
    python -m models.reader_records --out /var/cache/article-readers

Writes the three tables of :mod:`core.records` for every MovieLens user into the records
folder (``--out``, default ``$READER_RECORDS_DIR`` or ``reader_records/``), atomically.
The models' predictions are computed with numpy from the committed weights
(:class:`core.scoring.EmbeddingMFWeights`, :class:`core.deepfm.DeepFMWeights`), so the
build needs no torch and no training: about half a minute on two cores. The pipeline
writes the story reader's rows with the same functions (:func:`reader_tables`).

Exit status 0, or 2 with a one-line message when the archive cannot be read or is not
the one ``precomputed/`` was built from.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from core.artifacts import precomputed_dir, rating_range, read_manifest, split_seed
from core.bayes_fm import BayesFMWeights
from core.deepfm import DeepFMWeights, genre_matrix
from core.records import (
    BUILD_COMMAND,
    INSAMPLE,
    MANIFEST,
    PROFILES,
    RECORDS_FORMAT,
    TEST,
    records_dir,
    sha256_of,
)
from core.scoring import EmbeddingMFWeights
from core.vocabulary import READER_MODELS, VENN_MODELS
from models.data import DataError, MovieLens, load_movielens
from models.export import swap_into_place
from models.prepare import PreparedData, prepare
from models.split import pack_mask


def user_profiles(movielens: MovieLens, test_mask: np.ndarray) -> pd.DataFrame:
    """One row per user: demographics and rating counts (see :mod:`core.records`)."""
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


def _rows(movielens: MovieLens, keep: np.ndarray, predictions: Mapping[str, np.ndarray]):
    """The kept ratings as ``user_id``, ``movie_id``, ``rating`` and one column per model."""
    ratings = movielens.ratings
    frame = pd.DataFrame(
        {
            "user_id": ratings["user_id"].to_numpy()[keep].astype(np.int16),
            "movie_id": ratings["movie_id"].to_numpy()[keep].astype(np.int16),
            "rating": ratings["rating"].to_numpy()[keep].astype(np.int8),
        }
    )
    return frame, {name: np.asarray(s, dtype=np.float32)[keep] for name, s in predictions.items()}


def held_out_rows(
    movielens: MovieLens, test_mask: np.ndarray, predictions: Mapping[str, np.ndarray]
) -> pd.DataFrame:
    """Every test-split rating with the models' predictions, sorted by user then movie.

    Args:
        movielens: the loaded tables.
        test_mask: ``bool[N]`` over ratings in file order.
        predictions: model name -> ``float32[N]`` predicted stars for every rating.
    """
    frame, scores = _rows(movielens, test_mask, predictions)
    return frame.assign(**scores).sort_values(["user_id", "movie_id"], ignore_index=True)


def insample_rows(
    movielens: MovieLens, test_mask: np.ndarray, predictions: Mapping[str, np.ndarray]
) -> pd.DataFrame:
    """Every rating of every reader (see :mod:`core.records`), sorted by user then movie.

    All of them, not only the ones Box 6 draws: a reader's real rating of any movie they
    rated is what boxes 6-8 show beside the models' guesses (issue 9, item 7).

    Args:
        movielens: the loaded tables.
        test_mask: ``bool[N]`` over ratings in file order.
        predictions: model name -> ``float32[N]`` predicted stars for every rating.
    """
    keep = np.ones(len(movielens.ratings), dtype=bool)
    frame, scores = _rows(movielens, keep, predictions)
    frame.insert(3, "in_test", test_mask[keep])
    return frame.assign(**scores).sort_values(["user_id", "movie_id"], ignore_index=True)


def reader_tables(
    movielens: MovieLens,
    test_mask: np.ndarray,
    predictions: Mapping[str, np.ndarray],
    users: Iterable[int] | None = None,
) -> dict[str, pd.DataFrame]:
    """The three per-reader tables, for every user or only ``users``.

    A user's rows do not depend on other users (top-10 lists are per user), so the story
    files are exactly the full tables cut to the story reader.

    Returns:
        :data:`core.records.TABLES` name -> table.
    """
    tables = {
        PROFILES: user_profiles(movielens, test_mask),
        TEST: held_out_rows(movielens, test_mask, predictions),
        INSAMPLE: insample_rows(movielens, test_mask, predictions),
    }
    if users is not None:
        wanted = list(users)
        tables = {
            name: table[table["user_id"].isin(wanted)].reset_index(drop=True)
            for name, table in tables.items()
        }
    return tables


def _load_arrays(folder: Path, model: str, names: Iterable[str]) -> dict[str, np.ndarray] | None:
    paths = {name: folder / f"{model}_{name}.npy" for name in names}
    if not all(path.exists() for path in paths.values()):
        return None
    return {name: np.load(path, allow_pickle=False) for name, path in paths.items()}


def deepfm_inputs(data: PreparedData) -> tuple[np.ndarray, np.ndarray]:
    """DeepFM's raw genre positions per item row and occupation code per user row."""
    movies = data.movielens.movies.set_index("movie_id")
    users = data.movielens.users.set_index("user_id")
    genres = genre_matrix(movies.loc[data.item_ids, "genres"].tolist())
    return genres, users.loc[data.user_ids, "occupation"].to_numpy().astype(np.int64)


def deepfm_weight_files(folder: Path) -> list[str]:
    """The ``deepfm_*.npy`` weight files of ``folder`` that the numpy scorer reads."""
    return sorted(
        path.name
        for path in folder.glob("deepfm_*.npy")
        if path.stem.removeprefix("deepfm_") in (*DeepFMWeights.ARRAYS, "user_ids", "item_ids")
        or path.stem.startswith("deepfm_hidden_")
    )


def _aligned(arrays: Mapping[str, np.ndarray], data: PreparedData) -> bool:
    """Whether a model's id maps are those of ``data`` (same users and movies, same order)."""
    return np.array_equal(arrays.get("user_ids"), data.user_ids) and np.array_equal(
        arrays.get("item_ids"), data.item_ids
    )


def embedding_mf_predictions(data: PreparedData, folder: Path):
    """EmbeddingMF's ``float32[N]`` predictions and the files read, or ``None``."""
    arrays = _load_arrays(folder, "embedding_mf", EmbeddingMFWeights.ARRAYS)
    if arrays is None or not _aligned(arrays, data):
        return None
    weights = EmbeddingMFWeights(**arrays, rating_range=rating_range(read_manifest(folder)))
    files = [f"embedding_mf_{name}.npy" for name in EmbeddingMFWeights.ARRAYS]
    return weights.predict(data.user_index, data.item_index), files


def deepfm_predictions(data: PreparedData, folder: Path):
    """DeepFM's ``float32[N]`` predictions and the files read, or ``None``."""
    files = deepfm_weight_files(folder)
    arrays = _load_arrays(folder, "deepfm", [name.removeprefix("deepfm_")[:-4] for name in files])
    if not arrays or "embedding" not in arrays or not _aligned(arrays, data):
        return None
    genres, occupation = deepfm_inputs(data)
    weights = DeepFMWeights.from_arrays(arrays)
    return weights.predict(data.user_index, data.item_index, genres, occupation), files


def bayes_fm_predictions(data: PreparedData, folder: Path):
    """The Bayesian FM's ``float32[N]`` predictions and the files read, or ``None``."""
    arrays = _load_arrays(folder, "bayes_fm", BayesFMWeights.ARRAYS)
    if arrays is None or not _aligned(arrays, data):
        return None
    files = [f"bayes_fm_{name}.npy" for name in BayesFMWeights.ARRAYS]
    return BayesFMWeights(**arrays).predict(data.user_index, data.item_index), files


#: Model -> its numpy scorer over every rating of a run.
SCORERS = {
    "embedding_mf": embedding_mf_predictions,
    "deepfm": deepfm_predictions,
    "bayes_fm": bayes_fm_predictions,
}


def predictions_from_weights(
    data: PreparedData, folder: Path, models: Iterable[str] = READER_MODELS
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Each model's ``float32[N]`` predictions for every rating, scored from its weights.

    Models whose weights are missing or built on other id maps are left out.

    Returns:
        ``(model -> predictions, weight file names used)``.
    """
    predictions, used = {}, []
    for model in models:
        scored = SCORERS[model](data, folder) if model in SCORERS else None
        if scored is not None:
            predictions[model], files = scored
            used += files
    return predictions, used


def write_records(tables: Mapping[str, pd.DataFrame], destination: Path, manifest: Mapping) -> None:
    """Write the tables and their manifest into ``destination``, replacing it atomically.

    The folder is staged beside ``destination`` and swapped in with renames, so a failed
    build leaves the previous records as they were.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".records-", dir=destination.parent))
    try:
        for name, table in tables.items():
            table.to_parquet(stage / name, index=False, compression="zstd")
        files = {name: sha256_of(stage / name) for name in tables}
        payload = {**manifest, "files": files}
        (stage / MANIFEST).write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n")
        swap_into_place(stage, destination)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


class RecordsError(RuntimeError):
    """The archive or the artifacts do not allow a build that the app could use."""


def build(movielens: MovieLens, precomputed: Path, destination: Path) -> dict[str, int]:
    """Build every reader's records from ``movielens`` and the weights in ``precomputed``.

    Returns:
        Table name -> rows written.

    Raises:
        RecordsError: the archive is not the one the artifacts were built from, the split
            differs, or a Venn model's weights are missing.
    """
    manifest = read_manifest(precomputed)
    if manifest.get("data_sha256") != movielens.sha256:
        raise RecordsError(
            f"{movielens.source} (SHA-256 {movielens.sha256[:12]}...) is not the archive "
            f"precomputed/ was built from ({str(manifest.get('data_sha256'))[:12]}...)."
        )
    data = prepare(movielens, seed=split_seed(manifest))
    split = np.load(precomputed / "split.npy", allow_pickle=False)
    if not np.array_equal(split, pack_mask(data.test_mask)):
        raise RecordsError("The split differs from precomputed/split.npy; rerun models.pipeline.")
    predictions, used = predictions_from_weights(data, precomputed)
    missing = [model for model in VENN_MODELS if model not in predictions]
    if missing:
        raise RecordsError(f"No usable weights for {', '.join(missing)} in {precomputed}.")
    tables = reader_tables(movielens, data.test_mask, predictions)
    write_records(
        tables,
        destination,
        {
            "command": BUILD_COMMAND,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "data_sha256": movielens.sha256,
            "seed": data.seed,
            "format": RECORDS_FORMAT,
            "weights": {name: manifest["files"][name]["sha256"] for name in used},
        },
    )
    return {name: len(table) for name, table in tables.items()}


def main(argv: list[str] | None = None) -> int:
    """Build the records; returns the process exit status (see the module docstring)."""
    parser = argparse.ArgumentParser(prog=BUILD_COMMAND, description=__doc__)
    parser.add_argument("--data", help="ml-1m.zip or its folder (default: $MOVIELENS_1M, ...)")
    parser.add_argument("--out", type=Path, default=None, help="records folder")
    parser.add_argument("--no-download", action="store_true", help="never download the archive")
    args = parser.parse_args(argv)
    destination = args.out or records_dir()
    started = time.perf_counter()
    try:
        movielens = load_movielens(args.data, download=not args.no_download)
        counts = build(movielens, precomputed_dir(), destination)
    except (DataError, RecordsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    size = sum(path.stat().st_size for path in destination.iterdir())
    rows = ", ".join(f"{name} {count:,} rows" for name, count in counts.items())
    print(
        f"Reader records written to {destination} ({rows}; {size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.0f} s."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
