"""The all-pairs near-duplicate search that dedupe used before its index: a test oracle only."""

from __future__ import annotations

import numpy as np

from dataset.config import BuildConfig

_BLOCK = 1024


def brute_near_pairs(thumbs: np.ndarray, ph: np.ndarray, dh: np.ndarray,
                     config: BuildConfig) -> list[tuple[int, int, float, int, int]]:
    """Every pair (i, j, cosine, phash d, dhash d), i < j, compared: blocked matrix products."""
    found = []
    for start in range(0, len(thumbs), _BLOCK):
        stop = min(start + _BLOCK, len(thumbs))
        sims = thumbs[start:stop] @ thumbs.T
        dp = np.bitwise_count(ph[start:stop, None] ^ ph[None, :])
        dd = np.bitwise_count(dh[start:stop, None] ^ dh[None, :])
        strict = (sims >= config.thumb_similarity) & (dp <= config.phash_threshold) & \
            (dd <= config.dhash_threshold)
        hashed = (dp <= config.hash_phash_threshold) & (dd <= config.hash_dhash_threshold) & \
            (sims >= config.hash_min_similarity)
        for i, j in zip(*np.nonzero(strict | hashed), strict=True):
            if start + i < j:
                found.append((int(start + i), int(j), float(sims[i, j]), int(dp[i, j]), int(dd[i, j])))
    return found
