"""Which copy survives dedupe: provenance (text layer, original image bytes, pairing confidence)
before size (issue 11 item 9: the scanned twin used to win because its scan is rendered larger)."""

from __future__ import annotations

import dataclasses
import io

import pyarrow.parquet as pq
from PIL import Image

from culti.records import Figure, FigureOrigin, RejectReason, TextOrigin
from dataset.config import BuildConfig
from dataset.dedupe import dedupe, keep_order
from dataset.rows import Row, ingest
from dataset.spool import ImageSpool
from tests.dataset_fixtures.make import encode, make_pair, picture, rescan

SPLITS = ("train", "validation", "test")


def _with_origin(pair, origin: FigureOrigin):
    fig = pair.figure
    return dataclasses.replace(pair, figure=Figure(**{**{s: getattr(fig, s) for s in fig.__slots__},
                                                      "origin": origin}))


def test_born_digital_copy_survives_dedupe(sample_run):
    """Regression on a real run (generated born-digital + scanned twins through extract, align,
    dataset): wherever both copies of a figure exist, the kept row is the born-digital one."""
    rows = {r["id"]: r for s in SPLITS for r in pq.read_table(sample_run / f"{s}.parquet").to_pylist()}
    rejects = pq.read_table(sample_run / "rejects.parquet").to_pylist()
    twins = [(r, rows[r["duplicate_of"]]) for r in rejects
             if r["duplicate_of"] and r["source"].replace("-scanned", "-digital")
             == rows[r["duplicate_of"]]["source"].replace("-scanned", "-digital")
             and r["source"] != rows[r["duplicate_of"]]["source"]]
    assert len(twins) >= 4  # the twin books do meet in dedupe
    kept_from = sorted({keeper["source"] for _, keeper in twins})
    assert all(s.endswith("-digital.pdf") for s in kept_from), kept_from
    assert all(r["source"].endswith("-scanned.pdf") for r, _ in twins)
    assert all(keeper["text_origin"] == "pdf" for _, keeper in twins)


def test_text_layer_and_embedded_bytes_beat_a_larger_scan(tmp_path):
    base = picture(71, 360, 270)
    digital = make_pair(71, encode(base, quality=92), book="silk-b-digital.pdf", page=3, confidence=0.8)
    scan = _with_origin(make_pair(71, encode(rescan(base, 2), quality=75), book="silk-b-scanned.pdf",
                                  page=3, origin=TextOrigin.OCR, confidence=0.95), FigureOrigin.SCAN_CROP)
    spool = ImageSpool(tmp_path / "spool")
    data = ingest([scan, digital], spool)
    assert data.rows[0].width * data.rows[0].height > data.rows[1].width * data.rows[1].height
    out = dedupe(data, spool, BuildConfig())
    assert [(r.item_id, r.duplicate_of, r.reason) for r in out.rejects] == \
        [(scan.id, digital.id, RejectReason.NEAR_DUPLICATE_IMAGE)]


def _row(**fields) -> Row:
    base = Row(id="a", title="", caption="", label="", text="x", source="s.pdf", source_sha256="0" * 64,
               page=1, bbox=(0.0, 0.0, 1.0, 1.0), domain="silk", text_origin="pdf", confidence=0.9,
               width=100, height=100, image_ext="jpg", image_sha256="", offset=0, length=0,
               figure_origin="embedded")
    return dataclasses.replace(base, **fields)


def test_keep_order_ranks_provenance_then_confidence_then_size_then_id():
    ranked = [
        _row(id="z", width=50, height=50, confidence=0.5),  # pdf + embedded beats all below
        _row(id="y", figure_origin="rendered", width=400, height=400, confidence=0.99),
        _row(id="x", figure_origin="scan_crop", width=800, height=800, confidence=0.99),
        _row(id="w", text_origin="ocr", width=900, height=900, confidence=1.0),
        _row(id="v", text_origin="ocr", confidence=0.9, width=900, height=900),
        _row(id="u", text_origin="ocr", confidence=0.9, width=100, height=100),
        _row(id="t", text_origin="ocr", confidence=0.9, width=100, height=100, figure_origin="scan_crop"),
    ]
    ties = [_row(id="b"), _row(id="a")]
    assert sorted(ranked[::-1], key=keep_order) == ranked
    assert [r.id for r in sorted(ties, key=keep_order)] == ["a", "b"]


def test_same_pixels_keep_the_text_layer_copy(tmp_path):
    png = encode(picture(72), "PNG")
    ocr = make_pair(72, png, page=1, fmt="png", origin=TextOrigin.OCR, confidence=0.99)
    pdf = make_pair(72, encode(Image.open(io.BytesIO(png)), "PNG"), page=7, fmt="png", confidence=0.6)
    spool = ImageSpool(tmp_path / "spool")
    out = dedupe(ingest([ocr, pdf], spool), spool, BuildConfig())
    assert [(r.item_id, r.duplicate_of, r.reason) for r in out.rejects] == \
        [(ocr.id, pdf.id, RejectReason.DUPLICATE_IMAGE)]
