"""align: pair each extracted figure with its caption and description, or reject it with a reason."""

from align.book import align_book
from align.clean import clean_text
from align.config import AlignConfig
from align.domain import detect_domain
from align.labels import CaptionParse, find_references, normalize_label, parse_caption

__all__ = [
    "AlignConfig",
    "CaptionParse",
    "align_book",
    "clean_text",
    "detect_domain",
    "find_references",
    "normalize_label",
    "parse_caption",
]
