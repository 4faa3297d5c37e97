"""Generated cases where the words are not in a text layer: text drawn as vector outlines, scans
with two description columns side by side, two pictures close together on a scan, and vertical
traditional-Chinese text (a caption beside a plate, a page of columns without figures).

Each case is a list of page specs written three ways: born-digital (a text layer), outline (the
same words as glyph paths: the page is drawn to SVG with text as paths and back to PDF, then the
pictures are inserted with their own bytes) and scanned (culti.sample.scan). truth.json uses the
real corpus's schema (version 2)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image

from culti.sample.attributes import silk_attrs
from culti.sample.motifs import draw_silk
from culti.sample.scan import scan_pdf
from culti.sample.writer import FIXED_METADATA

W, H = 595.0, 842.0
BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Words:
    """Text on a page: a box, the words, font size; vertical = one character under another,
    columns right to left; traditional = set in the traditional-character font."""

    rect: BBox
    text: str
    size: float = 10.5
    vertical: bool = False
    traditional: bool = False
    align: int = 0
    latin: bool = False  # set in Times (an English newspaper), not the CJK font
    sans: bool = False  # set in Helvetica (a slide), not the CJK font
    color: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Plate:
    """A picture on a page, with what truth says about it."""

    rect: BBox
    seed: int
    label: str
    title: str
    caption: Words
    description: Words | None = None
    caption_position: str = "below"
    caption_simplified: str = ""  # for traditional captions: what align should give
    chart: bool = False  # a bar chart drawn in thin lines (sparse ink), not a photo
    pointer: bool = False  # a ▲ drawn before the caption, pointing up at the picture
    drawing: bool = False  # a function plot in hairlines (an exam's figure), not a photo
    shadow: float = 0.0  # a grey drop shadow this many points right of and under the photo
    frame: bool = False  # a ruled frame around the photo and its caption (a newspaper's)


@dataclass(frozen=True, slots=True)
class PageSpec:
    plates: tuple[Plate, ...] = ()
    words: tuple[Words, ...] = ()  # body text, headers: not captions or descriptions
    panel: BBox | None = None  # a tinted panel drawn under the words and pictures
    size: tuple[float, float] = (W, H)  # the page's width and height (a slide is landscape)


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    kind: str  # outline | scanned | digital
    pages: tuple[PageSpec, ...]
    dpi: int = 200
    notes: dict = field(default_factory=dict)


def _jpeg(seed: int, w: int, h: int) -> bytes:
    rng = np.random.default_rng(seed)
    arr = draw_silk(silk_attrs(rng), w, h, rng)[..., :3]
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=88)
    return buf.getvalue()


def _write_words(page: pymupdf.Page, words: Words) -> None:
    font = "helv" if words.sans else "tiro" if words.latin else "china-t" if words.traditional else "china-s"
    x0, y0, x1, y1 = words.rect
    if not words.vertical:
        rc = page.insert_textbox(pymupdf.Rect(words.rect), words.text, fontname=font,
                                 fontsize=words.size, align=words.align, color=words.color)
        if rc < 0:
            raise ValueError(f"text does not fit {words.rect}: {words.text}")
        return
    pitch, col = words.size * 1.15, words.size * 1.6
    per_col = int((y1 - y0) // pitch)
    x = x1 - words.size
    for column in words.text.split("\n"):
        for start in range(0, len(column), per_col):
            if x < x0 - 0.5:
                raise ValueError(f"vertical text does not fit {words.rect}: {words.text}")
            for i, ch in enumerate(column[start:start + per_col]):
                page.insert_text((x, y0 + i * pitch + words.size), ch, fontname=font,
                                 fontsize=words.size)
            x -= col


def _draw_chart(page: pymupdf.Page, rect: BBox, seed: int) -> None:
    """Draw a bar chart filling `rect`: axes, six thin bars with their values over them, years
    under them (a report's chart: little ink, numbers that OCR reads as text)."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = rect
    left, base = x0 + 34, y1 - 16
    page.draw_line((left, y0), (left, base), width=0.8)
    page.draw_line((left, base), (x1, base), width=0.8)
    for i, tick in enumerate(range(0, 50_000, 10_000)):
        y = base - i * (base - y0 - 14) / 4
        page.insert_text((x0, y + 3), f"{tick:,}", fontname="helv", fontsize=7)
    step = (x1 - left) / 6
    for i in range(6):
        value = int(rng.integers(2_000, 40_000))
        top = base - value / 40_000 * (base - y0 - 14)
        bx = left + i * step + step / 3
        page.draw_rect(pymupdf.Rect(bx, top, bx + step / 3, base), color=(0.2, 0.4, 0.8),
                       fill=(0.2, 0.4, 0.8))
        page.insert_text((bx - 2, top - 3), f"{value:,}", fontname="helv", fontsize=7)
        page.insert_text((bx - 1, y1 - 4), str(2019 + i), fontname="helv", fontsize=7)


def _draw_plot(page: pymupdf.Page, rect: BBox, seed: int) -> None:
    """Draw a function plot filling `rect` in hairlines: axes with arrows, a hyperbola, a
    triangle from the origin and letters at its corners (an exam's geometry figure: far too
    little ink for a picture blob, its letters just above its caption)."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = rect
    ox, oy = x0 + 14 + rng.uniform(0, 10), y1 - 12
    page.draw_line((x0 + 4, oy), (x1, oy), width=0.6)  # x axis
    page.draw_line((ox, y1 - 2), (ox, y0), width=0.6)  # y axis
    for tip, a, b in (((x1, oy), (x1 - 4, oy - 2), (x1 - 4, oy + 2)),
                      ((ox, y0), (ox - 2, y0 + 4), (ox + 2, y0 + 4))):
        page.draw_polyline([a, tip, b], width=0.6)
    k = (x1 - ox) * (oy - y0) * rng.uniform(0.12, 0.2)
    xs = np.linspace(k / (oy - y0 - 4), x1 - ox - 6, 40)
    page.draw_polyline([(ox + x, oy - k / x) for x in xs], width=0.6)
    px = (k ** 0.5)
    page.draw_polyline([(ox, oy), (ox + px, oy - k / px), (ox + px, oy)], width=0.6)
    for ch, (x, y) in (("O", (ox - 9, oy + 9)), ("x", (x1 - 6, oy + 9)), ("y", (ox + 3, y0 + 7)),
                       ("P", (ox + px + 2, oy - k / px)), ("Q", (ox + px - 3, oy + 9))):
        page.insert_text((x, y), ch, fontname="tiit", fontsize=8)


def _text_of(spec: PageSpec) -> list[Words]:
    out = list(spec.words)
    for plate in spec.plates:
        out.append(plate.caption)
        if plate.description is not None:
            out.append(plate.description)
    return out


def _digital(case: Case, outline: bool) -> bytes:
    doc = pymupdf.open()
    for spec in case.pages:
        page = doc.new_page(width=spec.size[0], height=spec.size[1])
        if spec.panel is not None:
            page.draw_rect(pymupdf.Rect(spec.panel), color=None, fill=PANEL_TINT)
        if outline:
            tmp = pymupdf.open()
            tpage = tmp.new_page(width=spec.size[0], height=spec.size[1])
            for words in _text_of(spec):
                _write_words(tpage, words)
            paths = pymupdf.open("svg", tpage.get_svg_image(text_as_path=True).encode())
            drawn = pymupdf.open("pdf", paths.convert_to_pdf())
            page.show_pdf_page(page.rect, drawn, 0)
        else:
            for words in _text_of(spec):
                _write_words(page, words)
        for plate in spec.plates:
            x0, y0, x1, y1 = plate.rect
            if plate.pointer:
                cx, cy = plate.caption.rect[0] - 6, plate.caption.rect[1] + 2
                page.draw_polyline([(cx - 3.5, cy + 7), (cx, cy + 1), (cx + 3.5, cy + 7), (cx - 3.5, cy + 7)],
                                   color=(0.8, 0, 0), fill=(0.8, 0, 0), closePath=True)
            if plate.shadow:
                page.draw_rect(pymupdf.Rect(x0, y0, x1, y1) + (plate.shadow,) * 4, color=None,
                               fill=(0.5, 0.5, 0.5))
            if plate.frame:
                page.draw_rect(pymupdf.Rect(_union([plate.rect, plate.caption.rect])) + (-3, -3, 3, 3),
                               color=(0, 0, 0), width=0.8)
            if plate.chart:
                _draw_chart(page, plate.rect, plate.seed)
                continue
            if plate.drawing:
                _draw_plot(page, plate.rect, plate.seed)
                continue
            px = (int((x1 - x0) * 2), int((y1 - y0) * 2))  # 144 dpi pictures
            page.insert_image(pymupdf.Rect(plate.rect), stream=_jpeg(plate.seed, *px))
    doc.set_metadata(FIXED_METADATA)
    data = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    doc.close()
    return data


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _ink_box(pdf: bytes, page: int, rect: BBox) -> BBox:
    """The box of the words actually drawn inside `rect` (text boxes are looser than the ink)."""
    doc = pymupdf.open("pdf", pdf)
    clip = pymupdf.Rect(rect)
    spans = [s["bbox"] for b in doc[page].get_text("dict", clip=clip)["blocks"]
             for ln in b.get("lines", []) for s in ln["spans"] if s["text"].strip()
             # not a neighbour's line that grazes the box
             and abs(pymupdf.Rect(s["bbox"]) & clip) > 0.5 * abs(pymupdf.Rect(s["bbox"]))]
    doc.close()
    return _union(spans) if spans else rect


def case_truth(case: Case, digital: bytes, warps=None) -> dict:
    """Given a case and its born-digital PDF (and the scan's page warps), return its truth entry."""

    def box(b: BBox, page: int) -> list[float]:
        if warps is not None:
            return warps[page - 1].box(b, case.pages[page - 1].size)
        return [round(float(v), 2) for v in b]

    figures = []
    for n, spec in enumerate(case.pages, start=1):
        for i, plate in enumerate(spec.plates):
            cap = _ink_box(digital, n - 1, plate.caption.rect)
            desc = plate.description
            figures.append({
                "key": f"{case.name}-p{n}-{i}", "page": n, "bbox": box(plate.rect, n),
                "label": plate.label, "title": plate.title,
                "caption": plate.caption_simplified or plate.caption.text.replace("\n", ""),
                "caption_original": plate.caption.text.replace("\n", ""),
                "caption_page": n, "caption_bbox": box(cap, n),
                "caption_position": plate.caption_position,
                "description": desc.text.replace("\n", "") if desc else "",
                "description_bbox": box(_ink_box(digital, n - 1, desc.rect), n) if desc else None,
                "composite": None, "crop_of": None, "subcaption": None})
    return {"file": f"{case.name}.pdf", "book_id": case.name, "kind": case.kind,
            "domain": "silk", "page_count": len(case.pages), "figures": figures,
            "not_figures": [], "neutral": [], **case.notes}


def write_case(case: Case, out_dir: Path, seed: int = 0) -> dict:
    """Given a case, write `<name>.pdf` into out_dir and return its truth entry."""
    digital = _digital(case, outline=False)
    if case.kind == "digital":
        data, warps = digital, None
    elif case.kind == "outline":
        data, warps = _digital(case, outline=True), None
    else:
        data, warps = scan_pdf(digital, case.dpi, seed)
    (out_dir / f"{case.name}.pdf").write_bytes(data)
    return case_truth(case, digital, warps)


# ---- the cases --------------------------------------------------------------------------------

D1 = "唐代织锦，新疆吐鲁番阿斯塔那墓地出土。红色地上以黄、白二色显花，主体纹样为联珠圈围成团窠，窠内一对立鸟相向而立。"
D2 = "唐代织锦，青海都兰热水墓群出土。蓝色地上以黄、白二色显花，主体纹样为圆形团窠，窠内饰八瓣宝花。"
D3 = "唐代织锦，敦煌藏经洞出土。绿色地上以红、黄二色显花，主体纹样为波状起伏的缠枝藤蔓，枝叶舒展。"
BODY = ("联珠纹在唐代织锦上极为流行，其来源可以追溯到萨珊波斯。团窠之内多饰对鸟、对兽，"
        "窠外以十字宾花填充，构成规整的四方连续图案。晕繝配色使纹样层次分明。")


def _side_by_side(gap: float, seed: int, y: float = 90.0) -> PageSpec:
    """Two figures side by side, each with its caption and its own description underneath."""
    left, right = (60.0, 297.5 - gap / 2), (297.5 + gap / 2, 535.0)
    bottom = y + 200
    plates = (
        Plate((left[0], y, left[1], bottom), seed, "图1", "红地联珠对鸟纹锦",
              Words((left[0], bottom + 8, left[1], bottom + 24), "图1  红地联珠对鸟纹锦", 9, align=1),
              Words((left[0], bottom + 34, left[1], bottom + 130), D2)),
        Plate((right[0], y, right[1], bottom), seed + 1, "图2", "绿地缠枝莲纹锦",
              Words((right[0], bottom + 8, right[1], bottom + 24), "图2  绿地缠枝莲纹锦", 9, align=1),
              Words((right[0], bottom + 34, right[1], bottom + 130), D3)),
    )
    return PageSpec(plates, (Words((60, bottom + 160, 535, bottom + 230), BODY, 10.5),))


def outline_case() -> Case:
    """Three pages with every word drawn as glyph outlines: one figure with caption and
    description, two figures side by side, and a page of text only."""
    one = PageSpec((Plate((120, 90, 475, 360), 11, "图3", "黄地团窠对鹿纹锦",
                          Words((120, 368, 475, 384), "图3  黄地团窠对鹿纹锦", 9, align=1),
                          Words((80, 396, 515, 460), D1)),),
                   (Words((80, 480, 515, 560), BODY),
                    Words((150, 30, 445, 44), "中国丝绸纹样图典", 8, align=1)))
    text_only = PageSpec((), (Words((80, 90, 515, 200), BODY), Words((80, 210, 515, 320), D1 + D2)))
    return Case("outline-text", "outline", (one, _side_by_side(30, 21), text_only))


def scan_columns_case() -> Case:
    """A scanned page: two figures side by side, each with its own description underneath."""
    return Case("scan-columns", "scanned", (_side_by_side(24, 31),))


def scan_close_figures_case() -> Case:
    """A scanned page: two pictures 3 pt apart (one layout box tends to cover both), a caption
    under each."""
    return Case("scan-close-figures", "scanned", (_side_by_side(3, 41),))


VERT_CAPTION = "圖版五  團窠對鳥紋錦"
VERT_CAPTION_S = "图版五  团窠对鸟纹锦"
VERT_DESC = "唐代織錦新疆吐魯番阿斯塔那墓地出土\n紅色地上以黃白二色顯花主體紋樣為\n聯珠圈圍成團窠窠內一對立鳥相向"
VERT_PAGE = ("聯珠紋在唐代織錦上極為流行其來源\n可以追溯到薩珊波斯團窠之內多飾\n對鳥對獸窠外以十字賓花填充構成"
             "\n規整的四方連續圖案暈色配色使紋樣\n層次分明為唐代絲綢之典型")


def vertical_case(kind: str = "scanned") -> Case:
    """A book set vertically in traditional characters (scanned, or `digital` with a text
    layer of one character a line): a plate with its caption in a column to its right and a
    description in columns to its left; then a page of vertical text with no figure."""
    plate = Plate((200, 100, 480, 520), 51, "图版五", "团窠对鸟纹锦",
                  Words((500, 110, 520, 400), VERT_CAPTION.replace("  ", ""), 12, True, True),
                  Words((90, 110, 170, 460), VERT_DESC, 12, True, True),
                  caption_position="right", caption_simplified=VERT_CAPTION_S.replace("  ", ""))
    columns = PageSpec((), (Words((160, 110, 500, 560), VERT_PAGE, 13, True, True),))
    name = "scan-vertical" if kind == "scanned" else f"{kind}-vertical"
    return Case(name, kind, (PageSpec((plate,)), columns), dpi=200)


NEWS_BODY = ("Conservators in Dunhuang said on Monday that the silk banners found in the cave "
             "library would return to the museum next spring, after two years of work on the "
             "fragile threads. The team cleaned each fragment by hand and mounted it on new "
             "silk dyed to match the ground. ")
NEWS_CAPTION_1 = "Workers restore a silk banner from the cave library on Monday"
NEWS_CAPTION_2 = "Conservators at work in the Mogao caves on Tuesday"
CHART_TITLE = "近年来丝绸文物修复数量（件）"
PHOTO_CAPTION = "莫高窟第45窟修复现场"


def scan_photo_captions_case() -> Case:
    """A scanned newspaper page (English, three columns of body text, a headline, two photos
    with captions that carry no label, one after a ▲ pointer) and a scanned report page (a
    sparse bar chart with its title over it, an inset photo with its caption and the body text
    running on right under it, wider than the photo)."""
    cols = [(40.0, 200.0), (215.0, 375.0), (390.0, 555.0)]

    def body(col: int, top: float, bottom: float, repeat: int) -> Words:
        return Words((cols[col][0], top, cols[col][1], bottom), NEWS_BODY * repeat, 9, latin=True)

    photo_1 = Plate((215, 70, 375, 220), 61, "", NEWS_CAPTION_1,
                    Words((225, 223, 375, 252), NEWS_CAPTION_1, 9, latin=True), pointer=True)
    photo_2 = Plate((390, 560, 555, 700), 62, "", NEWS_CAPTION_2,
                    Words((390, 703, 555, 732), NEWS_CAPTION_2, 9, latin=True))
    headline = Words((40, 12, 555, 60), "Silk banners return to Dunhuang", 26, latin=True)
    news = PageSpec((photo_1, photo_2), (headline, body(0, 70, 800, 5), body(1, 272, 800, 4),
                                         body(2, 70, 540, 3)))
    chart = Plate((110, 180, 480, 380), 63, "", CHART_TITLE,
                  Words((200, 158, 400, 176), CHART_TITLE, 10, align=1),
                  caption_position="above", chart=True)
    photo = Plate((150, 490, 445, 680), 64, "", PHOTO_CAPTION,
                  Words((150, 689, 445, 704), PHOTO_CAPTION, 9, align=1))
    report = PageSpec((chart, photo), (Words((60, 60, 535, 130), BODY * 2),
                                       Words((60, 400, 535, 470), D1 + D2),
                                       Words((60, 709, 535, 790), BODY + D3)))
    return Case("scan-photo-captions", "scanned", (news, report), dpi=150)


EXAM_TEXT = ("3.（2022湖北黄冈期末）如图，点P是函数y=k/x（x>0）图象上的一动点，过点P作x轴的垂线，"
             "垂足为Q，连接OP，设△POQ的面积为S，则下列结论正确的是（　　）")
EXAM_NEXT = "4.（2022四川绵阳期末）已知函数y=(m+2)x是关于x的反比例函数，则该函数图象位于（　　）"


def scan_exam_drawings_case() -> Case:
    """A scanned exam page (scan-zh-exam-math-page.pdf): two function plots in hairlines side by
    side, each with its caption "第N题图" a line under it, between two questions' text."""
    plates = tuple(
        Plate((x, 200, x + 110, 290), seed, "", f"第{n}题图",
              Words((x, 292, x + 110, 308), f"第{n}题图", 9, align=1), drawing=True)
        for x, seed, n in ((90.0, 71, 3), (260.0, 72, 8)))
    words = (Words((60, 90, 535, 180), EXAM_TEXT, 10.5), Words((60, 330, 535, 380), EXAM_NEXT, 10.5),
             Words((60, 400, 535, 520), BODY + D1, 10.5))
    return Case("scan-exam-drawings", "scanned", (PageSpec(plates, words),), dpi=150)


PANEL_TINT = (0.45, 0.78, 0.78)  # a journal's teal "In this issue" panel
PANEL_TEXT = ("The cover picture shows a silk banner from the cave library at Dunhuang, "
              "mounted on new silk dyed to match its ground after two years of conservation. ")


def scan_tinted_panel_case() -> Case:
    """A scanned journal page (scan-en-journal-issue-page.pdf): a teal panel holding a headline,
    a picture with its caption under it and a paragraph beside it; body text under the panel."""
    plate = Plate((80, 150, 230, 340), 81, "Figure 1", "The cover picture",
                  Words((80, 346, 230, 362), "Figure 1. The cover picture", 9, latin=True))
    words = (Words((70, 66, 500, 120), "In this issue", 28, latin=True),
             Words((260, 150, 510, 330), PANEL_TEXT * 2, 10, latin=True),
             Words((60, 420, 535, 560), NEWS_BODY * 2, 10, latin=True))
    return Case("scan-tinted-panel", "scanned", (PageSpec((plate,), words, panel=(50, 50, 530, 380)),),
                dpi=150)


def all_cases() -> list[Case]:
    """The cases of the default sample set (`make dataset`)."""
    return [outline_case(), scan_columns_case(), scan_close_figures_case(), vertical_case(),
            scan_photo_captions_case()]


def figure_box_cases() -> list[Case]:
    """Scan layouts of real pages whose figure boxes failed (built by tests/test_ocr_layouts.py,
    kept out of the default sample set so its books and scores stay as they were)."""
    return [scan_exam_drawings_case(), scan_tinted_panel_case()]


def generate_ocr_cases(out_dir: Path, seed: int = 0, names: tuple[str, ...] | None = None) -> Path:
    """Given a folder, write the OCR cases' PDFs and truth.json (version 2); return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    books = [write_case(c, out_dir, seed) for c in all_cases() if names is None or c.name in names]
    path = out_dir / "truth.json"
    path.write_text(json.dumps({"version": 2, "seed": seed, "books": books}, ensure_ascii=False,
                               indent=1))
    return path


__all__ = ["Case", "all_cases", "figure_box_cases", "generate_ocr_cases", "write_case"]
