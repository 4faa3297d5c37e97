"""align on a real PyMuPDF text layer: caption below, side by side, facing-page plate, headers."""

from align import AlignConfig, align_book
from culti.evaluate import alignment_rows
from culti.scoring import score_books, truth_books
from tests.align_fixtures.pdf import make_book, read_book


def test_born_digital_book_pairs_and_descriptions(tmp_path):
    path = tmp_path / "caption-layouts.pdf"
    truth = make_book(path)
    al = align_book(read_book(path), AlignConfig())
    got = {(p.figure.page, p.figure.index): p for p in al.pairs}
    assert {k: v.label for k, v in got.items()} == {k: v[0] for k, v in truth.items()}
    assert not al.rejects
    assert "facing-page" in got[3, 0].evidence
    assert got[3, 0].caption == "图3-4 紫地龟背纹绫"
    assert got[1, 0].text.startswith("唐代织锦") and "联珠纹的流行" not in got[1, 0].text
    assert all("中国丝绸纹样图典" not in p.text and "第三章" not in p.text for p in al.pairs)
    truth_book = {"file": path.name, "kind": "digital", "figures": [
        {"key": f"f{k}", "page": k[0], "bbox": list(got[k].figure.bbox_pt), "label": lab,
         "caption_page": None, "description": desc} for k, (lab, desc) in truth.items()]}
    books = truth_books({"version": 1, "books": [truth_book]})
    s = score_books(books, {path.name: alignment_rows(al)})["overall"]
    assert s["pairing_accuracy"] == 1.0 and s["rows_bleeding"] == 0
    assert s["description_coverage"] == 1.0, s
