"""Generated pages where a picture's text is not a caption line (issue "Real documents III"):
a journal's cover note, its heading ("Cover picture", 封面说明) beside or under the picture and
the note's paragraph under the heading (scan-en-journal-issue-page.pdf), and a newspaper photo
story (组图): two photos a gutter apart, each with its own caption, and a headline and lead
paragraph set in the corner of the group that both photos share as description
(scan-zh-newspaper-education.pdf), between the columns of other articles.

Each case is written scanned (OCR blocks) or digital (a text layer) with culti.sample.ocr_cases'
page specs and writer; truth.json uses the real corpus's schema (version 2)."""

from __future__ import annotations

from pathlib import Path

from culti.sample import ocr_cases
from culti.sample.ocr_cases import BODY, NEWS_BODY, Case, PageSpec, Plate, Words

COVER_HEADING = "Cover picture"
COVER_TEXT = ("The cover picture shows a silk banner from the cave library at Dunhuang, mounted on "
              "new silk dyed to match its ground. As described by the conservators in their article "
              "(pp. 41-52), the threads were cleaned by hand over two years.")
NOTE_HEADING = "封面说明"
NOTE_TEXT = "封面为莫高窟第45窟西壁龛内彩塑，盛唐时期作品。菩萨神情端庄，衣纹流畅，色彩保存完好，是盛唐彩塑的代表作。"
LEAD_HEADLINE = ("守护千年丝路", "传承织锦技艺")
LEAD_TEXT = ("9月13日是第十个“文物保护日”。各地博物馆开展织锦修复体验活动，"
             "传播文物保护知识与理念，提升公众保护意识。")
GROUP_CAPTIONS = ("9月12日，在中国丝绸博物馆，修复师为学生讲解织锦修复知识",
                  "9月12日，敦煌研究院讲解员为游客介绍壁画保护")


def cover_note_case(kind: str = "scanned") -> Case:
    """A journal's "In this issue" page: the cover picture on the left, its note's heading level
    with the picture's top to its right and the note's paragraph under the heading; then a
    section with a headline and body text (no picture)."""
    plate = Plate((60, 160, 195, 340), 91, "", COVER_HEADING,
                  Words((206, 154, 330, 173), COVER_HEADING, 11, latin=True),
                  Words((204, 180, 507, 262), COVER_TEXT, 10, latin=True), caption_position="right")
    words = (Words((55, 62, 330, 110), "In this issue", 28, latin=True),
             Words((204, 374, 520, 400), "Silk threads under the microscope", 15, latin=True),
             Words((204, 404, 520, 540), NEWS_BODY * 2, 10, latin=True),
             Words((42, 706, 300, 724), "Journal of Silk Studies 2026", 9, latin=True))
    name = "scan-cover-note" if kind == "scanned" else f"{kind}-cover-note"
    return Case(name, kind, (PageSpec((plate,), words),), dpi=150)


def note_under_case(kind: str = "digital") -> Case:
    """A Chinese journal page: a plate, under it the heading 封面说明 (larger than the body, set
    flush left, no caption line) and the note's paragraph; then a numbered section of body text."""
    plate = Plate((100, 90, 495, 380), 92, "", NOTE_HEADING, Words((100, 394, 300, 417), NOTE_HEADING, 14),
                  Words((100, 422, 495, 472), NOTE_TEXT, 10.5))
    words = (Words((100, 497, 495, 520), "一、唐代织锦的纹样", 14), Words((100, 524, 495, 700), BODY * 2, 10.5))
    name = "scan-note-under" if kind == "scanned" else f"{kind}-note-under"
    return Case(name, kind, (PageSpec((plate,), words),), dpi=150)


PHOTO_A = (40.0, 300.0, 300.0, 480.0)
PHOTO_B = (310.0, 420.0, 440.0, 540.0)


def photo_group_case(kind: str = "scanned") -> Case:
    """A newspaper page: two photos 10 pt apart (A large on the left, B lower on the right), a
    caption under each; the story's headline and lead paragraph in the corner right of A and
    over B; other articles' columns above, to the right of and under the group."""
    lead = Words((308, 348, 438, 416), LEAD_TEXT, 9)
    a = Plate(PHOTO_A, 93, "", GROUP_CAPTIONS[0], Words((40, 484, 300, 499), GROUP_CAPTIONS[0], 8),
              lead, pointer=True)
    b = Plate(PHOTO_B, 94, "", GROUP_CAPTIONS[1], Words((310, 543, 440, 570), GROUP_CAPTIONS[1], 8))
    words = (Words((40, 32, 555, 80), "教育文化周刊", 28, align=1),
             Words((40, 86, 440, 118), "博物馆里的开学第一课", 18),
             Words((40, 124, 235, 290), BODY * 2, 9), Words((245, 124, 440, 290), BODY * 2, 9),
             Words((312, 299, 436, 322), LEAD_HEADLINE[0], 14, align=1),
             Words((312, 321, 436, 344), LEAD_HEADLINE[1], 14, align=1),
             Words((455, 90, 555, 800), BODY * 7, 9),
             Words((40, 580, 440, 608), "名师走进乡村课堂", 16),
             Words((40, 612, 235, 800), BODY * 2, 9), Words((245, 612, 440, 800), BODY * 2, 9))
    name = "scan-photo-group" if kind == "scanned" else f"{kind}-photo-group"
    return Case(name, kind, (PageSpec((a, b), words),), dpi=150)


def all_cases() -> list[Case]:
    """The cases, scanned and digital (built by tests/test_align_notes.py; kept out of the default
    sample set so its books and scores stay as they were)."""
    return [cover_note_case("scanned"), cover_note_case("digital"), note_under_case("digital"),
            note_under_case("scanned"), photo_group_case("scanned"), photo_group_case("digital")]


def write_case(case: Case, out_dir: Path, seed: int = 0) -> dict:
    """Given a case, write `<name>.pdf` into out_dir and return its truth entry; in a photo group
    every photo gets the lead paragraph as its description (it is printed once)."""
    truth = ocr_cases.write_case(case, out_dir, seed)
    figures = truth["figures"]
    lead = next((f for f in figures if f["description"]), None)
    if "photo-group" in case.name and lead is not None:
        for f in figures:
            f["description"], f["description_bbox"] = lead["description"], lead["description_bbox"]
    return truth
