"""Draft labels for a born-digital PDF from its own image and drawing positions.

    python benchmarks/real_corpus/label_helper.py FILE.pdf [--pages 1,2,5-9] > draft.json

For every page: figure regions are the page's image placements (get_image_info) and clusters of
vector drawings (cluster_drawings), merged when they touch; caption lines are text lines that
start with a figure label (图3-14, 圖2, 图版五, 插图2, Figure 1-2, Fig. 3, Plate IV); each caption
is paired with the nearest region above it, else below it. Images repeated on many pages, and
tiny images, are drafted as not_figures; regions without a caption as neutral. The draft is a
starting point: every entry is checked by eye on a render (check_labels.py) and corrected by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter

import pymupdf

LABEL = re.compile(
    r"^\s*((?:图版|圖版|插图|插圖|图表|圖表|图|圖)\s*[0-9一二三四五六七八九十百〇零]+(?:[-\.－—][0-9]+)*"
    r"(?:\s*[（(][a-z0-9][)）])?"
    r"|(?:Figure|Fig\.?|FIGURE|FIG\.?|Plate|PLATE)\s*[0-9IVXLC]+(?:[-\.][0-9]+)*[a-z]?)"
    r"\s*[:：.．、]?\s*(.*)$"
)


def parse_pages(spec: str | None, count: int) -> list[int]:
    if not spec:
        return list(range(1, count + 1))
    pages: list[int] = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        pages.extend(range(int(lo), int(hi or lo) + 1))
    return pages


def rnd(rect) -> list[float]:
    return [round(v, 1) for v in (rect.x0, rect.y0, rect.x1, rect.y1)]


def merge(rects: list[pymupdf.Rect], gap: float = 3.0) -> list[pymupdf.Rect]:
    """Union rectangles that touch (within `gap`) until none do."""
    out = [pymupdf.Rect(r) for r in rects]
    changed = True
    while changed:
        changed = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                if (out[i] + (-gap, -gap, gap, gap)).intersects(out[j]):
                    out[i] = out[i] | out[j]
                    del out[j]
                    changed = True
                    break
            if changed:
                break
    return out


def page_regions(page: pymupdf.Page, repeated: set[int]) -> tuple[list, list]:
    area = page.rect
    figures, not_figures = [], []
    for info in page.get_image_info(xrefs=True):
        r = pymupdf.Rect(info["bbox"]) & area
        if r.is_empty:
            continue
        in_margin = r.y1 < 0.09 * area.height or r.y0 > 0.91 * area.height
        if (info["xref"] in repeated and in_margin) or (r.width < 30 and r.height < 30):
            not_figures.append(r)
        elif r.width > 0.95 * area.width and r.height > 0.95 * area.height:
            continue  # whole-page scan or background
        else:
            figures.append(r)
    try:
        drawings = [
            d
            for d in page.get_drawings()
            if not (d.get("fill") in ((1.0, 1.0, 1.0), [1.0, 1.0, 1.0]) and not d.get("color"))
        ]  # white fills are page backgrounds and float frames, not drawings
        clusters = (
            page.cluster_drawings(drawings=drawings, x_tolerance=4, y_tolerance=4)
            if drawings
            else []
        )
    except Exception:  # noqa: BLE001 (older PyMuPDF)
        clusters = []
    lines = [
        pymupdf.Rect(ln["bbox"])
        for b in page.get_text("dict")["blocks"]
        for ln in b.get("lines", [])
    ]
    for r in clusters:
        r = pymupdf.Rect(r) & area
        if r.width < 25 or r.height < 25 or r.width > 0.97 * area.width:
            continue
        text_area = sum(abs(ln & r) for ln in lines)
        if text_area > 0.3 * abs(r):
            continue  # rules and frames around body text, not a drawing
        figures.append(r)
    return merge(figures), not_figures


REFERENCE = re.compile(
    r"^([a-z]|shows?|illustrates?|is|are|was|presents?|depicts?|and|in|on|to|displays?|gives?|所示|中|为|是|可|的|和|与|显示)"
)


def _segments(line: dict) -> list[tuple[pymupdf.Rect, str, bool]]:
    """Split a text line where a later span starts a new label (two captions side by side)."""
    segments: list[list] = []
    for span in line["spans"]:
        text = span["text"]
        starts = (
            bool(segments) and bool(LABEL.match(text.strip())) and text.strip()[:1] in "图圖插F"
        )
        if not segments or starts:
            segments.append([pymupdf.Rect(span["bbox"]), text])
        else:
            segments[-1][0] |= pymupdf.Rect(span["bbox"])
            segments[-1][1] += text
    out = []
    for rect, text in segments:
        m = LABEL.match(text.strip())
        out.append((rect, text.strip(), bool(m) and not REFERENCE.match(m.group(2) or "")))
    return out


def caption_lines(page: pymupdf.Page) -> list[tuple[pymupdf.Rect, str, str, str]]:
    """Caption segments: a line (or part of one) that starts with a label opens a caption; the
    following lines of the same block that sit right under it continue it."""
    found: list[list] = []
    for block in page.get_text("dict")["blocks"]:
        open_caps: list[list] = []
        for line in block.get("lines", []):
            for rect, text, is_label in _segments(line):
                if not text:
                    continue
                if is_label:
                    cap = [rect, text]
                    found.append(cap)
                    open_caps = [c for c in open_caps if c[0].y1 > rect.y0 - 2] + [cap]
                    continue
                for cap in open_caps:
                    overlap = min(cap[0].x1, rect.x1) - max(cap[0].x0, rect.x0)
                    if 0 <= rect.y0 - cap[0].y1 < 8 and overlap > 0.5 * rect.width:
                        cap[0] |= rect
                        cap[1] += ("" if cap[1].endswith("-") else " ") + text
                        break
    out = []
    for rect, whole in found:
        whole = re.sub(r"\s+", " ", whole).strip()
        m = LABEL.match(whole)
        label = re.sub(r"\s+", " ", m.group(1)).strip()
        out.append((rect, label, (m.group(2) or "").strip(), whole))
    return out


def pair(cap: pymupdf.Rect, regions: list[pymupdf.Rect], others: list[pymupdf.Rect]):
    """Nearest region above the caption (else below), grown over the regions stacked or set
    side by side with it (sub-figures, photo grids), never across this or another caption."""
    best, best_gap, pos = None, 1e9, ""
    for r in regions:
        overlap = min(r.x1, cap.x1) - max(r.x0, cap.x0)
        if overlap < 0.3 * min(r.width, cap.width):
            continue
        above = cap.y0 - r.y1
        below = r.y0 - cap.y1
        if -6 <= above < 60 and above < best_gap:
            best, best_gap, pos = r, above, "below"
        elif -6 <= below < 60 and below + 1 < best_gap:
            best, best_gap, pos = r, below + 1, "above"
    if best is None:
        return None, "", []
    union, members = pymupdf.Rect(best), [best]
    grown = True
    while grown:
        grown = False
        for r in regions:
            if any(r is m for m in members):
                continue
            same_side = r.y1 <= cap.y0 + 6 if pos == "below" else r.y0 >= cap.y1 - 6
            if not same_side:
                continue
            h_gap = max(r.x0 - union.x1, union.x0 - r.x1)
            v_gap = max(r.y0 - union.y1, union.y0 - r.y1)
            h_overlap = min(r.x1, union.x1) - max(r.x0, union.x0)
            v_overlap = min(r.y1, union.y1) - max(r.y0, union.y0)
            near = (v_gap < 22 and h_overlap > 0.3 * min(r.width, union.width)) or (
                h_gap < 22 and v_overlap > 0.3 * min(r.height, union.height)
            )
            if not near:
                continue
            candidate = union | r
            if any(candidate.intersects(o) for o in others):
                continue
            union, members = candidate, members + [r]
            grown = True
    return union, pos, members


def draft(path: str, pages_spec: str | None) -> dict:
    doc = pymupdf.open(path)
    uses = Counter()
    for page in doc:
        for xref in {i["xref"] for i in page.get_image_info(xrefs=True)}:
            uses[xref] += 1
    repeated = {x for x, n in uses.items() if x and n >= 3 and doc.page_count >= 4}
    book = {
        "file": path.rsplit("/", 1)[-1],
        "page_count": doc.page_count,
        "figures": [],
        "not_figures": [],
        "neutral": [],
    }
    pages = parse_pages(pages_spec, doc.page_count)
    for pno in pages:
        page = doc[pno - 1]
        regions, nots = page_regions(page, repeated)
        used = set()
        captions = caption_lines(page)
        for cap, label, title, whole in captions:
            others = [c[0] for c in captions if c[0] is not cap]
            region, pos, members = pair(cap, regions, others)
            if region is None:
                print(f"p{pno}: no figure region for caption {whole[:60]!r}", file=sys.stderr)
                continue
            used.update(id(m) for m in members)
            book["figures"].append(
                {
                    "key": f"p{pno:03d}-{label}",
                    "page": pno,
                    "bbox": rnd(region),
                    "label": label,
                    "title": title,
                    "caption": whole,
                    "caption_page": pno,
                    "caption_bbox": rnd(cap),
                    "caption_position": pos,
                    "description": "",
                    "description_bbox": None,
                    "composite": None,
                    "crop_of": None,
                    "subcaption": None,
                }
            )
        for r in regions:
            if id(r) not in used and r.width * r.height > 2500:
                book["neutral"].append({"page": pno, "bbox": rnd(r), "why": "no caption (draft)"})
        for r in nots:
            if any(abs(r & g) > 0.8 * abs(r) for g in regions):
                continue  # a small image inside a figure is part of it
            book["not_figures"].append({"page": pno, "bbox": rnd(r), "what": "logo"})
    boxes_by_page: dict[int, list] = {}
    for item in book["figures"] + book["neutral"]:
        boxes_by_page.setdefault(item["page"], []).append(pymupdf.Rect(item["bbox"]))
    book["not_figures"] = [
        n
        for n in book["not_figures"]
        if not any(
            abs(pymupdf.Rect(n["bbox"]) & b) > 0.8 * abs(pymupdf.Rect(n["bbox"]))
            for b in boxes_by_page.get(n["page"], [])
        )
    ]
    positions = Counter(f["caption_position"] for f in book["figures"])
    usual = positions.most_common(1)[0][0] if positions else ""
    seen = Counter((f["page"], f["label"]) for f in book["figures"])
    # the same label twice on a page: one is a reference in the text; keep the usual position
    book["figures"] = [
        f
        for f in book["figures"]
        if seen[(f["page"], f["label"])] == 1 or f["caption_position"] == usual
    ]
    if pages_spec:
        book["pages"] = pages
    return book


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pdf")
    parser.add_argument("--pages")
    args = parser.parse_args()
    json.dump(draft(args.pdf, args.pages), sys.stdout, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
