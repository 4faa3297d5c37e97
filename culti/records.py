"""The typed records that flow between stages: extract -> align -> dataset.

Every record is a frozen, slotted dataclass so it pickles (process pool, page cache) and cannot be
mutated behind a stage's back. Coordinates are PDF points with a top-left origin and pages are
1-based everywhere; names carry the unit (`bbox_pt`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

BBox = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points, top-left origin


class PageKind(StrEnum):
    DIGITAL = "digital"  # usable text layer
    SCANNED = "scanned"  # a page image, no usable text
    MIXED = "mixed"  # a page image plus some real text
    OUTLINE = "outline"  # born-digital, but its visible words are vector glyphs, not text


class PageStatus(StrEnum):
    OK = "ok"
    NO_FIGURES = "no_figures"
    FAILED = "failed"


class FileStatus(StrEnum):
    OK = "ok"
    PARTIAL = "partial"  # some pages failed
    FAILED = "failed"


class TextOrigin(StrEnum):
    PDF = "pdf"
    OCR = "ocr"


class BlockKind(StrEnum):
    TEXT = "text"
    TITLE = "title"
    CAPTION = "caption"  # layout model or typography says figure caption
    HEADER = "header"
    FOOTER = "footer"
    PAGE_NUMBER = "page_number"


class FigureOrigin(StrEnum):
    EMBEDDED = "embedded"  # original encoded bytes of an embedded image
    RENDERED = "rendered"  # region rendered from the page (clipped, masked, vector, tiles)
    SCAN_CROP = "scan_crop"  # cut from the page's embedded scan at native resolution


class Domain(StrEnum):
    SILK = "silk"
    MURAL = "mural"


class Stage(StrEnum):
    INPUT = "input"
    EXTRACT = "extract"
    ALIGN = "align"
    DATASET = "dataset"
    REVIEW = "review"


class TextKind(StrEnum):
    DESCRIPTION = "description"  # the figure's own description paragraph(s)
    CAPTION = "caption"  # no description printed: `text` repeats the caption's title


class RejectReason(StrEnum):
    # input files and pages
    FILE_MISSING = "file_missing"
    NOT_PDF = "not_pdf"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    EMPTY = "empty"
    PAGE_FAILED = "page_failed"
    # images that are not figures
    ORNAMENT = "ornament"  # small decorative image or drawing
    REPEATED = "repeated_across_pages"  # logo, running ornament
    BACKGROUND = "page_background"
    TOO_SMALL = "too_small"
    RULE = "rule"  # line or thin bar
    # pairing
    NO_CAPTION = "no_caption"  # figure with no caption
    ORPHAN_CAPTION = "orphan_caption"  # caption with no figure
    NO_DESCRIPTION = "no_description"
    MERGED = "merged"  # a piece of a figure printed as several images: its pixels are in the row
    LOW_CONFIDENCE = "low_confidence"
    # dataset
    DUPLICATE_IMAGE = "duplicate_image"  # same pixels
    NEAR_DUPLICATE_IMAGE = "near_duplicate_image"  # re-scan, resize, recompress
    NEAR_DUPLICATE_TEXT = "near_duplicate_text"
    EMPTY_TEXT = "empty_text"
    UNDECODABLE_IMAGE = "undecodable_image"
    # curator
    CURATOR_DROPPED = "curator_dropped"


@dataclass(frozen=True, slots=True)
class Book:
    """An input PDF that opened cleanly."""

    path: str
    source: str  # file name, as in the `source` column
    sha256: str
    page_count: int


@dataclass(frozen=True, slots=True)
class TextBlock:
    page: int
    index: int  # reading order on the page
    text: str
    bbox_pt: BBox
    kind: BlockKind
    origin: TextOrigin
    font_size: float | None = None
    font_name: str | None = None
    confidence: float = 1.0  # OCR score; 1.0 for a text layer


@dataclass(frozen=True, slots=True)
class Figure:
    source: str
    source_sha256: str
    page: int
    index: int  # order on the page, top-to-bottom then left-to-right
    bbox_pt: BBox
    image: bytes  # encoded image (JPEG, PNG, JPX... as `image_format` says)
    image_format: str  # file extension without dot: jpeg, png, jpx, ...
    width: int  # pixels
    height: int
    origin: FigureOrigin
    confidence: float = 1.0  # detector confidence that this is a figure

    @property
    def id(self) -> str:
        return figure_id(self.source_sha256, self.page, self.index)


@dataclass(frozen=True, slots=True)
class Reject:
    """Anything dropped on the way, with why: lands in rejects.parquet."""

    stage: Stage
    reason: RejectReason
    source: str
    source_sha256: str = ""
    page: int | None = None
    bbox_pt: BBox | None = None
    detail: str = ""
    item_id: str | None = None  # figure or row id where there is one
    duplicate_of: str | None = None
    image: bytes | None = None
    image_format: str | None = None
    caption: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class PageExtract:
    """One page after extract: what align works from."""

    source: str
    source_sha256: str
    page: int
    width_pt: float
    height_pt: float
    kind: PageKind
    status: PageStatus
    figures: tuple[Figure, ...] = ()
    blocks: tuple[TextBlock, ...] = ()
    rejects: tuple[Reject, ...] = ()  # images dropped as not-figures, page failure
    error: str = ""
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Pair:
    """A figure with its caption and description: one dataset row before dedupe and split."""

    figure: Figure
    caption: str  # the whole caption line as printed, label included
    label: str  # e.g. 图3-14
    title: str
    text: str  # the description
    text_origin: TextOrigin
    domain: Domain
    confidence: float
    evidence: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    caption_original: str = ""  # before traditional -> simplified conversion
    text_original: str = ""
    group_hint: str | None = None  # e.g. composite figure key: rows that must stay together
    caption_page: int | None = None  # page of the caption (differs for facing-page plates)
    caption_bbox_pt: BBox | None = None
    text_bbox_pt: BBox | None = None  # union of the description blocks on the figure's page
    text_kind: TextKind = TextKind.DESCRIPTION  # CAPTION when `text` falls back to the title

    @property
    def id(self) -> str:
        return self.figure.id


@dataclass(frozen=True, slots=True)
class BookAlignment:
    book: str  # source file name
    domain: Domain
    pairs: tuple[Pair, ...]
    rejects: tuple[Reject, ...]


@dataclass(frozen=True, slots=True)
class FileReport:
    """Per-input outcome for manifest.json."""

    path: str
    source: str
    sha256: str = ""
    status: FileStatus = FileStatus.OK
    reason: str = ""
    page_count: int = 0
    pages: tuple[tuple[int, str, str], ...] = field(default=())  # (page, status, detail)


def figure_id(source_sha256: str, page: int, index: int) -> str:
    """Given a book hash, a 1-based page and a figure index, return the stable row id."""
    return f"{source_sha256[:16]}-p{page:04d}-f{index:02d}"
