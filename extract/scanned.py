"""Scanned pages: deskew, layout, figure boxes refined on the pixels, OCR of text regions only."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import cv2
import numpy as np
import pymupdf

from culti.geometry import overlap_of
from culti.records import BBox, BlockKind, TextBlock, TextOrigin
from culti.unionfind import UnionFind

from .config import ExtractConfig
from .engines import get_layout, get_ocr
from .images import decode_xref, pixmap_array

TEXT_LABELS = {"text": BlockKind.TEXT, "title": BlockKind.TITLE, "figure_caption": BlockKind.CAPTION,
               "table_caption": BlockKind.CAPTION, "header": BlockKind.HEADER,
               "footer": BlockKind.FOOTER, "reference": BlockKind.TEXT, "equation": BlockKind.TEXT}
CAPTION_LINE_PT = (4.0, 16.0)  # a caption line printed inside a figure box is this tall
COLUMN_BREAK_LINES = 4.0  # lines one above another this many line heights apart are two blocks
ROW_BREAK_LINES = 1.75  # two one-line pieces of a row this many line heights apart are two blocks
PIECE_GAP_LINES = 3.0  # ... a one-line piece beside a paragraph's row, this many
TITLE_MAX_ROWS = 4  # a layout `title` region with more rows of lines than this is body text



@dataclass(frozen=True, slots=True)
class Scan:
    """A page as pixels: the upright (deskewed) image and how its pixels map to page points."""

    image: np.ndarray  # H x W x 3 uint8, deskewed, native resolution
    placement: pymupdf.Rect  # where the (undeskewed) image sits on the displayed page
    src_size: tuple[int, int]  # (w, h) before deskew
    angle: float  # degrees the image was rotated by to deskew it
    native: bool  # True when pixels come from the page's embedded scan

    def to_pt(self, box: BBox, scale: float = 1.0) -> BBox:
        """Given a box in (scaled) deskewed pixels, return in page points the axis-aligned hull
        of its corners mapped back through the deskew rotation and the image's placement:
        where the box lies on the page as printed (tilted) in the PDF."""
        x0, y0, x1, y1 = (v / scale for v in box)
        corners = [(x0, y0), (x1, y0), (x0, y1), (x1, y1)]
        if self.angle:
            h, w = self.image.shape[:2]
            sw, sh = self.src_size
            a = math.radians(self.angle)
            cos, sin = math.cos(a), math.sin(a)
            # inverse of cv2.getRotationMatrix2D(centre, angle): about the same centre
            corners = [(sw / 2 + (x - w / 2) * cos - (y - h / 2) * sin,
                        sh / 2 + (x - w / 2) * sin + (y - h / 2) * cos) for x, y in corners]
        sx = self.placement.width / self.src_size[0]
        sy = self.placement.height / self.src_size[1]
        xs = [self.placement.x0 + x * sx for x, _ in corners]
        ys = [self.placement.y0 + y * sy for _, y in corners]
        return (round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2))


def largest_image(page: pymupdf.Page) -> tuple[dict | None, float]:
    """Given a page, return the image placement covering most of it and its cover fraction."""
    best, best_area = None, 0.0
    from .digital import image_placements

    for info in image_placements(page):
        rect = (pymupdf.Rect(info["bbox"]) * page.rotation_matrix) & page.rect
        if info.get("xref", 0) > 0 and not rect.is_empty and rect.get_area() > best_area:
            best, best_area = info, rect.get_area()
    return best, best_area / max(page.rect.get_area(), 1.0)


def image_cover(page: pymupdf.Page) -> tuple[float, float]:
    """Given a page, return the fraction of it that images cover together (a scan stored as
    strips or tiles) and their highest resolution in dpi."""
    from .digital import image_placements

    w, h = int(page.rect.width) + 1, int(page.rect.height) + 1
    grid = np.zeros((h, w), bool)
    dpi = 0.0
    for info in image_placements(page):
        rect = (pymupdf.Rect(info["bbox"]) * page.rotation_matrix) & page.rect
        if rect.is_empty:
            continue
        grid[int(rect.y0):int(np.ceil(rect.y1)), int(rect.x0):int(np.ceil(rect.x1))] = True
        side = max(rect.width, 1e-3) if info["width"] >= info["height"] else max(rect.height, 1e-3)
        dpi = max(dpi, 72 * max(info["width"], info["height"]) / side)
    return float(grid.mean()), dpi


def load_scan(page: pymupdf.Page, doc: pymupdf.Document, config: ExtractConfig) -> Scan:
    """Given a page, return its embedded scan at native resolution (or a render when it has
    none), turned upright for the page rotation and deskewed."""
    info, cover = largest_image(page)
    if info is not None and cover >= 0.3:
        smask = (doc.extract_image(info["xref"]) or {}).get("smask", 0)
        arr = pixmap_array(decode_xref(doc, info["xref"], smask))
        arr = np.ascontiguousarray(np.rot90(arr, k=-(page.rotation // 90))) if page.rotation else arr
        placement, native = pymupdf.Rect(info["bbox"]) * page.rotation_matrix, True
    else:  # no one image holds the page (a scan in strips): render it at the strips' resolution
        _, native_dpi = image_cover(page)
        zoom = min(300.0, max(float(config.render_dpi), native_dpi)) / 72
        arr = pixmap_array(page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False))
        placement, native = pymupdf.Rect(page.rect), False
    src = (arr.shape[1], arr.shape[0])
    angle = estimate_skew(arr, config)
    if angle:
        arr = rotate(arr, angle)
    return Scan(arr, placement, src, angle, native)


def paper_level(gray: np.ndarray) -> int:
    """Given a grey image, return the paper's grey level (the brightest big histogram peak)."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(float)
    hist = np.convolve(hist, np.ones(5) / 5, mode="same")
    return int(np.argmax(hist[96:]) + 96)


def foreground(rgb: np.ndarray, min_dist: float = 24.0) -> np.ndarray:
    """Given an RGB image, return a uint8 mask of pixels that differ from the paper colour (ink,
    and pale picture areas that a grey threshold would lose on tinted paper)."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    paper = paper_level(gray)
    step = max(1, gray.size // 200_000)
    flat, gflat = rgb.reshape(-1, 3)[::step], gray.ravel()[::step]
    near = flat[np.abs(gflat.astype(int) - paper) <= 3]
    paper_rgb = np.median(near, axis=0) if len(near) else np.array([paper] * 3)
    # squared RGB distance in float32: exact for 8-bit channels (sums below 2**24), and half
    # the work of the int16 / int32 numpy arrays
    diff = rgb.astype(np.float32) - paper_rgb.astype(np.int16).astype(np.float32)
    dist2 = cv2.transform(diff * diff, np.ones((1, 3), np.float32))
    return (dist2 > min_dist * min_dist).astype(np.uint8)


def estimate_skew(rgb: np.ndarray, config: ExtractConfig) -> float:
    """Given a page image, return the rotation (degrees, counter-clockwise) that makes its text
    lines and picture edges horizontal, or 0.0 when it is within deskew_min_deg."""
    scale = 1000 / max(rgb.shape[:2])
    small = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    mask = foreground(small)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    angles, weights = [], []
    for contour in contours:
        (_, _), (w, h), _ = rect = cv2.minAreaRect(contour)
        long, short = max(w, h), min(w, h)
        if long < 40 or (long < 4 * short and cv2.contourArea(contour) < 0.85 * w * h):
            continue  # keep text-line blobs and solid picture rectangles
        pts = cv2.boxPoints(rect)
        edges = [pts[(i + 1) % 4] - pts[i] for i in range(4)]
        ex, ey = max(edges, key=lambda e: float(np.hypot(*e)))
        deg = math.degrees(math.atan2(float(ey), float(ex)))
        deg = (deg + 45) % 90 - 45  # fold: a rectangle's edges all give the same tilt
        angles.append(deg)
        weights.append(long)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cum = np.cumsum(np.asarray(weights)[order])
    median = float(np.asarray(angles)[order][np.searchsorted(cum, cum[-1] / 2)])
    if abs(median) < config.deskew_min_deg or abs(median) > config.deskew_max_deg:
        return 0.0
    return round(median, 2)


def rotate(rgb: np.ndarray, angle: float) -> np.ndarray:
    """Given an image and a tilt in degrees (y down), return it rotated upright, paper-filled."""
    h, w = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    fill = paper_level(cv2.cvtColor(rgb[:: max(1, h // 300), :: max(1, w // 300)],
                                    cv2.COLOR_RGB2GRAY))
    return cv2.warpAffine(rgb, matrix, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=(fill, fill, fill))


def scanned_page(page: pymupdf.Page, doc: pymupdf.Document, config: ExtractConfig,
                 skip_pt: list[BBox] | None = None) -> tuple[list[tuple[BBox, bytes, int, int, float]],
                                                            list[TextBlock]]:
    """Given a scanned page, return its figures as (bbox_pt, jpeg, w, h, confidence) and its OCR
    text blocks; text regions mostly covered by `skip_pt` (a text layer) are not OCRed."""
    from .images import encode_array
    from .regions import (
        merge_text_regions,
        open_panels,
        refine_figures,
        residual_text,
        split_by_captions,
        split_overlapping,
    )
    from .scan_figures import (
        absorb_chart_labels,
        apply_caption_cuts,
        attach_line_ends,
        caption_cuts,
        check_figures,
        cut_caption_paragraphs,
        cut_leftover,
        drop_duplicate_regions,
        drop_tables,
        join_stacked,
    )
    from .text import is_caption_label

    scan = load_scan(page, doc, config)
    scale = min(1.0, config.ocr_max_side_px / max(scan.image.shape[:2]))
    work = scan.image if scale == 1.0 else cv2.resize(
        scan.image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    mask = foreground(work)
    px_per_pt = work.shape[1] / max(scan.placement.width, 1.0)
    found = [b for b in get_layout(config.layout_engine, config.engine_threads).layout(work)
             if b[2] >= config.layout_min_score]
    figure_boxes = [box for label, box, _ in found if label == "figure"]
    text_regions = [(label, box) for label, box, _ in found if label in TEXT_LABELS]
    min_area = config.min_figure_area_frac * work.shape[0] * work.shape[1]
    figures_px = refine_figures(mask, figure_boxes, [b for _, b in text_regions],
                                config.min_figure_side_pt * px_per_pt, min_area)
    figures_px = split_overlapping(mask, figures_px, config.min_figure_side_pt * px_per_pt)
    figures_px = open_panels(work, figures_px, [b for _, b in text_regions],
                             config.min_figure_side_pt * px_per_pt, min_area)
    figures_px = check_figures(mask, figures_px, [(box, s) for label, box, s in found if label == "figure"],
                               [b for _, b in text_regions], config.min_figure_side_pt * px_per_pt)
    figures_px = drop_tables(figures_px, [box for label, box, _ in found if label == "table"])
    figures_px = join_stacked(mask, figures_px, [(box, s) for label, box, s in found if label == "figure"],
                              [b for _, b in text_regions])
    figures_px, headlines = drop_headlines(work, figures_px, config)
    text_regions += [("title", b) for b in headlines]
    # caption lines printed inside a figure box: read first, cut off when they carry a label
    cuts = caption_cuts(mask, figures_px, [(box, s) for label, box, s in found if label == "figure"],
                        CAPTION_LINE_PT[0] * px_per_pt, CAPTION_LINE_PT[1] * px_per_pt,
                        config.min_figure_side_pt * px_per_pt)
    labelled: list[TextBlock] = []
    band_lines: list[BBox] = []
    if cuts:
        lines = [(k, line) for k, (_, _, found_lines) in enumerate(cuts) for line in found_lines]
        every_cut = [b for b, _ in apply_caption_cuts(figures_px, cuts, set(range(len(cuts))))]
        read = ocr_regions(work, [("figure_caption", ln) for _, ln in lines], every_cut, scan,
                           scale, config, page)
        labelled = [b for b in read if is_caption_label(b.text)]
        confirmed = {k for k, ln in lines if any(
            overlap_of(_pt_to_work(b.bbox_pt, scan, scale), ln) > 0.5 for b in labelled)}
        figures_px = apply_caption_cuts(figures_px, cuts, confirmed)
        band_lines = [ln for k, ln in lines if k in confirmed]
    # a caption paragraph printed under a photo inside its frame: cut off, read as text
    figures_px, paragraphs = cut_caption_paragraphs(
        mask, figures_px, CAPTION_LINE_PT[0] * px_per_pt, CAPTION_LINE_PT[1] * px_per_pt,
        config.min_figure_side_pt * px_per_pt)
    fig_only = [b for b, _ in figures_px]
    text_regions = [(lab, b) for lab, b in text_regions
                    if not any(overlap_of(b, f) > 0.6 for f in fig_only + band_lines)]
    text_regions += [("text", b) for b in paragraphs]
    text_regions = drop_duplicate_regions(text_regions)
    covered = fig_only + [b for _, b in text_regions]
    leftover = [piece for b in residual_text(mask, covered, 5 * px_per_pt)
                for piece in cut_leftover(mask, covered, b, 5 * px_per_pt)]
    text_regions, leftover = attach_line_ends(text_regions, leftover)
    regions = merge_text_regions(text_regions + [("text", b) for b in leftover],
                                 max_line_px=config.max_line_pt * px_per_pt)
    if skip_pt:
        regions = [(lab, b) for lab, b in regions
                   if not any(overlap_of(scan.to_pt(b, scale), s) > 0.5 for s in skip_pt)]
    blocks = ocr_regions(work, regions, fig_only + band_lines, scan, scale, config, page)
    if labelled:
        blocks = [replace(b, index=n) for n, b in enumerate(sorted(
            blocks + labelled, key=lambda b: (round(b.bbox_pt[1] / 4), b.bbox_pt[0])))]
    captions = [_pt_to_work(b.bbox_pt, scan, scale) for b in blocks if is_caption_label(b.text)]
    lone_lines = [_pt_to_work(b.bbox_pt, scan, scale) for b in blocks if is_caption_line(b)]
    figures_px = split_by_captions(mask, figures_px, captions, config.min_figure_side_pt * px_per_pt,
                                   lone_lines)
    figures_px, taken = absorb_chart_labels(mask, figures_px, [
        (i, _pt_to_work(b.bbox_pt, scan, scale), b.text) for i, b in enumerate(blocks)
        if b.kind == BlockKind.TEXT])
    blocks = [replace(b, index=n) for n, b in enumerate(b for i, b in enumerate(blocks) if i not in taken)]
    figures = []
    for box, conf in sorted(figures_px, key=lambda f: (round(f[0][1] / 8), f[0][0])):
        x0, y0, x1, y1 = (int(round(v / scale)) for v in box)
        crop = np.ascontiguousarray(scan.image[max(0, y0):y1, max(0, x0):x1])
        enc = encode_array(crop, photo=True, quality=config.jpeg_quality)
        figures.append((scan.to_pt(box, scale), enc.data, enc.width, enc.height, conf))
    return figures, blocks


def is_caption_line(block: TextBlock) -> bool:
    """Whether an OCR block may be one of a row of unlabelled captions under pictures side by
    side: one line of words (three letters or more) the layout model called a caption, without
    a figure label, and not a chart's numbers (years, ticks, values). Lines it called text are
    no caption here: panel titles of one figure ("Original Image", "Final XDoG Result") stand
    in a row under their panels just as captions of two photos do."""
    from .scan_figures import is_chart_label
    from .text import is_caption_label

    text = block.text.strip()
    return block.kind == BlockKind.CAPTION and "\n" not in text \
        and not is_caption_label(text) and not is_chart_label(text) \
        and sum(ch.isalpha() for ch in text) >= 3


HEADLINE_MIN_ASPECT = 3.0  # a figure box this many times wider than tall may be one line of type
HEADLINE_COVER = 0.6  # ... and is, when OCR reads lines over this share of it, sure of them
HEADLINE_MIN_SCORE = 0.9


def drop_headlines(work: np.ndarray, figures: list[tuple[tuple, float]], config: ExtractConfig
                   ) -> tuple[list[tuple[tuple, float]], list[tuple]]:
    """Given the work image and figure boxes (work pixels), return the figures without the ones
    that are one to three lines of large type, and those boxes: a strip three or more times wider
    than tall that OCR reads, sure of every line, as text over most of its area. A slide's title
    on a tinted ground is one: the ink mask takes the ground for a picture blob and sees no gaps
    between the letters, so is_type_line cannot tell them apart."""
    ocr = None
    kept, headlines = [], []
    for box, conf in figures:
        w, h = box[2] - box[0], box[3] - box[1]
        if h <= 0 or w < HEADLINE_MIN_ASPECT * h:
            kept.append((box, conf))
            continue
        ocr = ocr or get_ocr(config.ocr_engine, config.engine_threads)
        got = _crop_painted(work, box, 6, [])
        lines = [ln for ln in ocr.ocr(got[0]) if ln[0].strip()] if got else []
        area = sum((b[2] - b[0]) * (b[3] - b[1]) for _, b, _ in lines)
        sure = bool(lines) and min(s for _, _, s in lines) >= HEADLINE_MIN_SCORE
        if sure and len(lines) <= 3 and sum(len(t.strip()) for t, _, _ in lines) >= 4 \
                and area >= HEADLINE_COVER * w * h:
            headlines.append(box)
        else:
            kept.append((box, conf))
    return kept, headlines


def _pt_to_work(box: BBox, scan: Scan, scale: float) -> BBox:
    """Given a box in page points, return it in work pixels, deskew ignored (a few pixels off
    at most: used only to find which figure a caption sits under)."""
    sx = scan.src_size[0] / max(scan.placement.width, 1e-6) * scale
    sy = scan.src_size[1] / max(scan.placement.height, 1e-6) * scale
    return ((box[0] - scan.placement.x0) * sx, (box[1] - scan.placement.y0) * sy,
            (box[2] - scan.placement.x0) * sx, (box[3] - scan.placement.y0) * sy)


def ocr_regions(work: np.ndarray, regions: list[tuple[str, tuple]], figures: list[tuple],
                scan: Scan, scale: float, config: ExtractConfig,
                page: pymupdf.Page) -> list[TextBlock]:
    """Given text regions (work pixels), OCR each crop (figures painted out) and return one
    TextBlock per region, its lines grouped into rows read left to right."""
    from .lexicon import correct_terms
    from .text import band_kind

    ocr = get_ocr(config.ocr_engine, config.engine_threads)
    h, w = work.shape[:2]
    read: list[tuple[int, str, tuple]] = []  # (region, label, line)
    for ri, (label, box) in enumerate(regions):
        got = _crop_painted(work, box, 6, figures)
        if got is None:
            continue
        crop, (x0, y0, x1, y1) = got
        lines = [ln for ln in read_crop(ocr, crop) if ln[2] >= config.ocr_min_score and ln[0].strip()]
        if len(lines) == 1 and lines[0][1][2] >= x1 - x0 - 1 and x1 < w \
                and lines[0][0].rstrip()[-1] not in _CLOSING:
            lines = [_reread_line_end(ocr, work, figures, lines[0], (x0, y0))]
        read += [(ri, label, (t, (b[0] + x0, b[1] + y0, b[2] + x0, b[3] + y0), s)) for t, b, s in lines]
    # padded crops of neighbouring regions can both hold one line: keep its widest reading (a
    # region that grazes a line reads a piece of it); of two as wide, the smaller region's (a
    # caption band read again by the block the model drew around it and the table over it)
    def width_of(item: tuple) -> float:
        return item[2][1][2] - item[2][1][0]

    def region_area(item: tuple) -> float:
        x0, y0, x1, y1 = regions[item[0]][1]
        return (x1 - x0) * (y1 - y0)

    kept: list[tuple[int, str, tuple]] = []
    for item in sorted(read, key=lambda r: -width_of(r)):
        same = next((n for n, k in enumerate(kept) if overlap_of(item[2][1], k[2][1]) > 0.5), None)
        if same is None:
            kept.append(item)
        elif width_of(kept[same]) - width_of(item) <= 2 and region_area(item) < region_area(kept[same]):
            kept[same] = item
    drafts = [(label, [ln for r, _, ln in read if r == ri and any(k[2] is ln for k in kept)])
              for ri, (label, _) in enumerate(regions)]
    drafts = [(_region_label(label, lines), lines) for label, lines in drafts if lines]
    blocks: list[TextBlock] = []
    rows_all = []
    for label, region_lines in drafts:
        for lines, text in lines_to_paragraphs(region_lines):
            text, _ = correct_terms(text)
            box_px = (min(b[0] for _, b, _ in lines), min(b[1] for _, b, _ in lines),
                      max(b[2] for _, b, _ in lines), max(b[3] for _, b, _ in lines))
            sizes = sorted(min(b[3] - b[1], b[2] - b[0]) for _, b, _ in lines)
            rows_all.append((scan.to_pt(box_px, scale), text, label,
                             sum(s for _, _, s in lines) / len(lines), sizes[len(sizes) // 2]))
    rows_all.sort(key=lambda r: (round(r[0][1] / 4), r[0][0]))
    px_per_pt = w / max(scan.placement.width, 1.0)
    for index, (bbox, text, label, score, height) in enumerate(rows_all):
        kind = TEXT_LABELS.get(label, BlockKind.TEXT)
        if kind in (BlockKind.TEXT, BlockKind.HEADER, BlockKind.FOOTER):
            kind = band_kind(bbox, text, page.rect, config.band_frac) if kind == BlockKind.TEXT \
                else kind
        blocks.append(TextBlock(page=page.number + 1, index=index, text=text, bbox_pt=bbox,
                                kind=kind, origin=TextOrigin.OCR,
                                font_size=round(height / px_per_pt * 0.85, 2),
                                confidence=round(score, 4)))
    return blocks


def _region_label(label: str, lines: list) -> str:
    """Given a layout label and the OCR lines read in its region, return the label its blocks
    take: a `title` region holding more than TITLE_MAX_ROWS rows of lines is the model's guess
    over a page's body (a page-tall box over a column, a painted-out figure and its caption),
    whose paragraphs are text."""
    flat = [ln for ln in lines if not is_vertical(ln)]
    return "text" if label == "title" and len(_rows(flat)) > TITLE_MAX_ROWS else label


def _crop_painted(work: np.ndarray, box: tuple, pad: int, figures: list[tuple]
                  ) -> tuple[np.ndarray, tuple[int, int, int, int]] | None:
    """Given the work image, a box, a margin and figure boxes (work pixels), return the padded
    crop with the figures painted white (their pixels are never read as text) and its bounds,
    or None for a crop too small to read."""
    h, w = work.shape[:2]
    x0, y0 = max(0, int(box[0]) - pad), max(0, int(box[1]) - pad)
    x1, y1 = min(w, int(box[2]) + pad), min(h, int(box[3]) + pad)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    crop = work[y0:y1, x0:x1].copy()
    for f in figures:
        fx0, fy0 = max(0, int(f[0]) - x0), max(0, int(f[1]) - y0)
        fx1, fy1 = int(f[2]) - x0, int(f[3]) - y0
        if fx1 > 0 and fy1 > 0:
            crop[fy0:max(fy0, fy1), fx0:max(fx0, fx1)] = 255
    return crop, (x0, y0, x1, y1)


_CLOSING = frozenset(".,;:!?)]}'\"。，；：！？）】」』》”’")


def _reread_line_end(ocr, work: np.ndarray, figures: list[tuple], line: tuple,
                     origin: tuple[int, int]) -> tuple:
    """Given a region's one OCR line that runs into its crop's right side (crop coordinates)
    and the crop's origin, return the line read again with half a line of margin more: the
    recogniser drops a final "." or ")" at a crop's very edge. Only a reading that adds closing
    punctuation at the end is taken (more would be the neighbouring region's text); anything
    else keeps the first reading."""
    text, b, score = line
    margin = max(6, int((b[3] - b[1]) / 2))
    box = (b[0] + origin[0] - margin, b[1] + origin[1], b[2] + origin[0] + margin, b[3] + origin[1])
    got = _crop_painted(work, box, 6, figures)
    if got is None:
        return line
    crop, (x0, y0, _, _) = got
    again = [ln for ln in ocr.ocr(crop) if ln[0].strip()]
    if len(again) != 1:
        return line
    new, nb, _ = again[0]
    old, new = text.strip(), new.strip()
    if not (0 < len(new) - len(old) <= 2 and new.startswith(old)
            and all(c in _CLOSING for c in new[len(old):])):
        return line
    return (new, (nb[0] + x0 - origin[0], nb[1] + y0 - origin[1], nb[2] + x0 - origin[0],
                  nb[3] + y0 - origin[1]), score)


def read_crop(ocr, crop: np.ndarray) -> list:
    """Given a text crop, return its OCR lines; vertical text is read one column at a time
    (a detector trained on rows cuts a grid of characters into rows across the columns)."""
    from .regions import vertical_columns

    cols = vertical_columns(foreground(crop)) if crop.shape[0] > 2 * crop.shape[1] // 3 else []
    if not cols:
        return ocr.ocr(crop)
    lines = []
    h = crop.shape[0]
    for a, b in cols:
        pad = max(2, (b - a) // 4)
        x0, x1 = max(0, a - pad), min(crop.shape[1], b + pad)
        pieces = sorted(ocr.ocr(np.ascontiguousarray(crop[:, x0:x1])), key=lambda p: p[1][1])
        if not pieces:
            continue
        text = "".join(t for t, _, _ in pieces)
        top, bottom = min(p[1][1] for p in pieces), max(p[1][3] for p in pieces)
        score = sum(s for _, _, s in pieces) / len(pieces)
        box = (float(a), float(max(0.0, top)), float(b), float(min(h, bottom)))
        lines.append((text, box, score))
    return lines


def is_vertical(line: tuple) -> bool:
    """Given an OCR line (text, box, score), return True for a column of text set vertically:
    two or more characters in a box much taller than wide."""
    t, b, _ = line
    return len(t.strip()) >= 2 and (b[3] - b[1]) >= 1.5 * (b[2] - b[0])


def lines_to_paragraphs(lines: list) -> list[tuple[list, str]]:
    """Given the OCR lines of one region, return (lines, text) per paragraph: horizontal lines
    grouped into columns first (two descriptions side by side stay apart), then into rows read
    left to right; vertical columns grouped into blocks read right to left."""
    flat = [ln for ln in lines if not is_vertical(ln)]
    tall = [ln for ln in lines if is_vertical(ln)]
    out = []
    for group in _columns(flat):
        out.append((group, "\n".join(" ".join(t for t, _, _ in row) for row in _rows(group))))
    for group in _vertical_blocks(tall):
        out.append((group, "\n".join(t for t, _, _ in group)))
    return out


def _columns(lines: list) -> list[list]:
    """Group horizontal lines into columns: lines whose x-ranges overlap belong together unless
    more than COLUMN_BREAK_LINES line heights of empty paper part them (a figure painted out
    between rows: the caption under it is a block of its own); groups next to each other stay
    apart when both hold several rows beside each other and a gutter of about a character
    separates them, when two one-line pieces lie ROW_BREAK_LINES line heights apart (captions
    printed in one row under pictures side by side), when a one-line piece lies PIECE_GAP_LINES
    beside a paragraph, or when their x-ranges overlap (one lies far above the other)."""
    if not lines:
        return []
    height = float(np.median([ln[1][3] - ln[1][1] for ln in lines]))
    stacked = UnionFind(len(lines))
    for i, a in enumerate(lines):
        for j in range(i + 1, len(lines)):
            b = lines[j]
            if _x_overlap([a], [b]) and _v_gap([a], [b]) < COLUMN_BREAK_LINES * height:
                stacked.union(i, j)
    groups = sorted(([lines[i] for i in g] for g in stacked.groups()),
                    key=lambda g: (min(ln[1][0] for ln in g), min(ln[1][1] for ln in g)))
    beside = UnionFind(len(groups))
    for i, a in enumerate(groups):
        for j in range(i + 1, len(groups)):
            if _same_block(a, groups[j], height):
                beside.union(i, j)
    return [[ln for i in g for ln in groups[i]] for g in beside.groups()]


def _same_block(a: list, b: list, height: float) -> bool:
    """Whether two groups of x-overlapping lines are one block: pieces of one row OCR cut
    apart, a label and its title, a table's columns read row by row; never two groups whose
    x-ranges overlap (the one is far above the other), nor two groups diagonally apart."""
    if _x_overlap(a, b):
        return False
    if a and min(ln[1][0] for ln in b) < min(ln[1][0] for ln in a):
        a, b = b, a
    gap = min(ln[1][0] for ln in b) - max(ln[1][2] for ln in a)
    if not _y_overlap(a, b):
        return _v_gap(a, b) < height and gap < ROW_BREAK_LINES * height
    rows_a, rows_b = len(_rows(a)), len(_rows(b))
    # two one-line pieces far apart are captions of their own (a row under pictures side by
    # side); a piece beside a paragraph's row is the end OCR cut off it
    limit = 0.8 if min(rows_a, rows_b) >= 2 else ROW_BREAK_LINES if max(rows_a, rows_b) == 1 \
        else PIECE_GAP_LINES
    return gap < limit * height and not _staggered(a, b, height)


def _x_overlap(a: list, b: list) -> bool:
    return min(max(ln[1][2] for ln in a), max(ln[1][2] for ln in b)) \
        - max(min(ln[1][0] for ln in a), min(ln[1][0] for ln in b)) > 0


def _v_gap(a: list, b: list) -> float:
    """The empty height between two groups of lines (negative when they share rows)."""
    return max(min(ln[1][1] for ln in b) - max(ln[1][3] for ln in a),
               min(ln[1][1] for ln in a) - max(ln[1][3] for ln in b))


def _staggered(a: list, b: list, height: float) -> bool:
    """Whether two groups of lines side by side are columns set on their own baselines: the
    lines of one face lines of the other each a fifth of a line or more off them, three or more
    such lines (a caption column beside body text, a narrow gutter between), or every line of a
    group of one or two a third of a line off (a line of the next column's paragraph that a
    caption's box takes in, between the caption's rows); the pieces of one row OCR cut apart sit
    level."""
    def offsets(x: list, y: list) -> list[float]:
        out = []
        for ln in y:
            facing = [abs((f[1][1] + f[1][3]) - (ln[1][1] + ln[1][3])) / 2 for f in x
                      if min(f[1][3], ln[1][3]) - max(f[1][1], ln[1][1]) > 0]
            if facing:
                out.append(min(facing))
        return out

    for x, y in ((a, b), (b, a)):
        off = offsets(x, y)
        if len(off) >= 3 and float(np.median(off)) > 0.2 * height:
            return True
        if len(y) <= 2 and len(off) == len(y) and min(off) > height / 3:
            return True
    return False


def _y_overlap(a: list, b: list) -> bool:
    top_a, bottom_a = min(ln[1][1] for ln in a), max(ln[1][3] for ln in a)
    top_b, bottom_b = min(ln[1][1] for ln in b), max(ln[1][3] for ln in b)
    return min(bottom_a, bottom_b) - max(top_a, top_b) > 0


def _vertical_blocks(lines: list) -> list[list]:
    """Group vertical columns into blocks read right to left: neighbouring columns (gap under
    one and a half column widths, overlapping in height) are one block; a column that starts
    with a caption label (圖版五...) and the one after it start blocks of their own."""
    from .text import is_caption_label

    blocks: list[list] = []
    for line in sorted(lines, key=lambda ln: -(ln[1][0] + ln[1][2]) / 2):
        b = line[1]
        label = is_caption_label(line[0])  # a caption column is a block of its own
        if blocks and not label and not is_caption_label(blocks[-1][0][0]):
            last = blocks[-1][-1][1]
            width = max(last[2] - last[0], b[2] - b[0])
            if last[0] - b[2] < 1.5 * width and min(last[3], b[3]) - max(last[1], b[1]) > 0:
                blocks[-1].append(line)
                continue
        blocks.append([line])
    return blocks


def _rows(lines: list) -> list[list]:
    """Group OCR lines whose vertical extents overlap into rows, each read left to right."""
    rows: list[list] = []
    for line in sorted(lines, key=lambda ln: (ln[1][1] + ln[1][3]) / 2):
        b = line[1]
        if rows:
            last = rows[-1]
            top, bottom = min(x[1][1] for x in last), max(x[1][3] for x in last)
            if min(bottom, b[3]) - max(top, b[1]) > 0.5 * min(bottom - top, b[3] - b[1]):
                last.append(line)
                continue
        rows.append([line])
    return [sorted(row, key=lambda ln: ln[1][0]) for row in rows]


