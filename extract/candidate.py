"""What might be a figure on a born-digital page, before it is classified."""

from __future__ import annotations

from dataclasses import dataclass

import pymupdf


@dataclass(frozen=True, slots=True)
class Candidate:
    """One thing drawn on the page that might be a figure, in displayed coordinates."""

    rect: pymupdf.Rect  # visible area (clipped to page and clip path)
    xrefs: tuple[int, ...]  # image xrefs; () for vector drawings
    digest: str  # content digest (repetition across pages)
    zoom: float  # pixels per point at native resolution
    clipped: bool
    kind: str  # image | tiles | vector | mixed (drawings around images) | hidden (transparent)


def drawing_count(cand: Candidate) -> int:
    """Return how many drawings a drawn candidate holds (kept in its digest); 1 for images."""
    return int(cand.digest[1:].split("-")[0]) if cand.kind in ("vector", "mixed", "chart") else 1


def overlap(a: pymupdf.Rect, b: pymupdf.Rect) -> float:
    """Return the intersection's share of the smaller rect."""
    inter = a & b
    if inter.is_empty:
        return 0.0
    return inter.get_area() / max(min(a.get_area(), b.get_area()), 1e-6)


def inside_frac(a: pymupdf.Rect, b: pymupdf.Rect) -> float:
    """Return the share of a's area that lies inside b."""
    inter = a & b
    return 0.0 if inter.is_empty else inter.get_area() / max(a.get_area(), 1e-6)
