"""Pixel-level region logic for scans: tighten and merge figure boxes, group text regions."""

from __future__ import annotations

import cv2
import numpy as np

from culti.geometry import iou, overlap_of

BoxPx = tuple[float, float, float, float]


def union(boxes: list[BoxPx]) -> BoxPx:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def picture_blobs(mask: np.ndarray, min_side_px: float, min_area_px: float) -> list[BoxPx]:
    """Given an ink mask, return boxes of connected blobs big enough to be pictures (a light
    dilation joins a picture's pieces but not separate text lines)."""
    k = max(3, int(round(min(mask.shape) * 0.004)))
    joined = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if min(w, h) >= min_side_px and w * h >= min_area_px and area >= 0.25 * w * h:
            out.append((float(x + k // 2), float(y + k // 2), float(x + w - k // 2),
                        float(y + h - k // 2)))
    return out


def tighten(mask: np.ndarray, box: BoxPx, pad: float) -> BoxPx | None:
    """Given an ink mask and a loose box, return the bbox of the ink inside it (specks ignored)."""
    h, w = mask.shape
    x0, y0 = max(0, int(box[0] - pad)), max(0, int(box[1] - pad))
    x1, y1 = min(w, int(box[2] + pad)), min(h, int(box[3] + pad))
    sub = mask[y0:y1, x0:x1]
    if sub.size == 0:
        return None
    sub = cv2.morphologyEx(sub, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    ys, xs = np.nonzero(sub)
    if len(xs) == 0:
        return None
    return (float(x0 + xs.min()), float(y0 + ys.min()), float(x0 + xs.max() + 1),
            float(y0 + ys.max() + 1))


def ink_density(mask: np.ndarray, box: BoxPx) -> float:
    """Return the fraction of ink pixels inside a box."""
    sub = mask[int(box[1]):int(box[3]), int(box[0]):int(box[2])]
    return float(sub.mean()) if sub.size else 0.0


def refine_figures(mask: np.ndarray, layout_boxes: list[BoxPx], text_boxes: list[BoxPx],
                   min_side_px: float, min_area_px: float) -> list[tuple[BoxPx, float]]:
    """Given the ink mask, the layout model's figure boxes and its text boxes, return figure
    boxes with a confidence: boxes snapped to picture blobs, split boxes merged, and blobs
    the model missed added when they are not text."""
    blobs = picture_blobs(mask, min_side_px, min_area_px)
    claimed: dict[int, list[int]] = {}  # blob -> layout boxes that cover it
    for bi, blob in enumerate(blobs):
        for li, box in enumerate(layout_boxes):
            if overlap_of(blob, box) > 0.5 or overlap_of(box, blob) > 0.5:
                claimed.setdefault(bi, []).append(li)
    out: list[tuple[BoxPx, float]] = [(blobs[bi], 0.95) for bi in claimed]
    for li, box in enumerate(layout_boxes):
        if any(li in lis for lis in claimed.values()):
            continue  # a box split over one picture, or one box over several, follows the blobs
        tight = tighten(mask, box, pad=4)
        if tight and min(tight[2] - tight[0], tight[3] - tight[1]) >= min_side_px \
                and ink_density(mask, tight) >= 0.25:  # sparse ink in a box is a title, not art
            out.append((tight, 0.6))
    for bi, blob in enumerate(blobs):
        if bi not in claimed and not any(overlap_of(blob, t) > 0.5 for t in text_boxes):
            out.append((blob, 0.7))  # a picture the model did not box
    return dedupe(out)


def dedupe(boxes: list[tuple[BoxPx, float]]) -> list[tuple[BoxPx, float]]:
    """Return boxes with ones mostly inside another dropped (keeping the larger)."""
    boxes = sorted(boxes, key=lambda b: -(b[0][2] - b[0][0]) * (b[0][3] - b[0][1]))
    kept: list[tuple[BoxPx, float]] = []
    for box, conf in boxes:
        if not any(overlap_of(box, k) > 0.6 for k, _ in kept):
            kept.append((box, conf))
    return kept


def merge_text_regions(regions: list[tuple[str, BoxPx]],
                       max_line_px: float = float("inf")) -> list[tuple[str, BoxPx]]:
    """Given labelled text boxes, return them with overlapping boxes and pieces of one line
    (a caption's label and title found apart, each at most `max_line_px` tall) merged; the more
    specific label wins. Paragraphs side by side in two columns stay apart."""
    items = list(regions)
    changed = True
    while changed:
        changed = False
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                if _same_region(items[i][1], items[j][1], max_line_px):
                    la, lb = items[i][0], items[j][0]
                    label = la if _rank(la) >= _rank(lb) else lb
                    items[i] = (label, union([items[i][1], items[j][1]]))
                    del items[j]
                    changed = True
                    break
            if changed:
                break
    return sorted(items, key=lambda r: (r[1][1], r[1][0]))


def _rank(label: str) -> int:
    return {"figure_caption": 4, "table_caption": 3, "title": 2, "text": 1}.get(label, 0)


def _same_region(a: BoxPx, b: BoxPx, max_line_px: float) -> bool:
    if iou(a, b) > 0 and (overlap_of(a, b) > 0.3 or overlap_of(b, a) > 0.3):
        return True
    ha, hb = a[3] - a[1], b[3] - b[1]
    v_overlap = min(a[3], b[3]) - max(a[1], b[1])
    gap = max(b[0] - a[2], a[0] - b[2])
    one_line = max(ha, hb) < 2.5 * min(ha, hb) and max(ha, hb) <= max_line_px
    return one_line and v_overlap > 0.5 * min(ha, hb) and gap < 3 * min(ha, hb)


def residual_text(mask: np.ndarray, covered: list[BoxPx], min_h: float) -> list[BoxPx]:
    """Given the ink mask and boxes already handled, return line boxes of leftover ink (text the
    layout model missed, e.g. a caption)."""
    work = mask.copy()
    h, w = work.shape
    for box in covered:
        x0, y0, x1, y1 = (int(v) for v in box)
        work[max(0, y0 - 2):min(h, y1 + 2), max(0, x0 - 2):min(w, x1 + 2)] = 0
    k = max(5, int(min_h * 1.2))
    lines = cv2.dilate(work, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 3)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if bh >= min_h and bw >= min_h and area >= 0.1 * bw * bh:
            out.append((float(x), float(y), float(x + bw), float(y + bh)))
    return out
