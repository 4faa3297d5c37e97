"""Small bbox helpers in PDF points (x0, y0, x1, y1, top-left origin)."""

from __future__ import annotations

from collections.abc import Iterable

from culti.records import BBox


def h_overlap(a: BBox, b: BBox) -> float:
    """Given two boxes, return the length of their horizontal overlap (0 when apart)."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0]))


def v_overlap(a: BBox, b: BBox) -> float:
    """Given two boxes, return the length of their vertical overlap (0 when apart)."""
    return max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def union(a: BBox, b: BBox) -> BBox:
    """Given two boxes, return the smallest box holding both."""
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def union_all(boxes: Iterable[BBox]) -> BBox | None:
    """Given boxes, return their union, or None for none."""
    out = None
    for b in boxes:
        out = b if out is None else union(out, b)
    return out


def iou(a: BBox, b: BBox) -> float:
    """Given two boxes, return intersection over union."""
    inter = h_overlap(a, b) * v_overlap(a, b)
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / area if area > 0 else 0.0


def width(a: BBox) -> float:
    return max(a[2] - a[0], 1e-6)


def height(a: BBox) -> float:
    return max(a[3] - a[1], 1e-6)


def box_gap(a: BBox, b: BBox) -> float:
    """Given two boxes, return the shortest distance between them (0 when they touch)."""
    dx = max(0.0, max(a[0], b[0]) - min(a[2], b[2]))
    dy = max(0.0, max(a[1], b[1]) - min(a[3], b[3]))
    return (dx * dx + dy * dy) ** 0.5
