"""Text that names a picture without a caption line: a cover note ("Cover picture", 封面说明)
headed beside or over the picture it describes, and a photo story's lead paragraph set inside the
group of captioned photos it introduces (组图)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from align.geometry import box_gap, h_overlap, height, overlap_of, union_all, v_overlap, width
from culti.records import BBox, TextBlock
from culti.unionfind import UnionFind

# the heading of a cover note, alone on its line: a journal's "Cover picture", 敦煌研究's 封面说明
_NOTE = (r"(?:the\s+)?cover\s+(?:picture|illustration|image|photo(?:graph)?)|on\s+the\s+cover|"
         r"about\s+the\s+cover|封[面底二三四]\s*(?:说明|說明|图片|圖片|图说|圖說)|图版说明|圖版說明")
_NOTE_LINE = re.compile(rf"^\s*({_NOTE})\s*[:：.．]?\s*$", re.IGNORECASE)
_NOTE_RUN_IN = re.compile(rf"^\s*({_NOTE})\s*[:：]\s*(\S.*)$", re.IGNORECASE)  # "Cover picture: The …"
NOTE_REACH = 0.35  # farthest a note's picture may be, as a share of the page height


def cover_note(text: str) -> tuple[str, str] | None:
    """Given a block's text, return (heading, rest) when its first line is a cover note's heading
    ("Cover picture", "On the cover:", "封面说明"), else None; rest is the note's text in the block."""
    lines = text.strip().split("\n")
    m = _NOTE_LINE.match(lines[0])
    if m:
        return m.group(1).strip(), "\n".join(lines[1:]).strip()
    m = _NOTE_RUN_IN.match(lines[0])
    if m:
        return m.group(1).strip(), "\n".join([m.group(2), *lines[1:]]).strip()
    return None


def nearest_picture(note: BBox, pictures: Sequence[BBox], page_height: float) -> int | None:
    """Given a cover note's heading box and the page's uncaptioned pictures, return the index of
    the nearest one within NOTE_REACH of the page height, or None."""
    best = None
    for i, p in enumerate(pictures):
        gap = box_gap(note, p)
        if gap <= NOTE_REACH * page_height and (best is None or gap < best[0]):
            best = (gap, i)
    return None if best is None else best[1]


LEAD_MIN_CHARS = 20
GROUP_GAP_PT = 12.0  # the photos of one story touch, overlap or sit a gutter apart


def photo_groups(boxes: Sequence[BBox]) -> list[list[int]]:
    """Given photo boxes, return groups (indices) of two or more that touch or overlap."""
    uf = UnionFind(len(boxes))
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            if box_gap(a, boxes[j]) <= GROUP_GAP_PT:
                uf.union(i, j)
    return [g for g in uf.groups() if len(g) >= 2]


def group_lead(group: Sequence[BBox], free: Sequence[tuple[int, TextBlock]],
               body: Sequence[tuple[int, BBox]]) -> list[int]:
    """Given the boxes of a group of captioned photos, the page's free body blocks (position,
    block: no caption, heading or description took them) and all its body blocks (position, box),
    return the positions of the lead paragraph set inside the group's hull: one column of consecutive
    lines that runs on neither above nor below the hull (a body column would); [] when none."""
    hull = union_all(group)
    if hull is None or len(group) < 2:
        return []
    inside = [(pos, b) for pos, b in free if _within(b.bbox_pt, hull)
              and sum(overlap_of(b.bbox_pt, g) for g in group) <= 0.2]
    best: list[tuple[int, TextBlock]] = []
    for run in _columns(inside):
        if sum(len(b.text.strip()) for _, b in run) > sum(len(b.text.strip()) for _, b in best):
            best = run
    if sum(len(b.text.strip()) for _, b in best) < LEAD_MIN_CHARS:
        return []
    box = union_all(b.bbox_pt for _, b in best)
    line = max(_line(b) for _, b in best)
    mine = {pos for pos, _ in best}
    for pos, o in body:
        if pos in mine or _within(o, hull):
            continue
        runs_on = h_overlap(o, box) > 0.3 * min(width(o), width(box)) and (
            0 <= box[1] - o[3] <= 1.5 * line or 0 <= o[1] - box[3] <= 1.5 * line)
        if runs_on:
            return []  # a body column that passes through the group: not its lead
    return [pos for pos, _ in best]


def _columns(blocks: Sequence[tuple[int, TextBlock]]) -> list[list[tuple[int, TextBlock]]]:
    """Given blocks, return runs of consecutive lines one under the other in one column, in one
    type size."""
    runs: list[list[tuple[int, TextBlock]]] = []
    for pos, b in sorted(blocks, key=lambda x: (x[1].bbox_pt[1], x[1].bbox_pt[0])):
        for run in runs:
            last = run[-1][1].bbox_pt
            bb = b.bbox_pt
            gap = bb[1] - last[3]
            if h_overlap(last, bb) >= 0.5 * min(width(last), width(bb)) and \
                    -0.8 * height(last) <= gap <= 1.2 * _line(run[-1][1]) and \
                    v_overlap(last, bb) <= 0.8 * min(height(last), height(bb)) and \
                    _same_type(run[-1][1], b):
                run.append((pos, b))
                break
        else:
            runs.append([(pos, b)])
    return runs


def _same_type(a: TextBlock, b: TextBlock) -> bool:
    """Set in about one size (a headline over the lead is not one of its lines)."""
    if not a.font_size or not b.font_size:
        return True
    return max(a.font_size, b.font_size) <= LEAD_SIZE_RATIO * min(a.font_size, b.font_size)


LEAD_SIZE_RATIO = 1.3  # OCR sizes of one paragraph's lines spread by ~15%


def _line(b: TextBlock) -> float:
    return height(b.bbox_pt) / (b.text.strip().count("\n") + 1)


def _within(a: BBox, hull: BBox) -> bool:
    """Most of `a` lies in `hull` (a lead's lines may stick out past a photo's edge a little)."""
    return overlap_of(a, hull) >= 0.8
