"""The readers around the scoring core: a dataset folder (and `culti evaluate`), an alignment,
extract's pages; each scored against hand-computed numbers."""

from __future__ import annotations

import dataclasses
import json

import pyarrow as pa
import pyarrow.parquet as pq

from align import AlignConfig, align_book
from culti.evaluate import alignment_rows, dataset_rows, page_rows
from culti.records import (
    BlockKind,
    Figure,
    FigureOrigin,
    PageExtract,
    PageKind,
    PageStatus,
    TextBlock,
    TextOrigin,
)
from culti.scoring import captions_read, score_books, truth_books
from tests.align_fixtures.build import blk, fig, page_of
from tests.conftest import run_culti
from tests.test_scoring import A_DESC, C_DESC, FOUND

TRUTH_V2 = {"version": 2, "books": [
    {"file": "b.pdf", "book_id": "b", "kind": "digital", "page_kinds": {"2": "scanned"}, "domain": "silk",
     "page_count": 2, "figures": [
         {"key": "A", "page": 1, "bbox": [0, 0, 10, 10], "label": "图1", "title": "鸟纹",
          "caption": "图1  鸟纹", "description": A_DESC, "caption_page": 1},
         {"key": "B", "page": 1, "bbox": [20, 0, 30, 10], "label": "图2", "title": "花纹",
          "caption": "图2  花纹", "description": "", "caption_page": 1},
         {"key": "C", "page": 2, "bbox": [0, 0, 10, 10], "label": "图3", "title": "云纹",
          "caption": "图3  云纹", "description": C_DESC, "caption_page": 2}],
     "not_figures": [{"page": 1, "bbox": [50, 50, 55, 55], "what": "logo"}],
     "neutral": [{"page": 2, "bbox": [40, 40, 50, 50], "why": "photo of the cave"}]},
    {"file": "c.pdf", "book_id": "c", "kind": "outline", "domain": "other", "page_count": 1, "figures": [
        {"key": "D", "page": 1, "bbox": [0, 0, 100, 100], "label": "", "title": "门楼", "caption": "门楼",
         "description": "", "caption_page": 1}]},
    {"file": "not-run.pdf", "book_id": "n", "kind": "digital", "figures": []},
]}


def _write_dataset(folder):
    """A dataset folder by hand: test_scoring's found rows as rows and rejects of b.pdf; c.pdf ran
    and found nothing; an orphan caption reject (not a figure) on b.pdf's page 1."""
    folder.mkdir()
    rows = [f for f in FOUND if not f.rejected]
    pq.write_table(pa.table({
        "id": [f"r{i}" for i in range(len(rows))], "source": ["b.pdf"] * len(rows),
        "page": [f.page for f in rows], "bbox": [list(f.bbox) for f in rows],
        "caption": [f.caption for f in rows], "label": [f.label for f in rows], "text": [f.text for f in rows],
    }), folder / "test.parquet")
    rejects = [f for f in FOUND if f.rejected]
    pq.write_table(pa.table({
        "id": ["x0", "x1"], "stage": ["align", "align"], "reason": ["no_caption", "orphan_caption"],
        "source": ["b.pdf", "b.pdf"], "page": [rejects[0].page, 1],
        "bbox": [list(rejects[0].bbox), [20, 12, 30, 16]], "caption": ["", "图2 花纹"], "text": ["", ""],
    }), folder / "rejects.parquet")
    (folder / "manifest.json").write_text(json.dumps({"inputs": [{"source": "b.pdf"}, {"source": "c.pdf"}]}))


def test_dataset_rows_read_rows_and_figure_rejects_only(tmp_path):
    _write_dataset(tmp_path / "ds")
    found = dataset_rows(tmp_path / "ds")
    assert sorted(found) == ["b.pdf"] and len(found["b.pdf"]) == len(FOUND)
    assert sum(f.rejected for f in found["b.pdf"]) == 1  # the orphan caption is not a figure


def test_evaluate_command_on_a_hand_made_dataset(tmp_path):
    _write_dataset(tmp_path / "ds")
    (tmp_path / "truth.json").write_text(json.dumps(TRUTH_V2, ensure_ascii=False))
    out = tmp_path / "scores.json"
    proc = run_culti("evaluate", str(tmp_path / "ds"), "--truth", str(tmp_path / "truth.json"),
                     "--json", str(out), "--per-file", "--misses")
    scores = json.loads(out.read_text())
    assert set(scores["by_file"]) == {"b.pdf", "c.pdf"}  # not-run.pdf is not in the dataset
    assert set(scores["by_kind"]) == {"digital", "scanned", "outline"}
    assert scores["by_kind"]["outline"]["figure_recall"] == 0.0
    b = scores["by_file"]["b.pdf"]
    assert (b["figures_truth"], b["figures_found"], b["figure_precision"], b["mean_iou"]) == (3, 5, 0.6, 0.77)
    assert (b["rows_must_not"], b["rows_bleeding"], b["found_neutral"]) == (1, 1, 1)
    overall = scores["overall"]
    assert (overall["figures_truth"], overall["figure_recall"], overall["figure_precision"]) == (4, 0.75, 0.6)
    assert "| c.pdf | outline | 1 | 0 | 0.0 | n/a |" in proc.stdout
    assert "| description_precision |" in proc.stdout
    # --misses lists c.pdf's figure under its file and the reject matching C as a caption miss
    listing = proc.stdout.split("| c.pdf |")[1]
    assert "c.pdf:\n  p1 missed" in listing and "caption" in listing.split("c.pdf:")[0]
    assert "dropped" in listing.split("c.pdf:")[0]  # the reject matching C, with its reason


def test_evaluate_command_rejects_a_bad_truth_file(tmp_path):
    _write_dataset(tmp_path / "ds")
    (tmp_path / "truth.json").write_text(json.dumps({"version": 7, "books": []}))
    proc = run_culti("evaluate", str(tmp_path / "ds"), "--truth", str(tmp_path / "truth.json"), check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("culti: error:") and "truth.json" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_evaluate_command_on_sample_run(sample_run, sample_books, tmp_path):
    scores_path = tmp_path / "scores.json"
    proc = run_culti("evaluate", str(sample_run), "--truth", str(sample_books / "truth.json"),
                     "--json", str(scores_path))
    assert "figure_recall" in proc.stdout
    scores = json.loads(scores_path.read_text())
    assert set(scores["by_kind"]) == {"digital", "scanned"}
    digital = scores["by_kind"]["digital"]
    assert digital["figure_recall"] >= 0.95 and digital["figure_precision"] >= 0.95
    assert digital["pairing_accuracy"] >= 0.9
    assert digital["pair_recall"] >= 0.95 and digital["pair_precision"] >= 0.95
    assert digital["description_coverage"] >= 0.9 and digital["description_precision"] >= 0.9
    assert digital["rows_must_not"] == 0
    assert scores["by_kind"]["scanned"]["figure_recall"] >= 0.85


# --- an alignment (was align.evaluate.score_alignment) ----------------------------------------

def _aligned_book():
    pages = [page_of(1, [fig(1, 0, (100, 40, 495, 250)), fig(1, 1, (100, 400, 495, 610))], [
        blk(1, "图4-1 对羊纹", (230, 256, 365, 270), size=9),
        blk(1, "对羊纹锦，羊角卷曲，羊身饰联珠纹样一周。", (60, 280, 535, 300)),
        blk(1, "图4-2 对马纹", (230, 616, 365, 630), size=9),
        blk(1, "对马纹锦，马生双翼，昂首而立于莲台之上。", (60, 640, 535, 660)),
    ])]
    truth = {"version": 1, "books": [{"file": "silk-test.pdf", "kind": "digital", "figures": [
        {"key": "k1", "page": 1, "bbox": [101, 41, 494, 251], "label": "图4-1", "caption_page": 1,
         "caption": "图4-1  对羊纹", "description": "对羊纹锦，羊角卷曲，羊身饰联珠纹样一周。"},
        {"key": "k2", "page": 1, "bbox": [100, 400, 495, 610], "label": "图4-2", "caption_page": 1,
         "caption": "图4-2  对马纹", "description": "对马纹锦，马生双翼，昂首而立于莲台之上。"},
    ]}]}
    return truth_books(truth), align_book(pages, AlignConfig())


def test_alignment_scores_a_perfect_book():
    books, alignment = _aligned_book()
    s = score_books(books, {"silk-test.pdf": alignment_rows(alignment)})["overall"]
    assert (s["pairing_accuracy"], s["caption_exact"], s["description_coverage"]) == (1.0, 1.0, 1.0)
    assert (s["description_precision"], s["rows_bleeding"]) == (1.0, 0)


def test_alignment_scores_wrong_pairs_missing_text_and_bleed():
    books, alignment = _aligned_book()
    a, b = alignment.pairs
    swapped = dataclasses.replace(alignment, pairs=(
        dataclasses.replace(a, label=b.label, caption=b.caption, text=a.text + b.text),  # wrong, bleeds
        dataclasses.replace(b, text=b.text[:10]),  # half its description
    ))
    s = score_books(books, {"silk-test.pdf": alignment_rows(swapped)})["overall"]
    assert s["pairing_accuracy"] == 0.5 and s["caption_exact"] == 0.5 and s["rows_bleeding"] == 1
    # 20 chars each: row a holds its own 20 of 40, row b 10 of its 20
    assert s["description_coverage"] == round((1.0 + 10 / 20) / 2, 4)
    assert s["description_precision"] == round((20 / 40 + 1.0) / 2, 4)
    assert s["rows_mostly_other_text"] == 0  # exactly half is not "mostly"


# --- extract's raw pages (was extract.evaluate.score_pages) --------------------------------------

def _page(n, boxes, texts):
    figs = tuple(Figure("b.pdf", "ab" * 32, n, i, b, b"x", "png", 1, 1, FigureOrigin.RENDERED)
                 for i, b in enumerate(boxes))
    blocks = tuple(TextBlock(n, i, t, (0, 0, 1, 1), BlockKind.TEXT, TextOrigin.OCR) for i, t in enumerate(texts))
    return PageExtract("b.pdf", "ab" * 32, n, 100, 100, PageKind.SCANNED, PageStatus.OK, figs, blocks)


def test_extract_pages_scored_as_found_rows():
    (book,) = truth_books({"version": 1, "books": [{"file": "b.pdf", "kind": "scanned", "figures": [
        {"page": 1, "bbox": [0, 0, 10, 10], "caption": "图3-14  团窠对鸟纹", "caption_page": 1},
        {"page": 1, "bbox": [20, 20, 30, 30], "caption": "图3-15 鸟纹", "caption_page": 2},
        {"page": 2, "bbox": [0, 0, 10, 10], "caption": "图3-16 花", "caption_page": 2},
    ]}]})
    pages = [_page(1, [(0, 0, 10, 9), (50, 50, 60, 60)], ["图3 - 1 4 团窠对鸟纹"]),
             _page(2, [], ["图3-15 鸟 纹 and more", "图3-1"])]
    s = score_books([book], {"b.pdf": page_rows(pages)})["overall"]
    assert (s["figures_truth"], s["figures_found"]) == (3, 2)
    assert (s["figure_recall"], s["figure_precision"], s["mean_iou"]) == (0.3333, 0.5, 0.9)
    assert s["figure_recall_iou80"] == 0.3333
    assert captions_read(book, {p.page: [b.text for b in p.blocks] for p in pages}) == (3, 2)
