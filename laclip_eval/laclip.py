"""LACLIP: training-free local alignment. Random crops of each image and the image itself go
through the visual encoder; crop weights come from crop-vs-global similarity; the score is the
weighted crop-text similarity (the paper's figure: PAPER_PARAMS), optionally mixed with the global
one (alpha, the validation-tuned variant)."""

from __future__ import annotations

import math
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from laclip_eval.config import PAPER_CROP_SCALE, PAPER_K, PAPER_TAU
from laclip_eval.encode import encode_pils

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the decoded image


@dataclass(frozen=True, slots=True)
class LaclipParams:
    k: int
    tau: float
    alpha: float  # 0 is the paper's figure: crops only
    crop_scale: tuple[float, float]  # crop area as a fraction of the image area


PAPER_PARAMS = LaclipParams(PAPER_K, PAPER_TAU, 0.0, PAPER_CROP_SCALE)


@dataclass(frozen=True, slots=True)
class Gallery:
    """Global and crop embeddings of one split's images, with what they cost to compute."""

    global_emb: np.ndarray  # [n, d]
    crop_emb: np.ndarray  # [n, k_max, d]
    seconds_global: float
    seconds_crops: float
    cached: bool  # True: read from the cache, so the seconds are from the run that wrote it
    measured_on: str = ""  # the device the seconds were measured on


def crop_boxes(image_id: str, width: int, height: int, k: int, scale: tuple[float, float],
               seed: int = 0) -> list[Box]:
    """Given an image id and size, return k random crops seeded by (seed, id, scale): runs repeat,
    and the first k of a longer list are the same crops (so K can be searched on one encoding)."""
    lo, hi = scale
    rng = np.random.default_rng(zlib.crc32(f"{seed}:{image_id}:{lo}:{hi}".encode()))
    boxes = []
    for _ in range(k):
        area = rng.uniform(lo, hi) * width * height
        ratio = math.exp(rng.uniform(math.log(3 / 4), math.log(4 / 3)))
        w, h = math.sqrt(area * ratio), math.sqrt(area / ratio)
        if w > width:  # long thin images: keep the area, give up the aspect ratio
            w, h = width, area / width
        if h > height:
            h, w = height, min(width, area / height)
        w, h = max(1, round(w)), max(1, round(h))
        x0 = int(rng.integers(0, width - w + 1))
        y0 = int(rng.integers(0, height - h + 1))
        boxes.append((x0, y0, x0 + w, y0 + h))
    return boxes


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()


def encode_global(model, pils: list, size: int, device: str, batch: int, **prep) -> tuple[np.ndarray, float]:
    """Given decoded images, return their global embeddings and the seconds spent; `prep` is
    encode_pils' precision and geometry."""
    _sync(device)
    start = time.perf_counter()
    emb = encode_pils(model, pils, size, device, batch, **prep)
    _sync(device)
    return emb, time.perf_counter() - start


def encode_crops(model, pils: list, ids: list[str], size: int, device: str, batch: int,
                 k: int, scale: tuple[float, float], seed: int, **prep) -> tuple[np.ndarray, float]:
    """Given decoded images, return [n, k, d] crop embeddings (encoded in batches of about
    `batch` crops across images) and the seconds spent."""
    _sync(device)
    start = time.perf_counter()
    per_chunk = max(1, batch // k)
    chunks = []
    for first in range(0, len(pils), per_chunk):
        crops = []
        for image, image_id in zip(pils[first:first + per_chunk], ids[first:first + per_chunk], strict=True):
            crops += [image.crop(b) for b in crop_boxes(image_id, *image.size, k, scale, seed)]
        emb = encode_pils(model, crops, size, device, batch, **prep)
        chunks.append(emb.reshape(-1, k, emb.shape[-1]))
    _sync(device)
    out = np.concatenate(chunks) if chunks else np.zeros((0, k, 1), dtype=np.float32)
    return out, time.perf_counter() - start


def build_gallery(model, pils: list, ids: list[str], size: int, device: str, batch: int, k: int,
                  scale: tuple[float, float], seed: int, cache: Path | None = None,
                  global_: tuple[np.ndarray, float] | None = None, measured_on: str = "",
                  **prep) -> Gallery:
    """Given decoded images, return their Gallery, read from / written to the .npz `cache` file;
    `global_` passes global embeddings (and their seconds) already computed for another scale;
    `prep` is encode_pils' precision and geometry (part of the caller's cache key)."""
    if cache is not None and cache.is_file():
        with np.load(cache) as z:
            return Gallery(z["global_emb"], z["crop_emb"], float(z["seconds_global"]),
                           float(z["seconds_crops"]), cached=True,
                           measured_on=str(z["measured_on"]) if "measured_on" in z else "")
    if global_ is None:
        global_ = encode_global(model, pils, size, device, batch, **prep)
    global_emb, t_global = global_
    crop_emb, t_crops = encode_crops(model, pils, ids, size, device, batch, k, scale, seed, **prep)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp.npz")
        np.savez(tmp, global_emb=global_emb, crop_emb=crop_emb, seconds_global=t_global,
                 seconds_crops=t_crops, measured_on=np.array(measured_on))
        tmp.replace(cache)
    return Gallery(global_emb, crop_emb, t_global, t_crops, cached=False, measured_on=measured_on)


def crop_weights(global_emb: np.ndarray, crop_emb: np.ndarray, tau: float) -> np.ndarray:
    """Given [n, d] global and [n, k, d] crop embeddings, return w = softmax_k(cos(u_k, u_img) / tau)."""
    logits = np.einsum("nkd,nd->nk", crop_emb, global_emb) / tau
    logits -= logits.max(axis=1, keepdims=True)
    w = np.exp(logits)
    return w / w.sum(axis=1, keepdims=True)


def laclip_scores(text_emb: np.ndarray, global_emb: np.ndarray, crop_emb: np.ndarray,
                  params: LaclipParams) -> np.ndarray:
    """Given normalised text [m, d], global [n, d] and crop [n, K, d] embeddings, return the
    texts x images scores alpha * cos(u_img, t) + (1 - alpha) * sum_k w_k cos(u_k, t).
    The weighted crop sum is linear in t, so it is pooled per image first: O((m + k) n d)."""
    crops = crop_emb[:, : params.k]
    w = crop_weights(global_emb, crops, params.tau)
    pooled = params.alpha * global_emb + (1 - params.alpha) * np.einsum("nk,nkd->nd", w, crops)
    return (text_emb @ pooled.T).astype(np.float32)
