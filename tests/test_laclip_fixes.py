"""Issue 14 fixes: long-image geometry, the multi-positive loss against a hand computation, the
split-leakage check, the paper's LACLIP row, training flags, multi-model and --no-finetune runs."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

import laclip_eval
from laclip_eval.config import EvalConfig, EvalConfigError, checkpoint_file
from laclip_eval.data import check_leakage
from laclip_eval.encode import Letterbox, transform
from laclip_eval.finetune import AspectCrop, contrastive_loss, train_transform
from laclip_eval.memory import estimate_gib
from laclip_eval.models import build_model, save_checkpoint
from laclip_eval.synthetic import synthetic_rows, write_dataset, write_synthetic_dataset

ROOT = Path(__file__).resolve().parents[1]
MAIN = "import sys; from culti.cli import main; sys.exit(main())"


def silk_band(width: int = 1851, height: int = 303) -> Image.Image:
    """A long thin band like the CulTi silk borders: repeated motifs along its length."""
    image = Image.new("RGB", (width, height), (235, 220, 180))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, height):
        draw.ellipse((x + 20, 20, x + height - 20, height - 20), fill=(200, 30, 30))
    return image


def test_long_image_training_crops_vary_and_keep_the_area():
    image = silk_band()
    crop = AspectCrop((0.6, 1.0))
    torch.manual_seed(0)
    boxes = []
    for _ in range(200):
        part = crop(image)
        boxes.append(part.size)
        share = part.width * part.height / (image.width * image.height)
        assert 0.59 <= share <= 1.0
        aspect = (part.width / part.height) / (image.width / image.height)
        assert 0.74 <= aspect <= 1.36
    assert len(set(boxes)) > 100  # not one fixed fallback crop
    # torchvision's absolute 3/4-4/3 ratios cannot fit: the old crop is the same centre strip every time
    from torchvision import transforms as T

    old = {T.RandomResizedCrop.get_params(image, [0.6, 1.0], [3 / 4, 4 / 3]) for _ in range(50)}
    assert len(old) == 1 and next(iter(old))[3] * next(iter(old))[2] / (image.width * image.height) < 0.25


def test_training_and_evaluation_see_the_same_geometry():
    image = silk_band(600, 100)
    torch.manual_seed(0)
    for geometry in ("pad", "stretch"):  # the whole image (scale 1): only the geometry is left
        full = train_transform(64, (1.0, 1.0), geometry)(image)
        np.testing.assert_allclose(full.numpy(), transform(64, geometry)(image).numpy(), atol=1e-6)
    assert EvalConfig().geometry == "stretch"
    np.testing.assert_array_equal(transform(64)(image).numpy(), transform(64, "stretch")(image).numpy())
    boxed = np.asarray(Letterbox(64)(image))
    inked = np.where((boxed != 255).any(axis=(1, 2)))[0]
    assert 9 <= len(inked) <= 13  # 100/600 of 64 rows: the aspect ratio is kept, not squashed 6-fold
    assert (boxed[:20] == 255).all() and (boxed[-20:] == 255).all()
    assert not np.allclose(transform(64, "squash")(image).numpy(), transform(64, "pad")(image).numpy())
    square = silk_band(80, 80)  # a square image is only resized, exactly as cn_clip does
    np.testing.assert_array_equal(transform(64, "pad")(square).numpy(), transform(64, "squash")(square).numpy())


def hand_loss(img: np.ndarray, txt: np.ndarray, scale: float, image_of: list, text_of: list) -> float:
    """The multi-positive symmetric InfoNCE written out: per image row, the target spreads evenly
    over the texts of rows sharing its image or text; the same per text column."""
    n = len(image_of)
    cos = [[float(img[i] @ txt[j] / np.linalg.norm(img[i]) / np.linalg.norm(txt[j])) for j in range(n)] for i in range(n)]
    pos = [[image_of[i] == image_of[j] or text_of[i] == text_of[j] for j in range(n)] for i in range(n)]
    total_i = total_t = 0.0
    for i in range(n):
        norm = math.log(sum(math.exp(scale * cos[i][j]) for j in range(n)))
        mine = [j for j in range(n) if pos[i][j]]
        total_i += sum(-(scale * cos[i][j] - norm) / len(mine) for j in mine)
    for j in range(n):
        norm = math.log(sum(math.exp(scale * cos[i][j]) for i in range(n)))
        mine = [i for i in range(n) if pos[i][j]]
        total_t += sum(-(scale * cos[i][j] - norm) / len(mine) for i in mine)
    return (total_i / n + total_t / n) / 2


def test_multi_positive_loss_matches_hand_computation():
    rng = np.random.default_rng(0)
    # rows (text, image): 0 and 1 share image A, 1 and 2 share text t1: positives per row 2, 3, 2
    image_of, text_of = [0, 0, 1, 2], [0, 1, 1, 2]
    img, txt = rng.normal(size=(4, 8)), rng.normal(size=(4, 8))
    i_idx, t_idx = torch.tensor(image_of), torch.tensor(text_of)
    got = contrastive_loss(torch.tensor(img), torch.tensor(txt), torch.tensor(math.log(10.0)),
                           i_idx[:, None] == i_idx[None, :], t_idx[:, None] == t_idx[None, :])
    assert float(got) == pytest.approx(hand_loss(img, txt, 10.0, image_of, text_of), rel=1e-5)
    # the old text side (the image side's targets transposed) sums to 0.83 / 1.33 per row
    pos = np.array([[a == b or c == d for b, d in zip(image_of, text_of, strict=True)]
                    for a, c in zip(image_of, text_of, strict=True)], dtype=float)
    old = (pos / pos.sum(axis=1, keepdims=True)).T.sum(axis=1)
    assert old[:3] == pytest.approx([1 / 2 + 1 / 3, 1 / 2 + 1 / 3 + 1 / 2, 1 / 3 + 1 / 2])


def test_leakage_check_names_the_image_or_group(tmp_path):
    rows = synthetic_rows(30, seed=4)
    assert check_leakage(write_dataset(tmp_path / "ok", rows))["rows"] == 30
    test_row = next(i for i, r in enumerate(rows) if r["split"] == "test")
    leaked = [dict(r) for r in rows]
    leaked[test_row]["image"] = rows[0]["image"]  # a train picture again in test
    with pytest.raises(EvalConfigError, match=r"image \w+ is in both train .* and test"):
        laclip_eval.run_benchmark(write_dataset(tmp_path / "image", leaked), out_dir=tmp_path / "b", epochs=0)
    grouped = [dict(r) for r in rows]
    grouped[test_row]["group_id"] = rows[0]["group_id"]
    with pytest.raises(EvalConfigError, match="group_id g0 is in both train"):
        check_leakage(write_dataset(tmp_path / "group", grouped))


def test_recipes_flags_and_memory_defaults(tmp_path):
    ckpt = tmp_path / "x.pt"
    ckpt.write_bytes(b"0")
    cfg = EvalConfig(checkpoint=ckpt, recipe="cn-clip")
    assert (cfg.learning_rate, cfg.decay, cfg.crop_scale_train, cfg.warmup(1000), cfg.warmup(40)) == (5e-5, 0.001, (0.9, 1.0), 100, 40)
    assert EvalConfig(checkpoint=ckpt, recipe="cn-clip", lr=1e-4).learning_rate == 1e-4
    assert EvalConfig().amp == "fp32" and EvalConfig().checkpointing is False
    with pytest.raises(EvalConfigError, match="fp16 needs --device cuda"):
        EvalConfig(precision="fp16")
    with pytest.raises(EvalConfigError, match="--no-finetune"):
        EvalConfig(finetune=False)
    assert checkpoint_file("ViT-H-14") == "clip_cn_vit-h-14.pt" and checkpoint_file("tiny-rn") == "clip_cn_tiny-rn.pt"
    for name in ("RN50", "ViT-B-16", "ViT-L-14", "ViT-L-14-336", "ViT-H-14"):
        with_defaults = EvalConfig.__new__(EvalConfig)  # the CUDA defaults without a CUDA device or weights
        object.__setattr__(with_defaults, "model", name)
        object.__setattr__(with_defaults, "device", "cuda")
        object.__setattr__(with_defaults, "grad_checkpointing", None)
        assert estimate_gib(name, 128, "bf16", with_defaults.checkpointing) < 80, name
    assert estimate_gib("ViT-H-14", 128, "bf16", False) > 80  # why ViT-H-14 checkpoints by default


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", MAIN, *args], cwd=ROOT, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ckpt")
    for seed, name in enumerate(("tiny", "tiny-rn")):
        torch.manual_seed(seed)
        save_checkpoint(build_model(name), folder / checkpoint_file(name), name, epoch=0, step=0)
    return folder


def test_models_run_fills_the_paper_table(checkpoints, tmp_path):
    data = write_synthetic_dataset(tmp_path / "data", n=60, seed=5)
    out = tmp_path / "bench"
    proc = run_cli("benchmark", "--data", str(data), "--models", "tiny,tiny-rn", "--checkpoints", str(checkpoints),
                   "--epochs", "1", "--batch-size", "8", "--grad-accum", "2", "--recipe", "cn-clip", "--lr", "1e-4",
                   "--grad-checkpointing", "--precision", "bf16", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    combined = json.loads((out / "benchmark.json").read_text())
    assert combined["models"] == ["tiny", "tiny-rn"]
    methods = ["zero-shot", "fine-tuned", "LACLIP (paper)", "LACLIP (tuned)"]
    assert [(r["model"], r["method"]) for r in combined["rows"]] == [(m, x) for m in ("tiny", "tiny-rn") for x in methods]
    for report in combined["reports"]:
        assert report == json.loads((out / report["model"] / "benchmark.json").read_text())
        assert report["checkpoint"] == str(checkpoints / checkpoint_file(report["model"]))
        ft = report["finetune"]
        assert (ft["batch_size"], ft["grad_accum"], ft["lr"], ft["weight_decay"], ft["train_crop_scale"]) == (8, 2, 1e-4, 0.001, [0.9, 1.0])
        assert ft["precision"] == "bf16" and ft["grad_checkpointing"] is True and ft["steps"] == 42 // 8
    for label in ("CN-CLIP tiny (zero-shot)", "CN-CLIP tiny-rn (fine-tuned)", "LACLIP tiny-rn (paper)", "LACLIP tiny (tuned)"):
        assert f"| {label} |" in proc.stdout
    # --no-finetune scores the given weights as they are: the same numbers as the zero-shot row
    again = run_cli("benchmark", "--data", str(data), "--model", "tiny", "--checkpoints", str(checkpoints),
                    "--no-finetune", "--out", str(tmp_path / "nf"))
    assert again.returncode == 0, again.stderr
    report = json.loads((tmp_path / "nf" / "benchmark.json").read_text())
    assert [r["method"] for r in report["rows"]] == ["checkpoint", "LACLIP (paper)", "LACLIP (tuned)"]
    assert report["finetuned"] is False and report["finetune"] is None
    assert all(r["weights"] == "given checkpoint, not fine-tuned here" for r in report["rows"])
    zero = combined["reports"][0]["rows"][0]
    assert {k: report["rows"][0][k] for k in ("t2i", "i2t", "MR")} == {k: zero[k] for k in ("t2i", "i2t", "MR")}
    assert "given checkpoint, no fine-tune" in again.stdout


def test_missing_checkpoint_in_folder_is_one_line(checkpoints, tmp_path):
    data = write_synthetic_dataset(tmp_path / "data", n=20)
    proc = run_cli("benchmark", "--data", str(data), "--models", "tiny,ViT-B-16", "--checkpoints", str(checkpoints))
    assert proc.returncode == 2 and "clip_cn_vit-b-16.pt" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_cache_key_has_device_precision_and_geometry():
    from laclip_eval.benchmark import Encoding

    base = Encoding(64, "cpu", 8, "fp32", "pad", "x86_64, 2 threads")
    others = [Encoding(64, "cuda", 8, "fp32", "pad", "NVIDIA H100"), Encoding(64, "cpu", 8, "bf16", "pad", "x86_64, 2 threads"),
              Encoding(64, "cpu", 8, "fp32", "squash", "x86_64, 2 threads")]
    assert len({base.key, *(o.key for o in others)}) == 4
