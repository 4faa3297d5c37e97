"""Small generated PDFs, one per case the extract stage must handle (built in tmp dirs)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image

BODY = "这是一段关于丝绸纹样的描述文字，唐代织物以团窠纹样最为典型，色彩华丽。"
CAPTION = "图3-14  团窠对鸟纹"


def picture(w: int = 240, h: int = 160, seed: int = 0, mode: str = "RGB") -> Image.Image:
    """A textured picture (smooth colour gradients plus blobs) that compresses like a photo."""
    rng = np.random.RandomState(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.stack([128 + 100 * np.sin(xx / (17 + 5 * c) + yy / (23 + 3 * c) + c + seed)
                     for c in range(3)], axis=2)
    base += rng.normal(0, 6, base.shape)
    img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")
    return img.convert(mode) if mode != "RGB" else img


def encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def text_page(doc: pymupdf.Document, width: float = 595, height: float = 842,
              caption_y: float | None = None, body_y: float = 560, page_no: int | None = None
              ) -> pymupdf.Page:
    """A page with body text (and a caption line at caption_y) in the built-in CJK font."""
    page = doc.new_page(width=width, height=height)
    if caption_y is not None:
        page.insert_text((72, caption_y), CAPTION, fontname="china-s", fontsize=10.5)
    for i in range(4):
        page.insert_text((72, body_y + 18 * i), BODY, fontname="china-s", fontsize=11)
    if page_no is not None:
        page.insert_text((width / 2 - 6, height - 30), str(page_no), fontsize=9)
    return page


def save(doc: pymupdf.Document, path: Path) -> Path:
    doc.save(path)
    doc.close()
    return path


def scanned_pdf(path: Path, angle: float = 2.0, dpi: int = 150, with_text_layer: bool = False
                ) -> tuple[Path, tuple[float, float, float, float]]:
    """A one-page scan: a digital page (figure + caption + text) rendered, tilted by `angle`
    degrees, JPEG-encoded and placed as the whole page; returns the path and the figure bbox."""
    src = pymupdf.open()
    page = text_page(src, caption_y=420, body_y=470)
    fig = pymupdf.Rect(120, 120, 420, 400)
    page.insert_image(fig, stream=encode(picture(300, 280, seed=3), "PNG"))
    pix = page.get_pixmap(dpi=dpi)
    img = Image.frombytes("RGB", (pix.w, pix.h), pix.samples)
    img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=(250, 248, 240))
    arr = np.asarray(img).astype(np.int16)
    paper = (arr.min(axis=2) > 235)[..., None]  # tint white paper like an old page
    arr = np.where(paper, np.array([246, 242, 230]), arr)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    out = pymupdf.open()
    scan_page = out.new_page(width=595, height=842)
    scan_page.insert_image(scan_page.rect, stream=encode(img, "JPEG", quality=90))
    if with_text_layer:
        for i in range(4):
            scan_page.insert_text((72, 470 + 18 * i), BODY, fontname="china-s", fontsize=11,
                                  render_mode=3)
    src.close()
    return save(out, path), (fig.x0, fig.y0, fig.x1, fig.y1)


FIG = pymupdf.Rect(120, 120, 420, 320)  # where single-figure cases place their figure


def one_image_pdf(path: Path, data: bytes, rect: pymupdf.Rect = FIG) -> Path:
    """A text page with one embedded image stream (JPEG, PNG, JPX...) at `rect`."""
    doc = pymupdf.open()
    page = text_page(doc, caption_y=rect.y1 + 20)
    page.insert_image(rect, stream=data, keep_proportion=False)
    return save(doc, path)


def rgba_png(w: int = 240, h: int = 160) -> tuple[bytes, np.ndarray]:
    """An RGBA PNG: a pure colour picture whose left half is transparent; returns bytes and RGBA."""
    rgba = np.zeros((h, w, 4), np.uint8)
    rgba[:, :, 0], rgba[:, :, 1], rgba[:, :, 2] = 200, 40, 30  # a red that must stay red
    rgba[:, : w // 2, 3] = 0
    rgba[:, w // 2:, 3] = 255
    return encode(Image.fromarray(rgba, "RGBA"), "PNG"), rgba


def clipped_pdf(path: Path) -> tuple[Path, pymupdf.Rect]:
    """An image placed at FIG but clipped to its top-left quarter; returns the shown rect."""
    doc = pymupdf.open()
    page = text_page(doc, caption_y=360)
    page.insert_image(FIG, stream=encode(picture(300, 200, seed=5), "JPEG"), keep_proportion=False)
    shown = pymupdf.Rect(FIG.x0, FIG.y0, FIG.x0 + 150, FIG.y0 + 100)
    h = page.rect.height  # PDF clip paths use a bottom-left origin
    clip = f"q {shown.x0} {h - shown.y1} {shown.width} {shown.height} re W n\n".encode()
    xref = page.get_contents()[-1]
    doc.update_stream(xref, clip + doc.xref_stream(xref) + b"\nQ")
    return save(doc, path), shown


def strips_pdf(path: Path, pieces: int = 4) -> Path:
    """One picture cut into horizontal strips embedded as separate images, stacked at FIG."""
    doc = pymupdf.open()
    page = text_page(doc, caption_y=FIG.y1 + 20)
    img = picture(300, 200, seed=7)
    step = img.height // pieces
    for i in range(pieces):
        strip = img.crop((0, i * step, img.width, (i + 1) * step))
        y0 = FIG.y0 + i * FIG.height / pieces
        page.insert_image(pymupdf.Rect(FIG.x0, y0, FIG.x1, y0 + FIG.height / pieces),
                          stream=encode(strip, "PNG"), keep_proportion=False)
    return save(doc, path)


def vector_pdf(path: Path) -> Path:
    """A figure drawn with vector paths (a pattern of filled circles and a frame) at FIG."""
    doc = pymupdf.open()
    page = text_page(doc, caption_y=FIG.y1 + 20)
    shape = page.new_shape()
    shape.draw_rect(FIG)
    shape.finish(color=(0.3, 0.2, 0.1), width=1.5)
    for i in range(6):
        for j in range(4):
            c = pymupdf.Point(FIG.x0 + 25 + 50 * i, FIG.y0 + 25 + 50 * j)
            shape.draw_circle(c, 18)
            shape.finish(color=(0.5, 0.1, 0.1), fill=(0.8, 0.6 - 0.1 * j, 0.2), width=0.8)
    shape.commit()
    return save(doc, path)


def rotated_pdf(path: Path) -> tuple[Path, pymupdf.Rect]:
    """A page with /Rotate 90 and one image; returns the image's rect in displayed coordinates."""
    doc = pymupdf.open()
    page = text_page(doc, caption_y=FIG.y1 + 20)
    page.insert_image(FIG, stream=encode(picture(300, 200, seed=2), "JPEG"), keep_proportion=False)
    page.set_rotation(90)
    displayed = FIG * page.rotation_matrix
    return save(doc, path), displayed


def ornament_book_pdf(path: Path, pages: int = 4) -> Path:
    """Pages each with a distinct figure, the same logo in the header and a full-page
    background texture on page 2."""
    doc = pymupdf.open()
    logo = encode(picture(60, 60, seed=42), "PNG")
    for i in range(pages):
        page = doc.new_page(width=595, height=842)
        if i == 1:
            bg = encode(Image.new("RGB", (120, 170), (247, 243, 232)), "PNG")
            page.insert_image(page.rect, stream=bg, keep_proportion=False)
        for k in range(4):
            page.insert_text((72, 560 + 18 * k), BODY, fontname="china-s", fontsize=11)
        page.insert_image(pymupdf.Rect(40, 20, 90, 70), stream=logo)
        page.insert_image(FIG, stream=encode(picture(300, 200, seed=10 + i), "JPEG"),
                          keep_proportion=False)
    return save(doc, path)


def garbled_pdf(path: Path) -> Path:
    """A page whose text layer decodes to private-use characters (a ToUnicode map gone bad),
    printed large so that OCR can read it."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 200), "Silk pattern 1234", fontname="helv", fontsize=28)
    page.insert_text((72, 260), "Tang dynasty roundel", fontname="helv", fontsize=28)
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CMapName /Garbled def 1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"1 beginbfrange <20> <7E> <E020> endbfrange\nendcmap CMapName currentdict "
            b"/CMap defineresource pop end end\n")
    cmap_xref = doc.get_new_xref()
    doc.update_object(cmap_xref, "<<>>")
    doc.update_stream(cmap_xref, cmap)
    for font in page.get_fonts():
        doc.xref_set_key(font[0], "ToUnicode", f"{cmap_xref} 0 R")
    return save(doc, path)
