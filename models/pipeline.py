"""The offline pipeline: MovieLens 1M -> split -> trained models -> ``precomputed/``.

Usage::

    python -m models.pipeline                      # every model, article settings
    python -m models.pipeline --models embedding_mf
    python -m models.pipeline --data ~/ml-1m.zip   # or set MOVIELENS_1M

Exit status 0 on success; 2 with a one-line message when the data cannot be read or a
model diverges (the previous artifacts stay as they were).
"""

from __future__ import annotations

import argparse
import sys
import time

import torch

from core.vocabulary import DEFAULT_SEED
from models import accuracy_question, catalogue, item_map, movie_table, user_views
from models.cli import add_data_argument, add_out_argument
from models.data import DataError, load_movielens
from models.export import ExportError, export
from models.prepare import prepare
from models.train import TrainingError
from models.trainers import TRAINERS

#: Every artifact writer beyond the models' own files, in the order a full run calls them:
#: Boxes 6-8 (:mod:`models.user_views`), the per-movie table, Box 9 (:mod:`models.catalogue`),
#: the map of the movies (:mod:`models.item_map`), the conclusion's numbers
#: (:mod:`models.accuracy_question`).
WRITERS = (
    user_views.write_story_reader,
    movie_table.write_movies,
    user_views.write_group_ratings,
    *catalogue.WRITERS,
    *item_map.WRITERS,
    accuracy_question.write_conclusion,
)


def add_model_arguments(
    parser: argparse.ArgumentParser, seed_default: int | None = DEFAULT_SEED
) -> None:
    """``--models``, ``--threads`` and ``--seed``: shared by the pipeline and the benchmark.

    ``seed_default=None`` means "the split recorded in ``manifest.json``" (later steps).
    """
    parser.add_argument(
        "--models",
        nargs="+",
        choices=list(TRAINERS),
        default=list(TRAINERS),
        metavar="MODEL",
        help=f"models to train (default: all of {', '.join(TRAINERS)})",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch CPU threads for models without a setting of their own (default 1: the "
        "committed artifacts' setting; DeepFM trains on 2, see models.trainers.DEEPFM_CONFIG); "
        "results are reproducible for a given thread count",
    )
    recorded = "the seed recorded in manifest.json"
    parser.add_argument(
        "--seed",
        type=int,
        default=seed_default,
        help=f"split seed (default {recorded if seed_default is None else seed_default})",
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m models.pipeline", description=__doc__)
    add_data_argument(parser)
    add_model_arguments(parser)
    add_out_argument(parser)
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")
    parser.add_argument(
        "--no-download", action="store_true", help="never download the official archive"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the pipeline; returns the process exit status."""
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    try:
        movielens = load_movielens(args.data, download=not args.no_download)
        data = prepare(movielens, seed=args.seed)
        print(
            f"MovieLens 1M from {movielens.source}: {len(data.rating):,} ratings, "
            f"{int(data.test_mask.sum()):,} in the test split (seed {args.seed})."
        )
        trained = {}
        for name in args.models:
            trained[name] = TRAINERS[name](data, show_progress=not args.no_progress)
            print(f"{name}: fitted in {trained[name].fit_seconds:.1f} s")
        command = ["python", "-m", "models.pipeline", *(argv or sys.argv[1:])]
        export(data, trained, command, args.out, writers=WRITERS)
    except (DataError, TrainingError, ExportError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Artifacts written to {args.out} in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
