"""Read a dataset folder: pandas / pyarrow tables, and a torch Dataset of (image, text)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dataset.config import SPLITS

TEXT_KINDS = ("description", "caption")


def load(data_dir: Path | str, split: str | None = None, format: str = "pandas",
         text_kind: str | None = None):
    """Given a dataset folder, return one split (or all three, with `split`) as pandas or arrow.

    text_kind: keep only rows whose `text` is a `description`, or only those whose text is the
    caption's title (`caption`: figures printed with a caption and no description); None keeps all.
    """
    data_dir = Path(data_dir)
    if format not in ("pandas", "arrow"):
        raise ValueError(f"format={format!r}: use 'pandas' or 'arrow'")
    if text_kind is not None and text_kind not in TEXT_KINDS:
        raise ValueError(f"text_kind={text_kind!r}: use one of {', '.join(TEXT_KINDS)} or None")
    if text_kind is not None and split == "rejects":
        raise ValueError("text_kind filters pairs: it does not apply to split='rejects'")
    if split is not None and split not in (*SPLITS, "rejects"):
        raise ValueError(f"split={split!r}: use one of {', '.join(SPLITS)}, 'rejects' or None")
    names = [split] if split else list(SPLITS)
    tables = []
    for name in names:
        path = data_dir / f"{name}.parquet"
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found: build the dataset first "
                                    f"(culti dataset BOOKS --out {data_dir})")
        tables.append(pq.read_table(path))
    table = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
    if text_kind is not None:
        if "text_kind" in table.column_names:
            table = table.filter(pc.equal(table.column("text_kind"), text_kind))
        elif text_kind != "description":  # built before the column existed: all descriptions
            table = table.slice(0, 0)
    return table if format == "arrow" else table.to_pandas()
