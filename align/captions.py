"""Caption detection on one page: labelled lines, OCR-split titles, sub-captions, layout and type."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from align.geometry import h_overlap, union, v_overlap
from align.labels import parse_caption, parse_subcaption
from culti.records import BBox, BlockKind, PageExtract, TextBlock, TextOrigin

MAX_UNLABELLED_CHARS = 40


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
             if b.font_size and b.kind == BlockKind.TEXT for _ in range(min(len(b.text), 200))]
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
    for i, b in enumerate(blocks):
        if i in drop or i in used:
            continue
        parsed = parse_caption(b.text)
        if parsed is not None:
            ids, bbox, title = [i], b.bbox_pt, parsed.title
            origins = {b.origin}
            evidence = ["label-regex"]
            if not title:
                j = _title_partner(i, blocks, used | {i}, drop)
                if j is not None:
                    ids.append(j)
                    bbox = union(bbox, blocks[j].bbox_pt)
                    title = blocks[j].text.strip()
                    origins.add(blocks[j].origin)
                    evidence.append("title-joined")
            evidence += _typography(b, body_font)
            used.update(ids)
            captions.append(Caption(
                page=page.page, order=i, block_ids=tuple(ids), bbox=bbox,
                printed_label=parsed.printed_label, label=parsed.label,
                base_label=parsed.base_label, sub_label=parsed.sub_label, title=title,
                rest=parsed.rest,
                origin=TextOrigin.OCR if TextOrigin.OCR in origins else TextOrigin.PDF,
                evidence=tuple(evidence),
            ))
            continue
        sub = parse_subcaption(b.text)
        if sub is not None and _near_figure(b.bbox_pt, page, 40.0):
            used.add(i)
            subs.append(SubCaptionBlock(page.page, i, b.bbox_pt, sub.sub_label, sub.title))
            continue
        if _unlabelled_caption(b, page, body_font):
            used.add(i)
            captions.append(Caption(
                page=page.page, order=i, block_ids=(i,), bbox=b.bbox_pt, printed_label="",
                label="", base_label="", sub_label="", title=b.text.strip(), rest="",
                origin=b.origin, evidence=("unlabelled",) + tuple(_typography(b, body_font)),
            ))
    return PageCaptions(tuple(captions), tuple(subs), frozenset(used))


def _typography(b: TextBlock, body_font: float | None) -> list[str]:
    ev = []
    if b.kind == BlockKind.CAPTION:
        ev.append("layout:figure_caption")
    if b.font_size and body_font and b.font_size < 0.95 * body_font:
        ev.append("font-smaller")
    return ev


def _unlabelled_caption(b: TextBlock, page: PageExtract, body_font: float | None) -> bool:
    """A caption with no label: the layout model says so, or small type hugging a figure."""
    text = b.text.strip()
    if not text or len(text) > MAX_UNLABELLED_CHARS or "。" in text[:-1] or "\n" in text:
        return False
    if b.kind == BlockKind.CAPTION:
        return _near_figure(b.bbox_pt, page, 60.0)
    smaller = bool(b.font_size and body_font and b.font_size < 0.9 * body_font)
    return smaller and not text.endswith("。") and _near_figure(b.bbox_pt, page, 24.0)
