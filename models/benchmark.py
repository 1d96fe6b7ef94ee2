"""Benchmark our models against scikit-surprise on exactly the same split, in one run.

Usage::

    python -m models.benchmark [--data PATH] [--models NAME ...] [--seed N] [--out DIR]

Loads MovieLens 1M (as :func:`models.data.load_movielens`), splits it with
the split the artifacts were built on (the seed recorded in ``manifest.json``; ``--seed`` to
change), fits surprise's
``SVD`` (default settings, ``random_state=42``) and ``BaselineOnly`` (default ALS
settings) on the training rows, trains each chosen model of
:data:`models.trainers.TRAINERS` on the same rows, scores all of them on the same test
rows and prints one table: RMSE and MAE (stars), fit wall time (seconds, prediction
excluded) and both as ratios to surprise's SVD. The table is written to
``precomputed/benchmark.csv`` and ``precomputed/benchmark.md``, each through a temporary
file renamed over the old one. Exit status 2 with a one-line message when the data cannot
be read.

scikit-surprise is the ``benchmark`` extra (``pip install -e .[benchmark]``), imported only
here; the app never needs it. Version 1.1.5 works with numpy 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd
import torch

from core.artifacts import read_manifest, split_seed
from models.cli import add_data_argument, add_out_argument
from models.data import DataError, load_movielens
from models.evaluate import mae, rmse
from models.export import record_artifacts, write_atomic
from models.pipeline import add_model_arguments
from models.prepare import PreparedData, prepare
from models.trainers import TRAINERS

#: surprise's own ``random_state`` for SVD's initialisation (not the split's seed).
SURPRISE_SEED = 42
REFERENCE = "surprise_svd"
COLUMNS = ["model", "rmse", "mae", "fit_seconds", "rmse_ratio_to_svd", "fit_time_ratio_to_svd"]


def _rows(data: PreparedData, mask: np.ndarray) -> pd.DataFrame:
    """``user_id``, ``movie_id``, ``rating`` (MovieLens ids, stars) of the rows in ``mask``."""
    ratings = data.movielens.ratings
    return ratings.loc[mask, ["user_id", "movie_id", "rating"]].reset_index(drop=True)


def fit_surprise(name: str, data: PreparedData) -> tuple[np.ndarray, float]:
    """Fit surprise's ``"svd"`` or ``"baseline_only"`` on the training rows.

    Returns:
        ``(predictions float32[n_test], fit_seconds)``: surprise's estimates for the test
        rows in file order (clipped to 1..5 by surprise; unknown users or items get its
        default, the training mean) and the wall time of ``fit`` alone.
    """
    from surprise import SVD, BaselineOnly, Dataset, Reader

    algorithms = {
        "svd": lambda: SVD(random_state=SURPRISE_SEED),
        "baseline_only": lambda: BaselineOnly(verbose=False),
    }
    train = _rows(data, data.train_mask)
    trainset = Dataset.load_from_df(train, Reader(rating_scale=(1, 5))).build_full_trainset()
    algorithm = algorithms[name]()
    start = time.perf_counter()
    algorithm.fit(trainset)
    fit_seconds = time.perf_counter() - start
    test = _rows(data, data.test_mask)
    predictions = [
        algorithm.predict(user, movie).est
        for user, movie in zip(test["user_id"].tolist(), test["movie_id"].tolist(), strict=True)
    ]
    return np.asarray(predictions, dtype=np.float32), fit_seconds


def benchmark(data: PreparedData, models: Sequence[str]) -> pd.DataFrame:
    """Fit surprise's SVD and BaselineOnly and ``models`` on one split; one row each.

    Returns:
        Columns of :data:`COLUMNS`: ``model`` (``surprise_svd``, ``surprise_baseline_only``,
        then the registry names), ``rmse`` and ``mae`` (stars, test rows), ``fit_seconds``
        (wall time), and the ratios of RMSE and fit time to surprise's SVD (< 1 = better
        or faster than SVD).
    """
    truth = data.rating[data.test_mask]
    rows = []
    for name in ("svd", "baseline_only"):
        print(f"fitting surprise {name} ...", file=sys.stderr, flush=True)
        predictions, seconds = fit_surprise(name, data)
        rows.append((f"surprise_{name}", predictions, seconds))
    for name in models:
        print(f"training {name} ...", file=sys.stderr, flush=True)
        result = TRAINERS[name](data, show_progress=sys.stderr.isatty())
        rows.append((name, result.predictions[data.test_mask], result.fit_seconds))
    table = pd.DataFrame(
        [
            {"model": name, "rmse": rmse(truth, pred), "mae": mae(truth, pred), "fit_seconds": s}
            for name, pred, s in rows
        ]
    )
    reference = table.set_index("model").loc[REFERENCE]
    table["rmse_ratio_to_svd"] = table["rmse"] / reference["rmse"]
    table["fit_time_ratio_to_svd"] = table["fit_seconds"] / reference["fit_seconds"]
    return table[COLUMNS]


def to_markdown(table: pd.DataFrame) -> str:
    """A GitHub-flavoured markdown table, numbers to 4 decimals (seconds to 1)."""
    formats = {"fit_seconds": "{:.1f}"}
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    for record in table.to_dict("records"):
        cells = [
            formats.get(column, "{:.4f}").format(value) if isinstance(value, float) else value
            for column, value in record.items()
        ]
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m models.benchmark", description=__doc__.splitlines()[0]
    )
    add_data_argument(parser)
    add_model_arguments(parser, seed_default=None)
    add_out_argument(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> pd.DataFrame:
    """Run the benchmark, print the table and save it as CSV and markdown."""
    args = parse_args(argv)
    torch.set_num_threads(args.threads)  # surprise fits on one thread; so do ours by default
    recorded = split_seed(read_manifest(args.out))
    seed = recorded if args.seed is None else args.seed
    data = prepare(load_movielens(args.data), seed=seed)
    table = benchmark(data, args.models)
    markdown = to_markdown(table)
    print(markdown, end="")
    write_atomic(args.out / "benchmark.csv", table.to_csv(index=False, float_format="%.6g"))
    write_atomic(args.out / "benchmark.md", markdown)
    # Only a table of the artifacts' own split belongs in their manifest.
    if seed == recorded and (args.out / "manifest.json").exists():
        record_artifacts(
            ["benchmark.csv", "benchmark.md"],
            "python -m models.benchmark " + " ".join(argv if argv is not None else sys.argv[1:]),
            args.out,
        )
    return table


if __name__ == "__main__":
    try:
        main()
    except DataError as error:  # unreadable or malformed data: a message, not a traceback
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
