"""Groups -> splits: greedy, largest group first, stratified by domain and source book."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from dataset.config import SPLITS
from dataset.rows import Row


def assign_splits(rows: Sequence[Row], group_ids: Sequence[str], ratios: Sequence[float],
                  seed: int) -> list[str]:
    """Given rows, their group ids, split ratios and a seed, return a split name per row.

    Each stratum (domain, source of the group's first row) is filled group by group, largest
    first (seeded order among equal sizes), into the split with the largest deficit; the deficit
    adds the stratum's and the whole set's, so rounding in small strata evens out overall.
    """
    members: dict[str, list[int]] = defaultdict(list)
    for i, gid in enumerate(group_ids):
        members[gid].append(i)
    strata: dict[tuple[str, str], list[str]] = defaultdict(list)
    for gid in sorted(members):
        first = rows[min(members[gid], key=lambda i: rows[i].id)]
        strata[(first.domain, first.source)].append(gid)
    rng = random.Random(seed)
    total = [0] * len(SPLITS)
    split_of: dict[str, int] = {}
    order = sorted(strata)
    rng.shuffle(order)
    for key in order:
        gids = strata[key]
        rng.shuffle(gids)
        gids.sort(key=lambda g: -len(members[g]))  # stable: the seeded order breaks size ties
        local = [0] * len(SPLITS)
        for gid in gids:
            size = len(members[gid])
            n_local, n_total = sum(local) + size, sum(total) + size
            scores = [ratios[s] * n_local - local[s] + ratios[s] * n_total - total[s]
                      for s in range(len(SPLITS))]
            best = max(scores)
            ties = [s for s in range(len(SPLITS)) if scores[s] >= best - 1e-9 and ratios[s] > 0]
            pick = ties[0] if len(ties) == 1 else rng.choice(ties)
            split_of[gid] = pick
            local[pick] += size
            total[pick] += size
    return [SPLITS[split_of[g]] for g in group_ids]
