"""Speed changes of scanned-page OCR keep their results, on a generated scanned page: the
engine's memory arena (same readings as rapidocr without it) and the float32 ink mask."""

from __future__ import annotations

import numpy as np
import pymupdf
import pytest

from culti.scoring import normalize
from extract import ExtractConfig
from extract.engines import RapidOcrEngine, rapidocr_params
from extract.scanned import load_scan
from tests.extract_fixtures import BODY, CAPTION, scanned_pdf


@pytest.fixture(scope="module")
def scan_image(tmp_path_factory) -> np.ndarray:
    path, _ = scanned_pdf(tmp_path_factory.mktemp("ocr") / "scan.pdf", angle=0.0)
    with pymupdf.open(path) as doc:
        return load_scan(doc[0], doc, ExtractConfig(workers=1, progress=False)).image


def test_arena_engine_reads_as_rapidocr_without_arena(scan_image):
    from rapidocr import RapidOCR

    engine = RapidOcrEngine(threads=1)
    lines = engine.ocr(scan_image)
    rec = engine._ocr._load_rec_model().session.session.get_session_options()
    assert rec.enable_cpu_mem_arena  # the recogniser runs with the arena...
    plain = RapidOCR(params=rapidocr_params(1))  # ...plain rapidocr without it
    assert not plain._load_rec_model().session.session.get_session_options().enable_cpu_mem_arena
    plain = plain(scan_image)
    assert [t for t, _, _ in lines] == list(plain.txts)
    assert [b for _, b, _ in lines] == [
        (float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max()))
        for q in np.asarray(plain.boxes, dtype=float)]
    text = normalize("".join(t for t, _, _ in lines))
    assert normalize(CAPTION) in text and normalize(BODY)[:10] in text


def test_foreground_mask_is_the_integer_rgb_distance(scan_image):
    """foreground() computes the squared distance to the paper colour in float32 through cv2:
    the mask must be the one of the exact integer distance (its earlier numpy form), on white
    and on tinted paper."""
    import cv2

    from extract.scanned import foreground, paper_level

    def integer_mask(rgb: np.ndarray, min_dist: float = 24.0) -> np.ndarray:
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        paper = paper_level(gray)
        step = max(1, gray.size // 200_000)
        flat, gflat = rgb.reshape(-1, 3)[::step], gray.ravel()[::step]
        paper_rgb = np.median(flat[np.abs(gflat.astype(int) - paper) <= 3], axis=0)
        diff = rgb.astype(np.int16) - paper_rgb.astype(np.int16)
        return ((diff.astype(np.int32) ** 2).sum(axis=2) > min_dist * min_dist).astype(np.uint8)

    tinted = np.clip(scan_image.astype(int) - [0, 12, 30], 0, 255).astype(np.uint8)
    for rgb in (scan_image, tinted):
        mask = foreground(rgb)
        assert mask.dtype == np.uint8 and 0.001 < mask.mean() < 0.5
        assert np.array_equal(mask, integer_mask(rgb))
