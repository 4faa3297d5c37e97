"""Block repair before caption finding: a caption line buried inside a larger block is cut out."""

from __future__ import annotations

from dataclasses import replace

from align.clean import has_cjk
from align.labels import NEAR_CAPTION_CHARS, parse_caption
from culti.records import BlockKind, PageExtract, TextBlock, TextOrigin


def _caption_line(line: str) -> bool:
    parsed = parse_caption(line)
    return parsed is not None and len(line.strip()) <= 40


def _line_ended(prev: str, longest: int) -> bool:
    """The line before ends its own text (a sentence, or a short label such as "Frame 90"): the
    next line starts afresh, it does not carry on a sentence that cites a figure."""
    prev = prev.strip()
    return not prev or prev[-1] in ".:;!?。：；！？" or len(prev) < 0.5 * longest


def _latin_caption_line(line: str) -> bool:
    """A long Latin caption line ("Figure 2: Two sample frames from ..."): it runs to the
    block's end (a Latin caption is a paragraph of its own)."""
    return not has_cjk(line) and parse_caption(line, max_chars=NEAR_CAPTION_CHARS) is not None


def split_block(b: TextBlock) -> list[TextBlock]:
    """Given a block, return it cut before and after each caption line it holds past its first.

    OCR layout regions and text-layer blocks sometimes swallow a caption together with the body
    text above it; line boxes are gone, so each piece gets an even share of the block's height.
    """
    lines = b.text.split("\n")
    longest = max(len(ln.strip()) for ln in lines)
    # a Latin label at a line's start after a full line carries on a sentence ("as shown in\n
    # Figure 4-10."): a reference, not a caption
    cuts = [i for i, ln in enumerate(lines) if i > 0 and _caption_line(ln)
            and (has_cjk(ln) or _line_ended(lines[i - 1], longest))]
    latin = next((i for i, ln in enumerate(lines) if i > 0 and _latin_caption_line(ln)
                  and _line_ended(lines[i - 1], longest)), None)
    if not cuts and latin is not None:
        step = (b.bbox_pt[3] - b.bbox_pt[1]) / len(lines)
        x0, y0, x1, _ = b.bbox_pt
        head = replace(b, text="\n".join(lines[:latin]).strip(), bbox_pt=(x0, y0, x1, y0 + latin * step),
                       kind=BlockKind.TEXT if b.kind == BlockKind.CAPTION else b.kind)
        cap = replace(b, text="\n".join(lines[latin:]).strip(), bbox_pt=(x0, y0 + latin * step, x1, b.bbox_pt[3]),
                      kind=BlockKind.CAPTION)
        return [head, cap] if head.text else [cap]
    if not cuts or len(lines) < 2:
        return [b]
    # a row of side-by-side captions stays whole: captions.split_caption_lines handles it
    if all(_caption_line(ln) for ln in lines if ln.strip()):
        return [b]
    edges = sorted({0, len(lines), *cuts, *(c + 1 for c in cuts)})
    step = (b.bbox_pt[3] - b.bbox_pt[1]) / len(lines)
    out = []
    for a, z in zip(edges, edges[1:], strict=False):
        text = "\n".join(lines[a:z]).strip()
        if not text:
            continue
        is_cap = z - a == 1 and a in cuts
        bbox = (b.bbox_pt[0], b.bbox_pt[1] + a * step, b.bbox_pt[2], b.bbox_pt[1] + z * step)
        kind = BlockKind.CAPTION if is_cap else (BlockKind.TEXT if b.kind == BlockKind.TITLE else b.kind)
        out.append(replace(b, text=text, bbox_pt=bbox, kind=kind))
    return out


def split_page(page: PageExtract) -> PageExtract:
    """Given a page, return it with caption lines cut out of the blocks that swallowed them."""
    blocks = [piece for b in page.blocks for piece in split_block(b)]
    if len(blocks) == len(page.blocks):
        return page
    blocks = [replace(b, index=i) for i, b in enumerate(blocks)]
    return replace(page, blocks=tuple(blocks))


def _column_piece(b: TextBlock) -> bool:
    x0, y0, x1, y1 = b.bbox_pt
    size = b.font_size or 0.0
    return (b.origin == TextOrigin.PDF and size > 0 and "\n" not in b.text.strip()
            and x1 - x0 <= 1.6 * size and y1 - y0 >= 1.5 * (x1 - x0))


def join_column_pieces(page: PageExtract) -> PageExtract:
    """Given a page, return it with the pieces of one vertical column joined top to bottom.

    A caption set vertically beside a picture reaches extract as a column of one-character lines,
    but a Latin word turned on its side ("有无微调" / "ControlNet" / "可视化结果对比") breaks it
    into pieces: same centre, same type, each starting where the one above ends.
    """
    blocks = list(page.blocks)
    order = sorted((i for i, b in enumerate(blocks) if _column_piece(b)), key=lambda i: blocks[i].bbox_pt[1])
    joined: dict[int, TextBlock] = {}
    gone: set[int] = set()
    for i in order:
        if i in gone:
            continue
        cur = blocks[i]
        for j in order:
            if j in gone or j == i or j in joined:
                continue
            nb, a = blocks[j].bbox_pt, cur.bbox_pt
            size = cur.font_size or 1.0
            same = abs((a[0] + a[2]) - (nb[0] + nb[2])) / 2 <= 0.5 * size and \
                abs((blocks[j].font_size or 0) - size) <= 0.3
            if same and -0.5 * size <= nb[1] - a[3] <= 0.8 * size:
                cur = replace(cur, text=cur.text.strip() + blocks[j].text.strip(),
                              bbox_pt=(min(a[0], nb[0]), a[1], max(a[2], nb[2]), max(a[3], nb[3])))
                gone.add(j)
        if cur is not blocks[i]:
            joined[i] = cur
    if not gone:
        return page
    out = [joined.get(i, b) for i, b in enumerate(blocks) if i not in gone]
    return replace(page, blocks=tuple(replace(b, index=k) for k, b in enumerate(out)))
