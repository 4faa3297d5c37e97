"""What a sample figure shows: seeded attribute draws whose words and colours truly correspond.

Every colour name maps to one clearly different hue and every motif or subject to one clearly
different shape, so a model trained on the sample pairs can learn text <-> image from them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RGB = tuple[int, int, int]

SILK_GROUNDS: dict[str, RGB] = {
    "红": (168, 30, 36), "黄": (218, 170, 40), "蓝": (30, 56, 142), "绿": (30, 112, 60),
    "紫": (98, 40, 116), "褐": (112, 70, 38), "白": (236, 226, 200), "黑": (34, 30, 32),
}
SILK_INKS: dict[str, RGB] = {
    "黄": (240, 198, 62), "白": (246, 240, 224), "蓝": (56, 100, 196), "绿": (62, 162, 86),
    "红": (210, 48, 42), "橙": (236, 128, 36), "粉": (238, 156, 172), "黑": (26, 24, 24),
}
# inks that read clearly on each ground (hue or lightness far apart)
SILK_PAIRS: dict[str, tuple[str, ...]] = {
    "红": ("黄", "白", "蓝", "绿"), "黄": ("红", "蓝", "绿", "黑"), "蓝": ("黄", "白", "橙", "粉"),
    "绿": ("黄", "白", "红", "橙"), "紫": ("黄", "白", "粉", "绿"), "褐": ("黄", "白", "蓝", "绿"),
    "白": ("红", "蓝", "绿", "黑"), "黑": ("黄", "白", "红", "橙"),
}
# motif key -> (title word, description phrase)
SILK_MOTIFS: dict[str, tuple[str, str]] = {
    "tuanke": ("团窠宝花", "圆形团窠，窠内饰八瓣宝花"),
    "birds": ("联珠对鸟", "联珠圈围成团窠，窠内一对立鸟相向而立"),
    "deer": ("团窠对鹿", "双圈团窠内一对奔鹿相对"),
    "vine": ("缠枝莲", "波状起伏的缠枝藤蔓，枝上缀莲花与卷叶"),
    "lozenge": ("菱格", "斜线交叉构成菱形格，格心饰小花"),
    "hex": ("龟背", "六边形龟背格连续铺排，格心饰圆点"),
    "spray": ("折枝花", "折枝花卉，每枝一茎两叶一花"),
    "cloud": ("如意云", "如意头形云朵，云头卷曲"),
    "stripe": ("晕繝条", "宽窄不一的彩色横条带"),
}
SPOT_MOTIFS = ("tuanke", "birds", "deer", "spray", "cloud")
SILK_VECTOR_MOTIFS = ("tuanke", "lozenge", "hex", "stripe")
ARRANGEMENTS: dict[str, str] = {
    "stagger": "散点错位排列", "grid": "横竖对齐，成行成列", "band": "横向成排，排间以条带分隔",
}
SECONDARY: dict[str, str] = {"cross": "十字形小花", "dots": "小圆点", "scroll": "卷草纹"}

MURAL_GROUNDS: dict[str, RGB] = {
    "土红": (160, 70, 50), "石绿": (70, 144, 112), "石青": (42, 72, 146), "土黄": (196, 154, 82),
    "白": (228, 218, 192), "黑": (46, 40, 36),
}
MURAL_INKS: dict[str, RGB] = {
    "石绿": (58, 156, 116), "石青": (44, 86, 170), "土红": (176, 66, 46), "白": (238, 230, 210),
    "赭": (118, 68, 38), "黑": (38, 34, 32), "金": (226, 184, 66),
}
MURAL_PAIRS: dict[str, tuple[str, ...]] = {
    "土红": ("石绿", "石青", "白", "金"), "石绿": ("土红", "石青", "白", "赭"),
    "石青": ("石绿", "土红", "白", "金"), "土黄": ("石绿", "石青", "土红", "黑"),
    "白": ("石绿", "石青", "土红", "黑"), "黑": ("石绿", "白", "土红", "金"),
}
# subject key -> (title by count: one, two, row), description phrase
MURAL_SUBJECTS: dict[str, tuple[tuple[str, str, str], str]] = {
    "bodhisattva": (("菩萨像", "二菩萨像", "菩萨群像"), "立姿菩萨，头戴宝冠，身后有圆形头光"),
    "apsara": (("飞天", "双飞天", "飞天群"), "飞天横身凌空飞翔，身后飘带飞扬"),
    "buddha": (("说法图", "说法图", "说法图"), "结跏趺坐于莲座上的佛像，身后有舟形背光"),
    "donors": (("供养人像", "供养人像", "供养人行列"), "供养人拱手而立，旁有榜题"),
    "pavilion": (("楼阁图", "楼阁图", "楼阁图"), "殿堂楼阁，屋檐层叠，下有立柱"),
    "ceiling": (("莲花藻井", "莲花藻井", "莲花藻井"), "方形藻井，井心绘一朵大莲花"),
}
MURAL_VECTOR_SUBJECTS = ("pavilion", "ceiling")
COUNTS = {1: "单身", 2: "两身对称的", 3: "成排的"}
MURAL_SECONDARY: dict[str, str] = {"clouds": "四周点缀祥云", "flowers": "空中散落天花"}
WALLS = ("南壁", "北壁", "东壁", "西壁")


@dataclass(frozen=True, slots=True)
class SilkAttrs:
    ground: str  # colour name, key of SILK_GROUNDS
    inks: tuple[str, ...]  # pattern colours, main first
    motif: str
    arrangement: str | None  # only for spot motifs
    secondary: str | None
    material: str  # 锦 (many colours) or 绫 (tone on tone)
    fragment: bool  # torn edges (drawn as alpha)


@dataclass(frozen=True, slots=True)
class MuralAttrs:
    ground: str
    inks: tuple[str, ...]  # halo / robe / detail colours
    subject: str
    count: int  # 1, 2 or 3 (a row)
    secondary: str | None
    flaking: str  # light or heavy
    cracks: bool
    cave: int
    wall: str
    fragment: bool = False  # a detached piece with torn edges (drawn as alpha)


def silk_attrs(rng: np.random.Generator, vector: bool = False, fragment: bool = False) -> SilkAttrs:
    """Given a seeded rng, return one silk figure's attributes (vector: shapes PyMuPDF can draw)."""
    ground = str(rng.choice(list(SILK_GROUNDS)))
    motif = str(rng.choice(SILK_VECTOR_MOTIFS if vector else list(SILK_MOTIFS)))
    material = "绫" if (not vector and motif not in ("stripe",) and rng.random() < 0.15) else "锦"
    n_inks = 1 if material == "绫" else int(rng.integers(2, 4))
    inks = tuple(str(c) for c in rng.permutation(SILK_PAIRS[ground])[:n_inks])
    arrangement = str(rng.choice(list(ARRANGEMENTS))) if motif in SPOT_MOTIFS else None
    secondary = None
    if motif in SPOT_MOTIFS + ("lozenge",) and rng.random() < 0.7:
        secondary = str(rng.choice(list(SECONDARY)))
    return SilkAttrs(ground, inks, motif, arrangement, secondary, material, fragment)


def mural_attrs(rng: np.random.Generator, caves: tuple[int, ...], vector: bool = False,
                fragment: bool = False) -> MuralAttrs:
    """Given a seeded rng and the chapter's caves, return one mural figure's attributes."""
    ground = str(rng.choice(list(MURAL_GROUNDS)))
    subject = str(rng.choice(MURAL_VECTOR_SUBJECTS if vector else list(MURAL_SUBJECTS)))
    inks = tuple(str(c) for c in rng.permutation(MURAL_PAIRS[ground])[:3])
    count = int(rng.integers(1, 4)) if subject in ("bodhisattva", "apsara", "donors") else 1
    secondary = str(rng.choice(list(MURAL_SECONDARY))) if rng.random() < 0.6 else None
    if subject == "ceiling":
        secondary = None
    flaking = "heavy" if rng.random() < 0.3 else "light"
    cracks = bool(rng.random() < 0.5)
    wall = "窟顶" if subject == "ceiling" else str(rng.choice(WALLS))
    cave = int(rng.choice(caves))
    return MuralAttrs(ground, inks, subject, count, secondary, flaking, cracks, cave, wall, fragment)
