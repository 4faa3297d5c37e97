"""Given a BookPlan, return page plans: where every line, figure and ornament lies, in PDF points.

Units flow down the pages like a catalogue: running header and rule, page number at the outer
corner, figures with captions below/above/beside, pairs side by side, stacks, composites with
sub-captions, full-page plates whose caption faces them, and body text referring to figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from culti.sample import texts
from culti.sample.book import BookPlan, FigureSpec, Unit

BBox = tuple[float, float, float, float]
# PyMuPDF sets china-s as a CID font where every character, digits included, is 1 em wide, and
# extraction reports a span box from 1.0 em above the baseline to 0.2 em below it.
ASC, DESC = 1.0, -0.2
_NO_LINE_START = set("，。、；：）」』！？”")
BODY, DESC_SIZE, CAPTION, SUB, HEADER = 10.5, 9.0, 10.0, 9.0, 8.0


def text_width(text: str, size: float) -> float:
    """Width in points of `text` set in china-s at `size` (1 em per character)."""
    return len(text) * size


def wrap(text: str, width: float, size: float, indent: float = 0.0) -> list[str]:
    """Given text, a column width and a size, return its lines (no punctuation starts a line)."""
    lines, line, used, limit = [], "", 0.0, width - indent
    for ch in text:
        w = text_width(ch, size)
        if used + w > limit and line and ch not in _NO_LINE_START:
            lines.append(line)
            line, used, limit = "", 0.0, width
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float


@dataclass(frozen=True, slots=True)
class Place:
    rect: BBox
    figure: FigureSpec


@dataclass(frozen=True, slots=True)
class Deco:
    kind: str  # lotus | logo (ornaments) or rule
    rect: BBox


@dataclass(slots=True)
class PagePlan:
    number: int
    items: list = field(default_factory=list)


@dataclass(slots=True)
class Layout:
    pages: list[PagePlan]
    placed: dict[str, dict]  # key -> page, bbox, caption_page, caption_bbox, caption_position, ...
    ornaments: list[tuple[int, BBox]]


def _union(boxes: list[BBox]) -> BBox | None:
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


class Composer:
    """Flows a book's units onto pages; each placement is measured first, then committed."""

    def __init__(self, plan: BookPlan, rng: np.random.Generator):
        self.plan, self.rng = plan, rng
        self.w, self.h = plan.page_size
        self.x0, self.x1 = round(self.w * 0.1), self.w - round(self.w * 0.1)
        self.top, self.bottom = round(self.h * 0.095), self.h - round(self.h * 0.085)
        self.col = self.x1 - self.x0
        self.content = self.bottom - self.top
        self.pages: list[PagePlan] = []
        self.placed: dict[str, dict] = {}
        self.ornaments: list[tuple[int, BBox]] = []
        self.chapter_title, self.chapter_dynasty = "", ""
        self.y = self.top

    # -- pages ---------------------------------------------------------------------------------
    def new_page(self, header: bool = True) -> PagePlan:
        page = PagePlan(len(self.pages) + 1)
        self.pages.append(page)
        self.y = self.top
        n, even = page.number, page.number % 2 == 0
        if header:
            text = self.plan.title if even else self.chapter_title
            x = self.x0 if even else self.x1 - text_width(text, HEADER)
            page.items.append(Text(x, self.top - 20, text, HEADER))
            page.items.append(Deco("rule", (self.x0, self.top - 13, self.x1, self.top - 13)))
            if self.plan.ornament_style in ("logo", "both") and not even:
                self.ornament(page, "logo", (self.x0, self.top - 33, self.x0 + 15, self.top - 18))
        num = str(n)
        x = self.x0 if even else self.x1 - text_width(num, HEADER + 1)
        page.items.append(Text(x, self.h - round(self.h * 0.045), num, HEADER + 1))
        return page

    def drop_blank_page(self) -> None:
        """Remove the last page when it holds nothing but its header and footer."""
        page = self.page
        if self.y <= self.top + 1 and not any(isinstance(i, Place) for i in page.items) and \
                not any(info["caption_page"] == page.number for info in self.placed.values()):
            self.pages.pop()
            self.ornaments = [o for o in self.ornaments if o[0] != page.number]

    def ornament(self, page: PagePlan, kind: str, rect: BBox) -> None:
        page.items.append(Deco(kind, rect))
        self.ornaments.append((page.number, rect))

    @property
    def page(self) -> PagePlan:
        return self.pages[-1]

    def room(self) -> float:
        return self.bottom - self.y

    # -- text ----------------------------------------------------------------------------------
    def lines(self, lines: list[str], x: float, y: float, size: float, leading: float, *,
              indent: float = 0.0, centre: float | None = None) -> tuple[list[Text], BBox, float]:
        """Given wrapped lines and the top `y`, return Text items, their box and the height used."""
        items, boxes = [], []
        for i, line in enumerate(lines):
            base = y + i * leading + ASC * size
            lw = text_width(line, size)
            lx = centre - lw / 2 if centre is not None else x + (indent if i == 0 else 0.0)
            items.append(Text(lx, base, line, size))
            boxes.append((lx, base - ASC * size, lx + lw, base - DESC * size))
        height = (len(lines) - 1) * leading + (ASC - DESC) * size if lines else 0.0
        return items, _union(boxes), height

    def paragraphs(self, paras: list[str], x: float, y: float, width: float, size: float):
        items, boxes, h = [], [], 0.0
        leading = size * 1.6
        for para in paras:
            lines = wrap(para, width, size, indent=2 * size)
            its, box, used = self.lines(lines, x, y + h, size, leading, indent=2 * size)
            items += its
            boxes.append(box)
            h += used + size * 0.6
        return items, _union(boxes), h - size * 0.6

    def split_description(self, fig: FigureSpec) -> list[str]:
        sentences = [s + "。" for s in fig.description.split("。") if s]
        if len(sentences) >= 3 and self.rng.random() < 0.35:
            cut = len(sentences) // 2
            return ["".join(sentences[:cut]), "".join(sentences[cut:])]
        return [fig.description]

    def caption(self, fig: FigureSpec, x, y, width, *, centre=None):
        lines = wrap(fig.caption, width, CAPTION)
        if centre is not None and len(lines) > 1:
            centre = x + width / 2
        return self.lines(lines, x, y, CAPTION, CAPTION * 1.45, centre=centre)

    def body(self, max_lines: int, refs: list[str], motif: str) -> None:
        """Fill up to `max_lines` of body text at the cursor, referring to `refs` (如图3-2所示)."""
        if max_lines < 2:
            return
        leading = BODY * 1.75
        text, n = "", 1
        while True:
            more = texts.body_sentences(self.plan.domain, self.chapter_dynasty, motif, refs, self.rng, n)
            if len(wrap(more, self.col, BODY, indent=2 * BODY)) > max_lines or n > 12:
                break
            text, n = more, n + 1
        if text:
            items, _, h = self.lines(wrap(text, self.col, BODY, indent=2 * BODY), self.x0, self.y, BODY,
                                     leading, indent=2 * BODY)
            self.page.items.extend(items)
            self.y += h + 12

    def fill(self, refs: list[str]) -> None:
        lines = int((self.room() - 4) // (BODY * 1.75))
        self.body(min(lines, int(self.rng.integers(3, 10))), refs, "")

    # -- units ---------------------------------------------------------------------------------
    def commit(self, items: list, placed: dict[str, dict], height: float) -> None:
        page = self.page.number
        for info in placed.values():
            info.setdefault("page", page)
            info.setdefault("caption_page", page)
        self.page.items.extend(items)
        self.placed.update(placed)
        self.y += height + 16

    def fig_size(self, fig: FigureSpec, max_w: float, max_h: float) -> tuple[float, float]:
        aspect = fig.picture.width / fig.picture.height
        w = max_w
        if w / aspect > max_h:
            w = max_h * aspect
        return round(w, 2), round(w / aspect, 2)

    def single(self, fig: FigureSpec, position: str, y: float, frac: float, max_h: float, paras):
        fw, fh = self.fig_size(fig, self.col * frac, max_h)
        fx = self.x0 + (self.col - fw) / 2
        cy = y if position == "above" else y + fh + 7
        cap_items, cap_box, cap_h = self.caption(fig, self.x0, cy, self.col, centre=fx + fw / 2)
        fy = y + cap_h + 6 if position == "above" else y
        dy = max(fy + fh, cy + cap_h) + (7 if position == "above" else 5)
        d_items, d_box, d_h = self.paragraphs(paras, self.x0, dy, self.col, DESC_SIZE)
        rect = (fx, fy, fx + fw, fy + fh)
        info = {"bbox": rect, "caption_bbox": cap_box, "caption_position": position, "description_bbox": d_box}
        return [Place(rect, fig), *cap_items, *d_items], {fig.key: info}, dy + d_h - y

    def beside(self, fig: FigureSpec, position: str, y: float, frac: float, paras):
        fw, fh = self.fig_size(fig, self.col * frac, self.content * 0.5)
        tw = self.col - fw - 16
        fx = self.x1 - fw if position == "left" else self.x0
        tx = self.x0 if position == "left" else self.x0 + fw + 16
        cap_items, cap_box, cap_h = self.caption(fig, tx, y + 4, tw)
        d_items, d_box, d_h = self.paragraphs(paras, tx, y + 4 + cap_h + 6, tw, DESC_SIZE)
        rect = (fx, y, fx + fw, y + fh)
        info = {"bbox": rect, "caption_bbox": cap_box, "caption_position": position, "description_bbox": d_box}
        return [Place(rect, fig), *cap_items, *d_items], {fig.key: info}, max(fh, 4 + cap_h + 6 + d_h)

    def pair(self, figs: list[FigureSpec], y: float, paras_list):
        half = (self.col - 18) / 2
        sizes = [self.fig_size(f, half * 0.95, self.content * 0.36) for f in figs]
        row_h = max(s[1] for s in sizes)
        items, placed, height = [], {}, 0.0
        for i, (fig, (fw, fh)) in enumerate(zip(figs, sizes, strict=True)):
            hx = self.x0 + i * (half + 18)
            fx, fy = hx + (half - fw) / 2, y + row_h - fh  # figures stand on one line
            cap_items, cap_box, cap_h = self.caption(fig, hx, y + row_h + 7, half, centre=fx + fw / 2)
            d_items, d_box, d_h = self.paragraphs(paras_list[i], hx, y + row_h + 7 + cap_h + 5, half, DESC_SIZE - 0.5)
            items += [Place((fx, fy, fx + fw, fy + fh), fig), *cap_items, *d_items]
            placed[fig.key] = {"bbox": (fx, fy, fx + fw, fy + fh), "caption_bbox": cap_box,
                               "caption_position": "below", "description_bbox": d_box}
            height = max(height, row_h + 7 + cap_h + 5 + d_h)
        return items, placed, height

    def composite(self, figs: list[FigureSpec], y: float, paras):
        aspects = [f.picture.width / f.picture.height for f in figs]
        row_h = min(self.content * 0.36, (self.col * 0.9 - 14 * (len(figs) - 1)) / sum(aspects))
        widths = [row_h * a for a in aspects]
        x = self.x0 + (self.col - sum(widths) - 14 * (len(figs) - 1)) / 2
        items, placed, sub_h = [], {}, 0.0
        for fig, fw in zip(figs, widths, strict=True):
            rect = (round(x, 2), y, round(x + fw, 2), y + row_h)
            sub_items, sub_box, sub_h = self.lines([fig.subcaption], x, y + row_h + 5, SUB, SUB * 1.4,
                                                   centre=x + fw / 2)
            items += [Place(rect, fig), *sub_items]
            placed[fig.key] = {"bbox": rect, "caption_position": "below", "subcaption_bbox": sub_box}
            x += fw + 14
        cy = y + row_h + 5 + sub_h + 6
        cap_items, cap_box, cap_h = self.caption(figs[0], self.x0, cy, self.col, centre=self.x0 + self.col / 2)
        d_items, d_box, d_h = self.paragraphs(paras, self.x0, cy + cap_h + 5, self.col, DESC_SIZE)
        for info in placed.values():
            info.update(caption_bbox=cap_box, description_bbox=d_box)
        return items + cap_items + d_items, placed, cy + cap_h + 5 + d_h - y

    def caption_block(self, fig: FigureSpec, y: float, paras):
        cap_items, cap_box, cap_h = self.caption(fig, self.x0, y, self.col)
        d_items, d_box, d_h = self.paragraphs(paras, self.x0, y + cap_h + 5, self.col, DESC_SIZE)
        info = {"caption_bbox": cap_box, "caption_position": "facing", "description_bbox": d_box}
        return cap_items + d_items, {fig.key: info}, cap_h + 5 + d_h

    def plate_page(self, fig: FigureSpec) -> dict:
        page = self.new_page(header=False)
        fw, fh = self.fig_size(fig, self.col, self.content)
        fx, fy = self.x0 + (self.col - fw) / 2, self.top + (self.content - fh) / 2
        page.items.append(Place((fx, fy, fx + fw, fy + fh), fig))
        return {"page": page.number, "bbox": (fx, fy, fx + fw, fy + fh)}

    # -- flow ----------------------------------------------------------------------------------
    def place(self, unit: Unit) -> None:
        """Put one unit at the cursor, on a fresh page when it does not fit."""
        if unit.kind == "plate":
            return self.place_plate(unit)
        if unit.new_page and self.y > self.top + 1:
            self.fill([f.label for f in unit.figures])
            self.new_page()
        layout = self.measure(unit)
        result = layout(self.y)
        if self.y + result[2] > self.bottom:
            self.fill([f.label for f in unit.figures])
            self.new_page()
            spare = int((self.room() - result[2] - 16) // (BODY * 1.75))
            if self.rng.random() < 0.3 and spare >= 2:
                self.body(min(spare, int(self.rng.integers(2, 5))), [unit.figures[0].label], "")
            result = layout(self.y)
        self.commit(*result)
        if self.rng.random() < 0.4:
            lines = min(int(self.rng.integers(2, 5)), int((self.room() - 4) // (BODY * 1.75)))
            self.body(lines, [f.label for f in unit.figures[:1]], "")

    def measure(self, unit: Unit):
        """Draw this unit's random choices once, and return a function of the top y."""
        figs, kind = unit.figures, unit.kind
        paras = [self.split_description(f) for f in figs]
        if kind in ("below", "above"):
            frac = float(self.rng.uniform(0.5, 0.85))
            return lambda y: self.single(figs[0], kind, y, frac, self.content * 0.55, paras[0])
        if kind in ("left", "right"):
            frac = float(self.rng.uniform(0.48, 0.6))
            return lambda y: self.beside(figs[0], kind, y, frac, paras[0])
        if kind == "pair":
            return lambda y: self.pair(figs, y, paras)
        if kind == "composite":
            return lambda y: self.composite(figs, y, paras[0])
        if kind == "stack":
            frac = float(self.rng.uniform(0.7, 0.9))

            def stack(y: float):
                a = self.single(figs[0], "below", y, frac, self.content * 0.22, paras[0])
                b = self.single(figs[1], "below", y + a[2] + 16, frac, self.content * 0.22, paras[1])
                return a[0] + b[0], {**a[1], **b[1]}, a[2] + 16 + b[2]
            return stack
        raise ValueError(f"unknown unit kind {kind!r}")

    def place_plate(self, unit: Unit) -> None:
        fig = unit.figures[0]
        paras = self.split_description(fig)
        if unit.caption_after:  # plate first, its caption heads the next page
            self.fill([fig.label])
            where = self.plate_page(fig)
            self.new_page()
        else:
            items, _, h = self.caption_block(fig, self.y, paras)
            if self.y + h > self.bottom:
                self.fill([fig.label])
                self.new_page()
        items, placed, h = self.caption_block(fig, self.y, paras)
        self.commit(items, placed, h)
        if not unit.caption_after:
            self.fill([fig.label])
            where = self.plate_page(fig)
            self.new_page()
        self.placed[fig.key].update(where)


def compose(plan: BookPlan, rng: np.random.Generator) -> Layout:
    """Given a book plan, return its pages: title page, then chapters of flowing units."""
    c = Composer(plan, rng)
    page = c.new_page(header=False)
    size = 26.0
    tw = text_width(plan.title, size)
    page.items.append(Text((c.w - tw) / 2, c.h * 0.36, plan.title, size))
    sub = "织锦与丝绸纹样图录" if plan.domain == "silk" else "莫高窟壁画图录"
    page.items.append(Text((c.w - text_width(sub, 13)) / 2, c.h * 0.36 + 40, sub, 13))
    press = "文物出版社" if plan.domain == "silk" else "敦煌研究院  编"
    page.items.append(Text((c.w - text_width(press, 12)) / 2, c.h * 0.85, press, 12))
    c.ornament(page, "lotus", (c.w / 2 - 22, c.h * 0.36 - 90, c.w / 2 + 22, c.h * 0.36 - 46))
    for chapter in plan.chapters:
        c.chapter_title, c.chapter_dynasty = chapter.title, chapter.dynasty
        if len(c.pages) > 1:
            c.drop_blank_page()
        c.new_page()
        if plan.ornament_style in ("lotus", "both"):
            c.ornament(c.page, "lotus", (c.w / 2 - 13, c.y, c.w / 2 + 13, c.y + 26))
            c.y += 34
        tw = text_width(chapter.title, 17)
        c.page.items.append(Text((c.w - tw) / 2, c.y + ASC * 17, chapter.title, 17))
        c.y += 17 * 1.4 + 18
        c.body(int(rng.integers(3, 7)), [u.figures[0].label for u in chapter.units[:2]], "")
        for unit in chapter.units:
            c.place(unit)
        c.fill([])
    c.drop_blank_page()
    return Layout(c.pages, c.placed, c.ornaments)
