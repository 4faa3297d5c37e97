"""Pair -> Row: the metadata a build keeps in memory (image bytes go to the spool)."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context

import numpy as np

from culti.records import Pair, Reject, RejectReason, Stage
from dataset.features import describe, image_size
from dataset.spool import ImageSpool

_EXT = {"jpeg": "jpg", "jpg": "jpg", "png": "png", "jpx": "jp2", "jp2": "jp2", "tiff": "tif", "webp": "webp"}


@dataclass(frozen=True, slots=True)
class Row:
    """One dataset row without its image bytes, which lie in the spool at (offset, length)."""

    id: str
    title: str
    caption: str
    label: str
    text: str
    source: str
    source_sha256: str
    page: int
    bbox: tuple[float, float, float, float]
    domain: str
    text_origin: str
    confidence: float
    width: int
    height: int
    image_ext: str
    image_sha256: str  # of the encoded bytes
    offset: int
    length: int
    keywords: tuple[str, ...] = ()
    caption_original: str = ""
    text_original: str = ""
    evidence: tuple[str, ...] = ()
    figure_origin: str = ""
    caption_page: int | None = None
    caption_bbox: tuple[float, ...] | None = None
    text_bbox: tuple[float, ...] | None = None
    group_hint: str | None = None
    index: int = 0  # the figure's index on its page
    text_kind: str = "description"  # or "caption": `text` is the caption's title (no description)


@dataclass(slots=True)
class Ingested:
    """Rows with their image features (row-aligned arrays) and the rejects met on the way."""

    rows: list[Row] = field(default_factory=list)
    thumbs: list[np.ndarray] = field(default_factory=list)
    phash: list[int] = field(default_factory=list)
    dhash: list[int] = field(default_factory=list)
    hists: list[np.ndarray] = field(default_factory=list)
    grays: list = field(default_factory=list)  # (offset, length, shape) in the gray spool, or arrays
    rejects: list[tuple[Reject, tuple[int, int] | None]] = field(default_factory=list)


def image_path(row_id: str, ext: str) -> str:
    return f"{row_id}.{ext}"


def _die_with_parent() -> None:
    """Worker initializer: a worker must not outlive a killed build (Linux: PR_SET_PDEATHSIG)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere the worker ends when its call queue closes


def _features(data: bytes):
    """Worker side of ingest: (size, features) or (None, error text)."""
    try:
        return image_size(data), describe(data)
    except Exception as err:  # noqa: BLE001 - any decoder failure is data, not a crash
        return None, f"{type(err).__name__}: {err}"


class _Now:
    """A finished result that looks like a future (ingest without worker processes)."""

    def __init__(self, value) -> None:
        self.value = value

    def result(self):
        return self.value


def ingest(pairs: Iterable[Pair], spool: ImageSpool, gray_spool: ImageSpool | None = None,
           workers: int = 1) -> Ingested:
    """Given pairs, spool their images and return rows + features; bad rows become rejects.

    With workers > 1 the decoding runs in that many processes, a bounded number of images in flight.
    """
    out = Ingested()
    # fork: workers need no re-import of the caller's __main__ (scripts without a main guard work)
    method = "fork" if "fork" in get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(workers, mp_context=get_context(method),
                               initializer=_die_with_parent) if workers > 1 else None
    pending: deque = deque()
    try:
        for pair in pairs:
            if not pair.text.strip():
                out.rejects.append((_reject(pair, RejectReason.EMPTY_TEXT, "neither description nor caption text"),
                                    spool.put(pair.figure.image)))
                continue
            where = spool.put(pair.figure.image)
            job = pool.submit(_features, pair.figure.image) if pool else _Now(_features(pair.figure.image))
            pending.append((pair, where, job))
            while len(pending) > 8 * max(1, workers):
                _collect(out, *pending.popleft(), gray_spool)
        while pending:
            _collect(out, *pending.popleft(), gray_spool)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    return out


def _collect(out: Ingested, pair: Pair, where: tuple[int, int], job, gray_spool) -> None:
    size, feats = job.result()
    if size is None:
        out.rejects.append((_reject(pair, RejectReason.UNDECODABLE_IMAGE, feats), where))
        return
    vec, ph, dh, hist, gray = feats
    out.rows.append(_row(pair, size[0], size[1], *where))
    out.thumbs.append(vec)
    out.phash.append(ph)
    out.dhash.append(dh)
    out.hists.append(hist)
    out.grays.append((*gray_spool.put(gray.tobytes()), gray.shape) if gray_spool else gray)


def _row(pair: Pair, width: int, height: int, offset: int, length: int) -> Row:
    fig = pair.figure
    return Row(
        id=pair.id, title=pair.title, caption=pair.caption, label=pair.label, text=pair.text,
        source=fig.source, source_sha256=fig.source_sha256, page=fig.page,
        bbox=tuple(float(v) for v in fig.bbox_pt), domain=pair.domain.value,
        text_origin=pair.text_origin.value, confidence=float(pair.confidence), width=width,
        height=height, image_ext=_EXT.get(fig.image_format.lower(), fig.image_format.lower()),
        image_sha256=hashlib.sha256(fig.image).hexdigest(), offset=offset, length=length,
        keywords=tuple(pair.keywords), caption_original=pair.caption_original,
        text_original=pair.text_original, evidence=tuple(pair.evidence),
        figure_origin=fig.origin.value, caption_page=pair.caption_page,
        caption_bbox=_box(pair.caption_bbox_pt), text_bbox=_box(pair.text_bbox_pt),
        group_hint=pair.group_hint, index=fig.index, text_kind=pair.text_kind.value,
    )


def _box(box) -> tuple[float, ...] | None:
    return None if box is None else tuple(float(v) for v in box)


def _reject(pair: Pair, reason: RejectReason, detail: str) -> Reject:
    fig = pair.figure
    return Reject(stage=Stage.DATASET, reason=reason, source=fig.source, source_sha256=fig.source_sha256,
                  page=fig.page, bbox_pt=fig.bbox_pt, detail=detail, item_id=pair.id,
                  image_format=fig.image_format, caption=pair.caption, text=pair.text)


def duplicate_reject(row: Row, reason: RejectReason, keeper: str, detail: str) -> Reject:
    """Given a dropped row, return its reject pointing at the row kept instead."""
    return Reject(stage=Stage.DATASET, reason=reason, source=row.source, source_sha256=row.source_sha256,
                  page=row.page, bbox_pt=row.bbox, detail=detail, item_id=row.id, duplicate_of=keeper,
                  image_format=row.image_ext, caption=row.caption, text=row.text)


def spool_rejects(rejects: Iterable[Reject], spool: ImageSpool) -> Iterator[tuple[Reject, tuple[int, int] | None]]:
    """Given incoming rejects, yield them without image bytes, which go to the spool."""
    for reject in rejects:
        where = spool.put(reject.image) if reject.image else None
        yield (reject.__class__(**{**{s: getattr(reject, s) for s in reject.__slots__}, "image": None}), where)
