"""Vector drawings as the page shows them: clipped to their clip paths, invisible fills dropped."""

from __future__ import annotations

import re

import pymupdf

from .text import is_caption_label

WHITE = 0.98  # a fill this light in every channel is paper-coloured


def visible_drawings(paths: list[dict]) -> list[dict]:
    """Given get_drawings(extended=True) output, return the drawn paths with "rect" cut to the
    clip paths in force when each was drawn (a figure's art spills past its frame and into the
    next figure), leaving out paths clipped away and white fills with no stroke (a paper-white
    background box shows nothing, yet joins everything over it into one cluster)."""
    stack: list[tuple[int, pymupdf.Rect | None]] = []
    out = []
    for p in paths:
        level = p.get("level", 0)
        while stack and stack[-1][0] >= level:
            stack.pop()
        kind = p.get("type")
        if kind == "clip":
            scissor = p.get("scissor")
            stack.append((level, pymupdf.Rect(scissor) if scissor is not None else None))
            continue
        if kind == "group":
            stack.append((level, None))
            continue
        if _paper_fill(p):
            continue
        rect = pymupdf.Rect(p["rect"])
        for _, clip in stack:
            if clip is not None:
                rect = _cut(rect, clip)
        if rect.x0 > rect.x1 or rect.y0 > rect.y1:
            continue  # clipped away
        out.append({**p, "rect": rect})
    return out


def _cut(rect: pymupdf.Rect, clip: pymupdf.Rect) -> pymupdf.Rect:
    """Intersect, keeping zero-width lines (Rect & Rect empties them) as long as they cross."""
    return pymupdf.Rect(max(rect.x0, clip.x0), max(rect.y0, clip.y0),
                        min(rect.x1, clip.x1), min(rect.y1, clip.y1))


def _paper_fill(p: dict) -> bool:
    fill = p.get("fill")
    return (p.get("type") == "f" and fill is not None and p.get("color") is None
            and all(c >= WHITE for c in fill) and p.get("fill_opacity", 1.0) > 0)


_NUMBER = re.compile(r"^\s*[-+−±]?\d+([.,]\d+)?\s*%?\s*$")
_TABLE_LABEL = re.compile(r"^\s*(Table|TABLE|Tab\.|表)\s*[\dA-Za-z一二三四五六七八九十]")


def chart_labels(rect: pymupdf.Rect, lines: list[tuple[pymupdf.Rect, str]],
                 max_chars: int = 30, max_line_pt: float = 12.0) -> tuple[pymupdf.Rect, list[int]]:
    """Given a drawing cluster's rect and the page's text lines (rect, text), return the rect
    grown over the short lines in small type that touch it, one after another (tick labels,
    axis names, a panel title: a chart's text is set as text, not drawn) and the indices taken;
    the rect unchanged and [] unless two of them are numbers (tick labels make it a chart: an
    ornament over a title is none). A line that opens a caption ("Figure 3:", "Table 1") or runs
    longer than `max_chars` is never taken."""
    grown, taken = pymupdf.Rect(rect), []
    changed = True
    while changed:
        changed = False
        for i, (box, text) in enumerate(lines):
            gap = min(box.width, box.height)  # one line height (rotated lines too)
            if i in taken or len(text) > max_chars or gap > max_line_pt \
                    or is_caption_label(text) or _TABLE_LABEL.match(text):
                continue
            dx = max(box.x0 - grown.x1, grown.x0 - box.x1, 0.0)
            dy = max(box.y0 - grown.y1, grown.y0 - box.y1, 0.0)
            if dx <= max(gap, 2.0) and dy <= max(gap, 2.0) and (dx == 0.0 or dy == 0.0):
                grown |= box
                taken.append(i)
                changed = True
    if sum(1 for i in taken if _NUMBER.match(lines[i][1])) < 2:
        return pymupdf.Rect(rect), []
    return grown, taken
