"""The evaluation command's metrics against naive oracles, and on a real sample run."""

from __future__ import annotations

import itertools
import json
import random

import pytest

from culti.evaluate import coverage, iou, match_boxes, normalize
from tests.conftest import run_culti


def _brute_iou(a, b, step=0.5):
    """Count grid cells: an oracle for box IoU."""
    def cells(box):
        xs = [box[0] + step * (i + 0.5) for i in range(int((box[2] - box[0]) / step))]
        ys = [box[1] + step * (j + 0.5) for j in range(int((box[3] - box[1]) / step))]
        return {(round(x, 3), round(y, 3)) for x in xs for y in ys}
    ca, cb = cells(a), cells(b)
    return len(ca & cb) / len(ca | cb)


def test_iou_matches_grid_count():
    rng = random.Random(1)
    for _ in range(20):
        a = [rng.randrange(0, 20), rng.randrange(0, 20)]
        a += [a[0] + rng.randrange(1, 10), a[1] + rng.randrange(1, 10)]
        b = [rng.randrange(0, 20), rng.randrange(0, 20)]
        b += [b[0] + rng.randrange(1, 10), b[1] + rng.randrange(1, 10)]
        assert iou(a, b) == pytest.approx(_brute_iou(a, b), abs=1e-9)


def test_match_boxes_is_optimal_not_greedy():
    truth = [(0, 0, 10, 10), (6, 0, 16, 10)]
    found = [(5, 0, 15, 10), (16, 0, 26, 10)]  # greedy would give found[0] to truth[1] first
    best = max(
        (sum(iou(truth[t], found[f]) for t, f in zip(range(2), perm, strict=True)), perm)
        for perm in itertools.permutations(range(2))
    )
    matches = match_boxes(truth, found, min_iou=0.0)
    assert sum(m[2] for m in matches) == pytest.approx(best[0])


def test_coverage_and_normalize():
    assert normalize(" 图 3－14　团窠 ") == "图3-14团窠"
    assert coverage("红地团窠对鸟纹", "红地 团窠对鸟纹。其余") == 1.0
    assert coverage("红地团窠对鸟纹", "红地对鸟") == pytest.approx(4 / 7)
    assert coverage("", "anything") == 1.0


def test_evaluate_command_on_sample_run(sample_run, sample_books, tmp_path):
    scores_path = tmp_path / "scores.json"
    proc = run_culti("evaluate", str(sample_run), "--truth", str(sample_books / "truth.json"), "--json", str(scores_path))
    assert "figure_recall" in proc.stdout
    scores = json.loads(scores_path.read_text())
    assert set(scores) == {"digital", "scanned"}
    digital = scores["digital"]
    assert digital["figure_recall"] >= 0.95 and digital["figure_precision"] >= 0.95
    assert digital["pairing_accuracy"] >= 0.9
    assert digital["description_coverage"] >= 0.9
    assert scores["scanned"]["figure_recall"] >= 0.85


def test_bleed_counts_foreign_runs_not_shared_phrases():
    from culti.evaluate import _bleeds

    own = "红地上以黄色显花，主纹之间填饰十字形小花。织物残破，边缘呈不规则残损。"
    other = "蓝地上以白色显花，主纹之间填饰十字形小花。织物残破，边缘呈不规则残损。"
    third = "黑地上绘佛像，颜料大面积剥落，露出底层泥地，可见多道裂隙。"
    ocr_slip = own.replace("主纹", "纹")  # a dropped char must not make a shared phrase foreign
    assert not _bleeds(ocr_slip, own, [other, third])
    assert _bleeds(own + "颜料大面积剥落，露出底层泥地。", own, [other, third])
    assert not _bleeds(own + "另起一段与任何图都无关的正文内容。", own, [other, third])
