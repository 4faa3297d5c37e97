"""The pipeline layer without Ray: the contract, the work store, the local executor, books in parallel."""

from __future__ import annotations

import ast
import json
import os
import time
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import extract.page
from culti import contract, pipeline
from culti.contract import FileStatus, InputEntry, PageEntry, PageStatus, RejectReason, SchemaError
from culti.executors import Crashed, LocalExecutor
from culti.records import BookAlignment, PageExtract
from culti.run import RunConfig, extract_inputs
from culti.store import Store, get_page, page_key, put_page
from extract import ExtractConfig, extract_book, open_book
from tests.extract_fixtures import ornament_book_pdf

CONFIG = ExtractConfig(workers=1, progress=False)


def test_contract_imports_nothing_else_of_culti():
    tree = ast.parse(Path(contract.__file__).read_text())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert names and not [n for n in names if n.split(".")[0] in
                          {"culti", "extract", "align", "dataset", "review", "laclip_eval"}]


def test_manifest_entries_are_typed_and_round_trip():
    entry = InputEntry(path="in/a.pdf", source="a.pdf", status=FileStatus.FAILED,
                       reason=RejectReason.ENCRYPTED, detail="in/a.pdf: encrypted PDF; remove the password")
    data = json.loads(json.dumps(entry.to_json()))
    assert data["reason"] == "encrypted" and data["detail"].startswith("in/a.pdf")
    assert InputEntry.from_json(data) == entry
    ok = InputEntry(path="b.pdf", source="b.pdf", sha256="ab" * 32, page_count=2,
                    pages=(PageEntry(1, PageStatus.OK, "digital, 1 figures"),
                           PageEntry(2, PageStatus.FAILED, "ValueError: x")))
    assert InputEntry.from_json(ok.to_json()).pages[1].status is PageStatus.FAILED


def test_manifest_of_another_schema_version_is_refused(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"schema_version": "0", "inputs": []}))
    with pytest.raises(SchemaError, match="schema version '0'"):
        contract.read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"schema_version": contract.SCHEMA_VERSION,
                                                        "inputs": [{"path": "x.pdf", "source": "x.pdf",
                                                                    "status": "partial"}]}))
    assert contract.read_manifest(tmp_path).inputs[0].status is FileStatus.PARTIAL


@pytest.fixture
def book(tmp_path):
    return open_book(ornament_book_pdf(tmp_path / "book.pdf", pages=3))


@pytest.mark.parametrize("root", ["folder", "memory://culti-test-store"])
def test_store_round_trips_pages_and_alignments(book, tmp_path, root):
    import align

    store = Store(tmp_path / "store" if root == "folder" else root)
    pages = list(extract_book(book, CONFIG))
    pipeline.write_pages(store, book.sha256, pages)
    assert pipeline.read_pages(store, book.sha256) == pages
    alignment = align.align_book(pages, align.AlignConfig())
    store.put_records("books/x/alignment.parquet", BookAlignment, [alignment])
    assert store.get_records("books/x/alignment.parquet", BookAlignment) == [alignment]
    if root == "folder":  # a plain Parquet file any tool reads, with the schema version in it
        table = pq.read_table(tmp_path / "store" / "books" / book.sha256[:16] / "pages.parquet")
        assert table.num_rows == 3 and table.schema.metadata[contract.SCHEMA_KEY] == contract.WORK_SCHEMA_VERSION.encode()
        assert table.column("page").to_pylist() == [1, 2, 3]


def test_cached_page_of_another_schema_version_is_recomputed(book, tmp_path):
    import pyarrow as pa

    from culti.store import records_to_table

    store = Store(tmp_path / "cache")
    page = next(extract_book(book, CONFIG))
    put_page(store, "fp", page)
    assert get_page(store, book.sha256, "fp", 1) == page
    table = records_to_table(PageExtract, [page])
    old = table.replace_schema_metadata({**table.schema.metadata, contract.SCHEMA_KEY: b"0"})
    sink = pa.BufferOutputStream()
    pq.write_table(old, sink)
    store.put_bytes(page_key(book.sha256, "fp", 1), sink.getvalue().to_pybytes())
    assert get_page(store, book.sha256, "fp", 1) is None
    with pytest.raises(SchemaError):
        store.get_records(page_key(book.sha256, "fp", 1), PageExtract)


def _square(x: int) -> int:
    if x == 3:
        os._exit(5)
    return x * x


def test_local_executor_keeps_order_and_survives_a_dead_worker():
    out = list(LocalExecutor(2).map(_square, range(6), in_flight=2))
    assert [o for o in out if not isinstance(o, Crashed)] == [0, 1, 4, 16, 25]
    assert isinstance(out[3], Crashed) and out[3].item == 3
    assert list(LocalExecutor(1).map(abs, [-1, 2, -3])) == [1, 2, 3]


def test_books_run_in_parallel(tmp_path, monkeypatch):
    """One-page books: with one book at a time only one worker would ever be busy."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        path = ornament_book_pdf(folder / f"b{i}.pdf", pages=1 + i % 2)
        path.write_bytes(path.read_bytes() + f"% book {i}\n".encode())  # four different files
    log = tmp_path / "log"
    log.mkdir()
    real = extract.page.extract_page

    def timed(doc, ctx, config, plumber=None):
        start = time.time()
        time.sleep(0.4)
        result = real(doc, ctx, config, plumber)
        (log / f"{ctx.sha256[:8]}-{ctx.page}").write_text(f"{start} {time.time()} {os.getpid()}")
        return result

    monkeypatch.setattr(extract.page, "extract_page", timed)
    store = Store(tmp_path / "work")
    config = RunConfig(extract=ExtractConfig(workers=2, progress=False), use_cache=False)
    reports = extract_inputs(pipeline.collect_inputs([folder]), store, config)
    assert [r.status for r in reports] == [FileStatus.OK] * 4
    spans = [(f.name.split("-")[0], *map(float, f.read_text().split()[:2])) for f in log.iterdir()]
    assert len(spans) == 6
    overlapping = {(a[0], b[0]) for a in spans for b in spans
                   if a[0] != b[0] and a[1] < b[2] and b[1] < a[2]}
    assert overlapping, "pages of different books never ran at the same time"
    assert {r.source: r.page_count for r in pipeline.read_run(store)} == \
        {"b0.pdf": 1, "b1.pdf": 2, "b2.pdf": 1, "b3.pdf": 2}


def test_bad_input_on_the_pool_is_a_typed_failed_entry(book, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    Path(book.path).rename(folder / "good.pdf")
    (folder / "bad.pdf").write_bytes(b"%PDF-1.7\nnot really")
    config = RunConfig(extract=ExtractConfig(workers=2, progress=False), use_cache=False)
    reports = extract_inputs(pipeline.collect_inputs([folder]), Store(tmp_path / "work"), config)
    by = {r.source: r for r in reports}
    assert by["bad.pdf"].status is FileStatus.FAILED and by["bad.pdf"].reason is RejectReason.CORRUPT
    assert by["good.pdf"].status is FileStatus.OK and not by["good.pdf"].reason
    rejects = pipeline.input_rejects(reports)
    assert [(r.source, r.reason) for r in rejects] == [("bad.pdf", RejectReason.CORRUPT)]


def test_run_config_checks_the_executor():
    with pytest.raises(ValueError, match="executor"):
        RunConfig(executor="slurm")
    with pytest.raises(ValueError, match="ray_address"):
        RunConfig(ray_address="auto")
    assert replace(RunConfig(), executor="ray").executor == "ray"


def test_ray_flags_errors_are_one_line(tmp_path, book):
    from tests.conftest import run_culti

    proc = run_culti("dataset", book.path, "--out", str(tmp_path / "out"), "--ray-address", "auto",
                     check=False)
    assert proc.returncode == 2 and proc.stderr.strip() == "culti: error: --ray-address needs --executor ray"
    proc = run_culti("dataset", book.path, "--out", str(tmp_path / "out"), "--executor", "ray",
                     "--ray-address", "127.0.0.1:1", "--no-progress", check=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert "--ray-address 127.0.0.1:1: nothing answers there" in proc.stderr
