"""Generated scans of caption layouts met on real scanned pages (issue 12, "Real documents III"):
a slide with three photos side by side and their captions printed in one row under them (OCR
reads the row as one line), and a report page whose chart carries its title in a band set to
the chart's width over it, with a wider picture right above the band (the band sits nearer the
picture above than the chart under it).

Built with culti.sample.ocr_cases' page specs and writer; truth.json uses the real corpus's
schema (version 2)."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from culti.sample.ocr_cases import Case, PageSpec, Plate, W, Words, _digital, _jpeg, case_truth
from culti.sample.scan import scan_pdf

ROW_CAPTIONS = ("The Silk Road Oasis", "The Mogao Caves", "Crescent Lake Spring")
BAND_TITLE = "丝绸文物修复数量与馆藏走势对比"
BAND_SIZE = 10.0
WIDE_PHOTO = (50.0, 120.0, 330.0, 260.0)  # right above the band, no caption of its own: no truth figure


def caption_row_case() -> Case:
    """A slide: three photos side by side 24 pt apart, each caption centred under its photo, all
    three in one row in large type, the captions about a word's width apart."""
    y0, y1 = 150.0, 330.0
    left, gap = 40.0, 24.0
    width = (W - 2 * left - 2 * gap) / 3
    plates = []
    for i, title in enumerate(ROW_CAPTIONS):
        x0 = left + i * (width + gap)
        cap = Words((x0 - gap / 2 + 2, y1 + 10, x0 + width + gap / 2 - 2, y1 + 40), title, 18, align=1, latin=True)
        plates.append(Plate((x0, y0, x0 + width, y1), 71 + i, "", title, cap))
    lead = Words((40, 70, 555, 100), "Which of these places would you like to visit first?", 15,
                 latin=True)
    return Case("scan-caption-row", "scanned", (PageSpec(tuple(plates), (lead,)),), dpi=150)


def band_width() -> float:
    """The width the band title's words take in the CJK font at BAND_SIZE."""
    return pymupdf.Font("china-s").text_length(BAND_TITLE, fontsize=BAND_SIZE)


def chart_band_case() -> Case:
    """A report page: a wide picture with no caption, 10 pt under it a chart title set flush
    with the chart's two edges, and 15 pt under the title the chart (a bar chart)."""
    x0 = 60.0
    x1 = x0 + band_width()
    band_top = WIDE_PHOTO[3] + 10
    band = Words((x0, band_top - 1.5, x1 + 2, band_top + 2 * BAND_SIZE), BAND_TITLE, BAND_SIZE)
    chart_top = band_top + BAND_SIZE + 15
    chart = Plate((x0, chart_top, x1, chart_top + 150), 81, "", BAND_TITLE, band,
                  caption_position="above", chart=True)
    body = Words((360, 120, 555, 600), "联珠纹在唐代织锦上极为流行，其来源可以追溯到萨珊波斯。" * 8, 10.5)
    return Case("scan-chart-band", "scanned", (PageSpec((chart,), (body,)),), dpi=150)


SHADOW_CAPTIONS = ("Lantern Festival", "Dragon Boat", "Moon Cakes")


def shadow_row_case() -> Case:
    """A landscape slide (scan-en-slide-festivals.pdf): three photos in a row, each with a grey
    drop shadow ending two points short of the next photo (on the real slide a layout box took
    two photos in; here the model boxes them apart, the extract's unit tests cover that cut),
    and a short red caption centred under each, two line heights and more apart in one row."""
    y0, y1 = 168.0, 368.0
    left, width, gap = 100.0, 250.0, 10.0
    plates = []
    for i, title in enumerate(SHADOW_CAPTIONS):
        x0 = left + i * (width + gap)
        cx = x0 + width / 2
        cap = Words((cx - 120, y1 + 18, cx + 120, y1 + 60), title, 24, align=1, sans=True,
                    color=(0.9, 0.0, 0.0))
        plates.append(Plate((x0, y0, x0 + width, y1), 91 + i, "", title, cap, shadow=8.0))
    lead = Words((80, 95, 900, 135), "Talk about which festival you like best and why.", 22, sans=True)
    return Case("scan-shadow-row", "scanned", (PageSpec(tuple(plates), (lead,), size=(960.0, 540.0)),),
                dpi=150)


COLUMN_BODY = ("The tapestry was woven in Tournai in the fifteenth century and shows the siege of "
               "the city in many scenes, one above another, with knights, ladders and tents. ")
COLUMN_CAPTION = "Medieval tapestry from the collection of the city of Tournai: the siege of Jerusalem."


def figure_in_column_case() -> Case:
    """A magazine page (scan-nl-magazine-tapestry.pdf): a headline and an introduction across
    the page, two columns of body text, a photo at the foot of the left half with a two-line
    caption under it, and the right column running down beside the photo to the caption's
    level."""
    photo = Plate((50, 430, 330, 745), 95, "", COLUMN_CAPTION,
                  Words((50, 749, 335, 782), COLUMN_CAPTION, 9, latin=True))
    words = (Words((50, 30, 545, 85), "THE TWO DOGS", 30, latin=True),
             Words((50, 90, 545, 150), COLUMN_BODY * 2, 10, latin=True),
             Words((50, 160, 290, 420), COLUMN_BODY * 5, 10, latin=True),
             Words((305, 160, 545, 420), COLUMN_BODY * 5, 10, latin=True),
             Words((345, 430, 545, 782), COLUMN_BODY * 6, 10, latin=True))
    return Case("scan-figure-in-column", "scanned", (PageSpec((photo,), words),), dpi=150)


FRAME_CAPTION = ("近年来，敦煌研究院加大石窟保护力度，组织修复人员对洞窟壁画进行全面检查，"
                 "建立规范的壁画病害档案，形成完整的数字化保护体系，壁画图像远程共享，"
                 "供各地学者研究使用。图为修复人员在洞窟内对壁画进行加固处理。")
FRAME_CREDIT = "新华社记者 李明 摄"


def framed_caption_case() -> Case:
    """A newspaper page (scan-zh-newspaper-farmers.pdf): a photo and its four-line caption with
    the photographer's credit under it, all inside one ruled frame, beside columns of body text
    and over a headline."""
    caption = Words((68, 366, 292, 428), FRAME_CAPTION + "\n" + " " * 16 + FRAME_CREDIT, 8)
    photo = Plate((66, 200, 294, 362), 97, "", FRAME_CAPTION + FRAME_CREDIT, caption, frame=True)
    body = "联珠纹在唐代织锦上极为流行，其来源可以追溯到萨珊波斯。团窠之内多饰对鸟、对兽。"
    words = (Words((60, 50, 535, 100), "石窟壁画保护有了新办法", 26, align=1),
             Words((60, 110, 535, 190), body * 5, 9),
             Words((310, 200, 535, 430), body * 9, 9),
             Words((60, 445, 535, 485), "修复工作稳步推进", 22),
             Words((60, 490, 535, 640), body * 9, 9))
    return Case("scan-framed-caption", "scanned", (PageSpec((photo,), words),), dpi=150)


def all_cases() -> list[Case]:
    return [caption_row_case(), chart_band_case()]


def paragraph_cases() -> list[Case]:
    """Scan layouts whose OCR paragraphs and figure boxes failed on real pages (issue "Real
    documents III": figures lost to OCR text grouping), built by tests/test_ocr_paragraphs.py."""
    return [shadow_row_case(), figure_in_column_case(), framed_caption_case()]


def write_case(case: Case, out_dir: Path, seed: int = 0) -> dict:
    """Given a case, write `<name>.pdf` (a scan) into out_dir and return its truth entry; the
    chart-band case gets its wide captionless picture drawn in (it is in no truth list)."""
    digital = _digital(case, outline=False)
    if case.name == "scan-chart-band":
        doc = pymupdf.open("pdf", digital)
        x0, y0, x1, y1 = WIDE_PHOTO
        doc[0].insert_image(pymupdf.Rect(WIDE_PHOTO), stream=_jpeg(82, int(2 * (x1 - x0)), int(2 * (y1 - y0))))
        digital = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
        doc.close()
    data, warps = scan_pdf(digital, case.dpi, seed)
    (out_dir / f"{case.name}.pdf").write_bytes(data)
    return case_truth(case, digital, warps)
