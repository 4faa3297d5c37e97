"""Benchmark of dataset.dedupe at scale: seconds, peak memory and growth exponent; all-pairs check.

Synthetic rows: small generated pictures (PNG, 64-96 px) through the real ingest (thumbnail, pHash,
dHash), every 40th a re-scan of the row before it (rotated, enlarged, brighter, noisy) with its
description slightly changed, every 97th a heavy scan (blurred, toned, noisy). Features are cached
(not timed). Each size runs in its own process, so each peak RSS is that run's own.

    .venv/bin/python benchmarks/bench_dedupe.py --sizes 10000 100000 --hashes 1000000 --brute 10000
    .venv/bin/python benchmarks/bench_dedupe.py --sample data/sample     # indexed == all pairs?

--hashes N: the hash part alone on N rows (band index + Hamming check, no thumbnails).
--brute N: the all-pairs search (the test oracle) on N synthetic rows: time and identical pairs.
--sample DIR: the sample books' figures cut at the truth boxes (as bench_dataset_sample.py): the
indexed and the all-pairs decisions compared.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import math
import pickle
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from culti.records import Domain, Figure, FigureOrigin, Pair, TextOrigin  # noqa: E402
from dataset import dedupe as dd  # noqa: E402
from dataset.candidates import MAX_BUCKET, band_pairs, unique_pairs  # noqa: E402
from dataset.config import BuildConfig  # noqa: E402
from dataset.features import hamming  # noqa: E402
from dataset.rows import Ingested, ingest  # noqa: E402
from dataset.spool import ImageSpool  # noqa: E402

CACHE = Path("/tmp/culti-bench-dedupe")
PER_BOOK, PER_PAGE = 250, 2
WORDS = list("团窠对鸟纹联珠鹿宝相花卉忍冬卷草云气龙凤飞天菩萨莲花藻井供养人经变说法图佛光背屏"
             "红黄蓝绿褐金银白黑青紫地色织锦绫罗绢刺绣唐宋元明清敦煌莫高窟壁画北壁南壁东西")


def _picture(i: int) -> Image.Image:
    rng = np.random.default_rng(i)
    w, h = int(rng.choice([64, 72, 80, 96])), int(rng.choice([48, 56, 64]))
    img = Image.new("RGB", (w, h), tuple(int(v) for v in rng.integers(40, 220, 3)))
    d = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(6, 14))):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(3, 20)
        fill = tuple(int(v) for v in rng.integers(0, 256, 3))
        (d.ellipse if rng.random() < 0.5 else d.rectangle)([x - r, y - r * 0.7, x + r, y + r], fill=fill)
    return img


def _noisy(img: Image.Image, rng, gain: float, offset: float, sigma: float) -> Image.Image:
    arr = np.asarray(img, np.float32) * gain + offset + rng.normal(0, sigma, (img.height, img.width, 3))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _image(i: int) -> bytes:
    rng = np.random.default_rng(i + 7)
    if i % 40 == 39:  # re-scan of i - 1
        src = _picture(i - 1).rotate(0.5, resample=Image.Resampling.BICUBIC, fillcolor=(240, 238, 230))
        img = _noisy(src.resize((int(src.width * 1.2), int(src.height * 1.2))), rng, 0.93, 14, 4)
    elif i % 97 == 96:  # heavy scan of i - 1: tone, blur
        src = _picture(i - 1).filter(ImageFilter.GaussianBlur(1.2))
        img = _noisy(src.resize((int(src.width * 1.1), int(src.height * 1.1))), rng, 0.7, 50, 8)
    else:
        img = _picture(i)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _text(i: int) -> str:
    base = i - 1 if i % 40 == 39 else i
    rng = np.random.default_rng(base + 10**6)
    words = [WORDS[int(k)] for k in rng.integers(0, len(WORDS), int(rng.integers(40, 120)))]
    if base != i:
        words[len(words) // 2] = "纹"  # an OCR slip
    return "".join(words) + "。"


def _pair(i: int, data: bytes) -> Pair:
    book, local = divmod(i, PER_BOOK)
    domain = Domain.SILK if book % 2 == 0 else Domain.MURAL
    source = f"{domain.value}-{book:04d}.pdf"
    with Image.open(io.BytesIO(data)) as im:
        w, h = im.size
    fig = Figure(source=source, source_sha256=hashlib.sha256(source.encode()).hexdigest(),
                 page=1 + local // PER_PAGE, index=local % PER_PAGE, bbox_pt=(50.0, 60.0, 500.0, 400.0),
                 image=data, image_format="png", width=w, height=h, origin=FigureOrigin.EMBEDDED)
    label = f"图{book}-{local + 1}"
    return Pair(figure=fig, caption=f"{label}  纹样{i}", label=label, title=f"纹样{i}", text=_text(i),
                text_origin=TextOrigin.OCR if i % 40 == 39 else TextOrigin.PDF, domain=domain,
                confidence=0.9)


class _Reader:
    """The cached spool file, read like an ImageSpool."""

    def __init__(self, path: Path) -> None:
        self._fh = open(path, "rb")  # noqa: SIM115 - lives as long as the benchmark process

    def get(self, offset: int, length: int) -> bytes:
        self._fh.seek(offset)
        return self._fh.read(length)


def _images(bounds: tuple[int, int]) -> list[bytes]:
    return [_image(i) for i in range(*bounds)]


def synthetic(n: int) -> tuple[Ingested, _Reader]:
    """Return n ingested synthetic rows and their spool, built once into the cache."""
    folder = CACHE / f"n{n}"
    done = folder / "ingested.pkl"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        spool, grays = ImageSpool(folder / "images.spool"), ImageSpool(folder / "grays.spool")
        chunks = [(s, min(n, s + 2000)) for s in range(0, n, 2000)]
        with ProcessPoolExecutor(2) as pool:
            images = (data for chunk in pool.map(_images, chunks) for data in chunk)
            data = ingest((_pair(i, img) for i, img in enumerate(images)), spool, grays, workers=2)
        data.hists, data.grays = [], []  # dedupe reads neither
        (folder / "ingested.tmp").write_bytes(pickle.dumps(data, protocol=5))
        (folder / "ingested.tmp").rename(done)
        spool._fh.close()  # keep the file: it is the cache
        grays.close()
        print(f"  (features of {n} rows cached in {time.perf_counter() - t0:.0f} s)", flush=True)
    return pickle.loads(done.read_bytes()), _Reader(folder / "images.spool")


def _cpu_s() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_dedupe(n: int) -> dict:
    data, spool = synthetic(n)
    before = _rss_mib()
    thumbs = np.stack(data.thumbs)
    ph, dh = np.array(data.phash, np.uint64), np.array(data.dhash, np.uint64)
    config = BuildConfig()
    t0, c0 = time.perf_counter(), _cpu_s()
    pairs = dd.near_pairs(thumbs, ph, dh, config)
    t_img, c_img = time.perf_counter() - t0, _cpu_s() - c0
    del thumbs
    t0, c0 = time.perf_counter(), _cpu_s()
    out = dd.dedupe(data, spool, config)
    t_all, c_all = time.perf_counter() - t0, _cpu_s() - c0
    return {"n": n, "image_s": t_img, "dedupe_s": t_all, "image_cpu": c_img, "dedupe_cpu": c_all, "peak_mib": _rss_mib(), "before_mib": before,
            "pairs": len(pairs), "dropped": len(out.rejects), "group_edges": len(out.group_edges)}


def run_hashes(n: int, max_bucket: int = MAX_BUCKET) -> dict:
    """Band index + Hamming check on n hash pairs: pHash/dHash of real pictures repeated with flipped
    bits (hashing n pictures would dominate), every 40th a near copy (3 bits off in each hash)."""
    base, _ = synthetic(10_000)
    rng = np.random.default_rng(0)
    src = rng.integers(0, len(base.phash), n)
    ph = np.array(base.phash, np.uint64)[src]
    dh = np.array(base.dhash, np.uint64)[src]
    for h, flips in ((ph, 14), (dh, 14)):  # distinct rows: 14 random bits flipped each
        for _ in range(flips):
            h ^= np.left_shift(np.uint64(1), rng.integers(0, 64, n).astype(np.uint64))
    twin = np.arange(39, n, 40)
    ph[twin], dh[twin] = ph[twin - 1], dh[twin - 1]
    for h in (ph, dh):
        for _ in range(3):
            h[twin] ^= np.left_shift(np.uint64(1), rng.integers(0, 64, len(twin)).astype(np.uint64))
    before = _rss_mib()
    config = BuildConfig()
    t0 = time.perf_counter()
    cand = unique_pairs(np.concatenate([band_pairs(ph, max_bucket=max_bucket),
                                        band_pairs(dh, max_bucket=max_bucket)]), n)
    dp = hamming(ph[cand[:, 0]], ph[cand[:, 1]])
    dd_ = hamming(dh[cand[:, 0]], dh[cand[:, 1]])
    near = int(((dp <= config.hash_phash_threshold) & (dd_ <= config.hash_dhash_threshold)).sum())
    return {"n": n, "max_bucket": max_bucket, "hash_s": time.perf_counter() - t0, "peak_mib": _rss_mib(), "before_mib": before,
            "candidates": len(cand), "near": near, "planted": len(twin)}


def run_brute(n: int) -> dict:
    from tests.dataset_fixtures.brute import brute_near_pairs

    data, _ = synthetic(n)
    thumbs = np.stack(data.thumbs)
    ph, dh = np.array(data.phash, np.uint64), np.array(data.dhash, np.uint64)
    config = BuildConfig()
    before = _rss_mib()
    t0 = time.perf_counter()
    brute = brute_near_pairs(thumbs, ph, dh, config)
    t_brute = time.perf_counter() - t0
    t0 = time.perf_counter()
    indexed = dd.near_pairs(thumbs, ph, dh, config)
    t_index = time.perf_counter() - t0
    return {"n": n, "brute_s": t_brute, "index_s": t_index, "peak_mib": _rss_mib(), "before_mib": before,
            **_compare(brute, indexed)}


def _compare(brute: list, indexed: list) -> dict:
    b, x = {p[:2]: p for p in brute}, {p[:2]: p for p in indexed}
    return {"brute_pairs": len(b), "indexed_pairs": len(x), "missed": sorted(set(b) - set(x)),
            "extra": sorted(set(x) - set(b)),
            "max_cos_diff": max((abs(b[k][2] - x[k][2]) for k in b.keys() & x.keys()), default=0.0)}


def run_sample(folder: Path) -> dict:
    """The sample books' figures: indexed vs all-pairs near pairs and dedupe decisions."""
    import json
    import tempfile

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_dataset_sample import _pairs

    from tests.dataset_fixtures.brute import brute_near_pairs

    truth = json.loads((folder / "truth.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        spool = ImageSpool(Path(tmp) / "spool")
        data = ingest(_pairs(folder, truth, {}), spool, ImageSpool(Path(tmp) / "grays"), workers=2)
        thumbs = np.stack(data.thumbs)
        ph, dh = np.array(data.phash, np.uint64), np.array(data.dhash, np.uint64)
        config = BuildConfig()
        result = {"n": len(data.rows), **_compare(brute_near_pairs(thumbs, ph, dh, config),
                                                  dd.near_pairs(thumbs, ph, dh, config))}
        indexed = dd.dedupe(data, spool, config)
        original, dd.near_pairs = dd.near_pairs, brute_near_pairs
        try:
            brute = dd.dedupe(data, spool, config)
        finally:
            dd.near_pairs = original
        result["same_decisions"] = indexed == brute
        result["dropped"] = len(indexed.rejects)
        spool.close()
    return result


def _child(kind: str, arg: str) -> dict:
    """Run one measurement in a fresh process and return its result."""
    proc = subprocess.run([sys.executable, __file__, "--child", kind, arg], capture_output=True, text=True,
                          check=False)
    if proc.returncode:
        raise SystemExit(proc.stderr)
    for line in proc.stdout.splitlines():
        if line.startswith("  ("):
            print(line, flush=True)
    return eval(proc.stdout.strip().splitlines()[-1])  # noqa: S307 - our own repr of a dict


def _exponent(a: dict, b: dict, key: str) -> float:
    return math.log(b[key] / a[key]) / math.log(b["n"] / a["n"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--hashes", nargs="*", default=[], help="N or N:MAX_BUCKET (hash bands alone)")
    parser.add_argument("--brute", type=int, default=0)
    parser.add_argument("--sample", type=Path)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, arg = args.child
        fn = {"dedupe": run_dedupe, "hashes": run_hashes, "brute": run_brute,
              "cache": lambda n: {"n": n, "rows": len(synthetic(n)[0].rows)}}.get(kind)
        print(repr(fn(*map(int, arg.split(":"))) if fn else run_sample(Path(arg))))
        return 0
    print("machine: 2-core x86_64, 24 GB, no GPU (shared with other jobs; load average "
          f"{open('/proc/loadavg').read().split()[0]})")
    for n in sorted({*args.sizes, *([args.brute] if args.brute else []), *([10_000] if args.hashes else [])}):
        _child("cache", str(n))  # features built in their own process: not in the peaks below
    if args.sample:
        r = _child("sample", str(args.sample))
        print(f"sample set: {r['n']} rows, all-pairs {r['brute_pairs']} near pairs, indexed "
              f"{r['indexed_pairs']}, missed {r['missed']}, extra {r['extra']}, max cosine difference "
              f"{r['max_cos_diff']:.1e}; dedupe decisions identical: {r['same_decisions']} "
              f"({r['dropped']} dropped)")
    if args.brute:
        r = _child("brute", str(args.brute))
        print(f"all pairs vs index, n={r['n']}: {r['brute_s']:.1f} s vs {r['index_s']:.1f} s "
              f"({r['brute_s'] / r['index_s']:.0f}x); pairs {r['brute_pairs']} vs {r['indexed_pairs']}, "
              f"missed {r['missed']}, extra {r['extra']}, max cosine difference {r['max_cos_diff']:.1e}")
    runs = []
    for n in args.sizes:
        r = _child("dedupe", str(n))
        runs.append(r)
        print(f"dedupe n={n}: image pairs {r['image_s']:.1f} s ({r['image_cpu']:.1f} s CPU), whole dedupe "
              f"(images + texts + clusters) {r['dedupe_s']:.1f} s ({r['dedupe_cpu']:.1f} s CPU), peak RSS {r['peak_mib']:.0f} MiB (inputs loaded {r['before_mib']:.0f}"
              f" MiB); {r['pairs']} image pairs, {r['dropped']} dropped, {r['group_edges']} text edges")
    for a, b in zip(runs, runs[1:], strict=False):
        print(f"growth exponent {a['n']} -> {b['n']}: image pairs {_exponent(a, b, 'image_s'):.2f} "
              f"(CPU {_exponent(a, b, 'image_cpu'):.2f}), whole dedupe {_exponent(a, b, 'dedupe_s'):.2f} "
              f"(CPU {_exponent(a, b, 'dedupe_cpu'):.2f})")
    hashed = []
    for n in args.hashes:
        r = _child("hashes", n)
        hashed.append(r)
        print(f"hashes alone n={r['n']} (buckets <= {r['max_bucket']} rows): {r['hash_s']:.1f} s, peak RSS {r['peak_mib']:.0f} MiB (inputs "
              f"{r['before_mib']:.0f} MiB); {r['candidates']} candidates, {r['near']} pairs within the "
              f"hash test ({r['planted']} planted)")
    for a, b in zip(hashed, hashed[1:], strict=False):
        print(f"growth exponent hashes {a['n']} -> {b['n']}: {_exponent(a, b, 'hash_s'):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
