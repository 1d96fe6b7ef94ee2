"""One-off: export a retrained DeepFM's weights and retire the per-reader files (issue 10, §4).

The committed DeepFM (``python -m models.pipeline --threads 1``, seed 19, best epoch of 100)
exported only its genre vectors. Its exact retrain (same code, seed and thread count) left a
``state_dict`` and its predictions for every rating; this script

1. checks that those predictions equal the committed test-split predictions
   (``predictions_test.parquet``) up to float32 noise, and stops otherwise;
2. exports every DeepFM weight through the pipeline's own path
   (:func:`models.trainers.deepfm_arrays` and :func:`models.export.export`, which records
   each file's SHA-256 in ``manifest.json``), keeping the committed config, history and
   timings of the model;
3. keeps the committed numbers that came from the original run: Box 4's distributions of
   every model are computed from the committed test predictions, and the story reader's
   tables are the committed rows of user 1680; the exporter removes the files that held
   every reader's records.

It prints what float16 storage of the latent vectors changes, against the predictions.

Usage (from the repository root)::

    python scripts/export_deepfm_weights.py --state deepfm_state.pt \\
        --layout deepfm_layout.json --predictions deepfm_predictions_all.npy
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.artifacts import precomputed_dir, read_manifest, split_seed  # noqa: E402
from core.deepfm import DeepFMWeights  # noqa: E402
from core.records import INSAMPLE, PROFILES, TEST, story_file  # noqa: E402
from core.vocabulary import MODEL_ORDER, STORY_USER, VENN_MODELS  # noqa: E402
from models.data import load_movielens  # noqa: E402
from models.deepfm import DeepFM  # noqa: E402
from models.distributions import write_distributions  # noqa: E402
from models.evaluate import rmse  # noqa: E402
from models.export import export  # noqa: E402
from models.prepare import prepare  # noqa: E402
from models.reader_records import deepfm_inputs  # noqa: E402
from models.trainers import DEEPFM_DROPOUT, TrainedModel, deepfm_arrays  # noqa: E402

#: Largest difference from the committed predictions that still counts as the same model.
SAME_MODEL = 1e-4


def load_model(state_path: Path, layout: dict) -> DeepFM:
    """The retrained DeepFM with its best epoch's weights, in eval mode."""
    state = torch.load(state_path, map_location="cpu", weights_only=True)
    layers = sorted(
        (int(key.split(".")[1]), key)
        for key in state
        if key.startswith("mlp.") and key.endswith(".weight")
    )
    hidden = [state[key].shape[0] for _, key in layers][:-1]
    model = DeepFM(
        layout["field_dims"],
        state["embedding.weight"].shape[1],
        hidden,
        DEEPFM_DROPOUT,
        padding_idx=layout["padding_index"],
        sparse=False,
    )
    model.load_state_dict(state)
    return model.eval()


def old_story_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The committed rows of the story reader, in the per-reader tables' layout."""
    test = pd.read_parquet(folder / "predictions_test.parquet")
    test = test[test["user_id"] == STORY_USER][["user_id", "movie_id", "rating", *VENN_MODELS]]
    tables = {
        PROFILES: pd.read_parquet(folder / "user_profiles.parquet"),
        TEST: test.sort_values("movie_id"),
        INSAMPLE: pd.read_parquet(folder / "user_insample.parquet"),
    }
    return {
        name: table[table["user_id"] == STORY_USER].reset_index(drop=True)
        for name, table in tables.items()
    }


def main(argv: list[str] | None = None) -> int:
    """Run the export; exit status 0, or 1 when the retrained model is not the committed one."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--layout", type=Path, required=True)
    parser.add_argument("--predictions", type=Path, required=True)
    parser.add_argument("--data", help="ml-1m.zip or its folder")
    parser.add_argument("--out", type=Path, default=precomputed_dir())
    args = parser.parse_args(argv)

    manifest = read_manifest(args.out)
    data = prepare(load_movielens(args.data), seed=split_seed(manifest))
    test = data.test_mask
    predictions = np.load(args.predictions).astype(np.float32)
    committed = pd.read_parquet(args.out / "predictions_test.parquet")
    ratings = data.movielens.ratings
    assert np.array_equal(committed["user_id"], ratings["user_id"].to_numpy()[test])
    assert np.array_equal(committed["movie_id"], ratings["movie_id"].to_numpy()[test])
    gap = float(np.abs(predictions[test] - committed["deepfm"].to_numpy()).max())
    print(f"retrained vs committed DeepFM test predictions: max |difference| {gap:.2e}")
    if gap > SAME_MODEL:
        print("error: the retrained DeepFM is not the committed one; nothing written.")
        return 1

    model = load_model(args.state, json.loads(args.layout.read_text()))
    arrays = deepfm_arrays(model, data.user_ids, data.item_ids)
    genres, occupation = deepfm_inputs(data)
    full = model.embedding.weight.detach().numpy()
    for label, embedding in (("float32", full), ("float16 (exported)", arrays["embedding"])):
        scored = DeepFMWeights.from_arrays({**arrays, "embedding": embedding}).predict(
            data.user_index, data.item_index, genres, occupation
        )
        print(
            f"numpy scorer, {label} latent vectors: max |difference| "
            f"{np.abs(scored - predictions).max():.2e} stars, test RMSE "
            f"{rmse(data.rating[test], scored[test]):.6f} (retrained "
            f"{rmse(data.rating[test], predictions[test]):.6f})"
        )

    entry = manifest["models"]["deepfm"]
    history = json.loads((args.out / "history.json").read_text())["deepfm"]
    trained = TrainedModel(
        name="deepfm",
        predictions=predictions,
        history=[
            {**record, "seconds": seconds}
            for record, seconds in zip(history, entry["epoch_seconds"], strict=True)
        ],
        config=entry["config"],
        fit_seconds=entry["fit_seconds"],
        arrays=arrays,
    )
    story = old_story_tables(args.out)
    old_test = {name: committed[name].to_numpy() for name in MODEL_ORDER if name in committed}

    def keep_committed_numbers(data, models, stage: Path) -> list[str]:
        for name, table in story.items():
            table.to_parquet(stage / story_file(name), index=False, compression="zstd")
        written = write_distributions(stage, committed["rating"].to_numpy(), old_test)
        return [*map(story_file, story), written]

    files = {"state": args.state, "layout": args.layout, "predictions": args.predictions}
    command = ["python", "scripts/export_deepfm_weights.py"]
    command += [f"--{name} {path.name}" for name, path in files.items()]
    export(data, {"deepfm": trained}, command, args.out, writers=[keep_committed_numbers])
    print(f"Exported DeepFM's weights into {args.out}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
