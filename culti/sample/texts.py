"""The words of a sample book: titles, captions, descriptions and body text, from the attributes."""

from __future__ import annotations

import numpy as np

from culti.sample.attributes import (
    ARRANGEMENTS,
    COUNTS,
    MURAL_SECONDARY,
    MURAL_SUBJECTS,
    SECONDARY,
    SILK_MOTIFS,
    MuralAttrs,
    SilkAttrs,
)

SILK_BOOKS = ("中国丝绸纹样图典", "丝绸之路织锦纹样集成", "中国古代织锦图录", "历代丝绸纹样图鉴")
MURAL_BOOKS = ("敦煌石窟壁画全集", "莫高窟壁画艺术图录", "敦煌壁画精品图集", "莫高窟壁画图典")
# chapter: (dynasty, chapter title, provenances or caves)
SILK_CHAPTERS = (
    ("唐代", "唐代织锦", ("新疆吐鲁番阿斯塔那墓地出土", "青海都兰热水墓群出土", "敦煌藏经洞出土")),
    ("辽代", "辽代丝绸", ("内蒙古耶律羽之墓出土", "内蒙古代钦塔拉辽墓出土")),
    ("宋代", "宋代丝绸", ("福州黄昇墓出土", "江苏金坛周瑀墓出土")),
    ("元代", "元代织金锦", ("内蒙古集宁路故城出土", "河北隆化鸽子洞出土")),
    ("明代", "明代丝绸", ("北京定陵出土", "江西南城益宣王墓出土")),
    ("清代", "清代宫廷丝绸", ("故宫博物院藏", "南京云锦研究所藏")),
)
MURAL_CHAPTERS = (
    ("北魏", "北魏壁画", (254, 257, 259, 251, 248, 435)),
    ("西魏", "西魏壁画", (249, 285, 288)),
    ("隋代", "隋代壁画", (244, 302, 303, 390, 420, 427)),
    ("初唐", "初唐壁画", (57, 220, 322, 329, 332)),
    ("盛唐", "盛唐壁画", (45, 103, 130, 148, 172, 217, 320)),
    ("中唐", "中唐壁画", (112, 158, 159, 154, 231)),
    ("晚唐", "晚唐壁画", (12, 85, 156, 196, 9)),
    ("五代", "五代壁画", (61, 98, 100, 146)),
)
CHAPTER_NUMERALS = "一二三四五六七八九十"
_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """Given 1 <= n <= 9999, return it in Chinese numerals as plate numbers are printed (图版一百零五)."""
    if not 0 < n < 10000:
        raise ValueError(f"plate number {n} out of range 1..9999")
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    out, zero = "", False
    for value, unit in units:
        digit = n // value % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += ("" if (digit == 1 and value == 10 and not out) else _DIGITS[digit]) + unit
    return out


def label_for(style: str, chapter: int, number_in_chapter: int, number_in_book: int) -> str:
    """Given a book's label style, return a figure label: 图3-14, 图12, 图版五 or 插图2."""
    if style == "chapter":
        return f"图{chapter}-{number_in_chapter}"
    if style == "plain":
        return f"图{number_in_book}"
    if style == "plate":
        return f"图版{chinese_numeral(number_in_book)}"
    if style == "chatu":
        return f"插图{number_in_book}"
    raise ValueError(f"unknown label style {style!r}: use chapter, plain, plate or chatu")


def _join_colours(names: tuple[str, ...]) -> str:
    return "、".join(names) + ("二色" if len(names) == 2 else "三色" if len(names) == 3 else "色")


def silk_title(a: SilkAttrs) -> str:
    """Given silk attributes, return a catalogue title like 红地联珠对鸟纹锦."""
    motif = SILK_MOTIFS[a.motif][0]
    if a.material == "绫":
        return f"{a.ground}色{motif}纹绫"
    return f"{a.ground}地{motif}纹{'残片' if a.fragment else '锦'}"


def silk_description(a: SilkAttrs, dynasty: str, provenance: str, rng: np.random.Generator) -> str:
    """Given silk attributes, return a 2-4 sentence description (40-150 characters) of what is drawn."""
    kind = "暗花绫" if a.material == "绫" else "织锦"
    first = f"{dynasty}{kind}，{provenance}。"
    if a.material == "绫":
        body = f"{a.ground}色地上以同色浅色丝线显花，主体纹样为{SILK_MOTIFS[a.motif][1]}"
    else:
        body = f"{a.ground}色地上以{_join_colours(a.inks)}显花，主体纹样为{SILK_MOTIFS[a.motif][1]}"
    if a.arrangement:
        body += f"，{ARRANGEMENTS[a.arrangement]}"
    sentences = [first, body + "。"]
    if a.secondary:
        sentences.append(f"主纹之间填饰{SECONDARY[a.secondary]}。")
    extras = ["纹样规整，色彩对比鲜明。", "组织细密，纹样清晰。", "构图饱满，富于装饰性。"]
    if a.fragment:
        extras = ["织物残破，边缘呈不规则残损。"]
    sentences.append(str(rng.choice(extras)))
    return _fit(sentences)


def mural_title(a: MuralAttrs) -> str:
    """Given mural attributes, return a caption title like 第217窟南壁飞天."""
    by_count = MURAL_SUBJECTS[a.subject][0]
    return f"第{a.cave}窟{a.wall}{by_count[a.count - 1]}"


def mural_description(a: MuralAttrs, dynasty: str) -> str:
    """Given mural attributes, return a 2-4 sentence description (40-150 characters) of what is drawn."""
    first = f"{dynasty}壁画，位于莫高窟第{a.cave}窟{a.wall}。"
    count = COUNTS[a.count] if a.subject in ("bodhisattva", "apsara", "donors") else ""
    second = f"{a.ground}地上绘{count}{MURAL_SUBJECTS[a.subject][1]}。"
    c1, c2 = a.inks[0], a.inks[1]
    colour = {
        "bodhisattva": f"头光为{c1}色，衣裙以{c2}色为主。",
        "apsara": f"头光为{c1}色，飘带为{c2}色。",
        "buddha": f"背光为{c1}色，袈裟为{c2}色。",
        "donors": f"衣袍为{c2}色，榜题为{c1}色。",
        "pavilion": f"屋顶为{c1}色，立柱为{c2}色。",
        "ceiling": f"外框为{c1}色，莲花为{c2}色。",
    }[a.subject]
    sentences = [first, second, colour]
    if a.secondary:
        sentences.append(f"{MURAL_SECONDARY[a.secondary]}。")
    state = "颜料大面积剥落，露出底层泥地。" if a.flaking == "heavy" else "画面略有剥落。"
    if a.cracks:
        state = state[:-1] + "，可见多道裂隙。"
    sentences.append(state)
    if a.fragment:
        sentences.insert(2, "此为揭取的壁画残块，边缘残损不齐。")
    return _fit(sentences)


def crop_description(whole_label: str, whole_description: str) -> str:
    """Given the whole piece's label and description, return the enlarged detail's description."""
    sentences = [f"为{whole_label}的局部放大。"] + [s + "。" for s in whole_description.split("。")[1:] if s]
    return _fit(sentences)


def _fit(sentences: list[str], low: int = 40, high: int = 150) -> str:
    """Keep the first sentences, dropping the optional tail until 40-150 characters remain."""
    while len("".join(sentences)) > high and len(sentences) > 2:
        sentences = sentences[:-1]
    text = "".join(sentences)
    if len(text) < low:
        text += "此件保存较好，是研究同期纹样的重要实物。"
    return text[:high]


_SILK_TOPICS = ("团窠", "联珠", "缠枝", "宝花", "折枝花", "龟背")
_MURAL_TOPICS = ("飞天", "菩萨", "说法图", "供养人", "藻井")
_SILK_BODY = (
    "{dyn}的纹样风格由严谨规整趋向自由活泼，写实的花鸟题材逐渐增多。",
    "地部与花部的组织不同，因而在光线下呈现出明暗对比的效果。",
    "这一时期的{motif}纹样常与吉祥寓意相结合，成为当时最受欢迎的装饰题材之一。",
    "{dyn}丝织品的纹样题材丰富，{motif}纹尤为常见。",
    "从织造技术看，此期经锦逐渐为纬锦所取代，纹样的循环更加宽大。",
    "团窠与缠枝的组合，体现了中外纹样交流融合的特点。",
    "纹样的排列方式与织机的提花装置密切相关。",
    "色彩的配置讲究对比与调和，地色与花色相互映衬。",
    "这类纹样后来也见于同期的金银器和建筑彩画之上。",
)
_MURAL_BODY = (
    "{dyn}洞窟的窟形多为覆斗顶，四壁绘满经变画和千佛。",
    "从{motif}的造型可以看出中原画风与西域画风的交融。",
    "榜题文字多已漫漶，只能依据画面内容判断其题材。",
    "{dyn}时期的洞窟在形制和题材上都有新的发展，{motif}的形象尤具代表性。",
    "画工以土红线起稿，再敷以石青、石绿等矿物颜料。",
    "壁画的布局讲究主次分明，佛像居中，菩萨和弟子分列两侧。",
    "由于年代久远，部分颜料已经变色或剥落。",
    "这些壁画为研究当时的宗教、服饰和建筑提供了珍贵的资料。",
    "线描流畅，设色浓丽，体现了敦煌画工高超的技艺。",
)


def body_sentences(domain: str, dynasty: str, motif: str, refs: list[str], rng: np.random.Generator,
                   count: int) -> str:
    """Given the figures a passage refers to, return `count` sentences of body text (如图3-2所示...)."""
    pool = _SILK_BODY if domain == "silk" else _MURAL_BODY
    motifs = _SILK_TOPICS if domain == "silk" else _MURAL_TOPICS
    out, last = [], -1
    for i in range(count):
        k = (last + 1 + int(rng.integers(len(pool) - 1))) % len(pool)  # never the same twice running
        last = k
        topic = motif or str(motifs[int(rng.integers(len(motifs)))])
        sentence = str(pool[k]).format(dyn=dynasty, motif=topic)
        if i < len(refs):
            ref = refs[i]
            sentence = f"如{ref}所示，" + sentence if rng.random() < 0.6 else sentence[:-1] + f"（见{ref}）。"
        out.append(sentence)
    return "".join(out)
