"""bench_real's page subsets: the cut PDF holds the labelled pages and the truth follows them."""

from __future__ import annotations

import importlib.util

import pymupdf

from tests.conftest import ROOT


def _bench():
    spec = importlib.util.spec_from_file_location("bench_real", ROOT / "benchmarks" / "bench_real.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pdf(path, pages):
    with pymupdf.open() as doc:
        for n in range(1, pages + 1):
            doc.new_page(width=200, height=200).insert_text((20, 100), f"page {n}")
        doc.save(path)


def test_cut_book_keeps_labelled_pages_and_renumbers_truth(tmp_path):
    bench = _bench()
    _pdf(tmp_path / "src.pdf", 6)
    book = {"file": "src.pdf", "kind": "digital", "page_count": 6, "pages": [5, 2],
            "page_kinds": {"5": "scanned", "3": "scanned"},
            "figures": [{"key": "a", "page": 2, "bbox": [0, 0, 9, 9], "caption_page": 3},
                        {"key": "b", "page": 5, "bbox": [0, 0, 9, 9], "caption_page": 5},
                        {"key": "c", "page": 4, "bbox": [0, 0, 9, 9], "caption_page": 4}],
            "not_figures": [{"page": 5, "bbox": [0, 0, 1, 1], "what": "logo"}],
            "neutral": [{"page": 1, "bbox": [0, 0, 1, 1], "why": "map"}]}
    pages = bench.page_subset(book, max_pages=0)
    assert pages == [2, 5]
    cut = bench.cut_book(book, pages, tmp_path / "src.pdf", tmp_path / "cut.pdf")
    with pymupdf.open(tmp_path / "cut.pdf") as doc:
        assert [p.get_text().strip() for p in doc] == ["page 2", "page 5"]
    assert [(f["key"], f["page"], f["caption_page"]) for f in cut["figures"]] == [("a", 1, None), ("b", 2, 2)]
    assert cut["page_kinds"] == {"2": "scanned"} and cut["page_count"] == 2 and cut["pages"] is None
    assert cut["not_figures"] == [{"page": 2, "bbox": [0, 0, 1, 1], "what": "logo"}] and cut["neutral"] == []


def test_page_subset_caps_long_books_only():
    bench = _bench()
    assert bench.page_subset({"page_count": 3}, max_pages=5) is None
    assert bench.page_subset({"page_count": 30}, max_pages=5) == [1, 2, 3, 4, 5]
    assert bench.page_subset({"page_count": 30}, max_pages=0) is None


def test_rendered_and_outlined_books_are_scored_and_run_on_their_own(tmp_path):
    bench = _bench()
    for name in ("scan.pdf", "rendered.pdf", "outlined.pdf"):
        _pdf(tmp_path / name, 1)
    truth = {"version": 2, "books": [
        {"file": "scan.pdf", "kind": "scanned", "figures": []},
        {"file": "rendered.pdf", "kind": "scanned", "rendered": True, "figures": []},
        {"file": "outlined.pdf", "kind": "outline", "outlined": True, "figures": []}]}
    out, paths, pages = bench.prepare(truth, tmp_path, tmp_path / "work", set(), 0)
    assert [b["kind"] for b in out["books"]] == ["scanned", bench.RENDERED_KIND, bench.OUTLINED_KIND]
    assert [p.name for p in paths] == ["scan.pdf", "rendered.pdf", "outlined.pdf"] and pages == 3
    runs = {name: [p.name for p in run] for name, run in bench.culti_runs(out, paths).items()}
    assert runs == {"culti": ["scan.pdf"], "culti-rendered": ["rendered.pdf"],
                    "culti-outlined": ["outlined.pdf"]}
