"""Re-export the trained Bayesian FM from its committed arrays, without sampling again.

Usage::

    python -m models.bayes_fm_export [--data PATH] [--out DIR]

The pipeline's Bayesian FM predictions *are* the numpy scorer's on its exported arrays
(:func:`models.bayes_fm.train_bayes_fm`), so rescoring ``bayes_fm_*.npy`` gives them back
exactly. This command does that and rewrites, through :func:`models.export.export`,
everything derived from them and from the other models' current weights: the Bayesian FM's
metrics and Box 4 histogram, the story reader's rows and the conclusion's numbers, keeping
its manifest entry (settings, fit time, export error). Use it after other models were
retrained (``precomputed/`` rules of the project plan); numpy and pandas only, no myFM.

Exit status 0, or 2 with a one-line message when the data or the arrays cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from core.artifacts import read_manifest, split_seed
from core.bayes_fm import BayesFMWeights
from models import accuracy_question, user_views
from models.cli import add_data_argument, add_out_argument
from models.data import DataError, load_movielens
from models.export import ExportError, export
from models.prepare import prepare
from models.trained import TrainedModel

COMMAND = "python -m models.bayes_fm_export"
#: The writers whose files depend on the reader models' predictions.
WRITERS = (user_views.write_story_reader, accuracy_question.write_conclusion)


def committed_model(folder, data, manifest: dict | None = None) -> TrainedModel:
    """The Bayesian FM as the pipeline exported it into ``folder``, rescored with numpy.

    Its settings, fit time and export error come from ``manifest`` (default: the folder's
    own ``manifest.json``).

    Raises:
        ExportError: its arrays or its manifest entry are missing, or its id maps are not
            those of ``data``.
    """
    entry = (manifest or read_manifest(folder)).get("models", {}).get("bayes_fm")
    try:
        weights = BayesFMWeights.from_folder(folder)
    except (FileNotFoundError, ValueError) as error:
        raise ExportError(f"The Bayesian FM's arrays are unreadable: {error}") from error
    if entry is None:
        raise ExportError("manifest.json has no bayes_fm entry: run models.pipeline first.")
    if not (
        np.array_equal(weights.user_ids, data.user_ids)
        and np.array_equal(weights.item_ids, data.item_ids)
    ):
        raise ExportError("The Bayesian FM's id maps differ from this archive's.")
    config = {**entry["config"], "trained_by": entry["config"].get("trained_by", entry["command"])}
    return TrainedModel(
        name="bayes_fm",
        predictions=weights.predict(data.user_index, data.item_index),
        history=[],
        config=config,
        fit_seconds=float(entry.get("fit_seconds") or 0.0),
        arrays={name: getattr(weights, name) for name in BayesFMWeights.ARRAYS},
    )


def main(argv: list[str] | None = None) -> int:
    """Re-export; returns the process exit status (see the module docstring)."""
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    add_data_argument(parser)
    add_out_argument(parser)
    parser.add_argument(
        "--entry-from",
        type=Path,
        default=None,
        help="a manifest.json holding the bayes_fm entry (after taking another branch's "
        "manifest in a rebase: git show <old commit>:precomputed/manifest.json)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        movielens = load_movielens(args.data)
        data = prepare(movielens, seed=split_seed(read_manifest(args.out)))
        entry = json.loads(args.entry_from.read_text()) if args.entry_from else None
        model = committed_model(args.out, data, entry)
        export(data, {"bayes_fm": model}, COMMAND.split(), args.out, writers=WRITERS)
    except (DataError, ExportError, OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Bayesian FM re-exported into {args.out} in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
