"""Write a born-digital PDF from page plans: a china-s text layer and embedded images whose streams
are the encoded files (JPEG stays DCT), PNG with alpha, image tiles and vector figures."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pymupdf
from PIL import Image

from culti.sample.attributes import SilkAttrs
from culti.sample.book import Picture
from culti.sample.layout import Deco, Layout, Place, Text
from culti.sample.motifs import draw_silk
from culti.sample.murals import draw_mural
from culti.sample.vector import draw_lotus_ornament, draw_vector_figure, logo_png

INK = (0.1, 0.09, 0.08)
FIXED_METADATA = {"title": "", "author": "", "subject": "", "keywords": "", "creator": "culti sample",
                  "producer": "culti sample", "creationDate": "", "modDate": ""}


def render_picture(pic: Picture) -> np.ndarray:
    """Given a picture spec, return its pixels (RGB or RGBA), the same every time."""
    if pic.source is not None:  # an enlarged detail of another picture
        whole = render_picture(pic.source)[..., :3]
        h, w = whole.shape[:2]
        x0, y0, x1, y1 = pic.crop
        part = whole[int(y0 * h):int(y1 * h), int(x0 * w):int(x1 * w)]
        return cv2.resize(np.ascontiguousarray(part), (pic.width, pic.height), interpolation=cv2.INTER_CUBIC)
    rng = np.random.default_rng(pic.seed)
    if isinstance(pic.attrs, SilkAttrs):
        return draw_silk(pic.attrs, pic.width, pic.height, rng)
    return draw_mural(pic.attrs, pic.width, pic.height, rng)


def encode(pixels: np.ndarray, fmt: str, quality: int = 88) -> bytes:
    """Given RGB(A) pixels, return JPEG or PNG bytes (deterministic encoders, no metadata)."""
    if fmt == "jpeg":
        ok, buf = cv2.imencode(".jpg", cv2.cvtColor(pixels[..., :3], cv2.COLOR_RGB2BGR),
                               [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:
            raise RuntimeError("JPEG encoding failed")
        return buf.tobytes()
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _tile_rows(height: int, n: int) -> list[int]:
    return [round(height * k / n) for k in range(n + 1)]


def _insert_figure(page: pymupdf.Page, place: Place) -> None:
    fig, rect = place.figure, pymupdf.Rect(place.rect)
    pic = fig.picture
    if pic.kind == "vector":
        draw_vector_figure(page, rect, pic.attrs, np.random.default_rng(pic.seed))
        return
    pixels = render_picture(pic)
    if pic.kind == "tiles":  # 2-3 horizontal strips that meet exactly: one figure in pieces
        n = 2 + pic.seed % 2
        rows = _tile_rows(pixels.shape[0], n)
        for k in range(n):
            y0 = rect.y0 + rect.height * rows[k] / pixels.shape[0]
            y1 = rect.y0 + rect.height * rows[k + 1] / pixels.shape[0]
            strip = pixels[rows[k]:rows[k + 1], :, :3]
            page.insert_image(pymupdf.Rect(rect.x0, y0, rect.x1, y1), stream=encode(strip, "jpeg"),
                              keep_proportion=False)
        return
    if pic.kind == "png-rgba":
        data = encode(pixels, "png")
    elif pic.kind == "png":
        data = encode(pixels[..., :3], "png")
    else:
        data = encode(pixels[..., :3], "jpeg", quality=80 + pic.seed % 15)
    page.insert_image(rect, stream=data, keep_proportion=False)


def _spacing(run: tuple[Text, ...]) -> float:
    return (run[1].y - run[0].y) / run[0].size if len(run) > 1 else 1.0


def _group_lines(items: list) -> list:
    """Runs of Text items with one x, one size and even baseline steps become one tuple."""
    out: list = []
    for item in items:
        prev = out[-1] if out and isinstance(out[-1], tuple) else None
        if isinstance(item, Text):
            if prev and prev[-1].x == item.x and prev[-1].size == item.size and item.y > prev[-1].y and \
                    (len(prev) == 1 or abs((item.y - prev[-1].y) - (prev[1].y - prev[0].y)) < 1e-6):
                out[-1] = (*prev, item)
            else:
                out.append((item,))
        else:
            out.append(item)
    return out


def write_digital(layout: Layout, page_size: tuple[float, float]) -> bytes:
    """Given a book's layout, return the bytes of its born-digital PDF (byte-identical per layout)."""
    doc = build_digital(layout, page_size)
    data = doc.tobytes(garbage=1, deflate=True, no_new_id=True, compression_effort=20)
    doc.close()
    return data


def build_digital(layout: Layout, page_size: tuple[float, float]) -> pymupdf.Document:
    """Given a book's layout, return the open born-digital document, its metadata fixed."""
    doc = pymupdf.open()
    logo = logo_png()
    font_xref = 0
    for plan in layout.pages:
        page = doc.new_page(width=page_size[0], height=page_size[1])
        if font_xref:  # share the first page's china-s font: MuPDF would build it again per page
            kind, res = doc.xref_get_key(page.xref, "Resources")
            target = int(res.split()[0]) if kind == "xref" else page.xref
            doc.xref_set_key(target, "Font" if kind == "xref" else "Resources/Font", f"<</china-s {font_xref} 0 R>>")
        else:
            font_xref = page.insert_font(fontname="china-s")
        for item in _group_lines(plan.items):
            if isinstance(item, tuple):  # lines of one column: one call, as a typesetter would
                first = item[0]
                page.insert_text((first.x, first.y), [t.text for t in item], fontname="china-s",
                                 fontsize=first.size, lineheight=_spacing(item), color=INK)
            elif isinstance(item, Place):
                _insert_figure(page, item)
            elif isinstance(item, Deco) and item.kind == "rule":
                page.draw_line((item.rect[0], item.rect[1]), (item.rect[2], item.rect[3]), color=INK, width=0.6)
            elif isinstance(item, Deco) and item.kind == "lotus":
                draw_lotus_ornament(page, pymupdf.Rect(item.rect))
            elif isinstance(item, Deco) and item.kind == "logo":
                page.insert_image(pymupdf.Rect(item.rect), stream=logo, keep_proportion=False)
    doc.set_metadata(FIXED_METADATA)
    return doc
