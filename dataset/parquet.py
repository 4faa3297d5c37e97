"""Rows -> Parquet files (HF datasets Image layout)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import culti

_F64_LIST = pa.list_(pa.float64())
_IMAGE = pa.struct([("bytes", pa.binary()), ("path", pa.string())])

ROW_FIELDS: list[tuple[str, pa.DataType]] = [
    ("id", pa.string()), ("image", _IMAGE), ("title", pa.string()), ("caption", pa.string()),
    ("label", pa.string()), ("text", pa.string()), ("source", pa.string()),
    ("source_sha256", pa.string()), ("page", pa.int32()), ("bbox", _F64_LIST), ("domain", pa.string()),
    ("split", pa.string()), ("group_id", pa.string()), ("confidence", pa.float64()),
    ("text_origin", pa.string()), ("width", pa.int32()), ("height", pa.int32()),
    ("keywords", pa.list_(pa.string())), ("caption_original", pa.string()),
    ("text_original", pa.string()), ("evidence", pa.list_(pa.string())),
    ("figure_origin", pa.string()), ("caption_page", pa.int32()), ("caption_bbox", _F64_LIST),
    ("text_bbox", _F64_LIST), ("image_sha256", pa.string()), ("text_kind", pa.string()),
]
REJECT_FIELDS: list[tuple[str, pa.DataType]] = [
    ("id", pa.string()), ("stage", pa.string()), ("reason", pa.string()), ("detail", pa.string()),
    ("source", pa.string()), ("source_sha256", pa.string()), ("page", pa.int32()), ("bbox", _F64_LIST),
    ("duplicate_of", pa.string()), ("image", _IMAGE), ("caption", pa.string()), ("text", pa.string()),
]


def _hf_feature(typ: pa.DataType) -> dict:
    if typ == _IMAGE:
        return {"_type": "Image"}
    if pa.types.is_list(typ):
        # "Sequence" is read by datasets 2.x-5.x alike ("List" only from 4.0)
        return {"feature": _hf_feature(typ.value_type), "_type": "Sequence"}
    name = {pa.string(): "string", pa.int32(): "int32", pa.float64(): "float64"}[typ]
    return {"dtype": name, "_type": "Value"}


def schema(fields: Sequence[tuple[str, pa.DataType]], params: dict) -> pa.Schema:
    """Given columns and build parameters, return the Arrow schema with HF and culti metadata."""
    features = {name: _hf_feature(typ) for name, typ in fields}
    meta = {
        b"huggingface": json.dumps({"info": {"features": features}}, ensure_ascii=False).encode(),
        b"culti.schema_version": str(culti.SCHEMA_VERSION).encode(),
        b"culti.version": culti.__version__.encode(),
        b"culti.build_parameters": json.dumps(params, sort_keys=True).encode(),
    }
    return pa.schema([pa.field(n, t) for n, t in fields], metadata=meta)


def write_table(path: Path, schema_: pa.Schema, records: Iterable[dict], rows_per_group: int,
                bytes_per_group: int, zstd_level: int) -> int:
    """Stream dict records into one Parquet file, a row group per batch; return the row count."""
    n = 0
    # encoded images do not compress: zstd on them costs time for ~1 %
    codecs = {c: "zstd" for c in _leaf_paths(schema_)}
    levels = {c: zstd_level for c in codecs if c != "image.bytes"}
    codecs["image.bytes"] = "none"
    with pq.ParquetWriter(path, schema_, compression=codecs, compression_level=levels,
                          write_statistics=True, use_dictionary=True) as writer:
        batch: list[dict] = []
        size = 0
        for record in records:
            batch.append(record)
            size += len((record.get("image") or {}).get("bytes") or b"")
            if len(batch) >= rows_per_group or size >= bytes_per_group:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema_))
                n += len(batch)
                batch, size = [], 0
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema_))
            n += len(batch)
    fsync_file(path)
    return n


def _leaf_paths(schema_: pa.Schema) -> list[str]:
    paths = []
    for f in schema_:
        if pa.types.is_struct(f.type):
            paths += [f"{f.name}.{f.type.field(i).name}" for i in range(f.type.num_fields)]
        elif pa.types.is_list(f.type):
            paths.append(f"{f.name}.list.element")
        else:
            paths.append(f.name)
    return paths


def fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())
