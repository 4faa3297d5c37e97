"""The output contract of `culti dataset`: files, columns, types, splits, images, determinism."""

from __future__ import annotations

import hashlib
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
from PIL import Image

from culti.scoring import normalize
from tests.conftest import ROOT, run_culti

SPLITS = ("train", "validation", "test")
CONTRACT_COLUMNS = {
    "id": pa.string(),
    "title": pa.string(),
    "caption": pa.string(),
    "label": pa.string(),
    "text": pa.string(),
    "source": pa.string(),
    "source_sha256": pa.string(),
    "domain": pa.string(),
    "split": pa.string(),
    "group_id": pa.string(),
    "text_origin": pa.string(),
    "text_kind": pa.string(),
}


def _rows(out):
    return {split: pq.read_table(out / f"{split}.parquet") for split in SPLITS}


def test_contract_files_exist(sample_run):
    for name in ("train.parquet", "validation.parquet", "test.parquet", "rejects.parquet", "manifest.json", "README.md"):
        assert (sample_run / name).is_file(), name


def test_contract_columns_and_types(sample_run):
    for split, table in _rows(sample_run).items():
        schema = table.schema
        for name, typ in CONTRACT_COLUMNS.items():
            assert schema.field(name).type in (typ, pa.large_string()), (split, name, schema.field(name).type)
        image = schema.field("image").type
        assert pa.types.is_struct(image) and {image.field(i).name for i in range(image.num_fields)} == {"bytes", "path"}
        assert pa.types.is_integer(schema.field("page").type)
        assert pa.types.is_integer(schema.field("width").type) and pa.types.is_integer(schema.field("height").type)
        assert pa.types.is_floating(schema.field("confidence").type)
        assert pa.types.is_list(schema.field("bbox").type) or pa.types.is_fixed_size_list(schema.field("bbox").type)
        assert set(table.column("split").to_pylist()) <= {split}


def test_splits_non_empty_and_rows_valid(sample_run):
    tables = _rows(sample_run)
    for split, table in tables.items():
        assert table.num_rows > 0, split
        for row in table.to_pylist():
            assert row["page"] >= 1
            x0, y0, x1, y1 = row["bbox"]
            assert 0 <= x0 < x1 and 0 <= y0 < y1
            assert 0.0 <= row["confidence"] <= 1.0
            assert row["domain"] in ("silk", "mural")
            assert row["text_origin"] in ("pdf", "ocr")
            assert row["text_kind"] in ("description", "caption")
            if row["text_kind"] == "caption":
                assert row["text"] == row["title"], row["id"]
            if row["label"]:
                assert normalize(row["caption"]).startswith(normalize(row["label"])[:2]), row["id"]
            else:  # a caption with no label (issue 11): the title is the caption's text
                assert row["title"] and normalize(row["title"]) == normalize(row["caption"]), row["id"]
            assert row["text"], row["id"]
    ids = [i for t in tables.values() for i in t.column("id").to_pylist()]
    assert len(ids) == len(set(ids))
    domains = {d for t in tables.values() for d in t.column("domain").to_pylist()}
    assert domains == {"silk", "mural"}  # auto domain told the two books apart


def test_images_decode_and_match_size(sample_run):
    for table in _rows(sample_run).values():
        for row in table.to_pylist()[:20]:
            image = Image.open(io.BytesIO(row["image"]["bytes"]))
            image.load()
            assert image.size == (row["width"], row["height"])


def test_manifest_records_inputs_pages_parameters(sample_run, sample_books):
    manifest = json.loads((sample_run / "manifest.json").read_text())
    pdfs = sorted(p.name for p in sample_books.glob("*.pdf"))
    assert sorted(i["source"] for i in manifest["inputs"]) == pdfs
    for item in manifest["inputs"]:
        data = (sample_books / item["source"]).read_bytes()
        assert item["sha256"] == hashlib.sha256(data).hexdigest()
        assert item["status"] == "ok"
        assert [p["page"] for p in item["pages"]] == list(range(1, item["page_count"] + 1))
        assert all(p["status"] in ("ok", "no_figures") for p in item["pages"])
    assert manifest["parameters"]["seed"] == 0
    assert "pymupdf" in manifest["versions"]


def test_every_figure_ends_in_dataset_or_rejects(sample_run, sample_books):
    truth = json.loads((sample_books / "truth.json").read_text())
    found = sum(pq.read_table(sample_run / f"{s}.parquet").num_rows for s in SPLITS)
    rejects = pq.read_table(sample_run / "rejects.parquet").to_pylist()
    figure_rejects = [r for r in rejects if r["stage"] in ("align", "dataset")]
    for r in rejects:
        assert r["reason"], r
    n_truth = sum(len(b["figures"]) for b in truth["books"])
    assert found + len(figure_rejects) >= n_truth


def test_determinism_two_runs_same_rows(sample_run, sample_books, tmp_path):
    out2 = tmp_path / "out2"
    run_culti("dataset", str(sample_books), "--out", str(out2), "--no-progress", "--no-cache", "--workers", "1")
    for split in SPLITS:
        a = pq.read_table(sample_run / f"{split}.parquet").to_pylist()
        b = pq.read_table(out2 / f"{split}.parquet").to_pylist()
        assert [r["id"] for r in a] == [r["id"] for r in b]
        assert a == b, split


def test_cli_help_lists_every_command():
    out = run_culti("--help").stdout
    for command in ("sample", "dataset", "extract", "align", "build", "evaluate", "finetune", "benchmark", "review"):
        assert command in out


def test_stage_commands_chain_like_dataset(sample_books, sample_run, tmp_path):
    """`culti extract` + `culti align` + `culti build` give what `culti dataset` gives."""
    out = tmp_path / "staged"
    args = [str(p) for p in sorted(sample_books.glob("*.pdf"))]
    run_culti("extract", *args, "--out", str(out), "--no-progress")
    run_culti("align", "--out", str(out))
    run_culti("build", "--out", str(out))
    for split in SPLITS:
        a = pq.read_table(sample_run / f"{split}.parquet").column("id").to_pylist()
        b = pq.read_table(out / f"{split}.parquet").column("id").to_pylist()
        assert a == b


def test_every_command_is_documented_in_readme():
    from culti.cli import build_parser

    readme = (ROOT / "README.md").read_text()
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in sub.choices:
        assert f"culti {name}" in readme or f"`{name}`" in readme, f"`culti {name}` is not in the README"
