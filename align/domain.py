"""Book domain (silk or mural), decided from the book's own vocabulary."""

from __future__ import annotations

from collections.abc import Sequence

from align.clean import t2s
from culti.records import Domain, PageExtract

# weights: words that only one domain uses count more than shared art-history words
SILK_WORDS = {
    "丝绸": 3, "织锦": 3, "锦": 1, "绫": 2, "罗纹": 2, "纱": 1, "绢": 2, "缂丝": 3, "刺绣": 3,
    "经线": 3, "纬线": 3, "提花": 3, "织物": 3, "团窠": 2, "联珠": 2, "印染": 3, "夹缬": 3,
    "蜡缬": 3, "绞缬": 3, "纺织": 3, "织造": 3, "纹锦": 3, "织机": 3, "丝线": 3, "绣": 1,
    "平纹": 3, "斜纹": 3, "缎": 2, "纹样": 1, "面料": 2, "服饰": 2, "袍": 1,
}
MURAL_WORDS = {
    "壁画": 3, "洞窟": 3, "窟": 2, "莫高窟": 3, "敦煌": 1, "藻井": 3, "龛": 2, "飞天": 3,
    "供养人": 3, "经变": 3, "佛": 1, "菩萨": 2, "说法图": 3, "榆林": 2, "西壁": 3, "北壁": 3,
    "南壁": 3, "东壁": 3, "窟顶": 3, "佛龛": 3, "画师": 2, "线描": 1, "赋彩": 2, "石窟": 3,
    "本生": 2, "天王": 2, "伎乐": 2, "背光": 2, "壁面": 3,
}


def domain_scores(text: str) -> tuple[int, int]:
    """Given text, return its (silk, mural) vocabulary scores."""
    text = t2s(text)
    silk = sum(w * text.count(k) for k, w in SILK_WORDS.items())
    mural = sum(w * text.count(k) for k, w in MURAL_WORDS.items())
    return silk, mural


def detect_domain(pages: Sequence[PageExtract]) -> Domain:
    """Given a book's pages, return SILK or MURAL by weighted vocabulary; the file name breaks ties."""
    text = "\n".join(b.text for p in pages for b in p.blocks)
    silk, mural = domain_scores(text)
    if silk != mural:
        return Domain.SILK if silk > mural else Domain.MURAL
    name = (pages[0].source if pages else "").lower()
    if any(k in name for k in ("mural", "dunhuang", "壁画", "敦煌", "cave")):
        return Domain.MURAL
    return Domain.SILK
