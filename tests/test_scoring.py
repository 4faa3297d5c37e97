"""The scoring core against hand-computed numbers and naive oracles on small hand-made inputs."""

from __future__ import annotations

import itertools
import random

import pytest

from culti.geometry import iou, match_boxes, overlap_of
from culti.scoring import (
    FoundRow,
    TruthBook,
    TruthFigure,
    TruthRegion,
    bleeds,
    caption_exact,
    captions_read,
    coverage,
    misses,
    normalize,
    pairing_correct,
    score_books,
    text_precision,
    truth_books,
)

# --- geometry -------------------------------------------------------------------------------


def _cells(box):
    return {(x, y) for x in range(box[0], box[2]) for y in range(box[1], box[3])}


def _grid_iou(a, b):
    """Count 1-pt cells: an oracle for IoU of integer boxes."""
    sa, sb = _cells(a), _cells(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def _box(rng):
    x, y = rng.randint(0, 30), rng.randint(0, 30)
    return (x, y, x + rng.randint(1, 15), y + rng.randint(1, 15))


def test_iou_and_overlap_match_cell_counts():
    rng = random.Random(0)
    for _ in range(200):
        a, b = _box(rng), _box(rng)
        assert iou(a, b) == pytest.approx(_grid_iou(a, b), abs=1e-12)
        assert overlap_of(a, b) == pytest.approx(len(_cells(a) & _cells(b)) / len(_cells(a)), abs=1e-12)


def _brute_match(truth, found, thr):
    """Every partial one-to-one assignment; the best has the most pairs >= thr, then the largest IoU sum."""
    best = (0, 0.0)
    slots = list(range(len(found))) + [None] * len(truth)
    for perm in set(itertools.permutations(slots, len(truth))):
        pairs = [iou(truth[t], found[f]) for t, f in enumerate(perm) if f is not None]
        pairs = [v for v in pairs if v >= thr]
        best = max(best, (len(pairs), sum(pairs)))
    return best


def test_match_boxes_is_optimal_against_brute_force():
    rng = random.Random(1)
    for _ in range(120):
        truth = [_box(rng) for _ in range(rng.randint(0, 4))]
        found = [_box(rng) for _ in range(rng.randint(0, 4))]
        for thr in (0.1, 0.5):
            got = match_boxes(truth, found, thr)
            want = _brute_match(truth, found, thr)
            assert len(got) == want[0]
            assert sum(v for _, _, v in got) == pytest.approx(want[1])
            assert len({f for _, f, _ in got}) == len(got) and all(v >= thr for _, _, v in got)


def test_match_boxes_is_not_greedy():
    truth = [(0, 0, 10, 10), (3, 0, 13, 10)]
    found = [(2, 0, 12, 10), (8, 0, 18, 10)]
    # greedy takes the best pair first (truth 1 - found 0, IoU 0.82) and is left with truth 0 -
    # found 1 (IoU 0.11): one pair; the optimal assignment keeps two (0.67 and 0.33)
    got = match_boxes(truth, found, 0.3)
    assert [(t, f) for t, f, _ in got] == [(0, 0), (1, 1)]
    assert [round(v, 4) for _, _, v in got] == [0.6667, 0.3333]


# --- text -----------------------------------------------------------------------------------


def _lcs(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for ch in a:
        cur = [0]
        for j, dh in enumerate(b):
            cur.append(prev[j] + 1 if ch == dh else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def test_normalize_folds_width_space_and_traditional():
    assert normalize(" 图 3－14　团窠 ") == "图3-14团窠"
    assert normalize("圖３-１４（甲）") == "图3-14(甲)"
    assert normalize("敦煌壁畫") == "敦煌壁画"


def test_normalize_folds_curly_quotes_ocr_reads_straight():
    # a poster's "models’ predictions" read by OCR as "models'predictions"
    assert normalize("models’ predictions") == normalize("models'predictions")
    assert normalize("“急救与气候变化”") == normalize('"急救与气候变化"')
    assert normalize("models’") != normalize("models")


def test_coverage_and_precision_match_lcs_oracle():
    cases = [("团窠对鸟纹锦出土于新疆", "这件团窠对鸟纹锦出土于新疆吐鲁番"),
             ("团窠对鸟纹锦出土于新疆", "团窠纹锦新疆"), ("联珠纹", "联 珠 纹")]
    for truth, text in cases:
        t, s = truth, text.replace(" ", "")
        assert coverage(truth, text) == pytest.approx(_lcs(t, s) / len(t))
        assert text_precision(truth, text) == pytest.approx(_lcs(t, s) / len(s))
    assert coverage("", "anything") == 1.0 and coverage("abc", "") == 0.0
    assert text_precision("abc", "") == 0.0
    # a row that is mostly running body text: 3 of 100 characters are its description
    assert text_precision("团窠纹", "团窠纹" + "正" * 97) == pytest.approx(0.03)


def test_caption_exact_and_pairing():
    fig = TruthFigure("k", 1, (0, 0, 1, 1), label="图3-1", title="鸟纹", caption="图3-1  鸟纹")
    assert caption_exact(fig, FoundRow(1, (0, 0, 1, 1), caption="图3 - 1 鸟纹"))
    assert not caption_exact(fig, FoundRow(1, (0, 0, 1, 1), caption="图3-1 鸟纹 局部"))
    sub = TruthFigure("k", 1, (0, 0, 1, 1), label="图3-5", caption="图3-5  对鹿", composite="k")
    assert caption_exact(sub, FoundRow(1, (0, 0, 1, 1), caption="图3-5 对鹿 (a) 全貌"))
    assert pairing_correct(fig, FoundRow(1, (0, 0, 1, 1), label="图3-1"))
    assert not pairing_correct(fig, FoundRow(1, (0, 0, 1, 1), label="图3-14"))
    assert not pairing_correct(fig, FoundRow(1, (0, 0, 1, 1), caption="图3-14 花"))  # no label: from caption
    assert pairing_correct(fig, FoundRow(1, (0, 0, 1, 1), caption="图3-1 别的标题"))
    assert pairing_correct(sub, FoundRow(1, (0, 0, 1, 1), label="图3-5(a)"))
    plate = TruthFigure("k", 1, (0, 0, 1, 1), label="图版五", caption="图版五  飞天")
    assert not pairing_correct(plate, FoundRow(1, (0, 0, 1, 1), caption="图版五十 飞天"))
    unlabelled = TruthFigure("k", 1, (0, 0, 1, 1), title="莫高窟第220窟北壁", caption="莫高窟第220窟北壁")
    assert pairing_correct(unlabelled, FoundRow(1, (0, 0, 1, 1), caption="莫高窟第220窟北壁。"))
    assert not pairing_correct(unlabelled, FoundRow(1, (0, 0, 1, 1), caption="榆林窟"))


def test_pairing_reads_english_labels_as_the_label_column_spells_them():
    """Regression: align stores "Figure 1-1" as label 图1-1, and every English row scored unpaired."""
    fig = TruthFigure("k", 1, (0, 0, 1, 1), label="Figure 1-1", title="IBM z16", caption="Figure 1-1 IBM z16")
    assert pairing_correct(fig, FoundRow(1, (0, 0, 1, 1), label="图1-1", caption="Figure 1-1 IBM z16"))
    assert pairing_correct(fig, FoundRow(1, (0, 0, 1, 1), caption="Fig. 1-1 IBM z16"))
    assert not pairing_correct(fig, FoundRow(1, (0, 0, 1, 1), label="图1-12"))
    assert not pairing_correct(fig, FoundRow(1, (0, 0, 1, 1), caption="Figure 1-12 other"))
    word = TruthFigure("w", 8, (0, 0, 1, 1), label="图表 1.1", title="这是一幅牛的图片")  # Word's label
    assert pairing_correct(word, FoundRow(1, (0, 0, 1, 1), label="图表1-1"))
    assert not pairing_correct(word, FoundRow(1, (0, 0, 1, 1), label="图表1-11"))


def test_bleed_counts_foreign_runs_not_shared_phrases():
    own = "红地上以黄色显花，主纹之间填饰十字形小花。织物残破，边缘呈不规则残损。"
    other = "蓝地上以白色显花，主纹之间填饰十字形小花。织物残破，边缘呈不规则残损。"
    third = "黑地上绘佛像，颜料大面积剥落，露出底层泥地，可见多道裂隙。"
    ocr_slip = own.replace("主纹", "纹")  # a dropped char must not make a shared phrase foreign
    assert not bleeds(ocr_slip, [own], [other, third])
    assert bleeds(own + "颜料大面积剥落，露出底层泥地。", [own], [other, third])
    assert not bleeds(own + "另起一段与任何图都无关的正文内容。", [own], [other, third])


# --- whole books ----------------------------------------------------------------------------

A_DESC = "红地鸟纹锦出土于新疆"  # 10 chars
C_DESC = "蓝地云纹绫出自敦煌藏经洞"  # 12 chars


def _book(pages=None) -> TruthBook:
    return TruthBook(
        file="b.pdf", kind="digital", page_kinds=((2, "scanned"),), pages=pages,
        figures=(
            TruthFigure("A", 1, (0, 0, 10, 10), "图1", "鸟纹", "图1  鸟纹", A_DESC),
            TruthFigure("B", 1, (20, 0, 30, 10), "图2", "花纹", "图2  花纹", ""),
            TruthFigure("C", 2, (0, 0, 10, 10), "图3", "云纹", "图3  云纹", C_DESC),
        ),
        not_figures=(TruthRegion(1, (50, 50, 55, 55), "logo"),),
        neutral=(TruthRegion(2, (40, 40, 50, 50), "photo of the cave"),),
    )


FOUND = [
    # IoU 0.8 with A; text: its description (10 chars) + 15 chars of body text -> precision 0.4
    FoundRow(1, (0, 0, 10, 8), "图 1 鸟纹", "图1", A_DESC + "本章叙述唐代丝织业的兴盛与技术"),
    # IoU 0.7 with B: matched at 0.5 only; caption not exact, label read from the caption
    FoundRow(1, (23, 0, 30, 10), "图2 花纹 图案", "", ""),
    # the logo: must-not row, and a false positive
    FoundRow(1, (50, 50, 55, 56), "", "", ""),
    # IoU 0.81 with C, but dropped with no caption
    FoundRow(2, (1, 1, 10, 10), "", "", "", rejected=True),
    # a neutral image: ignored
    FoundRow(2, (41, 41, 50, 50), "", "", ""),
    # a false positive whose text holds A's description: bleeds
    FoundRow(2, (60, 60, 70, 70), "", "", "这是正文。" + A_DESC),
]


def test_score_books_against_hand_computed_numbers():
    s = score_books([_book()], {"b.pdf": FOUND})
    digital, scanned, overall = s["by_kind"]["digital"], s["by_kind"]["scanned"], s["overall"]
    assert digital == {
        "figures_truth": 2, "figures_found": 3, "figure_recall": 1.0, "figure_precision": 0.6667,
        "figure_recall_iou80": 0.5, "figure_precision_iou80": 0.3333,
        "pair_rows": 3, "pair_recall": 1.0, "pair_precision": 0.6667, "pair_recall_iou80": 0.5,
        "pair_precision_iou80": 0.3333, "mean_iou": 0.75,
        "caption_exact": 0.5, "pairing_accuracy": 1.0, "description_coverage": 1.0,
        "description_precision": 0.4, "rows_mostly_other_text": 1, "rows_bleeding": 0,
        "rows_must_not": 1, "found_neutral": 0,
    }
    assert scanned == {
        "figures_truth": 1, "figures_found": 2, "figure_recall": 1.0, "figure_precision": 0.5,
        "figure_recall_iou80": 1.0, "figure_precision_iou80": 0.5,
        # C is found only as a reject: a figure at box level, no pair; the neutral row is ignored
        "pair_rows": 1, "pair_recall": 0.0, "pair_precision": 0.0, "pair_recall_iou80": 0.0,
        "pair_precision_iou80": 0.0, "mean_iou": 0.81,
        "caption_exact": 0.0, "pairing_accuracy": 0.0, "description_coverage": 0.0,
        "description_precision": None, "rows_mostly_other_text": 0, "rows_bleeding": 1,
        "rows_must_not": 0, "found_neutral": 1,
    }
    assert overall["figures_found"] == 5 and overall["figure_precision"] == 0.6
    assert overall["figure_recall_iou80"] == 0.6667 and overall["figure_precision_iou80"] == 0.4
    assert overall["mean_iou"] == 0.77  # (0.8 + 0.7 + 0.81) / 3
    assert (overall["pair_rows"], overall["pair_recall"], overall["pair_precision"]) == (4, 0.6667, 0.5)
    assert (overall["caption_exact"], overall["pairing_accuracy"]) == (0.3333, 0.6667)
    assert overall["description_coverage"] == 0.5 and overall["description_precision"] == 0.4
    assert s["by_file"]["b.pdf"] == {"kind": "digital", **overall}


def test_pages_list_scores_only_those_pages():
    s = score_books([_book(pages=frozenset({1}))], {"b.pdf": FOUND})
    assert set(s["by_kind"]) == {"digital"}
    assert s["overall"]["figures_truth"] == 2 and s["overall"]["figures_found"] == 3


def test_files_decide_which_books_count():
    books = [_book()]
    assert score_books(books, {})["by_file"] == {}
    missed = score_books(books, {}, files=["b.pdf"])["overall"]
    assert (missed["figure_recall"], missed["figure_precision"], missed["caption_exact"]) == (0.0, None, None)


def test_truth_versions_1_and_2():
    v1 = {"version": 1, "books": [{"file": "s.pdf", "kind": "scanned", "figures": [
        {"key": "k", "page": 2, "bbox": [1, 2, 3, 4], "label": "图1", "title": "t", "caption": "图1  t",
         "description": "d", "caption_page": 3, "composite": None}],
        "ornaments": [{"page": 1, "bbox": [0, 0, 5, 5]}]}]}
    (b,) = truth_books(v1)
    assert b.figures[0].bbox == (1.0, 2.0, 3.0, 4.0) and b.figures[0].caption_page == 3
    assert b.not_figures == (TruthRegion(1, (0.0, 0.0, 5.0, 5.0), "ornament"),)
    v2 = {"version": 2, "books": [{"file": "r.pdf", "kind": "digital", "page_kinds": {"4": "scanned"},
                                   "pages": [4, 5], "figures": [
        {"key": "k", "page": 4, "bbox": [1, 2, 3, 4], "label": "", "title": "门楼", "caption": "门楼",
         "description": "", "caption_page": 4}],
        "not_figures": [{"page": 5, "bbox": [0, 0, 9, 9], "what": "watermark"}],
        "neutral": [{"page": 5, "bbox": [0, 0, 1, 1], "why": "map"}]}]}
    (b,) = truth_books(v2)
    assert b.page_kind(4) == "scanned" and b.page_kind(5) == "digital" and b.pages == {4, 5}
    assert b.figures[0].own_text == "门楼" and b.neutral[0].note == "map"
    with pytest.raises(ValueError, match="version"):
        truth_books({"version": 3, "books": []})
    with pytest.raises(ValueError, match="book 0"):
        truth_books({"version": 2, "books": [{"file": "x.pdf", "kind": "digital", "figures": [{"page": 1}]}]})


def test_captions_read_from_text_blocks():
    book = TruthBook("b.pdf", "scanned", (
        TruthFigure("a", 1, (0, 0, 1, 1), caption="图3-14  团窠对鸟纹", caption_page=1),
        TruthFigure("b", 1, (0, 0, 1, 1), caption="图3-15 鸟纹", caption_page=2),
        TruthFigure("c", 2, (0, 0, 1, 1), caption="图3-16 花", caption_page=2),
        TruthFigure("d", 2, (0, 0, 1, 1), caption=""),
    ))
    texts = {1: ["图3 - 1 4 团窠对鸟纹"], 2: ["图3-15 鸟 纹 and more", "图3-1"]}
    assert captions_read(book, texts) == (3, 2)


def test_misses_name_what_the_scores_count_against_a_book():
    items = misses(_book(), FOUND)
    kinds = [(m["page"], m["what"]) for m in items]
    # B's caption is not exact, A's text is mostly body text; the logo row is an extra box;
    # on page 2 the reject matches C (its caption is empty) and the bleeding row is extra
    assert (1, "extra") in kinds and (1, "caption") in kinds and (1, "text") in kinds
    assert (2, "caption") in kinds and (2, "extra") in kinds and (2, "missed") not in kinds
    assert (2, "dropped") in kinds  # found only as a reject: no pair
    extra = [m for m in items if m["what"] == "extra"]
    assert [m["bbox"] for m in extra] == [[50, 50, 55, 56], [60, 60, 70, 70]]  # the neutral row is not listed
    assert misses(_book(), [])[0] == {"page": 1, "what": "missed", "key": "A", "bbox": [0, 0, 10, 10],
                                      "caption": "图1  鸟纹"}
