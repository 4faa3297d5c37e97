"""A small born-digital book of figures made of vector drawings, as real reports print them.

    from culti.sample.vector_layouts import write_vector_layouts
    pdf_path, truth_entry = write_vector_layouts(Path("out"), seed=0)

One case per page (issue 11, the extract side), drawn with PyMuPDF:

| page | case | what is drawn |
|---|---|---|
| 1 | chart-panels | three stacked line charts (frame, ticks, curve) whose tick labels, axis names and panel titles are text, one caption under all three; a single chart under it with its own caption |
| 2 | drawings-over-images | a join diagram: two small table pictures under drawn circles, an arrow and labels, in a frame of four thin bars over paper-white boxes |
| 3 | frame-split | two framed figures side by side, pictures and callouts spilling past their frames (clipped to them) until they touch; a caption under each |
| 4 | unused-clip | one picture (a table and a chart side by side) under its caption, a clip path set and dropped over its right part before it is drawn |
| 5 | stencil-mask | a black-and-white chart stored as a 1-bit /ImageMask image (no colour space of its own) |
| 6 | slide-frame | a slide in its frame: a picture with its caption, a drawn table whose rules end at the picture (the frame is no figure) |
| 7 | transparent-box | a text box exported as a fully transparent image behind a picture and its caption |

The truth entry follows the real corpus schema (`truth.json` version 2). A chart's box takes in
its tick labels and axis names; a framed figure's box is its frame. Same seed, byte-identical PDF.
"""

from __future__ import annotations

import io
import json
import zlib
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image, ImageDraw

BBox = tuple[float, float, float, float]
PAGE = (595.0, 842.0)
FILE = "vector-layouts-digital.pdf"
BOOK_ID = "vector-layouts"
CASES = ("chart-panels", "drawings-over-images", "frame-split", "unused-clip", "stencil-mask",
         "slide-frame", "transparent-box")
INK, BLUE, RED, ORANGE = (0, 0, 0), (0.1, 0.2, 0.9), (0.95, 0.45, 0.45), (1.0, 0.55, 0.1)
BODY = ("The measurements below were taken on the same set of samples as in the previous section. "
        "Each value is the mean of five runs; the spread between runs stayed under two percent. ")


class _Book:
    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng([seed, 12])
        self.doc = pymupdf.open()
        self.figures: list[dict] = []

    def page(self) -> pymupdf.Page:
        return self.doc.new_page(width=PAGE[0], height=PAGE[1])

    def text(self, page: pymupdf.Page, x: float, y: float, s: str, size: float = 9.0,
             font: str = "helv", rotate: int = 0) -> BBox:
        """Write one line with its baseline at y; return its box."""
        page.insert_text((x, y), s, fontsize=size, fontname=font, rotate=rotate)
        w = pymupdf.get_text_length(s, fontname=font, fontsize=size)
        if rotate == 90:
            return (x - 0.8 * size, y - w, x + 0.25 * size, y)
        return (x, y - 0.8 * size, x + w, y + 0.25 * size)

    def paragraph(self, page: pymupdf.Page, top: float, x0: float = 60, x1: float = 535) -> float:
        """Body prose in full lines from `top`; return its bottom."""
        rect = pymupdf.Rect(x0, top, x1, top + 60)
        page.insert_textbox(rect, BODY * 2, fontsize=10, fontname="helv")
        return rect.y1

    def picture(self, w: int, h: int, table: bool = False) -> bytes:
        """A seeded picture: a grid of table cells or soft colour blocks, as PNG bytes."""
        img = Image.new("RGB", (w, h), (250, 250, 250))
        d = ImageDraw.Draw(img)
        if table:
            for r in range(0, h, max(8, h // 6)):
                d.line([(0, r), (w, r)], fill=(90, 90, 90))
            for c in range(0, w, max(10, w // 4)):
                d.line([(c, 0), (c, h)], fill=(90, 90, 90))
        else:
            for _ in range(12):
                x, y = (int(v) for v in self.rng.integers(0, [w, h]))
                col = tuple(int(v) for v in self.rng.integers(40, 220, 3))
                d.rectangle([x, y, x + w // 3, y + h // 3], fill=col)
        buf = io.BytesIO()
        img.save(buf, "PNG")
        return buf.getvalue()

    def figure(self, page: pymupdf.Page, case: str, bbox: BBox, label: str, title: str,
               cap: BBox, position: str = "below", sep: str = " ") -> None:
        n = len(self.figures) + 1
        self.figures.append({
            "key": f"{BOOK_ID}-{n:03d}", "case": case, "page": page.number + 1,
            "bbox": [round(v, 2) for v in bbox], "label": label, "title": title,
            "caption": f"{label}{sep}{title}", "caption_page": page.number + 1,
            "caption_bbox": [round(v, 2) for v in cap], "caption_position": position,
            "description": "", "description_bbox": None, "composite": None, "crop_of": None,
            "subcaption": None})


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _chart(b: _Book, page: pymupdf.Page, plot: BBox, title: str, ys: list[float]) -> BBox:
    """A line chart: plot frame, ticks and a curve drawn; title, tick labels and axis names set
    as text. Return the box of all of it."""
    x0, y0, x1, y1 = plot
    s = page.new_shape()
    s.draw_rect(pymupdf.Rect(plot))
    for k in range(6):
        x = x0 + k * (x1 - x0) / 5
        s.draw_line((x, y1), (x, y1 - 3))
    for k in range(3):
        y = y1 - k * (y1 - y0) / 2
        s.draw_line((x0, y), (x0 + 3, y))
    s.finish(color=INK, width=0.5)
    pts = [(x0 + k * (x1 - x0) / (len(ys) - 1), y1 - v * (y1 - y0)) for k, v in enumerate(ys)]
    s.draw_polyline(pts)
    s.finish(color=BLUE, width=1)
    s.draw_line((x0, y0 + 0.3 * (y1 - y0)), (x1, y0 + 0.3 * (y1 - y0)))
    s.finish(color=INK, width=0.5, dashes="[2] 0")
    s.commit()
    boxes = [plot, b.text(page, (x0 + x1) / 2 - 18, y0 - 3, title, 7)]
    for k in range(6):
        boxes.append(b.text(page, x0 + k * (x1 - x0) / 5 - 4, y1 + 8, f"{k * 0.2:.1f}", 6))
    for k in range(3):
        boxes.append(b.text(page, x0 - 9, y1 - k * (y1 - y0) / 2 + 2, str(k), 6))
    boxes.append(b.text(page, (x0 + x1) / 2, y1 + 16, "lambda", 6))
    boxes.append(b.text(page, x0 - 13, (y0 + y1) / 2 + 8, "MSE", 6, rotate=90))
    return _union(boxes)


def _chart_panels(b: _Book) -> None:
    page = b.page()
    bottom = b.paragraph(page, 60)
    boxes, top = [], bottom + 20
    for noise in ("0", "20", "40"):
        ys = sorted(b.rng.uniform(0.1, 0.9, 8), reverse=noise == "40")
        boxes.append(_chart(b, page, (330, top, 520, top + 42), f"Noise: {noise}", ys))
        top = boxes[-1][3] + 9
    fig = _union(boxes)
    title = "Performance of temporal matching at different levels of noise."
    cap = b.text(page, 300, fig[3] + 16, f"Figure 3: {title}", 8)
    b.figure(page, "chart-panels", fig, "Figure 3", title, cap, sep=": ")
    single = _chart(b, page, (330, cap[3] + 40, 520, cap[3] + 80), "Noise: 60",
                    list(np.linspace(0.2, 0.8, 6)))
    title = "Optimal values of the feedback coefficient."
    cap = b.text(page, 300, single[3] + 16, f"Figure 4: {title}", 8)
    b.figure(page, "chart-panels", single, "Figure 4", title, cap, sep=": ")
    b.paragraph(page, cap[3] + 30)


def _drawings_over_images(b: _Book) -> None:
    page = b.page()
    bottom = b.paragraph(page, 60)
    frame = (137.0, bottom + 20, 465.0, bottom + 230)
    x0, y0, x1, y1 = frame
    s = page.new_shape()
    for k in range(4):  # paper-white boxes behind the art, as office tools export them
        s.draw_rect(pymupdf.Rect(x0, y0 + k * (y1 - y0) / 4, x1, y0 + (k + 1) * (y1 - y0) / 4))
    s.finish(fill=(1, 1, 1), color=None, width=0)
    s.draw_circle((250, (y0 + y1) / 2), 80)
    s.finish(fill=(0.6, 0.7, 0.9), color=INK, width=0.5)
    s.draw_circle((350, (y0 + y1) / 2), 80)
    s.finish(fill=RED, color=INK, width=0.5, fill_opacity=0.8)
    s.commit()
    for pos in ((150, y0 + 30), (330, y0 + 150)):  # each across a circle's edge
        rect = pymupdf.Rect(pos[0], pos[1], pos[0] + 80, pos[1] + 40)
        page.insert_image(rect, stream=b.picture(160, 80, table=True), keep_proportion=False)
    s = page.new_shape()
    mid = (y0 + y1) / 2
    s.draw_polyline([(150, mid - 8), (245, mid - 8), (245, mid - 16), (265, mid), (245, mid + 16),
                     (245, mid + 8), (150, mid + 8)])
    s.finish(fill=(1, 1, 1), color=INK, width=0.8, closePath=True)
    for bar in ((x0, y0, x1, y0 + 0.5), (x1 - 0.5, y0, x1, y1), (x0, y1 - 0.5, x1, y1),
                (x0, y0, x0 + 0.5, y1)):
        s.draw_rect(pymupdf.Rect(bar))
    s.finish(fill=INK, color=None, width=0)
    s.commit()
    b.text(page, 155, mid + 3, "Result of intersection", 7)
    b.text(page, 225, y1 - 10, "Set A", 12)
    b.text(page, 335, y1 - 10, "Set B", 12)
    title = "Inner join without RCAC permission"
    cap = b.text(page, x0, y1 + 12, f"Figure 6-8 {title}", 8)
    b.figure(page, "drawings-over-images", frame, "Figure 6-8", title, cap)
    b.paragraph(page, cap[3] + 30)


def _framed(b: _Book, page: pymupdf.Page, frame: BBox, spill: float) -> None:
    """A picture over drawn callouts (leader lines, label boxes) drawn past `frame` by `spill`
    pt, shown through the frame only."""
    src = pymupdf.open()
    w, h = frame[2] - frame[0] + 2 * spill, frame[3] - frame[1] + 2 * spill
    sp = src.new_page(width=w, height=h)
    inner = h - 2 * spill
    sp.insert_image(pymupdf.Rect(0, spill + 8, w, spill + 0.5 * inner), stream=b.picture(300, 200),
                    keep_proportion=False)
    s = sp.new_shape()
    for k in range(5):  # leader lines from the picture to the labels, running off the frame
        s.draw_line((spill + 20 + 30 * k, spill + 0.45 * inner), (w, spill + 0.6 * inner + 12 * k))
    s.finish(color=ORANGE, width=1)
    for k in range(3):
        top = spill + 0.62 * inner + k * 0.12 * inner
        s.draw_rect(pymupdf.Rect(spill + 12, top, spill + 100, top + 12))
    s.finish(fill=(0.74, 0.74, 0.75), color=None)
    s.draw_circle((spill + 0.6 * (w - 2 * spill), spill + 0.8 * inner), 0.12 * inner)
    s.finish(fill=(0.42, 0.34, 0.21), color=INK, width=0.8)
    s.commit()
    clip = pymupdf.Rect(spill, spill, w - spill, h - spill)
    page.show_pdf_page(pymupdf.Rect(frame), src, 0, clip=clip)
    page.draw_rect(pymupdf.Rect(frame), color=INK, width=0.6)


def _frame_split(b: _Book) -> None:
    page = b.page()
    bottom = b.paragraph(page, 60)
    left = (72.0, bottom + 100, 309.0, bottom + 262)
    right = (321.0, bottom + 20, 558.0, bottom + 262)
    for frame, label, title in ((left, "Figure 7-26.", "Self-locking nuts."),
                                (right, "Figure 7-27.", "Stainless steel self-locking nut.")):
        _framed(b, page, frame, spill=14)
        cap = b.text(page, frame[0], frame[3] + 12, f"{label} {title}", 8, font="tiro")
        b.figure(page, "frame-split", frame, label, title, cap)


def _unused_clip(b: _Book) -> None:
    page = b.page()
    bottom = b.paragraph(page, 60)
    title = "盈利预测假设拆分"
    cap = b.text(page, 57, bottom + 30, f"图7：{title}", 9, font="china-s")
    rect = pymupdf.Rect(57, cap[3] + 4, 554, cap[3] + 316)
    # a clip path over the right part, set and dropped with nothing drawn in it
    xref = page.get_contents()[-1]
    b.doc.update_stream(xref, b.doc.xref_stream(xref) + b"\nq 395 0 600 842 re W n Q\n")
    pic = np.concatenate([np.asarray(Image.open(io.BytesIO(b.picture(300, 300, table=True)))),
                          np.asarray(Image.open(io.BytesIO(b.picture(300, 300))))], axis=1)
    buf = io.BytesIO()
    Image.fromarray(pic).save(buf, "PNG")
    page.insert_image(rect, stream=buf.getvalue(), keep_proportion=False)
    s = page.new_shape()
    s.draw_line((57, rect.y0), (554, rect.y0))
    s.draw_line((57, rect.y1), (554, rect.y1))
    s.finish(color=INK, width=0.5)
    s.commit()
    b.figure(page, "unused-clip", tuple(rect), "图7", title, cap, position="above", sep="：")
    b.paragraph(page, rect.y1 + 30)


def _stencil_mask(b: _Book) -> None:
    page = b.page()
    bottom = b.paragraph(page, 60)
    w, h = 400, 600
    img = Image.new("1", (w, h), 1)
    d = ImageDraw.Draw(img)
    for k in range(3):
        top = 20 + k * 200
        d.rectangle([40, top, 390, top + 160], outline=0, width=2)
        ys = np.sort(b.rng.uniform(0, 150, 12))
        d.line([(40 + 29 * i, top + 155 - y) for i, y in enumerate(ys)], fill=0, width=3)
    rect = pymupdf.Rect(47, bottom + 20, 263, bottom + 20 + 216 * h / w)
    bits = zlib.compress(img.tobytes())  # a 0 bit paints (the default /Decode): ink is 0 here
    xref = b.doc.get_new_xref()
    b.doc.update_object(xref, f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} "
                              "/BitsPerComponent 1 /ImageMask true "
                              "/Filter /FlateDecode /Length 0 >>")
    b.doc.update_stream(xref, bits, compress=False)
    b.doc.xref_set_key(xref, "Filter", "/FlateDecode")
    kind, res = b.doc.xref_get_key(page.xref, "Resources")
    if kind == "xref":  # an indirect resources dictionary (the page holds text only)
        b.doc.xref_set_key(int(res.split()[0]), "XObject/Im9", f"{xref} 0 R")
    else:
        b.doc.xref_set_key(page.xref, "Resources/XObject/Im9", f"{xref} 0 R")
    cont = page.get_contents()[-1]
    draw = f"\nq {rect.width} 0 0 {rect.height} {rect.x0} {PAGE[1] - rect.y1} cm /Im9 Do Q\n"
    b.doc.update_stream(cont, b.doc.xref_stream(cont) + draw.encode())
    title = "Number of zero flow days for average rainfall following afforestation."
    cap = b.text(page, 47, rect.y1 + 14, f"Fig. 5. {title}", 8, font="tiro")
    b.figure(page, "stencil-mask", tuple(rect), "Fig. 5.", title, cap)


def _slide_frame(b: _Book) -> None:
    """A slide printed in its frame: title, a picture with its caption, a drawn table whose rules
    end at the picture's edge. The frame is no figure; the picture is."""
    page = b.page()
    frame = pymupdf.Rect(30, 68, 510, 338)
    page.draw_rect(frame, color=(0.6, 0.6, 0.6), width=0.8)
    b.text(page, 45, 92, "Results", 16)
    rect = pymupdf.Rect(40, 104, 289, 300)
    page.insert_image(rect, stream=b.picture(500, 400), keep_proportion=False)
    s = page.new_shape()
    for k in range(6):  # one path per rule, as office tools write them
        s.draw_line((289, 120 + 25 * k), (500, 120 + 25 * k))
        s.finish(color=INK, width=0.6)
    s.draw_line((380, 120), (380, 245))
    s.finish(color=INK, width=0.6)
    s.commit()
    for k in range(5):
        b.text(page, 300, 138 + 25 * k, f"Method {k + 1}", 8)
        b.text(page, 400, 138 + 25 * k, f"{20 + k}.{k}", 8)
    title = "Restoration results compared"
    cap = b.text(page, 110, 314, f"Figure 9 {title}", 9)
    b.figure(page, "slide-frame", tuple(rect), "Figure 9", title, cap)


def _transparent_box(b: _Book) -> None:
    """A text frame exported as a fully transparent image behind a picture and its caption (a
    word processor's text box): the picture alone is the figure, the caption stays text."""
    page = b.page()
    bottom = b.paragraph(page, 60)
    box = pymupdf.Rect(172, bottom + 20, 424, bottom + 200)
    buf = io.BytesIO()
    Image.new("RGBA", (500, 360), (0, 0, 0, 0)).save(buf, "PNG")
    page.insert_image(box, stream=buf.getvalue(), keep_proportion=False)
    rect = pymupdf.Rect(202, box.y0 + 3, 413, box.y0 + 153)
    page.insert_image(rect, stream=b.picture(420, 300), keep_proportion=False)
    title = "A cow in the field"
    cap = b.text(page, 240, rect.y1 + 14, f"Figure 1.1 {title}", 9)
    b.figure(page, "transparent-box", tuple(rect), "Figure 1.1", title, cap)
    b.paragraph(page, box.y1 + 20)


def vector_layouts_pdf(seed: int = 0) -> tuple[bytes, dict]:
    """Given a seed, return the vector-layouts PDF bytes and its truth entry (version 2)."""
    b = _Book(seed)
    for make in (_chart_panels, _drawings_over_images, _frame_split, _unused_clip, _stencil_mask,
                 _slide_frame, _transparent_box):
        make(b)
    b.doc.set_metadata({"creator": "culti sample", "producer": "culti sample"})
    data = b.doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    truth = {"file": FILE, "book_id": BOOK_ID, "kind": "digital", "domain": "other",
             "page_count": b.doc.page_count, "page_size_pt": list(PAGE), "figures": b.figures,
             "not_figures": [], "neutral": []}
    return data, truth


def write_vector_layouts(out_dir: Path, seed: int = 0) -> tuple[Path, dict]:
    """Given a folder, write vector-layouts-digital.pdf and vector-layouts-truth.json; return the
    PDF path and the truth entry."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data, truth = vector_layouts_pdf(seed)
    path = out_dir / FILE
    path.write_bytes(data)
    (out_dir / "vector-layouts-truth.json").write_text(
        json.dumps({"version": 2, "seed": seed, "books": [truth]}, ensure_ascii=False, indent=1)
        + "\n", encoding="utf-8")
    return path, truth
