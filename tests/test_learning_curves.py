"""The learning curves, called directly on the committed artifacts (history, metrics)."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from components import learning_curves
from components.artifacts import ArtifactError, read_json
from components.box import walk


def test_curves_are_the_recorded_history_in_stars():
    history = read_json("history.json")
    metrics = read_json("metrics.json")
    models = read_json("manifest.json")["models"]
    for model in learning_curves.MODELS:
        curve = learning_curves.read_curve(model)
        records = history[model]
        assert curve.epochs == list(range(1, len(records) + 1))
        assert curve.train_rmse == pytest.approx([math.sqrt(r["train_mse"]) for r in records])
        assert curve.held_out_rmse == pytest.approx([r["monitor_rmse"] for r in records])
        assert curve.test_rmse == metrics[model]["test"]["rmse"]
        kept = models[model]["config"].get("kept_epochs") or [len(records)] * 2
        assert curve.kept_epochs == tuple(kept)
        assert curve.kept_epoch == kept[1]
    # The article reports mean squared errors; the figure shows their square roots.
    assert learning_curves.read_curve("embedding_mf").article_rmse == pytest.approx(0.8426, 1e-4)
    assert learning_curves.read_curve("deepfm").article_rmse == pytest.approx(0.8691, 1e-4)


def test_each_curve_says_which_rows_it_was_judged_on():
    """EmbeddingMF watches the test split; DeepFM picks its epoch on validation rows."""
    models = read_json("manifest.json")["models"]
    for model in learning_curves.MODELS:
        fraction = models[model]["config"].get("validation_fraction")
        curve = learning_curves.read_curve(model)
        if fraction:
            assert curve.held_out == f"validation rows ({fraction:.0%} of training)"
            assert not curve.tests_on_test_split
        else:
            assert curve.held_out == "test split" and curve.tests_on_test_split


def test_figure_marks_the_article_errors_and_the_kept_weights():
    curves = [learning_curves.read_curve(model) for model in learning_curves.MODELS]
    figure = learning_curves.make_learning_curves_figure(curves)
    lines = sorted(shape.y0 for shape in figure.layout.shapes)
    assert lines == pytest.approx([math.sqrt(0.71), math.sqrt(0.7553)], abs=1e-4)
    labels = {note.text for note in figure.layout.annotations}
    assert {"article 0.843", "article 0.869"} <= labels
    diamonds = [trace for trace in figure.data if trace.mode == "markers"]
    assert [(trace.x[0], trace.y[0]) for trace in diamonds] == [
        (curve.kept_epoch, pytest.approx(curve.test_rmse, abs=1e-4)) for curve in curves
    ]
    # Training dashed, held-out solid, one pair per model, named in the legend.
    dashes = [trace.line.dash for trace in figure.data if trace.mode == "lines"]
    assert dashes == ["dash", "solid"] * len(curves)
    assert figure.data[1].name == "EmbeddingMF test"
    assert len(figure.to_json()) < 30_000


def test_table_reads_the_numbers_out():
    curves = [learning_curves.read_curve(model) for model in learning_curves.MODELS]
    table = learning_curves.curves_table(curves).set_index("Measure")
    assert list(table.columns) == ["EmbeddingMF", "DeepFM"]
    mf = curves[0]
    assert table.loc["Epochs", "EmbeddingMF"] == str(len(mf.epochs))
    assert table.loc["Article's error as RMSE", "EmbeddingMF"] == "0.843"
    assert table.loc["Article's error as RMSE", "DeepFM"] == "0.869"
    best = min(mf.held_out_rmse)
    lowest = f"{best:.3f} ({mf.held_out_rmse.index(best) + 1})"
    assert table.loc["Lowest held-out (epoch)", "EmbeddingMF"] == lowest


def test_layout_holds_the_drawn_figure_and_its_table():
    section = learning_curves.layout()
    ids = {getattr(node, "id", None) for node in walk(section)}
    assert {"learning-curves-graph", "learning-curves-table"} <= ids
    graph = next(
        node for node in walk(section) if getattr(node, "id", None) == "learning-curves-graph"
    )
    assert len(graph.figure.data) == 3 * len(learning_curves.MODELS)  # drawn, no request
    texts = " ".join(node for node in walk(section) if isinstance(node, str))
    mf = learning_curves.read_curve("embedding_mf")
    assert learning_curves._held_out_course(mf) in texts


def test_a_model_without_history_is_a_clear_error():
    with pytest.raises(ArtifactError, match="no training history for 'global_mean'"):
        learning_curves.read_curve("global_mean")


def test_a_held_out_error_that_turns_up_is_called_so():
    curve = learning_curves.read_curve("embedding_mf")
    flat = replace(curve, held_out_rmse=[0.9, 0.85, 0.8455, 0.845])
    flat = replace(flat, epochs=[1, 2, 3, 4])
    assert learning_curves._held_out_course(flat) == "levels off at 0.845"
    rising = replace(flat, held_out_rmse=[0.9, 0.85, 0.86, 0.87])
    assert learning_curves._held_out_course(rising) == (
        "is lowest at epoch 2 (0.850) and then creeps back up to 0.870"
    )


def test_the_kept_weights_are_named_as_a_single_epoch_or_an_average():
    curve = learning_curves.read_curve("deepfm")
    wobbly = replace(curve, epochs=[1, 2, 3, 4], held_out_rmse=[0.9, 0.85, 0.86, 0.855])
    single = replace(wobbly, kept_epochs=(2, 2), kept_held_out_rmse=0.85)
    assert single.kept_label == "2" and single.kept_epoch == 2
    assert learning_curves._deep_choice(single) == (
        "The weights of epoch 2, where that error was lowest, are the ones kept."
    )
    mean = replace(wobbly, kept_epochs=(3, 4), kept_held_out_rmse=0.846)
    assert mean.kept_label == "3–4" and mean.kept_epoch == 4
    assert learning_curves._deep_choice(mean).endswith(
        "the mean of the weights of epochs 3–4 did better on those rows (0.846) than the "
        "best single epoch (0.850, epoch 2), and are the ones kept."
    )
    table = learning_curves.curves_table([mean]).set_index("Measure")
    assert table.loc["Test RMSE of the kept weights (epochs)", "DeepFM"].endswith("(3–4)")
