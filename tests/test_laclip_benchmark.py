"""End to end on small synthetic Parquet folders: fine-tune, benchmark.json, scores.npz, cache."""

from __future__ import annotations

import json

import numpy as np
import pytest

import laclip_eval
from laclip_eval.config import EvalConfig, EvalConfigError
from laclip_eval.data import read_split
from laclip_eval.finetune import finetune
from laclip_eval.metrics import retrieval_metrics
from laclip_eval.models import load_model
from laclip_eval.synthetic import synthetic_rows, write_dataset, write_synthetic_dataset

METHODS = ["fine-tuned", "fine-tuned+LACLIP"]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return write_synthetic_dataset(tmp_path_factory.mktemp("syn") / "data", n=100, seed=1)


def test_tiny_finetune_improves_validation_recall(tmp_path):
    import torch

    torch.set_num_threads(2)
    data = write_synthetic_dataset(tmp_path / "data", n=200, seed=2)
    cfg = EvalConfig(epochs=8, seed=0)
    model = load_model("tiny", None)
    result = finetune(model, read_split(data, "train"), read_split(data, "validation"), 64, cfg, log=lambda _: None)
    initial = result.history[0].val_mr
    best = max(h.val_mr for h in result.history)
    assert result.history[result.best_epoch].val_mr == best
    assert best > initial + 15, [h.val_mr for h in result.history]


def test_benchmark_json_schema_scores_and_cache(small, tmp_path, capsys):
    out = tmp_path / "bench"
    report = laclip_eval.run_benchmark(small, out_dir=out, epochs=2, save_scores=True)
    on_disk = json.loads((out / "benchmark.json").read_text())
    assert on_disk["rows"] == report["rows"]
    assert on_disk["model"] == "tiny" and on_disk["checkpoint"] is None and on_disk["device"] == "cpu"
    assert (on_disk["n_images"], on_disk["n_texts"]) == (20, 20)
    assert set(on_disk["params"]) >= {"K", "tau", "alpha", "crop_scale", "seed"}
    assert set(on_disk["timing"]) >= {"global_images_per_s", "laclip_overhead_ratio", "finetune_seconds"}
    assert on_disk["timing"]["from_cache"] is False and on_disk["timing"]["global_images_per_s"] > 0
    assert [r["method"] for r in on_disk["rows"]] == METHODS
    for row in on_disk["rows"]:
        assert set(row["t2i"]) == set(row["i2t"]) == {"R1", "R5", "R10"}
        six = [*row["t2i"].values(), *row["i2t"].values()]
        assert all(0 <= v <= 100 for v in six) and row["MR"] == pytest.approx(np.mean(six))
    # scores.npz recomputes the rows
    with np.load(out / "scores.npz") as z:
        positives = np.zeros(z["global_scores"].shape, dtype=bool)
        positives[z["pairs"][:, 0], z["pairs"][:, 1]] = True
        for name, key in zip(METHODS, ["global_scores", "laclip_scores"], strict=True):
            row = next(r for r in on_disk["rows"] if r["method"] == name)
            assert retrieval_metrics(z[key], positives)["MR"] == pytest.approx(row["MR"])
    table = capsys.readouterr().out
    assert "| fine-tuned + LACLIP |" in table and "T->I R1" in table and "device: cpu" in table
    # same seed: same weights, so the gallery comes from the cache and the rows repeat exactly
    again = laclip_eval.run_benchmark(small, out_dir=out, epochs=2)
    assert again["rows"] == report["rows"] and again["params"] == report["params"]
    assert again["timing"]["from_cache"] is True
    assert list((out / "cache").glob("*.npz"))


def test_finetune_checkpoint_is_the_zero_shot_row(small, tmp_path):
    path = laclip_eval.run_finetune(small, save=tmp_path / "ft.pt", epochs=2)
    assert path == tmp_path / "ft.pt" and path.is_file()
    first = laclip_eval.run_benchmark(small, out_dir=tmp_path / "a", epochs=2)
    with_ckpt = laclip_eval.run_benchmark(small, checkpoint=path, out_dir=tmp_path / "b", epochs=0)
    assert [r["method"] for r in with_ckpt["rows"]] == ["zero-shot", *METHODS]
    assert with_ckpt["checkpoint"] == str(path)
    # the saved best weights score on test exactly as the in-memory fine-tuned model did
    assert with_ckpt["rows"][0] == {**first["rows"][0], "method": "zero-shot"}


def test_shared_images_and_texts_are_multi_positive(tmp_path):
    rows = synthetic_rows(10, seed=3)
    for row in rows:
        row["split"] = "test"
    rows[1]["image"] = rows[0]["image"]  # one picture printed twice with two descriptions
    rows[3]["text"] = rows[2]["text"]  # one description for two pictures
    split = read_split(write_dataset(tmp_path / "d", rows), "test")
    assert (split.n_images, split.n_texts, len(split.pairs)) == (9, 9, 10)
    positives = split.positives()
    assert positives.sum(axis=0).max() == 2 and positives.sum(axis=1).max() == 2


def test_missing_split_and_empty_rows_are_config_errors(tmp_path):
    with pytest.raises(EvalConfigError, match="train.parquet not found"):
        laclip_eval.run_benchmark(tmp_path)
    rows = synthetic_rows(5)
    rows[0]["text"] = " "
    write_dataset(tmp_path / "d", rows)
    with pytest.raises(EvalConfigError, match="no image bytes or no text"):
        read_split(tmp_path / "d", "train")
