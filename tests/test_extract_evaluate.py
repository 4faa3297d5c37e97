"""match_figures and score_pages against naive oracles on small seeded cases."""

from __future__ import annotations

import random

from culti.records import (
    BlockKind,
    Figure,
    FigureOrigin,
    PageExtract,
    PageKind,
    PageStatus,
    TextBlock,
    TextOrigin,
)
from extract.evaluate import box_iou, match_figures, normalize_caption, score_pages


def _iou_oracle(a, b):
    # pixel counting on a 1-pt grid: boxes here have integer corners
    sa = {(x, y) for x in range(a[0], a[2]) for y in range(a[1], a[3])}
    sb = {(x, y) for x in range(b[0], b[2]) for y in range(b[1], b[3])}
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def _match_oracle(truth, found, thr):
    left_t, left_f, out = set(range(len(truth))), set(range(len(found))), []
    while True:
        best = max(((box_iou(truth[t], found[f]), -t, -f) for t in left_t for f in left_f),
                   default=None)
        if best is None or best[0] < thr:
            return sorted(out)
        t, f = -best[1], -best[2]
        out.append((t, f, best[0]))
        left_t.discard(t)
        left_f.discard(f)


def _box(rng):
    x, y = rng.randint(0, 30), rng.randint(0, 30)
    return (x, y, x + rng.randint(1, 15), y + rng.randint(1, 15))


def test_box_iou_matches_pixel_count():
    rng = random.Random(0)
    for _ in range(200):
        a, b = _box(rng), _box(rng)
        assert abs(box_iou(a, b) - _iou_oracle(a, b)) < 1e-9


def test_match_figures_matches_greedy_oracle():
    rng = random.Random(1)
    for _ in range(100):
        truth = [_box(rng) for _ in range(rng.randint(0, 5))]
        found = [_box(rng) for _ in range(rng.randint(0, 5))]
        assert match_figures(truth, found, 0.3) == _match_oracle(truth, found, 0.3)


def _page(n, boxes, texts):
    figs = tuple(Figure("b.pdf", "ab" * 32, n, i, b, b"x", "png", 1, 1, FigureOrigin.RENDERED)
                 for i, b in enumerate(boxes))
    blocks = tuple(TextBlock(n, i, t, (0, 0, 1, 1), BlockKind.TEXT, TextOrigin.OCR)
                   for i, t in enumerate(texts))
    return PageExtract("b.pdf", "ab" * 32, n, 100, 100, PageKind.SCANNED, PageStatus.OK,
                       figs, blocks)


def test_score_pages_counts():
    truth = {"figures": [
        {"page": 1, "bbox": [0, 0, 10, 10], "caption": "图3-14  团窠对鸟纹", "caption_page": 1},
        {"page": 1, "bbox": [20, 20, 30, 30], "caption": "图3-15 鸟纹", "caption_page": 2},
        {"page": 2, "bbox": [0, 0, 10, 10], "caption": "图3-16 花", "caption_page": 2},
    ]}
    pages = [_page(1, [(0, 0, 10, 9), (50, 50, 60, 60)], ["图3 - 1 4 团窠对鸟纹"]),
             _page(2, [], ["图3-15 鸟 纹 and more", "图3-1"])]
    s = score_pages(truth, pages)
    assert (s["figures_truth"], s["figures_found"], s["matched"]) == (3, 2, 1)
    assert s["recall"] == 1 / 3 and s["precision"] == 1 / 2
    assert abs(s["mean_iou"] - 0.9) < 1e-9 and s["iou_ge_0_9"] == 1.0
    assert abs(s["caption_exact_rate"] - 2 / 3) < 1e-9


def test_normalize_caption_folds_ocr_spacing_and_fullwidth():
    assert normalize_caption("图3 - 1 4  团窠") == normalize_caption("图３－１４ 团窠") == "图3-14团窠"
