"""Pairs with real generated images for the dataset tests (PIL + numpy, seeded)."""

from __future__ import annotations

import hashlib
import io

import numpy as np
from PIL import Image, ImageDraw

from culti.records import Domain, Figure, FigureOrigin, Pair, TextOrigin

WORDS = list("团窠对鸟纹联珠鹿宝相花卉忍冬卷草云气龙凤飞天菩萨莲花藻井供养人经变说法图佛光背屏")


def picture(seed: int, width: int = 360, height: int = 270) -> Image.Image:
    """A distinct picture per seed: coloured ground, random shapes, noise."""
    rng = np.random.default_rng(seed)
    ground = tuple(int(v) for v in rng.integers(60, 220, 3))
    img = Image.new("RGB", (width, height), ground)
    d = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(14, 24))):
        x, y = float(rng.uniform(0, width)), float(rng.uniform(0, height))
        r = float(rng.uniform(10, 60))
        fill = tuple(int(v) for v in rng.integers(0, 256, 3))
        box = [x - r, y - r * float(rng.uniform(0.4, 1.2)), x + r, y + r]
        (d.ellipse if rng.random() < 0.5 else d.rectangle)(box, fill=fill)
    arr = np.asarray(img, np.int16) + rng.integers(-6, 7, (height, width, 1))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def encode(img: Image.Image, fmt: str = "JPEG", quality: int = 88) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **({"quality": quality} if fmt == "JPEG" else {}))
    return buf.getvalue()


def rescan(img: Image.Image, seed: int) -> Image.Image:
    """The picture as a scan: rotated 0.5 deg, enlarged, brighter, noisy."""
    rng = np.random.default_rng(seed)
    out = img.rotate(0.5, resample=Image.Resampling.BICUBIC, fillcolor=(245, 242, 235))
    out = out.resize((int(out.width * 1.4), int(out.height * 1.4)), Image.Resampling.BICUBIC)
    arr = np.asarray(out, np.float32) * 0.93 + 14 + rng.normal(0, 5, (out.height, out.width, 3))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def text(seed: int, n: int = 60) -> str:
    rng = np.random.default_rng(seed + 10_000)
    return "".join(WORDS[int(i)] for i in rng.integers(0, len(WORDS), n)) + "。"


def make_pair(seed: int, image: bytes, *, book: str = "silk-a.pdf", page: int = 1, index: int = 0,
              domain: Domain = Domain.SILK, desc: str | None = None, fmt: str = "jpeg",
              origin: TextOrigin = TextOrigin.PDF, confidence: float = 0.9,
              group_hint: str | None = None) -> Pair:
    sha = hashlib.sha256(book.encode()).hexdigest()
    with Image.open(io.BytesIO(image)) as im:
        w, h = im.size
    fig = Figure(source=book, source_sha256=sha, page=page, index=index,
                 bbox_pt=(50.0, 60.0, 300.0, 260.0), image=image, image_format=fmt, width=w, height=h,
                 origin=FigureOrigin.EMBEDDED)
    label = f"图{page}-{index + 1}"
    title = f"纹样{seed}"
    return Pair(figure=fig, caption=f"{label}  {title}", label=label, title=title,
                text=desc if desc is not None else text(seed), text_origin=origin, domain=domain,
                confidence=confidence, keywords=("纹样",), group_hint=group_hint)


def distinct_pairs(n: int, start: int = 0, books: int = 4, per_page: int = 2) -> list[Pair]:
    """n distinct pairs over `books` books (half silk, half mural), `per_page` figures a page."""
    out = []
    for k in range(n):
        seed = start + k
        b = k % books
        domain = Domain.SILK if b % 2 == 0 else Domain.MURAL
        local = k // books
        out.append(make_pair(seed, encode(picture(seed)), book=f"{domain.value}-{b}.pdf",
                             page=1 + local // per_page, index=local % per_page, domain=domain))
    return out
