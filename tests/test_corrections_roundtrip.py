"""The curator's loop on a real run: culti review, corrections.json, culti build --corrections."""

from __future__ import annotations

import json
import shutil

import pyarrow.parquet as pq

from tests.conftest import run_culti

SPLITS = ("train", "validation", "test")


def _rows(out):
    return {r["id"]: r for s in SPLITS for r in pq.read_table(out / f"{s}.parquet").to_pylist()}


def test_review_then_build_with_corrections(sample_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(sample_run, out)
    run_culti("review", str(out))
    assert (out / "review" / "index.html").is_file()

    rows = _rows(out)
    rejects = pq.read_table(out / "rejects.parquet").to_pylist()
    duplicate = next(r for r in rejects if r["reason"].endswith("duplicate_image"))
    edit_id, drop_id = sorted(set(rows) - {duplicate["duplicate_of"]})[:2]  # the twin must stay
    corrections = {"version": 1, "corrections": [
        {"id": edit_id, "action": "edit", "title": "校正后的标题", "note": "typo"},
        {"id": drop_id, "action": "drop", "note": "not a figure"},
        {"id": duplicate["id"], "action": "restore"},
    ]}
    path = out / "review" / "corrections.json"
    path.write_text(json.dumps(corrections, ensure_ascii=False))
    run_culti("build", "--out", str(out), "--corrections", str(path))

    new_rows = _rows(out)
    assert new_rows[edit_id]["title"] == "校正后的标题"
    assert drop_id not in new_rows
    new_rejects = {r["id"]: r for r in pq.read_table(out / "rejects.parquet").to_pylist()}
    assert new_rejects[drop_id]["reason"] == "curator_dropped"
    restored = new_rows[duplicate["id"]]
    twin = new_rows[duplicate["duplicate_of"]]
    assert restored["split"] == twin["split"]  # restored twins stay together
    manifest = json.loads((out / "manifest.json").read_text())
    assert [c["id"] for c in manifest["corrections"]["applied"]] == [edit_id, drop_id, duplicate["id"]]


def test_bad_corrections_name_the_entry(sample_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(sample_run, out)
    path = tmp_path / "corrections.json"
    path.write_text(json.dumps({"version": 1, "corrections": [{"id": "no-such-id", "action": "drop"}]}))
    proc = run_culti("build", "--out", str(out), "--corrections", str(path), check=False)
    assert proc.returncode == 2
    assert "no-such-id" in proc.stderr and "correction #" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
