"""Candidate pairs for the near-duplicate image tests, found through indexes instead of all pairs.

dedupe checks every candidate with its exact rules; this module only decides which pairs are worth
checking. The union of three indexes, each about n log n:

1. **Thumbnail range search** (exact): the unit thumbnails projected onto their top principal axes
   (an orthonormal projection never lengthens a distance) in a k-d tree; every pair within the
   distance that cosine >= `thumb_similarity` allows is returned, so the first image test (thumbnails
   alike) loses no pair.
2. **Hash bands** (multi-index hashing): pHash and dHash each cut into four 16-bit bands; rows with
   an identical band are candidates. A pair within Hamming distance 3 always shares a band; farther
   pairs (the second test allows pHash 12, dHash 16) usually do because a re-scan's flipped bits
   gather in the high frequencies.
3. **Thumbnail neighbours**: each row's nearest rows among the thumbnails projected onto 96 axes,
   from an HNSW graph (faiss): a heavy scan whose thumbnail moved (cosine 0.6-0.97) is still among
   the nearest pictures to its twin (on the sample books at most the 6th; 16 are taken). The graph
   is built in one thread, so the same rows give the same graph and the same candidates.

Only 1 is a guarantee; 2 and 3 serve the second test, whose loose radii (12 and 16 of 64 bits) no
index can search exactly in less than all pairs. `benchmarks/bench_dedupe.py` measures what they miss
against all pairs.
"""

from __future__ import annotations

import faiss
import numpy as np
from scipy.linalg import eigh
from scipy.spatial import cKDTree

TREE_DIMS = 16  # principal axes of the k-d tree (range search)
GRAPH_DIMS = 96  # principal axes of the HNSW graph (neighbours)
PCA_SAMPLE = 20_000  # rows (evenly spaced) the axes are fitted on
NEIGHBOURS = 16  # nearest rows taken per row
HNSW_M, HNSW_EF_BUILD, HNSW_EF_SEARCH = 32, 64, 64  # links per node, build and search beam widths
BAND_BITS = 16  # bits per hash band
MAX_BUCKET = 1024  # a band value shared by more rows says nothing (flat pictures): skipped
_SLACK = 1e-3  # added to the squared radius: float32 cosines and norms are not exact
_CHUNK = 8192


def projection(thumbs: np.ndarray, dims: int = GRAPH_DIMS) -> np.ndarray:
    """Given unit thumbnail vectors (n, d), return them on their top `dims` principal axes (n, dims)."""
    n, d = thumbs.shape
    dims = min(dims, d)
    if n == 0:
        return np.zeros((0, dims))
    sample = thumbs[:: max(1, n // PCA_SAMPLE)].astype(np.float64)
    sample -= sample.mean(0)
    _, vectors = eigh(sample.T @ sample, subset_by_index=(d - dims, d - 1))  # ascending eigenvalues
    basis = np.ascontiguousarray(vectors[:, ::-1])
    out = np.empty((n, dims))
    for start in range(0, n, _CHUNK):
        out[start:start + _CHUNK] = thumbs[start:start + _CHUNK].astype(np.float64) @ basis
    return out


def similarity_radius(cosine: float) -> float:
    """Return the Euclidean distance of unit vectors whose cosine is `cosine`, with slack."""
    return float(np.sqrt(max(0.0, 2.0 - 2.0 * cosine) + _SLACK))


def range_pairs(proj: np.ndarray, min_cosine: float) -> np.ndarray:
    """Given projected unit thumbnails, return all pairs (m, 2) whose full cosine can be >= min_cosine."""
    if len(proj) < 2:
        return np.zeros((0, 2), np.int64)
    tree = cKDTree(np.ascontiguousarray(proj[:, :TREE_DIMS]))
    return tree.query_pairs(similarity_radius(min_cosine), output_type="ndarray").astype(np.int64)


def neighbour_pairs(proj: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """Given projected thumbnails, return each row paired with its k nearest rows (m, 2), via HNSW."""
    n = len(proj)
    if n < 2 or k < 1:
        return np.zeros((0, 2), np.int64)
    vectors = np.ascontiguousarray(proj, np.float32)
    index = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_M)
    index.hnsw.efConstruction = HNSW_EF_BUILD
    index.hnsw.efSearch = max(HNSW_EF_SEARCH, k + 1)
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # insertion order fixes the graph: the same every run
    try:
        index.add(vectors)
    finally:
        faiss.omp_set_num_threads(threads)
    _, near = index.search(vectors, min(k + 1, n))  # searching does not change the graph
    rows = np.repeat(np.arange(n, dtype=np.int64), near.shape[1])
    pairs = np.stack([rows, near.ravel().astype(np.int64)], 1)
    return pairs[pairs[:, 1] >= 0]


def same_key_pairs(key: np.ndarray, max_bucket: int = MAX_BUCKET) -> np.ndarray:
    """Given one key per row, return all pairs (m, 2) of rows with an equal key (buckets of at most
    `max_bucket` rows)."""
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, len(key)])
    run_end = np.repeat(starts + sizes, sizes)  # for each sorted position, the end of its bucket
    pos = np.flatnonzero(np.repeat((sizes >= 2) & (sizes <= max_bucket), sizes))
    found = [np.zeros((0, 2), np.int64)]
    step = 1
    while pos.size:  # pair each position with the one `step` later in its bucket
        pos = pos[pos + step < run_end[pos]]
        found.append(np.stack([order[pos], order[pos + step]], 1).astype(np.int64))
        step += 1
    return np.concatenate(found)


def band_pairs(hashes: np.ndarray, bits: int = BAND_BITS, max_bucket: int = MAX_BUCKET) -> np.ndarray:
    """Given 64-bit hashes (uint64), return pairs (m, 2) that share at least one `bits`-bit band."""
    mask = np.uint64((1 << bits) - 1)
    return np.concatenate([np.zeros((0, 2), np.int64)] + [
        same_key_pairs((hashes >> np.uint64(shift)) & mask, max_bucket) for shift in range(0, 64, bits)])


def unique_pairs(pairs: np.ndarray, n: int) -> np.ndarray:
    """Given pairs (m, 2) over n rows, return them as i < j, without repeats or self-pairs, sorted."""
    if not len(pairs):
        return np.zeros((0, 2), np.int64)
    lo, hi = pairs.min(1), pairs.max(1)
    codes = np.unique(lo[lo != hi] * np.int64(n) + hi[lo != hi])
    return np.stack([codes // n, codes % n], 1)


def candidate_pairs(thumbs: np.ndarray, ph: np.ndarray, dh: np.ndarray,
                    thumb_similarity: float) -> np.ndarray:
    """Given unit thumbnails and both hashes, return the candidate pairs (m, 2), i < j, sorted."""
    n = len(thumbs)
    if n < 2:
        return np.zeros((0, 2), np.int64)
    proj = projection(thumbs)
    found = [range_pairs(proj, thumb_similarity), neighbour_pairs(proj), band_pairs(ph), band_pairs(dh)]
    return unique_pairs(np.concatenate(found), n)
