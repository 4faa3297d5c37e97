"""Born-digital pages: each kind of embedded image, tiles, vectors, rotation, drops, text."""

from __future__ import annotations

import io

import numpy as np
import pymupdf
from PIL import Image

from culti.geometry import iou
from culti.records import BlockKind, FigureOrigin, PageKind, PageStatus, RejectReason, TextOrigin
from extract import ExtractConfig, extract_book, open_book
from tests.extract_fixtures import (
    CAPTION,
    FIG,
    clipped_pdf,
    encode,
    garbled_pdf,
    one_image_pdf,
    ornament_book_pdf,
    picture,
    rgba_png,
    rotated_pdf,
    strips_pdf,
    vector_pdf,
)

CONFIG = ExtractConfig(workers=1, progress=False)
RECT = tuple(FIG)


def _pages(path, config=CONFIG):
    return list(extract_book(open_book(path), config))


def _only_figure(path):
    (page,) = _pages(path)
    assert page.status == PageStatus.OK and page.kind == PageKind.DIGITAL
    assert len(page.figures) == 1, page.figures
    return page.figures[0]


def _pixels(fig) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(fig.image)).convert("RGB")).astype(int)


def test_jpeg_kept_byte_identical(tmp_path):
    data = encode(picture(300, 200), "JPEG", quality=83)
    fig = _only_figure(one_image_pdf(tmp_path / "jpeg.pdf", data))
    assert fig.image == data and fig.image_format == "jpeg"
    assert fig.origin == FigureOrigin.EMBEDDED and (fig.width, fig.height) == (300, 200)
    assert fig.bbox_pt == RECT


def test_png_pixels_exact(tmp_path):
    img = picture(300, 200, seed=1)
    fig = _only_figure(one_image_pdf(tmp_path / "png.pdf", encode(img, "PNG")))
    assert fig.image_format == "png" and fig.origin == FigureOrigin.EMBEDDED
    assert np.array_equal(_pixels(fig), np.asarray(img).astype(int))


def test_rgba_png_keeps_colour_and_alpha(tmp_path):
    data, rgba = rgba_png()
    fig = _only_figure(one_image_pdf(tmp_path / "rgba.pdf", data))
    out = np.asarray(Image.open(io.BytesIO(fig.image)).convert("RGBA")).astype(int)
    assert fig.image_format == "png" and out.shape == rgba.shape
    opaque = out[:, rgba.shape[1] // 2:]
    assert np.abs(opaque[:, :, :3] - [200, 40, 30]).max() <= 2  # red stays red
    assert opaque[:, :, 3].min() == 255 and out[:, : rgba.shape[1] // 2, 3].max() == 0


def test_cmyk_jpeg_not_inverted(tmp_path):
    img = picture(300, 200, seed=4)
    fig = _only_figure(one_image_pdf(tmp_path / "cmyk.pdf", encode(img.convert("CMYK"), "JPEG")))
    assert fig.image_format in ("jpeg", "png") and fig.origin == FigureOrigin.RENDERED
    diff = np.abs(_pixels(fig) - np.asarray(img.convert("CMYK").convert("RGB")).astype(int))
    assert diff.mean() < 25  # an inverted CMYK decode would be ~200 off


def test_jpx_converted_to_viewable_image(tmp_path):
    img = picture(300, 200, seed=6)
    fig = _only_figure(one_image_pdf(tmp_path / "jpx.pdf", encode(img, "JPEG2000")))
    assert fig.image_format in ("jpeg", "png") and (fig.width, fig.height) == (300, 200)
    assert np.abs(_pixels(fig) - np.asarray(img).astype(int)).mean() < 10


def test_clipped_image_renders_shown_region(tmp_path):
    path, shown = clipped_pdf(tmp_path / "clip.pdf")
    fig = _only_figure(path)
    assert fig.origin == FigureOrigin.RENDERED
    assert iou(fig.bbox_pt, tuple(shown)) > 0.98
    assert abs(fig.width / fig.height - shown.width / shown.height) < 0.05


def test_strips_merged_into_one_figure(tmp_path):
    fig = _only_figure(strips_pdf(tmp_path / "strips.pdf", pieces=4))
    assert fig.origin == FigureOrigin.RENDERED and iou(fig.bbox_pt, RECT) > 0.98
    expected = np.asarray(picture(300, 200, seed=7)).astype(int)
    got = np.asarray(Image.open(io.BytesIO(fig.image)).convert("RGB").resize((300, 200))).astype(int)
    assert np.abs(got - expected).mean() < 20


def test_vector_figure_rendered(tmp_path):
    fig = _only_figure(vector_pdf(tmp_path / "vector.pdf"))
    assert fig.origin == FigureOrigin.RENDERED and iou(fig.bbox_pt, RECT) > 0.95
    assert _pixels(fig).std() > 20  # the drawing is in it, not a blank render


def test_rotated_page_bbox_in_displayed_coordinates(tmp_path):
    path, displayed = rotated_pdf(tmp_path / "rot.pdf")
    (page,) = _pages(path)
    assert (page.width_pt, page.height_pt) == (842, 595)
    assert iou(page.figures[0].bbox_pt, tuple(displayed)) > 0.98
    caption = [b for b in page.blocks if CAPTION.split()[0] in b.text]
    assert caption and caption[0].bbox_pt[2] <= 842 and caption[0].bbox_pt[3] <= 595


def test_logo_repeated_and_background_rejected(tmp_path):
    pages = _pages(ornament_book_pdf(tmp_path / "orn.pdf", pages=4))
    assert [len(p.figures) for p in pages] == [1, 1, 1, 1]
    for p in pages:
        assert iou(p.figures[0].bbox_pt, RECT) > 0.98
        logos = [r for r in p.rejects if r.reason == RejectReason.REPEATED]
        assert len(logos) == 1 and iou(logos[0].bbox_pt, (40, 20, 90, 70)) > 0.9
    background = [r for r in pages[1].rejects if r.reason == RejectReason.BACKGROUND]
    assert len(background) == 1 and pages[1].kind == PageKind.DIGITAL


def test_small_image_rejected_too_small(tmp_path):
    path = one_image_pdf(tmp_path / "small.pdf", encode(picture(20, 20), "PNG"),
                         pymupdf.Rect(300, 300, 320, 320))
    (page,) = _pages(path)
    assert page.status == PageStatus.NO_FIGURES
    assert [r.reason for r in page.rejects] == [RejectReason.TOO_SMALL]


def test_text_blocks_paragraphs_caption_and_page_number(tmp_path):
    from tests.extract_fixtures import save, text_page

    doc = pymupdf.open()
    page = text_page(doc, caption_y=FIG.y1 + 20, page_no=7)
    page.insert_image(FIG, stream=encode(picture(300, 200), "JPEG"), keep_proportion=False)
    (out,) = _pages(save(doc, tmp_path / "text.pdf"))
    kinds = [b.kind for b in out.blocks]
    assert kinds == [BlockKind.CAPTION, BlockKind.TEXT, BlockKind.PAGE_NUMBER]
    assert out.blocks[0].text == CAPTION and out.blocks[0].font_size == 10.5
    assert out.blocks[1].text.count("\n") == 3 and out.blocks[2].text == "7"
    assert all(b.origin == TextOrigin.PDF for b in out.blocks)
    assert [b.index for b in out.blocks] == [0, 1, 2]


def test_garbled_text_layer_falls_back_to_ocr(tmp_path):
    (page,) = _pages(garbled_pdf(tmp_path / "garbled.pdf"))
    text = " ".join(b.text for b in page.blocks)
    assert all(b.origin == TextOrigin.OCR for b in page.blocks)
    assert "Silk" in text and "1234" in text and "\ue053" not in text


def test_pdfplumber_second_reading_used_when_pymupdf_text_broken(tmp_path):
    from extract.page import text_blocks

    doc = pymupdf.open(garbled_pdf(tmp_path / "g.pdf"))
    page = doc[0]

    class Plumber:  # a second reader that decodes the same page correctly
        def extract_words(self, **_):
            return [{"text": w, "x0": 72 + 60 * i, "x1": 120 + 60 * i, "top": 180.0,
                     "bottom": 208.0, "size": 28.0, "fontname": "Helvetica"}
                    for i, w in enumerate(["Silk", "pattern", "1234"])]

    textdict = page.get_text("dict")
    blocks, reading = text_blocks(page, textdict, CONFIG, Plumber())
    assert reading == "pdfplumber" and blocks[0].text == "Silk pattern 1234"
    blocks, reading = text_blocks(page, textdict, CONFIG, None)
    assert (blocks, reading) == ([], "")
