"""The pipeline's units of work as plain, serialisable records: a book task and a page task.

A worker anywhere (a local process, a Ray actor on another node) gets everything it needs from
them: where to read the PDF (a path or fsspec URI every worker can read, or the bytes), its hash
and the book-level pre-pass (images repeated across pages), and the page number.
"""

from __future__ import annotations

from dataclasses import dataclass

from culti.records import Book


@dataclass(frozen=True, slots=True)
class BookTask:
    uri: str  # a local path or any fsspec URI (s3://, gs://, file://) every worker can read
    source: str  # the input's file name, as in the `source` column
    sha256: str
    page_count: int
    repeated: tuple[str, ...] = ()  # digests of images drawn on many pages (sorted)
    path: str = ""  # the path the user gave (manifest.json), when it differs from uri
    data: bytes | None = None  # the PDF itself, for inputs on no storage the workers share

    @property
    def book(self) -> Book:
        return Book(path=self.path or self.uri, source=self.source, sha256=self.sha256,
                    page_count=self.page_count)

    def pages(self) -> list[PageTask]:
        return [PageTask(self, n) for n in range(1, self.page_count + 1)]


@dataclass(frozen=True, slots=True)
class PageTask:
    book: BookTask
    page: int  # 1-based


def page_row(task: PageTask) -> dict:
    """Given a page task, return it as a flat row (a Ray Data record; no PDF bytes inside)."""
    b = task.book
    return {"uri": b.uri, "source": b.source, "sha256": b.sha256, "page_count": b.page_count,
            "repeated": list(b.repeated), "path": b.path, "page": task.page}


def row_page(row: dict) -> PageTask:
    """Given a row made by page_row, return the page task."""
    book = BookTask(uri=str(row["uri"]), source=str(row["source"]), sha256=str(row["sha256"]),
                    page_count=int(row["page_count"]), repeated=tuple(str(d) for d in row["repeated"]),
                    path=str(row["path"]))
    return PageTask(book, int(row["page"]))
