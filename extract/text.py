"""Text layer -> TextBlocks: spans grouped into lines and blocks in reading order, with a garble
check and pdfplumber as the independent second reading."""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Sequence

import pymupdf

from culti.records import BBox, BlockKind, TextBlock, TextOrigin

_PAGE_NUMBER = re.compile(r"^[\s\-—–·•]*(\d{1,4}|[ivxlcdm]{1,6}|第?\s*\d+\s*页)[\s\-—–·•]*$", re.I)
# (an exercise's figure: "第3题图", the figure of problem 3)
_CAPTION_LABEL = re.compile(r"^\s*((图|圖|图版|圖版|插图|Fig\.?|Figure|Plate)\s*[\dA-Za-z一二三四五六七八九十]"
                            r"|第\s*\d+\s*[题題]\s*[图圖])")


def is_caption_label(text: str) -> bool:
    """Return True when a line starts with a figure label (图3-14, 圖版五, Fig. 2...)."""
    return bool(_CAPTION_LABEL.match(text))


def is_bad_char(ch: str) -> bool:
    """Return True for characters a broken text layer produces: U+FFFD, private use, controls."""
    if ch == "\ufffd":
        return True
    cat = unicodedata.category(ch)
    return cat in ("Co", "Cs") or (cat == "Cc" and ch not in "\n\t\r")


def text_quality(text: str) -> tuple[int, float]:
    """Given extracted text, return (count of real characters, fraction of bad characters)."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0, 0.0
    bad = sum(is_bad_char(c) for c in chars)
    return len(chars) - bad, bad / len(chars)


def to_display(rect: Sequence[float], matrix: pymupdf.Matrix) -> BBox:
    """Given an unrotated-page rect and the page's rotation matrix, return the displayed bbox."""
    r = pymupdf.Rect(rect) * matrix
    return (round(r.x0, 2), round(r.y0, 2), round(r.x1, 2), round(r.y1, 2))


def pymupdf_lines(textdict: dict, visible_only: bool = True) -> list[dict]:
    """Given page.get_text('dict'), return its text lines grouped per block: dicts with
    block, bbox, text, size, font (most used)."""
    lines: list[dict] = []
    for bno, block in enumerate(textdict.get("blocks", [])):
        for line in block.get("lines", []):
            shown = [s for s in line["spans"] if not visible_only or s.get("alpha", 255) > 0]
            spans = [s for s in shown if s["text"].strip()]
            if not spans:
                continue
            # some writers set each word space as a span of its own: keep it between the words
            text = "".join(s["text"] for s in shown).strip()
            fonts = Counter(s["font"] for s in spans for _ in s["text"])
            lines.append({"block": bno, "bbox": _union([s["bbox"] for s in spans]), "text": text,
                          "size": max(s["size"] for s in spans), "font": fonts.most_common(1)[0][0]})
    return split_headings(lines)


def split_headings(lines: list[dict]) -> list[dict]:
    """Given text lines grouped in blocks, return them with a heading line cut off the paragraph
    MuPDF put under it in one block ("Data access for ... RCAC" in bold 12 pt, then body text at
    10 pt): a short line with no sentence end, set at least 15 % larger than the line after it."""
    out = [dict(ln) for ln in lines]
    part = 0
    for i in range(1, len(lines)):
        prev, cur = lines[i - 1], lines[i]
        if cur["block"] != prev["block"]:
            part = 0
            continue
        head = prev["text"].strip()
        if prev["size"] >= 1.15 * cur["size"] and len(head) <= 80 and head[-1:] not in ".。:：;；,，":
            part += 1
        if part:
            out[i]["block"] = cur["block"] + part * 10**6
    return out


def plumber_lines(plumber_page: object, gap_factor: float = 1.2) -> list[dict]:
    """Given a pdfplumber page, return its words grouped into lines and blocks (same dicts)."""
    words = plumber_page.extract_words(  # type: ignore[attr-defined]
        keep_blank_chars=True, use_text_flow=True, extra_attrs=["fontname", "size"])
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) < 0.5 * word["size"]:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines: list[dict] = []
    block, last_bottom = 0, None
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        size = max(w["size"] for w in row)
        top = min(w["top"] for w in row)
        if last_bottom is not None and top - last_bottom > gap_factor * size:
            block += 1
        last_bottom = max(w["bottom"] for w in row)
        lines.append({"block": block, "text": " ".join(w["text"] for w in row).strip(),
                      "bbox": _union([(w["x0"], w["top"], w["x1"], w["bottom"]) for w in row]),
                      "size": size, "font": Counter(w["fontname"] for w in row).most_common(1)[0][0]})
    return lines


def lines_to_blocks(lines: list[dict], page: int, page_rect: pymupdf.Rect,
                    matrix: pymupdf.Matrix, band_frac: float) -> list[TextBlock]:
    """Given grouped lines (unrotated coordinates), return TextBlocks in reading order with
    header / footer / page-number kinds decided by position band."""
    groups: dict[int, list[dict]] = {}
    for line in lines:
        groups.setdefault(line["block"], []).append(line)
    drafts = []
    upright = 0
    for group in groups.values():
        bbox = to_display(_union([g["bbox"] for g in group]), matrix)
        column = _stacked(group)
        text = ("" if column else "\n").join(g["text"] for g in group)
        upright += len(text) if column else -len(text)
        sizes = [g["size"] for g in group]
        font = Counter(g["font"] for g in group).most_common(1)[0][0]
        drafts.append((bbox, text, statistics.median(sizes), font))
    if upright > 0:  # most words are set in vertical columns (one character a line)
        drafts = vertical_paragraphs(drafts)
    else:
        drafts.sort(key=lambda d: (round(d[0][1] / 4), d[0][0]))
        drafts = merge_paragraphs(drafts)
    blocks = []
    for index, (bbox, text, size, font) in enumerate(drafts):
        kind = band_kind(bbox, text, page_rect, band_frac)
        blocks.append(TextBlock(page=page, index=index, text=text, bbox_pt=bbox, kind=kind,
                                origin=TextOrigin.PDF, font_size=round(size, 2), font_name=font))
    return blocks


def _cx(box: Sequence[float]) -> float:
    return (box[0] + box[2]) / 2


def _stacked(group: list[dict]) -> bool:
    """Return True for lines of one or two CJK characters each set one under another: a column
    (centres compared: some writers give line boxes twice the glyph size)."""
    if len(group) < 2 or any(len(g["text"].strip()) > 2 for g in group):
        return False
    if any(ord(c) < 0x2E80 for g in group for c in g["text"].strip()):
        return False  # a column of numbers or letters in a table is not vertical writing
    for a, b in zip(group, group[1:], strict=False):
        size = max(a["size"], 1.0)
        dy = (b["bbox"][1] + b["bbox"][3]) / 2 - (a["bbox"][1] + a["bbox"][3]) / 2
        if dy < 0.5 * size or abs(_cx(b["bbox"]) - _cx(a["bbox"])) > 0.5 * size:
            return False
    return True


def vertical_paragraphs(drafts: list[tuple]) -> list[tuple]:
    """Given (bbox, text, size, font) drafts of a page set in vertical columns, return them
    with the pieces of one column joined top to bottom and neighbouring columns joined into
    blocks read right to left (columns split by newlines); a column that starts with a figure
    label stays a block of its own. Blocks come right to left, then top to bottom."""
    columns: list[list] = []
    for d in sorted(drafts, key=lambda d: (-round(_cx(d[0]) / 4), d[0][1])):
        if columns:
            bbox, text, size, font = columns[-1]
            nb = d[0]
            if abs(_cx(nb) - _cx(bbox)) < 0.5 * size and nb[1] - bbox[3] < 3 * size \
                    and nb[1] > bbox[1]:
                merged = (min(bbox[0], nb[0]), bbox[1], max(bbox[2], nb[2]), max(bbox[3], nb[3]))
                columns[-1] = [merged, text + d[1], size, font]
                continue
        columns.append(list(d))
    blocks: list[list] = []
    last = None  # the previous column's box: columns are compared centre to centre
    for col in columns:  # right to left already
        cb, size = col[0], col[2]
        if blocks and last is not None and not is_caption_label(col[1]) \
                and not is_caption_label(blocks[-1][1]):
            bbox, text, bsize, font = blocks[-1]
            pitch = _cx(last) - _cx(cb)
            overlap = min(last[3], cb[3]) - max(last[1], cb[1])
            if 0 < pitch < 2.5 * max(size, bsize) and abs(size - bsize) < 0.2 * bsize \
                    and overlap > 0.5 * min(last[3] - last[1], cb[3] - cb[1]):
                blocks[-1] = [_union([bbox, cb]), f"{text}\n{col[1]}", bsize, font]
                last = cb
                continue
        blocks.append(col)
        last = cb
    return [tuple(b) for b in blocks]


def merge_paragraphs(drafts: list[tuple]) -> list[tuple]:
    """Given (bbox, text, size, font) drafts in reading order, return them with consecutive
    blocks of one paragraph (same font and size, left edges aligned, line gap under one
    font size) joined: PDF writers often emit one block per line."""
    out: list[tuple] = []
    for draft in drafts:
        if out:
            bbox, text, size, font = out[-1]
            nb, ntext, nsize, nfont = draft
            gap = nb[1] - bbox[3]
            if (font == nfont and abs(size - nsize) < 0.3 and -0.2 * size < gap < 0.9 * size
                    and abs(nb[0] - bbox[0]) < 2.5 * size and nb[0] < bbox[2]):
                merged = (min(bbox[0], nb[0]), bbox[1], max(bbox[2], nb[2]), max(bbox[3], nb[3]))
                out[-1] = (merged, f"{text}\n{ntext}", size, font)
                continue
        out.append(draft)
    return out


def band_kind(bbox: BBox, text: str, page_rect: pymupdf.Rect, band_frac: float) -> BlockKind:
    """Given a block's displayed bbox and text, return HEADER / FOOTER / PAGE_NUMBER when it
    sits wholly in the top or bottom band and is short, else TEXT."""
    band = band_frac * page_rect.height
    short = len(text) <= 40 and "\n" not in text.strip()
    in_top, in_bottom = bbox[3] <= page_rect.y0 + band, bbox[1] >= page_rect.y1 - band
    if not short or not (in_top or in_bottom):
        return BlockKind.TEXT
    if _PAGE_NUMBER.match(text):
        return BlockKind.PAGE_NUMBER
    return BlockKind.HEADER if in_top else BlockKind.FOOTER


def mark_captions(blocks: list[TextBlock], figure_boxes: Sequence[BBox],
                  max_gap_pt: float = 36.0) -> list[TextBlock]:
    """Given blocks and figure boxes, return blocks where a labelled one-line block set apart
    next to a figure (above, below or beside) has kind CAPTION; align re-decides."""
    from dataclasses import replace

    out = []
    for block in blocks:
        first = block.text.strip().split("\n")[0]
        if block.kind == BlockKind.TEXT and _CAPTION_LABEL.match(first) and any(
            _near(block.bbox_pt, fig, max_gap_pt) for fig in figure_boxes
        ):
            block = replace(block, kind=BlockKind.CAPTION)
        out.append(block)
    return out


def _near(a: BBox, b: BBox, gap: float) -> bool:
    dx = max(b[0] - a[2], a[0] - b[2], 0.0)
    dy = max(b[1] - a[3], a[1] - b[3], 0.0)
    return dx <= gap and dy <= gap


def _union(boxes: Sequence[Sequence[float]]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))
