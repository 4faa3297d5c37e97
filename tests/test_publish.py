"""A dataset is published all at once: a build killed at any step leaves a folder that passes the
contract as the old dataset or the new one, never a mix, and the next build recovers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from culti.sample import BookSpec, generate_samples
from dataset import publish
from tests.conftest import ROOT, run_culti

CONTRACT = ("train.parquet", "validation.parquet", "test.parquet", "rejects.parquet", "manifest.json",
            "README.md")
# `culti build` with publish's crash points armed: os._exit at the named step, as a kill -9 would.
_CRASH = """
import os, sys
from dataset import publish
point = sys.argv[1]
publish._step = lambda name: os._exit(9) if name == point else None
from culti.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.fixture(scope="module")
def old(tmp_path_factory) -> Path:
    """A dataset built with seed 0 from a small born-digital book (no OCR)."""
    root = tmp_path_factory.mktemp("publish")
    books = root / "books"
    generate_samples(books, specs=(BookSpec("silk", 2, 12, ("digital",)),), progress=False)
    out = root / "ds"
    run_culti("dataset", str(books), "--out", str(out), "--no-progress", "--workers", "1", "--seed", "0")
    return out


def _state(out: Path) -> int:
    """The seed of the dataset the folder holds, after checking it against the contract."""
    assert publish.verify(out) == [], publish.verify(out)
    for name in CONTRACT:
        assert (out / name).is_file(), name
    manifest = json.loads((out / "manifest.json").read_text())
    rows = 0
    for split in ("train", "validation", "test"):
        table = pq.read_table(out / f"{split}.parquet")
        assert set(table.column("split").to_pylist()) <= {split}
        rows += table.num_rows
    assert rows == manifest["counts"]["rows"]
    return manifest["parameters"]["seed"]


def _build_crashing_at(out: Path, point: str, seed: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _CRASH, point, "build", "--out", str(out), "--seed", str(seed)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def _copy(src: Path, dst: Path, plain: bool = False) -> Path:
    """A copy of a dataset folder; `plain`: its files as plain files, as an older culti wrote them."""
    shutil.copytree(src, dst, symlinks=not plain, ignore=shutil.ignore_patterns(".culti.lock"))
    if plain:
        for hidden in (dst / publish.BUILDS, dst / publish.CURRENT):
            shutil.rmtree(hidden) if hidden.is_dir() and not hidden.is_symlink() else hidden.unlink()
    return dst


def _assert_tidy(out: Path) -> None:
    assert len(list((out / publish.BUILDS).iterdir())) == 1
    assert not list(out.glob("*.tmp-*")) and not list(out.glob(".staging-*"))
    for name in CONTRACT:
        assert os.readlink(out / name) == f"{publish.CURRENT}/{name}"


@pytest.mark.parametrize(("point", "expect"), [("written", 0), ("linked", 0), ("flipped", 5), ("cleaned", 5)])
def test_kill_at_each_publish_step(old, tmp_path, point, expect):
    out = _copy(old, tmp_path / "ds")
    assert _state(out) == 0
    proc = _build_crashing_at(out, point, seed=5)
    assert proc.returncode == 9, proc.stderr
    assert _state(out) == expect  # the old dataset or the new one, whole
    run_culti("build", "--out", str(out), "--seed", "5")  # the next run recovers and tidies up
    assert _state(out) == 5
    _assert_tidy(out)


@pytest.mark.parametrize("point", ["adopted", "adopted:train.parquet", "adopted:manifest.json", "linked",
                                   "flipped"])
def test_kill_while_taking_over_a_folder_of_plain_files(old, tmp_path, point):
    """A folder written before this layout existed stays readable at every step of its first publish."""
    out = _copy(old, tmp_path / "ds", plain=True)
    assert not (out / "train.parquet").is_symlink() and _state(out) == 0
    before = {n: (out / n).read_bytes() for n in CONTRACT}
    proc = _build_crashing_at(out, point, seed=5)
    assert proc.returncode == 9, proc.stderr
    if point == "flipped":
        assert _state(out) == 5
    else:
        assert _state(out) == 0 and {n: (out / n).read_bytes() for n in CONTRACT} == before
    run_culti("build", "--out", str(out), "--seed", "5")
    assert _state(out) == 5
    _assert_tidy(out)


def test_first_publish_killed_leaves_no_dataset_then_recovers(old, tmp_path):
    out = tmp_path / "ds"
    shutil.copytree(old / "work", out / "work")
    proc = _build_crashing_at(out, "linked", seed=0)
    assert proc.returncode == 9, proc.stderr
    assert not (out / "manifest.json").exists() and not (out / "train.parquet").exists()  # no half dataset
    run_culti("build", "--out", str(out), "--seed", "0")
    assert _state(out) == 0
    _assert_tidy(out)
    assert {n: (out / n).read_bytes() for n in CONTRACT} == {n: (old / n).read_bytes() for n in CONTRACT}


def test_a_copy_that_followed_the_links_is_taken_over(old, tmp_path):
    """`cp -rL` turns the links into plain files and `.current` into a folder: still a dataset."""
    out = tmp_path / "ds"
    shutil.copytree(old, out, symlinks=False, ignore=shutil.ignore_patterns(".culti.lock"))
    assert (out / publish.CURRENT).is_dir() and not (out / publish.CURRENT).is_symlink()
    assert _state(out) == 0
    run_culti("build", "--out", str(out), "--seed", "5")
    assert _state(out) == 5
    _assert_tidy(out)
