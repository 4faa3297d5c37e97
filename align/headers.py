"""Running headers, footers and page numbers, learnt per book from repetition."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from align.config import AlignConfig
from culti.records import BlockKind, PageExtract, TextBlock

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
# page numbers as printed: 12, - 12 -, ·12·, 第12页, p. 12, xii
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–·•.()（）\[\]]*(?:第\s*)?(?:\d{1,4}|[ivxlcIVXLC]{1,6})(?:\s*页)?[\s\-—–·•.()（）\[\]]*$"
)
_PAGE_NUMBER_P = re.compile(r"^(?:p\.?|page)\s*\d{1,4}$", re.I)
_DROP_KINDS = (BlockKind.HEADER, BlockKind.FOOTER, BlockKind.PAGE_NUMBER)
_RUNNING_CHARS = 100  # a journal's running head with authors, volume, year and pages runs to ~70


def _band(block: TextBlock, page_height: float, share: float) -> str | None:
    y0, y1 = block.bbox_pt[1], block.bbox_pt[3]
    if y1 <= page_height * share:
        return "top"
    if y0 >= page_height * (1.0 - share):
        return "bottom"
    return None


def running_key(text: str) -> str:
    """Given block text, return its repetition key: NFKC, no spaces, digits folded to '#'."""
    text = unicodedata.normalize("NFKC", text)
    return _DIGITS.sub("#", _SPACE.sub("", text))


def is_page_number(text: str) -> bool:
    """Given block text, return whether it is only a page number."""
    t = unicodedata.normalize("NFKC", text).strip()
    return bool(t) and bool(_PAGE_NUMBER.match(t) or _PAGE_NUMBER_P.match(t))


def learn_running(pages: Sequence[PageExtract], config: AlignConfig) -> frozenset[tuple[str, str]]:
    """Given a book's pages, return the (band, key) pairs that repeat as headers or footers."""
    counts: Counter[tuple[str, str]] = Counter()
    for page in pages:
        seen = set()
        for b in page.blocks:
            band = _band(b, page.height_pt, config.header_band)
            if band and len(b.text.strip()) <= _RUNNING_CHARS:
                seen.add((band, running_key(b.text)))
        counts.update(seen)
    need = max(config.header_min_pages, int(round(config.header_min_share * len(pages))))
    return frozenset(k for k, n in counts.items() if n >= need and k[1])


def is_running(block: TextBlock, page: PageExtract, running: frozenset[tuple[str, str]],
               config: AlignConfig) -> bool:
    """Given a block, return whether it is a header, footer or page number to drop."""
    if block.kind == BlockKind.PAGE_NUMBER or (
        block.kind in _DROP_KINDS and _looks_like_running_title(block.text)
    ):
        return True  # extract's band guess, kept only for text that cannot be a description
    band = _band(block, page.height_pt, config.header_band)
    key = running_key(block.text)
    if band is None and block.kind not in _DROP_KINDS:
        return _running_variant(block, key, page, running, config)
    if is_page_number(block.text):
        return True
    return any((b, key) in running for b in (("top", "bottom") if band is None else (band,))) or \
        _running_variant(block, key, page, running, config)


_VARIANT_CHARS = 12  # a shorter key could be any phrase of a running title


def _running_variant(block: TextBlock, key: str, page: PageExtract,
                     running: frozenset[tuple[str, str]], config: AlignConfig) -> bool:
    """Whether a block is a variant of a running header or footer: its key lies inside a learnt
    one of the same band, within twice the band. A journal's first page prints "Journal of
    Hydrology 310 (2005) 253-265" under its masthead, lower than the running header it shortens;
    taken for a caption it made the masthead logo a figure."""
    band = _band(block, page.height_pt, 2 * config.header_band)
    return band is not None and len(key) >= _VARIANT_CHARS and \
        any(b == band and key != k and key in k for b, k in running)


def _looks_like_running_title(text: str) -> bool:
    t = text.strip()
    return len(t) <= 24 and not any(ch in t for ch in "，。；！？,;!?")
