"""Pairs + rejects -> a dataset folder: ingest, dedupe, group, split, write, publish atomically."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from culti.files import file_sha256
from culti.records import Pair, Reject
from dataset import card, parquet, publish
from dataset.config import SPLITS, BuildConfig, BuildSummary
from dataset.dedupe import dedupe
from dataset.groups import UnionFind, assign_groups, crop_edges
from dataset.rows import _EXT, Row, image_path, ingest, spool_rejects
from dataset.split import assign_splits
from dataset.spool import ImageSpool

FILES = (*(f"{s}.parquet" for s in SPLITS), "rejects.parquet", card.PLOT, "README.md")
MANIFEST = "manifest.json"


def build_dataset(pairs: Iterable[Pair], rejects: Iterable[Reject], config: BuildConfig,
                  out_dir: Path, manifest: dict) -> BuildSummary:
    """Given pairs and upstream rejects, write out_dir's Parquet files, card and manifest."""
    out_dir = Path(out_dir)
    staging = publish.new_build(out_dir)
    spool = ImageSpool(staging / "images.spool")
    gray_spool = ImageSpool(staging / "grays.spool")
    try:
        return _build(pairs, rejects, config, out_dir, staging, (spool, gray_spool), manifest)
    finally:
        spool.close()
        gray_spool.close()


def _build(pairs, rejects, config, out_dir, staging, spools, manifest) -> BuildSummary:
    spool, gray_spool = spools
    clock = [time.perf_counter()]
    seconds: dict[str, float] = {}

    def lap(name: str) -> None:
        clock.append(time.perf_counter())
        seconds[name] = round(clock[-1] - clock[-2], 2)

    data = ingest(pairs, spool, gray_spool, config.workers)
    all_rejects = list(data.rejects) + list(spool_rejects(rejects, spool))
    lap("ingest")
    dd = dedupe(data, spool, config)
    lap("dedupe")
    kept = [data.rows[i] for i in dd.keep]
    new_index = {old: new for new, old in enumerate(dd.keep)}

    def kept_index(i: int) -> int:
        return new_index[dd.keeper_of.get(i, i)]

    links = [(kept_index(a), kept_index(b)) for a, b in dd.group_edges]
    n_crops = 0
    if config.detect_crops and kept:
        # searched among all rows, dropped twins included: a crop and its whole may be kept from
        # different copies of the book (born-digital and scanned), yet match within one of them
        together = UnionFind(len(kept))
        for a, b in links:
            together.union(a, b)

        def linked(a: int, b: int) -> bool:
            return together.find(kept_index(a)) == together.find(kept_index(b))

        def load_gray(i: int) -> np.ndarray:
            offset, length, shape = data.grays[i]
            return np.frombuffer(gray_spool.get(offset, length), np.uint8).reshape(shape)

        crops = crop_edges(data.rows, np.stack(data.hists), load_gray, config, linked)
        for a, b, _ in crops:
            links.append((kept_index(a), kept_index(b)))
            together.union(kept_index(a), kept_index(b))
        n_crops = len(crops)
    lap("crops")
    group_ids = assign_groups(kept, links)
    splits = assign_splits(kept, group_ids, config.ratios, config.seed)
    lap("split")
    all_rejects += [(r, _where(data.rows, r.item_id)) for r in dd.rejects]
    all_rejects.sort(key=lambda rw: _reject_key(rw[0]))

    params = config.params()
    counts = {}
    for split in SPLITS:
        order = sorted((i for i, s in enumerate(splits) if s == split), key=lambda i: kept[i].id)
        counts[split] = parquet.write_table(
            staging / f"{split}.parquet", parquet.schema(parquet.ROW_FIELDS, params),
            _row_records(kept, order, group_ids, split, spool), config.row_group_rows,
            config.row_group_bytes, config.zstd_level)
    parquet.write_table(staging / "rejects.parquet", parquet.schema(parquet.REJECT_FIELDS, params),
                        _reject_records(all_rejects, spool), config.row_group_rows,
                        config.row_group_bytes, config.zstd_level)
    spool.close()
    lap("parquet")

    reject_counts = dict(sorted(Counter(r.reason.value for r, _ in all_rejects).items()))
    dedupe_counts = dict(sorted(Counter(r.reason.value for r in dd.rejects).items()))
    domain_counts = {s: dict(sorted(Counter(r.domain for r, sp in zip(kept, splits, strict=True)
                                            if sp == s).items())) for s in SPLITS}
    n_groups = len(set(group_ids))
    card.write_plot(staging / card.PLOT, kept)
    (staging / "README.md").write_text(card.card_text(kept, splits, manifest, reject_counts,
                                                      dedupe_counts, n_groups), encoding="utf-8")
    for name in (card.PLOT, "README.md"):
        parquet.fsync_file(staging / name)
    summary = BuildSummary(out_dir=str(out_dir), split_counts=counts, domain_counts=domain_counts,
                           reject_counts=reject_counts, n_rows=len(kept), n_rejects=len(all_rejects),
                           n_groups=n_groups, dedupe_counts=dedupe_counts, seconds=seconds)
    _write_manifest(staging, manifest, params, summary, n_crops)
    publish.publish(staging, out_dir, (*FILES, MANIFEST))
    lap("card+publish")
    return summary


def _where(rows: list[Row], item_id: str | None) -> tuple[int, int] | None:
    for row in rows:  # only dropped duplicates come here: a few per build
        if row.id == item_id:
            return (row.offset, row.length)
    return None


def _reject_key(r: Reject) -> tuple:
    return (r.stage.value, r.source, r.page or 0, r.item_id or "", r.reason.value, r.detail,
            r.caption, r.text, r.duplicate_of or "")


def _row_records(rows: list[Row], order: list[int], group_ids: list[str], split: str,
                 spool: ImageSpool) -> Iterator[dict]:
    for i in order:
        r = rows[i]
        yield {
            "id": r.id, "image": {"bytes": spool.get(r.offset, r.length), "path": image_path(r.id, r.image_ext)},
            "title": r.title, "caption": r.caption, "label": r.label, "text": r.text, "source": r.source,
            "source_sha256": r.source_sha256, "page": r.page, "bbox": list(r.bbox), "domain": r.domain,
            "split": split, "group_id": group_ids[i], "confidence": r.confidence,
            "text_origin": r.text_origin, "width": r.width, "height": r.height,
            "keywords": list(r.keywords), "caption_original": r.caption_original,
            "text_original": r.text_original, "evidence": list(r.evidence),
            "figure_origin": r.figure_origin, "caption_page": r.caption_page,
            "caption_bbox": None if r.caption_bbox is None else list(r.caption_bbox),
            "text_bbox": None if r.text_bbox is None else list(r.text_bbox),
            "image_sha256": r.image_sha256, "text_kind": r.text_kind,
        }


def _reject_records(rejects, spool: ImageSpool) -> Iterator[dict]:
    for r, where in rejects:
        image = None
        if where is not None:
            ext = _EXT.get((r.image_format or "bin").lower(), (r.image_format or "bin").lower())
            image = {"bytes": spool.get(*where), "path": image_path(r.item_id or "reject", ext)}
        yield {"id": r.item_id, "stage": r.stage.value, "reason": r.reason.value, "detail": r.detail,
               "source": r.source, "source_sha256": r.source_sha256, "page": r.page,
               "bbox": None if r.bbox_pt is None else [float(v) for v in r.bbox_pt],
               "duplicate_of": r.duplicate_of, "image": image, "caption": r.caption, "text": r.text}


def _write_manifest(staging: Path, manifest: dict, params: dict, summary: BuildSummary,
                    n_crops: int) -> None:
    out = dict(manifest)
    out["build"] = {"parameters": params, "crop_links": n_crops, "groups": summary.n_groups}
    out["counts"] = {"splits": summary.split_counts, "domains": summary.domain_counts,
                     "rejects": summary.reject_counts, "dedupe": summary.dedupe_counts,
                     "rows": summary.n_rows}
    out["files"] = {name: file_sha256(staging / name) for name in FILES}
    path = staging / MANIFEST
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True, default=str),
                    encoding="utf-8")
    parquet.fsync_file(path)


