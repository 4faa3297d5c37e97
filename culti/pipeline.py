"""The pipeline's edges: input files -> extract -> align -> build, with the work folder in between.

Layout of OUT/work (the single-stage commands hand over through it):
  cache/               extract's per-page cache (resume after a crash or Ctrl-C)
  books/<sha16>/pages.pkl      the book's PageExtract records
  books/<sha16>/alignment.pkl  its BookAlignment
  run.json             the inputs of the last extract and their per-file / per-page status
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from culti.errors import WorkFolderError
from culti.records import (
    Book,
    BookAlignment,
    FileReport,
    FileStatus,
    PageExtract,
    PageStatus,
    Pair,
    Reject,
    RejectReason,
    Stage,
)

WORK = "work"


@dataclass(frozen=True, slots=True)
class InputsOutcome:
    reports: tuple[FileReport, ...]

    @property
    def failed(self) -> tuple[FileReport, ...]:
        return tuple(r for r in self.reports if r.status == FileStatus.FAILED)


def collect_inputs(inputs: Sequence[Path]) -> list[Path]:
    """Given files and folders, return the files to process: folders give their PDFs, sorted."""
    paths: list[Path] = []
    for item in inputs:
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
    return out_dir / WORK


def _book_dir(out_dir: Path, sha256: str) -> Path:
    return work_dir(out_dir) / "books" / sha256[:16]


def _write_pickle(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def _read_pickle(path: Path, rerun: str) -> object:
    """Read a stage's hand-over file; a missing or damaged one says which stage to re-run."""
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        raise WorkFolderError(f"{path} not found: run `{rerun}` first") from None
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError) as err:
        raise WorkFolderError(f"{path} is damaged ({type(err).__name__}): run `{rerun}` again") from err


def _page_report(page: PageExtract) -> tuple[int, str, str]:
    detail = page.error or f"{page.kind.value}, {len(page.figures)} figures"
    return (page.page, page.status.value, detail)


def extract_inputs(paths: Sequence[Path], out_dir: Path, config, use_cache: bool = True) -> InputsOutcome:
    """Given input paths, extract every book into OUT/work and return a report per file."""
    import extract

    cache_dir = work_dir(out_dir) / "cache" if use_cache else None
    reports: list[FileReport] = []
    for path in paths:
        try:
            book = extract.open_book(path)
        except extract.InputError as err:
            print(f"culti: skipped {err.message}", file=sys.stderr)
            reports.append(FileReport(path=str(path), source=path.name, status=FileStatus.FAILED,
                                      reason=f"{err.reason.value}: {err.message}"))
            continue
        pages = list(extract.extract_book(book, config, cache_dir=cache_dir))
        _write_pickle(_book_dir(out_dir, book.sha256) / "pages.pkl", (book, pages))
        reports.append(_file_report(path, book, pages))
    _write_run(out_dir, reports)
    return InputsOutcome(tuple(reports))


def _file_report(path: Path, book: Book, pages: Sequence[PageExtract]) -> FileReport:
    failed = [p for p in pages if p.status == PageStatus.FAILED]
    status = FileStatus.OK if not failed else (FileStatus.FAILED if len(failed) == len(pages) else FileStatus.PARTIAL)
    reason = "" if not failed else f"{len(failed)} of {len(pages)} pages failed"
    if failed:
        print(f"culti: {path}: {reason} (see manifest.json)", file=sys.stderr)
    return FileReport(path=str(path), source=book.source, sha256=book.sha256, status=status, reason=reason,
                      page_count=book.page_count, pages=tuple(_page_report(p) for p in pages))


def _write_run(out_dir: Path, reports: Sequence[FileReport]) -> None:
    run_path = work_dir(out_dir) / "run.json"
    run_path.parent.mkdir(parents=True, exist_ok=True)
    run_path.write_text(json.dumps([_report_json(r) for r in reports], ensure_ascii=False, indent=1))


def save_params(out_dir: Path, params: dict) -> None:
    """Merge a stage's parameters into OUT/work/params.json, which the build copies into the manifest."""
    path = work_dir(out_dir) / "params.json"
    current = json.loads(path.read_text()) if path.exists() else {}
    current.update(params)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, ensure_ascii=False, indent=1, sort_keys=True))


def load_params(out_dir: Path) -> dict:
    path = work_dir(out_dir) / "params.json"
    return json.loads(path.read_text()) if path.exists() else {}


def read_run(out_dir: Path) -> list[FileReport]:
    run_path = work_dir(out_dir) / "run.json"
    if not run_path.exists():
        raise WorkFolderError(f"{run_path} not found: run `culti extract ... --out {out_dir}` first")
    try:
        items = json.loads(run_path.read_text())
    except ValueError as err:
        raise WorkFolderError(f"{run_path} is damaged ({err}): run `culti extract ... --out {out_dir}` again") from err
    reports = []
    for item in items:
        pages = tuple((p["page"], p["status"], p["detail"]) for p in item.pop("pages"))
        item["status"] = FileStatus(item["status"])
        reports.append(FileReport(pages=pages, **item))
    return reports


def _report_json(report: FileReport) -> dict:
    data = asdict(report)
    data["status"] = report.status.value
    data["pages"] = [{"page": p, "status": s, "detail": d} for p, s, d in report.pages]
    return data


def align_books(out_dir: Path, reports: Sequence[FileReport], config) -> list[BookAlignment]:
    """Given the extracted books of a run, align each and store its BookAlignment; return them without images."""
    import align

    summaries = []
    for report in reports:
        if not report.sha256:
            continue
        book_dir = _book_dir(out_dir, report.sha256)
        _book, pages = _read_pickle(book_dir / "pages.pkl", f"culti extract ... --out {out_dir}")
        alignment = align.align_book(pages, config)
        _write_pickle(book_dir / "alignment.pkl", alignment)
        summaries.append(replace(alignment, pairs=(), rejects=()))
    return summaries


def iter_alignments(out_dir: Path, reports: Sequence[FileReport]) -> Iterator[BookAlignment]:
    """Yield each book's stored alignment, one book in memory at a time."""
    for report in reports:
        if not report.sha256:
            continue
        yield _read_pickle(_book_dir(out_dir, report.sha256) / "alignment.pkl", f"culti align --out {out_dir}")


def input_rejects(reports: Sequence[FileReport]) -> list[Reject]:
    """Given file reports, return a reject per input file that could not be read."""
    rejects = []
    for r in reports:
        if r.status != FileStatus.FAILED or r.sha256:
            continue
        reason_value = r.reason.split(":", 1)[0]
        try:
            reason = RejectReason(reason_value)
        except ValueError:
            reason = RejectReason.CORRUPT
        rejects.append(Reject(stage=Stage.INPUT, reason=reason, source=r.source, detail=r.reason))
    return rejects


def manifest_inputs(reports: Sequence[FileReport]) -> list[dict]:
    return [_report_json(r) for r in reports]


def pairs_and_rejects(out_dir: Path, reports: Sequence[FileReport]) -> tuple[list[Pair], list[Reject]]:
    """Given a run, return all pairs and rejects (used where corrections need the whole set)."""
    pairs: list[Pair] = []
    rejects: list[Reject] = input_rejects(reports)
    for alignment in iter_alignments(out_dir, reports):
        pairs.extend(alignment.pairs)
        rejects.extend(alignment.rejects)
    return pairs, rejects
