"""Dedupe: re-scans, resizes, recompressions and same-pixel copies are caught; distinct pictures are not."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from culti.records import RejectReason, TextOrigin
from dataset.config import BuildConfig
from dataset.dedupe import dedupe, normalize_text, text_pairs
from dataset.rows import ingest
from dataset.spool import ImageSpool
from tests.dataset_fixtures.make import distinct_pairs, encode, make_pair, picture, rescan, text


def _run(pairs, tmp_path, config=None):
    spool = ImageSpool(tmp_path / "spool")
    data = ingest(pairs, spool)
    out = dedupe(data, spool, config or BuildConfig())
    return data, out, spool


def test_rescan_resize_recompress_and_png_copies_are_dropped(tmp_path):
    base = picture(7, 480, 360)
    original = make_pair(7, encode(base, quality=92), page=2, index=0)
    copies = [
        make_pair(7, encode(rescan(base, 1), quality=70), book="silk-a-scan.pdf", page=2,
                  origin=TextOrigin.OCR, confidence=0.8),  # larger, but a lower-confidence OCR copy
        make_pair(7, encode(base.resize((240, 180), Image.Resampling.LANCZOS), quality=60),
                  book="silk-a-reprint.pdf", page=9),
        make_pair(7, encode(Image.open(io.BytesIO(original.figure.image)).convert("RGB"), "PNG"),
                  book="silk-a-png.pdf", page=11, fmt="png"),  # same decoded pixels, other encoding
    ]
    others = distinct_pairs(12, start=100)
    data, out, _ = _run([original, *copies, *others], tmp_path)
    by_id = {r.item_id: r for r in out.rejects}
    kept_ids = {data.rows[i].id for i in out.keep}
    # the re-scan is 1.4x larger, but provenance comes before size: the text-layer copy stays
    assert original.id in kept_ids
    assert {copies[0].id, copies[1].id, copies[2].id} == set(by_id)
    assert all(r.duplicate_of == original.id for r in out.rejects)
    assert by_id[copies[0].id].reason == RejectReason.NEAR_DUPLICATE_IMAGE
    assert by_id[copies[1].id].reason == RejectReason.NEAR_DUPLICATE_IMAGE
    assert by_id[copies[2].id].reason == RejectReason.DUPLICATE_IMAGE
    assert {p.id for p in others} <= kept_ids  # distinct pictures are all kept


def test_same_pixels_are_exact_duplicates_and_the_best_copy_stays(tmp_path):
    base = picture(3)
    png = encode(base, "PNG")
    a = make_pair(3, png, page=1, fmt="png", confidence=0.7)
    b = make_pair(3, encode(Image.open(io.BytesIO(png)), "PNG"), page=5, fmt="png", confidence=0.95)
    data, out, _ = _run([a, b, *distinct_pairs(4, start=50)], tmp_path)
    assert len(out.rejects) == 1
    reject = out.rejects[0]
    assert reject.reason == RejectReason.DUPLICATE_IMAGE
    assert (reject.item_id, reject.duplicate_of) == (a.id, b.id)  # same size: higher confidence wins


def test_pdf_text_beats_ocr_then_id_order(tmp_path):
    img = encode(picture(4), quality=90)
    ocr = make_pair(4, img, page=1, origin=TextOrigin.OCR)
    pdf = make_pair(4, img, page=2, origin=TextOrigin.PDF)
    _, out, _ = _run([ocr, pdf], tmp_path)
    assert [(r.item_id, r.duplicate_of) for r in out.rejects] == [(ocr.id, pdf.id)]
    twin_a, twin_b = make_pair(5, img, page=3), make_pair(5, img, page=4)
    _, out, _ = _run([twin_b, twin_a], tmp_path)
    assert [(r.item_id, r.duplicate_of) for r in out.rejects] == [(twin_b.id, twin_a.id)]


def test_alike_pictures_of_one_book_with_other_captions_are_kept_and_grouped(tmp_path):
    """A mural before and after restoration, two screenshots of one table (real corpus: the
    Dunhuang handout, an IBM redbook): near-alike pictures the book captions differently are
    different figures; they stay, in one split. The same picture under its own caption again is a copy."""
    base = picture(31)
    before = make_pair(31, encode(base, quality=92), page=4, index=0)
    after = make_pair(31, encode(rescan(base, 1), quality=80), page=4, index=1)  # labelled 图4-2
    again = replace(make_pair(31, encode(base, quality=60), page=9, index=0),
                    caption=before.caption, label=before.label)  # reprinted under the same caption
    data, out, _ = _run([before, after, again], tmp_path)
    kept = {data.rows[i].id for i in out.keep}
    assert kept == {before.id, after.id}
    assert [(r.item_id, r.duplicate_of) for r in out.rejects] == [(again.id, before.id)]
    assert (0, 1) in out.group_edges or (1, 0) in out.group_edges
    unlabelled = [replace(make_pair(31, encode(base, quality=92), page=4, index=0),
                          caption="超分辨率前", label="", title="超分辨率前"),
                  replace(make_pair(31, encode(rescan(base, 1), quality=80), page=4, index=1),
                          caption="超分辨率后", label="", title="超分辨率后")]
    (tmp_path / "unlabelled").mkdir()
    _, out, _ = _run(unlabelled, tmp_path / "unlabelled")
    assert out.rejects == () and out.group_edges == ((0, 1),)


def test_copies_in_another_book_do_not_join_two_figures_of_one_book(tmp_path):
    """Real corpus: the Beijing standard's 图16 and 图17 are alike drawings; its rendered twin's
    copies are alike to both, so links through the twin joined 图16 and 图17 and one was dropped.
    Each copy goes with one figure; both figures of the book stay."""
    base = picture(41)
    a16 = make_pair(41, encode(base, quality=92), page=16, index=0)
    a17 = make_pair(41, encode(rescan(base, 1), quality=85), page=17, index=0)
    b16 = make_pair(41, encode(rescan(base, 2), quality=60), book="silk-a-scan.pdf", page=16, index=0,
                    origin=TextOrigin.OCR)
    b17 = make_pair(41, encode(rescan(base, 3), quality=60), book="silk-a-scan.pdf", page=17, index=0,
                    origin=TextOrigin.OCR)
    data, out, _ = _run([a16, a17, b16, b17], tmp_path)
    kept = {data.rows[i].id for i in out.keep}
    assert kept == {a16.id, a17.id}
    assert {r.item_id for r in out.rejects} == {b16.id, b17.id}


def test_distinct_pictures_are_never_merged(tmp_path):
    pairs = distinct_pairs(60, start=1000)
    _, out, _ = _run(pairs, tmp_path)
    assert out.rejects == () and len(out.keep) == 60


def test_same_text_on_different_pictures_groups_instead_of_dropping(tmp_path):
    desc = text(11)
    a = make_pair(11, encode(picture(11)), page=1, desc=desc)
    b = make_pair(12, encode(picture(12)), page=30, desc=desc.replace("。", "，") + "纹")
    _, out, _ = _run([a, b], tmp_path)
    assert out.rejects == ()
    assert out.group_edges == ((0, 1),)


def test_text_twin_with_similar_picture_is_dropped_as_near_duplicate_text(tmp_path):
    desc = text(21)
    base = picture(21)
    a = make_pair(21, encode(base, quality=90), page=1, desc=desc)
    # a heavy re-scan: the strict image test is tightened so only the text test can link them
    b = make_pair(21, encode(rescan(base, 5), quality=40), book="silk-a-rescan.pdf", page=2,
                  desc=desc[:-2] + "。")
    config = BuildConfig(thumb_similarity=0.9999, hash_phash_threshold=0, hash_dhash_threshold=0)
    _, out, _ = _run([a, b], tmp_path, config)
    assert [(r.reason, r.item_id, r.duplicate_of) for r in out.rejects] == \
        [(RejectReason.NEAR_DUPLICATE_TEXT, a.id, b.id)]


def test_text_twin_with_same_caption_is_dropped_whatever_its_picture(tmp_path):
    """A scan's crop box can miss the figure so badly that no image test holds: the caption does."""
    desc = text(31)
    a = make_pair(31, encode(picture(31)), page=4, desc=desc)
    b = make_pair(31, encode(picture(32)), book="silk-a-scan.pdf", page=4, desc=desc[:-2] + "。",
                  origin=TextOrigin.OCR)
    assert a.caption == b.caption
    _, out, _ = _run([a, b], tmp_path)
    assert [(r.reason, r.item_id, r.duplicate_of) for r in out.rejects] == \
        [(RejectReason.NEAR_DUPLICATE_TEXT, b.id, a.id)]


def test_minhash_finds_near_duplicate_texts_against_a_naive_oracle():
    texts = [text(s) for s in range(30)] + [text(3)[:-2] + "纹。", text(8) + "。"]
    config = BuildConfig()
    found = {(i, j) for i, j, _ in text_pairs(texts, config)}

    def jaccard(x, y):
        a, b = normalize_text(x), normalize_text(y)
        sa, sb = {a[k:k + 3] for k in range(len(a) - 2)}, {b[k:k + 3] for k in range(len(b) - 2)}
        return len(sa & sb) / len(sa | sb)

    oracle = {(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))
              if jaccard(texts[i], texts[j]) >= 0.9}
    assert oracle == {(3, 30), (8, 31)}
    assert oracle <= found
    assert all(jaccard(texts[i], texts[j]) >= 0.7 for i, j in found)


def test_undecodable_image_and_empty_text_become_rejects(tmp_path):
    good = make_pair(1, encode(picture(1)), page=1)
    broken = make_pair(2, encode(picture(2)), page=2)
    broken = type(broken)(**{**{s: getattr(broken, s) for s in broken.__slots__},
                             "figure": type(broken.figure)(**{**{s: getattr(broken.figure, s) for s in
                                                                 broken.figure.__slots__},
                                                              "image": b"\xff\xd8 not a jpeg"})})
    empty = make_pair(3, encode(picture(3)), page=3, desc="  ")
    spool = ImageSpool(tmp_path / "spool")
    data = ingest([good, broken, empty], spool)
    assert [r.id for r in data.rows] == [good.id]
    assert sorted(r.reason for r, _ in data.rejects) == sorted(
        [RejectReason.UNDECODABLE_IMAGE, RejectReason.EMPTY_TEXT])


@pytest.mark.parametrize("bad", [{"ratios": (0.5, 0.5, 0.5)}, {"thumb_similarity": 0.0},
                                 {"phash_threshold": 65}, {"crop_page_window": -1}])
def test_config_rejects_bad_values(bad):
    with pytest.raises(ValueError, match="BuildConfig"):
        BuildConfig(**bad)


def test_composite_parts_sharing_caption_and_text_are_kept(tmp_path):
    """Parts of one composite share label, title and description but are different pictures."""
    desc = text(41)
    a = make_pair(41, encode(picture(41)), page=6, index=0, desc=desc, group_hint="k")
    b = make_pair(41, encode(picture(42)), page=6, index=0, desc=desc, group_hint="k")
    b = type(b)(**{**{s: getattr(b, s) for s in b.__slots__},
                   "figure": type(b.figure)(**{**{s: getattr(b.figure, s) for s in b.figure.__slots__},
                                               "index": 1})})
    assert a.caption == b.caption and a.id != b.id
    _, out, _ = _run([a, b], tmp_path)
    assert out.rejects == () and out.group_edges == ((0, 1),)


def test_composite_part_in_the_twin_book_is_not_taken_for_the_twin(tmp_path):
    desc = text(43)
    parts = []
    for book in ("silk-a.pdf", "silk-a-scan.pdf"):
        for index, seed in ((0, 43), (1, 44)):
            parts.append(make_pair(43, encode(picture(seed)), book=book, page=6, index=index,
                                   desc=desc, group_hint="k"))
    data, out, _ = _run(parts, tmp_path)
    kept = {(data.rows[i].source, data.rows[i].index) for i in out.keep}
    assert len(out.rejects) == 2 and len(kept) == 2
    assert {r.reason for r in out.rejects} == {RejectReason.DUPLICATE_IMAGE}  # same bytes here
    by_id = {data.rows[i].id: data.rows[i] for i in range(len(data.rows))}
    assert all(by_id[r.item_id].index == by_id[r.duplicate_of].index for r in out.rejects)


def test_a_curator_restored_duplicate_is_kept_and_grouped(tmp_path):
    """Regression: `culti build --corrections` restoring a duplicate must not see it dropped again."""
    import dataclasses

    from dataset.dedupe import CURATOR_RESTORED

    img = encode(picture(21), quality=90)
    kept = make_pair(21, img, page=1)
    restored = dataclasses.replace(make_pair(21, img, page=2), evidence=(CURATOR_RESTORED,))
    data, out, _ = _run([kept, restored], tmp_path)
    assert out.rejects == ()
    assert {data.rows[i].id for i in out.keep} == {kept.id, restored.id}
    assert len(out.group_edges) == 1  # grouped with its twin, so both land in one split
