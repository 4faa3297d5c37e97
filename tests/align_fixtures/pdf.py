"""A tiny born-digital book made with PyMuPDF, and a minimal reader of its text layer and images.

The reader stands in for extract (so align is tested on a real text layer: PyMuPDF's block
boxes, line breaks and font sizes), not a copy of it.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pymupdf
from PIL import Image

from culti.records import (
    BlockKind,
    Figure,
    FigureOrigin,
    PageExtract,
    PageKind,
    PageStatus,
    TextBlock,
    TextOrigin,
)

W, H = 595, 842


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buf, format="JPEG")
    return buf.getvalue()


def _text(page: pymupdf.Page, rect, text: str, size: float, align: int = 0) -> None:
    rc = page.insert_textbox(pymupdf.Rect(*rect), text, fontname="china-s", fontsize=size, align=align)
    assert rc >= 0, f"text does not fit {rect}: {text}"


def _furniture(page: pymupdf.Page, n: int) -> None:
    _text(page, (150, 28, 445, 44), "中国丝绸纹样图典" if n % 2 == 0 else "第三章  唐代织锦", 8, 1)
    _text(page, (270, 805, 325, 820), str(n), 8, 1)


def make_book(path: Path) -> dict:
    """Write the book and return its truth: label and description per (page, figure index)."""
    doc = pymupdf.open()
    truth = {}
    # page 1: figure, caption below, a description in two paragraphs, then a heading and prose
    p = doc.new_page(width=W, height=H)
    _furniture(p, 1)
    p.insert_image(pymupdf.Rect(100, 80, 495, 380), stream=_jpeg((168, 30, 36)))
    _text(p, (100, 388, 495, 404), "图3-1  红地联珠对鸟纹锦", 9, 1)
    d1 = "唐代织锦，新疆吐鲁番阿斯塔那墓地出土。红色地上以黄、白二色显花，主体纹样为联珠圈围成团窠，窠内一对立鸟相向而立。"
    # descriptions in body type sit right under their caption (a line's spacing at most)
    _text(p, (60, 404, 535, 454), d1, 10.5)
    d1b = "纹样规整，色彩对比鲜明。"
    _text(p, (60, 436, 535, 454), d1b, 10.5)
    _text(p, (60, 512, 535, 540), "第二节  联珠纹的流行", 14)
    _text(p, (60, 550, 535, 600), "如图3-2所示，联珠纹在唐代织锦上极为流行，其来源可以追溯到萨珊波斯。", 10.5)
    truth[1, 0] = ("图3-1", d1 + d1b)
    # page 2: two figures side by side, captions under each, descriptions in each column
    p = doc.new_page(width=W, height=H)
    _furniture(p, 2)
    p.insert_image(pymupdf.Rect(60, 80, 290, 300), stream=_jpeg((30, 56, 142)))
    p.insert_image(pymupdf.Rect(305, 80, 535, 300), stream=_jpeg((30, 112, 60)))
    _text(p, (60, 306, 290, 322), "图3-2  蓝地团窠宝花纹锦", 9, 1)
    _text(p, (305, 306, 535, 322), "图3-3  绿地缠枝莲纹锦", 9, 1)
    d2 = "唐代织锦，青海都兰热水墓群出土。蓝色地上以黄、白二色显花，主体纹样为圆形团窠，窠内饰八瓣宝花。"
    d3 = "唐代织锦，敦煌藏经洞出土。绿色地上以红、黄二色显花，主体纹样为波状起伏的缠枝藤蔓。"
    _text(p, (60, 322, 290, 420), d2, 10.5)
    _text(p, (305, 322, 535, 420), d3, 10.5)
    truth[2, 0] = ("图3-2", d2)
    truth[2, 1] = ("图3-3", d3)
    # page 3: a full-page plate; page 4: its caption and description facing it
    p = doc.new_page(width=W, height=H)
    p.insert_image(pymupdf.Rect(30, 60, 565, 790), stream=_jpeg((98, 40, 116)))
    p = doc.new_page(width=W, height=H)
    _furniture(p, 4)
    _text(p, (100, 90, 495, 106), "圖3-4  紫地龜背紋綾", 9, 1)
    d4 = "唐代暗花綾，敦煌藏經洞出土。紫色地上以同色淺色絲線顯花，主體紋樣為六邊形龜背格連續鋪排。"
    _text(p, (60, 108, 535, 170), d4, 10.5)
    truth[3, 0] = ("图3-4", d4)
    for n in range(5, 7):  # more pages so the running header repeats enough to be learnt
        p = doc.new_page(width=W, height=H)
        _furniture(p, n)
        _text(p, (60, 100, 535, 150), "唐代丝织品的纹样题材丰富，团窠纹尤为常见。", 10.5)
    doc.save(path)
    return truth


def read_book(path: Path) -> list[PageExtract]:
    """Given the PDF, return PageExtracts from its text layer (one block per PyMuPDF block)."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    pages = []
    with pymupdf.open(path) as doc:
        for pno, page in enumerate(doc, start=1):
            blocks = []
            for b in page.get_text("dict")["blocks"]:
                if b["type"] != 0:
                    continue
                lines = ["".join(s["text"] for s in ln["spans"]) for ln in b["lines"]]
                sizes = [s["size"] for ln in b["lines"] for s in ln["spans"]]
                blocks.append(TextBlock(page=pno, index=len(blocks), text="\n".join(lines),
                                        bbox_pt=tuple(b["bbox"]), kind=BlockKind.TEXT,
                                        origin=TextOrigin.PDF, font_size=max(sizes),
                                        font_name=b["lines"][0]["spans"][0]["font"]))
            figures = []
            for info in sorted(page.get_image_info(xrefs=True), key=lambda i: (i["bbox"][1], i["bbox"][0])):
                img = doc.extract_image(info["xref"])
                figures.append(Figure(source=path.name, source_sha256=sha, page=pno,
                                      index=len(figures), bbox_pt=tuple(info["bbox"]),
                                      image=img["image"], image_format=img["ext"],
                                      width=img["width"], height=img["height"],
                                      origin=FigureOrigin.EMBEDDED))
            pages.append(PageExtract(source=path.name, source_sha256=sha, page=pno,
                                     width_pt=page.rect.width, height_pt=page.rect.height,
                                     kind=PageKind.DIGITAL, status=PageStatus.OK,
                                     figures=tuple(figures), blocks=tuple(blocks)))
    return pages
