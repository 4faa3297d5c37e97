"""Issue 11: captions as an editor finds them on real layouts, one generated page per case.

Each test builds the real-layouts book (culti.sample.real_layouts), runs extract and align on it
and checks the pairs of its case against the book's truth.
"""

from __future__ import annotations

import pytest

from align import AlignConfig, align_book
from align.geometry import iou
from culti.records import RejectReason, TextKind
from culti.sample.real_layouts import real_layouts_book, write_real_layouts
from extract import ExtractConfig, extract_book, open_book


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("real-layouts")
    path, truth = write_real_layouts(out, seed=0)
    pages = list(extract_book(open_book(path), ExtractConfig(workers=1, progress=False)))
    return truth, pages, align_book(pages, AlignConfig())


def _case(book, case):
    truth, _, alignment = book
    out = []
    for t in (t for t in truth["figures"] if t["case"] == case):
        found = [p for p in alignment.pairs
                 if p.figure.page == t["page"] and iou(p.figure.bbox_pt, tuple(t["bbox"])) >= 0.8]
        assert len(found) == 1, (case, t["key"], t["title"], [
            (r.reason.value, r.detail) for r in alignment.rejects
            if r.page == t["page"] and r.bbox_pt and iou(r.bbox_pt, tuple(t["bbox"])) >= 0.5])
        out.append((t, found[0]))
    assert out, case
    return out


def _same(a: str, b: str) -> bool:
    return a.replace(" ", "") == b.replace(" ", "")


def test_unlabelled_captions_pair_by_geometry_and_type(book):
    for t, pair in _case(book, "unlabelled"):
        assert pair.label == "" and _same(pair.title, t["title"]), (t, pair.title)
        assert "unlabelled" in pair.evidence
    below, above = _case(book, "unlabelled")
    assert below[1].text_kind == TextKind.DESCRIPTION and below[1].text == below[0]["description"]
    assert above[1].text_kind == TextKind.CAPTION  # the body prose under it is no description


def test_plate_grid_each_thumbnail_gets_its_own_caption(book):
    pairs = _case(book, "plate-grid")
    assert len(pairs) == 9
    for t, pair in pairs:
        assert _same(pair.title, t["title"]), (t["title"], pair.title)  # both lines, not a neighbour's
        assert pair.caption_bbox_pt is not None and iou(pair.caption_bbox_pt, tuple(t["caption_bbox"])) > 0.6
    assert len({p.title for _, p in pairs}) == 9


def test_small_figures_beside_their_captions_are_kept(book):
    pairs = _case(book, "small-figures")
    assert [p.label for _, p in pairs] == ["图3", "图4", "图5"]
    assert all(_same(p.title, t["title"]) for t, p in pairs)
    truth, pages, alignment = book
    page = pairs[0][0]["page"]
    orphans = [r for r in alignment.rejects if r.page == page and r.reason == RejectReason.ORPHAN_CAPTION]
    assert not orphans


def test_icons_and_logos_stay_below_the_floor(book):
    truth, pages, alignment = book
    for nf in truth["not_figures"]:
        assert not [p for p in alignment.pairs if p.figure.page == nf["page"]
                    and iou(p.figure.bbox_pt, tuple(nf["bbox"])) > 0.3], nf
        rejects = [r for r in alignment.rejects if r.page == nf["page"] and r.bbox_pt
                   and iou(r.bbox_pt, tuple(nf["bbox"])) > 0.8]
        assert rejects and rejects[0].reason in (RejectReason.TOO_SMALL, RejectReason.REPEATED,
                                                 RejectReason.ORNAMENT), nf


def test_two_images_one_caption_are_one_figure(book):
    ((t, pair),) = _case(book, "one-caption")  # one row whose box covers both pictures
    assert pair.label == "图5" and _same(pair.title, t["title"]) and "one-caption" in pair.evidence
    assert pair.text == t["description"]
    _, pages, alignment = book
    (page,) = [p for p in pages if p.page == t["page"]]
    assert len(page.figures) == 2  # extract saw two images...
    merged = [r for r in alignment.rejects if r.page == t["page"] and r.reason == RejectReason.MERGED]
    assert len(merged) == 1 and pair.figure.id in merged[0].detail  # ...nothing is lost
    import io

    from PIL import Image
    w, h = Image.open(io.BytesIO(pair.figure.image)).size
    assert abs(w / h - 150 / 186) < 0.02  # both pictures pasted, one above the other


def test_multi_line_caption_keeps_its_second_line(book):
    ((t, pair),) = _case(book, "multi-line")
    assert pair.label == "图1" and _same(pair.title, t["title"]), pair.title
    assert pair.text == t["description"]  # the second caption line is not the description's start
    _, _, alignment = book
    assert not [r for r in alignment.rejects if r.page == t["page"]
                and r.reason == RejectReason.ORPHAN_CAPTION]


def test_positional_captions_pair_by_marker(book):
    pairs = _case(book, "positional")
    assert [p.label for _, p in pairs] == ["图1", "图2", "图3", "图4"]
    for t, pair in pairs:
        assert _same(pair.title, t["title"]), (t["title"], pair.title)
        assert any(e.startswith("position:") for e in pair.evidence)
    assert pairs[0][1].caption.startswith("图1（左）")


def test_caption_without_description_is_a_pair(book):
    pairs = _case(book, "caption-only")
    for t, pair in pairs:
        assert pair.text_kind == TextKind.CAPTION and pair.text == pair.title == t["title"]
        assert pair.text_bbox_pt is None


def test_description_ends_where_its_paragraph_ends(book):
    truth, _, alignment = book
    by_key = {t["key"]: t for t in truth["figures"]}
    for case in ("unlabelled", "small-figures", "multi-line", "positional", "caption-only"):
        for t, pair in _case(book, case):
            if pair.text_kind == TextKind.DESCRIPTION:
                assert pair.text == by_key[t["key"]]["description"], (case, pair.text)
            else:
                assert by_key[t["key"]]["description"] == "", (case, t["key"])


def test_real_layouts_book_is_deterministic(tmp_path):
    a, truth_a = write_real_layouts(tmp_path / "a", seed=3)
    b, truth_b = write_real_layouts(tmp_path / "b", seed=3)
    assert a.read_bytes() == b.read_bytes() and truth_a == truth_b
    _, truth = real_layouts_book(seed=3)
    cases = {f["case"] for f in truth["figures"]}
    assert cases == {"unlabelled", "plate-grid", "small-figures", "one-caption", "multi-line",
                     "positional", "caption-only", "vertical-caption", "caption-then-heading",
                     "page-break", "running-text"}
    assert all(f["label"] == "" for f in truth["figures"] if f["case"] in ("unlabelled", "plate-grid"))


def test_vertical_caption_beside_its_picture_reads_top_to_bottom(book):
    vertical, far = _case(book, "vertical-caption")
    for t, pair in (vertical, far):
        assert pair.label == "" and pair.title == t["title"] and pair.caption == t["caption"]
        assert pair.text_kind == TextKind.CAPTION  # the table of results under it is no description
    assert "vertical" in vertical[1].evidence and "right" in vertical[1].evidence
    assert "beside-alone" in far[1].evidence  # the caption stands alone 26 pt right of its picture


def test_vertical_caption_broken_by_a_word_is_joined():
    """dunhuang p13: "有无微调" / "ControlNet" (turned on its side) / "可视化结果对比" are one caption."""
    from tests.align_fixtures.build import blk, fig, page_of

    pieces = [("有无微调", (426.4, 137.5, 433.3, 165.3)), ("ControlNet", (426.1, 165.4, 433.8, 196.4)),
              ("可视化结果对比", (426.4, 196.4, 433.3, 245.4))]
    p = page_of(1, [fig(1, 0, (109.2, 101.9, 414.8, 282.2))],
                [blk(1, "核心算法及实验结果", (65, 82, 192, 101), size=14)]
                + [blk(1, t, box, size=6.96) for t, box in pieces]
                + [blk(1, "在扩散去噪过程中，本文在每一步引入掩码约束：在病害区域进行生成，\n完好区域保持原始加噪结果。",
                       (112, 290, 412, 310), size=8.04)])
    (pair,) = align_book([p], AlignConfig()).pairs
    assert pair.title == "有无微调ControlNet可视化结果对比" and pair.label == ""
    assert pair.caption_bbox_pt == (426.1, 137.5, 433.8, 245.4)
    # its description: a colon inside a line is no lead-in to a list
    assert pair.text_kind == TextKind.DESCRIPTION and pair.text.startswith("在扩散去噪过程中")


def test_caption_followed_by_a_numbered_heading_keeps_its_title(book):
    pairs = _case(book, "caption-then-heading")
    for t, pair in pairs:
        assert pair.caption.replace(" ", "") == t["caption"].replace(" ", ""), pair.caption
        assert pair.text_kind == TextKind.CAPTION and pair.text == t["title"]  # no list item, no clause
        assert not any(pair.caption.endswith(c) for c in "：:")


def test_composite_over_two_pages_and_caption_over_the_page_break(book):
    pairs = _case(book, "page-break")
    composite = [(t, p) for t, p in pairs if t["label"] == "图1"]
    assert len(composite) == 4 and {p.group_hint for _, p in composite} != {None}
    assert len({p.group_hint for _, p in composite}) == 1
    for t, pair in composite:
        assert pair.caption.replace(" ", "").startswith(t["caption"].replace(" ", ""))
        assert pair.caption_page == t["caption_page"]
    assert [("continued" in p.evidence) for t, p in composite] == [True, True, False, False]
    (t, pushed), = [(t, p) for t, p in pairs if t["label"] == "图2"]
    assert pushed.label == "图2" and pushed.caption_page == t["caption_page"] == t["page"] + 1
    assert "next-page" in pushed.evidence
    (t, after), = [(t, p) for t, p in pairs if t["label"] == "图3"]
    assert after.label == "图3"  # the caption that opened the page was not taken from its own figure


def test_paragraph_after_a_figure_in_running_text_is_no_description(book):
    pairs = _case(book, "running-text")
    assert len(pairs) == 3
    for t, pair in pairs:
        assert pair.text_kind == TextKind.CAPTION and pair.text == t["title"], (t["key"], pair.text)


def test_centred_caption_a_little_larger_than_the_body_pairs():
    """dunhuang p17: "模型导入模块" (9.96 pt, body 8.04) centred right under a screenshot; a heading
    in 12 pt under a picture, not centred on it, is none."""
    from tests.align_fixtures.build import blk, fig, page_of

    body = "敦煌壁画修复与视觉重建系统主要使用Pyside6实现，包括模型导入模块、壁画病害区域检测模块。"
    p = page_of(1, [fig(1, 0, (50.4, 487.1, 270.0, 636.5)), fig(1, 1, (118.7, 112.2, 243.0, 236.4))], [
        blk(1, "壁画图像超分辨率设计", (59.7, 264.3, 179.7, 280.0), size=12.0),
        blk(1, body, (59.7, 281.9, 477.2, 316.4), size=8.04),
        blk(1, body, (59.7, 330.0, 477.2, 364.4), size=8.04),
        blk(1, "模型导入模块", (123.0, 638.8, 182.8, 648.7), size=9.96)])
    al = align_book([p], AlignConfig())
    assert [(x.figure.index, x.title) for x in al.pairs] == [(0, "模型导入模块")]
    assert "centred" in al.pairs[0].evidence


def test_list_level_with_the_caption_is_another_column():
    """dunhuang p9: a bulleted list beside the caption under a picture is no description."""
    from tests.align_fixtures.build import blk, fig, page_of

    p = page_of(1, [fig(1, 0, (61.8, 102.6, 375.6, 211.0))], [
        blk(1, "整合数据集示例", (193.1, 212.1, 241.8, 221.2), size=6.96),
        blk(1, "数据增强：\n•\n几何增强：翻转、旋转，提高方向鲁棒性\n•\n质量扰动：高斯模糊，增强抗退化能力",
            (331.2, 219.3, 506.3, 277.9), size=8.04)])
    (pair,) = align_book([p], AlignConfig()).pairs
    assert pair.text_kind == TextKind.CAPTION and pair.text == "整合数据集示例"


def test_table_caption_over_a_drawn_table_is_no_figure_caption():
    """beijing p17: "表5.4.7 …" centred over a table drawn in vectors names the table."""
    from tests.align_fixtures.build import blk, fig, page_of

    p = page_of(1, [fig(1, 0, (58.2, 208.3, 537.2, 727.3))], [
        blk(1, "历史建筑数字化测绘图成果应符合表5.4.7的规定。", (105.8, 167.5, 350.8, 181.2), size=10.45),
        blk(1, "表5.4.7 测绘图纸绘制内容和标注要求", (218.8, 187.9, 392.1, 201.6), size=10.45)])
    al = align_book([p], AlignConfig())
    assert not al.pairs and [r.reason for r in al.rejects] == [RejectReason.NO_CAPTION]
    p = page_of(1, [fig(1, 0, (58.2, 208.3, 537.2, 727.3))], [
        blk(1, "敦煌莫高窟第220窟北壁", (218.8, 187.9, 392.1, 201.6), size=8.0)])
    assert align_book([p], AlignConfig()).pairs  # the same place, a caption without a label: paired


def test_heading_line_is_cut_off_its_paragraph():
    """ibm-redp5110 p83: MuPDF gives a bold 12 pt heading and the 10 pt line under it as one block."""
    from extract.text import split_headings

    lines = [{"block": 3, "bbox": (136.8, 497.0, 382.6, 508.1), "text": "Data access for SECURITY user with RCAC",
              "size": 12.0, "font": "Helvetica-Bold"},
             {"block": 3, "bbox": (136.8, 512.1, 382.9, 521.4), "text": "To test a SECURITY user, complete the "
              "following steps:", "size": 9.96, "font": "Helvetica"},
             {"block": 4, "bbox": (136.8, 529.1, 531.5, 538.3), "text": "1. Confirm that the user is",
              "size": 9.96, "font": "Helvetica"}]
    out = split_headings(lines)
    assert out[0]["block"] != out[1]["block"] and out[1]["block"] != out[2]["block"]
    body = [dict(ln, size=9.96) for ln in lines]
    assert [ln["block"] for ln in split_headings(body)] == [3, 3, 4]  # same type: one paragraph


def test_caption_text_keeps_spaces_commas_and_no_replacement_char():
    """mineru-materials p3 / stereo p4: word spaces set as spans of their own; hydrology p2: the
    comma before a caption's wrapped line; a glyph with no character (U+FFFD) never in a row."""
    from align import clean_text, parse_caption
    from extract.text import pymupdf_lines

    span = {"size": 8.0, "font": "AdvGulliv-R", "bbox": (0, 0, 10, 8)}
    words = [dict(span, text=t) for t in ("Twist", " ", "channel", " ", "of", " ", "TE", " ", "die")]
    (line,) = pymupdf_lines({"blocks": [{"lines": [{"spans": words}]}]})
    assert line["text"] == "Twist channel of TE die"
    parsed = parse_caption("Fig. 1. Annual flow duration curves of daily flows from Pine Creek,\n"
                           "Australia, 1989–2000.")
    from align.captions import _title_tail
    assert _title_tail(parsed.rest)
    assert (parsed.title + parsed.rest).replace(" ", "").startswith("Annualflow") and "Creek," in parsed.title
    assert clean_text("with a = 90\ufffd and b = 60\ufffd.") == "with a = 90 and b = 60."


def test_english_reference_wrapped_to_a_line_start_is_no_caption():
    from align.blocks import split_block
    from tests.align_fixtures.build import blk

    b = blk(1, "6. Click the Columns tab to see the columns of the ACCOUNTS table, as shown in\n"
               "Figure 4-10.", (137, 72, 510, 93), size=9.96)
    assert split_block(b) == [b]
    caption = blk(1, "Frame 30\nFigure 2: Two sample frames from the synthetic video\nsequence (1st row).",
                  (49, 474, 300, 536), size=9.96)
    head, cap = split_block(caption)
    assert head.text == "Frame 30" and cap.text.startswith("Figure 2:") and cap.text.endswith("row).")


def test_figure_labels_in_english():
    from align import parse_caption

    assert parse_caption("Figure 1-1 All-or-nothing access").label == "图1-1"
    assert parse_caption("Fig. 3. SEM images").printed_sep == "."
    assert parse_caption("Figure 3 shows the result") is None  # running text


def test_section_heading_over_a_picture_is_no_unlabelled_caption():
    from tests.align_fixtures.build import blk, fig, page_of

    p = page_of(1, [fig(1, 0, (150, 120, 450, 320))], [
        blk(1, "一、水平面内的圆周运动的两种模型", (200, 96, 400, 110), ocr=True),
        blk(1, "唐 红地联珠对鸟纹锦", (250, 326, 350, 338), ocr=True),
    ])
    from align.captions import find_captions

    (cap,) = find_captions(p, set(), None).captions  # the heading is not one
    assert cap.title == "唐 红地联珠对鸟纹锦"
    (pair,) = align_book([p], AlignConfig()).pairs
    assert pair.title == "唐红地联珠对鸟纹锦" and pair.label == ""


def test_culti_sample_writes_the_real_layouts_book(tmp_path):
    import json

    from tests.conftest import run_culti

    run_culti("sample", "--out", str(tmp_path), "--books", "1", "--figures", "1", "--real-layouts")
    truth = json.loads((tmp_path / "real-layouts-truth.json").read_text(encoding="utf-8"))
    assert truth["version"] == 2 and truth["books"][0]["file"] == "real-layouts-digital.pdf"
    assert (tmp_path / "real-layouts-digital.pdf").stat().st_size > 10_000


def test_loader_filters_by_text_kind(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    import dataset
    from culti.contract import SCHEMA_KEY, SCHEMA_VERSION

    for split in ("train", "validation", "test"):
        table = pa.table({"id": [f"{split}-a", f"{split}-b"], "text": ["说明。", "团窠对鸟纹锦"],
                          "title": ["团窠", "团窠对鸟纹锦"], "text_kind": ["description", "caption"]})
        # the loader reads only files of this schema version, as a build writes them
        pq.write_table(table.replace_schema_metadata({SCHEMA_KEY: SCHEMA_VERSION}), tmp_path / f"{split}.parquet")
    df = dataset.load(tmp_path, split="train", text_kind="description")
    assert df["id"].tolist() == ["train-a"]
    assert dataset.load(tmp_path, text_kind="caption")["id"].tolist() == ["train-b", "validation-b", "test-b"]
    with pytest.raises(ValueError, match="text_kind"):
        dataset.load(tmp_path, text_kind="summary")
