"""corrections.json: loading with errors that name the entry, and applying edit/drop/restore/repair."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import review
from culti.records import RejectReason, Stage
from tests.review.fixture import build_books_fixture, records_from_dataset


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    return build_books_fixture(tmp_path_factory.mktemp("books"))


@pytest.fixture(scope="module")
def records(dataset):
    pairs, rejects = records_from_dataset(dataset)
    known = {p.id for p in pairs} | {r.item_id for r in rejects if r.item_id}
    return pairs, rejects, known


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "corrections.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))
    return path


def test_round_trip_edit_drop_restore_repair(records, tmp_path):
    pairs, rejects, known = records
    restorable = next(r for r in rejects if r.reason == RejectReason.NO_CAPTION and r.image)
    duplicate = next(r for r in rejects if r.reason == RejectReason.DUPLICATE_IMAGE)
    edited, dropped, repaired = pairs[0], pairs[1], pairs[3]
    path = _write(tmp_path, {"version": 1, "corrections": [
        {"id": edited.id, "action": "edit", "caption": "图1-1  团窠对鸟纹", "title": "团窠对鸟纹"},
        {"id": dropped.id, "action": "drop", "note": "a page ornament, not a figure"},
        {"id": restorable.item_id, "action": "restore", "caption": "图1-6  卷草纹锦", "label": "图1-6",
         "title": "卷草纹锦"},
        {"id": repaired.id, "action": "repair", "caption": "图1-9  狮子纹", "text": "另一段说明"},
        {"id": duplicate.item_id, "action": "restore"},
    ]})
    corrections = review.load_corrections(path, known)
    assert [c.action for c in corrections] == ["edit", "drop", "restore", "repair", "restore"]
    new_pairs, new_rejects, log = review.apply_corrections(pairs, rejects, corrections)

    by_id = {p.id: p for p in new_pairs}
    assert len(new_pairs) == len(pairs) - 1 + 2 and len(new_rejects) == len(rejects) - 2 + 1
    assert by_id[edited.id].caption == "图1-1  团窠对鸟纹" and by_id[edited.id].title == "团窠对鸟纹"
    assert by_id[edited.id].text == edited.text and by_id[edited.id].caption_bbox_pt == edited.caption_bbox_pt
    assert dropped.id not in by_id
    drop = next(r for r in new_rejects if r.item_id == dropped.id)
    assert (drop.reason, drop.stage) == (RejectReason.CURATOR_DROPPED, Stage.REVIEW)
    assert drop.detail == "a page ornament, not a figure" and drop.image == dropped.figure.image
    assert drop.caption == dropped.caption and drop.bbox_pt == dropped.figure.bbox_pt
    restored = by_id[restorable.item_id]
    assert (restored.caption, restored.label, restored.title) == ("图1-6  卷草纹锦", "图1-6", "卷草纹锦")
    assert restored.text == restorable.text  # not given: the reject's own text is kept
    assert restored.figure.image == restorable.image and restored.figure.page == restorable.page
    assert (restored.figure.width, restored.figure.height) == (120, 90)
    assert restored.domain.value == "silk"  # its book's other pairs are silk
    assert by_id[duplicate.item_id].caption == duplicate.caption and by_id[duplicate.item_id].domain.value == "mural"
    assert not any(r.item_id in (restorable.item_id, duplicate.item_id) for r in new_rejects)
    rep = by_id[repaired.id]
    assert (rep.caption, rep.text, rep.caption_bbox_pt, rep.text_bbox_pt) == ("图1-9  狮子纹", "另一段说明", None, None)
    assert rep.confidence == 1.0 and rep.title == repaired.title

    assert [item["id"] for item in log] == [c.id for c in corrections]
    assert log[0]["before"] == {"caption": edited.caption, "title": edited.title}
    assert log[2]["reject_reason"] == "no_caption" and log[1]["note"] == "a page ornament, not a figure"
    json.dumps(log, ensure_ascii=False)  # goes into manifest.json as is
    assert review.apply_corrections(pairs, rejects, corrections) == (new_pairs, new_rejects, log)


def test_no_corrections_changes_nothing(records):
    pairs, rejects, _ = records
    assert review.apply_corrections(pairs, rejects, ()) == (tuple(pairs), tuple(rejects), ())


BAD = [
    ("unknown id", [{"id": "0000000000000000-p0001-f00", "action": "drop"}], "unknown id"),
    ("unknown action", [{"id": "PAIR", "action": "delete"}], "unknown action 'delete'"),
    ("missing action", [{"id": "PAIR", "caption": "x"}], "missing field 'action'"),
    ("missing id", [{"action": "drop"}], "missing field 'id'"),
    ("wrong type", [{"id": "PAIR", "action": "edit", "caption": 3}], "'caption' must be a string, got int"),
    ("unknown key", [{"id": "PAIR", "action": "edit", "captoin": "x"}], "unknown key(s) ['captoin']"),
    ("edit without fields", [{"id": "PAIR", "action": "edit"}], "needs at least one of"),
    ("repair without caption", [{"id": "PAIR", "action": "repair", "text": "x"}], "needs the new 'caption'"),
    ("drop with text", [{"id": "PAIR", "action": "drop", "caption": "x"}], "takes no caption"),
    ("not an object", ["PAIR"], "must be an object, got str"),
]


@pytest.mark.parametrize(("case", "entries", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_entry_names_the_entry(records, tmp_path, case, entries, message):
    pairs, _, known = records
    good = {"id": pairs[2].id, "action": "drop"}
    bad = [{k: (pairs[0].id if v == "PAIR" else v) for k, v in e.items()} if isinstance(e, dict) else e
           for e in entries]
    path = _write(tmp_path, {"version": 1, "corrections": [good, *bad]})
    with pytest.raises(review.CorrectionError) as err:
        review.load_corrections(path, known)
    text = str(err.value)
    assert message in text and str(path) in text
    assert "correction #1" in text  # the second entry: the good one before it passed
    if isinstance(bad[0], dict) and "id" in bad[0]:
        assert repr(bad[0]["id"]) in text


def test_duplicate_ids_name_both_entries(records, tmp_path):
    pairs, _, known = records
    path = _write(tmp_path, {"version": 1, "corrections": [
        {"id": pairs[0].id, "action": "drop"}, {"id": pairs[0].id, "action": "edit", "title": "x"}]})
    with pytest.raises(review.CorrectionError, match=r"correction #1 .*same id as correction #0"):
        review.load_corrections(path, known)


@pytest.mark.parametrize(("raw", "message"), [
    ('{"version": 1, "corrections": [{"id": "a",}]}', "not valid JSON at line 1 column"),
    ('{"version": 2, "corrections": []}', "'version' must be 1"),
    ('{"version": 1, "corrections": {}}', "'corrections' must be a list"),
    ("[]", "top level must be an object"),
])
def test_bad_file(records, tmp_path, raw, message):
    with pytest.raises(review.CorrectionError, match=message):
        review.load_corrections(_write(tmp_path, raw), records[2])


def test_missing_file_says_how_to_get_one(tmp_path):
    with pytest.raises(review.CorrectionError, match="cannot read .*export it from the review page"):
        review.load_corrections(tmp_path / "nope.json", set())


def test_action_on_the_wrong_kind_of_item(records):
    pairs, rejects, known = records
    reject = next(r for r in rejects if r.image)
    no_image = next(r for r in rejects if r.item_id and r.image is None)
    cases = [
        ({"id": reject.item_id, "action": "edit", "title": "x"}, "'edit' needs a pair id"),
        ({"id": no_image.item_id, "action": "restore", "caption": "x"}, "has no image"),
    ]
    for entry, message in cases:
        corrections = review.parse_corrections({"version": 1, "corrections": [entry]}, known)
        with pytest.raises(review.CorrectionError, match=message) as err:
            review.apply_corrections(pairs, rejects, corrections)
        assert f"correction #0 (id '{entry['id']}')" in str(err.value)



def test_restore_of_a_pair_rejected_later_keeps_it_marked(records):
    """The page shows dataset-stage rejects (duplicates) whose ids are still pairs where the build applies."""
    pairs, rejects, known = records
    corrections = review.parse_corrections({"version": 1, "corrections": [
        {"id": pairs[4].id, "action": "restore", "title": "狮子纹"}]}, known)
    new_pairs, new_rejects, log = review.apply_corrections(pairs, rejects, corrections)
    kept = next(p for p in new_pairs if p.id == pairs[4].id)
    assert kept.title == "狮子纹" and kept.evidence[-1] == review.RESTORED and kept.caption == pairs[4].caption
    assert len(new_pairs) == len(pairs) and new_rejects == tuple(rejects)
    assert log[0]["before"] == {"title": pairs[4].title}
