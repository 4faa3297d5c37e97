"""A book's pages through a process pool: bounded in flight, cached per page, in page order."""

from __future__ import annotations

import math
import os
import pickle
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pymupdf

from culti.records import Book, PageExtract, PageKind, PageStatus

from .config import ExtractConfig
from .digital import PageContext, image_digest
from .page import failed_page

# per-process state: the document is opened once per worker, not once per page
_STATE: dict[str, object] = {}


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


def cache_path(cache_dir: Path, book: Book, config: ExtractConfig, page: int) -> Path:
    """Return where a page's result is cached: <cache>/<sha16>/<fingerprint>/p0001.pkl."""
    return cache_dir / book.sha256[:16] / config.fingerprint() / f"p{page:04d}.pkl"


def _init_worker(book: Book, config: ExtractConfig, repeated: frozenset[str],
                 cache_dir: Path | None) -> None:
    from .engines import quiet_engine_logs

    quiet_engine_logs()
    _malloc_fixed_threshold()
    os.environ.setdefault("OMP_NUM_THREADS", str(config.engine_threads))
    _STATE.clear()
    _STATE.update(book=book, config=config, repeated=repeated, cache_dir=cache_dir)


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


def _document() -> pymupdf.Document:
    if "doc" not in _STATE:
        _STATE["doc"] = pymupdf.open(_STATE["book"].path)  # type: ignore[union-attr]
    return _STATE["doc"]  # type: ignore[return-value]


def _plumber():
    if "plumber" not in _STATE:
        import pdfplumber

        _STATE["plumber"] = pdfplumber.open(_STATE["book"].path)  # type: ignore[union-attr]
    return _STATE["plumber"]


class _LazyPlumber:
    """pdfplumber opened only when a page's PyMuPDF text is broken."""

    @property
    def pages(self):
        return _plumber().pages


def compute_page(page: int) -> PageExtract:
    """Extract one page in this process (worker state set by _init_worker) and cache it."""
    from .page import extract_page, failed_page

    book: Book = _STATE["book"]  # type: ignore[assignment]
    config: ExtractConfig = _STATE["config"]  # type: ignore[assignment]
    ctx = PageContext(book.source, book.sha256, page, _STATE["repeated"])  # type: ignore[arg-type]
    try:
        result = extract_page(_document(), ctx, config, _LazyPlumber())
    except Exception as err:  # one bad page must not stop the book: it becomes a FAILED record
        try:
            rect = _document()[page - 1].rect
            result = failed_page(ctx, err, round(rect.width, 2), round(rect.height, 2))
        except Exception:
            result = failed_page(ctx, err)
    if result.kind != PageKind.DIGITAL:
        _release_page_memory()
    cache_dir = _STATE["cache_dir"]
    if cache_dir is not None and result.status != PageStatus.FAILED:
        _write_atomic(cache_path(cache_dir, book, config, page), result)  # type: ignore[arg-type]
    return result


def _write_atomic(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        pickle.dump(obj, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)  # a crash leaves a stray tmp file, never a half-written page


def _read_cached(path: Path) -> PageExtract | None:
    try:
        with open(path, "rb") as handle:
            obj = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    return obj if isinstance(obj, PageExtract) else None


def extract_book(book: Book, config: ExtractConfig,
                 cache_dir: Path | None = None) -> Iterator[PageExtract]:
    """Given an opened Book, yield every page's PageExtract in page order: pages computed in a
    process pool with a bounded number in flight, cached pages read back instead."""
    from tqdm import tqdm

    with pymupdf.open(book.path) as doc:
        repeated = repeated_images(doc, config)
    workers = min(config.pool_size(os.cpu_count() or 1), book.page_count)
    in_flight = config.in_flight or 2 * workers
    bar = tqdm(total=book.page_count, desc=book.source, unit="page", disable=not config.progress,
               leave=False, dynamic_ncols=True)
    pool: ProcessPoolExecutor | None = None
    submit: ProcessPoolExecutor | _InProcess
    try:
        if workers <= 1:
            _init_worker(book, config, repeated, cache_dir)
            submit = _InProcess()
        else:
            pool = submit = _new_pool(workers, book, config, repeated, cache_dir)
        pending: deque[tuple[int, Future | PageExtract]] = deque()
        running = 0

        def take() -> PageExtract:
            nonlocal pool, submit
            page, item = pending.popleft()
            if not isinstance(item, Future):
                return item
            try:
                return item.result()
            except BrokenProcessPool as err:  # a worker died (e.g. MuPDF crashed): new pool
                pool.shutdown(wait=False, cancel_futures=True)  # type: ignore[union-attr]
                pool = submit = _new_pool(workers, book, config, repeated, cache_dir)
                for i, (p, it) in enumerate(pending):
                    if isinstance(it, Future):
                        pending[i] = (p, submit.submit(compute_page, p))
                ctx = PageContext(book.source, book.sha256, page, repeated)
                return failed_page(ctx, err)

        for page in range(1, book.page_count + 1):
            cached = _read_cached(cache_path(cache_dir, book, config, page)) if cache_dir else None
            if cached is not None:
                pending.append((page, cached))
            else:
                pending.append((page, submit.submit(compute_page, page)))
                running += 1
            while pending and (running >= in_flight or not isinstance(pending[0][1], Future)):
                running -= isinstance(pending[0][1], Future)
                yield take()
                bar.update(1)
        while pending:
            yield take()
            bar.update(1)
    finally:
        bar.close()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if workers <= 1:
            _close_state()


def _new_pool(workers: int, book: Book, config: ExtractConfig, repeated: frozenset[str],
              cache_dir: Path | None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, initializer=_init_worker,
                               initargs=(book, config, repeated, cache_dir))


def _close_state() -> None:
    doc = _STATE.pop("doc", None)
    if doc is not None:
        doc.close()  # type: ignore[union-attr]
    plumber = _STATE.pop("plumber", None)
    if plumber is not None:
        plumber.close()  # type: ignore[union-attr]
    _STATE.clear()


class _InProcess:
    """workers=1: the same submit() interface, run at once in this process."""

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        future.set_result(fn(*args))
        return future
