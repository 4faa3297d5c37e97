"""Benchmark the executors: Ray vs local on sample books, and books in parallel vs one at a time.

    .venv/bin/python benchmarks/bench_scale.py [--figures 12] [--small-books 40] [--cpus 2]

Prints, measured in one run on this machine (ratios compare runs made back to back):
  executors: wall time of `run_pipeline` with the Ray executor (local Ray, --cpus CPUs) / the local
             executor (--cpus workers) on generated sample books (born-digital and scanned twins),
             with and without Ray's start-up; both outputs byte-identical
  memory:    peak RSS of each worker process (local pool, Ray actors and tasks) and of the driver
  per page:  seconds per page by page kind (from the pages the local run stored)
  books:     extract + align of --small-books small born-digital books: the local executor (every
             book's pages in one stream) / one book at a time (a pool per book, as before)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402 - comes with ray

from culti import pipeline  # noqa: E402
from culti.records import PageExtract  # noqa: E402
from culti.run import RunConfig, align_inputs, extract_inputs, run_pipeline  # noqa: E402
from culti.sample import generate_samples  # noqa: E402
from extract import ExtractConfig  # noqa: E402

FILES = ("train.parquet", "validation.parquet", "test.parquet", "rejects.parquet")


class PeakRss:
    """Sample the RSS of worker processes every 0.2 s: the driver's children (local pool) and
    Ray's workers (process titles starting `ray::`); keep each one's peak."""

    def __init__(self) -> None:
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            procs = set(me.children(recursive=True))
            for p in psutil.process_iter(["name", "cmdline"]):
                title = " ".join(p.info.get("cmdline") or []) or (p.info.get("name") or "")
                if title.startswith("ray::"):
                    procs.add(p)
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    title = " ".join(p.cmdline())[:40] or p.name()
                except psutil.Error:
                    continue
                if rss > self.peaks.get(p.pid, ("", 0))[1]:
                    self.peaks[p.pid] = (title, rss)
            self._stop.wait(0.2)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self, prefix: str = "") -> str:
        rss = sorted(r for t, r in self.peaks.values() if t.startswith(prefix) and r > 150 * 2**20)
        if not rss:
            return "no worker seen"
        return (f"{len(rss)} workers over 150 MB: peak max {rss[-1] / 2**20:.0f} MB, "
                f"median {statistics.median(rss) / 2**20:.0f} MB")


def digests(out: Path) -> list[str]:
    return [hashlib.sha256((out / f).read_bytes()).hexdigest() for f in FILES]


def executors(books: Path, tmp: Path, cpus: int, ray_first: bool = False) -> None:
    import ray

    config = RunConfig(extract=ExtractConfig(workers=cpus, progress=False), use_cache=False)

    def run_local():
        with PeakRss() as mem:
            start = time.perf_counter()
            summary = run_pipeline([books], tmp / "local", config)
            return time.perf_counter() - start, summary, mem

    if not ray_first:
        local, summary, local_mem = run_local()
    # Ray runs its workers at nice 15 by default; on a machine shared with other jobs that alone
    # would slow them against the local pool (nice 0), so both run at nice 0 here
    os.environ.setdefault("RAY_worker_niceness", "0")
    start = time.perf_counter()
    ray.init(num_cpus=cpus, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    ray_start = time.perf_counter() - start
    try:
        with PeakRss() as ray_mem:
            start = time.perf_counter()
            run_pipeline([books], tmp / "ray", RunConfig(extract=config.extract, executor="ray",
                                                          use_cache=False))
            on_ray = time.perf_counter() - start
    finally:
        ray.shutdown()
    if ray_first:
        local, summary, local_mem = run_local()
    same = digests(tmp / "local") == digests(tmp / "ray")
    print(f"executors ({cpus} CPUs, {'Ray' if ray_first else 'local'} first): local {local:.1f} s, ray {on_ray:.1f} s + start-up {ray_start:.1f} s; "
          f"ray / local = {on_ray / local:.2f} ({(on_ray + ray_start) / local:.2f} with start-up); "
          f"outputs byte-identical: {same}")
    print(f"memory, local pool: {local_mem.summary()}")
    print(f"memory, ray workers: {ray_mem.summary('ray::')}")
    print(f"memory, driver peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    build = summary.build
    print(f"build (single writer, {build.n_rows} rows + {build.n_rejects} rejects): " +
          ", ".join(f"{k} {v:.2f} s" for k, v in build.seconds.items()))
    store = pipeline.work_store(tmp / "local")
    by_kind: dict[str, list[float]] = {}
    for entry in pipeline.read_run(store):
        for page in store.get_records(f"books/{entry.sha256[:16]}/pages.parquet", PageExtract):
            by_kind.setdefault(page.kind.value, []).append(page.seconds)
    for kind, secs in sorted(by_kind.items()):
        print(f"per page, {kind}: {len(secs)} pages, mean {statistics.mean(secs):.3f} s, "
              f"median {statistics.median(secs):.3f} s, max {max(secs):.3f} s "
              f"(one worker of {cpus} busy at once)")


def one_at_a_time(paths: list[Path], cpus: int) -> float:
    """As before this change: each book's pages in a pool of its own, align after, in the driver."""
    import align
    import extract

    start = time.perf_counter()
    for path in paths:
        book = extract.open_book(path)
        pages = list(extract.extract_book(book, ExtractConfig(workers=cpus, progress=False)))
        align.align_book(pages, align.AlignConfig())
    return time.perf_counter() - start


def small_books(n: int, tmp: Path, cpus: int) -> None:
    generate_samples(tmp / "gen", books=(n + 1) // 2, figures=2, seed=1, progress=False)
    folder = tmp / "small"
    folder.mkdir()
    for pdf in sorted((tmp / "gen").glob("*-digital.pdf"))[:n]:
        shutil.copy(pdf, folder / pdf.name)
    paths = pipeline.collect_inputs([folder])
    pages = sum(extract_pages_of(p) for p in paths)
    config = RunConfig(extract=ExtractConfig(workers=cpus, progress=False), use_cache=False)
    store = pipeline.work_store(tmp / "small-out")
    start = time.perf_counter()
    reports = extract_inputs(paths, store, config)
    mid = time.perf_counter()
    align_inputs(store, reports, config)
    parallel = time.perf_counter() - start
    print(f"align: {len(paths)} books in {time.perf_counter() - mid:.1f} s on {cpus} workers")
    sequential = one_at_a_time(paths, cpus)
    print(f"books: {len(paths)} small born-digital books, {pages} pages: books in parallel "
          f"{parallel:.1f} s, one at a time {sequential:.1f} s, speed-up {sequential / parallel:.2f}x")


def extract_pages_of(path: Path) -> int:
    import pymupdf

    with pymupdf.open(path) as doc:
        return doc.page_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=12, help="figures per sample book")
    parser.add_argument("--small-books", type=int, default=40)
    parser.add_argument("--cpus", type=int, default=2)
    parser.add_argument("--skip-executors", action="store_true")
    parser.add_argument("--skip-small-books", action="store_true")
    parser.add_argument("--ray-first", action="store_true", help="time Ray before local (order bias)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    tmp = Path(tempfile.mkdtemp(prefix="culti-bench-scale-"))
    try:
        if not args.skip_executors:
            books = tmp / "books"
            generate_samples(books, books=1, figures=args.figures, seed=0, progress=False)
            print(f"sample books: {len(list(books.glob('*.pdf')))} PDFs, "
                  f"{sum(extract_pages_of(p) for p in books.glob('*.pdf'))} pages")
            executors(books, tmp, args.cpus, args.ray_first)
        if not args.skip_small_books:
            small_books(args.small_books, tmp, args.cpus)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} at end")


if __name__ == "__main__":
    main()
