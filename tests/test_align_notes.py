"""Text that names a picture without a caption line (issue "Real documents III"): a journal's
cover note ("Cover picture", 封面说明) and a newspaper photo story's lead paragraph (组图).
Align alone on page records set out with the real pages' OCR geometry, then the generated pages
of culti.sample.note_cases (scanned and digital) through extract and align."""

from __future__ import annotations

import unicodedata

import pytest

from align import AlignConfig, align_book
from align.notes import cover_note
from culti.records import BlockKind, PageExtract, TextBlock, TextOrigin
from culti.sample import note_cases
from extract import ExtractConfig, extract_book, open_book
from extract.regions import iou as box_iou
from tests.align_fixtures.build import ocr_blk, scan_fig, scan_page


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _ocr(text: str, bbox, kind=BlockKind.TEXT, size: float = 9.8):
    return ocr_blk(text, bbox, kind, size)


_figure, _page = scan_fig, scan_page


# ---- cover notes -------------------------------------------------------------------------------

COVER_TEXT = ("The cover picture shows immunohistology of mouse brain infected with neurotropic "
              "Borna disease virus. Viral antigen (brown staining) was detected with a monoclonal "
              "antibody specific for the viral nucleoprotein in nuclei and processes of neurons.")


def _journal_page(heading: str = "Cover picture") -> PageExtract:
    """scan-en-journal-issue-page.pdf page 1 as OCR gave it."""
    blocks = [
        _ocr("Eur. J. Immunol. 2005. 35: 329-330", (44, 26, 168, 38), BlockKind.HEADER, 10.5),
        _ocr("In this issue", (55, 85, 274, 122), BlockKind.TITLE, 31.2),
        _ocr(heading, (206, 156, 266, 168), BlockKind.TITLE, 10.1),
        _ocr(COVER_TEXT, (204, 180, 507, 259)),
        _ocr("Structures of viral epitopes in complex with HLA-B27", (204, 354, 512, 374), BlockKind.TITLE, 17.2),
        _ocr("pp. 336-340, pp. 341-351", (44, 359, 144, 372), size=11.4),
        _ocr("The association of HLA-B27 with disease has been known for decades, and the molecular "
             "basis of it has been studied by many groups.", (204, 377, 520, 521)),
    ]
    return _page(blocks, [_figure(0, (60, 159, 195, 338)), _figure(1, (47, 382, 181, 489))])


def test_cover_picture_heading_beside_the_picture_is_its_caption_and_the_note_its_description():
    """Regression (scan-en-journal-issue-page.pdf): the cover picture had no caption row (no_caption);
    its note "Cover picture" stands beside it, top-aligned, with the note's paragraph under it."""
    out = align_book([_journal_page()], AlignConfig())
    row = next((p for p in out.pairs if p.figure.index == 0), None)
    assert row is not None, out.rejects
    assert row.caption == "Cover picture"
    assert _norm(row.text) == _norm(COVER_TEXT)
    assert row.text_bbox_pt == (204, 180, 507, 259)


def test_an_ordinary_headline_beside_a_picture_names_no_picture():
    """The same page with a section headline where the cover note was: no row from the headline."""
    out = align_book([_journal_page("Structures of viral epitopes")], AlignConfig())
    assert not [p for p in out.pairs if p.figure.index == 0]


@pytest.mark.parametrize("text, want", [
    ("Cover picture", ("Cover picture", "")),
    ("Cover illustration:", ("Cover illustration", "")),
    ("ON THE COVER", ("ON THE COVER", "")),
    ("About the cover\nThe picture shows a banner.", ("About the cover", "The picture shows a banner.")),
    ("Cover picture: A silk banner from Dunhuang.", ("Cover picture", "A silk banner from Dunhuang.")),
    ("封面说明", ("封面说明", "")),
    ("封二说明：莫高窟第45窟彩塑", ("封二说明", "莫高窟第45窟彩塑")),
    ("图版说明", ("图版说明", "")),
    ("On the cover of this issue we show a banner", None),
    ("The cover picture shows a banner.", None),
    ("封面设计：张三", None),
])
def test_cover_note_heading_vocabulary(text, want):
    assert cover_note(text) == want


def test_cover_note_takes_the_nearest_uncaptioned_picture_not_a_captioned_one():
    """Two pictures: one with its own caption under it, one without; the note names the free one
    even though the captioned one is nearer."""
    blocks = [_ocr("Figure 2. A drawing", (300, 345, 420, 357), BlockKind.CAPTION),
              _ocr("Cover picture", (300, 360, 380, 372), BlockKind.TITLE, 10.1),
              _ocr("The cover picture shows a silk banner.", (300, 376, 520, 400)),
              _ocr("Some other article text runs here, far from both pictures, in its own column.",
                   (60, 700, 520, 760))]
    figs = [_figure(0, (300, 200, 520, 340)), _figure(1, (60, 360, 280, 560))]
    out = align_book([_page(blocks, figs)], AlignConfig())
    got = {p.figure.index: (p.caption, _norm(p.text)) for p in out.pairs}
    assert got == {0: ("Figure 2. A drawing", _norm("A drawing")),
                   1: ("Cover picture", _norm("The cover picture shows a silk banner."))}


def test_cover_note_heading_and_text_in_one_text_layer_block():
    """A text layer that keeps the heading 封面说明 and its note in one block, under the plate: the
    heading is the caption, the rest of the block the description."""
    note = "封面为莫高窟第45窟西壁龛内彩塑，盛唐时期作品。"
    block = TextBlock(page=1, index=0, text=f"封面说明\n{note}", bbox_pt=(100, 396, 495, 430),
                      kind=BlockKind.TEXT, origin=TextOrigin.PDF, font_size=10.5, font_name="china-s")
    page = _page([block], [_figure(0, (100, 90, 495, 380))])
    out = align_book([page], AlignConfig())
    assert [(p.caption, p.text, p.caption_bbox_pt) for p in out.pairs] == [("封面说明", note, (100, 396, 495, 413))]


# ---- photo groups ------------------------------------------------------------------------------

LEAD = [("2025年9月13日是第26个“世", (303.1, 514.1, 379.8, 522.3), 6.98),
        ("界急救日”，今年的主题为“急救与", (293.3, 521.1, 379.4, 528.7), 6.42),
        ("气候变化”。各地开展应急救护培训", (293.8, 528.1, 379.4, 535.4), 6.17),
        ("活动，传播救护知识与理念，提升群", (293.0, 534.6, 379.5, 542.5), 6.7),
        ("众自救互救能力。", (293.7, 541.3, 335.6, 548.5), 6.17)]
LEAD_TEXT = "".join(t for t, _, _ in LEAD)


def _news_page(lead=LEAD, extra=(), headline: bool = True) -> PageExtract:
    """scan-zh-newspaper-education.pdf page 1 around its photo story, as OCR gave it: the body
    columns above the story, the headline, the lead's five lines, the captions under the photos
    and the neighbouring article's column to the right."""
    blocks = [
        _ocr("开展深入贯彻中央八项规定精神育重点工作，推动重点任务落实落细。", (18, 393, 190, 401), size=7.5),
        _ocr("学习教育，是今年党建工作的重点任\n务，是巩固拓展主题教育和党纪学习", (8, 400, 95, 415), size=7.5),
        _ocr("怀进鹏带头，部党组成员和有关\n司局主要负责同志深入直属高校调研", (104, 400, 190, 414), size=6.1),
        _ocr("习近平总书记关于加强党的作风建设\n的重要论述和中央八项规定及其实施", (198, 400, 285, 414), size=6.1),
        _ocr("教育成果、纵深推进全面从严治党的 指导学习教育36场次，听取意见建 细则精神作为学习研讨主线贯穿始",
             (8, 413, 285, 422), size=7.8),
        _ocr("培训班，教育引导13.25万名教职工\n党支部书记履行第一责任人责任。", (293, 400, 380, 414), size=6.1),
        _ocr("(下转第二版)", (346, 414, 379, 421), size=5.6),
        _ocr("条件和质量。第三个重点是支持高素质专业化", (397, 466, 505, 476), size=8.9),
        *([_ocr("普及救护知识", (299.4, 466.3, 373.0, 482.3), size=13.6)] if headline else []),
        _ocr("教师队伍建设，加大经费投入保障，实施国家级", (397, 473, 505, 483), size=8.7),
        *([_ocr("提高应急能力", (299.8, 479.4, 372.1, 494.9), size=13.2)] if headline else []),
        _ocr("培训、职业院校教师素质提高、优师计划等。", (397, 480, 497, 490), size=8.7),
        *[_ocr(t, b, size=s) for t, b, s in lead],
        _ocr("人次。连续4年实施国家助学贷款免息及本金", (397, 513, 505, 524), size=8.9),
        _ocr("延期偿还政策。去年，对国家奖学金助学金大", (397, 520, 505, 530), size=8.9),
        _ocr("幅提高标准、增加名额，对国家助学贷款提高", (397, 526, 505, 537), size=8.9),
        *extra,
        _ocr("▲9月12日，在江苏省扬州市江都区第二中学，医护人员为学生讲解急救知识（无人机照片）。",
             (19.2, 615.4, 234.3, 624.3), size=7.54),
        _ocr("9月12日，山东省青岛市李沧区红十字会讲师在青岛弘德小学通过互动方式为学生传授急救知识。",
             (18.5, 622.1, 246.9, 631.6), size=8.1),
        _ocr("新华社发", (231.2, 629.8, 255.7, 637.7), size=6.7),
    ]
    return _page(blocks, [_figure(0, (10.5, 435.2, 283.4, 611.0)), _figure(1, (267.9, 563.4, 375.9, 634.5))], (595.0, 842.0))


def test_photo_story_lead_paragraph_is_each_photos_description():
    """Regression (scan-zh-newspaper-education.pdf): both photos of the story paired with their
    captions, but their text was only the caption; the lead set between them is their description."""
    out = align_book([_news_page()], AlignConfig())
    got = {p.figure.index: p for p in out.pairs}
    assert set(got) == {0, 1}, out.rejects
    assert got[0].caption.startswith("9月12日，在江苏省扬州市")
    assert got[1].caption.startswith("9月12日，山东省青岛市")
    for row in got.values():
        assert _norm(row.text) == _norm(LEAD_TEXT)
        assert row.text_bbox_pt == (293.0, 514.1, 379.8, 548.5)
        assert row.text_kind.value == "description"
        assert "group-lead" in row.evidence


def test_a_body_column_running_into_a_photo_group_is_no_lead():
    """No headline: the lead's column carries on from above the group's hull, line under line (a
    body column the photos were set against); it is no lead and the photos keep their captions."""
    column = [_ocr("名师农村工作站集教学、科研、培训于一体", (293.2, y, 379.6, y + 7.5), size=6.4)
              for y in (423.0, 430.0, 437.0, 444.0, 451.0, 458.0, 465.0, 472.0, 479.0, 486.0, 493.0,
                        500.0, 507.0)]
    out = align_book([_news_page(extra=column, headline=False)], AlignConfig())
    assert len(out.pairs) == 2
    for row in out.pairs:
        assert row.text_kind.value == "caption", row.text


def test_a_single_captioned_photo_takes_no_lead():
    """Text beside a lone captioned photo is not a group's lead."""
    page = _news_page()
    page = PageExtract(source=page.source, source_sha256=page.source_sha256, page=1, width_pt=page.width_pt,
                       height_pt=page.height_pt, kind=page.kind, status=page.status,
                       figures=page.figures[:1], blocks=page.blocks)
    out = align_book([page], AlignConfig())
    assert all(_norm(LEAD_TEXT)[:10] not in _norm(p.text) for p in out.pairs)


# ---- generated pages, through extract and align -------------------------------------------------

@pytest.fixture(scope="module", params=[c.name for c in note_cases.all_cases()])
def built(request, tmp_path_factory):
    case = next(c for c in note_cases.all_cases() if c.name == request.param)
    out = tmp_path_factory.mktemp(case.name)
    truth = note_cases.write_case(case, out)
    pages = list(extract_book(open_book(out / truth["file"]), ExtractConfig(workers=1, progress=False)))
    return truth, pages, align_book(pages, AlignConfig())


def test_generated_note_pages_give_each_picture_its_caption_and_description(built):
    """Every truth figure of the cover-note and photo-group pages (scanned and digital) is a row
    with its caption and exactly its description (the note's paragraph, the story's lead)."""
    truth, pages, alignment = built
    for fig in truth["figures"]:
        rows = [p for p in alignment.pairs if box_iou(p.figure.bbox_pt, fig["bbox"]) >= 0.5]
        assert rows, (truth["file"], fig["caption"], alignment.rejects, [b.text for b in pages[0].blocks])
        assert _norm(rows[0].caption) == _norm(fig["caption"])
        assert _norm(rows[0].text) == _norm(fig["description"]), truth["file"]
