"""The one cached reader of ``precomputed/``; every box gets its data from here.

At start the app checks every artifact once (:func:`problems`, :func:`core.check.check_folder`:
present, SHA-256 as in the manifest, schema, finite values) and logs one line per problem.
A file with a problem is never read: asking for it raises :class:`ArtifactError`, whose
message says what is wrong and how to rebuild it, and :func:`box_problems` tells the page
which boxes to replace by a notice (the catalogue's ``readers``). Good artifacts are read
once per process and kept in memory (they are small).
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from core import artifacts as catalogue
from core.check import Problem, check_folder
from core.vocabulary import MODEL_ORDER

LOG = logging.getLogger(__name__)
DISTRIBUTIONS = "prediction_distributions.json"

PRECOMPUTED = catalogue.precomputed_dir()
REBUILD_HINT = f"Rebuild the artifacts with `{catalogue.PIPELINE}` (see README)."


class ArtifactError(RuntimeError):
    """A file of ``precomputed/`` is missing, unreadable or damaged."""


@cache
def problems() -> dict[str, list[Problem]]:
    """Every artifact's problems, by file name, checked once per process (logged once).

    Only files with a problem are keys; ``{}`` when every artifact is as recorded.
    """
    found: dict[str, list[Problem]] = {}
    for problem in check_folder(PRECOMPUTED):
        LOG.warning("Artifact problem in %s: %s", PRECOMPUTED, problem.sentence())
        found.setdefault(problem.name, []).append(problem)
    return found


def box_problems(box: str) -> list[Problem]:
    """The problems of the artifacts that box ``box`` (its id, e.g. ``"venn"``) reads."""
    return [
        problem
        for name, found in problems().items()
        if box in getattr(catalogue.ARTIFACTS.get(name), "readers", ())
        for problem in found
    ]


def _path(name: str) -> Path:
    if name in problems():
        raise ArtifactError(" ".join(problem.sentence() for problem in problems()[name]))
    path = PRECOMPUTED / name
    if not path.exists():
        raise ArtifactError(f"The artifact {name} is missing. {REBUILD_HINT}")
    return path


def _read(name: str, reader):
    try:
        return reader(_path(name))
    except ArtifactError:
        raise
    except Exception as error:  # corrupt parquet/json/npy alike
        raise ArtifactError(
            f"precomputed/{name} is unreadable ({error}). {REBUILD_HINT}"
        ) from error


@cache
def read_json(name: str) -> dict:
    """A JSON artifact (``manifest.json``, ``metrics.json``, ``history.json`` ...)."""
    return _read(name, lambda path: json.loads(path.read_text()))


@cache
def read_table(name: str) -> pd.DataFrame:
    """A parquet artifact as a DataFrame (treat it as read-only: it is shared)."""
    return _read(name, pd.read_parquet)


@cache
def read_array(name: str) -> np.ndarray:
    """A ``.npy`` artifact (no pickles)."""
    return _read(name, lambda path: np.load(path, allow_pickle=False))


def available_models() -> list[str]:
    """Models with test metrics, in :data:`core.vocabulary.MODEL_ORDER`."""
    metrics = read_json("metrics.json")
    return [name for name in MODEL_ORDER if name in metrics]


def prediction_distributions() -> dict:
    """Box 4's aggregate: per model a histogram of its test predictions, and the true
    ratings' counts per star (see :mod:`models.distributions`)."""
    return read_json(DISTRIBUTIONS)


def model_metrics(name: str) -> dict:
    """``metrics.json`` entry of one model (train/test MSE, RMSE, MAE, RMSE by rating)."""
    metrics = read_json("metrics.json")
    if name not in metrics:
        raise ArtifactError(f"No metrics for model {name!r}. {REBUILD_HINT}")
    return metrics[name]


def rating_range() -> tuple[float, float]:
    """EmbeddingMF's ``(low, high)`` in stars, as the manifest records it."""
    return catalogue.rating_range(read_json("manifest.json"))


def training_mean() -> float:
    """Mean star rating of the training split, from the manifest."""
    return float(read_json("manifest.json")["train_mean"])
