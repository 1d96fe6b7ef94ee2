"""Check every artifact once: present, SHA-256 as recorded, schema as catalogued, values finite.

``python -m core.check [FOLDER]`` prints one line per problem (or that all is well) and
exits 1 on any problem, so a host can run it before deploying; it needs numpy, pandas,
pyarrow and pydantic, not torch. The app runs the same :func:`check_folder` at start and
shows, box by box, what it can (see ``components.artifacts``).

Checks, for each artifact of :data:`core.artifacts.ARTIFACTS` (optional ones only when
present):

- present and readable;
- its SHA-256 equals the one ``manifest.json`` records (a file changed after the build);
- the catalogue's schema: parquet columns and dtypes, ``.npy`` dtype and shape (sizes
  agree across files), JSON as :mod:`core.json_schemas` describes it;
- finite numbers: no NaN or infinity in any float array, column or JSON number, except
  the columns of :data:`NAN_ALLOWED`.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from core import artifacts as catalogue
from core.json_schemas import JSON_SCHEMAS
from core.records import sha256_of
from core.vocabulary import MODEL_ORDER

#: Float columns where NaN means "no value" (a movie without training ratings has no mean).
NAN_ALLOWED = {"movies.parquet": {"mean_train"}}
#: Validation errors quoted per JSON file (the first few say enough).
MAX_JSON_ERRORS = 3


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one artifact.

    Attributes:
        name: the artifact's file name (``"metrics.json"``).
        what: what is wrong, a sentence that names the file.
    """

    name: str
    what: str

    @property
    def rebuild(self) -> str:
        """The command that rewrites the file (``python -m models.pipeline`` ...)."""
        artifact = catalogue.ARTIFACTS.get(self.name)
        return artifact.rebuild if artifact else catalogue.PIPELINE

    def sentence(self) -> str:
        """What is wrong and how to fix it, in one line."""
        return f"{self.what} Rebuild it with `{self.rebuild}` (see README)."


def _recorded_hashes(folder: Path) -> dict[str, str] | None:
    """``{file: sha256}`` from the manifest, or None when it is missing or damaged (then
    its own problems say why, and the other files cannot be verified)."""
    try:
        files = json.loads((folder / catalogue.MANIFEST).read_text())["files"]
        return {name: str(entry["sha256"]) for name, entry in files.items()}
    except Exception:
        return None


def _hash_problem(name: str, path: Path, recorded: dict[str, str] | None) -> Problem | None:
    if recorded is None or name == catalogue.MANIFEST:
        return None
    if name not in recorded:
        return Problem(name, f"{name} is not listed in manifest.json, so it cannot be verified.")
    actual = sha256_of(path)
    if actual != recorded[name]:
        return Problem(
            name,
            f"{name} has changed since it was built: its SHA-256 is {actual[:12]}…, "
            f"manifest.json records {recorded[name][:12]}….",
        )
    return None


def _non_finite(values: np.ndarray) -> int:
    return int(np.count_nonzero(~np.isfinite(values))) if values.dtype.kind in "fc" else 0


def _table_problems(name: str, frame: pd.DataFrame) -> list[str]:
    problems = []
    for column in frame.columns:
        series = frame[column]
        if series.dtype == object and len(series) and isinstance(series.iat[0], np.ndarray):
            problems += _vector_column_problems(name, column, series)
            continue
        if column in NAN_ALLOWED.get(name, ()) or series.dtype.kind not in "fc":
            continue
        bad = _non_finite(series.to_numpy())
        if bad:
            problems.append(f"{name}: column {column!r} has {bad:,} NaN or infinite values.")
    return problems


def _vector_column_problems(name: str, column: str, series: pd.Series) -> list[str]:
    """A column of float vectors (``user_embedding``): one length, finite values."""
    lengths = {len(vector) for vector in series}
    if len(lengths) != 1:
        return [f"{name}: column {column!r} holds vectors of lengths {sorted(lengths)[:5]}."]
    try:
        stacked = np.stack(series.to_numpy()).astype(np.float64)
    except (TypeError, ValueError):
        return [f"{name}: column {column!r} holds vectors that are not numbers."]
    bad = _non_finite(stacked)
    return [f"{name}: column {column!r} has {bad:,} NaN or infinite values."] if bad else []


def _json_problems(name: str, text: str) -> list[str]:
    schema = JSON_SCHEMAS.get(name)
    if schema is None:
        return []
    try:
        schema.validate_json(text)
    except ValidationError as error:
        found = error.errors()
        shown = [
            f"at {'.'.join(map(str, item['loc'])) or 'the top'}: {item['msg'].lower()}"
            for item in found[:MAX_JSON_ERRORS]
        ]
        more = f" (and {len(found) - MAX_JSON_ERRORS} more)" if len(found) > MAX_JSON_ERRORS else ""
        return [f"{name} does not hold what it should: {'; '.join(shown)}{more}."]
    return []


def _load(artifact: catalogue.Artifact, path: Path) -> object:
    """The file's content: a DataFrame, an array, the JSON text, or the text."""
    if artifact.kind == "parquet":
        return pd.read_parquet(path)
    if artifact.kind == "npy":
        return np.load(path, allow_pickle=False)
    return path.read_text()


def _dtype_name(dtype: object) -> str:
    """A dtype as the catalogue spells it (``"str"`` for pandas' string columns)."""
    name = str(dtype)
    return "str" if name in ("string", "str") else name


def _catalogued_columns(artifact: catalogue.Artifact, frame: pd.DataFrame) -> list[str]:
    """The catalogue's columns and dtypes (and float32 model columns) of one table."""
    problems = []
    for column, dtype in artifact.columns.items():
        if column not in frame.columns:
            problems.append(f"{artifact.name} lacks column {column!r}.")
        elif _dtype_name(frame[column].dtype) != dtype:
            found = _dtype_name(frame[column].dtype)
            problems.append(f"{artifact.name}: column {column!r} is {found}, not {dtype}.")
    if artifact.model_columns:
        for model in (name for name in MODEL_ORDER if name in frame.columns):
            if _dtype_name(frame[model].dtype) != artifact.model_columns:
                problems.append(f"{artifact.name}: column {model!r} is not float32.")
    return problems


def _catalogued_array(
    artifact: catalogue.Artifact, array: np.ndarray, sizes: dict[str, int]
) -> list[str]:
    """The catalogue's dtype and shape of one array; a symbol not yet in ``sizes`` binds."""
    if str(array.dtype) != artifact.dtype:
        return [f"{artifact.name} is {array.dtype}, not {artifact.dtype}."]
    if array.ndim != len(artifact.shape):
        return [f"{artifact.name} has {array.ndim} dimensions, not {len(artifact.shape)}."]
    for size, expected in zip(array.shape, artifact.shape, strict=True):
        bound = sizes.setdefault(expected, size) if isinstance(expected, str) else expected
        if size != bound:
            return [f"{artifact.name} has shape {array.shape}, expected {artifact.shape}."]
    return []


def _schema_problems(artifact: catalogue.Artifact, content: object, sizes: dict) -> list[str]:
    """The catalogue's schema (columns, dtypes, shapes, keys) and finite values."""
    name = artifact.name
    if artifact.kind == "parquet":
        return _catalogued_columns(artifact, content) + _table_problems(name, content)
    if artifact.kind == "npy":
        problems = _catalogued_array(artifact, content, sizes)
        bad = _non_finite(content)
        return problems + ([f"{name} has {bad:,} NaN or infinite values."] if bad else [])
    if artifact.kind == "json":
        problems = _json_problems(name, content)
        if problems:
            return problems
        missing = [key for key in artifact.keys if key not in json.loads(content)]
        return [f"{name} lacks key {key!r}." for key in missing]
    return []


def check_artifact(
    artifact: catalogue.Artifact,
    folder: Path,
    sizes: dict[str, int] | None = None,
    recorded: dict[str, str] | None = None,
) -> list[str]:
    """Everything wrong with one file, each as a sentence naming it; empty when it is fine.

    Args:
        artifact: the catalogue entry.
        folder: the artifacts folder.
        sizes: shape symbol -> size (default :func:`bind_sizes` of ``folder``).
        recorded: ``{file: sha256}`` from the manifest; ``None`` skips the hash check.
    """
    sizes = bind_sizes(folder) if sizes is None else sizes
    path = folder / artifact.name
    if not path.exists():
        return [] if artifact.optional else [f"{artifact.name} is missing."]
    try:
        found = _schema_problems(artifact, _load(artifact, path), sizes)
    except Exception as error:  # corrupt parquet/npy/json alike
        found = [f"{artifact.name} is unreadable ({str(error)[:160]})."]
    hashed = _hash_problem(artifact.name, path, recorded)
    return found + ([hashed.what] if hashed else [])


def _shapes(folder: Path) -> list[tuple[tuple, tuple]]:
    """``(catalogued shape, actual shape)`` of every readable ``.npy`` with the right rank."""
    found = []
    for artifact in catalogue.ARTIFACTS.values():
        if artifact.kind != "npy" or not (folder / artifact.name).exists():
            continue
        try:
            shape = np.load(folder / artifact.name, mmap_mode="r", allow_pickle=False).shape
        except Exception:  # unreadable: reported by the file's own check
            continue
        if len(shape) == len(artifact.shape):
            found.append((artifact.shape, shape))
    return found


def _sizes_from_manifest(folder: Path) -> dict[str, int]:
    """Sizes the manifest fixes: the split mask packs one bit per rating into bytes, and
    DeepFM's table has ``sum(field_dims)`` rows of ``embedding_dim`` (its recorded config)."""
    try:
        manifest = json.loads((folder / catalogue.MANIFEST).read_text())
        n_ratings = manifest["n_ratings"]
    except Exception:  # a damaged manifest is reported on its own
        return {}
    sizes = {"split_bytes": -(-n_ratings // 8)} if isinstance(n_ratings, int) else {}
    try:
        config = manifest["models"]["deepfm"]["config"]
        rows, k = sum(int(d) for d in config["field_dims"]), int(config["embedding_dim"])
    except Exception:  # no DeepFM yet, or a damaged entry (reported on its own)
        return sizes
    return {**sizes, "deepfm_rows": rows, "k_deepfm": k}


def bind_sizes(folder: Path) -> dict[str, int]:
    """Each shape symbol of the catalogue (``"n_items"``) bound to the size most files agree on.

    Binding to the first file that has a symbol would let one damaged file (item ids one
    row short) make every other file look wrong. Symbols are bound by majority instead,
    the best-attested first, counting only files that agree with what is bound already
    (a transposed embedding cannot outvote the others on its second dimension).
    """
    shapes, sizes = _shapes(folder), _sizes_from_manifest(folder)
    while True:
        votes: dict[str, Counter] = {}
        for symbols, shape in shapes:
            pairs = list(zip(symbols, shape, strict=True))
            if any(sizes.get(symbol, size) != size for symbol, size in pairs):
                continue
            for symbol, size in pairs:
                if isinstance(symbol, str) and symbol not in sizes:
                    votes.setdefault(symbol, Counter())[size] += 1
        if not votes:
            return sizes
        symbol = max(votes, key=lambda name: votes[name].most_common(1)[0][1])
        sizes[symbol] = votes[symbol].most_common(1)[0][0]


def check_folder(folder: Path | None = None) -> list[Problem]:
    """Every problem of every catalogued artifact in ``folder``; empty when all is well.

    Args:
        folder: the artifacts folder (default :func:`core.artifacts.precomputed_dir`).

    Returns:
        Problems in catalogue order; one file may have several (a wrong hash and a NaN).
        Never raises for damaged files.
    """
    folder = folder or catalogue.precomputed_dir()
    recorded = _recorded_hashes(folder)
    problems: list[Problem] = []
    sizes = bind_sizes(folder)
    for artifact in catalogue.ARTIFACTS.values():
        found = check_artifact(artifact, folder, sizes, recorded)
        problems += [Problem(artifact.name, what) for what in found]
    return problems


def report(problems: list[Problem], folder: Path) -> str:
    """The text the CLI prints: one line per problem, or that every artifact is fine."""
    if not problems:
        return f"All {len(catalogue.ARTIFACTS)} artifacts in {folder} are as recorded."
    lines = [f"{len(problems)} problem(s) with the artifacts in {folder}:"]
    return "\n".join(lines + [f"- {problem.sentence()}" for problem in problems])


def main(argv: list[str] | None = None) -> int:
    """``python -m core.check [FOLDER]``: print the report; exit 1 on any problem."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else catalogue.precomputed_dir()
    problems = check_folder(folder)
    print(report(problems, folder))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
