"""Image bytes: keep an embedded image's original encoding when it is safe, else convert or render."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pymupdf
from PIL import Image

# colourspace component counts that a plain JPEG viewer shows correctly
_PLAIN_JPEG_COMPONENTS = (1, 3)


@dataclass(frozen=True, slots=True)
class Encoded:
    data: bytes
    fmt: str  # jpeg, png, jpx...
    width: int
    height: int


def image_keeps_bytes(info: dict, xref_meta: dict) -> bool:
    """Given extract_image() output and the image dictionary facts, return True if its stream
    can be stored unchanged: an unmasked RGB/grey JPEG, or a lossless image PyMuPDF turns into
    PNG without a mask or exotic colourspace."""
    if info.get("smask") or xref_meta.get("mask") or xref_meta.get("decode"):
        return False
    ext = info.get("ext")
    if ext == "jpeg":
        return info.get("colorspace") in _PLAIN_JPEG_COMPONENTS and not xref_meta.get("cmyk")
    if ext == "png":
        return info.get("colorspace") in _PLAIN_JPEG_COMPONENTS and not xref_meta.get("cmyk")
    return False


def xref_meta(doc: pymupdf.Document, xref: int) -> dict:
    """Given an image xref, return the dictionary facts that decide whether bytes can be kept."""
    keys = set(doc.xref_get_keys(xref))
    cs = doc.xref_get_key(xref, "ColorSpace")[1] if "ColorSpace" in keys else ""
    return {
        "mask": "Mask" in keys or doc.xref_get_key(xref, "ImageMask")[1] == "true",
        "decode": "Decode" in keys,
        "cmyk": "CMYK" in cs or "Separation" in cs or "DeviceN" in cs,
    }


def pixmap_to_rgb(pix: pymupdf.Pixmap) -> pymupdf.Pixmap:
    """Given any pixmap, return an RGB (or grey) one, keeping alpha: CMYK goes through MuPDF's
    colour management so that Adobe-inverted CMYK JPEGs come out right."""
    if pix.colorspace is None:  # stencil mask (/ImageMask): alpha only, painted as black ink
        ink = np.frombuffer(pix.samples, np.uint8)[pix.n - 1::pix.n]
        pix = pymupdf.Pixmap(pymupdf.csGRAY, pix.w, pix.h, (255 - ink).tobytes(), False)
    if pix.colorspace.n not in (1, 3):
        pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
    return pix


def decode_xref(doc: pymupdf.Document, xref: int, smask: int = 0) -> pymupdf.Pixmap:
    """Given an image xref (and its soft mask), return its pixels at native resolution, RGB(A)."""
    pix = pymupdf.Pixmap(doc, xref)
    if smask:
        mask = pymupdf.Pixmap(doc, smask)
        base = pixmap_to_rgb(pymupdf.Pixmap(pix, 0) if pix.alpha else pix)
        if (mask.w, mask.h) != (base.w, base.h):  # masks may have their own resolution
            mask_img = Image.frombytes("L", (mask.w, mask.h), mask.samples).resize((base.w, base.h))
            mask = pymupdf.Pixmap(pymupdf.csGRAY, base.w, base.h, mask_img.tobytes(), False)
        return pymupdf.Pixmap(base, mask)
    return pixmap_to_rgb(pix)


def encode_pixmap(pix: pymupdf.Pixmap, photo: bool, quality: int) -> Encoded:
    """Given a pixmap, return PNG bytes (alpha, line art) or JPEG bytes (opaque photos); PIL
    encodes 2-3x faster than MuPDF's PNG writer at a similar size."""
    pix = pixmap_to_rgb(pix)
    mode = {(1, False): "L", (1, True): "LA", (3, False): "RGB", (3, True): "RGBA"}[
        (pix.colorspace.n, bool(pix.alpha))]
    img = Image.frombytes(mode, (pix.w, pix.h), pix.samples)
    return encode_image(img, photo and not pix.alpha, quality)


def encode_image(img: Image.Image, photo: bool, quality: int) -> Encoded:
    """Given a PIL image, return JPEG (photos) or PNG bytes."""
    buf = io.BytesIO()
    if photo:
        img.save(buf, "JPEG", quality=quality)
        return Encoded(buf.getvalue(), "jpeg", img.width, img.height)
    img.save(buf, "PNG", compress_level=3)
    return Encoded(buf.getvalue(), "png", img.width, img.height)


def encode_array(arr: np.ndarray, photo: bool, quality: int) -> Encoded:
    """Given an RGB or grey uint8 array, return JPEG (photos) or PNG bytes."""
    return encode_image(Image.fromarray(arr), photo, quality)


def render_region(page: pymupdf.Page, rect: pymupdf.Rect, zoom: float, photo: bool,
                  quality: int) -> Encoded:
    """Given a page and a displayed-page rect, return exactly what is shown there at `zoom`."""
    zoom = float(min(max(zoom, 0.5), 8.0))  # bounds keep a degenerate transform from exploding
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=rect, alpha=False)
    return encode_pixmap(pix, photo, quality)


def pixmap_array(pix: pymupdf.Pixmap) -> np.ndarray:
    """Given a pixmap, return an H x W x 3 uint8 RGB array (alpha flattened on white)."""
    pix = pixmap_to_rgb(pix)
    arr = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w, pix.n)
    if pix.alpha:
        rgb, alpha = arr[:, :, :-1].astype(np.float32), arr[:, :, -1:].astype(np.float32) / 255
        arr = (rgb * alpha + 255 * (1 - alpha)).astype(np.uint8)
    if arr.shape[2] == 1:
        arr = np.repeat(arr, 3, axis=2)
    return np.ascontiguousarray(arr)
