"""The review page in headless Chromium from file://: counts, filters, inline corrections, export."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import pyarrow.parquet as pq
import pymupdf
import pytest
from playwright.sync_api import sync_playwright

import review
from tests.review.fixture import build_books_fixture, build_synthetic, records_from_dataset

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SPLITS = ("train", "validation", "test")


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, Path]:
    data_dir = build_books_fixture(tmp_path_factory.mktemp("books"))
    return data_dir, review.write_report(data_dir)


@pytest.fixture(scope="module")
def cjk_style() -> str:
    """This machine has no CJK system font; give the page MuPDF's, so the screenshot shows real glyphs."""
    font = base64.b64encode(pymupdf.Font("china-s").buffer).decode()
    return (f"@font-face {{font-family: 'CJK Test'; src: url(data:font/ttf;base64,{font});}}"
            ":root {font-family: 'CJK Test', system-ui, sans-serif;}")


def rows(data_dir: Path) -> tuple[list[dict], list[dict]]:
    pairs = [r for s in SPLITS for r in pq.read_table(
        data_dir / f"{s}.parquet", columns=["id", "split", "source", "source_sha256", "confidence"]).to_pylist()]
    rejects = pq.read_table(data_dir / "rejects.parquet", columns=["id", "reason", "source"]).to_pylist()
    return pairs, rejects


def open_page(browser, index: Path, style: str | None = None):
    context = browser.new_context(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(index.as_uri())
    if style:
        page.add_style_tag(content=style)
    wait_rendered(page)
    return context, page, errors


def wait_rendered(page) -> None:
    page.wait_for_selector("body[data-rendered=done]", state="attached", timeout=30_000)


def shown(page) -> tuple[int, int]:
    """The count the header shows, and the cards actually in the page."""
    return int(page.inner_text("#n-shown")), page.locator("article.card").count()


def set_filter(page, selector: str, value: str) -> None:
    page.select_option(selector, value)
    wait_rendered(page)


def test_counts_and_filters_follow_the_parquet(browser, site):
    data_dir, index = site
    pairs, rejects = rows(data_dir)
    context, page, errors = open_page(browser, index)
    total = len(pairs) + len(rejects)
    assert shown(page) == (total, total) and int(page.inner_text("#n-total")) == total
    for split in SPLITS:
        count = page.locator(f"[data-count='split:{split}'] b").inner_text()
        assert int(count) == sum(p["split"] == split for p in pairs)
    for reason in {r["reason"] for r in rejects}:
        assert int(page.locator(f"[data-count='reason:{reason}'] b").inner_text()) == \
            sum(r["reason"] == reason for r in rejects)
    assert int(page.inner_text("#n-books")) == len({p["source"] for p in pairs} | {r["source"] for r in rejects})

    silk = next(p["source_sha256"][:16] for p in pairs if p["source"] == "silk-test.pdf")
    set_filter(page, "#f-book", silk)
    n = sum(p["source"] == "silk-test.pdf" for p in pairs) + sum(r["source"] == "silk-test.pdf" for r in rejects)
    assert shown(page) == (n, n) and int(page.inner_text("#n-books")) == 1
    set_filter(page, "#f-book", "")

    set_filter(page, "#f-split", "train")
    n = sum(p["split"] == "train" for p in pairs)
    assert shown(page) == (n, n)
    assert int(page.locator("[data-count='split:test'] b").inner_text()) == 0
    set_filter(page, "#f-split", "")

    threshold = sorted(p["confidence"] for p in pairs)[2]  # on a pair's own score: "at or below" counts it
    page.fill("#f-conf", str(threshold))
    wait_rendered(page)
    n = sum(p["confidence"] <= threshold for p in pairs) + len(rejects)  # rejects have no confidence
    assert shown(page) == (n, n) and n < total
    assert float(page.input_value("#f-conf-range")) == threshold
    page.fill("#f-conf", "1")
    wait_rendered(page)

    set_filter(page, "#f-reason", "no_caption")
    n = sum(r["reason"] == "no_caption" for r in rejects)
    assert shown(page) == (n, n) and n == 2
    set_filter(page, "#f-reason", "")
    set_filter(page, "#f-kind", "reject")
    assert shown(page) == (len(rejects), len(rejects))
    assert errors == []
    context.close()


def test_edit_drop_restore_export_round_trip(browser, site, cjk_style, tmp_path):
    data_dir, index = site
    pairs, rejects = records_from_dataset(data_dir)
    edited, dropped = pairs[0], pairs[2]
    restorable = next(r for r in rejects if r.reason.value == "no_caption" and r.image)
    context, page, errors = open_page(browser, index, cjk_style)

    page.locator(f"article[data-id='{edited.id}'] .f-caption .fval").fill("图1-1  团窠对鸟纹锦")
    page.locator(f"article[data-id='{edited.id}'] .f-title .fval").fill("团窠对鸟纹锦")
    page.locator(f"article[data-id='{dropped.id}'] button.drop").click()
    page.locator(f"article[data-id='{dropped.id}'] input.note").fill("not a figure")
    page.locator(f"article[data-id='{restorable.item_id}'] button.restore").click()
    card = page.locator(f"article[data-id='{restorable.item_id}']")
    card.locator(".f-caption .fval").fill("图1-6  卷草纹锦")
    card.locator(".f-label .fval").fill("图1-6")
    assert page.inner_text("#n-corrections") == "3 corrections"
    assert "drop" in page.get_attribute(f"article[data-id='{dropped.id}']", "class")

    page.reload()  # corrections survive in localStorage
    wait_rendered(page)
    page.add_style_tag(content=cjk_style)
    assert page.inner_text(f"article[data-id='{edited.id}'] .f-caption .fval") == "图1-1  团窠对鸟纹锦"
    assert page.get_attribute(f"article[data-id='{dropped.id}']", "data-action") == "drop"
    set_filter(page, "#f-kind", "corrected")
    assert shown(page) == (3, 3)
    set_filter(page, "#f-kind", "")

    with page.expect_download() as info:
        page.click("#export")
    assert info.value.suggested_filename == "corrections.json"
    exported = tmp_path / "corrections.json"
    info.value.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data == {"version": 1, "corrections": sorted([
        {"id": edited.id, "action": "edit", "caption": "图1-1  团窠对鸟纹锦", "title": "团窠对鸟纹锦"},
        {"id": dropped.id, "action": "drop", "note": "not a figure"},
        {"id": restorable.item_id, "action": "restore", "caption": "图1-6  卷草纹锦", "label": "图1-6",
         "text": restorable.text},
    ], key=lambda c: c["id"])}

    known = {p.id for p in pairs} | {r.item_id for r in rejects if r.item_id}
    new_pairs, new_rejects, log = review.apply_corrections(pairs, rejects, review.load_corrections(exported, known))
    by_id = {p.id: p for p in new_pairs}
    assert by_id[edited.id].caption == "图1-1  团窠对鸟纹锦" and dropped.id not in by_id
    assert by_id[restorable.item_id].label == "图1-6" and len(log) == 3
    assert [r.reason.value for r in new_rejects if r.item_id == dropped.id] == ["curator_dropped"]

    link = page.locator(f"article[data-id='{edited.id}'] a.pagelink")
    link.click()
    target = page.locator(link.get_attribute("href"))
    target.locator("img").wait_for(state="visible")
    assert target.locator("img").evaluate("img => img.complete && img.naturalHeight") == 600
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
    assert (tmp_path / "review.png").stat().st_size > 50_000
    assert errors == []
    context.close()


def test_5000_pairs_render_in_chunks(browser, tmp_path):
    data_dir = build_synthetic(tmp_path, n_pairs=5000, n_rejects=300)
    index = review.write_report(data_dir)
    start = time.perf_counter()
    context, page, errors = open_page(browser, index)
    seconds = time.perf_counter() - start
    print(f"5300-card report: first cards shown in {seconds:.1f} s")
    assert int(page.inner_text("#n-shown")) == 5300 and errors == []
    first = page.locator("article.card").count()
    assert 120 <= first < 5300  # one screenful or so, not the whole set
    assert page.locator("article.card img[loading=lazy]").count() == first
    page.locator("#more").scroll_into_view_if_needed()
    page.wait_for_function(f"document.querySelectorAll('article.card').length > {first}")
    page.fill("#f-conf", "0.1")
    wait_rendered(page)
    n = sum(p["confidence"] <= 0.1 for s in SPLITS
            for p in pq.read_table(data_dir / f"{s}.parquet", columns=["confidence"]).to_pylist()) + 300
    assert int(page.inner_text("#n-shown")) == n and n < 5300
    assert seconds < 10, seconds
    context.close()
