"""The library entry point: run_pipeline(inputs, out_dir, config) -> RunSummary.

The pipeline says what (inputs -> book tasks -> page tasks -> pages -> alignments -> dataset);
RunConfig.executor says where: "local" (a process pool on this machine, books and pages in
parallel) or "ray" (Ray Data on a local Ray instance or a cluster). Both hand over through the work
store and end in the same single writer, so the same inputs and seed give the same files.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from culti import pipeline
from culti.contract import FileStatus, InputEntry, RejectReason
from culti.executors import EXECUTORS, Crashed, LocalExecutor
from culti.store import Store


def _extract_config():
    from extract import ExtractConfig

    return ExtractConfig()


def _align_config():
    from align import AlignConfig

    return AlignConfig()


def _build_config():
    from dataset import BuildConfig

    return BuildConfig()


@dataclass(frozen=True, slots=True)
class RunConfig:
    """What runs where: the three stage configs, the executor and the work store."""

    extract: object = field(default_factory=_extract_config)  # extract.ExtractConfig
    align: object = field(default_factory=_align_config)  # align.AlignConfig
    build: object = field(default_factory=_build_config)  # dataset.BuildConfig
    executor: str = "local"  # "local" or "ray"
    ray_address: str | None = None  # "auto", "HOST:PORT", "ray://HOST:PORT"; None starts a local Ray
    use_cache: bool = True  # read finished pages back from the work store's cache
    work_uri: str | None = None  # the work store; default OUT/work (use a shared URI on a cluster)
    corrections: Path | None = None  # a corrections.json from `culti review`

    def __post_init__(self) -> None:
        if self.executor not in EXECUTORS:
            raise ValueError(f"RunConfig.executor={self.executor!r}: choose one of {', '.join(EXECUTORS)}")
        if self.ray_address is not None and self.executor != "ray":
            raise ValueError("RunConfig.ray_address is given but executor is not 'ray'")

    def params(self) -> dict:
        """The stage parameters that change results (recorded in the manifest)."""
        return {"ocr_engine": self.extract.ocr_engine, "extract": self.extract.fingerprint(),
                "domain": self.align.domain, "to_simplified": self.align.to_simplified}


@dataclass(frozen=True, slots=True)
class RunSummary:
    inputs: tuple[InputEntry, ...]
    build: object  # dataset.BuildSummary

    @property
    def failed(self) -> tuple[InputEntry, ...]:
        return tuple(r for r in self.inputs if r.status == FileStatus.FAILED)


class NoInputsError(ValueError):
    """No PDF among the inputs."""


class NoReadableInput(ValueError):
    """Every input failed to open: nothing is built (the dataset folder stays as it was)."""

    def __init__(self, count: int) -> None:
        super().__init__(f"none of the {count} inputs could be read")
        self.count = count


def run_pipeline(inputs: Sequence[Path], out_dir: Path, config: RunConfig | None = None) -> RunSummary:
    """Given PDF files or folders and an output folder, run extract -> align -> build on the
    configured executor and return what was written (failed inputs are in `failed`, not raised)."""
    config = config or RunConfig()
    paths = pipeline.collect_inputs(inputs)
    if not paths:
        raise NoInputsError(f"no PDF files found in {', '.join(map(str, inputs))}")
    store = pipeline.work_store(out_dir, config.work_uri)
    pipeline.save_params(store, config.params())
    if config.executor == "ray":
        from culti.executors import ray as ray_executor

        reports = ray_executor.extract_and_align(paths, store, config, align=True)
    else:
        reports = extract_inputs(paths, store, config)
        if all(r.status == FileStatus.FAILED and not r.sha256 for r in reports):
            raise NoReadableInput(len(reports))
        align_inputs(store, reports, config)
    if all(r.status == FileStatus.FAILED and not r.sha256 for r in reports):
        raise NoReadableInput(len(reports))
    return RunSummary(tuple(reports), build(out_dir, store, reports, config))


def _local(config: RunConfig) -> LocalExecutor:
    return LocalExecutor(config.extract.pool_size(os.cpu_count() or 1))


class _BookJob:
    """Worker side of the book pre-pass: open and validate, then the task (or why not)."""

    def __init__(self, config) -> None:
        self.config = config

    def __call__(self, path: Path):
        import extract
        from extract.book import book_task

        try:
            return book_task(extract.open_book(path), self.config)
        except extract.InputError as err:
            return (err.reason, err.message)


def extract_inputs(paths: Sequence[Path], store: Store, config: RunConfig) -> list[InputEntry]:
    """Given input paths, extract every book into the work store, books and pages in parallel on
    the configured executor, and return an entry per file (run.json)."""
    if config.executor == "ray":
        from culti.executors import ray as ray_executor

        return ray_executor.extract_and_align(paths, store, config, align=False)
    from tqdm import tqdm

    from culti.tasks import BookTask
    from extract.book import close_documents, extract_pages

    executor = _local(config)
    reports: dict[int, InputEntry] = {}
    tasks: list[tuple[int, BookTask]] = []
    for i, (path, task) in enumerate(zip(paths, executor.map(_BookJob(config.extract), paths), strict=True)):
        if isinstance(task, BookTask):
            tasks.append((i, task))
        elif isinstance(task, Crashed):
            reports[i] = pipeline.failed_input(path, RejectReason.CORRUPT, f"{path}: the PDF crashed the reader")
        else:
            reports[i] = pipeline.failed_input(path, *task)
    cache = pipeline.cache_store(store) if config.use_cache else None
    bar = tqdm(total=sum(t.page_count for _, t in tasks), unit="page", desc="extract",
               disable=not config.extract.progress, dynamic_ncols=True)
    page_tasks = (p for _, t in tasks for p in t.pages())  # every book's pages in one stream
    results = extract_pages(page_tasks, config.extract, executor, cache)
    try:
        for i, task in tasks:
            pages = [next(results) for _ in range(task.page_count)]
            bar.update(len(pages))
            pipeline.write_pages(store, task.sha256, pages)
            reports[i] = pipeline.input_entry(paths[i], task.sha256, task.source,
                                              [pipeline.page_entry(p) for p in pages])
    finally:
        results.close()
        bar.close()
        close_documents()
    ordered = [reports[i] for i in range(len(paths))]
    pipeline.write_run(store, ordered)
    return ordered


def align_inputs(store: Store, reports: Sequence[InputEntry], config: RunConfig) -> list:
    """Given the extracted books of a run, align each (books in parallel) and store the results."""
    shas = [r.sha256 for r in reports if r.sha256]
    if config.executor == "ray":
        from culti.executors import ray as ray_executor

        return ray_executor.align_books(shas, store, config)
    executor = LocalExecutor(min(_local(config).workers, max(1, len(shas))))
    job = pipeline.AlignJob(config.align, store)
    out = []
    for sha, result in zip(shas, executor.map(job, shas), strict=True):
        out.append(job(sha) if isinstance(result, Crashed) else result)  # a dead worker: once more here
    return out


def build(out_dir: Path, store: Store, reports: Sequence[InputEntry], config: RunConfig):
    """Given a run's stored alignments, dedupe and split over the whole corpus and write the
    dataset once (the single writer, whatever the executor)."""
    from culti.manifest import new_manifest
    from dataset import build_dataset

    manifest = new_manifest(reports, {**pipeline.load_params(store), "seed": config.build.seed})
    if config.corrections is not None:
        pairs, rejects = _corrected(store, reports, config.corrections, manifest)
    else:  # stream book by book: images are never all in memory
        pairs = (p for a in pipeline.iter_alignments(store, reports) for p in a.pairs)
        rejects = pipeline.stream_rejects(store, reports)
    return build_dataset(pairs, rejects, config.build, Path(out_dir), manifest)


def _corrected(store: Store, reports, corrections_path: Path, manifest: dict):
    import review
    from review.corrections import parse_corrections, read_corrections

    data = read_corrections(corrections_path)  # a file that cannot be read fails before any book loads
    pairs, rejects = pipeline.pairs_and_rejects(store, reports)
    known = {p.id for p in pairs} | {r.item_id for r in rejects if r.item_id}
    corrections = parse_corrections(data, known, origin=str(corrections_path))  # CorrectionError: the caller's
    pairs, rejects, applied = review.apply_corrections(pairs, rejects, corrections)
    manifest["corrections"] = {"file": str(corrections_path), "applied": list(applied)}
    return pairs, rejects
