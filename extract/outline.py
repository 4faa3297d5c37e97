"""Outline text: words drawn as vector glyphs (web and print exports) with no text layer under
them. Glyph-like drawings are found, OCRed on a render of the page, and kept out of figures."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pymupdf

from culti.records import BBox, TextBlock

from .config import ExtractConfig
from .images import pixmap_array

MAX_GLYPH_PT = 48.0  # a drawing larger than this on both sides is not one character
MIN_GLYPH_ITEMS = 2  # a glyph outline is a path of several segments, not one rectangle


def _rect_only(path: dict) -> bool:
    return all(item[0] in ("re", "qu") for item in path.get("items", ()))


def glyph_drawings(paths: Sequence[dict], text_rects: Sequence[pymupdf.Rect],
                   image_rects: Sequence[pymupdf.Rect]) -> list[int]:
    """Given a page's drawings, the rects of its visible text-layer spans and of its images,
    return the indices of drawings shaped like glyphs: small filled outlines that no text span
    covers, not inside an image, not on a larger filled shape (a vector figure's ground)."""
    grounds = [pymupdf.Rect(p["rect"]) for p in paths
               if p.get("type") in ("f", "fs") and p.get("fill") is not None
               and min(p["rect"].width, p["rect"].height) > MAX_GLYPH_PT]
    out = []
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
        if any(centre in g for g in grounds):
            continue
        out.append(i)
    return out


def is_outline_page(glyph_rects: Sequence[pymupdf.Rect], min_glyphs: int) -> bool:
    """Given glyph-like rects, return True when they are many, of many different shapes, and
    mostly of one size (characters of a few font sizes)."""
    if len(glyph_rects) < min_glyphs:
        return False
    # words are many different shapes; a drawn pattern repeats a few (circles, petals)
    shapes = {(round(r.width * 2), round(r.height * 2)) for r in glyph_rects}
    if len(shapes) < max(10, len(glyph_rects) // 20):
        return False
    sizes = np.array([max(r.width, r.height) for r in glyph_rects])
    typical = float(np.median(sizes))
    alike = [r for r in glyph_rects if 0.3 * typical <= max(r.width, r.height) <= 2.5 * typical]
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
                   figure_boxes: Sequence[BBox], config: ExtractConfig) -> list[TextBlock]:
    """Given a page and its glyph rects, return OCR text blocks of the glyph regions read on a
    render of the page (figures painted out), each block in displayed page points."""
    from .scanned import Scan, ocr_regions

    zoom = config.render_dpi / 72
    arr = pixmap_array(page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False))
    scan = Scan(arr, pymupdf.Rect(page.rect), (arr.shape[1], arr.shape[0]), 0.0, False)
    mask = glyph_mask(glyph_rects, page.rect, zoom, arr.shape[:2])
    figs_px = [tuple((v - o) * zoom for v, o in zip(b, (page.rect.x0, page.rect.y0) * 2,
                                                      strict=True)) for b in figure_boxes]
    # the character size: a high percentile of glyph sides (Latin letters are narrow and
    # lowercase is short; CJK glyphs are square)
    glyph = float(np.percentile([max(r.width, r.height) for r in glyph_rects], 75)) * zoom
    from .regions import merge_text_regions

    # a label and its title set two or more spaces apart are pieces of one caption line
    regions = merge_text_regions([("text", b) for b in paragraph_regions(mask, glyph)],
                                 max_line_px=config.max_line_pt * zoom)
    return ocr_regions(arr, regions, figs_px, scan, 1.0, config, page)


def paragraph_regions(mask: np.ndarray, glyph_px: float) -> list[tuple[float, float, float, float]]:
    """Given a mask of glyph boxes and the typical glyph size in pixels, return one box per
    paragraph: glyphs closer than about a character side by side (punctuation, the two spaces
    after a label) or half a character above and below (line spacing) join; a column gutter or
    the space between a caption and its description keeps boxes apart."""
    import cv2

    kx, ky = max(3, int(round(1.2 * glyph_px))), max(3, int(round(0.55 * glyph_px)))
    joined = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (kx, ky)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, _ = (int(v) for v in stats[i])
        hx, hy = kx // 2, ky // 2
        out.append((float(x + hx), float(y + hy), float(x + w - hx), float(y + h - hy)))
    return sorted(out, key=lambda b: (b[1], b[0]))


__all__ = ["glyph_drawings", "glyph_mask", "is_outline_page", "outline_blocks"]
