"""Column repair: OCR lines of two side-by-side columns joined into one block with a space."""

from __future__ import annotations

import re
from dataclasses import replace

from align.clean import ends_sentence
from align.labels import _LABEL_RE, parse_caption
from culti.records import BBox, PageExtract, TextBlock

_SPACES = re.compile(r"\s+")


def _ems(text: str) -> float:
    return sum(0.55 if ch.isascii() else 1.0 for ch in text)


def _second_label_at(line: str) -> int | None:
    """Given a line starting with a caption, return where a second caption starts after a space."""
    if parse_caption(line) is None:
        return None
    for m in _LABEL_RE.finditer(line):
        if m.start() > 0 and line[m.start() - 1].isspace() and parse_caption(line[m.start():]):
            return m.start()
    return None


def _captions_above(b: TextBlock, page: PageExtract) -> list[BBox]:
    """Captions in one row just above the block, each over a different part of it."""
    x0, y0, x1, _ = b.bbox_pt
    line = (b.bbox_pt[3] - y0) / (b.text.count("\n") + 1)
    caps = [c.bbox_pt for c in page.blocks if c is not b and parse_caption(c.text)
            and -0.5 * line <= y0 - c.bbox_pt[3] <= 2.5 * line and x0 - 5 <= (c.bbox_pt[0] + c.bbox_pt[2]) / 2 <= x1 + 5]
    caps.sort()
    if len(caps) != 2 or caps[0][2] > caps[1][0]:
        return []
    return caps


def _split_line(line: str, want_ems: float) -> tuple[str, str] | None:
    spaces = [m for m in _SPACES.finditer(line.strip())]
    if not spaces:
        return None
    text = line.strip()
    best = min(spaces, key=lambda m: abs(_ems(text[: m.start()]) - want_ems))
    return text[: best.start()], text[best.end():]


def split_two_columns(b: TextBlock, boundary_frac: float, first_cut: int | None) -> list[TextBlock]:
    """Given a block holding two columns line by line, return the left and right column blocks."""
    lines = [ln for ln in b.text.split("\n") if ln.strip()]
    max_ems = max(_ems(ln) for ln in lines)
    want = max_ems * boundary_frac
    left: list[str] = []
    right: list[str] = []
    for i, ln in enumerate(lines):
        if i == 0 and first_cut is not None:
            parts = (ln[:first_cut].strip(), ln[first_cut:].strip())
        else:
            parts = _split_line(ln, want)
        if parts is None:
            # a lone part: the column whose paragraph is still open takes it
            open_right = right and not ends_sentence(right[-1])
            open_left = left and not ends_sentence(left[-1])
            (right if open_right and not open_left else left).append(ln.strip())
            continue
        left.append(parts[0])
        right.append(parts[1])
    x0, y0, x1, y1 = b.bbox_pt
    mid = x0 + (x1 - x0) * boundary_frac
    return [replace(b, text="\n".join(left), bbox_pt=(x0, y0, mid, y1)),
            replace(b, text="\n".join(right), bbox_pt=(mid, y0, x1, y1))]


def split_page_columns(page: PageExtract) -> PageExtract:
    """Given a page, return it with two-column blocks (a caption row or text under one) split."""
    out: list[TextBlock] = []
    changed = False
    for b in page.blocks:
        lines = [ln for ln in b.text.split("\n") if ln.strip()]
        spaced = sum(bool(_SPACES.search(ln.strip())) for ln in lines)
        if len(lines) < 1 or spaced < max(1, len(lines) // 2):
            out.append(b)
            continue
        cut = _second_label_at(lines[0].strip())
        if cut is not None:
            first = lines[0].strip()
            frac = _ems(first[:cut]) / max(_ems(first), 1.0)
            out += split_two_columns(replace(b, text="\n".join(ln.strip() for ln in lines)),
                                     0.5 if len(lines) > 1 else frac, cut)
            changed = True
            continue
        caps = _captions_above(b, page) if len(lines) > 1 else []
        if caps:
            x0, x1 = b.bbox_pt[0], b.bbox_pt[2]
            boundary = (caps[0][2] + caps[1][0]) / 2
            out += split_two_columns(b, (boundary - x0) / max(x1 - x0, 1.0), None)
            changed = True
            continue
        out.append(b)
    if not changed:
        return page
    return replace(page, blocks=tuple(replace(b, index=i) for i, b in enumerate(out)))
