"""The dataset folder read into review items: one plain dict per card (the page's data.js contract).

Images are not kept: each crop goes to a small JPEG as its batch is read, so a large dataset never
sits in memory whole.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

SPLITS = ("train", "validation", "test")
REJECTS = "rejects"
_FIGURE_ID = re.compile(r"^[0-9a-f]{1,16}-p\d{4,}-f\d{2,}$")
_BATCH_ROWS = 256

# A crop writer: (item key, encoded image bytes) -> thumbnail path relative to review/, or None.
CropWriter = Callable[[str, bytes], "str | None"]


@dataclass(frozen=True, slots=True)
class DatasetItems:
    pairs: tuple[dict, ...]
    rejects: tuple[dict, ...]
    manifest: dict
    missing_files: tuple[str, ...]  # contract files that were not there


def book_key(sha256: str | None, source: str | None) -> str:
    """Given a book's hash and file name, return the key that groups its cards and page thumbnails."""
    return sha256[:16] if sha256 else f"file:{source or '?'}"


def read_manifest(data_dir: Path) -> dict:
    path = data_dir / "manifest.json"
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}: not valid JSON at line {err.lineno}: {err.msg}; rebuild the dataset") from err


def _rows(path: Path) -> Iterator[dict]:
    table = pq.ParquetFile(path)
    for batch in table.iter_batches(batch_size=_BATCH_ROWS):
        yield from batch.to_pylist()


def _image_bytes(value: object) -> bytes | None:
    if isinstance(value, dict):
        data = value.get("bytes")
        return bytes(data) if data else None
    return bytes(value) if isinstance(value, (bytes, bytearray)) and value else None


def _bbox(value: object) -> list[float] | None:
    if value is None or len(value) != 4:
        return None
    return [round(float(v), 2) for v in value]


def _confidence(value: object) -> float:
    """A missing or NaN confidence shows as 0, so the low-confidence filter finds it."""
    conf = float(value) if value is not None else 0.0
    return round(conf, 3) if math.isfinite(conf) else 0.0


def _pair_item(row: dict, split: str, write_crop: CropWriter) -> dict:
    image = _image_bytes(row.get("image"))
    sha = row.get("source_sha256") or ""
    return {
        "kind": "pair", "id": row["id"], "book": book_key(sha, row.get("source")),
        "source": row.get("source") or "", "page": row.get("page"), "split": row.get("split") or split,
        "conf": _confidence(row.get("confidence")),
        "caption": row.get("caption") or "", "label": row.get("label") or "",
        "title": row.get("title") or "", "text": row.get("text") or "",
        "text_kind": row.get("text_kind") or "description",
        "domain": row.get("domain") or "", "bbox": _bbox(row.get("bbox")),
        "caption_page": row.get("caption_page"), "caption_bbox": _bbox(row.get("caption_bbox")),
        "text_bbox": _bbox(row.get("text_bbox")),
        "thumb": write_crop(row["id"], image) if image else None,
    }


def _reject_item(n: int, row: dict, write_crop: CropWriter) -> dict:
    image = _image_bytes(row.get("image"))
    ident = row.get("id")
    key = ident or f"reject-{n}"  # input rejects (a corrupt PDF) have no id
    bbox = _bbox(row.get("bbox"))
    restorable = bool(image and ident and _FIGURE_ID.match(ident) and row.get("page") and bbox)
    return {
        "kind": "reject", "id": ident, "key": key,
        "book": book_key(row.get("source_sha256"), row.get("source")),
        "source": row.get("source") or "", "page": row.get("page"), "bbox": bbox,
        "stage": row.get("stage") or "", "reason": row.get("reason") or "", "detail": row.get("detail") or "",
        "duplicate_of": row.get("duplicate_of"), "caption": row.get("caption") or "",
        "text": row.get("text") or "", "restorable": restorable,
        "thumb": write_crop(key, image) if image else None,
    }


def read_items(data_dir: Path, write_crop: CropWriter) -> DatasetItems:
    """Given a dataset folder, return its pairs and rejects as card dicts, writing crop thumbnails on the way."""
    pairs: list[dict] = []
    rejects: list[dict] = []
    missing: list[str] = []
    for split in SPLITS:
        path = data_dir / f"{split}.parquet"
        if not path.exists():
            missing.append(path.name)
            continue
        pairs.extend(_pair_item(row, split, write_crop) for row in _rows(path))
    path = data_dir / f"{REJECTS}.parquet"
    if path.exists():
        rejects.extend(_reject_item(n, row, write_crop) for n, row in enumerate(_rows(path)))
    else:
        missing.append(path.name)
    if len(missing) == len(SPLITS) + 1:
        raise FileNotFoundError(f"{data_dir}: no train/validation/test/rejects.parquet; "
                                f"run `culti dataset ... --out {data_dir}` first")
    return DatasetItems(tuple(pairs), tuple(rejects), read_manifest(data_dir), tuple(missing))
