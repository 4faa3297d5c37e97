"""Score align on the sample books: extract -> align -> the scoring core, per book and per kind.

usage: .venv/bin/python benchmarks/bench_align.py [SAMPLE_DIR] [--books silk-01,mural-02] [--cache DIR]
Extract's pages are pickled in --cache (default /tmp/culti-bench-align) so align can be re-scored
without re-running OCR.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align import AlignConfig, align_book  # noqa: E402
from culti.evaluate import alignment_rows, format_scores  # noqa: E402
from culti.scoring import score_books, truth_books  # noqa: E402


def extract_pages(pdf: Path, cache: Path) -> list:
    """Given a sample PDF, return its PageExtracts (from the pickle cache when present)."""
    out = cache / (pdf.name + ".pages.pkl")
    if out.exists():
        return pickle.loads(out.read_bytes())
    from extract import ExtractConfig, extract_book, open_book

    pages = list(extract_book(open_book(pdf), ExtractConfig(workers=1, progress=False)))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pickle.dumps(pages))
    return pages


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sample", nargs="?", default=str(ROOT / "data" / "sample"))
    ap.add_argument("--books", default="")
    ap.add_argument("--cache", default="/tmp/culti-bench-align")
    ap.add_argument("--kind", default="", help="digital or scanned: only books of that kind")
    args = ap.parse_args()
    sample = Path(args.sample)
    truth = json.loads((sample / "truth.json").read_text())
    wanted = {b for b in args.books.split(",") if b}
    books = {b.file: b for b in truth_books(truth)}
    found = {}
    for book in truth["books"]:
        if (wanted and book["book_id"] not in wanted) or (args.kind and book["kind"] != args.kind):
            continue
        t0 = time.perf_counter()
        pages = extract_pages(sample / book["file"], Path(args.cache))
        t1 = time.perf_counter()
        al = align_book(pages, AlignConfig())
        t2 = time.perf_counter()
        found[book["file"]] = alignment_rows(al)
        s = score_books([books[book["file"]]], found)["overall"]
        rejects = dict(sorted(Counter(r.reason.value for r in al.rejects).items()))
        print(f"{book['file']:28s} figs={s['figures_truth']:3d} recall={s['figure_recall']} "
              f"caption={s['caption_exact']} pairing={s['pairing_accuracy']} "
              f"coverage={s['description_coverage']} precision={s['description_precision']} "
              f"bleed={s['rows_bleeding']} extract={t1 - t0:.1f}s align={t2 - t1:.2f}s rejects={rejects}")
    print(format_scores(score_books(list(books.values()), found)))

if __name__ == "__main__":
    main()
