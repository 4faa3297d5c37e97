"""Score extract output against a sample book's truth: figure recall / precision / IoU and
whether each truth caption was read exactly."""

from __future__ import annotations

import re
from collections.abc import Sequence

from culti.records import BBox, PageExtract


def box_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """Return the intersection over union of two x0, y0, x1, y1 boxes."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    area_a = max(0.0, a[2] - a[0]) * max(0.0, a[3] - a[1])
    area_b = max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])
    union = area_a + area_b - inter
    return inter / union if union > 0 else 0.0


def match_figures(truth_boxes: Sequence[BBox], found_boxes: Sequence[BBox],
                  iou: float = 0.5) -> list[tuple[int, int, float]]:
    """Given truth and found boxes on one page, return (truth index, found index, IoU) pairs
    matched greedily by highest IoU first, each box used once, IoU >= `iou`."""
    pairs = sorted(((box_iou(t, f), ti, fi) for ti, t in enumerate(truth_boxes)
                    for fi, f in enumerate(found_boxes)), key=lambda p: (-p[0], p[1], p[2]))
    used_t: set[int] = set()
    used_f: set[int] = set()
    out = []
    for value, ti, fi in pairs:
        if value < iou or ti in used_t or fi in used_f:
            continue
        used_t.add(ti)
        used_f.add(fi)
        out.append((ti, fi, value))
    return sorted(out)


def normalize_caption(text: str) -> str:
    """Return text with all whitespace removed and full-width forms folded, so OCR's
    "图3 - 1 4" and print's "图3-14" compare equal."""
    text = text.translate({0x3000: " ", 0xFF0D: "-", 0x2014: "-", 0x2013: "-", 0x2012: "-",
                           0xFF0E: ".", 0x00B7: "."})
    text = "".join(chr(ord(c) - 0xFEE0) if "\uff10" <= c <= "\uff19" else c for c in text)
    return re.sub(r"\s+", "", text)


def score_pages(truth_book: dict, pages: Sequence[PageExtract], iou: float = 0.5) -> dict:
    """Given one book's truth.json entry and its PageExtracts, return figure recall, precision,
    mean IoU of matches, share of matches with IoU >= 0.9, and the caption exact rate."""
    by_page: dict[int, list[BBox]] = {}
    for fig in truth_book.get("figures", []):
        by_page.setdefault(int(fig["page"]), []).append(tuple(fig["bbox"]))
    found: dict[int, list[BBox]] = {p.page: [f.bbox_pt for f in p.figures] for p in pages}
    n_truth = sum(len(v) for v in by_page.values())
    n_found = sum(len(v) for v in found.values())
    ious: list[float] = []
    for page in sorted(set(by_page) | set(found)):
        ious += [m[2] for m in match_figures(by_page.get(page, []), found.get(page, []), iou)]
    texts = {p.page: [normalize_caption(b.text) for b in p.blocks] for p in pages}
    captions = [f for f in truth_book.get("figures", []) if f.get("caption")]
    exact = 0
    for fig in captions:
        want = normalize_caption(fig["caption"])
        page = int(fig.get("caption_page") or fig["page"])
        if any(want and want in text for text in texts.get(page, [])):
            exact += 1
    return {
        "figures_truth": n_truth,
        "figures_found": n_found,
        "matched": len(ious),
        "recall": len(ious) / n_truth if n_truth else 1.0,
        "precision": len(ious) / n_found if n_found else 1.0,
        "mean_iou": sum(ious) / len(ious) if ious else 0.0,
        "iou_ge_0_9": sum(v >= 0.9 for v in ious) / len(ious) if ious else 0.0,
        "captions": len(captions),
        "caption_exact_rate": exact / len(captions) if captions else 1.0,
    }
