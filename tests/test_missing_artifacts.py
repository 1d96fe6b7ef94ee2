"""Without precomputed/ the page still renders; and the app never loads the training code."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import run_python_json

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import json
from app import build_layout
from components.box import walk
layout = build_layout()
texts = [node for node in walk(layout) if isinstance(node, str)]
print(json.dumps({
    "sections": sum(1 for node in walk(layout) if getattr(node, "className", "") and
                    str(node.className).startswith("box ")),
    "notices": sum(text.startswith("This box cannot be shown") for text in texts),
    "hint": any("python -m models.pipeline" in text for text in texts),
}))
"""


def test_page_renders_with_no_artifacts(tmp_path):
    env = {**os.environ, "PRECOMPUTED_DIR": str(tmp_path / "empty")}
    report = run_python_json(SCRIPT, env)
    assert report["sections"] >= 10
    # The learning curves, the map of the movies, the model table, Boxes 4-9, the reader
    # picker and the conclusion (its numbers come from conclusion.json) each say what is
    # missing.
    assert report["notices"] == 11
    assert report["hint"]


def test_app_never_imports_torch_or_the_training_code():
    script = (
        "import sys, app; app.build_layout(); "
        "print(sorted(m for m in sys.modules if m == 'torch' or m.startswith(('torch.', "
        "'models.train', 'models.deepfm', 'models.embedding_mf', 'pooch', 'tqdm'))))"
    )
    assert run_python_json(script) == []
