"""Which weights DeepFM keeps: the best epoch or a mean of the last epochs, by validation."""

from __future__ import annotations

import pytest
import torch

from models.weight_selection import BestEpoch, EpochAverages, choose_weights


class Scale(torch.nn.Module):
    """A one-weight model: prediction ``w * x`` for ``x`` of shape ``[B]``."""

    def __init__(self, value: float) -> None:
        super().__init__()
        self.weight = torch.nn.Parameter(torch.tensor([value]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.weight * x


def run_epochs(model, weights, callbacks, rmses=None):
    """Pretend to train: epoch e ends with the weight ``weights[e - 1]``."""
    for epoch, value in enumerate(weights, start=1):
        with torch.no_grad():
            model.weight.fill_(value)
        record = {"monitor_rmse": rmses[epoch - 1] if rmses else 0.0}
        for callback in callbacks:
            callback(epoch, record)


def test_averages_are_the_means_of_the_last_n_epochs():
    model = Scale(0.0)
    averages = EpochAverages(model, epochs=5, windows=(1, 2, 4, 9))
    run_epochs(model, [1.0, 2.0, 3.0, 4.0, 6.0], [averages])
    means = {n: float(state["weight"]) for n, state in averages.states().items()}
    assert means == {1: 6.0, 2: 5.0, 4: (2 + 3 + 4 + 6) / 4}  # 9 > 5 epochs: dropped
    assert averages.states()[2]["weight"].dtype == torch.float32


def test_a_window_below_one_epoch_is_refused():
    with pytest.raises(ValueError, match="Windows"):
        EpochAverages(Scale(0.0), 5, (0, 3))


def test_validation_chooses_and_the_chosen_weights_are_loaded():
    # Rows x = 1 with target 4: the RMSE of weight w is |w - 4|.
    monitor = ((torch.ones(3),), torch.full((3,), 4.0))
    model = Scale(0.0)
    best, averages = BestEpoch(model), EpochAverages(model, epochs=4, windows=(2, 4))
    weights = [1.0, 5.5, 3.0, 4.6]
    run_epochs(model, weights, [best, averages], rmses=[abs(w - 4) for w in weights])
    chosen = choose_weights(model, best, averages, monitor)
    # epoch 4: |4.6 - 4| = 0.6; epochs 3-4: mean 3.8 -> 0.2; epochs 1-4: mean 3.525 -> 0.475
    assert chosen.validation_rmse == pytest.approx(
        {"epoch 4": 0.6, "mean of epochs 3-4": 0.2, "mean of epochs 1-4": 0.475}, abs=1e-6
    )
    assert (chosen.first_epoch, chosen.last_epoch) == (3, 4)
    assert chosen.to_dict()["weights"] == "mean of epochs 3-4"
    assert chosen.to_dict()["validation_rmse"] == pytest.approx(0.2, abs=1e-6)
    assert float(model.weight) == pytest.approx(3.8)


def test_a_tie_keeps_the_best_single_epoch():
    monitor = ((torch.ones(2),), torch.full((2,), 2.0))
    model = Scale(0.0)
    best, averages = BestEpoch(model), EpochAverages(model, epochs=2, windows=(2,))
    run_epochs(model, [2.0, 2.0], [best, averages], rmses=[0.0, 0.0])
    chosen = choose_weights(model, best, averages, monitor)
    assert chosen.description == "epoch 1"
    assert chosen.to_dict()["kept_epochs"] == [1, 1]
