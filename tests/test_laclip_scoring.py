"""LACLIP scores against a direct per-pair loop over crops; crop boxes; image decoding."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image

from laclip_eval.data import decode_image
from laclip_eval.laclip import LaclipParams, crop_boxes, laclip_scores


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def loop_score(text, glob, crops, k, tau, alpha) -> float:
    """score = alpha cos(u_img, t) + (1 - alpha) sum_k softmax_k(cos(u_k, u_img) / tau) cos(u_k, t)."""
    cos = lambda a, b: float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))  # noqa: E731
    logits = [cos(crops[j], glob) / tau for j in range(k)]
    top = max(logits)
    weights = [math.exp(v - top) for v in logits]
    total = sum(weights)
    local = sum(w / total * cos(crops[j], text) for j, w in enumerate(weights))
    return alpha * cos(glob, text) + (1 - alpha) * local


@pytest.mark.parametrize("k,tau,alpha", [(1, 0.1, 0.0), (4, 0.05, 0.0), (6, 1.0, 0.3), (8, 0.02, 1.0)])
def test_laclip_scores_match_per_pair_loop(k, tau, alpha):
    rng = np.random.default_rng(k)
    texts, glob, crops = unit(rng.normal(size=(7, 16))), unit(rng.normal(size=(5, 16))), unit(rng.normal(size=(5, 8, 16)))
    got = laclip_scores(texts, glob, crops, LaclipParams(k, tau, alpha, (0.3, 0.6)))
    want = np.array([[loop_score(t, glob[i], crops[i], k, tau, alpha) for i in range(5)] for t in texts])
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_alpha_one_is_the_global_score():
    rng = np.random.default_rng(0)
    texts, glob, crops = unit(rng.normal(size=(3, 8))), unit(rng.normal(size=(4, 8))), unit(rng.normal(size=(4, 5, 8)))
    np.testing.assert_allclose(laclip_scores(texts, glob, crops, LaclipParams(5, 0.1, 1.0, (0.5, 1))), texts @ glob.T, rtol=1e-6)


@pytest.mark.parametrize("size", [(300, 200), (1887, 366), (92, 96), (5, 400)])
def test_crop_boxes_repeat_nest_and_stay_inside(size):
    w, h = size
    boxes = crop_boxes("abc-p0001-f00", w, h, 8, (0.25, 0.5), seed=3)
    assert boxes == crop_boxes("abc-p0001-f00", w, h, 8, (0.25, 0.5), seed=3)
    assert boxes[:3] == crop_boxes("abc-p0001-f00", w, h, 3, (0.25, 0.5), seed=3)
    assert boxes != crop_boxes("abc-p0001-f01", w, h, 8, (0.25, 0.5), seed=3)
    assert boxes != crop_boxes("abc-p0001-f00", w, h, 8, (0.25, 0.5), seed=4)
    for x0, y0, x1, y1 in boxes:
        assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
        assert (x1 - x0) * (y1 - y0) <= 0.5 * w * h * 1.2 + 2 * (w + h)  # rounding slack


def test_rgba_is_flattened_on_white():
    image = Image.new("RGBA", (4, 4), (255, 0, 0, 0))
    image.putpixel((0, 0), (0, 0, 255, 255))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    rgb = decode_image(buf.getvalue())
    assert rgb.mode == "RGB"
    assert rgb.getpixel((1, 1)) == (255, 255, 255)
    assert rgb.getpixel((0, 0)) == (0, 0, 255)


def test_gallery_crops_match_encoding_each_crop_alone(tmp_path):
    """Batched crop encoding across images == encoding every crop on its own, and the LACLIP
    score built on it == the per-pair loop over those single-crop embeddings."""
    import torch

    from laclip_eval.encode import encode_texts, transform
    from laclip_eval.finetune import seed_everything
    from laclip_eval.laclip import build_gallery
    from laclip_eval.models import build_model

    seed_everything(0)
    model = build_model("tiny").eval()
    pils = [Image.new("RGB", (90 + 10 * i, 70), (40 * i, 100, 200 - 30 * i)) for i in range(5)]
    for i, image in enumerate(pils):
        image.paste((250, 250, 0), (5 * i, 10, 5 * i + 30, 40))
    ids = [f"img{i}" for i in range(5)]
    gallery = build_gallery(model, pils, ids, 64, "cpu", batch=7, k=3, scale=(0.3, 0.6), seed=1,
                            cache=tmp_path / "g.npz")
    prep = transform(64)

    def alone(image) -> np.ndarray:
        with torch.no_grad():
            return unit(model.encode_image(prep(image)[None]).numpy()[0])

    texts = encode_texts(model, ["黄色方形", "蓝色底子"], "cpu", 8)
    for i, image in enumerate(pils):
        crops = [alone(image.crop(b)) for b in crop_boxes(ids[i], *image.size, 3, (0.3, 0.6), seed=1)]
        np.testing.assert_allclose(gallery.crop_emb[i], np.stack(crops), atol=2e-5)
        np.testing.assert_allclose(gallery.global_emb[i], alone(image), atol=2e-5)
    got = laclip_scores(texts, gallery.global_emb, gallery.crop_emb, LaclipParams(3, 0.1, 0.0, (0.3, 0.6)))
    want = [[loop_score(t, gallery.global_emb[i], gallery.crop_emb[i], 3, 0.1, 0.0) for i in range(5)] for t in texts]
    np.testing.assert_allclose(got, np.array(want), rtol=1e-5, atol=1e-6)
    cached = build_gallery(model, pils, ids, 64, "cpu", batch=7, k=3, scale=(0.3, 0.6), seed=1, cache=tmp_path / "g.npz")
    assert cached.cached and np.array_equal(cached.crop_emb, gallery.crop_emb)
