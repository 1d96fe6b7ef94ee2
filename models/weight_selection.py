"""Which weights a trained network keeps: its best epoch, or an average of its last epochs.

Both are judged on validation rows only (never the test split). The best single epoch is
early stopping's choice; an average of the weights over the last ``n`` epochs is
stochastic weight averaging (Izmailov, Podoprikhin, Garipov, Vetrov & Wilson 2018,
"Averaging Weights Leads to Wider Optima and Better Generalization", UAI), taken here once
per epoch. A validation curve that wobbles by a few thousandths from one epoch to the next
makes its minimum partly luck; an average smooths that out.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from models.train import monitor_record

State = dict[str, torch.Tensor]


class BestEpoch:
    """Early stopping's memory: the weights of the epoch with the lowest monitored RMSE.

    Called as ``on_epoch_end(epoch, record)`` by :func:`models.train.fit`; ``epoch`` is 0
    and ``state`` the initial weights until an epoch reports a finite ``monitor_rmse``.
    """

    def __init__(self, model: torch.nn.Module) -> None:
        self.model, self.epoch, self.rmse = model, 0, math.inf
        self.state = copy.deepcopy(model.state_dict())

    def __call__(self, epoch: int, record: dict) -> None:
        """Keep this epoch's weights if its ``monitor_rmse`` is the best so far."""
        if record["monitor_rmse"] < self.rmse:
            self.epoch, self.rmse = epoch, record["monitor_rmse"]
            self.state = copy.deepcopy(self.model.state_dict())


class EpochAverages:
    """Running means of the weights over the last ``n`` of ``epochs`` epochs, per window.

    Called as ``on_epoch_end(epoch, record)``; sums in float64, so the order of the
    additions does not change the mean's float32 value in practice.

    Args:
        model: the network being trained.
        epochs: the run's number of epochs.
        windows: the ``n`` to average over; those larger than ``epochs`` are dropped.

    Raises:
        ValueError: a window below 1.
    """

    def __init__(self, model: torch.nn.Module, epochs: int, windows: Sequence[int]) -> None:
        if min(windows, default=1) < 1:
            raise ValueError(f"Windows must be >= 1 epoch, got {list(windows)}.")
        self.model, self.last_epoch = model, epochs
        self.first_epoch = {n: epochs - n + 1 for n in windows if n <= epochs}
        self.sums: dict[int, State] = {}
        self.counts: dict[int, int] = dict.fromkeys(self.first_epoch, 0)

    def __call__(self, epoch: int, record: dict) -> None:
        """Add this epoch's weights to every window it belongs to."""
        state = self.model.state_dict()
        for n, first in self.first_epoch.items():
            if epoch < first:
                continue
            total = self.sums.setdefault(
                n, {k: torch.zeros_like(v, dtype=torch.float64) for k, v in state.items()}
            )
            for key, value in state.items():
                total[key] += value
            self.counts[n] += 1

    def states(self) -> dict[int, State]:
        """``{n: mean weights over the last n epochs}`` for every window that was filled."""
        template = self.model.state_dict()
        return {
            n: {k: (v / self.counts[n]).to(template[k].dtype) for k, v in total.items()}
            for n, total in self.sums.items()
            if self.counts[n] == n
        }


@dataclass(frozen=True)
class ChosenWeights:
    """The weights a network kept, and what the others scored.

    Attributes:
        first_epoch, last_epoch: the epochs averaged, 1-based and inclusive (equal for a
            single epoch).
        validation_rmse: ``{candidate description: validation RMSE in stars}``.
    """

    first_epoch: int
    last_epoch: int
    validation_rmse: dict[str, float]

    @property
    def description(self) -> str:
        """``"epoch 80"`` or ``"mean of epochs 61-100"``."""
        return describe(self.first_epoch, self.last_epoch)

    def to_dict(self) -> dict:
        """The manifest's record: kept epochs, their description, every candidate's RMSE."""
        return {
            "kept_epochs": [self.first_epoch, self.last_epoch],
            "weights": self.description,
            "validation_rmse": self.validation_rmse[self.description],
            "validation_rmse_of_candidates": self.validation_rmse,
        }


def describe(first_epoch: int, last_epoch: int) -> str:
    """``"epoch k"`` for one epoch, ``"mean of epochs a-b"`` for several."""
    if first_epoch == last_epoch:
        return f"epoch {first_epoch}"
    return f"mean of epochs {first_epoch}-{last_epoch}"


def choose_weights(
    model: torch.nn.Module,
    best: BestEpoch,
    averages: EpochAverages,
    monitor: tuple[Sequence[torch.Tensor], torch.Tensor],
) -> ChosenWeights:
    """Load into ``model`` the candidate weights with the lowest RMSE on ``monitor``.

    Candidates: the best single epoch and the mean of every filled window of
    ``averages``. Ties go to the best single epoch (tried first).
    """
    spans = {(best.epoch, best.epoch): best.state}
    last = averages.last_epoch
    for n, state in sorted(averages.states().items()):
        spans[(last - n + 1, last)] = state
    scores = {}
    for (first, final), state in spans.items():
        model.load_state_dict(state)
        scores[(first, final)] = monitor_record(model, monitor)["monitor_rmse"]
    chosen = min(scores, key=scores.get)
    model.load_state_dict(spans[chosen])
    return ChosenWeights(*chosen, {describe(*span): rmse for span, rmse in scores.items()})
