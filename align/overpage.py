"""Pairing across pages: a composite whose sub-figures run over two pages, a caption pushed over
the page break by the figure that ended the page before."""

from __future__ import annotations

from align.captions import Caption
from align.geometry import height, width
from align.pairing import Match, Unit
from culti.records import BlockKind, Figure, PageExtract

_CN_SUBS = "甲乙丙丁戊己庚辛"


def _sub_rank(sub: str) -> int | None:
    """Given a sub-label ("1", "b", "乙"), return its place in its sequence, or None."""
    if sub.isdigit():
        return int(sub)
    if len(sub) == 1 and sub.lower() in "abcdefgh":
        return "abcdefgh".index(sub.lower()) + 1
    if len(sub) == 1 and sub in _CN_SUBS:
        return _CN_SUBS.index(sub) + 1
    return None


def _sub_ranks(u: Unit) -> list[int]:
    return [r for s in u.subcaptions if s is not None and (r := _sub_rank(s.sub_label)) is not None]


def continued_composites(lonely: list[Unit], matches: list[Match]) -> tuple[list[Match], list[Unit]]:
    """A composite whose sub-figures run over two pages ((1)(2) on one, (3)(4) and the caption
    on the next): the part with no caption takes its other part's caption, where the sub-labels
    carry on from one page to the other."""
    out: list[Match] = []
    still: list[Unit] = []
    for u in lonely:
        mine = _sub_ranks(u)
        found = None
        for m in matches if mine else ():
            theirs = _sub_ranks(m.unit)
            if not theirs or m.caption.page == u.page:
                continue
            if (m.unit.page == u.page + 1 and min(theirs) == max(mine) + 1) or \
                    (m.unit.page == u.page - 1 and max(theirs) + 1 == min(mine)):
                found = m
                break
        if found is None:
            still.append(u)
            continue
        out.append(Match(u, found.caption, found.cost + 0.1, "continued",
                         ("continued", f"assignment-cost={found.cost + 0.1:.2f}")))
    return out, still


def _lowest(u: Unit, page: PageExtract) -> bool:
    """Nothing but running matter (header, footer, page number) is printed under the unit."""
    body = (BlockKind.TEXT, BlockKind.CAPTION, BlockKind.TITLE)
    below = [b for b in page.blocks if b.kind in body and b.text.strip() and b.bbox_pt[1] >= u.bbox[3] - 2]
    below += [f.bbox_pt for f in _pictures(page) if f.bbox_pt[1] >= u.bbox[3] - 2]  # type: ignore[misc]
    return not below


def _pictures(page: PageExtract) -> list[Figure]:
    """The page's figures less ornaments (a logo, a corner mark: under 36 pt on a side)."""
    return [f for f in page.figures if min(width(f.bbox_pt), height(f.bbox_pt)) >= 36]


def over_page_break(lonely: list[Unit], orphans: list[Caption], pages: dict[int, PageExtract]
                     ) -> tuple[list[Match], list[Unit], list[Caption]]:
    """A figure that ends its page and a labelled caption that opens the next: the caption was
    pushed over the page break (the figure filled the page)."""
    out: list[Match] = []
    still: list[Unit] = []
    caps = list(orphans)
    for u in lonely:
        nxt = pages.get(u.page + 1)
        pick = None
        if nxt is not None and u.page in pages and _lowest(u, pages[u.page]):
            for c in (c for c in caps if c.page == u.page + 1 and c.labelled):
                body = (BlockKind.TEXT, BlockKind.CAPTION, BlockKind.TITLE)
                over = [b for b in nxt.blocks if b.kind in body and b.text.strip() and b.bbox_pt[3] <= c.bbox[1] + 2]
                over += [f for f in _pictures(nxt) if f.bbox_pt[3] <= c.bbox[1] + 2]  # type: ignore[misc]
                if not over:
                    pick = c
                    break
        if pick is None:
            still.append(u)
            continue
        caps.remove(pick)
        out.append(Match(u, pick, 0.3, "next-page", ("next-page", "assignment-cost=0.30")))
    return out, still, caps
