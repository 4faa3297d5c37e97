"""`culti export`: Chinese-CLIP's own LMDB dataset class and build script, and the webdataset
library, read our splits back with our images, texts, ids and groups."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from laclip_eval.data import decode_image
from laclip_eval.export import CN_CLIP_SPLIT, model_ready_bytes
from laclip_eval.synthetic import synthetic_rows, write_dataset

ROOT = Path(__file__).resolve().parents[1]
MAIN = "import sys; from culti.cli import main; sys.exit(main())"


def transparent_png() -> bytes:
    image = Image.new("RGBA", (120, 40), (0, 0, 0, 0))  # a band on a transparent page, as CulTi's PNGs
    image.paste((200, 30, 30, 255), (10, 10, 110, 30))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    rows = synthetic_rows(30, seed=6)
    test = [i for i, r in enumerate(rows) if r["split"] == "test"]
    rows[test[0]]["image"] = {"bytes": transparent_png(), "path": "band.png"}
    rows[test[1]]["image"] = rows[test[2]]["image"]  # one picture, two descriptions
    rows[5]["text"] = rows[6]["text"]  # one description, two pictures
    return write_dataset(tmp_path_factory.mktemp("exp") / "data", rows), rows


def culti(*args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-c", MAIN, "export", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_cn_clip_lmdb_dataset_reads_our_images_and_texts(data, tmp_path):
    from cn_clip.clip import image_transform, tokenize
    from cn_clip.training.data import LMDBDataset

    folder, rows = data
    out = tmp_path / "cn"
    culti(str(folder), "--format", "cn-clip", "--out", str(out))
    prep = image_transform(64)
    for split, name in CN_CLIP_SPLIT.items():
        part = [r for r in rows if r["split"] == split]
        texts = [json.loads(line) for line in (out / f"{name}_texts.jsonl").read_text().splitlines()]
        images = {m["image_id"]: m for m in map(json.loads, (out / f"{name}_images.jsonl").read_text().splitlines())}
        assert all(isinstance(t["text_id"], int) and all(isinstance(i, int) for i in t["image_ids"]) for t in texts)
        # every row is there once, with its id, group and text
        by_id = {r["id"]: r for r in part}
        assert sorted(i for t in texts for i in t["ids"]) == sorted(by_id)
        for t in texts:
            assert all(by_id[i]["text"] == t["text"] and by_id[i]["group_id"] in t["group_ids"] for i in t["ids"])
        dataset = LMDBDataset(str(out / "lmdb" / name), split="val", max_txt_length=52, resolution=64)
        pairs = [(i, t) for t in texts for i in t["image_ids"]]
        assert len(dataset) == len(pairs) == len({(r["text"], r["image_sha256"]) for r in part})
        for index, (image_id, text) in enumerate(pairs):
            pixels, tokens, _ = dataset[index]
            row = by_id[images[image_id]["id"]]
            assert images[image_id]["group_id"] == row["group_id"] and images[image_id]["split"] == split
            ours = prep(decode_image(row["image"]["bytes"]))  # transparency flattened on white, as we score
            np.testing.assert_allclose(pixels.numpy(), ours.numpy(), atol=1e-6)
            assert tokens.tolist() == tokenize([text["text"].lower()], context_length=52)[0].tolist()
    assert (out / "test_texts.jsonl").exists() and (out / "valid_imgs.tsv").exists()


def test_cn_clip_build_script_makes_the_same_lmdb(data, tmp_path):
    import lmdb

    folder, _ = data
    out = tmp_path / "cn"
    culti(str(folder), "--format", "cn-clip", "--out", str(out))
    subprocess.run([sys.executable, "-m", "cn_clip.preprocess.build_lmdb_dataset", "--data_dir", str(out),
                    "--splits", "train,valid,test", "--lmdb_dir", str(tmp_path / "theirs")],
                   check=True, capture_output=True, timeout=300)
    for split in ("train", "valid", "test"):
        for kind in ("imgs", "pairs"):
            contents = []
            for base in (out / "lmdb", tmp_path / "theirs"):
                env = lmdb.open(str(base / split / kind), readonly=True, lock=False)
                with env.begin() as txn:
                    contents.append(dict(txn.cursor()))
                env.close()
            assert contents[0] == contents[1] and contents[0], (split, kind)


def test_webdataset_shards_read_back(data, tmp_path):
    import webdataset as wds

    folder, rows = data
    out = tmp_path / "wds"
    culti(str(folder), "--format", "webdataset", "--out", str(out), "--shard-size", "8")
    first = {p: p.read_bytes() for p in sorted(out.rglob("*.tar"))}
    assert sorted(p.name for p in (out / "train").glob("*.tar")) == ["00000.tar", "00001.tar", "00002.tar"]
    for split in ("train", "validation", "test"):
        urls = [str(p) for p in sorted((out / split).glob("*.tar"))]
        samples = list(wds.WebDataset(urls, shardshuffle=False, empty_check=False))
        part = [r for r in rows if r["split"] == split]
        assert [s["__key__"] for s in samples] == [r["id"] for r in part]
        for sample, row in zip(samples, part, strict=True):
            meta = json.loads(sample["json"])
            assert (meta["id"], meta["group_id"], meta["split"]) == (row["id"], row["group_id"], split)
            assert sample["txt"].decode() == row["text"]
            ext = "png" if "png" in sample else "jpg"
            assert sample[ext] == model_ready_bytes(row["image"]["bytes"])[0]
    culti(str(folder), "--format", "webdataset", "--out", str(out), "--shard-size", "8")
    assert {p: p.read_bytes() for p in sorted(out.rglob("*.tar"))} == first  # same input, same bytes
