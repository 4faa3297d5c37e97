"""Small dataset folders in the Parquet contract, for the review tests: two generated PDFs, or many rows."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from PIL import Image, ImageDraw

from culti.records import (
    Domain,
    Figure,
    FigureOrigin,
    Pair,
    Reject,
    RejectReason,
    Stage,
    TextOrigin,
    figure_id,
)

PAGE_W, PAGE_H = 420.0, 595.0
IMAGE = pa.struct([("bytes", pa.binary()), ("path", pa.string())])
BBOX = pa.list_(pa.float64())
PAIR_SCHEMA = pa.schema([
    ("id", pa.string()), ("image", IMAGE), ("title", pa.string()), ("caption", pa.string()),
    ("label", pa.string()), ("text", pa.string()), ("source", pa.string()), ("source_sha256", pa.string()),
    ("page", pa.int32()), ("bbox", BBOX), ("domain", pa.string()), ("split", pa.string()),
    ("group_id", pa.string()), ("confidence", pa.float64()), ("text_origin", pa.string()),
    ("width", pa.int32()), ("height", pa.int32()), ("caption_page", pa.int32()), ("caption_bbox", BBOX),
    ("text_bbox", BBOX),
])
REJECT_SCHEMA = pa.schema([
    ("id", pa.string()), ("stage", pa.string()), ("reason", pa.string()), ("detail", pa.string()),
    ("source", pa.string()), ("source_sha256", pa.string()), ("page", pa.int32()), ("bbox", BBOX),
    ("duplicate_of", pa.string()), ("image", IMAGE), ("caption", pa.string()), ("text", pa.string()),
])
TITLES = ["团窠对鸟纹", "联珠对马纹", "宝相花纹", "飞天伎乐", "说法图", "藻井莲花", "卷草纹锦", "狮子纹"]
DESC = "此件织物出土于吐鲁番阿斯塔那墓地，经线显花，纹样以联珠为框，内饰对称动物，色彩以红黄蓝为主。"


def jpeg(seed: int, size: tuple[int, int] = (120, 90)) -> bytes:
    """A small distinct JPEG: a coloured field with a seeded pattern."""
    img = Image.new("RGB", size, ((seed * 53) % 255, (seed * 97) % 255, (seed * 31) % 255))
    draw = ImageDraw.Draw(img)
    for k in range(4):
        x = (seed * 17 + k * 29) % size[0]
        draw.ellipse([x, k * size[1] // 5, x + size[0] // 3, k * size[1] // 5 + size[1] // 3],
                     fill=((seed + k * 80) % 255, 200, (k * 60) % 255))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _book(path: Path, specs: list[list[int]], seed: int) -> tuple[str, list[dict]]:
    """Write a PDF with, per page, the figures listed (count); return its sha256 and the figures' layout."""
    import pymupdf

    doc = pymupdf.open()
    figures = []
    n = 0
    for page_no, count in enumerate(specs, start=1):
        page = doc.new_page(width=PAGE_W, height=PAGE_H)
        page.insert_text((40, 30), "中国丝绸纹样图录", fontname="china-s", fontsize=9)
        for idx in range(count):
            top = 50 + idx * 260
            fb = (60.0, top, 360.0, top + 160)
            data = jpeg(seed * 100 + n)
            page.insert_image(pymupdf.Rect(*fb), stream=data)
            label = f"图{seed}-{n + 1}"
            title = TITLES[(seed + n) % len(TITLES)]
            cb = (60.0, top + 166, 360.0, top + 182)
            page.insert_text((cb[0], cb[3] - 4), f"{label}  {title}", fontname="china-s", fontsize=11)
            tb = (60.0, top + 188, 360.0, top + 230)
            page.insert_textbox(pymupdf.Rect(*tb), DESC, fontname="china-s", fontsize=8)
            figures.append({"page": page_no, "index": idx, "bbox": fb, "image": data, "label": label,
                            "title": title, "caption_bbox": cb, "text_bbox": tb})
            n += 1
    doc.save(path)
    doc.close()
    return hashlib.sha256(path.read_bytes()).hexdigest(), figures


def write_dataset(data_dir: Path, pair_rows: list[dict], reject_rows: list[dict], manifest: dict) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    for split in ("train", "validation", "test"):
        rows = [r for r in pair_rows if r["split"] == split]
        pq.write_table(pa.Table.from_pylist(rows, schema=PAIR_SCHEMA), data_dir / f"{split}.parquet")
    pq.write_table(pa.Table.from_pylist(reject_rows, schema=REJECT_SCHEMA), data_dir / "rejects.parquet")
    (data_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return data_dir


def _pair_row(source: str, sha: str, fig: dict, split: str, conf: float, domain: str) -> dict:
    return {
        "id": figure_id(sha, fig["page"], fig["index"]), "image": {"bytes": fig["image"], "path": None},
        "title": fig["title"], "caption": f"{fig['label']}  {fig['title']}", "label": fig["label"],
        "text": DESC, "source": source, "source_sha256": sha, "page": fig["page"], "bbox": list(fig["bbox"]),
        "domain": domain, "split": split, "group_id": figure_id(sha, fig["page"], fig["index"]),
        "confidence": conf, "text_origin": "pdf", "width": 120, "height": 90, "caption_page": fig["page"],
        "caption_bbox": list(fig["caption_bbox"]), "text_bbox": list(fig["text_bbox"]),
    }


def _reject_row(reason: str, source: str, sha: str, fig: dict | None, **extra) -> dict:
    row = {"id": None, "stage": "align", "reason": reason, "detail": "", "source": source,
           "source_sha256": sha, "page": None, "bbox": None, "duplicate_of": None, "image": None,
           "caption": "", "text": ""}
    if fig is not None:
        row.update(id=figure_id(sha, fig["page"], fig["index"]), page=fig["page"], bbox=list(fig["bbox"]),
                   image={"bytes": fig["image"], "path": None})
    row.update(extra)
    return row


def build_books_fixture(root: Path) -> Path:
    """Two books (3 and 2 pages) -> a dataset folder with 7 pairs over 3 splits and 5 rejects of 4 reasons."""
    pdfs = root / "pdfs"
    pdfs.mkdir(parents=True)
    silk_sha, silk = _book(pdfs / "silk-test.pdf", [2, 2, 2], seed=1)
    mural_sha, mural = _book(pdfs / "mural-test.pdf", [2, 2], seed=2)
    splits = ["train", "train", "validation", "test", "train"]
    confs = [0.95, 0.62, 0.31, 0.88, 0.45]
    pairs = [_pair_row("silk-test.pdf", silk_sha, f, splits[i], confs[i], "silk") for i, f in enumerate(silk[:5])]
    pairs += [_pair_row("mural-test.pdf", mural_sha, f, s, c, "mural")
              for f, s, c in zip(mural[:2], ["train", "test"], [0.91, 0.55], strict=True)]
    rejects = [
        _reject_row("no_caption", "silk-test.pdf", silk_sha, silk[5], detail="no caption within 40 pt",
                    text="一段说明文字"),
        _reject_row("duplicate_image", "mural-test.pdf", mural_sha, mural[2], stage="dataset",
                    duplicate_of=pairs[5]["id"], caption=f"{mural[2]['label']}  重复", detail="same pixels"),
        _reject_row("ornament", "mural-test.pdf", mural_sha, mural[3], stage="extract", detail="small"),
        _reject_row("no_caption", "mural-test.pdf", mural_sha, None, page=2, bbox=[10.0, 10.0, 50.0, 50.0],
                    id=f"{mural_sha[:16]}-p0002-f09", detail="vector drawing, no image"),
        _reject_row("corrupt", "broken.pdf", "", None, stage="input", detail="corrupt: not a PDF"),
    ]
    inputs = [
        {"path": str(pdfs / "silk-test.pdf"), "source": "silk-test.pdf", "sha256": silk_sha, "status": "ok",
         "reason": "", "page_count": 3, "pages": [{"page": p, "status": "ok", "detail": ""} for p in (1, 2, 3)]},
        {"path": str(pdfs / "mural-test.pdf"), "source": "mural-test.pdf", "sha256": mural_sha, "status": "ok",
         "reason": "", "page_count": 2, "pages": [{"page": p, "status": "ok", "detail": ""} for p in (1, 2)]},
        {"path": str(pdfs / "broken.pdf"), "source": "broken.pdf", "sha256": "", "status": "failed",
         "reason": "corrupt: not a PDF", "page_count": 0, "pages": []},
    ]
    return write_dataset(root / "out", pairs, rejects, {"version": "1", "inputs": inputs})


def build_synthetic(root: Path, n_pairs: int, n_rejects: int, books: int = 20) -> Path:
    """Many rows with tiny images and no PDFs on disk: for size and speed checks."""
    images = [jpeg(i, (24, 18)) for i in range(16)]
    pairs, rejects, inputs = [], [], []
    shas = [hashlib.sha256(f"book{b}".encode()).hexdigest() for b in range(books)]
    for b, sha in enumerate(shas):
        inputs.append({"path": f"/nonexistent/book{b}.pdf", "source": f"book{b}.pdf", "sha256": sha,
                       "status": "ok", "reason": "", "page_count": 400, "pages": []})
    for i in range(n_pairs):
        b, sha = i % books, shas[i % books]
        fig = {"page": 1 + (i // books) // 3, "index": (i // books) % 3, "bbox": (50.0, 60.0, 300.0, 260.0),
               "image": images[i % 16], "label": f"图{b}-{i}", "title": TITLES[i % len(TITLES)],
               "caption_bbox": (50.0, 265.0, 300.0, 280.0), "text_bbox": (50.0, 285.0, 300.0, 400.0)}
        row = _pair_row(f"book{b}.pdf", sha, fig, _split(i),
                        (i % 100) / 100, "silk")
        row["text"] = DESC * 4
        pairs.append(row)
    for i in range(n_rejects):
        sha = shas[i % books]
        fig = {"page": 500 + i, "index": 0, "bbox": (0.0, 0.0, 10.0, 10.0), "image": images[i % 16]}
        rejects.append(_reject_row(("ornament", "no_caption", "duplicate_image")[i % 3], f"book{i % books}.pdf",
                                   sha, fig))
    return write_dataset(root / "out", pairs, rejects, {"version": "1", "inputs": inputs})


def _split(i: int) -> str:
    return "train" if i % 10 < 7 else "validation" if i % 10 == 7 else "test"


def records_from_dataset(data_dir: Path) -> tuple[list[Pair], list[Reject]]:
    """Read a fixture folder back into Pair and Reject records, as the build stage holds them."""
    pairs, rejects = [], []
    for split in ("train", "validation", "test"):
        for r in pq.read_table(data_dir / f"{split}.parquet").to_pylist():
            idx = int(r["id"].rsplit("-f", 1)[1])
            fig = Figure(source=r["source"], source_sha256=r["source_sha256"], page=r["page"], index=idx,
                         bbox_pt=tuple(r["bbox"]), image=r["image"]["bytes"], image_format="jpeg",
                         width=r["width"], height=r["height"], origin=FigureOrigin.EMBEDDED)
            pairs.append(Pair(figure=fig, caption=r["caption"], label=r["label"], title=r["title"], text=r["text"],
                              text_origin=TextOrigin(r["text_origin"]), domain=Domain(r["domain"]),
                              confidence=r["confidence"], caption_page=r["caption_page"],
                              caption_bbox_pt=tuple(r["caption_bbox"]), text_bbox_pt=tuple(r["text_bbox"])))
    for r in pq.read_table(data_dir / "rejects.parquet").to_pylist():
        image = r["image"]["bytes"] if r["image"] else None
        rejects.append(Reject(stage=Stage(r["stage"]), reason=RejectReason(r["reason"]), source=r["source"],
                              source_sha256=r["source_sha256"], page=r["page"],
                              bbox_pt=tuple(r["bbox"]) if r["bbox"] else None, detail=r["detail"],
                              item_id=r["id"], duplicate_of=r["duplicate_of"], image=image,
                              image_format="jpeg" if image else None, caption=r["caption"], text=r["text"]))
    return pairs, rejects
