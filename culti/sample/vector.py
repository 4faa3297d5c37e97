"""Figures and ornaments drawn as PDF vector shapes (PyMuPDF), every shape inside its box."""

from __future__ import annotations

import io
import math

import numpy as np
import pymupdf
from PIL import Image, ImageDraw

from culti.sample.attributes import (
    MURAL_GROUNDS,
    MURAL_INKS,
    SILK_GROUNDS,
    SILK_INKS,
    SilkAttrs,
)


def _f(rgb) -> tuple[float, float, float]:
    return tuple(v / 255 for v in rgb)  # type: ignore[return-value]


def _poly(shape: pymupdf.Shape, pts, fill) -> None:
    shape.draw_polyline([pymupdf.Point(x, y) for x, y in pts] + [pymupdf.Point(*pts[0])])
    shape.finish(fill=_f(fill), color=None, closePath=True)


def _disc(shape: pymupdf.Shape, cx, cy, r, fill) -> None:
    shape.draw_circle(pymupdf.Point(cx, cy), r)
    shape.finish(fill=_f(fill), color=None)


def draw_vector_figure(page: pymupdf.Page, rect: pymupdf.Rect, attrs, rng: np.random.Generator) -> None:
    """Given a page, a box and silk or mural attributes, draw the figure there as vector shapes."""
    shape = page.new_shape()
    if isinstance(attrs, SilkAttrs):
        ground, inks = SILK_GROUNDS[attrs.ground], [SILK_INKS[n] for n in attrs.inks]
    else:
        ground, inks = MURAL_GROUNDS[attrs.ground], [MURAL_INKS[n] for n in attrs.inks]
    inks = inks + inks[:1] * (3 - len(inks))
    shape.draw_rect(rect)
    shape.finish(fill=_f(ground), color=None)
    motif = attrs.motif if isinstance(attrs, SilkAttrs) else attrs.subject
    {"tuanke": _roundels, "lozenge": _lozenges, "hex": _hexes, "stripe": _stripes,
     "pavilion": _pavilion, "ceiling": _ceiling}[motif](shape, rect, inks, ground, rng)
    shape.commit()


def _cells(rect: pymupdf.Rect, size: float):
    cols, rows = max(1, int(rect.width / size)), max(1, int(rect.height / size))
    cw, ch = rect.width / cols, rect.height / rows
    for j in range(rows):
        for i in range(cols):
            yield rect.x0 + (i + 0.5) * cw, rect.y0 + (j + 0.5) * ch, min(cw, ch)


def _roundels(shape, rect, inks, ground, rng) -> None:
    for cx, cy, s in _cells(rect, min(rect.width, rect.height) / 2.5):
        _disc(shape, cx, cy, s * 0.42, inks[0])
        _disc(shape, cx, cy, s * 0.34, ground)
        for k in range(8):
            ang = k * math.pi / 4
            _disc(shape, cx + s * 0.19 * math.cos(ang), cy + s * 0.19 * math.sin(ang), s * 0.1, inks[1])
        _disc(shape, cx, cy, s * 0.09, inks[0])


def _lozenges(shape, rect, inks, ground, rng) -> None:
    for cx, cy, s in _cells(rect, min(rect.width, rect.height) / 3):
        r = s * 0.46
        _poly(shape, [(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], inks[0])
        r2 = s * 0.38
        _poly(shape, [(cx, cy - r2), (cx + r2, cy), (cx, cy + r2), (cx - r2, cy)], ground)
        _disc(shape, cx, cy, s * 0.08, inks[1])


def _hexes(shape, rect, inks, ground, rng) -> None:
    for cx, cy, s in _cells(rect, min(rect.width, rect.height) / 3):
        for r, fill in ((s * 0.48, inks[0]), (s * 0.4, ground)):
            _poly(shape, [(cx + r * math.cos(math.pi / 3 * k), cy + r * math.sin(math.pi / 3 * k)) for k in range(6)], fill)
        _disc(shape, cx, cy, s * 0.1, inks[1])


def _stripes(shape, rect, inks, ground, rng) -> None:
    y, k = rect.y0, 0
    while y < rect.y1 - 1:
        band = min(float(rng.uniform(0.05, 0.12)) * rect.height, rect.y1 - y)
        if k % 2:
            shape.draw_rect(pymupdf.Rect(rect.x0, y, rect.x1, y + band))
            shape.finish(fill=_f(inks[k // 2 % len(inks)]), color=None)
        y, k = y + band, k + 1


def _pavilion(shape, rect, inks, ground, rng) -> None:
    n = max(1, min(3, int(rect.width / rect.height + 0.5)))
    bw = rect.width / n
    for i in range(n):
        cx, base, hgt = rect.x0 + bw * (i + 0.5), rect.y1 - rect.height * 0.06, rect.height * 0.7
        for dx in (-0.3, -0.1, 0.1, 0.3):
            shape.draw_rect(pymupdf.Rect(cx + bw * (dx - 0.025), base - hgt * 0.5, cx + bw * (dx + 0.025), base))
            shape.finish(fill=_f(inks[1]), color=None)
        for lvl in range(2):
            y = base - hgt * (0.5 + 0.3 * lvl)
            _poly(shape, [(cx - bw * 0.45, y), (cx + bw * 0.45, y), (cx + bw * 0.28, y - hgt * 0.2),
                          (cx - bw * 0.28, y - hgt * 0.2)], inks[0])


def _ceiling(shape, rect, inks, ground, rng) -> None:
    cx, cy = (rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2
    s = min(rect.width, rect.height) * 0.46
    for k, scale in enumerate((1.0, 0.78, 0.56)):
        r = s * scale
        shape.draw_rect(pymupdf.Rect(cx - r, cy - r, cx + r, cy + r))
        shape.finish(fill=_f(inks[0] if k % 2 == 0 else ground), color=None)
    for k in range(8):
        ang = k * math.pi / 4
        _disc(shape, cx + s * 0.25 * math.cos(ang), cy + s * 0.25 * math.sin(ang), s * 0.12, inks[1])
    _disc(shape, cx, cy, s * 0.14, inks[0])


def draw_lotus_ornament(page: pymupdf.Page, rect: pymupdf.Rect, colour=(150, 60, 40)) -> None:
    """A small lotus roundel flourish (a decoration, not a figure) inside `rect`."""
    shape = page.new_shape()
    cx, cy = (rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2
    r = min(rect.width, rect.height) / 2
    for k in range(8):
        ang = k * math.pi / 4
        px, py = cx + r * 0.6 * math.cos(ang), cy + r * 0.6 * math.sin(ang)
        shape.draw_circle(pymupdf.Point(px, py), r * 0.38)
        shape.finish(fill=_f(colour), color=None, fill_opacity=0.55)
    _disc(shape, cx, cy, r * 0.32, (250, 246, 236))
    _disc(shape, cx, cy, r * 0.18, colour)
    shape.commit()


def logo_png(size: int = 64) -> bytes:
    """A tiny red seal logo (the publisher's mark, repeated on pages: an ornament, not a figure)."""
    img = Image.new("RGB", (size, size), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.rectangle((2, 2, size - 3, size - 3), fill=(178, 34, 34))
    m = size // 5
    d.rectangle((m, m, size - m, size - m), outline=(255, 255, 255), width=3)
    d.line((size // 2, m, size // 2, size - m), fill=(255, 255, 255), width=3)
    d.line((m, size // 2, size - m, size // 2), fill=(255, 255, 255), width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
