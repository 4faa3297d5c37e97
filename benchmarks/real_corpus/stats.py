"""Count the labelled real corpus: per file and in total.

python benchmarks/real_corpus/stats.py [--truth truth.json] [--sources sources.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--truth", type=Path, default=HERE / "truth.json")
    parser.add_argument("--sources", type=Path, default=HERE / "sources.json")
    args = parser.parse_args(argv)
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    sources = {s["name"]: s for s in json.loads(args.sources.read_text(encoding="utf-8"))["files"]}
    rows = []
    for book in truth["books"]:
        labelled = len(book.get("pages", [])) or book["page_count"]
        figures = book["figures"]
        rows.append(
            (
                book["file"],
                book["kind"] + (" (rendered)" if book.get("rendered") else " (outlined)" if book.get("outlined") else ""),
                book["domain"],
                sources[book["file"]]["kind"],
                f"{labelled}/{book['page_count']}",
                len(figures),
                sum(1 for f in figures if not f["label"]),
                sum(1 for f in figures if f["description"]),
                sum(1 for f in figures if f["caption_position"] in ("left", "right")),
                len(book["not_figures"]),
                len(book["neutral"]),
            )
        )
    header = (
        "file",
        "kind",
        "domain",
        "source",
        "pages",
        "figures",
        "unlabelled",
        "described",
        "beside",
        "not_fig",
        "neutral",
    )
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
    scanned = sum(1 for b in truth["books"] if b["kind"] == "scanned")
    rendered = sum(1 for b in truth["books"] if b.get("rendered"))
    print(
        f"files {len(rows)}, captioned figures {sum(r[5] for r in rows)} "
        f"(real scanned pages: {sum(r[5] for r in rows if r[1] == 'scanned')}; rendered scans, "
        f"not real: {sum(r[5] for r in rows if r[1] == 'scanned (rendered)')}; heritage domains: "
        f"{sum(r[5] for r in rows if r[2] != 'other')}; without a label: {sum(r[6] for r in rows)}; "
        f"with a description: {sum(r[7] for r in rows)}; caption beside: {sum(r[8] for r in rows)}), "
        f"scanned files {scanned} ({rendered} of them rendered), outline files {sum(1 for r in rows if r[1] == 'outline')} "
        f"(+ {sum(1 for r in rows if r[1] == 'outline (outlined)')} outlined twins, not real: "
        f"{sum(r[5] for r in rows if r[1] == 'outline (outlined)')} figures), "
        f"not_figures {sum(r[9] for r in rows)}, neutral {sum(r[10] for r in rows)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
