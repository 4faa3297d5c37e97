"""Sample books: silk and mural catalogues as born-digital and scanned PDFs, with a truth.json.

    from culti.sample import generate_samples
    truth_path = generate_samples(Path("data/sample"), books=1, figures=8, seed=0)

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
DEFAULT_BOOKS = 2  # per domain
DEFAULT_FIGURES = 160  # per book
TRUTH_VERSION = 1
_OUR_FILES = re.compile(r"^(silk|mural)-\d{2}-(digital|scanned)\.pdf$")


@dataclass(frozen=True, slots=True)
class SampleConfig:
    books: int = DEFAULT_BOOKS
    figures: int = DEFAULT_FIGURES
    seed: int = 0

    def __post_init__(self):
        if not 1 <= self.books <= 99:
            raise ValueError(f"books per domain must be 1..99, got {self.books}")
        if not 1 <= self.figures <= 2000:
            raise ValueError(f"figures per book must be 1..2000, got {self.figures}")
        if self.seed < 0:
            raise ValueError(f"seed must be >= 0, got {self.seed}")


def generate_samples(out_dir: Path, books: int | None = None, figures: int | None = None, seed: int = 0,
                     progress: bool = True) -> Path:
    """Given an output folder, write `books` silk and mural books (each digital and scanned) with
    `figures` figures each, and return the path of their truth.json."""
    config = SampleConfig(books or DEFAULT_BOOKS, figures or DEFAULT_FIGURES, seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = [(domain, i, config.figures, config.seed, str(out_dir))
            for i in range(1, config.books + 1) for domain in DOMAINS]
    start = time.perf_counter()
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1 and len(jobs) * config.figures > 60:
        from culti.executors import Crashed, LocalExecutor

        results = list(LocalExecutor(workers).map(_build_book, jobs))
        if any(isinstance(r, Crashed) for r in results):
            raise RuntimeError("sample: a book-drawing worker died; run again")
    else:
        results = [_build_book(job) for job in jobs]
    keep = set()
    for digital, scanned, seconds in results:
        keep.update({digital["file"], scanned["file"]})
        if progress:
            print(f"sample: {digital['book_id']} {digital['page_count']} pages, {len(digital['figures'])} figures "
                  f"({seconds:.1f} s)", file=sys.stderr)
    for stale in out_dir.iterdir():  # books of an earlier, larger run would be read as inputs
        if _OUR_FILES.match(stale.name) and stale.name not in keep:
            stale.unlink()
    truth = {"version": TRUTH_VERSION, "seed": config.seed,
             "books": [book for digital, scanned, _ in results for book in (digital, scanned)]}
    path = out_dir / "truth.json"
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if progress:
        total = sum(len(d["figures"]) for d, _, _ in results)
        print(f"sample: {len(results)} books x 2 kinds, {total} figures in {time.perf_counter() - start:.1f} s "
              f"-> {out_dir}", file=sys.stderr)
    return path


def _build_book(job: tuple[str, int, int, int, str]) -> tuple[dict, dict, float]:
    """Plan, lay out, write and scan one book; return its digital and scanned truth entries."""
    import cv2
    import numpy as np

    from culti.sample.book import plan_book
    from culti.sample.layout import compose
    from culti.sample.scan import scan_pdf
    from culti.sample.truth import book_truth

    cv2.setNumThreads(1)  # books run in parallel already
    domain, index, figures, seed, out_dir = job
    start = time.perf_counter()
    plan = plan_book(domain, index, figures, seed)
    layout = compose(plan, np.random.default_rng([seed, DOMAINS.index(domain), index, 1]))
    from culti.sample.writer import write_digital

    digital = write_digital(layout, plan.page_size)
    scanned, warps = scan_pdf(digital, plan.dpi, seed * 1000 + DOMAINS.index(domain) * 100 + index)
    Path(out_dir, f"{plan.book_id}-digital.pdf").write_bytes(digital)
    Path(out_dir, f"{plan.book_id}-scanned.pdf").write_bytes(scanned)
    return (book_truth(plan, layout, "digital", None), book_truth(plan, layout, "scanned", warps),
            time.perf_counter() - start)
