"""Descriptions: the body blocks that belong to each matched figure, and nothing of the next."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from align.beside import exact_page
from align.captions import PageCaptions
from align.clean import clean_text, ends_sentence, join_blocks
from align.geometry import h_overlap, height, union, union_all, v_overlap, width
from align.labels import find_references, is_exam_label, label_match
from align.notes import group_lead, photo_groups
from align.ocr_captions import (
    is_column,
    is_credit,
    paper_prose,
    runs_past_unit,
    table_caption,
    vertical_description,
)
from align.pairing import Match
from culti.records import BBox, BlockKind, PageExtract, TextBlock, TextOrigin

TOL_PT = 4.0
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")


@dataclass(frozen=True, slots=True)
class Description:
    text: str  # cleaned, not yet t2s
    bbox: BBox | None  # union of its blocks on the caption's page
    origin: TextOrigin | None  # None when no block was used
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Body:
    page: int
    pos: int  # position in page.blocks (reading order)
    block: TextBlock


def is_heading(b: TextBlock, body_font: float | None) -> bool:
    """Given a block, return whether it is a section heading (a hard stop for descriptions)."""
    text = b.text.strip()
    if b.kind == BlockKind.TITLE and len(text) <= 40 and text.count("\n") <= 1:
        return True  # the layout model also calls whole paragraphs "title" now and then
    big = bool(b.font_size and body_font and b.font_size > 1.15 * body_font)
    ems = sum(0.5 if ch.isascii() else 1.0 for ch in text)  # a Latin heading runs to more letters
    if big and ems <= 30 and "\n" not in text and not any(ch in text for ch in "，。；,;"):
        return True
    # "4.3 基础信息处理": a numbered section heading set only a little larger than the body
    larger = bool(b.font_size and body_font and b.font_size > 1.05 * body_font)
    return larger and "\n" not in text and len(text) <= 30 and bool(_SECTION_NUMBER.match(text)) \
        and not any(ch in text for ch in "，。；,;")


# a numbered section or clause: "4.3 基础信息处理", "5.4.6对测绘图纸…", "二、", "第三章"
_SECTION_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)+\s*(?=[^\d.\s%])|\d+(?:\.\d+)*\s+(?=\D)|"
                             r"[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十\d]+[章节部分篇])")
_CLAUSE = re.compile(r"^\s*\d+\.\d+\.\d+\s*(?=[^\d.\s%])")
_PUNCT = re.compile(r"[，。；：！？、]|[,.;:!?](?:\s|$)")  # any sentence punctuation: prose, not cells
# where a first sentence ends: 。！？!? anywhere, "." or ":" before a space or the end, "："
_SENTENCE_END = re.compile(r"[。！？!?：]|[.:](?=\s|$)")


def _lead_in(text: str) -> bool:
    """A first sentence that ends its line with a colon introduces a list or steps ("... the
    following steps:", "…如下："); a colon inside a line ("表现良好：随机选取…") does not."""
    text = text.strip()
    m = _SENTENCE_END.search(text)
    return bool(m) and m.group() in ":：" and text[m.end():m.end() + 1] in ("", "\n")


def _anchors(m: Match, page: int) -> list[BBox]:
    out = []
    if m.caption.page == page:
        out.append(m.caption.bbox)
        if m.unit.page == page:
            out.append(union(m.unit.bbox, m.caption.bbox))
    return out


def _between(top: float, bottom: float, b: BBox, box: BBox) -> bool:
    return h_overlap(b, box) > 0 and box[1] >= top - TOL_PT and box[3] <= bottom + TOL_PT


def _owner(b: TextBlock, matches: Sequence[tuple[int, Match]], page: PageExtract,
           stops: Sequence[BBox]) -> int | None:
    """Given a body block, return the match index whose caption or figure sits closest above it."""
    best, best_key = None, None
    bb = b.bbox_pt
    for k, m in matches:
        own = {f.index for f in m.unit.figures} if m.unit.page == page.page else set()
        for a in _anchors(m, page.page):
            # OCR boxes of a caption and the line under it overlap by a few points
            if bb[1] < a[3] - max(TOL_PT, 0.5 * _line_height(b)) or (bb[1] + bb[3]) / 2 <= a[3]:
                continue
            cap = m.caption.bbox
            if m.caption.page == page.page and b.origin == TextOrigin.PDF and h_overlap(cap, bb) <= 0 \
                    and v_overlap(cap, bb) > 0.5 * min(height(cap), _line_height(b)):
                continue  # it starts level with the caption, beside it: another column's text
            ov = h_overlap(a, bb)
            strong = ov >= 0.3 * min(width(a), width(bb))
            # a short first line set off to one side ("清代织锦，故宫博物院藏。") still belongs
            near = ov > 0 and bb[1] - a[3] <= 3 * _line_height(b)
            if not (strong or near):
                continue
            blockers = [f.bbox_pt for f in page.figures if f.index not in own] + list(stops)
            if any(_between(a[3], bb[1], bb, s) for s in blockers if s != a):
                continue
            key = (0 if strong else 1, bb[1] - a[3], -ov)
            if best_key is None or key < best_key:
                best, best_key = k, key
    return best


def _continues(b: TextBlock, owned: Sequence[tuple[int, TextBlock]]) -> int | None:
    """A block right under an owned block and overlapping it (a paragraph's short last line)."""
    for k, o in owned:
        gap = b.bbox_pt[1] - o.bbox_pt[3]
        if h_overlap(o.bbox_pt, b.bbox_pt) > 0 and -TOL_PT <= gap <= 0.8 * _line_height(o):
            return k
    return None


def describe(pages: Sequence[PageExtract], drops: dict[int, set[int]],
             found: dict[int, PageCaptions], matches: Sequence[Match],
             body_font: float | None, body_references: bool = False) -> list[Description]:
    """Given pages, running-block positions, captions and matches, return one description each."""
    owned: dict[int, list[_Body]] = {k: [] for k in range(len(matches))}
    leading: dict[int, list[_Body]] = {}
    last_owner: dict[int, int | None] = {}
    bodies: list[_Body] = []
    for p in pages:
        pc = found.get(p.page)
        used = pc.used if pc else frozenset()
        on_page = [(k, m) for k, m in enumerate(matches) if m.caption.page == p.page]
        heads = [b.bbox_pt for i, b in enumerate(p.blocks)
                 if i not in drops.get(p.page, set()) and is_heading(b, body_font)]
        caps = [c.bbox for c in pc.captions] if pc else []
        subs = [s.bbox for s in pc.subcaptions] if pc else []
        seen_owned = False
        last_owner[p.page] = None
        for i, b in enumerate(p.blocks):
            if i in drops.get(p.page, set()) or i in used or not b.text.strip() \
                    or (b.origin == TextOrigin.OCR and is_credit(b.text)):
                continue  # (a photo credit, 新华社发, describes nothing)
            if is_heading(b, body_font):
                seen_owned = True  # a heading ends any run-over from the previous page
                continue
            body = _Body(p.page, i, b)
            bodies.append(body)
            k = _owner(b, on_page, p, heads + caps + subs)
            if k is None:
                k = _continues(b, [(kk, x.block) for kk, lst in owned.items() for x in lst
                                   if x.page == p.page])
            if k is not None:
                owned[k].append(body)
                seen_owned = True
                last_owner[p.page] = k
            elif not seen_owned:
                leading.setdefault(p.page, []).append(body)
            else:
                last_owner[p.page] = None  # prose after the last description
    labels = {p.page: frozenset(c.label for c in found[p.page].captions if c.label)
              for p in pages if p.page in found}
    by_page = {p.page: p for p in pages}
    taken = {(x.page, x.pos) for lst in owned.values() for x in lst}
    above: dict[int, TextBlock | None] = {}
    for k, m in enumerate(matches):
        pg = by_page.get(m.unit.page)
        if pg is None:
            above[k] = None
            continue
        pc = found.get(pg.page)
        skip = set(drops.get(pg.page, set())) | set(pc.used if pc else ()) | \
            {pos for page, pos in taken if page == pg.page}
        above[k] = _prose_above(m, pg, skip, body_font)
    exact = frozenset(p.page for p in pages if exact_page(p))
    owned = {k: _cut_run(v, matches[k], body_font, labels.get(matches[k].caption.page, frozenset()),
                         above[k], exact)
             for k, v in owned.items()}
    _carry_over(owned, leading, last_owner, matches)
    _vertical_descriptions(pages, owned, bodies, matches)
    leads = _group_leads(pages, owned, bodies, matches)
    out = []
    for k, m in enumerate(matches):
        blocks = owned[k]
        evidence: tuple[str, ...] = ("group-lead",) if k in leads else ()
        rest = m.caption.rest
        cut = _before_citation(rest, False) if rest else None
        rest = rest if cut is None else cut  # the caption's region ran on into other prose
        texts = [clean_text(rest, to_simplified=False)] if rest else []
        texts += [clean_text(b.block.text, to_simplified=False) for b in blocks]
        if body_references and not blocks and not m.caption.rest and m.caption.labelled:
            refs = _from_references(m, bodies, matches)
            if refs:
                texts, blocks, evidence = [refs[0]], [refs[1]], ("ref-in-body",)
        origins = {b.block.origin for b in blocks} or ({m.caption.origin} if m.caption.rest else set())
        origin = (TextOrigin.OCR if TextOrigin.OCR in origins else TextOrigin.PDF) if origins else None
        bbox = union_all(b.block.bbox_pt for b in blocks if b.page == m.caption.page)
        out.append(Description(join_blocks(texts), bbox, origin, evidence))
    return out


def _vertical_descriptions(pages: Sequence[PageExtract], owned: dict[int, list[_Body]],
                           bodies: Sequence[_Body], matches: Sequence[Match]) -> None:
    """Give a figure whose caption is a vertical column, and that has no description yet, the
    block of columns left of it (vertical text reads right to left); in place."""
    taken = {(x.page, x.pos) for lst in owned.values() for x in lst}
    for k, m in enumerate(matches):
        if owned[k] or m.unit.page != m.caption.page or not is_column(m.caption.bbox):
            continue
        page = next(p for p in pages if p.page == m.unit.page)
        free = [(x.pos, x.block) for x in bodies if x.page == page.page and (x.page, x.pos) not in taken]
        pos = vertical_description(m.unit.bbox, m.caption.bbox, free, [f.bbox_pt for f in page.figures
                                                                     if f not in m.unit.figures])
        if pos is not None:
            owned[k] = [x for x in bodies if x.page == page.page and x.pos == pos]
            taken.add((page.page, pos))


def _group_leads(pages: Sequence[PageExtract], owned: dict[int, list[_Body]],
                 bodies: Sequence[_Body], matches: Sequence[Match]) -> set[int]:
    """Photos of one story (组图), each with an unlabelled caption and nothing more, share the
    lead paragraph set inside their group as their description; in place. Return the matches
    that took one."""
    got: set[int] = set()
    taken = {(x.page, x.pos) for lst in owned.values() for x in lst}
    for p in pages:
        ks = [k for k, m in enumerate(matches) if m.unit.page == m.caption.page == p.page
              and not m.caption.labelled and not m.caption.rest and not owned[k]]
        if len(ks) < 2:
            continue
        on_page = [x for x in bodies if x.page == p.page]
        free = [(x.pos, x.block) for x in on_page if (x.page, x.pos) not in taken]
        body = [(x.pos, x.block.bbox_pt) for x in on_page]
        for group in photo_groups([matches[k].unit.bbox for k in ks]):
            pos = group_lead([matches[ks[i]].unit.bbox for i in group], free, body)
            for i in group if pos else ():
                owned[ks[i]] = [x for x in on_page if x.pos in pos]
                got.add(ks[i])
            taken |= {(p.page, q) for q in pos}
            free = [(q, b) for q, b in free if q not in pos]
    return got


def _line_height(b: TextBlock) -> float:
    return (b.bbox_pt[3] - b.bbox_pt[1]) / (b.text.strip().count("\n") + 1)


def _cites_neighbour(b: TextBlock, m: Match, labels: frozenset[str]) -> bool:
    """The first sentence cites another figure captioned on this page: running text that
    introduces the next figure ("... is shown in Figure 3-14."), not this one's description."""
    first = next((s for s in _SENTENCE.findall(b.text) if s.strip()), "")
    own = m.caption.label
    return any(r in labels and not label_match(r, own) for r in find_references(first))


def _cut_run(blocks: list[_Body], m: Match, body_font: float | None = None,
             on_page: frozenset[str] = frozenset(), above: TextBlock | None = None,
             exact: frozenset[int] = frozenset()) -> list[_Body]:
    """Keep the description's run: stop at body prose that cites a figure (如图3-2所示, 见图3-4),
    at a change of type size in a text layer, or at a paragraph gap much wider than the first.
    `exact` names the pages whose OCR text has exact geometry and punctuation (outline pages)."""
    out: list[_Body] = []
    if is_exam_label(m.caption.label):
        return out  # the text under an exercise's figure (第3题图) is the next exercise
    first_gap = None
    started = bool(m.caption.rest)  # the caption block already held the description's start
    for b in blocks:
        cut = _before_citation(b.block.text, started or bool(out))
        if cut is not None:  # a layout region that runs on into prose about another figure
            if cut:
                out.append(_Body(b.page, b.pos, replace(b.block, text=cut)))
            break
        if started and not out and find_references(b.block.text):
            break
        if out:
            prev = out[-1].block
            if find_references(b.block.text):
                head = _before_first_reference(b.block.text)
                if head:  # the description's tail shares a block with the prose after it
                    out.append(_Body(b.page, b.pos, replace(b.block, text=head)))
                break  # a description does not cite figures; the running text does
            same_page = out[-1].page == b.page
            if same_page and _size_changed(prev, b.block):
                break
            gap = b.block.bbox_pt[1] - prev.bbox_pt[3]
            if same_page and first_gap is not None and gap > max(2.5 * first_gap, _line_height(prev)):
                break
        elif b.page == m.caption.page:
            first_gap = max(b.block.bbox_pt[1] - m.caption.bbox[3], 2.0)
            unit = m.unit.bbox if m.unit.page == m.caption.page else None
            scan = b.page not in exact  # the scan cues: an outline page's text is set as in a text layer
            if "cover-note" in m.caption.evidence:
                pass  # the paragraph under a cover note's heading is the note, however it is set
            elif _set_apart(b.block, m, body_font) or _cites_neighbour(b.block, m, on_page) \
                    or table_caption(b.block) \
                    or (scan and runs_past_unit(b.block, unit, m.caption.bbox, m.caption.labelled)):
                break  # body prose after a figure that has no description of its own
            elif _running_text(b.block, above, not scan) or (scan and paper_prose(
                    b.block, unit, m.caption.bbox, m.caption.labelled, m.caption.title)):
                break
        out.append(b)
    return out


def _running_text(b: TextBlock, above: TextBlock | None, exact: bool = False) -> bool:
    """Given the first block under a figure unit and the free prose right above the unit (or
    None), return whether the block is running text rather than the figure's description: table
    cells (no sentence, short lines), a lead-in to a list ("… the following steps:", "如下："),
    a Latin sentence carried on from before the figure (starts in lower case), a new numbered clause ("5.4.6 …"), or the paragraph that carries on the prose the figure was
    set into (same type and column as the text above the figure). `exact`: the block was OCRed
    from an outline page's drawn glyphs, which keeps punctuation as the text layer does."""
    text = b.text.strip()
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not lines or not (b.origin == TextOrigin.PDF or exact):
        return False  # a scan's OCR loses punctuation and spacing: these cues are the text layer's
    if not _PUNCT.search(text) and max(len(ln) for ln in lines) < 20:
        return True  # table cells or labels under a chart, no prose
    if _lead_in(text):
        return True
    if text[0].isascii() and text[0].islower():
        return True  # a sentence the figure interrupted carries on: running text, not a description
    if _CLAUSE.match(text):
        return True
    if above is None or not (above.origin == TextOrigin.PDF or exact):
        return False
    same_type = bool(b.font_size and above.font_size and abs(b.font_size - above.font_size) <= 0.3
                     and b.font_name == above.font_name)
    same_column = abs(b.bbox_pt[0] - above.bbox_pt[0]) <= 3 and \
        abs(b.bbox_pt[2] - above.bbox_pt[2]) <= 0.1 * width(b.bbox_pt)
    return same_type and same_column and len(lines) >= 2


def _prose_above(m: Match, page: PageExtract, skip: set[int], body_font: float | None) -> TextBlock | None:
    """The free body paragraph right above a figure unit in its column (no heading between), or None."""
    if m.unit.page != page.page:
        return None
    u = m.unit.bbox
    best = None
    for i, b in enumerate(page.blocks):
        bb = b.bbox_pt
        if i in skip or not b.text.strip() or bb[3] > u[1] + TOL_PT or h_overlap(bb, u) <= 0:
            continue
        if best is None or bb[3] > best[1].bbox_pt[3]:
            best = (i, b)
    if best is None or is_heading(best[1], body_font):
        return None
    return best[1]


FIRST_GAP_LINES = 1.6
FIRST_GAP_MIN_PT = 16.0
BODY_GAP_LINES = 1.0
SIDE_GAP_LINES = 1.5
OCR_GAP_LINES = 1.3


def _set_apart(b: TextBlock, m: Match, body_font: float | None = None) -> bool:
    """Given the first block under a figure unit, return whether a paragraph gap wider than a
    description's parts it from the caption or figure right above it (body text, not description).
    A block in the body's own type must follow as closely as its own lines follow each other.
    OCR boxes, an outline page's included, hug the ink rather than the type's line.
    """
    bb = b.bbox_pt
    boxes = [m.caption.bbox] + ([m.unit.bbox] if m.unit.page == m.caption.page else [])
    # the caption counts wherever it sits across (a short first line set off to one side)
    above = [a for a in boxes if (h_overlap(a, bb) > 0 or a is boxes[0]) and a[3] <= bb[1] + TOL_PT]
    if not above:
        return False
    gap = bb[1] - max(a[3] for a in above)
    body_type = (b.origin == TextOrigin.PDF and b.font_size and body_font
                 and abs(b.font_size - body_font) <= 0.3)
    if body_type:
        # set like the running text: it must follow as closely as its own lines follow each other;
        # under a picture whose caption sits beside it, the picture's own margin is allowed for
        side = m.relation in ("left", "right") and max(a[3] for a in above) != m.caption.bbox[3]
        return gap > (SIDE_GAP_LINES if side else BODY_GAP_LINES) * _line_height(b)
    if b.origin == TextOrigin.OCR:
        # OCR boxes hug the ink, so a printed 1-line gap reads a little wider than a line
        return gap > OCR_GAP_LINES * _line_height(b)
    return gap > max(FIRST_GAP_LINES * _line_height(b), FIRST_GAP_MIN_PT)


def _before_citation(text: str, started: bool) -> str | None:
    """The text before a later sentence that cites a figure (prose, not description), or None.

    A first sentence may cite one: a detail's description opens "为图2-28的局部放大。"
    """
    head = ""
    for i, sentence in enumerate(s for s in _SENTENCE.findall(text) if s.strip()):
        refs = find_references(sentence)
        if (i > 0 or started) and refs:
            return head.strip()
        head += sentence
    return None


def _before_first_reference(text: str) -> str:
    out = ""
    for sentence in _SENTENCE.findall(text):
        if find_references(sentence):
            break
        out += sentence
    return out.strip()


def _size_changed(a: TextBlock, b: TextBlock) -> bool:
    if a.origin != TextOrigin.PDF or b.origin != TextOrigin.PDF or not a.font_size or not b.font_size:
        return False  # OCR size estimates are too noisy to cut on
    return abs(a.font_size - b.font_size) > 0.08 * max(a.font_size, b.font_size)


def _carry_over(owned: dict[int, list[_Body]], leading: dict[int, list[_Body]],
                last_owner: dict[int, int | None], matches: Sequence[Match]) -> None:
    """A description cut by the page end runs on at the top of the next page."""
    for page, lead in sorted(leading.items()):
        k = last_owner.get(page - 1)
        if k is None or not owned[k] or owned[k][-1].page != page - 1:
            continue
        if ends_sentence(owned[k][-1].block.text):
            continue
        for b in lead:
            refs = find_references(b.block.text)
            if refs and not any(label_match(r, matches[k].caption.label) for r in refs):
                break
            owned[k].append(b)
            if ends_sentence(b.block.text):
                break


def _from_references(m: Match, bodies: Sequence[_Body], matches: Sequence[Match]
                     ) -> tuple[str, _Body] | None:
    """Body sentences that refer to the figure's label (如图3-2所示...), nearest page first."""
    mine = m.caption.label
    hits = [b for b in bodies if any(label_match(r, mine) for r in find_references(b.block.text))]
    if not hits:
        return None
    hits.sort(key=lambda b: (abs(b.page - m.caption.page), b.page, b.pos))
    text = clean_text(hits[0].block.text, to_simplified=False)
    taking, picked = False, []
    for s in (s for s in _SENTENCE.findall(text) if s.strip()):
        refs = find_references(s)
        if any(label_match(r, mine) for r in refs):
            taking = True
        elif refs and taking:
            break  # a sentence about another figure ends this one's
        if taking:
            picked.append(s.strip())
    return ("".join(picked), hits[0]) if picked else None
