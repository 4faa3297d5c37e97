"""An append-only file of image bytes, so a build keeps only offsets in memory."""

from __future__ import annotations

import os
from pathlib import Path


class ImageSpool:
    """Image bytes appended to one file in the staging folder; read back by (offset, length)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh = open(path, "w+b")  # noqa: SIM115 - closed by close()
        self._end = 0

    def put(self, data: bytes) -> tuple[int, int]:
        self._fh.seek(self._end)
        self._fh.write(data)
        offset, self._end = self._end, self._end + len(data)
        return offset, len(data)

    def get(self, offset: int, length: int) -> bytes:
        self._fh.seek(offset)
        return self._fh.read(length)

    def close(self) -> None:
        self._fh.close()
        if self.path.exists():
            os.remove(self.path)
