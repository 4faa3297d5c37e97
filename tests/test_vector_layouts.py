"""Issue 11 (extract side): figures made of vector drawings, one generated page per case.

Each test builds the vector-layouts book (culti.sample.vector_layouts), runs extract and align on
it and checks the figure box and caption of its case against the book's truth.
"""

from __future__ import annotations

import pytest

from align import AlignConfig, align_book
from align.geometry import iou
from culti.records import PageStatus
from culti.sample.vector_layouts import vector_layouts_pdf, write_vector_layouts
from extract import ExtractConfig, extract_book, open_book


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("vector-layouts")
    path, truth = write_vector_layouts(out, seed=0)
    pages = list(extract_book(open_book(path), ExtractConfig(workers=1, progress=False)))
    return truth, pages, align_book(pages, AlignConfig())


def _case(book, case, min_iou=0.8):
    """Return (truth, pair) for each figure of the case: exactly one pair matches its box."""
    truth, _, alignment = book
    out = []
    for t in (t for t in truth["figures"] if t["case"] == case):
        found = [p for p in alignment.pairs
                 if p.figure.page == t["page"] and iou(p.figure.bbox_pt, tuple(t["bbox"])) >= min_iou]
        assert len(found) == 1, (case, t["caption"], [
            (p.figure.bbox_pt, p.caption) for p in alignment.pairs if p.figure.page == t["page"]])
        assert found[0].caption.replace(" ", "") == t["caption"].replace(" ", ""), found[0].caption
        out.append((t, found[0]))
    assert out, case
    return out


def _figures_on(book, page):
    return [f.bbox_pt for p in book[1] if p.page == page for f in p.figures]


def test_stacked_chart_panels_are_one_figure_with_their_labels(book):
    (panels, pair), _ = _case(book, "chart-panels")
    # the tick labels and the rotated axis name left of the plots are inside the box
    assert pair.figure.bbox_pt[0] <= panels["bbox"][0] + 3
    assert len(_figures_on(book, panels["page"])) == 2  # three panels -> one figure, and Figure 4


def test_single_small_chart_is_a_figure(book):
    _, (single, pair) = _case(book, "chart-panels")
    assert pair.label == "图4"  # under 2 % of the page as drawn, above it with its labels


def test_drawings_over_small_images_are_one_figure(book):
    (t, pair), = _case(book, "drawings-over-images", min_iou=0.95)
    assert _figures_on(book, t["page"]) == [pair.figure.bbox_pt]  # no piece left over


def test_figures_split_at_their_frames(book):
    pairs = _case(book, "frame-split", min_iou=0.95)
    assert len({p.id for _, p in pairs}) == 2
    assert len(_figures_on(book, pairs[0][0]["page"])) == 2


def test_unused_clip_path_does_not_cut_a_picture(book):
    (t, pair), = _case(book, "unused-clip", min_iou=0.95)
    assert pair.label == "图7"


def test_stencil_mask_image_does_not_fail_its_page(book):
    (t, pair), = _case(book, "stencil-mask", min_iou=0.95)
    page = next(p for p in book[1] if p.page == t["page"])
    assert page.status == PageStatus.OK and not page.error
    assert pair.figure.image  # decoded, not lost


def test_slide_frame_around_a_picture_and_a_table_is_no_figure(book):
    (t, pair), = _case(book, "slide-frame", min_iou=0.95)
    assert len(_figures_on(book, t["page"])) == 1  # the picture, not the frame around the slide


def test_transparent_image_behind_a_picture_is_no_part_of_it(book):
    (t, pair), = _case(book, "transparent-box", min_iou=0.95)
    page = next(p for p in book[1] if p.page == t["page"])
    assert [r.reason.value for r in page.rejects] == ["ornament"]  # the invisible box


def test_vector_layouts_are_deterministic():
    assert vector_layouts_pdf(3)[0] == vector_layouts_pdf(3)[0]
