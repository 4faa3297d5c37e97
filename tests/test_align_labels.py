"""Caption labels in every style, OCR noise, and references that are not captions."""

import pytest

from align import find_references, normalize_label, parse_caption
from align.labels import parse_subcaption


@pytest.mark.parametrize(
    ("text", "label", "title"),
    [
        ("图3-14  团窠对鸟纹", "图3-14", "团窠对鸟纹"),
        ("图 3－14 团窠对鸟纹", "图3-14", "团窠对鸟纹"),
        ("图3.14 联珠猪头纹锦", "图3-14", "联珠猪头纹锦"),
        ("图3—14：宝相花纹", "图3-14", "宝相花纹"),
        ("图12 对羊纹", "图12", "对羊纹"),
        ("图十二 对马纹", "图十二", "对马纹"),
        ("图版五 飞天", "图版五", "飞天"),
        ("图版 12 藻井图案", "图版12", "藻井图案"),
        ("插图2 织机复原", "插图2", "织机复原"),
        ("图 3- 1 4 团 窠 对 鸟 纹", "图3-14", "团 窠 对 鸟 纹"),
        ("圖3-14 團窠對鳥紋", "图3-14", "團窠對鳥紋"),
        ("图３－１４　团窠对鸟纹", "图3-14", "团窠对鸟纹"),
        ("图3-5(a) 局部", "图3-5(a)", "局部"),
        ("图3-5（乙） 背面", "图3-5(乙)", "背面"),
        ("Fig. 7 Silk fragment", "图7", "Silk fragment"),
        ("| 图3-14 团窠对鸟纹 |", "图3-14", "团窠对鸟纹"),
    ],
)
def test_caption_label_styles(text, label, title):
    parsed = parse_caption(text)
    assert parsed is not None, text
    assert parsed.label == label
    assert parsed.title == title


@pytest.mark.parametrize(
    "text",
    [
        "如图3-2所示，团窠外环为联珠。",
        "图3-2所示的纹样与前者相同。",
        "图3-2中可见经线显花。",
        "见图版五，飞天衣带飘举。",
        "这件织锦（图3-14）出土于阿斯塔那。",
        "本章讨论唐代织锦。",
        "图表统计如下",
    ],
)
def test_references_are_not_captions(text):
    assert parse_caption(text) is None


def test_find_references_normalises_every_mention():
    refs = find_references("如图3-2所示，又见图版五和圖 3 - 1 4，比较图3-5(a)。")
    assert refs == ["图3-2", "图版五", "图3-14", "图3-5(a)", "图3-5"]


def test_normalize_label_ocr_noise():
    assert normalize_label("圖 3 － 1 4") == "图3-14"
    assert normalize_label("图 版 12") == "图版12"
    assert normalize_label("插圖 2") == "插图2"
    assert normalize_label("no label here") == ""


def test_label_on_its_own_line_takes_next_line_as_title():
    parsed = parse_caption("图3-14\n团窠对鸟纹\n这件织锦出土于新疆吐鲁番阿斯塔那墓地。")
    assert (parsed.label, parsed.title) == ("图3-14", "团窠对鸟纹")
    assert parsed.rest == "这件织锦出土于新疆吐鲁番阿斯塔那墓地。"


def test_printed_label_keeps_its_style():
    assert parse_caption("图 3.14 锦").printed_label == "图3.14"
    assert parse_caption("圖 3 - 1 4 锦").printed_label == "圖3-14"  # t2s comes later
    assert parse_caption("Fig.7 silk").printed_label == "Fig. 7"


@pytest.mark.parametrize(
    ("text", "sub", "title"),
    [("(a)", "a", ""), ("（b） 局部", "b", "局部"), ("（甲）", "甲", ""), ("乙", "乙", ""),
     ("(c) 背面", "c", "背面")],
)
def test_subcaptions(text, sub, title):
    s = parse_subcaption(text)
    assert (s.sub_label, s.title) == (sub, title)


@pytest.mark.parametrize("text", ["乙方", "甲骨文是一种古老文字，记录了商代的占卜。", "(a) " + "很长" * 20])
def test_not_subcaptions(text):
    assert parse_subcaption(text) is None


def test_wrapped_title_line_joins_the_title_not_the_description():
    parsed = parse_caption("图版一六〇 第196窟北壁供养人\n行列\n晚唐壁画，位于莫高窟第196窟北壁。")
    assert parsed.title == "第196窟北壁供养人行列"
    assert parsed.rest.startswith("晚唐壁画")


def test_word_caption_label_tubiao_is_a_label():
    """rapiddoc-thesis p8: Word's Chinese caption label 图表 1.1 (its table label 表格 2.1 is none)."""
    cap = parse_caption("图表 1.1 这是一幅牛的图片")
    assert cap.label == "图表1-1" and cap.title == "这是一幅牛的图片" and cap.printed_label == "图表1.1"
    assert parse_caption("如图表1.1所示，牛很大") is None and parse_caption("表格 2.1 一个简单的表格") is None
