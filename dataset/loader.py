"""Read a dataset folder: pandas / pyarrow tables, and a torch Dataset of (image, text)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from culti.contract import check_schema
from dataset.config import SPLITS


def load(data_dir: Path | str, split: str | None = None, format: str = "pandas"):
    """Given a dataset folder, return one split (or all three, with `split`) as pandas or arrow."""
    data_dir = Path(data_dir)
    if format not in ("pandas", "arrow"):
        raise ValueError(f"format={format!r}: use 'pandas' or 'arrow'")
    if split is not None and split not in (*SPLITS, "rejects"):
        raise ValueError(f"split={split!r}: use one of {', '.join(SPLITS)}, 'rejects' or None")
    names = [split] if split else list(SPLITS)
    tables = []
    for name in names:
        path = data_dir / f"{name}.parquet"
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found: build the dataset first "
                                    f"(culti dataset BOOKS --out {data_dir})")
        check_schema(pq.read_schema(path).metadata, str(path))  # a culti file of this schema version
        tables.append(pq.read_table(path))
    table = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
    return table if format == "arrow" else table.to_pandas()
