"""Books -> page tasks -> PageExtracts: the book pre-pass, the page worker and its cache.

`extract_page` (extract/page.py) is the pure unit of work; `run_page_task` is the thin wrapper every
executor runs: open the PDF once per worker, read the page cache, turn an exception into a FAILED
page, write the cache. `extract_book` runs one book on the local executor (books in parallel:
culti.run).
"""

from __future__ import annotations

import io
import math
import os
from collections import Counter, OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from culti.executors import Crashed, LocalExecutor
from culti.records import Book, PageExtract, PageKind, PageStatus
from culti.store import Store, get_page, page_key, put_page
from culti.tasks import BookTask, PageTask

from .config import ExtractConfig
from .digital import PageContext, image_digest
from .page import failed_page

CRASH_HOOK = "CULTI_TEST_CRASH_ONCE"  # tests: "<sha16>:<page>:<marker file>" kills the worker once
_OPEN_DOCS = 2  # PDFs a worker keeps open (books run in parallel: pages of a few books interleave)
_DOCS: OrderedDict[str, tuple[pymupdf.Document, list]] = OrderedDict()
_ENGINES_READY: list[bool] = []


def repeated_images(doc: pymupdf.Document, config: ExtractConfig) -> frozenset[str]:
    """Given a document, return digests of images drawn on many pages (logos, running
    ornaments): a cheap pass over each page's image list, no decoding."""
    pages_by_digest: Counter[str] = Counter()
    digests: dict[int, str] = {}
    for page in doc:
        seen = set()
        for item in page.get_images(full=False):
            xref = item[0]
            if xref not in digests:
                digests[xref] = image_digest(doc, xref)
            seen.add(digests[xref])
        pages_by_digest.update(seen)
    need = max(config.repeat_min_pages, math.ceil(config.repeat_page_frac * doc.page_count))
    return frozenset(d for d, n in pages_by_digest.items() if n >= need)


def book_task(book: Book, config: ExtractConfig, uri: str | None = None,
              data: bytes | None = None) -> BookTask:
    """Given an opened Book, return its task: where workers read it and the book-level pre-pass."""
    with _open(uri or book.path, data) as doc:
        repeated = repeated_images(doc, config)
    return BookTask(uri=uri or book.path, source=book.source, sha256=book.sha256,
                    page_count=book.page_count, repeated=tuple(sorted(repeated)), path=book.path)


def _open(uri: str, data: bytes | None = None) -> pymupdf.Document:
    if data is not None:
        return pymupdf.open(stream=data, filetype="pdf")
    if "://" in uri and not uri.startswith("file://"):
        import fsspec

        with fsspec.open(uri, "rb") as fh:
            return pymupdf.open(stream=fh.read(), filetype="pdf")
    return pymupdf.open(uri.removeprefix("file://"))


def _document(task: BookTask) -> tuple[pymupdf.Document, list]:
    """The task's PDF, opened once per worker (a few kept open), with a slot for pdfplumber."""
    key = task.sha256
    if key in _DOCS:
        _DOCS.move_to_end(key)
        return _DOCS[key]
    while len(_DOCS) >= _OPEN_DOCS:
        _close(*_DOCS.popitem(last=False)[1])
    _DOCS[key] = (_open(task.uri, task.data), [])
    return _DOCS[key]


def _close(doc: pymupdf.Document, plumber: list) -> None:
    doc.close()
    for p in plumber:
        if p is not None:
            p.close()


def close_documents() -> None:
    """Close the PDFs this process holds open."""
    while _DOCS:
        _close(*_DOCS.popitem()[1])


class _LazyPlumber:
    """pdfplumber opened only when a page's PyMuPDF text is broken."""

    def __init__(self, task: BookTask, slot: list) -> None:
        self.task, self.slot = task, slot

    @property
    def pages(self):
        if not self.slot:
            import pdfplumber

            doc = _document(self.task)[0]
            self.slot.append(pdfplumber.open(io.BytesIO(doc.tobytes())) if self.task.data or
                             "://" in self.task.uri else pdfplumber.open(self.task.uri))
        return self.slot[0].pages


def _ready_worker(config: ExtractConfig) -> None:
    if _ENGINES_READY:
        return
    from .engines import quiet_engine_logs

    quiet_engine_logs()
    _malloc_fixed_threshold()
    os.environ.setdefault("OMP_NUM_THREADS", str(config.engine_threads))
    _ENGINES_READY.append(True)


def _libc():
    import ctypes
    import ctypes.util

    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def _malloc_fixed_threshold() -> None:
    """Page-sized numpy buffers come and go per page; with glibc's sliding mmap threshold they
    end up on the heap and fragment it, so RSS creeps up page after page. Pin the threshold."""
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD: buffers over 1 MiB are mmapped and returned


def _release_page_memory() -> None:
    """Drop MuPDF's cache of decoded images (a scan per page) and hand freed heap back."""
    pymupdf.TOOLS.store_shrink(100)
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def _crash_hook(task: PageTask) -> None:
    """Test-only: kill this worker once on a given page, as a MuPDF crash or an OOM kill would."""
    spec = os.environ.get(CRASH_HOOK)
    if not spec:
        return
    sha16, page, marker = spec.split(":", 2)
    if task.book.sha256.startswith(sha16) and task.page == int(page) and not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()))
        os._exit(3)


def compute_page(task: PageTask, config: ExtractConfig) -> PageExtract:
    """Given a page task, return its PageExtract; an exception becomes a FAILED page."""
    from . import page as page_module  # looked up per call so tests can patch extract_page

    _ready_worker(config)
    _crash_hook(task)
    b = task.book
    ctx = PageContext(b.source, b.sha256, task.page, frozenset(b.repeated))
    try:
        doc, plumber = _document(b)
    except Exception as err:  # the PDF vanished or changed under us: every page says so
        return failed_page(ctx, err)
    try:
        result = page_module.extract_page(doc, ctx, config, _LazyPlumber(b, plumber))
    except Exception as err:  # one bad page must not stop the book: it becomes a FAILED record
        try:
            rect = doc[task.page - 1].rect
            result = failed_page(ctx, err, round(rect.width, 2), round(rect.height, 2))
        except Exception:
            result = failed_page(ctx, err)
    if result.kind != PageKind.DIGITAL:
        _release_page_memory()
    return result


@dataclass(frozen=True, slots=True)
class PageJob:
    """compute_page with its config and the page cache: the picklable function executors map."""

    config: ExtractConfig
    cache: Store | None = None

    def __call__(self, task: PageTask) -> PageExtract:
        fingerprint = self.config.fingerprint()
        if self.cache is not None:
            cached = get_page(self.cache, task.book.sha256, fingerprint, task.page)
            if cached is not None:
                return cached
        result = compute_page(task, self.config)
        if self.cache is not None and result.status != PageStatus.FAILED:
            put_page(self.cache, fingerprint, result)  # failed pages are retried next run
        return result


def crashed_page(crash: Crashed) -> PageExtract:
    """Given a page whose worker died, return its FAILED PageExtract."""
    task: PageTask = crash.item  # type: ignore[assignment]
    b = task.book
    return failed_page(PageContext(b.source, b.sha256, task.page, frozenset(b.repeated)), crash.error)


def extract_pages(tasks, config: ExtractConfig, executor: LocalExecutor,
                  cache: Store | None = None) -> Iterator[PageExtract]:
    """Given page tasks (of one or many books), yield their PageExtracts in task order."""
    for result in executor.map(PageJob(config, cache), tasks, in_flight=config.in_flight):
        yield crashed_page(result) if isinstance(result, Crashed) else result


def cache_path(cache_dir: Path, book: Book, config: ExtractConfig, page: int) -> Path:
    """Return where a page's result is cached: <cache>/<sha16>/<fingerprint>/p0001.parquet."""
    return Path(cache_dir) / page_key(book.sha256, config.fingerprint(), page)


def extract_book(book: Book, config: ExtractConfig,
                 cache_dir: Path | None = None) -> Iterator[PageExtract]:
    """Given an opened Book, yield every page's PageExtract in page order: pages computed in a
    process pool with a bounded number in flight, cached pages read back instead."""
    from tqdm import tqdm

    task = book_task(book, config)
    workers = min(config.pool_size(os.cpu_count() or 1), book.page_count)
    cache = Store(cache_dir) if cache_dir is not None else None
    bar = tqdm(total=book.page_count, desc=book.source, unit="page", disable=not config.progress,
               leave=False, dynamic_ncols=True)
    try:
        for page in extract_pages(task.pages(), config, LocalExecutor(workers), cache):
            yield page
            bar.update(1)
    finally:
        bar.close()
        if workers <= 1:
            close_documents()
