"""Choose the Bayesian FM's settings on validation rows (never the test split).

Usage::

    python -m models.bayes_fm_select [--data PATH] [--ranks 32 64] [--sweeps 30]

Holds out :data:`models.bayes_fm.VALIDATION_FRACTION` of the training rows
(:func:`models.split.validation_mask`, seed = split seed + 1, as DeepFM's), fits the
sampler on the rest (implicit blocks from those rows alone) and prints, every 10 sweeps,
the validation RMSE of the running posterior mean (clipped to 1..5 stars) with 5 and 20
sweeps of burn-in, one JSON line each. :data:`models.bayes_fm.SELECTION` records the run
that chose the committed settings. Needs myFM (``train`` extra); minutes per rank.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import scipy.sparse as sps

from core.artifacts import read_manifest, split_seed
from core.bayes_fm import RATING_SCALE
from models.bayes_fm import (
    VALIDATION_FRACTION,
    BayesFMConfig,
    _blocks,
    feature_blocks,
    fit_sampler,
)
from models.cli import add_data_argument
from models.data import load_movielens
from models.prepare import PreparedData, prepare
from models.split import validation_mask

BURN_IN = (5, 20)


def validation_curve(data: PreparedData, rank: int, sweeps: int) -> list[dict]:
    """Validation RMSE of the running posterior mean every 10 sweeps, per burn-in."""
    import myfm

    validation = validation_mask(data.train_mask, VALIDATION_FRACTION, data.seed + 1)
    fitting = data.train_mask & ~validation
    truth = data.rating[validation].astype(np.float64)
    sums = {burn: np.zeros(len(truth)) for burn in BURN_IN}
    curve, started = [], time.perf_counter()
    features = feature_blocks(data, fitting)[:2]  # the blocks fit_sampler builds, for scoring
    relations = _blocks(myfm, data, validation, *features)

    def record(sweep, fm, hyper, history):
        score = fm.predict_score(sps.csr_matrix((len(truth), 0)), relations)
        point = {"rank": rank, "sweep": sweep + 1, "seconds": round(time.perf_counter() - started)}
        for burn in BURN_IN:
            if sweep >= burn:
                sums[burn] += score
                mean = np.clip(sums[burn] / (sweep + 1 - burn), *RATING_SCALE)
                point[f"burn_{burn}"] = round(float(np.sqrt(np.mean((mean - truth) ** 2))), 4)
        if (sweep + 1) % 10 == 0:
            print(json.dumps(point), flush=True)
            curve.append(point)
        return False, None

    config = BayesFMConfig(rank=rank, n_iter=sweeps, n_kept=sweeps - BURN_IN[0], seed=data.seed)
    fit_sampler(data, fitting, config, show_progress=False, callback=record)
    return curve


def main(argv: list[str] | None = None) -> int:
    """Print the validation curves (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m models.bayes_fm_select", description=__doc__)
    add_data_argument(parser)
    parser.add_argument("--ranks", type=int, nargs="+", default=[32, 64])
    parser.add_argument("--sweeps", type=int, default=30)
    args = parser.parse_args(argv)
    data = prepare(load_movielens(args.data), seed=split_seed(read_manifest()))
    for rank in args.ranks:
        validation_curve(data, rank, args.sweeps)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
