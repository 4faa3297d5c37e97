"""The align stage's one config record."""

from __future__ import annotations

from dataclasses import dataclass

DOMAINS = ("auto", "silk", "mural")


@dataclass(frozen=True, slots=True)
class AlignConfig:
    """How captions are found, paired with figures and cleaned."""

    domain: str = "auto"  # "silk" | "mural" | "auto" (decided per book from its vocabulary)
    to_simplified: bool = True  # opencc t2s on caption, title and text; originals are kept
    min_confidence: float = 0.3  # pairs below go to rejects as LOW_CONFIDENCE
    max_caption_gap_pt: float = 120.0  # farthest a same-page caption may sit from its figure
    header_band: float = 0.12  # top/bottom share of the page where running headers live (a journal head: 0.105)
    header_min_pages: int = 3  # a running header repeats on at least this many pages...
    header_min_share: float = 0.25  # ...and on at least this share of the book's pages
    keywords_top_k: int = 8
    small_figure_area_frac: float = 0.01  # smaller pictures pair only when a caption claims them
    facing_pages: bool = True
    # a figure with no description takes the body sentences that cite it (如图3-2所示...) as its
    # text; off by default: that is running prose, and `text` falls back to the caption's title
    body_references: bool = False  # pair a captionless full-page plate with the caption opposite

    def __post_init__(self) -> None:
        if self.domain not in DOMAINS:
            raise ValueError(f"AlignConfig.domain={self.domain!r}: use one of {', '.join(DOMAINS)}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(
                f"AlignConfig.min_confidence={self.min_confidence}: use a value in [0, 1]"
            )
        if self.max_caption_gap_pt <= 0:
            raise ValueError("AlignConfig.max_caption_gap_pt must be > 0 (PDF points)")
        if not 0.0 < self.header_band < 0.5:
            raise ValueError("AlignConfig.header_band must be in (0, 0.5): a share of page height")
        if self.header_min_pages < 2:
            raise ValueError("AlignConfig.header_min_pages must be >= 2: repetition needs two pages")
        if not 0.0 < self.header_min_share <= 1.0:
            raise ValueError("AlignConfig.header_min_share must be in (0, 1]")
        if self.keywords_top_k < 0:
            raise ValueError("AlignConfig.keywords_top_k must be >= 0")
