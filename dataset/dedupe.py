"""Rows -> kept rows + duplicate rejects: exact and near-duplicate images, near-duplicate texts.

Near-duplicate texts alone (two different pictures with the same generic description) are not
dropped: they are returned as group edges so the two rows land in one split. Nor are near-alike
pictures of one book that print different captions (a mural before and after restoration, two
screenshots of one table): different figures, grouped the same way. A text twin is dropped
only when its caption is the same in another book or its picture also looks alike (thumbnail cosine >=
text_drop_similarity): the same figure that the image tests missed (a heavy re-scan).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
from datasketch import MinHash, MinHashLSH

from culti.records import FigureOrigin, Reject, RejectReason, TextOrigin
from dataset.candidates import candidate_pairs
from dataset.config import BuildConfig
from dataset.features import hamming, pixel_sha256
from dataset.groups import UnionFind
from dataset.rows import Ingested, Row, duplicate_reject
from dataset.spool import ImageSpool

_CHUNK = 4096  # candidate pairs per batch of thumbnail dot products


@dataclass(frozen=True, slots=True)
class Deduped:
    keep: tuple[int, ...]  # indices into Ingested.rows, ascending
    rejects: tuple[Reject, ...]
    keeper_of: dict[int, int]  # dropped index -> kept index
    group_edges: tuple[tuple[int, int], ...]  # rows alike but kept: they land in one split


def _aspect_ok(a: Row, b: Row, tol: float) -> bool:
    ra, rb = a.width / a.height, b.width / b.height
    return abs(ra - rb) <= tol * max(ra, rb)


def near_pairs(thumbs: np.ndarray, ph: np.ndarray, dh: np.ndarray,
               config: BuildConfig) -> list[tuple[int, int, float, int, int]]:
    """Given unit thumbnails and hashes, return (i, j, cosine, phash d, dhash d), i < j, that pass
    either test: thumbnails alike and hashes near, or hashes close and thumbnails loosely alike.

    Only the candidates of the indexes (dataset.candidates) are compared, hashes first."""
    cand = candidate_pairs(thumbs, ph, dh, config.thumb_similarity)
    a, b = cand[:, 0], cand[:, 1]
    dp, dd = hamming(ph[a], ph[b]), hamming(dh[a], dh[b])
    near = ((dp <= config.phash_threshold) & (dd <= config.dhash_threshold)) | \
        ((dp <= config.hash_phash_threshold) & (dd <= config.hash_dhash_threshold))
    a, b, dp, dd = a[near], b[near], dp[near], dd[near]
    sims = np.concatenate([np.zeros(0, np.float32)] + [
        np.einsum("ij,ij->i", thumbs[a[s:s + _CHUNK]], thumbs[b[s:s + _CHUNK]])
        for s in range(0, len(a), _CHUNK)])
    strict = (sims >= config.thumb_similarity) & (dp <= config.phash_threshold) & \
        (dd <= config.dhash_threshold)
    hashed = (dp <= config.hash_phash_threshold) & (dd <= config.hash_dhash_threshold) & \
        (sims >= config.hash_min_similarity)
    return [(int(a[k]), int(b[k]), float(sims[k]), int(dp[k]), int(dd[k]))
            for k in np.flatnonzero(strict | hashed)]


def image_edges(data: Ingested, config: BuildConfig) -> tuple[list[tuple[int, int, str]], np.ndarray]:
    """Return near-duplicate image edges (i, j, detail) and the thumbnail matrix."""
    thumbs = np.stack(data.thumbs) if data.thumbs else np.zeros((0, 768), np.float32)
    ph = np.array(data.phash, np.uint64)
    dh = np.array(data.dhash, np.uint64)
    edges = []
    for i, j, cos, dp, dd in near_pairs(thumbs, ph, dh, config):
        if _aspect_ok(data.rows[i], data.rows[j], config.aspect_tolerance):
            edges.append((i, j, f"thumbnail cosine {cos:.3f}, phash {dp}, dhash {dd}"))
    return edges, thumbs


def normalize_text(text: str) -> str:
    """Given a description, return it NFKC-folded without whitespace and punctuation."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in re.sub(r"\s+", "", text) if not unicodedata.category(ch).startswith("P"))


def text_pairs(texts: list[str], config: BuildConfig) -> list[tuple[int, int, float]]:
    """Given texts, return (i, j, estimated Jaccard) of near-duplicates via MinHash LSH."""
    lsh = MinHashLSH(threshold=config.minhash_threshold, num_perm=config.minhash_perm)
    hashes = []
    k = config.shingle
    for i, text in enumerate(texts):
        norm = normalize_text(text)
        shingles = {norm[s:s + k] for s in range(max(1, len(norm) - k + 1))}
        m = MinHash(num_perm=config.minhash_perm, seed=1)
        m.update_batch([s.encode() for s in sorted(shingles)])
        lsh.insert(str(i), m)
        hashes.append(m)
    found = []
    for i, m in enumerate(hashes):
        for key in lsh.query(m):
            j = int(key)
            if i < j:
                jac = float(m.jaccard(hashes[j]))
                if jac >= config.minhash_threshold:
                    found.append((i, j, jac))
    return sorted(found)


# original bytes first (StrEnum members equal their values, so Row's plain strings look them up)
_FIGURE_ORIGIN_RANK = {FigureOrigin.EMBEDDED: 0, FigureOrigin.RENDERED: 1, FigureOrigin.SCAN_CROP: 2}


def keep_order(row: Row) -> tuple:
    """Sort key of the copy a duplicate cluster keeps (smallest first): provenance before size.

    Text layer over OCR, embedded image over rendered region over scan crop, higher pairing
    confidence, then the larger picture, then the smaller id: the born-digital copy of a book wins
    over its scanned twin even though the scan is rendered larger.
    """
    return (row.text_origin != TextOrigin.PDF, _FIGURE_ORIGIN_RANK.get(row.figure_origin, len(_FIGURE_ORIGIN_RANK)),
            -row.confidence, -row.width * row.height, row.id)


CURATOR_RESTORED = "curator:restore"  # review.RESTORED; dataset does not import review


def _same_pixels(a: Row, b: Row, spool: ImageSpool, b_pixels: list[str]) -> bool:
    """Whether two rows decode to the same pixels; the sizes and byte hashes answer most cases."""
    if (a.width, a.height) != (b.width, b.height):
        return False
    if a.image_sha256 == b.image_sha256:
        return True
    if not b_pixels:
        b_pixels.append(pixel_sha256(spool.get(b.offset, b.length)))
    return pixel_sha256(spool.get(a.offset, a.length)) == b_pixels[0]


def _twin_caption(a: Row, b: Row) -> bool:
    """Same caption in another book: the twin copy. The parts of a composite share their caption
    too (in one book and across twins), so hinted rows count only at the same figure index."""
    if a.source_sha256 == b.source_sha256 or normalize_text(a.caption) != normalize_text(b.caption):
        return False
    return bool(a.caption.strip()) and (not (a.group_hint or b.group_hint) or a.index == b.index)


def _distinct_figures(a: Row, b: Row, config: BuildConfig) -> bool:
    """Whether two near-alike pictures are different figures: same book, other bytes, and both
    captioned with different labels (or, unlabelled, captions less alike than
    `distinct_caption_ratio`). A picture printed twice keeps its caption, so it stays a duplicate."""
    if a.source_sha256 != b.source_sha256 or a.image_sha256 == b.image_sha256:
        return False
    ca, cb = normalize_text(a.caption), normalize_text(b.caption)
    if not ca or not cb:
        return False
    if a.label and b.label:
        return normalize_text(a.label) != normalize_text(b.label)
    return SequenceMatcher(None, ca, cb, autojunk=False).ratio() < config.distinct_caption_ratio


def dedupe(data: Ingested, spool: ImageSpool, config: BuildConfig) -> Deduped:
    """Given ingested rows, return the rows to keep, the dropped rows as rejects and text edges."""
    rows = data.rows
    img_edges, thumbs = image_edges(data, config)
    uf = UnionFind(len(rows))
    # each cluster's members by book: a link must not join two different figures of one book,
    # not even through copies in other books (a rendered twin of 图16 alike to 图17)
    by_book: dict[int, dict[str, list[int]]] = {}
    group_edges = []

    def join(i: int, j: int) -> bool:
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            return True
        bi = by_book.pop(ri, None) or {rows[ri].source_sha256: [ri]}
        bj = by_book.pop(rj, None) or {rows[rj].source_sha256: [rj]}
        if any(_distinct_figures(rows[a], rows[b], config)
               for book, members in bi.items() for a in members for b in bj.get(book, ())):
            by_book[ri], by_book[rj] = bi, bj
            group_edges.append((i, j))  # alike, so kept in one split, but both stay
            return False
        uf.union(i, j)
        for book, members in bj.items():
            bi.setdefault(book, []).extend(members)
        by_book[uf.find(i)] = bi
        return True

    why: dict[tuple[int, int], str] = {}
    image_linked: set[int] = set()
    for i, j, detail in img_edges:
        if not join(i, j):
            continue
        why[(i, j)] = why[(j, i)] = detail
        image_linked.update((i, j))
    for i, j, jac in text_pairs([r.text for r in rows], config):
        cos = float(thumbs[i] @ thumbs[j])
        same_caption = _twin_caption(rows[i], rows[j])
        if (same_caption or (cos >= config.text_drop_similarity
                             and _aspect_ok(rows[i], rows[j], config.aspect_tolerance))) and join(i, j):
            caption = ", same caption" if same_caption else ""
            why.setdefault((i, j), f"text Jaccard {jac:.2f}, thumbnail cosine {cos:.3f}{caption}")
            why.setdefault((j, i), why[(i, j)])
        else:
            group_edges.append((i, j))
    keeper_of: dict[int, int] = {}
    rejects = []
    for members in uf.groups():
        if len(members) == 1:
            continue
        keeper = min(members, key=lambda m: keep_order(rows[m]))
        keep_px: list[str] = []  # decoded only when a copy has the same size and other bytes
        for m in sorted(members, key=lambda m: rows[m].id):
            if m == keeper:
                continue
            if CURATOR_RESTORED in rows[m].evidence:  # a curator said keep it: group, never drop
                group_edges.append((m, keeper))
                continue
            keeper_of[m] = keeper
            if _same_pixels(rows[m], rows[keeper], spool, keep_px):
                reason, detail = RejectReason.DUPLICATE_IMAGE, "same decoded pixels"
            elif m in image_linked:
                reason = RejectReason.NEAR_DUPLICATE_IMAGE
                detail = why.get((m, keeper), "near-duplicate picture (linked through another copy)")
            else:
                reason = RejectReason.NEAR_DUPLICATE_TEXT
                detail = why.get((m, keeper), "near-duplicate description and picture")
            rejects.append(duplicate_reject(rows[m], reason, rows[keeper].id, detail))
    keep = tuple(i for i in range(len(rows)) if i not in keeper_of)
    return Deduped(keep, tuple(rejects), keeper_of, tuple(dict.fromkeys(group_edges)))
