"""The curator's report: DIR/review/index.html, a static page that opens from file:// with no server.

Layout of DIR/review/:
  index.html          the page shell (filters, counts, cards, page thumbnails)
  data.js             window.CULTI_DATA = {...}: one entry per card; a script, since fetch() fails on file://
  assets/review.js    rendering, filters, corrections (localStorage) and the corrections.json export
  assets/review.css
  thumbs/crops/*.jpg  figure crops, at most 256 px
  thumbs/pages/*.jpg  page renders about 600 px tall with the boxes drawn
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
from collections import defaultdict
from pathlib import Path

from culti.files import file_sha256
from review.items import SPLITS, DatasetItems, book_key, read_items
from review.thumbs import (
    ThumbConfig,
    boxes_for_items,
    find_pdf,
    render_pages,
    write_crop,
)

ASSETS = Path(__file__).parent / "assets"
REVIEW = "review"
CROPS = "thumbs/crops"
PAGES = "thumbs/pages"


def write_report(data_dir: Path, config: ThumbConfig | None = None) -> Path:
    """Given a dataset folder, write DIR/review/ (page, data, assets, thumbnails); return index.html's path."""
    config = config or ThumbConfig()
    data_dir = Path(data_dir)
    out = data_dir / REVIEW
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "thumbs", ignore_errors=True)  # ours: stale crops of a rebuilt dataset must go
    (out / CROPS).mkdir(parents=True)
    (out / PAGES).mkdir(parents=True)

    def crop(key: str, data: bytes) -> str | None:
        name = write_crop(out / CROPS, key, data, config)
        return f"{CROPS}/{name}" if name else None

    items = read_items(data_dir, crop)
    books = _books(data_dir, items, out, config)
    data = {
        "version": 1,
        "dataset": data_dir.resolve().name,
        "storage_key": _storage_key(books),
        "splits": list(SPLITS),
        "reasons": sorted({r["reason"] for r in items.rejects}),
        "bands": {"high": config.high, "medium": config.medium},
        "missing_files": list(items.missing_files),
        "books": books,
        "pairs": list(items.pairs),
        "rejects": list(items.rejects),
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    (out / "data.js").write_text(f"window.CULTI_DATA = {payload};\n", encoding="utf-8")
    (out / "assets").mkdir(exist_ok=True)
    for name in ("review.js", "review.css"):
        shutil.copyfile(ASSETS / name, out / "assets" / name)
    index = out / "index.html"
    index.write_text(_index_html(data_dir.resolve().name), encoding="utf-8")
    return index


def _storage_key(books: list[dict]) -> str:
    """The localStorage key: one per set of books, so two datasets' edits never mix."""
    return hashlib.sha1("|".join(sorted(b["key"] for b in books)).encode()).hexdigest()[:16]


def _books(data_dir: Path, items: DatasetItems, out: Path, config: ThumbConfig) -> list[dict]:
    """One entry per input book: its manifest status and its annotated page thumbnails."""
    pairs_by, rejects_by = defaultdict(list), defaultdict(list)
    for p in items.pairs:
        pairs_by[p["book"]].append(p)
    for r in items.rejects:
        rejects_by[r["book"]].append(r)
    books: dict[str, dict] = {}
    for entry in items.manifest.get("inputs", []):
        key = book_key(entry.get("sha256"), entry.get("source"))
        books[key] = {
            "key": key, "source": entry.get("source") or Path(entry.get("path", "?")).name,
            "path": entry.get("path", ""), "status": entry.get("status", ""), "reason": entry.get("reason", ""),
            "page_count": entry.get("page_count", 0),
            "failed_pages": [p for p in entry.get("pages", []) if p.get("status") == "failed"],
        }
    for key in sorted(set(pairs_by) | set(rejects_by)):
        if key not in books:  # a book the manifest does not list: still reviewable, no thumbnails
            src = (pairs_by[key] or rejects_by[key])[0]["source"]
            books[key] = {"key": key, "source": src, "path": "", "status": "", "reason": "",
                          "page_count": 0, "failed_pages": []}
    for key, book in books.items():
        book["pairs"] = len(pairs_by[key])
        book["rejects"] = len(rejects_by[key])
        book["pages"], book["thumbs"] = _book_pages(data_dir, key, book, pairs_by[key], rejects_by[key], out,
                                                    config)
    return sorted(books.values(), key=lambda b: (b["source"], b["key"]))


def _book_pages(data_dir: Path, key: str, book: dict, pairs: list[dict], rejects: list[dict], out: Path,
                config: ThumbConfig) -> tuple[list[dict], str]:
    """Render the pages that carry a box; return them and a line saying why there are none, if so."""
    boxes = boxes_for_items(pairs, rejects, config)
    if book["status"] == "failed" and not boxes:
        return [], f"input failed: {book['reason'] or 'see manifest.json'}"
    if not boxes:
        return [], "no figures on any page"
    if not book["path"]:
        return [], "not in manifest.json: no PDF path, no page thumbnails"
    pdf = find_pdf(book["path"], data_dir)
    if pdf is None:
        return [], f"PDF not found at {book['path']}: page thumbnails skipped"
    if not key.startswith("file:") and not file_sha256(pdf).startswith(key):
        return [], f"{pdf} changed since the dataset was built (sha256 differs): page thumbnails skipped"
    try:
        pages = render_pages(pdf, boxes, out / PAGES, key.replace(":", "_"), config)
    except (RuntimeError, ValueError) as err:  # pymupdf raises these for a damaged file
        return [], f"{pdf} could not be rendered ({err}): page thumbnails skipped"
    for p in pages:
        p["thumb"] = f"{PAGES}/{p['thumb']}"
    return pages, ""


def _index_html(name: str) -> str:
    title = html.escape(f"culti review: {name}")
    return f"""<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="assets/review.css">
</head>
<body>
<header class="top">
  <h1>{title}</h1>
  <div class="counts" id="counts">
    <span class="count-main"><b id="n-shown" data-testid="n-shown">0</b> of <span id="n-total">0</span> shown</span>
    <span id="split-counts"></span>
    <span id="reason-counts"></span>
    <span>books <b id="n-books" data-testid="n-books">0</b></span>
  </div>
  <form class="filters" id="filters" onsubmit="return false">
    <label>book <select id="f-book"><option value="">all</option></select></label>
    <label>show <select id="f-kind"><option value="">pairs and rejects</option>
      <option value="pair">pairs</option><option value="reject">rejects</option>
      <option value="corrected">corrected only</option></select></label>
    <label>split <select id="f-split"><option value="">all</option></select></label>
    <label>confidence &le; <input id="f-conf-range" type="range" min="0" max="1" step="0.01" value="1">
      <input id="f-conf" type="number" min="0" max="1" step="0.01" value="1"></label>
    <label>reject reason <select id="f-reason"><option value="">all</option></select></label>
    <span class="spacer"></span>
    <span id="n-corrections" class="pending">0 corrections</span>
    <button type="button" id="export">Export corrections.json</button>
    <label class="import">Import <input type="file" id="import" accept="application/json,.json"></label>
    <button type="button" id="clear">Clear all</button>
  </form>
</header>
<noscript>This page needs JavaScript (no network: everything is in this folder).</noscript>
<main>
  <section id="books-section"><h2>Books</h2><table id="books"><thead><tr><th>book</th><th>status</th>
    <th>pages</th><th>pairs</th><th>rejects</th><th>page thumbnails</th></tr></thead><tbody></tbody></table>
    <p class="legend"><span class="sw high"></span>figure, confidence high <span class="sw medium"></span>medium
    <span class="sw low"></span>low <span class="sw caption"></span>caption (line to its figure)
    <span class="sw text"></span>description <span class="sw reject"></span>reject (dashed, with its reason)</p>
    <p class="hint">Corrections are kept in this browser. Export them, save the file as
    <code>DIR/review/corrections.json</code>, then run
    <code>culti build --out DIR --corrections DIR/review/corrections.json</code>.</p>
  </section>
  <section id="cards" aria-live="polite"></section>
  <p id="more" class="more" hidden></p>
  <section id="pages-section"><h2>Pages</h2><div id="pages"></div></section>
</main>
<script src="data.js" charset="utf-8"></script>
<script src="assets/review.js" charset="utf-8"></script>
</body>
</html>
"""
