"""The Ray executor: the pipeline's work units on Ray Data, on a local Ray instance or a cluster.

  read_binary_files(PDFs)            the inputs as bytes: no local path is assumed on the workers
  map(_book_step)                    validate, sha256, the book pre-pass; the PDF goes into the work store
  flat_map -> page tasks             one row per page
  map_batches(_PageActor)            extract in an actor pool (OCR and layout engines loaded once per
                                     actor); a dead actor is restarted and its page retried (Ray
                                     Data's defaults; tasks whose worker dies are retried by Ray)
  groupby(book).map_groups(_book)    a book's pages -> pages.parquet and its alignment, in the store
then the driver dedupes, splits and writes the dataset once (culti.run.build), as the local
executor does, so both give the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa

from culti import pipeline
from culti.contract import InputEntry, PageEntry, PageStatus, RejectReason
from culti.store import Store


class RayUnavailable(RuntimeError):
    """Ray is not installed, or no cluster answers at the address given."""


@contextmanager
def connected(address: str | None):
    """Join the Ray cluster at `address`, or start a local instance when None (and stop it after)."""
    try:
        import ray
    except ImportError as err:
        raise RayUnavailable("--executor ray needs ray[data]: pip install 'ray[data]'") from err
    if ray.is_initialized():  # a caller (a notebook, a test) already chose the cluster
        yield ray
        return
    from extract.book import CRASH_HOOK

    env = {k: os.environ[k] for k in (CRASH_HOOK, "OMP_NUM_THREADS") if k in os.environ}
    _probe(address)
    try:
        ray.init(address=address, include_dashboard=False, logging_level="WARNING",
                 runtime_env={"env_vars": env} if env else None)
    except (ConnectionError, RuntimeError, ValueError) as err:
        raise RayUnavailable(f"--ray-address {address}: no Ray cluster answers there ({err}); "
                             "start one with `ray start --head`, or leave --ray-address out "
                             "to run on a local Ray") from err
    try:
        yield ray
    finally:
        ray.shutdown()


def _probe(address: str | None) -> None:
    """Fail in seconds, not minutes of Ray's reconnect loop, when nothing listens at HOST:PORT."""
    if address is None or address == "auto":
        return  # "auto" finds a local cluster or raises at once
    import socket

    hostport = address.split("://", 1)[-1]
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        raise RayUnavailable(f"--ray-address {address}: give auto, HOST:PORT or ray://HOST:PORT")
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as err:
        raise RayUnavailable(f"--ray-address {address}: nothing answers there ({err}); start the "
                             "cluster with `ray start --head` or leave --ray-address out to run "
                             "on a local Ray") from err


def _book_step(row: dict, config, store: Store) -> dict:
    """Given {path, bytes} of one input, return its book task as a row (or why it failed)."""
    import extract
    from extract.book import book_task

    path, data = str(row["path"]), bytes(row["bytes"])
    try:
        book = extract.open_book(Path(path), data)
    except extract.InputError as err:
        return {"path": path, "error": err.reason.value, "message": err.message, "task": None}
    key = f"inputs/{book.sha256[:16]}.pdf"
    if not store.exists(key):
        store.put_bytes(key, data)  # every worker reads the PDF from the store, not from this node
    task = book_task(book, config, uri=store.url(key), data=data)
    from culti.tasks import page_row

    return {"path": path, "error": "", "message": "",
            "task": {k: v for k, v in page_row(task.pages()[0]).items() if k != "page"}}


def _pages_of(row: dict) -> list[dict]:
    task = row["task"]
    if task is None:  # an input that failed to open: reported by the driver
        return []
    return [{**task, "page": n} for n in range(1, int(task["page_count"]) + 1)]


class _PageActor:
    """Extract pages; one per worker process, so OCR and layout engines load once per actor."""

    config = None  # bound by _page_actor
    cache_root: str | None = None

    def __init__(self) -> None:
        from extract.book import PageJob

        self.job = PageJob(self.config, Store(self.cache_root) if self.cache_root else None)

    def __call__(self, batch: pa.Table) -> pa.Table:
        from culti.records import PageExtract
        from culti.store import records_to_table
        from culti.tasks import row_page

        pages = [self.job(row_page(r)) for r in batch.to_pylist()]
        return records_to_table(PageExtract, pages)


def _book_group(table: pa.Table, align_config, store: Store) -> pa.Table:
    """Given all pages of one book, store them (and the book's alignment); return its page entries."""
    from culti.records import PageExtract
    from culti.store import _decode

    pages = sorted((_decode(r, PageExtract) for r in table.to_pylist()), key=lambda p: p.page)
    sha = pages[0].source_sha256
    pipeline.write_pages(store, sha, pages)
    if align_config is not None:
        pipeline.AlignJob(align_config, store)(sha)
    entries = [pipeline.page_entry(p) for p in pages]
    return pa.table({"sha256": [sha], "pages": [[e.page for e in entries]],
                     "statuses": [[e.status.value for e in entries]],
                     "details": [[e.detail for e in entries]]})


def _workers(ray, config) -> int:
    cpus = int(ray.cluster_resources().get("CPU", 1))
    return max(1, min(cpus, config.extract.workers or cpus))


def extract_and_align(paths: Sequence[Path], store: Store, config, align: bool) -> list[InputEntry]:
    """Given input paths, extract every book (and align it when `align`) on Ray Data into the
    work store; return an entry per input, in input order (also written to run.json)."""
    reports: dict[int, InputEntry] = {}
    readable = []
    for i, path in enumerate(paths):
        if Path(path).is_file():
            readable.append(i)
        else:
            reports[i] = pipeline.failed_input(path, RejectReason.FILE_MISSING,
                                               f"{path}: file not found; check the path")
    by_abs = {os.path.abspath(paths[i]): i for i in readable}
    with connected(config.ray_address) as ray:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = bool(config.extract.progress)
        if readable:
            books = ray.data.read_binary_files([os.path.abspath(paths[i]) for i in readable],
                                               include_paths=True)
            books = books.map(_book_step, fn_kwargs={"config": config.extract, "store": store}).materialize()
            rows = books.take_all()  # small: the PDF bytes went to the store
            n_ok = sum(1 for row in rows if not row["error"])
            done = _run_pages(ray, books, n_ok, store, config, align) if n_ok else {}
            for row in rows:
                i = by_abs[_abs(row["path"])]
                if row["error"]:
                    reports[i] = pipeline.failed_input(paths[i], RejectReason(row["error"]), row["message"])
                    continue
                task = row["task"]
                reports[i] = pipeline.input_entry(paths[i], task["sha256"], task["source"],
                                                  done[task["sha256"]])
    ordered = [reports[i] for i in range(len(paths))]
    pipeline.write_run(store, ordered)
    return ordered


def _abs(path: str) -> str:
    return os.path.abspath(path if os.path.exists(path) else "/" + path.lstrip("/"))


def _page_actor(config, cache_root: str | None) -> type:
    """_PageActor with its arguments bound in the class (shipped with it, so a restarted actor
    never depends on constructor arguments in the object store)."""
    return type("PageActor", (_PageActor,), {"config": config, "cache_root": cache_root})


def _run_pages(ray, books, n_books: int, store: Store, config, align: bool) -> dict[str, list[PageEntry]]:
    cache = pipeline.cache_store(store).root if config.use_cache else None
    n = _workers(ray, config)
    pages = books.flat_map(_pages_of).map_batches(
        _page_actor(config.extract, cache), batch_size=1, batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(min_size=1, max_size=n),
        num_cpus=1)  # Ray Data's actor defaults: max_restarts=-1, max_task_retries=-1
    # one partition per book at most: a small corpus does not pay for 200 shuffle partitions
    grouped = pages.groupby("source_sha256", num_partitions=max(1, min(n_books, 4 * n))).map_groups(
        _book_group, batch_format="pyarrow",
        fn_kwargs={"align_config": config.align if align else None, "store": store})
    out: dict[str, list[PageEntry]] = {}
    for row in grouped.take_all():
        out[row["sha256"]] = [PageEntry(int(p), PageStatus(s), d) for p, s, d
                              in zip(row["pages"], row["statuses"], row["details"], strict=True)]
    return out


def _align_row(row: dict, align_config, store: Store) -> dict:
    pipeline.AlignJob(align_config, store)(row["sha256"])
    return {"sha256": row["sha256"]}


def align_books(shas: Sequence[str], store: Store, config) -> list[str]:
    """Given stored books, align each on Ray (one task per book); return their hashes."""
    if not shas:
        return []
    with connected(config.ray_address) as ray:
        ds = ray.data.from_items([{"sha256": s} for s in shas])
        done = ds.map(_align_row, fn_kwargs={"align_config": config.align, "store": store}).take_all()
    return sorted(r["sha256"] for r in done)
