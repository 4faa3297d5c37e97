"""The work store: intermediate records as schema-versioned Parquet in a local folder or any fsspec URI.

Every stage hands over through it (and any worker, any tool or a later run can read what it holds):

  cache/<sha16>/<fingerprint>/p0001.parquet   one page's PageExtract (extract's resume cache)
  books/<sha16>/pages.parquet                 a book's PageExtracts, page order
  books/<sha16>/alignment.parquet             its pairs and rejects (BookAlignment)
  run.json, params.json                       the inputs of the last extract, stage parameters

The Arrow schema of each record is derived from its dataclass fields, so a field added to a record
is stored without touching this file; the file's metadata carries the record name and
WORK_SCHEMA_VERSION, and a reader refuses another version (a cached page is then recomputed).
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import types
import typing
import uuid
from enum import Enum
from functools import cache

import pyarrow as pa
import pyarrow.parquet as pq

from culti.contract import SCHEMA_KEY, WORK_SCHEMA_VERSION, SchemaError, check_schema
from culti.records import BookAlignment, PageExtract

RECORD_KEY = b"culti.record"


# ---- dataclass <-> Arrow ---------------------------------------------------------------------

def _strip_optional(tp):
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def arrow_type(tp) -> pa.DataType:
    """Given a record field's type hint, return its Arrow type."""
    tp = _strip_optional(tp)
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return pa.struct([(f.name, arrow_type(_hints(tp)[f.name])) for f in dataclasses.fields(tp)])
    if origin in (tuple, list, frozenset, set):
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        if len(set(args)) == 1:
            return pa.list_(arrow_type(args[0]))
        return pa.struct([(f"f{i}", arrow_type(a)) for i, a in enumerate(args)])
    if origin is dict or tp is dict:
        return pa.string()  # JSON text
    if isinstance(tp, type) and issubclass(tp, Enum):
        return pa.string()
    simple = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_(),
              bytes: pa.binary()}
    if tp in simple:
        return simple[tp]
    raise TypeError(f"no Arrow type for {tp!r}")


def _encode(value, tp):
    if value is None:
        return None
    tp = _strip_optional(tp)
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        return {f.name: _encode(getattr(value, f.name), hints[f.name]) for f in dataclasses.fields(tp)}
    if origin in (tuple, list, frozenset, set):
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        items = sorted(value) if origin in (frozenset, set) else value
        if len(set(args)) == 1:
            return [_encode(v, args[0]) for v in items]
        return {f"f{i}": _encode(v, a) for i, (v, a) in enumerate(zip(items, args, strict=True))}
    if origin is dict or tp is dict:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, Enum):
        return value.value
    return value


def _decode(value, tp):
    if value is None:
        return None
    tp = _strip_optional(tp)
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        return tp(**{f.name: _decode(value[f.name], hints[f.name]) for f in dataclasses.fields(tp)
                     if f.name in value})
    if origin in (tuple, list, frozenset, set):
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        if len(set(args)) == 1:
            return origin(_decode(v, args[0]) for v in value)
        return tuple(_decode(value[f"f{i}"], a) for i, a in enumerate(args))
    if origin is dict or tp is dict:
        return json.loads(value)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(value)
    return value


def record_schema(cls) -> pa.Schema:
    """Given a record class, return the Arrow schema of a table with one row per record."""
    meta = {SCHEMA_KEY: WORK_SCHEMA_VERSION.encode(), RECORD_KEY: cls.__name__.encode()}
    return pa.schema(list(arrow_type(cls)), metadata=meta)


def records_to_table(cls, records) -> pa.Table:
    """Given records of one class, return them as an Arrow table (schema-versioned)."""
    return pa.Table.from_pylist([_encode(r, cls) for r in records], schema=record_schema(cls))


def table_to_records(cls, table: pa.Table, where: str = "table") -> list:
    """Given a table written by records_to_table, return the records (SchemaError on a mismatch)."""
    check_schema(table.schema.metadata, where, WORK_SCHEMA_VERSION)
    name = (table.schema.metadata or {}).get(RECORD_KEY, b"").decode()
    if name != cls.__name__:
        raise SchemaError(f"{where}: holds {name or 'unknown'} records, expected {cls.__name__}")
    return [_decode(row, cls) for row in table.to_pylist()]


# ---- the store -------------------------------------------------------------------------------

class Store:
    """Tables and small JSON files under a root: a local folder or any fsspec URI (s3://, gs://...)."""

    def __init__(self, root) -> None:
        from fsspec.core import url_to_fs

        root = str(root)
        # workers on other nodes or in other folders must resolve the same place
        self.root = root if "://" in root else os.path.abspath(root)
        self.fs, self._base = url_to_fs(self.root)
        self.local = "file" in (self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,))

    def __reduce__(self):  # workers rebuild the filesystem from the URI
        return (Store, (self.root,))

    def path(self, key: str) -> str:
        return f"{self._base.rstrip('/')}/{key}"

    def url(self, key: str) -> str:
        """The key as a path or URI any process can open."""
        return f"{self.root.rstrip('/')}/{key}"

    def exists(self, key: str) -> bool:
        return self.fs.exists(self.path(key))

    def put_bytes(self, key: str, data: bytes) -> None:
        """Write atomically: a reader sees the old file or the whole new one, never half."""
        path = self.path(key)
        if self.local:
            parent = path.rsplit("/", 1)[0]
            self.fs.makedirs(parent, exist_ok=True)
            tmp = f"{parent}/.{path.rsplit('/', 1)[1]}.{uuid.uuid4().hex}.tmp"
            with self.fs.open(tmp, "wb") as fh:
                fh.write(data)
            self.fs.mv(tmp, path)  # rename: atomic on one file system
        else:
            self.fs.pipe_file(path, data)  # object stores publish a put whole

    def get_bytes(self, key: str) -> bytes | None:
        try:
            return self.fs.cat_file(self.path(key))
        except FileNotFoundError:
            return None

    def put_records(self, key: str, cls, records) -> None:
        sink = io.BytesIO()
        pq.write_table(records_to_table(cls, records), sink, compression="zstd")
        self.put_bytes(key, sink.getvalue())

    def get_records(self, key: str, cls) -> list | None:
        """Return the records under key, or None when there is none (SchemaError on a mismatch)."""
        data = self.get_bytes(key)
        if data is None:
            return None
        # a pyarrow buffer, not a Python file: Arrow's reader threads then never call back into
        # Python, so none is left waiting for the interpreter while it shuts down (which aborted
        # the process, "terminate called without an active exception", after a user error)
        return table_to_records(cls, pq.read_table(pa.BufferReader(data)), f"{self.root}/{key}")

    def put_json(self, key: str, obj) -> None:
        self.put_bytes(key, json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True).encode())

    def get_json(self, key: str):
        data = self.get_bytes(key)
        return None if data is None else json.loads(data)


# ---- keys ------------------------------------------------------------------------------------

def page_key(sha256: str, fingerprint: str, page: int) -> str:
    return f"cache/{sha256[:16]}/{fingerprint}/p{page:04d}.parquet"


def pages_key(sha256: str) -> str:
    return f"books/{sha256[:16]}/pages.parquet"


def alignment_key(sha256: str) -> str:
    return f"books/{sha256[:16]}/alignment.parquet"


def get_page(store: Store, sha256: str, fingerprint: str, page: int) -> PageExtract | None:
    """Return a cached page, or None when absent or written by another schema (recompute it)."""
    try:
        found = store.get_records(page_key(sha256, fingerprint, page), PageExtract)
    except (SchemaError, pa.ArrowInvalid, OSError, KeyError, TypeError, ValueError):
        return None
    return found[0] if found else None


def put_page(store: Store, fingerprint: str, page: PageExtract) -> None:
    store.put_records(page_key(page.source_sha256, fingerprint, page.page), PageExtract, [page])


def put_alignment(store: Store, sha256: str, alignment: BookAlignment) -> None:
    store.put_records(alignment_key(sha256), BookAlignment, [alignment])


def get_alignment(store: Store, sha256: str) -> BookAlignment | None:
    found = store.get_records(alignment_key(sha256), BookAlignment)
    return found[0] if found else None
