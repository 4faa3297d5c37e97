"""GPU check for laclip_eval: the real fine-tune path and LACLIP encoding on ViT-B-16 (random init).

Runs laclip_eval.finetune.finetune() as `culti benchmark` does (DataLoader augmentation workers,
cosine schedule with warmup, validation MR per epoch, best-epoch checkpoint saved in cn_clip's
format), then encodes the test images globally and with K crops. Prints one JSON object:
training images/s, peak GPU memory (and laclip_eval.memory's estimate beside it), global and
LACLIP images/s and LACLIP encode cost / ((K+1) x global encode cost), target <= 1.1.

    python benchmarks/gpu_laclip.py --data data/out                      # CUDA, ViT-B-16, a culti dataset
    python benchmarks/gpu_laclip.py --culti-samples DIR --repeat 20      # CulTi's 20 real images, tiled
    python benchmarks/gpu_laclip.py --device cpu --model tiny --epochs 1 --culti-samples DIR   # CPU smoke run
Without --data or --culti-samples it writes a synthetic dataset (drawn shapes) to a temp folder.
Where cn_clip is missing it is installed with `pip install --no-deps cn_clip` (its pins would
replace the machine's torch).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def ensure_cn_clip() -> str:
    """Import cn_clip, installing it without its dependency pins when missing; return how."""
    try:
        importlib.import_module("cn_clip.clip")
        return "present"
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "cn_clip"], check=True)
        for extra in ("lmdb", "timm"):  # what cn_clip's data code imports, unpinned
            if importlib.util.find_spec(extra) is None:
                subprocess.run([sys.executable, "-m", "pip", "install", "-q", extra], check=True)
        importlib.invalidate_caches()
        importlib.import_module("cn_clip.clip")
        return "installed --no-deps"


def culti_samples_dataset(folder: Path, out: Path, repeat: int) -> Path:
    """Given CulTi's samples folder (sample_images/N.png + sample_texts.jsonl), write a dataset
    folder: each image `repeat` times under its own id (tiles 1..repeat), split 14/3/3 by image."""
    from laclip_eval.synthetic import write_dataset

    entries = [json.loads(line) for line in (folder / "sample_texts.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = []
    for entry in entries:
        for image_id in entry["image_ids"]:
            data = (folder / "sample_images" / f"{image_id}.png").read_bytes()
            split = "train" if image_id <= 14 else "validation" if image_id <= 17 else "test"
            for copy in range(repeat):
                # a 1-pixel marker makes each tile a distinct image (the benchmark dedupes by bytes)
                tile = _marked(data, copy)
                rows.append({"id": f"culti{image_id:03d}-t{copy:03d}", "image": {"bytes": tile, "path": f"{image_id}.png"},
                             "text": f"{entry['text']}（{copy}）", "split": split,
                             "group_id": f"culti{image_id:03d}-t{copy:03d}", "image_sha256": hashlib.sha256(tile).hexdigest()})
    return write_dataset(out, rows)


def _marked(data: bytes, copy: int) -> bytes:
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGBA")
    image.putpixel((0, 0), (copy % 256, copy // 256, 7, 255))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="a culti dataset folder")
    parser.add_argument("--culti-samples", type=Path, default=None, help="CulTi's samples folder (real images)")
    parser.add_argument("--repeat", type=int, default=20, help="tiles per CulTi sample image")
    parser.add_argument("--model", default="ViT-B-16", help="tiny or a cn_clip size (random init)")
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=None, help="default: EvalConfig's (128 CUDA, 32 CPU)")
    parser.add_argument("--workers", type=int, default=None, help="augmentation processes (default: EvalConfig's)")
    parser.add_argument("--precision", default=None, choices=["bf16", "fp16", "fp32"])
    parser.add_argument("--k", type=int, nargs="+", default=[8, 60], help="LACLIP crop counts to time")
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = parser.parse_args(argv)

    how = ensure_cn_clip()
    import torch

    from laclip_eval.config import EvalConfig
    from laclip_eval.data import read_split
    from laclip_eval.encode import decode_all
    from laclip_eval.finetune import finetune, seed_everything
    from laclip_eval.laclip import encode_crops, encode_global
    from laclip_eval.memory import estimate_gib
    from laclip_eval.models import (
        build_model,
        count_parameters,
        load_model,
        resolution,
        save_checkpoint,
    )
    from laclip_eval.synthetic import write_synthetic_dataset

    tmp = Path(tempfile.mkdtemp(prefix="gpu_laclip_"))
    if args.data is not None:
        data, kind = args.data, "culti dataset"
    elif args.culti_samples is not None:
        data, kind = culti_samples_dataset(args.culti_samples, tmp / "data", args.repeat), "CulTi samples (real images), tiled"
    else:
        data, kind = write_synthetic_dataset(tmp / "data", n=600, size=256), "synthetic"
    cuda = args.device.startswith("cuda")
    if not cuda:
        torch.set_num_threads(2)
    seed_everything(0)
    init = tmp / "random-init.pt"  # the real path loads a cn_clip checkpoint, so random weights go through one
    save_checkpoint(build_model(args.model), init, args.model, epoch=0, step=0)
    cfg = EvalConfig(model=args.model, checkpoint=init, device=args.device, epochs=args.epochs, batch_size=args.batch,
                     workers=args.workers, precision=args.precision)
    train, val, test = (read_split(data, s) for s in ("train", "validation", "test"))
    model = load_model(args.model, init, args.device)
    size = resolution(args.model)
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    result = finetune(model, train, val, size, cfg, log=lambda line: print(line, file=sys.stderr))
    saved = save_checkpoint(model, tmp / "finetuned.pt", args.model, epoch=result.best_epoch, step=result.steps)
    peak_train = torch.cuda.max_memory_allocated() / 2**30 if cuda else None
    out = {
        "model": args.model, "parameters_m": count_parameters(model) / 1e6, "device": args.device,
        "device_name": torch.cuda.get_device_name() if cuda else "cpu", "cn_clip": how, "data": str(data),
        "data_kind": kind, "train_pairs": len(train.pairs), "epochs": result.epochs, "steps": result.steps,
        "batch": cfg.train_batch, "workers": cfg.loader_workers, "precision": cfg.amp,
        "grad_checkpointing": cfg.checkpointing,
        # finetune() seconds include decoding, validation per epoch and best-state copies
        "train_images_per_s": result.steps * cfg.train_batch / result.seconds,
        "val_MR_by_epoch": [h.val_mr for h in result.history], "checkpoint_bytes": saved.stat().st_size,
        "peak_gpu_memory_gib": peak_train,
        "estimated_gpu_memory_gib": estimate_gib(args.model, cfg.train_batch, cfg.amp, cfg.checkpointing),
    }
    model.eval()
    pils = decode_all(test.images, test.image_ids)
    ids = list(test.image_ids)
    prep = {"precision": cfg.amp, "geometry": cfg.geometry}
    encode_global(model, pils[:64], size, args.device, cfg.encode_batch_size, **prep)  # warm-up
    _, t_global = encode_global(model, pils, size, args.device, cfg.encode_batch_size, **prep)
    out.update({"test_images": len(pils), "global_images_per_s": len(pils) / t_global, "laclip": []})
    for k in args.k:
        start = time.perf_counter()
        _, t_crops = encode_crops(model, pils, ids, size, args.device, cfg.encode_batch_size, k, (0.5, 0.9), 0, **prep)
        ratio = (t_global + t_crops) / ((k + 1) * t_global)
        out["laclip"].append({"K": k, "laclip_images_per_s": len(pils) / (t_global + t_crops),
                              "cost_ratio": ratio, "within_1_1": ratio <= 1.1,
                              "wall_s": time.perf_counter() - start})
    if cuda:
        out["peak_gpu_memory_gib_all"] = torch.cuda.max_memory_allocated() / 2**30
    text = json.dumps(out, indent=2, ensure_ascii=False)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
