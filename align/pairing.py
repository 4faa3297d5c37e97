"""Pairing figures with captions: one assignment problem per page, then facing-page plates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from align.captions import Caption, PageCaptions, SubCaptionBlock
from align.config import AlignConfig
from align.geometry import box_gap, h_overlap, height, union, union_all, v_overlap, width
from align.notes import nearest_picture
from culti.records import BBox, Figure, PageExtract, TextOrigin
from culti.unionfind import UnionFind

INFEASIBLE = 1e6
NO_CAPTION_COST = 1.0  # a figure stays uncaptioned rather than take a caption costing more
SUB_GAP_PT = 40.0
GROUP_GAP_PT = 60.0


@dataclass(frozen=True, slots=True)
class Unit:
    """A figure, or a composite of sub-figures that share one main caption."""

    page: int
    figures: tuple[Figure, ...]
    subcaptions: tuple[SubCaptionBlock | None, ...]  # one per figure in a composite
    bbox: BBox

    @property
    def composite(self) -> bool:
        return any(s is not None for s in self.subcaptions)


@dataclass(frozen=True, slots=True)
class Match:
    unit: Unit
    caption: Caption
    cost: float
    relation: str  # below|above|left|right|overlap|facing-page
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PairingResult:
    matches: tuple[Match, ...]
    lonely_units: tuple[Unit, ...]  # no caption
    orphan_captions: tuple[Caption, ...]  # no figure


def relation(fig: BBox, cap: BBox, tol: float = 6.0) -> tuple[str, float]:
    """Given a figure box and a caption box, return where the caption sits and the gap in points."""
    if cap[1] >= fig[3] - tol:
        return "below", max(0.0, cap[1] - fig[3])
    if cap[3] <= fig[1] + tol:
        return "above", max(0.0, fig[1] - cap[3])
    if cap[0] >= fig[2] - tol:
        return "right", max(0.0, cap[0] - fig[2])
    if cap[2] <= fig[0] + tol:
        return "left", max(0.0, fig[0] - cap[2])
    return "overlap", 0.0


def geometry_cost(fig: BBox, cap: BBox, max_gap: float) -> tuple[float, str]:
    """Given a figure and a caption box, return the pairing cost (0 best) and the relation."""
    rel, gap = relation(fig, cap)
    if gap > max_gap:
        return INFEASIBLE, rel
    dist = 0.6 * gap / max_gap
    if rel in ("below", "above"):
        misalign = 1.0 - h_overlap(fig, cap) / width(cap)
        centre = abs((cap[0] + cap[2]) - (fig[0] + fig[2])) / 2 / width(fig)
        return dist + 0.8 * misalign + 0.2 * min(centre, 1.0) + (0.05 if rel == "above" else 0.0), rel
    if rel in ("left", "right"):
        misalign = 1.0 - v_overlap(fig, cap) / height(cap)
        wide = 0.25 if width(cap) > width(fig) else 0.0  # a paragraph in the next column, not a side caption
        return dist + 0.8 * misalign + 0.15 + wide, rel
    return 0.5, rel  # caption printed over the plate (scan crop took it in)


def _blocked(a: BBox, b: BBox, others: Sequence[BBox]) -> bool:
    """Given two boxes, return whether another figure sits in the corridor between them."""
    corridor = union(a, b)
    for o in others:
        inter = h_overlap(corridor, o) * v_overlap(corridor, o)
        if inter > 0.3 * width(o) * height(o):
            return True
    return False


def caption_cost(unit: Unit, cap: Caption, others: Sequence[BBox], config: AlignConfig
                 ) -> tuple[float, str]:
    """Given a unit and a caption on its page, return the cost from geometry and typography."""
    cost, rel = geometry_cost(unit.bbox, cap.bbox, config.max_caption_gap_pt)
    if cost >= INFEASIBLE:
        return cost, rel
    if _blocked(unit.bbox, cap.bbox, others):
        cost += 1.5
    if not cap.labelled:
        cost += 0.25
    if "layout:figure_caption" in cap.evidence:
        cost -= 0.05
    if "font-smaller" in cap.evidence:
        cost -= 0.03
    if cap.sub_label and not unit.composite:
        cost -= 0.02  # 图3-5(a) printed under its own image
    points = next((e.split(":", 1)[1] for e in cap.evidence if e.startswith("points:")), "")
    if points and rel != "overlap":  # ▲ names the picture above it, ► the one to its right
        cost += -0.2 if points == rel else 0.5
    if rel in ("below", "above") and cap.origin == TextOrigin.OCR and flush(unit.bbox, cap.bbox):
        cost -= FLUSH_BONUS  # a title band set to its chart's width, both edges flush
    return max(cost, 0.0), rel


FLUSH_BONUS = 0.08  # more than the 0.05 an "above" caption pays: a flush band over its chart wins


def flush(fig: BBox, cap: BBox) -> bool:
    """Whether a caption box is set to its figure's width: both edges within a few points (a
    report's chart title band, 股价与行业-市场走势对比 over its chart), not a centred line."""
    tol = max(3.0, 0.03 * width(fig))
    return abs(cap[0] - fig[0]) <= tol and abs(cap[2] - fig[2]) <= tol


def _units(page: PageExtract, pc: PageCaptions) -> list[Unit]:
    """Given a page, return its units: sub-captioned figures grouped into composites."""
    figs = list(page.figures)
    if not figs:
        return []
    sub_of: dict[int, SubCaptionBlock] = {}
    if pc.subcaptions:
        cost = np.full((len(figs), len(pc.subcaptions)), INFEASIBLE)
        for i, f in enumerate(figs):
            if _holds_several(f.bbox_pt, pc.subcaptions):
                continue  # one image of the whole composite: its sub-captions name parts of it
            for j, s in enumerate(pc.subcaptions):
                c, rel = geometry_cost(f.bbox_pt, s.bbox, SUB_GAP_PT)
                if rel in ("below", "above", "left", "right") and c < 0.6:
                    cost[i, j] = c
        rows, cols = linear_sum_assignment(cost)
        for i, j in zip(rows, cols, strict=True):
            if cost[i, j] < INFEASIBLE:
                sub_of[i] = pc.subcaptions[j]
    # group sub-captioned figures lying close together into one composite (union-find)
    uf = UnionFind(len(figs))
    members = sorted(sub_of)
    for a in members:
        for b in members:
            if a < b:
                ba = union(figs[a].bbox_pt, sub_of[a].bbox)
                bb = union(figs[b].bbox_pt, sub_of[b].bbox)
                if box_gap(ba, bb) <= GROUP_GAP_PT:
                    uf.union(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(len(figs)):
        groups.setdefault(uf.find(i) if i in sub_of else -1 - i, []).append(i)
    units = []
    for idx in sorted(groups.values(), key=lambda g: g[0]):
        boxes = [figs[i].bbox_pt for i in idx] + [sub_of[i].bbox for i in idx if i in sub_of]
        units.append(Unit(page.page, tuple(figs[i] for i in idx),
                          tuple(sub_of.get(i) for i in idx), union_all(boxes)))
    return units


def _holds_several(fig: BBox, subs: Sequence[SubCaptionBlock]) -> bool:
    """Two sub-captions on one side of the image, within its width (a row of them under it):
    one under and one over it name the image and its neighbour in a stack."""
    side = {"below": 0, "above": 0}
    for s in subs:
        centre = (s.bbox[0] + s.bbox[2]) / 2
        rel, gap = relation(fig, s.bbox)
        if fig[0] <= centre <= fig[2] and rel in side and gap <= SUB_GAP_PT:
            side[rel] += 1
    return max(side.values()) >= 2


def _assign_page(units: list[Unit], caps: Sequence[Caption], config: AlignConfig
                 ) -> tuple[list[Match], list[Unit], list[Caption]]:
    if not units or not caps:
        return [], list(units), list(caps)
    n, m = len(units), len(caps)
    cost = np.full((n, m + n), INFEASIBLE)
    cost[:, m:] = NO_CAPTION_COST
    rels: dict[tuple[int, int], str] = {}
    for i, u in enumerate(units):
        others = [f.bbox_pt for v in units if v is not u for f in v.figures]
        for j, c in enumerate(caps):
            cost[i, j], rels[i, j] = caption_cost(u, c, others, config)
    _by_marker(units, caps, cost, rels, config)
    rows, cols = linear_sum_assignment(cost)
    matches, lonely, taken = [], [], set()
    for i, j in zip(rows, cols, strict=True):
        if j < m and cost[i, j] < NO_CAPTION_COST:
            ev = (rels[i, j], f"assignment-cost={cost[i, j]:.2f}")
            matches.append(Match(units[i], caps[j], float(cost[i, j]), rels[i, j], ev))
            taken.add(j)
        else:
            lonely.append(units[i])
    return matches, lonely, [c for j, c in enumerate(caps) if j not in taken]


_AXIS = {"左": (0, -1), "右": (0, 1), "上": (1, -1), "下": (1, 1)}


def _by_marker(units: list[Unit], caps: Sequence[Caption], cost: np.ndarray,
               rels: dict[tuple[int, int], str], config: AlignConfig) -> None:
    """Captions that say which picture they name (图1（左）…, 图4（下）…) go to that picture of
    the row or stack next to them, whatever the distances say."""
    for j, c in enumerate(caps):
        if not c.position:
            continue
        near = [i for i, u in enumerate(units)
                if geometry_cost(u.bbox, c.bbox, 2 * config.max_caption_gap_pt)[0] < INFEASIBLE]
        if len(near) < 2:
            continue
        def key(i: int, marker: str = c.position) -> float:
            b = units[i].bbox
            score = 0.0
            for ch in marker:
                axis, sign = _AXIS.get(ch, (0, 0))
                score += sign * (b[axis] + b[axis + 2]) / 2
            return score
        if c.position == "中":
            ranked = sorted(near, key=lambda i: units[i].bbox[0] + units[i].bbox[2])
            pick = ranked[len(ranked) // 2]
        else:
            pick = max(near, key=key)
        for i in near:
            if i == pick:
                cost[i, j] = 0.05
            elif cost[i, j] < INFEASIBLE:
                cost[i, j] += 0.5


def _facing_page(lonely: list[Unit], orphans: list[Caption], found: dict[int, PageCaptions]
                 ) -> tuple[list[Match], list[Unit], list[Caption]]:
    """Pair a captionless plate with a figureless labelled caption on the page before or after
    it. A caption with no label is found only beside a picture of its own page (it hugs it, or
    stands level with it): one left over there lost its picture, and names none across the page."""
    if not lonely or not orphans:
        return [], lonely, orphans
    orphan_pages = {c.page for c in orphans}
    orphan_pages |= {p for p, pc in found.items() if pc.captions}  # a page with captions: no plate
    cost = np.full((len(lonely), len(orphans) + len(lonely)), INFEASIBLE)
    cost[:, len(orphans):] = NO_CAPTION_COST
    for i, u in enumerate(lonely):
        if u.page in orphan_pages:
            continue  # a caption left on the plate's own page did not fit it: not a facing plate
        for j, c in enumerate(orphans):
            if abs(c.page - u.page) != 1 or not c.labelled:
                continue
            # the spread partner (even page faces the next odd one) is the likelier side
            partner = u.page + 1 if u.page % 2 == 0 else u.page - 1
            cost[i, j] = 0.3 if c.page == partner else 0.4
            cost[i, j] += 0.02 * abs(_rank(u, lonely) - _rank(c, orphans))
    rows, cols = linear_sum_assignment(cost)
    matches, still, taken = [], [], set()
    for i, j in zip(rows, cols, strict=True):
        if j < len(orphans) and cost[i, j] < NO_CAPTION_COST:
            ev = ("facing-page", f"assignment-cost={cost[i, j]:.2f}")
            matches.append(Match(lonely[i], orphans[j], float(cost[i, j]), "facing-page", ev))
            taken.add(j)
        else:
            still.append(lonely[i])
    return matches, still, [c for j, c in enumerate(orphans) if j not in taken]


def _row_groups(lonely: list[Unit], orphans: list[Caption], config: AlignConfig
                ) -> tuple[list[Match], list[Unit], list[Caption]]:
    """Images side by side with one caption centred under (or over) the row: one composite."""
    out: list[Match] = []
    still = list(lonely)
    caps = list(orphans)
    rows = [row for page in sorted({u.page for u in lonely})
            for row in _rows([u for u in lonely if u.page == page])]
    for row in rows:
        page = row[0].page
        if len(row) < 2:
            continue
        first, last = row[0].bbox, row[-1].bbox
        same_row = all(v_overlap(a.bbox, b.bbox) > 0.5 * min(height(a.bbox), height(b.bbox))
                       and b.bbox[0] - a.bbox[2] <= GROUP_GAP_PT for a, b in zip(row, row[1:], strict=False))
        if not same_row:
            continue
        unit = Unit(page, tuple(f for u in row for f in u.figures),
                    tuple(s for u in row for s in u.subcaptions), union_all(u.bbox for u in row))
        best = None
        for c in (c for c in caps if c.page == page):
            centre = (c.bbox[0] + c.bbox[2]) / 2
            if not (first[2] - 5 <= centre <= last[0] + 5 or len(row) > 2):
                continue  # the caption must sit between the images, not under one of them
            cost, rel = caption_cost(unit, c, [], config)
            if cost < NO_CAPTION_COST and (best is None or cost < best[0]):
                best = (cost, rel, c)
        if best is None:
            continue
        cost, rel, c = best
        ev = (rel, f"assignment-cost={cost + 0.1:.2f}", "row-group", "one-caption")
        out.append(Match(unit, c, cost + 0.1, rel, ev))
        caps.remove(c)
        still = [u for u in still if u not in row]
    return out, still, caps


JOIN_GAP_PT = 24.0


def _rows(units: list[Unit]) -> list[list[Unit]]:
    """Given units of one page, return them grouped in rows (level with each other), each left
    to right."""
    rows: list[list[Unit]] = []
    for u in sorted(units, key=lambda u: (u.bbox[1], u.bbox[0])):
        for row in rows:
            box = union_all(v.bbox for v in row)
            if v_overlap(box, u.bbox) > 0.5 * min(height(box), height(u.bbox)):
                row.append(u)
                break
        else:
            rows.append([u])
    return [sorted(r, key=lambda u: u.bbox[0]) for r in rows]


def _join_neighbours(matches: list[Match], lonely: list[Unit], config: AlignConfig
                     ) -> tuple[list[Match], list[Unit]]:
    """An uncaptioned image stacked on (or set beside) a captioned one, edge to edge, with the
    caption under (or beside) both: the two images are one figure under one caption."""
    out = list(matches)
    still = list(lonely)
    changed = True
    while changed:  # a chain of pieces joins one by one, nearest first
        changed = False
        for u in list(still):
            k = _join_target(u, out, config)
            if k is None:
                continue
            out[k] = _joined(out[k], u)
            still.remove(u)
            changed = True
    return out, still


def _joined(m: Match, u: Unit) -> Match:
    figs = sorted(m.unit.figures + u.figures, key=lambda f: f.index)
    subs_of = {f.index: s for f, s in zip(m.unit.figures + u.figures,
                                          m.unit.subcaptions + u.subcaptions, strict=True)}
    unit = Unit(u.page, tuple(figs), tuple(subs_of[f.index] for f in figs), union(m.unit.bbox, u.bbox))
    if "one-caption" in m.evidence:
        return Match(unit, m.caption, m.cost, m.relation, m.evidence)
    return Match(unit, m.caption, m.cost + 0.05, m.relation, m.evidence + ("one-caption",))


def _join_target(u: Unit, out: list[Match], config: AlignConfig) -> int | None:
    best = None
    for k, m in enumerate(out):
        if m.unit.page != u.page or m.caption.page != u.page or m.relation not in (
                "below", "above", "left", "right"):
            continue
        a, b = u.bbox, m.unit.bbox
        stacked = h_overlap(a, b) > 0.5 * min(width(a), width(b)) and \
            max(a[1], b[1]) - min(a[3], b[3]) <= JOIN_GAP_PT
        level = v_overlap(a, b) > 0.5 * min(height(a), height(b)) and \
            max(a[0], b[0]) - min(a[2], b[2]) <= JOIN_GAP_PT
        if not (stacked or level):
            continue
        merged = union(a, b)
        if h_overlap(merged, m.caption.bbox) * v_overlap(merged, m.caption.bbox) > 0:
            continue  # the caption sits between them: it names one of the two
        cost, rel = geometry_cost(merged, m.caption.bbox, config.max_caption_gap_pt)
        if cost > m.cost + 0.15 + 0.25 * (not m.caption.labelled):
            continue
        if best is None or cost < best[0]:
            best = (cost, k)
    return None if best is None else best[1]


def _far_on_page(lonely: list[Unit], orphans: list[Caption], pages: dict[int, PageExtract],
                 config: AlignConfig) -> tuple[list[Match], list[Unit], list[Caption]]:
    """Second chance on one page: a leftover figure and a leftover caption farther than the gap."""
    out: list[Match] = []
    still_units: list[Unit] = []
    still_caps = list(orphans)
    for page in sorted({u.page for u in lonely}):
        units = [u for u in lonely if u.page == page]
        caps = [c for c in still_caps if c.page == page]
        if not caps:
            still_units += units
            continue
        far = AlignConfig(max_caption_gap_pt=0.35 * pages[page].height_pt)
        mt, lo, left = _assign_page(units, caps, far)
        mt = [Match(m.unit, m.caption, min(m.cost + 0.3, 0.99), m.relation, m.evidence + ("far",))
              for m in mt]
        out += mt
        still_units += lo
        taken = {id(m.caption) for m in mt}
        still_caps = [c for c in still_caps if id(c) not in taken]
    return out, still_units, still_caps


def _rank(item: Unit | Caption, items: Sequence[Unit | Caption]) -> int:
    same = [x for x in items if x.page == item.page]
    return same.index(item)


def pair_book(pages: Sequence[PageExtract], found: dict[int, PageCaptions], config: AlignConfig
              ) -> PairingResult:
    """Given a book's pages and their captions, return matches, captionless units and orphans."""
    by_page = {p.page: p for p in pages}
    matches: list[Match] = []
    lonely: list[Unit] = []
    orphans: list[Caption] = []
    notes: list[Caption] = []
    for p in pages:
        pc = found.get(p.page, PageCaptions((), (), frozenset()))
        caps = [c for c in pc.captions if "cover-note" not in c.evidence]
        notes += [c for c in pc.captions if "cover-note" in c.evidence]
        mt, lo, orph = _assign_page(_units(p, pc), caps, config)
        matches += mt
        lonely += lo
        orphans += orph
    mt, lonely, notes = _cover_notes(lonely, notes, by_page, config)
    matches += mt
    mt, lonely, orphans = _row_groups(lonely, orphans, config)
    matches += mt
    matches, lonely = _join_neighbours(matches, lonely, config)
    mt, lonely, orphans = _far_on_page(lonely, orphans, by_page, config)
    matches += mt
    from align.overpage import continued_composites, over_page_break  # uses this module's records

    mt, lonely = continued_composites(lonely, matches)
    matches += mt
    if config.facing_pages:
        mt, lonely, orphans = _facing_page(lonely, orphans, found)
        matches += mt
    mt, lonely, orphans = over_page_break(lonely, orphans, by_page)  # a page with captions of its own
    matches += mt
    matches.sort(key=lambda m: (m.unit.page, m.unit.figures[0].index))
    return PairingResult(tuple(matches), tuple(lonely), tuple(orphans + notes))


NOTE_COST = 0.3


def _cover_notes(lonely: list[Unit], notes: list[Caption], pages: dict[int, PageExtract],
                 config: AlignConfig) -> tuple[list[Match], list[Unit], list[Caption]]:
    """A cover note's heading ("Cover picture", 封面说明) names the nearest picture on its page
    that no caption took (an icon or ornament is no cover picture)."""
    out: list[Match] = []
    still = list(lonely)
    left: list[Caption] = []
    for c in sorted(notes, key=lambda c: (c.page, c.order)):
        page = pages[c.page]
        area = page.width_pt * page.height_pt
        free = [u for u in still if u.page == c.page
                and width(u.bbox) * height(u.bbox) >= config.small_figure_area_frac * area]
        k = nearest_picture(c.bbox, [u.bbox for u in free], page.height_pt)
        if k is None:
            left.append(c)
            continue
        u = free[k]
        rel, _ = relation(u.bbox, c.bbox)
        out.append(Match(u, c, NOTE_COST, rel, (rel, f"assignment-cost={NOTE_COST:.2f}")))
        still.remove(u)
    return out, still, left
