"""Split: 7:1:2 by group, stratified by domain and book, deterministic from the seed."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest

from dataset.rows import Row
from dataset.split import assign_splits


def _rows(n: int, seed: int = 0):
    """n rows over 6 books (3 silk, 3 mural) of unequal size, in groups of 1-6 rows."""
    rng = random.Random(seed)
    rows, gids = [], []
    k = 0
    while k < n:
        book = rng.choice([0, 0, 0, 1, 1, 2, 3, 3, 4, 5])
        size = min(n - k, rng.choice([1, 1, 1, 1, 2, 2, 3, 6]))
        gid = f"r{k:05d}"
        for _ in range(size):
            rows.append(Row(id=f"r{k:05d}", title="", caption="", label="", text="t",
                            source=f"book{book}.pdf", source_sha256=f"{book:064d}", page=1,
                            bbox=(0, 0, 1, 1), domain="silk" if book < 3 else "mural",
                            text_origin="pdf", confidence=1.0, width=10, height=10, image_ext="jpg",
                            image_sha256="", offset=0, length=0))
            gids.append(gid)
            k += 1
    return rows, gids


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ratios_within_one_point_on_600_rows(seed):
    rows, gids = _rows(600, seed)
    splits = assign_splits(rows, gids, (0.7, 0.1, 0.2), seed)
    count = Counter(splits)
    for name, ratio in (("train", 0.7), ("validation", 0.1), ("test", 0.2)):
        assert abs(count[name] / len(rows) - ratio) <= 0.01, (name, count)


def test_groups_never_cross_splits_and_strata_follow_the_ratios():
    rows, gids = _rows(600, 5)
    splits = assign_splits(rows, gids, (0.7, 0.1, 0.2), 5)
    by_group = defaultdict(set)
    for g, s in zip(gids, splits, strict=True):
        by_group[g].add(s)
    assert all(len(s) == 1 for s in by_group.values())
    for domain in ("silk", "mural"):
        idx = [i for i, r in enumerate(rows) if r.domain == domain]
        share = Counter(splits[i] for i in idx)["train"] / len(idx)
        assert abs(share - 0.7) <= 0.03, domain
    for book in {r.source for r in rows}:
        idx = [i for i, r in enumerate(rows) if r.source == book]
        count = Counter(splits[i] for i in idx)
        assert abs(count["train"] - 0.7 * len(idx)) <= 6 + 0.03 * len(idx), (book, count)


def test_same_seed_same_splits_other_seed_other_splits():
    rows, gids = _rows(300, 1)
    a = assign_splits(rows, gids, (0.7, 0.1, 0.2), 7)
    b = assign_splits(rows, gids, (0.7, 0.1, 0.2), 7)
    c = assign_splits(rows, gids, (0.7, 0.1, 0.2), 8)
    assert a == b and a != c


def test_zero_ratio_split_stays_empty():
    rows, gids = _rows(100, 2)
    splits = assign_splits(rows, gids, (0.8, 0.0, 0.2), 0)
    assert "validation" not in splits
