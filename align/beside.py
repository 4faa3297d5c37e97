"""Captions set beside a picture: a column of characters read top to bottom, a line standing
alone in the free column next to the picture."""

from __future__ import annotations

from collections.abc import Sequence

from align.geometry import h_overlap, v_overlap
from culti.records import PageExtract, PageKind, TextBlock, TextOrigin


def exact_page(page: PageExtract) -> bool:
    """Whether a page's OCR text has exact boxes, sizes and punctuation: an outline page's drawn
    vector characters (their boxes are the glyphs' own, glyphs inside pictures are never read),
    unlike what OCR finds on a scan."""
    return page.kind == PageKind.OUTLINE


def exact_geometry(b: TextBlock, page: PageExtract) -> bool:
    """Whether a block's box and size are exact: read from the text layer, or OCRed on an
    exact page (exact_page)."""
    return b.origin == TextOrigin.PDF or exact_page(page)


def is_vertical_column(b: TextBlock, page: PageExtract) -> bool:
    """A block with exact geometry that is one column of characters read top to bottom
    (vertical type, or a column of one-character lines that extract joined): tall, about one
    character wide."""
    x0, y0, x1, y1 = b.bbox_pt
    size = b.font_size or (x1 - x0)
    return (exact_geometry(b, page) and "\n" not in b.text.strip() and len(b.text.strip()) >= 3
            and x1 - x0 <= 1.6 * size and y1 - y0 >= 2.5 * (x1 - x0))


BESIDE_FAR_LINES = 4.0


def beside_alone(b: TextBlock, page: PageExtract, blocks: Sequence[TextBlock], line: float
                  ) -> tuple[str, ...]:
    """A one-line caption set beside a picture at a distance (a slide's caption in the free column
    next to the picture): wholly level with the picture, nothing between them on its line, and no
    text right over or under it (a heading or a paragraph's line has text under it)."""
    bb = b.bbox_pt
    if not exact_geometry(b, page):
        return ()  # OCR boxes of a lone line next to a photo are as often a label printed in it
    for f in page.figures:
        fb = f.bbox_pt
        if v_overlap(fb, bb) < 0.95 * (bb[3] - bb[1]):
            continue
        if 0 <= bb[0] - fb[2] <= BESIDE_FAR_LINES * line:
            rel, strip = "right", (fb[2], bb[1], bb[0], bb[3])
        elif 0 <= fb[0] - bb[2] <= BESIDE_FAR_LINES * line:
            rel, strip = "left", (bb[2], bb[1], fb[0], bb[3])
        else:
            continue
        others = [o.bbox_pt for o in blocks if o is not b and o.text.strip()]
        if any(h_overlap(strip, o) > 1 and v_overlap(strip, o) > 1 for o in others):
            continue
        near = [o for o in others if h_overlap(o, bb) > 0 and v_overlap(o, bb) <= 0
                and min(abs(o[1] - bb[3]), abs(bb[1] - o[3])) < 2 * line]
        if not near:
            return (rel, "beside-alone")
    return ()
