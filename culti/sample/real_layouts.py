"""A small born-digital book of the caption layouts met in real files (issue 11), with its truth.

    from culti.sample.real_layouts import write_real_layouts
    pdf_path, truth_entry = write_real_layouts(Path("out"), seed=0)

Each page holds one case that the sample catalogues never print (museum catalogues, plate grids,
web printouts):

| page | case | what is drawn |
|---|---|---|
| 1 | unlabelled | pictures captioned by a short centred line in small type, no 图N: under one, over another |
| 2 | plate-grid | 3 x 3 thumbnails, each with an unlabelled caption wrapping to two lines under it |
| 3 | small-figures | three 63 x 63 pt pictures with 图3 / 图4 / 图5 under them, and a 20 pt icon |
| 4 | one-caption | two small pictures stacked above one caption 图5: one figure (its box covers both) |
| 5 | multi-line | a caption whose title wraps onto a second centred line, then its description |
| 6 | positional | 图1（左）… 图2（右）… on one line under a row of two; 上/下 under a stack of two |
| 7 | caption-only | labelled captions and no description, then a heading and body prose |
| 8 | vertical-caption | a caption set vertically (one character a line, in two runs) right of a picture, a table under it; a caption at a distance right of another picture |
| 9 | caption-then-heading | 图N captions, each followed by a numbered list item "（2）…样例：" over the next picture, and a numbered clause "5.4.6…" |
| 10-11 | page-break | a composite whose (1)(2) end one page and (3)(4) with the caption 图1 open the next; a picture ending page 10 whose caption 图2 opens page 11 |
| 12-13 | running-text | a picture set into running prose: the paragraph after its caption carries on the one before it; English figures followed by a heading and by a lead-in "… the following steps:" |

The truth entry follows the real corpus schema (`truth.json` version 2): `label` is "" where the
caption has none, `description` "" where none is printed, `not_figures` lists the icon and the
repeated header logo. Same seed, byte-identical PDF.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from culti.sample import texts
from culti.sample.attributes import mural_attrs, silk_attrs
from culti.sample.book import FigureSpec, Picture
from culti.sample.layout import ASC, DESC, Deco, Layout, PagePlan, Place, Text, text_width, wrap
from culti.sample.writer import write_digital

BBox = tuple[float, float, float, float]
PAGE = (595.0, 842.0)
X0, X1 = 60.0, 535.0
BODY, DESC_SIZE, CAP, SMALL = 10.5, 9.0, 10.0, 8.0
FILE = "real-layouts-digital.pdf"
BOOK_ID = "real-layouts"
CASES = ("unlabelled", "plate-grid", "small-figures", "one-caption", "multi-line", "positional",
         "caption-only", "vertical-caption", "caption-then-heading", "page-break", "running-text")


def _r(box: BBox | None) -> list[float] | None:
    return None if box is None else [round(float(v), 2) for v in box]


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


class _Book:
    """Pages of Text and Place items plus the truth of every figure placed."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng([seed, 11])
        self.pages: list[PagePlan] = []
        self.figures: list[dict] = []
        self.not_figures: list[dict] = []
        self.ornaments: list[tuple[int, BBox]] = []

    def page(self) -> PagePlan:
        p = PagePlan(len(self.pages) + 1)
        self.pages.append(p)
        n = p.number
        head = "馆藏织绣精品图录" if n % 2 else "丝绸与壁画：藏品选粹"
        x = X0 if n % 2 == 0 else X1 - text_width(head, 8)
        p.items.append(Text(x, 58, head, 8))
        p.items.append(Deco("rule", (X0, 66, X1, 66)))
        logo = (X1 - 15, 44, X1, 59) if n % 2 == 0 else (X0, 44, X0 + 15, 59)
        p.items.append(Deco("logo", logo))
        self.not_figures.append({"page": n, "bbox": _r(logo), "what": "logo"})
        num = str(n)
        p.items.append(Text((PAGE[0] - text_width(num, 9)) / 2, 805, num, 9))
        return p

    def picture(self, w_px: int, h_px: int, domain: str = "silk") -> tuple[Picture, str, str]:
        rng = self.rng
        if domain == "silk":
            a = silk_attrs(rng)
            return (Picture(a, w_px, h_px, int(rng.integers(2**31)), "jpeg"), texts.silk_title(a),
                    texts.silk_description(a, "唐代", "新疆吐鲁番阿斯塔那墓地出土", rng))
        a = mural_attrs(rng, (45, 217, 220))
        return (Picture(a, w_px, h_px, int(rng.integers(2**31)), "jpeg"), texts.mural_title(a),
                texts.mural_description(a, "盛唐"))

    def lines(self, p: PagePlan, lines: list[str], top: float, size: float, *, x: float | None = None,
              centre: float | None = None, leading: float | None = None) -> BBox:
        """Lines set flush left at x or centred on `centre`; returns their box."""
        leading = leading or size * 1.5
        boxes = []
        for i, ln in enumerate(lines):
            lx = centre - text_width(ln, size) / 2 if centre is not None else x
            base = top + i * leading + ASC * size
            p.items.append(Text(lx, base, ln, size))
            boxes.append((lx, base - ASC * size, lx + text_width(ln, size), base - DESC * size))
        return _union(boxes)

    def paragraph(self, p: PagePlan, text: str, top: float, size: float, x0: float = X0,
                  x1: float = X1) -> tuple[BBox, float]:
        lines = wrap(text, x1 - x0, size)
        box = self.lines(p, lines, top, size, x=x0, leading=size * 1.6)
        return box, box[3]

    def figure(self, p: PagePlan, rect: BBox, pic: Picture, case: str, *, label: str, title: str,
               caption: str, caption_bbox: BBox, position: str, description: str = "",
               description_bbox: BBox | None = None, composite: str | None = None,
               places: list[tuple[BBox, Picture]] | None = None, caption_page: int | None = None,
               subcaption: str | None = None, subcaption_bbox: BBox | None = None) -> str:
        key = f"{BOOK_ID}-{len(self.figures) + 1:03d}"
        for k, (r, pc) in enumerate(places or [(rect, pic)]):  # places: one figure, several images
            p.items.append(Place(r, FigureSpec(f"{key}-{k}", pc, label, title, caption, description)))
        self.figures.append({
            "key": key, "case": case, "page": p.number, "bbox": _r(rect), "label": label,
            "title": title, "caption": caption, "caption_page": caption_page or p.number,
            "caption_bbox": _r(caption_bbox), "caption_position": position,
            "description": description, "description_bbox": _r(description_bbox),
            "composite": composite, "crop_of": None, "subcaption": subcaption,
        })
        if subcaption_bbox is not None:
            self.figures[-1]["subcaption_bbox"] = _r(subcaption_bbox)
        return key


def _unlabelled(b: _Book) -> None:
    """Museum catalogue: a short centred caption in small type under one picture, over another."""
    p = b.page()
    pic, title, desc = b.picture(600, 420)
    caption = f"唐 {title}"
    rect = (147.5, 100.0, 447.5, 310.0)
    cap = b.lines(p, [caption], 318, SMALL, centre=297.5)
    dbox, bottom = b.paragraph(p, desc, cap[3] + 12, DESC_SIZE)
    b.figure(p, rect, pic, "unlabelled", label="", title=caption, caption=caption, caption_bbox=cap,
             position="below", description=desc, description_bbox=dbox)
    pic, title, _ = b.picture(500, 400, "mural")
    caption = f"敦煌莫高窟 {title}"
    cap = b.lines(p, [caption], bottom + 40, SMALL, centre=297.5)
    rect = (172.5, cap[3] + 8, 422.5, cap[3] + 208)
    b.figure(p, rect, pic, "unlabelled", label="", title=caption, caption=caption, caption_bbox=cap,
             position="above")
    b.paragraph(p, "以上藏品均为本馆近年征集，部分曾在特展中展出，图片由摄影部拍摄。", rect[3] + 40, BODY)


def _plate_grid(b: _Book) -> None:
    """3 x 3 thumbnails, each with its own unlabelled caption wrapping to two lines."""
    p = b.page()
    places = ["新疆吐鲁番出土", "青海都兰出土", "敦煌藏经洞出土", "甘肃武威出土", "湖北江陵出土",
              "陕西扶风法门寺出土", "新疆营盘出土", "内蒙古出土", "江苏苏州征集"]
    tw, th, gap = 140.0, 105.0, 27.5
    for i in range(9):
        row, col = divmod(i, 3)
        x = X0 + 10 + col * (tw + gap)
        y = 100 + row * (th + 75)
        pic, title, _ = b.picture(420, 315)
        caption = f"{title}，唐代，{places[i]}"
        lines = wrap(caption, tw, SMALL)
        cap = b.lines(p, lines, y + th + 6, SMALL, centre=x + tw / 2, leading=SMALL * 1.4)
        b.figure(p, (x, y, x + tw, y + th), pic, "plate-grid", label="", title="".join(lines),
                 caption="".join(lines), caption_bbox=cap, position="below")


def _small_figures(b: _Book) -> None:
    """Three 63 x 63 pt pictures captioned 图3 / 图4 / 图5, and a 20 pt icon that is no figure."""
    p = b.page()
    _, bottom = b.paragraph(p, "图案单元往往很小，下列三例均取自同一件织物的不同部位，可资比较。",
                            100, BODY)
    for i, n in enumerate((3, 4, 5)):
        x = 110 + i * 150
        rect = (x, bottom + 20, x + 63, bottom + 83)
        pic, title, _ = b.picture(126, 126)
        short = title[-5:]
        caption = f"图{n}  {short}"
        cap = b.lines(p, [caption], rect[3] + 6, SMALL, centre=x + 31.5)
        b.figure(p, rect, pic, "small-figures", label=f"图{n}", title=short, caption=caption,
                 caption_bbox=cap, position="below")
    top = bottom + 140
    icon = (X0, top, X0 + 20, top + 20)
    pic, _, _ = b.picture(40, 40)
    p.items.append(Place(icon, FigureSpec(f"{BOOK_ID}-icon", pic, "", "", "", "")))
    b.not_figures.append({"page": p.number, "bbox": _r(icon), "what": "icon"})
    b.paragraph(p, "提示：本页图片均按原大比例缩小，尺寸以文字说明为准。", top + 4, BODY, x0=X0 + 28)


def _one_caption(b: _Book) -> None:
    """Two small pictures stacked above one caption 图5: one figure in two images."""
    p = b.page()
    pic1, title, desc = b.picture(300, 180)
    pic2, _, _ = b.picture(300, 180)
    r1 = (222.5, 100.0, 372.5, 190.0)
    r2 = (222.5, 196.0, 372.5, 286.0)
    caption = f"图5  {title}正反面"
    cap = b.lines(p, [caption], r2[3] + 7, CAP, centre=297.5)
    dbox, _ = b.paragraph(p, desc, cap[3] + 10, DESC_SIZE)
    # one figure in truth: its box covers both pictures (align merges them into one crop)
    b.figure(p, _union([r1, r2]), pic1, "one-caption", label="图5", title=f"{title}正反面",
             caption=caption, caption_bbox=cap, position="below", description=desc,
             description_bbox=dbox, places=[(r1, pic1), (r2, pic2)])


def _multi_line(b: _Book) -> None:
    """图1 韶光如梦系列 / 文化创意设计之一: the caption's title runs on a second centred line."""
    p = b.page()
    pic, title, desc = b.picture(700, 460)
    rect = (122.5, 100.0, 472.5, 330.0)
    first, second = f"图1  {title}纹样再设计", "文化创意产品设计方案之一（丝巾与手提包）"
    cap = b.lines(p, [first, second], rect[3] + 8, CAP, centre=297.5, leading=CAP * 1.5)
    dbox, bottom = b.paragraph(p, desc, cap[3] + 10, DESC_SIZE)
    whole = f"{title}纹样再设计{second}"
    b.figure(p, rect, pic, "multi-line", label="图1", title=whole, caption=f"图1  {whole}",
             caption_bbox=cap, position="below", description=desc, description_bbox=dbox)
    b.paragraph(p, "设计以传统纹样的骨架为本，重新配色后用于当代日用品，既保留了原有的韵味，"
                   "也更易为年轻观众接受。", bottom + 24, BODY)


def _positional(b: _Book) -> None:
    """图1（左）… 图2（右）… on one line under a row; 图3（上）… 图4（下）… under a stack."""
    p = b.page()
    boxes = [(75.0, 100.0, 285.0, 250.0), (310.0, 100.0, 520.0, 250.0)]
    pics = [b.picture(420, 300) for _ in boxes]
    parts = [f"图1（左）{pics[0][1]}", f"图2（右）{pics[1][1]}"]
    line = "    ".join(parts)
    lbox = b.lines(p, [line], 258, CAP, centre=297.5)
    x = lbox[0]
    for n, (rect, (pic, title, _), part) in enumerate(zip(boxes, pics, parts, strict=True), start=1):
        w = text_width(part, CAP)
        cap = (x, lbox[1], x + w, lbox[3])
        x += w + text_width("    ", CAP)
        b.figure(p, rect, pic, "positional", label=f"图{n}", title=title, caption=part,
                 caption_bbox=cap, position="below")
    stack = [(207.5, 320.0, 387.5, 430.0), (207.5, 436.0, 387.5, 546.0)]
    pics = [b.picture(360, 220, "mural") for _ in stack]
    parts = [f"图{n}（{pos}）{pic[1]}" for n, pos, pic in zip((3, 4), "上下", pics, strict=True)]
    top = stack[1][3] + 8
    for n, (rect, (pic, title, _), part) in enumerate(zip(stack, pics, parts, strict=True), start=3):
        cap = b.lines(p, [part], top, CAP, centre=297.5)
        top = cap[3] + 4
        b.figure(p, rect, pic, "positional", label=f"图{n}", title=title, caption=part,
                 caption_bbox=cap, position="below")
    b.paragraph(p, "两组图片分别摄于修复前后，对照可见颜料层的加固效果。", top + 30, BODY)


def _caption_only(b: _Book) -> None:
    """Labelled captions and no description, then a section heading and body prose."""
    p = b.page()
    for i, n in enumerate((6, 7)):
        x = X0 + 10 + i * 240
        rect = (x, 100.0, x + 215, 260.0)
        pic, title, _ = b.picture(430, 320, "mural" if i else "silk")
        caption = f"图{n}  {title}"
        cap = b.lines(p, [caption], rect[3] + 7, CAP, centre=x + 107.5)
        b.figure(p, rect, pic, "caption-only", label=f"图{n}", title=title, caption=caption,
                 caption_bbox=cap, position="below")
    b.lines(p, ["二、保护与修复"], 320, 14, x=X0)
    b.paragraph(p, "上述藏品入藏时均有不同程度的残损。修复人员先对织物进行清洗和平整，再以"
                   "染色的丝线加固破损处，尽量保持文物的原貌。壁画残块则采用可逆的材料加固。",
                340, BODY)


def _vertical_caption(b: _Book) -> None:
    """A slide handout: a caption set vertically right of its picture, one character a line (in
    two runs, as a text box broken by a word), a table of results under the picture; a second
    picture whose caption stands alone in the free column to its right, at a distance."""
    p = b.page()
    rect = (120.0, 100.0, 400.0, 260.0)
    pic, _, _ = b.picture(560, 320, "mural")
    title = "不同模型的病害区域检测效果对比图"
    x, top = rect[2] + 12, 118.0
    for i, ch in enumerate(title[:6]):  # first run
        p.items.append(Text(x, top + ASC * SMALL + i * SMALL * 1.2, ch, SMALL))
    top2 = top + 6 * SMALL * 1.2
    for i, ch in enumerate(title[6:]):  # second run, a slightly different leading
        p.items.append(Text(x, top2 + ASC * SMALL + i * SMALL * 1.25, ch, SMALL))
    cap = (x, top, x + SMALL, top2 + (len(title) - 7) * SMALL * 1.25 + SMALL * (ASC - DESC))
    b.figure(p, rect, pic, "vertical-caption", label="", title=title, caption=title, caption_bbox=cap,
             position="right")
    for row, cells in enumerate((("方法", "平均PSNR", "平均MSE"), ("无微调", "11.9097", "0.0692"),
                                 ("微调", "17.3914", "0.0198"))):
        for col, cell in enumerate(cells):
            p.items.append(Text(140 + col * 90, 280 + row * 14 + ASC * SMALL, cell, SMALL))
    rect = (X0, 380.0, 300.0, 600.0)
    pic, _, _ = b.picture(480, 440, "mural")
    title = "不同修复方法的指标与可视化对比分析"
    cap = b.lines(p, [title], 540, CAP, x=326.0)
    b.figure(p, rect, pic, "vertical-caption", label="", title=title, caption=title, caption_bbox=cap,
             position="right")
    b.paragraph(p, "以上结果均在同一测试集上得到，指标越高越好。", 650, BODY)


def _caption_then_heading(b: _Book) -> None:
    """A standard's drawings: each 图N caption is followed by a numbered list item that opens the
    next group of drawings ("（2）居住小区类测绘图纸样例："), and the last by a numbered clause."""
    p = b.page()
    top = 90.0
    for n, item in ((11, "（2）居住小区类测绘图纸样例："), (12, "（3）工业遗产类测绘图纸样例：")):
        rect = (120.0, top, 475.0, top + 140)
        pic, _, _ = b.picture(710, 340, "mural")
        title = "平面图" if n == 11 else "剖面图"
        cap = b.lines(p, [f"图{n}  {title}"], rect[3] + 7, CAP, centre=297.5)
        b.figure(p, rect, pic, "caption-then-heading", label=f"图{n}", title=title,
                 caption=f"图{n}  {title}", caption_bbox=cap, position="below")
        b.lines(p, [item], cap[3] + 12, BODY, x=X0)
        top = cap[3] + 40
    b.paragraph(p, "5.4.6对测绘图纸进行比例规定，统一大小，便于后续统一保存和查看。具体绘制过程中若遇到特"
                   "大、特小体量的建筑，可适当增减图纸比例和图幅。", top, BODY)
    rect = (120.0, top + 50, 475.0, top + 190)
    pic, _, _ = b.picture(710, 280, "mural")
    cap = b.lines(p, ["图13  立面图"], rect[3] + 7, CAP, centre=297.5)
    b.figure(p, rect, pic, "caption-then-heading", label="图13", title="立面图", caption="图13  立面图",
             caption_bbox=cap, position="below")
    b.paragraph(p, "5.4.7测绘图纸应注明比例尺、指北针和测绘日期，并由测绘人员签字确认。", cap[3] + 8, BODY)


def _page_break(b: _Book) -> None:
    """Two pages: a composite whose (1)(2) end page one and (3)(4) with its caption open page
    two; a picture that ends page two and its caption 图2, pushed to the top of page three."""
    first = b.page()
    b.paragraph(first, "1整体拍摄有利于判断整体风貌、空间关系；对细部进行拍摄有利于价值判断，并辅助绘图（图1）。",
                90, BODY)
    second = b.page()
    subs = ["（1）屋顶整体图", "（2）屋顶局部图", "（3）立面整体图", "（4）立面局部图"]
    pics = [b.picture(600, 300, "mural") for _ in subs]
    caption, title = "图1  “先整体后局部”图像示例", "“先整体后局部”图像示例"
    cap = b.lines(second, [caption], 90 + 2 * 196 + 4, CAP, centre=297.5)
    tops = (380.0, 580.0, 90.0, 286.0)
    for k, (sub, (pic, _, _), top) in enumerate(zip(subs, pics, tops, strict=True)):
        p = first if k < 2 else second
        rect = (147.5, top, 447.5, top + (170 if k >= 2 else 168))
        sbox = b.lines(p, [sub], rect[3] + 6, CAP, centre=297.5)
        b.figure(p, rect, pic, "page-break", label="图1", title=title, caption=caption, caption_bbox=cap,
                 position="below", composite=f"{BOOK_ID}-page-break-1", caption_page=second.number,
                 subcaption=sub, subcaption_bbox=sbox)
    rect = (97.5, cap[3] + 60, 497.5, 770.0)
    b.lines(second, ["5.4 测绘图纸绘制"], cap[3] + 20, 12, x=X0)
    pic, _, _ = b.picture(800, 560, "mural")
    third = b.page()
    cap2 = b.lines(third, ["图2  院落平面图"], 80, CAP, centre=297.5)
    b.figure(second, rect, pic, "page-break", label="图2", title="院落平面图", caption="图2  院落平面图",
             caption_bbox=cap2, position="below", caption_page=third.number)
    rect = (147.5, cap2[3] + 20, 447.5, cap2[3] + 200)
    pic, _, _ = b.picture(600, 360, "mural")
    cap = b.lines(third, ["图3  平面图"], rect[3] + 7, CAP, centre=297.5)
    b.figure(third, rect, pic, "page-break", label="图3", title="平面图", caption="图3  平面图",
             caption_bbox=cap, position="below")


def _running_text(b: _Book) -> None:
    """Pictures set into running prose (a thesis template, a technical book): the paragraph under
    the caption carries on the prose above the picture; under an English figure a heading, then
    a lead-in to a list of steps."""
    p = b.page()
    _, bottom = b.paragraph(p, "一般说来，大家都会插入图片。有难度的是图片的编号，想说明的是图片的编号也不是"
                               "手工完成的，如：", 90, BODY)
    rect = (197.5, bottom + 14, 397.5, bottom + 164)
    pic, title, _ = b.picture(400, 300)
    cap = b.lines(p, [title], rect[3] + 8, SMALL, centre=297.5)
    b.figure(p, rect, pic, "running-text", label="", title=title, caption=title, caption_bbox=cap,
             position="below")
    _, bottom = b.paragraph(p, "这个过程的基本步骤是，插入一个文本框，在文本框中插入图片，然后右键点击图片，"
                               "选择题注，然后选取合适的即可。这样做的目的是可以使图片以行间的方式插入到文章中。",
                            cap[3] + 14, BODY)
    p = b.page()
    rect = (X0, 100.0, 420.0, 260.0)
    pic, _, _ = b.picture(540, 240)
    title = "SQL run by the DBE user"
    cap = b.lines(p, [f"Figure 4-49   {title}"], rect[3] + 4, SMALL, x=X0)
    b.figure(p, rect, pic, "running-text", label="图4-49", title=title, caption=f"Figure 4-49   {title}",
             caption_bbox=cap, position="below")
    head = b.lines(p, ["Data access with RCAC"], cap[3] + 16, 13, x=X0 + 70)
    b.paragraph(p, "To test a SECURITY user, complete the following steps:", head[3] + 4, BODY, x0=X0 + 70)
    rect = (X0, 380.0, 420.0, 540.0)
    pic, _, _ = b.picture(540, 240)
    title = "SQL run by the SECURITY user"
    cap = b.lines(p, [f"Figure 4-50   {title}"], rect[3] + 4, SMALL, x=X0)
    b.figure(p, rect, pic, "running-text", label="图4-50", title=title, caption=f"Figure 4-50   {title}",
             caption_bbox=cap, position="below")
    b.paragraph(p, "Here are the steps of the process:", cap[3] + 12, BODY, x0=X0 + 70)
    b.lines(p, ["1. Create a connection to the database.", "2. Run the first statement."], cap[3] + 30, BODY,
            x=X0 + 70)


def real_layouts_book(seed: int = 0) -> tuple[Layout, dict]:
    """Given a seed, return the real-layouts book's page plans and its truth entry (version 2)."""
    b = _Book(seed)
    for make in (_unlabelled, _plate_grid, _small_figures, _one_caption, _multi_line, _positional,
                 _caption_only, _vertical_caption, _caption_then_heading, _page_break, _running_text):
        make(b)
    for p in b.pages:
        for item in p.items:
            if isinstance(item, Deco) and item.kind == "logo":
                b.ornaments.append((p.number, item.rect))
    layout = Layout(b.pages, {}, b.ornaments)
    truth = {"file": FILE, "book_id": BOOK_ID, "kind": "digital", "domain": "silk",
             "page_count": len(b.pages), "page_size_pt": list(PAGE), "figures": b.figures,
             "not_figures": b.not_figures, "neutral": []}
    return layout, truth


def write_real_layouts(out_dir: Path, seed: int = 0) -> tuple[Path, dict]:
    """Given a folder, write real-layouts-digital.pdf and real-layouts-truth.json; return the PDF
    path and the truth entry."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    layout, truth = real_layouts_book(seed)
    path = out_dir / FILE
    path.write_bytes(write_digital(layout, PAGE))
    (out_dir / "real-layouts-truth.json").write_text(
        json.dumps({"version": 2, "seed": seed, "books": [truth]}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")
    return path, truth
