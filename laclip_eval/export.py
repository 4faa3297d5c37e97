"""Export a culti dataset folder (the Parquet contract only) into the layouts other training tools
read: Chinese-CLIP's fine-tuning folder (TSV + JSONL + the LMDBs its build_lmdb_dataset.py makes)
and webdataset tar shards. Ids, groups and splits travel with every sample."""

from __future__ import annotations

import base64
import io
import json
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

from laclip_eval.config import EvalConfigError
from laclip_eval.data import SPLITS

FORMATS = ("cn-clip", "webdataset")
CN_CLIP_SPLIT = {"train": "train", "validation": "valid", "test": "test"}  # Chinese-CLIP's split names
LMDB_MAP_SIZE = 1024**4  # a sparse file; what build_lmdb_dataset.py asks for


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One Parquet row: the image bytes, its text and everything else as metadata."""

    id: str
    split: str
    image: bytes
    text: str
    meta: dict  # every other column but the image (title, caption, group_id, page, ...)


def read_rows(data_dir: Path, text_field: str = "text") -> list[ExportRow]:
    """Given a dataset folder, return every row of train, validation and test in file order."""
    import pyarrow.parquet as pq

    rows = []
    for split in SPLITS:
        path = Path(data_dir) / f"{split}.parquet"
        if not path.is_file():
            raise EvalConfigError(f"{path} not found: run `culti dataset --out {data_dir}` first")
        for record in pq.read_table(path).to_pylist():
            data = (record.get("image") or {}).get("bytes")
            text = (record.get(text_field) or "").strip()
            if not data or not text:
                raise EvalConfigError(f"{path}: row {record.get('id')} has no image bytes or no {text_field}: "
                                      "rebuild the dataset")
            meta = {k: v for k, v in record.items() if k != "image"}
            meta["split"] = split
            rows.append(ExportRow(str(record["id"]), split, data, text, meta))
    return rows


def model_ready_bytes(data: bytes) -> tuple[bytes, str]:
    """Given encoded image bytes, return (bytes, extension): PNG/JPEG as they are; transparency
    flattened onto white (what culti's evaluation sees) and anything else written as PNG."""
    from PIL import Image

    from laclip_eval.data import decode_image

    image = Image.open(io.BytesIO(data))
    alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    if image.format in ("PNG", "JPEG") and not alpha:
        return data, "jpg" if image.format == "JPEG" else "png"
    buf = io.BytesIO()
    decode_image(data).save(buf, format="PNG")
    return buf.getvalue(), "png"


def _jsonable(value):
    if isinstance(value, bytes):
        return None
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _write_lmdb(folder: Path, split: str, images: list[tuple[int, str]], pairs: list[tuple[int, int, str]]) -> None:
    """Write folder/<split>/{imgs,pairs} with build_lmdb_dataset.py's keys and values: pairs
    "0".."n-1" -> pickle((image_id, text_id, text)) and b"num_samples"; imgs str(image_id) ->
    base64 (utf-8) and b"num_images"."""
    import lmdb

    base = folder / split
    for name, entries, count_key in (("pairs", [(str(i).encode(), pickle.dumps(p)) for i, p in enumerate(pairs)],
                                      b"num_samples"),
                                     ("imgs", [(str(i).encode(), b64.encode("utf-8")) for i, b64 in images],
                                      b"num_images")):
        (base / name).mkdir(parents=True, exist_ok=True)
        env = lmdb.open(str(base / name), map_size=LMDB_MAP_SIZE)
        with env.begin(write=True) as txn:
            for key, value in entries:
                txn.put(key, value)
            txn.put(count_key, str(len(entries)).encode("utf-8"))
        env.close()


def export_cn_clip(rows: list[ExportRow], out: Path) -> dict:
    """Given rows, write Chinese-CLIP's dataset folder: {split}_imgs.tsv (image_id TAB urlsafe
    base64), {split}_texts.jsonl (text_id, text, image_ids + culti ids and groups),
    {split}_images.jsonl (image_id -> culti id, group, sha256) and lmdb/{split}/{imgs,pairs}.
    Ids are integers (Chinese-CLIP's evaluation requires them), unique across splits; identical
    images and identical texts within a split share one id, as in read_split."""
    import hashlib

    out.mkdir(parents=True, exist_ok=True)
    counts, next_image, next_text = {}, 0, 0
    for split in SPLITS:
        name = CN_CLIP_SPLIT[split]
        image_ids: dict[str, int] = {}
        image_lines: list[tuple[int, str]] = []
        image_meta: list[dict] = []
        texts: dict[str, dict] = {}
        for row in (r for r in rows if r.split == split):
            sha = hashlib.sha256(row.image).hexdigest()
            if sha not in image_ids:
                image_ids[sha] = next_image
                data, _ = model_ready_bytes(row.image)
                image_lines.append((next_image, base64.urlsafe_b64encode(data).decode("ascii")))
                image_meta.append({"image_id": next_image, "id": row.id, "group_id": row.meta.get("group_id"),
                                   "image_sha256": sha, "split": split})
                next_image += 1
            entry = texts.get(row.text)
            if entry is None:
                entry = texts[row.text] = {"text_id": next_text, "text": row.text, "image_ids": [], "ids": [],
                                           "group_ids": [], "split": split}
                next_text += 1
            if image_ids[sha] not in entry["image_ids"]:
                entry["image_ids"].append(image_ids[sha])
            entry["ids"].append(row.id)
            if row.meta.get("group_id") not in entry["group_ids"]:
                entry["group_ids"].append(row.meta.get("group_id"))
        (out / f"{name}_imgs.tsv").write_text("".join(f"{i}\t{b64}\n" for i, b64 in image_lines), encoding="utf-8")
        (out / f"{name}_texts.jsonl").write_text(
            "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts.values()), encoding="utf-8")
        (out / f"{name}_images.jsonl").write_text(
            "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in image_meta), encoding="utf-8")
        pairs = [(i, t["text_id"], t["text"]) for t in texts.values() for i in t["image_ids"]]
        _write_lmdb(out / "lmdb", name, image_lines, pairs)
        counts[name] = {"images": len(image_lines), "texts": len(texts), "pairs": len(pairs)}
    return counts


def _key(row_id: str) -> str:
    """A webdataset key: everything up to a file name's first dot is the key, so no dots."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", row_id)


def export_webdataset(rows: list[ExportRow], out: Path, shard_size: int = 1000) -> dict:
    """Given rows, write out/{split}/NNNNN.tar shards (shard_size samples each) with per sample
    KEY.png|KEY.jpg (model-ready bytes), KEY.txt (the text) and KEY.json (every other column,
    split included); tar members carry mtime 0 so the same input gives the same bytes."""
    try:
        import webdataset as wds
    except ImportError as err:
        raise EvalConfigError("--format webdataset needs the webdataset package: pip install 'culti[export]'") from err

    counts = {}
    for split in SPLITS:
        folder = out / split
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.tar"):
            old.unlink()
        part = [r for r in rows if r.split == split]
        seen: set[str] = set()
        with wds.ShardWriter(str(folder / "%05d.tar"), maxcount=shard_size, verbose=0, mtime=0.0) as sink:
            for row in part:
                key = _key(row.id)
                if key in seen:
                    raise EvalConfigError(f"two rows of {split} map to the webdataset key {key}: ids must differ")
                seen.add(key)
                data, ext = model_ready_bytes(row.image)
                sink.write({"__key__": key, ext: data, "txt": row.text, "json": _jsonable(row.meta)})
        counts[split] = {"samples": len(part), "shards": len(list(folder.glob("*.tar")))}
    return counts


def export(data_dir: Path, out: Path, fmt: str, text_field: str = "text", shard_size: int = 1000) -> dict:
    """Given a dataset folder, write it in `fmt` (cn-clip or webdataset) under out; return the counts."""
    if fmt not in FORMATS:
        raise EvalConfigError(f"unknown --format {fmt!r}: use one of {', '.join(FORMATS)}")
    if shard_size < 1:
        raise EvalConfigError(f"--shard-size must be >= 1, got {shard_size}")
    rows = read_rows(Path(data_dir), text_field)
    out = Path(out)
    if fmt == "cn-clip":
        return export_cn_clip(rows, out)
    return export_webdataset(rows, out, shard_size)
