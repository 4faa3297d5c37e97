"""Words that are not in a text layer: outline glyphs, description columns and close pictures
on scans, vertical traditional text. Each case is built by culti.sample.ocr_cases."""

from __future__ import annotations

import difflib

import pymupdf
import pytest

from align import AlignConfig, align_book
from align.clean import t2s
from culti.records import BlockKind, FigureOrigin, PageKind, RejectReason, TextOrigin
from culti.sample import ocr_cases
from extract import ExtractConfig, extract_book, open_book
from extract.regions import iou as box_iou

CONFIG = ExtractConfig(workers=1, progress=False)


def _build(tmp_path, case):
    truth = ocr_cases.write_case(case, tmp_path)
    path = tmp_path / truth["file"]
    return path, truth, list(extract_book(open_book(path), CONFIG))


def _norm(text: str) -> str:
    """Text without whitespace, NFKC-folded (full-width punctuation and digits)."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split()).replace("、", ",")


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _norm(a), _norm(b)).ratio()


@pytest.fixture(scope="module")
def outline(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("outline"), ocr_cases.outline_case())


def test_outline_text_pages_are_read_by_ocr(outline):
    """Regression: pages whose words are glyph drawings were `digital` with no text, the glyphs
    became ornament rejects and no caption was read."""
    path, truth, pages = outline
    assert [p.kind for p in pages] == [PageKind.OUTLINE] * 3
    assert [len(p.figures) for p in pages] == [1, 2, 0]
    assert not any(r.reason == RejectReason.ORNAMENT for p in pages for r in p.rejects)
    for fig_truth in truth["figures"]:
        page = pages[fig_truth["page"] - 1]
        caps = [b for b in page.blocks if _norm(b.text) == _norm(fig_truth["caption"])]
        assert len(caps) == 1 and caps[0].origin == TextOrigin.OCR, [b.text for b in page.blocks]
        assert box_iou(caps[0].bbox_pt, fig_truth["caption_bbox"]) > 0.6
    text_page = " ".join(b.text for b in pages[2].blocks)
    assert _similar(text_page, ocr_cases.BODY + ocr_cases.D1 + ocr_cases.D2) > 0.95


def test_outline_pictures_keep_their_bytes_at_native_resolution(outline):
    path, truth, pages = outline
    doc = pymupdf.open(path)
    for page in pages:
        streams = {doc.extract_image(x[0])["image"] for x in doc[page.page - 1].get_images()}
        for fig in page.figures:
            assert fig.origin == FigureOrigin.EMBEDDED and fig.image in streams
            best = max(box_iou(fig.bbox_pt, t["bbox"]) for t in truth["figures"]
                       if t["page"] == page.page)
            assert best > 0.98


def test_outline_pairs_carry_captions_and_descriptions(outline):
    path, truth, pages = outline
    pairs = align_book(pages, AlignConfig()).pairs
    assert len(pairs) == len(truth["figures"]) == 3
    by_page = {(p.figure.page, p.figure.index): p for p in pairs}
    for (page, index), fig_truth in zip(sorted(by_page), truth["figures"], strict=True):
        pair = by_page[page, index]
        assert _norm(pair.caption) == _norm(fig_truth["caption"])
        assert _similar(pair.text, fig_truth["description"]) > 0.95, pair.text


def test_side_by_side_descriptions_on_a_scan_stay_apart(tmp_path):
    """Regression: OCR lines of two description columns were joined row by row, so one row
    carried both texts."""
    _, truth, pages = _build(tmp_path, ocr_cases.scan_columns_case())
    pairs = sorted(align_book(pages, AlignConfig()).pairs, key=lambda p: p.figure.bbox_pt[0])
    assert len(pairs) == 2
    for pair, fig_truth, other in zip(pairs, truth["figures"], truth["figures"][::-1],
                                      strict=True):
        assert _norm(pair.caption) == _norm(fig_truth["caption"])
        assert _similar(pair.text, fig_truth["description"]) > 0.9, pair.text
        assert _norm(other["description"])[:8] not in _norm(pair.text)


def test_two_pictures_close_together_on_a_scan_are_two_figures(tmp_path):
    """Regression: one box covered two pictures 3 pt apart (IoU 0.48 with each); the two
    captions under it say there are two, so the box is cut at the paper between them."""
    _, truth, pages = _build(tmp_path, ocr_cases.scan_close_figures_case())
    (page,) = pages
    assert len(page.figures) == 2
    for fig, fig_truth in zip(sorted(page.figures, key=lambda f: f.bbox_pt[0]), truth["figures"],
                              strict=True):
        assert box_iou(fig.bbox_pt, fig_truth["bbox"]) >= 0.9, (fig.bbox_pt, fig_truth["bbox"])
    labels = [p.label for p in align_book(pages, AlignConfig()).pairs]
    assert sorted(labels) == ["图1", "图2"]


def test_vertical_caption_beside_plate_and_a_page_of_columns(tmp_path):
    """Vertical traditional text: the caption column beside a plate pairs with it (simplified
    caption, traditional original); a figure-less page of columns reads right to left and gives
    no rows."""
    _, truth, pages = _build(tmp_path, ocr_cases.vertical_case())
    assert [len(p.figures) for p in pages] == [1, 0]
    assert box_iou(pages[0].figures[0].bbox_pt, truth["figures"][0]["bbox"]) >= 0.9
    pairs = align_book(pages, AlignConfig()).pairs
    assert len(pairs) == 1 and pairs[0].figure.page == 1
    assert _norm(pairs[0].caption) == _norm(ocr_cases.VERT_CAPTION_S)
    assert _norm(pairs[0].caption_original) == _norm(ocr_cases.VERT_CAPTION)
    column_text = "".join(b.text for b in pages[1].blocks)
    assert _similar(column_text, ocr_cases.VERT_PAGE) > 0.9  # right to left, column by column
    assert _similar(t2s(column_text), t2s(ocr_cases.VERT_PAGE)) > 0.9
    desc = "".join(b.text for b in pages[0].blocks if b.bbox_pt[2] < 200)
    assert _similar(desc, ocr_cases.VERT_DESC) > 0.9


def test_ocr_lines_group_into_columns_before_rows():
    from extract.scanned import lines_to_paragraphs

    h = 20
    left = [(f"左{i}左左左", (0, i * 30, 200, i * 30 + h), 0.9) for i in range(3)]
    right = [(f"右{i}右右右", (225, i * 30, 425, i * 30 + h), 0.9) for i in range(3)]
    label_and_title = [("图3", (0, 200, 40, 220), 0.9), ("团窠对鸟纹", (70, 200, 200, 220), 0.9)]
    paragraphs = sorted(lines_to_paragraphs(left + right), key=lambda p: p[0][0][1][0])
    assert [p[1] for p in paragraphs] == ["左0左左左\n左1左左左\n左2左左左", "右0右右右\n右1右右右\n右2右右右"]
    assert [p[1] for p in lines_to_paragraphs(label_and_title)] == ["图3 团窠对鸟纹"]
    columns = [("一二三四", (300, 0, 320, 90), 0.9), ("五六七八", (270, 0, 290, 90), 0.9)]
    caption = [("圖版五團窠", (400, 0, 420, 110), 0.9)]
    got = [p[1] for p in lines_to_paragraphs(columns + caption)]
    assert got == ["圖版五團窠", "一二三四\n五六七八"]  # right to left, caption its own block


def test_vertical_columns_found_from_ink_profiles():
    import numpy as np

    from extract.regions import vertical_columns

    mask = np.zeros((200, 100), np.uint8)
    for x in (10, 40, 70):  # three columns of 20-px characters, 2 px apart vertically
        for y in range(0, 198, 22):
            mask[y:y + 20, x:x + 20] = 1
    assert vertical_columns(mask) == [(10, 30), (40, 60), (70, 90)]
    rows = np.zeros((100, 300), np.uint8)
    for y in (10, 40, 70):  # the same grid set in rows
        for x in range(0, 298, 22):
            rows[y:y + 20, x:x + 20] = 1
    assert vertical_columns(rows) == []


def test_scan_stored_as_strips_is_scanned(tmp_path):
    """Regression: a scanned page stored as 60 horizontal strips had no image covering 85% of
    it, so it was `digital`, its strips `page_background` rejects and its text never read."""
    import numpy as np

    from tests.extract_fixtures import CAPTION, scanned_pdf

    path, truth = scanned_pdf(tmp_path / "scan.pdf", angle=0.0)
    doc = pymupdf.open(path)
    pix = doc[0].get_pixmap(dpi=150)
    arr = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, pix.n)
    out = pymupdf.open()
    page = out.new_page(width=doc[0].rect.width, height=doc[0].rect.height)
    rows = np.array_split(np.arange(arr.shape[0]), 60)
    for rows_i in rows:
        strip = pymupdf.Pixmap(pymupdf.csRGB, arr.shape[1], len(rows_i),
                               np.ascontiguousarray(arr[rows_i[0]:rows_i[-1] + 1]).tobytes(), False)
        y0 = rows_i[0] * 72 / 150
        y1 = (rows_i[-1] + 1) * 72 / 150
        page.insert_image(pymupdf.Rect(0, y0, page.rect.width, y1), pixmap=strip)
    strips = tmp_path / "strips.pdf"
    out.save(strips)
    (got,) = list(extract_book(open_book(strips), CONFIG))
    assert got.kind == PageKind.SCANNED and len(got.figures) == 1
    assert box_iou(got.figures[0].bbox_pt, truth) >= 0.9
    assert not got.rejects
    assert any(_norm(CAPTION) == _norm(b.text) for b in got.blocks)


def test_vertical_text_layer_reads_columns_right_to_left(tmp_path):
    """A born-digital page set vertically (one character a line in the text layer) gave one
    character per line, columns left to right; now each column is one line, right to left."""
    _, truth, pages = _build(tmp_path, ocr_cases.vertical_case("digital"))
    assert [p.kind for p in pages] == [PageKind.DIGITAL] * 2
    (block,) = pages[1].blocks
    assert block.text == ocr_cases.VERT_PAGE
    caption = [b for b in pages[0].blocks if b.text == ocr_cases.VERT_CAPTION.replace("  ", "")]
    assert len(caption) == 1
    desc = [b for b in pages[0].blocks if b.text == ocr_cases.VERT_DESC]
    assert len(desc) == 1


def test_panels_of_one_figure_a_hairline_apart_stay_one_figure():
    """Regression (real scan, a paper's 'Left: input. Middle: truth. Right: prediction' figure):
    panels 2.6 pt apart inside one layout box came out as two figures."""
    import numpy as np

    from extract.regions import refine_figures

    mask = np.zeros((400, 600), np.uint8)
    mask[50:200, 20:200] = 1
    mask[50:200, 206:380] = 1  # 6 px gap: a hairline between panels
    mask[50:200, 440:590] = 1  # 60 px gap: a separate picture
    layout = [(15.0, 45.0, 385.0, 205.0), (435.0, 45.0, 595.0, 205.0)]
    boxes = sorted(b for b, _ in refine_figures(mask, layout, [], 72.0, 1000.0))
    assert boxes == [(20.0, 50.0, 380.0, 200.0), (440.0, 50.0, 590.0, 200.0)]


@pytest.fixture(scope="module")
def photo_captions(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("photos"), ocr_cases.scan_photo_captions_case())


def _pairs_by_truth(pages, truth):
    pairs = align_book(pages, AlignConfig()).pairs
    out = []
    for fig_truth in truth["figures"]:
        best = max((p for p in pairs if p.figure.page == fig_truth["page"]),
                   key=lambda p: box_iou(p.figure.bbox_pt, fig_truth["bbox"]), default=None)
        out.append((fig_truth, best))
    return pairs, out


def test_newspaper_text_columns_are_no_figures(photo_captions):
    """Regression (scan-en-newspaper-page.pdf): at 120 dpi a dilation joined each column of body
    text into one blob, and ten text columns and headline boxes became figures."""
    _, truth, pages = photo_captions
    news = pages[0]
    assert len(news.figures) == 2
    for fig, fig_truth in zip(sorted(news.figures, key=lambda f: f.bbox_pt[0]),
                              [t for t in truth["figures"] if t["page"] == 1], strict=True):
        assert box_iou(fig.bbox_pt, fig_truth["bbox"]) >= 0.9, (fig.bbox_pt, fig_truth["bbox"])
    body = [b for b in news.blocks if len(b.text) > 200]
    assert len(body) >= 3  # the three columns are read as text, each on its own
    assert all(b.bbox_pt[2] - b.bbox_pt[0] < 200 for b in body)


def test_unlabelled_photo_captions_on_a_scan_pair(photo_captions):
    """Regression (scan-en-newspaper-page.pdf, docling-scanned-ad.pdf): a two-line caption under
    a photo, with no label (after a ▲ pointer or without one), was rejected no_caption."""
    _, truth, pages = photo_captions
    pairs, matched = _pairs_by_truth(pages, truth)
    assert len(pairs) == len(truth["figures"]) == 4
    for fig_truth, pair in matched[:2]:
        assert pair is not None and box_iou(pair.figure.bbox_pt, fig_truth["bbox"]) >= 0.9
        assert _norm(pair.caption) == _norm(fig_truth["caption"]), pair.caption
        assert pair.label == "" and "▲" not in pair.caption


def test_sparse_chart_on_a_scan_is_a_figure_with_its_title(photo_captions):
    """Regression (scan-zh-report-page.pdf): a bar chart (thin bars, axes, numbers: too little
    ink for a picture blob) was missed; its numbers were page text. Now the chart and its axis
    numbers are one figure, and its title over it is the caption."""
    _, truth, pages = photo_captions
    _, matched = _pairs_by_truth(pages, truth)
    fig_truth, pair = matched[2]
    assert box_iou(pair.figure.bbox_pt, fig_truth["bbox"]) >= 0.85, pair.figure.bbox_pt
    assert _norm(pair.caption) == _norm(ocr_cases.CHART_TITLE)
    assert not any(b.text.strip() in {"2019", "2024", "40,000"} for b in pages[1].blocks)


def test_body_text_under_an_inset_photo_is_no_description(photo_captions):
    """Regression (ocrmypdf-huckfinn-illustrated-scan.pdf, scan-zh-report-page.pdf): the page's
    body text running on right under a photo's unlabelled caption, wider than the photo, was
    taken as the photo's description."""
    _, truth, pages = photo_captions
    _, matched = _pairs_by_truth(pages, truth)
    for fig_truth, pair in matched[2:]:
        assert _norm(pair.text) == _norm(fig_truth["title"]), pair.text
        assert pair.text_kind == "caption"


def test_table_caption_under_a_figure_caption_is_no_description():
    """Regression (scan-en-paper-page.pdf): the table caption under a figure's caption on a scan
    ('Table 3. Deprojected ellipse parameters...') was the figure's description."""
    from tests.align_fixtures.build import blk, fig, page_of

    page = page_of(1, [fig(1, 0, (307, 64, 553, 306))], [
        blk(1, "Fig. 3. Marginal probability distribution of the parameters of the best\n"
               "ellipse fitting ring.", (300, 318, 560, 340), BlockKind.CAPTION, ocr=True),
        blk(1, "Table 3. Deprojected ellipse parameters. The uncertainty is given at 1σ\n"
               "and contains only the statistical error.", (301, 348, 560, 370), ocr=True),
        blk(1, "Parameter IRDIS STIS", (351, 378, 497, 390), ocr=True)], scanned=True)
    (pair,) = align_book([page], AlignConfig()).pairs
    assert pair.label == "图3" and "Table" not in pair.text


def test_vertical_description_left_of_the_plate_is_attached(tmp_path):
    """Regression (scan-vertical.pdf, description coverage 0.08): a plate's description set in
    vertical columns to its left (read right to left after the caption column to its right)
    was not attached: the row's text was the caption's title."""
    _, truth, pages = _build(tmp_path, ocr_cases.vertical_case())
    (pair,) = align_book(pages, AlignConfig()).pairs
    assert _similar(pair.text, t2s(ocr_cases.VERT_DESC)) > 0.9, pair.text
    assert pair.text_kind == "description"


def test_layout_caption_stays_apart_from_a_column_box_grazing_it():
    """Regression (scan-en-poster-ginkgo.pdf): a column's box ran 30 px into the figure caption
    beside it and the merge took the caption into the column (then the whole page, box by
    box); the 'reference' box repeating the column made it worse."""
    from extract.regions import merge_text_regions
    from extract.scan_figures import drop_duplicate_regions

    column = ("text", (10.0, 80.0, 260.0, 540.0))
    again = ("reference", (12.0, 80.0, 290.0, 515.0))
    caption = ("figure_caption", (265.0, 480.0, 365.0, 515.0))
    corner = ("text", (250.0, 20.0, 700.0, 90.0))  # crosses the column's top corner
    regions = drop_duplicate_regions([column, again, caption, corner])
    assert again not in regions
    merged = merge_text_regions(regions, max_line_px=60.0)
    assert caption in merged and column in merged and corner in merged


def test_page_of_vertical_text_boxed_whole_is_no_chart():
    """Regression (scan-vertical-trad.pdf p1): the layout model boxed a page of vertical columns
    as one figure (score 0.93); the sparse-chart rule kept it. Ink in columns is text."""
    import numpy as np

    from extract.scan_figures import check_figures

    mask = np.zeros((900, 700), np.uint8)
    for x in range(60, 640, 40):  # columns of 24-px characters, 16 px gutters
        for y in range(60, 840, 28):
            mask[y:y + 24, x:x + 24] = 1
    chart = np.zeros((900, 700), np.uint8)
    chart[100:600, 100:103] = 1  # axes and thin bars: sparse ink, no text
    chart[600:603, 100:600] = 1
    for i, x in enumerate(range(150, 600, 80)):
        chart[600 - 60 * (i + 1):600, x:x + 12] = 1
    assert check_figures(mask, [], [((50.0, 50.0, 650.0, 850.0), 0.93)], [], 36.0) == []
    (kept,) = check_figures(chart, [], [((90.0, 90.0, 610.0, 610.0), 0.93)], [], 36.0)
    assert kept[0][0] <= 101 and kept[0][2] >= 590


def test_caption_line_cut_short_by_the_layout_box_is_read_whole():
    """Regression (scan-p2t-paper-pages.pdf): the layout box of a two-line caption stopped 60 pt
    before its first line's end ('...the aggregator is inc' / 'luded or not included.'); the
    leftover piece finishing the line joins the caption's region, never a column's."""
    from extract.scan_figures import attach_line_ends

    caption = ("text", (16.0, 212.0, 489.0, 234.0))
    column = ("text", (10.0, 250.0, 260.0, 700.0))
    line_end = (490.0, 212.0, 584.0, 220.0)
    word_beside_column = (270.0, 400.0, 300.0, 408.0)
    regions, left = attach_line_ends([caption, column], [line_end, word_beside_column])
    assert regions == [("text", (16.0, 212.0, 584.0, 234.0)), column]
    assert left == [word_beside_column]


def test_layout_caption_read_large_by_ocr_still_captions_its_chart():
    """Regression (scan-zh-report-page.pdf): OCR measured the chart's caption line at 1.37x the
    body's size, so the layout model's figure_caption was dropped as a heading."""
    from culti.records import TextBlock
    from tests.align_fixtures.build import fig, page_of

    def ocr(text, bbox, kind, size):
        return TextBlock(page=1, index=0, text=text, bbox_pt=bbox, kind=kind,
                         origin=TextOrigin.OCR, font_size=size, confidence=0.9)

    body = "近年来，公司主动调整固体矿产勘查业务方向，一方面对自有矿山提供技术支持，在保障采矿业务顺利进行的前提下"
    page = page_of(1, [fig(1, 0, (109, 75, 466, 290))], [
        ocr("近年来公司锂电新能源板块销售情况（吨）", (198, 300, 365, 315.6), BlockKind.CAPTION, 13.3),
        ocr(body + "\n" + body, (53, 340, 515, 380), BlockKind.TEXT, 9.7),
        ocr(body, (53, 390, 515, 402), BlockKind.TEXT, 9.7)], scanned=True)
    (pair,) = align_book([page], AlignConfig()).pairs
    assert pair.caption == "近年来公司锂电新能源板块销售情况（吨）" and pair.text_kind == "caption"


def test_line_drawings_boxed_with_their_captions_are_cut_and_split(tmp_path):
    """Regression (scan-zh-exam-math-page.pdf, 6 figures, 0 found): the layout model boxed two
    hairline plots with their captions "第3题图" "第8题图" as one figure; the captions were
    painted out as part of it, so nothing said there were two, and the thin ink made no blob.
    Now the caption lines inside the box are read apart, cut off (they carry a label), and
    the box is split between them."""
    _, truth, pages = _build(tmp_path, ocr_cases.scan_exam_drawings_case())
    (page,) = pages
    assert len(page.figures) == 2, [f.bbox_pt for f in page.figures]
    for fig, fig_truth in zip(sorted(page.figures, key=lambda f: f.bbox_pt[0]), truth["figures"],
                              strict=True):
        assert box_iou(fig.bbox_pt, fig_truth["bbox"]) >= 0.85, (fig.bbox_pt, fig_truth["bbox"])
        assert fig.bbox_pt[3] < fig_truth["caption_bbox"][1] + 2  # the caption is cut off
    pairs = sorted(align_book(pages, AlignConfig()).pairs, key=lambda p: p.figure.bbox_pt[0])
    assert [_norm(p.caption) for p in pairs] == ["第3题图", "第8题图"]


def test_caption_band_tells_a_caption_line_from_tick_numbers():
    """A line under a drawing, parted from it by an empty row, is a caption when its pieces are
    words (two or more line heights wide); a row of tick numbers is not; nor is a line glued
    to the drawing."""
    import numpy as np

    from extract.scan_figures import caption_band

    def page(line: list[tuple[int, int]], gap: int) -> np.ndarray:
        mask = np.zeros((200, 300), np.uint8)
        mask[20:150, 30] = 1  # y axis, a hairline
        mask[149, 30:280] = 1  # x axis
        mask[30:150, 200] = 1
        for a, b in line:
            mask[150 + gap:160 + gap, a:b] = 1
        return mask

    box = (20.0, 15.0, 290.0, 185.0)
    assert caption_band(page([(60, 110), (180, 232)], 4), box, 5, 20) == [
        (60.0, 154.0, 110.0, 164.0), (180.0, 154.0, 232.0, 164.0)]
    assert caption_band(page([(60, 66), (120, 132), (180, 186)], 4), box, 5, 20) == []  # ticks
    assert caption_band(page([(60, 110)], 0), box, 5, 20) == []  # touches the drawing
    assert caption_band(page([(25, 285)], 4), box, 5, 20) == []  # a line as wide as the box


def test_pieces_of_one_diagram_stacked_in_one_sure_layout_box_are_one_figure():
    """Regression (scan-en-vilt-paper-page.pdf): a paper's Figure 1 (a schema over a timing
    chart, labels and a heading between them) came out as two pieces, neither at IoU 0.5. The
    layout model's one sure box over pieces stacked one above another is one figure; pieces side
    by side, or with the model's text between them, stay apart."""
    import numpy as np

    from extract.scan_figures import join_stacked

    mask = np.zeros((500, 400), np.uint8)
    mask[40:200, 100:380] = 1  # the schema
    mask[250:400, 90:390] = 1  # the timing chart
    mask[60:70, 20:80] = 1  # a label left of the schema
    mask[220:230, 150:300] = 1  # the heading between them
    pieces = [((100.0, 40.0, 380.0, 200.0), 0.95), ((90.0, 250.0, 390.0, 400.0), 0.95)]
    layout = [((10.0, 30.0, 395.0, 410.0), 0.92)]
    assert join_stacked(mask, pieces, layout, []) == [((20.0, 40.0, 390.0, 400.0), 0.95)]
    assert join_stacked(mask, pieces, [((10.0, 30.0, 395.0, 410.0), 0.6)], []) == pieces  # unsure
    caption = (100.0, 215.0, 380.0, 235.0)  # the model read text between them: two figures
    assert join_stacked(mask, pieces, layout, [caption]) == pieces
    side = [((10.0, 40.0, 180.0, 400.0), 0.95), ((220.0, 40.0, 390.0, 400.0), 0.95)]
    assert join_stacked(mask, side, layout, []) == side


def test_picture_inside_a_tinted_panel_is_boxed_not_the_panel():
    """Regression (scan-en-journal-issue-page.pdf): the "Cover picture" sat in a teal "In this
    issue" panel with a title and a paragraph; the whole panel was one figure. A blob of one
    flat colour holding the model's text regions is a panel: the pictures inside it are told
    from the panel's colour. A photo on a plain backdrop holds no text and stays whole."""
    import numpy as np

    from extract.regions import open_panels

    rgb = np.full((600, 800, 3), 250, np.uint8)
    rgb[50:450, 40:760] = (90, 190, 190)  # the teal panel
    rng = np.random.default_rng(0)
    rgb[150:400, 80:260] = rng.integers(0, 255, (250, 180, 3))  # the cover picture
    rgb[180:190, 300:700] = (30, 30, 30)  # lines of the paragraph
    rgb[200:210, 300:700] = (30, 30, 30)
    panel = [((40.0, 50.0, 760.0, 450.0), 0.7)]
    text = [(290.0, 170.0, 710.0, 300.0), (60.0, 60.0, 500.0, 120.0)]
    assert open_panels(rgb, panel, text, 50, 2000) == [((80.0, 150.0, 260.0, 400.0), 0.7)]
    assert open_panels(rgb, panel, [], 50, 2000) == panel  # no text in it: a photo, kept whole


def test_scanned_picture_in_a_tinted_panel_pairs_with_its_caption(tmp_path):
    """Regression (scan-en-journal-issue-page.pdf), on a generated scan: a picture inside a teal
    panel that also holds a headline and a paragraph; the panel was boxed whole."""
    _, truth, pages = _build(tmp_path, ocr_cases.scan_tinted_panel_case())
    (page,) = pages
    (fig_truth,) = truth["figures"]
    assert len(page.figures) == 1
    assert box_iou(page.figures[0].bbox_pt, fig_truth["bbox"]) >= 0.9, page.figures[0].bbox_pt
    (pair,) = align_book(pages, AlignConfig()).pairs
    assert pair.label == "图1" and _norm(pair.caption) == _norm(fig_truth["caption"])


def test_inset_photo_over_the_corner_of_a_larger_one_is_two_figures():
    """Regression (scan-zh-newspaper-education.pdf): a small photo printed over the lower right
    corner of a large one made one L-shaped blob, boxed as one figure (a text block in its
    empty corner). A blob made of two solid rectangles is cut into them; a blob of another
    shape (a round picture, a diagram) stays whole."""
    import numpy as np

    from extract.regions import split_overlapping

    mask = np.zeros((600, 800), np.uint8)
    mask[100:400, 50:500] = 1  # the large photo
    mask[330:520, 460:700] = 1  # the inset over its corner
    box = (50.0, 100.0, 700.0, 520.0)
    assert sorted(b for b, _ in split_overlapping(mask, [(box, 0.95)], 60)) == [
        (50.0, 100.0, 500.0, 400.0), (460.0, 330.0, 700.0, 520.0)]
    round_ = np.zeros((600, 800), np.uint8)
    import cv2

    cv2.circle(round_, (300, 300), 200, 1, thickness=-1)
    disc = (100.0, 100.0, 501.0, 501.0)
    assert split_overlapping(round_, [(disc, 0.95)], 60) == [(disc, 0.95)]


def test_silk_photo_with_a_flat_ground_under_a_text_guess_is_no_panel():
    """Regression (data/sample silk-03-scanned.pdf p2, while open_panels was written): a silk
    photo whose ground is one flat colour, which the layout model also boxed whole as a
    `reference` text region, was taken for a tinted panel and lost."""
    import numpy as np

    from extract.regions import open_panels

    rgb = np.full((600, 800, 3), 250, np.uint8)
    rgb[100:500, 150:650] = (150, 40, 40)  # the red ground
    rgb[200:260, 250:400] = (230, 200, 90)  # a motif
    fig = [((150.0, 100.0, 650.0, 500.0), 0.95)]
    assert open_panels(rgb, fig, [(149.0, 99.0, 651.0, 499.0)], 50, 2000) == fig


def test_text_columns_on_yellowed_paper_are_no_pictures_inside_the_page_panel():
    """Regression (scan-nl-magazine-tapestry.pdf): the whole yellowed page was one blob; read as
    a panel, its columns of text must not come out as pictures, only the photo."""
    import numpy as np

    from extract.regions import open_panels

    rgb = np.full((1600, 1200, 3), (205, 195, 150), np.uint8)  # yellowed paper
    for y in range(100, 700, 10):  # a column of text lines
        for x in range(80, 560, 8):
            rgb[y:y + 7, x:x + 5] = (40, 40, 40)
    rng = np.random.default_rng(1)
    rgb[900:1500, 80:600] = rng.integers(0, 255, (600, 520, 3))  # the photo
    page = [((0.0, 0.0, 1200.0, 1600.0), 0.95)]
    title = [(80.0, 30.0, 800.0, 80.0), (640.0, 100.0, 1120.0, 800.0)]
    assert open_panels(rgb, page, title, 100, 8000) == [((80.0, 900.0, 600.0, 1500.0), 0.95)]


def test_picture_with_a_tab_on_its_edge_is_not_cut_into_overlapping_boxes():
    """Regression (scan-rendered-dunhuang-mural-slides-zh.pdf p8, while split_overlapping was
    written): a picture with a strip along one edge was cut into two boxes that mostly overlap."""
    import numpy as np

    from extract.regions import split_overlapping

    mask = np.zeros((600, 800), np.uint8)
    mask[150:450, 100:400] = 1  # the picture
    mask[100:450, 160:400] = 1  # a strip over most of its top edge
    box = (100.0, 100.0, 400.0, 450.0)
    assert split_overlapping(mask, [(box, 0.95)], 60) == [(box, 0.95)]
