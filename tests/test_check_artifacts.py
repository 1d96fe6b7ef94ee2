"""``core.check``: every artifact, deleted, truncated or corrupted, is reported; the real
folder is clean; the CLI exits non-zero and runs without torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from damage import DAMAGES, REAL, corrupt, damaged_folder, tamper

from core.artifacts import ARTIFACTS
from core.check import check_folder

ROOT = Path(__file__).resolve().parent.parent
NAMES = sorted(ARTIFACTS)
#: The content damages, which a faulty rebuild could write with a matching hash.
CONTENT_DAMAGES = ["wrong shape", "NaN", "string for a number"]


def test_the_committed_artifacts_have_no_problem():
    assert check_folder(REAL) == []


def test_an_optional_artifact_may_be_absent(tmp_path):
    optional = [name for name in NAMES if ARTIFACTS[name].optional]
    assert "benchmark.csv" in optional
    folder = damaged_folder(tmp_path, optional[0], DAMAGES["deleted"])
    assert check_folder(folder) == []


#: Every damage of every artifact, except deleting an optional one (a folder may lack it).
CASES = [
    (name, damage)
    for name in NAMES
    for damage in DAMAGES
    if not (damage == "deleted" and ARTIFACTS[name].optional)
]


@pytest.mark.parametrize(("name", "damage"), CASES, ids=[f"{n}-{d}" for n, d in CASES])
def test_every_damage_of_every_artifact_is_reported(tmp_path, name, damage):
    """Bad content is written with a matching hash (a faulty rebuild), so the content checks
    must find it on their own; a deleted or truncated file fails whatever the hash."""
    content = damage in CONTENT_DAMAGES and ARTIFACTS[name].kind != "text"
    folder = damaged_folder(tmp_path, name, DAMAGES[damage], rehash=content)
    problems = check_folder(folder)
    assert {problem.name for problem in problems} == {name}, problems
    for problem in problems:
        assert name in problem.what
        assert not content or "has changed since it was built" not in problem.what
        assert problem.sentence() == (
            f"{problem.what} Rebuild it with `{ARTIFACTS[name].rebuild}` (see README)."
        )


def test_what_each_content_damage_says(tmp_path):
    def problems(name, kind, case):
        folder = damaged_folder(tmp_path / case, name, corrupt(kind), rehash=True)
        return [problem.what for problem in check_folder(folder)]

    assert problems("embedding_mf_item_embedding.npy", "shape", "a") == [
        "embedding_mf_item_embedding.npy has shape (128, 3706), expected ('n_items', 'k')."
    ]
    assert problems("embedding_mf_item_bias.npy", "nan", "b") == [
        "embedding_mf_item_bias.npy has 1 NaN or infinite values."
    ]
    assert problems("metrics.json", "string", "c") == [
        "metrics.json does not hold what it should: at bayes_fm.prediction_range.0: "
        "input should be a valid number."
    ]
    assert problems("group_ratings.parquet", "nan", "d") == [
        "group_ratings.parquet: column 'mean' has 1 NaN or infinite values."
    ]


def test_a_metrics_entry_that_is_a_string(tmp_path):
    """The issue's example: it stopped gunicorn's worker from booting."""
    folder = damaged_folder(tmp_path, "metrics.json", tamper)
    metrics = json.loads((REAL / "metrics.json").read_text())
    metrics["deepfm"] = "0.86"
    (folder / "metrics.json").write_text(json.dumps(metrics))
    found = [problem.what for problem in check_folder(folder)]
    assert found[0] == (
        "metrics.json does not hold what it should: at deepfm: input should be an object."
    )
    assert found[1].startswith("metrics.json has changed since it was built: its SHA-256 is ")


def test_a_tampered_file_is_caught_by_its_hash(tmp_path):
    folder = damaged_folder(tmp_path, "embedding_mf_item_embedding.npy", tamper)
    (problem,) = check_folder(folder)
    assert problem.name == "embedding_mf_item_embedding.npy"
    assert "has changed since it was built: its SHA-256 is" in problem.what
    assert problem.rebuild == "python -m models.pipeline --models embedding_mf"


def _cli(folder: Path) -> subprocess.CompletedProcess:
    # torch made unimportable: the check must run on a host without the train extra.
    script = (
        "import sys; sys.modules['torch'] = None; from core.check import main; sys.exit(main())"
    )
    return subprocess.run(
        [sys.executable, "-c", script, str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_cli_reports_and_exits_non_zero_without_torch(tmp_path):
    clean = _cli(REAL)
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.strip() == f"All {len(ARTIFACTS)} artifacts in {REAL} are as recorded."
    folder = damaged_folder(tmp_path, "embedding_mf_group_users.parquet", DAMAGES["deleted"])
    damaged = _cli(folder)
    assert damaged.returncode == 1
    assert damaged.stdout.splitlines() == [
        f"1 problem(s) with the artifacts in {folder}:",
        "- embedding_mf_group_users.parquet is missing. Rebuild it with "
        "`python -m models.catalogue` (see README).",
    ]
