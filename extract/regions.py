"""Pixel-level region logic for scans: tighten and merge figure boxes, group text regions."""

from __future__ import annotations

import cv2
import numpy as np

from culti.geometry import iou, merge_pairwise, overlap_of

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


def tighten(mask: np.ndarray, box: BoxPx, pad: float, thin: bool = False) -> BoxPx | None:
    """Given an ink mask and a loose box, return the bbox of the ink inside it (specks ignored:
    an opening, or with `thin` (a line drawing, whose hairlines an opening would erase) rows and
    columns with a single inked pixel)."""
    h, w = mask.shape
    x0, y0 = max(0, int(box[0] - pad)), max(0, int(box[1] - pad))
    x1, y1 = min(w, int(box[2] + pad)), min(h, int(box[3] + pad))
    sub = mask[y0:y1, x0:x1]
    if sub.size == 0:
        return None
    if thin:
        xs, ys = np.flatnonzero(sub.sum(axis=0) >= 2), np.flatnonzero(sub.sum(axis=1) >= 2)
    else:
        ys, xs = np.nonzero(cv2.morphologyEx(sub, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)))
    if len(xs) == 0 or len(ys) == 0:
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
    out: list[tuple[BoxPx, float]] = [(b, 0.95) for b in _join_panels(
        [blobs[bi] for bi in claimed], claimed, min_side_px / 6)]
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


def split_by_captions(mask: np.ndarray, figures: list[tuple[BoxPx, float]],
                      captions: list[BoxPx], min_side_px: float,
                      unlabelled: list[BoxPx] = ()) -> list[tuple[BoxPx, float]]:
    """Given figure boxes, labelled caption boxes and short unlabelled caption lines (pixels),
    return the figures with a box that has two or more captions side by side right under (or
    over) it cut in two at the palest column between the captions' centres: two pictures a
    layout box merged. Unlabelled lines count only two or more in one row ("Rio Carnival",
    "The Spring Festival" under photos a drop shadow joined)."""
    labelled = set(range(len(captions)))
    every = list(captions) + list(unlabelled)
    out: list[tuple[BoxPx, float]] = []
    for box, conf in figures:
        x0, y0, x1, y1 = box
        near = [k for k, c in enumerate(every) if x0 <= (c[0] + c[2]) / 2 <= x1 and (
            -0.5 * (c[3] - c[1]) <= c[1] - y1 <= 3 * (c[3] - c[1])
            or -0.5 * (c[3] - c[1]) <= y0 - c[3] <= 3 * (c[3] - c[1]))]
        below = sorted((k for k in near if every[k][1] >= (y0 + y1) / 2), key=lambda k: every[k][0])
        above = sorted((k for k in near if every[k][1] < (y0 + y1) / 2), key=lambda k: every[k][0])
        picked = below if len(below) >= len(above) else above
        if not all(k in labelled for k in picked) and not _one_row([every[k] for k in picked]):
            picked = [k for k in picked if k in labelled]
        row = [every[k] for k in picked]
        cuts = []
        sub = mask[int(y0):int(y1), int(x0):int(x1)]
        if len(row) >= 2 and sub.size:
            profile = sub.mean(axis=0)
            typical = float(np.median(profile))
            for a, b in zip(row, row[1:], strict=False):
                lo, hi = int((a[0] + a[2]) / 2 - x0), int((b[0] + b[2]) / 2 - x0)
                if hi - lo < 2:
                    continue
                j = lo + int(np.argmin(profile[lo:hi]))
                if profile[j] < 0.5 * typical:
                    cuts.append(x0 + j)
        if not cuts:
            out.append((box, conf))
            continue
        edges = [x0, *cuts, x1]
        for left, right in zip(edges, edges[1:], strict=False):
            piece = tighten(mask, (left + 1, y0, right - 1, y1), pad=0, thin=True)
            if piece and min(piece[2] - piece[0], piece[3] - piece[1]) >= min_side_px:
                out.append((piece, conf))
    return out


def _one_row(boxes: list[BoxPx]) -> bool:
    """Whether boxes stand side by side in one row: each overlaps the first's height by half."""
    return len(boxes) >= 2 and all(
        min(b[3], boxes[0][3]) - max(b[1], boxes[0][1]) > 0.5 * min(b[3] - b[1], boxes[0][3] - boxes[0][1])
        for b in boxes[1:])


def _join_panels(boxes: list[BoxPx], claimed: dict[int, list[int]], gap_px: float) -> list[BoxPx]:
    """Given the blobs the layout model boxed (in `claimed` order) and which layout boxes claim
    each, return them with blobs of one layout box that lie closer than `gap_px` joined: panels
    of one figure (input / truth / prediction) a hairline apart. Two figures so close that the
    captions say two are cut again by split_by_captions."""
    owners = [set(lis) for lis in claimed.values()]

    def join(x: tuple[BoxPx, set[int]], y: tuple[BoxPx, set[int]]):
        (a, oa), (b, ob) = x, y
        dx = max(b[0] - a[2], a[0] - b[2], 0.0)
        dy = max(b[1] - a[3], a[1] - b[3], 0.0)
        return (union([a, b]), oa | ob) if oa & ob and max(dx, dy) < gap_px else None

    items = merge_pairwise(list(zip(boxes, owners, strict=True)), join)
    return [b for b, _ in items]


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
    def join(a: tuple[str, BoxPx], b: tuple[str, BoxPx]) -> tuple[str, BoxPx] | None:
        if not _same_region(a[1], b[1], max_line_px) or _caption_apart(a, b):
            return None
        return (a[0] if _rank(a[0]) >= _rank(b[0]) else b[0]), union([a[1], b[1]])

    items = merge_pairwise(regions, join)
    return sorted(items, key=lambda r: (r[1][1], r[1][0]))


def _caption_apart(a: tuple[str, BoxPx], b: tuple[str, BoxPx]) -> bool:
    """A figure caption the layout model boxed stays apart from a larger body region that only
    grazes it (a column box running a little into the caption beside it), and a one-line
    caption box at the top or bottom edge of a region several lines taller stays apart from it
    (a chart's title band under a key-figures table the model boxed with it as one caption)."""
    for (la, ba), (lb, bb) in ((a, b), (b, a)):
        if la == "figure_caption" and lb != "figure_caption" \
                and _area(bb) > 2 * _area(ba) and overlap_of(ba, bb) < 0.6:
            return True
        tall_a, tall_b = ba[3] - ba[1], bb[3] - bb[1]
        edge = min(abs(ba[3] - bb[3]), abs(ba[1] - bb[1])) <= 0.5 * tall_a
        if la == "figure_caption" and tall_b >= 2.5 * tall_a and edge and overlap_of(ba, bb) > 0.6:
            return True
    return False


def _area(b: BoxPx) -> float:
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


def _rank(label: str) -> int:
    return {"figure_caption": 4, "table_caption": 3, "title": 2, "text": 1}.get(label, 0)


def _same_region(a: BoxPx, b: BoxPx, max_line_px: float) -> bool:
    if iou(a, b) > 0 and (overlap_of(a, b) > 0.3 or overlap_of(b, a) > 0.3):
        inter = overlap_of(a, b) * _area(a)
        # boxes crossing at a corner would make a union swallowing the page around them
        return _area(union([a, b])) <= 1.25 * (_area(a) + _area(b) - inter)
    wa, wb = a[2] - a[0], b[2] - b[0]
    col_a, col_b = _column(a, 2 * max_line_px), _column(b, 2 * max_line_px)
    if col_a and col_b:  # neighbouring columns of vertical text: one block
        h_overlap = min(a[3], b[3]) - max(a[1], b[1])
        gap = max(b[0] - a[2], a[0] - b[2])
        return h_overlap > 0.5 * min(a[3] - a[1], b[3] - b[1]) and gap < 1.5 * max(wa, wb)
    if col_a or col_b:  # pieces of one vertical column, one above the other
        x_overlap = min(a[2], b[2]) - max(a[0], b[0])
        v_gap = max(b[1] - a[3], a[1] - b[3])
        if x_overlap > 0.6 * min(wa, wb) and v_gap < 0.5 * max(wa, wb) \
                and max(wa, wb) <= 2 * max_line_px:  # a wide line over a column is no piece of it
            return True
    ha, hb = a[3] - a[1], b[3] - b[1]
    v_overlap = min(a[3], b[3]) - max(a[1], b[1])
    gap = max(b[0] - a[2], a[0] - b[2])
    one_line = max(ha, hb) < 2.5 * min(ha, hb) and max(ha, hb) <= max_line_px
    return one_line and v_overlap > 0.5 * min(ha, hb) and gap < 3 * min(ha, hb)


def vertical_columns(mask: np.ndarray) -> list[tuple[int, int]]:
    """Given the ink mask of a text region, return the x-ranges of its columns when the text
    is set vertically (gutters between columns wider and emptier than the gaps between rows),
    else []."""
    h, w = mask.shape
    if h < 8 or w < 4:
        return []
    xs, ys = mask.any(axis=0), mask.any(axis=1)
    runs = _runs(xs)
    if not runs:
        return []
    widths = sorted(b - a for a, b in runs)
    char = widths[len(widths) // 2]
    # pieces of one character (川, 八) are closer than a third of its width: one column
    cols = [list(runs[0])]
    for a, b in runs[1:]:
        if a - cols[-1][1] < max(2, char // 3):
            cols[-1][1] = b
        else:
            cols.append([a, b])
    col_w = sorted(b - a for a, b in cols)[len(cols) // 2]
    if h < 2.5 * col_w:
        return []
    a, b = max(runs, key=lambda c: c[1] - c[0])
    third = (b - a) // 3  # down the middle of a column: characters (vertical) or lines (horizontal)
    lines = [r for r in _runs(mask[:, a + third:b - third].any(axis=1)) if r[1] - r[0] > 1]
    if len(lines) >= 3 and b - a > 3 * sorted(y1 - y0 for y0, y1 in lines)[len(lines) // 2]:
        return []  # a column many lines of type wide is horizontal text
    one_column = len(cols) == 1 and h >= 2.5 * w
    x_empty, y_empty = 1 - xs.mean(), 1 - ys.mean()
    if one_column or (len(cols) >= 2 and x_empty > 1.5 * y_empty and x_empty > 0.15):
        return [(int(a), int(b)) for a, b in cols]
    return []


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.astype(np.int8), [0]])))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _column(box: BoxPx, max_w: float = float("inf")) -> bool:
    # a newspaper column of horizontal lines is tall too, but many characters wide
    return box[3] - box[1] >= 2.5 * (box[2] - box[0]) and box[2] - box[0] <= max_w


def residual_text(mask: np.ndarray, covered: list[BoxPx], min_h: float) -> list[BoxPx]:
    """Given the ink mask and boxes already handled, return line boxes of leftover ink (text the
    layout model missed, e.g. a caption): rows of characters, or whole blocks where the text is
    set in vertical columns."""
    work = mask.copy()
    h, w = work.shape
    for box in covered:
        x0, y0, x1, y1 = (int(v) for v in box)
        work[max(0, y0 - 2):min(h, y1 + 2), max(0, x0 - 2):min(w, x1 + 2)] = 0
    k = max(5, int(min_h * 1.2))
    rows = _line_boxes(cv2.dilate(work, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 3))), min_h)
    # a block of characters set in columns is one region (read column by column), not rows
    vertical = []
    for b in _line_boxes(cv2.dilate(work, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))),
                         min_h):
        x0, y0, x1, y1 = (int(v) for v in b)
        if y1 - y0 >= 2.5 * min_h and vertical_columns(work[y0:y1, x0:x1]):
            vertical.append(b)
    rows = [r for r in rows if not any(overlap_of(r, v) > 0.8 for v in vertical)]
    return rows + vertical


def _line_boxes(joined: np.ndarray, min_h: float) -> list[BoxPx]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if bh >= min_h and bw >= min_h and area >= 0.1 * bw * bh:
            out.append((float(x), float(y), float(x + bw), float(y + bh)))
    return out


PANEL_TINT_SHARE = 0.3  # a blob this much one flat colour, with text inside, is a tinted panel
PANEL_TEXT_SHARE = 0.1  # ... when the model's text regions cover this much of it


def open_panels(rgb: np.ndarray, figures: list[tuple[BoxPx, float]], text_boxes: list[BoxPx],
                min_side_px: float, min_area_px: float) -> list[tuple[BoxPx, float]]:
    """Given the page image, figure boxes and the layout model's text boxes, return the figures
    with a tinted panel (a box of one flat colour that holds text: a journal's "In this issue"
    panel, a slide's coloured background) replaced by the pictures inside it: ink told from the
    panel's own colour as foreground tells it from the paper. A photo on a plain backdrop holds
    no text regions and stays whole; so does a panel with no picture found inside."""
    out: list[tuple[BoxPx, float]] = []
    for box, conf in figures:
        x0, y0, x1, y1 = (int(v) for v in box)
        sub = rgb[y0:y1, x0:x1]
        area = max(1, (x1 - x0) * (y1 - y0))
        text = sum(_area(t) for t in text_boxes  # (a box over the whole picture is the
                   if overlap_of(t, box) > 0.8 and _area(t) < 0.5 * area)  # model's second guess)
        if sub.size == 0 or text < PANEL_TEXT_SHARE * area:
            out.append((box, conf))
            continue
        bins = (sub[::2, ::2] // 16).reshape(-1, 3).astype(np.int32)
        codes = bins[:, 0] * 256 + bins[:, 1] * 16 + bins[:, 2]
        counts = np.bincount(codes)
        top = int(np.argmax(counts))
        if counts[top] < PANEL_TINT_SHARE * len(codes):
            out.append((box, conf))
            continue
        tint = np.median(sub[::2, ::2].reshape(-1, 3)[codes == top], axis=0)
        diff = sub.astype(np.int32) - tint.astype(np.int32)
        inner = ((diff ** 2).sum(axis=2) > 40 * 40).astype(np.uint8)
        from .scan_figures import is_text_texture

        # the panel's own text blocks (a page's columns on yellowed paper) are sparse lines
        pictures = [(b[0] + x0, b[1] + y0, b[2] + x0, b[3] + y0)
                    for b in picture_blobs(inner, min_side_px, min_area_px)
                    if ink_density(inner, b) >= 0.4 and not is_text_texture(inner, b)]
        pictures = [p for p in pictures if not any(overlap_of(p, t) > 0.3 for t in text_boxes)
                    and _area(p) < 0.8 * area]
        out += [(p, conf) for p in pictures] if pictures else [(box, conf)]
    return out



def split_overlapping(mask: np.ndarray, figures: list[tuple[BoxPx, float]],
                      min_side_px: float) -> list[tuple[BoxPx, float]]:
    """Given figure boxes, return them with a picture blob shaped like two or three solid
    rectangles (an inset photo over the corner of a larger one: an L whose box holds a text
    block in its empty corner) cut into those rectangles. A blob of any other shape (a diagram,
    a cut-out object) is not a few solid rectangles and stays whole."""
    out: list[tuple[BoxPx, float]] = []
    for box, conf in figures:
        rects = _solid_rectangles(mask, box, min_side_px)
        out += [(r, conf) for r in rects] if len(rects) >= 2 else [(box, conf)]
    return out


def _solid_rectangles(mask: np.ndarray, box: BoxPx, min_side_px: float) -> list[BoxPx]:
    x0, y0, x1, y1 = (int(v) for v in box)
    sub = mask[y0:y1, x0:x1]
    if sub.size == 0 or min(sub.shape) < 2 * min_side_px:
        return []
    k = max(3, int(round(min(mask.shape) * 0.004)))
    joined = cv2.morphologyEx(sub, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    contours, _ = cv2.findContours(joined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return []
    solid = np.zeros_like(sub)
    cv2.drawContours(solid, [max(contours, key=cv2.contourArea)], -1, 1, thickness=cv2.FILLED)
    total = int(solid.sum())
    if total > 0.9 * solid.size:
        return []  # one rectangle
    rows = solid.any(axis=1)
    spans = {}
    for y in np.flatnonzero(rows):
        xs = np.flatnonzero(solid[y])
        spans.setdefault((int(xs[0]) // k, int(xs[-1]) // k), (int(xs[0]), int(xs[-1]) + 1))
    candidates = []
    for left, right in spans.values():
        full = solid[:, left:right].mean(axis=1) >= 0.9  # (rounded corners)
        for a, b in _runs(full):
            if b - a >= min_side_px and right - left >= min_side_px:
                candidates.append((left, a, right, b))
    chosen: list[tuple[int, int, int, int]] = []
    covered = np.zeros_like(solid)
    while candidates and len(chosen) < 3:
        gain = [int((solid[a:b, c:d] & (1 - covered[a:b, c:d])).sum()) for c, a, d, b in candidates]
        best = int(np.argmax(gain))
        if gain[best] < 0.05 * total:
            break
        c, a, d, b = candidates.pop(best)
        chosen.append((c, a, d, b))
        covered[a:b, c:d] = 1
    if len(chosen) < 2 or (solid & covered).sum() < 0.93 * total:
        return []
    boxes = [(float(c), float(a), float(d), float(b)) for c, a, d, b in chosen]
    if any(overlap_of(p, q) > 0.3 for p in boxes for q in boxes if p is not q):
        return []  # one picture with a tab or a shadow, not one printed over another's corner
    return [(float(x0 + c), float(y0 + a), float(x0 + d), float(y0 + b)) for c, a, d, b in chosen]

