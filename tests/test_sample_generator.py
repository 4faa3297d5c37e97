"""The sample-book generator on real generated files: determinism, truth vs. what PyMuPDF finds,
scanned pages, layout kinds, label styles, ornaments, and text that matches the pictures."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from culti.geometry import iou
from culti.sample import DEFAULT_SET, BookSpec, generate_samples, sample_set
from culti.sample.attributes import MURAL_GROUNDS, SILK_GROUNDS
from culti.sample.book import plan_book
from culti.sample.layout import compose

LAYOUTS = {"below", "above", "left", "right", "facing"}


def _norm(text: str) -> str:
    return "".join(text.split()).replace("（", "(").replace("）", ")")


def _inside(inner, outer, tol: float = 0.6) -> bool:
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol and inner[2] <= outer[2] + tol
            and inner[3] <= outer[3] + tol)


def _union(boxes):
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> tuple[Path, dict]:
    """Two books per domain of 16 figures: every layout kind, every label style."""
    out = tmp_path_factory.mktemp("sample_books")
    truth_path = generate_samples(out, books=2, figures=16, seed=1, progress=False)
    return out, json.loads(truth_path.read_text(encoding="utf-8"))


def _sha(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_gives_byte_identical_files(tmp_path):
    a = generate_samples(tmp_path / "a", books=1, figures=8, seed=3, progress=False).parent
    b = generate_samples(tmp_path / "b", books=1, figures=8, seed=3, progress=False).parent
    assert _sha(a) == _sha(b)
    assert len(_sha(a)) == 5  # 2 books x (digital, scanned) + truth.json
    c = generate_samples(tmp_path / "c", books=1, figures=8, seed=4, progress=False).parent
    assert _sha(a)["silk-01-digital.pdf"] != _sha(c)["silk-01-digital.pdf"]


def test_truth_lists_every_figure_once_with_unique_keys(books):
    folder, truth = books
    assert truth["version"] == 1 and truth["seed"] == 1
    files = {b["file"] for b in truth["books"]}
    assert files == {p.name for p in folder.glob("*.pdf")}
    assert len(files) == 8
    by_id: dict[str, list[dict]] = {}
    for book in truth["books"]:
        by_id.setdefault(book["book_id"], []).append(book)
        keys = [f["key"] for f in book["figures"]]
        assert len(keys) == 16 and len(set(keys)) == 16
        assert all(k.startswith(book["book_id"] + "-") for k in keys)
        doc = pymupdf.open(folder / book["file"])
        assert doc.page_count == book["page_count"]
        assert list(doc[0].rect)[2:] == pytest.approx(book["page_size_pt"])
    for pair in by_id.values():  # digital and scanned: the same figures, the same words
        assert {b["kind"] for b in pair} == {"digital", "scanned"}
        strip = [[{k: v for k, v in f.items() if not k.endswith("bbox")} for f in b["figures"]] for b in pair]
        assert strip[0] == strip[1]


def test_boxes_lie_on_their_pages(books):
    _, truth = books
    for book in truth["books"]:
        w, h = book["page_size_pt"]
        for f in book["figures"]:
            assert 1 <= f["page"] <= book["page_count"] and 1 <= f["caption_page"] <= book["page_count"]
            for key in ("bbox", "caption_bbox", "description_bbox"):
                x0, y0, x1, y1 = f[key]
                assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h, (book["file"], f["key"], key)
        for o in book["ornaments"]:
            assert 0 <= o["bbox"][0] < o["bbox"][2] <= w


def test_digital_images_and_drawings_match_truth(books):
    folder, truth = books
    kinds = Counter()
    for book in (b for b in truth["books"] if b["kind"] == "digital"):
        doc = pymupdf.open(folder / book["file"])
        for page in doc:
            n = page.number + 1
            figs = [f for f in book["figures"] if f["page"] == n]
            orns = [o["bbox"] for o in book["ornaments"] if o["page"] == n]
            images = [tuple(i["bbox"]) for i in page.get_image_info()]
            drawings = [tuple(d["rect"]) for d in page.get_drawings()]
            for f in figs:
                kinds[f["image_kind"]] += 1
                if f["image_kind"] == "vector":
                    parts = [d for d in drawings if _inside(d, f["bbox"])]
                    assert len(parts) > 3 and iou(_union(parts), f["bbox"]) > 0.99, f["key"]
                elif f["image_kind"] == "tiles":
                    parts = [i for i in images if _inside(i, f["bbox"])]
                    assert 2 <= len(parts) <= 3 and iou(_union(parts), f["bbox"]) > 0.99, f["key"]
                else:
                    assert any(iou(i, f["bbox"]) > 0.99 for i in images), f["key"]
            owned = [f["bbox"] for f in figs] + orns
            for box in images:  # nothing else on the page is a picture
                assert any(_inside(box, o) for o in owned), (book["file"], n, box)
            for box in drawings:  # drawings: vector figures, lotus ornaments or thin header rules
                assert box[3] - box[1] < 1.5 or any(_inside(box, o) for o in owned), (book["file"], n, box)
        for f in book["figures"]:
            if f["image_kind"] in ("jpeg", "png", "png-rgba"):
                page = doc[f["page"] - 1]
                info = next(i for i in page.get_image_info(xrefs=True) if iou(i["bbox"], f["bbox"]) > 0.99)
                ext = doc.extract_image(info["xref"])["ext"]
                assert ext == ("jpeg" if f["image_kind"] == "jpeg" else "png"), f["key"]
                if f["image_kind"] == "png-rgba":
                    assert doc.extract_image(info["xref"])["smask"] > 0
    assert set(kinds) == {"jpeg", "png", "png-rgba", "tiles", "vector"}


def test_captions_and_descriptions_are_in_the_text_layer_at_their_boxes(books):
    folder, truth = books
    for book in (b for b in truth["books"] if b["kind"] == "digital"):
        doc = pymupdf.open(folder / book["file"])
        text = "".join(_norm(p.get_text()) for p in doc)
        for f in book["figures"]:
            page = doc[f["caption_page"] - 1]
            assert _norm(page.get_textbox(pymupdf.Rect(f["caption_bbox"]) + (-0.5, -0.5, 0.5, 0.5))) == \
                _norm(f["caption"]), f["key"]
            got = _norm(page.get_textbox(pymupdf.Rect(f["description_bbox"]) + (-0.5, -0.5, 0.5, 0.5)))
            assert got == _norm(f["description"]), f["key"]
            assert "  " in f["caption"] and f["caption"] == f"{f['label']}  {f['title']}"
            assert 40 <= len(f["description"]) <= 150
            if f["subcaption"]:
                sub = _norm(doc[f["page"] - 1].get_textbox(pymupdf.Rect(f["subcaption_bbox"]) + (-0.5, -0.5, 0.5, 0.5)))
                assert sub == _norm(f["subcaption"])
        refs = [f["label"] for f in book["figures"] if f"如{f['label']}所示" in text or f"见{f['label']}）" in text]
        assert refs, "body text refers to figures"
        words = ("丝绸", "织锦", "锦") if book["domain"] == "silk" else ("壁画", "莫高窟", "敦煌")
        assert any(w in _norm(doc[0].get_text()) for w in words)
        assert sum(any(w in _norm(p.get_text()) for w in words) for p in doc) >= doc.page_count // 2


def test_scanned_pages_are_one_image_and_no_text(books):
    folder, truth = books
    for book in (b for b in truth["books"] if b["kind"] == "scanned"):
        doc = pymupdf.open(folder / book["file"])
        assert 150 <= book["dpi"] <= 300
        assert all(0.2 <= abs(a) <= 1.2 for a in book["skew_deg"])
        for page in doc:
            assert page.get_text().strip() == ""
            infos = page.get_image_info(xrefs=True)
            assert len(infos) == 1 and iou(infos[0]["bbox"], page.rect) > 0.999
            assert doc.extract_image(infos[0]["xref"])["ext"] == "jpeg"


def test_scanned_boxes_follow_the_skew(books):
    """A figure cut from the scan at its truth box has the digital figure's colours (oracle: render),
    and the same box on the digital page shifted by its own width has not."""
    folder, truth = books
    pairs = {}
    for book in truth["books"]:
        pairs.setdefault(book["book_id"], {})[book["kind"]] = book
    checked = 0
    for pair in pairs.values():
        dig_doc = pymupdf.open(folder / pair["digital"]["file"])
        scan_doc = pymupdf.open(folder / pair["scanned"]["file"])
        for fd, fs in zip(pair["digital"]["figures"], pair["scanned"]["figures"], strict=True):
            assert iou(fd["bbox"], fs["bbox"]) > 0.8
            if min(fd["bbox"][2] - fd["bbox"][0], fd["bbox"][3] - fd["bbox"][1]) < 60:
                continue
            want = _mean_colour(dig_doc[fd["page"] - 1], fd["bbox"])
            scan_page = scan_doc[fs["page"] - 1]
            h = scan_page.rect.height
            paper = _mean_colour(scan_page, (6, h / 2 - 12, 26, h / 2 + 12))  # a blank margin
            got = _mean_colour(scan_page, fs["bbox"]) * 255 / paper
            assert np.abs(want - got).max() < 25, (fs["key"], want, got)
            checked += 1
    assert checked >= 20


def _mean_colour(page: pymupdf.Page, bbox) -> np.ndarray:
    x0, y0, x1, y1 = bbox
    dx, dy = (x1 - x0) * 0.1, (y1 - y0) * 0.1  # the inner 80%: skew only moves the edges
    pix = page.get_pixmap(clip=pymupdf.Rect(x0 + dx, y0 + dy, x1 - dx, y1 - dy), dpi=36, alpha=False)
    return np.frombuffer(pix.samples, np.uint8).reshape(-1, 3).mean(axis=0)


def test_every_layout_kind_and_label_style_is_present(books):
    _, truth = books
    digital = [b for b in truth["books"] if b["kind"] == "digital"]
    assert {b["label_style"] for b in digital} == {"chapter", "plain", "plate", "chatu"}
    patterns = {"chapter": r"图\d+-\d+", "plain": r"图\d+", "plate": r"图版[一二三四五六七八九十百零]+",
                "chatu": r"插图\d+"}
    import re

    for book in digital:
        figs = book["figures"]
        assert all(re.fullmatch(patterns[book["label_style"]], f["label"]) for f in figs)
        assert LAYOUTS <= {f["caption_position"] for f in figs}
        for f in figs:
            if f["caption_position"] == "facing":
                assert abs(f["caption_page"] - f["page"]) == 1
            else:
                assert f["caption_page"] == f["page"]
        groups = Counter(f["composite"] for f in figs if f["composite"])
        assert groups and all(n >= 2 for n in groups.values())
        for key in groups:
            members = [f for f in figs if f["composite"] == key]
            assert len({f["label"] for f in members}) == 1 and len({f["subcaption"] for f in members}) == len(members)
        crops = [f for f in figs if f["crop_of"]]
        assert crops
        for f in crops:
            whole = next(g for g in figs if g["key"] == f["crop_of"])
            assert whole["page"] < f["page"]
        singles = [f for f in figs if not f["composite"]]
        twos = [(a, b) for a in singles for b in singles if a["key"] < b["key"] and a["page"] == b["page"]]
        assert any(_overlap(a, b, 1) and not _overlap(a, b, 0) for a, b in twos), f"side by side: {book['file']}"
        assert any(_overlap(a, b, 0) and not _overlap(a, b, 1) for a, b in twos), f"stacked: {book['file']}"
        assert book["ornaments"], "ornaments listed"


def _overlap(a: dict, b: dict, axis: int) -> bool:
    """Do two figures' boxes overlap along x (axis 0) or y (axis 1)?"""
    return min(a["bbox"][axis + 2], b["bbox"][axis + 2]) > max(a["bbox"][axis], b["bbox"][axis])


def test_ground_colour_in_the_title_is_the_pictures_ground(books):
    """Text and image correspond: the named ground colour covers a good share of the picture."""
    folder, truth = books
    checked = 0
    for book in (b for b in truth["books"] if b["kind"] == "digital"):
        doc = pymupdf.open(folder / book["file"])
        for f in book["figures"]:
            if f["image_kind"] not in ("jpeg", "png") or f["crop_of"] or f["composite"]:
                continue
            info = next(i for i in doc[f["page"] - 1].get_image_info(xrefs=True) if iou(i["bbox"], f["bbox"]) > 0.99)
            pix = pymupdf.Pixmap(doc, info["xref"])
            img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, pix.n)[..., :3].astype(int)
            if book["domain"] == "silk":
                name = next(n for n in sorted(SILK_GROUNDS, key=len, reverse=True) if f["title"].startswith(n))
                rgb = SILK_GROUNDS[name]
            else:
                name = next(n for n in MURAL_GROUNDS if f["description"].split("。")[1].startswith(n + "地"))
                rgb = MURAL_GROUNDS[name]
            share = (np.abs(img - np.array(rgb)).sum(axis=2) < 60).mean()
            assert share > 0.12, (f["key"], f["title"], share)
            checked += 1
    assert checked >= 20


def test_default_set_is_quick_and_still_covers_every_kind():
    """Long born-digital books for rows, short scanned books with figures of their own for OCR."""
    digital = [b for b in DEFAULT_SET if "digital" in b.kinds]
    scanned = [b for b in DEFAULT_SET if "scanned" in b.kinds]
    assert {b.domain for b in digital} == {b.domain for b in scanned} == {"silk", "mural"}
    assert not {(b.domain, b.index) for b in scanned} & {(b.domain, b.index) for b in digital}  # no twins
    assert sum(b.figures for b in digital) >= 600  # 7:1:2 leaves >= 120 test rows
    scanned_pages = 0
    for spec in DEFAULT_SET:
        plan = plan_book(spec.domain, spec.index, spec.figures, 0)
        figs = [f for c in plan.chapters for u in c.units for f in u.figures]
        kinds = {u.kind for c in plan.chapters for u in c.units}
        assert len(figs) == spec.figures and len({f.key for f in figs}) == spec.figures
        assert {"below", "above", "left", "right", "pair", "stack", "composite", "plate"} <= kinds, spec
        assert any(f.crop_of for f in figs), spec
        assert {f.picture.kind for f in figs} == {"jpeg", "png", "png-rgba", "tiles", "vector"}, spec
        if "scanned" in spec.kinds:
            scanned_pages += len(compose(plan, np.random.default_rng([0, ("silk", "mural").index(spec.domain), spec.index, 1])).pages)
    assert scanned_pages <= 60  # OCR is the slow part of `make dataset`
    big = plan_book("mural", 1, 160, 0)
    sizes = [(f.picture.width, f.picture.height) for c in big.chapters for u in c.units for f in u.figures]
    assert all(200 <= min(s) and max(s) <= 900 for s in sizes)
    assert any(w / h >= 3.9 for w, h in sizes) and any(h / w >= 1.9 for w, h in sizes)
    full = sample_set(full=True)
    assert len(full) == 4 and all(b.figures == 160 and b.kinds == ("digital", "scanned") for b in full)
    assert sample_set(books=1, figures=8) == (BookSpec("silk", 1, 8), BookSpec("mural", 1, 8))


def test_specs_write_only_the_kinds_asked(tmp_path):
    specs = (BookSpec("silk", 1, 6, ("digital",)), BookSpec("silk", 3, 6, ("scanned",)))
    truth = json.loads(generate_samples(tmp_path, specs=specs, progress=False).read_text())
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["silk-01-digital.pdf", "silk-03-scanned.pdf"]
    by_file = {b["file"]: b for b in truth["books"]}
    assert by_file["silk-03-scanned.pdf"]["kind"] == "scanned" and "dpi" in by_file["silk-03-scanned.pdf"]
    titles = [{f["title"] for f in b["figures"]} for b in truth["books"]]
    assert titles[0] != titles[1]  # the scanned book draws figures of its own
    with pymupdf.open(tmp_path / "silk-03-scanned.pdf") as doc:
        assert not doc[1].get_text().strip() and len(doc[1].get_images()) == 1


def test_a_smaller_run_removes_the_books_of_a_larger_one(tmp_path):
    generate_samples(tmp_path, books=2, figures=2, seed=0, progress=False)
    assert len(list(tmp_path.glob("*.pdf"))) == 8
    truth = json.loads(generate_samples(tmp_path, books=1, figures=2, seed=0, progress=False).read_text())
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(b["file"] for b in truth["books"])


def test_default_set_carries_the_real_layout_and_ocr_case_books(tmp_path, monkeypatch):
    """`make dataset` covers every layout the generator draws, the real-layout and OCR cases too;
    a later run with --books removes them again (they would be read as inputs)."""
    import culti.sample as sample

    monkeypatch.setattr(sample, "DEFAULT_SET", (BookSpec("silk", 1, 4, ("digital",)),))
    truth = json.loads(generate_samples(tmp_path, progress=False).read_text())
    files = {b["file"]: b for b in truth["books"]}
    assert truth["version"] == 2
    assert {"silk-01-digital.pdf", "real-layouts-digital.pdf", "outline-text.pdf", "scan-columns.pdf",
            "scan-close-figures.pdf", "scan-vertical.pdf", "scan-photo-captions.pdf"} == set(files)
    assert {b["kind"] for b in truth["books"]} == {"digital", "scanned", "outline"}
    assert any(f["label"] == "" for f in files["real-layouts-digital.pdf"]["figures"])
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(files)
    generate_samples(tmp_path, books=1, figures=4, progress=False)
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["mural-01-digital.pdf", "mural-01-scanned.pdf",
                                                              "silk-01-digital.pdf", "silk-01-scanned.pdf"]
