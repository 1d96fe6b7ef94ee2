"""Ways to damage an artifact, for the tests of ``core.check`` and of the app's notices.

Each damage takes the real file and writes a damaged copy: deleted, truncated, or corrupted
(wrong shape, a NaN, a string where a number belongs), or tampered with (valid content,
bytes changed after the build). Parametrised over :data:`core.artifacts.ARTIFACTS`, so a
new artifact is covered without a new test.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from core.artifacts import ARTIFACTS, DEFAULT_PRECOMPUTED, MANIFEST
from core.check import NAN_ALLOWED, sha256_of

REAL = DEFAULT_PRECOMPUTED


def _numeric_leaf_path(payload: object, path: tuple = ()) -> tuple | None:
    """The path to the first number (not a bool) in a JSON document, depth first."""
    if isinstance(payload, bool):
        return None
    if isinstance(payload, int | float):
        return path
    items = payload.items() if isinstance(payload, dict) else enumerate(payload or ())
    if isinstance(payload, dict | list):
        for key, value in items:
            found = _numeric_leaf_path(value, (*path, key))
            if found is not None:
                return found
    return None


def _set_leaf(payload: object, path: tuple, value: object) -> None:
    for key in path[:-1]:
        payload = payload[key]
    payload[path[-1]] = value


def _json_damage(source: Path, target: Path, kind: str) -> None:
    payload = json.loads(source.read_text())
    if kind == "shape":
        payload = [payload]
    else:
        path = _numeric_leaf_path(payload)
        _set_leaf(payload, path, float("nan") if kind == "nan" else "not a number")
    target.write_text(json.dumps(payload))


def _array_damage(source: Path, target: Path, kind: str) -> None:
    array = np.load(source, allow_pickle=False)
    if kind == "shape":
        damaged = array.T if array.ndim == 2 else array[:-1]
    elif kind == "nan":
        damaged = array.astype(np.float32) if array.dtype.kind not in "f" else array.copy()
        damaged.flat[0] = np.nan
    else:
        damaged = array.astype(str)
    with target.open("wb") as handle:
        np.save(handle, damaged)


def _first_numeric_column(frame: pd.DataFrame, kinds: str) -> str:
    return next(c for c in frame.columns if frame[c].dtype.kind in kinds and c != "user_id")


def _table_damage(source: Path, target: Path, kind: str) -> None:
    frame = pd.read_parquet(source)
    if kind == "shape":
        frame = frame.drop(columns=[frame.columns[0]])
    elif kind == "nan":
        allowed = NAN_ALLOWED.get(source.name, set())
        floats = [c for c in frame.columns if frame[c].dtype.kind == "f" and c not in allowed]
        column = floats[-1] if floats else _first_numeric_column(frame, "iu")
        frame[column] = frame[column].astype("float32")
        frame.loc[frame.index[0], column] = np.nan
    else:
        column = _first_numeric_column(frame, "iuf")
        frame[column] = frame[column].astype(str)
    frame.to_parquet(target)


def corrupt(kind: str) -> Callable[[Path, Path], None]:
    """A damage that rewrites the file with ``kind`` of bad content (``shape``, ``nan``,
    ``string``)."""

    def damage(source: Path, target: Path) -> None:
        writer = {"json": _json_damage, "npy": _array_damage, "parquet": _table_damage}
        artifact_kind = ARTIFACTS[source.name].kind
        if artifact_kind in writer:
            writer[artifact_kind](source, target, kind)
        else:  # text files have no numbers to damage: their hash says it
            target.write_text(source.read_text() + f"\n{kind}\n")

    return damage


def delete(source: Path, target: Path) -> None:
    """The file is gone."""


def truncate(source: Path, target: Path) -> None:
    """Only the first half of the bytes (an interrupted copy)."""
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])


def tamper(source: Path, target: Path) -> None:
    """Valid content, other bytes: a trailing newline (JSON, text) or byte (npy, parquet)."""
    target.write_bytes(source.read_bytes() + b"\n")


DAMAGES: dict[str, Callable[[Path, Path], None]] = {
    "deleted": delete,
    "truncated": truncate,
    "wrong shape": corrupt("shape"),
    "NaN": corrupt("nan"),
    "string for a number": corrupt("string"),
}


def damaged_folder(
    folder: Path, name: str, damage: Callable[[Path, Path], None], rehash: bool = False
) -> Path:
    """A copy of the real artifacts (symlinks) in ``folder`` with ``name`` damaged.

    Args:
        rehash: record the damaged file's SHA-256 in the copy's manifest, as a faulty
            rebuild would: then only the content checks can find the damage.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for path in REAL.iterdir():
        if path.name not in (name, MANIFEST):
            os.symlink(path, folder / path.name)
    if name != MANIFEST:
        shutil.copyfile(REAL / MANIFEST, folder / MANIFEST)
    damage(REAL / name, folder / name)
    if rehash and name != MANIFEST and (folder / name).exists():
        manifest = json.loads((folder / MANIFEST).read_text())
        manifest["files"][name]["sha256"] = sha256_of(folder / name)
        (folder / MANIFEST).write_text(json.dumps(manifest))
    return folder
