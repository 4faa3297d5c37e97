"""Turn a born-digital sample PDF into a scanned one: each page rendered at the book's dpi, skewed,
blurred, tinted, noised, JPEG-compressed and embedded as the page's only content."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import pymupdf

from culti.sample.writer import FIXED_METADATA

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class PageWarp:
    """The affine map from a digital page's points to where they land on its scan, in points."""

    matrix: tuple[float, float, float, float, float, float]  # a, b, c, d, e, f: x' = ax+by+c, y' = dx+ey+f
    angle_deg: float

    def box(self, bbox: BBox, page_size: tuple[float, float]) -> list[float]:
        """Given a box on the digital page, return the axis-aligned box of its skewed corners."""
        a, b, c, d, e, f = self.matrix
        xs, ys = [], []
        for x, y in ((bbox[0], bbox[1]), (bbox[2], bbox[1]), (bbox[0], bbox[3]), (bbox[2], bbox[3])):
            xs.append(a * x + b * y + c)
            ys.append(d * x + e * y + f)
        w, h = page_size
        return [round(max(0.0, min(xs)), 2), round(max(0.0, min(ys)), 2),
                round(min(w, max(xs)), 2), round(min(h, max(ys)), 2)]


def _paper(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """Paper as a multiplier: a tint (warm white) with grain noise, 16 px larger than a page."""
    tint = np.array([rng.uniform(240, 252), rng.uniform(232, 244), rng.uniform(208, 226)], np.float32)
    grain = rng.normal(0, 5.0, (h + 16, w + 16, 1)).astype(np.float32)
    return np.clip(tint[None, None, :] + grain, 0, 255).astype(np.uint8)


def scan_pdf(digital: bytes, dpi: int, seed: int) -> tuple[bytes, list[PageWarp]]:
    """Given a born-digital PDF, a dpi and a seed, return the scanned PDF and each page's warp.

    The skew is part of the render matrix (MuPDF draws the page already rotated), so no resampling
    pass is needed; the same matrix, divided by the scale, maps truth boxes onto the scan."""
    rng = np.random.default_rng(seed)
    src = pymupdf.open(stream=digital, filetype="pdf")
    out = pymupdf.open()
    scale = dpi / 72
    paper = None
    warps = []
    for page in src:
        width, height = page.rect.width, page.rect.height
        w, h = round(width * scale), round(height * scale)
        if paper is None or paper.shape[0] < h + 16 or paper.shape[1] < w + 16:
            paper = _paper(h, w, rng)
        angle = float(rng.uniform(0.2, 1.2) * rng.choice([-1, 1]))
        dx, dy = rng.uniform(-3, 3, 2)  # the sheet lies a little off on the glass
        cx, cy = width / 2, height / 2
        skew = (pymupdf.Matrix(1, 0, 0, 1, -cx, -cy) * pymupdf.Matrix(angle)
                * pymupdf.Matrix(1, 0, 0, 1, cx + dx, cy + dy))
        pix = page.get_pixmap(matrix=skew * pymupdf.Matrix(scale, scale), alpha=False)
        full = np.frombuffer(pix.samples_mv, np.uint8).reshape(pix.height, pix.width, pix.n)
        canvas = np.full((h, w, 3), 255, np.uint8)  # white beyond the rotated sheet's edge
        x0, y0 = max(0, pix.x), max(0, pix.y)
        x1, y1 = min(w, pix.x + pix.width), min(h, pix.y + pix.height)
        canvas[y0:y1, x0:x1] = full[y0 - pix.y:y1 - pix.y, x0 - pix.x:x1 - pix.x, :3]
        oy, ox = int(rng.integers(0, 16)), int(rng.integers(0, 16))
        img = cv2.multiply(canvas, paper[oy:oy + h, ox:ox + w], scale=1 / 255)
        img = cv2.GaussianBlur(img, (3, 3), float(rng.uniform(0.6, 1.0)))
        ok, jpg = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR),
                               [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(62, 82))])
        if not ok:
            raise RuntimeError(f"JPEG encoding failed on page {page.number + 1}")
        new = out.new_page(width=width, height=height)
        new.insert_image(new.rect, stream=jpg.tobytes(), keep_proportion=False)
        sx, sy = w / width, h / height  # the scan's pixels are stretched onto the page rect
        warps.append(PageWarp((skew.a * scale / sx, skew.c * scale / sx, skew.e * scale / sx,
                               skew.b * scale / sy, skew.d * scale / sy, skew.f * scale / sy), angle))
    out.set_metadata(FIXED_METADATA)
    data = out.tobytes(garbage=1, no_new_id=True)  # JPEG pages: nothing to deflate
    out.close()
    src.close()
    return data, warps


def skew_iou_floor(box: BBox, angle_deg: float) -> float:
    """IoU between a box and the axis-aligned hull of its rotation: how far skew can move a box."""
    w, h = box[2] - box[0], box[3] - box[1]
    t = math.radians(abs(angle_deg))
    hull = (w * math.cos(t) + h * math.sin(t)) * (h * math.cos(t) + w * math.sin(t))
    return w * h / hull if hull else 0.0
