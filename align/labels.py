"""Figure labels: parse a caption line, normalise a label, find references in body text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from align.clean import has_cjk, strip_edge_noise, t2s

_PREFIX = r"(?P<prefix>[图圖]\s?版|[图圖]\s?表|插\s?[图圖]|彩\s?[图圖]|[图圖]|Figure|FIGURE|Fig\.?|FIG\.?|Plate|PLATE)"
_CN_NUM = "一二三四五六七八九十百千零〇两"
# arabic numbers tolerate OCR spaces inside ("3 - 1 4") and every dash and dot we have met
_SEP = r"[-‐‑‒–—―－﹣.．·・_]"
_ARABIC = rf"\d(?:\s?\d)*(?:\s*{_SEP}\s*\d(?:\s?\d)*)*"
_NUMBER = rf"(?P<number>{_ARABIC}|[{_CN_NUM}]+)"
_SUB_TOKEN = r"[a-hA-H]|[甲乙丙丁戊己庚辛]|\d{1,2}|[ivx]{1,3}"
_SUB_PAREN = rf"[(（]\s*(?P<sub>{_SUB_TOKEN})\s*[)）]"
_SUB_BARE = r"(?P<subbare>[a-h])(?![A-Za-z])"
_LABEL = rf"{_PREFIX}\s*{_NUMBER}(?:\s*{_SUB_PAREN}|{_SUB_BARE})?"
_LABEL_RE = re.compile(_LABEL)
_CAPTION_RE = re.compile(rf"^\s*{_LABEL}(?P<rest>.*)$", re.S)
_STANDALONE_SUB_RE = re.compile(
    rf"^\s*(?:[(（]\s*(?P<sub>{_SUB_TOKEN})\s*[)）]|(?P<subcn>[甲乙丙丁戊己庚辛])(?=\s|$|[：:、.．]))"
    r"\s*[：:、.．]?\s*(?P<rest>.*)$",
    re.S,
)
_LOOSE_SUB_RE = re.compile(r"^(?P<sub>)(?P<subcn>[甲乙丙丁戊己庚辛])\s*(?P<rest>[^\d，。,]{1,7})$")
# words that turn a leading label into a reference: 图3-2所示, 图3-2中可见, 图版五为...
_REF_FOLLOW = ("所示", "中", "为", "是", "可见", "的", "和", "与", "及", "、", "，", ",", "。", "即", "左", "右", "上", "下")
_CAPTION_SEPS = " \t:：.．、,，-—_|"
MAX_CAPTION_CHARS = 80
NEAR_CAPTION_CHARS = 400  # a labelled block next to a figure: its caption may be a paragraph


@dataclass(frozen=True, slots=True)
class CaptionParse:
    """A caption line split into its parts; label is normalised (图3-14, 图3-5(a))."""

    label: str  # normalised label, sub-label included
    title: str  # the text after the label, cleaned of separators
    sub_label: str = ""  # "a", "甲"...: set when the caption names one sub-figure
    base_label: str = ""  # the label without its sub-label
    rest: str = ""  # lines after the caption line in the same block (a description)
    printed_label: str = ""  # the label as printed, NFKC, spaces removed (图3.14 stays 图3.14)
    printed_sep: str = ""  # punctuation printed between label and title (":" in "Figure 1: ...")


@dataclass(frozen=True, slots=True)
class SubCaption:
    """A standalone sub-caption under one image of a composite: "(a) 局部"."""

    sub_label: str
    title: str


def _norm_prefix(prefix: str) -> str:
    p = t2s(re.sub(r"\s+", "", prefix))
    if p.lower().startswith("fig"):
        return "图"
    if p.lower() == "plate":
        return "图版"
    return p


def _norm_number(number: str) -> str:
    number = unicodedata.normalize("NFKC", number)
    number = re.sub(r"\s+", "", number)
    return re.sub(_SEP, "-", number)


def _norm_sub(sub: str) -> str:
    return unicodedata.normalize("NFKC", sub).strip().lower()


def normalize_label(text: str) -> str:
    """Given a label as printed or OCR'd ("圖 3－1 4", "图版 五"), return it normalised ("图3-14")."""
    m = _LABEL_RE.search(unicodedata.normalize("NFKC", text))
    if not m:
        return ""
    return _label_from_match(m)[0]


def _label_from_match(m: re.Match[str]) -> tuple[str, str, str]:
    base = _norm_prefix(m.group("prefix")) + _norm_number(m.group("number"))
    sub = m.group("sub") or m.group("subbare") or ""
    sub = _norm_sub(sub)
    return (f"{base}({sub})" if sub else base), base, sub


def parse_caption(text: str, max_chars: int = MAX_CAPTION_CHARS) -> CaptionParse | None:
    """Given a text block, return its caption parts when it starts with a figure label, else None.

    A body sentence that mentions a label (如图3-2所示, 图3-2中可见, Figure 3 shows) is a
    reference: None. max_chars: the longest title (CJK characters; Latin ones count half), more
    for a block set next to a figure, whose caption may run to a paragraph.
    """
    norm = unicodedata.normalize("NFKC", text).strip()
    norm = strip_edge_noise(norm) if norm[:1] in "|_·•" else norm
    m = _CAPTION_RE.match(norm)
    if not m:
        return _exam_caption(norm)
    rest_all = m.group("rest")
    lines = rest_all.split("\n")
    first = lines[0]
    after = first.lstrip()
    if after.startswith(_REF_FOLLOW) and not first[:1].isspace():
        return None
    if m.group("subbare") and after[:1].isalpha() and after[:1].isascii():
        return None
    if _LATIN_REF.match(after):
        return None  # "Figure 3 shows ...": English running text
    if m.group("number")[-1:] in _SEP:
        return None
    # a bare sub-letter glued to Latin text ("图3a" fine, "Fig. 3and") was refused above
    title = _clean_title(first)
    if title and any(ln.strip() for ln in lines[1:]) and first.rstrip()[-1:] in ",，;；":
        title += first.rstrip()[-1]  # "… Pine Creek,\nAustralia": the comma stays if the title runs on
    long = max_chars > MAX_CAPTION_CHARS
    if _ems(title) > max_chars or (title.count("。") > 1 and not long):
        return None
    label, base, sub = _label_from_match(m)
    more = [ln for ln in lines[1:] if ln.strip()]
    if not title and more and _looks_like_title(more[0]):
        title = _clean_title(more.pop(0))  # OCR put the title on the line under the label
    elif title and more and _title_runs_on(title, more[0]):
        title += _clean_title(more.pop(0))  # a long title wrapped in a narrow caption
    rest = "\n".join(more).strip()
    number_part = re.sub(r"\s+", "", norm[m.end("prefix") : m.start("rest")])
    prefix = re.sub(r"\s+", "", m.group("prefix"))
    printed = prefix + (" " if prefix[-1].isascii() else "") + number_part  # as printed, pre-t2s
    lead = first.strip()
    sep = lead[: len(lead) - len(lead.lstrip(_CAPTION_SEPS))].strip()
    sep = sep if sep and len(sep) <= 2 and title else ""
    if sep in (":", ",") and has_cjk(title):
        sep = {":": "：", ",": "，"}[sep]  # NFKC folded the full-width colon of 图1：
    return CaptionParse(label=label, title=title, sub_label=sub, base_label=base, rest=rest,
                        printed_label=printed, printed_sep=sep)


# an exam paper's figure: "第3题图" (the figure of question 3), "(第9题图)"; the whole label is the caption
_EXAM_RE = re.compile(r"^[(（]?\s*第\s*(?P<number>\d{1,3})\s*[题題]\s*[图圖]\s*[)）]?\s*$")


def _exam_caption(norm: str) -> CaptionParse | None:
    m = _EXAM_RE.match(norm)
    if not m:
        return None
    label = f"第{m.group('number')}题图"
    return CaptionParse(label=label, title="", base_label=label, printed_label=label)


def is_exam_label(label: str) -> bool:
    """Whether a normalised label is an exam figure's (第3题图): it has no title to look for."""
    return label.startswith("第") and label.endswith("题图")


_LATIN_REF = re.compile(
    r"^(?:shows?|illustrates?|depicts?|presents?|gives?|is|are|was|were|and|or|in|of|to|from|on|"
    r"with|compares?|summari[sz]es?|contains?|describes?|displays?|lists?|demonstrates?|"
    r"represents?|provides?|has|have|also|below|above|for|as|at|by|can|indicates?|highlights?)\b")


def _ems(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _title_runs_on(title: str, line: str) -> bool:
    line = line.strip()
    stops = "，。；：,.;:、！？!?）)"
    return 0 < len(line) <= 10 and title[-1] not in stops and not any(c in stops for c in line)


def _looks_like_title(line: str) -> bool:
    line = line.strip()
    return 0 < len(line) <= 30 and "。" not in line and line[-1] not in "，,；;"


def _clean_title(text: str) -> str:
    text = text.strip().lstrip(_CAPTION_SEPS).strip()
    return strip_edge_noise(text)


def parse_subcaption(text: str, loose: bool = False) -> SubCaption | None:
    """Given a short block, return its sub-label and title when it is "(a) ..." or "（甲）...", else None.

    loose: also "甲全貌" (OCR lost the space), for very short blocks next to a figure.
    """
    norm = unicodedata.normalize("NFKC", text).strip()
    if len(norm) > 30 or "\n" in norm.strip():
        return None
    m = _STANDALONE_SUB_RE.match(norm)
    if not m and loose and len(norm) <= 8:
        m = _LOOSE_SUB_RE.match(norm)
    if not m:
        return None
    sub = m.group("sub") or m.group("subcn")
    title = _clean_title(m.group("rest"))
    if "。" in title or len(title) > 24:
        return None
    return SubCaption(sub_label=_norm_sub(sub), title=title)


def find_references(text: str) -> list[str]:
    """Given body text, return the normalised labels it refers to, in order, without repeats."""
    norm = unicodedata.normalize("NFKC", text)
    seen: list[str] = []
    for m in _LABEL_RE.finditer(norm):
        if m.group("number")[-1:] in _SEP:
            continue
        label, base, _ = _label_from_match(m)
        for lab in (label, base):
            if lab not in seen:
                seen.append(lab)
    return seen


def label_match(a: str, b: str) -> bool:
    """Given two normalised labels, return whether they name the same figure or its parent."""
    if not a or not b:
        return False
    return a == b or a.split("(")[0] == b.split("(")[0]
