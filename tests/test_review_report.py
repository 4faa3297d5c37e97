"""The review report's files: data.js against the Parquet, thumbnails, a missing PDF, a 5,000-pair dataset."""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from PIL import Image

import review
from review.thumbs import HIGH, LOW, MEDIUM, ThumbConfig
from tests.review.fixture import build_books_fixture, build_synthetic

SPLITS = ("train", "validation", "test")
MAX_FILE_BYTES = 20 * 1024 * 1024


def read_data_js(index: Path) -> dict:
    text = (index.parent / "data.js").read_text(encoding="utf-8")
    prefix = "window.CULTI_DATA = "
    assert text.startswith(prefix) and text.rstrip().endswith(";")
    return json.loads(text[len(prefix):].rstrip().rstrip(";"))


def parquet_rows(data_dir: Path) -> tuple[list[dict], list[dict]]:
    cols = ["id", "split", "source", "source_sha256", "page", "bbox", "confidence", "caption"]
    pairs = [r for s in SPLITS for r in pq.read_table(data_dir / f"{s}.parquet", columns=cols).to_pylist()]
    rejects = pq.read_table(data_dir / "rejects.parquet", columns=["id", "reason", "source", "page"]).to_pylist()
    return pairs, rejects


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, Path]:
    data_dir = build_books_fixture(tmp_path_factory.mktemp("books"))
    return data_dir, review.write_report(data_dir)


def test_data_matches_parquet(report):
    data_dir, index = report
    assert index == data_dir / "review" / "index.html" and index.exists()
    data = read_data_js(index)
    pairs, rejects = parquet_rows(data_dir)
    assert Counter(p["split"] for p in data["pairs"]) == Counter(p["split"] for p in pairs)
    assert Counter(r["reason"] for r in data["rejects"]) == Counter(r["reason"] for r in rejects)
    assert sorted(p["id"] for p in data["pairs"]) == sorted(p["id"] for p in pairs)
    by_id = {p["id"]: p for p in pairs}
    for item in data["pairs"]:
        row = by_id[item["id"]]
        assert (item["caption"], item["page"], item["source"]) == (row["caption"], row["page"], row["source"])
        assert item["conf"] == pytest.approx(row["confidence"], abs=1e-3)
    assert data["reasons"] == sorted({r["reason"] for r in rejects})
    assert {b["source"] for b in data["books"]} == {p["source"] for p in pairs} | {r["source"] for r in rejects}
    input_reject = next(r for r in data["rejects"] if r["reason"] == "corrupt")
    assert input_reject["id"] is None and input_reject["key"] and not input_reject["restorable"]
    for page in (index.parent / "assets" / "review.js", index.parent / "assets" / "review.css"):
        assert page.stat().st_size > 1000
    html = index.read_text(encoding="utf-8")
    assert 'src="data.js"' in html and "http" not in html  # no CDN: opens offline from file://


def test_crop_thumbnails(report):
    data_dir, index = report
    data = read_data_js(index)
    with_image = [i for i in data["pairs"] + data["rejects"] if i["thumb"]]
    assert len(with_image) == len(data["pairs"]) + 3  # no_caption, duplicate and ornament rejects carry crops
    for item in with_image:
        with Image.open(index.parent / item["thumb"]) as img:
            assert img.format == "JPEG" and max(img.size) <= 256
            assert img.size == (120, 90)  # never upscaled


def _near(pixel: tuple[int, int, int], colour: tuple[int, int, int], tol: int = 60) -> bool:
    return sum(abs(a - b) for a, b in zip(pixel, colour, strict=True)) < tol


def test_page_thumbnails_draw_boxes_coloured_by_confidence(report):
    data_dir, index = report
    data = read_data_js(index)
    pairs, rejects = parquet_rows(data_dir)
    pages = {(b["key"], p["page"]): p for b in data["books"] for p in b["pages"]}
    expected_pages = {(p["source_sha256"][:16], p["page"]) for p in pairs}
    expected_pages |= {(p["source_sha256"][:16], r["page"]) for r in rejects for p in pairs
                       if r["page"] and r["source"] == p["source"]}
    assert set(pages) == expected_pages
    cfg = ThumbConfig()
    for p in pairs:
        thumb = pages[(p["source_sha256"][:16], p["page"])]
        with Image.open(index.parent / thumb["thumb"]) as img:
            assert img.height == 600 and img.format == "JPEG"
            scale = 600 / 595.0
            x0, y0, x1, y1 = (v * scale for v in p["bbox"])
            edge = img.convert("RGB").getpixel((int(x0 + 15), int(y1)))  # bottom edge, clear of the link line
            colour = HIGH if p["confidence"] >= cfg.high else MEDIUM if p["confidence"] >= cfg.medium else LOW
            assert _near(edge, colour), (p["id"], edge, colour)


def test_missing_pdf_is_reported_and_skipped(tmp_path):
    data_dir = build_books_fixture(tmp_path)
    (tmp_path / "pdfs" / "mural-test.pdf").unlink()
    data = read_data_js(review.write_report(data_dir))
    mural = next(b for b in data["books"] if b["source"] == "mural-test.pdf")
    silk = next(b for b in data["books"] if b["source"] == "silk-test.pdf")
    assert mural["pages"] == [] and "PDF not found" in mural["thumbs"]
    assert len(silk["pages"]) == 3 and silk["thumbs"] == ""
    assert sum(p["book"] == mural["key"] for p in data["pairs"]) == 2  # its cards are still there


def test_changed_pdf_is_not_drawn_over(tmp_path):
    data_dir = build_books_fixture(tmp_path)
    shutil.copyfile(tmp_path / "pdfs" / "silk-test.pdf", tmp_path / "pdfs" / "mural-test.pdf")
    data = read_data_js(review.write_report(data_dir))
    mural = next(b for b in data["books"] if b["source"] == "mural-test.pdf")
    assert mural["pages"] == [] and "changed since the dataset was built" in mural["thumbs"]


def test_rewrite_replaces_stale_thumbnails_and_is_deterministic(tmp_path):
    data_dir = build_books_fixture(tmp_path)
    index = review.write_report(data_dir)
    stale = index.parent / "thumbs" / "crops" / "gone.jpg"
    stale.write_bytes(b"x")
    first = (index.parent / "data.js").read_bytes()
    review.write_report(data_dir)
    assert not stale.exists() and (index.parent / "data.js").read_bytes() == first


def test_no_dataset_says_what_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `culti dataset"):
        review.write_report(tmp_path)


def test_5000_pairs_stay_small_and_fast(tmp_path):
    data_dir = build_synthetic(tmp_path, n_pairs=5000, n_rejects=600)
    start = time.perf_counter()
    index = review.write_report(data_dir)
    seconds = time.perf_counter() - start
    data = read_data_js(index)
    assert len(data["pairs"]) == 5000 and len(data["rejects"]) == 600
    files = [p for p in index.parent.rglob("*") if p.is_file()]
    assert len(files) == 5000 + 600 + 4  # a crop per card, no page thumbnails (no PDFs), 4 page files
    biggest = max(files, key=lambda p: p.stat().st_size)
    assert biggest.stat().st_size < MAX_FILE_BYTES, biggest
    assert all(b["pages"] == [] and "PDF not found" in b["thumbs"] for b in data["books"])
    assert seconds < 60, seconds
