"""Benchmark the extract stage against its floors, and score its raw output on sample books.

    .venv/bin/python benchmarks/bench_extract.py [--sample DIR] [--pages N] [--big-pages 300]

Prints, measured in one run on this machine:
  digital: extract time / PyMuPDF floor (open each page, text dict, extract its images)
  scanned: extract time / rapidocr over each whole rendered page; 2-worker speed-up
  outline: extract time / rapidocr over each whole page rendered at render_dpi, on the generated
           outline-text book (culti.sample.ocr_cases: words drawn as glyph paths)
  big:     peak RSS (main process + workers) extracting a long scanned book made by repeating
           sample pages
  quality: figure recall / precision / IoU and caption exact rate per sample book
Sample books come from data/sample (or are generated into a temp folder when absent).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pymupdf  # noqa: E402

from culti.evaluate import page_rows  # noqa: E402
from culti.scoring import captions_read, score_books, truth_books  # noqa: E402
from extract import ExtractConfig, extract_book, open_book  # noqa: E402


def sample_dir(arg: Path | None) -> Path:
    """Return a folder with truth.json: the given one, data/sample, or a fresh small set."""
    for cand in (arg, ROOT / "data" / "sample"):
        if cand is not None and (cand / "truth.json").exists():
            return cand
    out = Path(tempfile.mkdtemp(prefix="culti-bench-"))
    from culti.sample import generate_samples

    generate_samples(out, books=1, figures=12, seed=0, progress=False)
    return out


def pymupdf_floor(path: Path) -> float:
    """Seconds for PyMuPDF alone: open each page, read its text dict, extract its images."""
    start = time.perf_counter()
    with pymupdf.open(path) as doc:
        for page in doc:
            page.get_text("dict")
            for item in page.get_images(full=True):
                doc.extract_image(item[0])
    return time.perf_counter() - start


def interleaved_scanned(path: Path, pages: list[int], dpi: int | None = None
                        ) -> tuple[float, float]:
    """Seconds for (rapidocr over each whole page, extract of that page in-process), timed page
    by page alternately so that both see the same load on a shared machine. The page is
    rendered at `dpi`, or by default at the native resolution of its largest image (the scan)."""
    from rapidocr import RapidOCR

    from extract.book import book_task, close_documents, compute_page
    from extract.engines import quiet_engine_logs
    from extract.images import pixmap_array

    quiet_engine_logs()
    ort = "EngineConfig.onnxruntime"
    ocr = RapidOCR(params={"Global.log_level": "error", f"{ort}.intra_op_num_threads": 1,
                           f"{ort}.inter_op_num_threads": 1})
    config = ExtractConfig(workers=1, progress=False)
    task = book_task(open_book(path), config)
    compute_page(task.pages()[pages[0] - 1], config)  # engines loaded once, outside the timing
    ocr(pixmap_array(pymupdf.open(path)[0].get_pixmap(dpi=72)))
    base = ours = 0.0
    with pymupdf.open(path) as doc:
        for n in pages:
            page = doc[n - 1]
            infos = page.get_image_info()
            if dpi is None and infos:
                info = max(infos, key=lambda i: i["width"] * i["height"])
                page_dpi = 72 * info["width"] / page.rect.width
            else:  # a page with no scan image (outline text) is rendered as extract renders it
                page_dpi = dpi or config.render_dpi
            start = time.perf_counter()
            ocr(pixmap_array(page.get_pixmap(dpi=int(page_dpi), alpha=False)))
            mid = time.perf_counter()
            compute_page(task.pages()[n - 1], config)
            base, ours = base + mid - start, ours + time.perf_counter() - mid
    close_documents()
    return base, ours


def timed_extract(path: Path, config: ExtractConfig, pages: int | None = None) -> tuple[float, list]:
    book = open_book(path)
    start = time.perf_counter()
    out = []
    for page in extract_book(book, config):
        out.append(page)
        if pages and len(out) >= pages:
            break
    return time.perf_counter() - start, out


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (from /proc)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total / 1024


def big_book(src: Path, pages: int, out: Path) -> Path:
    """A long scanned book: the sample scanned pages repeated until `pages` pages."""
    with pymupdf.open(src) as doc, pymupdf.open() as big:
        while big.page_count < pages:
            take = min(doc.page_count, pages - big.page_count)
            big.insert_pdf(doc, to_page=take - 1)
        big.save(out)  # no garbage collection: each copy keeps its own image objects
    return out


def peak_rss(path: Path, workers: int) -> tuple[list[float], float, int]:
    """Run extract on `path` in a child process; return (tree RSS samples in MB, one per half
    second, seconds, pages): flat samples mean memory does not grow with book length."""
    code = ("import sys; from pathlib import Path; from extract import *; "
            f"n = sum(1 for _ in extract_book(open_book(Path({str(path)!r})), "
            f"ExtractConfig(workers={workers}, progress=False))); print(n)")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE)
    samples: list[float] = []
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            samples.append(tree_rss_mb(proc.pid))
            time.sleep(0.5)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    out, _ = proc.communicate()
    done.set()
    thread.join()
    return samples, time.perf_counter() - start, int(out.decode().strip() or 0)


def quality(truth_book: dict, pages: list) -> dict:
    """Given one book's truth.json entry and its PageExtracts, return figure recall, precision and
    mean IoU (the scoring core, figures only) and the share of captions read whole into one block."""
    (book,) = truth_books({"version": 1, "books": [truth_book]})
    s = score_books([book], {book.file: page_rows(pages)})["overall"]
    n, read = captions_read(book, {p.page: [b.text for b in p.blocks] for p in pages})
    return {k: s[k] for k in ("figures_truth", "figures_found", "figure_recall", "figure_precision",
                              "figure_recall_iou80", "mean_iou")} | {"caption_read_rate": read / n if n else 1.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=Path, default=None)
    parser.add_argument("--pages", type=int, default=0, help="scanned pages to time (0 = all)")
    parser.add_argument("--big-pages", type=int, default=0, help="pages of the RSS test book")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--outline", action="store_true",
                        help="time the generated outline-text book against rapidocr")
    parser.add_argument("--skip-sample", action="store_true", help="only --outline / --big-pages")
    args = parser.parse_args()
    sample = sample_dir(args.sample)
    truth = json.loads((sample / "truth.json").read_text(encoding="utf-8"))
    results: dict = {"machine": f"{os.cpu_count()} cores", "books": {}}
    one = ExtractConfig(workers=1, progress=False)
    two = ExtractConfig(workers=2, progress=False)
    for tb in [] if args.skip_sample else truth["books"]:
        path = sample / tb["file"]
        row: dict = {"pages": tb["page_count"], "kind": tb["kind"]}
        if tb["kind"] == "digital":
            row["floor_s"] = min(pymupdf_floor(path) for _ in range(3))
            row["extract_s"], pages = min((timed_extract(path, one) for _ in range(3)),
                                          key=lambda r: r[0])
            row["ratio_vs_floor"] = row["extract_s"] / row["floor_s"]
        else:
            n = args.pages or tb["page_count"]
            row["timed_pages"] = n
            row["rapidocr_s"], row["extract_pages_s"] = interleaved_scanned(
                path, list(range(1, n + 1)))
            row["ratio_vs_rapidocr"] = row["extract_pages_s"] / row["rapidocr_s"]
            timed_extract(path, one, 1)  # load the engines once, as a worker does
            row["extract_1w_s"], pages = timed_extract(path, one, n)
            row["extract_2w_s"], _ = timed_extract(path, two, n)
            row["speedup_2w"] = row["extract_1w_s"] / row["extract_2w_s"]
            if n < tb["page_count"]:
                _, pages = timed_extract(path, two)
        row["quality"] = quality(tb, pages)
        results["books"][tb["file"]] = row
        print(tb["file"], json.dumps({k: round(v, 3) if isinstance(v, float) else v
                                      for k, v in row.items() if k != "quality"}), flush=True)
        print("   quality", json.dumps({k: round(v, 3) if isinstance(v, float) else v
                                         for k, v in row["quality"].items()}),
              flush=True)
    if args.outline:
        from culti.sample.ocr_cases import outline_case, write_case

        with tempfile.TemporaryDirectory() as tmp:
            tb = write_case(outline_case(), Path(tmp))
            path = Path(tmp) / tb["file"]
            base, ours = interleaved_scanned(path, list(range(1, tb["page_count"] + 1)),
                                             dpi=one.render_dpi)
        results["outline"] = {"pages": tb["page_count"], "rapidocr_s": round(base, 3),
                              "extract_pages_s": round(ours, 3),
                              "ratio_vs_rapidocr": round(ours / base, 3)}
        print("outline-text", json.dumps(results["outline"]), flush=True)
    if args.big_pages:
        scanned = next(sample / b["file"] for b in truth["books"] if b["kind"] == "scanned")
        with tempfile.TemporaryDirectory() as tmp:
            big = big_book(scanned, args.big_pages, Path(tmp) / "big.pdf")
            samples, secs, n = peak_rss(big, workers=2)
        half = len(samples) // 2
        results["big"] = {"pages": n, "workers": 2, "seconds": round(secs, 1),
                          "peak_rss_mb": round(max(samples), 1),
                          "peak_first_half_mb": round(max(samples[:half] or [0]), 1),
                          "peak_second_half_mb": round(max(samples[half:] or [0]), 1)}
        print("big scanned book", json.dumps(results["big"]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
