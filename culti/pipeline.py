"""The pipeline's edges: input files, and the work store (OUT/work, or a URI) between the stages.

Layout of the work store (culti.store; the single-stage commands hand over through it):
  cache/<sha16>/<fingerprint>/p0001.parquet   extract's per-page cache (resume after a crash or Ctrl-C)
  books/<sha16>/pages.parquet                 the book's PageExtract records
  books/<sha16>/alignment.parquet             its BookAlignment
  inputs/<sha16>.pdf                          the PDF as the Ray executor's workers read it
  run.json             the inputs of the last extract and their per-file / per-page status
  params.json          the stages' parameters, copied into the manifest by the build
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from culti.contract import InputEntry, PageEntry, SchemaError
from culti.errors import WorkFolderError
from culti.records import (
    BookAlignment,
    FileStatus,
    PageExtract,
    PageStatus,
    Pair,
    Reject,
    RejectReason,
    Stage,
)
from culti.store import Store, alignment_key, pages_key, put_alignment

WORK = "work"


def collect_inputs(inputs: Sequence[Path]) -> list[Path]:
    """Given files and folders, return the files to process: folders give their PDFs, sorted."""
    paths: list[Path] = []
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            paths.extend(sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"))
        else:
            paths.append(item)  # missing or non-PDF files are reported by open_book
    seen: set[Path] = set()
    unique = []
    for p in paths:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def work_dir(out_dir: Path) -> Path:
    return Path(out_dir) / WORK


def work_store(out_dir: Path, work_uri: str | None = None) -> Store:
    """Return the run's work store: OUT/work, or the URI given (a bucket every node can read)."""
    return Store(work_uri or work_dir(out_dir))


def cache_store(store: Store) -> Store:
    return Store(f"{store.root.rstrip('/')}/cache")


def input_entry(path: Path, book_sha256: str, source: str, pages: Sequence[PageEntry]) -> InputEntry:
    """Given an extracted book's page entries, return its manifest entry: status from theirs."""
    failed = [p for p in pages if p.status == PageStatus.FAILED]
    status = FileStatus.OK if not failed else (FileStatus.FAILED if len(failed) == len(pages) else FileStatus.PARTIAL)
    detail = "" if not failed else f"{len(failed)} of {len(pages)} pages failed"
    if failed:
        print(f"culti: {path}: {detail} (see manifest.json)", file=sys.stderr)
    return InputEntry(path=str(path), source=source, sha256=book_sha256, status=status,
                      reason=RejectReason.PAGE_FAILED if failed else None, detail=detail,
                      page_count=len(pages), pages=tuple(sorted(pages, key=lambda p: p.page)))


def failed_input(path: Path, reason: RejectReason, message: str) -> InputEntry:
    print(f"culti: skipped {message}", file=sys.stderr)
    return InputEntry(path=str(path), source=Path(path).name, status=FileStatus.FAILED,
                      reason=reason, detail=message)


def page_entry(page: PageExtract) -> PageEntry:
    return PageEntry(page.page, page.status, page.error or f"{page.kind.value}, {len(page.figures)} figures")


def write_pages(store: Store, sha256: str, pages: Sequence[PageExtract]) -> None:
    store.put_records(pages_key(sha256), PageExtract, sorted(pages, key=lambda p: p.page))


def _read(store: Store, key: str, cls, rerun: str) -> list:
    """Read a stage's hand-over file; a missing or damaged one says which stage to re-run."""
    try:
        records = store.get_records(key, cls)
    except SchemaError as err:
        raise WorkFolderError(f"{err}: run `{rerun}` again") from err
    except (OSError, ValueError, KeyError, TypeError) as err:  # pyarrow's ArrowInvalid is a ValueError
        raise WorkFolderError(f"{store.url(key)} is damaged ({type(err).__name__}): run `{rerun}` again") from err
    if records is None:
        raise WorkFolderError(f"{store.url(key)} not found: run `{rerun}` first")
    return records


def read_pages(store: Store, sha256: str) -> list[PageExtract]:
    return _read(store, pages_key(sha256), PageExtract, "culti extract ... --out DIR")


def write_run(store: Store, reports: Sequence[InputEntry]) -> None:
    store.put_json("run.json", [r.to_json() for r in reports])


def read_run(store: Store) -> list[InputEntry]:
    try:
        data = store.get_json("run.json")
        if data is not None:
            return [InputEntry.from_json(item) for item in data]
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise WorkFolderError(f"{store.url('run.json')} is damaged ({err}): "
                              "run `culti extract ... --out DIR` again") from err
    raise WorkFolderError(f"{store.url('run.json')} not found: run `culti extract ... --out DIR` first")


def save_params(store: Store, params: dict) -> None:
    """Merge a stage's parameters into params.json, which the build copies into the manifest."""
    store.put_json("params.json", {**load_params(store), **params})


def load_params(store: Store) -> dict:
    return store.get_json("params.json") or {}


class AlignJob:
    """align_book on one stored book: reads its pages, writes its alignment (executors map it)."""

    def __init__(self, config, store: Store) -> None:
        self.config, self.store = config, store

    def __call__(self, sha256: str) -> BookAlignment:
        import align

        alignment = align.align_book(read_pages(self.store, sha256), self.config)
        put_alignment(self.store, sha256, alignment)
        return replace(alignment, pairs=(), rejects=())


def iter_alignments(store: Store, reports: Sequence[InputEntry]) -> Iterator[BookAlignment]:
    """Yield each book's stored alignment, one book in memory at a time."""
    for report in reports:
        if not report.sha256:
            continue
        yield _read(store, alignment_key(report.sha256), BookAlignment, "culti align --out DIR")[0]


def input_rejects(reports: Sequence[InputEntry]) -> list[Reject]:
    """Given file reports, return a reject per input file that could not be read."""
    return [Reject(stage=Stage.INPUT, reason=r.reason or RejectReason.CORRUPT, source=r.source, detail=r.detail)
            for r in reports if r.status == FileStatus.FAILED and not r.sha256]


def manifest_inputs(reports: Sequence[InputEntry]) -> list[dict]:
    return [r.to_json() for r in reports]


def pairs_and_rejects(store: Store, reports: Sequence[InputEntry]) -> tuple[list[Pair], list[Reject]]:
    """Given a run, return all pairs and rejects (used where corrections need the whole set)."""
    pairs: list[Pair] = []
    rejects: list[Reject] = input_rejects(reports)
    for alignment in iter_alignments(store, reports):
        pairs.extend(alignment.pairs)
        rejects.extend(alignment.rejects)
    return pairs, rejects


def stream_rejects(store: Store, reports: Sequence[InputEntry]) -> Iterator[Reject]:
    yield from input_rejects(reports)
    for alignment in iter_alignments(store, reports):
        yield from alignment.rejects
