"""One page -> one PageExtract: decide the page kind, then run the digital or scanned path."""

from __future__ import annotations

import time

import pymupdf

from culti.records import (
    Figure,
    FigureOrigin,
    PageExtract,
    PageKind,
    PageStatus,
    RejectReason,
    TextBlock,
)

from .config import ExtractConfig
from .digital import PageContext, digital_figures
from .images import decode_xref, pixmap_array
from .scanned import image_cover, largest_image, scanned_page
from .text import lines_to_blocks, mark_captions, plumber_lines, pymupdf_lines, text_quality

MAX_BAD_FRAC = 0.1  # a text layer with more broken characters than this is unusable
TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP


def page_kind(page: pymupdf.Page, doc: pymupdf.Document, textdict: dict,
              config: ExtractConfig) -> PageKind:
    """Given a page, return DIGITAL, SCANNED (a page-sized image and no real text) or MIXED
    (a page-sized scan with a text layer: invisible OCR text, or real text over a busy scan)."""
    info, cover = largest_image(page)
    if info is None:
        return PageKind.DIGITAL
    strips = False
    if cover < config.scan_cover_frac:  # a scan stored as many strips is a scan too
        if image_cover(page)[0] < config.scan_cover_frac:
            return PageKind.DIGITAL
        strips = True
    visible = "".join(s["text"] for b in textdict.get("blocks", []) for ln in b.get("lines", [])
                      for s in ln["spans"] if s.get("alpha", 255) > 0)
    hidden = "".join(s["text"] for b in textdict.get("blocks", []) for ln in b.get("lines", [])
                     for s in ln["spans"] if s.get("alpha", 255) == 0)
    visible_real, _ = text_quality(visible)
    hidden_real, _ = text_quality(hidden)
    if visible_real < config.min_text_chars:
        return PageKind.MIXED if hidden_real >= config.min_text_chars else PageKind.SCANNED
    if strips:
        return PageKind.DIGITAL
    return PageKind.MIXED if _looks_like_scan(doc, info["xref"]) else PageKind.DIGITAL


def _looks_like_scan(doc: pymupdf.Document, xref: int) -> bool:
    """A page background is plain or faint; a scan has dark ink on it."""
    pix = decode_xref(doc, xref)
    if pix.w * pix.h > 4_000_000:  # a thumbnail is enough to judge
        pix = pymupdf.Pixmap(pix, max(1, pix.w // 4), max(1, pix.h // 4), None)
    gray = pixmap_array(pix).mean(axis=2)
    return float((gray < 100).mean()) > 0.005


def text_blocks(page: pymupdf.Page, textdict: dict, config: ExtractConfig, plumber_page=None
                ) -> tuple[list[TextBlock], str]:
    """Given a digital page, return its text blocks and which reading gave them: PyMuPDF, else
    pdfplumber where PyMuPDF's text is broken, else "" when neither has usable text."""
    lines = split_gaps(split_side_by_side(pymupdf_lines(textdict)))
    real, bad = text_quality("".join(ln["text"] for ln in lines))
    page_no = page.number + 1
    if lines and bad <= MAX_BAD_FRAC:
        return lines_to_blocks(lines, page_no, page.rect, page.rotation_matrix,
                               config.band_frac), "pymupdf"
    if lines and plumber_page is not None and (second_page := _resolve(plumber_page)) is not None:
        second = plumber_lines(second_page)
        real2, bad2 = text_quality("".join(ln["text"] for ln in second))
        if second and bad2 <= MAX_BAD_FRAC and real2 >= min(real, config.min_text_chars):
            return lines_to_blocks(second, page_no, page.rect, page.rotation_matrix,
                                   config.band_frac), "pdfplumber"
    return [], "" if lines else "none"


def split_side_by_side(lines: list[dict]) -> list[dict]:
    """Given text lines grouped in blocks, return them with a block that holds columns side by
    side (a row of captions under a row of pictures, each wrapping under its own picture) split
    into one block per column: MuPDF joins lines set at one height into one block."""
    groups: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        groups.setdefault(ln["block"], []).append(i)
    out = [dict(ln) for ln in lines]
    for block, idx in groups.items():
        if len(idx) < 2:
            continue
        cols = _columns(idx, lines)
        if len(cols) < 2 or not _side_by_side(cols, lines):
            continue
        ordered = sorted(cols, key=lambda c: min(lines[i]["bbox"][0] for i in c))
        for rank, col in enumerate(ordered):
            for i in col:
                out[i]["block"] = block * 1000 + rank
    return out


def split_gaps(lines: list[dict], factor: float = 1.5) -> list[dict]:
    """Given text lines grouped in blocks, return them with a block cut where a line starts more
    than `factor` line heights under the one before it: MuPDF now and then puts a page number
    and a caption far below it into one block."""
    groups: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        groups.setdefault(ln["block"], []).append(i)
    out = [dict(ln) for ln in lines]
    for block, idx in groups.items():
        order = sorted(idx, key=lambda i: lines[i]["bbox"][1])
        part = 0
        for prev, cur in zip(order, order[1:], strict=False):
            a, b = lines[prev]["bbox"], lines[cur]["bbox"]
            h = max(a[3] - a[1], b[3] - b[1], 1.0)
            if b[1] - a[3] > factor * h:
                part += 1
            if part:
                out[cur]["block"] = block * 100 + part + 10**7
    return out


def _columns(idx: list[int], lines: list[dict]) -> list[list[int]]:
    """Given a block's line positions, return them grouped by overlapping x-ranges."""
    cols: list[list[int]] = []
    for i in sorted(idx, key=lambda k: lines[k]["bbox"][0]):
        x0, x1 = lines[i]["bbox"][0], lines[i]["bbox"][2]
        hit = [c for c in cols if any(min(x1, lines[k]["bbox"][2]) - max(x0, lines[k]["bbox"][0]) > 0
                                      for k in c)]
        merged = [i] + [k for c in hit for k in c]
        cols = [c for c in cols if c not in hit] + [merged]
    return cols


def _side_by_side(cols: list[list[int]], lines: list[dict]) -> bool:
    """Two columns of one block share a row: some line of one is level with a line of another."""
    for a, ca in enumerate(cols):
        for cb in cols[a + 1:]:
            for i in ca:
                for j in cb:
                    bi, bj = lines[i]["bbox"], lines[j]["bbox"]
                    if min(bi[3], bj[3]) - max(bi[1], bj[1]) > 0.5 * min(bi[3] - bi[1], bj[3] - bj[1]):
                        return True
    return False


class _PlumberPage:
    """A pdfplumber page fetched only if PyMuPDF's text turns out broken (opening is slow)."""

    def __init__(self, plumber_doc, page: int) -> None:
        self.doc, self.page = plumber_doc, page

    def get(self):
        return self.doc.pages[self.page - 1] if self.doc is not None else None


def _resolve(plumber_page):
    return plumber_page.get() if isinstance(plumber_page, _PlumberPage) else plumber_page


def ocr_fallback(page: pymupdf.Page, figure_boxes: list, config: ExtractConfig) -> list[TextBlock]:
    """Given a page whose text layer is broken, return OCR blocks of its rendering (figures
    painted out so only text is read)."""
    from .regions import merge_text_regions, residual_text
    from .scanned import Scan, foreground, ocr_regions

    zoom = config.render_dpi / 72
    arr = pixmap_array(page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False))
    scan = Scan(arr, pymupdf.Rect(page.rect), (arr.shape[1], arr.shape[0]), 0.0, False)
    figs_px = [tuple(v * zoom - page.rect.x0 for v in b) for b in figure_boxes]
    mask = foreground(arr)
    for x0, y0, x1, y1 in figs_px:
        mask[max(0, int(y0)):int(y1), max(0, int(x0)):int(x1)] = 0
    regions = merge_text_regions([("text", b) for b in residual_text(mask, [], 5 * zoom)],
                                 max_line_px=config.max_line_pt * zoom)
    return ocr_regions(arr, regions, figs_px, scan, 1.0, config, page)


def outline_glyphs(page: pymupdf.Page, textdict: dict, paths: list[dict],
                   config: ExtractConfig) -> list[int]:
    """Given a digital page and its drawings, return the indices of glyph drawings when the
    page's visible words are drawn as outlines missing from its text layer, else []."""
    from .outline import MIN_TEXTLESS_GLYPHS, glyph_drawings, is_outline_page

    spans = [pymupdf.Rect(s["bbox"]) for b in textdict.get("blocks", [])
             for ln in b.get("lines", []) for s in ln["spans"]
             if s["text"].strip() and s.get("alpha", 255) > 0]
    if len(paths) < (config.min_outline_glyphs if spans else MIN_TEXTLESS_GLYPHS):
        return []
    images = [pymupdf.Rect(i["bbox"]) for i in page.get_image_info()]
    glyphs = glyph_drawings(paths, spans, images, page.rect)
    return glyphs if is_outline_page([paths[i] for i in glyphs], config.min_outline_glyphs,
                                     bool(spans)) else []


def outline_page(page: pymupdf.Page, doc: pymupdf.Document, ctx: PageContext,
                 config: ExtractConfig, textdict: dict, drawn: tuple[list[dict], list[int]]):
    """Given an outline-text page, its drawings and glyph indices, return figures (glyphs kept
    out of vector figures), rejects, figure boxes and text blocks: the text layer's plus OCR of
    the glyphs. Glyphs OCR reads nothing from go back to the figure search (a drawn motif)."""
    from .outline import outline_blocks

    paths, glyphs = drawn
    matrix = page.rotation_matrix
    glyph_set = set(glyphs)
    others = [p for i, p in enumerate(paths) if i not in glyph_set]
    figures, rejects, boxes = digital_figures(page, doc, ctx, config, others)
    rects = [pymupdf.Rect(paths[i]["rect"]) * matrix for i in glyphs]
    ocr_blocks = outline_blocks(page, rects, config)
    read = [pymupdf.Rect(b.bbox_pt) + (-3, -3, 3, 3) for b in ocr_blocks]
    unread = [i for i, r in zip(glyphs, rects, strict=True)
              if not any(pymupdf.Point((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2) in b for b in read)]
    if len(unread) >= config.vector_min_items:
        keep = set(unread)
        figures, rejects, boxes = digital_figures(
            page, doc, ctx, config, [p for i, p in enumerate(paths) if i not in glyph_set or i in keep])
    layer, _ = text_blocks(page, textdict, config)
    blocks = _reindex(sorted(layer + ocr_blocks, key=lambda b: (round(b.bbox_pt[1] / 4),
                                                                b.bbox_pt[0])))
    return figures, rejects, boxes, blocks


def extract_page(doc: pymupdf.Document, ctx: PageContext, config: ExtractConfig,
                 plumber_doc=None) -> PageExtract:
    """Given an open document and a page context, return the page's PageExtract (FAILED with
    the error text when anything on the page raises)."""
    start = time.perf_counter()
    page = doc[ctx.page - 1]
    rect = page.rect
    base = dict(source=ctx.source, source_sha256=ctx.sha256, page=ctx.page,
                width_pt=round(rect.width, 2), height_pt=round(rect.height, 2))
    textdict = page.get_text("dict", flags=TEXT_FLAGS)
    kind = page_kind(page, doc, textdict, config)
    if kind == PageKind.DIGITAL:
        paths = page.get_drawings(extended=True)
        glyphs = outline_glyphs(page, textdict, paths, config)
        if glyphs:
            kind = PageKind.OUTLINE
            figures, rejects, boxes, blocks = outline_page(page, doc, ctx, config, textdict,
                                                           (paths, glyphs))
        else:
            figures, rejects, boxes = digital_figures(page, doc, ctx, config, paths, textdict)
            blocks, reading = text_blocks(page, textdict, config,
                                          _PlumberPage(plumber_doc, ctx.page))
            if not reading:
                blocks = ocr_fallback(page, list(boxes), config)
        blocks = mark_captions(blocks, boxes)
    else:
        skip: list = []
        layer: list[TextBlock] = []
        if kind == PageKind.MIXED:
            layer = [b for b in lines_to_blocks(pymupdf_lines(textdict, visible_only=False),
                                                ctx.page, rect, page.rotation_matrix,
                                                config.band_frac)]
            skip = [b.bbox_pt for b in layer]
        found, ocr_blocks = scanned_page(page, doc, config, skip)
        figures = [Figure(source=ctx.source, source_sha256=ctx.sha256, page=ctx.page, index=i,
                          bbox_pt=bbox, image=data, image_format="jpeg", width=w, height=h,
                          origin=FigureOrigin.SCAN_CROP, confidence=conf)
                   for i, (bbox, data, w, h, conf) in enumerate(found)]
        blocks = _reindex(sorted(layer + ocr_blocks, key=lambda b: (round(b.bbox_pt[1] / 4),
                                                                    b.bbox_pt[0])))
        rejects = []
        boxes = [f.bbox_pt for f in figures]
        blocks = mark_captions(blocks, boxes)
    status = PageStatus.OK if figures else PageStatus.NO_FIGURES
    return PageExtract(**base, kind=kind, status=status, figures=tuple(figures),
                       blocks=tuple(blocks), rejects=tuple(rejects),
                       seconds=round(time.perf_counter() - start, 4))


def _reindex(blocks: list[TextBlock]) -> list[TextBlock]:
    from dataclasses import replace

    return [replace(b, index=i) for i, b in enumerate(blocks)]


def failed_page(ctx: PageContext, err: BaseException, width: float = 0.0,
                height: float = 0.0) -> PageExtract:
    """Given a page that raised, return its FAILED PageExtract carrying a PAGE_FAILED reject."""
    text = f"{type(err).__name__}: {' '.join(str(err).split())}"[:500]
    reject = ctx.reject(RejectReason.PAGE_FAILED, (0, 0, width, height),
                        f"page {ctx.page} of {ctx.source} failed: {text}")
    return PageExtract(source=ctx.source, source_sha256=ctx.sha256, page=ctx.page,
                       width_pt=width, height_pt=height, kind=PageKind.DIGITAL,
                       status=PageStatus.FAILED, rejects=(reject,), error=text)


