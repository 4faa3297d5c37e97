"""Restore the real-document corpus listed in sources.json.

    python benchmarks/real_corpus/restore.py [--dest DIR] [--mirror-root DIR]

Each file is third-party: it is fetched from the public repository and commit recorded in
sources.json, first from a local git mirror (<mirror-root>/<owner>+<name>/repo, a bare git dir)
when one exists, else from https://raw.githubusercontent.com/<owner>/<name>/<commit>/<path>.
Every source is checked against its sha256. "wrapped_scan" entries are page images (scans of
real pages) that are wrapped into a PDF here, one image per page, deterministically.
"rendered_scan" entries are NOT real scans: pages of another corpus file (restored first) rendered
grey at a fixed dpi, mildly degraded (a slight Gaussian blur, JPEG compression) and wrapped as an
image-only PDF with the same page sizes, so that the source's labels carry over.
"outlined_text" entries are NOT real files either: pages of another corpus file whose text is
redrawn here as glyph outlines (vector paths, no text layer; pictures and drawings kept, page
sizes kept), as web and print exports set text, so that the source's labels carry over.
Standard library + PyMuPDF (+ Pillow for the rendered scans). Exit status 0 when at least one file
was restored.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DEST = HERE / "pdfs"
DEFAULT_MIRRORS = Path("/work/.mirror")
TIMEOUT_S = 60


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def from_mirror(mirror_root: Path, repo: str, commit: str, path: str) -> bytes | None:
    git_dir = mirror_root / repo.replace("/", "+") / "repo"
    if not git_dir.is_dir():
        return None
    result = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
        capture_output=True,
        check=False,
    )
    return result.stdout if result.returncode == 0 and result.stdout else None


def from_github(repo: str, commit: str, path: str) -> bytes | None:
    url = f"https://raw.githubusercontent.com/{repo}/{commit}/{urllib.parse.quote(path)}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:  # noqa: S310 (fixed https host)
            return response.read()
    except (OSError, ValueError):
        return None


def fetch(
    mirror_root: Path, repo: str, commit: str, path: str, want_sha: str
) -> tuple[bytes | None, str]:
    """Return (bytes, where) or (None, reason)."""
    for where, getter in (
        ("mirror", lambda: from_mirror(mirror_root, repo, commit, path)),
        ("github", lambda: from_github(repo, commit, path)),
    ):
        data = getter()
        if data is None:
            continue
        if sha256(data) != want_sha:
            return None, f"sha256 mismatch for {repo}@{commit[:10]}:{path} (from {where})"
        return data, where
    return None, f"cannot get {repo}@{commit[:10]}:{path} (no mirror, no network)"


def wrap_scan(images: list[bytes], dpi: int) -> bytes:
    """One image per page, page size = image size at `dpi`; deterministic bytes."""
    import pymupdf

    doc = pymupdf.open()
    for data in images:
        pix = pymupdf.Pixmap(data)
        width, height = pix.width * 72.0 / dpi, pix.height * 72.0 / dpi
        page = doc.new_page(width=width, height=height)
        page.insert_image(page.rect, stream=data)
    doc.set_metadata({})
    return doc.tobytes(garbage=3, deflate=True, no_new_id=True)


def render_scan(pdf: bytes, pages: list[int], dpi: int, blur: float, quality: int) -> bytes:
    """Render `pages` (1-based) of `pdf` grey at `dpi`, blur by `blur` px (Gaussian radius), encode
    as JPEG at `quality` and wrap each as an image-only page of the source page's size; no
    randomness, so the bytes are deterministic for given PyMuPDF and Pillow versions."""
    import io

    import pymupdf
    from PIL import Image, ImageFilter

    src = pymupdf.open(stream=pdf, filetype="pdf")
    doc = pymupdf.open()
    for number in pages:
        page = src[number - 1]
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
        image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
        image = image.filter(ImageFilter.GaussianBlur(blur))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=quality, optimize=False)
        out_page = doc.new_page(width=page.rect.width, height=page.rect.height)
        out_page.insert_image(out_page.rect, stream=buffer.getvalue(), keep_proportion=False)
    doc.set_metadata({})
    return doc.tobytes(garbage=3, deflate=True, no_new_id=True)


def outline_text(pdf: bytes, pages: list[int]) -> bytes:
    """Redraw `pages` (1-based) of `pdf` with every glyph as a vector path (through MuPDF's SVG
    writer with text as paths, read back as PDF): no text layer, pictures and drawings kept,
    page sizes kept; deterministic bytes for a given PyMuPDF version."""
    import pymupdf

    src = pymupdf.open(stream=pdf, filetype="pdf")
    doc = pymupdf.open()
    for number in pages:
        svg = src[number - 1].get_svg_image(text_as_path=True)
        with pymupdf.open(stream=svg.encode("utf-8"), filetype="svg") as drawn:
            doc.insert_pdf(pymupdf.open("pdf", drawn.convert_to_pdf()))
    doc.set_metadata({})
    return doc.tobytes(garbage=3, deflate=True, no_new_id=True)


def restore_derived(entry: dict, dest: Path) -> tuple[bool, str]:
    """Restore a file made here from another corpus file: a rendered scan or an outlined twin."""
    src = dest / entry["from"]
    if not src.exists() or sha256(src.read_bytes()) != entry["from_sha256"]:
        return False, f"restore {entry['from']} first (its pages are made from it)"
    if entry["kind"] == "rendered_scan":
        pdf = render_scan(
            src.read_bytes(), entry["pages"], entry["dpi"], entry["blur"], entry["jpeg_quality"]
        )
        note = f"rendered from {entry['from']} ({len(entry['pages'])} pages; not a real scan)"
    else:
        pdf = outline_text(src.read_bytes(), entry["pages"])
        note = f"text outlined from {entry['from']} ({len(entry['pages'])} pages; not a real file)"
    (dest / entry["name"]).write_bytes(pdf)
    if sha256(pdf) != entry["sha256"]:
        note += "; PDF bytes differ from the recorded sha256 (other PyMuPDF/Pillow version?), pages are the same"
    return True, note


def restore_one(entry: dict, dest: Path, mirror_root: Path) -> tuple[bool, str]:
    out = dest / entry["name"]
    if out.exists() and sha256(out.read_bytes()) == entry["sha256"]:
        return True, "present"
    if entry["kind"] in ("rendered_scan", "outlined_text"):
        return restore_derived(entry, dest)
    repo, commit = entry["repo"], entry["commit"]
    if entry["kind"] == "pdf":
        data, where = fetch(mirror_root, repo, commit, entry["path"], entry["source_sha256"])
        if data is None:
            return False, where
        out.write_bytes(data)
        return True, f"from {where}"
    images = []
    where = ""
    for image in entry["images"]:
        data, where = fetch(mirror_root, repo, commit, image["path"], image["sha256"])
        if data is None:
            return False, where
        images.append(data)
    pdf = wrap_scan(images, entry["dpi"])
    out.write_bytes(pdf)
    note = f"built from {len(images)} image(s) ({where})"
    if sha256(pdf) != entry["sha256"]:
        note += "; PDF bytes differ from the recorded sha256 (other PyMuPDF version?), pages are the same"
    return True, note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST, help="output folder")
    parser.add_argument(
        "--mirror-root", type=Path, default=DEFAULT_MIRRORS, help="local git mirrors"
    )
    parser.add_argument("--sources", type=Path, default=HERE / "sources.json")
    args = parser.parse_args(argv)
    sources = json.loads(args.sources.read_text(encoding="utf-8"))
    args.dest.mkdir(parents=True, exist_ok=True)
    restored = 0
    for entry in sources["files"]:
        ok, note = restore_one(entry, args.dest, args.mirror_root)
        restored += ok
        print(f"{'ok  ' if ok else 'SKIP'} {entry['name']}: {note}")
    total = len(sources["files"])
    print(f"restored {restored}/{total} files into {args.dest}")
    return 0 if restored else 1


if __name__ == "__main__":
    sys.exit(main())
