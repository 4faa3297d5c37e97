"""Block repairs on real-looking OCR/text-layer output: merged columns, buried captions, sub-captions."""

from align import AlignConfig, align_book, clean_text
from align.blocks import split_block
from align.columns import split_page_columns
from culti.records import BlockKind
from tests.align_fixtures.build import blk, fig, page_of

CFG = AlignConfig()


def by_index(al):
    return {(p.figure.page, p.figure.index): p for p in al.pairs}


def test_ocr_row_of_two_captions_with_descriptions_split_into_columns():
    # OCR joined each row of two columns with a space (as extract's line grouping does)
    text = ("图版七 第217 窟南壁飞天 图版八 第217窟北壁飞天\n"
            "盛唐壁画，位于莫高窟第217窟南壁。土黄地 盛唐壁画，位于莫高窟第217窟北壁。土黄地\n"
            "上绘单身飞天横身凌空飞翔。颜料大面积 上绘单身飞天。画面略有剥落。\n"
            "剥落，露出底层泥地。")
    p = page_of(6, [fig(6, 0, (276, 150, 471, 345)), fig(6, 1, (57, 210, 251, 342))],
                [blk(6, text, (50, 345, 470, 420), kind=BlockKind.CAPTION, ocr=True)], scanned=True)
    pairs = by_index(align_book([p], CFG))
    left, right = pairs[6, 1], pairs[6, 0]
    assert (left.label, left.title) == ("图版七", "第217窟南壁飞天")
    assert (right.label, right.title) == ("图版八", "第217窟北壁飞天")
    assert left.text == "盛唐壁画，位于莫高窟第217窟南壁。土黄地上绘单身飞天横身凌空飞翔。颜料大面积剥落，露出底层泥地。"
    assert right.text == "盛唐壁画，位于莫高窟第217窟北壁。土黄地上绘单身飞天。画面略有剥落。"


def test_two_column_description_under_two_captions_split():
    p = page_of(4, [fig(4, 0, (56, 69, 249, 213)), fig(4, 1, (275, 68, 467, 213))], [
        blk(4, "图1 - 3 红地晕繝条纹锦", (85, 219, 218, 232), ocr=True),
        blk(4, "图1 - 4 黑地菱格纹残片", (304, 219, 436, 232), ocr=True),
        blk(4, "明代织锦，益宣王墓出土。 明代织锦，益宣王墓出土。黑色地上以\n"
               "红色地上以蓝、白二色显花，纹样为宽窄不 黄、红、白三色显花，主体纹样为斜线交叉\n"
               "一的彩色横条带。组织细密。 格，格心饰小花。织物残破，\n边缘呈不规则残损。",
            (50, 237, 466, 288), ocr=True),
    ], scanned=True)
    pairs = by_index(align_book([p], CFG))
    assert pairs[4, 0].text == "明代织锦，益宣王墓出土。红色地上以蓝、白二色显花，纹样为宽窄不一的彩色横条带。组织细密。"
    assert pairs[4, 1].text == ("明代织锦，益宣王墓出土。黑色地上以黄、红、白三色显花，主体纹样为斜线交叉格，"
                                "格心饰小花。织物残破，边缘呈不规则残损。")


def test_single_column_text_with_ocr_spaces_is_not_split():
    p = page_of(1, [], [blk(1, "第 三 章 概 述\n唐 代 织 锦 种 类 繁 多", (50, 100, 470, 140), ocr=True)])
    assert split_page_columns(p) == p


def test_caption_buried_in_a_body_block_is_cut_out():
    b = blk(11, "团窠与缠枝的组合，体现了中外纹样交流融合的特点。\n图2-5 褐地缠枝莲纹锦\n清代织锦，故宫博物院藏。",
            (51, 546, 473, 600), kind=BlockKind.TITLE, ocr=True)
    pieces = split_block(b)
    assert [p.text for p in pieces] == ["团窠与缠枝的组合，体现了中外纹样交流融合的特点。", "图2-5 褐地缠枝莲纹锦",
                                        "清代织锦，故宫博物院藏。"]
    assert [p.kind for p in pieces] == [BlockKind.TEXT, BlockKind.CAPTION, BlockKind.TEXT]
    assert pieces[1].bbox_pt[1] == 564 and pieces[1].bbox_pt[3] == 582  # even share of height


def test_buried_caption_pairs_with_facing_plate():
    p11 = page_of(11, [], [blk(11, "团窠与缠枝的组合，体现了特点。\n图2-5 褐地缠枝莲纹锦\n清代织锦，故宫博物院藏。",
                                  (51, 546, 473, 600), kind=BlockKind.TITLE, ocr=True)], scanned=True)
    p12 = page_of(12, [fig(12, 0, (52, 90, 472, 651))], [], scanned=True)
    pair = align_book([p11, p12], CFG).pairs[0]
    assert pair.label == "图2-5" and "facing-page" in pair.evidence
    assert pair.text == "清代织锦，故宫博物院藏。"


def test_subcaptions_merged_in_one_row_make_a_composite():
    p = page_of(8, [fig(8, 0, (73, 70, 255, 252)), fig(8, 1, (269, 70, 451, 252))], [
        blk(8, "甲 全貌\n乙 局部", (146, 257, 378, 268), size=9),
        blk(8, "图1-11  黄地龟背纹锦", (197, 274, 327, 286), size=10),
    ])
    pairs = by_index(align_book([p], CFG))
    assert (pairs[8, 0].label, pairs[8, 1].label) == ("图1-11(甲)", "图1-11(乙)")
    assert pairs[8, 0].title == "黄地龟背纹锦 全貌"


def test_ocr_subcaption_without_space_and_whole_composite_image():
    # extract found the composite as one image: its two sub-captions name parts, not figures
    p = page_of(8, [fig(8, 0, (68, 70, 449, 254))], [
        blk(8, "甲全貌", (141, 258, 181, 269), kind=BlockKind.CAPTION, ocr=True),
        blk(8, "乙局部", (336, 257, 378, 270), ocr=True),
        blk(8, "图1 - 1 1 黄地龟背纹锦", (190, 275, 326, 288), kind=BlockKind.CAPTION, ocr=True),
    ], scanned=True)
    al = align_book([p], CFG)
    assert [(x.label, x.title) for x in al.pairs] == [("图1-11", "黄地龟背纹锦")]
    assert not al.rejects


def test_description_tail_sharing_a_block_with_prose():
    p = page_of(1, [fig(1, 0, (100, 100, 495, 400))], [
        blk(1, "图2-3 黑地缠枝莲纹锦", (230, 408, 365, 422), size=9),
        blk(1, "清代织锦，南京云锦研究所藏。", (60, 430, 535, 445)),
        blk(1, "构图饱满，富于装饰性。\n如图2-4所示，这一时期的纹样常与吉祥寓意相结合。", (60, 447, 535, 480)),
    ])
    assert align_book([p], CFG).pairs[0].text == "清代织锦，南京云锦研究所藏。\n构图饱满，富于装饰性。"


def test_short_first_line_set_to_one_side_still_belongs():
    p = page_of(15, [fig(15, 0, (147, 350, 375, 578))], [
        blk(15, "图2-11 褐地团窠对鹿纹锦", (183, 331, 337, 345), ocr=True),
        blk(15, "清代织锦，故宫博物院藏。", (68, 585, 170, 596), ocr=True),
        blk(15, "褐色地上以蓝、黄、绿三色显花。", (49, 600, 468, 628), ocr=True),
    ], scanned=True)
    assert align_book([p], CFG).pairs[0].text == "清代织锦，故宫博物院藏。\n褐色地上以蓝、黄、绿三色显花。"


def test_ocr_spaces_inside_numbers_between_cjk():
    assert clean_text("莫高窟第1 5 9 窟南壁，第1 54 窟") == "莫高窟第159窟南壁，第154窟"
    assert clean_text("about 1 5 9 AD") == "about 1 5 9 AD"


def test_short_last_line_at_the_margin_continues_the_description():
    p = page_of(36, [fig(36, 0, (151, 440, 383, 614))], [
        blk(36, "图2 - 2 3 黄地晕繝条纹锦", (197, 615, 341, 632), ocr=True),
        blk(36, "清代织锦，南京云锦研究所藏。黄色地上以黑、蓝二色显花，主体纹样为宽窄不一的彩色横条带。构",
            (75, 629, 479, 651), ocr=True),
        blk(36, "图饱满，富于装饰性。", (59, 651, 145, 664), ocr=True),
    ], scanned=True)
    pair = align_book([p], CFG).pairs[0]
    assert pair.text.endswith("彩色横条带。构图饱满，富于装饰性。")


def test_ocr_subcaptions_joined_on_one_row():
    p = page_of(8, [fig(8, 0, (102, 162, 292, 413)), fig(8, 1, (302, 160, 492, 411))], [
        blk(8, "甲全貌 乙局部", (177, 413, 418, 429), kind=BlockKind.CAPTION, ocr=True),
        blk(8, "图版十一 第427窟南壁供养人行列\n隋代壁画，位于莫高窟第427窟南壁。", (77, 430, 530, 463),
            kind=BlockKind.CAPTION, ocr=True),
    ], scanned=True)
    pairs = by_index(align_book([p], CFG))
    assert (pairs[8, 0].label, pairs[8, 1].label) == ("图版十一(甲)", "图版十一(乙)")
    assert pairs[8, 0].text == pairs[8, 1].text == "隋代壁画，位于莫高窟第427窟南壁。"


def test_description_under_an_overlapping_ocr_caption_box():
    p = page_of(4, [fig(4, 0, (149, 78, 456, 236))], [
        blk(4, "图版三 第4 2 7 窟北壁楼阁图", (223, 237, 378, 255), ocr=True),
        blk(4, "隋代壁画，位于莫高窟第427窟北壁。石绿地上绘殿堂楼阁，\n屋檐层叠，下有立柱。", (60, 250, 534, 288), ocr=True),
    ], scanned=True)
    pair = align_book([p], CFG).pairs[0]
    assert pair.title == "第427窟北壁楼阁图"
    assert pair.text == "隋代壁画，位于莫高窟第427窟北壁。石绿地上绘殿堂楼阁，屋檐层叠，下有立柱。"


def test_prose_about_another_figure_after_caption_block_description_is_cut():
    p = page_of(11, [fig(11, 0, (66, 78, 287, 300))], [
        blk(11, "图版十七第420窟窟顶莲花藻井\n隋代壁画，位于莫高窟第420窟窟顶。", (58, 303, 282, 340), ocr=True),
        blk(11, "如图版十九所示，榜题文字多已漫患。隋代洞窟有新的发展。", (56, 350, 534, 380), ocr=True),
    ], scanned=True)
    assert align_book([p], CFG).pairs[0].text == "隋代壁画，位于莫高窟第420窟窟顶。"


def test_caption_region_running_into_prose_about_another_figure_is_cut():
    p = page_of(1, [fig(1, 0, (100, 100, 495, 400))], [
        blk(1, "图版二 第427窟西壁双飞天\n隋代壁画，位于第427窟西壁。\n如图版三所示，画工以土红线起稿。",
            (60, 408, 535, 460), kind=BlockKind.CAPTION, ocr=True),
    ], scanned=True)
    assert align_book([p], CFG).pairs[0].text == "隋代壁画，位于第427窟西壁。"
