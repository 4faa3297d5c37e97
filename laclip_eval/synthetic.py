"""A small synthetic dataset folder in the Parquet contract: shapes drawn with PIL, described in
Chinese (colour, shape, count, background). For tests, smoke runs and the GPU benchmark."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np

COLOURS = {"红色": (200, 30, 30), "蓝色": (30, 60, 200), "绿色": (30, 150, 50),
           "黄色": (230, 200, 20), "紫色": (130, 40, 160), "黑色": (20, 20, 20)}
SHAPES = ("圆形", "方形", "三角形", "十字", "菱形")
COUNTS = {1: "一", 2: "两", 3: "三", 4: "四"}
BACKGROUNDS = {"白色": (250, 250, 250), "米色": (235, 220, 180), "灰色": (150, 150, 150),
               "浅蓝色": (180, 210, 240), "粉色": (245, 190, 200)}


def _draw(shape: str, colour: tuple, count: int, background: tuple, size: int, rng) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (size, size), (*background, 255))
    draw = ImageDraw.Draw(image)
    r = size // 8
    for _ in range(count):
        cx, cy = (int(v) for v in rng.integers(r + 2, size - r - 2, size=2))
        box = (cx - r, cy - r, cx + r, cy + r)
        if shape == "圆形":
            draw.ellipse(box, fill=colour)
        elif shape == "方形":
            draw.rectangle(box, fill=colour)
        elif shape == "三角形":
            draw.polygon([(cx, cy - r), (cx - r, cy + r), (cx + r, cy + r)], fill=colour)
        elif shape == "十字":
            draw.rectangle((cx - r, cy - r // 3, cx + r, cy + r // 3), fill=colour)
            draw.rectangle((cx - r // 3, cy - r, cx + r // 3, cy + r), fill=colour)
        else:
            draw.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=colour)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def synthetic_rows(n: int = 600, seed: int = 0, size: int = 96) -> list[dict]:
    """Return n rows (id, image, text, title, split...) with 7:1:2 train/validation/test splits."""
    rng = np.random.default_rng(seed)
    combos = [(c, s, k, b) for c in COLOURS for s in SHAPES for k in COUNTS for b in BACKGROUNDS]
    picks = rng.permutation(len(combos))[:n] if n <= len(combos) else rng.integers(0, len(combos), n)
    rows = []
    for index, pick in enumerate(picks):
        colour, shape, count, bg = combos[int(pick)]
        data = _draw(shape, COLOURS[colour], count, BACKGROUNDS[bg], size, rng)
        text = f"{bg}底子上织有{COUNTS[count]}个{colour}的{shape}纹样，纹样散点排列。"
        split = "train" if index < 0.7 * n else "validation" if index < 0.8 * n else "test"
        sha = hashlib.sha256(data).hexdigest()
        rows.append({
            "id": f"synthetic{seed:08d}-p{index // 4 + 1:04d}-f{index % 4:02d}",
            "image": {"bytes": data, "path": f"{index}.png"},
            "title": f"{colour}{shape}纹", "caption": f"图{index + 1}  {colour}{shape}纹",
            "label": f"图{index + 1}", "text": text, "source": "synthetic.pdf",
            "source_sha256": "0" * 64, "page": index // 4 + 1, "bbox": [0.0, 0.0, 100.0, 100.0],
            "domain": "silk", "split": split, "group_id": f"g{index}", "confidence": 1.0,
            "text_origin": "pdf", "width": size, "height": size, "image_sha256": sha,
        })
    return rows


def write_dataset(out_dir: Path, rows: list[dict]) -> Path:
    """Write rows as train/validation/test.parquet (+ an empty rejects.parquet, manifest.json)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for split in ("train", "validation", "test"):
        part = [r for r in rows if r["split"] == split]
        counts[split] = len(part)
        table = pa.Table.from_pylist(part) if part else pa.Table.from_pylist(rows[:1]).slice(0, 0)
        pq.write_table(table, out_dir / f"{split}.parquet")
    pq.write_table(pa.table({"id": pa.array([], pa.string())}), out_dir / "rejects.parquet")
    (out_dir / "manifest.json").write_text(json.dumps({"synthetic": True, "splits": counts}))
    return out_dir


def write_synthetic_dataset(out_dir: Path, n: int = 600, seed: int = 0, size: int = 96) -> Path:
    """Given a folder, write an n-row synthetic dataset into it and return the folder."""
    return write_dataset(out_dir, synthetic_rows(n, seed, size))
