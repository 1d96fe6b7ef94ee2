"""Per-reader records for boxes 6-8: every MovieLens reader if this host built them, else Xiao.

The committed artifacts hold only the story reader's rows (``precomputed/story_*.parquet``);
the MovieLens licence does not allow sharing the others. ``python -m models.reader_records``
builds every reader's rows into a folder outside git (:func:`core.records.records_dir`).
This module decides once per process which of the two the boxes read: the host's records
when they match the committed artifacts (:func:`core.records.records_problem`), else the
story files. Both hold the same tables with the same columns.
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd

from components.artifacts import ArtifactError, read_table
from core.artifacts import MANIFEST, precomputed_dir
from core.records import BUILD_COMMAND, PROFILES, records_dir, records_problem, story_file
from core.vocabulary import STORY_USER

#: What the reader picker says while only Xiao's records are on this host.
RECORDS_HINT = (
    "Only Xiao's ratings come with this article: the MovieLens licence does not allow "
    "sharing the others. To follow any of the 6,040 readers, build their records on this "
    f"host from the official archive with `{BUILD_COMMAND}` (about a minute, no "
    "training; see README) and restart the app."
)


@cache
def records_problem_now() -> str | None:
    """Why this host's per-reader records are not used (``None`` when they are).

    Read once per process: after a build, restart the app.
    """
    try:  # only its hashes are compared: read it raw, so other damage does not hide readers
        manifest = json.loads((precomputed_dir() / MANIFEST).read_text())
    except (OSError, ValueError):
        manifest = {}
    return records_problem(records_dir(), manifest if isinstance(manifest, dict) else {})


def records_available() -> bool:
    """Whether the boxes can show every reader (the host's records are usable)."""
    return records_problem_now() is None


@cache
def reader_table(name: str, story: bool = False) -> pd.DataFrame:
    """A per-reader table (:data:`core.records.TABLES`): every reader's or only Xiao's.

    Args:
        name: the table's name.
        story: read the committed story file even when the host's records are usable.

    Treat the result as read-only: it is shared.

    Raises:
        ArtifactError: the table cannot be read.
    """
    if story or not records_available():
        return read_table(story_file(name))
    path = records_dir() / name
    try:
        return pd.read_parquet(path)
    except Exception as error:  # a build replaced while we read: say so, do not crash
        raise ArtifactError(
            f"The per-reader record {path} is unreadable ({error}). "
            f"Rebuild it with `{BUILD_COMMAND}`."
        ) from error


@cache
def profiles() -> pd.DataFrame:
    """The readers' profiles (:data:`core.records.PROFILES`) indexed by ``user_id``."""
    return reader_table(PROFILES).set_index("user_id")


@cache
def _by_user(name: str, story: bool) -> tuple[pd.DataFrame, np.ndarray]:
    frame = reader_table(name, story)
    if not frame["user_id"].is_monotonic_increasing:
        frame = frame.sort_values(["user_id", "movie_id"], ignore_index=True)
    return frame, frame["user_id"].to_numpy()


def user_slice(name: str, user: int) -> pd.DataFrame:
    """One reader's rows of a per-reader table (empty when the reader has none there).

    The story reader's rows always come from the committed story file (the models'
    predictions as trained), so Xiao reads the same with or without the host's records,
    whose predictions are recomputed from the exported weights.

    Raises:
        ArtifactError: the table cannot be read.
    """
    frame, users = _by_user(name, user == STORY_USER)
    start, stop = np.searchsorted(users, [user, user + 1])
    return frame.iloc[start:stop]


#: Caches of other modules built from these tables (registered with :func:`on_clear`).
_DEPENDENT_CACHES: list = []


def on_clear(cache_clear) -> None:
    """Register another cache's ``cache_clear`` to run in :func:`clear`."""
    _DEPENDENT_CACHES.append(cache_clear)


def clear() -> None:
    """Forget what was read (tests point the app at another records folder)."""
    for function in (records_problem_now, reader_table, profiles, _by_user):
        function.cache_clear()
    for cache_clear in _DEPENDENT_CACHES:
        cache_clear()
