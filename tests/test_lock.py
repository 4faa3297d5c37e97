"""One writer per dataset folder: a second writer names the holder and exits 2; a dead holder's
lock is taken over. Real processes, real `flock`s."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from culti.lock import LOCK_NAME, FolderLocked, lock_folder
from culti.sample import BookSpec, generate_samples
from tests.conftest import ROOT, run_culti

# A real culti process that takes --out's lock through the CLI's own code path and holds it.
_HOLDER = """
import sys, time
from pathlib import Path
sys.argv = ["culti", "dataset", "BOOKS", "--out", sys.argv[1], "--seed", "5"]
from culti.commands import writing
with writing(Path(sys.argv[4]), "--out"):
    print("locked", flush=True)
    time.sleep(120)
"""


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lock_books")
    generate_samples(folder, specs=(BookSpec("mural", 1, 4, ("digital",)),), progress=False)
    return folder


def _hold(out):
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_writer_names_the_holder_and_exits_2(books, tmp_path):
    out = tmp_path / "out"
    holder = _hold(out)
    try:
        proc = run_culti("dataset", str(books), "--out", str(out), "--no-progress", check=False)
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert lines[0].startswith(f"culti: error: {out} is being written by process {holder.pid} ")
        assert "culti dataset BOOKS" in lines[0] and "--seed 5" in lines[0] and "started " in lines[0]
        assert lines[0].endswith("wait for it or choose another --out")
        assert not (out / "manifest.json").exists() and not (out / "work").exists()
        for stage in (["extract", str(books)], ["align"], ["build"]):  # every writer of --out waits
            proc = run_culti(*stage, "--out", str(out), check=False)
            assert proc.returncode == 2 and f"process {holder.pid}" in proc.stderr, proc.stderr
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_holders_lock_is_taken_over(books, tmp_path):
    out = tmp_path / "out"
    holder = _hold(out)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert json.loads((out / LOCK_NAME).read_text())["pid"] == holder.pid  # the record stays behind
    proc = run_culti("dataset", str(books), "--out", str(out), "--no-progress", "--workers", "1", check=False)
    assert proc.returncode == 0, proc.stderr
    assert (out / "train.parquet").is_file()
    with lock_folder(out, "pytest"):  # released when the run ended
        assert json.loads((out / LOCK_NAME).read_text())["command"] == "pytest"


_FORKING_HOLDER = """
import os, sys, time
from pathlib import Path
from culti.lock import lock_folder
lock = lock_folder(Path(sys.argv[1]), "culti extract (forks workers)")
if os.fork() == 0:  # a worker that will outlive its parent
    time.sleep(60)
    os._exit(0)
print("locked", flush=True)
time.sleep(60)
"""


def test_workers_that_outlive_a_killed_run_do_not_hold_the_lock(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", _FORKING_HOLDER, str(tmp_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    with pytest.raises(FolderLocked):
        lock_folder(tmp_path, "pytest")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    orphans = _processes_mentioning(str(tmp_path))
    try:
        assert orphans, "the forked worker should still be running"
        with lock_folder(tmp_path, "pytest"):
            pass
    finally:
        for pid in orphans:
            os.kill(pid, signal.SIGKILL)


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for proc_dir in Path("/proc").iterdir():
        try:
            if proc_dir.name.isdigit() and text in (proc_dir / "cmdline").read_bytes().decode(errors="replace"):
                found.append(int(proc_dir.name))
        except OSError:
            continue
    return [p for p in found if p != os.getpid()]


def test_review_takes_the_lock_too(books, tmp_path):
    out = tmp_path / "out"
    run_culti("dataset", str(books), "--out", str(out), "--no-progress", "--workers", "1")
    holder = _hold(out)
    try:
        proc = run_culti("review", str(out), check=False)
        assert proc.returncode == 2 and f"process {holder.pid}" in proc.stderr, proc.stderr
        assert not (out / "review").exists()
    finally:
        holder.kill()
        holder.wait()


def test_lock_in_process_is_exclusive(tmp_path):
    """Two descriptors in one process conflict like two processes: flock is per open file."""
    first = lock_folder(tmp_path, "first")
    with pytest.raises(FolderLocked, match=f"process {os.getpid()} .*first"):
        lock_folder(tmp_path, "second")
    first.release()
    started = time.time()
    with lock_folder(tmp_path, "third"):
        record = json.loads((tmp_path / LOCK_NAME).read_text())
    assert record["command"] == "third" and record["pid"] == os.getpid() and record["started"] >= started - 1
