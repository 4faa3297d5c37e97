"""Captions on scanned pages that carry no label: a photo's caption in a newspaper, a report or an
illustrated novel, and where a description under such a caption ends."""

from __future__ import annotations

import re
from collections.abc import Sequence

from align.geometry import h_overlap, union, width
from culti.records import BBox, BlockKind, PageExtract, TextBlock, TextOrigin

OCR_CAPTION_CHARS = 200  # a photo caption runs to two or three lines with its credit
POINTERS = "▲▼◀▶►◄△▽■●"  # "▲ Clearing up after an airstrike…": the caption points at its photo
_TABLE_LABEL = re.compile(r"^\s*(?:Table|TABLE|Tab\.|表)\s*[0-9IVX一二三四五六七八九十]+")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十\d]+[章节部分篇]|"
                      r"\d+(?:\.\d+)*[.、．]?\s|[(（][一二三四五六七八九十\d]+[)）])")


def ocr_photo_caption(b: TextBlock, page: PageExtract, blocks: Sequence[TextBlock],
                      body_font: float | None) -> tuple[str, ...]:
    """Given an OCR block, return the evidence that it is an unlabelled caption hugging one
    picture, or () when not: one to three lines right under (or over) it, within a line of it,
    inside its width, and closed (no line of its column follows on within a line: the body
    text under a picture runs on, its caption stops)."""
    text = b.text.strip()
    if b.origin != TextOrigin.OCR or not text or len(text) > OCR_CAPTION_CHARS \
            or text.count("\n") > 2 or b.kind == BlockKind.TITLE or _HEADING.match(text):
        return ()
    sizes = sorted(o.font_size for o in blocks if o.font_size and len(o.text.strip()) >= 15)
    body = max(body_font or 0.0, sizes[len(sizes) // 2] if sizes else 0.0)  # a book may mix scripts
    if b.font_size and body and b.font_size > 1.3 * body:
        return ()  # a headline
    if sum(ch.isalpha() for ch in text) < 4:
        return ()  # a chart's tick label or year, a page number
    bb = b.bbox_pt
    line = (bb[3] - bb[1]) / (text.count("\n") + 1)
    for f in page.figures:
        fb = f.bbox_pt
        if h_overlap(fb, bb) < 0.9 * width(bb):
            continue
        below = -2 <= bb[1] - fb[3] <= line + 2
        above = -2 <= fb[1] - bb[3] <= line + 2
        if not (below or above) or _runs_on(b, blocks, below, line):
            continue
        return ("below" if below else "above", "pointer" if text[0] in POINTERS else "ocr-hug")
    return ()


def runs_on_unboxed(b: TextBlock, blocks: Sequence[TextBlock], below: bool) -> bool:
    """Whether an OCR block the layout model did not box as a caption is followed on (under it
    for a caption below its picture) within a line by its column's text: a column's first line
    under a picture, in small type, is no caption."""
    if b.origin != TextOrigin.OCR or b.kind == BlockKind.CAPTION:
        return False
    line = (b.bbox_pt[3] - b.bbox_pt[1]) / (b.text.strip().count("\n") + 1)
    return _runs_on(b, blocks, below, line)


def strip_pointer(text: str) -> str:
    """Given a caption's text, return it without the pointer printed before it (▲ ...)."""
    return text.strip().lstrip(POINTERS).strip()


def _runs_on(me: TextBlock, blocks: Sequence[TextBlock], below: bool, line: float) -> bool:
    """Whether a block of the same column follows `me` (under it for a caption below its
    picture, over it for one above) within a line: `me` is part of running text."""
    bb = me.bbox_pt
    for o in blocks:
        ob = o.bbox_pt
        if o is me or not o.text.strip() or h_overlap(ob, bb) < 0.5 * min(width(ob), width(bb)):
            continue
        gap = ob[1] - bb[3] if below else bb[1] - ob[3]
        if -2 <= gap <= line:
            return True
    return False


def table_caption(b: TextBlock) -> bool:
    """Whether an OCR block is a table's caption (Table 3. ..., 表2 ...): it starts the table
    under a figure, never the figure's description."""
    return b.origin == TextOrigin.OCR and bool(_TABLE_LABEL.match(b.text))


def runs_past_unit(b: TextBlock, fig: BBox | None, caption: BBox, labelled: bool) -> bool:
    """Whether the first OCR block under an unlabelled caption runs well past its figure and
    caption on either side: the page's body text under an inset photo, not a description
    (a description under a photo is set to the photo's width)."""
    if labelled or b.origin != TextOrigin.OCR:
        return False
    unit = union(fig, caption) if fig is not None else caption
    slack = max(0.1 * width(unit), 12.0)
    return b.bbox_pt[0] < unit[0] - slack or b.bbox_pt[2] > unit[2] + slack


def is_column(box: BBox) -> bool:
    """Whether a box is set vertically: much taller than wide (a column or a block of columns)."""
    return box[3] - box[1] >= 2.5 * (box[2] - box[0])


def vertical_description(unit: BBox, caption: BBox, candidates: Sequence[tuple[int, TextBlock]],
                         figures: Sequence[BBox]) -> int | None:
    """Given a figure unit whose caption is a vertical column, and the free body blocks of its
    page as (position, block), return the position of its description: vertical text reads
    right to left, so the block of columns nearest left of the unit, level with it, with no
    other figure between (None when there is none)."""
    if not is_column(caption):
        return None
    whole = union(unit, caption)
    best, best_gap = None, None
    for pos, b in candidates:
        bb = b.bbox_pt
        if bb[3] - bb[1] < 1.2 * width(bb) or bb[2] > whole[0] + 2:
            continue  # not a block of columns, or not left of the plate
        level = min(bb[3], whole[3]) - max(bb[1], whole[1])
        gap = whole[0] - bb[2]
        between = any(f[2] <= whole[0] + 2 and f[0] >= bb[2] - 2 and min(f[3], bb[3]) > max(f[1], bb[1])
                      for f in figures)
        if level < 0.5 * (bb[3] - bb[1]) or gap > max(3 * width(caption), 60.0) or between:
            continue
        if best_gap is None or gap < best_gap:
            best, best_gap = pos, gap
    return best
