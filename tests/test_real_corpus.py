"""The real-document corpus scripts: restore from a git mirror, and a consistent truth.json.

No real PDF is needed: a throw-away git repository stands in for the mirrored public repository.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
from pathlib import Path

import pymupdf
import pytest

CORPUS = Path(__file__).resolve().parents[1] / "benchmarks" / "real_corpus"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"real_corpus_{name}", CORPUS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _png(width: int, height: int, shade: int) -> bytes:
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, width, height), False)
    pix.set_rect(pix.irect, (shade, shade, shade))
    return pix.tobytes("png")


@pytest.fixture()
def mirror(tmp_path: Path) -> tuple[Path, str, dict[str, bytes]]:
    """A bare git dir laid out like /work/.mirror/<owner>+<name>/repo, holding a PDF and two PNGs."""
    work = tmp_path / "work"
    work.mkdir()
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "图1  团窠对鸟纹")
    files = {
        "docs/a.pdf": doc.tobytes(),
        "img/p1.png": _png(300, 400, 200),
        "img/p2.png": _png(200, 300, 90),
    }
    for rel, data in files.items():
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_bytes(data)
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    commit = subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    root = tmp_path / "mirrors"
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(work), str(root / "someone+docs" / "repo")], check=True
    )
    return root, commit, files


def test_restore_from_mirror_checks_hashes_and_wraps_scans(mirror, tmp_path: Path, capsys) -> None:
    restore = _load("restore")
    root, commit, files = mirror
    images = [files["img/p1.png"], files["img/p2.png"]]
    sources = {
        "version": 1,
        "files": [
            {
                "name": "a.pdf",
                "repo": "someone/docs",
                "commit": commit,
                "kind": "pdf",
                "path": "docs/a.pdf",
                "source_sha256": _sha(files["docs/a.pdf"]),
                "sha256": _sha(files["docs/a.pdf"]),
            },
            {
                "name": "scan.pdf",
                "repo": "someone/docs",
                "commit": commit,
                "kind": "wrapped_scan",
                "dpi": 150,
                "images": [
                    {"path": "img/p1.png", "sha256": _sha(images[0])},
                    {"path": "img/p2.png", "sha256": _sha(images[1])},
                ],
                "sha256": _sha(restore.wrap_scan(images, 150)),
            },
            {
                "name": "tampered.pdf",
                "repo": "someone/docs",
                "commit": commit,
                "kind": "pdf",
                "path": "docs/a.pdf",
                "source_sha256": "0" * 64,
                "sha256": "0" * 64,
            },
            {
                "name": "elsewhere.pdf",
                "repo": "nobody/absent",
                "commit": commit,
                "kind": "pdf",
                "path": "x.pdf",
                "source_sha256": "0" * 64,
                "sha256": "0" * 64,
            },
        ],
    }
    (tmp_path / "sources.json").write_text(json.dumps(sources), encoding="utf-8")
    restore.from_github = lambda repo, commit, path: None  # offline: only the mirror may answer
    dest = tmp_path / "out"
    argv = [
        "--dest",
        str(dest),
        "--mirror-root",
        str(root),
        "--sources",
        str(tmp_path / "sources.json"),
    ]
    assert restore.main(argv) == 0
    out = capsys.readouterr().out
    assert (dest / "a.pdf").read_bytes() == files["docs/a.pdf"]
    scan = pymupdf.open(dest / "scan.pdf")
    # one image per page, page size = pixels at the recorded dpi, no text layer
    assert [tuple(round(v, 2) for v in p.rect[2:]) for p in scan] == [(144.0, 192.0), (96.0, 144.0)]
    assert all(len(p.get_images()) == 1 and not p.get_text().strip() for p in scan)
    assert _sha((dest / "scan.pdf").read_bytes()) == sources["files"][1]["sha256"]
    assert not (dest / "tampered.pdf").exists() and "sha256 mismatch" in out
    assert not (dest / "elsewhere.pdf").exists() and "SKIP elsewhere.pdf" in out
    assert "restored 2/4" in out
    # a second run finds the files in place and re-fetches nothing
    assert restore.main(argv) == 0
    assert "a.pdf: present" in capsys.readouterr().out


def test_restore_fails_when_nothing_restores(tmp_path: Path, capsys) -> None:
    restore = _load("restore")
    restore.from_github = lambda repo, commit, path: None
    sources = {
        "version": 1,
        "files": [
            {
                "name": "x.pdf",
                "repo": "nobody/absent",
                "commit": "0" * 40,
                "kind": "pdf",
                "path": "x.pdf",
                "source_sha256": "0" * 64,
                "sha256": "0" * 64,
            }
        ],
    }
    (tmp_path / "s.json").write_text(json.dumps(sources), encoding="utf-8")
    assert (
        restore.main(
            [
                "--dest",
                str(tmp_path / "o"),
                "--mirror-root",
                str(tmp_path),
                "--sources",
                str(tmp_path / "s.json"),
            ]
        )
        == 1
    )


def test_committed_truth_matches_sources_and_schema() -> None:
    truth = json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))
    sources = {
        s["name"]: s
        for s in json.loads((CORPUS / "sources.json").read_text(encoding="utf-8"))["files"]
    }
    assert truth["version"] == 2
    assert {b["file"] for b in truth["books"]} == set(sources)
    for source in sources.values():
        assert len(source["commit"]) == 40 and len(source["sha256"]) == 64
    keys = [f["key"] for b in truth["books"] for f in b["figures"]]
    assert len(keys) == len(set(keys))
    for book in truth["books"]:
        assert book["kind"] in {"digital", "scanned", "outline"}
        assert book["domain"] in {"silk", "mural", "other"}
        pages = set(book.get("pages", range(1, book["page_count"] + 1)))
        for fig in book["figures"]:
            x0, y0, x1, y1 = fig["bbox"]
            assert x0 < x1 and y0 < y1 and fig["page"] in pages
            assert (
                fig["caption"]
                and fig["caption_bbox"]
                and fig["caption_position"] in {"below", "above", "left", "right", "facing"}
            )
            assert fig["caption"].startswith(fig["label"])
            assert fig["title"] and fig["title"] in fig["caption"]
            # a description always comes with its box, and never repeats the caption
            assert bool(fig["description"]) == (fig["description_bbox"] is not None)
            assert fig["description"] != fig["caption"]
        for item in book["not_figures"]:
            assert (
                item["what"] in {"logo", "watermark", "icon", "ornament"} and item["page"] in pages
            )
        for item in book["neutral"]:
            assert item["why"] and item["page"] in pages
    assert sum(len(b["figures"]) for b in truth["books"]) >= 200
    assert sum(1 for b in truth["books"] if b["kind"] == "scanned") >= 4
    # a rendered scan is no real scan: marked so, and its labels are its source's on those pages
    books = {b["file"]: b for b in truth["books"]}
    rendered = [b for b in truth["books"] if b.get("rendered")]
    assert rendered and all(b["file"].startswith("scan-rendered-") for b in rendered)
    for book in rendered:
        recipe = sources[book["file"]]
        assert recipe["kind"] == "rendered_scan" and book["kind"] == "scanned"
        source = books[recipe["from"]]
        page_of = {old: new for new, old in enumerate(recipe["pages"], 1)}
        want = [
            (page_of[f["page"]], f["bbox"], f["caption"], f["description"])
            for f in source["figures"]
            if f["page"] in page_of
        ]
        assert want == [
            (f["page"], f["bbox"], f["caption"], f["description"]) for f in book["figures"]
        ]
        assert len(book["not_figures"]) == sum(
            1 for n in source["not_figures"] if n["page"] in page_of
        )


def test_rendered_scan_keeps_page_sizes_and_is_deterministic(
    mirror, tmp_path: Path, capsys
) -> None:
    """A rendered_scan entry renders pages of a restored corpus file into an image-only grey PDF
    with the same page sizes (so the source's labels carry over); the bytes repeat exactly."""
    restore = _load("restore")
    root, commit, files = mirror
    source = pymupdf.open()
    for width, height in ((300, 400), (500, 250)):
        page = source.new_page(width=width, height=height)
        page.draw_rect(pymupdf.Rect(20, 20, 120, 90), color=(1, 0, 0), fill=(0, 0, 1))
        page.insert_text((20, 120), "Figure 1 A red frame")
    pdf = source.tobytes()
    (tmp_path / "src.pdf").write_bytes(pdf)
    once = restore.render_scan(pdf, [2, 1], 150, 0.7, 60)
    assert once == restore.render_scan(pdf, [2, 1], 150, 0.7, 60)
    out = pymupdf.open(stream=once, filetype="pdf")
    assert [tuple(round(v, 2) for v in p.rect[2:]) for p in out] == [(500, 250), (300, 400)]
    for page in out:
        assert not page.get_text().strip()
        (info,) = page.get_image_info(xrefs=True)
        assert [round(v, 1) for v in info["bbox"]] == [round(v, 1) for v in page.rect]
        assert pymupdf.Pixmap(out, info["xref"]).n == 1  # grey
    # restore renders it from the file restored before it; without that file it says so
    sources = {
        "version": 1,
        "files": [
            {
                "name": "scan-rendered.pdf",
                "repo": "someone/docs",
                "commit": commit,
                "kind": "rendered_scan",
                "from": "src.pdf",
                "from_sha256": _sha(pdf),
                "pages": [2, 1],
                "dpi": 150,
                "blur": 0.7,
                "jpeg_quality": 60,
                "sha256": _sha(once),
            }
        ],
    }
    (tmp_path / "s.json").write_text(json.dumps(sources), encoding="utf-8")
    argv = ["--mirror-root", str(root), "--sources", str(tmp_path / "s.json")]
    assert restore.main(["--dest", str(tmp_path / "empty"), *argv]) == 1
    assert "restore src.pdf first" in capsys.readouterr().out
    assert restore.main(["--dest", str(tmp_path), *argv]) == 0
    assert (tmp_path / "scan-rendered.pdf").read_bytes() == once
    assert "differ" not in capsys.readouterr().out


def test_outlined_twin_draws_the_text_as_glyphs_and_keeps_pictures(tmp_path: Path) -> None:
    """An outlined_text entry redraws pages of a corpus file with every glyph as a vector path:
    no text layer, the page sizes and the picture kept, the bytes repeat exactly, and extract
    reads the pages as outline text."""
    import io

    from PIL import Image

    from culti.records import PageKind
    from extract import ExtractConfig, extract_book, open_book

    restore = _load("restore")
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (180, 40, 40)).save(buffer, "PNG")
    source = pymupdf.open()
    for width, height in ((400, 500), (500, 400)):
        page = source.new_page(width=width, height=height)
        page.insert_image(pymupdf.Rect(40, 40, 280, 200), stream=buffer.getvalue())
        page.insert_text((40, 230), "Figure 1. A red field of silk", fontsize=11)
        page.insert_text((40, 260), "Woven in the Tang dynasty, found at Dunhuang.", fontsize=10)
    pdf = source.tobytes()
    once = restore.outline_text(pdf, [2, 1])
    assert once == restore.outline_text(pdf, [2, 1])
    out = pymupdf.open(stream=once, filetype="pdf")
    assert [tuple(round(v, 2) for v in p.rect[2:]) for p in out] == [(500, 400), (400, 500)]
    for page in out:
        assert not page.get_text().strip()
        assert len(page.get_drawings()) > 20  # the glyphs
        (info,) = page.get_image_info()
        assert [round(v) for v in info["bbox"]] == [40, 40, 280, 200]
    (tmp_path / "outlined.pdf").write_bytes(once)
    pages = list(extract_book(open_book(tmp_path / "outlined.pdf"), ExtractConfig(workers=1, progress=False)))
    assert [p.kind for p in pages] == [PageKind.OUTLINE, PageKind.OUTLINE]
    assert any("Figure 1" in b.text for b in pages[0].blocks)
