"""Draw the truth boxes on page renders, to check labels by eye.

    python benchmarks/real_corpus/check_labels.py [--pdfs DIR] [--out DIR] [--file NAME] [--dpi 72]

Figures green (key and label written above), captions blue, descriptions cyan, not_figures red,
neutral items yellow. Writes one PNG per labelled page: <out>/<file stem>-p<page>.png.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pymupdf

HERE = Path(__file__).resolve().parent
COLOURS = {
    "figure": (0, 0.7, 0),
    "caption": (0, 0, 1),
    "description": (0, 0.7, 0.8),
    "not_figure": (1, 0, 0),
    "neutral": (0.9, 0.75, 0),
}


def boxes_by_page(book: dict) -> dict[int, list[tuple[str, list[float], str]]]:
    pages: dict[int, list] = {}
    for fig in book["figures"]:
        pages.setdefault(fig["page"], []).append(
            ("figure", fig["bbox"], f"{fig['key']} {fig['label']}")
        )
        if fig.get("caption_bbox"):
            pages.setdefault(fig["caption_page"], []).append(("caption", fig["caption_bbox"], ""))
        if fig.get("description_bbox"):
            pages.setdefault(fig["caption_page"], []).append(
                ("description", fig["description_bbox"], "")
            )
    for item in book.get("not_figures", []):
        pages.setdefault(item["page"], []).append(("not_figure", item["bbox"], item["what"]))
    for item in book.get("neutral", []):
        pages.setdefault(item["page"], []).append(("neutral", item["bbox"], ""))
    for page in book.get("pages", []):
        pages.setdefault(page, [])
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--truth", type=Path, default=HERE / "truth.json")
    parser.add_argument("--pdfs", type=Path, default=HERE / "pdfs")
    parser.add_argument("--out", type=Path, default=HERE / "pdfs" / "check")
    parser.add_argument("--file", help="only this book (file name)")
    parser.add_argument("--dpi", type=int, default=72)
    args = parser.parse_args(argv)
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    written = 0
    for book in truth["books"]:
        if args.file and book["file"] != args.file:
            continue
        path = args.pdfs / book["file"]
        if not path.exists():
            print(f"missing {path} (run restore.py)")
            continue
        doc = pymupdf.open(path)
        for pno, items in sorted(boxes_by_page(book).items()):
            page = doc[pno - 1]
            for kind, bbox, text in items:
                rect = pymupdf.Rect(bbox)
                page.draw_rect(rect, color=COLOURS[kind], width=1.5)
                if text:
                    page.insert_text(
                        (rect.x0 + 1, max(rect.y0 - 2, 8)), text, fontsize=7, color=COLOURS[kind]
                    )
            page.get_pixmap(dpi=args.dpi).save(
                args.out / f"{Path(book['file']).stem}-p{pno:03d}.png"
            )
            written += 1
    print(f"wrote {written} page renders into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
