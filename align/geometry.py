"""Small bbox helpers in PDF points (x0, y0, x1, y1, top-left origin); the shared ones live in
culti.geometry and are re-exported here for align's modules."""

from __future__ import annotations

from culti.geometry import box_gap, h_overlap, iou, overlap_of, union, union_all, v_overlap
from culti.records import BBox

__all__ = ["box_gap", "h_overlap", "height", "iou", "overlap_of", "union", "union_all", "v_overlap",
           "width"]


def width(a: BBox) -> float:
    return max(a[2] - a[0], 1e-6)


def height(a: BBox) -> float:
    return max(a[3] - a[1], 1e-6)
