"""The extract stage's one configuration record."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

OCR_ENGINES = ("rapidocr", "paddleocr")
LAYOUT_ENGINES = ("rapid-layout",)
# bump when the extraction logic changes so that cached pages are recomputed
# 17: OCR paragraphs split at big gaps, page-tall title regions are text, unlabelled caption
#     rows split a merged figure, a caption paragraph inside a photo frame cut off
# 16: a line running into its crop's right edge is read again; lines off a caption's baselines
#     stay apart
# 15: scanned OCR reads each line on its own (rec_batch_num 1: no batch padding)
# 14: a one-line caption band stays apart from the caption box around it
# 13: scan figure boxes (caption lines inside a box, tinted panels, stacked pieces, insets)
# 12: OCR columns on their own baselines stay apart across a narrow gutter
EXTRACT_VERSION = 18
# fields that do not change a page's result, so they stay out of the cache key
_NOT_IN_FINGERPRINT = {"workers", "progress", "in_flight", "engine_threads", "repeat_min_pages"}


@dataclass(frozen=True, slots=True)
class ExtractConfig:
    """How pages are turned into figures and text blocks; checked when built."""

    workers: int | None = None  # None = all cores; 1 = in-process
    progress: bool = True
    ocr_engine: str = "rapidocr"
    layout_engine: str = "rapid-layout"
    in_flight: int = 0  # pages submitted ahead of the consumer; 0 = 2 x workers
    engine_threads: int = 1  # onnxruntime threads per worker: pages parallelise across processes
    # born-digital figures
    min_figure_side_pt: float = 36.0  # narrower images are small (and thinner bars rules)
    min_figure_area_frac: float = 0.01  # of the page area: smaller images are small
    # small images above this floor are kept: align pairs them when a caption claims them and
    # rejects them as too_small otherwise; under it (icons, logos, bullets) they are too_small here
    floor_side_pt: float = 12.0
    floor_area_pt2: float = 1200.0
    background_area_frac: float = 0.85  # an image covering this much of a text page is BACKGROUND
    rule_aspect: float = 15.0  # a thin bar this elongated is a RULE
    band_frac: float = 0.08  # header / footer band height as a fraction of the page
    repeat_min_pages: int = 3  # an image seen on this many pages is REPEATED (logo, ornament)
    repeat_page_frac: float = 0.3  # ...and on at least this fraction of the book's pages
    vector_min_area_frac: float = 0.02  # a drawing cluster this large is a vector figure
    vector_min_items: int = 3
    # page kind
    scan_cover_frac: float = 0.85  # an image covering this much of the page may be a scan
    min_text_chars: int = 20  # fewer real characters than this = no usable text layer
    min_outline_glyphs: int = 20  # this many glyph-like drawings outside the text layer = OUTLINE
    # scanned pages
    render_dpi: int = 150  # for layout/OCR of pages without a native scan image
    ocr_max_side_px: int = 2000  # scans are downscaled to this for layout
    deskew_min_deg: float = 0.3  # rotate only when tilted more than this
    deskew_max_deg: float = 10.0
    layout_min_score: float = 0.3
    ocr_min_score: float = 0.5
    jpeg_quality: int = 92
    max_line_pt: float = 24.0  # taller text boxes are paragraphs: never merged as pieces of a line

    def __post_init__(self) -> None:
        if self.workers is not None and self.workers < 1:
            raise ValueError(f"ExtractConfig.workers={self.workers}: use None (all cores) or >= 1")
        if self.ocr_engine not in OCR_ENGINES:
            raise ValueError(
                f"ExtractConfig.ocr_engine={self.ocr_engine!r}: choose one of {', '.join(OCR_ENGINES)}"
            )
        if self.layout_engine not in LAYOUT_ENGINES:
            raise ValueError(
                f"ExtractConfig.layout_engine={self.layout_engine!r}: "
                f"choose one of {', '.join(LAYOUT_ENGINES)}"
            )
        if self.in_flight < 0 or self.engine_threads < 1:
            raise ValueError("ExtractConfig: in_flight must be >= 0 and engine_threads >= 1")
        for name in ("min_figure_area_frac", "background_area_frac", "band_frac",
                     "repeat_page_frac", "vector_min_area_frac", "scan_cover_frac"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"ExtractConfig.{name}={value}: must be a fraction in [0, 1]")
        if self.max_line_pt <= 0:
            raise ValueError(f"ExtractConfig.max_line_pt={self.max_line_pt}: must be > 0")
        if not 1 <= self.jpeg_quality <= 100:
            raise ValueError(f"ExtractConfig.jpeg_quality={self.jpeg_quality}: must be 1..100")
        if self.render_dpi < 36 or self.ocr_max_side_px < 256:
            raise ValueError("ExtractConfig: render_dpi must be >= 36 and ocr_max_side_px >= 256")
        if not 0 <= self.deskew_min_deg <= self.deskew_max_deg <= 45:
            raise ValueError("ExtractConfig: need 0 <= deskew_min_deg <= deskew_max_deg <= 45")

    def fingerprint(self) -> str:
        """Return a short hash of every field that changes a page's result (the cache key)."""
        data = {k: v for k, v in asdict(self).items() if k not in _NOT_IN_FINGERPRINT}
        data["_version"] = EXTRACT_VERSION
        blob = json.dumps(data, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:12]

    def pool_size(self, cpu_count: int) -> int:
        """Given the machine's core count, return how many page workers to run."""
        return max(1, self.workers if self.workers is not None else cpu_count)


__all__ = ["ExtractConfig"]
