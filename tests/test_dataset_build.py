"""build_dataset end to end: files, schema, no leakage, determinism, atomicity, every loader."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import imagehash
import pyarrow.parquet as pq
import pytest
from PIL import Image

import culti
import dataset
from culti.records import Domain, Reject, RejectReason, Stage, TextOrigin, figure_id
from tests.conftest import ROOT
from tests.dataset_fixtures.make import distinct_pairs, encode, make_pair, picture, rescan

SPLITS = ("train", "validation", "test")
FILES = ("train.parquet", "validation.parquet", "test.parquet", "rejects.parquet", "README.md",
         "card_stats.png", "manifest.json")


def _pairs():
    """100 distinct figures, 10 scanned twins, 3 crops of wholes, one composite of two figures."""
    pairs = distinct_pairs(100, start=500)
    for k in range(0, 100, 10):  # the scanned book holds re-scans of every 10th figure
        p = pairs[k]
        img = Image.open(io.BytesIO(p.figure.image))
        pairs.append(make_pair(500 + k, encode(rescan(img, k), quality=75), book=f"scan-{p.figure.source}",
                               page=p.figure.page, domain=p.domain, origin=TextOrigin.OCR, confidence=0.7))
    for k in (1, 2, 3):
        whole = picture(900 + k, 800, 600)
        pairs.append(make_pair(900 + k, encode(whole), book="silk-0.pdf", page=40 + 3 * k, index=0))
        crop = whole.crop((200, 150, 520, 470)).resize((600, 600), Image.Resampling.LANCZOS)
        pairs.append(make_pair(950 + k, encode(crop), book="silk-0.pdf", page=41 + 3 * k, index=0))
    for k in (0, 1):
        pairs.append(make_pair(980 + k, encode(picture(980 + k)), book="mural-1.pdf", page=60, index=k,
                               domain=Domain.MURAL, group_hint="mural-1-060"))
    return pairs


UPSTREAM = [Reject(stage=Stage.ALIGN, reason=RejectReason.NO_CAPTION, source="silk-0.pdf", page=3,
                   bbox_pt=(1.0, 2.0, 3.0, 4.0), item_id="x-p0003-f01", image=encode(picture(1)),
                   image_format="jpeg")]
MANIFEST = {"inputs": [{"source": "silk-0.pdf", "sha256": "ab" * 32, "status": "ok", "page_count": 70}]}


def _build(out: Path) -> dataset.BuildSummary:
    return dataset.build_dataset(iter(_pairs()), iter(UPSTREAM), dataset.BuildConfig(seed=0), out,
                                 dict(MANIFEST))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("ds") / "out"
    return out, _build(out)


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def _digest(folder: Path) -> dict[str, str]:
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in FILES}


def test_files_counts_and_summary(built):
    out, summary = built
    assert _visible(out) == sorted(FILES) and len(list((out / ".builds").iterdir())) == 1  # no staging left
    counts = {s: pq.read_metadata(out / f"{s}.parquet").num_rows for s in SPLITS}
    assert counts == summary.split_counts
    assert summary.n_rows == sum(counts.values()) == 100 + 6 + 2  # the 10 re-scans are dropped
    assert summary.dedupe_counts == {"near_duplicate_image": 10}
    rejects = pq.read_table(out / "rejects.parquet").to_pylist()
    assert Counter(r["reason"] for r in rejects) == {"near_duplicate_image": 10, "no_caption": 1}
    dup = [r for r in rejects if r["reason"] == "near_duplicate_image"]
    kept = {i for s in SPLITS for i in pq.read_table(out / f"{s}.parquet").column("id").to_pylist()}
    assert all(r["duplicate_of"] in kept and r["image"]["bytes"] for r in dup)
    # the kept copy is the text-layer original, not the larger OCR re-scan: provenance comes first
    assert all(r["source"].startswith("scan-") for r in dup)


def test_no_image_crosses_splits_by_pixel_and_perceptual_hash(built):
    out, _ = built
    seen = []
    for split in SPLITS:
        for row in pq.read_table(out / f"{split}.parquet", columns=["id", "image"]).to_pylist():
            img = Image.open(io.BytesIO(row["image"]["bytes"]))
            seen.append((split, hashlib.sha256(img.convert("RGB").tobytes()).hexdigest(),
                         imagehash.phash(img.convert("L"))))
    for i, (sa, pa_, ha) in enumerate(seen):
        for sb, pb, hb in seen[i + 1:]:
            if sa != sb:
                assert pa_ != pb and ha - hb > 10


def test_crops_and_composites_share_group_and_split(built):
    out, _ = built
    rows = {r["id"]: r for s in SPLITS for r in dataset.load(out, s, "arrow").to_pylist()}
    for k in (1, 2, 3):
        whole, crop = (figure_id(hashlib.sha256(b"silk-0.pdf").hexdigest(), p, 0)
                       for p in (40 + 3 * k, 41 + 3 * k))
        assert rows[whole]["group_id"] == rows[crop]["group_id"] == min(whole, crop)
        assert rows[whole]["split"] == rows[crop]["split"]
    comp = [r for r in rows.values() if r["source"] == "mural-1.pdf" and r["page"] == 60]
    assert len(comp) == 2 and len({r["group_id"] for r in comp}) == 1
    assert Counter(r["group_id"] for r in rows.values()).most_common(1)[0][1] == 2


def test_ratios_and_strata(built):
    out, summary = built
    n = summary.n_rows
    for split, ratio in zip(SPLITS, (0.7, 0.1, 0.2), strict=True):
        assert abs(summary.split_counts[split] / n - ratio) <= 0.01 + 1 / n
    assert set(summary.domain_counts["test"]) == {"silk", "mural"}


def test_schema_metadata_and_hf_features(built):
    out, _ = built
    schema = pq.read_schema(out / "train.parquet")
    meta = schema.metadata
    features = json.loads(meta[b"huggingface"])["info"]["features"]
    assert features["image"] == {"_type": "Image"} and set(features) == set(schema.names)
    assert meta[b"culti.schema_version"].decode() == culti.SCHEMA_VERSION
    assert meta[b"culti.version"].decode() == culti.__version__
    assert json.loads(meta[b"culti.build_parameters"])["seed"] == 0
    table = pq.read_table(out / "train.parquet")
    ids = table.column("id").to_pylist()
    assert ids == sorted(ids)
    row = table.slice(0, 1).to_pylist()[0]
    assert row["image"]["path"] == f"{row['id']}.jpg"
    assert Image.open(io.BytesIO(row["image"]["bytes"])).size == (row["width"], row["height"])
    assert pq.ParquetFile(out / "train.parquet").metadata.row_group(0).column(0).compression == "ZSTD"


def test_manifest_and_card(built):
    out, summary = built
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["inputs"] == MANIFEST["inputs"]
    assert manifest["counts"]["splits"] == summary.split_counts
    assert manifest["build"]["parameters"]["ratios"] == [0.7, 0.1, 0.2]
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    card = (out / "README.md").read_text()
    assert card.startswith("---\nlicense: other\n") and "config_name: default" in card
    assert "ab" * 32 in card and "near_duplicate_image: 10" in card and "card_stats.png" in card
    assert Image.open(out / "card_stats.png").size[0] > 300


def test_two_builds_are_byte_identical(built, tmp_path):
    out, _ = built
    _build(tmp_path / "again")
    assert _digest(tmp_path / "again") == _digest(out)


def test_loaders_pandas_arrow_torch(built):
    out, summary = built
    df = dataset.load(out, "train")
    assert len(df) == summary.split_counts["train"] and set(df["split"]) == {"train"}
    everything = dataset.load(out, format="arrow")
    assert everything.num_rows == summary.n_rows
    assert set(everything.column("split").to_pylist()) == set(SPLITS)
    ds = dataset.CultiImageText(out, "test", transform=lambda im: im.resize((32, 32)))
    import torch.utils.data

    assert isinstance(ds, torch.utils.data.Dataset) and len(ds) == summary.split_counts["test"]
    image, text = ds[0]
    assert image.size == (32, 32) and image.mode == "RGB" and text
    with pytest.raises(ValueError, match="split"):
        dataset.load(out, "dev")


def test_hugging_face_datasets_both_ways(built):
    os.environ["HF_DATASETS_OFFLINE"] = os.environ["HF_HUB_OFFLINE"] = "1"
    import datasets

    out, summary = built
    cache = str(out.parent / "hf-cache")
    for ds in (datasets.load_dataset("parquet", data_dir=str(out), cache_dir=cache),
               datasets.load_dataset(str(out), cache_dir=cache)):
        assert {k: len(v) for k, v in ds.items()} == summary.split_counts
        image = ds["validation"][0]["image"]
        assert isinstance(image, Image.Image) and image.size == (ds["validation"][0]["width"],
                                                                  ds["validation"][0]["height"])
    rejects = datasets.load_dataset(str(out), "rejects", cache_dir=cache)["train"]
    assert len(rejects) == summary.n_rejects


_SLOW_BUILD = """
import sys, time
from pathlib import Path
import dataset
from tests.dataset_fixtures.make import distinct_pairs
def slow():
    for p in distinct_pairs(400, start=7000):
        time.sleep(0.02)
        yield p
dataset.build_dataset(slow(), [], dataset.BuildConfig(), Path(sys.argv[1]), {})
"""


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for proc_dir in Path("/proc").iterdir():
        try:
            if proc_dir.name.isdigit() and text in (proc_dir / "cmdline").read_bytes().decode(errors="replace"):
                found.append(int(proc_dir.name))
        except OSError:
            continue
    return found


def test_killed_build_leaves_the_previous_dataset_intact(built, tmp_path):
    out = tmp_path / "out"
    _build(out)
    before = _digest(out)
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_BUILD, str(out)], cwd=ROOT)
    deadline = time.time() + 60
    while not any(p.stat().st_size > 200_000 for p in out.glob(".builds/*/*")):
        assert proc.poll() is None and time.time() < deadline, "the build ended before it was killed"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _digest(out) == before
    time.sleep(0.5)
    assert not _processes_mentioning(str(out)), "a decoding worker outlived the killed build"
    assert len(dataset.load(out, "train")) == built[1].split_counts["train"]
    _build(out)  # the next build clears the dead one's staging folder
    assert _visible(out) == sorted(FILES) and _digest(out) == before
    assert len(list((out / ".builds").iterdir())) == 1
