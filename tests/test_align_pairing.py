"""Pairing in every layout: below, above, beside, side by side, stacked, composite, facing page."""

from align import AlignConfig, align_book
from culti.records import BlockKind, RejectReason
from tests.align_fixtures.build import blk, fig, page_of

CFG = AlignConfig()


def cap(page, text, bbox, ocr=False):
    return blk(page, text, bbox, ocr=ocr, size=None if ocr else 9)


def by_index(alignment):
    return {(p.figure.page, p.figure.index): p for p in alignment.pairs}


def test_caption_below():
    p = page_of(1, [fig(1, 0, (100, 100, 495, 400))],
                [cap(1, "图3-1  团窠对鸟纹", (230, 408, 365, 422))])
    pair = align_book([p], CFG).pairs[0]
    assert (pair.label, pair.title, pair.caption) == ("图3-1", "团窠对鸟纹", "图3-1 团窠对鸟纹")
    assert "below" in pair.evidence and "label-regex" in pair.evidence
    assert pair.caption_page == 1 and pair.caption_bbox_pt == (230, 408, 365, 422)
    assert pair.confidence > 0.8


def test_caption_above():
    p = page_of(1, [fig(1, 0, (100, 110, 495, 400))],
                [cap(1, "图3-2 宝相花纹", (230, 90, 365, 104))])
    pair = align_book([p], CFG).pairs[0]
    assert pair.label == "图3-2" and "above" in pair.evidence


def test_caption_beside():
    p = page_of(1, [fig(1, 0, (60, 100, 330, 400))],
                [cap(1, "图3-3 联珠猪头纹锦", (345, 360, 535, 374))])
    pair = align_book([p], CFG).pairs[0]
    assert pair.label == "图3-3" and "right" in pair.evidence


def test_side_by_side_not_reading_order():
    # reading order lists B's caption first: pairing must follow geometry, not order
    p = page_of(1, [fig(1, 0, (60, 100, 290, 350)), fig(1, 1, (305, 100, 535, 350))],
                [cap(1, "图3-7 对羊纹", (355, 358, 485, 372)),
                 cap(1, "图3-6 对马纹", (110, 358, 240, 372))])
    pairs = by_index(align_book([p], CFG))
    assert pairs[1, 0].label == "图3-6" and pairs[1, 1].label == "图3-7"


def test_stacked_captions_below():
    p = page_of(1, [fig(1, 0, (100, 60, 495, 300)), fig(1, 1, (100, 340, 495, 580))],
                [cap(1, "图4-1 甲", (230, 306, 365, 320)), cap(1, "图4-2 乙", (230, 586, 365, 600))])
    pairs = by_index(align_book([p], CFG))
    assert pairs[1, 0].label == "图4-1" and pairs[1, 1].label == "图4-2"


def test_stacked_captions_above_joint_assignment():
    # the second caption sits just under figure 1 but is figure 2's (above) caption:
    # greedy nearest would give it to figure 1
    p = page_of(1, [fig(1, 0, (100, 80, 495, 300)), fig(1, 1, (100, 338, 495, 560))],
                [cap(1, "图4-3 上", (230, 62, 365, 76)), cap(1, "图4-4 下", (230, 318, 365, 332))])
    pairs = by_index(align_book([p], CFG))
    assert pairs[1, 0].label == "图4-3" and pairs[1, 1].label == "图4-4"


def test_composite_with_subcaptions():
    p = page_of(1, [fig(1, 0, (60, 100, 290, 350)), fig(1, 1, (305, 100, 535, 350))],
                [cap(1, "(a) 正面", (140, 355, 210, 367)), cap(1, "(b) 背面", (385, 355, 455, 367)),
                 cap(1, "图3-5  联珠对马纹锦", (200, 380, 395, 394)),
                 blk(1, "此锦正背两面均有联珠对马纹。", (60, 410, 535, 440))])
    al = align_book([p], CFG)
    pairs = by_index(al)
    a, b = pairs[1, 0], pairs[1, 1]
    assert (a.label, b.label) == ("图3-5(a)", "图3-5(b)")
    assert a.caption == "图3-5 联珠对马纹锦 (a) 正面"
    assert a.title == "联珠对马纹锦 正面" and b.title == "联珠对马纹锦 背面"
    assert a.group_hint == b.group_hint and a.group_hint
    assert a.text == b.text == "此锦正背两面均有联珠对马纹。"
    assert not al.rejects


def test_subfigure_labels_printed_under_each_image_share_group():
    p = page_of(1, [fig(1, 0, (60, 100, 290, 350)), fig(1, 1, (305, 100, 535, 350))],
                [cap(1, "图3-8(a) 正面", (120, 358, 230, 372)), cap(1, "图3-8(b) 背面", (365, 358, 475, 372))])
    pairs = by_index(align_book([p], CFG))
    assert (pairs[1, 0].label, pairs[1, 1].label) == ("图3-8(a)", "图3-8(b)")
    assert pairs[1, 0].group_hint == pairs[1, 1].group_hint is not None


def test_facing_page_plate():
    plate = page_of(2, [fig(2, 0, (20, 20, 575, 822))], [])
    facing = page_of(3, [], [cap(3, "图版五  飞天", (230, 100, 365, 114)),
                             blk(3, "飞天衣带飘举，绕身而舞。", (60, 130, 535, 160))])
    normal = page_of(4, [fig(4, 0, (100, 100, 495, 400))], [cap(4, "图版六 藻井", (230, 408, 365, 422))])
    al = align_book([plate, facing, normal], CFG)
    pairs = by_index(al)
    assert pairs[2, 0].label == "图版五" and "facing-page" in pairs[2, 0].evidence
    assert pairs[2, 0].caption_page == 3
    assert pairs[2, 0].text == "飞天衣带飘举，绕身而舞。"
    assert pairs[4, 0].label == "图版六"
    assert not al.rejects


def test_unlabelled_caption_left_over_names_no_picture_across_the_page():
    """Regression (scan-rendered-dunhuang-mural-slides-zh.pdf p4-p5): a vertical caption beside a
    slide's picture lost it to another caption, and the facing-page step gave it to the next
    page's uncaptioned slide. A caption with no label is only ever found beside a picture of
    its own page: left over, it names nothing across the page."""
    left = page_of(4, [fig(4, 0, (100, 100, 400, 300))],
                   [blk(4, "Original Image", (215, 304, 285, 312), size=7),
                    blk(4, "最终采用参数生成的轮廓图", (408, 120, 416, 250), size=7),
                    blk(4, "在多组参数配置的可视化对比实验中，提取出的轮廓图能较好保留结构。", (60, 330, 535, 345),
                        size=10)])
    right = page_of(5, [fig(5, 0, (100, 100, 400, 300))],
                    [blk(5, "修复模型的设计与实现方法说明文字。", (60, 330, 535, 345), size=10)])
    al = align_book([left, right], CFG)
    pairs = by_index(al)
    assert (4, 0) in pairs and (5, 0) not in pairs
    assert [r.reason for r in al.rejects if r.page == 5] == [RejectReason.NO_CAPTION]


def test_ocr_label_and_title_in_two_blocks():
    p = page_of(1, [fig(1, 0, (100, 100, 495, 400))],
                [cap(1, "图 3 - 1 4", (200, 408, 258, 422), ocr=True),
                 cap(1, "團 窠 對 鳥 紋", (264, 408, 370, 422), ocr=True)], scanned=True)
    pair = align_book([p], CFG).pairs[0]
    assert pair.label == "图3-14" and pair.title == "团窠对鸟纹"
    assert pair.caption == "图3-14 团窠对鸟纹" and pair.caption_original == "图3-14 團窠對鳥紋"
    assert "title-joined" in pair.evidence and pair.text_origin.value == "ocr"


def test_reference_paragraph_is_not_a_caption():
    p = page_of(1, [fig(1, 0, (100, 100, 495, 400))],
                [blk(1, "图3-2所示的纹样与前者相同，皆为团窠。", (60, 410, 535, 425))])
    al = align_book([p], CFG)
    assert not al.pairs
    assert [r.reason for r in al.rejects] == [RejectReason.NO_CAPTION]


def test_unlabelled_layout_caption():
    p = page_of(1, [fig(1, 0, (100, 100, 495, 400))],
                [blk(1, "唐代联珠纹锦残片", (230, 408, 365, 422), kind=BlockKind.CAPTION, size=9)])
    pair = align_book([p], CFG).pairs[0]
    assert pair.label == "" and pair.title == "唐代联珠纹锦残片"
    assert "layout:figure_caption" in pair.evidence and "unlabelled" in pair.evidence
    assert pair.confidence < 0.9


def test_far_caption_is_not_taken_and_becomes_orphan():
    p = page_of(1, [fig(1, 0, (100, 60, 495, 200))],
                [cap(1, "图9-9 远处的标题", (230, 700, 365, 714))])
    al = align_book([p], CFG)
    reasons = sorted(r.reason.value for r in al.rejects)
    assert reasons == ["no_caption", "orphan_caption"]
    orphan = next(r for r in al.rejects if r.reason == RejectReason.ORPHAN_CAPTION)
    assert orphan.caption == "图9-9 远处的标题" and orphan.page == 1 and orphan.bbox_pt


def test_two_captions_merged_in_one_block_are_split():
    # PyMuPDF puts two centred captions on one row into one block
    p = page_of(1, [fig(1, 0, (60, 100, 290, 300)), fig(1, 1, (305, 100, 535, 300))],
                [blk(1, "图3-2  蓝地团窠宝花纹锦\n图3-3  绿地缠枝莲纹锦", (112, 306, 478, 317), size=9)])
    pairs = by_index(align_book([p], CFG))
    assert (pairs[1, 0].label, pairs[1, 1].label) == ("图3-2", "图3-3")
    assert "split-block" in pairs[1, 0].evidence


def test_far_caption_on_a_plate_page_still_pairs():
    p = page_of(1, [fig(1, 0, (40, 40, 555, 600))], [cap(1, "图版七 说法图", (230, 760, 365, 774))])
    pair = align_book([p], CFG).pairs[0]
    assert pair.label == "图版七" and "far" in pair.evidence and pair.confidence < 0.8


def test_one_caption_centred_under_a_row_of_images_is_one_merged_figure():
    p = page_of(8, [fig(8, 0, (73, 70, 255, 252)), fig(8, 1, (269, 70, 451, 252))],
                [cap(8, "图1-11  黄地龟背纹锦", (197, 274, 327, 286))])
    al = align_book([p], CFG)
    (pair,) = al.pairs
    assert pair.label == "图1-11" and pair.figure.bbox_pt == (73, 70, 451, 252)
    assert "row-group" in pair.evidence and "one-caption" in pair.evidence
    (merged,) = al.rejects  # the second piece: its pixels are in the merged crop
    assert merged.reason.value == "merged" and pair.figure.id in merged.detail
