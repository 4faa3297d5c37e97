"""Dedupe, crop-of and split quality on the sample books, scored against truth.json.

Figures are cut from the PDFs at the truth boxes (born-digital at 150 dpi, scanned at 200 dpi) with
the truth captions and descriptions, so this measures the dataset stage alone, not extract/align.
Twin dedupe needs scanned twins of the born-digital books: run it on the long set
(`culti sample --full --out data/sample-full`); the default set has no twins.

    .venv/bin/python benchmarks/bench_dataset_sample.py [data/sample-full] [--out /tmp/culti-sample-ds]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pymupdf  # noqa: E402

import dataset  # noqa: E402
from culti.records import Domain, Figure, FigureOrigin, Pair, TextOrigin  # noqa: E402


def _pairs(root: Path, truth: dict, keys: dict):
    for book in truth["books"]:
        path = root / book["file"]
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        doc = pymupdf.open(path)
        dpi = 150 if book["kind"] == "digital" else 200
        for k, f in enumerate(book["figures"]):
            pix = doc[f["page"] - 1].get_pixmap(clip=pymupdf.Rect(*f["bbox"]), dpi=dpi)
            fig = Figure(book["file"], sha, f["page"], k % 100, tuple(f["bbox"]), pix.tobytes("jpeg"), "jpeg",
                         pix.width, pix.height, FigureOrigin.RENDERED)
            keys[fig.id] = (book["kind"], f["key"], f["crop_of"])
            yield Pair(fig, f["caption"], f["label"], f["title"], f["description"],
                       TextOrigin.PDF if book["kind"] == "digital" else TextOrigin.OCR, Domain(book["domain"]),
                       0.9, group_hint=f["composite"], caption_page=f["caption_page"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sample", type=Path, nargs="?", default=Path("data/sample"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/culti-sample-ds"))
    args = parser.parse_args()
    truth = json.loads((args.sample / "truth.json").read_text())
    keys: dict[str, tuple] = {}
    t0 = time.perf_counter()
    summary = dataset.build_dataset(_pairs(args.sample, truth, keys), [], dataset.BuildConfig(), args.out, {})
    print(f"build {time.perf_counter() - t0:.1f} s {summary.seconds}")
    rows = dataset.load(args.out, format="arrow").to_pylist()
    rejects = dataset.load(args.out, "rejects", "arrow").to_pylist()
    wrong = [r for r in rejects if keys[r["id"]][1] != keys[r["duplicate_of"]][1]]
    copies = Counter(keys[r["id"]][1] for r in rows)
    figures = {f["key"] for b in truth["books"] for f in b["figures"]}
    print(f"figures {len(keys)} ({len(figures)} distinct) -> rows {len(rows)} {summary.split_counts}")
    print(f"dropped {len(rejects)} {summary.dedupe_counts}; merged with another figure: {len(wrong)} "
          f"{sorted({(keys[r['id']][1], keys[r['duplicate_of']][1]) for r in wrong})}")
    print(f"figures kept twice (twin missed): {sum(1 for v in copies.values() if v > 1)}")
    group = {keys[r["id"]][1]: r["group_id"] for r in rows}
    crops = {(v[1], v[2]) for v in keys.values() if v[2]}
    missed = [c for c in crops if c[0] in group and c[1] in group and group[c[0]] != group[c[1]]]
    print(f"crops grouped with their whole: {len(crops) - len(missed)} of {len(crops)}")
    by_group = defaultdict(set)
    for r in rows:
        by_group[r["group_id"]].add(r["split"])
    print(f"groups {summary.n_groups}, groups across splits: {sum(len(s) > 1 for s in by_group.values())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
