"""Merged crops: the pieces of one figure (images stacked or set side by side under one caption)
pasted into one picture at their places on the page, so the figure is one row."""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image

from align.geometry import union_all
from culti.records import Figure, FigureOrigin

MAX_SIDE_PX = 2400


def merge_figures(figs: Sequence[Figure]) -> Figure:
    """Given pieces of one figure on one page, return one Figure: their union box, the pieces
    pasted on white at the resolution of the sharpest piece (the long side at most MAX_SIDE_PX),
    JPEG when any piece is a photo, else PNG; it keeps the first piece's index (its row id)."""
    box = union_all(f.bbox_pt for f in figs)
    assert box is not None
    w_pt, h_pt = max(box[2] - box[0], 1.0), max(box[3] - box[1], 1.0)
    scale = max(f.width / max(f.bbox_pt[2] - f.bbox_pt[0], 1e-3) for f in figs)
    scale = min(scale, MAX_SIDE_PX / max(w_pt, h_pt))
    canvas = Image.new("RGB", (max(1, round(w_pt * scale)), max(1, round(h_pt * scale))), "white")
    for f in sorted(figs, key=lambda f: f.index):
        with Image.open(io.BytesIO(f.image)) as im:
            im = im.convert("RGBA")
            x0, y0 = round((f.bbox_pt[0] - box[0]) * scale), round((f.bbox_pt[1] - box[1]) * scale)
            size = (max(1, round((f.bbox_pt[2] - f.bbox_pt[0]) * scale)),
                    max(1, round((f.bbox_pt[3] - f.bbox_pt[1]) * scale)))
            piece = im.resize(size, Image.Resampling.LANCZOS)
            canvas.paste(piece, (x0, y0), piece)
    photo = any(f.image_format in ("jpeg", "jpg", "jpx") for f in figs)
    buf = io.BytesIO()
    if photo:
        canvas.save(buf, format="JPEG", quality=92)
    else:
        canvas.save(buf, format="PNG", compress_level=6)
    first = min(figs, key=lambda f: f.index)
    return Figure(source=first.source, source_sha256=first.source_sha256, page=first.page,
                  index=first.index, bbox_pt=tuple(round(v, 2) for v in box),
                  image=buf.getvalue(), image_format="jpeg" if photo else "png",
                  width=canvas.width, height=canvas.height, origin=FigureOrigin.RENDERED,
                  confidence=min(f.confidence for f in figs))
