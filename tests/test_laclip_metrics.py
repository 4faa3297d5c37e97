"""Recall@K and MR against a brute-force sort, with ties and several positives per query."""

from __future__ import annotations

import numpy as np
import pytest

from laclip_eval.metrics import positive_ranks, recall_at_k, retrieval_metrics


def brute_force_recall(scores: np.ndarray, positives: np.ndarray, k: int) -> float:
    """Sort each row by score, negatives before positives on ties (pessimistic), look at top k."""
    hits = 0
    for q in range(scores.shape[0]):
        order = sorted(range(scores.shape[1]), key=lambda g: (-scores[q, g], bool(positives[q, g])))
        hits += any(positives[q, g] for g in order[:k])
    return 100.0 * hits / scores.shape[0]


def random_case(seed: int, q: int, g: int, levels: int | None):
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, levels, (q, g)).astype(np.float32) if levels else rng.normal(size=(q, g))
    positives = rng.random((q, g)) < 0.05
    positives[np.arange(q), rng.integers(0, g, q)] = True  # every query has a positive
    return scores, positives


@pytest.mark.parametrize("seed,levels", [(0, None), (1, None), (2, 3), (3, 5), (4, 2)])
def test_recall_matches_brute_force_with_ties_and_multi_positives(seed, levels):
    scores, positives = random_case(seed, 40, 30, levels)
    got = recall_at_k(scores, positives, ks=(1, 2, 5, 10))
    for k in (1, 2, 5, 10):
        assert got[f"R{k}"] == pytest.approx(brute_force_recall(scores, positives, k))


def test_all_equal_scores_get_no_credit_below_n():
    scores = np.zeros((5, 12))
    positives = np.eye(5, 12, dtype=bool)
    assert recall_at_k(scores, positives) == {"R1": 0.0, "R5": 0.0, "R10": 0.0}
    assert positive_ranks(scores, positives).tolist() == [11] * 5


def test_any_positive_in_top_k_is_a_hit():
    scores = np.array([[0.9, 0.8, 0.1, 0.7]])
    one = np.array([[False, False, True, False]])
    two = np.array([[False, False, True, True]])
    assert recall_at_k(scores, one, ks=(1, 3))["R3"] == 0.0
    assert recall_at_k(scores, two, ks=(1, 3)) == {"R1": 0.0, "R3": 100.0}


def test_mr_is_mean_of_six_and_i2t_uses_transpose():
    scores, positives = random_case(7, 25, 25, None)
    positives |= np.eye(25, dtype=bool)  # every image has a text too
    got = retrieval_metrics(scores, positives)
    for k in (1, 5, 10):
        assert got["i2t"][f"R{k}"] == pytest.approx(brute_force_recall(scores.T, positives.T, k))
    assert got["MR"] == pytest.approx(np.mean([*got["t2i"].values(), *got["i2t"].values()]))
    perfect = retrieval_metrics(np.eye(25), np.eye(25, dtype=bool))
    assert perfect["MR"] == 100.0


def test_query_without_positive_is_an_error():
    with pytest.raises(ValueError, match="at least one positive"):
        recall_at_k(np.zeros((2, 3)), np.array([[True, False, False], [False, False, False]]))
