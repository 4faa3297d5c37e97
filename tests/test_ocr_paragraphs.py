"""Figures lost to OCR text grouping on real scans (issue "Real documents III"), as regression
tests: OCR paragraphs split at a painted-out figure and between captions printed in one row,
a page-tall `title` region read as text, a figure box over two photos cut under a row of
unlabelled captions, and a caption paragraph printed inside a photo's frame cut off it. Unit
tests use the real pages' geometry; the generated scans of culti.sample.ocr_caption_cases
(paragraph_cases) run through extract and align."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from align import AlignConfig, align_book
from culti.records import BlockKind
from culti.sample import ocr_caption_cases
from extract import ExtractConfig, extract_book, open_book
from extract.regions import iou as box_iou
from extract.regions import split_by_captions
from extract.scan_figures import caption_paragraph
from extract.scanned import _region_label, lines_to_paragraphs

CONFIG = ExtractConfig(workers=1, progress=False)


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _texts(lines) -> list[str]:
    return sorted(t for _, t in lines_to_paragraphs([(t, b, 0.9) for b, t in lines]))


# ---- OCR lines into paragraphs ---------------------------------------------------------------

def _tapestry_lines() -> tuple[list, list]:
    """The left half of scan-nl-magazine-tapestry.pdf as rapidocr reads it (pixels): a headline
    across, two body columns, a third column running down beside the painted-out photo, and the
    photo's two-line caption under it, its first line ending 6 px short of the third column."""
    lines = [((115, 40, 990, 90), "PAUL VANDERSCHRAEGHE")]
    lines += [((115, 100 + 20 * i, 399, 120 + 20 * i), f"left column line {i}") for i in range(50)]
    lines += [((408, 100 + 20 * i, 692, 120 + 20 * i), f"middle column line {i}") for i in range(50)]
    lines += [((700, 100 + 20 * i, 990, 120 + 20 * i), f"right column line {i}") for i in range(90)]
    caption = [((125, 1849, 694, 1874), "Middeleeuws wandtapijt uit de verzameling van de stad"),
               ((315, 1864 + 12, 491, 1891 + 12), "gering van Jeruzalem.")]
    return lines, caption


def test_caption_under_a_painted_out_figure_is_a_paragraph_of_its_own():
    """Regression (scan-nl-magazine-tapestry.pdf): a page-tall layout region's lines were one
    column, so the caption under the photo was glued to the article and the photo had none."""
    lines, caption = _tapestry_lines()
    got = _texts(lines + caption)
    assert "Middeleeuws wandtapijt uit de verzameling van de stad\ngering van Jeruzalem." in got
    assert not any("Middeleeuws" in t and "column" in t for t in got)


def test_captions_printed_in_one_row_two_line_heights_apart_are_apart():
    """Regression (scan-en-slide-festivals.pdf): three captions in one row under three photos
    were one paragraph "Rio Carnival The Spring Festival Thanksgiving"."""
    row = [((325, 813, 629, 875), "Rio Carnival"), ((783, 813, 1265, 877), "The Spring Festival"),
           ((1386, 813, 1718, 877), "Thanksgiving")]
    assert _texts(row) == ["Rio Carnival", "Thanksgiving", "The Spring Festival"]
    # a label and its title a line height and a half apart stay one caption
    assert _texts([((0, 200, 40, 220), "图3"), ((70, 200, 200, 220), "团窠对鸟纹")]) == ["图3 团窠对鸟纹"]


def test_paragraphs_of_one_column_a_line_apart_stay_one_block():
    column = [((100, 100 + 20 * i, 400, 115 + 20 * i), f"line {i}") for i in range(4)]
    column += [((100, 200 + 20 * i, 400, 215 + 20 * i), f"next {i}") for i in range(3)]
    assert len(_texts(column)) == 1


def test_a_page_tall_title_region_is_read_as_text():
    """Regression (scan-nl-magazine-tapestry.pdf): the layout model labelled the whole left half
    `title`; its caption piece became a TITLE block that no caption rule takes."""
    lines, caption = _tapestry_lines()
    as_read = [(t, b, 0.9) for b, t in lines + caption]
    assert _region_label("title", as_read) == "text"
    assert _region_label("title", [("THE TWO DOGS", (50, 30, 545, 85), 0.9)]) == "title"
    assert _region_label("figure_caption", as_read) == "figure_caption"


# ---- figure boxes ------------------------------------------------------------------------------

def _two_photos_with_shadows() -> np.ndarray:
    """An ink mask: two photos 4 px apart, the first's drop shadow running into the second."""
    mask = np.zeros((200, 260), np.uint8)
    mask[16:106, 16:116] = 1  # shadow of the first
    mask[10:100, 10:110] = 1
    mask[10:100, 120:220] = 1
    mask[16:106, 220:226] = 1  # shadow of the second
    return mask


def test_unlabelled_captions_side_by_side_split_a_box_over_two_photos():
    """Regression (scan-en-slide-festivals.pdf): two photos a drop shadow joined were one
    figure; the captions under them carry no label ("The Spring Festival", "Thanksgiving")."""
    mask = _two_photos_with_shadows()
    box = [((10.0, 10.0, 226.0, 106.0), 0.95)]
    row = [(35.0, 112.0, 85.0, 124.0), (145.0, 112.0, 195.0, 124.0)]
    got = sorted(b for b, _ in split_by_captions(mask, box, [], 20.0, row))
    assert len(got) == 2 and got[0][2] <= 117 and got[1][0] >= 119, got


def test_unlabelled_lines_not_in_one_row_split_nothing():
    mask = _two_photos_with_shadows()
    box = [((10.0, 10.0, 226.0, 106.0), 0.95)]
    stairs = [(35.0, 108.0, 85.0, 120.0), (145.0, 122.0, 195.0, 134.0)]  # a paragraph's lines
    assert split_by_captions(mask, box, [], 20.0, stairs) == box
    assert split_by_captions(mask, box, [], 20.0, stairs[:1]) == box


def _framed_photo(chart: bool = False) -> np.ndarray:
    """An ink mask of a newspaper photo in a ruled frame with four caption lines (words apart)
    and a short credit line under it, inside the frame; or (`chart`) a sparse chart in the frame
    with short tick numbers under it."""
    mask = np.zeros((300, 400), np.uint8)
    mask[0:2, :] = mask[-2:, :] = 1
    mask[:, 0:2] = mask[:, -2:] = 1
    if chart:
        mask[10:200, 40] = 1
        mask[200, 40:390] = 1
        for x in range(60, 380, 60):
            mask[120:200, x:x + 8] = 1
            mask[206:214, x - 4:x + 12] = 1
        return mask
    mask[6:200, 6:394] = 1
    for i in range(4):  # characters: strokes across, every other row
        top = 206 + 16 * i
        for x in range(10, 386, 16):
            mask[top:top + 10:2, x:x + 12] = 1
            mask[top:top + 10, x + 5] = 1
    for x in range(200, 386, 16):
        mask[270:280:2, x:x + 12] = 1
        mask[270:280, x + 5] = 1
    return mask


def test_caption_paragraph_inside_a_photo_frame_is_cut_off():
    """Regression (scan-zh-newspaper-farmers.pdf): the photo's box took in its four-line
    caption printed under it inside the same frame."""
    found = caption_paragraph(_framed_photo(), (0.0, 0.0, 400.0, 300.0), 6.0, 24.0, 30.0)
    assert found is not None
    picture, caption = found
    assert picture[3] <= 202 and picture[1] <= 8
    assert caption[1] >= 204 and caption[3] >= 278 and caption[0] >= 8 and caption[2] <= 392


def test_a_chart_and_its_tick_numbers_keep_their_box():
    assert caption_paragraph(_framed_photo(chart=True), (0.0, 0.0, 400.0, 300.0), 6.0, 24.0, 30.0) is None


# ---- generated scans, through extract and align ----------------------------------------------

def _build(tmp_path, case):
    truth = ocr_caption_cases.write_case(case, tmp_path)
    pages = list(extract_book(open_book(tmp_path / truth["file"]), CONFIG))
    return truth, pages, align_book(pages, AlignConfig())


def _row_for(alignment, bbox):
    rows = [p for p in alignment.pairs if box_iou(p.figure.bbox_pt, bbox) >= 0.8]
    return rows[0] if rows else None


@pytest.mark.parametrize("make", [ocr_caption_cases.shadow_row_case, ocr_caption_cases.figure_in_column_case,
                                  ocr_caption_cases.framed_caption_case],
                         ids=["shadow-row", "figure-in-column", "framed-caption"])
def test_generated_figure_gets_its_own_box_and_caption(tmp_path, make):
    truth, pages, alignment = _build(tmp_path, make())
    blocks = [(b.kind.value, b.text[:40]) for b in pages[0].blocks]
    figures = [f.bbox_pt for f in pages[0].figures]
    for fig in truth["figures"]:
        row = _row_for(alignment, fig["bbox"])
        assert row is not None, (fig["caption"][:30], figures, blocks)
        assert _norm(row.caption)[:12] == _norm(fig["caption"])[:12], (row.caption, blocks)
    assert not [b for b in pages[0].blocks if b.kind == BlockKind.TITLE and "\n" in b.text
                and len(b.text.splitlines()) > 4]
