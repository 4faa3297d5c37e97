"""A torch Dataset over one split: the only module of the package that imports torch."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from torch.utils.data import Dataset

from dataset.loader import load


class CultiImageText(Dataset):
    """Yield (RGB PIL image, text) for each row of a split, decoding images on access."""

    def __init__(self, data_dir: Path | str, split: str = "train", transform=None,
                 text_field: str = "text", text_kind: str | None = None) -> None:
        table = load(data_dir, split, format="arrow", text_kind=text_kind)
        if text_field not in table.column_names:
            raise ValueError(f"text_field={text_field!r} is not a column of {data_dir}/{split}.parquet")
        self.ids: list[str] = table.column("id").to_pylist()
        self.texts: list[str] = table.column(text_field).to_pylist()
        self._images = table.column("image").combine_chunks().field("bytes")
        self.transform = transform

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: int):
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        image = Image.open(io.BytesIO(self._images[index].as_py())).convert("RGB")
        if self.transform is not None:
            image = self.transform(image)
        return image, self.texts[index]
