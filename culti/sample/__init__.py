"""Sample books: silk and mural catalogues as born-digital and scanned PDFs, with a truth.json.

    from culti.sample import generate_samples
    truth_path = generate_samples(Path("data/sample"))                      # the default set
    truth_path = generate_samples(Path("data/sample"), books=1, figures=8, seed=0)  # twins

Everything is drawn procedurally from one seed (no downloads); the same seed gives byte-identical
files. See docs/readme/sample.md for what the books hold and what each truth field means.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

DOMAINS = ("silk", "mural")
KINDS = ("digital", "scanned")
FULL_BOOKS = 2  # per domain, in the --full set
FULL_FIGURES = 160  # per book, in the --full set
TRUTH_VERSION = 1
_OUR_FILES = re.compile(r"^((silk|mural)-\d{2}-(digital|scanned)|real-layouts-digital|outline-text|scan-columns"
                        r"|scan-close-figures|scan-vertical|digital-vertical|scan-photo-captions)\.pdf$")


@dataclass(frozen=True, slots=True)
class BookSpec:
    """One sample book: its domain, 1-based index (which seeds it), figure count and the PDFs made
    of it (`digital`, `scanned`: both are twins of one layout)."""

    domain: str
    index: int
    figures: int
    kinds: tuple[str, ...] = KINDS

    def __post_init__(self):
        if self.domain not in DOMAINS:
            raise ValueError(f"BookSpec.domain={self.domain!r}: use silk or mural")
        if not 1 <= self.index <= 99:
            raise ValueError(f"BookSpec.index={self.index}: must be 1..99")
        if not 1 <= self.figures <= 2000:
            raise ValueError(f"figures per book must be 1..2000, got {self.figures}")
        if not self.kinds or not set(self.kinds) <= set(KINDS):
            raise ValueError(f"BookSpec.kinds={self.kinds}: use digital and/or scanned")


# The default set, sized for a first run (`make dataset` in a few minutes on 2 cores): four long
# born-digital books (every layout, label style and image kind; ~640 rows, so >= 120 test rows)
# and two short scanned books with figures of their own (a scan of a digital book would be OCRed
# only to be thrown away by dedupe). Add a BookSpec here to put a new layout into the default run.
DEFAULT_SET: tuple[BookSpec, ...] = (
    BookSpec("silk", 1, 160, ("digital",)),
    BookSpec("mural", 1, 160, ("digital",)),
    BookSpec("silk", 2, 160, ("digital",)),
    BookSpec("mural", 2, 160, ("digital",)),
    BookSpec("silk", 3, 30, ("scanned",)),
    BookSpec("mural", 3, 30, ("scanned",)),
)


def twin_set(books: int = FULL_BOOKS, figures: int = FULL_FIGURES) -> tuple[BookSpec, ...]:
    """Given books per domain and figures per book, return that many books, each digital and scanned."""
    if not 1 <= books <= 99:
        raise ValueError(f"books per domain must be 1..99, got {books}")
    return tuple(BookSpec(domain, i, figures) for i in range(1, books + 1) for domain in DOMAINS)


def sample_set(books: int | None = None, figures: int | None = None, full: bool = False) -> tuple[BookSpec, ...]:
    """Given the `culti sample` flags, return the books to write: DEFAULT_SET when none is given,
    the long twin set with `full` (2 books per domain x 160 figures, each digital and scanned),
    else `books` per domain x `figures` each as digital + scanned twins."""
    if books is None and figures is None and not full:
        return DEFAULT_SET
    return twin_set(books or FULL_BOOKS, figures or FULL_FIGURES)


def generate_samples(out_dir: Path, books: int | None = None, figures: int | None = None, seed: int = 0,
                     progress: bool = True, full: bool = False,
                     specs: tuple[BookSpec, ...] | None = None) -> Path:
    """Given an output folder, write the sample books (see `sample_set`, or `specs`) and return
    the path of their truth.json."""
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    # the default set also carries the real-layout and OCR cases (issues 11, 12), one short book each
    extras = specs is None and books is None and figures is None and not full
    specs = specs if specs is not None else sample_set(books, figures, full)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = [(spec, seed, str(out_dir)) for spec in specs]
    start = time.perf_counter()
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1 and sum(s.figures for s in specs) > 60:
        from culti.executors import Crashed, LocalExecutor

        results = list(LocalExecutor(workers).map(_build_book, jobs))
        if any(isinstance(r, Crashed) for r in results):
            raise RuntimeError("sample: a book-drawing worker died; run again")
    else:
        results = [_build_book(job) for job in jobs]
    if extras:
        results.extend(_write_case_books(out_dir, seed))
    keep = set()
    for entries, seconds in results:
        keep.update(e["file"] for e in entries)
        if progress:
            e = entries[0]
            print(f"sample: {e['book_id']} ({'+'.join(x['kind'] for x in entries)}) {e['page_count']} pages, "
                  f"{len(e['figures'])} figures ({seconds:.1f} s)", file=sys.stderr)
    for stale in out_dir.iterdir():  # books of an earlier, larger run would be read as inputs
        if _OUR_FILES.match(stale.name) and stale.name not in keep:
            stale.unlink()
    truth = {"version": 2 if extras else TRUTH_VERSION, "seed": seed, "books": [e for entries, _ in results for e in entries]}
    path = out_dir / "truth.json"
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if progress:
        total = sum(len(e["figures"]) for e in truth["books"])
        print(f"sample: {len(truth['books'])} PDFs, {total} figure instances in "
              f"{time.perf_counter() - start:.1f} s -> {out_dir}", file=sys.stderr)
    return path


def _write_case_books(out_dir: Path, seed: int) -> list[tuple[list[dict], float]]:
    """Write the real-layouts book and the OCR cases into out_dir; return their truth entries
    (version 2 fields: `not_figures`, empty labels and descriptions) as _build_book does."""
    from culti.sample import ocr_cases
    from culti.sample.real_layouts import write_real_layouts

    start = time.perf_counter()
    _, real = write_real_layouts(out_dir, seed=seed)
    (out_dir / "real-layouts-truth.json").unlink()  # its entry goes into the set's truth.json
    results = [([real], time.perf_counter() - start)]
    for case in ocr_cases.all_cases():
        start = time.perf_counter()
        results.append(([ocr_cases.write_case(case, out_dir, seed)], time.perf_counter() - start))
    return results


def _build_book(job: tuple[BookSpec, int, str]) -> tuple[list[dict], float]:
    """Plan, lay out, write and (when asked) scan one book; return its truth entries, digital first."""
    import cv2
    import numpy as np

    from culti.sample.book import plan_book
    from culti.sample.layout import compose
    from culti.sample.scan import scan_pdf
    from culti.sample.truth import book_truth
    from culti.sample.writer import write_digital

    cv2.setNumThreads(1)  # books run in parallel already
    spec, seed, out_dir = job
    start = time.perf_counter()
    plan = plan_book(spec.domain, spec.index, spec.figures, seed)
    layout = compose(plan, np.random.default_rng([seed, DOMAINS.index(spec.domain), spec.index, 1]))
    digital = write_digital(layout, plan.page_size)
    entries = []
    if "digital" in spec.kinds:
        Path(out_dir, f"{plan.book_id}-digital.pdf").write_bytes(digital)
        entries.append(book_truth(plan, layout, "digital", None))
    if "scanned" in spec.kinds:
        scanned, warps = scan_pdf(digital, plan.dpi, seed * 1000 + DOMAINS.index(spec.domain) * 100 + spec.index)
        Path(out_dir, f"{plan.book_id}-scanned.pdf").write_bytes(scanned)
        entries.append(book_truth(plan, layout, "scanned", warps))
    return entries, time.perf_counter() - start
