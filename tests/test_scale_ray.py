"""The Ray executor against the local one: same files byte for byte, on a 2-CPU local Ray, on two
simulated nodes, and when a worker is killed mid-run.

Small on purpose (two tiny born-digital books, 11 pages): the point is the executors, not OCR.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")  # ray[data] is a dependency; this names the failure if it is not

from culti.contract import SPLITS, FileStatus, PageStatus, read_manifest  # noqa: E402
from culti.run import RunConfig, run_pipeline  # noqa: E402
from extract import ExtractConfig  # noqa: E402
from extract.book import CRASH_HOOK  # noqa: E402

FILES = (*(f"{s}.parquet" for s in SPLITS), "rejects.parquet")


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> Path:
    from culti.sample import generate_samples

    root = tmp_path_factory.mktemp("ray-books")
    generate_samples(root / "all", books=1, figures=4, seed=5, progress=False)
    folder = root / "in"
    folder.mkdir()
    for pdf in sorted((root / "all").glob("*-digital.pdf")):
        (folder / pdf.name).write_bytes(pdf.read_bytes())
    return folder


def _config(executor: str, **kwargs) -> RunConfig:
    return RunConfig(extract=ExtractConfig(workers=2, progress=False), executor=executor, **kwargs)


def _digests(out: Path) -> dict[str, str]:
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in FILES}


@pytest.fixture(scope="module")
def local_run(books, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    summary = run_pipeline([books], out, _config("local"))
    assert [r.status for r in summary.inputs] == [FileStatus.OK, FileStatus.OK]
    assert sum(summary.build.split_counts.values()) > 0
    return out


def test_ray_on_two_cpus_gives_the_local_bytes(books, local_run, tmp_path):
    ray.init(num_cpus=2, include_dashboard=False)
    try:
        summary = run_pipeline([books], tmp_path / "out", _config("ray"))
    finally:
        ray.shutdown()
    assert _digests(tmp_path / "out") == _digests(local_run)
    assert [r.status for r in summary.inputs] == [FileStatus.OK, FileStatus.OK]
    # the intermediates are Parquet in the work store, readable by the single-stage commands
    assert sorted(p.name for p in (tmp_path / "out" / "work" / "books").rglob("*.parquet")) == \
        ["alignment.parquet"] * 2 + ["pages.parquet"] * 2
    ray_manifest, local_manifest = read_manifest(tmp_path / "out"), read_manifest(local_run)
    assert [i.pages for i in ray_manifest.inputs] == [i.pages for i in local_manifest.inputs]


def test_killed_worker_is_retried_and_output_unchanged(books, local_run, tmp_path, monkeypatch):
    from culti.files import file_sha256

    victim = sorted(books.glob("*.pdf"))[0]
    marker = tmp_path / "killed"
    monkeypatch.setenv(CRASH_HOOK, f"{file_sha256(victim)[:16]}:2:{marker}")
    ray.init(num_cpus=2, include_dashboard=False)  # workers inherit the hook from this process
    try:
        summary = run_pipeline([books], tmp_path / "out", _config("ray", use_cache=False))
    finally:
        ray.shutdown()
    assert marker.exists(), "the worker extracting page 2 was not killed"
    assert int(marker.read_text()) != os.getpid()
    assert all(p.status != PageStatus.FAILED for r in summary.inputs for p in r.pages)
    assert _digests(tmp_path / "out") == _digests(local_run)


def test_two_simulated_nodes_give_the_local_bytes(books, local_run, tmp_path):
    import shutil
    import tempfile

    from ray.cluster_utils import Cluster

    # each node its own Ray temporary folder (short paths: Ray's sockets live there)
    temps = [tempfile.mkdtemp(prefix="culti-node"), tempfile.mkdtemp(prefix="culti-node")]
    cluster = Cluster(initialize_head=True,
                      head_node_args={"num_cpus": 1, "include_dashboard": False, "temp_dir": temps[0]})
    cluster.add_node(num_cpus=1, temp_dir=temps[1])
    try:
        ray.init(address=cluster.address)
        assert sum(1 for n in ray.nodes() if n["Alive"]) == 2
        run_pipeline([books], tmp_path / "out", _config("ray"))
    finally:
        ray.shutdown()
        cluster.shutdown()
        for temp in temps:
            shutil.rmtree(temp, ignore_errors=True)
    assert _digests(tmp_path / "out") == _digests(local_run)
    # every worker read the PDFs from the work store, not from the inputs' folder
    run = json.loads((tmp_path / "out" / "work" / "run.json").read_text())
    stored = sorted((tmp_path / "out" / "work" / "inputs").glob("*.pdf"))
    assert len(stored) == len(run) == 2
