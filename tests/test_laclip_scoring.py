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
