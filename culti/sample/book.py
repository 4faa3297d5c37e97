"""What one sample book holds: chapters of layout units (single, beside, pair, stack, composite,
plate, crop), each figure with its picture spec, label, caption and description."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from culti.sample import texts
from culti.sample.attributes import MuralAttrs, SilkAttrs, mural_attrs, silk_attrs

LABEL_STYLES = ("chapter", "plate", "plain", "chatu")
PAGE_SIZES = {"a4": (595.0, 842.0), "16k": (524.0, 737.0)}
# the hard layouts first, so even a small book shows as many as fit
MUST_UNITS = ("below", "pair", "composite", "plate", "left", "right", "stack", "crop", "above")
UNIT_SIZE = {"below": 1, "above": 1, "left": 1, "right": 1, "pair": 2, "stack": 2, "composite": 2,
             "plate": 1, "crop": 2}
RANDOM_UNITS = (("below", 0.3), ("above", 0.08), ("left", 0.07), ("right", 0.07), ("pair", 0.15),
                ("stack", 0.2), ("composite", 0.04), ("plate", 0.03), ("crop", 0.06))
IMAGE_KINDS = (("jpeg", 0.74), ("png", 0.1), ("png-rgba", 0.05), ("tiles", 0.06), ("vector", 0.05))
ASPECTS = ((1.0, 0.2), (4 / 3, 0.2), (3 / 4, 0.15), (3 / 2, 0.12), (2 / 3, 0.1), (16 / 9, 0.08),
           (4.0, 0.08), (0.5, 0.07))


@dataclass(frozen=True, slots=True)
class Picture:
    """How to draw one figure's pixels again, deterministically."""

    attrs: SilkAttrs | MuralAttrs
    width: int  # pixels
    height: int
    seed: int
    kind: str  # jpeg | png | png-rgba | tiles | vector
    source: Picture | None = None  # crops: the whole piece they enlarge
    crop: tuple[float, float, float, float] | None = None  # fractions of the source


@dataclass(slots=True)
class FigureSpec:
    key: str
    picture: Picture
    label: str
    title: str
    caption: str
    description: str
    subcaption: str | None = None
    composite: str | None = None
    crop_of: str | None = None


@dataclass(slots=True)
class Unit:
    kind: str  # one of UNIT_SIZE
    figures: list[FigureSpec]
    new_page: bool = False  # crops start a page so they lie after their whole piece
    caption_after: bool = False  # plates: caption on the next page instead of the previous one


@dataclass(slots=True)
class Chapter:
    number: int
    title: str
    dynasty: str
    units: list[Unit] = field(default_factory=list)


@dataclass(slots=True)
class BookPlan:
    book_id: str
    domain: str
    title: str
    label_style: str
    page_size: tuple[float, float]
    chapters: list[Chapter]
    ornament_style: str  # lotus | logo | both
    dpi: int  # of the scanned version
    subcaption_style: str  # latin (a)/(b) or stems 甲/乙


def _choice(rng: np.random.Generator, weighted) -> object:
    values, weights = zip(*weighted, strict=True)
    p = np.array(weights) / sum(weights)
    return values[int(rng.choice(len(values), p=p))]


def _unit_kinds(rng: np.random.Generator, figures: int) -> list[str]:
    kinds, left = [], figures
    for kind in MUST_UNITS:
        if UNIT_SIZE[kind] <= left:
            kinds.append(kind)
            left -= UNIT_SIZE[kind]
    while left > 0:
        kind = str(_choice(rng, RANDOM_UNITS))
        kind = kind if UNIT_SIZE[kind] <= left else "below"
        kinds.append(kind)
        left -= UNIT_SIZE[kind]
    head, tail = kinds[: len(MUST_UNITS)], kinds[len(MUST_UNITS):]
    order = rng.permutation(len(tail))  # spread the hard layouts through the book
    tail = [tail[i] for i in order]
    out = []
    for i, kind in enumerate(head):
        out.append(kind)
        out.extend(tail[i * 3:(i + 1) * 3])
    return out + tail[len(head) * 3:]


def _size(rng: np.random.Generator, aspect: float, long_range=(300, 900)) -> tuple[int, int]:
    long = int(rng.integers(*long_range))
    if aspect >= 1:
        return long, max(200, int(long / aspect))
    return max(200, int(long * aspect)), long


def plan_book(domain: str, index: int, figures: int, seed: int) -> BookPlan:
    """Given a domain, the book's 1-based index, its figure count and the seed, return its plan."""
    if domain not in ("silk", "mural"):
        raise ValueError(f"unknown domain {domain!r}: use silk or mural")
    rng = np.random.default_rng([seed, 0 if domain == "silk" else 1, index])
    book_id = f"{domain}-{index:02d}"
    style = LABEL_STYLES[((index - 1) * 2 + (domain == "mural")) % len(LABEL_STYLES)]
    titles = texts.SILK_BOOKS if domain == "silk" else texts.MURAL_BOOKS
    chapters_src = texts.SILK_CHAPTERS if domain == "silk" else texts.MURAL_CHAPTERS
    n_ch = 1 if figures < 4 else min(len(chapters_src), max(2, -(-figures // 30)))
    first = int(rng.integers(0, len(chapters_src) - n_ch + 1))
    chapters = [Chapter(i + 1, f"第{texts.CHAPTER_NUMERALS[i]}章  {src[1]}", src[0])
                for i, src in enumerate(chapters_src[first:first + n_ch])]
    kinds = _unit_kinds(rng, figures)
    per = -(-len(kinds) // n_ch)
    state = {"fig": 0, "label_book": 0, "label_ch": [0] * n_ch, "must_kinds": list(rng.permutation(
        ["tiles", "png-rgba", "vector", "png"]))}
    pending: list[tuple[int, Unit]] = []  # crops, placed two units after their whole piece
    for pos, kind in enumerate(kinds):
        ch = min(pos // per, n_ch - 1)
        src = chapters_src[first + ch]
        new: list[Unit] = []
        chapters[ch].units.extend(_build_unit(kind, rng, book_id, domain, style, ch, src, state, new))
        pending.extend((pos + 2, unit) for unit in new)
        for item in [p for p in pending if p[0] <= pos]:
            chapters[ch].units.append(_label_crop(item[1], style, ch, state))
            pending.remove(item)
    for _, unit in pending:
        chapters[-1].units.append(_label_crop(unit, style, n_ch - 1, state))
    page = PAGE_SIZES["a4" if rng.random() < 0.5 else "16k"]
    return BookPlan(book_id, domain, titles[(index - 1) % len(titles)], style, page, chapters,
                    str(rng.choice(["lotus", "logo", "both"])), int(rng.integers(150, 301)),
                    "latin" if rng.random() < 0.6 else "stems")


def _label_crop(unit: Unit, style: str, ch: int, state: dict) -> Unit:
    """Crops get their label when placed, so labels run in reading order."""
    fig = unit.figures[0]
    fig.label = _next_label(style, ch, state)
    fig.caption = f"{fig.label}  {fig.title}"
    return unit


def _next_label(style: str, ch: int, state: dict) -> str:
    state["label_book"] += 1
    state["label_ch"][ch] += 1
    return texts.label_for(style, ch + 1, state["label_ch"][ch], state["label_book"])


def _picture(rng, domain, src, aspect, kind, long_range=(300, 900)) -> tuple[Picture, str, str]:
    vector, fragment = kind == "vector", kind == "png-rgba"
    if domain == "silk":
        attrs = silk_attrs(rng, vector=vector, fragment=fragment)
        desc = texts.silk_description(attrs, src[0], str(rng.choice(src[2])), rng)
        title = texts.silk_title(attrs)
    else:
        attrs = mural_attrs(rng, src[2], vector=vector, fragment=fragment)
        desc, title = texts.mural_description(attrs, src[0]), texts.mural_title(attrs)
        if attrs.subject == "ceiling":
            aspect = 1.0
    w, h = _size(rng, aspect, long_range)
    return Picture(attrs, w, h, int(rng.integers(2**31)), kind), title, desc


def _kind(rng, state, eligible: bool) -> str:
    if eligible and state["must_kinds"]:
        return str(state["must_kinds"].pop(0))
    kind = str(_choice(rng, IMAGE_KINDS))
    return kind if eligible else ("png" if kind == "png" else "jpeg")


def _spec(book_id: str, state: dict, picture: Picture, label: str, title: str, desc: str, **kw) -> FigureSpec:
    state["fig"] += 1
    return FigureSpec(f"{book_id}-{state['fig']:03d}", picture, label, title, f"{label}  {title}", desc, **kw)


def _build_unit(kind, rng, book_id, domain, style, ch, src, state, pending) -> list[Unit]:
    aspect = float(_choice(rng, ASPECTS))
    if kind in ("below", "above"):
        pic, title, desc = _picture(rng, domain, src, aspect, _kind(rng, state, True))
        return [Unit(kind, [_spec(book_id, state, pic, _next_label(style, ch, state), title, desc)])]
    if kind in ("left", "right"):
        aspect = float(rng.choice([0.75, 1.0, 1.33]))
        pic, title, desc = _picture(rng, domain, src, aspect, _kind(rng, state, True))
        return [Unit(kind, [_spec(book_id, state, pic, _next_label(style, ch, state), title, desc)])]
    if kind in ("pair", "stack"):
        figs = []
        for _ in range(2):
            a = float(rng.choice([0.75, 1.0, 1.33, 1.5])) if kind == "pair" else float(rng.choice([1.5, 2.0, 4.0]))
            pic, title, desc = _picture(rng, domain, src, a, _kind(rng, state, True))
            figs.append(_spec(book_id, state, pic, _next_label(style, ch, state), title, desc))
        return [Unit(kind, figs)]
    if kind == "plate":
        pic, title, desc = _picture(rng, domain, src, float(rng.choice([0.7, 0.75])), _kind(rng, state, False), (700, 900))
        fig = _spec(book_id, state, pic, _next_label(style, ch, state), title, desc)
        return [Unit("plate", [fig], caption_after=bool(rng.random() < 0.5))]
    if kind == "composite":
        pic, title, desc = _picture(rng, domain, src, float(rng.choice([0.75, 1.0])), "jpeg")
        label = _next_label(style, ch, state)
        cx, cy = float(rng.uniform(0.1, 0.4)), float(rng.uniform(0.1, 0.4))
        detail = Picture(pic.attrs, pic.width, pic.height, pic.seed + 1, "jpeg", pic, (cx, cy, cx + 0.5, cy + 0.5))
        subs = [("(a)", "(b)"), ("甲", "乙")][int(rng.random() < 0.4)]
        first = _spec(book_id, state, pic, label, title, desc, subcaption=f"{subs[0]} 全貌")
        first.composite = first.key
        second = _spec(book_id, state, detail, label, title, desc, subcaption=f"{subs[1]} 局部", composite=first.key)
        return [Unit("composite", [first, second])]
    if kind == "crop":
        pic, title, desc = _picture(rng, domain, src, float(rng.choice([1.0, 1.33, 1.5])), "jpeg")
        whole = _spec(book_id, state, pic, _next_label(style, ch, state), title, desc)
        fx, fy = 0.45 * min(pic.width, pic.height) / pic.width, 0.45 * min(pic.width, pic.height) / pic.height
        cx, cy = float(rng.uniform(0, 1 - fx)), float(rng.uniform(0, 1 - fy))
        crop = Picture(pic.attrs, 600, 600, pic.seed + 1, "jpeg", pic, (cx, cy, cx + fx, cy + fy))
        detail = _spec(book_id, state, crop, "", f"{title}局部", texts.crop_description(whole.label, desc),
                       crop_of=whole.key)
        pending.append(Unit("below", [detail], new_page=True))
        return [Unit("below", [whole])]
    raise ValueError(f"unknown unit kind {kind!r}")
