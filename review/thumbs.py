"""Thumbnails: small JPEG crops of figures, and page renders with the figure, caption and text boxes drawn."""

from __future__ import annotations

import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from culti.images import flatten_alpha

# Box colours, RGB: figures by confidence band, then the other box kinds.
HIGH, MEDIUM, LOW = (22, 163, 74), (217, 119, 6), (220, 38, 38)
CAPTION, TEXT, REJECT, LINK = (37, 99, 235), (147, 51, 234), (75, 85, 99), (37, 99, 235)


@dataclass(frozen=True, slots=True)
class ThumbConfig:
    page_height_px: int = 600
    crop_max_px: int = 256
    jpeg_quality: int = 78
    high: float = 0.8  # confidence at or above: green
    medium: float = 0.5  # at or above: amber; below: red

    def __post_init__(self) -> None:
        if not 100 <= self.page_height_px <= 4000 or not 32 <= self.crop_max_px <= 2048:
            raise ValueError("ThumbConfig: page_height_px must be 100-4000 and crop_max_px 32-2048")
        if not 0.0 <= self.medium <= self.high <= 1.0:
            raise ValueError("ThumbConfig: need 0 <= medium <= high <= 1")
        if not 1 <= self.jpeg_quality <= 95:
            raise ValueError("ThumbConfig: jpeg_quality must be 1-95")


@dataclass(frozen=True, slots=True)
class PageBox:
    kind: str  # figure | caption | text | reject
    bbox_pt: tuple[float, float, float, float]
    colour: tuple[int, int, int]
    tag: str = ""  # short ASCII label drawn at the box's corner
    dashed: bool = False
    link_pt: tuple[float, float] | None = None  # centre of the figure this caption belongs to


def confidence_colour(conf: float, config: ThumbConfig) -> tuple[int, int, int]:
    return HIGH if conf >= config.high else MEDIUM if conf >= config.medium else LOW


def _safe_name(key: str) -> str:
    """A file name for an item key; ids are already safe, anything else gets hashed."""
    if key.replace("-", "").replace("_", "").isalnum() and len(key) < 100:
        return key
    return hashlib.sha1(key.encode()).hexdigest()[:20]


def write_crop(out_dir: Path, key: str, data: bytes, config: ThumbConfig) -> str | None:
    """Given an item key and encoded image bytes, write a small JPEG under out_dir; return its file name."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.draft("RGB", (config.crop_max_px, config.crop_max_px))  # JPEG: decode at reduced size
            small = flatten_alpha(img)
            small.thumbnail((config.crop_max_px, config.crop_max_px))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None  # the card says "no preview"; the row itself is already in the Parquet
    name = f"{_safe_name(key)}.jpg"
    small.save(out_dir / name, "JPEG", quality=config.jpeg_quality)
    return name


def boxes_for_items(pairs: Iterable[dict], rejects: Iterable[dict],
                    config: ThumbConfig) -> dict[int, list[PageBox]]:
    """Given one book's pair and reject items, return the boxes to draw, by page."""
    pages: dict[int, list[PageBox]] = defaultdict(list)
    for p in pairs:
        if p["page"] is None or p["bbox"] is None:
            continue
        fb = tuple(p["bbox"])
        tag = f"{p['id'].rsplit('-', 1)[-1]} {p['conf']:.2f}"
        pages[p["page"]].append(PageBox("figure", fb, confidence_colour(p["conf"], config), tag))
        centre = ((fb[0] + fb[2]) / 2, (fb[1] + fb[3]) / 2)
        if p["caption_bbox"]:
            cpage = p["caption_page"] or p["page"]
            link = centre if cpage == p["page"] else None
            ctag = "" if link else f"caption of p{p['page']} {tag.split()[0]}"
            pages[cpage].append(PageBox("caption", tuple(p["caption_bbox"]), CAPTION, ctag, link_pt=link))
        if p["text_bbox"]:
            pages[p["page"]].append(PageBox("text", tuple(p["text_bbox"]), TEXT))
    for r in rejects:
        if r["page"] is not None and r["bbox"] is not None:
            pages[r["page"]].append(PageBox("reject", tuple(r["bbox"]), REJECT, r["reason"], dashed=True))
    return dict(pages)


def _dashed_line(draw: ImageDraw.ImageDraw, a: tuple[float, float], b: tuple[float, float],
                 colour: tuple[int, int, int], width: int, dash: float = 6.0, gap: float = 4.0) -> None:
    length = ((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5
    if length == 0:
        return
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    t = 0.0
    while t < length:
        end = min(t + dash, length)
        draw.line([(a[0] + ux * t, a[1] + uy * t), (a[0] + ux * end, a[1] + uy * end)], fill=colour, width=width)
        t = end + gap


def draw_boxes(img: Image.Image, boxes: Sequence[PageBox], scale: float) -> None:
    """Draw boxes given in PDF points onto a page image rendered at `scale` pixels per point."""
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=11)
    order = {"text": 0, "caption": 1, "reject": 2, "figure": 3}  # figures on top
    for box in sorted(boxes, key=lambda b: order[b.kind]):
        x0, y0, x1, y1 = (v * scale for v in box.bbox_pt)
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        if box.dashed:
            corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
            for a, b in zip(corners, corners[1:], strict=False):
                _dashed_line(draw, a, b, box.colour, 2)
        else:
            draw.rectangle([x0, y0, x1, y1], outline=box.colour, width=2)
        if box.link_pt is not None:
            lx, ly = box.link_pt[0] * scale, box.link_pt[1] * scale
            draw.line([(lx, ly), ((x0 + x1) / 2, (y0 + y1) / 2)], fill=LINK, width=1)
            draw.ellipse([lx - 3, ly - 3, lx + 3, ly + 3], fill=LINK)
        if box.tag:
            left, top, right, bottom = draw.textbbox((x0 + 2, y0 + 2), box.tag, font=font)
            draw.rectangle([left - 2, top - 1, right + 2, bottom + 1], fill=box.colour)
            draw.text((x0 + 2, y0 + 2), box.tag, fill=(255, 255, 255), font=font)


def render_pages(pdf_path: Path, boxes_by_page: dict[int, list[PageBox]], out_dir: Path, prefix: str,
                 config: ThumbConfig) -> list[dict]:
    """Given a PDF and boxes by 1-based page, write one annotated JPEG per page; return name, page, size."""
    import pymupdf

    written = []
    with pymupdf.open(pdf_path) as doc:
        for page_no in sorted(boxes_by_page):
            if not 1 <= page_no <= doc.page_count:
                continue  # a box on a page the PDF does not have: the card still shows the page number
            page = doc[page_no - 1]
            scale = config.page_height_px / page.rect.height
            pix = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
            img = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
            draw_boxes(img, boxes_by_page[page_no], scale)
            name = f"{prefix}-p{page_no:04d}.jpg"
            img.save(out_dir / name, "JPEG", quality=config.jpeg_quality)
            written.append({"page": page_no, "thumb": name, "w": img.width, "h": img.height})
    return written


def find_pdf(path_text: str, data_dir: Path) -> Path | None:
    """Given the manifest's input path, return where the PDF is now: as written, or beside the dataset."""
    raw = Path(path_text)
    candidates = [raw] if raw.is_absolute() else [raw, data_dir / raw, data_dir.parent / raw]
    candidates.append(data_dir / raw.name)
    return next((c for c in candidates if c.is_file()), None)
