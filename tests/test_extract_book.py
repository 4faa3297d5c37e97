"""The book runner: page order, cache resume, failing pages, the process pool, the config."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest

import extract.digital
import extract.page
from culti.records import PageStatus, RejectReason
from extract import ExtractConfig, extract_book, open_book
from extract.book import cache_path
from tests.extract_fixtures import ornament_book_pdf

CONFIG = ExtractConfig(workers=1, progress=False)


@pytest.fixture
def book(tmp_path):
    return open_book(ornament_book_pdf(tmp_path / "book.pdf", pages=5))


@pytest.fixture
def counted(monkeypatch):
    calls: list[int] = []
    real = extract.page.extract_page

    def counting(doc, ctx, config, plumber=None):
        calls.append(ctx.page)
        return real(doc, ctx, config, plumber)

    monkeypatch.setattr(extract.page, "extract_page", counting)
    return calls


def test_cache_resumes_and_recomputes_on_changed_parameter(book, tmp_path, counted):
    cache = tmp_path / "cache"
    run = extract_book(book, CONFIG, cache)
    first = [next(run) for _ in range(2)]  # interrupted after two pages were handed over
    run.close()
    done = sorted(set(counted))
    assert done[:2] == [1, 2] and cache_path(cache, book, CONFIG, 1).exists()
    counted.clear()
    second = list(extract_book(book, CONFIG, cache))
    assert [p.page for p in second] == [1, 2, 3, 4, 5] and second[:2] == first
    assert not set(counted) & set(done)  # finished pages were read back, not recomputed
    counted.clear()
    assert list(extract_book(book, CONFIG, cache)) == second and counted == []
    assert list(extract_book(book, ExtractConfig(workers=1, progress=False, in_flight=7),
                             cache)) == second and counted == []  # not a result parameter
    changed = ExtractConfig(workers=1, progress=False, min_figure_side_pt=40.0)
    assert changed.fingerprint() != CONFIG.fingerprint()
    list(extract_book(book, changed, cache))
    assert counted == [1, 2, 3, 4, 5]


def test_failing_page_does_not_stop_the_book(book, monkeypatch, tmp_path):
    real = extract.digital.digital_figures

    def broken_on_page_3(page, doc, ctx, config, paths=None, textdict=None):
        if ctx.page == 3:
            raise ValueError("bad image stream")
        return real(page, doc, ctx, config, paths, textdict)

    monkeypatch.setattr(extract.page, "digital_figures", broken_on_page_3)
    pages = list(extract_book(book, CONFIG, tmp_path / "cache"))
    assert [p.status for p in pages] == [PageStatus.OK] * 2 + [PageStatus.FAILED] + \
        [PageStatus.OK] * 2
    failed = pages[2]
    assert "bad image stream" in failed.error and failed.width_pt == 595
    assert [r.reason for r in failed.rejects] == [RejectReason.PAGE_FAILED]
    assert "page 3" in failed.rejects[0].detail
    assert not cache_path(tmp_path / "cache", book, CONFIG, 3).exists()  # retried next run


def test_pool_gives_same_pages_as_in_process(book):
    one = list(extract_book(book, CONFIG))
    two = list(extract_book(book, ExtractConfig(workers=2, progress=False, in_flight=2)))
    assert [replace(p, seconds=0.0) for p in one] == [replace(p, seconds=0.0) for p in two]
    assert [p.page for p in two] == [1, 2, 3, 4, 5]


def test_progress_bar_shows_pages_per_second(book, capsys):
    list(extract_book(book, ExtractConfig(workers=1, progress=True)))
    assert "page/s" in capsys.readouterr().err
    list(extract_book(book, CONFIG))
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("kwargs", [
    {"workers": 0}, {"ocr_engine": "tesseract"}, {"layout_engine": "yolo"},
    {"band_frac": 1.5}, {"jpeg_quality": 0}, {"deskew_min_deg": 5, "deskew_max_deg": 1},
])
def test_config_rejects_bad_values(kwargs):
    with pytest.raises(ValueError, match="ExtractConfig"):
        ExtractConfig(**kwargs)


def test_paddleocr_missing_gives_clear_error(monkeypatch):
    from extract.engines import get_ocr

    monkeypatch.setitem(sys.modules, "paddleocr", None)  # as if not installed
    with pytest.raises(RuntimeError, match="paddleocr is not installed"):
        get_ocr("paddleocr")


def test_worker_crash_fails_only_that_page(book, monkeypatch):
    import os

    real = extract.page.extract_page

    def crash_on_page_2(doc, ctx, config, plumber=None):
        if ctx.page == 2:
            os._exit(3)  # a hard crash inside MuPDF looks like this to the pool
        return real(doc, ctx, config, plumber)

    monkeypatch.setattr(extract.page, "extract_page", crash_on_page_2)
    pages = list(extract_book(book, ExtractConfig(workers=2, progress=False, in_flight=1)))
    assert [p.page for p in pages] == [1, 2, 3, 4, 5]
    assert [p.status for p in pages] == [PageStatus.OK, PageStatus.FAILED] + [PageStatus.OK] * 3
    assert "BrokenProcessPool" in pages[1].error
