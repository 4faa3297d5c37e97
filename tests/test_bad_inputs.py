"""Bad inputs: one line naming the file and the reason, recorded in the manifest, others complete, exit 2."""

from __future__ import annotations

import json
import shutil

import pyarrow.parquet as pq
import pymupdf
import pytest

from tests.conftest import run_culti


def _good_pdf(sample_books, folder):
    src = sorted(sample_books.glob("*-digital.pdf"))[0]
    return shutil.copy(src, folder / src.name)


def _make_bad(kind: str, folder):
    path = folder / f"bad-{kind}.pdf"
    if kind == "missing":
        return path  # never created
    if kind == "not_pdf":
        path = folder / "notes.txt"
        path.write_text("这不是PDF文件\n")
    elif kind == "fake_extension":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    elif kind == "corrupt":
        path.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n" + b"\x00garbage" * 50)
    elif kind == "encrypted":
        doc = pymupdf.open()
        doc.new_page().insert_text((72, 72), "秘密", fontname="china-s")
        doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="pw", owner_pw="owner")
    elif kind == "empty":
        path.write_bytes(b"")
    return path


EXPECTED_REASON = {
    "missing": "file_missing",
    "not_pdf": "not_pdf",
    "fake_extension": "not_pdf",
    "corrupt": "corrupt",
    "encrypted": "encrypted",
    "empty": "empty",
}


@pytest.mark.parametrize("kind", sorted(EXPECTED_REASON))
def test_bad_input_is_reported_and_others_complete(kind, sample_books, tmp_path):
    good = _good_pdf(sample_books, tmp_path)
    bad = _make_bad(kind, tmp_path)
    out = tmp_path / "out"
    proc = run_culti("dataset", str(good), str(bad), "--out", str(out), "--no-progress", "--workers", "1", check=False)
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if str(bad) in line]
    assert len(lines) == 1, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    by_source = {i["source"]: i for i in manifest["inputs"]}
    assert by_source[bad.name]["status"] == "failed"
    assert by_source[bad.name]["reason"].startswith(EXPECTED_REASON[kind])
    assert by_source[good.name]["status"] == "ok"
    rows = sum(pq.read_table(out / f"{s}.parquet").num_rows for s in ("train", "validation", "test"))
    assert rows > 0  # the good book still made it
    rejects = pq.read_table(out / "rejects.parquet").to_pylist()
    assert any(r["source"] == bad.name and r["stage"] == "input" for r in rejects)


def test_all_good_inputs_exit_zero(sample_books, tmp_path):
    good = _good_pdf(sample_books, tmp_path)
    proc = run_culti("dataset", str(good), "--out", str(tmp_path / "out"), "--no-progress", check=False)
    assert proc.returncode == 0, proc.stderr


def test_empty_folder_is_a_clear_error(tmp_path):
    proc = run_culti("dataset", str(tmp_path), "--out", str(tmp_path / "out"), check=False)
    assert proc.returncode == 2
    assert "no PDF files found" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
