"""Stage 1, extract: PDF pages -> figures and text blocks (culti.records.PageExtract).

Public API: open_book, extract_book, ExtractConfig, InputError.
"""

from __future__ import annotations

from .book import extract_book
from .config import ExtractConfig
from .reader import InputError, open_book

__all__ = ["ExtractConfig", "InputError", "extract_book", "open_book"]
