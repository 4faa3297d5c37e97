"""Figure boxes on scans checked against the ink's texture: text columns are no pictures, caption
lines glued under a photo are cut off, sparse charts the layout model boxed are kept."""

from __future__ import annotations

import re

import cv2
import numpy as np

from culti.geometry import overlap_of

from .regions import BoxPx, ink_density, tighten, vertical_columns

EMPTY_ROW = 0.03  # a row with less ink than this share of the box's width is a gap between lines
CHART_MIN_SCORE = 0.8  # a layout figure box this sure is kept however sparse its ink
CHART_MIN_SIDE = 2.0  # ... when both its sides are this many times min_figure_side


def row_runs(mask: np.ndarray, box: BoxPx) -> list[tuple[int, int, float]]:
    """Given an ink mask and a box, return the runs of inked rows inside it as (top, bottom,
    mean ink share) in the box's own rows."""
    sub = mask[int(box[1]):int(box[3]), int(box[0]):int(box[2])]
    if sub.size == 0:
        return []
    share = sub.mean(axis=1)
    inked = np.concatenate([[0], (share >= EMPTY_ROW).astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(inked))
    return [(int(a), int(b), float(share[a:b].mean())) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def is_text_texture(mask: np.ndarray, box: BoxPx) -> bool:
    """Given an ink mask and a figure box, return True when the ink inside is lines of text (a
    column of body text a dilation joined into one blob): three or more inked bands of about
    one height, parted by empty rows, sparse ink, and no band much taller than a line."""
    runs = row_runs(mask, box)
    if len(runs) < 3 or ink_density(mask, box) >= 0.5:
        return False
    heights = sorted(b - a for a, b, _ in runs)
    line = heights[len(heights) // 2]
    tall = sum(b - a for a, b, _ in runs if b - a > 2.5 * line)
    inked = sum(heights)
    height = box[3] - box[1]
    if line < 3 or tall >= 0.2 * height or inked > 0.9 * height:
        return False
    # each line runs across the column in words (a screenshot's rows of short items do not)
    spans = sorted(_band_span(mask, box, a, b) for a, b, _ in runs if b - a >= 3)
    cover, pieces = spans[len(spans) // 2]
    return cover >= 0.6 and pieces >= 4


def _band_span(mask: np.ndarray, box: BoxPx, top: int, bottom: int) -> tuple[float, int]:
    """Given a box and a band of its rows, return the share of its columns the band inks and
    how many pieces (words, letters) empty columns cut it into."""
    cols = mask[int(box[1]) + top:int(box[1]) + bottom, int(box[0]):int(box[2])].any(axis=0)
    pieces = int(np.count_nonzero(np.diff(np.concatenate([[0], cols.astype(np.int8)])) == 1))
    return float(cols.mean()), pieces


def is_type_line(mask: np.ndarray, box: BoxPx) -> bool:
    """Given an ink mask and a box, return True when its ink is one to three lines of large
    type (a headline a layout model boxed as a figure): each inked band is cut by empty columns
    into six or more letters or words, and a fifth or more of its columns are empty."""
    runs = [r for r in row_runs(mask, box) if r[1] - r[0] >= 3]
    if not 1 <= len(runs) <= 3:
        return False
    sub = mask[int(box[1]):int(box[3]), int(box[0]):int(box[2])]
    for a, b, _ in runs:
        cols = sub[a:b].any(axis=0)
        pieces = int(np.count_nonzero(np.diff(np.concatenate([[0], cols.astype(np.int8)])) == 1))
        if pieces < 6 or cols.mean() > 0.8:
            return False
    return True


def trim_caption_lines(mask: np.ndarray, box: BoxPx) -> BoxPx:
    """Given a picture box, return it without the text lines a dilation glued under or over it
    (a photo's caption a hairline below): the lines are short, sparse bands parted from the
    picture's tall dense band by empty rows, together under a quarter of the box."""
    runs = row_runs(mask, box)
    if len(runs) < 2:
        return box
    main = max(runs, key=lambda r: r[1] - r[0])
    height = box[3] - box[1]
    if main[1] - main[0] < 0.5 * height or main[2] < 0.5:
        return box

    def lines(side: list[tuple[int, int, float]]) -> bool:
        return bool(side) and all(b - a < 0.12 * height and s < 0.5 for a, b, s in side) \
            and side[-1][1] - side[0][0] < 0.25 * height

    below = [r for r in runs if r[0] >= main[1]]
    above = [r for r in runs if r[1] <= main[0]]
    y0, y1 = box[1], box[3]
    if lines(below):
        y1 = box[1] + main[1]
    if lines(above):
        y0 = box[1] + main[0]
    return (box[0], y0, box[2], y1) if (y0, y1) != (box[1], box[3]) else box


def check_figures(mask: np.ndarray, figures: list[tuple[BoxPx, float]],
                  layout_figures: list[tuple[BoxPx, float]], text_boxes: list[BoxPx],
                  min_side_px: float) -> list[tuple[BoxPx, float]]:
    """Given refined figure boxes, the layout model's figure boxes with their scores and the
    smallest figure side, return the figures with text columns dropped, glued caption lines
    trimmed, and sparse charts the model was sure of (axes, thin bars and numbers: too little ink
    to make a blob) added."""
    out = []
    for box, conf in figures:
        if is_text_texture(mask, box) or (conf < 0.95 and is_type_line(mask, box)):
            continue  # a column of text, or a headline the layout model alone called a figure
        trimmed = trim_caption_lines(mask, box)
        if trimmed != box:
            trimmed = tighten(mask, trimmed, pad=0) or trimmed
        out.append((trimmed, conf))
    for box, score in layout_figures:
        if score < CHART_MIN_SCORE or any(overlap_of(box, f) > 0.3 or overlap_of(f, box) > 0.3
                                          for f, _ in out) \
                or sum(overlap_of(t, box) * _area(t) for t in text_boxes) > 0.3 * _area(box):
            continue  # overlaps a picture, or the model's text regions fill it
        tight = tighten(mask, box, pad=4)
        if tight and min(tight[2] - tight[0], tight[3] - tight[1]) >= CHART_MIN_SIDE * min_side_px \
                and _area(tight) < 0.6 * mask.size and not is_text_texture(mask, tight) \
                and not vertical_columns(mask[int(tight[1]):int(tight[3]), int(tight[0]):int(tight[2])]):
            # (a page of vertical text, which the model may box whole, is no chart)
            out.append((tight, 0.6))
    return out


def _area(b: BoxPx) -> float:
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


def xy_cut(mask: np.ndarray, box: BoxPx, gap_px: float) -> list[BoxPx]:
    """Given an ink mask and a block of leftover ink, return it cut recursively at its widest
    empty gutter (columns, `gap_px` or wider) or gap between rows (1.5 x `gap_px`), each piece
    tightened to its ink: columns of a newspaper a dilation joined come apart."""
    x0, y0, x1, y1 = (int(v) for v in box)
    sub = mask[y0:y1, x0:x1]
    if sub.size == 0 or not sub.any():
        return []
    ys, xs = np.nonzero(sub)
    x0, y0, x1, y1 = x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1
    sub = mask[y0:y1, x0:x1]
    best = None
    for axis, need in ((0, gap_px), (1, 1.5 * gap_px)):
        counts = sub.sum(axis=axis, dtype=np.int32)
        empty = counts <= max(2, 0.003 * sub.shape[axis])  # a speck of dust is no ink
        edges = np.flatnonzero(np.diff(np.concatenate([[0], empty.astype(np.int8), [0]])))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            if b - a >= need and (best is None or b - a > best[2] - best[1]):
                best = (axis, int(a), int(b))
    if best is None:
        return [(float(x0), float(y0), float(x1), float(y1))]
    axis, a, b = best
    if axis == 0:  # an empty gutter down the block
        parts = [(x0, y0, x0 + a, y1), (x0 + b, y0, x1, y1)]
    else:
        parts = [(x0, y0, x1, y0 + a), (x0, y0 + b, x1, y1)]
    return [p for part in parts for p in xy_cut(mask, part, gap_px)]


def cut_leftover(mask: np.ndarray, covered: list[BoxPx], box: BoxPx, line_px: float) -> list[BoxPx]:
    """Given the ink mask, the boxes already handled, a leftover block and the smallest line
    height, return the block cut into columns and paragraphs (xy_cut) with the handled ink
    blanked; a block of vertical text is one piece (its columns are read one by one)."""
    x0, y0, x1, y1 = (int(v) for v in box)
    work = mask[y0:y1, x0:x1].copy()
    for c in covered:
        cx0, cy0 = max(0, int(c[0]) - 2 - x0), max(0, int(c[1]) - 2 - y0)
        cx1, cy1 = int(c[2]) + 2 - x0, int(c[3]) + 2 - y0
        if cx1 > 0 and cy1 > 0:
            work[cy0:max(cy0, cy1), cx0:max(cx0, cx1)] = 0
    if work.size == 0 or vertical_columns(work):
        return [box]
    long = max(3, int(8 * line_px))  # rules between columns and under headlines are no text
    rules = cv2.morphologyEx(work, cv2.MORPH_OPEN, np.ones((long, 1), np.uint8)) | \
        cv2.morphologyEx(work, cv2.MORPH_OPEN, np.ones((1, long), np.uint8))
    work = work & (1 - rules)
    pieces = xy_cut(work, (0.0, 0.0, float(x1 - x0), float(y1 - y0)), line_px)
    return [(p[0] + x0, p[1] + y0, p[2] + x0, p[3] + y0) for p in pieces
            if p[3] - p[1] >= line_px / 2 and p[2] - p[0] >= line_px / 2]


_CHART_LABEL = re.compile(r"^[\s\d,.%+\-−~～年月()（）]+$")


def is_chart_label(text: str) -> bool:
    """Whether OCR text is a chart's number (an axis tick, a year, a value over a bar)."""
    return bool(_CHART_LABEL.match(text)) and any(ch.isdigit() for ch in text)


def absorb_chart_labels(mask: np.ndarray, figures: list[tuple[BoxPx, float]],
                        labels: list[tuple[int, BoxPx, str]]) -> tuple[list[tuple[BoxPx, float]], set[int]]:
    """Given figure boxes, and OCR blocks as (index, box, text) in the same pixels, return the
    figures with a sparse one (a chart: under half its box inked) grown over the numbers along
    its edges (axis ticks, years, values), and the indices of the blocks it took: a chart's
    numbers are part of the chart, not text of the page."""
    taken: set[int] = set()
    out = []
    for box, conf in figures:
        if ink_density(mask, box) >= 0.5:
            out.append((box, conf))
            continue
        grown = True
        while grown:
            grown = False
            for i, b, text in labels:
                if i in taken or not is_chart_label(text):
                    continue
                h = b[3] - b[1]
                dx = max(box[0] - b[2], b[0] - box[2], 0.0)
                dy = max(box[1] - b[3], b[1] - box[3], 0.0)
                if max(dx, dy) <= 1.5 * h and min(dx, dy) == 0.0:
                    box = (min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3]))
                    taken.add(i)
                    grown = True
        out.append((box, conf))
    return out, taken


def drop_duplicate_regions(regions: list[tuple[str, BoxPx]]) -> list[tuple[str, BoxPx]]:
    """Given the layout model's labelled text regions, return them without a `reference` box
    that repeats a `text` box (IoU >= 0.7): the model's second guess at one column, often wider,
    reaching into the caption beside it."""
    from culti.geometry import iou

    texts = [b for lab, b in regions if lab == "text"]
    return [(lab, b) for lab, b in regions
            if not (lab == "reference" and any(iou(b, t) >= 0.7 for t in texts))]


def attach_line_ends(regions: list[tuple[str, BoxPx]],
                     pieces: list[BoxPx]) -> tuple[list[tuple[str, BoxPx]], list[BoxPx]]:
    """Given the layout model's text regions and leftover ink pieces, return the regions grown
    over the pieces that finish one of their lines (level with the region, within two of the
    piece's heights of its edge: a caption line the model's box cut short; only regions of a
    few lines, a column would grow over its neighbour's words), and the pieces left."""
    regions = list(regions)
    left = []
    for p in pieces:
        h = p[3] - p[1]
        for k, (label, r) in enumerate(regions):
            inside = p[1] >= r[1] - 2 and p[3] <= r[3] + 2 and r[3] - r[1] <= 4 * h  # a short region
            gap = max(p[0] - r[2], r[0] - p[2])
            if inside and -2 <= gap <= 2 * h:
                regions[k] = (label, (min(r[0], p[0]), r[1], max(r[2], p[2]), r[3]))
                break
        else:
            left.append(p)
    return regions, left


DRAWING_MIN_SCORE = 0.4  # a layout figure box this sure is a line drawing when a caption line ends it


def caption_band(mask: np.ndarray, box: BoxPx, line_min: float, line_max: float) -> list[BoxPx]:
    """Given an ink mask, a figure box and the range of a line's height, return the caption
    lines printed inside the box's bottom ("第3题图" under a line drawing the layout model boxed
    with it), one box per caption when two pictures' captions share the row, or [] when the
    box's last inked band is no caption: too short or too tall for a line, not parted from
    the picture by an empty gap, or cut into pieces narrower than two line heights (a chart's
    tick numbers)."""
    x0, y0, x1, y1 = (int(v) for v in box)
    sub = mask[y0:y1, x0:x1]
    if sub.size == 0:
        return []
    rows = np.flatnonzero(sub.sum(axis=1) >= 2)  # a lone speck is no ink
    if len(rows) == 0:
        return []
    bottom = int(rows[-1]) + 1
    top = bottom
    while top > 0 and sub[top - 1].sum() >= 2:
        top -= 1
    height = bottom - top
    gap = 0
    while top - gap > 0 and sub[top - gap - 1].sum() < 2:
        gap += 1
    if not line_min <= height <= line_max or gap < 1 or top - gap < 3 * height:
        return []
    cols = np.flatnonzero(sub[top:bottom].any(axis=0))
    pieces: list[list[int]] = [[int(cols[0]), int(cols[0]) + 1]]
    for c in cols[1:]:
        if c - pieces[-1][1] < 1.5 * height:  # letters and words of one caption
            pieces[-1][1] = int(c) + 1
        else:
            pieces.append([int(c), int(c) + 1])
    if not 1 <= len(pieces) <= 4 or any(b - a < 2 * height for a, b in pieces) \
            or any(b - a > 0.7 * (x1 - x0) for a, b in pieces):
        return []
    return [(float(x0 + a), float(y0 + top), float(x0 + b), float(y0 + bottom)) for a, b in pieces]


def caption_cuts(mask: np.ndarray, figures: list[tuple[BoxPx, float]],
                 layout_figures: list[tuple[BoxPx, float]], line_min: float, line_max: float,
                 min_side_px: float) -> list[tuple[int | None, BoxPx, list[BoxPx]]]:
    """Given checked figure boxes, the layout model's figure boxes with scores and the range of
    a line's height, return the cuts that would take caption lines printed inside a figure's
    bottom off it, as (index of the figure, or None for a line drawing the model boxed with its
    caption that has too little ink for a blob and often lies in the model's text region; the
    picture above the lines; the caption line boxes). The lines are read before a cut is made
    (apply_caption_cuts): only a labelled caption ("第3题图", "Figure 2") confirms one."""
    out: list[tuple[int | None, BoxPx, list[BoxPx]]] = []

    def cut(box: BoxPx) -> tuple[BoxPx, list[BoxPx]] | None:
        lines = caption_band(mask, box, line_min, line_max)
        if not lines:
            return None
        above = tighten(mask, (box[0], box[1], box[2], min(c[1] for c in lines) - 1), pad=0,
                        thin=True)
        if above is None or min(above[2] - above[0], above[3] - above[1]) < min_side_px:
            return None
        return above, lines

    for i, (box, _) in enumerate(figures):
        done = cut(box)
        if done is not None:
            out.append((i, *done))
    for box, score in layout_figures:
        if score < DRAWING_MIN_SCORE or any(overlap_of(box, f) > 0.3 or overlap_of(f, box) > 0.3
                                            for f, _ in figures):
            continue
        tight = tighten(mask, box, pad=4)
        done = cut(tight) if tight else None
        if done is None or _area(done[0]) >= 0.3 * mask.size or is_text_texture(mask, done[0]) \
                or is_type_line(mask, done[0]) \
                or vertical_columns(mask[int(done[0][1]):int(done[0][3]), int(done[0][0]):int(done[0][2])]):
            continue  # no caption ends it, or a paragraph's last line under its other lines
        out.append((None, *done))
    return out


def apply_caption_cuts(figures: list[tuple[BoxPx, float]],
                       cuts: list[tuple[int | None, BoxPx, list[BoxPx]]],
                       confirmed: set[int]) -> list[tuple[BoxPx, float]]:
    """Given figures, caption_cuts' cuts and the positions (in `cuts`) of those whose lines
    read as labelled captions, return the figures with those cuts made and the confirmed line
    drawings added (confidence 0.6)."""
    out = list(figures)
    for k, (i, above, _) in enumerate(cuts):
        if k not in confirmed:
            continue
        if i is None:
            out.append((above, 0.6))
        else:
            out[i] = (above, figures[i][1])
    return out


def caption_paragraph(mask: np.ndarray, box: BoxPx, line_min: float, line_max: float,
                      min_side_px: float) -> tuple[BoxPx, BoxPx] | None:
    """Given an ink mask, a photo box and the range of a line's height, return (the picture,
    the caption) when the box ends in a paragraph of type printed under the picture inside one
    frame (a newspaper photo with its caption, scan-zh-newspaper-farmers.pdf): from the bottom
    up, lines of a line's height parted by empty rows, two or more of them (the top one among
    them) running across the box in many pieces (a chart's tick numbers and axis title are
    short pieces), then an empty gap and a dense picture at least `min_side_px` tall. A frame's rules (columns or rows
    inked nearly end to end) are no ink here. None when the box ends otherwise."""
    x0, y0, x1, y1 = (int(v) for v in box)
    sub = mask[y0:y1, x0:x1]
    if sub.size == 0 or sub.shape[0] < 2 * min_side_px:
        return None
    keep = sub[3 * sub.shape[0] // 4:].mean(axis=0) < 0.8  # the frame's sides run down its foot
    frame = np.flatnonzero(~keep)
    if len(frame) >= 2 and frame[-1] - frame[0] > 0.5 * sub.shape[1]:
        keep[:frame[0]] = False  # what a dilation joined outside the frame is no part of it
        keep[frame[-1]:] = False
    share = sub[:, keep].mean(axis=1) if keep.any() else sub.mean(axis=1)
    flags = np.concatenate([[0], (share >= EMPTY_ROW).astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(flags))
    runs = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)
            if not (b - a <= line_min and share[a:b].mean() >= 0.8)]  # a rule
    cols = np.flatnonzero(keep)
    lines: list[tuple[int, int]] = []
    full = []  # whether each line runs across the box in many pieces
    for a, b in reversed(runs):
        if not (line_min <= b - a <= line_max and share[a:b].mean() < 0.85) \
                or (lines and lines[-1][0] - b > 1.5 * (b - a)):
            break
        inked = sub[a:b][:, keep].any(axis=0)
        pieces = int(np.count_nonzero(np.diff(np.concatenate([[0], inked.astype(np.int8)])) == 1))
        lines.append((a, b))
        full.append(inked.mean() >= 0.6 and pieces >= 4)
    while full and not full[-1]:  # a paragraph's first line runs across
        lines.pop()
        full.pop()
    if sum(full) < 2 or len(lines) == len(runs):
        return None
    top = lines[-1][0]
    picture = [r for r in runs if r[1] <= top]
    tall = max(picture, key=lambda r: r[1] - r[0])
    if picture[-1] != tall or tall[1] - tall[0] < max(min_side_px, 2 * (lines[0][1] - top)) \
            or share[tall[0]:tall[1]].mean() < 0.5:
        return None  # the lines sit under no photo: a chart's labels, a column of text
    pic = tighten(mask, (box[0], box[1], box[2], y0 + tall[1]), pad=0)
    text_cols = cols[sub[top:lines[0][1]][:, keep].any(axis=0)]
    if pic is None or len(text_cols) == 0:
        return None
    caption = (float(x0 + text_cols[0]), float(y0 + top), float(x0 + text_cols[-1] + 1), float(y0 + lines[0][1]))
    return pic, caption


def cut_caption_paragraphs(mask: np.ndarray, figures: list[tuple[BoxPx, float]], line_min: float,
                           line_max: float, min_side_px: float) -> tuple[list[tuple[BoxPx, float]], list[BoxPx]]:
    """Given figure boxes, return them with the caption paragraphs printed inside their bottom
    (caption_paragraph) cut off, and the caption boxes, to be read as text blocks."""
    out, captions = [], []
    for box, conf in figures:
        found = caption_paragraph(mask, box, line_min, line_max, min_side_px)
        if found is None:
            out.append((box, conf))
        else:
            out.append((found[0], conf))
            captions.append(found[1])
    return out, captions


STACK_MIN_SCORE = 0.9  # a layout figure box this sure over pieces stacked one above another is one


def join_stacked(mask: np.ndarray, figures: list[tuple[BoxPx, float]],
                 layout_figures: list[tuple[BoxPx, float]],
                 text_boxes: list[BoxPx]) -> list[tuple[BoxPx, float]]:
    """Given refined figure boxes, the layout model's figure boxes with scores and its text
    boxes, return the figures with pieces stacked one above another inside one sure layout box
    (a diagram's panels with labels and a heading between them: a paper's "Figure 1" in two
    blobs) joined into that box tightened to its ink; not when the model found text inside the
    box (a caption between two pictures) or the pieces stand side by side (two pictures that
    split_by_captions may part)."""
    out = list(figures)
    for box, score in layout_figures:
        if score < STACK_MIN_SCORE or any(overlap_of(t, box) > 0.5 for t in text_boxes):
            continue
        inside = [i for i, (f, _) in enumerate(out) if overlap_of(f, box) > 0.8]
        if len(inside) < 2:
            continue
        pieces = sorted((out[i][0] for i in inside), key=lambda f: f[1])
        stacked = all(min(a[2], b[2]) - max(a[0], b[0]) > 0.5 * min(a[2] - a[0], b[2] - b[0])
                      and b[1] >= a[3] - 2 for a, b in zip(pieces, pieces[1:], strict=False))
        whole = tighten(mask, box, pad=0, thin=True)
        if not stacked or whole is None:
            continue
        conf = max(out[i][1] for i in inside)
        out = [f for i, f in enumerate(out) if i not in inside] + [(whole, conf)]
    return out


def drop_tables(figures: list[tuple[BoxPx, float]], tables: list[BoxPx]) -> list[tuple[BoxPx, float]]:
    """Given figure boxes and the layout model's table boxes, return the figures without the
    ones only the model's figure box vouched for (no picture blob: confidence under 0.95) that
    it also boxed as a table (IoU >= 0.7): a report's key-figures table under a tinted heading,
    whose caption would go to it instead of the chart under it."""
    from culti.geometry import iou

    return [(b, c) for b, c in figures if c >= 0.95 or not any(iou(b, t) >= 0.7 for t in tables)]
