"""Outline text: words drawn as vector glyphs (web and print exports) with no text layer under
them. Glyph-like drawings are found, OCRed on a render of the page, and kept out of figures."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import pymupdf

from culti.records import TextBlock

from .config import ExtractConfig
from .images import pixmap_array

MAX_GLYPH_PT = 48.0  # a drawing larger than this on both sides is not one character
MIN_GLYPH_ITEMS = 2  # a glyph outline is a path of several segments, not one rectangle
PAGE_GROUND = 0.8  # a filled shape over this share of the page is its paper, not a figure's ground
MIN_ROW_GLYPHS = 3  # glyphs set side by side in a row this long are a line of text
GLYPH_EM = 0.9  # a line's tallest glyph (a CJK character, a capital with a descender) over its type size
MIN_TEXTLESS_GLYPHS = 4  # on a page with no text layer, this many glyphs in rows (a short caption) are text


def _rect_only(path: dict) -> bool:
    return all(item[0] in ("re", "qu") for item in path.get("items", ()))


def glyph_drawings(paths: Sequence[dict], text_rects: Sequence[pymupdf.Rect],
                   image_rects: Sequence[pymupdf.Rect], page_rect: pymupdf.Rect) -> list[int]:
    """Given a page's drawings, the rects of its visible text-layer spans and of its images,
    return the indices of drawings shaped like glyphs: small filled outlines that no text span
    covers, not inside an image, and either off any larger filled shape or, on one (a slide's
    tinted panel, a figure's ground), set in a row of glyphs like a line of text."""
    page_area = abs(page_rect)
    grounds = [pymupdf.Rect(p["rect"]) for p in paths
               if p.get("type") in ("f", "fs") and p.get("fill") is not None
               and min(p["rect"].width, p["rect"].height) > MAX_GLYPH_PT
               and abs(pymupdf.Rect(p["rect"])) < PAGE_GROUND * page_area]
    free, grounded = [], []
    for i, p in enumerate(paths):
        if p.get("type") != "f" or p.get("fill") is None:
            continue  # outlined text is filled, not stroked
        r = pymupdf.Rect(p["rect"])
        if max(r.width, r.height) > MAX_GLYPH_PT or max(r.width, r.height) < 0.8:
            continue
        if len(p.get("items", ())) < MIN_GLYPH_ITEMS or _rect_only(p):
            continue
        centre = pymupdf.Point((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2)
        if any(centre in t for t in text_rects) or any(centre in g for g in image_rects):
            continue
        (grounded if any(centre in g for g in grounds) else free).append(i)
    if grounded:
        rects = [pymupdf.Rect(paths[i]["rect"]) for i in free + grounded]
        lines = [pymupdf.Rect(_union(rects[k] for k in line)) for line in text_rows(rects)]
        for k, i in enumerate(grounded, len(free)):
            r = rects[k]
            centre = pymupdf.Point((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2)
            # a glyph in a line, or punctuation beside one (a comma is too small to line up)
            if any(centre in line + _slack(line) for line in lines):
                free.append(i)
    return sorted(free)


def _union(rects) -> pymupdf.Rect:
    out = pymupdf.Rect(pymupdf.EMPTY_RECT())
    for r in rects:
        out |= r
    return out


def _slack(line: pymupdf.Rect) -> tuple[float, float, float, float]:
    """How far past a line of glyphs its punctuation may sit: a character's side along the
    line, a sixth of one across it."""
    side = min(line.width, line.height)
    along, across = (side, side / 6) if line.width >= line.height else (side / 6, side)
    return (-along, -across, along, across)


def _lines_along(rects: Sequence[pymupdf.Rect], axis: int, uf) -> None:
    """Join in `uf` the glyphs that stand in one line along `axis` (0: a row, centres level
    within a third of the taller glyph; 1: a vertical column, centres aligned within a third of
    the wider), of like size, each within about a character of the next. Punctuation (less
    than half a character) joins a character whose band across the line holds it."""
    if not rects:
        return
    size = [max(r.height, r.width, 0.5) for r in rects]
    across = [((r.y0 + r.y1) if axis == 0 else (r.x0 + r.x1)) / 2 for r in rects]
    lo = [r.x0 if axis == 0 else r.y0 for r in rects]
    hi = [r.x1 if axis == 0 else r.y1 for r in rects]
    band = [(r.y0, r.y1) if axis == 0 else (r.x0, r.x1) for r in rects]
    reach = 0.7 * float(np.percentile(size, 90))  # a comma's centre sits off its line's
    order = sorted(range(len(rects)), key=lambda k: across[k])
    for n, a in enumerate(order):
        for b in order[n + 1:]:
            if across[b] - across[a] > max(0.7 * size[a], reach):
                break  # sorted: nothing further is level with a
            big = max(size[a], size[b])
            if big > 2 * min(size[a], size[b]):
                small, large = (a, b) if size[a] < size[b] else (b, a)
                if not (band[small][0] >= band[large][0] - 0.1 * big
                        and band[small][1] <= band[large][1] + 0.1 * big):
                    continue
            elif abs(across[b] - across[a]) > big / 3:
                continue
            if max(lo[a], lo[b]) - min(hi[a], hi[b]) <= 1.2 * big:
                uf.union(a, b)


def text_rows(rects: Sequence[pymupdf.Rect]) -> list[list[int]]:
    """Given glyph-like rects, return the groups of MIN_ROW_GLYPHS or more that stand in rows or
    vertical columns like lines of text, as lists of positions."""
    from culti.unionfind import UnionFind

    uf = UnionFind(len(rects))
    _lines_along(rects, 0, uf)
    _lines_along(rects, 1, uf)
    return [g for g in uf.groups() if len(g) >= MIN_ROW_GLYPHS]


def glyph_lines(rects: Sequence[pymupdf.Rect]) -> list[tuple[pymupdf.Rect, float, bool]]:
    """Given glyph rects, return the lines they form as (box, type size, vertical): each glyph
    joins the row or the column in which it has more company; punctuation too small to line up
    joins the line it sits at the end of. The size is the line's tallest glyph (across a
    column: its widest), so lines of one type share it whatever their letters."""
    from culti.unionfind import UnionFind

    rows, cols = UnionFind(len(rects)), UnionFind(len(rects))
    _lines_along(rects, 0, rows)
    _lines_along(rects, 1, cols)
    row_n, col_n = ({r: len(g) for g in uf.groups() for r in g} for uf in (rows, cols))
    vertical = [col_n[k] >= MIN_ROW_GLYPHS and col_n[k] > row_n[k] for k in range(len(rects))]
    groups: dict[tuple[bool, int], list[int]] = {}
    for k in range(len(rects)):
        key = (vertical[k], cols.find(k) if vertical[k] else rows.find(k))
        groups.setdefault(key, []).append(k)
    lines = []
    for (is_col, _), members in groups.items():
        box = _union(rects[k] for k in members)
        size = max((rects[k].width if is_col else rects[k].height) for k in members)
        lines.append([box, size, is_col, len(members)])
    alone = [ln for ln in lines if ln[3] == 1]
    kept = [ln for ln in lines if ln[3] > 1]
    for ln in alone:
        r = ln[0]
        centre = pymupdf.Point((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2)
        home = next((h for h in kept if ln[1] < 0.8 * h[1] and centre in h[0] + _slack(h[0])), None)
        if home is None:
            kept.append(ln)
        else:
            home[0] = home[0] | r
    return [(box, size, is_col) for box, size, is_col, _ in kept]


def _one_row(a: pymupdf.Rect, b: pymupdf.Rect, size: float) -> bool:
    """Whether two row pieces are one line: level, and a short piece (a label: 图1, Fig. 3)
    within three characters of a long one (a label and its title set apart by spaces) or any
    piece within one and a half (a gap the row search left open). Two short pieces further
    apart are cells of a table."""
    level = min(a.y1, b.y1) - max(a.y0, b.y0) >= 0.5 * min(a.height, b.height)
    gap = max(b.x0 - a.x1, a.x0 - b.x1)
    label = min(a.width, b.width) <= 3 * size < max(a.width, b.width)
    return level and gap <= (3.0 if label else 1.5) * size


def paragraphs(lines: Sequence[tuple[pymupdf.Rect, float, bool]]) -> list[pymupdf.Rect]:
    """Given glyph lines, return one box per paragraph: lines of one direction and about one
    type size (within 30%), overlapping across, and within about half a line of each other
    (rows) or a character (columns, set looser). A heading over its text, a small caption on a
    line of its own, or a column gutter keeps boxes apart."""
    from culti.unionfind import UnionFind

    uf = UnionFind(len(lines))
    for a in range(len(lines)):
        ra, sa, va = lines[a]
        for b in range(a + 1, len(lines)):
            rb, sb, vb = lines[b]
            if va != vb or max(sa, sb) > 1.3 * min(sa, sb):
                continue
            big = max(sa, sb)
            if va:
                overlap = min(ra.y1, rb.y1) - max(ra.y0, rb.y0)
                gap, limit = max(rb.x0 - ra.x1, ra.x0 - rb.x1), 1.2 * big
            else:
                overlap = min(ra.x1, rb.x1) - max(ra.x0, rb.x0)
                gap, limit = max(rb.y0 - ra.y1, ra.y0 - rb.y1), 0.6 * big
            if overlap > 0 and gap <= limit:
                uf.union(a, b)
            elif not va and _one_row(ra, rb, big):
                uf.union(a, b)
    return sorted((_union(lines[k][0] for k in g) for g in uf.groups()), key=lambda r: (r.y0, r.x0))


def is_outline_page(glyphs: Sequence[dict], min_glyphs: int, has_text_layer: bool = True) -> bool:
    """Given glyph-like drawings, return True when they are many, of many different shapes,
    and mostly of one size (characters of a few font sizes); on a page with no text layer at
    all, also when a few of them, each drawn differently, stand in rows like a line of text (a
    plate page with one caption; a drawn pattern repeats one shape)."""
    rects = [pymupdf.Rect(p["rect"]) for p in glyphs]
    if not has_text_layer:
        shapes = {(round(rects[k].width * 2), round(rects[k].height * 2), len(glyphs[k]["items"]))
                  for row in text_rows(rects) for k in row}
        if len(shapes) >= MIN_TEXTLESS_GLYPHS:
            return True
    if len(rects) < min_glyphs:
        return False
    # words are many different shapes; a drawn pattern repeats a few (circles, petals)
    shapes = {(round(r.width * 2), round(r.height * 2)) for r in rects}
    if len(shapes) < max(10, len(rects) // 20):
        return False
    sizes = np.array([max(r.width, r.height) for r in rects])
    typical = float(np.median(sizes))
    alike = [r for r in rects if 0.3 * typical <= max(r.width, r.height) <= 2.5 * typical]
    return len(alike) >= min_glyphs // 2


def glyph_mask(glyph_rects: Sequence[pymupdf.Rect], page_rect: pymupdf.Rect, zoom: float,
               shape: tuple[int, int]) -> np.ndarray:
    """Given glyph rects (page points), return a uint8 mask of them at `zoom` pixels per point."""
    mask = np.zeros(shape, np.uint8)
    for r in glyph_rects:
        x0, y0 = int((r.x0 - page_rect.x0) * zoom), int((r.y0 - page_rect.y0) * zoom)
        x1, y1 = int(np.ceil((r.x1 - page_rect.x0) * zoom)), int(np.ceil((r.y1 - page_rect.y0) * zoom))
        mask[max(0, y0):max(0, y1), max(0, x0):max(0, x1)] = 1
    return mask


def outline_blocks(page: pymupdf.Page, glyph_rects: Sequence[pymupdf.Rect],
                   config: ExtractConfig) -> list[TextBlock]:
    """Given a page and its glyph rects, return OCR text blocks of the glyph regions read on a
    render of the page with everything but the glyphs whitened (pictures are never read as
    text, and a caption inside a figure's box is still read), in displayed page points."""
    from dataclasses import replace

    from .regions import merge_text_regions
    from .scanned import Scan, ocr_regions

    zoom = config.render_dpi / 72
    arr = pixmap_array(page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False))
    scan = Scan(arr, pymupdf.Rect(page.rect), (arr.shape[1], arr.shape[0]), 0.0, False)
    mask = cv2.dilate(glyph_mask(glyph_rects, page.rect, zoom, arr.shape[:2]),
                      np.ones((3, 3), np.uint8))  # a glyph's anti-aliased rim stays
    arr = np.where(mask[..., None] > 0, arr, 255).astype(np.uint8)
    lines = glyph_lines(glyph_rects)
    boxes = [tuple((v - o) * zoom for v, o in zip(r, (page.rect.x0, page.rect.y0) * 2, strict=True))
             for r in paragraphs(lines)]
    # a label and its title set two or more spaces apart are pieces of one caption line
    regions = merge_text_regions([("text", b) for b in boxes], max_line_px=config.max_line_pt * zoom)
    blocks = ocr_regions(arr, regions, [], scan, 1.0, config, page)
    return [replace(b, font_size=_type_size(b.bbox_pt, lines) or b.font_size) for b in blocks]


def _type_size(box: tuple, lines: Sequence[tuple[pymupdf.Rect, float, bool]]) -> float | None:
    """Given a block's box and the page's glyph lines, return the block's type size from its
    glyphs (the median line's tallest glyph over GLYPH_EM of the em), steadier than OCR's boxes;
    None when no line lies in it."""
    inside = sorted(size for r, size, _ in lines
                    if pymupdf.Point((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2) in pymupdf.Rect(box) + (-2, -2, 2, 2))
    return round(inside[len(inside) // 2] / GLYPH_EM, 2) if inside else None


__all__ = ["glyph_drawings", "glyph_lines", "glyph_mask", "is_outline_page", "outline_blocks", "paragraphs",
           "text_rows"]
