"""Captions on scanned pages that carry no label: a photo's caption in a newspaper, a report or an
illustrated novel, and where a description under such a caption ends."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence

from align.beside import exact_page
from align.clean import has_cjk
from align.geometry import h_overlap, union, v_overlap, width
from culti.records import BBox, BlockKind, PageExtract, TextBlock, TextOrigin

OCR_CAPTION_CHARS = 200  # a photo caption runs to two or three lines with its credit
POINTERS = "▲▼◀▶►◄△▽■●"  # "▲ Clearing up after an airstrike…": the caption points at its photo
# a photo credit ends a news photo's caption: "新华社记者 陈海宁 摄", "新华社发", "PHOTOGRAPH: AFP"
_CREDIT = re.compile(r"(?:记者[^\n]{0,12}摄|\S{2,4}\s+摄|摄影[:：]?\s*\S{2,8}|新华社发|供图|(?:PHOTOGRAPH|Photograph|Photo)\s*[:：][^\n]{2,60})\s*$")
_TABLE_LABEL = re.compile(r"^\s*(?:Table|TABLE|Tab\.|表)\s*[0-9IVX一二三四五六七八九十]+")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十\d]+[章节部分篇]|"
                      r"\d+(?:\.\d+)*[.、．]?\s|[(（][一二三四五六七八九十\d]+[)）])")


def ocr_photo_caption(b: TextBlock, page: PageExtract, blocks: Sequence[TextBlock],
                      body_font: float | None) -> tuple[str, ...]:
    """Given an OCR block, return the evidence that it is an unlabelled caption hugging one
    picture, or () when not: one to three lines right under (or over) it, within a line of it,
    inside its width, and closed (no line of its column follows on within a line: the body
    text under a picture runs on, its caption stops). Not on an outline page: its text is set
    as in a text layer, and the text layer's caption cues judge it (a description hugs its
    picture as closely)."""
    text = b.text.strip()
    credited = bool(_CREDIT.search(text))  # a news photo's caption may run to a paragraph
    if b.origin != TextOrigin.OCR or exact_page(page) or not text or len(text) > OCR_CAPTION_CHARS * (1 + credited) \
            or text.count("\n") > (5 if credited else 2) or b.kind == BlockKind.TITLE or _HEADING.match(text):
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


# where the picture a pointer caption names sits, as pairing.relation puts the caption
POINTS_AT = {"▲": "below", "△": "below", "▼": "above", "▽": "above", "▶": "left", "►": "left",
             "◀": "right", "◄": "right"}


def stacked_under(b: TextBlock, blocks: Sequence[TextBlock], skip: set[int]) -> int | None:
    """Given a pointer caption's OCR block ("▲ …"), return the position of the caption line set
    right under it (same left edge, same type, within half a line) whose pointer OCR lost: the
    next caption of the stack, for another photo; None when there is none."""
    bb = b.bbox_pt
    line = (bb[3] - bb[1]) / (b.text.strip().count("\n") + 1)
    for j, o in enumerate(blocks):
        ob, text = o.bbox_pt, o.text.strip()
        if j in skip or o is b or not text or o.origin != TextOrigin.OCR or is_credit(text) \
                or text.count("\n") > 2 or len(text) > OCR_CAPTION_CHARS:
            continue
        same_type = bool(o.font_size and b.font_size and abs(o.font_size - b.font_size) <= 0.3 * b.font_size)
        if same_type and abs(ob[0] - bb[0]) <= line and -0.5 * line <= ob[1] - bb[3] <= 0.5 * line:
            return j
    return None


def is_credit(text: str) -> bool:
    """Whether a short line is only a photo credit ("新华社发", "新华社记者 陈海宁 摄"): it closes
    the captions over it and is no caption or description of its own."""
    text = text.strip()
    return 0 < len(text) <= 16 and "\n" not in text and bool(_CREDIT.search(text))


def pointer_pieces(b: TextBlock) -> list[tuple[str, BBox]]:
    """Given an OCR block whose lines start two or more pointer captions ("▲ … \n► …": one for
    the photo above, one for the photo to the right), return each caption with its box (the
    block's lines stacked evenly); [] when the block is not such a stack."""
    lines = [ln.strip() for ln in b.text.split("\n") if ln.strip()]
    if b.origin != TextOrigin.OCR or len(lines) < 2 or lines[0][0] not in POINTS_AT:
        return []
    rows = len(lines)
    if rows > 2 and lines[-1][0] not in POINTS_AT and is_credit(lines[-1]):
        lines = lines[:-1]  # "新华社发" under the stack: the credit of every photo, no caption's words
    groups: list[list[str]] = []
    for ln in lines:
        if ln[0] in POINTS_AT:
            groups.append([ln])
        else:
            groups[-1].append(ln)
    if len(groups) < 2:
        return []
    x0, y0, x1, y1 = b.bbox_pt
    step = (y1 - y0) / rows
    out, row = [], 0
    for g in groups:
        out.append(("".join(g), (x0, y0 + row * step, x1, y0 + (row + len(g)) * step)))
        row += len(g)
    return out


def pointed_relation(title: str) -> str:
    """Given a caption as printed, return where its pointer says its picture is (as
    pairing.relation names the caption's side: "below" for ▲), or "" without a pointer."""
    return POINTS_AT.get(title.strip()[:1], "")


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
        if o.font_size and me.font_size and o.font_size > 1.8 * me.font_size:
            continue  # a headline in type twice the size starts the next story: nothing runs on
        if is_credit(o.text):
            continue  # "新华社发" under captions closes them
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


def paper_prose(b: TextBlock, fig: BBox | None, caption: BBox, labelled: bool, title: str) -> bool:
    """Whether an OCR block under a labelled Latin caption ("Figure 12. MDL as a function of...")
    is the page's running text: a paper's or textbook's figure says all in its caption, and the
    paragraph under it ("In general, the values...", "Solution. Call X...") carries the body on.
    A block of two or more lines, or one running past the figure and caption, is such prose."""
    if b.origin != TextOrigin.OCR or not labelled or has_cjk(title) or has_cjk(b.text):
        return False
    return b.text.strip().count("\n") >= 1 or runs_past_unit(b, fig, caption, False)


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


ROW_SPLIT_MAX_WORDS = 16  # a caption row under a few pictures: more words is a line of prose


def split_across_figures(b: TextBlock, page: PageExtract) -> list[tuple[str, BBox]]:
    """Given an OCR block of one line set under (or over) two or more pictures side by side, whose
    words OCR read as one line ("Rio Carnival   The Spring Festival   Thanksgiving"), return each
    picture's caption with an estimated box, left to right; [] when the line is not such a row.

    OCR gives no word boxes, so the words are cut where the pieces fit their pictures best: each
    caption centred under its picture, the first flush with the line's left end and the last with
    its right end, all in one type size (the character pitch each end implies must agree).
    """
    text = b.text.strip()
    words = text.split()
    if b.origin != TextOrigin.OCR or "\n" in text or "。" in text or not 2 <= len(words) <= ROW_SPLIT_MAX_WORDS:
        return []
    bb = b.bbox_pt
    line = bb[3] - bb[1]
    gap_max = max(24.0, 2.5 * line)
    for side in ("below", "above"):
        figs = sorted((f.bbox_pt for f in page.figures
                       if h_overlap(f.bbox_pt, bb) >= 0.2 * width(f.bbox_pt)
                       and -2 <= (bb[1] - f.bbox_pt[3] if side == "below" else f.bbox_pt[1] - bb[3]) <= gap_max),
                      key=lambda f: f[0])
        if len(figs) < 2 or len(words) < len(figs):
            continue
        if any(v_overlap(a, c) < 0.5 * min(a[3] - a[1], c[3] - c[1]) or c[0] < a[2] - 2
               for a, c in itertools.pairwise(figs)):
            continue  # not one row of pictures side by side
        best = _best_cut(words, figs, bb, b.font_size or 0.85 * line)
        if best is not None:
            return best
    return []


def _ems(text: str) -> float:
    return sum(0.55 if ch.isascii() else 1.0 for ch in text)


def _best_cut(words: list[str], figs: list[BBox], bb: BBox, size: float) -> list[tuple[str, BBox]] | None:
    k = len(figs)
    best, best_cost = None, 0.4  # a cut the pieces fit worse than this is no row of captions
    for cuts in itertools.combinations(range(1, len(words)), k - 1):
        bounds = (0, *cuts, len(words))
        pieces = [" ".join(words[a:z]) for a, z in itertools.pairwise(bounds)]
        ems = [_ems(p) for p in pieces]
        centres = [(f[0] + f[2]) / 2 for f in figs]
        pitch_first = 2 * (centres[0] - bb[0]) / ems[0]
        pitch_last = 2 * (bb[2] - centres[-1]) / ems[-1]
        if pitch_first <= 0 or pitch_last <= 0:
            continue
        pitch = (pitch_first + pitch_last) / 2
        cost = abs(math.log(pitch_first / pitch_last)) + 0.5 * abs(math.log(pitch / size))
        spans = [(bb[0], bb[0] + pitch * ems[0])]
        spans += [(c - pitch * e / 2, c + pitch * e / 2) for c, e in zip(centres[1:-1], ems[1:-1], strict=True)]
        spans.append((bb[2] - pitch * ems[-1], bb[2]))
        if any(s1[0] < s0[1] for s0, s1 in itertools.pairwise(spans)):
            cost += 1.0  # pieces that would overlap: not this cut
        if cost < best_cost:
            best, best_cost = [(p, (max(bb[0], s[0]), bb[1], min(bb[2], s[1]), bb[3]))
                               for p, s in zip(pieces, spans, strict=True)], cost
    return best
