"""Union-find over 0..n-1, shared by align (composite figures) and dataset (groups, duplicates)."""

from __future__ import annotations

from collections import defaultdict


class UnionFind:
    """Union-find over 0..n-1 with path halving; the smaller root wins, groups come out sorted."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return [out[k] for k in sorted(out)]
