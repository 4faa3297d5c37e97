"""align_book over a whole book: nothing dropped, rejects passed through, t2s, keywords, domain."""

from align import AlignConfig, align_book
from culti.records import Domain, PageStatus, Reject, RejectReason, Stage
from tests.align_fixtures.build import SHA, SOURCE, blk, fig, page_of, running


def cap(page, text, bbox, ocr=False):
    return blk(page, text, bbox, ocr=ocr, size=None if ocr else 9)


def book():
    ornament = Reject(stage=Stage.EXTRACT, reason=RejectReason.ORNAMENT, source=SOURCE,
                      source_sha256=SHA, page=1, bbox_pt=(280, 20, 315, 40))
    failed = Reject(stage=Stage.EXTRACT, reason=RejectReason.PAGE_FAILED, source=SOURCE,
                    source_sha256=SHA, page=3, detail="render failed")
    return [
        page_of(1, [fig(1, 0, (100, 100, 495, 400))], running(1) + [
            cap(1, "圖3-1  團窠對鳥紋錦", (230, 408, 365, 422), ocr=True),
            blk(1, "這件織錦出土於新疆吐魯番阿斯塔那墓地，團窠內飾對鳥。", (60, 440, 535, 470), ocr=True),
        ], rejects=(ornament,), scanned=True),
        page_of(2, [fig(2, 0, (100, 100, 495, 400)), fig(2, 1, (100, 500, 495, 700))], running(2) + [
            cap(2, "图3-2 宝相花纹锦", (230, 408, 365, 422)),
            blk(2, "宝相花纹锦以宝相花为主题纹样。", (60, 430, 535, 450)),
        ]),
        page_of(3, [], [], status=PageStatus.FAILED, rejects=(failed,)),
        page_of(4, [fig(4, 0, (100, 100, 495, 400))], running(4) + [
            cap(4, "图3-4 联珠对马纹锦", (230, 408, 365, 422)),
            cap(4, "图3-5 不存在的图", (230, 600, 365, 614)),
        ]),
        *[page_of(n, [], running(n) + [blk(n, "正文叙述丝绸之路上的织物与纹样。", (60, 300, 535, 320))])
          for n in (5, 6)],
    ]


def test_nothing_dropped_every_figure_paired_or_rejected():
    pages = book()
    al = align_book(pages, AlignConfig())
    figure_ids = {f.id for p in pages for f in p.figures}
    paired = [p.id for p in al.pairs]
    rejected = [r.item_id for r in al.rejects if r.item_id]
    assert sorted(paired + rejected) == sorted(figure_ids)  # each exactly once
    reasons = sorted(r.reason.value for r in al.rejects)
    assert reasons == ["no_caption", "ornament", "orphan_caption", "page_failed"]
    no_cap = next(r for r in al.rejects if r.reason == RejectReason.NO_CAPTION)
    assert (no_cap.page, no_cap.bbox_pt, no_cap.stage) == (2, (100, 500, 495, 700), Stage.ALIGN)
    assert no_cap.image  # the review UI can show what was dropped
    orphan = next(r for r in al.rejects if r.reason == RejectReason.ORPHAN_CAPTION)
    assert (orphan.page, orphan.caption) == (4, "图3-5 不存在的图")


def test_traditional_converted_and_originals_kept():
    pair = align_book(book(), AlignConfig()).pairs[0]
    assert pair.caption == "图3-1 团窠对鸟纹锦" and pair.caption_original == "圖3-1 團窠對鳥紋錦"
    assert pair.title == "团窠对鸟纹锦"
    assert pair.text == "这件织锦出土于新疆吐鲁番阿斯塔那墓地，团窠内饰对鸟。"
    assert pair.text_original == "這件織錦出土於新疆吐魯番阿斯塔那墓地，團窠內飾對鳥。"
    kept = align_book(book(), AlignConfig(to_simplified=False)).pairs[0]
    assert kept.caption == "圖3-1 團窠對鳥紋錦" and kept.text == kept.text_original


def test_keywords_deterministic_and_from_text():
    a = align_book(book(), AlignConfig()).pairs[0].keywords
    b = align_book(book(), AlignConfig()).pairs[0].keywords
    assert a == b and 0 < len(a) <= 8
    assert "阿斯塔那" in a and all(k in "团窠对鸟纹锦这件织锦出土于新疆吐鲁番阿斯塔那墓地团窠内饰对鸟" for k in a)


def test_domain_auto_and_forced():
    assert align_book(book(), AlignConfig()).domain == Domain.SILK
    al = align_book(book(), AlignConfig(domain="mural"))
    assert al.domain == Domain.MURAL and all(p.domain == Domain.MURAL for p in al.pairs)


def test_low_confidence_goes_to_rejects():
    al = align_book(book(), AlignConfig(min_confidence=0.999))
    assert not al.pairs
    low = [r for r in al.rejects if r.reason == RejectReason.LOW_CONFIDENCE]
    assert len(low) == 3 and all(r.caption and r.item_id for r in low)


def test_running_headers_not_in_descriptions():
    al = align_book(book(), AlignConfig())
    assert all("丝绸纹样史" not in p.text and "隋唐织锦" not in p.text for p in al.pairs)


def test_deterministic_output():
    assert align_book(book(), AlignConfig()) == align_book(list(reversed(book())), AlignConfig())
