"""Vector drawings as the page shows them: clipped to their clip paths, invisible fills dropped."""

from __future__ import annotations

import hashlib
import re

import pymupdf

from culti.geometry import merge_pairwise

from .candidate import Candidate, drawing_count, inside_frac, overlap
from .text import is_caption_label

VECTOR_DPI = 200

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


def vector_candidates(page: pymupdf.Page, drawings: list[dict]) -> list[Candidate]:
    """Given a page and its drawings, return clusters of them as candidates."""
    if not drawings:
        return []
    matrix = page.rotation_matrix
    out = []
    for cluster in page.cluster_drawings(drawings=drawings, final_filter=False):
        inside = [d for d in drawings if pymupdf.Rect(d["rect"]) in cluster + (-1, -1, 1, 1)]
        if len(inside) < 1:
            continue
        rect = (pymupdf.Rect(cluster) * matrix) & page.rect
        if rect.is_empty and rect.width + rect.height <= 0:
            continue
        digest = hashlib.sha1(repr([(d.get("type"), len(d["items"])) for d in inside]).encode())
        out.append(Candidate(rect, (), f"v{len(inside)}-{digest.hexdigest()[:12]}",
                             VECTOR_DPI / 72, False, "vector"))
    return out


def labelled_charts(vectors: list[Candidate], images: list[Candidate],
                    lines: list[tuple[pymupdf.Rect, str]], min_items: int,
                    min_side: float) -> list[Candidate]:
    """Given drawing clusters, the image candidates and the page's text lines, return the
    clusters of at least `min_items` drawings, `min_side` on their short side (a table's rules
    are thinner) and no picture in them grown over the labels that
    touch them (chart_labels), and charts stacked (or set side by side) over the same plot width
    (height) with only their labels between them joined: panels of one chart."""
    items: list[tuple[Candidate, pymupdf.Rect]] = []  # (grown candidate, its drawings' rect)
    taken: set[int] = set()
    for v in vectors:
        if v.kind == "vector" and drawing_count(v) >= min_items \
                and min(v.rect.width, v.rect.height) >= min_side \
                and not any(overlap(v.rect, c.rect) > 0.3 for c in images):
            grown, used = chart_labels(v.rect, lines)
            taken.update(used)
            items.append((Candidate(grown, (), v.digest, v.zoom, False, "chart"), v.rect))
        else:
            items.append((v, v.rect))
    free = [box for i, (box, _) in enumerate(lines) if i not in taken]

    def join(x: tuple[Candidate, pymupdf.Rect], y: tuple[Candidate, pymupdf.Rect]):
        (a, pa), (b, pb) = x, y
        if not (a.kind == b.kind == "chart" and _panels(a.rect, pa, b.rect, pb, free)):
            return None
        n = drawing_count(a) + drawing_count(b)
        digest = hashlib.sha1((a.digest + b.digest).encode()).hexdigest()[:12]
        return Candidate(a.rect | b.rect, (), f"v{n}-{digest}", a.zoom, False, "chart"), pa | pb

    items = merge_pairwise(items, join)
    return [Candidate(c.rect, c.xrefs, c.digest, c.zoom, c.clipped, "vector") if c.kind == "chart"
            else c for c, _ in items]


def _panels(a: pymupdf.Rect, pa: pymupdf.Rect, b: pymupdf.Rect, pb: pymupdf.Rect,
            free: list[pymupdf.Rect], max_gap: float = 14.0) -> bool:
    """Two labelled charts are panels of one figure when their plots share a width (stacked) or
    a height (side by side), their labelled rects lie within `max_gap` and no other text
    (a caption, a paragraph) lies between them."""
    def shared(lo0: float, hi0: float, lo1: float, hi1: float) -> bool:
        inter = min(hi0, hi1) - max(lo0, lo1)
        return inter >= 0.8 * min(hi0 - lo0, hi1 - lo1)

    stacked = shared(pa.x0, pa.x1, pb.x0, pb.x1)
    level = shared(pa.y0, pa.y1, pb.y0, pb.y1)
    if stacked:
        top, bottom = (a, b) if a.y0 <= b.y0 else (b, a)
        between = pymupdf.Rect(max(a.x0, b.x0), top.y1, min(a.x1, b.x1), bottom.y0)
    elif level:
        left, right = (a, b) if a.x0 <= b.x0 else (b, a)
        between = pymupdf.Rect(left.x1, max(a.y0, b.y0), right.x0, min(a.y1, b.y1))
    else:
        return False
    if between.height > max_gap if stacked else between.width > max_gap:
        return False
    return not any(box.intersects(between) for box in free)


def drawings_over_images(vectors: list[Candidate], images: list[Candidate],
                         shapes: list[pymupdf.Rect], min_items: int, max_area: float
                         ) -> tuple[list[Candidate], list[Candidate]]:
    """Given drawing clusters, image candidates and the drawings' rects, return them with each
    cluster (of at least `min_items` drawings, under `max_area`) that holds images and draws
    over them (a shape, line or arrow crosses into a picture without framing it), or holds only
    tiny pictures in a drawing of its own, joined with those images into one `mixed` candidate:
    a diagram of shapes and labels drawn over small pictures, or pictures and callouts inside
    one drawn frame. A cluster that only frames its one image, or a slide frame around
    pictures set apart from its drawings, leaves the images alone."""
    out_v: list[Candidate] = []
    taken: set[int] = set()
    for v in vectors:
        inside = [i for i, c in enumerate(images) if i not in taken
                  and inside_frac(c.rect, v.rect) >= 0.5]
        if not inside or drawing_count(v) < min_items or v.rect.get_area() >= max_area:
            out_v.append(v)
            continue
        rect = pymupdf.Rect(v.rect)
        for i in inside:
            rect |= images[i].rect
        pics = [images[i].rect for i in inside]
        drawn = [r for r in shapes if r in v.rect + (-1, -1, 1, 1)]
        inner = [p + (1, 1, -1, -1) for p in pics]  # a table rule ending at a picture's edge
        over = sum(1 for r in drawn if any(_meets(r, p) and not r.contains(p) for p in inner))
        tiny = sum(p.get_area() for p in pics) < 0.05 * rect.get_area() and len(drawn) >= 10
        framed = len(inside) == 1 and pics[0].get_area() >= 0.9 * rect.get_area()
        if framed or not (over or tiny):
            out_v.append(v)  # a frame or an overlay on the picture; a slide around pictures
            continue
        taken.update(inside)
        parts = [images[i] for i in inside]
        digest = hashlib.sha1("".join([v.digest] + [c.digest for c in parts]).encode())
        zoom = min(max([v.zoom] + [c.zoom for c in parts]), 4.0)
        out_v.append(Candidate(rect, tuple(x for c in parts for x in c.xrefs),
                               f"{v.digest.split('-')[0]}-{digest.hexdigest()[:12]}", zoom,
                               False, "mixed"))
    return out_v, [c for i, c in enumerate(images) if i not in taken]


def _meets(a: pymupdf.Rect, b: pymupdf.Rect) -> bool:
    """Closed rects meet (a zero-width line crossing or touching a picture counts)."""
    return a.x0 <= b.x1 and b.x0 <= a.x1 and a.y0 <= b.y1 and b.y0 <= a.y1
