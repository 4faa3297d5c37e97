"""Mural-like pictures drawn with PIL + numpy from MuralAttrs: figures, halos, buildings, flaking."""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw

from culti.sample.attributes import MURAL_GROUNDS, MURAL_INKS, MuralAttrs

SKIN = (226, 188, 150)
PLASTER = (222, 210, 184)


def _circle(d, cx, cy, r, fill, outline=None, width=1) -> None:
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill, outline=outline, width=width)


def _standing(d, cx, base, hgt, halo, robe, detail) -> None:
    """A standing bodhisattva: head halo, crown, long robe, a scarf across the body."""
    head = hgt * 0.09
    hy = base - hgt + head * 1.6
    _circle(d, cx, hy, head * 2.3, halo)
    _circle(d, cx, hy, head * 2.3 * 0.8, None, outline=detail, width=max(1, int(head * 0.15)))
    _circle(d, cx, hy, head, SKIN)
    d.polygon([(cx - head, hy - head * 0.7), (cx - head * 0.6, hy - head * 1.8), (cx, hy - head * 1.1),
               (cx + head * 0.6, hy - head * 1.8), (cx + head, hy - head * 0.7)], fill=detail)
    top = hy + head
    d.polygon([(cx - head * 1.4, top), (cx + head * 1.4, top), (cx + head * 2.0, base), (cx - head * 2.0, base)], fill=robe)
    d.line([(cx - head * 2.2, top + hgt * 0.1), (cx + head * 1.2, top + hgt * 0.35), (cx - head * 1.8, base - hgt * 0.15)],
           fill=detail, width=max(2, int(head * 0.35)))


def _flying(d, cx, cy, s, halo, robe, detail, facing: int) -> None:
    """A flying apsara: a body slanted across, a small halo and long ribbons trailing behind."""
    hx = cx + facing * s * 0.45
    for k in range(3):
        pts = [(cx - facing * s * (0.1 + t), cy + s * 0.1 * k + s * 0.12 * math.sin(t * 7 + k)) for t in np.linspace(0, 0.9, 12)]
        d.line(pts, fill=detail, width=max(2, int(s * 0.045)))
    d.polygon([(hx - facing * s * 0.1, cy - s * 0.05), (hx - facing * s * 0.1, cy + s * 0.08),
               (cx - facing * s * 0.45, cy + s * 0.2), (cx - facing * s * 0.5, cy + s * 0.08)], fill=robe)
    _circle(d, hx, cy - s * 0.02, s * 0.13, halo)
    _circle(d, hx, cy - s * 0.02, s * 0.07, SKIN)


def _buddha(d, w, h, halo, robe, detail) -> None:
    cx, base = w / 2, h * 0.88
    s = min(w, h * 0.9)
    d.ellipse((cx - s * 0.34, base - s * 0.92, cx + s * 0.34, base - s * 0.05), fill=halo)
    _circle(d, cx, base - s * 0.66, s * 0.15, detail)
    _circle(d, cx, base - s * 0.66, s * 0.08, SKIN)
    d.polygon([(cx - s * 0.09, base - s * 0.57), (cx + s * 0.09, base - s * 0.57), (cx + s * 0.26, base - s * 0.18),
               (cx - s * 0.26, base - s * 0.18)], fill=robe)
    for k in range(7):  # lotus pedestal petals
        x = cx - s * 0.3 + k * s * 0.1
        d.ellipse((x - s * 0.06, base - s * 0.2, x + s * 0.06, base), fill=detail)


def _pavilion(d, w, h, c_roof, c_col, n) -> None:
    bw = w / (n + 0.6)
    for i in range(n):
        cx = bw * (i + 0.8)
        hgt = h * (0.55 if i % 2 == 0 else 0.42)
        base = h * 0.9
        d.rectangle((cx - bw * 0.38, base - h * 0.04, cx + bw * 0.38, base), fill=c_col)
        for dx in (-0.3, -0.1, 0.1, 0.3):
            d.rectangle((cx + bw * dx - bw * 0.025, base - hgt * 0.55, cx + bw * dx + bw * 0.025, base), fill=c_col)
        for lvl in range(2):
            y = base - hgt * (0.55 + 0.3 * lvl)
            d.polygon([(cx - bw * 0.5, y), (cx + bw * 0.5, y), (cx + bw * 0.3, y - hgt * 0.2), (cx - bw * 0.3, y - hgt * 0.2)], fill=c_roof)


def _ceiling(d, w, h, c_frame, c_lotus, ground) -> None:
    cx, cy = w / 2, h / 2
    s = min(w, h) * 0.46
    for k, scale in enumerate((1.0, 0.78, 0.56)):
        r = s * scale
        fill = c_frame if k % 2 == 0 else ground
        d.rectangle((cx - r, cy - r, cx + r, cy + r), fill=fill)
    r = s * 0.5
    d.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=ground)
    for k in range(8):
        ang = k * math.pi / 4
        px, py = cx + s * 0.25 * math.cos(ang), cy + s * 0.25 * math.sin(ang)
        d.ellipse((px - s * 0.12, py - s * 0.12, px + s * 0.12, py + s * 0.12), fill=c_lotus)
    _circle(d, cx, cy, s * 0.14, c_frame)


def _donors(d, w, h, n, robe, tablet) -> None:
    step = w / (n + 1)
    for i in range(n):
        cx, base = step * (i + 1), h * 0.92
        hgt = h * 0.55
        head = hgt * 0.1
        _circle(d, cx, base - hgt + head, head, SKIN)
        d.polygon([(cx - head, base - hgt + head * 2), (cx + head, base - hgt + head * 2), (cx + head * 1.8, base),
                   (cx - head * 1.8, base)], fill=robe)
        d.rectangle((cx + head * 2.2, base - hgt, cx + head * 3.0, base - hgt * 0.45), fill=tablet)


def _figures(d, a: MuralAttrs, w, h, inks, ground) -> None:
    halo, robe, detail = inks
    if a.subject == "bodhisattva":
        for i in range(a.count if a.count < 3 else 4):
            n = a.count if a.count < 3 else 4
            _standing(d, w * (i + 0.5) / n, h * 0.95, h * 0.85, halo, robe, detail)
    elif a.subject == "apsara":
        n = a.count if a.count < 3 else 3
        for i in range(n):
            facing = 1 if (i % 2 == 0 or a.count == 1) else -1
            cy = h * (0.5 if n == 1 else 0.3 + 0.4 * (i % 2))
            _flying(d, w * (i + 0.5) / n, cy, min(w / n, h) * 0.9, halo, robe, detail, facing if a.count != 2 else (1 - 2 * i))
    elif a.subject == "buddha":
        _buddha(d, w, h, halo, robe, detail)
    elif a.subject == "donors":
        _donors(d, w, h, {1: 1, 2: 2, 3: 5}[a.count], robe, halo)
    elif a.subject == "pavilion":
        _pavilion(d, w, h, halo, robe, max(1, min(3, int(w / h + 0.5))))
    elif a.subject == "ceiling":
        _ceiling(d, w, h, halo, robe, ground)


def _scatter(d, kind, w, h, rng) -> None:
    for _ in range(int(w * h / 9000) + 4):
        x, y = rng.uniform(0, w), rng.uniform(0, h * 0.45)
        if kind == "clouds":
            for dx in (-8, 0, 8):
                _circle(d, x + dx, y + abs(dx) * 0.3, 6, None, outline=(240, 234, 216), width=2)
        else:
            for k in range(4):
                ang = k * math.pi / 2
                _circle(d, x + 4 * math.cos(ang), y + 4 * math.sin(ang), 3, (236, 120, 110))


def _age(img: np.ndarray, a: MuralAttrs, rng: np.random.Generator) -> np.ndarray:
    """Flaking (pale plaster showing through), cracks, mottled light and noise."""
    h, w = img.shape[:2]
    field = cv2.resize(rng.random((9, 9)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    fine = cv2.resize(rng.random((h // 8 + 1, w // 8 + 1)).astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    score = field * 0.7 + fine * 0.3
    share = 0.22 if a.flaking == "heavy" else 0.04
    mask = score > np.quantile(score[::4, ::4], 1 - share)
    out = img.astype(np.int16)
    out[mask] = PLASTER
    if a.cracks:
        for _ in range(int(rng.integers(3, 7))):
            pts = np.cumsum(rng.normal(0, 1, (40, 2)) * [6, 6] + [rng.uniform(-6, 6), rng.uniform(2, 8)], 0)
            pts += [rng.uniform(0, w), rng.uniform(-h * 0.2, h * 0.5)]
            cv2.polylines(out, [pts.astype(np.int32)], False, (60, 50, 42), 2)
    out += ((field - 0.5) * 30).astype(np.int16)[..., None]
    out += rng.integers(-8, 9, (h, w, 1), dtype=np.int16)
    return np.clip(out, 0, 255).astype(np.uint8)


def draw_mural(a: MuralAttrs, width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """Given mural attributes and a pixel size, return an RGB array."""
    ground = MURAL_GROUNDS[a.ground]
    inks = [MURAL_INKS[n] for n in a.inks]
    img = Image.new("RGB", (width, height), ground)
    d = ImageDraw.Draw(img)
    if a.secondary:
        _scatter(d, a.secondary, width, height, rng)
    _figures(d, a, width, height, inks, ground)
    arr = _age(np.asarray(img), a, rng)
    if not a.fragment:
        return arr
    from culti.sample.motifs import fragment_mask

    return np.dstack([arr, fragment_mask(width, height, rng)])
