from __future__ import annotations

import hashlib
import os
from pathlib import Path

import kedro

from credit_risk.environment import environment

PROJECT = Path(__file__).resolve().parents[1]


def test_environment_records_code_lock_packages_and_machine() -> None:
    record = environment(PROJECT)
    lock = hashlib.sha256((PROJECT / "uv.lock").read_bytes()).hexdigest()
    assert record["uv_lock_sha256"] == lock
    assert record["packages"]["kedro"] == kedro.__version__
    assert record["cpu_count"] == os.cpu_count()
    assert record["memory_gib"] is None or record["memory_gib"] > 0.5
    assert record["accelerator"]  # "none" is a valid answer
    assert record["python"].count(".") == 2
    assert record["git_commit"] is None or len(record["git_commit"]) == 40


def test_outside_a_repository_git_is_unknown(tmp_path: Path) -> None:
    record = environment(tmp_path)
    assert record["git_commit"] is None and record["git_dirty"] is None
    assert record["uv_lock_sha256"] is None
