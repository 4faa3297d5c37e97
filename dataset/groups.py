"""Kept rows -> group ids: rows that must share a split (near-duplicates, crop-of, composites)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import cv2
import numpy as np

from culti.unionfind import UnionFind
from dataset.config import BuildConfig
from dataset.rows import Row

_COARSE = 64  # longer side of the coarse search (whole and crop)
_FINE_WHOLE, _FINE_CROP = 224, 112  # refinement: the whole larger, so fine texture must agree
_FRACTIONS = np.geomspace(0.15, 0.9, 16)  # crop width as a fraction of the whole's width
_COARSE_MIN = 0.7  # coarse score a pair needs before the (5x dearer) refinement


def _match(crop: np.ndarray, whole: np.ndarray, fractions) -> list[tuple[float, float]]:
    """Return (score, fraction) of the best normalised match of `crop` scaled into `whole`."""
    found = []
    for f in fractions:
        tw = f * whole.shape[1]
        th = tw * crop.shape[0] / crop.shape[1]
        if tw > whole.shape[1] or th > whole.shape[0] or tw < 10 or th < 10:
            continue
        templ = cv2.resize(crop, (round(tw), round(th)), interpolation=cv2.INTER_AREA)
        if float(templ.std()) < 3.0:  # a flat template matches anywhere
            continue
        found.append((float(cv2.matchTemplate(whole, templ, cv2.TM_CCOEFF_NORMED).max()), float(f)))
    return found


def grays(big: np.ndarray) -> dict[int, np.ndarray]:
    """Given the stored grayscale, return the arrays the crop search uses, by longer side."""
    big = big.astype(np.float32)
    out = {_FINE_WHOLE: big}
    for side in (_COARSE, _FINE_CROP):
        scale = side / max(big.shape)
        size = (max(1, round(big.shape[1] * scale)), max(1, round(big.shape[0] * scale)))
        out[side] = cv2.resize(big, size, interpolation=cv2.INTER_AREA)
    return out


def crop_score(crop: dict[int, np.ndarray], whole: dict[int, np.ndarray],
               coarse: list[tuple[float, float]] | None = None) -> float:
    """Given grays of a crop candidate and a whole, return the refined match score (-1: none)."""
    coarse = sorted(coarse if coarse is not None else _match(crop[_COARSE], whole[_COARSE], _FRACTIONS))
    best = -1.0
    for _, f in coarse[-2:]:
        fine = _match(crop[_FINE_CROP], whole[_FINE_WHOLE], f * np.geomspace(0.94, 1.06, 5))
        if fine:
            best = max(best, max(fine)[0])
    return best


def _crop_pair(ga: dict[int, np.ndarray], gb: dict[int, np.ndarray]) -> tuple[bool, float]:
    """Given grays of two figures, return (a is the crop, refined score) of the likelier direction."""
    ab = _match(ga[_COARSE], gb[_COARSE], _FRACTIONS)
    ba = _match(gb[_COARSE], ga[_COARSE], _FRACTIONS)
    best_ab, best_ba = max(ab, default=(-1.0, 0.0))[0], max(ba, default=(-1.0, 0.0))[0]
    if max(best_ab, best_ba) < _COARSE_MIN:
        return True, -1.0
    if best_ab >= best_ba:
        return True, crop_score(ga, gb, ab)
    return False, crop_score(gb, ga, ba)


def crop_edges(rows: Sequence[Row], hists: np.ndarray, load_gray: Callable[[int], np.ndarray],
               config: BuildConfig, linked: Callable[[int, int], bool] | None = None
               ) -> list[tuple[int, int, float]]:
    """Given rows, their colour histograms and gray loader, return (crop, whole, score) pairs of
    one book; `linked(a, b)` true skips a pair already known to stay together."""
    by_book: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_book[row.source_sha256].append(i)
    edges = []
    for members in by_book.values():
        members.sort(key=lambda i: (rows[i].page, rows[i].id))
        cands = []
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1:]:
                if config.crop_page_window and rows[b].page - rows[a].page > config.crop_page_window:
                    break
                if float(np.minimum(hists[a], hists[b]).sum()) >= config.crop_color_overlap \
                        and not (linked and linked(a, b)):
                    cands.append((a, b))
        if not cands:
            continue
        gray = {i: grays(load_gray(i))  # one book at a time
                for i in sorted({i for pair in cands for i in pair})}
        for a, b in cands:
            if linked and linked(a, b):  # a twin of this pair matched already
                continue
            a_is_crop, score = _crop_pair(gray[a], gray[b])
            if score >= config.crop_threshold:
                edges.append((a, b, score) if a_is_crop else (b, a, score))
    return edges


def assign_groups(rows: Sequence[Row], links: Sequence[tuple[int, int]]) -> list[str]:
    """Given rows and must-stay-together links (+ their group hints), return a group id per row."""
    uf = UnionFind(len(rows))
    for a, b in links:
        uf.union(a, b)
    hinted: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows):
        if row.group_hint:
            key = (row.source_sha256, row.group_hint)  # hints are figure keys local to a book
            uf.union(hinted.setdefault(key, i), i)
    group_id = [""] * len(rows)
    for members in uf.groups():
        gid = min(rows[m].id for m in members)
        for m in members:
            group_id[m] = gid
    return group_id
