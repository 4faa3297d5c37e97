"""Image features for dedupe and crop-of: thumbnails, perceptual hashes, colour histograms."""

from __future__ import annotations

import hashlib
import io

import imagehash
import numpy as np
from PIL import Image

from culti.images import flatten_alpha

THUMB = 16  # side of the colour thumbnail compared by cosine
HIST_BINS = 8  # per channel
GRAY_SIDE = 224  # longer side of the grayscale kept for the crop search


def _bits(h: imagehash.ImageHash) -> int:
    return int("".join("1" if b else "0" for b in h.hash.ravel()), 2)


def open_image(data: bytes, draft: int | None = None) -> Image.Image:
    """Given encoded bytes, return the decoded RGB image (JPEGs decoded at reduced scale if draft)."""
    image = Image.open(io.BytesIO(data))
    if draft:
        # DCT-domain downscale to the smallest scale whose longer side is still >= draft
        scale = draft / max(image.size)
        image.draft("RGB", (max(1, int(image.width * scale)), max(1, int(image.height * scale))))
    return flatten_alpha(image)


def image_size(data: bytes) -> tuple[int, int]:
    """Given encoded bytes, return (width, height) from the header; raises on undecodable data."""
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def describe(data: bytes) -> tuple[np.ndarray, int, int, np.ndarray, np.ndarray]:
    """Given encoded bytes, return (thumbnail vector, pHash, dHash, colour histogram, gray).

    One reduced decode serves everything: JPEG entropy decoding is the cost, so it is paid once.
    """
    image = open_image(data, draft=GRAY_SIDE)
    thumb = np.asarray(image.resize((THUMB, THUMB), Image.Resampling.BOX), np.float32)
    # per-channel mean removed: a re-scan's colour cast and brightness shift do not count
    vec = (thumb - thumb.reshape(-1, 3).mean(0)).ravel()
    vec /= float(np.linalg.norm(vec)) or 1.0
    gray = image.convert("L")
    small = np.asarray(image.resize((64, 64), Image.Resampling.BOX)).reshape(-1, 3) // (256 // HIST_BINS)
    codes = (small[:, 0].astype(np.int32) * HIST_BINS + small[:, 1]) * HIST_BINS + small[:, 2]
    hist = np.bincount(codes, minlength=HIST_BINS**3).astype(np.float32) / len(codes)
    scale = GRAY_SIDE / max(gray.size)
    size = (max(1, round(gray.width * scale)), max(1, round(gray.height * scale)))
    crop_gray = np.asarray(gray.resize(size, Image.Resampling.BOX), np.uint8)
    return vec, _bits(imagehash.phash(gray)), _bits(imagehash.dhash(gray)), hist, crop_gray


def pixel_sha256(data: bytes) -> str:
    """Given encoded bytes, return the sha256 of the decoded pixels (mode, size, raw bytes)."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        digest = hashlib.sha256(f"{image.mode}:{image.size}".encode())
        digest.update(image.tobytes())
    return digest.hexdigest()


def hamming(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Given two uint64 arrays, return their elementwise Hamming distances."""
    return np.bitwise_count(np.bitwise_xor(a, b))
