"""The command-line options every ``python -m models.*`` command shares, defined once."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.artifacts import precomputed_dir


def add_data_argument(parser: argparse.ArgumentParser) -> None:
    """``--data``: the MovieLens 1M archive or folder (see :func:`models.data.load_movielens`)."""
    parser.add_argument("--data", help="ml-1m.zip or its folder (default: $MOVIELENS_1M, ...)")


def add_out_argument(parser: argparse.ArgumentParser) -> None:
    """``--out``: the artifacts folder (default ``$PRECOMPUTED_DIR`` or ``precomputed/``)."""
    parser.add_argument("--out", type=Path, default=precomputed_dir(), help="artifacts folder")
