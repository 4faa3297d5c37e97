"""Readers and tables around the scoring core (culti/scoring.py): truth.json, a dataset folder, an
alignment or extract's pages -> `FoundRow`s; scores -> markdown tables.

A dataset folder is read from the output contract alone (rows of every split plus figure-level
rejects), so anyone can score their own labelled pages.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from culti.records import BookAlignment, PageExtract, RejectReason
from culti.scoring import FoundRow, TruthBook, misses, score_books, truth_books

# Rejects that are figures the pipeline found and then dropped: they count as found.
FIGURE_REJECTS = frozenset({
    RejectReason.NO_CAPTION, RejectReason.NO_DESCRIPTION, RejectReason.LOW_CONFIDENCE,
    RejectReason.DUPLICATE_IMAGE, RejectReason.NEAR_DUPLICATE_IMAGE, RejectReason.NEAR_DUPLICATE_TEXT,
    RejectReason.EMPTY_TEXT, RejectReason.UNDECODABLE_IMAGE, RejectReason.CURATOR_DROPPED,
})
_SPLITS = ("train", "validation", "test")


class TruthError(ValueError):
    """A truth.json that cannot be read; the message names the file and what is wrong."""


def read_truth(path: Path) -> list[TruthBook]:
    """Given a truth.json path (version 1 or 2), return its books; raises TruthError."""
    try:
        return truth_books(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, ValueError) as err:
        raise TruthError(f"{path}: {err}") from err


def _box(b) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in b)  # type: ignore[return-value]


def dataset_rows(data_dir: Path) -> dict[str, list[FoundRow]]:
    """Given a dataset folder, return the figures it found (rows and figure-level rejects) per file."""
    import pyarrow.parquet as pq

    found: dict[str, list[FoundRow]] = defaultdict(list)
    for split in _SPLITS:
        path = Path(data_dir) / f"{split}.parquet"
        if path.exists():
            columns = ["id", "source", "page", "bbox", "caption", "label", "text"]
            for r in pq.read_table(path, columns=columns).to_pylist():
                found[r["source"]].append(FoundRow(int(r["page"]), _box(r["bbox"]), r["caption"] or "",
                                                   r["label"] or "", r["text"] or "", r["id"]))
    path = Path(data_dir) / "rejects.parquet"
    if path.exists():
        columns = ["id", "reason", "source", "page", "bbox", "caption", "text"]
        for r in pq.read_table(path, columns=columns).to_pylist():
            if r["reason"] in FIGURE_REJECTS and r["bbox"] is not None and r["page"] is not None:
                found[r["source"]].append(FoundRow(int(r["page"]), _box(r["bbox"]), r["caption"] or "", "",
                                                   r["text"] or "", r["id"] or "", rejected=True,
                                                   reason=r["reason"]))
    return dict(found)


def dataset_inputs(data_dir: Path) -> set[str]:
    """Given a dataset folder, return the input file names its manifest lists (empty when none)."""
    path = Path(data_dir) / "manifest.json"
    if not path.exists():
        return set()
    return {i["source"] for i in json.loads(path.read_text(encoding="utf-8")).get("inputs", [])}


def alignment_rows(alignment: BookAlignment) -> list[FoundRow]:
    """Given one book's alignment, return its pairs and figure-level rejects as found rows."""
    rows = [FoundRow(p.figure.page, p.figure.bbox_pt, p.caption, p.label, p.text, p.id)
            for p in alignment.pairs]
    rows += [FoundRow(r.page, r.bbox_pt, r.caption, "", r.text, r.item_id or "", rejected=True,
                      reason=str(r.reason))
             for r in alignment.rejects
             if r.reason in FIGURE_REJECTS and r.page is not None and r.bbox_pt is not None]
    return rows


def page_rows(pages: Iterable[PageExtract]) -> list[FoundRow]:
    """Given extract's pages, return every figure found as a row with no caption or text."""
    return [FoundRow(f.page, f.bbox_pt) for p in pages for f in p.figures]


def evaluate_dataset(data_dir: Path, truth_path: Path) -> dict:
    """Given a dataset folder and a truth.json, return scores overall, per page kind and per file.

    Books of the truth that are not among the dataset's inputs are left out.
    """
    found = dataset_rows(Path(data_dir))
    files = dataset_inputs(Path(data_dir)) | set(found)
    return score_books(read_truth(truth_path), found, files)


def dataset_misses(data_dir: Path, truth_path: Path) -> dict[str, list[dict]]:
    """Given a dataset folder and a truth.json, return per file what the scores count against it
    (`culti.scoring.misses`): missed figures, extra boxes, wrong captions, rows of other text."""
    found = dataset_rows(Path(data_dir))
    files = dataset_inputs(Path(data_dir)) | set(found)
    return {b.file: misses(b, found.get(b.file, ())) for b in read_truth(truth_path) if b.file in files}


def format_misses(by_file: dict[str, list[dict]]) -> str:
    """Given dataset_misses' records, return one line per item, grouped under each file."""
    lines = []
    for name, items in sorted(by_file.items()):
        if not items:
            continue
        lines.append(f"{name}:")
        for m in items:
            where = f"  p{m['page']} {m['what']:<7}"
            if m["what"] == "missed":
                lines.append(f"{where} {m['key']} {m['bbox']} {m['caption'][:60]!r}")
            elif m["what"] == "extra":
                state = "reject" if m["rejected"] else "row"
                lines.append(f"{where} {state} {m['bbox']} {m['caption'][:60]!r}")
            else:
                lines.append(f"{where} {m['key']} want {m['want'][:50]!r} got {m['got'][:50]!r}")
    return "\n".join(lines) or "nothing missed"


def _cell(value) -> str:
    return "n/a" if value is None else str(value)


def format_scores(scores: dict, per_file: bool = False) -> str:
    """Given score_books' scores, return markdown: metrics x (overall, each page kind), and with
    per_file one row per file."""
    if not scores["by_file"]:
        return "no input of the truth file is in this dataset"
    columns = {"overall": scores["overall"], **scores["by_kind"]}
    lines = ["| metric | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for key in scores["overall"]:
        lines.append(f"| {key} | " + " | ".join(_cell(c[key]) for c in columns.values()) + " |")
    if per_file:
        lines += ["", format_files(scores["by_file"])]
    return "\n".join(lines)


FILE_COLUMNS: Sequence[tuple[str, str]] = (
    ("kind", "kind"), ("figures_truth", "truth"), ("figures_found", "found"),
    ("figure_recall", "recall"), ("figure_precision", "precision"),
    ("figure_recall_iou80", "recall@0.8"), ("pair_rows", "rows"), ("pair_recall", "pair recall"),
    ("pair_precision", "pair precision"), ("caption_exact", "caption"),
    ("pairing_accuracy", "pairing"), ("description_coverage", "desc cov"),
    ("description_precision", "desc prec"), ("rows_bleeding", "bleed"), ("rows_must_not", "must-not"),
)


def format_files(by_file: dict) -> str:
    """Given per-file metrics, return a markdown table with one row per file."""
    lines = ["| file | " + " | ".join(h for _, h in FILE_COLUMNS) + " |",
             "|---|" + "---|" * len(FILE_COLUMNS)]
    for name, m in by_file.items():
        lines.append(f"| {name} | " + " | ".join(_cell(m[k]) for k, _ in FILE_COLUMNS) + " |")
    return "\n".join(lines)
