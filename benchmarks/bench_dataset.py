"""Benchmark of dataset.build_dataset: N synthetic pairs with real JPEGs (~50-150 KB each).

Images are generated once into a cache folder (not timed); the timed part streams Pairs that read
their JPEG from disk into build_dataset, as the pipeline streams them book by book. Reports wall
time and the process's peak RSS.

    .venv/bin/python benchmarks/bench_dataset.py --n 10000
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import resource
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from culti.records import Domain, Figure, FigureOrigin, Pair, TextOrigin  # noqa: E402

PER_BOOK, PER_PAGE = 250, 2
WORDS = list("团窠对鸟纹联珠鹿宝相花卉忍冬卷草云气龙凤飞天菩萨莲花藻井供养人经变说法图佛光背屏"
             "红黄蓝绿褐金银白黑青紫地色织锦绫罗绢刺绣唐宋元明清敦煌莫高窟壁画北壁南壁东西")


def _picture(i: int) -> Image.Image:
    rng = np.random.default_rng(i)
    w, h = int(rng.choice([800, 900, 1000])), int(rng.choice([600, 700, 750]))
    base = np.asarray(Image.new("RGB", (4, 3), tuple(int(v) for v in rng.integers(40, 220, 3))))
    grad = rng.integers(0, 255, (3, 4, 3)).astype(np.uint8)
    img = Image.fromarray(((base.astype(int) + grad) // 2).astype(np.uint8)).resize((w, h), Image.BICUBIC)
    d = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(30, 60))):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(8, 90)
        fill = tuple(int(v) for v in rng.integers(0, 256, 3))
        kind = rng.integers(0, 3)
        if kind == 0:
            d.ellipse([x - r, y - r * 0.7, x + r, y + r], fill=fill)
        elif kind == 1:
            d.rectangle([x - r, y - r / 2, x + r, y + r / 2], fill=fill)
        else:
            d.line([x, y, x + rng.uniform(-200, 200), y + rng.uniform(-200, 200)], fill=fill, width=4)
    noise = rng.integers(-12, 13, (h, w, 1), dtype=np.int16)
    return Image.fromarray(np.clip(np.asarray(img, np.int16) + noise, 0, 255).astype(np.uint8))


def _jpeg(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _make(args: tuple[int, Path]) -> int:
    """Write image i: a distinct picture; every 40th a re-scan of i-1, every 97th a crop of i-1."""
    i, folder = args
    path = folder / f"{i:05d}.jpg"
    if path.exists():
        return path.stat().st_size
    if i % 40 == 39:
        src = _picture(i - 1).rotate(0.5, resample=Image.BICUBIC, fillcolor=(240, 238, 230))
        img = src.resize((int(src.width * 1.2), int(src.height * 1.2)))
    elif i % 97 == 96:
        src = _picture(i - 1)
        img = src.crop((100, 100, 100 + src.height // 2, 100 + src.height // 2)).resize((700, 700))
    else:
        img = _picture(i)
    data = _jpeg(img, 80)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return len(data)


def _text(i: int) -> str:
    rng = np.random.default_rng(i + 10**6)
    base = i - 1 if i % 40 == 39 else i  # a re-scan carries its twin's description
    rng = np.random.default_rng(base + 10**6)
    return "".join(WORDS[int(k)] for k in rng.integers(0, len(WORDS), int(rng.integers(60, 300)))) + "。"


def pairs(n: int, folder: Path):
    """Yield n Pairs, reading each JPEG from the cache when it is asked for."""
    for i in range(n):
        book, local = divmod(i, PER_BOOK)
        domain = Domain.SILK if book % 2 == 0 else Domain.MURAL
        source = f"{domain.value}-{book:02d}.pdf"
        sha = hashlib.sha256(source.encode()).hexdigest()
        data = (folder / f"{i:05d}.jpg").read_bytes()
        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
        fig = Figure(source=source, source_sha256=sha, page=1 + local // PER_PAGE, index=local % PER_PAGE,
                     bbox_pt=(50.0, 60.0, 500.0, 400.0), image=data, image_format="jpeg", width=w, height=h,
                     origin=FigureOrigin.EMBEDDED)
        label = f"图{book}-{local + 1}"
        yield Pair(figure=fig, caption=f"{label}  纹样{i}", label=label, title=f"纹样{i}", text=_text(i),
                   text_origin=TextOrigin.OCR if i % 40 == 39 else TextOrigin.PDF, domain=domain,
                   confidence=0.9)


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/culti-bench-dataset/images"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/culti-bench-dataset/out"))
    parser.add_argument("--workers", type=int, default=2, help="processes that generate the images")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        sizes = list(pool.map(_make, [(i, args.cache) for i in range(args.n)], chunksize=64))
    print(f"images: {args.n}, {sum(sizes) / 2**20:.0f} MiB, mean {np.mean(sizes) / 1024:.0f} KiB "
          f"(min {min(sizes) / 1024:.0f}, max {max(sizes) / 1024:.0f}); ready in {time.perf_counter() - t0:.0f} s")
    shutil.rmtree(args.out, ignore_errors=True)
    import dataset

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu0 = _cpu()
    t0 = time.perf_counter()
    summary = dataset.build_dataset(pairs(args.n, args.cache), [], dataset.BuildConfig(), args.out, {})
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"build: {wall:.1f} s wall, {_cpu() - cpu0:.1f} s CPU (process + workers), peak RSS "
          f"{peak:.0f} MiB (before build {rss_before:.0f} MiB); load average {os.getloadavg()[0]:.1f}")
    print(f"rows {summary.n_rows} {summary.split_counts}; groups {summary.n_groups}; "
          f"dedupe {summary.dedupe_counts}")
    print(f"seconds per step: {summary.seconds}")
    size = sum(p.stat().st_size for p in args.out.iterdir()) / 2**20
    print(f"output {size:.0f} MiB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
