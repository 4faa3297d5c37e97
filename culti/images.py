"""Image helpers shared by dataset, laclip_eval and review (imports run one way: all may use culti)."""

from __future__ import annotations

from PIL import Image


def flatten_alpha(image: Image.Image) -> Image.Image:
    """Given a PIL image, return it as RGB with any transparency flattened onto white.

    Torn fragments and other RGBA crops lie on white paper in the books, so white is what a
    reader sees behind them.
    """
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")
