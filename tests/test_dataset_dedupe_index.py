"""Indexed near-duplicate search: the same pairs and the same dedupe decisions as comparing all pairs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PIL import Image

from culti.records import TextOrigin
from dataset import dedupe as dd
from dataset.candidates import NEIGHBOURS, band_pairs, candidate_pairs, same_key_pairs
from dataset.config import BuildConfig
from dataset.rows import ingest
from dataset.spool import ImageSpool
from tests.dataset_fixtures.brute import brute_near_pairs
from tests.dataset_fixtures.make import distinct_pairs, encode, make_pair, picture, rescan


def _cast(img: Image.Image) -> Image.Image:
    """A scan with a strong colour cast: thumbnail cosine ~0.9, hashes close (the second test)."""
    arr = np.asarray(img, np.float32) * np.array([1.0, 0.6, 0.3], np.float32)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _shifted(img: Image.Image, dx: int = 14) -> Image.Image:
    """A scan whose box sits 14 px off: thumbnail cosine ~0.94."""
    return img.crop((dx, dx, img.width, img.height)).resize(img.size)


def _swapped(img: Image.Image) -> Image.Image:
    """Channels swapped: hashes close, thumbnail far (cosine < 0.6): no test may accept it."""
    return Image.fromarray(np.asarray(img)[..., ::-1].copy())


def _generated_rows():
    pairs = distinct_pairs(48, start=500)
    for k, seed in enumerate(range(600, 612)):
        base = picture(seed, 400, 300)
        pairs.append(make_pair(seed, encode(base, quality=90), book="silk-t.pdf", page=k + 1))
        scan = rescan(base, seed)
        variant = (scan, _cast(scan), _shifted(scan), _swapped(scan))[k % 4]
        pairs.append(make_pair(seed, encode(variant, quality=60), book="silk-t-scan.pdf", page=k + 1,
                               origin=TextOrigin.OCR, confidence=0.8))
        if k % 3 == 0:
            pairs.append(make_pair(seed, encode(base.resize((200, 150)), quality=70), book="silk-u.pdf",
                                   page=k + 1))
    return pairs


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    spool = ImageSpool(tmp_path_factory.mktemp("index") / "spool")
    data = ingest(_generated_rows(), spool)
    thumbs = np.stack(data.thumbs)
    ph, dh = np.array(data.phash, np.uint64), np.array(data.dhash, np.uint64)
    yield data, spool, thumbs, ph, dh
    spool.close()


def _same_pairs(brute, indexed):
    assert [p[:2] for p in indexed] == [p[:2] for p in brute]
    assert [p[3:] for p in indexed] == [p[3:] for p in brute]  # Hamming distances exactly
    assert all(abs(a[2] - b[2]) < 1e-5 for a, b in zip(brute, indexed, strict=True))


def test_indexed_pairs_and_decisions_equal_all_pairs_on_generated_rows(generated, monkeypatch):
    data, spool, thumbs, ph, dh = generated
    config = BuildConfig()
    brute = brute_near_pairs(thumbs, ph, dh, config)
    # the rows exercise both tests: re-scans (thumbnails alike) and colour casts / shifted boxes
    # (thumbnails moved, hashes close), and swapped channels that neither accepts
    assert sum(p[2] >= config.thumb_similarity for p in brute) >= 3
    assert sum(p[2] < config.thumb_similarity for p in brute) >= 3
    _same_pairs(brute, dd.near_pairs(thumbs, ph, dh, config))
    indexed = dd.dedupe(data, spool, config)
    monkeypatch.setattr(dd, "near_pairs", brute_near_pairs)
    assert dd.dedupe(data, spool, config) == indexed
    assert len(indexed.rejects) >= 10


def test_indexed_equals_all_pairs_with_tightened_and_loosened_thresholds(generated):
    _, _, thumbs, ph, dh = generated
    for config in (BuildConfig(thumb_similarity=0.99, hash_phash_threshold=6, hash_dhash_threshold=6),
                   BuildConfig(thumb_similarity=0.9, hash_min_similarity=0.3)):
        _same_pairs(brute_near_pairs(thumbs, ph, dh, config), dd.near_pairs(thumbs, ph, dh, config))


def _flip(h: int, bits: int, rng) -> int:
    """Flip `bits` bits of h, spread over the four 16-bit bands: no band stays equal."""
    for band in range(4):
        for b in rng.choice(16, bits // 4 + (band < bits % 4), replace=False):
            h ^= 1 << (16 * band + int(b))
    return h


def _spectrum(rng, shape) -> np.ndarray:
    """Random vectors whose energy falls off with the axis, as thumbnails' does with frequency."""
    return rng.normal(size=shape) / (1 + np.arange(shape[-1]) / 8)


def _pair_at(x: np.ndarray, cos: float, rng) -> np.ndarray:
    """Return a unit vector whose cosine with unit x is `cos` (the difference shaped like a picture's)."""
    z = _spectrum(rng, x.shape)
    z -= (z @ x) * x
    z /= np.linalg.norm(z)
    return cos * x + np.sqrt(1 - cos * cos) * z


def test_pairs_at_the_thresholds_are_found_exactly_as_by_all_pairs():
    """Random thumbnails and hashes with planted pairs just inside and just outside each limit, and a
    clique of copies larger than a neighbour list. The flipped bits touch every hash band, so only the
    thumbnail indexes can find these pairs: the range search those of the first test, the
    neighbour graph those of the second."""
    rng = np.random.default_rng(5)
    n, d = 3000, 768
    thumbs = _spectrum(rng, (n, d))
    thumbs /= np.linalg.norm(thumbs, axis=1, keepdims=True)
    ph = [int(v) for v in rng.integers(0, 2**63, n)]
    dh = [int(v) for v in rng.integers(0, 2**63, n)]
    c = BuildConfig()
    planted = {  # (cosine, pHash distance, dHash distance) -> accepted?
        (c.thumb_similarity + 2e-4, c.phash_threshold, c.dhash_threshold): True,
        (c.thumb_similarity - 2e-4, c.phash_threshold, c.dhash_threshold): False,
        (c.thumb_similarity + 2e-4, c.phash_threshold + 1, c.dhash_threshold): False,
        (c.thumb_similarity + 2e-4, c.phash_threshold, c.dhash_threshold + 1): False,
        (c.hash_min_similarity + 2e-3, c.hash_phash_threshold, c.hash_dhash_threshold): True,
        (c.hash_min_similarity - 2e-3, c.hash_phash_threshold, c.hash_dhash_threshold): False,
        (c.hash_min_similarity + 2e-3, c.hash_phash_threshold + 1, c.hash_dhash_threshold): False,
        (c.hash_min_similarity + 2e-3, c.hash_phash_threshold, c.hash_dhash_threshold + 1): False,
        (0.9, c.hash_phash_threshold, c.hash_dhash_threshold): True,
    }
    expect = {}
    for k, ((cos, dp, dist_d), accepted) in enumerate(planted.items()):
        i, j = 2 * k, 2 * k + 1
        thumbs[j] = _pair_at(thumbs[i], cos, rng)
        ph[j], dh[j] = _flip(ph[i], dp, rng), _flip(dh[i], dist_d, rng)
        expect[(i, j)] = accepted
    # a clique of copies larger than the neighbour lists, hashes a little apart (no band shared by
    # all): every pair must come back
    clique = range(100, 100 + 2 * NEIGHBOURS)
    for m in clique[1:]:
        thumbs[m], ph[m], dh[m] = thumbs[100], _flip(ph[100], 8, rng), _flip(dh[100], 8, rng)
    thumbs = thumbs.astype(np.float32)
    ph, dh = np.array(ph, np.uint64), np.array(dh, np.uint64)
    brute = brute_near_pairs(thumbs, ph, dh, c)
    found = {p[:2] for p in brute}
    assert {pair for pair, accepted in expect.items() if accepted} <= found
    assert not {pair for pair, accepted in expect.items() if not accepted} & found
    assert set(itertools.combinations(clique, 2)) <= found
    _same_pairs(brute, dd.near_pairs(thumbs, ph, dh, c))


def test_hash_bands_pair_every_row_sharing_a_band():
    rng = np.random.default_rng(2)
    hashes = rng.integers(0, 2**16, 400).astype(np.uint64) * np.uint64(0x0001000100010001)
    hashes ^= rng.integers(0, 4, 400).astype(np.uint64) << np.uint64(48)  # top band differs a little
    got = {tuple(p) for p in band_pairs(hashes).tolist()}
    got = {(min(p), max(p)) for p in got}
    mask = 0xFFFF
    want = {(i, j) for i, j in itertools.combinations(range(400), 2)
            if any((int(hashes[i]) >> s) & mask == (int(hashes[j]) >> s) & mask for s in (0, 16, 32, 48))}
    assert got == want and want
    keys = np.array([3, 1, 3, 3, 2, 1])
    assert {(min(p), max(p)) for p in same_key_pairs(keys).tolist()} == {(0, 2), (0, 3), (2, 3), (1, 5)}
    assert len(same_key_pairs(keys, max_bucket=2)) == 1  # the 3-row bucket is skipped


def test_candidates_are_the_same_every_run(generated):
    _, _, thumbs, ph, dh = generated
    first = candidate_pairs(thumbs, ph, dh, 0.97)
    assert np.array_equal(first, candidate_pairs(thumbs, ph, dh, 0.97))
    assert (first[:, 0] < first[:, 1]).all() and len(first) < len(thumbs) * (len(thumbs) - 1) // 2
