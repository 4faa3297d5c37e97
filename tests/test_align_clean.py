"""Clean-up rules on real-looking OCR output; running headers learnt from repetition; domain."""

import pytest

from align import AlignConfig, clean_text, detect_domain
from align.headers import is_page_number, is_running, learn_running
from culti.records import BlockKind, Domain
from tests.align_fixtures.build import blk, fig, page_of, running


def test_spaces_between_cjk_removed_latin_kept():
    raw = "这 件 团 窠 对 鸟 纹 锦 出 土 于 新 疆 ， 见 Stein collection 藏品"
    assert clean_text(raw) == "这件团窠对鸟纹锦出土于新疆，见 Stein collection 藏品"


def test_full_width_to_half_width_digits_and_latin_kept_cjk_punct():
    raw = "公元７５０年前后，ＬＡＣＬＩＰ模型（Ａ）组"
    assert clean_text(raw) == "公元750年前后，LACLIP模型(A)组"


def test_ocr_ascii_punct_next_to_cjk_goes_full_width():
    assert clean_text("团窠外环为联珠,内为对鸟.") == "团窠外环为联珠，内为对鸟。"
    assert clean_text("图3.14 锦 (唐代)") == "图3.14锦（唐代）"


def test_broken_lines_joined():
    raw = "这件织锦以黄色为地，团\n窠内饰对鸟，外环联珠，\n是唐代 Sogdian\nweaving 的代表。Dun-\nhuang 藏经洞"
    assert clean_text(raw) == (
        "这件织锦以黄色为地，团窠内饰对鸟，外环联珠，是唐代 Sogdian weaving 的代表。Dunhuang 藏经洞"
    )


def test_number_broken_across_lines_joined():
    assert clean_text("约公元7\n50年") == "约公元750年"


def test_traditional_to_simplified_optional():
    raw = "這件團窠對鳥紋錦出土於新疆"
    assert clean_text(raw) == "这件团窠对鸟纹锦出土于新疆"
    assert clean_text(raw, to_simplified=False) == raw


def test_paragraphs_kept_apart():
    assert clean_text("第一段。\n\n第二段") == "第一段。\n第二段"


@pytest.mark.parametrize("text", ["12", "- 12 -", "·12·", "第12页", "xii", "p. 7"])
def test_page_numbers(text):
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["图12", "1200年", "第三章"])
def test_not_page_numbers(text):
    assert not is_page_number(text)


def test_running_headers_learnt_from_repetition():
    cfg = AlignConfig()
    pages = []
    for n in range(1, 9):
        body = blk(n, f"正文第{n}页的内容，讲述织锦。", (60, 300, 540, 330))
        # a one-off chapter opening at the top of page 1 must stay
        extra = [blk(n, "本页上方的独特标题文字", (60, 30, 300, 44))] if n == 1 else []
        pages.append(page_of(n, blocks=running(n) + extra + [body]))
    keys = learn_running(pages, cfg)
    for p in pages:
        kept = [b.text for b in p.blocks if not is_running(b, p, keys, cfg)]
        assert any(t.startswith("正文") for t in kept)
        assert not any("丝绸" in t or "隋唐" in t or t.strip("- ").isdigit() for t in kept)
    first = [b.text for b in pages[0].blocks if not is_running(b, pages[0], keys, cfg)]
    assert "本页上方的独特标题文字" in first


def test_running_header_modulo_digits():
    cfg = AlignConfig()
    pages = [page_of(n, blocks=[blk(n, f"第{n}章 纹样 {n * 2}", (60, 800, 300, 812), ocr=True)])
             for n in range(1, 7)]
    keys = learn_running(pages, cfg)
    assert all(is_running(p.blocks[0], p, keys, cfg) for p in pages)


def test_first_page_variant_of_the_running_header_is_running():
    """Real journal (mineru-demo1-hydrology.pdf p1): under the masthead, lower than the running
    header band, "Journal of Hydrology 310 (2005) 253-265" shortens the running header of the
    other pages; read as an unlabelled caption it made the publisher's logo a figure."""
    cfg = AlignConfig()
    header = "P.N.J. Lane et al. / Journal of Hydrology {} (2005) 253-265 {}"
    pages = [page_of(n, blocks=[blk(n, header.format(310, 253 + n), (47, 71, 375, 78)),
                                blk(n, f"Body text of page {n} about flow duration curves.", (47, 300, 500, 330))])
             for n in range(2, 8)]
    first = page_of(1, blocks=[blk(1, "Journal of Hydrology 310 (2005) 253-265", (201, 125, 338, 132)),
                               blk(1, "Journal of Hydrology (2005)", (201, 140, 338, 147)),
                               blk(1, "Hydrology 310", (201, 150, 338, 157))])
    keys = learn_running(pages, cfg)
    kept = [b.text for b in first.blocks if not is_running(b, first, keys, cfg)]
    # the variant goes; a phrase not inside the header in order, and a short one, stay
    assert kept == ["Journal of Hydrology (2005)", "Hydrology 310"]
    body = pages[0].blocks[1]
    assert not is_running(body, pages[0], keys, cfg)


def test_detect_domain_from_vocabulary():
    silk = [page_of(1, blocks=[blk(1, "此件织锦以经线显花，平纹地上织出团窠联珠纹。", (50, 100, 500, 140))])]
    mural = [page_of(1, blocks=[blk(1, "莫高窟第220窟北壁绘药师经变，窟顶藻井饰飞天。", (50, 100, 500, 140))],
                     source="x.pdf")]
    assert detect_domain(silk) == Domain.SILK
    assert detect_domain(mural) == Domain.MURAL
    trad = [page_of(1, blocks=[blk(1, "莫高窟第220窟北壁繪藥師經變，窟頂藻井。", (50, 100, 500, 140), ocr=True)])]
    assert detect_domain(trad) == Domain.MURAL


def test_detect_domain_falls_back_on_file_name():
    pages = [page_of(1, figures=[fig(1, 0, (50, 50, 500, 500), source="mural-02.pdf")],
                     source="mural-02.pdf")]
    assert detect_domain(pages) == Domain.MURAL


def test_config_validated():
    with pytest.raises(ValueError, match="domain"):
        AlignConfig(domain="bronze")
    with pytest.raises(ValueError, match="min_confidence"):
        AlignConfig(min_confidence=1.5)


def test_extract_footer_guess_does_not_drop_a_description_line():
    cfg = AlignConfig()
    line = blk(1, "纹样规整，色彩对比鲜明。", (60, 790, 300, 804), kind=BlockKind.FOOTER)
    title = blk(1, "中国丝绸纹样图典", (60, 20, 300, 34), kind=BlockKind.HEADER)
    p = page_of(1, blocks=[title, line])
    keys = learn_running([p], cfg)
    assert not is_running(p.blocks[1], p, keys, cfg)
    assert is_running(p.blocks[0], p, keys, cfg)
