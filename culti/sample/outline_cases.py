"""Generated outline-text pages after real ones that failed: the Dunhuang handout and the Beijing
standard with their words redrawn as glyph outlines (benchmarks/real_corpus, `outlined-*`).

Page 1 is a slide: a tinted panel under everything (glyphs on a filled shape were taken for a
figure's ground and never read), a caption set vertically beside its picture, and three small
captions right over a larger heading (one paragraph region swallowed all four lines). Page 2 is a
plate page whose only words are its caption: too few glyphs for the page-wide outline test, so
the page was `digital` with no text at all."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from culti.sample import ocr_cases
from culti.sample.ocr_cases import Case, PageSpec, Plate, Words
from culti.sample.writer import FIXED_METADATA

PANEL = (30.0, 60.0, 565.0, 440.0)  # the slide's tinted ground (page 1)
PANEL_FILL = (0.95, 0.95, 0.95)
SMALL_CAPTIONS = ("修复前", "修复后", "动态化")
HEADING = "纹样动态化设计"
SLIDE_TEXT = "基于单张图像生成连续视频，将修复后的织锦纹样转化为动态展示，便于观众理解纹样的组织与配色。"


def outline_slides_case() -> Case:
    """The two pages described in the module docstring, as an outline case."""
    vertical = Plate((120, 110, 380, 260), 61, "", "不同纹样的对比图",
                     Words((392, 118, 410, 260), "不同纹样的对比图", 9, vertical=True),
                     caption_position="right")
    smalls = tuple(
        Plate((x, 280, x + 80, 340), 62 + i, "", title,
              Words((x, 344, x + 80, 356), title, 7, align=1))
        for i, (x, title) in enumerate(zip((90.0, 257.5, 425.0), SMALL_CAPTIONS, strict=True)))
    slide = PageSpec((vertical, *smalls),
                     (Words((60, 66, 330, 96), "核心纹样及修复结果", 14),
                      Words((60, 352, 400, 376), HEADING, 12),
                      Words((60, 378, 535, 430), SLIDE_TEXT, 8)))
    plate = Plate((100, 100, 495, 500), 66, "图5", "红地团花纹锦",
                  Words((100, 508, 495, 524), "图5  红地团花纹锦", 10, align=1))
    return Case("outline-slides", "outline", (slide, PageSpec((plate,))))


def write_outline_slides(out_dir: Path, seed: int = 0) -> dict:
    """Write `outline-slides.pdf` into out_dir (the slide's panel drawn under the page's
    content) and return its truth entry."""
    case = outline_slides_case()
    truth = ocr_cases.write_case(case, out_dir, seed)
    path = out_dir / truth["file"]
    doc = pymupdf.open(path)
    doc[0].draw_rect(pymupdf.Rect(PANEL), color=None, fill=PANEL_FILL, overlay=False)
    doc.set_metadata(FIXED_METADATA)
    data = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    doc.close()
    path.write_bytes(data)
    return truth


TABLE_CELLS = (("方法", "平均PSNR", "平均MSE"), ("无微调模型", "11.9097", "0.0692"),
               ("微调模型", "17.3914", "0.0198"))
LEAD_IN = "（3）纹样测绘图纸样例："
WIDE_DESCRIPTION = ("在多组参数配置的对比实验中，当参数设置为sigma1=1.0、sigma2=1.2时，提取出的轮廓图"
                    "能较好保留纹样的主要结构，同时抑制细小噪点。")
HUGGING_DESCRIPTION = "在去噪迭代中，掩码需缩放到潜在变量的分辨率，细小病害结构在下采样时易丢失，为此引入高斯膨胀。"


def outline_table_case() -> Case:
    """An outline slide whose picture's caption is followed by a table of results (short cells,
    no sentence), and a plate page whose caption is followed by the lead-in to the next list
    ("……样例："), and a picture with its caption set vertically beside it and its description
    under it, wider than picture and caption, and such a picture whose description hugs its
    foot within its width: after the Dunhuang handout's and Beijing
    standard's outlined pages, where the table cells and the lead-in became the figures'
    descriptions, the wide description was dropped and the hugging one taken for the caption
    (scan cues: OCR text was never tested for
    running text, and a scan's description is set to its photo's width; outline glyphs keep
    punctuation and boxes as a text layer does)."""
    chart = Plate((120, 80, 475, 300), 71, "", "有无微调模型的修复结果对比",
                  Words((120, 306, 475, 324), "有无微调模型的修复结果对比", 10, align=1))
    cells = tuple(Words((130 + 120 * c, 326 + 20 * r, 240 + 120 * c, 344 + 20 * r), text, 9)
                  for r, row in enumerate(TABLE_CELLS) for c, text in enumerate(row))
    plate = Plate((100, 100, 495, 420), 72, "图8", "院落立面图",
                  Words((100, 428, 495, 444), "图8  院落立面图", 10, align=1))
    lead = Words((100, 447, 525, 465), LEAD_IN, 10)
    beside = Plate((150, 100, 400, 260), 73, "", "最终采用参数生成的轮廓图",
                   Words((412, 110, 430, 260), "最终采用参数生成的轮廓图", 9, vertical=True),
                   description=Words((60, 274, 535, 310), WIDE_DESCRIPTION, 9),
                   caption_position="right")
    hugged = Plate((120, 100, 420, 280), 74, "", "放缩掩码后有无使用高斯膨胀的修复结果对比图",
                   Words((424, 110, 442, 280), "放缩掩码后有无使用高斯膨胀的修复结果对比图", 7, vertical=True),
                   description=Words((120, 288, 420, 324), HUGGING_DESCRIPTION, 9),
                   caption_position="right")
    return Case("outline-table", "outline",
                (PageSpec((chart,), cells), PageSpec((plate,), (lead,)), PageSpec((beside,)),
                 PageSpec((hugged,))))
