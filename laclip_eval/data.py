"""Read one split of a culti dataset folder (the Parquet contract) into a retrieval gallery."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from culti.contract import SPLITS, SchemaError, check_schema  # noqa: F401 - SPLITS re-exported
from laclip_eval.config import EvalConfigError


@dataclass(frozen=True, slots=True)
class Split:
    """Unique images and unique texts of one split; rows link them (several texts per image and
    several images per text are both possible, e.g. one image printed twice with two captions)."""

    name: str
    image_ids: tuple[str, ...]  # the first row id that carried each unique image
    images: tuple[bytes, ...]  # original encoded bytes
    texts: tuple[str, ...]
    pairs: tuple[tuple[int, int], ...]  # (text index, image index), one per row
    fingerprint: str  # sha256 over ids, image bytes and texts: the cache key for this split

    @property
    def n_images(self) -> int:
        return len(self.images)

    @property
    def n_texts(self) -> int:
        return len(self.texts)

    def positives(self) -> np.ndarray:
        """Return the texts x images boolean matrix of true pairs."""
        mask = np.zeros((self.n_texts, self.n_images), dtype=bool)
        for t, i in self.pairs:
            mask[t, i] = True
        return mask


def read_split(data_dir: Path, split: str, text_field: str = "text") -> Split:
    """Given a dataset folder and a split name, return its unique images, texts and true pairs."""
    import pyarrow.parquet as pq

    path = Path(data_dir) / f"{split}.parquet"
    if not path.is_file():
        raise EvalConfigError(f"{path} not found: run `culti dataset --out {data_dir}` first")
    try:
        check_schema(pq.read_schema(path).metadata, str(path), required=False)
        table = pq.read_table(path, columns=["id", "image", text_field])
    except SchemaError as err:
        raise EvalConfigError(str(err)) from err
    except (KeyError, ValueError, OSError) as err:
        raise EvalConfigError(f"{path}: not a culti split (needs columns id, image, {text_field}): {err}") from err
    ids = table.column("id").to_pylist()
    images = table.column("image").to_pylist()
    texts = table.column(text_field).to_pylist()
    image_index: dict[bytes, int] = {}  # by content hash: the same picture twice is one gallery item
    text_index: dict[str, int] = {}
    out_ids: list[str] = []
    out_images: list[bytes] = []
    out_texts: list[str] = []
    pairs: set[tuple[int, int]] = set()
    digest = hashlib.sha256()
    for row_id, image, text in zip(ids, images, texts, strict=True):
        data = (image or {}).get("bytes")
        text = (text or "").strip()
        if not data or not text:
            raise EvalConfigError(
                f"{path}: row {row_id} has no image bytes or no {text_field}: rebuild the dataset "
                "(rows without either belong in rejects.parquet)"
            )
        key = hashlib.sha256(data).digest()
        if key not in image_index:
            image_index[key] = len(out_images)
            out_images.append(data)
            out_ids.append(str(row_id))
        if text not in text_index:
            text_index[text] = len(out_texts)
            out_texts.append(text)
        pairs.add((text_index[text], image_index[key]))
        digest.update(f"{row_id}\0{key.hex()}\0{text}\n".encode())
    return Split(split, tuple(out_ids), tuple(out_images), tuple(out_texts),
                 tuple(sorted(pairs)), digest.hexdigest())


def decode_image(data: bytes):
    """Given encoded image bytes, return an RGB PIL image; transparency is flattened onto white."""
    from PIL import Image

    from culti.images import flatten_alpha

    image = Image.open(io.BytesIO(data))
    image.load()
    return flatten_alpha(image)


def check_leakage(data_dir: Path) -> dict:
    """Given a dataset folder, raise EvalConfigError when one image (by sha256 of its bytes) or
    one group_id lies in two splits; return the counts checked."""
    import pyarrow.parquet as pq

    seen_image: dict[str, tuple[str, str]] = {}  # sha256 -> (split, row id)
    seen_group: dict[str, tuple[str, str]] = {}
    counts = {"rows": 0, "images": 0, "groups": 0}
    for split in SPLITS:
        path = Path(data_dir) / f"{split}.parquet"
        if not path.is_file():
            continue
        try:
            names = pq.read_schema(path).names
            columns = ["id", "image"] + (["group_id"] if "group_id" in names else [])
            table = pq.read_table(path, columns=columns)
        except (KeyError, ValueError, OSError) as err:  # pyarrow's ArrowInvalid is a ValueError
            raise EvalConfigError(f"{path}: not a readable culti split (needs columns id, image): {err}") from err
        groups = table.column("group_id").to_pylist() if "group_id" in names else [None] * table.num_rows
        for row_id, image, group in zip(table.column("id").to_pylist(), table.column("image").to_pylist(),
                                        groups, strict=True):
            counts["rows"] += 1
            digest = hashlib.sha256((image or {}).get("bytes") or b"").hexdigest()
            for key, seen, what in ((digest, seen_image, "image"), (group, seen_group, "group_id")):
                if key is None:
                    continue
                first = seen.setdefault(key, (split, str(row_id)))
                if first[0] != split:
                    shown = key[:12] if what == "image" else key
                    raise EvalConfigError(
                        f"{data_dir}: {what} {shown} is in both {first[0]} (row {first[1]}) and {split} "
                        f"(row {row_id}): scores would be inflated; rebuild the dataset (culti build) so "
                        "duplicates and groups stay in one split"
                    )
        counts["images"], counts["groups"] = len(seen_image), len(seen_group)
    return counts
