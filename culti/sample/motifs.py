"""Silk-pattern pictures drawn with PIL + numpy from SilkAttrs: motif, arrangement, colours, weave."""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw

from culti.sample.attributes import SILK_GROUNDS, SILK_INKS, SPOT_MOTIFS, SilkAttrs

RGB = tuple[int, int, int]


def _lighten(c: RGB, k: float) -> RGB:
    return tuple(int(v + (255 - v) * k) for v in c)  # type: ignore[return-value]


def _inks(a: SilkAttrs) -> list[RGB]:
    if a.material == "绫":  # tone on tone: the pattern is the ground, lighter
        base = SILK_GROUNDS[a.ground]
        return [_lighten(base, 0.35), _lighten(base, 0.2), _lighten(base, 0.5)]
    inks = [SILK_INKS[n] for n in a.inks]
    while len(inks) < 3:
        inks.append(inks[len(inks) % len(a.inks)])
    return inks


def _petals(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float, n: int, fill: RGB, pr: float) -> None:
    for k in range(n):
        ang = 2 * math.pi * k / n
        px, py = cx + r * math.cos(ang), cy + r * math.sin(ang)
        d.ellipse((px - pr, py - pr, px + pr, py + pr), fill=fill)


def _rosette(d, cx, cy, r, inks, ground) -> None:
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=inks[0])
    d.ellipse((cx - r * 0.82, cy - r * 0.82, cx + r * 0.82, cy + r * 0.82), fill=ground)
    _petals(d, cx, cy, r * 0.45, 8, inks[1], r * 0.24)
    d.ellipse((cx - r * 0.22, cy - r * 0.22, cx + r * 0.22, cy + r * 0.22), fill=inks[0])


def _bird(d, cx, cy, s, fill, facing: int) -> None:
    """A standing bird seen from the side, `facing` +1 right or -1 left."""
    d.ellipse((cx - s * 0.5, cy - s * 0.25, cx + s * 0.5, cy + s * 0.3), fill=fill)
    hx = cx + facing * s * 0.45
    d.ellipse((hx - s * 0.16, cy - s * 0.62, hx + s * 0.16, cy - s * 0.3), fill=fill)
    d.line((hx, cy - s * 0.3, cx + facing * s * 0.3, cy), fill=fill, width=max(2, int(s * 0.14)))
    d.polygon([(hx + facing * s * 0.14, cy - s * 0.5), (hx + facing * s * 0.34, cy - s * 0.44),
               (hx + facing * s * 0.14, cy - s * 0.4)], fill=fill)
    tx = cx - facing * s * 0.45
    d.polygon([(tx, cy - s * 0.1), (tx - facing * s * 0.45, cy - s * 0.5), (tx - facing * s * 0.35, cy + s * 0.2)], fill=fill)
    for dx in (-0.12, 0.12):
        d.line((cx + dx * s, cy + s * 0.25, cx + dx * s, cy + s * 0.62), fill=fill, width=max(1, int(s * 0.06)))


def _deer(d, cx, cy, s, fill, facing: int) -> None:
    """A leaping deer: long body, four legs, branched antlers."""
    w = max(2, int(s * 0.08))
    d.ellipse((cx - s * 0.5, cy - s * 0.18, cx + s * 0.45, cy + s * 0.2), fill=fill)
    nx = cx + facing * s * 0.38
    d.line((nx, cy - s * 0.05, nx + facing * s * 0.18, cy - s * 0.42), fill=fill, width=w * 2)
    hx = nx + facing * s * 0.22
    d.ellipse((hx - s * 0.13, cy - s * 0.52, hx + s * 0.13, cy - s * 0.36), fill=fill)
    for k in (-1, 1):  # antlers
        bx = hx + k * s * 0.05
        d.line((bx, cy - s * 0.5, bx + k * s * 0.1, cy - s * 0.8), fill=fill, width=w)
        d.line((bx + k * s * 0.05, cy - s * 0.65, bx + k * s * 0.2, cy - s * 0.7), fill=fill, width=w)
    for dx, lean in ((-0.38, -0.2), (-0.25, -0.1), (0.2, 0.1), (0.32, 0.22)):
        x = cx + facing * dx * s
        d.line((x, cy + s * 0.1, x + facing * lean * s, cy + s * 0.55), fill=fill, width=w)


def _spray(d, cx, cy, s, inks, flip: int) -> None:
    pts = [(cx - flip * s * 0.35 + flip * s * 0.7 * t, cy + s * 0.4 - s * 0.8 * t + math.sin(t * 3) * s * 0.08)
           for t in np.linspace(0, 1, 8)]
    d.line(pts, fill=inks[1], width=max(2, int(s * 0.05)))
    for t, side in ((0.35, 1), (0.6, -1)):
        x, y = pts[int(t * 7)]
        xa, xb = sorted((x + side * s * 0.02, x + side * s * 0.28))
        d.ellipse((xa, y - s * 0.07, xb, y + s * 0.07), fill=inks[1])
    fx, fy = pts[-1]
    _petals(d, fx, fy, s * 0.13, 5, inks[0], s * 0.11)
    d.ellipse((fx - s * 0.06, fy - s * 0.06, fx + s * 0.06, fy + s * 0.06), fill=inks[2])


def _cloud(d, cx, cy, s, inks, ground) -> None:
    """A ruyi cloud head: three lobes with curled inner rings and a trailing tail."""
    for dx, dy, r in ((-0.22, 0.05, 0.2), (0.22, 0.05, 0.2), (0.0, -0.12, 0.24)):
        x, y, rr = cx + dx * s, cy + dy * s, r * s
        d.ellipse((x - rr, y - rr, x + rr, y + rr), fill=inks[0])
        d.ellipse((x - rr * 0.55, y - rr * 0.55, x + rr * 0.55, y + rr * 0.55), fill=ground)
        d.ellipse((x - rr * 0.3, y - rr * 0.3, x + rr * 0.3, y + rr * 0.3), fill=inks[1])
    tail = [(cx + s * (0.2 + 0.25 * t), cy + s * (0.22 + 0.1 * math.sin(t * 6))) for t in np.linspace(0, 1, 6)]
    d.line(tail, fill=inks[0], width=max(2, int(s * 0.07)))


def _spot(d, kind, cx, cy, s, inks, ground, flip) -> None:
    if kind == "tuanke":
        _rosette(d, cx, cy, s * 0.42, inks, ground)
    elif kind in ("birds", "deer"):
        r = s * 0.46
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=inks[0])
        d.ellipse((cx - r * 0.86, cy - r * 0.86, cx + r * 0.86, cy + r * 0.86), fill=ground)
        if kind == "birds":
            _petals(d, cx, cy, r * 0.93, 20, inks[1], r * 0.045)
            _bird(d, cx - r * 0.36, cy + r * 0.05, r * 0.62, inks[0], 1)
            _bird(d, cx + r * 0.36, cy + r * 0.05, r * 0.62, inks[0], -1)
            d.line((cx, cy - r * 0.5, cx, cy + r * 0.6), fill=inks[1], width=max(2, int(r * 0.06)))
        else:
            d.ellipse((cx - r * 0.78, cy - r * 0.78, cx + r * 0.78, cy + r * 0.78), outline=inks[1], width=max(2, int(r * 0.05)))
            _deer(d, cx - r * 0.3, cy + r * 0.1, r * 0.55, inks[0], 1)
            _deer(d, cx + r * 0.3, cy + r * 0.1, r * 0.55, inks[0], -1)
    elif kind == "spray":
        _spray(d, cx, cy, s * 0.8, inks, flip)
    elif kind == "cloud":
        _cloud(d, cx, cy, s * 0.75, inks, ground)


def _secondary(d, kind, cx, cy, s, inks) -> None:
    if kind == "cross":
        r = s * 0.07
        _petals(d, cx, cy, r, 4, inks[1], r * 0.75)
    elif kind == "dots":
        r = s * 0.05
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=inks[-1])
    elif kind == "scroll":
        r = s * 0.09
        d.arc((cx - r, cy - r, cx + r, cy + r), 180, 450, fill=inks[1], width=max(2, int(s * 0.025)))
        d.arc((cx, cy - r * 0.5, cx + r, cy + r * 0.5), 0, 270, fill=inks[1], width=max(2, int(s * 0.025)))


def _spots(d, a: SilkAttrs, w, h, s, inks, ground, rng) -> None:
    band = a.arrangement == "band"
    row_h = s * (1.35 if band else 1.0)
    rows = int(h / row_h) + 2
    cols = int(w / s) + 2
    y0 = rng.uniform(-0.3, 0.3) * s
    for j in range(rows):
        cy = y0 + (j + 0.5) * row_h
        if band:  # a patterned band between the rows
            by = cy + row_h * 0.5
            d.rectangle((0, by - s * 0.12, w, by + s * 0.12), fill=inks[1])
            for i in range(cols * 3):
                x = (i + 0.5) * s / 3
                d.ellipse((x - s * 0.05, by - s * 0.05, x + s * 0.05, by + s * 0.05), fill=ground)
        offset = s / 2 if (a.arrangement == "stagger" and j % 2) else 0
        for i in range(-1, cols):
            cx = (i + 0.5) * s + offset
            _spot(d, a.motif, cx, cy, s, inks, ground, 1 if (i + j) % 2 else -1)
            if a.secondary and not band:
                _secondary(d, a.secondary, cx + s / 2, cy + s / 2, s, inks)
            elif a.secondary:
                _secondary(d, a.secondary, cx + s / 2, cy, s, inks)


def _vine(d, w, h, s, inks, rng) -> None:
    lw = max(3, int(s * 0.05))
    for j in range(int(h / s) + 2):
        y = (j + 0.5) * s
        phase = j * math.pi
        pts = [(x, y + s * 0.25 * math.sin(2 * math.pi * x / s + phase)) for x in np.linspace(-s, w + s, 80)]
        d.line(pts, fill=inks[1], width=lw)
        for i in range(int(w / s) + 2):
            x = i * s + s * 0.25
            yy = y + s * 0.25 * math.sin(2 * math.pi * x / s + phase)
            up = -1 if math.sin(2 * math.pi * x / s + phase) > 0 else 1
            ya, yb = sorted((yy + up * s * 0.06, yy + up * s * 0.18))
            d.ellipse((x - s * 0.05, ya, x + s * 0.22, yb), fill=inks[1])
            fx = x + s * 0.5
            fy = y + s * 0.25 * math.sin(2 * math.pi * fx / s + phase)
            _petals(d, fx, fy, s * 0.12, 6, inks[0], s * 0.1)
            d.ellipse((fx - s * 0.06, fy - s * 0.06, fx + s * 0.06, fy + s * 0.06), fill=inks[2])


def _lozenge(d, w, h, s, inks, secondary) -> None:
    lw = max(3, int(s * 0.06))
    span = w + h
    for k in range(-int(span / s) - 2, int(span / s) + 2):
        x = k * s
        d.line((x, 0, x + h, h), fill=inks[0], width=lw)
        d.line((x, h, x + h, 0), fill=inks[0], width=lw)
    for j in range(int(h / s * 2) + 2):
        for i in range(int(w / s) + 2):
            cx = i * s + (s / 2 if j % 2 else 0)
            cy = j * s / 2
            cx, cy = cx + s / 2, cy
            _petals(d, cx, cy, s * 0.08, 4, inks[1], s * 0.07)
            if secondary == "dots":
                d.ellipse((cx - s * 0.04, cy - s * 0.04, cx + s * 0.04, cy + s * 0.04), fill=inks[-1])


def _hex(d, w, h, s, inks) -> None:
    r = s * 0.5
    dx, dy = 1.5 * r, math.sqrt(3) * r
    lw = max(3, int(s * 0.06))
    for i in range(int(w / dx) + 2):
        for j in range(int(h / dy) + 2):
            cx, cy = i * dx, j * dy + (dy / 2 if i % 2 else 0)
            pts = [(cx + r * math.cos(math.pi / 3 * k), cy + r * math.sin(math.pi / 3 * k)) for k in range(7)]
            d.line(pts, fill=inks[0], width=lw)
            d.ellipse((cx - r * 0.22, cy - r * 0.22, cx + r * 0.22, cy + r * 0.22), fill=inks[1])


def _stripes(d, w, h, inks, ground, rng) -> None:
    y, k = 0.0, 0
    colours = [c for ink in inks for c in (ground, ink)]  # ground alternates with every ink
    while y < h:
        band = float(rng.uniform(0.04, 0.12)) * h
        d.rectangle((0, y, w, y + band), fill=colours[k % len(colours)])
        d.rectangle((0, y + band - max(2, band * 0.1), w, y + band), fill=inks[0])
        y, k = y + band, k + 1


def weave(img: np.ndarray, rng: np.random.Generator, strength: float = 1.0) -> np.ndarray:
    """Given an RGB picture, return it with woven texture, uneven light and noise (cheap numpy)."""
    h, w = img.shape[:2]
    out = img.astype(np.int16)
    yy = (np.arange(h) % 3 == 0)[:, None] * -9 + (np.arange(w) % 2 == 0)[None, :] * 5
    light = cv2.resize(rng.uniform(-14, 10, (4, 4)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    out += (yy * strength).astype(np.int16)[..., None] + light.astype(np.int16)[..., None]
    out += rng.integers(-7, 8, (h, w, 1), dtype=np.int16)
    return np.clip(out, 0, 255).astype(np.uint8)


def draw_silk(a: SilkAttrs, width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """Given silk attributes and a pixel size, return an RGB (or RGBA for fragments) array."""
    ground = SILK_GROUNDS[a.ground]
    inks = _inks(a)
    img = Image.new("RGB", (width, height), ground)
    d = ImageDraw.Draw(img)
    s = float(np.clip(min(width, height) / rng.uniform(2.2, 4.0), 70, 220))
    if a.motif in SPOT_MOTIFS:
        _spots(d, a, width, height, s, inks, ground, rng)
    elif a.motif == "vine":
        _vine(d, width, height, s, inks, rng)
    elif a.motif == "lozenge":
        _lozenge(d, width, height, s * 0.8, inks, a.secondary)
    elif a.motif == "hex":
        _hex(d, width, height, s * 0.8, inks)
    elif a.motif == "stripe":
        _stripes(d, width, height, inks, ground, rng)
    arr = weave(np.asarray(img), rng)
    if not a.fragment:
        return arr
    return np.dstack([arr, fragment_mask(width, height, rng)])


def fragment_mask(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """An alpha mask of a torn piece: an irregular blob, opaque inside, clear outside."""
    ang = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    radius = 1 - np.abs(rng.normal(0, 0.06, ang.size))
    radius = np.clip(np.convolve(np.r_[radius, radius[:2]], np.ones(3) / 3, "valid"), 0.78, 1.0)
    pts = np.stack([width / 2 + np.cos(ang) * radius * width * 0.62, height / 2 + np.sin(ang) * radius * height * 0.62], 1)
    pts = np.clip(pts, 0, [width - 1, height - 1])
    mask = np.zeros((height, width), np.uint8)
    cv2.fillPoly(mask, [pts.astype(np.int32)], 255)
    return mask
