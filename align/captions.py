"""Caption detection on one page: labelled lines, OCR-split titles, sub-captions, layout and type."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from align.beside import beside_alone, exact_geometry, is_vertical_column
from align.clean import has_cjk
from align.geometry import h_overlap, union, v_overlap
from align.labels import (
    MAX_CAPTION_CHARS,
    NEAR_CAPTION_CHARS,
    CaptionParse,
    SubCaption,
    is_exam_label,
    parse_caption,
    parse_subcaption,
)
from align.notes import cover_note
from align.ocr_captions import (
    is_credit,
    ocr_photo_caption,
    pointed_relation,
    pointer_pieces,
    runs_on_unboxed,
    split_across_figures,
    stacked_under,
    strip_pointer,
)
from culti.records import BBox, BlockKind, PageExtract, TextBlock, TextOrigin

MAX_UNLABELLED_CHARS = 60
# sub-captions OCR joined on one row with a space: "甲全貌 乙局部", "(a) 正面 (b) 背面"
_SUB_SPLIT = re.compile(r"\s+(?=[(（]?[a-h甲乙丙丁戊己庚辛][)）]?(?:\s|[^\sA-Za-z]|$))")


@dataclass(frozen=True, slots=True)
class Caption:
    """A main caption found on a page (possibly joined from a label block and a title block)."""

    page: int
    order: int  # reading-order position of its first block among the page's blocks
    block_ids: tuple[int, ...]  # positions in page.blocks
    bbox: BBox
    printed_label: str  # "" for an unlabelled caption
    label: str
    base_label: str
    sub_label: str
    title: str  # raw, not yet cleaned
    rest: str  # description lines printed inside the caption block
    origin: TextOrigin
    evidence: tuple[str, ...]
    position: str = ""  # 左/右/上/下/左上... printed after the label: which picture of a row it names
    printed_sep: str = ""  # ":" of "Figure 1: ...", "：" of "图1：..." as printed

    @property
    def labelled(self) -> bool:
        return bool(self.label)

    @property
    def line(self) -> str:
        """The caption line as printed: label and title."""
        return f"{self.printed_label} {self.title}".strip()


@dataclass(frozen=True, slots=True)
class SubCaptionBlock:
    """A standalone "(a) 局部" under one image of a composite figure."""

    page: int
    block_id: int
    bbox: BBox
    sub_label: str
    title: str


@dataclass(frozen=True, slots=True)
class PageCaptions:
    captions: tuple[Caption, ...]
    subcaptions: tuple[SubCaptionBlock, ...]
    used: frozenset[int]  # block positions consumed by captions and sub-captions


def body_font_size(pages: Sequence[PageExtract]) -> float | None:
    """Given a book's pages, return the median font size of its text blocks, weighted by length."""
    sizes = [b.font_size for p in pages for b in p.blocks
             if b.font_size and b.kind == BlockKind.TEXT and len(b.text.strip()) >= 15
             and parse_caption(b.text) is None for _ in range(min(len(b.text), 200))]
    return statistics.median(sizes) if sizes else None


def _near_figure(bbox: BBox, page: PageExtract, gap_pt: float) -> bool:
    for f in page.figures:
        fb = f.bbox_pt
        below_or_above = h_overlap(bbox, fb) > 0 and (
            0 <= bbox[1] - fb[3] <= gap_pt or 0 <= fb[1] - bbox[3] <= gap_pt
        )
        beside = v_overlap(bbox, fb) > 0 and (
            0 <= bbox[0] - fb[2] <= gap_pt or 0 <= fb[0] - bbox[2] <= gap_pt
        )
        if below_or_above or beside:
            return True
    return False


def _title_partner(i: int, blocks: Sequence[TextBlock], skip: set[int], drop: set[int]) -> int | None:
    """Given a label-only block, return the adjacent short block holding its title (OCR split)."""
    a = blocks[i].bbox_pt
    height = max(a[3] - a[1], 6.0)
    best, best_d = None, None
    for j, b in enumerate(blocks):
        if j == i or j in skip or j in drop:
            continue
        text = b.text.strip()
        if not text or len(text) > 30 or "。" in text[:-1]:
            continue
        if parse_caption(text) or parse_subcaption(text):
            continue
        bb = b.bbox_pt
        same_line = v_overlap(a, bb) > 0.5 * min(height, bb[3] - bb[1]) and 0 <= bb[0] - a[2] < 4 * height
        under = h_overlap(a, bb) > 0 or abs((a[0] + a[2]) - (bb[0] + bb[2])) < 4 * height
        under = under and 0 <= bb[1] - a[3] < 1.2 * height
        if same_line or under:
            d = (bb[0] - a[2]) if same_line else (bb[1] - a[3]) + 1
            if best_d is None or d < best_d:
                best, best_d = j, d
    return best


def find_captions(page: PageExtract, drop: set[int], body_font: float | None) -> PageCaptions:
    """Given a page and the positions of its running blocks, return its captions and sub-captions."""
    blocks = page.blocks
    captions: list[Caption] = []
    subs: list[SubCaptionBlock] = []
    used: set[int] = set()
    for i, b in enumerate(blocks):  # "Cover picture", 封面说明: pairs with the nearest uncaptioned picture
        note = cover_note(b.text) if i not in drop else None
        if note is not None:
            used.add(i)
            x0, y0, x1, y1 = b.bbox_pt  # the heading is the block's first line
            box = (x0, y0, x1, y0 + (y1 - y0) / (b.text.strip().count("\n") + 1))
            captions.append(Caption(page=page.page, order=i, block_ids=(i,), bbox=box, printed_label="",
                                    label="", base_label="", sub_label="", title=note[0], rest=note[1],
                                    origin=b.origin, evidence=("unlabelled", "cover-note",
                                                               *_typography(b, body_font))))
    for i, b in enumerate(blocks):
        if i in drop or i in used:
            continue
        pieces = split_caption_lines(b)
        if len(pieces) > 1:  # one block holding two captions, e.g. side-by-side figures
            used.add(i)
            for text, bbox in pieces:
                parsed = parse_caption(text)
                captions.append(_caption(page.page, i, (i,), bbox, parsed, parsed.title, {b.origin},
                                         ["label-regex", "split-block"] + _typography(b, body_font)))
            continue
        near = b.kind == BlockKind.CAPTION or _near_figure(b.bbox_pt, page, 36.0)
        parsed = parse_caption(b.text, max_chars=NEAR_CAPTION_CHARS if near else MAX_CAPTION_CHARS)
        if parsed is not None:
            ids, bbox, title = [i], b.bbox_pt, parsed.title
            origins = {b.origin}
            evidence = ["label-regex"]
            if not title and not is_exam_label(parsed.label):
                j = _title_partner(i, blocks, used | {i}, drop)
                if j is not None:
                    ids.append(j)
                    bbox = union(bbox, blocks[j].bbox_pt)
                    title = blocks[j].text.strip()
                    origins.add(blocks[j].origin)
                    evidence.append("title-joined")
            evidence += _typography(b, body_font)
            rest = parsed.rest
            if rest and (b.origin == TextOrigin.PDF or not has_cjk(rest)) and _title_tail(rest):
                title, rest = f"{title}\n{rest}", ""  # a text-layer caption runs until its block ends
                evidence.append("multi-line")
            used.update(ids)
            cap = _caption(page.page, i, tuple(ids), bbox, parsed, title, origins, evidence)
            captions.append(_continued(replace(cap, rest=rest), blocks, used, drop))
            continue
        sub_pieces = _subcaption_pieces(b) if _near_figure(b.bbox_pt, page, 40.0) else []
        if sub_pieces:
            used.add(i)
            subs += [SubCaptionBlock(page.page, i, bbox, sc.sub_label, sc.title)
                     for sc, bbox in sub_pieces]
            continue
    labelled_page = any(c.labelled for c in captions)
    for i, b in enumerate(blocks):  # unlabelled captions: after the labelled ones took their lines
        if labelled_page:
            break  # a page that labels its captions labels them all: short lines are labels inside figures
        if i in drop or i in used or is_credit(b.text):
            continue
        row = split_across_figures(b, page)
        stack = [] if row else pointer_pieces(b)
        if row or stack:  # one OCR line under a row of pictures, or "▲ …\n► …": a caption each
            used.add(i)
            kind = "split-row" if row else "pointer"
            captions += [Caption(page=page.page, order=i, block_ids=(i,), bbox=box, printed_label="",
                                 label="", base_label="", sub_label="", title=strip_pointer(text), rest="",
                                 origin=b.origin, evidence=("unlabelled", kind, *_points(text),
                                                            *_typography(b, body_font)))
                         for text, box in row or stack]
            continue
        ev = _unlabelled_caption(b, page, body_font, blocks, used | drop)
        if ev and ev[0] in ("below", "above") and not exact_geometry(b, page) \
                and runs_on_unboxed(b, blocks, ev[0] == "below"):
            ev = ()  # an OCR line that its column's text follows on from: running text
        ev = ev or ocr_photo_caption(b, page, blocks, body_font)
        if ev:
            used.add(i)
            cap = Caption(page=page.page, order=i, block_ids=(i,), bbox=b.bbox_pt, printed_label="",
                          label="", base_label="", sub_label="", title=strip_pointer(b.text), rest="",
                          origin=b.origin, evidence=("unlabelled", *ev, *_points(b.text),
                                                     *_typography(b, body_font)))
            captions.append(_continued(cap, blocks, used, drop))
            j = stacked_under(b, blocks, used | drop) if pointed_relation(b.text) else None
            if j is not None:  # "▲ …" then "▶ …" with its pointer lost: the stack's next caption
                used.add(j)
                o = blocks[j]
                captions.append(Caption(page=page.page, order=j, block_ids=(j,), bbox=o.bbox_pt,
                                        printed_label="", label="", base_label="", sub_label="",
                                        title=strip_pointer(o.text), rest="", origin=o.origin,
                                        evidence=("unlabelled", "pointer-stack", *_points(o.text),
                                                  *_typography(o, body_font))))
    captions = [_with_position(c) for c in captions]
    return PageCaptions(tuple(captions), tuple(subs), frozenset(used))


def _points(text: str) -> tuple[str, ...]:
    """Evidence of where a pointer caption's picture is ("points:below" for ▲ …), or ()."""
    rel = pointed_relation(text)
    return (f"points:{rel}",) if rel else ()


def _title_tail(rest: str) -> bool:
    """Lines after a caption line in one text-layer block that still belong to its title: short,
    no sentence inside (a Chinese description would say something); a Latin caption runs on."""
    rest = rest.strip()
    if rest and not has_cjk(rest):
        return len(rest) <= 2 * NEAR_CAPTION_CHARS
    return 0 < len(rest) <= 40 and rest.count("\n") <= 1 and "。" not in rest[:-1] and not rest.endswith("。")


def _continued(cap: Caption, blocks: Sequence[TextBlock], used: set[int], drop: set[int]) -> Caption:
    """Given a caption, return it with the short lines right under it in the same type (a title
    wrapped onto its own centred line, which the text layer made a separate block) joined."""
    if cap.rest:
        return cap
    box, ids, title = cap.bbox, list(cap.block_ids), cap.title
    first = blocks[cap.block_ids[0]]
    for _ in range(2):
        nxt = None
        for j, b in enumerate(blocks):
            if j in used or j in drop or j in ids:
                continue
            if _continues_caption(box, first, b):
                nxt = j
                break
        if nxt is None:
            break
        b = blocks[nxt]
        ids.append(nxt)
        used.add(nxt)
        box = union(box, b.bbox_pt)
        title = f"{title}\n{b.text.strip()}"
    if len(ids) == len(cap.block_ids):
        return cap
    return replace(cap, block_ids=tuple(ids), bbox=box, title=title,
                   evidence=(*cap.evidence, "multi-line"))


def _continues_caption(box: BBox, first: TextBlock, b: TextBlock) -> bool:
    text = b.text.strip()
    if not text or len(text) > 40 or "\n" in text or "。" in text or parse_caption(text):
        return False
    line = max(first.font_size or 0.0, (first.bbox_pt[3] - first.bbox_pt[1]) / (first.text.count("\n") + 1))
    gap = b.bbox_pt[1] - box[3]
    if not -0.3 * line <= gap <= 0.8 * line:
        return False
    if first.font_size and b.font_size and abs(first.font_size - b.font_size) > 0.3:
        return False
    bb = b.bbox_pt
    inside = bb[0] >= box[0] - 0.5 * line and bb[2] <= box[2] + 0.5 * line
    return inside and parse_subcaption(text) is None


_POSITION = re.compile(r"^\s*(?:[(（]\s*(?P<p1>左上|右上|左下|右下|左|右|上|下|中)\s*[)）]"
                       r"|(?P<p2>左上|右上|左下|右下|左|右|上|下|中)图\s*[:：]?)\s*")


def _with_position(c: Caption) -> Caption:
    """Given a caption, return it with a leading 左/右/上/下 marker ("（左）", "左图") moved out of
    its title into `position`."""
    m = _POSITION.match(c.title)
    if not c.labelled or not m:
        return c
    return replace(c, position=m.group("p1") or m.group("p2"), title=c.title[m.end():],
                   evidence=(*c.evidence, f"position:{m.group('p1') or m.group('p2')}"))


def _caption(page: int, order: int, ids: tuple[int, ...], bbox: BBox, parsed: CaptionParse,
             title: str, origins: set[TextOrigin], evidence: list[str]) -> Caption:
    return Caption(
        page=page, order=order, block_ids=ids, bbox=bbox, printed_label=parsed.printed_label,
        printed_sep=parsed.printed_sep,
        label=parsed.label, base_label=parsed.base_label, sub_label=parsed.sub_label, title=title,
        rest=parsed.rest, origin=TextOrigin.OCR if TextOrigin.OCR in origins else TextOrigin.PDF,
        evidence=tuple(evidence),
    )


def _text_width(text: str, size: float) -> float:
    return sum(size * (0.55 if ch.isascii() else 1.0) for ch in text)


def split_caption_lines(b: TextBlock) -> list[tuple[str, BBox]]:
    """Given a block whose lines start two or more captions, return each caption with its box.

    Line boxes are not in a TextBlock, so they are estimated: lines that fit side by side in one
    row are spread left to right (first flush left, last flush right), else stacked evenly.
    """
    lines = [ln.strip() for ln in b.text.split("\n") if ln.strip()]
    groups: list[str] = []
    for ln in lines:
        if parse_caption(ln) is not None:
            groups.append(ln)
        elif groups:
            groups[-1] += "\n" + ln
        else:
            return []
    if len(groups) < 2:
        return []
    return _place_lines(b, groups, len(lines))


def _place_lines(b: TextBlock, groups: list[str], n_lines: int) -> list[tuple[str, BBox]]:
    """Estimate each group's box: side by side in one row when they fit, else stacked."""
    x0, y0, x1, y1 = b.bbox_pt
    size = b.font_size or (y1 - y0) / n_lines * 0.85
    widths = [max(_text_width(g.split("\n")[0], size), 1.0) for g in groups]
    one_row = (y1 - y0) < 1.8 * size and sum(widths) <= (x1 - x0) * 1.05
    out = []
    if one_row:
        free = max(0.0, (x1 - x0) - sum(widths)) / (len(groups) - 1)
        x = x0
        for g, w in zip(groups, widths, strict=True):
            out.append((g, (x, y0, min(x + w, x1), y1)))
            x += w + free
        return out
    step = (y1 - y0) / n_lines
    row = 0
    for g in groups:
        n = g.count("\n") + 1
        out.append((g, (x0, y0 + row * step, x1, y0 + (row + n) * step)))
        row += n
    return out


def _subcaption_pieces(b: TextBlock) -> list[tuple[SubCaption, BBox]]:
    """A block of one or more sub-captions ("(a) 正面", "甲 全貌\n乙 局部"), each with its box."""
    lines = [part.strip() for ln in b.text.split("\n") for part in _SUB_SPLIT.split(ln) if part.strip()]
    if any(ln.endswith((":", "：")) for ln in lines):
        return []  # "（2）居住小区类测绘图纸样例：" opens a numbered list item, it names no picture
    parsed = [parse_subcaption(ln, loose=True) for ln in lines]
    if not lines or any(p is None for p in parsed):
        return []
    if len(lines) == 1:
        return [(parsed[0], b.bbox_pt)]
    boxes = _place_lines(b, lines, b.text.strip().count("\n") + 1)
    return [(sc, bbox) for sc, (_, bbox) in zip(parsed, boxes, strict=True)]


def _typography(b: TextBlock, body_font: float | None) -> list[str]:
    ev = []
    if b.kind == BlockKind.CAPTION:
        ev.append("layout:figure_caption")
    if b.font_size and body_font and b.font_size < 0.95 * body_font:
        ev.append("font-smaller")
    return ev


def _unlabelled_caption(b: TextBlock, page: PageExtract, body_font: float | None,
                        blocks: Sequence[TextBlock], skip: set[int]) -> tuple[str, ...]:
    """Given a block, return the evidence that it is a caption with no label, or () when not.

    A caption with no label is short, says no full sentence, hugs one picture (under, over or
    beside it, nothing in between) and is set apart from the body: the layout model's
    figure_caption, smaller type, or centred on its picture.
    """
    text = b.text.strip()
    layout = b.kind == BlockKind.CAPTION
    if not text or len(text) > MAX_UNLABELLED_CHARS or text.count("\n") > 2:
        return ()
    if "。" in text and not layout:
        return ()  # a description or body sentence
    if b.kind == BlockKind.TITLE or _HEADING.match(text):
        return ()  # a section heading over a picture is no caption
    if _TABLE_LABEL.match(text):
        return ()  # "表5.4.7 …" names the table under it, not a picture
    # a line a little larger than the body is still a caption when it hugs its picture, centred
    exact = exact_geometry(b, page)
    big = bool(b.font_size and body_font and b.font_size > 1.15 * body_font) \
        and not (layout and not exact)  # OCR sizes are noisy: trust the layout
    if big and (b.font_size > 1.3 * body_font or not exact):
        return ()  # a heading
    step = 0.95 if exact else 0.85  # OCR size estimates are noisy
    smaller = bool(b.font_size and body_font and b.font_size < step * body_font)
    vertical = is_vertical_column(b, page)
    line = (b.bbox_pt[3] - b.bbox_pt[1]) / (text.count("\n") + 1) if not vertical else b.bbox_pt[2] - b.bbox_pt[0]
    gap_max = max(24.0, 2.5 * line) if not layout else 60.0
    bb = b.bbox_pt
    for f in page.figures:
        fb = f.bbox_pt
        rel = _side(fb, bb, gap_max)
        if rel is None or _text_between(fb, bb, b, blocks):
            continue
        fw = fb[2] - fb[0]
        if rel in ("below", "above"):
            inside = h_overlap(fb, bb) >= 0.8 * (bb[2] - bb[0])
            centred = abs((bb[0] + bb[2]) - (fb[0] + fb[2])) / 2 <= 0.06 * fw + 3 and bb[2] - bb[0] < fw
            if not (inside or centred):
                continue
            if big:
                gap = bb[1] - fb[3] if rel == "below" else fb[1] - bb[3]
                if centred and gap <= 0.6 * line and "\n" not in text:
                    return (rel, "centred")
                continue
            if layout or smaller:
                return (rel, "layout" if layout else "smaller")
            if centred and bb[0] > fb[0] + 3:
                return (rel, "centred")
        else:
            level = abs(bb[1] - fb[1]) <= 3 or abs(bb[3] - fb[3]) <= 3
            if vertical and not big and v_overlap(fb, bb) >= 0.9 * (bb[3] - bb[1]):
                return (rel, "vertical")  # a column of characters set beside its picture
            if big:
                continue
            if layout or (smaller and level) or (level and line * 1.5 >= bb[3] - bb[1]):
                return (rel, "layout" if layout else "beside-level")
    if not vertical and "\n" not in text:
        return beside_alone(b, page, blocks, line)
    return ()


_TABLE_LABEL = re.compile(r"^\s*(?:表格?|Table|TABLE|Tab\.)\s*[\d一二三四五六七八九十]")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十\d]+[章节部分篇]|"
                      r"\d+(?:\.\d+)*[.、．]?\s|[(（][一二三四五六七八九十\d]+[)）])")


def _side(fig: BBox, b: BBox, gap: float) -> str | None:
    if h_overlap(fig, b) > 0 and 0 <= b[1] - fig[3] + 2 <= gap:
        return "below"
    if h_overlap(fig, b) > 0 and 0 <= fig[1] - b[3] + 2 <= gap:
        return "above"
    if v_overlap(fig, b) > 0.5 * (b[3] - b[1]) and 0 <= b[0] - fig[2] + 2 <= min(gap, 24.0):
        return "right"
    if v_overlap(fig, b) > 0.5 * (b[3] - b[1]) and 0 <= fig[0] - b[2] + 2 <= min(gap, 24.0):
        return "left"
    return None


def _text_between(fig: BBox, box: BBox, me: TextBlock, blocks: Sequence[TextBlock]) -> bool:
    corridor = union(fig, box)
    inner = (corridor[0] + 1, corridor[1] + 1, corridor[2] - 1, corridor[3] - 1)
    for o in blocks:
        if o is me or not o.text.strip():
            continue
        ob = o.bbox_pt
        if h_overlap(inner, ob) * v_overlap(inner, ob) > 0.3 * max((ob[2] - ob[0]) * (ob[3] - ob[1]), 1.0) \
                and not (h_overlap(fig, ob) * v_overlap(fig, ob) > 0.5 * (ob[2] - ob[0]) * (ob[3] - ob[1])):
            return True  # another block in the way (text printed over the picture does not count)
    return False
