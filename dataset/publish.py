"""Publish a built dataset all at once: every build lives in its own folder, and one symlink flip
makes it the dataset.

    DIR/train.parquet -> .current/train.parquet     (one fixed relative link per contract file)
    DIR/.current      -> .builds/<pid>-<ns>         (the one link a publish replaces, atomically)
    DIR/.builds/<pid>-<ns>/                         (the published build; a build in progress)

A build writes its files into a new folder under `.builds/`, fsyncs them, and then `rename(2)`s a
fresh `.current` link over the old one: a reader of DIR/<name> sees the old dataset or the new one,
never a mix, and a crash at any point leaves one of them. The previous build is removed only after
the flip. A folder written by an older culti (plain files) is first turned, link by link, into the
same layout pointing at hard links of its own files, so it reads the same at every step.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

from culti.files import file_sha256

BUILDS = ".builds"
CURRENT = ".current"


def _step(name: str) -> None:
    """A point a crash can fall between; tests replace this to kill the process there."""


def new_build(out_dir: Path) -> Path:
    """Create and return an empty build folder in out_dir, first removing builds left by dead runs."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale(out_dir)
    build = out_dir / BUILDS / f"{os.getpid()}-{time.time_ns()}"
    build.mkdir(parents=True)
    return build


def publish(build: Path, out_dir: Path, names: Sequence[str]) -> None:
    """Given a finished build folder holding `names`, make it out_dir's dataset in one atomic step."""
    out_dir = Path(out_dir)
    for extra in build.iterdir():  # scratch (image spools) never becomes part of the dataset
        if extra.name not in names:
            _remove(extra)
    _fsync_dir(build)
    _step("written")
    _adopt_plain_files(out_dir, names)
    for name in names:  # links for names a new version adds; they dangle until the flip
        if not _is_our_link(out_dir, name):
            _replace_with_link(out_dir / name, f"{CURRENT}/{name}")
    _fsync_dir(out_dir)
    _step("linked")
    _replace_with_link(out_dir / CURRENT, f"{BUILDS}/{build.name}")
    _fsync_dir(out_dir)
    _step("flipped")
    _remove_stale(out_dir)
    _step("cleaned")


def current_build(out_dir: Path) -> Path | None:
    """The build folder out_dir's dataset is read from, or None (no dataset, or an old plain folder)."""
    link = Path(out_dir) / CURRENT
    if not link.is_symlink():
        return None
    return Path(out_dir) / os.readlink(link)


def verify(out_dir: Path, manifest_name: str = "manifest.json") -> list[str]:
    """Given a dataset folder, return what is wrong with it (empty: every file the manifest lists is
    there with the sha256 it records)."""
    path = Path(out_dir) / manifest_name
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [f"{path} not found"]
    except (OSError, ValueError) as err:
        return [f"{path}: not readable JSON ({err})"]
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return [f"{path}: no 'files' with sha256 (written by an older culti?)"]
    problems = []
    for name, sha in sorted(files.items()):
        try:
            if file_sha256(Path(out_dir) / name) != sha:
                problems.append(f"{name}: sha256 differs from the manifest")
        except FileNotFoundError:
            problems.append(f"{name}: missing")
    return problems


def _is_our_link(out_dir: Path, name: str) -> bool:
    path = out_dir / name
    return path.is_symlink() and os.readlink(path) == f"{CURRENT}/{name}"


def _adopt_plain_files(out_dir: Path, names: Sequence[str]) -> None:
    """A folder of plain files (older culti) becomes a build of its own before anything changes:
    hard links keep every file's bytes, so each link swap leaves the folder reading the same."""
    current = out_dir / CURRENT
    if current.is_symlink():
        return
    if current.is_dir():  # a copy that followed the links (cp -rL): its plain files are the dataset
        shutil.rmtree(current)
    plain = [n for n in names if (out_dir / n).is_file() and not (out_dir / n).is_symlink()]
    if not plain:
        return
    old = out_dir / BUILDS / f"adopted-{time.time_ns()}"
    old.mkdir(parents=True)
    for name in plain:
        try:
            os.link(out_dir / name, old / name)
        except OSError:  # no hard links on this file system: a copy reads the same
            shutil.copy2(out_dir / name, old / name)
    _fsync_dir(old)
    _replace_with_link(out_dir / CURRENT, f"{BUILDS}/{old.name}")
    _fsync_dir(out_dir)
    _step("adopted")
    for name in plain:
        _replace_with_link(out_dir / name, f"{CURRENT}/{name}")
        _step(f"adopted:{name}")


def _replace_with_link(path: Path, target: str) -> None:
    """Point `path` at `target` (relative) in one rename: readers see the old entry or the new link."""
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, path)


def _remove_stale(out_dir: Path) -> None:
    """Remove builds that are neither current nor being written by a live process."""
    builds = out_dir / BUILDS
    current = current_build(out_dir)
    keep = current.name if current is not None else None
    for entry in builds.iterdir() if builds.is_dir() else ():
        pid = entry.name.split("-", 1)[0]
        if entry.name == keep or (pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid))):
            continue
        _remove(entry)
    for old in out_dir.glob(".staging-*"):  # an older culti's build folder
        pid = old.name[len(".staging-"):]
        if not (pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid))):
            _remove(old)
    for tmp in out_dir.glob("*.tmp-*"):  # a link a dead publish had not renamed yet
        pid = tmp.name.rsplit("-", 1)[-1]
        if tmp.is_symlink() and pid.isdigit() and not _alive(int(pid)):
            tmp.unlink()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
