"""Retrieval metrics as in the CulTi paper: Recall@1/5/10 both ways and MR, in percent.

Tie rule (pessimistic): a negative that scores the same as the best positive counts as ranked
above it, so a model that gives every item the same score gets recall 0 at K < n, never credit.
A query with several positives is a hit when any positive is within the top K."""

from __future__ import annotations

import numpy as np

KS = (1, 5, 10)


def positive_ranks(scores: np.ndarray, positives: np.ndarray) -> np.ndarray:
    """Given [q, g] scores and a [q, g] boolean positive mask, return per query the 0-based rank of
    its best positive: the count of negatives scoring >= it (pessimistic ties)."""
    if scores.shape != positives.shape:
        raise ValueError(f"scores {scores.shape} and positives {positives.shape} differ in shape")
    if not positives.any(axis=1).all():
        raise ValueError("every query needs at least one positive")
    best = np.where(positives, scores, -np.inf).max(axis=1)
    return ((scores >= best[:, None]) & ~positives).sum(axis=1)


def recall_at_k(scores: np.ndarray, positives: np.ndarray, ks: tuple[int, ...] = KS) -> dict[str, float]:
    """Given [q, g] scores and the positive mask, return {"R1": %, "R5": %, "R10": %}."""
    ranks = positive_ranks(scores, positives)
    return {f"R{k}": float(100.0 * (ranks < k).mean()) for k in ks}


def retrieval_metrics(scores: np.ndarray, positives: np.ndarray) -> dict:
    """Given texts x images scores and the true-pair mask, return t2i and i2t recalls and MR
    (the mean of the six recalls)."""
    t2i = recall_at_k(scores, positives)
    i2t = recall_at_k(scores.T, positives.T)
    mr = float(np.mean([*t2i.values(), *i2t.values()]))
    return {"t2i": t2i, "i2t": i2t, "MR": mr}
