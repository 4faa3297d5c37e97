"""Open and validate an input PDF: the only place a book's file is checked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pymupdf

from culti.files import file_sha256
from culti.records import Book, RejectReason


class InputError(Exception):
    """An input file that cannot be read as a book; `reason` says why, the message names the file."""

    def __init__(self, reason: RejectReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def open_book(path: Path, data: bytes | None = None) -> Book:
    """Given a PDF path (and its bytes when they were read elsewhere, e.g. by Ray Data), return
    its Book record or raise InputError naming the file and the reason."""
    path = Path(path)
    if data is None and not path.is_file():
        raise InputError(RejectReason.FILE_MISSING, f"{path}: file not found; check the path")
    if (len(data) if data is not None else path.stat().st_size) == 0:
        raise InputError(RejectReason.EMPTY, f"{path}: empty file (0 bytes)")
    if data is not None:
        head = data[:1024]
    else:
        with path.open("rb") as handle:
            head = handle.read(1024)
    if path.suffix.lower() != ".pdf" or b"%PDF-" not in head:
        raise InputError(
            RejectReason.NOT_PDF, f"{path}: not a PDF (needs a .pdf name and a %PDF- header)"
        )
    try:
        doc = pymupdf.open(stream=data, filetype="pdf") if data is not None else pymupdf.open(path)
    except Exception as err:  # MuPDF raises several types for broken files
        raise InputError(
            RejectReason.CORRUPT, f"{path}: corrupt PDF, cannot be opened ({_one_line(err)})"
        ) from err
    with doc:
        if doc.needs_pass or doc.is_encrypted:
            raise InputError(
                RejectReason.ENCRYPTED, f"{path}: encrypted PDF; remove the password and retry"
            )
        if doc.page_count == 0 and doc.is_repaired:  # MuPDF rebuilt a broken file and found nothing
            raise InputError(RejectReason.CORRUPT, f"{path}: corrupt PDF, no readable page tree")
        if doc.page_count == 0:
            raise InputError(RejectReason.EMPTY, f"{path}: the PDF has no pages")
        try:
            has_content = any(_page_has_content(page) for page in doc)
        except Exception as err:
            raise InputError(
                RejectReason.CORRUPT, f"{path}: corrupt PDF, pages unreadable ({_one_line(err)})"
            ) from err
        if not has_content:
            raise InputError(RejectReason.EMPTY, f"{path}: every page is blank (no text or images)")
        page_count = doc.page_count
    sha256 = hashlib.sha256(data).hexdigest() if data is not None else file_sha256(path)
    return Book(path=str(path), source=path.name, sha256=sha256, page_count=page_count)


def _page_has_content(page: pymupdf.Page) -> bool:
    """Given a page, return True if it draws any text, image or vector path."""
    if page.get_images(full=False) or page.get_text("text").strip():
        return True
    return bool(page.get_contents()) and bool(page.get_drawings())


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__
