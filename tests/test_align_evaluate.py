"""score_alignment against naive oracles on a hand-built truth book."""

from align import AlignConfig, align_book
from align.evaluate import coverage, score_alignment
from tests.align_fixtures.build import blk, fig, page_of


def lcs(a: str, b: str) -> int:
    """Naive dynamic-programming longest common subsequence."""
    prev = [0] * (len(b) + 1)
    for ch in a:
        cur = [0]
        for j, dh in enumerate(b):
            cur.append(prev[j] + 1 if ch == dh else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def test_coverage_matches_lcs_oracle_on_simple_cases():
    cases = [("团窠对鸟纹锦出土于新疆", "这件团窠对鸟纹锦出土于新疆吐鲁番"),
             ("团窠对鸟纹锦出土于新疆", "团窠纹锦新疆"), ("abc", ""), ("联珠纹", "联 珠 纹")]
    for truth, text in cases:
        assert abs(coverage(truth, text) - lcs(truth, text.replace(" ", "")) / len(truth)) < 1e-9


def truth_and_pages():
    pages = [page_of(1, [fig(1, 0, (100, 40, 495, 250)), fig(1, 1, (100, 400, 495, 610))], [
        blk(1, "图4-1 对羊纹", (230, 256, 365, 270), size=9),
        blk(1, "对羊纹锦，羊角卷曲，羊身饰联珠纹样一周。", (60, 280, 535, 300)),
        blk(1, "图4-2 对马纹", (230, 616, 365, 630), size=9),
        blk(1, "对马纹锦，马生双翼，昂首而立于莲台之上。", (60, 640, 535, 660)),
    ])]
    truth = {"file": "silk-test.pdf", "figures": [
        {"key": "k1", "page": 1, "bbox": [101, 41, 494, 251], "label": "图4-1", "caption_page": 1,
         "caption": "图4-1  对羊纹", "description": "对羊纹锦，羊角卷曲，羊身饰联珠纹样一周。"},
        {"key": "k2", "page": 1, "bbox": [100, 400, 495, 610], "label": "图4-2", "caption_page": 1,
         "caption": "图4-2  对马纹", "description": "对马纹锦，马生双翼，昂首而立于莲台之上。"},
    ]}
    return truth, pages


def test_score_alignment_perfect_book():
    truth, pages = truth_and_pages()
    s = score_alignment(truth, align_book(pages, AlignConfig()))
    assert (s["pairing_accuracy"], s["description_coverage"], s["bleed_rows"]) == (1.0, 1.0, 0)


def test_score_alignment_counts_wrong_pairs_missing_text_and_bleed():
    import dataclasses

    truth, pages = truth_and_pages()
    al = align_book(pages, AlignConfig())
    a, b = al.pairs
    swapped = dataclasses.replace(al, pairs=(
        dataclasses.replace(a, label=b.label, text=a.text + b.text),  # wrong caption, bleeds
        dataclasses.replace(b, text=b.text[:10]),  # half its description
    ))
    s = score_alignment(truth, swapped)
    assert s["pairing_accuracy"] == 0.5 and s["wrong"] == ["k1"]
    assert s["bleed_rows"] == 1
    half = lcs(truth["figures"][1]["description"], b.text[:10]) / len(truth["figures"][1]["description"])
    assert abs(s["description_coverage"] - (1.0 + half) / 2) < 1e-9
