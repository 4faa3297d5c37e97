"""culti against pymupdf4llm's layout mode on the real-document corpus, scored by one core.

    .venv/bin/python benchmarks/bench_real.py [--pdfs DIR] [--truth FILE] [--workers N]
        [--books a.pdf,b.pdf] [--max-pages N] [--json FILE]

Books marked "rendered" in truth.json (born-digital pages rendered and degraded here, not real
scans) are scored under their own page kind, `rendered-scan`, beside `scanned`, and culti runs
them in a dataset of their own (`culti-rendered`): next to the born-digital file they were rendered
from, dedupe would drop them as the scanned twin they are.
Without --pdfs the corpus is restored first (benchmarks/real_corpus/restore.py into
benchmarks/real_corpus/pdfs; files it cannot fetch are skipped and named). Books with a `pages`
list in truth.json (or cut by --max-pages) are run on a copy holding only those pages, truth
renumbered to match, so both systems see the same smaller files. Then, in one run, on the same
files: culti's whole pipeline (extract, align, build: as `culti dataset` does) into a temporary
dataset folder, and the baseline; both are scored with culti.scoring and printed as tables
(overall, per page kind, per file) with pages/s.

The baseline: `pymupdf4llm.to_json(doc)` with its defaults (layout mode: PyMuPDF's layout model,
OCR of image-only pages with the OCR engine it finds). Every box it classes `picture` is a found
figure; its caption is the text of the nearest box classed `caption` on the same page (shortest
box-to-box distance; none when the page has no caption box); it gives no description.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from culti.evaluate import dataset_rows, format_files, format_scores  # noqa: E402
from culti.geometry import box_gap  # noqa: E402
from culti.scoring import FoundRow, score_books, truth_books  # noqa: E402

CORPUS = ROOT / "benchmarks" / "real_corpus"
SYSTEMS = ("culti", "pymupdf4llm")
RENDERED_KIND = "rendered-scan"  # the page kind rendered-scan books (truth "rendered": true) are scored as
OUTLINED_KIND = "outlined-text"  # ... and outlined twins (truth "outlined": true)
DERIVED_RUNS = {RENDERED_KIND: "culti-rendered", OUTLINED_KIND: "culti-outlined"}


def restore(dest: Path) -> None:
    """Run the corpus's restore script into dest, echoing what it fetched and what it skipped."""
    script = CORPUS / "restore.py"
    if not script.exists():
        sys.exit(f"bench_real: {script} not found: pass --pdfs DIR with the corpus PDFs")
    proc = subprocess.run([sys.executable, str(script), "--dest", str(dest)], capture_output=True, text=True)
    print(proc.stdout.rstrip() or proc.stderr.rstrip(), flush=True)


def page_subset(book: dict, max_pages: int) -> list[int] | None:
    """Given a truth book, return the pages to run (its `pages`, or the first max_pages), None for all."""
    if book.get("pages"):
        return sorted(int(p) for p in book["pages"])
    count = int(book.get("page_count") or 0)
    if max_pages and (not count or count > max_pages):
        return list(range(1, max_pages + 1))
    return None


def cut_book(book: dict, pages: list[int], src: Path, dst: Path) -> dict:
    """Write a PDF of `pages` of src to dst; return the truth entry renumbered to it."""
    import pymupdf

    with pymupdf.open(src) as doc, pymupdf.open() as out:
        pages = [p for p in pages if p <= doc.page_count]
        for p in pages:
            out.insert_pdf(doc, from_page=p - 1, to_page=p - 1)
        out.save(dst)
    new = {p: i + 1 for i, p in enumerate(pages)}

    def moved(items: list[dict]) -> list[dict]:
        out_items = []
        for item in items:
            if item["page"] in new:
                cp = item.get("caption_page")
                out_items.append({**item, "page": new[item["page"]],
                                  **({"caption_page": new.get(cp)} if "caption_page" in item else {})})
        return out_items

    return {**book, "pages": None, "page_count": len(pages),
            "page_kinds": {str(new[int(p)]): k for p, k in (book.get("page_kinds") or {}).items() if int(p) in new},
            "figures": moved(book.get("figures", [])), "not_figures": moved(book.get("not_figures", [])),
            "neutral": moved(book.get("neutral", [])), "ornaments": moved(book.get("ornaments", []))}


def prepare(truth: dict, pdfs: Path, work: Path, only: set[str], max_pages: int) -> tuple[dict, list[Path], int]:
    """Return (the truth of the files to run, their paths, total pages); say what is skipped."""
    import pymupdf

    books, paths, n_pages = [], [], 0
    for book in truth["books"]:
        src = pdfs / book["file"]
        if only and book["file"] not in only:
            continue
        if not src.exists():
            print(f"skipped {book['file']}: not restored (not in {pdfs})", flush=True)
            continue
        if book.get("rendered"):  # renders of born-digital pages, not scans: scored in their own column
            book = {**book, "kind": RENDERED_KIND}
        elif book.get("outlined"):  # born-digital pages with the text outlined here: the same
            book = {**book, "kind": OUTLINED_KIND}
        pages = page_subset(book, max_pages)
        if pages:
            book = cut_book(book, pages, src, work / book["file"])
            src = work / book["file"]
        with pymupdf.open(src) as doc:
            n_pages += doc.page_count
        books.append(book)
        paths.append(src)
    return {**truth, "books": books}, paths, n_pages


def culti_runs(truth: dict, paths: list[Path]) -> dict[str, list[Path]]:
    """Given the prepared truth and the paths to run, return them grouped by culti dataset: a
    rendered or outlined file is a twin of a corpus file, and in one run with it dedupe would
    drop it as the copy it is, so each kind of twin runs on its own."""
    run_of = {b["file"]: DERIVED_RUNS.get(b["kind"], "culti") for b in truth["books"]}
    return {name: [p for p in paths if run_of[p.name] == name]
            for name in ("culti", *DERIVED_RUNS.values())}


def run_culti(paths: list[Path], out: Path, workers: int) -> None:
    """Run culti's pipeline on paths into out, as `culti dataset` does."""
    from culti import commands
    from culti.cli import build_parser

    args = build_parser().parse_args(["dataset", *map(str, paths), "--out", str(out), "--workers",
                                      str(workers), "--no-progress"])
    commands.run(args)


@contextlib.contextmanager
def _quiet():
    """Silence stdout and stderr at the file-descriptor level (the parser prints per-page OCR notes)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 1)
        os.dup2(null.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


def _text(box: dict) -> str:
    return "\n".join("".join(s["text"] for s in line["spans"]) for line in box.get("textlines") or [])


def pymupdf4llm_rows(path: Path) -> list[FoundRow]:
    """Given a PDF, return pymupdf4llm's pictures as found rows, each with its nearest caption's text."""
    import pymupdf
    import pymupdf4llm

    with pymupdf.open(path) as doc, _quiet():
        parsed = json.loads(pymupdf4llm.to_json(doc))
    rows = []
    for page in parsed["pages"]:
        boxes = [((b["x0"], b["y0"], b["x1"], b["y1"]), b) for b in page["boxes"]]
        captions = [(box, b) for box, b in boxes if b["boxclass"] == "caption"]
        for box, b in boxes:
            if b["boxclass"] != "picture":
                continue
            near = min(captions, key=lambda c, box=box: box_gap(box, c[0]), default=None)
            rows.append(FoundRow(int(page["page_number"]), box, caption=_text(near[1]) if near else ""))
    return rows


def run_baseline(paths: list[Path]) -> tuple[dict[str, list[FoundRow]], float]:
    """Run the baseline on every path; return its rows per file name and its wall seconds."""
    start = time.perf_counter()
    found = {p.name: pymupdf4llm_rows(p) for p in paths}
    return found, time.perf_counter() - start


def layout_mode_on() -> bool:
    import pymupdf4llm

    return bool(getattr(pymupdf4llm, "_use_layout", False))


def report(name: str, scores: dict, seconds: float, n_pages: int) -> None:
    """Print one system's tables as soon as it is scored."""
    print(f"\n## {name}: {n_pages} pages in {seconds:.1f} s = {n_pages / seconds:.2f} pages/s\n")
    print(format_scores(scores))
    print()
    print(format_files(scores["by_file"]), flush=True)


def side_by_side(scores: dict[str, dict]) -> str:
    """Given each system's scores, return one table: metric x (system, scope)."""
    scopes = ["overall", *sorted({k for s in scores.values() for k in s["by_kind"]})]
    cols = [(name, scope) for scope in scopes for name in scores]
    lines = ["| metric | " + " | ".join(f"{n} {s}" for n, s in cols) + " |", "|---|" + "---|" * len(cols)]

    def metrics(name: str, scope: str) -> dict:
        s = scores[name]
        return s["overall"] if scope == "overall" else s["by_kind"].get(scope, {})

    for key in next(iter(scores.values()))["overall"]:
        cells = [metrics(n, s).get(key) for n, s in cols]
        lines.append(f"| {key} | " + " | ".join("n/a" if c is None else str(c) for c in cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pdfs", type=Path, default=None, help="corpus PDFs (default: restore them first)")
    parser.add_argument("--truth", type=Path, default=CORPUS / "truth.json")
    parser.add_argument("--workers", type=int, default=1, help="culti's page workers (default 1, as the baseline)")
    parser.add_argument("--books", default="", help="comma-separated file names to run (default: all)")
    parser.add_argument("--max-pages", type=int, default=0, help="run at most the first N pages of a book without `pages`")
    parser.add_argument("--json", type=Path, default=None, help="also write both systems' scores here")
    parser.add_argument("--parallel", action="store_true",
                        help="run the baseline in a second process at the same time as culti")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep culti's datasets (DIR/culti, DIR/culti-rendered, DIR/culti-outlined) and the truth they were "
                             "scored on (then: culti evaluate DIR/culti --truth DIR/truth.json --misses)")
    parser.add_argument("--no-baseline", action="store_true", help="run culti only")
    args = parser.parse_args()
    if not args.truth.exists():
        sys.exit(f"bench_real: truth file {args.truth} not found: pass --truth FILE")
    if not args.no_baseline and not layout_mode_on():
        sys.exit("bench_real: pymupdf4llm's layout mode is off: pip install pymupdf-layout (pymupdf >= 2 has it built in)")
    pdfs = args.pdfs
    if pdfs is None:
        pdfs = CORPUS / "pdfs"
        restore(pdfs)
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    only = {b for b in args.books.split(",") if b}
    with tempfile.TemporaryDirectory(prefix="culti-bench-real-") as tmp:
        work = Path(tmp)
        if args.keep:
            work = args.keep
            work.mkdir(parents=True, exist_ok=True)
        truth, paths, n_pages = prepare(truth, pdfs, work, only, args.max_pages)
        if not paths:
            sys.exit("bench_real: no corpus file to run")
        (work / "truth.json").write_text(json.dumps(truth, ensure_ascii=False))
        books = truth_books(truth)
        files = [p.name for p in paths]
        print(f"{len(paths)} files, {n_pages} pages; machine: {platform.machine()}, {os.cpu_count()} cores; "
              f"culti workers {args.workers}", flush=True)
        seconds, scores = {}, {}
        pool = None
        if args.parallel and not args.no_baseline:  # the baseline in a second process while culti runs in this one
            from concurrent.futures import ProcessPoolExecutor

            pool = ProcessPoolExecutor(1)
            baseline = pool.submit(run_baseline, paths)
        start = time.perf_counter()
        runs = culti_runs(truth, paths)
        found_culti: dict[str, list[FoundRow]] = {}
        for name, run_paths in runs.items():
            if run_paths:
                run_culti(run_paths, work / name, args.workers)
                found_culti.update(dataset_rows(work / name))
        seconds["culti"] = time.perf_counter() - start
        scores["culti"] = score_books(books, found_culti, files)
        report("culti", scores["culti"], seconds["culti"], n_pages)
        if not args.no_baseline:
            found, seconds["pymupdf4llm"] = baseline.result() if pool else run_baseline(paths)
            if pool:
                pool.shutdown()
            scores["pymupdf4llm"] = score_books(books, found, files)
            report("pymupdf4llm", scores["pymupdf4llm"], seconds["pymupdf4llm"], n_pages)
    print("\n## side by side\n")
    print(side_by_side(scores))
    print("\n| system | pages | seconds | pages/s |\n|---|---|---|---|")
    for name in scores:
        print(f"| {name} | {n_pages} | {seconds[name]:.1f} | {n_pages / seconds[name]:.2f} |")
    if args.json:
        args.json.write_text(json.dumps({"pages": n_pages, "files": files, "seconds": seconds,
                                         "scores": scores}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
