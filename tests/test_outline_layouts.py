"""Outline-text pages after real ones that failed (the Dunhuang handout and the Beijing standard
with their words redrawn as glyph outlines): text on a slide's tinted panel, a vertical caption
beside its picture, small captions right over a heading, a plate page whose only words are its
caption. Built by culti.sample.outline_cases."""

from __future__ import annotations

import unicodedata

import pytest

from align import AlignConfig, align_book
from culti.records import PageKind
from culti.sample import ocr_cases, outline_cases
from extract import ExtractConfig, extract_book, open_book
from extract.regions import iou as box_iou

CONFIG = ExtractConfig(workers=1, progress=False)


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def slides(tmp_path_factory):
    out = tmp_path_factory.mktemp("outline-slides")
    truth = outline_cases.write_outline_slides(out)
    return truth, list(extract_book(open_book(out / truth["file"]), CONFIG))


def test_outline_text_on_a_tinted_panel_is_read(slides):
    """Regression: glyphs on a slide's filled panel were taken for drawings on a figure's
    ground, so the page was `digital` with no text, and the panel became one figure."""
    truth, pages = slides
    slide = pages[0]
    assert slide.kind == PageKind.OUTLINE
    texts = [_norm(b.text) for b in slide.blocks]
    assert "核心纹样及修复结果" in texts
    assert any(_norm(outline_cases.SLIDE_TEXT)[:20] in t for t in texts), texts
    want = [f["bbox"] for f in truth["figures"] if f["page"] == 1]
    assert len(slide.figures) == len(want)
    for box in want:
        assert max(box_iou(f.bbox_pt, box) for f in slide.figures) > 0.95


def test_outline_vertical_caption_is_read_as_one_column(slides):
    """Regression: a caption set vertically beside its picture on a panel was never read."""
    _, pages = slides
    assert "不同纹样的对比图" in [_norm(b.text) for b in pages[0].blocks]


def test_outline_small_captions_over_a_heading_stay_apart(slides):
    """Regression: three 7 pt captions right over a 12 pt heading and its text were one
    paragraph region, read as one block; lines of another type size start a block of their own."""
    _, pages = slides
    texts = [_norm(b.text) for b in pages[0].blocks]
    for title in (*outline_cases.SMALL_CAPTIONS, outline_cases.HEADING):
        assert title in texts, texts


def test_outline_plate_page_with_only_its_caption(slides):
    """Regression: a plate page whose only words are its caption has too few glyphs for the
    page-wide outline test, so it was `digital` with no text and its figure had no caption."""
    _, pages = slides
    plate = pages[1]
    assert plate.kind == PageKind.OUTLINE
    assert [_norm(b.text) for b in plate.blocks] == [_norm("图5  红地团花纹锦")]


def test_outline_slides_pair_every_figure_with_its_caption(slides):
    truth, pages = slides
    pairs = align_book(pages, AlignConfig()).pairs
    got = sorted((p.figure.page, _norm(p.caption)) for p in pairs)
    assert got == sorted((f["page"], _norm(f["caption"])) for f in truth["figures"])


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    out = tmp_path_factory.mktemp("outline-table")
    truth = ocr_cases.write_case(outline_cases.outline_table_case(), out, 0)
    pages = list(extract_book(open_book(out / truth["file"]), CONFIG))
    return truth, pages, align_book(pages, AlignConfig())


def test_outline_table_cells_and_list_lead_in_are_no_description(table):
    """Regression (the outlined Dunhuang handout and Beijing standard): a results table under a
    picture's caption, and the lead-in to the next list ("（3）……样例：") under a plate's, were
    taken as the figures' descriptions: running-text cues were checked on text layers only."""
    truth, pages, aligned = table
    assert all(p.kind == PageKind.OUTLINE for p in pages)
    rows = sorted(aligned.pairs, key=lambda r: r.figure.page)
    assert [_norm(r.caption) for r in rows] == [_norm(f["caption"]) for f in truth["figures"]]
    cells = [_norm(c) for row in outline_cases.TABLE_CELLS for c in row]
    for r in rows:
        assert not any(c in _norm(r.text) for c in cells if c not in _norm(r.caption)), r.text
        assert "样例" not in r.text, r.text


def test_outline_description_wider_than_its_picture_is_kept(table):
    """Regression (the outlined Dunhuang handout, page 4): the description under a picture whose
    caption is set vertically beside it runs wider than both; the scan rule that takes such a
    block for the page's body text dropped it."""
    truth, _, aligned = table
    (row,) = [p for p in aligned.pairs if p.figure.page == 3]
    assert _norm(row.caption) == _norm(outline_cases.outline_table_case().pages[2].plates[0].title)
    assert _norm(row.text) == _norm(outline_cases.WIDE_DESCRIPTION)
    assert [f["description"] for f in truth["figures"] if f["page"] == 3] == [
        outline_cases.WIDE_DESCRIPTION]


def test_outline_description_hugging_its_picture_is_no_caption(table):
    """Regression (the outlined Dunhuang handout, page 6): a description set right under its
    picture, within its width, was taken for the picture's caption (a scan's news-photo rule)
    over the caption set vertically beside it."""
    _, _, aligned = table
    (row,) = [p for p in aligned.pairs if p.figure.page == 4]
    assert _norm(row.caption) == _norm(outline_cases.outline_table_case().pages[3].plates[0].title)
    assert _norm(row.text) == _norm(outline_cases.HUGGING_DESCRIPTION)
