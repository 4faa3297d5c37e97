"""Turn images and texts into L2-normalised embeddings in large batches."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import nullcontext

import numpy as np

from laclip_eval.config import EvalConfigError
from laclip_eval.data import decode_image


def decode_all(images: Sequence[bytes], ids: Sequence[str], max_side: int | None = None) -> list:
    """Given encoded images, return RGB PIL images (optionally shrunk so the long side <= max_side)."""
    from PIL import Image

    out = []
    for data, image_id in zip(images, ids, strict=True):
        try:
            image = decode_image(data)
        except (OSError, ValueError, Image.DecompressionBombError) as err:
            raise EvalConfigError(f"image of row {image_id} does not decode ({err}): rebuild the dataset") from err
        if max_side is not None and max(image.size) > max_side:
            image.thumbnail((max_side, max_side), Image.Resampling.BICUBIC)
        out.append(image)
    return out


class Letterbox:
    """Given a PIL image, return it fitted into a size x size white square (aspect kept, centred).
    White because transparent figures are flattened onto white; square images only get resized."""

    def __init__(self, size: int) -> None:
        self.size = size

    def __call__(self, image):
        from PIL import Image, ImageOps

        if image.width == image.height:
            return image.resize((self.size, self.size), Image.Resampling.BICUBIC)
        return ImageOps.pad(image.convert("RGB"), (self.size, self.size), method=Image.Resampling.BICUBIC,
                            color=(255, 255, 255))


def transform(size: int, geometry: str = "stretch"):
    """Return the eval transform: cn_clip's own (bicubic resize to size x size, CLIP mean/std),
    after a letterbox to a square for geometry "pad" so a 6:1 silk band is not squashed 6-fold."""
    from cn_clip.clip import image_transform
    from torchvision import transforms as T

    if geometry in ("stretch", "squash"):
        return image_transform(size)
    return T.Compose([Letterbox(size), image_transform(size)])


def autocast(device: str, precision: str | None = None):
    """Autocast for `precision` (bf16, fp16, fp32); None: bf16 on CUDA (tensor cores, fp32 master
    weights), fp32 on CPU."""
    import torch

    precision = precision or ("bf16" if device.startswith("cuda") else "fp32")
    if precision == "fp32":
        return nullcontext()
    kind = "cuda" if device.startswith("cuda") else "cpu"
    return torch.autocast(kind, dtype=torch.bfloat16 if precision == "bf16" else torch.float16)


def _batches(n: int, size: int) -> Iterator[slice]:
    for start in range(0, n, size):
        yield slice(start, min(n, start + size))


def encode_pils(model, pils: Sequence, size: int, device: str, batch: int, *,
                precision: str | None = None, geometry: str = "stretch") -> np.ndarray:
    """Given PIL images, return their normalised image embeddings [n, d] as float32."""
    import torch

    prep = transform(size, geometry)
    chunks = []
    with torch.no_grad(), autocast(device, precision):
        for part in _batches(len(pils), batch):
            pixels = torch.stack([prep(p) for p in pils[part]]).to(device, non_blocking=True)
            feats = model.encode_image(pixels).float()
            chunks.append(torch.nn.functional.normalize(feats, dim=-1).cpu().numpy())
    if not chunks:
        return np.zeros((0, model.visual.output_dim), dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32)


def encode_texts(model, texts: Sequence[str], device: str, batch: int, context_length: int = 52, *,
                 precision: str | None = None) -> np.ndarray:
    """Given texts, return their normalised text embeddings [n, d] as float32."""
    import torch

    from laclip_eval.models import tokenize

    chunks = []
    with torch.no_grad(), autocast(device, precision):
        for part in _batches(len(texts), batch):
            tokens = tokenize(list(texts[part]), context_length).to(device)
            feats = model.encode_text(tokens).float()
            chunks.append(torch.nn.functional.normalize(feats, dim=-1).cpu().numpy())
    if not chunks:
        return np.zeros((0, model.text_projection.shape[1]), dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32)
