"""Builders for real-looking PageExtract records: born-digital text layers and OCR output."""

from __future__ import annotations

import hashlib
import io

from PIL import Image

from culti.records import (
    BlockKind,
    Figure,
    FigureOrigin,
    PageExtract,
    PageKind,
    PageStatus,
    Reject,
    TextBlock,
    TextOrigin,
)

SOURCE = "silk-test.pdf"
SHA = hashlib.sha256(SOURCE.encode()).hexdigest()
W, H = 595.0, 842.0


def png(seed: int = 0) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (seed * 37 % 256, 90, 120)).save(buf, format="PNG")
    return buf.getvalue()


def fig(page: int, index: int, bbox, source: str = SOURCE) -> Figure:
    return Figure(source=source, source_sha256=SHA, page=page, index=index, bbox_pt=tuple(bbox),
                  image=png(page * 10 + index), image_format="png", width=8, height=8,
                  origin=FigureOrigin.EMBEDDED)


def blk(page: int, text: str, bbox, kind: BlockKind = BlockKind.TEXT, ocr: bool = False,
        size: float | None = None) -> TextBlock:
    """A block; index is set by `page_of` from list order (reading order)."""
    if size is None and not ocr:
        size = 10.5
    return TextBlock(page=page, index=0, text=text, bbox_pt=tuple(bbox), kind=kind,
                     origin=TextOrigin.OCR if ocr else TextOrigin.PDF,
                     font_size=None if ocr else size, font_name=None if ocr else "china-s",
                     confidence=0.93 if ocr else 1.0)


def page_of(n: int, figures=(), blocks=(), status: PageStatus = PageStatus.OK,
            rejects: tuple[Reject, ...] = (), scanned: bool = False, source: str = SOURCE
            ) -> PageExtract:
    bl = tuple(
        TextBlock(page=n, index=i, text=b.text, bbox_pt=b.bbox_pt, kind=b.kind, origin=b.origin,
                  font_size=b.font_size, font_name=b.font_name, confidence=b.confidence)
        for i, b in enumerate(blocks)
    )
    return PageExtract(source=source, source_sha256=SHA, page=n, width_pt=W, height_pt=H,
                       kind=PageKind.SCANNED if scanned else PageKind.DIGITAL, status=status,
                       figures=tuple(figures), blocks=bl, rejects=rejects)


def running(n: int, ocr: bool = False) -> list[TextBlock]:
    """A running header (book title on even pages, chapter on odd) and a page number."""
    head = "中 国 丝 绸 纹 样 史" if n % 2 == 0 else "第三章  隋唐织锦"
    return [blk(n, head, (200, 30, 400, 44), ocr=ocr, size=None if ocr else 9),
            blk(n, f"- {n} -" if n % 3 else str(n), (285, 800, 310, 812), ocr=ocr,
                size=None if ocr else 9)]


# ---- OCR output as a scan gave it (page records set out with a real page's geometry) ----------

SCAN_SOURCE = "real.pdf"


def ocr_blk(text: str, bbox, kind: BlockKind = BlockKind.TEXT, size: float = 10.0) -> TextBlock:
    """An OCR block with the type size OCR estimated; index is set by `scan_page`."""
    return TextBlock(page=1, index=0, text=text, bbox_pt=tuple(bbox), kind=kind,
                     origin=TextOrigin.OCR, font_size=size, confidence=0.95)


def scan_fig(index: int, bbox) -> Figure:
    """A picture cropped from a scan (page 1)."""
    return Figure(source=SCAN_SOURCE, source_sha256="0" * 64, page=1, index=index,
                  bbox_pt=tuple(bbox), image=b"\xff\xd8fake", image_format="jpeg", width=400,
                  height=300, origin=FigureOrigin.SCAN_CROP)


def scan_page(blocks, figures, size=(595.0, 842.0)) -> PageExtract:
    """Page 1 of a scan of the given size (points) with these OCR blocks (indexed in list order,
    reading order) and pictures."""
    bl = tuple(TextBlock(page=1, index=i, text=b.text, bbox_pt=b.bbox_pt, kind=b.kind, origin=b.origin,
                         font_size=b.font_size, confidence=b.confidence) for i, b in enumerate(blocks))
    return PageExtract(source=SCAN_SOURCE, source_sha256="0" * 64, page=1, width_pt=size[0],
                       height_pt=size[1], kind=PageKind.SCANNED, status=PageStatus.OK,
                       figures=tuple(figures), blocks=bl)
