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
        self.model = model
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


def choose_weights(
    model: torch.nn.Module,
    best: BestEpoch,
    averages: EpochAverages,
    monitor: tuple[Sequence[torch.Tensor], torch.Tensor],
) -> tuple[str, dict[str, float]]:
    """Load into ``model`` the candidate weights with the lowest RMSE on ``monitor``.

    Candidates: ``"epoch <k>"`` (the best single epoch) and ``"mean of last <n> epochs"``
    for every filled window. Ties go to the best single epoch (listed first).

    Returns:
        ``(chosen name, {candidate name: validation RMSE in stars})``.
    """
    candidates = {f"epoch {best.epoch}": best.state}
    candidates.update(
        {f"mean of last {n} epochs": state for n, state in sorted(averages.states().items())}
    )
    scores = {}
    for name, state in candidates.items():
        model.load_state_dict(state)
        scores[name] = monitor_record(model, monitor)["monitor_rmse"]
    chosen = min(scores, key=scores.get)
    model.load_state_dict(candidates[chosen])
    return chosen, scores
