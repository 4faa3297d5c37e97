"""Shared fixtures: one small end-to-end run on generated sample books, reused by the contract tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CULTI = [sys.executable, "-m", "culti"]

# Nothing in the tests may reach a model or dataset hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")


def run_culti(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run the culti CLI in a subprocess, as a user would."""
    proc = subprocess.run([*CULTI, *args], cwd=cwd or ROOT, capture_output=True, text=True, timeout=900)
    if check and proc.returncode != 0:
        raise AssertionError(f"culti {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def sample_books(tmp_path_factory) -> Path:
    """A small sample set: one silk and one mural book, each born-digital and scanned."""
    folder = tmp_path_factory.mktemp("sample")
    run_culti("sample", "--out", str(folder), "--books", "1", "--figures", "8", "--seed", "3")
    return folder


@pytest.fixture(scope="session")
def sample_run(sample_books, tmp_path_factory) -> Path:
    """`culti dataset` over the small sample set."""
    out = tmp_path_factory.mktemp("run") / "out"
    run_culti("dataset", str(sample_books), "--out", str(out), "--no-progress", "--workers", "2")
    return out
