"""Score align on the sample books: extract -> align -> score_alignment, per book and per kind.

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
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align import AlignConfig, align_book  # noqa: E402
from align.evaluate import score_alignment  # noqa: E402


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
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    sample = Path(args.sample)
    truth = json.loads((sample / "truth.json").read_text())
    wanted = {b for b in args.books.split(",") if b}
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for book in truth["books"]:
        if (wanted and book["book_id"] not in wanted) or (args.kind and book["kind"] != args.kind):
            continue
        t0 = time.perf_counter()
        pages = extract_pages(sample / book["file"], Path(args.cache))
        t1 = time.perf_counter()
        al = align_book(pages, AlignConfig())
        t2 = time.perf_counter()
        s = score_alignment(book, al)
        print(f"{book['file']:28s} figs={s['figures']:3d} matched={s['matched_figures']:3d} "
              f"pairing={s['pairing_accuracy']:.3f} coverage={s['description_coverage']:.3f} "
              f"(found figs {s['description_coverage_matched']:.3f}) "
              f"bleed={s['bleed_rows']} extract={t1 - t0:.1f}s align={t2 - t1:.2f}s rejects={s['rejects']}")
        if args.verbose and s["wrong"]:
            print("   wrong:", s["wrong"][:20])
        if args.verbose and s["low_coverage"]:
            print("   low coverage:", s["low_coverage"][:20])
        if args.verbose and s["bleeding"]:
            print("   bleeding:", s["bleeding"][:20])
        k = totals[book["kind"]]
        k["figures"] += s["figures"]
        k["correct"] += s["paired_correctly"]
        k["cov"] += s["description_coverage"] * s["figures"]
        k["bleed"] += s["bleed_rows"]
    for kind, k in sorted(totals.items()):
        n = k["figures"] or 1
        print(f"{kind:9s} figures={int(k['figures'])} pairing_accuracy={k['correct'] / n:.4f} "
              f"description_coverage={k['cov'] / n:.4f} bleed_rows={int(k['bleed'])}")


if __name__ == "__main__":
    main()
