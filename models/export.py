"""The only writer of ``precomputed/``: artifacts the app reads, written atomically.

A run stages every file in a sibling folder (starting from a copy of the current
artifacts, so training one model keeps the others), checks them, and only then swaps the
folder into place. A run that fails at any point leaves the previous artifacts as they were.

Files (all small; the app needs only numpy, pandas and pyarrow to read them):

``manifest.json``
    data checksum, seed, package versions, build time, per-model config, fit wall time and
    metrics, and the SHA-256 and producing command of every other file.
``split.npy``
    the test mask over ratings in file order, packed 8 rows a byte (``uint8``).
``prediction_distributions.json``
    per model, a histogram and summary of its test-split predictions
    (:mod:`models.distributions`); no reader's ratings (see :mod:`core.records`).
``metrics.json``
    per model: train and test MSE, RMSE, MAE, and test RMSE by true rating.
``history.json``
    per model: the per-epoch training records.
``<model>_<array>.npy``
    compact weights (e.g. ``embedding_mf_item_embedding.npy``, ``float16``).
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from core.artifacts import RETIRED, precomputed_dir
from core.records import sha256_of
from core.vocabulary import TOP_K
from models.distributions import write_distributions
from models.evaluate import ranking_metrics, rating_metrics, rmse_by_true_rating
from models.prepare import PreparedData
from models.split import pack_mask
from models.trained import TrainedModel

PRECOMPUTED = precomputed_dir()
PACKAGES = ("numpy", "pandas", "pyarrow", "torch")

#: A writer of one artifact: ``(data, models, staging_folder) -> file names written``.
#: The caller names the writers to run (:data:`models.pipeline.WRITERS` names them all).
ArtifactWriter = Callable[[PreparedData, dict[str, TrainedModel], Path], list[str]]


class ExportError(RuntimeError):
    """An artifact would be invalid (e.g. a NaN prediction); nothing was written."""


def _check_finite(model: TrainedModel, n_ratings: int) -> None:
    predictions = model.predictions
    if predictions.shape != (n_ratings,):
        raise ExportError(f"{model.name}: {predictions.shape[0]} predictions for {n_ratings} rows.")
    if not np.isfinite(predictions).all():
        bad = int((~np.isfinite(predictions)).sum())
        raise ExportError(f"{model.name}: {bad} predictions are NaN or infinite; refusing.")
    for key, array in model.arrays.items():
        if np.issubdtype(array.dtype, np.floating) and not np.isfinite(array).all():
            raise ExportError(f"{model.name}: array {key} holds NaN or infinite values.")


def _json_ready(value):
    """Make a value JSON-safe; refuses non-finite floats (JSON has no NaN)."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        raise ExportError(f"Non-finite value {value} in an artifact.")
    return value


def json_text(payload) -> str:
    """``payload`` as sorted, indented JSON (stable bytes for stable input)."""
    return json.dumps(_json_ready(payload), indent=1, sort_keys=True) + "\n"


def write_json(path: Path, payload) -> None:
    """Write ``payload`` as :func:`json_text` (into a staging folder: not atomic alone)."""
    path.write_text(json_text(payload))


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def _model_metrics(data: PreparedData, model: TrainedModel) -> dict:
    train, test = data.train_mask, data.test_mask
    by_rating = rmse_by_true_rating(data.rating[test], model.predictions[test])
    ratings = data.movielens.ratings
    test_rows = pd.DataFrame(
        {
            "user_id": ratings["user_id"].to_numpy()[test],
            "movie_id": ratings["movie_id"].to_numpy()[test],
            "rating": data.rating[test],
            "prediction": model.predictions[test],
        }
    )
    train_counts = ratings.loc[train, "movie_id"].value_counts()
    return {
        "ranking": ranking_metrics(test_rows, train_counts, len(data.item_ids), k=TOP_K),
        "train": rating_metrics(data.rating[train], model.predictions[train]),
        "test": rating_metrics(data.rating[test], model.predictions[test]),
        "test_rmse_by_rating": by_rating.to_dict(orient="records"),
        "prediction_range": [float(model.predictions.min()), float(model.predictions.max())],
    }


def _write_model_arrays(stage: Path, name: str, arrays: dict[str, np.ndarray]) -> None:
    """Replace a model's ``<name>_*.npy`` files by ``arrays`` (no stale array survives)."""
    for old in stage.glob(f"{name}_*.npy"):
        old.unlink()
    for key, array in arrays.items():
        np.save(stage / f"{name}_{key}.npy", array, allow_pickle=False)


def _package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def export(
    data: PreparedData,
    models: dict[str, TrainedModel],
    command: Sequence[str] | None = None,
    destination: Path = PRECOMPUTED,
    writers: Sequence[ArtifactWriter] = (),
) -> Path:
    """Write the artifacts of ``models`` (plus the split and extra aggregates) atomically.

    Args:
        data: the prepared data the models were trained on.
        models: name -> trained model; other models' existing artifacts are kept when the
            split is unchanged.
        command: the command line recorded in the manifest (default: ``sys.argv``).
        destination: the artifacts folder.
        writers: the artifact writers to run after the models' own files, in order
            (the pipeline passes all of :data:`models.pipeline.WRITERS`; a partial
            rebuild passes just its own).

    Returns:
        ``destination``.

    Raises:
        ExportError: non-finite predictions or weights, or a wrong number of predictions;
            ``destination`` is untouched.
    """
    for model in models.values():
        _check_finite(model, len(data.rating))
    command = " ".join(command if command is not None else ["python", "-m", *sys.argv])
    destination.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".precomputed-", dir=destination.parent))
    try:
        manifest = _start_stage(data, destination, stage)
        np.save(stage / "split.npy", pack_mask(data.test_mask), allow_pickle=False)
        test = data.test_mask
        test_predictions = {name: model.predictions[test] for name, model in models.items()}
        write_distributions(stage, data.rating[test], test_predictions)
        model_entries = _write_model_files(data, models, stage, command)
        for writer in writers:
            writer(data, models, stage)
        for name in RETIRED:
            (stage / name).unlink(missing_ok=True)
        manifest.update(_run_record(data))
        manifest["models"] = {**manifest.get("models", {}), **model_entries}
        manifest["files"] = _file_entries(stage, manifest.get("files", {}), command)
        write_json(stage / "manifest.json", manifest)
        swap_into_place(stage, destination)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return destination


def _start_stage(data: PreparedData, destination: Path, stage: Path) -> dict:
    """Copy the current artifacts into ``stage``; return their manifest (``{}`` if stale).

    A different dataset or split invalidates every model's numbers, so then the stage is
    emptied and the run starts from nothing.
    """
    if destination.exists():
        shutil.copytree(destination, stage, dirs_exist_ok=True)
    manifest = _read_json(stage / "manifest.json")
    if manifest.get("data_sha256") != data.movielens.sha256 or manifest.get("seed") != data.seed:
        for old in stage.iterdir():
            old.unlink()
        manifest = {}
    return manifest


def _write_model_files(
    data: PreparedData, models: dict[str, TrainedModel], stage: Path, command: str
) -> dict:
    """Metrics, history and arrays of ``models`` into ``stage``; their manifest entries."""
    metrics = _read_json(stage / "metrics.json")
    history = _read_json(stage / "history.json")
    entries = {}
    for name, model in models.items():
        metrics[name] = _model_metrics(data, model)
        # Wall times differ run to run: they go to the manifest, so that the other
        # artifacts of two runs with the same seed are byte-identical.
        history[name] = [
            {key: value for key, value in record.items() if key != "seconds"}
            for record in model.history
        ]
        _write_model_arrays(stage, name, model.arrays)
        entries[name] = {
            "config": model.config,
            "fit_seconds": round(model.fit_seconds, 1),
            "epoch_seconds": [round(r.get("seconds", 0.0), 1) for r in model.history],
            "arrays": sorted(f"{name}_{key}.npy" for key in model.arrays),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": command,
        }
    write_json(stage / "metrics.json", metrics)
    write_json(stage / "history.json", history)
    return entries


def _run_record(data: PreparedData) -> dict:
    """The manifest's record of the data, the split (its seed) and the environment."""
    train = data.rating[data.train_mask]
    return {
        "data_sha256": data.movielens.sha256,
        "data_source": Path(data.movielens.source).name,
        "n_ratings": int(len(data.rating)),
        "n_test": int(data.test_mask.sum()),
        "train_mean": float(train.mean()),
        "train_rating_counts": {str(star): int((train == star).sum()) for star in range(1, 6)},
        "seed": data.seed,
        "packages": _package_versions(),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _file_entries(folder: Path, previous: dict, command: str) -> dict:
    """SHA-256, size and producing command of every artifact but the manifest.

    A file whose bytes did not change keeps the command recorded for it before (say, the
    benchmark's); a new or changed file is credited to ``command``.
    """
    entries = {}
    for path in sorted(folder.iterdir()):
        if path.name == "manifest.json":
            continue
        digest = sha256_of(path)
        old = previous.get(path.name, {})
        entries[path.name] = {
            "sha256": digest,
            "bytes": path.stat().st_size,
            "command": old.get("command", command) if old.get("sha256") == digest else command,
        }
    return entries


def record_artifacts(names: Sequence[str], command: str, destination: Path = PRECOMPUTED) -> None:
    """Add files that a separate command wrote into ``destination`` to its manifest.

    For outputs made outside :func:`export` (the benchmark table): each file's hash, size
    and command are recorded, and the manifest is replaced atomically.

    Raises:
        ExportError: the manifest or one of the files is missing.
    """
    manifest_path = destination / "manifest.json"
    if not manifest_path.exists():
        raise ExportError(f"{manifest_path} is missing: run `python -m models.pipeline` first.")
    manifest = json.loads(manifest_path.read_text())
    for name in names:
        path = destination / name
        if not path.exists():
            raise ExportError(f"{path} is missing.")
        manifest["files"][name] = {
            "sha256": sha256_of(path),
            "bytes": path.stat().st_size,
            "command": command,
        }
    write_atomic(manifest_path, json_text(manifest))


def swap_into_place(stage: Path, destination: Path) -> None:
    """Replace folder ``destination`` by folder ``stage`` (same file system) with two renames.

    The old copy is renamed aside first and deleted last, so a crash leaves either the old or
    the new folder in place, never a mix.
    """
    backup = destination.with_name(destination.name + ".old")
    shutil.rmtree(backup, ignore_errors=True)
    if destination.exists():
        os.replace(destination, backup)
    os.replace(stage, destination)
    shutil.rmtree(backup, ignore_errors=True)
