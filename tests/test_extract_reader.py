"""open_book: every bad input becomes an InputError with the right reason and a one-line message."""

from __future__ import annotations

import hashlib

import pymupdf
import pytest

from culti.records import RejectReason
from extract import InputError, open_book
from tests.extract_fixtures import text_page


def _good(path):
    doc = pymupdf.open()
    text_page(doc)
    doc.save(path)
    return path


def _reason(path) -> InputError:
    with pytest.raises(InputError) as info:
        open_book(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)
    return info.value


def test_good_pdf_gives_book_with_sha256(tmp_path):
    path = _good(tmp_path / "book.pdf")
    book = open_book(path)
    assert book.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (book.source, book.page_count) == ("book.pdf", 1)


def test_missing_file(tmp_path):
    assert _reason(tmp_path / "nope.pdf").reason == RejectReason.FILE_MISSING


def test_not_a_pdf_by_magic_or_extension(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("hello, I am text")
    assert _reason(fake).reason == RejectReason.NOT_PDF
    renamed = tmp_path / "book.txt"
    renamed.write_bytes(_good(tmp_path / "b.pdf").read_bytes())
    assert _reason(renamed).reason == RejectReason.NOT_PDF


def test_corrupt_pdf(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    assert _reason(bad).reason == RejectReason.CORRUPT


def test_encrypted_pdf(tmp_path):
    doc = pymupdf.open()
    text_page(doc)
    path = tmp_path / "locked.pdf"
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    err = _reason(path)
    assert err.reason == RejectReason.ENCRYPTED and "password" in err.message


def test_empty_pdf_blank_pages(tmp_path):
    doc = pymupdf.open()
    doc.new_page()
    doc.new_page()
    path = tmp_path / "blank.pdf"
    doc.save(path)
    assert _reason(path).reason == RejectReason.EMPTY
