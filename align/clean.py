"""Text clean-up for captions and descriptions: width, OCR spacing, broken lines, t2s."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "，。、；：！？（）《》「」『』“”‘’【】…—·"
_CJK_RE = re.compile(f"[{CJK}]")
# spaces OCR puts between CJK characters, or between CJK and its punctuation or digits
_SPACE_CJK = re.compile(f"(?<=[{CJK}{CJK_PUNCT}])[ \t]+(?=[{CJK}{CJK_PUNCT}0-9])")
_SPACE_CJK_AFTER_DIGIT = re.compile(f"(?<=[0-9])[ \t]+(?=[{CJK}{CJK_PUNCT}])")
# a number OCR spread out between CJK characters: 第1 5 9 窟 -> 第159窟
_CJK_NUMBER = re.compile(f"(?<=[{CJK}])\\s*\\d+(?:\\s+\\d+)+\\s*(?=[{CJK}])")
_MULTI_SPACE = re.compile(r"[ \t\u00a0]+")
_TERMINAL = "。！？!?；;”」』…"
_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
# OCR noise at the edges of a line: bars, bullets, underscores
_EDGE_NOISE = re.compile(r"^[\s|_~`^•·.,，、;；'\"]+|[\s|_~`^•·,，、;；]+$")


def is_cjk(ch: str) -> bool:
    """Given one character, return whether it is a CJK ideograph."""
    return bool(_CJK_RE.match(ch))


def has_cjk(text: str) -> bool:
    """Given text, return whether it holds any CJK ideograph."""
    return bool(_CJK_RE.search(text))


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC  # imported here: opencc loads its dictionaries on first use

    return OpenCC("t2s")


def t2s(text: str) -> str:
    """Given text, return it converted from traditional to simplified Chinese (opencc t2s)."""
    return _t2s().convert(text) if text else text


def normalize_width(text: str) -> str:
    """Given text, return NFKC text with CJK-adjacent ASCII punctuation put back to full width."""
    text = unicodedata.normalize("NFKC", text)
    out = list(text)
    for i, ch in enumerate(out):
        if ch in _TO_FULL or ch == ".":
            prev = _neighbour(out, i, -1)
            nxt = _neighbour(out, i, 1)
            if ch == ".":
                # OCR reads 。 as . after a CJK character; 3.14 and Fig. stay
                if prev and is_cjk(prev) and not (nxt and nxt.isdigit()):
                    out[i] = "。"
            elif ch in "()":
                inner = _paren_inner(text, i)
                if inner is not None and has_cjk(inner):
                    out[i] = _TO_FULL[ch]
            elif (prev and (is_cjk(prev) or prev in CJK_PUNCT)) or (nxt and is_cjk(nxt)):
                out[i] = _TO_FULL[ch]
    return "".join(out)


def _neighbour(chars: list[str], i: int, step: int) -> str | None:
    j = i + step
    while 0 <= j < len(chars) and chars[j] in " \t":
        j += step
    return chars[j] if 0 <= j < len(chars) else None


def _paren_inner(text: str, i: int) -> str | None:
    # the text between a bracket and its partner, so (a) stays ASCII and (唐代) goes full width
    if text[i] == "(":
        j = text.find(")", i)
        return text[i + 1 : j] if j > 0 else None
    j = text.rfind("(", 0, i)
    return text[j + 1 : i] if j >= 0 else None


def remove_cjk_spaces(text: str) -> str:
    """Given a line, return it without the spaces OCR puts between CJK characters."""
    text = _MULTI_SPACE.sub(" ", text)
    text = _CJK_NUMBER.sub(lambda m: re.sub(r"\s+", "", m.group(0)), text)
    for _ in range(2):  # overlapping matches ("团 窠 对") need a second pass
        text = _SPACE_CJK.sub("", text)
        text = _SPACE_CJK_AFTER_DIGIT.sub("", text)
    return text.strip()


def join_lines(lines: list[str]) -> str:
    """Given lines of one paragraph, return them joined where the line broke mid-sentence."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        out = join_two(out, line) if out else line
    return out


def join_two(left: str, right: str) -> str:
    """Given text and its next line, return them joined: no space between CJK, hyphens undone."""
    if not left:
        return right
    a, b = left[-1], right[0]
    if a == "-" and len(left) > 1 and left[-2].isalpha() and b.islower():
        return left[:-1] + right  # Dun-\nhuang
    if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
        if a.isdigit() and b.isdigit():
            return left + right  # a number broken across lines
        return left + " " + right
    return left + right


def strip_edge_noise(text: str) -> str:
    """Given a caption or title, return it without stray OCR punctuation at its ends."""
    return _EDGE_NOISE.sub("", text).strip()


def clean_text(text: str, to_simplified: bool = True) -> str:
    """Given raw block text, return it normalised, de-spaced, re-joined and optionally t2s."""
    paragraphs = []
    text = text.replace("\ufffd", "")  # a glyph the font maps to no character: never a "�" in a row
    for para in re.split(r"\n\s*\n", text):
        lines = [remove_cjk_spaces(normalize_width(ln)) for ln in para.splitlines()]
        joined = join_lines(lines)
        if joined:
            paragraphs.append(joined)
    out = "\n".join(paragraphs)
    return t2s(out) if to_simplified else out


def join_blocks(texts: list[str]) -> str:
    """Given cleaned paragraph texts, return one text: a new line after a sentence end."""
    out = ""
    for t in (t.strip() for t in texts):
        if not t:
            continue
        if not out:
            out = t
        elif out[-1] in _TERMINAL:
            out += "\n" + t
        else:
            out = join_two(out, t)
    return out


def ends_sentence(text: str) -> bool:
    """Given text, return whether it ends with sentence-final punctuation."""
    t = text.rstrip()
    return bool(t) and t[-1] in _TERMINAL
