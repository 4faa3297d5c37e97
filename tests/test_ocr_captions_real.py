"""Caption layouts of the real corpus's scans (issue 12), as regression tests: the generated
scans of culti.sample.ocr_caption_cases run through extract and align, and align alone on page
records set out with the real pages' geometry (OCR output cannot be pinned in a generated scan)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import pytest

from align import AlignConfig, align_book
from align.labels import parse_caption
from align.ocr_captions import split_across_figures
from culti.records import BlockKind, PageExtract, TextBlock
from culti.sample import ocr_caption_cases
from extract import ExtractConfig, extract_book, open_book
from extract.regions import iou as box_iou
from extract.scanned import lines_to_paragraphs
from tests.align_fixtures.build import ocr_blk, scan_fig, scan_page

CONFIG = ExtractConfig(workers=1, progress=False)


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _build(tmp_path, case):
    truth = ocr_caption_cases.write_case(case, tmp_path)
    path = tmp_path / truth["file"]
    pages = list(extract_book(open_book(path), CONFIG))
    return truth, pages, align_book(pages, AlignConfig())


def _row_for(alignment, bbox):
    rows = [p for p in alignment.pairs if box_iou(p.figure.bbox_pt, bbox) >= 0.5]
    return rows[0] if rows else None


# ---- page records with the real pages' geometry -------------------------------------------------

def _block(i: int, text: str, bbox, kind=BlockKind.TEXT, size: float = 10.0) -> TextBlock:
    return replace(ocr_blk(text, bbox, kind, size), index=i)


def _page(blocks, figures, size=(960.0, 540.0)) -> PageExtract:
    return scan_page(blocks, figures, size)


_figure = scan_fig


SLIDE_FIGURES = [(100.1, 167.8, 369.4, 368.6), (395.6, 167.8, 612.0, 368.6), (616.0, 167.8, 884.5, 368.6)]
SLIDE_ROW = _block(2, "Rio Carnival The Spring Festival Thanksgiving", (156.0, 390.3, 824.7, 421.0),
                   BlockKind.CAPTION, 26.1)


def test_slide_caption_row_read_as_one_line_gives_each_photo_its_caption():
    """Regression (scan-en-slide-festivals.pdf): three captions printed side by side under three
    photos were one OCR line, and no photo got a caption."""
    page = _page([_block(0, "Step 1 Lead-in", (4.3, 7.2, 193.9, 40.8), BlockKind.HEADER, 28.6), SLIDE_ROW],
                 [_figure(i, b) for i, b in enumerate(SLIDE_FIGURES)])
    out = align_book([page], AlignConfig())
    got = {p.figure.index: p.caption for p in out.pairs}
    assert got == {0: "Rio Carnival", 1: "The Spring Festival", 2: "Thanksgiving"}, out.rejects


def test_slide_caption_row_split_follows_the_pictures_when_two_photos_are_one_box():
    """The same row over two boxes (the second covering two photos): the first photo still gets
    only its own caption."""
    figs = [_figure(0, (100.3, 168.0, 369.6, 368.7)), _figure(1, (396.1, 167.5, 884.8, 368.7))]
    pieces = split_across_figures(SLIDE_ROW, _page([SLIDE_ROW], figs))
    assert [t for t, _ in pieces] == ["Rio Carnival", "The Spring Festival Thanksgiving"]


def test_a_line_of_prose_under_pictures_is_not_split_into_captions():
    """A one-line sentence running under two pictures is no row of captions: the cut that fits
    the pictures costs too much, or it says a sentence."""
    figs = [_figure(0, (60, 100, 290, 300)), _figure(1, (305, 100, 535, 300))]
    prose = _block(2, "中国丝绸博物馆藏唐代织锦，新疆吐鲁番阿斯塔那墓地出土。", (60, 310, 535, 322))
    assert split_across_figures(prose, _page([prose], figs, (595, 842))) == []
    left_heavy = _block(2, "Conservators cleaned each fragment by hand and mounted it on silk",
                        (60, 310, 330, 322))
    assert split_across_figures(left_heavy, _page([left_heavy], figs, (595, 842))) == []


def test_report_chart_title_band_above_its_chart_beats_the_picture_above_it():
    """Regression (scan-zh-broker-report-page.pdf): the band 股价与行业-市场走势对比, set to its
    chart's width over it, was paired with the wider table-like picture 10 pt above it."""
    band = _block(18, "股价与行业-市场走势对比", (21.6, 440.0, 163.3, 452.1), BlockKind.CAPTION, 10.3)
    page = _page([band], [_figure(0, (15.9, 346.5, 189.2, 429.7)), _figure(1, (21.0, 467.5, 165.1, 574.5))],
                 (609.4, 862.0))
    out = align_book([page], AlignConfig())
    assert [(p.figure.index, p.caption) for p in out.pairs] == [(1, "股价与行业-市场走势对比")]


def test_paper_prose_under_a_latin_figure_caption_is_no_description():
    """Regression (scan-en-xray-paper-page.pdf, scan-en-probability-book-page.pdf): the body
    paragraph under "Figure 12. ..." became the figure's description."""
    fig = _figure(0, (334.0, 294.9, 523.5, 456.7))
    cap = _block(1, "Figure 12. MDL as a function of the atomic number Z for\nsample B.",
                 (306.7, 475.6, 549.9, 497.4), BlockKind.CAPTION)
    prose = _block(2, "In general, the values of MDL obtained are in good\nagreement with those reported "
                      "by other workers in differ-\nent synchrotron radiation facilities.",
                   (305.9, 507.5, 550.4, 540.5), BlockKind.CAPTION)
    out = align_book([_page([cap, prose], [fig], (595, 842))], AlignConfig())
    assert len(out.pairs) == 1
    assert out.pairs[0].text == "MDL as a function of the atomic number Z for sample B."


def test_chinese_description_under_a_labelled_ocr_caption_is_kept():
    """The paper-prose rule is for Latin captions: a catalogue's description under 图3 stays."""
    fig = _figure(0, (120, 90, 475, 360))
    cap = _block(1, "图3 黄地团窠对鹿纹锦", (200, 368, 395, 382), BlockKind.CAPTION, 9)
    desc = _block(2, "唐代织锦，新疆吐鲁番阿斯塔那墓地出土。\n红色地上以黄、白二色显花。", (80, 396, 515, 430))
    out = align_book([_page([cap, desc], [fig], (595, 842))], AlignConfig())
    assert _norm(out.pairs[0].text) == _norm("唐代织锦，新疆吐鲁番阿斯塔那墓地出土。红色地上以黄、白二色显花。")


def test_stacked_pointer_captions_each_name_their_own_photo():
    """scan-zh-newspaper-education.pdf: two caption lines stacked under the big photo, "▲…" for
    it and "►…" for the inset photo to their right, read as one OCR block: one caption, the
    inset photo uncaptioned (its box on the real page is still wrong: the extract's part)."""
    big, inset = _figure(0, (10.1, 434.9, 284.3, 610.6)), _figure(1, (265.8, 563.0, 377.3, 636.8))
    up = "9月12日，在江苏省扬州市江都区第二中学，医护人员为学生讲解急救知识（无人机照片）。"
    right = "9月12日，山东省青岛市李沧区红十字会讲师在青岛弘德小学通过互动方式为学生传授急救知识。"
    # as rapidocr reads the real caption lines (▶, and the shared credit 新华社发 on a line of its own)
    stack = _block(2, f"▲{up}\n▶{right}\n新华社发", (25.6, 616.3, 247.0, 637.0), BlockKind.TEXT, 6.0)
    head = _block(0, "普及救护知识\n提高应急能力", (300, 450, 378, 490), BlockKind.TITLE, 14)
    story = _block(1, "2025年9月13日是第26个“世界急救日”，今年的主题为“急救与\n气候变化”。各地开展应急救护培训\n"
                      "活动，传播救护知识与理念，提升群\n众自救互救能力。", (294.0, 514.6, 378.8, 548.1), BlockKind.TEXT, 6.5)
    out = align_book([_page([head, story, stack], [big, inset], (585, 841))], AlignConfig())
    assert sorted((p.figure.index, p.caption) for p in out.pairs) == [(0, up), (1, right)]


def test_pointer_caption_lines_read_apart_with_the_second_pointer_lost():
    """scan-zh-newspaper-education.pdf as the pipeline reads it with the right boxes: the two
    caption lines are blocks of their own, OCR lost the second line's ▶, and the credit 新华社发
    sits under them: the second line still names the inset photo, the credit names nothing."""
    big, inset = _figure(0, (10.1, 434.9, 284.3, 610.6)), _figure(1, (265.8, 563.0, 377.3, 636.8))
    up = "9月12日，在江苏省扬州市江都区第二中学，医护人员为学生讲解急救知识（无人机照片）。"
    right = "9月12日，山东省青岛市李沧区红十字会讲师在青岛弘德小学通过互动方式为学生传授急救知识。"
    blocks = [_block(0, "普及救护知识\n提高应急能力", (300, 450, 378, 490), BlockKind.TITLE, 14),
              _block(1, "2025年9月13日是第26个“世界急救日”，今年的主题为“急救与\n气候变化”。各地开展应急救护培训\n"
                        "活动，传播救护知识与理念，提升群\n众自救互救能力。", (294.0, 514.6, 378.8, 548.1),
                     BlockKind.TEXT, 6.5),
              _block(2, f"▲{up}", (19.2, 615.4, 234.3, 624.3), BlockKind.TEXT, 6.6),
              _block(3, right, (18.5, 622.1, 246.9, 631.6), BlockKind.TEXT, 6.6),
              _block(4, "新华社发", (231.2, 629.8, 255.7, 637.7), BlockKind.TEXT, 6.4)]
    out = align_book([_page(blocks, [big, inset], (585, 841))], AlignConfig())
    lead = "2025年9月13日是第26个“世界急救日”，今年的主题为“急救与气候变化”。各地开展应急救护培训活动，传播救护知识与理念，提升群众自救互救能力。"
    # the story's lead, set between the photos, is both photos' description (tests/test_align_notes.py)
    assert sorted((p.figure.index, p.caption, p.text) for p in out.pairs) == [(0, up, lead), (1, right, lead)]


FARM_CAPTION = ("近年来，云南省罗平县板桥镇加大调整农业产业结构力度，组织农户成立专业合作社，\n"
                "大面积推广种植黄姜，并建立规范的黄姜专业交易市场，形成姜产品绿色产业链，鲜姜及姜\n"
                "制品远销新疆、内蒙古及日本、韩国和海湾地区。2010年全县黄姜产业创造产值5.3亿元，\n"
                "种姜农民人均增收500元。图为板桥黄姜开发协会生产车间的工人在对黄姜进行干燥处理。\n"
                "新华社记者 陈海宁 摄")


def _farm_page(caption: str) -> PageExtract:
    photo = _figure(0, (135.0, 241.8, 357.0, 364.2))
    cap = _block(1, caption, (139.2, 365.4, 349.2, 403.2), BlockKind.TEXT, 6.5)  # 7.2 pt over the headline
    head = _block(2, "生产销售不合格农产", (134.4, 410.4, 253.2, 438.0), BlockKind.TEXT, 23.5)
    column = _block(3, "由海南省农业厅、新华社海南分社、中国移动海南分公司等联合建设的海南省冬季瓜菜质量安全"
                       "田头监管3G系统项目启动。" * 3, (367.2, 295.8, 589.8, 398.4), BlockKind.TEXT, 7.7)
    return _page([column, cap, head], [photo], (595.2, 851.4))


def test_news_photo_caption_closed_by_its_credit_may_run_to_a_paragraph():
    """scan-zh-newspaper-farmers.pdf: the photo's caption is four lines of text and the credit
    (新华社记者 陈海宁 摄), past the three lines an unlabelled OCR caption may have; the credit says
    it is the photo's caption (the real page's photo box still takes the caption in: extract's part)."""
    out = align_book([_farm_page(FARM_CAPTION)], AlignConfig())
    assert [_norm(p.caption) for p in out.pairs] == [_norm(FARM_CAPTION)]
    as_read = FARM_CAPTION.replace("干燥处理。\n新华社记者 陈海宁 摄", "干燥处\n理 新华社记者陈海宁摄")  # rapidocr's lines
    out = align_book([_farm_page(as_read)], AlignConfig())
    assert [_norm(p.caption) for p in out.pairs] == [_norm(as_read)]


def test_a_paragraph_under_a_photo_without_a_credit_is_no_caption():
    body = FARM_CAPTION.rsplit("\n", 1)[0] + "\n农户说，今年的收成比去年好。"
    out = align_book([_farm_page(body)], AlignConfig())
    assert out.pairs == ()


@pytest.mark.parametrize("text,label", [("第3题图", "第3题图"), ("第 13 题图", "第13题图"),
                                        ("(第9题图)", "第9题图"), ("第10題圖", "第10题图")])
def test_exam_figure_labels_are_captions(text, label):
    """scan-zh-exam-math-page.pdf: an exercise's figure is captioned 第N题图."""
    parsed = parse_caption(text)
    assert parsed is not None and parsed.label == label and parsed.title == ""


@pytest.mark.parametrize("text", ["如第3题图所示", "第3题图中的三角形ABC", "第3题"])
def test_exam_label_references_are_not_captions(text):
    assert parse_caption(text) is None


def test_exam_caption_pairs_with_the_drawing_over_it_and_takes_no_title_or_description():
    """Regression (scan-zh-exam-math-page.pdf): with its label read, 第3题图 took the next exercise
    under it as its description, and a 第N题图 with nothing under it was an empty_text reject."""
    fig = _figure(0, (132.8, 505.6, 233.6, 588.0))
    cap = _block(1, "第3题图", (158.4, 592.7, 207.2, 609.0), BlockKind.CAPTION, 13.8)
    choice = _block(2, "A. 1", (240.0, 592.0, 262.0, 602.0))
    exercise = _block(3, "4.(2022四川绵阳期末,5)已知函数y=(m+2)x是关于x的反比\n例函数，则该函数图象位于 ()",
                      (84.8, 612.8, 425.6, 653.6), BlockKind.TEXT, 16.3)
    out = align_book([_page([cap, choice, exercise], [fig], (1152, 844))], AlignConfig())
    assert [(p.caption, p.text, p.text_kind.value) for p in out.pairs] == [("第3题图", "第3题图", "caption")]


def test_caption_column_beside_body_text_on_its_own_baselines_stays_apart():
    """Regression (scan-en-poster-ginkgo.pdf): "Figure 5. ..." set in a column 4 pt right of a
    body column, its lines off the body's baselines, was joined row by row with the body text."""
    body = [((374.0, 371.5, 504.7, 384.1), "The photographic data we"),
            ((374.8, 384.8, 525.6, 396.3), "gathered provided usable data"),
            ((374.0, 397.0, 509.4, 409.6), "that highlighted even small"),
            ((374.8, 410.0, 510.5, 421.5), "deviations from the models")]
    caption = [((529.6, 376.5, 693.0, 388.4), "Figure 5. Comparison of how well Sugar"),
               ((529.2, 388.8, 712.1, 400.3), "Maple, American Beech, and Gingko fit each"),
               ((529.6, 400.6, 706.3, 412.5), "model. Ginkgo has a large safety margin to"),
               ((529.2, 412.5, 710.6, 424.4), "reduce risk of buckling.")]
    texts = [t for _, t in lines_to_paragraphs([(t, b, 1.0) for b, t in body + caption])]
    assert texts == ["\n".join(t for _, t in body), "\n".join(t for _, t in caption)]


def test_line_of_next_column_between_caption_rows_stays_apart():
    """Regression (scan-en-poster-ginkgo.pdf): the layout's caption box for "Figure 1. Full tree
    image for a Ginkgo." reached into the next column and took one line of its paragraph, set
    between the caption's two rows; it was read into the caption ("Full tree margin for ...")."""
    caption = [((271.2, 251.8, 345.3, 263.7), "Figure 1. Full tree"),
               ((271.2, 263.3, 352.8, 276.3), "image for a Ginkgo.")]
    other = [((374.5, 256.5, 507.2, 268.7), "margin for total mass. One")]
    texts = [t for _, t in lines_to_paragraphs([(t, b, 1.0) for b, t in caption + other])]
    assert texts == ["Figure 1. Full tree\nimage for a Ginkgo.", "margin for total mass. One"]
    # a piece of the caption's own row that OCR cut off sits level with it: still one row
    level = [((374.5, 252.3, 420.0, 264.0), "(left)")]
    texts = [t for _, t in lines_to_paragraphs([(t, b, 1.0) for b, t in caption + level])]
    assert texts == ["Figure 1. Full tree (left)\nimage for a Ginkgo."]


def test_one_row_cut_apart_by_ocr_stays_one_row():
    """Pieces of one table row OCR read apart sit level: they stay one paragraph."""
    left = [((60.0, 100.0 + 14 * i, 200.0, 111.0 + 14 * i), f"item {i}") for i in range(4)]
    right = [((205.0, 100.5 + 14 * i, 300.0, 111.5 + 14 * i), f"value {i}") for i in range(4)]
    texts = [t for _, t in lines_to_paragraphs([(t, b, 1.0) for b, t in left + right])]
    assert texts == ["\n".join(f"item {i} value {i}" for i in range(4))]


# ---- generated scans, through extract and align ----------------------------------------------

@pytest.fixture(scope="module")
def caption_row(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("row"), ocr_caption_cases.caption_row_case())


@pytest.fixture(scope="module")
def chart_band(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("band"), ocr_caption_cases.chart_band_case())


def test_generated_caption_row_each_photo_gets_its_own_caption(caption_row):
    truth, pages, alignment = caption_row
    for fig in truth["figures"]:
        row = _row_for(alignment, fig["bbox"])
        assert row is not None, (fig["caption"], [b.text for b in pages[0].blocks])
        assert _norm(row.caption) == _norm(fig["caption"])


def test_generated_chart_band_goes_to_the_chart_under_it(chart_band):
    truth, pages, alignment = chart_band
    fig = truth["figures"][0]
    row = _row_for(alignment, fig["bbox"])
    assert row is not None, [b.text for b in pages[0].blocks]
    assert _norm(row.caption) == _norm(fig["caption"])
    assert not [p for p in alignment.pairs if p is not row and _norm(p.caption) == _norm(fig["caption"])]


def test_unlabelled_vertical_caption_beside_a_picture_on_a_scan(tmp_path):
    """Regression (scan-rendered-dunhuang-mural-slides-zh.pdf p3): a caption with no label set
    vertically beside its picture was read upright by OCR, but align took vertical columns only
    from text layers and outline pages: the picture ended `no_caption`."""
    truth, _, alignment = _build(tmp_path, ocr_caption_cases.vertical_side_caption_case())
    (fig,) = truth["figures"]
    row = _row_for(alignment, fig["bbox"])
    assert row is not None, [r.reason for r in alignment.rejects]
    assert _norm(row.caption) == _norm(ocr_caption_cases.VERTICAL_SIDE_CAPTION)
