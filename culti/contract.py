"""The output contract, in one module that imports nothing else of culti.

What a dataset folder holds and what every reader (exporters, review, laclip_eval, a later run)
may rely on: the split names, the Arrow schema of the split and rejects files, the statuses and
reasons as enums, manifest.json as typed records, and the schema versions each reader checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import pyarrow as pa

# Bump when a column, a status or the manifest changes shape; readers refuse other versions.
SCHEMA_VERSION = "2"  # 2: the text_kind column
# Bump when the Arrow layout of the intermediates in OUT/work (pages, alignments) changes.
WORK_SCHEMA_VERSION = "2"  # 2: the text_kind column
SCHEMA_KEY = b"culti.schema_version"

SPLITS = ("train", "validation", "test")
REJECTS = "rejects"
MANIFEST = "manifest.json"


class SchemaError(ValueError):
    """A file written under another schema version, or not a culti file at all."""


class PageStatus(StrEnum):
    OK = "ok"
    NO_FIGURES = "no_figures"
    FAILED = "failed"


class FileStatus(StrEnum):
    OK = "ok"
    PARTIAL = "partial"  # some pages failed
    FAILED = "failed"


class Stage(StrEnum):
    INPUT = "input"
    EXTRACT = "extract"
    ALIGN = "align"
    DATASET = "dataset"
    REVIEW = "review"


class RejectReason(StrEnum):
    # input files and pages
    FILE_MISSING = "file_missing"
    NOT_PDF = "not_pdf"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    EMPTY = "empty"
    PAGE_FAILED = "page_failed"
    # images that are not figures
    ORNAMENT = "ornament"  # small decorative image or drawing
    REPEATED = "repeated_across_pages"  # logo, running ornament
    BACKGROUND = "page_background"
    TOO_SMALL = "too_small"
    RULE = "rule"  # line or thin bar
    # pairing
    NO_CAPTION = "no_caption"  # figure with no caption
    ORPHAN_CAPTION = "orphan_caption"  # caption with no figure
    NO_DESCRIPTION = "no_description"
    MERGED = "merged"  # a piece of a figure printed as several images: its pixels are in the row
    LOW_CONFIDENCE = "low_confidence"
    # dataset
    DUPLICATE_IMAGE = "duplicate_image"  # same pixels
    NEAR_DUPLICATE_IMAGE = "near_duplicate_image"  # re-scan, resize, recompress
    NEAR_DUPLICATE_TEXT = "near_duplicate_text"
    EMPTY_TEXT = "empty_text"
    UNDECODABLE_IMAGE = "undecodable_image"
    # curator
    CURATOR_DROPPED = "curator_dropped"


# ---- the split and rejects files -------------------------------------------------------------

F64_LIST = pa.list_(pa.float64())
IMAGE = pa.struct([("bytes", pa.binary()), ("path", pa.string())])

ROW_FIELDS: list[tuple[str, pa.DataType]] = [
    ("id", pa.string()), ("image", IMAGE), ("title", pa.string()), ("caption", pa.string()),
    ("label", pa.string()), ("text", pa.string()), ("source", pa.string()),
    ("source_sha256", pa.string()), ("page", pa.int32()), ("bbox", F64_LIST), ("domain", pa.string()),
    ("split", pa.string()), ("group_id", pa.string()), ("confidence", pa.float64()),
    ("text_origin", pa.string()), ("width", pa.int32()), ("height", pa.int32()),
    ("keywords", pa.list_(pa.string())), ("caption_original", pa.string()),
    ("text_original", pa.string()), ("evidence", pa.list_(pa.string())),
    ("figure_origin", pa.string()), ("caption_page", pa.int32()), ("caption_bbox", F64_LIST),
    ("text_bbox", F64_LIST), ("image_sha256", pa.string()), ("text_kind", pa.string()),
]
REJECT_FIELDS: list[tuple[str, pa.DataType]] = [
    ("id", pa.string()), ("stage", pa.string()), ("reason", pa.string()), ("detail", pa.string()),
    ("source", pa.string()), ("source_sha256", pa.string()), ("page", pa.int32()), ("bbox", F64_LIST),
    ("duplicate_of", pa.string()), ("image", IMAGE), ("caption", pa.string()), ("text", pa.string()),
]


def split_file(data_dir: Path, split: str) -> Path:
    """Given a dataset folder and a split (or "rejects"), return its Parquet path."""
    if split not in (*SPLITS, REJECTS):
        raise ValueError(f"split={split!r}: use one of {', '.join(SPLITS)} or {REJECTS!r}")
    return Path(data_dir) / f"{split}.parquet"


def check_schema(metadata: dict | None, where: str, expected: str = SCHEMA_VERSION,
                 required: bool = True) -> None:
    """Given a Parquet file's key-value metadata, raise SchemaError unless it carries `expected`
    (with required=False a file that carries no culti version at all, made by another tool, passes)."""
    found = (metadata or {}).get(SCHEMA_KEY)
    found = found.decode() if isinstance(found, bytes) else found
    if found is None and not required:
        return
    if found != expected:
        raise SchemaError(f"{where}: written with culti schema version {found!r}, this culti reads "
                          f"{expected!r}; rebuild it with this version of culti")


def read_split(data_dir: Path, split: str, columns: list[str] | None = None) -> pa.Table:
    """Given a dataset folder and a split, return its table after checking the schema version."""
    import pyarrow.parquet as pq

    path = split_file(data_dir, split)
    check_schema(pq.read_schema(path).metadata, str(path))
    return pq.read_table(path, columns=columns)


# ---- manifest.json ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PageEntry:
    page: int
    status: PageStatus
    detail: str = ""


@dataclass(frozen=True, slots=True)
class InputEntry:
    """One input file's outcome: status, why (an enum) and the message, per-page statuses."""

    path: str
    source: str
    sha256: str = ""
    status: FileStatus = FileStatus.OK
    reason: RejectReason | None = None  # why the file (or some of its pages) failed
    detail: str = ""  # the one-line message
    page_count: int = 0
    pages: tuple[PageEntry, ...] = field(default=())

    def to_json(self) -> dict:
        return {"path": self.path, "source": self.source, "sha256": self.sha256,
                "status": self.status.value, "reason": self.reason.value if self.reason else "",
                "detail": self.detail, "page_count": self.page_count,
                "pages": [{"page": p.page, "status": p.status.value, "detail": p.detail}
                          for p in self.pages]}

    @classmethod
    def from_json(cls, data: dict) -> InputEntry:
        reason = data.get("reason") or ""
        return cls(path=data.get("path", ""), source=data.get("source", ""),
                   sha256=data.get("sha256", ""), status=FileStatus(data.get("status", "ok")),
                   reason=RejectReason(reason) if reason else None, detail=data.get("detail", ""),
                   page_count=int(data.get("page_count", 0)),
                   pages=tuple(PageEntry(int(p["page"]), PageStatus(p["status"]), p.get("detail", ""))
                               for p in data.get("pages", [])))


@dataclass(frozen=True, slots=True)
class Manifest:
    """manifest.json: inputs, parameters, versions; `extra` keeps the build's other sections."""

    schema_version: str
    culti_version: str
    parameters: dict
    versions: dict
    inputs: tuple[InputEntry, ...]
    extra: dict = field(default_factory=dict)  # summary, build, counts, files, corrections


def check_manifest(data: dict, where: str) -> None:
    """Given a parsed manifest.json, raise SchemaError when it names another schema version."""
    if "schema_version" in data and str(data["schema_version"]) != SCHEMA_VERSION:
        raise SchemaError(f"{where}: schema version {data['schema_version']!r}, this culti reads "
                          f"{SCHEMA_VERSION!r}; rebuild the dataset with this version of culti")


def read_manifest(data_dir: Path) -> Manifest:
    """Given a dataset folder, return its manifest as typed records (SchemaError on a mismatch)."""
    path = Path(data_dir) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise SchemaError(f"{path}: not valid JSON at line {err.lineno}: {err.msg}; rebuild the dataset") from err
    if str(data.get("schema_version")) != SCHEMA_VERSION:
        raise SchemaError(f"{path}: schema version {data.get('schema_version')!r}, this culti reads "
                          f"{SCHEMA_VERSION!r}; rebuild the dataset with this version of culti")
    known = {"schema_version", "culti_version", "parameters", "versions", "inputs"}
    return Manifest(schema_version=SCHEMA_VERSION, culti_version=data.get("culti_version", ""),
                    parameters=data.get("parameters", {}), versions=data.get("versions", {}),
                    inputs=tuple(InputEntry.from_json(i) for i in data.get("inputs", [])),
                    extra={k: v for k, v in data.items() if k not in known})
