"""Box geometry shared by every stage and the evaluator: boxes are (x0, y0, x1, y1), any unit.

One implementation of IoU, overlap shares and optimal box matching, so extract, align and the
scores agree on what "the same box" means.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

Box = Sequence[float]


def h_overlap(a: Box, b: Box) -> float:
    """Given two boxes, return the length of their horizontal overlap (0 when apart)."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0]))


def v_overlap(a: Box, b: Box) -> float:
    """Given two boxes, return the length of their vertical overlap (0 when apart)."""
    return max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def area(a: Box) -> float:
    """Given a box, return its area (0 for an empty or inverted box)."""
    return max(0.0, a[2] - a[0]) * max(0.0, a[3] - a[1])


def iou(a: Box, b: Box) -> float:
    """Given two boxes, return intersection over union (0 when both are empty)."""
    inter = h_overlap(a, b) * v_overlap(a, b)
    union_area = area(a) + area(b) - inter
    return inter / union_area if union_area > 0 else 0.0


def overlap_of(a: Box, b: Box) -> float:
    """Given boxes a and b, return the share of a's area that lies inside b."""
    size = area(a)
    return h_overlap(a, b) * v_overlap(a, b) / size if size > 0 else 0.0


def union(a: Box, b: Box) -> tuple[float, float, float, float]:
    """Given two boxes, return the smallest box holding both."""
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def union_all(boxes: Iterable[Box]) -> tuple[float, float, float, float] | None:
    """Given boxes, return their union, or None for none."""
    out = None
    for b in boxes:
        out = tuple(b) if out is None else union(out, b)
    return out


T = TypeVar("T")


def merge_pairwise(items: Sequence[T], join: Callable[[T, T], T | None]) -> list[T]:
    """Given items and `join` (the two merged into one, or None to keep them apart), return the
    items with pairs merged until no pair joins: the first joinable pair in list order merges
    into the earlier one's place and the scan starts again (boxes that grow may join more)."""
    out = list(items)
    merged = True
    while merged:
        merged = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                joined = join(out[i], out[j])
                if joined is not None:
                    out[i] = joined
                    del out[j]
                    merged = True
                    break
            if merged:
                break
    return out


def box_gap(a: Box, b: Box) -> float:
    """Given two boxes, return the shortest distance between them (0 when they touch)."""
    dx = max(0.0, max(a[0], b[0]) - min(a[2], b[2]))
    dy = max(0.0, max(a[1], b[1]) - min(a[3], b[3]))
    return (dx * dx + dy * dy) ** 0.5


def match_boxes(truth: Sequence[Box], found: Sequence[Box],
                min_iou: float = 0.5) -> list[tuple[int, int, float]]:
    """Given truth and found boxes of one page, return (truth index, found index, IoU) matches.

    Optimal, not greedy: the most pairs with IoU >= `min_iou`, and among those the largest IoU
    sum (scipy's linear_sum_assignment). Sorted by truth index.
    """
    if not truth or not found:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    ious = np.array([[iou(t, f) for f in found] for t in truth], dtype=float)
    ok = ious >= min_iou
    # each pair is worth 1 plus a tie-break below 1/(n+1), so one more pair always wins
    weight = np.where(ok, 1.0 + ious / (min(len(truth), len(found)) + 1), 0.0)
    rows, cols = linear_sum_assignment(-weight)
    return sorted((int(r), int(c), float(ious[r, c])) for r, c in zip(rows, cols, strict=True)
                  if ok[r, c])
