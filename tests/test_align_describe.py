"""Description boundaries: multi-block runs, stops, no bleeding, references, page run-over."""

from align import AlignConfig, align_book
from culti.records import BlockKind
from tests.align_fixtures.build import blk, fig, page_of, running

CFG = AlignConfig()


def cap(page, text, bbox):
    return blk(page, text, bbox, size=9)


def texts(al):
    return {p.label: p.text for p in al.pairs}


def test_multi_block_description_joined_and_bbox():
    p = page_of(1, [fig(1, 0, (100, 100, 495, 400))], [
        cap(1, "图3-1 团窠对鸟纹", (230, 408, 365, 422)),
        blk(1, "这件织锦以黄色为地，团窠内\n饰对鸟，外环联珠，", (60, 428, 535, 458)),
        blk(1, "是唐代丝绸之路上流行的纹样。", (60, 460, 535, 474)),
    ])
    pair = align_book([p], CFG).pairs[0]
    assert pair.text == "这件织锦以黄色为地，团窠内饰对鸟，外环联珠，是唐代丝绸之路上流行的纹样。"
    assert pair.text_bbox_pt == (60, 428, 535, 474)


def test_stacked_descriptions_do_not_bleed():
    p = page_of(1, [fig(1, 0, (100, 40, 495, 250)), fig(1, 1, (100, 400, 495, 610))], [
        cap(1, "图4-1 对羊纹", (230, 256, 365, 270)),
        blk(1, "对羊纹锦，羊角卷曲。", (60, 280, 535, 300)),
        blk(1, "羊身饰联珠。", (60, 305, 535, 320)),
        cap(1, "图4-2 对马纹", (230, 616, 365, 630)),
        blk(1, "对马纹锦，马生双翼。", (60, 640, 535, 660)),
    ])
    t = texts(align_book([p], CFG))
    assert t == {"图4-1": "对羊纹锦，羊角卷曲。\n羊身饰联珠。", "图4-2": "对马纹锦，马生双翼。"}


def test_side_by_side_descriptions_stay_in_their_column():
    p = page_of(1, [fig(1, 0, (60, 100, 290, 350)), fig(1, 1, (305, 100, 535, 350))], [
        cap(1, "图3-6 对马纹", (110, 358, 240, 372)),
        cap(1, "图3-7 对羊纹", (355, 358, 485, 372)),
        blk(1, "左图为对马。", (60, 380, 290, 400)),
        blk(1, "右图为对羊。", (305, 380, 535, 400)),
        blk(1, "左图马身饰花。", (60, 402, 290, 420)),
    ])
    t = texts(align_book([p], CFG))
    assert t == {"图3-6": "左图为对马。\n左图马身饰花。", "图3-7": "右图为对羊。"}


def test_stops_at_heading_and_at_paragraph_about_another_figure():
    p = page_of(1, [fig(1, 0, (100, 60, 495, 300))], [
        cap(1, "图5-1 缂丝", (230, 306, 365, 320)),
        blk(1, "缂丝通经断纬。", (60, 330, 535, 350)),
        blk(1, "第二节 刺绣", (60, 370, 300, 390), kind=BlockKind.TITLE, size=14),
        blk(1, "刺绣以针引线。", (60, 400, 535, 420)),
    ])
    assert texts(align_book([p], CFG)) == {"图5-1": "缂丝通经断纬。"}
    q = page_of(1, [fig(1, 0, (100, 60, 495, 300))], [
        cap(1, "图5-1 缂丝", (230, 306, 365, 320)),
        blk(1, "缂丝通经断纬。", (60, 330, 535, 350)),
        blk(1, "图5-9所示的刺绣则以针引线。", (60, 355, 535, 375)),
    ])
    assert texts(align_book([q], CFG)) == {"图5-1": "缂丝通经断纬。"}


def test_sentence_carried_on_under_a_figure_is_no_description():
    """Real journal (mineru-demo1-hydrology.pdf p10): under Fig. 5 the column's running text
    resumes mid-sentence ("substantially varying spatial scales, ..."): not the figure's text."""
    def page(first: str):
        return page_of(1, [fig(1, 0, (47, 94, 263, 440))], [
            cap(1, "Fig. 5. Number of zero flow days for average rainfall.", (47, 446, 263, 470)),
            blk(1, first + " spatial scales, soils and geology, species planted and climate.\n"
                "The response was fitted for each catchment.", (47, 480, 263, 520)),
        ])
    carried = align_book([page("substantially varying")], CFG).pairs[0]
    assert carried.text == "Number of zero flow days for average rainfall."  # falls back to the title
    own = align_book([page("Zero flow days over varying")], CFG).pairs[0]
    assert own.text.startswith("Zero flow days over varying")


def test_body_reference_used_when_nothing_follows_the_caption():
    p = page_of(1, [fig(1, 0, (100, 400, 495, 760))], [
        blk(1, "唐代织锦种类繁多。如图3-2所示，团窠外环为联珠，内饰猪头。图3-9则另是一类。", (60, 80, 535, 140)),
        cap(1, "图3-2 联珠猪头纹锦", (230, 766, 365, 780)),
    ])
    pair = align_book([p], CFG).pairs[0]
    assert pair.text == "联珠猪头纹锦" and pair.text_kind.value == "caption"  # the default
    pair = align_book([p], AlignConfig(body_references=True)).pairs[0]
    assert pair.text == "如图3-2所示，团窠外环为联珠，内饰猪头。"
    assert "ref-in-body" in pair.evidence


def test_description_runs_over_to_next_page_without_bleeding():
    p1 = page_of(1, [fig(1, 0, (100, 100, 495, 600))], running(1) + [
        cap(1, "图6-1 夹缬", (230, 606, 365, 620)),
        blk(1, "夹缬是用两块雕刻相同花纹的木板夹住织物，", (60, 700, 535, 780)),
    ])
    p2 = page_of(2, [fig(2, 0, (100, 300, 495, 600))], running(2) + [
        blk(2, "再注入染液而成。", (60, 60, 535, 80)),
        cap(2, "图6-2 蜡缬", (230, 606, 365, 620)),
        blk(2, "蜡缬以蜡防染。", (60, 630, 535, 650)),
    ])
    rest = [page_of(n, [], running(n) + [blk(n, "正文。", (60, 300, 535, 320))]) for n in range(3, 7)]
    t = texts(align_book([p1, p2, *rest], CFG))
    assert t == {"图6-1": "夹缬是用两块雕刻相同花纹的木板夹住织物，再注入染液而成。",
                 "图6-2": "蜡缬以蜡防染。"}


def test_caption_and_description_in_one_ocr_block():
    p = page_of(1, [fig(1, 0, (100, 100, 495, 400))], [
        blk(1, "图 7 - 2 飞 天\n飞 天 衣 带 飘 举 ，\n绕 身 而 舞 。", (60, 408, 535, 470), ocr=True),
    ], scanned=True)
    pair = align_book([p], CFG).pairs[0]
    assert (pair.label, pair.title, pair.text) == ("图7-2", "飞天", "飞天衣带飘举，绕身而舞。")


def test_caption_above_description_below_figure():
    p = page_of(1, [fig(1, 0, (100, 110, 495, 400))], [
        cap(1, "图3-2 宝相花纹", (230, 90, 365, 104)),
        blk(1, "宝相花纹锦以宝相花为主题。", (60, 420, 535, 440)),
    ])
    assert texts(align_book([p], CFG)) == {"图3-2": "宝相花纹锦以宝相花为主题。"}


def test_caption_beside_with_description_under_it_in_its_column():
    p = page_of(1, [fig(1, 0, (60, 100, 330, 400)), fig(1, 1, (60, 500, 330, 760))], [
        cap(1, "图3-3 联珠猪头纹锦", (345, 100, 535, 114)),
        blk(1, "猪头纹以联珠环绕。", (345, 124, 535, 160)),
        cap(1, "图3-4 对鹿纹", (345, 500, 535, 514)),
        blk(1, "双鹿相对而立。", (345, 524, 535, 560)),
    ])
    assert texts(align_book([p], CFG)) == {"图3-3": "猪头纹以联珠环绕。", "图3-4": "双鹿相对而立。"}
