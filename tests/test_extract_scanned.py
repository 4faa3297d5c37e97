"""Scanned and mixed pages: deskew, figure box from the scan, caption read by OCR."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from culti.geometry import iou
from culti.records import BlockKind, FigureOrigin, PageKind, PageStatus, TextOrigin
from culti.scoring import normalize
from extract import ExtractConfig, extract_book, open_book
from tests.extract_fixtures import BODY, CAPTION, scanned_pdf

CONFIG = ExtractConfig(workers=1, progress=False)


def test_skewed_scan_figure_and_caption(tmp_path):
    path, truth = scanned_pdf(tmp_path / "scan.pdf", angle=2.5)
    (page,) = list(extract_book(open_book(path), CONFIG))
    assert page.kind == PageKind.SCANNED and page.status == PageStatus.OK
    assert len(page.figures) == 1
    fig = page.figures[0]
    assert fig.origin == FigureOrigin.SCAN_CROP and fig.image_format == "jpeg"
    assert iou(fig.bbox_pt, truth) >= 0.9, fig.bbox_pt
    # native resolution: the scan is 150 dpi, so 300 pt wide is about 625 px
    assert abs(fig.width - 300 * 150 / 72) < 0.1 * fig.width
    crop = np.asarray(Image.open(io.BytesIO(fig.image)).convert("RGB")).astype(int)
    assert crop.std() > 20
    captions = [b for b in page.blocks if normalize(CAPTION) in normalize(b.text)]
    assert len(captions) == 1 and captions[0].origin == TextOrigin.OCR
    assert normalize(captions[0].text) == normalize(CAPTION)
    assert captions[0].kind == BlockKind.CAPTION  # labelled line right under the figure
    assert captions[0].bbox_pt[1] > fig.bbox_pt[3] - 5
    body = [b for b in page.blocks if normalize(BODY)[:10] in normalize(b.text)]
    assert body and all(b.bbox_pt[1] > captions[0].bbox_pt[1] for b in body)


def test_mixed_page_uses_text_layer_and_scan(tmp_path):
    path, truth = scanned_pdf(tmp_path / "mixed.pdf", angle=0.0, with_text_layer=True)
    (page,) = list(extract_book(open_book(path), CONFIG))
    assert page.kind == PageKind.MIXED and len(page.figures) == 1
    assert iou(page.figures[0].bbox_pt, truth) >= 0.9
    pdf_blocks = [b for b in page.blocks if b.origin == TextOrigin.PDF]
    assert pdf_blocks and BODY in pdf_blocks[0].text
    ocr_text = [normalize(b.text) for b in page.blocks if b.origin == TextOrigin.OCR]
    assert normalize(CAPTION) in ocr_text
    assert not any(normalize(BODY)[:10] in t for t in ocr_text)  # not read twice


def test_overlapping_text_regions_read_each_line_once(tmp_path):
    """Regression: two layout regions whose padded crops share a line gave that line twice."""
    import pymupdf

    from extract.scanned import load_scan, ocr_regions

    path, _ = scanned_pdf(tmp_path / "scan.pdf", angle=0.0)
    doc = pymupdf.open(path)
    page = doc[0]
    scan = load_scan(page, doc, CONFIG)
    whole = (0, 0, scan.image.shape[1], scan.image.shape[0])
    lower_half = (0, scan.image.shape[0] // 2, scan.image.shape[1], scan.image.shape[0])
    def read(regions):
        blocks = ocr_regions(scan.image, regions, [], scan, 1.0, CONFIG, page)
        return "".join(normalize(b.text) for b in blocks)

    once = read([("text", whole)])
    twice = read([("text", whole), ("text", lower_half)])
    assert once.count(normalize(CAPTION)) == 1
    assert len(twice) == len(once)  # nothing of the lower half read a second time


def test_side_by_side_paragraphs_stay_apart_but_line_pieces_merge():
    """Regression: two description paragraphs in two columns were merged as 'pieces of one line',
    so OCR joined their rows and a description ran into its neighbour's."""
    from extract.regions import merge_text_regions

    line_px = 24 * 150 / 72
    left_para = ("text", (100.0, 800.0, 500.0, 900.0))  # about 3 lines at 150 dpi
    right_para = ("text", (560.0, 800.0, 960.0, 880.0))
    label = ("text", (100.0, 700.0, 180.0, 725.0))
    title = ("text", (220.0, 700.0, 400.0, 726.0))
    merged = merge_text_regions([left_para, right_para, label, title], max_line_px=line_px)
    boxes = sorted(b for _, b in merged)
    assert (100.0, 700.0, 400.0, 726.0) in boxes  # label and title: one caption line
    assert left_para[1] in boxes and right_para[1] in boxes


def test_caption_band_stays_apart_from_the_caption_box_around_it():
    """Regression (scan-zh-broker-report-page.pdf): the layout model boxed a key-figures table
    and the chart title band under it as one figure_caption, and the band again on its own; the
    merge made one block, table cells and title together, so the chart lost its caption. A
    one-line caption box at the edge of one several lines taller stays a block of its own; a
    caption box that only overlaps another in its middle still merges."""
    from extract.regions import merge_text_regions

    table_and_band = ("figure_caption", (30.0, 790.0, 370.0, 936.0))  # px at 150 dpi
    band = ("figure_caption", (32.0, 906.0, 366.0, 936.0))
    merged = merge_text_regions([table_and_band, band], max_line_px=60.0)
    assert sorted(b for _, b in merged) == sorted([table_and_band[1], band[1]])
    middle = ("figure_caption", (32.0, 850.0, 366.0, 880.0))
    assert len(merge_text_regions([table_and_band, middle], max_line_px=60.0)) == 1


def _line_scan(tmp_path, text: str):
    """A scan (150 dpi image page) of one printed line: (page, doc, work image, ink columns)."""
    import pymupdf

    from extract.scanned import foreground, load_scan

    src = pymupdf.open()
    p = src.new_page(width=420, height=60)
    p.insert_text((20, 36), text, fontsize=16, fontname="helv")
    png = p.get_pixmap(dpi=150).tobytes("png")
    doc = pymupdf.open()
    doc.new_page(width=420, height=60).insert_image(pymupdf.Rect(0, 0, 420, 60), stream=png)
    doc.save(tmp_path / "line.pdf")
    doc = pymupdf.open(tmp_path / "line.pdf")
    scan = load_scan(doc[0], doc, CONFIG)
    cols = np.flatnonzero(foreground(scan.image).any(axis=0))
    return doc, scan, cols


def test_final_full_stop_at_a_tight_region_edge_is_read(tmp_path):
    """Regression (scan-en-probability-book-page.pdf): the layout's caption box ended at the
    final "." and the recogniser, given the line at its crop's very edge, dropped it."""
    from extract.scanned import ocr_regions

    text = "Figure 10. The binary symmetric channel."
    doc, scan, cols = _line_scan(tmp_path, text)
    gaps = np.flatnonzero(np.diff(cols) > 1)
    dot_start = int(cols[gaps[-1] + 1])  # the last ink run is the full stop
    mask_rows = np.flatnonzero((scan.image.min(axis=2) < 128).any(axis=1))
    region = (float(cols[0]), float(mask_rows[0]), float(dot_start - 6), float(mask_rows[-1] + 1))
    (block,) = ocr_regions(scan.image, [("figure_caption", region)], [], scan, 1.0, CONFIG, doc[0])
    assert block.text == text
    # a line whose end is the next region's word keeps its first reading (no text is borrowed)
    doc, scan, cols = _line_scan(tmp_path, "Figure 10. The binary symmetric channel and more")
    gaps = np.flatnonzero(np.diff(cols) > 8)  # word gaps
    word_start = int(cols[gaps[-1] + 1])
    region = (float(cols[0]), float(mask_rows[0]), float(word_start - 6), float(mask_rows[-1] + 1))
    (block,) = ocr_regions(scan.image, [("figure_caption", region)], [], scan, 1.0, CONFIG, doc[0])
    assert "more" not in block.text


def test_headline_boxed_as_a_figure_is_text_and_a_silk_band_stays_a_picture(tmp_path):
    """Regression (scan-rendered-dunhuang-mural-slides-zh.pdf, divider slides): a title in large
    type on a tinted slide was a layout figure box over a picture blob (the mask sees the tint,
    not the letters): the title became a picture with its subtitle as caption. A long thin silk
    band, as wide against its height, stays a picture."""
    import pymupdf

    from culti.sample.ocr_cases import _jpeg
    from extract.scanned import drop_headlines

    src = pymupdf.open()
    p = src.new_page(width=600, height=300)
    p.draw_rect(pymupdf.Rect(20, 20, 580, 280), color=(0.6, 0.6, 0.6), fill=(0.94, 0.94, 0.94))
    assert p.insert_textbox(pymupdf.Rect(40, 30, 560, 120), "核心算法及实验结果", fontname="china-s",
                            fontsize=40, align=1) >= 0
    p.insert_image(pymupdf.Rect(60, 150, 540, 250), stream=_jpeg(7, 960, 200))
    pix = p.get_pixmap(dpi=150)
    work = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.h, pix.w, pix.n)[:, :, :3].copy()
    k = 150 / 72
    ys, xs = np.nonzero(work[: int(130 * k)].min(axis=2) < 100)  # the title's glyphs
    title = (float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1))
    band = (60 * k, 150 * k, 540 * k, 250 * k)
    kept, headlines = drop_headlines(work, [(title, 0.95), (band, 0.95)], CONFIG)
    assert headlines == [title]
    assert kept == [(band, 0.95)]
