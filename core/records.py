"""Per-reader records: where they live, what they hold, and when they may be used.

The MovieLens licence forbids redistributing the data, so the committed ``precomputed/``
holds no reader's ratings except those of the article's story reader (user 1680, whose
ratings the article itself shows), in the ``story_*.parquet`` files. Every other reader's
records (which movies they rated, the stars, their demographics, the models' predictions
for their rated pairs) are built on the host from the official archive by
:data:`BUILD_COMMAND` into a folder outside git (:func:`records_dir`). The app reads that
folder when it holds a build that matches the committed artifacts, and otherwise shows
Xiao and says how to build it.

Both folders hold the same three tables with the same columns; a story file is the
records table cut to user 1680:

``user_profiles.parquet``
    one row per user: ``user_id`` int16, ``gender`` ("F"/"M"), ``age`` int8 band code,
    ``age_band``, ``occupation`` int8 (0..20), ``occupation_name``, ``region`` (US area
    of the zip code; the zip code itself is not kept), ``n_ratings`` and ``n_test`` int16.
``user_test.parquet``
    one row per test-split rating, sorted by user then movie: ``user_id``, ``movie_id``
    int16, ``rating`` int8 and one ``float32`` column of predicted stars per reader model
    (:data:`core.vocabulary.READER_MODELS`: the Venn models and the Bayesian FM).
``user_insample.parquet``
    every rating of every user, training and test split: the reader's real rating
    wherever boxes 6-8 show one, and Box 6's in-sample scope; ``user_id``, ``movie_id``
    int16, ``rating`` int8, ``in_test`` bool and one ``float32`` column per reader model,
    sorted by user then movie.

``manifest.json`` of the records folder names the archive's SHA-256, the split seed, the
SHA-256 of every weight file the predictions were computed from and the tables' format
(:data:`RECORDS_FORMAT`); records built from other artifacts, or by an older builder, are
not used (:func:`records_problem`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

#: Environment variable naming the records folder.
RECORDS_ENV = "READER_RECORDS_DIR"
#: Default records folder: beside the packages, ignored by git (see ``.gitignore``).
DEFAULT_RECORDS = Path(__file__).resolve().parent.parent / "reader_records"
#: The command that builds the records (numpy and pandas only; downloads the archive
#: with its checksum unless ``--data`` or ``$MOVIELENS_1M`` names a copy).
BUILD_COMMAND = "python -m models.reader_records"

PROFILES = "user_profiles.parquet"
TEST = "user_test.parquet"
INSAMPLE = "user_insample.parquet"
TABLES: tuple[str, ...] = (PROFILES, TEST, INSAMPLE)
MANIFEST = "manifest.json"
#: What the tables hold; raised whenever a table's rows change meaning, so that a host's
#: records built by an older builder are rebuilt. 2: ``user_insample`` holds every rating
#: (1: only the rows Box 6 draws).
RECORDS_FORMAT = 2
#: Files that held every reader's records in ``precomputed/`` before; the exporter deletes
#: them, and a test checks that none is committed.
RETIRED_FILES: tuple[str, ...] = (
    "predictions_test.parquet",
    "user_insample.parquet",
    "user_profiles.parquet",
)
#: Prefix of the committed story reader's tables in ``precomputed/``.
STORY_PREFIX = "story_"


def story_file(table: str) -> str:
    """The committed file holding the story reader's rows of ``table``."""
    return STORY_PREFIX + table


def records_dir() -> Path:
    """The records folder: ``$READER_RECORDS_DIR`` if set, else :data:`DEFAULT_RECORDS`."""
    return Path(os.environ.get(RECORDS_ENV) or DEFAULT_RECORDS)


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB blocks (the one file hash of the project:
    artifact manifests, reader-record manifests and the start-up check all use it)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def records_problem(folder: Path, precomputed_manifest: Mapping) -> str | None:
    """Why the records in ``folder`` may not be used with these artifacts, or ``None``.

    Args:
        folder: a records folder (it may not exist).
        precomputed_manifest: ``precomputed/manifest.json`` as a dict.

    Returns:
        ``None`` when every table is present with the hash its manifest records, and the
        archive, seed and weight hashes equal the artifacts'; else one sentence that ends
        with the command to run.
    """
    rebuild = f"Build them with `{BUILD_COMMAND}` (see README)."
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        return f"The per-reader records are not built on this host. {rebuild}"
    except (OSError, ValueError) as error:
        return f"The per-reader records are unreadable ({error}). {rebuild}"
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return f"The per-reader records' manifest is damaged. {rebuild}"
    if not _same_artifacts(manifest, precomputed_manifest):
        return f"The per-reader records were built for other artifacts. {rebuild}"
    if manifest.get("format") != RECORDS_FORMAT:
        return f"The per-reader records were built by an older version. {rebuild}"
    for table in TABLES:
        path = folder / table
        if not path.exists() or sha256_of(path) != manifest["files"].get(table):
            return f"The per-reader record {table} is missing or damaged. {rebuild}"
    return None


def _same_artifacts(records_manifest: dict, precomputed_manifest: Mapping) -> bool:
    """Whether the records were built from this archive, split and these weight files."""
    try:
        files = precomputed_manifest.get("files", {})
        weights = dict(records_manifest.get("weights", {}))
        return (
            bool(weights)
            and records_manifest.get("data_sha256") == precomputed_manifest.get("data_sha256")
            and records_manifest.get("seed") == precomputed_manifest.get("seed")
            and all(files.get(name, {}).get("sha256") == digest for name, digest in weights.items())
        )
    except (AttributeError, TypeError, ValueError):  # a damaged manifest: not the same
        return False
